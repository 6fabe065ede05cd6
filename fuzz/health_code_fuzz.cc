// Any text as a scanned code, through the verifier every checkpoint runs; also as a bundle.
#include "mekong/healthcode/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mekong::healthcode::TrustBundle bundle;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)mekong::healthcode::Verify({text}, bundle, 1700000000000);
  (void)mekong::healthcode::Verify({"MK1:" + text}, bundle, 1700000000000);
  (void)mekong::healthcode::BundleFromJson(text);
  return 0;
}
