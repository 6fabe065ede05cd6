#include "mekong/registry/registry.h"

#include <algorithm>
#include <array>

#include "mekong/core/crypto.h"
#include "mekong/core/names.h"
#include "mekong/core/time.h"
#include "mekong/core/zone.h"
#include "mekong/registry/auth.h"

namespace mekong::registry {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE org_unit (
  id {id},
  parent_id BIGINT REFERENCES org_unit (id),
  level TEXT NOT NULL,
  name TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL
);
CREATE INDEX org_unit_parent ON org_unit (parent_id);
CREATE INDEX org_unit_path ON org_unit (path);

CREATE TABLE person (
  id {id},
  full_name TEXT NOT NULL,
  document_type TEXT NOT NULL,
  document_number TEXT NOT NULL,
  nationality TEXT NOT NULL,
  language TEXT NOT NULL,
  phone TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  created_at BIGINT NOT NULL,
  UNIQUE (nationality, document_type, document_number)
);
CREATE INDEX person_org_unit ON person (org_unit_id);

CREATE TABLE venue (
  id {id},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  default_stay_minutes BIGINT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX venue_org_unit ON venue (org_unit_id);

CREATE TABLE facility (
  id {id},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  created_at BIGINT NOT NULL
);

CREATE TABLE server_secret (name TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE app_user (
  id {id},
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  person_id BIGINT REFERENCES person (id),
  created_at BIGINT NOT NULL
);

CREATE TABLE auth_token (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user (id),
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT
);
CREATE INDEX auth_token_user ON auth_token (user_id);

CREATE TABLE access_log (
  id {id},
  at BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  action TEXT NOT NULL
);
CREATE INDEX access_log_person ON access_log (person_id, at);
)sql"},
    {2, R"sql(
ALTER TABLE org_unit ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE venue ADD COLUMN languages TEXT NOT NULL DEFAULT '';
CREATE TABLE login_failure (
  id {id},
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failure_username ON login_failure (username, at);
CREATE INDEX login_failure_address ON login_failure (address, at);
CREATE TABLE registration (
  id {id},
  person_id BIGINT NOT NULL UNIQUE REFERENCES person (id),
  user_id BIGINT NOT NULL REFERENCES app_user (id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  status TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by BIGINT,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX registration_status ON registration (status, created_at);
CREATE INDEX registration_address ON registration (address, created_at);
)sql"},
    // The population register: sex and address; a name key for duplicate detection
    // (core/names.h; the seed fills it for people made before); merged records point at the
    // survivor.
    {3, R"sql(
ALTER TABLE person ADD COLUMN sex TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE person ADD COLUMN merged_into BIGINT REFERENCES person (id);
CREATE INDEX person_name_key ON person (name_key, birth_date);
CREATE INDEX person_document ON person (document_number);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {4, R"sql(
DROP INDEX org_unit_path;
CREATE INDEX org_unit_path ON org_unit (path {bytewise});
)sql"},
};

bool IsOneOf(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

Status CheckText(std::string_view value, std::string_view field, size_t max_len,
                 bool required = true) {
  if (required && value.empty())
    return Status::InvalidArgument("must not be empty", std::string(field));
  if (value.size() > max_len) {
    return Status::InvalidArgument("longer than " + std::to_string(max_len) + " bytes",
                                   std::string(field));
  }
  for (unsigned char c : value) {
    if (c < 0x20) return Status::InvalidArgument("holds a control character", std::string(field));
  }
  return Status::Ok();
}

// The org unit's path, or not_found naming `field`.
Result<std::string> OrgPath(store::Executor& ex, OrgUnitId id, std::string_view field) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT path FROM org_unit WHERE id = ?", {id.value}));
  if (r.empty())
    return Status::NotFound("no org unit " + std::to_string(id.value), std::string(field));
  return r.Text(0, 0);
}

OrgUnit OrgUnitFrom(const store::Rows& r, size_t i) {
  OrgUnit u;
  u.id = OrgUnitId(r.Int(i, 0));
  if (!r.IsNull(i, 1)) u.parent = OrgUnitId(r.Int(i, 1));
  u.level = r.Text(i, 2);
  u.name = r.Text(i, 3);
  u.code = r.Text(i, 4);
  u.path = r.Text(i, 5);
  u.time_zone = r.Text(i, 6);
  return u;
}
constexpr const char* kOrgCols = "id, parent_id, level, name, code, path, time_zone";

constexpr const char* kPersonSelect =
    "SELECT p.id, p.full_name, p.document_type, p.document_number, p.nationality, p.language, "
    "p.phone, "
    "p.birth_date, p.org_unit_id, o.path, p.created_at, o.time_zone, p.sex, p.address, "
    "p.merged_into "
    "FROM person p JOIN org_unit o "
    "ON o.id = "
    "p.org_unit_id";

Person PersonFrom(const store::Rows& r, size_t i) {
  Person p;
  p.id = PersonId(r.Int(i, 0));
  p.full_name = r.Text(i, 1);
  p.document_type = r.Text(i, 2);
  p.document_number = r.Text(i, 3);
  p.nationality = r.Text(i, 4);
  p.language = r.Text(i, 5);
  p.phone = r.Text(i, 6);
  p.birth_date = r.Text(i, 7);
  p.org_unit = OrgUnitId(r.Int(i, 8));
  p.org_path = r.Text(i, 9);
  p.created_at = r.Int(i, 10);
  p.time_zone = r.Text(i, 11);
  p.sex = r.Text(i, 12);
  p.address = r.Text(i, 13);
  if (!r.IsNull(i, 14)) p.merged_into = PersonId(r.Int(i, 14));
  return p;
}

constexpr const char* kVenueSelect =
    "SELECT v.id, v.name, v.kind, v.capacity, v.org_unit_id, o.path, v.default_stay_minutes, "
    "v.address, "
    "v.created_at, v.languages, o.time_zone FROM venue v JOIN org_unit o ON o.id = v.org_unit_id";

std::vector<std::string> SplitLanguages(const std::string& s) {
  std::vector<std::string> out;
  for (size_t at = 0; at < s.size();) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    if (comma > at) out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

Venue VenueFrom(const store::Rows& r, size_t i) {
  Venue v;
  v.id = VenueId(r.Int(i, 0));
  v.name = r.Text(i, 1);
  v.kind = r.Text(i, 2);
  v.capacity = r.Int(i, 3);
  v.org_unit = OrgUnitId(r.Int(i, 4));
  v.org_path = r.Text(i, 5);
  v.default_stay_minutes = r.Int(i, 6);
  v.address = r.Text(i, 7);
  v.created_at = r.Int(i, 8);
  v.languages = SplitLanguages(r.Text(i, 9));
  v.time_zone = r.Text(i, 10);
  return v;
}

// Languages of shared/reference/domain.md.
constexpr std::array<std::string_view, 15> kLanguages = {
    "en", "zh", "vi", "th", "ms", "id", "fil", "km", "lo", "my", "ja", "ko", "ta", "tet", "pt"};

}  // namespace

std::span<const std::string_view> Languages() { return kLanguages; }
bool IsLanguage(std::string_view code) {
  return std::find(kLanguages.begin(), kLanguages.end(), code) != kLanguages.end();
}

namespace {
// People made before migration 3 learn their name key.
Status Seed(store::Database& db) {
  ASSIGN_OR_RETURN(auto r,
                   db.Query("SELECT id, full_name FROM person WHERE name_key = '' LIMIT 100000"));
  if (r.empty()) return Status::Ok();
  return db.Transact([&](store::Executor& tx) -> Status {
    for (size_t i = 0; i < r.size(); ++i) {
      RETURN_IF_ERROR(tx.Exec("UPDATE person SET name_key = ? WHERE id = ?",
                              {NameKey(r.Text(i, 1)), r.Int(i, 0)})
                          .status());
    }
    return Status::Ok();
  });
}
}  // namespace

const store::Module kModule{"registry", {}, {{"registry", kMigrations}}, Seed};

namespace {
// The org unit, or not_found naming the field that referenced it.
Result<OrgUnit> UnitNamed(store::Executor& ex, OrgUnitId id, const char* field) {
  auto u = GetOrgUnit(ex, id);
  if (!u.ok() && u.status().code() == Code::kNotFound)
    return Status::NotFound(u.status().message(), field);
  return u;
}
}  // namespace

Result<OrgUnit> CreateOrgUnit(store::Executor& ex, const NewOrgUnit& in) {
  RETURN_IF_ERROR(CheckText(in.name, "name", 200));
  RETURN_IF_ERROR(CheckText(in.level, "level", 40));
  RETURN_IF_ERROR(CheckText(in.code, "code", 40));
  std::string parent_path = "/";
  std::string zone = in.time_zone;
  if (in.parent) {
    ASSIGN_OR_RETURN(auto parent, UnitNamed(ex, *in.parent, "parent_id"));
    parent_path = parent.path;
    if (zone.empty()) zone = parent.time_zone;
  }
  if (zone.empty()) zone = "UTC";
  if (Status s = ValidateZone(zone); !s.ok())
    return Status::InvalidArgument(s.message(), "time_zone");
  auto dup = ex.Query("SELECT 1 FROM org_unit WHERE code = ?", {in.code});
  RETURN_IF_ERROR(dup);
  if (!dup->empty())
    return Status::AlreadyExists("an org unit already has code " + in.code, "code");
  std::optional<int64_t> parent;
  if (in.parent) parent = in.parent->value;
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO org_unit (parent_id, level, name, code, path, time_zone) VALUES (?, "
               "?, ?, ?, '', ?) RETURNING id",
               {parent, in.level, in.name, in.code, zone}));
  int64_t id = r.Int(0, 0);
  std::string path = parent_path + std::to_string(id) + "/";
  RETURN_IF_ERROR(ex.Exec("UPDATE org_unit SET path = ? WHERE id = ?", {path, id}));
  return OrgUnit{OrgUnitId(id), in.parent, in.level, in.name, in.code, path, zone};
}

Result<OrgUnit> GetOrgUnit(store::Executor& ex, OrgUnitId id) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kOrgCols + " FROM org_unit WHERE id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no org unit " + std::to_string(id.value), "id");
  return OrgUnitFrom(r, 0);
}

Result<OrgUnit> FindOrgUnit(store::Executor& ex, std::string_view code_or_id,
                            std::string_view field) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kOrgCols +
                                        " FROM org_unit WHERE code = ? OR "
                                        "CAST(id AS TEXT) = ? ORDER BY id LIMIT 1",
                                    {std::string(code_or_id), std::string(code_or_id)}));
  if (r.empty())
    return Status::NotFound("no org unit with code or id " + std::string(code_or_id),
                            std::string(field));
  return OrgUnitFrom(r, 0);
}

