// The remote consultation (an Encounter of class VR) and the patient's consent to hospitals.
//
// Each part of the record is held by one hospital: the description by the referring hospital
// (the expert's when nobody referred), the notes, diagnoses and prescriptions by the expert's.
// A reader at the holding hospital reads it; a reader at another hospital only under the
// patient's consent to their hospital for that kind of record; the messages belong to both
// parties. Every staff read is logged, naming the consent it used.
#include <algorithm>
#include <set>

#include "mekong/registry/registry.h"
#include "mekong/telehealth/internal.h"

namespace mekong::telehealth {

namespace {
Status NoConsultation(ConsultationId id) {
  return Status::NotFound("no consultation " + std::to_string(id.value), "id");
}
// The hospitals a consultation belongs to: the expert's and the referring doctor's.
std::vector<FacilityId> Parties(const Consultation& c) {
  std::vector<FacilityId> out = {c.expert_hospital};
  if (c.referring_hospital) out.push_back(*c.referring_hospital);
  return out;
}
}  // namespace

using registry::Capability;
using namespace internal;

namespace {

constexpr std::string_view kKindNames[] = {"description", "notes", "diagnoses", "prescriptions",
                                           "messages"};

constexpr const char* kConsultationSelect =
    "SELECT id, appointment_id, patient_id, expert_id, expert_hospital_id, referring_id, "
    "referring_hospital_id, status, video_url, history, findings, expert_notes, created_at, "
    "updated_at FROM tele_consultation";

// The header and the texts, before access decides what the reader gets.
struct Row {
  Consultation c;
  std::string history, findings, notes;
};

Result<Row> LoadRow(store::Executor& ex, ConsultationId id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kConsultationSelect) + " WHERE id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no consultation " + std::to_string(id.value), "id");
  Row row;
  Consultation& c = row.c;
  c.id = ConsultationId(r.Int(0, 0));
  if (!r.IsNull(0, 1)) c.appointment = AppointmentId(r.Int(0, 1));
  c.patient = PersonId(r.Int(0, 2));
  c.expert = PractitionerId(r.Int(0, 3));
  c.expert_hospital = FacilityId(r.Int(0, 4));
  if (!r.IsNull(0, 5)) c.referring = PractitionerId(r.Int(0, 5));
  if (!r.IsNull(0, 6)) c.referring_hospital = FacilityId(r.Int(0, 6));
  c.status = ParseEncounterStatus(r.Text(0, 7), "status").value();
  c.video_url = r.Text(0, 8);
  row.history = r.Text(0, 9);
  row.findings = r.Text(0, 10);
  row.notes = r.Text(0, 11);
  c.created_at = r.Int(0, 12);
  c.updated_at = r.Int(0, 13);
  return row;
}

// The hospital that holds a kind of record in this consultation.
FacilityId Holder(const Consultation& c, RecordKind kind) {
  if (kind == RecordKind::kDescription && c.referring_hospital) return *c.referring_hospital;
  return c.expert_hospital;
}

Status RequireOpen(const Consultation& c) {
  if (c.status == EncounterStatus::kPlanned || c.status == EncounterStatus::kInProgress)
    return Status::Ok();
  return Status::FailedPrecondition("consultation " + std::to_string(c.id.value) + " is " +
                                        std::string(EncounterStatusName(c.status)),
                                    "status");
}

Status PublishConsultation(store::Executor& tx, const Consultation& c, std::string_view event,
                           int64_t now) {
  return PublishChange(tx, "consultation",
                       {{"consultation", c.id.value},
                        {"event", std::string(event)},
                        {"status", std::string(EncounterStatusName(c.status))},
                        {"patient", c.patient.value},
                        {"expert_hospital", c.expert_hospital.value}},
                       now);
}

Consent ConsentFrom(const store::Rows& r, size_t i) {
  Consent c;
  c.id = ConsentId(r.Int(i, 0));
  c.patient = PersonId(r.Int(i, 1));
  c.grantee = FacilityId(r.Int(i, 2));
  for (const auto& k : SplitList(r.Text(i, 3))) {
    if (auto kind = ParseRecordKind(k, "kinds"); kind.ok()) c.kinds.push_back(*kind);
  }
  if (!r.IsNull(i, 4)) c.consultation = ConsultationId(r.Int(i, 4));
  c.from = r.Int(i, 5);
  c.until = r.Int(i, 6);
  c.revoked_at = r.OptInt(i, 7);
  c.created_at = r.Int(i, 8);
  return c;
}

