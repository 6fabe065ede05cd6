// Availability and booking: Appointment rows, each opening its virtual consultation.
#include "mekong/core/crypto.h"
#include "mekong/core/text.h"
#include "mekong/core/zone.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/telehealth/internal.h"

namespace mekong::telehealth {

using registry::Capability;
using namespace internal;

namespace {

constexpr const char* kAppointmentSelect =
    "SELECT a.id, a.patient_id, a.practitioner_id, a.hospital_id, a.start_at, a.end_at, "
    "a.status, a.patient_zone, a.reason, a.cancel_reason, a.rescheduled_from, a.booked_by, "
    "a.created_at, a.updated_at, c.id FROM tele_appointment a LEFT JOIN tele_consultation c ON "
    "c.appointment_id = a.id";

Appointment AppointmentFrom(const store::Rows& r, size_t i) {
  Appointment a;
  a.id = AppointmentId(r.Int(i, 0));
  a.patient = PersonId(r.Int(i, 1));
  a.practitioner = PractitionerId(r.Int(i, 2));
  a.hospital = FacilityId(r.Int(i, 3));
  a.start = r.Int(i, 4);
  a.end = r.Int(i, 5);
  a.status = ParseAppointmentStatus(r.Text(i, 6), "status").value();
  a.patient_zone = r.Text(i, 7);
  a.reason = r.Text(i, 8);
  a.cancel_reason = r.Text(i, 9);
  if (!r.IsNull(i, 10)) a.rescheduled_from = AppointmentId(r.Int(i, 10));
  a.booked_by = UserId(r.Int(i, 11));
  a.created_at = r.Int(i, 12);
  a.updated_at = r.Int(i, 13);
  a.consultation = ConsultationId(r.Int(i, 14));
  return a;
}

std::string VideoUrl(const std::string& tmpl, int64_t consultation) {
  return ReplaceAll(ReplaceAll(tmpl, "{room}", HexEncode(RandomBytes(16))), "{consultation}",
                    std::to_string(consultation));
}

Status PublishAppointment(store::Executor& tx, const Appointment& a, std::string_view event,
                          int64_t now) {
  std::vector<Field> f = {{"appointment", a.id.value},
                          {"event", std::string(event)},
                          {"status", std::string(AppointmentStatusName(a.status))},
                          {"patient", a.patient.value},
                          {"practitioner", a.practitioner.value},
                          {"hospital", a.hospital.value},
                          {"start", a.start},
                          {"zone", a.patient_zone}};
  if (a.rescheduled_from) f.push_back({"rescheduled_from", a.rescheduled_from->value});
  return PublishChange(tx, "appointment", f, now);
}

std::string ReminderSource(AppointmentId id) {
  return "appointment:" + std::to_string(id.value) + ":reminder";
}

// Tells the patient, in this transaction and in their language, what happened to the
// appointment (`kind`: booked, rescheduled, cancelled), the time in the zone they booked in;
// a booked appointment also gets its reminder.
Status TellPatient(store::Executor& tx, const Appointment& a, const char* kind,
                   const std::string& reason, int64_t now) {
  ASSIGN_OR_RETURN(auto p, LoadPractitioner(tx, a.practitioner));
  ASSIGN_OR_RETURN(auto h, LoadHospital(tx, a.hospital));
  outbox::Notice n;
  n.person = a.patient;
  n.kind = std::string("appointment_") + kind;
  n.params = {{"expert", p.name}, {"hospital", h.name}};
  if (!reason.empty()) n.params.emplace_back("reason", reason);
  n.instants = {{"when", a.start, a.patient_zone}};
  n.link = "/me/telehealth/bookings";
  n.source = "appointment:" + std::to_string(a.id.value) + ":" + kind;
  RETURN_IF_ERROR(outbox::Enqueue(tx, n, now).status());
  if (a.status != AppointmentStatus::kBooked) return Status::Ok();
  if (auto at = outbox::ReminderAt(a.start, now)) {
    n.kind = "appointment_reminder";
    n.params.resize(2);
    n.source = ReminderSource(a.id);
    n.not_before = at;
    RETURN_IF_ERROR(outbox::Enqueue(tx, n, now).status());
  }
  return Status::Ok();
}

// The patient's other slot-holding appointment overlapping [start, end), if any.
Status CheckPatientFree(store::Executor& tx, PersonId patient, int64_t start, int64_t end,
                        std::optional<AppointmentId> except) {
  ASSIGN_OR_RETURN(auto r, tx.Query("SELECT id FROM tele_appointment WHERE patient_id = ? AND "
                                    "holds_slot = 1 AND start_at < ? AND end_at > ?",
                                    {patient.value, end, start}));
  for (size_t i = 0; i < r.size(); ++i) {
    if (except && r.Int(i, 0) == except->value) continue;
    return Status::FailedPrecondition(
        "the patient has appointment " + std::to_string(r.Int(i, 0)) + " at this time", "start");
  }
  return Status::Ok();
}

}  // namespace

Result<Appointment> internal::LoadAppointment(store::Executor& ex, AppointmentId id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kAppointmentSelect) + " WHERE a.id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no appointment " + std::to_string(id.value), "id");
  return AppointmentFrom(r, 0);
}

