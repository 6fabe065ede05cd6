// Routes for cross-border telehealth (docs/telehealth.md): the partner network, free slots in
// the reader's zone and booking, the consultation record, consent and who read what,
// referrals, medical transport, and billing in the patient's currency with its receipt.
//
// Money travels as {"currency": "VND", "amount": "125000"}: the amount is decimal text in the
// currency's units with at most its ISO 4217 minor digits, never a JSON number (a double
// cannot hold every amount). Times are RFC 3339; slots also carry the reader's local date and
// time. The records' JSON is declared here beside each response schema (codec.h's rule), so
// the API tests' response check covers them.
#include <cstdio>

#include "mekong/core/crypto.h"
#include "mekong/core/zone.h"
#include "mekong/http/codec.h"
#include "mekong/telehealth/receipt.h"
#include "mekong/telehealth/service.h"

namespace mekong::http {

namespace {

using registry::Capability;
namespace th = telehealth;

// ---- schema fragments -----------------------------------------------------------------------

Schema S(size_t n = 200) { return Schema::String(n); }
Schema I() { return Schema::Integer(); }
Schema T() { return Schema::Time(); }
Schema NI() { return Schema::Integer().Nullable(); }
Schema NS(size_t n = 200) { return Schema::String(n).Nullable(); }
Schema NT() { return Schema::Time().Nullable(); }
Schema Strings(size_t n, size_t max) { return Schema::Array(Schema::String(n), max); }

template <size_t N>
std::vector<std::string> Names(const std::string_view (&list)[N]) {
  return std::vector<std::string>(std::begin(list), std::end(list));
}

const std::vector<std::string> kAppointmentStatuses = {
    "proposed",  "pending", "booked",           "arrived",    "fulfilled",
    "cancelled", "noshow",  "entered-in-error", "checked-in", "waitlist"};
const std::vector<std::string> kEncounterStatuses = {"planned", "in-progress", "finished",
                                                     "cancelled"};
const std::vector<std::string> kTaskStatuses = {"requested", "accepted", "in-progress",
                                                "completed", "rejected", "cancelled"};
const std::vector<std::string> kTransportStatuses = {
    "submitted", "in-review", "approved", "refused", "scheduled", "completed", "cancelled"};
const std::vector<std::string> kInvoiceStatuses = {"draft", "issued", "balanced", "cancelled"};
const std::vector<std::string> kRecordKinds = {"description", "notes", "diagnoses", "prescriptions",
                                               "messages"};

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
template <typename T>
Json IdOrNull(const std::optional<T>& id) {
  return id ? Json(id->value) : Json(nullptr);
}

// A service error's field renamed to what this route calls it.
Status Renamed(Status s, std::initializer_list<std::pair<std::string_view, std::string_view>> map) {
  for (const auto& [from, to] : map) {
    if (s.field() == from) return Status(s.code(), s.message(), std::string(to));
  }
  return s;
}
template <typename T>
Result<T> Renamed(Result<T> r,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> map) {
  if (r.ok()) return r;
  return Renamed(r.status(), map);
}

// "2026-03-09T07:00:00+07:00": the instant as a clock in `zone` shows it.
std::string LocalTime(int64_t ms, const std::string& zone) {
  auto offset = UtcOffsetMillis(zone, ms);
  if (!offset.ok()) return FormatRfc3339(ms);
  std::string text = FormatRfc3339(ms + *offset);
  text.pop_back();  // the 'Z'
  const int64_t minutes = (*offset < 0 ? -*offset : *offset) / kMillisPerMinute;
  char tail[8];
  std::snprintf(tail, sizeof tail, "%c%02d:%02d", *offset < 0 ? '-' : '+',
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return text + tail;
}

// The patient a citizen acts for when the body names none: themself.
Result<PersonId> PatientOf(const Context& ctx, const Json& body) {
  if (auto p = OptInt(body, "patient_id")) return PersonId(*p);
  if (ctx.by().role == registry::Role::kCitizen && ctx.by().person) return *ctx.by().person;
  return Status::InvalidArgument("is required", "patient_id");
}

// ---- money ----------------------------------------------------------------------------------

Json ToJson(const Money& m) { return {{"currency", m.currency}, {"amount", FormatAmount(m)}}; }
Schema MoneySchema() {
  return Schema::Object(
      {Required("currency", S(3).Doc("ISO 4217: VND, CNY, THB...")),
       Required("amount", S(32).Doc("decimal text in the currency's units, at most its ISO 4217 "
                                    "minor digits (VND none, CNY two): \"125000\", \"475.50\""))});
}

// A money object of the request at `at` ("amount"), checked: a known currency, no more decimals
// than it has. `expect` is the currency the record is in, when there is one.
Result<Money> MoneyFrom(const Json& body, const std::string& at, const std::string& expect = {}) {
  const Json& m = body.at(at);
  const std::string currency = String(m, "currency");
  const std::string currency_field = at + ".currency", amount_field = at + ".amount";
  ASSIGN_OR_RETURN(Money out, (Renamed(ParseMoney(currency, String(m, "amount")),
                                       {{"currency", currency_field}, {"amount", amount_field}})));
  if (!expect.empty() && currency != expect)
    return Status::InvalidArgument("must be " + expect + ", the currency it is in",
                                   at + ".currency");
  return out;
}

// ---- network --------------------------------------------------------------------------------

Json ToJson(const th::Hospital& h) {
  return {{"id", h.id.value}, {"name", h.name},           {"country", h.country},
          {"zone", h.zone},   {"languages", h.languages}, {"currency", h.currency}};
}
Schema HospitalSchema() {
  return Schema::Object({Required("id", I()), Required("name", S()), Required("country", S(2)),
                         Required("zone", S(64)), Required("languages", Strings(8, 15)),
                         Required("currency", S(3))});
}

Json ToJson(const th::WeeklyHours& w) {
  return {{"weekday", w.weekday}, {"start_minute", w.start_minute}, {"end_minute", w.end_minute}};
}
Schema WeeklySchema() {
  return Schema::Object({Required("weekday", Schema::Integer(1, 7).Doc("ISO: 1 Monday, 7 Sunday")),
                         Required("start_minute", Schema::Integer(0, 1440)),
                         Required("end_minute", Schema::Integer(0, 1440))});
}

Json ToJson(const th::Practitioner& p) {
  Json weekly = Json::array();
  for (const auto& w : p.weekly) weekly.push_back(ToJson(w));
  return {{"id", p.id.value},
          {"user_id", p.user.value},
          {"hospital_id", p.hospital.value},
          {"department_id", IdOrNull(p.department)},
          {"name", p.name},
          {"specialties", p.specialties},
          {"languages", p.languages},
          {"bookable", p.bookable},
          {"slot_minutes", p.slot_minutes},
          {"min_notice_minutes", p.min_notice_minutes},
          {"weekly", weekly}};
}
Schema PractitionerSchema() {
  return Schema::Object(
      {Required("id", I()), Required("user_id", I()), Required("hospital_id", I()),
       Required("department_id", NI()), Required("name", S()),
       Required("specialties", Strings(40, 100)), Required("languages", Strings(8, 15)),
       Required("bookable", Schema::Boolean()), Required("slot_minutes", I()),
       Required("min_notice_minutes", I()),
       Required("weekly",
                Schema::Array(WeeklySchema(), 100).Doc("weekly hours in the hospital's zone"))});
}

Json ToJson(const th::Slot& s) {
  return {{"start", FormatRfc3339(s.start)},    {"end", FormatRfc3339(s.end)},
          {"local_date", s.local_date},         {"local_time", s.local_time},
          {"offset_minutes", s.offset_minutes}, {"expert_local_time", s.expert_local_time}};
}
Schema SlotSchema() {
  return Schema::Object({Required("start", T()), Required("end", T()),
                         Required("local_date", Schema::Date().Doc("in the reader's zone")),
                         Required("local_time", S(5).Doc("HH:MM in the reader's zone")),
                         Required("offset_minutes", I()),
                         Required("expert_local_time", S(5).Doc("HH:MM in the expert's zone"))});
}

Result<Response> AddHospital(Context& ctx) {
  th::NewHospital in;
  in.facility = FacilityId(Int(ctx.body, "facility_id"));
  in.country = String(ctx.body, "country");
  in.zone = String(ctx.body, "zone");
  in.currency = String(ctx.body, "currency");
  in.languages = ctx.body["languages"].get<std::vector<std::string>>();
  ASSIGN_OR_RETURN(auto h, ctx.svc.telehealth.AddHospital(ctx.by(), in));
  return JsonResponse(ToJson(h), 201);
}

Result<Response> ListHospitals(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.telehealth.ListHospitals(ctx.by()));
  Json items = Json::array();
  for (const auto& h : list) items.push_back(ToJson(h));
  return JsonResponse({{"items", items}});
}

Result<Response> AddDepartment(Context& ctx) {
  ASSIGN_OR_RETURN(auto d,
                   ctx.svc.telehealth.AddDepartment(ctx.by(), FacilityId(Int(ctx.path, "id")),
                                                    String(ctx.body, "name")));
  return JsonResponse({{"id", d.id.value}, {"hospital_id", d.hospital.value}, {"name", d.name}},
                      201);
}

Result<Response> AddClosure(Context& ctx) {
  std::optional<th::PractitionerId> who;
  if (auto p = OptInt(ctx.body, "practitioner_id")) who = th::PractitionerId(*p);
  th::Closure c{String(ctx.body, "from_date"), String(ctx.body, "to_date"),
                String(ctx.body, "reason")};
  const FacilityId hospital(Int(ctx.path, "id"));
  RETURN_IF_ERROR(ctx.svc.telehealth.AddClosure(ctx.by(), hospital, who, c));
  return JsonResponse({{"hospital_id", hospital.value},
                       {"practitioner_id", IdOrNull(who)},
                       {"from_date", c.from_date},
                       {"to_date", c.to_date},
                       {"reason", c.reason}},
                      201);
}

Result<Response> AddPractitioner(Context& ctx) {
  th::NewPractitioner in;
  in.user = UserId(Int(ctx.body, "user_id"));
  in.hospital = FacilityId(Int(ctx.body, "hospital_id"));
  if (auto d = OptInt(ctx.body, "department_id")) in.department = th::DepartmentId(*d);
  in.name = String(ctx.body, "name");
  if (ctx.body.contains("specialties"))
    in.specialties = ctx.body["specialties"].get<std::vector<std::string>>();
  in.languages = ctx.body["languages"].get<std::vector<std::string>>();
  in.bookable = OptBool(ctx.body, "bookable").value_or(false);
  in.slot_minutes = static_cast<int>(OptInt(ctx.body, "slot_minutes").value_or(30));
  ASSIGN_OR_RETURN(auto p, ctx.svc.telehealth.AddPractitioner(ctx.by(), in));
  return JsonResponse(ToJson(p), 201);
}

Result<Response> SetWeeklyHours(Context& ctx) {
  std::vector<th::WeeklyHours> weekly;
  for (const auto& w : ctx.body["weekly"]) {
    weekly.push_back({static_cast<int>(Int(w, "weekday")), static_cast<int>(Int(w, "start_minute")),
                      static_cast<int>(Int(w, "end_minute"))});
  }
  const th::PractitionerId id(Int(ctx.path, "id"));
  RETURN_IF_ERROR(ctx.svc.telehealth.SetWeeklyHours(
      ctx.by(), id, weekly, static_cast<int>(OptInt(ctx.body, "min_notice_minutes").value_or(0))));
  ASSIGN_OR_RETURN(auto p, ctx.svc.telehealth.GetPractitioner(ctx.by(), id));
  return JsonResponse(ToJson(p));
}

Result<Response> FindExperts(Context& ctx) {
  th::ExpertQuery q{String(ctx.query, "specialty"), String(ctx.query, "language"),
                    String(ctx.query, "country")};
  ASSIGN_OR_RETURN(auto list, ctx.svc.telehealth.FindExperts(ctx.by(), q));
  Json items = Json::array();
  for (const auto& e : list)
    items.push_back({{"practitioner", ToJson(e.practitioner)}, {"hospital", ToJson(e.hospital)}});
  return JsonResponse({{"items", items}});
}

Result<Response> SetFee(Context& ctx) {
  const FacilityId hospital(Int(ctx.path, "id"));
  ASSIGN_OR_RETURN(auto h, ctx.svc.telehealth.GetHospital(ctx.by(), hospital));
  ASSIGN_OR_RETURN(Money amount, MoneyFrom(ctx.body, "amount", h.currency));
  ASSIGN_OR_RETURN(
      auto fee,
      (Renamed(ctx.svc.telehealth.SetFee(ctx.by(), hospital, String(ctx.path, "code"),
                                         String(ctx.body, "description"), FormatAmount(amount)),
               {{"amount", "amount.amount"}})));
  return JsonResponse({{"hospital_id", fee.hospital.value},
                       {"code", fee.code},
                       {"description", fee.description},
                       {"amount", ToJson(fee.amount)}});
}

Json ToJson(const th::StoredRate& r) {
  return {{"from", r.rate.from},
          {"to", r.rate.to},
          {"rate", FormatRate(r.rate)},
          {"as_of", r.as_of},
          {"source", r.source}};
}
Schema RateSchema() {
  return Schema::Object(
      {Required("from", S(3)), Required("to", S(3)),
       Required("rate", S(40).Doc("exact decimal: one unit of `from` buys this many of `to`")),
       Required("as_of", Schema::Date()), Required("source", S())});
}

Result<Response> AddExchangeRate(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto r, ctx.svc.telehealth.AddExchangeRate(
                  ctx.by(), String(ctx.body, "from"), String(ctx.body, "to"),
                  String(ctx.body, "rate"), String(ctx.body, "as_of"), String(ctx.body, "source")));
  return JsonResponse(ToJson(r), 201);
}

// ---- booking --------------------------------------------------------------------------------

// The appointment with its start as a clock in `zone` shows it (the patient's by default).
Json ToJson(const th::Appointment& a, const std::string& zone = {}) {
  const std::string& local = zone.empty() ? a.patient_zone : zone;
  return {{"id", a.id.value},
          {"patient_id", a.patient.value},
          {"practitioner_id", a.practitioner.value},
          {"hospital_id", a.hospital.value},
          {"start", FormatRfc3339(a.start)},
          {"end", FormatRfc3339(a.end)},
          {"local_start", LocalTime(a.start, local)},
          {"local_zone", local},
          {"status", th::AppointmentStatusName(a.status)},
          {"patient_zone", a.patient_zone},
          {"reason", a.reason},
          {"cancel_reason", OrNull(a.cancel_reason)},
          {"rescheduled_from", IdOrNull(a.rescheduled_from)},
          {"booked_by", a.booked_by.value},
          {"consultation_id", a.consultation.value},
          {"created_at", FormatRfc3339(a.created_at)},
          {"updated_at", FormatRfc3339(a.updated_at)}};
}
Schema AppointmentSchema() {
  return Schema::Object(
      {Required("id", I()), Required("patient_id", I()), Required("practitioner_id", I()),
       Required("hospital_id", I()), Required("start", T()), Required("end", T()),
       Required("local_start", T().Doc("the start with local_zone's offset")),
       Required("local_zone", S(64)), Required("status", Schema::Enum(kAppointmentStatuses)),
       Required("patient_zone", S(64)), Required("reason", Schema::Text(2000)),
       Required("cancel_reason", NS(500)), Required("rescheduled_from", NI()),
       Required("booked_by", I()), Required("consultation_id", I()), Required("created_at", T()),
       Required("updated_at", T())});
}

Result<Response> FreeSlots(Context& ctx) {
  const std::string from = String(ctx.query, "from");
  const std::string to = OptString(ctx.query, "to").value_or(from);
  const std::string zone = OptString(ctx.query, "tz").value_or(ctx.by().time_zone);
  ASSIGN_OR_RETURN(auto slots,
                   (Renamed(ctx.svc.telehealth.FreeSlots(
                                ctx.by(), th::PractitionerId(Int(ctx.path, "id")), zone, from, to),
                            {{"zone", "tz"}, {"practitioner_id", "id"}})));
  Json items = Json::array();
  for (const auto& s : slots) items.push_back(ToJson(s));
  return JsonResponse({{"practitioner_id", Int(ctx.path, "id")}, {"zone", zone}, {"items", items}});
}

Result<Response> Book(Context& ctx) {
  th::NewAppointment in;
  ASSIGN_OR_RETURN(in.patient, PatientOf(ctx, ctx.body));
  in.practitioner = th::PractitionerId(Int(ctx.body, "practitioner_id"));
  in.start = Int(ctx.body, "start");
  in.patient_zone = OptString(ctx.body, "patient_zone").value_or(ctx.by().time_zone);
  in.reason = String(ctx.body, "reason");
  std::optional<th::PractitionerId> referring;
  if (auto r = OptInt(ctx.body, "referring_id")) referring = th::PractitionerId(*r);
  ASSIGN_OR_RETURN(auto a, ctx.svc.telehealth.Book(ctx.by(), in, referring));
  return JsonResponse(ToJson(a), 201);
}

Result<Response> GetAppointment(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto a, ctx.svc.telehealth.GetAppointment(ctx.by(), th::AppointmentId(Int(ctx.path, "id"))));
  return JsonResponse(ToJson(a));
}

