#include "mekong/cases/cases.h"

#include <map>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/travel.h"

namespace mekong::cases {

namespace {

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
};

constexpr const char* kCaseSelect =
    "SELECT c.id, c.person_id, c.org_unit_id, c.org_path, c.onset_at, c.sample_at, c.isolated_at, "
    "c.window_start, "
    "c.window_end, c.confirmed_at, c.confirmed_by, (SELECT COUNT(DISTINCT k.person_id) FROM "
    "case_contact k WHERE "
    "k.case_id = c.id AND k.hop = 1), c.released_at FROM case_record c";

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
  return c;
}

}  // namespace

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

Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer) {
  if (!in.onset_at && !in.sample_at) {
    return Status::InvalidArgument("give onset_at, or sample_at when there are no symptoms",
                                   "onset_at");
  }
  for (auto [value, field] :
       {std::pair{in.onset_at, "onset_at"}, std::pair{in.sample_at, "sample_at"},
        std::pair{in.isolated_at, "isolated_at"}}) {
    if (value && *value > now) return Status::InvalidArgument("is in the future", field);
  }
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  int64_t start = (in.onset_at ? *in.onset_at : *in.sample_at) - policy.infectious_before_ms;
  int64_t end = in.isolated_at ? *in.isolated_at : now;
  if (end <= start)
    return Status::InvalidArgument("is before the infectious window starts", "isolated_at");

  auto p = registry::GetPerson(ex, in.person);
  if (!p.ok())
    return p.status().code() == Code::kNotFound
               ? Status::NotFound(p.status().message(), "person_id")
               : p.status();
  ASSIGN_OR_RETURN(auto dup,
                   ex.Query("SELECT id FROM case_record WHERE person_id = ?", {in.person.value}));
  if (!dup.empty()) {
    return Status::AlreadyExists(
        "person " + std::to_string(in.person.value) + " is already case " + dup.Text(0, 0),
        "person_id");
  }
  ASSIGN_OR_RETURN(
      auto ins,
      ex.Query("INSERT INTO case_record (person_id, org_unit_id, org_path, onset_at, sample_at, "
               "isolated_at, window_start, window_end, confirmed_at, confirmed_by) VALUES (?, ?, "
               "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {in.person.value, p->org_unit.value, p->org_path, in.onset_at, in.sample_at,
                in.isolated_at, start, end, now, in.confirmed_by.value}));
  CaseId id(ins.Int(0, 0));
  std::string source = "case:" + std::to_string(id.value);

  ASSIGN_OR_RETURN(auto traced,
                   tracer(ex, in.person, start, end, policy.min_overlap_ms, policy.hops));
  std::vector<std::pair<PersonId, healthcode::FactRow>> facts = {
      {in.person, {"case", source, std::nullopt, now, std::nullopt, std::nullopt}}};
  std::vector<PersonId> touched = {in.person};
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
  }
  RETURN_IF_ERROR(flush());
  // Co-travellers are first-hop contacts from the trip's departure (tracing continues through
  // venues only). Someone also met at a venue keeps one exposure fact, at the lower hop.
  ASSIGN_OR_RETURN(auto co,
                   tracing::CoTravellers(ex, in.person, start, end, policy.co_traveller_rows));
  std::map<int64_t, size_t> fact_of;
  for (size_t i = 1; i < facts.size(); ++i) fact_of[facts[i].first.value] = i;
  for (const auto& c : co) {
    RETURN_IF_ERROR(
        ex.Exec("INSERT INTO case_trip_contact (case_id, person_id, trip_id, seat, case_seat, "
                "reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {id.value, c.person.value, c.trip.id, c.seat.Text(), c.case_seat.Text(), c.reason})
            .status());
    healthcode::FactRow fact{
        "exposure",
        source,
        int64_t{1},
        c.trip.departure,
        c.trip.arrival,
        static_cast<double>((c.trip.arrival - c.trip.departure) / kMillisPerMinute)};
    auto it = fact_of.find(c.person.value);
    if (it == fact_of.end()) {
      fact_of[c.person.value] = facts.size();
      facts.push_back({c.person, fact});
      touched.push_back(c.person);
    } else if (facts[it->second].second.hop != int64_t{1}) {
      facts[it->second].second = fact;
    }
  }
  RETURN_IF_ERROR(healthcode::PutFacts(ex, facts));
  RETURN_IF_ERROR(healthcode::Recompute(ex, policy, touched, now));
  return GetCase(ex, id);
}

Result<Case> Release(store::Executor& ex, CaseId id, int64_t at, int64_t now) {
  ASSIGN_OR_RETURN(Case c, GetCase(ex, id));
  if (c.released_at) return Status::FailedPrecondition("the case is already released", "id");
  if (at > now) return Status::InvalidArgument("is in the future", "released_at");
  if (at < c.confirmed_at)
    return Status::InvalidArgument("is before the case was confirmed", "released_at");
  RETURN_IF_ERROR(
      ex.Exec("UPDATE case_record SET released_at = ? WHERE id = ?", {at, id.value}).status());
  RETURN_IF_ERROR(healthcode::PutFact(ex, c.person,
                                      {"case", "case:" + std::to_string(id.value), std::nullopt,
                                       c.confirmed_at, at, std::nullopt}));
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  PersonId one[] = {c.person};
  RETURN_IF_ERROR(healthcode::Recompute(ex, policy, one, now));
  return GetCase(ex, id);
}

Result<Case> GetCase(store::Executor& ex, CaseId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) + " WHERE c.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no case " + std::to_string(id.value), "id");
  return From(r, 0);
}

Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) +
                                        " WHERE c.org_path LIKE ? ORDER BY c.id DESC LIMIT ? "
                                        "OFFSET ?",
                                    {under_path + "%", limit, offset}));
  std::vector<Case> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
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
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT person_id, window_start, window_end FROM case_record WHERE window_end > ?",
               {since}));
  std::vector<Window> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({PersonId(r.Int(i, 0)), r.Int(i, 1), r.Int(i, 2)});
  return out;
}

}  // namespace mekong::cases
