#include "mekong/tracing/engine.h"

#include <algorithm>
#include <bit>
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

int64_t DayOf(int64_t ms) {
  return ms >= 0 ? ms / kMillisPerDay : (ms - kMillisPerDay + 1) / kMillisPerDay;
}

}  // namespace

// One stay: 12 bytes. Only `length` ever changes after the segment is published.
struct Entry {
  uint32_t person;
  uint32_t start;                // milliseconds after the segment's day began
  std::atomic<uint32_t> length;  // milliseconds
};
static_assert(sizeof(Entry) == 12);

struct Engine::Segment {
  int64_t day = 0;  // DayOf(time_in) of every entry
  size_t size = 0;
  std::unique_ptr<Entry[]> entries;                   // by (venue, start, person)
  std::vector<std::pair<uint32_t, uint32_t>> venues;  // (venue, first entry), by venue
  std::vector<uint32_t> by_person;                    // entry positions by (person, start)
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
    auto it = std::upper_bound(
        venues.begin(), venues.end(), pos,
        [](size_t p, const std::pair<uint32_t, uint32_t>& v) { return p < v.second; });
    return (it - 1)->first;
  }
  uint32_t PersonAt(size_t k) const { return entries[by_person[k]].person; }
  // Positions (in by_person) of `person`'s entries: bisection over every kBlock-th person id
  // (a small array that stays in cache), then within one block of by_person; a plain bisection
  // of by_person costs ~22 pairs of dependent cache misses per day.
  std::pair<size_t, size_t> Person(uint32_t person) const {
    size_t s =
        static_cast<size_t>(std::lower_bound(person_sample.begin(), person_sample.end(), person) -
                            person_sample.begin());
    size_t lo = s == 0 ? 0 : (s - 1) * kBlock, hi = std::min(size, s * kBlock);
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (PersonAt(mid) < person)
        lo = mid + 1;
      else
        hi = mid;
    }
    size_t end = lo;
    while (end < size && PersonAt(end) == person) ++end;
    return {lo, end};
  }
  int64_t bytes() const {
    return static_cast<int64_t>(size * (sizeof(Entry) + 4) + venues.size() * 8 + Blocks() * 8);
  }
  size_t Blocks() const { return (size + kBlock - 1) / kBlock; }
  // The first entry at or after `i` in a block that may hold a stay ending after `t` (ms after
  // base).
  size_t SkipEnded(size_t i, size_t hi, int64_t t) const {
    while (i < hi &&
           static_cast<int64_t>(block_end[i / kBlock].load(std::memory_order_relaxed)) <= t) {
      i = (i / kBlock + 1) * kBlock;
    }
    return i;
  }
  void RaiseBlockEnd(size_t i) const {
    uint32_t end = entries[i].start + entries[i].length.load(std::memory_order_relaxed);
    auto& b = block_end[i / kBlock];
    for (uint32_t cur = b.load(std::memory_order_relaxed);
         cur < end && !b.compare_exchange_weak(cur, end);) {
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
      s->entries[i].length.store(static_cast<uint32_t>(st.time_out - st.time_in),
                                 std::memory_order_relaxed);
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
      for (size_t i = lo; i < hi; ++i)
        out.push_back({PersonId(entries[i].person), VenueId(venue), In(i), Out(i)});
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
    auto it = std::lower_bound(
        segments.begin(), segments.end(), from_day,
        [](const std::shared_ptr<const Segment>& s, int64_t d) { return s->day < d; });
    for (; it != segments.end() && (*it)->day <= to_day; ++it) fn(**it);
  }
};

Engine::Engine(int64_t max_stay_ms)
    : max_stay_ms_(max_stay_ms), state_(std::make_shared<const State>()) {}
Engine::~Engine() = default;

