#include "mekong/tracing/service.h"

#include <chrono>
#include <filesystem>
#include <set>

#include "mekong/core/log.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/changes.h"

namespace mekong::tracing {

ServiceOptions ServiceOptions::From(const Config& config) {
  ServiceOptions o;
  o.limits = Limits::From(config);
  const bool sqlite = config.db.rfind("postgres", 0) != 0 && config.db != ":memory:";
  o.snapshot_path = !config.index_snapshot.empty() ? config.index_snapshot
                    : sqlite                       ? config.db + ".index"
                                                   : "";
  o.query_deadline_ms = int64_t{config.query_deadline_seconds} * 1000;
  return o;
}

Service::Service(store::Database& db, const Clock& clock, ServiceOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      engine_(options_.limits.max_stay_ms),
      follower_(
          db, "tracing", {"tracing."}, [this](const store::Change& c) { return Apply(c); },
          options_.feed_poll_ms) {}

Status Service::Apply(const store::Change& change) {
  std::lock_guard lock(apply_mu_);
  Status s = ApplyChange(engine_, change);
  applied_seq_ = change.seq;  // applied or refused (and logged): either way, done with
  return s;
}

Service::~Service() { Stop(); }

Result<RestoredFrom> Service::Start() {
  if (started_) return Status::FailedPrecondition("the tracing service is already started");
  RestoredFrom from = RestoredFrom::kStore;
  int64_t seq = -1;
  if (!options_.snapshot_path.empty() && std::filesystem::exists(options_.snapshot_path)) {
    auto loaded = engine_.LoadSnapshot(options_.snapshot_path);
    ASSIGN_OR_RETURN(int64_t pruned, store::PrunedThrough(db_));
    // The feed must still hold everything after the snapshot, or the snapshot is of no use.
    if (loaded.ok() && *loaded >= pruned) {
      seq = *loaded;
      std::lock_guard lock(apply_mu_);
      saved_seq_ = seq;
      from = RestoredFrom::kSnapshot;
    } else {
      log::Warn("index_snapshot_unused", {{"path", options_.snapshot_path},
                                          {"why", loaded.ok() ? "the change feed was pruned past it"
                                                              : loaded.status().ToString()}});
      engine_.Clear();
    }
  }
  if (seq < 0) {
    // The store as of one moment, and the feed's position at that moment: changes after it
    // are exactly those the load could not see.
    RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& snap) -> Status {
      ASSIGN_OR_RETURN(seq, store::LatestSeq(snap));
      return engine_.LoadFromStore(snap);
    }));
  }
  {
    std::lock_guard lock(apply_mu_);
    applied_seq_ = seq;
  }
  follower_.Reset(seq);
  RETURN_IF_ERROR(follower_.CatchUp());
  follower_.Start(follower_.position());
  started_ = true;
  return from;
}

void Service::Stop() {
  if (!started_) return;
  follower_.Stop();
  started_ = false;
  if (!options_.write_snapshot) return;
  // Everything up to the last applied change is in the engine; a write by another process
  // after this is in the feed, which the next start reads from there.
  if (Status s = SaveSnapshot(); !s.ok()) log::Error("snapshot_failed", {{"error", s.ToString()}});
}

