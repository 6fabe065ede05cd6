#include "mekong/http/app.h"

#include <chrono>
#include <set>

#include "mekong/core/json.h"
#include "mekong/core/log.h"
#include "mekong/http/json.h"
#include "mekong/http/static_files.h"

namespace mekong::http {

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kPublic:
      return "public";
    case Scope::kSignedIn:
      return "signed_in";
    case Scope::kSelf:
      return "self";
    case Scope::kOrgUnit:
      return "org_unit";
    case Scope::kSelfOrOrgUnit:
      return "self_or_org_unit";
    case Scope::kTopLevel:
      return "top_level";
    case Scope::kShared:
      return "shared";
  }
  return "public";
}

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool IsParam(std::string_view part) {
  return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

// The segments of `path` (still percent-encoded), each decoded after the split, so an encoded
// "/" stays inside its segment; false when one is malformed (no route matches it).
bool DecodedSegments(std::string_view path, std::vector<std::string>* out) {
  if (path.empty() || path[0] != '/') return false;
  for (auto part : Split(path)) {
    if (!PercentDecode(part, false, &out->emplace_back())) return false;
  }
  return true;
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& got) {
  if (pattern.size() != got.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (IsParam(pattern[i]) ? got[i].empty() : pattern[i] != got[i]) return false;
  }
  return true;
}

bool IsApiPath(std::string_view path) {
  // The API reference (/api/docs) is a page of the web build, not an API route.
  if (path == "/api/docs" || path.rfind("/api/docs/", 0) == 0) return false;
  return path.rfind("/api/", 0) == 0 || path.rfind("/.well-known/", 0) == 0 || path == "/healthz" ||
         path == "/metrics" || path == "/api";
}

// Headers every answer carries: what a browser may do with it.
void SecurityHeaders(Response& r, bool api) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  if (api) {
    // Personal data is never cached by a browser or a proxy (routes may say otherwise).
    // A route's own policy replaces the default (a printable page allows its style sheet).
    bool has_cache = false, has_policy = false;
    for (const auto& [k, _] : r.headers) {
      has_cache |= k == "Cache-Control";
      has_policy |= k == "Content-Security-Policy";
    }
    if (!has_cache) r.headers.emplace_back("Cache-Control", "no-store");
    if (!has_policy)
      r.headers.emplace_back("Content-Security-Policy",
                             "default-src 'none'; frame-ancestors 'none'");
  } else {
    // Images and videos over https: announcements carry media by link (docs/outbox.md).
    r.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
        "data: blob: https:; media-src 'self' blob: https:; connect-src 'self' ws: wss:; "
        "worker-src 'self'; "
        "manifest-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action "
        "'self'; frame-ancestors 'none'");
    r.headers.emplace_back("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
  }
}

Result<Json> DecodeParams(const std::vector<Field>& fields,
                          const std::vector<std::pair<std::string, std::string>>& given) {
  Json out = Json::object();
  for (const auto& [k, v] : given) {
    const Field* f = nullptr;
    for (const auto& d : fields) {
      if (d.name == k) f = &d;
    }
    if (!f) {
      std::string known;
      for (const auto& d : fields) known += (known.empty() ? "" : ", ") + d.name;
      return Status::InvalidArgument(known.empty()
                                         ? "unknown query parameter: this route takes none"
                                         : "unknown query parameter; this route takes " + known,
                                     k);
    }
    if (out.contains(k)) return Status::InvalidArgument("is given twice", k);
    ASSIGN_OR_RETURN(out[k], f->schema.FromText(v, k));
  }
  for (const auto& d : fields) {
    if (d.required && !out.contains(d.name)) return Status::InvalidArgument("is required", d.name);
  }
  return out;
}

Response FhirReserved() {
  // The FHIR R4 API is a later issue; its mount answers in FHIR's own error shape already.
  Response r;
  r.status = 501;
  r.content_type = "application/fhir+json";
  r.body = Json{{"resourceType", "OperationOutcome"},
                {"issue",
                 {{{"severity", "error"},
                   {"code", "not-supported"},
                   {"diagnostics", "the FHIR R4 API is not built yet"}}}}}
               .dump();
  return r;
}

}  // namespace

