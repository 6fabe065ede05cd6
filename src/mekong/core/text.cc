#include "mekong/core/text.h"

#include <cstdint>
#include <string>

namespace mekong {

bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

bool HasControlCharacter(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c == 0x7F) return true;
    if (c >= 0x20) continue;
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    return true;
  }
  return false;
}

std::string_view Trimmed(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  const size_t first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlank) - first + 1);
}

Status CheckText(std::string_view value, std::string_view field, size_t max, bool required,
                 bool multiline) {
  const std::string f(field);
  if (required && Trimmed(value).empty()) return Status::InvalidArgument("is required", f);
  if (value.size() > max)
    return Status::InvalidArgument("is longer than " + std::to_string(max) + " bytes", f);
  if (!ValidUtf8(value)) return Status::InvalidArgument("is not UTF-8", f);
  if (HasControlCharacter(value, multiline))
    return Status::InvalidArgument("holds a control character", f);
  return Status::Ok();
}

int JsonNestingDepth(std::string_view json, int cap) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > cap) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string ReplaceAll(std::string s, std::string_view key, std::string_view value) {
  for (size_t at = s.find(key); !key.empty() && at != std::string::npos; at = s.find(key, at)) {
    s.replace(at, key.size(), value);
    at += value.size();
  }
  return s;
}

}  // namespace mekong
