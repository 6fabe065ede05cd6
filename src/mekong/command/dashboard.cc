#include "mekong/command/dashboard.h"

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "mekong/cases/cases.h"
#include "mekong/cases/service.h"
#include "mekong/command/alerts.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/service.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"

namespace mekong::command {

namespace {

// "YYYY-MM-DD" to a day number, or none.
std::optional<int64_t> DayNumber(std::string_view date) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (date.size() != 10 ||
      std::sscanf(std::string(date).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t n = DaysFromCivil(y, m, d);
  int64_t y2 = 0;
  unsigned m2 = 0, d2 = 0;
  CivilFromDays(n, &y2, &m2, &d2);
  if (y2 != y || m2 != m || d2 != d) return std::nullopt;  // 2026-02-30
  return n;
}

std::string DateOf(int64_t day) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

Result<int64_t> LocalDayNumber(const std::string& zone, int64_t at_ms) {
  ASSIGN_OR_RETURN(std::string date, LocalDate(zone, at_ms));
  auto n = DayNumber(date);
  if (!n) return Status::Internal("zone gave a bad date: " + date);
  return *n;
}

}  // namespace

Dashboard::Dashboard(store::Database& db, const Clock& clock, DashboardOptions options)
    : db_(db),
      clock_(clock),
      options_(options),
      follower_(
          db, "dashboard",
          {std::string(cases::kCaseTopic), std::string(healthcode::kTestTopic),
           std::string(kAlertTopic)},
          [this](const store::Change& c) { return Apply(c); }, options.feed_poll_ms) {}

Dashboard::~Dashboard() { Stop(); }

Status Dashboard::Start() {
  follower_.Stop();
  const int64_t since = clock_.NowMillis() - int64_t{options_.window_days + 1} * kMillisPerDay;
  int64_t seq = 0;
  std::vector<registry::OrgUnit> units;
  std::vector<cases::Case> all_cases;
  std::vector<Alert> all_alerts;
  std::vector<std::pair<int64_t, healthcode::TestSample>> tests;  // with the person's unit
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(seq, store::LatestSeq(ex));
    ASSIGN_OR_RETURN(units, registry::OrgUnitsUnder(ex, "/"));
    ASSIGN_OR_RETURN(all_cases, cases::ListCases(ex, "/", INT_MAX, 0));
    ASSIGN_OR_RETURN(all_alerts, List(ex, "/", false, INT_MAX, 0));
    ASSIGN_OR_RETURN(auto samples, healthcode::TestsSampledSince(ex, since));
    // The people's units, a few hundred at a time.
    std::unordered_map<int64_t, int64_t> unit_of;
    std::vector<PersonId> ids;
    for (const auto& s : samples)
      if (unit_of.emplace(s.person.value, 0).second) ids.push_back(s.person);
    constexpr size_t kChunk = 500;
    for (size_t at = 0; at < ids.size(); at += kChunk) {
      std::span<const PersonId> part(ids.data() + at, std::min(kChunk, ids.size() - at));
      ASSIGN_OR_RETURN(auto people, registry::GetPeople(ex, part));
      for (const auto& p : people) unit_of[p.id.value] = p.org_unit.value;
    }
    for (const auto& s : samples) {
      int64_t u = unit_of[s.person.value];
      if (u) tests.emplace_back(u, s);
    }
    return Status::Ok();
  }));
  std::unordered_map<int64_t, Unit> new_units;
  for (const auto& u : units) new_units[u.id.value] = {u.path, u.time_zone};
  auto day_of = [&](int64_t unit, int64_t at) -> Result<int64_t> {
    auto it = new_units.find(unit);
    return LocalDayNumber(it == new_units.end() ? "" : it->second.zone, at);
  };
  std::unordered_map<int64_t, Own> own;
  std::unordered_map<int64_t, CaseState> case_state;
  std::unordered_map<int64_t, AlertState> alert_state;
  for (const auto& c : all_cases) {
    Own& o = own[c.org_unit.value];
    ASSIGN_OR_RETURN(int64_t day, day_of(c.org_unit.value, c.confirmed_at));
    ++o.days[day].new_cases;
    CaseState s{c.org_unit.value, !c.released_at.has_value(), c.contact_count};
    if (s.active) {
      ++o.active_cases;
      o.contacts_following += s.contacts;
    }
    case_state[c.id.value] = s;
  }
  for (const auto& a : all_alerts) {
    Own& o = own[a.org_unit.value];
    ASSIGN_OR_RETURN(int64_t day, day_of(a.org_unit.value, a.created_at));
    ++o.days[day].alerts;
    AlertState s{a.org_unit.value, !a.acknowledged_at.has_value()};
    if (s.open) ++o.open_alerts;
    alert_state[a.id] = s;
  }
  for (const auto& [unit, t] : tests) {
    ASSIGN_OR_RETURN(int64_t day, day_of(unit, t.sampled_at));
    DayFigures& d = own[unit].days[day];
    ++d.tests;
    if (t.positive) ++d.positives;
  }
  {
    std::lock_guard lock(mu_);
    units_ = std::move(new_units);
    own_ = std::move(own);
    cases_ = std::move(case_state);
    alerts_ = std::move(alert_state);
  }
  follower_.Start(seq);
  return Status::Ok();
}

