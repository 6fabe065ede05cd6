#include "mekong/cases/cases.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "mekong/cases/chains.h"
#include "mekong/cases/contacts.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"
#include "mekong/tracing/travel.h"

namespace mekong::cases {

namespace {

using Json = nlohmann::json;

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE case_record (
  id {id},
  person_id BIGINT NOT NULL UNIQUE REFERENCES person (id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  onset_at BIGINT,
  sample_at BIGINT,
  isolated_at BIGINT,
  window_start BIGINT NOT NULL,
  window_end BIGINT NOT NULL,
  confirmed_at BIGINT NOT NULL,
  confirmed_by BIGINT NOT NULL
);
CREATE TABLE case_contact (
  case_id BIGINT NOT NULL REFERENCES case_record (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  venue_id BIGINT NOT NULL REFERENCES venue (id),
  overlap_start BIGINT NOT NULL,
  overlap_end BIGINT NOT NULL
);
CREATE INDEX case_contact_case ON case_contact (case_id, person_id);
CREATE INDEX case_contact_person ON case_contact (person_id);
)sql"},
    // Multi-hop tracing: the hop and who exposed the person; cases can be released.
    {2, R"sql(
ALTER TABLE case_contact ADD COLUMN hop BIGINT NOT NULL DEFAULT 1;
ALTER TABLE case_contact ADD COLUMN via_person_id BIGINT REFERENCES person (id);
ALTER TABLE case_record ADD COLUMN released_at BIGINT;
)sql"},
    // Co-travellers found at confirmation (a shared trip, near enough).
    {3, R"sql(
CREATE TABLE case_trip_contact (
  case_id BIGINT NOT NULL REFERENCES case_record (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  trip_id BIGINT NOT NULL,
  seat TEXT NOT NULL,
  case_seat TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX case_trip_contact_case ON case_trip_contact (case_id);
)sql"},
    // The case keeps its unit's path (lists under a unit read no other module's table).
    {4, R"sql(
ALTER TABLE case_record ADD COLUMN org_path TEXT NOT NULL DEFAULT '';
CREATE INDEX case_record_path ON case_record (org_path);
)sql"},
    // Cases through their life (classification, isolation, outcome, history), contacts under
    // follow-up with their daily checks, transmission chains and clusters.
    {5, R"sql(
ALTER TABLE case_record ADD COLUMN classification TEXT NOT NULL DEFAULT 'confirmed';
ALTER TABLE case_record ADD COLUMN isolation_place TEXT NOT NULL DEFAULT '';
ALTER TABLE case_record ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE case_record ADD COLUMN outcome_at BIGINT;
ALTER TABLE case_record ADD COLUMN reported_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_record ADD COLUMN reported_by BIGINT;
ALTER TABLE case_record ADD COLUMN traced_at BIGINT;
UPDATE case_record SET reported_at = confirmed_at, reported_by = confirmed_by, traced_at = confirmed_at;
CREATE INDEX case_record_line ON case_record (org_path, reported_at);
CREATE TABLE case_event (
  id {id},
  case_id BIGINT NOT NULL REFERENCES case_record (id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  action TEXT NOT NULL,
  changes TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_event_case ON case_event (case_id, id);
CREATE TABLE contact (
  id {id},
  case_id BIGINT NOT NULL REFERENCES case_record (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  source TEXT NOT NULL,
  proximity TEXT NOT NULL,
  risk TEXT NOT NULL,
  place TEXT NOT NULL,
  venue_id BIGINT REFERENCES venue (id),
  exposure_start BIGINT NOT NULL,
  duration_minutes BIGINT NOT NULL,
  last_exposure BIGINT NOT NULL,
  status TEXT NOT NULL,
  follow_up_until BIGINT NOT NULL,
  assigned_to BIGINT,
  converted_case_id BIGINT REFERENCES case_record (id),
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  UNIQUE (case_id, person_id)
);
CREATE INDEX contact_path ON contact (org_path, status, id);
CREATE INDEX contact_person ON contact (person_id);
CREATE INDEX contact_assigned ON contact (assigned_to, id);
CREATE TABLE follow_up_check (
  id {id},
  contact_id BIGINT NOT NULL REFERENCES contact (id),
  day TEXT NOT NULL,
  status TEXT NOT NULL,
  symptoms TEXT NOT NULL DEFAULT '',
  temperature DOUBLE PRECISION,
  answered_at BIGINT,
  answered_by BIGINT,
  by_citizen BIGINT NOT NULL DEFAULT 0,
  UNIQUE (contact_id, day)
);
CREATE TABLE transmission (
  id {id},
  from_case_id BIGINT NOT NULL REFERENCES case_record (id),
  to_case_id BIGINT NOT NULL REFERENCES case_record (id),
  source TEXT NOT NULL,
  venue_id BIGINT REFERENCES venue (id),
  at BIGINT,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  UNIQUE (from_case_id, to_case_id)
);
CREATE INDEX transmission_to ON transmission (to_case_id);
CREATE TABLE case_cluster (
  id {id},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  venue_id BIGINT REFERENCES venue (id),
  start_at BIGINT,
  end_at BIGINT,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX case_cluster_path ON case_cluster (org_path);
CREATE TABLE case_cluster_member (
  cluster_id BIGINT NOT NULL REFERENCES case_cluster (id),
  case_id BIGINT NOT NULL REFERENCES case_record (id),
  PRIMARY KEY (cluster_id, case_id)
);
CREATE INDEX case_cluster_member_case ON case_cluster_member (case_id);
)sql"},
    // Line lists read the unit's range of paths (store::UnderPath) in byte order; the case
    // list's filters are in its index, so a page and its total are read from the index alone
    // (and it serves every search by path the plain one did).
    {6, R"sql(
DROP INDEX case_record_path;
DROP INDEX case_record_line;
CREATE INDEX case_record_list ON case_record (org_path {bytewise}, reported_at, classification, outcome, onset_at);
DROP INDEX contact_path;
CREATE INDEX contact_path ON contact (org_path {bytewise}, status, risk, last_exposure);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {7, R"sql(
DROP INDEX case_cluster_path;
CREATE INDEX case_cluster_path ON case_cluster (org_path {bytewise});
)sql"},
};

constexpr const char* kCaseSelect =
    "SELECT c.id, c.person_id, c.org_unit_id, c.org_path, c.onset_at, c.sample_at, c.isolated_at, "
    "c.window_start, c.window_end, c.confirmed_at, c.confirmed_by, (SELECT COUNT(DISTINCT "
    "k.person_id) FROM case_contact k WHERE k.case_id = c.id AND k.hop = 1), c.released_at, "
    "c.classification, c.isolation_place, c.outcome, c.outcome_at, c.reported_at, c.reported_by, "
    "c.traced_at FROM case_record c";

constexpr std::string_view kClassNames[] = {"suspected", "probable", "confirmed", "discarded"};

Case From(const store::Rows& r, size_t i) {
  Case c;
  c.id = CaseId(r.Int(i, 0));
  c.person = PersonId(r.Int(i, 1));
  c.org_unit = OrgUnitId(r.Int(i, 2));
  c.org_path = r.Text(i, 3);
  c.onset_at = r.OptInt(i, 4);
  c.sample_at = r.OptInt(i, 5);
  c.isolated_at = r.OptInt(i, 6);
  c.window_start = r.Int(i, 7);
  c.window_end = r.Int(i, 8);
  c.confirmed_at = r.Int(i, 9);
  c.confirmed_by = UserId(r.Int(i, 10));
  c.contact_count = r.Int(i, 11);
  c.released_at = r.OptInt(i, 12);
  c.classification = ClassificationByName(r.Text(i, 13)).value_or(Classification::kConfirmed);
  c.isolation_place = r.Text(i, 14);
  c.outcome = r.Text(i, 15);
  c.outcome_at = r.OptInt(i, 16);
  c.reported_at = r.Int(i, 17);
  c.reported_by = UserId(r.Int(i, 18));
  c.traced_at = r.OptInt(i, 19);
  return c;
}

std::string Source(CaseId id) { return "case:" + std::to_string(id.value); }

Json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}

Status WriteEvent(store::Executor& ex, CaseId id, int64_t at, std::optional<UserId> by,
                  std::string_view action, const Json& changes, std::string_view note) {
  std::optional<int64_t> user;
  if (by && by->value) user = by->value;
  return ex
      .Exec(
          "INSERT INTO case_event (case_id, at, user_id, action, changes, note) VALUES (?, ?, ?, "
          "?, ?, ?)",
          {id.value, at, user, std::string(action), changes.dump(), std::string(note)})
      .status();
}

Status Publish(store::Executor& ex, CaseId id, int64_t now) {
  return store::Publish(ex, kCaseTopic, std::to_string(id.value), now);
}

// The infectious window of a case with these dates.
Result<std::pair<int64_t, int64_t>> WindowOf(const healthcode::Policy& policy,
                                             std::optional<int64_t> onset,
                                             std::optional<int64_t> sample,
                                             std::optional<int64_t> isolated, int64_t now) {
  if (!onset && !sample) {
    return Status::InvalidArgument("give onset_at, or sample_at when there are no symptoms",
                                   "onset_at");
  }
  for (auto [value, field] : {std::pair{onset, "onset_at"}, std::pair{sample, "sample_at"},
                              std::pair{isolated, "isolated_at"}}) {
    if (value && *value > now) return Status::InvalidArgument("is in the future", field);
  }
  int64_t start = (onset ? *onset : *sample) - policy.infectious_before_ms;
  int64_t end = isolated ? *isolated : now;
  if (end <= start)
    return Status::InvalidArgument("is before the infectious window starts", "isolated_at");
  return std::pair{start, end};
}

// Traces the case's window (again): its earlier facts go, the contacts found now are stored,
// get facts and follow-up, and everyone touched either time is recomputed.
Status TraceCase(store::Executor& ex, const Case& c, const healthcode::Policy& policy, int64_t now,
                 const Tracer& tracer, std::optional<UserId> by) {
  const CaseId id = c.id;
  const std::string source = Source(id);
  ASSIGN_OR_RETURN(std::vector<PersonId> touched, healthcode::RemoveFacts(ex, source));
  RETURN_IF_ERROR(ex.Exec("DELETE FROM case_contact WHERE case_id = ?", {id.value}).status());
  RETURN_IF_ERROR(ex.Exec("DELETE FROM case_trip_contact WHERE case_id = ?", {id.value}).status());
  const int64_t start = c.window_start, end = c.window_end;
  ASSIGN_OR_RETURN(auto traced,
                   tracer(ex, c.person, start, end, policy.min_overlap_ms, policy.hops));
  std::vector<std::pair<PersonId, healthcode::FactRow>> facts = {
      {c.person, {"case", source, std::nullopt, now, c.released_at, std::nullopt}}};
  touched.push_back(c.person);
  std::vector<NewContact> contacts;
  // Exposure rows go in a few multi-row statements: a super-spreader has thousands.
  std::string values;
  store::Params params;
  auto flush = [&]() -> Status {
    if (values.empty()) return Status::Ok();
    RETURN_IF_ERROR(ex.Exec("INSERT INTO case_contact (case_id, person_id, venue_id, "
                            "overlap_start, overlap_end, hop, "
                            "via_person_id) VALUES " +
                                values,
                            params)
                        .status());
    values.clear();
    params.clear();
    return Status::Ok();
  };
  for (const auto& t : traced) {
    int64_t minutes = 0, last = 0;
    for (const auto& e : t.exposures) {
      values += values.empty() ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {id.value, t.person.value, e.venue.value, e.start, e.end,
                                   int64_t{t.hop}, t.via.value});
      if (params.size() >= 7 * 200) RETURN_IF_ERROR(flush());
      minutes += e.minutes();
      last = std::max(last, e.end);
    }
    facts.push_back({t.person,
                     {"exposure", source, int64_t{t.hop}, t.exposure_start, last,
                      static_cast<double>(minutes)}});
    touched.push_back(t.person);
    if (t.hop == 1 && !t.exposures.empty()) {
      NewContact k;
      k.case_id = id;
      k.person = t.person;
      k.source = "tracing";
      k.proximity = "shared_venue";
      k.risk = minutes >= 60 ? "high" : "medium";
      k.venue = t.exposures.front().venue;
      k.exposure_start = t.exposure_start;
      k.duration_minutes = minutes;
      k.last_exposure = last;
      contacts.push_back(k);
    }
  }
  RETURN_IF_ERROR(flush());
  // Co-travellers are first-hop contacts from the trip's departure (tracing continues through
  // venues only). Someone also met at a venue keeps one exposure fact, at the lower hop.
  ASSIGN_OR_RETURN(auto co,
                   tracing::CoTravellers(ex, c.person, start, end, policy.co_traveller_rows));
  std::map<int64_t, size_t> fact_of;
  for (size_t i = 1; i < facts.size(); ++i) fact_of[facts[i].first.value] = i;
  std::set<int64_t> as_contact;
  for (const auto& k : contacts) as_contact.insert(k.person.value);
  for (const auto& t : co) {
    RETURN_IF_ERROR(
        ex.Exec("INSERT INTO case_trip_contact (case_id, person_id, trip_id, seat, case_seat, "
                "reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {id.value, t.person.value, t.trip.id, t.seat.Text(), t.case_seat.Text(), t.reason})
            .status());
    healthcode::FactRow fact{
        "exposure",
        source,
        int64_t{1},
        t.trip.departure,
        t.trip.arrival,
        static_cast<double>((t.trip.arrival - t.trip.departure) / kMillisPerMinute)};
    auto it = fact_of.find(t.person.value);
    if (it == fact_of.end()) {
      fact_of[t.person.value] = facts.size();
      facts.push_back({t.person, fact});
      touched.push_back(t.person);
    } else if (facts[it->second].second.hop != int64_t{1}) {
      facts[it->second].second = fact;
    }
    if (as_contact.insert(t.person.value).second) {
      NewContact k;
      k.case_id = id;
      k.person = t.person;
      k.source = "co_travel";
      k.proximity = "same_vehicle";
      k.risk = "high";
      k.place = "trip " + std::to_string(t.trip.id) + ", seat " + t.seat.Text();
      k.exposure_start = t.trip.departure;
      k.duration_minutes = (t.trip.arrival - t.trip.departure) / kMillisPerMinute;
      k.last_exposure = t.trip.arrival;
      contacts.push_back(k);
    }
  }
  // Contacts entered by hand stay exposed while the case traces.
  ASSIGN_OR_RETURN(auto manual, ManualContacts(ex, id));
  for (const auto& k : manual) {
    if (fact_of.count(k.person.value)) continue;
    fact_of[k.person.value] = facts.size();
    facts.push_back({k.person, ManualExposure(k)});
    touched.push_back(k.person);
  }
  std::erase_if(contacts, [&](const NewContact& k) { return k.person == c.person; });
  RETURN_IF_ERROR(AddTracedContacts(ex, contacts, policy, by, now));
  RETURN_IF_ERROR(healthcode::PutFacts(ex, facts));
  std::sort(touched.begin(), touched.end(),
            [](PersonId a, PersonId b) { return a.value < b.value; });
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  RETURN_IF_ERROR(healthcode::Recompute(ex, policy, touched, now));
  return ex.Exec("UPDATE case_record SET traced_at = ? WHERE id = ?", {now, id.value}).status();
}

// The case stops tracing: its facts go, everyone they touched is recomputed, and the follow-up
// of the contacts tracing found ends.
Status UntraceCase(store::Executor& ex, const Case& c, const healthcode::Policy& policy,
                   int64_t now) {
  ASSIGN_OR_RETURN(std::vector<PersonId> touched, healthcode::RemoveFacts(ex, Source(c.id)));
  touched.push_back(c.person);
  RETURN_IF_ERROR(healthcode::Recompute(ex, policy, touched, now));
  RETURN_IF_ERROR(EndTracedContacts(ex, c.id, now));
  return ex.Exec("UPDATE case_record SET traced_at = NULL WHERE id = ?", {c.id.value}).status();
}

// The WHERE clause of a line list.
std::string Where(const store::Executor& ex, const CaseFilter& f, store::Params* p) {
  std::string w = " WHERE " + store::UnderPath(ex, "c.org_path", f.under_path, p);
  if (f.classification) {
    w += " AND c.classification = ?";
    p->push_back(std::string(ClassificationName(*f.classification)));
  }
  if (f.outcome) {
    w += " AND c.outcome = ?";
    p->push_back(*f.outcome == "none" ? std::string() : *f.outcome);
  }
  if (f.reported_from) w += " AND c.reported_at >= ?", p->push_back(*f.reported_from);
  if (f.reported_to) w += " AND c.reported_at < ?", p->push_back(*f.reported_to);
  if (f.onset_from) w += " AND c.onset_at >= ?", p->push_back(*f.onset_from);
  if (f.onset_to) w += " AND c.onset_at < ?", p->push_back(*f.onset_to);
  if (f.person) w += " AND c.person_id = ?", p->push_back(f.person->value);
  return w;
}

}  // namespace

std::string_view ClassificationName(Classification c) { return kClassNames[static_cast<int>(c)]; }

std::optional<Classification> ClassificationByName(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kClassNames[i] == name) return static_cast<Classification>(i);
  }
  return std::nullopt;
}

bool IsOutcome(std::string_view name) {
  return name == "recovered" || name == "died" || name == "lost";
}

bool Traces(const healthcode::Policy& policy, Classification c) {
  return c == Classification::kConfirmed ||
         (c == Classification::kProbable && policy.probable_case_traces);
}

namespace {
// Cases confirmed before migration 4 learn their unit's path.
Status Seed(store::Database& db) {
  ASSIGN_OR_RETURN(auto r,
                   db.Query("SELECT DISTINCT org_unit_id FROM case_record WHERE org_path = ''"));
  for (size_t i = 0; i < r.size(); ++i) {
    ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(db, OrgUnitId(r.Int(i, 0))));
    RETURN_IF_ERROR(db.Exec("UPDATE case_record SET org_path = ? WHERE org_unit_id = ?",
                            {unit.path, unit.id.value}));
  }
  return Status::Ok();
}
}  // namespace

const store::Module kModule{"cases", {"registry"}, {{"cases", kMigrations}}, Seed};

Tracer SqlTracer() {
  return [](store::Executor& ex, PersonId p, int64_t ws, int64_t we, int64_t min_overlap,
            int depth) { return tracing::Trace(ex, p, ws, we, min_overlap, depth); };
}

Result<Case> Report(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer) {
  if (in.classification == Classification::kDiscarded) {
    return Status::InvalidArgument("a case is reported as suspected, probable or confirmed",
                                   "classification");
  }
  if (in.isolation_place.size() > 200)
    return Status::InvalidArgument("longer than 200 bytes", "isolation_place");
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  ASSIGN_OR_RETURN(auto window, WindowOf(policy, in.onset_at, in.sample_at, in.isolated_at, now));
  auto p = registry::GetPerson(ex, in.person);
  if (!p.ok())
    return p.status().code() == Code::kNotFound
               ? Status::NotFound(p.status().message(), "person_id")
               : p.status();
  if (p->merged_into) {
    return Status::FailedPrecondition("person " + std::to_string(in.person.value) +
                                          " was merged into " +
                                          std::to_string(p->merged_into->value),
                                      "person_id");
  }
  ASSIGN_OR_RETURN(auto dup,
                   ex.Query("SELECT id FROM case_record WHERE person_id = ?", {in.person.value}));
  if (!dup.empty()) {
    return Status::AlreadyExists(
        "person " + std::to_string(in.person.value) + " is already case " + dup.Text(0, 0),
        "person_id");
  }
  const bool confirmed = in.classification == Classification::kConfirmed;
  ASSIGN_OR_RETURN(
      auto ins,
      ex.Query("INSERT INTO case_record (person_id, org_unit_id, org_path, onset_at, sample_at, "
               "isolated_at, window_start, window_end, confirmed_at, confirmed_by, classification, "
               "isolation_place, reported_at, reported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?, ?) RETURNING id",
               {in.person.value, p->org_unit.value, p->org_path, in.onset_at, in.sample_at,
                in.isolated_at, window.first, window.second, confirmed ? now : 0,
                confirmed ? in.confirmed_by.value : 0,
                std::string(ClassificationName(in.classification)), in.isolation_place, now,
                in.confirmed_by.value}));
  CaseId id(ins.Int(0, 0));
  Json changes = {{"classification", {nullptr, ClassificationName(in.classification)}},
                  {"onset_at", {nullptr, TimeOrNull(in.onset_at)}},
                  {"sample_at", {nullptr, TimeOrNull(in.sample_at)}},
                  {"isolated_at", {nullptr, TimeOrNull(in.isolated_at)}}};
  if (!in.isolation_place.empty()) changes["isolation_place"] = {nullptr, in.isolation_place};
  RETURN_IF_ERROR(WriteEvent(ex, id, now, in.confirmed_by, "reported", changes, ""));
  // The person was someone's contact: the link stays, and the exposure is an edge of the chain.
  ASSIGN_OR_RETURN(auto converted, ConvertContacts(ex, in.person, id, now));
  for (const auto& k : converted) {
    Transmission t;
    t.from = k.case_id;
    t.to = id;
    t.source = k.source;
    t.venue = k.venue;
    t.at = k.exposure_start;
    t.note = "contact " + std::to_string(k.id) + " became a case";
    if (in.confirmed_by.value) t.created_by = in.confirmed_by;
    auto made = AddTransmission(ex, t, now);
    if (!made.ok() && made.status().code() != Code::kAlreadyExists) return made.status();
  }
  ASSIGN_OR_RETURN(Case c, GetCase(ex, id));
  if (Traces(policy, in.classification)) {
    RETURN_IF_ERROR(TraceCase(ex, c, policy, now, tracer, in.confirmed_by));
    RETURN_IF_ERROR(WriteEvent(ex, id, now, in.confirmed_by, "traced", Json::object(), ""));
  }
  RETURN_IF_ERROR(Publish(ex, id, now));
  return GetCase(ex, id);
}

Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer) {
  NewCase c = in;
  c.classification = Classification::kConfirmed;
  return Report(ex, c, now, tracer);
}

Result<Case> Update(store::Executor& ex, CaseId id, const CaseUpdate& in, std::optional<UserId> by,
                    int64_t now, const Tracer& tracer) {
  ASSIGN_OR_RETURN(Case c, GetCase(ex, id));
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  Json changes = Json::object();
  Case next = c;
  if (in.classification && *in.classification != c.classification) {
    next.classification = *in.classification;
    changes["classification"] = {ClassificationName(c.classification),
                                 ClassificationName(next.classification)};
  }
  auto date = [&](const std::optional<int64_t>& v, std::optional<int64_t>* field,
                  const char* name) {
    if (v && *v != field->value_or(INT64_MIN)) {
      changes[name] = {TimeOrNull(*field), TimeOrNull(v)};
      *field = v;
    }
  };
  date(in.onset_at, &next.onset_at, "onset_at");
  date(in.sample_at, &next.sample_at, "sample_at");
  date(in.isolated_at, &next.isolated_at, "isolated_at");
  const bool dates_changed = changes.contains("onset_at") || changes.contains("sample_at") ||
                             changes.contains("isolated_at");
  if (in.isolation_place && *in.isolation_place != c.isolation_place) {
    if (in.isolation_place->size() > 200)
      return Status::InvalidArgument("longer than 200 bytes", "isolation_place");
    next.isolation_place = *in.isolation_place;
    changes["isolation_place"] = {c.isolation_place, next.isolation_place};
  }
  if (in.outcome && *in.outcome != c.outcome) {
    if (!IsOutcome(*in.outcome))
      return Status::InvalidArgument("must be recovered, died or lost", "outcome");
    next.outcome = *in.outcome;
    next.outcome_at = in.outcome_at.value_or(now);
    changes["outcome"] = {c.outcome.empty() ? Json(nullptr) : Json(c.outcome), next.outcome};
    changes["outcome_at"] = {TimeOrNull(c.outcome_at), TimeOrNull(next.outcome_at)};
  } else if (in.outcome_at && !in.outcome) {
    if (c.outcome.empty())
      return Status::InvalidArgument("give outcome with outcome_at", "outcome_at");
    date(in.outcome_at, &next.outcome_at, "outcome_at");
  }
  if (next.outcome_at && *next.outcome_at > now)
    return Status::InvalidArgument("is in the future", "outcome_at");
  if (in.note.size() > 500) return Status::InvalidArgument("longer than 500 bytes", "note");
  if (changes.empty()) return c;
  if (dates_changed) {
    ASSIGN_OR_RETURN(auto window,
                     WindowOf(policy, next.onset_at, next.sample_at, next.isolated_at, now));
    next.window_start = window.first;
    next.window_end = window.second;
  }
  if (next.classification == Classification::kConfirmed && !c.confirmed_at) {
    next.confirmed_at = now;
    next.confirmed_by = by.value_or(UserId());
  }
  RETURN_IF_ERROR(
      ex.Exec("UPDATE case_record SET classification = ?, onset_at = ?, sample_at = ?, "
              "isolated_at = ?, window_start = ?, window_end = ?, isolation_place = ?, outcome = "
              "?, outcome_at = ?, confirmed_at = ?, confirmed_by = ? WHERE id = ?",
              {std::string(ClassificationName(next.classification)), next.onset_at, next.sample_at,
               next.isolated_at, next.window_start, next.window_end, next.isolation_place,
               next.outcome, next.outcome_at, next.confirmed_at, next.confirmed_by.value, id.value})
          .status());
  RETURN_IF_ERROR(WriteEvent(ex, id, now, by, "updated", changes, in.note));
  const bool was = c.traced_at.has_value();
  const bool want = Traces(policy, next.classification);
  if (want && (!was || dates_changed)) {
    ASSIGN_OR_RETURN(Case fresh, GetCase(ex, id));
    RETURN_IF_ERROR(TraceCase(ex, fresh, policy, now, tracer, by));
    RETURN_IF_ERROR(WriteEvent(ex, id, now, by, "traced", Json::object(), ""));
  } else if (!want && was) {
    RETURN_IF_ERROR(UntraceCase(ex, c, policy, now));
    RETURN_IF_ERROR(WriteEvent(ex, id, now, by, "untraced", Json::object(),
                               "facts removed and codes recomputed"));
  }
  RETURN_IF_ERROR(Publish(ex, id, now));
  return GetCase(ex, id);
}

Result<std::vector<CaseEvent>> History(store::Executor& ex, CaseId id) {
  RETURN_IF_ERROR(GetCase(ex, id));
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, at, user_id, action, changes, note FROM case_event "
                                    "WHERE case_id = ? ORDER BY id",
                                    {id.value}));
  std::vector<CaseEvent> out;
  for (size_t i = 0; i < r.size(); ++i) {
    CaseEvent e;
    e.id = r.Int(i, 0);
    e.case_id = id;
    e.at = r.Int(i, 1);
    if (!r.IsNull(i, 2)) e.by = UserId(r.Int(i, 2));
    e.action = r.Text(i, 3);
    e.changes = r.Text(i, 4);
    e.note = r.Text(i, 5);
    out.push_back(std::move(e));
  }
  return out;
}

Result<Case> Release(store::Executor& ex, CaseId id, int64_t at, int64_t now) {
  ASSIGN_OR_RETURN(Case c, GetCase(ex, id));
  if (c.released_at) return Status::FailedPrecondition("the case is already released", "id");
  if (!c.traced_at) {
    return Status::FailedPrecondition(
        "only a case that traces (confirmed, or probable as the policy says) is released", "id");
  }
  if (at > now) return Status::InvalidArgument("is in the future", "released_at");
  if (at < c.confirmed_at)
    return Status::InvalidArgument("is before the case was confirmed", "released_at");
  RETURN_IF_ERROR(
      ex.Exec("UPDATE case_record SET released_at = ? WHERE id = ?", {at, id.value}).status());
  RETURN_IF_ERROR(
      healthcode::PutFact(ex, c.person,
                          {"case", Source(id), std::nullopt,
                           c.confirmed_at ? c.confirmed_at : c.reported_at, at, std::nullopt}));
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  PersonId one[] = {c.person};
  RETURN_IF_ERROR(healthcode::Recompute(ex, policy, one, now));
  RETURN_IF_ERROR(WriteEvent(ex, id, now, std::nullopt, "released",
                             {{"released_at", {nullptr, FormatRfc3339(at)}}}, ""));
  RETURN_IF_ERROR(Publish(ex, id, now));
  return GetCase(ex, id);
}

Result<Case> GetCase(store::Executor& ex, CaseId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) + " WHERE c.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no case " + std::to_string(id.value), "id");
  return From(r, 0);
}

