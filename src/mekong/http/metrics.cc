#include "mekong/http/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mekong::http {

namespace {
constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1,    2.5};
}

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  std::lock_guard lock(mu_);
  Series& s = series_[{method, route}];
  if (s.buckets.empty()) s.buckets.assign(kBuckets.size(), 0);
  ++s.by_status[status];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  }
  s.sum += seconds;
  ++s.count;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  char num[64];
  out += "# HELP mekong_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE mekong_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    for (const auto& [status, n] : s.by_status) {
      out += "mekong_http_requests_total{method=\"" + key.first + "\",route=\"" + key.second +
             "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP mekong_http_errors_total HTTP responses with status 400 or more, by route.\n";
  out += "# TYPE mekong_http_errors_total counter\n";
  for (const auto& [key, s] : series_) {
    uint64_t errors = 0;
    for (const auto& [status, n] : s.by_status) errors += status >= 400 ? n : 0;
    out += "mekong_http_errors_total{method=\"" + key.first + "\",route=\"" + key.second + "\"} " +
           std::to_string(errors) + "\n";
  }
  out +=
      "# HELP mekong_http_request_duration_seconds Time from a request read to its response "
      "ready.\n";
  out += "# TYPE mekong_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      std::snprintf(num, sizeof num, "%g", kBuckets[i]);
      out += "mekong_http_request_duration_seconds_bucket{" + labels + ",le=\"" + num + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "mekong_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
           std::to_string(s.count) + "\n";
    std::snprintf(num, sizeof num, "%.6f", s.sum);
    out += "mekong_http_request_duration_seconds_sum{" + labels + "} " + num + "\n";
    out += "mekong_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) +
           "\n";
  }
  return out;
}

namespace {

#ifndef MEKONG_VERSION
#define MEKONG_VERSION "0.0.0"
#endif

const auto kStarted = std::chrono::system_clock::now();

void Gauge(std::string& out, const char* name, const char* help, const char* type, double v,
           const std::string& labels = "") {
  char num[64];
  std::snprintf(num, sizeof num, "%.12g", v);
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + labels + " " + num + "\n";
}

}  // namespace

std::string ProcessMetrics(const std::string& backend, const store::PoolStats& pool) {
  std::string out;
  Gauge(out, "mekong_build_info", "The running build.", "gauge", 1,
        std::string("{version=\"") + MEKONG_VERSION + "\",backend=\"" + backend + "\"}");
  long pages = 0, resident = 0;
  if (std::ifstream statm("/proc/self/statm"); statm >> pages >> resident) {
    Gauge(out, "process_resident_memory_bytes", "Resident memory.", "gauge",
          static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)));
    Gauge(out, "process_virtual_memory_bytes", "Virtual memory.", "gauge",
          static_cast<double>(pages) * static_cast<double>(sysconf(_SC_PAGESIZE)));
  }
  rusage use{};
  if (getrusage(RUSAGE_SELF, &use) == 0) {
    const double cpu = use.ru_utime.tv_sec + use.ru_stime.tv_sec +
                       (use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6;
    Gauge(out, "process_cpu_seconds_total", "User and system CPU time.", "counter", cpu);
  }
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  if (!ec) Gauge(out, "process_open_fds", "Open file descriptors.", "gauge", fds);
  Gauge(out, "process_max_fds", "The file descriptor limit.", "gauge",
        static_cast<double>(sysconf(_SC_OPEN_MAX)));
  Gauge(out, "process_start_time_seconds", "When the process started, Unix seconds.", "gauge",
        std::chrono::duration<double>(kStarted.time_since_epoch()).count());
  Gauge(out, "mekong_db_pool_size", "Store connections at most.", "gauge", pool.size);
  Gauge(out, "mekong_db_pool_open", "Store connections open (in use or idle).", "gauge", pool.open);
  Gauge(out, "mekong_db_pool_idle", "Store connections open and free.", "gauge", pool.idle);
  Gauge(out, "mekong_db_pool_waiting", "Callers waiting for a store connection now.", "gauge",
        pool.waiting);
  Gauge(out, "mekong_db_pool_acquired_total", "Store connections handed out.", "counter",
        static_cast<double>(pool.acquired));
  Gauge(out, "mekong_db_pool_wait_seconds_total", "Time callers waited for a store connection.",
        "counter", pool.wait_seconds);
  return out;
}

}  // namespace mekong::http
