#include "mekong/outbox/templates.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "mekong/registry/registry.h"

namespace mekong::outbox {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> out;
  static const std::regex re(R"(\{([a-z_]+)\})");
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

const Template* Find(std::string_view kind, std::string_view language) {
  for (const auto& t : Templates())
    if (t.kind == kind && t.language == language) return &t;
  return nullptr;
}

// Every kind is written in all 15 languages, with the English template's placeholders: a
// message must never fall back to another language or lose a value.
TEST(TemplatesTest, EveryKindInEveryLanguageWithTheSamePlaceholders) {
  ASSERT_FALSE(Kinds().empty());
  for (auto kind : Kinds()) {
    const Template* en = Find(kind, "en");
    ASSERT_NE(en, nullptr) << kind;
    for (auto lang : registry::Languages()) {
      const Template* t = Find(kind, lang);
      ASSERT_NE(t, nullptr) << kind << " has no " << lang;
      EXPECT_FALSE(t->subject.empty()) << kind << " " << lang;
      EXPECT_EQ(Placeholders(t->subject), Placeholders(en->subject)) << kind << " " << lang;
      EXPECT_EQ(Placeholders(t->text), Placeholders(en->text)) << kind << " " << lang;
      if (lang != "en") EXPECT_NE(t->text, en->text) << kind << " " << lang << " is English";
    }
  }
  size_t languages = registry::Languages().size();
  EXPECT_EQ(languages, 15u);
  EXPECT_EQ(Templates().size(), Kinds().size() * languages) << "a template twice, or a stray one";
}

TEST(TemplatesTest, RenderPutsValuesInAndNeverExpandsThem) {
  auto r = Render("ticket_closed", "vi", {{"subject", "Cách ly {note}"}, {"note", "Đã rõ."}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject, "Câu hỏi của bạn đã được đóng");
  // A value holding a placeholder's name is text, not a placeholder.
  EXPECT_EQ(r->text, "Đường dây nóng đã đóng câu hỏi “Cách ly {note}” của bạn: Đã rõ.");
}

TEST(TemplatesTest, UnknownKindLanguageOrMissingValueIsAnError) {
  EXPECT_EQ(Render("no_such", "en", {}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Render("ticket_answered", "xx", {{"subject", "a"}}).status().code(),
            Code::kInvalidArgument);
  auto missing = Render("ticket_answered", "en", {});
  EXPECT_EQ(missing.status().code(), Code::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("{subject}"), std::string::npos);
}

}  // namespace
}  // namespace mekong::outbox
