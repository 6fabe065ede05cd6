// Billing: a hospital's fees in its currency, quotes and invoices in the patient's currency at
// a dated rate the invoice keeps, and payments through a provider.
//
// The total is converted once (half to even) and then allocated over the lines in proportion
// to their amounts, so the lines always add up to the total in both currencies. Paid is kept
// on the invoice and checked in the same transaction as each payment (PostgreSQL: the row is
// locked), so concurrent payments cannot take it past the total.
#include "mekong/core/zone.h"
#include "mekong/registry/registry.h"
#include "mekong/telehealth/internal.h"

namespace mekong::telehealth {

using registry::Capability;
using namespace internal;

namespace {

constexpr const char* kInvoiceSelect =
    "SELECT id, patient_id, hospital_id, appointment_id, status, source_currency, source_total, "
    "currency, total, paid, rate_units, rate_scale, rate_as_of, rate_source, created_at, "
    "issued_at FROM tele_invoice";

Status NoInvoice(InvoiceId id) {
  return Status::NotFound("no invoice " + std::to_string(id.value), "id");
}

Result<Invoice> LoadInvoice(store::Executor& ex, InvoiceId id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kInvoiceSelect) + " WHERE id = ?", {id.value}));
  if (r.empty()) return NoInvoice(id);
  Invoice v;
  v.id = InvoiceId(r.Int(0, 0));
  v.patient = PersonId(r.Int(0, 1));
  v.hospital = FacilityId(r.Int(0, 2));
  if (!r.IsNull(0, 3)) v.appointment = AppointmentId(r.Int(0, 3));
  v.status = ParseInvoiceStatus(r.Text(0, 4), "status").value();
  v.source_total = {r.Text(0, 5), r.Int(0, 6)};
  v.total = {r.Text(0, 7), r.Int(0, 8)};
  v.paid = {r.Text(0, 7), r.Int(0, 9)};
  if (!r.IsNull(0, 10)) {
    v.rate = StoredRate{
        {v.source_total.currency, v.total.currency, r.Int(0, 10), static_cast<int>(r.Int(0, 11))},
        r.Text(0, 12),
        r.Text(0, 13)};
  }
  v.created_at = r.Int(0, 14);
  v.issued_at = r.OptInt(0, 15);
  ASSIGN_OR_RETURN(auto l, ex.Query("SELECT code, description, quantity, unit_minor, "
                                    "amount_minor, converted_minor FROM tele_charge_line WHERE "
                                    "invoice_id = ? ORDER BY line",
                                    {id.value}));
  for (size_t i = 0; i < l.size(); ++i) {
    v.lines.push_back({l.Text(i, 0),
                       l.Text(i, 1),
                       static_cast<int>(l.Int(i, 2)),
                       {v.source_total.currency, l.Int(i, 3)},
                       {v.source_total.currency, l.Int(i, 4)},
                       {v.total.currency, l.Int(i, 5)}});
  }
  return v;
}

// The latest rate from -> to on or before `date`.
Result<StoredRate> RateOn(store::Executor& ex, const std::string& from, const std::string& to,
                          const std::string& date) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT units, scale, as_of, source FROM tele_exchange_rate "
                                    "WHERE from_currency = ? AND to_currency = ? AND as_of <= ? "
                                    "ORDER BY as_of DESC LIMIT 1",
                                    {from, to, date}));
  if (r.empty()) {
    return Status::FailedPrecondition(
        "no " + from + " to " + to + " exchange rate on or before " + date, "currency");
  }
  return StoredRate{
      {from, to, r.Int(0, 0), static_cast<int>(r.Int(0, 1))}, r.Text(0, 2), r.Text(0, 3)};
}

Status PublishInvoice(store::Executor& tx, const Invoice& v, std::string_view event, int64_t now) {
  return PublishChange(tx, "invoice",
                       {{"invoice", v.id.value},
                        {"event", std::string(event)},
                        {"status", std::string(InvoiceStatusName(v.status))},
                        {"patient", v.patient.value},
                        {"hospital", v.hospital.value},
                        {"currency", v.total.currency},
                        {"total", v.total.minor},
                        {"paid", v.paid.minor}},
                       now);
}

}  // namespace