Result<std::vector<OrgUnit>> ListOrgUnits(store::Executor& ex, std::optional<OrgUnitId> parent) {
  auto r = parent ? ex.Query(std::string("SELECT ") + kOrgCols +
                                 " FROM org_unit WHERE parent_id = ? ORDER BY id",
                             {parent->value})
                  : ex.Query(std::string("SELECT ") + kOrgCols +
                             " FROM org_unit WHERE parent_id IS NULL ORDER BY id");
  RETURN_IF_ERROR(r);
  std::vector<OrgUnit> out;
  for (size_t i = 0; i < r->size(); ++i) out.push_back(OrgUnitFrom(*r, i));
  return out;
}

Result<std::vector<OrgUnit>> OrgUnitsUnder(store::Executor& ex, const std::string& path) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "path", path, &p);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kOrgCols + " FROM org_unit WHERE " +
                                        under + " ORDER BY LENGTH(path), id",
                                    p));
  std::vector<OrgUnit> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(OrgUnitFrom(r, i));
  return out;
}

Status CheckPerson(const Person& in) {
  RETURN_IF_ERROR(CheckText(in.full_name, "full_name", 200));
  if (!IsOneOf(in.document_type,
               {"national_id", "passport", "resident_card", "birth_certificate", "border_pass"})) {
    return Status::InvalidArgument(
        "must be national_id, passport, resident_card, birth_certificate or border_pass",
        "document_type");
  }
  RETURN_IF_ERROR(CheckText(in.document_number, "document_number", 40));
  if (in.nationality.size() != 2 || !std::all_of(in.nationality.begin(), in.nationality.end(),
                                                 [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Status::InvalidArgument("must be an ISO 3166-1 alpha-2 code such as VN", "nationality");
  }
  if (std::find(kLanguages.begin(), kLanguages.end(), in.language) == kLanguages.end()) {
    return Status::InvalidArgument(
        "must be one of en, zh, vi, th, ms, id, fil, km, lo, my, ja, ko, ta, tet, pt", "language");
  }
  if (!in.phone.empty() && (in.phone[0] != '+' || in.phone.size() < 8 || in.phone.size() > 16 ||
                            !std::all_of(in.phone.begin() + 1, in.phone.end(), ::isdigit))) {
    return Status::InvalidArgument("must be in E.164 form such as +84912345678", "phone");
  }
  if (!in.birth_date.empty() &&
      (in.birth_date.size() != 10 || in.birth_date[4] != '-' || in.birth_date[7] != '-' ||
       !ParseRfc3339(in.birth_date + "T00:00:00Z").ok())) {
    return Status::InvalidArgument("must be YYYY-MM-DD", "birth_date");
  }
  if (!in.sex.empty() && !IsOneOf(in.sex, {"female", "male", "other"})) {
    return Status::InvalidArgument("must be female, male or other", "sex");
  }
  RETURN_IF_ERROR(CheckText(in.address, "address", 300, false));
  return Status::Ok();
}

Result<Person> CreatePerson(store::Executor& ex, const Person& in, int64_t now) {
  RETURN_IF_ERROR(CheckPerson(in));
  ASSIGN_OR_RETURN(auto unit, UnitNamed(ex, in.org_unit, "org_unit_id"));
  const std::string& path = unit.path;
  ASSIGN_OR_RETURN(auto dup,
                   ex.Query("SELECT id FROM person WHERE nationality = ? AND document_type = ? AND "
                            "document_number = ?",
                            {in.nationality, in.document_type, in.document_number}));
  if (!dup.empty()) {
    return Status::AlreadyExists("person " + dup.Text(0, 0) + " already holds this document",
                                 "document_number");
  }
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO person (full_name, document_type, document_number, nationality, "
               "language, phone, birth_date, org_unit_id, created_at, sex, address, name_key) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {in.full_name, in.document_type, in.document_number, in.nationality, in.language,
                in.phone, in.birth_date, in.org_unit.value, now, in.sex, in.address,
                NameKey(in.full_name)}));
  Person p = in;
  p.id = PersonId(r.Int(0, 0));
  p.org_path = path;
  p.time_zone = unit.time_zone;
  p.created_at = now;
  return p;
}

