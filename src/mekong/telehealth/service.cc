// telehealth::Service: construction, the access rules every method shares, and the partner
// network. Booking, consultations, referrals and billing are in the files named after them.
#include "mekong/telehealth/service.h"

#include <algorithm>

#include "mekong/core/text.h"
#include "mekong/core/zone.h"
#include "mekong/store/feed.h"
#include "mekong/telehealth/internal.h"

namespace mekong::telehealth {

using registry::Capability;
using registry::Role;

namespace internal {

Status Renamed(const Status& s, std::string_view field) {
  if (s.code() == Code::kNotFound) return Status::NotFound(s.message(), std::string(field));
  return s;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out = ",";
  for (const auto& i : items) out += i + ",";
  return out;
}

std::vector<std::string> SplitList(std::string_view joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string_view::npos) comma = joined.size();
    if (comma > start) out.emplace_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

namespace {

constexpr const char* kHospitalSelect =
    "SELECT facility_id, country, zone, languages, currency FROM tele_hospital";

// The partner rows, with the name and unit the registry holds for each facility.
Result<std::vector<Hospital>> HospitalsFrom(store::Executor& ex, const store::Rows& r) {
  std::vector<Hospital> out;
  for (size_t i = 0; i < r.size(); ++i) {
    ASSIGN_OR_RETURN(auto f, registry::GetFacility(ex, FacilityId(r.Int(i, 0))));
    out.push_back({f.id, f.name, f.org_path, r.Text(i, 1), r.Text(i, 2), SplitList(r.Text(i, 3)),
                   r.Text(i, 4)});
  }
  return out;
}

constexpr const char* kPractitionerSelect =
    "SELECT id, user_id, hospital_id, department_id, name, specialties, languages, bookable, "
    "slot_minutes, min_notice_minutes FROM tele_practitioner";

Result<Practitioner> PractitionerFrom(store::Executor& ex, const store::Rows& r, size_t i) {
  Practitioner p;
  p.id = PractitionerId(r.Int(i, 0));
  p.user = UserId(r.Int(i, 1));
  p.hospital = FacilityId(r.Int(i, 2));
  if (!r.IsNull(i, 3)) p.department = DepartmentId(r.Int(i, 3));
  p.name = r.Text(i, 4);
  p.specialties = SplitList(r.Text(i, 5));
  p.languages = SplitList(r.Text(i, 6));
  p.bookable = r.Int(i, 7) != 0;
  p.slot_minutes = static_cast<int>(r.Int(i, 8));
  p.min_notice_minutes = static_cast<int>(r.Int(i, 9));
  ASSIGN_OR_RETURN(auto hours, ex.Query("SELECT weekday, start_minute, end_minute FROM "
                                        "tele_weekly_hours WHERE practitioner_id = ? ORDER BY "
                                        "weekday, start_minute",
                                        {p.id.value}));
  for (size_t k = 0; k < hours.size(); ++k) {
    p.weekly.push_back({static_cast<int>(hours.Int(k, 0)), static_cast<int>(hours.Int(k, 1)),
                        static_cast<int>(hours.Int(k, 2))});
  }
  return p;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

Result<Hospital> LoadHospital(store::Executor& ex, FacilityId id, std::string_view field) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kHospitalSelect) + " WHERE facility_id = ?", {id.value}));
  if (r.empty())
    return Status::NotFound("no partner hospital " + std::to_string(id.value), std::string(field));
  ASSIGN_OR_RETURN(auto list, HospitalsFrom(ex, r));
  return list.front();
}

Result<Practitioner> LoadPractitioner(store::Executor& ex, PractitionerId id,
                                      std::string_view field) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kPractitionerSelect) + " WHERE id = ?", {id.value}));
  if (r.empty())
    return Status::NotFound("no practitioner " + std::to_string(id.value), std::string(field));
  return PractitionerFrom(ex, r, 0);
}

Result<std::optional<Practitioner>> PractitionerOfUser(store::Executor& ex, UserId user) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string(kPractitionerSelect) + " WHERE user_id = ?", {user.value}));
  if (r.empty()) return std::optional<Practitioner>();
  ASSIGN_OR_RETURN(auto p, PractitionerFrom(ex, r, 0));
  return std::optional<Practitioner>(std::move(p));
}

