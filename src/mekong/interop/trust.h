// Trusted issuer keys for verifying foreign credentials (EU DCC signer certificates, SMART
// Health Cards issuer JWKs) and Mekong's own health-code keys, looked up by key id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
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

// One SMART Health Cards issuer's revocation list for one of its keys (published at iss +
// "/.well-known/crl/" + kid + ".json"; method "rid", the only one the spec defines).
struct ShcRevocationList {
  std::string issuer;  // the issuer URL, as the card's iss and the trusted key name it
  std::string kid;     // the key whose cards it revokes
  int64_t ctr = 0;     // the issuer's counter; a higher one supersedes a lower one
  // Revoked rids. A timestamp (seconds) limits the revocation to cards whose nbf is before it
  // (the issuer re-issued the rid's cards then); nullopt revokes every card with the rid.
  std::map<std::string, std::optional<int64_t>> rids;

  // Whether this list revokes a card with `rid` and `nbf` (seconds, floored). A card without
  // nbf counts as issued before any timestamp.
  bool Revokes(std::string_view rid, std::optional<int64_t> nbf) const;
};

// Several keys may share a kid (the EU kid is only 8 bytes); verification tries each.
class TrustList {
 public:
  void Add(TrustedKey key);
  std::vector<const TrustedKey*> Find(TrustKind kind, std::string_view kid) const;
  size_t size() const { return keys_.size(); }
  const std::vector<TrustedKey>& keys() const { return keys_; }

  // Holds one revocation list per issuer and kid: `crl` replaces the one held unless that one
  // has a higher ctr.
  void AddShcCrl(ShcRevocationList crl);
  const ShcRevocationList* FindShcCrl(std::string_view issuer, std::string_view kid) const;
  const std::vector<ShcRevocationList>& shc_crls() const { return crls_; }

 private:
  std::vector<TrustedKey> keys_;
  std::vector<ShcRevocationList> crls_;
};

// The EU key id of a signer certificate: the first 8 bytes of SHA-256 of its DER.
std::string EuKeyId(const Certificate& cert);

}  // namespace mekong::interop
