// Referrals to partner hospitals (ServiceRequest intent=order, tracked by a Task) and
// cross-border medical transport applications. Both are visible to the two hospitals they
// connect and to the patient; each step is published on the change feed.
#include <algorithm>

#include "mekong/registry/registry.h"
#include "mekong/telehealth/internal.h"

namespace mekong::telehealth {

using registry::Capability;
using namespace internal;

namespace {

constexpr const char* kReferralSelect =
    "SELECT id, patient_id, consultation_id, from_hospital_id, to_hospital_id, requester_id, "
    "reason, status, status_reason, created_at, updated_at FROM tele_referral";

Referral ReferralFrom(const store::Rows& r, size_t i) {
  Referral x;
  x.id = ReferralId(r.Int(i, 0));
  x.patient = PersonId(r.Int(i, 1));
  if (!r.IsNull(i, 2)) x.consultation = ConsultationId(r.Int(i, 2));
  x.from_hospital = FacilityId(r.Int(i, 3));
  x.to_hospital = FacilityId(r.Int(i, 4));
  x.requester = UserId(r.Int(i, 5));
  x.reason = r.Text(i, 6);
  x.status = ParseTaskStatus(r.Text(i, 7), "status").value();
  x.status_reason = r.Text(i, 8);
  x.created_at = r.Int(i, 9);
  x.updated_at = r.Int(i, 10);
  return x;
}

Result<Referral> LoadReferral(store::Executor& ex, ReferralId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kReferralSelect) + " WHERE id = ?", {id.value}));
  if (r.empty()) return Status::NotFound("no referral " + std::to_string(id.value), "id");
  return ReferralFrom(r, 0);
}

Status PublishReferral(store::Executor& tx, const Referral& r, int64_t now) {
  return PublishChange(tx, "referral",
                       {{"referral", r.id.value},
                        {"status", std::string(TaskStatusName(r.status))},
                        {"patient", r.patient.value},
                        {"from_hospital", r.from_hospital.value},
                        {"to_hospital", r.to_hospital.value}},
                       now);
}

constexpr const char* kTransportSelect =
    "SELECT id, patient_id, origin_hospital_id, destination_hospital_id, medical_need, escort, "
    "mode, status, status_reason, scheduled_at, applicant_id, created_at, updated_at FROM "
    "tele_transport";

Result<Transport> LoadTransport(store::Executor& ex, TransportId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kTransportSelect) + " WHERE id = ?", {id.value}));
  if (r.empty())
    return Status::NotFound("no transport application " + std::to_string(id.value), "id");
  Transport t;
  t.id = TransportId(r.Int(0, 0));
  t.patient = PersonId(r.Int(0, 1));
  t.origin = FacilityId(r.Int(0, 2));
  t.destination = FacilityId(r.Int(0, 3));
  t.medical_need = r.Text(0, 4);
  t.escort = r.Text(0, 5);
  t.mode = r.Text(0, 6);
  t.status = ParseTransportStatus(r.Text(0, 7), "status").value();
  t.status_reason = r.Text(0, 8);
  t.scheduled_at = r.OptInt(0, 9);
  t.applicant = UserId(r.Int(0, 10));
  t.created_at = r.Int(0, 11);
  t.updated_at = r.Int(0, 12);
  ASSIGN_OR_RETURN(auto d, ex.Query("SELECT kind, reference, attached_at FROM "
                                    "tele_transport_document WHERE transport_id = ? ORDER BY kind",
                                    {id.value}));
  for (size_t i = 0; i < d.size(); ++i)
    t.documents.push_back({d.Text(i, 0), d.Text(i, 1), d.Int(i, 2)});
  ASSIGN_OR_RETURN(auto dest, LoadHospital(ex, t.destination));
  for (const auto& kind : RequiredTransportDocuments(dest.country)) {
    const bool have = std::any_of(t.documents.begin(), t.documents.end(),
                                  [&](const TransportDocument& x) { return x.kind == kind; });
    if (!have) t.missing_documents.push_back(kind);
  }
  return t;
}

Status PublishTransport(store::Executor& tx, const Transport& t, int64_t now) {
  std::vector<Field> f = {{"transport", t.id.value},
                          {"status", std::string(TransportStatusName(t.status))},
                          {"patient", t.patient.value},
                          {"origin", t.origin.value},
                          {"destination", t.destination.value}};
  if (t.scheduled_at) f.push_back({"scheduled_at", *t.scheduled_at});
  return PublishChange(tx, "transport", f, now);
}

template <size_t N>
bool OneOf(std::string_view v, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

}  // namespace

