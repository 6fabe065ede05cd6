#include "mekong/outbreak/service.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "mekong/cases/cases.h"
#include "mekong/command/alerts.h"
#include "mekong/core/zone.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/screening/service.h"
#include "mekong/store/feed.h"
#include "mekong/tracing/checkins.h"

namespace mekong::outbreak {

namespace {

using Json = nlohmann::json;
using registry::Capability;

// `ms` as RFC 3339 in `zone`, with its offset ("2026-12-02T09:00:00+07:00").
Result<std::string> LocalTime(const std::string& zone, int64_t ms) {
  ASSIGN_OR_RETURN(int64_t offset, UtcOffsetMillis(zone, ms));
  std::string s = FormatRfc3339(ms + offset);
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  int64_t minutes = offset / kMillisPerMinute;
  char tz[32];  // "+hh:mm"; room for any int64 the compiler cannot rule out
  std::snprintf(tz, sizeof tz, "%c%02lld:%02lld", minutes < 0 ? '-' : '+',
                static_cast<long long>(std::abs(minutes) / 60),
                static_cast<long long>(std::abs(minutes) % 60));
  return s + tz;
}

// Slots as a reader in `zone` reads them.
Result<std::vector<SlotView>> Views(const std::string& zone, const std::vector<Slot>& slots) {
  std::vector<SlotView> out;
  for (const auto& slot : slots) {
    SlotView v{slot, "", ""};
    ASSIGN_OR_RETURN(v.local_start, LocalTime(zone, slot.starts_at));
    ASSIGN_OR_RETURN(v.local_end, LocalTime(zone, slot.ends_at));
    out.push_back(std::move(v));
  }
  return out;
}

// The instant of local `date` `hhmm` in `zone`.
Result<int64_t> LocalInstant(const std::string& zone, const std::string& date,
                             const std::string& hhmm, const char* field) {
  if (hhmm.size() != 5 || hhmm[2] != ':' || !isdigit(hhmm[0]) || !isdigit(hhmm[1]) ||
      !isdigit(hhmm[3]) || !isdigit(hhmm[4])) {
    return Status::InvalidArgument("must be HH:MM", field);
  }
  auto naive = ParseRfc3339(date + "T" + hhmm + ":00Z");
  if (!naive.ok()) return Status::InvalidArgument("must be a date and HH:MM", field);
  ASSIGN_OR_RETURN(int64_t first, UtcOffsetMillis(zone, *naive));
  ASSIGN_OR_RETURN(int64_t second, UtcOffsetMillis(zone, *naive - first));
  return *naive - second;
}

std::string DefaultLanguage(const std::string& nationality) {
  static const std::map<std::string, std::string> kOf = {
      {"VN", "vi"},  {"CN", "zh"}, {"TW", "zh"}, {"TH", "th"}, {"LA", "lo"}, {"KH", "km"},
      {"MM", "my"},  {"KR", "ko"}, {"JP", "ja"}, {"MY", "ms"}, {"ID", "id"}, {"PH", "fil"},
      {"TL", "tet"}, {"PT", "pt"}, {"BR", "pt"}, {"SG", "en"}};
  auto it = kOf.find(nationality);
  return it == kOf.end() ? "en" : it->second;
}

// Every record of a CSV text, by key ("" for an empty or absent value), with tracing's record
// reader (RFC 4180; file-level problems name the field "file").
struct KeyedRecord {
  int line = 0;
  std::map<std::string, std::string> values;
};
Result<std::vector<KeyedRecord>> ReadCsv(std::string_view csv, std::vector<std::string> keys,
                                         std::vector<std::string> required, size_t max_records,
                                         std::vector<tracing::Rejected>* rejected) {
  tracing::RecordReader reader(csv, tracing::ImportFormat::kCsv, keys, std::move(required));
  std::vector<KeyedRecord> out;
  tracing::Record rec;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&rec, rejected));
    if (!more) break;
    if (out.size() >= max_records) {
      return Status::InvalidArgument(
          "at most " + std::to_string(max_records) + " lines in one file", "file");
    }
    KeyedRecord k;
    k.line = rec.line;
    for (size_t i = 0; i < keys.size() && i < rec.values.size(); ++i) {
      k.values[keys[i]] = rec.values[i];
    }
    out.push_back(std::move(k));
  }
  return out;
}

