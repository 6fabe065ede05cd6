// A fixed-size pool of connections shared by the SQLite and PostgreSQL implementations.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::store {

// What /metrics shows of a pool.
struct PoolStats {
  int size = 0;             // connections at most
  int open = 0;             // made and not dropped (in use or idle)
  int idle = 0;             // open and free
  int waiting = 0;          // callers waiting for one now
  uint64_t acquired = 0;    // leases handed out since start
  double wait_seconds = 0;  // total time callers waited for a lease
};

template <typename Conn>
class Pool {
 public:
  // `open` makes a new connection; it is called lazily, up to `size` times.
  Pool(int size, std::function<Result<std::unique_ptr<Conn>>()> open)
      : size_(size), open_(std::move(open)) {}

  // Borrows a connection, waiting while all are in use; it returns to the pool when the lease
  // goes out of scope. A connection that reports itself broken is dropped instead.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) {}
    Lease(const Lease&) = delete;
    ~Lease() {
      if (conn_) pool_->Release(std::move(conn_));
    }
    Conn& operator*() { return *conn_; }
    Conn* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  PoolStats stats() const {
    std::lock_guard lock(mu_);
    return {size_, open_count_, static_cast<int>(idle_.size()), waiting_, acquired_, wait_seconds_};
  }

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    ++acquired_;
    if (idle_.empty() && open_count_ >= size_) {
      const auto since = std::chrono::steady_clock::now();
      ++waiting_;
      cv_.wait(lock, [&] { return !idle_.empty() || open_count_ < size_; });
      --waiting_;
      wait_seconds_ +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_count_;
    lock.unlock();
    auto made = open_();
    if (!made.ok()) {
      std::lock_guard relock(mu_);
      --open_count_;
      cv_.notify_one();
      return made.status();
    }
    return Lease(this, std::move(made).value());
  }

 private:
  void Release(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    if (c->healthy()) {
      idle_.push_back(std::move(c));
    } else {
      --open_count_;
    }
    cv_.notify_one();
  }

  const int size_;
  std::function<Result<std::unique_ptr<Conn>>()> open_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_count_ = 0;
  int waiting_ = 0;
  uint64_t acquired_ = 0;
  double wait_seconds_ = 0;
};

}  // namespace mekong::store
