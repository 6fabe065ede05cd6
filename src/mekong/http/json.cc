#include "mekong/http/json.h"

#include "mekong/core/json.h"
#include "mekong/core/text.h"
#include "mekong/core/time.h"

namespace mekong::http {

bool IsMediaType(std::string_view content_type, std::string_view want) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  if (type.size() != want.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != want[i]) return false;
  }
  return true;
}

Status RequireJsonContent(const Request& req) {
  // A body without a type is what curl -d sends as a form; only an empty body may omit it.
  if (req.content_type.empty() ? !req.body.empty()
                               : !IsMediaType(req.content_type, "application/json")) {
    return Status::InvalidArgument("Content-Type must be application/json", "Content-Type");
  }
  return Status::Ok();
}

Result<Json> ParseJsonBody(const Request& req) {
  RETURN_IF_ERROR(RequireJsonContent(req));
  ASSIGN_OR_RETURN(Json j, ParseJson(req.body.empty() ? "{}" : req.body, "body"));
  if (!j.is_object()) return Status::InvalidArgument("request body must be a JSON object", "body");
  return j;
}

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
      return 409;
    case Code::kFailedPrecondition:
      return 409;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  Json field = status.field().empty() ? Json(nullptr) : Json(status.field());
  // Internal details (SQL, file paths) stay in the log, not in the response.
  std::string message = status.code() == Code::kInternal ? "internal error" : status.message();
  Response r = JsonResponse(
      {{"error", {{"code", CodeName(status.code())}, {"message", message}, {"field", field}}}},
      HttpStatus(status.code()));
  if (status.code() == Code::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

Response JsonResponse(const Json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Json Time(int64_t ms) { return FormatRfc3339(ms); }
Json Time(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}

}  // namespace mekong::http
