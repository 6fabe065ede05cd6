// Time zones and locale formatting (zone.h): offsets of the region's zones, local dates and
// day boundaries (across daylight saving changes), names refused, and dates as readers read
// them.
#include "mekong/core/zone.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "mekong/core/time.h"

namespace mekong {
namespace {

int64_t At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// The fever: 02:21 on 2 December in Vietnam, 19:21 on 1 December in UTC.
const int64_t kFever = At("2026-12-02T02:21:00+07:00");

TEST(Zone, OffsetsOfTheRegion) {
  struct Row {
    const char* zone;
    int64_t minutes;
  };
  const Row rows[] = {
      {"Asia/Ho_Chi_Minh", 7 * 60},
      {"Asia/Shanghai", 8 * 60},
      {"Asia/Yangon", 6 * 60 + 30},
      {"Asia/Jakarta", 7 * 60},
      {"Asia/Makassar", 8 * 60},
      {"Asia/Jayapura", 9 * 60},
      {"Asia/Bangkok", 7 * 60},
      {"Asia/Manila", 8 * 60},
      {"Asia/Kuala_Lumpur", 8 * 60},
      {"Asia/Singapore", 8 * 60},
      {"Asia/Phnom_Penh", 7 * 60},
      {"Asia/Vientiane", 7 * 60},
      {"Asia/Dili", 9 * 60},
      {"Asia/Tokyo", 9 * 60},
      {"Asia/Seoul", 9 * 60},
      {"Europe/Berlin", 60},
      {"America/New_York", -5 * 60},
      {"UTC", 0},
      {"Etc/UTC", 0},
      {"GMT", 0},
      {"", 0},
  };
  for (const auto& row : rows) {
    auto offset = UtcOffsetMillis(row.zone, kFever);
    ASSERT_TRUE(offset.ok()) << row.zone << ": " << offset.status().ToString();
    EXPECT_EQ(*offset, row.minutes * kMillisPerMinute) << row.zone;
    EXPECT_TRUE(row.zone[0] == '\0' || ValidateZone(row.zone).ok()) << row.zone;
  }
  EXPECT_EQ(*UtcOffsetMillis("Asia/Yangon", kFever), 23'400'000);  // +6:30
  // Summer time: Berlin is +2 in July, New York -4.
  EXPECT_EQ(*UtcOffsetMillis("Europe/Berlin", At("2026-07-01T12:00:00Z")), 2 * kMillisPerHour);
  EXPECT_EQ(*UtcOffsetMillis("America/New_York", At("2026-07-01T12:00:00Z")), -4 * kMillisPerHour);
  // IANA's older names for the same zones.
  EXPECT_EQ(*UtcOffsetMillis("Asia/Saigon", kFever), 7 * kMillisPerHour);
  EXPECT_EQ(*UtcOffsetMillis("Asia/Rangoon", kFever), 23'400'000);
}

TEST(Zone, LocalDateIsTheReadersDay) {
  EXPECT_EQ(*LocalDate("Asia/Ho_Chi_Minh", kFever), "2026-12-02");
  EXPECT_EQ(*LocalDate("UTC", kFever), "2026-12-01");
  EXPECT_EQ(*LocalDate("", kFever), "2026-12-01");
  EXPECT_EQ(*LocalDate("Asia/Jayapura", At("2026-12-01T15:00:00Z")), "2026-12-02");
  EXPECT_EQ(*LocalDate("Asia/Jakarta", At("2026-12-01T15:00:00Z")), "2026-12-01");
  // Yangon's day turns at 17:30 UTC.
  EXPECT_EQ(*LocalDate("Asia/Yangon", At("2026-12-01T17:30:00Z")), "2026-12-02");
  EXPECT_EQ(*LocalDate("Asia/Yangon", At("2026-12-01T17:30:00Z") - 1), "2026-12-01");
  EXPECT_EQ(*LocalDate("America/New_York", At("2026-12-02T04:59:59Z")), "2026-12-01");
  EXPECT_EQ(*LocalDate("UTC", -1), "1969-12-31");
}

TEST(Zone, LocalDayStart) {
  // A Vietnamese day starts at 17:00 UTC the day before; Yangon's at 17:30.
  EXPECT_EQ(*LocalDayStart("Asia/Ho_Chi_Minh", "2026-12-02"), At("2026-12-01T17:00:00Z"));
  EXPECT_EQ(*LocalDayStart("Asia/Yangon", "2026-12-02"), At("2026-12-01T17:30:00Z"));
  EXPECT_EQ(*LocalDayStart("Asia/Jayapura", "2026-12-02"), At("2026-12-01T15:00:00Z"));
  EXPECT_EQ(*LocalDayStart("", "2026-12-02"), At("2026-12-02T00:00:00Z"));
  EXPECT_EQ(*LocalDayStart("UTC", "2024-02-29"), At("2024-02-29T00:00:00Z"));
  // The fever happened on the Vietnamese 2 December.
  const int64_t day = *LocalDayStart("Asia/Ho_Chi_Minh", "2026-12-02");
  EXPECT_GE(kFever, day);
  EXPECT_LT(kFever, *LocalDayStart("Asia/Ho_Chi_Minh", "2026-12-03"));
}

TEST(Zone, DaylightSavingBoundaries) {
  // Berlin springs forward on 29 March 2026 (02:00 -> 03:00): a 23-hour day.
  const int64_t spring = *LocalDayStart("Europe/Berlin", "2026-03-29");
  EXPECT_EQ(spring, At("2026-03-28T23:00:00Z"));
  EXPECT_EQ(*LocalDayStart("Europe/Berlin", "2026-03-30") - spring, 23 * kMillisPerHour);
  // ...and falls back on 25 October (03:00 -> 02:00): a 25-hour day.
  const int64_t autumn = *LocalDayStart("Europe/Berlin", "2026-10-25");
  EXPECT_EQ(autumn, At("2026-10-24T22:00:00Z"));
  EXPECT_EQ(*LocalDayStart("Europe/Berlin", "2026-10-26") - autumn, 25 * kMillisPerHour);
  EXPECT_EQ(*UtcOffsetMillis("Europe/Berlin", At("2026-03-29T00:59:59Z")), kMillisPerHour);
  EXPECT_EQ(*UtcOffsetMillis("Europe/Berlin", At("2026-03-29T01:00:00Z")), 2 * kMillisPerHour);
  // New York, 8 March 2026.
  EXPECT_EQ(*LocalDayStart("America/New_York", "2026-03-08"), At("2026-03-08T05:00:00Z"));
  EXPECT_EQ(*LocalDayStart("America/New_York", "2026-03-09"), At("2026-03-09T04:00:00Z"));
  // Cuba moves its clocks at midnight: on 8 March 2026 local midnight never happens, and the
  // day starts at 01:00 daylight time, 05:00 UTC.
  EXPECT_EQ(*LocalDayStart("America/Havana", "2026-03-08"), At("2026-03-08T05:00:00Z"));
  EXPECT_EQ(*LocalDayStart("America/Havana", "2026-03-09"), At("2026-03-09T04:00:00Z"));

  // Every day of two years in each zone: its start is on the day, the instant before is not.
  for (const char* zone : {"Europe/Berlin", "America/New_York", "America/Havana", "Asia/Yangon",
                           "Asia/Ho_Chi_Minh", "America/Santiago", "Australia/Lord_Howe"}) {
    for (int64_t days = DaysFromCivil(2025, 1, 1); days < DaysFromCivil(2027, 1, 1); ++days) {
      const std::string date = *LocalDate("UTC", days * kMillisPerDay);
      auto start = LocalDayStart(zone, date);
      ASSERT_TRUE(start.ok()) << zone << " " << date;
      EXPECT_EQ(*LocalDate(zone, *start), date) << zone;
      EXPECT_NE(*LocalDate(zone, *start - 1), date) << zone;
    }
  }
}

TEST(Zone, RefusesWhatIsNotAnIanaZone) {
  for (const char* name :
       {"", "Mars/Olympus_Mons", "Asia/Hanoi", "asia/ho_chi_minh", "Asia/Ho_Chi_Minh ", "GMT+07:00",
        "GMT+7", "UTC+7", "VST", "IST", "BST", "Etc/Unknown", "SystemV/EST5", "+07:00", "Asia/"}) {
    Status s = ValidateZone(name);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << "'" << name << "'";
    if (name[0] == '\0') continue;  // empty means UTC below
    // ICU alone would read these as GMT; here they are errors.
    EXPECT_FALSE(UtcOffsetMillis(name, kFever).ok()) << name;
    EXPECT_FALSE(LocalDate(name, kFever).ok()) << name;
    EXPECT_FALSE(LocalDayStart(name, "2026-12-02").ok()) << name;
    EXPECT_FALSE(FormatDate(name, "en", kFever).ok()) << name;
    EXPECT_FALSE(FormatDateTime(name, "en", kFever).ok()) << name;
  }
  EXPECT_NE(ValidateZone("Mars/Olympus_Mons").message().find("Mars/Olympus_Mons"),
            std::string::npos);
  for (const char* name : {"UTC", "GMT", "Etc/UTC", "Asia/Saigon", "Asia/Ho_Chi_Minh"}) {
    EXPECT_TRUE(ValidateZone(name).ok()) << name;
  }
  for (const char* date : {"2026-02-29", "2026-13-01", "2026-12-32", "2026-12-2", "2026/12/02",
                           "2026-12-02T00:00", "", "20261202"}) {
    EXPECT_EQ(LocalDayStart("Asia/Ho_Chi_Minh", date).status().code(), Code::kInvalidArgument)
        << date;
  }
}

TEST(Zone, FormatsDatesAsReadersReadThem) {
  const char* vn = "Asia/Ho_Chi_Minh";
  EXPECT_EQ(*FormatDate(vn, "en", kFever), "Dec 2, 2026");
  EXPECT_EQ(*FormatDate("", "en", kFever), "Dec 1, 2026");  // UTC: the day before
  EXPECT_EQ(*FormatDate(vn, "en-GB", kFever), "2 Dec 2026");
  EXPECT_EQ(*FormatDate(vn, "vi", kFever), "2 thg 12, 2026");
  EXPECT_EQ(*FormatDate(vn, "vi-VN", kFever), "2 thg 12, 2026");
  EXPECT_EQ(*FormatDate(vn, "zh", kFever), "2026年12月2日");
  EXPECT_EQ(*FormatDate(vn, "ja", kFever), "2026年12月2日");  // not the numeric 2026/12/02
  EXPECT_EQ(*FormatDate(vn, "ko", kFever), "2026년 12월 2일");
  EXPECT_EQ(*FormatDate(vn, "id", kFever), "2 Des 2026");
  EXPECT_EQ(*FormatDate(vn, "pt", kFever), "2 de dez. de 2026");
  EXPECT_EQ(*FormatDate(vn, "th", kFever), "2 ธ.ค. 2569");  // the Buddhist year, as Thai reads it
  // pt-PT's abbreviated date is numeric (2/12/2026): the month is written out instead.
  EXPECT_EQ(*FormatDate(vn, "pt-PT", kFever), "2 de dezembro de 2026");
  // No ICU data for Tetum, nor for a made-up language: English, not the process's locale.
  EXPECT_EQ(*FormatDate(vn, "tet", kFever), "Dec 2, 2026");
  EXPECT_EQ(*FormatDate(vn, "xx", kFever), "Dec 2, 2026");
  EXPECT_EQ(*FormatDate(vn, "", kFever), "Dec 2, 2026");
  EXPECT_EQ(FormatDate(vn, "vi_VN!", kFever).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(FormatDate(vn, "--", kFever).status().code(), Code::kInvalidArgument);

  // With the time: the zone's short name or its offset.
  auto en = FormatDateTime(vn, "en", kFever);
  ASSERT_TRUE(en.ok()) << en.status().ToString();
  EXPECT_EQ(en->rfind("Dec 2, 2026", 0), 0u) << *en;
  EXPECT_NE(en->find("2:21"), std::string::npos) << *en;
  EXPECT_NE(en->find("GMT+7"), std::string::npos) << *en;
  auto vi = FormatDateTime(vn, "vi", kFever);
  EXPECT_NE(vi->find("02:21"), std::string::npos) << *vi;
  EXPECT_NE(vi->find("2 thg 12, 2026"), std::string::npos) << *vi;
  EXPECT_NE(FormatDateTime("Asia/Yangon", "en", kFever)->find("GMT+6:30"), std::string::npos);
  EXPECT_NE(FormatDateTime("", "en", kFever)->find("7:21"), std::string::npos);
  auto berlin = FormatDateTime("Europe/Berlin", "de", At("2026-07-01T12:00:00Z"));
  EXPECT_NE(berlin->find("14:00"), std::string::npos) << *berlin;
  EXPECT_NE(berlin->find("MESZ"), std::string::npos)
      << *berlin;  // German's summer-time abbreviation
}

TEST(Zone, AmountsAsReadersWriteThem) {
  // Locales put a no-break space between amount and symbol: compare with plain spaces.
  auto plain = [](std::string s) {
    for (size_t at; (at = s.find("\u00a0")) != std::string::npos;) s.replace(at, 2, " ");
    for (size_t at; (at = s.find("\u202f")) != std::string::npos;) s.replace(at, 3, " ");
    return s;
  };
  EXPECT_EQ(plain(*FormatCurrency("vi", {"VND", 1670313})), "1.670.313 ₫");
  EXPECT_EQ(plain(*FormatCurrency("vi", {"CNY", 47550})), "475,50 CN¥");
  EXPECT_EQ(plain(*FormatCurrency("zh", {"CNY", 47550})), "¥475.50");
  EXPECT_EQ(plain(*FormatCurrency("en", {"VND", 1670313})), "₫1,670,313");
  // ISO 4217 digits, not the locale's cash rounding: IDR keeps its two.
  EXPECT_EQ(plain(*FormatCurrency("id", {"IDR", 123400})), "Rp 1.234,00");
  // Burmese writes Myanmar digits; negative amounts keep their sign.
  EXPECT_EQ(plain(*FormatCurrency("my", {"VND", 1670313})), "၁,၆၇၀,၃၁၃ ₫");
  EXPECT_NE(FormatCurrency("en", {"USD", -1205})->find("12.05"), std::string::npos);
  // A language ICU has no data for is English; an unknown currency is refused by name.
  EXPECT_EQ(*FormatCurrency("tet", {"CNY", 47550}), *FormatCurrency("en", {"CNY", 47550}));
  auto unknown = FormatCurrency("vi", {"XYZ", 1});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "currency");
}

TEST(Zone, SafeFromManyThreads) {
  struct Case {
    const char* zone;
    const char* locale;
  };
  const Case cases[] = {{"Asia/Ho_Chi_Minh", "vi"}, {"Asia/Shanghai", "zh"}, {"Asia/Yangon", "my"},
                        {"Asia/Jakarta", "id"},     {"Europe/Berlin", "de"}, {"", "en"}};
  std::vector<std::string> expected;
  for (const auto& c : cases) expected.push_back(*FormatDateTime(c.zone, c.locale, kFever));
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        size_t k = (i + t) % std::size(cases);
        if (*FormatDateTime(cases[k].zone, cases[k].locale, kFever) != expected[k]) ++wrong[t];
        if (*LocalDayStart(cases[k].zone, "2026-12-02") > kFever + kMillisPerDay) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace mekong
