// Routes for trips, passengers, carriers' manifests and co-travellers.
#include "mekong/core/time.h"
#include "mekong/http/handler_support.h"
#include "mekong/tracing/travel.h"

namespace mekong::http {

namespace {

Json ToJson(const tracing::Trip& t) {
  return {{"id", t.id},
          {"mode", t.mode},
          {"carrier", t.carrier},
          {"service", t.service},
          {"service_date", t.service_date},
          {"origin", t.origin},
          {"destination", t.destination},
          {"departure", Time(t.departure)},
          {"arrival", Time(t.arrival)},
          {"passengers", t.passengers}};
}

Json SeatJson(const tracing::Seat& s) {
  return {{"row", s.row ? Json(*s.row) : Json(nullptr)},
          {"letter", s.letter.empty() ? Json(nullptr) : Json(s.letter)},
          {"carriage", s.carriage.empty() ? Json(nullptr) : Json(s.carriage)},
          {"text", s.Text()}};
}

Json RejectedJson(const std::vector<tracing::Rejected>& list) {
  Json out = Json::array();
  for (const auto& x : list) {
    out.push_back({{"line", x.line}, {"field", x.field.empty() ? Json(nullptr) : Json(x.field)}, {"reason", x.reason}});
  }
  return out;
}

Result<Response> CreateTrip(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  tracing::NewTrip t;
  ASSIGN_OR_RETURN(t.mode, body.Str("mode", 10));
  ASSIGN_OR_RETURN(t.carrier, body.Str("carrier", 40));
  ASSIGN_OR_RETURN(t.service, body.Str("service", 40));
  ASSIGN_OR_RETURN(auto date, body.OptStr("service_date", 10));
  t.service_date = date.value_or("");
  ASSIGN_OR_RETURN(t.origin, body.Str("origin", 40));
  ASSIGN_OR_RETURN(t.destination, body.Str("destination", 40));
  ASSIGN_OR_RETURN(auto departure, body.OptTime("departure"));
  if (!departure) return Status::InvalidArgument("is required", "departure");
  t.departure = *departure;
  ASSIGN_OR_RETURN(t.arrival, body.OptTime("arrival"));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(auto trip, tracing::CreateTrip(ctx.svc.db, t, ctx.now, LimitsOf(ctx)));
  return JsonResponse(ToJson(trip), 201);
}

Result<Response> GetTrip(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto trip, tracing::GetTrip(ctx.svc.db, id));
  return JsonResponse(ToJson(trip));
}

// A list of passengers for one trip; one bad entry refuses them all, naming it.
Result<Response> AddPassengers(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(Json j, ParseJsonBody(ctx.req));
  for (const auto& [k, _] : j.items()) {
    if (k != "passengers") return Status::InvalidArgument("unknown field", k);
  }
  if (!j.contains("passengers") || !j["passengers"].is_array() || j["passengers"].empty() ||
      j["passengers"].size() > 1000) {
    return Status::InvalidArgument("must be an array of 1 to 1000 passengers", "passengers");
  }
  std::vector<tracing::Passenger> list;
  Status s = ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto trip, tracing::GetTrip(tx, id));
    (void)trip;
    for (size_t i = 0; i < j["passengers"].size(); ++i) {
      const Json& p = j["passengers"][i];
      std::string at = "passengers[" + std::to_string(i) + "]";
      if (!p.is_object()) return Status::InvalidArgument("must be an object", at);
      for (const auto& [k, _] : p.items()) {
        if (k != "person_id" && k != "seat" && k != "carriage") return Status::InvalidArgument("unknown field", at + "." + k);
      }
      if (!p.contains("person_id") || !p["person_id"].is_number_integer() || p["person_id"].get<int64_t>() <= 0) {
        return Status::InvalidArgument("must be a positive integer", at + ".person_id");
      }
      for (const char* k : {"seat", "carriage"}) {
        if (p.contains(k) && !p[k].is_string()) return Status::InvalidArgument("must be a string", at + "." + k);
      }
      auto seat = tracing::ParseSeat(p.value("seat", ""), p.value("carriage", ""));
      if (!seat.ok()) return Status::InvalidArgument(seat.status().message(), at + "." + seat.status().field());
      PersonId person(p["person_id"].get<int64_t>());
      ASSIGN_OR_RETURN(auto r, tx.Query("SELECT 1 FROM person WHERE id = ?", {person.value}));
      if (r.empty()) return Status::NotFound("no person " + std::to_string(person.value), at + ".person_id");
      list.push_back({person, *seat});
    }
    return tracing::PutPassengers(tx, id, list);
  });
  if (!s.ok()) {
    if (s.code() == Code::kNotFound && s.field() == "id") return Status::NotFound(s.message(), "id");
    return s;
  }
  ASSIGN_OR_RETURN(auto trip, tracing::GetTrip(ctx.svc.db, id));
  return JsonResponse({{"trip", ToJson(trip)}, {"added_or_reseated", list.size()}});
}

