// The engine must give exactly the answers of the plain SQL (checkins.cc) on the same stays.
// Random data on purpose: long stays, zero-length stays, a person's own overlapping stays,
// stays across midnight, windows that start or end at midnight or inside a stay.
#include "mekong/tracing/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/store/database.h"
#include "mekong/store/testing.h"

namespace mekong::tracing {
namespace {

constexpr int64_t kMaxStay = 12 * kMillisPerHour;
const int64_t kDay0 = *ParseRfc3339("2026-11-10T00:00:00Z");

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "commune", "Test", "T"});
    ASSERT_TRUE(db_->Transact([&](store::Executor& tx) -> Status {
                     for (int i = 0; i < kPeople; ++i) {
                       registry::Person p{.full_name = "P" + std::to_string(i),
                                          .document_type = "passport",
                                          .document_number = "E" + std::to_string(i),
                                          .nationality = "VN",
                                          .language = "vi",
                                          .org_unit = unit->id};
                       ASSIGN_OR_RETURN(auto made, registry::CreatePerson(tx, p, kDay0));
                       people_.push_back(made.id);
                     }
                     for (int i = 0; i < kVenues; ++i) {
                       ASSIGN_OR_RETURN(auto v,
                                        registry::CreateVenue(tx,
                                                              {.name = "V" + std::to_string(i),
                                                               .kind = "shop",
                                                               .capacity = 50,
                                                               .org_unit = unit->id,
                                                               .default_stay_minutes = 60},
                                                              kDay0));
                       venues_.push_back(v.id);
                     }
                     return Status::Ok();
                   })
                    .ok());
  }

  // Random stays over three days, written to the store as they are (no check-in rules).
  std::vector<Stay> Generate(std::mt19937_64& rng, int n) {
    std::vector<Stay> out;
    std::uniform_int_distribution<int> person(0, kPeople - 1), venue(0, kVenues - 1), kind(0, 9);
    std::uniform_int_distribution<int64_t> when(0, 3 * kMillisPerDay - 1);
    for (int i = 0; i < n; ++i) {
      int64_t in = kDay0 + when(rng);
      int64_t len;
      int k = kind(rng);
      if (!out.empty() && (k == 4 || k == 5)) {
        // Boundaries on purpose: a stay that begins exactly when another ends, or an identical one.
        const Stay& r = out[std::uniform_int_distribution<size_t>(0, out.size() - 1)(rng)];
        // Another person: a person's stays are told apart by venue and time_in, as in the store.
        PersonId who = people_[person(rng)];
        if (who == r.person) who = people_[(who.value - people_[0].value + 1) % kPeople];
        Stay s{who, r.venue, k == 4 ? r.time_out : r.time_in, r.time_out};
        if (k == 4)
          s.time_out = s.time_in + std::uniform_int_distribution<int64_t>(0, kMillisPerHour)(rng);
        out.push_back(s);
        continue;
      }
      switch (k) {
        case 0:
          len = 0;
          break;  // zero-length
        case 1:
          len = kMaxStay;
          break;  // the longest
        case 2:
          len = std::uniform_int_distribution<int64_t>(0, kMaxStay)(rng);
          break;  // long tail
        case 3:
          in = kDay0 + kMillisPerDay -
               std::uniform_int_distribution<int64_t>(0, 3600000)(rng);  // midnight
          len = std::uniform_int_distribution<int64_t>(0, 7200000)(rng);
          break;
        default:
          len = std::uniform_int_distribution<int64_t>(60000, 3 * kMillisPerHour)(rng);
      }
      out.push_back({people_[person(rng)], venues_[venue(rng)], in, in + len});
    }
    Store(out);
    return out;
  }

  void Store(const std::vector<Stay>& stays) {
    ASSERT_TRUE(db_->Transact([&](store::Executor& tx) -> Status {
                     for (const auto& s : stays) {
                       RETURN_IF_ERROR(
                           tx.Exec("INSERT INTO checkin (person_id, venue_id, time_in, time_out, "
                                   "closed_by, source) "
                                   "VALUES (?, ?, ?, ?, 'checkout', 'import')",
                                   {s.person.value, s.venue.value, s.time_in, s.time_out})
                               .status());
                     }
                     return Status::Ok();
                   })
                    .ok());
  }

  // Every person, several windows and overlaps, both queries: the engine equals the SQL.
  void ExpectSameAnswers(const Engine& engine, std::mt19937_64& rng, int queries) {
    std::uniform_int_distribution<int> person(0, kPeople - 1);
    std::uniform_int_distribution<int64_t> when(-kMillisPerDay, 3 * kMillisPerDay);
    const int64_t overlaps[] = {0, 60000, 15 * 60000, 2 * kMillisPerHour};
    for (int q = 0; q < queries; ++q) {
      PersonId p = people_[person(rng)];
      int64_t ws =
          q % 4 == 0 ? kDay0 + kMillisPerDay : kDay0 + when(rng);  // at midnight, or anywhere
      int64_t we = q % 5 == 0
                       ? kDay0 + 2 * kMillisPerDay
                       : ws + std::uniform_int_distribution<int64_t>(0, 2 * kMillisPerDay)(rng);
      int64_t m = overlaps[q % 4];
      auto sql = CloseContacts(*db_, p, ws, we, m);
      ASSERT_TRUE(sql.ok()) << sql.status().ToString();
      auto mine = engine.CloseContacts(p, ws, we, m);
      ASSERT_EQ(mine.size(), sql->size()) << "person " << p.value << " window " << ws << ".." << we;
      if (!(mine == *sql)) {
        std::string diff;
        for (size_t i = 0; i < mine.size(); ++i) {
          if (mine[i] == (*sql)[i]) continue;
          diff += " contact " + std::to_string(mine[i].person.value) + ": engine";
          for (const auto& e : mine[i].exposures)
            diff += " " + std::to_string(e.start) + "-" + std::to_string(e.end);
          diff += " sql";
          for (const auto& e : (*sql)[i].exposures)
            diff += " " + std::to_string(e.start) + "-" + std::to_string(e.end);
          break;
        }
        ADD_FAILURE() << "close contacts differ for person " << p.value << " window " << ws << ".."
                      << we << diff;
      }
      if (q % 3 == 0) {
        auto sql_trace = Trace(*db_, p, ws, we, m, 3);
        ASSERT_TRUE(sql_trace.ok());
        EXPECT_TRUE(engine.Trace(p, ws, we, m, 3) == *sql_trace)
            << "trace differs for person " << p.value;
      }
    }
  }

  // `n` more people, written many rows a statement (a registry::CreatePerson each is slow at
  // tens of thousands), in id order.
  std::vector<PersonId> Crowd(int n) {
    std::vector<PersonId> out;
    auto unit = registry::ListOrgUnits(*db_, std::nullopt);
    if (!unit.ok() || unit->empty()) return out;
    Status written = db_->Transact([&](store::Executor& tx) -> Status {
      store::Params values;
      for (int i = 0; i < n; ++i) {
        values.insert(values.end(), {"C" + std::to_string(i), "passport", "C" + std::to_string(i),
                                     "VN", "vi", "", "", unit->front().id.value, kDay0});
      }
      return store::InsertRows(
          tx,
          "INSERT INTO person (full_name, document_type, document_number, nationality, "
          "language, phone, birth_date, org_unit_id, created_at)",
          9, values, 200);
    });
    if (!written.ok()) return out;
    auto ids = db_->Query("SELECT id FROM person WHERE full_name LIKE 'C%' ORDER BY id");
    if (!ids.ok()) return out;
    for (size_t i = 0; i < ids->size(); ++i) out.push_back(PersonId(ids->Int(i, 0)));
    return out;
  }

  static constexpr int kPeople = 80;
  static constexpr int kVenues = 6;
  std::unique_ptr<store::Database> db_;
  std::vector<PersonId> people_;
  std::vector<VenueId> venues_;
};

