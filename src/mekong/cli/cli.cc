#include "mekong/cli/cli.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <condition_variable>
#include <iostream>
#include <sstream>
#include <thread>

#include "mekong/benchmark/tracing_bench.h"
#include "mekong/cases/cases.h"
#include "mekong/cli/trace.h"
#include "mekong/command/alerts.h"
#include "mekong/core/config.h"
#include "mekong/core/log.h"
#include "mekong/core/time.h"
#include "mekong/demo/demo.h"
#include "mekong/healthcode/credential.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/http/app.h"
#include "mekong/http/server.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/checkins.h"
#include "mekong/registry/access.h"
#include "mekong/tracing/service.h"
#include "mekong/tracing/import.h"
#include "mekong/tracing/travel.h"

namespace mekong::cli {

namespace {

// Flags shared by every command that touches the store.
struct Common {
  std::string config_path;
  std::string db;
};

void AddCommon(CLI::App* cmd, Common* c) {
  cmd->add_option("--config", c->config_path, "TOML settings file (see docs/configuration.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--db", c->db, "SQLite path or postgresql:// URL (default ./data/mekong.db)");
}

Result<Config> LoadConfig(const Common& c) {
  ASSIGN_OR_RETURN(Config config, Config::Load(c.config_path, [](const char* k) { return std::getenv(k); }));
  if (!c.db.empty()) config.db = c.db;
  return config;
}

// Opens the store and brings every module's schema up to date, lowest layer first.
Result<std::unique_ptr<store::Database>> OpenStore(const Config& config, int pool) {
  ASSIGN_OR_RETURN(auto db, store::Open(config.db, pool));
  const store::Module* modules[] = {&registry::kModule, &tracing::kModule, &healthcode::kModule, &cases::kModule,
                                    &command::kModule};
  RETURN_IF_ERROR(store::MigrateModules(*db, modules));
  return db;
}

int Fail(const Status& s) {
  std::cerr << "mekong: " << s.message();
  if (!s.field().empty()) std::cerr << " (" << s.field() << ")";
  std::cerr << "\n";
  return 1;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path, path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Prints a verdict as one JSON object; the exit code says valid (0) or not (1).
int PrintVerdict(const healthcode::Verdict& v) {
  std::cout << "{\"format\": \"" << v.format << "\", \"valid\": " << (v.valid ? "true" : "false");
  if (!v.reason.empty()) std::cout << ", \"reason\": \"" << v.reason << "\"";
  if (!v.issuer.empty()) std::cout << ", \"issuer\": \"" << v.issuer << "\"";
  if (v.expires_at) std::cout << ", \"expires_at\": \"" << FormatRfc3339(*v.expires_at * 1000) << "\"";
  if (!v.details_json.empty()) std::cout << ", \"details\": " << v.details_json;
  std::cout << "}\n";
  return v.valid ? 0 : 1;
}

void PrintDemo(const demo::Summary& s) {
  std::cout << "Loaded the Quang Ninh demo region: " << s.org_units << " org units, " << s.venues << " venues, "
            << s.people << " people, " << s.checkins << " check-ins, " << s.cases << " confirmed cases with "
            << s.contacts << " close contacts.\n"
            << "Demo API key for the gate device gate.mongcai.1 (shown once): " << s.device_api_key << "\n";
}

void PrintAccounts() {
  std::cout << "Demo logins (POST /api/v1/auth/login):\n";
  for (const auto& a : demo::Accounts()) {
    std::cout << "  " << a.username << std::string(a.username.size() < 20 ? 20 - a.username.size() : 1, ' ')
              << a.password << "   " << a.role << " (" << a.note << ")\n";
  }
}

// Deletes check-ins past the retention period and recomputes the health codes whose green time
// has come, at start-up and then every minute (or `retention_sweep_seconds` if shorter) until
// stopped. Runs beside the server; several servers over one database may all sweep.
class RetentionSweeper {
 public:
  RetentionSweeper(store::Database& db, const Clock& clock, const Config& config, tracing::Service& tracing)
      : thread_([this, &db, &clock, &config, &tracing] {
          std::unique_lock lock(mu_);
          do {
            auto swept = tracing.Sweep();
            if (!swept.ok()) {
              log::Error("retention_sweep_failed", {{"error", swept.status().ToString()}});
            } else if (swept->checkins > 0 || swept->trips > 0) {
              log::Info("retention_sweep", {{"deleted_checkins", std::to_string(swept->checkins)},
                                            {"deleted_trips", std::to_string(swept->trips)}});
            }
            auto due = healthcode::RecomputeDue(db, clock.NowMillis());
            if (!due.ok()) {
              log::Error("health_code_sweep_failed", {{"error", due.status().ToString()}});
            } else if (*due > 0) {
              log::Info("health_code_sweep", {{"recomputed", std::to_string(*due)}});
            }
          } while (!cv_.wait_for(lock, std::chrono::seconds(std::min(config.retention_sweep_seconds, 60)),
                                 [this] { return stop_; }));
        }) {}
  ~RetentionSweeper() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // declared last: it starts once the members it uses exist
};

int Serve(const Common& common, const std::string& listen, int port, int threads, bool load_demo) {
  auto config = LoadConfig(common);
  if (!config.ok()) return Fail(config.status());
  if (!listen.empty()) config->listen = listen;
  if (port >= 0) config->port = port;
  if (threads > 0) config->threads = threads;
  if (Status s = config->Validate(); !s.ok()) return Fail(s);
  log::SetLevel(config->log_level);
  int workers = config->threads > 0 ? config->threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto db = OpenStore(*config, workers + 2);
  if (!db.ok()) return Fail(db.status());
  SystemClock clock;
  if (load_demo) {
    auto empty = demo::IsEmpty(**db);
    if (!empty.ok()) return Fail(empty.status());
    if (*empty) {
      std::cout << "The database is empty: loading the demo region...\n" << std::flush;
      auto sum = demo::Load(**db, clock.NowMillis(), {});
      if (!sum.ok()) return Fail(sum.status());
      PrintDemo(*sum);
    }
  }
  // The contact engine starts from its snapshot and the change feed after it, or from the
  // store; then it follows the feed (writes by any process reach it).
  tracing::Service tracing(**db, clock, tracing::ServiceOptions::From(*config));
  auto load_start = std::chrono::steady_clock::now();
  auto from = tracing.Start();
  if (!from.ok()) return Fail(from.status());
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  auto stats = tracing.engine_stats();
  log::Info("engine_loaded", {{"checkins", std::to_string(stats.checkins)}, {"bytes", std::to_string(stats.bytes)},
                              {"seconds", std::to_string(load_s)},
                              {"from", *from == tracing::RestoredFrom::kSnapshot ? "snapshot" : "store"},
                              {"feed_seq", std::to_string(tracing.feed_position())}});
  http::App app({**db, clock, *config, tracing});
  http::ServerOptions options{config->listen, config->port, config->threads, config->max_body_bytes,
                              config->request_timeout_seconds, config->shutdown_grace_seconds};
  auto server = http::Server::Listen(options, [&app](http::Request& req) { return app.Handle(req); });
  if (!server.ok()) return Fail(server.status());
  std::cout << "Mekong is serving on http://" << config->listen << ":" << (*server)->port()
            << "  (API under /api/v1, OpenAPI at /api/v1/openapi.json; Ctrl-C stops)\n";
  if (load_demo) PrintAccounts();
  std::cout << std::flush;
  auto sweeper = std::make_unique<RetentionSweeper>(**db, clock, *config, tracing);
  log::Info("serving", {{"listen", config->listen}, {"port", std::to_string((*server)->port())},
                        {"db", config->db.rfind("postgres", 0) == 0 ? "postgresql" : config->db}});
  (*server)->Run();
  sweeper.reset();
  tracing.Stop();  // writes the snapshot
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Mekong: cross-border digital health and epidemic response"};
  app.require_subcommand(1);
  Common common;

  auto* serve = app.add_subcommand("serve", "Serve the HTTP API until SIGINT or SIGTERM");
  AddCommon(serve, &common);
  std::string listen;
  int port = -1, threads = 0;
  bool with_demo = false;
  serve->add_option("--listen", listen, "address to bind (default 127.0.0.1)");
  serve->add_option("--port", port, "TCP port; 0 picks a free one (default 8080)")->check(CLI::Range(0, 65535));
  serve->add_option("--threads", threads, "worker threads (default: one per core)")->check(CLI::Range(1, 256));
  serve->add_flag("--demo", with_demo, "load the demo region first if the database is empty");

  auto* migrate = app.add_subcommand("migrate", "Create or upgrade the database schema");
  AddCommon(migrate, &common);

  auto* demo_cmd = app.add_subcommand("demo", "Load the Quang Ninh demo region into an empty database");
  AddCommon(demo_cmd, &common);
  demo::Options demo_options;
  demo_cmd->add_option("--seed", demo_options.seed, "random seed");
  demo_cmd->add_option("--people", demo_options.people, "residents and foreigners")->check(CLI::Range(10, 1000000));
  demo_cmd->add_option("--venues", demo_options.venues, "venues")->check(CLI::Range(10, 100000));

  auto* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user; the password is read from standard input");
  AddCommon(user_add, &common);
  std::string username, role, org_unit;
  int64_t person = 0;
  user_add->add_option("--username", username, "login name")->required();
  user_add->add_option("--role", role,
                       "admin, command_officer, tracer, lab_technician, clinician, venue_operator, "
                       "checkpoint_officer, citizen or device")
      ->required();
  user_add->add_option("--org-unit", org_unit, "org unit code (e.g. QN-01) or id")->required();
  user_add->add_option("--person", person, "the person id a citizen account belongs to");

  auto* import = app.add_subcommand("import", "Import data from files");
  import->require_subcommand(1);
  auto* import_checkins = import->add_subcommand(
      "checkins", "Check-ins from CSV (person_id,venue_id,time_in[,time_out]) or NDJSON; RFC 3339 times");
  AddCommon(import_checkins, &common);
  std::string import_file, import_format;
  bool strict = false;
  import_checkins->add_option("file", import_file, "the file")->required()->check(CLI::ExistingFile);
  import_checkins->add_option("--format", import_format, "csv or ndjson (default: by the file's extension)")
      ->check(CLI::IsMember({"csv", "ndjson"}));
  import_checkins->add_flag("--strict", strict, "import nothing if any line is bad");
  size_t batch_lines = 100000;
  import_checkins->add_option("--batch-lines", batch_lines, "lines per batch (and per transaction without --strict)")
      ->check(CLI::Range(1, 10000000));

  auto* import_travel = import->add_subcommand(
      "travel", "A carrier's passenger manifest, CSV or NDJSON (see docs/tracing.md); trips are created as needed");
  AddCommon(import_travel, &common);
  import_travel->add_option("file", import_file, "the file")->required()->check(CLI::ExistingFile);
  import_travel->add_option("--format", import_format, "csv or ndjson (default: by the file's extension)")
      ->check(CLI::IsMember({"csv", "ndjson"}));
  import_travel->add_flag("--strict", strict, "import nothing if any line is bad");

  // Tracing queries straight from the store: the engine is built from it first (its load time
  // goes to stderr); co-travellers are plain SQL.
  auto* trace = app.add_subcommand("trace", "Contact-tracing queries (the API's, from the command line)");
  trace->require_subcommand(1);
  TraceArgs ta;
  auto* trace_contacts = trace->add_subcommand("contacts", "Close contacts of a person, to a depth of 1-3");
  auto* trace_co = trace->add_subcommand("co-travellers", "Who shared a trip with a person");
  auto* trace_occupancy = trace->add_subcommand("occupancy", "People at a venue at a time (--at) or over a day (--day)");
  for (auto* c : {trace_contacts, trace_co, trace_occupancy}) {
    AddCommon(c, &common);
    c->add_flag("--json", ta.json, "print JSON");
  }
  for (auto* c : {trace_contacts, trace_co}) {
    c->add_option("person", ta.id, "the person id")->required()->check(CLI::PositiveNumber);
    c->add_option("--from", ta.from, "window start, RFC 3339 (default: the policy's infectious window, or retention)");
    c->add_option("--to", ta.to, "window end, RFC 3339 (default: now)");
  }
  trace_contacts->add_option("--depth", ta.depth, "hops, 1 to 3")->check(CLI::Range(1, 3));
  trace_contacts->add_option("--min-overlap-minutes", ta.min_overlap_minutes, "default: the policy's")
      ->check(CLI::Range(0, 1440));
  trace_co->add_option("--rows", ta.rows, "seat rows apart that still count (default 2)")->check(CLI::Range(0, 50));
  trace_occupancy->add_option("venue", ta.id, "the venue id")->required()->check(CLI::PositiveNumber);
  trace_occupancy->add_option("--at", ta.at, "an instant, RFC 3339 (default: now)");
  trace_occupancy->add_option("--day", ta.day, "a UTC date, YYYY-MM-DD");

  auto* retention = app.add_subcommand("retention", "Delete check-ins older than the retention period");
  retention->require_subcommand(1);
  auto* retention_run = retention->add_subcommand("run", "Delete them now (the server also does this hourly)");
  AddCommon(retention_run, &common);

  auto* keys = app.add_subcommand("keys", "Health-code signing keys");
  keys->require_subcommand(1);
  auto* keys_export = keys->add_subcommand("export", "Print the public keys verifiers should trust now");
  AddCommon(keys_export, &common);
  auto* keys_rotate = keys->add_subcommand("rotate", "Retire the signing key and start a new one");
  AddCommon(keys_rotate, &common);

  auto* trust = app.add_subcommand("trust", "Foreign issuers and the offline trust bundle");
  trust->require_subcommand(1);
  std::string trust_file, country, issuer;
  auto* trust_eu = trust->add_subcommand("import-eu", "Trust an EU DCC document signer certificate (PEM or base64)");
  AddCommon(trust_eu, &common);
  trust_eu->add_option("--country", country, "the issuing country, ISO 3166-1 alpha-2")->required();
  trust_eu->add_option("file", trust_file, "certificate file")->required();
  auto* trust_shc = trust->add_subcommand("import-shc", "Trust a SMART Health Cards issuer's JWKS");
  AddCommon(trust_shc, &common);
  trust_shc->add_option("--issuer", issuer, "the issuer URL (the iss of its cards)")->required();
  trust_shc->add_option("file", trust_file, "the issuer's jwks.json")->required();
  auto* trust_bundle = trust->add_subcommand("bundle", "Print the offline trust bundle (JSON)");
  AddCommon(trust_bundle, &common);

  auto* policy = app.add_subcommand("policy", "The health-code policy (docs/policy.md)");
  policy->require_subcommand(1);
  std::string policy_file;
  auto* policy_check = policy->add_subcommand("check", "Validate a policy file; every error with its line; exit 0 if valid");
  policy_check->add_option("file", policy_file, "the TOML file")->required();
  AddCommon(policy_check, &common);  // accepted for uniformity; checking needs no database
  auto* policy_activate = policy->add_subcommand("activate", "Make a policy file the active version and recompute codes");
  AddCommon(policy_activate, &common);
  policy_activate->add_option("file", policy_file, "the TOML file")->required();
  auto* policy_show = policy->add_subcommand("show", "Print the active policy");
  AddCommon(policy_show, &common);
  auto* policy_default = policy->add_subcommand("default", "Print the built-in default policy");

  auto* bench = app.add_subcommand("bench", "Benchmarks (not tests); see docs/benchmarks.md");
  bench->require_subcommand(1);
  benchmark::BenchOptions bench_options;
  auto* bench_tracing = bench->add_subcommand(
      "tracing", "Engine vs SQLite (and PostgreSQL with --pg-url) on a seeded population; exit 1 if results differ");
  bench_tracing->add_option("--people", bench_options.population.people)->check(CLI::Range(int64_t{10}, int64_t{100000000}));
  bench_tracing->add_option("--venues", bench_options.population.venues)->check(CLI::Range(int64_t{10}, int64_t{10000000}));
  bench_tracing->add_option("--days", bench_options.population.days)->check(CLI::Range(7, 60));
  bench_tracing->add_option("--checkins", bench_options.population.checkins, "target total")
      ->check(CLI::Range(int64_t{100}, int64_t{2000000000}));
  bench_tracing->add_option("--seed", bench_options.population.seed);
  bench_tracing->add_option("--cases", bench_options.cases, "random cases (plus 20 super-spreaders)")
      ->check(CLI::Range(1, 1000000));
  bench_tracing->add_option("--seconds-per-kind", bench_options.seconds_per_kind,
                            "time budget per store and query kind")->check(CLI::Range(0.1, 3600.0));
  bench_tracing->add_option("--pg-url", bench_options.postgres_url,
                            "an empty PostgreSQL database (scripts/bench-tracing.sh starts one)");
  bool no_sqlite = false;
  bench_tracing->add_flag("--no-sqlite", no_sqlite, "skip the SQLite baseline");
  bench_tracing->add_option("--work-dir", bench_options.work_dir, "where the SQLite file goes (default: temp)");

  auto* verify = app.add_subcommand("verify", "Verify a health code, EU DCC or SMART Health Card; exit 0 if valid");
  AddCommon(verify, &common);
  std::string bundle_path;
  std::vector<std::string> texts;
  verify->add_option("--bundle", bundle_path, "verify offline against this trust bundle instead of the database")
      ->check(CLI::ExistingFile);
  verify->add_option("text", texts, "the scanned text (several for a multi-part SMART Health Card)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (serve->parsed()) return Serve(common, listen, port, threads, with_demo);
  if (bench_tracing->parsed()) {
    bench_options.sqlite = !no_sqlite;
    Status s = benchmark::RunTracingBench(bench_options, std::cout);
    if (!s.ok()) return Fail(s);
    return 0;
  }
  if (policy_default->parsed()) {
    std::cout << healthcode::DefaultPolicyText();
    return 0;
  }
  if (policy_check->parsed()) {
    auto text = ReadFile(policy_file);
    if (!text.ok()) return Fail(text.status());
    std::vector<healthcode::PolicyError> errors;
    auto p = healthcode::ParsePolicy(*text, &errors);
    for (const auto& e : errors) {
      std::cerr << policy_file << ":" << (e.line ? std::to_string(e.line) + ":" : std::string()) << " "
                << (e.key.empty() ? "" : e.key + ": ") << e.message << "\n";
    }
    if (!p.ok()) return 1;
    std::cout << policy_file << ": valid, version " << p->version << " (" << p->name << "), "
              << p->risk_areas.size() << " risk areas\n";
    return 0;
  }
  if (verify->parsed() && !bundle_path.empty()) {
    // Offline: no database, only the bundle a checkpoint downloaded.
    auto text = ReadFile(bundle_path);
    if (!text.ok()) return Fail(text.status());
    auto bundle = healthcode::BundleFromJson(*text);
    if (!bundle.ok()) return Fail(bundle.status());
    return PrintVerdict(healthcode::Verify(texts, *bundle, SystemClock().NowMillis()));
  }

  auto config = LoadConfig(common);
  if (!config.ok()) return Fail(config.status());
  log::SetLevel(config->log_level);
  auto db = OpenStore(*config, 2);
  if (!db.ok()) return Fail(db.status());
  SystemClock clock;

  if (migrate->parsed()) {
    std::cout << "Schema is up to date in " << (config->db.rfind("postgres", 0) == 0 ? "PostgreSQL" : config->db)
              << "\n";
    return 0;
  }
  if (demo_cmd->parsed()) {
    auto sum = demo::Load(**db, clock.NowMillis(), demo_options);
    if (!sum.ok()) return Fail(sum.status());
    PrintDemo(*sum);
    PrintAccounts();
    return 0;
  }
  const int64_t now = clock.NowMillis();
  if (verify->parsed()) {
    auto bundle = healthcode::LoadBundle(**db, now);
    if (!bundle.ok()) return Fail(bundle.status());
    return PrintVerdict(healthcode::Verify(texts, *bundle, now));
  }
  if (import_checkins->parsed() || import_travel->parsed()) {
    bool ndjson = import_format == "ndjson" ||
                  (import_format.empty() && (import_file.ends_with(".ndjson") || import_file.ends_with(".jsonl")));
    auto format = ndjson ? tracing::ImportFormat::kNdjson : tracing::ImportFormat::kCsv;
    // Rejected lines to stderr as file:line, then a summary; exit 1 when any line was rejected.
    auto report = [&](const std::vector<tracing::Rejected>& rejected, size_t count, const std::string& imported) {
      for (const auto& x : rejected) {
        std::cerr << import_file << ":" << x.line << ": " << (x.field.empty() ? "" : x.field + " ") << x.reason << "\n";
      }
      std::cout << "Imported " << imported;
      if (count) {
        std::cout << "; rejected " << count << " lines" << (strict ? " (--strict: nothing imported)" : "");
        if (count > rejected.size()) std::cout << " (the first " << rejected.size() << " are listed)";
      }
      std::cout << "\n";
      return count ? 1 : 0;
    };
    tracing::Service tracing(**db, clock, tracing::ServiceOptions::From(*config));
    if (import_checkins->parsed()) {
      std::ifstream in(import_file, std::ios::binary);
      if (!in) return Fail(Status::NotFound("cannot read " + import_file, import_file));
      auto r = tracing.Import(registry::SystemCaller(), in, format,
                              {.strict = strict, .batch_lines = batch_lines, .max_listed = 100000,
                               .progress = tracing::TerminalProgress()});
      if (!r.ok()) return Fail(r.status());
      return report(r->rejected, r->rejected_count, std::to_string(r->imported) + " check-ins");
    }
    auto text = ReadFile(import_file);
    if (!text.ok()) return Fail(text.status());
    auto r = tracing.ImportManifest(registry::SystemCaller(), *text, format, strict);
    if (!r.ok()) return Fail(r.status());
    return report(r->rejected, r->rejected.size(),
                  std::to_string(r->passengers) + " passengers (" + std::to_string(r->trips_created) + " new trips)");
  }
  if (trace_contacts->parsed() || trace_co->parsed() || trace_occupancy->parsed()) {
    TraceKind kind = trace_contacts->parsed() ? TraceKind::kContacts
                     : trace_co->parsed()     ? TraceKind::kCoTravellers
                                              : TraceKind::kOccupancy;
    Status s = RunTrace(**db, *config, kind, ta, now, std::cout);
    if (!s.ok()) return Fail(s);
    return 0;
  }
  if (policy_show->parsed()) {
    auto versions = healthcode::PolicyVersions(**db);
    if (!versions.ok()) return Fail(versions.status());
    std::cout << versions->front().text;
    return 0;
  }
  if (policy_activate->parsed()) {
    auto text = ReadFile(policy_file);
    if (!text.ok()) return Fail(text.status());
    healthcode::Activation done;
    Status s = (*db)->Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(done, healthcode::ActivatePolicy(tx, *text, std::nullopt, now));
      return Status::Ok();
    });
    if (!s.ok()) return Fail(s);
    std::cout << "Policy version " << done.policy.version << " (" << done.policy.name << ") is active; recomputed "
              << done.recomputed << " health codes\n";
    return 0;
  }
  if (retention_run->parsed()) {
    tracing::Service tracing(**db, clock, tracing::ServiceOptions::From(*config));
    auto swept = tracing.Sweep();
    if (!swept.ok()) return Fail(swept.status());
    std::cout << "Deleted " << swept->checkins << " check-ins and " << swept->trips << " trips that ended more than "
              << config->retention_days << " days ago\n";
    return 0;
  }
  if (keys_export->parsed() || trust_bundle->parsed()) {
    auto bundle = healthcode::LoadBundle(**db, now);
    if (!bundle.ok()) return Fail(bundle.status());
    if (keys_export->parsed()) {
      // Only Mekong's own keys: what /.well-known/mekong/keys.json serves.
      healthcode::TrustBundle own;
      for (const auto& k : bundle->trust.keys()) {
        if (k.kind == interop::TrustKind::kMekong) own.trust.Add(k);
      }
      own.generated_at = now;
      std::cout << healthcode::BundleToJson(own) << "\n";
    } else {
      std::cout << healthcode::BundleToJson(*bundle) << "\n";
    }
    return 0;
  }
  if (keys_rotate->parsed()) {
    healthcode::KeyInfo k;
    Status s = (*db)->Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(k, healthcode::RotateKey(tx, now, int64_t{config->credential_validity_hours} * kMillisPerHour));
      return Status::Ok();
    });
    if (!s.ok()) return Fail(s);
    std::cout << "Active signing key is now " << k.kid << "; the previous one verifies for "
              << config->credential_validity_hours << " more hours.\n";
    return 0;
  }
  if (trust_eu->parsed() || trust_shc->parsed()) {
    auto text = ReadFile(trust_file);
    if (!text.ok()) return Fail(text.status());
    if (trust_eu->parsed()) {
      if (Status s = healthcode::TrustEuCertificate(**db, *text, country, now); !s.ok()) return Fail(s);
      std::cout << "Trusted the EU DCC signer certificate for " << country << "\n";
    } else {
      auto n = healthcode::TrustShcIssuer(**db, issuer, *text, now);
      if (!n.ok()) return Fail(n.status());
      std::cout << "Trusted " << *n << " key(s) of " << issuer << "\n";
    }
    return 0;
  }
  if (user_add->parsed()) {
    auto parsed_role = registry::ParseRole(role);
    if (!parsed_role.ok()) return Fail(parsed_role.status());
    auto unit = (*db)->Query("SELECT id FROM org_unit WHERE code = ? OR CAST(id AS TEXT) = ?", {org_unit, org_unit});
    if (!unit.ok()) return Fail(unit.status());
    if (unit->empty()) return Fail(Status::NotFound("no org unit with code or id " + org_unit, "--org-unit"));
    std::string password;
    if (*parsed_role != registry::Role::kDevice) {
      std::getline(std::cin, password);
      if (!password.empty() && password.back() == '\r') password.pop_back();
    }
    registry::NewUser in{username, password, *parsed_role, OrgUnitId(unit->Int(0, 0)), std::nullopt};
    if (person > 0) in.person = PersonId(person);
    std::string key;
    Status s = (*db)->Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(UserId id, registry::CreateUser(tx, in, clock.NowMillis()));
      if (in.role == registry::Role::kDevice) {
        ASSIGN_OR_RETURN(key, registry::IssueApiKey(tx, id, username, clock.NowMillis()));
      }
      std::cout << "Added user " << username << " (id " << id.value << ", " << role << ")\n";
      return Status::Ok();
    });
    if (!s.ok()) return Fail(s);
    if (!key.empty()) std::cout << "API key (shown once): " << key << "\n";
    return 0;
  }
  return 2;
}

}  // namespace mekong::cli
