// Routes for cases, their close contacts, and health codes.
#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/http/handler_support.h"

namespace mekong::http {

namespace {

Json ToJson(const cases::Case& c) {
  return {{"id", c.id.value},
          {"person_id", c.person.value},
          {"org_unit_id", c.org_unit.value},
          {"onset_at", Time(c.onset_at)},
          {"sample_at", Time(c.sample_at)},
          {"isolated_at", Time(c.isolated_at)},
          {"infectious_window", {{"start", Time(c.window_start)}, {"end", Time(c.window_end)}}},
          {"confirmed_at", Time(c.confirmed_at)},
          {"confirmed_by", c.confirmed_by.value},
          {"contact_count", c.contact_count}};
}

cases::Rules RulesOf(const Context& ctx) {
  const Config& c = ctx.svc.config;
  return {int64_t{c.infectious_days_before_onset} * kMillisPerDay, int64_t{c.min_overlap_minutes} * kMillisPerMinute,
          int64_t{c.isolation_days} * kMillisPerDay};
}

Result<Response> ConfirmCase(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  cases::NewCase in;
  ASSIGN_OR_RETURN(int64_t person, body.Int("person_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(in.onset_at, body.OptTime("onset_at"));
  ASSIGN_OR_RETURN(in.sample_at, body.OptTime("sample_at"));
  ASSIGN_OR_RETURN(in.isolated_at, body.OptTime("isolated_at"));
  RETURN_IF_ERROR(body.Done());
  in.person = PersonId(person);
  in.confirmed_by = ctx.caller->user;
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, in.person, "confirm case"));
  (void)p;
  cases::Case made;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made, cases::Confirm(tx, in, ctx.now, RulesOf(ctx)));
    return Status::Ok();
  }));
  return JsonResponse(ToJson(made), 201);
}

Result<cases::Case> VisibleCase(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto c, cases::GetCase(ctx.svc.db, CaseId(id)));
  RETURN_IF_ERROR(RequireCovers(ctx, c.org_path));
  return c;
}

Result<Response> GetCase(Context& ctx) {
  ASSIGN_OR_RETURN(auto c, VisibleCase(ctx));
  return JsonResponse(ToJson(c));
}

Result<Response> ListCases(Context& ctx) {
  int limit, offset;
  RETURN_IF_ERROR(Paging(ctx, &limit, &offset));
  ASSIGN_OR_RETURN(auto list, cases::ListCases(ctx.svc.db, ctx.caller->org_path, limit, offset));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}, {"limit", limit}, {"offset", offset}});
}

Result<Response> CaseContacts(Context& ctx) {
  ASSIGN_OR_RETURN(auto c, VisibleCase(ctx));
  ASSIGN_OR_RETURN(auto contacts, cases::ListContacts(ctx.svc.db, c.id));
  Json items = Json::array();
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    for (const auto& row : contacts) {
      Json exposures = Json::array();
      for (const auto& e : row.contact.exposures) {
        exposures.push_back(
            {{"venue_id", e.venue.value}, {"start", Time(e.start)}, {"end", Time(e.end)}, {"minutes", e.minutes()}});
      }
      items.push_back({{"person_id", row.person.value},
                       {"full_name", row.full_name},
                       {"total_minutes", row.contact.total_minutes},
                       {"last_exposure_end", Time(row.contact.last_exposure_end)},
                       {"exposures", exposures}});
      RETURN_IF_ERROR(registry::LogAccess(tx, *ctx.caller, row.person, "list case contacts", ctx.now));
    }
    return Status::Ok();
  }));
  return JsonResponse({{"case_id", c.id.value}, {"items", items}});
}

Result<Response> HealthCode(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  PersonId person(id);
  if (ctx.caller->role == Role::kCheckpointOfficer) {
    // Checkpoints verify travellers from anywhere; the read is still logged.
    ASSIGN_OR_RETURN(auto p, registry::GetPerson(ctx.svc.db, person));
    RETURN_IF_ERROR(registry::LogAccess(ctx.svc.db, *ctx.caller, p.id, "read health code", ctx.now));
  } else {
    RETURN_IF_ERROR(ReadPerson(ctx, person, "read health code"));
  }
  ASSIGN_OR_RETURN(auto code, healthcode::Compute(ctx.svc.db, person, ctx.now));
  Json reasons = Json::array();
  for (const auto& r : code.reasons) {
    reasons.push_back({{"colour", healthcode::ColourName(r.colour)},
                       {"kind", r.kind},
                       {"source", r.source},
                       {"detail", r.detail},
                       {"since", Time(r.since)},
                       {"until", Time(r.until)}});
  }
  return JsonResponse({{"person_id", id},
                       {"colour", healthcode::ColourName(code.colour)},
                       {"reasons", reasons},
                       {"green_at", Time(code.green_at)},
                       {"computed_at", Time(code.computed_at)}});
}

constexpr const char* kCaseSchema =
    R"({"type":"object","required":["person_id"],"additionalProperties":false,"properties":{"person_id":{"type":"integer"},"onset_at":{"type":"string","format":"date-time"},"sample_at":{"type":"string","format":"date-time"},"isolated_at":{"type":"string","format":"date-time"}}})";

}  // namespace

std::vector<Route> CaseRoutes() {
  std::vector<Role> tracers = {Role::kAdmin, Role::kCommandOfficer, Role::kTracer};
  auto code_readers = kStaff;
  code_readers.push_back(Role::kCitizen);
  code_readers.push_back(Role::kCheckpointOfficer);
  return {
      {"POST", "/api/v1/cases", "Confirm a case; finds close contacts and turns them red", "cases", false, tracers,
       ConfirmCase, kCaseSchema, 201},
      {"GET", "/api/v1/cases", "Cases in your org unit, newest first", "cases", false, kStaff, ListCases},
      {"GET", "/api/v1/cases/{id}", "One case", "cases", false, kStaff, GetCase},
      {"GET", "/api/v1/cases/{id}/contacts", "The case's close contacts with each shared presence", "cases", false,
       tracers, CaseContacts},
      {"GET", "/api/v1/people/{id}/health-code", "Colour, reasons and when it turns green", "healthcode", false,
       code_readers, HealthCode},
  };
}

}  // namespace mekong::http