Status Service::SeesAppointment(store::Executor& ex, const Actor& a, const Appointment& appt) {
  if (a.citizen()) {
    if (a.caller.person && *a.caller.person == appt.patient) return Status::Ok();
    return Status::NotFound("no appointment " + std::to_string(appt.id.value), "id");
  }
  if (ActsFor(ex, a, appt.hospital).ok()) return Status::Ok();
  if (auto h = a.hospital()) {
    ASSIGN_OR_RETURN(auto r, ex.Query("SELECT referring_hospital_id FROM tele_consultation WHERE "
                                      "id = ?",
                                      {appt.consultation.value}));
    if (!r.empty() && !r.IsNull(0, 0) && r.Int(0, 0) == h->value) return Status::Ok();
  }
  return Status::NotFound("no appointment " + std::to_string(appt.id.value), "id");
}

Result<std::vector<Slot>> Service::FreeSlots(const registry::Caller& by, PractitionerId expert,
                                             std::string_view zone, std::string_view from,
                                             std::string_view to) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  std::vector<Slot> out;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(auto p, LoadPractitioner(ex, expert, "practitioner_id"));
    if (!p.bookable)
      return Status::FailedPrecondition("this practitioner takes no bookings", "practitioner_id");
    ASSIGN_OR_RETURN(auto h, LoadHospital(ex, p.hospital));
    ASSIGN_OR_RETURN(auto rules, RulesFor(ex, p, h));
    // Busy intervals over the widest span the reader's dates can cover.
    ASSIGN_OR_RETURN(int64_t first, ParseDay(from, "from"));
    ASSIGN_OR_RETURN(int64_t last, ParseDay(to, "to"));
    ASSIGN_OR_RETURN(auto busy,
                     BusyFor(ex, expert, (first - 2) * kMillisPerDay, (last + 3) * kMillisPerDay));
    ASSIGN_OR_RETURN(out, telehealth::FreeSlots(rules, busy, zone, from, to, clock_.NowMillis()));
    return Status::Ok();
  }));
  return out;
}

