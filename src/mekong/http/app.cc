#include "mekong/http/app.h"

#include <chrono>
#include <set>

#include "mekong/core/log.h"
#include "mekong/http/json.h"

namespace mekong::http {

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

bool Match(const std::string& pattern, std::string_view path, std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  auto want = Split(pattern), got = Split(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    std::string segment;
    if (!PercentDecode(got[i], false, &segment)) return false;
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (segment.empty()) return false;
      found[std::string(want[i].substr(1, want[i].size() - 2))] = std::move(segment);
    } else if (want[i] != segment) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

const std::string& Landing() {
  static const std::string kPage = R"(<!doctype html><html lang="en"><meta charset="utf-8"><title>Mekong</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto">
<h1>Mekong</h1><p>Cross-border digital health and epidemic response. This server speaks JSON under
<code>/api/v1</code>; the web application is not built yet.</p>
<ul><li><a href="/api/v1/openapi.json">OpenAPI document</a></li><li><a href="/healthz">/healthz</a></li>
<li><a href="/metrics">/metrics</a></li></ul></body></html>)";
  return kPage;
}

}  // namespace

App::App(Services services) : svc_(services) {
  routes_ = {
      {"GET", "/healthz", "Liveness and store reachability", "system", true, {},
       [](Context& ctx) -> Result<Response> {
         RETURN_IF_ERROR(ctx.svc.db.Query("SELECT 1"));
         return JsonResponse({{"status", "ok"}});
       }},
      {"GET", "/metrics", "Prometheus metrics", "system", true, {},
       [this](Context&) -> Result<Response> {
         Response r;
         r.content_type = "text/plain; version=0.0.4";
         r.body = metrics_.Render();
         return r;
       },
       "", 200, "text/plain"},
      {"GET", "/api/v1/openapi.json", "This document", "system", true, {},
       [this](Context&) -> Result<Response> {
         Response r;
         r.body = OpenApi();
         return r;
       }},
      {"GET", "/", "Landing page", "system", true, {},
       [](Context&) -> Result<Response> {
         Response r;
         r.content_type = "text/html; charset=utf-8";
         r.body = Landing();
         return r;
       },
       "", 200, "text/html"},
  };
  for (auto* table : {&AuthRoutes, &RegistryRoutes, &TracingRoutes, &CaseRoutes, &HealthCodeRoutes, &CommandRoutes,
                      &PolicyRoutes, &TravelRoutes}) {
    for (auto& r : table()) routes_.push_back(std::move(r));
  }
}

Result<Response> App::Dispatch(Request& req, const Route*& matched) {
  std::vector<std::string> allowed;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!Match(r.pattern, req.path, &params)) continue;
    if (r.method != req.method) {
      allowed.push_back(r.method);
      continue;
    }
    matched = &r;
    req.params = std::move(params);
    break;
  }
  if (!matched) {
    if (!allowed.empty()) {
      std::string allow;
      for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
      Response r = ErrorResponse(Status::InvalidArgument(req.method + " is not allowed here; use " + allow));
      r.status = 405;
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return Status::NotFound("no route for " + req.method + " " + req.path);
  }

  int64_t now = svc_.clock.NowMillis();
  registry::Caller caller;
  bool authenticated = false;
  if (!matched->is_public) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!req.api_key.empty()) {
      ASSIGN_OR_RETURN(caller, registry::AuthenticateApiKey(svc_.db, req.api_key, now));
    } else if (req.authorization.rfind(kBearer, 0) == 0) {
      ASSIGN_OR_RETURN(caller, registry::Authenticate(svc_.db, req.authorization.substr(kBearer.size()), now));
    } else {
      return Status::Unauthenticated("send 'Authorization: Bearer <token>' (POST /api/v1/auth/login) or X-Api-Key");
    }
    authenticated = true;
    bool allowed_role = false;
    for (auto role : matched->roles) allowed_role |= role == caller.role;
    if (!allowed_role) {
      return Status::PermissionDenied("role " + std::string(registry::RoleName(caller.role)) + " may not " +
                                      req.method + " " + matched->pattern);
    }
  }
  Context ctx{req, authenticated ? &caller : nullptr, svc_, now};
  return matched->handler(ctx);
}

Response App::Handle(Request& req) {
  auto started = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  Response out;
  try {
    auto r = Dispatch(req, matched);
    if (r.ok()) {
      out = std::move(r).value();
    } else {
      if (r.status().code() == Code::kInternal || r.status().code() == Code::kUnavailable) {
        log::Error("http_error", {{"method", req.method}, {"path", req.path}, {"status", r.status().ToString()}});
      }
      out = ErrorResponse(r.status());
    }
  } catch (const std::exception& e) {
    // A library threw past a handler: answer 500 and keep serving.
    log::Error("http_exception", {{"method", req.method}, {"path", req.path}, {"what", e.what()}});
    out = ErrorResponse(Status::Internal(e.what()));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Label values come from a fixed set, so clients cannot grow the number of series.
  static const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
  metrics_.Record(kMethods.count(req.method) ? req.method : "OTHER", matched ? matched->pattern : "unmatched",
                  out.status, seconds);
  log::Debug("http_request", {{"method", req.method},
                              {"path", req.path},
                              {"status", std::to_string(out.status)},
                              {"ms", std::to_string(seconds * 1000)}});
  return out;
}

std::string App::OpenApi() const {
  Json paths = Json::object();
  for (const Route& r : routes_) {
    Json op = {{"summary", r.summary}, {"tags", {r.tag}}, {"operationId", r.method + " " + r.pattern}};
    Json params = Json::array();
    for (auto part : Split(r.pattern)) {
      if (part.size() > 2 && part.front() == '{') {
        params.push_back({{"name", std::string(part.substr(1, part.size() - 2))},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.body_schema.empty()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{r.request_type, {{"schema", Json::parse(r.body_schema)}}}}}};
    }
    if (r.is_public) {
      op["security"] = Json::array();
    } else {
      Json roles = Json::array();
      for (auto role : r.roles) roles.push_back(registry::RoleName(role));
      op["x-roles"] = roles;
    }
    op["responses"] = {
        {std::to_string(r.success_status), {{"description", "success"}, {"content", {{r.response_type, Json::object()}}}}},
        {"default", {{"description", "error"}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    paths[r.pattern][method] = op;
  }
  Json doc = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "Mekong API"}, {"version", "1"}}},
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
