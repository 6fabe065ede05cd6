// Testing, vaccination, the population register and merges through the outbreak service, on
// both stores (MEKONG_TEST_BACKEND), with a race for the last place of a slot between two
// database handles, as two servers would race.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mekong/cases/cases.h"
#include "mekong/command/alerts.h"
#include "mekong/core/names.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/outbreak/service.h"
#include "mekong/registry/testing.h"
#include "mekong/screening/service.h"
#include "mekong/store/testing.h"
#include "mekong/tracing/checkins.h"

namespace mekong::outbreak {
namespace {

using healthcode::Colour;
using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-12-01T03:00:00Z");

// The services of one server over one database handle.
struct Stack {
  Stack(store::Database& db, const Clock& clock)
      : tracing(db, clock, Options()),
        codes(db, clock, {}),
        cases(db, clock, tracing, codes),
        outbreak(db, clock, tracing, codes, cases) {
    (void)tracing.Start();
  }
  ~Stack() { tracing.Stop(); }
  static tracing::ServiceOptions Options() {
    tracing::ServiceOptions o;
    o.limits = {24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};
    o.feed_poll_ms = 20;
    return o;
  }
  tracing::Service tracing;
  healthcode::Service codes;
  cases::Service cases;
  Service outbreak;
};

class OutbreakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make(
        {&tracing::kModule, &healthcode::kModule, &cases::kModule, &outbox::kModule,
         &command::kModule, &screening::kModule, &kModule},
        kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    w_ = std::move(w).value();
    // The commune lives by Vietnam's clock.
    ASSERT_TRUE(w_->db().Exec("UPDATE org_unit SET time_zone = 'Asia/Ho_Chi_Minh'").ok());
    s_ = std::make_unique<Stack>(w_->db(), clock_);
    admin_ = *w_->As(Role::kAdmin, w_->province);
    lab_ = *w_->As(Role::kLabTechnician, w_->district_a);
    officer_ = *w_->As(Role::kCommandOfficer, w_->commune_a1);
    admin_.time_zone = lab_.time_zone = officer_.time_zone = "Asia/Ho_Chi_Minh";
    TestSite site;
    site.name = "Bãi Cháy test site";
    site.org_unit = w_->commune_a1.id;
    site.kinds = {"pcr", "antigen"};
    auto made = s_->outbreak.CreateSite(officer_, site);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    site_ = *made;
  }

  Slot OneSlot(int capacity) {
    auto slots =
        s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-02", "09:00", "09:15", 15, capacity});
    EXPECT_TRUE(slots.ok()) << slots.status().ToString();
    return slots->slots.front().slot;
  }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> w_;
  std::unique_ptr<Stack> s_;
  registry::Caller admin_, lab_, officer_;
  TestSite site_;
};

TEST_F(OutbreakTest, SlotsAreLocalTimesAndCitizensReadThemInTheirZone) {
  Slot slot = OneSlot(3);
  // 09:00 in Hạ Long is 02:00 UTC.
  EXPECT_EQ(slot.starts_at, *ParseRfc3339("2026-12-02T02:00:00Z"));
  PersonId p = w_->AddPerson(w_->commune_a1)->id;
  auto citizen = *w_->As(Role::kCitizen, w_->commune_a1, p);
  auto list = s_->outbreak.Slots(citizen, site_.id, "2026-12-02", "Asia/Yangon");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->slots.size(), 1u);
  EXPECT_EQ(list->slots[0].local_start, "2026-12-02T08:30:00+06:30");
  EXPECT_EQ(s_->outbreak.Slots(citizen, site_.id, "2026-12-02", "Mars/Olympus").status().field(),
            "tz");
  auto bad = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-02", "9am", "10:00", 15, 1});
  EXPECT_EQ(bad.status().field(), "start");
}