TEST_F(EngineTest, MatchesSqlOnRandomData) {
  std::mt19937_64 rng(20261123);
  auto stays = Generate(rng, 1500);
  Engine engine(kMaxStay);
  ASSERT_TRUE(engine.LoadFromStore(*db_).ok());
  EXPECT_EQ(engine.stats().checkins, 1500);
  EXPECT_LE(engine.stats().bytes, 1500 * 16 + 8 * 3 * kVenues * 4);
  {
    SCOPED_TRACE("loaded");
    ExpectSameAnswers(engine, rng, 150);
  }

  // Check-ins arriving one at a time and in batches land in small segments: same answers.
  for (int round = 0; round < 5; ++round) {
    auto more = Generate(rng, round % 2 ? 1 : 200);
    ASSERT_TRUE(engine.Add(more).ok());
  }
  EXPECT_EQ(engine.stats().checkins, 1500 + 3 * 200 + 2);
  {
    SCOPED_TRACE("added");
    ExpectSameAnswers(engine, rng, 100);
  }

  // Check-outs shorten stays in place.
  for (int i = 0; i < 200; ++i) {
    Stay& s = stays[static_cast<size_t>(i) * 7 % stays.size()];
    int64_t out = s.time_in + (s.time_out - s.time_in) / 2;
    ASSERT_TRUE(db_->Exec("UPDATE checkin SET time_out = ? WHERE person_id = ? AND venue_id = ? "
                          "AND time_in = ? AND "
                          "time_out = ?",
                          {out, s.person.value, s.venue.value, s.time_in, s.time_out})
                    .ok());
    ASSERT_TRUE(engine.SetTimeOut(s.person, s.venue, s.time_in, s.time_out, out).ok());
    s.time_out = out;
  }
  // Every person's stays, as the store has them.
  for (auto p : people_) {
    auto sql = PersonCheckins(*db_, p, kDay0 - kMillisPerDay, kDay0 + 5 * kMillisPerDay);
    std::vector<std::tuple<int64_t, int64_t, int64_t>> a, b;
    for (const auto& c : *sql) a.emplace_back(c.time_in, c.venue.value, c.time_out);
    for (const auto& c : engine.PersonStays(p, kDay0 - kMillisPerDay, kDay0 + 5 * kMillisPerDay)) {
      b.emplace_back(c.time_in, c.venue.value, c.time_out);
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << "person " << p.value;
  }
  {
    SCOPED_TRACE("checked out");
    ExpectSameAnswers(engine, rng, 100);
  }

  // Retention: the store deletes, the engine forgets the same stays.
  int64_t cutoff = kDay0 + kMillisPerDay + 5 * kMillisPerHour;
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return DeleteEndedBefore(tx, cutoff, kDay0);
              }).ok());
  engine.DropEndedBefore(cutoff);
  ExpectSameAnswers(engine, rng, 100);

  // A snapshot restores the same index, and the feed position it was taken at.
  auto path = std::filesystem::temp_directory_path() /
              ("mekong-engine-" + std::to_string(::getpid()) + ".idx");
  ASSERT_TRUE(engine.SaveSnapshot(path.string(), 4242).ok());
  Engine restored(kMaxStay);
  auto seq = restored.LoadSnapshot(path.string());
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  EXPECT_EQ(*seq, 4242);
  EXPECT_EQ(restored.stats().checkins, engine.stats().checkins);
  EXPECT_EQ(restored.DigestSince(kDay0), engine.DigestSince(kDay0));
  ExpectSameAnswers(restored, rng, 60);
  // A damaged snapshot is refused, never half-loaded.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
  }
  Engine damaged(kMaxStay);
  EXPECT_EQ(damaged.LoadSnapshot(path.string()).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(damaged.stats().checkins, 0);
  std::filesystem::remove(path);
  EXPECT_EQ(damaged.LoadSnapshot(path.string()).status().code(), Code::kNotFound);
}

