#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "mekong/core/config.h"
#include "mekong/core/crypto.h"
#include "mekong/core/ids.h"
#include "mekong/core/json.h"
#include "mekong/core/money.h"
#include "mekong/core/status.h"
#include "mekong/core/text.h"
#include "mekong/core/time.h"

namespace mekong {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd", "x");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Status, CarriesCodeMessageAndField) {
  Status s = Status::InvalidArgument("bad", "time_in");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.field(), "time_in");
  EXPECT_EQ(s.ToString(), "invalid_argument: bad (field: time_in)");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "x");
  Result<int> from_ok = Status::Ok();  // a bug in the caller, turned into an error not a crash
  EXPECT_EQ(from_ok.status().code(), Code::kInternal);
}

// The status of a temporary outlives it: RETURN_IF_ERROR(f().status()) returns this.
Status FromTemporary() {
  RETURN_IF_ERROR(Quarter(6).status());
  return Status::Ok();
}

TEST(Result, StatusOfATemporaryIsACopy) {
  Status s = FromTemporary();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.field(), "x");
  EXPECT_FALSE(s.message().empty());
}

TEST(Ids, AreDistinctTypes) {
  PersonId p(3);
  EXPECT_TRUE(p.valid());
  EXPECT_FALSE(PersonId().valid());
  static_assert(!std::is_convertible_v<PersonId, VenueId>);
}

TEST(Time, ParsesOffsetsAndFormatsUtc) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2026-11-23T08:00:00+07:00"), *ParseRfc3339("2026-11-23T01:00:00Z"));
  EXPECT_EQ(*ParseRfc3339("2026-11-23T01:00:00.250Z") - *ParseRfc3339("2026-11-23T01:00:00Z"), 250);
  EXPECT_EQ(*ParseRfc3339("2026-11-22T18:30:00-06:30"), *ParseRfc3339("2026-11-23T01:00:00Z"));
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2024-02-29T23:59:59+00:00")), "2024-02-29T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(1500), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(FormatRfc3339(-1000), "1969-12-31T23:59:59Z");
  for (const char* bad : {"", "2026-11-23", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2026-11-23T01:00:00", "2026-11-23T01:00:00+7", "2026-11-23T25:00:00Z",
                          "2026-11-23T01:00:00Zjunk", "2026-11-23T01:00:00.Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(Time, CivilRoundTrip) {
  for (int64_t d = -800000; d < 800000; d += 997) {
    int64_t y;
    unsigned m, day;
    CivilFromDays(d, &y, &m, &day);
    EXPECT_EQ(DaysFromCivil(y, m, day), d);
  }
}

TEST(Time, FixedClockMovesOnlyWhenTold) {
  FixedClock c(1000);
  EXPECT_EQ(c.NowMillis(), 1000);
  c.Advance(kMillisPerMinute);
  EXPECT_EQ(c.NowMillis(), 61000);
}

TEST(Money, MinorUnitsFollowIso4217) {
  EXPECT_EQ(*MinorUnitDigits("VND"), 0);
  EXPECT_EQ(*MinorUnitDigits("MYR"), 2);
  EXPECT_FALSE(MinorUnitDigits("XXX").ok());
  EXPECT_EQ(*ParseMoney("MYR", "12.5"), (Money{"MYR", 1250}));
  EXPECT_EQ(*ParseMoney("VND", "150000"), (Money{"VND", 150000}));
  EXPECT_FALSE(ParseMoney("VND", "1.5").ok());
  EXPECT_FALSE(ParseMoney("MYR", "1.234").ok());
  EXPECT_FALSE(ParseMoney("MYR", "1.").ok());
  EXPECT_FALSE(ParseMoney("MYR", "abc").ok());
  EXPECT_EQ(FormatMoney({"MYR", -1205}), "-12.05 MYR");
  EXPECT_EQ(FormatMoney({"VND", 150000}), "150000 VND");
  EXPECT_EQ(FormatAmount({"MYR", -1205}), "-12.05");
  EXPECT_EQ(FormatAmount({"CNY", 5}), "0.05");
  EXPECT_EQ(FormatAmount({"VND", 1670313}), "1670313");
  EXPECT_EQ(*ParseMoney("CNY", FormatAmount({"CNY", 47550})), (Money{"CNY", 47550}));
}

TEST(Money, AllocateKeepsTheTotal) {
  auto parts = Allocate({"THB", 1000}, 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].minor, 334);
  EXPECT_EQ(parts[1].minor, 333);
  EXPECT_EQ(parts[2].minor, 333);
  auto neg = Allocate({"THB", -1000}, 3);
  EXPECT_EQ(neg[0].minor + neg[1].minor + neg[2].minor, -1000);
}

