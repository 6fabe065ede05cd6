// The remote consultation record and consent across hospitals, through the service.
#include "mekong/telehealth/network_fixture.h"

namespace mekong::telehealth {
namespace {

using testing::Utc;

class ConsultationTest : public testing::NetworkTest {
 protected:
  void SetUp() override {
    NetworkTest::SetUp();
    auto a = BookAt(Utc("2026-03-02T00:00:00Z"), &local_caller_);
    ASSERT_OK(a);
    appointment_ = *a;
    id_ = a->consultation;
  }

  Description Thalassemia() {
    Description d;
    d.history = "Beta-thalassaemia major; transfusions every 4 weeks since childhood.";
    d.findings = "Pallor, splenomegaly 4 cm below the costal margin.";
    d.vitals = {{"8867-4", "112", "", Utc("2026-02-28T09:00:00Z")},
                {"8310-5", "38.4", "Cel", Utc("2026-02-28T09:00:00Z")},
                {"59408-5", "93", "%", Utc("2026-02-28T09:00:00Z")}};
    d.attachments = {"file:lab/cbc-2026-02-27.pdf"};
    return d;
  }

  Appointment appointment_;
  ConsultationId id_;
};

TEST_F(ConsultationTest, TheTwoDoctorsAndThePatientBuildTheRecord) {
  ASSERT_OK(service_->WriteDescription(local_caller_, id_, Thalassemia()));
  ASSERT_OK(service_->SetConsultationStatus(expert_caller_, id_, EncounterStatus::kInProgress));
  ASSERT_OK(service_->WriteNotes(expert_caller_, id_, "HbF elevated; iron overload likely."));
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "D56.1", "Beta thalassaemia"));
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "E83.1", "Iron overload"));
  Prescription p;
  p.medication = "deferasirox";
  p.dose = "20 mg/kg";
  p.route = "oral";
  p.frequency = "once daily";
  p.duration_days = 90;
  ASSERT_OK(service_->AddPrescription(expert_caller_, id_, p));
  ASSERT_OK(service_->PostMessage(local_caller_, id_, "Ferritin last month: 2400 ng/mL."));
  ASSERT_OK(service_->PostMessage(expert_caller_, id_, "Thank you. Start chelation."));
  ASSERT_OK(service_->PostMessage(citizen_, id_, "Cảm ơn bác sĩ."));

  auto mine = service_->GetConsultation(citizen_, id_);  // the patient sees everything
  ASSERT_OK(mine);
  EXPECT_TRUE(mine->withheld.empty());
  ASSERT_TRUE(mine->description.has_value());
  ASSERT_EQ(mine->description->vitals.size(), 3u);
  EXPECT_EQ(mine->description->vitals[0].unit, "/min");  // filled from the LOINC table
  EXPECT_EQ(mine->description->vitals[1].value, "38.4");
  EXPECT_EQ(mine->description->attachments.size(), 1u);
  ASSERT_EQ(mine->diagnoses->size(), 2u);
  EXPECT_EQ((*mine->diagnoses)[0].icd10, "D56.1");
  EXPECT_EQ((*mine->prescriptions)[0].medication, "deferasirox");
  ASSERT_EQ(mine->messages->size(), 3u);
  EXPECT_EQ((*mine->messages)[0].author_role, "referring");
  EXPECT_EQ((*mine->messages)[1].author_role, "expert");
  EXPECT_EQ((*mine->messages)[2].author_role, "patient");
  EXPECT_EQ(*mine->expert_notes, "HbF elevated; iron overload likely.");
}

TEST_F(ConsultationTest, EachDoctorWritesOnlyTheirPart) {
  EXPECT_EQ(service_->WriteDescription(expert_caller_, id_, Thalassemia()).code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->WriteNotes(local_caller_, id_, "notes").code(), Code::kPermissionDenied);
  EXPECT_EQ(service_->AddDiagnosis(local_caller_, id_, "D56.1", "").code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->WriteNotes(citizen_, id_, "notes").code(), Code::kPermissionDenied);
  auto stranger = world_->As(registry::Role::kCitizen, world_->commune_b1);
  ASSERT_OK(stranger);
  EXPECT_NE(service_->PostMessage(*stranger, id_, "hi").code(), Code::kOk);
}

