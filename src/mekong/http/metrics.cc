#include "mekong/http/metrics.h"

#include <array>
#include <cstdio>

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

}  // namespace mekong::http
