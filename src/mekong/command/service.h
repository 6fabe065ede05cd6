// The command module's service: gate and camera readings, the alerts they raise, and a live
// stream of alerts for the officers watching, fed by the change feed so an alert raised on
// any server reaches every server's watchers.
//
// Thread safety: every method may be called from any thread; watchers are called on the
// follower's thread, one alert at a time, and must not block.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mekong/command/alerts.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/registry/access.h"
#include "mekong/store/feed.h"

namespace mekong::command {

// A reading as a device sends it: the person identified by their scanned health code (any
// traveller), or by id (only someone inside the device's unit).
struct NewReading {
  std::string kind;  // "temperature" or "crowd"
  std::optional<std::string> qr;
  std::optional<PersonId> person;
  std::optional<VenueId> venue;
  std::optional<double> temperature_celsius;
  std::optional<int64_t> count;
  std::optional<int64_t> at;
};

struct ReadingResult {
  ReadingOutcome outcome;
  std::optional<PersonId> person;
  std::optional<healthcode::Colour> colour;  // the person's code after the reading
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, healthcode::Service& codes,
          int64_t feed_poll_ms = 200);
  ~Service();

  void Start();
  void Stop();

  Result<ReadingResult> RecordReading(const registry::Caller& by, const NewReading& in);
  Result<std::vector<Alert>> Alerts(const registry::Caller& by, bool open_only, int limit,
                                    int offset);
  Result<Alert> Acknowledge(const registry::Caller& by, int64_t id);
  // The server's sweep: alerts nobody acknowledged within `after_ms` go to the unit above
  // (alerts.h, Escalate). Returns how many.
  Result<int64_t> EscalateAlerts(int64_t after_ms);

  // Calls `watcher` with every alert raised or acknowledged from now on, on any server, that
  // `caller` may see. Returns a handle for Unwatch.
  using Watcher = std::function<void(const Alert&)>;
  int64_t Watch(const registry::Caller& caller, Watcher watcher);
  void Unwatch(int64_t handle);

 private:
  Status Deliver(const store::Change& change);

  store::Database& db_;
  const Clock& clock_;
  healthcode::Service& codes_;
  std::mutex mu_;
  int64_t next_handle_ = 1;
  std::map<int64_t, std::pair<registry::Caller, Watcher>> watchers_;
  store::Follower follower_;
};

}  // namespace mekong::command