Result<Response> CancelAppointment(Context& ctx) {
  ASSIGN_OR_RETURN(auto a,
                   ctx.svc.telehealth.Cancel(ctx.by(), th::AppointmentId(Int(ctx.path, "id")),
                                             String(ctx.body, "reason")));
  return JsonResponse(ToJson(a));
}

Result<Response> Reschedule(Context& ctx) {
  ASSIGN_OR_RETURN(auto a,
                   ctx.svc.telehealth.Reschedule(ctx.by(), th::AppointmentId(Int(ctx.path, "id")),
                                                 Int(ctx.body, "start")));
  return JsonResponse(ToJson(a), 201);
}

Result<Response> SetAppointmentStatus(Context& ctx) {
  ASSIGN_OR_RETURN(auto status, th::ParseAppointmentStatus(String(ctx.body, "status"), "status"));
  ASSIGN_OR_RETURN(auto a, ctx.svc.telehealth.SetAppointmentStatus(
                               ctx.by(), th::AppointmentId(Int(ctx.path, "id")), status));
  return JsonResponse(ToJson(a));
}

Result<Response> PatientAppointments(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto list,
      (Renamed(ctx.svc.telehealth.PatientAppointments(ctx.by(), PersonId(Int(ctx.path, "id"))),
               {{"patient_id", "id"}})));
  Json items = Json::array();
  for (const auto& a : list) items.push_back(ToJson(a));
  return JsonResponse({{"items", items}});
}

