// Users, roles scoped to an org unit, session tokens, device API keys and the access log.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"

namespace mekong::registry {

enum class Role {
  kAdmin,
  kCommandOfficer,
  kTracer,
  kLabTechnician,
  kClinician,
  kVenueOperator,
  kCheckpointOfficer,
  kCitizen,
  kDevice,
};

std::string_view RoleName(Role role);
Result<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();

// Who is calling: resolved from a session token or an API key for every authenticated request.
struct Caller {
  UserId user;
  std::string username;
  Role role = Role::kCitizen;
  OrgUnitId org_unit;
  std::string org_path;            // the caller may act on things under this path
  std::optional<PersonId> person;  // a citizen's own person record
  std::string time_zone;           // their org unit's (IANA): the day they live by
};

// True when the caller may see or act on something in the org unit with `path`.
bool Covers(const Caller& caller, const std::string& path);

struct NewUser {
  std::string username;
  std::string password;  // empty for devices, which authenticate with API keys
  Role role = Role::kCitizen;
  OrgUnitId org_unit;
  std::optional<PersonId> person;
};

Result<UserId> CreateUser(store::Executor& ex, const NewUser& in, int64_t now);

struct User {
  UserId id;
  std::string username;
  Role role = Role::kCitizen;
  OrgUnitId org_unit;
  std::optional<PersonId> person;
  int64_t created_at = 0;
};
Result<User> GetUser(store::Executor& ex, UserId id);
// The usernames of `ids` that exist (a history's "who"), by id.
Result<std::map<int64_t, std::string>> Usernames(store::Executor& ex, std::span<const UserId> ids);
// Users of org units under `under_path`, by id.
Result<std::vector<User>> ListUsers(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset);

// Users holding `role` in exactly the org unit `unit`, by id (a commune's tracers).
Result<std::vector<User>> UsersWithRole(store::Executor& ex, OrgUnitId unit, Role role);
// Users holding `role` in the unit at `under_path` or any unit under it, by id.
Result<std::vector<User>> UsersWithRoleUnder(store::Executor& ex, const std::string& under_path,
                                             Role role);

struct Session {
  std::string token;  // shown once; only its hash is stored
  int64_t expires_at = 0;
  Caller caller;
};

// Checks the password and opens a session lasting `ttl_ms`. A wrong username and a wrong
// password give the same error.
Result<Session> Login(store::Executor& ex, std::string_view username, std::string_view password,
                      int64_t now, int64_t ttl_ms);
// Ends a session, inside `tx`'s transaction (it publishes kTokensTopic).
Status Logout(store::Executor& tx, std::string_view token, int64_t now);
// Resolves a session token; unauthenticated when unknown, revoked or expired. `expires_at`,
// when given, receives when the session ends.
Result<Caller> Authenticate(store::Executor& ex, std::string_view token, int64_t now,
                            int64_t* expires_at = nullptr);

// The feed's topic for tokens that stopped working or whose caller changed: the payload is
// the token's hash (one token), or empty (any token may have changed). Servers that remember
// callers by token forget them on it (registry::Service).
inline constexpr std::string_view kTokensTopic = "registry.tokens";
// Publishes "any token may have changed" in `tx`'s transaction.
Status PublishTokensChanged(store::Executor& tx, int64_t now);
// A token's hash: the key tokens are stored and remembered under.
std::string TokenHash(std::string_view token);

// Issues an API key for a device user. The key is returned once; only its hash is stored.
Result<std::string> IssueApiKey(store::Executor& ex, UserId device, std::string_view label,
                                int64_t now);
Result<Caller> AuthenticateApiKey(store::Executor& ex, std::string_view key, int64_t now,
                                  int64_t* expires_at = nullptr);

// Records that `caller` read or changed `person`'s personal data: in the transaction `ex`
// belongs to, or, outside one, in the next batch of deferred writes (store::Database::Defer).
Status LogAccess(store::Executor& ex, const Caller& caller, PersonId person,
                 std::string_view action, int64_t now);

struct AccessEntry {
  int64_t at = 0;
  UserId user;
  std::string username;
  PersonId person;
  std::string action;
};
// Newest first, for people under `under_path` (and one person, when given).
Result<std::vector<AccessEntry>> ListAccess(store::Executor& ex, const std::string& under_path,
                                            std::optional<PersonId> person, int limit);

}  // namespace mekong::registry
