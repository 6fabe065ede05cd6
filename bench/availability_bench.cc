// What free slots cost: telehealth::FreeSlots (each window's start and end converted with the
// expert's zone rules of that day, through ICU) for a week and for the longest range a call
// answers, against the baseline of a fixed UTC offset (plain arithmetic, wrong across a
// daylight-saving change), and the check one booking makes.
//
//   build/bench/availability_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <vector>

#include "mekong/core/time.h"
#include "mekong/telehealth/availability.h"

namespace {

using mekong::kMillisPerDay;
using mekong::kMillisPerMinute;
using namespace mekong::telehealth;

SlotRules Berlin() {
  SlotRules r;
  r.zone = "Europe/Berlin";
  for (int d = 1; d <= 5; ++d) {
    r.weekly.push_back({d, 9 * 60, 12 * 60});
    r.weekly.push_back({d, 14 * 60, 17 * 60});
  }
  r.slot_minutes = 30;
  return r;
}

// 40 booked slots in March.
std::vector<Interval> Busy() {
  std::vector<Interval> busy;
  const int64_t start = *mekong::ParseRfc3339("2026-03-02T08:00:00Z");
  for (int i = 0; i < 40; ++i) {
    const int64_t t = start + (i % 20) * kMillisPerDay + (i / 20) * 60 * kMillisPerMinute;
    busy.push_back({t, t + 30 * kMillisPerMinute});
  }
  return busy;
}

void BM_FreeSlotsWeek(benchmark::State& state) {
  const auto rules = Berlin();
  const auto busy = Busy();
  size_t n = 0;
  for (auto _ : state) {
    auto slots = FreeSlots(rules, busy, "Asia/Ho_Chi_Minh", "2026-03-25", "2026-03-31", 0);
    n = slots->size();
    benchmark::DoNotOptimize(slots);
  }
  state.counters["slots"] = static_cast<double>(n);
}
BENCHMARK(BM_FreeSlotsWeek);

void BM_FreeSlots62Days(benchmark::State& state) {
  const auto rules = Berlin();
  const auto busy = Busy();
  size_t n = 0;
  for (auto _ : state) {
    auto slots = FreeSlots(rules, busy, "Asia/Ho_Chi_Minh", "2026-03-01", "2026-05-01", 0);
    n = slots->size();
    benchmark::DoNotOptimize(slots);
  }
  state.counters["slots"] = static_cast<double>(n);
}
BENCHMARK(BM_FreeSlots62Days);

// Baseline: the same week with Berlin taken as a fixed +1 h and Vietnam as +7 h, no ICU: the
// cost of doing it right is the difference (and this one is an hour wrong after 29 March).
void BM_FixedOffsetWeek(benchmark::State& state) {
  const auto rules = Berlin();
  const auto busy = Busy();
  const int64_t first = *ParseDay("2026-03-25", "from");
  size_t n = 0;
  for (auto _ : state) {
    std::vector<Interval> out;
    for (int64_t day = first; day <= first + 6; ++day) {
      const int wd = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
      for (const auto& w : rules.weekly) {
        if (w.weekday != wd) continue;
        const int64_t ws = day * kMillisPerDay + (w.start_minute - 60) * kMillisPerMinute;
        const int64_t we = day * kMillisPerDay + (w.end_minute - 60) * kMillisPerMinute;
        for (int64_t t = ws; t + 30 * kMillisPerMinute <= we; t += 30 * kMillisPerMinute) {
          bool free = true;
          for (const auto& b : busy)
            free = free && !(b.start < t + 30 * kMillisPerMinute && t < b.end);
          if (free) out.push_back({t, t + 30 * kMillisPerMinute});
        }
      }
    }
    n = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["slots"] = static_cast<double>(n);
}
BENCHMARK(BM_FixedOffsetWeek);

void BM_CheckBookable(benchmark::State& state) {
  const auto rules = Berlin();
  const auto busy = Busy();
  const int64_t start = *mekong::ParseRfc3339("2026-03-30T12:00:00Z");  // 14:00 CEST
  for (auto _ : state) {
    auto end = CheckBookable(rules, busy, start, 0);
    benchmark::DoNotOptimize(end);
  }
}
BENCHMARK(BM_CheckBookable);

}  // namespace

BENCHMARK_MAIN();
