// The in-memory contact engine: the same answers as the SQL in checkins.cc, in microseconds.
//
// Check-ins live in immutable segments, one per UTC day of time_in, each sorted by (venue,
// time_in) with a person-ordered permutation beside it; new check-ins go to small segments
// that a writer merges into the day's segment as they accumulate (size-tiered, so each
// check-in is copied O(log n) times). Readers take a snapshot (a shared pointer to the list of
// segments) and are never blocked by the writer. A check-out only shortens a stay: it is an
// atomic store into the entry, so segments stay immutable in everything but that one field.
//
// An entry is 12 bytes (person, time_in as milliseconds into its day, length in milliseconds)
// plus 4 for the person order: 16 bytes a check-in, plus 8 per (venue, day) with visits. Times
// keep the store's millisecond precision; ids must fit in 32 bits.
//
// Multi-hop tracing works one hop at a time over the whole frontier at once (Engine::Trace):
// the frontier's stays are grouped by venue into runs of overlapping stays, each run scans its
// venue's entries once, and a sweep over those entries finds, for each person not yet traced,
// the parent whose exposure began first. A venue stay is read once per run it overlaps, not
// once per parent who was there, so a 40,000-person event costs one scan, not 40,000.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/tracing/checkins.h"

namespace mekong::tracing {

// Occupancy of one venue: people present at an instant, and over a day by hour.
struct DayOccupancy {
  int64_t distinct_visits = 0;  // check-ins that overlap the day
  int64_t peak = 0;             // most people present at once
  int64_t peak_at = 0;
  std::vector<int64_t> by_hour;  // 24 values: most people present at once within each hour
};

// A citizen's self-check: a stay of theirs that overlapped a case's infectious stay.
struct SelfCheckMatch {
  VenueId venue;
  int64_t start = 0, end = 0;
};

// How long a query may run: a deadline, and a point at which the server stops everything
// (shutdown). A query past either answers with an error and nothing else.
struct Budget {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline = Clock::time_point::max();
  // Nanoseconds of Clock's epoch at which every query stops (the server's shutdown); 0: never.
  const std::atomic<int64_t>* stop_at = nullptr;
  // resource_exhausted past the deadline, unavailable past stop_at, else ok.
  Status Check() const;
};

// A multi-hop answer, flat: people by hop, then person id, each with their slice of
// `exposures` (in SortExposures order). Cheap to hold, page through and cache.
struct TraceResult {
  struct Item {
    PersonId person;
    int hop = 0;
    PersonId via;
    int64_t exposure_start = 0;
    uint32_t first = 0, count = 0;  // exposures[first, first + count)
  };
  PersonId origin;
  std::vector<Item> items;
  std::vector<Exposure> exposures;

  std::span<const Exposure> ExposuresOf(size_t i) const {
    return {exposures.data() + items[i].first, items[i].count};
  }
  // The case, ..., via, person.
  std::vector<PersonId> Chain(size_t i) const;
  Traced At(size_t i) const;
  std::vector<Traced> ToTraced() const;
};

class Engine {
 public:
  // `max_stay_ms` bounds how far before a window a stay can begin and still reach into it.
  explicit Engine(int64_t max_stay_ms);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Everything in the store's checkin table (start-up), read a million rows at a time.
  Status LoadFromStore(store::Executor& ex);
  // Any order, any number: groups by day and builds one segment per day.
  Status Load(std::span<const Stay> stays);
  // Durable check-ins, after their transaction committed.
  Status Add(std::span<const Stay> stays);
  // A check-out (or the next check-in) moved the stay's end from `old_time_out` to `time_out`.
  Status SetTimeOut(PersonId person, VenueId venue, int64_t time_in, int64_t old_time_out,
                    int64_t time_out);
  // Retention: stays that ended before `cutoff` no longer exist for any query; whole segments
  // whose every stay ended before it are freed.
  void DropEndedBefore(int64_t cutoff);