Result<Invoice> Service::Quote(const registry::Caller& by, const NewQuote& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBill));
  RETURN_IF_ERROR(MinorUnitDigits(in.currency, "currency"));
  if (in.charges.empty()) return Status::InvalidArgument("name at least one fee", "charges");
  if (in.charges.size() > 50) return Status::InvalidArgument("at most 50 lines", "charges");
  const int64_t now = clock_.NowMillis();
  std::string date;
  if (in.rate_date) {
    RETURN_IF_ERROR(ParseDay(*in.rate_date, "rate_date"));
    date = *in.rate_date;
  } else {
    ASSIGN_OR_RETURN(date, LocalDate("UTC", now));
  }
  Invoice out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ActsFor(tx, a, in.hospital));
    RETURN_IF_ERROR(ServesPatient(tx, a, in.patient));
    ASSIGN_OR_RETURN(auto h, LoadHospital(tx, in.hospital));
    std::optional<int64_t> appointment;
    if (in.appointment) {
      auto appt = LoadAppointment(tx, *in.appointment);
      if (!appt.ok() || appt->patient != in.patient || appt->hospital != in.hospital)
        return Status::NotFound("no appointment of this patient at this hospital",
                                "appointment_id");
      appointment = in.appointment->value;
    }
    std::vector<ChargeLine> lines;
    Money source_total{h.currency, 0};
    for (size_t i = 0; i < in.charges.size(); ++i) {
      const std::string at = "charges[" + std::to_string(i) + "].";
      const auto& c = in.charges[i];
      if (c.quantity < 1 || c.quantity > 100)
        return Status::InvalidArgument("must be 1 to 100", at + "quantity");
      ASSIGN_OR_RETURN(auto f, tx.Query("SELECT description, amount_minor FROM tele_fee WHERE "
                                        "hospital_id = ? AND code = ?",
                                        {in.hospital.value, c.code}));
      if (f.empty())
        return Status::NotFound("the hospital has no fee '" + c.code + "'", at + "code");
      const Money unit{h.currency, f.Int(0, 1)};
      int64_t amount;
      if (__builtin_mul_overflow(unit.minor, int64_t{c.quantity}, &amount))
        return Status::InvalidArgument("overflows", at + "quantity");
      lines.push_back({c.code, f.Text(0, 0), c.quantity, unit, {h.currency, amount}, {}});
      ASSIGN_OR_RETURN(source_total, AddMoney(source_total, lines.back().amount));
    }
    Money total{in.currency, source_total.minor};
    std::optional<StoredRate> rate;
    if (in.currency != h.currency) {
      ASSIGN_OR_RETURN(rate, RateOn(tx, h.currency, in.currency, date));
      ASSIGN_OR_RETURN(total, Convert(source_total, rate->rate));
    }
    std::vector<int64_t> weights;
    for (const auto& l : lines) weights.push_back(l.amount.minor);
    if (source_total.minor == 0) {
      for (auto& l : lines) l.converted = {in.currency, 0};
    } else {
      ASSIGN_OR_RETURN(auto parts, AllocateByWeights(total, weights));
      for (size_t i = 0; i < lines.size(); ++i) lines[i].converted = parts[i];
    }
    std::optional<int64_t> units, scale;
    std::optional<std::string> as_of, source;
    if (rate) {
      units = rate->rate.units;
      scale = int64_t{rate->rate.scale};
      as_of = rate->as_of;
      source = rate->source;
    }
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO tele_invoice (patient_id, hospital_id, "
                                      "appointment_id, status, source_currency, source_total, "
                                      "currency, total, paid, rate_units, rate_scale, rate_as_of, "
                                      "rate_source, created_by, created_at) VALUES (?, ?, ?, "
                                      "'draft', ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING id",
                                      {in.patient.value, in.hospital.value, appointment, h.currency,
                                       source_total.minor, in.currency, total.minor, units, scale,
                                       as_of, source, by.user.value, now}));
    const int64_t id = r.Int(0, 0);
    for (size_t i = 0; i < lines.size(); ++i) {
      const auto& l = lines[i];
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO tele_charge_line (invoice_id, line, code, "
                  "description, quantity, unit_minor, amount_minor, converted_minor) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {id, static_cast<int64_t>(i), l.code, l.description, l.quantity, l.unit.minor,
                   l.amount.minor, l.converted.minor}));
    }
    if (!a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(tx, by, in.patient, "telehealth: quote", now));
    ASSIGN_OR_RETURN(out, LoadInvoice(tx, InvoiceId(id)));
    return Status::Ok();
  }));
  return out;
}