Status Service::SaveSnapshot() {
  if (options_.snapshot_path.empty()) return Status::Ok();
  std::lock_guard one(snapshot_mu_);
  auto t0 = std::chrono::steady_clock::now();
  std::string body;
  int64_t seq = 0;
  {
    // The copy and the position agree: no change is applied while the index is copied.
    std::lock_guard lock(apply_mu_);
    seq = applied_seq_;
    if (seq == saved_seq_ && std::filesystem::exists(options_.snapshot_path)) return Status::Ok();
    body = engine_.EncodeSnapshot(seq);
  }
  double copy_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  RETURN_IF_ERROR(Engine::WriteSnapshot(options_.snapshot_path, body));
  {
    std::lock_guard lock(apply_mu_);
    saved_seq_ = seq;
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log::Info("snapshot_saved", {{"path", options_.snapshot_path},
                               {"checkins", std::to_string(engine_.stats().checkins)},
                               {"bytes", std::to_string(body.size())},
                               {"feed_seq", std::to_string(seq)},
                               {"copy_ms", std::to_string(static_cast<int64_t>(copy_ms))},
                               {"ms", std::to_string(static_cast<int64_t>(ms))}});
  return Status::Ok();
}

void Service::StopQueries(std::chrono::steady_clock::time_point at) {
  int64_t ns = std::max<int64_t>(1, at.time_since_epoch().count());
  stop_at_.store(ns, std::memory_order_relaxed);
}

Budget Service::QueryBudget() const {
  Budget b;
  b.deadline = Budget::Clock::now() + std::chrono::milliseconds(options_.query_deadline_ms);
  b.stop_at = &stop_at_;
  return b;
}

Status Service::RequireStarted() const {
  if (!started_)
    return Status::Unavailable(
        "the contact engine is not loaded (the tracing service is not started)");
  return Status::Ok();
}

Result<registry::Person> Service::ReadablePerson(const registry::Caller& by, PersonId person,
                                                 std::string_view action) {
  return registry::ReadPerson(db_, by, person, action, clock_.NowMillis());
}

Result<CheckinOutcome> Service::CheckIn(const registry::Caller& by, const NewCheckin& in) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kCheckIn));
  const int64_t now = clock_.NowMillis();
  using registry::Role;
  PersonId person;
  if (in.qr.has_value() == in.venue.has_value()) {
    return Status::InvalidArgument("give exactly one of qr (the poster's text) or venue_id", "qr");
  }
  if (by.role == Role::kCitizen) {
    if (!by.person) return Status::FailedPrecondition("this account has no person record");
    if (in.person && *in.person != *by.person)
      return Status::PermissionDenied("citizens check in only themselves");
    if (in.venue)
      return Status::InvalidArgument("citizens check in by scanning the venue's QR poster",
                                     "venue_id");
    person = *by.person;
  } else {
    if (!in.person) return Status::InvalidArgument("is required", "person_id");
    person = *in.person;
  }
  std::string source = by.role == Role::kCitizen  ? "qr"
                       : by.role == Role::kDevice ? "device"
                                                  : "staff";
  CheckinOutcome out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    VenueId venue;
    if (in.qr) {
      ASSIGN_OR_RETURN(venue, registry::VerifyPosterText(tx, *in.qr));
    } else {
      venue = *in.venue;
    }
    if (by.role != Role::kCitizen) {
      // Staff and devices act at venues inside their org unit. Devices (gates, trusted
      // hardware) check in whoever passes; people at a desk name only people in their unit
      // (anyone else reads like an id that does not exist, docs/access.md).
      ASSIGN_OR_RETURN(auto v, registry::GetVenue(tx, venue));
      RETURN_IF_ERROR(registry::RequireCovers(by, v.org_path));
      if (by.role == Role::kDevice) {
        auto p = registry::GetPerson(tx, person);
        if (!p.ok())
          return p.status().code() == Code::kNotFound
                     ? Status::NotFound(p.status().message(), "person_id")
                     : p.status();
        RETURN_IF_ERROR(registry::LogAccess(tx, by, person, "record check-in", now));
      } else {
        RETURN_IF_ERROR(registry::ReadPerson(tx, by, person, "record check-in", now, "person_id"));
      }
    }
    out.closed.clear();
    ASSIGN_OR_RETURN(out.checkin, tracing::CheckIn(tx, person, venue, in.time_in.value_or(now),
                                                   source, now, options_.limits, &out.closed));
    return Status::Ok();
  }));
  if (started_) RETURN_IF_ERROR(follower_.CatchUp());
  return out;
}

Result<Checkin> Service::CheckOut(const registry::Caller& by, CheckinId id,
                                  std::optional<int64_t> time_out) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kCheckIn));
  const int64_t now = clock_.NowMillis();
  Checkin out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto c, GetCheckin(tx, id));
    if (by.role == registry::Role::kCitizen) {
      if (!by.person || *by.person != c.person)
        return Status::PermissionDenied("citizens check out only themselves");
    } else {
      // A check-in at a venue outside the caller's unit reads like one that does not exist.
      auto v = registry::GetVenue(tx, c.venue);
      if (!v.ok() || !registry::Covers(by, v->org_path))
        return Status::NotFound("no check-in " + std::to_string(id.value), "id");
    }
    ASSIGN_OR_RETURN(out,
                     tracing::CheckOut(tx, c.id, time_out.value_or(now), now, options_.limits));
    return Status::Ok();
  }));
  if (started_) RETURN_IF_ERROR(follower_.CatchUp());
  return out;
}

