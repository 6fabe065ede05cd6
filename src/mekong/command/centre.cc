#include "mekong/command/centre.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "mekong/command/alerts.h"
#include "mekong/core/text.h"
#include "mekong/core/zone.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::command {

namespace {

using registry::Caller;
using registry::Capability;

constexpr const char* kDirectiveCols =
    "id, issuer_unit_id, issuer_path, issued_by, title, body, due_at, created_at";
constexpr const char* kRecipientCols =
    "directive_id, org_unit_id, org_path, acknowledged_at, acknowledged_by, done_at, done_by, "
    "done_note, task_id, overdue_alert_id";
constexpr const char* kTaskCols =
    "id, title, detail, org_unit_id, org_path, assignee_user_id, priority, status, due_at, "
    "source, created_by, created_at, updated_at";
constexpr const char* kReportCols =
    "id, org_unit_id, org_path, day, new_cases, active_cases, contacts_following, tests, "
    "positives, alerts, open_alerts, text, submitted_by, submitted_at, revision";

const std::set<std::string> kPriorities = {"low", "normal", "high", "urgent"};
const std::set<std::string> kStatuses = {"open", "in_progress", "done", "cancelled"};

bool ValidDate(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  int64_t y2 = 0;
  unsigned m2 = 0, d2 = 0;
  CivilFromDays(DaysFromCivil(y, m, d), &y2, &m2, &d2);
  return y2 == y && m2 == m && d2 == d;
}

std::optional<UserId> OptUser(const store::Rows& r, size_t i, size_t c) {
  if (auto v = r.OptInt(i, c)) return UserId(*v);
  return std::nullopt;
}

// Org units by id, for names and codes.
using Units = std::unordered_map<int64_t, registry::OrgUnit>;
Result<Units> AllUnits(store::Executor& ex) {
  ASSIGN_OR_RETURN(auto all, registry::OrgUnitsUnder(ex, "/"));
  Units out;
  for (auto& u : all) out.emplace(u.id.value, std::move(u));
  return out;
}

Directive DirectiveFrom(const store::Rows& r, size_t i) {
  Directive d;
  d.id = r.Int(i, 0);
  d.issuer_unit = OrgUnitId(r.Int(i, 1));
  d.issuer_path = r.Text(i, 2);
  d.issued_by = UserId(r.Int(i, 3));
  d.title = r.Text(i, 4);
  d.body = r.Text(i, 5);
  d.due_at = r.Int(i, 6);
  d.created_at = r.Int(i, 7);
  return d;
}

Recipient RecipientFrom(const store::Rows& r, size_t i, const Units& units) {
  Recipient x;
  x.unit = OrgUnitId(r.Int(i, 1));
  x.org_path = r.Text(i, 2);
  x.acknowledged_at = r.OptInt(i, 3);
  x.acknowledged_by = OptUser(r, i, 4);
  x.done_at = r.OptInt(i, 5);
  x.done_by = OptUser(r, i, 6);
  x.done_note = r.Text(i, 7);
  x.task = r.OptInt(i, 8);
  x.overdue_alert = r.OptInt(i, 9);
  if (auto u = units.find(x.unit.value); u != units.end()) {
    x.code = u->second.code;
    x.name = u->second.name;
  }
  return x;
}

bool Visible(const Caller& by, const Directive& d, const std::vector<Recipient>& all) {
  if (registry::Covers(by, d.issuer_path)) return true;
  return std::any_of(all.begin(), all.end(),
                     [&](const Recipient& r) { return registry::Covers(by, r.org_path); });
}

// The directive with every recipient, or not_found.
Result<Directive> LoadDirective(store::Executor& ex, int64_t id, const Units& units) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kDirectiveCols + " FROM directive WHERE id = ?", {id}));
  if (r.empty()) return Status::NotFound("no directive " + std::to_string(id), "id");
  Directive d = DirectiveFrom(r, 0);
  ASSIGN_OR_RETURN(auto rr, ex.Query(std::string("SELECT ") + kRecipientCols +
                                         " FROM directive_recipient WHERE directive_id = ? "
                                         "ORDER BY org_path",
                                     {id}));
  for (size_t i = 0; i < rr.size(); ++i) d.recipients.push_back(RecipientFrom(rr, i, units));
  return d;
}

