#include "mekong/cases/cases.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::cases {
namespace {

constexpr int64_t kMin = kMillisPerMinute;
const int64_t kT0 = *ParseRfc3339("2026-11-20T08:00:00+07:00");
const int64_t kNow = kT0 + 3 * kMillisPerDay;
const tracing::Limits kLimits{24 * kMillisPerHour, 5 * kMin, 28 * kMillisPerDay};
const Rules kRules{2 * kMillisPerDay, 15 * kMin, 14 * kMillisPerDay};

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    for (auto migrate : {registry::Migrate, tracing::Migrate, healthcode::Migrate, Migrate}) {
      ASSERT_TRUE(migrate(*db_).ok());
    }
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "Bãi Cháy", "BC"});
    for (int i = 0; i < 3; ++i) {
      registry::Person p{.full_name = "Person " + std::to_string(i), .document_type = "passport",
                         .document_number = "P" + std::to_string(i), .nationality = "KR", .language = "ko",
                         .org_unit = unit->id};
      people_.push_back(registry::CreatePerson(*db_, p, kNow)->id);
    }
    registry::Venue v{.name = "Karaoke", .kind = "karaoke", .capacity = 40, .org_unit = unit->id,
                      .default_stay_minutes = 120};
    venue_ = registry::CreateVenue(*db_, v, kNow)->id;
  }

  std::unique_ptr<store::Database> db_;
  std::vector<PersonId> people_;
  VenueId venue_;
};

TEST_F(CasesTest, ConfirmingACaseTurnsItsContactsRed) {
  ASSERT_TRUE(tracing::CheckIn(*db_, people_[0], venue_, kT0, "qr", kNow, kLimits).ok());
  ASSERT_TRUE(tracing::CheckIn(*db_, people_[1], venue_, kT0 + kMillisPerHour, "qr", kNow, kLimits).ok());
  // Person 2 was there the week before the window.
  ASSERT_TRUE(tracing::CheckIn(*db_, people_[2], venue_, kT0 - 5 * kMillisPerDay, "qr", kNow, kLimits).ok());
  ASSERT_TRUE(tracing::CheckIn(*db_, people_[0], venue_, kT0 - 5 * kMillisPerDay, "qr", kNow, kLimits).ok());

  EXPECT_EQ(healthcode::Compute(*db_, people_[1], kNow)->colour, healthcode::Colour::kGreen);
  Case c;
  Status s = db_->Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(c, Confirm(tx, {people_[0], kT0 + kMillisPerDay, std::nullopt, std::nullopt, UserId(1)}, kNow,
                                kRules));
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
  EXPECT_EQ(code->reasons[0].kind, "close_contact");
  EXPECT_EQ(code->green_at, kT0 + 2 * kMillisPerHour + 14 * kMillisPerDay);
  // After the isolation period the code is green again.
  EXPECT_EQ(healthcode::Compute(*db_, people_[1], *code->green_at)->colour, healthcode::Colour::kGreen);

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
      {{people_[0], std::nullopt, std::nullopt, std::nullopt, UserId(1)}, "onset_at", Code::kInvalidArgument},
      {{people_[0], kNow + kMillisPerHour, std::nullopt, std::nullopt, UserId(1)}, "onset_at", Code::kInvalidArgument},
      {{people_[0], kT0, std::nullopt, kT0 - 3 * kMillisPerDay, UserId(1)}, "isolated_at", Code::kInvalidArgument},
      {{PersonId(999), kT0, std::nullopt, std::nullopt, UserId(1)}, "person_id", Code::kNotFound},
  };
  for (const auto& b : bad) {
    auto r = Confirm(*db_, b.in, kNow, kRules);
    EXPECT_EQ(r.status().code(), b.code) << b.field;
    EXPECT_EQ(r.status().field(), b.field);
  }
  EXPECT_TRUE(ListCases(*db_, "/", 10, 0)->empty());
  ASSERT_TRUE(Confirm(*db_, {people_[0], std::nullopt, kT0, std::nullopt, UserId(1)}, kNow, kRules).ok());
  auto again = Confirm(*db_, {people_[0], std::nullopt, kT0, std::nullopt, UserId(1)}, kNow, kRules);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(ListCases(*db_, "/", 10, 0)->size(), 1u);
}

TEST_F(CasesTest, HealthCodeTakesTheWorstReasonAndTheLatestEnd) {
  using healthcode::Colour;
  PersonId p = people_[2];
  ASSERT_TRUE(healthcode::AddReason(*db_, p, {0, Colour::kYellow, "symptoms", "report:1", "Cough", kT0, kT0 + 10 * kMillisPerDay}).ok());
  ASSERT_TRUE(healthcode::AddReason(*db_, p, {0, Colour::kRed, "close_contact", "case:9", "Contact", kT0, kT0 + 5 * kMillisPerDay}).ok());
  auto code = healthcode::Compute(*db_, p, kT0 + kMillisPerDay);
  EXPECT_EQ(code->colour, Colour::kRed);
  ASSERT_EQ(code->reasons.size(), 2u);
  EXPECT_EQ(code->reasons[0].kind, "close_contact");  // most severe first
  EXPECT_EQ(code->green_at, kT0 + 10 * kMillisPerDay);  // not green while the yellow reason remains
  EXPECT_EQ(healthcode::Compute(*db_, p, kT0 + 6 * kMillisPerDay)->colour, Colour::kYellow);
  // Re-adding the same kind and source replaces, never duplicates.
  ASSERT_TRUE(healthcode::AddReason(*db_, p, {0, Colour::kRed, "close_contact", "case:9", "Contact", kT0, kT0 + 7 * kMillisPerDay}).ok());
  EXPECT_EQ(healthcode::Compute(*db_, p, kT0 + kMillisPerDay)->reasons.size(), 2u);
  ASSERT_TRUE(healthcode::LiftReasons(*db_, "case:9", kT0 + 2 * kMillisPerDay).ok());
  EXPECT_EQ(healthcode::Compute(*db_, p, kT0 + 3 * kMillisPerDay)->colour, Colour::kYellow);
  EXPECT_EQ(healthcode::Compute(*db_, PersonId(999), kNow).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace mekong::cases
