// Any text: Base45-decode; what decodes must encode back to the same text.
#include <cstdlib>

#include "mekong/interop/base45.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bytes = mekong::interop::Base45Decode(text);
  if (bytes.ok() && mekong::interop::Base45Encode(*bytes) != text) std::abort();
  return 0;
}