TEST(Money, ParseRefusesWhatTheCurrencyCannotHold) {
  EXPECT_EQ(ParseMoney("VND", "1.5").status().field(), "amount");
  EXPECT_EQ(ParseMoney("XYZ", "1").status().field(), "currency");
  EXPECT_FALSE(ParseMoney("MYR", ".5").ok());
  EXPECT_FALSE(ParseMoney("MYR", "-").ok());
  EXPECT_FALSE(ParseMoney("MYR", "1.2.3").ok());
  EXPECT_FALSE(ParseMoney("VND", "99999999999999999999").ok());
  EXPECT_EQ(*ParseMoney("VND", "9223372036854775807"), (Money{"VND", INT64_MAX}));
  EXPECT_FALSE(ParseMoney("MYR", "92233720368547758.08").ok());
  EXPECT_EQ(*ParseMoney("CNY", "-0.05"), (Money{"CNY", -5}));
  EXPECT_FALSE(AddMoney({"VND", 1}, {"CNY", 1}).ok());
  EXPECT_FALSE(AddMoney({"VND", INT64_MAX}, {"VND", 1}).ok());
  EXPECT_EQ(*SubtractMoney({"VND", 5}, {"VND", 7}), (Money{"VND", -2}));
}

TEST(Money, RatesAreExactDecimals) {
  auto r = ParseRate("CNY", "VND", "3512.75");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->units, 351275);
  EXPECT_EQ(r->scale, 2);
  EXPECT_EQ(FormatRate(*r), "3512.75");
  EXPECT_EQ(FormatRate(*ParseRate("VND", "CNY", "0.000284")), "0.000284");
  EXPECT_EQ(ParseRate("CNY", "XXX", "1").status().field(), "to");
  EXPECT_EQ(ParseRate("CNY", "VND", "0").status().field(), "rate");
  EXPECT_EQ(ParseRate("CNY", "VND", "-1").status().field(), "rate");
  EXPECT_EQ(ParseRate("CNY", "VND", "1e3").status().field(), "rate");
  EXPECT_FALSE(ParseRate("CNY", "VND", "1.0000000000001").ok());  // 13 places
  EXPECT_FALSE(ParseRate("CNY", "CNY", "1").ok());
}