Result<Response> ExpertCalendar(Context& ctx) {
  const th::PractitionerId id(Int(ctx.path, "id"));
  std::string zone = String(ctx.query, "tz");
  if (zone.empty()) {  // the expert's own zone: their hospital's
    ASSIGN_OR_RETURN(auto p, ctx.svc.telehealth.GetPractitioner(ctx.by(), id));
    ASSIGN_OR_RETURN(auto h, ctx.svc.telehealth.GetHospital(ctx.by(), p.hospital));
    zone = h.zone;
  } else if (Status s = ValidateZone(zone); !s.ok()) {
    return Status::InvalidArgument(s.message(), "tz");
  }
  ASSIGN_OR_RETURN(auto list,
                   (Renamed(ctx.svc.telehealth.ExpertCalendar(ctx.by(), id, Int(ctx.query, "from"),
                                                              Int(ctx.query, "to")),
                            {{"practitioner_id", "id"}})));
  Json items = Json::array();
  for (const auto& a : list) items.push_back(ToJson(a, zone));
  return JsonResponse({{"practitioner_id", id.value}, {"zone", zone}, {"items", items}});
}

// ---- consultation ---------------------------------------------------------------------------

std::vector<std::string> VitalCodes() {
  std::vector<std::string> out;
  for (const auto& v : th::VitalSigns()) out.emplace_back(v.loinc);
  return out;
}

Json ToJson(const th::Consultation& c) {
  Json description = nullptr, diagnoses = nullptr, prescriptions = nullptr, messages = nullptr;
  if (c.description) {
    Json vitals = Json::array();
    for (const auto& v : c.description->vitals) {
      vitals.push_back({{"loinc", v.loinc},
                        {"value", v.value},
                        {"unit", v.unit},
                        {"observed_at", FormatRfc3339(v.observed_at)}});
    }
    description = {{"history", c.description->history},
                   {"findings", c.description->findings},
                   {"vitals", vitals},
                   {"attachments", c.description->attachments}};
  }
  if (c.diagnoses) {
    diagnoses = Json::array();
    for (const auto& d : *c.diagnoses) {
      diagnoses.push_back({{"icd10", d.icd10},
                           {"text", d.text},
                           {"by_user_id", d.by.value},
                           {"at", FormatRfc3339(d.at)}});
    }
  }
  if (c.prescriptions) {
    prescriptions = Json::array();
    for (const auto& p : *c.prescriptions) {
      prescriptions.push_back({{"medication", p.medication},
                               {"dose", p.dose},
                               {"route", p.route},
                               {"frequency", p.frequency},
                               {"duration_days", p.duration_days},
                               {"notes", p.notes},
                               {"by_user_id", p.by.value},
                               {"at", FormatRfc3339(p.at)}});
    }
  }
  if (c.messages) {
    messages = Json::array();
    for (const auto& m : *c.messages) {
      messages.push_back({{"author_id", m.author.value},
                          {"author_name", m.author_name},
                          {"author_role", m.author_role},
                          {"body", m.body},
                          {"at", FormatRfc3339(m.at)}});
    }
  }
  Json withheld = Json::array();
  for (auto k : c.withheld) withheld.push_back(th::RecordKindName(k));
  return {{"id", c.id.value},
          {"appointment_id", IdOrNull(c.appointment)},
          {"patient_id", c.patient.value},
          {"expert_id", c.expert.value},
          {"expert_hospital_id", c.expert_hospital.value},
          {"referring_id", IdOrNull(c.referring)},
          {"referring_hospital_id", IdOrNull(c.referring_hospital)},
          {"status", th::EncounterStatusName(c.status)},
          {"video_url", c.video_url},
          {"description", description},
          {"expert_notes", c.expert_notes ? Json(*c.expert_notes) : Json(nullptr)},
          {"diagnoses", diagnoses},
          {"prescriptions", prescriptions},
          {"messages", messages},
          {"withheld", withheld},
          {"created_at", FormatRfc3339(c.created_at)},
          {"updated_at", FormatRfc3339(c.updated_at)}};
}
Schema ConsultationSchema() {
  Schema vital = Schema::Object({Required("loinc", S(16)), Required("value", S(16)),
                                 Required("unit", S(16)), Required("observed_at", T())});
  Schema description = Schema::Object(
      {Required("history", Schema::Text(20000)), Required("findings", Schema::Text(20000)),
       Required("vitals", Schema::Array(vital, 1000)), Required("attachments", Strings(500, 50))});
  Schema diagnosis = Schema::Object({Required("icd10", S(8)), Required("text", S(500)),
                                     Required("by_user_id", I()), Required("at", T())});
  Schema prescription = Schema::Object(
      {Required("medication", S()), Required("dose", S(100)), Required("route", S(50)),
       Required("frequency", S(100)), Required("duration_days", I()),
       Required("notes", Schema::Text(2000)), Required("by_user_id", I()), Required("at", T())});
  Schema message =
      Schema::Object({Required("author_id", I()), Required("author_name", S()),
                      Required("author_role", Schema::Enum({"patient", "referring", "expert"})),
                      Required("body", Schema::Text(4000)), Required("at", T())});
  return Schema::Object(
      {Required("id", I()), Required("appointment_id", NI()), Required("patient_id", I()),
       Required("expert_id", I()), Required("expert_hospital_id", I()),
       Required("referring_id", NI()), Required("referring_hospital_id", NI()),
       Required("status", Schema::Enum(kEncounterStatuses)), Required("video_url", S(500)),
       Required("description", description.Nullable().Doc("null when withheld")),
       Required("expert_notes", Schema::Text(20000).Nullable()),
       Required("diagnoses", Schema::Array(diagnosis, 1000).Nullable()),
       Required("prescriptions", Schema::Array(prescription, 1000).Nullable()),
       Required("messages", Schema::Array(message, 100000).Nullable()),
       Required("withheld", Schema::Array(Schema::Enum(kRecordKinds), 5)
                                .Doc("parts another hospital holds that the patient has not "
                                     "consented to your hospital reading")),
       Required("created_at", T()), Required("updated_at", T())});
}

// What a write into the record answers: which part, when.
Json Written(const Context& ctx, const char* part) {
  return {{"consultation_id", Int(ctx.path, "id")}, {"part", part}, {"at", FormatRfc3339(ctx.now)}};
}
Schema WrittenSchema() {
  return Schema::Object({Required("consultation_id", I()),
                         Required("part", Schema::Enum(kRecordKinds)), Required("at", T())});
}

th::ConsultationId ConsultationOf(const Context& ctx) {
  return th::ConsultationId(Int(ctx.path, "id"));
}

Result<Response> GetConsultation(Context& ctx) {
  ASSIGN_OR_RETURN(auto c, ctx.svc.telehealth.GetConsultation(ctx.by(), ConsultationOf(ctx)));
  return JsonResponse(ToJson(c));
}

Result<Response> WriteDescription(Context& ctx) {
  th::Description d;
  d.history = String(ctx.body, "history");
  d.findings = String(ctx.body, "findings");
  if (ctx.body.contains("vitals")) {
    for (const auto& v : ctx.body["vitals"]) {
      d.vitals.push_back(
          {String(v, "loinc"), String(v, "value"), String(v, "unit"), Int(v, "observed_at")});
    }
  }
  if (ctx.body.contains("attachments"))
    d.attachments = ctx.body["attachments"].get<std::vector<std::string>>();
  RETURN_IF_ERROR(ctx.svc.telehealth.WriteDescription(ctx.by(), ConsultationOf(ctx), d));
  return JsonResponse(Written(ctx, "description"));
}

