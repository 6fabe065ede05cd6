// How the binary is put together: the modules (each declares its tables and what it builds on),
// the services over one store, the background jobs and the HTTP server. Everything else in
// the tree is a library this file assembles.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mekong/cases/service.h"
#include "mekong/cli/cli.h"
#include "mekong/command/centre.h"
#include "mekong/command/meetings.h"
#include "mekong/command/service.h"
#include "mekong/command/tickets.h"
#include "mekong/core/config.h"
#include "mekong/documents/service.h"
#include "mekong/healthcode/service.h"
#include "mekong/outbox/outbox.h"
#include "mekong/outbreak/service.h"
#include "mekong/registry/service.h"
#include "mekong/screening/service.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"
#include "mekong/telehealth/service.h"
#include "mekong/tracing/service.h"

namespace mekong::app {

// Every module of the product; migrations apply in the order their dependencies give.
std::vector<const store::Module*> Modules();

// The store, migrated, and every service over it.
struct Services {
  Config config;
  SystemClock clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<registry::Service> registry;
  std::unique_ptr<tracing::Service> tracing;
  std::unique_ptr<healthcode::Service> codes;
  std::unique_ptr<cases::Service> cases;
  std::unique_ptr<command::Service> command;
  std::unique_ptr<command::Dashboard> dashboard;
  std::unique_ptr<command::Centre> centre;
  std::unique_ptr<command::Tickets> tickets;
  std::unique_ptr<command::Meetings> meetings;
  std::unique_ptr<screening::Service> screening;
  std::unique_ptr<telehealth::Service> telehealth;
  std::unique_ptr<outbreak::Service> outbreak;
  std::unique_ptr<outbox::Outbox> outbox;
  std::unique_ptr<documents::Service> documents;

  cli::Services ForCli();
};

// Opens and migrates the store `config` names and builds the services (not yet started). Only
// the server (`for_server`) writes the contact engine's snapshot when it stops.
Result<std::unique_ptr<Services>> Open(const Config& config, int pool_size,
                                       bool for_server = false);

// `mekong serve`.
int Serve(const Config& config, const cli::ServeFlags& flags);

}  // namespace mekong::app
