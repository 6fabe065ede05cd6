// Any text as a scanned code, through the verifier every checkpoint runs; also as a bundle,
// which, once read, must read back from its own JSON.
#include <cstdlib>

#include "mekong/healthcode/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mekong::healthcode::TrustBundle bundle;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)mekong::healthcode::Verify({text}, bundle, 1700000000000);
  (void)mekong::healthcode::Verify({"MK1:" + text}, bundle, 1700000000000);
  auto read = mekong::healthcode::BundleFromJson(text);
  if (read.ok()) {
    auto again = mekong::healthcode::BundleFromJson(mekong::healthcode::BundleToJson(*read));
    if (!again.ok() || again->trust.size() != read->trust.size() ||
        again->trust.shc_crls().size() != read->trust.shc_crls().size()) {
      std::abort();
    }
  }
  return 0;
}
