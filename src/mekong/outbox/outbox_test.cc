#include "mekong/outbox/outbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "mekong/registry/registry.h"
#include "mekong/registry/testing.h"
#include "mekong/store/feed.h"

namespace mekong::outbox {
namespace {

using registry::Caller;
using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-12-01T08:00:00+07:00");

// A channel that answers each send as scripted (ok once the script is used up) and keeps
// what it was given: a test fake of the interface, which SMTP and the SMS gateway implement
// for real (their wire is tested over loopback in tests/api/test_outbox.py).
class ScriptedChannel : public Channel {
 public:
  explicit ScriptedChannel(std::deque<Status> script = {}) : script_(std::move(script)) {}
  Status Send(const Outgoing& m) override {
    std::lock_guard lock(mu_);
    sent_.push_back(m);
    if (script_.empty()) return Status::Ok();
    Status s = script_.front();
    script_.pop_front();
    return s;
  }
  std::vector<Outgoing> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::deque<Status> script_;
  std::vector<Outgoing> sent_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make({&kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    registry::Person p;
    p.full_name = "Somchai Jaidee";
    p.document_type = "passport";
    p.document_number = "AA1234567";
    p.nationality = "TH";
    p.language = "th";
    p.phone = "+66812345678";
    p.org_unit = world_->commune_a1.id;
    auto made = registry::CreatePerson(world_->db(), p, kNow);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    person_ = *made;
    citizen_ = *world_->As(Role::kCitizen, world_->commune_a1, person_.id);
    auto other = world_->AddPerson(world_->commune_b1);
    other_ = *other;
    other_citizen_ = *world_->As(Role::kCitizen, world_->commune_b1, other_.id);
    province_ = *world_->As(Role::kCommandOfficer, world_->province);
    b1_officer_ = *world_->As(Role::kCommandOfficer, world_->commune_b1);
  }

  std::unique_ptr<Outbox> Make(ScriptedChannel* email, ScriptedChannel* sms) {
    Options o;
    if (email) o.email = std::unique_ptr<Channel>(new Forward(email));
    if (sms) o.sms = std::unique_ptr<Channel>(new Forward(sms));
    o.retry_base_ms = 1000;
    o.max_attempts = 3;
    return std::make_unique<Outbox>(world_->db(), clock_, std::move(o));
  }

  // Tells `person` about ticket `n` in its own transaction, as a module would in its event's.
  Result<std::optional<int64_t>> Tell(PersonId person, int n, const std::string& source = "") {
    std::optional<int64_t> id;
    Status s = world_->db().Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(id, Enqueue(tx,
                                   {person,
                                    "ticket_answered",
                                    {{"subject", "Question " + std::to_string(n)}},
                                    "/me/questions/" + std::to_string(n),
                                    source.empty() ? "test:" + std::to_string(n) : source},
                                   clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return id;
  }

  Delivery Only(Outbox& box, const std::string& channel) {
    DeliveryQuery q;
    q.channel = channel;
    auto list = box.List(province_, q);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    EXPECT_EQ(list->size(), 1u);
    auto d = box.GetDelivery(province_, list->at(0).id);
    EXPECT_TRUE(d.ok());
    return *d;
  }

  // Owns nothing: the test keeps the scripted channel to look at.
  struct Forward : Channel {
    explicit Forward(ScriptedChannel* to) : to(to) {}
    Status Send(const Outgoing& m) override { return to->Send(m); }
    ScriptedChannel* to;
  };

  FixedClock clock_{kNow};
  std::unique_ptr<registry::testing::World> world_;
  registry::Person person_, other_;
  Caller citizen_, other_citizen_, province_, b1_officer_;
};

TEST_F(OutboxTest, AMessageIsWrittenInThePersonsLanguageOnceAndPublished) {
  auto box = Make(nullptr, nullptr);
  ASSERT_TRUE(store::LatestSeq(world_->db()).ok());
  int64_t before = *store::LatestSeq(world_->db());
  auto id = Tell(person_.id, 1);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(id->has_value());
  auto again = Tell(person_.id, 1);  // the same cause: nothing new
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());

  auto mine = box->Mine(citizen_, 50, 0);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).language, "th");
  EXPECT_EQ(mine->at(0).subject, "คำถามของคุณได้รับคำตอบแล้ว");
  EXPECT_NE(mine->at(0).text.find("“Question 1”"), std::string::npos);
  EXPECT_EQ(mine->at(0).link, "/me/questions/1");
  EXPECT_EQ(*box->Unread(citizen_), 1);

