// Routes for trips, passengers, carriers' manifests and co-travellers.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Result<Response> CreateTrip(Context& ctx) {
  tracing::NewTrip t;
  t.mode = String(ctx.body, "mode");
  t.carrier = String(ctx.body, "carrier");
  t.service = String(ctx.body, "service");
  t.service_date = String(ctx.body, "service_date");
  t.origin = String(ctx.body, "origin");
  t.destination = String(ctx.body, "destination");
  t.departure = Int(ctx.body, "departure");
  t.arrival = OptInt(ctx.body, "arrival");
  ASSIGN_OR_RETURN(auto trip, ctx.svc.tracing.CreateTrip(ctx.by(), t));
  return JsonResponse(ToJson(trip), 201);
}

// A list of passengers for one trip; one bad entry refuses them all, naming it.
Result<Response> AddPassengers(Context& ctx) {
  int64_t id = Int(ctx.path, "id");
  std::vector<tracing::Passenger> list;
  const Json& items = ctx.body["passengers"];
  if (items.empty()) return Status::InvalidArgument("must hold 1 to 1000 passengers", "passengers");
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& p = items[i];
    auto seat = tracing::ParseSeat(String(p, "seat"), String(p, "carriage"));
    std::string at = "passengers[" + std::to_string(i) + "]";
    if (!seat.ok())
      return Status::InvalidArgument(seat.status().message(), at + "." + seat.status().field());
    list.push_back({PersonId(Int(p, "person_id")), *seat});
  }
  RETURN_IF_ERROR(ctx.svc.tracing.AddPassengers(ctx.by(), id, list));
  ASSIGN_OR_RETURN(auto trip, ctx.svc.tracing.GetTrip(ctx.by(), id));
  return JsonResponse({{"trip", ToJson(trip)}, {"added_or_reseated", list.size()}});
}

// A carrier's manifest as CSV (text/csv) or NDJSON (application/x-ndjson); ?strict=true
// writes nothing when any line is bad.
Result<Response> ImportManifest(Context& ctx) {
  auto format = IsMediaType(ctx.req.content_type, "text/csv") ? tracing::ImportFormat::kCsv
                                                              : tracing::ImportFormat::kNdjson;
  bool strict = OptBool(ctx.query, "strict").value_or(false);
  ASSIGN_OR_RETURN(auto r, ctx.svc.tracing.ImportManifest(ctx.by(), ctx.req.body, format, strict));
  if (strict && !r.rejected.empty()) {
    const auto& first = r.rejected.front();
    return JsonResponse(
        {{"error",
          {{"code", "invalid_argument"},
           {"message", std::to_string(r.rejected.size()) +
                           " lines rejected, nothing imported; first: line " +
                           std::to_string(first.line) + ": " + first.reason},
           {"field", first.field.empty() ? "line " + std::to_string(first.line) : first.field}}},
         {"rejected", ToJson(r.rejected)}},
        400);
  }
  return JsonResponse({{"passengers", r.passengers},
                       {"trips_created", r.trips_created},
                       {"rejected", ToJson(r.rejected)}},
                      201);
}

std::pair<int64_t, int64_t> Window(const Context& ctx) {
  int64_t from =
      OptInt(ctx.query, "from").value_or(ctx.now - ctx.svc.tracing.limits().retention_ms);
  return {from, OptInt(ctx.query, "to").value_or(ctx.now)};
}

Result<Response> PersonTrips(Context& ctx) {
  auto [from, to] = Window(ctx);
  if (to <= from) return Status::InvalidArgument("must be after from", "to");
  int64_t id = Int(ctx.path, "id");
  ASSIGN_OR_RETURN(auto trips, ctx.svc.tracing.PersonTrips(ctx.by(), PersonId(id), from, to));
  Json items = Json::array();
  for (const auto& t : trips) items.push_back({{"trip", ToJson(t.trip)}, {"seat", ToJson(t.seat)}});
  return JsonResponse({{"person_id", id}, {"items", items}});
}

// Query 3: who shared a trip with this person, near enough (?rows, default 2).
Result<Response> CoTravellers(Context& ctx) {
  auto [from, to] = Window(ctx);
  if (to <= from) return Status::InvalidArgument("must be after from", "to");
  int64_t id = Int(ctx.path, "id");
  int rows = static_cast<int>(OptInt(ctx.query, "rows").value_or(2));
  ASSIGN_OR_RETURN(auto list, ctx.svc.tracing.CoTravellers(ctx.by(), PersonId(id), from, to, rows));
  Json items = Json::array();
  for (const auto& c : list) {
    items.push_back({{"person_id", c.person.value},
                     {"trip", ToJson(c.trip)},
                     {"seat", ToJson(c.seat)},
                     {"case_seat", ToJson(c.case_seat)},
                     {"rows_apart", c.rows_apart ? Json(*c.rows_apart) : Json(nullptr)},
                     {"reason", c.reason}});
  }
  return JsonResponse({{"person_id", id},
                       {"from", FormatRfc3339(from)},
                       {"to", FormatRfc3339(to)},
                       {"rows", rows},
                       {"items", items}});
}

}  // namespace

