#include "mekong/outbreak/outbreak.h"

#include <algorithm>

#include "mekong/core/text.h"
#include "mekong/core/time.h"
#include "mekong/registry/registry.h"

namespace mekong::outbreak {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE test_site (
  id {id},
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  kinds TEXT NOT NULL,
  facility_id BIGINT REFERENCES facility (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX test_site_path ON test_site (org_path);
CREATE TABLE test_slot (
  id {id},
  site_id BIGINT NOT NULL REFERENCES test_site (id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  UNIQUE (site_id, starts_at)
);
CREATE TABLE test_booking (
  id {id},
  slot_id BIGINT NOT NULL REFERENCES test_slot (id),
  place BIGINT,
  person_id BIGINT NOT NULL REFERENCES person (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  cancelled_at BIGINT,
  UNIQUE (slot_id, place)
);
CREATE INDEX test_booking_person ON test_booking (person_id);
CREATE TABLE sample (
  id {id},
  label TEXT UNIQUE,
  person_id BIGINT NOT NULL REFERENCES person (id),
  site_id BIGINT NOT NULL REFERENCES test_site (id),
  booking_id BIGINT REFERENCES test_booking (id),
  kind TEXT NOT NULL,
  taken_at BIGINT NOT NULL,
  taken_by BIGINT,
  org_path TEXT NOT NULL,
  result TEXT NOT NULL DEFAULT '',
  result_at BIGINT,
  result_by BIGINT,
  case_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX sample_path ON sample (org_path, taken_at);
CREATE INDEX sample_person ON sample (person_id);
CREATE TABLE vaccination_dose (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  product TEXT NOT NULL,
  lot TEXT NOT NULL,
  dose BIGINT NOT NULL,
  given_at BIGINT NOT NULL,
  site TEXT NOT NULL,
  country TEXT NOT NULL,
  source TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  recorded_by BIGINT,
  org_path TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (person_id, dose, given_at)
);
CREATE INDEX vaccination_dose_path ON vaccination_dose (org_path, given_at);
CREATE TABLE person_merge (
  id {id},
  survivor_id BIGINT NOT NULL REFERENCES person (id),
  merged_id BIGINT NOT NULL REFERENCES person (id),
  user_id BIGINT,
  at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  moved TEXT NOT NULL
);
CREATE INDEX person_merge_survivor ON person_merge (survivor_id);
CREATE INDEX person_merge_merged ON person_merge (merged_id);
)sql"},
    // Line lists read the unit's range of paths (store::UnderPath) in byte order.
    {2, R"sql(
DROP INDEX sample_path;
CREATE INDEX sample_path ON sample (org_path {bytewise}, taken_at);
DROP INDEX vaccination_dose_path;
CREATE INDEX vaccination_dose_path ON vaccination_dose (org_path {bytewise}, given_at);
)sql"},
    // Site lists read the unit's range of paths in byte order too.
    {3, R"sql(
DROP INDEX test_site_path;
CREATE INDEX test_site_path ON test_site (org_path {bytewise});
)sql"},
};

bool OneOf(std::string_view v, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}
std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= s.size()) {
    size_t c = s.find(',', at);
    if (c == std::string::npos) c = s.size();
    if (c > at) out.push_back(s.substr(at, c - at));
    at = c + 1;
  }
  return out;
}

std::optional<UserId> OptUser(const store::Rows& r, size_t i, size_t c) {
  if (r.IsNull(i, c)) return std::nullopt;
  return UserId(r.Int(i, c));
}
std::optional<int64_t> OptId(const std::optional<UserId>& u) {
  if (u && u->value) return u->value;
  return std::nullopt;
}

constexpr const char* kSiteCols =
    "id, name, address, org_unit_id, org_path, time_zone, kinds, facility_id, created_at";
TestSite SiteFrom(const store::Rows& r, size_t i) {
  TestSite s;
  s.id = r.Int(i, 0);
  s.name = r.Text(i, 1);
  s.address = r.Text(i, 2);
  s.org_unit = OrgUnitId(r.Int(i, 3));
  s.org_path = r.Text(i, 4);
  s.time_zone = r.Text(i, 5);
  s.kinds = Split(r.Text(i, 6));
  if (!r.IsNull(i, 7)) s.facility = FacilityId(r.Int(i, 7));
  s.created_at = r.Int(i, 8);
  return s;
}

constexpr const char* kSlotSelect =
    "SELECT s.id, s.site_id, s.starts_at, s.ends_at, s.capacity, (SELECT COUNT(*) FROM "
    "test_booking b WHERE b.slot_id = s.id AND b.place IS NOT NULL), (SELECT COUNT(*) FROM "
    "test_booking b WHERE b.slot_id = s.id AND b.status = 'cancelled') FROM test_slot s";
Slot SlotFrom(const store::Rows& r, size_t i) {
  return {r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3),
          r.Int(i, 4), r.Int(i, 5), r.Int(i, 6)};
}

constexpr const char* kBookingSelect =
    "SELECT b.id, b.slot_id, s.site_id, b.person_id, b.kind, b.status, s.starts_at, b.created_at "
    "FROM test_booking b JOIN test_slot s ON s.id = b.slot_id";
Booking BookingFrom(const store::Rows& r, size_t i) {
  return {r.Int(i, 0),  r.Int(i, 1),  r.Int(i, 2), PersonId(r.Int(i, 3)),
          r.Text(i, 4), r.Text(i, 5), r.Int(i, 6), r.Int(i, 7)};
}

constexpr const char* kSampleCols =
    "id, label, person_id, site_id, booking_id, kind, taken_at, taken_by, org_path, result, "
    "result_at, result_by, case_id";
Sample SampleFrom(const store::Rows& r, size_t i) {
  Sample s;
  s.id = r.Int(i, 0);
  s.label = r.Text(i, 1);
  s.person = PersonId(r.Int(i, 2));
  s.site_id = r.Int(i, 3);
  s.booking_id = r.OptInt(i, 4);
  s.kind = r.Text(i, 5);
  s.taken_at = r.Int(i, 6);
  s.taken_by = OptUser(r, i, 7);
  s.org_path = r.Text(i, 8);
  s.result = r.Text(i, 9);
  s.result_at = r.OptInt(i, 10);
  s.result_by = OptUser(r, i, 11);
  if (!r.IsNull(i, 12)) s.case_id = CaseId(r.Int(i, 12));
  return s;
}

constexpr const char* kDoseCols =
    "id, person_id, product, lot, dose, given_at, site, country, source, certificate_id, "
    "recorded_by, org_path, created_at";
Dose DoseFrom(const store::Rows& r, size_t i) {
  Dose d;
  d.id = r.Int(i, 0);
  d.person = PersonId(r.Int(i, 1));
  d.product = r.Text(i, 2);
  d.lot = r.Text(i, 3);
  d.dose = static_cast<int>(r.Int(i, 4));
  d.given_at = r.Int(i, 5);
  d.site = r.Text(i, 6);
  d.country = r.Text(i, 7);
  d.source = r.Text(i, 8);
  d.certificate_id = r.Text(i, 9);
  d.recorded_by = OptUser(r, i, 10);
  d.org_path = r.Text(i, 11);
  d.created_at = r.Int(i, 12);
  return d;
}

// A sample label: "MKS1-<site>-<sample, 8 digits>-<two check digits, ISO 7064 mod 97-10>", in
// the QR alphanumeric set so that the label's QR is small and any scanner types it back.
std::string Label(int64_t site, int64_t sample) {
  char body[64];
  std::snprintf(body, sizeof body, "%lld%08lld", static_cast<long long>(site),
                static_cast<long long>(sample));
  int rem = 0;
  for (const char* c = body; *c; ++c) rem = (rem * 10 + (*c - '0')) % 97;
  rem = (rem * 100) % 97;
  int check = (98 - rem) % 97;
  char out[80];
  std::snprintf(out, sizeof out, "MKS1-%lld-%08lld-%02d", static_cast<long long>(site),
                static_cast<long long>(sample), check);
  return out;
}

}  // namespace

