#include "mekong/command/tickets.h"

#include <gtest/gtest.h>

#include "mekong/cases/service.h"
#include "mekong/command/alerts.h"
#include "mekong/command/service.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/testing.h"
#include "mekong/store/feed.h"
#include "mekong/tracing/service.h"

namespace mekong::command {
namespace {

using registry::Caller;
using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-11-23T08:00:00+07:00");

class TicketsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make(
        {&tracing::kModule, &healthcode::kModule, &cases::kModule, &outbox::kModule, &kModule},
        kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    province_officer_ = *world_->As(Role::kCommandOfficer, world_->province);
    a1_officer_ = *world_->As(Role::kCommandOfficer, world_->commune_a1);
    b1_officer_ = *world_->As(Role::kCommandOfficer, world_->commune_b1);
    tracer_ = *world_->As(Role::kTracer, world_->province);
    auto me = world_->AddPerson(world_->commune_a1, "th");
    citizen_ = *world_->As(Role::kCitizen, world_->commune_a1, me->id);
    auto other = world_->AddPerson(world_->commune_a1);
    neighbour_ = *world_->As(Role::kCitizen, world_->commune_a1, other->id);
    tickets_ = std::make_unique<Tickets>(world_->db(), clock_);
  }

  NewTicket Question() {
    NewTicket t;
    t.category = "quarantine";
    t.subject = "How long must I stay home?";
    t.body = "I was at the market on Monday.";
    return t;
  }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  Caller province_officer_, a1_officer_, b1_officer_, tracer_, citizen_, neighbour_;
  std::unique_ptr<Tickets> tickets_;
};

TEST_F(TicketsTest, ATicketKeepsItsTargetsAndALateOneAlertsItsUnitOnce) {
  // A desk whose targets are 30 minutes to answer and a day to close.
  Tickets quick(world_->db(), clock_, {30 * kMillisPerMinute, 24 * kMillisPerHour});
  auto t = quick.Open(citizen_, Question());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->first_reply_due(), kNow + 30 * kMillisPerMinute);
  EXPECT_EQ(t->close_due(), kNow + 24 * kMillisPerHour);
  auto answered = quick.Open(citizen_, Question());
  EXPECT_EQ(*quick.RaiseLate(), 0) << "not late yet";
  clock_.Advance(31 * kMillisPerMinute);
  ASSERT_TRUE(quick.AddMessage(a1_officer_, answered->id, "Ten days.").ok());
  EXPECT_EQ(*quick.RaiseLate(), 1) << "the unanswered one only";
  EXPECT_EQ(*quick.RaiseLate(), 0) << "once";
  auto alerts = List(world_->db(), world_->commune_a1.path, true, 10);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, "ticket_late");
  EXPECT_EQ((*alerts)[0].source, "ticket:" + std::to_string(t->id));
  EXPECT_EQ(quick.Get(a1_officer_, t->id)->late_alert, (*alerts)[0].id);
  // The default desk reads the same ticket with the targets it was opened with.
  EXPECT_EQ(tickets_->Get(a1_officer_, t->id)->first_reply_due(), kNow + 30 * kMillisPerMinute);
  EXPECT_EQ(tickets_->List(a1_officer_, {.late_only = true})->size(), 1u);
}

TEST_F(TicketsTest, ACitizensTicketGoesToTheirUnitInTheirLanguage) {
  auto t = tickets_->Open(citizen_, Question());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->unit, world_->commune_a1.id);
  EXPECT_EQ(t->language, "th");  // the person's own, none given
  EXPECT_EQ(t->channel, "web");
  EXPECT_EQ(t->status, "open");
  ASSERT_EQ(t->messages.size(), 1u);
  EXPECT_FALSE(t->messages[0].from_staff);
  // Published for other processes in the same transaction.
  auto changes = store::ChangesAfter(world_->db(), 0, 1000, {"command.ticket"});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->back().payload, std::to_string(t->id));
}

