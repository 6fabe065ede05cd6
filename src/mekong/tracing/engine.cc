#include "mekong/tracing/engine.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"

namespace mekong::tracing {

namespace {

int64_t DayOf(int64_t ms) { return ms >= 0 ? ms / kMillisPerDay : (ms - kMillisPerDay + 1) / kMillisPerDay; }

}  // namespace

// One stay: 12 bytes. Only `length` ever changes after the segment is published.
struct Entry {
  uint32_t person;
  uint32_t start;                 // milliseconds after the segment's day began
  std::atomic<uint32_t> length;   // milliseconds
};
static_assert(sizeof(Entry) == 12);

struct Engine::Segment {
  int64_t day = 0;        // DayOf(time_in) of every entry
  size_t size = 0;
  std::unique_ptr<Entry[]> entries;                  // by (venue, start, person)
  std::vector<std::pair<uint32_t, uint32_t>> venues;  // (venue, first entry), by venue
  std::vector<uint32_t> by_person;                   // entry positions by (person, start)
  // The latest end (ms after base) of each block of kBlock entries: a scan for stays overlapping
  // a time skips whole blocks that ended before it (a busy venue's morning, say). An upper
  // bound: check-outs only raise it (SetTimeOut), shortening leaves it high.
  static constexpr size_t kBlock = 32;
  std::unique_ptr<std::atomic<uint32_t>[]> block_end;
  std::vector<uint32_t> person_sample;  // the person at every kBlock-th position of by_person

  int64_t base() const { return day * kMillisPerDay; }
  int64_t In(size_t i) const { return base() + entries[i].start; }
  int64_t Out(size_t i) const { return In(i) + entries[i].length.load(std::memory_order_relaxed); }
  // The entries of `venue`: [first, last).
  std::pair<size_t, size_t> Venue(uint32_t venue) const {
    auto it = std::lower_bound(venues.begin(), venues.end(), std::pair{venue, uint32_t{0}});
    if (it == venues.end() || it->first != venue) return {0, 0};
    size_t last = it + 1 == venues.end() ? size : (it + 1)->second;
    return {it->second, last};
  }
  uint32_t VenueAt(size_t pos) const {
    auto it = std::upper_bound(venues.begin(), venues.end(), pos,
                               [](size_t p, const std::pair<uint32_t, uint32_t>& v) { return p < v.second; });
    return (it - 1)->first;
  }
  uint32_t PersonAt(size_t k) const { return entries[by_person[k]].person; }
  // Positions (in by_person) of `person`'s entries: bisection over every kBlock-th person id
  // (a small array that stays in cache), then within one block of by_person; a plain bisection
  // of by_person costs ~22 pairs of dependent cache misses per day.
  std::pair<size_t, size_t> Person(uint32_t person) const {
    size_t s = static_cast<size_t>(std::lower_bound(person_sample.begin(), person_sample.end(), person) -
                                   person_sample.begin());
    size_t lo = s == 0 ? 0 : (s - 1) * kBlock, hi = std::min(size, s * kBlock);
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (PersonAt(mid) < person) lo = mid + 1; else hi = mid;
    }
    size_t end = lo;
    while (end < size && PersonAt(end) == person) ++end;
    return {lo, end};
  }
  int64_t bytes() const {
    return static_cast<int64_t>(size * (sizeof(Entry) + 4) + venues.size() * 8 + Blocks() * 8);
  }
  size_t Blocks() const { return (size + kBlock - 1) / kBlock; }
  // The first entry at or after `i` in a block that may hold a stay ending after `t` (ms after base).
  size_t SkipEnded(size_t i, size_t hi, int64_t t) const {
    while (i < hi && static_cast<int64_t>(block_end[i / kBlock].load(std::memory_order_relaxed)) <= t) {
      i = (i / kBlock + 1) * kBlock;
    }
    return i;
  }
  void RaiseBlockEnd(size_t i) const {
    uint32_t end = entries[i].start + entries[i].length.load(std::memory_order_relaxed);
    auto& b = block_end[i / kBlock];
    for (uint32_t cur = b.load(std::memory_order_relaxed); cur < end && !b.compare_exchange_weak(cur, end);) {
    }
  }
  // The block ends and the person samples, from entries and by_person.
  void BuildBlocks() {
    block_end.reset(new std::atomic<uint32_t>[Blocks()]);
    for (size_t b = 0; b < Blocks(); ++b) block_end[b].store(0, std::memory_order_relaxed);
    for (size_t i = 0; i < size; ++i) RaiseBlockEnd(i);
    person_sample.resize(Blocks());
    for (size_t b = 0; b < Blocks(); ++b) person_sample[b] = PersonAt(b * kBlock);
  }

