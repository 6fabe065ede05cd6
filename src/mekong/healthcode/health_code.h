// A person's three-colour health code, computed from the facts recorded about them under the
// active policy (policy.h).
//
// Facts are what happened: a confirmed case, an exposure found by tracing, a test result, a
// vaccination, a symptom report, a fever at a gate, a stay in a declared risk area. Evaluate()
// turns facts into reasons, each with a colour and the time it ends (or none: until released,
// or until a negative test); the code is the most severe reason in force, and it turns green
// when the last one ends. Nothing is stored about a colour that cannot be recomputed from facts
// and policy, so a policy change or time passing is just another evaluation.
//
// health_code_status keeps each touched person's current colour for lists and counts; every
// event that touches people recomputes theirs in the same transaction, and a sweep recomputes
// the codes whose green time has come.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/healthcode/policy.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::healthcode {

// Tables, migrations, the default policy seed and what they build on (store/module.h).
extern const store::Module kModule;

// ---- Facts ----

struct CaseFact {
  int64_t case_id = 0;
  int64_t confirmed_at = 0;
  std::optional<int64_t> released_at;
};
struct ExposureFact {  // found by tracing a case
  int64_t case_id = 0;
  int hop = 1;
  int64_t first_start = 0, last_end = 0;
  int64_t minutes = 0;
};
struct TestFact {
  int64_t id = 0;
  bool positive = false;
  int64_t sampled_at = 0, reported_at = 0;
};
struct VaccinationFact {
  int dose = 1;
  int64_t given_at = 0;
};
struct SymptomFact {
  int64_t id = 0;
  int64_t reported_at = 0;
};
struct FeverFact {
  int64_t reading_id = 0;
  double celsius = 0;
  int64_t at = 0;
};
struct RiskStayFact {  // a stay overlapping a declared risk area by at least its minimum
  std::string area_id;
  int64_t start = 0, end = 0;  // the stay clipped to the declaration
};

struct Facts {
  std::optional<CaseFact> confirmed_case;
  std::vector<ExposureFact> exposures;
  std::vector<TestFact> tests;
  std::vector<VaccinationFact> vaccinations;
  std::vector<SymptomFact> symptoms;
  std::vector<FeverFact> fevers;
  std::vector<RiskStayFact> risk_stays;
};

// ---- Codes ----

struct Reason {
  RuleKind rule = RuleKind::kConfirmedCase;
  Colour colour = Colour::kGreen;
  std::string source;  // "case:12", "test:4", "reading:9", "area:halong-market"
  int64_t since = 0;
  std::optional<int64_t> until;  // when it ends if nothing changes; none: needs an action
  // For a reason that ends only with a negative test: the test must be sampled at or after this.
  std::optional<int64_t> negative_test_from;
  Clear clear = Clear::kPeriod;  // the rule's, for the sentence
  int64_t event_end = 0;         // when the event ended (the last exposure, the end of a stay)
  int64_t period_end = 0;        // when the rule's period ends (reasons that need a period)
  std::string param;             // for the sentence: minutes, a temperature, an area's name
  std::string detail;            // a sentence for the reader (Reader below)
};

// Who reads a code's sentences. `language` is a BCP 47 tag ("vi", "en-GB", "zh-Hant"): the
// sentence is in its language (English for one without a translation) and dates follow its
// conventions. `zone` is an IANA time zone (core/zone.h, "Asia/Ho_Chi_Minh"): every date is
// the reader's local date there, and the sentence names the zone. An empty zone is UTC; so is
// a name core/zone.h refuses (validate where a zone enters the system, with ValidateZone).
struct Reader {
  std::string language;
  std::string zone;
};

struct HealthCode {
  PersonId person;
  Colour colour = Colour::kGreen;
  std::vector<Reason> reasons;  // those in force, most severe first
  std::optional<int64_t>
      green_at;  // when it turns green if nothing changes; none if it never does by itself
  int64_t computed_at = 0;
  int64_t policy_version = 0;
  std::string language;  // of the details: the reader's tag
  std::string zone;      // of the details' dates: the reader's zone, "UTC" when it had none
};

// The pure rule engine: no store, no clock. Details are written for `reader`.
HealthCode Evaluate(const Policy& policy, const Facts& facts, int64_t now, const Reader& reader);
// A reason's sentence for `reader` (used by Evaluate; exposed for the translations test).
std::string ReasonDetail(const Reason& r, const Reader& reader);
// The languages with translations (domain.md's 15).
std::span<const std::string_view> SupportedLanguages();
// The catalogue's phrases for `language`: the rules' events in RuleKind order, then the five
// ways a reason ends (English's for a language without a translation). For the translations
// test.
std::vector<std::string_view> ReasonPhrases(std::string_view language);

