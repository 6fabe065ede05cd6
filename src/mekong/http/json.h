// JSON at the edge: reading a request body as JSON (within core/json.h's limits) and the
// error body every failure answers with.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mekong/core/status.h"
#include "mekong/http/message.h"

namespace mekong::http {

using Json = nlohmann::json;

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
