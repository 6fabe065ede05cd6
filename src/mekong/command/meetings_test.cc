#include "mekong/command/meetings.h"

#include <gtest/gtest.h>

#include "mekong/command/alerts.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/testing.h"

namespace mekong::command {
namespace {

using registry::Caller;
using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-11-23T08:00:00+07:00");

class MeetingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make({&outbox::kModule, &kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    province_ = *world_->As(Role::kCommandOfficer, world_->province);
    d1_ = *world_->As(Role::kCommandOfficer, world_->district_a);
    d2_ = *world_->As(Role::kCommandOfficer, world_->district_b);
    c11_ = *world_->As(Role::kCommandOfficer, world_->commune_a1);
    tracer_ = *world_->As(Role::kTracer, world_->commune_a1);
    meetings_ = std::make_unique<Meetings>(
        world_->db(), clock_,
        MeetingOptions{"https://video.example/{meeting}/{room}", 15 * kMillisPerMinute});
  }

  NewMeeting Briefing(int64_t in_ms = kMillisPerHour) {
    return {"Daily briefing", "1. New cases\n2. Markets", kNow + in_ms, 45, {}, "children"};
  }

  std::vector<std::string> Codes(const Meeting& m) {
    std::vector<std::string> out;
    for (const auto& p : m.participants) out.push_back(p.code);
    return out;
  }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  Caller province_, d1_, d2_, c11_, tracer_;
  std::unique_ptr<Meetings> meetings_;
};

TEST_F(MeetingsTest, ADistrictConvenesItsCommunes) {
  auto m = meetings_->Schedule(d1_, Briefing());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Codes(*m), (std::vector<std::string>{world_->district_a.code, world_->commune_a1.code,
                                                 world_->commune_a2.code}));
  EXPECT_TRUE(m->participants[0].organiser);
  const std::string prefix = "https://video.example/" + std::to_string(m->id) + "/";
  ASSERT_EQ(m->join_url.rfind(prefix, 0), 0u) << m->join_url;
  EXPECT_EQ(m->join_url.size(), prefix.size() + 32) << "a room of 128 random bits";
  EXPECT_NE(meetings_->Schedule(d1_, Briefing())->join_url, m->join_url);

  // A commune taking part and the province above see it; the other district does not.
  EXPECT_TRUE(meetings_->Get(c11_, m->id).ok());
  EXPECT_TRUE(meetings_->Get(tracer_, m->id).ok());
  EXPECT_TRUE(meetings_->Get(province_, m->id).ok());
  EXPECT_EQ(meetings_->Get(d2_, m->id).status().code(), Code::kNotFound);
  auto listed = meetings_->List(d2_, kNow, 50);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(meetings_->List(c11_, kNow, 50)->size(), 2u);
  // Ended meetings drop out of the list from `from` on.
  EXPECT_TRUE(meetings_->List(c11_, kNow + 2 * kMillisPerHour, 50)->empty());
}

TEST_F(MeetingsTest, NeverUpwardAndOnlyTheOrganiserCancels) {
  NewMeeting up = Briefing();
  up.to_all.clear();
  up.units = {world_->province.id};
  EXPECT_EQ(meetings_->Schedule(d1_, up).status().code(), Code::kPermissionDenied);
  up.units = {world_->commune_b1.id};
  EXPECT_EQ(meetings_->Schedule(d1_, up).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(meetings_->Schedule(c11_, Briefing()).status().code(), Code::kFailedPrecondition)
      << "a commune has no units below it";
  EXPECT_EQ(meetings_->Schedule(tracer_, Briefing()).status().code(), Code::kPermissionDenied);
  NewMeeting past = Briefing(-kMillisPerMinute);
  EXPECT_EQ(meetings_->Schedule(d1_, past).status().field(), "starts_at");
  NewMeeting longer = Briefing();
  longer.minutes = 481;
  EXPECT_EQ(meetings_->Schedule(d1_, longer).status().field(), "minutes");

  auto m = meetings_->Schedule(d1_, Briefing());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(meetings_->Cancel(c11_, m->id, "not ours").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(meetings_->Cancel(d2_, m->id, "not seen").status().code(), Code::kNotFound);
  EXPECT_EQ(meetings_->Cancel(d1_, m->id, "").status().field(), "reason");
  auto cancelled = meetings_->Cancel(d1_, m->id, "Storm warning");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(cancelled->cancel_reason, "Storm warning");
  EXPECT_EQ(meetings_->Cancel(d1_, m->id, "again").status().code(), Code::kFailedPrecondition);
}

TEST_F(MeetingsTest, EachUnitIsRemindedOnceShortlyBefore) {
  auto soon = meetings_->Schedule(d1_, Briefing(10 * kMillisPerMinute));
  auto later = meetings_->Schedule(d1_, Briefing(3 * kMillisPerHour));
  auto off = meetings_->Schedule(d1_, Briefing(5 * kMillisPerMinute));
  ASSERT_TRUE(soon.ok() && later.ok() && off.ok());
  ASSERT_TRUE(meetings_->Cancel(d1_, off->id, "moved").ok());
  EXPECT_EQ(*meetings_->RemindDue(), 3) << "the district and its two communes, for the soon one";
  EXPECT_EQ(*meetings_->RemindDue(), 0) << "once";
  auto alerts = List(world_->db(), world_->commune_a1.path, true, 10);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, "meeting_soon");
  EXPECT_EQ((*alerts)[0].source, "meeting:" + std::to_string(soon->id));
  auto read = meetings_->Get(c11_, soon->id);
  ASSERT_EQ(Codes(*read), std::vector<std::string>{world_->commune_a1.code})
      << "a commune reads its own line, not the district's or its sibling's";
  EXPECT_TRUE(read->participants[0].reminder_alert.has_value());
  clock_.Advance(2 * kMillisPerHour + 50 * kMillisPerMinute);
  EXPECT_EQ(*meetings_->RemindDue(), 3) << "the later one's turn";
}

}  // namespace
}  // namespace mekong::command