namespace {

Status CheckStay(const Stay& s, int64_t max_stay_ms) {
  if (s.person.value <= 0 || s.person.value > UINT32_MAX)
    return Status::InvalidArgument("out of range", "person_id");
  if (s.venue.value <= 0 || s.venue.value > UINT32_MAX)
    return Status::InvalidArgument("out of range", "venue_id");
  if (s.time_out < s.time_in) return Status::InvalidArgument("is before time_in", "time_out");
  if (s.time_out - s.time_in > max_stay_ms)
    return Status::InvalidArgument("makes the stay too long", "time_out");
  return Status::Ok();
}

}  // namespace

Status Engine::Load(std::span<const Stay> stays) { return Add(stays); }

Status Engine::LoadFromStore(store::Executor& ex) {
  // Paged by id: materialising 100 million rows at once would take tens of gigabytes.
  std::vector<Stay> stays;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(
        auto r,
        ex.Query("SELECT id, person_id, venue_id, time_in, time_out FROM checkin WHERE id > ? "
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
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(
          "SELECT COUNT(*), CAST(COALESCE(SUM(time_in - ?), 0) AS BIGINT), "
          "CAST(COALESCE(SUM(time_out - ?), 0) AS BIGINT) FROM checkin WHERE time_out >= ? AND "
          "time_out > time_in",
          {since, since, since}));
  return Engine::Digest{r.Int(0, 0), r.Int(0, 1), r.Int(0, 2)};
}

Engine::Digest Engine::DigestSince(int64_t since) const {
  auto state = Snapshot();
  Digest d;
  for (const auto& seg : state->segments) {
    for (size_t i = 0; i < seg->size; ++i) {
      int64_t out = seg->Out(i);
      // A stay of no length overlaps nothing: a merged record's emptied copies are not counted.
      if (out < since || out < state->cutoff || out == seg->In(i)) continue;
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
  auto first_of_day = std::lower_bound(
      segs.begin(), segs.end(), day,
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
      if (seg.In(pos) == time_in && seg.Out(pos) == old_time_out &&
          seg.VenueAt(pos) == venue.value) {
        // Readers see the old or the new length, never a torn one; the block's end is raised
        // after, so a reader that skipped the block saw the old length.
        const_cast<Entry&>(seg.entries[pos])
            .length.store(static_cast<uint32_t>(time_out - time_in), std::memory_order_relaxed);
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
  return PersonStaysIn(*Snapshot(), person, from, to);
}

std::vector<Stay> Engine::PersonStaysIn(const State& state, PersonId person, int64_t from,
                                        int64_t to) const {
  std::vector<Stay> out;
  state.ForDays(DayOf(from - max_stay_ms_), DayOf(to), [&](const Segment& seg) {
    auto [lo, hi] = seg.Person(static_cast<uint32_t>(person.value));
    for (size_t k = lo; k < hi; ++k) {
      uint32_t pos = seg.by_person[k];
      int64_t in = seg.In(pos), out_ = seg.Out(pos);
      if (out_ < state.cutoff || !(out_ > from && in < to)) continue;
      out.push_back({person, VenueId(seg.VenueAt(pos)), in, out_});
    }
  });
  std::sort(out.begin(), out.end(), [](const Stay& a, const Stay& b) {
    return std::tie(a.time_in, a.venue.value) < std::tie(b.time_in, b.venue.value);
  });
  return out;
}

Status Budget::Check() const {
  if (deadline == Clock::time_point::max() && !stop_at) return Status::Ok();
  const auto now = Clock::now();
  if (stop_at) {
    int64_t at = stop_at->load(std::memory_order_relaxed);
    if (at != 0 && now.time_since_epoch().count() >= at) {
      return Status::Unavailable("the server is shutting down; the query was cancelled");
    }
  }
  if (now >= deadline) {
    return Status::ResourceExhausted(
        "the query ran past its deadline (tracing.query_deadline_seconds); narrow the window or "
        "lower the depth");
  }
  return Status::Ok();
}

std::vector<PersonId> TraceResult::Chain(size_t i) const {
  std::vector<PersonId> chain = {items[i].person};
  for (const Item* at = &items[i]; at->hop > 1;) {
    // Items are ordered by (hop, person): the parent is one bisection away.
    auto it = std::lower_bound(items.begin(), items.end(), std::pair{at->hop - 1, at->via.value},
                               [](const Item& a, const std::pair<int, int64_t>& key) {
                                 return std::pair{a.hop, a.person.value} < key;
                               });
    if (it == items.end() || it->person != at->via)
      break;  // not reachable: a parent is always listed
    at = &*it;
    chain.push_back(at->person);
  }
  chain.push_back(origin);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

Traced TraceResult::At(size_t i) const {
  auto e = ExposuresOf(i);
  return Traced{items[i].person,
                items[i].hop,
                items[i].via,
                items[i].exposure_start,
                std::vector<Exposure>(e.begin(), e.end()),
                Chain(i)};
}

std::vector<Traced> TraceResult::ToTraced() const {
  std::vector<Traced> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) out.push_back(At(i));
  return out;
}

namespace {

// Sorts (person, exposure) pairs by person, then in SortExposures order.
void SortFound(std::vector<std::pair<uint32_t, Exposure>>& found) {
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.start, a.second.end, a.second.venue.value) <
           std::tie(b.first, b.second.start, b.second.end, b.second.venue.value);
  });
}

// Open addressing over person ids (never 0), linear probing: the per-query sets of a
// multi-hop search, where std::set and std::map cost more than the search itself.
template <typename V>
class PersonMap {
 public:
  explicit PersonMap(size_t expected = 64) {
    Rehash(std::bit_ceil(std::max<size_t>(16, expected * 2)));
  }
  V* Find(uint32_t key) {
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == 0) return nullptr;
    }
  }
  bool Contains(uint32_t key) { return Find(key) != nullptr; }
  // The value for `key`, default-made when new; `*inserted` says which.
  V& Insert(uint32_t key, bool* inserted = nullptr) {
    if ((size_ + 1) * 2 > keys_.size()) Rehash(keys_.size() * 2);
    size_t i = Slot(key);
    for (; keys_[i] != 0 && keys_[i] != key; i = (i + 1) & mask_) {
    }
    bool fresh = keys_[i] == 0;
    if (fresh) keys_[i] = key, values_[i] = V{}, ++size_;
    if (inserted) *inserted = fresh;
    return values_[i];
  }
  size_t size() const { return size_; }

 private:
  size_t Slot(uint32_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  void Rehash(size_t capacity) {
    std::vector<uint32_t> keys(capacity, 0);
    std::vector<V> values(capacity);
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
    for (size_t j = 0; j < keys_.size(); ++j) {
      if (keys_[j] == 0) continue;
      size_t i = Slot(keys_[j]);
      while (keys[i] != 0) i = (i + 1) & mask_;
      keys[i] = keys_[j];
      values[i] = std::move(values_[j]);
    }
    keys_ = std::move(keys);
    values_ = std::move(values);
  }
  std::vector<uint32_t> keys_;
  std::vector<V> values_;
  size_t size_ = 0, mask_ = 0;
  int shift_ = 64;
};

struct Empty {};

}  // namespace

void Engine::CollectContacts(const State& state, PersonId person, int64_t window_start,
                             int64_t window_end, int64_t min_overlap_ms,
                             std::vector<std::pair<uint32_t, Exposure>>& found) const {
  for (const Stay& c : PersonStaysIn(state, person, window_start, window_end)) {
    // Everyone else at the venue whose stay overlaps this one: they began within max stay
    // before it ended, in a block that had not all ended by the time it began.
    state.ForDays(DayOf(c.time_in - max_stay_ms_), DayOf(c.time_out), [&](const Segment& seg) {
      auto [lo, hi] = seg.Venue(static_cast<uint32_t>(c.venue.value));
      if (lo == hi) return;
      int64_t from = std::max(c.time_in - max_stay_ms_, seg.base()) - seg.base();
      auto first = std::partition_point(&seg.entries[lo], &seg.entries[hi], [&](const Entry& e) {
        return static_cast<int64_t>(e.start) < from;
      });
      const int64_t began = c.time_in - seg.base();
      for (size_t i = seg.SkipEnded(static_cast<size_t>(first - &seg.entries[0]), hi, began);
           i < hi;) {
        int64_t in = seg.In(i);
        if (in >= c.time_out) break;
        int64_t out = seg.Out(i);
        if (seg.entries[i].person != person.value && out > c.time_in && out >= state.cutoff) {
          int64_t start = std::max({c.time_in, in, window_start});
          int64_t end = std::min({c.time_out, out, window_end});
          if (end - start >= min_overlap_ms)
            found.push_back({seg.entries[i].person, {c.venue, start, end}});
        }
        if (++i % Segment::kBlock == 0) i = seg.SkipEnded(i, hi, began);
      }
    });
  }
  SortFound(found);
}

std::vector<Contact> Engine::CloseContacts(PersonId person, int64_t window_start,
                                           int64_t window_end, int64_t min_overlap_ms) const {
  auto state = Snapshot();
  std::vector<std::pair<uint32_t, Exposure>> found;  // grouped by person below; cheaper than a map
  CollectContacts(*state, person, window_start, window_end, min_overlap_ms, found);
  std::vector<Contact> out;
  for (size_t i = 0; i < found.size();) {
    Contact& k = out.emplace_back();
    k.person = PersonId(found[i].first);
    for (; i < found.size() && found[i].first == k.person.value; ++i)
      k.exposures.push_back(found[i].second);
    for (const auto& e : k.exposures) {
      k.total_minutes += e.minutes();
      k.last_exposure_end = std::max(k.last_exposure_end, e.end);
    }
  }
  return out;
}

// One hop of multi-hop tracing over the whole frontier at once.
//
// The reference (tracing::Trace) runs CloseContacts for each frontier person p from their own
// exposure start s_p, and gives each new person q the parent whose exposure to q began first
// (ties: the lower parent id). Here the frontier's stays c are clipped to [a, b) = [max(in,
// s_p), min(out, window end)) and grouped by venue into runs whose stays overlap; each run
// reads its venue's entries o once, sorted by time in, and sweeps them:
//
// - parents whose clipped stay began at or before o's time in (a <= o.in) all expose q from
//   o.in on, so the best is the lowest parent id among them still present long enough
//   (b >= o.in + M): a min-heap by parent id, entries leaving when that fails, for good, as
//   o.in only grows;
// - failing that, the parent whose clipped stay began first after o.in (and early enough to
//   give M minutes): the next ones in (a, parent) order.
//
// A second pass over the entries that had any parent collects every exposure between q and
// their chosen parent, exactly as CloseContacts would list them. Each frontier stay is in one
// run and each venue entry is read once per run it overlaps.
class Engine::HopSearch {
 public:
  HopSearch(const Engine& engine, const State& state, int64_t window_end, int64_t min_overlap_ms,
            const Budget& budget, PersonMap<Empty>& seen)
      : e_(engine),
        state_(state),
        we_(window_end),
        m_(min_overlap_ms),
        budget_(budget),
        seen_(seen) {}

  // `frontier`: (person, own exposure start), by person. Appends the hop's people (by person
  // id) to `out` and returns the next frontier.
  Result<std::vector<std::pair<uint32_t, int64_t>>> Run(
      const std::vector<std::pair<uint32_t, int64_t>>& frontier, int hop, TraceResult& out) {
    RETURN_IF_ERROR(CollectFrontierStays(frontier));
    std::sort(stays_.begin(), stays_.end(), [](const FStay& x, const FStay& y) {
      return std::tie(x.venue, x.ci) < std::tie(y.venue, y.ci);
    });
    for (size_t g = 0; g < stays_.size();) {
      size_t e = g + 1;
      int64_t right = stays_[g].co;
      while (e < stays_.size() && stays_[e].venue == stays_[g].venue && stays_[e].ci <= right) {
        right = std::max(right, stays_[e].co);
        ++e;
      }
      RETURN_IF_ERROR(SweepRun(g, e, stays_[g].ci, right));
      g = e;
    }
    // Every exposure of each new person to their chosen parent.
    std::vector<std::pair<uint32_t, Exposure>> found;
    for (const Kept& k : kept_) {
      const Best& b = *best_.Find(k.person);
      const Run_& run = runs_[k.run];
      auto lo = std::lower_bound(stays_.begin() + run.first, stays_.begin() + run.last, b.parent,
                                 [](const FStay& c, uint32_t p) { return c.person < p; });
      for (auto c = lo; c != stays_.begin() + run.last && c->person == b.parent; ++c) {
        if (Valid(*c, k.in, k.out)) {
          found.push_back(
              {k.person, {VenueId(c->venue), std::max(c->a, k.in), std::min(c->b, k.out)}});
        }
      }
    }
    SortFound(found);
    std::vector<std::pair<uint32_t, int64_t>> next;
    for (size_t i = 0; i < found.size();) {
      uint32_t q = found[i].first;
      const Best& b = *best_.Find(q);
      TraceResult::Item item{PersonId(q),
                             hop,
                             PersonId(b.parent),
                             found[i].second.start,
                             static_cast<uint32_t>(out.exposures.size()),
                             0};
      for (; i < found.size() && found[i].first == q; ++i) out.exposures.push_back(found[i].second);
      item.count = static_cast<uint32_t>(out.exposures.size() - item.first);
      out.items.push_back(item);
      next.emplace_back(q, item.exposure_start);
    }
    for (const auto& [q, _] : next) seen_.Insert(q);
    return next;
  }

 private:
  struct FStay {
    uint32_t venue, person;
    int64_t ci, co;  // the parent's stay
    int64_t a, b;    // clipped to [parent's exposure start, window end)
  };
  struct Entry_ {
    int64_t in, out;
    uint32_t person;
  };
  struct Kept {
    uint32_t run, person;
    int64_t in, out;
  };
  struct Run_ {
    size_t first, last;
  };
  struct Best {
    int64_t start = INT64_MAX;
    uint32_t parent = 0;
  };

  Status Tick() {
    if ((++ticks_ & 4095) != 0) return Status::Ok();
    return budget_.Check();
  }

  // Exactly CloseContacts' test for the parent's stay c and q's stay [in, out).
  bool Valid(const FStay& c, int64_t in, int64_t out) const {
    return out > c.ci && in < c.co && std::min(c.b, out) - std::max(c.a, in) >= m_;
  }

  // The frontier's stays in their windows (Engine::PersonStays for each), segment by segment.
  Status CollectFrontierStays(const std::vector<std::pair<uint32_t, int64_t>>& frontier) {
    int64_t earliest = INT64_MAX;
    for (const auto& [_, s] : frontier) earliest = std::min(earliest, s);
    Status status;
    state_.ForDays(DayOf(earliest - e_.max_stay_ms_), DayOf(we_), [&](const Segment& seg) {
      if (!status.ok()) return;
      for (const auto& [p, s] : frontier) {
        if (seg.day < DayOf(s - e_.max_stay_ms_)) continue;
        auto [lo, hi] = seg.Person(p);
        for (size_t k = lo; k < hi; ++k) {
          uint32_t pos = seg.by_person[k];
          int64_t in = seg.In(pos), out = seg.Out(pos);
          if (out < state_.cutoff || !(out > s && in < we_)) continue;
          int64_t a = std::max(in, s), b = std::min(out, we_);
          if (b - a < m_) continue;  // too short for any exposure
          stays_.push_back({seg.VenueAt(pos), p, in, out, a, b});
        }
        if (status = Tick(); !status.ok()) return;
      }
    });
    return status;
  }

  // The run stays_[first, last) at one venue, overlapping [left, right).
  Status SweepRun(size_t first, size_t last, int64_t left, int64_t right) {
    const uint32_t venue = stays_[first].venue;
    entries_.clear();
    Status status;
    state_.ForDays(DayOf(left - e_.max_stay_ms_), DayOf(right), [&](const Segment& seg) {
      if (!status.ok()) return;
      auto [lo, hi] = seg.Venue(venue);
      if (lo == hi) return;
      int64_t from = std::max(left - e_.max_stay_ms_, seg.base()) - seg.base();
      auto begin = std::partition_point(&seg.entries[lo], &seg.entries[hi], [&](const Entry& x) {
        return static_cast<int64_t>(x.start) < from;
      });
      const int64_t began = left - seg.base();
      for (size_t i = seg.SkipEnded(static_cast<size_t>(begin - &seg.entries[0]), hi, began);
           i < hi;) {
        int64_t in = seg.In(i);
        if (in >= right) break;
        int64_t out = seg.Out(i);
        uint32_t q = seg.entries[i].person;
        if (out > left && out >= state_.cutoff && out - in >= m_ && !seen_.Contains(q)) {
          entries_.push_back({in, out, q});
        }
        if (++i % Segment::kBlock == 0) i = seg.SkipEnded(i, hi, began);
        if (status = Tick(); !status.ok()) return;
      }
    });
    RETURN_IF_ERROR(status);
    if (entries_.empty()) return Status::Ok();
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry_& x, const Entry_& y) { return x.in < y.in; });
    // The run's stays by (a, parent): inserted into the heap in this order, and searched in it.
    order_.resize(last - first);
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(first + i);
    std::sort(order_.begin(), order_.end(), [&](uint32_t x, uint32_t y) {
      return std::tie(stays_[x].a, stays_[x].person) < std::tie(stays_[y].a, stays_[y].person);
    });
    auto by_parent = [&](uint32_t x, uint32_t y) { return stays_[x].person > stays_[y].person; };
    heap_.clear();
    size_t next = 0;
    const uint32_t run = static_cast<uint32_t>(runs_.size());
    for (const Entry_& o : entries_) {
      RETURN_IF_ERROR(Tick());
      while (next < order_.size() && stays_[order_[next]].a <= o.in) {
        heap_.push_back(order_[next++]);
        std::push_heap(heap_.begin(), heap_.end(), by_parent);
      }
      // Gone for good: ended before o began, or not M minutes left after it began.
      while (!heap_.empty()) {
        const FStay& c = stays_[heap_.front()];
        if (c.b - o.in >= m_ && c.co > o.in) break;
        std::pop_heap(heap_.begin(), heap_.end(), by_parent);
        heap_.pop_back();
      }
      int64_t start = 0;
      uint32_t parent = 0;
      // The lowest parent id present at o.in; set aside those failing only for this o (a
      // zero-length stay at the very moment another began: the strict overlap test).
      aside_.clear();
      while (!heap_.empty()) {
        const FStay& c = stays_[heap_.front()];
        if (Valid(c, o.in, o.out)) {
          start = o.in, parent = c.person;
          break;
        }
        aside_.push_back(heap_.front());
        std::pop_heap(heap_.begin(), heap_.end(), by_parent);
        heap_.pop_back();
      }
      for (uint32_t x : aside_) {
        heap_.push_back(x);
        std::push_heap(heap_.begin(), heap_.end(), by_parent);
      }
      if (parent == 0) {
        // The first to arrive after o.in, while M minutes of o remain.
        for (size_t j = next; j < order_.size() && stays_[order_[j]].a <= o.out - m_; ++j) {
          const FStay& c = stays_[order_[j]];
          if (Valid(c, o.in, o.out)) {
            start = c.a, parent = c.person;
            break;
          }
        }
      }
      if (parent == 0) continue;
      Best& b = best_.Insert(o.person);
      if (start < b.start || (start == b.start && parent < b.parent)) b = {start, parent};
      kept_.push_back({run, o.person, o.in, o.out});
    }
    // By parent for the second pass (the sweep is done with this run's order).
    std::sort(stays_.begin() + static_cast<std::ptrdiff_t>(first),
              stays_.begin() + static_cast<std::ptrdiff_t>(last),
              [](const FStay& x, const FStay& y) {
                return std::tie(x.person, x.ci) < std::tie(y.person, y.ci);
              });
    runs_.push_back({first, last});
    return Status::Ok();
  }

  const Engine& e_;
  const State& state_;
  const int64_t we_, m_;
  const Budget& budget_;
  PersonMap<Empty>& seen_;
  uint64_t ticks_ = 0;
  std::vector<FStay> stays_;
  std::vector<Entry_> entries_;
  std::vector<uint32_t> order_, heap_, aside_;
  std::vector<Kept> kept_;
  std::vector<Run_> runs_;
  PersonMap<Best> best_;
};

