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
  if (req.content_type.empty() ? !req.body.empty() : !IsMediaType(req.content_type, "application/json")) {
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

Result<Body> Body::Parse(const Request& req) {
  ASSIGN_OR_RETURN(Json j, ParseJsonBody(req));
  return Body(std::move(j));
}

const Json* Body::Find(const char* key) {
  read_.insert(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> Body::OptStr(const char* key, size_t max_len, bool multiline) {
  const Json* v = Find(key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Status::InvalidArgument("must be a string", key);
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) return Status::InvalidArgument("longer than " + std::to_string(max_len) + " bytes", key);
  // NUL would be cut off by PostgreSQL; other control characters corrupt logs and CSV exports.
  if (HasControlCharacter(s, multiline)) {
    return Status::InvalidArgument(multiline ? "holds a control character" : "holds a control character or a line break", key);
  }
  return std::optional<std::string>(s);
}

Result<std::string> Body::Str(const char* key, size_t max_len, bool multiline) {
  ASSIGN_OR_RETURN(auto s, OptStr(key, max_len, multiline));
  if (!s) return Status::InvalidArgument("is required", key);
  return *s;
}

Result<std::optional<int64_t>> Body::OptInt(const char* key, int64_t min, int64_t max) {
  const Json* v = Find(key);
  if (!v) return std::optional<int64_t>();
  if (!v->is_number_integer()) return Status::InvalidArgument("must be an integer", key);
  int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v->get<int64_t>();
  if (n < min || n > max) {
    return Status::InvalidArgument("must be between " + std::to_string(min) + " and " + std::to_string(max), key);
  }
  return std::optional<int64_t>(n);
}

Result<int64_t> Body::Int(const char* key, int64_t min, int64_t max) {
  ASSIGN_OR_RETURN(auto n, OptInt(key, min, max));
  if (!n) return Status::InvalidArgument("is required", key);
  return *n;
}

Result<std::optional<double>> Body::OptNumber(const char* key, double min, double max) {
  const Json* v = Find(key);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return Status::InvalidArgument("must be a number", key);
  double d = v->get<double>();
  if (!(d >= min && d <= max)) {
    return Status::InvalidArgument("must be between " + std::to_string(min) + " and " + std::to_string(max), key);
  }
  return std::optional<double>(d);
}

Result<std::string> Body::Object(const char* key) {
  const Json* v = Find(key);
  if (!v) return Status::InvalidArgument("is required", key);
  if (!v->is_object()) return Status::InvalidArgument("must be a JSON object", key);
  return v->dump();
}

Result<std::optional<int64_t>> Body::OptTime(const char* key) {
  const Json* v = Find(key);
  if (!v) return std::optional<int64_t>();
  if (!v->is_string()) return Status::InvalidArgument("must be an RFC 3339 timestamp string", key);
  auto t = ParseRfc3339(v->get_ref<const std::string&>());
  if (!t.ok()) return Status::InvalidArgument(t.status().message(), key);
  return std::optional<int64_t>(*t);
}

Status Body::Done() const {
  for (const auto& [k, _] : j_.items()) {
    if (!read_.count(k)) return Status::InvalidArgument("unknown field", k);
  }
  return Status::Ok();
}

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kFailedPrecondition: return 409;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  Json field = status.field().empty() ? Json(nullptr) : Json(status.field());
  // Internal details (SQL, file paths) stay in the log, not in the response.
  std::string message = status.code() == Code::kInternal ? "internal error" : status.message();
  Response r = JsonResponse({{"error", {{"code", CodeName(status.code())}, {"message", message}, {"field", field}}}},
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
Json Time(const std::optional<int64_t>& ms) { return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr); }

}  // namespace mekong::http
