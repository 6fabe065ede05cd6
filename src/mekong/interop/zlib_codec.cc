#include "mekong/interop/zlib_codec.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "mekong/core/crypto.h"

namespace mekong::interop {

namespace {

// window_bits: 15 for a zlib stream (any window size its header names), -15 for raw DEFLATE.
// Output grows 16 KiB at a time, so at most max_output + 16 KiB is ever held.
Result<std::string> Run(std::string_view data, size_t max_output, int window_bits) {
  if (data.size() > UINT_MAX) return Status::InvalidArgument("compressed input is too large");
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return Status::Internal("zlib init failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Status::InvalidArgument(std::string("not a valid DEFLATE stream") +
                                     (z.msg ? ": " + std::string(z.msg) : ""));
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_output) {
      inflateEnd(&z);
      return Status::InvalidArgument("decompressed size exceeds " + std::to_string(max_output) +
                                     " bytes");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return Status::InvalidArgument("DEFLATE stream is truncated");
    }
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

// The zpipe loop: input in chunks zlib's 32-bit counters can hold, output 16 KiB at a time.
std::string Compress(std::string_view data, int level, int window_bits) {
  z_stream z{};
  // Only a level out of range (clamped here) or no memory make this fail.
  deflateInit2(&z, std::clamp(level, Z_DEFAULT_COMPRESSION, 9), Z_DEFLATED, window_bits, 8,
               Z_DEFAULT_STRATEGY);
  std::string out;
  char buf[16384];
  int flush;
  do {
    size_t n = std::min<size_t>(data.size(), 1u << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(n);
    data.remove_prefix(n);
    flush = data.empty() ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, flush);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&z);
  return out;
}

}  // namespace

// RFC 1950 section 2.2: CM 8 (deflate), a window of at most 32 KiB, and FCHECK making the
// first two bytes a multiple of 31. Raw DEFLATE meets this only if its first block is a stored,
// non-final one with a set padding bit, which no encoder writes.
bool IsZlibHeader(std::string_view d) {
  if (d.size() < 2) return false;
  unsigned cmf = static_cast<uint8_t>(d[0]), flg = static_cast<uint8_t>(d[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

Result<std::string> Inflate(std::string_view data, size_t max_output) {
  return Run(data, max_output, IsZlibHeader(data) ? 15 : -15);
}

Result<std::string> InflateZlib(std::string_view data, size_t max_output) {
  if (!IsZlibHeader(data)) {
    return Status::InvalidArgument(data.size() < 2 ? std::string("not a zlib stream (too short)")
                                                   : "not a zlib stream (header " +
                                                         HexEncode(data.substr(0, 2)) + ")");
  }
  return Run(data, max_output, 15);
}

Result<std::string> InflateRaw(std::string_view data, size_t max_output) {
  return Run(data, max_output, -15);
}

std::string Deflate(std::string_view data, int level) { return Compress(data, level, 15); }

std::string DeflateRaw(std::string_view data) { return Compress(data, 9, -15); }

std::string Gzip(std::string_view data) { return Compress(data, 9, 15 + 16); }

}  // namespace mekong::interop