Result<TraceResult> Engine::TraceFlat(PersonId person, int64_t window_start, int64_t window_end,
                                      int64_t min_overlap_ms, int depth,
                                      const Budget& budget) const {
  auto state = Snapshot();
  TraceResult out;
  out.origin = person;
  if (depth < 1) return out;
  RETURN_IF_ERROR(budget.Check());
  // Hop 1 is query 1.
  std::vector<std::pair<uint32_t, Exposure>> found;
  CollectContacts(*state, person, window_start, window_end, min_overlap_ms, found);
  out.exposures.reserve(found.size());
  std::vector<std::pair<uint32_t, int64_t>> frontier;
  for (size_t i = 0; i < found.size();) {
    uint32_t q = found[i].first;
    TraceResult::Item item{PersonId(q),
                           1,
                           person,
                           found[i].second.start,
                           static_cast<uint32_t>(out.exposures.size()),
                           0};
    for (; i < found.size() && found[i].first == q; ++i) out.exposures.push_back(found[i].second);
    item.count = static_cast<uint32_t>(out.exposures.size() - item.first);
    out.items.push_back(item);
    if (depth > 1) frontier.emplace_back(q, item.exposure_start);
  }
  if (depth == 1) return out;
  PersonMap<Empty> seen(out.items.size() * 4 + 64);
  seen.Insert(static_cast<uint32_t>(person.value));
  for (const auto& [q, _] : frontier) seen.Insert(q);
  for (int hop = 2; hop <= depth && !frontier.empty(); ++hop) {
    HopSearch search(*this, *state, window_end, min_overlap_ms, budget, seen);
    ASSIGN_OR_RETURN(frontier, search.Run(frontier, hop, out));
  }
  return out;
}