  // Builds from stays of one day (any order).
  static std::shared_ptr<Segment> Build(int64_t day, std::vector<Stay>& stays) {
    std::sort(stays.begin(), stays.end(), [](const Stay& a, const Stay& b) {
      return std::tie(a.venue.value, a.time_in, a.person.value, a.time_out) <
             std::tie(b.venue.value, b.time_in, b.person.value, b.time_out);
    });
    auto s = std::make_shared<Segment>();
    s->day = day;
    s->size = stays.size();
    s->entries.reset(new Entry[stays.size()]);
    for (size_t i = 0; i < stays.size(); ++i) {
      const Stay& st = stays[i];
      s->entries[i].person = static_cast<uint32_t>(st.person.value);
      s->entries[i].start = static_cast<uint32_t>(st.time_in - s->base());
      s->entries[i].length.store(static_cast<uint32_t>(st.time_out - st.time_in), std::memory_order_relaxed);
      if (i == 0 || stays[i - 1].venue != st.venue) {
        s->venues.emplace_back(static_cast<uint32_t>(st.venue.value), static_cast<uint32_t>(i));
      }
    }
    s->by_person.resize(stays.size());
    for (size_t i = 0; i < stays.size(); ++i) s->by_person[i] = static_cast<uint32_t>(i);
    std::sort(s->by_person.begin(), s->by_person.end(), [&](uint32_t a, uint32_t b) {
      return std::tie(s->entries[a].person, s->entries[a].start, a) <
             std::tie(s->entries[b].person, s->entries[b].start, b);
    });
    s->BuildBlocks();
    return s;
  }
  void AppendTo(std::vector<Stay>& out) const {
    for (const auto& [venue, first] : venues) {
      auto [lo, hi] = Venue(venue);
      for (size_t i = lo; i < hi; ++i) out.push_back({PersonId(entries[i].person), VenueId(venue), In(i), Out(i)});
    }
  }
};

struct Engine::State {
  // Segments by day; a day may have several (a big one and newer small ones).
  std::vector<std::shared_ptr<const Segment>> segments;
  int64_t cutoff = INT64_MIN;  // stays that ended before this are gone (retention)
  // The segments whose day lies in [from_day, to_day].
  template <typename Fn>
  void ForDays(int64_t from_day, int64_t to_day, Fn fn) const {
    auto it = std::lower_bound(segments.begin(), segments.end(), from_day,
                               [](const std::shared_ptr<const Segment>& s, int64_t d) { return s->day < d; });
    for (; it != segments.end() && (*it)->day <= to_day; ++it) fn(**it);
  }
};

Engine::Engine(int64_t max_stay_ms) : max_stay_ms_(max_stay_ms), state_(std::make_shared<const State>()) {}
Engine::~Engine() = default;

namespace {

Status CheckStay(const Stay& s, int64_t max_stay_ms) {
  if (s.person.value <= 0 || s.person.value > UINT32_MAX) return Status::InvalidArgument("out of range", "person_id");
  if (s.venue.value <= 0 || s.venue.value > UINT32_MAX) return Status::InvalidArgument("out of range", "venue_id");
  if (s.time_out < s.time_in) return Status::InvalidArgument("is before time_in", "time_out");
  if (s.time_out - s.time_in > max_stay_ms) return Status::InvalidArgument("makes the stay too long", "time_out");
  return Status::Ok();
}

}  // namespace

Status Engine::Load(std::span<const Stay> stays) { return Add(stays); }

Status Engine::LoadFromStore(store::Executor& ex) {
  // Paged by id: materialising 100 million rows at once would take tens of gigabytes.
  std::vector<Stay> stays;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, person_id, venue_id, time_in, time_out FROM checkin WHERE id > ? "
                                      "ORDER BY id LIMIT 1000000",
                                      {after}));
    for (size_t i = 0; i < r.size(); ++i) {
      stays.push_back({PersonId(r.Int(i, 1)), VenueId(r.Int(i, 2)), r.Int(i, 3), r.Int(i, 4)});
    }
    if (r.size() < 1000000) break;
    after = r.Int(r.size() - 1, 0);
  }
  return Add(stays);
}

