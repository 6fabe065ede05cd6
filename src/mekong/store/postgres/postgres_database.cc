#include "mekong/store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "mekong/store/pool.h"

namespace mekong::store::postgres {

namespace {

// Type OIDs from pg_type.h, which libpq-dev does not install.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25,
              kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

Status ErrorFrom(PGresult* res, PGconn* conn, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg =
      std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string_view s = state ? state : "";
  if (s == "23505") return Status::AlreadyExists(msg);
  if (s.substr(0, 2) == "23") return Status::FailedPrecondition(msg);
  if (s.substr(0, 2) == "08" || s == "57P01" || s == "40001" || s == "40P01")
    return Status::Unavailable(msg);
  if (!res && PQstatus(conn) != CONNECTION_OK) return Status::Unavailable(msg);
  return Status::Internal(msg);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Value Decode(PGresult* res, int r, int c) {
  if (PQgetisnull(res, r, c)) return std::monostate{};
  const char* text = PQgetvalue(res, r, c);
  switch (PQftype(res, c)) {
    case kInt2:
    case kInt4:
    case kInt8:
      return int64_t{std::strtoll(text, nullptr, 10)};
    case kBool:
      return int64_t{text[0] == 't' ? 1 : 0};
    case kFloat4:
    case kFloat8:
      return std::strtod(text, nullptr);
    case kNumeric:
      // SUM over BIGINT is NUMERIC: keep integers integral.
      if (std::strchr(text, '.')) return std::strtod(text, nullptr);
      return int64_t{std::strtoll(text, nullptr, 10)};
    case kBytea: {
      size_t len = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &len);
      Blob b{std::string(reinterpret_cast<char*>(raw), len)};
      PQfreemem(raw);
      return b;
    }
    default:
      return std::string(text, PQgetlength(res, r, c));
  }
}

class Connection {
 public:
  ~Connection() { PQfinish(conn_); }

  static Result<std::unique_ptr<Connection>> Open(const std::string& url) {
    auto c = std::make_unique<Connection>();
    c->conn_ = PQconnectdb(url.c_str());
    if (PQstatus(c->conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c->conn_);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      return Status::Unavailable("cannot connect to PostgreSQL: " + msg);
    }
    ResultPtr r(PQexec(c->conn_, "SET client_min_messages = warning"));
    return c;
  }

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  // Waits on the socket for a NOTIFY (or `timeout_ms`), then drains what arrived. A broken
  // connection just waits out the timeout: the caller polls the feed anyway.
  void WaitForNotify(int64_t timeout_ms) {
    auto drain = [&] {
      bool any = false;
      while (PGnotify* n = PQnotifies(conn_)) {
        any = true;
        PQfreemem(n);
      }
      return any;
    };
    if (drain()) return;
    int fd = PQsocket(conn_);
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      return;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout_ms)) > 0) {
      PQconsumeInput(conn_);
      drain();
    }
  }

  Status Script(std::string_view sql) {
    std::string s(sql);
    ResultPtr res(PQexec(conn_, s.c_str()));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      return ErrorFrom(res.get(), conn_, "script");
    return Status::Ok();
  }

  Status Run(std::string_view sql, const Params& params, Rows* rows, int64_t* changes) {
    std::string key(sql);
    // Parameter types are fixed at prepare time, so they are part of the cache key.
    std::vector<Oid> types(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i].value();
      types[i] = std::holds_alternative<int64_t>(v)       ? kInt8
                 : std::holds_alternative<double>(v)      ? kFloat8
                 : std::holds_alternative<std::string>(v) ? kText
                 : std::holds_alternative<Blob>(v)        ? kBytea
                                                          : 0;
    }
    std::string type_key(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
    key += '\0';
    key += type_key;
    auto it = prepared_.find(key);
    std::string name;
    if (it == prepared_.end()) {
      name = "s" + std::to_string(prepared_.size());
      std::string text = NumberPlaceholders(sql);
      ResultPtr prep(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                               types.data()));
      if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK)
        return ErrorFrom(prep.get(), conn_, "prepare");
      prepared_.emplace(key, name);
    } else {
      name = it->second;
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i].value();
      if (std::holds_alternative<std::monostate>(v)) {
        values[i] = nullptr;
        continue;
      }
      if (auto* n = std::get_if<int64_t>(&v)) {
        text[i] = std::to_string(*n);
      } else if (auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        text[i] = buf;
      } else if (auto* s = std::get_if<std::string>(&v)) {
        text[i] = *s;
      } else {
        text[i] = std::get<Blob>(v).bytes;
        formats[i] = 1;  // binary
      }
      values[i] = text[i].data();
      lengths[i] = static_cast<int>(text[i].size());
    }
    ResultPtr res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(), 0));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      return ErrorFrom(res.get(), conn_, "execute");
    if (rows) {
      int nc = PQnfields(res.get()), nr = PQntuples(res.get());
      rows->columns.clear();
      for (int c = 0; c < nc; ++c) rows->columns.emplace_back(PQfname(res.get(), c));
      rows->rows.reserve(nr);
      for (int r = 0; r < nr; ++r) {
        auto& row = rows->rows.emplace_back();
        row.reserve(nc);
        for (int c = 0; c < nc; ++c) row.push_back(Decode(res.get(), r, c));
      }
    }
    if (changes) {
      const char* n = PQcmdTuples(res.get());
      *changes = n && *n ? std::strtoll(n, nullptr, 10) : 0;
    }
    return Status::Ok();
  }

 private:
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
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
  Dialect dialect() const override { return Dialect::kPostgres; }
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

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int pool_size)
      : url_(url), pool_(pool_size, [url] { return Connection::Open(url); }) {}
  ~PostgresDatabase() override { StopDeferred(); }

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
  Dialect dialect() const override { return Dialect::kPostgres; }
  PoolStats pool_stats() const override { return pool_.stats(); }

  Status Transact(const std::function<Status(Executor&)>& fn) override { return Run("BEGIN", fn); }

  Status ReadSnapshot(const std::function<Status(Executor&)>& fn) override {
    return Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  Result<std::unique_ptr<ChangeListener>> ListenForChanges(std::string_view channel) override {
    ASSIGN_OR_RETURN(auto conn, Connection::Open(url_));
    RETURN_IF_ERROR(conn->Script("LISTEN " + std::string(channel)));
    return std::unique_ptr<ChangeListener>(new Listener(std::move(conn)));
  }

 private:
  // A connection of its own that only waits for NOTIFY.
  class Listener final : public ChangeListener {
   public:
    explicit Listener(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
    void Wait(int64_t timeout_ms) override { conn_->WaitForNotify(timeout_ms); }

   private:
    std::unique_ptr<Connection> conn_;
  };

  Status Run(const char* begin, const std::function<Status(Executor&)>& fn) {
    ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    RETURN_IF_ERROR(lease->Script(begin));
    std::vector<std::function<void()>> after;
    ConnExecutor tx(*lease, *this, &after);
    Status s = fn(tx);
    if (s.ok()) s = lease->Script("COMMIT");
    if (!s.ok()) {
      (void)lease->Script("ROLLBACK");
      return s;
    }
    for (auto& f : after) f();
    return s;
  }

  std::string url_;
  Pool<Connection> pool_;
};

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size) {
  auto db = std::make_unique<PostgresDatabase>(url, std::max(pool_size, 1));
  RETURN_IF_ERROR(db->ExecScript("SELECT 1"));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace mekong::store::postgres
