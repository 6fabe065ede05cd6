// People, the org-unit hierarchy, venues, facilities. Every function takes the Executor it
// runs on, so callers can compose them inside one transaction.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::registry {

// Tables, migrations and what they build on (store/module.h).
extern const store::Module kModule;

// --- org units: province > district > commune, any depth ------------------------------------

struct OrgUnit {
  OrgUnitId id;
  std::optional<OrgUnitId> parent;
  std::string level;  // "province", "district", "commune", or any label a deployment uses
  std::string name;
  std::string code;       // unique, stable, e.g. "VN-13" or "QN-HL-01"
  std::string path;       // "/1/4/17/": ancestors then self; a prefix test answers "is under"
  std::string time_zone;  // IANA, e.g. "Asia/Ho_Chi_Minh": the day people here live by
};

struct NewOrgUnit {
  std::optional<OrgUnitId> parent;
  std::string level, name, code;
  std::string time_zone;  // "" inherits the parent's (a root without one is UTC)
};

Result<OrgUnit> CreateOrgUnit(store::Executor& ex, const NewOrgUnit& in);
Result<OrgUnit> GetOrgUnit(store::Executor& ex, OrgUnitId id);
// By code ("QN-01") or by id ("12"), as an operator types it; not_found names `field`.
Result<OrgUnit> FindOrgUnit(store::Executor& ex, std::string_view code_or_id,
                            std::string_view field = "org_unit");
// Children of `parent`, or the roots when empty.
Result<std::vector<OrgUnit>> ListOrgUnits(store::Executor& ex, std::optional<OrgUnitId> parent);
// Every unit of the subtree under `path` (the unit itself included), ancestors before their
// children: one query for a whole province's tree (dashboards, who has not reported).
Result<std::vector<OrgUnit>> OrgUnitsUnder(store::Executor& ex, const std::string& path);
inline bool IsUnder(const std::string& path, const std::string& ancestor_path) {
  return path.compare(0, ancestor_path.size(), ancestor_path) == 0;
}

// --- people ----------------------------------------------------------------------------------

struct Person {
  PersonId id;
  std::string full_name;
  std::string document_type;  // "national_id", "passport", "resident_card"
  std::string document_number;
  std::string nationality;  // ISO 3166-1 alpha-2
  std::string language;     // BCP 47, e.g. "vi", "zh", "fil"
  std::string phone;        // E.164 or empty
  std::string birth_date;   // YYYY-MM-DD or empty
  OrgUnitId org_unit;       // where they live or stay
  std::string org_path;     // the org unit's path, for scope checks
  std::string time_zone;    // the org unit's
  int64_t created_at = 0;
  std::string sex;                      // "female", "male", "other" or empty
  std::string address;                  // free text, as the population register writes it
  std::optional<PersonId> merged_into;  // set when an officer merged this record into another
};

// The languages people may choose (domain.md): BCP 47 codes.
std::span<const std::string_view> Languages();
bool IsLanguage(std::string_view code);

Result<Person> CreatePerson(store::Executor& ex, const Person& in, int64_t now);
Result<Person> GetPerson(store::Executor& ex, PersonId id);
// Many at once (names in a contact list, languages, scope checks), a few hundred per query;
// unknown ids are left out. In id order.
Result<std::vector<Person>> GetPeople(store::Executor& ex, std::span<const PersonId> ids);
// The same by id, for rows of another module that name people (a line list's).
Result<std::map<int64_t, Person>> PeopleById(store::Executor& ex, std::span<const PersonId> ids);
// Of `ids`, those that exist, in id order: GetPeople for a bulk import that needs only that
// (an id per row from the primary key, no records built), a few hundred per query.
Result<std::vector<PersonId>> ExistingPeople(store::Executor& ex, std::span<const PersonId> ids);
// People holding a document number (of one nationality when given), at most `limit`.
Result<std::vector<Person>> FindByDocument(store::Executor& ex, std::string_view number,
                                           std::string_view nationality, int limit = 2);
