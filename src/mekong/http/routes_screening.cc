// Routes for the symptom self-assessment: the versioned questionnaire, and assessments by a
// citizen for themself or by staff for a person of their unit (docs/screening.md).
#include "mekong/http/codec.h"
#include "mekong/screening/service.h"

namespace mekong::http {

namespace {

using registry::Capability;
namespace sc = screening;

Json TextsJson(const sc::Texts& texts) {
  Json j = Json::object();
  for (const auto& [lang, text] : texts) j[lang] = text;
  return j;
}

// What the application renders: every text in every language it has, so that switching the
// language does not need the questionnaire again.
Json QuestionnaireJson(const sc::Questionnaire& q) {
  Json questions = Json::array();
  for (const auto& question : q.questions) {
    Json j = {{"id", question.id},
              {"kind", sc::KindName(question.kind)},
              {"text", TextsJson(question.text)}};
    if (question.kind == sc::Kind::kNumber) {
      j["min"] = question.min;
      j["max"] = question.max;
    }
    if (question.kind == sc::Kind::kChoice) {
      Json options = Json::array();
      for (const auto& o : question.options)
        options.push_back({{"id", o.id}, {"text", TextsJson(o.text)}});
      j["options"] = options;
    }
    questions.push_back(std::move(j));
  }
  return {{"version", q.version},
          {"name", q.name},
          {"outcomes",
           {{"test", q.test_points},
            {"consultation", q.consultation_points},
            {"emergency", q.emergency_points ? Json(*q.emergency_points) : Json(nullptr)}}},
          {"questions", questions},
          {"untranslated", q.Untranslated()}};
}

Schema QuestionnaireSchema() {
  Schema texts = Schema::AnyObject().Doc("language code to text; English is always there");
  Schema option = Schema::Object({Required("id", Schema::String(40)), Required("text", texts)});
  Schema question = Schema::Object({Required("id", Schema::String(40)),
                                    Required("kind", Schema::Enum({"yes_no", "choice", "number"})),
                                    Required("text", texts), Optional("min", Schema::Integer()),
                                    Optional("max", Schema::Integer()),
                                    Optional("options", Schema::Array(option, 20))});
  return Schema::Object(
      {Required("version", Schema::Integer()), Required("name", Schema::String()),
       Required("outcomes", Schema::Object({Required("test", Schema::Integer()),
                                            Required("consultation", Schema::Integer()),
                                            Required("emergency", Schema::Integer().Nullable())})),
       Required("questions", Schema::Array(question, 50)),
       Required("untranslated", Schema::Array(LanguageEnum(), 15))});
}

Json VersionJson(const sc::Version& v, bool with_text) {
  Json j = {{"version", v.version},
            {"name", v.name},
            {"activated_at", FormatRfc3339(v.activated_at)},
            {"activated_by", v.activated_by ? Json(*v.activated_by) : Json(nullptr)}};
  if (with_text) j["text"] = v.text;
  return j;
}

Schema VersionSchema(bool with_text) {
  std::vector<Field> f = {Required("version", Schema::Integer()),
                          Required("name", Schema::String()),
                          Required("activated_at", Schema::Time()),
                          Required("activated_by", Schema::Integer().Nullable())};
  if (with_text) f.push_back(Required("text", Schema::Text(1 << 20)));
  return Schema::Object(std::move(f));
}

const std::vector<std::string> kOutcomes = {"home_care", "test", "consultation", "emergency"};

Json AssessmentJson(const sc::Assessment& a) {
  Json reasons = Json::array();
  for (const auto& r : a.reasons) {
    Json j = {{"question", r.question}, {"answer", r.answer}, {"points", r.effect.points}};
    if (r.effect.at_least) j["outcome"] = sc::OutcomeName(*r.effect.at_least);
    if (!r.effect.symptom.empty()) j["symptom"] = r.effect.symptom;
    reasons.push_back(std::move(j));
  }
  return {{"id", a.id},
          {"person_id", a.person.value},
          {"questionnaire_version", a.questionnaire_version},
          {"outcome", sc::OutcomeName(a.outcome)},
          {"points", a.points},
          {"answers", a.answers},
          {"reasons", reasons},
          {"symptoms", a.symptoms},
          {"assessed_at", FormatRfc3339(a.assessed_at)},
          {"assessed_by", a.assessed_by.value}};
}

Schema AssessmentSchema(bool with_code) {
  Schema reason = Schema::Object(
      {Required("question", Schema::String(40)), Required("answer", Schema::String(40)),
       Required("points", Schema::Integer()), Optional("outcome", Schema::Enum(kOutcomes)),
       Optional("symptom", Schema::String(40))});
  std::vector<Field> f = {Required("id", Schema::Id()),
                          Required("person_id", Schema::Id()),
                          Required("questionnaire_version", Schema::Integer()),
                          Required("outcome", Schema::Enum(kOutcomes)),
                          Required("points", Schema::Integer()),
                          Required("answers", Schema::AnyObject()),
                          Required("reasons", Schema::Array(reason, 50)),
                          Required("symptoms", Schema::Array(Schema::String(40), 50)),
                          Required("assessed_at", Schema::Time()),
                          Required("assessed_by", Schema::Id())};
  if (with_code)
    f.push_back(Required("code", HealthCodeSchema().Nullable().Doc(
                                     "the new health code when symptoms were reported")));
  return Schema::Object(std::move(f));
}

Result<Response> Assess(Context& ctx, PersonId person) {
  ASSIGN_OR_RETURN(auto done, ctx.svc.screening.Assess(ctx.by(), person, Int(ctx.body, "version"),
                                                       ctx.body["answers"], ReaderOf(ctx)));
  Json j = AssessmentJson(done.assessment);
  j["code"] = done.code ? ToJson(*done.code) : Json(nullptr);
  return JsonResponse(j, 201);
}

Result<Response> List(Context& ctx, PersonId person) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.screening.List(ctx.by(), person, Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& a : list) items.push_back(AssessmentJson(a));
  return JsonResponse({{"items", items}});
}

Result<PersonId> Me(Context& ctx) {
  if (!ctx.by().person) return Status::FailedPrecondition("this account has no person record");
  return *ctx.by().person;
}

}  // namespace

