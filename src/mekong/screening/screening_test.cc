#include <gtest/gtest.h>

#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/testing.h"
#include "mekong/screening/service.h"

namespace mekong::screening {
namespace {

using registry::Role;

constexpr int64_t kNow = 1'780'000'000'000;

// Every answer "no" or 0 for the default questionnaire, to change one at a time.
Json Healthy() {
  return {{"danger_signs", false}, {"fever", false},   {"cough", false},   {"taste_smell", false},
          {"breathless", false},   {"days_unwell", 0}, {"contact", false}, {"higher_risk", false}};
}

Questionnaire Default() {
  auto q = ParseQuestionnaire(DefaultQuestionnaireText(), nullptr);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return *q;
}

TEST(Questionnaire, DefaultIsInEveryLanguage) {
  Questionnaire q = Default();
  EXPECT_EQ(q.version, 1);
  EXPECT_EQ(q.questions.size(), 8u);
  EXPECT_TRUE(q.Untranslated().empty());
  std::string used;
  EXPECT_NE(TextIn(q.questions[1].text, "th", &used).find("ไข้"), std::string::npos);
  EXPECT_EQ(used, "th");
  TextIn(q.questions[1].text, "fr", &used);
  EXPECT_EQ(used, "en");
}

TEST(Questionnaire, EveryProblemWithItsLine) {
  std::vector<FileError> errors;
  auto q = ParseQuestionnaire(R"(version = 2
name = "x"
colour = "red"
[outcomes]
test = 5
consultation = 4

[[questions]]
id = "fever"
kind = "yes_no"
text.en = "Fever?"
text.xx = "?"
yes = { points = 200, outcome = "hospital" }

[[questions]]
id = "fever"
kind = "choice"
text.zh = "?"
)",
                              &errors);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().field(), "questionnaire");
  std::vector<std::string> got;
  for (const auto& e : errors) got.push_back(std::to_string(e.line) + " " + e.key);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "3 colour", "6 outcomes.consultation", "12 questions[fever].text.xx",
                     "13 questions[fever].yes.points", "13 questions[fever].yes.outcome",
                     "15 questions[fever].options", "16 questions[fever].id",
                     "18 questions[fever].text.en"}))
      << q.status().ToString();
  EXPECT_EQ(errors[0].message, "is not a questionnaire key (see docs/screening.md)");

  errors.clear();
  EXPECT_FALSE(ParseQuestionnaire("version = [", &errors).ok());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
}

TEST(Questionnaire, ChoiceAndNumberBands) {
  auto q = ParseQuestionnaire(R"(version = 2
name = "Dengue"
[outcomes]
test = 2
consultation = 4
emergency = 9

[[questions]]
id = "fever_days"
kind = "number"
min = 0
max = 30
bands = [{ from = 2, points = 2, symptom = "fever" }, { from = 7, points = 4 }]
text.en = "Days of fever?"

[[questions]]
id = "bleeding"
kind = "choice"
text.en = "Any bleeding?"
[[questions.options]]
id = "none"
text.en = "None"
[[questions.options]]
id = "gums"
text.en = "Gums or nose"
points = 3
symptom = "bleeding"
[[questions.options]]
id = "vomit_blood"
text.en = "Vomiting blood"
outcome = "emergency"
)",
                              nullptr);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  auto e = Evaluate(*q, {{"fever_days", 1}, {"bleeding", "none"}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->outcome, Outcome::kHomeCare);
  EXPECT_TRUE(e->reasons.empty());

  e = Evaluate(*q, {{"fever_days", 3}, {"bleeding", "none"}});
  EXPECT_EQ(e->outcome, Outcome::kTest);
  EXPECT_EQ(e->symptoms, std::vector<std::string>{"fever"});

  e = Evaluate(*q, {{"fever_days", 8}, {"bleeding", "gums"}});
  EXPECT_EQ(e->points, 7);
  EXPECT_EQ(e->outcome, Outcome::kConsultation);
  EXPECT_EQ(e->symptoms, std::vector<std::string>{"bleeding"});  // the 7-day band names none

  e = Evaluate(*q, {{"fever_days", 0}, {"bleeding", "vomit_blood"}});
  EXPECT_EQ(e->outcome, Outcome::kEmergency);
  ASSERT_EQ(e->reasons.size(), 1u);
  EXPECT_EQ(e->reasons[0].answer, "vomit_blood");

  EXPECT_EQ(Evaluate(*q, {{"fever_days", 31}, {"bleeding", "none"}}).status().field(),
            "answers.fever_days");
  EXPECT_EQ(Evaluate(*q, {{"fever_days", 1}, {"bleeding", "arm"}}).status().field(),
            "answers.bleeding");
  EXPECT_EQ(Evaluate(*q, {{"fever_days", 1}}).status().field(), "answers.bleeding");
  EXPECT_EQ(Evaluate(*q, {{"fever_days", 1}, {"bleeding", "none"}, {"x", 1}}).status().field(),
            "answers.x");
  EXPECT_EQ(Evaluate(*q, Json::array()).status().field(), "answers");
}

