// Cross-border telehealth: the partner network, booking across time zones, the remote
// consultation, consent, referrals, medical transport and billing in the patient's currency.
// docs/telehealth.md has the model, its FHIR R4 mapping and the access rules.
//
// Every method checks the caller's capability (registry/access.h), then their relation to
// the records: a citizen acts on their own; a clinician for the partner hospital they work
// for (their Practitioner row) and the patients it serves; an admin for hospitals in their
// org unit. Every write runs in one transaction with the change-feed entry other processes
// need ("telehealth.<what>", a small JSON object: docs/telehealth.md). Every read of a
// person's data by staff is written to the access log, and a read of a record another
// hospital holds needs the patient's consent.
//
// Thread safety: every method may be called from any thread. Booking holds across processes:
// a unique index on the slot (and on PostgreSQL a row lock on the expert) decides a race.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/time.h"
#include "mekong/registry/access.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"
#include "mekong/telehealth/payment.h"
#include "mekong/telehealth/records.h"

namespace mekong::telehealth {

// Tables, migrations and what they build on (store/module.h): registry.
extern const store::Module kModule;

struct ServiceOptions {
  // The video link of a consultation: "{room}" is replaced by an unguessable room name (32 hex
  // digits), "{consultation}" by the consultation's id.
  std::string video_url_template = "https://meet.jit.si/mekong-{room}";
  // The longest a consent may last.
  int64_t max_consent_ms = 366 * kMillisPerDay;
};

struct NewHospital {
  FacilityId facility;  // a registry facility of kind "hospital"
  std::string country, zone, currency;
  std::vector<std::string> languages;
};

struct ExpertQuery {
  std::string specialty;  // empty: any
  std::string language;   // spoken by the expert; empty: any
  std::string country;    // of the hospital; empty: any
};

// Which referrals to list: a patient's, or those a hospital sent or received.
struct ReferralQuery {
  std::optional<PersonId> patient;
  std::optional<FacilityId> hospital;
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, ServiceOptions options = {});
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Makes `provider` available by its name (borrowed: it must outlive the service). The
  // counter is always there.
  void AddPaymentProvider(PaymentProvider& provider);

  // ---- Partner network (kManagePartnerNetwork; reads: kReadTelehealth) ----

  Result<Hospital> AddHospital(const registry::Caller& by, const NewHospital& in);
  Result<Hospital> GetHospital(const registry::Caller& by, FacilityId id);
  Result<std::vector<Hospital>> ListHospitals(const registry::Caller& by);
  Result<Department> AddDepartment(const registry::Caller& by, FacilityId hospital,
                                   std::string_view name);
  // The user must be a clinician; one practitioner row per user.
  Result<Practitioner> AddPractitioner(const registry::Caller& by, const NewPractitioner& in);
  Result<Practitioner> GetPractitioner(const registry::Caller& by, PractitionerId id);
  // Replaces the expert's weekly hours (in the hospital's zone) and notice period.
  Status SetWeeklyHours(const registry::Caller& by, PractitionerId expert,
                        const std::vector<WeeklyHours>& weekly, int min_notice_minutes = 0);
  // Closes whole local days for one practitioner, or for the whole hospital when none.
  Status AddClosure(const registry::Caller& by, FacilityId hospital,
                    std::optional<PractitionerId> practitioner, const Closure& closure);
  // Bookable experts by specialty, language and country, by name.
  Result<std::vector<ExpertListing>> FindExperts(const registry::Caller& by, const ExpertQuery& q);
  // Sets a hospital's fee for `code`; `amount` is decimal text in the hospital's currency.
  Result<Fee> SetFee(const registry::Caller& by, FacilityId hospital, std::string_view code,
                     std::string_view description, std::string_view amount);
  // Records the rate for `as_of` (one per currency pair and date), with its source.
  Result<StoredRate> AddExchangeRate(const registry::Caller& by, std::string_view from,
                                     std::string_view to, std::string_view rate,
                                     std::string_view as_of, std::string_view source);

  // ---- Availability and booking (kBookConsultation; reads: kReadTelehealth) ----