Result<Response> WriteNotes(Context& ctx) {
  RETURN_IF_ERROR(
      ctx.svc.telehealth.WriteNotes(ctx.by(), ConsultationOf(ctx), String(ctx.body, "notes")));
  return JsonResponse(Written(ctx, "notes"));
}

Result<Response> AddDiagnosis(Context& ctx) {
  RETURN_IF_ERROR(ctx.svc.telehealth.AddDiagnosis(
      ctx.by(), ConsultationOf(ctx), String(ctx.body, "icd10"), String(ctx.body, "text")));
  return JsonResponse(Written(ctx, "diagnoses"), 201);
}

Result<Response> AddPrescription(Context& ctx) {
  th::Prescription p;
  p.medication = String(ctx.body, "medication");
  p.dose = String(ctx.body, "dose");
  p.route = String(ctx.body, "route");
  p.frequency = String(ctx.body, "frequency");
  p.duration_days = static_cast<int>(OptInt(ctx.body, "duration_days").value_or(0));
  p.notes = String(ctx.body, "notes");
  RETURN_IF_ERROR(ctx.svc.telehealth.AddPrescription(ctx.by(), ConsultationOf(ctx), p));
  return JsonResponse(Written(ctx, "prescriptions"), 201);
}

Result<Response> PostMessage(Context& ctx) {
  RETURN_IF_ERROR(
      ctx.svc.telehealth.PostMessage(ctx.by(), ConsultationOf(ctx), String(ctx.body, "body")));
  return JsonResponse(Written(ctx, "messages"), 201);
}

Result<Response> SetConsultationStatus(Context& ctx) {
  ASSIGN_OR_RETURN(auto status, th::ParseEncounterStatus(String(ctx.body, "status"), "status"));
  ASSIGN_OR_RETURN(auto c,
                   ctx.svc.telehealth.SetConsultationStatus(ctx.by(), ConsultationOf(ctx), status));
  return JsonResponse(ToJson(c));
}

// ---- consent --------------------------------------------------------------------------------

Json ToJson(const th::Consent& c) {
  Json kinds = Json::array();
  for (auto k : c.kinds) kinds.push_back(th::RecordKindName(k));
  return {{"id", c.id.value},
          {"patient_id", c.patient.value},
          {"grantee_id", c.grantee.value},
          {"kinds", kinds},
          {"consultation_id", IdOrNull(c.consultation)},
          {"from", FormatRfc3339(c.from)},
          {"until", FormatRfc3339(c.until)},
          {"revoked_at", Time(c.revoked_at)},
          {"created_at", FormatRfc3339(c.created_at)}};
}
Schema ConsentSchema() {
  return Schema::Object({Required("id", I()), Required("patient_id", I()),
                         Required("grantee_id", I().Doc("the hospital that may read")),
                         Required("kinds", Schema::Array(Schema::Enum(kRecordKinds), 5)),
                         Required("consultation_id", NI()), Required("from", T()),
                         Required("until", T()), Required("revoked_at", NT()),
                         Required("created_at", T())});
}

Result<Response> GrantConsent(Context& ctx) {
  th::NewConsent in;
  ASSIGN_OR_RETURN(in.patient, PatientOf(ctx, ctx.body));
  in.grantee = FacilityId(Int(ctx.body, "grantee_id"));
  const Json& kinds = ctx.body["kinds"];
  for (size_t i = 0; i < kinds.size(); ++i) {
    ASSIGN_OR_RETURN(auto k, th::ParseRecordKind(kinds[i].get<std::string>(),
                                                 "kinds[" + std::to_string(i) + "]"));
    in.kinds.push_back(k);
  }
  if (auto c = OptInt(ctx.body, "consultation_id")) in.consultation = th::ConsultationId(*c);
  in.from = OptInt(ctx.body, "from").value_or(ctx.now);
  in.until = Int(ctx.body, "until");
  ASSIGN_OR_RETURN(auto c, ctx.svc.telehealth.GrantConsent(ctx.by(), in));
  return JsonResponse(ToJson(c), 201);
}

Result<Response> RevokeConsent(Context& ctx) {
  const th::ConsentId id(Int(ctx.path, "id"));
  RETURN_IF_ERROR(ctx.svc.telehealth.RevokeConsent(ctx.by(), id));
  return JsonResponse({{"consent_id", id.value}, {"revoked_at", FormatRfc3339(ctx.now)}});
}

Result<Response> ListConsents(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto list, (Renamed(ctx.svc.telehealth.ListConsents(ctx.by(), PersonId(Int(ctx.path, "id"))),
                          {{"patient_id", "id"}})));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  return JsonResponse({{"items", items}});
}

Result<Response> WhoRead(Context& ctx) {
  const int limit = static_cast<int>(OptInt(ctx.query, "limit").value_or(100));
  ASSIGN_OR_RETURN(
      auto list,
      (Renamed(ctx.svc.telehealth.WhoRead(ctx.by(), PersonId(Int(ctx.path, "id")), limit),
               {{"patient_id", "id"}})));
  Json items = Json::array();
  for (const auto& e : list)
    items.push_back({{"at", FormatRfc3339(e.at)}, {"reader", e.reader}, {"action", e.action}});
  return JsonResponse({{"items", items}});
}

// ---- referral -------------------------------------------------------------------------------

Json ToJson(const th::Referral& r) {
  return {{"id", r.id.value},
          {"patient_id", r.patient.value},
          {"consultation_id", IdOrNull(r.consultation)},
          {"from_hospital_id", r.from_hospital.value},
          {"to_hospital_id", r.to_hospital.value},
          {"requester_id", r.requester.value},
          {"reason", r.reason},
          {"status", th::TaskStatusName(r.status)},
          {"status_reason", OrNull(r.status_reason)},
          {"created_at", FormatRfc3339(r.created_at)},
          {"updated_at", FormatRfc3339(r.updated_at)}};
}
Schema ReferralSchema() {
  return Schema::Object({Required("id", I()), Required("patient_id", I()),
                         Required("consultation_id", NI()), Required("from_hospital_id", I()),
                         Required("to_hospital_id", I()), Required("requester_id", I()),
                         Required("reason", Schema::Text(2000)),
                         Required("status", Schema::Enum(kTaskStatuses).Doc("FHIR Task.status")),
                         Required("status_reason", Schema::Text(2000).Nullable()),
                         Required("created_at", T()), Required("updated_at", T())});
}

Result<Response> Refer(Context& ctx) {
  th::NewReferral in;
  in.patient = PersonId(Int(ctx.body, "patient_id"));
  if (auto c = OptInt(ctx.body, "consultation_id")) in.consultation = th::ConsultationId(*c);
  in.to_hospital = FacilityId(Int(ctx.body, "to_hospital_id"));
  in.reason = String(ctx.body, "reason");
  ASSIGN_OR_RETURN(auto r, ctx.svc.telehealth.Refer(ctx.by(), in));
  return JsonResponse(ToJson(r), 201);
}

Result<Response> UpdateReferral(Context& ctx) {
  ASSIGN_OR_RETURN(auto status, th::ParseTaskStatus(String(ctx.body, "status"), "status"));
  ASSIGN_OR_RETURN(auto r,
                   ctx.svc.telehealth.UpdateReferral(ctx.by(), th::ReferralId(Int(ctx.path, "id")),
                                                     status, String(ctx.body, "reason")));
  return JsonResponse(ToJson(r));
}

Result<Response> GetReferral(Context& ctx) {
  ASSIGN_OR_RETURN(auto r,
                   ctx.svc.telehealth.GetReferral(ctx.by(), th::ReferralId(Int(ctx.path, "id"))));
  return JsonResponse(ToJson(r));
}

Result<Response> ListReferrals(Context& ctx) {
  th::ReferralQuery q;
  if (auto p = OptInt(ctx.query, "patient_id")) q.patient = PersonId(*p);
  if (auto h = OptInt(ctx.query, "hospital_id")) q.hospital = FacilityId(*h);
  ASSIGN_OR_RETURN(auto list, ctx.svc.telehealth.ListReferrals(ctx.by(), q));
  Json items = Json::array();
  for (const auto& r : list) items.push_back(ToJson(r));
  return JsonResponse({{"items", items}});
}

// ---- transport ------------------------------------------------------------------------------

