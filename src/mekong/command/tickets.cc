#include "mekong/command/tickets.h"

#include <algorithm>
#include <set>

#include "mekong/command/alerts.h"
#include "mekong/core/text.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::command {

namespace {

using registry::Caller;
using registry::Capability;
using registry::Role;

const std::set<std::string> kChannels = {"phone", "web", "message"};
const std::set<std::string> kCategories = {"entry_exit", "quarantine", "vaccination", "other"};
const std::set<std::string> kTicketStatuses = {"open", "answered", "closed"};

constexpr const char* kCols =
    "id, org_unit_id, org_path, channel, language, category, subject, caller_name, "
    "caller_contact, person_id, opened_by, status, created_at, updated_at, first_reply_at, "
    "closed_at, close_note, first_reply_due, close_due, late_alert_id";

Ticket FromRow(const store::Rows& r, size_t i) {
  Ticket t;
  t.id = r.Int(i, 0);
  t.unit = OrgUnitId(r.Int(i, 1));
  t.org_path = r.Text(i, 2);
  t.channel = r.Text(i, 3);
  t.language = r.Text(i, 4);
  t.category = r.Text(i, 5);
  t.subject = r.Text(i, 6);
  t.caller_name = r.Text(i, 7);
  t.caller_contact = r.Text(i, 8);
  if (auto p = r.OptInt(i, 9)) t.person = PersonId(*p);
  t.opened_by = UserId(r.Int(i, 10));
  t.status = r.Text(i, 11);
  t.created_at = r.Int(i, 12);
  t.updated_at = r.Int(i, 13);
  t.first_reply_at = r.OptInt(i, 14);
  t.closed_at = r.OptInt(i, 15);
  t.close_note = r.Text(i, 16);
  t.first_reply_due_at = r.Int(i, 17);
  t.close_due_at = r.Int(i, 18);
  t.late_alert = r.OptInt(i, 19);
  return t;
}

bool IsCitizen(const Caller& by) { return by.role == Role::kCitizen; }

// A citizen works on their own tickets; staff on their subtree's, as its desk.
Status RequireParty(const Caller& by) {
  return registry::Require(by,
                           IsCitizen(by) ? Capability::kOpenTickets : Capability::kAnswerTickets);
}

// A citizen's own: the ticket names their person record or they opened it.
bool Sees(const Caller& by, const Ticket& t) {
  if (IsCitizen(by)) return t.opened_by == by.user || (t.person && t.person == by.person);
  return registry::Can(by.role, Capability::kAnswerTickets) && registry::Covers(by, t.org_path);
}

// The same answer for an id that does not exist and for one the caller may not see.
Result<Ticket> Load(store::Executor& ex, const Caller& by, int64_t id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string("SELECT ") + kCols + " FROM ticket WHERE id = ?", {id}));
  if (r.empty() || !Sees(by, FromRow(r, 0)))
    return Status::NotFound("no ticket " + std::to_string(id), "id");
  Ticket t = FromRow(r, 0);
  ASSIGN_OR_RETURN(auto m, ex.Query("SELECT id, at, by_user, from_staff, body FROM "
                                    "ticket_message WHERE ticket_id = ? ORDER BY id",
                                    {id}));
  for (size_t i = 0; i < m.size(); ++i) {
    t.messages.push_back(
        {m.Int(i, 0), m.Int(i, 1), UserId(m.Int(i, 2)), m.Int(i, 3) != 0, m.Text(i, 4)});
  }
  return t;
}

Status AddRow(store::Executor& ex, int64_t ticket, int64_t at, const Caller& by,
              const std::string& body) {
  return ex
      .Exec(
          "INSERT INTO ticket_message (ticket_id, at, by_user, from_staff, body) VALUES (?, ?, "
          "?, ?, ?)",
          {ticket, at, by.user.value, !IsCitizen(by), body})
      .status();
}

// Tells the citizen whose ticket it is, in their language, what the desk did: an answer (the
// thread's `n`th message) or the close (n = 0). A caller on the phone has no record to tell.
Status Tell(store::Executor& tx, const Ticket& t, const char* kind, outbox::Params params, size_t n,
            int64_t now) {
  if (!t.person) return Status::Ok();
  params.emplace_back("subject", t.subject);
  const std::string source = "ticket:" + std::to_string(t.id) +
                             (n ? ":message:" + std::to_string(n) : std::string(":closed"));
  return outbox::Enqueue(
             tx,
             {*t.person, kind, std::move(params), "/me/questions/" + std::to_string(t.id), source},
             now)
      .status();
}

