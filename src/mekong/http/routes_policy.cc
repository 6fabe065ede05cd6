// Routes for the health-code policy, risk areas, and the health events that change codes:
// test results, vaccinations and symptom reports.
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/http/handler_support.h"

namespace mekong::http {

namespace {

Json PolicyJson(const healthcode::PolicyVersion& v) {
  return {{"version", v.version},
          {"name", v.name},
          {"text", v.text},
          {"activated_at", Time(v.activated_at)},
          {"activated_by", v.activated_by ? Json(*v.activated_by) : Json(nullptr)}};
}

// 400 with every problem and its line, so an editor can point at each.
Response PolicyErrors(const std::vector<healthcode::PolicyError>& errors) {
  Json list = Json::array();
  for (const auto& e : errors) {
    list.push_back({{"line", e.line}, {"field", e.key.empty() ? Json(nullptr) : Json(e.key)}, {"reason", e.message}});
  }
  const auto& first = errors.front();
  std::string message = (first.line ? "line " + std::to_string(first.line) + ": " : std::string()) +
                        (first.key.empty() ? "" : first.key + " ") + first.message;
  return JsonResponse({{"error", {{"code", "invalid_argument"}, {"message", message}, {"field", "policy"}}},
                       {"errors", list}},
                      400);
}

Status RequireText(const Context& ctx) {
  const std::string& ct = ctx.req.content_type;
  if (!ct.empty() && ct.rfind("application/toml", 0) != 0 && ct.rfind("text/plain", 0) != 0) {
    return Status::InvalidArgument("Content-Type must be application/toml or text/plain", "Content-Type");
  }
  return Status::Ok();
}

Result<Response> GetPolicy(Context& ctx) {
  ASSIGN_OR_RETURN(auto versions, healthcode::PolicyVersions(ctx.svc.db));
  if (auto v = ctx.req.QueryValue("version")) {
    for (const auto& p : versions) {
      if (std::to_string(p.version) == *v) return JsonResponse(PolicyJson(p));
    }
    return Status::NotFound("no policy version " + *v, "version");
  }
  return JsonResponse(PolicyJson(versions.front()));
}

Result<Response> ListPolicyVersions(Context& ctx) {
  ASSIGN_OR_RETURN(auto versions, healthcode::PolicyVersions(ctx.svc.db));
  Json items = Json::array();
  for (auto& v : versions) {
    Json j = PolicyJson(v);
    j.erase("text");
    items.push_back(std::move(j));
  }
  return JsonResponse({{"items", items}});
}

Result<Response> CheckPolicy(Context& ctx) {
  RETURN_IF_ERROR(RequireText(ctx));
  std::vector<healthcode::PolicyError> errors;
  auto p = healthcode::ParsePolicy(ctx.req.body, &errors);
  if (!p.ok()) return PolicyErrors(errors);
  return JsonResponse({{"valid", true}, {"version", p->version}, {"name", p->name},
                       {"risk_areas", p->risk_areas.size()}});
}

Result<Response> Activate(Context& ctx, const std::string& text) {
  healthcode::Activation done;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(done, healthcode::ActivatePolicy(tx, text, ctx.caller->user.value, ctx.now));
    return Status::Ok();
  }));
  return JsonResponse({{"version", done.policy.version}, {"name", done.policy.name}, {"recomputed", done.recomputed}},
                      201);
}

Result<Response> PutPolicy(Context& ctx) {
  RETURN_IF_ERROR(RequireText(ctx));
  std::vector<healthcode::PolicyError> errors;
  if (!healthcode::ParsePolicy(ctx.req.body, &errors).ok()) return PolicyErrors(errors);
  return Activate(ctx, ctx.req.body);
}

// Declaring or lifting an area is a new policy version: the active one plus the change.
Result<Response> DeclareRiskArea(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  healthcode::RiskArea a;
  ASSIGN_OR_RETURN(a.id, body.Str("id", 64));
  ASSIGN_OR_RETURN(auto name, body.OptStr("name", 200));
  ASSIGN_OR_RETURN(std::string level, body.Str("level", 10));
  ASSIGN_OR_RETURN(auto venue, body.OptInt("venue_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto org, body.OptInt("org_unit_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto from, body.OptTime("from"));
  ASSIGN_OR_RETURN(a.to, body.OptTime("to"));
  ASSIGN_OR_RETURN(auto min_stay, body.OptInt("min_stay_minutes", 0, 24 * 60));
  RETURN_IF_ERROR(body.Done());
  if (a.id.empty()) return Status::InvalidArgument("must not be empty", "id");
  if (level != "high" && level != "medium") return Status::InvalidArgument("must be high or medium", "level");
  if (venue.has_value() == org.has_value()) return Status::InvalidArgument("give org_unit_id or venue_id", "venue_id");
  if (!from) return Status::InvalidArgument("is required", "from");
  if (a.to && *a.to <= *from) return Status::InvalidArgument("must be after from", "to");
  a.name = name.value_or("");
  a.level = level == "high" ? healthcode::Colour::kRed : healthcode::Colour::kYellow;
  if (venue) a.venue = VenueId(*venue);
  if (org) a.org_unit = OrgUnitId(*org);
  a.from = *from;
  a.min_stay_ms = min_stay.value_or(15) * kMillisPerMinute;
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ctx.svc.db));
  if (policy.FindArea(a.id)) return Status::AlreadyExists("a risk area with this id exists", "id");
  policy.risk_areas.push_back(std::move(a));
  policy.version += 1;
  return Activate(ctx, healthcode::FormatPolicy(policy));
}

