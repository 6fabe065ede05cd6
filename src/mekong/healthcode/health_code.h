// A person's three-colour health code, derived from the reasons recorded against them.
//
// A reason is a fact with a colour and a validity: "close contact of case 12 at venue 40,
// red until 2026-12-07". The code's colour is the most severe reason in force; it turns green
// when the last reason in force ends. A reason with no end (a confirmed case) holds until it is
// lifted, so such a code has no green date.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"

namespace mekong::healthcode {

Status Migrate(store::Database& db);

enum class Colour { kGreen = 0, kYellow = 1, kRed = 2 };
inline std::string_view ColourName(Colour c) {
  return c == Colour::kRed ? "red" : c == Colour::kYellow ? "yellow" : "green";
}

struct Reason {
  int64_t id = 0;
  Colour colour = Colour::kGreen;
  std::string kind;     // "confirmed_case", "close_contact", ...
  std::string source;   // what caused it, e.g. "case:12"
  std::string detail;   // a sentence for people, in English
  int64_t since = 0;
  std::optional<int64_t> until;  // none: until lifted
};

struct HealthCode {
  PersonId person;
  Colour colour = Colour::kGreen;
  std::vector<Reason> reasons;        // those in force, most severe first
  std::optional<int64_t> green_at;    // when it turns green if nothing changes; none if never by itself
  int64_t computed_at = 0;
};

// Adds a reason. A reason with the same person, kind and source replaces the earlier one, so
// recomputing a case's contacts does not pile up duplicates.
Status AddReason(store::Executor& ex, PersonId person, const Reason& reason);
// Ends every reason from `source` at `at` (a case released, a test result corrected).
Status LiftReasons(store::Executor& ex, std::string_view source, int64_t at);
Result<HealthCode> Compute(store::Executor& ex, PersonId person, int64_t now);

}  // namespace mekong::healthcode