void Dashboard::Stop() { follower_.Stop(); }

Status Dashboard::CatchUp() { return follower_.CatchUp(); }

Result<int64_t> Dashboard::DayOf(store::Executor& ex, int64_t unit, int64_t at_ms) {
  std::string zone;
  bool known = false;
  {
    std::lock_guard lock(mu_);
    if (auto it = units_.find(unit); it != units_.end()) {
      zone = it->second.zone;
      known = true;
    }
  }
  if (!known) {
    ASSIGN_OR_RETURN(auto u, registry::GetOrgUnit(ex, OrgUnitId(unit)));
    zone = u.time_zone;
    std::lock_guard lock(mu_);
    units_[unit] = {u.path, u.time_zone};
  }
  return LocalDayNumber(zone, at_ms);
}

Status Dashboard::Apply(const store::Change& change) {
  if (change.topic == cases::kCaseTopic) {
    // The case as it is now: applying an older change again moves nothing (the state map).
    ASSIGN_OR_RETURN(
        auto c, cases::GetCase(db_, CaseId(std::strtoll(change.payload.c_str(), nullptr, 10))));
    ASSIGN_OR_RETURN(int64_t day, DayOf(db_, c.org_unit.value, c.confirmed_at));
    CaseState now{c.org_unit.value, !c.released_at.has_value(), c.contact_count};
    std::lock_guard lock(mu_);
    auto [it, fresh] = cases_.try_emplace(c.id.value, CaseState{});
    if (fresh) {
      ++own_[now.unit].days[day].new_cases;
    } else if (it->second.active) {
      Own& was = own_[it->second.unit];
      --was.active_cases;
      was.contacts_following -= it->second.contacts;
    }
    if (now.active) {
      ++own_[now.unit].active_cases;
      own_[now.unit].contacts_following += now.contacts;
    }
    it->second = now;
    return Status::Ok();
  }
  if (change.topic == healthcode::kTestTopic) {
    long long unit = 0, sampled_at = 0;
    int positive = 0;
    if (std::sscanf(change.payload.c_str(), "%lld %d %lld", &unit, &positive, &sampled_at) != 3)
      return Status::Internal("bad healthcode.test payload: " + change.payload);
    ASSIGN_OR_RETURN(int64_t day, DayOf(db_, unit, sampled_at));
    std::lock_guard lock(mu_);
    DayFigures& d = own_[unit].days[day];
    ++d.tests;
    if (positive) ++d.positives;
    return Status::Ok();
  }
  if (change.topic == kAlertTopic) {
    ASSIGN_OR_RETURN(auto a, Get(db_, std::strtoll(change.payload.c_str(), nullptr, 10)));
    ASSIGN_OR_RETURN(int64_t day, DayOf(db_, a.org_unit.value, a.created_at));
    AlertState now{a.org_unit.value, !a.acknowledged_at.has_value()};
    std::lock_guard lock(mu_);
    auto [it, fresh] = alerts_.try_emplace(a.id, AlertState{});
    if (fresh) {
      ++own_[now.unit].days[day].alerts;
    } else if (it->second.open) {
      --own_[it->second.unit].open_alerts;
    }
    if (now.open) ++own_[now.unit].open_alerts;
    it->second = now;
    return Status::Ok();
  }
  return Status::Ok();
}