// Many people, few venues: every venue's runs hold many parents, so the sweep's heap, the
// later arrivals and the ties between parents all matter.
TEST_F(EngineTest, MatchesSqlOnCrowdedVenues) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    ASSERT_TRUE(db_->Exec("DELETE FROM checkin").ok());
    Generate(rng, 2500);
    Engine engine(kMaxStay);
    ASSERT_TRUE(engine.LoadFromStore(*db_).ok());
    ExpectSameAnswers(engine, rng, 45);
  }
}

// A 40,000-person evening at one venue, reached at hop 1 (the case was there) and at hop 2
// (through contacts made before, during and after it), with zero-length stays and stays that
// begin exactly when others end at the event itself.
TEST_F(EngineTest, MatchesSqlAroundA40000PersonEvent) {
  constexpr int kCrowd = 40000;
  std::vector<PersonId> crowd = Crowd(kCrowd);
  ASSERT_EQ(crowd.size(), static_cast<size_t>(kCrowd));

  std::mt19937_64 rng(40000);
  auto secs = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo / 1000, hi / 1000)(rng) * 1000;
  };
  const int64_t evening = kDay0 + kMillisPerDay + 18 * kMillisPerHour;
  const VenueId stadium = venues_[0];
  std::vector<Stay> stays;
  for (int i = 0; i < kCrowd; ++i) {
    int64_t in = evening + secs(0, 90 * kMillisPerMinute);
    int64_t out = evening + 3 * kMillisPerHour + secs(0, 2 * kMillisPerHour);
    if (i % 997 == 0) out = in;                                            // zero-length
    if (i % 1009 == 1 && !stays.empty()) in = out = stays.back().time_in;  // at another's arrival
    stays.push_back({crowd[i], stadium, in, out});
    // Some of the crowd met others elsewhere, before or after the evening.
    if (i % 200 == 0) {
      int64_t at = kDay0 + secs(0, 3 * kMillisPerDay - 3 * kMillisPerHour);
      if (at + 3 * kMillisPerHour > evening && at < evening + 5 * kMillisPerHour) continue;
      stays.push_back({crowd[i], venues_[1 + i / 200 % 5], at,
                       at + secs(10 * kMillisPerMinute, 3 * kMillisPerHour)});
    }
  }
  // The fixture's 80 people: errands at the small venues, and a few at the stadium too.
  for (int i = 0; i < kPeople; ++i) {
    for (int k = 0; k < 4; ++k) {
      int64_t at = kDay0 + secs(0, 3 * kMillisPerDay - 3 * kMillisPerHour);
      if (at + 3 * kMillisPerHour > evening && at < evening + 5 * kMillisPerHour) continue;
      stays.push_back({people_[i], venues_[1 + (i + k) % 5], at,
                       at + secs(5 * kMillisPerMinute, 2 * kMillisPerHour)});
    }
    if (i % 10 == 3) {
      int64_t in = evening + secs(0, 4 * kMillisPerHour);
      stays.push_back({people_[i], stadium, in, in + secs(0, kMillisPerHour)});
    }
  }
  Store(stays);
  Engine engine(kMaxStay);
  ASSERT_TRUE(engine.LoadFromStore(*db_).ok());
  const int64_t ws = kDay0, we = kDay0 + 3 * kMillisPerDay;

  // Hop 1 from an attendee: the whole crowd, against one SQL query.
  for (int64_t m : {int64_t{0}, 15 * kMillisPerMinute}) {
    auto sql = CloseContacts(*db_, crowd[5], ws, we, m);
    ASSERT_TRUE(sql.ok());
    EXPECT_GT(sql->size(), 30000u);
    EXPECT_TRUE(engine.CloseContacts(crowd[5], ws, we, m) == *sql);
    auto flat = engine.TraceFlat(crowd[5], ws, we, m, 1);
    ASSERT_TRUE(flat.ok());
    EXPECT_EQ(flat->items.size(), sql->size());
  }
  // Depth 2 from the fixture's people: the crowd arrives at hop 2 through whoever of them
  // met one of the 80, at a time before, during or after the evening.
  int compared = 0;
  for (int i = 0; i < kPeople && compared < 6; ++i) {
    if (i % 10 == 3) continue;  // at the stadium: 40,000 reference queries
    for (int64_t m : {int64_t{0}, 15 * kMillisPerMinute}) {
      auto sql = Trace(*db_, people_[i], ws, we, m, 2);
      ASSERT_TRUE(sql.ok());
      size_t hop2 = 0;
      for (const auto& t : *sql) hop2 += t.hop == 2;
      if (hop2 < 1000) continue;  // the crowd was not reached
      ++compared;
      auto mine = engine.Trace(people_[i], ws, we, m, 2);
      ASSERT_EQ(mine.size(), sql->size()) << "person " << people_[i].value << " m " << m;
      EXPECT_TRUE(mine == *sql) << "person " << people_[i].value << " m " << m;
    }
  }
  EXPECT_GE(compared, 3);
}

