// Routes for the command centre's work (docs/command.md): directives down the org-unit tree,
// situation reports up, tasks, and the dashboard of figures by unit and day.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Json Time(int64_t ms) { return FormatRfc3339(ms); }
Json Time(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}
Json User(const std::optional<UserId>& u) { return u ? Json(u->value) : Json(nullptr); }

Json ToJson(const command::Directive& d, int64_t now) {
  Json recipients = Json::array();
  int64_t pending = 0, done = 0;
  for (const auto& r : d.recipients) {
    std::string status = r.status();
    pending += status == "pending";
    done += status == "done";
    recipients.push_back(
        {{"org_unit_id", r.unit.value},
         {"code", r.code},
         {"name", r.name},
         {"status", status},
         {"acknowledged_at", Time(r.acknowledged_at)},
         {"acknowledged_by", User(r.acknowledged_by)},
         {"done_at", Time(r.done_at)},
         {"done_by", User(r.done_by)},
         {"done_note", r.done_note},
         {"task_id", r.task ? Json(*r.task) : Json(nullptr)},
         {"overdue_alert_id", r.overdue_alert ? Json(*r.overdue_alert) : Json(nullptr)},
         // Waiting since the directive was issued; late once it is due.
         {"overdue", !r.done_at && now > d.due_at}});
  }
  return {{"id", d.id},
          {"issuer_org_unit_id", d.issuer_unit.value},
          {"issued_by", d.issued_by.value},
          {"title", d.title},
          {"body", d.body},
          {"due_at", Time(d.due_at)},
          {"created_at", Time(d.created_at)},
          {"overdue", now > d.due_at && done < static_cast<int64_t>(d.recipients.size())},
          {"pending", pending},
          {"done", done},
          {"recipients", recipients}};
}

Schema DirectiveSchema() {
  auto recipient = Schema::Object(
      {Required("org_unit_id", Schema::Integer()), Required("code", Schema::String()),
       Required("name", Schema::String()),
       Required("status", Schema::Enum({"pending", "acknowledged", "done"})),
       Required("acknowledged_at", Schema::Time().Nullable()),
       Required("acknowledged_by", Schema::Integer().Nullable()),
       Required("done_at", Schema::Time().Nullable()),
       Required("done_by", Schema::Integer().Nullable()), Required("done_note", Schema::Text(5000)),
       Required("task_id", Schema::Integer().Nullable()),
       Required("overdue_alert_id", Schema::Integer().Nullable()),
       Required("overdue", Schema::Boolean())});
  return Schema::Object(
      {Required("id", Schema::Integer()), Required("issuer_org_unit_id", Schema::Integer()),
       Required("issued_by", Schema::Integer()), Required("title", Schema::String(200)),
       Required("body", Schema::Text(20000)), Required("due_at", Schema::Time()),
       Required("created_at", Schema::Time()), Required("overdue", Schema::Boolean()),
       Required("pending", Schema::Integer()), Required("done", Schema::Integer()),
       Required("recipients", Schema::Array(recipient, 100000))});
}

Json ToJson(const command::Task& t) {
  Json history = Json::array();
  for (const auto& e : t.history) {
    history.push_back({{"at", Time(e.at)},
                       {"by", User(e.by)},
                       {"from_status", e.from_status},
                       {"to_status", e.to_status},
                       {"assignee_id", User(e.assignee)},
                       {"note", e.note}});
  }
  return {{"id", t.id},
          {"title", t.title},
          {"detail", t.detail},
          {"org_unit_id", t.unit.value},
          {"assignee_id", User(t.assignee)},
          {"priority", t.priority},
          {"status", t.status},
          {"due_at", Time(t.due_at)},
          {"source", t.source},
          {"created_by", User(t.created_by)},
          {"created_at", Time(t.created_at)},
          {"updated_at", Time(t.updated_at)},
          {"history", history}};
}

Schema TaskSchema() {
  auto event = Schema::Object(
      {Required("at", Schema::Time()), Required("by", Schema::Integer().Nullable()),
       Required("from_status", Schema::String()), Required("to_status", Schema::String()),
       Required("assignee_id", Schema::Integer().Nullable()),
       Required("note", Schema::Text(5000))});
  return Schema::Object(
      {Required("id", Schema::Integer()), Required("title", Schema::String(200)),
       Required("detail", Schema::Text(20000)), Required("org_unit_id", Schema::Integer()),
       Required("assignee_id", Schema::Integer().Nullable()),
       Required("priority", Schema::Enum({"low", "normal", "high", "urgent"})),
       Required("status", Schema::Enum({"open", "in_progress", "done", "cancelled"})),
       Required("due_at", Schema::Time().Nullable()), Required("source", Schema::String()),
       Required("created_by", Schema::Integer().Nullable()), Required("created_at", Schema::Time()),
       Required("updated_at", Schema::Time()), Required("history", Schema::Array(event, 100000))});
}