  // Free slots of `expert` on the reader's local dates [from, to] in `zone`.
  Result<std::vector<Slot>> FreeSlots(const registry::Caller& by, PractitionerId expert,
                                      std::string_view zone, std::string_view from,
                                      std::string_view to);
  // Books a free slot and opens its consultation (planned, with its video link). A citizen
  // books for themself; a clinician for a patient their hospital serves, and becomes the
  // referring doctor when they are not the expert's colleague. A taken slot is already_exists
  // naming "start", whichever server took it.
  Result<Appointment> Book(const registry::Caller& by, const NewAppointment& in,
                           std::optional<PractitionerId> referring = std::nullopt);
  // Cancels before the start (the patient, or the expert's hospital).
  Result<Appointment> Cancel(const registry::Caller& by, AppointmentId id, std::string_view reason);
  // Moves the booking to another free slot of the same expert in one transaction: the old
  // appointment is cancelled ("rescheduled"), the new one points back at it, and the
  // consultation follows.
  Result<Appointment> Reschedule(const registry::Caller& by, AppointmentId id, int64_t start);
  // The expert's hospital records what happened: arrived, checked-in, fulfilled, noshow (only
  // once the start has passed), entered-in-error.
  Result<Appointment> SetAppointmentStatus(const registry::Caller& by, AppointmentId id,
                                           AppointmentStatus status);
  Result<Appointment> GetAppointment(const registry::Caller& by, AppointmentId id);
  Result<std::vector<Appointment>> PatientAppointments(const registry::Caller& by,
                                                       PersonId patient);
  // The expert's appointments starting in [from, to) (the expert, or their hospital).
  Result<std::vector<Appointment>> ExpertCalendar(const registry::Caller& by, PractitionerId expert,
                                                  int64_t from, int64_t to);

  // ---- Consultation (writes: kConsult; messages: kConsultMessage) ----

  // The referring doctor's structured description (history, findings, vitals, attachments);
  // replaces the earlier one.
  Status WriteDescription(const registry::Caller& by, ConsultationId id, const Description& d);
  // The expert's notes (the expert's hospital).
  Status WriteNotes(const registry::Caller& by, ConsultationId id, std::string_view notes);
  Status AddDiagnosis(const registry::Caller& by, ConsultationId id, std::string_view icd10,
                      std::string_view text);
  Status AddPrescription(const registry::Caller& by, ConsultationId id, const Prescription& p);
  // A message among the patient, the referring doctor and the expert.
  Status PostMessage(const registry::Caller& by, ConsultationId id, std::string_view body);
  // planned -> in-progress -> finished (the appointment becomes fulfilled).
  Result<Consultation> SetConsultationStatus(const registry::Caller& by, ConsultationId id,
                                             EncounterStatus status);
  // The record with the parts the caller may read; a part held by another hospital is
  // withheld without the patient's consent. The read is logged.
  Result<Consultation> GetConsultation(const registry::Caller& by, ConsultationId id);
  // Documents attached to a consultation (documents/service.h) belong to its description:
  // whoever may read the description reads them (the read is checked and logged as
  // GetConsultation's); a clinician of one of its two hospitals attaches them.
  Status ConsultationDocumentAccess(const registry::Caller& by, ConsultationId id, bool attach);

  // ---- Consent (kGrantConsent; reads: kReadTelehealth) ----

  Result<Consent> GrantConsent(const registry::Caller& by, const NewConsent& in);
  Status RevokeConsent(const registry::Caller& by, ConsentId id);
  Result<std::vector<Consent>> ListConsents(const registry::Caller& by, PersonId patient);
  // Who read the patient's records, newest first (the patient themself, or an admin).
  Result<std::vector<ReadEntry>> WhoRead(const registry::Caller& by, PersonId patient,
                                         int limit = 100);

  // ---- Referral (kRefer; reads: kReadTelehealth) ----

  // From the caller's hospital to another partner hospital.
  Result<Referral> Refer(const registry::Caller& by, const NewReferral& in);
  // The receiving hospital accepts, starts, completes or declines (FHIR "rejected", with a
  // reason); the sending hospital may cancel while it is requested.
  Result<Referral> UpdateReferral(const registry::Caller& by, ReferralId id, TaskStatus status,
                                  std::string_view reason = {});
  Result<Referral> GetReferral(const registry::Caller& by, ReferralId id);
  Result<std::vector<Referral>> ListReferrals(const registry::Caller& by, const ReferralQuery& q);