// What `by` may see of `d`: not_found when nothing.
Result<Directive> ForReader(const Caller& by, Directive d) {
  if (!Visible(by, d, d.recipients))
    // The same words as an id that does not exist (LoadDirective), so ids cannot be probed.
    return Status::NotFound("no directive " + std::to_string(d.id), "id");
  if (!registry::Covers(by, d.issuer_path)) {
    std::erase_if(d.recipients,
                  [&](const Recipient& r) { return !registry::Covers(by, r.org_path); });
  }
  return d;
}

Task TaskFrom(const store::Rows& r, size_t i) {
  Task t;
  t.id = r.Int(i, 0);
  t.title = r.Text(i, 1);
  t.detail = r.Text(i, 2);
  t.unit = OrgUnitId(r.Int(i, 3));
  t.org_path = r.Text(i, 4);
  t.assignee = OptUser(r, i, 5);
  t.priority = r.Text(i, 6);
  t.status = r.Text(i, 7);
  t.due_at = r.OptInt(i, 8);
  t.source = r.Text(i, 9);
  t.created_by = OptUser(r, i, 10);
  t.created_at = r.Int(i, 11);
  t.updated_at = r.Int(i, 12);
  return t;
}

Result<Task> LoadTask(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string("SELECT ") + kTaskCols + " FROM task WHERE id = ?", {id}));
  if (r.empty()) return Status::NotFound("no task " + std::to_string(id), "id");
  Task t = TaskFrom(r, 0);
  ASSIGN_OR_RETURN(auto e, ex.Query("SELECT at, by_user, from_status, to_status, "
                                    "assignee_user_id, note FROM task_event WHERE task_id = ? "
                                    "ORDER BY id",
                                    {id}));
  for (size_t i = 0; i < e.size(); ++i) {
    t.history.push_back({e.Int(i, 0), OptUser(e, i, 1), e.Text(i, 2), e.Text(i, 3),
                         OptUser(e, i, 4), e.Text(i, 5)});
  }
  return t;
}

Status AddEvent(store::Executor& ex, int64_t task, int64_t at, std::optional<UserId> by,
                const std::string& from, const std::string& to, std::optional<UserId> assignee,
                const std::string& note) {
  std::optional<int64_t> by_id, assignee_id;
  if (by) by_id = by->value;
  if (assignee) assignee_id = assignee->value;
  return ex
      .Exec(
          "INSERT INTO task_event (task_id, at, by_user, from_status, to_status, "
          "assignee_user_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {task, at, by_id, from, to, assignee_id, note})
      .status();
}

Result<int64_t> InsertTask(store::Executor& ex, const Task& t) {
  std::optional<int64_t> assignee, due, created_by;
  if (t.assignee) assignee = t.assignee->value;
  if (t.created_by) created_by = t.created_by->value;
  due = t.due_at;
  ASSIGN_OR_RETURN(
      auto r, ex.Query("INSERT INTO task (title, detail, org_unit_id, org_path, assignee_user_id, "
                       "priority, status, due_at, source, created_by, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {t.title, t.detail, t.unit.value, t.org_path, assignee, t.priority, t.status,
                        due, t.source, created_by, t.created_at, t.created_at}));
  int64_t id = r.Int(0, 0);
  RETURN_IF_ERROR(AddEvent(ex, id, t.created_at, t.created_by, "", t.status, t.assignee, ""));
  RETURN_IF_ERROR(store::Publish(ex, kTaskTopic, std::to_string(id), t.created_at));
  return id;
}

// Moves a task to `to` (a directive's answer), with an event, unless it is there already.
Status MoveTask(store::Executor& ex, int64_t id, const std::string& to, UserId by,
                const std::string& note, int64_t now) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT status FROM task WHERE id = ?", {id}));
  if (r.empty() || r.Text(0, 0) == to) return Status::Ok();
  std::string from = r.Text(0, 0);
  RETURN_IF_ERROR(
      ex.Exec("UPDATE task SET status = ?, updated_at = ? WHERE id = ?", {to, now, id}).status());
  RETURN_IF_ERROR(AddEvent(ex, id, now, by, from, to, std::nullopt, note));
  return store::Publish(ex, kTaskTopic, std::to_string(id), now);
}