// A carrier's manifest as CSV (text/csv) or NDJSON (application/x-ndjson); ?strict=true
// writes nothing when any line is bad.
Result<Response> ImportManifest(Context& ctx) {
  const std::string& ct = ctx.req.content_type;
  tracing::ImportFormat format;
  if (ct.rfind("text/csv", 0) == 0) {
    format = tracing::ImportFormat::kCsv;
  } else if (ct.rfind("application/x-ndjson", 0) == 0) {
    format = tracing::ImportFormat::kNdjson;
  } else {
    return Status::InvalidArgument("must be text/csv or application/x-ndjson", "Content-Type");
  }
  auto strict_text = ctx.req.QueryValue("strict");
  if (strict_text && *strict_text != "true" && *strict_text != "false") {
    return Status::InvalidArgument("must be true or false", "strict");
  }
  bool strict = strict_text == "true";
  ASSIGN_OR_RETURN(auto r, tracing::ImportManifest(ctx.svc.db, ctx.req.body, format, strict, ctx.now, LimitsOf(ctx)));
  if (strict && !r.rejected.empty()) {
    const auto& first = r.rejected.front();
    return JsonResponse({{"error", {{"code", "invalid_argument"},
                                    {"message", std::to_string(r.rejected.size()) +
                                                    " lines rejected, nothing imported; first: line " +
                                                    std::to_string(first.line) + ": " + first.reason},
                                    {"field", first.field.empty() ? "line " + std::to_string(first.line) : first.field}}},
                         {"rejected", RejectedJson(r.rejected)}},
                        400);
  }
  return JsonResponse({{"passengers", r.passengers}, {"trips_created", r.trips_created},
                       {"rejected", RejectedJson(r.rejected)}},
                      201);
}

Result<std::pair<int64_t, int64_t>> Window(Context& ctx) {
  ASSIGN_OR_RETURN(auto from, QueryTime(ctx, "from"));
  ASSIGN_OR_RETURN(auto to, QueryTime(ctx, "to"));
  int64_t f = from.value_or(ctx.now - int64_t{ctx.svc.config.retention_days} * kMillisPerDay), t = to.value_or(ctx.now);
  if (t <= f) return Status::InvalidArgument("must be after from", "to");
  return std::pair{f, t};
}

Result<Response> PersonTrips(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto window, Window(ctx));
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "read trips"));
  ASSIGN_OR_RETURN(auto trips, tracing::PersonTrips(ctx.svc.db, p.id, window.first, window.second));
  Json items = Json::array();
  for (const auto& t : trips) items.push_back({{"trip", ToJson(t.trip)}, {"seat", SeatJson(t.seat)}});
  return JsonResponse({{"person_id", id}, {"items", items}});
}

// Query 3: who shared a trip with this person, near enough (?rows, default 2).
Result<Response> CoTravellers(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto window, Window(ctx));
  ASSIGN_OR_RETURN(auto rows, QueryInt(ctx, "rows"));
  if (rows && (*rows < 0 || *rows > 50)) return Status::InvalidArgument("must be between 0 and 50", "rows");
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "trace co-travellers"));
  ASSIGN_OR_RETURN(auto list, tracing::CoTravellers(ctx.svc.db, p.id, window.first, window.second,
                                                    static_cast<int>(rows.value_or(2))));
  Json items = Json::array();
  for (const auto& c : list) {
    items.push_back({{"person_id", c.person.value},
                     {"trip", ToJson(c.trip)},
                     {"seat", SeatJson(c.seat)},
                     {"case_seat", SeatJson(c.case_seat)},
                     {"rows_apart", c.rows_apart ? Json(*c.rows_apart) : Json(nullptr)},
                     {"reason", c.reason}});
  }
  return JsonResponse({{"person_id", id}, {"from", Time(window.first)}, {"to", Time(window.second)},
                       {"rows", rows.value_or(2)}, {"items", items}});
}

constexpr const char* kTripSchema =
    R"({"type":"object","required":["mode","carrier","service","origin","destination","departure"],"additionalProperties":false,"properties":{"mode":{"enum":["flight","train","bus","ferry"]},"carrier":{"type":"string"},"service":{"type":"string"},"service_date":{"type":"string","format":"date"},"origin":{"type":"string"},"destination":{"type":"string"},"departure":{"type":"string","format":"date-time"},"arrival":{"type":"string","format":"date-time"}}})";
constexpr const char* kPassengersSchema =
    R"({"type":"object","required":["passengers"],"additionalProperties":false,"properties":{"passengers":{"type":"array","maxItems":1000,"items":{"type":"object","required":["person_id"],"additionalProperties":false,"properties":{"person_id":{"type":"integer"},"seat":{"type":"string","example":"12C"},"carriage":{"type":"string"}}}}}})";
constexpr const char* kManifestSchema =
    R"js({"type":"string","description":"CSV with a header (mode,carrier,service,service_date,origin,destination,departure,arrival,seat,carriage,person_id,document_number,nationality), or NDJSON with those keys (send application/x-ndjson)"})js";

}  // namespace

std::vector<Route> TravelRoutes() {
  std::vector<Role> tracers = {Role::kAdmin, Role::kCommandOfficer, Role::kTracer};
  return {
      {"POST", "/api/v1/trips", "Record a trip (flight, train, bus, ferry)", "travel", false, tracers, CreateTrip,
       kTripSchema, 201},
      {"GET", "/api/v1/trips/{id}", "A trip and its passenger count", "travel", false, tracers, GetTrip},
      {"POST", "/api/v1/trips/{id}/passengers", "Add or re-seat passengers (all or none)", "travel", false, tracers,
       AddPassengers, kPassengersSchema},
      {"POST", "/api/v1/travel/manifests", "Import a carrier's manifest (?strict=true: all or nothing)", "travel",
       false, tracers, ImportManifest, kManifestSchema, 201, "application/json", "text/csv"},
      {"GET", "/api/v1/people/{id}/trips", "A person's trips (?from, to)", "travel", false, tracers, PersonTrips},
      {"GET", "/api/v1/people/{id}/co-travellers",
       "Who shared a trip with this person: same carriage, or within ?rows seat rows (default 2)", "travel", false,
       tracers, CoTravellers},
  };
}

}  // namespace mekong::http
