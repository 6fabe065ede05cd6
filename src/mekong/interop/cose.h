// COSE_Sign1 (RFC 9052) as EU DCC and Mekong health codes use it: ES256 (-7) and PS256 (-37).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mekong/core/status.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/keys.h"

namespace mekong::interop {

constexpr int64_t kCoseAlgEs256 = -7;
constexpr int64_t kCoseAlgPs256 = -37;
constexpr int64_t kCoseHeaderAlg = 1;
constexpr int64_t kCoseHeaderKid = 4;

struct CoseSign1 {
  std::string protected_bytes;  // the protected header exactly as signed (a serialised map)
  Cbor protected_header = Cbor::Map({});
  Cbor unprotected = Cbor::Map({});
  std::string payload;
  std::string signature;

  // The algorithm from the protected header. One named only in the unprotected header is not
  // covered by the signature: refused unless `allow_unprotected` (EU DCC interoperability).
  Result<int64_t> Algorithm(bool allow_unprotected = false) const;
  // The key id: protected header first, then unprotected (some EU issuers put it there).
  std::string KeyId() const;
};

// Accepts tag 18, an untagged array, and tag 61 (CWT) wrapping tag 18, as real issuers send.
Result<CoseSign1> ParseCoseSign1(std::string_view bytes);
// The bytes that are signed: ["Signature1", protected, h'', payload].
std::string SigStructure(const CoseSign1& msg);
// Checks the signature with `key` for the message's algorithm.
Status VerifyCoseSign1(const CoseSign1& msg, const PublicKey& key,
                       bool allow_unprotected_alg = false);
// Signs `payload` with ES256; the key id goes in the protected header. Returns tag 18 bytes.
Result<std::string> SignCoseSign1Es256(std::string_view payload, std::string_view kid,
                                       const PrivateKey& key);

}  // namespace mekong::interop