TEST(Money, ConvertRoundsHalfToEven) {
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(5, 2)), 2);
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(7, 2)), 4);
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(-5, 2)), -2);
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(-7, 2)), -4);
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(26, 10)), 3);
  EXPECT_EQ(static_cast<int64_t>(DivideHalfEven(24, 10)), 2);
  // 250.00 CNY at 3512.75 VND = 878187.5 VND -> 878188 (8 is even).
  auto rate = *ParseRate("CNY", "VND", "3512.75");
  EXPECT_EQ(*Convert({"CNY", 25000}, rate), (Money{"VND", 878188}));
  // 0.50 CNY = 1756.375 VND -> 1756.
  EXPECT_EQ(*Convert({"CNY", 50}, rate), (Money{"VND", 1756}));
  // 100000 VND at 0.000284 CNY = 28.40 CNY exactly; 1 VND = 0.000284 CNY -> 0.00.
  auto back = *ParseRate("VND", "CNY", "0.000284");
  EXPECT_EQ(*Convert({"VND", 100000}, back), (Money{"CNY", 2840}));
  EXPECT_EQ(*Convert({"VND", 1}, back), (Money{"CNY", 0}));
  // Exactly half a fen: 0.5 fen -> 0 (even); 1.5 fen -> 2.
  auto half = *ParseRate("VND", "CNY", "0.005");
  EXPECT_EQ(*Convert({"VND", 1}, half), (Money{"CNY", 0}));
  EXPECT_EQ(*Convert({"VND", 3}, half), (Money{"CNY", 2}));
  EXPECT_EQ(Convert({"THB", 1}, rate).status().field(), "currency");
  EXPECT_FALSE(Convert({"CNY", INT64_MAX}, rate).ok());
}

TEST(Money, AllocateByWeightsGivesTheRemainderToTheLargestRests) {
  const int64_t w[] = {1, 1, 1};
  auto parts = *AllocateByWeights({"VND", 100}, w);
  EXPECT_EQ(parts[0].minor + parts[1].minor + parts[2].minor, 100);
  EXPECT_EQ(parts[0].minor, 34);
  const int64_t w2[] = {50000, 30000, 20000};
  auto p2 = *AllocateByWeights({"VND", 878188}, w2);
  EXPECT_EQ(p2[0].minor, 439094);
  EXPECT_EQ(p2[1].minor, 263456);  // 263456.4
  EXPECT_EQ(p2[2].minor, 175638);  // 175637.6 gets the unit left over
  auto neg = *AllocateByWeights({"VND", -100}, w);
  EXPECT_EQ(neg[0].minor + neg[1].minor + neg[2].minor, -100);
  const int64_t zero[] = {0, 0};
  EXPECT_EQ(AllocateByWeights({"VND", 1}, zero).status().field(), "weights");
  const int64_t bad[] = {1, -1};
  EXPECT_EQ(AllocateByWeights({"VND", 1}, bad).status().field(), "weights[1]");
}

// Many random amounts, currencies and rates (a fixed seed): converting a total and allocating
// it over lines never creates or loses a minor unit, and rounding is within half a unit.
TEST(Money, PropertyConversionAndAllocationConserveMinorUnits) {
  std::mt19937_64 rng(20260315);
  int converted_count = 0, overflowed = 0;
  const char* codes[] = {"CNY", "VND", "THB", "MYR", "IDR", "PHP",
                         "SGD", "LAK", "KHR", "MMK", "BND", "USD"};
  for (int i = 0; i < 20000; ++i) {
    std::string from = codes[rng() % 12], to = codes[rng() % 12];
    if (from == to) continue;
    const int scale = static_cast<int>(rng() % 9);
    const int64_t units = 1 + static_cast<int64_t>(rng() % 100'000'000);
    std::string text = std::to_string(units);
    if (scale > 0) {
      if (text.size() <= static_cast<size_t>(scale)) text.insert(0, scale + 1 - text.size(), '0');
      text.insert(text.size() - scale, ".");
    }
    auto rate = ParseRate(from, to, text);
    ASSERT_TRUE(rate.ok()) << text << ": " << rate.status().ToString();
    const int lines = 1 + static_cast<int>(rng() % 6);
    std::vector<int64_t> amounts;
    int64_t total = 0;
    for (int l = 0; l < lines; ++l) {
      amounts.push_back(static_cast<int64_t>(rng() % 1'000'000'000));
      total += amounts.back();
    }
    if (total == 0) continue;
    auto converted = Convert({from, total}, *rate);
    const int fd = *MinorUnitDigits(from), td = *MinorUnitDigits(to);
    __int128 den = 1;
    for (int k = 0; k < fd + rate->scale; ++k) den *= 10;
    __int128 exact = static_cast<__int128>(total) * rate->units;
    for (int k = 0; k < td; ++k) exact *= 10;
    if (!converted.ok()) {  // refused only when the result cannot be held
      ASSERT_GT(exact / den, static_cast<__int128>(INT64_MAX) - 1) << converted.status().ToString();
      ++overflowed;
      continue;
    }
    ++converted_count;
    // Within half a minor unit of the exact value.
    __int128 err = static_cast<__int128>(converted->minor) * den - exact;
    if (err < 0) err = -err;
    ASSERT_LE(err * 2, den) << total << " " << from << " at " << text;
    auto parts = AllocateByWeights(*converted, amounts);
    ASSERT_TRUE(parts.ok());
    int64_t sum = 0;
    for (const Money& m : *parts) {
      EXPECT_EQ(m.currency, to);
      sum += m.minor;
    }
    ASSERT_EQ(sum, converted->minor);
    // Equal split too.
    int64_t even = 0;
    for (const Money& m : Allocate(*converted, lines)) even += m.minor;
    ASSERT_EQ(even, converted->minor);
  }
  EXPECT_GT(converted_count, 15000);
  EXPECT_LT(overflowed, 1000);
}

TEST(Crypto, HashesAndEncodings) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*HexDecode("0aFF"), std::string("\x0a\xff", 2));
  EXPECT_FALSE(HexDecode("0g").ok());
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(RandomToken().size(), 43u);
}