// A user who may be given work in the unit at `path`: theirs must be exactly that unit.
Result<registry::User> Assignable(store::Executor& ex, const Caller& by, UserId user) {
  auto u = registry::GetUser(ex, user);
  if (!u.ok()) {
    if (u.status().code() == Code::kNotFound)
      return Status::NotFound("no user " + std::to_string(user.value), "assignee_id");
    return u.status();
  }
  ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(ex, u->org_unit));
  if (!registry::Covers(by, unit.path))
    return Status::NotFound("no user " + std::to_string(user.value) + " in your unit",
                            "assignee_id");
  return u;
}

Report ReportFrom(const store::Rows& r, size_t i, const Units& units) {
  Report x;
  x.id = r.Int(i, 0);
  x.unit = OrgUnitId(r.Int(i, 1));
  x.org_path = r.Text(i, 2);
  x.date = r.Text(i, 3);
  x.figures = {r.Int(i, 4), r.Int(i, 5), r.Int(i, 6), r.Int(i, 7),
               r.Int(i, 8), r.Int(i, 9), r.Int(i, 10)};
  x.text = r.Text(i, 11);
  x.submitted_by = UserId(r.Int(i, 12));
  x.submitted_at = r.Int(i, 13);
  x.revision = r.Int(i, 14);
  if (auto u = units.find(x.unit.value); u != units.end()) {
    x.code = u->second.code;
    x.name = u->second.name;
  }
  return x;
}

// The caller's view of an org unit named by a request: not_found naming `field` when it does
// not exist or lies outside the caller's subtree.
Result<registry::OrgUnit> UnitInScope(store::Executor& ex, const Caller& by, OrgUnitId id,
                                      const char* field) {
  auto u = registry::GetOrgUnit(ex, id);
  if (!u.ok()) {
    if (u.status().code() == Code::kNotFound)
      return Status::NotFound("no org unit " + std::to_string(id.value), field);
    return u.status();
  }
  if (!registry::Covers(by, u->path))
    return Status::PermissionDenied(std::string(field) + ": org unit " + u->code +
                                    " is outside your org unit");
  return u;
}

}  // namespace

Result<std::vector<registry::OrgUnit>> UnitsBelow(store::Executor& tx, const Caller& by,
                                                  const std::string& to_all,
                                                  const std::vector<OrgUnitId>& chosen,
                                                  const char* field, std::string_view what) {
  if (!to_all.empty() && !chosen.empty())
    return Status::InvalidArgument("give " + std::string(field) + " or to_all, not both", "to_all");
  if (to_all.empty() && chosen.empty())
    return Status::InvalidArgument("name the units below yours it goes to", field);
  if (!to_all.empty() && to_all != "children" && to_all != "below")
    return Status::InvalidArgument("must be children or below", "to_all");
  std::vector<registry::OrgUnit> to;
  if (to_all == "children") {
    ASSIGN_OR_RETURN(to, registry::ListOrgUnits(tx, by.org_unit));
  } else if (to_all == "below") {
    ASSIGN_OR_RETURN(to, registry::OrgUnitsUnder(tx, by.org_path));
    std::erase_if(to, [&](const registry::OrgUnit& u) { return u.id == by.org_unit; });
  } else {
    std::set<int64_t> seen;
    for (OrgUnitId r : chosen) {
      if (!seen.insert(r.value).second) continue;
      auto u = registry::GetOrgUnit(tx, r);
      if (!u.ok()) {
        if (u.status().code() == Code::kNotFound)
          return Status::NotFound("no org unit " + std::to_string(r.value), field);
        return u.status();
      }
      // Down the tree only: never to one's own unit, a unit above or a sibling's.
      if (u->path == by.org_path || !registry::IsUnder(u->path, by.org_path))
        return Status::PermissionDenied(std::string(what) + " goes only to units below yours; " +
                                        u->code + " is not");
      to.push_back(std::move(u).value());
    }
  }
  if (to.empty())
    return Status::FailedPrecondition("your org unit has no units below it", "to_all");
  return to;
}

Centre::Centre(store::Database& db, const Clock& clock, Dashboard& dashboard)
    : db_(db), clock_(clock), dashboard_(dashboard) {}

