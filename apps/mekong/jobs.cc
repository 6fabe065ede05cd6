#include "jobs.h"

#include "mekong/core/log.h"

namespace mekong::app {

Jobs::Jobs(std::vector<Job> jobs) : jobs_(std::move(jobs)), thread_([this] { Loop(); }) {}

Jobs::~Jobs() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Jobs::Loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> due(jobs_.size(), Clock::now());
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto next = Clock::time_point::max();
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (Clock::now() >= due[i]) {
        lock.unlock();
        Status s = jobs_[i].run();
        if (!s.ok()) log::Error("job_failed", {{"job", jobs_[i].name}, {"error", s.ToString()}});
        lock.lock();
        due[i] = Clock::now() + jobs_[i].every;
        if (stop_) return;
      }
      next = std::min(next, due[i]);
    }
    cv_.wait_until(lock, next, [this] { return stop_; });
  }
}

}  // namespace mekong::app
