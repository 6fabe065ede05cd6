#include "mekong/cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mekong/benchmark/tracing_bench.h"
#include "mekong/cli/trace.h"
#include "mekong/core/log.h"
#include "mekong/demo/demo.h"
#include "mekong/healthcode/verify.h"
#include "mekong/registry/access.h"

#ifndef MEKONG_VERSION
#define MEKONG_VERSION "0.0.0"
#endif

namespace mekong::cli {

int Fail(const Status& s) {
  std::cerr << "mekong: " << s.message();
  if (!s.field().empty()) std::cerr << " (" << s.field() << ")";
  std::cerr << "\n";
  return 1;
}

namespace {

using Json = nlohmann::json;

// "policy.toml:12: rules.fever.days: must be between 1 and 365", one line per problem.
void PrintFileErrors(const std::string& file, const std::vector<FileError>& errors) {
  for (const auto& e : errors) {
    std::cerr << file << ":" << (e.line ? std::to_string(e.line) + ":" : std::string()) << " "
              << (e.key.empty() ? "" : e.key + ": ") << e.message << "\n";
  }
}

// Every option of every command, in one place: CLI11 binds each command's flags to these.
struct Options {
  std::string config_path, db;
  std::string listen;
  int port = -1, threads = 0;
  bool demo = false;
  std::string web_root;
  demo::Options demo_options;
  std::string username, role, org_unit;
  std::string unit_level, unit_name, unit_code, unit_parent, unit_time_zone;
  int64_t person = 0;
  std::string file, format, country, issuer, bundle, at;
  bool strict = false, force = false;
  size_t batch_lines = 100000;
  std::vector<std::string> texts;
  TraceArgs trace;
  benchmark::BenchOptions bench;
  bool no_sqlite = false;
  int after_minutes = -1;  // alerts escalate: -1 for the configured command.alert_escalate_minutes
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path, path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<Config> LoadConfig(const Options& o) {
  ASSIGN_OR_RETURN(Config config,
                   Config::Load(o.config_path, [](const char* k) { return std::getenv(k); }));
  if (!o.db.empty()) config.db = o.db;
  if (!o.listen.empty()) config.listen = o.listen;
  if (o.port >= 0) config.port = o.port;
  if (o.threads > 0) config.threads = o.threads;
  if (!o.web_root.empty()) config.web_root = o.web_root;
  RETURN_IF_ERROR(config.Validate());
  log::SetFormat(config.log_format);
  log::SetLevel(config.log_level);
  return config;
}

// A verdict as one JSON object, written by the JSON library (an issuer's text is data, never
// syntax); the exit code says valid (0) or not (1).
int PrintVerdict(const healthcode::Verdict& v) {
  Json out = {{"format", v.format}, {"valid", v.valid}};
  if (!v.reason.empty()) out["reason"] = v.reason;
  if (!v.issuer.empty()) out["issuer"] = v.issuer;
  if (v.expires_at) out["expires_at"] = FormatRfc3339(*v.expires_at);
  if (!v.details_json.empty()) {
    Json details = Json::parse(v.details_json, nullptr, false);
    if (!details.is_discarded()) out["details"] = details;
  }
  std::cout << out.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  return v.valid ? 0 : 1;
}

Result<int64_t> AtOrNow(const std::string& at, int64_t now) {
  if (at.empty()) return now;
  auto t = ParseRfc3339(at);
  if (!t.ok())
    return Status::InvalidArgument(
        "must be an RFC 3339 time with a zone, e.g. 2026-12-01T08:00:00+07:00", "--at");
  return *t;
}

void PrintDemo(const demo::Summary& s) {
  std::cout << "Loaded the Quang Ninh demo region: " << s.org_units << " org units, " << s.venues
            << " venues, " << s.people << " people, " << s.checkins << " check-ins, " << s.cases
            << " confirmed cases with " << s.contacts << " close contacts.\n"
            << "Demo API key for the gate device gate.mongcai.1 (shown once): " << s.device_api_key
            << "\n";
}

void PrintAccounts() {
  std::cout << "Demo logins (POST /api/v1/auth/login):\n";
  for (const auto& a : demo::Accounts()) {
    std::cout << "  " << a.username
              << std::string(a.username.size() < 20 ? 20 - a.username.size() : 1, ' ') << a.password
              << "   " << a.role << " (" << a.note << ")\n";
  }
}

// Rejected lines to stderr as file:line, then a summary; 1 when any line was rejected.
// `count` may exceed the lines listed: a huge file lists its first rejections only.
int Report(const Options& o, const std::vector<tracing::Rejected>& rejected, size_t count,
           const std::string& imported) {
  for (const auto& x : rejected) {
    std::cerr << o.file << ":" << x.line << ": " << (x.field.empty() ? "" : x.field + " ")
              << x.reason << "\n";
  }
  std::cout << "Imported " << imported;
  if (count) {
    std::cout << "; rejected " << count << " lines"
              << (o.strict ? " (--strict: nothing imported)" : "");
    if (count > rejected.size()) std::cout << " (the first " << rejected.size() << " are listed)";
  }
  std::cout << "\n";
  return count ? 1 : 0;
}

tracing::ImportFormat FormatOf(const Options& o) {
  bool ndjson = o.format == "ndjson" ||
                (o.format.empty() && (o.file.ends_with(".ndjson") || o.file.ends_with(".jsonl")));
  return ndjson ? tracing::ImportFormat::kNdjson : tracing::ImportFormat::kCsv;
}

// ---- the table ----

enum class Needs { kNothing, kConfig, kServices };

struct Command {
  std::vector<std::string> path;  // {"import", "checkins"}
  std::string help;
  Needs needs = Needs::kServices;
  std::function<void(CLI::App&, Options&)> options;
  // Runs with the services (kServices), or with none (kNothing, kConfig).
  std::function<int(Options&, const Config*, Services*)> run;
};

void Common(CLI::App& c, Options& o) {
  c.add_option("--config", o.config_path, "TOML settings file (see docs/configuration.md)")
      ->check(CLI::ExistingFile);
  c.add_option("--db", o.db, "SQLite path or postgresql:// URL (default ./data/mekong.db)");
}

std::vector<Command> Commands(const Wiring& wiring) {
  using registry::SystemCaller;
  std::vector<Command> t;
  t.push_back({{"serve"},
               "Serve the API and the web application until SIGINT or SIGTERM",
               Needs::kConfig,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option("--listen", o.listen, "address to bind (default 127.0.0.1)");
                 c.add_option("--port", o.port, "TCP port; 0 picks a free one (default 8080)")
                     ->check(CLI::Range(0, 65535));
                 c.add_option("--threads", o.threads, "I/O threads (default: one per core)")
                     ->check(CLI::Range(1, 256));
                 c.add_option("--web-root", o.web_root,
                              "the web application's build (default: the one built in)");
                 c.add_flag("--demo", o.demo,
                            "load the demo region first if the database is empty");
               },
               [&wiring](Options& o, const Config* config, Services*) {
                 return wiring.serve(*config, {o.demo});
               }});
  t.push_back({{"migrate"},
               "Create or upgrade the database schema",
               Needs::kServices,
               Common,
               [&wiring](Options&, const Config* config, Services*) {
                 std::cout << "Schema is up to date in "
                           << (config->db.rfind("postgres", 0) == 0 ? "PostgreSQL" : config->db)
                           << " (modules:";
                 for (const auto& m : wiring.module_order()) std::cout << " " << m;
                 std::cout << ")\n";
                 return 0;
               }});
  t.push_back(
      {{"demo"},
       "Load the Quang Ninh demo region into an empty database",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("--seed", o.demo_options.seed, "random seed");
         c.add_option("--people", o.demo_options.people, "residents and foreigners")
             ->check(CLI::Range(10, 1000000));
         c.add_option("--venues", o.demo_options.venues, "venues")->check(CLI::Range(10, 100000));
       },
       [](Options& o, const Config*, Services* s) {
         auto sum = demo::Load(s->db, s->clock.NowMillis(), o.demo_options);
         if (!sum.ok()) return Fail(sum.status());
         PrintDemo(*sum);
         PrintAccounts();
         return 0;
       }});
  t.push_back(
      {{"user", "add"},
       "Add a user; the password is read from standard input",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("--username", o.username, "login name")->required();
         c.add_option("--role", o.role,
                      "admin, command_officer, tracer, lab_technician, clinician, venue_operator, "
                      "checkpoint_officer, citizen or device")
             ->required();
         c.add_option("--org-unit", o.org_unit, "org unit code (e.g. QN-01) or id")->required();
         c.add_option("--person", o.person, "the person id a citizen account belongs to");
       },
       [](Options& o, const Config*, Services* s) {
         auto role = registry::ParseRole(o.role);
         if (!role.ok()) return Fail(role.status());
         auto unit = registry::FindOrgUnit(s->db, o.org_unit, "--org-unit");
         if (!unit.ok()) return Fail(unit.status());
         registry::NewUser in{o.username, "", *role, unit->id, std::nullopt};
         if (*role != registry::Role::kDevice) {
           std::getline(std::cin, in.password);
           if (!in.password.empty() && in.password.back() == '\r') in.password.pop_back();
         }
         if (o.person > 0) in.person = PersonId(o.person);
         auto made = s->registry.CreateUser(SystemCaller(), in);
         if (!made.ok()) return Fail(made.status());
         std::cout << "Added user " << o.username << " (id " << made->id.value << ", " << o.role
                   << ")\n";
         if (!made->api_key.empty()) std::cout << "API key (shown once): " << made->api_key << "\n";
         return 0;
       }});
  t.push_back(
      {{"org-unit", "add"},
       "Add an org unit; without --parent, a new top-level unit (a province or a country)",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("--code", o.unit_code, "unique code, e.g. VN-HP or QN-14")->required();
         c.add_option("--name", o.unit_name, "name")->required();
         c.add_option("--level", o.unit_level, "province, district, commune, ...")->required();
         c.add_option("--parent", o.unit_parent, "the parent's code or id (none: top level)");
         c.add_option("--time-zone", o.unit_time_zone, "IANA zone (default: the parent's)");
       },
       [](Options& o, const Config*, Services* s) {
         registry::NewOrgUnit in{std::nullopt, o.unit_level, o.unit_name, o.unit_code,
                                 o.unit_time_zone};
         if (!o.unit_parent.empty()) {
           auto parent = registry::FindOrgUnit(s->db, o.unit_parent, "--parent");
           if (!parent.ok()) return Fail(parent.status());
           in.parent = parent->id;
         }
         auto made = s->registry.CreateOrgUnit(SystemCaller(), in);
         if (!made.ok()) return Fail(made.status());
         std::cout << "Added org unit " << made->code << " (id " << made->id.value << ", "
                   << made->time_zone << ")\n";
         return 0;
       }});
  auto import_options = [](CLI::App& c, Options& o) {
    Common(c, o);
    c.add_option("file", o.file, "the file")->required()->check(CLI::ExistingFile);
    c.add_option("--format", o.format, "csv or ndjson (default: by the file's extension)")
        ->check(CLI::IsMember({"csv", "ndjson"}));
    c.add_flag("--strict", o.strict, "import nothing if any line is bad");
  };
  t.push_back(
      {{"import", "checkins"},
       "Check-ins from CSV (person_id,venue_id,time_in[,time_out]) or NDJSON; RFC 3339 times",
       Needs::kServices,
       [import_options](CLI::App& c, Options& o) {
         import_options(c, o);
         c.add_option("--batch-lines", o.batch_lines,
                      "lines per batch (and per transaction without --strict)")
             ->check(CLI::Range(1, 10000000));
       },
       [](Options& o, const Config*, Services* s) {
         std::ifstream in(o.file, std::ios::binary);
         if (!in) return Fail(Status::NotFound("cannot read " + o.file, o.file));
         auto r = s->tracing.Import(SystemCaller(), in, FormatOf(o),
                                    {.strict = o.strict,
                                     .batch_lines = o.batch_lines,
                                     .max_listed = 100000,
                                     .progress = tracing::TerminalProgress()});
         if (!r.ok()) return Fail(r.status());
         return Report(o, r->rejected, r->rejected_count,
                       std::to_string(r->imported) + " check-ins");
       }});
  t.push_back({{"import", "travel"},
               "A carrier's passenger manifest, CSV or NDJSON (see docs/tracing.md); trips are "
               "created as needed",
               Needs::kServices,
               import_options,
               [](Options& o, const Config*, Services* s) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 auto r = s->tracing.ImportManifest(SystemCaller(), *text, FormatOf(o), o.strict);
                 if (!r.ok()) return Fail(r.status());
                 return Report(o, r->rejected, r->rejected.size(),
                               std::to_string(r->passengers) + " passengers (" +
                                   std::to_string(r->trips_created) + " new trips)");
               }});
  auto trace_command = [](TraceKind kind) {
    return [kind](Options& o, const Config*, Services* s) {
      Status st = RunTrace(*s, kind, o.trace, std::cout);
      return st.ok() ? 0 : Fail(st);
    };
  };
  t.push_back({{"trace", "contacts"},
               "Close contacts of a person, to a depth of 1-3",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_flag("--json", o.trace.json, "print JSON");
                 c.add_option("person", o.trace.id, "the person id")
                     ->required()
                     ->check(CLI::PositiveNumber);
                 c.add_option("--from", o.trace.from,
                              "window start, RFC 3339 (default: the policy's window)");
                 c.add_option("--to", o.trace.to, "window end, RFC 3339 (default: now)");
                 c.add_option("--depth", o.trace.depth, "hops, 1 to 3")->check(CLI::Range(1, 3));
                 c.add_option("--min-overlap-minutes", o.trace.min_overlap_minutes,
                              "default: the policy's")
                     ->check(CLI::Range(0, 1440));
               },
               trace_command(TraceKind::kContacts)});
  t.push_back({{"trace", "co-travellers"},
               "Who shared a trip with a person",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_flag("--json", o.trace.json, "print JSON");
                 c.add_option("person", o.trace.id, "the person id")
                     ->required()
                     ->check(CLI::PositiveNumber);
                 c.add_option("--from", o.trace.from,
                              "window start, RFC 3339 (default: the retention period)");
                 c.add_option("--to", o.trace.to, "window end, RFC 3339 (default: now)");
                 c.add_option("--rows", o.trace.rows,
                              "seat rows apart that still count (default 2)")
                     ->check(CLI::Range(0, 50));
               },
               trace_command(TraceKind::kCoTravellers)});
  t.push_back(
      {{"trace", "occupancy"},
       "People at a venue at a time (--at) or over a day (--day)",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_flag("--json", o.trace.json, "print JSON");
         c.add_option("venue", o.trace.id, "the venue id")->required()->check(CLI::PositiveNumber);
         c.add_option("--at", o.trace.at, "an instant, RFC 3339 (default: now)");
         c.add_option("--day", o.trace.day, "a UTC date, YYYY-MM-DD");
       },
       trace_command(TraceKind::kOccupancy)});
  t.push_back({{"retention", "run"},
               "Delete check-ins and trips past the retention period now (the server does it "
               "on its schedule)",
               Needs::kServices,
               Common,
               [](Options&, const Config* config, Services* s) {
                 auto swept = s->tracing.Sweep();
                 if (!swept.ok()) return Fail(swept.status());
                 std::cout << "Deleted " << swept->checkins << " check-ins and " << swept->trips
                           << " trips that ended more than " << config->retention_days
                           << " days ago\n";
                 return 0;
               }});
  t.push_back({{"alerts", "escalate"},
               "Pass every alert nobody acknowledged in time to the unit above now (the server "
               "does it every minute)",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option(
                      "--after-minutes", o.after_minutes,
                      "unacknowledged for this long (default command.alert_escalate_minutes)")
                     ->check(CLI::Range(0, 7 * 24 * 60));
               },
               [](Options& o, const Config* config, Services* s) {
                 const int minutes =
                     o.after_minutes >= 0 ? o.after_minutes : config->alert_escalate_minutes;
                 auto n = s->command.EscalateAlerts(int64_t{minutes} * kMillisPerMinute);
                 if (!n.ok()) return Fail(n.status());
                 std::cout << "Passed " << *n << " alerts unacknowledged for " << minutes
                           << " minutes to the unit above\n";
                 return 0;
               }});
  t.push_back({{"documents", "check"},
               "Hash every stored document again and name those whose bytes no longer match "
               "(exit 1 when any)",
               Needs::kServices,
               Common,
               [](Options&, const Config*, Services* s) {
                 auto audit = s->documents.AuditAll();
                 if (!audit.ok()) return Fail(audit.status());
                 for (const auto& [sha, ids] : audit->corrupt) {
                   std::cout << "corrupt " << sha << ": documents";
                   for (auto id : ids) std::cout << " " << id;
                   std::cout << "\n";
                 }
                 std::cout << "Checked " << audit->files << " stored files (" << audit->bytes
                           << " bytes): " << audit->corrupt.size()
                           << " no longer match their SHA-256\n";
                 return audit->corrupt.empty() ? 0 : 1;
               }});
  t.push_back({{"keys", "export"},
               "Print the public keys verifiers should trust now",
               Needs::kServices,
               Common,
               [](Options&, const Config*, Services* s) {
                 auto bundle = s->codes.Bundle();
                 if (!bundle.ok()) return Fail(bundle.status());
                 // Only Mekong's own keys: what /.well-known/mekong/keys.json serves.
                 healthcode::TrustBundle own;
                 for (const auto& k : (*bundle)->trust.keys()) {
                   if (k.kind == interop::TrustKind::kMekong) own.trust.Add(k);
                 }
                 own.generated_at = s->clock.NowMillis();
                 std::cout << healthcode::BundleToJson(own) << "\n";
                 return 0;
               }});
  t.push_back({{"keys", "rotate"},
               "Retire the signing key and start a new one",
               Needs::kServices,
               Common,
               [](Options&, const Config* config, Services* s) {
                 auto k = s->codes.RotateKeys(SystemCaller());
                 if (!k.ok()) return Fail(k.status());
                 std::cout << "Active signing key is now " << k->kid
                           << "; the previous one verifies for "
                           << config->credential_validity_hours << " more hours.\n";
                 return 0;
               }});
  t.push_back({{"trust", "import-eu"},
               "Trust an EU DCC document signer certificate (PEM or base64)",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option("--country", o.country, "the issuing country, ISO 3166-1 alpha-2")
                     ->required();
                 c.add_option("file", o.file, "certificate file")->required();
               },
               [](Options& o, const Config*, Services* s) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 if (Status st = s->codes.TrustEu(SystemCaller(), *text, o.country); !st.ok())
                   return Fail(st);
                 std::cout << "Trusted the EU DCC signer certificate for " << o.country << "\n";
                 return 0;
               }});
  t.push_back(
      {{"trust", "import-shc"},
       "Trust a SMART Health Cards issuer's JWKS",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("--issuer", o.issuer, "the issuer URL (the iss of its cards)")->required();
         c.add_option("file", o.file, "the issuer's jwks.json")->required();
       },
       [](Options& o, const Config*, Services* s) {
         auto text = ReadFile(o.file);
         if (!text.ok()) return Fail(text.status());
         auto n = s->codes.TrustShc(SystemCaller(), o.issuer, *text);
         if (!n.ok()) return Fail(n.status());
         std::cout << "Trusted " << *n << " key(s) of " << o.issuer << "\n";
         return 0;
       }});
  t.push_back(
      {{"trust", "import-shc-crl"},
       "Import a SMART Health Cards issuer's revocation list (its /.well-known/crl/<kid>.json)",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("--issuer", o.issuer, "the issuer URL")->required();
         c.add_option("file", o.file, "the revocation list")->required();
       },
       [](Options& o, const Config*, Services* s) {
         auto text = ReadFile(o.file);
         if (!text.ok()) return Fail(text.status());
         auto n = s->codes.ImportShcCrl(SystemCaller(), o.issuer, *text);
         if (!n.ok()) return Fail(n.status());
         std::cout << "Holding " << *n << " revoked card id(s) of " << o.issuer << "\n";
         return 0;
       }});
  t.push_back({{"trust", "bundle"},
               "Print the offline trust bundle (JSON)",
               Needs::kServices,
               Common,
               [](Options&, const Config*, Services* s) {
                 auto bundle = s->codes.Bundle();
                 if (!bundle.ok()) return Fail(bundle.status());
                 std::cout << healthcode::BundleToJson(**bundle) << "\n";
                 return 0;
               }});
  t.push_back({{"policy", "check"},
               "Validate a policy file; every error with its line; exit 0 if valid",
               Needs::kNothing,
               [](CLI::App& c, Options& o) {
                 Common(c, o);  // accepted for uniformity; checking needs no database
                 c.add_option("file", o.file, "the TOML file")->required();
               },
               [](Options& o, const Config*, Services*) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 std::vector<healthcode::PolicyError> errors;
                 auto p = healthcode::ParsePolicy(*text, &errors);
                 PrintFileErrors(o.file, errors);
                 if (!p.ok()) return 1;
                 std::cout << o.file << ": valid, version " << p->version << " (" << p->name
                           << "), " << p->risk_areas.size() << " risk areas\n";
                 return 0;
               }});
  t.push_back({{"policy", "activate"},
               "Make a policy file the active version and recompute codes",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option("file", o.file, "the TOML file")->required();
               },
               [](Options& o, const Config*, Services* s) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 auto done = s->codes.ActivatePolicy(SystemCaller(), *text);
                 if (!done.ok()) return Fail(done.status());
                 std::cout << "Policy version " << done->policy.version << " (" << done->policy.name
                           << ") is active; recomputed " << done->recomputed << " health codes\n";
                 return 0;
               }});
  t.push_back({{"policy", "show"},
               "Print the active policy",
               Needs::kServices,
               Common,
               [](Options&, const Config*, Services* s) {
                 auto v = s->codes.GetPolicy(SystemCaller(), std::nullopt);
                 if (!v.ok()) return Fail(v.status());
                 std::cout << v->text;
                 return 0;
               }});
  t.push_back({{"policy", "default"},
               "Print the built-in default policy",
               Needs::kNothing,
               nullptr,
               [](Options&, const Config*, Services*) {
                 std::cout << healthcode::DefaultPolicyText();
                 return 0;
               }});
  t.push_back({{"screening", "check"},
               "Validate a questionnaire file; every error with its line; exit 0 if valid",
               Needs::kNothing,
               [](CLI::App& c, Options& o) {
                 Common(c, o);  // accepted for uniformity; checking needs no database
                 c.add_option("file", o.file, "the TOML file")->required();
               },
               [](Options& o, const Config*, Services*) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 std::vector<FileError> errors;
                 auto q = screening::ParseQuestionnaire(*text, &errors);
                 PrintFileErrors(o.file, errors);
                 if (!q.ok()) return 1;
                 std::cout << o.file << ": valid, version " << q->version << " (" << q->name
                           << "), " << q->questions.size() << " questions";
                 auto missing = q->Untranslated();
                 if (!missing.empty()) {
                   std::cout << "; English shown in";
                   for (const auto& l : missing) std::cout << " " << l;
                 }
                 std::cout << "\n";
                 return 0;
               }});
  t.push_back({{"screening", "activate"},
               "Make a questionnaire file the active version",
               Needs::kServices,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option("file", o.file, "the TOML file")->required();
               },
               [](Options& o, const Config*, Services* s) {
                 auto text = ReadFile(o.file);
                 if (!text.ok()) return Fail(text.status());
                 std::vector<FileError> errors;
                 if (!screening::ParseQuestionnaire(*text, &errors).ok()) {
                   PrintFileErrors(o.file, errors);
                   return 1;
                 }
                 auto done = s->screening.Activate(SystemCaller(), *text);
                 if (!done.ok()) return Fail(done.status());
                 std::cout << "Questionnaire version " << done->version << " (" << done->name
                           << ") is active\n";
                 return 0;
               }});
  t.push_back({{"screening", "show"},
               "Print the active questionnaire",
               Needs::kServices,
               Common,
               [](Options&, const Config*, Services* s) {
                 auto v = s->screening.Get(SystemCaller(), std::nullopt);
                 if (!v.ok()) return Fail(v.status());
                 std::cout << v->text;
                 return 0;
               }});
  t.push_back({{"screening", "default"},
               "Print the built-in questionnaire",
               Needs::kNothing,
               nullptr,
               [](Options&, const Config*, Services*) {
                 std::cout << screening::DefaultQuestionnaireText();
                 return 0;
               }});
  t.push_back({{"verify"},
               "Verify a health code, EU DCC or SMART Health Card; exit 0 if valid",
               Needs::kConfig,
               [](CLI::App& c, Options& o) {
                 Common(c, o);
                 c.add_option("--bundle", o.bundle,
                              "verify offline against this trust bundle, not the database")
                     ->check(CLI::ExistingFile);
                 c.add_option("--at", o.at,
                              "verify as of this instant (RFC 3339), e.g. the date of travel");
                 c.add_option("text", o.texts,
                              "the scanned text (several for a multi-part SMART Health Card)")
                     ->required();
               },
               [&wiring](Options& o, const Config* config, Services*) {
                 auto at = AtOrNow(o.at, SystemClock().NowMillis());
                 if (!at.ok()) return Fail(at.status());
                 if (!o.bundle.empty()) {
                   // Offline: no database, only the bundle a checkpoint downloaded.
                   auto text = ReadFile(o.bundle);
                   if (!text.ok()) return Fail(text.status());
                   auto bundle = healthcode::BundleFromJson(*text);
                   if (!bundle.ok()) return Fail(bundle.status());
                   return PrintVerdict(healthcode::Verify(o.texts, *bundle, *at));
                 }
                 return wiring.with_services(*config, [&](Services& s) {
                   auto v = s.codes.Verify(registry::SystemCaller(), o.texts, *at);
                   if (!v.ok()) return Fail(v.status());
                   return PrintVerdict(*v);
                 });
               }});
  t.push_back(
      {{"backup"},
       "Copy the SQLite database, consistent while the server runs (PostgreSQL: use pg_dump)",
       Needs::kServices,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("file", o.file, "where the copy goes (must not exist)")->required();
       },
       [](Options& o, const Config* config, Services* s) {
         if (config->db.rfind("postgres", 0) == 0) {
           return Fail(Status::FailedPrecondition(
               "for PostgreSQL use pg_dump (docs/operations.md); mekong backup copies SQLite files",
               "--db"));
         }
         if (std::filesystem::exists(o.file))
           return Fail(Status::AlreadyExists("exists already", o.file));
         std::string quoted;
         for (char ch : o.file) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
         if (Status st = s->db.ExecScript("VACUUM INTO '" + quoted + "'"); !st.ok())
           return Fail(st);
         std::cout << "Backed up " << config->db << " to " << o.file << " ("
                   << std::filesystem::file_size(o.file) << " bytes)\n";
         return 0;
       }});
  t.push_back(
      {{"restore"},
       "Replace the SQLite database with a backup (no server may be running on it)",
       Needs::kConfig,
       [](CLI::App& c, Options& o) {
         Common(c, o);
         c.add_option("file", o.file, "a file made by mekong backup")
             ->required()
             ->check(CLI::ExistingFile);
         c.add_flag("--force", o.force, "replace a database that holds data");
       },
       [](Options& o, const Config* config, Services*) {
         if (config->db.rfind("postgres", 0) == 0) {
           return Fail(Status::FailedPrecondition(
               "for PostgreSQL use pg_restore (docs/operations.md)", "--db"));
         }
         auto check = store::Open(o.file, 1);
         if (!check.ok()) return Fail(check.status());
         auto version = (*check)->SchemaVersion("registry");
         if (!version.ok() || *version == 0) {
           return Fail(Status::InvalidArgument("is not a Mekong database", o.file));
         }
         check->reset();
         if (std::filesystem::exists(config->db) && !o.force) {
           return Fail(
               Status::AlreadyExists("holds a database; add --force to replace it", config->db));
         }
         std::error_code ec;
         for (const char* suffix : {"-wal", "-shm", ".index"})
           std::filesystem::remove(config->db + suffix, ec);
         std::filesystem::copy_file(o.file, config->db,
                                    std::filesystem::copy_options::overwrite_existing, ec);
         if (ec)
           return Fail(Status(Code::kUnavailable, "cannot copy: " + ec.message(), config->db));
         std::cout << "Restored " << config->db << " from " << o.file << "\n";
         return 0;
       }});
  t.push_back({{"bench", "tracing"},
               "Engine vs SQLite (and PostgreSQL with --pg-url) on a seeded population; exit 1 if "
               "results differ",
               Needs::kNothing,
               [](CLI::App& c, Options& o) {
                 auto& b = o.bench;
                 c.add_option("--people", b.population.people)
                     ->check(CLI::Range(int64_t{10}, int64_t{100000000}));
                 c.add_option("--venues", b.population.venues)
                     ->check(CLI::Range(int64_t{10}, int64_t{10000000}));
                 c.add_option("--days", b.population.days)->check(CLI::Range(7, 60));
                 c.add_option("--checkins", b.population.checkins, "target total")
                     ->check(CLI::Range(int64_t{100}, int64_t{2000000000}));
                 c.add_option("--seed", b.population.seed);
                 c.add_option("--cases", b.cases, "random cases (plus 20 super-spreaders)")
                     ->check(CLI::Range(1, 1000000));
                 c.add_option("--seconds-per-kind", b.seconds_per_kind,
                              "time budget per store and query kind")
                     ->check(CLI::Range(0.1, 3600.0));
                 c.add_option("--pg-url", b.postgres_url,
                              "an empty PostgreSQL database (scripts/bench-tracing.sh)");
                 c.add_flag("--no-sqlite", o.no_sqlite, "skip the SQLite baseline");
                 c.add_option("--work-dir", b.work_dir,
                              "where the SQLite file goes (default: temp)");
               },
               [](Options& o, const Config*, Services*) {
                 o.bench.sqlite = !o.no_sqlite;
                 Status st = benchmark::RunTracingBench(o.bench, std::cout);
                 return st.ok() ? 0 : Fail(st);
               }});
  return t;
}

