// Shared by the files that implement telehealth::Service; not part of its interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "mekong/core/text.h"  // CheckText, used by every part of the service
#include "mekong/registry/registry.h"
#include "mekong/telehealth/service.h"

namespace mekong::telehealth {

// Who is calling, as telehealth sees them.
struct Service::Actor {
  registry::Caller caller;
  std::optional<Practitioner> practitioner;  // a clinician's place in the network

  bool citizen() const { return caller.role == registry::Role::kCitizen; }
  bool admin() const { return caller.role == registry::Role::kAdmin; }
  std::optional<FacilityId> hospital() const {
    if (practitioner) return practitioner->hospital;
    return std::nullopt;
  }
};

namespace internal {

// A not_found from below, renamed to `field` (so a caller learns which id was wrong).
Status Renamed(const Status& s, std::string_view field);

// ",a,b," for a LIKE '%,a,%' search; and back.
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(std::string_view joined);

Result<Hospital> LoadHospital(store::Executor& ex, FacilityId id,
                              std::string_view field = "hospital_id");
Result<Practitioner> LoadPractitioner(store::Executor& ex, PractitionerId id,
                                      std::string_view field = "practitioner_id");
Result<std::optional<Practitioner>> PractitionerOfUser(store::Executor& ex, UserId user);
// The expert's rules: the hospital's zone, their hours, their closures and the hospital's.
Result<SlotRules> RulesFor(store::Executor& ex, const Practitioner& p, const Hospital& h);
// Slot-holding appointments of the expert overlapping [from, to), but `except`.
Result<std::vector<Interval>> BusyFor(store::Executor& ex, PractitionerId expert, int64_t from,
                                      int64_t to, std::optional<AppointmentId> except = {});
Result<Appointment> LoadAppointment(store::Executor& ex, AppointmentId id);
// On PostgreSQL, locks the row until the transaction ends (SQLite's writers are serialised
// already).
Status LockRow(store::Executor& ex, std::string_view table, int64_t id);

// Whether the patient granted `hospital` reading `kind` at `now` (for `consultation`, or any);
// the consent's id when so.
Result<std::optional<ConsentId>> ConsentFor(store::Executor& ex, PersonId patient,
                                            FacilityId hospital, RecordKind kind,
                                            std::optional<ConsultationId> consultation,
                                            int64_t now);

// Publishes "telehealth.<what>" with a flat JSON object of integers and plain strings
// (vocabulary codes and ids: nothing that needs escaping beyond quotes and backslashes).
using Field = std::pair<std::string_view, std::variant<int64_t, std::string>>;
Status PublishChange(store::Executor& tx, std::string_view what, const std::vector<Field>& fields,
                     int64_t now);

}  // namespace internal
}  // namespace mekong::telehealth