Result<Person> GetPerson(store::Executor& ex, PersonId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kPersonSelect) + " WHERE p.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no person " + std::to_string(id.value), "id");
  return PersonFrom(r, 0);
}

namespace {
// Runs `select` + " IN (...)" over `ids` a few hundred at a time.
template <typename Id, typename T>
Result<std::vector<T>> ByIds(store::Executor& ex, std::span<const Id> ids,
                             const std::string& select, T (*from)(const store::Rows&, size_t)) {
  std::vector<T> out;
  constexpr size_t kChunk = 500;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    size_t n = std::min(kChunk, ids.size() - at);
    store::Params p;
    for (size_t k = 0; k < n; ++k) p.push_back(ids[at + k].value);
    ASSIGN_OR_RETURN(auto r, ex.Query(select + " IN " + store::InList(n), p));
    for (size_t i = 0; i < r.size(); ++i) out.push_back(from(r, i));
  }
  std::sort(out.begin(), out.end(), [](const T& a, const T& b) { return a.id.value < b.id.value; });
  return out;
}
}  // namespace

Result<std::map<int64_t, Person>> PeopleById(store::Executor& ex, std::span<const PersonId> ids) {
  ASSIGN_OR_RETURN(auto people, GetPeople(ex, ids));
  std::map<int64_t, Person> out;
  for (auto& p : people) out[p.id.value] = std::move(p);
  return out;
}