Result<Engine::Digest> StoreDigest(store::Executor& ex, int64_t since) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT COUNT(*), CAST(COALESCE(SUM(time_in - ?), 0) AS BIGINT), "
                                    "CAST(COALESCE(SUM(time_out - ?), 0) AS BIGINT) FROM checkin WHERE time_out >= ?",
                                    {since, since, since}));
  return Engine::Digest{r.Int(0, 0), r.Int(0, 1), r.Int(0, 2)};
}

Engine::Digest Engine::DigestSince(int64_t since) const {
  auto state = Snapshot();
  Digest d;
  for (const auto& seg : state->segments) {
    for (size_t i = 0; i < seg->size; ++i) {
      int64_t out = seg->Out(i);
      if (out < since || out < state->cutoff) continue;
      ++d.count;
      d.sum_in += seg->In(i) - since;
      d.sum_out += out - since;
    }
  }
  return d;
}

int64_t Engine::cutoff() const { return Snapshot()->cutoff; }

void Engine::Clear() {
  std::lock_guard lock(writer_);
  state_.store(std::make_shared<const State>(), std::memory_order_release);
}


void Engine::AddDay(State& next, int64_t day, std::vector<Stay> stays) {
  // Merge with the day's newest segments while they are no more than twice the new one, so
  // a day ends up as a few segments of geometrically growing size.
  auto& segs = next.segments;
  auto first_of_day = std::lower_bound(segs.begin(), segs.end(), day,
                                       [](const std::shared_ptr<const Segment>& s, int64_t d) { return s->day < d; });
  auto end_of_day = first_of_day;
  while (end_of_day != segs.end() && (*end_of_day)->day == day) ++end_of_day;
  while (end_of_day != first_of_day && (*(end_of_day - 1))->size <= 2 * stays.size()) {
    (*(end_of_day - 1))->AppendTo(stays);
    end_of_day = segs.erase(end_of_day - 1);
  }
  segs.insert(end_of_day, Segment::Build(day, stays));
}

Status Engine::Add(std::span<const Stay> stays) {
  for (const auto& s : stays) RETURN_IF_ERROR(CheckStay(s, max_stay_ms_));
  std::map<int64_t, std::vector<Stay>> by_day;
  for (const auto& s : stays) by_day[DayOf(s.time_in)].push_back(s);
  std::lock_guard lock(writer_);
  auto next = std::make_shared<State>(*Snapshot());
  for (auto& [day, list] : by_day) AddDay(*next, day, std::move(list));
  state_.store(std::move(next), std::memory_order_release);
  return Status::Ok();
}

Status Engine::SetTimeOut(PersonId person, VenueId venue, int64_t time_in, int64_t old_time_out,
                          int64_t time_out) {
  RETURN_IF_ERROR(CheckStay({person, venue, time_in, time_out}, max_stay_ms_));
  std::lock_guard lock(writer_);
  auto state = Snapshot();
  bool found = false;
  state->ForDays(DayOf(time_in), DayOf(time_in), [&](const Segment& seg) {
    auto [lo, hi] = seg.Person(static_cast<uint32_t>(person.value));
    for (size_t k = lo; k < hi && !found; ++k) {
      uint32_t pos = seg.by_person[k];
      if (seg.In(pos) == time_in && seg.Out(pos) == old_time_out && seg.VenueAt(pos) == venue.value) {
        // Readers see the old or the new length, never a torn one; the block's end is raised
        // after, so a reader that skipped the block saw the old length.
        const_cast<Entry&>(seg.entries[pos]).length.store(static_cast<uint32_t>(time_out - time_in),
                                                          std::memory_order_relaxed);
        seg.RaiseBlockEnd(pos);
        found = true;
      }
    }
  });
  if (!found) return Status::NotFound("no such stay in the index", "time_in");
  return Status::Ok();
}

