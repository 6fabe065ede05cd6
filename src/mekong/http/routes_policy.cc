// Routes for the health-code policy, risk areas, and the health events that change codes:
// test results, vaccinations and symptom reports.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Json PolicyJson(const healthcode::PolicyVersion& v, bool with_text = true) {
  Json j = {{"version", v.version},
            {"name", v.name},
            {"activated_at", FormatRfc3339(v.activated_at)},
            {"activated_by", v.activated_by ? Json(*v.activated_by) : Json(nullptr)}};
  if (with_text) j["text"] = v.text;
  return j;
}

Schema PolicySchema(bool with_text = true) {
  std::vector<Field> f = {Required("version", Schema::Integer()),
                          Required("name", Schema::String()),
                          Required("activated_at", Schema::Time()),
                          Required("activated_by", Schema::Integer().Nullable())};
  if (with_text) f.push_back(Required("text", Schema::Text(1 << 20)));
  return Schema::Object(std::move(f));
}

Json ActivationJson(const healthcode::Activation& a) {
  return {{"version", a.policy.version}, {"name", a.policy.name}, {"recomputed", a.recomputed}};
}

Schema ActivationSchema() {
  return Schema::Object({Required("version", Schema::Integer()), Required("name", Schema::String()),
                         Required("recomputed", Schema::Integer())});
}

Result<Response> CheckPolicy(Context& ctx) {
  std::vector<healthcode::PolicyError> errors;
  auto p = healthcode::ParsePolicy(ctx.req.body, &errors);
  if (!p.ok()) return FileErrorsResponse(errors, "policy");
  return JsonResponse({{"valid", true},
                       {"version", p->version},
                       {"name", p->name},
                       {"risk_areas", p->risk_areas.size()}});
}

Result<Response> PutPolicy(Context& ctx) {
  std::vector<healthcode::PolicyError> errors;
  if (!healthcode::ParsePolicy(ctx.req.body, &errors).ok())
    return FileErrorsResponse(errors, "policy");
  ASSIGN_OR_RETURN(auto done, ctx.svc.codes.ActivatePolicy(ctx.by(), ctx.req.body));
  return JsonResponse(ActivationJson(done), 201);
}

// Declaring or lifting an area is a new policy version: the active one plus the change.
Result<Response> DeclareRiskArea(Context& ctx) {
  healthcode::RiskArea a;
  a.id = String(ctx.body, "id");
  a.name = String(ctx.body, "name");
  a.level =
      String(ctx.body, "level") == "high" ? healthcode::Colour::kRed : healthcode::Colour::kYellow;
  if (auto v = OptInt(ctx.body, "venue_id")) a.venue = VenueId(*v);
  if (auto o = OptInt(ctx.body, "org_unit_id")) a.org_unit = OrgUnitId(*o);
  a.from = Int(ctx.body, "from");
  a.to = OptInt(ctx.body, "to");
  if (a.to && *a.to <= a.from) return Status::InvalidArgument("must be after from", "to");
  a.min_stay_ms = OptInt(ctx.body, "min_stay_minutes").value_or(15) * kMillisPerMinute;
  ASSIGN_OR_RETURN(auto done, ctx.svc.codes.DeclareRiskArea(ctx.by(), std::move(a)));
  return JsonResponse(ActivationJson(done), 201);
}

Result<Response> PostTest(Context& ctx) {
  healthcode::NewTest in;
  in.person = PersonId(Int(ctx.path, "id"));
  in.positive = String(ctx.body, "result") == "positive";
  in.kind = String(ctx.body, "kind");
  in.sampled_at = Int(ctx.body, "sampled_at");
  if (auto f = OptInt(ctx.body, "facility_id")) in.facility = FacilityId(*f);
  ASSIGN_OR_RETURN(auto code, ctx.svc.codes.RecordTest(ctx.by(), in, ReaderOf(ctx)));
  return JsonResponse(ToJson(code), 201);
}

Result<Response> PostVaccination(Context& ctx) {
  healthcode::NewVaccination in;
  in.person = PersonId(Int(ctx.path, "id"));
  in.vaccine = String(ctx.body, "vaccine");
  in.dose = static_cast<int>(Int(ctx.body, "dose"));
  in.given_at = Int(ctx.body, "given_at");
  in.country = String(ctx.body, "country");
  ASSIGN_OR_RETURN(auto code, ctx.svc.codes.RecordVaccination(ctx.by(), in, ReaderOf(ctx)));
  return JsonResponse(ToJson(code), 201);
}

Result<Response> Symptoms(Context& ctx, PersonId person) {
  ASSIGN_OR_RETURN(auto code,
                   ctx.svc.codes.RecordSymptoms(ctx.by(), person, String(ctx.body, "symptoms"),
                                                OptInt(ctx.body, "reported_at"), ReaderOf(ctx)));
  return JsonResponse(ToJson(code), 201);
}

}  // namespace

