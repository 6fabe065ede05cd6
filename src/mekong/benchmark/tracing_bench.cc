#include "mekong/benchmark/tracing_bench.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "mekong/core/time.h"
#include "mekong/store/database.h"
#include "mekong/tracing/engine.h"

namespace mekong::benchmark {

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// splitmix64: tiny, fast, and the same on every platform (std:: distributions are not).
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
};

uint64_t Mix(uint64_t h, uint64_t v) {
  Rng r{h ^ (v * 0x9e3779b97f4a7c15ULL)};
  return r.Next();
}

}  // namespace

std::vector<tracing::Stay> Generate(const PopulationOptions& o) {
  Rng rng{o.seed};
  // Zipf-Mandelbrot popularity (weight 1 / (rank + q)), shuffled so popular venues are not
  // simply low ids. q grows with the venue count so that at the reference scale (1 million
  // venues) the busiest see a few thousand visits a day, as a big market or station does,
  // rather than the 150,000 a pure Zipf law would send to one place.
  const double q = std::max(1.0, static_cast<double>(o.venues) / 30000.0);
  std::vector<double> cdf(static_cast<size_t>(o.venues));
  double total = 0;
  for (int64_t i = 0; i < o.venues; ++i) cdf[i] = total += 1.0 / (static_cast<double>(i) + q);
  std::vector<int64_t> venue_of_rank(static_cast<size_t>(o.venues));
  for (int64_t i = 0; i < o.venues; ++i) venue_of_rank[i] = i + 1;
  for (int64_t i = o.venues - 1; i > 0; --i)
    std::swap(venue_of_rank[i], venue_of_rank[rng.Below(i + 1)]);
  auto popular = [&]() {
    double u = rng.Unit() * total;
    return venue_of_rank[std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()];
  };
  // Visits per person-day, split so the total meets the target at any density: work takes up to
  // 40% (two in three people work, on weekdays), evening outings with the household up to 15%
  // (nine in ten people share a household), errands the rest.
  const double per_day = static_cast<double>(o.checkins) / static_cast<double>(o.people * o.days);
  const double work_p = std::min(1.0, 0.4 * per_day / (2.0 / 3 * 5 / 7));
  const double outing_p = std::min(0.25, 0.15 * per_day / 0.9);
  const double errands = std::max(0.0, per_day - work_p * (2.0 / 3 * 5 / 7) - outing_p * 0.9);
  const int64_t first_day = o.end_ms - o.days * kMillisPerDay;
  std::vector<tracing::Stay> out;
  out.reserve(static_cast<size_t>(o.checkins * 11 / 10));
  struct Want {
    int64_t start, length, venue;
  };
  std::vector<std::vector<Want>> plan;  // per household member, reused
  std::vector<int64_t> free_from;
  for (int64_t head = 1; head <= o.people;) {
    int64_t size = std::min<int64_t>(1 + rng.Below(4), o.people - head + 1);  // households of 1-4
    plan.assign(static_cast<size_t>(size), {});
    free_from.assign(static_cast<size_t>(size),
                     INT64_MIN);  // a late long stay reaches into the next day
    for (int d = 0; d < o.days; ++d) {
      int64_t day = first_day + d * kMillisPerDay;
      bool weekday = (d % 7) < 5;
      for (auto& p : plan) p.clear();
      if (size > 1 && rng.Unit() < outing_p) {
        int64_t v = popular(), start = day + 18 * kMillisPerHour + rng.Below(3 * kMillisPerHour);
        int64_t len = 30 * kMillisPerMinute + rng.Below(90 * kMillisPerMinute);
        for (auto& p : plan) p.push_back({start + rng.Below(5 * kMillisPerMinute), len, v});
      }
      for (int64_t m = 0; m < size; ++m) {
        int64_t person = head + m;
        auto& p = plan[static_cast<size_t>(m)];
        if (weekday && person % 3 != 0 && rng.Unit() < work_p) {
          int64_t work =
              static_cast<int64_t>(Mix(o.seed, static_cast<uint64_t>(person)) % o.venues) + 1;
          p.push_back({day + 8 * kMillisPerHour + rng.Below(kMillisPerHour),
                       4 * kMillisPerHour + rng.Below(5 * kMillisPerHour), work});
        }
        int64_t n = static_cast<int64_t>(errands);
        if (rng.Unit() < errands - std::floor(errands)) ++n;
        for (int64_t k = 0; k < n; ++k) {
          double u = rng.Unit();
          int64_t len = u < 0.85 ? 10 * kMillisPerMinute + rng.Below(50 * kMillisPerMinute)
                        : u < 0.98
                            ? kMillisPerHour + rng.Below(2 * kMillisPerHour)
                            : 3 * kMillisPerHour + rng.Below(o.max_stay_ms - 3 * kMillisPerHour);
          p.push_back({day + 6 * kMillisPerHour + rng.Below(17 * kMillisPerHour), len, popular()});
        }
        // One place at a time: each stay starts after the previous ends.
        std::sort(p.begin(), p.end(),
                  [](const Want& a, const Want& b) { return a.start < b.start; });
        int64_t& free = free_from[static_cast<size_t>(m)];
        for (const auto& w : p) {
          int64_t start = (std::max(w.start, free) + 999) / 1000 * 1000;  // whole seconds
          if (start >= o.end_ms) break;
          int64_t end = std::min(start + std::min(w.length, o.max_stay_ms), o.end_ms) / 1000 * 1000;
          out.push_back({PersonId(person), VenueId(w.venue), start, end});
          free = end + kMillisPerMinute;
        }
      }
    }
    head += size;
  }
  return out;
}