std::vector<Route> ScreeningRoutes() {
  using C = Capability;
  Schema answers = Schema::Object(
      {Required("version", Schema::Integer(1, INT64_MAX).Doc("the questionnaire version answered")),
       Required("answers", Schema::AnyObject().Doc("question id to answer: true/false, an "
                                                   "option id, or a whole number"))});
  return {
      {.method = "GET",
       .path = "/api/v1/screening",
       .operation = "getQuestionnaire",
       .summary = "The active symptom questionnaire, every text in every language it has",
       .tag = "screening",
       .access = Needs(C::kAssessSymptoms, Scope::kSignedIn),
       .response = QuestionnaireSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto q, ctx.svc.screening.Active(ctx.by()));
         return JsonResponse(QuestionnaireJson(q));
       }},
      {.method = "GET",
       .path = "/api/v1/screening/file",
       .operation = "getQuestionnaireFile",
       .summary = "The active questionnaire's file (TOML), or ?version=N",
       .tag = "screening",
       .access = Needs(C::kAssessSymptoms, Scope::kSignedIn),
       .query = {Optional("version", Schema::Integer(1, INT64_MAX))},
       .response = VersionSchema(true),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto v, ctx.svc.screening.Get(ctx.by(), OptInt(ctx.query, "version")));
         return JsonResponse(VersionJson(v, true));
       }},
      {.method = "GET",
       .path = "/api/v1/screening/versions",
       .operation = "listQuestionnaireVersions",
       .summary = "Every questionnaire version, newest first",
       .tag = "screening",
       .access = Needs(C::kAssessSymptoms, Scope::kSignedIn),
       .response = Items(VersionSchema(false), 100000),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto versions, ctx.svc.screening.Versions(ctx.by()));
         Json items = Json::array();
         for (const auto& v : versions) items.push_back(VersionJson(v, false));
         return JsonResponse({{"items", items}});
       }},
      {.method = "POST",
       .path = "/api/v1/screening/check",
       .operation = "checkQuestionnaire",
       .summary = "Validate a questionnaire file (TOML); every error with its line",
       .tag = "screening",
       .access = Needs(C::kManageScreening, Scope::kSignedIn),
       .body_types = {"application/toml", "text/plain"},
       .response = Schema::Object(
           {Required("valid", Schema::Boolean()), Required("version", Schema::Integer()),
            Required("name", Schema::String()), Required("questions", Schema::Integer()),
            Required("untranslated", Schema::Array(LanguageEnum(), 15))}),
       .handler = [](Context& ctx) -> Result<Response> {
         std::vector<FileError> errors;
         auto q = sc::ParseQuestionnaire(ctx.req.body, &errors);
         if (!q.ok()) return FileErrorsResponse(errors, "questionnaire");
         return JsonResponse({{"valid", true},
                              {"version", q->version},
                              {"name", q->name},
                              {"questions", q->questions.size()},
                              {"untranslated", q->Untranslated()}});
       }},
      {.method = "PUT",
       .path = "/api/v1/screening",
       .operation = "activateQuestionnaire",
       .summary = "Activate a new questionnaire version (TOML)",
       .tag = "screening",
       .access = Needs(C::kManageScreening, Scope::kTopLevel),
       .body_types = {"application/toml", "text/plain"},
       .response = Schema::Object(
           {Required("version", Schema::Integer()), Required("name", Schema::String())}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         std::vector<FileError> errors;
         if (!sc::ParseQuestionnaire(ctx.req.body, &errors).ok())
           return FileErrorsResponse(errors, "questionnaire");
         ASSIGN_OR_RETURN(auto v, ctx.svc.screening.Activate(ctx.by(), ctx.req.body));
         return JsonResponse({{"version", v.version}, {"name", v.name}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/me/assessments",
       .operation = "assessMySymptoms",
       .summary = "Answer the questionnaire for yourself: a recommendation, and your symptoms "
                  "reported to your health code",
       .tag = "screening",
       .access = Needs(C::kReportOwnSymptoms, Scope::kSelf),  // citizens, who have a person
       .query = ReaderParams(),
       .body = answers,
       .response = AssessmentSchema(true),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(PersonId me, Me(ctx));
         return Assess(ctx, me);
       }},
      {.method = "GET",
       .path = "/api/v1/me/assessments",
       .operation = "listMyAssessments",
       .summary = "Your assessments, newest first",
       .tag = "screening",
       .access = Needs(C::kReportOwnSymptoms, Scope::kSelf),  // citizens, who have a person
       .query = Paging(),
       .response = Items(AssessmentSchema(false), 500),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(PersonId me, Me(ctx));
         return List(ctx, me);
       }},
      {.method = "POST",
       .path = "/api/v1/people/{id}/assessments",
       .operation = "assessSymptoms",
       .summary = "Answer the questionnaire for a person of your unit (a hotline call, a visit)",
       .tag = "screening",
       .access = Needs(C::kAssessSymptoms, Scope::kSelfOrOrgUnit),
       .query = ReaderParams(),
       .body = answers,
       .response = AssessmentSchema(true),
       .status = 201,
       .handler = [](Context& ctx) { return Assess(ctx, PersonId(Int(ctx.path, "id"))); },
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/assessments",
       .operation = "listAssessments",
       .summary = "A person's assessments, newest first",
       .tag = "screening",
       .access = Needs(C::kAssessSymptoms, Scope::kSelfOrOrgUnit),
       .query = Paging(),
       .response = Items(AssessmentSchema(false), 500),
       .handler = [](Context& ctx) { return List(ctx, PersonId(Int(ctx.path, "id"))); },
       .resource = "person"},
  };
}

}  // namespace mekong::http
