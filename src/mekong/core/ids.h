// Strong id types: a PersonId cannot be passed where a VenueId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace mekong {

template <typename Tag>
struct Id {
  int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  auto operator<=>(const Id&) const = default;
};

using OrgUnitId = Id<struct OrgUnitTag>;
using PersonId = Id<struct PersonTag>;
using VenueId = Id<struct VenueTag>;
using FacilityId = Id<struct FacilityTag>;
using UserId = Id<struct UserTag>;
using CheckinId = Id<struct CheckinTag>;
using CaseId = Id<struct CaseTag>;

}  // namespace mekong

template <typename Tag>
struct std::hash<mekong::Id<Tag>> {
  size_t operator()(const mekong::Id<Tag>& id) const noexcept {
    return std::hash<int64_t>{}(id.value);
  }
};
