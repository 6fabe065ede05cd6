#include "mekong/core/config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <map>
#include <set>

namespace mekong {

namespace {

// One list of integer settings, shared by the TOML reader, the environment and validation.
struct Int {
  const char* key;
  const char* env;
  int64_t min, max;
  int Config::*i = nullptr;
  int64_t Config::*l = nullptr;
  int64_t Get(const Config& c) const { return i ? c.*i : c.*l; }
  void Set(Config& c, int64_t v) const {
    if (i)
      c.*i = static_cast<int>(v);
    else
      c.*l = v;
  }
};

const std::vector<Int>& IntSettings() {
  static const std::vector<Int> kInts = {
      {"server.port", "MEKONG_PORT", 0, 65535, &Config::port},
      {"server.threads", "MEKONG_THREADS", 0, 256, &Config::threads},
      {"server.max_body_bytes", "MEKONG_MAX_BODY_BYTES", 1024, int64_t(1) << 30, nullptr,
       &Config::max_body_bytes},
      {"server.request_timeout_seconds", nullptr, 1, 3600, &Config::request_timeout_seconds},
      {"server.shutdown_grace_seconds", nullptr, 0, 600, &Config::shutdown_grace_seconds},
      {"server.max_connections", "MEKONG_MAX_CONNECTIONS", 1, 1000000, &Config::max_connections},
      {"server.max_queued_requests", "MEKONG_MAX_QUEUED_REQUESTS", 1, 1000000,
       &Config::max_queued_requests},
      {"store.feed_retention_hours", nullptr, 1, 24 * 365, &Config::feed_retention_hours},
      {"auth.max_failed_logins", nullptr, 1, 1000, &Config::max_failed_logins},
      {"auth.max_failed_logins_per_address", nullptr, 1, 100000,
       &Config::max_failed_logins_per_address},
      {"auth.lockout_minutes", nullptr, 1, 24 * 60, &Config::lockout_minutes},
      {"auth.session_ttl_hours", nullptr, 1, 24 * 90, &Config::session_ttl_hours},
      {"tracing.max_stay_hours", nullptr, 1, 24 * 30, &Config::max_stay_hours},
      {"tracing.retention_days", "MEKONG_RETENTION_DAYS", 1, 3650, &Config::retention_days},
      {"tracing.retention_sweep_seconds", "MEKONG_RETENTION_SWEEP_SECONDS", 1, 86400,
       &Config::retention_sweep_seconds},
      {"tracing.snapshot_every_seconds", "MEKONG_SNAPSHOT_EVERY_SECONDS", 0, 86400,
       &Config::snapshot_every_seconds},
      {"tracing.query_deadline_seconds", "MEKONG_QUERY_DEADLINE_SECONDS", 1, 3600,
       &Config::query_deadline_seconds},
      {"healthcode.credential_validity_hours", nullptr, 1, 24 * 30,
       &Config::credential_validity_hours},
      {"outbox.retry_seconds", "MEKONG_OUTBOX_RETRY_SECONDS", 1, 3600,
       &Config::outbox_retry_seconds},
      {"outbox.max_attempts", "MEKONG_OUTBOX_MAX_ATTEMPTS", 1, 50, &Config::outbox_max_attempts},
      {"command.meeting_remind_minutes", nullptr, 1, 24 * 60, &Config::meeting_remind_minutes},
      {"command.alert_escalate_minutes", nullptr, 1, 7 * 24 * 60, &Config::alert_escalate_minutes},
      {"command.ticket_first_reply_minutes", nullptr, 1, 7 * 24 * 60,
       &Config::ticket_first_reply_minutes},
      {"command.ticket_close_hours", nullptr, 1, 24 * 90, &Config::ticket_close_hours},
  };
  return kInts;
}

struct Str {
  const char* key;
  const char* env;
  std::string Config::*s;
};

const std::vector<Str>& StrSettings() {
  static const std::vector<Str> kStrs = {
      {"store.db", "MEKONG_DB", &Config::db},
      {"server.listen", "MEKONG_LISTEN", &Config::listen},
      {"log.level", "MEKONG_LOG_LEVEL", &Config::log_level},
      {"log.format", "MEKONG_LOG_FORMAT", &Config::log_format},
      {"server.web_root", "MEKONG_WEB_ROOT", &Config::web_root},
      {"server.cors_origins", "MEKONG_CORS_ORIGINS", &Config::cors_origins},
      {"tracing.index_snapshot", "MEKONG_INDEX_SNAPSHOT", &Config::index_snapshot},
      {"healthcode.issuer", nullptr, &Config::issuer},
      {"healthcode.authority", nullptr, &Config::authority},
      {"outbox.smtp", "MEKONG_SMTP", &Config::smtp},
      {"video.url_template", "MEKONG_VIDEO_URL_TEMPLATE", &Config::video_url_template},
      {"outbox.mail_from", "MEKONG_MAIL_FROM", &Config::mail_from},
      {"outbox.sms_gateway", "MEKONG_SMS_GATEWAY", &Config::sms_gateway},
  };
  return kStrs;
}

Status CheckRange(const Int& s, int64_t v) {
  if (v < s.min || v > s.max) {
    return Status::InvalidArgument(std::string(s.key) + " must be between " +
                                       std::to_string(s.min) + " and " + std::to_string(s.max) +
                                       ", got " + std::to_string(v),
                                   s.key);
  }
  return Status::Ok();
}

}  // namespace

Result<Config> Config::Load(const std::string& path,
                            const std::function<const char*(const char*)>& getenv) {
  Config c;
  if (!path.empty()) {
    toml::table doc;
    try {
      doc = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return Status::InvalidArgument(
          path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()),
          "config");
    }
    std::set<std::string> known;
    for (const auto& s : IntSettings()) {
      known.insert(s.key);
      if (auto node = doc.at_path(s.key)) {
        auto v = node.value<int64_t>();
        if (!v || !node.is_integer()) {
          return Status::InvalidArgument(std::string(s.key) + " must be an integer", s.key);
        }
        s.Set(c, *v);
      }
    }
    for (const auto& s : StrSettings()) {
      known.insert(s.key);
      if (auto node = doc.at_path(s.key)) {
        if (!node.is_string())
          return Status::InvalidArgument(std::string(s.key) + " must be a string", s.key);
        c.*(s.s) = *node.value<std::string>();
      }
    }
    // Refuse keys we do not know: a typo in a threshold must not silently keep the default.
    for (const auto& [section, node] : doc) {
      const toml::table* t = node.as_table();
      if (!t)
        return Status::InvalidArgument("unknown top-level key '" + std::string(section.str()) + "'",
                                       "config");
      for (const auto& [key, _] : *t) {
        std::string full = std::string(section.str()) + "." + std::string(key.str());
        if (!known.count(full))
          return Status::InvalidArgument("unknown setting '" + full + "'", full);
      }
    }
  }
  for (const auto& s : StrSettings()) {
    if (const char* v = s.env ? getenv(s.env) : nullptr; v && *v) c.*(s.s) = v;
  }
  for (const auto& s : IntSettings()) {
    const char* v = s.env ? getenv(s.env) : nullptr;
    if (!v || !*v) continue;
    char* end = nullptr;
    long long n = std::strtoll(v, &end, 10);
    if (*end != '\0')
      return Status::InvalidArgument(std::string(s.env) + " must be an integer", s.env);
    s.Set(c, n);
  }
  RETURN_IF_ERROR(c.Validate());
  return c;
}

Status Config::Validate() const {
  for (const auto& s : IntSettings()) RETURN_IF_ERROR(CheckRange(s, s.Get(*this)));
  if (db.empty()) return Status::InvalidArgument("store.db must not be empty", "store.db");
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
  if (!kLevels.count(log_level)) {
    return Status::InvalidArgument("log.level must be one of trace, debug, info, warn, error, off",
                                   "log.level");
  }
  if (log_format != "text" && log_format != "json") {
    return Status::InvalidArgument("log.format must be text or json", "log.format");
  }
  // A join link people open: https, and a room nobody can guess.
  if (video_url_template.rfind("https://", 0) != 0 ||
      video_url_template.find("{room}") == std::string::npos) {
    return Status::InvalidArgument("video.url_template must start https:// and hold {room}",
                                   "video.url_template");
  }
  return Status::Ok();
}

}  // namespace mekong
