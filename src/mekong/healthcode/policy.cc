#include "mekong/healthcode/policy.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "mekong/core/time.h"
#include "mekong/core/toml_reader.h"

namespace mekong::healthcode {

namespace {

constexpr std::string_view kRuleNames[kRuleKinds] = {
    "confirmed_case", "positive_test", "close_contact",  "second_hop",       "third_hop",
    "fever",          "symptoms",      "risk_area_high", "risk_area_medium",
};

constexpr std::string_view kClearNames[] = {"release", "negative_test", "period",
                                            "period_or_negative_test", "period_and_negative_test"};

constexpr std::string_view kDefaultPolicy =
    R"toml(# Mekong health-code policy: the defaults of shared/reference/domain.md.
# Every key is documented in docs/policy.md. Activate a changed copy with
#   mekong policy check FILE && mekong policy activate FILE
version = 1
name = "Default (WHO/domain.md)"

[contacts]
min_overlap_minutes = 15      # shared presence at a venue that makes a close contact
infectious_days_before = 2    # the window opens this long before onset (or the positive sample)
hops = 2                      # case confirmation traces contacts of contacts to this depth
co_traveller_rows = 2         # on a shared trip, this many seat rows apart (or the same carriage)

[rules.confirmed_case]
colour = "red"
clear = "release"             # until the health authority releases the case

[rules.positive_test]
colour = "red"
clear = "negative_test"       # until a later negative test, or the case is confirmed

[rules.close_contact]
colour = "red"
days = 14                     # isolation from the last exposure
clear = "period_and_negative_test"
test_after_days = 12          # the negative test must be sampled this late

[rules.second_hop]
colour = "yellow"
days = 7                      # observation from the exposure to the close contact
clear = "period_or_negative_test"

[rules.third_hop]
enabled = false
colour = "yellow"
days = 7
clear = "period_or_negative_test"

[rules.fever]
colour = "yellow"
threshold_celsius = 37.3      # a gate reading at or above this
days = 7
clear = "period_or_negative_test"

[rules.symptoms]
colour = "yellow"
days = 7
clear = "period_or_negative_test"

[rules.risk_area_high]
colour = "red"
days = 14                     # from the end of the stay in the area
clear = "period_and_negative_test"
test_after_days = 12

[rules.risk_area_medium]
colour = "yellow"
days = 14
clear = "period_or_negative_test"

[vaccination]
full_course_doses = 2
effective_after_days = 14
exempts = ["second_hop"]      # rules that do not apply to the fully vaccinated

[outbreak]
probable_case_traces = false  # only confirmed cases trace contacts and turn codes red
positive_test_confirms = false  # a positive result opens a suspected case for an officer to confirm
follow_up_days = 14           # daily checks of a contact from their last exposure
serial_interval_mean_days = 4.7  # Nishiura et al. (2020); for the reproduction number
serial_interval_sd_days = 2.9

# Risk areas are declared as tables like this one:
# [[risk_areas]]
# id = "halong-night-market"
# name = "Hạ Long night market"
# level = "high"              # or "medium"
# venue_id = 12               # or org_unit_id = 3 for a district or commune
# from = "2026-11-10T00:00:00Z"
# to = "2026-11-24T00:00:00Z" # leave out while it stays declared
# min_stay_minutes = 15
)toml";

// The policy's own readers on top of the shared ones.
class Reader : public TomlReader {
 public:
  explicit Reader(std::vector<PolicyError>* errors)
      : TomlReader(errors, "is not a policy key (see docs/policy.md)") {}