  // ---- Cross-border medical transport (kManageTransport) ----

  // The patient (for themself) or the origin hospital applies.
  Result<Transport> ApplyForTransport(const registry::Caller& by, const NewTransport& in);
  // Attaches (or replaces) one document the destination country requires.
  Result<Transport> AttachDocument(const registry::Caller& by, TransportId id,
                                   std::string_view kind, std::string_view reference);
  // The destination hospital reviews: submitted -> in-review -> approved (every required
  // document attached) or refused (with a reason) -> scheduled -> completed. The applicant
  // may cancel until it is completed.
  Result<Transport> UpdateTransport(const registry::Caller& by, TransportId id,
                                    TransportStatus status, std::string_view reason = {},
                                    std::optional<int64_t> scheduled_at = std::nullopt);
  Result<Transport> GetTransport(const registry::Caller& by, TransportId id);

  // ---- Billing (kBill; payments: kPay; reads: kReadTelehealth) ----

  // A quote (a draft invoice) of the hospital's fees in the patient's currency at the rate
  // for the date (the latest on or before it), which it keeps.
  Result<Invoice> Quote(const registry::Caller& by, const NewQuote& in);
  // Issues a quote as the invoice, at the quote's rate.
  Result<Invoice> Issue(const registry::Caller& by, InvoiceId id);
  // Records a payment through `provider`; partial payments add up to the total, and more is
  // refused. `amount` is decimal text in the invoice's currency.
  Result<Invoice> Pay(const registry::Caller& by, InvoiceId id, std::string_view provider,
                      std::string_view method, std::string_view amount,
                      std::string_view reference = {});
  // Gives back up to what was paid (kBill).
  Result<Invoice> Refund(const registry::Caller& by, InvoiceId id, std::string_view provider,
                         std::string_view method, std::string_view amount,
                         std::string_view reference = {});
  Result<Invoice> GetInvoice(const registry::Caller& by, InvoiceId id);
  // A patient's quotes and invoices, newest first: all of them for the patient themself; for
  // staff of a hospital serving them, their hospital's (an admin: the hospitals in their unit).
  Result<std::vector<Invoice>> PatientInvoices(const registry::Caller& by, PersonId patient);
  Result<std::vector<Payment>> Payments(const registry::Caller& by, InvoiceId id);

 public:
  // The caller as telehealth sees them (internal.h), and the access rules every method
  // shares; public so the files implementing the service can use them in helpers.
  struct Actor;
  Result<Actor> ActorFor(store::Executor& ex, const registry::Caller& by);
  Status ActsFor(store::Executor& ex, const Actor& a, FacilityId hospital);
  // ActsFor `holder` of a part of a record already loaded: the record's own hospitals
  // (`parties`) learn it exists (a 403 for a part that is not theirs); to anyone else it reads
  // exactly like one that does not exist (`not_found`), so its id cannot be probed.
  Status ActsForRecord(store::Executor& ex, const Actor& a, FacilityId holder,
                       const std::vector<FacilityId>& parties, const Status& not_found);
  Status ServesPatient(store::Executor& ex, const Actor& a, PersonId patient);
  // Whether staff may see or act on an appointment: its hospital's, or the referring
  // hospital's; the patient themself.
  Status SeesAppointment(store::Executor& ex, const Actor& a, const Appointment& appt);

 private:
  Result<Appointment> Transition(const registry::Caller& by, AppointmentId id, AppointmentStatus to,
                                 std::string_view reason);
  Result<Invoice> RecordPayment(const registry::Caller& by, InvoiceId id, std::string_view provider,
                                std::string_view method, std::string_view amount,
                                std::string_view reference, bool refund);

  store::Database& db_;
  const Clock& clock_;
  const ServiceOptions options_;
  CounterProvider counter_;
  std::map<std::string, PaymentProvider*, std::less<>> providers_;
};

}  // namespace mekong::telehealth