Result<Appointment> Service::Book(const registry::Caller& by, const NewAppointment& in,
                                  std::optional<PractitionerId> referring) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookConsultation));
  if (Status s = ValidateZone(in.patient_zone); !s.ok())
    return Status::InvalidArgument(s.message(), "patient_zone");
  RETURN_IF_ERROR(CheckText(in.reason, "reason", 2000, false, true));
  const int64_t now = clock_.NowMillis();
  Appointment out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ServesPatient(tx, a, in.patient));
    // Bookings of one expert take turns (PostgreSQL; SQLite's writers already do), so the
    // check below sees every committed booking; the unique index on the slot backs it.
    RETURN_IF_ERROR(LockRow(tx, "tele_practitioner", in.practitioner.value));
    ASSIGN_OR_RETURN(auto p, LoadPractitioner(tx, in.practitioner));
    if (!p.bookable)
      return Status::FailedPrecondition("this practitioner takes no bookings", "practitioner_id");
    ASSIGN_OR_RETURN(auto h, LoadHospital(tx, p.hospital));
    std::optional<Practitioner> ref;
    if (referring) {
      ASSIGN_OR_RETURN(ref, LoadPractitioner(tx, *referring, "referring_id"));
    } else if (a.practitioner && a.practitioner->hospital != p.hospital) {
      ref = a.practitioner;  // a local doctor booking for their patient refers them
    }
    ASSIGN_OR_RETURN(auto rules, RulesFor(tx, p, h));
    ASSIGN_OR_RETURN(auto busy,
                     BusyFor(tx, p.id, in.start - kMillisPerDay, in.start + kMillisPerDay));
    ASSIGN_OR_RETURN(int64_t end, CheckBookable(rules, busy, in.start, now));
    RETURN_IF_ERROR(CheckPatientFree(tx, in.patient, in.start, end, std::nullopt));
    auto r = tx.Query(
        "INSERT INTO tele_appointment (patient_id, practitioner_id, hospital_id, start_at, "
        "end_at, status, holds_slot, patient_zone, reason, cancel_reason, booked_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, 'booked', 1, ?, ?, '', ?, ?, ?) RETURNING id",
        {in.patient.value, p.id.value, h.id.value, in.start, end, in.patient_zone, in.reason,
         by.user.value, now, now});
    if (!r.ok() && r.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("this slot is already booked", "start");
    RETURN_IF_ERROR(r);
    const int64_t id = r->Int(0, 0);
    std::optional<int64_t> ref_id, ref_hospital;
    if (ref) {
      ref_id = ref->id.value;
      ref_hospital = ref->hospital.value;
    }
    ASSIGN_OR_RETURN(
        auto c,
        tx.Query("INSERT INTO tele_consultation (appointment_id, patient_id, "
                 "expert_id, expert_hospital_id, referring_id, "
                 "referring_hospital_id, status, video_url, history, "
                 "findings, expert_notes, created_at, updated_at) VALUES (?, "
                 "?, ?, ?, ?, ?, 'planned', '', '', '', '', ?, ?) RETURNING id",
                 {id, in.patient.value, p.id.value, h.id.value, ref_id, ref_hospital, now, now}));
    const int64_t cid = c.Int(0, 0);
    RETURN_IF_ERROR(tx.Exec("UPDATE tele_consultation SET video_url = ? WHERE id = ?",
                            {VideoUrl(options_.video_url_template, cid), cid}));
    if (!a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(tx, by, in.patient, "telehealth: book appointment", now));
    ASSIGN_OR_RETURN(out, LoadAppointment(tx, AppointmentId(id)));
    RETURN_IF_ERROR(TellPatient(tx, out, "booked", "", now));
    return PublishAppointment(tx, out, "booked", now);
  }));
  return out;
}

Result<Appointment> Service::Cancel(const registry::Caller& by, AppointmentId id,
                                    std::string_view reason) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookConsultation));
  RETURN_IF_ERROR(CheckText(reason, "reason", 500, true));
  return Transition(by, id, AppointmentStatus::kCancelled, reason);
}

Result<Appointment> Service::SetAppointmentStatus(const registry::Caller& by, AppointmentId id,
                                                  AppointmentStatus status) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  return Transition(by, id, status, {});
}

