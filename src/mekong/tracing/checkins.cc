#include "mekong/tracing/checkins.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/changes.h"
#include "mekong/tracing/travel.h"

namespace mekong::tracing {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE checkin (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  venue_id BIGINT NOT NULL REFERENCES venue (id),
  time_in BIGINT NOT NULL,
  time_out BIGINT NOT NULL,
  closed_by TEXT NOT NULL,
  source TEXT NOT NULL,
  CHECK (time_out >= time_in)
);
CREATE INDEX checkin_venue_time ON checkin (venue_id, time_in);
CREATE INDEX checkin_person_time ON checkin (person_id, time_in);
)sql"},
    {2, "CREATE INDEX checkin_time_out ON checkin (time_out)"},  // the retention sweep
};

constexpr const char* kSelect =
    "SELECT id, person_id, venue_id, time_in, time_out, closed_by, source FROM checkin";

ClosedBy ParseClosedBy(const std::string& s) {
  if (s == "checkout") return ClosedBy::kCheckout;
  if (s == "next_checkin") return ClosedBy::kNextCheckin;
  return ClosedBy::kDefaultStay;
}

Checkin From(const store::Rows& r, size_t i) {
  return {CheckinId(r.Int(i, 0)),
          PersonId(r.Int(i, 1)),
          VenueId(r.Int(i, 2)),
          r.Int(i, 3),
          r.Int(i, 4),
          ParseClosedBy(r.Text(i, 5)),
          r.Text(i, 6)};
}

Status CheckTime(int64_t t, std::string_view field, int64_t now, const Limits& limits) {
  if (t > now + limits.max_future_skew_ms) {
    return Status::InvalidArgument("is in the future", std::string(field));
  }
  if (t < now - limits.retention_ms) {
    return Status::InvalidArgument("is older than the retention period", std::string(field));
  }
  return Status::Ok();
}

}  // namespace

Limits Limits::From(const Config& config) {
  return {int64_t{config.max_stay_hours} * kMillisPerHour, 5 * kMillisPerMinute,
          int64_t{config.retention_days} * kMillisPerDay};
}

const store::Module kModule{
    "tracing", {"registry"}, {{"tracing", kMigrations}, {"travel", TravelMigrations()}}};

std::string_view ClosedByName(ClosedBy c) {
  switch (c) {
    case ClosedBy::kCheckout:
      return "checkout";
    case ClosedBy::kNextCheckin:
      return "next_checkin";
    case ClosedBy::kDefaultStay:
      return "default_stay";
  }
  return "default_stay";
}

Result<Checkin> CheckIn(store::Executor& ex, PersonId person, VenueId venue, int64_t time_in,
                        std::string_view source, int64_t now, const Limits& limits,
                        std::vector<Checkin>* closed) {
  RETURN_IF_ERROR(CheckTime(time_in, "time_in", now, limits));
  auto p = registry::GetPerson(ex, person);
  if (!p.ok())
    return p.status().code() == Code::kNotFound
               ? Status::NotFound(p.status().message(), "person_id")
               : p.status();
  ASSIGN_OR_RETURN(auto v, registry::GetVenue(ex, venue));
  int64_t default_out = time_in + v.default_stay_minutes * kMillisPerMinute;

  // Stays that are still open (not checked out) and cover time_in.
  ASSIGN_OR_RETURN(
      auto open,
      ex.Query(std::string(kSelect) +
                   " WHERE person_id = ? AND closed_by = 'default_stay' AND time_in <= ? "
                   "AND time_out > ?",
               {person.value, time_in, time_in}));
  for (size_t i = 0; i < open.size(); ++i) {
    Checkin c = From(open, i);
    if (c.venue == venue) {
      return Status::AlreadyExists(
          "already checked in here since check-in " + std::to_string(c.id.value), "venue_id");
    }
    if (closed) closed->push_back(c);
  }
  // One person is in one place: an open stay elsewhere ends where this one begins.
  std::vector<TimeOutChange> moved;
  for (size_t i = 0; i < open.size(); ++i) {
    Checkin c = From(open, i);
    moved.push_back({c.person, c.venue, c.time_in, c.time_out, time_in});
  }
  RETURN_IF_ERROR(
      ex.Exec("UPDATE checkin SET time_out = ?, closed_by = 'next_checkin' WHERE person_id = ? AND "
              "closed_by = 'default_stay' AND time_in <= ? AND time_out > ?",
              {time_in, person.value, time_in, time_in}));
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source) "
               "VALUES (?, ?, ?, ?, 'default_stay', ?) RETURNING id",
               {person.value, venue.value, time_in, default_out, std::string(source)}));
  RETURN_IF_ERROR(PublishTimeOuts(ex, moved, now));
  Stay stay{person, venue, time_in, default_out};
  RETURN_IF_ERROR(PublishStays(ex, std::span(&stay, 1), now));
  return Checkin{
      CheckinId(r.Int(0, 0)), person, venue, time_in, default_out, ClosedBy::kDefaultStay,
      std::string(source)};
}

