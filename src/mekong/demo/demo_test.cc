#include "mekong/demo/demo.h"

#include <gtest/gtest.h>

#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"
#include "mekong/telehealth/service.h"

namespace mekong::demo {
namespace {

const int64_t kNow = *ParseRfc3339("2026-11-23T09:00:00+07:00");

Result<std::unique_ptr<store::Database>> Fresh() {
  ASSIGN_OR_RETURN(auto db, store::testing::OpenTestDatabase());
  const store::Module* modules[] = {&registry::kModule, &tracing::kModule, &healthcode::kModule,
                                    &cases::kModule,    &outbox::kModule,  &telehealth::kModule};
  RETURN_IF_ERROR(store::MigrateModules(*db, modules));
  return db;
}

TEST(Demo, LoadsQuangNinhWithCasesAndRedContacts) {
  auto db = Fresh();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Options small;
  small.people = 600;
  small.venues = 60;
  auto sum = Load(**db, kNow, small);
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->org_units, 1 + 13 + 177);
  auto levels = (*db)->Query("SELECT level, COUNT(*) FROM org_unit GROUP BY level ORDER BY level");
  ASSERT_EQ(levels->size(), 4u);
  EXPECT_EQ(levels->Int(0, 1), 177);  // commune
  EXPECT_EQ(levels->Int(1, 1), 13);   // district
  EXPECT_EQ(levels->Int(2, 1), 1);    // partner: Guangxi, for the Nanning hospital
  EXPECT_EQ(levels->Int(3, 1), 1);    // province
  EXPECT_EQ(sum->people, 600);
  EXPECT_GT(sum->checkins, 1000);
  EXPECT_EQ(sum->cases, 5);
  EXPECT_GT(sum->contacts, 0);
  auto foreigners = (*db)->Query("SELECT COUNT(*) FROM person WHERE nationality <> 'VN'");
  EXPECT_EQ(foreigners->Int(0, 0), 60);

  // Every stored contact is red now.
  auto contact = (*db)->Query("SELECT person_id FROM case_contact LIMIT 1");
  ASSERT_EQ(contact->size(), 1u);
  auto code = healthcode::Compute(**db, PersonId(contact->Int(0, 0)), kNow);
  EXPECT_EQ(code->colour, healthcode::Colour::kRed);

  // The demo accounts log in with the published passwords.
  for (const Account& a : Accounts()) {
    EXPECT_TRUE(registry::Login(**db, a.username, a.password, kNow, kMillisPerHour).ok())
        << a.username;
  }
  EXPECT_TRUE(registry::AuthenticateApiKey(**db, sum->device_api_key, kNow).ok());
  // The partner network: a Vietnamese-speaking haematologist in China with free slots next week
  // (seen from Hạ Long), fees in the hospitals' currencies.
  FixedClock clock(kNow);
  telehealth::Service tele(**db, clock);
  auto session = registry::Login(**db, "citizen", "mekong-demo", kNow, kMillisPerHour);
  ASSERT_TRUE(session.ok());
  auto experts = tele.FindExperts(session->caller, {"hematology", "vi", "CN"});
  ASSERT_TRUE(experts.ok()) << experts.status().ToString();
  ASSERT_EQ(experts->size(), 1u);
  EXPECT_EQ((*experts)[0].hospital.zone, "Asia/Shanghai");
  EXPECT_EQ((*experts)[0].hospital.currency, "CNY");
  auto slots = tele.FreeSlots(session->caller, (*experts)[0].practitioner.id, "Asia/Ho_Chi_Minh",
                              "2026-11-30", "2026-11-30");  // a Monday
  ASSERT_TRUE(slots.ok()) << slots.status().ToString();
  ASSERT_EQ(slots->size(), 14u);  // 08:00-12:00 and 14:00-17:00 in Nanning, 30-minute slots
  EXPECT_EQ((*slots)[0].local_time, "07:00");
  auto hospitals = tele.ListHospitals(session->caller);
  ASSERT_TRUE(hospitals.ok());
  EXPECT_EQ(hospitals->size(), 2u);
  // A second load refuses and changes nothing.
  EXPECT_EQ(Load(**db, kNow, small).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ((*db)->Query("SELECT COUNT(*) FROM person")->Int(0, 0), 600);
}

TEST(Demo, IsDeterministic) {
  Options tiny;
  tiny.people = 200;
  tiny.venues = 20;
  auto a = Fresh(), b = Fresh();
  auto sa = Load(**a, kNow, tiny), sb = Load(**b, kNow, tiny);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(sa->checkins, sb->checkins);
  EXPECT_EQ(sa->contacts, sb->contacts);
}

}  // namespace
}  // namespace mekong::demo
