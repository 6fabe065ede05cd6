#include "mekong/cases/contacts.h"

#include <algorithm>
#include <map>
#include <set>

#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"

namespace mekong::cases {

namespace {

bool OneOf(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

constexpr const char* kContactCols =
    "k.id, k.case_id, k.person_id, k.org_unit_id, k.org_path, k.time_zone, k.source, k.proximity, "
    "k.risk, k.place, k.venue_id, k.exposure_start, k.duration_minutes, k.last_exposure, "
    "k.status, k.follow_up_until, k.assigned_to, k.converted_case_id, k.created_at, k.created_by";

Contact From(const store::Rows& r, size_t i) {
  Contact c;
  c.id = r.Int(i, 0);
  c.case_id = CaseId(r.Int(i, 1));
  c.person = PersonId(r.Int(i, 2));
  c.org_unit = OrgUnitId(r.Int(i, 3));
  c.org_path = r.Text(i, 4);
  c.time_zone = r.Text(i, 5);
  c.source = r.Text(i, 6);
  c.proximity = r.Text(i, 7);
  c.risk = r.Text(i, 8);
  c.place = r.Text(i, 9);
  if (!r.IsNull(i, 10)) c.venue = VenueId(r.Int(i, 10));
  c.exposure_start = r.Int(i, 11);
  c.duration_minutes = r.Int(i, 12);
  c.last_exposure = r.Int(i, 13);
  c.status = r.Text(i, 14);
  c.follow_up_until = r.Int(i, 15);
  if (!r.IsNull(i, 16)) c.assigned_to = UserId(r.Int(i, 16));
  if (!r.IsNull(i, 17)) c.converted_case = CaseId(r.Int(i, 17));
  c.created_at = r.Int(i, 18);
  if (!r.IsNull(i, 19)) c.created_by = UserId(r.Int(i, 19));
  return c;
}

// The tracers who follow up people of `unit`: its own, else the nearest unit above with some.
Result<std::vector<UserId>> TracersFor(store::Executor& ex, OrgUnitId unit) {
  std::optional<OrgUnitId> at = unit;
  while (at) {
    ASSIGN_OR_RETURN(auto users, registry::UsersWithRole(ex, *at, registry::Role::kTracer));
    if (!users.empty()) {
      std::vector<UserId> out;
      for (const auto& u : users) out.push_back(u.id);
      return out;
    }
    ASSIGN_OR_RETURN(auto u, registry::GetOrgUnit(ex, *at));
    at = u.parent;
  }
  return std::vector<UserId>{};
}

// Round-robin over a pool: the one after whoever of the pool was assigned last.
struct Pool {
  std::vector<UserId> tracers;
  size_t next = 0;
};

Result<Pool> PoolFor(store::Executor& ex, OrgUnitId unit) {
  Pool pool;
  ASSIGN_OR_RETURN(pool.tracers, TracersFor(ex, unit));
  if (pool.tracers.empty()) return pool;
  store::Params p;
  for (auto id : pool.tracers) p.push_back(id.value);
  ASSIGN_OR_RETURN(auto last, ex.Query("SELECT assigned_to FROM contact WHERE assigned_to IN " +
                                           store::InList(p.size()) + " ORDER BY id DESC LIMIT 1",
                                       p));
  if (!last.empty()) {
    auto it = std::find(pool.tracers.begin(), pool.tracers.end(), UserId(last.Int(0, 0)));
    if (it != pool.tracers.end()) pool.next = (it - pool.tracers.begin() + 1) % pool.tracers.size();
  }
  return pool;
}

std::string Where(const store::Executor& ex, const ContactFilter& f, store::Params* p) {
  std::string w = " WHERE " + store::UnderPath(ex, "k.org_path", f.under_path, p);
  if (f.status) w += " AND k.status = ?", p->push_back(*f.status);
  if (f.risk) w += " AND k.risk = ?", p->push_back(*f.risk);
  if (f.source) w += " AND k.source = ?", p->push_back(*f.source);
  if (f.case_id) w += " AND k.case_id = ?", p->push_back(f.case_id->value);
  if (f.assigned_to) w += " AND k.assigned_to = ?", p->push_back(f.assigned_to->value);
  if (f.person) w += " AND k.person_id = ?", p->push_back(f.person->value);
  if (f.exposed_from) w += " AND k.last_exposure >= ?", p->push_back(*f.exposed_from);
  if (f.exposed_to) w += " AND k.last_exposure < ?", p->push_back(*f.exposed_to);
  return w;
}

}  // namespace

bool IsContactSource(std::string_view s) {
  return OneOf(s, {"tracing", "co_travel", "household", "workplace", "care", "other"});
}
bool IsProximity(std::string_view s) {
  return OneOf(s,
               {"shared_venue", "same_vehicle", "face_to_face", "physical", "same_room", "care"});
}
bool IsRisk(std::string_view s) { return OneOf(s, {"high", "medium", "low"}); }
bool IsContactStatus(std::string_view s) {
  return OneOf(s, {"under_follow_up", "completed", "lost", "converted"});
}

namespace {
// Writes the contacts and answers each one's id, in input order, and the cases that trace.
struct Stored {
  std::vector<int64_t> ids;
  std::set<int64_t> tracing_cases;
};
Result<Stored> StoreContacts(store::Executor& ex, std::span<const NewContact> in,
                             const healthcode::Policy& policy, std::optional<UserId> by,
                             int64_t now) {
  std::vector<PersonId> ids;
  std::set<int64_t> cases;
  for (const auto& k : in) {
    if (!IsContactSource(k.source)) {
      return Status::InvalidArgument(
          "must be tracing, co_travel, household, workplace, care or other", "source");
    }
    if (!IsProximity(k.proximity)) {
      return Status::InvalidArgument(
          "must be shared_venue, same_vehicle, face_to_face, physical, same_room or care",
          "proximity");
    }
    if (!IsRisk(k.risk)) return Status::InvalidArgument("must be high, medium or low", "risk");
    if (k.place.size() > 200) return Status::InvalidArgument("longer than 200 bytes", "place");
    if (k.exposure_start > now)
      return Status::InvalidArgument("is in the future", "exposure_start");
    if (k.duration_minutes < 0 || k.duration_minutes > 60 * 24 * 60) {
      return Status::InvalidArgument("must be between 0 and 86400", "duration_minutes");
    }
    ids.push_back(k.person);
    cases.insert(k.case_id.value);
  }
  std::set<int64_t> tracing_cases;
  for (int64_t c : cases) {
    ASSIGN_OR_RETURN(auto got, ex.Query("SELECT traced_at FROM case_record WHERE id = ?", {c}));
    if (got.empty()) return Status::NotFound("no case " + std::to_string(c), "case_id");
    if (!got.IsNull(0, 0)) tracing_cases.insert(c);
  }
  ASSIGN_OR_RETURN(auto people, registry::GetPeople(ex, ids));
  std::map<int64_t, const registry::Person*> person_of;
  for (const auto& p : people) person_of[p.id.value] = &p;
  // Which of them each case has already: one read per case and 500 people, not one a contact
  // (a case at a stadium brings 10,000 at once, and PostgreSQL pays a round trip for each).
  struct Known {
    int64_t id = 0, last = 0;
    std::string status;
  };
  std::map<std::pair<int64_t, int64_t>, Known> known;
  for (int64_t c : cases) {
    std::vector<int64_t> of_case;
    for (const auto& k : in)
      if (k.case_id.value == c) of_case.push_back(k.person.value);
    constexpr size_t kChunk = 500;
    for (size_t at = 0; at < of_case.size(); at += kChunk) {
      const size_t n = std::min(kChunk, of_case.size() - at);
      store::Params p = {c};
      p.insert(p.end(), of_case.begin() + static_cast<ptrdiff_t>(at),
               of_case.begin() + static_cast<ptrdiff_t>(at + n));
      ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, person_id, last_exposure, status FROM contact "
                                        "WHERE case_id = ? AND person_id IN " +
                                            store::InList(n),
                                        p));
      for (size_t i = 0; i < r.size(); ++i)
        known[{c, r.Int(i, 1)}] = {r.Int(i, 0), r.Int(i, 2), r.Text(i, 3)};
    }
  }
  std::map<int64_t, Pool> pools;
  std::optional<int64_t> creator;
  if (by && by->value) creator = by->value;
  const int64_t period = int64_t{policy.follow_up_days} * kMillisPerDay;
  // The new contacts, one for each case and person.
  struct Row {
    const NewContact* k;
    const registry::Person* person;
    int64_t last, until;
    std::optional<int64_t> assigned;
  };
  std::vector<Row> rows;
  std::map<std::pair<int64_t, int64_t>, size_t> row_of;  // (case, person) -> index in `rows`
  std::vector<std::pair<int64_t, int64_t>> key_of(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const NewContact& k = in[i];
    auto pit = person_of.find(k.person.value);
    if (pit == person_of.end()) {
      return Status::NotFound("no person " + std::to_string(k.person.value), "person_id");
    }
    const registry::Person& person = *pit->second;
    const int64_t last =
        k.last_exposure.value_or(k.exposure_start + k.duration_minutes * kMillisPerMinute);
    const int64_t until = last + period;
    const std::pair<int64_t, int64_t> key{k.case_id.value, k.person.value};
    key_of[i] = key;
    if (auto kn = known.find(key); kn != known.end()) {
      // Exposed again by the same case: the follow-up runs from the later exposure.
      if (last > kn->second.last) {
        if (kn->second.status == "completed" && until > now) kn->second.status = "under_follow_up";
        kn->second.last = last;
        RETURN_IF_ERROR(ex.Exec("UPDATE contact SET last_exposure = ?, follow_up_until = ?, "
                                "status = ? WHERE id = ?",
                                {last, until, kn->second.status, kn->second.id})
                            .status());
      }
      continue;
    }
    if (auto r = row_of.find(key); r != row_of.end()) {
      // The same person twice in one call: one contact, from the later exposure.
      Row& row = rows[r->second];
      if (last > row.last) row.last = last, row.until = until;
      continue;
    }
    auto pool_it = pools.find(person.org_unit.value);
    if (pool_it == pools.end()) {
      ASSIGN_OR_RETURN(auto pool, PoolFor(ex, person.org_unit));
      pool_it = pools.emplace(person.org_unit.value, std::move(pool)).first;
    }
    Pool& pool = pool_it->second;
    std::optional<int64_t> assigned;
    if (!pool.tracers.empty()) {
      assigned = pool.tracers[pool.next].value;
      pool.next = (pool.next + 1) % pool.tracers.size();
    }
    row_of[key] = rows.size();
    rows.push_back({&k, &person, last, until, assigned});
  }
  // The new ones, 200 to a statement, each id read back with its case and person.
  store::Params values;
  for (const Row& r : rows) {
    const NewContact& k = *r.k;
    std::optional<int64_t> venue;
    if (k.venue) venue = k.venue->value;
    values.insert(
        values.end(),
        {k.case_id.value, k.person.value, r.person->org_unit.value, r.person->org_path,
         r.person->time_zone, k.source, k.proximity, k.risk, k.place, venue, k.exposure_start,
         k.duration_minutes, r.last, std::string(r.until > now ? "under_follow_up" : "completed"),
         r.until, r.assigned, now, creator});
  }
  ASSIGN_OR_RETURN(auto made,
                   store::InsertRowsReturning(
                       ex,
                       "INSERT INTO contact (case_id, person_id, org_unit_id, org_path, time_zone, "
                       "source, proximity, risk, place, venue_id, exposure_start, "
                       "duration_minutes, last_exposure, status, follow_up_until, assigned_to, "
                       "created_at, created_by)",
                       18, values, 200, " RETURNING id, case_id, person_id"));
  for (size_t j = 0; j < made.size(); ++j)
    known[{made.Int(j, 1), made.Int(j, 2)}].id = made.Int(j, 0);
  Stored out;
  out.ids.reserve(in.size());
  for (const auto& key : key_of) out.ids.push_back(known.at(key).id);
  out.tracing_cases = std::move(tracing_cases);
  return out;
}
}  // namespace