Result<Appointment> Service::Transition(const registry::Caller& by, AppointmentId id,
                                        AppointmentStatus to, std::string_view reason) {
  using S = AppointmentStatus;
  const int64_t now = clock_.NowMillis();
  Appointment out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(LockRow(tx, "tele_appointment", id.value));
    ASSIGN_OR_RETURN(auto appt, LoadAppointment(tx, id));
    RETURN_IF_ERROR(SeesAppointment(tx, a, appt));
    const S from = appt.status;
    auto refuse = [&] {
      return Status::FailedPrecondition("appointment " + std::to_string(id.value) + " is " +
                                            std::string(AppointmentStatusName(from)) +
                                            " and cannot become " +
                                            std::string(AppointmentStatusName(to)),
                                        "status");
    };
    if (to != S::kCancelled) {
      // What happened at the visit is the expert's hospital's to record.
      RETURN_IF_ERROR(ActsFor(tx, a, appt.hospital));
    }
    switch (to) {
      case S::kCancelled:
        if (from != S::kBooked && from != S::kPending && from != S::kProposed &&
            from != S::kWaitlist)
          return refuse();
        if (now >= appt.start)
          return Status::FailedPrecondition("the appointment has started; record a no-show",
                                            "status");
        break;
      case S::kArrived:
        if (from != S::kBooked) return refuse();
        break;
      case S::kCheckedIn:
        if (from != S::kBooked && from != S::kArrived) return refuse();
        break;
      case S::kFulfilled:
        if (from != S::kBooked && from != S::kArrived && from != S::kCheckedIn) return refuse();
        if (now < appt.start)
          return Status::FailedPrecondition("the appointment has not started", "status");
        break;
      case S::kNoShow:
        if (from != S::kBooked) return refuse();
        if (now < appt.start)
          return Status::FailedPrecondition("a no-show is recorded once the start has passed",
                                            "status");
        break;
      case S::kEnteredInError:
        if (from == S::kEnteredInError) return refuse();
        break;
      default:
        return Status::InvalidArgument("an appointment is booked by Book, not set to " +
                                           std::string(AppointmentStatusName(to)),
                                       "status");
    }
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_appointment SET status = ?, holds_slot = ?, "
                "cancel_reason = ?, updated_at = ? WHERE id = ?",
                {AppointmentStatusName(to), HoldsSlot(to), reason, now, id.value}));
    if (!HoldsSlot(to)) {
      RETURN_IF_ERROR(
          tx.Exec("UPDATE tele_consultation SET status = 'cancelled', updated_at = ? "
                  "WHERE appointment_id = ? AND status <> 'finished'",
                  {now, id.value}));
    }
    if (!a.citizen()) {
      RETURN_IF_ERROR(registry::LogAccess(tx, by, appt.patient,
                                          "telehealth: appointment " + std::to_string(id.value) +
                                              " " + std::string(AppointmentStatusName(to)),
                                          now));
    }
    ASSIGN_OR_RETURN(out, LoadAppointment(tx, id));
    // No reminder for what no longer takes place; a cancel is told.
    if (!HoldsSlot(to))
      RETURN_IF_ERROR(outbox::Withdraw(tx, out.patient, ReminderSource(id), now).status());
    if (to == S::kCancelled)
      RETURN_IF_ERROR(TellPatient(tx, out, "cancelled", std::string(reason), now));
    return PublishAppointment(tx, out, AppointmentStatusName(to), now);
  }));
  return out;
}