App::App(Services services, AppOptions options, std::unique_ptr<StaticFiles> web)
    : svc_(services), options_(std::move(options)), web_(std::move(web)) {
  routes_ = SystemRoutes(*this);
  for (auto* table :
       {&RegistryRoutes, &TracingRoutes, &CaseRoutes, &HealthCodeRoutes, &CommandRoutes,
        &PolicyRoutes, &TravelRoutes, &CentreRoutes, &TicketRoutes, &OutboxRoutes,
        &TelehealthRoutes, &OutbreakRoutes, &DocumentRoutes, &MeetingRoutes, &ScreeningRoutes}) {
    for (auto& r : table()) routes_.push_back(std::move(r));
  }
  // Split once here: every request is matched against every route until one fits.
  for (const Route& r : routes_) {
    auto& parts = patterns_.emplace_back();
    for (auto part : Split(r.path)) parts.emplace_back(part);
  }
  if (!web_) web_ = std::make_unique<StaticFiles>();
}

App::~App() = default;

Lane App::Classify(const Request& req) const {
  if (!IsApiPath(req.path)) return Lane::kInline;  // files from memory, the FHIR stub
  std::vector<std::string> got;
  if (!DecodedSegments(req.path, &got)) return Lane::kInline;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == req.method && Matches(patterns_[i], got)) return routes_[i].lane;
  }
  return Lane::kInline;  // a 404 or 405 costs nothing
}

