// The application's HTTP surface: one table of declared routes under /api/v1, the reserved
// /fhir mount, the web application's files, and the WebSocket of live alerts.
//
// A route declares everything about itself in one place (route.h): method and path, an
// operation id, who may call it (a capability from registry/access.h and the scope it acts
// in), its query parameters, body and response schemas (schema.h), its lane, and its handler.
// Dispatch authenticates, checks the capability, decodes and checks the path, query and body
// against the declaration, then calls the handler, which calls one service. The OpenAPI
// document is generated from the same declarations; so is the authorization matrix test.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mekong/cases/service.h"
#include "mekong/command/centre.h"
#include "mekong/command/meetings.h"
#include "mekong/command/service.h"
#include "mekong/command/tickets.h"
#include "mekong/core/config.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/documents/service.h"
#include "mekong/healthcode/service.h"
#include "mekong/http/message.h"
#include "mekong/http/metrics.h"
#include "mekong/http/schema.h"
#include "mekong/outbox/outbox.h"
#include "mekong/outbreak/service.h"
#include "mekong/registry/service.h"
#include "mekong/screening/service.h"
#include "mekong/store/database.h"
#include "mekong/telehealth/service.h"
#include "mekong/tracing/service.h"

namespace mekong::http {

class StaticFiles;

struct Services {
  const Config& config;
  const Clock& clock;
  store::Database& db;  // for /healthz; everything else goes through a service
  registry::Service& registry;
  tracing::Service& tracing;
  healthcode::Service& codes;
  cases::Service& cases;
  command::Service& command;
  command::Centre& centre;        // directives, tasks, situation reports
  command::Dashboard& dashboard;  // figures by org unit and day, from memory
  command::Tickets& tickets;      // hotline and feedback tickets
  telehealth::Service& telehealth;
  outbreak::Service& outbreak;
  outbox::Outbox& outbox;         // messages to people, their settings, deliveries
  documents::Service& documents;  // files attached to directives, cases, meetings
  command::Meetings& meetings;
  screening::Service& screening;  // the symptom self-assessment
};

// Names the records documents attach to, each answered by the service that owns it (the
// wiring and the fuzz target both call it, before the first request).
void RegisterDocumentSubjects(const Services& s);

// Where a route acts, for the reader of the OpenAPI document and for the authorization matrix
// test; the services enforce it on every record they touch.
enum class Scope {
  kPublic,         // anyone, signed in or not
  kSignedIn,       // the caller's own session
  kSelf,           // the caller's own person record (citizens)
  kOrgUnit,        // records inside the caller's org-unit subtree
  kSelfOrOrgUnit,  // a citizen's own record, or staff inside their unit
  kTopLevel,       // what every unit relies on: staff of a top-level unit only
  kShared,         // records every unit shares (trips cross every border)
};
std::string_view ScopeName(Scope s);

struct Access {
  std::optional<registry::Capability> capability;  // none: public
  Scope scope = Scope::kPublic;
};
inline Access Public() { return {}; }
inline Access Needs(registry::Capability c, Scope s) { return {c, s}; }

struct Context {
  const Request& req;
  const registry::Caller* caller;  // null on public routes
  Services& svc;
  int64_t now;
  Json path;   // path parameters, decoded ({id} is an integer)
  Json query;  // the declared query parameters that were given, decoded
  Json body;   // a JSON body decoded by the route's schema (times as milliseconds)

  const registry::Caller& by() const { return *caller; }
};

using Handler = std::function<Result<Response>(Context&)>;

struct Route {
  std::string method;
  std::string path;       // "/api/v1/people/{id}"
  std::string operation;  // OpenAPI operationId, lowerCamelCase: "getPerson"
  std::string summary;
  std::string tag;
  Access access;
  std::vector<Field> query;             // declared query parameters; others are refused
  std::vector<Field> path_params;       // beyond {id}, which is always an id
  std::optional<Schema> body;           // a JSON body
  std::vector<std::string> body_types;  // a non-JSON body's media types ("text/csv"), read raw
  std::optional<Schema> response;       // the JSON answer's shape
  int status = 200;
  std::string response_type = "application/json";
  Lane lane = Lane::kNormal;
  Handler handler;
  // A resource kind the path's {id} names ("person", "venue", "case"...), for the matrix test.
  std::string resource;
};

struct AppOptions {
  // Check every JSON answer against its route's response schema; a mismatch is a 500 that
  // names the field (the API tests run with this on).
  bool check_responses = false;
  std::vector<std::string> cors_origins;
};

class App {
 public:
  App(Services services, AppOptions options, std::unique_ptr<StaticFiles> web);
  ~App();

  // Which worker lane a request runs on: cheap, on the I/O thread.
  Lane Classify(const Request& req) const;
  // Routes, authenticates, authorises, decodes, calls the handler and maps errors. Never throws.
  Response Handle(Request& req);
  // A WebSocket upgrade: the live feed at /api/v1/ws, or null to refuse it.
  std::unique_ptr<SocketSession> OpenSocket(const Request& req, std::shared_ptr<SocketPeer> peer);

  const std::vector<Route>& routes() const { return routes_; }
  std::string OpenApi() const;
  Metrics& metrics() { return metrics_; }

 private:
  // `user` is the caller's username once authenticated, for the request log.
  Result<Response> Dispatch(Request& req, const Route*& matched, std::string& user);
  Result<Response> Api(Request& req, const Route*& matched, std::string& user);
  void Decorate(const Request& req, Response& out) const;

  Services svc_;
  AppOptions options_;
  std::unique_ptr<StaticFiles> web_;
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> patterns_;  // each route's path, split at "/"
  Metrics metrics_;
};

// Route tables, one per area (routes_*.cc).
std::vector<Route> SystemRoutes(App& app);
std::vector<Route> RegistryRoutes();
std::vector<Route> TracingRoutes();
std::vector<Route> CaseRoutes();
std::vector<Route> HealthCodeRoutes();
std::vector<Route> CommandRoutes();
std::vector<Route> PolicyRoutes();
std::vector<Route> TravelRoutes();
std::vector<Route> CentreRoutes();
std::vector<Route> TicketRoutes();
std::vector<Route> OutboxRoutes();
std::vector<Route> TelehealthRoutes();
std::vector<Route> ScreeningRoutes();
std::vector<Route> OutbreakRoutes();
std::vector<Route> DocumentRoutes();
std::vector<Route> MeetingRoutes();

}  // namespace mekong::http
