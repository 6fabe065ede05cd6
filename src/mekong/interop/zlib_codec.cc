#include "mekong/interop/zlib_codec.h"

#include <zlib.h>

namespace mekong::interop {

namespace {

// window_bits: 15 zlib, -15 raw.
Result<std::string> Run(std::string_view data, size_t max_output, int window_bits) {
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
      return Status::InvalidArgument(std::string("not a valid DEFLATE stream") + (z.msg ? ": " + std::string(z.msg) : ""));
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_output) {
      inflateEnd(&z);
      return Status::InvalidArgument("decompressed size exceeds " + std::to_string(max_output) + " bytes");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      return Status::InvalidArgument("DEFLATE stream is truncated");
    }
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

std::string Compress(std::string_view data, int level, int window_bits) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

bool LooksLikeZlib(std::string_view d) {
  if (d.size() < 2) return false;
  unsigned cmf = static_cast<uint8_t>(d[0]), flg = static_cast<uint8_t>(d[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

}  // namespace

Result<std::string> Inflate(std::string_view data, size_t max_output) {
  return Run(data, max_output, LooksLikeZlib(data) ? 15 : -15);
}

Result<std::string> InflateRaw(std::string_view data, size_t max_output) { return Run(data, max_output, -15); }

std::string Deflate(std::string_view data, int level) { return Compress(data, level, 15); }

std::string DeflateRaw(std::string_view data) { return Compress(data, 9, -15); }

}  // namespace mekong::interop
