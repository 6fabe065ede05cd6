// The symptom self-assessment (docs/screening.md): versioned questionnaires, and assessments
// whose recommendation is stored with the answers that led to it and whose symptoms reach the
// health code in the same transaction.
//
// Thread safety: every method from any thread. The active questionnaire is parsed once per
// version and re-read when the stored newest version changes (another server's activation).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/auth.h"
#include "mekong/screening/questionnaire.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::screening {

extern const store::Module kModule;

// Payload: the new version's number.
inline constexpr std::string_view kQuestionnaireTopic = "screening.questionnaire";

struct Version {
  int64_t version = 0;
  std::string name, text;
  int64_t activated_at = 0;
  std::optional<int64_t> activated_by;  // none for the built-in version 1
};

struct Assessment {
  int64_t id = 0;
  PersonId person;
  int64_t questionnaire_version = 0;
  Outcome outcome = Outcome::kHomeCare;
  int points = 0;
  Json answers;                       // as Evaluation::answers
  std::vector<Reason> reasons;        // as Evaluation::reasons
  std::vector<std::string> symptoms;  // reported to the health code
  int64_t assessed_at = 0;
  UserId assessed_by;
};

struct Assessed {
  Assessment assessment;
  std::optional<healthcode::HealthCode> code;  // the new code when symptoms were reported
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The active questionnaire, or `version`.
  Result<Version> Get(const registry::Caller& by, std::optional<int64_t> version);
  Result<Questionnaire> Active(const registry::Caller& by);
  // Newest first.
  Result<std::vector<Version>> Versions(const registry::Caller& by);
  // A new version, above the active one (top-level admins).
  Result<Version> Activate(const registry::Caller& by, std::string_view text);

  // `person`'s answers to questionnaire `version`, which must be the active one (a person who
  // answered an older one is told to reload it). A citizen for themself, staff for a person in
  // their unit.
  Result<Assessed> Assess(const registry::Caller& by, PersonId person, int64_t version,
                          const Json& answers, const healthcode::Reader& reader = {});
  // A person's assessments, newest first.
  Result<std::vector<Assessment>> List(const registry::Caller& by, PersonId person, int limit,
                                       int offset = 0);

 private:
  Result<std::shared_ptr<const Questionnaire>> Current(store::Executor& ex);

  store::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::shared_ptr<const Questionnaire> active_;
};

// Moves `from`'s assessments to `to` (people merged); returns how many.
Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to);

}  // namespace mekong::screening
