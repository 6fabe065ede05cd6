#include "mekong/healthcode/service.h"

#include <nlohmann/json.hpp>

#include "mekong/core/json.h"
#include "mekong/core/zone.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::healthcode {

using registry::Capability;
using registry::Role;

ServiceOptions ServiceOptions::From(const Config& config) {
  ServiceOptions o;
  o.issuer = config.issuer;
  o.authority = config.authority;
  o.credential_validity_ms = int64_t{config.credential_validity_hours} * kMillisPerHour;
  return o;
}

Service::Service(store::Database& db, const Clock& clock, ServiceOptions options)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      follower_(
          db, "healthcode", {std::string(kTrustTopic), std::string(kPolicyTopic)},
          [this](const store::Change& c) { return Invalidate(c); }, options_.feed_poll_ms) {}

Service::~Service() { Stop(); }

void Service::Start() {
  auto head = store::LatestSeq(db_);
  follower_.Start(head.ok() ? *head : 0);
}

void Service::Stop() { follower_.Stop(); }

Status Service::Invalidate(const store::Change& change) {
  std::lock_guard lock(mu_);
  if (change.topic == kTrustTopic) bundle_.reset();
  if (change.topic == kPolicyTopic) policy_.reset();
  return Status::Ok();
}

namespace {

// kTestTopic's payload (docs/formats/change-feed.md): "<org unit> <positive 0|1> <sampled_at>".
std::string TestChange(OrgUnitId unit, const NewTest& in) {
  return std::to_string(unit.value) + " " + (in.positive ? "1" : "0") + " " +
         std::to_string(in.sampled_at);
}

// A reader's zone enters here: one core/zone refuses is an error naming the field.
Status CheckReader(const Reader& reader) {
  if (!reader.zone.empty()) {
    if (Status s = ValidateZone(reader.zone); !s.ok())
      return Status::InvalidArgument(s.message(), "tz");
  }
  return Status::Ok();
}

}  // namespace

Result<HealthCode> Service::Code(const registry::Caller& by, PersonId person,
                                 const Reader& reader) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadHealthCodes));
  RETURN_IF_ERROR(CheckReader(reader));
  const int64_t now = clock_.NowMillis();
  if (by.role == Role::kCheckpointOfficer) {
    // Checkpoints verify travellers from anywhere; the read is still logged.
    auto p = registry::GetPerson(db_, person);
    if (!p.ok())
      return p.status().code() == Code::kNotFound ? Status::NotFound(p.status().message(), "id")
                                                  : p.status();
    RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) {
      return registry::LogAccess(tx, by, person, "read health code", now);
    }));
  } else {
    RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "read health code", now));
  }
  return Compute(db_, person, now, reader);
}

Result<Credential> Service::IssueCredential(const registry::Caller& by, PersonId person) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kHoldCredential));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "issue health code", now));
  Credential c;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(c, Issue(tx, person, options_.issuer, now, options_.credential_validity_ms));
    return Status::Ok();
  }));
  // A key made by this issue is in the feed; reading it now keeps this process's bundle current.
  RETURN_IF_ERROR(follower_.CatchUp());
  return c;
}

Result<Summary> Service::Counts(const registry::Caller& by, std::optional<OrgUnitId> unit) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadHealthCodes));
  if (by.role == Role::kCitizen || by.role == Role::kCheckpointOfficer) {
    return Status::PermissionDenied("counts are for staff of a unit");
  }
  Summary s{by.org_unit};
  std::string path = by.org_path;
  if (unit) {
    auto u = registry::GetOrgUnit(db_, *unit);
    if (!u.ok() || !registry::Covers(by, u->path)) {
      return Status::NotFound("no org unit " + std::to_string(unit->value) + " in your unit",
                              "org_unit_id");
    }
    s.org_unit = u->id;
    path = u->path;
  }
  ASSIGN_OR_RETURN(s.counts, CountCodes(db_, path));
  ASSIGN_OR_RETURN(auto policy, ActivePolicy());
  s.policy_version = policy.version;
  return s;
}

Result<std::vector<Summary>> Service::ChildCounts(const registry::Caller& by,
                                                  std::optional<OrgUnitId> unit) {
  ASSIGN_OR_RETURN(auto parent, Counts(by, unit));
  ASSIGN_OR_RETURN(auto children, registry::ListOrgUnits(db_, parent.org_unit));
  std::vector<Summary> out;
  for (const auto& c : children) {
    Summary s{c.id, {}, parent.policy_version};
    ASSIGN_OR_RETURN(s.counts, CountCodes(db_, c.path));
    out.push_back(s);
  }
  return out;
}

Result<std::shared_ptr<const TrustBundle>> Service::Bundle() {
  std::lock_guard lock(mu_);
  if (!bundle_) {
    ASSIGN_OR_RETURN(auto b, LoadBundle(db_, clock_.NowMillis()));
    bundle_ = std::make_shared<const TrustBundle>(std::move(b));
  }
  return bundle_;
}