Result<SlotRules> RulesFor(store::Executor& ex, const Practitioner& p, const Hospital& h) {
  SlotRules rules;
  rules.zone = h.zone;
  rules.weekly = p.weekly;
  rules.slot_minutes = p.slot_minutes;
  rules.min_notice_ms = int64_t{p.min_notice_minutes} * kMillisPerMinute;
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT from_date, to_date, reason FROM tele_closure WHERE "
                                    "hospital_id = ? AND (practitioner_id = ? OR practitioner_id "
                                    "IS NULL) ORDER BY from_date",
                                    {h.id.value, p.id.value}));
  for (size_t i = 0; i < r.size(); ++i)
    rules.closures.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2)});
  return rules;
}

Result<std::vector<Interval>> BusyFor(store::Executor& ex, PractitionerId expert, int64_t from,
                                      int64_t to, std::optional<AppointmentId> except) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, start_at, end_at FROM tele_appointment WHERE "
                                    "practitioner_id = ? AND holds_slot = 1 AND start_at < ? AND "
                                    "end_at > ? ORDER BY start_at",
                                    {expert.value, to, from}));
  std::vector<Interval> out;
  for (size_t i = 0; i < r.size(); ++i) {
    if (except && r.Int(i, 0) == except->value) continue;
    out.push_back({r.Int(i, 1), r.Int(i, 2)});
  }
  return out;
}

Status LockRow(store::Executor& ex, std::string_view table, int64_t id) {
  if (ex.dialect() != store::Dialect::kPostgres) return Status::Ok();
  return ex.Query("SELECT id FROM " + std::string(table) + " WHERE id = ? FOR UPDATE", {id})
      .status();
}

Status PublishChange(store::Executor& tx, std::string_view what, const std::vector<Field>& fields,
                     int64_t now) {
  std::string payload = "{";
  for (const auto& [name, value] : fields) {
    if (payload.size() > 1) payload += ',';
    AppendJsonString(payload, name);
    payload += ':';
    if (const auto* n = std::get_if<int64_t>(&value)) {
      payload += std::to_string(*n);
    } else {
      AppendJsonString(payload, std::get<std::string>(value));
    }
  }
  payload += '}';
  return store::Publish(tx, "telehealth." + std::string(what), payload, now);
}

}  // namespace internal

using namespace internal;

Service::Service(store::Database& db, const Clock& clock, ServiceOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  providers_.emplace(std::string(counter_.name()), &counter_);
}

void Service::AddPaymentProvider(PaymentProvider& provider) {
  providers_[std::string(provider.name())] = &provider;
}

// ---- Access --------------------------------------------------------------------------------

Result<Service::Actor> Service::ActorFor(store::Executor& ex, const registry::Caller& by) {
  Actor a{by, std::nullopt};
  if (by.role == Role::kClinician) {
    ASSIGN_OR_RETURN(a.practitioner, PractitionerOfUser(ex, by.user));
    if (!a.practitioner)
      return Status::PermissionDenied("this clinician does not work for a partner hospital");
  } else if (by.role == Role::kCitizen && !by.person) {
    return Status::FailedPrecondition("this account has no person record");
  }
  return a;
}

Status Service::ActsFor(store::Executor& ex, const Actor& a, FacilityId hospital) {
  if (a.practitioner) {
    if (a.practitioner->hospital == hospital) return Status::Ok();
    return Status::PermissionDenied("you act for hospital " +
                                    std::to_string(a.practitioner->hospital.value) + " only");
  }
  if (a.admin()) {
    ASSIGN_OR_RETURN(auto h, LoadHospital(ex, hospital));
    return registry::RequireCovers(a.caller, h.org_path);
  }
  return Status::PermissionDenied("only the hospital's staff may do this");
}

Status Service::ActsForRecord(store::Executor& ex, const Actor& a, FacilityId holder,
                              const std::vector<FacilityId>& parties, const Status& not_found) {
  Status s = ActsFor(ex, a, holder);
  if (s.code() != Code::kPermissionDenied) return s;
  for (FacilityId p : parties) {
    if (ActsFor(ex, a, p).ok()) return s;
  }
  return not_found;
}

