#include "mekong/registry/registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/registry/service.h"
#include "mekong/store/testing.h"

namespace mekong::registry {
namespace {

constexpr int64_t kNow = 1'795'000'000'000;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    province_ = *CreateOrgUnit(*db_, {std::nullopt, "province", "Quảng Ninh", "QN"});
    district_ = *CreateOrgUnit(*db_, {province_.id, "district", "Hạ Long", "QN-HL"});
    commune_ = *CreateOrgUnit(*db_, {district_.id, "commune", "Bãi Cháy", "QN-HL-01"});
    other_district_ = *CreateOrgUnit(*db_, {province_.id, "district", "Móng Cái", "QN-MC"});
  }

  Person SamplePerson(std::string doc = "001099012345") {
    Person p;
    p.full_name = "Nguyễn Văn An";
    p.document_type = "national_id";
    p.document_number = std::move(doc);
    p.nationality = "VN";
    p.language = "vi";
    p.phone = "+84912345678";
    p.org_unit = commune_.id;
    return p;
  }

  std::unique_ptr<store::Database> db_;
  OrgUnit province_, district_, commune_, other_district_;
};

TEST_F(RegistryTest, OrgUnitPathsNest) {
  EXPECT_EQ(province_.path, "/" + std::to_string(province_.id.value) + "/");
  EXPECT_TRUE(IsUnder(commune_.path, district_.path));
  EXPECT_TRUE(IsUnder(commune_.path, province_.path));
  EXPECT_FALSE(IsUnder(commune_.path, other_district_.path));
  EXPECT_FALSE(IsUnder(district_.path, commune_.path));
  auto children = ListOrgUnits(*db_, province_.id);
  ASSERT_EQ(children->size(), 2u);
  EXPECT_EQ((*children)[0].name, "Hạ Long");
  EXPECT_EQ(ListOrgUnits(*db_, std::nullopt)->size(), 1u);
}

TEST_F(RegistryTest, OrgUnitErrorsNameTheField) {
  EXPECT_EQ(CreateOrgUnit(*db_, {OrgUnitId(999), "district", "X", "X"}).status().field(),
            "parent_id");
  auto dup = CreateOrgUnit(*db_, {province_.id, "district", "Again", "QN-HL"});
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "code");
  EXPECT_EQ(CreateOrgUnit(*db_, {std::nullopt, "province", "", "E"}).status().field(), "name");
}

TEST_F(RegistryTest, PeopleAreValidatedAndUnique) {
  auto p = CreatePerson(*db_, SamplePerson(), kNow);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto back = GetPerson(*db_, p->id);
  EXPECT_EQ(back->full_name, "Nguyễn Văn An");
  EXPECT_EQ(back->org_path, commune_.path);

  EXPECT_EQ(CreatePerson(*db_, SamplePerson(), kNow).status().code(), Code::kAlreadyExists);
  struct Case {
    std::function<void(Person&)> change;
    std::string field;
  } cases[] = {
      {[](Person& x) { x.full_name = ""; }, "full_name"},
      {[](Person& x) { x.document_type = "library_card"; }, "document_type"},
      {[](Person& x) { x.nationality = "vn"; }, "nationality"},
      {[](Person& x) { x.language = "fr"; }, "language"},
      {[](Person& x) { x.phone = "0912"; }, "phone"},
      {[](Person& x) { x.birth_date = "1990/01/01"; }, "birth_date"},
      {[](Person& x) { x.org_unit = OrgUnitId(12345); }, "org_unit_id"},
  };
  for (auto& c : cases) {
    Person x = SamplePerson("other");
    c.change(x);
    EXPECT_EQ(CreatePerson(*db_, x, kNow).status().field(), c.field);
  }
  EXPECT_EQ(ListPeople(*db_, {})->size(), 1u);  // nothing bad was stored
}

TEST_F(RegistryTest, ListPeopleStaysInsideTheSubtree) {
  ASSERT_TRUE(CreatePerson(*db_, SamplePerson("a"), kNow).ok());
  Person elsewhere = SamplePerson("b");
  elsewhere.org_unit = other_district_.id;
  ASSERT_TRUE(CreatePerson(*db_, elsewhere, kNow).ok());
  EXPECT_EQ(ListPeople(*db_, {.under_path = district_.path})->size(), 1u);
  EXPECT_EQ(ListPeople(*db_, {.under_path = province_.path})->size(), 2u);
  EXPECT_EQ(ListPeople(*db_, {.under_path = province_.path, .name_prefix = "Nguyễn"})->size(), 2u);
  EXPECT_EQ(ListPeople(*db_, {.under_path = province_.path, .name_prefix = "Trần"})->size(), 0u);
}

