#include "mekong/tracing/travel.h"

#include <gtest/gtest.h>

#include <random>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::tracing {
namespace {

const int64_t kNow = *ParseRfc3339("2026-11-23T12:00:00Z");
const Limits kLimits{24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};

class TravelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    unit_ = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "C", "C"})->id;
  }
  int64_t Person(const std::string& doc, const std::string& nationality = "LA") {
    registry::Person p{.full_name = "P" + doc,
                       .document_type = "passport",
                       .document_number = doc,
                       .nationality = nationality,
                       .language = "lo",
                       .org_unit = unit_};
    return registry::CreatePerson(*db_, p, kNow)->id.value;
  }
  Trip Flight(const std::string& service, const std::string& departure) {
    auto t = CreateTrip(*db_,
                        {"flight", "qv", service, "", "VTE", "HAN", *ParseRfc3339(departure),
                         *ParseRfc3339(departure) + 90 * kMillisPerMinute},
                        kNow, kLimits);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return *t;
  }
  void Board(const Trip& t, int64_t person, const std::string& seat,
             const std::string& carriage = "") {
    auto s = ParseSeat(seat, carriage);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE(PutPassengers(*db_, t.id, {{PersonId(person), *s}}).ok());
  }
  std::vector<std::pair<int64_t, std::string>> Co(int64_t person, int rows = 2) {
    auto r = CoTravellers(*db_, PersonId(person), kNow - 10 * kMillisPerDay, kNow, rows);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::pair<int64_t, std::string>> out;
    for (const auto& c : *r) out.emplace_back(c.person.value, c.reason);
    return out;
  }

  std::unique_ptr<store::Database> db_;
  OrgUnitId unit_;
};

TEST(Seat, ParsesRowsLettersAndRefusesTheRest) {
  EXPECT_EQ(*ParseSeat("12c", "")->row, 12);
  EXPECT_EQ(ParseSeat("12c", "")->letter, "C");
  EXPECT_EQ(ParseSeat("3", "5")->Text(), "carriage 5, 3");
  EXPECT_FALSE(ParseSeat("", "")->row.has_value());
  for (const char* bad : {"C12", "0A", "1234A", "12ABC", "1-2"}) {
    auto s = ParseSeat(bad, "");
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().field(), "seat");
  }
}

TEST(Seat, CoTravelRule) {
  auto seat = [](std::optional<int64_t> row, std::string carriage) {
    return Seat{row, "", std::move(carriage)};
  };
  EXPECT_EQ(CoTravelReason(seat(10, ""), seat(12, ""), 2), "within_rows");
  EXPECT_EQ(CoTravelReason(seat(10, ""), seat(13, ""), 2), std::nullopt);
  EXPECT_EQ(CoTravelReason(seat(10, ""), seat(13, ""), 3), "within_rows");
  EXPECT_EQ(CoTravelReason(seat(1, "5"), seat(40, "5"), 2), "same_carriage");
  EXPECT_EQ(CoTravelReason(seat(1, "5"), seat(1, "6"), 2), std::nullopt);
  EXPECT_EQ(CoTravelReason(seat(std::nullopt, ""), seat(30, ""), 2), "seat_unknown");
  EXPECT_EQ(CoTravelReason(seat(3, "5"), seat(4, ""), 2), "within_rows");
}

TEST_F(TravelTest, CoTravellersWithinTwoRowsOnTheSameTripOnly) {
  int64_t c = Person("C"), near = Person("N"), far = Person("F"), unknown = Person("U"),
          other = Person("O");
  Trip t = Flight("QV311", "2026-11-20T08:00:00Z");
  Board(t, c, "12C");
  Board(t, near, "14A");
  Board(t, far, "15A");
  Board(t, unknown, "");
  Trip later = Flight("QV313", "2026-11-21T08:00:00Z");
  Board(later, other, "12D");  // same seat area, different flight
  using P = std::pair<int64_t, std::string>;
  EXPECT_EQ(Co(c), (std::vector<P>{{near, "within_rows"}, {unknown, "seat_unknown"}}));
  EXPECT_EQ(Co(c, 3), (std::vector<P>{
                          {near, "within_rows"}, {far, "within_rows"}, {unknown, "seat_unknown"}}));
  EXPECT_TRUE(Co(other).empty());
  // Re-seating (a corrected manifest) changes the answer.
  Board(t, far, "13B");
  EXPECT_EQ(Co(c).size(), 3u);
  EXPECT_EQ(GetTrip(*db_, t.id)->passengers, 4);
  // Outside the window: nothing.
  auto before = CoTravellers(*db_, PersonId(c), kNow - 10 * kMillisPerDay,
                             *ParseRfc3339("2026-11-20T07:00:00Z"), 2);
  EXPECT_TRUE(before->empty());
}