// screening: a merge moves its assessments (service.cc).
const store::Module kModule{
    "outbreak", {"registry", "outbox", "screening"}, {{"outbreak", kMigrations}}};

Result<TestSite> CreateSite(store::Executor& ex, const TestSite& in, int64_t now) {
  const std::string name(Trimmed(in.name)), address(Trimmed(in.address));
  RETURN_IF_ERROR(CheckText(name, "name", 200, true));
  RETURN_IF_ERROR(CheckText(address, "address", 300, false));
  if (in.kinds.empty()) return Status::InvalidArgument("give pcr, antigen or both", "kinds");
  for (const auto& k : in.kinds) {
    if (!OneOf(k, {"pcr", "antigen"}))
      return Status::InvalidArgument("must be pcr or antigen", "kinds");
  }
  auto unit = registry::GetOrgUnit(ex, in.org_unit);
  if (!unit.ok())
    return Status::NotFound("no org unit " + std::to_string(in.org_unit.value), "org_unit_id");
  std::optional<int64_t> facility;
  if (in.facility) {
    auto f = registry::GetFacility(ex, *in.facility);
    if (!f.ok())
      return Status::NotFound("no facility " + std::to_string(in.facility->value), "facility_id");
    facility = in.facility->value;
  }
  ASSIGN_OR_RETURN(auto r, ex.Query("INSERT INTO test_site (name, address, org_unit_id, org_path, "
                                    "time_zone, kinds, facility_id, created_at) VALUES (?, ?, ?, "
                                    "?, ?, ?, ?, ?) RETURNING id",
                                    {name, address, in.org_unit.value, unit->path, unit->time_zone,
                                     Join(in.kinds), facility, now}));
  return GetSite(ex, r.Int(0, 0));
}

