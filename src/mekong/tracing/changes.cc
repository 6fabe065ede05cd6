#include "mekong/tracing/changes.h"

#include <cstring>
#include <vector>

#include "mekong/tracing/engine.h"

namespace mekong::tracing {

namespace {

// Little-endian int64 fields, as x86-64 and ARM64 lay them out.
void Put(std::string& out, int64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
int64_t Get(const char* p) {
  int64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

Status PublishStays(store::Executor& tx, std::span<const Stay> stays, int64_t now) {
  if (stays.empty()) return Status::Ok();
  std::string payload;
  payload.reserve(stays.size() * 32);
  for (const Stay& s : stays) {
    Put(payload, s.person.value);
    Put(payload, s.venue.value);
    Put(payload, s.time_in);
    Put(payload, s.time_out);
  }
  return store::Publish(tx, kStaysTopic, payload, now);
}

Status PublishTimeOuts(store::Executor& tx, std::span<const TimeOutChange> changes, int64_t now) {
  if (changes.empty()) return Status::Ok();
  std::string payload;
  payload.reserve(changes.size() * 40);
  for (const TimeOutChange& c : changes) {
    Put(payload, c.person.value);
    Put(payload, c.venue.value);
    Put(payload, c.time_in);
    Put(payload, c.old_time_out);
    Put(payload, c.time_out);
  }
  return store::Publish(tx, kTimeOutTopic, payload, now);
}

Status PublishRetention(store::Executor& tx, int64_t cutoff, int64_t now) {
  std::string payload;
  Put(payload, cutoff);
  return store::Publish(tx, kRetentionTopic, payload, now);
}

Status ApplyChange(Engine& engine, const store::Change& change) {
  const std::string& p = change.payload;
  auto bad = [&] {
    return Status::InvalidArgument("malformed " + change.topic + " payload", "payload");
  };
  if (change.topic == kStaysTopic) {
    if (p.size() % 32) return bad();
    std::vector<Stay> stays(p.size() / 32);
    for (size_t i = 0; i < stays.size(); ++i) {
      const char* at = p.data() + i * 32;
      stays[i] = {PersonId(Get(at)), VenueId(Get(at + 8)), Get(at + 16), Get(at + 24)};
    }
    return engine.Add(stays);
  }
  if (change.topic == kTimeOutTopic) {
    if (p.size() % 40) return bad();
    // One stay the index no longer holds (retention dropped it) does not keep the rest out.
    Status first = Status::Ok();
    for (size_t i = 0; i < p.size() / 40; ++i) {
      const char* at = p.data() + i * 40;
      Status s = engine.SetTimeOut(PersonId(Get(at)), VenueId(Get(at + 8)), Get(at + 16),
                                   Get(at + 24), Get(at + 32));
      if (first.ok() && !s.ok()) first = s;
    }
    return first;
  }
  if (change.topic == kRetentionTopic) {
    if (p.size() != 8) return bad();
    engine.DropEndedBefore(Get(p.data()));
    return Status::Ok();
  }
  return Status::InvalidArgument("not a tracing topic: " + change.topic, "topic");
}

}  // namespace mekong::tracing
