#include "mekong/core/zone.h"

#include <unicode/basictz.h>
#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/ures.h>

#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>

#include "mekong/core/time.h"

namespace mekong {

namespace {

constexpr std::string_view kUtc = "UTC";

// Per-thread caches: ICU formatters must not be shared between threads, and building one costs
// far more than using it. Each map is emptied when it grows past this many entries (any tag or
// zone a caller passes makes an entry, and the caller may be reading them from requests).
constexpr size_t kCacheLimit = 64;

std::string Quoted(std::string_view s) { return "'" + std::string(s.substr(0, 64)) + "'"; }

icu::UnicodeString Unicode(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

Status CheckZoneName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("a time zone name is empty");
  bool area_location = name.find('/') != std::string_view::npos;
  if (!(area_location || name == "UTC" || name == "GMT") || name.starts_with("SystemV/") ||
      name == "Etc/Unknown") {
    return Status::InvalidArgument("not an IANA time zone such as Asia/Ho_Chi_Minh: " +
                                   Quoted(name));
  }
  UErrorCode status = U_ZERO_ERROR;
  UBool system = false;
  icu::UnicodeString canonical;
  icu::TimeZone::getCanonicalID(Unicode(name), canonical, system, status);
  if (U_FAILURE(status) || !system) {
    return Status::InvalidArgument("unknown time zone " + Quoted(name));
  }
  return Status::Ok();
}

// The zone for a name, from this thread's cache; null with `*error` set for a name refused.
const icu::TimeZone* Zone(std::string_view name, Status* error) {
  if (name.empty()) name = kUtc;
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::TimeZone>> zones;
  auto it = zones.find(std::string(name));
  if (it != zones.end()) return it->second.get();
  if (Status s = CheckZoneName(name); !s.ok()) {
    *error = std::move(s);
    return nullptr;
  }
  if (zones.size() >= kCacheLimit) zones.clear();
  auto made = std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(Unicode(name)));
  return zones.emplace(std::string(name), std::move(made)).first->second.get();
}

Result<int64_t> Offset(const icu::TimeZone& tz, int64_t at_ms) {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz.getOffset(static_cast<UDate>(at_ms), false, raw, dst, status);
  if (U_FAILURE(status))
    return Status::Internal(std::string("ICU getOffset: ") + u_errorName(status));
  return int64_t{raw} + dst;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string DateText(int64_t local_ms) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(FloorDiv(local_ms, kMillisPerDay), &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

Result<std::string> DateIn(const icu::TimeZone& tz, int64_t at_ms) {
  ASSIGN_OR_RETURN(int64_t offset, Offset(tz, at_ms));
  return DateText(at_ms + offset);
}

// The locale to format for: the tag's, or English when ICU has no data for it. ICU would
// otherwise fall back to the process's default locale, which depends on the environment.
Result<icu::Locale> FormatLocale(std::string_view tag) {
  if (tag.empty()) return icu::Locale::getEnglish();
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(std::string(tag), status);
  if (U_FAILURE(status) || locale.isBogus() || locale.getLanguage()[0] == '\0') {
    return Status::InvalidArgument("not a BCP 47 language tag such as vi or en-GB: " + Quoted(tag));
  }
  status = U_ZERO_ERROR;
  UResourceBundle* bundle = ures_open(nullptr, locale.getName(), &status);
  ures_close(bundle);
  if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING) return icu::Locale::getEnglish();
  return locale;
}

// True when the pattern writes the month as a word (three or more M or L outside quotes).
bool HasMonthWord(const icu::UnicodeString& pattern) {
  bool quoted = false;
  int run = 0;
  for (int32_t i = 0; i < pattern.length(); ++i) {
    char16_t c = pattern.charAt(i);
    if (c == u'\'') quoted = !quoted;
    if (!quoted && (c == u'M' || c == u'L')) {
      if (++run >= 3) return true;
    } else {
      run = 0;
    }
  }
  return false;
}

enum class Kind { kDate, kDateTime };

Result<const icu::SimpleDateFormat*> Formatter(Kind kind, std::string_view zone,
                                               std::string_view tag) {
  if (zone.empty()) zone = kUtc;
  std::string key =
      std::string(kind == Kind::kDate ? "d|" : "t|") + std::string(zone) + "|" + std::string(tag);
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::SimpleDateFormat>> formats;
  auto it = formats.find(key);
  if (it != formats.end()) return it->second.get();

  Status error;
  const icu::TimeZone* tz = Zone(zone, &error);
  if (!tz) return error;
  ASSIGN_OR_RETURN(icu::Locale locale, FormatLocale(tag));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU DateTimePatternGenerator: ") + u_errorName(status));
  }
  // yMMMd is the abbreviated-month date (CLDR's medium date in most locales); j is the
  // locale's hour cycle, z the short zone name.
  const char16_t* skeleton = kind == Kind::kDate ? u"yMMMd" : u"yMMMdjmz";
  icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
  if (U_SUCCESS(status) && !HasMonthWord(pattern)) {
    pattern = generator->getBestPattern(kind == Kind::kDate ? u"yMMMMd" : u"yMMMMdjmz", status);
  }
  auto format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU SimpleDateFormat: ") + u_errorName(status));
  }
  format->setTimeZone(*tz);
  if (formats.size() >= kCacheLimit) formats.clear();
  return formats.emplace(std::move(key), std::move(format)).first->second.get();
}