Result<Response> LiftRiskArea(Context& ctx) {
  std::string id = ctx.req.params.at("area");
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(auto at, body.OptTime("at"));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ctx.svc.db));
  healthcode::RiskArea* area = nullptr;
  for (auto& a : policy.risk_areas) {
    if (a.id == id) area = &a;
  }
  if (!area) return Status::NotFound("no risk area " + id + " in the active policy", "area");
  int64_t to = at.value_or(ctx.now);
  if (to > ctx.now) return Status::InvalidArgument("is in the future", "at");
  if (to <= area->from) return Status::InvalidArgument("is before the area was declared", "at");
  if (area->to && *area->to <= to) return Status::FailedPrecondition("the area is already lifted", "area");
  area->to = to;
  policy.version += 1;
  return Activate(ctx, healthcode::FormatPolicy(policy));
}

Json CodeJson(const healthcode::HealthCode& code) {
  Json reasons = Json::array();
  for (const auto& r : code.reasons) {
    reasons.push_back({{"colour", healthcode::ColourName(r.colour)},
                       {"rule", healthcode::RuleName(r.rule)},
                       {"source", r.source},
                       {"detail", r.detail},
                       {"since", Time(r.since)},
                       {"until", Time(r.until)},
                       {"negative_test_from", Time(r.negative_test_from)}});
  }
  return {{"person_id", code.person.value},
          {"colour", healthcode::ColourName(code.colour)},
          {"reasons", reasons},
          {"green_at", Time(code.green_at)},
          {"language", code.language},
          {"policy_version", code.policy_version},
          {"computed_at", Time(code.computed_at)}};
}

// Records one event for the person in the path, in one transaction with the access log.
template <typename Fn>
Result<Response> PersonEvent(Context& ctx, PersonId person, std::string_view action, Fn record) {
  healthcode::HealthCode code;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(code, record(tx));
    return registry::LogAccess(tx, *ctx.caller, person, action, ctx.now);
  }));
  return JsonResponse(CodeJson(code), 201);
}

Result<Response> PostTest(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  healthcode::NewTest in;
  in.person = PersonId(id);
  ASSIGN_OR_RETURN(std::string result, body.Str("result", 10));
  ASSIGN_OR_RETURN(in.kind, body.Str("kind", 20));
  ASSIGN_OR_RETURN(auto sampled, body.OptTime("sampled_at"));
  ASSIGN_OR_RETURN(auto facility, body.OptInt("facility_id", 1, INT64_MAX));
  RETURN_IF_ERROR(body.Done());
  if (result != "positive" && result != "negative") {
    return Status::InvalidArgument("must be positive or negative", "result");
  }
  if (!sampled) return Status::InvalidArgument("is required", "sampled_at");
  in.positive = result == "positive";
  in.sampled_at = *sampled;
  if (facility) in.facility = FacilityId(*facility);
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, in.person, "record test result"));
  (void)p;
  return PersonEvent(ctx, in.person, "record test result",
                     [&](store::Executor& tx) { return healthcode::RecordTest(tx, in, ctx.now); });
}

Result<Response> PostVaccination(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  healthcode::NewVaccination in;
  in.person = PersonId(id);
  ASSIGN_OR_RETURN(in.vaccine, body.Str("vaccine", 64));
  ASSIGN_OR_RETURN(int64_t dose, body.Int("dose", 1, 10));
  ASSIGN_OR_RETURN(auto given, body.OptTime("given_at"));
  ASSIGN_OR_RETURN(in.country, body.Str("country", 2));
  RETURN_IF_ERROR(body.Done());
  if (!given) return Status::InvalidArgument("is required", "given_at");
  in.dose = static_cast<int>(dose);
  in.given_at = *given;
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, in.person, "record vaccination"));
  (void)p;
  return PersonEvent(ctx, in.person, "record vaccination",
                     [&](store::Executor& tx) { return healthcode::RecordVaccination(tx, in, ctx.now); });
}

Result<Response> Symptoms(Context& ctx, PersonId person) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(std::string symptoms, body.Str("symptoms", 500, /*multiline=*/true));
  ASSIGN_OR_RETURN(auto at, body.OptTime("reported_at"));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, person, "record symptoms"));
  (void)p;
  return PersonEvent(ctx, person, "record symptoms", [&](store::Executor& tx) {
    return healthcode::RecordSymptoms(tx, person, symptoms, at.value_or(ctx.now), ctx.now);
  });
}

