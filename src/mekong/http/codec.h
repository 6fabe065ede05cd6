// JSON views of the modules' records for the API, each beside the response schema that
// declares it (the API tests check every answer against its route's schema, so the two cannot
// drift apart unnoticed), and the small helpers handlers share to read decoded requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/cases/service.h"
#include "mekong/command/alerts.h"
#include "mekong/core/toml_reader.h"
#include "mekong/healthcode/credential.h"
#include "mekong/healthcode/eu_dcc_issuer.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/verify.h"
#include "mekong/http/app.h"
#include "mekong/http/json.h"
#include "mekong/http/schema.h"
#include "mekong/outbreak/service.h"
#include "mekong/registry/registry.h"
#include "mekong/registry/service.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/import.h"
#include "mekong/tracing/travel.h"

namespace mekong::http {

// ---- reading a decoded request (schema.h has checked types and required fields) ----

std::optional<std::string> OptString(const Json& obj, const char* key);
std::optional<int64_t> OptInt(const Json& obj, const char* key);
std::optional<double> OptNumber(const Json& obj, const char* key);
std::optional<bool> OptBool(const Json& obj, const char* key);
inline std::string String(const Json& obj, const char* key) {
  return OptString(obj, key).value_or("");
}
inline int64_t Int(const Json& obj, const char* key) { return OptInt(obj, key).value_or(0); }

// ?limit (1..500, default 50) and ?offset.
std::vector<Field> Paging(std::vector<Field> more = {});
// Contact lists (a person's, a case's) come in pages of people, by (hop, person id).
inline constexpr int kDefaultContactPage = 1000;
inline constexpr int kMaxContactPage = 10000;
int Limit(const Context& ctx);
int Offset(const Context& ctx);

// Who reads dates and sentences: ?lang= or Accept-Language (a language of the 15), else the
// subject's; ?tz= or the caller's own unit's zone.
healthcode::Reader ReaderOf(const Context& ctx);
std::vector<Field> ReaderParams(std::vector<Field> more = {});

// 400 naming `field` ("policy", "questionnaire"), with every problem of an operator's file and
// its line, so an editor can point at each.
Response FileErrorsResponse(const std::vector<FileError>& errors, const std::string& field);

// Schema fragments used by many declarations.
Schema Nullable(Schema s);
Schema Items(Schema item, size_t max = 100000);  // {"items": [...]}, the list answers' shape
// One of the 15 languages people may choose (registry::Languages).
Schema LanguageEnum();

// ---- records ----

Json ToJson(const registry::Caller& c);
Schema CallerSchema();
Json ToJson(const registry::OrgUnit& u);
Schema OrgUnitSchema();
Json ToJson(const registry::Person& p);
Schema PersonSchema();
Json ToJson(const registry::Venue& v);
Schema VenueSchema();
Json ToJson(const registry::Facility& f);
Schema FacilitySchema();
Json ToJson(const registry::Registration& r);
Schema RegistrationSchema();
Json ToJson(const registry::User& u);
Schema UserSchema();

Json ToJson(const tracing::Checkin& c, const std::string& venue_name = "");
Schema CheckinSchema();
Json ToJson(const tracing::Exposure& e);
Schema ExposureSchema();
Json ToJson(const tracing::Trip& t);
Schema TripSchema();
Json ToJson(const tracing::Seat& s);
Schema SeatSchema();
Json ToJson(const std::vector<tracing::Rejected>& rejected, const char* position = "line");
Schema RejectedSchema(const char* position = "line");

Json ToJson(const cases::Case& c);
Schema CaseSchema();

Json ToJson(const healthcode::HealthCode& code);
Schema HealthCodeSchema();
Json ToJson(const healthcode::Verdict& v);
Schema VerdictSchema();

Json ToJson(const command::Alert& a);
Schema AlertSchema();

// ---- outbreak management ----

Json ToJson(const cases::CaseEvent& e);
Schema CaseEventSchema();
// A contact; `person` when the reader may see them by name.
Json ToJson(const cases::Contact& c, const registry::Person* person = nullptr);
Schema ContactSchema();
Json ToJson(const cases::Check& c);
Schema CheckSchema();
Json ToJson(const cases::Transmission& t);
Schema TransmissionSchema();
Json ToJson(const cases::Cluster& c);
Schema ClusterSchema();
// Nodes carry the person only for cases inside the reader's unit.
Json ToJson(const cases::Graph& g, const registry::Caller& reader);
Schema GraphSchema();
Json ToJson(const cases::Curve& c);
Schema CurveSchema();
Json ToJson(const cases::Reproduction& r);
Schema ReproductionSchema();
Json ToJson(const outbreak::TestSite& s);
Schema TestSiteSchema();
Json ToJson(const outbreak::SlotView& s);
Schema TestSlotSchema();
Json ToJson(const outbreak::Booking& b);
Schema BookingSchema();
Json ToJson(const outbreak::Sample& s);
Schema SampleSchema();
Json ToJson(const outbreak::Dose& d);
Schema DoseSchema();
Json ToJson(const outbreak::MergeRecord& m);
Schema MergeSchema();

// RFC 4180 CSV with a UTF-8 byte order mark (spreadsheets then read the names right): every
// field quoted when it holds a comma, quote or line break, lines ending CRLF.
std::string Csv(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace mekong::http