  std::optional<Colour> ColourOf(const toml::table& t, std::string_view name,
                                 const std::string& key, bool levels) {
    auto s = String(t, name, key);
    if (!s) return std::nullopt;
    if (levels) {
      if (*s == "high") return Colour::kRed;
      if (*s == "medium") return Colour::kYellow;
      return Error(t.get(name), key, "must be high or medium"), std::nullopt;
    }
    if (*s == "red") return Colour::kRed;
    if (*s == "yellow") return Colour::kYellow;
    return Error(t.get(name), key, "must be red or yellow"), std::nullopt;
  }
};

void ReadRule(Reader& r, const toml::table& t, const std::string& prefix, RuleKind kind, Rule* rule,
              Policy* p) {
  if (kind == RuleKind::kFever) {
    r.Known(t, prefix,
            {"enabled", "colour", "days", "clear", "test_after_days", "threshold_celsius"});
    if (auto v = r.Number(t, "threshold_celsius", prefix + "threshold_celsius", 35, 42))
      p->fever_celsius = *v;
  } else {
    r.Known(t, prefix, {"enabled", "colour", "days", "clear", "test_after_days"});
  }
  if (auto v = r.Bool(t, "enabled", prefix + "enabled")) rule->enabled = *v;
  if (auto v = r.ColourOf(t, "colour", prefix + "colour", false)) rule->colour = *v;
  if (auto v = r.Int(t, "days", prefix + "days", 1, 365)) rule->days = static_cast<int>(*v);
  if (auto v = r.Int(t, "test_after_days", prefix + "test_after_days", 0, 365)) {
    rule->test_after_days = static_cast<int>(*v);
  }
  if (auto v = r.String(t, "clear", prefix + "clear")) {
    auto it = std::find(std::begin(kClearNames), std::end(kClearNames), *v);
    if (it == std::end(kClearNames)) {
      r.Error(t.get("clear"), prefix + "clear",
              "must be release, negative_test, period, period_or_negative_test or "
              "period_and_negative_test");
    } else {
      rule->clear = static_cast<Clear>(it - std::begin(kClearNames));
    }
  }
  // Rules that need a period must have one; release only makes sense for a confirmed case.
  bool needs_days = rule->clear == Clear::kPeriod || rule->clear == Clear::kPeriodOrNegativeTest ||
                    rule->clear == Clear::kPeriodAndNegativeTest;
  if (rule->enabled && needs_days && rule->days == 0)
    r.Error(&t, prefix + "days", "is required by clear");
  if (rule->clear == Clear::kRelease && kind != RuleKind::kConfirmedCase) {
    r.Error(t.get("clear"), prefix + "clear", "release applies only to confirmed_case");
  }
  if (rule->test_after_days > rule->days && rule->clear == Clear::kPeriodAndNegativeTest) {
    r.Error(t.get("test_after_days"), prefix + "test_after_days", "must not exceed days");
  }
}

void ReadArea(Reader& r, const toml::node& node, const std::string& prefix, Policy* p,
              std::set<std::string>* ids) {
  const toml::table* t = node.as_table();
  if (!t) return r.Error(&node, prefix, "must be a table");
  r.Known(*t, prefix + ".",
          {"id", "name", "level", "org_unit_id", "venue_id", "from", "to", "min_stay_minutes"});
  RiskArea a;
  auto id = r.String(*t, "id", prefix + ".id");
  if (!id) {
    if (!t->get("id")) r.Error(&node, prefix + ".id", "is required");
  } else if (id->empty() || id->size() > 64) {
    r.Error(t->get("id"), prefix + ".id", "must be 1 to 64 characters");
  } else if (!ids->insert(*id).second) {
    r.Error(t->get("id"), prefix + ".id", "is used by another risk area");
  } else {
    a.id = *id;
  }
  if (auto v = r.String(*t, "name", prefix + ".name")) a.name = *v;
  if (auto v = r.ColourOf(*t, "level", prefix + ".level", true)) {
    a.level = *v;
  } else if (!t->get("level")) {
    r.Error(&node, prefix + ".level", "is required (high or medium)");
  }
  auto org = r.Int(*t, "org_unit_id", prefix + ".org_unit_id", 1, INT64_MAX);
  auto venue = r.Int(*t, "venue_id", prefix + ".venue_id", 1, INT64_MAX);
  if (org && venue)
    r.Error(t->get("venue_id"), prefix + ".venue_id", "give org_unit_id or venue_id, not both");
  if (!t->get("org_unit_id") && !t->get("venue_id")) {
    r.Error(&node, prefix + ".venue_id", "give org_unit_id or venue_id");
  }
  if (org) a.org_unit = OrgUnitId(*org);
  if (venue) a.venue = VenueId(*venue);
  if (auto v = r.Time(*t, "from", prefix + ".from")) {
    a.from = *v;
  } else if (!t->get("from")) {
    r.Error(&node, prefix + ".from", "is required");
  }
  a.to = r.Time(*t, "to", prefix + ".to");
  if (a.to && *a.to <= a.from) r.Error(t->get("to"), prefix + ".to", "must be after from");
  if (auto v = r.Int(*t, "min_stay_minutes", prefix + ".min_stay_minutes", 0, 24 * 60)) {
    a.min_stay_ms = *v * 60000;
  }
  p->risk_areas.push_back(std::move(a));
}

std::string Iso(int64_t ms) { return FormatRfc3339(ms); }

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string_view RuleName(RuleKind k) { return kRuleNames[static_cast<int>(k)]; }

std::optional<RuleKind> RuleByName(std::string_view name) {
  for (int i = 0; i < kRuleKinds; ++i) {
    if (kRuleNames[i] == name) return static_cast<RuleKind>(i);
  }
  return std::nullopt;
}

std::string_view ClearName(Clear c) { return kClearNames[static_cast<int>(c)]; }

const RiskArea* Policy::FindArea(std::string_view id) const {
  for (const auto& a : risk_areas) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::string_view DefaultPolicyText() { return kDefaultPolicy; }

Result<Policy> ParsePolicy(std::string_view text, std::vector<PolicyError>* errors) {
  std::vector<PolicyError> local;
  if (!errors) errors = &local;
  errors->clear();
  std::optional<toml::table> parsed = ParseToml(text, errors);
  if (!parsed) {
    return Status::InvalidArgument(
        "line " + std::to_string(errors->front().line) + ": " + errors->front().message, "policy");
  }
  const toml::table& doc = *parsed;
  Reader r(errors);
  Policy p;
  r.Known(doc, "",
          {"version", "name", "contacts", "rules", "vaccination", "outbreak", "risk_areas"});
  if (auto v = r.Int(doc, "version", "version", 1, INT64_MAX)) {
    p.version = *v;
  } else if (!doc.get("version")) {
    r.Error(nullptr, "version", "is required (a whole number, higher than the active policy's)");
  }
  if (auto v = r.String(doc, "name", "name")) p.name = *v;

  if (const toml::table* t = r.Table(doc, "contacts", "contacts")) {
    r.Known(*t, "contacts.",
            {"min_overlap_minutes", "infectious_days_before", "hops", "co_traveller_rows"});
    if (auto v = r.Int(*t, "min_overlap_minutes", "contacts.min_overlap_minutes", 1, 24 * 60)) {
      p.min_overlap_ms = *v * 60000;
    }
    if (auto v = r.Int(*t, "infectious_days_before", "contacts.infectious_days_before", 0, 30)) {
      p.infectious_before_ms = *v * 86400000LL;
    }
    if (auto v = r.Int(*t, "hops", "contacts.hops", 1, 3)) p.hops = static_cast<int>(*v);
    if (auto v = r.Int(*t, "co_traveller_rows", "contacts.co_traveller_rows", 0, 50)) {
      p.co_traveller_rows = static_cast<int>(*v);
    }
  }

  // Every rule must be stated: a missing table would silently mean "never".
  const toml::table* rules = r.Table(doc, "rules", "rules");
  if (!rules && !doc.get("rules")) r.Error(nullptr, "rules", "is required");
  if (rules) {
    for (const auto& [k, node] : *rules) {
      auto kind = RuleByName(k.str());
      std::string prefix = "rules." + std::string(k.str()) + ".";
      if (!kind) {
        r.Error(&node, "rules." + std::string(k.str()), "is not a rule (see docs/policy.md)");
        continue;
      }
      if (!node.is_table()) {
        r.Error(&node, "rules." + std::string(k.str()), "must be a table");
        continue;
      }
      ReadRule(r, *node.as_table(), prefix, *kind, &p.rule(*kind), &p);
      const toml::table& t = *node.as_table();
      if (p.rule(*kind).enabled && !t.get("colour"))
        r.Error(&node, prefix + "colour", "is required");
      if (!t.get("clear")) r.Error(&node, prefix + "clear", "is required");
    }
    for (int i = 0; i < kRuleKinds; ++i) {
      if (!rules->get(kRuleNames[i])) {
        r.Error(nullptr, "rules." + std::string(kRuleNames[i]),
                "is missing (set enabled = false to turn it off)");
      }
    }
  }

  if (const toml::table* t = r.Table(doc, "vaccination", "vaccination")) {
    r.Known(*t, "vaccination.", {"full_course_doses", "effective_after_days", "exempts"});
    if (auto v = r.Int(*t, "full_course_doses", "vaccination.full_course_doses", 1, 10)) {
      p.full_course_doses = static_cast<int>(*v);
    }
    if (auto v = r.Int(*t, "effective_after_days", "vaccination.effective_after_days", 0, 365)) {
      p.vaccination_effective_days = static_cast<int>(*v);
    }
    if (const toml::node* n = t->get("exempts")) {
      if (!n->is_array()) {
        r.Error(n, "vaccination.exempts", "must be a list of rule names");
      } else {
        for (const auto& item : *n->as_array()) {
          auto name = item.value<std::string>();
          auto kind = name ? RuleByName(*name) : std::nullopt;
          if (!kind) {
            r.Error(&item, "vaccination.exempts", "must name rules (e.g. \"second_hop\")");
          } else if (*kind == RuleKind::kConfirmedCase || *kind == RuleKind::kPositiveTest) {
            r.Error(&item, "vaccination.exempts", "cannot exempt a case or a positive test");
          } else {
            p.vaccination_exempts.push_back(*kind);
          }
        }
      }
    }
  }

  if (const toml::table* t = r.Table(doc, "outbreak", "outbreak")) {
    r.Known(*t, "outbreak.",
            {"probable_case_traces", "positive_test_confirms", "follow_up_days",
             "serial_interval_mean_days", "serial_interval_sd_days"});
    if (auto v = r.Bool(*t, "probable_case_traces", "outbreak.probable_case_traces"))
      p.probable_case_traces = *v;
    if (auto v = r.Bool(*t, "positive_test_confirms", "outbreak.positive_test_confirms")) {
      p.positive_test_confirms = *v;
    }
    if (auto v = r.Int(*t, "follow_up_days", "outbreak.follow_up_days", 1, 60))
      p.follow_up_days = static_cast<int>(*v);
    if (auto v = r.Number(*t, "serial_interval_mean_days", "outbreak.serial_interval_mean_days",
                          1.01, 30)) {
      p.serial_interval_mean_days = *v;
    }
    if (auto v =
            r.Number(*t, "serial_interval_sd_days", "outbreak.serial_interval_sd_days", 0.1, 30)) {
      p.serial_interval_sd_days = *v;
    }
  }

  if (const toml::node* n = doc.get("risk_areas")) {
    std::set<std::string> ids;
    if (!n->is_array_of_tables()) {
      r.Error(n, "risk_areas", "must be [[risk_areas]] tables");
    } else {
      int i = 0;
      for (const auto& item : *n->as_array()) {
        ReadArea(r, item, "risk_areas[" + std::to_string(i++) + "]", &p, &ids);
      }
    }
  }

  if (r.failed()) {
    SortByLine(errors);
    const PolicyError& e = errors->front();
    return Status::InvalidArgument(
        (e.line ? "line " + std::to_string(e.line) + ": " : std::string()) + e.key + " " +
            e.message,
        "policy");
  }
  p.name = p.name.empty() ? "policy " + std::to_string(p.version) : p.name;
  return p;
}

std::string FormatPolicy(const Policy& p) {
  std::ostringstream o;
  o << "# Written by Mekong; see docs/policy.md\n";
  o << "version = " << p.version << "\nname = " << Quote(p.name) << "\n\n";
  o << "[contacts]\nmin_overlap_minutes = " << p.min_overlap_ms / 60000
    << "\ninfectious_days_before = " << p.infectious_before_ms / 86400000LL << "\nhops = " << p.hops
    << "\nco_traveller_rows = " << p.co_traveller_rows << "\n";
  for (int i = 0; i < kRuleKinds; ++i) {
    const Rule& r = p.rules[i];
    o << "\n[rules." << kRuleNames[i] << "]\n";
    if (!r.enabled) o << "enabled = false\n";
    o << "colour = \"" << ColourName(r.colour) << "\"\n";
    if (static_cast<RuleKind>(i) == RuleKind::kFever)
      o << "threshold_celsius = " << p.fever_celsius << "\n";
    if (r.days) o << "days = " << r.days << "\n";
    o << "clear = \"" << ClearName(r.clear) << "\"\n";
    if (r.test_after_days) o << "test_after_days = " << r.test_after_days << "\n";
  }
  o << "\n[vaccination]\nfull_course_doses = " << p.full_course_doses
    << "\neffective_after_days = " << p.vaccination_effective_days << "\nexempts = [";
  for (size_t i = 0; i < p.vaccination_exempts.size(); ++i) {
    o << (i ? ", " : "") << "\"" << RuleName(p.vaccination_exempts[i]) << "\"";
  }
  o << "]\n";
  o << "\n[outbreak]\nprobable_case_traces = " << (p.probable_case_traces ? "true" : "false")
    << "\npositive_test_confirms = " << (p.positive_test_confirms ? "true" : "false")
    << "\nfollow_up_days = " << p.follow_up_days
    << "\nserial_interval_mean_days = " << p.serial_interval_mean_days
    << "\nserial_interval_sd_days = " << p.serial_interval_sd_days << "\n";
  for (const auto& a : p.risk_areas) {
    o << "\n[[risk_areas]]\nid = " << Quote(a.id) << "\n";
    if (!a.name.empty()) o << "name = " << Quote(a.name) << "\n";
    o << "level = \"" << (a.level == Colour::kRed ? "high" : "medium") << "\"\n";
    if (a.org_unit) o << "org_unit_id = " << a.org_unit->value << "\n";
    if (a.venue) o << "venue_id = " << a.venue->value << "\n";
    o << "from = \"" << Iso(a.from) << "\"\n";
    if (a.to) o << "to = \"" << Iso(*a.to) << "\"\n";
    o << "min_stay_minutes = " << a.min_stay_ms / 60000 << "\n";
  }
  return o.str();
}

}  // namespace mekong::healthcode
