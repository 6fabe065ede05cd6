#include "mekong/telehealth/availability.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "mekong/core/time.h"
#include "mekong/core/zone.h"

namespace mekong::telehealth {

namespace {

// ISO weekday of a day count: 1970-01-01 was a Thursday (4).
int Weekday(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string Hhmm(int64_t minute_of_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minute_of_day / 60),
                static_cast<int>(minute_of_day % 60));
  return buf;
}

// The wall clock in `zone` at `at`: local day and minute of day.
struct Wall {
  int64_t day = 0;
  int64_t minute = 0;
  int64_t offset_ms = 0;
};
Result<Wall> WallAt(std::string_view zone, int64_t at) {
  ASSIGN_OR_RETURN(int64_t offset, UtcOffsetMillis(zone, at));
  const int64_t local = at + offset;
  const int64_t day = FloorDiv(local, kMillisPerDay);
  return Wall{day, (local - day * kMillisPerDay) / kMillisPerMinute, offset};
}

bool Overlaps(const Interval& a, int64_t start, int64_t end) {
  return a.start < end && start < a.end;
}

// The closure covering local day `day`, if any.
const Closure* ClosedOn(const SlotRules& rules, int64_t day) {
  const std::string date = FormatDay(day);
  for (const auto& c : rules.closures) {
    if (c.from_date <= date && date <= c.to_date) return &c;
  }
  return nullptr;
}

// Calls fn(start, window) for every slot of the windows on the expert's local day `day`.
template <typename Fn>
Status ForEachSlot(const SlotRules& rules, int64_t day, Fn fn) {
  const int64_t slot_ms = int64_t{rules.slot_minutes} * kMillisPerMinute;
  const int wd = Weekday(day);
  for (const auto& w : rules.weekly) {
    if (w.weekday != wd) continue;
    ASSIGN_OR_RETURN(int64_t ws, LocalToUtc(rules.zone, day, w.start_minute));
    ASSIGN_OR_RETURN(int64_t we, LocalToUtc(rules.zone, day, w.end_minute));
    for (int64_t t = ws; t + slot_ms <= we; t += slot_ms) fn(t, Interval{ws, we});
  }
  return Status::Ok();
}

}  // namespace

Status ValidateSlotMinutes(int slot_minutes) {
  if (slot_minutes < 5 || slot_minutes > 480)
    return Status::InvalidArgument("must be 5 to 480 minutes", "slot_minutes");
  return Status::Ok();
}

Status ValidateWeeklyHours(std::span<const WeeklyHours> weekly) {
  for (size_t i = 0; i < weekly.size(); ++i) {
    const auto& w = weekly[i];
    const std::string at = "weekly[" + std::to_string(i) + "].";
    if (w.weekday < 1 || w.weekday > 7)
      return Status::InvalidArgument("must be 1 (Monday) to 7 (Sunday)", at + "weekday");
    if (w.start_minute < 0 || w.start_minute > 1440)
      return Status::InvalidArgument("must be 0 to 1440", at + "start_minute");
    if (w.end_minute < 0 || w.end_minute > 1440)
      return Status::InvalidArgument("must be 0 to 1440", at + "end_minute");
    if (w.end_minute <= w.start_minute)
      return Status::InvalidArgument("must be after start_minute", at + "end_minute");
    for (size_t j = 0; j < i; ++j) {
      const auto& o = weekly[j];
      if (o.weekday == w.weekday && o.start_minute < w.end_minute &&
          w.start_minute < o.end_minute) {
        return Status::InvalidArgument("overlaps weekly[" + std::to_string(j) + "]",
                                       at + "start_minute");
      }
    }
  }
  return Status::Ok();
}

Result<int64_t> ParseDay(std::string_view date, std::string_view field) {
  auto bad = [&] {
    return Status::InvalidArgument("must be a date, YYYY-MM-DD", std::string(field));
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  int v[3] = {0, 0, 0};
  const std::pair<size_t, size_t> parts[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int k = 0; k < 3; ++k) {
    for (size_t i = parts[k].first; i < parts[k].first + parts[k].second; ++i) {
      if (date[i] < '0' || date[i] > '9') return bad();
      v[k] = v[k] * 10 + (date[i] - '0');
    }
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return bad();
  const int64_t days = DaysFromCivil(v[0], v[1], v[2]);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y != v[0] || static_cast<int>(m) != v[1] || static_cast<int>(d) != v[2]) return bad();
  return days;
}

std::string FormatDay(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
  return buf;
}

Result<int64_t> LocalToUtc(std::string_view zone, int64_t day, int minute) {
  const int64_t wall = day * kMillisPerDay + int64_t{minute} * kMillisPerMinute;
  // The true instant is wall - offset with the offset within -12 h..+14 h, so these two
  // instants lie on either side of it, and of any one transition near it.
  ASSIGN_OR_RETURN(int64_t before, UtcOffsetMillis(zone, wall - 18 * kMillisPerHour));
  ASSIGN_OR_RETURN(int64_t after, UtcOffsetMillis(zone, wall + 18 * kMillisPerHour));
  int64_t best = INT64_MAX;
  for (int64_t offset : {before, after}) {
    const int64_t u = wall - offset;
    ASSIGN_OR_RETURN(int64_t actual, UtcOffsetMillis(zone, u));
    if (u + actual == wall) best = std::min(best, u);
  }
  if (best != INT64_MAX) return best;
  // In a gap (clocks went forward): the transition instant, the first after the gap.
  int64_t lo = wall - after, hi = wall - before;  // offset(lo) == before, offset(hi) == after
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    ASSIGN_OR_RETURN(int64_t o, UtcOffsetMillis(zone, mid));
    (o == before ? lo : hi) = mid;
  }
  return hi;
}