// Adding slots says what it did; none is made in the past; a name of blanks is no name.
TEST_F(OutbreakTest, AddingSlotsCountsNewAndKeptAndRefusesThePast) {
  // kNow is 10:00 in Hạ Long on 2026-12-01.
  auto first = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-02", "09:00", "10:00", 15, 3});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(std::tuple(first->created, first->kept, first->past), std::tuple(4, 0, 0));
  EXPECT_EQ(first->slots.front().local_start, "2026-12-02T09:00:00+07:00");
  auto again = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-02", "09:30", "11:00", 15, 5});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(std::tuple(again->created, again->kept), std::tuple(4, 2));
  EXPECT_EQ(again->slots.front().slot.capacity, 3);  // kept as it was
  auto today = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-01", "09:00", "11:00", 30, 2});
  ASSERT_TRUE(today.ok()) << today.status().ToString();
  EXPECT_EQ(std::tuple(today->created, today->past), std::tuple(2, 2));
  auto gone = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-01", "07:00", "09:00", 30, 2});
  EXPECT_EQ(gone.status().field(), "end");
  auto yesterday =
      s_->outbreak.AddSlots(officer_, site_.id, {"2026-11-30", "09:00", "11:00", 30, 2});
  EXPECT_EQ(yesterday.status().field(), "date");

  TestSite blank;
  blank.name = "  \t ";
  blank.kinds = {"pcr"};
  EXPECT_EQ(s_->outbreak.CreateSite(officer_, blank).status().field(), "name");
  blank.name = "  Hòn Gai  ";
  auto trimmed = s_->outbreak.CreateSite(officer_, blank);
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  EXPECT_EQ(trimmed->name, "Hòn Gai");
  EXPECT_EQ(s_->outbreak.Site(officer_, trimmed->id)->name, "Hòn Gai");
  auto elsewhere = *w_->As(Role::kCommandOfficer, w_->district_b);
  EXPECT_EQ(s_->outbreak.Site(elsewhere, trimmed->id).status().code(), Code::kNotFound);
}

// A booking and its cancel are messages to the person, the time in the site's zone; the
// reminder a day before is taken back with the cancel.
TEST_F(OutbreakTest, ABookingIsToldAndItsReminderGoesWithACancel) {
  Slot slot = OneSlot(3);
  PersonId p = w_->AddPerson(w_->commune_a1, "vi")->id;
  auto citizen = *w_->As(Role::kCitizen, w_->commune_a1, p);
  outbox::Outbox box(w_->db(), clock_);
  auto kinds = [&] {
    std::vector<std::string> k;
    auto mine = box.Mine(citizen, 20, 0);
    for (const auto& m : *mine) k.push_back(m.kind);
    return k;
  };
  auto b = s_->outbreak.Book(citizen, slot.id, std::nullopt, "antigen");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto mine = box.Mine(citizen, 20, 0);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().kind, "test_booked");
  EXPECT_NE(mine->front().text.find("Bãi Cháy test site"), std::string::npos);
  const std::string when = FormatDateTime("Asia/Ho_Chi_Minh", "vi", slot.starts_at).value();
  EXPECT_NE(mine->front().text.find(when), std::string::npos) << mine->front().text;

  // A second booking stays; its reminder comes a day before.
  Slot other = s_->outbreak.AddSlots(officer_, site_.id, {"2026-12-03", "09:00", "09:15", 15, 2})
                   ->slots.front()
                   .slot;
  ASSERT_TRUE(s_->outbreak.Book(citizen, other.id, std::nullopt, "pcr").ok());
  ASSERT_TRUE(s_->outbreak.Cancel(citizen, b->id).ok());
  EXPECT_EQ(kinds(), std::vector<std::string>({"test_cancelled", "test_booked", "test_booked"}));
  clock_.Set(other.starts_at - kMillisPerDay);
  EXPECT_EQ(kinds(), std::vector<std::string>(
                         {"test_reminder", "test_cancelled", "test_booked", "test_booked"}));
  EXPECT_NE(box.Mine(citizen, 20, 0)
                ->front()
                .text.find(FormatDateTime("Asia/Ho_Chi_Minh", "vi", other.starts_at).value()),
            std::string::npos);
}

