// Cases through their life on both stores: classification and history, what tracing and
// discarding do to codes, contacts and their follow-up, and the chains a converted contact
// leaves behind.
#include <gtest/gtest.h>

#include "mekong/cases/cases.h"
#include "mekong/cases/chains.h"
#include "mekong/cases/contacts.h"
#include "mekong/core/time.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/testing.h"
#include "mekong/store/testing.h"
#include "mekong/tracing/checkins.h"

namespace mekong::cases {
namespace {

using healthcode::Colour;
using store::testing::InTx;

const int64_t kT0 = *ParseRfc3339("2026-11-20T08:00:00+07:00");
const int64_t kNow = kT0 + 3 * kMillisPerDay;
const tracing::Limits kLimits{24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make(
        {&tracing::kModule, &outbox::kModule, &healthcode::kModule, &kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    w_ = std::move(w).value();
    for (int i = 0; i < 4; ++i) people_.push_back(w_->AddPerson(w_->commune_a1)->id);
    venue_ = w_->AddVenue(w_->commune_a1)->id;
    // people 0 and 1 share the venue for an hour; 2 and 3 are elsewhere.
    Visit(people_[0], kT0, kT0 + kMillisPerHour);
    Visit(people_[1], kT0, kT0 + kMillisPerHour);
  }

  void Visit(PersonId p, int64_t in, int64_t out) {
    auto c = InTx(db(), [&](store::Executor& tx) {
      return tracing::CheckIn(tx, p, venue_, in, "qr", kNow, kLimits);
    });
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE(InTx(db(), [&](store::Executor& tx) {
                  return tracing::CheckOut(tx, c->id, out, kNow, kLimits);
                }).ok());
  }

  store::Database& db() { return w_->db(); }
  Colour ColourOf(PersonId p, int64_t at = kNow) {
    return healthcode::Compute(db(), p, at)->colour;
  }

  Result<Case> Report(PersonId p, Classification c, int64_t now = kNow) {
    return InTx(db(), [&](store::Executor& tx) {
      NewCase in{p, kT0 + kMillisPerDay, std::nullopt, std::nullopt, UserId(1), c, "home"};
      return cases::Report(tx, in, now, SqlTracer());
    });
  }
  Result<Case> Reclassify(CaseId id, Classification c, int64_t now = kNow) {
    return InTx(db(), [&](store::Executor& tx) {
      CaseUpdate u;
      u.classification = c;
      u.note = "lab result";
      return Update(tx, id, u, UserId(1), now, SqlTracer());
    });
  }

  std::unique_ptr<registry::testing::World> w_;
  std::vector<PersonId> people_;
  VenueId venue_;
};

TEST_F(LifecycleTest, OnlyATracingCaseTurnsCodesRedAndDiscardingTakesItBack) {
  auto c = Report(people_[0], Classification::kSuspected);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->classification, Classification::kSuspected);
  EXPECT_EQ(c->traced_at, std::nullopt);
  EXPECT_EQ(c->confirmed_at, 0);
  EXPECT_EQ(c->isolation_place, "home");
  EXPECT_EQ(ColourOf(people_[0]), Colour::kGreen);
  EXPECT_EQ(ColourOf(people_[1]), Colour::kGreen);

  auto confirmed = Reclassify(c->id, Classification::kConfirmed);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_TRUE(confirmed->traced_at);
  EXPECT_EQ(confirmed->confirmed_at, kNow);
  EXPECT_EQ(confirmed->contact_count, 1);
  EXPECT_EQ(ColourOf(people_[0]), Colour::kRed);
  EXPECT_EQ(ColourOf(people_[1]), Colour::kRed);
  // Tracing opened the contact's follow-up, from the last exposure.
  auto contacts = ContactsOfPerson(db(), people_[1]);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].source, "tracing");
  EXPECT_EQ((*contacts)[0].status, "under_follow_up");
  EXPECT_EQ((*contacts)[0].risk, "high");
  EXPECT_EQ((*contacts)[0].follow_up_until, kT0 + kMillisPerHour + 14 * kMillisPerDay);

