#include "mekong/core/toml_reader.h"

#include <algorithm>
#include <sstream>

#include "mekong/core/time.h"

namespace mekong {

namespace {
int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }
}  // namespace

std::optional<toml::table> ParseToml(std::string_view text, std::vector<FileError>* errors) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    errors->push_back({static_cast<int>(e.source().begin.line), "", std::string(e.description())});
    return std::nullopt;
  }
}

void SortByLine(std::vector<FileError>* errors) {
  std::stable_sort(errors->begin(), errors->end(),
                   [](const FileError& a, const FileError& b) { return a.line < b.line; });
}

void TomlReader::Error(const toml::node* n, std::string key, std::string message) {
  errors_->push_back({n ? LineOf(*n) : 0, std::move(key), std::move(message)});
}

std::optional<int64_t> TomlReader::Int(const toml::table& t, std::string_view name,
                                       const std::string& key, int64_t min, int64_t max) {
  const toml::node* n = t.get(name);
  if (!n) return std::nullopt;
  auto v = n->value_exact<int64_t>();
  if (!v) return Error(n, key, "must be an integer"), std::nullopt;
  if (*v < min || *v > max) {
    return Error(n, key,
                 max == INT64_MAX
                     ? "must be at least " + std::to_string(min)
                     : "must be between " + std::to_string(min) + " and " + std::to_string(max)),
           std::nullopt;
  }
  return v;
}

std::optional<double> TomlReader::Number(const toml::table& t, std::string_view name,
                                         const std::string& key, double min, double max) {
  const toml::node* n = t.get(name);
  if (!n) return std::nullopt;
  auto v = n->value<double>();
  if (!v || !(n->is_floating_point() || n->is_integer()))
    return Error(n, key, "must be a number"), std::nullopt;
  if (!(*v >= min && *v <= max)) {
    std::ostringstream m;
    m << "must be between " << min << " and " << max;
    return Error(n, key, m.str()), std::nullopt;
  }
  return v;
}

std::optional<std::string> TomlReader::String(const toml::table& t, std::string_view name,
                                              const std::string& key) {
  const toml::node* n = t.get(name);
  if (!n) return std::nullopt;
  if (!n->is_string()) return Error(n, key, "must be a string"), std::nullopt;
  return *n->value<std::string>();
}

std::optional<bool> TomlReader::Bool(const toml::table& t, std::string_view name,
                                     const std::string& key) {
  const toml::node* n = t.get(name);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) return Error(n, key, "must be true or false"), std::nullopt;
  return *n->value<bool>();
}

std::optional<int64_t> TomlReader::Time(const toml::table& t, std::string_view name,
                                        const std::string& key) {
  const toml::node* n = t.get(name);
  if (!n) return std::nullopt;
  std::string text;
  if (n->is_string()) {
    text = *n->value<std::string>();
  } else if (n->is_date_time() && n->as_date_time()->get().offset) {
    std::ostringstream s;
    s << *n->as_date_time();
    text = s.str();
  } else if (n->is_date()) {
    std::ostringstream s;
    s << *n->as_date() << "T00:00:00Z";
    text = s.str();
  } else {
    return Error(n, key, "must be an RFC 3339 time with a zone, or a date"), std::nullopt;
  }
  auto ms = ParseRfc3339(text);
  if (!ms.ok())
    return Error(n, key, "must be an RFC 3339 time with a zone, or a date"), std::nullopt;
  return *ms;
}

const toml::table* TomlReader::Table(const toml::table& t, std::string_view name,
                                     const std::string& key) {
  const toml::node* n = t.get(name);
  if (!n) return nullptr;
  if (!n->is_table()) return Error(n, key, "must be a table"), nullptr;
  return n->as_table();
}

void TomlReader::Known(const toml::table& t, const std::string& prefix,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [k, node] : t) {
    if (std::find(known.begin(), known.end(), k.str()) == known.end())
      Error(&node, prefix + std::string(k.str()), unknown_);
  }
}

}  // namespace mekong
