// Any text as a scanned EU DCC, against an empty trust list.
#include "mekong/interop/eu_dcc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mekong::interop::TrustList trust;
  (void)mekong::interop::VerifyEuDcc(std::string_view(reinterpret_cast<const char*>(data), size),
                                     trust, 1700000000);
  return 0;
}