void Engine::DropEndedBefore(int64_t cutoff) {
  std::lock_guard lock(writer_);
  auto next = std::make_shared<State>(*Snapshot());
  next->cutoff = std::max(next->cutoff, cutoff);
  // A segment's stays all began before its day ended, so all ended before day end + max stay.
  std::erase_if(next->segments, [&](const std::shared_ptr<const Segment>& s) {
    return (s->day + 1) * kMillisPerDay + max_stay_ms_ < cutoff;
  });
  state_.store(std::move(next), std::memory_order_release);
}

std::vector<Stay> Engine::PersonStays(PersonId person, int64_t from, int64_t to) const {
  auto state = Snapshot();
  std::vector<Stay> out;
  state->ForDays(DayOf(from - max_stay_ms_), DayOf(to), [&](const Segment& seg) {
    auto [lo, hi] = seg.Person(static_cast<uint32_t>(person.value));
    for (size_t k = lo; k < hi; ++k) {
      uint32_t pos = seg.by_person[k];
      int64_t in = seg.In(pos), out_ = seg.Out(pos);
      if (out_ < state->cutoff || !(out_ > from && in < to)) continue;
      out.push_back({person, VenueId(seg.VenueAt(pos)), in, out_});
    }
  });
  std::sort(out.begin(), out.end(),
            [](const Stay& a, const Stay& b) { return std::tie(a.time_in, a.venue.value) < std::tie(b.time_in, b.venue.value); });
  return out;
}

