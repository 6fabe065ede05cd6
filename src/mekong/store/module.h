// A module's manifest: its name, the modules it builds on, and its migrations. The app lists
// its modules in any order; MigrateModules applies each after the modules it depends on.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/store/database.h"

namespace mekong::store {

struct Schema {
  std::string_view name;  // as recorded in schema_migrations
  std::span<const Migration> migrations;
};

struct Module {
  std::string_view name;
  std::vector<std::string_view> depends_on;  // other modules, whose tables its tables reference
  std::vector<Schema> schemas;               // usually one, named after the module
  // Rows every installation needs (a default policy), written after the migrations; must be
  // idempotent, since every start runs it.
  Status (*seed)(Database& db) = nullptr;
};

// The store's own tables (the change feed); applied before every other module.
const Module& StoreModule();

// Applies every module's migrations, each after those it depends on. failed_precondition when
// a dependency is not in the list or the dependencies form a cycle.
Status MigrateModules(Database& db, std::span<const Module* const> modules);

// The order MigrateModules applies them in (exposed for tests and `mekong migrate`).
Result<std::vector<const Module*>> MigrationOrder(std::span<const Module* const> modules);

}  // namespace mekong::store
