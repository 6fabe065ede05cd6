#include "mekong/screening/service.h"

#include "mekong/core/json.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::screening {

namespace {

using registry::Caller;
using registry::Capability;
using registry::Role;

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE screening_questionnaire (
  version BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  activated_at BIGINT NOT NULL,
  activated_by BIGINT
);
CREATE TABLE screening_assessment (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  questionnaire_version BIGINT NOT NULL REFERENCES screening_questionnaire (version),
  outcome TEXT NOT NULL,
  points BIGINT NOT NULL,
  answers TEXT NOT NULL,
  reasons TEXT NOT NULL,
  symptoms TEXT NOT NULL,
  assessed_at BIGINT NOT NULL,
  assessed_by BIGINT NOT NULL REFERENCES app_user (id)
);
CREATE INDEX screening_assessment_person ON screening_assessment (person_id, assessed_at);
)sql"},
};

// The built-in questionnaire is version 1; ON CONFLICT makes concurrent first starts harmless.
Status Seed(store::Database& db) {
  std::vector<FileError> errors;
  ASSIGN_OR_RETURN(auto q, ParseQuestionnaire(DefaultQuestionnaireText(), &errors));
  return db
      .Exec(
          "INSERT INTO screening_questionnaire (version, name, text, activated_at) VALUES (?, ?, "
          "?, 0) ON CONFLICT (version) DO NOTHING",
          {q.version, q.name, std::string(DefaultQuestionnaireText())})
      .status();
}

constexpr const char* kVersionCols = "version, name, text, activated_at, activated_by";

Version VersionFrom(const store::Rows& r, size_t i) {
  return {r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3), r.OptInt(i, 4)};
}

Json EffectJson(const Effect& e) {
  Json j = {{"points", e.points}};
  if (e.at_least) j["outcome"] = OutcomeName(*e.at_least);
  if (!e.symptom.empty()) j["symptom"] = e.symptom;
  return j;
}

Json ReasonsJson(const std::vector<Reason>& reasons) {
  Json list = Json::array();
  for (const auto& r : reasons) {
    Json j = EffectJson(r.effect);
    j["question"] = r.question;
    j["answer"] = r.answer;
    list.push_back(std::move(j));
  }
  return list;
}

// Our own rows, written by ReasonsJson: a row that does not read back is a bug, not input.
std::vector<Reason> ReasonsFrom(const Json& list) {
  std::vector<Reason> out;
  for (const auto& j : list) {
    Reason r{j.value("question", ""), j.value("answer", ""), {}};
    r.effect.points = j.value("points", 0);
    if (j.contains("outcome")) r.effect.at_least = OutcomeByName(j.value("outcome", ""));
    r.effect.symptom = j.value("symptom", "");
    out.push_back(std::move(r));
  }
  return out;
}

constexpr const char* kAssessmentCols =
    "id, person_id, questionnaire_version, outcome, points, answers, reasons, symptoms, "
    "assessed_at, assessed_by";

Assessment AssessmentFrom(const store::Rows& r, size_t i) {
  Assessment a;
  a.id = r.Int(i, 0);
  a.person = PersonId(r.Int(i, 1));
  a.questionnaire_version = r.Int(i, 2);
  a.outcome = OutcomeByName(r.Text(i, 3)).value_or(Outcome::kHomeCare);
  a.points = static_cast<int>(r.Int(i, 4));
  a.answers = Json::parse(r.Text(i, 5), nullptr, false);
  a.reasons = ReasonsFrom(Json::parse(r.Text(i, 6), nullptr, false));
  for (const auto& s : Json::parse(r.Text(i, 7), nullptr, false))
    if (s.is_string()) a.symptoms.push_back(s.get<std::string>());
  a.assessed_at = r.Int(i, 8);
  a.assessed_by = UserId(r.Int(i, 9));
  return a;
}

Result<int64_t> NewestVersion(store::Executor& ex) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT MAX(version) FROM screening_questionnaire"));
  if (r.empty() || r.IsNull(0, 0))
    return Status::FailedPrecondition("no screening questionnaire; run mekong migrate");
  return r.Int(0, 0);
}

// Citizens assess themselves; staff assess people of their unit.
Status RequireAssess(const Caller& by) {
  return registry::Require(by, Capability::kAssessSymptoms);
}

}  // namespace

const store::Module kModule{
    "screening", {"registry", "healthcode"}, {{"screening", kMigrations}}, Seed};

Result<std::shared_ptr<const Questionnaire>> Service::Current(store::Executor& ex) {
  ASSIGN_OR_RETURN(int64_t newest, NewestVersion(ex));
  {
    std::lock_guard lock(mu_);
    if (active_ && active_->version == newest) return active_;
  }
  ASSIGN_OR_RETURN(
      auto r, ex.Query("SELECT text FROM screening_questionnaire WHERE version = ?", {newest}));
  std::vector<FileError> errors;
  auto q = ParseQuestionnaire(r.Text(0, 0), &errors);
  if (!q.ok())
    return Status::Internal("the stored questionnaire does not parse: " + q.status().message());
  auto parsed = std::make_shared<const Questionnaire>(std::move(*q));
  std::lock_guard lock(mu_);
  active_ = parsed;
  return parsed;
}