Result<std::vector<Person>> GetPeople(store::Executor& ex, std::span<const PersonId> ids) {
  return ByIds(ex, ids, std::string(kPersonSelect) + " WHERE p.id", &PersonFrom);
}

Result<std::vector<PersonId>> ExistingPeople(store::Executor& ex, std::span<const PersonId> ids) {
  std::vector<PersonId> out;
  constexpr size_t kChunk = 500;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    size_t n = std::min(kChunk, ids.size() - at);
    store::Params p;
    p.reserve(n);
    for (size_t k = 0; k < n; ++k) p.push_back(ids[at + k].value);
    ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id FROM person WHERE id IN " + store::InList(n), p));
    for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonId(r.Int(i, 0)));
  }
  std::sort(out.begin(), out.end(), [](PersonId a, PersonId b) { return a.value < b.value; });
  return out;
}

Result<std::vector<Person>> FindByDocument(store::Executor& ex, std::string_view number,
                                           std::string_view nationality, int limit) {
  std::string sql = std::string(kPersonSelect) + " WHERE p.document_number = ?";
  store::Params p = {std::string(number)};
  if (!nationality.empty()) sql += " AND p.nationality = ?", p.push_back(std::string(nationality));
  p.push_back(limit);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql + " ORDER BY p.id LIMIT ?", p));
  std::vector<Person> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonFrom(r, i));
  return out;
}