Status AddTracedContacts(store::Executor& ex, std::span<const NewContact> in,
                         const healthcode::Policy& policy, std::optional<UserId> by, int64_t now) {
  for (const auto& k : in) {
    if (k.source != "tracing" && k.source != "co_travel")
      return Status::InvalidArgument("must be tracing or co_travel", "source");
  }
  return StoreContacts(ex, in, policy, by, now).status();
}

Result<std::vector<Contact>> AddContacts(store::Executor& ex, std::span<const NewContact> in,
                                         const healthcode::Policy& policy, std::optional<UserId> by,
                                         int64_t now) {
  ASSIGN_OR_RETURN(Stored stored, StoreContacts(ex, in, policy, by, now));
  // Every one of them as stored, in input order.
  std::vector<int64_t> ids_out = stored.ids;
  std::sort(ids_out.begin(), ids_out.end());
  ids_out.erase(std::unique(ids_out.begin(), ids_out.end()), ids_out.end());
  std::map<int64_t, Contact> by_id;
  constexpr size_t kRead = 500;
  for (size_t at = 0; at < ids_out.size(); at += kRead) {
    const size_t n = std::min(kRead, ids_out.size() - at);
    store::Params p(ids_out.begin() + static_cast<ptrdiff_t>(at),
                    ids_out.begin() + static_cast<ptrdiff_t>(at + n));
    ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kContactCols +
                                          " FROM contact k WHERE k.id IN " + store::InList(n),
                                      p));
    for (size_t j = 0; j < r.size(); ++j) {
      Contact c = From(r, j);
      by_id.emplace(c.id, std::move(c));
    }
  }
  std::vector<Contact> out;
  out.reserve(in.size());
  for (int64_t id : stored.ids) out.push_back(by_id.at(id));
  const std::set<int64_t>& tracing_cases = stored.tracing_cases;
  // Contacts entered by hand of a case that traces are close contacts for the health code
  // too (tracing's own are given their facts by the tracing).
  std::vector<std::pair<PersonId, healthcode::FactRow>> facts;
  std::vector<PersonId> touched;
  for (const auto& c : out) {
    if (c.source == "tracing" || c.source == "co_travel") continue;
    if (!tracing_cases.count(c.case_id.value)) continue;
    facts.push_back({c.person, ManualExposure(c)});
    touched.push_back(c.person);
  }
  if (!facts.empty()) {
    RETURN_IF_ERROR(healthcode::PutFacts(ex, facts));
    RETURN_IF_ERROR(healthcode::Recompute(ex, policy, touched, now));
  }
  return out;
}

