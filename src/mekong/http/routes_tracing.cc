// Routes for venue posters and check-ins.
#include "mekong/core/time.h"
#include "mekong/http/handler_support.h"
#include "mekong/qr/qr.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/import.h"

namespace mekong::http {

namespace {

tracing::Limits LimitsOf(const Context& ctx) {
  const Config& c = ctx.svc.config;
  return {int64_t{c.max_stay_hours} * kMillisPerHour, 5 * kMillisPerMinute,
          int64_t{c.retention_days} * kMillisPerDay};
}

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
  ASSIGN_OR_RETURN(auto qr_text, body.OptStr("qr", 200));
  ASSIGN_OR_RETURN(auto venue_id, body.OptInt("venue_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto person_id, body.OptInt("person_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto time_in, body.OptTime("time_in"));
  RETURN_IF_ERROR(body.Done());
  const registry::Caller& caller = *ctx.caller;

  PersonId person;
  if (caller.role == Role::kCitizen) {
    if (person_id && (!caller.person || caller.person->value != *person_id)) {
      return Status::PermissionDenied("citizens check in only themselves");
    }
    if (!caller.person) return Status::FailedPrecondition("this account has no person record");
    person = *caller.person;
  } else {
    if (!person_id) return Status::InvalidArgument("is required", "person_id");
    person = PersonId(*person_id);
  }
  if (qr_text.has_value() == venue_id.has_value()) {
    return Status::InvalidArgument("give exactly one of qr (the poster's text) or venue_id", "qr");
  }
  if (caller.role == Role::kCitizen && venue_id) {
    return Status::InvalidArgument("citizens check in by scanning the venue's QR poster", "venue_id");
  }
  std::string source = caller.role == Role::kCitizen ? "qr" : caller.role == Role::kDevice ? "device" : "staff";
  tracing::Checkin made;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    VenueId venue;
    if (qr_text) {
      ASSIGN_OR_RETURN(venue, registry::VerifyPosterText(tx, *qr_text));
    } else {
      venue = VenueId(*venue_id);
    }
    if (caller.role != Role::kCitizen) {
      // Staff and devices act only at venues and on people inside their org unit.
      ASSIGN_OR_RETURN(auto v, Referenced(registry::GetVenue(tx, venue), "venue_id"));
      RETURN_IF_ERROR(RequireCovers(ctx, v.org_path));
      ASSIGN_OR_RETURN(auto p, Referenced(registry::GetPerson(tx, person), "person_id"));
      (void)p;
      RETURN_IF_ERROR(registry::LogAccess(tx, caller, person, "record check-in", ctx.now));
    }
    ASSIGN_OR_RETURN(made, tracing::CheckIn(tx, person, venue, time_in.value_or(ctx.now), source, ctx.now,
                                            LimitsOf(ctx)));
    return Status::Ok();
  }));
  return JsonResponse(ToJson(made), 201);
}

// A venue scanner's or gate's upload: many check-ins at once, durable when answered.
Result<Response> CreateCheckinBatch(Context& ctx) {
  nlohmann::json j = nlohmann::json::parse(ctx.req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("request body must be a JSON object", "body");
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
  ASSIGN_OR_RETURN(auto r, tracing::ImportCheckins(ctx.svc.db, lines, tracing::ImportFormat::kNdjson, strict, ctx.now,
                                                   LimitsOf(ctx), [&](const std::string& path) {
                                                     return registry::Covers(*ctx.caller, path);
                                                   }));
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
  tracing::Checkin out;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto c, tracing::GetCheckin(tx, CheckinId(id)));
    if (ctx.caller->role == Role::kCitizen) {
      if (!ctx.caller->person || *ctx.caller->person != c.person) {
        return Status::PermissionDenied("citizens check out only themselves");
      }
    } else {
      ASSIGN_OR_RETURN(auto v, registry::GetVenue(tx, c.venue));
      RETURN_IF_ERROR(RequireCovers(ctx, v.org_path));
    }
    ASSIGN_OR_RETURN(out, tracing::CheckOut(tx, c.id, time_out.value_or(ctx.now), ctx.now, LimitsOf(ctx)));
    return Status::Ok();
  }));
  return JsonResponse(ToJson(out));
}

Result<Response> PersonCheckins(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "read check-ins"));
  int64_t from = ctx.now - int64_t{ctx.svc.config.retention_days} * kMillisPerDay;
  ASSIGN_OR_RETURN(auto list, tracing::PersonCheckins(ctx.svc.db, p.id, from, ctx.now + kMillisPerDay));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}});
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
