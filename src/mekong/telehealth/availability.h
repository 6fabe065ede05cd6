// The availability engine: an expert's free slots, from weekly hours kept in the expert's own
// time zone, shown in the reader's. Pure (ICU through core/zone.h for the zones; no store).
//
// Hours are wall-clock times in the expert's zone: "Monday 09:00-12:00 Europe/Berlin" is
// 08:00 UTC in winter and 07:00 UTC in summer, and a reader in Asia/Ho_Chi_Minh sees 15:00 and
// 14:00. Each window becomes an interval of real time (its start and end converted on the
// day), which is cut into slots of `slot_minutes` of elapsed time from the window's start.
// A wall time that a daylight-saving change skips means the first instant after the gap; one
// it repeats means the earlier instant.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::telehealth {

// One weekly opening: ISO weekday (1 = Monday .. 7 = Sunday), local minutes [start, end).
struct WeeklyHours {
  int weekday = 1;
  int start_minute = 0, end_minute = 0;  // 0..1440
  bool operator==(const WeeklyHours&) const = default;
};

// Whole days the expert (or the whole hospital) is closed: holidays, leave. Dates are the
// expert's local dates, inclusive.
struct Closure {
  std::string from_date, to_date;  // YYYY-MM-DD
  std::string reason;              // "Tết", "annual leave"
};

struct Interval {
  int64_t start = 0, end = 0;  // ms UTC, [start, end)
};

struct SlotRules {
  std::string zone;  // the expert's IANA zone
  std::vector<WeeklyHours> weekly;
  std::vector<Closure> closures;
  int slot_minutes = 30;
  int64_t min_notice_ms = 0;  // a slot starting sooner than this from now is not offered
};

struct Slot {
  int64_t start = 0, end = 0;     // ms UTC
  std::string local_date;         // YYYY-MM-DD in the reader's zone
  std::string local_time;         // HH:MM in the reader's zone
  int offset_minutes = 0;         // the reader's zone's UTC offset at `start`
  std::string expert_local_time;  // HH:MM in the expert's zone, for the expert's calendar
  bool operator==(const Slot&) const = default;
};

// The longest range FreeSlots answers for in one call.
inline constexpr int kMaxRangeDays = 62;

// invalid_argument naming the field ("weekly[2].end_minute") for a weekday outside 1..7, a
// minute outside 0..1440, an empty window, or two windows of one weekday that overlap; and
// for a slot length outside 5..480 minutes ("slot_minutes").
Status ValidateWeeklyHours(std::span<const WeeklyHours> weekly);
Status ValidateSlotMinutes(int slot_minutes);
// invalid_argument naming `field` unless `date` is a real YYYY-MM-DD date.
Result<int64_t> ParseDay(std::string_view date, std::string_view field);  // days since epoch
std::string FormatDay(int64_t days);

// The first instant whose wall-clock time in `zone` is at or after `minute` minutes into the
// local day `day` (days since the epoch). See the header comment for gaps and repeats.
Result<int64_t> LocalToUtc(std::string_view zone, int64_t day, int minute);

// The expert's free slots whose start falls on the reader's local dates [from_date, to_date]
// (inclusive, at most kMaxRangeDays), in `reader_zone`: inside weekly hours, outside
// closures, not overlapping `busy`, and starting at or after now + min_notice. By start time.
Result<std::vector<Slot>> FreeSlots(const SlotRules& rules, std::span<const Interval> busy,
                                    std::string_view reader_zone, std::string_view from_date,
                                    std::string_view to_date, int64_t now);

// Whether one slot start can be booked now, with the reason if not, each naming "start":
// invalid_argument in the past (or inside the notice period), outside the expert's hours, or
// not on a slot boundary; failed_precondition on a closed day; already_exists when `busy`
// overlaps it. On success, the slot's end.
Result<int64_t> CheckBookable(const SlotRules& rules, std::span<const Interval> busy, int64_t start,
                              int64_t now);

// "Mon 09:00-12:00, Wed 14:00-17:00 (Europe/Berlin)", for messages.
std::string DescribeHours(const SlotRules& rules);

}  // namespace mekong::telehealth
