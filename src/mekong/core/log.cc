#include "mekong/core/log.h"

#include <spdlog/spdlog.h>

namespace mekong::log {

namespace {

// Quotes a value when it holds spaces, quotes or '=' so that lines stay machine-readable.
std::string Line(std::string_view event, Fields fields) {
  std::string out(event);
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    bool quote = v.empty() || v.find_first_of(" \"=\t\n") != std::string::npos;
    if (!quote) {
      out += v;
      continue;
    }
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') { out += "\\n"; continue; }
      out += c;
    }
    out += '"';
  }
  return out;
}

}  // namespace

void SetLevel(std::string_view level) {
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
}
void Info(std::string_view event, Fields fields) { spdlog::info("{}", Line(event, fields)); }
void Warn(std::string_view event, Fields fields) { spdlog::warn("{}", Line(event, fields)); }
void Error(std::string_view event, Fields fields) { spdlog::error("{}", Line(event, fields)); }
void Debug(std::string_view event, Fields fields) {
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("{}", Line(event, fields));
}

}  // namespace mekong::log
