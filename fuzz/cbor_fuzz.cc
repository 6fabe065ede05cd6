// Any bytes: decode as CBOR; what decodes must re-encode and decode to the same value.
#include <cstdlib>

#include "mekong/interop/cbor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mekong::interop;
  auto v = DecodeCbor(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!v.ok()) return 0;
  auto again = DecodeCbor(EncodeCbor(*v));
  if (!again.ok() || !(*again == *v)) std::abort();
  (void)CborToJson(*v);
  return 0;
}