namespace {

struct Kind {
  std::string engine, query;
  std::vector<double> latencies;  // seconds
  std::vector<uint64_t> hashes;   // per case, in case order
  double seconds = 0;
};

uint64_t HashContacts(PersonId c, const std::vector<tracing::Contact>& list) {
  uint64_t sum = 0;
  for (const auto& k : list) {
    for (const auto& e : k.exposures) {
      sum += Mix(Mix(Mix(Mix(static_cast<uint64_t>(c.value), static_cast<uint64_t>(k.person.value)),
                         static_cast<uint64_t>(e.venue.value)),
                     static_cast<uint64_t>(e.start)),
                 static_cast<uint64_t>(e.end));
    }
  }
  return sum;
}

uint64_t HashTrace(PersonId c, const std::vector<tracing::Traced>& list) {
  uint64_t sum = 0;
  for (const auto& t : list) {
    sum += Mix(Mix(Mix(Mix(static_cast<uint64_t>(c.value), static_cast<uint64_t>(t.person.value)),
                       static_cast<uint64_t>(t.hop)),
                   static_cast<uint64_t>(t.via.value)),
               static_cast<uint64_t>(t.exposure_start));
  }
  return sum;
}

// Runs `fn` over the cases until done or out of time.
void Run(Kind& k, const std::vector<PersonId>& cases, double budget,
         const std::function<uint64_t(PersonId)>& fn) {
  auto start = Clock::now();
  for (PersonId c : cases) {
    auto t0 = Clock::now();
    k.hashes.push_back(fn(c));
    k.latencies.push_back(Since(t0));
    if (Since(start) > budget) break;
  }
  k.seconds = Since(start);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::string Us(double s) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(s < 1e-3 ? 1 : 0) << s * 1e6 << " us";
  return o.str();
}

Status LoadSql(store::Database& db, const std::vector<tracing::Stay>& stays,
               int rows_per_statement) {
  RETURN_IF_ERROR(db.ExecScript(
      "DROP TABLE IF EXISTS checkin; CREATE TABLE checkin (person_id BIGINT NOT NULL, "
      "venue_id BIGINT NOT NULL, time_in BIGINT NOT NULL, time_out BIGINT NOT NULL)"));
  return db.Transact([&](store::Executor& tx) -> Status {
    // A million rows at a time, so the parameters never hold all of a 100-million-row load.
    for (size_t at = 0; at < stays.size(); at += 1000000) {
      store::Params values;
      for (size_t i = at; i < std::min(stays.size(), at + 1000000); ++i) {
        const auto& s = stays[i];
        values.insert(values.end(), {s.person.value, s.venue.value, s.time_in, s.time_out});
      }
      RETURN_IF_ERROR(store::InsertRows(tx, "INSERT INTO checkin", 4, values,
                                        static_cast<size_t>(rows_per_statement)));
    }
    return Status::Ok();
  });
}

}  // namespace

