// The partner network and the access rules every method shares.
#include "mekong/telehealth/network_fixture.h"

namespace mekong::telehealth {
namespace {

class NetworkServiceTest : public testing::NetworkTest {};

TEST_F(NetworkServiceTest, TheCapabilityTableIsInEnumOrder) {
  const auto& all = registry::AllCapabilities();
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(static_cast<size_t>(all[i]), i);
  using registry::Capability;
  using registry::Role;
  EXPECT_TRUE(registry::Can(Role::kCitizen, Capability::kBookConsultation));
  EXPECT_TRUE(registry::Can(Role::kCitizen, Capability::kGrantConsent));
  EXPECT_FALSE(registry::Can(Role::kCitizen, Capability::kConsult));
  EXPECT_FALSE(registry::Can(Role::kCitizen, Capability::kBill));
  EXPECT_TRUE(registry::Can(Role::kClinician, Capability::kRefer));
  EXPECT_FALSE(registry::Can(Role::kClinician, Capability::kManagePartnerNetwork));
  EXPECT_FALSE(registry::Can(Role::kTracer, Capability::kReadTelehealth));
  EXPECT_EQ(registry::CapabilityName(Capability::kPay), "pay");
}

TEST_F(NetworkServiceTest, HospitalsCarryCountryZoneLanguagesAndCurrency) {
  auto h = service_->GetHospital(citizen_, nanning_);
  ASSERT_OK(h);
  EXPECT_EQ(h->country, "CN");
  EXPECT_EQ(h->zone, "Asia/Shanghai");
  EXPECT_EQ(h->currency, "CNY");
  EXPECT_EQ(h->languages, (std::vector<std::string>{"zh", "en", "vi"}));
  auto all = service_->ListHospitals(citizen_);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(service_->GetHospital(citizen_, FacilityId(999)).status().code(), Code::kNotFound);
}

TEST_F(NetworkServiceTest, AddHospitalChecksEveryField) {
  registry::Facility f;
  f.name = "Vientiane Mahosot";
  f.kind = "hospital";
  f.org_unit = world_->district_a.id;
  auto made = registry::CreateFacility(world_->db(), f, 0);
  ASSERT_OK(made);
  NewHospital in{made->id, "LA", "Asia/Vientiane", "LAK", {"lo", "en"}};
  in.country = "Laos";
  EXPECT_EQ(service_->AddHospital(admin_, in).status().field(), "country");
  in.country = "LA";
  in.zone = "Asia/Laos";
  EXPECT_EQ(service_->AddHospital(admin_, in).status().field(), "zone");
  in.zone = "Asia/Vientiane";
  in.currency = "KIP";
  EXPECT_EQ(service_->AddHospital(admin_, in).status().field(), "currency");
  in.currency = "LAK";
  in.languages = {"lo", "fr"};
  EXPECT_EQ(service_->AddHospital(admin_, in).status().field(), "languages[1]");
  in.languages = {"lo"};
  EXPECT_EQ(service_->AddHospital(expert_caller_, in).status().code(), Code::kPermissionDenied);
  auto district_b_admin = world_->As(registry::Role::kAdmin, world_->district_b);
  ASSERT_OK(district_b_admin);
  // Outside their org unit: the facility reads like one that does not exist.
  auto outside = service_->AddHospital(*district_b_admin, in).status();
  EXPECT_EQ(outside.code(), Code::kNotFound);
  EXPECT_EQ(outside.field(), "facility_id");
  ASSERT_OK(service_->AddHospital(admin_, in));
  EXPECT_EQ(service_->AddHospital(admin_, in).status().code(), Code::kAlreadyExists);
  f.kind = "lab";
  auto lab = registry::CreateFacility(world_->db(), f, 0);
  ASSERT_OK(lab);
  in.facility = lab->id;
  EXPECT_EQ(service_->AddHospital(admin_, in).status().field(), "facility_id");
}

TEST_F(NetworkServiceTest, PractitionersAndHours) {
  auto dept = service_->AddDepartment(admin_, nanning_, "Hematology");
  ASSERT_OK(dept);
  EXPECT_EQ(service_->AddDepartment(admin_, nanning_, "Hematology").status().code(),
            Code::kAlreadyExists);
  auto tracer = world_->As(registry::Role::kTracer, world_->district_b);
  ASSERT_OK(tracer);
  NewPractitioner in;
  in.user = tracer->user;
  in.hospital = nanning_;
  in.department = dept->id;
  in.name = "Not a doctor";
  in.specialties = {"hematology"};
  in.languages = {"zh"};
  EXPECT_EQ(service_->AddPractitioner(admin_, in).status().field(), "user_id");
  in.user = expert_caller_.user;
  EXPECT_EQ(service_->AddPractitioner(admin_, in).status().code(), Code::kAlreadyExists);
  in.user = world_->As(registry::Role::kClinician, world_->district_b)->user;
  in.specialties = {"Hematology"};
  EXPECT_EQ(service_->AddPractitioner(admin_, in).status().field(), "specialties[0]");
  in.specialties = {"hematology"};
  in.slot_minutes = 1;
  EXPECT_EQ(service_->AddPractitioner(admin_, in).status().field(), "slot_minutes");
  in.slot_minutes = 20;
  in.bookable = true;
  auto p = service_->AddPractitioner(admin_, in);
  ASSERT_OK(p);
  EXPECT_EQ(p->department, dept->id);
  EXPECT_EQ(service_->SetWeeklyHours(admin_, p->id, {{1, 600, 500}}).field(),
            "weekly[0].end_minute");
  ASSERT_OK(service_->SetWeeklyHours(admin_, p->id, {{2, 13 * 60, 17 * 60}}, 120));
  auto got = service_->GetPractitioner(citizen_, p->id);
  ASSERT_OK(got);
  EXPECT_EQ(got->weekly, (std::vector<WeeklyHours>{{2, 13 * 60, 17 * 60}}));
  EXPECT_EQ(got->min_notice_minutes, 120);
  EXPECT_EQ(service_->SetWeeklyHours(admin_, local_.id, {{1, 60, 120}}).code(),
            Code::kFailedPrecondition);  // the local doctor takes no bookings
  EXPECT_EQ(
      service_->AddClosure(admin_, nanning_, local_.id, {"2026-03-02", "2026-03-02", "x"}).field(),
      "practitioner_id");  // not Nanning's
  EXPECT_EQ(service_->AddClosure(admin_, nanning_, std::nullopt, {"2026-03-02", "2026-03-01", "x"})
                .field(),
            "to_date");
}

TEST_F(NetworkServiceTest, AClinicianOutsideTheNetworkActsForNoHospital) {
  auto outsider = world_->As(registry::Role::kClinician, world_->district_a);
  ASSERT_OK(outsider);
  auto booked = BookAt(testing::Utc("2026-03-02T00:00:00Z"), &*outsider);
  EXPECT_EQ(booked.status().code(), Code::kPermissionDenied);
  EXPECT_NE(booked.status().message().find("partner hospital"), std::string::npos);
  auto tracer = world_->As(registry::Role::kTracer, world_->district_a);
  ASSERT_OK(tracer);
  EXPECT_EQ(service_->ListHospitals(*tracer).status().code(), Code::kPermissionDenied);
}

}  // namespace
}  // namespace mekong::telehealth
