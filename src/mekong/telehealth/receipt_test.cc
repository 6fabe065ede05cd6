#include "mekong/telehealth/receipt.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"

namespace mekong::telehealth {
namespace {

// A CNY invoice of the Nanning hospital, paid in VND: in part, the rest, and a refund.
struct Paid {
  Hospital hospital{FacilityId(2),
                    "First Affiliated Hospital, Nanning",
                    "/1/2/",
                    "CN",
                    "Asia/Shanghai",
                    {"zh", "en", "vi"},
                    "CNY"};
  Invoice invoice;
  std::vector<Payment> payments;

  Paid() {
    const int64_t at = ParseRfc3339("2026-03-09T02:30:00Z").value();
    invoice.id = InvoiceId(7);
    invoice.status = InvoiceStatus::kIssued;
    invoice.source_total = {"CNY", 47550};
    invoice.total = {"VND", 1670313};
    invoice.paid = {"VND", 1570313};
    invoice.rate = StoredRate{{"CNY", "VND", 351275, 2}, "2026-03-08", "State Bank of Vietnam"};
    invoice.lines = {
        {"consultation",
         "Haematology consultation",
         1,
         {"CNY", 35000},
         {"CNY", 35000},
         {"VND", 1229465}},
        {"lab_review",
         "Review of <lab> results",
         1,
         {"CNY", 12550},
         {"CNY", 12550},
         {"VND", 440848}},
    };
    invoice.issued_at = at;
    payments = {
        {1, invoice.id, "counter", "bank_transfer", false, {"VND", 1000000}, "VCB-1", {}, at},
        {2, invoice.id, "counter", "cash", false, {"VND", 670313}, "counter-2", {}, at + 60000},
        {3, invoice.id, "counter", "cash", true, {"VND", 100000}, "counter-3", {}, at + 120000},
    };
  }
  ReceiptInput In(std::string language) const {
    return {invoice, payments, hospital, "Nguyễn Văn An", std::move(language), "Asia/Ho_Chi_Minh"};
  }
};

bool Has(const std::string& page, std::string_view text) {
  return page.find(text) != std::string::npos;
}

TEST(Receipt, InThePatientsLanguageWithTheirAmounts) {
  Paid p;
  auto vi = ReceiptHtml(p.In("vi"));
  ASSERT_TRUE(vi.ok()) << vi.status().ToString();
  EXPECT_TRUE(Has(*vi, "<html lang=\"vi\">"));
  EXPECT_TRUE(Has(*vi, "Biên lai"));
  EXPECT_TRUE(Has(*vi, "Còn phải trả"));
  EXPECT_TRUE(Has(*vi, "Chuyển khoản"));
  EXPECT_TRUE(Has(*vi, "1.670.313"));  // the total, as Vietnamese write it
  EXPECT_TRUE(Has(*vi, "-100.000"));   // the refund
  EXPECT_TRUE(Has(*vi, "475,50"));     // the CNY total, Vietnamese decimal comma
  EXPECT_TRUE(Has(*vi, "₫"));
  EXPECT_TRUE(Has(*vi, "1 CNY = 3512.75 VND (State Bank of Vietnam, 2026-03-08)"));
  EXPECT_TRUE(Has(*vi, "Nguyễn Văn An"));
  EXPECT_TRUE(Has(*vi, "Review of &lt;lab&gt; results"));  // the hospital's text is escaped
  EXPECT_FALSE(Has(*vi, "<lab>"));
  EXPECT_TRUE(Has(*vi, "@media print"));
  EXPECT_TRUE(Has(*vi, std::string(ReceiptStyle())));

  // Every language has its labels; Thai and Khmer pages carry their own scripts.
  for (auto language : registry::Languages()) {
    auto page = ReceiptHtml(p.In(std::string(language)));
    ASSERT_TRUE(page.ok()) << language << ": " << page.status().ToString();
    EXPECT_TRUE(Has(*page, "<html lang=\"" + std::string(language) + "\">")) << language;
  }
  EXPECT_TRUE(Has(*ReceiptHtml(p.In("th")), "ใบเสร็จรับเงิน"));
  EXPECT_TRUE(Has(*ReceiptHtml(p.In("km")), "បង្កាន់ដៃ"));
  EXPECT_TRUE(Has(*ReceiptHtml(p.In("my")), "၁,၆၇၀,၃၁၃"));  // Myanmar digits
  // An unknown language reads English.
  EXPECT_TRUE(Has(*ReceiptHtml(p.In("de")), "Balance due"));
}

TEST(Receipt, OnlyForWhatWasPaid) {
  Paid p;
  p.invoice.status = InvoiceStatus::kDraft;
  EXPECT_EQ(ReceiptHtml(p.In("vi")).status().field(), "status");
  p.invoice.status = InvoiceStatus::kIssued;
  p.payments.clear();
  EXPECT_EQ(ReceiptHtml(p.In("vi")).status().field(), "status");
}

}  // namespace
}  // namespace mekong::telehealth
