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
          {"contact_count", c.contact_count},
          {"released_at", Time(c.released_at)}};
}

// The engine when the server has one; it gives the SQL's answers (tracing/engine_test.cc).
cases::Tracer TracerOf(const Context& ctx) {
  const tracing::Service* svc = &ctx.svc.tracing;
  return [svc](store::Executor&, PersonId p, int64_t ws, int64_t we, int64_t min_overlap,
               int depth) -> Result<std::vector<tracing::Traced>> { return svc->Trace(p, ws, we, min_overlap, depth); };
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
  ASSIGN_OR_RETURN(auto p, Referenced(ReadPerson(ctx, in.person, "confirm case"), "person_id"));
  (void)p;
  cases::Case made;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made, cases::Confirm(tx, in, ctx.now, TracerOf(ctx)));
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
  ASSIGN_OR_RETURN(auto depth, QueryInt(ctx, "depth"));
  if (depth && (*depth < 1 || *depth > 3)) return Status::InvalidArgument("must be between 1 and 3", "depth");
  ASSIGN_OR_RETURN(auto contacts, cases::ListContacts(ctx.svc.db, c.id));
  std::erase_if(contacts, [&](const cases::ContactRow& r) { return r.hop > depth.value_or(1); });
  ASSIGN_OR_RETURN(auto travel, cases::ListTripContacts(ctx.svc.db, c.id));
  Json items = Json::array(), co_travellers = Json::array();
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    for (const auto& row : travel) {
      co_travellers.push_back({{"person_id", row.person.value}, {"full_name", row.full_name}, {"trip_id", row.trip},
                               {"seat", row.seat}, {"case_seat", row.case_seat}, {"reason", row.reason}});
      RETURN_IF_ERROR(registry::LogAccess(tx, *ctx.caller, row.person, "list case co-travellers", ctx.now));
    }
    for (const auto& row : contacts) {
      Json exposures = Json::array();
      for (const auto& e : row.contact.exposures) {
        exposures.push_back(
            {{"venue_id", e.venue.value}, {"start", Time(e.start)}, {"end", Time(e.end)}, {"minutes", e.minutes()}});
      }
      items.push_back({{"person_id", row.person.value},
                       {"hop", row.hop},
                       {"via_person_id", row.via ? Json(*row.via) : Json(nullptr)},
                       {"full_name", row.full_name},
                       {"total_minutes", row.contact.total_minutes},
                       {"last_exposure_end", Time(row.contact.last_exposure_end)},
                       {"exposures", exposures}});
      RETURN_IF_ERROR(registry::LogAccess(tx, *ctx.caller, row.person, "list case contacts", ctx.now));
    }
    return Status::Ok();
  }));
  return JsonResponse({{"case_id", c.id.value}, {"items", items}, {"co_travellers", co_travellers}});
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
  return JsonResponse(HealthCodeJson(code));
}

Result<Response> ReleaseCase(Context& ctx) {
  ASSIGN_OR_RETURN(auto c, VisibleCase(ctx));
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(auto at, body.OptTime("released_at"));
  RETURN_IF_ERROR(body.Done());
  cases::Case out;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, cases::Release(tx, c.id, at.value_or(ctx.now), ctx.now));
    return registry::LogAccess(tx, *ctx.caller, c.person, "release case", ctx.now);
  }));
  return JsonResponse(ToJson(out));
}

constexpr const char* kCaseSchema =
    R"({"type":"object","required":["person_id"],"additionalProperties":false,"properties":{"person_id":{"type":"integer"},"onset_at":{"type":"string","format":"date-time"},"sample_at":{"type":"string","format":"date-time"},"isolated_at":{"type":"string","format":"date-time"}}})";

constexpr const char* kReleaseSchema =
    R"({"type":"object","additionalProperties":false,"properties":{"released_at":{"type":"string","format":"date-time"}}})";

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
      {"GET", "/api/v1/cases/{id}/contacts", "The case's close contacts with each shared presence (?depth=2 or 3: further hops)", "cases", false,
       tracers, CaseContacts},
      {"POST", "/api/v1/cases/{id}/release", "The health authority releases a recovered case", "cases", false,
       tracers, ReleaseCase, kReleaseSchema},
      {"GET", "/api/v1/people/{id}/health-code", "Colour, reasons and when it turns green", "healthcode", false,
       code_readers, HealthCode},
  };
}

}  // namespace mekong::http