std::string ReminderSource(int64_t booking) {
  return "test-booking:" + std::to_string(booking) + ":reminder";
}

// Tells the person, in the booking's transaction and in their language, that a test is booked
// (with its reminder) or cancelled, the time as they read it in the site's zone.
Status TellBooking(store::Executor& tx, const Booking& b, const char* kind, int64_t now) {
  ASSIGN_OR_RETURN(auto site, GetSite(tx, b.site_id));
  outbox::Notice n;
  n.person = b.person;
  n.kind = std::string("test_") + kind;
  n.params = {{"site", site.name}};
  n.instants = {{"when", b.starts_at, site.time_zone}};
  n.link = "/me/tests/bookings";
  n.source = "test-booking:" + std::to_string(b.id) + ":" + kind;
  RETURN_IF_ERROR(outbox::Enqueue(tx, n, now).status());
  if (b.status != "booked")
    return outbox::Withdraw(tx, b.person, ReminderSource(b.id), now).status();
  if (auto at = outbox::ReminderAt(b.starts_at, now)) {
    n.kind = "test_reminder";
    n.source = ReminderSource(b.id);
    n.not_before = at;
    RETURN_IF_ERROR(outbox::Enqueue(tx, n, now).status());
  }
  return Status::Ok();
}

}  // namespace

Service::Service(store::Database& db, const Clock& clock, tracing::Service& tracing,
                 healthcode::Service& codes, cases::Service& cases)
    : db_(db), clock_(clock), tracing_(tracing), codes_(codes), cases_(cases) {}

cases::Tracer Service::EngineTracer() {
  return [this](store::Executor&, PersonId p, int64_t ws, int64_t we, int64_t min_overlap,
                int depth) { return tracing_.Trace(p, ws, we, min_overlap, depth); };
}

Result<registry::OrgUnit> Service::UnitFor(const registry::Caller& by,
                                           std::optional<OrgUnitId> unit) {
  if (!unit) {
    if (by.org_path == "/" || !by.org_unit.value) {
      registry::OrgUnit all;
      all.path = "/";
      all.time_zone = "UTC";
      return all;
    }
    unit = by.org_unit;
  }
  auto u = registry::GetOrgUnit(db_, *unit);
  if (!u.ok() || !registry::Covers(by, u->path)) {
    return Status::NotFound("no org unit " + std::to_string(unit->value) + " in your unit",
                            "org_unit_id");
  }
  return u;
}

// ---- Test sites and bookings ----

Result<TestSite> Service::CreateSite(const registry::Caller& by, TestSite in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTestSites));
  if (!in.org_unit.value) in.org_unit = by.org_unit;
  RETURN_IF_ERROR(UnitFor(by, in.org_unit).status());
  const int64_t now = clock_.NowMillis();
  TestSite out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, outbreak::CreateSite(tx, in, now));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<TestSite>> Service::Sites(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookTest));
  // Citizens and travellers book anywhere; staff see their unit's sites.
  if (by.role == registry::Role::kCitizen) return ListSites(db_, "/");
  return ListSites(db_, by.org_path);
}

Result<TestSite> Service::Site(const registry::Caller& by, int64_t site) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookTest));
  auto s = outbreak::GetSite(db_, site);
  if (!s.ok() || (by.role != registry::Role::kCitizen && !registry::Covers(by, s->org_path)))
    return Status::NotFound("no test site " + std::to_string(site), "id");
  return s;
}

Result<SlotsAdded> Service::AddSlots(const registry::Caller& by, int64_t site, const NewSlots& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageTestSites));
  auto s = outbreak::GetSite(db_, site);
  if (!s.ok() || !registry::Covers(by, s->org_path))
    return Status::NotFound("no test site " + std::to_string(site) + " in your unit", "id");
  ASSIGN_OR_RETURN(int64_t first, LocalInstant(s->time_zone, in.date, in.start, "start"));
  ASSIGN_OR_RETURN(int64_t last, LocalInstant(s->time_zone, in.date, in.end, "end"));
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(std::string today, LocalDate(s->time_zone, now));
  if (in.date < today) {
    return Status::InvalidArgument("is before today (" + today + ") at the site", "date");
  }
  AddedSlots added;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(added,
                     outbreak::AddSlots(tx, site, first, last, in.minutes, in.capacity, now));
    return Status::Ok();
  }));
  SlotsAdded out{{}, added.created, added.kept, added.past};
  ASSIGN_OR_RETURN(out.slots, Views(s->time_zone, added.slots));
  return out;
}

