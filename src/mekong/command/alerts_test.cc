#include "mekong/command/alerts.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::command {
namespace {

const int64_t kNow = *ParseRfc3339("2026-11-23T08:00:00+07:00");

class AlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &healthcode::kModule, &outbox::kModule,
                                      &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    province_ = *registry::CreateOrgUnit(*db_, {std::nullopt, "province", "Quảng Ninh", "VN-QN"});
    home_ = *registry::CreateOrgUnit(*db_, {province_.id, "commune", "Home", "H"});
    gate_commune_ = *registry::CreateOrgUnit(*db_, {province_.id, "commune", "Border", "B"});
    registry::Person p{.full_name = "Lee Min-ho",
                       .document_type = "passport",
                       .document_number = "M1",
                       .nationality = "KR",
                       .language = "ko",
                       .org_unit = home_.id};
    person_ = registry::CreatePerson(*db_, p, kNow)->id;
    registry::Venue v{.name = "Móng Cái border gate",
                      .kind = "checkpoint",
                      .capacity = 100,
                      .org_unit = gate_commune_.id,
                      .default_stay_minutes = 30};
    venue_ = registry::CreateVenue(*db_, v, kNow)->id;
  }

  Reading Temperature(double c) {
    return {"temperature", person_, venue_, c, std::nullopt, kNow, UserId(1)};
  }

  std::unique_ptr<store::Database> db_;
  registry::OrgUnit province_, home_, gate_commune_;
  PersonId person_;
  VenueId venue_;
};

TEST_F(AlertsTest, FeverTurnsThePersonYellowAndAlertsTheirCommune) {
  auto normal = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Record(tx, Temperature(36.8), kNow); });
  ASSERT_TRUE(normal.ok()) << normal.status().ToString();
  EXPECT_FALSE(normal->fever);
  EXPECT_FALSE(normal->alert);
  EXPECT_EQ(healthcode::Compute(*db_, person_, kNow)->colour, healthcode::Colour::kGreen);

  auto fever = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return Record(tx, Temperature(37.3), kNow);
  });  // exactly the threshold counts
  ASSERT_TRUE(fever.ok());
  EXPECT_TRUE(fever->fever);
  ASSERT_TRUE(fever->alert);
  EXPECT_EQ(fever->alert->org_unit, home_.id);  // where the person lives follows up
  EXPECT_NE(fever->alert->message.find("37.3"), std::string::npos);
  auto code = healthcode::Compute(*db_, person_, kNow);
  EXPECT_EQ(code->colour, healthcode::Colour::kYellow);
  EXPECT_EQ(code->reasons[0].rule, healthcode::RuleKind::kFever);
  EXPECT_EQ(code->green_at, kNow + 7 * kMillisPerDay);

  EXPECT_EQ(List(*db_, home_.path, true, 10)->size(), 1u);
  EXPECT_TRUE(List(*db_, gate_commune_.path, true, 10)->empty());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return Acknowledge(tx, fever->alert->id, UserId(9), kNow);
              }).ok());
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return Acknowledge(tx, fever->alert->id, UserId(9), kNow);
                                 })
                .status()
                .code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(List(*db_, home_.path, true, 10)->empty());
  EXPECT_EQ(List(*db_, home_.path, false, 10)->size(), 1u);
}