healthcode::FactRow ManualExposure(const Contact& c) {
  return {"exposure",      "case:" + std::to_string(c.case_id.value), int64_t{1}, c.exposure_start,
          c.last_exposure, static_cast<double>(c.duration_minutes)};
}

Result<std::vector<Contact>> ManualContacts(store::Executor& ex, CaseId c) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kContactCols +
                                        " FROM contact k WHERE k.case_id = ? AND k.source NOT IN "
                                        "('tracing', 'co_travel') ORDER BY k.id",
                                    {c.value}));
  std::vector<Contact> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<Contact> GetContact(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kContactCols + " FROM contact k WHERE k.id = ?", {id}));
  if (r.empty()) return Status::NotFound("no contact " + std::to_string(id), "id");
  return From(r, 0);
}

Result<std::vector<Contact>> ListContacts(store::Executor& ex, const ContactFilter& f) {
  store::Params p;
  std::string sql = std::string("SELECT ") + kContactCols;
  if (!f.day.empty()) {
    sql +=
        ", f.status FROM contact k LEFT JOIN follow_up_check f ON f.contact_id = k.id AND f.day = "
        "?";
    p.push_back(f.day);
  } else {
    sql += ", '' FROM contact k";
  }
  // The page's ids first, from the path index (which holds the usual filters), then only
  // their rows and checks: a commune's whole list is not read and joined to be sorted.
  sql += " WHERE k.id IN (SELECT k.id FROM contact k" + Where(ex, f, &p) +
         " ORDER BY k.id DESC LIMIT ? OFFSET ?) ORDER BY k.id DESC";
  p.push_back(f.limit);
  p.push_back(f.offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<Contact> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back(From(r, i));
    out.back().check_status = r.Text(i, 20);
  }
  return out;
}

