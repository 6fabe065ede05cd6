// Routes for hotline and feedback tickets (command/tickets.h, docs/command.md): citizens open
// and follow their own; a unit's desk answers and closes its subtree's, timed against targets.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

const std::vector<std::string> kChannels = {"phone", "web", "message"};
const std::vector<std::string> kCategories = {"entry_exit", "quarantine", "vaccination", "other"};
const std::vector<std::string> kStatuses = {"open", "answered", "closed"};

Json Time(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}
Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json ToJson(const command::Ticket& t, int64_t now, bool with_messages) {
  Json j = {{"id", t.id},
            {"org_unit_id", t.unit.value},
            {"channel", t.channel},
            {"language", t.language},
            {"category", t.category},
            {"subject", t.subject},
            {"caller_name", t.caller_name},
            {"caller_contact", t.caller_contact},
            {"person_id", t.person ? Json(t.person->value) : Json(nullptr)},
            {"opened_by", t.opened_by.value},
            {"status", t.status},
            {"created_at", FormatRfc3339(t.created_at)},
            {"updated_at", FormatRfc3339(t.updated_at)},
            {"first_reply_at", Time(t.first_reply_at)},
            {"first_reply_due", FormatRfc3339(t.first_reply_due())},
            {"first_reply_late", t.first_reply_late(now)},
            {"closed_at", Time(t.closed_at)},
            {"close_due", FormatRfc3339(t.close_due())},
            {"close_late", t.close_late(now)},
            {"close_note", t.close_note}};
  if (with_messages) {
    Json messages = Json::array();
    for (const auto& m : t.messages) {
      messages.push_back({{"id", m.id},
                          {"at", FormatRfc3339(m.at)},
                          {"by", m.by.value},
                          {"from_staff", m.from_staff},
                          {"body", m.body}});
    }
    j["messages"] = messages;
  }
  return j;
}

Schema TicketSchema(bool with_messages) {
  std::vector<Field> f = {
      Required("id", Schema::Integer()),
      Required("org_unit_id", Schema::Integer()),
      Required("channel", Schema::Enum(kChannels)),
      Required("language", LanguageEnum()),
      Required("category", Schema::Enum(kCategories)),
      Required("subject", Schema::String(200)),
      Required("caller_name", Schema::String(200)),
      Required("caller_contact", Schema::String(200)),
      Required("person_id", Schema::Integer().Nullable()),
      Required("opened_by", Schema::Integer()),
      Required("status", Schema::Enum(kStatuses)),
      Required("created_at", Schema::Time()),
      Required("updated_at", Schema::Time()),
      Required("first_reply_at", Schema::Time().Nullable()),
      Required("first_reply_due", Schema::Time().Doc("4 hours after it was opened")),
      Required("first_reply_late", Schema::Boolean().Doc("answered after, or unanswered past, "
                                                         "first_reply_due")),
      Required("closed_at", Schema::Time().Nullable()),
      Required("close_due", Schema::Time().Doc("3 days after it was opened")),
      Required("close_late", Schema::Boolean()),
      Required("close_note", Schema::Text(5000)),
  };
  if (with_messages) {
    f.push_back(Required("messages",
                         Schema::Array(Schema::Object({Required("id", Schema::Integer()),
                                                       Required("at", Schema::Time()),
                                                       Required("by", Schema::Integer()),
                                                       Required("from_staff", Schema::Boolean()),
                                                       Required("body", Schema::Text(5000))}),
                                       10000)));
  }
  return Schema::Object(f);
}

Result<Response> OpenTicket(Context& ctx) {
  command::NewTicket in;
  in.channel = OptString(ctx.body, "channel").value_or("web");
  in.language = OptString(ctx.body, "language");
  in.category = String(ctx.body, "category");
  in.subject = String(ctx.body, "subject");
  in.body = String(ctx.body, "body");
  in.caller_name = OptString(ctx.body, "caller_name").value_or("");
  in.caller_contact = OptString(ctx.body, "caller_contact").value_or("");
  if (auto u = OptInt(ctx.body, "unit_id")) in.unit = OrgUnitId(*u);
  ASSIGN_OR_RETURN(auto t, ctx.svc.tickets.Open(ctx.by(), in));
  return JsonResponse(ToJson(t, ctx.now, true), 201);
}

Result<Response> ListTickets(Context& ctx) {
  command::TicketQuery q;
  q.status = OptString(ctx.query, "status");
  q.category = OptString(ctx.query, "category");
  q.language = OptString(ctx.query, "language");
  q.late_only = OptBool(ctx.query, "late").value_or(false);
  q.limit = Limit(ctx);
  q.offset = Offset(ctx);
  ASSIGN_OR_RETURN(auto list, ctx.svc.tickets.List(ctx.by(), q));
  Json items = Json::array();
  for (const auto& t : list) items.push_back(ToJson(t, ctx.now, false));
  return JsonResponse({{"items", items}});
}