size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

// "mekong frobnicate": name the word that is not a command and the nearest that is.
int UnknownCommand(const std::vector<std::string>& at, const std::string& word,
                   const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& k : known) {
    size_t d = Distance(word, k);
    if (d < best_d) best_d = d, best = k;
  }
  std::string where;
  for (const auto& w : at) where += w + " ";
  std::cerr << "mekong: unknown command '" << where << word << "'";
  if (best_d <= std::max<size_t>(2, word.size() / 3))
    std::cerr << "; did you mean '" << where << best << "'?";
  std::cerr << " (mekong " << where << "--help lists the commands)\n";
  return 2;
}

}  // namespace

int Main(int argc, char** argv, const Wiring& wiring) {
  auto table = Commands(wiring);
  // Unknown words before CLI11 sees them, so the message can suggest the nearest command.
  std::vector<std::string> at;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') break;
    std::vector<std::string> next;
    bool leaf = false;
    for (const auto& c : table) {
      if (c.path.size() <= at.size() || !std::equal(at.begin(), at.end(), c.path.begin())) continue;
      next.push_back(c.path[at.size()]);
      if (c.path[at.size()] == word && c.path.size() == at.size() + 1) leaf = true;
    }
    if (next.empty()) break;
    if (std::find(next.begin(), next.end(), word) == next.end()) {
      std::sort(next.begin(), next.end());
      next.erase(std::unique(next.begin(), next.end()), next.end());
      return UnknownCommand(at, word, next);
    }
    at.push_back(word);
    if (leaf) break;
  }

  CLI::App app{"Mekong: cross-border digital health and epidemic response"};
  app.set_version_flag("--version", std::string("mekong ") + MEKONG_VERSION);
  app.require_subcommand(1);
  Options o;
  std::map<std::string, CLI::App*> groups;
  std::vector<std::pair<CLI::App*, const Command*>> leaves;
  for (const auto& c : table) {
    CLI::App* parent = &app;
    std::string key;
    for (size_t i = 0; i + 1 < c.path.size(); ++i) {
      key += c.path[i] + " ";
      auto& g = groups[key];
      if (!g) {
        static const std::map<std::string, std::string> kGroups = {
            {"user", "Manage user accounts"},
            {"org-unit", "The org-unit tree that scopes every record"},
            {"import", "Import check-ins or a carrier's manifest from a file"},
            {"trace", "Contact-tracing queries (the API's, from the command line)"},
            {"retention", "Delete what is past the retention period"},
            {"keys", "Health-code signing keys"},
            {"trust", "Foreign issuers and the offline trust bundle"},
            {"policy", "The health-code policy (docs/policy.md)"},
            {"screening", "The symptom self-assessment questionnaire (docs/screening.md)"},
            {"bench", "Benchmarks (not tests); see docs/benchmarks.md"}};
        auto help = kGroups.find(c.path[i]);
        g = parent->add_subcommand(c.path[i], help == kGroups.end() ? "" : help->second);
        g->require_subcommand(1);
      }
      parent = g;
    }
    CLI::App* leaf = parent->add_subcommand(c.path.back(), c.help);
    if (c.options) c.options(*leaf, o);
    leaves.emplace_back(leaf, &c);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (const auto& [leaf, c] : leaves) {
    if (!leaf->parsed()) continue;
    if (c->needs == Needs::kNothing) return c->run(o, nullptr, nullptr);
    auto config = LoadConfig(o);
    if (!config.ok()) return Fail(config.status());
    if (c->needs == Needs::kConfig) return c->run(o, &*config, nullptr);
    return wiring.with_services(*config, [&](Services& s) { return c->run(o, &*config, &s); });
  }
  return 2;
}

}  // namespace mekong::cli
