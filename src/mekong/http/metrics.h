// Request counters and latency histograms per route, rendered in Prometheus text format.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mekong/store/pool.h"

namespace mekong::http {

class Metrics {
 public:
  // `route` is the route pattern ("/api/v1/people/{id}"), never the raw path, so label
  // cardinality stays bounded.
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  std::string Render() const;

 private:
  struct Series {
    std::map<int, uint64_t> by_status;
    std::vector<uint64_t> buckets;  // cumulative at render time
    double sum = 0;
    uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Series> series_;
};

// The process (resident memory, CPU, open files, start time), the build, and the store's
// connection pool, in the same format.
std::string ProcessMetrics(const std::string& backend, const store::PoolStats& pool);

}  // namespace mekong::http