  auto changes = store::ChangesAfter(world_->db(), before, 100, {"outbox."});
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->at(0).topic, kMessageTopic);
  EXPECT_EQ(changes->at(0).payload, std::to_string(**id));

  // In the app at once; by SMS (the record has a phone: the default) when a sender has it.
  EXPECT_EQ(Only(*box, "in_app").status, "sent");
  Delivery sms = Only(*box, "sms");
  EXPECT_EQ(sms.status, "queued");
  EXPECT_EQ(sms.address, "+66812345678");
  DeliveryQuery email;
  email.channel = "email";
  EXPECT_TRUE(box->List(province_, email)->empty());
}

TEST_F(OutboxTest, ReadingIsTheCitizensOwnAndKeepsTheFirstRead) {
  auto box = Make(nullptr, nullptr);
  int64_t id = **Tell(person_.id, 1);
  EXPECT_EQ(box->MarkRead(other_citizen_, id).status().code(), Code::kNotFound);
  auto read = box->MarkRead(citizen_, id);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->read_at);
  EXPECT_EQ(*read->read_at, kNow);
  clock_.Advance(60'000);
  EXPECT_EQ(*box->MarkRead(citizen_, id)->read_at, kNow);
  EXPECT_EQ(*box->Unread(citizen_), 0);
  EXPECT_TRUE(box->Mine(other_citizen_, 50, 0)->empty());
  EXPECT_EQ(box->Mine(province_, 50, 0).status().code(), Code::kPermissionDenied);
}

TEST_F(OutboxTest, SettingsChooseLanguageAndChannels) {
  auto box = Make(nullptr, nullptr);
  auto s = box->GetSettings(citizen_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->language, "th");
  EXPECT_TRUE(s->sms);
  EXPECT_EQ(s->phone, "+66812345678");

  Settings bad{"th", false, "not-an-email", ""};
  auto refused = box->SetSettings(citizen_, bad);
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "email");
  EXPECT_EQ(box->SetSettings(citizen_, {"xx", false, "", ""}).status().field(), "language");
  // No phone on the other person's record: no SMS.
  EXPECT_EQ(box->SetSettings(other_citizen_, {"vi", true, "", ""}).status().field(), "sms");

  auto saved = box->SetSettings(citizen_, {"ms", false, "somchai@example.org", ""});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->language, "ms");
  EXPECT_FALSE(saved->sms);
  ASSERT_TRUE(Tell(person_.id, 2).ok());
  auto mine = box->Mine(citizen_, 50, 0);
  EXPECT_EQ(mine->at(0).language, "ms");
  EXPECT_EQ(Only(*box, "email").address, "somchai@example.org");
  DeliveryQuery sms;
  sms.channel = "sms";
  EXPECT_TRUE(box->List(province_, sms)->empty());
}