Json ToJson(const th::Transport& t) {
  Json documents = Json::array();
  for (const auto& d : t.documents) {
    documents.push_back({{"kind", d.kind},
                         {"reference", d.reference},
                         {"attached_at", FormatRfc3339(d.attached_at)}});
  }
  return {{"id", t.id.value},
          {"patient_id", t.patient.value},
          {"origin_id", t.origin.value},
          {"destination_id", t.destination.value},
          {"medical_need", t.medical_need},
          {"escort", t.escort},
          {"mode", t.mode},
          {"status", th::TransportStatusName(t.status)},
          {"status_reason", OrNull(t.status_reason)},
          {"scheduled_at", Time(t.scheduled_at)},
          {"documents", documents},
          {"missing_documents", t.missing_documents},
          {"applicant_id", t.applicant.value},
          {"created_at", FormatRfc3339(t.created_at)},
          {"updated_at", FormatRfc3339(t.updated_at)}};
}
Schema TransportSchema() {
  Schema document = Schema::Object(
      {Required("kind", S(40)), Required("reference", S(500)), Required("attached_at", T())});
  return Schema::Object(
      {Required("id", I()), Required("patient_id", I()), Required("origin_id", I()),
       Required("destination_id", I()), Required("medical_need", Schema::Text(4000)),
       Required("escort", Schema::Enum(Names(th::kEscorts))),
       Required("mode", Schema::Enum(Names(th::kTransportModes))),
       Required("status", Schema::Enum(kTransportStatuses)),
       Required("status_reason", Schema::Text(2000).Nullable()), Required("scheduled_at", NT()),
       Required("documents", Schema::Array(document, 50)),
       Required("missing_documents",
                Strings(40, 50).Doc("what the destination country requires, not yet attached")),
       Required("applicant_id", I()), Required("created_at", T()), Required("updated_at", T())});
}

Result<Response> ApplyForTransport(Context& ctx) {
  th::NewTransport in;
  ASSIGN_OR_RETURN(in.patient, PatientOf(ctx, ctx.body));
  in.origin = FacilityId(Int(ctx.body, "origin_id"));
  in.destination = FacilityId(Int(ctx.body, "destination_id"));
  in.medical_need = String(ctx.body, "medical_need");
  in.escort = String(ctx.body, "escort");
  in.mode = String(ctx.body, "mode");
  ASSIGN_OR_RETURN(auto t, ctx.svc.telehealth.ApplyForTransport(ctx.by(), in));
  return JsonResponse(ToJson(t), 201);
}

Result<Response> AttachDocument(Context& ctx) {
  ASSIGN_OR_RETURN(auto t, ctx.svc.telehealth.AttachDocument(
                               ctx.by(), th::TransportId(Int(ctx.path, "id")),
                               String(ctx.path, "kind"), String(ctx.body, "reference")));
  return JsonResponse(ToJson(t));
}

Result<Response> UpdateTransport(Context& ctx) {
  ASSIGN_OR_RETURN(auto status, th::ParseTransportStatus(String(ctx.body, "status"), "status"));
  ASSIGN_OR_RETURN(auto t, ctx.svc.telehealth.UpdateTransport(
                               ctx.by(), th::TransportId(Int(ctx.path, "id")), status,
                               String(ctx.body, "reason"), OptInt(ctx.body, "scheduled_at")));
  return JsonResponse(ToJson(t));
}

Result<Response> GetTransport(Context& ctx) {
  ASSIGN_OR_RETURN(auto t,
                   ctx.svc.telehealth.GetTransport(ctx.by(), th::TransportId(Int(ctx.path, "id"))));
  return JsonResponse(ToJson(t));
}

// ---- billing --------------------------------------------------------------------------------

Json ToJson(const th::Invoice& v) {
  Json lines = Json::array();
  for (const auto& l : v.lines) {
    lines.push_back({{"code", l.code},
                     {"description", l.description},
                     {"quantity", l.quantity},
                     {"unit", ToJson(l.unit)},
                     {"amount", ToJson(l.amount)},
                     {"converted", ToJson(l.converted)}});
  }
  Money due = v.total;
  due.minor -= v.paid.minor;
  return {{"id", v.id.value},
          {"patient_id", v.patient.value},
          {"hospital_id", v.hospital.value},
          {"appointment_id", IdOrNull(v.appointment)},
          {"status", th::InvoiceStatusName(v.status)},
          {"source_total", ToJson(v.source_total)},
          {"total", ToJson(v.total)},
          {"paid", ToJson(v.paid)},
          {"due", ToJson(due)},
          {"rate", v.rate ? ToJson(*v.rate) : Json(nullptr)},
          {"lines", lines},
          {"created_at", FormatRfc3339(v.created_at)},
          {"issued_at", Time(v.issued_at)}};
}
Schema InvoiceSchema() {
  Schema line = Schema::Object(
      {Required("code", S(40)), Required("description", S()), Required("quantity", I()),
       Required("unit", MoneySchema().Doc("in the hospital's currency")),
       Required("amount", MoneySchema().Doc("unit times quantity, the hospital's currency")),
       Required("converted", MoneySchema().Doc("the line's share of total, the patient's "
                                               "currency: the lines add up to it"))});
  return Schema::Object(
      {Required("id", I()), Required("patient_id", I()), Required("hospital_id", I()),
       Required("appointment_id", NI()),
       Required("status", Schema::Enum(kInvoiceStatuses).Doc("draft: a quote")),
       Required("source_total", MoneySchema().Doc("in the hospital's currency")),
       Required("total", MoneySchema().Doc("in the patient's currency")),
       Required("paid", MoneySchema()), Required("due", MoneySchema()),
       Required("rate", RateSchema().Nullable().Doc("the dated rate the quote used and keeps")),
       Required("lines", Schema::Array(line, 50)), Required("created_at", T()),
       Required("issued_at", NT())});
}

Json ToJson(const th::Payment& p) {
  return {{"id", p.id},
          {"invoice_id", p.invoice.value},
          {"provider", p.provider},
          {"method", p.method},
          {"refund", p.refund},
          {"amount", ToJson(p.amount)},
          {"reference", p.reference},
          {"by_user_id", p.by.value},
          {"at", FormatRfc3339(p.at)}};
}
Schema PaymentSchema() {
  return Schema::Object({Required("id", I()), Required("invoice_id", I()),
                         Required("provider", S(40)), Required("method", S(40)),
                         Required("refund", Schema::Boolean()), Required("amount", MoneySchema()),
                         Required("reference", S(300)), Required("by_user_id", I()),
                         Required("at", T())});
}

th::InvoiceId InvoiceOf(const Context& ctx) { return th::InvoiceId(Int(ctx.path, "id")); }

Result<Response> Quote(Context& ctx) {
  th::NewQuote in;
  in.patient = PersonId(Int(ctx.body, "patient_id"));
  in.hospital = FacilityId(Int(ctx.body, "hospital_id"));
  if (auto a = OptInt(ctx.body, "appointment_id")) in.appointment = th::AppointmentId(*a);
  for (const auto& c : ctx.body["charges"])
    in.charges.push_back({String(c, "code"), static_cast<int>(OptInt(c, "quantity").value_or(1))});
  in.currency = String(ctx.body, "currency");
  in.rate_date = OptString(ctx.body, "rate_date");
  ASSIGN_OR_RETURN(auto v, ctx.svc.telehealth.Quote(ctx.by(), in));
  return JsonResponse(ToJson(v), 201);
}

Result<Response> IssueInvoice(Context& ctx) {
  ASSIGN_OR_RETURN(auto v, ctx.svc.telehealth.Issue(ctx.by(), InvoiceOf(ctx)));
  return JsonResponse(ToJson(v));
}

Result<Response> RecordPayment(Context& ctx, bool refund) {
  auto& svc = ctx.svc.telehealth;
  ASSIGN_OR_RETURN(auto invoice, svc.GetInvoice(ctx.by(), InvoiceOf(ctx)));
  ASSIGN_OR_RETURN(Money amount, MoneyFrom(ctx.body, "amount", invoice.total.currency));
  const std::string provider = OptString(ctx.body, "provider").value_or("counter");
  const std::string method = String(ctx.body, "method"), reference = String(ctx.body, "reference");
  auto v = refund
               ? svc.Refund(ctx.by(), invoice.id, provider, method, FormatAmount(amount), reference)
               : svc.Pay(ctx.by(), invoice.id, provider, method, FormatAmount(amount), reference);
  if (!v.ok()) return Renamed(v.status(), {{"amount", "amount.amount"}});
  return JsonResponse(ToJson(*v), 201);
}

Result<Response> PatientInvoices(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto list,
      (Renamed(ctx.svc.telehealth.PatientInvoices(ctx.by(), PersonId(Int(ctx.path, "id"))),
               {{"patient_id", "id"}})));
  Json items = Json::array();
  for (const auto& v : list) items.push_back(ToJson(v));
  return JsonResponse({{"items", items}});
}