TEST_F(TravelTest, TripFieldsAreChecked) {
  int64_t dep = *ParseRfc3339("2026-11-20T08:00:00Z");
  auto fails = [&](NewTrip t, const std::string& field) {
    auto r = CreateTrip(*db_, t, kNow, kLimits);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().field(), field) << r.status().ToString();
  };
  fails({"boat", "X", "1", "", "A", "B", dep, std::nullopt}, "mode");
  fails({"flight", "", "1", "", "A", "B", dep, std::nullopt}, "carrier");
  fails({"flight", "X", "1", "", "A", "B", dep, dep - 1}, "arrival");
  fails({"flight", "X", "1", "", "A", "B", dep, dep + 49 * kMillisPerHour}, "arrival");
  fails({"flight", "X", "1", "", "A", "B", kNow + kMillisPerDay, std::nullopt}, "departure");
  fails({"flight", "X", "1", "", "A", "B", kNow - 40 * kMillisPerDay, std::nullopt}, "departure");
  fails({"flight", "X", "1", "20-11-2026", "A", "B", dep, std::nullopt}, "service_date");
  auto ok = CreateTrip(*db_, {"flight", "x", "1", "", "a", "b", dep, std::nullopt}, kNow, kLimits);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->service_date, "2026-11-20");
  EXPECT_EQ(ok->origin, "A");
  fails({"flight", "X", "1", "2026-11-20", "A", "B", dep, std::nullopt},
        "service");  // already exists
}

TEST_F(TravelTest, ManifestImportFindsPeopleByDocumentAndListsBadLines) {
  int64_t a = Person("P100"), b = Person("P200");
  Person("DUP", "LA");
  Person("DUP", "VN");
  std::string head =
      "mode,carrier,service,service_date,origin,destination,departure,arrival,seat,carriage,person_"
      "id,"
      "document_number,nationality\n";
  std::string trip =
      "flight,VN,VN920,2026-11-20,HAN,VTE,2026-11-20T08:00:00Z,2026-11-20T09:10:00Z,";
  std::string csv =
      head + trip + "12C,," + std::to_string(a) + ",,\n" +  // 2 ok by id
      trip + "13A,,,P200,la\n" +                            // 3 ok by document
      trip + "14A,,,DUP,\n" +                               // 4 ambiguous
      trip + "14B,,,DUP,VN\n" +                             // 5 ok with nationality
      trip + "C12,,,P100,\n" +                              // 6 bad seat
      trip + "15A,,,NOBODY,\n" +                            // 7 unknown document
      trip + "16A,," + std::to_string(a) + ",,\n" +         // 8 same passenger again
      "flight,VN,VN920,2026-11-20,HAN,BKK,2026-11-20T08:00:00Z,,1A,,," +
      "P100,\n" +                                                              // 9 contradicts
      "flight,VN,VN921,2026-11-20,HAN,VTE,yesterday,,1A,,,P100,\n" +           // 10 departure
      "ship,VN,VN922,2026-11-20,HAN,VTE,2026-11-20T08:00:00Z,,1A,,,P100,\n" +  // 11 mode
      "flight,VN,VN923\n";                                                     // 12 fields
  auto r = ImportManifest(*db_, csv, ImportFormat::kCsv, false, kNow, kLimits);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->passengers, 3);
  EXPECT_EQ(r->trips_created, 1);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& x : r->rejected) got.emplace_back(x.line, x.field);
  std::vector<std::pair<int, std::string>> want = {
      {4, "nationality"}, {6, "seat"},       {7, "document_number"}, {8, ""},
      {9, "service"},     {10, "departure"}, {11, "mode"},           {12, ""}};
  EXPECT_EQ(got, want);
  auto co = CoTravellers(*db_, PersonId(a), kNow - 10 * kMillisPerDay, kNow, 2);
  ASSERT_EQ(co->size(), 2u);
  EXPECT_EQ((*co)[0].person.value, b);
  EXPECT_EQ((*co)[0].seat.Text(), "13A");
  EXPECT_EQ((*co)[0].case_seat.Text(), "12C");
  EXPECT_EQ((*co)[0].trip.service, "VN920");

  // Strict: nothing written; NDJSON works the same; a re-sent manifest is idempotent.
  auto strict = ImportManifest(*db_, csv, ImportFormat::kCsv, true, kNow, kLimits);
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->passengers, 0);
  std::string nd =
      R"({"mode":"flight","carrier":"VN","service":"VN920","service_date":"2026-11-20","origin":"HAN",)"
      R"("destination":"VTE","departure":"2026-11-20T08:00:00Z","seat":"12C","person_id":)" +
      std::to_string(a) + "}\n" + R"({"mode":"flight","seat":{"row":1}})" + "\n";
  auto again = ImportManifest(*db_, nd, ImportFormat::kNdjson, false, kNow, kLimits);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->passengers, 1);
  EXPECT_EQ(again->trips_created, 0);
  ASSERT_EQ(again->rejected.size(), 1u);
  EXPECT_EQ(again->rejected[0].field, "seat");
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM trip_passenger")->Int(0, 0), 3);

  auto missing =
      ImportManifest(*db_, "carrier,service\n", ImportFormat::kCsv, false, kNow, kLimits);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field(), "file");
}

