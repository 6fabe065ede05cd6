// Time zones and locale formatting at the edges (ICU). Inside Mekong time stays int64
// milliseconds since the Unix epoch in UTC (time.h); these functions turn an instant into what a
// person in a zone reads, and a person's local day into the UTC instants it spans.
//
// Zones are IANA names in Area/Location form ("Asia/Ho_Chi_Minh", "Asia/Yangon",
// "Europe/Berlin"), plus "UTC" and "GMT". Every function below reads an empty name as UTC (an
// org unit or a reader without a zone) and refuses any other name ValidateZone refuses, as
// invalid_argument: ICU itself silently turns an unknown name into GMT, which would show a
// Vietnamese reader the wrong day without a word.
//
// Thread safety: every function may be called from any thread at once. ICU's formatters are
// not thread-safe, so each thread keeps its own small cache of zones and formatters (built on
// first use, a few hundred microseconds; then a format is about a microsecond:
// bench/zone_bench.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mekong/core/money.h"
#include "mekong/core/status.h"

namespace mekong {

// OK when `name` is a zone ICU knows in the form above. Refused, with the reason: an empty or
// unknown name, wrong case ("asia/ho_chi_minh"), custom offsets ("GMT+07:00"), and ICU's
// legacy three-letter ids ("VST", "IST", "BST"), which mean different zones to different
// readers. Aliases IANA keeps (Asia/Saigon, Asia/Rangoon) are accepted as given.
Status ValidateZone(std::string_view name);

// The zone's offset from UTC at the instant `at_ms`, daylight saving included, in
// milliseconds (Asia/Yangon: +6:30 = 23'400'000).
Result<int64_t> UtcOffsetMillis(std::string_view zone, int64_t at_ms);

// The civil date in `zone` at the instant `at_ms`, "YYYY-MM-DD".
Result<std::string> LocalDate(std::string_view zone, int64_t at_ms);

// The first instant of the local day `date` ("YYYY-MM-DD") in `zone`, in UTC milliseconds. The
// day runs to LocalDayStart of the next date, which is 23 or 25 hours later across a daylight
// saving change; where a change skips local midnight, the day starts when it ends.
Result<int64_t> LocalDayStart(std::string_view zone, std::string_view date);

// The date of `at_ms` in `zone`, for a reader of `locale` (BCP 47: "vi", "en-GB", "zh-Hant"),
// in ICU's abbreviated-month date format for the locale (CLDR's medium date in most
// locales): "Dec 9, 2026", "9 Dec 2026" (en-GB), "9 thg 12, 2026", "2026年12月9日". The month is
// always a word or marked as a month, never a bare number, so readers across borders cannot
// swap day and month (a locale whose abbreviated format is numeric, such as pt-PT, gets the
// month written out). The locale's own calendar and digits apply: Thai years are Buddhist
// (2569), Burmese digits are Myanmar. A language ICU has no data for is formatted as English,
// never as the process's default locale.
Result<std::string> FormatDate(std::string_view zone, std::string_view locale, int64_t at_ms);

// The same date with the local time (the locale's 12 or 24 hours, minutes) and the zone's
// short name: its abbreviation where the locale has a common one, otherwise its offset
// ("Dec 9, 2026, 2:21 AM GMT+7").
Result<std::string> FormatDateTime(std::string_view zone, std::string_view locale, int64_t at_ms);

// An amount as a reader of `locale` writes it, with the currency's symbol or code where the
// locale puts it ("1.670.313 ₫" in vi, "¥475.50" in zh, "CN¥475.50" in en) and always the
// currency's ISO 4217 minor digits (core/money.h: IDR keeps its two, VND has none), whatever
// the locale would round cash to. The amount reaches ICU as decimal text, never as a double.
// The locale's digits apply (Myanmar digits for my); a language ICU has no data for is
// formatted as English. invalid_argument for a currency money.h does not know ("currency") or
// a malformed tag.
Result<std::string> FormatCurrency(std::string_view locale, const Money& amount);

}  // namespace mekong
