// How long until 10,000 health codes reflect one event: a case confirmed with 10,000 close
// contacts, and a high-risk area declared over a venue 10,000 people visited. Each is the real
// path (one transaction: trace or find visitors, write facts, evaluate, write statuses), on a
// fresh SQLite database (and PostgreSQL when MEKONG_BENCH_PG_URL names an empty database).
// Baseline in the same run: inserting 10,000 rows of the same width in one transaction, the
// floor for writing 10,000 statuses; and, as a share of both events, telling 10,000 people
// that their code changed (the outbox's messages, written in the same transaction).
//
//   build/bench/policy_bench [people=10000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/checkins.h"

using namespace mekong;

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

void Run(const std::string& url, const char* label, int n) {
  auto db = store::Open(url, 2);
  Check(db.status(), "open");
  const store::Module* modules[] = {&registry::kModule, &tracing::kModule, &outbox::kModule,
                                    &healthcode::kModule, &cases::kModule};
  Check(store::MigrateModules(**db, modules), "migrate");
  const int64_t now = *ParseRfc3339("2026-11-20T12:00:00Z");
  const int64_t t0 = now - 6 * kMillisPerHour;
  auto unit =
      registry::CreateOrgUnit(**db, {std::nullopt, "commune", "Bench", "B" + std::to_string(n)});
  Check(unit.status(), "org unit");
  auto venue = registry::CreateVenue(**db,
                                     {.name = "Stadium",
                                      .kind = "stadium",
                                      .capacity = 50000,
                                      .org_unit = unit->id,
                                      .default_stay_minutes = 120},
                                     now);
  auto market = registry::CreateVenue(**db,
                                      {.name = "Market",
                                       .kind = "market",
                                       .capacity = 50000,
                                       .org_unit = unit->id,
                                       .default_stay_minutes = 60},
                                      now);
  Check(venue.status(), "venue");
  // The case and n others at the stadium together (two hours); n others at the market.
  std::vector<PersonId> people;
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    for (int i = 0; i <= 2 * n; ++i) {
      registry::Person p{.full_name = "P" + std::to_string(i),
                         .document_type = "national_id",
                         .document_number = std::string(label) + std::to_string(i),
                         .nationality = "VN",
                         .language = "vi",
                         .org_unit = unit->id};
      ASSIGN_OR_RETURN(auto made, registry::CreatePerson(tx, p, now));
      people.push_back(made.id);
      const tracing::Limits limits{24 * kMillisPerHour, 5 * kMillisPerMinute, 28 * kMillisPerDay};
      VenueId where = i <= n ? venue->id : market->id;
      ASSIGN_OR_RETURN(auto c, tracing::CheckIn(tx, made.id, where, t0, "import", now, limits));
      RETURN_IF_ERROR(tracing::CheckOut(tx, c.id, t0 + 2 * kMillisPerHour, now, limits).status());
    }
    return Status::Ok();
  }),
        "load");
  // One hop, so the time is the codes' and not second-hop tracing's (the tracing issue's).
  std::string text(healthcode::DefaultPolicyText());
  text.replace(text.find("version = 1"), 11, "version = 2");
  text.replace(text.find("hops = 2"), 8, "hops = 1");
  Check((*db)->Transact([&](store::Executor& tx) {
    return healthcode::ActivatePolicy(tx, text, std::nullopt, now).status();
  }),
        "policy");

  auto start = std::chrono::steady_clock::now();
  cases::Case made;
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(made,
                     cases::Confirm(tx, {people[0], t0, std::nullopt, std::nullopt, UserId(1)}, now,
                                    cases::SqlTracer()));
    return Status::Ok();
  }),
        "confirm");
  double confirm = Seconds(start);
  auto counts = healthcode::CountCodes(**db, "/");

  start = std::chrono::steady_clock::now();
  auto policy = healthcode::ActivePolicy(**db);
  policy->version += 1;
  policy->risk_areas.push_back({"market", "Market", healthcode::Colour::kRed, std::nullopt,
                                market->id, t0 - kMillisPerDay, std::nullopt,
                                15 * kMillisPerMinute});
  int64_t recomputed = 0;
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, healthcode::ActivatePolicy(tx, healthcode::FormatPolicy(*policy),
                                                        std::nullopt, now));
    recomputed = a.recomputed;
    return Status::Ok();
  }),
        "declare");
  double declare = Seconds(start);
  auto after = healthcode::CountCodes(**db, "/");
  // The part of both that is telling each person their code changed: the same n notices again
  // (another cause), through outbox::EnqueueAll alone.
  std::vector<outbox::Notice> notices;
  for (int i = 1; i <= n; ++i)
    notices.push_back({people[i], "code_red", {}, "/me/code", "bench:" + std::to_string(i)});
  start = std::chrono::steady_clock::now();
  Check((*db)->Transact(
            [&](store::Executor& tx) { return outbox::EnqueueAll(tx, notices, now).status(); }),
        "tell");
  double tell = Seconds(start);

  // Baseline: the same number of rows, as wide as a status row, in one transaction.
  Check((*db)->ExecScript(
            "CREATE TABLE bench_floor (a BIGINT, b BIGINT, c BIGINT, d TEXT, e BIGINT, f BIGINT)"),
        "floor");
  start = std::chrono::steady_clock::now();
  Check((*db)->Transact([&](store::Executor& tx) -> Status {
    for (int i = 0; i < n; ++i) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?, ?)",
                  {int64_t{i}, int64_t{2}, now, std::string(",close_contact,"), int64_t{2}, now})
              .status());
    }
    return Status::Ok();
  }),
        "floor insert");
  double floor = Seconds(start);

  std::printf("%-10s case confirmed, %lld contacts red: %7.3f s  (%lld red codes stored)\n", label,
              static_cast<long long>(made.contact_count), confirm,
              static_cast<long long>(counts->red));
  std::printf(
      "%-10s high-risk area declared, %lld codes recomputed: %7.3f s  (%lld red codes stored)\n",
      label, static_cast<long long>(recomputed), declare, static_cast<long long>(after->red));
  std::printf("%-10s of which telling %d people (outbox::EnqueueAll alone): %7.3f s\n", label, n,
              tell);
  std::printf("%-10s baseline: %d single-row inserts in one transaction: %7.3f s\n", label, n,
              floor);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  auto dir = std::filesystem::temp_directory_path() /
             ("mekong-policy-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Run((dir / "bench.db").string(), "sqlite", n);
  if (const char* pg = std::getenv("MEKONG_BENCH_PG_URL")) Run(pg, "postgres", n);
  std::filesystem::remove_all(dir);
}
