// The command centre's work between the province, its districts and its communes
// (docs/command.md): directives flow down the org-unit tree and are acknowledged and reported
// done by each recipient; situation reports flow up, one a day per unit, with figures taken from
// the dashboard; tasks are assigned to a unit or a person in it, with a history.
//
// Scope, checked on every read and write: a unit issues directives only to units strictly
// below it (never upward or sideways), answers only those addressed to itself, and reads what
// was issued in or addressed to its subtree; tasks and reports are read and written inside the
// caller's subtree. A record outside it is not_found, like an id that does not exist.
//
// Every write publishes on the change feed in its transaction ("command.directive",
// "command.task", "command.report"; payload: the id) for other processes to follow.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/command/dashboard.h"
#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/store/database.h"

namespace mekong::command {

inline constexpr std::string_view kDirectiveTopic = "command.directive";
inline constexpr std::string_view kTaskTopic = "command.task";
inline constexpr std::string_view kReportTopic = "command.report";

// ---- Directives ----

struct Recipient {
  OrgUnitId unit;
  std::string code, name, org_path;
  std::optional<int64_t> acknowledged_at, done_at;
  std::optional<UserId> acknowledged_by, done_by;
  std::string done_note;
  std::optional<int64_t> task;           // the task the directive made for this unit
  std::optional<int64_t> overdue_alert;  // raised when it was not done by the due date
  // "pending" (not acknowledged), "acknowledged", "done".
  std::string status() const {
    return done_at ? "done" : acknowledged_at ? "acknowledged" : "pending";
  }
};

struct Directive {
  int64_t id = 0;
  OrgUnitId issuer_unit;
  std::string issuer_path;
  UserId issued_by;
  std::string title, body;
  int64_t due_at = 0, created_at = 0;
  // The recipients the reader may see: all of them for the issuer's subtree, otherwise those
  // inside the reader's subtree.
  std::vector<Recipient> recipients;
};

struct NewDirective {
  std::string title, body;
  int64_t due_at = 0;
  // Units strictly below the issuer's; or, with `to_all`, "children" (every unit one level
  // below) or "below" (every unit at any depth below).
  std::vector<OrgUnitId> recipients;
  std::string to_all;
};

// ---- Tasks ----

struct TaskEvent {
  int64_t at = 0;
  std::optional<UserId> by;  // none: the system
  std::string from_status, to_status;
  std::optional<UserId> assignee;
  std::string note;
};

struct Task {
  int64_t id = 0;
  std::string title, detail;
  OrgUnitId unit;  // the unit it is assigned to
  std::string org_path;
  std::optional<UserId> assignee;  // a user of that unit, or none: the unit as a whole
  std::string priority;            // low, normal, high, urgent
  std::string status;              // open, in_progress, done, cancelled
  std::optional<int64_t> due_at;
  std::string source;  // "manual" or "directive:<id>"
  std::optional<UserId> created_by;
  int64_t created_at = 0, updated_at = 0;
  std::vector<TaskEvent> history;  // oldest first; filled by GetTask and UpdateTask
};

struct NewTask {
  std::string title, detail;
  std::optional<OrgUnitId> unit;  // default: the assignee's, else the caller's
  std::optional<UserId> assignee;
  std::string priority = "normal";
  std::optional<int64_t> due_at;
};

struct TaskChange {
  std::optional<std::string> status;
  std::optional<UserId> assignee;
  std::string note;
};

struct TaskQuery {
  std::optional<std::string> status;
  std::optional<OrgUnitId> unit;  // assigned to exactly this unit
  int limit = 50, offset = 0;
};

// ---- Situation reports ----

struct ReportFigures {
  int64_t new_cases = 0, active_cases = 0, contacts_following = 0, tests = 0, positives = 0,
          alerts = 0, open_alerts = 0;
};

struct Report {
  int64_t id = 0;
  OrgUnitId unit;
  std::string code, name, org_path;
  std::string date;       // the unit's local date, YYYY-MM-DD
  ReportFigures figures;  // the unit's dashboard figures for the date, as submitted
  std::string text;       // the officers' own words
  UserId submitted_by;
  int64_t submitted_at = 0;
  int64_t revision = 1;  // submitting again the same day replaces the report
};

// What a unit reads for a date: the reports of the units under it, their sum, and the units
// that report (those with no unit below them) but have not.
struct MissingReport {
  OrgUnitId unit;
  std::string code, name;
};
struct ReportDay {
  OrgUnitId unit;
  std::string date;
  int64_t expected = 0;
  std::vector<Report> reports;
  ReportFigures rollup;
  std::vector<MissingReport> missing;
};

// The units a directive or a meeting goes to: with `to_all` "children" those one level below the
// caller's unit, "below" those at any depth below; else the units `chosen`, each strictly below
// the caller's (permission_denied naming `what` otherwise). Errors name `field` or "to_all".
Result<std::vector<registry::OrgUnit>> UnitsBelow(store::Executor& tx, const registry::Caller& by,
                                                  const std::string& to_all,
                                                  const std::vector<OrgUnitId>& chosen,
                                                  const char* field, std::string_view what);

class Centre {
 public:
  Centre(store::Database& db, const Clock& clock, Dashboard& dashboard);

  Result<Directive> Issue(const registry::Caller& by, const NewDirective& in);
  // Issued in or addressed to the caller's subtree, newest first.
  Result<std::vector<Directive>> Directives(const registry::Caller& by, int limit, int offset);
  Result<Directive> GetDirective(const registry::Caller& by, int64_t id);
  // For the caller's own unit, which must be a recipient. failed_precondition when already
  // acknowledged (Acknowledge) or done (Done); Done acknowledges too when nobody had.
  Result<Directive> Acknowledge(const registry::Caller& by, int64_t id);
  Result<Directive> Done(const registry::Caller& by, int64_t id, const std::string& note);
  // Documents attached to a directive (documents/service.h): whoever reads the directive reads
  // them; its issuing unit and the units it is addressed to attach them.
  Status DocumentAccess(const registry::Caller& by, int64_t id, bool attach);
  // The server's sweep: raises a "directive_overdue" alert (alerts.h) for each recipient that
  // has not reported done by the due date, once, routed to that unit. Returns how many.
  Result<int64_t> RaiseOverdue();

  Result<Task> CreateTask(const registry::Caller& by, const NewTask& in);
  Result<std::vector<Task>> Tasks(const registry::Caller& by, const TaskQuery& q);
  Result<Task> GetTask(const registry::Caller& by, int64_t id);
  Result<Task> UpdateTask(const registry::Caller& by, int64_t id, const TaskChange& change);

  // Today's report (the unit's local date) of the caller's unit.
  Result<Report> SubmitReport(const registry::Caller& by, const std::string& text);
  // The reports of `unit` (default the caller's) and the units below it for `date` (default
  // today in the unit's zone).
  Result<ReportDay> Reports(const registry::Caller& by, std::optional<OrgUnitId> unit,
                            std::optional<std::string> date);
  // Documents attached to a situation report: whoever reads the report (its unit's subtree and
  // the units above) reads them; the reporting unit attaches them.
  Status ReportDocumentAccess(const registry::Caller& by, int64_t id, bool attach);

 private:
  Result<Directive> Answer(const registry::Caller& by, int64_t id, bool done,
                           const std::string& note);

  store::Database& db_;
  const Clock& clock_;
  Dashboard& dashboard_;
};

}  // namespace mekong::command
