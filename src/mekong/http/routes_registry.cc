// Routes for login, the org-unit tree, people, venues, facilities, users and the access log.
#include "mekong/core/time.h"
#include "mekong/http/handler_support.h"

namespace mekong::http {

namespace {

Json CallerJson(const registry::Caller& c) {
  return {{"user_id", c.user.value},
          {"username", c.username},
          {"role", registry::RoleName(c.role)},
          {"org_unit_id", c.org_unit.value},
          {"person_id", c.person ? Json(c.person->value) : Json(nullptr)}};
}

Result<Response> Login(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(std::string username, body.Str("username", 64));
  ASSIGN_OR_RETURN(std::string password, body.Str("password", 256));
  RETURN_IF_ERROR(body.Done());
  int64_t ttl = int64_t{ctx.svc.config.session_ttl_hours} * kMillisPerHour;
  ASSIGN_OR_RETURN(auto s, registry::Login(ctx.svc.db, username, password, ctx.now, ttl));
  return JsonResponse({{"token", s.token}, {"expires_at", Time(s.expires_at)}, {"user", CallerJson(s.caller)}});
}

Result<Response> Logout(Context& ctx) {
  constexpr std::string_view kBearer = "Bearer ";
  if (ctx.req.authorization.rfind(kBearer, 0) != 0) {
    return Status::InvalidArgument("only sessions log out; an admin revokes API keys", "Authorization");
  }
  RETURN_IF_ERROR(registry::Logout(ctx.svc.db, ctx.req.authorization.substr(kBearer.size())));
  return JsonResponse({{"logged_out", true}});
}

Result<Response> Me(Context& ctx) { return JsonResponse(CallerJson(*ctx.caller)); }

Result<Response> ListOrgUnits(Context& ctx) {
  ASSIGN_OR_RETURN(auto parent, QueryInt(ctx, "parent_id"));
  std::optional<OrgUnitId> p;
  if (parent) p = OrgUnitId(*parent);
  ASSIGN_OR_RETURN(auto units, registry::ListOrgUnits(ctx.svc.db, p));
  Json items = Json::array();
  for (const auto& u : units) items.push_back(ToJson(u));
  return JsonResponse({{"items", items}});
}

Result<Response> GetOrgUnit(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto u, registry::GetOrgUnit(ctx.svc.db, OrgUnitId(id)));
  return JsonResponse(ToJson(u));
}

Result<Response> CreateOrgUnit(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  registry::NewOrgUnit in;
  ASSIGN_OR_RETURN(auto parent, body.OptInt("parent_id", 1, INT64_MAX));
  if (parent) in.parent = OrgUnitId(*parent);
  ASSIGN_OR_RETURN(in.level, body.Str("level", 40));
  ASSIGN_OR_RETURN(in.name, body.Str("name"));
  ASSIGN_OR_RETURN(in.code, body.Str("code", 40));
  RETURN_IF_ERROR(body.Done());
  if (!in.parent) {
    if (ctx.caller->org_path.find('/', 1) != ctx.caller->org_path.size() - 1) {
      return Status::PermissionDenied("only a top-level admin may add a top-level org unit");
    }
  } else {
    ASSIGN_OR_RETURN(auto p, Referenced(registry::GetOrgUnit(ctx.svc.db, *in.parent), "parent_id"));
    RETURN_IF_ERROR(RequireCovers(ctx, p.path));
  }
  registry::OrgUnit made;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made, registry::CreateOrgUnit(tx, in));
    return Status::Ok();
  }));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> CreatePerson(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  registry::Person in;
  ASSIGN_OR_RETURN(in.full_name, body.Str("full_name"));
  ASSIGN_OR_RETURN(in.document_type, body.Str("document_type", 40));
  ASSIGN_OR_RETURN(in.document_number, body.Str("document_number", 40));
  ASSIGN_OR_RETURN(in.nationality, body.Str("nationality", 2));
  ASSIGN_OR_RETURN(in.language, body.Str("language", 8));
  ASSIGN_OR_RETURN(auto phone, body.OptStr("phone", 16));
  ASSIGN_OR_RETURN(auto birth, body.OptStr("birth_date", 10));
  ASSIGN_OR_RETURN(int64_t unit, body.Int("org_unit_id", 1, INT64_MAX));
  RETURN_IF_ERROR(body.Done());
  in.phone = phone.value_or("");
  in.birth_date = birth.value_or("");
  in.org_unit = OrgUnitId(unit);
  ASSIGN_OR_RETURN(auto org, Referenced(registry::GetOrgUnit(ctx.svc.db, in.org_unit), "org_unit_id"));
  RETURN_IF_ERROR(RequireCovers(ctx, org.path));
  registry::Person made;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made, registry::CreatePerson(tx, in, ctx.now));
    return registry::LogAccess(tx, *ctx.caller, made.id, "create person", ctx.now);
  }));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListPeople(Context& ctx) {
  registry::PersonQuery q;
  RETURN_IF_ERROR(Paging(ctx, &q.limit, &q.offset));
  q.under_path = ctx.caller->org_path;
  ASSIGN_OR_RETURN(auto unit, QueryInt(ctx, "org_unit_id"));
  if (unit) {
    ASSIGN_OR_RETURN(auto org, Referenced(registry::GetOrgUnit(ctx.svc.db, OrgUnitId(*unit)), "org_unit_id"));
    RETURN_IF_ERROR(RequireCovers(ctx, org.path));
    q.under_path = org.path;
  }
  q.name_prefix = ctx.req.QueryValue("name").value_or("");
  if (q.name_prefix.find_first_of("%_") != std::string::npos) {
    return Status::InvalidArgument("must not contain % or _", "name");
  }
  ASSIGN_OR_RETURN(auto people, registry::ListPeople(ctx.svc.db, q));
  Json items = Json::array();
  for (const auto& p : people) items.push_back(ToJson(p));
  // Listing names is a read of each person listed.
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    for (const auto& p : people) RETURN_IF_ERROR(registry::LogAccess(tx, *ctx.caller, p.id, "list people", ctx.now));
    return Status::Ok();
  }));
  return JsonResponse({{"items", items}, {"limit", q.limit}, {"offset", q.offset}});
}

