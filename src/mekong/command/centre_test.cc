#include "mekong/command/centre.h"

#include <gtest/gtest.h>

#include "mekong/cases/service.h"
#include "mekong/command/alerts.h"
#include "mekong/command/dashboard.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/registry/testing.h"
#include "mekong/store/testing.h"
#include "mekong/tracing/service.h"

namespace mekong::command {
namespace {

using registry::Caller;
using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-11-23T08:00:00+07:00");
const tracing::Limits kLimits{24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};

// A province with two districts; the first has two communes, the second one.
class CentreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make(
        {&tracing::kModule, &healthcode::kModule, &cases::kModule, &outbox::kModule, &kModule},
        kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    db_ = &world_->db();
    province_ = world_->province;
    d1_ = world_->district_a;
    d2_ = world_->district_b;
    c11_ = world_->commune_a1;
    c12_ = world_->commune_a2;
    c21_ = world_->commune_b1;
    admin_ = *world_->As(Role::kAdmin, province_);
    d1_officer_ = *world_->As(Role::kCommandOfficer, d1_);
    d2_officer_ = *world_->As(Role::kCommandOfficer, d2_);
    c11_officer_ = *world_->As(Role::kCommandOfficer, c11_);
    c12_officer_ = *world_->As(Role::kCommandOfficer, c12_);
    citizen_ = *world_->As(Role::kCitizen, c11_, world_->AddPerson(c11_)->id);
    dashboard_ = std::make_unique<Dashboard>(*db_, clock_);
    centre_ = std::make_unique<Centre>(*db_, clock_, *dashboard_);
  }

  NewDirective ToAll(const std::string& to_all) {
    return {"Close the markets", "Until further notice.", kNow + kMillisPerDay, {}, to_all};
  }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  store::Database* db_ = nullptr;
  registry::OrgUnit province_, d1_, d2_, c11_, c12_, c21_;
  Caller admin_, d1_officer_, d2_officer_, c11_officer_, c12_officer_, citizen_;
  std::unique_ptr<Dashboard> dashboard_;
  std::unique_ptr<Centre> centre_;
};

std::vector<std::string> Codes(const Directive& d) {
  std::vector<std::string> out;
  for (const auto& r : d.recipients) out.push_back(r.code);
  return out;
}

TEST_F(CentreTest, DirectivesGoDownTheTreeOnly) {
  auto all = centre_->Issue(admin_, ToAll("below"));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Codes(*all), (std::vector<std::string>{"P-A", "P-A-1", "P-A-2", "P-B", "P-B-1"}));
  auto children = centre_->Issue(d1_officer_, ToAll("children"));
  ASSERT_TRUE(children.ok()) << children.status().ToString();
  EXPECT_EQ(Codes(*children), (std::vector<std::string>{"P-A-1", "P-A-2"}));