Result<std::vector<Case>> GetCases(store::Executor& ex, std::span<const CaseId> ids) {
  std::vector<Case> out;
  constexpr size_t kChunk = 500;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    size_t n = std::min(kChunk, ids.size() - at);
    store::Params p;
    for (size_t k = 0; k < n; ++k) p.push_back(ids[at + k].value);
    ASSIGN_OR_RETURN(auto r,
                     ex.Query(std::string(kCaseSelect) + " WHERE c.id IN " + store::InList(n), p));
    for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return out;
}

Result<std::optional<Case>> CaseOfPerson(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kCaseSelect) + " WHERE c.person_id = ?", {person.value}));
  if (r.empty()) return std::optional<Case>();
  return std::optional<Case>(From(r, 0));
}

Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "c.org_path", under_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) + " WHERE " + under +
                                        " ORDER BY c.id DESC LIMIT ? OFFSET ?",
                                    p));
  std::vector<Case> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<std::vector<Case>> ListCaseLines(store::Executor& ex, const CaseFilter& f) {
  // The page's ids first, from the list index alone; then their rows and contact counts, so
  // the count runs for 50 cases, not for every case of the unit before the sort.
  store::Params p;
  std::string sql = std::string(kCaseSelect) + " WHERE c.id IN (SELECT c.id FROM case_record c" +
                    Where(ex, f, &p) +
                    " ORDER BY c.reported_at DESC, c.id DESC LIMIT ? OFFSET ?) ORDER BY "
                    "c.reported_at DESC, c.id DESC";
  p.push_back(f.limit);
  p.push_back(f.offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<Case> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<int64_t> CountCases(store::Executor& ex, const CaseFilter& f) {
  store::Params p;
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT COUNT(*) FROM case_record c" + Where(ex, f, &p), p));
  return r.Int(0, 0);
}

Result<std::vector<int64_t>> CaseTimes(store::Executor& ex, const std::string& under_path,
                                       int64_t from, int64_t to, bool by_onset,
                                       bool include_suspected) {
  std::string t = by_onset ? "COALESCE(c.onset_at, c.sample_at, c.reported_at)" : "c.reported_at";
  std::string classes =
      include_suspected ? "('confirmed', 'probable', 'suspected')" : "('confirmed', 'probable')";
  store::Params p;
  std::string sql = "SELECT " + t + " FROM case_record c WHERE " +
                    store::UnderPath(ex, "c.org_path", under_path, &p) +
                    " AND c.classification IN " + classes + " AND " + t + " >= ? AND " + t + " < ?";
  p.push_back(from);
  p.push_back(to);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<int64_t> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to, int64_t now) {
  ASSIGN_OR_RETURN(auto a, CaseOfPerson(ex, from));
  ASSIGN_OR_RETURN(auto b, CaseOfPerson(ex, to));
  if (a && b) {
    return Status::FailedPrecondition("both people are cases (" + std::to_string(a->id.value) +
                                          " and " + std::to_string(b->id.value) +
                                          "): discard one first",
                                      "merged_id");
  }
  int64_t moved = 0;
  ASSIGN_OR_RETURN(int64_t n, ex.Exec("UPDATE case_record SET person_id = ? WHERE person_id = ?",
                                      {to.value, from.value}));
  moved += n;
  for (const char* sql : {"UPDATE case_contact SET person_id = ? WHERE person_id = ?",
                          "UPDATE case_contact SET via_person_id = ? WHERE via_person_id = ?",
                          "UPDATE case_trip_contact SET person_id = ? WHERE person_id = ?"}) {
    ASSIGN_OR_RETURN(int64_t k, ex.Exec(sql, {to.value, from.value}));
    moved += k;
  }
  ASSIGN_OR_RETURN(int64_t k, ReassignContacts(ex, from, to));
  moved += k;
  if (a) {
    RETURN_IF_ERROR(WriteEvent(ex, a->id, now, std::nullopt, "merged",
                               {{"person_id", {from.value, to.value}}}, ""));
    RETURN_IF_ERROR(Publish(ex, a->id, now));
  }
  return moved;
}

Result<std::vector<TripContactRow>> ListTripContacts(store::Executor& ex, CaseId id) {
  RETURN_IF_ERROR(GetCase(ex, id));
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT person_id, trip_id, seat, case_seat, reason FROM case_trip_contact WHERE "
               "case_id = ? ORDER BY person_id, trip_id",
               {id.value}));
  std::vector<TripContactRow> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back(
        {PersonId(r.Int(i, 0)), "", r.Int(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)});
  }
  return out;
}