Status Service::ServesPatient(store::Executor& ex, const Actor& a, PersonId patient) {
  if (a.citizen()) {
    if (a.caller.person && *a.caller.person == patient) return Status::Ok();
    return Status::PermissionDenied("citizens act only on their own records");
  }
  auto person = registry::GetPerson(ex, patient);
  if (!person.ok()) return Renamed(person.status(), "patient_id");
  if (registry::Covers(a.caller, person->org_path)) return Status::Ok();
  if (auto h = a.hospital()) {
    // Patients the hospital sees: booked with it, in a consultation with it, referred from or
    // to it, travelling from or to it, or who consented to it.
    const int64_t id = h->value;
    ASSIGN_OR_RETURN(
        auto r,
        ex.Query("SELECT 1 FROM tele_appointment WHERE patient_id = ? AND hospital_id = ? "
                 "UNION SELECT 1 FROM tele_consultation WHERE patient_id = ? AND "
                 "(expert_hospital_id = ? OR referring_hospital_id = ?) "
                 "UNION SELECT 1 FROM tele_referral WHERE patient_id = ? AND "
                 "(from_hospital_id = ? OR to_hospital_id = ?) "
                 "UNION SELECT 1 FROM tele_transport WHERE patient_id = ? AND "
                 "(origin_hospital_id = ? OR destination_hospital_id = ?) "
                 "UNION SELECT 1 FROM tele_consent WHERE patient_id = ? AND grantee_hospital_id "
                 "= ? AND revoked_at IS NULL AND from_at <= ? AND until_at > ?",
                 {patient.value, id, patient.value, id, id, patient.value, id, id, patient.value,
                  id, id, patient.value, id, clock_.NowMillis(), clock_.NowMillis()}));
    if (!r.empty()) return Status::Ok();
  }
  // Reads exactly like a person who does not exist (registry::GetPerson), so ids cannot be probed.
  return Status::NotFound("no person " + std::to_string(patient.value), "patient_id");
}

// ---- Partner network -----------------------------------------------------------------------

Result<Hospital> Service::AddHospital(const registry::Caller& by, const NewHospital& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  RETURN_IF_ERROR(ValidateCountry(in.country, "country"));
  if (Status s = ValidateZone(in.zone); !s.ok())
    return Status::InvalidArgument(s.message(), "zone");
  RETURN_IF_ERROR(MinorUnitDigits(in.currency, "currency"));
  if (in.languages.empty()) return Status::InvalidArgument("name at least one", "languages");
  for (size_t i = 0; i < in.languages.size(); ++i)
    RETURN_IF_ERROR(ValidateLanguage(in.languages[i], "languages[" + std::to_string(i) + "]"));
  Hospital out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto f = registry::GetFacility(tx, in.facility);
    if (!f.ok()) return Renamed(f.status(), "facility_id");
    // Another unit's facility reads like one that does not exist.
    if (!registry::Covers(by, f->org_path))
      return Status::NotFound("no facility " + std::to_string(in.facility.value), "facility_id");
    if (f->kind != "hospital")
      return Status::InvalidArgument("is a " + f->kind + ", not a hospital", "facility_id");
    auto inserted = tx.Exec(
        "INSERT INTO tele_hospital (facility_id, country, zone, languages, currency, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {in.facility.value, in.country, in.zone, JoinList(in.languages), in.currency,
         clock_.NowMillis()});
    if (!inserted.ok() && inserted.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("is already a partner hospital", "facility_id");
    RETURN_IF_ERROR(inserted);
    ASSIGN_OR_RETURN(out, LoadHospital(tx, in.facility));
    return Status::Ok();
  }));
  return out;
}

Result<Hospital> Service::GetHospital(const registry::Caller& by, FacilityId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  return LoadHospital(db_, id, "id");
}

Result<std::vector<Hospital>> Service::ListHospitals(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  ASSIGN_OR_RETURN(
      auto r, db_.Query(std::string(internal::kHospitalSelect) + " ORDER BY country, facility_id"));
  ASSIGN_OR_RETURN(auto out, internal::HospitalsFrom(db_, r));
  std::stable_sort(out.begin(), out.end(), [](const Hospital& a, const Hospital& b) {
    return a.country == b.country ? a.name < b.name : a.country < b.country;
  });
  return out;
}

Result<Department> Service::AddDepartment(const registry::Caller& by, FacilityId hospital,
                                          std::string_view name) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  RETURN_IF_ERROR(CheckText(name, "name", 200, true));
  Department out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ActsFor(tx, a, hospital));
    auto r = tx.Query("INSERT INTO tele_department (hospital_id, name) VALUES (?, ?) RETURNING id",
                      {hospital.value, name});
    if (!r.ok() && r.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("the hospital has this department already", "name");
    RETURN_IF_ERROR(r);
    out = {DepartmentId(r->Int(0, 0)), hospital, std::string(name)};
    return Status::Ok();
  }));
  return out;
}

