#include "mekong/registry/auth.h"

#include <array>
#include <limits>

#include "mekong/core/crypto.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::registry {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 9> kRoles = {{
    {Role::kAdmin, "admin"},
    {Role::kCommandOfficer, "command_officer"},
    {Role::kTracer, "tracer"},
    {Role::kLabTechnician, "lab_technician"},
    {Role::kClinician, "clinician"},
    {Role::kVenueOperator, "venue_operator"},
    {Role::kCheckpointOfficer, "checkpoint_officer"},
    {Role::kCitizen, "citizen"},
    {Role::kDevice, "device"},
}};

constexpr const char* kCallerSelect =
    "SELECT u.id, u.username, u.role, u.org_unit_id, o.path, u.person_id, o.time_zone, "
    "t.expires_at FROM "
    "auth_token t "
    "JOIN app_user u ON u.id = t.user_id JOIN org_unit o ON o.id = u.org_unit_id "
    "WHERE t.token_hash = ? AND t.kind = ? AND (t.expires_at IS NULL OR t.expires_at > ?)";

Result<Caller> CallerFrom(const store::Rows& r) {
  Caller c;
  c.user = UserId(r.Int(0, 0));
  c.username = r.Text(0, 1);
  ASSIGN_OR_RETURN(c.role, ParseRole(r.Text(0, 2)));
  c.org_unit = OrgUnitId(r.Int(0, 3));
  c.org_path = r.Text(0, 4);
  if (!r.IsNull(0, 5)) c.person = PersonId(r.Int(0, 5));
  c.time_zone = r.Text(0, 6);
  return c;
}

int64_t ExpiresAt(const store::Rows& r) {
  return r.IsNull(0, 7) ? std::numeric_limits<int64_t>::max() : r.Int(0, 7);
}

}  // namespace

// Tokens are stored as SHA-256 hex: a stolen database does not yield usable tokens.
std::string TokenHash(std::string_view token) { return HexEncode(Sha256(token)); }

Status PublishTokensChanged(store::Executor& tx, int64_t now) {
  return store::Publish(tx, kTokensTopic, "", now);
}

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return Status::InvalidArgument(
      "unknown role '" + std::string(name) +
          "'; roles: admin, command_officer, tracer, lab_technician, clinician, "
          "venue_operator, checkpoint_officer, citizen, device",
      "role");
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> v;
    for (const auto& [r, _] : kRoles) v.push_back(r);
    return v;
  }();
  return kAll;
}

bool Covers(const Caller& caller, const std::string& path) {
  return IsUnder(path, caller.org_path);
}

Result<UserId> CreateUser(store::Executor& ex, const NewUser& in, int64_t now) {
  if (in.username.size() < 3 || in.username.size() > 64 ||
      in.username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") !=
          std::string::npos) {
    return Status::InvalidArgument("3 to 64 characters of a-z, 0-9, '.', '_' or '-'", "username");
  }
  std::string hash;
  if (in.role == Role::kDevice) {
    if (!in.password.empty())
      return Status::InvalidArgument("devices use API keys, not passwords", "password");
  } else {
    if (in.password.size() < 8 || in.password.size() > 256) {
      return Status::InvalidArgument("must be 8 to 256 characters", "password");
    }
    ASSIGN_OR_RETURN(hash, HashPassword(in.password));
  }
  if (in.role == Role::kCitizen && !in.person) {
    return Status::InvalidArgument("a citizen account belongs to a person", "person_id");
  }
  ASSIGN_OR_RETURN(auto org, ex.Query("SELECT 1 FROM org_unit WHERE id = ?", {in.org_unit.value}));
  if (org.empty())
    return Status::NotFound("no org unit " + std::to_string(in.org_unit.value), "org_unit_id");
  std::optional<int64_t> person;
  if (in.person) {
    ASSIGN_OR_RETURN(auto p, ex.Query("SELECT 1 FROM person WHERE id = ?", {in.person->value}));
    if (p.empty())
      return Status::NotFound("no person " + std::to_string(in.person->value), "person_id");
    person = in.person->value;
  }
  ASSIGN_OR_RETURN(auto dup, ex.Query("SELECT 1 FROM app_user WHERE username = ?", {in.username}));
  if (!dup.empty())
    return Status::AlreadyExists("username " + in.username + " is taken", "username");
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO app_user (username, password_hash, role, org_unit_id, person_id, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
               {in.username, hash, RoleName(in.role), in.org_unit.value, person, now}));
  return UserId(r.Int(0, 0));
}

