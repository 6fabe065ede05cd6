// The HTTP request path itself: any method, target (path and query), headers and body through
// http::App::Handle, the way the server hands a parsed request to the app, over a migrated
// in-memory SQLite store with a tiny region (a province, two districts, three communes, four
// people, a venue, a facility, a case, and accounts for an admin, a commune officer, a citizen
// and a gate device).
//
// An input reads like a request, so seeds are real requests (fuzz/seeds/http):
//
//   POST /api/v1/checkins?lang=vi
//   Authorization: Bearer @admin
//   Content-Type: application/json
//
//   {"venue_id": 1, "person_id": 1}
//
// The first line is the method and the target; header lines follow until an empty line; the
// rest is the body. "@admin", "@officer" and "@citizen" stand for those accounts' session
// tokens, "@device" for the gate's API key, "@poster" for venue 1's signed poster text and
// "@code" for the citizen's signed health code, so inputs reach past authentication and the
// signature checks. The clock stands still at 2026-12-01T12:00:00Z.
//
// Besides the sanitizers, the oracle is the answer: a 5xx other than 503 (a bounded queue) is a
// bug, and so is a JSON answer that does not match the route's declared schema (the app checks
// every answer, as the API tests do) or an error that is not {"error": {code, message, field}}.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "mekong/cases/cases.h"
#include "mekong/cases/service.h"
#include "mekong/command/alerts.h"
#include "mekong/command/centre.h"
#include "mekong/command/dashboard.h"
#include "mekong/command/meetings.h"
#include "mekong/command/service.h"
#include "mekong/core/config.h"
#include "mekong/core/json.h"
#include "mekong/core/log.h"
#include "mekong/documents/service.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/service.h"
#include "mekong/http/app.h"
#include "mekong/http/message.h"
#include "mekong/http/static_files.h"
#include "mekong/outbox/outbox.h"
#include "mekong/outbreak/service.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/registry/service.h"
#include "mekong/screening/service.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"
#include "mekong/telehealth/service.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/service.h"

namespace mekong {
namespace {

constexpr int64_t kNow = 1796126400000;  // 2026-12-01T12:00:00Z
constexpr const char* kPassword = "fuzz-password";

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::cerr << "http_fuzz set-up: " << what << ": " << s.ToString() << "\n";
    std::abort();
  }
}
template <typename T>
T Must(Result<T> r, const char* what) {
  Check(r.status(), what);
  return std::move(r).value();
}

struct World {
  Config config;
  FixedClock clock{kNow};
  std::unique_ptr<store::Database> db;
  std::unique_ptr<registry::Service> registry;
  std::unique_ptr<tracing::Service> tracing;
  std::unique_ptr<healthcode::Service> codes;
  std::unique_ptr<cases::Service> cases;
  std::unique_ptr<command::Service> command;
  std::unique_ptr<command::Dashboard> dashboard;
  std::unique_ptr<command::Centre> centre;
  std::unique_ptr<command::Tickets> tickets;
  std::unique_ptr<outbox::Outbox> outbox;
  std::unique_ptr<telehealth::Service> telehealth;
  std::unique_ptr<outbreak::Service> outbreak;
  std::unique_ptr<command::Meetings> meetings;
  std::unique_ptr<screening::Service> screening;
  std::unique_ptr<documents::Service> documents;
  std::unique_ptr<http::App> app;
  // What the "@name" placeholders of an input stand for.
  std::vector<std::pair<std::string, std::string>> names;

  std::string Session(const char* username) {
    return Must(registry::Login(*db, username, kPassword, kNow, 24 * kMillisPerHour), username)
        .token;
  }

