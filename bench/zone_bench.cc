// What a date costs a reader: mekong::FormatDate (ICU with a per-thread formatter cache) against
// building the same ICU formatter for every call, the baseline the cache replaces, and against
// the UTC ISO day the reasons printed before. Also the zone arithmetic the API's day
// boundaries use.
//
//   build/bench/zone_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <memory>
#include <string>

#include "mekong/core/time.h"
#include "mekong/core/zone.h"

namespace {

const int64_t kT = *mekong::ParseRfc3339("2026-12-02T02:21:00+07:00");

// A different instant each call (a day apart), so nothing is answered from a last-value cache.
int64_t Instant(int64_t i) { return kT + (i % 1000) * mekong::kMillisPerDay; }

void BM_FormatDateCached(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    auto s = mekong::FormatDate("Asia/Ho_Chi_Minh", "vi", Instant(i++));
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatDateCached);
BENCHMARK(BM_FormatDateCached)->Threads(2);

void BM_FormatDateTimeCached(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    auto s = mekong::FormatDateTime("Asia/Ho_Chi_Minh", "vi", Instant(i++));
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatDateTimeCached);

// Baseline: what FormatDate would cost if it built its formatter per call (the same steps:
// zone, pattern generator, best pattern, formatter, format).
void BM_FormatDateBuiltPerCall(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale("vi");
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone("Asia/Ho_Chi_Minh"));
    std::unique_ptr<icu::DateTimePatternGenerator> g(
        icu::DateTimePatternGenerator::createInstance(locale, status));
    icu::SimpleDateFormat f(g->getBestPattern(u"yMMMd", status), locale, status);
    f.setTimeZone(*tz);
    icu::UnicodeString out;
    f.format(static_cast<UDate>(Instant(i++)), out);
    std::string s;
    out.toUTF8String(s);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatDateBuiltPerCall);

// What the reasons printed before: the UTC day in ISO form.
void BM_IsoUtcDay(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    auto s = mekong::FormatRfc3339(Instant(i++)).substr(0, 10);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsoUtcDay);

void BM_LocalDate(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    auto s = mekong::LocalDate("Asia/Ho_Chi_Minh", Instant(i++));
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocalDate);

void BM_LocalDayStart(benchmark::State& state) {
  for (auto _ : state) {
    auto s = mekong::LocalDayStart("Europe/Berlin", "2026-03-29");
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocalDayStart);

void BM_ValidateZone(benchmark::State& state) {
  for (auto _ : state) {
    auto s = mekong::ValidateZone("Asia/Ho_Chi_Minh");
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateZone);

}  // namespace

BENCHMARK_MAIN();