std::vector<Contact> Engine::CloseContacts(PersonId person, int64_t window_start, int64_t window_end,
                                           int64_t min_overlap_ms) const {
  auto state = Snapshot();
  std::vector<std::pair<uint32_t, Exposure>> found;  // grouped by person below; cheaper than a map
  for (const Stay& c : PersonStays(person, window_start, window_end)) {
    // Everyone else at the venue whose stay overlaps this one: they began within max stay
    // before it ended, in a block that had not all ended by the time it began.
    state->ForDays(DayOf(c.time_in - max_stay_ms_), DayOf(c.time_out), [&](const Segment& seg) {
      auto [lo, hi] = seg.Venue(static_cast<uint32_t>(c.venue.value));
      if (lo == hi) return;
      int64_t from = std::max(c.time_in - max_stay_ms_, seg.base()) - seg.base();
      auto first = std::partition_point(&seg.entries[lo], &seg.entries[hi], [&](const Entry& e) {
        return static_cast<int64_t>(e.start) < from;
      });
      const int64_t began = c.time_in - seg.base();
      for (size_t i = seg.SkipEnded(static_cast<size_t>(first - &seg.entries[0]), hi, began); i < hi;) {
        int64_t in = seg.In(i);
        if (in >= c.time_out) break;
        int64_t out = seg.Out(i);
        if (seg.entries[i].person != person.value && out > c.time_in && out >= state->cutoff) {
          int64_t start = std::max({c.time_in, in, window_start});
          int64_t end = std::min({c.time_out, out, window_end});
          if (end - start >= min_overlap_ms) found.push_back({seg.entries[i].person, {c.venue, start, end}});
        }
        if (++i % Segment::kBlock == 0) i = seg.SkipEnded(i, hi, began);
      }
    });
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Contact> out;
  for (size_t i = 0; i < found.size();) {
    Contact& k = out.emplace_back();
    k.person = PersonId(found[i].first);
    for (; i < found.size() && found[i].first == k.person.value; ++i) k.exposures.push_back(found[i].second);
    SortExposures(k.exposures);
    for (const auto& e : k.exposures) {
      k.total_minutes += e.minutes();
      k.last_exposure_end = std::max(k.last_exposure_end, e.end);
    }
  }
  return out;
}

std::vector<Traced> Engine::Trace(PersonId person, int64_t window_start, int64_t window_end, int64_t min_overlap_ms,
                                  int depth) const {
  // The same walk as tracing::Trace, over the index.
  std::set<int64_t> seen = {person.value};
  std::map<int64_t, std::vector<PersonId>> chains = {{person.value, {person}}};
  std::vector<std::pair<PersonId, int64_t>> frontier = {{person, window_start}};
  std::vector<Traced> out;
  for (int hop = 1; hop <= depth && !frontier.empty(); ++hop) {
    std::map<int64_t, Traced> found;
    for (const auto& [parent, start] : frontier) {
      for (auto& c : CloseContacts(parent, start, window_end, min_overlap_ms)) {
        if (seen.count(c.person.value)) continue;
        int64_t first = c.exposures.front().start;
        auto it = found.find(c.person.value);
        if (it != found.end() && (it->second.exposure_start < first ||
                                  (it->second.exposure_start == first && it->second.via < parent))) {
          continue;
        }
        found[c.person.value] = Traced{c.person, hop, parent, first, std::move(c.exposures), {}};
      }
    }
    frontier.clear();
    for (auto& [id, t] : found) {
      seen.insert(id);
      t.chain = chains[t.via.value];
      t.chain.push_back(t.person);
      chains[id] = t.chain;
      frontier.emplace_back(t.person, t.exposure_start);
      out.push_back(std::move(t));
    }
  }
  return out;
}

int64_t Engine::OccupancyAt(VenueId venue, int64_t at) const {
  auto state = Snapshot();
  int64_t n = 0;
  state->ForDays(DayOf(at - max_stay_ms_), DayOf(at), [&](const Segment& seg) {
    auto [lo, hi] = seg.Venue(static_cast<uint32_t>(venue.value));
    for (size_t i = seg.SkipEnded(lo, hi, at - seg.base()); i < hi;) {
      int64_t in = seg.In(i);
      if (in > at) break;
      int64_t out = seg.Out(i);
      if (out > at && out >= state->cutoff) ++n;
      if (++i % Segment::kBlock == 0) i = seg.SkipEnded(i, hi, at - seg.base());
    }
  });
  return n;
}

DayOccupancy Engine::OccupancyOnDay(VenueId venue, int64_t day_start) const {
  auto state = Snapshot();
  const int64_t day_end = day_start + kMillisPerDay;
  std::vector<std::pair<int64_t, int>> events;  // (time, +1 arrive / -1 leave); leaving first at a tie
  DayOccupancy d;
  state->ForDays(DayOf(day_start - max_stay_ms_), DayOf(day_end - 1), [&](const Segment& seg) {
    auto [lo, hi] = seg.Venue(static_cast<uint32_t>(venue.value));
    for (size_t i = lo; i < hi; ++i) {
      int64_t in = seg.In(i), out = seg.Out(i);
      if (in >= day_end || out <= day_start || out < state->cutoff || out == in) continue;
      ++d.distinct_visits;
      events.emplace_back(std::max(in, day_start), +1);
      events.emplace_back(std::min(out, day_end), -1);
    }
  });
  std::sort(events.begin(), events.end());
  d.by_hour.assign(24, 0);
  int64_t now = 0;
  size_t e = 0;
  for (int h = 0; h < 24; ++h) {
    int64_t hour_start = day_start + h * kMillisPerHour, hour_end = hour_start + kMillisPerHour;
    while (e < events.size() && events[e].first <= hour_start) now += events[e++].second;
    d.by_hour[h] = now;
    while (e < events.size() && events[e].first < hour_end) {
      now += events[e].second;
      if (now > d.peak) d.peak = now, d.peak_at = events[e].first;
      ++e;
      d.by_hour[h] = std::max(d.by_hour[h], now);
    }
    if (d.by_hour[h] > d.peak) d.peak = d.by_hour[h], d.peak_at = hour_start;
  }
  return d;
}

std::vector<SelfCheckMatch> Engine::SelfCheck(PersonId person, std::span<const Stay> case_stays,
                                              int64_t min_overlap_ms) const {
  std::vector<SelfCheckMatch> out;
  if (case_stays.empty()) return out;
  int64_t from = INT64_MAX, to = INT64_MIN;
  for (const auto& c : case_stays) from = std::min(from, c.time_in), to = std::max(to, c.time_out);
  for (const Stay& mine : PersonStays(person, from, to)) {
    for (const auto& c : case_stays) {
      if (c.venue != mine.venue || c.person == person) continue;
      int64_t start = std::max(c.time_in, mine.time_in), end = std::min(c.time_out, mine.time_out);
      if (end > start && end - start >= min_overlap_ms) out.push_back({mine.venue, start, end});
    }
  }
  std::sort(out.begin(), out.end(), [](const SelfCheckMatch& a, const SelfCheckMatch& b) {
    return std::tie(a.start, a.end, a.venue.value) < std::tie(b.start, b.end, b.venue.value);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const SelfCheckMatch& a, const SelfCheckMatch& b) {
                          return a.start == b.start && a.end == b.end && a.venue == b.venue;
                        }),
            out.end());
  return out;
}

