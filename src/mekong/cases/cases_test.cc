#include "mekong/cases/cases.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::cases {
namespace {

constexpr int64_t kMin = kMillisPerMinute;
const int64_t kT0 = *ParseRfc3339("2026-11-20T08:00:00+07:00");
const int64_t kNow = kT0 + 3 * kMillisPerDay;
const tracing::Limits kLimits{24 * kMillisPerHour, 5 * kMin, 28 * kMillisPerDay};

// Confirm in a transaction of its own, as the service runs it (it publishes on the change feed).
Result<Case> ConfirmTx(store::Database& db, const NewCase& in, int64_t now, const Tracer& tracer) {
  return store::testing::InTx(db,
                              [&](store::Executor& tx) { return Confirm(tx, in, now, tracer); });
}

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &tracing::kModule, &outbox::kModule,
                                      &healthcode::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "Bãi Cháy", "BC"});
    for (int i = 0; i < 3; ++i) {
      registry::Person p{.full_name = "Person " + std::to_string(i),
                         .document_type = "passport",
                         .document_number = "P" + std::to_string(i),
                         .nationality = "KR",
                         .language = "ko",
                         .org_unit = unit->id};
      people_.push_back(registry::CreatePerson(*db_, p, kNow)->id);
    }
    registry::Venue v{.name = "Karaoke",
                      .kind = "karaoke",
                      .capacity = 40,
                      .org_unit = unit->id,
                      .default_stay_minutes = 120};
    venue_ = registry::CreateVenue(*db_, v, kNow)->id;
  }

  std::unique_ptr<store::Database> db_;
  std::vector<PersonId> people_;
  VenueId venue_;
};

TEST_F(CasesTest, ConfirmingACaseTurnsItsContactsRed) {
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[0], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], venue_, kT0 + kMillisPerHour, "qr", kNow,
                                        kLimits);
              }).ok());
  // Person 2 was there the week before the window.
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[2], venue_, kT0 - 5 * kMillisPerDay, "qr", kNow,
                                        kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[0], venue_, kT0 - 5 * kMillisPerDay, "qr", kNow,
                                        kLimits);
              }).ok());

  EXPECT_EQ(healthcode::Compute(*db_, people_[1], kNow)->colour, healthcode::Colour::kGreen);
  Case c;
  Status s = db_->Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(
        c, Confirm(tx, {people_[0], kT0 + kMillisPerDay, std::nullopt, std::nullopt, UserId(1)},
                   kNow, SqlTracer()));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(c.window_start, kT0 - kMillisPerDay);
  EXPECT_EQ(c.window_end, kNow);
  EXPECT_EQ(c.contact_count, 1);

  auto contacts = ListContacts(*db_, c.id);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].person, people_[1]);
  EXPECT_EQ((*contacts)[0].contact.total_minutes, 60);

  auto code = healthcode::Compute(*db_, people_[1], kNow);
  EXPECT_EQ(code->colour, healthcode::Colour::kRed);
  ASSERT_EQ(code->reasons.size(), 1u);
  EXPECT_EQ(code->reasons[0].rule, healthcode::RuleKind::kCloseContact);
  int64_t isolation_end = kT0 + 2 * kMillisPerHour + 14 * kMillisPerDay;
  // The default policy wants the isolation period and a negative test: no date until the test.
  EXPECT_EQ(code->green_at, std::nullopt);
  EXPECT_EQ(code->reasons[0].negative_test_from, kT0 + 2 * kMillisPerHour + 12 * kMillisPerDay);
  EXPECT_EQ(code->language, "ko");
  EXPECT_NE(code->reasons[0].detail.find("밀접접촉자"), std::string::npos)
      << code->reasons[0].detail;
  EXPECT_EQ(healthcode::Compute(*db_, people_[1], isolation_end)->colour, healthcode::Colour::kRed);
  auto tested = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return healthcode::RecordTest(
        tx, {people_[1], false, "pcr", isolation_end - kMillisPerDay, std::nullopt},
        isolation_end - kMillisPerDay);
  });
  ASSERT_TRUE(tested.ok()) << tested.status().ToString();
  EXPECT_EQ(tested->colour, healthcode::Colour::kRed);
  EXPECT_EQ(tested->green_at, isolation_end);
  EXPECT_EQ(healthcode::Compute(*db_, people_[1], isolation_end)->colour,
            healthcode::Colour::kGreen);

  auto own = healthcode::Compute(*db_, people_[0], kNow);
  EXPECT_EQ(own->colour, healthcode::Colour::kRed);
  EXPECT_EQ(own->green_at, std::nullopt);  // a case waits for release
  EXPECT_EQ(healthcode::Compute(*db_, people_[2], kNow)->colour, healthcode::Colour::kGreen);
}