std::optional<int64_t> Median(std::vector<int64_t> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

Tickets::Tickets(store::Database& db, const Clock& clock, TicketOptions options)
    : db_(db), clock_(clock), options_(options) {}

Result<Ticket> Tickets::Open(const Caller& by, const NewTicket& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kOpenTickets));
  if (!kChannels.count(in.channel))
    return Status::InvalidArgument("must be phone, web or message", "channel");
  if (!kCategories.count(in.category))
    return Status::InvalidArgument("must be entry_exit, quarantine, vaccination or other",
                                   "category");
  RETURN_IF_ERROR(CheckText(in.subject, "subject", 200, true));
  RETURN_IF_ERROR(CheckText(in.body, "body", 5000, true, true));
  RETURN_IF_ERROR(CheckText(in.caller_name, "caller_name", 200, false));
  RETURN_IF_ERROR(CheckText(in.caller_contact, "caller_contact", 200, false));
  if (in.language && !registry::IsLanguage(*in.language))
    return Status::InvalidArgument(
        "must be one of en, zh, vi, th, ms, id, fil, km, lo, my, ja, ko, ta, tet, pt", "language");
  if (IsCitizen(by)) {
    if (!by.person) return Status::FailedPrecondition("your account has no person record");
    if (in.channel != "web")
      return Status::InvalidArgument("a citizen opens tickets from the web form", "channel");
    if (in.unit)
      return Status::PermissionDenied(
          "unit_id: a citizen's ticket goes to the unit of their own record");
  }
  const int64_t now = clock_.NowMillis();
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    Ticket t;
    std::string language = in.language.value_or("en");
    if (IsCitizen(by)) {
      ASSIGN_OR_RETURN(auto me, registry::GetPerson(tx, *by.person));
      t.unit = me.org_unit;
      t.org_path = me.org_path;
      t.person = me.id;
      if (!in.language) language = me.language;
      t.caller_name = me.full_name;
    } else {
      OrgUnitId unit = in.unit.value_or(by.org_unit);
      auto u = registry::GetOrgUnit(tx, unit);
      if (!u.ok() && u.status().code() == Code::kNotFound)
        return Status::NotFound("no org unit " + std::to_string(unit.value), "unit_id");
      RETURN_IF_ERROR(u);
      if (!registry::Covers(by, u->path))
        return Status::PermissionDenied("unit_id: org unit " + u->code +
                                        " is outside your org unit");
      t.unit = u->id;
      t.org_path = u->path;
      t.caller_name = in.caller_name;
    }
    ASSIGN_OR_RETURN(
        auto r,
        tx.Query(
            "INSERT INTO ticket (org_unit_id, org_path, channel, language, category, "
            "subject, caller_name, caller_contact, person_id, opened_by, status, "
            "created_at, updated_at, close_note, first_reply_due, close_due) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, '', ?, ?) RETURNING id",
            {t.unit.value, t.org_path, in.channel, language, in.category, in.subject, t.caller_name,
             in.caller_contact, t.person ? std::optional<int64_t>(t.person->value) : std::nullopt,
             by.user.value, now, now, now + options_.first_reply_ms, now + options_.close_ms}));
    id = r.Int(0, 0);
    // The caller's own words open the thread; a desk taking a call writes them down for them.
    RETURN_IF_ERROR(tx.Exec("INSERT INTO ticket_message (ticket_id, at, by_user, from_staff, "
                            "body) VALUES (?, ?, ?, 0, ?)",
                            {id, now, by.user.value, in.body})
                        .status());
    return store::Publish(tx, kTicketTopic, std::to_string(id), now);
  }));
  return Load(db_, by, id);
}

Result<std::vector<Ticket>> Tickets::List(const Caller& by, const TicketQuery& q) {
  RETURN_IF_ERROR(RequireParty(by));
  if (q.status && !kTicketStatuses.count(*q.status))
    return Status::InvalidArgument("must be open, answered or closed", "status");
  if (q.category && !kCategories.count(*q.category))
    return Status::InvalidArgument("must be entry_exit, quarantine, vaccination or other",
                                   "category");
  if (q.language && !registry::IsLanguage(*q.language))
    return Status::InvalidArgument("is not one of the 15 languages", "language");
  std::string sql = std::string("SELECT ") + kCols + " FROM ticket WHERE ";
  store::Params params;
  if (IsCitizen(by)) {
    sql += "(opened_by = ? OR person_id = ?)";
    params = {by.user.value, by.person ? by.person->value : int64_t{-1}};
  } else {
    sql += store::UnderPath(db_, "org_path", by.org_path, &params);
  }
  if (q.status) sql += " AND status = ?", params.push_back(*q.status);
  if (q.category) sql += " AND category = ?", params.push_back(*q.category);
  if (q.language) sql += " AND language = ?", params.push_back(*q.language);
  const int64_t now = clock_.NowMillis();
  if (q.late_only) {
    // Not yet answered past the first-reply target, or not yet closed past the close target.
    sql +=
        " AND ((first_reply_at IS NULL AND status <> 'closed' AND first_reply_due < ?) OR "
        "(closed_at IS NULL AND close_due < ?))";
    params.push_back(now);
    params.push_back(now);
  }
  sql += " ORDER BY id DESC LIMIT ? OFFSET ?";
  params.push_back(q.limit);
  params.push_back(q.offset);
  ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<Ticket> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(FromRow(r, i));
  return out;
}