// ---- Directives ----

Result<Directive> Centre::Issue(const Caller& by, const NewDirective& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kIssueDirectives));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(CheckText(in.title, "title", 200, true));
  RETURN_IF_ERROR(CheckText(in.body, "body", 20000, false, true));
  if (in.due_at <= now) return Status::InvalidArgument("must be in the future", "due_at");
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto to,
                     UnitsBelow(tx, by, in.to_all, in.recipients, "recipients", "a directive"));
    if (to.empty())
      return Status::FailedPrecondition("your org unit has no units below it", "to_all");
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO directive (issuer_unit_id, issuer_path, "
                                      "issued_by, title, body, due_at, created_at) VALUES (?, ?, "
                                      "?, ?, ?, ?, ?) RETURNING id",
                                      {by.org_unit.value, by.org_path, by.user.value, in.title,
                                       in.body, in.due_at, now}));
    id = r.Int(0, 0);
    for (const auto& u : to) {
      Task t;
      t.title = in.title;
      t.detail = in.body;
      t.unit = u.id;
      t.org_path = u.path;
      t.priority = "normal";
      t.status = "open";
      t.due_at = in.due_at;
      t.source = "directive:" + std::to_string(id);
      t.created_by = by.user;
      t.created_at = now;
      ASSIGN_OR_RETURN(int64_t task, InsertTask(tx, t));
      RETURN_IF_ERROR(tx.Exec("INSERT INTO directive_recipient (directive_id, org_unit_id, "
                              "org_path, task_id) VALUES (?, ?, ?, ?)",
                              {id, u.id.value, u.path, task})
                          .status());
    }
    return store::Publish(tx, kDirectiveTopic, std::to_string(id), now);
  }));
  ASSIGN_OR_RETURN(auto units, AllUnits(db_));
  return LoadDirective(db_, id, units);
}

Result<std::vector<Directive>> Centre::Directives(const Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadDirectives));
  ASSIGN_OR_RETURN(auto units, AllUnits(db_));
  store::Params p;
  const std::string issued = store::UnderPath(db_, "issuer_path", by.org_path, &p);
  const std::string received = store::UnderPath(db_, "x.org_path", by.org_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(
      auto r,
      db_.Query(std::string("SELECT ") + kDirectiveCols + " FROM directive d WHERE (" + issued +
                    ") OR EXISTS (SELECT 1 FROM directive_recipient x WHERE "
                    "x.directive_id = d.id AND " +
                    received + ") ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                p));
  std::vector<Directive> out;
  for (size_t i = 0; i < r.size(); ++i) {
    ASSIGN_OR_RETURN(auto d, LoadDirective(db_, r.Int(i, 0), units));
    ASSIGN_OR_RETURN(auto seen, ForReader(by, std::move(d)));
    out.push_back(std::move(seen));
  }
  return out;
}

Result<Directive> Centre::GetDirective(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadDirectives));
  ASSIGN_OR_RETURN(auto units, AllUnits(db_));
  ASSIGN_OR_RETURN(auto d, LoadDirective(db_, id, units));
  return ForReader(by, std::move(d));
}

Status Centre::DocumentAccess(const Caller& by, int64_t id, bool attach) {
  ASSIGN_OR_RETURN(auto d, GetDirective(by, id));
  if (!attach) return Status::Ok();
  if (by.org_unit == d.issuer_unit) return registry::Require(by, Capability::kIssueDirectives);
  for (const auto& r : d.recipients) {
    if (r.unit == by.org_unit) return registry::Require(by, Capability::kAnswerDirectives);
  }
  return Status::PermissionDenied("only the issuing unit and the units directive " +
                                  std::to_string(id) + " is addressed to attach documents to it");
}

