// The health-code module's service: a person's colour and reasons for a reader, signed
// credentials, verification of any credential against the trust that every process caches,
// the policy and its risk areas, the health events that change codes, and EU DCC issuing.
//
// The active policy and the trust bundle are read from the store once and kept; any process's
// change to either publishes on the change feed (kPolicyTopic, kTrustTopic), and a follower
// drops the cached copy, so every server verifies against the same keys within the feed's
// poll interval, and at once after its own change.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mekong/core/config.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/credential.h"
#include "mekong/healthcode/eu_dcc_issuer.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/policy.h"
#include "mekong/healthcode/verify.h"
#include "mekong/registry/access.h"
#include "mekong/store/feed.h"

namespace mekong::healthcode {

// Recording a test result through the service publishes this topic in the same transaction
// (payload: the person's org unit, whether positive, the sample time; docs/formats/
// change-feed.md), so dashboards in every process count tests without reading the table.
inline constexpr std::string_view kTestTopic = "healthcode.test";

struct ServiceOptions {
  std::string issuer = "VN";  // iss of our codes and EU DCCs
  std::string authority = "Ministry of Health of Viet Nam";
  int64_t credential_validity_ms = 24 * kMillisPerHour;
  int64_t feed_poll_ms = 200;

  static ServiceOptions From(const Config& config);
};

struct Summary {
  OrgUnitId org_unit;
  StatusCounts counts;
  int64_t policy_version = 0;
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, ServiceOptions options);
  ~Service();

  // Follows the change feed so cached trust and policy stay current with other processes.
  void Start();
  void Stop();

  // ---- Codes ----
  // A person's code for `reader` (a reader without a language or zone reads the person's). A
  // checkpoint officer may read anyone's (travellers come from anywhere); the read is logged.
  Result<HealthCode> Code(const registry::Caller& by, PersonId person, const Reader& reader = {});
  // A freshly signed credential for the person's colour now.
  Result<Credential> IssueCredential(const registry::Caller& by, PersonId person);
  // Red and yellow codes under the caller's unit, or under `unit` inside it.
  Result<Summary> Counts(const registry::Caller& by, std::optional<OrgUnitId> unit);
  // Counts for each child unit of `unit` (the caller's when none): the command centre's map.
  Result<std::vector<Summary>> ChildCounts(const registry::Caller& by,
                                           std::optional<OrgUnitId> unit);

  // ---- Verification and trust ----
  // Verifies scanned text as of `at` (default now): an officer can check a certificate against
  // the date of travel.
  Result<Verdict> Verify(const registry::Caller& by, const std::vector<std::string>& texts,
                         std::optional<int64_t> at = std::nullopt);
  // The person a verified Mekong code names (a gate identifies people only this way).
  Result<PersonId> PersonForVerifiedCode(const std::string& qr, int64_t at);
  Result<std::shared_ptr<const TrustBundle>> Bundle();
  Result<std::vector<KeyInfo>> PublishedKeys();
  Result<std::vector<std::string>> Revoked();
  Status TrustEu(const registry::Caller& by, std::string_view certificate,
                 std::string_view country);
  Result<int> TrustShc(const registry::Caller& by, std::string_view issuer, std::string_view jwks);
  Result<int> ImportShcCrl(const registry::Caller& by, std::string_view issuer,
                           std::string_view crl);
  // Revokes a credential of a person the caller may act on (command officers: their unit's).
  Status Revoke(const registry::Caller& by, std::string_view credential_id,
                std::string_view reason);
  Result<KeyInfo> RotateKeys(const registry::Caller& by);

  // ---- EU DCC ----
  Result<IssuedDcc> IssueDcc(const registry::Caller& by, PersonId person, DccRequest in);
  // The certificates issued to a person (a citizen: their own).
  Result<std::vector<IssuedDcc>> IssuedDccs(const registry::Caller& by, PersonId person);
  Result<DccSigner> Signer();

  // ---- Policy ----
  Result<Policy> ActivePolicy();
  Result<std::vector<PolicyVersion>> PolicyVersions(const registry::Caller& by);
  Result<healthcode::PolicyVersion> GetPolicy(const registry::Caller& by,
                                              std::optional<int64_t> version);
  Result<Activation> ActivatePolicy(const registry::Caller& by, std::string_view text);
  // A risk area inside the caller's unit, as a new policy version.
  Result<Activation> DeclareRiskArea(const registry::Caller& by, RiskArea area);
  Result<Activation> LiftRiskArea(const registry::Caller& by, std::string_view id,
                                  std::optional<int64_t> at);

  // ---- Events that change codes ----
  Result<HealthCode> RecordTest(const registry::Caller& by, const NewTest& in,
                                const Reader& reader = {});
  Result<HealthCode> RecordVaccination(const registry::Caller& by, const NewVaccination& in,
                                       const Reader& reader = {});
  // Staff for a person in their unit, or a citizen for themself.
  Result<HealthCode> RecordSymptoms(const registry::Caller& by, PersonId person,
                                    std::string_view symptoms, std::optional<int64_t> reported_at,
                                    const Reader& reader = {});

  // Time passing: recomputes the stored codes whose green time has come.
  Result<int64_t> Sweep();

 private:
  Status Invalidate(const store::Change& change);

  store::Database& db_;
  const Clock& clock_;
  const ServiceOptions options_;
  std::mutex mu_;
  std::shared_ptr<const TrustBundle> bundle_;
  std::optional<Policy> policy_;
  store::Follower follower_;
};

}  // namespace mekong::healthcode