  // Upward, sideways, to oneself: refused, and nothing is stored.
  struct Bad {
    const Caller* by;
    OrgUnitId to;
  } bad[] = {{&c11_officer_, province_.id},
             {&c11_officer_, d1_.id},
             {&d1_officer_, c21_.id},
             {&d1_officer_, d2_.id},
             {&d1_officer_, d1_.id}};
  for (const auto& b : bad) {
    NewDirective in = ToAll("");
    in.recipients = {b.to};
    EXPECT_EQ(centre_->Issue(*b.by, in).status().code(), Code::kPermissionDenied) << b.by->username;
  }
  EXPECT_EQ(centre_->Issue(c11_officer_, ToAll("children")).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(centre_->Issue(citizen_, ToAll("below")).status().code(), Code::kPermissionDenied);
  auto past = ToAll("below");
  past.due_at = kNow - 1;
  EXPECT_EQ(centre_->Issue(admin_, past).status().field(), "due_at");
  auto nobody = ToAll("");
  EXPECT_EQ(centre_->Issue(admin_, nobody).status().field(), "recipients");
  auto unknown = ToAll("");
  unknown.recipients = {OrgUnitId(9999)};
  EXPECT_EQ(centre_->Issue(admin_, unknown).status().field(), "recipients");
  EXPECT_EQ(centre_->Directives(admin_, 50, 0)->size(), 2u);
}

TEST_F(CentreTest, RecipientsAnswerForTheirOwnUnitAndEachSeesItsSubtree) {
  auto d = centre_->Issue(d1_officer_, ToAll("children"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  // The other district does not see it at all; a commune sees only its own line.
  EXPECT_EQ(centre_->GetDirective(d2_officer_, d->id).status().code(), Code::kNotFound);
  EXPECT_TRUE(centre_->Directives(d2_officer_, 50, 0)->empty());
  auto seen = centre_->GetDirective(c11_officer_, d->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(Codes(*seen), std::vector<std::string>{"P-A-1"});
  EXPECT_EQ(centre_->GetDirective(admin_, d->id)->recipients.size(), 2u);

  auto ack = centre_->Acknowledge(c11_officer_, d->id);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->recipients[0].status(), "acknowledged");
  EXPECT_EQ(centre_->Acknowledge(c11_officer_, d->id).status().code(), Code::kFailedPrecondition);
  // The issuer and the other district are not recipients.
  EXPECT_EQ(centre_->Acknowledge(d1_officer_, d->id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(centre_->Acknowledge(d2_officer_, d->id).status().code(), Code::kNotFound);

  auto done = centre_->Done(c12_officer_, d->id, "markets closed at 18:00");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->recipients[0].status(), "done");
  EXPECT_TRUE(done->recipients[0].acknowledged_at);
  EXPECT_EQ(centre_->Done(c12_officer_, d->id, "").status().code(), Code::kFailedPrecondition);

  // The issuer sees who is where; each recipient's task followed its answers.
  auto issuer = centre_->GetDirective(d1_officer_, d->id);
  ASSERT_EQ(issuer->recipients.size(), 2u);
  EXPECT_EQ(issuer->recipients[0].status(), "acknowledged");
  EXPECT_EQ(issuer->recipients[1].status(), "done");
  auto t11 = centre_->GetTask(c11_officer_, *issuer->recipients[0].task);
  ASSERT_TRUE(t11.ok()) << t11.status().ToString();
  EXPECT_EQ(t11->status, "in_progress");
  EXPECT_EQ(t11->source, "directive:" + std::to_string(d->id));
  auto t12 = centre_->GetTask(c12_officer_, *issuer->recipients[1].task);
  EXPECT_EQ(t12->status, "done");
  ASSERT_EQ(t12->history.size(), 2u);
  EXPECT_EQ(t12->history[1].note, "markets closed at 18:00");
  // One commune cannot read the other's task.
  EXPECT_EQ(centre_->GetTask(c11_officer_, t12->id).status().code(), Code::kNotFound);
}

TEST_F(CentreTest, OverdueDirectivesAlertTheUnitsThatHaveNotDoneThemOnce) {
  auto d = centre_->Issue(d1_officer_, ToAll("children"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(centre_->Done(c11_officer_, d->id, "done").ok());
  EXPECT_EQ(*centre_->RaiseOverdue(), 0);  // not due yet
  clock_.Advance(kMillisPerDay + 1);
  EXPECT_EQ(*centre_->RaiseOverdue(), 1);  // only the commune that has not done it
  EXPECT_EQ(*centre_->RaiseOverdue(), 0);  // once
  auto alerts = List(*db_, "/", true, 50, 0);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, "directive_overdue");
  EXPECT_EQ((*alerts)[0].org_unit, c12_.id);
  EXPECT_EQ((*alerts)[0].source, "directive:" + std::to_string(d->id));
  auto seen = centre_->GetDirective(d1_officer_, d->id);
  EXPECT_FALSE(seen->recipients[0].overdue_alert);
  EXPECT_EQ(seen->recipients[1].overdue_alert, (*alerts)[0].id);
}

TEST_F(CentreTest, TasksStayInsideTheCallersSubtree) {
  auto t = centre_->CreateTask(d1_officer_, {"Check the quarantine site", "", c12_.id,
                                             c12_officer_.user, "high", kNow + kMillisPerHour});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->status, "open");
  EXPECT_EQ(t->unit, c12_.id);
  // Outside the subtree, a user of another unit, a bad priority.
  EXPECT_EQ(centre_->CreateTask(d1_officer_, {"x", "", c21_.id}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(centre_->CreateTask(c11_officer_, {"x", "", std::nullopt, c12_officer_.user})
                .status()
                .field(),
            "assignee_id");
  EXPECT_EQ(
      centre_->CreateTask(d1_officer_, {"x", "", c11_.id, c12_officer_.user}).status().field(),
      "assignee_id");
  EXPECT_EQ(centre_->CreateTask(d1_officer_, {"x", "", std::nullopt, std::nullopt, "soon"})
                .status()
                .field(),
            "priority");
  EXPECT_EQ(centre_->CreateTask(d1_officer_, {"", ""}).status().field(), "title");

  EXPECT_EQ(centre_->UpdateTask(c11_officer_, t->id, {"done"}).status().code(), Code::kNotFound);
  auto moved = centre_->UpdateTask(c12_officer_, t->id, {"in_progress", std::nullopt, "on my way"});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->status, "in_progress");
  ASSERT_EQ(moved->history.size(), 2u);
  EXPECT_EQ(moved->history[1].from_status, "open");
  EXPECT_EQ(moved->history[1].to_status, "in_progress");
  EXPECT_EQ(centre_->UpdateTask(c12_officer_, t->id, {"finished"}).status().field(), "status");

  EXPECT_EQ(centre_->Tasks(d1_officer_, {})->size(), 1u);
  EXPECT_EQ(centre_->Tasks(d2_officer_, {})->size(), 0u);
  EXPECT_EQ(centre_->Tasks(admin_, {.status = "open"})->size(), 0u);
  EXPECT_EQ(centre_->Tasks(admin_, {.status = "in_progress"})->size(), 1u);
}

// The dashboard loaded at Start and kept by the feed answers what the store holds.
class DashboardTest : public CentreTest {
 protected:
  void SetUp() override {
    CentreTest::SetUp();
    tracing_ = std::make_unique<tracing::Service>(*db_, clock_, tracing::ServiceOptions{kLimits});
    ASSERT_TRUE(tracing_->Start().ok());
    codes_ = std::make_unique<healthcode::Service>(*db_, clock_, healthcode::ServiceOptions{});
    cases_ = std::make_unique<cases::Service>(*db_, clock_, *tracing_, *codes_);
    venue_ = world_->AddVenue(c11_)->id;
  }
  void TearDown() override {
    dashboard_->Stop();
    tracing_->Stop();
  }

  PersonId Person(const registry::OrgUnit& unit) { return world_->AddPerson(unit)->id; }

  // A case in `unit` with `contacts` people who met them at the market, each case's group at
  // another hour so that groups do not meet.
  cases::Case Case(const registry::OrgUnit& unit, int contacts) {
    const int64_t at = kNow - (2 + 2 * cases_made_++) * kMillisPerHour;
    PersonId sick = Person(unit);
    std::vector<PersonId> met = {sick};
    for (int i = 0; i < contacts; ++i) met.push_back(Person(unit));
    EXPECT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) -> Status {
                  for (PersonId p : met) {
                    RETURN_IF_ERROR(
                        tracing::CheckIn(tx, p, venue_, at, "qr", kNow, kLimits).status());
                  }
                  return Status::Ok();
                }).ok());
    EXPECT_TRUE(tracing_->CatchUp().ok());
    auto c = cases_->Confirm(admin_, {sick, kNow - 2 * kMillisPerDay, std::nullopt, std::nullopt});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return *c;
  }

  void Test(const registry::OrgUnit& unit, bool positive) {
    auto r = codes_->RecordTest(admin_, {Person(unit), positive, "pcr", kNow - kMillisPerHour});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }

  int64_t RaiseAlert(const registry::OrgUnit& unit) {
    Alert a;
    a.org_unit = unit.id;
    a.kind = "crowding";
    a.severity = "warning";
    a.message = "over capacity";
    a.source = "test";
    a.created_at = kNow;
    auto r = store::testing::InTx(*db_, [&](store::Executor& tx) { return Raise(tx, a); });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->id;
  }

  static const UnitFigures& Of(const Board& b, OrgUnitId unit) {
    for (const auto& u : b.units)
      if (u.unit == unit) return u;
    static UnitFigures none;
    ADD_FAILURE() << "no unit " << unit.value;
    return none;
  }

  std::unique_ptr<tracing::Service> tracing_;
  std::unique_ptr<healthcode::Service> codes_;
  std::unique_ptr<cases::Service> cases_;
  VenueId venue_;
  int cases_made_ = 0;
};

void ExpectSame(const Board& a, const Board& b) {
  ASSERT_EQ(a.units.size(), b.units.size());
  EXPECT_EQ(a.first_date, b.first_date);
  for (size_t i = 0; i < a.units.size(); ++i) {
    const auto &x = a.units[i], &y = b.units[i];
    EXPECT_EQ(x.unit, y.unit);
    EXPECT_EQ(x.active_cases, y.active_cases) << x.code;
    EXPECT_EQ(x.contacts_following, y.contacts_following) << x.code;
    EXPECT_EQ(x.open_alerts, y.open_alerts) << x.code;
    ASSERT_EQ(x.days.size(), y.days.size());
    for (size_t d = 0; d < x.days.size(); ++d) {
      EXPECT_EQ(x.days[d].new_cases, y.days[d].new_cases) << x.code << " day " << d;
      EXPECT_EQ(x.days[d].tests, y.days[d].tests) << x.code << " day " << d;
      EXPECT_EQ(x.days[d].positives, y.days[d].positives) << x.code << " day " << d;
      EXPECT_EQ(x.days[d].alerts, y.days[d].alerts) << x.code << " day " << d;
    }
  }
}

TEST_F(DashboardTest, FollowsTheFeedAndAgreesWithAFreshLoad) {
  // Before Start: loaded from the store.
  Case(c11_, 2);
  Test(c11_, true);
  RaiseAlert(c21_);
  ASSERT_TRUE(dashboard_->Start().ok());
  auto before = dashboard_->Read(admin_, std::nullopt, 7);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->last_date, "2026-11-23");
  EXPECT_EQ(before->units.size(), 6u);
  EXPECT_EQ(before->units[0].unit, province_.id);
  EXPECT_EQ(before->units[0].active_cases, 1);
  EXPECT_EQ(before->units[0].contacts_following, 2);
  EXPECT_EQ(before->units[0].open_alerts, 1);
  EXPECT_EQ(before->units[0].days.back().tests, 1);

  // After Start: followed from the feed.
  auto second = Case(c12_, 1);
  auto third = Case(c21_, 3);
  ASSERT_TRUE(cases_->Release(admin_, second.id, kNow).ok());
  Test(c12_, false);
  Test(c21_, true);
  int64_t alert = RaiseAlert(c11_);
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return command::Acknowledge(tx, alert, admin_.user, kNow);
              }).ok());
  ASSERT_TRUE(dashboard_->CatchUp().ok());
  auto followed = dashboard_->Read(admin_, std::nullopt, 7);
  ASSERT_TRUE(followed.ok());
  const auto& p = Of(*followed, province_.id);
  EXPECT_EQ(p.active_cases, 2);  // c11's and c21's; c12's was released
  EXPECT_EQ(p.contacts_following, 2 + 3);
  EXPECT_EQ(p.open_alerts, 1);            // c21's; c11's was acknowledged
  EXPECT_EQ(p.days.back().new_cases, 3);  // all confirmed today
  EXPECT_EQ(p.days.back().tests, 3);
  EXPECT_EQ(p.days.back().positives, 2);
  EXPECT_EQ(p.days.back().alerts, 2);
  const auto& d1 = Of(*followed, d1_.id);
  EXPECT_EQ(d1.active_cases, 1);
  EXPECT_EQ(d1.days.back().new_cases, 2);
  EXPECT_EQ(d1.days.back().tests, 2);
  EXPECT_EQ(Of(*followed, c12_.id).active_cases, 0);
  EXPECT_EQ(Of(*followed, c21_.id).contacts_following, third.contact_count);

  // A dashboard loaded from the store now says the same.
  Dashboard fresh(*db_, clock_);
  ASSERT_TRUE(fresh.Start().ok());
  ExpectSame(*followed, *fresh.Read(admin_, std::nullopt, 7));
  fresh.Stop();

  // A district sees its own subtree only; bad input names the field.
  auto district = dashboard_->Read(d1_officer_, std::nullopt, 1);
  ASSERT_TRUE(district.ok());
  EXPECT_EQ(district->units.size(), 3u);
  EXPECT_EQ(dashboard_->Read(d1_officer_, d2_.id, 1).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(dashboard_->Read(admin_, std::nullopt, 0).status().field(), "days");
  EXPECT_EQ(dashboard_->Read(admin_, std::nullopt, 1, "2026-02-30").status().field(), "date");
  EXPECT_EQ(dashboard_->Read(citizen_, std::nullopt, 1).status().code(), Code::kPermissionDenied);
  // Another day: nothing happened on the 20th.
  auto earlier = dashboard_->Read(admin_, std::nullopt, 1, "2026-11-20");
  EXPECT_EQ(earlier->units[0].days[0].new_cases, 0);
}

