// Routes for outbreak management (docs/outbreak.md): cases through their life, contacts and
// their follow-up, chains and clusters, curves and Rt, testing, vaccination, the population
// register and merges, and the line lists with their CSV exports.
#include "mekong/core/time.h"
#include "mekong/http/codec.h"
#include "mekong/qr/qr.h"

namespace mekong::http {

namespace {

using registry::Capability;

std::optional<OrgUnitId> UnitParam(const Context& ctx) {
  if (auto u = OptInt(ctx.query, "org_unit_id")) return OrgUnitId(*u);
  return std::nullopt;
}

Json Page(Json items, int64_t total, const Context& ctx) {
  return {{"items", std::move(items)},
          {"total", total},
          {"limit", Limit(ctx)},
          {"offset", Offset(ctx)}};
}
Schema PageOf(Schema item) {
  return Schema::Object({Required("items", Schema::Array(std::move(item), 10000)),
                         Required("total", Schema::Integer()), Required("limit", Schema::Integer()),
                         Required("offset", Schema::Integer())});
}

std::string T(int64_t ms) { return FormatRfc3339(ms); }
std::string T(const std::optional<int64_t>& ms) { return ms ? FormatRfc3339(*ms) : ""; }

Response CsvResponse(const std::string& name, std::string body) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return r;
}

// ---- cases ----

std::vector<Field> CaseFilterParams() {
  return Paging({Optional("org_unit_id", Schema::Id().Doc("a unit inside yours (default: yours)")),
                 Optional("classification",
                          Schema::Enum({"suspected", "probable", "confirmed", "discarded"})),
                 Optional("outcome", Schema::Enum({"recovered", "died", "lost", "none"})),
                 Optional("reported_from", Schema::Time()), Optional("reported_to", Schema::Time()),
                 Optional("onset_from", Schema::Time()), Optional("onset_to", Schema::Time())});
}

cases::CaseFilter CaseFilterOf(const Context& ctx, int limit, int offset) {
  cases::CaseFilter f;
  if (auto c = OptString(ctx.query, "classification"))
    f.classification = cases::ClassificationByName(*c);
  f.outcome = OptString(ctx.query, "outcome");
  f.reported_from = OptInt(ctx.query, "reported_from");
  f.reported_to = OptInt(ctx.query, "reported_to");
  f.onset_from = OptInt(ctx.query, "onset_from");
  f.onset_to = OptInt(ctx.query, "onset_to");
  f.limit = limit;
  f.offset = offset;
  return f;
}

Json CaseLineJson(const cases::CaseLine& l) {
  Json j = ToJson(l.c);
  j["full_name"] = l.person.full_name;
  j["sex"] = l.person.sex.empty() ? Json(nullptr) : Json(l.person.sex);
  j["birth_date"] = l.person.birth_date.empty() ? Json(nullptr) : Json(l.person.birth_date);
  j["phone"] = l.person.phone.empty() ? Json(nullptr) : Json(l.person.phone);
  j["nationality"] = l.person.nationality;
  return j;
}
Schema CaseLineSchema() {
  std::vector<Field> f = CaseSchema().fields();
  f.push_back(Required("full_name", Schema::String()));
  f.push_back(Required("sex", Schema::String().Nullable()));
  f.push_back(Required("birth_date", Schema::String().Nullable()));
  f.push_back(Required("phone", Schema::String().Nullable()));
  f.push_back(Required("nationality", Schema::String(2)));
  return Schema::Object(f);
}

Result<Response> UpdateCase(Context& ctx) {
  cases::CaseUpdate u;
  if (auto c = OptString(ctx.body, "classification"))
    u.classification = cases::ClassificationByName(*c);
  u.onset_at = OptInt(ctx.body, "onset_at");
  u.sample_at = OptInt(ctx.body, "sample_at");
  u.isolated_at = OptInt(ctx.body, "isolated_at");
  u.isolation_place = OptString(ctx.body, "isolation_place");
  u.outcome = OptString(ctx.body, "outcome");
  u.outcome_at = OptInt(ctx.body, "outcome_at");
  u.note = String(ctx.body, "note");
  ASSIGN_OR_RETURN(auto c, ctx.svc.cases.Update(ctx.by(), CaseId(Int(ctx.path, "id")), u));
  return JsonResponse(ToJson(c));
}

Result<Response> CaseLines(Context& ctx, bool csv) {
  int limit = csv ? 10000 : Limit(ctx), offset = csv ? 0 : Offset(ctx);
  ASSIGN_OR_RETURN(auto page, ctx.svc.cases.CaseLines(ctx.by(), UnitParam(ctx),
                                                      CaseFilterOf(ctx, limit, offset)));
  if (!csv) {
    Json items = Json::array();
    for (const auto& l : page.items) items.push_back(CaseLineJson(l));
    return JsonResponse(Page(items, page.total, ctx));
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : page.items) {
    rows.push_back({std::to_string(l.c.id.value), std::to_string(l.c.person.value),
                    l.person.full_name, l.person.sex, l.person.birth_date, l.person.nationality,
                    std::to_string(l.c.org_unit.value),
                    std::string(cases::ClassificationName(l.c.classification)), T(l.c.onset_at),
                    T(l.c.sample_at), T(l.c.isolated_at), l.c.isolation_place, l.c.outcome,
                    T(l.c.outcome_at), T(l.c.reported_at),
                    l.c.confirmed_at ? T(l.c.confirmed_at) : "", T(l.c.released_at),
                    std::to_string(l.c.contact_count)});
  }
  return CsvResponse(
      "cases",
      Csv({"case_id", "person_id", "full_name", "sex", "birth_date", "nationality", "org_unit_id",
           "classification", "onset_at", "sample_at", "isolated_at", "isolation_place", "outcome",
           "outcome_at", "reported_at", "confirmed_at", "released_at", "contact_count"},
          rows));
}

// ---- contacts ----

std::vector<Field> ContactFilterParams() {
  return Paging(
      {Optional("org_unit_id", Schema::Id().Doc("a unit inside yours (default: yours)")),
       Optional("status", Schema::Enum({"under_follow_up", "completed", "lost", "converted"})),
       Optional("risk", Schema::Enum({"high", "medium", "low"})),
       Optional("source",
                Schema::Enum({"tracing", "co_travel", "household", "workplace", "care", "other"})),
       Optional("case_id", Schema::Id()), Optional("assigned_to", Schema::Id()),
       Optional("exposed_from", Schema::Time()), Optional("exposed_to", Schema::Time())});
}

cases::ContactFilter ContactFilterOf(const Json& q, int limit, int offset) {
  cases::ContactFilter f;
  f.status = OptString(q, "status");
  f.risk = OptString(q, "risk");
  f.source = OptString(q, "source");
  if (auto c = OptInt(q, "case_id")) f.case_id = CaseId(*c);
  if (auto u = OptInt(q, "assigned_to")) f.assigned_to = UserId(*u);
  f.exposed_from = OptInt(q, "exposed_from");
  f.exposed_to = OptInt(q, "exposed_to");
  f.limit = limit;
  f.offset = offset;
  return f;
}

Schema NewContactSchema() {
  return Schema::Object(
      {Required("person_id", Schema::Id()),
       Required("source", Schema::Enum({"household", "workplace", "care", "other"})),
       Required("proximity", Schema::Enum({"face_to_face", "physical", "same_room", "care",
                                           "shared_venue", "same_vehicle"})),
       Required("risk", Schema::Enum({"high", "medium", "low"})),
       Optional("place", Schema::String(200)), Optional("venue_id", Schema::Id()),
       Required("exposure_start", Schema::Time()),
       Required("duration_minutes", Schema::Integer(0, 86400))});
}

Result<Response> AddCaseContacts(Context& ctx) {
  std::vector<cases::NewContact> in;
  for (const auto& j : ctx.body["contacts"]) {
    cases::NewContact k;
    k.case_id = CaseId(Int(ctx.path, "id"));
    k.person = PersonId(Int(j, "person_id"));
    k.source = String(j, "source");
    k.proximity = String(j, "proximity");
    k.risk = String(j, "risk");
    k.place = String(j, "place");
    if (auto v = OptInt(j, "venue_id")) k.venue = VenueId(*v);
    k.exposure_start = Int(j, "exposure_start");
    k.duration_minutes = Int(j, "duration_minutes");
    in.push_back(k);
  }
  ASSIGN_OR_RETURN(auto made, ctx.svc.cases.AddContacts(ctx.by(), in));
  Json items = Json::array();
  for (const auto& c : made) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}}, 201);
}

