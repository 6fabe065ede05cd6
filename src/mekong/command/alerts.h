// Alerts for command centres, and the device readings that raise them: a fever at a gate,
// a crowd over a venue's capacity.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/cases/contacts.h"
#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::command {

// Tables, migrations and what they build on (store/module.h).
extern const store::Module kModule;

struct Alert {
  int64_t id = 0;
  OrgUnitId org_unit;  // the commune (or wider unit) that must act
  std::string org_path;
  std::string kind;      // "fever", "crowding"
  std::string severity;  // "warning", "critical"
  std::string message;
  std::string source;  // e.g. "reading:12"
  int64_t created_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::optional<int64_t> acknowledged_by;  // user id
  // What it is about, for a screen to word it in the reader's language (message is English).
  std::optional<PersonId> person;
  std::optional<VenueId> venue;
  std::optional<double> temperature_celsius;
  std::optional<int64_t> count, capacity;
  // Escalation: the alert below this one was passed up from (not acknowledged in time), and
  // the alert above this one was passed up to.
  std::optional<int64_t> escalated_from, escalated_to;
};

// Every kind of alert the modules raise.
inline constexpr std::string_view kAlertKinds[] = {
    "fever", "crowding", "directive_overdue", "follow_up_overdue", "meeting_soon", "ticket_late"};

// Raising or acknowledging an alert publishes this topic (payload: the alert id), so every
// server can push it to the officers watching (service.h).
inline constexpr std::string_view kAlertTopic = "command.alert";

Result<Alert> Raise(store::Executor& ex, const Alert& in);
// A sweep's warning, raised once: an alert of `kind` in `unit` now, whose id `link_sql` then
// records on what raised it (its first ? the alert id, then `link_params`).
Status RaiseOnce(store::Executor& ex, OrgUnitId unit, std::string kind, std::string message,
                 std::string source, int64_t now, std::string_view link_sql,
                 store::Params link_params);
// The alert for a follow-up check nobody answered, to the contact's unit (critical for a
// high-risk contact).
Result<Alert> RaiseMissedCheck(store::Executor& ex, const cases::MissedCheck& missed, int64_t now);
Result<std::vector<Alert>> List(store::Executor& ex, const std::string& under_path, bool open_only,
                                int limit, int offset = 0);
// Acknowledges the alert and the alerts it was escalated from and to: one event, seen at
// several levels, is handled once. failed_precondition when it was acknowledged already.
Result<Alert> Acknowledge(store::Executor& ex, int64_t id, UserId by, int64_t now);
// Passes each alert not acknowledged since `raised_before` to the unit above its own: a copy
// there (escalated_from) that may in turn be passed up, to the top of the tree. Returns how many
// (at most 1000 a call).
Result<int64_t> Escalate(store::Executor& ex, int64_t raised_before, int64_t now);
Result<Alert> Get(store::Executor& ex, int64_t id);

struct Reading {
  std::string kind;                // "temperature" or "crowd"
  std::optional<PersonId> person;  // who was measured, when known
  std::optional<VenueId> venue;    // where
  std::optional<double> temperature_celsius;
  std::optional<int64_t> count;
  int64_t at = 0;
  UserId device;
};

struct ReadingOutcome {
  int64_t reading_id = 0;
  bool fever = false;
  bool crowded = false;
  std::optional<Alert> alert;
};

// Stores the reading; a temperature at or over the active policy's fever threshold is a fever
// fact for the person (their code follows the policy's fever rule) and alerts their commune; a
// count over capacity alerts the venue's.
Result<ReadingOutcome> Record(store::Executor& ex, const Reading& in, int64_t now);

// Moves alerts and readings about `from` to `to` (two records of one person merged); returns
// how many rows moved.
Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to);

}  // namespace mekong::command
