// The API: one explicit route table, per-route access rules, and dispatch from a Request to a
// module's service and back. See routes_*.cc for the tables.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mekong/core/config.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/http/message.h"
#include "mekong/http/metrics.h"
#include "mekong/registry/auth.h"
#include "mekong/tracing/service.h"
#include "mekong/store/database.h"

namespace mekong::http {

struct Services {
  store::Database& db;
  const Clock& clock;
  const Config& config;
  tracing::Service& tracing;
};

struct Context {
  const Request& req;
  const registry::Caller* caller;  // null on public routes
  Services& svc;
  int64_t now;
};

using Handler = std::function<Result<Response>(Context&)>;

struct Route {
  std::string method;
  std::string pattern;   // "/api/v1/people/{id}"
  std::string summary;   // one line for the OpenAPI document
  std::string tag;
  bool is_public = false;
  std::vector<registry::Role> roles;  // who may call it when not public
  Handler handler;
  std::string body_schema;  // JSON Schema of the request body, if it takes one
  int success_status = 200;
  std::string response_type = "application/json";
  std::string request_type = "application/json";  // of the body, when body_schema is set
};

class App {
 public:
  explicit App(Services services);
  // Routes, authenticates, authorises, calls the handler and maps errors. Never throws.
  Response Handle(Request& req);
  const std::vector<Route>& routes() const { return routes_; }
  std::string OpenApi() const;

 private:
  Result<Response> Dispatch(Request& req, const Route*& matched);
  Services svc_;
  std::vector<Route> routes_;
  Metrics metrics_;
};

// Route tables, one per area.
std::vector<Route> AuthRoutes();
std::vector<Route> RegistryRoutes();
std::vector<Route> TracingRoutes();
std::vector<Route> CaseRoutes();
std::vector<Route> HealthCodeRoutes();
std::vector<Route> CommandRoutes();
std::vector<Route> PolicyRoutes();
std::vector<Route> TravelRoutes();

}  // namespace mekong::http
