// Comparing people's names across scripts: a key two spellings of one name share.
//
// NameKey transliterates any script to Latin with ICU ("Any-Latin; Latin-ASCII"): Vietnamese
// loses its tones and đ ("Nguyễn Văn Đức" -> "nguyen van duc"), Han becomes pinyin
// ("王伟" -> "wang wei"), Thai and the other Brahmic scripts their ICU romanisation; then it
// lower-cases, keeps letters and digits, and sorts the words, so that the family name first or
// last gives one key ("Wang Wei" and "王伟" both read "wang wei"). It is a blocking key for
// duplicate detection, not a proof of identity: an officer decides.
//
// Thread safety: any thread; each keeps its own transliterator and a cache of words.
#pragma once

#include <string>
#include <string_view>

namespace mekong {

std::string NameKey(std::string_view name);

}  // namespace mekong
