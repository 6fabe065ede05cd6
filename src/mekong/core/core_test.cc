#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "mekong/core/config.h"
#include "mekong/core/crypto.h"
#include "mekong/core/ids.h"
#include "mekong/core/money.h"
#include "mekong/core/status.h"
#include "mekong/core/json.h"
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

TEST(Crypto, HashesAndEncodings) {
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
  std::map<std::string, std::string> env = {{"MEKONG_PORT", "9100"}, {"MEKONG_DB", "postgresql://x"}};
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

  std::ofstream(path, std::ios::trunc) << "[server\nport = 1\n";
  auto parse = Config::Load(path, none);
  ASSERT_FALSE(parse.ok());
  EXPECT_NE(parse.status().message().find(":1:"), std::string::npos) << parse.status().message();

  auto env = [](const char* k) -> const char* { return std::string(k) == "MEKONG_PORT" ? "eighty" : nullptr; };
  EXPECT_EQ(Config::Load("", env).status().field(), "MEKONG_PORT");
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
