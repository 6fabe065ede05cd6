#include "mekong/core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>

namespace mekong::log {

namespace {

std::atomic<bool> json_format{false};

// Logs go to stderr, so a command's output on stdout (JSON from `mekong trace --json`) stays
// clean; the server's supervisor reads both.
spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("mekong");
    spdlog::set_default_logger(l);
    return l;
  }();
  return *logger;
}

// Control characters from a client (a path, a username) never reach the log raw: a line
// break would forge a line, an escape sequence would rewrite a terminal.
void Escape(std::string& out, std::string_view v) {
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
}

// "event key=value ...", quoting a value that holds spaces, quotes, '=' or control characters.
std::string Text(std::string_view event, Fields fields) {
  std::string out(event);
  for (const auto& [k, v] : fields) {
    out += ' ';
    out += k;
    out += '=';
    bool quote = v.empty();
    for (unsigned char c : v) quote |= c <= 0x20 || c == '"' || c == '=' || c == 0x7f || c == '\\';
    if (!quote) {
      out += v;
      continue;
    }
    out += '"';
    Escape(out, v);
    out += '"';
  }
  return out;
}

// One JSON object a line: {"event": ..., key: value, ...}; the time and level come first.
std::string Json(std::string_view level, std::string_view event, Fields fields) {
  std::string out = "{\"level\":\"";
  out += level;
  out += "\",\"event\":\"";
  Escape(out, event);
  out += '"';
  for (const auto& [k, v] : fields) {
    out += ",\"";
    Escape(out, k);
    out += "\":\"";
    Escape(out, v);
    out += '"';
  }
  out += '}';
  return out;
}

void Emit(spdlog::level::level_enum level, std::string_view name, std::string_view event,
          Fields fields) {
  spdlog::logger& logger = Logger();
  if (!logger.should_log(level)) return;
  logger.log(level, "{}", json_format ? Json(name, event, fields) : Text(event, fields));
}

}  // namespace

void SetLevel(std::string_view level) {
  Logger();
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_pattern(json_format ? "{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"log\":%v}"
                                  : "%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                      spdlog::pattern_time_type::utc);
}
void SetFormat(std::string_view format) {
  json_format = format == "json";
  SetLevel(spdlog::level::to_string_view(spdlog::get_level()).data());
}
void Info(std::string_view event, Fields fields) {
  Emit(spdlog::level::info, "info", event, fields);
}
void Warn(std::string_view event, Fields fields) {
  Emit(spdlog::level::warn, "warn", event, fields);
}
void Error(std::string_view event, Fields fields) {
  Emit(spdlog::level::err, "error", event, fields);
}
void Debug(std::string_view event, Fields fields) {
  Emit(spdlog::level::debug, "debug", event, fields);
}

}  // namespace mekong::log