Result<SlotList> Service::Slots(const registry::Caller& by, int64_t site, const std::string& date,
                                std::string zone) {
  SlotList out;
  ASSIGN_OR_RETURN(out.site, Site(by, site));
  if (zone.empty()) zone = by.time_zone.empty() ? out.site.time_zone : by.time_zone;
  if (auto z = ValidateZone(zone); !z.ok()) return Status::InvalidArgument(z.message(), "tz");
  out.zone = zone;
  auto from = LocalDayStart(zone, date);
  if (!from.ok()) return Status::InvalidArgument("must be YYYY-MM-DD", "date");
  ASSIGN_OR_RETURN(std::string next, LocalDate(zone, *from + 25 * kMillisPerHour));
  ASSIGN_OR_RETURN(int64_t to, LocalDayStart(zone, next));
  ASSIGN_OR_RETURN(auto slots, ListSlots(db_, site, *from, to));
  ASSIGN_OR_RETURN(out.slots, Views(zone, slots));
  return out;
}

Result<Booking> Service::Book(const registry::Caller& by, int64_t slot,
                              std::optional<PersonId> person, const std::string& kind) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookTest));
  if (by.role == registry::Role::kCitizen) {
    if (!by.person) return Status::FailedPrecondition("this account has no person record");
    if (person && *person != *by.person)
      return Status::PermissionDenied("citizens book only for themselves");
    person = by.person;
  }
  if (!person) return Status::InvalidArgument("is required", "person_id");
  if (kind != "pcr" && kind != "antigen")
    return Status::InvalidArgument("must be pcr or antigen", "kind");
  const int64_t now = clock_.NowMillis();
  // A lost race for a place is already_exists from the unique index; a new transaction sees
  // the winner's booking and takes the next place, or finds the slot full.
  for (int attempt = 0;; ++attempt) {
    Booking out;
    Status s = db_.Transact([&](store::Executor& tx) -> Status {
      RETURN_IF_ERROR(registry::ReadPerson(tx, by, *person, "book test", now, "person_id"));
      if (by.role != registry::Role::kCitizen) {
        // Staff book into their own unit's sites (as they record check-ins at its venues only);
        // a slot elsewhere reads like one that does not exist.
        ASSIGN_OR_RETURN(auto s, GetSlot(tx, slot));
        ASSIGN_OR_RETURN(auto site, GetSite(tx, s.site_id));
        if (!registry::Covers(by, site.org_path))
          return Status::NotFound("no slot " + std::to_string(slot), "slot_id");
      }
      auto b = outbreak::Book(tx, slot, *person, kind, by.user, now);
      if (!b.ok()) return b.status();
      out = *b;
      RETURN_IF_ERROR(TellBooking(tx, out, "booked", now));
      return store::Publish(tx, kBookingTopic, std::to_string(out.id), now);
    });
    if (s.ok()) return out;
    bool race = s.code() == Code::kAlreadyExists && s.field().empty();
    if (!race || attempt >= 5) return s;
  }
}

Result<Booking> Service::Cancel(const registry::Caller& by, int64_t booking) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookTest));
  auto b = GetBooking(db_, booking);
  if (!b.ok()) return Status::NotFound("no booking " + std::to_string(booking), "id");
  const int64_t now = clock_.NowMillis();
  Booking out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto p = registry::ReadPerson(tx, by, b->person, "cancel test booking", now);
    if (!p.ok()) return Status::NotFound("no booking " + std::to_string(booking), "id");
    ASSIGN_OR_RETURN(out, CancelBooking(tx, booking, now));
    RETURN_IF_ERROR(TellBooking(tx, out, "cancelled", now));
    return store::Publish(tx, kBookingTopic, std::to_string(out.id), now);
  }));
  return out;
}

Result<std::vector<Booking>> Service::Bookings(const registry::Caller& by,
                                               std::optional<PersonId> person) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kBookTest));
  if (by.role == registry::Role::kCitizen) person = by.person;
  if (!person) return Status::InvalidArgument("is required", "person_id");
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, *person, "list test bookings", now, "person_id"));
  return BookingsOf(db_, *person);
}

