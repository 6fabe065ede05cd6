#include "mekong/command/service.h"

#include "mekong/registry/registry.h"

namespace mekong::command {

using registry::Capability;

Service::Service(store::Database& db, const Clock& clock, healthcode::Service& codes,
                 int64_t feed_poll_ms)
    : db_(db),
      clock_(clock),
      codes_(codes),
      follower_(
          db, "command", {std::string(kAlertTopic)},
          [this](const store::Change& c) { return Deliver(c); }, feed_poll_ms) {}

Service::~Service() { Stop(); }

void Service::Start() {
  auto head = store::LatestSeq(db_);
  follower_.Start(head.ok() ? *head : 0);
}

void Service::Stop() { follower_.Stop(); }

Result<ReadingResult> Service::RecordReading(const registry::Caller& by, const NewReading& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReportReadings));
  const int64_t now = clock_.NowMillis();
  Reading r;
  r.kind = in.kind;
  r.temperature_celsius = in.temperature_celsius;
  r.count = in.count;
  r.at = in.at.value_or(now);
  r.device = by.user;
  if (r.at > now + 5 * kMillisPerMinute) return Status::InvalidArgument("is in the future", "at");
  if (in.qr && in.person) return Status::InvalidArgument("give qr or person_id, not both", "qr");
  if (in.qr) {
    // The person shows their signed code at the gate: it must verify before it identifies.
    ASSIGN_OR_RETURN(r.person, codes_.PersonForVerifiedCode(*in.qr, now));
  }
  ReadingResult out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    if (in.venue) {
      ASSIGN_OR_RETURN(auto v, registry::GetVenue(tx, *in.venue));
      RETURN_IF_ERROR(
          registry::RequireCovers(by, v.org_path));  // a device reports only where it stands
      r.venue = v.id;
    }
    if (in.person) {
      // By id, only people of the device's own unit: a gate cannot probe or mark anyone else.
      ASSIGN_OR_RETURN(auto p,
                       registry::ReadPerson(tx, by, *in.person, "gate reading", now, "person_id"));
      r.person = p.id;
    } else if (r.person) {
      RETURN_IF_ERROR(registry::LogAccess(tx, by, *r.person, "gate reading", now));
    }
    ASSIGN_OR_RETURN(out.outcome, Record(tx, r, now));
    return Status::Ok();
  }));
  if (r.person) {
    ASSIGN_OR_RETURN(auto code, healthcode::Compute(db_, *r.person, now));
    out.person = r.person;
    out.colour = code.colour;
  }
  RETURN_IF_ERROR(follower_.CatchUp());
  return out;
}

Result<std::vector<Alert>> Service::Alerts(const registry::Caller& by, bool open_only, int limit,
                                           int offset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadAlerts));
  return List(db_, by.org_path, open_only, limit, offset);
}

Result<int64_t> Service::EscalateAlerts(int64_t after_ms) {
  const int64_t now = clock_.NowMillis();
  int64_t passed = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(passed, Escalate(tx, now - after_ms, now));
    return Status::Ok();
  }));
  return passed;
}

Result<Alert> Service::Acknowledge(const registry::Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kAcknowledgeAlerts));
  Alert out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    // An id that does not exist and an alert outside the caller's unit read the same.
    auto a = Get(tx, id);
    if (!a.ok() && a.status().code() != Code::kNotFound) return a.status();
    if (!a.ok() || !registry::Covers(by, a->org_path))
      return Status::NotFound("no alert " + std::to_string(id) + " in your unit", "id");
    ASSIGN_OR_RETURN(out, command::Acknowledge(tx, id, by.user, clock_.NowMillis()));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(follower_.CatchUp());
  return out;
}

int64_t Service::Watch(const registry::Caller& caller, Watcher watcher) {
  std::lock_guard lock(mu_);
  int64_t h = next_handle_++;
  watchers_.emplace(h, std::make_pair(caller, std::move(watcher)));
  return h;
}

void Service::Unwatch(int64_t handle) {
  std::lock_guard lock(mu_);
  watchers_.erase(handle);
}

Status Service::Deliver(const store::Change& change) {
  {
    std::lock_guard lock(mu_);
    if (watchers_.empty()) return Status::Ok();
  }
  int64_t id = std::strtoll(change.payload.c_str(), nullptr, 10);
  ASSIGN_OR_RETURN(auto alert, Get(db_, id));
  std::lock_guard lock(mu_);
  for (const auto& [_, w] : watchers_) {
    if (registry::Covers(w.first, alert.org_path) &&
        registry::Can(w.first.role, Capability::kReadAlerts)) {
      w.second(alert);
    }
  }
  return Status::Ok();
}

}  // namespace mekong::command