Result<Response> ContactLines(Context& ctx, bool csv) {
  int limit = csv ? 10000 : Limit(ctx), offset = csv ? 0 : Offset(ctx);
  ASSIGN_OR_RETURN(auto page,
                   ctx.svc.cases.ContactLines(ctx.by(), UnitParam(ctx),
                                              ContactFilterOf(ctx.query, limit, offset)));
  if (!csv) {
    Json items = Json::array();
    for (const auto& l : page.items) items.push_back(ToJson(l.contact, &l.person));
    Json out = Page(items, page.total, ctx);
    out["day"] = page.day;
    return JsonResponse(out);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : page.items) {
    const auto& c = l.contact;
    rows.push_back({std::to_string(c.id), std::to_string(c.case_id.value),
                    std::to_string(c.person.value), l.person.full_name, l.person.phone,
                    std::to_string(c.org_unit.value), c.source, c.proximity, c.risk, c.place,
                    c.venue ? std::to_string(c.venue->value) : "", T(c.exposure_start),
                    std::to_string(c.duration_minutes), T(c.last_exposure), c.status,
                    T(c.follow_up_until), c.assigned_to ? std::to_string(c.assigned_to->value) : "",
                    c.check_status});
  }
  return CsvResponse(
      "contacts",
      Csv({"contact_id", "case_id", "person_id", "full_name", "phone", "org_unit_id", "source",
           "proximity", "risk", "place", "venue_id", "exposure_start", "duration_minutes",
           "last_exposure", "status", "follow_up_until", "assigned_to", "today"},
          rows));
}

cases::CheckAnswer AnswerOf(const Json& body) {
  cases::CheckAnswer a;
  a.symptoms = String(body, "symptoms");
  a.temperature_celsius = OptNumber(body, "temperature_celsius");
  return a;
}
Schema AnswerSchema() {
  return Schema::Object({Optional("symptoms", Schema::String(500).Doc("empty or absent: none")),
                         Optional("temperature_celsius", Schema::Number(30, 45))});
}

Result<Response> BulkContacts(Context& ctx) {
  std::vector<int64_t> ids;
  if (ctx.body.contains("ids")) {
    for (const auto& id : ctx.body["ids"]) ids.push_back(id.get<int64_t>());
  }
  Json filter = ctx.body.contains("filter") ? ctx.body["filter"] : Json::object();
  if (ids.empty() && filter.empty()) {
    return Status::InvalidArgument("give ids, or a filter for every contact it selects", "ids");
  }
  std::optional<OrgUnitId> unit;
  if (auto u = OptInt(filter, "org_unit_id")) unit = OrgUnitId(*u);
  std::optional<UserId> assign;
  if (auto a = OptInt(ctx.body, "assign_to")) assign = UserId(*a);
  ASSIGN_OR_RETURN(
      int64_t n, ctx.svc.cases.BulkContacts(ctx.by(), unit, ContactFilterOf(filter, 10000, 0), ids,
                                            String(ctx.body, "action"), assign));
  return JsonResponse({{"changed", n}});
}

// ---- samples and labels ----

Result<Response> SampleLabel(Context& ctx, bool png) {
  ASSIGN_OR_RETURN(auto s, ctx.svc.outbreak.GetSample(ctx.by(), Int(ctx.path, "id")));
  qr::Options options;
  options.ec = qr::ErrorCorrection::kQuartile;  // tubes are small, wet and curved
  options.module_px = 4;
  Response r;
  if (png) {
    ASSIGN_OR_RETURN(r.body, qr::RenderPng(s.label, options));
    r.content_type = "image/png";
  } else {
    ASSIGN_OR_RETURN(r.body, qr::RenderSvg(s.label, options));
    r.content_type = "image/svg+xml";
  }
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"" + s.label + (png ? ".png\"" : ".svg\""));
  return r;
}