// Depth 2 and 3 from inside a crowd, the case that is quadratic when each first-hop contact is
// traced on its own: 1,000 people at an evening event, most of whom go on to a morning market
// the next day (many parents in one run of stays, arriving before, with and after each
// buyer), to errands at the small venues, or home. Zero-length stays and stays that begin
// exactly when another ends are at both crowded places.
TEST_F(EngineTest, MatchesSqlTracingFromInsideACrowd) {
  constexpr int kCrowd = 1000;
  std::vector<PersonId> crowd = Crowd(kCrowd);
  ASSERT_EQ(crowd.size(), static_cast<size_t>(kCrowd));
  std::mt19937_64 rng(1500);
  auto secs = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo / 1000, hi / 1000)(rng) * 1000;
  };
  const int64_t evening = kDay0 + 18 * kMillisPerHour;
  const int64_t morning = kDay0 + kMillisPerDay + 4 * kMillisPerHour;
  const VenueId stadium = venues_[0], market = venues_[1];
  std::vector<Stay> at_event, at_market, stays;
  for (int i = 0; i < kCrowd; ++i) {
    int64_t in = evening + secs(0, 90 * kMillisPerMinute);
    int64_t out = evening + 2 * kMillisPerHour + secs(0, 2 * kMillisPerHour);
    if (i % 97 == 0) out = in;                              // zero-length
    if (i % 101 == 1) in = out = at_event.back().time_out;  // as another leaves
    at_event.push_back({crowd[i], stadium, in, out});
    int where = i % 10;
    if (where < 6) {
      // The market: a few hours of buyers, each for up to two hours.
      int64_t at = morning + secs(0, 3 * kMillisPerHour);
      int64_t until = at + secs(0, 2 * kMillisPerHour);
      if (i % 89 == 0 && !at_market.empty())
        at = at_market.back().time_out, until = at + kMillisPerHour;
      at_market.push_back({crowd[i], market, at, until});
    } else if (where < 9) {
      int64_t at = kDay0 + kMillisPerDay + secs(8 * kMillisPerHour, 20 * kMillisPerHour);
      stays.push_back(
          {crowd[i], venues_[2 + i % 4], at, at + secs(5 * kMillisPerMinute, 2 * kMillisPerHour)});
    }
  }
  stays.insert(stays.end(), at_event.begin(), at_event.end());
  stays.insert(stays.end(), at_market.begin(), at_market.end());
  // The fixture's 80 people: errands at the small venues and the market; a few at the event.
  for (int i = 0; i < kPeople; ++i) {
    for (int k = 0; k < 3; ++k) {
      int64_t at = kDay0 + kMillisPerDay + secs(0, kMillisPerDay);
      stays.push_back({people_[i], venues_[1 + (i + k) % 5], at,
                       at + secs(5 * kMillisPerMinute, 3 * kMillisPerHour)});
    }
    if (i % 20 == 7) {
      int64_t in = evening + secs(0, 3 * kMillisPerHour);
      stays.push_back({people_[i], stadium, in, in + secs(0, kMillisPerHour)});
    }
  }
  Store(stays);
  Engine engine(kMaxStay);
  ASSERT_TRUE(engine.LoadFromStore(*db_).ok());
  const int64_t ws = kDay0, we = kDay0 + 3 * kMillisPerDay;
  struct Case {
    PersonId person;
    int64_t from, min_overlap_ms;
    int depth;
  };
  const Case cases[] = {
      {crowd[3], ws, 0, 2},
      {crowd[42], ws, 15 * kMillisPerMinute, 2},
      {crowd[102], ws, 0, 2},                                          // came as another left
      {crowd[7], evening + kMillisPerHour, 15 * kMillisPerMinute, 2},  // a window from mid-event
      {people_[7], ws, 15 * kMillisPerMinute, 3},  // the crowd at hop 1, then on
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("person " + std::to_string(c.person.value) + " m " +
                 std::to_string(c.min_overlap_ms) + " depth " + std::to_string(c.depth));
    auto sql = Trace(*db_, c.person, c.from, we, c.min_overlap_ms, c.depth);
    ASSERT_TRUE(sql.ok()) << sql.status().ToString();
    size_t deeper = 0;
    for (const auto& t : *sql) deeper += t.hop >= 2;
    EXPECT_GT(deeper, 50u);  // the crowd's own contacts were reached
    auto mine = engine.Trace(c.person, c.from, we, c.min_overlap_ms, c.depth);
    ASSERT_EQ(mine.size(), sql->size());
    for (size_t i = 0; i < mine.size(); ++i) {
      if (mine[i] == (*sql)[i]) continue;
      ADD_FAILURE() << "first difference at " << i << ": person " << mine[i].person.value << " hop "
                    << mine[i].hop << " via " << mine[i].via.value << " from "
                    << mine[i].exposure_start << "; sql: person " << (*sql)[i].person.value
                    << " hop " << (*sql)[i].hop << " via " << (*sql)[i].via.value << " from "
                    << (*sql)[i].exposure_start;
      break;
    }
  }
}