Result<Checkin> CheckOut(store::Executor& ex, CheckinId id, int64_t time_out, int64_t now,
                         const Limits& limits) {
  ASSIGN_OR_RETURN(Checkin c, GetCheckin(ex, id));
  if (c.closed_by != ClosedBy::kDefaultStay) {
    return Status::FailedPrecondition("check-in " + std::to_string(id.value) +
                                      " is already closed (" +
                                      std::string(ClosedByName(c.closed_by)) + ")");
  }
  if (time_out < c.time_in)
    return Status::InvalidArgument("is before the check-in time", "time_out");
  if (time_out - c.time_in > limits.max_stay_ms) {
    return Status::InvalidArgument("makes the stay longer than the limit", "time_out");
  }
  if (time_out > now + limits.max_future_skew_ms)
    return Status::InvalidArgument("is in the future", "time_out");
  ASSIGN_OR_RETURN(auto later,
                   ex.Query("SELECT MIN(time_in) FROM checkin WHERE person_id = ? AND time_in > ?",
                            {c.person.value, c.time_in}));
  if (!later.IsNull(0, 0) && time_out > later.Int(0, 0)) {
    return Status::InvalidArgument("is after this person's next check-in", "time_out");
  }
  RETURN_IF_ERROR(ex.Exec("UPDATE checkin SET time_out = ?, closed_by = 'checkout' WHERE id = ?",
                          {time_out, id.value}));
  TimeOutChange moved{c.person, c.venue, c.time_in, c.time_out, time_out};
  RETURN_IF_ERROR(PublishTimeOuts(ex, std::span(&moved, 1), now));
  c.time_out = time_out;
  c.closed_by = ClosedBy::kCheckout;
  return c;
}

Result<Checkin> GetCheckin(store::Executor& ex, CheckinId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kSelect) + " WHERE id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no check-in " + std::to_string(id.value), "id");
  return From(r, 0);
}

Result<std::vector<Checkin>> PersonCheckins(store::Executor& ex, PersonId person, int64_t from,
                                            int64_t to) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string(kSelect) +
                   " WHERE person_id = ? AND time_out > ? AND time_in < ? ORDER BY time_in, id",
               {person.value, from, to}));
  std::vector<Checkin> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<std::vector<Stay>> StaysAt(store::Executor& ex, std::span<const VenueId> venues,
                                  int64_t from, int64_t to, std::span<const PersonId> people) {
  std::vector<Stay> out;
  // A few hundred ids per statement, for both lists.
  constexpr size_t kChunk = 300;
  for (size_t v = 0; v < venues.size(); v += kChunk) {
    size_t nv = std::min(kChunk, venues.size() - v);
    size_t np_total = people.empty() ? 1 : people.size();
    for (size_t p = 0; p < np_total; p += kChunk) {
      size_t np = people.empty() ? 0 : std::min(kChunk, people.size() - p);
      std::string sql =
          "SELECT person_id, venue_id, time_in, time_out FROM checkin WHERE venue_id IN " +
          store::InList(nv) + " AND time_out > ? AND time_in < ?";
      store::Params params;
      for (size_t i = 0; i < nv; ++i) params.push_back(venues[v + i].value);
      params.push_back(from);
      params.push_back(to);
      if (np) {
        sql += " AND person_id IN " + store::InList(np);
        for (size_t i = 0; i < np; ++i) params.push_back(people[p + i].value);
      }
      ASSIGN_OR_RETURN(auto r, ex.Query(sql, params));
      for (size_t i = 0; i < r.size(); ++i) {
        out.push_back({PersonId(r.Int(i, 0)), VenueId(r.Int(i, 1)), r.Int(i, 2), r.Int(i, 3)});
      }
    }
  }
  return out;
}