namespace {

// Check-ins only at venues of the caller's unit; staff name only people of it (a person
// outside reads like an unknown one, so an upload cannot probe ids), devices anyone who
// passed, as POST /checkins (docs/access.md). The whole tree (the command line) needs no checks,
// so a large import reads only ids.
void ScopeImport(const registry::Caller& by, ImportOptions& options) {
  if (by.org_path == "/") return;
  auto covers = [&by](const std::string& path) { return registry::Covers(by, path); };
  options.venue_allowed = covers;
  if (by.role != registry::Role::kDevice) options.person_allowed = covers;
}

}  // namespace

Result<ImportResult> Service::Import(const registry::Caller& by, std::string_view text,
                                     ImportFormat format, bool strict) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kIngestCheckins));
  ImportOptions options;
  options.strict = strict;
  ScopeImport(by, options);
  ASSIGN_OR_RETURN(auto r,
                   ImportCheckins(db_, text, format, clock_.NowMillis(), options_.limits, options));
  if (started_) RETURN_IF_ERROR(follower_.CatchUp());
  return r;
}

Result<ImportResult> Service::Import(const registry::Caller& by, std::istream& in,
                                     ImportFormat format, ImportOptions options) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kIngestCheckins));
  ScopeImport(by, options);
  ASSIGN_OR_RETURN(auto r,
                   ImportCheckins(db_, in, format, clock_.NowMillis(), options_.limits, options));
  if (started_) RETURN_IF_ERROR(follower_.CatchUp());
  return r;
}

Result<Trip> Service::CreateTrip(const registry::Caller& by, const NewTrip& in) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kManageTravel));
  Trip made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made, tracing::CreateTrip(tx, in, clock_.NowMillis(), options_.limits));
    return Status::Ok();
  }));
  return made;
}

Result<Trip> Service::GetTrip(const registry::Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kManageTravel));
  return tracing::GetTrip(db_, id);
}

Status Service::AddPassengers(const registry::Caller& by, int64_t trip,
                              const std::vector<Passenger>& passengers) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kManageTravel));
  return db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(tracing::GetTrip(tx, trip));
    std::vector<PersonId> ids;
    for (const auto& p : passengers) ids.push_back(p.person);
    ASSIGN_OR_RETURN(auto known, registry::GetPeople(tx, ids));
    std::set<int64_t> found;
    for (const auto& p : known) found.insert(p.id.value);
    for (size_t i = 0; i < passengers.size(); ++i) {
      if (!found.count(passengers[i].person.value)) {
        return Status::NotFound("no person " + std::to_string(passengers[i].person.value),
                                "passengers[" + std::to_string(i) + "].person_id");
      }
    }
    return PutPassengers(tx, trip, passengers);
  });
}

Result<TravelImportResult> Service::ImportManifest(const registry::Caller& by,
                                                   std::string_view text, ImportFormat format,
                                                   bool strict) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kManageTravel));
  return tracing::ImportManifest(db_, text, format, strict, clock_.NowMillis(), options_.limits);
}

Result<Service::Swept> Service::Sweep() {
  const int64_t now = clock_.NowMillis();
  const int64_t cutoff = now - options_.limits.retention_ms;
  Swept s;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(s.checkins, DeleteEndedBefore(tx, cutoff, now));
    ASSIGN_OR_RETURN(s.trips, DeleteTripsEndedBefore(tx, cutoff));
    return Status::Ok();
  }));
  if (started_) RETURN_IF_ERROR(follower_.CatchUp());
  return s;
}

Result<std::vector<Checkin>> Service::PersonCheckins(const registry::Caller& by, PersonId person) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kReadCheckins));
  ASSIGN_OR_RETURN(auto p, ReadablePerson(by, person, "read check-ins"));
  const int64_t now = clock_.NowMillis();
  return tracing::PersonCheckins(db_, p.id, now - options_.limits.retention_ms,
                                 now + kMillisPerDay);
}

