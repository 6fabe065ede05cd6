// The policy file and the rule engine: every rule, every way a reason ends, and the transitions
// between colours, as one table; then parsing, errors by line, and the translations.
#include "mekong/healthcode/policy.h"

#include <gtest/gtest.h>

#include <set>

#include "mekong/core/time.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"

namespace mekong::healthcode {
namespace {

constexpr int64_t kDay = kMillisPerDay;
const int64_t kT = *ParseRfc3339("2026-11-01T08:00:00Z");  // every event happens at kT

Policy Default() {
  auto p = ParsePolicy(DefaultPolicyText(), nullptr);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

TestFact Negative(int64_t sampled, int64_t reported) { return {90, false, sampled, reported}; }

struct Row {
  const char* name;
  Facts facts;
  int64_t at;  // evaluated at kT + at
  Colour colour;
  std::optional<int64_t> green_at;  // relative to kT; nullopt: no green date
  std::vector<RuleKind> rules;      // the reasons in force, most severe first
};

TEST(Evaluate, EveryRuleAndTransition) {
  const Policy p = Default();
  Facts contact;
  contact.exposures = {{1, 1, kT - 2 * kDay, kT, 60}};
  Facts hop2;
  hop2.exposures = {{1, 2, kT, kT, 20}};
  Facts fever;
  fever.fevers = {{9, 38.1, kT}};
  Facts symptoms;
  symptoms.symptoms = {{4, kT}};
  Facts high, medium;
  Policy with_areas = p;
  with_areas.risk_areas = {
      {"h", "Harbour", Colour::kRed, std::nullopt, VenueId(1), kT - 5 * kDay, std::nullopt, 0},
      {"m", "Market", Colour::kYellow, std::nullopt, VenueId(2), kT - 5 * kDay, std::nullopt, 0}};
  high.risk_stays = {{"h", kT - kDay, kT}};
  medium.risk_stays = {{"m", kT - kDay, kT}};

  std::vector<Row> rows = {
      {"nothing: green, no date", {}, 0, Colour::kGreen, std::nullopt, {}},
      {"confirmed case: red until released",
       {.confirmed_case = CaseFact{1, kT, std::nullopt}},
       30 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kConfirmedCase}},
      {"released case: green",
       {.confirmed_case = CaseFact{1, kT, kT + 10 * kDay}},
       10 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"a day before release: still red",
       {.confirmed_case = CaseFact{1, kT, kT + 10 * kDay}},
       9 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kConfirmedCase}},
      {"positive test: red, needs a negative",
       {.tests = {{1, true, kT, kT}}},
       40 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kPositiveTest}},
      {"positive then negative: green",
       {.tests = {{1, true, kT, kT}, Negative(kT + 3 * kDay, kT + 4 * kDay)}},
       4 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"negative sampled before the positive does not clear it",
       {.tests = {Negative(kT - kDay, kT - kDay), {1, true, kT, kT}}},
       kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kPositiveTest}},
      {"a case confirmed after the positive test takes over",
       {.confirmed_case = CaseFact{1, kT + kDay, std::nullopt}, .tests = {{1, true, kT, kT}}},
       2 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kConfirmedCase}},
      {"a test result not yet reported does not count",
       {.tests = {{1, true, kT, kT + 2 * kDay}}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"close contact: red, no date without a test",
       contact,
       kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kCloseContact}},
      {"close contact after 14 days without a test: still red",
       contact,
       20 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kCloseContact}},
      {"close contact with an early negative test: still needs one from day 12",
       {.exposures = contact.exposures, .tests = {Negative(kT + 5 * kDay, kT + 5 * kDay)}},
       15 * kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kCloseContact}},
      {"close contact, negative on day 12: red until day 14",
       {.exposures = contact.exposures, .tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)}},
       13 * kDay,
       Colour::kRed,
       14 * kDay,
       {RuleKind::kCloseContact}},
      {"close contact, negative on day 12, day 14: green",
       {.exposures = contact.exposures, .tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)}},
       14 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"close contact, negative on day 20: green from its result",
       {.exposures = contact.exposures, .tests = {Negative(kT + 20 * kDay, kT + 21 * kDay)}},
       21 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"second hop: yellow for 7 days",
       hop2,
       kDay,
       Colour::kYellow,
       7 * kDay,
       {RuleKind::kSecondHop}},
      {"second hop after 7 days: green", hop2, 7 * kDay, Colour::kGreen, std::nullopt, {}},
      {"second hop with a negative test: green at once",
       {.exposures = hop2.exposures, .tests = {Negative(kT + kDay, kT + kDay)}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"second hop, fully vaccinated: exempt",
       {.exposures = hop2.exposures, .vaccinations = {{1, kT - 90 * kDay}, {2, kT - 60 * kDay}}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"second hop, second dose 10 days ago: not yet effective",
       {.exposures = hop2.exposures, .vaccinations = {{1, kT - 90 * kDay}, {2, kT - 9 * kDay}}},
       kDay,
       Colour::kYellow,
       7 * kDay,
       {RuleKind::kSecondHop}},
      {"second hop, one dose: not exempt",
       {.exposures = hop2.exposures, .vaccinations = {{1, kT - 90 * kDay}}},
       kDay,
       Colour::kYellow,
       7 * kDay,
       {RuleKind::kSecondHop}},
      {"vaccination never exempts a close contact",
       {.exposures = contact.exposures, .vaccinations = {{1, kT - 90 * kDay}, {2, kT - 60 * kDay}}},
       kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kCloseContact}},
      {"third hop is off by default",
       {.exposures = {{1, 3, kT, kT, 20}}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"fever: yellow for 7 days", fever, kDay, Colour::kYellow, 7 * kDay, {RuleKind::kFever}},
      {"fever below the threshold: nothing",
       {.fevers = {{9, 37.2, kT}}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"fever then a negative test: green",
       {.tests = {Negative(kT + kDay, kT + 2 * kDay)}, .fevers = fever.fevers},
       2 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"symptoms: yellow for 7 days",
       symptoms,
       3 * kDay,
       Colour::kYellow,
       7 * kDay,
       {RuleKind::kSymptoms}},
      {"symptoms after 7 days: green", symptoms, 7 * kDay, Colour::kGreen, std::nullopt, {}},
      {"an event in the future of the evaluation does not count yet",
       symptoms,
       -kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"yellow and red: red, and not green while the yellow remains",
       {.exposures = contact.exposures,
        .tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)},
        .symptoms = {{4,
                      kT + 12 * kDay + kMillisPerHour}}},  // after the test: it does not clear them
       13 * kDay,
       Colour::kRed,
       19 * kDay + kMillisPerHour,
       {RuleKind::kCloseContact, RuleKind::kSymptoms}},
      {"a negative test clears symptoms reported before it",
       {.tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)}, .symptoms = {{4, kT + 10 * kDay}}},
       13 * kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"yellow and red, red over: yellow until its own end",
       {.exposures = contact.exposures,
        .tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)},
        .symptoms = {{4, kT + 13 * kDay}}},
       14 * kDay,
       Colour::kYellow,
       20 * kDay,
       {RuleKind::kSymptoms}},
  };
  for (const auto& row : rows) {
    HealthCode code = Evaluate(p, row.facts, kT + row.at, {"en"});
    EXPECT_EQ(code.colour, row.colour) << row.name;
    EXPECT_EQ(code.green_at, row.green_at ? std::optional(kT + *row.green_at) : std::nullopt)
        << row.name;
    std::vector<RuleKind> rules;
    for (const auto& r : code.reasons) rules.push_back(r.rule);
    EXPECT_EQ(rules, row.rules) << row.name;
  }

  std::vector<Row> areas = {
      {"high-risk area: red, needs a test",
       high,
       kDay,
       Colour::kRed,
       std::nullopt,
       {RuleKind::kRiskAreaHigh}},
      {"high-risk area, negative on day 12: green from day 14",
       {.tests = {Negative(kT + 12 * kDay, kT + 12 * kDay)}, .risk_stays = high.risk_stays},
       13 * kDay,
       Colour::kRed,
       14 * kDay,
       {RuleKind::kRiskAreaHigh}},
      {"medium-risk area: yellow 14 days",
       medium,
       kDay,
       Colour::kYellow,
       14 * kDay,
       {RuleKind::kRiskAreaMedium}},
      {"medium-risk area, negative test: green",
       {.tests = {Negative(kT + kDay, kT + kDay)}, .risk_stays = medium.risk_stays},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
      {"a stay in an area the policy no longer has: nothing",
       {.risk_stays = {{"gone", kT - kDay, kT}}},
       kDay,
       Colour::kGreen,
       std::nullopt,
       {}},
  };
  for (const auto& row : areas) {
    HealthCode code = Evaluate(with_areas, row.facts, kT + row.at, {"en"});
    EXPECT_EQ(code.colour, row.colour) << row.name;
    EXPECT_EQ(code.green_at, row.green_at ? std::optional(kT + *row.green_at) : std::nullopt)
        << row.name;
    std::vector<RuleKind> rules;
    for (const auto& r : code.reasons) rules.push_back(r.rule);
    EXPECT_EQ(rules, row.rules) << row.name;
  }
}

