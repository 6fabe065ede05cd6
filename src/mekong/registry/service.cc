#include "mekong/registry/service.h"

#include <map>

#include "mekong/core/crypto.h"
#include "mekong/core/log.h"

namespace mekong::registry {

namespace {

int RoleRank(Role r) {
  // Who may create whom: an administrator any role; nobody an administrator but another.
  return r == Role::kAdmin ? 2 : 1;
}

}  // namespace

ServiceOptions ServiceOptions::From(const Config& config) {
  ServiceOptions o;
  o.session_ttl_ms = int64_t{config.session_ttl_hours} * kMillisPerHour;
  o.max_failed_logins = config.max_failed_logins;
  o.max_failed_logins_per_address = config.max_failed_logins_per_address;
  o.lockout_ms = int64_t{config.lockout_minutes} * kMillisPerMinute;
  return o;
}

Service::Service(store::Database& db, const Clock& clock, ServiceOptions options)
    : db_(db),
      clock_(clock),
      options_(options),
      follower_(
          db, "registry", {std::string(kTokensTopic)},
          [this](const store::Change& c) { return Forget(c); }, options_.feed_poll_ms) {}

Service::~Service() { Stop(); }

void Service::Start() {
  auto head = store::LatestSeq(db_);
  follower_.Start(head.ok() ? *head : 0);
  remembering_ = true;
}

void Service::Stop() {
  remembering_ = false;
  follower_.Stop();
  std::lock_guard lock(tokens_mu_);
  tokens_.clear();
}

Status Service::Forget(const store::Change& change) {
  std::lock_guard lock(tokens_mu_);
  ++forgotten_;
  if (change.payload.empty()) {
    tokens_.clear();
  } else {
    tokens_.erase(change.payload);
  }
  return Status::Ok();
}

Result<Caller> Service::Resolve(std::string_view token, bool api_key) {
  const int64_t now = clock_.NowMillis();
  auto read = [&](int64_t* expires_at) {
    return api_key ? registry::AuthenticateApiKey(db_, token, now, expires_at)
                   : registry::Authenticate(db_, token, now, expires_at);
  };
  if (!remembering_) return read(nullptr);
  // A key must not pass as a session, nor a session as a key: the kind is remembered too.
  std::string key = TokenHash(token);
  uint64_t generation = 0;
  {
    std::lock_guard lock(tokens_mu_);
    auto it = tokens_.find(key);
    if (it != tokens_.end() && it->second.expires_at > now && it->second.api_key == api_key) {
      return it->second.caller;
    }
    generation = forgotten_;
  }
  int64_t expires_at = 0;
  ASSIGN_OR_RETURN(Caller caller, read(&expires_at));
  std::lock_guard lock(tokens_mu_);
  if (generation == forgotten_) {
    if (tokens_.size() >= 100'000) tokens_.clear();  // bounded: the busy ones come back
    tokens_[std::move(key)] = {caller, expires_at, api_key};
  }
  return caller;
}

Result<Session> Service::Login(std::string_view username, std::string_view password,
                               std::string_view address) {
  const int64_t now = clock_.NowMillis();
  const int64_t since = now - options_.lockout_ms;
  const std::string user(username), addr(address);
  ASSIGN_OR_RETURN(
      auto counts,
      db_.Query("SELECT (SELECT COUNT(*) FROM login_failure WHERE username = ? AND at > ?), "
                "(SELECT COUNT(*) FROM login_failure WHERE address = ? AND at > ?)",
                {user, since, addr, since}));
  const int64_t minutes = options_.lockout_ms / kMillisPerMinute;
  if (counts.Int(0, 0) >= options_.max_failed_logins) {
    log::Warn("login_locked", {{"username", user}, {"address", addr}});
    return Status(Code::kResourceExhausted,
                  "too many failed sign-ins for this account; try again in " +
                      std::to_string(minutes) + " minutes",
                  "username");
  }
  if (counts.Int(0, 1) >= options_.max_failed_logins_per_address) {
    log::Warn("login_locked_address", {{"username", user}, {"address", addr}});
    return Status(Code::kResourceExhausted,
                  "too many failed sign-ins from this address; try again in " +
                      std::to_string(minutes) + " minutes");
  }
  auto session = registry::Login(db_, username, password, now, options_.session_ttl_ms);
  if (session.ok()) {
    RETURN_IF_ERROR(db_.Exec("DELETE FROM login_failure WHERE username = ?", {user}));
    return session;
  }
  if (session.status().code() != Code::kUnauthenticated) return session.status();
  RETURN_IF_ERROR(db_.Exec("INSERT INTO login_failure (username, address, at) VALUES (?, ?, ?)",
                           {user, addr, now}));
  log::Warn("login_failed", {{"username", user}, {"address", addr}});
  return Status::Unauthenticated("wrong username or password");
}

Status Service::Logout(std::string_view token) {
  RETURN_IF_ERROR(db_.Transact(
      [&](store::Executor& tx) { return registry::Logout(tx, token, clock_.NowMillis()); }));
  return remembering_ ? follower_.CatchUp() : Status::Ok();
}

Result<Caller> Service::Authenticate(std::string_view token) { return Resolve(token, false); }

Result<Caller> Service::AuthenticateApiKey(std::string_view key) { return Resolve(key, true); }

Result<std::vector<OrgUnit>> Service::OrgUnits(std::optional<OrgUnitId> parent) {
  if (parent) {
    auto p = GetOrgUnit(db_, *parent);
    if (!p.ok())
      return p.status().code() == Code::kNotFound
                 ? Status::NotFound(p.status().message(), "parent_id")
                 : p.status();
  }
  return ListOrgUnits(db_, parent);
}

Result<OrgUnit> Service::OrgUnitById(OrgUnitId id) { return GetOrgUnit(db_, id); }

Result<OrgUnit> Service::CreateOrgUnit(const Caller& by, const NewOrgUnit& in) {
  RETURN_IF_ERROR(Require(by, Capability::kManageOrgUnits));
  OrgUnit made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    if (!in.parent) {
      if (by.org_path != "/")
        return Status::PermissionDenied("a new top-level unit is added from the command line");
    } else {
      auto parent = GetOrgUnit(tx, *in.parent);
      if (!parent.ok()) return Status::NotFound(parent.status().message(), "parent_id");
      RETURN_IF_ERROR(RequireCovers(by, parent->path));
    }
    ASSIGN_OR_RETURN(made, registry::CreateOrgUnit(tx, in));
    return Status::Ok();
  }));
  return made;
}

