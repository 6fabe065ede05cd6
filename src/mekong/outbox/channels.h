// How a message leaves Mekong: one interface, one implementation per way of sending. Email goes
// over SMTP (RFC 5321, plain on the network the operator names: a relay on the same host or
// network does TLS and authentication), SMS through an HTTP gateway. In-app messages need no
// channel: the person reads them in the app.
//
// Each send carries the delivery's id as its idempotency key (the email's Message-ID, the SMS
// gateway's Idempotency-Key header): a send retried after a crash mid-send is the same message,
// which a receiving server can drop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mekong/core/status.h"

namespace mekong::outbox {

struct Outgoing {
  int64_t delivery_id = 0;
  std::string address;  // an email address, or an E.164 phone number
  std::string language;
  std::string subject, text;
  int64_t at = 0;  // ms, the send's time (the email's Date)
};

class Channel {
 public:
  virtual ~Channel() = default;
  // unavailable when the other end could not be reached or refused for now (retried later);
  // invalid_argument when it refused the message itself (a bad address: not retried).
  virtual Status Send(const Outgoing& m) = 0;
};

// `host:port` of an SMTP server; `from` the envelope and From address.
Result<std::unique_ptr<Channel>> SmtpChannel(const std::string& host_port, const std::string& from);
// An HTTP (not HTTPS) gateway URL, "http://host:port/path": each SMS is one POST of
// {"to", "text", "id"} as JSON; a 2xx answer is sent, a 4xx refused, anything else retried.
Result<std::unique_ptr<Channel>> HttpSmsChannel(const std::string& url);

// An email address Mekong will send to: one @, a dotted domain, no spaces or control
// characters, at most 254 bytes.
bool IsEmailAddress(const std::string& s);

}  // namespace mekong::outbox
