// Routes for gate and camera readings and the alerts they raise.
#include "mekong/command/alerts.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/credential.h"
#include "mekong/http/handler_support.h"

namespace mekong::http {

namespace {

Json ToJson(const command::Alert& a) {
  return {{"id", a.id},
          {"org_unit_id", a.org_unit.value},
          {"kind", a.kind},
          {"severity", a.severity},
          {"message", a.message},
          {"source", a.source},
          {"created_at", Time(a.created_at)},
          {"acknowledged_at", Time(a.acknowledged_at)},
          {"acknowledged_by", a.acknowledged_by ? Json(*a.acknowledged_by) : Json(nullptr)}};
}

Result<Response> PostReading(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  command::Reading in;
  ASSIGN_OR_RETURN(in.kind, body.Str("kind", 20));
  ASSIGN_OR_RETURN(auto qr, body.OptStr("qr", 4096));
  ASSIGN_OR_RETURN(auto person, body.OptInt("person_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(auto venue, body.OptInt("venue_id", 1, INT64_MAX));
  ASSIGN_OR_RETURN(in.temperature_celsius, body.OptNumber("temperature_c", 20, 50));
  ASSIGN_OR_RETURN(in.count, body.OptInt("count", 0, 10'000'000));
  ASSIGN_OR_RETURN(auto at, body.OptTime("at"));
  RETURN_IF_ERROR(body.Done());
  in.at = at.value_or(ctx.now);
  if (in.at > ctx.now + 5 * kMillisPerMinute) return Status::InvalidArgument("is in the future", "at");
  in.device = ctx.caller->user;
  if (venue) {
    ASSIGN_OR_RETURN(auto v, registry::GetVenue(ctx.svc.db, VenueId(*venue)));
    RETURN_IF_ERROR(RequireCovers(ctx, v.org_path));  // a device reports only where it stands
    in.venue = v.id;
  }
  if (qr && person) return Status::InvalidArgument("give qr or person_id, not both", "qr");
  if (qr) {
    // The person shows their signed code at the gate: it must verify before it identifies.
    ASSIGN_OR_RETURN(auto verdict, VerifyScanned(ctx, {*qr}));
    if (verdict.format != "mekong" || !verdict.valid) {
      return Status::InvalidArgument("not a valid Mekong health code: " + verdict.reason, "qr");
    }
    Json details = Json::parse(verdict.details_json);
    ASSIGN_OR_RETURN(in.person, healthcode::PersonForCode(ctx.svc.db, details["code_id"].get<std::string>()));
  } else if (person) {
    in.person = PersonId(*person);
  }
  command::ReadingOutcome out;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, command::Record(tx, in, ctx.now));
    if (in.person) RETURN_IF_ERROR(registry::LogAccess(tx, *ctx.caller, *in.person, "gate reading", ctx.now));
    return Status::Ok();
  }));
  Json body_out = {{"reading_id", out.reading_id},
                   {"fever", out.fever},
                   {"crowded", out.crowded},
                   {"alert", out.alert ? ToJson(*out.alert) : Json(nullptr)}};
  if (in.person) {
    ASSIGN_OR_RETURN(auto code, healthcode::Compute(ctx.svc.db, *in.person, ctx.now));
    body_out["person_id"] = in.person->value;
    body_out["colour"] = healthcode::ColourName(code.colour);
  }
  return JsonResponse(body_out, 201);
}

Result<Response> ListAlerts(Context& ctx) {
  int limit, offset;
  RETURN_IF_ERROR(Paging(ctx, &limit, &offset));
  bool open_only = ctx.req.QueryValue("open").value_or("") == "true";
  ASSIGN_OR_RETURN(auto alerts, command::List(ctx.svc.db, ctx.caller->org_path, open_only, limit));
  Json items = Json::array();
  for (const auto& a : alerts) items.push_back(ToJson(a));
  return JsonResponse({{"items", items}});
}

Result<Response> AcknowledgeAlert(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto a, command::Get(ctx.svc.db, id));
  RETURN_IF_ERROR(RequireCovers(ctx, a.org_path));
  ASSIGN_OR_RETURN(a, command::Acknowledge(ctx.svc.db, id, ctx.caller->user, ctx.now));
  return JsonResponse(ToJson(a));
}

constexpr const char* kReadingSchema =
    R"js({"type":"object","required":["kind"],"additionalProperties":false,"properties":{"kind":{"type":"string","enum":["temperature","crowd"]},"qr":{"type":"string","description":"the person's scanned MK1: health code"},"person_id":{"type":"integer"},"venue_id":{"type":"integer"},"temperature_c":{"type":"number"},"count":{"type":"integer"},"at":{"type":"string","format":"date-time"}}})js";

}  // namespace

std::vector<Route> CommandRoutes() {
  std::vector<Role> officers = {Role::kAdmin, Role::kCommandOfficer, Role::kTracer};
  return {
      {"POST", "/api/v1/devices/readings", "A gate temperature or a camera crowd count", "command", false,
       {Role::kDevice, Role::kCheckpointOfficer}, PostReading, kReadingSchema, 201},
      {"GET", "/api/v1/alerts", "Alerts in your org unit, newest first (open=true for unacknowledged)", "command",
       false, officers, ListAlerts},
      {"POST", "/api/v1/alerts/{id}/acknowledge", "Acknowledge an alert", "command", false, officers,
       AcknowledgeAlert},
  };
}

}  // namespace mekong::http