Result<Response> TicketSummary(Context& ctx) {
  int days = static_cast<int>(OptInt(ctx.query, "days").value_or(30));
  ASSIGN_OR_RETURN(auto s, ctx.svc.tickets.Summary(ctx.by(), days));
  return JsonResponse(
      {{"days", s.days},
       {"opened", s.opened},
       {"open", s.open},
       {"answered", s.answered},
       {"closed", s.closed},
       {"first_reply_late", s.first_reply_late},
       {"close_late", s.close_late},
       {"median_first_reply_seconds",
        s.median_first_reply_ms ? Json(*s.median_first_reply_ms / 1000) : Json(nullptr)},
       {"median_close_seconds",
        s.median_close_ms ? Json(*s.median_close_ms / 1000) : Json(nullptr)},
       {"first_reply_on_time", Opt(s.first_reply_on_time)},
       {"closed_on_time", Opt(s.closed_on_time)}});
}

}  // namespace

std::vector<Route> TicketRoutes() {
  using C = Capability;
  const Schema ticket = TicketSchema(true);
  return {
      {.method = "POST",
       .path = "/api/v1/tickets",
       .operation = "openTicket",
       .summary = "Open a hotline or feedback ticket: a citizen for themself (web form), a desk "
                  "for a caller (phone, message)",
       .tag = "command",
       .access = Needs(C::kOpenTickets, Scope::kSelfOrOrgUnit),
       .body = Schema::Object(
           {Optional("channel", Schema::Enum(kChannels).Doc("default: web")),
            Optional("language",
                     LanguageEnum().Doc("the caller's (default: the citizen's own, else en)")),
            Required("category", Schema::Enum(kCategories)),
            Required("subject", Schema::String(200)), Required("body", Schema::Text(5000)),
            Optional("caller_name", Schema::String(200)),
            Optional("caller_contact", Schema::String(200)),
            Optional("unit_id",
                     Schema::Id().Doc("staff: a unit in your subtree (default: yours)"))}),
       .response = ticket,
       .status = 201,
       .handler = OpenTicket},
      {.method = "GET",
       .path = "/api/v1/tickets",
       .operation = "listTickets",
       .summary = "Tickets, newest first: a citizen's own, or your unit's subtree",
       .tag = "command",
       .access = Needs(C::kOpenTickets, Scope::kSelfOrOrgUnit),
       .query = Paging({Optional("status", Schema::Enum(kStatuses)),
                        Optional("category", Schema::Enum(kCategories)),
                        Optional("language", LanguageEnum()),
                        Optional("late", Schema::Boolean().Doc("only those past a target"))}),
       .response = Items(TicketSchema(false), 500),
       .handler = ListTickets},
      {.method = "GET",
       .path = "/api/v1/tickets/summary",
       .operation = "ticketSummary",
       .summary = "Your subtree's tickets of the last days: by status, late against the targets, "
                  "median times to first reply and to close",
       .tag = "command",
       .access = Needs(C::kAnswerTickets, Scope::kOrgUnit),
       .query = {Optional("days", Schema::Integer(1, 366).Doc("default 30"))},
       .response = Schema::Object(
           {Required("days", Schema::Integer()), Required("opened", Schema::Integer()),
            Required("open", Schema::Integer()), Required("answered", Schema::Integer()),
            Required("closed", Schema::Integer()), Required("first_reply_late", Schema::Integer()),
            Required("close_late", Schema::Integer()),
            Required("median_first_reply_seconds", Schema::Integer().Nullable()),
            Required("median_close_seconds", Schema::Integer().Nullable()),
            Required("first_reply_on_time", Schema::Number(0, 1).Nullable()),
            Required("closed_on_time", Schema::Number(0, 1).Nullable())}),
       .handler = TicketSummary},
      {.method = "GET",
       .path = "/api/v1/tickets/{id}",
       .operation = "getTicket",
       .summary = "A ticket and its thread",
       .tag = "command",
       .access = Needs(C::kOpenTickets, Scope::kSelfOrOrgUnit),
       .response = ticket,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto t, ctx.svc.tickets.Get(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(t, ctx.now, true));
       },
       .resource = "ticket"},
      {.method = "POST",
       .path = "/api/v1/tickets/{id}/messages",
       .operation = "addTicketMessage",
       .summary = "Answer a ticket (a desk; the first answer is timed) or add to your own",
       .tag = "command",
       .access = Needs(C::kOpenTickets, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Required("body", Schema::Text(5000))}),
       .response = ticket,
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto t, ctx.svc.tickets.AddMessage(ctx.by(), Int(ctx.path, "id"),
                                                             String(ctx.body, "body")));
         return JsonResponse(ToJson(t, ctx.now, true), 201);
       },
       .resource = "ticket"},
      {.method = "POST",
       .path = "/api/v1/tickets/{id}/close",
       .operation = "closeTicket",
       .summary = "Close a ticket: a desk with a note, or the citizen who opened it",
       .tag = "command",
       .access = Needs(C::kOpenTickets, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Optional("note", Schema::Text(5000))}),
       .response = ticket,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto t, ctx.svc.tickets.Close(ctx.by(), Int(ctx.path, "id"),
                                                        OptString(ctx.body, "note").value_or("")));
         return JsonResponse(ToJson(t, ctx.now, true));
       },
       .resource = "ticket"},
  };
}

}  // namespace mekong::http