Result<Directive> Centre::Answer(const Caller& by, int64_t id, bool done, const std::string& note) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kAnswerDirectives));
  RETURN_IF_ERROR(CheckText(note, "note", 5000, false, true));
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(auto units, AllUnits(db_));
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto d, LoadDirective(tx, id, units));
    // Kept in a variable: status() of a temporary Result dangles once the statement ends.
    if (auto seen = ForReader(by, d); !seen.ok()) return seen.status();
    auto mine = std::find_if(d.recipients.begin(), d.recipients.end(),
                             [&](const Recipient& r) { return r.unit == by.org_unit; });
    if (mine == d.recipients.end())
      return Status::PermissionDenied("directive " + std::to_string(id) +
                                      " is not addressed to your org unit");
    if (done) {
      if (mine->done_at)
        return Status::FailedPrecondition("your unit reported it done already", "id");
      RETURN_IF_ERROR(tx.Exec("UPDATE directive_recipient SET acknowledged_at = COALESCE("
                              "acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, "
                              "?), done_at = ?, done_by = ?, done_note = ? WHERE directive_id = ? "
                              "AND org_unit_id = ?",
                              {now, by.user.value, now, by.user.value, note, id, by.org_unit.value})
                          .status());
      if (mine->task) RETURN_IF_ERROR(MoveTask(tx, *mine->task, "done", by.user, note, now));
    } else {
      if (mine->acknowledged_at)
        return Status::FailedPrecondition("your unit acknowledged it already", "id");
      RETURN_IF_ERROR(tx.Exec("UPDATE directive_recipient SET acknowledged_at = ?, "
                              "acknowledged_by = ? WHERE directive_id = ? AND org_unit_id = ?",
                              {now, by.user.value, id, by.org_unit.value})
                          .status());
      if (mine->task)
        RETURN_IF_ERROR(MoveTask(tx, *mine->task, "in_progress", by.user, "acknowledged", now));
    }
    return store::Publish(tx, kDirectiveTopic, std::to_string(id), now);
  }));
  ASSIGN_OR_RETURN(auto d, LoadDirective(db_, id, units));
  return ForReader(by, std::move(d));
}

Result<Directive> Centre::Acknowledge(const Caller& by, int64_t id) {
  return Answer(by, id, false, "");
}

Result<Directive> Centre::Done(const Caller& by, int64_t id, const std::string& note) {
  return Answer(by, id, true, note);
}

Result<int64_t> Centre::RaiseOverdue() {
  const int64_t now = clock_.NowMillis();
  int64_t raised = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    raised = 0;
    ASSIGN_OR_RETURN(auto r,
                     tx.Query("SELECT d.id, d.title, r.org_unit_id FROM directive_recipient "
                              "r JOIN directive d ON d.id = r.directive_id WHERE "
                              "r.done_at IS NULL AND r.overdue_alert_id IS NULL AND "
                              "d.due_at < ? ORDER BY d.id, r.org_unit_id LIMIT 1000",
                              {now}));
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string id = std::to_string(r.Int(i, 0));
      RETURN_IF_ERROR(RaiseOnce(tx, OrgUnitId(r.Int(i, 2)), "directive_overdue",
                                "Directive " + id + " is overdue: " + r.Text(i, 1),
                                "directive:" + id, now,
                                "UPDATE directive_recipient SET overdue_alert_id = ? WHERE "
                                "directive_id = ? AND org_unit_id = ?",
                                {r.Int(i, 0), r.Int(i, 2)}));
      ++raised;
    }
    return Status::Ok();
  }));
  return raised;
}

// ---- Tasks ----

Result<Task> Centre::CreateTask(const Caller& by, const NewTask& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTasks));
  RETURN_IF_ERROR(CheckText(in.title, "title", 200, true));
  RETURN_IF_ERROR(CheckText(in.detail, "detail", 20000, false, true));
  if (!kPriorities.count(in.priority))
    return Status::InvalidArgument("must be low, normal, high or urgent", "priority");
  const int64_t now = clock_.NowMillis();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    std::optional<registry::User> assignee;
    if (in.assignee) {
      ASSIGN_OR_RETURN(assignee, Assignable(tx, by, *in.assignee));
    }
    OrgUnitId unit_id = in.unit ? *in.unit : assignee ? assignee->org_unit : by.org_unit;
    ASSIGN_OR_RETURN(auto unit, UnitInScope(tx, by, unit_id, "unit_id"));
    if (assignee && assignee->org_unit != unit.id)
      return Status::InvalidArgument("is not a user of org unit " + unit.code, "assignee_id");
    Task t;
    t.title = in.title;
    t.detail = in.detail;
    t.unit = unit.id;
    t.org_path = unit.path;
    t.assignee = in.assignee;
    t.priority = in.priority;
    t.status = "open";
    t.due_at = in.due_at;
    t.source = "manual";
    t.created_by = by.user;
    t.created_at = now;
    ASSIGN_OR_RETURN(id, InsertTask(tx, t));
    return Status::Ok();
  }));
  return LoadTask(db_, id);
}