Json ResultJson(const outbreak::ResultOutcome& r) {
  return {{"sample", ToJson(r.sample)},
          {"colour", healthcode::ColourName(r.colour)},
          {"case", r.c ? ToJson(*r.c) : Json(nullptr)}};
}
Schema ResultSchema() {
  return Schema::Object({Required("sample", SampleSchema()),
                         Required("colour", Schema::Enum({"green", "yellow", "red"})),
                         Required("case", Schema(CaseSchema()).Nullable())});
}

std::vector<Field> SampleFilterParams() {
  return Paging({Optional("org_unit_id", Schema::Id()),
                 Optional("result", Schema::Enum({"positive", "negative", "invalid", "pending"})),
                 Optional("site_id", Schema::Id()), Optional("taken_from", Schema::Time()),
                 Optional("taken_to", Schema::Time())});
}

Result<Response> SampleLines(Context& ctx, bool csv) {
  outbreak::SampleFilter f;
  f.result = OptString(ctx.query, "result");
  f.site = OptInt(ctx.query, "site_id");
  f.taken_from = OptInt(ctx.query, "taken_from");
  f.taken_to = OptInt(ctx.query, "taken_to");
  f.limit = csv ? 10000 : Limit(ctx);
  f.offset = csv ? 0 : Offset(ctx);
  ASSIGN_OR_RETURN(auto page, ctx.svc.outbreak.SampleLines(ctx.by(), UnitParam(ctx), f));
  if (!csv) {
    Json items = Json::array();
    for (const auto& s : page.items) items.push_back(ToJson(s));
    return JsonResponse(Page(items, page.total, ctx));
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : page.items) {
    rows.push_back({std::to_string(s.id), s.label, std::to_string(s.person.value),
                    std::to_string(s.site_id), s.kind, T(s.taken_at), s.result, T(s.result_at),
                    s.case_id ? std::to_string(s.case_id->value) : ""});
  }
  return CsvResponse("tests", Csv({"sample_id", "label", "person_id", "site_id", "kind", "taken_at",
                                   "result", "result_at", "case_id"},
                                  rows));
}

std::vector<Field> DoseFilterParams() {
  return Paging({Optional("org_unit_id", Schema::Id()), Optional("product", Schema::String(64)),
                 Optional("dose", Schema::Integer(1, 10)), Optional("given_from", Schema::Time()),
                 Optional("given_to", Schema::Time())});
}

Result<Response> DoseLines(Context& ctx, bool csv) {
  outbreak::DoseFilter f;
  f.product = OptString(ctx.query, "product");
  if (auto d = OptInt(ctx.query, "dose")) f.dose = static_cast<int>(*d);
  f.given_from = OptInt(ctx.query, "given_from");
  f.given_to = OptInt(ctx.query, "given_to");
  f.limit = csv ? 10000 : Limit(ctx);
  f.offset = csv ? 0 : Offset(ctx);
  ASSIGN_OR_RETURN(auto page, ctx.svc.outbreak.DoseLines(ctx.by(), UnitParam(ctx), f));
  if (!csv) {
    Json items = Json::array();
    for (const auto& d : page.items) items.push_back(ToJson(d));
    return JsonResponse(Page(items, page.total, ctx));
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : page.items) {
    rows.push_back({std::to_string(d.id), std::to_string(d.person.value), d.product, d.lot,
                    std::to_string(d.dose), T(d.given_at), d.site, d.country, d.source,
                    d.certificate_id});
  }
  return CsvResponse("vaccinations",
                     Csv({"dose_id", "person_id", "product", "lot", "dose", "given_at", "site",
                          "country", "source", "certificate_id"},
                         rows));
}

Json DuplicateJson(const outbreak::DuplicateCandidate& d) {
  return {{"reason", d.pair.reason}, {"a", ToJson(d.a)}, {"b", ToJson(d.b)}};
}

// Every candidate pair of the unit, a row each, for working through them in a spreadsheet.
Result<Response> DuplicatesCsv(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.outbreak.Duplicates(ctx.by(), UnitParam(ctx), 100000));
  std::vector<std::string> header = {"reason"};
  for (const char* side : {"a", "b"}) {
    for (const char* col : {"id", "full_name", "document_type", "document_number", "nationality",
                            "birth_date", "sex", "phone", "address", "org_unit_id"}) {
      header.push_back(std::string(side) + "_" + col);
    }
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(list.size());
  for (const auto& d : list) {
    std::vector<std::string> row = {d.pair.reason};
    for (const registry::Person* p : {&d.a, &d.b}) {
      for (std::string v : {std::to_string(p->id.value), p->full_name, p->document_type,
                            p->document_number, p->nationality, p->birth_date, p->sex, p->phone,
                            p->address, std::to_string(p->org_unit.value)}) {
        row.push_back(std::move(v));
      }
    }
    rows.push_back(std::move(row));
  }
  return CsvResponse("duplicates", Csv(header, rows));
}

}  // namespace