Json ToJson(const command::ReportFigures& f) {
  return {{"new_cases", f.new_cases},
          {"active_cases", f.active_cases},
          {"contacts_following", f.contacts_following},
          {"tests", f.tests},
          {"positives", f.positives},
          {"alerts", f.alerts},
          {"open_alerts", f.open_alerts}};
}

Schema FiguresSchema() {
  std::vector<Field> f;
  for (const char* k : {"new_cases", "active_cases", "contacts_following", "tests", "positives",
                        "alerts", "open_alerts"})
    f.push_back(Required(k, Schema::Integer()));
  return Schema::Object(f);
}

Json ToJson(const command::Report& r) {
  return {{"id", r.id},
          {"org_unit_id", r.unit.value},
          {"code", r.code},
          {"name", r.name},
          {"date", r.date},
          {"figures", ToJson(r.figures)},
          {"text", r.text},
          {"submitted_by", r.submitted_by.value},
          {"submitted_at", Time(r.submitted_at)},
          {"revision", r.revision}};
}

Schema ReportSchema() {
  return Schema::Object(
      {Required("id", Schema::Integer()), Required("org_unit_id", Schema::Integer()),
       Required("code", Schema::String()), Required("name", Schema::String()),
       Required("date", Schema::Date()), Required("figures", FiguresSchema()),
       Required("text", Schema::Text(20000)), Required("submitted_by", Schema::Integer()),
       Required("submitted_at", Schema::Time()), Required("revision", Schema::Integer())});
}

Result<Response> IssueDirective(Context& ctx) {
  command::NewDirective in;
  in.title = String(ctx.body, "title");
  in.body = OptString(ctx.body, "body").value_or("");
  in.due_at = Int(ctx.body, "due_at");
  in.to_all = OptString(ctx.body, "to_all").value_or("");
  if (ctx.body.contains("recipients"))
    for (const auto& r : ctx.body["recipients"])
      in.recipients.push_back(OrgUnitId(r.get<int64_t>()));
  ASSIGN_OR_RETURN(auto d, ctx.svc.centre.Issue(ctx.by(), in));
  return JsonResponse(ToJson(d, ctx.now), 201);
}

Result<Response> ListDirectives(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.centre.Directives(ctx.by(), Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& d : list) items.push_back(ToJson(d, ctx.now));
  return JsonResponse({{"items", items}});
}

Result<Response> CreateTask(Context& ctx) {
  command::NewTask in;
  in.title = String(ctx.body, "title");
  in.detail = OptString(ctx.body, "detail").value_or("");
  if (auto u = OptInt(ctx.body, "unit_id")) in.unit = OrgUnitId(*u);
  if (auto a = OptInt(ctx.body, "assignee_id")) in.assignee = UserId(*a);
  in.priority = OptString(ctx.body, "priority").value_or("normal");
  in.due_at = OptInt(ctx.body, "due_at");
  ASSIGN_OR_RETURN(auto t, ctx.svc.centre.CreateTask(ctx.by(), in));
  return JsonResponse(ToJson(t), 201);
}

Result<Response> ListTasks(Context& ctx) {
  command::TaskQuery q;
  q.status = OptString(ctx.query, "status");
  if (auto u = OptInt(ctx.query, "unit_id")) q.unit = OrgUnitId(*u);
  q.limit = Limit(ctx);
  q.offset = Offset(ctx);
  ASSIGN_OR_RETURN(auto list, ctx.svc.centre.Tasks(ctx.by(), q));
  Json items = Json::array();
  for (const auto& t : list) items.push_back(ToJson(t));
  return JsonResponse({{"items", items}});
}

Result<Response> UpdateTask(Context& ctx) {
  command::TaskChange c;
  c.status = OptString(ctx.body, "status");
  if (auto a = OptInt(ctx.body, "assignee_id")) c.assignee = UserId(*a);
  c.note = OptString(ctx.body, "note").value_or("");
  ASSIGN_OR_RETURN(auto t, ctx.svc.centre.UpdateTask(ctx.by(), Int(ctx.path, "id"), c));
  return JsonResponse(ToJson(t));
}