Result<int64_t> CountContacts(store::Executor& ex, const ContactFilter& f) {
  store::Params p;
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT COUNT(*) FROM contact k" + Where(ex, f, &p), p));
  return r.Int(0, 0);
}

Result<std::vector<Contact>> ContactsOfPerson(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kContactCols +
                                        " FROM contact k WHERE k.person_id = ? ORDER BY k.id DESC",
                                    {person.value}));
  std::vector<Contact> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<Check> RecordCheck(store::Executor& ex, int64_t contact_id, const CheckAnswer& in,
                          std::optional<UserId> by, bool by_citizen, int64_t now) {
  ASSIGN_OR_RETURN(Contact c, GetContact(ex, contact_id));
  if (c.status != "under_follow_up") {
    return Status::FailedPrecondition(
        "contact " + std::to_string(contact_id) + " is " + c.status + ", not under follow-up",
        "contact_id");
  }
  if (in.symptoms.size() > 500) return Status::InvalidArgument("longer than 500 bytes", "symptoms");
  if (in.temperature_celsius && (*in.temperature_celsius < 30 || *in.temperature_celsius > 45)) {
    return Status::InvalidArgument("must be between 30 and 45", "temperature_celsius");
  }
  ASSIGN_OR_RETURN(std::string day, LocalDate(c.time_zone, now));
  std::optional<int64_t> user;
  if (by && by->value) user = by->value;
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO follow_up_check (contact_id, day, status, symptoms, temperature, "
               "answered_at, answered_by, by_citizen) VALUES (?, ?, 'answered', ?, ?, ?, ?, ?) ON "
               "CONFLICT (contact_id, day) DO UPDATE SET status = 'answered', symptoms = "
               "excluded.symptoms, temperature = excluded.temperature, answered_at = "
               "excluded.answered_at, answered_by = excluded.answered_by, by_citizen = "
               "excluded.by_citizen RETURNING id",
               {contact_id, day, in.symptoms, in.temperature_celsius, now, user, by_citizen}));
  // Symptoms or a fever are a symptom report: the code follows the policy's symptoms rule.
  ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(ex));
  bool fever = in.temperature_celsius && *in.temperature_celsius >= policy.fever_celsius;
  if (!in.symptoms.empty() || fever) {
    std::string what = in.symptoms;
    if (fever) {
      char t[32];
      std::snprintf(t, sizeof t, "%.1f °C", *in.temperature_celsius);
      what += (what.empty() ? "" : "; ") + std::string(t);
    }
    RETURN_IF_ERROR(healthcode::RecordSymptoms(ex, c.person, what, now, now).status());
  }
  Check out;
  out.id = r.Int(0, 0);
  out.contact_id = contact_id;
  out.day = day;
  out.status = "answered";
  out.symptoms = in.symptoms;
  out.temperature_celsius = in.temperature_celsius;
  out.answered_at = now;
  out.answered_by = by;
  out.by_citizen = by_citizen;
  return out;
}

