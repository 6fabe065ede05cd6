// The change feed: an append-only, sequence-ordered log of what changed, written in the same
// transaction as the change it describes, so it is exactly as durable as the change. Every
// process that must learn of changes it did not make reads it by sequence number and remembers
// where it is: each server's contact engine, the trust cache, live alerts, and what comes next
// (the message outbox, the tamper-evident log). Nothing stays current by a handler
// remembering to update it. Byte layouts of the payloads: docs/formats/change-feed.md.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mekong/store/database.h"

namespace mekong::store {

struct Change {
  int64_t seq = 0;
  std::string topic;    // "<module>.<what>", e.g. "tracing.stays"
  std::string payload;  // bytes the publishing module defines
  int64_t at = 0;       // ms, when it was published
};

// Appends a change to `tx`'s transaction. Sequence numbers rise in commit order (PostgreSQL:
// publishers take a transaction-scoped lock, so a reader never sees seq n+1 before n), and
// this process's followers wake at commit; other processes' on NOTIFY (PostgreSQL) or at
// their next poll. Publish last in a transaction: the lock is held until it commits. `tx` must
// be a transaction's executor (internal error otherwise).
Status Publish(Executor& tx, std::string_view topic, std::string_view payload, int64_t at);

// Changes with seq > `after` in order, at most `limit`. Payloads only for topics starting with
// one of `prefixes` (all when empty); the others come with an empty payload, to move past.
Result<std::vector<Change>> ChangesAfter(Executor& ex, int64_t after, int limit,
                                         const std::vector<std::string>& prefixes = {});
// The highest sequence number committed so far; 0 when none.
Result<int64_t> LatestSeq(Executor& ex);
// Deletes changes published before `before_ms` and records the highest seq deleted; returns
// how many went.
Result<int64_t> PruneChanges(Executor& ex, int64_t before_ms);
// The highest seq ever pruned: a reader resuming below it has missed changes and must rebuild.
Result<int64_t> PrunedThrough(Executor& ex);

// Follows the feed for one subscriber: applies each change of its topics once, in order, from
// the position it starts at. A thread of its own waits for a local commit, a NOTIFY or the
// poll interval, whichever comes first, then catches up. Thread-safe.
class Follower {
 public:
  // `apply` runs for each change whose topic starts with one of `prefixes`, under the
  // follower's lock (one at a time, in order). A failure is logged and the feed moves on.
  using Apply = std::function<Status(const Change&)>;
  Follower(Database& db, std::string name, std::vector<std::string> prefixes, Apply apply,
           int64_t poll_ms = 200);
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Starts following after `seq` (the position a snapshot holds, or the feed's head).
  void Start(int64_t seq);
  void Stop();
  // Applies everything committed so far on the caller's thread: a writer calls it after its
  // commit to read its own write.
  Status CatchUp();
  int64_t position() const { return position_.load(); }
  // Sets the position without applying anything (a rebuild read the store as of `seq`).
  void Reset(int64_t seq);

 private:
  void Run();

  Database& db_;
  const std::string name_;
  const std::vector<std::string> prefixes_;
  const Apply apply_;
  const int64_t poll_ms_;
  std::mutex apply_mu_;
  std::atomic<int64_t> position_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace mekong::store
