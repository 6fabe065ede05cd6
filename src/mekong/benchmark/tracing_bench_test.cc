// The benchmark's generator is deterministic and realistic enough to trust its figures, and at
// a tiny scale the engine and SQLite agree on every case (the same check the benchmark makes).
#include "mekong/benchmark/tracing_bench.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace mekong::benchmark {
namespace {

PopulationOptions Tiny() {
  PopulationOptions o;
  o.people = 2000;
  o.venues = 200;
  o.days = 14;
  o.checkins = 20000;
  return o;
}

TEST(TracingBench, GeneratorIsDeterministicAndKeepsOnePlacePerPerson) {
  auto a = Generate(Tiny()), b = Generate(Tiny());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].person, b[i].person);
    ASSERT_EQ(a[i].time_in, b[i].time_in);
  }
  auto other = Tiny();
  other.seed = 2;
  EXPECT_NE(Generate(other).front().time_in, a.front().time_in);
  EXPECT_GT(a.size(), 15000u);
  EXPECT_LT(a.size(), 40000u);
  std::map<int64_t, int64_t> last_out;
  std::map<int64_t, int64_t> per_venue;
  for (const auto& s : a) {  // the generator emits each person's stays in time order
    EXPECT_LE(s.time_in, s.time_out);
    EXPECT_LE(s.time_out - s.time_in, Tiny().max_stay_ms);
    EXPECT_LE(s.time_out, Tiny().end_ms);
    auto it = last_out.find(s.person.value);
    if (it != last_out.end()) EXPECT_GE(s.time_in, it->second) << "person " << s.person.value;
    last_out[s.person.value] = s.time_out;
    ++per_venue[s.venue.value];
  }
  // Skewed popularity: the busiest venue sees far more than the average.
  int64_t busiest = 0;
  for (auto& [_, n] : per_venue) busiest = std::max(busiest, n);
  EXPECT_GT(busiest, 10 * static_cast<int64_t>(a.size()) / Tiny().venues);
}

TEST(TracingBench, EngineAndSqliteAgreeAtATinyScale) {
  BenchOptions o;
  o.population = Tiny();
  o.cases = 40;
  o.super_spreaders = 3;
  o.seconds_per_kind = 30;
  std::ostringstream out;
  Status s = RunTracingBench(o, out);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << out.str();
  EXPECT_NE(out.str().find("sqlite            depth 2"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("MISMATCH"), std::string::npos);
}

}  // namespace
}  // namespace mekong::benchmark