Result<Verdict> Service::Verify(const registry::Caller& by, const std::vector<std::string>& texts,
                                std::optional<int64_t> at) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kVerify));
  if (texts.empty()) return Status::InvalidArgument("must not be empty", "qr");
  if (texts.size() > 16) return Status::InvalidArgument("at most 16 parts", "qr");
  ASSIGN_OR_RETURN(auto bundle, Bundle());
  return healthcode::Verify(texts, *bundle, at.value_or(clock_.NowMillis()));
}

Result<PersonId> Service::PersonForVerifiedCode(const std::string& qr, int64_t at) {
  ASSIGN_OR_RETURN(auto bundle, Bundle());
  Verdict v = healthcode::Verify({qr}, *bundle, at);
  if (v.format != "mekong" || !v.valid) {
    return Status::InvalidArgument("not a valid Mekong health code: " + v.reason, "qr");
  }
  ASSIGN_OR_RETURN(auto details, ParseJson(v.details_json, "qr"));
  return PersonForCode(db_, details.value("code_id", ""));
}

Result<std::vector<KeyInfo>> Service::PublishedKeys() {
  return healthcode::PublishedKeys(db_, clock_.NowMillis());
}

Result<std::vector<std::string>> Service::Revoked() { return healthcode::Revoked(db_); }

Status Service::TrustEu(const registry::Caller& by, std::string_view certificate,
                        std::string_view country) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTrust));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) {
    return TrustEuCertificate(tx, certificate, country, clock_.NowMillis());
  }));
  return follower_.CatchUp();
}

Result<int> Service::TrustShc(const registry::Caller& by, std::string_view issuer,
                              std::string_view jwks) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTrust));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  int n = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(n, TrustShcIssuer(tx, issuer, jwks, clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return n;
}

Result<int> Service::ImportShcCrl(const registry::Caller& by, std::string_view issuer,
                                  std::string_view crl) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTrust));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  int n = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(n, healthcode::ImportShcCrl(tx, issuer, crl, clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return n;
}

Status Service::Revoke(const registry::Caller& by, std::string_view credential_id,
                       std::string_view reason) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRevokeCredentials));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto holder, CredentialHolder(tx, credential_id));
    // A credential of someone outside the caller's unit reads like one that was never issued.
    if (!holder)
      return Status::NotFound("no credential " + std::string(credential_id) + " issued",
                              "credential_id");
    auto p = registry::ReadPerson(tx, by, *holder, "revoke health code", now, "credential_id");
    if (!p.ok()) {
      return p.status().code() == Code::kNotFound
                 ? Status::NotFound("no credential " + std::string(credential_id) + " issued",
                                    "credential_id")
                 : p.status();
    }
    return healthcode::Revoke(tx, credential_id, reason, now);
  }));
  return follower_.CatchUp();
}

Result<KeyInfo> Service::RotateKeys(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTrust));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  KeyInfo k;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(k, RotateKey(tx, clock_.NowMillis(), options_.credential_validity_ms));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return k;
}

Result<IssuedDcc> Service::IssueDcc(const registry::Caller& by, PersonId person, DccRequest in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kIssueCertificates));
  const int64_t now = clock_.NowMillis();
  in.country = options_.issuer;
  in.authority = options_.authority;
  IssuedDcc out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, person, "issue EU DCC", now));
    ASSIGN_OR_RETURN(out, healthcode::IssueDcc(tx, person, in, now));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());  // the signer may be new
  return out;
}

Result<std::vector<IssuedDcc>> Service::IssuedDccs(const registry::Caller& by, PersonId person) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kHoldCredential));
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "list EU DCCs", clock_.NowMillis()));
  return healthcode::IssuedDccs(db_, person);
}

Result<DccSigner> Service::Signer() {
  DccSigner signer;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(signer, DccSignerCertificate(tx, options_.issuer, clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return signer;
}

Result<Policy> Service::ActivePolicy() {
  std::lock_guard lock(mu_);
  if (!policy_) {
    ASSIGN_OR_RETURN(auto p, healthcode::ActivePolicy(db_));
    policy_ = std::move(p);
  }
  return *policy_;
}

Result<std::vector<PolicyVersion>> Service::PolicyVersions(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadPolicy));
  return healthcode::PolicyVersions(db_);
}

Result<PolicyVersion> Service::GetPolicy(const registry::Caller& by,
                                         std::optional<int64_t> version) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadPolicy));
  if (!version) {
    ASSIGN_OR_RETURN(auto versions, healthcode::PolicyVersions(db_));
    return versions.front();
  }
  auto v = GetPolicyVersion(db_, *version);
  if (!v.ok() && v.status().code() == Code::kNotFound) {
    return Status::NotFound("no policy version " + std::to_string(*version), "version");
  }
  return v;
}

