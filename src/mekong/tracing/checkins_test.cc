#include "mekong/tracing/checkins.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::tracing {
namespace {

constexpr int64_t kMin = kMillisPerMinute;
const int64_t kT0 = *ParseRfc3339("2026-11-20T08:00:00+07:00");
const int64_t kNow = kT0 + 3 * kMillisPerDay;
const Limits kLimits{24 * kMillisPerHour, 5 * kMin, 28 * kMillisPerDay};

class CheckinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "Bãi Cháy", "BC"});
    for (int i = 0; i < 4; ++i) {
      registry::Person p;
      p.full_name = "Person " + std::to_string(i);
      p.document_type = "passport";
      p.document_number = "P" + std::to_string(i);
      p.nationality = "VN";
      p.language = "vi";
      p.org_unit = unit->id;
      people_.push_back(registry::CreatePerson(*db_, p, kNow)->id);
    }
    for (int i = 0; i < 2; ++i) {
      registry::Venue v;
      v.name = "Venue " + std::to_string(i);
      v.kind = "restaurant";
      v.capacity = 50;
      v.org_unit = unit->id;
      v.default_stay_minutes = 60;
      venues_.push_back(registry::CreateVenue(*db_, v, kNow)->id);
    }
  }

  Checkin In(int person, int venue, int64_t at) {
    auto c = store::testing::InTx(*db_, [&](store::Executor& tx) {
      return CheckIn(tx, people_[person], venues_[venue], at, "qr", kNow, kLimits);
    });
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : Checkin{};
  }

  std::unique_ptr<store::Database> db_;
  std::vector<PersonId> people_;
  std::vector<VenueId> venues_;
};

TEST_F(CheckinTest, MissingCheckoutClosesAtDefaultStay) {
  Checkin c = In(0, 0, kT0);
  EXPECT_EQ(c.time_out, kT0 + 60 * kMin);
  EXPECT_EQ(c.closed_by, ClosedBy::kDefaultStay);
  auto out = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return CheckOut(tx, c.id, kT0 + 90 * kMin, kNow, kLimits);
  });
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(GetCheckin(*db_, c.id)->time_out, kT0 + 90 * kMin);
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckOut(tx, c.id, kT0 + 95 * kMin, kNow, kLimits);
                                 })
                .status()
                .code(),
            Code::kFailedPrecondition);
}

TEST_F(CheckinTest, CheckingInElsewhereClosesTheOpenStay) {
  Checkin first = In(0, 0, kT0);
  In(0, 1, kT0 + 20 * kMin);
  auto closed = GetCheckin(*db_, first.id);
  EXPECT_EQ(closed->time_out, kT0 + 20 * kMin);
  EXPECT_EQ(closed->closed_by, ClosedBy::kNextCheckin);
}

TEST_F(CheckinTest, BadCheckinsChangeNothing) {
  Checkin c = In(0, 0, kT0);
  auto dup = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return CheckIn(tx, people_[0], venues_[0], kT0 + 10 * kMin, "qr", kNow, kLimits);
  });
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckIn(tx, PersonId(999), venues_[0], kT0, "qr", kNow,
                                                  kLimits);
                                 })
                .status()
                .field(),
            "person_id");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckIn(tx, people_[1], VenueId(999), kT0, "qr", kNow,
                                                  kLimits);
                                 })
                .status()
                .field(),
            "venue_id");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckIn(tx, people_[1], venues_[0], kNow + kMillisPerHour,
                                                  "qr", kNow, kLimits);
                                 })
                .status()
                .field(),
            "time_in");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckIn(tx, people_[1], venues_[0],
                                                  kNow - 40 * kMillisPerDay, "qr", kNow, kLimits);
                                 })
                .status()
                .field(),
            "time_in");
  EXPECT_EQ(
      store::testing::InTx(
          *db_, [&](store::Executor& tx) { return CheckOut(tx, c.id, kT0 - kMin, kNow, kLimits); })
          .status()
          .field(),
      "time_out");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckOut(tx, c.id, kT0 + 25 * kMillisPerHour, kNow,
                                                   kLimits);
                                 })
                .status()
                .field(),
            "time_out");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return CheckOut(tx, CheckinId(999), kT0, kNow, kLimits);
                                 })
                .status()
                .code(),
            Code::kNotFound);
  auto all = PersonCheckins(*db_, people_[0], 0, kNow);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].time_out, kT0 + 60 * kMin);
  EXPECT_TRUE(PersonCheckins(*db_, people_[1], 0, kNow)->empty());
}

