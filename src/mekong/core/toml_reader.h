// Reading an operator's TOML file (the health-code policy, the screening questionnaire) so that
// every problem is reported at once, each with its line and dotted key, instead of stopping at
// the first: an editor can then mark every line that needs a change.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mekong {

// One problem in a file, at its line (0 when the problem is the file as a whole).
struct FileError {
  int line = 0;
  std::string key;  // e.g. "rules.fever.days", "questions[fever].yes.points"
  std::string message;
};

// Parses `text`; a syntax error becomes the one entry of `errors`.
std::optional<toml::table> ParseToml(std::string_view text, std::vector<FileError>* errors);
// Errors in line order (stable: a line's errors keep the order they were found in).
void SortByLine(std::vector<FileError>* errors);

// Collects errors; each reader returns a value only when the key is present and right.
class TomlReader {
 public:
  // `unknown` ends the message of a key that Known() does not list, e.g.
  // "is not a policy key (see docs/policy.md)".
  TomlReader(std::vector<FileError>* errors, std::string unknown)
      : errors_(errors), unknown_(std::move(unknown)) {}

  void Error(const toml::node* n, std::string key, std::string message);
  bool failed() const { return !errors_->empty(); }

  std::optional<int64_t> Int(const toml::table& t, std::string_view name, const std::string& key,
                             int64_t min, int64_t max);
  std::optional<double> Number(const toml::table& t, std::string_view name, const std::string& key,
                               double min, double max);
  std::optional<std::string> String(const toml::table& t, std::string_view name,
                                    const std::string& key);
  std::optional<bool> Bool(const toml::table& t, std::string_view name, const std::string& key);
  // An RFC 3339 string, a TOML date-time with an offset, or a date (midnight UTC).
  std::optional<int64_t> Time(const toml::table& t, std::string_view name, const std::string& key);
  // The table under `name`, or null (with an error when it is something else).
  const toml::table* Table(const toml::table& t, std::string_view name, const std::string& key);
  // Every key of `t` must be one of `known`.
  void Known(const toml::table& t, const std::string& prefix,
             std::initializer_list<std::string_view> known);

 private:
  std::vector<FileError>* errors_;
  std::string unknown_;
};

}  // namespace mekong