TEST_F(OutbreakTest, TwoPeopleRacingForTheLastPlaceGetOneBookingAndOneRefusal) {
  Slot slot = OneSlot(2);
  PersonId first = w_->AddPerson(w_->commune_a1)->id;
  ASSERT_TRUE(s_->outbreak.Book(officer_, slot.id, first, "pcr").ok());
  // Two servers, each with its own handle on the store, race for the one place left.
  for (int round = 0; round < 5; ++round) {
    PersonId a = w_->AddPerson(w_->commune_a1)->id, b = w_->AddPerson(w_->commune_a1)->id;
    auto db_a = w_->OpenAgain(), db_b = w_->OpenAgain();
    ASSERT_TRUE(db_a.ok() && db_b.ok());
    Stack sa(**db_a, clock_), sb(**db_b, clock_);
    std::atomic<bool> go{false};
    Result<Booking> ra = Status::Internal("not run"), rb = Status::Internal("not run");
    std::thread ta([&] {
      while (!go) {
      }
      ra = sa.outbreak.Book(officer_, slot.id, a, "pcr");
    });
    std::thread tb([&] {
      while (!go) {
      }
      rb = sb.outbreak.Book(officer_, slot.id, b, "antigen");
    });
    go = true;
    ta.join();
    tb.join();
    ASSERT_NE(ra.ok(), rb.ok()) << ra.status().ToString() << " / " << rb.status().ToString();
    const Status& refused = ra.ok() ? rb.status() : ra.status();
    EXPECT_EQ(refused.code(), Code::kFailedPrecondition) << refused.ToString();
    EXPECT_EQ(refused.field(), "slot_id");
    EXPECT_NE(refused.message().find("is full"), std::string::npos) << refused.message();
    const Slot now = s_->outbreak.Slots(officer_, site_.id, "2026-12-02", "")->slots[0].slot;
    EXPECT_EQ(now.booked, 2);
    EXPECT_EQ(now.cancelled, round);  // one a round so far, each freeing its place
    // Free the place for the next round.
    ASSERT_TRUE(s_->outbreak.Cancel(officer_, ra.ok() ? ra->id : rb->id).ok());
  }
}