constexpr const char* kConsentSelect =
    "SELECT id, patient_id, grantee_hospital_id, kinds, consultation_id, from_at, until_at, "
    "revoked_at, created_at FROM tele_consent";

}  // namespace

std::string_view RecordKindName(RecordKind k) { return kKindNames[static_cast<size_t>(k)]; }

Result<RecordKind> ParseRecordKind(std::string_view name, std::string_view field) {
  for (size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return static_cast<RecordKind>(i);
  }
  return Status::InvalidArgument("'" + std::string(name) +
                                     "' is not a record kind (description, notes, diagnoses, "
                                     "prescriptions, messages)",
                                 std::string(field));
}

Result<std::optional<ConsentId>> internal::ConsentFor(store::Executor& ex, PersonId patient,
                                                      FacilityId hospital, RecordKind kind,
                                                      std::optional<ConsultationId> consultation,
                                                      int64_t now) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kConsentSelect) +
                                        " WHERE patient_id = ? AND grantee_hospital_id = ? AND "
                                        "revoked_at IS NULL AND from_at <= ? AND until_at > ? "
                                        "ORDER BY id",
                                    {patient.value, hospital.value, now, now}));
  for (size_t i = 0; i < r.size(); ++i) {
    Consent c = ConsentFrom(r, i);
    if (std::find(c.kinds.begin(), c.kinds.end(), kind) == c.kinds.end()) continue;
    if (c.consultation && c.consultation != consultation) continue;
    return std::optional<ConsentId>(c.id);
  }
  return std::optional<ConsentId>();
}

// ---- Writing the record --------------------------------------------------------------------

Status Service::WriteDescription(const registry::Caller& by, ConsultationId id,
                                 const Description& d) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  RETURN_IF_ERROR(CheckText(d.history, "history", 20000, false, true));
  RETURN_IF_ERROR(CheckText(d.findings, "findings", 20000, false, true));
  const int64_t now = clock_.NowMillis();
  std::vector<Vital> vitals = d.vitals;
  for (size_t i = 0; i < vitals.size(); ++i) {
    const std::string at = "vitals[" + std::to_string(i) + "].";
    ASSIGN_OR_RETURN(VitalSign sign, FindVitalSign(vitals[i].loinc, at + "loinc"));
    RETURN_IF_ERROR(ValidateVitalValue(sign, vitals[i].value, at + "value"));
    if (!vitals[i].unit.empty() && vitals[i].unit != sign.unit)
      return Status::InvalidArgument("must be " + std::string(sign.unit), at + "unit");
    vitals[i].unit = sign.unit;
    if (vitals[i].observed_at <= 0 || vitals[i].observed_at > now + 5 * kMillisPerMinute)
      return Status::InvalidArgument("must be a time not in the future", at + "observed_at");
  }
  if (d.attachments.size() > 50) return Status::InvalidArgument("at most 50", "attachments");
  for (size_t i = 0; i < d.attachments.size(); ++i)
    RETURN_IF_ERROR(
        CheckText(d.attachments[i], "attachments[" + std::to_string(i) + "]", 500, true));
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    RETURN_IF_ERROR(ActsForRecord(tx, a, Holder(row.c, RecordKind::kDescription), Parties(row.c),
                                  NoConsultation(id)));
    RETURN_IF_ERROR(RequireOpen(row.c));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_consultation SET history = ?, findings = ?, updated_at "
                "= ? WHERE id = ?",
                {d.history, d.findings, now, id.value}));
    RETURN_IF_ERROR(tx.Exec("DELETE FROM tele_vital WHERE consultation_id = ?", {id.value}));
    RETURN_IF_ERROR(tx.Exec("DELETE FROM tele_attachment WHERE consultation_id = ?", {id.value}));
    for (const auto& v : vitals) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO tele_vital (consultation_id, loinc, value, unit, "
                  "observed_at) VALUES (?, ?, ?, ?, ?)",
                  {id.value, v.loinc, v.value, v.unit, v.observed_at}));
    }
    for (const auto& ref : d.attachments) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO tele_attachment (consultation_id, reference) VALUES (?, ?)",
                  {id.value, ref}));
    }
    RETURN_IF_ERROR(registry::LogAccess(
        tx, by, row.c.patient,
        "telehealth: write description of consultation " + std::to_string(id.value), now));
    return PublishConsultation(tx, row.c, "description", now);
  });
}

