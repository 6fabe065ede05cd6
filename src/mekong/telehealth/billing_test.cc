// Fees in the hospital's currency, invoices in the patient's, payments and refunds.
#include "mekong/store/feed.h"
#include "mekong/telehealth/network_fixture.h"

namespace mekong::telehealth {
namespace {

using testing::Utc;

class BillingTest : public testing::NetworkTest {
 protected:
  void SetUp() override {
    NetworkTest::SetUp();
    ASSERT_OK(service_->SetFee(admin_, nanning_, "consultation", "Remote consultation, hematology",
                               "250.00"));
    ASSERT_OK(service_->SetFee(admin_, nanning_, "cbc", "Complete blood count review", "38.5"));
    ASSERT_OK(service_->AddExchangeRate(admin_, "CNY", "VND", "3512.75", "2026-02-27",
                                        "State Bank of Vietnam"));
    ASSERT_OK(service_->AddExchangeRate(admin_, "CNY", "VND", "3520", "2026-03-02",
                                        "State Bank of Vietnam"));
    auto a = BookAt(Utc("2026-03-02T00:00:00Z"));
    ASSERT_OK(a);
    appointment_ = a->id;
  }

  Result<Invoice> QuoteVnd(std::optional<std::string> date = std::nullopt) {
    return service_->Quote(
        expert_caller_,
        {patient_, nanning_, appointment_, {{"consultation", 1}, {"cbc", 2}}, "VND", date});
  }

  AppointmentId appointment_;
};

TEST_F(BillingTest, AQuoteInThePatientsCurrencyKeepsItsRate) {
  auto q = QuoteVnd();
  ASSERT_OK(q);
  EXPECT_EQ(q->status, InvoiceStatus::kDraft);
  EXPECT_EQ(q->source_total, (Money{"CNY", 32700}));  // 250.00 + 2 x 38.50
  // 327.00 x 3512.75 = 1,148,669.25 VND -> 1,148,669 (half to even).
  EXPECT_EQ(q->total, (Money{"VND", 1148669}));
  ASSERT_TRUE(q->rate.has_value());
  EXPECT_EQ(FormatRate(q->rate->rate), "3512.75");
  EXPECT_EQ(q->rate->as_of, "2026-02-27");
  EXPECT_EQ(q->rate->source, "State Bank of Vietnam");
  ASSERT_EQ(q->lines.size(), 2u);
  EXPECT_EQ(q->lines[1].amount, (Money{"CNY", 7700}));
  // The lines share the total exactly: 878187.31 and 270481.69; the unit left over goes to
  // the larger remainder.
  EXPECT_EQ(q->lines[0].converted, (Money{"VND", 878187}));
  EXPECT_EQ(q->lines[1].converted, (Money{"VND", 270482}));
  // A later rate does not change the quote; a quote for a later date uses it.
  auto later = QuoteVnd("2026-03-02");
  ASSERT_OK(later);
  EXPECT_EQ(later->total, (Money{"VND", 1151040}));
  auto issued = service_->Issue(expert_caller_, q->id);
  ASSERT_OK(issued);
  EXPECT_EQ(issued->status, InvoiceStatus::kIssued);
  EXPECT_EQ(issued->total, q->total);
  EXPECT_EQ(issued->rate->as_of, "2026-02-27");
  EXPECT_EQ(service_->Issue(expert_caller_, q->id).status().code(), Code::kFailedPrecondition);
  // The patient reads their invoice; another patient does not.
  ASSERT_OK(service_->GetInvoice(citizen_, q->id));
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  EXPECT_EQ(service_->GetInvoice(other_citizen, q->id).status().code(), Code::kNotFound);
}

TEST_F(BillingTest, APatientsInvoicesNewestFirstForThoseWhoMaySeeThem) {
  auto first = QuoteVnd(), second = QuoteVnd("2026-03-02");
  ASSERT_OK(first);
  ASSERT_OK(second);
  auto mine = service_->PatientInvoices(citizen_, patient_);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].id, second->id);
  EXPECT_EQ((*mine)[1].id, first->id);
  auto hospital = service_->PatientInvoices(expert_caller_, patient_);
  ASSERT_OK(hospital);
  EXPECT_EQ(hospital->size(), 2u);
  // The local hospital serves him (his unit) but bills none of these: it sees none.
  auto local = service_->PatientInvoices(local_caller_, patient_);
  ASSERT_OK(local);
  EXPECT_TRUE(local->empty());
  // Another patient may not list his.
  PersonId other;
  auto other_citizen = NewCitizen(&other);
  EXPECT_EQ(service_->PatientInvoices(other_citizen, patient_).status().code(),
            Code::kPermissionDenied);
  auto theirs = service_->PatientInvoices(other_citizen, other);
  ASSERT_OK(theirs);
  EXPECT_TRUE(theirs->empty());
}