std::vector<Route> TravelRoutes() {
  using C = Capability;
  Schema passenger = Schema::Object({Required("person_id", Schema::Id()),
                                     Optional("seat", Schema::String(8).Doc("12C, or a row alone")),
                                     Optional("carriage", Schema::String(16))});
  return {
      {.method = "POST",
       .path = "/api/v1/trips",
       .operation = "createTrip",
       .summary = "Record a trip (flight, train, bus, ferry)",
       .tag = "travel",
       .access = Needs(C::kManageTravel, Scope::kShared),
       .body = Schema::Object(
           {Required("mode", Schema::Enum({"flight", "train", "bus", "ferry"})),
            Required("carrier", Schema::String(40)), Required("service", Schema::String(40)),
            Optional("service_date", Schema::Date()), Required("origin", Schema::String(40)),
            Required("destination", Schema::String(40)), Required("departure", Schema::Time()),
            Optional("arrival", Schema::Time())}),
       .response = TripSchema(),
       .status = 201,
       .handler = CreateTrip},
      {.method = "GET",
       .path = "/api/v1/trips/{id}",
       .operation = "getTrip",
       .summary = "A trip and its passenger count",
       .tag = "travel",
       .access = Needs(C::kManageTravel, Scope::kShared),
       .response = TripSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto trip, ctx.svc.tracing.GetTrip(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(trip));
       },
       .resource = "trip"},
      {.method = "POST",
       .path = "/api/v1/trips/{id}/passengers",
       .operation = "addPassengers",
       .summary = "Add or re-seat passengers (all or none)",
       .tag = "travel",
       .access = Needs(C::kManageTravel, Scope::kShared),
       .body = Schema::Object({Required("passengers", Schema::Array(passenger, 1000))}),
       .response = Schema::Object(
           {Required("trip", TripSchema()), Required("added_or_reseated", Schema::Integer())}),
       .handler = AddPassengers,
       .resource = "trip"},
      {.method = "POST",
       .path = "/api/v1/travel/manifests",
       .operation = "importManifest",
       .summary = "Import a carrier's manifest, CSV or NDJSON (?strict=true: all or nothing)",
       .tag = "travel",
       .access = Needs(C::kManageTravel, Scope::kShared),
       .query = {Optional("strict", Schema::Boolean())},
       .body_types = {"text/csv", "application/x-ndjson"},
       .response = Schema::Object({Required("passengers", Schema::Integer()),
                                   Required("trips_created", Schema::Integer()),
                                   Required("rejected", RejectedSchema())}),
       .status = 201,
       .handler = ImportManifest},
      {.method = "GET",
       .path = "/api/v1/people/{id}/trips",
       .operation = "listPersonTrips",
       .summary = "A person's trips (?from, to)",
       .tag = "travel",
       .access = Needs(C::kTrace, Scope::kOrgUnit),
       .query = {Optional("from", Schema::Time()), Optional("to", Schema::Time())},
       .response = Schema::Object(
           {Required("person_id", Schema::Integer()),
            Required("items", Schema::Array(Schema::Object({Required("trip", TripSchema()),
                                                            Required("seat", SeatSchema())}),
                                            100000))}),
       .handler = PersonTrips,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/co-travellers",
       .operation = "listCoTravellers",
       .summary = "Who shared a trip with this person: same carriage, or within ?rows seat rows "
                  "(default 2)",
       .tag = "travel",
       .access = Needs(C::kTrace, Scope::kOrgUnit),
       .query = {Optional("from", Schema::Time()), Optional("to", Schema::Time()),
                 Optional("rows", Schema::Integer(0, 50))},
       .response = Schema::Object(
           {Required("person_id", Schema::Integer()), Required("from", Schema::Time()),
            Required("to", Schema::Time()), Required("rows", Schema::Integer()),
            Required(
                "items",
                Schema::Array(
                    Schema::Object({Required("person_id", Schema::Integer()),
                                    Required("trip", TripSchema()), Required("seat", SeatSchema()),
                                    Required("case_seat", SeatSchema()),
                                    Required("rows_apart", Schema::Integer().Nullable()),
                                    Required("reason", Schema::String())}),
                    100000))}),
       .handler = CoTravellers,
       .resource = "person"},
  };
}

}  // namespace mekong::http