TEST_F(RegistryTest, ExistingPeopleIsTheSubsetThatExistsInIdOrder) {
  PersonId a = CreatePerson(*db_, SamplePerson("a"), kNow)->id;
  PersonId b = CreatePerson(*db_, SamplePerson("b"), kNow)->id;
  std::vector<PersonId> asked = {b, PersonId(b.value + 1000), a};
  for (int i = 0; i < 600; ++i) asked.push_back(PersonId(b.value + 2000 + i));  // two queries
  auto got = ExistingPeople(*db_, asked);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, (std::vector<PersonId>{a, b}));
}

TEST_F(RegistryTest, PosterTextVerifiesAndForgeriesFail) {
  Venue v;
  v.name = "Chợ Hạ Long";
  v.kind = "market";
  v.capacity = 500;
  v.org_unit = commune_.id;
  v.default_stay_minutes = 45;
  auto venue = CreateVenue(*db_, v, kNow);
  ASSERT_TRUE(venue.ok()) << venue.status().ToString();
  auto text = PosterText(*db_, venue->id);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->rfind("MKV1:" + std::to_string(venue->id.value) + ":", 0), 0u);
  EXPECT_EQ(text->find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"),
            std::string::npos);
  EXPECT_EQ(VerifyPosterText(*db_, *text)->value, venue->id.value);

  std::string forged = *text;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyPosterText(*db_, forged).status().code(), Code::kInvalidArgument);
  // Another venue id with this venue's signature.
  std::string moved =
      "MKV1:" + std::to_string(venue->id.value + 1) + text->substr(text->rfind(':'));
  EXPECT_FALSE(VerifyPosterText(*db_, moved).ok());
  for (const char* junk : {"", "MKV1:", "MKV1::ABC", "HC1:xyz", "MKV1:12x:ABC"}) {
    EXPECT_EQ(VerifyPosterText(*db_, junk).status().field(), "qr") << junk;
  }
  v.capacity = 0;
  EXPECT_EQ(CreateVenue(*db_, v, kNow).status().field(), "capacity");
}

TEST_F(RegistryTest, LoginSessionsExpireAndLogOut) {
  auto user = CreateUser(
      *db_, {"tracer.hl", "s3cret-pass", Role::kTracer, district_.id, std::nullopt}, kNow);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(Login(*db_, "tracer.hl", "wrong-pass", kNow, kMillisPerHour).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Login(*db_, "nobody", "s3cret-pass", kNow, kMillisPerHour).status().code(),
            Code::kUnauthenticated);
  auto s = Login(*db_, "tracer.hl", "s3cret-pass", kNow, kMillisPerHour);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->caller.role, Role::kTracer);
  EXPECT_EQ(s->caller.org_path, district_.path);
  EXPECT_TRUE(Covers(s->caller, commune_.path));
  EXPECT_FALSE(Covers(s->caller, other_district_.path));

  EXPECT_TRUE(Authenticate(*db_, s->token, kNow + kMillisPerHour - 1).ok());
  EXPECT_EQ(Authenticate(*db_, s->token, kNow + kMillisPerHour).status().code(),
            Code::kUnauthenticated);
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return Logout(tx, s->token, kNow);
              }).ok());
  EXPECT_FALSE(Authenticate(*db_, s->token, kNow).ok());
  // Only hashes are stored.
  auto stored = db_->Query("SELECT COUNT(*) FROM auth_token WHERE token_hash = ?", {s->token});
  EXPECT_EQ(stored->Int(0, 0), 0);
}