TEST_F(ConsultationTest, BadInputNamesTheField) {
  Description d = Thalassemia();
  d.vitals[1].loinc = "1234-5";
  EXPECT_EQ(service_->WriteDescription(local_caller_, id_, d).field(), "vitals[1].loinc");
  d = Thalassemia();
  d.vitals[1].value = "38.45";
  EXPECT_EQ(service_->WriteDescription(local_caller_, id_, d).field(), "vitals[1].value");
  d.vitals[1].value = "83.0";  // Fahrenheit typed into Celsius
  EXPECT_EQ(service_->WriteDescription(local_caller_, id_, d).field(), "vitals[1].value");
  d = Thalassemia();
  d.vitals[0].unit = "bpm";
  EXPECT_EQ(service_->WriteDescription(local_caller_, id_, d).field(), "vitals[0].unit");
  d = Thalassemia();
  d.vitals[2].observed_at = Utc("2026-03-05T00:00:00Z");
  EXPECT_EQ(service_->WriteDescription(local_caller_, id_, d).field(), "vitals[2].observed_at");
  for (const char* bad : {"d56.1", "D5", "D56.", "D56.123", "56.1", "DD6.1", ""}) {
    EXPECT_EQ(service_->AddDiagnosis(expert_caller_, id_, bad, "").field(), "icd10") << bad;
  }
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "U07", ""));
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "D56.10", ""));
  Prescription p;
  p.medication = "deferasirox";
  p.dose = "20 mg/kg";
  p.route = "oral";
  p.frequency = "daily";
  p.duration_days = 400;
  EXPECT_EQ(service_->AddPrescription(expert_caller_, id_, p).field(), "duration_days");
  EXPECT_EQ(service_->PostMessage(citizen_, id_, "").field(), "body");
}

TEST_F(ConsultationTest, TheExpertsHospitalReadsTheDescriptionOnlyUnderConsent) {
  ASSERT_OK(service_->WriteDescription(local_caller_, id_, Thalassemia()));
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "D56.1", ""));

  // Without consent, Nanning sees its own part and the messages, not Móng Cái's description.
  auto before = service_->GetConsultation(expert_caller_, id_);
  ASSERT_OK(before);
  EXPECT_FALSE(before->description.has_value());
  EXPECT_EQ(before->withheld, std::vector<RecordKind>{RecordKind::kDescription});
  EXPECT_EQ(before->diagnoses->size(), 1u);
  // Móng Cái, symmetrically, does not see Nanning's diagnoses.
  auto local = service_->GetConsultation(local_caller_, id_);
  ASSERT_OK(local);
  EXPECT_TRUE(local->description.has_value());
  EXPECT_FALSE(local->diagnoses.has_value());

  // The patient grants Nanning the description for this consultation for 30 days.
  const int64_t now = clock_.NowMillis();
  NewConsent grant{patient_, nanning_, {RecordKind::kDescription},
                   id_,      now,      now + 30 * kMillisPerDay};
  EXPECT_EQ(service_->GrantConsent(local_caller_, grant).status().code(),
            Code::kPermissionDenied);  // the patient's to give
  auto consent = service_->GrantConsent(citizen_, grant);
  ASSERT_OK(consent);
  auto after = service_->GetConsultation(expert_caller_, id_);
  ASSERT_OK(after);
  ASSERT_TRUE(after->description.has_value());
  EXPECT_EQ(after->description->vitals.size(), 3u);
  EXPECT_TRUE(after->withheld.empty());

  // The patient sees who read what, and under which consent.
  auto reads = service_->WhoRead(citizen_, patient_);
  ASSERT_OK(reads);
  bool with_consent = false, without = false;
  for (const auto& e : *reads) {
    if (e.reader != expert_caller_.username) continue;
    if (e.action.find("consent " + std::to_string(consent->id.value)) != std::string::npos &&
        e.action.find("description (held by hospital " + std::to_string(mong_cai_.value)) !=
            std::string::npos)
      with_consent = true;
    if (e.action.find("description") == std::string::npos &&
        e.action.find("read consultation") != std::string::npos)
      without = true;
  }
  EXPECT_TRUE(with_consent);
  EXPECT_TRUE(without);
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  EXPECT_EQ(service_->WhoRead(other_citizen, patient_).status().code(), Code::kPermissionDenied);

  // Expired or revoked, the description is withheld again.
  clock_.Advance(31 * kMillisPerDay);
  EXPECT_FALSE(service_->GetConsultation(expert_caller_, id_)->description.has_value());
  clock_.Set(now + kMillisPerDay);
  EXPECT_TRUE(service_->GetConsultation(expert_caller_, id_)->description.has_value());
  ASSERT_OK(service_->RevokeConsent(citizen_, consent->id));
  EXPECT_FALSE(service_->GetConsultation(expert_caller_, id_)->description.has_value());
  EXPECT_EQ(service_->RevokeConsent(citizen_, consent->id).code(), Code::kFailedPrecondition);
  auto listed = service_->ListConsents(citizen_, patient_);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].revoked_at.has_value());
}

