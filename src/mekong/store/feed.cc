#include "mekong/store/feed.h"

#include <chrono>

#include "mekong/core/log.h"
#include "mekong/store/module.h"

namespace mekong::store {

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE change_feed (seq {serial}, topic TEXT NOT NULL, payload {blob} NOT NULL, at "
     "BIGINT NOT NULL);"
     "CREATE INDEX change_feed_at ON change_feed (at);"
     "CREATE TABLE change_feed_horizon (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_through "
     "BIGINT NOT NULL);"
     "INSERT INTO change_feed_horizon (id, pruned_through) VALUES (1, 0)"},
};

constexpr int64_t kFeedLock = 7253272;  // pg_advisory_xact_lock key of publishers
constexpr const char* kChannel = "mekong_changes";

}  // namespace

const Module& StoreModule() {
  static const Module m{"store", {}, {{"store", kMigrations}}};
  return m;
}

Status Publish(Executor& tx, std::string_view topic, std::string_view payload, int64_t at) {
  // Outside a transaction the lock below would end with its own statement, and a reader could
  // see a later sequence number commit before an earlier one.
  if (&tx == static_cast<Executor*>(&tx.database())) {
    return Status::Internal("store::Publish needs a transaction (Database::Transact)");
  }
  if (tx.dialect() == Dialect::kPostgres) {
    RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(?)", {kFeedLock}));
  }
  RETURN_IF_ERROR(tx.Exec("INSERT INTO change_feed (topic, payload, at) VALUES (?, ?, ?)",
                          {std::string(topic), Blob{std::string(payload)}, at}));
  if (tx.dialect() == Dialect::kPostgres)
    RETURN_IF_ERROR(tx.ExecScript(std::string("NOTIFY ") + kChannel));
  Database& db = tx.database();
  tx.AfterCommit([&db] { db.SignalLocalChange(); });
  return Status::Ok();
}

Result<std::vector<Change>> ChangesAfter(Executor& ex, int64_t after, int limit,
                                         const std::vector<std::string>& prefixes) {
  std::string sql = "SELECT seq, topic, at, ";
  Params params;
  if (prefixes.empty()) {
    sql += "payload";
  } else {
    sql += "CASE WHEN ";
    for (size_t i = 0; i < prefixes.size(); ++i) {
      sql += i ? " OR substr(topic, 1, CAST(? AS INTEGER)) = ?"
               : "substr(topic, 1, CAST(? AS INTEGER)) = ?";
      params.push_back(static_cast<int64_t>(prefixes[i].size()));
      params.push_back(prefixes[i]);
    }
    sql += " THEN payload END";
  }
  sql += " FROM change_feed WHERE seq > ? ORDER BY seq LIMIT ?";
  params.push_back(after);
  params.push_back(limit);
  ASSIGN_OR_RETURN(Rows r, ex.Query(sql, params));
  std::vector<Change> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back({r.Int(i, 0), r.Text(i, 1), r.IsNull(i, 3) ? std::string() : r.Bytes(i, 3).bytes,
                   r.Int(i, 2)});
  }
  return out;
}

Result<int64_t> LatestSeq(Executor& ex) {
  // Pruning may have emptied the table; the horizon still says how far the feed has come.
  ASSIGN_OR_RETURN(Rows r,
                   ex.Query("SELECT (SELECT MAX(seq) FROM change_feed), pruned_through FROM "
                            "change_feed_horizon WHERE id = 1"));
  if (r.empty()) return int64_t{0};
  return std::max(r.Int(0, 0), r.Int(0, 1));
}

Result<int64_t> PruneChanges(Executor& ex, int64_t before_ms) {
  ASSIGN_OR_RETURN(Rows top,
                   ex.Query("SELECT MAX(seq) FROM change_feed WHERE at < ?", {before_ms}));
  if (top.empty() || top.IsNull(0, 0)) return int64_t{0};
  int64_t through = top.Int(0, 0);
  ASSIGN_OR_RETURN(int64_t n, ex.Exec("DELETE FROM change_feed WHERE seq <= ?", {through}));
  RETURN_IF_ERROR(ex.Exec(
      "UPDATE change_feed_horizon SET pruned_through = ? WHERE id = 1 AND pruned_through < ?",
      {through, through}));
  return n;
}

Result<int64_t> PrunedThrough(Executor& ex) {
  ASSIGN_OR_RETURN(Rows r, ex.Query("SELECT pruned_through FROM change_feed_horizon WHERE id = 1"));
  return r.empty() ? int64_t{0} : r.Int(0, 0);
}

Follower::Follower(Database& db, std::string name, std::vector<std::string> prefixes, Apply apply,
                   int64_t poll_ms)
    : db_(db),
      name_(std::move(name)),
      prefixes_(std::move(prefixes)),
      apply_(std::move(apply)),
      poll_ms_(poll_ms) {}

Follower::~Follower() { Stop(); }

void Follower::Start(int64_t seq) {
  Stop();
  position_ = seq;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Follower::Stop() {
  stop_ = true;
  db_.SignalLocalChange();  // wakes the thread if it waits on this process's commits
  if (thread_.joinable()) thread_.join();
}

void Follower::Reset(int64_t seq) {
  std::lock_guard lock(apply_mu_);
  position_ = seq;
}

Status Follower::CatchUp() {
  std::lock_guard lock(apply_mu_);
  for (;;) {
    ASSIGN_OR_RETURN(auto changes, ChangesAfter(db_, position_.load(), 256, prefixes_));
    for (const Change& c : changes) {
      bool wanted = prefixes_.empty();
      for (const auto& p : prefixes_) wanted |= c.topic.compare(0, p.size(), p) == 0;
      if (wanted) {
        if (Status s = apply_(c); !s.ok()) {
          log::Error("feed_apply_failed", {{"follower", name_},
                                           {"seq", std::to_string(c.seq)},
                                           {"topic", c.topic},
                                           {"error", s.ToString()}});
        }
      }
      position_ = c.seq;
    }
    if (changes.size() < 256) return Status::Ok();
  }
}

void Follower::Run() {
  std::unique_ptr<ChangeListener> listener;
  if (auto l = db_.ListenForChanges(kChannel); l.ok()) {
    listener = std::move(l).value();
  } else {
    log::Warn("feed_listen_failed", {{"follower", name_}, {"error", l.status().ToString()}});
  }
  uint64_t seen = 0;
  int64_t backoff_ms = poll_ms_;
  while (!stop_) {
    Status s = CatchUp();
    if (!s.ok()) {
      // The store is away (a failover, a restart): keep trying, less often.
      log::Warn("feed_catch_up_failed", {{"follower", name_}, {"error", s.ToString()}});
      backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000);
    } else {
      backoff_ms = poll_ms_;
    }
    if (stop_) break;
    if (listener) {
      // NOTIFY covers every process, this one included; the timeout covers a lost connection.
      listener->Wait(backoff_ms);
    } else {
      db_.WaitLocalChange(&seen, backoff_ms);
    }
  }
}

}  // namespace mekong::store