Result<std::vector<Task>> Centre::Tasks(const Caller& by, const TaskQuery& q) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTasks));
  if (q.status && !kStatuses.count(*q.status))
    return Status::InvalidArgument("must be open, in_progress, done or cancelled", "status");
  store::Params params;
  std::string sql = std::string("SELECT ") + kTaskCols + " FROM task WHERE " +
                    store::UnderPath(db_, "org_path", by.org_path, &params);
  if (q.status) {
    sql += " AND status = ?";
    params.push_back(*q.status);
  }
  if (q.unit) {
    sql += " AND org_unit_id = ?";
    params.push_back(q.unit->value);
  }
  sql += " ORDER BY id DESC LIMIT ? OFFSET ?";
  params.push_back(q.limit);
  params.push_back(q.offset);
  ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<Task> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(TaskFrom(r, i));
  return out;
}

Result<Task> Centre::GetTask(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTasks));
  ASSIGN_OR_RETURN(auto t, LoadTask(db_, id));
  if (!registry::Covers(by, t.org_path))
    return Status::NotFound("no task " + std::to_string(id), "id");  // as LoadTask's
  return t;
}

Result<Task> Centre::UpdateTask(const Caller& by, int64_t id, const TaskChange& change) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTasks));
  if (change.status && !kStatuses.count(*change.status))
    return Status::InvalidArgument("must be open, in_progress, done or cancelled", "status");
  if (!change.status && !change.assignee && change.note.empty())
    return Status::InvalidArgument("give a status, an assignee_id or a note", "status");
  RETURN_IF_ERROR(CheckText(change.note, "note", 5000, false, true));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto t, LoadTask(tx, id));
    if (!registry::Covers(by, t.org_path))
      return Status::NotFound("no task " + std::to_string(id), "id");  // as LoadTask's
    if (change.assignee) {
      ASSIGN_OR_RETURN(auto u, Assignable(tx, by, *change.assignee));
      if (u.org_unit != t.unit)
        return Status::InvalidArgument("is not a user of the task's org unit", "assignee_id");
    }
    std::string to = change.status.value_or(t.status);
    std::optional<int64_t> assignee;
    if (auto a = change.assignee ? change.assignee : t.assignee) assignee = a->value;
    RETURN_IF_ERROR(tx.Exec("UPDATE task SET status = ?, assignee_user_id = ?, updated_at = ? "
                            "WHERE id = ?",
                            {to, assignee, now, id})
                        .status());
    RETURN_IF_ERROR(AddEvent(tx, id, now, by.user, t.status, to, change.assignee, change.note));
    return store::Publish(tx, kTaskTopic, std::to_string(id), now);
  }));
  return LoadTask(db_, id);
}

// ---- Situation reports ----

