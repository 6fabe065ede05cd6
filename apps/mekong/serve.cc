// `mekong serve`: the services, their jobs and the HTTP server, started in dependency order and
// stopped in reverse.
#include <iostream>
#include <thread>

#include "jobs.h"
#include "mekong/core/log.h"
#include "mekong/demo/demo.h"
#include "mekong/http/app.h"
#include "mekong/http/server.h"
#include "mekong/http/static_files.h"
#include "mekong/store/feed.h"
#include "wiring.h"

#ifndef MEKONG_WEB_ROOT
#define MEKONG_WEB_ROOT ""
#endif

namespace mekong::app {

namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  for (size_t at = 0; at < s.size();) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(at, comma - at);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    at = comma + 1;
  }
  return out;
}

void PrintAccounts() {
  std::cout << "Demo logins (POST /api/v1/auth/login):\n";
  for (const auto& a : demo::Accounts()) {
    std::cout << "  " << a.username
              << std::string(a.username.size() < 20 ? 20 - a.username.size() : 1, ' ') << a.password
              << "   " << a.role << " (" << a.note << ")\n";
  }
}

// One job per module with periodic work.
std::vector<Job> ModuleJobs(Services& s) {
  auto count = [](const char* event, const char* what) {
    return [event, what](int64_t n) {
      if (n > 0) log::Info(event, {{what, std::to_string(n)}});
    };
  };
  std::vector<Job> jobs = {
      {"tracing.retention", std::chrono::seconds(s.config.retention_sweep_seconds),
       [&s] {
         ASSIGN_OR_RETURN(auto swept, s.tracing->Sweep());
         if (swept.checkins || swept.trips) {
           log::Info("retention_sweep", {{"deleted_checkins", std::to_string(swept.checkins)},
                                         {"deleted_trips", std::to_string(swept.trips)}});
         }
         return Status::Ok();
       }},
      {"healthcode.due", std::chrono::seconds(60),
       [&s, log = count("health_code_sweep", "recomputed")] {
         ASSIGN_OR_RETURN(int64_t n, s.codes->Sweep());
         log(n);
         return Status::Ok();
       }},
      {"command.overdue", std::chrono::seconds(60),
       [&s, log = count("directives_overdue", "alerts")] {
         ASSIGN_OR_RETURN(int64_t n, s.centre->RaiseOverdue());
         log(n);
         return Status::Ok();
       }},
      {"command.escalation", std::chrono::seconds(60),
       [&s, log = count("alerts_escalated", "alerts")] {
         ASSIGN_OR_RETURN(int64_t n,
                          s.command->EscalateAlerts(int64_t{s.config.alert_escalate_minutes} *
                                                    kMillisPerMinute));
         log(n);
         return Status::Ok();
       }},
      {"command.tickets", std::chrono::seconds(60),
       [&s, log = count("tickets_late", "alerts")] {
         ASSIGN_OR_RETURN(int64_t n, s.tickets->RaiseLate());
         log(n);
         return Status::Ok();
       }},
      {"command.meetings", std::chrono::seconds(60),
       [&s, log = count("meeting_reminders", "alerts")] {
         ASSIGN_OR_RETURN(int64_t n, s.meetings->RemindDue());
         log(n);
         return Status::Ok();
       }},
      {"cases.follow_up", std::chrono::seconds(300),
       [&s, log = count("follow_up_sweep", "missed_checks")] {
         // Each missed check raises its alert in the sweep's transaction.
         const int64_t now = s.clock.NowMillis();
         ASSIGN_OR_RETURN(int64_t n, s.cases->SweepFollowUp(
                                         [now](store::Executor& tx, const cases::MissedCheck& m) {
                                           return command::RaiseMissedCheck(tx, m, now).status();
                                         }));
         log(n);
         return Status::Ok();
       }},
      {"registry.login_failures", std::chrono::seconds(600),
       [&s] { return s.registry->Sweep().status(); }},
      {"store.feed", std::chrono::seconds(3600),
       [&s, log = count("change_feed_pruned", "changes")] {
         ASSIGN_OR_RETURN(int64_t n,
                          store::PruneChanges(
                              *s.db, s.clock.NowMillis() -
                                         int64_t{s.config.feed_retention_hours} * kMillisPerHour));
         log(n);
         return Status::Ok();
       }},
  };
  // The contact index's snapshot while running, so a restart after a crash reads it and a short
  // tail of the feed (0: only at shutdown). Its first turn is right after the start.
  if (s.config.snapshot_every_seconds > 0) {
    jobs.push_back({"tracing.snapshot", std::chrono::seconds(s.config.snapshot_every_seconds),
                    [&s] { return s.tracing->SaveSnapshot(); }});
  }
  return jobs;
}

}  // namespace