Result<Activation> Service::ActivatePolicy(const registry::Caller& by, std::string_view text) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePolicy));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  Activation done;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(done, healthcode::ActivatePolicy(tx, text, by.user.value, clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return done;
}

namespace {

// The org-unit path a risk area covers, for scope checks.
Result<std::string> AreaPath(store::Executor& ex, const RiskArea& a) {
  if (a.venue) {
    auto v = registry::GetVenue(ex, *a.venue);
    if (!v.ok()) return Status::NotFound(v.status().message(), "venue_id");
    return v->org_path;
  }
  auto u = registry::GetOrgUnit(ex, *a.org_unit);
  if (!u.ok()) return Status::NotFound(u.status().message(), "org_unit_id");
  return u->path;
}

}  // namespace

Result<Activation> Service::DeclareRiskArea(const registry::Caller& by, RiskArea area) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kDeclareRiskAreas));
  if (area.venue.has_value() == area.org_unit.has_value()) {
    return Status::InvalidArgument("give org_unit_id or venue_id", "venue_id");
  }
  Activation done;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    // A unit declares areas inside itself only: a commune officer, never the province.
    ASSIGN_OR_RETURN(auto path, AreaPath(tx, area));
    RETURN_IF_ERROR(registry::RequireCovers(by, path));
    ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(tx));
    if (policy.FindArea(area.id))
      return Status::AlreadyExists("a risk area with this id exists", "id");
    policy.risk_areas.push_back(std::move(area));
    policy.version += 1;
    ASSIGN_OR_RETURN(done, healthcode::ActivatePolicy(tx, FormatPolicy(policy), by.user.value,
                                                      clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return done;
}

Result<Activation> Service::LiftRiskArea(const registry::Caller& by, std::string_view id,
                                         std::optional<int64_t> at) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kDeclareRiskAreas));
  const int64_t now = clock_.NowMillis();
  Activation done;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(tx));
    RiskArea* area = nullptr;
    for (auto& a : policy.risk_areas) {
      if (a.id == id) area = &a;
    }
    // An area that does not exist and one outside the caller's unit read the same.
    const auto not_found = [&] {
      return Status::NotFound("no risk area " + std::string(id) + " in your unit", "area");
    };
    if (!area) return not_found();
    auto path = AreaPath(tx, *area);
    if (!path.ok() && path.status().code() != Code::kNotFound) return path.status();
    if (!path.ok() || !registry::Covers(by, *path)) return not_found();
    int64_t to = at.value_or(now);
    if (to > now) return Status::InvalidArgument("is in the future", "at");
    if (to <= area->from) return Status::InvalidArgument("is before the area was declared", "at");
    if (area->to && *area->to <= to)
      return Status::FailedPrecondition("the area is already lifted", "area");
    area->to = to;
    policy.version += 1;
    ASSIGN_OR_RETURN(done,
                     healthcode::ActivatePolicy(tx, FormatPolicy(policy), by.user.value, now));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return done;
}

Result<HealthCode> Service::RecordTest(const registry::Caller& by, const NewTest& in,
                                       const Reader& reader) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRecordTests));
  RETURN_IF_ERROR(CheckReader(reader));
  const int64_t now = clock_.NowMillis();
  HealthCode code;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto person,
                     registry::ReadPerson(tx, by, in.person, "record test result", now));
    ASSIGN_OR_RETURN(code, healthcode::RecordTest(tx, in, now, reader));
    return store::Publish(tx, kTestTopic, TestChange(person.org_unit, in), now);
  }));
  return code;
}

Result<HealthCode> Service::RecordVaccination(const registry::Caller& by, const NewVaccination& in,
                                              const Reader& reader) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRecordVaccinations));
  RETURN_IF_ERROR(CheckReader(reader));
  const int64_t now = clock_.NowMillis();
  HealthCode code;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, in.person, "record vaccination", now));
    ASSIGN_OR_RETURN(code, healthcode::RecordVaccination(tx, in, now, reader));
    return Status::Ok();
  }));
  return code;
}

Result<HealthCode> Service::RecordSymptoms(const registry::Caller& by, PersonId person,
                                           std::string_view symptoms,
                                           std::optional<int64_t> reported_at,
                                           const Reader& reader) {
  RETURN_IF_ERROR(registry::Require(by, by.role == Role::kCitizen ? Capability::kReportOwnSymptoms
                                                                  : Capability::kRecordSymptoms));
  RETURN_IF_ERROR(CheckReader(reader));
  const int64_t now = clock_.NowMillis();
  HealthCode code;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, person, "record symptoms", now));
    ASSIGN_OR_RETURN(code, healthcode::RecordSymptoms(tx, person, symptoms,
                                                      reported_at.value_or(now), now, reader));
    return Status::Ok();
  }));
  return code;
}

Result<int64_t> Service::Sweep() {
  const int64_t now = clock_.NowMillis();
  int64_t n = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(n, RecomputeDue(tx, now));
    // Holders of credentials expired a day ago are of no use to a revocation.
    return ForgetExpiredCredentials(tx, now - kMillisPerDay).status();
  }));
  return n;
}

}  // namespace mekong::healthcode
