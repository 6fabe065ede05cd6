// The registry's service: sign-in (with limits on failed attempts), the org-unit tree, people,
// travellers' self-registration, venues, facilities, users and the access log, each call
// checked against the caller's capability and scope (access.h).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mekong/core/config.h"
#include "mekong/core/time.h"
#include "mekong/registry/access.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::registry {

struct ServiceOptions {
  int64_t session_ttl_ms = 12 * kMillisPerHour;
  int max_failed_logins = 5;               // per account within the lockout window
  int max_failed_logins_per_address = 30;  // per client address within the window
  int64_t lockout_ms = 15 * kMillisPerMinute;
  int max_registrations_per_address_hour = 20;
  int64_t feed_poll_ms = 200;

  static ServiceOptions From(const Config& config);
};

// A traveller registering themself (public): their person record, where they stay, and the
// citizen account they will sign in with.
struct NewRegistration {
  Person person;  // org_unit: where they stay
  std::string username, password;
};

struct Registration {
  int64_t id = 0;
  Person person;
  UserId user;
  std::string username;
  std::string status;  // "pending", "confirmed", "rejected"
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
  std::optional<UserId> decided_by;
  std::string reason;
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, ServiceOptions options);
  ~Service();

  // A server starts following the feed: from then on callers are remembered by token, and
  // forgotten when the feed says a token changed (kTokensTopic). Without Start every request
  // reads its token from the store.
  void Start();
  void Stop();

  // ---- Sign-in ----
  // resource_exhausted (429) after too many failed attempts for the account or from the
  // address within the lockout window; every failure is logged. An unknown username costs the
  // same password-hashing time as a known one, so timing does not tell which exist.
  Result<Session> Login(std::string_view username, std::string_view password,
                        std::string_view address);
  Status Logout(std::string_view token);
  // A logout takes effect at once on this server and on the others within the feed's poll.
  Result<Caller> Authenticate(std::string_view session_token);
  Result<Caller> AuthenticateApiKey(std::string_view key);

  // ---- Org units ----
  Result<std::vector<OrgUnit>> OrgUnits(std::optional<OrgUnitId> parent);  // the tree is not secret
  Result<OrgUnit> OrgUnitById(OrgUnitId id);
  Result<OrgUnit> CreateOrgUnit(const Caller& by, const NewOrgUnit& in);

  // ---- People ----
  Result<Person> RegisterPerson(const Caller& by, const Person& in);
  Result<Person> ReadPerson(const Caller& by, PersonId id, std::string_view action);
  // People in the caller's unit, or in `unit` below it.
  Result<std::vector<Person>> ListPeople(const Caller& by, std::optional<OrgUnitId> unit,
                                         std::string name_prefix, int limit, int offset);

  // ---- Travellers' self-registration ----
  // Public: creates the person and a citizen account at once (they can sign in and check in);
  // an officer of the unit where they stay confirms the document later. A document already
  // registered is already_exists naming document_number; at most a few registrations an hour
  // from one address.
  Result<Registration> Register(const NewRegistration& in, std::string_view address);
  Result<std::vector<Registration>> Registrations(const Caller& by,
                                                  std::optional<std::string> status, int limit,
                                                  int offset);
  // Confirms or rejects a pending registration; a rejected account can no longer sign in.
  Result<Registration> Decide(const Caller& by, int64_t id, bool confirm, std::string_view reason);

  // ---- Venues and facilities ----
  Result<Venue> CreateVenue(const Caller& by, const Venue& in);
  Result<Venue> VenueById(const Caller& by, VenueId id);
  Result<std::vector<Venue>> ListVenues(const Caller& by, int limit, int offset);
  // The venue's signed poster text, for someone who manages it.
  Result<std::string> Poster(const Caller& by, VenueId id, Venue* venue = nullptr);
  Result<Facility> CreateFacility(const Caller& by, const Facility& in);
  Result<std::vector<Facility>> ListFacilities(const Caller& by);

  // ---- Users ----
  struct CreatedUser {
    UserId id;
    std::string api_key;  // devices only, shown once
  };
  // An administrator adds users in their own unit's subtree, and never one above their own role.
  Result<CreatedUser> CreateUser(const Caller& by, const NewUser& in);
  Result<std::vector<User>> ListUsers(const Caller& by, int limit, int offset);

  // ---- Access log ----
  // Reads of personal data by staff, for people in the caller's unit (or one person).
  Result<std::vector<AccessEntry>> AccessLog(const Caller& by, std::optional<PersonId> person,
                                             int limit);

  // Deletes sign-in failures older than the lockout window (the server sweeps).
  Result<int64_t> Sweep();

 private:
  // A token's caller, read from the store or remembered: every authenticated request asks,
  // and the remembered answer saves a query on the request's critical path.
  Result<Caller> Resolve(std::string_view token, bool api_key);
  Status Forget(const store::Change& change);

  struct Remembered {
    Caller caller;
    int64_t expires_at = 0;
    bool api_key = false;
  };
  store::Database& db_;
  const Clock& clock_;
  const ServiceOptions options_;
  std::atomic<bool> remembering_{false};
  std::mutex tokens_mu_;
  std::unordered_map<std::string, Remembered> tokens_;  // by token hash
  uint64_t forgotten_ = 0;  // rises on every Forget: a read older than one is not remembered
  store::Follower follower_;
};

}  // namespace mekong::registry
