// The command centre's dashboard: figures for every org unit and day, answered from memory.
//
// At Start the dashboard reads the store once, in one snapshot together with the change feed's
// head (every case, the alerts, the test results of its window), and from then on follows the
// feed: "cases.case", "healthcode.test" and "command.alert". A request sums the units of a
// subtree in memory and reads nothing but the subtree's org units from the store. Several
// servers over one PostgreSQL each keep their own copy current from the same feed.
//
// Figures a unit shows are its own plus those of every unit below it. A case, a test and an
// alert count where they happened (the case's unit at confirmation, the tested person's unit,
// the alert's unit); days are local dates in the zone of the unit the event belongs to.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/store/feed.h"

namespace mekong::command {

// What happened on one local day.
struct DayFigures {
  int64_t new_cases = 0;  // cases confirmed
  int64_t tests = 0;      // test results sampled
  int64_t positives = 0;  // of those, positive
  int64_t alerts = 0;     // alerts raised
};

struct UnitFigures {
  OrgUnitId unit;
  std::optional<OrgUnitId> parent;
  std::string code, name, level;
  // Now.
  int64_t active_cases = 0;        // confirmed and not released
  int64_t contacts_following = 0;  // close contacts of the active cases
  int64_t open_alerts = 0;         // not yet acknowledged
  std::vector<DayFigures> days;    // first_date .. last_date, one per day
};

struct Board {
  std::string first_date, last_date;  // YYYY-MM-DD in the asked unit's zone
  // The unit asked for first, then every unit below it, ancestors before their children.
  std::vector<UnitFigures> units;
};

struct DashboardOptions {
  int window_days = 60;  // tests older than this are not loaded; a board spans at most this
  int64_t feed_poll_ms = 200;
};

class Dashboard {
 public:
  Dashboard(store::Database& db, const Clock& clock, DashboardOptions options = {});
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  // Loads the figures as of one snapshot of the store, then follows the feed from there.
  Status Start();
  void Stop();
  // Applies every change committed so far on the caller's thread (a writer reading its own
  // write; tests).
  Status CatchUp();

  // The board of `unit` (default: the caller's) and everything below it, for `days` local days
  // ending on `last_date` (default: today in the unit's zone). permission_denied outside the
  // caller's subtree; invalid_argument naming "days" or "date".
  Result<Board> Read(const registry::Caller& by, std::optional<OrgUnitId> unit, int days,
                     std::optional<std::string> last_date = std::nullopt);
  // The same without a caller: the unit's own subtree figures for one local date (situation
  // reports, which check the caller themselves).
  Result<UnitFigures> FiguresOn(OrgUnitId unit, const std::string& date);

 private:
  struct Unit {
    std::string path, zone;
  };
  struct Own {
    int64_t active_cases = 0, contacts_following = 0, open_alerts = 0;
    std::map<int64_t, DayFigures> days;  // by day number (core/time.h DaysFromCivil)
  };
  struct CaseState {
    int64_t unit = 0;
    bool active = false;
    int64_t contacts = 0;
  };
  struct AlertState {
    int64_t unit = 0;
    bool open = false;
  };

  Status Apply(const store::Change& change);
  // The local day number of `at_ms` in the unit's zone; loads the unit when it is new.
  Result<int64_t> DayOf(store::Executor& ex, int64_t unit, int64_t at_ms);
  Result<Board> Compute(const std::string& path, int64_t last_day, int days);

  store::Database& db_;
  const Clock& clock_;
  const DashboardOptions options_;
  std::mutex mu_;  // guards the maps below
  std::unordered_map<int64_t, Unit> units_;
  std::unordered_map<int64_t, Own> own_;
  std::unordered_map<int64_t, CaseState> cases_;
  std::unordered_map<int64_t, AlertState> alerts_;
  store::Follower follower_;
};

}  // namespace mekong::command
