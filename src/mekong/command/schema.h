// The command centre's tables beyond alerts (directives, reports, tasks): the command module's
// second schema, "command_centre" in schema_migrations.
#pragma once

#include <span>

#include "mekong/store/database.h"

namespace mekong::command {

std::span<const store::Migration> CentreMigrations();

}  // namespace mekong::command