Result<Practitioner> Service::AddPractitioner(const registry::Caller& by,
                                              const NewPractitioner& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  RETURN_IF_ERROR(CheckText(in.name, "name", 200, true));
  RETURN_IF_ERROR(ValidateSlotMinutes(in.slot_minutes));
  for (size_t i = 0; i < in.specialties.size(); ++i) {
    const auto& s = in.specialties[i];
    const bool token = !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    });
    if (!token)
      return Status::InvalidArgument("must be a lower-case token such as 'hematology'",
                                     "specialties[" + std::to_string(i) + "]");
  }
  if (in.bookable && in.specialties.empty())
    return Status::InvalidArgument("an expert needs a specialty", "specialties");
  if (in.languages.empty()) return Status::InvalidArgument("name at least one", "languages");
  for (size_t i = 0; i < in.languages.size(); ++i)
    RETURN_IF_ERROR(ValidateLanguage(in.languages[i], "languages[" + std::to_string(i) + "]"));
  Practitioner out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ActsFor(tx, a, in.hospital));
    auto u = registry::GetUser(tx, in.user);
    if (!u.ok()) return Status::NotFound("no user " + std::to_string(in.user.value), "user_id");
    if (u->role != registry::Role::kClinician)
      return Status::InvalidArgument("must be a clinician's account", "user_id");
    if (in.department) {
      ASSIGN_OR_RETURN(auto d, tx.Query("SELECT hospital_id FROM tele_department WHERE id = ?",
                                        {in.department->value}));
      if (d.empty() || d.Int(0, 0) != in.hospital.value)
        return Status::NotFound("no such department in this hospital", "department_id");
    }
    std::optional<int64_t> dept;
    if (in.department) dept = in.department->value;
    auto r = tx.Query(
        "INSERT INTO tele_practitioner (user_id, hospital_id, department_id, name, specialties, "
        "languages, bookable, slot_minutes, min_notice_minutes, created_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, 0, ?) RETURNING id",
        {in.user.value, in.hospital.value, dept, in.name, JoinList(in.specialties),
         JoinList(in.languages), in.bookable, in.slot_minutes, clock_.NowMillis()});
    if (!r.ok() && r.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("this user is a practitioner already", "user_id");
    RETURN_IF_ERROR(r);
    ASSIGN_OR_RETURN(out, LoadPractitioner(tx, PractitionerId(r->Int(0, 0))));
    return Status::Ok();
  }));
  return out;
}

Result<Practitioner> Service::GetPractitioner(const registry::Caller& by, PractitionerId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  return LoadPractitioner(db_, id, "id");
}

Status Service::SetWeeklyHours(const registry::Caller& by, PractitionerId expert,
                               const std::vector<WeeklyHours>& weekly, int min_notice_minutes) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  RETURN_IF_ERROR(ValidateWeeklyHours(weekly));
  if (min_notice_minutes < 0 || min_notice_minutes > 30 * 24 * 60)
    return Status::InvalidArgument("must be 0 to 43200 minutes", "min_notice_minutes");
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    ASSIGN_OR_RETURN(auto p, LoadPractitioner(tx, expert));
    RETURN_IF_ERROR(ActsFor(tx, a, p.hospital));
    if (!p.bookable && !weekly.empty())
      return Status::FailedPrecondition("only experts who take bookings have hours",
                                        "practitioner_id");
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM tele_weekly_hours WHERE practitioner_id = ?", {expert.value}));
    for (const auto& w : weekly) {
      RETURN_IF_ERROR(
          tx.Exec("INSERT INTO tele_weekly_hours (practitioner_id, weekday, "
                  "start_minute, end_minute) VALUES (?, ?, ?, ?)",
                  {expert.value, w.weekday, w.start_minute, w.end_minute}));
    }
    return tx
        .Exec("UPDATE tele_practitioner SET min_notice_minutes = ? WHERE id = ?",
              {min_notice_minutes, expert.value})
        .status();
  });
}

