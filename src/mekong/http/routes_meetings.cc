// Routes for the command centre's meetings (command/meetings.h, docs/command.md "Meetings"):
// convene units below yours, list what is coming, cancel one's own.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Json ToJson(const command::Meeting& m) {
  Json units = Json::array();
  for (const auto& p : m.participants) {
    units.push_back({{"org_unit_id", p.unit.value},
                     {"code", p.code},
                     {"name", p.name},
                     {"organiser", p.organiser},
                     {"reminded", p.reminder_alert.has_value()}});
  }
  return {{"id", m.id},
          {"organiser_org_unit_id", m.organiser_unit.value},
          {"organised_by", m.organised_by.value},
          {"title", m.title},
          {"agenda", m.agenda},
          {"starts_at", FormatRfc3339(m.starts_at)},
          {"ends_at", FormatRfc3339(m.starts_at + m.minutes * kMillisPerMinute)},
          {"minutes", m.minutes},
          {"join_url", m.join_url},
          {"status", m.status},
          {"cancel_reason", m.cancel_reason},
          {"created_at", FormatRfc3339(m.created_at)},
          {"participants", units}};
}

Schema MeetingSchema() {
  auto unit = Schema::Object(
      {Required("org_unit_id", Schema::Integer()), Required("code", Schema::String()),
       Required("name", Schema::String()), Required("organiser", Schema::Boolean()),
       Required("reminded", Schema::Boolean())});
  return Schema::Object(
      {Required("id", Schema::Integer()), Required("organiser_org_unit_id", Schema::Integer()),
       Required("organised_by", Schema::Integer()), Required("title", Schema::String(200)),
       Required("agenda", Schema::Text(5000)), Required("starts_at", Schema::Time()),
       Required("ends_at", Schema::Time()), Required("minutes", Schema::Integer()),
       Required("join_url", Schema::String(2000)),
       Required("status", Schema::Enum({"scheduled", "cancelled"})),
       Required("cancel_reason", Schema::Text(1000)), Required("created_at", Schema::Time()),
       Required("participants", Schema::Array(unit, 10000))});
}

Result<Response> Schedule(Context& ctx) {
  command::NewMeeting in;
  in.title = String(ctx.body, "title");
  in.agenda = OptString(ctx.body, "agenda").value_or("");
  in.starts_at = Int(ctx.body, "starts_at");
  in.minutes = OptInt(ctx.body, "minutes").value_or(60);
  in.to_all = OptString(ctx.body, "to_all").value_or("");
  if (ctx.body.contains("units"))
    for (const auto& u : ctx.body["units"]) in.units.push_back(OrgUnitId(u.get<int64_t>()));
  ASSIGN_OR_RETURN(auto m, ctx.svc.meetings.Schedule(ctx.by(), in));
  return JsonResponse(ToJson(m), 201);
}

Result<Response> List(Context& ctx) {
  const int64_t from = OptInt(ctx.query, "from").value_or(ctx.now);
  ASSIGN_OR_RETURN(auto list, ctx.svc.meetings.List(ctx.by(), from, Limit(ctx)));
  Json items = Json::array();
  for (const auto& m : list) items.push_back(ToJson(m));
  return JsonResponse({{"items", items}});
}

}  // namespace

std::vector<Route> MeetingRoutes() {
  using C = Capability;
  return {
      {.method = "POST",
       .path = "/api/v1/meetings",
       .operation = "scheduleMeeting",
       .summary = "Convene a teleconference of your unit with units below it: a join link from "
                  "the configured video provider, an alert to each unit before the start",
       .tag = "command",
       .access = Needs(C::kManageMeetings, Scope::kOrgUnit),
       .body = Schema::Object({Required("title", Schema::String(200)),
                               Optional("agenda", Schema::Text(5000)),
                               Required("starts_at", Schema::Time()),
                               Optional("minutes", Schema::Integer(15, 480).Doc("default 60")),
                               Optional("units", Schema::Array(Schema::Id(), 10000)),
                               Optional("to_all", Schema::Enum({"children", "below"}))}),
       .response = MeetingSchema(),
       .status = 201,
       .handler = Schedule},
      {.method = "GET",
       .path = "/api/v1/meetings",
       .operation = "listMeetings",
       .summary = "Meetings your unit's subtree convenes or takes part in that have not ended "
                  "by `from` (default now), soonest first",
       .tag = "command",
       .access = Needs(C::kReadMeetings, Scope::kOrgUnit),
       .query = {Optional("from", Schema::Time()),
                 Optional("limit", Schema::Integer(1, 500).Doc("default 50"))},
       .response = Items(MeetingSchema(), 500),
       .handler = List},
      {.method = "GET",
       .path = "/api/v1/meetings/{id}",
       .operation = "getMeeting",
       .summary = "A meeting, its join link and the units taking part",
       .tag = "command",
       .access = Needs(C::kReadMeetings, Scope::kOrgUnit),
       .response = MeetingSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto m, ctx.svc.meetings.Get(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(m));
       },
       .resource = "meeting"},
      {.method = "POST",
       .path = "/api/v1/meetings/{id}/cancel",
       .operation = "cancelMeeting",
       .summary = "Cancel a meeting your unit convened, with the reason",
       .tag = "command",
       .access = Needs(C::kManageMeetings, Scope::kOrgUnit),
       .body = Schema::Object({Required("reason", Schema::Text(1000))}),
       .response = MeetingSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto m, ctx.svc.meetings.Cancel(ctx.by(), Int(ctx.path, "id"),
                                                          String(ctx.body, "reason")));
         return JsonResponse(ToJson(m));
       },
       .resource = "meeting"},
  };
}

}  // namespace mekong::http
