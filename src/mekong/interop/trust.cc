#include "mekong/interop/trust.h"

#include "mekong/core/crypto.h"

namespace mekong::interop {

std::string_view TrustKindName(TrustKind k) {
  switch (k) {
    case TrustKind::kMekong:
      return "mekong";
    case TrustKind::kEuDcc:
      return "eu_dcc";
    case TrustKind::kShc:
      return "shc";
  }
  return "unknown";
}

void TrustList::Add(TrustedKey key) { keys_.push_back(std::move(key)); }

std::vector<const TrustedKey*> TrustList::Find(TrustKind kind, std::string_view kid) const {
  std::vector<const TrustedKey*> out;
  for (const auto& k : keys_) {
    if (k.kind == kind && k.kid == kid) out.push_back(&k);
  }
  return out;
}

bool ShcRevocationList::Revokes(std::string_view rid, std::optional<int64_t> nbf) const {
  auto it = rids.find(std::string(rid));
  if (it == rids.end()) return false;
  return !it->second || !nbf || *nbf < *it->second;
}

void TrustList::AddShcCrl(ShcRevocationList crl) {
  for (auto& held : crls_) {
    if (held.issuer == crl.issuer && held.kid == crl.kid) {
      if (crl.ctr >= held.ctr) held = std::move(crl);
      return;
    }
  }
  crls_.push_back(std::move(crl));
}

const ShcRevocationList* TrustList::FindShcCrl(std::string_view issuer,
                                               std::string_view kid) const {
  for (const auto& c : crls_) {
    if (c.issuer == issuer && c.kid == kid) return &c;
  }
  return nullptr;
}

std::string EuKeyId(const Certificate& cert) { return Sha256(cert.der()).substr(0, 8); }

}  // namespace mekong::interop