TEST_F(CasesTest, BadConfirmationsStoreNothing) {
  struct Bad {
    NewCase in;
    std::string field;
    Code code;
  } bad[] = {
      {{people_[0], std::nullopt, std::nullopt, std::nullopt, UserId(1)},
       "onset_at",
       Code::kInvalidArgument},
      {{people_[0], kNow + kMillisPerHour, std::nullopt, std::nullopt, UserId(1)},
       "onset_at",
       Code::kInvalidArgument},
      {{people_[0], kT0, std::nullopt, kT0 - 3 * kMillisPerDay, UserId(1)},
       "isolated_at",
       Code::kInvalidArgument},
      {{PersonId(999), kT0, std::nullopt, std::nullopt, UserId(1)}, "person_id", Code::kNotFound},
  };
  for (const auto& b : bad) {
    auto r = ConfirmTx(*db_, b.in, kNow, SqlTracer());
    EXPECT_EQ(r.status().code(), b.code) << b.field;
    EXPECT_EQ(r.status().field(), b.field);
  }
  EXPECT_TRUE(ListCases(*db_, "/", 10, 0)->empty());
  ASSERT_TRUE(
      ConfirmTx(*db_, {people_[0], std::nullopt, kT0, std::nullopt, UserId(1)}, kNow, SqlTracer())
          .ok());
  auto again =
      ConfirmTx(*db_, {people_[0], std::nullopt, kT0, std::nullopt, UserId(1)}, kNow, SqlTracer());
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(ListCases(*db_, "/", 10, 0)->size(), 1u);
}

TEST_F(CasesTest, ReleaseEndsTheCaseReasonOnly) {
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[0], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], venue_, kT0 + kMillisPerHour, "qr", kNow,
                                        kLimits);
              }).ok());
  auto c =
      ConfirmTx(*db_, {people_[0], kT0, std::nullopt, std::nullopt, UserId(1)}, kNow, SqlTracer());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(
      store::testing::InTx(
          *db_, [&](store::Executor& tx) { return Release(tx, c->id, kNow + kMillisPerDay, kNow); })
          .status()
          .field(),
      "released_at");
  EXPECT_EQ(
      store::testing::InTx(*db_, [&](store::Executor& tx) { return Release(tx, c->id, kT0, kNow); })
          .status()
          .field(),
      "released_at");  // before confirmation
  EXPECT_EQ(store::testing::InTx(
                *db_, [&](store::Executor& tx) { return Release(tx, CaseId(999), kNow, kNow); })
                .status()
                .code(),
            Code::kNotFound);
  auto released = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Release(tx, c->id, kNow, kNow); });
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(released->released_at, kNow);
  EXPECT_EQ(store::testing::InTx(
                *db_, [&](store::Executor& tx) { return Release(tx, c->id, kNow, kNow); })
                .status()
                .code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(healthcode::Compute(*db_, people_[0], kNow)->colour, healthcode::Colour::kGreen);
  EXPECT_EQ(healthcode::Compute(*db_, people_[1], kNow)->colour, healthcode::Colour::kRed);
}

TEST_F(CasesTest, SecondHopContactsAreTimeRespecting) {
  // 0 is the case; 1 meets 0 at 08:00-09:00; 2 meets 1 at the karaoke after that (yellow) ...
  auto other = registry::CreateVenue(*db_,
                                     {.name = "Cafe",
                                      .kind = "cafe",
                                      .capacity = 20,
                                      .org_unit = registry::GetPerson(*db_, people_[0])->org_unit,
                                      .default_stay_minutes = 60},
                                     kNow);
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[0], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], other->id, kT0 + 3 * kMillisPerHour, "qr",
                                        kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[2], other->id, kT0 + 3 * kMillisPerHour, "qr",
                                        kNow, kLimits);
              }).ok());
  auto c =
      ConfirmTx(*db_, {people_[0], kT0, std::nullopt, std::nullopt, UserId(1)}, kNow, SqlTracer());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto contacts = ListContacts(*db_, c->id);
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ((*contacts)[1].person, people_[2]);
  EXPECT_EQ((*contacts)[1].hop, 2);
  EXPECT_EQ((*contacts)[1].via, people_[1].value);
  EXPECT_EQ(c->contact_count, 1);  // hop 1 only
  auto code = healthcode::Compute(*db_, people_[2], kNow);
  EXPECT_EQ(code->colour, healthcode::Colour::kYellow);
  EXPECT_EQ(code->green_at, kT0 + 4 * kMillisPerHour + 7 * kMillisPerDay);
}

TEST_F(CasesTest, AnEarlierMeetingIsNotASecondHopExposure) {
  // 2 met 1 the day before 1 met the case: not exposed through 1.
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], venue_, kT0 - kMillisPerDay, "qr", kNow,
                                        kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[2], venue_, kT0 - kMillisPerDay, "qr", kNow,
                                        kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[0], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return tracing::CheckIn(tx, people_[1], venue_, kT0, "qr", kNow, kLimits);
              }).ok());
  auto c =
      ConfirmTx(*db_, {people_[0], kT0 + kMillisPerHour, std::nullopt, std::nullopt, UserId(1)},
                kNow, SqlTracer());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(ListContacts(*db_, c->id)->size(), 1u);
  EXPECT_EQ(healthcode::Compute(*db_, people_[2], kNow)->colour, healthcode::Colour::kGreen);
}

}  // namespace
}  // namespace mekong::cases