TEST(Evaluate, APolicyChangesTheOutcome) {
  Policy p = Default();
  Facts hop2;
  hop2.exposures = {{1, 2, kT, kT, 20}};
  p.rule(RuleKind::kSecondHop).colour = Colour::kRed;
  p.rule(RuleKind::kSecondHop).days = 10;
  p.rule(RuleKind::kSecondHop).clear = Clear::kPeriod;
  HealthCode code =
      Evaluate(p, {.exposures = hop2.exposures, .tests = {Negative(kT + kDay, kT + kDay)}},
               kT + 2 * kDay, {"en"});
  EXPECT_EQ(code.colour, Colour::kRed);  // a test no longer clears it
  EXPECT_EQ(code.green_at, kT + 10 * kDay);
  p.rule(RuleKind::kSecondHop).enabled = false;
  EXPECT_EQ(Evaluate(p, hop2, kT + kDay, {"en"}).colour, Colour::kGreen);
  p = Default();
  p.hops = 1;  // exposures found at hop 2 under an older policy stop counting
  EXPECT_EQ(Evaluate(p, hop2, kT + kDay, {"en"}).colour, Colour::kGreen);
  p = Default();
  p.fever_celsius = 38.5;
  EXPECT_EQ(Evaluate(p, {.fevers = {{9, 38.1, kT}}}, kT + kDay, {"en"}).colour, Colour::kGreen);
}

