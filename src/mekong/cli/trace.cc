#include "mekong/cli/trace.h"

#include <chrono>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "mekong/core/time.h"
#include "mekong/registry/access.h"

namespace mekong::cli {

namespace {

using Json = nlohmann::json;

Result<int64_t> TimeArg(const std::string& text, int64_t fallback, const char* option) {
  if (text.empty()) return fallback;
  auto t = ParseRfc3339(text);
  if (!t.ok()) return Status::InvalidArgument("must be an RFC 3339 time with a zone", option);
  return *t;
}

// The engine, as a server would start it; the load time goes to stderr.
Status StartEngine(Services& s) {
  auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(auto from, s.tracing.Start());
  std::cerr << "index: " << s.tracing.engine_stats().checkins << " check-ins loaded from "
            << (from == tracing::RestoredFrom::kSnapshot ? "the snapshot and the change feed"
                                                         : "the store")
            << " in " << std::fixed << std::setprecision(2)
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s\n";
  return Status::Ok();
}

Status Contacts(Services& s, const TraceArgs& a, std::ostream& out) {
  cases::ContactQuery q;
  if (!a.from.empty()) {
    ASSIGN_OR_RETURN(q.from, TimeArg(a.from, 0, "--from"));
  }
  if (!a.to.empty()) {
    ASSIGN_OR_RETURN(q.to, TimeArg(a.to, 0, "--to"));
  }
  q.depth = a.depth;
  if (a.min_overlap_minutes >= 0) q.min_overlap_ms = a.min_overlap_minutes * kMillisPerMinute;
  RETURN_IF_ERROR(StartEngine(s));
  auto start = std::chrono::steady_clock::now();
  auto found = s.cases.Trace(registry::SystemCaller(), PersonId(a.id), q);
  if (!found.ok() && found.status().field() == "id")
    return Status::NotFound(found.status().message(), "person");
  RETURN_IF_ERROR(found);
  double micros =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  const auto traced = found->Page();
  const int64_t from = found->from, to = found->to;
  if (a.json) {
    Json items = Json::array();
    for (const auto& t : traced) {
      Json exposures = Json::array(), chain = Json::array();
      for (const auto& e : t.exposures) {
        exposures.push_back({{"venue_id", e.venue.value},
                             {"start", FormatRfc3339(e.start)},
                             {"end", FormatRfc3339(e.end)},
                             {"minutes", e.minutes()}});
      }
      for (auto c : t.chain) chain.push_back(c.value);
      items.push_back({{"person_id", t.person.value},
                       {"hop", t.hop},
                       {"via_person_id", t.via.value},
                       {"exposure_start", FormatRfc3339(t.exposure_start)},
                       {"exposures", exposures},
                       {"chain", chain}});
    }
    out << Json{{"person_id", a.id},
                {"from", FormatRfc3339(from)},
                {"to", FormatRfc3339(to)},
                {"items", items}}
               .dump(2)
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
      out << std::left << std::setw(8) << t.person.value << std::setw(5) << t.hop << std::setw(8)
          << t.via.value << std::setw(24) << FormatRfc3339(t.exposure_start) << std::setw(9)
          << minutes << venues << "\n";
    }
  }
  std::cerr << traced.size() << " people traced in " << std::fixed << std::setprecision(0) << micros
            << " us\n";
  return Status::Ok();
}

Status CoTravellers(Services& s, const TraceArgs& a, std::ostream& out) {
  const int64_t now = s.clock.NowMillis();
  ASSIGN_OR_RETURN(int64_t from, TimeArg(a.from, now - s.tracing.limits().retention_ms, "--from"));
  ASSIGN_OR_RETURN(int64_t to, TimeArg(a.to, now, "--to"));
  if (to <= from) return Status::InvalidArgument("must be after --from", "--to");
  auto found = s.tracing.CoTravellers(registry::SystemCaller(), PersonId(a.id), from, to, a.rows);
  if (!found.ok() && found.status().field() == "id")
    return Status::NotFound(found.status().message(), "person");
  ASSIGN_OR_RETURN(auto list, std::move(found));
  if (a.json) {
    Json items = Json::array();
    for (const auto& c : list) {
      items.push_back({{"person_id", c.person.value},
                       {"trip_id", c.trip.id},
                       {"carrier", c.trip.carrier},
                       {"service", c.trip.service},
                       {"service_date", c.trip.service_date},
                       {"seat", c.seat.Text()},
                       {"case_seat", c.case_seat.Text()},
                       {"reason", c.reason}});
    }
    out << Json{{"person_id", a.id}, {"items", items}}.dump(2) << "\n";
    return Status::Ok();
  }
  out << "person  trip                      seat              their seat        reason\n";
  for (const auto& c : list) {
    out << std::left << std::setw(8) << c.person.value << std::setw(26)
        << (c.trip.carrier + " " + c.trip.service + " " + c.trip.service_date) << std::setw(18)
        << c.case_seat.Text() << std::setw(18) << c.seat.Text() << c.reason << "\n";
  }
  return Status::Ok();
}

Status Occupancy(Services& s, const TraceArgs& a, std::ostream& out) {
  std::optional<int64_t> at;
  std::optional<std::string> day;
  if (!a.at.empty()) {
    ASSIGN_OR_RETURN(at, TimeArg(a.at, 0, "--at"));
  }
  if (!a.day.empty()) day = a.day;
  if (at && day) return Status::InvalidArgument("give --at or --day, not both", "--day");
  RETURN_IF_ERROR(StartEngine(s));
  auto found = s.tracing.VenueOccupancy(registry::SystemCaller(), VenueId(a.id), at, day);
  if (!found.ok() && found.status().field() == "day")
    return Status::InvalidArgument(found.status().message(), "--day");
  if (!found.ok() && found.status().code() == Code::kNotFound)
    return Status::NotFound(found.status().message(), "venue");
  ASSIGN_OR_RETURN(auto o, std::move(found));
  if (!o.day) {
    if (a.json) {
      out << Json{{"venue_id", a.id},
                  {"at", FormatRfc3339(o.at)},
                  {"present", o.present},
                  {"capacity", o.venue.capacity}}
                 .dump(2)
          << "\n";
    } else {
      out << o.present << " present at " << FormatRfc3339(o.at) << " (capacity " << o.venue.capacity
          << ")\n";
    }
    return Status::Ok();
  }
  const auto& d = *o.day;
  if (a.json) {
    out << Json{{"venue_id", a.id},
                {"day", a.day},
                {"visits", d.distinct_visits},
                {"peak", d.peak},
                {"peak_at", d.peak ? Json(FormatRfc3339(d.peak_at)) : Json(nullptr)},
                {"by_hour", d.by_hour}}
               .dump(2)
        << "\n";
    return Status::Ok();
  }
  out << d.distinct_visits << " visits on " << a.day << ", peak " << d.peak
      << (d.peak ? " at " + FormatRfc3339(d.peak_at) : std::string()) << " (capacity "
      << o.venue.capacity << ")\n";
  for (int h = 0; h < 24; ++h) {
    out << std::setw(2) << std::setfill('0') << h << std::setfill(' ') << ":00  " << d.by_hour[h]
        << "\n";
  }
  return Status::Ok();
}

}  // namespace

Status RunTrace(Services& s, TraceKind kind, const TraceArgs& args, std::ostream& out) {
  switch (kind) {
    case TraceKind::kContacts:
      return Contacts(s, args, out);
    case TraceKind::kCoTravellers:
      return CoTravellers(s, args, out);
    case TraceKind::kOccupancy:
      return Occupancy(s, args, out);
  }
  return Status::InvalidArgument("unknown query");
}

}  // namespace mekong::cli
