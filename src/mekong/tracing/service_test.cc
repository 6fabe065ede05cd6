// The tracing service through its public interface: access rules on writes, the engine kept
// current from the change feed whoever writes, and restarts from a snapshot plus the feed.
#include "mekong/tracing/service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "mekong/registry/testing.h"
#include "mekong/tracing/changes.h"

namespace mekong::tracing {
namespace {

using registry::Role;

const int64_t kNow = *ParseRfc3339("2026-11-23T12:00:00Z");

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = registry::testing::World::Make({&kModule}, kNow);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    world_ = std::move(w).value();
    options_.limits = {24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};
    options_.feed_poll_ms = 20;
    snapshot_ =
        (std::filesystem::temp_directory_path() / ("mekong-service-" + std::to_string(::getpid()) +
                                                   "-" + std::to_string(counter_++) + ".index"))
            .string();
  }
  void TearDown() override { std::filesystem::remove(snapshot_); }

  std::unique_ptr<Service> Make(bool with_snapshot = false) {
    ServiceOptions o = options_;
    if (with_snapshot) o.snapshot_path = snapshot_;
    return std::make_unique<Service>(world_->db(), clock_, o);
  }
  registry::Caller As(Role role, const registry::OrgUnit& unit,
                      std::optional<PersonId> person = std::nullopt) {
    auto c = world_->As(role, unit, person);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return *c;
  }
  // Waits up to a second for `ok`, polling.
  template <typename F>
  bool Eventually(F ok) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!ok()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  static inline int counter_ = 0;
  FixedClock clock_{kNow};
  ServiceOptions options_;
  std::string snapshot_;
  std::unique_ptr<registry::testing::World> world_;
};

TEST_F(ServiceTest, ACheckInIsInTheEngineWhenItReturns) {
  auto svc = Make();
  ASSERT_TRUE(svc->Start().ok());
  auto a = world_->AddPerson(world_->commune_a1), b = world_->AddPerson(world_->commune_a1);
  auto venue = world_->AddVenue(world_->commune_a1, 120);
  auto tracer = As(Role::kTracer, world_->district_a);
  for (auto p : {a->id, b->id}) {
    auto r =
        svc->CheckIn(tracer, {.venue = venue->id, .person = p, .time_in = kNow - kMillisPerHour});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  auto contacts = svc->Trace(a->id, kNow - kMillisPerDay, kNow, 15 * kMillisPerMinute, 1);
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].person, b->id);
  auto occupancy = svc->VenueOccupancy(tracer, venue->id, kNow, std::nullopt);
  ASSERT_TRUE(occupancy.ok()) << occupancy.status().ToString();
  EXPECT_EQ(occupancy->present, 2);
  // A check-out shortens the stay everywhere at once.
  auto mine = svc->PersonCheckins(tracer, a->id);
  ASSERT_EQ(mine->size(), 1u);
  ASSERT_TRUE(svc->CheckOut(tracer, (*mine)[0].id, kNow - 30 * kMillisPerMinute).ok());
  EXPECT_EQ(svc->VenueOccupancy(tracer, venue->id, kNow, std::nullopt)->present, 1);
}

TEST_F(ServiceTest, WritesFromAnotherProcessReachTheEngine) {
  auto svc = Make();
  ASSERT_TRUE(svc->Start().ok());
  auto a = world_->AddPerson(world_->commune_a1), b = world_->AddPerson(world_->commune_a1);
  auto venue = world_->AddVenue(world_->commune_a1);
  // `mekong import checkins` in another process: its own connections, its own service, never
  // started (no engine of its own).
  auto other_db = world_->OpenAgain();
  ASSERT_TRUE(other_db.ok());
  Service importer(**other_db, clock_, options_);
  std::string csv =
      "person_id,venue_id,time_in,time_out\n" + std::to_string(a->id.value) + "," +
      std::to_string(venue->id.value) + "," + FormatRfc3339(kNow - 2 * kMillisPerHour) + "," +
      FormatRfc3339(kNow - kMillisPerHour) + "\n" + std::to_string(b->id.value) + "," +
      std::to_string(venue->id.value) + "," + FormatRfc3339(kNow - 2 * kMillisPerHour) + ",\n";
  auto r = importer.Import(registry::SystemCaller(), csv, ImportFormat::kCsv, true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->imported, 2);
  EXPECT_TRUE(Eventually([&] {
    auto c = svc->Trace(a->id, kNow - kMillisPerDay, kNow, 15 * kMillisPerMinute, 1);
    return c.ok() && c->size() == 1;
  })) << "the server's engine did not see the import within a second";
  // Retention swept by the other process reaches this engine too.
  clock_.Advance(30 * kMillisPerDay);
  ASSERT_TRUE(importer.Sweep().ok());
  EXPECT_TRUE(Eventually([&] { return svc->engine_stats().checkins == 0; }));
}

