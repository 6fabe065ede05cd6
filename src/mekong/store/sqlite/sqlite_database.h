#pragma once

#include <memory>
#include <string>

#include "mekong/store/database.h"

namespace mekong::store::sqlite {

// Opens (creating if needed) a SQLite database in WAL mode with foreign keys on. The parent
// folder is created. ":memory:" gives a private in-memory database with one connection.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, int pool_size);

}  // namespace mekong::store::sqlite