TEST_F(DashboardTest, ReportsTakeTheDashboardsFiguresAndNameWhoHasNotReported) {
  Case(c11_, 1);
  Test(c11_, true);
  ASSERT_TRUE(dashboard_->Start().ok());
  auto r = centre_->SubmitReport(c11_officer_, "calm day");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->date, "2026-11-23");
  EXPECT_EQ(r->figures.new_cases, 1);
  EXPECT_EQ(r->figures.active_cases, 1);
  EXPECT_EQ(r->figures.contacts_following, 1);
  EXPECT_EQ(r->figures.tests, 1);
  EXPECT_EQ(r->figures.positives, 1);
  EXPECT_EQ(r->revision, 1);
  Test(c11_, false);
  auto again = centre_->SubmitReport(c11_officer_, "one more test");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, r->id);
  EXPECT_EQ(again->revision, 2);
  EXPECT_EQ(again->figures.tests, 2);

  auto day = centre_->Reports(d1_officer_, std::nullopt, std::nullopt);
  ASSERT_TRUE(day.ok()) << day.status().ToString();
  EXPECT_EQ(day->expected, 2);
  ASSERT_EQ(day->reports.size(), 1u);
  EXPECT_EQ(day->rollup.tests, 2);
  ASSERT_EQ(day->missing.size(), 1u);
  EXPECT_EQ(day->missing[0].code, "P-A-2");
  auto province = centre_->Reports(admin_, std::nullopt, std::nullopt);
  EXPECT_EQ(province->expected, 3);
  EXPECT_EQ(province->missing.size(), 2u);
  // Not another district's, not a bad date, and a citizen files none.
  EXPECT_EQ(centre_->Reports(d2_officer_, d1_.id, std::nullopt).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(centre_->Reports(admin_, std::nullopt, "23/11/2026").status().field(), "date");
  EXPECT_EQ(centre_->SubmitReport(citizen_, "").status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(centre_->Reports(d2_officer_, std::nullopt, std::nullopt)->reports.empty());
}

}  // namespace
}  // namespace mekong::command