Result<Invoice> Service::Issue(const registry::Caller& by, InvoiceId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBill));
  const int64_t now = clock_.NowMillis();
  Invoice out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(LockRow(tx, "tele_invoice", id.value));
    ASSIGN_OR_RETURN(auto v, LoadInvoice(tx, id));
    RETURN_IF_ERROR(ActsForRecord(tx, a, v.hospital, {v.hospital}, NoInvoice(id)));
    if (v.status != InvoiceStatus::kDraft)
      return Status::FailedPrecondition(
          "invoice " + std::to_string(id.value) + " is " + std::string(InvoiceStatusName(v.status)),
          "status");
    RETURN_IF_ERROR(tx.Exec("UPDATE tele_invoice SET status = 'issued', issued_at = ? WHERE id = ?",
                            {now, id.value}));
    ASSIGN_OR_RETURN(out, LoadInvoice(tx, id));
    return PublishInvoice(tx, out, "issued", now);
  }));
  return out;
}

Result<Invoice> Service::Pay(const registry::Caller& by, InvoiceId id, std::string_view provider,
                             std::string_view method, std::string_view amount,
                             std::string_view reference) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kPay));
  return RecordPayment(by, id, provider, method, amount, reference, false);
}

Result<Invoice> Service::Refund(const registry::Caller& by, InvoiceId id, std::string_view provider,
                                std::string_view method, std::string_view amount,
                                std::string_view reference) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBill));
  return RecordPayment(by, id, provider, method, amount, reference, true);
}

