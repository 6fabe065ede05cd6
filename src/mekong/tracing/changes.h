// What tracing publishes on the store's change feed, and how a follower applies it to an
// engine: every check-in write, from any process, reaches every server's index this way.
// Byte layouts: docs/formats/change-feed.md.
#pragma once

#include <span>
#include <string_view>

#include "mekong/store/feed.h"
#include "mekong/tracing/checkins.h"

namespace mekong::tracing {

class Engine;

inline constexpr std::string_view kStaysTopic = "tracing.stays";       // stays were written
inline constexpr std::string_view kTimeOutTopic = "tracing.time_out";  // stays' ends moved
inline constexpr std::string_view kRetentionTopic =
    "tracing.retention";  // stays ended before a cutoff are gone

struct TimeOutChange {
  PersonId person;
  VenueId venue;
  int64_t time_in = 0, old_time_out = 0, time_out = 0;
};

// Each appends one change to `tx`'s transaction (nothing for an empty list).
Status PublishStays(store::Executor& tx, std::span<const Stay> stays, int64_t now);
Status PublishTimeOuts(store::Executor& tx, std::span<const TimeOutChange> changes, int64_t now);
Status PublishRetention(store::Executor& tx, int64_t cutoff, int64_t now);

// Applies one change of a tracing topic to `engine`; invalid_argument for a payload that is
// not the layout its topic promises.
Status ApplyChange(Engine& engine, const store::Change& change);

}  // namespace mekong::tracing