TEST_F(OutboxTest, RetriesWithBackoffRecordsEachAttemptAndNeverSendsTwice) {
  ScriptedChannel sms({Status::Unavailable("gateway down"), Status::Unavailable("gateway down")});
  auto box = Make(nullptr, &sms);
  ASSERT_TRUE(Tell(person_.id, 1).ok());

  EXPECT_EQ(*box->DeliverDue(), 0);  // failed once
  Delivery d = Only(*box, "sms");
  EXPECT_EQ(d.status, "queued");
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(*d.next_attempt_at, kNow + 1000);
  EXPECT_EQ(d.last_error, "gateway down");
  EXPECT_EQ(*box->DeliverDue(), 0);  // not due yet
  EXPECT_EQ(sms.sent().size(), 1u);

  clock_.Advance(1000);
  EXPECT_EQ(*box->DeliverDue(), 0);  // failed twice: the wait doubles
  EXPECT_EQ(*Only(*box, "sms").next_attempt_at, kNow + 1000 + 2000);
  clock_.Advance(2000);
  EXPECT_EQ(*box->DeliverDue(), 1);
  d = Only(*box, "sms");
  EXPECT_EQ(d.status, "sent");
  EXPECT_EQ(*d.sent_at, kNow + 3000);
  ASSERT_EQ(d.attempt_log.size(), 3u);
  EXPECT_FALSE(d.attempt_log[0].ok);
  EXPECT_TRUE(d.attempt_log[2].ok);

  // The SMS says the subject and the text, in Thai, keyed by the delivery.
  ASSERT_EQ(sms.sent().size(), 3u);
  EXPECT_EQ(sms.sent()[2].delivery_id, d.id);
  EXPECT_EQ(sms.sent()[2].address, "+66812345678");
  EXPECT_EQ(sms.sent()[2].text.rfind("คำถามของคุณได้รับคำตอบแล้ว: ", 0), 0u);

  // Sent is final: another sender, or this one after a restart, has nothing to send.
  clock_.Advance(3600'000);
  EXPECT_EQ(*box->DeliverDue(), 0);
  ScriptedChannel sms2;
  EXPECT_EQ(*Make(nullptr, &sms2)->DeliverDue(), 0);
  EXPECT_TRUE(sms2.sent().empty());
}

TEST_F(OutboxTest, RefusedOrOutOfTriesIsFailedUntilSomeoneRetriesIt) {
  ASSERT_TRUE(Tell(person_.id, 1).ok());
  ScriptedChannel sms(
      {Status::Unavailable("a"), Status::Unavailable("b"), Status::Unavailable("c")});
  auto box = Make(nullptr, &sms);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(*box->DeliverDue(), 0);
    clock_.Advance(3600'000);
  }
  Delivery d = Only(*box, "sms");
  EXPECT_EQ(d.status, "failed");  // max_attempts 3
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(*box->DeliverDue(), 0);
  EXPECT_EQ(box->Retry(b1_officer_, d.id).status().code(), Code::kNotFound);  // not its subtree
  auto again = box->Retry(province_, d.id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, "queued");
  EXPECT_EQ(again->attempts, 0);
  EXPECT_EQ(*box->DeliverDue(), 1);
  EXPECT_EQ(box->Retry(province_, d.id).status().code(), Code::kFailedPrecondition);  // sent

  // A refusal of the message itself (a bad address) is not retried.
  ASSERT_TRUE(box->SetSettings(citizen_, {"th", false, "somchai@example.org", ""}).ok());
  ScriptedChannel email({Status::InvalidArgument("the mail server refused: 550 no such user")});
  auto mail = Make(&email, nullptr);
  ASSERT_TRUE(Tell(person_.id, 2).ok());
  EXPECT_EQ(*mail->DeliverDue(), 0);
  Delivery e = Only(*mail, "email");
  EXPECT_EQ(e.status, "failed");
  EXPECT_EQ(e.attempts, 1);
}

TEST_F(OutboxTest, ASendCutShortIsTakenUpAgainAfterItsClaimWithTheSameKey) {
  ASSERT_TRUE(Tell(person_.id, 1).ok());
  auto box = Make(nullptr, nullptr);
  Delivery d = Only(*box, "sms");
  // A sender took it and stopped before recording how it went.
  ASSERT_TRUE(world_->db()
                  .Exec("UPDATE outbox_delivery SET status = 'sending', attempts = 1, "
                        "claimed_until = ? WHERE id = ?",
                        {kNow + 60'000, d.id})
                  .ok());
  ScriptedChannel sms;
  auto other = Make(nullptr, &sms);
  EXPECT_EQ(*other->DeliverDue(), 0);  // still claimed
  clock_.Advance(60'001);
  EXPECT_EQ(*other->DeliverDue(), 1);
  ASSERT_EQ(sms.sent().size(), 1u);
  EXPECT_EQ(sms.sent()[0].delivery_id, d.id);  // the receiver's idempotency key
  EXPECT_EQ(Only(*other, "sms").attempts, 2);
}

TEST_F(OutboxTest, TwoSendersOverOneStoreSendEachDeliveryOnce) {
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(Tell(person_.id, i).ok());
  auto db2 = world_->OpenAgain();
  ASSERT_TRUE(db2.ok()) << db2.status().ToString();
  ScriptedChannel a, b;
  Options oa, ob;
  oa.sms = std::unique_ptr<Channel>(new Forward(&a));
  ob.sms = std::unique_ptr<Channel>(new Forward(&b));
  Outbox one(world_->db(), clock_, std::move(oa));
  Outbox two(**db2, clock_, std::move(ob));
  std::thread t1([&] { ASSERT_TRUE(one.DeliverDue(100).ok()); });
  std::thread t2([&] { ASSERT_TRUE(two.DeliverDue(100).ok()); });
  t1.join();
  t2.join();
  std::set<int64_t> ids;
  for (const auto& m : a.sent()) ids.insert(m.delivery_id);
  for (const auto& m : b.sent()) ids.insert(m.delivery_id);
  EXPECT_EQ(a.sent().size() + b.sent().size(), 40u);
  EXPECT_EQ(ids.size(), 40u);
  EXPECT_EQ(one.Summarise(province_)->sent, 80);  // 40 in the app, 40 by SMS
}

TEST_F(OutboxTest, StaffSeeTheirSubtreesDeliveriesOnly) {
  auto box = Make(nullptr, nullptr);
  ASSERT_TRUE(Tell(person_.id, 1).ok());            // commune A1
  ASSERT_TRUE(Tell(other_.id, 2).ok());             // commune B1
  EXPECT_EQ(box->List(province_, {})->size(), 3u);  // A1: app and SMS; B1: app (no phone)
  auto b1 = box->List(b1_officer_, {});
  ASSERT_EQ(b1->size(), 1u);
  EXPECT_EQ(b1->at(0).person, other_.id);
  int64_t a1_delivery = box->List(province_, {})->back().id;
  EXPECT_EQ(box->GetDelivery(b1_officer_, a1_delivery).status().code(), Code::kNotFound);
  EXPECT_EQ(box->List(citizen_, {}).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(box->Summarise(b1_officer_)->sent, 1);
  DeliveryQuery bad;
  bad.status = "lost";
  EXPECT_EQ(box->List(province_, bad).status().field(), "status");
}

// Many notices at once (a case's contacts): one message each, in each person's language, a
// repeat in the call or a cause told before written once, and one change per 400.
TEST_F(OutboxTest, ManyAtOnceAreEachToldOnce) {
  std::vector<Notice> notices;
  std::vector<PersonId> people;
  for (int i = 0; i < 450; ++i) {
    auto p = world_->AddPerson(world_->commune_a1, i % 2 ? "vi" : "km");
    ASSERT_TRUE(p.ok());
    people.push_back(p->id);
    notices.push_back({p->id, "code_red", {}, "/me/code", "code:1:red"});
  }
  notices.push_back(notices[7]);  // a repeat in the same call
  notices.push_back({person_.id, "code_red", {}, "/me/code", "code:1:red"});
  auto before = *store::LatestSeq(world_->db());
  // The Thai person was told this cause already, in a call of its own.
  ASSERT_TRUE(
      world_->db()
          .Transact([&](store::Executor& tx) { return Enqueue(tx, notices.back(), kNow).status(); })
          .ok());
  Result<std::vector<std::optional<int64_t>>> ids = std::vector<std::optional<int64_t>>();
  ASSERT_TRUE(world_->db()
                  .Transact([&](store::Executor& tx) -> Status {
                    ids = EnqueueAll(tx, notices, kNow);
                    return ids.status();
                  })
                  .ok())
      << ids.status().ToString();
  ASSERT_EQ(ids->size(), notices.size());
  std::set<int64_t> distinct;
  for (int i = 0; i < 450; ++i) {
    ASSERT_TRUE((*ids)[i].has_value()) << i;
    distinct.insert(*(*ids)[i]);
  }
  EXPECT_EQ(distinct.size(), 450u);
  EXPECT_FALSE((*ids)[450].has_value());  // the repeat
  EXPECT_FALSE((*ids)[451].has_value());  // told before

  auto khmer = *world_->As(Role::kCitizen, world_->commune_a1, people[0]);
  auto mine = Outbox(world_->db(), clock_).Mine(khmer, 10, 0);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().language, "km");
  EXPECT_EQ(mine->front().subject, "កូដសុខភាពរបស់អ្នកពណ៌ក្រហម");
  auto seventh = *world_->As(Role::kCitizen, world_->commune_a1, people[7]);
  EXPECT_EQ(Outbox(world_->db(), clock_).Mine(seventh, 10, 0)->size(), 1u);

  auto changes = store::ChangesAfter(world_->db(), before, 100, {"outbox."});
  ASSERT_EQ(changes->size(), 3u);  // the single one, then 400 and 50
  EXPECT_EQ(std::count(changes->at(1).payload.begin(), changes->at(1).payload.end(), ',') + 1, 400);
  EXPECT_EQ(std::count(changes->at(2).payload.begin(), changes->at(2).payload.end(), ',') + 1, 50);
  DeliveryQuery q;
  q.limit = 1000;
  EXPECT_EQ(Outbox(world_->db(), clock_).List(province_, q)->size(), 452u);  // in the app each,
  // and the Thai person's SMS
}

TEST_F(OutboxTest, AnnouncementsReachEveryoneOnceInTheirLanguageWithMediaInTheFallback) {
  // District A: the Thai person and 24 more in A1 and A2 (Vietnamese); B1's person is outside.
  for (int i = 0; i < 24; ++i)
    ASSERT_TRUE(world_->AddPerson(i % 2 ? world_->commune_a2 : world_->commune_a1).ok());
  auto district = *world_->As(Role::kCommandOfficer, world_->district_a);
  ScriptedChannel sms;
  auto box = Make(nullptr, &sms);

  NewAnnouncement in;
  in.unit = world_->district_a.id;
  in.texts["en"] = {"Free testing", "Free tests this weekend at the market."};
  in.texts["vi"] = {"Xét nghiệm miễn phí", "Xét nghiệm miễn phí cuối tuần này tại chợ."};
  in.media = {{"image", "https://example.org/poster.png"}, {"link", "https://example.org/sites"}};
  in.link = "/me/tests";
  auto bad = in;
  bad.media[0].url = "http://example.org/poster.png";
  EXPECT_EQ(box->Announce(district, bad).status().field(), "media[0].url");
  bad = in;
  bad.texts.erase("en");
  EXPECT_EQ(box->Announce(district, bad).status().field(), "texts");
  bad = in;
  bad.texts["xx"] = {"a", "b"};
  EXPECT_EQ(box->Announce(district, bad).status().field(), "texts.xx");
  bad = in;
  bad.unit = world_->district_b.id;
  EXPECT_EQ(box->Announce(district, bad).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(box->Announce(citizen_, in).status().code(), Code::kPermissionDenied);

  auto a = box->Announce(district, in);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->recipients, 0);

  // Two servers write it in pages of 10; each page is claimed once, so everyone has it once.
  auto db2 = world_->OpenAgain();
  ASSERT_TRUE(db2.ok());
  Outbox other(**db2, clock_);
  int64_t by_other = 0, by_box = 0;
  std::thread t([&] { by_other = *other.FanOutDue(10, 100); });
  by_box = *box->FanOutDue(10, 100);
  t.join();
  EXPECT_EQ(by_box + by_other, 25);
  auto done = box->GetAnnouncement(province_, a->id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->recipients, 25);
  EXPECT_TRUE(done->done_at);
  EXPECT_EQ(box->FanOutDue(10, 100).value(), 0);
  EXPECT_EQ(box->GetAnnouncement(b1_officer_, a->id).status().code(), Code::kNotFound);
  EXPECT_EQ(box->Announcements(b1_officer_, 10, 0)->size(), 0u);
  EXPECT_EQ(box->Announcements(province_, 10, 0)->size(), 1u);

  // The Thai person reads the English (no Thai was written), with its media and link.
  auto mine = box->Mine(citizen_, 10, 0);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().language, "en");
  EXPECT_EQ(mine->front().kind, "announcement");
  EXPECT_EQ(mine->front().link, "/me/tests");
  ASSERT_EQ(mine->front().media.size(), 2u);
  EXPECT_EQ(mine->front().media[0].kind, "image");
  EXPECT_EQ(box->Mine(other_citizen_, 10, 0)->size(), 0u);
  auto vi = world_->db().Query(
      "SELECT COUNT(*) FROM outbox_message WHERE kind = 'announcement' AND language = 'vi'");
  EXPECT_EQ(vi->Int(0, 0), 24);

  // The SMS is the plain fallback: the words, then each medium's address.
  ASSERT_TRUE(box->DeliverDue(100).ok());
  ASSERT_EQ(sms.sent().size(), 1u);  // only the Thai person has a phone
  EXPECT_EQ(sms.sent()[0].text,
            "Free testing: Free tests this weekend at the market.\nhttps://example.org/poster.png\n"
            "https://example.org/sites");
}

}  // namespace
}  // namespace mekong::outbox
