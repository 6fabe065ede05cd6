#include "mekong/cases/cases.h"

#include <map>

#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"

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
};

constexpr const char* kCaseSelect =
    "SELECT c.id, c.person_id, c.org_unit_id, o.path, c.onset_at, c.sample_at, c.isolated_at, c.window_start, "
    "c.window_end, c.confirmed_at, c.confirmed_by, (SELECT COUNT(DISTINCT k.person_id) FROM case_contact k WHERE "
    "k.case_id = c.id) FROM case_record c JOIN org_unit o ON o.id = c.org_unit_id";

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
  return c;
}

std::string Day(int64_t ms) { return FormatRfc3339(ms).substr(0, 10); }

}  // namespace

Status Migrate(store::Database& db) { return db.Migrate("cases", kMigrations); }

Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Rules& rules) {
  if (!in.onset_at && !in.sample_at) {
    return Status::InvalidArgument("give onset_at, or sample_at when there are no symptoms", "onset_at");
  }
  for (auto [value, field] : {std::pair{in.onset_at, "onset_at"}, std::pair{in.sample_at, "sample_at"},
                              std::pair{in.isolated_at, "isolated_at"}}) {
    if (value && *value > now) return Status::InvalidArgument("is in the future", field);
  }
  int64_t start = (in.onset_at ? *in.onset_at : *in.sample_at) - rules.infectious_before_ms;
  int64_t end = in.isolated_at ? *in.isolated_at : now;
  if (end <= start) return Status::InvalidArgument("is before the infectious window starts", "isolated_at");

  ASSIGN_OR_RETURN(auto p, ex.Query("SELECT org_unit_id, full_name FROM person WHERE id = ?", {in.person.value}));
  if (p.empty()) return Status::NotFound("no person " + std::to_string(in.person.value), "person_id");
  ASSIGN_OR_RETURN(auto dup, ex.Query("SELECT id FROM case_record WHERE person_id = ?", {in.person.value}));
  if (!dup.empty()) {
    return Status::AlreadyExists("person " + std::to_string(in.person.value) + " is already case " + dup.Text(0, 0),
                                 "person_id");
  }
  ASSIGN_OR_RETURN(auto ins, ex.Query("INSERT INTO case_record (person_id, org_unit_id, onset_at, sample_at, "
                                      "isolated_at, window_start, window_end, confirmed_at, confirmed_by) VALUES (?, ?, "
                                      "?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                      {in.person.value, p.Int(0, 0), in.onset_at, in.sample_at, in.isolated_at, start,
                                       end, now, in.confirmed_by.value}));
  CaseId id(ins.Int(0, 0));
  std::string source = "case:" + std::to_string(id.value);

  RETURN_IF_ERROR(healthcode::AddReason(ex, in.person,
                                        {0, healthcode::Colour::kRed, "confirmed_case", source,
                                         "Confirmed case; isolate until released by the health authority", now,
                                         std::nullopt}));
  ASSIGN_OR_RETURN(auto contacts, tracing::CloseContacts(ex, in.person, start, end, rules.min_overlap_ms));
  for (const auto& c : contacts) {
    for (const auto& e : c.exposures) {
      RETURN_IF_ERROR(ex.Exec("INSERT INTO case_contact (case_id, person_id, venue_id, overlap_start, overlap_end) "
                              "VALUES (?, ?, ?, ?, ?)",
                              {id.value, c.person.value, e.venue.value, e.start, e.end}));
    }
    int64_t until = c.last_exposure_end + rules.isolation_ms;
    std::string detail = "Close contact of a confirmed case: " + std::to_string(c.total_minutes) +
                         " min at the same venue, last on " + Day(c.last_exposure_end) + "; isolate until " +
                         Day(until) + " and test negative";
    RETURN_IF_ERROR(healthcode::AddReason(ex, c.person,
                                          {0, healthcode::Colour::kRed, "close_contact", source, detail,
                                           c.exposures.front().start, until}));
  }
  return GetCase(ex, id);
}

Result<Case> GetCase(store::Executor& ex, CaseId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) + " WHERE c.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no case " + std::to_string(id.value), "id");
  return From(r, 0);
}

Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit, int offset) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kCaseSelect) + " WHERE o.path LIKE ? ORDER BY c.id DESC LIMIT ? "
                                                               "OFFSET ?",
                                    {under_path + "%", limit, offset}));
  std::vector<Case> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(From(r, i));
  return out;
}

Result<std::vector<ContactRow>> ListContacts(store::Executor& ex, CaseId id) {
  RETURN_IF_ERROR(GetCase(ex, id));
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT k.person_id, p.full_name, k.venue_id, k.overlap_start, k.overlap_end "
                                    "FROM case_contact k JOIN person p ON p.id = k.person_id WHERE k.case_id = ? "
                                    "ORDER BY k.person_id, k.overlap_start",
                                    {id.value}));
  std::vector<ContactRow> out;
  for (size_t i = 0; i < r.size(); ++i) {
    PersonId person(r.Int(i, 0));
    if (out.empty() || out.back().person != person) {
      out.push_back({person, r.Text(i, 1), {}});
      out.back().contact.person = person;
    }
    tracing::Contact& c = out.back().contact;
    c.exposures.push_back({VenueId(r.Int(i, 2)), r.Int(i, 3), r.Int(i, 4)});
    c.total_minutes += c.exposures.back().minutes();
    c.last_exposure_end = std::max(c.last_exposure_end, r.Int(i, 4));
  }
  return out;
}

}  // namespace mekong::cases