  auto discarded = Reclassify(c->id, Classification::kDiscarded, kNow + kMillisPerHour);
  ASSERT_TRUE(discarded.ok()) << discarded.status().ToString();
  EXPECT_EQ(discarded->traced_at, std::nullopt);
  EXPECT_EQ(ColourOf(people_[0], kNow + kMillisPerHour), Colour::kGreen);
  EXPECT_EQ(ColourOf(people_[1], kNow + kMillisPerHour), Colour::kGreen);
  // The stored status rows were recomputed too: nobody counts as red under the unit.
  EXPECT_EQ(healthcode::CountCodes(db(), w_->province.path)->red, 0);
  EXPECT_EQ((*ContactsOfPerson(db(), people_[1]))[0].status, "completed");
  EXPECT_TRUE(InfectiousWindows(db(), 0)->empty());

  auto history = History(db(), c->id);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& e : *history) actions.push_back(e.action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"reported", "updated", "traced", "updated", "untraced"}));
  EXPECT_NE((*history)[1].changes.find("\"classification\":[\"suspected\",\"confirmed\"]"),
            std::string::npos)
      << (*history)[1].changes;
  EXPECT_EQ((*history)[1].note, "lab result");
  EXPECT_EQ((*history)[1].by, UserId(1));

  // Each change of colour was told to the person, in their language (docs/outbox.md).
  FixedClock clock(kNow + kMillisPerHour);
  outbox::Outbox box(db(), clock);
  auto contact = *w_->As(registry::Role::kCitizen, w_->commune_a1, people_[1]);
  auto told = box.Mine(contact, 10, 0);
  ASSERT_TRUE(told.ok()) << told.status().ToString();
  std::vector<std::string> kinds;
  for (const auto& m : *told) kinds.push_back(m.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"code_green", "code_red"}));
  EXPECT_EQ(told->back().language, "vi");
  EXPECT_EQ(told->back().subject, "Mã sức khỏe của bạn là màu đỏ");
  EXPECT_EQ(told->back().link, "/me/code");
}

TEST_F(LifecycleTest, AProbableCaseTracesOnlyWhenThePolicySaysSo) {
  auto c = Report(people_[0], Classification::kProbable);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->traced_at, std::nullopt);
  EXPECT_EQ(ColourOf(people_[1]), Colour::kGreen);

  auto policy = healthcode::ActivePolicy(db());
  policy->version = 2;
  policy->probable_case_traces = true;
  auto on = InTx(db(), [&](store::Executor& tx) {
    return healthcode::ActivatePolicy(tx, healthcode::FormatPolicy(*policy), std::nullopt, kNow);
  });
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  // A new probable case traces at once; the old one when it next changes.
  auto d = Report(people_[1], Classification::kProbable);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->traced_at);
  EXPECT_EQ(ColourOf(people_[1]), Colour::kRed);
}

TEST_F(LifecycleTest, UpdatesCheckTheirFields) {
  auto c = Report(people_[0], Classification::kSuspected);
  ASSERT_TRUE(c.ok());
  auto bad = [&](CaseUpdate u) {
    return InTx(db(),
                [&](store::Executor& tx) {
                  return Update(tx, c->id, u, UserId(1), kNow, SqlTracer());
                })
        .status();
  };
  CaseUpdate outcome;
  outcome.outcome = "vanished";
  EXPECT_EQ(bad(outcome).field(), "outcome");
  CaseUpdate future;
  future.onset_at = kNow + kMillisPerDay;
  EXPECT_EQ(bad(future).field(), "onset_at");
  CaseUpdate lone;
  lone.outcome_at = kNow;
  EXPECT_EQ(bad(lone).field(), "outcome_at");
  CaseUpdate died;
  died.outcome = "died";
  auto done = InTx(db(), [&](store::Executor& tx) {
    return Update(tx, c->id, died, UserId(1), kNow, SqlTracer());
  });
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->outcome, "died");
  EXPECT_EQ(done->outcome_at, kNow);
  auto discarded = InTx(db(), [&](store::Executor& tx) {
    NewCase in{people_[2], kT0, std::nullopt, std::nullopt, UserId(1), Classification::kDiscarded};
    return cases::Report(tx, in, kNow, SqlTracer());
  });
  EXPECT_EQ(discarded.status().field(), "classification");
}