TEST(Evaluate, ReasonsSpeakThePersonsLanguage) {
  Policy p = Default();
  Facts contact;
  contact.exposures = {{1, 1, kT - 2 * kDay, kT, 60}};
  contact.fevers = {{9, 38.1, kT}};
  // domain.md's 15, each with the date its readers see for kT and for day 12 (no zone: UTC).
  struct Dates {
    std::string_view lang;
    std::string day, test_day;
  };
  const Dates dates[] = {
      {"en", "Nov 1, 2026", "Nov 13, 2026"},
      {"vi", "1 thg 11, 2026", "13 thg 11, 2026"},
      {"zh", "2026年11月1日", "2026年11月13日"},
      {"th", "1 พ.ย. 2569", "13 พ.ย. 2569"},  // the Buddhist year
      {"ms", "1 Nov 2026", "13 Nov 2026"},
      {"id", "1 Nov 2026", "13 Nov 2026"},
      {"fil", "Nob 1, 2026", "Nob 13, 2026"},
      {"km", "1 វិច្ឆិកា 2026", "13 វិច្ឆិកា 2026"},
      {"lo", "1 ພ.ຈ. 2026", "13 ພ.ຈ. 2026"},
      {"my", "၂၀၂၆၊ နို ၁", "၂၀၂၆၊ နို ၁၃"},  // Myanmar digits
      {"ja", "2026年11月1日", "2026年11月13日"},
      {"ko", "2026년 11월 1일", "2026년 11월 13일"},
      {"ta", "1 நவ., 2026", "13 நவ., 2026"},
      {"tet", "1 de novembro de 2026", "13 de novembro de 2026"},  // Timor-Leste's Portuguese
      {"pt", "1 de nov. de 2026", "13 de nov. de 2026"},
  };
  ASSERT_EQ(SupportedLanguages().size(), std::size(dates));
  std::set<std::string> seen;
  for (size_t i = 0; i < std::size(dates); ++i) {
    const std::string_view lang = SupportedLanguages()[i];
    EXPECT_EQ(lang, dates[i].lang);
    HealthCode code = Evaluate(p, contact, kT + kDay, {std::string(lang)});
    ASSERT_EQ(code.reasons.size(), 2u);
    EXPECT_EQ(code.language, lang);
    EXPECT_EQ(code.zone, "UTC");
    for (const auto& r : code.reasons) {
      EXPECT_NE(r.detail.find(dates[i].day), std::string::npos) << lang << ": " << r.detail;
      EXPECT_EQ(r.detail.find('{'), std::string::npos)
          << lang << ": " << r.detail;  // no placeholder left
      EXPECT_EQ(r.detail.find("2026-11-"), std::string::npos) << lang << ": " << r.detail;
      EXPECT_NE(r.detail.find("UTC"), std::string::npos) << lang << ": " << r.detail;
    }
    EXPECT_NE(code.reasons[0].detail.find(dates[i].test_day), std::string::npos)
        << lang << ": " << code.reasons[0].detail;  // a test from day 12
    EXPECT_NE(code.reasons[1].detail.find("38.1"), std::string::npos) << lang;
    seen.insert(code.reasons[0].detail);
  }
  EXPECT_EQ(seen.size(), SupportedLanguages().size());  // each language its own sentence
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"vi-VN"}).reasons[0].detail.rfind("Tiếp xúc gần", 0),
            0u);
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"xx"}).reasons[0].detail.rfind("Close contact", 0),
            0u);
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"tl"}).reasons[0].detail,
            Evaluate(p, contact, kT + kDay, {"fil"}).reasons[0].detail);
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"ta-SG"}).reasons[0].detail.rfind("உறுதி", 0), 0u);
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"tet"}).reasons[0].detail.rfind("Kontaktu besik", 0),
            0u);
  EXPECT_EQ(Evaluate(p, contact, kT + kDay, {"pt-TL"}).reasons[0].detail.rfind("Contacto", 0), 0u);
  // The reader's region keeps its conventions: en-GB puts the day first.
  EXPECT_NE(Evaluate(p, contact, kT + kDay, {"en-GB"}).reasons[0].detail.find("1 Nov 2026"),
            std::string::npos);
}

