// HTTP requests and responses as plain values: handlers never see Boost.Beast.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mekong::http {

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
};

// Splits "a=1&b=x%20y" into decoded pairs; false on a malformed escape.
bool ParseQuery(std::string_view text, std::vector<std::pair<std::string, std::string>>* out);
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace mekong::http