Result<std::vector<Check>> ListChecks(store::Executor& ex, int64_t contact_id) {
  RETURN_IF_ERROR(GetContact(ex, contact_id));
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, day, status, symptoms, temperature, answered_at, "
                                    "answered_by, by_citizen FROM follow_up_check WHERE "
                                    "contact_id = ? ORDER BY day",
                                    {contact_id}));
  std::vector<Check> out;
  for (size_t i = 0; i < r.size(); ++i) {
    Check c;
    c.id = r.Int(i, 0);
    c.contact_id = contact_id;
    c.day = r.Text(i, 1);
    c.status = r.Text(i, 2);
    c.symptoms = r.Text(i, 3);
    if (!r.IsNull(i, 4)) c.temperature_celsius = r.Real(i, 4);
    c.answered_at = r.OptInt(i, 5);
    if (!r.IsNull(i, 6)) c.answered_by = UserId(r.Int(i, 6));
    c.by_citizen = r.Int(i, 7) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SetContactStatus(store::Executor& ex, std::span<const int64_t> ids,
                                 const std::string& action, std::optional<UserId> assign_to,
                                 int64_t now) {
  (void)now;
  int64_t changed = 0;
  constexpr size_t kChunk = 500;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    size_t n = std::min(kChunk, ids.size() - at);
    store::Params p;
    std::string sql;
    if (action == "lost") {
      sql = "UPDATE contact SET status = 'lost' WHERE status = 'under_follow_up' AND id IN ";
    } else if (action == "completed") {
      sql = "UPDATE contact SET status = 'completed' WHERE status = 'under_follow_up' AND id IN ";
    } else if (action == "resume") {
      sql =
          "UPDATE contact SET status = 'under_follow_up' WHERE status IN ('lost', 'completed') "
          "AND id IN ";
    } else if (action == "assign") {
      if (!assign_to) return Status::InvalidArgument("is required to assign", "assign_to");
      sql = "UPDATE contact SET assigned_to = ? WHERE id IN ";
      p.push_back(assign_to->value);
    } else {
      return Status::InvalidArgument("must be lost, completed, resume or assign", "action");
    }
    for (size_t k = 0; k < n; ++k) p.push_back(ids[at + k]);
    ASSIGN_OR_RETURN(int64_t c, ex.Exec(sql + store::InList(n), p));
    changed += c;
  }
  return changed;
}

