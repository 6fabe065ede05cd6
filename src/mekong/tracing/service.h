// The tracing module's service: check-ins and travel written with their access rules, and the
// contact engine that answers every tracing query, kept current from the store's change feed.
//
// Writes go to the store and the change feed in one transaction (checkins.h, changes.h); the
// engine learns of them only from the feed, whichever process wrote them (this server, another
// server over the same PostgreSQL, `mekong import`). After its own commit a write catches the
// engine up before it returns, so a caller reads its own write at once; other processes'
// writes arrive within the feed's poll interval (NOTIFY on PostgreSQL: milliseconds).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/config.h"
#include "mekong/core/time.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/engine.h"
#include "mekong/tracing/import.h"
#include "mekong/tracing/travel.h"

namespace mekong::tracing {

struct ServiceOptions {
  Limits limits;
  // Where the engine's snapshot lives ("" for none). Start() loads it; Stop() writes it when
  // `write_snapshot` (the server does; a command-line query only reads it).
  std::string snapshot_path;
  bool write_snapshot = true;
  int64_t feed_poll_ms = 200;
  // How long one tracing query may run before it answers resource_exhausted.
  int64_t query_deadline_ms = 30000;

  // From the configuration: a SQLite store keeps its snapshot beside the database file.
  static ServiceOptions From(const Config& config);
};

// How a start found the engine's contents.
enum class RestoredFrom { kSnapshot, kStore };

struct NewCheckin {
  std::optional<std::string> qr;   // the venue poster's text, scanned
  std::optional<VenueId> venue;    // or the venue itself (staff and devices)
  std::optional<PersonId> person;  // staff and devices name the person; a citizen is themself
  std::optional<int64_t> time_in;  // default: now
};

struct CheckinOutcome {
  Checkin checkin;
  std::vector<Checkin> closed;  // stays elsewhere this check-in ended
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Fills the engine (from the snapshot and the feed after it, or from the store) and follows
  // the change feed. Until Start, writes work and queries fail with unavailable.
  Result<RestoredFrom> Start();
  // Stops following and writes the snapshot, if there is a path.
  void Stop();
  bool started() const { return started_; }

  // ---- Writes, each checked against the caller's role and scope (docs/access.md) ----

  // A citizen checks in themself by scanning a poster; staff and devices check in a person at a
  // venue inside their org unit; staff other than devices name only people inside their unit
  // (anyone else, or an id that does not exist, is the same not_found, so ids cannot be probed).
  Result<CheckinOutcome> CheckIn(const registry::Caller& by, const NewCheckin& in);
  Result<Checkin> CheckOut(const registry::Caller& by, CheckinId id,
                           std::optional<int64_t> time_out);
  // A scanner's batch or a file, with the rules of CheckIn (import.h): every line checked, the
  // valid ones written (all or nothing with `strict`); lines at venues outside the caller's
  // unit are rejected. A text of up to 100,000 lines is one transaction.
  Result<ImportResult> Import(const registry::Caller& by, std::string_view text,
                              ImportFormat format, bool strict);
  // The same from a stream of any size, read and written in batches (import.h: ImportOptions;
  // each batch its own transaction unless `strict`). `options.venue_allowed` is set here from
  // the caller's scope.
  Result<ImportResult> Import(const registry::Caller& by, std::istream& in, ImportFormat format,
                              ImportOptions options);

  Result<Trip> CreateTrip(const registry::Caller& by, const NewTrip& in);
  Result<Trip> GetTrip(const registry::Caller& by, int64_t id);
  // Adds or re-seats passengers; each must exist (not_found names `passengers[i].person_id`).
  Status AddPassengers(const registry::Caller& by, int64_t trip,
                       const std::vector<Passenger>& passengers);
  Result<TravelImportResult> ImportManifest(const registry::Caller& by, std::string_view text,
                                            ImportFormat format, bool strict);

  // Retention: deletes check-ins and trips that ended `limits.retention_ms` ago, everywhere.
  struct Swept {
    int64_t checkins = 0, trips = 0;
  };
  Result<Swept> Sweep();

  // ---- Reads ----

