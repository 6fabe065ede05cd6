#include "mekong/command/meetings.h"

#include <algorithm>
#include <unordered_map>

#include "mekong/command/alerts.h"
#include "mekong/command/centre.h"
#include "mekong/core/crypto.h"
#include "mekong/core/text.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::command {

namespace {

using registry::Caller;
using registry::Capability;

constexpr const char* kCols =
    "id, organiser_unit_id, organiser_path, organised_by, title, agenda, starts_at, minutes, "
    "join_url, status, cancel_reason, created_at";

Meeting FromRow(const store::Rows& r, size_t i) {
  Meeting m;
  m.id = r.Int(i, 0);
  m.organiser_unit = OrgUnitId(r.Int(i, 1));
  m.organiser_path = r.Text(i, 2);
  m.organised_by = UserId(r.Int(i, 3));
  m.title = r.Text(i, 4);
  m.agenda = r.Text(i, 5);
  m.starts_at = r.Int(i, 6);
  m.minutes = r.Int(i, 7);
  m.join_url = r.Text(i, 8);
  m.status = r.Text(i, 9);
  m.cancel_reason = r.Text(i, 10);
  m.created_at = r.Int(i, 11);
  return m;
}

// The meetings of `rows` with their participants (the organiser's unit first, then by path).
Result<std::vector<Meeting>> Load(store::Executor& ex, const store::Rows& rows) {
  std::vector<Meeting> out;
  if (rows.empty()) return out;
  store::Params ids;
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(FromRow(rows, i));
    at[out.back().id] = i;
    ids.push_back(out.back().id);
  }
  ASSIGN_OR_RETURN(auto p, ex.Query("SELECT meeting_id, org_unit_id, org_path, organiser, "
                                    "reminder_alert_id FROM meeting_participant WHERE meeting_id "
                                    "IN " +
                                        store::InList(ids.size()) +
                                        " ORDER BY meeting_id, organiser DESC, org_path",
                                    ids));
  // The tree's units in one read (a province's meeting with every unit below names 190 of them),
  // as the directives' recipients are named.
  ASSIGN_OR_RETURN(auto all, registry::OrgUnitsUnder(ex, "/"));
  std::unordered_map<int64_t, registry::OrgUnit> named;
  for (auto& u : all) named.emplace(u.id.value, std::move(u));
  for (size_t i = 0; i < p.size(); ++i) {
    Participant x;
    x.unit = OrgUnitId(p.Int(i, 1));
    x.org_path = p.Text(i, 2);
    x.organiser = p.Int(i, 3) != 0;
    x.reminder_alert = p.OptInt(i, 4);
    const auto& u = named.at(x.unit.value);
    x.code = u.code;
    x.name = u.name;
    out[at.at(p.Int(i, 0))].participants.push_back(std::move(x));
  }
  return out;
}

bool Sees(const Caller& by, const Meeting& m) {
  return std::any_of(m.participants.begin(), m.participants.end(),
                     [&](const Participant& p) { return registry::Covers(by, p.org_path); });
}

// What `by` reads of `m`: every unit taking part when the caller's subtree holds the organiser,
// else those inside the caller's subtree (as a directive's recipients).
Meeting ForReader(const Caller& by, Meeting m) {
  if (!registry::Covers(by, m.organiser_path)) {
    std::erase_if(m.participants,
                  [&](const Participant& p) { return !registry::Covers(by, p.org_path); });
  }
  return m;
}

Result<Meeting> LoadOne(store::Executor& ex, const Caller& by, int64_t id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string("SELECT ") + kCols + " FROM meeting WHERE id = ?", {id}));
  ASSIGN_OR_RETURN(auto found, Load(ex, r));
  // One outside the caller's sight reads like an id that does not exist.
  if (found.empty() || !Sees(by, found[0]))
    return Status::NotFound("no meeting " + std::to_string(id), "id");
  return ForReader(by, std::move(found[0]));
}

}  // namespace