// ---- Store ----

// Activating a policy publishes this topic on the change feed (payload: the version), so every
// process's cached active policy reloads.
inline constexpr std::string_view kPolicyTopic = "healthcode.policy";

// The active policy; the built-in default is installed as version 1 by the module's seed.
Result<Policy> ActivePolicy(store::Executor& ex);
struct PolicyVersion {
  int64_t version = 0;
  std::string name, text;
  int64_t activated_at = 0;
  std::optional<int64_t> activated_by;  // user id; none for the built-in default
};
Result<std::vector<PolicyVersion>> PolicyVersions(store::Executor& ex);
Result<PolicyVersion> GetPolicyVersion(store::Executor& ex, int64_t version);
// Validates `text`, requires its version to be above the active one, stores it as active and
// recomputes everyone whose code the change can touch. Returns how many codes were recomputed.
struct Activation {
  Policy policy;
  int64_t recomputed = 0;
};
Result<Activation> ActivatePolicy(store::Executor& ex, std::string_view text,
                                  std::optional<int64_t> by, int64_t now);

Result<Facts> LoadFacts(store::Executor& ex, const Policy& policy, PersonId person);
// The code now, with details for `reader`; a reader without a language reads the person's.
// (People have no zone yet: the default reader's dates are UTC.)
Result<HealthCode> Compute(store::Executor& ex, PersonId person, int64_t now,
                           const Reader& reader = {});
// Re-evaluates `people` and writes their health_code_status rows (bulk: the 10,000 contacts of
// one case take one pass). Unknown ids are skipped.
Status Recompute(store::Executor& ex, const Policy& policy, std::span<const PersonId> people,
                 int64_t now);
// Time passing: recomputes every stored code whose green time is at or before `now`.
Result<int64_t> RecomputeDue(store::Executor& ex, int64_t now);

struct StatusCounts {
  int64_t red = 0, yellow = 0;
};
// Counts of stored non-green codes for people under an org path.
Result<StatusCounts> CountCodes(store::Executor& ex, const std::string& under_path);

// ---- Events ----

// Facts whose records other modules own: "case" (source case:ID, start = confirmed, end =
// released), "exposure" (case:ID, hop, first start, last end, value = minutes), "fever"
// (reading:ID, start = the reading, value = degrees). One per person, kind and source: a
// second call replaces the first.
struct FactRow {
  std::string kind, source;
  std::optional<int64_t> hop;
  int64_t start = 0;
  std::optional<int64_t> end;
  std::optional<double> value;
};
Status PutFact(store::Executor& ex, PersonId person, const FactRow& fact);
// Many at once (a case's contacts): one statement per few hundred rows.
Status PutFacts(store::Executor& ex, std::span<const std::pair<PersonId, FactRow>> facts);

struct NewTest {
  PersonId person;
  bool positive = false;
  std::string kind;  // "pcr", "antigen"
  int64_t sampled_at = 0;
  std::optional<FacilityId> facility;
};
struct NewVaccination {
  PersonId person;
  std::string vaccine;  // product name or code, e.g. "EU/1/20/1528"
  int dose = 1;
  int64_t given_at = 0;
  std::string country;  // ISO 3166 alpha-2 where given; foreigners' doses abroad count too
};
// Each records the fact and recomputes the person's code; returns the new code, with details
// for `reader` as Compute.
Result<HealthCode> RecordTest(store::Executor& ex, const NewTest& in, int64_t now,
                              const Reader& reader = {});
Result<HealthCode> RecordVaccination(store::Executor& ex, const NewVaccination& in, int64_t now,
                                     const Reader& reader = {});
Result<HealthCode> RecordSymptoms(store::Executor& ex, PersonId person, std::string_view symptoms,
                                  int64_t reported_at, int64_t now, const Reader& reader = {});

// Test results sampled at or after `since`, by id: what a dashboard loads before it follows the
// change feed (kTestTopic in service.h).
struct TestSample {
  PersonId person;
  bool positive = false;
  int64_t sampled_at = 0;
};
Result<std::vector<TestSample>> TestsSampledSince(store::Executor& ex, int64_t since);
// ---- Cases undone, people merged ----

// Deletes every fact recorded from `source` ("case:12": the case and the exposures it caused)
// and returns the people who had one, whose codes the caller recomputes (a discarded case).
Result<std::vector<PersonId>> RemoveFacts(store::Executor& ex, std::string_view source);
// Moves `from`'s health records to `to` (facts, tests, vaccinations, symptom reports, issued
// credentials and EU DCCs; a fact both hold from one source keeps the survivor's) and
// recomputes both codes under the active policy. Returns how many rows moved.
Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to, int64_t now);

}  // namespace mekong::healthcode
