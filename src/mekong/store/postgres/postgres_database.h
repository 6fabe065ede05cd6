#pragma once

#include <memory>
#include <string>

#include "mekong/store/database.h"

namespace mekong::store::postgres {

// Connects to PostgreSQL with a libpq URL. Statements are prepared once per connection.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size);

// Rewrites `?` placeholders (outside quotes) to $1, $2, ...
std::string NumberPlaceholders(std::string_view sql);

}  // namespace mekong::store::postgres
