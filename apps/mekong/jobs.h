// Background jobs of a running server, one per module that has periodic work: each runs on its
// own schedule on one thread, and a failure is logged and retried at the next turn.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::app {

struct Job {
  std::string name;
  std::chrono::seconds every;
  std::function<Status()> run;  // logs its own successes; a failure is logged here
};

class Jobs {
 public:
  // Runs every job once at start, then on its schedule, until destroyed.
  explicit Jobs(std::vector<Job> jobs);
  ~Jobs();

 private:
  void Loop();
  std::vector<Job> jobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;  // declared last: it starts once the members it uses exist
};

}  // namespace mekong::app
