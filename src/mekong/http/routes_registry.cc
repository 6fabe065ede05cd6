// Routes for sign-in, the org-unit tree, people, travellers' self-registration, venues,
// facilities, users and the access log.
#include "mekong/http/codec.h"
#include "mekong/qr/qr.h"

namespace mekong::http {

namespace {

using registry::Capability;

Schema PersonFields(std::vector<Field> more = {}) {
  std::vector<Field> f = {
      Required("full_name", Schema::String(200)),
      Required("document_type", Schema::Enum({"national_id", "passport", "resident_card",
                                              "birth_certificate", "border_pass"})),
      Required("document_number", Schema::String(40)),
      Required("nationality", Schema::String(2).Doc("ISO 3166-1 alpha-2, upper case: VN, LA, CN")),
      Required("language", LanguageEnum()),
      Optional("phone", Schema::String(16).Doc("E.164: +84912345678")),
      Optional("birth_date", Schema::Date()),
      Required("org_unit_id", Schema::Id().Doc("where the person lives or stays")),
  };
  for (auto& m : more) f.push_back(std::move(m));
  return Schema::Object(std::move(f));
}

registry::Person PersonFrom(const Json& b) {
  registry::Person p;
  p.full_name = String(b, "full_name");
  p.document_type = String(b, "document_type");
  p.document_number = String(b, "document_number");
  p.nationality = String(b, "nationality");
  p.language = String(b, "language");
  p.phone = String(b, "phone");
  p.birth_date = String(b, "birth_date");
  p.org_unit = OrgUnitId(Int(b, "org_unit_id"));
  return p;
}

Result<Response> Login(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto s, ctx.svc.registry.Login(String(ctx.body, "username"), String(ctx.body, "password"),
                                     ctx.req.client_address));
  return JsonResponse({{"token", s.token},
                       {"expires_at", FormatRfc3339(s.expires_at)},
                       {"user", ToJson(s.caller)}});
}

Result<Response> Logout(Context& ctx) {
  constexpr std::string_view kBearer = "Bearer ";
  if (ctx.req.authorization.rfind(kBearer, 0) != 0) {
    return Status::InvalidArgument("only sessions log out; an admin revokes API keys",
                                   "Authorization");
  }
  RETURN_IF_ERROR(ctx.svc.registry.Logout(ctx.req.authorization.substr(kBearer.size())));
  return JsonResponse({{"logged_out", true}});
}

Result<Response> ListOrgUnits(Context& ctx) {
  std::optional<OrgUnitId> parent;
  if (auto p = OptInt(ctx.query, "parent_id")) parent = OrgUnitId(*p);
  ASSIGN_OR_RETURN(auto units, ctx.svc.registry.OrgUnits(parent));
  Json items = Json::array();
  for (const auto& u : units) items.push_back(ToJson(u));
  return JsonResponse({{"items", items}});
}

Result<Response> CreateOrgUnit(Context& ctx) {
  registry::NewOrgUnit in;
  if (auto p = OptInt(ctx.body, "parent_id")) in.parent = OrgUnitId(*p);
  in.level = String(ctx.body, "level");
  in.name = String(ctx.body, "name");
  in.code = String(ctx.body, "code");
  in.time_zone = String(ctx.body, "time_zone");
  ASSIGN_OR_RETURN(auto made, ctx.svc.registry.CreateOrgUnit(ctx.by(), in));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListPeople(Context& ctx) {
  std::optional<OrgUnitId> unit;
  if (auto u = OptInt(ctx.query, "org_unit_id")) unit = OrgUnitId(*u);
  ASSIGN_OR_RETURN(auto people,
                   ctx.svc.registry.ListPeople(ctx.by(), unit, String(ctx.query, "name"),
                                               Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& p : people) items.push_back(ToJson(p));
  return JsonResponse({{"items", items}, {"limit", Limit(ctx)}, {"offset", Offset(ctx)}});
}

Result<Response> Register(Context& ctx) {
  registry::NewRegistration in{PersonFrom(ctx.body), String(ctx.body, "username"),
                               String(ctx.body, "password")};
  ASSIGN_OR_RETURN(auto r, ctx.svc.registry.Register(in, ctx.req.client_address));
  return JsonResponse(ToJson(r), 201);
}

Result<Response> ListRegistrations(Context& ctx) {
  ASSIGN_OR_RETURN(auto list,
                   ctx.svc.registry.Registrations(ctx.by(), OptString(ctx.query, "status"),
                                                  Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& r : list) items.push_back(ToJson(r));
  return JsonResponse({{"items", items}});
}

Result<Response> Decide(Context& ctx, bool confirm) {
  ASSIGN_OR_RETURN(auto r, ctx.svc.registry.Decide(ctx.by(), Int(ctx.path, "id"), confirm,
                                                   String(ctx.body, "reason")));
  return JsonResponse(ToJson(r));
}

Result<Response> CreateVenue(Context& ctx) {
  registry::Venue in;
  in.name = String(ctx.body, "name");
  in.kind = String(ctx.body, "kind");
  in.capacity = Int(ctx.body, "capacity");
  in.org_unit = OrgUnitId(Int(ctx.body, "org_unit_id"));
  in.default_stay_minutes = OptInt(ctx.body, "default_stay_minutes").value_or(60);
  in.address = String(ctx.body, "address");
  if (ctx.body.contains("languages"))
    in.languages = ctx.body["languages"].get<std::vector<std::string>>();
  ASSIGN_OR_RETURN(auto made, ctx.svc.registry.CreateVenue(ctx.by(), in));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListVenues(Context& ctx) {
  ASSIGN_OR_RETURN(auto venues, ctx.svc.registry.ListVenues(ctx.by(), Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& v : venues) items.push_back(ToJson(v));
  return JsonResponse({{"items", items}});
}

Result<Response> Poster(Context& ctx, const char* format) {
  registry::Venue v;
  ASSIGN_OR_RETURN(std::string text,
                   ctx.svc.registry.Poster(ctx.by(), VenueId(Int(ctx.path, "id")), &v));
  if (std::string_view(format) == "json") {
    return JsonResponse({{"venue_id", v.id.value},
                         {"name", v.name},
                         {"qr_text", text},
                         {"languages", v.languages}});
  }
  qr::Options options;
  options.ec = qr::ErrorCorrection::kQuartile;  // posters get scuffed and photographed at angles
  Response r;
  bool png = std::string_view(format) == "png";
  if (png) {
    ASSIGN_OR_RETURN(r.body, qr::RenderPng(text, options));
    r.content_type = "image/png";
  } else {
    ASSIGN_OR_RETURN(r.body, qr::RenderSvg(text, options));
    r.content_type = "image/svg+xml";
  }
  r.headers.emplace_back(
      "Content-Disposition",
      "inline; filename=\"venue-" + std::to_string(v.id.value) + (png ? ".png\"" : ".svg\""));
  return r;
}

Result<Response> CreateFacility(Context& ctx) {
  registry::Facility in;
  in.name = String(ctx.body, "name");
  in.kind = String(ctx.body, "kind");
  in.org_unit = OrgUnitId(Int(ctx.body, "org_unit_id"));
  ASSIGN_OR_RETURN(auto made, ctx.svc.registry.CreateFacility(ctx.by(), in));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> CreateUser(Context& ctx) {
  registry::NewUser in;
  in.username = String(ctx.body, "username");
  in.password = String(ctx.body, "password");
  ASSIGN_OR_RETURN(in.role, registry::ParseRole(String(ctx.body, "role")));
  in.org_unit = OrgUnitId(Int(ctx.body, "org_unit_id"));
  if (auto p = OptInt(ctx.body, "person_id")) in.person = PersonId(*p);
  ASSIGN_OR_RETURN(auto made, ctx.svc.registry.CreateUser(ctx.by(), in));
  Json out = {{"id", made.id.value},
              {"username", in.username},
              {"role", registry::RoleName(in.role)},
              {"api_key", made.api_key.empty() ? Json(nullptr) : Json(made.api_key)}};
  return JsonResponse(out, 201);
}

Result<Response> ListUsers(Context& ctx) {
  ASSIGN_OR_RETURN(auto users, ctx.svc.registry.ListUsers(ctx.by(), Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& u : users) items.push_back(ToJson(u));
  return JsonResponse({{"items", items}});
}

Result<Response> AccessLog(Context& ctx) {
  std::optional<PersonId> person;
  if (auto p = OptInt(ctx.query, "person_id")) person = PersonId(*p);
  ASSIGN_OR_RETURN(auto entries, ctx.svc.registry.AccessLog(ctx.by(), person, Limit(ctx)));
  Json items = Json::array();
  for (const auto& e : entries) {
    items.push_back({{"at", FormatRfc3339(e.at)},
                     {"user_id", e.user.value},
                     {"username", e.username},
                     {"person_id", e.person.value},
                     {"action", e.action}});
  }
  return JsonResponse({{"items", items}});
}

Schema AccessEntrySchema() {
  return Schema::Object({Required("at", Schema::Time()), Required("user_id", Schema::Integer()),
                         Required("username", Schema::String()),
                         Required("person_id", Schema::Integer()),
                         Required("action", Schema::String())});
}

}  // namespace

std::vector<Route> RegistryRoutes() {
  using C = Capability;
  auto staff_list = [](Schema item) {
    return Schema::Object({Required("items", Schema::Array(std::move(item), 500)),
                           Required("limit", Schema::Integer()),
                           Required("offset", Schema::Integer())});
  };
  return {
      {.method = "POST",
       .path = "/api/v1/auth/login",
       .operation = "login",
       .summary =
           "Sign in; returns a session token (failed attempts are limited per account and address)",
       .tag = "auth",
       .access = Public(),
       .body = Schema::Object(
           {Required("username", Schema::String(64)), Required("password", Schema::String(256))}),
       .response = Schema::Object({Required("token", Schema::String(100)),
                                   Required("expires_at", Schema::Time()),
                                   Required("user", CallerSchema())}),
       .lane = Lane::kHeavy,
       .handler = Login},
      {.method = "POST",
       .path = "/api/v1/auth/logout",
       .operation = "logout",
       .summary = "End this session",
       .tag = "auth",
       .access = Needs(C::kSignedIn, Scope::kSignedIn),
       .response = Schema::Object({Required("logged_out", Schema::Boolean())}),
       .handler = Logout},
      {.method = "GET",
       .path = "/api/v1/auth/me",
       .operation = "getMe",
       .summary = "Who am I",
       .tag = "auth",
       .access = Needs(C::kSignedIn, Scope::kSignedIn),
       .response = CallerSchema(),
       .handler = [](Context& ctx) -> Result<Response> { return JsonResponse(ToJson(ctx.by())); }},
      {.method = "GET",
       .path = "/api/v1/org-units",
       .operation = "listOrgUnits",
       .summary = "Org units under a parent (the roots when none); public: a traveller chooses "
                  "where they stay",
       .tag = "registry",
       .access = Public(),
       .query = {Optional("parent_id", Schema::Id())},
       .response = Items(OrgUnitSchema(), 100000),
       .handler = ListOrgUnits},
      {.method = "GET",
       .path = "/api/v1/org-units/{id}",
       .operation = "getOrgUnit",
       .summary = "One org unit",
       .tag = "registry",
       .access = Public(),
       .response = OrgUnitSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto u, ctx.svc.registry.OrgUnitById(OrgUnitId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(u));
       },
       .resource = "org_unit"},
      {.method = "POST",
       .path = "/api/v1/org-units",
       .operation = "createOrgUnit",
       .summary = "Add an org unit under one of yours",
       .tag = "registry",
       .access = Needs(C::kManageOrgUnits, Scope::kOrgUnit),
       .body = Schema::Object(
           {Optional("parent_id", Schema::Id()), Required("level", Schema::String(40)),
            Required("name", Schema::String(200)), Required("code", Schema::String(40)),
            Optional("time_zone", Schema::String(64).Doc("IANA; default: the parent's"))}),
       .response = OrgUnitSchema(),
       .status = 201,
       .handler = CreateOrgUnit},
      {.method = "GET",
       .path = "/api/v1/people",
       .operation = "listPeople",
       .summary =
           "People in your org unit (?org_unit_id for one below it, ?name for a name prefix)",
       .tag = "registry",
       .access = Needs(C::kReadPeople, Scope::kOrgUnit),
       .query =
           Paging({Optional("org_unit_id", Schema::Id()), Optional("name", Schema::String(200))}),
       .response = staff_list(PersonSchema()),
       .handler = ListPeople},
      {.method = "POST",
       .path = "/api/v1/people",
       .operation = "createPerson",
       .summary = "Register a resident or foreigner",
       .tag = "registry",
       .access = Needs(C::kRegisterPeople, Scope::kOrgUnit),
       .body = PersonFields(),
       .response = PersonSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto made,
                          ctx.svc.registry.RegisterPerson(ctx.by(), PersonFrom(ctx.body)));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/people/{id}",
       .operation = "getPerson",
       .summary = "One person (a citizen: themself)",
       .tag = "registry",
       .access = Needs(C::kReadPeople, Scope::kSelfOrOrgUnit),
       .response = PersonSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto p, ctx.svc.registry.ReadPerson(
                                      ctx.by(), PersonId(Int(ctx.path, "id")), "read person"));
         return JsonResponse(ToJson(p));
       },
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/registrations",
       .operation = "register",
       .summary = "A traveller registers themself with a travel document and gets a citizen "
                  "account at once; an "
                  "officer where they stay confirms the document",
       .tag = "registry",
       .access = Public(),
       .body = PersonFields(
           {Required("username", Schema::String(64)), Required("password", Schema::String(256))}),
       .response = RegistrationSchema(),
       .status = 201,
       .lane = Lane::kHeavy,
       .handler = Register},
      {.method = "GET",
       .path = "/api/v1/registrations",
       .operation = "listRegistrations",
       .summary = "Travellers' registrations in your org unit (?status=pending)",
       .tag = "registry",
       .access = Needs(C::kRegisterPeople, Scope::kOrgUnit),
       .query = Paging({Optional("status", Schema::Enum({"pending", "confirmed", "rejected"}))}),
       .response = Items(RegistrationSchema(), 500),
       .handler = ListRegistrations},
      {.method = "POST",
       .path = "/api/v1/registrations/{id}/confirm",
       .operation = "confirmRegistration",
       .summary = "Confirm a traveller's registration (the document was seen)",
       .tag = "registry",
       .access = Needs(C::kRegisterPeople, Scope::kOrgUnit),
       .body = Schema::Object({Optional("reason", Schema::String(500))}),
       .response = RegistrationSchema(),
       .handler = [](Context& ctx) { return Decide(ctx, true); },
       .resource = "registration"},
      {.method = "POST",
       .path = "/api/v1/registrations/{id}/reject",
       .operation = "rejectRegistration",
       .summary = "Reject a traveller's registration, with the reason; the account stops working",
       .tag = "registry",
       .access = Needs(C::kRegisterPeople, Scope::kOrgUnit),
       .body = Schema::Object({Required("reason", Schema::String(500))}),
       .response = RegistrationSchema(),
       .handler = [](Context& ctx) { return Decide(ctx, false); },
       .resource = "registration"},
      {.method = "GET",
       .path = "/api/v1/venues",
       .operation = "listVenues",
       .summary = "Venues in your org unit",
       .tag = "registry",
       .access = Needs(C::kReadVenues, Scope::kOrgUnit),
       .query = Paging(),
       .response = Items(VenueSchema(), 500),
       .handler = ListVenues},
      {.method = "POST",
       .path = "/api/v1/venues",
       .operation = "createVenue",
       .summary = "Register a venue",
       .tag = "registry",
       .access = Needs(C::kManageVenues, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("name", Schema::String(200)), Required("kind", Schema::String(40)),
            Required("capacity", Schema::Integer(1, 1000000)),
            Required("org_unit_id", Schema::Id()),
            Optional("default_stay_minutes", Schema::Integer(1, 1440)),
            Optional("address", Schema::String(300)),
            Optional(
                "languages",
                Schema::Array(LanguageEnum(), 15).Doc("languages of the poster's instructions"))}),
       .response = VenueSchema(),
       .status = 201,
       .handler = CreateVenue},
      {.method = "GET",
       .path = "/api/v1/venues/{id}",
       .operation = "getVenue",
       .summary = "One venue",
       .tag = "registry",
       .access = Needs(C::kReadVenues, Scope::kOrgUnit),
       .response = VenueSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto v,
                          ctx.svc.registry.VenueById(ctx.by(), VenueId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(v));
       },
       .resource = "venue"},
      {.method = "GET",
       .path = "/api/v1/venues/{id}/poster",
       .operation = "getVenuePoster",
       .summary = "The venue's signed QR text",
       .tag = "registry",
       .access = Needs(C::kManageVenues, Scope::kOrgUnit),
       .response = Schema::Object({Required("venue_id", Schema::Integer()),
                                   Required("name", Schema::String()),
                                   Required("qr_text", Schema::String()),
                                   Required("languages", Schema::Array(Schema::String(8), 15))}),
       .handler = [](Context& ctx) { return Poster(ctx, "json"); },
       .resource = "venue"},
      {.method = "GET",
       .path = "/api/v1/venues/{id}/poster.png",
       .operation = "getVenuePosterPng",
       .summary = "The venue's QR poster as PNG",
       .tag = "registry",
       .access = Needs(C::kManageVenues, Scope::kOrgUnit),
       .response_type = "image/png",
       .handler = [](Context& ctx) { return Poster(ctx, "png"); },
       .resource = "venue"},
      {.method = "GET",
       .path = "/api/v1/venues/{id}/poster.svg",
       .operation = "getVenuePosterSvg",
       .summary = "The venue's QR poster as SVG",
       .tag = "registry",
       .access = Needs(C::kManageVenues, Scope::kOrgUnit),
       .response_type = "image/svg+xml",
       .handler = [](Context& ctx) { return Poster(ctx, "svg"); },
       .resource = "venue"},
      {.method = "GET",
       .path = "/api/v1/facilities",
       .operation = "listFacilities",
       .summary = "Facilities in your org unit",
       .tag = "registry",
       .access = Needs(C::kReadFacilities, Scope::kOrgUnit),
       .response = Items(FacilitySchema(), 100000),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.registry.ListFacilities(ctx.by()));
         Json items = Json::array();
         for (const auto& f : list) items.push_back(ToJson(f));
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/facilities",
       .operation = "createFacility",
       .summary = "Register a hospital, lab or other facility",
       .tag = "registry",
       .access = Needs(C::kManageFacilities, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("name", Schema::String(200)),
            Required("kind", Schema::Enum({"hospital", "lab", "clinic", "quarantine_site",
                                           "imaging_centre", "icu"})),
            Required("org_unit_id", Schema::Id())}),
       .response = FacilitySchema(),
       .status = 201,
       .handler = CreateFacility},
      {.method = "POST",
       .path = "/api/v1/users",
       .operation = "createUser",
       .summary = "Add a user in your org unit; a device gets its API key once",
       .tag = "registry",
       .access = Needs(C::kManageUsers, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("username", Schema::String(64)), Optional("password", Schema::String(256)),
            Required("role", Schema::Enum({"admin", "command_officer", "tracer", "lab_technician",
                                           "clinician", "venue_operator", "checkpoint_officer",
                                           "citizen", "device"})),
            Required("org_unit_id", Schema::Id()), Optional("person_id", Schema::Id())}),
       .response = Schema::Object(
           {Required("id", Schema::Integer()), Required("username", Schema::String()),
            Required("role", Schema::String()), Required("api_key", Schema::String().Nullable())}),
       .status = 201,
       .lane = Lane::kHeavy,
       .handler = CreateUser},
      {.method = "GET",
       .path = "/api/v1/users",
       .operation = "listUsers",
       .summary = "Users in your org unit",
       .tag = "registry",
       .access = Needs(C::kManageUsers, Scope::kOrgUnit),
       .query = Paging(),
       .response = Items(UserSchema(), 500),
       .handler = ListUsers},
      {.method = "GET",
       .path = "/api/v1/access-log",
       .operation = "listAccessLog",
       .summary = "Who read whose personal data, for people in your org unit (?person_id for one)",
       .tag = "registry",
       .access = Needs(C::kReadAccessLog, Scope::kOrgUnit),
       .query = {Optional("person_id", Schema::Id()), Optional("limit", Schema::Integer(1, 1000))},
       .response = Items(AccessEntrySchema(), 1000),
       .handler = AccessLog},
  };
}

}  // namespace mekong::http
