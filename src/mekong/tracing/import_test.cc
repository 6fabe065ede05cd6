#include "mekong/tracing/import.h"

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"
#include "mekong/store/testing.h"
#include "mekong/tracing/changes.h"

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
    v.name = "W";
    other_ = registry::CreateVenue(*db_, v, kNow)->id.value;
    p.document_number = "2";
    second_ = registry::CreatePerson(*db_, p, kNow)->id.value;
  }
  int64_t Count() { return db_->Query("SELECT COUNT(*) FROM checkin")->Int(0, 0); }
  std::vector<Checkin> Stays(int64_t person) {
    return *PersonCheckins(*db_, PersonId(person), 0, kNow + kMillisPerDay);
  }
  // The form the batch API has always called, and the streaming one with options.
  Result<ImportResult> Csv(const std::string& csv) {
    return ImportCheckins(*db_, csv, ImportFormat::kCsv, false, kNow, kLimits);
  }
  Result<ImportResult> Csv(const std::string& csv, const ImportOptions& options) {
    std::istringstream in(csv);
    return ImportCheckins(*db_, in, ImportFormat::kCsv, kNow, kLimits, options);
  }
  // The time-out changes published on the change feed: (time_in, old time_out, new time_out).
  std::vector<std::tuple<int64_t, int64_t, int64_t>> PublishedTimeOuts() {
    std::vector<std::tuple<int64_t, int64_t, int64_t>> out;
    auto changes = store::ChangesAfter(*db_, 0, 1000);
    for (const auto& c : *changes) {
      if (c.topic != kTimeOutTopic) continue;
      for (size_t at = 0; at + 40 <= c.payload.size(); at += 40) {
        int64_t v[5];
        std::memcpy(v, c.payload.data() + at, 40);
        out.emplace_back(v[2], v[3], v[4]);
      }
    }
    return out;
  }
  std::string Line(int64_t person, int64_t venue, const std::string& in,
                   const std::string& out = "") {
    return std::to_string(person) + "," + std::to_string(venue) + "," + in + "," + out + "\n";
  }

  std::unique_ptr<store::Database> db_;
  int64_t person_ = 0, venue_ = 0, other_ = 0, second_ = 0;
};

int64_t T(const std::string& hhmm) { return *ParseRfc3339("2026-11-22T" + hhmm + ":00Z"); }

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

// What a spreadsheet writes: a byte-order mark, quoted header and fields (commas, doubled quotes,
// a line break inside quotes), CRLF line ends, trailing empty rows.
TEST_F(ImportTest, CsvFollowsRfc4180) {
  std::string p = std::to_string(person_), v = std::to_string(venue_);
  std::string csv =
      std::string("\xEF\xBB\xBF\"person_id\",\"venue_id\",\"time_in\",\"time_out\"\r\n") +   // 1
      "\"" + p + "\",\"" + v + "\",\"2026-11-22T08:00:00Z\",\"2026-11-22T09:00:00Z\"\r\n" +  // 2
      p + "," + v + ",2026-11-22T10:00:00Z,\r\n" +                                           // 3
      "\"1,2\"," + v + ",2026-11-22T11:00:00Z,\r\n" +             // 4 comma
      "\"say \"\"hi\"\"\"," + v + ",2026-11-22T11:00:00Z,\r\n" +  // 5 quotes
      "\"12\r\n34\"," + v + ",2026-11-22T11:00:00Z,\r\n" +        // 6-7
      p + "," + v + ",\"2026-11-22T12:00:00Z\",\r\n" +            // 8
      "\"" + p + "\"x," + v + ",2026-11-22T13:00:00Z,\r\n" +      // 9
      ",,,\r\n\r\n";
  auto r = Csv(csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 3);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& x : r->rejected) got.emplace_back(x.line, x.field);
  std::vector<std::pair<int, std::string>> want = {
      {4, "person_id"}, {5, "person_id"}, {6, "person_id"}, {9, ""}};
  EXPECT_EQ(got, want);
  ASSERT_EQ(r->rejected.size(), 4u);
  EXPECT_NE(r->rejected[3].reason.find("closing quote"), std::string::npos)
      << r->rejected[3].reason;
  auto stays = Stays(person_);
  ASSERT_EQ(stays.size(), 3u);
  EXPECT_EQ(stays[0].time_out, T("09:00"));
  EXPECT_EQ(stays[2].time_in, T("12:00"));
}