Status RunTracingBench(const BenchOptions& o, std::ostream& out) {
  out << "Generating " << o.population.checkins << " check-ins: " << o.population.people
      << " people, " << o.population.venues << " venues, " << o.population.days << " days, seed "
      << o.population.seed << "\n";
  auto t0 = Clock::now();
  std::vector<tracing::Stay> stays = Generate(o.population);
  out << "  " << stays.size() << " check-ins in " << std::fixed << std::setprecision(1) << Since(t0)
      << " s\n";
  const int64_t n = static_cast<int64_t>(stays.size());

  // Cases: random people with a check-in in the window, then the most frequent visitors of the
  // busiest venues (super-spreader events).
  const int64_t we = o.population.end_ms, ws = we - o.window_days * kMillisPerDay;
  std::vector<PersonId> cases;
  {
    Rng rng{o.population.seed * 7 + 1};
    for (int i = 0; i < o.cases && n > 0; ++i) {
      const auto& s = stays[static_cast<size_t>(rng.Below(n))];
      if (s.time_out > ws)
        cases.push_back(s.person);
      else
        --i;
    }
    std::map<int64_t, int64_t> visits;
    for (const auto& s : stays) {
      if (s.time_out > ws) ++visits[s.venue.value];
    }
    std::vector<std::pair<int64_t, int64_t>> busiest(visits.begin(), visits.end());
    std::sort(busiest.begin(), busiest.end(), [](auto& a, auto& b) { return a.second > b.second; });
    out << "  busiest venue: " << (busiest.empty() ? 0 : busiest[0].second)
        << " visits in the window (" << (busiest.empty() ? 0 : busiest[0].second / o.window_days)
        << " a day)\n";
    for (int i = 0; i < o.super_spreaders && i < static_cast<int>(busiest.size()); ++i) {
      for (const auto& s : stays) {
        if (s.venue.value == busiest[i].first && s.time_out > ws) {
          cases.push_back(s.person);
          break;
        }
      }
    }
  }

  std::vector<Kind> kinds;
  struct Size {
    std::string engine;
    double load_s = 0, rows_per_s = 0, bytes_per_checkin = 0;
  };
  std::vector<Size> sizes;

  // The engine.
  tracing::Engine engine(o.population.max_stay_ms);
  t0 = Clock::now();
  RETURN_IF_ERROR(engine.Load(stays));
  double load = Since(t0);
  sizes.push_back({"engine", load, static_cast<double>(n) / load,
                   static_cast<double>(engine.stats().bytes) / static_cast<double>(n)});
  kinds.push_back({"engine", "close contacts", {}, {}, 0});
  Run(kinds.back(), cases, o.seconds_per_kind, [&](PersonId c) {
    return HashContacts(c, engine.CloseContacts(c, ws, we, o.min_overlap_ms));
  });
  kinds.push_back({"engine", "depth 2", {}, {}, 0});
  Run(kinds.back(), cases, o.seconds_per_kind,
      [&](PersonId c) { return HashTrace(c, engine.Trace(c, ws, we, o.min_overlap_ms, 2)); });
  // Restart: the snapshot file the server writes at shutdown, and loading it back; with SQLite
  // below, the whole start-up check (load and store digest side by side) is timed too.
  std::filesystem::path work = o.work_dir.empty() ? std::filesystem::temp_directory_path()
                                                  : std::filesystem::path(o.work_dir);
  std::string snapshot =
      (work / ("mekong-bench-" + std::to_string(::getpid()) + ".index")).string();
  struct RemoveAtEnd {
    std::string path;
    ~RemoveAtEnd() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  } remove_snapshot{snapshot};
  {
    const std::string& path = snapshot;
    t0 = Clock::now();
    RETURN_IF_ERROR(engine.SaveSnapshot(path, 0));
    double save = Since(t0);
    tracing::Engine restored(o.population.max_stay_ms);
    t0 = Clock::now();
    RETURN_IF_ERROR(restored.LoadSnapshot(path));
    double reload = Since(t0);
    t0 = Clock::now();
    auto digest = restored.DigestSince(ws - 21 * kMillisPerDay);
    double digest_s = Since(t0);
    out << "  snapshot: " << std::setprecision(1) << std::filesystem::file_size(path) / 1e6
        << " MB, saved in " << save << " s, loaded in " << reload << " s, engine digest "
        << digest_s << " s (" << digest.count << " stays)\n";
  }
  // Ingest into the engine (in memory; the store's durable ingest is measured by the loads below).
  {
    tracing::Engine fresh(o.population.max_stay_ms);
    size_t batch = 10000, count = std::min<size_t>(stays.size(), 1000000);
    t0 = Clock::now();
    for (size_t at = 0; at < count; at += batch) {
      RETURN_IF_ERROR(fresh.Add(std::span(stays).subspan(at, std::min(batch, count - at))));
    }
    out << "  engine ingest, batches of 10,000: " << std::setprecision(0)
        << static_cast<double>(count) / Since(t0) << " check-ins/s\n";
  }

  auto sql_engine = [&](const std::string& name, store::Database& db, bool range) -> Status {
    // The best plain SQL we know: the (venue, time in) scan bounded by the longest stay.
    tracing::SqlPlan plan{.range_overlap = range, .max_stay_ms = o.population.max_stay_ms};
    kinds.push_back({name, "close contacts", {}, {}, 0});
    Status failed;
    Run(kinds.back(), cases, o.seconds_per_kind, [&](PersonId c) -> uint64_t {
      auto r = tracing::CloseContacts(db, c, ws, we, o.min_overlap_ms, plan);
      if (!r.ok()) failed = r.status();
      return r.ok() ? HashContacts(c, *r) : 0;
    });
    RETURN_IF_ERROR(failed);
    kinds.push_back({name, "depth 2", {}, {}, 0});
    Run(kinds.back(), cases, o.seconds_per_kind, [&](PersonId c) -> uint64_t {
      auto r = tracing::Trace(db, c, ws, we, o.min_overlap_ms, 2, plan);
      if (!r.ok()) failed = r.status();
      return r.ok() ? HashTrace(c, *r) : 0;
    });
    return failed;
  };

  if (o.sqlite) {
    auto file = work / ("mekong-bench-" + std::to_string(::getpid()) + ".db");
    {
      ASSIGN_OR_RETURN(auto db, store::Open(file.string(), 1));
      t0 = Clock::now();
      RETURN_IF_ERROR(LoadSql(*db, stays, 200));
      double insert = Since(t0);
      RETURN_IF_ERROR(db->ExecScript(
          "CREATE INDEX checkin_venue_time ON checkin (venue_id, time_in); "
          "CREATE INDEX checkin_person_time ON checkin (person_id, time_in); ANALYZE"));
      load = Since(t0);
      RETURN_IF_ERROR(db->ExecScript("PRAGMA wal_checkpoint(TRUNCATE)"));
      sizes.push_back(
          {"sqlite", load, static_cast<double>(n) / insert,
           static_cast<double>(std::filesystem::file_size(file)) / static_cast<double>(n)});
      RETURN_IF_ERROR(sql_engine("sqlite", *db, false));
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  }
  if (!o.postgres_url.empty()) {
    ASSIGN_OR_RETURN(auto db, store::Open(o.postgres_url, 1));
    t0 = Clock::now();
    RETURN_IF_ERROR(LoadSql(*db, stays, 1000));
    double insert = Since(t0);
    RETURN_IF_ERROR(db->ExecScript(
        "CREATE INDEX checkin_venue_time ON checkin (venue_id, time_in); "
        "CREATE INDEX checkin_person_time ON checkin (person_id, time_in); ANALYZE checkin"));
    load = Since(t0);
    ASSIGN_OR_RETURN(auto size, db->Query("SELECT pg_total_relation_size('checkin')"));
    sizes.push_back({"postgres b-tree", load, static_cast<double>(n) / insert,
                     static_cast<double>(size.Int(0, 0)) / static_cast<double>(n)});
    RETURN_IF_ERROR(sql_engine("postgres b-tree", *db, false));
    t0 = Clock::now();
    RETURN_IF_ERROR(
        db->ExecScript("CREATE EXTENSION IF NOT EXISTS btree_gist; DROP INDEX checkin_venue_time; "
                       "CREATE INDEX checkin_venue_range ON checkin USING gist (venue_id, "
                       "int8range(time_in, time_out)); ANALYZE checkin"));
    double gist = Since(t0);
    ASSIGN_OR_RETURN(size, db->Query("SELECT pg_total_relation_size('checkin')"));
    sizes.push_back({"postgres gist", insert + gist, static_cast<double>(n) / insert,
                     static_cast<double>(size.Int(0, 0)) / static_cast<double>(n)});
    RETURN_IF_ERROR(sql_engine("postgres gist", *db, true));
  }

  out << "\n"
      << std::left << std::setw(18) << "store" << std::right << std::setw(10) << "load s"
      << std::setw(14) << "insert rows/s" << std::setw(16) << "bytes/check-in"
      << "\n";
  for (const auto& s : sizes) {
    out << std::left << std::setw(18) << s.engine << std::right << std::fixed
        << std::setprecision(1) << std::setw(10) << s.load_s << std::setprecision(0)
        << std::setw(14) << s.rows_per_s << std::setprecision(1) << std::setw(16)
        << s.bytes_per_checkin << "\n";
  }
  out << "\n"
      << std::left << std::setw(18) << "engine" << std::setw(16) << "query" << std::right
      << std::setw(8) << "cases" << std::setw(12) << "p50" << std::setw(12) << "p99"
      << std::setw(12) << "queries/s"
      << "  hash of the first (n) cases, equal across stores\n";
  bool mismatch = false;
  for (const auto& k : kinds) {
    // Hash over the cases every engine ran for this query kind.
    size_t common = k.hashes.size();
    for (const auto& other : kinds) {
      if (other.query == k.query) common = std::min(common, other.hashes.size());
    }
    uint64_t hash = 0;
    for (size_t i = 0; i < common; ++i) hash += k.hashes[i];
    for (const auto& other : kinds) {
      if (other.query != k.query) continue;
      uint64_t h = 0;
      for (size_t i = 0; i < common; ++i) h += other.hashes[i];
      mismatch |= h != hash;
    }
    std::ostringstream hex;
    hex << std::hex << hash << " (" << std::dec << common << ")";
    out << std::left << std::setw(18) << k.engine << std::setw(16) << k.query << std::right
        << std::setw(8) << k.latencies.size() << std::setw(12) << Us(Percentile(k.latencies, 0.5))
        << std::setw(12) << Us(Percentile(k.latencies, 0.99)) << std::setw(12)
        << std::setprecision(0) << static_cast<double>(k.latencies.size()) / k.seconds << "  "
        << hex.str() << "\n";
  }
  // Ratios over the cases both ran (a slow baseline may have run only the first few).
  out << "\nengine speed-up over the same cases (p50, p99):\n";
  for (const auto& k : kinds) {
    if (k.engine == "engine") continue;
    for (const auto& e : kinds) {
      if (e.engine != "engine" || e.query != k.query) continue;
      size_t n = std::min(k.latencies.size(), e.latencies.size());
      auto head = [n](const std::vector<double>& v) {
        return std::vector<double>(v.begin(), v.begin() + static_cast<long>(n));
      };
      out << "  " << std::left << std::setw(18) << k.engine << std::setw(16) << k.query
          << std::right << std::setprecision(0)
          << Percentile(head(k.latencies), 0.5) / Percentile(head(e.latencies), 0.5) << "x, "
          << Percentile(head(k.latencies), 0.99) / Percentile(head(e.latencies), 0.99) << "x  ("
          << n << " cases)\n";
    }
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  out << "peak RSS of this process: " << ru.ru_maxrss / 1024 << " MiB\n";
  if (mismatch) {
    out << "MISMATCH: result hashes differ between engines\n";
    return Status::FailedPrecondition("result hashes differ between engines");
  }
  return Status::Ok();
}

}  // namespace mekong::benchmark