Status Service::WriteNotes(const registry::Caller& by, ConsultationId id, std::string_view notes) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  RETURN_IF_ERROR(CheckText(notes, "notes", 20000, true, true));
  const int64_t now = clock_.NowMillis();
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    RETURN_IF_ERROR(
        ActsForRecord(tx, a, row.c.expert_hospital, Parties(row.c), NoConsultation(id)));
    RETURN_IF_ERROR(RequireOpen(row.c));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_consultation SET expert_notes = ?, updated_at = ? WHERE id = ?",
                {notes, now, id.value}));
    RETURN_IF_ERROR(registry::LogAccess(
        tx, by, row.c.patient,
        "telehealth: write notes of consultation " + std::to_string(id.value), now));
    return PublishConsultation(tx, row.c, "notes", now);
  });
}

Status Service::AddDiagnosis(const registry::Caller& by, ConsultationId id, std::string_view icd10,
                             std::string_view text) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  RETURN_IF_ERROR(ValidateIcd10(icd10, "icd10"));
  RETURN_IF_ERROR(CheckText(text, "text", 500, false));
  const int64_t now = clock_.NowMillis();
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    RETURN_IF_ERROR(
        ActsForRecord(tx, a, row.c.expert_hospital, Parties(row.c), NoConsultation(id)));
    RETURN_IF_ERROR(RequireOpen(row.c));
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO tele_diagnosis (consultation_id, icd10, text, by_user, "
                "at) VALUES (?, ?, ?, ?, ?)",
                {id.value, icd10, text, by.user.value, now}));
    RETURN_IF_ERROR(registry::LogAccess(tx, by, row.c.patient,
                                        "telehealth: diagnose " + std::string(icd10) +
                                            " in consultation " + std::to_string(id.value),
                                        now));
    return PublishConsultation(tx, row.c, "diagnosis", now);
  });
}

Status Service::AddPrescription(const registry::Caller& by, ConsultationId id,
                                const Prescription& p) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  RETURN_IF_ERROR(CheckText(p.medication, "medication", 200, true));
  RETURN_IF_ERROR(CheckText(p.dose, "dose", 100, true));
  RETURN_IF_ERROR(CheckText(p.route, "route", 50, true));
  RETURN_IF_ERROR(CheckText(p.frequency, "frequency", 100, true));
  RETURN_IF_ERROR(CheckText(p.notes, "notes", 2000, false, true));
  if (p.duration_days < 0 || p.duration_days > 365)
    return Status::InvalidArgument("must be 0 to 365", "duration_days");
  const int64_t now = clock_.NowMillis();
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    RETURN_IF_ERROR(
        ActsForRecord(tx, a, row.c.expert_hospital, Parties(row.c), NoConsultation(id)));
    RETURN_IF_ERROR(RequireOpen(row.c));
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO tele_prescription (consultation_id, medication, dose, route, frequency, "
        "duration_days, notes, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id.value, p.medication, p.dose, p.route, p.frequency, p.duration_days, p.notes,
         by.user.value, now}));
    RETURN_IF_ERROR(registry::LogAccess(
        tx, by, row.c.patient, "telehealth: prescribe in consultation " + std::to_string(id.value),
        now));
    return PublishConsultation(tx, row.c, "prescription", now);
  });
}

Status Service::PostMessage(const registry::Caller& by, ConsultationId id, std::string_view body) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsultMessage));
  RETURN_IF_ERROR(CheckText(body, "body", 4000, true, true));
  const int64_t now = clock_.NowMillis();
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    std::string role;
    if (a.citizen()) {
      if (a.caller.person != row.c.patient)
        return Status::NotFound("no consultation " + std::to_string(id.value), "id");
      role = "patient";
    } else if (ActsFor(tx, a, row.c.expert_hospital).ok()) {
      role = "expert";
    } else if (row.c.referring_hospital && ActsFor(tx, a, *row.c.referring_hospital).ok()) {
      role = "referring";
    } else {
      return Status::NotFound("no consultation " + std::to_string(id.value), "id");
    }
    if (row.c.status == EncounterStatus::kCancelled)
      return Status::FailedPrecondition("the consultation was cancelled", "status");
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO tele_message (consultation_id, author_id, "
                                      "author_role, body, at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                      {id.value, by.user.value, role, body, now}));
    return PublishChange(tx, "message",
                         {{"consultation", id.value},
                          {"message", r.Int(0, 0)},
                          {"author_role", role},
                          {"patient", row.c.patient.value}},
                         now);
  });
}