Status WriteStays(store::Executor& tx, std::span<const StayRow> rows, int64_t now) {
  // 50 rows a statement: small enough that each statement's undo journal stays cheap. The
  // parameters are built a statement at a time, so a large batch (an import's) costs its rows,
  // not six bound values per row on top.
  constexpr size_t kRowsPerStatement = 50;
  store::Params values;
  values.reserve(kRowsPerStatement * 6);
  std::vector<Stay> stays;
  stays.reserve(rows.size());
  for (size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
    values.clear();
    for (const StayRow& r : rows.subspan(at, std::min(kRowsPerStatement, rows.size() - at))) {
      values.insert(values.end(),
                    {r.stay.person.value, r.stay.venue.value, r.stay.time_in, r.stay.time_out,
                     r.next_checkin  ? "next_checkin"
                     : r.checked_out ? "checkout"
                                     : "default_stay",
                     r.source});
      stays.push_back(r.stay);
    }
    RETURN_IF_ERROR(store::InsertRows(
        tx, "INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source)", 6,
        values, kRowsPerStatement));
  }
  return PublishStays(tx, stays, now);
}

Result<int64_t> DeleteEndedBefore(store::Executor& ex, int64_t cutoff, int64_t now) {
  ASSIGN_OR_RETURN(int64_t n, ex.Exec("DELETE FROM checkin WHERE time_out < ?", {cutoff}));
  RETURN_IF_ERROR(PublishRetention(ex, cutoff, now));
  return n;
}

void SortExposures(std::vector<Exposure>& exposures) {
  std::sort(exposures.begin(), exposures.end(), [](const Exposure& a, const Exposure& b) {
    return std::tie(a.start, a.end, a.venue.value) < std::tie(b.start, b.end, b.venue.value);
  });
}

