// Parsing JSON from outside: bounded nesting, valid UTF-8, no duplicate keys. nlohmann/json
// parses iteratively but serialises and compares recursively, so a body nested 75,000 deep
// parses and then overflows the stack later; and with duplicate keys the last one silently
// wins (a login with a wrong then a right password). Every parse of untrusted JSON goes here.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong {

inline constexpr int kMaxJsonDepth = 64;

// invalid_argument naming `field` when the text is not JSON, nests deeper than `max_depth`,
// holds invalid UTF-8 or repeats a key within one object.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view field = "body",
                                 int max_depth = kMaxJsonDepth);

}  // namespace mekong
