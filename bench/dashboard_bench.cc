// The command centre's dashboard: every unit's figures for 60 days for the whole province
// (1 + 13 + 177 units, as Quang Ninh), answered by command::Dashboard from memory, beside the
// same figures computed by SQL GROUP BY queries over the store in the same run. Also the
// dashboard's load at start (one snapshot of the store).
//
// The store holds `cases` cases (a third released) confirmed over 60 days, two test results per
// case and 2,000 alerts, on a fresh SQLite database (and PostgreSQL when MEKONG_BENCH_PG_URL
// names an empty database). Rows go in by SQL, not through the services: the figures, not the
// writes, are measured.
//
//   build/bench/dashboard_bench [cases=100000]
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "mekong/cases/cases.h"
#include "mekong/command/alerts.h"
#include "mekong/command/dashboard.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/checkins.h"

using namespace mekong;

namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// The baseline: the same figures by SQL (active cases and open alerts now; new cases, tests,
// positives and alerts by unit and day), rolled up the tree in C++.
std::array<int64_t, 6> SqlBoard(store::Database& db, const std::vector<registry::OrgUnit>& units,
                                int64_t first_ms, int64_t offset_ms) {
  std::unordered_map<int64_t, std::map<int64_t, std::array<int64_t, 6>>> own;
  auto add = [&](const char* sql, store::Params p, int column) {
    auto r = db.Query(sql, p);
    Check(r.status(), sql);
    for (size_t i = 0; i < r->size(); ++i) {
      own[r->Int(i, 0)][r->Int(i, 1)][column] += r->Int(i, 2);
      if (column == 2) own[r->Int(i, 0)][r->Int(i, 1)][3] += r->Int(i, 3);
    }
  };
  add("SELECT org_unit_id, (confirmed_at + ?) / 86400000, COUNT(*) FROM case_record WHERE "
      "confirmed_at >= ? GROUP BY 1, 2",
      {offset_ms, first_ms}, 0);
  add("SELECT org_unit_id, 0, COUNT(*) FROM case_record WHERE released_at IS NULL GROUP BY 1", {},
      1);
  add("SELECT p.org_unit_id, (t.sampled_at + ?) / 86400000, COUNT(*), SUM(t.positive) FROM "
      "test_result t JOIN person p ON p.id = t.person_id WHERE t.sampled_at >= ? GROUP BY 1, 2",
      {offset_ms, first_ms}, 2);
  add("SELECT org_unit_id, (created_at + ?) / 86400000, COUNT(*) FROM alert WHERE created_at >= ? "
      "GROUP BY 1, 2",
      {offset_ms, first_ms}, 4);
  add("SELECT org_unit_id, 0, COUNT(*) FROM alert WHERE acknowledged_at IS NULL GROUP BY 1", {}, 5);
  // Roll up: children after ancestors in `units`.
  std::unordered_map<int64_t, std::map<int64_t, std::array<int64_t, 6>>> sum = own;
  for (size_t i = units.size(); i-- > 1;) {
    const auto& u = units[i];
    if (!u.parent) continue;
    for (const auto& [day, f] : sum[u.id.value])
      for (int k = 0; k < 6; ++k) sum[u.parent->value][day][k] += f[k];
  }
  std::array<int64_t, 6> total{};
  for (const auto& [day, f] : sum[units[0].id.value])
    for (int k = 0; k < 6; ++k) total[k] += f[k];
  return total;
}

