// Runtime settings. Precedence, lowest to highest: defaults, a TOML file, MEKONG_* environment
// variables, command-line flags (applied by the CLI after Load).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "mekong/core/status.h"

namespace mekong {

struct Config {
  // [store]
  std::string db = "./data/mekong.db";  // a SQLite path, or a postgresql:// URL
  int feed_retention_hours = 168;       // the change feed keeps this much history (a server down
                                        // longer rebuilds its index from the store)
  // [server]
  std::string listen = "127.0.0.1";
  int port = 8080;
  int threads = 0;                   // 0: one per core
  int64_t max_body_bytes = 4 << 20;  // larger requests get 413; a full check-in batch is ~1.3 MB
  int request_timeout_seconds = 30;  // a request must arrive whole within this
  int shutdown_grace_seconds = 10;   // in-flight requests get this long on SIGTERM
  int max_connections = 10000;       // more are answered 503 and closed
  int max_queued_requests = 512;     // requests waiting for a worker; more get 503
  std::string web_root;              // the web application's build; "" for the one built in
  std::string cors_origins;          // comma-separated origins allowed to call the API
  // [auth]
  int max_failed_logins = 5;               // per account within lockout_minutes, then 429
  int max_failed_logins_per_address = 30;  // per client address within lockout_minutes
  int lockout_minutes = 15;
  int session_ttl_hours = 12;
  // [tracing]
  int max_stay_hours = 24;  // a check-in cannot claim a longer stay
  int retention_days = 28;
  int retention_sweep_seconds = 3600;  // how often the server deletes expired check-ins
  std::string index_snapshot;          // the contact index's snapshot file; "" for <db>.index
                                       // on SQLite and none on PostgreSQL
  int snapshot_every_seconds = 300;    // a running server also writes the snapshot this often
  int query_deadline_seconds = 30;     // a tracing query running longer is stopped (429)
  // [healthcode]
  int credential_validity_hours = 24;  // a signed health code expires after this
  std::string issuer = "VN";           // the iss claim of signed health codes and EU DCCs
  std::string authority = "Ministry of Health of Viet Nam";  // "is" of issued EU DCCs
  // [outbox] how messages leave (docs/outbox.md); empty: that channel is not sent from here
  std::string smtp;  // "host:port" of an SMTP server or relay
  std::string mail_from = "mekong@localhost";
  // The join link of a consultation or a meeting: "{room}" becomes an unguessable room name.
  std::string video_url_template = "https://meet.jit.si/mekong-{room}";
  int meeting_remind_minutes = 15;       // the alert to each unit taking part, before the start
  int alert_escalate_minutes = 30;       // an alert nobody acknowledged goes to the unit above
  int ticket_first_reply_minutes = 240;  // a hotline ticket's target for its first answer
  int ticket_close_hours = 72;           // and for closing it
  std::string sms_gateway;               // "http://host:port/path" of an SMS gateway
  int outbox_retry_seconds = 30;         // the first retry's wait; it doubles, to at most an hour
  int outbox_max_attempts = 6;           // then the delivery is failed
  // [log]
  std::string log_level = "info";
  std::string log_format = "text";  // or "json": one object per line

  // Reads `path` (if not empty) and the environment into a Config. Unknown keys and wrong types
  // are errors that name the key.
  static Result<Config> Load(const std::string& path,
                             const std::function<const char*(const char*)>& getenv);
  Status Validate() const;
};

}  // namespace mekong
