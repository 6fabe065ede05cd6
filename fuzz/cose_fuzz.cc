// Any bytes: parse as COSE_Sign1 and try to verify with a fixed key.
#include "mekong/interop/cose.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mekong::interop;
  static const PrivateKey key = std::move(PrivateKey::GenerateP256()).value();
  auto msg = ParseCoseSign1(std::string_view(reinterpret_cast<const char*>(data), size));
  if (msg.ok()) {
    (void)msg->KeyId();
    (void)VerifyCoseSign1(*msg, key.Public(), true);
  }
  return 0;
}