// ---- Samples and results ----

Result<Sample> Service::VisibleSample(const registry::Caller& by, int64_t id) {
  auto s = outbreak::GetSample(db_, id);
  if (!s.ok() || !registry::Covers(by, s->org_path))
    return Status::NotFound("no sample " + std::to_string(id) + " in your unit", "id");
  return s;
}

Result<Sample> Service::TakeSample(const registry::Caller& by, Sample in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kTakeSamples));
  auto site = outbreak::GetSite(db_, in.site_id);
  if (!site.ok() || !registry::Covers(by, site->org_path))
    return Status::NotFound("no test site " + std::to_string(in.site_id) + " in your unit",
                            "site_id");
  const int64_t now = clock_.NowMillis();
  if (!in.taken_at) in.taken_at = now;
  in.taken_by = by.user;
  Sample out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    // Staff name by id only people of their unit (docs/access.md); a traveller from elsewhere
    // is sampled on the booking they made themself at this site. Anyone else reads like an
    // unknown person.
    auto person = registry::ReadPerson(tx, by, in.person, "take sample", now, "person_id");
    if (!person.ok()) {
      if (person.status().code() != Code::kNotFound) return person.status();
      ASSIGN_OR_RETURN(auto booked, BookingsOf(tx, in.person));
      bool here = false;
      for (const auto& b : booked) here |= b.site_id == in.site_id && b.status == "booked";
      if (!here) return person.status();
      RETURN_IF_ERROR(registry::LogAccess(tx, by, in.person, "take sample", now));
    }
    ASSIGN_OR_RETURN(out, outbreak::TakeSample(tx, in, now));
    return Status::Ok();
  }));
  return out;
}

Result<Sample> Service::GetSample(const registry::Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadSamples));
  return VisibleSample(by, id);
}

Result<ResultOutcome> Service::ApplyResult(store::Executor& tx, const registry::Caller& by,
                                           const Sample& s, const std::string& result,
                                           int64_t now) {
  RETURN_IF_ERROR(SetResult(tx, s.id, result, by.user, now));
  ResultOutcome out;
  if (result != "invalid") {
    healthcode::NewTest t;
    t.person = s.person;
    t.positive = result == "positive";
    t.kind = s.kind;
    t.sampled_at = s.taken_at;
    ASSIGN_OR_RETURN(auto site, outbreak::GetSite(tx, s.site_id));
    t.facility = site.facility;
    ASSIGN_OR_RETURN(auto code, healthcode::RecordTest(tx, t, now));
    out.colour = code.colour;
  }
  if (result == "positive") {
    ASSIGN_OR_RETURN(auto policy, healthcode::ActivePolicy(tx));
    const auto want = policy.positive_test_confirms ? cases::Classification::kConfirmed
                                                    : cases::Classification::kSuspected;
    ASSIGN_OR_RETURN(auto existing, cases::CaseOfPerson(tx, s.person));
    cases::Tracer tracer = EngineTracer();
    if (!existing) {
      cases::NewCase n;
      n.person = s.person;
      n.sample_at = s.taken_at;
      n.confirmed_by = by.user;
      n.classification = want;
      ASSIGN_OR_RETURN(auto c, cases::Report(tx, n, now, tracer));
      out.c = c;
    } else {
      cases::CaseUpdate u;
      if (!existing->sample_at) u.sample_at = s.taken_at;
      // A positive result confirms a suspected or probable case when the policy says so, and
      // reopens a discarded one.
      if (existing->classification == cases::Classification::kDiscarded) u.classification = want;
      if (want == cases::Classification::kConfirmed &&
          existing->classification != cases::Classification::kConfirmed) {
        u.classification = want;
      }
      u.note = "positive " + s.kind + " result on sample " + s.label;
      ASSIGN_OR_RETURN(auto c, cases::Update(tx, existing->id, u, by.user, now, tracer));
      out.c = c;
    }
    RETURN_IF_ERROR(LinkCase(tx, s.id, out.c->id));
    // The case's own recompute ran after the test's: read the code as it stands now.
    ASSIGN_OR_RETURN(auto code, healthcode::Compute(tx, s.person, now));
    out.colour = code.colour;
  }
  ASSIGN_OR_RETURN(out.sample, outbreak::GetSample(tx, s.id));
  // The person learns the result in the same transaction, in their language; one message per
  // result of a sample (a corrected result is a new one).
  RETURN_IF_ERROR(outbox::Enqueue(tx,
                                  {s.person,
                                   "test_" + result,
                                   {{"label", s.label}},
                                   "/me/tests/bookings",
                                   "sample:" + std::to_string(s.id) + ":" + result},
                                  now)
                      .status());
  RETURN_IF_ERROR(registry::LogAccess(tx, by, s.person, "enter test result", now));
  RETURN_IF_ERROR(store::Publish(tx, kResultTopic, std::to_string(s.id), now));
  return out;
}

