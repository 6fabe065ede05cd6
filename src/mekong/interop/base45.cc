#include "mekong/interop/base45.h"

#include <algorithm>
#include <cstdint>

namespace mekong::interop {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

int Value(char c) {
  for (int i = 0; i < 45; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}
}  // namespace

std::string Base45Encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2 * 3 + 2);
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    unsigned n = static_cast<uint8_t>(bytes[i]) * 256u + static_cast<uint8_t>(bytes[i + 1]);
    out += {kAlphabet[n % 45], kAlphabet[n / 45 % 45], kAlphabet[n / 2025]};
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<uint8_t>(bytes[i]);
    out += {kAlphabet[n % 45], kAlphabet[n / 45]};
  }
  return out;
}

Result<std::string> Base45Decode(std::string_view text) {
  if (text.size() % 3 == 1)
    return Status::InvalidArgument("Base45 length leaves a single character");
  std::string out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (size_t i = 0; i < text.size(); i += 3) {
    size_t n = std::min<size_t>(3, text.size() - i);
    unsigned v = 0, scale = 1;
    for (size_t j = 0; j < n; ++j) {
      int d = Value(text[i + j]);
      if (d < 0) return Status::InvalidArgument("a character outside the Base45 alphabet");
      v += static_cast<unsigned>(d) * scale;
      scale *= 45;
    }
    if (n == 3) {
      if (v > 0xffff) return Status::InvalidArgument("a Base45 triple above 65535");
      out.push_back(static_cast<char>(v >> 8));
      out.push_back(static_cast<char>(v & 0xff));
    } else {
      if (v > 0xff) return Status::InvalidArgument("a Base45 pair above 255");
      out.push_back(static_cast<char>(v));
    }
  }
  return out;
}

}  // namespace mekong::interop
