// Hotline and feedback tickets (docs/command.md): a question or complaint that reaches a unit by
// phone, the web form or a message, in the caller's language, answered by the unit's officers
// and closed with a note, each timed against its targets.
//
// Who sees what: a citizen opens tickets for themselves and reads and answers only their own;
// staff with answer_tickets open tickets for callers (a phone call) and read, answer and close
// those of their unit's subtree. A ticket outside that is not_found, like an id that does not
// exist. A citizen's ticket belongs to the unit of their person record.
//
// Every write publishes "command.ticket" (payload: the id) in its transaction, for the outbox
// and other servers to follow.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/store/database.h"

namespace mekong::command {

inline constexpr std::string_view kTicketTopic = "command.ticket";

// The targets a ticket is timed against, from when it was opened (the settings
// command.ticket_first_reply_minutes and command.ticket_close_hours). A ticket keeps the targets
// it was opened with.
struct TicketOptions {
  int64_t first_reply_ms = 4 * 3600 * 1000;  // a first answer within 4 h
  int64_t close_ms = 3 * 24 * 3600 * 1000;   // closed within 3 days
};

struct TicketMessage {
  int64_t id = 0;
  int64_t at = 0;
  UserId by;
  bool from_staff = false;
  std::string body;
};

struct Ticket {
  int64_t id = 0;
  OrgUnitId unit;
  std::string org_path;
  std::string channel;   // phone, web, message
  std::string language;  // the caller's, one of registry::IsLanguage's
  std::string category;  // entry_exit, quarantine, vaccination, other
  std::string subject;
  std::string caller_name, caller_contact;  // as given by a caller on the phone; may be empty
  std::optional<PersonId> person;           // the citizen who opened it
  UserId opened_by;
  std::string status;  // open (waiting for the unit), answered (waiting for the caller), closed
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> first_reply_at, closed_at;
  std::string close_note;
  std::vector<TicketMessage> messages;  // oldest first; filled by GetTicket and the writes
  int64_t first_reply_due_at = 0, close_due_at = 0;  // the targets, as times
  std::optional<int64_t> late_alert;                 // raised when the first answer was late

  int64_t first_reply_due() const { return first_reply_due_at; }
  int64_t close_due() const { return close_due_at; }
  // Late against a target: answered or closed after it, or not yet and past it at `now`.
  bool first_reply_late(int64_t now) const {
    return first_reply_at ? *first_reply_at > first_reply_due() : now > first_reply_due();
  }
  bool close_late(int64_t now) const {
    return closed_at ? *closed_at > close_due() : now > close_due();
  }
};

struct NewTicket {
  std::string channel = "web";
  std::optional<std::string> language;  // default: the citizen's, else "en"
  std::string category, subject, body;
  std::string caller_name, caller_contact;
  std::optional<OrgUnitId> unit;  // staff only; default: the caller's unit
};

struct TicketQuery {
  std::optional<std::string> status, category, language;
  bool late_only = false;  // past a target and not met
  int limit = 50, offset = 0;
};

// What a unit's desk shows above its queue: its subtree's tickets opened in the last `days`.
struct TicketSummary {
  int64_t days = 30;
  int64_t opened = 0, open = 0, answered = 0, closed = 0;
  int64_t first_reply_late = 0, close_late = 0;  // late now or when met
  std::optional<int64_t> median_first_reply_ms, median_close_ms;
  std::optional<double> first_reply_on_time, closed_on_time;  // shares of those met, 0..1
};

class Tickets {
 public:
  Tickets(store::Database& db, const Clock& clock, TicketOptions options = {});

  Result<Ticket> Open(const registry::Caller& by, const NewTicket& in);
  // Newest first: a citizen's own, or the caller's subtree.
  Result<std::vector<Ticket>> List(const registry::Caller& by, const TicketQuery& q);
  Result<Ticket> Get(const registry::Caller& by, int64_t id);
  // Staff answer (the first answer is timed); the citizen who opened it adds to it. A message
  // moves an open ticket to answered (staff) or an answered one back to open (the citizen);
  // failed_precondition on a closed ticket.
  Result<Ticket> AddMessage(const registry::Caller& by, int64_t id, const std::string& body);
  // Staff close with a note; the citizen who opened it may close it too.
  Result<Ticket> Close(const registry::Caller& by, int64_t id, const std::string& note);
  Result<TicketSummary> Summary(const registry::Caller& by, int days);
  // The server's sweep: a "ticket_late" alert to the ticket's unit, once, for each ticket still
  // without a first answer past its target (and, unacknowledged, it climbs like any alert).
  Result<int64_t> RaiseLate();

 private:
  store::Database& db_;
  const Clock& clock_;
  TicketOptions options_;
};

}  // namespace mekong::command