Result<Response> PostSymptoms(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  return Symptoms(ctx, PersonId(id));
}

Result<Response> PostMySymptoms(Context& ctx) {
  if (!ctx.caller->person) return Status::FailedPrecondition("this account has no person record");
  return Symptoms(ctx, *ctx.caller->person);
}

Result<Response> CodeSummary(Context& ctx) {
  ASSIGN_OR_RETURN(auto counts, healthcode::CountCodes(ctx.svc.db, ctx.caller->org_path));
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ctx.svc.db));
  return JsonResponse({{"org_unit_id", ctx.caller->org_unit.value},
                       {"red", counts.red},
                       {"yellow", counts.yellow},
                       {"policy_version", policy.version}});
}

constexpr const char* kTomlSchema = R"({"type":"string","description":"a policy file, see docs/policy.md"})";
constexpr const char* kTestSchema =
    R"({"type":"object","required":["result","kind","sampled_at"],"additionalProperties":false,"properties":{"result":{"enum":["positive","negative"]},"kind":{"enum":["pcr","antigen"]},"sampled_at":{"type":"string","format":"date-time"},"facility_id":{"type":"integer"}}})";
constexpr const char* kVaccinationSchema =
    R"({"type":"object","required":["vaccine","dose","given_at","country"],"additionalProperties":false,"properties":{"vaccine":{"type":"string"},"dose":{"type":"integer","minimum":1,"maximum":10},"given_at":{"type":"string","format":"date-time"},"country":{"type":"string","pattern":"^[A-Z]{2}$"}}})";
constexpr const char* kSymptomsSchema =
    R"({"type":"object","required":["symptoms"],"additionalProperties":false,"properties":{"symptoms":{"type":"string","maxLength":500},"reported_at":{"type":"string","format":"date-time"}}})";
constexpr const char* kAreaSchema =
    R"({"type":"object","required":["id","level","from"],"additionalProperties":false,"properties":{"id":{"type":"string","maxLength":64},"name":{"type":"string"},"level":{"enum":["high","medium"]},"venue_id":{"type":"integer"},"org_unit_id":{"type":"integer"},"from":{"type":"string","format":"date-time"},"to":{"type":"string","format":"date-time"},"min_stay_minutes":{"type":"integer"}}})";
constexpr const char* kLiftSchema =
    R"({"type":"object","additionalProperties":false,"properties":{"at":{"type":"string","format":"date-time"}}})";

}  // namespace

Json HealthCodeJson(const healthcode::HealthCode& code) { return CodeJson(code); }

std::vector<Route> PolicyRoutes() {
  std::vector<Role> commanders = {Role::kAdmin, Role::kCommandOfficer};
  std::vector<Role> testers = {Role::kAdmin, Role::kLabTechnician, Role::kClinician, Role::kTracer};
  std::vector<Role> vaccinators = {Role::kAdmin, Role::kClinician};
  return {
      {"GET", "/api/v1/policy", "The active health-code policy (or ?version=N)", "policy", false, kStaff, GetPolicy},
      {"GET", "/api/v1/policy/versions", "Every policy version, newest first", "policy", false, kStaff,
       ListPolicyVersions},
      {"POST", "/api/v1/policy/check", "Validate a policy file (TOML); every error with its line", "policy", false,
       kStaff, CheckPolicy, kTomlSchema, 200, "application/json", "application/toml"},
      {"PUT", "/api/v1/policy", "Activate a new policy version (TOML) and recompute the codes it touches", "policy",
       false, {Role::kAdmin}, PutPolicy, kTomlSchema, 201, "application/json", "application/toml"},
      {"POST", "/api/v1/risk-areas", "Declare a risk area (a new policy version)", "policy", false, commanders,
       DeclareRiskArea, kAreaSchema, 201},
      {"POST", "/api/v1/risk-areas/{area}/lift", "Lift a risk area (a new policy version)", "policy", false,
       commanders, LiftRiskArea, kLiftSchema, 201},
      {"POST", "/api/v1/people/{id}/tests", "Record a test result; recomputes the code", "policy", false, testers,
       PostTest, kTestSchema, 201},
      {"POST", "/api/v1/people/{id}/vaccinations", "Record a vaccination (doses abroad too)", "policy", false,
       vaccinators, PostVaccination, kVaccinationSchema, 201},
      {"POST", "/api/v1/people/{id}/symptoms", "Record reported symptoms", "policy", false, kStaff, PostSymptoms,
       kSymptomsSchema, 201},
      {"POST", "/api/v1/me/symptoms", "Report your own symptoms", "policy", false, {Role::kCitizen}, PostMySymptoms,
       kSymptomsSchema, 201},
      {"GET", "/api/v1/health-codes/summary", "Red and yellow codes in your org unit", "policy", false, kStaff,
       CodeSummary},
  };
}

}  // namespace mekong::http