Meetings::Meetings(store::Database& db, const Clock& clock, MeetingOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {}

Result<Meeting> Meetings::Schedule(const Caller& by, const NewMeeting& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageMeetings));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(CheckText(in.title, "title", 200, true));
  RETURN_IF_ERROR(CheckText(in.agenda, "agenda", 5000, false, true));
  if (in.starts_at <= now) return Status::InvalidArgument("must be in the future", "starts_at");
  if (in.minutes < 15 || in.minutes > 480)
    return Status::InvalidArgument("must be 15 to 480 minutes", "minutes");
  int64_t id = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto to, UnitsBelow(tx, by, in.to_all, in.units, "units", "a meeting"));
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO meeting (organiser_unit_id, organiser_path, "
                                      "organised_by, title, agenda, starts_at, minutes, join_url, "
                                      "status, cancel_reason, created_at) VALUES (?, ?, ?, ?, ?, "
                                      "?, ?, '', 'scheduled', '', ?) RETURNING id",
                                      {by.org_unit.value, by.org_path, by.user.value, in.title,
                                       in.agenda, in.starts_at, in.minutes, now}));
    id = r.Int(0, 0);
    const std::string url =
        ReplaceAll(ReplaceAll(options_.video_url_template, "{room}", HexEncode(RandomBytes(16))),
                   "{meeting}", std::to_string(id));
    RETURN_IF_ERROR(tx.Exec("UPDATE meeting SET join_url = ? WHERE id = ?", {url, id}).status());
    RETURN_IF_ERROR(tx.Exec("INSERT INTO meeting_participant (meeting_id, org_unit_id, org_path, "
                            "organiser) VALUES (?, ?, ?, 1)",
                            {id, by.org_unit.value, by.org_path})
                        .status());
    for (const auto& u : to) {
      RETURN_IF_ERROR(tx.Exec("INSERT INTO meeting_participant (meeting_id, org_unit_id, "
                              "org_path, organiser) VALUES (?, ?, ?, 0)",
                              {id, u.id.value, u.path})
                          .status());
    }
    return store::Publish(tx, kMeetingTopic, std::to_string(id), now);
  }));
  return LoadOne(db_, by, id);
}

Result<std::vector<Meeting>> Meetings::List(const Caller& by, int64_t from, int limit) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadMeetings));
  store::Params p;
  const std::string mine = store::UnderPath(db_, "x.org_path", by.org_path, &p);
  p.push_back(from);
  p.push_back(limit);
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kCols +
                                         " FROM meeting m WHERE EXISTS (SELECT 1 FROM "
                                         "meeting_participant x WHERE x.meeting_id = m.id AND " +
                                         mine +
                                         ") AND m.starts_at + m.minutes * 60000 > ? ORDER BY "
                                         "m.starts_at, m.id LIMIT ?",
                                     p));
  ASSIGN_OR_RETURN(auto all, Load(db_, r));
  for (auto& m : all) m = ForReader(by, std::move(m));
  return all;
}

Result<Meeting> Meetings::Get(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadMeetings));
  return LoadOne(db_, by, id);
}

Result<Meeting> Meetings::Cancel(const Caller& by, int64_t id, const std::string& reason) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageMeetings));
  RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true, true));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto m, LoadOne(tx, by, id));
    if (m.organiser_unit != by.org_unit)
      return Status::PermissionDenied("only the organising unit cancels meeting " +
                                      std::to_string(id));
    if (m.status == "cancelled") return Status::FailedPrecondition("is cancelled already", "id");
    if (m.starts_at + m.minutes * kMillisPerMinute <= now)
      return Status::FailedPrecondition("is over", "id");
    RETURN_IF_ERROR(
        tx.Exec("UPDATE meeting SET status = 'cancelled', cancel_reason = ? WHERE id = ?",
                {reason, id})
            .status());
    return store::Publish(tx, kMeetingTopic, std::to_string(id), now);
  }));
  return LoadOne(db_, by, id);
}

Result<int64_t> Meetings::RemindDue() {
  const int64_t now = clock_.NowMillis();
  int64_t raised = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    raised = 0;
    ASSIGN_OR_RETURN(auto r, tx.Query("SELECT m.id, m.title, m.starts_at, x.org_unit_id FROM "
                                      "meeting_participant x JOIN meeting m ON m.id = "
                                      "x.meeting_id WHERE x.reminder_alert_id IS NULL AND "
                                      "m.status = 'scheduled' AND m.starts_at > ? AND "
                                      "m.starts_at <= ? ORDER BY m.id, x.org_unit_id LIMIT 1000",
                                      {now, now + options_.remind_before_ms}));
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string id = std::to_string(r.Int(i, 0));
      RETURN_IF_ERROR(RaiseOnce(
          tx, OrgUnitId(r.Int(i, 3)), "meeting_soon",
          "Meeting " + id + " starts at " + FormatRfc3339(r.Int(i, 2)) + ": " + r.Text(i, 1),
          "meeting:" + id, now,
          "UPDATE meeting_participant SET reminder_alert_id = ? WHERE meeting_id = ? AND "
          "org_unit_id = ?",
          {r.Int(i, 0), r.Int(i, 3)}));
      ++raised;
    }
    return Status::Ok();
  }));
  return raised;
}

Status Meetings::DocumentAccess(const Caller& by, int64_t id, bool attach) {
  if (attach) RETURN_IF_ERROR(registry::Require(by, Capability::kManageMeetings));
  return Get(by, id).status();
}

}  // namespace mekong::command