TEST(Questionnaire, DefaultRecommendations) {
  Questionnaire q = Default();
  EXPECT_EQ(Evaluate(q, Healthy())->outcome, Outcome::kHomeCare);
  Json a = Healthy();
  a["cough"] = true;
  EXPECT_EQ(Evaluate(q, a)->outcome, Outcome::kHomeCare);  // 1 point; still reported
  EXPECT_EQ(Evaluate(q, a)->symptoms, std::vector<std::string>{"cough"});
  a["fever"] = true;
  EXPECT_EQ(Evaluate(q, a)->outcome, Outcome::kTest);  // 3
  a["breathless"] = true;
  EXPECT_EQ(Evaluate(q, a)->outcome, Outcome::kConsultation);  // 6
  a["danger_signs"] = true;
  EXPECT_EQ(Evaluate(q, a)->outcome, Outcome::kEmergency);
  Json contact = Healthy();
  contact["contact"] = true;
  EXPECT_EQ(Evaluate(q, contact)->outcome, Outcome::kTest);
  EXPECT_TRUE(Evaluate(q, contact)->symptoms.empty());
  Json typed = Healthy();
  typed["fever"] = "yes";
  EXPECT_EQ(Evaluate(q, typed).status().field(), "answers.fever");
}

class ScreeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w =
        registry::testing::World::Make({&kModule, &healthcode::kModule, &outbox::kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    service_ = std::make_unique<Service>(world_->db(), clock_);
    person_ = *world_->AddPerson(world_->commune_a1);
    citizen_ = *world_->As(Role::kCitizen, world_->commune_a1, person_.id);
    tracer_a_ = *world_->As(Role::kTracer, world_->district_a);
    tracer_b_ = *world_->As(Role::kTracer, world_->district_b);
    admin_ = *world_->As(Role::kAdmin, world_->province);
  }

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  std::unique_ptr<Service> service_;
  registry::Person person_;
  registry::Caller citizen_, tracer_a_, tracer_b_, admin_;
};

TEST_F(ScreeningTest, SymptomsReachTheHealthCodeInOneTransaction) {
  Json a = Healthy();
  a["fever"] = true;
  a["cough"] = true;
  auto done = service_->Assess(citizen_, person_.id, 1, a, {"vi", "Asia/Ho_Chi_Minh"});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->assessment.outcome, Outcome::kTest);
  EXPECT_EQ(done->assessment.points, 3);
  ASSERT_TRUE(done->code);
  EXPECT_EQ(done->code->colour, healthcode::Colour::kYellow);

  auto code = healthcode::Compute(world_->db(), person_.id, kNow + 1000);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->colour, healthcode::Colour::kYellow);

  // A healthy answer stores an assessment and reports nothing.
  clock_.Advance(60'000);
  auto well = service_->Assess(tracer_a_, person_.id, 1, Healthy());
  ASSERT_TRUE(well.ok()) << well.status().ToString();
  EXPECT_FALSE(well->code);

  auto list = service_->List(citizen_, person_.id, 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].outcome, Outcome::kHomeCare);  // newest first
  EXPECT_EQ((*list)[1].symptoms, (std::vector<std::string>{"fever", "cough"}));
  EXPECT_EQ((*list)[1].answers["fever"], "yes");
  ASSERT_EQ((*list)[1].reasons.size(), 2u);
  EXPECT_EQ((*list)[1].reasons[0].question, "fever");
  EXPECT_EQ((*list)[1].reasons[0].effect.points, 2);
}

TEST_F(ScreeningTest, ScopeAndBadAnswersStoreNothing) {
  EXPECT_EQ(service_->Assess(tracer_b_, person_.id, 1, Healthy()).status().code(), Code::kNotFound);
  auto other = *world_->AddPerson(world_->commune_a1);
  EXPECT_EQ(service_->Assess(citizen_, other.id, 1, Healthy()).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service_->List(tracer_b_, person_.id, 10).status().code(), Code::kNotFound);
  Json bad = Healthy();
  bad.erase("fever");
  EXPECT_EQ(service_->Assess(citizen_, person_.id, 1, bad).status().field(), "answers.fever");
  EXPECT_EQ(service_->Assess(citizen_, person_.id, 7, Healthy()).status().field(), "version");
  auto rows = world_->db().Query("SELECT COUNT(*) FROM screening_assessment");
  EXPECT_EQ(rows->Int(0, 0), 0);
}

TEST_F(ScreeningTest, ActivationRisesAndOlderAnswersAreRefused) {
  std::string text(DefaultQuestionnaireText());
  EXPECT_EQ(service_->Activate(tracer_a_, text).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service_->Activate(admin_, text).status().field(), "version");  // not above 1
  text.replace(text.find("version = 1"), 11, "version = 2");
  text.replace(text.find("test = 3"), 8, "test = 1");
  auto v = service_->Activate(admin_, text);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->version, 2);
  EXPECT_EQ(*v->activated_by, admin_.user.value);

  Json a = Healthy();
  a["cough"] = true;
  EXPECT_EQ(service_->Assess(citizen_, person_.id, 1, a).status().code(),
            Code::kFailedPrecondition);
  auto done = service_->Assess(citizen_, person_.id, 2, a);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->assessment.outcome, Outcome::kTest);  // 1 point is a test under version 2

  // Another server's service reads the new version from the store.
  auto db2 = world_->OpenAgain();
  ASSERT_TRUE(db2.ok());
  Service other(**db2, clock_);
  EXPECT_EQ(other.Active(citizen_)->version, 2);
  auto versions = service_->Versions(citizen_);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_FALSE((*versions)[1].activated_by);
  EXPECT_EQ(service_->Get(citizen_, 1)->text, DefaultQuestionnaireText());
  EXPECT_EQ(service_->Get(citizen_, 9).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace mekong::screening
