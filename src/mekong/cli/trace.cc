#include "mekong/cli/trace.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iomanip>
#include <iostream>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/tracing/engine.h"
#include "mekong/tracing/travel.h"

namespace mekong::cli {

namespace {

using Json = nlohmann::json;

Result<int64_t> TimeArg(const std::string& text, int64_t fallback, const char* option) {
  if (text.empty()) return fallback;
  auto t = ParseRfc3339(text);
  if (!t.ok()) return Status::InvalidArgument("must be an RFC 3339 time with a zone", option);
  return *t;
}

// The engine over everything in the store, as the server builds it at start-up.
Result<std::unique_ptr<tracing::Engine>> LoadEngine(store::Database& db, const Config& config) {
  auto start = std::chrono::steady_clock::now();
  auto engine = std::make_unique<tracing::Engine>(int64_t{config.max_stay_hours} * kMillisPerHour);
  RETURN_IF_ERROR(engine->LoadFromStore(db));
  std::cerr << "index: " << engine->stats().checkins << " check-ins loaded in " << std::fixed << std::setprecision(2)
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n";
  return engine;
}

Status Contacts(store::Database& db, const Config& config, const TraceArgs& a, int64_t now, std::ostream& out) {
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(db));
  ASSIGN_OR_RETURN(int64_t from, TimeArg(a.from, now - policy.infectious_before_ms, "--from"));
  ASSIGN_OR_RETURN(int64_t to, TimeArg(a.to, now, "--to"));
  if (to <= from) return Status::InvalidArgument("must be after --from", "--to");
  int64_t min_overlap = a.min_overlap_minutes >= 0 ? a.min_overlap_minutes * kMillisPerMinute : policy.min_overlap_ms;
  ASSIGN_OR_RETURN(auto person, db.Query("SELECT 1 FROM person WHERE id = ?", {a.id}));
  if (person.empty()) return Status::NotFound("no person " + std::to_string(a.id), "person");
  ASSIGN_OR_RETURN(auto engine, LoadEngine(db, config));
  auto start = std::chrono::steady_clock::now();
  auto traced = engine->Trace(PersonId(a.id), from, to, min_overlap, a.depth);
  double micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  if (a.json) {
    Json items = Json::array();
    for (const auto& t : traced) {
      Json exposures = Json::array(), chain = Json::array();
      for (const auto& e : t.exposures) {
        exposures.push_back({{"venue_id", e.venue.value}, {"start", FormatRfc3339(e.start)},
                             {"end", FormatRfc3339(e.end)}, {"minutes", e.minutes()}});
      }
      for (auto c : t.chain) chain.push_back(c.value);
      items.push_back({{"person_id", t.person.value}, {"hop", t.hop}, {"via_person_id", t.via.value},
                       {"exposure_start", FormatRfc3339(t.exposure_start)}, {"exposures", exposures},
                       {"chain", chain}});
    }
    out << Json{{"person_id", a.id}, {"from", FormatRfc3339(from)}, {"to", FormatRfc3339(to)}, {"items", items}}.dump(2)
        << "\n";
  } else {
    out << "person  hop  via     first exposure          minutes  venues\n";
    for (const auto& t : traced) {
      int64_t minutes = 0;
      std::string venues;
      for (const auto& e : t.exposures) {
        minutes += e.minutes();
        venues += (venues.empty() ? "" : ",") + std::to_string(e.venue.value);
      }
      out << std::left << std::setw(8) << t.person.value << std::setw(5) << t.hop << std::setw(8) << t.via.value
          << std::setw(24) << FormatRfc3339(t.exposure_start) << std::setw(9) << minutes << venues << "\n";
    }
  }
  std::cerr << traced.size() << " people traced in " << std::fixed << std::setprecision(0) << micros << " us\n";
  return Status::Ok();
}

Status CoTravellers(store::Database& db, const Config& config, const TraceArgs& a, int64_t now, std::ostream& out) {
  ASSIGN_OR_RETURN(int64_t from, TimeArg(a.from, now - int64_t{config.retention_days} * kMillisPerDay, "--from"));
  ASSIGN_OR_RETURN(int64_t to, TimeArg(a.to, now, "--to"));
  if (to <= from) return Status::InvalidArgument("must be after --from", "--to");
  ASSIGN_OR_RETURN(auto person, db.Query("SELECT 1 FROM person WHERE id = ?", {a.id}));
  if (person.empty()) return Status::NotFound("no person " + std::to_string(a.id), "person");
  ASSIGN_OR_RETURN(auto list, tracing::CoTravellers(db, PersonId(a.id), from, to, a.rows));
  if (a.json) {
    Json items = Json::array();
    for (const auto& c : list) {
      items.push_back({{"person_id", c.person.value}, {"trip_id", c.trip.id}, {"carrier", c.trip.carrier},
                       {"service", c.trip.service}, {"service_date", c.trip.service_date}, {"seat", c.seat.Text()},
                       {"case_seat", c.case_seat.Text()}, {"reason", c.reason}});
    }
    out << Json{{"person_id", a.id}, {"items", items}}.dump(2) << "\n";
    return Status::Ok();
  }
  out << "person  trip                      seat              their seat        reason\n";
  for (const auto& c : list) {
    out << std::left << std::setw(8) << c.person.value << std::setw(26)
        << (c.trip.carrier + " " + c.trip.service + " " + c.trip.service_date) << std::setw(18) << c.case_seat.Text()
        << std::setw(18) << c.seat.Text() << c.reason << "\n";
  }
  return Status::Ok();
}

Status Occupancy(store::Database& db, const Config& config, const TraceArgs& a, int64_t now, std::ostream& out) {
  if (!a.at.empty() && !a.day.empty()) return Status::InvalidArgument("give --at or --day, not both", "--day");
  ASSIGN_OR_RETURN(auto venue, db.Query("SELECT capacity FROM venue WHERE id = ?", {a.id}));
  if (venue.empty()) return Status::NotFound("no venue " + std::to_string(a.id), "venue");
  int64_t day_start = 0;
  if (!a.day.empty()) {
    auto d = ParseRfc3339(a.day + "T00:00:00Z");
    if (a.day.size() != 10 || !d.ok()) return Status::InvalidArgument("must be a date, YYYY-MM-DD (UTC)", "--day");
    day_start = *d;
  }
  ASSIGN_OR_RETURN(int64_t at, TimeArg(a.at, now, "--at"));
  ASSIGN_OR_RETURN(auto engine, LoadEngine(db, config));
  if (a.day.empty()) {
    int64_t present = engine->OccupancyAt(VenueId(a.id), at);
    if (a.json) {
      out << Json{{"venue_id", a.id}, {"at", FormatRfc3339(at)}, {"present", present}, {"capacity", venue.Int(0, 0)}}.dump(2)
          << "\n";
    } else {
      out << present << " present at " << FormatRfc3339(at) << " (capacity " << venue.Int(0, 0) << ")\n";
    }
    return Status::Ok();
  }
  auto d = engine->OccupancyOnDay(VenueId(a.id), day_start);
  if (a.json) {
    out << Json{{"venue_id", a.id}, {"day", a.day}, {"visits", d.distinct_visits}, {"peak", d.peak},
                {"peak_at", d.peak ? Json(FormatRfc3339(d.peak_at)) : Json(nullptr)}, {"by_hour", d.by_hour}}
               .dump(2)
        << "\n";
    return Status::Ok();
  }
  out << d.distinct_visits << " visits on " << a.day << ", peak " << d.peak
      << (d.peak ? " at " + FormatRfc3339(d.peak_at) : std::string()) << " (capacity " << venue.Int(0, 0) << ")\n";
  for (int h = 0; h < 24; ++h) out << std::setw(2) << std::setfill('0') << h << std::setfill(' ') << ":00  " << d.by_hour[h] << "\n";
  return Status::Ok();
}

}  // namespace

Status RunTrace(store::Database& db, const Config& config, TraceKind kind, const TraceArgs& args, int64_t now,
                std::ostream& out) {
  switch (kind) {
    case TraceKind::kContacts: return Contacts(db, config, args, now, out);
    case TraceKind::kCoTravellers: return CoTravellers(db, config, args, now, out);
    case TraceKind::kOccupancy: return Occupancy(db, config, args, now, out);
  }
  return Status::InvalidArgument("unknown query");
}

}  // namespace mekong::cli
