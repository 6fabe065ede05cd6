// Any bytes: inflate with a cap; output never exceeds it.
#include <cstdlib>

#include "mekong/interop/zlib_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto out =
      mekong::interop::Inflate(std::string_view(reinterpret_cast<const char*>(data), size), 65536);
  if (out.ok() && out->size() > 65536) std::abort();
  return 0;
}