Result<Report> Centre::SubmitReport(const Caller& by, const std::string& text) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kSubmitReports));
  RETURN_IF_ERROR(CheckText(text, "text", 20000, false, true));
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(db_, by.org_unit));
  ASSIGN_OR_RETURN(std::string date, LocalDate(unit.time_zone, now));
  // The figures are the dashboard's, as they stand when the report is submitted.
  RETURN_IF_ERROR(dashboard_.CatchUp());
  ASSIGN_OR_RETURN(auto f, dashboard_.FiguresOn(unit.id, date));
  const DayFigures& day = f.days.front();
  ReportFigures fig{day.new_cases, f.active_cases, f.contacts_following, day.tests,
                    day.positives, day.alerts,     f.open_alerts};
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto r, tx.Query("SELECT id FROM situation_report WHERE org_unit_id = ? "
                                      "AND day = ?",
                                      {unit.id.value, date}));
    store::Params values = {fig.new_cases,          fig.active_cases,
                            fig.contacts_following, fig.tests,
                            fig.positives,          fig.alerts,
                            fig.open_alerts,        text,
                            by.user.value,          now};
    if (r.empty()) {
      store::Params p = {unit.id.value, unit.path, date};
      p.insert(p.end(), values.begin(), values.end());
      ASSIGN_OR_RETURN(auto ins,
                       tx.Query("INSERT INTO situation_report (org_unit_id, org_path, day, "
                                "new_cases, active_cases, contacts_following, tests, positives, "
                                "alerts, open_alerts, text, submitted_by, submitted_at, revision) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
                                p));
      id = ins.Int(0, 0);
    } else {
      id = r.Int(0, 0);
      store::Params p = values;
      p.push_back(id);
      RETURN_IF_ERROR(tx.Exec("UPDATE situation_report SET new_cases = ?, active_cases = ?, "
                              "contacts_following = ?, tests = ?, positives = ?, alerts = ?, "
                              "open_alerts = ?, text = ?, submitted_by = ?, submitted_at = ?, "
                              "revision = revision + 1 WHERE id = ?",
                              p)
                          .status());
    }
    return store::Publish(tx, kReportTopic, std::to_string(id), now);
  }));
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kReportCols +
                                         " FROM situation_report WHERE id = ?",
                                     {id}));
  Units one;
  one.emplace(unit.id.value, unit);
  return ReportFrom(r, 0, one);
}

Result<ReportDay> Centre::Reports(const Caller& by, std::optional<OrgUnitId> unit_id,
                                  std::optional<std::string> date) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadReports));
  ASSIGN_OR_RETURN(auto unit, UnitInScope(db_, by, unit_id.value_or(by.org_unit), "unit_id"));
  if (date && !ValidDate(*date))
    return Status::InvalidArgument("must be a date YYYY-MM-DD", "date");
  ReportDay out;
  out.unit = unit.id;
  if (date) {
    out.date = *date;
  } else {
    ASSIGN_OR_RETURN(out.date, LocalDate(unit.time_zone, clock_.NowMillis()));
  }
  ASSIGN_OR_RETURN(auto all, registry::OrgUnitsUnder(db_, unit.path));
  Units units;
  std::set<int64_t> parents;
  for (const auto& u : all) {
    if (u.parent) parents.insert(u.parent->value);
    units.emplace(u.id.value, u);
  }
  store::Params p = {out.date};
  const std::string under = store::UnderPath(db_, "org_path", unit.path, &p);
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kReportCols +
                                         " FROM situation_report WHERE day = ? AND " + under +
                                         " ORDER BY org_path",
                                     p));
  std::set<int64_t> reported;
  for (size_t i = 0; i < r.size(); ++i) {
    Report rep = ReportFrom(r, i, units);
    reported.insert(rep.unit.value);
    // The roll-up adds the reporting units' reports: a district's own report already holds
    // its communes' figures.
    if (!parents.count(rep.unit.value)) {
      ReportFigures& s = out.rollup;
      s.new_cases += rep.figures.new_cases;
      s.active_cases += rep.figures.active_cases;
      s.contacts_following += rep.figures.contacts_following;
      s.tests += rep.figures.tests;
      s.positives += rep.figures.positives;
      s.alerts += rep.figures.alerts;
      s.open_alerts += rep.figures.open_alerts;
    }
    out.reports.push_back(std::move(rep));
  }
  for (const auto& u : all) {
    if (parents.count(u.id.value)) continue;  // not a reporting unit
    ++out.expected;
    if (!reported.count(u.id.value)) out.missing.push_back({u.id, u.code, u.name});
  }
  return out;
}

Status Centre::ReportDocumentAccess(const Caller& by, int64_t id, bool attach) {
  RETURN_IF_ERROR(
      registry::Require(by, attach ? Capability::kSubmitReports : Capability::kReadReports));
  ASSIGN_OR_RETURN(auto r, db_.Query("SELECT org_unit_id, org_path FROM situation_report WHERE "
                                     "id = ?",
                                     {id}));
  if (r.empty() || !registry::Covers(by, r.Text(0, 1)))
    return Status::NotFound("no situation report " + std::to_string(id), "subject_id");
  if (attach && OrgUnitId(r.Int(0, 0)) != by.org_unit)
    return Status::PermissionDenied("only the reporting unit attaches documents to its report");
  return Status::Ok();
}

}  // namespace mekong::command
