// Base45 (RFC 9285): bytes as QR-alphanumeric text, as EU DCC and Mekong health codes use it.
#pragma once

#include <string>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong::interop {

std::string Base45Encode(std::string_view bytes);
// InvalidArgument for a character outside the 45-character alphabet (lower case included), a
// lone trailing character, or a group above its byte range (a triple > 65535, a pair > 255).
Result<std::string> Base45Decode(std::string_view text);

}  // namespace mekong::interop