TEST(Crypto, PasswordsUseArgon2id) {
  auto h = HashPassword("correct horse");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horsE"));
}

TEST(Config, FileThenEnvironment) {
  std::string path = ::testing::TempDir() + "/mekong_config_test.toml";
  std::ofstream(path) << "[server]\nport = 9000\nthreads = 3\n[tracing]\nmax_stay_hours = 10\n";
  std::map<std::string, std::string> env = {{"MEKONG_PORT", "9100"},
                                            {"MEKONG_DB", "postgresql://x"}};
  auto getenv = [&](const char* k) -> const char* {
    auto it = env.find(k);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto c = Config::Load(path, getenv);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->port, 9100);
  EXPECT_EQ(c->threads, 3);
  EXPECT_EQ(c->max_stay_hours, 10);
  EXPECT_EQ(c->db, "postgresql://x");
  EXPECT_EQ(c->retention_days, 28);
}

TEST(Config, RejectsUnknownKeysWrongTypesAndRanges) {
  auto none = [](const char*) -> const char* { return nullptr; };
  std::string path = ::testing::TempDir() + "/mekong_config_bad.toml";
  std::ofstream(path) << "[tracing]\nmax_stay_hour = 10\n";
  auto c = Config::Load(path, none);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "tracing.max_stay_hour");

  std::ofstream(path, std::ios::trunc) << "[server]\nport = \"80\"\n";
  EXPECT_EQ(Config::Load(path, none).status().field(), "server.port");

  std::ofstream(path, std::ios::trunc) << "[server]\nport = 70000\n";
  EXPECT_EQ(Config::Load(path, none).status().field(), "server.port");

  std::ofstream(path, std::ios::trunc) << "[video]\nurl_template = \"http://meet/{room}\"\n";
  EXPECT_EQ(Config::Load(path, none).status().field(), "video.url_template");
  std::ofstream(path, std::ios::trunc) << "[video]\nurl_template = \"https://meet/fixed\"\n";
  EXPECT_EQ(Config::Load(path, none).status().field(), "video.url_template");

  std::ofstream(path, std::ios::trunc) << "[server\nport = 1\n";
  auto parse = Config::Load(path, none);
  ASSERT_FALSE(parse.ok());
  EXPECT_NE(parse.status().message().find(":1:"), std::string::npos) << parse.status().message();

  auto env = [](const char* k) -> const char* {
    return std::string(k) == "MEKONG_PORT" ? "eighty" : nullptr;
  };
  EXPECT_EQ(Config::Load("", env).status().field(), "MEKONG_PORT");
}