Status Service::AddClosure(const registry::Caller& by, FacilityId hospital,
                           std::optional<PractitionerId> practitioner, const Closure& c) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  ASSIGN_OR_RETURN(int64_t from, ParseDay(c.from_date, "from_date"));
  ASSIGN_OR_RETURN(int64_t to, ParseDay(c.to_date, "to_date"));
  if (to < from) return Status::InvalidArgument("must not be before from_date", "to_date");
  RETURN_IF_ERROR(CheckText(c.reason, "reason", 200, true));
  return db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ActsFor(tx, a, hospital));
    std::optional<int64_t> pid;
    if (practitioner) {
      ASSIGN_OR_RETURN(auto p, LoadPractitioner(tx, *practitioner));
      if (p.hospital != hospital)
        return Status::NotFound("no such practitioner in this hospital", "practitioner_id");
      pid = p.id.value;
    }
    return tx
        .Exec(
            "INSERT INTO tele_closure (hospital_id, practitioner_id, from_date, to_date, "
            "reason) VALUES (?, ?, ?, ?, ?)",
            {hospital.value, pid, c.from_date, c.to_date, c.reason})
        .status();
  });
}

Result<std::vector<ExpertListing>> Service::FindExperts(const registry::Caller& by,
                                                        const ExpertQuery& q) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadTelehealth));
  if (!q.language.empty()) RETURN_IF_ERROR(ValidateLanguage(q.language, "language"));
  if (!q.country.empty()) RETURN_IF_ERROR(ValidateCountry(q.country, "country"));
  RETURN_IF_ERROR(CheckText(q.specialty, "specialty", 40, false));
  std::string sql =
      "SELECT p.id FROM tele_practitioner p JOIN tele_hospital h ON h.facility_id = "
      "p.hospital_id WHERE p.bookable = 1";
  store::Params params;
  if (!q.specialty.empty()) {
    sql += " AND p.specialties LIKE ?";
    params.push_back("%," + q.specialty + ",%");
  }
  if (!q.language.empty()) {
    sql += " AND p.languages LIKE ?";
    params.push_back("%," + q.language + ",%");
  }
  if (!q.country.empty()) {
    sql += " AND h.country = ?";
    params.push_back(q.country);
  }
  sql += " ORDER BY p.name, p.id LIMIT 200";
  std::vector<ExpertListing> out;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(auto r, ex.Query(sql, params));
    for (size_t i = 0; i < r.size(); ++i) {
      ASSIGN_OR_RETURN(auto p, LoadPractitioner(ex, PractitionerId(r.Int(i, 0))));
      ASSIGN_OR_RETURN(auto h, LoadHospital(ex, p.hospital));
      out.push_back({std::move(p), std::move(h)});
    }
    return Status::Ok();
  }));
  return out;
}

Result<Fee> Service::SetFee(const registry::Caller& by, FacilityId hospital, std::string_view code,
                            std::string_view description, std::string_view amount) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  RETURN_IF_ERROR(CheckText(code, "code", 40, true));
  RETURN_IF_ERROR(CheckText(description, "description", 200, true));
  Fee out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto a, ActorFor(tx, by));
    RETURN_IF_ERROR(ActsFor(tx, a, hospital));
    ASSIGN_OR_RETURN(auto h, LoadHospital(tx, hospital));
    ASSIGN_OR_RETURN(Money m, ParseMoney(h.currency, amount));
    if (m.minor < 0) return Status::InvalidArgument("must not be negative", "amount");
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM tele_fee WHERE hospital_id = ? AND code = ?", {hospital.value, code}));
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO tele_fee (hospital_id, code, description, "
                "amount_minor) VALUES (?, ?, ?, ?)",
                {hospital.value, code, description, m.minor}));
    out = {hospital, std::string(code), std::string(description), m};
    return Status::Ok();
  }));
  return out;
}

Result<StoredRate> Service::AddExchangeRate(const registry::Caller& by, std::string_view from,
                                            std::string_view to, std::string_view rate,
                                            std::string_view as_of, std::string_view source) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManagePartnerNetwork));
  // Rates reach every hospital: they are set at the top of the tree.
  RETURN_IF_ERROR(registry::RequireTopLevel(by));
  ASSIGN_OR_RETURN(ExchangeRate r, ParseRate(from, to, rate));
  RETURN_IF_ERROR(ParseDay(as_of, "as_of"));
  RETURN_IF_ERROR(CheckText(source, "source", 200, true));
  auto inserted = db_.Exec(
      "INSERT INTO tele_exchange_rate (from_currency, to_currency, units, scale, as_of, source, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {r.from, r.to, r.units, r.scale, as_of, source, clock_.NowMillis()});
  if (!inserted.ok() && inserted.status().code() == Code::kAlreadyExists)
    return Status::AlreadyExists("a rate for this pair and date exists already", "as_of");
  RETURN_IF_ERROR(inserted);
  return StoredRate{r, std::string(as_of), std::string(source)};
}

}  // namespace mekong::telehealth
