// One storage interface over SQLite (embedded default) and PostgreSQL.
//
// SQL is written once, with `?` placeholders and the portable subset both engines share;
// the PostgreSQL implementation rewrites placeholders to $n. Migrations may use {id} (an
// auto-increment primary key), {blob} (a byte column) and {bytewise} (after a text column of
// an index: byte order, which UnderPath's ranges need), which each dialect expands.
//
// Thread safety: a Database is safe to use from many threads; each call borrows a pooled
// connection. The Executor handed to a Transact callback belongs to that one call.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/store/pool.h"

namespace mekong::store {

struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;

// A bound parameter. Implicit constructors keep call sites short: {id.value, name, nullptr}.
class Param {
 public:
  Param(std::nullptr_t) {}                           // NOLINT
  Param(int v) : v_(int64_t{v}) {}                   // NOLINT
  Param(long v) : v_(int64_t{v}) {}                  // NOLINT
  Param(long long v) : v_(int64_t{v}) {}             // NOLINT
  Param(bool v) : v_(int64_t{v ? 1 : 0}) {}          // NOLINT
  Param(double v) : v_(v) {}                         // NOLINT
  Param(const char* v) : v_(std::string(v)) {}       // NOLINT
  Param(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Param(std::string v) : v_(std::move(v)) {}         // NOLINT
  Param(Blob v) : v_(std::move(v)) {}                // NOLINT
  template <typename T>
  Param(const std::optional<T>& v) {  // NOLINT: empty optional binds NULL
    if (v) v_ = Param(*v).v_;
  }
  const Value& value() const { return v_; }

 private:
  Value v_;
};

using Params = std::vector<Param>;

// A fully materialised result. Accessors abort on a type mismatch, which is a bug in the query.
class Rows {
 public:
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  bool IsNull(size_t r, size_t c) const {
    return std::holds_alternative<std::monostate>(rows[r][c]);
  }
  int64_t Int(size_t r, size_t c) const;       // NULL reads as 0
  double Real(size_t r, size_t c) const;       // integers widen
  std::string Text(size_t r, size_t c) const;  // NULL reads as ""; numbers are formatted
  std::optional<int64_t> OptInt(size_t r, size_t c) const;
  const Blob& Bytes(size_t r, size_t c) const;
};

enum class Dialect { kSqlite, kPostgres };

class Database;

class Executor {
 public:
  virtual ~Executor() = default;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  // Runs several `;`-separated statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  // Runs `fn` once the transaction this executor belongs to has committed (never if it rolls
  // back); outside a transaction, at once. For waking this process's readers of a change.
  virtual void AfterCommit(std::function<void()> fn) = 0;
  // The database this executor's statements run on.
  virtual Database& database() = 0;
};

// Waits for other processes' changes to the store (PostgreSQL: LISTEN). See feed.h.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Returns after a notification or `timeout_ms`, whichever comes first.
  virtual void Wait(int64_t timeout_ms) = 0;
};

struct Migration {
  int version;           // 1, 2, 3 ... per module, never reused or edited once released
  std::string_view sql;  // may hold several statements and the {id} / {blob} tokens
};

class Database : public Executor {
 public:
  // Runs `fn` in one transaction: committed if it returns OK, rolled back otherwise (and on a
  // failed commit). Writers are serialised on SQLite; PostgreSQL runs READ COMMITTED.
  virtual Status Transact(const std::function<Status(Executor&)>& fn) = 0;
  // Runs `fn`'s reads against one consistent snapshot of the store (SQLite: one read
  // transaction; PostgreSQL: REPEATABLE READ, READ ONLY), without blocking writers.
  virtual Status ReadSnapshot(const std::function<Status(Executor&)>& fn) = 0;
  // A listener woken by other processes' changes, or none where the backend cannot notify
  // (SQLite: readers poll the feed; this process's own commits still wake them, below).
  virtual Result<std::unique_ptr<ChangeListener>> ListenForChanges(std::string_view channel) = 0;