TEST_F(ServiceTest, RestartsFromTheSnapshotAndTheFeedAfterIt) {
  auto a = world_->AddPerson(world_->commune_a1), b = world_->AddPerson(world_->commune_a1),
       c = world_->AddPerson(world_->commune_a1);
  auto venue = world_->AddVenue(world_->commune_a1);
  auto device = As(Role::kDevice, world_->commune_a1);
  {
    auto svc = Make(/*with_snapshot=*/true);
    auto from = svc->Start();
    ASSERT_TRUE(from.ok());
    EXPECT_EQ(*from, RestoredFrom::kStore);
    ASSERT_TRUE(
        svc->CheckIn(device,
                     {.venue = venue->id, .person = a->id, .time_in = kNow - 3 * kMillisPerHour})
            .ok());
    svc->Stop();  // writes the snapshot
  }
  ASSERT_TRUE(std::filesystem::exists(snapshot_));
  // While no server runs, another process checks two more people in.
  {
    auto other = world_->OpenAgain();
    Service cli(**other, clock_, options_);
    for (auto p : {b->id, c->id}) {
      ASSERT_TRUE(
          cli.CheckIn(device,
                      {.venue = venue->id, .person = p, .time_in = kNow - 3 * kMillisPerHour})
              .ok());
    }
  }
  auto svc = Make(true);
  auto from = svc->Start();
  ASSERT_TRUE(from.ok()) << from.status().ToString();
  EXPECT_EQ(*from, RestoredFrom::kSnapshot);
  EXPECT_EQ(svc->engine_stats().checkins, 3);
  auto contacts = svc->Trace(a->id, kNow - kMillisPerDay, kNow, 15 * kMillisPerMinute, 1);
  EXPECT_EQ(contacts->size(), 2u);
  svc->Stop();

  // A feed pruned past the snapshot makes it useless: the start rebuilds from the store.
  ASSERT_TRUE(world_->db()
                  .Transact([&](store::Executor& tx) -> Status {
                    RETURN_IF_ERROR(PublishRetention(tx, 0, kNow));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store::PruneChanges(world_->db(), kNow + 1).ok());
  {
    auto restarted = Make(true);
    auto again = restarted->Start();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, RestoredFrom::kStore);
    EXPECT_EQ(restarted->engine_stats().checkins, 3);
  }
}

TEST_F(ServiceTest, WritesCheckScope) {
  auto svc = Make();
  ASSERT_TRUE(svc->Start().ok());
  auto here = world_->AddPerson(world_->commune_a1), there = world_->AddPerson(world_->commune_b1);
  auto venue_here = world_->AddVenue(world_->commune_a1),
       venue_there = world_->AddVenue(world_->commune_b1);
  auto operator_a = As(Role::kVenueOperator, world_->district_a);
  // A venue outside the operator's unit.
  auto r = svc->CheckIn(operator_a, {.venue = venue_there->id, .person = here->id});
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  // A person outside the unit reads exactly like an id that does not exist: ids cannot be probed.
  auto outside = svc->CheckIn(operator_a, {.venue = venue_here->id, .person = there->id});
  auto missing = svc->CheckIn(operator_a, {.venue = venue_here->id, .person = PersonId(999999)});
  EXPECT_EQ(outside.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(outside.status().field(), "person_id");
  EXPECT_EQ(missing.status().field(), "person_id");
  auto words = [](const Status& s, PersonId id) {
    std::string m = s.message();
    return m.replace(m.find(std::to_string(id.value)), std::to_string(id.value).size(), "<id>");
  };
  EXPECT_EQ(words(outside.status(), there->id), words(missing.status(), PersonId(999999)));
  // A gate (trusted hardware) checks in whoever passes it, at its own venues (docs/access.md).
  auto gate = As(Role::kDevice, world_->commune_a1);
  EXPECT_TRUE(svc->CheckIn(gate, {.venue = venue_here->id, .person = there->id}).ok());
  // A citizen checks in only themself, only by the poster.
  auto citizen = As(Role::kCitizen, world_->commune_a1, here->id);
  auto poster = registry::PosterText(world_->db(), venue_here->id);
  EXPECT_EQ(svc->CheckIn(citizen, {.qr = *poster, .person = there->id}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc->CheckIn(citizen, {.venue = venue_here->id}).status().field(), "venue_id");
  EXPECT_TRUE(svc->CheckIn(citizen, {.qr = *poster}).ok());
  // A batch: lines at venues outside the caller's unit are rejected, the rest land.
  auto officer = As(Role::kCommandOfficer, world_->commune_a1);
  std::string ndjson = "{\"person_id\":" + std::to_string(here->id.value) +
                       ",\"venue_id\":" + std::to_string(venue_there->id.value) +
                       ",\"time_in\":\"" + FormatRfc3339(kNow - 5 * kMillisPerHour) + "\"}\n";
  auto batch = svc->Import(officer, ndjson, ImportFormat::kNdjson, false);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->imported, 0);
  ASSERT_EQ(batch->rejected.size(), 1u);
  EXPECT_EQ(batch->rejected[0].field, "venue_id");
  // A person outside the caller's unit is rejected exactly as an unknown one.
  auto line = [&](int64_t person) {
    return "{\"person_id\":" + std::to_string(person) +
           ",\"venue_id\":" + std::to_string(venue_here->id.value) + ",\"time_in\":\"" +
           FormatRfc3339(kNow - 4 * kMillisPerHour) + "\"}\n";
  };
  auto people =
      svc->Import(officer, line(there->id.value) + line(999999), ImportFormat::kNdjson, false);
  ASSERT_TRUE(people.ok());
  EXPECT_EQ(people->imported, 0);
  ASSERT_EQ(people->rejected.size(), 2u);
  EXPECT_EQ(people->rejected[0].field, people->rejected[1].field);
  EXPECT_EQ(people->rejected[0].reason, people->rejected[1].reason);
  // A gate's upload, like its check-ins, names anyone who passed.
  auto uploaded = svc->Import(gate, line(there->id.value), ImportFormat::kNdjson, false);
  ASSERT_TRUE(uploaded.ok());
  EXPECT_EQ(uploaded->imported, 1);
  // Roles without the capability are refused before anything is read.
  auto lab = As(Role::kLabTechnician, world_->province);
  EXPECT_EQ(svc->CheckIn(lab, {.venue = venue_here->id, .person = here->id}).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace mekong::tracing
