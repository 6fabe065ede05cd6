#include "mekong/core/names.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

namespace mekong {

namespace {

struct Cache {
  std::unique_ptr<icu::Transliterator> to_latin;
  std::unordered_map<std::string, std::string> words;  // one name's word -> its Latin words
};

Cache& ThreadCache() {
  thread_local Cache cache = [] {
    Cache c;
    UErrorCode status = U_ZERO_ERROR;
    c.to_latin.reset(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower",
                                                         UTRANS_FORWARD, status));
    if (U_FAILURE(status)) c.to_latin.reset();
    return c;
  }();
  return cache;
}

bool Ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Letters and digits only, lower case, split on everything else.
void Words(std::string_view latin, std::vector<std::string>* out) {
  std::string w;
  for (char c : latin) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      w += c;
    } else if (c >= 'A' && c <= 'Z') {
      w += static_cast<char>(c - 'A' + 'a');
    } else if (!w.empty()) {
      out->push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out->push_back(std::move(w));
}

}  // namespace

std::string NameKey(std::string_view name) {
  Cache& cache = ThreadCache();
  std::vector<std::string> words;
  size_t at = 0;
  while (at < name.size()) {
    size_t end = name.find(' ', at);
    if (end == std::string_view::npos) end = name.size();
    std::string_view token = name.substr(at, end - at);
    at = end + 1;
    if (token.empty()) continue;
    if (Ascii(token)) {
      Words(token, &words);
      continue;
    }
    auto it = cache.words.find(std::string(token));
    if (it == cache.words.end()) {
      std::string latin;
      if (cache.to_latin) {
        icu::UnicodeString u =
            icu::UnicodeString::fromUTF8(icu::StringPiece(token.data(), token.size()));
        cache.to_latin->transliterate(u);
        u.toUTF8String(latin);
      }
      if (cache.words.size() > 100000) cache.words.clear();
      it = cache.words.emplace(std::string(token), std::move(latin)).first;
    }
    Words(it->second, &words);
  }
  std::sort(words.begin(), words.end());
  std::string key;
  for (const auto& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

}  // namespace mekong
