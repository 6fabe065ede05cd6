// The telehealth module's records, as the service returns them. Times are int64 ms UTC; local
// times exist only in what availability.h computes for a reader's zone. Money is minor units
// (core/money.h). Each record names the FHIR R4 resource it maps onto (docs/telehealth.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/money.h"
#include "mekong/telehealth/availability.h"
#include "mekong/telehealth/codes.h"

namespace mekong::telehealth {

using PractitionerId = Id<struct PractitionerTag>;
using DepartmentId = Id<struct DepartmentTag>;
using AppointmentId = Id<struct AppointmentTag>;
using ConsultationId = Id<struct ConsultationTag>;
using ConsentId = Id<struct ConsentTag>;
using ReferralId = Id<struct ReferralTag>;
using TransportId = Id<struct TransportTag>;
using InvoiceId = Id<struct InvoiceTag>;

// ---- Partner network (FHIR Organization, PractitionerRole, Schedule) ----

// A registry facility of kind "hospital" that joined the partner network. Its id is the
// facility's id.
struct Hospital {
  FacilityId id;
  std::string name;                    // the facility's
  std::string org_path;                // the facility's org unit, for admins' scope
  std::string country;                 // ISO 3166-1 alpha-2
  std::string zone;                    // IANA, e.g. "Asia/Shanghai"
  std::vector<std::string> languages;  // BCP 47 primary tags, e.g. {"zh", "en"}
  std::string currency;                // ISO 4217: fees are set in it
};

struct Department {
  DepartmentId id;
  FacilityId hospital;
  std::string name;
};

// A clinician (a registry user) working for a partner hospital. An expert takes bookings
// (`bookable`); a local doctor refers and describes (not bookable).
struct Practitioner {
  PractitionerId id;
  UserId user;
  FacilityId hospital;
  std::optional<DepartmentId> department;
  std::string name;
  std::vector<std::string> specialties;  // lower-case tokens: "hematology"
  std::vector<std::string> languages;    // spoken, BCP 47 primary tags
  bool bookable = false;
  int slot_minutes = 30;
  int min_notice_minutes = 0;  // no booking sooner than this before a slot
  std::vector<WeeklyHours> weekly;
};

struct NewPractitioner {
  UserId user;
  FacilityId hospital;
  std::optional<DepartmentId> department;
  std::string name;
  std::vector<std::string> specialties, languages;
  bool bookable = false;
  int slot_minutes = 30;
};

// An expert with the hospital they work for, as a search returns them.
struct ExpertListing {
  Practitioner practitioner;
  Hospital hospital;
};

// ---- Booking (FHIR Appointment) ----

struct Appointment {
  AppointmentId id;
  PersonId patient;
  PractitionerId practitioner;
  FacilityId hospital;
  int64_t start = 0, end = 0;
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::string patient_zone;  // the zone the patient booked in: reminders and screens use it
  std::string reason;        // why the visit (free text)
  std::string cancel_reason;
  std::optional<AppointmentId> rescheduled_from;
  UserId booked_by;
  ConsultationId consultation;  // the virtual visit opened with it
  int64_t created_at = 0, updated_at = 0;
};

struct NewAppointment {
  PersonId patient;  // a citizen: themself
  PractitionerId practitioner;
  int64_t start = 0;         // a free slot's start, ms UTC
  std::string patient_zone;  // IANA
  std::string reason;
};

// ---- Consultation (FHIR Encounter, class v3-ActCode#VR) ----

struct Vital {
  std::string loinc;  // codes.h: the vital signs Mekong records
  std::string value;  // a decimal as typed ("38.4"): stored as text, never a double
  std::string unit;   // UCUM, from the LOINC table
  int64_t observed_at = 0;
};

// The referring local doctor's structured description of the patient's condition.
struct Description {
  std::string history;
  std::string findings;
  std::vector<Vital> vitals;
  std::vector<std::string> attachments;  // references to files (stored elsewhere)
};

struct Diagnosis {
  std::string icd10;  // "D56.1"
  std::string text;
  UserId by;
  int64_t at = 0;
};

struct Prescription {
  std::string medication;
  std::string dose;       // "500 mg"
  std::string route;      // "oral"
  std::string frequency;  // "twice daily"
  int duration_days = 0;
  std::string notes;
  UserId by;
  int64_t at = 0;
};

struct Message {
  UserId author;
  std::string author_name;
  std::string author_role;  // "patient", "referring", "expert"
  std::string body;
  int64_t at = 0;
};

// A consultation record's parts: who holds each decides whether a reader needs consent.
enum class RecordKind { kDescription, kNotes, kDiagnoses, kPrescriptions, kMessages };
std::string_view RecordKindName(RecordKind k);
Result<RecordKind> ParseRecordKind(std::string_view name, std::string_view field);

struct Consultation {
  ConsultationId id;
  std::optional<AppointmentId> appointment;
  PersonId patient;
  PractitionerId expert;
  FacilityId expert_hospital;
  std::optional<PractitionerId> referring;
  std::optional<FacilityId> referring_hospital;
  EncounterStatus status = EncounterStatus::kPlanned;
  std::string video_url;
  // Each part is present only when the reader may see it; the parts withheld (no consent)
  // are named in `withheld`.
  std::optional<Description> description;
  std::optional<std::string> expert_notes;
  std::optional<std::vector<Diagnosis>> diagnoses;
  std::optional<std::vector<Prescription>> prescriptions;
  std::optional<std::vector<Message>> messages;
  std::vector<RecordKind> withheld;
  int64_t created_at = 0, updated_at = 0;
};

// ---- Consent (FHIR Consent, provision.actor = the hospital, provision.class = kinds) ----

struct Consent {
  ConsentId id;
  PersonId patient;
  FacilityId grantee;  // the hospital that may read
  std::vector<RecordKind> kinds;
  std::optional<ConsultationId> consultation;  // only this consultation's records when set
  int64_t from = 0, until = 0;                 // [from, until)
  std::optional<int64_t> revoked_at;
  int64_t created_at = 0;
};

struct NewConsent {
  PersonId patient;
  FacilityId grantee;
  std::vector<RecordKind> kinds;
  std::optional<ConsultationId> consultation;
  int64_t from = 0, until = 0;
};

// One read of a person's data, for the patient's "who read what".
struct ReadEntry {
  int64_t at = 0;
  std::string reader;  // username
  std::string action;  // what was read, from where, under which consent
};

// ---- Referral (FHIR ServiceRequest intent=order, tracked by a Task) ----

struct Referral {
  ReferralId id;
  PersonId patient;
  std::optional<ConsultationId> consultation;
  FacilityId from_hospital, to_hospital;
  UserId requester;
  std::string reason;
  TaskStatus status = TaskStatus::kRequested;
  std::string status_reason;  // why declined (FHIR Task.statusReason)
  int64_t created_at = 0, updated_at = 0;
};

struct NewReferral {
  PersonId patient;
  std::optional<ConsultationId> consultation;
  FacilityId to_hospital;  // from: the referring clinician's hospital
  std::string reason;
};

// ---- Cross-border medical transport ----

struct TransportDocument {
  std::string kind;       // codes.h: RequiredTransportDocuments
  std::string reference;  // a file reference
  int64_t attached_at = 0;
};

struct Transport {
  TransportId id;
  PersonId patient;
  FacilityId origin, destination;
  std::string medical_need;
  std::string escort;  // codes.h: kEscorts
  std::string mode;    // codes.h: kTransportModes
  TransportStatus status = TransportStatus::kSubmitted;
  std::string status_reason;  // why refused
  std::optional<int64_t> scheduled_at;
  std::vector<TransportDocument> documents;
  std::vector<std::string> missing_documents;  // required by the destination, not attached
  UserId applicant;
  int64_t created_at = 0, updated_at = 0;
};

struct NewTransport {
  PersonId patient;
  FacilityId origin, destination;
  std::string medical_need, escort, mode;
};

// ---- Billing (FHIR ChargeItemDefinition, Invoice with lineItems, PaymentReconciliation) ----

struct Fee {
  FacilityId hospital;
  std::string code;  // "consultation", "transport_review", ...
  std::string description;
  Money amount;  // in the hospital's currency
};

struct StoredRate {
  ExchangeRate rate;
  std::string as_of;   // YYYY-MM-DD
  std::string source;  // "State Bank of Vietnam", "People's Bank of China", ...
};

struct ChargeLine {
  std::string code, description;
  int quantity = 1;
  Money unit;       // hospital currency
  Money amount;     // unit * quantity, hospital currency
  Money converted;  // its share of the invoice total, patient currency
};

struct Invoice {
  InvoiceId id;
  PersonId patient;
  FacilityId hospital;
  std::optional<AppointmentId> appointment;
  InvoiceStatus status = InvoiceStatus::kDraft;  // a draft is a quote
  Money source_total;                            // hospital currency
  Money total;                                   // patient currency
  std::optional<StoredRate> rate;                // the rate it used; none in one currency
  std::vector<ChargeLine> lines;
  Money paid;  // payments less refunds, patient currency
  int64_t created_at = 0;
  std::optional<int64_t> issued_at;
};

struct ChargeRequest {
  std::string code;  // a fee of the hospital
  int quantity = 1;
};

struct NewQuote {
  PersonId patient;
  FacilityId hospital;
  std::optional<AppointmentId> appointment;
  std::vector<ChargeRequest> charges;
  std::string currency;                  // the patient's
  std::optional<std::string> rate_date;  // YYYY-MM-DD; default today (UTC)
};

struct Payment {
  int64_t id = 0;
  InvoiceId invoice;
  std::string provider;  // "counter"
  std::string method;    // "cash", "bank_transfer"
  bool refund = false;
  Money amount;  // positive; a refund takes it back
  std::string reference;
  UserId by;
  int64_t at = 0;
};

}  // namespace mekong::telehealth