TEST_F(BillingTest, PartialPaymentsRefundsAndBalance) {
  auto q = QuoteVnd();
  ASSERT_OK(q);
  EXPECT_EQ(service_->Pay(citizen_, q->id, "counter", "cash", "1000").status().field(), "status");
  ASSERT_OK(service_->Issue(expert_caller_, q->id));
  auto before = store::LatestSeq(world_->db());
  ASSERT_OK(before);
  auto p1 = service_->Pay(expert_caller_, q->id, "counter", "cash", "500000");
  ASSERT_OK(p1);
  EXPECT_EQ(p1->paid, (Money{"VND", 500000}));
  EXPECT_EQ(p1->status, InvoiceStatus::kIssued);
  EXPECT_EQ(service_->Pay(expert_caller_, q->id, "counter", "cash", "1.5").status().field(),
            "amount");  // VND has no decimals
  auto over = service_->Pay(expert_caller_, q->id, "counter", "cash", "700000");
  EXPECT_EQ(over.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(over.status().message().find("648669 VND"), std::string::npos)
      << over.status().message();
  EXPECT_EQ(
      service_->Pay(expert_caller_, q->id, "counter", "bank_transfer", "648669").status().field(),
      "reference");
  EXPECT_EQ(service_->Pay(expert_caller_, q->id, "acquirer", "card", "648669").status().field(),
            "provider");
  EXPECT_EQ(service_->Pay(expert_caller_, q->id, "counter", "card", "648669").status().field(),
            "method");
  auto p2 = service_->Pay(citizen_, q->id, "counter", "bank_transfer", "648669", "VCB-778812");
  ASSERT_OK(p2);
  EXPECT_EQ(p2->status, InvoiceStatus::kBalanced);
  EXPECT_EQ(p2->paid, p2->total);
  EXPECT_EQ(service_->Pay(citizen_, q->id, "counter", "cash", "1").status().code(),
            Code::kFailedPrecondition);
  // Refunds are the hospital's, up to what was paid.
  EXPECT_EQ(service_->Refund(citizen_, q->id, "counter", "cash", "1000").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->Refund(expert_caller_, q->id, "counter", "cash", "2000000").status().code(),
            Code::kFailedPrecondition);
  auto r = service_->Refund(expert_caller_, q->id, "counter", "cash", "100000");
  ASSERT_OK(r);
  EXPECT_EQ(r->paid, (Money{"VND", 1048669}));
  EXPECT_EQ(r->status, InvoiceStatus::kIssued);
  auto payments = service_->Payments(citizen_, q->id);
  ASSERT_OK(payments);
  ASSERT_EQ(payments->size(), 3u);
  EXPECT_TRUE((*payments)[2].refund);
  EXPECT_EQ((*payments)[1].reference,
            "counter-payment-" + std::to_string(q->id.value) + "-VCB-778812");
  auto changes = store::ChangesAfter(world_->db(), *before, 100, {"telehealth.invoice"});
  ASSERT_OK(changes);
  int invoice_changes = 0;
  for (const auto& c : *changes) invoice_changes += c.topic == "telehealth.invoice";
  EXPECT_EQ(invoice_changes, 3);  // payment, payment, refund
}

TEST_F(BillingTest, BadInput) {
  auto unknown = service_->Quote(
      expert_caller_,
      {patient_, nanning_, std::nullopt, {{"consultation", 1}}, "XYZ", std::nullopt});
  EXPECT_EQ(unknown.status().field(), "currency");
  auto no_rate = service_->Quote(
      expert_caller_,
      {patient_, nanning_, std::nullopt, {{"consultation", 1}}, "THB", std::nullopt});
  EXPECT_EQ(no_rate.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(no_rate.status().field(), "currency");
  auto too_early = QuoteVnd("2026-02-01");
  EXPECT_EQ(too_early.status().code(), Code::kFailedPrecondition);
  auto no_fee = service_->Quote(
      expert_caller_, {patient_, nanning_, std::nullopt, {{"mri", 1}}, "VND", std::nullopt});
  EXPECT_EQ(no_fee.status().field(), "charges[0].code");
  auto qty = service_->Quote(expert_caller_,
                             {patient_, nanning_, std::nullopt, {{"cbc", 0}}, "VND", std::nullopt});
  EXPECT_EQ(qty.status().field(), "charges[0].quantity");
  // In the hospital's own currency no rate is needed.
  auto cny = service_->Quote(expert_caller_,
                             {patient_, nanning_, std::nullopt, {{"cbc", 1}}, "CNY", std::nullopt});
  ASSERT_OK(cny);
  EXPECT_FALSE(cny->rate.has_value());
  EXPECT_EQ(cny->total, (Money{"CNY", 3850}));
  // Fees: the hospital's currency decides the decimals.
  EXPECT_EQ(service_->SetFee(admin_, nanning_, "x", "x", "1.005").status().field(), "amount");
  EXPECT_EQ(service_->SetFee(admin_, mong_cai_, "x", "x", "1.5").status().field(), "amount");
  ASSERT_OK(service_->SetFee(admin_, mong_cai_, "transfusion", "Transfusion", "1500000"));
  // Rates.
  EXPECT_EQ(service_->AddExchangeRate(admin_, "CNY", "VND", "3512.75", "2026-02-27", "SBV")
                .status()
                .code(),
            Code::kAlreadyExists);
  EXPECT_EQ(service_->AddExchangeRate(admin_, "CNY", "VND", "3,512", "2026-02-28", "SBV")
                .status()
                .field(),
            "rate");
  EXPECT_EQ(
      service_->AddExchangeRate(admin_, "CNY", "ZZZ", "1", "2026-02-28", "SBV").status().field(),
      "to");
  auto district_admin = world_->As(registry::Role::kAdmin, world_->district_a);
  ASSERT_OK(district_admin);
  EXPECT_EQ(service_->AddExchangeRate(*district_admin, "CNY", "VND", "3500", "2026-02-28", "SBV")
                .status()
                .code(),
            Code::kPermissionDenied);
  // Only the hospital bills.
  EXPECT_EQ(service_
                ->Quote(local_caller_,
                        {patient_, nanning_, std::nullopt, {{"cbc", 1}}, "VND", std::nullopt})
                .status()
                .code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace mekong::telehealth