Result<Response> App::Dispatch(Request& req, const Route*& matched, std::string& user) {
  if (req.method == "OPTIONS") {
    Response r;
    r.status = 204;
    if (!req.origin.empty()) {
      bool allowed = false;
      for (const auto& o : options_.cors_origins) allowed |= o == req.origin;
      if (!allowed)
        return Status::PermissionDenied("origin " + req.origin + " may not call this API");
      r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
      r.headers.emplace_back("Access-Control-Allow-Headers",
                             "Authorization, Content-Type, X-Api-Key, X-Request-Id");
      r.headers.emplace_back("Access-Control-Max-Age", "600");
    }
    r.headers.emplace_back("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
    return r;
  }
  if (req.path == "/fhir" || req.path.rfind("/fhir/", 0) == 0) return FhirReserved();
  if (IsApiPath(req.path)) return Api(req, matched, user);
  std::string decoded;
  if (!PercentDecode(req.path, false, &decoded))
    return Status::InvalidArgument("malformed path", "path");
  if (decoded.find("/..") != std::string::npos || decoded.find('\0') != std::string::npos) {
    return Status::NotFound("no such file");
  }
  if (auto file = web_->Serve(req, decoded)) return *file;
  if (web_->count() == 0 && (decoded == "/" || decoded == "/index.html")) {
    // No build to serve: say where it should come from, in words.
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><meta charset=utf-8><title>Mekong</title><h1>Mekong</h1><p>The web "
        "application is "
        "not built in this installation (expected in <code>" +
        web_->root() +
        "</code>; <code>make run</code> builds it). The API is under <a "
        "href=\"/api/docs\">/api/docs</a>.</p>";
    return r;
  }
  return Status::NotFound("no such page: " + decoded);
}

Result<Response> App::Api(Request& req, const Route*& matched, std::string& user) {
  std::vector<std::string> allowed;
  std::map<std::string, std::string> raw_params;
  bool head = req.method == "HEAD";
  std::vector<std::string> got;
  const bool decoded = DecodedSegments(req.path, &got);
  for (size_t i = 0; decoded && i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (!Matches(patterns_[i], got)) continue;
    if (r.method != req.method && !(head && r.method == "GET")) {
      allowed.push_back(r.method);
      continue;
    }
    matched = &r;
    for (size_t j = 0; j < got.size(); ++j) {
      const std::string& part = patterns_[i][j];
      if (IsParam(part)) raw_params[part.substr(1, part.size() - 2)] = std::move(got[j]);
    }
    break;
  }
  if (!matched) {
    if (!allowed.empty()) {
      std::string allow;
      for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
      Response r = ErrorResponse(
          Status::InvalidArgument(req.method + " is not allowed here; use " + allow, "method"));
      r.status = 405;
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return Status::NotFound("no route for " + req.method + " " + req.path);
  }
  const Route& route = *matched;
  const int64_t now = svc_.clock.NowMillis();

  registry::Caller caller;
  const bool public_route = !route.access.capability.has_value();
  if (!public_route) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!req.api_key.empty()) {
      ASSIGN_OR_RETURN(caller, svc_.registry.AuthenticateApiKey(req.api_key));
    } else if (req.authorization.rfind(kBearer, 0) == 0) {
      ASSIGN_OR_RETURN(caller,
                       svc_.registry.Authenticate(req.authorization.substr(kBearer.size())));
    } else {
      return Status::Unauthenticated(
          "send 'Authorization: Bearer <token>' (POST /api/v1/auth/login) or X-Api-Key");
    }
    user = caller.username;
    RETURN_IF_ERROR(registry::Require(caller, *route.access.capability));
    if (route.access.scope == Scope::kTopLevel) RETURN_IF_ERROR(registry::RequireTopLevel(caller));
  }

  Context ctx{req,   public_route ? nullptr : &caller, svc_, now, Json::object(), Json::object(),
              Json()};
  for (auto& [name, text] : raw_params) {
    Schema s = name == "id" ? Schema::Id() : Schema::String(200);
    for (const auto& f : route.path_params) {
      if (f.name == name) s = f.schema;
    }
    ASSIGN_OR_RETURN(ctx.path[name], s.FromText(text, name));
  }
  ASSIGN_OR_RETURN(ctx.query, DecodeParams(route.query, req.query));
  if (route.body) {
    ASSIGN_OR_RETURN(ctx.body, ParseJsonBody(req));
    RETURN_IF_ERROR(route.body->Decode(ctx.body, ""));
  } else if (!route.body_types.empty()) {
    bool known = false;
    std::string list;
    for (const auto& t : route.body_types) {
      known |= IsMediaType(req.content_type, t);
      list += (list.empty() ? "" : " or ") + t;
    }
    if (!known) return Status::InvalidArgument("Content-Type must be " + list, "Content-Type");
  } else if (req.body.find_first_not_of(" \t\r\n{}") != std::string::npos) {
    return Status::InvalidArgument("this route takes no body", "body");  // "{}" is forgiven
  }
  ASSIGN_OR_RETURN(Response out, route.handler(ctx));
  if (options_.check_responses && route.response && out.status < 300 &&
      out.content_type.rfind("application/json", 0) == 0 && out.status == route.status) {
    auto parsed = ParseJson(out.body, "response", 256);
    Status s = parsed.ok() ? route.response->Check(*parsed, "") : parsed.status();
    if (!s.ok()) {
      log::Error(
          "response_schema_mismatch",
          {{"route", route.method + " " + route.path}, {"field", s.field()}, {"why", s.message()}});
      return Status(Code::kInternal,
                    "the response does not match its schema at " + s.field() + ": " + s.message());
    }
  }
  if (head) out.head_only = true;
  return out;
}

void App::Decorate(const Request& req, Response& out) const {
  SecurityHeaders(out, IsApiPath(req.path) || out.content_type.rfind("application/json", 0) == 0);
  out.headers.emplace_back("X-Request-Id", req.request_id);
  if (!req.origin.empty()) {
    for (const auto& o : options_.cors_origins) {
      if (o == req.origin) {
        out.headers.emplace_back("Access-Control-Allow-Origin", o);
        out.headers.emplace_back("Vary", "Origin");
      }
    }
  }
}