TEST_F(TravelTest, RetentionDeletesTripsAndPassengers) {
  int64_t a = Person("A"), b = Person("B");
  Trip old = Flight("QV1", "2026-10-27T08:00:00Z");
  Trip recent = Flight("QV2", "2026-11-20T08:00:00Z");
  Board(old, a, "1A");
  Board(old, b, "1B");
  Board(recent, a, "1A");
  auto n = DeleteTripsEndedBefore(*db_, kNow - 21 * kMillisPerDay);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM trip_passenger")->Int(0, 0), 1);
  EXPECT_FALSE(GetTrip(*db_, old.id).ok());
  EXPECT_EQ(PersonTrips(*db_, PersonId(a), 0, kNow)->size(), 1u);
}

// The SQL answer against a brute-force reading of the rule over random manifests.
TEST_F(TravelTest, RandomManifestsMatchTheRuleByBruteForce) {
  std::mt19937 rng(7);
  std::vector<int64_t> people;
  for (int i = 0; i < 60; ++i) people.push_back(Person("R" + std::to_string(i)));
  struct Boarding {
    int64_t trip, person;
    Seat seat;
  };
  std::vector<Boarding> all;
  std::vector<Trip> trips;
  for (int t = 0; t < 6; ++t) {
    trips.push_back(Flight("R" + std::to_string(t), "2026-11-2" + std::to_string(t % 3) + "T0" +
                                                        std::to_string(t) + ":00:00Z"));
    std::vector<Passenger> list;
    for (int64_t p : people) {
      if (rng() % 3) continue;
      Seat s;
      if (rng() % 5)
        s.row = 1 + rng() % 12, s.letter = std::string(1, static_cast<char>('A' + rng() % 6));
      if (t % 2 && rng() % 4) s.carriage = std::to_string(1 + rng() % 3);
      list.push_back({PersonId(p), s});
      all.push_back({trips.back().id, p, s});
    }
    ASSERT_TRUE(PutPassengers(*db_, trips.back().id, list).ok());
  }
  for (int64_t p : people) {
    std::vector<std::pair<int64_t, int64_t>> want;
    for (const auto& mine : all) {
      if (mine.person != p) continue;
      for (const auto& other : all) {
        if (other.trip == mine.trip && other.person != p &&
            CoTravelReason(mine.seat, other.seat, 2)) {
          want.emplace_back(other.person, other.trip);
        }
      }
    }
    std::sort(want.begin(), want.end());
    auto r = CoTravellers(*db_, PersonId(p), 0, kNow, 2);
    std::vector<std::pair<int64_t, int64_t>> got;
    for (const auto& c : *r) got.emplace_back(c.person.value, c.trip.id);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << "person " << p;
  }
}

}  // namespace
}  // namespace mekong::tracing
