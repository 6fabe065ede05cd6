// Any text as scanned SMART Health Card chunks (split on newlines), as a compact JWS, and as
// an issuer's revocation list (which must survive its own serialisation unchanged).
#include <cstdlib>

#include "mekong/interop/shc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mekong::interop::TrustList trust;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    parts.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  (void)mekong::interop::VerifyShc(parts, trust, 1700000000);
  (void)mekong::interop::VerifyShcJws(text, trust, 1700000000);
  auto crl = mekong::interop::ParseShcCrl(text, "https://issuer.example");
  if (crl.ok()) {
    auto again = mekong::interop::ParseShcCrl(mekong::interop::ShcCrlToJson(*crl), crl->issuer);
    if (!again.ok() || again->rids != crl->rids || again->ctr != crl->ctr ||
        again->kid != crl->kid) {
      std::abort();
    }
  }
  return 0;
}
