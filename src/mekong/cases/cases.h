// Confirmed cases and their close contacts.
//
// Confirming a case, in one transaction: records it, finds close contacts in the infectious
// window (from `infectious_days_before_onset` before onset, or before the sample when there
// are no symptoms, until isolation or now), stores them, and turns the case and each contact
// red with the reason and the date it ends.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"
#include "mekong/tracing/checkins.h"

namespace mekong::cases {

// Tables, migrations and what they build on (store/module.h).
extern const store::Module kModule;

// Finds the people a case exposed, to a depth (the engine in the server, SQL elsewhere).
using Tracer = std::function<Result<std::vector<tracing::Traced>>(
    store::Executor&, PersonId, int64_t window_start, int64_t window_end, int64_t min_overlap_ms,
    int depth)>;
// tracing::Trace, in SQL.
Tracer SqlTracer();

struct NewCase {
  PersonId person;
  std::optional<int64_t> onset_at;     // symptom onset
  std::optional<int64_t> sample_at;    // positive sample; needed when there is no onset
  std::optional<int64_t> isolated_at;  // the window ends here (or now)
  UserId confirmed_by;
};

struct Case {
  CaseId id;
  PersonId person;
  OrgUnitId org_unit;  // the person's, at confirmation
  std::string org_path;
  std::optional<int64_t> onset_at, sample_at, isolated_at;
  int64_t window_start = 0, window_end = 0;
  int64_t confirmed_at = 0;
  UserId confirmed_by;
  int64_t contact_count = 0;
  std::optional<int64_t> released_at;
};

struct ContactRow {
  PersonId person;
  std::string full_name;  // filled by the service for people the reader may see by name
  tracing::Contact contact;
  int hop = 1;
  std::optional<int64_t> via;  // who exposed them (the case for hop 1)
};

// A co-traveller found at confirmation: on `trip`, in `seat` (the case in `case_seat`).
struct TripContactRow {
  PersonId person;
  std::string full_name;
  int64_t trip = 0;
  std::string seat, case_seat, reason;
};

// Under the active health-code policy (its contact rules, hops, co-traveller rows and colours);
// recomputes the codes of the case, everyone traced and the co-travellers.
Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer);
// The health authority releases a recovered case: its red reason ends (contacts keep theirs).
Result<Case> Release(store::Executor& ex, CaseId id, int64_t at, int64_t now);
Result<Case> GetCase(store::Executor& ex, CaseId id);
Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset);
Result<std::vector<ContactRow>> ListContacts(store::Executor& ex, CaseId id);
Result<std::vector<TripContactRow>> ListTripContacts(store::Executor& ex, CaseId id);

// Every case's person and infectious window that ended after `since` (the exposure check).
struct Window {
  PersonId person;
  int64_t start = 0, end = 0;
};
Result<std::vector<Window>> InfectiousWindows(store::Executor& ex, int64_t since);

}  // namespace mekong::cases