namespace {
Result<std::vector<User>> UsersFrom(const store::Rows& r) {
  std::vector<User> out;
  for (size_t i = 0; i < r.size(); ++i) {
    User u;
    u.id = UserId(r.Int(i, 0));
    u.username = r.Text(i, 1);
    ASSIGN_OR_RETURN(u.role, ParseRole(r.Text(i, 2)));
    u.org_unit = OrgUnitId(r.Int(i, 3));
    if (!r.IsNull(i, 4)) u.person = PersonId(r.Int(i, 4));
    u.created_at = r.Int(i, 5);
    out.push_back(std::move(u));
  }
  return out;
}
}  // namespace

Result<User> GetUser(store::Executor& ex, UserId id) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT id, username, role, org_unit_id, person_id, created_at FROM app_user WHERE "
               "id = ?",
               {id.value}));
  if (r.empty()) return Status::NotFound("no user " + std::to_string(id.value), "user_id");
  ASSIGN_OR_RETURN(auto users, UsersFrom(r));
  return users.front();
}

Result<std::map<int64_t, std::string>> Usernames(store::Executor& ex, std::span<const UserId> ids) {
  std::map<int64_t, std::string> out;
  constexpr size_t kChunk = 500;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    const size_t n = std::min(kChunk, ids.size() - at);
    store::Params p;
    for (size_t k = 0; k < n; ++k) p.push_back(ids[at + k].value);
    ASSIGN_OR_RETURN(
        auto r, ex.Query("SELECT id, username FROM app_user WHERE id IN " + store::InList(n), p));
    for (size_t i = 0; i < r.size(); ++i) out[r.Int(i, 0)] = r.Text(i, 1);
  }
  return out;
}

Result<std::vector<User>> ListUsers(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "o.path", under_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT u.id, u.username, u.role, u.org_unit_id, u.person_id, u.created_at FROM "
               "app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE " +
                   under + " ORDER BY u.id LIMIT ? OFFSET ?",
               p));
  return UsersFrom(r);
}

Result<std::vector<User>> UsersWithRole(store::Executor& ex, OrgUnitId unit, Role role) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, username, role, org_unit_id, person_id, created_at "
                                    "FROM app_user WHERE org_unit_id = ? AND role = ? ORDER BY id",
                                    {unit.value, RoleName(role)}));
  return UsersFrom(r);
}

Result<std::vector<User>> UsersWithRoleUnder(store::Executor& ex, const std::string& under_path,
                                             Role role) {
  store::Params p = {RoleName(role)};
  const std::string under = store::UnderPath(ex, "o.path", under_path, &p);
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT u.id, u.username, u.role, u.org_unit_id, u.person_id, "
                                    "u.created_at FROM app_user u JOIN org_unit o ON o.id = "
                                    "u.org_unit_id WHERE u.role = ? AND " +
                                        under + " ORDER BY u.id",
                                    p));
  return UsersFrom(r);
}

Result<Session> Login(store::Executor& ex, std::string_view username, std::string_view password,
                      int64_t now, int64_t ttl_ms) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, password_hash FROM app_user WHERE username = ?",
                                    {std::string(username)}));
  const Status denied = Status::Unauthenticated("wrong username or password");
  if (r.empty() || r.Text(0, 1).empty()) {
    // An unknown (or disabled) account costs one Argon2 verification too, so the time an
    // answer takes does not tell which usernames exist.
    static const std::string kDummy = HashPassword("mekong: a password nobody has").value();
    (void)VerifyPassword(kDummy, password);
    return denied;
  }
  if (!VerifyPassword(r.Text(0, 1), password)) return denied;
  Session s;
  s.token = RandomToken();
  s.expires_at = now + ttl_ms;
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO auth_token (token_hash, user_id, kind, label, created_at, expires_at) VALUES "
      "(?, ?, 'session', '', ?, ?)",
      {TokenHash(s.token), r.Int(0, 0), now, s.expires_at}));
  ASSIGN_OR_RETURN(s.caller, Authenticate(ex, s.token, now));
  return s;
}