std::vector<Traced> Engine::Trace(PersonId person, int64_t window_start, int64_t window_end,
                                  int64_t min_overlap_ms, int depth) const {
  // Without a budget the search cannot fail.
  return TraceFlat(person, window_start, window_end, min_overlap_ms, depth)->ToTraced();
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
  std::vector<std::pair<int64_t, int>>
      events;  // (time, +1 arrive / -1 leave); leaving first at a tie
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

// Snapshot file (docs/formats/index-snapshot.md): "MKIX2\n", the feed position, the segment
// count, then per segment: day, size, venue count, entries, venues, person order; then the
// cutoff and a SHA-256 of everything before it.
std::string Engine::EncodeSnapshot(int64_t feed_seq) const {
  auto state = Snapshot();
  size_t bytes = 6 + 8 + 8 + 8 + 32;
  for (const auto& seg : state->segments) bytes += 24 + seg->size * 16 + seg->venues.size() * 8;
  std::string buf;
  buf.reserve(bytes);
  buf = "MKIX2\n";
  auto put = [&](const void* p, size_t n) { buf.append(static_cast<const char*>(p), n); };
  put(&feed_seq, 8);
  uint64_t count = state->segments.size();
  put(&count, 8);
  for (const auto& seg : state->segments) {
    uint64_t head[3] = {static_cast<uint64_t>(seg->day), seg->size, seg->venues.size()};
    put(head, sizeof head);
    size_t at = buf.size();
    buf.resize(at + seg->size * 12);
    char* out = buf.data() + at;
    for (size_t i = 0; i < seg->size; ++i, out += 12) {
      uint32_t e[3] = {seg->entries[i].person, seg->entries[i].start,
                       seg->entries[i].length.load(std::memory_order_relaxed)};
      std::memcpy(out, e, 12);
    }
    put(seg->venues.data(), seg->venues.size() * 8);
    put(seg->by_person.data(), seg->by_person.size() * 4);
  }
  put(&state->cutoff, 8);
  return buf;
}

Status Engine::WriteSnapshot(const std::string& path, const std::string& body) {
  // Written to a temporary name and renamed, so a crash leaves the old snapshot.
  std::string digest = Sha256(body);
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(body.data(), static_cast<std::streamsize>(body.size()));
    f.write(digest.data(), static_cast<std::streamsize>(digest.size()));
    f.flush();
    if (!f) return Status::Unavailable("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::Unavailable("cannot rename to " + path);
  return Status::Ok();
}

Status Engine::SaveSnapshot(const std::string& path, int64_t feed_seq) const {
  return WriteSnapshot(path, EncodeSnapshot(feed_seq));
}

Result<int64_t> Engine::LoadSnapshot(const std::string& path) {
  std::string buf;
  {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f) return Status::NotFound("no snapshot at " + path, "snapshot");
    auto size = static_cast<size_t>(f.tellg());
    buf.resize(size);
    f.seekg(0);
    f.read(buf.data(), static_cast<std::streamsize>(size));
    if (!f) return Status::InvalidArgument("cannot read " + path, "snapshot");
  }
  if (buf.size() < 6 + 8 + 8 + 8 + 32 || buf.compare(0, 6, "MKIX2\n") != 0) {
    return Status::InvalidArgument("not a Mekong index snapshot (version 2)", "snapshot");
  }
  std::string_view body(buf.data(), buf.size() - 32);
  if (Sha256(body) != std::string_view(buf).substr(buf.size() - 32)) {
    return Status::InvalidArgument("checksum mismatch", "snapshot");
  }
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
  if (!get(&feed_seq, 8) || !get(&count, 8))
    return Status::InvalidArgument("truncated", "snapshot");
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t head[3];
    if (!get(head, sizeof head) || head[1] > body.size() / 12 || head[2] > body.size() / 8 ||
        at + head[1] * 12 > body.size()) {
      return Status::InvalidArgument("truncated", "snapshot");
    }
    auto seg = std::make_shared<Segment>();
    seg->day = static_cast<int64_t>(head[0]);
    seg->size = head[1];
    seg->entries.reset(new Entry[seg->size]);
    const char* in = body.data() + at;
    for (size_t i = 0; i < seg->size; ++i, in += 12) {
      uint32_t e[3];
      std::memcpy(e, in, 12);
      seg->entries[i].person = e[0];
      seg->entries[i].start = e[1];
      seg->entries[i].length.store(e[2], std::memory_order_relaxed);
    }
    at += seg->size * 12;
    seg->venues.resize(head[2]);
    seg->by_person.resize(seg->size);
    if (!get(seg->venues.data(), head[2] * 8) || !get(seg->by_person.data(), seg->size * 4)) {
      return Status::InvalidArgument("truncated", "snapshot");
    }
    seg->BuildBlocks();
    next->segments.push_back(std::move(seg));
  }
  if (!get(&next->cutoff, 8) || at != body.size())
    return Status::InvalidArgument("bad length", "snapshot");
  std::lock_guard lock(writer_);
  state_.store(std::move(next), std::memory_order_release);
  return feed_seq;
}

}  // namespace mekong::tracing
