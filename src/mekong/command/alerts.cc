#include "mekong/command/alerts.h"

#include <cstdio>

#include "mekong/command/schema.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::command {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE alert (
  id {id},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by BIGINT
);
CREATE INDEX alert_org_unit ON alert (org_unit_id, created_at);
CREATE TABLE device_reading (
  id {id},
  device_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  person_id BIGINT REFERENCES person (id),
  venue_id BIGINT REFERENCES venue (id),
  temperature DOUBLE PRECISION,
  count BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX device_reading_venue ON device_reading (venue_id, at);
)sql"},
    // The alert keeps its unit's path (lists under a unit read no other module's table) and
    // what it is about, so a screen can word it in the reader's language.
    {2, R"sql(
ALTER TABLE alert ADD COLUMN org_path TEXT NOT NULL DEFAULT '';
ALTER TABLE alert ADD COLUMN person_id BIGINT;
ALTER TABLE alert ADD COLUMN venue_id BIGINT;
ALTER TABLE alert ADD COLUMN temperature DOUBLE PRECISION;
ALTER TABLE alert ADD COLUMN count BIGINT;
ALTER TABLE alert ADD COLUMN capacity BIGINT;
CREATE INDEX alert_path ON alert (org_path, created_at);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {3, R"sql(
DROP INDEX alert_path;
CREATE INDEX alert_path ON alert (org_path {bytewise}, created_at);
)sql"},
    // Escalation to the unit above (Escalate): the open alerts not passed up yet, by age.
    {4, R"sql(
ALTER TABLE alert ADD COLUMN escalated_from BIGINT;
ALTER TABLE alert ADD COLUMN escalated_to BIGINT;
CREATE INDEX alert_unescalated ON alert (created_at)
  WHERE acknowledged_at IS NULL AND escalated_to IS NULL;
)sql"},
};

constexpr const char* kSelect =
    "SELECT id, org_unit_id, org_path, kind, severity, message, source, created_at, "
    "acknowledged_at, "
    "acknowledged_by, person_id, venue_id, temperature, count, capacity, escalated_from, "
    "escalated_to FROM alert";

Alert From(const store::Rows& r, size_t i) {
  Alert a{r.Int(i, 0),  OrgUnitId(r.Int(i, 1)), r.Text(i, 2), r.Text(i, 3),   r.Text(i, 4),
          r.Text(i, 5), r.Text(i, 6),           r.Int(i, 7),  r.OptInt(i, 8), r.OptInt(i, 9)};
  if (!r.IsNull(i, 10)) a.person = PersonId(r.Int(i, 10));
  if (!r.IsNull(i, 11)) a.venue = VenueId(r.Int(i, 11));
  if (!r.IsNull(i, 12)) a.temperature_celsius = r.Real(i, 12);
  a.count = r.OptInt(i, 13);
  a.capacity = r.OptInt(i, 14);
  a.escalated_from = r.OptInt(i, 15);
  a.escalated_to = r.OptInt(i, 16);
  return a;
}

// Alerts written before migration 2 learn their unit's path.
Status Seed(store::Database& db) {
  ASSIGN_OR_RETURN(auto r, db.Query("SELECT DISTINCT org_unit_id FROM alert WHERE org_path = ''"));
  for (size_t i = 0; i < r.size(); ++i) {
    ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(db, OrgUnitId(r.Int(i, 0))));
    RETURN_IF_ERROR(
        db.Exec("UPDATE alert SET org_path = ? WHERE org_unit_id = ?", {unit.path, unit.id.value}));
  }
  return Status::Ok();
}

std::string Celsius(double t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", t);
  return buf;
}

}  // namespace

const store::Module kModule{"command",
                            {"registry", "outbox"},
                            {{"command", kMigrations}, {"command_centre", CentreMigrations()}},
                            Seed};

Result<Alert> Raise(store::Executor& ex, const Alert& in) {
  ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(ex, in.org_unit));
  std::optional<int64_t> person, venue;
  if (in.person) person = in.person->value;
  if (in.venue) venue = in.venue->value;
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(
          "INSERT INTO alert (org_unit_id, org_path, kind, severity, message, source, "
          "created_at, person_id, venue_id, temperature, count, capacity, escalated_from) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {in.org_unit.value, unit.path, in.kind, in.severity, in.message, in.source, in.created_at,
           person, venue, in.temperature_celsius, in.count, in.capacity, in.escalated_from}));
  int64_t id = r.Int(0, 0);
  RETURN_IF_ERROR(store::Publish(ex, kAlertTopic, std::to_string(id), in.created_at));
  return Get(ex, id);
}

