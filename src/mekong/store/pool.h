// A fixed-size pool of connections shared by the SQLite and PostgreSQL implementations.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::store {

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

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_count_ < size_; });
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
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_count_ = 0;
};

}  // namespace mekong::store