  void Seed() {
    registry::OrgUnit province, a, b, a1, a2, b1;
    Check(db->Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(
          province, registry::CreateOrgUnit(
                        tx, {std::nullopt, "province", "Quảng Ninh", "VN-QN", "Asia/Ho_Chi_Minh"}));
      ASSIGN_OR_RETURN(a,
                       registry::CreateOrgUnit(tx, {province.id, "district", "Hạ Long", "QN-01"}));
      ASSIGN_OR_RETURN(b,
                       registry::CreateOrgUnit(tx, {province.id, "district", "Móng Cái", "QN-04"}));
      ASSIGN_OR_RETURN(a1, registry::CreateOrgUnit(tx, {a.id, "commune", "Bãi Cháy", "QN-01-01"}));
      ASSIGN_OR_RETURN(a2, registry::CreateOrgUnit(tx, {a.id, "commune", "Hồng Gai", "QN-01-02"}));
      ASSIGN_OR_RETURN(b1, registry::CreateOrgUnit(tx, {b.id, "commune", "Ka Long", "QN-04-01"}));
      std::vector<registry::Person> people;
      const std::pair<const char*, registry::OrgUnit*> who[] = {
          {"Nguyễn Văn An", &a1}, {"Trần Thị Bình", &a1}, {"Lê Minh Châu", &a2}, {"王伟", &b1}};
      int n = 0;
      for (const auto& [name, unit] : who) {
        registry::Person p;
        p.full_name = name;
        p.document_type = n == 3 ? "passport" : "national_id";
        p.document_number = "0221000000" + std::to_string(n++);
        p.nationality = n == 4 ? "CN" : "VN";
        p.language = n == 4 ? "zh" : "vi";
        p.birth_date = "1990-04-30";
        p.org_unit = unit->id;
        ASSIGN_OR_RETURN(auto made, registry::CreatePerson(tx, p, kNow));
        people.push_back(made);
      }
      registry::Venue v;
      v.name = "Chợ Hạ Long";
      v.kind = "market";
      v.capacity = 5;
      v.org_unit = a1.id;
      ASSIGN_OR_RETURN(auto venue, registry::CreateVenue(tx, v, kNow));
      RETURN_IF_ERROR(registry::CreateFacility(
                          tx, {FacilityId(), "Bệnh viện Bãi Cháy", "hospital", a.id, "", 0}, kNow)
                          .status());
      for (auto [user, role, unit, person] :
           {std::tuple{"admin", registry::Role::kAdmin, province.id, std::optional<PersonId>()},
            std::tuple{"officer", registry::Role::kCommandOfficer, a1.id,
                       std::optional<PersonId>()},
            std::tuple{"citizen", registry::Role::kCitizen, a1.id,
                       std::optional<PersonId>(people[0].id)}}) {
        RETURN_IF_ERROR(
            registry::CreateUser(tx, {user, kPassword, role, unit, person}, kNow).status());
      }
      ASSIGN_OR_RETURN(auto gate,
                       registry::CreateUser(
                           tx, {"gate", "", registry::Role::kDevice, b.id, std::nullopt}, kNow));
      ASSIGN_OR_RETURN(auto key, registry::IssueApiKey(tx, gate, "fuzz gate", kNow));
      names.emplace_back("@device", key);
      // Two people at the market together yesterday; the first is a case.
      std::vector<tracing::StayRow> stays;
      for (int i = 0; i < 3; ++i) {
        stays.push_back(
            {{people[i].id, venue.id, kNow - 26 * kMillisPerHour, kNow - 25 * kMillisPerHour},
             true,
             "qr"});
      }
      RETURN_IF_ERROR(tracing::WriteStays(tx, stays, kNow));
      ASSIGN_OR_RETURN(auto poster, registry::PosterText(tx, venue.id));
      names.emplace_back("@poster", poster);
      return cases::Confirm(
                 tx,
                 {people[1].id, kNow - 24 * kMillisPerHour, std::nullopt, std::nullopt, UserId(1)},
                 kNow, cases::SqlTracer())
          .status();
    }),
          "seed");
    for (const char* user : {"admin", "officer", "citizen"}) {
      names.emplace_back(std::string("@") + user, Session(user));
    }
    registry::Caller citizen =
        Must(registry::Authenticate(*db, names.back().second, kNow), "citizen");
    names.emplace_back("@code",
                       Must(codes->IssueCredential(citizen, PersonId(1)), "credential").text);
  }
};

World* Make() {
  log::SetLevel("off");
  auto* w = new World();  // lives until exit, so the follower threads never outlive it
  w->config.db = ":memory:";
  w->db = Must(store::Open(w->config.db, 1), "open");
  // Every module, as apps/mekong/wiring.cc lists them (the order comes from their dependencies).
  const std::vector<const store::Module*> modules = {
      &registry::kModule,  &tracing::kModule,  &healthcode::kModule, &cases::kModule,
      &outbox::kModule,    &command::kModule,  &telehealth::kModule, &outbreak::kModule,
      &documents::kModule, &screening::kModule};
  Check(store::MigrateModules(*w->db, modules), "migrate");
  auto tracing_options = tracing::ServiceOptions::From(w->config);
  tracing_options.feed_poll_ms = 3600 * 1000;  // writers catch the engine up themselves
  w->registry = std::make_unique<registry::Service>(*w->db, w->clock,
                                                    registry::ServiceOptions::From(w->config));
  w->tracing = std::make_unique<tracing::Service>(*w->db, w->clock, tracing_options);
  auto code_options = healthcode::ServiceOptions::From(w->config);
  code_options.feed_poll_ms = 3600 * 1000;
  w->codes = std::make_unique<healthcode::Service>(*w->db, w->clock, code_options);
  w->cases = std::make_unique<cases::Service>(*w->db, w->clock, *w->tracing, *w->codes);
  w->command = std::make_unique<command::Service>(*w->db, w->clock, *w->codes, 3600 * 1000);
  command::DashboardOptions board_options;
  board_options.feed_poll_ms = 3600 * 1000;
  w->dashboard = std::make_unique<command::Dashboard>(*w->db, w->clock, board_options);
  w->centre = std::make_unique<command::Centre>(*w->db, w->clock, *w->dashboard);
  w->tickets = std::make_unique<command::Tickets>(*w->db, w->clock);
  w->outbox = std::make_unique<outbox::Outbox>(*w->db, w->clock);
  w->telehealth = std::make_unique<telehealth::Service>(*w->db, w->clock);
  w->outbreak =
      std::make_unique<outbreak::Service>(*w->db, w->clock, *w->tracing, *w->codes, *w->cases);
  w->meetings = std::make_unique<command::Meetings>(*w->db, w->clock);
  w->screening = std::make_unique<screening::Service>(*w->db, w->clock);
  w->documents = std::make_unique<documents::Service>(*w->db, w->clock);
  w->Seed();
  Must(w->tracing->Start(), "tracing");
  Check(w->dashboard->Start(), "dashboard");
  http::AppOptions options;
  options.check_responses = true;
  options.cors_origins = {"http://localhost:5173"};
  http::Services services{w->config,    w->clock,       *w->db,       *w->registry, *w->tracing,
                          *w->codes,    *w->cases,      *w->command,  *w->centre,   *w->dashboard,
                          *w->tickets,  *w->telehealth, *w->outbreak, *w->outbox,   *w->documents,
                          *w->meetings, *w->screening};
  http::RegisterDocumentSubjects(services);
  w->app = std::make_unique<http::App>(services, options, nullptr);
  return w;
}