TEST_F(AlertsTest, UnacknowledgedAlertsClimbTheTreeAndOneAcknowledgementClosesTheChain) {
  auto district = *registry::CreateOrgUnit(*db_, {province_.id, "district", "Hạ Long", "HL"});
  auto commune = *registry::CreateOrgUnit(*db_, {district.id, "commune", "Bãi Cháy", "BC"});
  auto tx = [&](auto fn) { return store::testing::InTx(*db_, fn); };
  auto raised = tx([&](store::Executor& ex) {
    Alert a;
    a.org_unit = commune.id;
    a.kind = "fever";
    a.severity = "critical";
    a.message = "38.6 °C at the gate";
    a.source = "reading:1";
    a.created_at = kNow;
    a.person = person_;
    return Raise(ex, a);
  });
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  auto escalate = [&](int64_t before, int64_t now) {
    return tx([&](store::Executor& ex) { return Escalate(ex, before, now); });
  };
  EXPECT_EQ(*escalate(kNow, kNow), 0) << "not yet late";
  const int64_t late = kNow + 31 * kMillisPerMinute;
  ASSERT_EQ(*escalate(kNow + 1, late), 1);
  EXPECT_EQ(*escalate(kNow + 1, late), 0) << "passed up once";
  auto up = List(*db_, district.path, true, 10);
  ASSERT_EQ(up->size(), 2u);  // the district's own and the commune's, under its path
  const Alert& at_district = (*up)[0].org_unit == district.id ? (*up)[0] : (*up)[1];
  EXPECT_EQ(at_district.escalated_from, raised->id);
  EXPECT_EQ(at_district.kind, "fever");
  EXPECT_EQ(at_district.person, person_);
  EXPECT_EQ(at_district.source, "alert:" + std::to_string(raised->id));
  EXPECT_EQ(Get(*db_, raised->id)->escalated_to, at_district.id);

  // Still nobody: on to the province, and no further (it is the top).
  const int64_t later = late + 31 * kMillisPerMinute;
  ASSERT_EQ(*escalate(late + 1, later), 1);
  EXPECT_EQ(*escalate(later + kMillisPerDay, later + kMillisPerDay), 0);
  auto top = Get(*db_, *Get(*db_, at_district.id)->escalated_to);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->org_unit, province_.id);

  // The commune acknowledges at last: the district's and the province's close with it.
  ASSERT_TRUE(
      tx([&](store::Executor& ex) { return Acknowledge(ex, raised->id, UserId(7), later); }).ok());
  for (int64_t id : {raised->id, at_district.id, top->id}) {
    auto a = Get(*db_, id);
    EXPECT_EQ(a->acknowledged_at, later) << id;
    EXPECT_EQ(a->acknowledged_by, 7) << id;
  }
  EXPECT_TRUE(List(*db_, province_.path, true, 10)->empty());
}

TEST_F(AlertsTest, CrowdsOverCapacityAlertTheVenuesCommune) {
  Reading crowd{"crowd", std::nullopt, venue_, std::nullopt, 100, kNow, UserId(1)};
  EXPECT_FALSE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                 return Record(tx, crowd, kNow);
               })->crowded);  // at capacity is fine
  crowd.count = 120;
  auto over =
      store::testing::InTx(*db_, [&](store::Executor& tx) { return Record(tx, crowd, kNow); });
  ASSERT_TRUE(over->alert);
  EXPECT_EQ(over->alert->severity, "warning");
  EXPECT_EQ(over->alert->org_unit, gate_commune_.id);
  crowd.count = 151;
  EXPECT_EQ(store::testing::InTx(*db_, [&](store::Executor& tx) { return Record(tx, crowd, kNow); })
                ->alert->severity,
            "critical");
}

TEST_F(AlertsTest, BadReadingsStoreNothing) {
  auto expect_field = [&](Reading r, const char* field) {
    EXPECT_EQ(store::testing::InTx(*db_, [&](store::Executor& tx) { return Record(tx, r, kNow); })
                  .status()
                  .field(),
              field);
  };
  expect_field({"humidity", person_, venue_, 36.0, std::nullopt, kNow, UserId(1)}, "kind");
  expect_field({"temperature", person_, venue_, std::nullopt, std::nullopt, kNow, UserId(1)},
               "temperature_c");
  expect_field({"temperature", person_, venue_, 55.0, std::nullopt, kNow, UserId(1)},
               "temperature_c");
  expect_field({"temperature", std::nullopt, std::nullopt, 38.0, std::nullopt, kNow, UserId(1)},
               "qr");
  expect_field({"crowd", std::nullopt, std::nullopt, std::nullopt, 10, kNow, UserId(1)},
               "venue_id");
  expect_field({"crowd", std::nullopt, venue_, std::nullopt, std::nullopt, kNow, UserId(1)},
               "count");
  expect_field({"crowd", std::nullopt, VenueId(999), std::nullopt, 5, kNow, UserId(1)}, "venue_id");
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM device_reading")->Int(0, 0), 0);
  EXPECT_EQ(Get(*db_, 12345).status().code(), Code::kNotFound);
}

TEST_F(AlertsTest, AMissedFollowUpCheckAlertsTheContactsUnit) {
  cases::MissedCheck missed;
  missed.contact.id = 7;
  missed.contact.person = person_;
  missed.contact.org_unit = home_.id;
  missed.contact.org_path = home_.path;
  missed.contact.risk = "high";
  missed.day = "2026-11-22";
  auto a = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return RaiseMissedCheck(tx, missed, kNow); });
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->kind, "follow_up_overdue");
  EXPECT_EQ(a->severity, "critical");
  EXPECT_EQ(a->org_unit, home_.id);
  EXPECT_EQ(a->person, person_);
  EXPECT_EQ(a->source, "contact:7:2026-11-22");
  auto listed = List(*db_, home_.path, true, 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(List(*db_, gate_commune_.path, true, 10)->empty());  // only the contact's unit
}

}  // namespace
}  // namespace mekong::command