  void AfterCommit(std::function<void()> fn) override { fn(); }
  Database& database() override { return *this; }
  // The connection pool, for /metrics.
  virtual PoolStats pool_stats() const = 0;

  // This process's commits that published a change bump a counter and wake waiters at once.
  void SignalLocalChange();
  // Waits until the counter differs from `*seen` or `timeout_ms` passes; updates `*seen`.
  void WaitLocalChange(uint64_t* seen, int64_t timeout_ms);

  // Queues a one-statement write to commit soon rather than now: a thread of the database's own
  // commits what is queued in one transaction within kDeferWindowMs (sooner at kDeferBatch
  // writes). For records that nobody reads back in the request that makes them, where a commit
  // of their own would be most of a read's cost: the access log of reads. A crash loses at most
  // the last window of them; FlushDeferred() commits what is queued, and the database commits
  // the rest before it closes. Writes run in the order they were queued.
  void Defer(std::string sql, Params params);
  Status FlushDeferred();
  static constexpr int kDeferWindowMs = 20;
  static constexpr size_t kDeferBatch = 256;

  // Applies the module's migrations above its recorded version, each in its own transaction,
  // and records them in schema_migrations. Safe to call from several processes at once.
  Status Migrate(std::string_view module, std::span<const Migration> migrations);
  // The version recorded for `module`, 0 when none.
  Result<int> SchemaVersion(std::string_view module);

  ~Database() override;

 protected:
  // Each backend calls this first in its destructor, while it can still commit: the deferred
  // writes' thread stops and what it had not committed is.
  void StopDeferred();

 private:
  void CommitDeferredLoop();

  std::mutex defer_mu_;
  std::condition_variable defer_cv_;
  std::vector<std::pair<std::string, Params>> deferred_;
  bool defer_stopping_ = false;
  std::thread defer_thread_;  // started by the first Defer()
  std::mutex flush_mu_;       // one flush at a time keeps the queue's order

  std::mutex change_mu_;
  std::condition_variable change_cv_;
  uint64_t local_changes_ = 0;
};

// Writes rows with multi-row INSERTs, far fewer statements than one per row: `head` is
// "INSERT INTO t (a, b)", `values` every row's `columns` parameters one row after another,
// `tail` what follows each statement's VALUES (an ON CONFLICT clause, or nothing).
Status InsertRows(Executor& ex, std::string_view head, size_t columns, const Params& values,
                  size_t rows_per_statement, std::string_view tail = "");
// The same with `tail` ending in RETURNING: every statement's returned rows, one after another
// (in no promised order: return what names each row).
Result<Rows> InsertRowsReturning(Executor& ex, std::string_view head, size_t columns,
                                 const Params& values, size_t rows_per_statement,
                                 std::string_view tail);

// "(?,?,...,?)" with n marks, for `x IN` lists of bound values.
std::string InList(size_t n);

// "column >= ? AND column < ?" (with `path` and its upper bound appended to `params`): the
// rows of an org unit and every unit under it, by their path ("/1/2/" and below). A range, not
// LIKE, so the B-tree index on the column serves it: SQLite's LIKE is case-blind and cannot
// use a case-sensitive index, PostgreSQL's LIKE needs the C collation. Compared byte by byte
// on both engines (on PostgreSQL, an index serves it when made with {bytewise}).
std::string UnderPath(const Executor& ex, std::string_view column, std::string_view path,
                      Params* params);

// Expands {id}, {serial} (an auto-increment key never reused, even after deletes), {blob} and
// {bytewise} for the dialect.
std::string ExpandDialect(std::string_view sql, Dialect dialect);

// "postgresql://..." or "postgres://..." opens PostgreSQL; another scheme ("mysql://") is
// invalid_argument; anything else is a SQLite path (":memory:" for a private in-memory
// database). `pool_size` connections at most.
Result<std::unique_ptr<Database>> Open(const std::string& url, int pool_size = 4);

}  // namespace mekong::store
