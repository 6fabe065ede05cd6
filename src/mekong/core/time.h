// Time inside Mekong is int64 milliseconds since the Unix epoch, UTC. Time zones exist only at
// the edges (parsing and formatting RFC 3339 text).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kMillisPerMinute = 60 * kMillisPerSecond;
constexpr int64_t kMillisPerHour = 60 * kMillisPerMinute;
constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

// A clock that stands still until told to move; for tests. Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now_ms) : now_(now_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t now_ms) { now_.store(now_ms); }
  void Advance(int64_t delta_ms) { now_.fetch_add(delta_ms); }

 private:
  std::atomic<int64_t> now_;
};

// "2026-11-23T01:02:03Z" or with fractional seconds and an offset ("...+07:00").
Result<int64_t> ParseRfc3339(std::string_view text);
// Always UTC with a "Z" and millisecond precision when the value has milliseconds.
std::string FormatRfc3339(int64_t ms);
// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

}  // namespace mekong