Result<Version> Service::Get(const Caller& by, std::optional<int64_t> version) {
  RETURN_IF_ERROR(RequireAssess(by));
  int64_t v = 0;
  if (version) {
    v = *version;
  } else {
    ASSIGN_OR_RETURN(v, NewestVersion(db_));
  }
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kVersionCols +
                                         " FROM screening_questionnaire WHERE version = ?",
                                     {v}));
  if (r.empty())
    return Status::NotFound("no questionnaire version " + std::to_string(v), "version");
  return VersionFrom(r, 0);
}

Result<Questionnaire> Service::Active(const Caller& by) {
  RETURN_IF_ERROR(RequireAssess(by));
  ASSIGN_OR_RETURN(auto q, Current(db_));
  return *q;
}

Result<std::vector<Version>> Service::Versions(const Caller& by) {
  RETURN_IF_ERROR(RequireAssess(by));
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kVersionCols +
                                     " FROM screening_questionnaire ORDER BY version DESC"));
  std::vector<Version> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(VersionFrom(r, i));
  return out;
}

Result<Version> Service::Activate(const Caller& by, std::string_view text) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageScreening));
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  std::vector<FileError> errors;
  ASSIGN_OR_RETURN(Questionnaire next, ParseQuestionnaire(text, &errors));
  const int64_t now = clock_.NowMillis();
  std::optional<int64_t> who;
  if (by.user.value) who = by.user.value;  // none from the command line
  Version out{next.version, next.name, std::string(text), now, who};
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t current, NewestVersion(tx));
    if (next.version <= current) {
      return Status::FailedPrecondition(
          "version must be above the active questionnaire's (" + std::to_string(current) + ")",
          "version");
    }
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO screening_questionnaire (version, name, text, activated_at, activated_by) "
        "VALUES (?, ?, ?, ?, ?)",
        {out.version, out.name, out.text, now, who}));
    return store::Publish(tx, kQuestionnaireTopic, std::to_string(out.version), now);
  }));
  return out;
}

Result<Assessed> Service::Assess(const Caller& by, PersonId person, int64_t version,
                                 const Json& answers, const healthcode::Reader& reader) {
  RETURN_IF_ERROR(RequireAssess(by));
  const int64_t now = clock_.NowMillis();
  Assessed out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, person, "assess symptoms", now));
    ASSIGN_OR_RETURN(auto q, Current(tx));
    if (version != q->version) {
      return Status::FailedPrecondition(
          "the questionnaire changed: answer version " + std::to_string(q->version), "version");
    }
    ASSIGN_OR_RETURN(Evaluation e, Evaluate(*q, answers));
    Assessment& a = out.assessment;
    a.person = person;
    a.questionnaire_version = q->version;
    a.outcome = e.outcome;
    a.points = e.points;
    a.answers = std::move(e.answers);
    a.reasons = std::move(e.reasons);
    a.symptoms = std::move(e.symptoms);
    a.assessed_at = now;
    a.assessed_by = by.user;
    ASSIGN_OR_RETURN(
        auto r,
        tx.Query("INSERT INTO screening_assessment (person_id, questionnaire_version, "
                 "outcome, points, answers, reasons, symptoms, assessed_at, assessed_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {person.value, a.questionnaire_version, std::string(OutcomeName(a.outcome)),
                  int64_t{a.points}, a.answers.dump(), ReasonsJson(a.reasons).dump(),
                  Json(a.symptoms).dump(), now, by.user.value}));
    a.id = r.Int(0, 0);
    if (a.symptoms.empty()) return Status::Ok();
    std::string list;
    for (const auto& s : a.symptoms) list += (list.empty() ? "" : ", ") + s;
    ASSIGN_OR_RETURN(out.code, healthcode::RecordSymptoms(tx, person, list, now, now, reader));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Assessment>> Service::List(const Caller& by, PersonId person, int limit,
                                              int offset) {
  RETURN_IF_ERROR(RequireAssess(by));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "read assessments", now).status());
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kAssessmentCols +
                                         " FROM screening_assessment WHERE person_id = ? ORDER BY "
                                         "assessed_at DESC, id DESC LIMIT ? OFFSET ?",
                                     {person.value, int64_t{limit}, int64_t{offset}}));
  std::vector<Assessment> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(AssessmentFrom(r, i));
  return out;
}

Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to) {
  return ex.Exec("UPDATE screening_assessment SET person_id = ? WHERE person_id = ?",
                 {to.value, from.value});
}

}  // namespace mekong::screening