Status RaiseOnce(store::Executor& ex, OrgUnitId unit, std::string kind, std::string message,
                 std::string source, int64_t now, std::string_view link_sql,
                 store::Params link_params) {
  Alert a;
  a.org_unit = unit;
  a.kind = std::move(kind);
  a.severity = "warning";
  a.message = std::move(message);
  a.source = std::move(source);
  a.created_at = now;
  ASSIGN_OR_RETURN(auto made, Raise(ex, a));
  link_params.insert(link_params.begin(), made.id);
  return ex.Exec(link_sql, link_params).status();
}

Result<Alert> RaiseMissedCheck(store::Executor& ex, const cases::MissedCheck& missed, int64_t now) {
  const auto& c = missed.contact;
  Alert a;
  a.org_unit = c.org_unit;
  a.org_path = c.org_path;
  a.kind = "follow_up_overdue";
  a.severity = c.risk == "high" ? "critical" : "warning";
  a.message = "contact " + std::to_string(c.id) + " (person " + std::to_string(c.person.value) +
              ") did not answer the daily check of " + missed.day;
  a.source = "contact:" + std::to_string(c.id) + ":" + missed.day;
  a.created_at = now;
  a.person = c.person;
  return Raise(ex, a);
}

Result<Alert> Get(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kSelect) + " WHERE id = ?", {id}));
  if (r.empty()) return Status::NotFound("no alert " + std::to_string(id), "id");
  return From(r, 0);
}

Result<std::vector<Alert>> List(store::Executor& ex, const std::string& under_path, bool open_only,
                                int limit, int offset) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "org_path", under_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kSelect) + " WHERE " + under +
                                        (open_only ? " AND acknowledged_at IS NULL" : "") +
                                        " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                    p));
  std::vector<Alert> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<Alert> Acknowledge(store::Executor& ex, int64_t id, UserId by, int64_t now) {
  ASSIGN_OR_RETURN(Alert a, Get(ex, id));
  if (a.acknowledged_at)
    return Status::FailedPrecondition("alert " + std::to_string(id) + " is already acknowledged");
  // The chain below and above: one link per level of the tree, so a few at most (the bound
  // keeps a damaged chain from looping).
  std::vector<int64_t> chain = {id};
  for (auto [next, up] : {std::pair{a.escalated_from, false}, std::pair{a.escalated_to, true}}) {
    for (int hops = 0; next && hops < 32; ++hops) {
      ASSIGN_OR_RETURN(Alert link, Get(ex, *next));
      chain.push_back(link.id);
      next = up ? link.escalated_to : link.escalated_from;
    }
  }
  for (int64_t each : chain) {
    ASSIGN_OR_RETURN(int64_t changed,
                     ex.Exec("UPDATE alert SET acknowledged_at = ?, acknowledged_by = ? WHERE id = "
                             "? AND acknowledged_at IS NULL",
                             {now, by.value, each}));
    if (changed) RETURN_IF_ERROR(store::Publish(ex, kAlertTopic, std::to_string(each), now));
  }
  return Get(ex, id);
}

Result<int64_t> Escalate(store::Executor& ex, int64_t raised_before, int64_t now) {
  // Alerts of a root unit have nowhere to go: their path has one segment ("/1/").
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kSelect) +
                                        " WHERE acknowledged_at IS NULL AND escalated_to IS NULL "
                                        "AND created_at < ? AND LENGTH(org_path) - "
                                        "LENGTH(REPLACE(org_path, '/', '')) > 2 ORDER BY "
                                        "created_at, id LIMIT 1000",
                                    {raised_before}));
  int64_t passed = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    Alert below = From(r, i);
    ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(ex, below.org_unit));
    if (!unit.parent) continue;
    Alert up = below;
    up.org_unit = *unit.parent;
    up.created_at = now;
    up.source = "alert:" + std::to_string(below.id);
    up.escalated_from = below.id;
    ASSIGN_OR_RETURN(Alert made, Raise(ex, up));
    RETURN_IF_ERROR(
        ex.Exec("UPDATE alert SET escalated_to = ? WHERE id = ?", {made.id, below.id}).status());
    RETURN_IF_ERROR(store::Publish(ex, kAlertTopic, std::to_string(below.id), now));
    ++passed;
  }
  return passed;
}