Result<Ticket> Tickets::Get(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(RequireParty(by));
  return Load(db_, by, id);
}

Result<Ticket> Tickets::AddMessage(const Caller& by, int64_t id, const std::string& body) {
  RETURN_IF_ERROR(RequireParty(by));
  RETURN_IF_ERROR(CheckText(body, "body", 5000, true, true));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto t, Load(tx, by, id));
    if (t.status == "closed")
      return Status::FailedPrecondition("ticket " + std::to_string(id) + " is closed", "id");
    RETURN_IF_ERROR(AddRow(tx, id, now, by, body));
    const bool staff = !IsCitizen(by);
    const std::string status = staff ? "answered" : "open";
    std::optional<int64_t> first = t.first_reply_at;
    if (staff && !first) first = now;
    RETURN_IF_ERROR(
        tx.Exec("UPDATE ticket SET status = ?, first_reply_at = ?, updated_at = ? WHERE id = ?",
                {status, first, now, id})
            .status());
    if (staff) RETURN_IF_ERROR(Tell(tx, t, "ticket_answered", {}, t.messages.size() + 1, now));
    return store::Publish(tx, kTicketTopic, std::to_string(id), now);
  }));
  return Load(db_, by, id);
}

Result<Ticket> Tickets::Close(const Caller& by, int64_t id, const std::string& note) {
  RETURN_IF_ERROR(RequireParty(by));
  RETURN_IF_ERROR(CheckText(note, "note", 5000, !IsCitizen(by), true));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto t, Load(tx, by, id));
    if (t.status == "closed")
      return Status::FailedPrecondition("ticket " + std::to_string(id) + " is already closed",
                                        "id");
    RETURN_IF_ERROR(tx.Exec("UPDATE ticket SET status = 'closed', closed_at = ?, close_note = ?, "
                            "updated_at = ? WHERE id = ?",
                            {now, note, now, id})
                        .status());
    if (!IsCitizen(by)) RETURN_IF_ERROR(Tell(tx, t, "ticket_closed", {{"note", note}}, 0, now));
    return store::Publish(tx, kTicketTopic, std::to_string(id), now);
  }));
  return Load(db_, by, id);
}

Result<TicketSummary> Tickets::Summary(const Caller& by, int days) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kAnswerTickets));
  if (days < 1 || days > 366) return Status::InvalidArgument("must be 1 to 366", "days");
  const int64_t now = clock_.NowMillis();
  store::Params p;
  const std::string under = store::UnderPath(db_, "org_path", by.org_path, &p);
  p.push_back(now - int64_t{days} * 86400000);
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kCols + " FROM ticket WHERE " +
                                         under + " AND created_at >= ?",
                                     p));
  TicketSummary s;
  s.days = days;
  std::vector<int64_t> first, close;
  int64_t first_on_time = 0, close_on_time = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    Ticket t = FromRow(r, i);
    ++s.opened;
    s.open += t.status == "open";
    s.answered += t.status == "answered";
    s.closed += t.status == "closed";
    s.first_reply_late += t.first_reply_late(now) && !(t.closed_at && !t.first_reply_at);
    s.close_late += t.close_late(now);
    if (t.first_reply_at) {
      first.push_back(*t.first_reply_at - t.created_at);
      first_on_time += !t.first_reply_late(now);
    }
    if (t.closed_at) {
      close.push_back(*t.closed_at - t.created_at);
      close_on_time += !t.close_late(now);
    }
  }
  s.median_first_reply_ms = Median(first);
  s.median_close_ms = Median(close);
  if (!first.empty()) s.first_reply_on_time = static_cast<double>(first_on_time) / first.size();
  if (!close.empty()) s.closed_on_time = static_cast<double>(close_on_time) / close.size();
  return s;
}

Result<int64_t> Tickets::RaiseLate() {
  const int64_t now = clock_.NowMillis();
  int64_t raised = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    raised = 0;
    ASSIGN_OR_RETURN(auto r, tx.Query("SELECT id, org_unit_id, subject FROM ticket WHERE "
                                      "first_reply_at IS NULL AND status <> 'closed' AND "
                                      "late_alert_id IS NULL AND first_reply_due < ? ORDER BY id "
                                      "LIMIT 1000",
                                      {now}));
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string id = std::to_string(r.Int(i, 0));
      RETURN_IF_ERROR(RaiseOnce(tx, OrgUnitId(r.Int(i, 1)), "ticket_late",
                                "Ticket " + id + " has no answer yet: " + r.Text(i, 2),
                                "ticket:" + id, now,
                                "UPDATE ticket SET late_alert_id = ? WHERE id = ?", {r.Int(i, 0)}));
      ++raised;
    }
    return Status::Ok();
  }));
  return raised;
}

}  // namespace mekong::command