Result<ResultOutcome> Service::EnterResult(const registry::Caller& by, int64_t sample,
                                           const std::string& result) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kEnterResults));
  ASSIGN_OR_RETURN(auto s, VisibleSample(by, sample));
  if (!IsResult(result))
    return Status::InvalidArgument("must be positive, negative or invalid", "result");
  const int64_t now = clock_.NowMillis();
  ResultOutcome out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, ApplyResult(tx, by, s, result, now));
    return Status::Ok();
  }));
  return out;
}

Result<BatchOutcome> Service::EnterResults(const registry::Caller& by, std::string_view csv) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kEnterResults));
  BatchOutcome out;
  ASSIGN_OR_RETURN(auto records,
                   ReadCsv(csv, {"label", "result"}, {"label", "result"}, 10000, &out.rejected));
  struct Line {
    int line;
    Sample sample;
    std::string result;
  };
  std::vector<Line> valid;
  std::set<std::string> seen;
  for (const auto& r : records) {
    const std::string label = r.values.at("label"), result = r.values.at("result");
    if (!IsResult(result)) {
      out.rejected.push_back({r.line, "result", "must be positive, negative or invalid"});
      continue;
    }
    if (!seen.insert(label).second) {
      out.rejected.push_back({r.line, "label", "appears on an earlier line"});
      continue;
    }
    auto s = SampleByLabel(db_, label);
    if (!s.ok() || !registry::Covers(by, s->org_path)) {
      out.rejected.push_back({r.line, "label", "no such sample in your unit"});
      continue;
    }
    if (!s->result.empty()) {
      out.rejected.push_back({r.line, "label", "already has a result (" + s->result + ")"});
      continue;
    }
    valid.push_back({r.line, *s, result});
  }
  std::sort(out.rejected.begin(), out.rejected.end(),
            [](const tracing::Rejected& a, const tracing::Rejected& b) { return a.line < b.line; });
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    out.results.clear();
    for (const auto& l : valid) {
      ASSIGN_OR_RETURN(auto r, ApplyResult(tx, by, l.sample, l.result, now));
      out.results.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  out.recorded = static_cast<int64_t>(out.results.size());
  return out;
}

Result<Service::SamplePage> Service::SampleLines(const registry::Caller& by,
                                                 std::optional<OrgUnitId> unit, SampleFilter f) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadSamples));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  f.under_path = u.path;
  SamplePage page;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(page.items, ListSamples(ex, f));
    ASSIGN_OR_RETURN(page.total, CountSamples(ex, f));
    return Status::Ok();
  }));
  return page;
}

// ---- Vaccinations ----

Result<Dose> Service::RecordDose(const registry::Caller& by, Dose in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRecordVaccinations));
  const int64_t now = clock_.NowMillis();
  in.recorded_by = by.user;
  if (in.source.empty()) in.source = "staff";
  Dose out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(
        registry::ReadPerson(tx, by, in.person, "record vaccination", now, "person_id"));
    // healthcode checks the dose, date and country, and refuses a dose recorded twice.
    RETURN_IF_ERROR(healthcode::RecordVaccination(
                        tx, {in.person, in.product, in.dose, in.given_at, in.country}, now)
                        .status());
    ASSIGN_OR_RETURN(out, AddDose(tx, in, now));
    return store::Publish(tx, kDoseTopic, std::to_string(out.id), now);
  }));
  return out;
}

Result<std::vector<Dose>> Service::DosesOf(const registry::Caller& by, PersonId person) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRecordVaccinations));
  ASSIGN_OR_RETURN(auto p,
                   registry::ReadPerson(db_, by, person, "vaccination doses", clock_.NowMillis()));
  DoseFilter f;  // the whole tree: the person is the reader's, wherever a dose was recorded
  f.person = p.id;
  f.limit = 1000;
  return ListDoses(db_, f);
}