Result<TestSite> GetSite(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query(std::string("SELECT ") + kSiteCols + " FROM test_site WHERE id = ?", {id}));
  if (r.empty()) return Status::NotFound("no test site " + std::to_string(id), "id");
  return SiteFrom(r, 0);
}

Result<std::vector<TestSite>> ListSites(store::Executor& ex, const std::string& under_path) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "org_path", under_path, &p);
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kSiteCols + " FROM test_site WHERE " +
                                        under + " ORDER BY id",
                                    p));
  std::vector<TestSite> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(SiteFrom(r, i));
  return out;
}

Result<AddedSlots> AddSlots(store::Executor& ex, int64_t site, int64_t first_start,
                            int64_t last_end, int minutes, int capacity, int64_t now) {
  RETURN_IF_ERROR(GetSite(ex, site));
  if (minutes < 5 || minutes > 24 * 60)
    return Status::InvalidArgument("must be between 5 and 1440", "minutes");
  if (capacity < 1 || capacity > 1000)
    return Status::InvalidArgument("must be between 1 and 1000", "capacity");
  if (last_end <= first_start) return Status::InvalidArgument("must be after the start", "end");
  const int64_t step = int64_t{minutes} * kMillisPerMinute;
  if ((last_end - first_start) / step > 500)
    return Status::InvalidArgument("makes more than 500 slots", "end");
  AddedSlots out;
  for (int64_t t = first_start; t + step <= last_end; t += step) {
    if (t < now) {
      ++out.past;
      continue;
    }
    ASSIGN_OR_RETURN(int64_t made,
                     ex.Exec("INSERT INTO test_slot (site_id, starts_at, ends_at, capacity) VALUES "
                             "(?, ?, ?, ?) ON CONFLICT (site_id, starts_at) DO NOTHING",
                             {site, t, t + step, capacity}));
    ++(made ? out.created : out.kept);
  }
  if (!out.created && !out.kept && out.past)
    return Status::InvalidArgument("every slot would start in the past", "end");
  ASSIGN_OR_RETURN(out.slots, ListSlots(ex, site, first_start, last_end));
  return out;
}

Result<std::vector<Slot>> ListSlots(store::Executor& ex, int64_t site, int64_t from, int64_t to) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query(std::string(kSlotSelect) + " WHERE s.site_id = ? AND s.starts_at >= ? AND "
                                                  "s.starts_at < ? ORDER BY s.starts_at",
                       {site, from, to}));
  std::vector<Slot> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(SlotFrom(r, i));
  return out;
}

