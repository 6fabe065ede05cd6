// Cases through their life, and the close contacts tracing found for them.
//
// A case is suspected, probable, confirmed or discarded (docs/outbreak.md). A case that traces
// (confirmed, or probable when the policy's outbreak.probable_case_traces says so), in the
// transaction that makes it so: finds close contacts in the infectious window (from
// `infectious_days_before_onset` before onset, or before the sample when there are no
// symptoms, until isolation or now), stores them, opens their follow-up (contacts.h), and turns
// the case and each contact red with the reason and the date it ends. A case that stops
// tracing (discarded, or back to suspected) takes its facts back: the codes of everyone it
// touched are recomputed. Every change is kept in the case's history: who, when, what.
#pragma once

#include <functional>
#include <optional>
#include <span>
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

// Every case reported or changed publishes this topic on the change feed (payload: the case id),
// for caches and dashboards in other processes.
inline constexpr std::string_view kCaseTopic = "cases.case";

// Finds the people a case exposed, to a depth (the engine in the server, SQL elsewhere).
using Tracer = std::function<Result<std::vector<tracing::Traced>>(
    store::Executor&, PersonId, int64_t window_start, int64_t window_end, int64_t min_overlap_ms,
    int depth)>;
// tracing::Trace, in SQL.
Tracer SqlTracer();

enum class Classification { kSuspected, kProbable, kConfirmed, kDiscarded };
std::string_view ClassificationName(Classification c);
std::optional<Classification> ClassificationByName(std::string_view name);
// "recovered", "died", "lost" (to follow-up).
bool IsOutcome(std::string_view name);

struct NewCase {
  PersonId person;
  std::optional<int64_t> onset_at;     // symptom onset
  std::optional<int64_t> sample_at;    // positive sample; needed when there is no onset
  std::optional<int64_t> isolated_at;  // the window ends here (or now)
  UserId confirmed_by;                 // who reports it
  Classification classification = Classification::kConfirmed;
  std::string isolation_place;  // "home", a facility's name, a quarantine site
};

struct Case {
  CaseId id;
  PersonId person;
  OrgUnitId org_unit;  // the person's, when reported
  std::string org_path;
  std::optional<int64_t> onset_at, sample_at, isolated_at;
  int64_t window_start = 0, window_end = 0;
  int64_t confirmed_at = 0;  // 0: never confirmed
  UserId confirmed_by;
  int64_t contact_count = 0;
  std::optional<int64_t> released_at;
  Classification classification = Classification::kConfirmed;
  std::string isolation_place;
  std::string outcome;  // "" until known
  std::optional<int64_t> outcome_at;
  int64_t reported_at = 0;
  UserId reported_by;
  std::optional<int64_t> traced_at;  // when its contacts were last traced (none: it does not trace)
};

// A change to a case; fields left empty stay as they are.
struct CaseUpdate {
  std::optional<Classification> classification;
  std::optional<int64_t> onset_at, sample_at, isolated_at;
  std::optional<std::string> isolation_place;
  std::optional<std::string> outcome;
  std::optional<int64_t> outcome_at;
  std::string note;  // why, for the history
};

// One entry of a case's history. `changes` is a JSON object of field -> [before, after].
struct CaseEvent {
  int64_t id = 0;
  CaseId case_id;
  int64_t at = 0;
  std::optional<UserId> by;
  std::string by_username;  // filled by Service::History; empty for the system or a deleted user
  std::string action;       // "reported", "updated", "traced", "untraced", "released", "merged"
  std::string changes;
  std::string note;
};

// Line lists: cases under a unit, filtered. Times are milliseconds, [from, to).
struct CaseFilter {
  std::string under_path;
  std::optional<Classification> classification;
  std::optional<std::string> outcome;  // "none" for cases without one
  std::optional<int64_t> reported_from, reported_to, onset_from, onset_to;
  std::optional<PersonId> person;
  int limit = 50, offset = 0;
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

// Whether a case of this classification traces and turns codes red under `policy`.
bool Traces(const healthcode::Policy& policy, Classification c);

// Reports a case of any classification; one that traces is traced at once under the active
// health-code policy (its contact rules, hops, co-traveller rows and colours), which recomputes
// the codes of the case, everyone traced and the co-travellers. The person's open contacts
// become "converted" and keep their link to the case that exposed them (a transmission edge).
Result<Case> Report(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer);
// Report with classification confirmed (POST /api/v1/cases).
Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Tracer& tracer);
// Changes a case and writes its history. Into a tracing classification: traces; out of one
// (discarded, suspected): its facts are removed and every touched code recomputed, its traced
// contacts' follow-up ends; new dates on a tracing case re-trace it.
Result<Case> Update(store::Executor& ex, CaseId id, const CaseUpdate& in, std::optional<UserId> by,
                    int64_t now, const Tracer& tracer);
Result<std::vector<CaseEvent>> History(store::Executor& ex, CaseId id);
// The case of a person, if any.
Result<std::optional<Case>> CaseOfPerson(store::Executor& ex, PersonId person);
Result<std::vector<Case>> ListCaseLines(store::Executor& ex, const CaseFilter& filter);
Result<int64_t> CountCases(store::Executor& ex, const CaseFilter& filter);
Result<std::vector<Case>> GetCases(store::Executor& ex, std::span<const CaseId> ids);

// The instants cases count on for an epidemic curve: onset (else sample, else report) or the
// report, for confirmed and probable cases (and suspected ones with `include_suspected`) under
// `under_path` whose instant is in [from, to).
Result<std::vector<int64_t>> CaseTimes(store::Executor& ex, const std::string& under_path,
                                       int64_t from, int64_t to, bool by_onset,
                                       bool include_suspected);

// Moves `from`'s cases and contacts to `to` (two records of one person merged).
// failed_precondition when both are cases: discard one first. Returns how many rows moved.
Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to, int64_t now);
// The health authority releases a recovered case: its red reason ends (contacts keep theirs).
Result<Case> Release(store::Executor& ex, CaseId id, int64_t at, int64_t now);
Result<Case> GetCase(store::Executor& ex, CaseId id);
Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit,
                                    int offset);
Result<std::vector<ContactRow>> ListContacts(store::Executor& ex, CaseId id);
Result<std::vector<TripContactRow>> ListTripContacts(store::Executor& ex, CaseId id);

// Every tracing case's person and infectious window that ended after `since` (the exposure
// check).
struct Window {
  PersonId person;
  int64_t start = 0, end = 0;
};
Result<std::vector<Window>> InfectiousWindows(store::Executor& ex, int64_t since);

}  // namespace mekong::cases