TEST(Text, ReplaceAll) {
  EXPECT_EQ(ReplaceAll("https://m/{room}/{room}", "{room}", "ab"), "https://m/ab/ab");
  EXPECT_EQ(ReplaceAll("{a}", "{a}", "{a}{a}"), "{a}{a}") << "a value is not replaced again";
  EXPECT_EQ(ReplaceAll("x", "", "y"), "x");
}

TEST(Text, Utf8) {
  EXPECT_TRUE(ValidUtf8("Hạ Long 下龙 ហ៊ា"));
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_FALSE(ValidUtf8("\xff"));
  EXPECT_FALSE(ValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(ValidUtf8("\xc0\xaf"));          // overlong "/"
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(ValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Text, ControlCharacters) {
  EXPECT_FALSE(HasControlCharacter("plain text"));
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacter("a\nb"));
  EXPECT_FALSE(HasControlCharacter("a\nb\tc", /*allow_newlines=*/true));
  EXPECT_TRUE(HasControlCharacter("a\x1b[31m", true));
  EXPECT_TRUE(HasControlCharacter("\x7f"));
}

TEST(Text, CheckTextNamesTheFieldAndTheReason) {
  EXPECT_TRUE(CheckText("Bãi Cháy", "name", 200, true).ok());
  EXPECT_TRUE(CheckText("", "note", 10, false).ok());
  auto empty = CheckText("", "name", 200, true);
  EXPECT_EQ(empty.field(), "name");
  EXPECT_EQ(empty.message(), "is required");
  EXPECT_EQ(CheckText("abcdef", "lot", 5, false).message(), "is longer than 5 bytes");
  EXPECT_EQ(CheckText("\xc3\x28", "name", 200, true).message(), "is not UTF-8");
  EXPECT_EQ(CheckText("line\nbreak", "title", 200, true).message(), "holds a control character");
  EXPECT_TRUE(CheckText("line\nbreak", "body", 200, true, /*multiline=*/true).ok());
  EXPECT_EQ(CheckText("   ", "name", 200, true).message(), "is required");
  EXPECT_TRUE(CheckText("   ", "note", 200, false).ok());
}

TEST(Text, TrimmedDropsBlanksAtTheEnds) {
  EXPECT_EQ(Trimmed("  Bãi Cháy \t\n"), "Bãi Cháy");
  EXPECT_EQ(Trimmed(" \r\n "), "");
  EXPECT_EQ(Trimmed("a b"), "a b");
  EXPECT_EQ(Trimmed(""), "");
}

TEST(Json, NestingIsBoundedBeforeParsing) {
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":"[[[["}]})"), 3);
  EXPECT_EQ(JsonNestingDepth(R"(["\"[[["])"), 1);  // an escaped quote does not end the string
  std::string deep(75000, '[');
  EXPECT_GT(JsonNestingDepth(deep, 64), 64);
  auto r = ParseJson("{\"checkins\":" + deep + std::string(75000, ']') + "}", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "body");
  EXPECT_NE(r.status().message().find("deeper than 64"), std::string::npos);
  EXPECT_TRUE(ParseJson(std::string(64, '[') + std::string(64, ']')).ok());
}

TEST(Json, RefusesDuplicateKeysAndBadUtf8) {
  auto dup = ParseJson(R"({"username":"a","password":"wrong","password":"right"})");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("password"), std::string::npos);
  EXPECT_FALSE(ParseJson(R"({"a":{"x":1,"x":2}})").ok());
  EXPECT_TRUE(ParseJson(R"([{"x":1},{"x":2}])").ok());  // the same key in two objects is fine
  EXPECT_FALSE(ParseJson("{\"name\":\"\xff\"}").ok());
  EXPECT_FALSE(ParseJson("{").ok());
}

}  // namespace
}  // namespace mekong
