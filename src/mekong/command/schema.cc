#include "mekong/command/schema.h"

namespace mekong::command {

namespace {

// Directives and their recipients, situation reports, tasks and their history
// (docs/command.md). The dashboard keeps no table: it lives in memory, fed by the change feed.
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE directive (
  id {id},
  issuer_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  issuer_path TEXT NOT NULL,
  issued_by BIGINT NOT NULL REFERENCES app_user (id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX directive_issuer ON directive (issuer_path, created_at);
CREATE TABLE directive_recipient (
  directive_id BIGINT NOT NULL REFERENCES directive (id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by BIGINT,
  done_at BIGINT,
  done_by BIGINT,
  done_note TEXT NOT NULL DEFAULT '',
  task_id BIGINT,
  overdue_alert_id BIGINT,
  PRIMARY KEY (directive_id, org_unit_id)
);
CREATE INDEX directive_recipient_path ON directive_recipient (org_path);
CREATE INDEX directive_recipient_open ON directive_recipient (done_at, overdue_alert_id);
CREATE TABLE situation_report (
  id {id},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  day TEXT NOT NULL,
  new_cases BIGINT NOT NULL,
  active_cases BIGINT NOT NULL,
  contacts_following BIGINT NOT NULL,
  tests BIGINT NOT NULL,
  positives BIGINT NOT NULL,
  alerts BIGINT NOT NULL,
  open_alerts BIGINT NOT NULL,
  text TEXT NOT NULL,
  submitted_by BIGINT NOT NULL REFERENCES app_user (id),
  submitted_at BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  UNIQUE (org_unit_id, day)
);
CREATE INDEX situation_report_day ON situation_report (day, org_path);
CREATE TABLE task (
  id {id},
  title TEXT NOT NULL,
  detail TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  assignee_user_id BIGINT REFERENCES app_user (id),
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  due_at BIGINT,
  source TEXT NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX task_path ON task (org_path, status);
CREATE INDEX task_due ON task (status, due_at);
CREATE TABLE task_event (
  id {id},
  task_id BIGINT NOT NULL REFERENCES task (id),
  at BIGINT NOT NULL,
  by_user BIGINT,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  assignee_user_id BIGINT,
  note TEXT NOT NULL
);
CREATE INDEX task_event_task ON task_event (task_id, id);
)sql"},
    // Hotline and feedback tickets and their threads (tickets.h).
    {2, R"sql(
CREATE TABLE ticket (
  id {id},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  category TEXT NOT NULL,
  subject TEXT NOT NULL,
  caller_name TEXT NOT NULL,
  caller_contact TEXT NOT NULL,
  person_id BIGINT REFERENCES person (id),
  opened_by BIGINT NOT NULL REFERENCES app_user (id),
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  first_reply_at BIGINT,
  closed_at BIGINT,
  close_note TEXT NOT NULL
);
CREATE INDEX ticket_path ON ticket (org_path, status);
CREATE INDEX ticket_opened_by ON ticket (opened_by);
CREATE INDEX ticket_person ON ticket (person_id);
CREATE TABLE ticket_message (
  id {id},
  ticket_id BIGINT NOT NULL REFERENCES ticket (id),
  at BIGINT NOT NULL,
  by_user BIGINT NOT NULL,
  from_staff BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX ticket_message_ticket ON ticket_message (ticket_id, id);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {3, R"sql(
DROP INDEX directive_recipient_path;
CREATE INDEX directive_recipient_path ON directive_recipient (org_path {bytewise});
DROP INDEX situation_report_day;
CREATE INDEX situation_report_day ON situation_report (day, org_path {bytewise});
DROP INDEX task_path;
CREATE INDEX task_path ON task (org_path {bytewise}, status);
DROP INDEX ticket_path;
CREATE INDEX ticket_path ON ticket (org_path {bytewise}, status);
)sql"},
    // Meetings (meetings.h): the organiser's unit is a participant too (organiser = 1).
    {4, R"sql(
CREATE TABLE meeting (
  id {id},
  organiser_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  organiser_path TEXT NOT NULL,
  organised_by BIGINT NOT NULL REFERENCES app_user (id),
  title TEXT NOT NULL,
  agenda TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  minutes BIGINT NOT NULL,
  join_url TEXT NOT NULL,
  status TEXT NOT NULL,
  cancel_reason TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX meeting_starts ON meeting (starts_at);
CREATE TABLE meeting_participant (
  meeting_id BIGINT NOT NULL REFERENCES meeting (id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  organiser BIGINT NOT NULL,
  reminder_alert_id BIGINT,
  PRIMARY KEY (meeting_id, org_unit_id)
);
CREATE INDEX meeting_participant_path ON meeting_participant (org_path {bytewise}, meeting_id);
)sql"},
    // A ticket keeps the targets it was opened with (the settings may change); those opened
    // before had the fixed 4 h and 3 days. The late sweep reads the unanswered by target.
    {5, R"sql(
ALTER TABLE ticket ADD COLUMN first_reply_due BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket ADD COLUMN close_due BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ticket ADD COLUMN late_alert_id BIGINT;
UPDATE ticket SET first_reply_due = created_at + 14400000, close_due = created_at + 259200000;
CREATE INDEX ticket_unanswered ON ticket (first_reply_due)
  WHERE first_reply_at IS NULL AND late_alert_id IS NULL;
)sql"},
};

}  // namespace

std::span<const store::Migration> CentreMigrations() { return kMigrations; }

}  // namespace mekong::command