TEST_F(LifecycleTest, AContactWhoBecomesACaseKeepsTheLinkAndMakesAnEdge) {
  auto a = Report(people_[0], Classification::kConfirmed);
  ASSERT_TRUE(a.ok());
  auto b = Report(people_[1], Classification::kSuspected, kNow + kMillisPerHour);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto contacts = ContactsOfPerson(db(), people_[1]);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].status, "converted");
  EXPECT_EQ((*contacts)[0].case_id, a->id);
  EXPECT_EQ((*contacts)[0].converted_case, b->id);

  auto g = ChainOfCase(db(), b->id);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->nodes.size(), 2u);
  ASSERT_EQ(g->edges.size(), 1u);
  EXPECT_EQ(g->edges[0].from, a->id);
  EXPECT_EQ(g->edges[0].to, b->id);
  EXPECT_EQ(g->edges[0].source, "tracing");
  EXPECT_EQ(g->edges[0].venue, venue_);
  EXPECT_EQ(g->edges[0].at, kT0);

  // By hand: b infected a third case; the cluster holds all three.
  auto c = Report(people_[2], Classification::kConfirmed, kNow + 2 * kMillisPerHour);
  ASSERT_TRUE(c.ok());
  auto edge = InTx(db(), [&](store::Executor& tx) {
    return AddTransmission(tx, {0, b->id, c->id, "", std::nullopt, kT0, "household"},
                           kNow + 2 * kMillisPerHour);
  });
  ASSERT_TRUE(edge.ok()) << edge.status().ToString();
  EXPECT_EQ(edge->source, "manual");
  auto again = InTx(db(), [&](store::Executor& tx) {
    return AddTransmission(tx, {0, b->id, c->id, "", std::nullopt, kT0, ""}, kNow);
  });
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  auto self = InTx(db(), [&](store::Executor& tx) {
    return AddTransmission(tx, {0, b->id, b->id, "", std::nullopt, kT0, ""}, kNow);
  });
  EXPECT_EQ(self.status().field(), "to_case_id");
  EXPECT_EQ(ChainOfCase(db(), a->id)->nodes.size(), 3u);
  Cluster cl;
  cl.name = "Karaoke night";
  cl.kind = "event";
  cl.org_unit = w_->commune_a1.id;
  cl.venue = venue_;
  cl.cases = {a->id};
  auto made = InTx(db(), [&](store::Executor& tx) { return CreateCluster(tx, cl, kNow); });
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto chain = ChainOfCluster(db(), made->id);
  EXPECT_EQ(chain->nodes.size(), 3u);
  EXPECT_EQ(chain->edges.size(), 2u);
}