// ---- Referral ------------------------------------------------------------------------------

Result<Referral> Service::Refer(const registry::Caller& by, const NewReferral& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRefer));
  RETURN_IF_ERROR(CheckText(in.reason, "reason", 2000, true, true));
  const int64_t now = clock_.NowMillis();
  Referral out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    auto from = a.hospital();
    if (!from)
      return Status::PermissionDenied("referrals are made by a partner hospital's clinician");
    RETURN_IF_ERROR(ServesPatient(tx, a, in.patient));
    RETURN_IF_ERROR(LoadHospital(tx, in.to_hospital, "to_hospital_id"));
    if (in.to_hospital == *from)
      return Status::InvalidArgument("is your own hospital", "to_hospital_id");
    std::optional<int64_t> consultation;
    if (in.consultation) {
      ASSIGN_OR_RETURN(auto c, tx.Query("SELECT patient_id, expert_hospital_id, "
                                        "referring_hospital_id FROM tele_consultation WHERE id = ?",
                                        {in.consultation->value}));
      const bool party =
          !c.empty() && c.Int(0, 0) == in.patient.value &&
          (c.Int(0, 1) == from->value || (!c.IsNull(0, 2) && c.Int(0, 2) == from->value));
      if (!party)
        return Status::NotFound("no consultation of this patient at your hospital",
                                "consultation_id");
      consultation = in.consultation->value;
    }
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO tele_referral (patient_id, consultation_id, "
                                      "from_hospital_id, to_hospital_id, requester_id, reason, "
                                      "status, status_reason, created_at, updated_at) VALUES (?, "
                                      "?, ?, ?, ?, ?, 'requested', '', ?, ?) RETURNING id",
                                      {in.patient.value, consultation, from->value,
                                       in.to_hospital.value, by.user.value, in.reason, now, now}));
    ASSIGN_OR_RETURN(out, LoadReferral(tx, ReferralId(r.Int(0, 0))));
    RETURN_IF_ERROR(registry::LogAccess(
        tx, by, in.patient, "telehealth: refer to hospital " + std::to_string(in.to_hospital.value),
        now));
    return PublishReferral(tx, out, now);
  }));
  return out;
}

Result<Referral> Service::UpdateReferral(const registry::Caller& by, ReferralId id,
                                         TaskStatus status, std::string_view reason) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRefer));
  RETURN_IF_ERROR(CheckText(reason, "reason", 2000, status == TaskStatus::kRejected, true));
  const int64_t now = clock_.NowMillis();
  Referral out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(LockRow(tx, "tele_referral", id.value));
    ASSIGN_OR_RETURN(auto ref, LoadReferral(tx, id));
    const bool receiver = ActsFor(tx, a, ref.to_hospital).ok();
    const bool sender = ActsFor(tx, a, ref.from_hospital).ok();
    if (!receiver && !sender)
      return Status::NotFound("no referral " + std::to_string(id.value), "id");
    using T = TaskStatus;
    const T from = ref.status;
    bool allowed = false;
    switch (status) {
      case T::kAccepted:
      case T::kRejected:
        allowed = receiver && from == T::kRequested;
        break;
      case T::kInProgress:
        allowed = receiver && from == T::kAccepted;
        break;
      case T::kCompleted:
        allowed = receiver && (from == T::kAccepted || from == T::kInProgress);
        break;
      case T::kCancelled:
        allowed = sender && (from == T::kRequested || from == T::kAccepted);
        break;
      case T::kRequested:
        break;
    }
    if (!allowed) {
      return Status::FailedPrecondition(
          "referral " + std::to_string(id.value) + " is " + std::string(TaskStatusName(from)) +
              "; " + (receiver ? "the receiving" : "the sending") + " hospital cannot make it " +
              std::string(TaskStatusName(status)),
          "status");
    }
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_referral SET status = ?, status_reason = ?, updated_at = "
                "? WHERE id = ?",
                {TaskStatusName(status), reason, now, id.value}));
    RETURN_IF_ERROR(registry::LogAccess(tx, by, ref.patient,
                                        "telehealth: referral " + std::to_string(id.value) + " " +
                                            std::string(TaskStatusName(status)),
                                        now));
    ASSIGN_OR_RETURN(out, LoadReferral(tx, id));
    return PublishReferral(tx, out, now);
  }));
  return out;
}