TEST_F(ImportTest, FileLevelErrorsSayWhatIsWrong) {
  auto empty = Csv("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().field(), "file");
  EXPECT_EQ(
      empty.status().message(),
      "the file is empty; a CSV starts with a header line: person_id,venue_id,time_in[,time_out]");
  EXPECT_EQ(Csv("\xEF\xBB\xBF\r\n\r\n").status().message(), empty.status().message());

  auto unknown = Csv("person_id,venue,time_in\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "the CSV header has an unknown column \"venue\"; the known columns are person_id, "
            "venue_id, time_in, "
            "time_out");
  auto lacks = Csv("person_id,time_in\n");
  EXPECT_EQ(lacks.status().message(),
            "the CSV header lacks the column venue_id; a CSV starts with a header line: "
            "person_id,venue_id,time_in[,time_out]");
  EXPECT_NE(Csv("person_id,venue_id,time_in,time_in\n").status().message().find("twice"),
            std::string::npos);

  std::string unterminated = "person_id,venue_id,time_in\n" + std::to_string(person_) + "," +
                             std::to_string(venue_) + ",2026-11-22T08:00:00Z\n\n\"" +
                             std::to_string(person_) + "," + std::to_string(venue_) +
                             ",2026-11-22T09:00:00Z\n";
  auto open = Csv(unterminated);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().field(), "file");
  EXPECT_EQ(open.status().message().rfind(
                "line 4: the quoted field that starts here has no closing quote", 0),
            0u)
      << open.status().message();
  EXPECT_EQ(Count(), 0);  // one batch: nothing written
}

// A new check-in ends the person's open stay elsewhere, as POST /checkins does, whatever the
// order of the lines in the file.
TEST_F(ImportTest, TheNextCheckinInTheFileClosesAnOpenStay) {
  for (bool reversed : {false, true}) {
    std::vector<std::string> lines = {
        Line(person_, venue_, "2026-11-22T10:00:00Z"),  // open, 45 min
        Line(person_, other_, "2026-11-22T10:20:00Z"),  // closes it
        Line(person_, venue_, "2026-11-22T12:00:00Z"),  // 45 min later than
        Line(person_, other_, "2026-11-22T13:00:00Z", "2026-11-22T13:30:00Z")};
    if (reversed) std::reverse(lines.begin(), lines.end());
    std::string csv = "person_id,venue_id,time_in,time_out\n";
    for (const auto& l : lines) csv += l;
    ASSERT_TRUE(db_->Exec("DELETE FROM checkin").ok());
    auto r = Csv(csv);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->imported, 4);
    auto stays = Stays(person_);
    ASSERT_EQ(stays.size(), 4u);
    EXPECT_EQ(stays[0].time_out, T("10:20"));
    EXPECT_EQ(stays[0].closed_by, ClosedBy::kNextCheckin);
    EXPECT_EQ(stays[1].time_out,
              T("11:05"));  // the venue's default stay: nothing came before it ended
    EXPECT_EQ(stays[1].closed_by, ClosedBy::kDefaultStay);
    EXPECT_EQ(stays[2].closed_by, ClosedBy::kDefaultStay);
    EXPECT_EQ(stays[3].closed_by, ClosedBy::kCheckout);
  }
}

TEST_F(ImportTest, ACheckinClosesAnOpenStayInTheStoreAndPublishesIt) {
  // Open at V since 09:50 through the API's rule; the import checks the person in at W at 10:00.
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return CheckIn(tx, PersonId(person_), VenueId(venue_), T("09:50"), "qr", kNow,
                               kLimits);
              }).ok());
  // Checked in at W at 11:00 through the API; the import's 10:50 check-in at V ends at 11:00.
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return CheckIn(tx, PersonId(second_), VenueId(other_), T("11:00"), "qr", kNow,
                               kLimits);
              }).ok());
  std::string csv = "person_id,venue_id,time_in,time_out\n" +
                    Line(person_, other_, "2026-11-22T10:00:00Z") +
                    Line(second_, venue_, "2026-11-22T10:50:00Z");
  auto r = Csv(csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 2);
  auto a = Stays(person_);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].time_out, T("10:00"));
  EXPECT_EQ(a[0].closed_by, ClosedBy::kNextCheckin);
  auto b = Stays(second_);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].time_out, T("11:00"));
  EXPECT_EQ(b[0].closed_by, ClosedBy::kNextCheckin);
  // The stored stay's new end is on the change feed, so every server's engine follows.
  std::vector<std::tuple<int64_t, int64_t, int64_t>> want = {{T("09:50"), T("10:35"), T("10:00")}};
  EXPECT_EQ(PublishedTimeOuts(), want);
}