Result<Dose> Service::ImportCertificate(const registry::Caller& by, PersonId person,
                                        const std::string& qr, std::optional<int64_t> at) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kRecordVaccinations));
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(auto p, registry::ReadPerson(db_, by, person, "import certificate", now));
  ASSIGN_OR_RETURN(auto verdict, codes_.Verify(by, {qr}, at));
  if (verdict.format != "eu_dcc")
    return Status::InvalidArgument("must be an EU Digital COVID Certificate (HC1:)", "qr");
  if (!verdict.valid)
    return Status::FailedPrecondition("the verifier refused the certificate: " + verdict.reason,
                                      "qr");
  Json details = Json::parse(verdict.details_json, nullptr, false);
  const Json* cert =
      details.is_object() && details.contains("certificate") ? &details["certificate"] : nullptr;
  if (!cert || !cert->contains("v") || !(*cert)["v"].is_array() || (*cert)["v"].empty())
    return Status::InvalidArgument("the certificate holds no vaccination entry", "qr");
  const Json& v = (*cert)["v"][0];
  auto text = [&](const char* key) {
    return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
  };
  std::string dob =
      cert->contains("dob") && (*cert)["dob"].is_string() ? (*cert)["dob"].get<std::string>() : "";
  if (!dob.empty() && !p.birth_date.empty() && dob.substr(0, 10) != p.birth_date) {
    return Status::FailedPrecondition(
        "the certificate is for a person born " + dob + ", not " + p.birth_date, "qr");
  }
  Dose in;
  in.person = person;
  in.product = text("mp");
  in.lot = "";
  in.dose = v.contains("dn") && v["dn"].is_number_integer() ? v["dn"].get<int>() : 1;
  auto given = ParseRfc3339(text("dt").substr(0, 10) + "T00:00:00Z");
  if (!given.ok()) return Status::InvalidArgument("the vaccination entry has no date", "qr");
  in.given_at = *given;
  in.country = text("co");
  in.site = text("is");
  in.certificate_id = text("ci");
  in.source = "certificate";
  return RecordDose(by, in);
}

Result<Service::DosePage> Service::DoseLines(const registry::Caller& by,
                                             std::optional<OrgUnitId> unit, DoseFilter f) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadLineLists));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  f.under_path = u.path;
  DosePage page;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(page.items, ListDoses(ex, f));
    ASSIGN_OR_RETURN(page.total, CountDoses(ex, f));
    return Status::Ok();
  }));
  return page;
}

// ---- Population register ----

