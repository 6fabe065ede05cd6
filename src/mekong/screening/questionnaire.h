// The symptom self-assessment: a screening questionnaire defined in one versioned TOML file
// (docs/screening.md), like the health-code policy, and the pure evaluation of a person's
// answers into a recommendation. Each answer may add points, set an outcome at least as urgent
// as one it names, and name a symptom to report to the health code; the recommendation is the
// most urgent of what the answers set and what their points reach.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/json.h"
#include "mekong/core/status.h"
#include "mekong/core/toml_reader.h"

namespace mekong::screening {

using Json = nlohmann::json;

// In order of urgency; each has its own next step in the application.
enum class Outcome { kHomeCare = 0, kTest = 1, kConsultation = 2, kEmergency = 3 };
std::string_view OutcomeName(Outcome o);  // home_care, test, consultation, emergency
std::optional<Outcome> OutcomeByName(std::string_view name);

// A text in several of the 15 languages; English is always there.
using Texts = std::map<std::string, std::string, std::less<>>;
// The text in `language`, else English; `used` (if given) is set to the language returned.
const std::string& TextIn(const Texts& texts, std::string_view language,
                          std::string* used = nullptr);

struct Effect {
  int points = 0;
  std::optional<Outcome> at_least;
  std::string symptom;  // reported to the health code when chosen; "" for none
};

enum class Kind { kYesNo, kChoice, kNumber };
std::string_view KindName(Kind k);  // yes_no, choice, number

struct Option {
  std::string id;
  Texts text;  // empty for yes_no's yes and no, which the application words
  Effect effect;
};

// A number answer at or above `from` takes this band's effect (the highest band it reaches).
struct Band {
  int64_t from = 0;
  Effect effect;
};

struct Question {
  std::string id;
  Kind kind = Kind::kYesNo;
  Texts text;
  std::vector<Option> options;  // yes_no: "yes" then "no"; choice: the file's
  int64_t min = 0, max = 0;     // number
  std::vector<Band> bands;      // number, ascending by `from`
};

struct Questionnaire {
  int64_t version = 0;
  std::string name;
  int test_points = 0, consultation_points = 0;
  std::optional<int> emergency_points;  // none: only an answer can make it an emergency
  std::vector<Question> questions;

  const Question* Find(std::string_view id) const;
  // The languages some question or option has no text in (they read English).
  std::vector<std::string> Untranslated() const;
};

// Parses and validates a questionnaire; on failure InvalidArgument, with every problem and its
// line in `errors`.
Result<Questionnaire> ParseQuestionnaire(std::string_view text, std::vector<FileError>* errors);
// The built-in questionnaire (version 1), in all 15 languages.
std::string_view DefaultQuestionnaireText();

// What one answer did to the result.
struct Reason {
  std::string question, answer;  // the answer as given: "yes", "no", an option id, a number
  Effect effect;
};

struct Evaluation {
  Outcome outcome = Outcome::kHomeCare;
  int points = 0;
  std::vector<Reason> reasons;        // only answers that did something, in question order
  std::vector<std::string> symptoms;  // in question order
  Json answers;                       // normalised: {"fever": "yes", "days": 3, ...}
};

// `answers` is a JSON object with one answer per question: true/false for yes_no, an option id
// for choice, an integer for number. invalid_argument naming "answers.<id>" for a missing, extra
// or wrong answer.
Result<Evaluation> Evaluate(const Questionnaire& q, const Json& answers);

}  // namespace mekong::screening