TEST_F(EngineTest, ATraceStopsAtItsDeadlineAndAtShutdown) {
  std::mt19937_64 rng(5);
  Generate(rng, 1500);
  Engine engine(kMaxStay);
  ASSERT_TRUE(engine.LoadFromStore(*db_).ok());
  Budget late;
  late.deadline = Budget::Clock::now() - std::chrono::seconds(1);
  EXPECT_EQ(
      engine.TraceFlat(people_[0], kDay0, kDay0 + 3 * kMillisPerDay, 0, 3, late).status().code(),
      Code::kResourceExhausted);
  std::atomic<int64_t> stop_at{Budget::Clock::now().time_since_epoch().count()};
  Budget stopping;
  stopping.stop_at = &stop_at;
  EXPECT_EQ(engine.TraceFlat(people_[0], kDay0, kDay0 + 3 * kMillisPerDay, 0, 3, stopping)
                .status()
                .code(),
            Code::kUnavailable);
  stop_at = 0;  // not stopping
  auto fine = engine.TraceFlat(people_[0], kDay0, kDay0 + 3 * kMillisPerDay, 0, 3, stopping);
  ASSERT_TRUE(fine.ok());
  EXPECT_TRUE(fine->ToTraced() == engine.Trace(people_[0], kDay0, kDay0 + 3 * kMillisPerDay, 0, 3));
}