void Run(const std::string& url, const char* label, int n) {
  auto db = store::Open(url, 2);
  Check(db.status(), "open");
  const store::Module* modules[] = {&registry::kModule, &tracing::kModule, &healthcode::kModule,
                                    &cases::kModule,    &outbox::kModule,  &command::kModule};
  Check(store::MigrateModules(**db, modules), "migrate");
  const int64_t now = *ParseRfc3339("2026-11-20T12:00:00Z");
  FixedClock clock(now);
  std::vector<registry::OrgUnit> units, communes;
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto province,
                     registry::CreateOrgUnit(tx, {std::nullopt, "province", "Quảng Ninh", "VN-QN",
                                                  "Asia/Ho_Chi_Minh"}));
    for (int d = 0; d < 13; ++d) {
      ASSIGN_OR_RETURN(auto district, registry::CreateOrgUnit(
                                          tx, {province.id, "district", "D" + std::to_string(d),
                                               "QN-" + std::to_string(d)}));
      for (int c = 0; c < (d < 8 ? 14 : 13); ++c) {
        ASSIGN_OR_RETURN(auto commune,
                         registry::CreateOrgUnit(tx, {district.id, "commune", "C",
                                                      district.code + "-" + std::to_string(c)}));
        communes.push_back(commune);
      }
    }
    return Status::Ok();
  }),
        "org units");
  auto t0 = Clock::now();
  const int64_t span = 60 * kMillisPerDay;
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    for (int i = 0; i < n; ++i) {
      const auto& unit = communes[i % communes.size()];
      ASSIGN_OR_RETURN(
          auto p, tx.Query("INSERT INTO person (full_name, document_type, document_number, "
                           "nationality, language, phone, birth_date, org_unit_id, created_at) "
                           "VALUES ('P', 'national_id', ?, 'VN', 'vi', '', '', ?, ?) RETURNING id",
                           {std::string(label) + std::to_string(i), unit.id.value, now}));
      int64_t person = p.Int(0, 0);
      int64_t at = now - (static_cast<int64_t>(i) * 7919 % span);
      std::optional<int64_t> released;
      if (i % 3 == 0) released = at + kMillisPerDay;
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO case_record (person_id, org_unit_id, org_path, onset_at, "
                  "window_start, window_end, confirmed_at, confirmed_by, released_at) VALUES (?, "
                  "?, ?, ?, ?, ?, ?, 1, ?)",
                  {person, unit.id.value, unit.path, at, at, at, at, released})
              .status());
      for (int k = 0; k < 2; ++k) {
        RETURN_IF_ERROR(
            tx.Exec("INSERT INTO test_result (person_id, kind, positive, sampled_at, reported_at) "
                    "VALUES (?, 'pcr', ?, ?, ?)",
                    {person, int64_t{k == 0}, at - k * kMillisPerDay, at})
                .status());
      }
      if (i < 2000) {
        RETURN_IF_ERROR(
            tx.Exec("INSERT INTO alert (org_unit_id, org_path, kind, severity, message, source, "
                    "created_at) VALUES (?, ?, 'crowding', 'warning', 'over capacity', 'bench', ?)",
                    {unit.id.value, unit.path, at})
                .status());
      }
    }
    return Status::Ok();
  }),
        "rows");
  std::printf("%s: %d cases, %d tests, 2000 alerts written in %.1f s\n", label, n, 2 * n,
              Millis(t0) / 1000);

  command::Dashboard dashboard(**db, clock);
  t0 = Clock::now();
  Check(dashboard.Start(), "dashboard start");
  double load = Millis(t0);
  registry::Caller admin{UserId(1), "admin", registry::Role::kAdmin, communes[0].id, "/", {}, ""};
  auto root = registry::ListOrgUnits(**db, std::nullopt);
  admin.org_unit = root->at(0).id;
  admin.org_path = root->at(0).path;

  std::vector<double> mem;
  std::array<int64_t, 6> mem_total{};  // as SqlBoard's
  for (int i = 0; i < 200; ++i) {
    t0 = Clock::now();
    auto b = dashboard.Read(admin, std::nullopt, 60);
    mem.push_back(Millis(t0));
    Check(b.status(), "read");
    if (i == 0) {
      const auto& root = b->units[0];
      for (const auto& d : root.days) {
        mem_total[0] += d.new_cases;
        mem_total[2] += d.tests;
        mem_total[3] += d.positives;
        mem_total[4] += d.alerts;
      }
      mem_total[1] = root.active_cases;
      mem_total[5] = root.open_alerts;
      std::printf("%s: %zu units x %zu days\n", label, b->units.size(), b->units[0].days.size());
    }
  }
  auto all_units = registry::OrgUnitsUnder(**db, "/");
  std::vector<double> sql;
  std::array<int64_t, 6> sql_total{};
  const int64_t offset = 7 * kMillisPerHour;  // Asia/Ho_Chi_Minh, no daylight saving
  const int64_t first =
      (now + offset) / kMillisPerDay * kMillisPerDay - offset - 59 * kMillisPerDay;
  for (int i = 0; i < 10; ++i) {
    t0 = Clock::now();
    sql_total = SqlBoard(**db, *all_units, first, offset);
    sql.push_back(Millis(t0));
  }
  dashboard.Stop();
  std::printf("%s: dashboard load at start %.0f ms\n", label, load);
  std::printf(
      "%s: dashboard from memory, 60 days x every unit: p50 %.2f ms  p99 %.2f ms (200 reads)\n",
      label, Percentile(mem, 0.5), Percentile(mem, 0.99));
  std::printf("%s: the same by SQL GROUP BY:                 p50 %.1f ms  p99 %.1f ms (10 runs)\n",
              label, Percentile(sql, 0.5), Percentile(sql, 0.99));
  std::printf(
      "%s: province totals (new cases, active, tests, positives, alerts, open alerts):\n"
      "  memory %lld %lld %lld %lld %lld %lld\n  SQL    %lld %lld %lld %lld %lld %lld%s\n",
      label, (long long)mem_total[0], (long long)mem_total[1], (long long)mem_total[2],
      (long long)mem_total[3], (long long)mem_total[4], (long long)mem_total[5],
      (long long)sql_total[0], (long long)sql_total[1], (long long)sql_total[2],
      (long long)sql_total[3], (long long)sql_total[4], (long long)sql_total[5],
      mem_total == sql_total ? "  (equal)" : "  MISMATCH");
  if (mem_total != sql_total) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  auto dir = std::filesystem::temp_directory_path() /
             ("mekong-dashboard-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  Run((dir / "bench.db").string(), "sqlite", n);
  std::filesystem::remove_all(dir);
  if (const char* pg = std::getenv("MEKONG_BENCH_PG_URL")) Run(pg, "postgresql", n);
  return 0;
}