std::vector<Route> OutbreakRoutes() {
  using C = Capability;
  const Schema graph = GraphSchema();
  return {
      // ---- cases through their life ----
      {.method = "POST",
       .path = "/api/v1/cases/{id}/update",
       .operation = "updateCase",
       .summary = "Reclassify a case or change its dates, isolation or outcome; the change is "
                  "kept in its history. Discarding (or leaving confirmed) takes its facts back and "
                  "recomputes every code it touched",
       .tag = "outbreak",
       .access = Needs(C::kManageCases, Scope::kOrgUnit),
       .body = Schema::Object(
           {Optional("classification",
                     Schema::Enum({"suspected", "probable", "confirmed", "discarded"})),
            Optional("onset_at", Schema::Time()), Optional("sample_at", Schema::Time()),
            Optional("isolated_at", Schema::Time()),
            Optional("isolation_place", Schema::String(200)),
            Optional("outcome", Schema::Enum({"recovered", "died", "lost"})),
            Optional("outcome_at", Schema::Time()), Optional("note", Schema::Text(500))}),
       .response = CaseSchema(),
       .handler = UpdateCase,
       .resource = "case"},
      {.method = "GET",
       .path = "/api/v1/cases/{id}/history",
       .operation = "listCaseHistory",
       .summary = "Every change of a case: who, when, what (field -> [before, after])",
       .tag = "outbreak",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .response = Items(CaseEventSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto h, ctx.svc.cases.History(ctx.by(), CaseId(Int(ctx.path, "id"))));
         Json items = Json::array();
         for (const auto& e : h) items.push_back(ToJson(e));
         return JsonResponse({{"items", items}});
       },
       .resource = "case"},
      {.method = "GET",
       .path = "/api/v1/cases/{id}/chain",
       .operation = "getCaseChain",
       .summary = "The transmission chain the case is part of, as a graph: cases (nodes) and who "
                  "likely infected whom (edges, with venue and time)",
       .tag = "outbreak",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .response = graph,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto g, ctx.svc.cases.CaseChain(ctx.by(), CaseId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(g, ctx.by()));
       },
       .resource = "case"},
      {.method = "POST",
       .path = "/api/v1/cases/{id}/contacts",
       .operation = "addCaseContacts",
       .summary = "Contacts entered by hand (household, workplace, care), each with its exposure "
                  "and risk; follow-up starts, assigned round-robin to the commune's tracers",
       .tag = "outbreak",
       .access = Needs(C::kManageContacts, Scope::kOrgUnit),
       .body = Schema::Object({Required("contacts", Schema::Array(NewContactSchema(), 1000))}),
       .response = Items(ContactSchema()),
       .status = 201,
       .handler = AddCaseContacts,
       .resource = "case"},
      {.method = "GET",
       .path = "/api/v1/line-lists/cases",
       .operation = "listCaseLines",
       .summary = "The case line list of your unit (or one inside it), filtered and paged",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = CaseFilterParams(),
       .response = PageOf(CaseLineSchema()),
       .handler = [](Context& ctx) { return CaseLines(ctx, false); }},
      {.method = "GET",
       .path = "/api/v1/line-lists/cases.csv",
       .operation = "exportCaseLines",
       .summary = "The same case line list as CSV (RFC 4180, UTF-8 with BOM; up to 10,000 rows)",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = CaseFilterParams(),
       .response_type = "text/csv",
       .handler = [](Context& ctx) { return CaseLines(ctx, true); }},

      // ---- contacts and follow-up ----
      {.method = "GET",
       .path = "/api/v1/line-lists/contacts",
       .operation = "listContactLines",
       .summary = "Contacts of your unit (the follow-up board), filtered and paged, with today's "
                  "check",
       .tag = "outbreak",
       .access = Needs(C::kReadContacts, Scope::kOrgUnit),
       .query = ContactFilterParams(),
       .response =
           [] {
             std::vector<Field> f = PageOf(ContactSchema()).fields();
             f.push_back(Required("day", Schema::Date()));
             return Schema::Object(f);
           }(),
       .handler = [](Context& ctx) { return ContactLines(ctx, false); }},
      {.method = "GET",
       .path = "/api/v1/line-lists/contacts.csv",
       .operation = "exportContactLines",
       .summary = "The same contact list as CSV",
       .tag = "outbreak",
       .access = Needs(C::kReadContacts, Scope::kOrgUnit),
       .query = ContactFilterParams(),
       .response_type = "text/csv",
       .handler = [](Context& ctx) { return ContactLines(ctx, true); }},
      {.method = "GET",
       .path = "/api/v1/contacts/{id}",
       .operation = "getContact",
       .summary = "One contact",
       .tag = "outbreak",
       .access = Needs(C::kReadContacts, Scope::kOrgUnit),
       .response = ContactSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto c, ctx.svc.cases.GetContact(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(c.contact, &c.person));
       },
       .resource = "contact"},
      {.method = "GET",
       .path = "/api/v1/contacts/{id}/checks",
       .operation = "listContactChecks",
       .summary = "A contact's daily checks, answered and missed",
       .tag = "outbreak",
       .access = Needs(C::kReadContacts, Scope::kOrgUnit),
       .response = Items(CheckSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.cases.Checks(ctx.by(), Int(ctx.path, "id")));
         Json items = Json::array();
         for (const auto& c : list) items.push_back(ToJson(c));
         return JsonResponse({{"items", items}});
       },
       .resource = "contact"},
      {.method = "POST",
       .path = "/api/v1/contacts/{id}/checks",
       .operation = "answerContactCheck",
       .summary = "A tracer records today's check for a contact (symptoms or a fever also turn "
                  "the code as the policy's symptoms rule says)",
       .tag = "outbreak",
       .access = Needs(C::kManageContacts, Scope::kOrgUnit),
       .body = AnswerSchema(),
       .response = CheckSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(
             auto c, ctx.svc.cases.AnswerCheck(ctx.by(), Int(ctx.path, "id"), AnswerOf(ctx.body)));
         return JsonResponse(ToJson(c), 201);
       },
       .resource = "contact"},
      {.method = "GET",
       .path = "/api/v1/tracers",
       .operation = "listTracers",
       .summary = "The tracers of your unit (or one inside it) and of the units under it: whom "
                  "contacts can be assigned to",
       .tag = "outbreak",
       .access = Needs(C::kManageContacts, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id())},
       .response = Items(Schema::Object({Required("user_id", Schema::Id()),
                                         Required("username", Schema::String()),
                                         Required("org_unit_id", Schema::Id())})),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.cases.Tracers(ctx.by(), UnitParam(ctx)));
         Json items = Json::array();
         for (const auto& u : list) {
           items.push_back({{"user_id", u.id.value},
                            {"username", u.username},
                            {"org_unit_id", u.org_unit.value}});
         }
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/contacts/bulk",
       .operation = "bulkUpdateContacts",
       .summary = "One action on many contacts: the listed ids, or every contact a filter "
                  "selects (lost, completed, resume, assign)",
       .tag = "outbreak",
       .access = Needs(C::kManageContacts, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("action", Schema::Enum({"lost", "completed", "resume", "assign"})),
            Optional("ids", Schema::Array(Schema::Id(), 10000)),
            Optional("filter",
                     Schema::Object(
                         {Optional("org_unit_id", Schema::Id()),
                          Optional("status", Schema::Enum({"under_follow_up", "completed", "lost",
                                                           "converted"})),
                          Optional("risk", Schema::Enum({"high", "medium", "low"})),
                          Optional("source", Schema::Enum({"tracing", "co_travel", "household",
                                                           "workplace", "care", "other"})),
                          Optional("case_id", Schema::Id()), Optional("assigned_to", Schema::Id()),
                          Optional("exposed_from", Schema::Time()),
                          Optional("exposed_to", Schema::Time())})),
            Optional("assign_to", Schema::Id().Doc("a tracer's user id, for assign"))}),
       .response = Schema::Object({Required("changed", Schema::Integer())}),
       .handler = BulkContacts},
      {.method = "GET",
       .path = "/api/v1/me/follow-up",
       .operation = "getOwnFollowUp",
       .summary = "The citizen's own follow-up: the contacts they are, and today's check",
       .tag = "outbreak",
       .access = Needs(C::kAnswerOwnFollowUp, Scope::kSelf),
       .response = Items(ContactSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto f, ctx.svc.cases.OwnFollowUpOf(ctx.by()));
         Json items = Json::array();
         for (const auto& c : f.contacts) items.push_back(ToJson(c));
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/me/follow-up/checks",
       .operation = "answerOwnCheck",
       .summary = "The citizen answers today's check themself",
       .tag = "outbreak",
       .access = Needs(C::kAnswerOwnFollowUp, Scope::kSelf),
       .body = AnswerSchema(),
       .response = Items(CheckSchema()),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.cases.AnswerOwnCheck(ctx.by(), AnswerOf(ctx.body)));
         Json items = Json::array();
         for (const auto& c : list) items.push_back(ToJson(c));
         return JsonResponse({{"items", items}}, 201);
       }},

      // ---- chains and clusters ----
      {.method = "POST",
       .path = "/api/v1/transmissions",
       .operation = "addTransmission",
       .summary = "Record by hand that one case likely infected another",
       .tag = "outbreak",
       .access = Needs(C::kManageChains, Scope::kOrgUnit),
       .body =
           Schema::Object({Required("from_case_id", Schema::Id()),
                           Required("to_case_id", Schema::Id()), Optional("venue_id", Schema::Id()),
                           Optional("at", Schema::Time()), Optional("note", Schema::Text(500))}),
       .response = TransmissionSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         cases::Transmission t;
         t.from = CaseId(Int(ctx.body, "from_case_id"));
         t.to = CaseId(Int(ctx.body, "to_case_id"));
         if (auto v = OptInt(ctx.body, "venue_id")) t.venue = VenueId(*v);
         t.at = OptInt(ctx.body, "at");
         t.note = String(ctx.body, "note");
         ASSIGN_OR_RETURN(auto made, ctx.svc.cases.AddTransmission(ctx.by(), t));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "POST",
       .path = "/api/v1/clusters",
       .operation = "createCluster",
       .summary = "A cluster or an event (a wedding, a market day) grouping cases",
       .tag = "outbreak",
       .access = Needs(C::kManageChains, Scope::kOrgUnit),
       .body =
           Schema::Object({Required("name", Schema::String(200)),
                           Required("kind", Schema::Enum({"cluster", "event"})),
                           Optional("org_unit_id", Schema::Id()),
                           Optional("venue_id", Schema::Id()), Optional("start", Schema::Time()),
                           Optional("end", Schema::Time()), Optional("note", Schema::Text(1000)),
                           Optional("case_ids", Schema::Array(Schema::Id(), 10000))}),
       .response = ClusterSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         cases::Cluster c;
         c.name = String(ctx.body, "name");
         c.kind = String(ctx.body, "kind");
         if (auto u = OptInt(ctx.body, "org_unit_id")) c.org_unit = OrgUnitId(*u);
         if (auto v = OptInt(ctx.body, "venue_id")) c.venue = VenueId(*v);
         c.start = OptInt(ctx.body, "start");
         c.end = OptInt(ctx.body, "end");
         c.note = String(ctx.body, "note");
         if (ctx.body.contains("case_ids")) {
           for (const auto& id : ctx.body["case_ids"]) c.cases.push_back(CaseId(id.get<int64_t>()));
         }
         ASSIGN_OR_RETURN(auto made, ctx.svc.cases.CreateCluster(ctx.by(), c));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/clusters",
       .operation = "listClusters",
       .summary = "Clusters and events in your unit, newest first",
       .tag = "outbreak",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .query = Paging(),
       .response = Items(ClusterSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.cases.Clusters(ctx.by(), Limit(ctx), Offset(ctx)));
         Json items = Json::array();
         for (const auto& c : list) items.push_back(ToJson(c));
         return JsonResponse({{"items", items}});
       }},
      {.method = "GET",
       .path = "/api/v1/clusters/{id}",
       .operation = "getCluster",
       .summary = "One cluster or event",
       .tag = "outbreak",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .response = ClusterSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto c, ctx.svc.cases.GetCluster(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(c));
       },
       .resource = "cluster"},
      {.method = "POST",
       .path = "/api/v1/clusters/{id}/cases",
       .operation = "addClusterCases",
       .summary = "Add cases to a cluster or event",
       .tag = "outbreak",
       .access = Needs(C::kManageChains, Scope::kOrgUnit),
       .body = Schema::Object({Required("case_ids", Schema::Array(Schema::Id(), 10000))}),
       .response = ClusterSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         std::vector<CaseId> ids;
         for (const auto& id : ctx.body["case_ids"]) ids.push_back(CaseId(id.get<int64_t>()));
         ASSIGN_OR_RETURN(auto c, ctx.svc.cases.AddToCluster(ctx.by(), Int(ctx.path, "id"), ids));
         return JsonResponse(ToJson(c));
       },
       .resource = "cluster"},
      {.method = "GET",
       .path = "/api/v1/clusters/{id}/chain",
       .operation = "getClusterChain",
       .summary = "A cluster's cases and every chain they are part of, as a graph",
       .tag = "outbreak",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .response = graph,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto g, ctx.svc.cases.ClusterChain(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(g, ctx.by()));
       },
       .resource = "cluster"},

      // ---- curves and Rt ----
      {.method = "GET",
       .path = "/api/v1/epicurve",
       .operation = "getEpiCurve",
       .summary = "Confirmed and probable cases per local day of a unit, by onset or report date",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id()), Required("from", Schema::Date()),
                 Required("to", Schema::Date()), Optional("by", Schema::Enum({"onset", "report"}))},
       .response = CurveSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(
             auto c,
             ctx.svc.cases.EpiCurve(ctx.by(), UnitParam(ctx), String(ctx.query, "from"),
                                    String(ctx.query, "to"), String(ctx.query, "by") != "report"));
         return JsonResponse(ToJson(c));
       }},
      {.method = "GET",
       .path = "/api/v1/rt",
       .operation = "getReproductionNumber",
       .summary = "The instantaneous reproduction number by onset date with its 95% credible "
                  "interval (Cori et al. 2013; the serial interval is the policy's)",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id()), Required("from", Schema::Date()),
                 Required("to", Schema::Date()), Optional("window_days", Schema::Integer(1, 28))},
       .response = ReproductionSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(
             auto r,
             ctx.svc.cases.Rt(ctx.by(), UnitParam(ctx), String(ctx.query, "from"),
                              String(ctx.query, "to"),
                              static_cast<int>(OptInt(ctx.query, "window_days").value_or(7))));
         return JsonResponse(ToJson(r));
       }},

      // ---- test sites and bookings ----
      {.method = "POST",
       .path = "/api/v1/test-sites",
       .operation = "createTestSite",
       .summary = "A test site in your unit",
       .tag = "outbreak",
       .access = Needs(C::kManageTestSites, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("name", Schema::String(200)), Optional("address", Schema::String(300)),
            Optional("org_unit_id", Schema::Id()),
            Required("kinds", Schema::Array(Schema::Enum({"pcr", "antigen"}), 2)),
            Optional("facility_id", Schema::Id())}),
       .response = TestSiteSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         outbreak::TestSite s;
         s.name = String(ctx.body, "name");
         s.address = String(ctx.body, "address");
         if (auto u = OptInt(ctx.body, "org_unit_id")) s.org_unit = OrgUnitId(*u);
         for (const auto& k : ctx.body["kinds"]) s.kinds.push_back(k.get<std::string>());
         if (auto f = OptInt(ctx.body, "facility_id")) s.facility = FacilityId(*f);
         ASSIGN_OR_RETURN(auto made, ctx.svc.outbreak.CreateSite(ctx.by(), s));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/test-sites",
       .operation = "listTestSites",
       .summary = "Test sites (citizens: every site; staff: their unit's)",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .response = Items(TestSiteSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list, ctx.svc.outbreak.Sites(ctx.by()));
         Json items = Json::array();
         for (const auto& s : list) items.push_back(ToJson(s));
         return JsonResponse({{"items", items}});
       }},
      {.method = "GET",
       .path = "/api/v1/test-sites/{id}",
       .operation = "getTestSite",
       .summary = "One test site (citizens: any; staff: their unit's)",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .response = TestSiteSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto s, ctx.svc.outbreak.Site(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(s));
       },
       .resource = "test_site"},
      {.method = "POST",
       .path = "/api/v1/test-sites/{id}/slots",
       .operation = "addTestSlots",
       .summary = "Appointment slots for a local day of the site, from start to end every "
                  "`minutes`, `capacity` places each",
       .tag = "outbreak",
       .access = Needs(C::kManageTestSites, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("date", Schema::Date()), Required("start", Schema::String(5)),
            Required("end", Schema::String(5)), Required("minutes", Schema::Integer(5, 1440)),
            Required("capacity", Schema::Integer(1, 1000))}),
       .response = Schema::Object(
           {Required("created", Schema::Integer().Doc("new slots")),
            Required("kept", Schema::Integer().Doc("there already, with their own capacity")),
            Required("past", Schema::Integer().Doc("not made: they would start before now")),
            Required("items", Schema::Array(TestSlotSchema(), 500).Doc("in the site's zone"))}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         outbreak::NewSlots in{String(ctx.body, "date"), String(ctx.body, "start"),
                               String(ctx.body, "end"), static_cast<int>(Int(ctx.body, "minutes")),
                               static_cast<int>(Int(ctx.body, "capacity"))};
         ASSIGN_OR_RETURN(auto added, ctx.svc.outbreak.AddSlots(ctx.by(), Int(ctx.path, "id"), in));
         Json items = Json::array();
         for (const auto& s : added.slots) items.push_back(ToJson(s));
         return JsonResponse({{"created", added.created},
                              {"kept", added.kept},
                              {"past", added.past},
                              {"items", items}},
                             201);
       },
       .resource = "test_site"},
      {.method = "GET",
       .path = "/api/v1/test-sites/{id}/slots",
       .operation = "listTestSlots",
       .summary = "A site's slots over a local day in the reader's time zone (?tz, default the "
                  "caller's unit's), with the places free",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .query = {Required("date", Schema::Date()), Optional("tz", Schema::String(64))},
       .response = Schema::Object({Required("site", TestSiteSchema()),
                                   Required("time_zone", Schema::String(64)),
                                   Required("items", Schema::Array(TestSlotSchema(), 1000))}),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(
             auto list, ctx.svc.outbreak.Slots(ctx.by(), Int(ctx.path, "id"),
                                               String(ctx.query, "date"), String(ctx.query, "tz")));
         Json items = Json::array();
         for (const auto& s : list.slots) items.push_back(ToJson(s));
         return JsonResponse(
             {{"site", ToJson(list.site)}, {"time_zone", list.zone}, {"items", items}});
       },
       .resource = "test_site"},
      {.method = "POST",
       .path = "/api/v1/test-bookings",
       .operation = "bookTest",
       .summary = "Book a test (a citizen: for themself). Two people racing for the last place get "
                  "one booking and one 409 naming slot_id",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Required("slot_id", Schema::Id()),
                               Required("kind", Schema::Enum({"pcr", "antigen"})),
                               Optional("person_id", Schema::Id())}),
       .response = BookingSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         std::optional<PersonId> person;
         if (auto p = OptInt(ctx.body, "person_id")) person = PersonId(*p);
         ASSIGN_OR_RETURN(auto b, ctx.svc.outbreak.Book(ctx.by(), Int(ctx.body, "slot_id"), person,
                                                        String(ctx.body, "kind")));
         return JsonResponse(ToJson(b), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/test-bookings",
       .operation = "listTestBookings",
       .summary = "A person's test bookings (a citizen: their own)",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .query = {Optional("person_id", Schema::Id())},
       .response = Items(BookingSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         std::optional<PersonId> person;
         if (auto p = OptInt(ctx.query, "person_id")) person = PersonId(*p);
         ASSIGN_OR_RETURN(auto list, ctx.svc.outbreak.Bookings(ctx.by(), person));
         Json items = Json::array();
         for (const auto& b : list) items.push_back(ToJson(b));
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/test-bookings/{id}/cancel",
       .operation = "cancelTestBooking",
       .summary = "Cancel a booking; its place is free again",
       .tag = "outbreak",
       .access = Needs(C::kBookTest, Scope::kSelfOrOrgUnit),
       .response = BookingSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto b, ctx.svc.outbreak.Cancel(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(b));
       },
       .resource = "test_booking"},

      // ---- samples and results ----
      {.method = "POST",
       .path = "/api/v1/samples",
       .operation = "takeSample",
       .summary = "A sample taken at a site; its label (QR text) links sample, person and site",
       .tag = "outbreak",
       .access = Needs(C::kTakeSamples, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("person_id", Schema::Id()), Required("site_id", Schema::Id()),
            Required("kind", Schema::Enum({"pcr", "antigen"})),
            Optional("booking_id", Schema::Id()), Optional("taken_at", Schema::Time())}),
       .response = SampleSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         outbreak::Sample s;
         s.person = PersonId(Int(ctx.body, "person_id"));
         s.site_id = Int(ctx.body, "site_id");
         s.kind = String(ctx.body, "kind");
         s.booking_id = OptInt(ctx.body, "booking_id");
         s.taken_at = OptInt(ctx.body, "taken_at").value_or(0);
         ASSIGN_OR_RETURN(auto made, ctx.svc.outbreak.TakeSample(ctx.by(), s));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/samples/{id}",
       .operation = "getSample",
       .summary = "One sample and its result",
       .tag = "outbreak",
       .access = Needs(C::kReadSamples, Scope::kOrgUnit),
       .response = SampleSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto s, ctx.svc.outbreak.GetSample(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(s));
       },
       .resource = "sample"},
      {.method = "GET",
       .path = "/api/v1/samples/{id}/label.png",
       .operation = "getSampleLabelPng",
       .summary = "The sample's printable label: its QR as PNG",
       .tag = "outbreak",
       .access = Needs(C::kReadSamples, Scope::kOrgUnit),
       .response_type = "image/png",
       .handler = [](Context& ctx) { return SampleLabel(ctx, true); },
       .resource = "sample"},
      {.method = "GET",
       .path = "/api/v1/samples/{id}/label.svg",
       .operation = "getSampleLabelSvg",
       .summary = "The sample's printable label: its QR as SVG",
       .tag = "outbreak",
       .access = Needs(C::kReadSamples, Scope::kOrgUnit),
       .response_type = "image/svg+xml",
       .handler = [](Context& ctx) { return SampleLabel(ctx, false); },
       .resource = "sample"},
      {.method = "POST",
       .path = "/api/v1/samples/{id}/result",
       .operation = "enterSampleResult",
       .summary = "A lab technician's result: updates the health code; a positive opens a "
                  "suspected case (or confirms one, as the policy says)",
       .tag = "outbreak",
       .access = Needs(C::kEnterResults, Scope::kOrgUnit),
       .body =
           Schema::Object({Required("result", Schema::Enum({"positive", "negative", "invalid"}))}),
       .response = ResultSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto r, ctx.svc.outbreak.EnterResult(ctx.by(), Int(ctx.path, "id"),
                                                               String(ctx.body, "result")));
         return JsonResponse(ResultJson(r));
       },
       .resource = "sample"},
      {.method = "POST",
       .path = "/api/v1/samples/results",
       .operation = "enterSampleResults",
       .summary = "Results as a CSV batch (label,result): valid lines are recorded, the others "
                  "come back with their line and field",
       .tag = "outbreak",
       .access = Needs(C::kEnterResults, Scope::kOrgUnit),
       .body_types = {"text/csv"},
       .response = Schema::Object({Required("recorded", Schema::Integer()),
                                   Required("rejected", RejectedSchema()),
                                   Required("results", Schema::Array(ResultSchema(), 10000))}),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto r, ctx.svc.outbreak.EnterResults(ctx.by(), ctx.req.body));
         Json results = Json::array();
         for (const auto& x : r.results) results.push_back(ResultJson(x));
         return JsonResponse(
             {{"recorded", r.recorded}, {"rejected", ToJson(r.rejected)}, {"results", results}});
       }},
      {.method = "GET",
       .path = "/api/v1/line-lists/tests",
       .operation = "listTestLines",
       .summary = "Samples and results of your unit's sites, filtered and paged",
       .tag = "outbreak",
       .access = Needs(C::kReadSamples, Scope::kOrgUnit),
       .query = SampleFilterParams(),
       .response = PageOf(SampleSchema()),
       .handler = [](Context& ctx) { return SampleLines(ctx, false); }},
      {.method = "GET",
       .path = "/api/v1/line-lists/tests.csv",
       .operation = "exportTestLines",
       .summary = "The same test list as CSV",
       .tag = "outbreak",
       .access = Needs(C::kReadSamples, Scope::kOrgUnit),
       .query = SampleFilterParams(),
       .response_type = "text/csv",
       .handler = [](Context& ctx) { return SampleLines(ctx, true); }},

      // ---- vaccinations ----
      {.method = "POST",
       .path = "/api/v1/vaccination-doses",
       .operation = "recordVaccinationDose",
       .summary =
           "A dose given to a resident or a foreigner: product, lot, dose number, date, site",
       .tag = "outbreak",
       .access = Needs(C::kRecordVaccinations, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("person_id", Schema::Id()), Required("product", Schema::String(64)),
            Optional("lot", Schema::String(64)), Required("dose", Schema::Integer(1, 10)),
            Required("given_at", Schema::Time()), Optional("site", Schema::String(200)),
            Required("country", Schema::String(2))}),
       .response = DoseSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         outbreak::Dose d;
         d.person = PersonId(Int(ctx.body, "person_id"));
         d.product = String(ctx.body, "product");
         d.lot = String(ctx.body, "lot");
         d.dose = static_cast<int>(Int(ctx.body, "dose"));
         d.given_at = Int(ctx.body, "given_at");
         d.site = String(ctx.body, "site");
         d.country = String(ctx.body, "country");
         ASSIGN_OR_RETURN(auto made, ctx.svc.outbreak.RecordDose(ctx.by(), d));
         return JsonResponse(ToJson(made), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/people/{id}/vaccination-doses",
       .operation = "listPersonDoses",
       .summary = "Every vaccination dose of one person, newest first: what they already have "
                  "before the next is entered",
       .tag = "outbreak",
       .access = Needs(C::kRecordVaccinations, Scope::kOrgUnit),
       .response = Items(DoseSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list,
                          ctx.svc.outbreak.DosesOf(ctx.by(), PersonId(Int(ctx.path, "id"))));
         Json items = Json::array();
         for (const auto& d : list) items.push_back(ToJson(d));
         return JsonResponse({{"items", items}});
       },
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/people/{id}/vaccination-certificates",
       .operation = "importVaccinationCertificate",
       .summary = "The vaccination entry of a foreign EU DCC (HC1:) the verifier accepts",
       .tag = "outbreak",
       .access = Needs(C::kRecordVaccinations, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("qr", Schema::String(8000)),
            Optional("verify_at", Schema::Time().Doc("check the certificate as of this time "
                                                     "(default now), e.g. the day of entry"))}),
       .response = DoseSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.outbreak.ImportCertificate(
                                      ctx.by(), PersonId(Int(ctx.path, "id")),
                                      String(ctx.body, "qr"), OptInt(ctx.body, "verify_at")));
         return JsonResponse(ToJson(d), 201);
       },
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/line-lists/vaccinations",
       .operation = "listVaccinationLines",
       .summary = "Vaccination doses of your unit's people, filtered and paged",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = DoseFilterParams(),
       .response = PageOf(DoseSchema()),
       .handler = [](Context& ctx) { return DoseLines(ctx, false); }},
      {.method = "GET",
       .path = "/api/v1/line-lists/vaccinations.csv",
       .operation = "exportVaccinationLines",
       .summary = "The same vaccination list as CSV",
       .tag = "outbreak",
       .access = Needs(C::kReadLineLists, Scope::kOrgUnit),
       .query = DoseFilterParams(),
       .response_type = "text/csv",
       .handler = [](Context& ctx) { return DoseLines(ctx, true); }},

      // ---- population register and merges ----
      {.method = "POST",
       .path = "/api/v1/population/import",
       .operation = "importPopulation",
       .summary = "A population register extract as CSV (id_number, family_name, given_name, "
                  "birth_date, sex, address, commune_code, phone, nationality); idempotent",
       .tag = "outbreak",
       .access = Needs(C::kImportPopulation, Scope::kOrgUnit),
       .body_types = {"text/csv"},
       .response = Schema::Object(
           {Required("lines", Schema::Integer()), Required("created", Schema::Integer()),
            Required("updated", Schema::Integer()), Required("unchanged", Schema::Integer()),
            Required("rejected", RejectedSchema())}),
       .lane = Lane::kHeavy,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto r, ctx.svc.outbreak.ImportPopulation(ctx.by(), ctx.req.body));
         return JsonResponse({{"lines", r.lines},
                              {"created", r.counts.created},
                              {"updated", r.counts.updated},
                              {"unchanged", r.counts.unchanged},
                              {"rejected", ToJson(r.rejected)}});
       }},
      {.method = "GET",
       .path = "/api/v1/duplicates",
       .operation = "listDuplicateCandidates",
       .summary = "Pairs of records that may be one person: one document, or one name (after "
                  "Vietnamese/Chinese/Thai normalisation) and birth date with one phone or address",
       .tag = "outbreak",
       .access = Needs(C::kMergePeople, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id()),
                 Optional("limit", Schema::Integer(1, 1000))},
       .response = Items(Schema::Object(
           {Required("reason", Schema::Enum({"document", "name_phone", "name_address"})),
            Required("a", PersonSchema()), Required("b", PersonSchema())})),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list,
                          ctx.svc.outbreak.Duplicates(
                              ctx.by(), UnitParam(ctx),
                              static_cast<int>(OptInt(ctx.query, "limit").value_or(100))));
         Json items = Json::array();
         for (const auto& d : list) items.push_back(DuplicateJson(d));
         return JsonResponse({{"items", items}});
       }},
      {.method = "GET",
       .path = "/api/v1/duplicates.csv",
       .operation = "exportDuplicateCandidates",
       .summary = "Every candidate pair of the unit as CSV (document pairs first; up to 100,000 "
                  "rows), each person's record in full",
       .tag = "outbreak",
       .access = Needs(C::kMergePeople, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id())},
       .response_type = "text/csv",
       .lane = Lane::kHeavy,  // reads the unit's whole population
       .handler = DuplicatesCsv},
      {.method = "POST",
       .path = "/api/v1/merges",
       .operation = "mergePeople",
       .summary = "Merge two records of one person: every linked record (check-ins, cases, "
                  "contacts, tests, codes, credentials, bookings, doses, alerts) moves to the "
                  "survivor; the merged record answers with merged_into",
       .tag = "outbreak",
       .access = Needs(C::kMergePeople, Scope::kOrgUnit),
       .body = Schema::Object({Required("survivor_id", Schema::Id()),
                               Required("merged_id", Schema::Id()),
                               Optional("reason", Schema::Text(500))}),
       .response =
           Schema::Object({Required("merge", MergeSchema()), Required("survivor", PersonSchema())}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto m,
                          ctx.svc.outbreak.Merge(ctx.by(), PersonId(Int(ctx.body, "survivor_id")),
                                                 PersonId(Int(ctx.body, "merged_id")),
                                                 String(ctx.body, "reason")));
         return JsonResponse({{"merge", ToJson(m.record)}, {"survivor", ToJson(m.survivor)}}, 201);
       }},
      {.method = "GET",
       .path = "/api/v1/merges",
       .operation = "listMerges",
       .summary = "The merges a person took part in (the audit trail)",
       .tag = "outbreak",
       .access = Needs(C::kMergePeople, Scope::kOrgUnit),
       .query = {Required("person_id", Schema::Id())},
       .response = Items(MergeSchema()),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list,
                          ctx.svc.outbreak.Merges(ctx.by(), PersonId(Int(ctx.query, "person_id"))));
         Json items = Json::array();
         for (const auto& m : list) items.push_back(ToJson(m));
         return JsonResponse({{"items", items}});
       }},
  };
}

}  // namespace mekong::http
