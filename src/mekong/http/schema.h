// The shape of a request's body, query and path, and of a response, declared once per route
// and used three ways: to decode and check every request before its handler runs, to check
// every response in the API tests, and to write the OpenAPI document.
//
// A Schema is a small value (children are shared); recursion over it follows the declared
// shape, never the input's, so its depth is bounded by the code.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::http {

using Json = nlohmann::json;

struct Field;

class Schema {
 public:
  enum class Kind {
    kString,
    kText,
    kInteger,
    kNumber,
    kBoolean,
    kTime,
    kDate,
    kEnum,
    kArray,
    kObject,
    kAnyObject
  };

  // A single line of text without control characters, at most `max_len` bytes.
  static Schema String(size_t max_len = 200);
  // Free text: line breaks and tabs allowed.
  static Schema Text(size_t max_len);
  static Schema Integer(int64_t min = INT64_MIN, int64_t max = INT64_MAX);
  // A positive integer id.
  static Schema Id();
  static Schema Number(double min, double max);
  static Schema Boolean();
  // RFC 3339 with a zone. In a request it is decoded to Unix milliseconds (an integer).
  static Schema Time();
  // YYYY-MM-DD.
  static Schema Date();
  static Schema Enum(std::vector<std::string> values);
  static Schema Array(Schema items, size_t max_items);
  // An object with exactly these fields (unknown ones are refused in requests and responses).
  static Schema Object(std::vector<Field> fields);
  // Any JSON object (an EU DCC entry, a FHIR resource): checked for being an object only.
  static Schema AnyObject();

  Schema& Doc(std::string description);
  // In responses: the value may be null.
  Schema& Nullable();

  Kind kind() const { return kind_; }
  const std::vector<Field>& fields() const;

  // Checks a request value and decodes it in place (times to milliseconds). `path` names the
  // value in errors ("checkins[3].time_in"; "" for the whole body, reported as "body").
  Status Decode(Json& value, const std::string& path) const;
  // Checks a response value against the declaration (times must be RFC 3339 strings).
  Status Check(const Json& value, const std::string& path) const;
  // Decodes a query or path parameter's text by this schema's kind.
  Result<Json> FromText(const std::string& text, const std::string& name) const;
  // JSON Schema as OpenAPI 3.0 writes it.
  Json ToOpenApi() const;

 private:
  Status Walk(Json& value, const std::string& path, bool request) const;

  Kind kind_ = Kind::kString;
  size_t max_len_ = 0;
  int64_t min_ = 0, max_ = 0;
  double min_number_ = 0, max_number_ = 0;
  bool nullable_ = false;
  bool id_ = false;
  std::string doc_;
  std::shared_ptr<const std::vector<std::string>> values_;
  std::shared_ptr<const std::vector<Field>> fields_;  // objects only
  std::shared_ptr<const Schema> items_;
};

struct Field {
  std::string name;
  Schema schema;
  bool required = false;
};

inline Field Required(std::string name, Schema s) { return {std::move(name), std::move(s), true}; }
inline Field Optional(std::string name, Schema s) { return {std::move(name), std::move(s), false}; }

}  // namespace mekong::http