Result<std::vector<Traced>> Service::Trace(PersonId person, int64_t window_start,
                                           int64_t window_end, int64_t min_overlap_ms,
                                           int depth) const {
  RETURN_IF_ERROR(RequireStarted());
  ASSIGN_OR_RETURN(auto r, engine_.TraceFlat(person, window_start, window_end, min_overlap_ms,
                                             depth, QueryBudget()));
  return r.ToTraced();
}

Result<std::shared_ptr<const TraceResult>> Service::TraceShared(PersonId person,
                                                                int64_t window_start,
                                                                int64_t window_end,
                                                                int64_t min_overlap_ms, int depth,
                                                                bool reuse) const {
  RETURN_IF_ERROR(RequireStarted());
  constexpr auto kKeep = std::chrono::seconds(60);
  constexpr size_t kEntries = 16;
  auto same = [&](const Cached& c) {
    return c.person == person && c.from == window_start && c.to == window_end &&
           c.min_overlap_ms == min_overlap_ms && c.depth == depth;
  };
  const auto now = std::chrono::steady_clock::now();
  if (reuse) {
    std::lock_guard lock(cache_mu_);
    for (const auto& c : cache_) {
      if (same(c) && now - c.at < kKeep) return c.result;
    }
  }
  ASSIGN_OR_RETURN(auto r, engine_.TraceFlat(person, window_start, window_end, min_overlap_ms,
                                             depth, QueryBudget()));
  auto shared = std::make_shared<const TraceResult>(std::move(r));
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const Cached& c) { return same(c) || now - c.at >= kKeep; });
  if (cache_.size() >= kEntries) cache_.erase(cache_.begin());  // the oldest
  cache_.push_back({person, window_start, window_end, min_overlap_ms, depth, now, shared});
  return shared;
}

Result<std::vector<Stay>> Service::PersonStays(PersonId person, int64_t from, int64_t to) const {
  RETURN_IF_ERROR(RequireStarted());
  return engine_.PersonStays(person, from, to);
}

Result<std::vector<SelfCheckMatch>> Service::SelfCheck(PersonId person,
                                                       std::span<const Stay> case_stays,
                                                       int64_t min_overlap_ms) const {
  RETURN_IF_ERROR(RequireStarted());
  return engine_.SelfCheck(person, case_stays, min_overlap_ms);
}

Result<Service::Occupancy> Service::VenueOccupancy(const registry::Caller& by, VenueId venue,
                                                   std::optional<int64_t> at,
                                                   std::optional<std::string> day) const {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kReadOccupancy));
  RETURN_IF_ERROR(RequireStarted());
  ASSIGN_OR_RETURN(auto v, registry::VisibleVenue(db_, by, venue));
  if (at && day) return Status::InvalidArgument("give at or day, not both", "day");
  Occupancy o{v};
  if (day) {
    auto start = ParseRfc3339(*day + "T00:00:00Z");
    if (day->size() != 10 || !start.ok())
      return Status::InvalidArgument("must be a date, YYYY-MM-DD (UTC)", "day");
    o.day = engine_.OccupancyOnDay(v.id, *start);
    o.day_text = *day;
    return o;
  }
  o.at = at.value_or(clock_.NowMillis());
  o.present = engine_.OccupancyAt(v.id, o.at);
  return o;
}

Result<std::vector<PersonTrip>> Service::PersonTrips(const registry::Caller& by, PersonId person,
                                                     int64_t from, int64_t to) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kTrace));
  ASSIGN_OR_RETURN(auto p, ReadablePerson(by, person, "read trips"));
  return tracing::PersonTrips(db_, p.id, from, to);
}

Result<std::vector<CoTraveller>> Service::CoTravellers(const registry::Caller& by, PersonId person,
                                                       int64_t from, int64_t to, int rows) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kTrace));
  ASSIGN_OR_RETURN(auto p, ReadablePerson(by, person, "trace co-travellers"));
  return tracing::CoTravellers(db_, p.id, from, to, rows);
}

}  // namespace mekong::tracing