Result<PopulationImport> Service::ImportPopulation(const registry::Caller& by,
                                                   std::string_view csv) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kImportPopulation));
  PopulationImport out;
  ASSIGN_OR_RETURN(
      auto records,
      ReadCsv(csv,
              {"id_number", "family_name", "given_name", "birth_date", "sex", "address",
               "commune_code", "phone", "nationality", "document_type", "language"},
              {"id_number", "family_name", "commune_code", "nationality"}, 2000000, &out.rejected));
  out.lines = static_cast<int64_t>(records.size() + out.rejected.size());
  std::map<std::string, std::optional<registry::OrgUnit>> units;
  std::vector<registry::Person> rows;
  rows.reserve(records.size());
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const auto& r : records) {
    auto value = [&](const char* key) {
      auto it = r.values.find(key);
      return it == r.values.end() ? std::string() : it->second;
    };
    registry::Person p;
    p.document_number = value("id_number");
    p.document_type = value("document_type").empty() ? "national_id" : value("document_type");
    p.nationality = value("nationality");
    std::string family = value("family_name"), given = value("given_name");
    p.full_name = given.empty() ? family : family + " " + given;
    p.birth_date = value("birth_date");
    p.sex = value("sex");
    p.address = value("address");
    p.phone = value("phone");
    p.language = value("language").empty() ? DefaultLanguage(p.nationality) : value("language");
    const std::string code = value("commune_code");
    auto it = units.find(code);
    if (it == units.end()) {
      auto u = registry::FindOrgUnit(db_, code, "commune_code");
      std::optional<registry::OrgUnit> unit;
      if (u.ok() && registry::Covers(by, u->path)) unit = *u;
      it = units.emplace(code, unit).first;
    }
    if (!it->second) {
      out.rejected.push_back({r.line, "commune_code", "no such unit in yours"});
      continue;
    }
    p.org_unit = it->second->id;
    if (Status s = registry::CheckPerson(p); !s.ok()) {
      std::string field = s.field() == "document_number" ? "id_number" : s.field();
      if (field == "full_name") field = "family_name";
      out.rejected.push_back({r.line, field, s.message()});
      continue;
    }
    if (!seen.emplace(p.nationality, p.document_type, p.document_number).second) {
      out.rejected.push_back({r.line, "id_number", "appears on an earlier line"});
      continue;
    }
    rows.push_back(std::move(p));
  }
  std::sort(out.rejected.begin(), out.rejected.end(),
            [](const tracing::Rejected& a, const tracing::Rejected& b) { return a.line < b.line; });
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out.counts, registry::UpsertPeople(tx, rows, now));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<DuplicateCandidate>> Service::Duplicates(const registry::Caller& by,
                                                            std::optional<OrgUnitId> unit,
                                                            int limit) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kMergePeople));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  ASSIGN_OR_RETURN(auto pairs, registry::FindDuplicates(db_, u.path, limit));
  std::vector<PersonId> ids;
  for (const auto& p : pairs) ids.push_back(p.a), ids.push_back(p.b);
  ASSIGN_OR_RETURN(auto of, registry::PeopleById(db_, ids));
  std::vector<DuplicateCandidate> out;
  std::set<int64_t> logged;
  const int64_t now = clock_.NowMillis();
  for (const auto& p : pairs) {
    const auto& a = of[p.a.value];
    const auto& b = of[p.b.value];
    // Both must be the reader's: a pair across units is for the unit above both.
    if (!registry::Covers(by, a.org_path) || !registry::Covers(by, b.org_path)) continue;
    for (PersonId id : {p.a, p.b}) {
      if (logged.insert(id.value).second)  // outside a transaction: deferred, in batches
        RETURN_IF_ERROR(registry::LogAccess(db_, by, id, "duplicate candidates", now));
    }
    out.push_back({p, a, b});
  }
  return out;
}

Result<MergeOutcome> Service::Merge(const registry::Caller& by, PersonId survivor, PersonId merged,
                                    const std::string& reason) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kMergePeople));
  if (survivor == merged)
    return Status::InvalidArgument("cannot merge a person into themself", "merged_id");
  if (reason.size() > 500) return Status::InvalidArgument("longer than 500 bytes", "reason");
  const int64_t now = clock_.NowMillis();
  MergeOutcome out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out.survivor,
                     registry::ReadPerson(tx, by, survivor, "merge people", now, "survivor_id"));
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, merged, "merge people", now, "merged_id"));
    Json moved = Json::object();
    ASSIGN_OR_RETURN(moved["cases"], cases::ReassignPerson(tx, merged, survivor, now));
    ASSIGN_OR_RETURN(moved["tracing"], tracing::ReassignPerson(tx, merged, survivor, now));
    ASSIGN_OR_RETURN(moved["outbreak"], outbreak::ReassignPerson(tx, merged, survivor));
    ASSIGN_OR_RETURN(moved["command"], command::ReassignPerson(tx, merged, survivor));
    ASSIGN_OR_RETURN(moved["screening"], screening::ReassignPerson(tx, merged, survivor));
    RETURN_IF_ERROR(registry::MarkMerged(tx, merged, survivor, now));
    // Last: the codes are recomputed with every record in its new place.
    ASSIGN_OR_RETURN(moved["healthcode"], healthcode::ReassignPerson(tx, merged, survivor, now));
    MergeRecord m;
    m.survivor = survivor;
    m.merged = merged;
    m.by = by.user;
    m.at = now;
    m.reason = reason;
    m.moved = moved.dump();
    ASSIGN_OR_RETURN(out.record, RecordMerge(tx, m));
    return store::Publish(tx, kMergeTopic, std::to_string(out.record.id), now);
  }));
  return out;
}

Result<std::vector<MergeRecord>> Service::Merges(const registry::Caller& by, PersonId person) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kMergePeople));
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "read merges", now));
  return MergesOf(db_, person);
}

}  // namespace mekong::outbreak