TEST_F(CheckinTest, CloseContactsNeedTheMinimumOverlapInsideTheWindow) {
  In(0, 0, kT0);              // the case: 08:00-09:00 at venue 0
  In(1, 0, kT0 + 30 * kMin);  // 08:30-09:30: 30 min overlap
  In(2, 0, kT0 + 50 * kMin);  // 08:50-09:50: 10 min, too short
  In(3, 1, kT0);              // another venue
  auto contacts = CloseContacts(*db_, people_[0], kT0 - kMillisPerDay, kNow, 15 * kMin);
  ASSERT_TRUE(contacts.ok()) << contacts.status().ToString();
  ASSERT_EQ(contacts->size(), 1u);
  const Contact& c = (*contacts)[0];
  EXPECT_EQ(c.person, people_[1]);
  ASSERT_EQ(c.exposures.size(), 1u);
  EXPECT_EQ(c.exposures[0].start, kT0 + 30 * kMin);
  EXPECT_EQ(c.exposures[0].end, kT0 + 60 * kMin);
  EXPECT_EQ(c.total_minutes, 30);

  // A window that ends at 08:40 leaves only 10 minutes of that overlap.
  EXPECT_TRUE(
      CloseContacts(*db_, people_[0], kT0 - kMillisPerDay, kT0 + 40 * kMin, 15 * kMin)->empty());
  // Exactly the minimum counts.
  EXPECT_EQ(CloseContacts(*db_, people_[0], kT0, kNow, 30 * kMin)->size(), 1u);
  EXPECT_TRUE(CloseContacts(*db_, people_[0], kT0, kNow, 31 * kMin)->empty());
}

TEST_F(CheckinTest, OverlapsAreSummedPerPerson) {
  In(0, 0, kT0);
  In(1, 0, kT0);
  In(0, 1, kT0 + 3 * kMillisPerHour);
  In(1, 1, kT0 + 3 * kMillisPerHour + 40 * kMin);
  auto contacts = CloseContacts(*db_, people_[0], kT0 - kMillisPerDay, kNow, 15 * kMin);
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].exposures.size(), 2u);
  EXPECT_EQ((*contacts)[0].total_minutes, 60 + 20);
  EXPECT_EQ((*contacts)[0].last_exposure_end, kT0 + 4 * kMillisPerHour);
}

TEST_F(CheckinTest, RetentionDeletesWhatEndedBeforeTheCutoff) {
  Checkin old = In(0, 0, kT0);  // ends kT0 + 60 min
  Checkin recent = In(1, 0, kT0 + kMillisPerDay);
  EXPECT_EQ(
      *store::testing::InTx(
          *db_, [&](store::Executor& tx) { return DeleteEndedBefore(tx, kT0 + 60 * kMin, kNow); }),
      0);  // ends exactly at the cutoff: kept
  EXPECT_EQ(
      *store::testing::InTx(
          *db_, [&](store::Executor& tx) { return DeleteEndedBefore(tx, kT0 + 61 * kMin, kNow); }),
      1);
  EXPECT_EQ(GetCheckin(*db_, old.id).status().code(), Code::kNotFound);
  EXPECT_TRUE(GetCheckin(*db_, recent.id).ok());
}

}  // namespace
}  // namespace mekong::tracing