TEST_F(EngineTest, OccupancyAndSelfCheckMatchABruteForceCount) {
  std::mt19937_64 rng(7);
  auto stays = Generate(rng, 800);
  Engine engine(kMaxStay);
  ASSERT_TRUE(engine.Load(stays).ok());
  for (int q = 0; q < 200; ++q) {
    VenueId v = venues_[q % kVenues];
    int64_t at = kDay0 + std::uniform_int_distribution<int64_t>(0, 3 * kMillisPerDay)(rng);
    int64_t expected = 0;
    for (const auto& s : stays) expected += s.venue == v && s.time_in <= at && s.time_out > at;
    EXPECT_EQ(engine.OccupancyAt(v, at), expected);
  }
  for (int d = 0; d < 3; ++d) {
    VenueId v = venues_[d];
    int64_t day = kDay0 + d * kMillisPerDay;
    DayOccupancy occ = engine.OccupancyOnDay(v, day);
    int64_t visits = 0, peak = 0;
    for (const auto& s : stays)
      visits += s.venue == v && s.time_in < day + kMillisPerDay && s.time_out > day &&
                s.time_out > s.time_in;
    for (int h = 0; h < 24; ++h) {
      int64_t hour_max = 0;
      // Occupancy changes only at arrivals: the most present in an hour is at its start or an
      // arrival.
      std::vector<int64_t> instants = {day + h * kMillisPerHour};
      for (const auto& s : stays) {
        if (s.venue == v && s.time_in > day + h * kMillisPerHour &&
            s.time_in < day + (h + 1) * kMillisPerHour) {
          instants.push_back(s.time_in);
        }
      }
      for (int64_t t : instants) hour_max = std::max(hour_max, engine.OccupancyAt(v, t));
      EXPECT_EQ(occ.by_hour[h], hour_max) << "day " << d << " hour " << h;
      peak = std::max(peak, hour_max);
    }
    EXPECT_EQ(occ.distinct_visits, visits);
    EXPECT_EQ(occ.peak, peak);
  }
  // Self-check: my stays that overlapped the case's, without saying who the case is.
  PersonId me = people_[3];
  std::vector<Stay> case_stays;
  for (const auto& s : stays) {
    if (s.person == people_[4]) case_stays.push_back(s);
  }
  auto matches = engine.SelfCheck(me, case_stays, 15 * 60000);
  size_t expected = 0;
  for (const auto& c : case_stays) {
    for (const auto& s : stays) {
      if (s.person != me || s.venue != c.venue) continue;
      int64_t start = std::max(s.time_in, c.time_in), end = std::min(s.time_out, c.time_out);
      expected += end > start && end - start >= 15 * 60000;
    }
  }
  EXPECT_LE(matches.size(), expected);  // identical overlaps are reported once
  EXPECT_EQ(matches.empty(), expected == 0);
}

TEST_F(EngineTest, RefusesWhatTheStoreWouldRefuse) {
  Engine engine(kMaxStay);
  EXPECT_EQ(engine.Add(std::vector<Stay>{{people_[0], venues_[0], kDay0, kDay0 - 1}}).field(),
            "time_out");
  EXPECT_EQ(
      engine.Add(std::vector<Stay>{{people_[0], venues_[0], kDay0, kDay0 + kMaxStay + 1}}).field(),
      "time_out");
  EXPECT_EQ(
      engine.Add(std::vector<Stay>{{PersonId(int64_t{1} << 33), venues_[0], kDay0, kDay0}}).field(),
      "person_id");
  EXPECT_EQ(engine.SetTimeOut(people_[0], venues_[0], kDay0, kDay0, kDay0 + 1).code(),
            Code::kNotFound);
  EXPECT_EQ(engine.stats().checkins, 0);
}

}  // namespace
}  // namespace mekong::tracing
