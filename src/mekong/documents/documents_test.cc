#include <gtest/gtest.h>

#include "mekong/core/crypto.h"
#include "mekong/documents/service.h"
#include "mekong/registry/testing.h"

namespace mekong::documents {
namespace {

using registry::Role;

constexpr int64_t kNow = 1'780'000'000'000;
const std::string kPdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make({&kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    service_ = std::make_unique<Service>(world_->db(), clock_, Options{.max_bytes = 1000});
    // A kind of record of the test's own: record 1 belongs to commune A1, record 2 to B1; a
    // tracer may read but not attach.
    service_->AddSubject("note", [this](const registry::Caller& by, int64_t id, Use use) -> Status {
      const auto& unit = id == 1 ? world_->commune_a1 : world_->commune_b1;
      if (id > 2 || !registry::RequireCovers(by, unit.path).ok())
        return Status::NotFound("no note", "subject_id");
      if (use == Use::kAttach && by.role == Role::kTracer)
        return Status::PermissionDenied("a tracer does not attach to notes");
      return Status::Ok();
    });
    a1_ = *world_->As(Role::kCommandOfficer, world_->commune_a1);
    b1_ = *world_->As(Role::kCommandOfficer, world_->commune_b1);
    province_ = *world_->As(Role::kCommandOfficer, world_->province);
    tracer_ = *world_->As(Role::kTracer, world_->commune_a1);
  }

  Upload Pdf(int64_t id = 1) { return {"note", id, "plan.pdf", "application/pdf", kPdf}; }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  std::unique_ptr<Service> service_;
  registry::Caller a1_, b1_, province_, tracer_;
};

TEST_F(DocumentsTest, StoredUnderItsHashAndReadBackWhole) {
  auto d = service_->Attach(a1_, Pdf());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->sha256, HexEncode(Sha256(kPdf)));
  EXPECT_EQ(d->size, static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(d->uploaded_at, kNow);
  auto c = service_->Content(province_, d->id);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->second, kPdf);
  EXPECT_EQ(c->first.filename, "plan.pdf");

  // The same bytes again are a second document over one stored copy.
  Upload again = Pdf();
  again.filename = "plan (copy).pdf";
  auto d2 = service_->Attach(a1_, again);
  ASSERT_TRUE(d2.ok());
  EXPECT_NE(d2->id, d->id);
  EXPECT_EQ(d2->sha256, d->sha256);
  auto stored = world_->db().Query("SELECT COUNT(*) FROM document_content");
  EXPECT_EQ(stored->Int(0, 0), 1);
  auto list = service_->List(tracer_, "note", 1);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, d->id);
}

TEST_F(DocumentsTest, AuditReadsEveryFileInPages) {
  // 250 files: three pages of the audit's hundred.
  for (int i = 0; i < 250; ++i) {
    Upload u{"note", 1, "n" + std::to_string(i) + ".txt", "text/plain",
             "note " + std::to_string(i)};
    ASSERT_TRUE(service_->Attach(a1_, u).ok());
  }
  auto audit = service_->AuditAll();
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->files, 250);
  EXPECT_TRUE(audit->corrupt.empty());
}

TEST_F(DocumentsTest, ChangedBytesAreNotServed) {
  auto d = service_->Attach(a1_, Pdf());
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(world_->db()
                  .Exec("UPDATE document_content SET content = ? WHERE sha256 = ?",
                        {store::Blob{"%PDF-1.4 forged"}, d->sha256})
                  .ok());
  auto c = service_->Content(a1_, d->id);
  EXPECT_EQ(c.status().code(), Code::kInternal) << c.status().ToString();
  // The record itself still reads: only the bytes are refused.
  EXPECT_TRUE(service_->Get(a1_, d->id).ok());
  auto audit = service_->AuditAll();
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->files, 1);
  ASSERT_EQ(audit->corrupt.size(), 1u);
  EXPECT_EQ(audit->corrupt[0].first, d->sha256);
  EXPECT_EQ(audit->corrupt[0].second, std::vector<int64_t>{d->id});
}

TEST_F(DocumentsTest, TheRecordsRulesDecide) {
  auto d = service_->Attach(a1_, Pdf());
  ASSERT_TRUE(d.ok());
  // Another commune sees neither the document nor the record's list: as if neither existed.
  EXPECT_EQ(service_->Get(b1_, d->id).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->Content(b1_, d->id).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->List(b1_, "note", 1).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->Attach(b1_, Pdf(1)).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->Attach(tracer_, Pdf(1)).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(service_->Attach(b1_, Pdf(2)).ok());
  EXPECT_EQ(service_->Get(a1_, 999).status().code(), Code::kNotFound);
  // A citizen attaches nothing; what they read is the record's guard's to decide (this one
  // lets a citizen of the commune read its note, as a patient reads his consultation's files).
  auto person = world_->AddPerson(world_->commune_a1);
  auto citizen = world_->As(Role::kCitizen, world_->commune_a1, person->id);
  EXPECT_EQ(service_->Attach(*citizen, Pdf(1)).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(service_->List(*citizen, "note", 1).ok());
  EXPECT_EQ(service_->List(*citizen, "note", 2).status().code(), Code::kNotFound);
  EXPECT_EQ(service_->List(a1_, "memo", 1).status().field(), "subject");
}

TEST_F(DocumentsTest, TypesSizesAndNamesAreChecked) {
  auto refused = [&](Upload u) { return service_->Attach(a1_, u).status(); };
  Upload u = Pdf();
  u.media_type = "application/x-msdownload";
  EXPECT_EQ(refused(u).field(), "Content-Type");
  u = Pdf();
  u.media_type = "image/png";  // says PNG, is a PDF
  EXPECT_EQ(refused(u).field(), "body");
  u = Pdf();
  u.bytes = "";
  EXPECT_EQ(refused(u).field(), "body");
  u = Pdf();
  u.bytes = "%PDF-" + std::string(1000, 'x');
  EXPECT_EQ(refused(u).field(), "body");
  u = Pdf();
  u.filename = "../../etc/passwd";
  EXPECT_EQ(refused(u).field(), "filename");
  u = Pdf();
  u.filename = "";
  EXPECT_EQ(refused(u).field(), "filename");
  u = {"note", 1, "binary.txt", "text/plain", std::string("a\0b", 3)};
  EXPECT_EQ(refused(u).field(), "body");
  u = {"note", 1, "báo cáo.csv", "text/csv; charset=utf-8", "xã,ca\nBãi Cháy,3\n"};
  auto ok = service_->Attach(a1_, u);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->media_type, "text/csv");
  EXPECT_EQ(service_->List(a1_, "note", 1)->size(), 1u) << "nothing refused was stored";
}

}  // namespace
}  // namespace mekong::documents
