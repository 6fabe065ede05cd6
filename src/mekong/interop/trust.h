// Trusted issuer keys for verifying foreign credentials (EU DCC signer certificates, SMART
// Health Cards issuer JWKs) and Mekong's own health-code keys, looked up by key id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mekong/interop/keys.h"

namespace mekong::interop {

enum class TrustKind { kMekong, kEuDcc, kShc };
std::string_view TrustKindName(TrustKind k);

struct TrustedKey {
  TrustKind kind = TrustKind::kEuDcc;
  std::string kid;  // raw bytes for COSE; the JWK kid for SHC
  PublicKey key;
  std::optional<Certificate> certificate;  // EU DCC signers come as certificates
  std::string issuer;                      // country code, or the SHC issuer URL
  std::optional<int64_t> not_after;        // seconds; a retired Mekong key verifies until then
};

// Several keys may share a kid (the EU kid is only 8 bytes); verification tries each.
class TrustList {
 public:
  void Add(TrustedKey key);
  std::vector<const TrustedKey*> Find(TrustKind kind, std::string_view kid) const;
  size_t size() const { return keys_.size(); }
  const std::vector<TrustedKey>& keys() const { return keys_; }

 private:
  std::vector<TrustedKey> keys_;
};

// The EU key id of a signer certificate: the first 8 bytes of SHA-256 of its DER.
std::string EuKeyId(const Certificate& cert);

}  // namespace mekong::interop
