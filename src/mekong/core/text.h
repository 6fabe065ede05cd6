// Checks on untrusted text before it reaches a store, a log line or a recursive parser.
#pragma once

#include <cstddef>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool ValidUtf8(std::string_view s);

// True when `s` holds a C0 control character or DEL. With `allow_newlines`, tab, LF and CR
// are allowed (free text typed into a form).
bool HasControlCharacter(std::string_view s, bool allow_newlines = false);

// `s` without the ASCII spaces, tabs and line breaks at either end.
std::string_view Trimmed(std::string_view s);

// `s` with every `key` replaced by `value` (a link template's "{room}").
std::string ReplaceAll(std::string s, std::string_view key, std::string_view value);

// A field of text a person typed: at most `max` bytes of UTF-8, no control characters (tab and
// newlines allowed when `multiline`), empty (or only blanks) only when not `required`. The error
// names `field`.
Status CheckText(std::string_view value, std::string_view field, size_t max, bool required,
                 bool multiline = false);

// The deepest nesting of [ and { in JSON text, counted outside strings without parsing it; a
// cheap guard before a parser or serialiser that recurses. Stops counting at `cap` + 1.
int JsonNestingDepth(std::string_view json, int cap = 1 << 20);

}  // namespace mekong