Result<Person> Service::RegisterPerson(const Caller& by, const Person& in) {
  RETURN_IF_ERROR(Require(by, Capability::kRegisterPeople));
  Person made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = GetOrgUnit(tx, in.org_unit);
    if (!unit.ok()) return Status::NotFound(unit.status().message(), "org_unit_id");
    RETURN_IF_ERROR(RequireCovers(by, unit->path));
    ASSIGN_OR_RETURN(made, CreatePerson(tx, in, clock_.NowMillis()));
    return LogAccess(tx, by, made.id, "create person", clock_.NowMillis());
  }));
  return made;
}

Result<Person> Service::ReadPerson(const Caller& by, PersonId id, std::string_view action) {
  RETURN_IF_ERROR(Require(by, Capability::kReadPeople));
  return registry::ReadPerson(db_, by, id, action, clock_.NowMillis());
}

Result<std::vector<Person>> Service::ListPeople(const Caller& by, std::optional<OrgUnitId> unit,
                                                std::string name_prefix, int limit, int offset) {
  RETURN_IF_ERROR(Require(by, Capability::kReadPeople));
  if (by.role == Role::kCitizen)
    return Status::PermissionDenied("citizens see only their own record");
  PersonQuery q{by.org_path, std::move(name_prefix), limit, offset};
  if (unit) {
    auto u = GetOrgUnit(db_, *unit);
    if (!u.ok() || !Covers(by, u->path)) {
      return Status::NotFound("no org unit " + std::to_string(unit->value) + " in your unit",
                              "org_unit_id");
    }
    q.under_path = u->path;
  }
  if (q.name_prefix.find_first_of("%_") != std::string::npos) {
    return Status::InvalidArgument("must not contain % or _", "name");
  }
  return registry::ListPeople(db_, q);
}