Engine::Stats Engine::stats() const {
  auto state = Snapshot();
  Stats s;
  for (const auto& seg : state->segments) {
    s.checkins += static_cast<int64_t>(seg->size);
    s.bytes += seg->bytes();
  }
  s.segments = static_cast<int64_t>(state->segments.size());
  return s;
}

// Snapshot file: "MKIX1\n", then per segment: day, size, venue count, entries, venues, person
// order; then the cutoff and a SHA-256 of everything before it. Written to a temporary name and
// renamed, so a crash leaves the old snapshot.
Status Engine::SaveSnapshot(const std::string& path, int64_t feed_seq) const {
  auto state = Snapshot();
  std::string buf = "MKIX2\n";
  auto put = [&](const void* p, size_t n) { buf.append(static_cast<const char*>(p), n); };
  put(&feed_seq, 8);
  uint64_t count = state->segments.size();
  put(&count, 8);
  for (const auto& seg : state->segments) {
    uint64_t head[3] = {static_cast<uint64_t>(seg->day), seg->size, seg->venues.size()};
    put(head, sizeof head);
    for (size_t i = 0; i < seg->size; ++i) {
      uint32_t e[3] = {seg->entries[i].person, seg->entries[i].start,
                       seg->entries[i].length.load(std::memory_order_relaxed)};
      put(e, sizeof e);
    }
    put(seg->venues.data(), seg->venues.size() * 8);
    put(seg->by_person.data(), seg->by_person.size() * 4);
  }
  put(&state->cutoff, 8);
  std::string digest = Sha256(buf);
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    f.write(digest.data(), static_cast<std::streamsize>(digest.size()));
    if (!f) return Status::Unavailable("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::Unavailable("cannot rename to " + path);
  return Status::Ok();
}

Result<int64_t> Engine::LoadSnapshot(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound("no snapshot at " + path, "snapshot");
  std::string buf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (buf.size() < 6 + 8 + 8 + 8 + 32 || buf.compare(0, 6, "MKIX2\n") != 0) {
    return Status::InvalidArgument("not a Mekong index snapshot (version 2)", "snapshot");
  }
  std::string body = buf.substr(0, buf.size() - 32);
  if (Sha256(body) != buf.substr(buf.size() - 32)) return Status::InvalidArgument("checksum mismatch", "snapshot");
  size_t at = 6;
  auto get = [&](void* p, size_t n) -> bool {
    if (at + n > body.size()) return false;
    std::memcpy(p, body.data() + at, n);
    at += n;
    return true;
  };
  auto next = std::make_shared<State>();
  int64_t feed_seq = 0;
  uint64_t count = 0;
  if (!get(&feed_seq, 8) || !get(&count, 8)) return Status::InvalidArgument("truncated", "snapshot");
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t head[3];
    if (!get(head, sizeof head) || head[1] > body.size() / 12 || head[2] > body.size() / 8) {
      return Status::InvalidArgument("truncated", "snapshot");
    }
    auto seg = std::make_shared<Segment>();
    seg->day = static_cast<int64_t>(head[0]);
    seg->size = head[1];
    seg->entries.reset(new Entry[seg->size]);
    for (size_t i = 0; i < seg->size; ++i) {
      uint32_t e[3];
      if (!get(e, sizeof e)) return Status::InvalidArgument("truncated", "snapshot");
      seg->entries[i].person = e[0];
      seg->entries[i].start = e[1];
      seg->entries[i].length.store(e[2], std::memory_order_relaxed);
    }
    seg->venues.resize(head[2]);
    seg->by_person.resize(seg->size);
    if (!get(seg->venues.data(), head[2] * 8) || !get(seg->by_person.data(), seg->size * 4)) {
      return Status::InvalidArgument("truncated", "snapshot");
    }
    seg->BuildBlocks();
    next->segments.push_back(std::move(seg));
  }
  if (!get(&next->cutoff, 8) || at != body.size()) return Status::InvalidArgument("bad length", "snapshot");
  std::lock_guard lock(writer_);
  state_.store(std::move(next), std::memory_order_release);
  return feed_seq;
}

}  // namespace mekong::tracing