TEST_F(OutbreakTest, APositiveResultOpensASuspectedCaseAndEveryResultReachesTheCode) {
  PersonId p = w_->AddPerson(w_->commune_a1)->id;
  Sample in;
  in.person = p;
  in.site_id = site_.id;
  in.kind = "pcr";
  auto s = s_->outbreak.TakeSample(lab_, in);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->label.rfind("MKS1-", 0), 0u) << s->label;
  auto r = s_->outbreak.EnterResult(lab_, s->id, "positive");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->c);
  EXPECT_EQ(r->c->classification, cases::Classification::kSuspected);
  EXPECT_EQ(r->c->sample_at, s->taken_at);
  EXPECT_EQ(r->colour, Colour::kRed);  // the positive test rule
  EXPECT_EQ(r->sample.case_id, r->c->id);
  // A second result on the same sample is refused, naming the field.
  EXPECT_EQ(s_->outbreak.EnterResult(lab_, s->id, "negative").status().field(), "result");
  // The lab technician may not read contacts or line lists of cases.
  EXPECT_EQ(s_->cases.ContactLines(lab_, std::nullopt, {}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(s_->cases.CaseLines(lab_, std::nullopt, {}).status().code(), Code::kPermissionDenied);
}

TEST_F(OutbreakTest, EveryResultIsAMessageToThePersonInTheirLanguage) {
  auto me = w_->AddPerson(w_->commune_a1, "vi");
  ASSERT_TRUE(me.ok());
  registry::Caller citizen = *w_->As(Role::kCitizen, w_->commune_a1, me->id);
  outbox::Outbox box(w_->db(), clock_);
  std::vector<std::string> labels;
  for (const char* result : {"negative", "positive", "invalid"}) {
    Sample in;
    in.person = me->id;
    in.site_id = site_.id;
    in.kind = "antigen";
    auto s = s_->outbreak.TakeSample(lab_, in);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE(s_->outbreak.EnterResult(lab_, s->id, result).ok()) << result;
    labels.push_back(s->label);
  }
  auto mine = box.Mine(citizen, 10, 0);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 3u);  // newest first
  EXPECT_EQ(mine->at(0).kind, "test_invalid");
  EXPECT_EQ(mine->at(1).kind, "test_positive");
  EXPECT_EQ(mine->at(1).subject, "Kết quả xét nghiệm của bạn: dương tính");
  EXPECT_NE(mine->at(1).text.find(labels[1]), std::string::npos) << mine->at(1).text;
  EXPECT_EQ(mine->at(2).kind, "test_negative");
  for (const auto& m : *mine) {
    EXPECT_EQ(m.language, "vi");
    EXPECT_EQ(m.link, "/me/tests/bookings");
  }
  // A refused result (a second one on a sample) tells nobody anything.
  Sample again;
  again.person = me->id;
  again.site_id = site_.id;
  again.kind = "pcr";
  auto s = s_->outbreak.TakeSample(lab_, again);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s_->outbreak.EnterResult(lab_, s->id, "negative").ok());
  EXPECT_FALSE(s_->outbreak.EnterResult(lab_, s->id, "positive").ok());
  EXPECT_EQ(box.Mine(citizen, 10, 0)->size(), 4u);
}

