#include "mekong/telehealth/availability.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"

namespace mekong::telehealth {
namespace {

int64_t Utc(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

std::vector<std::string> Times(const std::vector<Slot>& slots) {
  std::vector<std::string> out;
  for (const auto& s : slots) out.push_back(s.local_date + " " + s.local_time);
  return out;
}

SlotRules Weekdays(std::string zone, int start_minute, int end_minute, int slot_minutes) {
  SlotRules r;
  r.zone = std::move(zone);
  for (int d = 1; d <= 5; ++d) r.weekly.push_back({d, start_minute, end_minute});
  r.slot_minutes = slot_minutes;
  return r;
}

constexpr int64_t kLongAgo = 0;

TEST(Availability, BerlinExpertSeenFromHoChiMinhAcrossTheSpringChange) {
  // Berlin moves from CET (+1) to CEST (+2) on Sunday 2026-03-29; Vietnam stays at +7. The
  // expert's 09:00 is 15:00 in Ho Chi Minh City on the Friday before and 14:00 on the Monday.
  auto rules = Weekdays("Europe/Berlin", 9 * 60, 12 * 60, 60);
  auto slots = FreeSlots(rules, {}, "Asia/Ho_Chi_Minh", "2026-03-27", "2026-03-30", kLongAgo);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  EXPECT_EQ(Times(*slots),
            (std::vector<std::string>{"2026-03-27 15:00", "2026-03-27 16:00", "2026-03-27 17:00",
                                      "2026-03-30 14:00", "2026-03-30 15:00", "2026-03-30 16:00"}));
  EXPECT_EQ((*slots)[0].start, Utc("2026-03-27T08:00:00Z"));
  EXPECT_EQ((*slots)[3].start, Utc("2026-03-30T07:00:00Z"));
  for (const auto& s : *slots) {
    EXPECT_EQ(s.offset_minutes, 420);
    EXPECT_EQ(s.end - s.start, kMillisPerHour);
  }
  EXPECT_EQ((*slots)[0].expert_local_time, "09:00");
  EXPECT_EQ((*slots)[3].expert_local_time, "09:00");
}

TEST(Availability, AWindowAcrossTheGapHasOnlyTheRealHours) {
  // Sunday 2026-03-29 01:00-04:00 Berlin is two real hours: 02:00-03:00 does not exist.
  SlotRules rules;
  rules.zone = "Europe/Berlin";
  rules.weekly = {{7, 60, 240}};
  rules.slot_minutes = 30;
  auto slots = FreeSlots(rules, {}, "UTC", "2026-03-29", "2026-03-29", kLongAgo);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  std::vector<std::string> expert;
  for (const auto& s : *slots) expert.push_back(s.expert_local_time);
  EXPECT_EQ(expert, (std::vector<std::string>{"01:00", "01:30", "03:00", "03:30"}));
  // A wall time in the gap means the first instant after it.
  EXPECT_EQ(*LocalToUtc("Europe/Berlin", *ParseDay("2026-03-29", "d"), 150),
            Utc("2026-03-29T01:00:00Z"));
  // A repeated wall time (the autumn change) means the earlier instant.
  EXPECT_EQ(*LocalToUtc("Europe/Berlin", *ParseDay("2026-10-25", "d"), 150),
            Utc("2026-10-25T00:30:00Z"));
}

TEST(Availability, SydneyExpertAcrossTheAutumnChange) {
  // Sydney leaves AEDT (+11) for AEST (+10) on Sunday 2026-04-05.
  SlotRules rules;
  rules.zone = "Australia/Sydney";
  rules.weekly = {{1, 9 * 60, 10 * 60}};
  rules.slot_minutes = 60;
  auto slots = FreeSlots(rules, {}, "Asia/Ho_Chi_Minh", "2026-03-30", "2026-04-06", kLongAgo);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  EXPECT_EQ(Times(*slots), (std::vector<std::string>{"2026-03-30 05:00", "2026-04-06 06:00"}));
}

TEST(Availability, YangonSeesHalfHourOffsets) {
  auto rules = Weekdays("Asia/Shanghai", 8 * 60, 9 * 60, 30);
  auto slots = FreeSlots(rules, {}, "Asia/Yangon", "2026-03-02", "2026-03-02", kLongAgo);
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  EXPECT_EQ(Times(*slots), (std::vector<std::string>{"2026-03-02 06:30", "2026-03-02 07:00"}));
  EXPECT_EQ((*slots)[0].offset_minutes, 390);
}

TEST(Availability, IndonesiasThreeZones) {
  auto rules = Weekdays("Asia/Shanghai", 8 * 60, 9 * 60, 60);  // 00:00 UTC
  const std::pair<const char*, const char*> zones[] = {
      {"Asia/Jakarta", "07:00"}, {"Asia/Makassar", "08:00"}, {"Asia/Jayapura", "09:00"}};
  for (const auto& [zone, time] : zones) {
    auto slots = FreeSlots(rules, {}, zone, "2026-03-02", "2026-03-02", kLongAgo);
    ASSERT_TRUE(slots.ok()) << zone;
    ASSERT_EQ(slots->size(), 1u) << zone;
    EXPECT_EQ((*slots)[0].local_time, time) << zone;
    EXPECT_EQ((*slots)[0].start, Utc("2026-03-02T00:00:00Z"));
  }
}

TEST(Availability, TheReadersDateDecidesWhichDayASlotIsOn) {
  // Monday 16:00-18:00 in Berlin (15:00-17:00 UTC) is Tuesday 00:00-02:00 in Jayapura (+9).
  SlotRules rules;
  rules.zone = "Europe/Berlin";
  rules.weekly = {{1, 16 * 60, 18 * 60}};
  rules.slot_minutes = 60;
  auto tuesday = FreeSlots(rules, {}, "Asia/Jayapura", "2026-03-03", "2026-03-03", kLongAgo);
  ASSERT_TRUE(tuesday.ok());
  EXPECT_EQ(Times(*tuesday), (std::vector<std::string>{"2026-03-03 00:00", "2026-03-03 01:00"}));
  auto monday = FreeSlots(rules, {}, "Asia/Jayapura", "2026-03-02", "2026-03-02", kLongAgo);
  ASSERT_TRUE(monday.ok());
  EXPECT_TRUE(monday->empty());
}

TEST(Availability, BusyClosedAndPastSlotsAreLeftOut) {
  auto rules = Weekdays("Asia/Shanghai", 8 * 60, 10 * 60, 60);  // 00:00 and 01:00 UTC
  rules.closures = {{"2026-03-03", "2026-03-04", "annual leave"}};
  const Interval busy[] = {{Utc("2026-03-02T01:00:00Z"), Utc("2026-03-02T02:00:00Z")}};
  auto slots = FreeSlots(rules, busy, "Asia/Ho_Chi_Minh", "2026-03-02", "2026-03-05",
                         Utc("2026-03-01T00:00:00Z"));
  ASSERT_TRUE(slots.ok());
  EXPECT_EQ(Times(*slots),
            (std::vector<std::string>{"2026-03-02 07:00", "2026-03-05 07:00", "2026-03-05 08:00"}));
  // From 00:30 UTC on the 5th, only the 01:00 slot is still ahead.
  auto later = FreeSlots(rules, busy, "Asia/Ho_Chi_Minh", "2026-03-05", "2026-03-05",
                         Utc("2026-03-05T00:30:00Z"));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(Times(*later), (std::vector<std::string>{"2026-03-05 08:00"}));
}

TEST(Availability, CheckBookableSaysWhyNot) {
  auto rules = Weekdays("Asia/Shanghai", 8 * 60, 10 * 60, 60);
  rules.closures = {{"2026-03-03", "2026-03-03", "Lantern Festival duty"}};
  const Interval busy[] = {{Utc("2026-03-02T01:00:00Z"), Utc("2026-03-02T02:00:00Z")}};
  const int64_t now = Utc("2026-03-01T00:00:00Z");
  EXPECT_EQ(*CheckBookable(rules, busy, Utc("2026-03-02T00:00:00Z"), now),
            Utc("2026-03-02T01:00:00Z"));
  auto past = CheckBookable(rules, busy, Utc("2026-02-27T00:00:00Z"), now);
  EXPECT_EQ(past.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(past.status().field(), "start");
  EXPECT_NE(past.status().message().find("past"), std::string::npos);
  auto closed_hour = CheckBookable(rules, busy, Utc("2026-03-02T05:00:00Z"), now);
  EXPECT_EQ(closed_hour.status().code(), Code::kInvalidArgument);
  EXPECT_NE(closed_hour.status().message().find("outside the expert's hours"), std::string::npos)
      << closed_hour.status().message();
  EXPECT_NE(closed_hour.status().message().find("Mon 08:00-10:00"), std::string::npos);
  auto sunday = CheckBookable(rules, busy, Utc("2026-03-08T00:00:00Z"), now);
  EXPECT_EQ(sunday.status().code(), Code::kInvalidArgument);
  auto misaligned = CheckBookable(rules, busy, Utc("2026-03-02T00:30:00Z"), now);
  EXPECT_NE(misaligned.status().message().find("not the start of a slot"), std::string::npos);
  auto leave = CheckBookable(rules, busy, Utc("2026-03-03T00:00:00Z"), now);
  EXPECT_EQ(leave.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(leave.status().message().find("Lantern"), std::string::npos);
  auto taken = CheckBookable(rules, busy, Utc("2026-03-02T01:00:00Z"), now);
  EXPECT_EQ(taken.status().code(), Code::kAlreadyExists);
  rules.min_notice_ms = 2 * kMillisPerHour;
  auto soon = CheckBookable(rules, {}, Utc("2026-03-02T00:00:00Z"), Utc("2026-03-01T23:00:00Z"));
  EXPECT_EQ(soon.status().code(), Code::kInvalidArgument);
}

TEST(Availability, BadInputNamesTheField) {
  auto rules = Weekdays("Asia/Shanghai", 8 * 60, 10 * 60, 60);
  EXPECT_EQ(FreeSlots(rules, {}, "Mars/Base", "2026-03-02", "2026-03-02", 0).status().field(),
            "zone");
  EXPECT_EQ(FreeSlots(rules, {}, "UTC", "2026-02-30", "2026-03-02", 0).status().field(), "from");
  EXPECT_EQ(FreeSlots(rules, {}, "UTC", "2026-03-02", "2026-03-01", 0).status().field(), "to");
  EXPECT_EQ(FreeSlots(rules, {}, "UTC", "2026-01-01", "2026-06-01", 0).status().field(), "to");
  const WeeklyHours overlap[] = {{1, 480, 600}, {1, 540, 700}};
  EXPECT_EQ(ValidateWeeklyHours(overlap).field(), "weekly[1].start_minute");
  const WeeklyHours empty[] = {{1, 600, 600}};
  EXPECT_EQ(ValidateWeeklyHours(empty).field(), "weekly[0].end_minute");
  const WeeklyHours weekday[] = {{8, 0, 60}};
  EXPECT_EQ(ValidateWeeklyHours(weekday).field(), "weekly[0].weekday");
  EXPECT_EQ(ValidateSlotMinutes(2).field(), "slot_minutes");
}

}  // namespace
}  // namespace mekong::telehealth