  // Query 1: exactly tracing::CloseContacts over the same stays.
  std::vector<Contact> CloseContacts(PersonId person, int64_t window_start, int64_t window_end,
                                     int64_t min_overlap_ms) const;
  // Query 2: time-respecting multi-hop tracing from `person`'s stays in the window, to `depth`.
  // Hop k counts an exposure to a hop-(k-1) person only at or after that person's own exposure
  // start (the window start for the case); each person once, at their earliest hop, reached
  // through the parent with the earliest exposure (ties: the lower person id). Ordered by hop,
  // then person id.
  std::vector<Traced> Trace(PersonId person, int64_t window_start, int64_t window_end,
                            int64_t min_overlap_ms, int depth) const;
  // The same, flat, within `budget` (checked every few thousand entries read).
  Result<TraceResult> TraceFlat(PersonId person, int64_t window_start, int64_t window_end,
                                int64_t min_overlap_ms, int depth, const Budget& budget = {}) const;
  // Query 4.
  int64_t OccupancyAt(VenueId venue, int64_t at) const;
  DayOccupancy OccupancyOnDay(VenueId venue, int64_t day_start) const;
  // Query 5: `person`'s own stays that overlapped any of `case_stays` at the same venue by at
  // least `min_overlap_ms` (the cases' identities are not part of the answer).
  std::vector<SelfCheckMatch> SelfCheck(PersonId person, std::span<const Stay> case_stays,
                                        int64_t min_overlap_ms) const;
  // A person's stays in [from, to), by time_in.
  std::vector<Stay> PersonStays(PersonId person, int64_t from, int64_t to) const;

  struct Stats {
    int64_t checkins = 0;
    int64_t segments = 0;
    int64_t bytes = 0;  // heap bytes of the index structures
  };
  Stats stats() const;

  // A snapshot file (docs/formats/index-snapshot.md): the segments as they are in memory, the
  // change-feed position they reflect, and a checksum. Loading one is a restart's fast path:
  // the feed's changes after that position bring it up to date. Written to a temporary file,
  // then renamed, so a crash leaves the previous snapshot whole.
  Status SaveSnapshot(const std::string& path, int64_t feed_seq) const;
  // The two halves of SaveSnapshot: the bytes as of now (a copy of the index; quick), and
  // hashing and writing them (slow, and needs nothing of the engine).
  std::string EncodeSnapshot(int64_t feed_seq) const;
  static Status WriteSnapshot(const std::string& path, const std::string& body);
  // Returns the feed position the snapshot reflects; a missing, damaged or older-format file
  // is an error and leaves the index as it was.
  Result<int64_t> LoadSnapshot(const std::string& path);

  // What the index holds, summarised so two indexes (or the index and the store) can be compared
  // cheaply: the stays of some length that ended at or after `since`, their count and the sums
  // of their times relative to `since`.
  struct Digest {
    int64_t count = 0, sum_in = 0, sum_out = 0;
    bool operator==(const Digest&) const = default;
  };
  Digest DigestSince(int64_t since) const;
  // The retention horizon: stays that ended before it are gone.
  int64_t cutoff() const;
  // Empties the index.
  void Clear();

 private:
  struct Segment;
  struct State;
  std::shared_ptr<const State> Snapshot() const { return state_.load(std::memory_order_acquire); }
  // Adds stays of one day under the writer lock: a new small segment, then size-tiered merges.
  void AddDay(State& next, int64_t day, std::vector<Stay> stays);
  // Query 1's scan: (contact, exposure) for every qualifying overlap, sorted by person, then
  // exposure order.
  void CollectContacts(const State& state, PersonId person, int64_t window_start,
                       int64_t window_end, int64_t min_overlap_ms,
                       std::vector<std::pair<uint32_t, Exposure>>& found) const;
  std::vector<Stay> PersonStaysIn(const State& state, PersonId person, int64_t from,
                                  int64_t to) const;
  class HopSearch;

  int64_t max_stay_ms_;
  std::mutex writer_;  // one writer at a time; readers never take it
  std::atomic<std::shared_ptr<const State>> state_;
};

// The store's side of Engine::DigestSince, in one aggregate query (tests and benchmarks).
Result<Engine::Digest> StoreDigest(store::Executor& ex, int64_t since);

}  // namespace mekong::tracing