// Issue 11: a fever at 02:21 on 2 December in Vietnam read "2026-12-01 ... until 2026-12-08",
// the UTC dates, while the code stayed yellow until 02:21 on 9 December local.
TEST(Evaluate, DatesAreTheReadersLocalDays) {
  const Policy p = Default();
  const int64_t fever_at = *ParseRfc3339("2026-12-02T02:21:00+07:00");
  const Facts fever{.fevers = {{9, 38.1, fever_at}}};
  const int64_t now = fever_at + kMillisPerHour;

  HealthCode vi = Evaluate(p, fever, now, {"vi", "Asia/Ho_Chi_Minh"});
  ASSERT_EQ(vi.reasons.size(), 1u);
  EXPECT_EQ(vi.reasons[0].detail,
            "Sốt 38.1 °C tại điểm kiểm soát ngày 2 thg 12, 2026; đến ngày 9 thg 12, 2026, hoặc sớm "
            "hơn nếu xét nghiệm âm tính (Asia/Ho_Chi_Minh)");
  EXPECT_EQ(vi.zone, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(vi.language, "vi");
  // The date said is the day the code turns green there.
  EXPECT_EQ(vi.green_at, fever_at + 7 * kDay);
  EXPECT_EQ(*LocalDate(vi.zone, *vi.green_at), "2026-12-09");

  HealthCode en = Evaluate(p, fever, now, {"en", "Asia/Ho_Chi_Minh"});
  EXPECT_EQ(en.reasons[0].detail,
            "Fever of 38.1 °C at a checkpoint on Dec 2, 2026; until Dec 9, 2026, or sooner with a "
            "negative test (Asia/Ho_Chi_Minh)");
  EXPECT_EQ(Evaluate(p, fever, now, {"en-GB", "Asia/Ho_Chi_Minh"}).reasons[0].detail,
            "Fever of 38.1 °C at a checkpoint on 2 Dec 2026; until 9 Dec 2026, or sooner with a "
            "negative test (Asia/Ho_Chi_Minh)");
  EXPECT_EQ(
      Evaluate(p, fever, now, {"zh", "Asia/Shanghai"}).reasons[0].detail,
      "2026年12月2日在检查点测得发热38.1°C；至2026年12月9日，检测阴性可提前（Asia/Shanghai）");
  // A reader without a zone reads UTC, and is told so.
  HealthCode utc = Evaluate(p, fever, now, {"en"});
  EXPECT_EQ(utc.reasons[0].detail,
            "Fever of 38.1 °C at a checkpoint on Dec 1, 2026; until Dec 8, 2026, or sooner with a "
            "negative test (UTC)");
  EXPECT_EQ(utc.zone, "UTC");
  // A zone core/zone.h refuses is not guessed at: UTC, said.
  HealthCode bad = Evaluate(p, fever, now, {"en", "Asia/Hanoi"});
  EXPECT_EQ(bad.zone, "UTC");
  EXPECT_EQ(bad.reasons[0].detail, utc.reasons[0].detail);
  // Jakarta's day turns at 17:00 UTC, Yangon's at 17:30: at 17:15 UTC it is 2 December in
  // Jakarta and still 1 December in Yangon.
  const Facts late{.fevers = {{9, 38.1, *ParseRfc3339("2026-12-01T17:15:00Z")}}};
  const int64_t later = *ParseRfc3339("2026-12-01T18:00:00Z");
  EXPECT_NE(Evaluate(p, late, later, {"en", "Asia/Jakarta"}).reasons[0].detail.find("on Dec 2,"),
            std::string::npos);
  EXPECT_NE(Evaluate(p, late, later, {"en", "Asia/Yangon"}).reasons[0].detail.find("on Dec 1,"),
            std::string::npos);
  // A sentence without a date names no zone.
  HealthCode confirmed = Evaluate(p, {.confirmed_case = CaseFact{1, fever_at, std::nullopt}}, now,
                                  {"en", "Asia/Dili"});
  EXPECT_EQ(confirmed.reasons[0].detail, "Confirmed case; until released by the health authority");
  EXPECT_EQ(confirmed.zone, "Asia/Dili");
}

// Placeholders in a phrase: "{date}", "{end}", ...
std::multiset<std::string> Placeholders(std::string_view phrase) {
  std::multiset<std::string> out;
  for (size_t at = phrase.find('{'); at != std::string_view::npos; at = phrase.find('{', at + 1)) {
    out.insert(std::string(phrase.substr(at, phrase.find('}', at) - at + 1)));
  }
  return out;
}

TEST(Evaluate, EveryLanguageHasEverySentence) {
  const std::vector<std::string_view> domain = {"en", "zh", "vi", "th", "ms", "id",  "fil", "km",
                                                "lo", "my", "ja", "ko", "ta", "tet", "pt"};
  const std::set<std::string_view> supported(SupportedLanguages().begin(),
                                             SupportedLanguages().end());
  EXPECT_EQ(supported, std::set<std::string_view>(domain.begin(), domain.end()));
  // Phrases that may read as in English because the language takes the English words; none
  // today (Filipino's "Close contact ng ..." and "checkpoint" are loans inside its own sentences).
  const std::set<std::pair<std::string_view, size_t>> same_as_english = {};
  const std::vector<std::string_view> english = ReasonPhrases("en");
  ASSERT_EQ(english.size(), static_cast<size_t>(kRuleKinds) + 5);
  for (std::string_view lang : domain) {
    const std::vector<std::string_view> phrases = ReasonPhrases(lang);
    ASSERT_EQ(phrases.size(), english.size()) << lang;
    for (size_t i = 0; i < phrases.size(); ++i) {
      EXPECT_FALSE(phrases[i].empty()) << lang << " " << i;
      EXPECT_EQ(Placeholders(phrases[i]), Placeholders(english[i]))
          << lang << " " << i << ": " << phrases[i];
      if (lang != "en" && !same_as_english.contains({lang, i})) {
        EXPECT_NE(phrases[i], english[i]) << lang << " " << i << " is English";
      }
    }
  }
  // Every rule with every ending, written out in every language: nothing left unfilled.
  Reason r;
  r.since = kT;
  r.event_end = kT + kDay;
  r.period_end = kT + 7 * kDay;
  r.negative_test_from = kT + 2 * kDay;
  r.param = "Chợ đêm";
  for (std::string_view lang : domain) {
    for (int rule = 0; rule < kRuleKinds; ++rule) {
      for (Clear clear : {Clear::kPeriod, Clear::kPeriodOrNegativeTest,
                          Clear::kPeriodAndNegativeTest, Clear::kRelease, Clear::kNegativeTest}) {
        r.rule = static_cast<RuleKind>(rule);
        r.clear = clear;
        std::string s = ReasonDetail(r, {std::string(lang), "Asia/Makassar"});
        EXPECT_EQ(s.find('{'), std::string::npos) << lang << ": " << s;
        bool dated = s != ReasonDetail(r, {std::string(lang), "Asia/Jayapura"});
        EXPECT_EQ(dated, s.find("Asia/Makassar") != std::string::npos) << lang << ": " << s;
      }
    }
  }
}

TEST(Policy, DefaultFollowsTheDomainFacts) {
  Policy p = Default();
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.min_overlap_ms, 15 * kMillisPerMinute);
  EXPECT_EQ(p.infectious_before_ms, 2 * kDay);
  EXPECT_EQ(p.hops, 2);
  EXPECT_DOUBLE_EQ(p.fever_celsius, 37.3);
  EXPECT_EQ(p.rule(RuleKind::kCloseContact).days, 14);
  EXPECT_EQ(p.rule(RuleKind::kCloseContact).colour, Colour::kRed);
  EXPECT_EQ(p.rule(RuleKind::kSecondHop).colour, Colour::kYellow);
  EXPECT_EQ(p.rule(RuleKind::kFever).days, 7);
}