std::vector<Route> PolicyRoutes() {
  using C = Capability;
  Schema symptoms = Schema::Object(
      {Required("symptoms", Schema::Text(500)), Optional("reported_at", Schema::Time())});
  return {
      {.method = "GET",
       .path = "/api/v1/policy",
       .operation = "getPolicy",
       .summary = "The active health-code policy (or ?version=N)",
       .tag = "policy",
       .access = Needs(C::kReadPolicy, Scope::kSignedIn),
       .query = {Optional("version", Schema::Integer(1, INT64_MAX))},
       .response = PolicySchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto v, ctx.svc.codes.GetPolicy(ctx.by(), OptInt(ctx.query, "version")));
         return JsonResponse(PolicyJson(v));
       }},
      {.method = "GET",
       .path = "/api/v1/policy/versions",
       .operation = "listPolicyVersions",
       .summary = "Every policy version, newest first",
       .tag = "policy",
       .access = Needs(C::kReadPolicy, Scope::kSignedIn),
       .response = Items(PolicySchema(false), 100000),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto versions, ctx.svc.codes.PolicyVersions(ctx.by()));
         Json items = Json::array();
         for (const auto& v : versions) items.push_back(PolicyJson(v, false));
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/policy/check",
       .operation = "checkPolicy",
       .summary = "Validate a policy file (TOML); every error with its line",
       .tag = "policy",
       .access = Needs(C::kReadPolicy, Scope::kSignedIn),
       .body_types = {"application/toml", "text/plain"},
       .response = Schema::Object(
           {Required("valid", Schema::Boolean()), Required("version", Schema::Integer()),
            Required("name", Schema::String()), Required("risk_areas", Schema::Integer())}),
       .handler = CheckPolicy},
      {.method = "PUT",
       .path = "/api/v1/policy",
       .operation = "activatePolicy",
       .summary = "Activate a new policy version (TOML) and recompute the codes it touches",
       .tag = "policy",
       .access = Needs(C::kManagePolicy, Scope::kTopLevel),
       .body_types = {"application/toml", "text/plain"},
       .response = ActivationSchema(),
       .status = 201,
       .handler = PutPolicy},
      {.method = "POST",
       .path = "/api/v1/risk-areas",
       .operation = "declareRiskArea",
       .summary = "Declare a risk area inside your unit (a new policy version)",
       .tag = "policy",
       .access = Needs(C::kDeclareRiskAreas, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("id", Schema::String(64)), Optional("name", Schema::String(200)),
            Required("level", Schema::Enum({"high", "medium"})), Optional("venue_id", Schema::Id()),
            Optional("org_unit_id", Schema::Id()), Required("from", Schema::Time()),
            Optional("to", Schema::Time()),
            Optional("min_stay_minutes", Schema::Integer(0, 1440))}),
       .response = ActivationSchema(),
       .status = 201,
       .handler = DeclareRiskArea},
      {.method = "POST",
       .path = "/api/v1/risk-areas/{area}/lift",
       .operation = "liftRiskArea",
       .summary = "Lift a risk area inside your unit (a new policy version)",
       .tag = "policy",
       .access = Needs(C::kDeclareRiskAreas, Scope::kOrgUnit),
       .path_params = {Required("area", Schema::String(64))},
       .body = Schema::Object({Optional("at", Schema::Time())}),
       .response = ActivationSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto done, ctx.svc.codes.LiftRiskArea(ctx.by(), String(ctx.path, "area"),
                                                                OptInt(ctx.body, "at")));
         return JsonResponse(ActivationJson(done), 201);
       },
       .resource = "risk_area"},
      {.method = "POST",
       .path = "/api/v1/people/{id}/tests",
       .operation = "recordTest",
       .summary = "Record a test result; recomputes the code",
       .tag = "policy",
       .access = Needs(C::kRecordTests, Scope::kOrgUnit),
       .query = ReaderParams(),
       .body = Schema::Object({Required("result", Schema::Enum({"positive", "negative"})),
                               Required("kind", Schema::Enum({"pcr", "antigen"})),
                               Required("sampled_at", Schema::Time()),
                               Optional("facility_id", Schema::Id())}),
       .response = HealthCodeSchema(),
       .status = 201,
       .handler = PostTest,
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/people/{id}/vaccinations",
       .operation = "recordVaccination",
       .summary = "Record a vaccination (doses abroad too)",
       .tag = "policy",
       .access = Needs(C::kRecordVaccinations, Scope::kOrgUnit),
       .query = ReaderParams(),
       .body = Schema::Object(
           {Required("vaccine", Schema::String(64)), Required("dose", Schema::Integer(1, 10)),
            Required("given_at", Schema::Time()), Required("country", Schema::String(2))}),
       .response = HealthCodeSchema(),
       .status = 201,
       .handler = PostVaccination,
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/people/{id}/symptoms",
       .operation = "recordSymptoms",
       .summary = "Record reported symptoms",
       .tag = "policy",
       .access = Needs(C::kRecordSymptoms, Scope::kOrgUnit),
       .query = ReaderParams(),
       .body = symptoms,
       .response = HealthCodeSchema(),
       .status = 201,
       .handler = [](Context& ctx) { return Symptoms(ctx, PersonId(Int(ctx.path, "id"))); },
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/me/symptoms",
       .operation = "reportMySymptoms",
       .summary = "Report your own symptoms",
       .tag = "policy",
       .access = Needs(C::kReportOwnSymptoms, Scope::kSelf),
       .query = ReaderParams(),
       .body = symptoms,
       .response = HealthCodeSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         if (!ctx.by().person)
           return Status::FailedPrecondition("this account has no person record");
         return Symptoms(ctx, *ctx.by().person);
       }},
  };
}

}  // namespace mekong::http