Result<Consultation> Service::SetConsultationStatus(const registry::Caller& by, ConsultationId id,
                                                    EncounterStatus status) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    RETURN_IF_ERROR(
        ActsForRecord(tx, a, row.c.expert_hospital, Parties(row.c), NoConsultation(id)));
    const EncounterStatus from = row.c.status;
    const bool ok = (from == EncounterStatus::kPlanned && status == EncounterStatus::kInProgress) ||
                    (from == EncounterStatus::kInProgress && status == EncounterStatus::kFinished);
    if (!ok) {
      return Status::FailedPrecondition(
          "a consultation goes planned -> in-progress -> finished; "
          "this one is " +
              std::string(EncounterStatusName(from)),
          "status");
    }
    RETURN_IF_ERROR(tx.Exec("UPDATE tele_consultation SET status = ?, updated_at = ? WHERE id = ?",
                            {EncounterStatusName(status), now, id.value}));
    if (status == EncounterStatus::kFinished && row.c.appointment) {
      // The visit happened: the appointment is fulfilled (it keeps its slot).
      RETURN_IF_ERROR(
          tx.Exec("UPDATE tele_appointment SET status = 'fulfilled', updated_at = ? "
                  "WHERE id = ? AND status IN ('booked', 'arrived', 'checked-in')",
                  {now, row.c.appointment->value}));
    }
    row.c.status = status;
    return PublishConsultation(tx, row.c, EncounterStatusName(status), now);
  }));
  return GetConsultation(by, id);
}

// ---- Reading the record --------------------------------------------------------------------

Status Service::ConsultationDocumentAccess(const registry::Caller& by, ConsultationId id,
                                           bool attach) {
  if (attach) RETURN_IF_ERROR(registry::Require(by, Capability::kConsult));
  ASSIGN_OR_RETURN(auto c, GetConsultation(by, id));
  if (!c.description)
    return Status::PermissionDenied(
        "the consultation's files are part of its description, "
        "which you may not read");
  if (!attach) return Status::Ok();
  return db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(ex, by));
    for (auto h : {std::optional<FacilityId>(c.expert_hospital), c.referring_hospital}) {
      if (h && ActsFor(ex, a, *h).ok()) return Status::Ok();
    }
    return Status::PermissionDenied(
        "files are attached by the clinicians of the consultation's two hospitals");
  });
}