Result<ReadingOutcome> Record(store::Executor& ex, const Reading& in, int64_t now) {
  ReadingOutcome out;
  std::optional<registry::Venue> venue;
  if (in.venue) {
    ASSIGN_OR_RETURN(venue, registry::GetVenue(ex, *in.venue));
  }
  std::optional<registry::Person> person;
  if (in.person) {
    ASSIGN_OR_RETURN(person, registry::GetPerson(ex, *in.person));
  }
  if (in.kind == "temperature") {
    if (!in.temperature_celsius)
      return Status::InvalidArgument("is required for a temperature reading", "temperature_c");
    if (*in.temperature_celsius < 30 || *in.temperature_celsius > 45) {
      return Status::InvalidArgument("must be between 30 and 45 °C", "temperature_c");
    }
    if (!person && !venue)
      return Status::InvalidArgument("give the person (scanned code) or the venue", "qr");
  } else if (in.kind == "crowd") {
    if (!in.count) return Status::InvalidArgument("is required for a crowd reading", "count");
    if (!venue) return Status::InvalidArgument("is required for a crowd reading", "venue_id");
  } else {
    return Status::InvalidArgument("must be temperature or crowd", "kind");
  }
  std::optional<int64_t> person_id, venue_id;
  if (person) person_id = person->id.value;
  if (venue) venue_id = venue->id.value;
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO device_reading (device_id, kind, person_id, venue_id, temperature, "
               "count, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {in.device.value, in.kind, person_id, venue_id, in.temperature_celsius, in.count,
                in.at}));
  out.reading_id = r.Int(0, 0);
  std::string source = "reading:" + std::to_string(out.reading_id);
  std::string where = venue ? " at " + venue->name : "";

  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  if (in.kind == "temperature" && *in.temperature_celsius >= policy.fever_celsius) {
    out.fever = true;
    Alert a{0, {}, "", "fever", "warning", "", source, now, std::nullopt, std::nullopt};
    a.temperature_celsius = in.temperature_celsius;
    if (venue) a.venue = venue->id;
    if (person) {
      a.person = person->id;
      RETURN_IF_ERROR(healthcode::PutFact(
          ex, person->id,
          {"fever", source, std::nullopt, in.at, std::nullopt, *in.temperature_celsius}));
      PersonId one[] = {person->id};
      RETURN_IF_ERROR(healthcode::Recompute(ex, policy, one, now));
      a.org_unit = person->org_unit;  // the person's commune follows up
      a.message = "Fever of " + Celsius(*in.temperature_celsius) + " °C for person " +
                  std::to_string(person->id.value) + where;
    } else {
      a.org_unit = venue->org_unit;
      a.message =
          "Fever of " + Celsius(*in.temperature_celsius) + " °C in an unidentified person" + where;
    }
    ASSIGN_OR_RETURN(out.alert, Raise(ex, a));
  }
  if (in.kind == "crowd" && *in.count > venue->capacity) {
    out.crowded = true;
    Alert a{0,
            venue->org_unit,
            "",
            "crowding",
            *in.count > venue->capacity * 3 / 2 ? "critical" : "warning",
            std::to_string(*in.count) + " people" + where + " (capacity " +
                std::to_string(venue->capacity) + ")",
            source,
            now,
            std::nullopt,
            std::nullopt};
    a.venue = venue->id;
    a.count = in.count;
    a.capacity = venue->capacity;
    ASSIGN_OR_RETURN(out.alert, Raise(ex, a));
  }
  return out;
}

Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to) {
  ASSIGN_OR_RETURN(int64_t a, ex.Exec("UPDATE alert SET person_id = ? WHERE person_id = ?",
                                      {to.value, from.value}));
  ASSIGN_OR_RETURN(int64_t r, ex.Exec("UPDATE device_reading SET person_id = ? WHERE person_id = ?",
                                      {to.value, from.value}));
  return a + r;
}

}  // namespace mekong::command