Result<std::vector<Slot>> FreeSlots(const SlotRules& rules, std::span<const Interval> busy,
                                    std::string_view reader_zone, std::string_view from_date,
                                    std::string_view to_date, int64_t now) {
  if (Status s = ValidateZone(reader_zone); !s.ok())
    return Status::InvalidArgument(s.message(), "zone");
  RETURN_IF_ERROR(ValidateSlotMinutes(rules.slot_minutes));
  ASSIGN_OR_RETURN(int64_t from, ParseDay(from_date, "from"));
  ASSIGN_OR_RETURN(int64_t to, ParseDay(to_date, "to"));
  if (to < from) return Status::InvalidArgument("must not be before from", "to");
  if (to - from + 1 > kMaxRangeDays)
    return Status::InvalidArgument(
        "the range is longer than " + std::to_string(kMaxRangeDays) + " days", "to");
  ASSIGN_OR_RETURN(int64_t range_start, LocalDayStart(reader_zone, FormatDay(from)));
  ASSIGN_OR_RETURN(int64_t range_end, LocalDayStart(reader_zone, FormatDay(to + 1)));
  ASSIGN_OR_RETURN(Wall first, WallAt(rules.zone, range_start));
  ASSIGN_OR_RETURN(Wall last, WallAt(rules.zone, range_end));
  const int64_t earliest = now + rules.min_notice_ms;
  const int64_t slot_ms = int64_t{rules.slot_minutes} * kMillisPerMinute;
  std::vector<int64_t> starts;
  for (int64_t day = first.day - 1; day <= last.day + 1; ++day) {
    if (ClosedOn(rules, day)) continue;
    RETURN_IF_ERROR(ForEachSlot(rules, day, [&](int64_t t, const Interval&) {
      if (t < range_start || t >= range_end || t < earliest) return;
      for (const auto& b : busy) {
        if (Overlaps(b, t, t + slot_ms)) return;
      }
      starts.push_back(t);
    }));
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<Slot> out;
  out.reserve(starts.size());
  for (int64_t t : starts) {
    ASSIGN_OR_RETURN(Wall reader, WallAt(reader_zone, t));
    ASSIGN_OR_RETURN(Wall expert, WallAt(rules.zone, t));
    out.push_back({t, t + slot_ms, FormatDay(reader.day), Hhmm(reader.minute),
                   static_cast<int>(reader.offset_ms / kMillisPerMinute), Hhmm(expert.minute)});
  }
  return out;
}

Result<int64_t> CheckBookable(const SlotRules& rules, std::span<const Interval> busy, int64_t start,
                              int64_t now) {
  RETURN_IF_ERROR(ValidateSlotMinutes(rules.slot_minutes));
  if (start < now) return Status::InvalidArgument("is in the past", "start");
  if (start < now + rules.min_notice_ms) {
    return Status::InvalidArgument("is sooner than the " +
                                       std::to_string(rules.min_notice_ms / kMillisPerMinute) +
                                       " minutes' notice the expert needs",
                                   "start");
  }
  const int64_t slot_ms = int64_t{rules.slot_minutes} * kMillisPerMinute;
  ASSIGN_OR_RETURN(Wall at, WallAt(rules.zone, start));
  bool on_slot = false, in_window = false;
  int64_t slot_day = at.day;
  for (int64_t day = at.day - 1; day <= at.day + 1; ++day) {
    RETURN_IF_ERROR(ForEachSlot(rules, day, [&](int64_t t, const Interval& w) {
      if (t == start) {
        on_slot = true;
        slot_day = day;
      }
      if (w.start <= start && start < w.end) in_window = true;
    }));
  }
  if (!on_slot) {
    if (in_window) {
      return Status::InvalidArgument("is not the start of a slot (slots of " +
                                         std::to_string(rules.slot_minutes) +
                                         " minutes from the opening time)",
                                     "start");
    }
    return Status::InvalidArgument("is outside the expert's hours: " + DescribeHours(rules),
                                   "start");
  }
  if (const Closure* c = ClosedOn(rules, slot_day)) {
    return Status::FailedPrecondition(
        "the expert is not available on " + FormatDay(slot_day) + " (" + c->reason + ")", "start");
  }
  for (const auto& b : busy) {
    if (Overlaps(b, start, start + slot_ms))
      return Status::AlreadyExists("this slot is already booked", "start");
  }
  return start + slot_ms;
}

std::string DescribeHours(const SlotRules& rules) {
  static constexpr const char* kDays[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::vector<WeeklyHours> sorted = rules.weekly;
  std::sort(sorted.begin(), sorted.end(), [](const WeeklyHours& a, const WeeklyHours& b) {
    return std::tie(a.weekday, a.start_minute) < std::tie(b.weekday, b.start_minute);
  });
  std::string out;
  for (const auto& w : sorted) {
    if (!out.empty()) out += ", ";
    out += std::string(kDays[w.weekday]) + " " + Hhmm(w.start_minute) + "-" + Hhmm(w.end_minute);
  }
  if (out.empty()) out = "no weekly hours";
  return out + " (" + rules.zone + ")";
}

}  // namespace mekong::telehealth