Result<Response> ListPayments(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.telehealth.Payments(ctx.by(), InvoiceOf(ctx)));
  Json items = Json::array();
  for (const auto& p : list) items.push_back(ToJson(p));
  return JsonResponse({{"items", items}});
}

// The receipt page (telehealth/receipt.h) in ?lang=, else the patient's language, else the
// reader's (Accept-Language); dates in ?tz=, else the patient's zone, else the hospital's.
Result<Response> Receipt(Context& ctx) {
  auto& svc = ctx.svc.telehealth;
  ASSIGN_OR_RETURN(auto v, svc.GetInvoice(ctx.by(), InvoiceOf(ctx)));
  ASSIGN_OR_RETURN(auto payments, svc.Payments(ctx.by(), v.id));
  ASSIGN_OR_RETURN(auto hospital, svc.GetHospital(ctx.by(), v.hospital));
  std::string language = String(ctx.query, "lang"), zone = String(ctx.query, "tz"), name;
  // The patient's name, language and zone, when the reader may see the person record (the
  // patient, staff of their unit); another hospital's staff print it without the name.
  auto person = ctx.svc.registry.ReadPerson(
      ctx.by(), v.patient, "telehealth: receipt of invoice " + std::to_string(v.id.value));
  if (person.ok()) {
    name = person->full_name;
    if (language.empty()) language = person->language;
    if (zone.empty()) zone = person->time_zone;
  }
  if (language.empty()) language = ReaderOf(ctx).language;
  if (zone.empty()) zone = hospital.zone;
  if (Status s = ValidateZone(zone); !s.ok()) return Status::InvalidArgument(s.message(), "tz");
  ASSIGN_OR_RETURN(std::string page,
                   (th::ReceiptHtml({v, payments, hospital, name, language, zone})));
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(page);
  // The page's own style sheet and nothing else: no script, no fetch, no frame.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'sha256-" +
                             Base64Encode(Sha256(th::ReceiptStyle())) +
                             "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"receipt-" + std::to_string(v.id.value) + ".html\"");
  return r;
}

}  // namespace