Result<Response> GetPerson(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "read person"));
  return JsonResponse(ToJson(p));
}

Result<Response> CreateVenue(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  registry::Venue in;
  ASSIGN_OR_RETURN(in.name, body.Str("name"));
  ASSIGN_OR_RETURN(in.kind, body.Str("kind", 40));
  ASSIGN_OR_RETURN(in.capacity, body.Int("capacity", 1, 1000000));
  ASSIGN_OR_RETURN(int64_t unit, body.Int("org_unit_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto stay, body.OptInt("default_stay_minutes", 1, 24 * 60));
  ASSIGN_OR_RETURN(auto address, body.OptStr("address", 300));
  RETURN_IF_ERROR(body.Done());
  in.org_unit = OrgUnitId(unit);
  in.default_stay_minutes = stay.value_or(60);
  in.address = address.value_or("");
  ASSIGN_OR_RETURN(auto org, Referenced(registry::GetOrgUnit(ctx.svc.db, in.org_unit), "org_unit_id"));
  RETURN_IF_ERROR(RequireCovers(ctx, org.path));
  ASSIGN_OR_RETURN(auto made, registry::CreateVenue(ctx.svc.db, in, ctx.now));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListVenues(Context& ctx) {
  int limit, offset;
  RETURN_IF_ERROR(Paging(ctx, &limit, &offset));
  ASSIGN_OR_RETURN(auto venues, registry::ListVenues(ctx.svc.db, ctx.caller->org_path, limit, offset));
  Json items = Json::array();
  for (const auto& v : venues) items.push_back(ToJson(v));
  return JsonResponse({{"items", items}, {"limit", limit}, {"offset", offset}});
}

Result<Response> GetVenue(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto v, registry::GetVenue(ctx.svc.db, VenueId(id)));
  RETURN_IF_ERROR(RequireCovers(ctx, v.org_path));
  return JsonResponse(ToJson(v));
}

Result<Response> CreateFacility(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  registry::Facility in;
  ASSIGN_OR_RETURN(in.name, body.Str("name"));
  ASSIGN_OR_RETURN(in.kind, body.Str("kind", 40));
  ASSIGN_OR_RETURN(int64_t unit, body.Int("org_unit_id", 1, INT64_MAX));
  RETURN_IF_ERROR(body.Done());
  in.org_unit = OrgUnitId(unit);
  ASSIGN_OR_RETURN(auto org, Referenced(registry::GetOrgUnit(ctx.svc.db, in.org_unit), "org_unit_id"));
  RETURN_IF_ERROR(RequireCovers(ctx, org.path));
  ASSIGN_OR_RETURN(auto made, registry::CreateFacility(ctx.svc.db, in, ctx.now));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListFacilities(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, registry::ListFacilities(ctx.svc.db, ctx.caller->org_path));
  Json items = Json::array();
  for (const auto& f : list) items.push_back(ToJson(f));
  return JsonResponse({{"items", items}});
}

Result<Response> CreateUser(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  registry::NewUser in;
  ASSIGN_OR_RETURN(in.username, body.Str("username", 64));
  ASSIGN_OR_RETURN(auto password, body.OptStr("password", 256));
  ASSIGN_OR_RETURN(std::string role, body.Str("role", 40));
  ASSIGN_OR_RETURN(int64_t unit, body.Int("org_unit_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto person, body.OptInt("person_id", 1, INT64_MAX));
  RETURN_IF_ERROR(body.Done());
  in.password = password.value_or("");
  ASSIGN_OR_RETURN(in.role, registry::ParseRole(role));
  in.org_unit = OrgUnitId(unit);
  if (person) in.person = PersonId(*person);
  ASSIGN_OR_RETURN(auto org, Referenced(registry::GetOrgUnit(ctx.svc.db, in.org_unit), "org_unit_id"));
  RETURN_IF_ERROR(RequireCovers(ctx, org.path));
  Json out;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(UserId id, registry::CreateUser(tx, in, ctx.now));
    out = {{"id", id.value}, {"username", in.username}, {"role", role}, {"org_unit_id", unit},
           {"person_id", person ? Json(*person) : Json(nullptr)}};
    if (in.role == Role::kDevice) {
      ASSIGN_OR_RETURN(std::string key, registry::IssueApiKey(tx, id, in.username, ctx.now));
      out["api_key"] = key;  // shown once
    }
    return Status::Ok();
  }));
  return JsonResponse(out, 201);
}

Result<Response> AccessLog(Context& ctx) {
  ASSIGN_OR_RETURN(auto person, QueryInt(ctx, "person_id"));
  int limit, offset;
  RETURN_IF_ERROR(Paging(ctx, &limit, &offset));
  std::optional<PersonId> p;
  if (person) {
    ASSIGN_OR_RETURN(auto target, Referenced(registry::GetPerson(ctx.svc.db, PersonId(*person)), "person_id"));
    RETURN_IF_ERROR(RequireCovers(ctx, target.org_path));
    p = target.id;
  } else if (ctx.caller->role != Role::kAdmin) {
    return Status::InvalidArgument("is required unless you are an admin", "person_id");
  }
  ASSIGN_OR_RETURN(auto entries, registry::ListAccess(ctx.svc.db, p, limit));
  Json items = Json::array();
  for (const auto& e : entries) {
    items.push_back({{"at", Time(e.at)},
                     {"user_id", e.user.value},
                     {"username", e.username},
                     {"person_id", e.person.value},
                     {"action", e.action}});
  }
  return JsonResponse({{"items", items}});
}

constexpr const char* kLoginSchema =
    R"({"type":"object","required":["username","password"],"additionalProperties":false,"properties":{"username":{"type":"string"},"password":{"type":"string"}}})";
constexpr const char* kOrgUnitSchema =
    R"({"type":"object","required":["level","name","code"],"additionalProperties":false,"properties":{"parent_id":{"type":"integer"},"level":{"type":"string"},"name":{"type":"string"},"code":{"type":"string"}}})";
constexpr const char* kPersonSchema =
    R"({"type":"object","required":["full_name","document_type","document_number","nationality","language","org_unit_id"],"additionalProperties":false,"properties":{"full_name":{"type":"string"},"document_type":{"type":"string","enum":["national_id","passport","resident_card","birth_certificate"]},"document_number":{"type":"string"},"nationality":{"type":"string","pattern":"^[A-Z]{2}$"},"language":{"type":"string","enum":["en","zh","vi","th","ms","id","fil","km","lo","my","ja","ko"]},"phone":{"type":"string"},"birth_date":{"type":"string","format":"date"},"org_unit_id":{"type":"integer"}}})";
constexpr const char* kVenueSchema =
    R"({"type":"object","required":["name","kind","capacity","org_unit_id"],"additionalProperties":false,"properties":{"name":{"type":"string"},"kind":{"type":"string"},"capacity":{"type":"integer","minimum":1},"org_unit_id":{"type":"integer"},"default_stay_minutes":{"type":"integer","minimum":1,"maximum":1440},"address":{"type":"string"}}})";
constexpr const char* kFacilitySchema =
    R"({"type":"object","required":["name","kind","org_unit_id"],"additionalProperties":false,"properties":{"name":{"type":"string"},"kind":{"type":"string","enum":["hospital","lab","clinic","quarantine_site","imaging_centre","icu"]},"org_unit_id":{"type":"integer"}}})";
constexpr const char* kUserSchema =
    R"({"type":"object","required":["username","role","org_unit_id"],"additionalProperties":false,"properties":{"username":{"type":"string"},"password":{"type":"string"},"role":{"type":"string"},"org_unit_id":{"type":"integer"},"person_id":{"type":"integer"}}})";

}  // namespace

