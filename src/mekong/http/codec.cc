#include "mekong/http/codec.h"

#include "mekong/core/json.h"
#include "mekong/core/time.h"
#include "mekong/core/zone.h"

namespace mekong::http {

namespace {

Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
template <typename T>
Json OrNull(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Schema S(size_t n = 200) { return Schema::String(n); }
Schema I() { return Schema::Integer(); }
Schema T() { return Schema::Time(); }
Schema NS(size_t n = 200) { return Schema::String(n).Nullable(); }
Schema NI() { return Schema::Integer().Nullable(); }
Schema NT() { return Schema::Time().Nullable(); }

}  // namespace

std::optional<std::string> OptString(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<int64_t> OptInt(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<double> OptNumber(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<bool> OptBool(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::vector<Field> Paging(std::vector<Field> more) {
  more.push_back(
      Optional("limit", Schema::Integer(1, 500).Doc("at most this many items (default 50)")));
  more.push_back(Optional("offset", Schema::Integer(0, 1'000'000'000).Doc("skip this many items")));
  return more;
}

int Limit(const Context& ctx) { return static_cast<int>(OptInt(ctx.query, "limit").value_or(50)); }
int Offset(const Context& ctx) { return static_cast<int>(OptInt(ctx.query, "offset").value_or(0)); }

Schema LanguageEnum() {
  std::vector<std::string> langs;
  for (auto l : registry::Languages()) langs.emplace_back(l);
  return Schema::Enum(langs);
}

std::vector<Field> ReaderParams(std::vector<Field> more) {
  more.push_back(
      Optional("lang", LanguageEnum().Doc("the reader's language (default: Accept-Language, "
                                          "else the person's)")));
  more.push_back(Optional(
      "tz", Schema::String(64).Doc("the reader's IANA time zone (default: the caller's unit's)")));
  return more;
}

healthcode::Reader ReaderOf(const Context& ctx) {
  healthcode::Reader r;
  if (auto lang = OptString(ctx.query, "lang")) {
    r.language = *lang;
  } else {
    // The first language of Accept-Language that Mekong speaks ("th-TH,th;q=0.9" reads th).
    std::string_view header = ctx.req.accept_language;
    for (size_t at = 0; at < header.size() && r.language.empty();) {
      size_t comma = header.find(',', at);
      std::string_view item =
          header.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      std::string tag(item.substr(0, item.find_first_of(";-_ ")));
      for (auto& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (tag == "tl") tag = "fil";
      if (registry::IsLanguage(tag)) r.language = tag;
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
  }
  if (auto tz = OptString(ctx.query, "tz")) {
    r.zone = *tz;
  } else if (ctx.caller && ctx.caller->role != registry::Role::kCitizen) {
    r.zone = ctx.caller->time_zone;  // staff read in their own unit's zone; citizens in theirs
  }
  return r;
}

Schema Nullable(Schema s) { return s.Nullable(); }
Schema Items(Schema item, size_t max) {
  return Schema::Object({Required("items", Schema::Array(std::move(item), max))});
}

// ---- registry ----

Json ToJson(const registry::Caller& c) {
  return {{"user_id", c.user.value},
          {"username", c.username},
          {"role", registry::RoleName(c.role)},
          {"org_unit_id", c.org_unit.value},
          {"person_id", c.person ? Json(c.person->value) : Json(nullptr)},
          {"time_zone", c.time_zone}};
}
Schema CallerSchema() {
  return Schema::Object({Required("user_id", I()), Required("username", S()), Required("role", S()),
                         Required("org_unit_id", I()), Required("person_id", NI()),
                         Required("time_zone", S())});
}

Json ToJson(const registry::OrgUnit& u) {
  return {{"id", u.id.value}, {"parent_id", u.parent ? Json(u.parent->value) : Json(nullptr)},
          {"level", u.level}, {"name", u.name},
          {"code", u.code},   {"time_zone", u.time_zone}};
}
Schema OrgUnitSchema() {
  return Schema::Object({Required("id", I()), Required("parent_id", NI()), Required("level", S()),
                         Required("name", S()), Required("code", S()), Required("time_zone", S())});
}

Json ToJson(const registry::Person& p) {
  return {{"id", p.id.value},
          {"full_name", p.full_name},
          {"document_type", p.document_type},
          {"document_number", p.document_number},
          {"nationality", p.nationality},
          {"language", p.language},
          {"phone", OrNull(p.phone)},
          {"birth_date", OrNull(p.birth_date)},
          {"org_unit_id", p.org_unit.value},
          {"time_zone", p.time_zone},
          {"created_at", FormatRfc3339(p.created_at)},
          {"sex", OrNull(p.sex)},
          {"address", OrNull(p.address)},
          {"merged_into", p.merged_into ? Json(p.merged_into->value) : Json(nullptr)}};
}
Schema PersonSchema() {
  return Schema::Object(
      {Required("id", I()), Required("full_name", S()), Required("document_type", S()),
       Required("document_number", S()), Required("nationality", S()), Required("language", S()),
       Required("phone", NS()), Required("birth_date", NS()), Required("org_unit_id", I()),
       Required("time_zone", S()), Required("created_at", T()), Required("sex", NS()),
       Required("address", NS(300)),
       Required("merged_into",
                NI().Doc("set when this record was merged into another: the survivor's id"))});
}

Json ToJson(const registry::Venue& v) {
  return {{"id", v.id.value},
          {"name", v.name},
          {"kind", v.kind},
          {"capacity", v.capacity},
          {"org_unit_id", v.org_unit.value},
          {"default_stay_minutes", v.default_stay_minutes},
          {"address", v.address},
          {"languages", v.languages},
          {"time_zone", v.time_zone},
          {"created_at", FormatRfc3339(v.created_at)}};
}
Schema VenueSchema() {
  return Schema::Object({Required("id", I()), Required("name", S()), Required("kind", S()),
                         Required("capacity", I()), Required("org_unit_id", I()),
                         Required("default_stay_minutes", I()), Required("address", S(300)),
                         Required("languages", Schema::Array(S(8), 15)), Required("time_zone", S()),
                         Required("created_at", T())});
}

Json ToJson(const registry::Facility& f) {
  return {{"id", f.id.value},
          {"name", f.name},
          {"kind", f.kind},
          {"org_unit_id", f.org_unit.value},
          {"created_at", FormatRfc3339(f.created_at)}};
}
Schema FacilitySchema() {
  return Schema::Object({Required("id", I()), Required("name", S()), Required("kind", S()),
                         Required("org_unit_id", I()), Required("created_at", T())});
}

Json ToJson(const registry::Registration& r) {
  return {{"registration_id", r.id},
          {"person_id", r.person.id.value},
          {"person", ToJson(r.person)},
          {"username", r.username},
          {"status", r.status},
          {"created_at", FormatRfc3339(r.created_at)},
          {"decided_at", r.decided_at ? Json(FormatRfc3339(*r.decided_at)) : Json(nullptr)},
          {"decided_by", r.decided_by ? Json(r.decided_by->value) : Json(nullptr)},
          {"reason", OrNull(r.reason)}};
}
Schema RegistrationSchema() {
  return Schema::Object({Required("registration_id", I()), Required("person_id", I()),
                         Required("person", PersonSchema()), Required("username", S()),
                         Required("status", Schema::Enum({"pending", "confirmed", "rejected"})),
                         Required("created_at", T()), Required("decided_at", NT()),
                         Required("decided_by", NI()), Required("reason", NS(500))});
}

Json ToJson(const registry::User& u) {
  return {{"id", u.id.value},
          {"username", u.username},
          {"role", registry::RoleName(u.role)},
          {"org_unit_id", u.org_unit.value},
          {"person_id", u.person ? Json(u.person->value) : Json(nullptr)},
          {"created_at", FormatRfc3339(u.created_at)}};
}
Schema UserSchema() {
  return Schema::Object({Required("id", I()), Required("username", S()), Required("role", S()),
                         Required("org_unit_id", I()), Required("person_id", NI()),
                         Required("created_at", T())});
}

// ---- tracing ----

Json ToJson(const tracing::Checkin& c, const std::string& venue_name) {
  return {{"id", c.id.value},
          {"person_id", c.person.value},
          {"venue_id", c.venue.value},
          {"venue_name", OrNull(venue_name)},
          {"time_in", FormatRfc3339(c.time_in)},
          {"time_out", FormatRfc3339(c.time_out)},
          {"closed_by", tracing::ClosedByName(c.closed_by)},
          {"source", c.source}};
}
Schema CheckinSchema() {
  return Schema::Object(
      {Required("id", I()), Required("person_id", I()), Required("venue_id", I()),
       Required("venue_name", NS()), Required("time_in", T()), Required("time_out", T()),
       Required("closed_by", Schema::Enum({"default_stay", "checkout", "next_checkin"})),
       Required("source", S())});
}

Json ToJson(const tracing::Exposure& e) {
  return {{"venue_id", e.venue.value},
          {"start", FormatRfc3339(e.start)},
          {"end", FormatRfc3339(e.end)},
          {"minutes", e.minutes()}};
}
Schema ExposureSchema() {
  return Schema::Object({Required("venue_id", I()), Required("start", T()), Required("end", T()),
                         Required("minutes", I())});
}

Json ToJson(const tracing::Trip& t) {
  return {{"id", t.id},
          {"mode", t.mode},
          {"carrier", t.carrier},
          {"service", t.service},
          {"service_date", t.service_date},
          {"origin", t.origin},
          {"destination", t.destination},
          {"departure", FormatRfc3339(t.departure)},
          {"arrival", FormatRfc3339(t.arrival)},
          {"passengers", t.passengers}};
}
Schema TripSchema() {
  return Schema::Object({Required("id", I()), Required("mode", S()), Required("carrier", S()),
                         Required("service", S()), Required("service_date", S()),
                         Required("origin", S()), Required("destination", S()),
                         Required("departure", T()), Required("arrival", T()),
                         Required("passengers", I())});
}

Json ToJson(const tracing::Seat& s) {
  return {{"row", s.row ? Json(*s.row) : Json(nullptr)},
          {"letter", OrNull(s.letter)},
          {"carriage", OrNull(s.carriage)},
          {"text", s.Text()}};
}
Schema SeatSchema() {
  return Schema::Object({Required("row", NI()), Required("letter", NS()),
                         Required("carriage", NS()), Required("text", S())});
}

Json ToJson(const std::vector<tracing::Rejected>& rejected, const char* position) {
  Json out = Json::array();
  bool index = std::string_view(position) == "index";
  for (const auto& x : rejected) {
    out.push_back({{position, index ? x.line - 1 : x.line},
                   {"field", OrNull(x.field)},
                   {"reason", x.reason}});
  }
  return out;
}
Schema RejectedSchema(const char* position) {
  return Schema::Array(Schema::Object({Required(position, I()), Required("field", NS()),
                                       Required("reason", S(500))}),
                       1000000);
}

// ---- cases ----

Json ToJson(const cases::Case& c) {
  auto t = [](const std::optional<int64_t>& ms) {
    return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
  };
  return {{"id", c.id.value},
          {"person_id", c.person.value},
          {"org_unit_id", c.org_unit.value},
          {"onset_at", t(c.onset_at)},
          {"sample_at", t(c.sample_at)},
          {"isolated_at", t(c.isolated_at)},
          {"infectious_window",
           {{"start", FormatRfc3339(c.window_start)}, {"end", FormatRfc3339(c.window_end)}}},
          {"confirmed_at", c.confirmed_at ? Json(FormatRfc3339(c.confirmed_at)) : Json(nullptr)},
          {"confirmed_by", c.confirmed_at ? Json(c.confirmed_by.value) : Json(nullptr)},
          {"contact_count", c.contact_count},
          {"released_at", t(c.released_at)},
          {"classification", cases::ClassificationName(c.classification)},
          {"isolation_place", OrNull(c.isolation_place)},
          {"outcome", OrNull(c.outcome)},
          {"outcome_at", t(c.outcome_at)},
          {"reported_at", FormatRfc3339(c.reported_at)},
          {"reported_by", c.reported_by.value ? Json(c.reported_by.value) : Json(nullptr)},
          {"traced", c.traced_at.has_value()}};
}
Schema CaseSchema() {
  return Schema::Object(
      {Required("id", I()), Required("person_id", I()), Required("org_unit_id", I()),
       Required("onset_at", NT()), Required("sample_at", NT()), Required("isolated_at", NT()),
       Required("infectious_window",
                Schema::Object({Required("start", T()), Required("end", T())})),
       Required("confirmed_at", NT()), Required("confirmed_by", NI()),
       Required("contact_count", I()), Required("released_at", NT()),
       Required("classification",
                Schema::Enum({"suspected", "probable", "confirmed", "discarded"})),
       Required("isolation_place", NS()),
       Required("outcome", Schema::Enum({"recovered", "died", "lost"}).Nullable()),
       Required("outcome_at", NT()), Required("reported_at", T()), Required("reported_by", NI()),
       Required("traced",
                Schema::Boolean().Doc("whether it traces contacts and turns codes red"))});
}

// ---- health codes ----

Response FileErrorsResponse(const std::vector<FileError>& errors, const std::string& field) {
  Json list = Json::array();
  for (const auto& e : errors) {
    list.push_back({{"line", e.line},
                    {"field", e.key.empty() ? Json(nullptr) : Json(e.key)},
                    {"reason", e.message}});
  }
  const auto& first = errors.front();
  std::string message = (first.line ? "line " + std::to_string(first.line) + ": " : std::string()) +
                        (first.key.empty() ? "" : first.key + " ") + first.message;
  return JsonResponse(
      {{"error", {{"code", "invalid_argument"}, {"message", message}, {"field", field}}},
       {"errors", list}},
      400);
}

Json ToJson(const healthcode::HealthCode& code) {
  auto t = [](const std::optional<int64_t>& ms) {
    return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
  };
  Json reasons = Json::array();
  for (const auto& r : code.reasons) {
    reasons.push_back(
        {{"colour", healthcode::ColourName(r.colour)},
         {"rule", healthcode::RuleName(r.rule)},
         {"source", r.source},
         {"detail", r.detail},
         {"since", FormatRfc3339(r.since)},
         {"until", t(r.until)},
         {"negative_test_from", t(r.negative_test_from)},
         {"event_end", r.event_end ? Json(FormatRfc3339(r.event_end)) : Json(nullptr)},
         {"period_end", r.period_end ? Json(FormatRfc3339(r.period_end)) : Json(nullptr)},
         {"param", OrNull(r.param)}});
  }
  return {{"person_id", code.person.value},
          {"colour", healthcode::ColourName(code.colour)},
          {"reasons", reasons},
          {"green_at", t(code.green_at)},
          {"language", code.language},
          {"time_zone", code.zone},
          {"policy_version", code.policy_version},
          {"computed_at", FormatRfc3339(code.computed_at)}};
}
Schema HealthCodeSchema() {
  Schema reason =
      Schema::Object({Required("colour", S()), Required("rule", S()), Required("source", S()),
                      Required("detail", S(2000)), Required("since", T()), Required("until", NT()),
                      Required("negative_test_from", NT()), Required("event_end", NT()),
                      Required("period_end", NT()), Required("param", NS())});
  return Schema::Object(
      {Required("person_id", I()), Required("colour", Schema::Enum({"green", "yellow", "red"})),
       Required("reasons", Schema::Array(reason, 1000)), Required("green_at", NT()),
       Required("language", S(16)), Required("time_zone", S(64)), Required("policy_version", I()),
       Required("computed_at", T())});
}

Json ToJson(const healthcode::Verdict& v) {
  Json details = nullptr;
  if (!v.details_json.empty()) {
    auto parsed = ParseJson(v.details_json, "details", 256);
    if (parsed.ok()) details = std::move(parsed).value();
  }
  return {{"format", v.format},
          {"valid", v.valid},
          {"reason", OrNull(v.reason)},
          {"issuer", v.issuer},
          {"issued_at", v.issued_at ? Json(FormatRfc3339(*v.issued_at)) : Json(nullptr)},
          {"expires_at", v.expires_at ? Json(FormatRfc3339(*v.expires_at)) : Json(nullptr)},
          {"details", details}};
}
Schema VerdictSchema() {
  return Schema::Object({Required("format", Schema::Enum({"mekong", "eu_dcc", "shc", "unknown"})),
                         Required("valid", Schema::Boolean()), Required("reason", NS(2000)),
                         Required("issuer", S(2000)), Required("issued_at", NT()),
                         Required("expires_at", NT()),
                         Required("details", Schema::AnyObject().Nullable())});
}

// ---- command ----

Json ToJson(const command::Alert& a) {
  auto t = [](const std::optional<int64_t>& ms) {
    return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
  };
  return {{"id", a.id},
          {"org_unit_id", a.org_unit.value},
          {"kind", a.kind},
          {"severity", a.severity},
          {"message", a.message},
          {"source", a.source},
          {"created_at", FormatRfc3339(a.created_at)},
          {"acknowledged_at", t(a.acknowledged_at)},
          {"acknowledged_by", OrNull(a.acknowledged_by)},
          {"person_id", a.person ? Json(a.person->value) : Json(nullptr)},
          {"venue_id", a.venue ? Json(a.venue->value) : Json(nullptr)},
          {"temperature_c", OrNull(a.temperature_celsius)},
          {"count", OrNull(a.count)},
          {"capacity", OrNull(a.capacity)},
          {"escalated_from", OrNull(a.escalated_from)},
          {"escalated_to", OrNull(a.escalated_to)}};
}
Schema AlertSchema() {
  return Schema::Object(
      {Required("id", I()), Required("org_unit_id", I()),
       Required("kind",
                Schema::Enum({std::begin(command::kAlertKinds), std::end(command::kAlertKinds)})),
       Required("severity", Schema::Enum({"warning", "critical"})), Required("message", S(500)),
       Required("source", S()), Required("created_at", T()), Required("acknowledged_at", NT()),
       Required("acknowledged_by", NI()), Required("person_id", NI()), Required("venue_id", NI()),
       Required("temperature_c", Schema::Number(-100, 100).Nullable()), Required("count", NI()),
       Required("capacity", NI()),
       Required("escalated_from", NI().Doc("the alert below that was not acknowledged in time")),
       Required("escalated_to", NI().Doc("the alert above this one was passed up to"))});
}

// ---- outbreak management ----

namespace {
Json Ms(const std::optional<int64_t>& ms) { return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr); }
template <typename Id>
Json IdOrNull(const std::optional<Id>& id) {
  return id ? Json(id->value) : Json(nullptr);
}
}  // namespace

Json ToJson(const cases::CaseEvent& e) {
  Json changes = Json::parse(e.changes, nullptr, false);
  if (!changes.is_object()) changes = Json::object();
  return {{"id", e.id},
          {"case_id", e.case_id.value},
          {"at", FormatRfc3339(e.at)},
          {"by", IdOrNull(e.by)},
          {"by_username", OrNull(e.by_username)},
          {"action", e.action},
          {"changes", changes},
          {"note", OrNull(e.note)}};
}
Schema CaseEventSchema() {
  return Schema::Object({Required("id", I()), Required("case_id", I()), Required("at", T()),
                         Required("by", NI()),
                         Required("by_username", Schema::String().Nullable().Doc("who, by name")),
                         Required("action", S()),
                         Required("changes", Schema::AnyObject().Doc("field -> [before, after]")),
                         Required("note", NS(500))});
}

Json ToJson(const cases::Contact& c, const registry::Person* person) {
  return {{"id", c.id},
          {"case_id", c.case_id.value},
          {"person_id", c.person.value},
          {"full_name", person ? Json(person->full_name) : Json(nullptr)},
          {"phone", person ? OrNull(person->phone) : Json(nullptr)},
          {"org_unit_id", c.org_unit.value},
          {"source", c.source},
          {"proximity", c.proximity},
          {"risk", c.risk},
          {"place", OrNull(c.place)},
          {"venue_id", IdOrNull(c.venue)},
          {"exposure_start", FormatRfc3339(c.exposure_start)},
          {"duration_minutes", c.duration_minutes},
          {"last_exposure", FormatRfc3339(c.last_exposure)},
          {"status", c.status},
          {"follow_up_until", FormatRfc3339(c.follow_up_until)},
          {"assigned_to", IdOrNull(c.assigned_to)},
          {"converted_case_id", IdOrNull(c.converted_case)},
          {"today", OrNull(c.check_status)},
          {"created_at", FormatRfc3339(c.created_at)}};
}
Schema ContactSchema() {
  return Schema::Object(
      {Required("id", I()),
       Required("case_id", I()),
       Required("person_id", I()),
       Required("full_name", NS()),
       Required("phone", NS()),
       Required("org_unit_id", I()),
       Required("source",
                Schema::Enum({"tracing", "co_travel", "household", "workplace", "care", "other"})),
       Required("proximity", Schema::Enum({"shared_venue", "same_vehicle", "face_to_face",
                                           "physical", "same_room", "care"})),
       Required("risk", Schema::Enum({"high", "medium", "low"})),
       Required("place", NS()),
       Required("venue_id", NI()),
       Required("exposure_start", T()),
       Required("duration_minutes", I()),
       Required("last_exposure", T()),
       Required("status", Schema::Enum({"under_follow_up", "completed", "lost", "converted"})),
       Required("follow_up_until", T()),
       Required("assigned_to", NI()),
       Required("converted_case_id", NI()),
       Required("today", Schema::Enum({"answered", "missed"})
                             .Nullable()
                             .Doc("today's check, in the reader's unit's day")),
       Required("created_at", T())});
}

Json ToJson(const cases::Check& c) {
  return {{"id", c.id},
          {"contact_id", c.contact_id},
          {"day", c.day},
          {"status", c.status},
          {"symptoms", OrNull(c.symptoms)},
          {"temperature_celsius", OrNull(c.temperature_celsius)},
          {"answered_at", Ms(c.answered_at)},
          {"answered_by", IdOrNull(c.answered_by)},
          {"by_citizen", c.by_citizen}};
}
Schema CheckSchema() {
  return Schema::Object(
      {Required("id", I()), Required("contact_id", I()), Required("day", Schema::Date()),
       Required("status", Schema::Enum({"answered", "missed"})), Required("symptoms", NS(500)),
       Required("temperature_celsius", Schema::Number(30, 45).Nullable()),
       Required("answered_at", NT()), Required("answered_by", NI()),
       Required("by_citizen", Schema::Boolean())});
}

Json ToJson(const cases::Transmission& t) {
  return {{"id", t.id},
          {"from_case_id", t.from.value},
          {"to_case_id", t.to.value},
          {"source", t.source},
          {"venue_id", IdOrNull(t.venue)},
          {"at", Ms(t.at)},
          {"note", OrNull(t.note)},
          {"created_at", FormatRfc3339(t.created_at)}};
}
Schema TransmissionSchema() {
  return Schema::Object({Required("id", I()), Required("from_case_id", I()),
                         Required("to_case_id", I()), Required("source", S()),
                         Required("venue_id", NI()), Required("at", NT()),
                         Required("note", NS(500)), Required("created_at", T())});
}

Json ToJson(const cases::Cluster& c) {
  Json ids = Json::array();
  for (auto id : c.cases) ids.push_back(id.value);
  return {{"id", c.id},
          {"name", c.name},
          {"kind", c.kind},
          {"org_unit_id", c.org_unit.value},
          {"venue_id", IdOrNull(c.venue)},
          {"start", Ms(c.start)},
          {"end", Ms(c.end)},
          {"note", OrNull(c.note)},
          {"case_ids", ids},
          {"created_at", FormatRfc3339(c.created_at)}};
}
Schema ClusterSchema() {
  return Schema::Object({Required("id", I()), Required("name", S()),
                         Required("kind", Schema::Enum({"cluster", "event"})),
                         Required("org_unit_id", I()), Required("venue_id", NI()),
                         Required("start", NT()), Required("end", NT()), Required("note", NS(1000)),
                         Required("case_ids", Schema::Array(I(), 100000)),
                         Required("created_at", T())});
}

Json ToJson(const cases::Graph& g, const registry::Caller& reader) {
  Json nodes = Json::array(), edges = Json::array();
  for (const auto& c : g.nodes) {
    bool in_scope = registry::Covers(reader, c.org_path);
    nodes.push_back({{"case_id", c.id.value},
                     {"person_id", in_scope ? Json(c.person.value) : Json(nullptr)},
                     {"org_unit_id", c.org_unit.value},
                     {"in_scope", in_scope},
                     {"classification", cases::ClassificationName(c.classification)},
                     {"onset_at", Ms(c.onset_at)},
                     {"sample_at", Ms(c.sample_at)},
                     {"reported_at", FormatRfc3339(c.reported_at)}});
  }
  for (const auto& e : g.edges) edges.push_back(ToJson(e));
  return {{"nodes", nodes}, {"edges", edges}, {"truncated", g.truncated}};
}
Schema GraphSchema() {
  Schema node = Schema::Object(
      {Required("case_id", I()), Required("person_id", NI()), Required("org_unit_id", I()),
       Required("in_scope", Schema::Boolean()),
       Required("classification",
                Schema::Enum({"suspected", "probable", "confirmed", "discarded"})),
       Required("onset_at", NT()), Required("sample_at", NT()), Required("reported_at", T())});
  return Schema::Object({Required("nodes", Schema::Array(node, 100000)),
                         Required("edges", Schema::Array(TransmissionSchema(), 1000000)),
                         Required("truncated", Schema::Boolean())});
}

Json ToJson(const cases::Curve& c) {
  Json days = Json::array();
  for (size_t i = 0; i < c.dates.size(); ++i)
    days.push_back({{"date", c.dates[i]}, {"count", c.counts[i]}});
  return {{"org_unit_id", c.unit.id.value ? Json(c.unit.id.value) : Json(nullptr)},
          {"time_zone", c.unit.time_zone},
          {"by", c.by},
          {"days", days}};
}
Schema CurveSchema() {
  return Schema::Object(
      {Required("org_unit_id", NI()), Required("time_zone", S()),
       Required("by", Schema::Enum({"onset", "report"})),
       Required("days", Schema::Array(Schema::Object({Required("date", Schema::Date()),
                                                      Required("count", I())}),
                                      400))});
}

Json ToJson(const cases::Reproduction& r) {
  Json est = Json::array();
  for (const auto& e : r.estimates) {
    est.push_back({{"window_start", r.curve.dates[e.t_start]},
                   {"window_end", r.curve.dates[e.t_end]},
                   {"mean", e.mean},
                   {"sd", e.sd},
                   {"lower", e.lower},
                   {"median", e.median},
                   {"upper", e.upper},
                   {"shape", e.shape},
                   {"scale", e.scale}});
  }
  return {{"curve", ToJson(r.curve)},
          {"method", "Cori et al. (2013), gamma prior mean 5 sd 5, 95% credible interval"},
          {"serial_interval", {{"mean_days", r.si_mean_days}, {"sd_days", r.si_sd_days}}},
          {"window_days", r.window_days},
          {"estimates", est}};
}
Schema ReproductionSchema() {
  Schema n = Schema::Number(0, 1e12);
  Schema est = Schema::Object({Required("window_start", Schema::Date()),
                               Required("window_end", Schema::Date()), Required("mean", n),
                               Required("sd", n), Required("lower", n), Required("median", n),
                               Required("upper", n), Required("shape", n), Required("scale", n)});
  return Schema::Object(
      {Required("curve", CurveSchema()), Required("method", S()),
       Required("serial_interval",
                Schema::Object({Required("mean_days", n), Required("sd_days", n)})),
       Required("window_days", I()), Required("estimates", Schema::Array(est, 400))});
}

Json ToJson(const outbreak::TestSite& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"address", OrNull(s.address)},
          {"org_unit_id", s.org_unit.value},
          {"time_zone", s.time_zone},
          {"kinds", s.kinds},
          {"facility_id", IdOrNull(s.facility)},
          {"created_at", FormatRfc3339(s.created_at)}};
}
Schema TestSiteSchema() {
  return Schema::Object({Required("id", I()), Required("name", S()), Required("address", NS(300)),
                         Required("org_unit_id", I()), Required("time_zone", S()),
                         Required("kinds", Schema::Array(Schema::Enum({"pcr", "antigen"}), 2)),
                         Required("facility_id", NI()), Required("created_at", T())});
}

Json ToJson(const outbreak::SlotView& s) {
  return {{"id", s.slot.id},
          {"site_id", s.slot.site_id},
          {"starts_at", FormatRfc3339(s.slot.starts_at)},
          {"ends_at", FormatRfc3339(s.slot.ends_at)},
          {"local_start", s.local_start},
          {"local_end", s.local_end},
          {"capacity", s.slot.capacity},
          {"booked", s.slot.booked},
          {"cancelled", s.slot.cancelled},
          {"free", std::max<int64_t>(0, s.slot.capacity - s.slot.booked)}};
}
Schema TestSlotSchema() {
  return Schema::Object(
      {Required("id", I()), Required("site_id", I()), Required("starts_at", T()),
       Required("ends_at", T()),
       Required("local_start", Schema::Time().Doc("in the reader's zone")),
       Required("local_end", T()), Required("capacity", I()),
       Required("booked", I().Doc("places taken by bookings not cancelled")),
       Required("cancelled", I().Doc("bookings cancelled since (places free again)")),
       Required("free", I())});
}

Json ToJson(const outbreak::Booking& b) {
  return {{"id", b.id},
          {"slot_id", b.slot_id},
          {"site_id", b.site_id},
          {"person_id", b.person.value},
          {"kind", b.kind},
          {"status", b.status},
          {"starts_at", FormatRfc3339(b.starts_at)},
          {"created_at", FormatRfc3339(b.created_at)}};
}
Schema BookingSchema() {
  return Schema::Object({Required("id", I()), Required("slot_id", I()), Required("site_id", I()),
                         Required("person_id", I()),
                         Required("kind", Schema::Enum({"pcr", "antigen"})),
                         Required("status", Schema::Enum({"booked", "cancelled", "sampled"})),
                         Required("starts_at", T()), Required("created_at", T())});
}

Json ToJson(const outbreak::Sample& s) {
  return {{"id", s.id},
          {"label", s.label},
          {"person_id", s.person.value},
          {"site_id", s.site_id},
          {"booking_id", OrNull(s.booking_id)},
          {"kind", s.kind},
          {"taken_at", FormatRfc3339(s.taken_at)},
          {"result", OrNull(s.result)},
          {"result_at", Ms(s.result_at)},
          {"case_id", IdOrNull(s.case_id)}};
}
Schema SampleSchema() {
  return Schema::Object(
      {Required("id", I()), Required("label", S(64)), Required("person_id", I()),
       Required("site_id", I()), Required("booking_id", NI()),
       Required("kind", Schema::Enum({"pcr", "antigen"})), Required("taken_at", T()),
       Required("result", Schema::Enum({"positive", "negative", "invalid"}).Nullable()),
       Required("result_at", NT()), Required("case_id", NI())});
}

Json ToJson(const outbreak::Dose& d) {
  return {{"id", d.id},
          {"person_id", d.person.value},
          {"product", d.product},
          {"lot", OrNull(d.lot)},
          {"dose", d.dose},
          {"given_at", FormatRfc3339(d.given_at)},
          {"site", OrNull(d.site)},
          {"country", d.country},
          {"source", d.source},
          {"certificate_id", OrNull(d.certificate_id)},
          {"created_at", FormatRfc3339(d.created_at)}};
}
Schema DoseSchema() {
  return Schema::Object({Required("id", I()), Required("person_id", I()),
                         Required("product", S(64)), Required("lot", NS(64)), Required("dose", I()),
                         Required("given_at", T()), Required("site", NS()),
                         Required("country", S(2)),
                         Required("source", Schema::Enum({"staff", "certificate"})),
                         Required("certificate_id", NS()), Required("created_at", T())});
}

Json ToJson(const outbreak::MergeRecord& m) {
  Json moved = Json::parse(m.moved, nullptr, false);
  if (!moved.is_object()) moved = Json::object();
  return {{"id", m.id},           {"survivor_id", m.survivor.value}, {"merged_id", m.merged.value},
          {"by", IdOrNull(m.by)}, {"at", FormatRfc3339(m.at)},       {"reason", OrNull(m.reason)},
          {"moved", moved}};
}
Schema MergeSchema() {
  return Schema::Object({Required("id", I()), Required("survivor_id", I()),
                         Required("merged_id", I()), Required("by", NI()), Required("at", T()),
                         Required("reason", NS(500)),
                         Required("moved", Schema::AnyObject().Doc("rows moved, per module"))});
}

std::string Csv(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      const std::string& f = fields[i];
      if (f.find_first_of(",\"\r\n") == std::string::npos) {
        out += f;
        continue;
      }
      out += '"';
      for (char c : f) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

}  // namespace mekong::http