Result<std::string> Format(Kind kind, std::string_view zone, std::string_view tag, int64_t at_ms) {
  ASSIGN_OR_RETURN(const icu::SimpleDateFormat* format, Formatter(kind, zone, tag));
  icu::UnicodeString out;
  format->format(static_cast<UDate>(at_ms), out);
  std::string text;
  out.toUTF8String(text);
  return text;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Status ValidateZone(std::string_view name) { return CheckZoneName(name); }

Result<int64_t> UtcOffsetMillis(std::string_view zone, int64_t at_ms) {
  Status error;
  const icu::TimeZone* tz = Zone(zone, &error);
  if (!tz) return error;
  return Offset(*tz, at_ms);
}

Result<std::string> LocalDate(std::string_view zone, int64_t at_ms) {
  Status error;
  const icu::TimeZone* tz = Zone(zone, &error);
  if (!tz) return error;
  return DateIn(*tz, at_ms);
}

Result<int64_t> LocalDayStart(std::string_view zone, std::string_view date) {
  int y = 0, m = 0, d = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !Digits(date, 0, 4, &y) ||
      !Digits(date, 5, 2, &m) || !Digits(date, 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
      DateText(DaysFromCivil(y, m, d) * kMillisPerDay) != date) {  // 2026-02-30 comes back as 03-02
    return Status::InvalidArgument("not a date such as 2026-12-02: " + Quoted(date));
  }
  Status error;
  const icu::TimeZone* tz = Zone(zone, &error);
  if (!tz) return error;
  const int64_t midnight = DaysFromCivil(y, m, d) * kMillisPerDay;  // local midnight, read as UTC
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(tz);
  if (!basic) return midnight - tz->getRawOffset();  // ICU's zones are all BasicTimeZones

  // Midnight as the local time it is; where it is repeated (clocks put back over it), the
  // first; where it is skipped, read with the offset before the change, which lands at or
  // after the change.
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  basic->getOffsetFromLocal(static_cast<UDate>(midnight), UCAL_TZ_LOCAL_FORMER,
                            UCAL_TZ_LOCAL_FORMER, raw, dst, status);
  if (U_FAILURE(status)) {
    return Status::Internal(std::string("ICU getOffsetFromLocal: ") + u_errorName(status));
  }
  int64_t start = midnight - raw - dst;
  // Skipped midnight: the day began at the change itself, when the clocks jumped into it.
  ASSIGN_OR_RETURN(std::string before, DateIn(*tz, start - 1));
  if (before == date) {
    icu::TimeZoneTransition change;
    if (basic->getPreviousTransition(static_cast<UDate>(start), true, change)) {
      auto at = static_cast<int64_t>(change.getTime());
      ASSIGN_OR_RETURN(std::string then, DateIn(*tz, at));
      if (then == date) start = at;
    }
  }
  return start;
}

Result<std::string> FormatCurrency(std::string_view tag, const Money& amount) {
  ASSIGN_OR_RETURN(int digits, MinorUnitDigits(amount.currency));
  std::string key = amount.currency + "|" + std::string(tag);
  thread_local std::unordered_map<std::string, icu::number::LocalizedNumberFormatter> formats;
  auto it = formats.find(key);
  if (it == formats.end()) {
    ASSIGN_OR_RETURN(icu::Locale locale, FormatLocale(tag));
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString code = Unicode(amount.currency);
    icu::CurrencyUnit unit(code.getBuffer(), status);
    if (U_FAILURE(status))
      return Status::Internal(std::string("ICU CurrencyUnit: ") + u_errorName(status));
    if (formats.size() >= kCacheLimit) formats.clear();
    it = formats
             .emplace(std::move(key),
                      icu::number::NumberFormatter::withLocale(locale).unit(unit).precision(
                          icu::number::Precision::fixedFraction(digits)))
             .first;
  }
  UErrorCode status = U_ZERO_ERROR;
  const std::string decimal = FormatAmount(amount);
  icu::number::FormattedNumber formatted = it->second.formatDecimal(
      icu::StringPiece(decimal.data(), static_cast<int32_t>(decimal.size())), status);
  icu::UnicodeString out = formatted.toString(status);
  if (U_FAILURE(status))
    return Status::Internal(std::string("ICU number format: ") + u_errorName(status));
  std::string text;
  out.toUTF8String(text);
  return text;
}

Result<std::string> FormatDate(std::string_view zone, std::string_view locale, int64_t at_ms) {
  return Format(Kind::kDate, zone, locale, at_ms);
}

Result<std::string> FormatDateTime(std::string_view zone, std::string_view locale, int64_t at_ms) {
  return Format(Kind::kDateTime, zone, locale, at_ms);
}

}  // namespace mekong