TEST_F(ImportTest, StillCheckedInAtTheSameVenueIsRejectedAsTheApiDoes) {
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return CheckIn(tx, PersonId(person_), VenueId(venue_), T("09:50"), "qr", kNow,
                               kLimits);
              }).ok());
  std::string csv = "person_id,venue_id,time_in,time_out\n" +
                    Line(person_, venue_, "2026-11-22T10:00:00Z") +  // 2
                    Line(second_, venue_, "2026-11-22T10:00:00Z") +  // 3
                    Line(second_, venue_, "2026-11-22T10:30:00Z");   // 4
  auto r = Csv(csv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 1);
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].line, 2);
  EXPECT_EQ(r->rejected[0].field, "venue_id");
  EXPECT_EQ(r->rejected[0].reason.rfind("already checked in here since check-in ", 0), 0u);
  EXPECT_EQ(r->rejected[1].line, 4);
  EXPECT_EQ(r->rejected[1].reason, "already checked in here since line 3");
}

TEST_F(ImportTest, DuplicatesWithinTheFileAndAgainstTheStore) {
  std::string csv =
      "person_id,venue_id,time_in,time_out\n" +
      Line(person_, venue_, "2026-11-22T07:00:00Z", "2026-11-22T07:30:00Z") +  // 2
      Line(person_, other_, "2026-11-22T08:00:00Z", "2026-11-22T08:30:00Z") +  // 3
      Line(person_, venue_, "2026-11-22T07:00:00Z", "2026-11-22T07:10:00Z");   // 4: line 2 again
  auto r = Csv(csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 2);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 4);
  EXPECT_EQ(r->rejected[0].reason, "duplicates line 2 (same person, venue and time_in)");
  // The same file again writes nothing twice: its lines are in the store.
  auto again = Csv(csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported, 0);
  ASSERT_EQ(again->rejected.size(), 3u);
  EXPECT_EQ(again->rejected[0].reason.rfind("is already in the store (check-in ", 0), 0u)
      << again->rejected[0].reason;
  EXPECT_EQ(Count(), 2);
}

// Within a batch duplicates are found by sorting it; across batches the earlier ones are in the
// store (committed, or in --strict's one transaction), so memory stays bounded by the batch.
TEST_F(ImportTest, DuplicatesAcrossBatches) {
  for (bool strict : {false, true}) {
    ASSERT_TRUE(db_->Exec("DELETE FROM checkin").ok());
    std::string csv = "person_id,venue_id,time_in,time_out\n";
    for (int i = 0; i < 6; ++i) {
      csv += Line(person_, venue_, "2026-11-22T0" + std::to_string(i) + ":00:00Z",
                  "2026-11-22T0" + std::to_string(i) + ":30:00Z");
    }
    csv += Line(person_, venue_, "2026-11-22T07:00:00Z", "2026-11-22T07:30:00Z");  // 8
    csv +=
        Line(person_, venue_, "2026-11-22T07:00:00Z", "2026-11-22T07:10:00Z");  // 9: line 8 again
    csv +=
        Line(person_, venue_, "2026-11-22T01:00:00Z", "2026-11-22T01:10:00Z");  // 10: line 3 again
    ImportOptions small;
    small.batch_lines = 3;  // line 9 meets line 8 in its batch, line 10 meets line 3 in the store
    small.strict = strict;
    auto r = Csv(csv, small);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->imported, strict ? 0 : 7);
    EXPECT_EQ(r->rejected_count, strict ? 1 : 2);
    ASSERT_EQ(r->rejected.size(), strict ? 1u : 2u);
    EXPECT_EQ(r->rejected[0].line, 9);
    EXPECT_EQ(r->rejected[0].reason, "duplicates line 8 (same person, venue and time_in)");
    if (!strict) {  // --strict's first pass stops at line 9; the store is never asked
      EXPECT_EQ(r->rejected[1].line, 10);
      EXPECT_EQ(r->rejected[1].reason.rfind("is already in the store (check-in ", 0), 0u)
          << r->rejected[1].reason;
    }
    EXPECT_EQ(Count(), strict ? 0 : 7);
  }
}