TEST_F(OutbreakTest, ThePolicyCanMakeAPositiveConfirm) {
  auto policy = healthcode::ActivePolicy(w_->db());
  policy->version = 2;
  policy->positive_test_confirms = true;
  ASSERT_TRUE(store::testing::InTx(w_->db(), [&](store::Executor& tx) {
                return healthcode::ActivatePolicy(tx, healthcode::FormatPolicy(*policy),
                                                  std::nullopt, kNow);
              }).ok());
  PersonId p = w_->AddPerson(w_->commune_a1)->id;
  // Already a suspected case (symptoms): the positive confirms it.
  cases::NewCase n;
  n.person = p;
  n.onset_at = kNow - kMillisPerDay;
  n.classification = cases::Classification::kSuspected;
  auto c = s_->cases.Report(officer_, n);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto s = s_->outbreak.TakeSample(lab_, {0, "", p, site_.id, std::nullopt, "antigen"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto r = s_->outbreak.EnterResult(lab_, s->id, "positive");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->c->id, c->id);
  EXPECT_EQ(r->c->classification, cases::Classification::kConfirmed);
  EXPECT_TRUE(r->c->traced_at);
}

TEST_F(OutbreakTest, ResultsAsACsvBatchReportErrorsByLine) {
  PersonId p = w_->AddPerson(w_->commune_a1)->id, q = w_->AddPerson(w_->commune_a2)->id;
  auto s1 = s_->outbreak.TakeSample(lab_, {0, "", p, site_.id, std::nullopt, "pcr"});
  auto s2 = s_->outbreak.TakeSample(lab_, {0, "", q, site_.id, std::nullopt, "antigen"});
  ASSERT_TRUE(s1.ok() && s2.ok());
  std::string csv = "label,result\n" + s1->label + ",negative\n" + "MKS1-9-00000009-00,positive\n" +
                    s2->label + ",maybe\n" + s2->label + ",negative\n" + s1->label + ",positive\n";
  auto r = s_->outbreak.EnterResults(lab_, csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->recorded, 2);
  ASSERT_EQ(r->rejected.size(), 3u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_EQ(r->rejected[0].field, "label");
  EXPECT_EQ(r->rejected[1].line, 4);
  EXPECT_EQ(r->rejected[1].field, "result");
  EXPECT_EQ(r->rejected[2].line, 6);
  // Negative results are tests for the health code too.
  auto facts = healthcode::LoadFacts(w_->db(), *healthcode::ActivePolicy(w_->db()), q);
  ASSERT_EQ(facts->tests.size(), 1u);
  EXPECT_FALSE(facts->tests[0].positive);
  SampleFilter f;
  f.result = "negative";
  EXPECT_EQ(s_->outbreak.SampleLines(lab_, std::nullopt, f)->total, 2);
}

TEST_F(OutbreakTest, VaccinationsForResidentsAndForeigners) {
  auto foreigner = w_->AddPerson(w_->commune_a1, "zh");
  Dose d;
  d.person = foreigner->id;
  d.product = "EU/1/20/1528";
  d.lot = "FK1234";
  d.dose = 1;
  d.given_at = kNow - 30 * kMillisPerDay;
  d.site = "Trạm y tế Bãi Cháy";
  d.country = "VN";
  auto clinician = *w_->As(Role::kClinician, w_->district_a);
  auto made = s_->outbreak.RecordDose(clinician, d);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->lot, "FK1234");
  EXPECT_EQ(s_->outbreak.RecordDose(clinician, d).status().code(), Code::kAlreadyExists);
  d.dose = 11;
  EXPECT_EQ(s_->outbreak.RecordDose(clinician, d).status().field(), "dose");
  auto facts = healthcode::LoadFacts(w_->db(), *healthcode::ActivePolicy(w_->db()), foreigner->id);
  EXPECT_EQ(facts->vaccinations.size(), 1u);
  DoseFilter f;
  f.product = "EU/1/20/1528";
  EXPECT_EQ(s_->outbreak.DoseLines(admin_, std::nullopt, f)->total, 1);
  EXPECT_EQ(s_->outbreak.RecordDose(lab_, d).status().code(), Code::kPermissionDenied);
}

TEST_F(OutbreakTest, NamesCompareAcrossScripts) {
  EXPECT_EQ(NameKey("Nguyễn Văn Đức"), NameKey("nguyen van duc"));
  EXPECT_EQ(NameKey("Đức Nguyễn Văn"), NameKey("NGUYEN Van Duc"));
  EXPECT_EQ(NameKey("王伟"), NameKey("Wang Wei"));
  EXPECT_EQ(NameKey("王伟"), "wang wei");
  EXPECT_NE(NameKey("สมชาย ใจดี"), "");
  EXPECT_EQ(NameKey("สมชาย ใจดี"), NameKey("ใจดี สมชาย"));
  EXPECT_NE(NameKey("Nguyễn Văn An"), NameKey("Nguyễn Văn Anh"));
}

TEST_F(OutbreakTest, PopulationImportIsIdempotentAndDuplicatesMerge) {
  std::string csv =
      "id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality\n"
      "001090000001,Nguyễn Văn,Đức,1990-04-01,male,\"12 Trần Hưng Đạo, Bãi "
      "Cháy\",P-A-1,+84912000001,VN\n"
      "001090000002,Trần Thị,Lan,1985-02-11,female,5 Lê Lợi,P-A-1,+84912000002,VN\n"
      "E1234567,王,伟,1979-09-09,male,3 Hạ Long Road,P-A-1,+8613800000001,CN\n"
      "E7654321,Wang,Wei,1979-09-09,male,Hotel Mường Thanh,P-A-1,+8613800000001,CN\n"
      "001090000003,Lê,Hà,1999-13-01,female,x,P-A-1,,VN\n"
      "001090000004,Phạm,Hải,1970-01-01,male,x,NOPE,,VN\n";
  auto first = s_->outbreak.ImportPopulation(admin_, csv);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->counts.created, 4);
  ASSERT_EQ(first->rejected.size(), 2u);
  EXPECT_EQ(first->rejected[0].line, 6);
  EXPECT_EQ(first->rejected[0].field, "birth_date");
  EXPECT_EQ(first->rejected[1].field, "commune_code");
  auto again = s_->outbreak.ImportPopulation(admin_, csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.created, 0);
  EXPECT_EQ(again->counts.updated, 0);
  EXPECT_EQ(again->counts.unchanged, 4);
  std::string moved = csv;
  const std::string address = "5 Lê Lợi";  // 11 bytes of UTF-8
  moved.replace(moved.find(address), address.size(), "7 Lê Lợi");
  auto third = s_->outbreak.ImportPopulation(admin_, moved);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->counts.updated, 1);
  EXPECT_EQ(s_->outbreak.ImportPopulation(officer_, csv).status().code(), Code::kPermissionDenied);

  auto dups = s_->outbreak.Duplicates(admin_, std::nullopt, 100);
  ASSERT_TRUE(dups.ok()) << dups.status().ToString();
  ASSERT_EQ(dups->size(), 1u);
  EXPECT_EQ((*dups)[0].pair.reason, "name_phone");
  PersonId survivor = (*dups)[0].a.id, merged = (*dups)[0].b.id;

  // The merged record has a check-in, a sample and a dose; they all move.
  auto venue = w_->AddVenue(w_->commune_a1);
  ASSERT_TRUE(store::testing::InTx(w_->db(), [&](store::Executor& tx) {
                return tracing::CheckIn(tx, merged, venue->id, kNow - kMillisPerHour, "qr", kNow,
                                        Stack::Options().limits);
              }).ok());
  // Someone beside them, to ask the index who was there.
  auto neighbour = w_->AddPerson(w_->commune_a1);
  ASSERT_TRUE(store::testing::InTx(w_->db(), [&](store::Executor& tx) {
                return tracing::CheckIn(tx, neighbour->id, venue->id, kNow - kMillisPerHour, "qr",
                                        kNow, Stack::Options().limits);
              }).ok());
  ASSERT_TRUE(s_->outbreak.TakeSample(lab_, {0, "", merged, site_.id, std::nullopt, "pcr"}).ok());
  auto m = s_->outbreak.Merge(admin_, survivor, merged, "same passport holder, two documents");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_NE(m->record.moved.find("\"tracing\":1"), std::string::npos) << m->record.moved;
  auto old = registry::GetPerson(w_->db(), merged);
  EXPECT_EQ(old->merged_into, survivor);
  SampleFilter f;
  f.person = survivor;
  auto lines = s_->outbreak.SampleLines(admin_, std::nullopt, f);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_EQ(lines->total, 1);
  auto stays = tracing::PersonCheckins(w_->db(), survivor, 0, kNow + 1);
  ASSERT_TRUE(stays.ok()) << stays.status().ToString();
  EXPECT_EQ(stays->size(), 1u);
  // The index finds the stay once, under the survivor: the old id's copy overlaps nothing.
  ASSERT_TRUE(s_->tracing.CatchUp().ok());
  auto traced = s_->tracing.Trace(neighbour->id, kNow - kMillisPerDay, kNow + 1, 0, 1);
  ASSERT_TRUE(traced.ok()) << traced.status().ToString();
  ASSERT_EQ(traced->size(), 1u);
  EXPECT_EQ((*traced)[0].person, survivor);
  auto merges = s_->outbreak.Merges(admin_, merged);
  ASSERT_TRUE(merges.ok()) << merges.status().ToString();
  EXPECT_EQ(merges->size(), 1u);
  auto after = s_->outbreak.Duplicates(admin_, std::nullopt, 100);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_TRUE(after->empty());
  EXPECT_EQ(s_->outbreak.Merge(admin_, survivor, merged, "").status().code(),
            Code::kFailedPrecondition);
  // A new case for the merged id is refused, naming the survivor.
  cases::NewCase n;
  n.person = merged;
  n.onset_at = kNow;
  auto refused = s_->cases.Report(admin_, n);
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace mekong::outbreak