  // A person's check-ins within the retention period (a citizen: their own; staff: in scope).
  Result<std::vector<Checkin>> PersonCheckins(const registry::Caller& by, PersonId person);
  // Time-respecting contacts to `depth` (engine.h). The caller is checked and the read logged
  // by whoever resolved `person` (cases' service); this is the engine query alone, within the
  // query deadline, and cancelled (unavailable) once StopQueries' moment has come.
  Result<std::vector<Traced>> Trace(PersonId person, int64_t window_start, int64_t window_end,
                                    int64_t min_overlap_ms, int depth) const;
  // The same answer, flat and shared. With `reuse`, an answer to the same question computed in
  // the last minute is returned as it was (later pages of one answer come from that answer);
  // without, it is computed on the index as it is now and remembered.
  Result<std::shared_ptr<const TraceResult>> TraceShared(PersonId person, int64_t window_start,
                                                         int64_t window_end, int64_t min_overlap_ms,
                                                         int depth, bool reuse) const;
  // Every running and later query stops at `at` (the server's shutdown: the end of its grace).
  void StopQueries(std::chrono::steady_clock::time_point at);
  Result<std::vector<Stay>> PersonStays(PersonId person, int64_t from, int64_t to) const;
  Result<std::vector<SelfCheckMatch>> SelfCheck(PersonId person, std::span<const Stay> case_stays,
                                                int64_t min_overlap_ms) const;
  struct Occupancy {
    registry::Venue venue;
    int64_t at = 0;
    int64_t present = 0;
    std::optional<DayOccupancy> day;  // when asked for a day
    std::string day_text;
  };
  // People present at `at`, or over the UTC day `day` ("YYYY-MM-DD"); the venue must be in scope.
  Result<Occupancy> VenueOccupancy(const registry::Caller& by, VenueId venue,
                                   std::optional<int64_t> at, std::optional<std::string> day) const;
  Result<std::vector<PersonTrip>> PersonTrips(const registry::Caller& by, PersonId person,
                                              int64_t from, int64_t to);
  Result<std::vector<CoTraveller>> CoTravellers(const registry::Caller& by, PersonId person,
                                                int64_t from, int64_t to, int rows);

  Engine::Stats engine_stats() const { return engine_.stats(); }
  int64_t feed_position() const { return follower_.position(); }
  const Limits& limits() const { return options_.limits; }
  // Brings the engine up to every committed change now (tests, and a CLI query after a write).
  Status CatchUp() { return follower_.CatchUp(); }
  // Writes the snapshot (if there is a path) as of the last change the engine applied; a
  // server calls it every tracing.snapshot_every_seconds (a job), and Stop once more. Changes
  // wait while the index is copied (tens of milliseconds at 10 million check-ins), not while it
  // is hashed and written. Nothing is written when the file already holds that position.
  Status SaveSnapshot();
  const ServiceOptions& options() const { return options_; }

 private:
  Status RequireStarted() const;
  // The person, if the caller may see their record (citizen: self; staff: in scope); the read
  // is logged as `action`.
  Result<registry::Person> ReadablePerson(const registry::Caller& by, PersonId person,
                                          std::string_view action);

  Budget QueryBudget() const;
  Status Apply(const store::Change& change);

  store::Database& db_;
  const Clock& clock_;
  const ServiceOptions options_;
  Engine engine_;
  // Held while a change is applied, and while the snapshot copies the index: the copy and
  // `applied_seq_` then agree exactly.
  mutable std::mutex apply_mu_;
  int64_t applied_seq_ = 0;
  int64_t saved_seq_ = -1;  // the position of the snapshot file as last written or read
  std::mutex snapshot_mu_;  // one snapshot written at a time
  store::Follower follower_;
  bool started_ = false;
  std::atomic<int64_t> stop_at_{0};  // Budget::stop_at

  // Recent answers, for later pages (TraceShared).
  struct Cached {
    PersonId person;
    int64_t from = 0, to = 0, min_overlap_ms = 0;
    int depth = 0;
    std::chrono::steady_clock::time_point at;
    std::shared_ptr<const TraceResult> result;
  };
  mutable std::mutex cache_mu_;
  mutable std::vector<Cached> cache_;
};

}  // namespace mekong::tracing