Result<Appointment> Service::Reschedule(const registry::Caller& by, AppointmentId id,
                                        int64_t start) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookConsultation));
  const int64_t now = clock_.NowMillis();
  Appointment out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto old, LoadAppointment(tx, id));
    RETURN_IF_ERROR(SeesAppointment(tx, a, old));
    RETURN_IF_ERROR(LockRow(tx, "tele_practitioner", old.practitioner.value));
    ASSIGN_OR_RETURN(old, LoadAppointment(tx, id));  // as it is now that we hold the lock
    if (old.status != AppointmentStatus::kBooked)
      return Status::FailedPrecondition("only a booked appointment can be moved; this one is " +
                                            std::string(AppointmentStatusName(old.status)),
                                        "status");
    if (now >= old.start)
      return Status::FailedPrecondition("the appointment has started", "status");
    ASSIGN_OR_RETURN(auto p, LoadPractitioner(tx, old.practitioner));
    ASSIGN_OR_RETURN(auto h, LoadHospital(tx, p.hospital));
    ASSIGN_OR_RETURN(auto rules, RulesFor(tx, p, h));
    ASSIGN_OR_RETURN(auto busy,
                     BusyFor(tx, p.id, start - kMillisPerDay, start + kMillisPerDay, old.id));
    ASSIGN_OR_RETURN(int64_t end, CheckBookable(rules, busy, start, now));
    RETURN_IF_ERROR(CheckPatientFree(tx, old.patient, start, end, old.id));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_appointment SET status = 'cancelled', holds_slot = 0, "
                "cancel_reason = 'rescheduled', updated_at = ? WHERE id = ?",
                {now, id.value}));
    auto r = tx.Query(
        "INSERT INTO tele_appointment (patient_id, practitioner_id, hospital_id, start_at, "
        "end_at, status, holds_slot, patient_zone, reason, cancel_reason, rescheduled_from, "
        "booked_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'booked', 1, ?, ?, '', ?, ?, "
        "?, ?) RETURNING id",
        {old.patient.value, p.id.value, h.id.value, start, end, old.patient_zone, old.reason,
         id.value, by.user.value, now, now});
    if (!r.ok() && r.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("this slot is already booked", "start");
    RETURN_IF_ERROR(r);
    const int64_t new_id = r->Int(0, 0);
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_consultation SET appointment_id = ?, updated_at = ? "
                "WHERE appointment_id = ?",
                {new_id, now, id.value}));
    if (!a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(
          tx, by, old.patient, "telehealth: reschedule appointment " + std::to_string(id.value),
          now));
    ASSIGN_OR_RETURN(out, LoadAppointment(tx, AppointmentId(new_id)));
    RETURN_IF_ERROR(outbox::Withdraw(tx, out.patient, ReminderSource(id), now).status());
    RETURN_IF_ERROR(TellPatient(tx, out, "rescheduled", "", now));
    return PublishAppointment(tx, out, "rescheduled", now);
  }));
  return out;
}

Result<Appointment> Service::GetAppointment(const registry::Caller& by, AppointmentId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  Appointment out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(out, LoadAppointment(tx, id));
    RETURN_IF_ERROR(SeesAppointment(tx, a, out));
    if (a.citizen()) return Status::Ok();
    return registry::LogAccess(tx, by, out.patient,
                               "telehealth: read appointment " + std::to_string(id.value),
                               clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<Appointment>> Service::PatientAppointments(const registry::Caller& by,
                                                              PersonId patient) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  std::vector<Appointment> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ServesPatient(tx, a, patient));
    ASSIGN_OR_RETURN(auto r, tx.Query(std::string(kAppointmentSelect) +
                                          " WHERE a.patient_id = ? ORDER BY a.start_at, a.id",
                                      {patient.value}));
    for (size_t i = 0; i < r.size(); ++i) {
      Appointment appt = AppointmentFrom(r, i);
      if (SeesAppointment(tx, a, appt).ok()) out.push_back(std::move(appt));
    }
    if (a.citizen()) return Status::Ok();
    return registry::LogAccess(tx, by, patient, "telehealth: list appointments",
                               clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<Appointment>> Service::ExpertCalendar(const registry::Caller& by,
                                                         PractitionerId expert, int64_t from,
                                                         int64_t to) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  if (to <= from) return Status::InvalidArgument("must be after from", "to");
  if (to - from > 93 * kMillisPerDay)
    return Status::InvalidArgument("the range is longer than 93 days", "to");
  std::vector<Appointment> out;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(ex, by));
    ASSIGN_OR_RETURN(auto p, LoadPractitioner(ex, expert, "practitioner_id"));
    RETURN_IF_ERROR(ActsFor(ex, a, p.hospital));
    ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kAppointmentSelect) +
                                          " WHERE a.practitioner_id = ? AND a.start_at >= ? AND "
                                          "a.start_at < ? ORDER BY a.start_at, a.id",
                                      {expert.value, from, to}));
    for (size_t i = 0; i < r.size(); ++i) out.push_back(AppointmentFrom(r, i));
    return Status::Ok();
  }));
  return out;
}

}  // namespace mekong::telehealth
