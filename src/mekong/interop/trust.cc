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

std::string EuKeyId(const Certificate& cert) { return Sha256(cert.der()).substr(0, 8); }

}  // namespace mekong::interop