Response App::Handle(Request& req) {
  auto started = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  Response out;
  std::string user;
  try {
    auto r = Dispatch(req, matched, user);
    if (r.ok()) {
      out = std::move(r).value();
    } else {
      if (r.status().code() == Code::kInternal || r.status().code() == Code::kUnavailable) {
        log::Error("http_error", {{"method", req.method},
                                  {"path", req.path},
                                  {"request_id", req.request_id},
                                  {"status", r.status().ToString()}});
      }
      out = ErrorResponse(r.status());
      if (r.status().code() == Code::kResourceExhausted)
        out.headers.emplace_back("Retry-After", "60");
    }
  } catch (const std::exception& e) {
    // A library threw past a handler: answer 500 and keep serving.
    log::Error("http_exception", {{"method", req.method}, {"path", req.path}, {"what", e.what()}});
    out = ErrorResponse(Status::Internal(e.what()));
  }
  Decorate(req, out);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Label values come from a fixed set, so clients cannot grow the number of series.
  static const std::set<std::string> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                 "DELETE", "HEAD", "OPTIONS"};
  std::string route = matched ? matched->path : IsApiPath(req.path) ? "unmatched" : "static";
  metrics_.Record(kMethods.count(req.method) ? req.method : "OTHER", route, out.status, seconds);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.2f", seconds * 1000);
  log::Info("http_request", {{"method", req.method},
                             {"path", req.path},
                             {"route", route},
                             {"status", std::to_string(out.status)},
                             {"ms", ms},
                             {"request_id", req.request_id},
                             {"user", user},
                             {"client", req.client_address}});
  return out;
}

std::string App::OpenApi() const {
  Json paths = Json::object();
  for (const Route& r : routes_) {
    Json op = {{"summary", r.summary}, {"tags", {r.tag}}, {"operationId", r.operation}};
    Json params = Json::array();
    for (auto part : Split(r.path)) {
      if (!IsParam(part)) continue;
      std::string name(part.substr(1, part.size() - 2));
      Schema s = name == "id" ? Schema::Id() : Schema::String(200);
      for (const auto& f : r.path_params) {
        if (f.name == name) s = f.schema;
      }
      params.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", s.ToOpenApi()}});
    }
    for (const auto& q : r.query) {
      params.push_back({{"name", q.name},
                        {"in", "query"},
                        {"required", q.required},
                        {"schema", q.schema.ToOpenApi()}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.body) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", r.body->ToOpenApi()}}}}}};
    } else if (!r.body_types.empty()) {
      Json content = Json::object();
      for (const auto& t : r.body_types) content[t] = {{"schema", {{"type", "string"}}}};
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    if (!r.access.capability) {
      op["security"] = Json::array();
    } else {
      Json roles = Json::array();
      for (auto role : registry::RolesWith(*r.access.capability))
        roles.push_back(registry::RoleName(role));
      op["x-roles"] = roles;
      op["x-capability"] = registry::CapabilityName(*r.access.capability);
    }
    op["x-scope"] = ScopeName(r.access.scope);
    if (!r.resource.empty()) op["x-resource"] = r.resource;
    Json content = Json::object();
    if (r.response_type == "application/json" && r.response) {
      content[r.response_type] = {{"schema", r.response->ToOpenApi()}};
    } else if (r.response_type == "application/json") {
      content[r.response_type] = {{"schema", {{"type", "object"}}}};
    } else {
      // Every media type carries a schema: renderers (Swagger UI) stop at one without.
      const bool text = r.response_type.rfind("text/", 0) == 0 ||
                        r.response_type == "image/svg+xml" ||
                        r.response_type == "application/x-pem-file";
      content[r.response_type] = {{"schema", text
                                                 ? Json{{"type", "string"}}
                                                 : Json{{"type", "string"}, {"format", "binary"}}}};
    }
    op["responses"] = {
        {std::to_string(r.status), {{"description", "success"}, {"content", content}}},
        {"default",
         {{"description", "error"},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    paths[r.path][method] = op;
  }
  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Mekong API"},
        {"version", "1"},
        {"description",
         "Cross-border digital health and epidemic response. Every error is {\"error\": {\"code\", "
         "\"message\", "
         "\"field\"}}. x-capability names what the caller's role must be allowed (x-roles lists "
         "those roles); "
         "x-scope says where the route acts (docs/access.md)."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", paths},
      {"security", {{{"bearer", Json::array()}}, {{"apiKey", Json::array()}}}},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Api-Key"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message", "field"}},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"field", {{"type", "string"}, {"nullable", true}}}}}}}}}}}}}}},
  };
  return doc.dump(2);
}

}  // namespace mekong::http
