// Testing and vaccination for outbreak response: test sites with appointment slots, bookings
// that cannot overbook, labelled samples and their results, and vaccination doses with their
// product, lot, dose number, date and site. Results and doses also reach the health code
// through healthcode's own records (healthcode::RecordTest, RecordVaccination); the service
// (service.h) composes them with cases in one transaction.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::outbreak {

// Tables, migrations and what they build on (store/module.h).
extern const store::Module kModule;

// Topics this module publishes on the change feed (payload: the record's id).
inline constexpr std::string_view kBookingTopic = "outbreak.booking";
inline constexpr std::string_view kResultTopic = "outbreak.result";
inline constexpr std::string_view kDoseTopic = "outbreak.dose";
inline constexpr std::string_view kMergeTopic = "outbreak.merge";

// ---- Test sites, slots and bookings ----

struct TestSite {
  int64_t id = 0;
  std::string name, address;
  OrgUnitId org_unit;
  std::string org_path, time_zone;  // the unit's
  std::vector<std::string> kinds;   // "pcr", "antigen"
  std::optional<FacilityId> facility;
  int64_t created_at = 0;
};
Result<TestSite> CreateSite(store::Executor& ex, const TestSite& in, int64_t now);
Result<TestSite> GetSite(store::Executor& ex, int64_t id);
Result<std::vector<TestSite>> ListSites(store::Executor& ex, const std::string& under_path);

struct Slot {
  int64_t id = 0;
  int64_t site_id = 0;
  int64_t starts_at = 0, ends_at = 0;
  int64_t capacity = 0, booked = 0;
  int64_t cancelled = 0;  // bookings of the slot cancelled since (their places are free again)
};
// What adding slots did: the slots of the range as stored, how many were new, how many were
// there already (kept with their own capacity) and how many were not made because they would
// have started before `now`.
struct AddedSlots {
  std::vector<Slot> slots;
  int64_t created = 0, kept = 0, past = 0;
};
// Slots of `minutes` each from `first_start` (UTC ms) to `last_end`, `capacity` places each;
// slots already there (same start) are kept as they are, none starts before `now`.
Result<AddedSlots> AddSlots(store::Executor& ex, int64_t site, int64_t first_start,
                            int64_t last_end, int minutes, int capacity, int64_t now);
Result<std::vector<Slot>> ListSlots(store::Executor& ex, int64_t site, int64_t from, int64_t to);
Result<Slot> GetSlot(store::Executor& ex, int64_t id);

struct Booking {
  int64_t id = 0;
  int64_t slot_id = 0, site_id = 0;
  PersonId person;
  std::string kind;    // "pcr", "antigen"
  std::string status;  // "booked", "cancelled", "sampled"
  int64_t starts_at = 0;
  int64_t created_at = 0;
};
// Takes the lowest free place of the slot. Two bookings racing for the last place: the unique
// (slot, place) constraint lets one in; the other is already_exists, and the caller retries
// in a new transaction, which then finds the slot full (failed_precondition naming slot_id).
Result<Booking> Book(store::Executor& ex, int64_t slot, PersonId person, const std::string& kind,
                     std::optional<UserId> by, int64_t now);
Result<Booking> CancelBooking(store::Executor& ex, int64_t id, int64_t now);
Result<Booking> GetBooking(store::Executor& ex, int64_t id);
Result<std::vector<Booking>> BookingsOf(store::Executor& ex, PersonId person);

// ---- Samples and results ----

struct Sample {
  int64_t id = 0;
  std::string label;  // the printable label's text (QR): docs/outbreak.md
  PersonId person;
  int64_t site_id = 0;
  std::optional<int64_t> booking_id;
  std::string kind;
  int64_t taken_at = 0;
  std::optional<UserId> taken_by;
  std::string org_path;  // the site's
  std::string result;    // "", "positive", "negative", "invalid"
  std::optional<int64_t> result_at;
  std::optional<UserId> result_by;
  std::optional<CaseId> case_id;  // the case a positive result opened or confirmed
};
Result<Sample> TakeSample(store::Executor& ex, const Sample& in, int64_t now);
Result<Sample> GetSample(store::Executor& ex, int64_t id);
Result<Sample> SampleByLabel(store::Executor& ex, std::string_view label);
// Stores a result on a sample without one (failed_precondition otherwise).
Status SetResult(store::Executor& ex, int64_t sample, const std::string& result,
                 std::optional<UserId> by, int64_t now);
Status LinkCase(store::Executor& ex, int64_t sample, CaseId c);
// "positive", "negative" or "invalid".
bool IsResult(std::string_view s);

struct SampleFilter {
  std::string under_path;
  std::optional<std::string> result;  // "pending" for none yet
  std::optional<int64_t> site;
  std::optional<PersonId> person;
  std::optional<int64_t> taken_from, taken_to;
  int limit = 50, offset = 0;
};
Result<std::vector<Sample>> ListSamples(store::Executor& ex, const SampleFilter& f);
Result<int64_t> CountSamples(store::Executor& ex, const SampleFilter& f);

// ---- Vaccinations ----

struct Dose {
  int64_t id = 0;
  PersonId person;
  std::string product, lot;
  int dose = 1;
  int64_t given_at = 0;
  std::string site;     // where, in words (a vaccination site, a hospital, a country's clinic)
  std::string country;  // ISO 3166 alpha-2
  std::string source = "staff";  // "staff" or "certificate"
  std::string certificate_id;    // an imported certificate's id
  std::optional<UserId> recorded_by;
  std::string org_path;  // the person's
  int64_t created_at = 0;
};
Result<Dose> AddDose(store::Executor& ex, const Dose& in, int64_t now);
struct DoseFilter {
  std::string under_path;
  std::optional<std::string> product;
  std::optional<int> dose;
  std::optional<PersonId> person;
  std::optional<int64_t> given_from, given_to;
  int limit = 50, offset = 0;
};
Result<std::vector<Dose>> ListDoses(store::Executor& ex, const DoseFilter& f);
Result<int64_t> CountDoses(store::Executor& ex, const DoseFilter& f);

// ---- Merges ----

// Moves this module's records of `from` to `to`; returns how many rows moved.
Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to);
struct MergeRecord {
  int64_t id = 0;
  PersonId survivor, merged;
  std::optional<UserId> by;
  int64_t at = 0;
  std::string reason;
  std::string moved;  // JSON: rows moved per module
};
Result<MergeRecord> RecordMerge(store::Executor& ex, const MergeRecord& in);
Result<std::vector<MergeRecord>> MergesOf(store::Executor& ex, PersonId person);

}  // namespace mekong::outbreak
