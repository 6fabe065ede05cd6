// DEFLATE in both framings: zlib (RFC 1950) for EU DCC and Mekong health codes, raw (RFC 1951)
// for SMART Health Cards. Inflation is capped: a decompression bomb is an error, not an OOM.
#pragma once

#include <string>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong::interop {

// A zlib stream; falls back to raw DEFLATE when the zlib header is not there.
Result<std::string> Inflate(std::string_view data, size_t max_output);
Result<std::string> InflateRaw(std::string_view data, size_t max_output);
std::string Deflate(std::string_view data, int level = 9);
std::string DeflateRaw(std::string_view data);

}  // namespace mekong::interop