int Serve(const Config& config, const cli::ServeFlags& flags) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int io = config.threads > 0 ? config.threads : cores;
  // Workers wait on the store; the pool holds a connection for each, and the followers one each.
  auto opened = Open(config, 4 * cores + io + 4, /*for_server=*/true);
  if (!opened.ok()) return cli::Fail(opened.status());
  Services& s = **opened;
  if (flags.load_demo) {
    auto empty = demo::IsEmpty(*s.db);
    if (!empty.ok()) return cli::Fail(empty.status());
    if (*empty) {
      std::cout << "The database is empty: loading the demo region...\n" << std::flush;
      auto sum = demo::Load(*s.db, s.clock.NowMillis(), {});
      if (!sum.ok()) return cli::Fail(sum.status());
      std::cout << "Loaded the Quang Ninh demo region: " << sum->people << " people, "
                << sum->checkins << " check-ins, " << sum->cases << " confirmed cases.\n"
                << "Demo API key for the gate device gate.mongcai.1 (shown once): "
                << sum->device_api_key << "\n";
    }
  }
  // The contact engine starts from its snapshot and the change feed after it, or from the
  // store; then every service follows the feed, so writes by any process reach it.
  auto load_start = std::chrono::steady_clock::now();
  auto from = s.tracing->Start();
  if (!from.ok()) return cli::Fail(from.status());
  double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  auto stats = s.tracing->engine_stats();
  log::Info("engine_loaded",
            {{"checkins", std::to_string(stats.checkins)},
             {"bytes", std::to_string(stats.bytes)},
             {"seconds", std::to_string(load_s)},
             {"from", *from == tracing::RestoredFrom::kSnapshot ? "snapshot" : "store"},
             {"feed_seq", std::to_string(s.tracing->feed_position())}});
  s.registry->Start();
  s.codes->Start();
  s.command->Start();
  if (Status d = s.dashboard->Start(); !d.ok()) return cli::Fail(d);

  std::string root = config.web_root.empty() ? MEKONG_WEB_ROOT : config.web_root;
  auto web = http::StaticFiles::Load(root);
  if (!web.ok()) return cli::Fail(web.status());
  if ((*web)->count() == 0) {
    log::Warn("web_app_missing", {{"web_root", root}, {"hint", "make run builds it (web/dist)"}});
  }
  http::AppOptions app_options;
  const char* check = std::getenv("MEKONG_CHECK_RESPONSES");
  app_options.check_responses = check && std::string(check) == "1";
  app_options.cors_origins = SplitList(config.cors_origins);
  http::Services services{s.config,    s.clock,       *s.db,       *s.registry, *s.tracing,
                          *s.codes,    *s.cases,      *s.command,  *s.centre,   *s.dashboard,
                          *s.tickets,  *s.telehealth, *s.outbreak, *s.outbox,   *s.documents,
                          *s.meetings, *s.screening};
  http::RegisterDocumentSubjects(services);
  http::App app(services, app_options, std::move(web).value());
  http::ServerOptions options;
  options.address = config.listen;
  options.port = config.port;
  options.threads = io;
  options.max_queued = config.max_queued_requests;
  options.max_connections = config.max_connections;
  options.max_body_bytes = config.max_body_bytes;
  options.request_timeout_seconds = config.request_timeout_seconds;
  options.shutdown_grace_seconds = config.shutdown_grace_seconds;
  auto server = http::Server::Listen(
      options, {[&app](const http::Request& r) { return app.Classify(r); },
                [&app](http::Request& r) { return app.Handle(r); },
                [&app](const http::Request& r, std::shared_ptr<http::SocketPeer> peer) {
                  return app.OpenSocket(r, std::move(peer));
                },
                // Long tracing queries stop before the grace period ends (SIGINT under load).
                [&s](std::chrono::steady_clock::time_point at) { s.tracing->StopQueries(at); }});
  if (!server.ok()) return cli::Fail(server.status());
  std::cout << "Mekong is serving on http://" << config.listen << ":" << (*server)->port()
            << "  (web app at /, API under /api/v1, reference at /api/docs; Ctrl-C stops)\n";
  if (flags.load_demo) PrintAccounts();
  std::cout << std::flush;
  {
    Jobs jobs(ModuleJobs(s));
    s.outbox->StartSender();
    log::Info("serving", {{"listen", config.listen},
                          {"port", std::to_string((*server)->port())},
                          {"db", config.db.rfind("postgres", 0) == 0 ? "postgresql" : config.db},
                          {"web_root", root}});
    (*server)->Run();
  }
  s.outbox->StopSender();
  s.dashboard->Stop();
  s.command->Stop();
  s.codes->Stop();
  s.registry->Stop();
  s.tracing->Stop();  // writes the snapshot
  return 0;
}

}  // namespace mekong::app