Result<std::vector<Contact>> CloseContacts(store::Executor& ex, PersonId person,
                                           int64_t window_start, int64_t window_end,
                                           int64_t min_overlap_ms, SqlPlan plan) {
  // The case's stays clipped to the window, joined with everyone else's stays at the same venue
  // that overlap them; the overlap itself is clipped in C++ below.
  std::string overlap = plan.range_overlap
                            ? "int8range(o.time_in, o.time_out) && int8range(c.time_in, c.time_out)"
                            : "o.time_in < c.time_out AND o.time_out > c.time_in";
  if (plan.max_stay_ms > 0)
    overlap += " AND o.time_in >= c.time_in - " + std::to_string(plan.max_stay_ms);
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT o.person_id, o.venue_id, c.time_in, c.time_out, o.time_in, o.time_out "
               "FROM checkin c JOIN checkin o ON o.venue_id = c.venue_id "
               "AND o.person_id <> c.person_id AND " +
                   overlap +
                   " WHERE c.person_id = ? AND c.time_out > ? AND c.time_in < ? "
                   "ORDER BY o.person_id, o.time_in",
               {person.value, window_start, window_end}));
  std::map<int64_t, Contact> by_person;
  for (size_t i = 0; i < r.size(); ++i) {
    int64_t start = std::max({r.Int(i, 2), r.Int(i, 4), window_start});
    int64_t end = std::min({r.Int(i, 3), r.Int(i, 5), window_end});
    if (end - start < min_overlap_ms) continue;
    Contact& c = by_person[r.Int(i, 0)];
    c.person = PersonId(r.Int(i, 0));
    c.exposures.push_back({VenueId(r.Int(i, 1)), start, end});
  }
  std::vector<Contact> out;
  for (auto& [_, c] : by_person) {
    SortExposures(c.exposures);
    for (const auto& e : c.exposures) {
      c.total_minutes += e.minutes();
      c.last_exposure_end = std::max(c.last_exposure_end, e.end);
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Traced>> Trace(store::Executor& ex, PersonId person, int64_t window_start,
                                  int64_t window_end, int64_t min_overlap_ms, int depth,
                                  SqlPlan plan) {
  std::set<int64_t> seen = {person.value};
  std::map<int64_t, std::vector<PersonId>> chains = {{person.value, {person}}};
  std::vector<std::pair<PersonId, int64_t>> frontier = {{person, window_start}};
  std::vector<Traced> out;
  for (int hop = 1; hop <= depth && !frontier.empty(); ++hop) {
    std::map<int64_t, Traced> found;
    for (const auto& [parent, start] : frontier) {
      ASSIGN_OR_RETURN(auto contacts,
                       CloseContacts(ex, parent, start, window_end, min_overlap_ms, plan));
      for (auto& c : contacts) {
        if (seen.count(c.person.value)) continue;
        int64_t first = c.exposures.front().start;
        auto it = found.find(c.person.value);
        if (it != found.end() &&
            (it->second.exposure_start < first ||
             (it->second.exposure_start == first && it->second.via < parent))) {
          continue;
        }
        found[c.person.value] = Traced{c.person, hop, parent, first, std::move(c.exposures), {}};
      }
    }
    frontier.clear();
    for (auto& [id, t] : found) {
      seen.insert(id);
      t.chain = chains[t.via.value];
      t.chain.push_back(t.person);
      chains[id] = t.chain;
      frontier.emplace_back(t.person, t.exposure_start);
      out.push_back(std::move(t));
    }
  }
  return out;
}

Result<int64_t> ReassignPerson(store::Executor& tx, PersonId from, PersonId to, int64_t now) {
  ASSIGN_OR_RETURN(auto r, tx.Query("SELECT venue_id, time_in, time_out FROM checkin WHERE "
                                    "person_id = ? ORDER BY time_in",
                                    {from.value}));
  std::vector<Stay> moved;
  // Every engine keeps the old id's copies until it is rebuilt: they shrink to no length, so
  // they overlap nothing and the same stays are found once, under the survivor.
  std::vector<TimeOutChange> emptied;
  for (size_t i = 0; i < r.size(); ++i) {
    moved.push_back({to, VenueId(r.Int(i, 0)), r.Int(i, 1), r.Int(i, 2)});
    emptied.push_back({from, VenueId(r.Int(i, 0)), r.Int(i, 1), r.Int(i, 2), r.Int(i, 1)});
  }
  ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE checkin SET person_id = ? WHERE person_id = ?",
                                      {to.value, from.value}));
  // Both on one trip: the survivor keeps their seat.
  RETURN_IF_ERROR(tx.Exec("DELETE FROM trip_passenger WHERE person_id = ? AND trip_id IN (SELECT "
                          "trip_id FROM trip_passenger WHERE person_id = ?)",
                          {from.value, to.value})
                      .status());
  ASSIGN_OR_RETURN(int64_t t, tx.Exec("UPDATE trip_passenger SET person_id = ? WHERE person_id = ?",
                                      {to.value, from.value}));
  RETURN_IF_ERROR(PublishStays(tx, moved, now));
  RETURN_IF_ERROR(PublishTimeOuts(tx, emptied, now));
  return n + t;
}

}  // namespace mekong::tracing
