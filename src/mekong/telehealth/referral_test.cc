// Referrals and cross-border transport through the service.
#include "mekong/store/feed.h"
#include "mekong/telehealth/network_fixture.h"

namespace mekong::telehealth {
namespace {

using testing::Utc;

class ReferralTest : public testing::NetworkTest {};

TEST_F(ReferralTest, BothSidesFollowAReferral) {
  // The expert in Nanning refers the patient back to Móng Cái for transfusions.
  auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
  ASSERT_OK(a);
  auto r = service_->Refer(
      expert_caller_, {patient_, a->consultation, mong_cai_, "monthly transfusion, chelation"});
  ASSERT_OK(r);
  EXPECT_EQ(r->status, TaskStatus::kRequested);
  EXPECT_EQ(r->from_hospital, nanning_);
  EXPECT_EQ(r->to_hospital, mong_cai_);
  // Visible to both hospitals and to the patient.
  ASSERT_OK(service_->GetReferral(local_caller_, r->id));
  ASSERT_OK(service_->GetReferral(expert_caller_, r->id));
  ASSERT_OK(service_->GetReferral(citizen_, r->id));
  auto incoming = service_->ListReferrals(local_caller_, {std::nullopt, mong_cai_});
  ASSERT_OK(incoming);
  EXPECT_EQ(incoming->size(), 1u);
  auto mine = service_->ListReferrals(citizen_, {patient_, std::nullopt});
  ASSERT_OK(mine);
  EXPECT_EQ(mine->size(), 1u);
  // Only the receiving side accepts; the sending side cannot.
  EXPECT_EQ(service_->UpdateReferral(expert_caller_, r->id, TaskStatus::kAccepted).status().code(),
            Code::kFailedPrecondition);
  ASSERT_OK(service_->UpdateReferral(local_caller_, r->id, TaskStatus::kAccepted));
  ASSERT_OK(service_->UpdateReferral(local_caller_, r->id, TaskStatus::kInProgress));
  auto done = service_->UpdateReferral(local_caller_, r->id, TaskStatus::kCompleted);
  ASSERT_OK(done);
  EXPECT_EQ(TaskStatusName(done->status), "completed");
  EXPECT_EQ(service_->GetReferral(expert_caller_, r->id)->status, TaskStatus::kCompleted);
}

TEST_F(ReferralTest, DecliningNeedsAReason) {
  auto r =
      service_->Refer(local_caller_, {patient_, std::nullopt, nanning_, "bone marrow work-up"});
  ASSERT_OK(r);
  EXPECT_EQ(service_->UpdateReferral(expert_caller_, r->id, TaskStatus::kRejected).status().field(),
            "reason");
  auto declined =
      service_->UpdateReferral(expert_caller_, r->id, TaskStatus::kRejected, "no beds this month");
  ASSERT_OK(declined);
  EXPECT_EQ(TaskStatusName(declined->status), "rejected");
  EXPECT_EQ(declined->status_reason, "no beds this month");
  EXPECT_EQ(service_->GetReferral(citizen_, r->id)->status_reason, "no beds this month");
  EXPECT_EQ(service_->UpdateReferral(expert_caller_, r->id, TaskStatus::kAccepted).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(ReferralTest, ReferralRulesAndScope) {
  EXPECT_EQ(service_->Refer(citizen_, {patient_, std::nullopt, nanning_, "x"}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(
      service_->Refer(local_caller_, {patient_, std::nullopt, mong_cai_, "x"}).status().field(),
      "to_hospital_id");
  EXPECT_EQ(service_->Refer(local_caller_, {patient_, std::nullopt, FacilityId(999), "x"})
                .status()
                .field(),
            "to_hospital_id");
  EXPECT_EQ(service_->Refer(local_caller_, {patient_, std::nullopt, nanning_, ""}).status().field(),
            "reason");
  // Nanning has never seen this patient: it cannot refer them.
  EXPECT_EQ(
      service_->Refer(expert_caller_, {patient_, std::nullopt, mong_cai_, "x"}).status().code(),
      Code::kNotFound);
  auto r = service_->Refer(local_caller_, {patient_, std::nullopt, nanning_, "x"});
  ASSERT_OK(r);
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  EXPECT_EQ(service_->GetReferral(other_citizen, r->id).status().code(), Code::kNotFound);
}

class TransportTest : public testing::NetworkTest {};

TEST_F(TransportTest, AnApplicationFromSubmittedToCompleted) {
  auto before = store::LatestSeq(world_->db());
  ASSERT_OK(before);
  NewTransport in{patient_, mong_cai_,         nanning_, "splenectomy at the receiving hospital",
                  "nurse",  "ground_ambulance"};
  auto t = service_->ApplyForTransport(citizen_, in);
  ASSERT_OK(t);
  EXPECT_EQ(t->status, TransportStatus::kSubmitted);
  // China asks for the passport, medical summary, acceptance letter, visa and declaration.
  EXPECT_EQ(t->missing_documents,
            (std::vector<std::string>{"passport", "medical_summary", "acceptance_letter", "visa",
                                      "health_declaration"}));
  auto review = service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kInReview);
  ASSERT_OK(review);
  auto early = service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kApproved);
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(early.status().field(), "documents");
  EXPECT_NE(early.status().message().find("visa"), std::string::npos);
  for (const char* kind :
       {"passport", "medical_summary", "acceptance_letter", "visa", "health_declaration"}) {
    ASSERT_OK(service_->AttachDocument(citizen_, t->id, kind, std::string("file:") + kind));
  }
  EXPECT_EQ(service_->AttachDocument(citizen_, t->id, "selfie", "x").status().field(), "kind");
  EXPECT_EQ(service_->UpdateTransport(citizen_, t->id, TransportStatus::kApproved).status().code(),
            Code::kFailedPrecondition);  // the patient does not approve their own
  auto approved = service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kApproved);
  ASSERT_OK(approved);
  EXPECT_TRUE(approved->missing_documents.empty());
  EXPECT_EQ(
      service_->UpdateTransport(local_caller_, t->id, TransportStatus::kScheduled).status().field(),
      "scheduled_at");
  auto scheduled = service_->UpdateTransport(local_caller_, t->id, TransportStatus::kScheduled, "",
                                             Utc("2026-03-10T01:00:00Z"));
  ASSERT_OK(scheduled);
  EXPECT_EQ(scheduled->scheduled_at, Utc("2026-03-10T01:00:00Z"));
  auto done = service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kCompleted);
  ASSERT_OK(done);
  EXPECT_EQ(TransportStatusName(done->status), "completed");
  // Every step notified.
  auto changes = store::ChangesAfter(world_->db(), *before, 100, {"telehealth.transport"});
  ASSERT_OK(changes);
  int steps = 0;
  for (const auto& c : *changes) steps += c.topic == "telehealth.transport";
  EXPECT_EQ(steps, 5);  // submitted, in-review, approved, scheduled, completed
}

TEST_F(TransportTest, RefusedWithAReason) {
  auto t = service_->ApplyForTransport(
      local_caller_, {patient_, mong_cai_, nanning_, "ICU transfer", "doctor", "air_ambulance"});
  ASSERT_OK(t);
  EXPECT_EQ(
      service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kRefused).status().field(),
      "reason");
  auto refused = service_->UpdateTransport(expert_caller_, t->id, TransportStatus::kRefused,
                                           "treatable at the origin hospital");
  ASSERT_OK(refused);
  EXPECT_EQ(refused->status_reason, "treatable at the origin hospital");
  EXPECT_EQ(service_->GetTransport(citizen_, t->id)->status, TransportStatus::kRefused);
  EXPECT_EQ(service_->UpdateTransport(citizen_, t->id, TransportStatus::kCancelled).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(TransportTest, BadApplications) {
  NewTransport in{patient_, mong_cai_, nanning_, "need", "nurse", "ground_ambulance"};
  in.escort = "pilot";
  EXPECT_EQ(service_->ApplyForTransport(citizen_, in).status().field(), "escort");
  in.escort = "nurse";
  in.mode = "teleport";
  EXPECT_EQ(service_->ApplyForTransport(citizen_, in).status().field(), "mode");
  in.mode = "rail";
  in.destination = mong_cai_;
  EXPECT_EQ(service_->ApplyForTransport(citizen_, in).status().field(), "destination_id");
  in.destination = nanning_;
  in.medical_need = "";
  EXPECT_EQ(service_->ApplyForTransport(citizen_, in).status().field(), "medical_need");
  in.medical_need = "need";
  // The expert's hospital is not the origin: it does not apply for Móng Cái.
  EXPECT_NE(service_->ApplyForTransport(expert_caller_, in).status().code(), Code::kOk);
}

}  // namespace
}  // namespace mekong::telehealth