std::vector<Route> AuthRoutes() {
  const auto& all = registry::AllRoles();
  return {
      {"POST", "/api/v1/auth/login", "Log in; returns a session token", "auth", true, {}, Login, kLoginSchema},
      {"POST", "/api/v1/auth/logout", "End this session", "auth", false, all, Logout},
      {"GET", "/api/v1/auth/me", "Who am I", "auth", false, all, Me},
  };
}

std::vector<Route> RegistryRoutes() {
  std::vector<Role> everyone_but_devices = kStaff;
  for (Role r : {Role::kVenueOperator, Role::kCheckpointOfficer, Role::kCitizen}) everyone_but_devices.push_back(r);
  std::vector<Role> venue_managers = {Role::kAdmin, Role::kCommandOfficer, Role::kVenueOperator};
  std::vector<Role> staff_and_operators = kStaff;
  staff_and_operators.push_back(Role::kVenueOperator);
  return {
      {"GET", "/api/v1/org-units", "Org units under a parent (roots when none)", "registry", false,
       everyone_but_devices, ListOrgUnits},
      {"GET", "/api/v1/org-units/{id}", "One org unit", "registry", false, everyone_but_devices, GetOrgUnit},
      {"POST", "/api/v1/org-units", "Add an org unit", "registry", false, {Role::kAdmin}, CreateOrgUnit,
       kOrgUnitSchema, 201},
      {"POST", "/api/v1/people", "Register a resident or foreigner", "registry", false,
       {Role::kAdmin, Role::kCommandOfficer, Role::kTracer, Role::kClinician}, CreatePerson, kPersonSchema, 201},
      {"GET", "/api/v1/people", "People in your org unit", "registry", false, kStaff, ListPeople},
      {"GET", "/api/v1/people/{id}", "One person", "registry", false,
       [] {
         auto r = kStaff;
         r.push_back(Role::kCitizen);
         return r;
       }(),
       GetPerson},
      {"POST", "/api/v1/venues", "Register a venue", "registry", false, venue_managers, CreateVenue, kVenueSchema,
       201},
      {"GET", "/api/v1/venues", "Venues in your org unit", "registry", false, staff_and_operators, ListVenues},
      {"GET", "/api/v1/venues/{id}", "One venue", "registry", false, staff_and_operators, GetVenue},
      {"POST", "/api/v1/facilities", "Register a hospital, lab or other facility", "registry", false,
       {Role::kAdmin}, CreateFacility, kFacilitySchema, 201},
      {"GET", "/api/v1/facilities", "Facilities in your org unit", "registry", false, kStaff, ListFacilities},
      {"POST", "/api/v1/users", "Add a user; a device gets its API key once", "registry", false, {Role::kAdmin},
       CreateUser, kUserSchema, 201},
      {"GET", "/api/v1/access-log", "Who read whose personal data", "registry", false,
       {Role::kAdmin, Role::kCommandOfficer}, AccessLog},
  };
}

}  // namespace mekong::http
