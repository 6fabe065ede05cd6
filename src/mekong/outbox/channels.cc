#include "mekong/outbox/channels.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"

namespace mekong::outbox {

namespace {

constexpr int kTimeoutSeconds = 10;

// One TCP connection with blocking reads and writes that give up after kTimeoutSeconds.
class Connection {
 public:
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const std::string& host, const std::string& port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
      return Status::Unavailable(host + ": " + ::gai_strerror(rc));
    for (addrinfo* a = res; a; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd < 0) continue;
      timeval tv{kTimeoutSeconds, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        fd_ = fd;
        break;
      }
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (fd_ < 0) return Status::Unavailable("cannot connect to " + host + ":" + port);
    return Status::Ok();
  }

  Status Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return Status::Unavailable("the connection was lost while sending");
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  // A line without its CRLF; at most 64 KiB.
  Result<std::string> ReadLine() {
    for (;;) {
      if (size_t eol = buf_.find("\r\n"); eol != std::string::npos) {
        std::string line = buf_.substr(0, eol);
        buf_.erase(0, eol + 2);
        return line;
      }
      if (buf_.size() > 65536) return Status::Unavailable("an answer line is too long");
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return Status::Unavailable("the connection closed or timed out");
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  std::string buf_;
};

Status SplitHostPort(const std::string& s, std::string* host, std::string* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
    return Status::InvalidArgument("must be host:port, got \"" + s + "\"");
  *host = s.substr(0, colon);
  *port = s.substr(colon + 1);
  return Status::Ok();
}

// "=?UTF-8?B?...?=" (RFC 2047), so a subject in any script survives any mail server.
std::string EncodedWord(std::string_view s) { return "=?UTF-8?B?" + Base64Encode(s) + "?="; }

std::string RfcDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char out[64];
  std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return out;
}

class Smtp : public Channel {
 public:
  Smtp(std::string host, std::string port, std::string from)
      : host_(std::move(host)), port_(std::move(port)), from_(std::move(from)) {}

  Status Send(const Outgoing& m) override {
    if (!IsEmailAddress(m.address))
      return Status::InvalidArgument("not an email address: " + m.address);
    Connection c;
    RETURN_IF_ERROR(c.Open(host_, port_));
    RETURN_IF_ERROR(Expect(c, 220));
    RETURN_IF_ERROR(Command(c, "EHLO mekong\r\n", 250));
    RETURN_IF_ERROR(Command(c, "MAIL FROM:<" + from_ + ">\r\n", 250));
    RETURN_IF_ERROR(Command(c, "RCPT TO:<" + m.address + ">\r\n", 250));
    RETURN_IF_ERROR(Command(c, "DATA\r\n", 354));
    std::string body = Base64Encode(m.text);
    std::string msg = "From: Mekong <" + from_ + ">\r\nTo: <" + m.address +
                      ">\r\nSubject: " + EncodedWord(m.subject) + "\r\nDate: " + RfcDate(m.at) +
                      "\r\nMessage-ID: <delivery-" + std::to_string(m.delivery_id) + "@" +
                      Domain() + ">\r\nMIME-Version: 1.0\r\nContent-Language: " + m.language +
                      "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n";
    for (size_t i = 0; i < body.size(); i += 76) msg += body.substr(i, 76) + "\r\n";
    msg += ".\r\n";  // base64 lines never start with a dot, so nothing needs stuffing
    RETURN_IF_ERROR(c.Write(msg));
    RETURN_IF_ERROR(Expect(c, 250));
    (void)c.Write("QUIT\r\n");  // the message is accepted; how QUIT goes does not matter
    return Status::Ok();
  }

 private:
  std::string Domain() const {
    size_t at = from_.find('@');
    return at == std::string::npos ? "mekong" : from_.substr(at + 1);
  }

  // Reads a (possibly multi-line) reply; a 5xx is a refusal, anything else unexpected is for
  // later.
  static Status Expect(Connection& c, int code) {
    for (;;) {
      ASSIGN_OR_RETURN(std::string line, c.ReadLine());
      if (line.size() < 3) return Status::Unavailable("a malformed SMTP reply: " + line);
      if (line.size() > 3 && line[3] == '-') continue;
      int got = std::atoi(line.substr(0, 3).c_str());
      if (got == code) return Status::Ok();
      if (got >= 500) return Status::InvalidArgument("the mail server refused: " + line);
      return Status::Unavailable("the mail server answered: " + line);
    }
  }
  static Status Command(Connection& c, const std::string& cmd, int code) {
    RETURN_IF_ERROR(c.Write(cmd));
    return Expect(c, code);
  }

  std::string host_, port_, from_;
};

class HttpSms : public Channel {
 public:
  HttpSms(std::string host, std::string port, std::string path)
      : host_(std::move(host)), port_(std::move(port)), path_(std::move(path)) {}

  Status Send(const Outgoing& m) override {
    const std::string id = "delivery-" + std::to_string(m.delivery_id);
    const std::string body = nlohmann::json{{"to", m.address}, {"text", m.text}, {"id", id}}.dump();
    Connection c;
    RETURN_IF_ERROR(c.Open(host_, port_));
    RETURN_IF_ERROR(c.Write("POST " + path_ + " HTTP/1.1\r\nHost: " + host_ + ":" + port_ +
                            "\r\nContent-Type: application/json\r\nIdempotency-Key: " + id +
                            "\r\nContent-Length: " + std::to_string(body.size()) +
                            "\r\nConnection: close\r\n\r\n" + body));
    ASSIGN_OR_RETURN(std::string status_line, c.ReadLine());
    // "HTTP/1.1 200 OK"
    int code = status_line.size() >= 12 ? std::atoi(status_line.substr(9, 3).c_str()) : 0;
    if (code >= 200 && code < 300) return Status::Ok();
    if (code >= 400 && code < 500 && code != 429)
      return Status::InvalidArgument("the SMS gateway refused: " + status_line);
    return Status::Unavailable("the SMS gateway answered: " +
                               (status_line.empty() ? std::string("nothing") : status_line));
  }

 private:
  std::string host_, port_, path_;
};

}  // namespace

bool IsEmailAddress(const std::string& s) {
  if (s.empty() || s.size() > 254) return false;
  size_t at = s.find('@');
  if (at == 0 || at == std::string::npos || s.find('@', at + 1) != std::string::npos) return false;
  for (unsigned char ch : s)
    if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == ';') return false;
  std::string domain = s.substr(at + 1);
  size_t dot = domain.find('.');
  return dot != std::string::npos && dot > 0 && domain.back() != '.' &&
         domain.find("..") == std::string::npos;
}

Result<std::unique_ptr<Channel>> SmtpChannel(const std::string& host_port,
                                             const std::string& from) {
  std::string host, port;
  RETURN_IF_ERROR(SplitHostPort(host_port, &host, &port));
  if (!IsEmailAddress(from)) return Status::InvalidArgument("not an email address: " + from);
  return std::unique_ptr<Channel>(new Smtp(host, port, from));
}

Result<std::unique_ptr<Channel>> HttpSmsChannel(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0)
    return Status::InvalidArgument("must start with http://, got \"" + url + "\"");
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host, port = "80";
  if (authority.find(':') != std::string::npos) {
    RETURN_IF_ERROR(SplitHostPort(authority, &host, &port));
  } else {
    host = authority;
  }
  if (host.empty()) return Status::InvalidArgument("no host in \"" + url + "\"");
  return std::unique_ptr<Channel>(new HttpSms(host, port, path));
}

}  // namespace mekong::outbox