World* g_world = nullptr;

World& TheWorld() {
  if (!g_world) {
    g_world = Make();
    // The feed follower's thread stops before the statics it uses go away at exit.
    std::atexit([] {
      g_world->dashboard->Stop();
      g_world->tracing->Stop();
    });
  }
  return *g_world;
}

void Replace(std::string& s, const std::vector<std::pair<std::string, std::string>>& names) {
  for (const auto& [name, value] : names) {
    for (size_t at = s.find(name); at != std::string::npos; at = s.find(name, at + value.size())) {
      s.replace(at, name.size(), value);
    }
  }
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The request as server.cc's ToRequest builds it from what Beast parsed; false when the server
// would have answered 400 itself.
bool Parse(std::string text, const World& w, http::Request* r) {
  Replace(text, w.names);
  size_t eol = text.find('\n');
  std::string first = text.substr(0, eol);
  size_t sp = first.find(' ');
  if (sp == std::string::npos || sp == 0) return false;
  r->method = first.substr(0, sp);
  std::string target = first.substr(sp + 1);
  size_t q = target.find('?');
  r->path = target.substr(0, q);
  std::string decoded;
  if (!http::PercentDecode(r->path, false, &decoded)) return false;
  if (q != std::string::npos &&
      !http::ParseQuery(std::string_view(target).substr(q + 1), &r->query))
    return false;
  size_t at = eol == std::string::npos ? text.size() : eol + 1;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = Lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "content-type") r->content_type = value;
    if (name == "authorization") r->authorization = value;
    if (name == "x-api-key") r->api_key = value;
    if (name == "if-none-match") r->if_none_match = value;
    if (name == "accept-encoding") r->accept_encoding = value;
    if (name == "accept-language") r->accept_language = value;
    if (name == "origin") r->origin = value;
    if (name == "access-control-request-method") r->access_control_request_method = value;
  }
  if (at < text.size()) r->body = text.substr(at);
  r->request_id = "fuzz";
  r->client_address = "127.0.0.1";
  return true;
}

}  // namespace
}  // namespace mekong

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mekong;
  World& w = TheWorld();
  http::Request req;
  if (!Parse(std::string(reinterpret_cast<const char*>(data), size), w, &req)) return 0;
  http::Response out = w.app->Handle(req);
  if (out.status >= 500 && out.status != 503 && out.status != 501) {
    std::cerr << "http_fuzz: " << req.method << " " << req.path << " answered " << out.status
              << ": " << out.body.substr(0, 500) << "\n";
    std::abort();
  }
  if (out.status >= 400 && out.content_type.rfind("application/json", 0) == 0 &&
      out.status != 501) {
    auto body = ParseJson(out.body, "response", 256);
    if (!body.ok() || !body->is_object() || !body->contains("error") ||
        !(*body)["error"].is_object() || !(*body)["error"].contains("code") ||
        !(*body)["error"].contains("message") || !(*body)["error"].contains("field")) {
      std::cerr << "http_fuzz: an error that is not {\"error\": {code, message, field}}: "
                << out.body.substr(0, 500) << "\n";
      std::abort();
    }
  }
  // A session that signed out comes back, so later inputs still reach past authentication.
  if (req.path == "/api/v1/auth/logout" && out.status == 200) {
    for (auto& [name, value] : w.names) {
      if (name == "@admin" || name == "@officer" || name == "@citizen") {
        if (!registry::Authenticate(*w.db, value, w.clock.NowMillis()).ok())
          value = w.Session(name.c_str() + 1);
      }
    }
  }
  return 0;
}