TEST_F(LifecycleTest, FollowUpIsRoundRobinOverdueChecksAlertAndAnswersCount) {
  auto t1 = w_->As(registry::Role::kTracer, w_->commune_a1);
  auto t2 = w_->As(registry::Role::kTracer, w_->commune_a1);
  auto district = w_->As(registry::Role::kTracer, w_->district_a);
  auto a = Report(people_[0], Classification::kConfirmed);
  ASSERT_TRUE(a.ok());
  auto policy = healthcode::ActivePolicy(db());
  std::vector<NewContact> in;
  for (PersonId p : {people_[2], people_[3]}) {
    NewContact k;
    k.case_id = a->id;
    k.person = p;
    k.source = "household";
    k.proximity = "same_room";
    k.risk = "high";
    k.place = "home";
    k.exposure_start = kT0;
    k.duration_minutes = 600;
    in.push_back(k);
  }
  auto made = InTx(
      db(), [&](store::Executor& tx) { return AddContacts(tx, in, *policy, UserId(1), kNow); });
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  // people_[1] (traced) went to the first tracer, then the second, then the first again.
  auto traced = ContactsOfPerson(db(), people_[1]);
  EXPECT_EQ((*traced)[0].assigned_to, t1->user);
  EXPECT_EQ((*made)[0].assigned_to, t2->user);
  EXPECT_EQ((*made)[1].assigned_to, t1->user);
  // A commune without tracers of its own falls back to the district's.
  PersonId elsewhere = w_->AddPerson(w_->commune_a2)->id;
  NewContact k = in[0];
  k.person = elsewhere;
  auto far = InTx(db(), [&](store::Executor& tx) {
    std::vector<NewContact> one = {k};
    return AddContacts(tx, one, *policy, UserId(1), kNow);
  });
  ASSERT_TRUE(far.ok());
  EXPECT_EQ((*far)[0].assigned_to, district->user);

  // Bad input names the field.
  NewContact wrong = in[0];
  wrong.risk = "extreme";
  auto refused = InTx(db(), [&](store::Executor& tx) {
    std::vector<NewContact> one = {wrong};
    return AddContacts(tx, one, *policy, UserId(1), kNow);
  });
  EXPECT_EQ(refused.status().field(), "risk");

  // The first contact answers today with a fever: a symptom report turns their code yellow.
  auto check = InTx(db(), [&](store::Executor& tx) {
    return RecordCheck(tx, (*made)[0].id, {"cough", 38.2}, std::nullopt, true, kNow);
  });
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->by_citizen);
  EXPECT_EQ(ColourOf(people_[2]), Colour::kRed);  // a household contact of a case stays red
  auto codes = healthcode::LoadFacts(db(), *policy, people_[2]);
  EXPECT_EQ(codes->symptoms.size(), 1u);

  // The next day's sweep: yesterday's checks of the others were not answered.
  const int64_t tomorrow = kNow + kMillisPerDay;
  auto missed = InTx(db(), [&](store::Executor& tx) { return SweepFollowUp(tx, tomorrow); });
  ASSERT_TRUE(missed.ok()) << missed.status().ToString();
  ASSERT_EQ(missed->size(), 3u);  // people_[1], people_[3] and the one in commune A2
  for (const auto& m : *missed) EXPECT_EQ(m.day, *LocalDate(m.contact.time_zone, kNow));
  // A second sweep finds nothing new.
  EXPECT_TRUE(
      InTx(db(), [&](store::Executor& tx) { return SweepFollowUp(tx, tomorrow); })->empty());
  auto checks = ListChecks(db(), (*made)[1].id);
  ASSERT_EQ(checks->size(), 1u);
  EXPECT_EQ((*checks)[0].status, "missed");

  // Bulk: mark two lost; a filtered list then shows who is left.
  int64_t ids[] = {(*made)[0].id, (*made)[1].id};
  auto lost = InTx(db(), [&](store::Executor& tx) {
    return SetContactStatus(tx, ids, "lost", std::nullopt, tomorrow);
  });
  EXPECT_EQ(*lost, 2);
  ContactFilter f;
  f.under_path = w_->commune_a1.path;
  f.status = "under_follow_up";
  EXPECT_EQ(*CountContacts(db(), f), 1);
  f.status = "lost";
  EXPECT_EQ(ListContacts(db(), f)->size(), 2u);

  // After the period, the sweep completes the rest.
  auto later = kT0 + 30 * kMillisPerDay;
  ASSERT_TRUE(InTx(db(), [&](store::Executor& tx) { return SweepFollowUp(tx, later); }).ok());
  f.status = "under_follow_up";
  f.under_path = w_->province.path;
  EXPECT_EQ(*CountContacts(db(), f), 0);
}

TEST_F(LifecycleTest, LineListsFilterAndCount) {
  ASSERT_TRUE(Report(people_[0], Classification::kConfirmed).ok());
  ASSERT_TRUE(Report(people_[2], Classification::kSuspected).ok());
  PersonId b1 = w_->AddPerson(w_->commune_b1)->id;
  ASSERT_TRUE(Report(b1, Classification::kConfirmed).ok());
  CaseFilter f;
  f.under_path = w_->district_a.path;
  EXPECT_EQ(*CountCases(db(), f), 2);
  f.classification = Classification::kConfirmed;
  auto lines = ListCaseLines(db(), f);
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].person, people_[0]);
  f.under_path = w_->province.path;
  EXPECT_EQ(*CountCases(db(), f), 2);
  auto times = CaseTimes(db(), w_->province.path, 0, kNow + 1, true, false);
  EXPECT_EQ(times->size(), 2u);
}

TEST_F(LifecycleTest, MergingMovesCasesAndContacts) {
  auto a = Report(people_[0], Classification::kConfirmed);
  ASSERT_TRUE(a.ok());
  auto moved = InTx(
      db(), [&](store::Executor& tx) { return ReassignPerson(tx, people_[1], people_[3], kNow); });
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_GE(*moved, 2);
  EXPECT_TRUE(ContactsOfPerson(db(), people_[1])->empty());
  EXPECT_EQ(ContactsOfPerson(db(), people_[3])->size(), 1u);
  ASSERT_TRUE(Report(people_[2], Classification::kSuspected).ok());
  auto both = InTx(
      db(), [&](store::Executor& tx) { return ReassignPerson(tx, people_[2], people_[0], kNow); });
  EXPECT_EQ(both.status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace mekong::cases