Result<Board> Dashboard::Compute(const std::string& path, int64_t last_day, int days) {
  // The subtree's units from the store: units made since Start appear with nothing yet.
  ASSIGN_OR_RETURN(auto units, registry::OrgUnitsUnder(db_, path));
  Board b;
  b.first_date = DateOf(last_day - days + 1);
  b.last_date = DateOf(last_day);
  b.units.resize(units.size());
  std::unordered_map<int64_t, size_t> index;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < units.size(); ++i) {
      const auto& u = units[i];
      UnitFigures& f = b.units[i];
      f.unit = u.id;
      f.parent = u.parent;
      f.code = u.code;
      f.name = u.name;
      f.level = u.level;
      f.days.resize(days);
      index[u.id.value] = i;
      auto it = own_.find(u.id.value);
      if (it == own_.end()) continue;
      const Own& o = it->second;
      f.active_cases = o.active_cases;
      f.contacts_following = o.contacts_following;
      f.open_alerts = o.open_alerts;
      for (auto d = o.days.lower_bound(last_day - days + 1);
           d != o.days.end() && d->first <= last_day; ++d) {
        f.days[d->first - (last_day - days + 1)] = d->second;
      }
    }
  }
  // Children come after their ancestors: adding from the end rolls each subtree up.
  for (size_t i = b.units.size(); i-- > 1;) {
    const UnitFigures& c = b.units[i];
    if (!c.parent) continue;
    auto p = index.find(c.parent->value);
    if (p == index.end()) continue;
    UnitFigures& up = b.units[p->second];
    up.active_cases += c.active_cases;
    up.contacts_following += c.contacts_following;
    up.open_alerts += c.open_alerts;
    for (int d = 0; d < days; ++d) {
      up.days[d].new_cases += c.days[d].new_cases;
      up.days[d].tests += c.days[d].tests;
      up.days[d].positives += c.days[d].positives;
      up.days[d].alerts += c.days[d].alerts;
    }
  }
  return b;
}

Result<Board> Dashboard::Read(const registry::Caller& by, std::optional<OrgUnitId> unit, int days,
                              std::optional<std::string> last_date) {
  RETURN_IF_ERROR(registry::Require(by, registry::Capability::kReadDashboards));
  if (days < 1 || days > options_.window_days)
    return Status::InvalidArgument("must be between 1 and " + std::to_string(options_.window_days),
                                   "days");
  auto u = registry::GetOrgUnit(db_, unit.value_or(by.org_unit));
  if (!u.ok()) {
    if (u.status().code() == Code::kNotFound)
      return Status::NotFound("no such org unit", "unit_id");
    return u.status();
  }
  RETURN_IF_ERROR(registry::RequireCovers(by, u->path));
  int64_t last = 0;
  if (last_date) {
    auto n = DayNumber(*last_date);
    if (!n) return Status::InvalidArgument("must be a date YYYY-MM-DD", "date");
    last = *n;
  } else {
    ASSIGN_OR_RETURN(last, LocalDayNumber(u->time_zone, clock_.NowMillis()));
  }
  return Compute(u->path, last, days);
}

Result<UnitFigures> Dashboard::FiguresOn(OrgUnitId unit, const std::string& date) {
  ASSIGN_OR_RETURN(auto u, registry::GetOrgUnit(db_, unit));
  auto n = DayNumber(date);
  if (!n) return Status::InvalidArgument("must be a date YYYY-MM-DD", "date");
  ASSIGN_OR_RETURN(auto b, Compute(u.path, *n, 1));
  return std::move(b.units.front());
}

}  // namespace mekong::command
