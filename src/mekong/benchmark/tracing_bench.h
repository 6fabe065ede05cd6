// `mekong bench tracing`: a seeded synthetic population, the same case queries against the
// engine, SQLite and (optionally) PostgreSQL, latency percentiles, sizes, load rates, and a
// hash of every result set that must agree across engines. A benchmark, not a test.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/tracing/checkins.h"

namespace mekong::benchmark {

struct PopulationOptions {
  int64_t people = 100000;
  int64_t venues = 20000;
  int days = 28;
  int64_t checkins = 2000000;
  uint64_t seed = 1;
  int64_t max_stay_ms = 12 * 3600000LL;
  int64_t end_ms = 1795000000000;  // the population's last day ends here (fixed for repeatability)
};

// Deterministic for a seed on every machine: Zipf-popular venues (a few with thousands of
// visits a day), a workplace per person on weekdays, households that go out together, stays
// mostly under an hour with a tail up to the maximum. A person's stays never overlap.
std::vector<tracing::Stay> Generate(const PopulationOptions& o);

struct BenchOptions {
  PopulationOptions population;
  int cases = 2000;  // random people with check-ins, plus the super-spreaders
  int super_spreaders = 20;
  int window_days = 7;
  int64_t min_overlap_ms = 15 * 60000;
  double seconds_per_kind = 20;  // each engine and query kind stops after this much time
  bool sqlite = true;
  std::string postgres_url;  // empty: no PostgreSQL
  std::string work_dir;      // where the SQLite file goes
};

// Prints the report to `out`; InvalidArgument-free unless the result hashes disagree
// (FailedPrecondition).
Status RunTracingBench(const BenchOptions& o, std::ostream& out);

}  // namespace mekong::benchmark
