#include "mekong/store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "mekong/store/pool.h"

namespace mekong::store::sqlite {

namespace {

Status ErrorFrom(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Status::AlreadyExists(msg);
      return Status::FailedPrecondition(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg);
    default:
      return Status::Internal(msg);
  }
}

class Connection {
 public:
  ~Connection() {
    for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Connection>> Open(const std::string& path) {
    auto c = std::make_unique<Connection>();
    int rc =
        sqlite3_open_v2(path.c_str(), &c->db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return ErrorFrom(c->db_, rc, "open " + path);
    sqlite3_extended_result_codes(c->db_, 1);
    // Writers wait for each other instead of failing at once.
    sqlite3_busy_timeout(c->db_, 10000);
    // A 64 MiB page cache per connection (the default is 2 MiB): index pages of a busy
    // check-in table stay in memory instead of being re-read for every insert. Temporary
    // storage in memory keeps a multi-row statement's undo journal out of a temp file.
    RETURN_IF_ERROR(
        c->Script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                  "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"));
    return c;
  }

  bool healthy() const { return true; }

  Status Script(std::string_view sql) {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      Status base = ErrorFrom(nullptr, rc, "script");
      return Status(base.code(), "script: " + msg);
    }
    return Status::Ok();
  }

  // Runs one statement, collecting rows only when `rows` is not null.
  Status Run(std::string_view sql, const Params& params, Rows* rows, int64_t* changes) {
    sqlite3_stmt* stmt = nullptr;
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      stmt = it->second;
    } else {
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
      if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "prepare");
      if (!stmt) return Status::InvalidArgument("empty statement");
      cache_.emplace(key, stmt);
    }
    // Reset on every exit so the statement never holds a read lock between calls.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Status::Internal("statement wants " +
                              std::to_string(sqlite3_bind_parameter_count(stmt)) +
                              " parameters, got " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i].value();
      int rc = SQLITE_OK;
      if (auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else if (auto* b = std::get_if<Blob>(&v)) {
        rc = sqlite3_bind_blob(stmt, idx, b->bytes.data(), static_cast<int>(b->bytes.size()),
                               SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "bind");
    }
    if (rows) {
      int n = sqlite3_column_count(stmt);
      rows->columns.clear();
      for (int c = 0; c < n; ++c) rows->columns.emplace_back(sqlite3_column_name(stmt, c));
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return ErrorFrom(db_, rc, "step");
      if (!rows) continue;
      int n = sqlite3_column_count(stmt);
      std::vector<Value>& row = rows->rows.emplace_back();
      row.reserve(n);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(int64_t{sqlite3_column_int64(stmt, c)});
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_TEXT:
            row.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                            sqlite3_column_bytes(stmt, c)));
            break;
          case SQLITE_BLOB: {
            const char* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            row.emplace_back(Blob{std::string(p ? p : "", sqlite3_column_bytes(stmt, c))});
            break;
          }
          default:
            row.emplace_back(std::monostate{});
        }
      }
    }
    if (changes) *changes = sqlite3_changes64(db_);
    return Status::Ok();
  }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Executes on one borrowed connection: a one-off statement, or a transaction's body (then
// `after` collects what runs once it commits).
class ConnExecutor final : public Executor {
 public:
  ConnExecutor(Connection& c, Database& owner, std::vector<std::function<void()>>* after = nullptr)
      : c_(c), owner_(owner), after_(after) {}
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Rows rows;
    RETURN_IF_ERROR(c_.Run(sql, params, &rows, nullptr));
    return rows;
  }
  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    RETURN_IF_ERROR(c_.Run(sql, params, nullptr, &changes));
    return changes;
  }
  Status ExecScript(std::string_view sql) override { return c_.Script(sql); }
  Dialect dialect() const override { return Dialect::kSqlite; }
  void AfterCommit(std::function<void()> fn) override {
    if (after_) {
      after_->push_back(std::move(fn));
    } else {
      fn();
    }
  }
  Database& database() override { return owner_; }

 private:
  Connection& c_;
  Database& owner_;
  std::vector<std::function<void()>>* after_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size)
      : path_(path),
        memory_(path == ":memory:"),
        pool_(pool_size, [path] { return Connection::Open(path); }) {}
  ~SqliteDatabase() override { StopDeferred(); }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    return ConnExecutor(*lease, *this).Query(sql, params);
  }
  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    return ConnExecutor(*lease, *this).Exec(sql, params);
  }
  Status ExecScript(std::string_view sql) override {
    ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    return lease->Script(sql);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  PoolStats pool_stats() const override { return pool_.stats(); }

  // Transactions in this process take turns on one writer connection. Queueing on a mutex
  // beats SQLite's busy handler, which polls with sleeps of up to 100 ms; and a connection
  // drops its whole page cache whenever another connection has written, so one writer keeps
  // the index pages it updates warm from one transaction to the next.
  Status Transact(const std::function<Status(Executor&)>& fn) override {
    std::lock_guard<std::mutex> lock(writer_mu_);
    if (memory_) {  // an in-memory database lives in its only connection
      ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
      return Run(*lease, "BEGIN IMMEDIATE", fn);
    }
    if (!writer_) {
      ASSIGN_OR_RETURN(writer_, Connection::Open(path_));
    }
    return Run(*writer_, "BEGIN IMMEDIATE", fn);
  }

  // In WAL mode a read transaction sees the database as of its first read, whatever commits
  // meanwhile, and blocks no writer.
  Status ReadSnapshot(const std::function<Status(Executor&)>& fn) override {
    ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    return Run(*lease, "BEGIN DEFERRED", fn);
  }

  Result<std::unique_ptr<ChangeListener>> ListenForChanges(std::string_view) override {
    return std::unique_ptr<ChangeListener>();  // readers in other processes poll
  }

 private:
  Status Run(Connection& c, const char* begin, const std::function<Status(Executor&)>& fn) {
    // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading reads.
    RETURN_IF_ERROR(c.Script(begin));
    std::vector<std::function<void()>> after;
    ConnExecutor tx(c, *this, &after);
    Status s = fn(tx);
    if (s.ok()) s = c.Script("COMMIT");
    if (!s.ok()) {
      (void)c.Script("ROLLBACK");
      return s;
    }
    for (auto& f : after) f();
    return s;
  }

  std::string path_;
  bool memory_;
  Pool<Connection> pool_;
  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;  // opened on the first transaction
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, int pool_size) {
  bool memory = path == ":memory:";
  if (!memory) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return Status::Unavailable("cannot create " + parent.string() + ": " + ec.message());
  }
  auto db = std::make_unique<SqliteDatabase>(path, memory ? 1 : std::max(pool_size, 1));
  // Open one connection now so a bad path fails here, not on the first request.
  RETURN_IF_ERROR(db->ExecScript("SELECT 1"));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace mekong::store::sqlite
