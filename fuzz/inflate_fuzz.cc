// Any bytes: inflate with a cap, in both framings; output never exceeds it, and the strict zlib
// inflate accepts only what has a zlib header and what the lenient one also accepts.
#include <cstdlib>

#include "mekong/interop/zlib_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto out = mekong::interop::Inflate(in, 65536);
  if (out.ok() && out->size() > 65536) std::abort();
  auto strict = mekong::interop::InflateZlib(in, 65536);
  if (strict.ok() && (!mekong::interop::IsZlibHeader(in) || !out.ok() || *strict != *out)) {
    std::abort();
  }
  return 0;
}
