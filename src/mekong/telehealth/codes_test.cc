#include "mekong/telehealth/codes.h"

#include <gtest/gtest.h>

namespace mekong::telehealth {
namespace {

TEST(Codes, AppointmentStatusesAreFhirs) {
  const char* fhir[] = {"proposed",  "pending", "booked",           "arrived",    "fulfilled",
                        "cancelled", "noshow",  "entered-in-error", "checked-in", "waitlist"};
  for (const char* code : fhir) {
    auto s = ParseAppointmentStatus(code, "status");
    ASSERT_TRUE(s.ok()) << code;
    EXPECT_EQ(AppointmentStatusName(*s), code);
  }
  EXPECT_EQ(ParseAppointmentStatus("no-show", "status").status().field(), "status");
  EXPECT_TRUE(HoldsSlot(AppointmentStatus::kBooked));
  EXPECT_FALSE(HoldsSlot(AppointmentStatus::kCancelled));
  EXPECT_FALSE(HoldsSlot(AppointmentStatus::kNoShow));
  EXPECT_FALSE(HoldsSlot(AppointmentStatus::kWaitlist));
  EXPECT_EQ(TaskStatusName(TaskStatus::kRejected), "rejected");
  EXPECT_EQ(EncounterStatusName(EncounterStatus::kInProgress), "in-progress");
}

TEST(Codes, Icd10Shape) {
  for (const char* ok : {"D56", "D56.1", "D56.10", "U07.1", "Z00.0"})
    EXPECT_TRUE(ValidateIcd10(ok, "icd10").ok()) << ok;
  for (const char* bad : {"", "D5", "D561", "d56.1", "D56.", "D56.123", "1D5.6", "D5A.1"})
    EXPECT_EQ(ValidateIcd10(bad, "icd10").field(), "icd10") << bad;
}

TEST(Codes, VitalSignsFromTheDomainReference) {
  auto temp = FindVitalSign("8310-5", "loinc");
  ASSERT_TRUE(temp.ok());
  EXPECT_EQ(temp->unit, "Cel");
  EXPECT_TRUE(ValidateVitalValue(*temp, "38.4", "v").ok());
  EXPECT_FALSE(ValidateVitalValue(*temp, "101.3", "v").ok());
  EXPECT_FALSE(ValidateVitalValue(*temp, "38,4", "v").ok());
  EXPECT_FALSE(ValidateVitalValue(*temp, "-1", "v").ok());
  EXPECT_EQ(VitalSigns().size(), 6u);
  EXPECT_FALSE(FindVitalSign("85354-9", "loinc").ok());  // a panel, not a value
}

TEST(Codes, TransportDocumentsByDestination) {
  auto cn = RequiredTransportDocuments("CN");
  EXPECT_NE(std::find(cn.begin(), cn.end(), "visa"), cn.end());
  auto vn = RequiredTransportDocuments("VN");
  EXPECT_NE(std::find(vn.begin(), vn.end(), "border_medical_permit"), vn.end());
  for (const auto& d : RequiredTransportDocuments("TH")) EXPECT_TRUE(KnownDocumentKind(d)) << d;
  EXPECT_TRUE(ValidateCountry("DE", "c").ok());
  EXPECT_FALSE(ValidateCountry("de", "c").ok());
  EXPECT_TRUE(ValidateLanguage("tet", "l").ok());
  EXPECT_FALSE(ValidateLanguage("fr", "l").ok());
}

}  // namespace
}  // namespace mekong::telehealth
