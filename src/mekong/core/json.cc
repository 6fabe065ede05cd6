#include "mekong/core/json.h"

#include <set>
#include <string>
#include <vector>

#include "mekong/core/text.h"

namespace mekong {

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view field, int max_depth) {
  std::string name(field);
  if (JsonNestingDepth(text, max_depth) > max_depth) {
    return Status::InvalidArgument("nests deeper than " + std::to_string(max_depth) + " levels",
                                   name);
  }
  if (!ValidUtf8(text)) return Status::InvalidArgument("is not valid UTF-8", name);
  // One set of keys per open object; the depth bound above bounds the stack.
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  auto check = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      keys.emplace_back();
    } else if (event == E::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == E::key && !keys.empty() && duplicate.empty()) {
      const auto& k = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(k).second) duplicate = k;
    }
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, check, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("is not valid JSON", name);
  if (!duplicate.empty()) {
    return Status::InvalidArgument("repeats the key \"" + duplicate + "\"", name);
  }
  return j;
}

}  // namespace mekong