Result<Referral> Service::GetReferral(const registry::Caller& by, ReferralId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  Referral out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(out, LoadReferral(tx, id));
    const auto not_found = Status::NotFound("no referral " + std::to_string(id.value), "id");
    if (a.citizen()) return a.caller.person == out.patient ? Status::Ok() : not_found;
    if (!ActsFor(tx, a, out.to_hospital).ok() && !ActsFor(tx, a, out.from_hospital).ok())
      return not_found;
    return registry::LogAccess(tx, by, out.patient,
                               "telehealth: read referral " + std::to_string(id.value),
                               clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<Referral>> Service::ListReferrals(const registry::Caller& by,
                                                     const ReferralQuery& q) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  if (q.patient.has_value() == q.hospital.has_value())
    return Status::InvalidArgument("give a patient or a hospital", "patient_id");
  std::vector<Referral> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    store::Rows r;
    if (q.patient) {
      RETURN_IF_ERROR(ServesPatient(tx, a, *q.patient));
      ASSIGN_OR_RETURN(r,
                       tx.Query(std::string(kReferralSelect) + " WHERE patient_id = ? ORDER BY id",
                                {q.patient->value}));
    } else {
      RETURN_IF_ERROR(ActsFor(tx, a, *q.hospital));
      ASSIGN_OR_RETURN(r,
                       tx.Query(std::string(kReferralSelect) +
                                    " WHERE from_hospital_id = ? OR to_hospital_id = ? ORDER BY id",
                                {q.hospital->value, q.hospital->value}));
    }
    for (size_t i = 0; i < r.size(); ++i) {
      Referral x = ReferralFrom(r, i);
      if (!a.citizen() && !ActsFor(tx, a, x.to_hospital).ok() &&
          !ActsFor(tx, a, x.from_hospital).ok())
        continue;
      out.push_back(std::move(x));
    }
    if (q.patient && !a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(tx, by, *q.patient, "telehealth: list referrals",
                                          clock_.NowMillis()));
    return Status::Ok();
  }));
  return out;
}

// ---- Transport -----------------------------------------------------------------------------

Result<Transport> Service::ApplyForTransport(const registry::Caller& by, const NewTransport& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTransport));
  RETURN_IF_ERROR(CheckText(in.medical_need, "medical_need", 4000, true, true));
  if (!OneOf(in.escort, kEscorts))
    return Status::InvalidArgument("must be none, family, nurse, doctor or paramedic_team",
                                   "escort");
  if (!OneOf(in.mode, kTransportModes))
    return Status::InvalidArgument(
        "must be ground_ambulance, air_ambulance, commercial_flight, private_vehicle or rail",
        "mode");
  const int64_t now = clock_.NowMillis();
  Transport out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ServesPatient(tx, a, in.patient));
    ASSIGN_OR_RETURN(auto origin, LoadHospital(tx, in.origin, "origin_id"));
    ASSIGN_OR_RETURN(auto dest, LoadHospital(tx, in.destination, "destination_id"));
    if (!a.citizen()) RETURN_IF_ERROR(ActsFor(tx, a, in.origin));
    if (origin.country == dest.country)
      return Status::InvalidArgument("is in the same country as the origin: refer instead",
                                     "destination_id");
    ASSIGN_OR_RETURN(
        auto r, tx.Query("INSERT INTO tele_transport (patient_id, origin_hospital_id, "
                         "destination_hospital_id, medical_need, escort, mode, status, "
                         "status_reason, applicant_id, created_at, updated_at) VALUES "
                         "(?, ?, ?, ?, ?, ?, 'submitted', '', ?, ?, ?) RETURNING id",
                         {in.patient.value, in.origin.value, in.destination.value, in.medical_need,
                          in.escort, in.mode, by.user.value, now, now}));
    ASSIGN_OR_RETURN(out, LoadTransport(tx, TransportId(r.Int(0, 0))));
    if (!a.citizen())
      RETURN_IF_ERROR(
          registry::LogAccess(tx, by, in.patient, "telehealth: apply for transport", now));
    return PublishTransport(tx, out, now);
  }));
  return out;
}

