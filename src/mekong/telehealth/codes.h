// The vocabularies telehealth stores: FHIR R4 status codes as they are spelled in FHIR, ICD-10
// code shapes, the LOINC vital signs, and the lists a transport application is checked
// against. Pure; no store.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::telehealth {

// FHIR Appointment.status, all ten codes; the stored value is the FHIR code.
enum class AppointmentStatus {
  kProposed,
  kPending,
  kBooked,
  kArrived,
  kFulfilled,
  kCancelled,
  kNoShow,
  kEnteredInError,
  kCheckedIn,
  kWaitlist,
};
std::string_view AppointmentStatusName(AppointmentStatus s);  // "noshow", "checked-in", ...
Result<AppointmentStatus> ParseAppointmentStatus(std::string_view code, std::string_view field);
// Whether an appointment in this status keeps its slot from others (proposed, pending,
// booked, arrived, checked-in, fulfilled).
bool HoldsSlot(AppointmentStatus s);

// FHIR Encounter.status (R4) for the virtual visit.
enum class EncounterStatus { kPlanned, kInProgress, kFinished, kCancelled };
std::string_view EncounterStatusName(EncounterStatus s);
Result<EncounterStatus> ParseEncounterStatus(std::string_view code, std::string_view field);

// FHIR Task.status for a referral. The "declined" is FHIR's "rejected", with the
// reason in Task.statusReason.
enum class TaskStatus { kRequested, kAccepted, kInProgress, kCompleted, kRejected, kCancelled };
std::string_view TaskStatusName(TaskStatus s);
Result<TaskStatus> ParseTaskStatus(std::string_view code, std::string_view field);

// A transport application's life: submitted -> in-review -> approved | refused;
// approved -> scheduled -> completed; cancelled by the applicant before it is completed.
enum class TransportStatus {
  kSubmitted,
  kInReview,
  kApproved,
  kRefused,
  kScheduled,
  kCompleted,
  kCancelled,
};
std::string_view TransportStatusName(TransportStatus s);
Result<TransportStatus> ParseTransportStatus(std::string_view code, std::string_view field);

// FHIR Invoice.status; a draft is a quote.
enum class InvoiceStatus { kDraft, kIssued, kBalanced, kCancelled };
std::string_view InvoiceStatusName(InvoiceStatus s);
Result<InvoiceStatus> ParseInvoiceStatus(std::string_view code, std::string_view field);

// An ICD-10 (WHO) code's shape: a letter, two digits, and optionally a point and one or two
// more digits ("D56", "D56.1", "U07.1"). The code list itself is not checked.
Status ValidateIcd10(std::string_view code, std::string_view field);

struct VitalSign {
  std::string_view loinc, name, unit;  // unit: UCUM
  // Plausible range in the unit, tenths (a value outside is a typing error, not a finding).
  int64_t min_tenths, max_tenths;
};
// The vital signs shared/reference/domain.md lists: heart rate 8867-4, respiratory rate
// 9279-1, SpO2 2708-6 and 59408-5, body temperature 8310-5, systolic BP 8480-6.
std::span<const VitalSign> VitalSigns();
// The sign for `loinc`, or invalid_argument naming `field`.
Result<VitalSign> FindVitalSign(std::string_view loinc, std::string_view field);
// A decimal value with at most one decimal place inside the sign's range; invalid_argument
// naming `field`.
Status ValidateVitalValue(const VitalSign& sign, std::string_view value, std::string_view field);

// An ISO 3166-1 alpha-2 code's shape (two capital letters: partners may be anywhere), or
// invalid_argument naming `field`.
Status ValidateCountry(std::string_view code, std::string_view field);
// One of the 15 languages of shared/reference/domain.md, or invalid_argument naming `field`.
Status ValidateLanguage(std::string_view tag, std::string_view field);

// Transport: who travels with the patient, and how.
inline constexpr std::string_view kEscorts[] = {"none", "family", "nurse", "doctor",
                                                "paramedic_team"};
inline constexpr std::string_view kTransportModes[] = {
    "ground_ambulance", "air_ambulance", "commercial_flight", "private_vehicle", "rail"};
// The documents a destination country requires of an arriving patient (defaults from the
// partner agreements; every country needs the passport, the medical summary and the
// receiving hospital's acceptance).
std::vector<std::string> RequiredTransportDocuments(std::string_view destination_country);
// Whether `kind` is a document kind any country asks for.
bool KnownDocumentKind(std::string_view kind);

}  // namespace mekong::telehealth
