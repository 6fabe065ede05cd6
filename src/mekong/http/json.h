// JSON codecs shared by the handlers: a strict reader for request bodies and the error body.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "mekong/core/status.h"
#include "mekong/http/message.h"

namespace mekong::http {

using Json = nlohmann::json;

// Reads one JSON object field by field. Every read names its field in errors; Done() refuses
// fields nobody read, so a misspelt key is an error rather than silently ignored.
class Body {
 public:
  static Result<Body> Parse(const Request& req);

  // Text without control characters; `multiline` allows tab, LF and CR (free text).
  Result<std::string> Str(const char* key, size_t max_len = 200, bool multiline = false);
  Result<std::optional<std::string>> OptStr(const char* key, size_t max_len = 200, bool multiline = false);
  Result<int64_t> Int(const char* key, int64_t min, int64_t max);
  Result<std::optional<int64_t>> OptInt(const char* key, int64_t min, int64_t max);
  Result<std::optional<double>> OptNumber(const char* key, double min, double max);
  // A JSON object, returned as its text.
  Result<std::string> Object(const char* key);
  // An RFC 3339 timestamp, returned as Unix milliseconds.
  Result<std::optional<int64_t>> OptTime(const char* key);
  Status Done() const;

 private:
  explicit Body(Json j) : j_(std::move(j)) {}
  const Json* Find(const char* key);
  Json j_;
  std::set<std::string> read_;
};

// True when the Content-Type's media type (before any parameters) is `want` (lower case).
bool IsMediaType(std::string_view content_type, std::string_view want);
// invalid_argument naming Content-Type unless it is application/json (or the body is empty).
Status RequireJsonContent(const Request& req);
// The body as a JSON object, through ParseJson's limits (core/json.h); empty is {}.
Result<Json> ParseJsonBody(const Request& req);

// {"error": {"code", "message", "field"}} with the status the code maps to.
Response ErrorResponse(const Status& status);
int HttpStatus(Code code);
Response JsonResponse(const Json& body, int status = 200);
// "2026-11-23T01:00:00Z", or null for an empty optional.
Json Time(int64_t ms);
Json Time(const std::optional<int64_t>& ms);

}  // namespace mekong::http
