// The `mekong` command line: one table of commands (cli.cc), each with its options and what it
// runs. The commands run on the modules' services, which the app's wiring (apps/mekong) builds
// for the store and configuration the options name; the CLI itself knows no module list.
#pragma once

#include <functional>
#include <string>

#include "mekong/cases/service.h"
#include "mekong/command/service.h"
#include "mekong/core/config.h"
#include "mekong/core/time.h"
#include "mekong/documents/service.h"
#include "mekong/healthcode/service.h"
#include "mekong/registry/service.h"
#include "mekong/screening/service.h"
#include "mekong/store/database.h"
#include "mekong/tracing/service.h"

namespace mekong::cli {

// What a command runs on: the migrated store and the services over it.
struct Services {
  store::Database& db;
  const Clock& clock;
  const Config& config;
  registry::Service& registry;
  tracing::Service& tracing;
  healthcode::Service& codes;
  cases::Service& cases;
  documents::Service& documents;
  command::Service& command;  // alerts
  screening::Service& screening;
};

struct ServeFlags {
  bool load_demo = false;
};

struct Wiring {
  // Opens and migrates the store `config` names, builds the services and runs `command` on
  // them; returns its exit code (1 and a message on stderr when the store cannot be opened).
  std::function<int(const Config& config, const std::function<int(Services&)>& command)>
      with_services;
  // `mekong serve`: until SIGINT or SIGTERM.
  std::function<int(const Config& config, const ServeFlags& flags)> serve;
  // The modules' migrations in the order they apply, for `mekong migrate`.
  std::function<std::vector<std::string>()> module_order;
};

// Runs one command; returns the process exit code (0 ok, 1 failed, 2 bad usage).
int Main(int argc, char** argv, const Wiring& wiring);

// For the commands of other files: prints "mekong: message (field)" and returns 1.
int Fail(const Status& s);

}  // namespace mekong::cli
