#include "mekong/screening/questionnaire.h"

#include <algorithm>
#include <set>

#include "mekong/registry/registry.h"

namespace mekong::screening {

namespace {

constexpr std::string_view kOutcomeNames[] = {"home_care", "test", "consultation", "emergency"};
constexpr std::string_view kKindNames[] = {"yes_no", "choice", "number"};
constexpr int kMaxQuestions = 50, kMaxOptions = 20, kMaxBands = 10, kMaxText = 1000;

bool IsId(std::string_view s) {
  return !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsLanguage(std::string_view code) {
  auto all = registry::Languages();
  return std::find(all.begin(), all.end(), code) != all.end();
}

class Reader : public TomlReader {
 public:
  explicit Reader(std::vector<FileError>* errors)
      : TomlReader(errors, "is not a questionnaire key (see docs/screening.md)") {}

  // `text.en = "..."`, one key per language; English is required.
  Texts TextsOf(const toml::table& t, const std::string& key) {
    Texts out;
    const toml::node* n = t.get("text");
    if (!n) return Error(&t, key, "is required (at least text.en)"), out;
    const toml::table* texts = n->as_table();
    if (!texts) return Error(n, key, "must be a table of languages (text.en = \"...\")"), out;
    for (const auto& [lang, node] : *texts) {
      std::string k = key + "." + std::string(lang.str());
      if (!IsLanguage(lang.str())) {
        Error(&node, k, "is not one of the 15 languages (see docs/screening.md)");
        continue;
      }
      auto s = node.value<std::string>();
      if (!node.is_string() || s->empty()) {
        Error(&node, k, "must be a non-empty string");
      } else if (s->size() > kMaxText) {
        Error(&node, k, "must be at most " + std::to_string(kMaxText) + " bytes");
      } else {
        out.emplace(std::string(lang.str()), *s);
      }
    }
    if (!out.contains("en") && !texts->get("en")) Error(n, key + ".en", "is required");
    return out;
  }

  // The effect keys of an answer, beside whatever else its table holds.
  Effect EffectOf(const toml::table& t, const std::string& prefix) {
    Effect e;
    if (auto v = Int(t, "points", prefix + "points", 0, 100)) e.points = static_cast<int>(*v);
    if (auto s = String(t, "outcome", prefix + "outcome")) {
      e.at_least = OutcomeByName(*s);
      if (!e.at_least)
        Error(t.get("outcome"), prefix + "outcome",
              "must be home_care, test, consultation or emergency");
    }
    if (auto s = String(t, "symptom", prefix + "symptom")) {
      if (IsId(*s)) {
        e.symptom = *s;
      } else {
        Error(t.get("symptom"), prefix + "symptom",
              "must be 1 to 40 lower-case letters, digits or _");
      }
    }
    return e;
  }
};

void ReadYesNo(Reader& r, const toml::table& t, const std::string& prefix, Question* q) {
  r.Known(t, prefix, {"id", "kind", "text", "yes", "no"});
  for (std::string_view answer : {"yes", "no"}) {
    Option o{std::string(answer), {}, {}};
    std::string key = prefix + std::string(answer);
    if (const toml::table* e = r.Table(t, answer, key)) {
      r.Known(*e, key + ".", {"points", "outcome", "symptom"});
      o.effect = r.EffectOf(*e, key + ".");
    }
    q->options.push_back(std::move(o));
  }
}

void ReadChoice(Reader& r, const toml::table& t, const std::string& prefix, Question* q) {
  r.Known(t, prefix, {"id", "kind", "text", "options"});
  const toml::node* n = t.get("options");
  const toml::array* options = n ? n->as_array() : nullptr;
  if (!options || options->empty() || options->size() > kMaxOptions) {
    r.Error(n ? n : &t, prefix + "options",
            "must be 1 to " + std::to_string(kMaxOptions) + " [[questions.options]] tables");
    return;
  }
  std::set<std::string> seen;
  for (const auto& node : *options) {
    const toml::table* o = node.as_table();
    if (!o) {
      r.Error(&node, prefix + "options", "must be tables");
      continue;
    }
    Option opt;
    opt.id = r.String(*o, "id", prefix + "options.id").value_or("");
    std::string key = prefix + "options[" + (opt.id.empty() ? "?" : opt.id) + "].";
    r.Known(*o, key, {"id", "text", "points", "outcome", "symptom"});
    if (!IsId(opt.id)) {
      r.Error(o->get("id") ? o->get("id") : &node, key + "id",
              "is required: 1 to 40 lower-case letters, digits or _");
    } else if (!seen.insert(opt.id).second) {
      r.Error(o->get("id"), key + "id", "is used by another option of this question");
    }
    opt.text = r.TextsOf(*o, key + "text");
    opt.effect = r.EffectOf(*o, key);
    q->options.push_back(std::move(opt));
  }
}

void ReadNumber(Reader& r, const toml::table& t, const std::string& prefix, Question* q) {
  r.Known(t, prefix, {"id", "kind", "text", "min", "max", "bands"});
  auto min = r.Int(t, "min", prefix + "min", 0, 1000000);
  auto max = r.Int(t, "max", prefix + "max", 0, 1000000);
  if (!t.get("min")) r.Error(&t, prefix + "min", "is required");
  if (!t.get("max")) r.Error(&t, prefix + "max", "is required");
  if (min && max && *max <= *min) r.Error(t.get("max"), prefix + "max", "must be above min");
  q->min = min.value_or(0);
  q->max = max.value_or(0);
  const toml::node* n = t.get("bands");
  if (!n) return;
  const toml::array* bands = n->as_array();
  if (!bands || bands->size() > kMaxBands) {
    r.Error(n, prefix + "bands", "must be at most " + std::to_string(kMaxBands) + " tables");
    return;
  }
  for (size_t i = 0; i < bands->size(); ++i) {
    const toml::node& node = *bands->get(i);
    std::string key = prefix + "bands[" + std::to_string(i) + "].";
    const toml::table* b = node.as_table();
    if (!b) {
      r.Error(&node, prefix + "bands", "must be tables ({ from = 4, points = 1 })");
      continue;
    }
    r.Known(*b, key, {"from", "points", "outcome", "symptom"});
    Band band;
    if (auto v = r.Int(*b, "from", key + "from", 0, 1000000)) {
      band.from = *v;
      if (!q->bands.empty() && band.from <= q->bands.back().from)
        r.Error(b->get("from"), key + "from", "must be above the band before it");
      if (min && max && (band.from <= *min || band.from > *max))
        r.Error(b->get("from"), key + "from", "must be above min and at most max");
    } else if (!b->get("from")) {
      r.Error(&node, key + "from", "is required");
    }
    band.effect = r.EffectOf(*b, key);
    q->bands.push_back(std::move(band));
  }
}

}  // namespace

std::string_view OutcomeName(Outcome o) { return kOutcomeNames[static_cast<int>(o)]; }

std::optional<Outcome> OutcomeByName(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (kOutcomeNames[i] == name) return static_cast<Outcome>(i);
  return std::nullopt;
}

std::string_view KindName(Kind k) { return kKindNames[static_cast<int>(k)]; }

const std::string& TextIn(const Texts& texts, std::string_view language, std::string* used) {
  auto it = texts.find(language);
  if (it == texts.end()) it = texts.find("en");
  static const std::string kNone;
  if (it == texts.end()) return kNone;
  if (used) *used = it->first;
  return it->second;
}

const Question* Questionnaire::Find(std::string_view id) const {
  for (const auto& q : questions)
    if (q.id == id) return &q;
  return nullptr;
}

std::vector<std::string> Questionnaire::Untranslated() const {
  std::vector<std::string> out;
  for (std::string_view lang : registry::Languages()) {
    bool missing = false;
    for (const auto& q : questions) {
      missing = missing || !q.text.contains(lang);
      for (const auto& o : q.options)
        missing = missing || (!o.text.empty() && !o.text.contains(lang));
    }
    if (missing) out.emplace_back(lang);
  }
  return out;
}

Result<Questionnaire> ParseQuestionnaire(std::string_view text, std::vector<FileError>* errors) {
  std::vector<FileError> local;
  if (!errors) errors = &local;
  errors->clear();
  std::optional<toml::table> parsed = ParseToml(text, errors);
  if (!parsed) {
    return Status::InvalidArgument(
        "line " + std::to_string(errors->front().line) + ": " + errors->front().message,
        "questionnaire");
  }
  const toml::table& doc = *parsed;
  Reader r(errors);
  Questionnaire out;
  r.Known(doc, "", {"version", "name", "outcomes", "questions"});
  if (auto v = r.Int(doc, "version", "version", 1, INT64_MAX)) {
    out.version = *v;
  } else if (!doc.get("version")) {
    r.Error(nullptr, "version", "is required (a whole number, higher than the active one's)");
  }
  if (auto v = r.String(doc, "name", "name")) {
    if (v->empty() || v->size() > 200) r.Error(doc.get("name"), "name", "must be 1 to 200 bytes");
    out.name = *v;
  } else if (!doc.get("name")) {
    r.Error(nullptr, "name", "is required");
  }

  if (const toml::table* t = r.Table(doc, "outcomes", "outcomes")) {
    r.Known(*t, "outcomes.", {"test", "consultation", "emergency"});
    if (auto v = r.Int(*t, "test", "outcomes.test", 1, 1000))
      out.test_points = static_cast<int>(*v);
    if (auto v = r.Int(*t, "consultation", "outcomes.consultation", 1, 1000))
      out.consultation_points = static_cast<int>(*v);
    if (auto v = r.Int(*t, "emergency", "outcomes.emergency", 1, 1000))
      out.emergency_points = static_cast<int>(*v);
    for (std::string_view k : {"test", "consultation"})
      if (!t->get(k)) r.Error(t, "outcomes." + std::string(k), "is required");
    if (out.test_points && out.consultation_points && out.consultation_points <= out.test_points)
      r.Error(t->get("consultation"), "outcomes.consultation", "must be above outcomes.test");
    if (out.emergency_points && out.consultation_points &&
        *out.emergency_points <= out.consultation_points)
      r.Error(t->get("emergency"), "outcomes.emergency", "must be above outcomes.consultation");
  } else if (!doc.get("outcomes")) {
    r.Error(nullptr, "outcomes", "is required ([outcomes] with test and consultation points)");
  }

  const toml::node* qn = doc.get("questions");
  const toml::array* questions = qn ? qn->as_array() : nullptr;
  if (!questions || questions->empty() || questions->size() > kMaxQuestions) {
    r.Error(qn, "questions",
            "must be 1 to " + std::to_string(kMaxQuestions) + " [[questions]] tables");
  } else {
    std::set<std::string> seen;
    for (const auto& node : *questions) {
      const toml::table* t = node.as_table();
      if (!t) {
        r.Error(&node, "questions", "must be [[questions]] tables");
        continue;
      }
      Question q;
      q.id = r.String(*t, "id", "questions.id").value_or("");
      std::string prefix = "questions[" + (q.id.empty() ? "?" : q.id) + "].";
      if (!IsId(q.id)) {
        r.Error(t->get("id") ? t->get("id") : &node, prefix + "id",
                "is required: 1 to 40 lower-case letters, digits or _");
      } else if (!seen.insert(q.id).second) {
        r.Error(t->get("id"), prefix + "id", "is used by another question");
      }
      q.text = r.TextsOf(*t, prefix + "text");
      std::string kind = r.String(*t, "kind", prefix + "kind").value_or("");
      if (kind == "yes_no") {
        q.kind = Kind::kYesNo;
        ReadYesNo(r, *t, prefix, &q);
      } else if (kind == "choice") {
        q.kind = Kind::kChoice;
        ReadChoice(r, *t, prefix, &q);
      } else if (kind == "number") {
        q.kind = Kind::kNumber;
        ReadNumber(r, *t, prefix, &q);
      } else {
        r.Error(t->get("kind") ? t->get("kind") : &node, prefix + "kind",
                "is required: yes_no, choice or number");
      }
      out.questions.push_back(std::move(q));
    }
  }

  if (r.failed()) {
    SortByLine(errors);
    const FileError& e = errors->front();
    return Status::InvalidArgument(
        (e.line ? "line " + std::to_string(e.line) + ": " : std::string()) + e.key + " " +
            e.message,
        "questionnaire");
  }
  return out;
}

Result<Evaluation> Evaluate(const Questionnaire& q, const Json& answers) {
  if (!answers.is_object()) return Status::InvalidArgument("must be an object", "answers");
  for (const auto& [id, value] : answers.items()) {
    if (!q.Find(id))
      return Status::InvalidArgument(
          "is not a question of questionnaire version " + std::to_string(q.version),
          "answers." + id.substr(0, 64));
  }
  Evaluation e;
  e.answers = Json::object();
  std::optional<Outcome> forced;
  for (const auto& question : q.questions) {
    const std::string field = "answers." + question.id;
    auto it = answers.find(question.id);
    if (it == answers.end()) return Status::InvalidArgument("is required", field);
    const Effect* effect = nullptr;
    std::string given;
    switch (question.kind) {
      case Kind::kYesNo:
        if (!it->is_boolean()) return Status::InvalidArgument("must be true or false", field);
        effect = &question.options[it->get<bool>() ? 0 : 1].effect;
        given = it->get<bool>() ? "yes" : "no";
        e.answers[question.id] = given;
        break;
      case Kind::kChoice: {
        if (!it->is_string()) return Status::InvalidArgument("must be an option id", field);
        const std::string& id = it->get_ref<const std::string&>();
        for (const auto& o : question.options)
          if (o.id == id) effect = &o.effect;
        if (!effect) return Status::InvalidArgument("is not an option of this question", field);
        given = id;
        e.answers[question.id] = id;
        break;
      }
      case Kind::kNumber: {
        if (!it->is_number_integer())
          return Status::InvalidArgument("must be a whole number", field);
        const int64_t v = it->get<int64_t>();
        if (v < question.min || v > question.max) {
          return Status::InvalidArgument("must be between " + std::to_string(question.min) +
                                             " and " + std::to_string(question.max),
                                         field);
        }
        for (const auto& b : question.bands)
          if (v >= b.from) effect = &b.effect;
        given = std::to_string(v);
        e.answers[question.id] = v;
        break;
      }
    }
    if (!effect || (effect->points == 0 && !effect->at_least && effect->symptom.empty())) continue;
    e.points += effect->points;
    if (effect->at_least) forced = std::max(forced.value_or(Outcome::kHomeCare), *effect->at_least);
    if (!effect->symptom.empty() &&
        std::find(e.symptoms.begin(), e.symptoms.end(), effect->symptom) == e.symptoms.end())
      e.symptoms.push_back(effect->symptom);
    e.reasons.push_back({question.id, given, *effect});
  }
  Outcome by_points = Outcome::kHomeCare;
  if (q.emergency_points && e.points >= *q.emergency_points) {
    by_points = Outcome::kEmergency;
  } else if (e.points >= q.consultation_points) {
    by_points = Outcome::kConsultation;
  } else if (e.points >= q.test_points) {
    by_points = Outcome::kTest;
  }
  e.outcome = std::max(by_points, forced.value_or(Outcome::kHomeCare));
  return e;
}

}  // namespace mekong::screening
