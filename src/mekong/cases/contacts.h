// A case's contacts under follow-up: found by tracing (a shared venue), by co-travel, or
// entered by hand (household, workplace, care), each with its exposure and a risk level, and
// their daily symptom checks for the policy's follow-up period from the last exposure
// (outbreak.follow_up_days).
//
// A contact is assigned, round-robin, to the tracers of the contact's commune (or of the
// nearest unit above it that has tracers). A check not answered by the end of its day (the
// contact's local day) is marked missed by the sweep, and the server raises an alert for the
// commune (command::RaiseMissedCheck); the contact may answer their own check. Statuses:
// under_follow_up, completed (the period is over), lost, converted (the contact became a case; the
// contact keeps its case link and a transmission edge records it, chains.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/store/database.h"

namespace mekong::cases {

// Contacts added or changed in bulk publish this topic (payload: how many), for dashboards in
// other processes.
inline constexpr std::string_view kContactTopic = "cases.contact";

// "tracing", "co_travel", "household", "workplace", "care", "other".
bool IsContactSource(std::string_view s);
// "shared_venue", "same_vehicle", "face_to_face", "physical", "same_room", "care".
bool IsProximity(std::string_view s);
// "high", "medium", "low".
bool IsRisk(std::string_view s);
// "under_follow_up", "completed", "lost", "converted".
bool IsContactStatus(std::string_view s);

struct NewContact {
  CaseId case_id;
  PersonId person;
  std::string source = "household";
  std::string proximity = "face_to_face";
  std::string risk = "high";
  std::string place;  // where, in words ("home", "Hạ Long market, stall 4")
  std::optional<VenueId> venue;
  int64_t exposure_start = 0;  // when
  int64_t duration_minutes = 0;
  std::optional<int64_t> last_exposure;  // default: start + duration
};

struct Contact {
  int64_t id = 0;
  CaseId case_id;
  PersonId person;
  OrgUnitId org_unit;
  std::string org_path, time_zone;
  std::string source, proximity, risk, place;
  std::optional<VenueId> venue;
  int64_t exposure_start = 0, duration_minutes = 0, last_exposure = 0;
  std::string status;
  int64_t follow_up_until = 0;
  std::optional<UserId> assigned_to;
  std::optional<CaseId> converted_case;
  int64_t created_at = 0;
  std::optional<UserId> created_by;
  // Of the day asked for (ListContacts' `day`): "answered", "missed" or "" (not yet).
  std::string check_status;
};

struct Check {
  int64_t id = 0;
  int64_t contact_id = 0;
  std::string day;     // the contact's local date, YYYY-MM-DD
  std::string status;  // "answered", "missed"
  std::string symptoms;
  std::optional<double> temperature_celsius;
  std::optional<int64_t> answered_at;
  std::optional<UserId> answered_by;
  bool by_citizen = false;
};

struct CheckAnswer {
  std::string symptoms;  // "" for none
  std::optional<double> temperature_celsius;
};

struct ContactFilter {
  std::string under_path;
  std::optional<std::string> status, risk, source;
  std::optional<CaseId> case_id;
  std::optional<UserId> assigned_to;
  std::optional<PersonId> person;
  std::optional<int64_t> exposed_from, exposed_to;  // last exposure in [from, to)
  std::string day;                                  // whose check status to fill in ("" for none)
  int limit = 50, offset = 0;
};

// Adds contacts (or, for a person already a contact of the case, extends the exposure: the
// last exposure and the end of follow-up move later), each under follow-up until the last
// exposure plus the policy's period, assigned to a tracer. In input order.
Result<std::vector<Contact>> AddContacts(store::Executor& ex, std::span<const NewContact> in,
                                         const healthcode::Policy& policy, std::optional<UserId> by,
                                         int64_t now);
// The same for tracing's own contacts (source tracing or co_travel), without reading them back:
// a case at a stadium has 10,000, whose facts the tracing writes itself.
Status AddTracedContacts(store::Executor& ex, std::span<const NewContact> in,
                         const healthcode::Policy& policy, std::optional<UserId> by, int64_t now);
Result<Contact> GetContact(store::Executor& ex, int64_t id);
// The contacts of `c` entered by hand (not found by tracing or co-travel), and the exposure
// fact each is for the health code while the case traces.
Result<std::vector<Contact>> ManualContacts(store::Executor& ex, CaseId c);
healthcode::FactRow ManualExposure(const Contact& c);
Result<std::vector<Contact>> ListContacts(store::Executor& ex, const ContactFilter& f);
Result<int64_t> CountContacts(store::Executor& ex, const ContactFilter& f);
// Contacts a person is (a citizen's own follow-up), newest first.
Result<std::vector<Contact>> ContactsOfPerson(store::Executor& ex, PersonId person);

// Records the day's check (`day`: the contact's local date now); a second answer the same day
// replaces the first, and answers a missed check. Only contacts under follow-up.
Result<Check> RecordCheck(store::Executor& ex, int64_t contact_id, const CheckAnswer& in,
                          std::optional<UserId> by, bool by_citizen, int64_t now);
Result<std::vector<Check>> ListChecks(store::Executor& ex, int64_t contact_id);

// A bulk action on contacts: "lost", "completed", "resume" (under follow-up again), or
// "assign" (to `assign_to`). Returns how many changed.
Result<int64_t> SetContactStatus(store::Executor& ex, std::span<const int64_t> ids,
                                 const std::string& action, std::optional<UserId> assign_to,
                                 int64_t now);

// The person became case `c`: their open contacts are converted and keep the link; returns the
// contacts converted (the cases that exposed them become the new case's infectors).
Result<std::vector<Contact>> ConvertContacts(store::Executor& ex, PersonId person, CaseId c,
                                             int64_t now);
// Ends the follow-up of every contact of `c` still under it (the case was discarded or stopped
// tracing): they are completed.
Status EndTracedContacts(store::Executor& ex, CaseId c, int64_t now);

// A day's check the contact did not answer, marked missed by SweepFollowUp.
struct MissedCheck {
  Contact contact;
  std::string day;  // the contact's local date, YYYY-MM-DD
};

// Time passing: completes follow-ups whose period is over; marks yesterday's unanswered checks
// missed and returns them (the caller raises the alerts, in the same transaction: cases does
// not know the command centre).
Result<std::vector<MissedCheck>> SweepFollowUp(store::Executor& ex, int64_t now);

// Moves contacts of `from` to `to` (a merge).
Result<int64_t> ReassignContacts(store::Executor& ex, PersonId from, PersonId to);

}  // namespace mekong::cases