Status Logout(store::Executor& tx, std::string_view token, int64_t now) {
  const std::string hash = TokenHash(token);
  RETURN_IF_ERROR(
      tx.Exec("DELETE FROM auth_token WHERE token_hash = ? AND kind = 'session'", {hash}).status());
  return store::Publish(tx, kTokensTopic, hash, now);
}

Result<Caller> Authenticate(store::Executor& ex, std::string_view token, int64_t now,
                            int64_t* expires_at) {
  ASSIGN_OR_RETURN(auto r, ex.Query(kCallerSelect, {TokenHash(token), "session", now}));
  if (r.empty())
    return Status::Unauthenticated("session token is unknown or expired; log in again");
  if (expires_at) *expires_at = ExpiresAt(r);
  return CallerFrom(r);
}

Result<std::string> IssueApiKey(store::Executor& ex, UserId device, std::string_view label,
                                int64_t now) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT role FROM app_user WHERE id = ?", {device.value}));
  if (r.empty()) return Status::NotFound("no user " + std::to_string(device.value), "user_id");
  if (r.Text(0, 0) != "device")
    return Status::FailedPrecondition("API keys are for device accounts", "user_id");
  std::string key = "mk_" + RandomToken();
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO auth_token (token_hash, user_id, kind, label, created_at, expires_at) VALUES "
      "(?, ?, 'api_key', ?, ?, NULL)",
      {TokenHash(key), device.value, std::string(label), now}));
  return key;
}

Result<Caller> AuthenticateApiKey(store::Executor& ex, std::string_view key, int64_t now,
                                  int64_t* expires_at) {
  ASSIGN_OR_RETURN(auto r, ex.Query(kCallerSelect, {TokenHash(key), "api_key", now}));
  if (r.empty()) return Status::Unauthenticated("API key is unknown or revoked");
  if (expires_at) *expires_at = ExpiresAt(r);
  return CallerFrom(r);
}

Status LogAccess(store::Executor& ex, const Caller& caller, PersonId person,
                 std::string_view action, int64_t now) {
  static constexpr std::string_view kInsert =
      "INSERT INTO access_log (at, user_id, person_id, action) VALUES (?, ?, ?, ?)";
  store::Params row = {now, caller.user.value, person.value, std::string(action)};
  // Inside a transaction the row rides on its commit. A read outside one would otherwise pay
  // for a commit of its own, most of what the read costs: such rows are committed in batches.
  store::Database& db = ex.database();
  if (static_cast<store::Executor*>(&db) == &ex) {
    db.Defer(std::string(kInsert), std::move(row));
    return Status::Ok();
  }
  return ex.Exec(kInsert, row).status();
}

Result<std::vector<AccessEntry>> ListAccess(store::Executor& ex, const std::string& under_path,
                                            std::optional<PersonId> person, int limit) {
  // Reads logged a moment ago are in the log when it is read (LogAccess defers them). Inside a
  // transaction the flush would wait for that transaction's own write lock on SQLite.
  if (static_cast<store::Executor*>(&ex.database()) == &ex) {
    RETURN_IF_ERROR(ex.database().FlushDeferred());
  }
  // The command line acts as user 0, which has no row: it reads as "(command line)".
  std::string sql =
      "SELECT a.at, a.user_id, COALESCE(u.username, '(command line)'), a.person_id, a.action FROM "
      "access_log a "
      "LEFT JOIN app_user u ON u.id = a.user_id JOIN person p ON p.id = a.person_id JOIN org_unit "
      "o ON o.id = "
      "p.org_unit_id WHERE ";
  store::Params params;
  sql += store::UnderPath(ex, "o.path", under_path, &params);
  if (person) sql += " AND a.person_id = ?", params.push_back(person->value);
  params.push_back(limit);
  // By time: a deferred read's row gets its id when its batch commits.
  auto r = ex.Query(sql + " ORDER BY a.at DESC, a.id DESC LIMIT ?", params);
  RETURN_IF_ERROR(r);
  std::vector<AccessEntry> out;
  for (size_t i = 0; i < r->size(); ++i) {
    out.push_back(
        {r->Int(i, 0), UserId(r->Int(i, 1)), r->Text(i, 2), PersonId(r->Int(i, 3)), r->Text(i, 4)});
  }
  return out;
}

}  // namespace mekong::registry