Result<Consultation> Service::GetConsultation(const registry::Caller& by, ConsultationId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  const int64_t now = clock_.NowMillis();
  Consultation out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto row, LoadRow(tx, id));
    Consultation& c = row.c;
    const auto not_found = Status::NotFound("no consultation " + std::to_string(id.value), "id");
    // The hospitals the reader acts for among the two parties.
    std::set<int64_t> own;
    bool party = false;
    if (a.citizen()) {
      if (a.caller.person != c.patient) return not_found;
      party = true;
    } else {
      for (auto h : {std::optional<FacilityId>(c.expert_hospital), c.referring_hospital}) {
        if (h && ActsFor(tx, a, *h).ok()) own.insert(h->value);
      }
      party = !own.empty();
    }
    std::vector<std::string> read;  // for the access log
    auto may_read = [&](RecordKind kind) -> Result<bool> {
      if (a.citizen()) return true;
      if (kind == RecordKind::kMessages && party) {
        read.push_back("messages");
        return true;
      }
      const FacilityId holder = Holder(c, kind);
      if (own.count(holder.value)) {
        read.push_back(std::string(RecordKindName(kind)));
        return true;
      }
      auto mine = a.hospital();
      if (!mine) return false;  // admins read only what their hospitals hold
      ASSIGN_OR_RETURN(auto consent, ConsentFor(tx, c.patient, *mine, kind, c.id, now));
      if (!consent) return false;
      read.push_back(std::string(RecordKindName(kind)) + " (held by hospital " +
                     std::to_string(holder.value) + ", consent " + std::to_string(consent->value) +
                     ")");
      return true;
    };
    for (RecordKind kind : {RecordKind::kDescription, RecordKind::kNotes, RecordKind::kDiagnoses,
                            RecordKind::kPrescriptions, RecordKind::kMessages}) {
      ASSIGN_OR_RETURN(bool ok, may_read(kind));
      if (!ok) {
        c.withheld.push_back(kind);
        continue;
      }
      switch (kind) {
        case RecordKind::kDescription: {
          Description d{row.history, row.findings, {}, {}};
          ASSIGN_OR_RETURN(auto v, tx.Query("SELECT loinc, value, unit, observed_at FROM "
                                            "tele_vital WHERE consultation_id = ? ORDER BY id",
                                            {id.value}));
          for (size_t i = 0; i < v.size(); ++i)
            d.vitals.push_back({v.Text(i, 0), v.Text(i, 1), v.Text(i, 2), v.Int(i, 3)});
          ASSIGN_OR_RETURN(auto f, tx.Query("SELECT reference FROM tele_attachment WHERE "
                                            "consultation_id = ? ORDER BY id",
                                            {id.value}));
          for (size_t i = 0; i < f.size(); ++i) d.attachments.push_back(f.Text(i, 0));
          c.description = std::move(d);
          break;
        }
        case RecordKind::kNotes:
          c.expert_notes = row.notes;
          break;
        case RecordKind::kDiagnoses: {
          ASSIGN_OR_RETURN(auto r, tx.Query("SELECT icd10, text, by_user, at FROM tele_diagnosis "
                                            "WHERE consultation_id = ? ORDER BY id",
                                            {id.value}));
          c.diagnoses.emplace();
          for (size_t i = 0; i < r.size(); ++i)
            c.diagnoses->push_back({r.Text(i, 0), r.Text(i, 1), UserId(r.Int(i, 2)), r.Int(i, 3)});
          break;
        }
        case RecordKind::kPrescriptions: {
          ASSIGN_OR_RETURN(auto r, tx.Query("SELECT medication, dose, route, frequency, "
                                            "duration_days, notes, by_user, at FROM "
                                            "tele_prescription WHERE consultation_id = ? ORDER "
                                            "BY id",
                                            {id.value}));
          c.prescriptions.emplace();
          for (size_t i = 0; i < r.size(); ++i) {
            c.prescriptions->push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3),
                                        static_cast<int>(r.Int(i, 4)), r.Text(i, 5),
                                        UserId(r.Int(i, 6)), r.Int(i, 7)});
          }
          break;
        }
        case RecordKind::kMessages: {
          ASSIGN_OR_RETURN(
              auto r, tx.Query("SELECT author_id, author_role, body, at FROM tele_message WHERE "
                               "consultation_id = ? ORDER BY at, id",
                               {id.value}));
          c.messages.emplace();
          std::map<int64_t, std::string>
              names;  // a handful of authors: the doctors and the patient
          for (size_t i = 0; i < r.size(); ++i) {
            auto& name = names[r.Int(i, 0)];
            if (name.empty()) {
              ASSIGN_OR_RETURN(auto u, registry::GetUser(tx, UserId(r.Int(i, 0))));
              name = u.username;
            }
            c.messages->push_back(
                {UserId(r.Int(i, 0)), name, r.Text(i, 1), r.Text(i, 2), r.Int(i, 3)});
          }
          break;
        }
      }
    }
    if (!party && read.empty()) return not_found;
    if (!a.citizen()) {
      std::string action = "telehealth: read consultation " + std::to_string(id.value) + ": ";
      for (size_t i = 0; i < read.size(); ++i) action += (i ? ", " : "") + read[i];
      if (read.empty()) action += "nothing (no consent)";
      RETURN_IF_ERROR(registry::LogAccess(tx, by, c.patient, action, now));
    }
    out = std::move(c);
    return Status::Ok();
  }));
  return out;
}

// ---- Consent -------------------------------------------------------------------------------

