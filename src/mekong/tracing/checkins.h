// Venue check-ins and the close-contact query over them (plain SQL; the in-memory engine
// comes later and must return the same answers).
//
// A check-in always has a time_out: until the person checks out, it is the time the venue's
// default stay would end, and `closed_by` says which rule set it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/config.h"
#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::tracing {

// Tables (check-ins and travel), migrations and what they build on (store/module.h).
extern const store::Module kModule;

enum class ClosedBy { kDefaultStay, kCheckout, kNextCheckin };
std::string_view ClosedByName(ClosedBy c);

struct Checkin {
  CheckinId id;
  PersonId person;
  VenueId venue;
  int64_t time_in = 0;
  int64_t time_out = 0;
  ClosedBy closed_by = ClosedBy::kDefaultStay;
  std::string source;  // "qr" (a phone scanned a poster), "device", "staff", "import"
};

// One stay, as the store has it (milliseconds, whole seconds).
struct Stay {
  PersonId person;
  VenueId venue;
  int64_t time_in = 0;
  int64_t time_out = 0;
};

struct Limits {
  int64_t max_stay_ms;         // a longer stay is refused
  int64_t max_future_skew_ms;  // clocks drift; anything later than now + this is refused
  int64_t retention_ms;        // anything older than now - this is refused (it would be deleted)

  static Limits From(const Config& config);  // a 5-minute clock skew; the rest configured
};

// Records a check-in. A person still checked in at another venue is checked out there at
// `time_in` (those stays, as they were, go to `closed`); still checked in at the same venue is
// already_exists. Every write here (and in import.h) is published on the change feed in the
// same transaction (changes.h), so each process's engine follows.
Result<Checkin> CheckIn(store::Executor& ex, PersonId person, VenueId venue, int64_t time_in,
                        std::string_view source, int64_t now, const Limits& limits,
                        std::vector<Checkin>* closed = nullptr);
// Closes a check-in at `time_out`: invalid before time_in or beyond the stay limit,
// failed_precondition when already checked out.
Result<Checkin> CheckOut(store::Executor& ex, CheckinId id, int64_t time_out, int64_t now,
                         const Limits& limits);
Result<Checkin> GetCheckin(store::Executor& ex, CheckinId id);
Result<std::vector<Checkin>> PersonCheckins(store::Executor& ex, PersonId person, int64_t from,
                                            int64_t to);

// Stays at any of `venues` overlapping [from, to), of `people` only when given (risk areas).
Result<std::vector<Stay>> StaysAt(store::Executor& ex, std::span<const VenueId> venues,
                                  int64_t from, int64_t to, std::span<const PersonId> people = {});

// A stay to write as it is (an import, the demo): `checked_out` says whether time_out is the
// person's own check-out or the venue's default stay; `next_checkin`, that the person's next
// check-in ended it (closed_by next_checkin).
struct StayRow {
  Stay stay;
  bool checked_out = false;
  std::string source;  // "import", "qr", ...
  bool next_checkin = false;
};
// Writes stays without the check-in rules (the caller has applied them), many rows a
// statement, and publishes them on the change feed (one change for the lot).
Status WriteStays(store::Executor& tx, std::span<const StayRow> rows, int64_t now);

// Deletes check-ins that ended before `cutoff` (retention) and says so on the change feed, so
// every engine forgets them too; returns how many.
Result<int64_t> DeleteEndedBefore(store::Executor& ex, int64_t cutoff, int64_t now);

// One shared presence: the case and the contact were both at `venue` from start to end.
struct Exposure {
  VenueId venue;
  int64_t start = 0, end = 0;
  int64_t minutes() const { return (end - start) / 60000; }
  bool operator==(const Exposure&) const = default;
};

struct Contact {
  PersonId person;
  std::vector<Exposure> exposures;  // each at least the minimum overlap, by start time
  int64_t total_minutes = 0;
  int64_t last_exposure_end = 0;
  bool operator==(const Contact&) const = default;
};

// Exposures in their canonical order: start, then end, then venue.
void SortExposures(std::vector<Exposure>& exposures);

// Everyone whose stay at a venue overlapped one of `person`'s stays, within [window_start,
// window_end), by at least `min_overlap_ms`. Ordered by person id.
//
// How the SQL is written (the benchmark compares formulations; results are the same):
// `range_overlap` writes the overlap test as int8range(...) && int8range(...), which a GiST index
// on (venue_id, int8range(time_in, time_out)) serves (PostgreSQL with btree_gist only); empty
// ranges never overlap there, which changes nothing for a positive minimum overlap.
// `max_stay_ms` > 0 promises no stay is longer, which bounds the (venue_id, time_in) index scan
// to stays that began at most that long before the case's stay.
struct SqlPlan {
  bool range_overlap = false;
  int64_t max_stay_ms = 0;
};
Result<std::vector<Contact>> CloseContacts(store::Executor& ex, PersonId person,
                                           int64_t window_start, int64_t window_end,
                                           int64_t min_overlap_ms, SqlPlan plan = {});

// A person reached by multi-hop tracing: at `hop` (1 = close contact of the case), through
// `via` (the hop-1 person who exposed them; the case itself for hop 1). `exposure_start` is the
// start of their earliest qualifying exposure to `via`; `exposures` are those with `via`.
struct Traced {
  PersonId person;
  int hop = 0;
  PersonId via;
  int64_t exposure_start = 0;
  std::vector<Exposure> exposures;
  std::vector<PersonId> chain;  // case, ..., via, person
  bool operator==(const Traced&) const = default;
};

// Time-respecting multi-hop tracing in plain SQL (one CloseContacts per traced person): the
// reference the engine's Trace must match. Hop k counts only exposures to a hop-(k-1) person
// at or after that person's own exposure start (the window start for the case), clipped to
// [that start, window_end); each person once, at their earliest hop, through the parent with
// the earliest exposure (ties: the lower person id). Ordered by hop, then person id.
Result<std::vector<Traced>> Trace(store::Executor& ex, PersonId person, int64_t window_start,
                                  int64_t window_end, int64_t min_overlap_ms, int depth,
                                  SqlPlan plan = {});

// Moves `from`'s check-ins and trip seats to `to` (two records of one person merged) and
// publishes the moved stays, so every engine finds them under `to`, and the old id's stays cut
// to no length, so no engine finds them under `from` (the old id names the survivor).
// Returns how many rows moved.
Result<int64_t> ReassignPerson(store::Executor& tx, PersonId from, PersonId to, int64_t now);

}  // namespace mekong::tracing
