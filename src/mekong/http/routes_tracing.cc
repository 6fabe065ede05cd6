// Routes for venue posters and check-ins.
#include "mekong/core/log.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/http/handler_support.h"
#include "mekong/qr/qr.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/import.h"

namespace mekong::http {

namespace {

Json ToJson(const tracing::Checkin& c) {
  return {{"id", c.id.value},
          {"person_id", c.person.value},
          {"venue_id", c.venue.value},
          {"time_in", Time(c.time_in)},
          {"time_out", Time(c.time_out)},
          {"closed_by", tracing::ClosedByName(c.closed_by)},
          {"source", c.source}};
}

// The venue a poster belongs to, checked against the caller's org unit.
Result<registry::Venue> ManagedVenue(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto v, registry::GetVenue(ctx.svc.db, VenueId(id)));
  RETURN_IF_ERROR(RequireCovers(ctx, v.org_path));
  return v;
}

Result<Response> PosterJson(Context& ctx) {
  ASSIGN_OR_RETURN(auto v, ManagedVenue(ctx));
  ASSIGN_OR_RETURN(std::string text, registry::PosterText(ctx.svc.db, v.id));
  return JsonResponse({{"venue_id", v.id.value}, {"name", v.name}, {"qr_text", text}});
}

Result<Response> PosterImage(Context& ctx, bool png) {
  ASSIGN_OR_RETURN(auto v, ManagedVenue(ctx));
  ASSIGN_OR_RETURN(std::string text, registry::PosterText(ctx.svc.db, v.id));
  qr::Options options;
  options.ec = qr::ErrorCorrection::kQuartile;  // posters get scuffed and photographed at angles
  Response r;
  if (png) {
    ASSIGN_OR_RETURN(r.body, qr::RenderPng(text, options));
    r.content_type = "image/png";
  } else {
    ASSIGN_OR_RETURN(r.body, qr::RenderSvg(text, options));
    r.content_type = "image/svg+xml";
  }
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"venue-" + std::to_string(v.id.value) + (png ? ".png\"" : ".svg\""));
  return r;
}

Result<Response> CreateCheckin(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  tracing::NewCheckin in;
  ASSIGN_OR_RETURN(in.qr, body.OptStr("qr", 200));
  ASSIGN_OR_RETURN(auto venue_id, body.OptInt("venue_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto person_id, body.OptInt("person_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(in.time_in, body.OptTime("time_in"));
  RETURN_IF_ERROR(body.Done());
  if (venue_id) in.venue = VenueId(*venue_id);
  if (person_id) in.person = PersonId(*person_id);
  ASSIGN_OR_RETURN(auto made, ctx.svc.tracing.CheckIn(*ctx.caller, in));
  return JsonResponse(ToJson(made.checkin), 201);
}

// A venue scanner's or gate's upload: many check-ins at once, durable when answered.
Result<Response> CreateCheckinBatch(Context& ctx) {
  ASSIGN_OR_RETURN(Json j, ParseJsonBody(ctx.req));
  for (const auto& [k, _] : j.items()) {
    if (k != "checkins" && k != "strict") return Status::InvalidArgument("unknown field", k);
  }
  if (!j.contains("checkins") || !j["checkins"].is_array()) {
    return Status::InvalidArgument("must be an array of check-ins", "checkins");
  }
  if (j["checkins"].empty() || j["checkins"].size() > 10000) {
    return Status::InvalidArgument("must hold 1 to 10000 check-ins", "checkins");
  }
  if (j.contains("strict") && !j["strict"].is_boolean()) return Status::InvalidArgument("must be a boolean", "strict");
  bool strict = j.value("strict", false);
  std::string lines;
  for (const auto& c : j["checkins"]) lines += c.dump() + "\n";  // one NDJSON line per item
  ASSIGN_OR_RETURN(auto r, ctx.svc.tracing.Import(*ctx.caller, lines, tracing::ImportFormat::kNdjson, strict));
  Json rejected = Json::array();
  for (const auto& x : r.rejected) {
    rejected.push_back({{"index", x.line - 1}, {"field", x.field.empty() ? Json(nullptr) : Json(x.field)},
                        {"reason", x.reason}});
  }
  if (strict && !r.rejected.empty()) {
    const auto& first = r.rejected.front();
    return Status::InvalidArgument(std::to_string(r.rejected.size()) + " of " + std::to_string(j["checkins"].size()) +
                                       " check-ins rejected, nothing imported; first: " + first.reason,
                                   "checkins[" + std::to_string(first.line - 1) + "]" +
                                       (first.field.empty() ? "" : "." + first.field));
  }
  return JsonResponse({{"imported", r.imported}, {"rejected", rejected}}, 201);
}

Result<Response> Checkout(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(auto time_out, body.OptTime("time_out"));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(auto out, ctx.svc.tracing.CheckOut(*ctx.caller, CheckinId(id), time_out));
  return JsonResponse(ToJson(out));
}

Result<Response> PersonCheckins(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto list, ctx.svc.tracing.PersonCheckins(*ctx.caller, PersonId(id)));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}});
}