Result<Invoice> Service::RecordPayment(const registry::Caller& by, InvoiceId id,
                                       std::string_view provider, std::string_view method,
                                       std::string_view amount, std::string_view reference,
                                       bool refund) {
  auto p = providers_.find(provider);
  if (p == providers_.end())
    return Status::InvalidArgument("no payment provider '" + std::string(provider) + "'",
                                   "provider");
  const int64_t now = clock_.NowMillis();
  Invoice out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(LockRow(tx, "tele_invoice", id.value));
    ASSIGN_OR_RETURN(auto v, LoadInvoice(tx, id));
    if (a.citizen()) {
      if (a.caller.person != v.patient) return NoInvoice(id);
    } else {
      RETURN_IF_ERROR(ActsForRecord(tx, a, v.hospital, {v.hospital}, NoInvoice(id)));
    }
    ASSIGN_OR_RETURN(Money m, ParseMoney(v.total.currency, amount));
    if (m.minor <= 0) return Status::InvalidArgument("must be positive", "amount");
    Money paid = v.paid;
    if (refund) {
      if (v.status != InvoiceStatus::kIssued && v.status != InvoiceStatus::kBalanced)
        return Status::FailedPrecondition(
            "nothing was paid on a " + std::string(InvoiceStatusName(v.status)) + " invoice",
            "status");
      if (m.minor > v.paid.minor)
        return Status::FailedPrecondition("only " + FormatMoney(v.paid) + " was paid", "amount");
      ASSIGN_OR_RETURN(paid, SubtractMoney(v.paid, m));
    } else {
      if (v.status != InvoiceStatus::kIssued)
        return Status::FailedPrecondition("invoice " + std::to_string(id.value) + " is " +
                                              std::string(InvoiceStatusName(v.status)) +
                                              ", not issued",
                                          "status");
      ASSIGN_OR_RETURN(Money due, SubtractMoney(v.total, v.paid));
      if (m.minor > due.minor)
        return Status::FailedPrecondition("more than the " + FormatMoney(due) + " still due",
                                          "amount");
      ASSIGN_OR_RETURN(paid, AddMoney(v.paid, m));
    }
    PaymentRequest req{id.value, m, std::string(method), std::string(reference)};
    ASSIGN_OR_RETURN(auto confirmed, refund ? p->second->Refund(req) : p->second->Charge(req));
    RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO tele_payment (invoice_id, provider, method, refund, "
        "amount_minor, reference, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {id.value, provider, method, refund, m.minor, confirmed.reference, by.user.value, now}));
    const char* status = paid.minor == v.total.minor ? "balanced" : "issued";
    RETURN_IF_ERROR(tx.Exec("UPDATE tele_invoice SET paid = ?, status = ? WHERE id = ?",
                            {paid.minor, status, id.value}));
    if (!a.citizen())
      RETURN_IF_ERROR(registry::LogAccess(tx, by, v.patient,
                                          std::string("telehealth: ") +
                                              (refund ? "refund" : "payment") + " on invoice " +
                                              std::to_string(id.value),
                                          now));
    ASSIGN_OR_RETURN(out, LoadInvoice(tx, id));
    return PublishInvoice(tx, out, refund ? "refund" : "payment", now);
  }));
  return out;
}

Result<Invoice> Service::GetInvoice(const registry::Caller& by, InvoiceId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  Invoice out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(out, LoadInvoice(tx, id));
    if (a.citizen()) {
      if (a.caller.person != out.patient) return NoInvoice(id);
      return Status::Ok();
    }
    if (!ActsFor(tx, a, out.hospital).ok()) return NoInvoice(id);
    return registry::LogAccess(tx, by, out.patient,
                               "telehealth: read invoice " + std::to_string(id.value),
                               clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<Invoice>> Service::PatientInvoices(const registry::Caller& by,
                                                      PersonId patient) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  std::vector<Invoice> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ServesPatient(tx, a, patient));
    ASSIGN_OR_RETURN(auto r, tx.Query("SELECT id FROM tele_invoice WHERE patient_id = ? ORDER BY "
                                      "id DESC LIMIT 1000",
                                      {patient.value}));
    for (size_t i = 0; i < r.size(); ++i) {
      ASSIGN_OR_RETURN(auto v, LoadInvoice(tx, InvoiceId(r.Int(i, 0))));
      if (a.citizen() || ActsFor(tx, a, v.hospital).ok()) out.push_back(std::move(v));
    }
    if (a.citizen()) return Status::Ok();
    return registry::LogAccess(tx, by, patient, "telehealth: list invoices", clock_.NowMillis());
  }));
  return out;
}

Result<std::vector<Payment>> Service::Payments(const registry::Caller& by, InvoiceId id) {
  ASSIGN_OR_RETURN(auto v, GetInvoice(by, id));
  ASSIGN_OR_RETURN(auto r, db_.Query("SELECT id, provider, method, refund, amount_minor, "
                                     "reference, by_user, at FROM tele_payment WHERE invoice_id "
                                     "= ? ORDER BY id",
                                     {id.value}));
  std::vector<Payment> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back({r.Int(i, 0),
                   id,
                   r.Text(i, 1),
                   r.Text(i, 2),
                   r.Int(i, 3) != 0,
                   {v.total.currency, r.Int(i, 4)},
                   r.Text(i, 5),
                   UserId(r.Int(i, 6)),
                   r.Int(i, 7)});
  }
  return out;
}

}  // namespace mekong::telehealth