Result<Slot> GetSlot(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kSlotSelect) + " WHERE s.id = ?", {id}));
  if (r.empty()) return Status::NotFound("no slot " + std::to_string(id), "slot_id");
  return SlotFrom(r, 0);
}

Result<Booking> Book(store::Executor& ex, int64_t slot_id, PersonId person, const std::string& kind,
                     std::optional<UserId> by, int64_t now) {
  ASSIGN_OR_RETURN(Slot slot, GetSlot(ex, slot_id));
  ASSIGN_OR_RETURN(TestSite site, GetSite(ex, slot.site_id));
  if (std::find(site.kinds.begin(), site.kinds.end(), kind) == site.kinds.end()) {
    return Status::InvalidArgument("this site does not offer " + kind + " tests", "kind");
  }
  if (slot.starts_at <= now) return Status::FailedPrecondition("the slot has begun", "slot_id");
  ASSIGN_OR_RETURN(auto mine, ex.Query("SELECT id FROM test_booking WHERE slot_id = ? AND "
                                       "person_id = ? AND place IS NOT NULL",
                                       {slot_id, person.value}));
  if (!mine.empty()) {
    return Status::AlreadyExists("already booked in this slot (booking " + mine.Text(0, 0) + ")",
                                 "slot_id");
  }
  ASSIGN_OR_RETURN(auto taken, ex.Query("SELECT place FROM test_booking WHERE slot_id = ? AND "
                                        "place IS NOT NULL ORDER BY place",
                                        {slot_id}));
  int64_t place = 1;
  for (size_t i = 0; i < taken.size() && taken.Int(i, 0) == place; ++i) ++place;
  if (place > slot.capacity) {
    return Status::FailedPrecondition("slot " + std::to_string(slot_id) + " is full", "slot_id");
  }
  // The unique (slot_id, place) index decides a race for the same place.
  ASSIGN_OR_RETURN(auto r, ex.Query("INSERT INTO test_booking (slot_id, place, person_id, kind, "
                                    "status, created_at, created_by) VALUES (?, ?, ?, ?, "
                                    "'booked', ?, ?) RETURNING id",
                                    {slot_id, place, person.value, kind, now, OptId(by)}));
  return GetBooking(ex, r.Int(0, 0));
}

Result<Booking> CancelBooking(store::Executor& ex, int64_t id, int64_t now) {
  ASSIGN_OR_RETURN(Booking b, GetBooking(ex, id));
  if (b.status != "booked") return Status::FailedPrecondition("the booking is " + b.status, "id");
  RETURN_IF_ERROR(ex.Exec("UPDATE test_booking SET status = 'cancelled', place = NULL, "
                          "cancelled_at = ? WHERE id = ?",
                          {now, id})
                      .status());
  return GetBooking(ex, id);
}

Result<Booking> GetBooking(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kBookingSelect) + " WHERE b.id = ?", {id}));
  if (r.empty()) return Status::NotFound("no booking " + std::to_string(id), "id");
  return BookingFrom(r, 0);
}

Result<std::vector<Booking>> BookingsOf(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string(kBookingSelect) +
                                        " WHERE b.person_id = ? ORDER BY s.starts_at DESC",
                                    {person.value}));
  std::vector<Booking> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(BookingFrom(r, i));
  return out;
}

bool IsResult(std::string_view s) { return OneOf(s, {"positive", "negative", "invalid"}); }

Result<Sample> TakeSample(store::Executor& ex, const Sample& in, int64_t now) {
  ASSIGN_OR_RETURN(TestSite site, GetSite(ex, in.site_id));
  if (std::find(site.kinds.begin(), site.kinds.end(), in.kind) == site.kinds.end()) {
    return Status::InvalidArgument("this site does not take " + in.kind + " samples", "kind");
  }
  if (in.taken_at > now) return Status::InvalidArgument("is in the future", "taken_at");
  if (in.booking_id) {
    auto b = GetBooking(ex, *in.booking_id);
    if (!b.ok()) return Status::NotFound(b.status().message(), "booking_id");
    if (b->person != in.person)
      return Status::InvalidArgument("is another person's booking", "booking_id");
    if (b->status != "booked")
      return Status::FailedPrecondition("the booking is " + b->status, "booking_id");
    RETURN_IF_ERROR(
        ex.Exec("UPDATE test_booking SET status = 'sampled' WHERE id = ?", {*in.booking_id})
            .status());
  }
  ASSIGN_OR_RETURN(auto r, ex.Query("INSERT INTO sample (person_id, site_id, booking_id, kind, "
                                    "taken_at, taken_by, org_path, created_at) VALUES (?, ?, ?, "
                                    "?, ?, ?, ?, ?) RETURNING id",
                                    {in.person.value, in.site_id, in.booking_id, in.kind,
                                     in.taken_at, OptId(in.taken_by), site.org_path, now}));
  int64_t id = r.Int(0, 0);
  RETURN_IF_ERROR(
      ex.Exec("UPDATE sample SET label = ? WHERE id = ?", {Label(in.site_id, id), id}).status());
  return GetSample(ex, id);
}