Json ExposuresJson(const std::vector<tracing::Exposure>& list) {
  Json out = Json::array();
  for (const auto& e : list) {
    out.push_back({{"venue_id", e.venue.value}, {"start", Time(e.start)}, {"end", Time(e.end)},
                   {"minutes", e.minutes()}});
  }
  return out;
}

// Query 1 and 2: who shared a place with this person in a window, to a depth.
Result<Response> PersonContacts(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto from, QueryTime(ctx, "from"));
  ASSIGN_OR_RETURN(auto to, QueryTime(ctx, "to"));
  ASSIGN_OR_RETURN(auto depth, QueryInt(ctx, "depth"));
  ASSIGN_OR_RETURN(auto minutes, QueryInt(ctx, "min_overlap_minutes"));
  if (depth && (*depth < 1 || *depth > 3)) return Status::InvalidArgument("must be between 1 and 3", "depth");
  if (minutes && (*minutes < 0 || *minutes > 24 * 60)) {
    return Status::InvalidArgument("must be between 0 and 1440", "min_overlap_minutes");
  }
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ctx.svc.db));
  int64_t ws = from.value_or(ctx.now - policy.infectious_before_ms), we = to.value_or(ctx.now);
  if (we <= ws) return Status::InvalidArgument("must be after from", "to");
  int64_t m = minutes ? *minutes * kMillisPerMinute : policy.min_overlap_ms;
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "trace contacts"));
  ASSIGN_OR_RETURN(auto traced, ctx.svc.tracing.Trace(p.id, ws, we, m, static_cast<int>(depth.value_or(1))));
  Json items = Json::array();
  for (const auto& t : traced) {
    Json chain = Json::array();
    for (auto c : t.chain) chain.push_back(c.value);
    int64_t total = 0;
    for (const auto& e : t.exposures) total += e.minutes();
    items.push_back({{"person_id", t.person.value}, {"hop", t.hop}, {"via_person_id", t.via.value},
                     {"exposure_start", Time(t.exposure_start)}, {"total_minutes", total},
                     {"exposures", ExposuresJson(t.exposures)}, {"chain", chain}});
  }
  return JsonResponse({{"person_id", id}, {"from", Time(ws)}, {"to", Time(we)}, {"min_overlap_minutes", m / kMillisPerMinute},
                       {"items", items}});
}

// Query 4: people present at an instant, or a day's visits, peak and hourly peaks.
Result<Response> Occupancy(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto at, QueryTime(ctx, "at"));
  ASSIGN_OR_RETURN(auto o, ctx.svc.tracing.VenueOccupancy(*ctx.caller, VenueId(id), at, ctx.req.QueryValue("day")));
  if (o.day) {
    const auto& d = *o.day;
    return JsonResponse({{"venue_id", id}, {"day", o.day_text}, {"capacity", o.venue.capacity},
                         {"visits", d.distinct_visits}, {"peak", d.peak},
                         {"peak_at", d.peak ? Time(d.peak_at) : Json(nullptr)}, {"by_hour", d.by_hour}});
  }
  return JsonResponse({{"venue_id", id}, {"at", Time(o.at)}, {"capacity", o.venue.capacity}, {"present", o.present}});
}