TEST_F(TicketsTest, ScopeOnEveryReadAndWrite) {
  auto t = tickets_->Open(citizen_, Question());
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(tickets_->Get(a1_officer_, t->id).ok());
  EXPECT_TRUE(tickets_->Get(province_officer_, t->id).ok());
  // Another commune, another citizen: as if it did not exist.
  EXPECT_EQ(tickets_->Get(b1_officer_, t->id).status().code(), Code::kNotFound);
  EXPECT_EQ(tickets_->Get(neighbour_, t->id).status().code(), Code::kNotFound);
  EXPECT_EQ(tickets_->AddMessage(b1_officer_, t->id, "hello").status().code(), Code::kNotFound);
  EXPECT_EQ(tickets_->Close(neighbour_, t->id, "").status().code(), Code::kNotFound);
  EXPECT_TRUE(tickets_->List(b1_officer_, {})->empty());
  EXPECT_TRUE(tickets_->List(neighbour_, {})->empty());
  EXPECT_EQ(tickets_->List(citizen_, {})->size(), 1u);
  // A tracer has no part in the hotline.
  EXPECT_EQ(tickets_->List(tracer_, {}).status().code(), Code::kPermissionDenied);
  // A desk records calls only for units in its subtree.
  NewTicket call = Question();
  call.channel = "phone";
  call.unit = world_->commune_a1.id;
  EXPECT_EQ(tickets_->Open(b1_officer_, call).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(tickets_->Open(province_officer_, call).ok());
}

TEST_F(TicketsTest, AnswersMoveTheStatusAndTheFirstIsTimedAgainstItsTarget) {
  auto t = tickets_->Open(citizen_, Question());
  ASSERT_TRUE(t.ok());
  clock_.Advance(TicketOptions{}.first_reply_ms + kMillisPerMinute);  // late
  EXPECT_EQ(tickets_->List(a1_officer_, {.late_only = true})->size(), 1u);
  auto answered = tickets_->AddMessage(a1_officer_, t->id, "Ten days from the market.");
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->status, "answered");
  EXPECT_EQ(*answered->first_reply_at, clock_.NowMillis());
  EXPECT_TRUE(answered->first_reply_late(clock_.NowMillis()));
  clock_.Advance(kMillisPerHour);
  auto back = tickets_->AddMessage(citizen_, t->id, "And my children?");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, "open");
  EXPECT_EQ(back->first_reply_at, answered->first_reply_at);  // the first answer stays timed
  ASSERT_TRUE(tickets_->AddMessage(a1_officer_, t->id, "The same.").ok());
  // Closing needs a note from a desk, and a closed ticket takes nothing more.
  EXPECT_EQ(tickets_->Close(a1_officer_, t->id, "").status().field(), "note");
  auto closed = tickets_->Close(a1_officer_, t->id, "Answered by phone too.");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "closed");
  EXPECT_FALSE(closed->close_late(clock_.NowMillis()));
  EXPECT_EQ(tickets_->AddMessage(citizen_, t->id, "Thanks").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(tickets_->Close(citizen_, t->id, "").status().code(), Code::kFailedPrecondition);
  auto full = tickets_->Get(citizen_, t->id);
  ASSERT_EQ(full->messages.size(), 4u);
  EXPECT_TRUE(full->messages[1].from_staff);
  EXPECT_FALSE(full->messages[2].from_staff);
}

