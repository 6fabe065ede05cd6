// Routes for cases and their contacts.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Result<Response> ConfirmCase(Context& ctx) {
  cases::NewCase in;
  in.person = PersonId(Int(ctx.body, "person_id"));
  in.onset_at = OptInt(ctx.body, "onset_at");
  in.sample_at = OptInt(ctx.body, "sample_at");
  in.isolated_at = OptInt(ctx.body, "isolated_at");
  in.isolation_place = String(ctx.body, "isolation_place");
  // Without a classification this is the confirmation it always was.
  auto classification = OptString(ctx.body, "classification");
  if (classification && *classification != "confirmed") {
    in.classification = *cases::ClassificationByName(*classification);
    ASSIGN_OR_RETURN(auto made, ctx.svc.cases.Report(ctx.by(), in));
    return JsonResponse(ToJson(made), 201);
  }
  ASSIGN_OR_RETURN(auto made, ctx.svc.cases.Confirm(ctx.by(), in));
  return JsonResponse(ToJson(made), 201);
}

Result<Response> ListCases(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.cases.List(ctx.by(), Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}, {"limit", Limit(ctx)}, {"offset", Offset(ctx)}});
}

// Names only for people inside the reader's unit; the others by id and unit (docs/access.md).
Result<Response> CaseContacts(Context& ctx) {
  int depth = static_cast<int>(OptInt(ctx.query, "depth").value_or(1));
  cases::ContactPage page;
  page.limit = static_cast<int>(OptInt(ctx.query, "limit").value_or(kDefaultContactPage));
  page.cursor = OptString(ctx.query, "cursor");
  ASSIGN_OR_RETURN(auto list,
                   ctx.svc.cases.Contacts(ctx.by(), CaseId(Int(ctx.path, "id")), depth, page));
  Json items = Json::array(), co = Json::array();
  for (const auto& v : list.contacts) {
    Json exposures = Json::array();
    for (const auto& e : v.row.contact.exposures) exposures.push_back(ToJson(e));
    items.push_back({{"person_id", v.row.person.value},
                     {"hop", v.row.hop},
                     {"via_person_id", v.row.via ? Json(*v.row.via) : Json(nullptr)},
                     {"full_name", v.in_scope ? Json(v.row.full_name) : Json(nullptr)},
                     {"org_unit_id", v.org_unit.value},
                     {"in_scope", v.in_scope},
                     {"total_minutes", v.row.contact.total_minutes},
                     {"last_exposure_end", FormatRfc3339(v.row.contact.last_exposure_end)},
                     {"exposures", exposures}});
  }
  for (const auto& v : list.co_travellers) {
    co.push_back({{"person_id", v.row.person.value},
                  {"full_name", v.in_scope ? Json(v.row.full_name) : Json(nullptr)},
                  {"org_unit_id", v.org_unit.value},
                  {"in_scope", v.in_scope},
                  {"trip_id", v.row.trip},
                  {"seat", v.row.seat},
                  {"case_seat", v.row.case_seat},
                  {"reason", v.row.reason}});
  }
  return JsonResponse(
      {{"case_id", list.c.id.value},
       {"items", items},
       {"co_travellers", co},
       {"total", list.total},
       {"next_cursor", list.next_cursor.empty() ? Json(nullptr) : Json(list.next_cursor)}});
}

}  // namespace

std::vector<Route> CaseRoutes() {
  using C = Capability;
  Schema contact = Schema::Object(
      {Required("person_id", Schema::Integer()), Required("hop", Schema::Integer(1, 3)),
       Required("via_person_id", Schema::Integer().Nullable()),
       Required("full_name", Schema::String().Nullable()),
       Required("org_unit_id", Schema::Integer()), Required("in_scope", Schema::Boolean()),
       Required("total_minutes", Schema::Integer()), Required("last_exposure_end", Schema::Time()),
       Required("exposures", Schema::Array(ExposureSchema(), 100000))});
  Schema co_traveller = Schema::Object(
      {Required("person_id", Schema::Integer()), Required("full_name", Schema::String().Nullable()),
       Required("org_unit_id", Schema::Integer()), Required("in_scope", Schema::Boolean()),
       Required("trip_id", Schema::Integer()), Required("seat", Schema::String()),
       Required("case_seat", Schema::String()), Required("reason", Schema::String())});
  return {
      {.method = "POST",
       .path = "/api/v1/cases",
       .operation = "confirmCase",
       .summary = "Report a case (default: confirmed); a confirmed case (or a probable one, as "
                  "the policy says) finds its contacts and turns their codes red or yellow",
       .tag = "cases",
       .access = Needs(C::kManageCases, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("person_id", Schema::Id()), Optional("onset_at", Schema::Time()),
            Optional("sample_at", Schema::Time()), Optional("isolated_at", Schema::Time()),
            Optional("classification", Schema::Enum({"suspected", "probable", "confirmed"})),
            Optional("isolation_place", Schema::String(200))}),
       .response = CaseSchema(),
       .status = 201,
       .handler = ConfirmCase},
      {.method = "GET",
       .path = "/api/v1/cases",
       .operation = "listCases",
       .summary = "Cases in your org unit, newest first",
       .tag = "cases",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .query = Paging(),
       .response = Schema::Object({Required("items", Schema::Array(CaseSchema(), 500)),
                                   Required("limit", Schema::Integer()),
                                   Required("offset", Schema::Integer())}),
       .handler = ListCases},
      {.method = "GET",
       .path = "/api/v1/cases/{id}",
       .operation = "getCase",
       .summary = "One case",
       .tag = "cases",
       .access = Needs(C::kReadCases, Scope::kOrgUnit),
       .response = CaseSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto c, ctx.svc.cases.Get(ctx.by(), CaseId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(c));
       },
       .resource = "case"},
      {.method = "GET",
       .path = "/api/v1/cases/{id}/contacts",
       .operation = "listCaseContacts",
       .summary = "The case's contacts with each shared presence (?depth=2 or 3: further hops) and "
                  "co-travellers; names only for people in your unit",
       .tag = "cases",
       .access = Needs(C::kTrace, Scope::kOrgUnit),
       .query = {Optional("depth", Schema::Integer(1, 3)),
                 Optional("limit", Schema::Integer(1, kMaxContactPage)
                                       .Doc("people per page, by (hop, person id); default 1000")),
                 Optional("cursor", Schema::String(40).Doc("next_cursor of the previous page"))},
       .response = Schema::Object(
           {Required("case_id", Schema::Integer()),
            Required("items", Schema::Array(contact, kMaxContactPage)),
            Required(
                "co_travellers",
                Schema::Array(co_traveller, 100000).Doc("all of them, on the first page only")),
            Required("total", Schema::Integer().Doc("people in the whole list, to this depth")),
            Required("next_cursor", Schema::String().Nullable().Doc(
                                        "null on the last page; else pass as cursor"))}),
       .handler = CaseContacts,
       .resource = "case"},
      {.method = "POST",
       .path = "/api/v1/cases/{id}/release",
       .operation = "releaseCase",
       .summary = "The health authority releases a recovered case",
       .tag = "cases",
       .access = Needs(C::kManageCases, Scope::kOrgUnit),
       .body = Schema::Object({Optional("released_at", Schema::Time())}),
       .response = CaseSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto c, ctx.svc.cases.Release(ctx.by(), CaseId(Int(ctx.path, "id")),
                                                        OptInt(ctx.body, "released_at")));
         return JsonResponse(ToJson(c));
       },
       .resource = "case"},
  };
}

}  // namespace mekong::http