Result<std::vector<Person>> ListPeople(store::Executor& ex, const PersonQuery& q) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", q.under_path, &p);
  p.push_back(q.name_prefix + "%");  // a name's prefix: LIKE, blind to case on SQLite
  p.push_back(q.limit);
  p.push_back(q.offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kPersonSelect) + " WHERE " + under +
                                        " AND p.full_name LIKE ? ORDER BY p.id LIMIT ? OFFSET ?",
                                    p));
  std::vector<Person> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonFrom(r, i));
  return out;
}

Result<std::vector<PersonId>> PeopleUnder(store::Executor& ex, const std::string& path,
                                          PersonId after, int limit) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", path, &p);
  p.push_back(after.value);
  p.push_back(limit);
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT p.id FROM person p JOIN org_unit o ON o.id = "
                                    "p.org_unit_id WHERE " +
                                        under +
                                        " AND p.id > ? AND p.merged_into IS NULL ORDER BY p.id "
                                        "LIMIT ?",
                                    p));
  std::vector<PersonId> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonId(r.Int(i, 0)));
  return out;
}

Result<UpsertCounts> UpsertPeople(store::Executor& ex, std::span<const Person> rows, int64_t now) {
  UpsertCounts out;
  ASSIGN_OR_RETURN(auto before, ex.Query("SELECT COUNT(*) FROM person"));
  int64_t changed = 0;
  constexpr size_t kRowsPerStatement = 200;
  constexpr const char* kRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  for (size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
    size_t n = std::min(kRowsPerStatement, rows.size() - at);
    std::string sql =
        "INSERT INTO person (full_name, document_type, document_number, nationality, language, "
        "phone, birth_date, org_unit_id, created_at, sex, address, name_key) VALUES ";
    store::Params p;
    p.reserve(n * 12);
    for (size_t k = 0; k < n; ++k) {
      const Person& in = rows[at + k];
      sql += k ? ", " : "";
      sql += kRow;
      p.insert(p.end(), {in.full_name, in.document_type, in.document_number, in.nationality,
                         in.language, in.phone, in.birth_date, in.org_unit.value, now, in.sex,
                         in.address, NameKey(in.full_name)});
    }
    // Only rows that differ are written, so a re-import changes (and counts) nothing.
    sql +=
        " ON CONFLICT (nationality, document_type, document_number) DO UPDATE SET full_name = "
        "excluded.full_name, phone = excluded.phone, birth_date = excluded.birth_date, org_unit_id "
        "= excluded.org_unit_id, sex = excluded.sex, address = excluded.address, name_key = "
        "excluded.name_key WHERE person.full_name <> excluded.full_name OR person.phone <> "
        "excluded.phone OR person.birth_date <> excluded.birth_date OR person.org_unit_id <> "
        "excluded.org_unit_id OR person.sex <> excluded.sex OR person.address <> excluded.address";
    ASSIGN_OR_RETURN(int64_t c, ex.Exec(sql, p));
    changed += c;
  }
  ASSIGN_OR_RETURN(auto after, ex.Query("SELECT COUNT(*) FROM person"));
  out.created = after.Int(0, 0) - before.Int(0, 0);
  out.updated = changed - out.created;
  out.unchanged = static_cast<int64_t>(rows.size()) - out.created - out.updated;
  return out;
}