TEST_F(ConsultationTest, AThirdHospitalReadsNothingWithoutConsent) {
  ASSERT_OK(service_->WriteDescription(local_caller_, id_, Thalassemia()));
  ASSERT_OK(service_->AddDiagnosis(expert_caller_, id_, "D56.1", ""));
  auto hanoi = AddHospital("Central Hematology Institute", world_->district_a, "VN",
                           "Asia/Ho_Chi_Minh", "VND", {"vi"});
  registry::Caller dr;
  AddPractitioner(hanoi, world_->district_b, "Dr. Tran", {}, {"vi"}, false, &dr);
  EXPECT_EQ(service_->GetConsultation(dr, id_).status().code(), Code::kNotFound);
  const int64_t now = clock_.NowMillis();
  // Consent to diagnoses from any consultation.
  ASSERT_OK(service_->GrantConsent(
      citizen_,
      {patient_, hanoi, {RecordKind::kDiagnoses}, std::nullopt, now, now + kMillisPerDay}));
  auto c = service_->GetConsultation(dr, id_);
  ASSERT_OK(c);
  EXPECT_EQ(c->diagnoses->size(), 1u);
  EXPECT_FALSE(c->description.has_value());
  EXPECT_FALSE(c->messages.has_value());
  EXPECT_EQ(c->withheld.size(), 4u);
}

TEST_F(ConsultationTest, ConsentIsCheckedWhenGiven) {
  const int64_t now = clock_.NowMillis();
  NewConsent c{patient_, nanning_, {}, std::nullopt, now, now + kMillisPerDay};
  EXPECT_EQ(service_->GrantConsent(citizen_, c).status().field(), "kinds");
  c.kinds = {RecordKind::kNotes, RecordKind::kNotes};
  EXPECT_EQ(service_->GrantConsent(citizen_, c).status().field(), "kinds[1]");
  c.kinds = {RecordKind::kNotes};
  c.until = now - 1;
  EXPECT_EQ(service_->GrantConsent(citizen_, c).status().field(), "until");
  c.until = now + 400 * kMillisPerDay;
  EXPECT_EQ(service_->GrantConsent(citizen_, c).status().field(), "until");
  c.until = now + kMillisPerDay;
  c.grantee = FacilityId(9999);
  EXPECT_EQ(service_->GrantConsent(citizen_, c).status().field(), "grantee_id");
  EXPECT_EQ(ParseRecordKind("labs", "kinds[0]").status().field(), "kinds[0]");
}

}  // namespace
}  // namespace mekong::telehealth
