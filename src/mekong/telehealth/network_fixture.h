// Test support for the telehealth suites: the thalassemia story's partner network on a fresh
// store (SQLite or PostgreSQL by MEKONG_TEST_BACKEND), reached only through the service.
//
// District A of the test world stands for Quảng Ninh, Vietnam (Móng Cái General Hospital, the
// patient's local hospital, Asia/Ho_Chi_Minh, VND); district B for Guangxi, China (the First
// Affiliated Hospital in Nanning, Asia/Shanghai, CNY). The clock stands at Sunday
// 2026-03-01 00:00 UTC.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "mekong/core/time.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/testing.h"
#include "mekong/telehealth/service.h"

namespace mekong::telehealth::testing {

inline int64_t Utc(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

#define ASSERT_OK(expr)                                    \
  do {                                                     \
    auto&& mk_s_ = (expr);                                 \
    ASSERT_TRUE(::mekong::internal::AsStatus(mk_s_).ok())  \
        << ::mekong::internal::AsStatus(mk_s_).ToString(); \
  } while (0)

class NetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make({&outbox::kModule, &kModule}, clock_.NowMillis());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(*w);
    service_ = std::make_unique<Service>(world_->db(), clock_);
    auto admin = world_->As(registry::Role::kAdmin, world_->province);
    ASSERT_OK(admin);
    admin_ = *admin;

    nanning_ = AddHospital("First Affiliated Hospital, Nanning", world_->district_b, "CN",
                           "Asia/Shanghai", "CNY", {"zh", "en", "vi"});
    mong_cai_ = AddHospital("Mong Cai General Hospital", world_->district_a, "VN",
                            "Asia/Ho_Chi_Minh", "VND", {"vi", "en"});

    // The expert: hematology, Monday to Friday 08:00-12:00 in Nanning, 30-minute slots.
    expert_ = AddPractitioner(nanning_, world_->district_b, "Dr. Li Wei", {"hematology"},
                              {"zh", "en", "vi"}, true, &expert_caller_);
    std::vector<WeeklyHours> weekly;
    for (int d = 1; d <= 5; ++d) weekly.push_back({d, 8 * 60, 12 * 60});
    ASSERT_OK(service_->SetWeeklyHours(admin_, expert_.id, weekly));
    // The local doctor in Móng Cái, who refers and describes.
    local_ = AddPractitioner(mong_cai_, world_->district_a, "Dr. Nguyen Thi Lan", {}, {"vi"}, false,
                             &local_caller_);

    auto p = world_->AddPerson(world_->commune_a1, "vi");
    ASSERT_OK(p);
    patient_ = p->id;
    auto c = world_->As(registry::Role::kCitizen, world_->commune_a1, patient_);
    ASSERT_OK(c);
    citizen_ = *c;
  }

  FacilityId AddHospital(const std::string& name, const registry::OrgUnit& unit,
                         const std::string& country, const std::string& zone,
                         const std::string& currency, std::vector<std::string> languages) {
    registry::Facility f;
    f.name = name;
    f.kind = "hospital";
    f.org_unit = unit.id;
    auto made = registry::CreateFacility(world_->db(), f, clock_.NowMillis());
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    auto h = service_->AddHospital(admin_, {made->id, country, zone, currency, languages});
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return made->id;
  }

  Practitioner AddPractitioner(FacilityId hospital, const registry::OrgUnit& unit,
                               const std::string& name, std::vector<std::string> specialties,
                               std::vector<std::string> languages, bool bookable,
                               registry::Caller* caller) {
    auto c = world_->As(registry::Role::kClinician, unit);
    EXPECT_TRUE(c.ok());
    *caller = *c;
    NewPractitioner in;
    in.user = c->user;
    in.hospital = hospital;
    in.name = name;
    in.specialties = std::move(specialties);
    in.languages = std::move(languages);
    in.bookable = bookable;
    auto p = service_->AddPractitioner(admin_, in);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Practitioner{};
  }

  // A citizen with a person record of their own.
  registry::Caller NewCitizen(PersonId* person) {
    auto p = world_->AddPerson(world_->commune_a2, "vi");
    EXPECT_TRUE(p.ok());
    *person = p->id;
    auto c = world_->As(registry::Role::kCitizen, world_->commune_a2, p->id);
    EXPECT_TRUE(c.ok());
    return *c;
  }

  // Books the patient with the expert at `start`.
  Result<Appointment> BookAt(int64_t start, const registry::Caller* by = nullptr,
                             std::optional<PractitionerId> referring = std::nullopt) {
    NewAppointment in;
    in.patient = patient_;
    in.practitioner = expert_.id;
    in.start = start;
    in.patient_zone = "Asia/Ho_Chi_Minh";
    in.reason = "beta-thalassaemia follow-up";
    return service_->Book(by ? *by : citizen_, in, referring);
  }

  FixedClock clock_{ParseRfc3339("2026-03-01T00:00:00Z").value()};
  std::unique_ptr<registry::testing::World> world_;
  std::unique_ptr<Service> service_;
  registry::Caller admin_, expert_caller_, local_caller_, citizen_;
  FacilityId nanning_, mong_cai_;
  Practitioner expert_, local_;
  PersonId patient_;
};

}  // namespace mekong::telehealth::testing
