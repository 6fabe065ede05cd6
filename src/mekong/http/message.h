// HTTP requests and responses as plain values: handlers never see Boost.Beast.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mekong::http {

// Where a request runs: on the I/O thread (cheap answers: health, metrics, files), on the
// worker pool (everything that reads the store), or on the small pool for heavy work (password
// hashing), so a flood of logins cannot starve the rest. Each pool's queue is bounded; past it
// the answer is 503 with Retry-After.
enum class Lane { kInline, kNormal, kHeavy };

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, still percent-encoded (the router decodes
                       // each segment after splitting)
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string body;
  std::string content_type;
  std::string authorization;  // the Authorization header
  std::string api_key;        // the X-Api-Key header
  std::string if_none_match;
  std::string accept_encoding;
  std::string accept_language;
  std::string origin;  // the Origin header (CORS)
  std::string access_control_request_method;
  std::string request_id;      // X-Request-Id when the client sent a sane one, else made up
  std::string client_address;  // the peer's IP address
  std::map<std::string, std::string> params;  // path parameters, filled by the router

  std::optional<std::string> QueryValue(std::string_view key) const {
    for (const auto& [k, v] : query) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool head_only = false;  // answer a HEAD: the headers of the GET without its body
};

// One WebSocket connection, as the app sees it (the server implements it).
class SocketPeer {
 public:
  virtual ~SocketPeer() = default;
  // Queues a text message; safe from any thread. Dropped when the peer is gone.
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

// The app's side of one WebSocket connection; called on the connection's strand.
class SocketSession {
 public:
  virtual ~SocketSession() = default;
  virtual void OnMessage(std::string_view text) = 0;
  virtual void OnClose() = 0;
};

// Splits "a=1&b=x%20y" into decoded pairs; false on a malformed escape.
bool ParseQuery(std::string_view text, std::vector<std::pair<std::string, std::string>>* out);
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace mekong::http
