// DEFLATE in both framings: zlib (RFC 1950) for EU DCC and Mekong health codes, raw (RFC 1951)
// for SMART Health Cards. Inflation is capped: a decompression bomb is an error, not an OOM.
#pragma once

#include <string>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong::interop {

// A zlib stream (RFC 1950, any valid header), or raw DEFLATE (RFC 1951) when the first two bytes
// are not a valid zlib header. Output beyond max_output bytes and a corrupt or truncated stream
// are InvalidArgument; bytes after the end of the stream are ignored. Uncompressed data may
// happen to parse as raw DEFLATE, so callers that also accept it (EU DCCs from some issuers)
// look for the zlib header byte 0x78 before calling this.
Result<std::string> Inflate(std::string_view data, size_t max_output);
// A zlib stream only (RFC 1950, any valid header), as HCERT and Mekong health codes require:
// anything else, raw DEFLATE included, is InvalidArgument, as are the cases above.
Result<std::string> InflateZlib(std::string_view data, size_t max_output);
// Whether `data` starts with a valid zlib header: CM 8, a window of at most 32 KiB, FCHECK.
bool IsZlibHeader(std::string_view data);
// Raw DEFLATE only (SMART Health Cards), with the same limits.
Result<std::string> InflateRaw(std::string_view data, size_t max_output);
// zlib format; `level` 0 (stored) to 9 (best), or -1 for zlib's default, clamped to that range.
std::string Deflate(std::string_view data, int level = 9);
// Raw DEFLATE at level 9, as SMART Health Cards require.
std::string DeflateRaw(std::string_view data);
// gzip (RFC 1952) at level 9, for HTTP's Content-Encoding.
std::string Gzip(std::string_view data);

}  // namespace mekong::interop