struct PersonQuery {
  std::string under_path;  // only people in this subtree
  std::string name_prefix;
  int limit = 50, offset = 0;
};
Result<std::vector<Person>> ListPeople(store::Executor& ex, const PersonQuery& q);
// The ids of the people in a subtree after `after`, in id order, at most `limit`, without
// merged records: a walk over a whole unit in pages (an announcement to everyone in it).
Result<std::vector<PersonId>> PeopleUnder(store::Executor& ex, const std::string& path,
                                          PersonId after, int limit);

// --- the population register and duplicates --------------------------------------------------

// Writes people by their document (nationality, type, number): new ones are added, known ones
// take the row's name, birth date, sex, address, unit and phone. Re-importing a file changes
// nothing. Rows must be valid (the caller checks each and reports errors by line).
struct UpsertCounts {
  int64_t created = 0, updated = 0, unchanged = 0;
};
Result<UpsertCounts> UpsertPeople(store::Executor& ex, std::span<const Person> rows, int64_t now);
// Checks one row as CreatePerson would (invalid_argument naming the field); for imports.
Status CheckPerson(const Person& p);

// Two records that may be one person: "document" (one document number and nationality under
// two document types), "name_phone" or "name_address" (one name after NameKey, core/names.h,
// one birth date, and one phone or one address). Merged records are left out; each pair once,
// a < b.
struct DuplicatePair {
  PersonId a, b;
  std::string reason;
};
Result<std::vector<DuplicatePair>> FindDuplicates(store::Executor& ex,
                                                  const std::string& under_path, int limit);
// Marks `from` merged into `to` and moves accounts that name `from` to `to`. failed_precondition
// when either is already merged. The caller moves every other module's records first.
Status MarkMerged(store::Executor& ex, PersonId from, PersonId to, int64_t now);

// --- venues and facilities -------------------------------------------------------------------

struct Venue {
  VenueId id;
  std::string name;
  std::string kind;  // "restaurant", "market", "school", "office", "bus_station", ...
  int64_t capacity = 0;
  OrgUnitId org_unit;
  std::string org_path;
  int64_t default_stay_minutes = 60;  // closes a check-in that never checks out
  std::string address;
  std::vector<std::string>
      languages;          // for its poster's instructions; empty: the country's and English
  std::string time_zone;  // the org unit's
  int64_t created_at = 0;
};

Result<Venue> CreateVenue(store::Executor& ex, const Venue& in, int64_t now);
Result<Venue> GetVenue(store::Executor& ex, VenueId id);
// Many at once, as GetPeople.
Result<std::vector<Venue>> GetVenues(store::Executor& ex, std::span<const VenueId> ids);
// Every venue in an org-unit subtree.
Result<std::vector<VenueId>> VenueIdsUnder(store::Executor& ex, const std::string& under_path);
Result<std::vector<Venue>> ListVenues(store::Executor& ex, const std::string& under_path, int limit,
                                      int offset);

struct Facility {
  FacilityId id;
  std::string name;
  std::string kind;  // "hospital", "lab", "clinic", "quarantine_site"
  OrgUnitId org_unit;
  std::string org_path;
  int64_t created_at = 0;
};

Result<Facility> CreateFacility(store::Executor& ex, const Facility& in, int64_t now);
Result<std::vector<Facility>> ListFacilities(store::Executor& ex, const std::string& under_path);
Result<Facility> GetFacility(store::Executor& ex, FacilityId id);

// --- venue QR posters ------------------------------------------------------------------------

// The text a venue's poster QR holds: "MKV1:<venue id>:<20 hex digits of HMAC-SHA256>", all in
// the QR alphanumeric set. See docs/formats/venue-qr.md.
Result<std::string> PosterText(store::Executor& ex, VenueId venue);
// Checks the signature and returns the venue id; a forged or garbled text is invalid_argument.
Result<VenueId> VerifyPosterText(store::Executor& ex, std::string_view text);

// A per-installation secret, made at first use and kept in the store so that every server
// process over one database agrees on it.
Result<std::string> ServerSecret(store::Executor& ex, std::string_view name);

}  // namespace mekong::registry
