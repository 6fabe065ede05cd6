// Confirmed cases and their close contacts.
//
// Confirming a case, in one transaction: records it, finds close contacts in the infectious
// window (from `infectious_days_before_onset` before onset, or before the sample when there
// are no symptoms, until isolation or now), stores them, and turns the case and each contact
// red with the reason and the date it ends.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/tracing/checkins.h"

namespace mekong::cases {

Status Migrate(store::Database& db);

struct Rules {
  int64_t infectious_before_ms;  // window starts this long before onset (or sample)
  int64_t min_overlap_ms;        // shared presence that makes a close contact
  int64_t isolation_ms;          // a contact stays red this long after the last exposure
};

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
};

struct ContactRow {
  PersonId person;
  std::string full_name;
  tracing::Contact contact;
};

Result<Case> Confirm(store::Executor& ex, const NewCase& in, int64_t now, const Rules& rules);
Result<Case> GetCase(store::Executor& ex, CaseId id);
Result<std::vector<Case>> ListCases(store::Executor& ex, const std::string& under_path, int limit, int offset);
Result<std::vector<ContactRow>> ListContacts(store::Executor& ex, CaseId id);

}  // namespace mekong::cases
