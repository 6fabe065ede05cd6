// The messages Mekong sends people, written in each of the 15 languages (domain.md): a short
// subject and a text with {name} placeholders. A message is rendered once, in the recipient's
// language, when the outbox takes it (docs/outbox.md).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::outbox {

struct Template {
  std::string_view kind;      // "ticket_answered"
  std::string_view language;  // one of registry::Languages()
  std::string_view subject;
  std::string_view text;
};

// Every template, each kind in every language.
std::span<const Template> Templates();
// The kinds there are.
std::vector<std::string_view> Kinds();

using Params = std::vector<std::pair<std::string, std::string>>;

struct Rendered {
  std::string subject, text;
};

// `kind` in `language` with `params` put in for its placeholders. invalid_argument for an
// unknown kind or language, or a placeholder `params` lacks (a bug in the caller).
Result<Rendered> Render(std::string_view kind, std::string_view language, const Params& params);

}  // namespace mekong::outbox