Result<Sample> GetSample(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query(std::string("SELECT ") + kSampleCols + " FROM sample WHERE id = ?", {id}));
  if (r.empty()) return Status::NotFound("no sample " + std::to_string(id), "id");
  return SampleFrom(r, 0);
}

Result<Sample> SampleByLabel(store::Executor& ex, std::string_view label) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string("SELECT ") + kSampleCols + " FROM sample WHERE label = ?",
                            {std::string(label)}));
  if (r.empty()) return Status::NotFound("no sample labelled " + std::string(label), "label");
  return SampleFrom(r, 0);
}

Status SetResult(store::Executor& ex, int64_t sample, const std::string& result,
                 std::optional<UserId> by, int64_t now) {
  if (!IsResult(result))
    return Status::InvalidArgument("must be positive, negative or invalid", "result");
  ASSIGN_OR_RETURN(int64_t n, ex.Exec("UPDATE sample SET result = ?, result_at = ?, result_by = ? "
                                      "WHERE id = ? AND result = ''",
                                      {result, now, OptId(by), sample}));
  if (n == 0) {
    ASSIGN_OR_RETURN(Sample s, GetSample(ex, sample));
    return Status::FailedPrecondition(
        "sample " + s.label + " already has a result (" + s.result + ")", "result");
  }
  return Status::Ok();
}

Status LinkCase(store::Executor& ex, int64_t sample, CaseId c) {
  return ex.Exec("UPDATE sample SET case_id = ? WHERE id = ?", {c.value, sample}).status();
}

namespace {
std::string SampleWhere(const store::Executor& ex, const SampleFilter& f, store::Params* p) {
  std::string w = " WHERE " + store::UnderPath(ex, "org_path", f.under_path, p);
  if (f.result)
    w += " AND result = ?", p->push_back(*f.result == "pending" ? std::string() : *f.result);
  if (f.site) w += " AND site_id = ?", p->push_back(*f.site);
  if (f.person) w += " AND person_id = ?", p->push_back(f.person->value);
  if (f.taken_from) w += " AND taken_at >= ?", p->push_back(*f.taken_from);
  if (f.taken_to) w += " AND taken_at < ?", p->push_back(*f.taken_to);
  return w;
}
std::string DoseWhere(const store::Executor& ex, const DoseFilter& f, store::Params* p) {
  std::string w = " WHERE " + store::UnderPath(ex, "org_path", f.under_path, p);
  if (f.product) w += " AND product = ?", p->push_back(*f.product);
  if (f.dose) w += " AND dose = ?", p->push_back(int64_t{*f.dose});
  if (f.person) w += " AND person_id = ?", p->push_back(f.person->value);
  if (f.given_from) w += " AND given_at >= ?", p->push_back(*f.given_from);
  if (f.given_to) w += " AND given_at < ?", p->push_back(*f.given_to);
  return w;
}
}  // namespace