Result<Registration> Service::Register(const NewRegistration& in, std::string_view address) {
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(
      auto recent,
      db_.Query("SELECT COUNT(*) FROM registration WHERE address = ? AND created_at > ?",
                {std::string(address), now - kMillisPerHour}));
  if (recent.Int(0, 0) >= options_.max_registrations_per_address_hour) {
    return Status(Code::kResourceExhausted,
                  "too many registrations from this address; try again in an hour");
  }
  Registration out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = GetOrgUnit(tx, in.person.org_unit);
    if (!unit.ok()) return Status::NotFound(unit.status().message(), "org_unit_id");
    ASSIGN_OR_RETURN(out.person, CreatePerson(tx, in.person, now));
    ASSIGN_OR_RETURN(out.user, registry::CreateUser(tx,
                                                    {in.username, in.password, Role::kCitizen,
                                                     in.person.org_unit, out.person.id},
                                                    now));
    ASSIGN_OR_RETURN(
        auto r,
        tx.Query("INSERT INTO registration (person_id, user_id, org_unit_id, status, address, "
                 "created_at) VALUES (?, ?, ?, 'pending', ?, ?) RETURNING id",
                 {out.person.id.value, out.user.value, in.person.org_unit.value,
                  std::string(address), now}));
    out.id = r.Int(0, 0);
    return Status::Ok();
  }));
  out.username = in.username;
  out.status = "pending";
  out.created_at = now;
  log::Info("registration",
            {{"id", std::to_string(out.id)}, {"person_id", std::to_string(out.person.id.value)}});
  return out;
}

namespace {

constexpr const char* kRegistrationSelect =
    "SELECT r.id, r.person_id, r.user_id, u.username, r.status, r.created_at, r.decided_at, "
    "r.decided_by, r.reason "
    "FROM registration r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = "
    "r.org_unit_id";

Result<std::vector<Registration>> RegistrationsFrom(store::Executor& ex, const store::Rows& r) {
  std::vector<PersonId> ids;
  for (size_t i = 0; i < r.size(); ++i) ids.push_back(PersonId(r.Int(i, 1)));
  ASSIGN_OR_RETURN(auto people, GetPeople(ex, ids));
  std::map<int64_t, Person> by_id;
  for (auto& p : people) by_id[p.id.value] = std::move(p);
  std::vector<Registration> out;
  for (size_t i = 0; i < r.size(); ++i) {
    Registration g;
    g.id = r.Int(i, 0);
    g.person = by_id[r.Int(i, 1)];
    g.user = UserId(r.Int(i, 2));
    g.username = r.Text(i, 3);
    g.status = r.Text(i, 4);
    g.created_at = r.Int(i, 5);
    g.decided_at = r.OptInt(i, 6);
    if (!r.IsNull(i, 7)) g.decided_by = UserId(r.Int(i, 7));
    g.reason = r.Text(i, 8);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

Result<std::vector<Registration>> Service::Registrations(const Caller& by,
                                                         std::optional<std::string> status,
                                                         int limit, int offset) {
  RETURN_IF_ERROR(Require(by, Capability::kRegisterPeople));
  if (status && *status != "pending" && *status != "confirmed" && *status != "rejected") {
    return Status::InvalidArgument("must be pending, confirmed or rejected", "status");
  }
  store::Params p;
  std::string sql = std::string(kRegistrationSelect) + " WHERE " +
                    store::UnderPath(db_, "o.path", by.org_path, &p);
  if (status) sql += " AND r.status = ?", p.push_back(*status);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, db_.Query(sql + " ORDER BY r.id DESC LIMIT ? OFFSET ?", p));
  return RegistrationsFrom(db_, r);
}

Result<Registration> Service::Decide(const Caller& by, int64_t id, bool confirm,
                                     std::string_view reason) {
  RETURN_IF_ERROR(Require(by, Capability::kRegisterPeople));
  const int64_t now = clock_.NowMillis();
  Registration out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto r, tx.Query(std::string(kRegistrationSelect) + " WHERE r.id = ?", {id}));
    if (r.empty()) return Status::NotFound("no registration " + std::to_string(id), "id");
    ASSIGN_OR_RETURN(auto list, RegistrationsFrom(tx, r));
    out = list.front();
    if (!Covers(by, out.person.org_path))
      return Status::NotFound("no registration " + std::to_string(id), "id");
    if (out.status != "pending")
      return Status::FailedPrecondition("the registration is already " + out.status);
    if (!confirm && reason.empty())
      return Status::InvalidArgument("say why the registration is rejected", "reason");
    out.status = confirm ? "confirmed" : "rejected";
    out.decided_at = now;
    out.decided_by = by.user;
    out.reason = std::string(reason);
    RETURN_IF_ERROR(
        tx.Exec("UPDATE registration SET status = ?, decided_at = ?, decided_by = ?, reason = ? "
                "WHERE id = ?",
                {out.status, now, by.user.value, out.reason, id}));
    if (!confirm) {
      // The account goes with the rejection: no password verifies, no session survives.
      RETURN_IF_ERROR(
          tx.Exec("UPDATE app_user SET password_hash = '' WHERE id = ?", {out.user.value}));
      RETURN_IF_ERROR(tx.Exec("DELETE FROM auth_token WHERE user_id = ?", {out.user.value}));
      RETURN_IF_ERROR(PublishTokensChanged(tx, now));
    }
    return LogAccess(tx, by, out.person.id,
                     confirm ? "confirm registration" : "reject registration", now);
  }));
  if (remembering_ && !confirm) RETURN_IF_ERROR(follower_.CatchUp());  // its sessions ended
  return out;
}

