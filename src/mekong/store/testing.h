// Test support: a fresh, empty database on the backend named by MEKONG_TEST_BACKEND.
//   sqlite (default): a new file under the test temp folder.
//   postgres: a new database created on the server whose URL is in the file named by
//             MEKONG_TEST_PG_URL_FILE (written by scripts/pg-fixture.sh). A missing file is a
//             test failure, not a skip.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mekong/store/database.h"

namespace mekong::store::testing {

std::string Backend();
// Returns the URL of a new empty database, suitable for store::Open or `mekong serve --db`.
Result<std::string> NewDatabaseUrl();
Result<std::unique_ptr<Database>> OpenTestDatabase(int pool_size = 4);

// Runs `fn` in a transaction of `db` and returns what it returns: writes publish on the change
// feed, which needs a transaction (feed.h).
template <typename F>
auto InTx(Database& db, F&& fn) -> decltype(fn(std::declval<Executor&>())) {
  using R = decltype(fn(std::declval<Executor&>()));
  std::optional<R> out;
  Status s = db.Transact([&](Executor& tx) -> Status {
    out.emplace(fn(tx));
    return internal::AsStatus(*out);
  });
  if (!out) return R(s);
  if (!s.ok()) return R(s);
  return std::move(*out);
}

}  // namespace mekong::store::testing