Result<Response> ListReports(Context& ctx) {
  std::optional<OrgUnitId> unit;
  if (auto u = OptInt(ctx.query, "unit_id")) unit = OrgUnitId(*u);
  ASSIGN_OR_RETURN(auto day, ctx.svc.centre.Reports(ctx.by(), unit, OptString(ctx.query, "date")));
  Json reports = Json::array(), missing = Json::array();
  for (const auto& r : day.reports) reports.push_back(ToJson(r));
  for (const auto& m : day.missing)
    missing.push_back({{"org_unit_id", m.unit.value}, {"code", m.code}, {"name", m.name}});
  return JsonResponse({{"org_unit_id", day.unit.value},
                       {"date", day.date},
                       {"expected", day.expected},
                       {"items", reports},
                       {"rollup", ToJson(day.rollup)},
                       {"missing", missing}});
}

Result<Response> ReadDashboard(Context& ctx) {
  std::optional<OrgUnitId> unit;
  if (auto u = OptInt(ctx.query, "unit_id")) unit = OrgUnitId(*u);
  int days = static_cast<int>(OptInt(ctx.query, "days").value_or(1));
  ASSIGN_OR_RETURN(auto b,
                   ctx.svc.dashboard.Read(ctx.by(), unit, days, OptString(ctx.query, "date")));
  Json units = Json::array();
  for (const auto& u : b.units) {
    Json series = {{"new_cases", Json::array()},
                   {"tests", Json::array()},
                   {"positives", Json::array()},
                   {"alerts", Json::array()}};
    for (const auto& d : u.days) {
      series["new_cases"].push_back(d.new_cases);
      series["tests"].push_back(d.tests);
      series["positives"].push_back(d.positives);
      series["alerts"].push_back(d.alerts);
    }
    units.push_back({{"org_unit_id", u.unit.value},
                     {"parent_id", u.parent ? Json(u.parent->value) : Json(nullptr)},
                     {"code", u.code},
                     {"name", u.name},
                     {"level", u.level},
                     {"active_cases", u.active_cases},
                     {"contacts_following", u.contacts_following},
                     {"open_alerts", u.open_alerts},
                     {"days", series}});
  }
  return JsonResponse({{"first_date", b.first_date}, {"last_date", b.last_date}, {"units", units}});
}

Schema DashboardSchema() {
  auto series = Schema::Array(Schema::Integer(), 366);
  auto unit = Schema::Object(
      {Required("org_unit_id", Schema::Integer()),
       Required("parent_id", Schema::Integer().Nullable()), Required("code", Schema::String()),
       Required("name", Schema::String()), Required("level", Schema::String()),
       Required("active_cases", Schema::Integer()),
       Required("contacts_following", Schema::Integer()),
       Required("open_alerts", Schema::Integer()),
       Required("days",
                Schema::Object({Required("new_cases", series), Required("tests", series),
                                Required("positives", series), Required("alerts", series)}))});
  return Schema::Object({Required("first_date", Schema::Date()),
                         Required("last_date", Schema::Date()),
                         Required("units", Schema::Array(unit, 1000000))});
}

}  // namespace