TEST_F(TicketsTest, TheSummaryCountsWhatWasLateAndTheMedians) {
  // One answered in 1 h and closed in 2 h; one answered after 5 h (late); one still open.
  auto a = tickets_->Open(citizen_, Question());
  auto b = tickets_->Open(citizen_, Question());
  auto c = tickets_->Open(citizen_, Question());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  clock_.Advance(kMillisPerHour);
  ASSERT_TRUE(tickets_->AddMessage(a1_officer_, a->id, "One hour.").ok());
  clock_.Advance(kMillisPerHour);
  ASSERT_TRUE(tickets_->Close(a1_officer_, a->id, "Done.").ok());
  clock_.Advance(3 * kMillisPerHour);
  ASSERT_TRUE(tickets_->AddMessage(a1_officer_, b->id, "Five hours.").ok());
  auto s = tickets_->Summary(province_officer_, 30);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->opened, 3);
  EXPECT_EQ(s->open, 1);
  EXPECT_EQ(s->answered, 1);
  EXPECT_EQ(s->closed, 1);
  EXPECT_EQ(s->first_reply_late, 2);  // b answered late, c unanswered past the target
  EXPECT_EQ(s->close_late, 0);
  EXPECT_EQ(*s->median_first_reply_ms, 5 * kMillisPerHour);  // of 1 h and 5 h, the upper
  EXPECT_EQ(*s->median_close_ms, 2 * kMillisPerHour);
  EXPECT_DOUBLE_EQ(*s->first_reply_on_time, 0.5);
  EXPECT_DOUBLE_EQ(*s->closed_on_time, 1.0);
  EXPECT_EQ(tickets_->Summary(citizen_, 30).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(tickets_->Summary(province_officer_, 0).status().field(), "days");
}

TEST_F(TicketsTest, BadInputNamesItsField) {
  NewTicket t = Question();
  t.category = "weather";
  EXPECT_EQ(tickets_->Open(citizen_, t).status().field(), "category");
  t = Question();
  t.language = "xx";
  EXPECT_EQ(tickets_->Open(citizen_, t).status().field(), "language");
  t = Question();
  t.subject = "";
  EXPECT_EQ(tickets_->Open(citizen_, t).status().field(), "subject");
  t = Question();
  t.body = std::string(5001, 'x');
  EXPECT_EQ(tickets_->Open(citizen_, t).status().field(), "body");
  t = Question();
  t.channel = "phone";  // citizens write in through the web form
  EXPECT_EQ(tickets_->Open(citizen_, t).status().field(), "channel");
  t = Question();
  t.unit = world_->commune_b1.id;
  EXPECT_EQ(tickets_->Open(citizen_, t).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(tickets_->List(a1_officer_, {.status = "lost"}).status().field(), "status");
  EXPECT_EQ(tickets_->Get(a1_officer_, 999999).status().code(), Code::kNotFound);
}

// The desk's answer and close reach the citizen through the outbox, in their language, in the
// same transaction; the citizen's own follow-up and a phone caller's ticket tell nobody.
TEST_F(TicketsTest, TheDesksAnswerAndCloseAreMessagesToTheCitizen) {
  outbox::Outbox box(world_->db(), clock_);
  auto t = tickets_->Open(citizen_, Question());
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(tickets_->AddMessage(citizen_, t->id, "And my children?").ok());
  EXPECT_TRUE(box.Mine(citizen_, 10, 0)->empty());
  ASSERT_TRUE(tickets_->AddMessage(a1_officer_, t->id, "Seven days.").ok());
  ASSERT_TRUE(tickets_->Close(a1_officer_, t->id, "Answered by phone.").ok());
  auto mine = box.Mine(citizen_, 10, 0);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine->at(0).kind, "ticket_closed");
  EXPECT_EQ(mine->at(0).language, "th");
  EXPECT_NE(mine->at(0).text.find("Answered by phone."), std::string::npos);
  EXPECT_EQ(mine->at(1).kind, "ticket_answered");
  EXPECT_NE(mine->at(1).text.find("How long must I stay home?"), std::string::npos);
  EXPECT_EQ(mine->at(1).link, "/me/questions/" + std::to_string(t->id));

  NewTicket call = Question();
  call.channel = "phone";
  auto phone = tickets_->Open(a1_officer_, call);
  ASSERT_TRUE(phone.ok());
  ASSERT_TRUE(tickets_->AddMessage(a1_officer_, phone->id, "Seven days.").ok());
  EXPECT_EQ(box.List(province_officer_, {})->size(), 2u);  // the citizen's two, in the app
}

}  // namespace
}  // namespace mekong::command