TEST(Policy, FormatReadsBackTheSame) {
  Policy p = Default();
  p.version = 7;
  p.name = "Quảng Ninh \"winter\"";
  p.risk_areas = {{"a1", "Chợ Hạ Long", Colour::kRed, OrgUnitId(3), std::nullopt, kT, kT + 3 * kDay,
                   30 * 60000},
                  {"a2", "", Colour::kYellow, std::nullopt, VenueId(5), kT, std::nullopt, 0}};
  auto back = ParsePolicy(FormatPolicy(p), nullptr);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << FormatPolicy(p);
  EXPECT_EQ(FormatPolicy(*back), FormatPolicy(p));
  EXPECT_EQ(back->name, p.name);
  ASSERT_EQ(back->risk_areas.size(), 2u);
  EXPECT_EQ(back->risk_areas[0].to, kT + 3 * kDay);
  EXPECT_EQ(back->risk_areas[1].venue, VenueId(5));
}

TEST(Policy, ErrorsNameTheLineAndTheKey) {
  struct Bad {
    std::string edit;  // appended to (or replacing) a valid policy
    int line;
    std::string key;
  };
  std::string base(DefaultPolicyText());
  int lines = static_cast<int>(std::count(base.begin(), base.end(), '\n'));
  std::vector<Bad> bad = {
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"severe\"\nvenue_id = 1\nfrom = "
       "\"2026-11-01T00:00:00Z\"\n",
       lines + 3, "risk_areas[0].level"},
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"high\"\nvenue_id = 1\nfrom = \"yesterday\"\n",
       lines + 5, "risk_areas[0].from"},
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"high\"\nvenue_id = 1\norg_unit_id = 2\nfrom = "
       "2026-11-01\n",
       lines + 4, "risk_areas[0].venue_id"},
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"high\"\nvenue_id = 1\nfrom = 2026-11-02\nto = "
       "2026-11-01\n",
       lines + 6, "risk_areas[0].to"},
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"high\"\nvenue_id = 1\nfrom = "
       "2026-11-01\n[[risk_areas]]\nid = \"x\"\n"
       "level = \"high\"\nvenue_id = 2\nfrom = 2026-11-01\n",
       lines + 7, "risk_areas[1].id"},
      {"[[risk_areas]]\nid = \"x\"\nlevel = \"high\"\nvenue_id = 1\nfrom = "
       "2026-11-01\nminimum_stay = 3\n",
       lines + 6, "risk_areas[0].minimum_stay"},
  };
  for (const auto& b : bad) {
    std::vector<PolicyError> errors;
    auto p = ParsePolicy(base + b.edit, &errors);
    EXPECT_FALSE(p.ok()) << b.key;
    ASSERT_FALSE(errors.empty()) << b.key;
    EXPECT_EQ(errors[0].line, b.line) << b.key;
    EXPECT_EQ(errors[0].key, b.key);
  }
  struct Replace {
    std::string from, to, key;
  };
  std::vector<Replace> replaced = {
      {"colour = \"yellow\"\nthreshold_celsius = 37.3",
       "colour = \"yellow\"\nthreshold_celsius = 45", "rules.fever.threshold_celsius"},
      {"days = 14                     # isolation", "days = \"fourteen\"     # isolation",
       "rules.close_contact.days"},
      {"clear = \"release\"", "clear = \"never\"", "rules.confirmed_case.clear"},
      {"clear = \"negative_test\"       #", "clear = \"release\" #", "rules.positive_test.clear"},
      {"hops = 2", "hops = 4", "contacts.hops"},
      {"exempts = [\"second_hop\"]", "exempts = [\"confirmed_case\"]", "vaccination.exempts"},
      {"exempts = [\"second_hop\"]", "exempts = [\"secnd_hop\"]", "vaccination.exempts"},
      {"version = 1", "version = 0", "version"},
      {"[rules.symptoms]", "[rules.symptom]", "rules.symptom"},
  };
  for (const auto& r : replaced) {
    std::string text = base;
    size_t at = text.find(r.from);
    ASSERT_NE(at, std::string::npos) << r.from;
    text.replace(at, r.from.size(), r.to);
    int line =
        static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
    std::vector<PolicyError> errors;
    EXPECT_FALSE(ParsePolicy(text, &errors).ok()) << r.key;
    bool found = false;
    for (const auto& e : errors) found |= e.key == r.key && e.line >= line && e.line <= line + 1;
    EXPECT_TRUE(found) << r.key << " near line " << line << "; first error: "
                       << (errors.empty()
                               ? "none"
                               : errors[0].key + " at " + std::to_string(errors[0].line));
  }
  std::vector<PolicyError> errors;
  EXPECT_FALSE(ParsePolicy("version = \n", &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_FALSE(ParsePolicy("version = 2\n", &errors).ok());  // every rule must be stated
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "rules");
}

}  // namespace
}  // namespace mekong::healthcode