Result<std::vector<Contact>> ConvertContacts(store::Executor& ex, PersonId person, CaseId c,
                                             int64_t now) {
  (void)now;
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kContactCols +
                                        " FROM contact k WHERE k.person_id = ? AND k.status <> "
                                        "'converted' AND k.case_id <> ? ORDER BY k.id",
                                    {person.value, c.value}));
  std::vector<Contact> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  RETURN_IF_ERROR(ex.Exec("UPDATE contact SET status = 'converted', converted_case_id = ? WHERE "
                          "person_id = ? AND status <> 'converted' AND case_id <> ?",
                          {c.value, person.value, c.value})
                      .status());
  return out;
}

Status EndTracedContacts(store::Executor& ex, CaseId c, int64_t now) {
  (void)now;
  return ex
      .Exec(
          "UPDATE contact SET status = 'completed' WHERE case_id = ? AND status = "
          "'under_follow_up'",
          {c.value})
      .status();
}

Result<std::vector<MissedCheck>> SweepFollowUp(store::Executor& ex, int64_t now) {
  RETURN_IF_ERROR(ex.Exec("UPDATE contact SET status = 'completed' WHERE status = "
                          "'under_follow_up' AND follow_up_until <= ?",
                          {now})
                      .status());
  ASSIGN_OR_RETURN(auto zones, ex.Query("SELECT DISTINCT time_zone FROM contact WHERE status = "
                                        "'under_follow_up'"));
  std::vector<MissedCheck> missed;
  for (size_t z = 0; z < zones.size(); ++z) {
    const std::string zone = zones.Text(z, 0);
    ASSIGN_OR_RETURN(std::string today, LocalDate(zone, now));
    ASSIGN_OR_RETURN(int64_t today_start, LocalDayStart(zone, today));
    ASSIGN_OR_RETURN(std::string yesterday, LocalDate(zone, today_start - 1));
    ASSIGN_OR_RETURN(int64_t yesterday_start, LocalDayStart(zone, yesterday));
    // Contacts followed up all of yesterday (made before it began... or during it) whose check
    // for yesterday is missing.
    ASSIGN_OR_RETURN(
        auto r,
        ex.Query(std::string("SELECT ") + kContactCols +
                     " FROM contact k WHERE k.status = 'under_follow_up' AND k.time_zone = ? AND "
                     "k.created_at < ? AND k.follow_up_until > ? AND NOT EXISTS (SELECT 1 FROM "
                     "follow_up_check f WHERE f.contact_id = k.id AND f.day = ?) ORDER BY k.id",
                 {zone, today_start, yesterday_start, yesterday}));
    for (size_t i = 0; i < r.size(); ++i) {
      Contact c = From(r, i);
      RETURN_IF_ERROR(ex.Exec("INSERT INTO follow_up_check (contact_id, day, status) VALUES (?, "
                              "?, 'missed')",
                              {c.id, yesterday})
                          .status());
      missed.push_back({std::move(c), yesterday});
    }
  }
  return missed;
}

Result<int64_t> ReassignContacts(store::Executor& ex, PersonId from, PersonId to) {
  // Both contacts of one case: the survivor's record stays.
  const char* dup =
      "SELECT id FROM contact WHERE person_id = ? AND case_id IN (SELECT case_id FROM contact "
      "WHERE person_id = ?)";
  RETURN_IF_ERROR(
      ex.Exec(std::string("DELETE FROM follow_up_check WHERE contact_id IN (") + dup + ")",
              {from.value, to.value})
          .status());
  RETURN_IF_ERROR(
      ex.Exec(std::string("DELETE FROM contact WHERE id IN (") + dup + ")", {from.value, to.value})
          .status());
  return ex.Exec("UPDATE contact SET person_id = ? WHERE person_id = ?", {to.value, from.value});
}

}  // namespace mekong::cases