Result<Consent> Service::GrantConsent(const registry::Caller& by, const NewConsent& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kGrantConsent));
  const int64_t now = clock_.NowMillis();
  if (in.kinds.empty()) return Status::InvalidArgument("name at least one kind", "kinds");
  std::vector<std::string> kinds;
  for (size_t i = 0; i < in.kinds.size(); ++i) {
    std::string k(RecordKindName(in.kinds[i]));
    if (std::find(kinds.begin(), kinds.end(), k) != kinds.end())
      return Status::InvalidArgument("repeats " + k, "kinds[" + std::to_string(i) + "]");
    kinds.push_back(k);
  }
  if (in.until <= in.from) return Status::InvalidArgument("must be after from", "until");
  if (in.until <= now) return Status::InvalidArgument("is in the past", "until");
  if (in.until - in.from > options_.max_consent_ms)
    return Status::InvalidArgument("a consent lasts at most " +
                                       std::to_string(options_.max_consent_ms / kMillisPerDay) +
                                       " days",
                                   "until");
  Consent out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    if (a.citizen()) {
      if (a.caller.person != in.patient)
        return Status::PermissionDenied("citizens consent only for themselves");
    } else {
      RETURN_IF_ERROR(registry::ReadPerson(tx, by, in.patient, "telehealth: record consent", now,
                                           "patient_id"));
    }
    RETURN_IF_ERROR(LoadHospital(tx, in.grantee, "grantee_id"));
    std::optional<int64_t> consultation;
    if (in.consultation) {
      auto row = LoadRow(tx, *in.consultation);
      if (!row.ok() || row->c.patient != in.patient)
        return Status::NotFound("no consultation of this patient", "consultation_id");
      consultation = in.consultation->value;
    }
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO tele_consent (patient_id, grantee_hospital_id, "
                                      "kinds, consultation_id, from_at, until_at, created_by, "
                                      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                      {in.patient.value, in.grantee.value, JoinList(kinds),
                                       consultation, in.from, in.until, by.user.value, now}));
    ASSIGN_OR_RETURN(auto c,
                     tx.Query(std::string(kConsentSelect) + " WHERE id = ?", {r.Int(0, 0)}));
    out = ConsentFrom(c, 0);
    return PublishChange(tx, "consent",
                         {{"consent", out.id.value},
                          {"event", std::string("granted")},
                          {"patient", in.patient.value},
                          {"grantee", in.grantee.value},
                          {"until", in.until}},
                         now);
  }));
  return out;
}

Status Service::RevokeConsent(const registry::Caller& by, ConsentId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kGrantConsent));
  const int64_t now = clock_.NowMillis();
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto r, tx.Query(std::string(kConsentSelect) + " WHERE id = ?", {id.value}));
    const auto not_found = Status::NotFound("no consent " + std::to_string(id.value), "id");
    if (r.empty()) return not_found;
    Consent c = ConsentFrom(r, 0);
    if (a.citizen() && a.caller.person != c.patient) return not_found;
    if (!a.citizen()) {
      // Another unit's patient: the consent reads like one that does not exist.
      auto patient = registry::ReadPerson(tx, by, c.patient, "telehealth: revoke consent", now);
      if (patient.status().code() == Code::kNotFound) return not_found;
      RETURN_IF_ERROR(patient.status());
    }
    if (c.revoked_at) return Status::FailedPrecondition("already revoked", "id");
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_consent SET revoked_at = ? WHERE id = ?", {now, id.value}));
    return PublishChange(tx, "consent",
                         {{"consent", id.value},
                          {"event", std::string("revoked")},
                          {"patient", c.patient.value},
                          {"grantee", c.grantee.value}},
                         now);
  });
}

Result<std::vector<Consent>> Service::ListConsents(const registry::Caller& by, PersonId patient) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  std::vector<Consent> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ServesPatient(tx, a, patient));
    ASSIGN_OR_RETURN(auto r,
                     tx.Query(std::string(kConsentSelect) + " WHERE patient_id = ? ORDER BY id",
                              {patient.value}));
    for (size_t i = 0; i < r.size(); ++i) {
      Consent c = ConsentFrom(r, i);
      // A hospital sees the consents given to it; the patient and admins see them all.
      if (auto h = a.hospital(); h && c.grantee != *h) continue;
      out.push_back(std::move(c));
    }
    if (a.citizen()) return Status::Ok();
    return registry::LogAccess(tx, by, patient, "telehealth: list consents", clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<ReadEntry>> Service::WhoRead(const registry::Caller& by, PersonId patient,
                                                int limit) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  if (limit < 1 || limit > 1000) return Status::InvalidArgument("must be 1 to 1000", "limit");
  if (by.role == registry::Role::kCitizen) {
    if (by.person != patient)
      return Status::PermissionDenied("citizens see only who read their own records");
  } else {
    RETURN_IF_ERROR(registry::Require(by, Capability::kReadAccessLog));
    RETURN_IF_ERROR(registry::ReadPerson(db_, by, patient, "telehealth: read the access log",
                                         clock_.NowMillis(), "patient_id"));
  }
  // Every read of this patient, wherever the reader sits: the patient sees them all.
  ASSIGN_OR_RETURN(auto entries, registry::ListAccess(db_, "/", patient, limit));
  std::vector<ReadEntry> out;
  for (const auto& e : entries) out.push_back({e.at, e.username, e.action});
  return out;
}

}  // namespace mekong::telehealth
