// The health-code policy: every rule that turns a code yellow or red, and what turns it back,
// as one versioned TOML file (docs/policy.md). The built-in default follows
// shared/reference/domain.md; a province replaces it with `mekong policy activate FILE` or
// PUT /api/v1/policy, and declares or lifts risk areas as new versions of the same file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/toml_reader.h"

namespace mekong::healthcode {

enum class Colour { kGreen = 0, kYellow = 1, kRed = 2 };
inline std::string_view ColourName(Colour c) {
  return c == Colour::kRed ? "red" : c == Colour::kYellow ? "yellow" : "green";
}

// What a code is yellow or red for. The names are the policy file's [rules.*] tables.
enum class RuleKind {
  kConfirmedCase,
  kPositiveTest,
  kCloseContact,  // hop 1
  kSecondHop,     // contact of a close contact
  kThirdHop,
  kFever,         // at a gate
  kSymptoms,      // self-reported or recorded by staff
  kRiskAreaHigh,  // a stay in a high-risk area
  kRiskAreaMedium,
};
inline constexpr int kRuleKinds = 9;
std::string_view RuleName(RuleKind k);
std::optional<RuleKind> RuleByName(std::string_view name);

// How a reason ends.
enum class Clear {
  kRelease,                // a confirmed case: when the health authority releases it
  kNegativeTest,           // a later negative test (or, for a positive test, the case confirmed)
  kPeriod,                 // `days` after the event
  kPeriodOrNegativeTest,   // whichever comes first
  kPeriodAndNegativeTest,  // both: the period over and a negative test sampled late enough
};
std::string_view ClearName(Clear c);

struct Rule {
  bool enabled = true;
  Colour colour = Colour::kGreen;
  int days = 0;  // the period, from the end of the event (last exposure, reading, ...)
  Clear clear = Clear::kPeriod;
  int test_after_days = 0;  // a negative test counts if sampled at least this long after the event
};

struct RiskArea {
  std::string id;  // unique in the policy, e.g. "halong-market-2026-11"
  std::string name;
  Colour level = Colour::kYellow;     // high = red rule, medium = yellow rule
  std::optional<OrgUnitId> org_unit;  // the whole subtree ...
  std::optional<VenueId> venue;       // ... or one venue
  int64_t from = 0;                   // stays overlapping [from, to) count
  std::optional<int64_t> to;          // none: still declared
  int64_t min_stay_ms = 0;
};

struct Policy {
  int64_t version = 0;
  std::string name;
  // [contacts]
  int64_t min_overlap_ms = 15 * 60000;
  int64_t infectious_before_ms = 2 * 86400000LL;
  int hops = 2;               // how deep case confirmation traces (1-3)
  int co_traveller_rows = 2;  // a shared trip within this many seat rows (or carriage) is a contact
  // [rules.fever]
  double fever_celsius = 37.3;
  std::array<Rule, kRuleKinds> rules{};
  // [vaccination]
  int full_course_doses = 2;
  int vaccination_effective_days = 14;
  std::vector<RuleKind> vaccination_exempts;  // rules that do not apply to the fully vaccinated
  std::vector<RiskArea> risk_areas;
  // [outbreak]
  bool probable_case_traces = false;    // a probable case traces and turns codes red, as confirmed
  bool positive_test_confirms = false;  // a positive result confirms (else opens a suspected case)
  int follow_up_days = 14;              // contact follow-up from the last exposure
  double serial_interval_mean_days = 4.7;  // for the reproduction number (Cori et al. 2013)
  double serial_interval_sd_days = 2.9;

  const Rule& rule(RuleKind k) const { return rules[static_cast<int>(k)]; }
  Rule& rule(RuleKind k) { return rules[static_cast<int>(k)]; }
  const RiskArea* FindArea(std::string_view id) const;
};

// One problem in a policy file, at its line (0 when the problem is the file as a whole).
using PolicyError = FileError;

// Parses and validates a policy; on failure returns InvalidArgument and fills `errors` with
// every problem found (not just the first), in line order.
Result<Policy> ParsePolicy(std::string_view text, std::vector<PolicyError>* errors);
// The policy as canonical TOML that ParsePolicy reads back to the same policy (used when the
// API declares or lifts a risk area).
std::string FormatPolicy(const Policy& p);
// The built-in policy (version 1): the defaults in shared/reference/domain.md.
std::string_view DefaultPolicyText();

}  // namespace mekong::healthcode
