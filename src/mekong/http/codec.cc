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

std::vector<Field> ReaderParams(std::vector<Field> more) {
  std::vector<std::string> langs;
  for (auto l : registry::Languages()) langs.emplace_back(l);
  more.push_back(
      Optional("lang", Schema::Enum(langs).Doc("the reader's language (default: Accept-Language, "
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
          {"created_at", FormatRfc3339(p.created_at)}};
}
Schema PersonSchema() {
  return Schema::Object(
      {Required("id", I()), Required("full_name", S()), Required("document_type", S()),
       Required("document_number", S()), Required("nationality", S()), Required("language", S()),
       Required("phone", NS()), Required("birth_date", NS()), Required("org_unit_id", I()),
       Required("time_zone", S()), Required("created_at", T())});
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
          {"confirmed_at", FormatRfc3339(c.confirmed_at)},
          {"confirmed_by", c.confirmed_by.value},
          {"contact_count", c.contact_count},
          {"released_at", t(c.released_at)}};
}
Schema CaseSchema() {
  return Schema::Object({Required("id", I()), Required("person_id", I()),
                         Required("org_unit_id", I()), Required("onset_at", NT()),
                         Required("sample_at", NT()), Required("isolated_at", NT()),
                         Required("infectious_window",
                                  Schema::Object({Required("start", T()), Required("end", T())})),
                         Required("confirmed_at", T()), Required("confirmed_by", I()),
                         Required("contact_count", I()), Required("released_at", NT())});
}

// ---- health codes ----

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
          {"capacity", OrNull(a.capacity)}};
}
Schema AlertSchema() {
  return Schema::Object(
      {Required("id", I()), Required("org_unit_id", I()),
       Required("kind", Schema::Enum({"fever", "crowding", "directive_overdue"})),
       Required("severity", Schema::Enum({"warning", "critical"})), Required("message", S(500)),
       Required("source", S()), Required("created_at", T()), Required("acknowledged_at", NT()),
       Required("acknowledged_by", NI()), Required("person_id", NI()), Required("venue_id", NI()),
       Required("temperature_c", Schema::Number(-100, 100).Nullable()), Required("count", NI()),
       Required("capacity", NI())});
}

}  // namespace mekong::http