Result<std::vector<DuplicatePair>> FindDuplicates(store::Executor& ex,
                                                  const std::string& under_path, int limit) {
  std::vector<DuplicatePair> out;
  store::Params scope;
  const std::string under = store::UnderPath(ex, "o.path", under_path, &scope);
  store::Params by_document = scope;
  by_document.push_back(limit);
  ASSIGN_OR_RETURN(
      auto d,
      ex.Query(
          "SELECT a.id, b.id FROM person a JOIN org_unit o ON o.id = a.org_unit_id JOIN person "
          "b ON b.document_number = a.document_number AND b.nationality = a.nationality AND "
          "b.id > a.id WHERE " +
              under +
              " AND a.merged_into IS NULL AND b.merged_into IS "
              "NULL ORDER BY a.id, b.id LIMIT ?",
          by_document));
  for (size_t i = 0; i < d.size(); ++i) {
    out.push_back({PersonId(d.Int(i, 0)), PersonId(d.Int(i, 1)), "document"});
  }
  if (static_cast<int>(out.size()) >= limit) return out;
  ASSIGN_OR_RETURN(
      auto n,
      ex.Query(
          "SELECT a.id, b.id, a.phone, b.phone, a.address, b.address FROM person a JOIN "
          "org_unit o ON o.id = a.org_unit_id JOIN person b ON b.name_key = a.name_key AND "
          "b.birth_date = a.birth_date AND b.id > a.id WHERE " +
              under +
              " AND a.name_key <> "
              "'' AND a.birth_date <> '' AND a.merged_into IS NULL AND b.merged_into IS NULL AND "
              "((a.phone <> '' AND a.phone = b.phone) OR (a.address <> '' AND b.address <> '')) "
              "ORDER BY a.id, b.id",
          scope));
  for (size_t i = 0; i < n.size() && static_cast<int>(out.size()) < limit; ++i) {
    PersonId a(n.Int(i, 0)), b(n.Int(i, 1));
    bool same_doc = std::any_of(out.begin(), out.end(),
                                [&](const DuplicatePair& x) { return x.a == a && x.b == b; });
    if (same_doc) continue;
    if (!n.Text(i, 2).empty() && n.Text(i, 2) == n.Text(i, 3)) {
      out.push_back({a, b, "name_phone"});
    } else if (NameKey(n.Text(i, 4)) == NameKey(n.Text(i, 5))) {
      out.push_back({a, b, "name_address"});
    }
  }
  return out;
}