// Batches are transactions of their own without --strict; the outcome does not depend on where
// the batches end, and progress says what is committed.
TEST_F(ImportTest, BatchesCommitOneByOneWithTheSameOutcome) {
  std::string csv = "person_id,venue_id,time_in,time_out\n";
  for (int i = 0; i < 10; ++i) {
    char t[32];
    std::snprintf(t, sizeof t, "2026-11-22T%02d:%02d:00Z", 8 + i / 2, i % 2 * 30);
    csv += Line(i % 2 ? person_ : second_, i % 3 ? venue_ : other_, t);
  }
  auto whole = Csv(csv);
  ASSERT_TRUE(whole.ok());
  std::vector<Checkin> want = Stays(person_), want2 = Stays(second_);
  ASSERT_TRUE(db_->Exec("DELETE FROM checkin").ok());
  ImportOptions small;
  small.batch_lines = 3;
  std::vector<int64_t> committed;
  small.progress = [&](const ImportProgress& p) {
    if (!p.done) committed.push_back(p.committed_through_line);
  };
  std::istringstream in(csv);
  auto batched = ImportCheckins(*db_, in, ImportFormat::kCsv, kNow, kLimits, small);
  ASSERT_TRUE(batched.ok()) << batched.status().ToString();
  EXPECT_EQ(batched->imported, whole->imported);
  EXPECT_EQ(batched->committed_through_line, 11);
  EXPECT_EQ(committed, (std::vector<int64_t>{4, 7, 10, 11}));
  auto same = [](const std::vector<Checkin>& a, const std::vector<Checkin>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].time_in != b[i].time_in || a[i].time_out != b[i].time_out ||
          a[i].closed_by != b[i].closed_by || a[i].venue != b[i].venue)
        return false;
    }
    return true;
  };
  EXPECT_TRUE(same(Stays(person_), want));
  EXPECT_TRUE(same(Stays(second_), want2));
}

TEST_F(ImportTest, APartialFailureSaysWhatWasCommitted) {
  std::string csv = "person_id,venue_id,time_in,time_out\n" +
                    Line(person_, venue_, "2026-11-22T08:00:00Z") +
                    Line(person_, venue_, "2026-11-22T09:00:00Z") + "\"" +
                    Line(person_, venue_, "2026-11-22T10:00:00Z");
  ImportOptions small;
  small.batch_lines = 2;
  auto r = Csv(csv, small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.status().message().find("line 4: the quoted field that starts here has no closing quote"),
      std::string::npos);
  EXPECT_NE(r.status().message().find("the lines up to line 3 are imported, 2 check-ins"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(Count(), 2);
}

TEST_F(ImportTest, StrictIsAllOrNothingAcrossBatches) {
  std::string csv = "person_id,venue_id,time_in,time_out\n";
  for (int i = 0; i < 7; ++i)
    csv += Line(person_, i % 2 ? venue_ : other_, "2026-11-22T0" + std::to_string(i) + ":00:00Z");
  ImportOptions strict;
  strict.strict = true;
  strict.batch_lines = 2;
  // A bad line in the last batch: the first pass finds it, nothing is written.
  auto bad = Csv(csv + "x,1,2026-11-22T09:00:00Z,\n", strict);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->imported, 0);
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(bad->rejected[0].line, 9);
  EXPECT_EQ(Count(), 0);
  // A line only the store can refuse (already imported) is found in the writing pass, which then
  // rolls everything back.
  ASSERT_TRUE(
      Csv("person_id,venue_id,time_in,time_out\n" + Line(person_, venue_, "2026-11-22T05:00:00Z"))
          .ok());
  auto late = Csv(csv, strict);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->imported, 0);
  ASSERT_EQ(late->rejected.size(), 1u);
  EXPECT_EQ(late->rejected[0].line, 7);
  EXPECT_EQ(Count(), 1);
  // And a clean file is written whole.
  ASSERT_TRUE(db_->Exec("DELETE FROM checkin").ok());
  auto good = Csv(csv, strict);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->imported, 7);
  EXPECT_EQ(Count(), 7);
}

TEST_F(ImportTest, NdjsonAcceptsAByteOrderMarkAndCrlf) {
  std::string nd =
      "\xEF\xBB\xBF{\"person_id\": " + std::to_string(person_) +
      ", \"venue_id\": " + std::to_string(venue_) +
      ", \"time_in\": \"2026-11-22T08:00:00Z\"}\r\n{\"person_id\": 1, \"person_id\": 2}\r\n";
  auto r = ImportCheckins(*db_, nd, ImportFormat::kNdjson, false, kNow, kLimits);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 1);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 2);  // duplicate keys are refused by ParseJson
}

}  // namespace
}  // namespace mekong::tracing