// Query 5: "was I where a case was, when they were infectious?" From the citizen's own
// check-ins; the answer names places and times, never the case.
Result<Response> ExposureCheck(Context& ctx) {
  if (!ctx.caller->person) return Status::FailedPrecondition("this account has no person record");
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ctx.svc.db));
  int64_t since = ctx.now - int64_t{ctx.svc.config.retention_days} * kMillisPerDay;
  ASSIGN_OR_RETURN(auto cases, ctx.svc.db.Query("SELECT person_id, window_start, window_end FROM case_record WHERE "
                                                "window_end > ? AND person_id <> ?",
                                                {since, ctx.caller->person->value}));
  std::vector<tracing::Stay> case_stays;
  for (size_t i = 0; i < cases.size(); ++i) {
    PersonId c(cases.Int(i, 0));
    int64_t ws = cases.Int(i, 1), we = cases.Int(i, 2);
    ASSIGN_OR_RETURN(auto stays, ctx.svc.tracing.PersonStays(c, ws, we));
    for (auto& s : stays) {
      s.time_in = std::max(s.time_in, ws);  // only the infectious part counts
      s.time_out = std::min(s.time_out, we);
      if (s.time_out > s.time_in) case_stays.push_back(s);
    }
  }
  ASSIGN_OR_RETURN(auto matches, ctx.svc.tracing.SelfCheck(*ctx.caller->person, case_stays, policy.min_overlap_ms));
  Json items = Json::array();
  for (const auto& m : matches) {
    items.push_back({{"venue_id", m.venue.value}, {"start", Time(m.start)}, {"end", Time(m.end)},
                     {"minutes", (m.end - m.start) / kMillisPerMinute}});
  }
  return JsonResponse({{"exposed", !matches.empty()}, {"items", items}});
}

constexpr const char* kCheckinSchema =
    R"({"type":"object","additionalProperties":false,"properties":{"qr":{"type":"string","description":"the venue poster's QR text"},"venue_id":{"type":"integer"},"person_id":{"type":"integer","description":"required for staff and devices"},"time_in":{"type":"string","format":"date-time"}}})";
constexpr const char* kBatchSchema =
    R"js({"type":"object","required":["checkins"],"additionalProperties":false,"properties":{"strict":{"type":"boolean"},"checkins":{"type":"array","maxItems":10000,"items":{"type":"object","required":["person_id","venue_id","time_in"],"additionalProperties":false,"properties":{"person_id":{"type":"integer"},"venue_id":{"type":"integer"},"time_in":{"type":"string","format":"date-time"},"time_out":{"type":"string","format":"date-time"}}}}}})js";
constexpr const char* kCheckoutSchema =
    R"({"type":"object","additionalProperties":false,"properties":{"time_out":{"type":"string","format":"date-time"}}})";

}  // namespace

std::vector<Route> TracingRoutes() {
  std::vector<Role> managers = {Role::kAdmin, Role::kCommandOfficer, Role::kVenueOperator};
  std::vector<Role> checkin_roles = {Role::kCitizen, Role::kDevice, Role::kAdmin, Role::kCommandOfficer,
                                     Role::kTracer, Role::kVenueOperator};
  auto readers = kStaff;
  readers.push_back(Role::kCitizen);
  return {
      {"GET", "/api/v1/venues/{id}/poster", "The venue's signed QR text", "tracing", false, managers, PosterJson},
      {"GET", "/api/v1/people/{id}/contacts",
       "Who shared a venue with this person (?from, to, depth 1-3, min_overlap_minutes): time-respecting hops",
       "tracing", false, {Role::kAdmin, Role::kCommandOfficer, Role::kTracer}, PersonContacts},
      {"GET", "/api/v1/venues/{id}/occupancy", "People present (?at) or a day's visits and peaks (?day=YYYY-MM-DD)",
       "tracing", false, {Role::kAdmin, Role::kCommandOfficer, Role::kTracer, Role::kVenueOperator}, Occupancy},
      {"GET", "/api/v1/me/exposure-check", "Was I at a place at the same time as a case? (never says who)",
       "tracing", false, {Role::kCitizen}, ExposureCheck},
      {"GET", "/api/v1/venues/{id}/poster.png", "The venue's QR poster as PNG", "tracing", false, managers,
       [](Context& ctx) { return PosterImage(ctx, true); }, "", 200, "image/png"},
      {"GET", "/api/v1/venues/{id}/poster.svg", "The venue's QR poster as SVG", "tracing", false, managers,
       [](Context& ctx) { return PosterImage(ctx, false); }, "", 200, "image/svg+xml"},
      {"POST", "/api/v1/checkins", "Check in at a venue (a citizen scans its poster)", "tracing", false,
       checkin_roles, CreateCheckin, kCheckinSchema, 201},
      {"POST", "/api/v1/checkins/{id}/checkout", "Check out", "tracing", false, checkin_roles, Checkout,
       kCheckoutSchema},
      {"POST", "/api/v1/checkins/batch", "Many check-ins at once (venue scanners, gates); durable when answered",
       "tracing", false, {Role::kDevice, Role::kVenueOperator, Role::kAdmin, Role::kCommandOfficer},
       CreateCheckinBatch, kBatchSchema, 201},
      {"GET", "/api/v1/people/{id}/checkins", "A person's check-ins within the retention period", "tracing", false,
       readers, PersonCheckins},
  };
}

}  // namespace mekong::http