Status MarkMerged(store::Executor& ex, PersonId from, PersonId to, int64_t now) {
  if (from == to)
    return Status::InvalidArgument("cannot merge a person into themself", "merged_id");
  for (auto [id, field] : {std::pair{from, "merged_id"}, std::pair{to, "survivor_id"}}) {
    ASSIGN_OR_RETURN(auto r, ex.Query("SELECT merged_into FROM person WHERE id = ?", {id.value}));
    if (r.empty()) return Status::NotFound("no person " + std::to_string(id.value), field);
    if (!r.IsNull(0, 0)) {
      return Status::FailedPrecondition(
          "person " + std::to_string(id.value) + " is already merged into " + r.Text(0, 0), field);
    }
  }
  RETURN_IF_ERROR(
      ex.Exec("UPDATE person SET merged_into = ? WHERE id = ?", {to.value, from.value}).status());
  ASSIGN_OR_RETURN(
      int64_t accounts,
      ex.Exec("UPDATE app_user SET person_id = ? WHERE person_id = ?", {to.value, from.value}));
  // A citizen signed in as the merged person now acts as the survivor.
  return accounts > 0 ? PublishTokensChanged(ex, now) : Status::Ok();
}

Result<Venue> CreateVenue(store::Executor& ex, const Venue& in, int64_t now) {
  RETURN_IF_ERROR(CheckText(in.name, "name", 200));
  RETURN_IF_ERROR(CheckText(in.kind, "kind", 40));
  RETURN_IF_ERROR(CheckText(in.address, "address", 300, false));
  if (in.capacity < 1 || in.capacity > 1000000) {
    return Status::InvalidArgument("must be between 1 and 1000000", "capacity");
  }
  if (in.default_stay_minutes < 1 || in.default_stay_minutes > 24 * 60) {
    return Status::InvalidArgument("must be between 1 and 1440", "default_stay_minutes");
  }
  std::string languages;
  for (const auto& l : in.languages) {
    if (!IsLanguage(l))
      return Status::InvalidArgument("holds " + l + ", which is not one of the 15 languages",
                                     "languages");
    languages += (languages.empty() ? "" : ",") + l;
  }
  ASSIGN_OR_RETURN(auto unit, UnitNamed(ex, in.org_unit, "org_unit_id"));
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO venue (name, kind, capacity, org_unit_id, default_stay_minutes, "
               "address, created_at, languages) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {in.name, in.kind, in.capacity, in.org_unit.value, in.default_stay_minutes,
                in.address, now, languages}));
  Venue v = in;
  v.id = VenueId(r.Int(0, 0));
  v.org_path = unit.path;
  v.time_zone = unit.time_zone;
  v.created_at = now;
  return v;
}

Result<Venue> GetVenue(store::Executor& ex, VenueId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kVenueSelect) + " WHERE v.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no venue " + std::to_string(id.value), "venue_id");
  return VenueFrom(r, 0);
}

Result<std::vector<Venue>> GetVenues(store::Executor& ex, std::span<const VenueId> ids) {
  return ByIds(ex, ids, std::string(kVenueSelect) + " WHERE v.id", &VenueFrom);
}

Result<std::vector<VenueId>> VenueIdsUnder(store::Executor& ex, const std::string& under_path) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", under_path, &p);
  ASSIGN_OR_RETURN(
      auto r, ex.Query("SELECT v.id FROM venue v JOIN org_unit o ON o.id = v.org_unit_id WHERE " +
                           under + " ORDER BY v.id",
                       p));
  std::vector<VenueId> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(VenueId(r.Int(i, 0)));
  return out;
}

Result<std::vector<Venue>> ListVenues(store::Executor& ex, const std::string& under_path, int limit,
                                      int offset) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", under_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kVenueSelect) + " WHERE " + under +
                                        " ORDER BY v.id LIMIT ? OFFSET ?",
                                    p));
  std::vector<Venue> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(VenueFrom(r, i));
  return out;
}

