// The outbreak module's service: test sites and bookings in the booker's own time zone,
// labelled samples, results one by one or as a CSV batch (a positive result opens a suspected
// case, or confirms one, as the policy says; every result updates the health code),
// vaccinations recorded by staff or imported from a certificate the verifier accepted, the
// population register import, duplicate candidates, and merging two records of one person
// with every linked record (it calls each owning module's ReassignPerson), with an audit entry.
//
// It sits above cases, tracing, healthcode, command and registry, and calls only their headers.
// Thread safety: every method may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/cases/service.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/outbreak/outbreak.h"
#include "mekong/registry/access.h"
#include "mekong/tracing/import.h"
#include "mekong/tracing/service.h"

namespace mekong::outbreak {

// A slot as a booker reads it: its times in their zone.
struct SlotView {
  Slot slot;
  std::string local_start, local_end;  // "2026-12-02T09:00:00+07:00" in the reader's zone
};
struct SlotList {
  TestSite site;
  std::string zone;  // the reader's
  std::vector<SlotView> slots;
};

// What adding slots did, the range's slots in the site's zone.
struct SlotsAdded {
  std::vector<SlotView> slots;
  int64_t created = 0, kept = 0, past = 0;
};

struct NewSlots {
  std::string date;        // the site's local date
  std::string start, end;  // "HH:MM", local
  int minutes = 15, capacity = 1;
};

// What a result did.
struct ResultOutcome {
  Sample sample;
  healthcode::Colour colour = healthcode::Colour::kGreen;  // the person's code after it
  std::optional<cases::Case> c;                            // opened or confirmed
};
struct BatchOutcome {
  int64_t recorded = 0;
  std::vector<tracing::Rejected> rejected;
  std::vector<ResultOutcome> results;
};

struct PopulationImport {
  int64_t lines = 0;
  registry::UpsertCounts counts;
  std::vector<tracing::Rejected> rejected;
};

struct DuplicateCandidate {
  registry::DuplicatePair pair;
  registry::Person a, b;
};

struct MergeOutcome {
  MergeRecord record;
  registry::Person survivor;
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, tracing::Service& tracing,
          healthcode::Service& codes, cases::Service& cases);

  // ---- Test sites and bookings ----
  Result<TestSite> CreateSite(const registry::Caller& by, TestSite in);
  Result<std::vector<TestSite>> Sites(const registry::Caller& by);
  // Refuses a `date` before the site's today; slots of today that would start before now are
  // not made (counted as `past`).
  Result<SlotsAdded> AddSlots(const registry::Caller& by, int64_t site, const NewSlots& in);
  // One site: citizens any, staff their unit's.
  Result<TestSite> Site(const registry::Caller& by, int64_t site);
  // Slots of a site over the local `date` of the reader's `zone` (default: the caller's, or the
  // citizen's own unit's); any signed-in caller who may book.
  Result<SlotList> Slots(const registry::Caller& by, int64_t site, const std::string& date,
                         std::string zone);
  // A citizen books for themself; staff for a person in their unit. Races for the last place:
  // one booking, and failed_precondition "slot N is full" for the other.
  Result<Booking> Book(const registry::Caller& by, int64_t slot, std::optional<PersonId> person,
                       const std::string& kind);
  Result<Booking> Cancel(const registry::Caller& by, int64_t booking);
  Result<std::vector<Booking>> Bookings(const registry::Caller& by, std::optional<PersonId> person);

  // ---- Samples and results ----
  Result<Sample> TakeSample(const registry::Caller& by, Sample in);
  Result<Sample> GetSample(const registry::Caller& by, int64_t id);
  Result<ResultOutcome> EnterResult(const registry::Caller& by, int64_t sample,
                                    const std::string& result);
  // CSV: label,result (positive, negative, invalid). Valid lines are recorded in one
  // transaction; the others come back with their line and field.
  Result<BatchOutcome> EnterResults(const registry::Caller& by, std::string_view csv);
  struct SamplePage {
    std::vector<Sample> items;
    int64_t total = 0;
  };
  Result<SamplePage> SampleLines(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                 SampleFilter f);

  // ---- Vaccinations ----
  Result<Dose> RecordDose(const registry::Caller& by, Dose in);
  // Every dose of one person (newest first), for whoever records vaccinations: what they
  // already have, before the next is entered. The read is written to the access log.
  Result<std::vector<Dose>> DosesOf(const registry::Caller& by, PersonId person);
  // The vaccination entry of an EU DCC the verifier accepts as of `at` (default now: an
  // officer may check it as of the day the traveller entered), for the person it names (its
  // date of birth must match the person's when both are known).
  Result<Dose> ImportCertificate(const registry::Caller& by, PersonId person, const std::string& qr,
                                 std::optional<int64_t> at = std::nullopt);
  struct DosePage {
    std::vector<Dose> items;
    int64_t total = 0;
  };
  Result<DosePage> DoseLines(const registry::Caller& by, std::optional<OrgUnitId> unit,
                             DoseFilter f);

  // ---- Population register ----
  // CSV with the header id_number,family_name,given_name,birth_date,sex,address,commune_code,
  // phone,nationality (document_type and language optional); re-importing changes nothing.
  Result<PopulationImport> ImportPopulation(const registry::Caller& by, std::string_view csv);
  // Likely duplicate pairs of the unit, at most `limit` (document pairs first); each person
  // shown is written to the access log.
  Result<std::vector<DuplicateCandidate>> Duplicates(const registry::Caller& by,
                                                     std::optional<OrgUnitId> unit, int limit);
  // Moves every record of `merged` to `survivor` and marks `merged` as merged into it.
  Result<MergeOutcome> Merge(const registry::Caller& by, PersonId survivor, PersonId merged,
                             const std::string& reason);
  Result<std::vector<MergeRecord>> Merges(const registry::Caller& by, PersonId person);

 private:
  Result<registry::OrgUnit> UnitFor(const registry::Caller& by, std::optional<OrgUnitId> unit);
  Result<Sample> VisibleSample(const registry::Caller& by, int64_t id);
  // The result's effects inside `tx`: healthcode, and a case for a positive.
  Result<ResultOutcome> ApplyResult(store::Executor& tx, const registry::Caller& by,
                                    const Sample& s, const std::string& result, int64_t now);
  cases::Tracer EngineTracer();

  store::Database& db_;
  const Clock& clock_;
  tracing::Service& tracing_;
  healthcode::Service& codes_;
  cases::Service& cases_;
};

}  // namespace mekong::outbreak