Result<std::vector<Sample>> ListSamples(store::Executor& ex, const SampleFilter& f) {
  store::Params p;
  std::string sql = std::string("SELECT ") + kSampleCols + " FROM sample" + SampleWhere(ex, f, &p) +
                    " ORDER BY taken_at DESC, id DESC LIMIT ? OFFSET ?";
  p.push_back(f.limit);
  p.push_back(f.offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<Sample> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(SampleFrom(r, i));
  return out;
}

Result<int64_t> CountSamples(store::Executor& ex, const SampleFilter& f) {
  store::Params p;
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT COUNT(*) FROM sample" + SampleWhere(ex, f, &p), p));
  return r.Int(0, 0);
}

Result<Dose> AddDose(store::Executor& ex, const Dose& in, int64_t now) {
  RETURN_IF_ERROR(CheckText(in.product, "product", 64, true));
  RETURN_IF_ERROR(CheckText(in.lot, "lot", 64, false));
  RETURN_IF_ERROR(CheckText(in.site, "site", 200, false));
  if (in.source != "staff" && in.source != "certificate")
    return Status::InvalidArgument("must be staff or certificate", "source");
  ASSIGN_OR_RETURN(auto person, registry::GetPerson(ex, in.person));
  ASSIGN_OR_RETURN(auto r, ex.Query("INSERT INTO vaccination_dose (person_id, product, lot, dose, "
                                    "given_at, site, country, source, certificate_id, "
                                    "recorded_by, org_path, created_at) VALUES (?, ?, ?, ?, ?, ?, "
                                    "?, ?, ?, ?, ?, ?) RETURNING id",
                                    {in.person.value, in.product, in.lot, int64_t{in.dose},
                                     in.given_at, in.site, in.country, in.source, in.certificate_id,
                                     OptId(in.recorded_by), person.org_path, now}));
  Dose d = in;
  d.id = r.Int(0, 0);
  d.org_path = person.org_path;
  d.created_at = now;
  return d;
}

Result<std::vector<Dose>> ListDoses(store::Executor& ex, const DoseFilter& f) {
  store::Params p;
  std::string sql = std::string("SELECT ") + kDoseCols + " FROM vaccination_dose" +
                    DoseWhere(ex, f, &p) + " ORDER BY given_at DESC, id DESC LIMIT ? OFFSET ?";
  p.push_back(f.limit);
  p.push_back(f.offset);
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<Dose> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(DoseFrom(r, i));
  return out;
}

Result<int64_t> CountDoses(store::Executor& ex, const DoseFilter& f) {
  store::Params p;
  ASSIGN_OR_RETURN(auto r,
                   ex.Query("SELECT COUNT(*) FROM vaccination_dose" + DoseWhere(ex, f, &p), p));
  return r.Int(0, 0);
}

Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to) {
  int64_t moved = 0;
  RETURN_IF_ERROR(ex.Exec("DELETE FROM vaccination_dose WHERE person_id = ? AND EXISTS (SELECT 1 "
                          "FROM vaccination_dose s WHERE s.person_id = ? AND s.dose = "
                          "vaccination_dose.dose AND s.given_at = vaccination_dose.given_at)",
                          {from.value, to.value})
                      .status());
  for (const char* table : {"sample", "test_booking", "vaccination_dose"}) {
    ASSIGN_OR_RETURN(int64_t n, ex.Exec("UPDATE " + std::string(table) +
                                            " SET person_id = ? WHERE person_id = ?",
                                        {to.value, from.value}));
    moved += n;
  }
  return moved;
}

Result<MergeRecord> RecordMerge(store::Executor& ex, const MergeRecord& in) {
  ASSIGN_OR_RETURN(auto r, ex.Query("INSERT INTO person_merge (survivor_id, merged_id, user_id, "
                                    "at, reason, moved) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                    {in.survivor.value, in.merged.value, OptId(in.by), in.at,
                                     in.reason, in.moved}));
  MergeRecord m = in;
  m.id = r.Int(0, 0);
  return m;
}

Result<std::vector<MergeRecord>> MergesOf(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, survivor_id, merged_id, user_id, at, reason, moved "
                                    "FROM person_merge WHERE survivor_id = ? OR merged_id = ? "
                                    "ORDER BY id",
                                    {person.value, person.value}));
  std::vector<MergeRecord> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back({r.Int(i, 0), PersonId(r.Int(i, 1)), PersonId(r.Int(i, 2)), OptUser(r, i, 3),
                   r.Int(i, 4), r.Text(i, 5), r.Text(i, 6)});
  }
  return out;
}

}  // namespace mekong::outbreak