Result<Facility> CreateFacility(store::Executor& ex, const Facility& in, int64_t now) {
  RETURN_IF_ERROR(CheckText(in.name, "name", 200));
  if (!IsOneOf(in.kind,
               {"hospital", "lab", "clinic", "quarantine_site", "imaging_centre", "icu"})) {
    return Status::InvalidArgument(
        "must be hospital, lab, clinic, quarantine_site, imaging_centre or icu", "kind");
  }
  ASSIGN_OR_RETURN(std::string path, OrgPath(ex, in.org_unit, "org_unit_id"));
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO facility (name, kind, org_unit_id, created_at) VALUES (?, ?, ?, ?) "
               "RETURNING id",
               {in.name, in.kind, in.org_unit.value, now}));
  Facility f = in;
  f.id = FacilityId(r.Int(0, 0));
  f.org_path = path;
  f.created_at = now;
  return f;
}

Result<std::vector<Facility>> ListFacilities(store::Executor& ex, const std::string& under_path) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", under_path, &p);
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT f.id, f.name, f.kind, f.org_unit_id, o.path, f.created_at FROM facility f "
               "JOIN org_unit o ON o.id = f.org_unit_id WHERE " +
                   under + " ORDER BY f.id",
               p));
  std::vector<Facility> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back({FacilityId(r.Int(i, 0)), r.Text(i, 1), r.Text(i, 2), OrgUnitId(r.Int(i, 3)),
                   r.Text(i, 4), r.Int(i, 5)});
  }
  return out;
}

Result<Facility> GetFacility(store::Executor& ex, FacilityId id) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT f.id, f.name, f.kind, f.org_unit_id, o.path, f.created_at FROM facility f "
               "JOIN org_unit o ON o.id = f.org_unit_id WHERE f.id = ?",
               {id.value}));
  if (r.empty()) return Status::NotFound("no facility " + std::to_string(id.value), "facility_id");
  return Facility{FacilityId(r.Int(0, 0)), r.Text(0, 1), r.Text(0, 2),
                  OrgUnitId(r.Int(0, 3)),  r.Text(0, 4), r.Int(0, 5)};
}

Result<std::string> ServerSecret(store::Executor& ex, std::string_view name) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query("SELECT value FROM server_secret WHERE name = ?", {std::string(name)}));
  if (!r.empty()) return HexDecode(r.Text(0, 0));
  // Two processes may race here; ON CONFLICT keeps the first and both read it back.
  RETURN_IF_ERROR(
      ex.Exec("INSERT INTO server_secret (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
              {std::string(name), HexEncode(RandomBytes(32))}));
  ASSIGN_OR_RETURN(r,
                   ex.Query("SELECT value FROM server_secret WHERE name = ?", {std::string(name)}));
  return HexDecode(r.Text(0, 0));
}

namespace {
constexpr std::string_view kPosterPrefix = "MKV1:";
std::string PosterMac(std::string_view key, int64_t venue) {
  return HexEncode(HmacSha256(key, "venue-poster:" + std::to_string(venue)), true).substr(0, 20);
}
}  // namespace

Result<std::string> PosterText(store::Executor& ex, VenueId venue) {
  ASSIGN_OR_RETURN(auto v, GetVenue(ex, venue));
  ASSIGN_OR_RETURN(std::string key, ServerSecret(ex, "venue_poster"));
  return std::string(kPosterPrefix) + std::to_string(v.id.value) + ":" + PosterMac(key, v.id.value);
}

Result<VenueId> VerifyPosterText(store::Executor& ex, std::string_view text) {
  auto bad = [](std::string why) {
    return Status::InvalidArgument("not a Mekong venue code: " + why, "qr");
  };
  if (text.substr(0, kPosterPrefix.size()) != kPosterPrefix) return bad("wrong prefix");
  text.remove_prefix(kPosterPrefix.size());
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) return bad("no venue id");
  int64_t id = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return bad("venue id is not a number");
    id = id * 10 + (c - '0');
  }
  ASSIGN_OR_RETURN(std::string key, ServerSecret(ex, "venue_poster"));
  if (!ConstantTimeEquals(text.substr(colon + 1), PosterMac(key, id)))
    return bad("signature does not match");
  ASSIGN_OR_RETURN(auto v, GetVenue(ex, VenueId(id)));
  return v.id;
}

}  // namespace mekong::registry