// Two servers on one store, each remembering callers by token: a logout on one stops the
// token on it at once and on the other within the feed's poll; a rejected traveller's
// session stops on both.
TEST(RegistryServiceTest, RememberedSessionsEndWithLogoutOnEveryServer) {
  auto url = store::testing::NewDatabaseUrl();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  auto db_a = store::Open(*url, 2);
  ASSERT_TRUE(db_a.ok()) << db_a.status().ToString();
  const store::Module* modules[] = {&kModule};
  ASSERT_TRUE(store::MigrateModules(**db_a, modules).ok());
  auto db_b = store::Open(*url, 2);
  ASSERT_TRUE(db_b.ok()) << db_b.status().ToString();
  auto unit = CreateOrgUnit(**db_a, {std::nullopt, "province", "Quảng Ninh", "QN"});
  ASSERT_TRUE(unit.ok());
  ASSERT_TRUE(CreateUser(**db_a, {"tracer.a", "s3cret-pass", Role::kTracer, unit->id, {}}, 0).ok());

  SystemClock clock;
  ServiceOptions options;
  options.feed_poll_ms = 20;
  Service a(**db_a, clock, options), b(**db_b, clock, options);
  a.Start();
  b.Start();
  auto session = a.Login("tracer.a", "s3cret-pass", "127.0.0.1");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  for (int i = 0; i < 3; ++i) {  // the second and third are remembered
    ASSERT_TRUE(a.Authenticate(session->token).ok());
    auto seen = b.Authenticate(session->token);
    ASSERT_TRUE(seen.ok()) << seen.status().ToString();
    EXPECT_EQ(seen->username, "tracer.a");
  }
  // A session is not an API key, remembered or not.
  EXPECT_EQ(b.AuthenticateApiKey(session->token).status().code(), Code::kUnauthenticated);

  ASSERT_TRUE(a.Logout(session->token).ok());
  EXPECT_EQ(a.Authenticate(session->token).status().code(), Code::kUnauthenticated);
  bool stopped = false;
  for (int i = 0; i < 200 && !stopped; ++i) {
    stopped = !b.Authenticate(session->token).ok();
    if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(stopped) << "server b still accepts a token logged out on server a after 2 s";
  a.Stop();
  b.Stop();
}

TEST_F(RegistryTest, UserRulesNameTheField) {
  EXPECT_EQ(
      CreateUser(*db_, {"X", "password1", Role::kTracer, district_.id, {}}, kNow).status().field(),
      "username");
  EXPECT_EQ(CreateUser(*db_, {"short.pw", "1234567", Role::kTracer, district_.id, {}}, kNow)
                .status()
                .field(),
            "password");
  EXPECT_EQ(CreateUser(*db_, {"citizen1", "password1", Role::kCitizen, district_.id, {}}, kNow)
                .status()
                .field(),
            "person_id");
  EXPECT_EQ(CreateUser(*db_, {"gate.1", "password1", Role::kDevice, district_.id, {}}, kNow)
                .status()
                .field(),
            "password");
  ASSERT_TRUE(CreateUser(*db_, {"twice", "password1", Role::kTracer, district_.id, {}}, kNow).ok());
  EXPECT_EQ(CreateUser(*db_, {"twice", "password1", Role::kTracer, district_.id, {}}, kNow)
                .status()
                .code(),
            Code::kAlreadyExists);
  EXPECT_EQ(ParseRole("wizard").status().field(), "role");
  EXPECT_EQ(*ParseRole("checkpoint_officer"), Role::kCheckpointOfficer);
}

TEST_F(RegistryTest, DevicesUseApiKeys) {
  auto device = CreateUser(*db_, {"gate.bc.1", "", Role::kDevice, commune_.id, {}}, kNow);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  auto key = IssueApiKey(*db_, *device, "gate at Bãi Cháy market", kNow);
  ASSERT_TRUE(key.ok());
  auto caller = AuthenticateApiKey(*db_, *key, kNow);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->role, Role::kDevice);
  EXPECT_FALSE(AuthenticateApiKey(*db_, *key + "x", kNow).ok());
  EXPECT_FALSE(Authenticate(*db_, *key, kNow).ok());  // a key is not a session
  EXPECT_FALSE(Login(*db_, "gate.bc.1", "", kNow, kMillisPerHour).ok());
}

TEST_F(RegistryTest, AccessLogRecordsWhoReadWhom) {
  auto p = CreatePerson(*db_, SamplePerson(), kNow);
  auto user =
      CreateUser(*db_, {"officer", "password1", Role::kCommandOfficer, province_.id, {}}, kNow);
  Caller c;
  c.user = *user;
  ASSERT_TRUE(LogAccess(*db_, c, p->id, "read person", kNow).ok());
  auto log = ListAccess(*db_, province_.path, p->id, 10);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].username, "officer");
  EXPECT_EQ((*log)[0].action, "read person");
  // Scoped: an officer elsewhere sees no entry about this person.
  EXPECT_TRUE(ListAccess(*db_, "/999999/", p->id, 10)->empty());
}

}  // namespace
}  // namespace mekong::registry