Result<Transport> Service::AttachDocument(const registry::Caller& by, TransportId id,
                                          std::string_view kind, std::string_view reference) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTransport));
  if (!KnownDocumentKind(kind))
    return Status::InvalidArgument("'" + std::string(kind) + "' is not a document kind", "kind");
  RETURN_IF_ERROR(CheckText(reference, "reference", 500, true));
  const int64_t now = clock_.NowMillis();
  Transport out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto t, LoadTransport(tx, id));
    const auto not_found =
        Status::NotFound("no transport application " + std::to_string(id.value), "id");
    if (a.citizen() ? a.caller.person != t.patient : !ActsFor(tx, a, t.origin).ok())
      return not_found;
    if (t.status != TransportStatus::kSubmitted && t.status != TransportStatus::kInReview)
      return Status::FailedPrecondition(
          "documents are attached before the decision; this application is " +
              std::string(TransportStatusName(t.status)),
          "status");
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM tele_transport_document WHERE transport_id = ? AND kind = ?",
                {id.value, kind}));
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO tele_transport_document (transport_id, kind, reference, "
                "attached_at) VALUES (?, ?, ?, ?)",
                {id.value, kind, reference, now}));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_transport SET updated_at = ? WHERE id = ?", {now, id.value}));
    ASSIGN_OR_RETURN(out, LoadTransport(tx, id));
    return Status::Ok();
  }));
  return out;
}

Result<Transport> Service::UpdateTransport(const registry::Caller& by, TransportId id,
                                           TransportStatus status, std::string_view reason,
                                           std::optional<int64_t> scheduled_at) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTransport));
  using T = TransportStatus;
  RETURN_IF_ERROR(CheckText(reason, "reason", 2000, status == T::kRefused, true));
  const int64_t now = clock_.NowMillis();
  Transport out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(LockRow(tx, "tele_transport", id.value));
    ASSIGN_OR_RETURN(auto t, LoadTransport(tx, id));
    const bool applicant =
        a.citizen() ? a.caller.person == t.patient : ActsFor(tx, a, t.origin).ok();
    const bool reviewer = !a.citizen() && ActsFor(tx, a, t.destination).ok();
    if (!applicant && !reviewer)
      return Status::NotFound("no transport application " + std::to_string(id.value), "id");
    const T from = t.status;
    const bool staff = !a.citizen() && (applicant || reviewer);
    bool allowed = false;
    switch (status) {
      case T::kInReview:
        allowed = reviewer && from == T::kSubmitted;
        break;
      case T::kApproved:
        allowed = reviewer && from == T::kInReview;
        break;
      case T::kRefused:
        allowed = reviewer && (from == T::kSubmitted || from == T::kInReview);
        break;
      case T::kScheduled:
        allowed = staff && (from == T::kApproved || from == T::kScheduled);
        break;
      case T::kCompleted:
        allowed = staff && from == T::kScheduled;
        break;
      case T::kCancelled:
        allowed =
            applicant && from != T::kCompleted && from != T::kRefused && from != T::kCancelled;
        break;
      case T::kSubmitted:
        break;
    }
    if (!allowed) {
      return Status::FailedPrecondition("transport application " + std::to_string(id.value) +
                                            " is " + std::string(TransportStatusName(from)) +
                                            " and cannot become " +
                                            std::string(TransportStatusName(status)) + " by you",
                                        "status");
    }
    if (status == T::kApproved && !t.missing_documents.empty()) {
      std::string missing;
      for (const auto& m : t.missing_documents) missing += (missing.empty() ? "" : ", ") + m;
      return Status::FailedPrecondition("the destination country requires " + missing, "documents");
    }
    std::optional<int64_t> when = t.scheduled_at;
    if (status == T::kScheduled) {
      if (!scheduled_at || *scheduled_at <= now)
        return Status::InvalidArgument("must be a time in the future", "scheduled_at");
      when = scheduled_at;
    }
    RETURN_IF_ERROR(
        tx.Exec("UPDATE tele_transport SET status = ?, status_reason = ?, "
                "scheduled_at = ?, updated_at = ? WHERE id = ?",
                {TransportStatusName(status), reason, when, now, id.value}));
    if (!a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(tx, by, t.patient,
                                          "telehealth: transport " + std::to_string(id.value) +
                                              " " + std::string(TransportStatusName(status)),
                                          now));
    ASSIGN_OR_RETURN(out, LoadTransport(tx, id));
    return PublishTransport(tx, out, now);
  }));
  return out;
}

Result<Transport> Service::GetTransport(const registry::Caller& by, TransportId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  Transport out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(out, LoadTransport(tx, id));
    const auto not_found =
        Status::NotFound("no transport application " + std::to_string(id.value), "id");
    if (a.citizen()) return a.caller.person == out.patient ? Status::Ok() : not_found;
    if (!ActsFor(tx, a, out.origin).ok() && !ActsFor(tx, a, out.destination).ok()) return not_found;
    return registry::LogAccess(tx, by, out.patient,
                               "telehealth: read transport " + std::to_string(id.value),
                               clock_.NowMillis());
  }));
  return out;
}

}  // namespace mekong::telehealth