std::vector<Route> TelehealthRoutes() {
  using C = Capability;
  auto items = [](Schema item, size_t max = 1000) { return Items(std::move(item), max); };
  const Schema money = MoneySchema();
  const Schema payment_body = Schema::Object(
      {Optional("provider", S(40).Doc("default: counter (cash or bank transfer at the counter)")),
       Required("method", S(40).Doc("the counter: cash, bank_transfer")),
       Required("amount", MoneySchema().Doc("in the invoice's currency")),
       Optional("reference", S(100).Doc("a bank transfer's reference"))});
  const Schema status_note = Schema::Text(2000);
  return {
      // ---- partner network ----
      {.method = "POST",
       .path = "/api/v1/telehealth/hospitals",
       .operation = "addPartnerHospital",
       .summary = "A registry hospital joins the partner network with its country, zone, "
                  "languages and fee currency",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("facility_id", Schema::Id().Doc("a registry facility of kind hospital")),
            Required("country", S(2).Doc("ISO 3166-1 alpha-2: VN, CN")),
            Required("zone", S(64).Doc("IANA: Asia/Shanghai")),
            Required("currency", S(3).Doc("ISO 4217: its fees are set in it")),
            Required("languages", Schema::Array(LanguageEnum(), 15))}),
       .response = HospitalSchema(),
       .status = 201,
       .handler = AddHospital},
      {.method = "GET",
       .path = "/api/v1/telehealth/hospitals",
       .operation = "listPartnerHospitals",
       .summary = "The partner hospitals, by country and name",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kShared),
       .response = items(HospitalSchema()),
       .handler = ListHospitals},
      {.method = "GET",
       .path = "/api/v1/telehealth/hospitals/{id}",
       .operation = "getPartnerHospital",
       .summary = "One partner hospital",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kShared),
       .response = HospitalSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(
             auto h, ctx.svc.telehealth.GetHospital(ctx.by(), FacilityId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(h));
       },
       .resource = "hospital"},
      {.method = "POST",
       .path = "/api/v1/telehealth/hospitals/{id}/departments",
       .operation = "addDepartment",
       .summary = "A department of a partner hospital",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .body = Schema::Object({Required("name", S())}),
       .response = Schema::Object(
           {Required("id", I()), Required("hospital_id", I()), Required("name", S())}),
       .status = 201,
       .handler = AddDepartment,
       .resource = "hospital"},
      {.method = "POST",
       .path = "/api/v1/telehealth/hospitals/{id}/closures",
       .operation = "addClosure",
       .summary = "Close whole local days (holidays, leave) for one practitioner or the whole "
                  "hospital",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .body = Schema::Object({Optional("practitioner_id", Schema::Id().Doc("none: the hospital")),
                               Required("from_date", Schema::Date().Doc("the hospital's date")),
                               Required("to_date", Schema::Date().Doc("inclusive")),
                               Required("reason", S())}),
       .response = Schema::Object({Required("hospital_id", I()), Required("practitioner_id", NI()),
                                   Required("from_date", Schema::Date()),
                                   Required("to_date", Schema::Date()), Required("reason", S())}),
       .status = 201,
       .handler = AddClosure,
       .resource = "hospital"},
      {.method = "PUT",
       .path = "/api/v1/telehealth/hospitals/{id}/fees/{code}",
       .operation = "setFee",
       .summary = "Set the hospital's fee for a code, in the hospital's currency",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .path_params = {Required("code", S(40).Doc("consultation, lab_review..."))},
       .body =
           Schema::Object({Required("description", S()),
                           Required("amount", MoneySchema().Doc("in the hospital's currency"))}),
       .response = Schema::Object({Required("hospital_id", I()), Required("code", S(40)),
                                   Required("description", S()), Required("amount", money)}),
       .handler = SetFee,
       .resource = "hospital"},
      {.method = "POST",
       .path = "/api/v1/telehealth/practitioners",
       .operation = "addPractitioner",
       .summary = "A clinician's account joins a partner hospital: an expert who takes bookings, "
                  "or a local doctor who refers",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("user_id", Schema::Id().Doc("a clinician's account")),
            Required("hospital_id", Schema::Id()), Optional("department_id", Schema::Id()),
            Required("name", S()),
            Optional("specialties", Strings(40, 20).Doc("lower-case tokens: hematology")),
            Required("languages", Schema::Array(LanguageEnum(), 15)),
            Optional("bookable", Schema::Boolean().Doc("an expert taking bookings")),
            Optional("slot_minutes", Schema::Integer(5, 480))}),
       .response = PractitionerSchema(),
       .status = 201,
       .handler = AddPractitioner},
      {.method = "GET",
       .path = "/api/v1/telehealth/practitioners/{id}",
       .operation = "getPractitioner",
       .summary = "One practitioner with their weekly hours",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kShared),
       .response = PractitionerSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto p, ctx.svc.telehealth.GetPractitioner(
                                      ctx.by(), th::PractitionerId(Int(ctx.path, "id"))));
         return JsonResponse(ToJson(p));
       },
       .resource = "practitioner"},
      {.method = "PUT",
       .path = "/api/v1/telehealth/practitioners/{id}/hours",
       .operation = "setWeeklyHours",
       .summary = "Replace an expert's weekly hours (local minutes in the hospital's zone) and "
                  "notice period",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kOrgUnit),
       .body = Schema::Object({Required("weekly", Schema::Array(WeeklySchema(), 100)),
                               Optional("min_notice_minutes", Schema::Integer(0, 43200))}),
       .response = PractitionerSchema(),
       .handler = SetWeeklyHours,
       .resource = "practitioner"},
      {.method = "GET",
       .path = "/api/v1/telehealth/experts",
       .operation = "findExperts",
       .summary = "Experts taking bookings, by specialty, language spoken and country",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kShared),
       .query = {Optional("specialty", S(40)), Optional("language", LanguageEnum()),
                 Optional("country", S(2))},
       .response = items(Schema::Object({Required("practitioner", PractitionerSchema()),
                                         Required("hospital", HospitalSchema())}),
                         200),
       .handler = FindExperts},
      {.method = "POST",
       .path = "/api/v1/telehealth/exchange-rates",
       .operation = "addExchangeRate",
       .summary = "Record a dated exchange rate with its source (one per currency pair and "
                  "date); quotes use the latest on or before their date",
       .tag = "telehealth",
       .access = Needs(C::kManagePartnerNetwork, Scope::kTopLevel),
       .body = Schema::Object(
           {Required("from", S(3)), Required("to", S(3)),
            Required("rate", S(40).Doc("exact decimal text: 1 from = rate to (3512.75)")),
            Required("as_of", Schema::Date()), Required("source", S())}),
       .response = RateSchema(),
       .status = 201,
       .handler = AddExchangeRate},

      // ---- availability and booking ----
      {.method = "GET",
       .path = "/api/v1/telehealth/practitioners/{id}/slots",
       .operation = "listFreeSlots",
       .summary = "An expert's free slots on the reader's local dates, in the reader's zone",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kShared),
       .query = {Required("from", Schema::Date().Doc("the reader's local date")),
                 Optional("to", Schema::Date().Doc("inclusive (default: from); at most 62 days")),
                 Optional("tz",
                          S(64).Doc("the reader's IANA zone (default: the caller's unit's)"))},
       .response = Schema::Object({Required("practitioner_id", I()), Required("zone", S(64)),
                                   Required("items", Schema::Array(SlotSchema(), 100000))}),
       .handler = FreeSlots,
       .resource = "practitioner"},
      {.method = "POST",
       .path = "/api/v1/appointments",
       .operation = "bookAppointment",
       .summary = "Book a free slot; opens the virtual consultation. Two bookings of one slot: "
                  "one is 201, the other 409 naming start",
       .tag = "telehealth",
       .access = Needs(C::kBookConsultation, Scope::kSelfOrOrgUnit),
       .body = Schema::Object(
           {Optional("patient_id", Schema::Id().Doc("default: a citizen themself")),
            Required("practitioner_id", Schema::Id()),
            Required("start", T().Doc("a free slot's start")),
            Optional("patient_zone", S(64).Doc("IANA (default: the caller's unit's)")),
            Optional("reason", Schema::Text(2000)),
            Optional("referring_id",
                     Schema::Id().Doc("the local doctor who refers and describes"))}),
       .response = AppointmentSchema(),
       .status = 201,
       .handler = Book},
      {.method = "GET",
       .path = "/api/v1/appointments/{id}",
       .operation = "getAppointment",
       .summary = "One appointment (the patient, the expert's or the referring hospital)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = AppointmentSchema(),
       .handler = GetAppointment,
       .resource = "appointment"},
      {.method = "POST",
       .path = "/api/v1/appointments/{id}/cancel",
       .operation = "cancelAppointment",
       .summary = "Cancel before the start",
       .tag = "telehealth",
       .access = Needs(C::kBookConsultation, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Required("reason", S(500))}),
       .response = AppointmentSchema(),
       .handler = CancelAppointment,
       .resource = "appointment"},
      {.method = "POST",
       .path = "/api/v1/appointments/{id}/reschedule",
       .operation = "rescheduleAppointment",
       .summary = "Move to another free slot of the same expert: the new appointment, pointing "
                  "back at this one (now cancelled, rescheduled)",
       .tag = "telehealth",
       .access = Needs(C::kBookConsultation, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Required("start", T())}),
       .response = AppointmentSchema(),
       .status = 201,
       .handler = Reschedule,
       .resource = "appointment"},
      {.method = "POST",
       .path = "/api/v1/appointments/{id}/status",
       .operation = "setAppointmentStatus",
       .summary = "The expert's hospital records the visit: arrived, checked-in, fulfilled, "
                  "noshow (once the start has passed), entered-in-error",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body =
           Schema::Object({Required("status", Schema::Enum({"arrived", "checked-in", "fulfilled",
                                                            "noshow", "entered-in-error"}))}),
       .response = AppointmentSchema(),
       .handler = SetAppointmentStatus,
       .resource = "appointment"},
      {.method = "GET",
       .path = "/api/v1/telehealth/patients/{id}/appointments",
       .operation = "listPatientAppointments",
       .summary = "A patient's appointments, local_start in the zone they booked in",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = items(AppointmentSchema(), 100000),
       .handler = PatientAppointments,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/telehealth/practitioners/{id}/calendar",
       .operation = "getExpertCalendar",
       .summary = "An expert's appointments starting in [from, to), local_start in the expert's "
                  "zone (or ?tz)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kOrgUnit),
       .query = {Required("from", T()), Required("to", T().Doc("at most 93 days after from")),
                 Optional("tz", S(64))},
       .response = Schema::Object({Required("practitioner_id", I()), Required("zone", S(64)),
                                   Required("items", Schema::Array(AppointmentSchema(), 100000))}),
       .handler = ExpertCalendar,
       .resource = "practitioner"},

      // ---- consultation ----
      {.method = "GET",
       .path = "/api/v1/consultations/{id}",
       .operation = "getConsultation",
       .summary = "The consultation with the parts you may read; a part another hospital holds "
                  "needs the patient's consent (else it is named in withheld). The read is "
                  "logged",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = ConsultationSchema(),
       .handler = GetConsultation,
       .resource = "consultation"},
      {.method = "PUT",
       .path = "/api/v1/consultations/{id}/description",
       .operation = "writeConsultationDescription",
       .summary = "The referring doctor's structured description: history, findings, vital "
                  "signs (LOINC, UCUM), attachments; replaces the earlier one",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body = Schema::Object(
           {Optional("history", Schema::Text(20000)), Optional("findings", Schema::Text(20000)),
            Optional(
                "vitals",
                Schema::Array(
                    Schema::Object({Required("loinc", Schema::Enum(VitalCodes())),
                                    Required("value", S(16).Doc("decimal text, one decimal: 38.4")),
                                    Optional("unit", S(16).Doc("UCUM; must be the code's")),
                                    Required("observed_at", T())}),
                    100)),
            Optional("attachments", Strings(500, 50).Doc("file references"))}),
       .response = WrittenSchema(),
       .handler = WriteDescription,
       .resource = "consultation"},
      {.method = "PUT",
       .path = "/api/v1/consultations/{id}/notes",
       .operation = "writeConsultationNotes",
       .summary = "The expert's notes (the expert's hospital)",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body = Schema::Object({Required("notes", Schema::Text(20000))}),
       .response = WrittenSchema(),
       .handler = WriteNotes,
       .resource = "consultation"},
      {.method = "POST",
       .path = "/api/v1/consultations/{id}/diagnoses",
       .operation = "addDiagnosis",
       .summary = "A diagnosis as an ICD-10 code (D56.1) with text",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body = Schema::Object({Required("icd10", S(8)), Optional("text", S(500))}),
       .response = WrittenSchema(),
       .status = 201,
       .handler = AddDiagnosis,
       .resource = "consultation"},
      {.method = "POST",
       .path = "/api/v1/consultations/{id}/prescriptions",
       .operation = "addPrescription",
       .summary = "A prescription (the expert's hospital)",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body = Schema::Object({Required("medication", S()), Required("dose", S(100)),
                               Required("route", S(50)), Required("frequency", S(100)),
                               Optional("duration_days", Schema::Integer(0, 365)),
                               Optional("notes", Schema::Text(2000))}),
       .response = WrittenSchema(),
       .status = 201,
       .handler = AddPrescription,
       .resource = "consultation"},
      {.method = "POST",
       .path = "/api/v1/consultations/{id}/messages",
       .operation = "postConsultationMessage",
       .summary = "A message among the patient, the referring doctor and the expert",
       .tag = "telehealth",
       .access = Needs(C::kConsultMessage, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Required("body", Schema::Text(4000))}),
       .response = WrittenSchema(),
       .status = 201,
       .handler = PostMessage,
       .resource = "consultation"},
      {.method = "POST",
       .path = "/api/v1/consultations/{id}/status",
       .operation = "setConsultationStatus",
       .summary = "planned -> in-progress -> finished (the appointment becomes fulfilled)",
       .tag = "telehealth",
       .access = Needs(C::kConsult, Scope::kOrgUnit),
       .body = Schema::Object({Required("status", Schema::Enum({"in-progress", "finished"}))}),
       .response = ConsultationSchema(),
       .handler = SetConsultationStatus,
       .resource = "consultation"},

      // ---- consent ----
      {.method = "POST",
       .path = "/api/v1/telehealth/consents",
       .operation = "grantConsent",
       .summary = "The patient lets a hospital read kinds of record (for one consultation or "
                  "all) for a period",
       .tag = "telehealth",
       .access = Needs(C::kGrantConsent, Scope::kSelfOrOrgUnit),
       .body =
           Schema::Object({Optional("patient_id", Schema::Id().Doc("default: a citizen themself")),
                           Required("grantee_id", Schema::Id().Doc("the hospital that may read")),
                           Required("kinds", Schema::Array(Schema::Enum(kRecordKinds), 5)),
                           Optional("consultation_id", Schema::Id()),
                           Optional("from", T().Doc("default: now")), Required("until", T())}),
       .response = ConsentSchema(),
       .status = 201,
       .handler = GrantConsent},
      {.method = "POST",
       .path = "/api/v1/telehealth/consents/{id}/revoke",
       .operation = "revokeConsent",
       .summary = "The patient withdraws a consent from now on",
       .tag = "telehealth",
       .access = Needs(C::kGrantConsent, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({}),
       .response = Schema::Object({Required("consent_id", I()), Required("revoked_at", T())}),
       .handler = RevokeConsent,
       .resource = "consent"},
      {.method = "GET",
       .path = "/api/v1/telehealth/patients/{id}/consents",
       .operation = "listConsents",
       .summary = "A patient's consents (a hospital's staff: those given to their hospital)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = items(ConsentSchema()),
       .handler = ListConsents,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/telehealth/patients/{id}/reads",
       .operation = "listWhoRead",
       .summary = "Who read the patient's records, what, from which hospital and under which "
                  "consent, newest first",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .query = {Optional("limit", Schema::Integer(1, 1000))},
       .response = items(Schema::Object(
           {Required("at", T()), Required("reader", S()), Required("action", S(2000))})),
       .handler = WhoRead,
       .resource = "person"},

      // ---- referral ----
      {.method = "POST",
       .path = "/api/v1/referrals",
       .operation = "referPatient",
       .summary = "Refer a patient from your hospital to another partner hospital",
       .tag = "telehealth",
       .access = Needs(C::kRefer, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("patient_id", Schema::Id()), Optional("consultation_id", Schema::Id()),
            Required("to_hospital_id", Schema::Id()), Required("reason", Schema::Text(2000))}),
       .response = ReferralSchema(),
       .status = 201,
       .handler = Refer},
      {.method = "GET",
       .path = "/api/v1/referrals",
       .operation = "listReferrals",
       .summary = "A patient's referrals (?patient_id) or those a hospital sent or received "
                  "(?hospital_id)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .query = {Optional("patient_id", Schema::Id()), Optional("hospital_id", Schema::Id())},
       .response = items(ReferralSchema(), 100000),
       .handler = ListReferrals},
      {.method = "GET",
       .path = "/api/v1/referrals/{id}",
       .operation = "getReferral",
       .summary = "One referral (both hospitals and the patient)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = ReferralSchema(),
       .handler = GetReferral,
       .resource = "referral"},
      {.method = "POST",
       .path = "/api/v1/referrals/{id}/status",
       .operation = "updateReferralStatus",
       .summary = "The receiving hospital accepts, starts, completes or declines (rejected, "
                  "with a reason); the sending one may cancel",
       .tag = "telehealth",
       .access = Needs(C::kRefer, Scope::kOrgUnit),
       .body =
           Schema::Object({Required("status", Schema::Enum({"accepted", "in-progress", "completed",
                                                            "rejected", "cancelled"})),
                           Optional("reason", status_note)}),
       .response = ReferralSchema(),
       .handler = UpdateReferral,
       .resource = "referral"},

      // ---- transport ----
      {.method = "POST",
       .path = "/api/v1/transports",
       .operation = "applyForTransport",
       .summary = "Apply for cross-border medical transport (the patient, or the origin "
                  "hospital); lists the documents the destination country requires",
       .tag = "telehealth",
       .access = Needs(C::kManageTransport, Scope::kSelfOrOrgUnit),
       .body = Schema::Object(
           {Optional("patient_id", Schema::Id().Doc("default: a citizen themself")),
            Required("origin_id", Schema::Id()), Required("destination_id", Schema::Id()),
            Required("medical_need", Schema::Text(4000)),
            Required("escort", Schema::Enum(Names(th::kEscorts))),
            Required("mode", Schema::Enum(Names(th::kTransportModes)))}),
       .response = TransportSchema(),
       .status = 201,
       .handler = ApplyForTransport},
      {.method = "GET",
       .path = "/api/v1/transports/{id}",
       .operation = "getTransport",
       .summary = "One transport application (the patient, both hospitals)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = TransportSchema(),
       .handler = GetTransport,
       .resource = "transport"},
      {.method = "PUT",
       .path = "/api/v1/transports/{id}/documents/{kind}",
       .operation = "attachTransportDocument",
       .summary = "Attach (or replace) a document the destination country requires, before "
                  "the decision",
       .tag = "telehealth",
       .access = Needs(C::kManageTransport, Scope::kSelfOrOrgUnit),
       .path_params = {Required("kind", S(40).Doc("passport, medical_summary, visa..."))},
       .body = Schema::Object({Required("reference", S(500).Doc("a file reference"))}),
       .response = TransportSchema(),
       .handler = AttachDocument,
       .resource = "transport"},
      {.method = "POST",
       .path = "/api/v1/transports/{id}/status",
       .operation = "updateTransportStatus",
       .summary = "The destination reviews (in-review), approves (every document attached) or "
                  "refuses (with a reason); staff schedule and complete; the applicant cancels",
       .tag = "telehealth",
       .access = Needs(C::kManageTransport, Scope::kSelfOrOrgUnit),
       .body = Schema::Object(
           {Required("status", Schema::Enum({"in-review", "approved", "refused", "scheduled",
                                             "completed", "cancelled"})),
            Optional("reason", status_note),
            Optional("scheduled_at", T().Doc("for scheduled: a future time"))}),
       .response = TransportSchema(),
       .handler = UpdateTransport,
       .resource = "transport"},

      // ---- billing ----
      {.method = "POST",
       .path = "/api/v1/invoices",
       .operation = "quoteInvoice",
       .summary = "A quote (a draft invoice) of the hospital's fees in the patient's currency at "
                  "the dated rate, which it keeps",
       .tag = "telehealth",
       .access = Needs(C::kBill, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("patient_id", Schema::Id()), Required("hospital_id", Schema::Id()),
            Optional("appointment_id", Schema::Id()),
            Required("charges",
                     Schema::Array(
                         Schema::Object({Required("code", S(40)), Optional("quantity", I())}), 50)),
            Required("currency", S(3).Doc("the patient's, ISO 4217")),
            Optional("rate_date", Schema::Date().Doc("default: today (UTC)"))}),
       .response = InvoiceSchema(),
       .status = 201,
       .handler = Quote},
      {.method = "GET",
       .path = "/api/v1/invoices/{id}",
       .operation = "getInvoice",
       .summary = "One invoice or quote (the patient, the hospital)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = InvoiceSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto v, ctx.svc.telehealth.GetInvoice(ctx.by(), InvoiceOf(ctx)));
         return JsonResponse(ToJson(v));
       },
       .resource = "invoice"},
      {.method = "GET",
       .path = "/api/v1/telehealth/patients/{id}/invoices",
       .operation = "listPatientInvoices",
       .summary = "A patient's quotes and invoices, newest first (staff: their hospital's)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = items(InvoiceSchema()),
       .handler = PatientInvoices,
       .resource = "person"},
      {.method = "POST",
       .path = "/api/v1/invoices/{id}/issue",
       .operation = "issueInvoice",
       .summary = "Issue a quote as the invoice, at the quote's rate",
       .tag = "telehealth",
       .access = Needs(C::kBill, Scope::kOrgUnit),
       .body = Schema::Object({}),
       .response = InvoiceSchema(),
       .handler = IssueInvoice,
       .resource = "invoice"},
      {.method = "POST",
       .path = "/api/v1/invoices/{id}/payments",
       .operation = "payInvoice",
       .summary = "Record a payment through a provider; partial payments add up, more than is "
                  "due is refused",
       .tag = "telehealth",
       .access = Needs(C::kPay, Scope::kSelfOrOrgUnit),
       .body = payment_body,
       .response = InvoiceSchema(),
       .status = 201,
       .handler = [](Context& ctx) { return RecordPayment(ctx, false); },
       .resource = "invoice"},
      {.method = "POST",
       .path = "/api/v1/invoices/{id}/refunds",
       .operation = "refundInvoice",
       .summary = "Give back up to what was paid",
       .tag = "telehealth",
       .access = Needs(C::kBill, Scope::kOrgUnit),
       .body = payment_body,
       .response = InvoiceSchema(),
       .status = 201,
       .handler = [](Context& ctx) { return RecordPayment(ctx, true); },
       .resource = "invoice"},
      {.method = "GET",
       .path = "/api/v1/invoices/{id}/payments",
       .operation = "listInvoicePayments",
       .summary = "The payments and refunds on an invoice",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .response = items(PaymentSchema()),
       .handler = ListPayments,
       .resource = "invoice"},
      {.method = "GET",
       .path = "/api/v1/invoices/{id}/receipt",
       .operation = "getInvoiceReceipt",
       .summary = "The receipt of a paid invoice as a printable HTML page in the patient's "
                  "language (?lang), amounts formatted for it, dates in their zone (?tz)",
       .tag = "telehealth",
       .access = Needs(C::kReadTelehealth, Scope::kSelfOrOrgUnit),
       .query = {Optional("lang", LanguageEnum()), Optional("tz", S(64))},
       .response_type = "text/html",
       .handler = Receipt,
       .resource = "invoice"},
  };
}

}  // namespace mekong::http