std::vector<Route> CentreRoutes() {
  using C = Capability;
  return {
      {.method = "POST",
       .path = "/api/v1/directives",
       .operation = "issueDirective",
       .summary = "Issue a directive to units below yours (never upward); each recipient gets a "
                  "task",
       .tag = "command",
       .access = Needs(C::kIssueDirectives, Scope::kOrgUnit),
       .body = Schema::Object({Required("title", Schema::String(200)),
                               Optional("body", Schema::Text(20000)),
                               Required("due_at", Schema::Time()),
                               Optional("recipients", Schema::Array(Schema::Id(), 10000)),
                               Optional("to_all", Schema::Enum({"children", "below"}))}),
       .response = DirectiveSchema(),
       .status = 201,
       .handler = IssueDirective},
      {.method = "GET",
       .path = "/api/v1/directives",
       .operation = "listDirectives",
       .summary = "Directives issued in or addressed to your unit's subtree, newest first, with "
                  "who has not acknowledged or done them",
       .tag = "command",
       .access = Needs(C::kReadDirectives, Scope::kOrgUnit),
       .query = Paging(),
       .response = Items(DirectiveSchema(), 500),
       .handler = ListDirectives},
      {.method = "GET",
       .path = "/api/v1/directives/{id}",
       .operation = "getDirective",
       .summary = "A directive and its recipients' answers",
       .tag = "command",
       .access = Needs(C::kReadDirectives, Scope::kOrgUnit),
       .response = DirectiveSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.centre.GetDirective(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(d, ctx.now));
       },
       .resource = "directive"},
      {.method = "POST",
       .path = "/api/v1/directives/{id}/acknowledge",
       .operation = "acknowledgeDirective",
       .summary = "Your unit acknowledges a directive addressed to it",
       .tag = "command",
       .access = Needs(C::kAnswerDirectives, Scope::kOrgUnit),
       .response = DirectiveSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.centre.Acknowledge(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(d, ctx.now));
       },
       .resource = "directive"},
      {.method = "POST",
       .path = "/api/v1/directives/{id}/done",
       .operation = "completeDirective",
       .summary = "Your unit reports a directive addressed to it done, with a note",
       .tag = "command",
       .access = Needs(C::kAnswerDirectives, Scope::kOrgUnit),
       .body = Schema::Object({Optional("note", Schema::Text(5000))}),
       .response = DirectiveSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.centre.Done(ctx.by(), Int(ctx.path, "id"),
                                                      OptString(ctx.body, "note").value_or("")));
         return JsonResponse(ToJson(d, ctx.now));
       },
       .resource = "directive"},
      {.method = "POST",
       .path = "/api/v1/tasks",
       .operation = "createTask",
       .summary = "A task for a unit in your subtree or a user of it",
       .tag = "command",
       .access = Needs(C::kManageTasks, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("title", Schema::String(200)), Optional("detail", Schema::Text(20000)),
            Optional("unit_id", Schema::Id()), Optional("assignee_id", Schema::Id()),
            Optional("priority", Schema::Enum({"low", "normal", "high", "urgent"})),
            Optional("due_at", Schema::Time())}),
       .response = TaskSchema(),
       .status = 201,
       .handler = CreateTask},
      {.method = "GET",
       .path = "/api/v1/tasks",
       .operation = "listTasks",
       .summary = "Tasks of your unit's subtree, newest first",
       .tag = "command",
       .access = Needs(C::kReadTasks, Scope::kOrgUnit),
       .query =
           Paging({Optional("status", Schema::Enum({"open", "in_progress", "done", "cancelled"})),
                   Optional("unit_id", Schema::Id())}),
       .response = Items(TaskSchema(), 500),
       .handler = ListTasks},
      {.method = "GET",
       .path = "/api/v1/tasks/{id}",
       .operation = "getTask",
       .summary = "A task with its history",
       .tag = "command",
       .access = Needs(C::kReadTasks, Scope::kOrgUnit),
       .response = TaskSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto t, ctx.svc.centre.GetTask(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(t));
       },
       .resource = "task"},
      {.method = "PATCH",
       .path = "/api/v1/tasks/{id}",
       .operation = "updateTask",
       .summary = "Change a task's status or assignee, or comment on it",
       .tag = "command",
       .access = Needs(C::kManageTasks, Scope::kOrgUnit),
       .body = Schema::Object(
           {Optional("status", Schema::Enum({"open", "in_progress", "done", "cancelled"})),
            Optional("assignee_id", Schema::Id()), Optional("note", Schema::Text(5000))}),
       .response = TaskSchema(),
       .handler = UpdateTask,
       .resource = "task"},
      {.method = "POST",
       .path = "/api/v1/reports",
       .operation = "submitReport",
       .summary = "Your unit's situation report for today, figures from the data",
       .tag = "command",
       .access = Needs(C::kSubmitReports, Scope::kOrgUnit),
       .body = Schema::Object({Optional("text", Schema::Text(20000))}),
       .response = ReportSchema(),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto r, ctx.svc.centre.SubmitReport(
                                      ctx.by(), OptString(ctx.body, "text").value_or("")));
         return JsonResponse(ToJson(r), 201);
       }},
      {.method = "GET",
       .path = "/api/v1/reports",
       .operation = "listReports",
       .summary = "A day's situation reports of a unit's subtree, their roll-up and who has not "
                  "reported",
       .tag = "command",
       .access = Needs(C::kReadReports, Scope::kOrgUnit),
       .query = {Optional("unit_id", Schema::Id()), Optional("date", Schema::Date())},
       .response = Schema::Object(
           {Required("org_unit_id", Schema::Integer()), Required("date", Schema::Date()),
            Required("expected", Schema::Integer()),
            Required("items", Schema::Array(ReportSchema(), 1000000)),
            Required("rollup", FiguresSchema()),
            Required("missing",
                     Schema::Array(Schema::Object({Required("org_unit_id", Schema::Integer()),
                                                   Required("code", Schema::String()),
                                                   Required("name", Schema::String())}),
                                   1000000))}),
       .handler = ListReports},
      {.method = "GET",
       .path = "/api/v1/dashboard",
       .operation = "readDashboard",
       .summary = "Figures of a unit and every unit below it for the last `days` days, from "
                  "memory kept current by the change feed",
       .tag = "command",
       .access = Needs(C::kReadDashboards, Scope::kOrgUnit),
       .query = {Optional("unit_id", Schema::Id()), Optional("days", Schema::Integer(1, 366)),
                 Optional("date", Schema::Date())},
       .response = DashboardSchema(),
       .handler = ReadDashboard},
  };
}

}  // namespace mekong::http