Result<Venue> Service::CreateVenue(const Caller& by, const Venue& in) {
  RETURN_IF_ERROR(Require(by, Capability::kManageVenues));
  Venue made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = GetOrgUnit(tx, in.org_unit);
    if (!unit.ok()) return Status::NotFound(unit.status().message(), "org_unit_id");
    RETURN_IF_ERROR(RequireCovers(by, unit->path));
    ASSIGN_OR_RETURN(made, registry::CreateVenue(tx, in, clock_.NowMillis()));
    return Status::Ok();
  }));
  return made;
}

Result<Venue> Service::VenueById(const Caller& by, VenueId id) {
  RETURN_IF_ERROR(Require(by, Capability::kReadVenues));
  return VisibleVenue(db_, by, id);
}

Result<std::vector<Venue>> Service::ListVenues(const Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(Require(by, Capability::kReadVenues));
  return registry::ListVenues(db_, by.org_path, limit, offset);
}

Result<std::string> Service::Poster(const Caller& by, VenueId id, Venue* venue) {
  RETURN_IF_ERROR(Require(by, Capability::kManageVenues));
  ASSIGN_OR_RETURN(auto v, VisibleVenue(db_, by, id));
  if (venue) *venue = v;
  return PosterText(db_, v.id);
}

Result<Facility> Service::CreateFacility(const Caller& by, const Facility& in) {
  RETURN_IF_ERROR(Require(by, Capability::kManageFacilities));
  Facility made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = GetOrgUnit(tx, in.org_unit);
    if (!unit.ok()) return Status::NotFound(unit.status().message(), "org_unit_id");
    RETURN_IF_ERROR(RequireCovers(by, unit->path));
    ASSIGN_OR_RETURN(made, registry::CreateFacility(tx, in, clock_.NowMillis()));
    return Status::Ok();
  }));
  return made;
}

Result<std::vector<Facility>> Service::ListFacilities(const Caller& by) {
  RETURN_IF_ERROR(Require(by, Capability::kReadFacilities));
  return registry::ListFacilities(db_, by.org_path);
}

Result<Service::CreatedUser> Service::CreateUser(const Caller& by, const NewUser& in) {
  RETURN_IF_ERROR(Require(by, Capability::kManageUsers));
  if (RoleRank(in.role) > RoleRank(by.role))
    return Status::PermissionDenied("you may not create this role");
  CreatedUser out;
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = GetOrgUnit(tx, in.org_unit);
    if (!unit.ok()) return Status::NotFound(unit.status().message(), "org_unit_id");
    RETURN_IF_ERROR(RequireCovers(by, unit->path));
    if (in.person) {
      auto p = GetPerson(tx, *in.person);
      if (!p.ok() || !Covers(by, p->org_path)) {
        return Status::NotFound("no person " + std::to_string(in.person->value) + " in your unit",
                                "person_id");
      }
    }
    ASSIGN_OR_RETURN(out.id, registry::CreateUser(tx, in, now));
    if (in.role == Role::kDevice) {
      ASSIGN_OR_RETURN(out.api_key, IssueApiKey(tx, out.id, in.username, now));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<User>> Service::ListUsers(const Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(Require(by, Capability::kManageUsers));
  return registry::ListUsers(db_, by.org_path, limit, offset);
}

Result<std::vector<AccessEntry>> Service::AccessLog(const Caller& by,
                                                    std::optional<PersonId> person, int limit) {
  RETURN_IF_ERROR(Require(by, Capability::kReadAccessLog));
  if (person)
    RETURN_IF_ERROR(
        registry::ReadPerson(db_, by, *person, "read access log", clock_.NowMillis(), "person_id"));
  return ListAccess(db_, by.org_path, person, limit);
}

Result<int64_t> Service::Sweep() {
  return db_.Exec("DELETE FROM login_failure WHERE at < ?",
                  {clock_.NowMillis() - options_.lockout_ms});
}

}  // namespace mekong::registry