Result<std::vector<ContactRow>> ListContacts(store::Executor& ex, CaseId id) {
  RETURN_IF_ERROR(GetCase(ex, id));
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT person_id, venue_id, overlap_start, overlap_end, hop, via_person_id FROM "
               "case_contact WHERE case_id = ? ORDER BY hop, person_id, overlap_start",
               {id.value}));
  std::vector<ContactRow> out;
  for (size_t i = 0; i < r.size(); ++i) {
    PersonId person(r.Int(i, 0));
    if (out.empty() || out.back().person != person) {
      out.push_back({person, "", {}, static_cast<int>(r.Int(i, 4)), r.OptInt(i, 5)});
      out.back().contact.person = person;
    }
    tracing::Contact& c = out.back().contact;
    c.exposures.push_back({VenueId(r.Int(i, 1)), r.Int(i, 2), r.Int(i, 3)});
    c.total_minutes += c.exposures.back().minutes();
    c.last_exposure_end = std::max(c.last_exposure_end, r.Int(i, 3));
  }
  return out;
}

Result<std::vector<Window>> InfectiousWindows(store::Executor& ex, int64_t since) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT person_id, window_start, window_end FROM case_record "
                                    "WHERE window_end > ? AND traced_at IS NOT NULL",
                                    {since}));
  std::vector<Window> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({PersonId(r.Int(i, 0)), r.Int(i, 1), r.Int(i, 2)});
  return out;
}

}  // namespace mekong::cases
