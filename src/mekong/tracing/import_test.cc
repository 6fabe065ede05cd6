#include "mekong/tracing/import.h"

#include <gtest/gtest.h>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::tracing {
namespace {

const int64_t kNow = *ParseRfc3339("2026-11-23T12:00:00Z");
const Limits kLimits{24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "C", "C"});
    registry::Person p{.full_name = "A",
                       .document_type = "passport",
                       .document_number = "1",
                       .nationality = "VN",
                       .language = "vi",
                       .org_unit = unit->id};
    person_ = registry::CreatePerson(*db_, p, kNow)->id.value;
    registry::Venue v{.name = "V",
                      .kind = "market",
                      .capacity = 10,
                      .org_unit = unit->id,
                      .default_stay_minutes = 45};
    venue_ = registry::CreateVenue(*db_, v, kNow)->id.value;
  }
  int64_t Count() { return db_->Query("SELECT COUNT(*) FROM checkin")->Int(0, 0); }
  std::string Line(int64_t person, int64_t venue, const std::string& in,
                   const std::string& out = "") {
    return std::to_string(person) + "," + std::to_string(venue) + "," + in + "," + out + "\n";
  }

  std::unique_ptr<store::Database> db_;
  int64_t person_ = 0, venue_ = 0;
};

TEST_F(ImportTest, CsvImportsValidLinesAndListsTheRestByLine) {
  std::string csv =
      "person_id,venue_id,time_in,time_out\n" +
      Line(person_, venue_, "2026-11-22T08:00:00Z", "2026-11-22T09:00:00Z") +  // 2 ok
      Line(person_, venue_, "2026-11-22T10:00:00Z") +                          // 3 ok, default stay
      Line(999, venue_, "2026-11-22T11:00:00Z") +                              // 4 person
      Line(person_, 999, "2026-11-22T11:00:00Z") +                             // 5 venue
      Line(person_, venue_, "2026-11-22T12:00:00Z", "2026-11-22T11:00:00Z") +  // 6 out < in
      Line(person_, venue_, "2026-12-22T12:00:00Z") +                          // 7 future
      Line(person_, venue_, "2026-09-01T12:00:00Z") +                          // 8 too old
      Line(person_, venue_, "2026-11-22T08:00:00Z", "2026-11-22T09:00:00Z") +  // 9 duplicate
      "1,2\n" +                                                                // 10 fields
      Line(person_, venue_, "yesterday") +                                     // 11 time
      Line(person_, venue_, "2026-11-21T08:00:00Z", "2026-11-22T09:00:00Z");   // 12 too long
  auto r = ImportCheckins(*db_, csv, ImportFormat::kCsv, false, kNow, kLimits);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 2);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& x : r->rejected) got.emplace_back(x.line, x.field);
  std::vector<std::pair<int, std::string>> want = {
      {4, "person_id"}, {5, "venue_id"}, {6, "time_out"}, {7, "time_in"},  {8, "time_in"},
      {9, ""},          {10, ""},        {11, "time_in"}, {12, "time_out"}};
  EXPECT_EQ(got, want);
  auto rows = PersonCheckins(*db_, PersonId(person_), 0, kNow);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].time_out - (*rows)[1].time_in, 45 * kMillisPerMinute);
  EXPECT_EQ((*rows)[1].source, "import");
}

TEST_F(ImportTest, StrictImportsNothingWhenAnyLineIsBad) {
  std::string csv = "person_id,venue_id,time_in\n" + std::to_string(person_) + "," +
                    std::to_string(venue_) + ",2026-11-22T08:00:00Z\n" +
                    "x,1,2026-11-22T08:00:00Z\n";
  auto r = ImportCheckins(*db_, csv, ImportFormat::kCsv, true, kNow, kLimits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 0);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, NdjsonAndFileLevelErrors) {
  std::string nd = "{\"person_id\": " + std::to_string(person_) +
                   ", \"venue_id\": " + std::to_string(venue_) +
                   ", \"time_in\": \"2026-11-22T08:00:00+07:00\"}\n\n{\"person_id\": 1, "
                   "\"nickname\": \"x\"}\n[1]\n";
  auto r = ImportCheckins(*db_, nd, ImportFormat::kNdjson, false, kNow, kLimits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 1);
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_EQ(r->rejected[0].field, "nickname");
  EXPECT_EQ(r->rejected[1].line, 4);
  EXPECT_EQ(ImportCheckins(*db_, "", ImportFormat::kCsv, false, kNow, kLimits).status().field(),
            "file");
  EXPECT_EQ(ImportCheckins(*db_, "venue_id,time_in\n", ImportFormat::kCsv, false, kNow, kLimits)
                .status()
                .field(),
            "file");
}

}  // namespace
}  // namespace mekong::tracing
