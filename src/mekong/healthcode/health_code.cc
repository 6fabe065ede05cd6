#include "mekong/healthcode/health_code.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "mekong/core/time.h"
#include "mekong/core/zone.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"
#include "mekong/tracing/checkins.h"

namespace mekong::healthcode {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE health_reason (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  colour BIGINT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  detail TEXT NOT NULL,
  since BIGINT NOT NULL,
  until BIGINT,
  UNIQUE (person_id, kind, source)
);
CREATE INDEX health_reason_source ON health_reason (source);
)sql"},
    {2, R"sql(
CREATE TABLE healthcode_key (
  kid TEXT PRIMARY KEY,
  private_pem TEXT NOT NULL,
  public_spki TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT,
  verify_until BIGINT
);
CREATE TABLE healthcode_subject (
  person_id BIGINT PRIMARY KEY REFERENCES person (id),
  code_id TEXT NOT NULL UNIQUE
);
CREATE TABLE healthcode_revocation (
  cti TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  revoked_at BIGINT NOT NULL
);
CREATE TABLE trusted_issuer (
  id {id},
  kind TEXT NOT NULL,
  kid TEXT NOT NULL,
  issuer TEXT NOT NULL,
  material TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  UNIQUE (kind, kid, issuer)
);
)sql"},
    {3, R"sql(
CREATE TABLE dcc_signer (
  kid TEXT PRIMARY KEY,
  private_pem TEXT NOT NULL,
  certificate TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)sql"},
    // Colours are now computed from facts under a versioned policy; stored reasons are gone.
    {4, R"sql(
DROP TABLE health_reason;
CREATE TABLE health_policy (
  version BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  text TEXT NOT NULL,
  activated_at BIGINT NOT NULL,
  activated_by BIGINT
);
CREATE TABLE health_fact (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  hop BIGINT,
  start_at BIGINT NOT NULL,
  end_at BIGINT,
  value DOUBLE PRECISION,
  UNIQUE (person_id, kind, source)
);
CREATE TABLE test_result (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  kind TEXT NOT NULL,
  positive BIGINT NOT NULL,
  sampled_at BIGINT NOT NULL,
  reported_at BIGINT NOT NULL,
  facility_id BIGINT REFERENCES facility (id)
);
CREATE INDEX test_result_person ON test_result (person_id);
CREATE TABLE vaccination (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  vaccine TEXT NOT NULL,
  dose BIGINT NOT NULL,
  given_at BIGINT NOT NULL,
  country TEXT NOT NULL,
  UNIQUE (person_id, dose, given_at)
);
CREATE TABLE symptom_report (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  symptoms TEXT NOT NULL,
  reported_at BIGINT NOT NULL
);
CREATE INDEX symptom_report_person ON symptom_report (person_id);
CREATE TABLE health_code_status (
  person_id BIGINT PRIMARY KEY REFERENCES person (id),
  colour BIGINT NOT NULL,
  green_at BIGINT,
  rules TEXT NOT NULL,
  policy_version BIGINT NOT NULL,
  computed_at BIGINT NOT NULL
);
CREATE INDEX health_code_status_green ON health_code_status (green_at);
)sql"},
    // SMART Health Cards revocation lists an operator imported, one per issuer and key
    // (credential.cc: ImportShcCrl); crl is the list's JSON, ctr its counter.
    {5, R"sql(
CREATE TABLE shc_crl (
  issuer TEXT NOT NULL,
  kid TEXT NOT NULL,
  ctr BIGINT NOT NULL,
  crl TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, kid)
);
)sql"},
    // Counts under an org unit read the person's path from the status row itself; the seed
    // fills it for rows written before this migration.
    {6, R"sql(
ALTER TABLE health_code_status ADD COLUMN org_path TEXT NOT NULL DEFAULT '';
CREATE INDEX health_code_status_path ON health_code_status (org_path);
)sql"},
    // Who holds each credential issued (revocations are scoped by it) and the EU DCCs issued
    // (a citizen lists their own).
    {7, R"sql(
CREATE TABLE healthcode_issued (
  cti TEXT PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES person (id),
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX healthcode_issued_expiry ON healthcode_issued (expires_at);
CREATE TABLE eu_dcc_issued (
  certificate_id TEXT PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES person (id),
  type TEXT NOT NULL,
  qr_text TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX eu_dcc_issued_person ON eu_dcc_issued (person_id);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {8, R"sql(
DROP INDEX health_code_status_path;
CREATE INDEX health_code_status_path ON health_code_status (org_path {bytewise});
)sql"},
};

constexpr size_t kChunk = 400;  // ids per IN list: well under both stores' parameter limits

// A person whose code changes colour is told, in their language (docs/outbox.md).
outbox::Notice CodeNotice(PersonId person, Colour colour, int64_t now) {
  const std::string name(ColourName(colour));
  outbox::Notice n;
  n.person = person;
  n.kind = "code_" + name;
  n.link = "/me/code";
  n.source = "code:" + std::to_string(now) + ":" + name;
  return n;
}

store::Params IdParams(std::span<const PersonId> ids) {
  store::Params p;
  for (auto id : ids) p.push_back(id.value);
  return p;
}

// Facts of several people, loaded with one query per kind.
// The venues a risk area covers: one venue, or every venue under an org unit.
Result<std::vector<VenueId>> AreaVenues(store::Executor& ex, const RiskArea& a) {
  if (a.venue) return std::vector<VenueId>{*a.venue};
  ASSIGN_OR_RETURN(auto unit, registry::GetOrgUnit(ex, *a.org_unit));
  return registry::VenueIdsUnder(ex, unit.path);
}

Result<std::unordered_map<int64_t, Facts>> LoadFactsBulk(store::Executor& ex, const Policy& policy,
                                                         std::span<const PersonId> ids) {
  std::unordered_map<int64_t, Facts> out;
  for (auto id : ids) out[id.value];
  std::string in = store::InList(ids.size());
  store::Params params = IdParams(ids);

  ASSIGN_OR_RETURN(
      auto f,
      ex.Query("SELECT person_id, kind, source, hop, start_at, end_at, value FROM health_fact "
               "WHERE person_id IN " +
                   in,
               params));
  for (size_t i = 0; i < f.size(); ++i) {
    Facts& x = out[f.Int(i, 0)];
    std::string kind = f.Text(i, 1), source = f.Text(i, 2);
    int64_t ref = std::stoll(source.substr(source.find(':') + 1));
    if (kind == "case") {
      x.confirmed_case = CaseFact{ref, f.Int(i, 4), f.OptInt(i, 5)};
    } else if (kind == "exposure") {
      x.exposures.push_back({ref, static_cast<int>(f.Int(i, 3)), f.Int(i, 4),
                             f.OptInt(i, 5).value_or(f.Int(i, 4)),
                             static_cast<int64_t>(f.IsNull(i, 6) ? 0 : f.Real(i, 6))});
    } else if (kind == "fever") {
      x.fevers.push_back({ref, f.IsNull(i, 6) ? 0 : f.Real(i, 6), f.Int(i, 4)});
    }
  }
  ASSIGN_OR_RETURN(
      auto t,
      ex.Query("SELECT person_id, id, positive, sampled_at, reported_at FROM test_result WHERE "
               "person_id IN " +
                   in,
               params));
  for (size_t i = 0; i < t.size(); ++i) {
    out[t.Int(i, 0)].tests.push_back({t.Int(i, 1), t.Int(i, 2) != 0, t.Int(i, 3), t.Int(i, 4)});
  }
  ASSIGN_OR_RETURN(
      auto v, ex.Query("SELECT person_id, dose, given_at FROM vaccination WHERE person_id IN " + in,
                       params));
  for (size_t i = 0; i < v.size(); ++i) {
    out[v.Int(i, 0)].vaccinations.push_back({static_cast<int>(v.Int(i, 1)), v.Int(i, 2)});
  }
  ASSIGN_OR_RETURN(
      auto s,
      ex.Query("SELECT person_id, id, reported_at FROM symptom_report WHERE person_id IN " + in,
               params));
  for (size_t i = 0; i < s.size(); ++i)
    out[s.Int(i, 0)].symptoms.push_back({s.Int(i, 1), s.Int(i, 2)});

  for (const auto& a : policy.risk_areas) {
    ASSIGN_OR_RETURN(auto venues, AreaVenues(ex, a));
    ASSIGN_OR_RETURN(auto stays,
                     tracing::StaysAt(ex, venues, a.from, a.to.value_or(INT64_MAX), ids));
    for (const auto& s : stays) {
      int64_t start = std::max(s.time_in, a.from),
              end = std::min(s.time_out, a.to.value_or(INT64_MAX));
      if (end - start < a.min_stay_ms || end <= start) continue;
      out[s.person.value].risk_stays.push_back({a.id, start, end});
    }
  }
  return out;
}

std::string RulesList(const HealthCode& code) {
  std::set<std::string_view> names;
  for (const auto& r : code.reasons) names.insert(RuleName(r.rule));
  std::string s = ",";
  for (auto n : names) s += std::string(n) + ",";
  return s;
}

Result<std::vector<PersonId>> PeopleWhere(store::Executor& ex, std::string_view sql,
                                          const store::Params& p) {
  ASSIGN_OR_RETURN(auto r, ex.Query(sql, p));
  std::vector<PersonId> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonId(r.Int(i, 0)));
  return out;
}

// Everyone with a stay the area could count (by place only; Evaluate applies the dates).
Result<std::vector<PersonId>> AreaVisitors(store::Executor& ex, const RiskArea& a) {
  ASSIGN_OR_RETURN(auto venues, AreaVenues(ex, a));
  ASSIGN_OR_RETURN(auto stays, tracing::StaysAt(ex, venues, a.from, a.to.value_or(INT64_MAX)));
  std::set<int64_t> ids;
  for (const auto& s : stays) ids.insert(s.person.value);
  std::vector<PersonId> out;
  for (int64_t id : ids) out.push_back(PersonId(id));
  return out;
}

bool SameArea(const RiskArea& a, const RiskArea& b) {
  return a.id == b.id && a.level == b.level && a.org_unit == b.org_unit && a.venue == b.venue &&
         a.from == b.from && a.to == b.to && a.min_stay_ms == b.min_stay_ms;
}

// The policy without its risk areas, for "did the rules change?".
std::string RulesPart(Policy p) {
  p.risk_areas.clear();
  p.version = 0;
  p.name.clear();
  return FormatPolicy(p);
}

Result<registry::Person> PersonNamed(store::Executor& ex, PersonId person) {
  auto p = registry::GetPerson(ex, person);
  if (!p.ok() && p.status().code() == Code::kNotFound)
    return Status::NotFound(p.status().message(), "person_id");
  return p;
}

// The zone a reader's dates are in: theirs, or UTC when they have none or one that is refused.
std::string ReaderZone(const Reader& reader) {
  return reader.zone.empty() || !ValidateZone(reader.zone).ok() ? "UTC" : reader.zone;
}

// Evaluate's rules. Details are written only for a reader: Recompute stores colours, not
// sentences, and each formatted date costs about a microsecond (bench/zone_bench.cc).
HealthCode EvaluateRules(const Policy& policy, const Facts& facts, int64_t now,
                         const Reader* reader);

}  // namespace

namespace {
Status SeedDefaultPolicy(store::Database& db) {
  // Status rows from before migration 6 learn their person's org path.
  ASSIGN_OR_RETURN(auto unfilled,
                   db.Query("SELECT person_id FROM health_code_status WHERE org_path = ''"));
  if (!unfilled.empty()) {
    std::vector<PersonId> ids;
    for (size_t i = 0; i < unfilled.size(); ++i) ids.push_back(PersonId(unfilled.Int(i, 0)));
    ASSIGN_OR_RETURN(auto people, registry::GetPeople(db, ids));
    for (const auto& p : people) {
      RETURN_IF_ERROR(db.Exec("UPDATE health_code_status SET org_path = ? WHERE person_id = ?",
                              {p.org_path, p.id.value}));
    }
  }
  // The built-in policy is version 1; ON CONFLICT makes concurrent first starts harmless.
  return db
      .Exec(
          "INSERT INTO health_policy (version, name, text, activated_at, activated_by) VALUES (1, "
          "?, ?, 0, NULL) "
          "ON CONFLICT (version) DO NOTHING",
          {std::string("Default (WHO/domain.md)"), std::string(DefaultPolicyText())})
      .status();
}
}  // namespace

const store::Module kModule{
    "healthcode", {"registry", "outbox"}, {{"healthcode", kMigrations}}, SeedDefaultPolicy};

HealthCode Evaluate(const Policy& policy, const Facts& facts, int64_t now, const Reader& reader) {
  return EvaluateRules(policy, facts, now, &reader);
}

namespace {

HealthCode EvaluateRules(const Policy& policy, const Facts& facts, int64_t now,
                         const Reader* reader) {
  HealthCode code;
  code.computed_at = now;
  code.policy_version = policy.version;
  Reader resolved;
  if (reader) {
    resolved = {reader->language, ReaderZone(*reader)};
    code.language = resolved.language;
    code.zone = resolved.zone;
  }

  // A negative test counts from the moment its result is known.
  auto first_negative = [&](int64_t sampled_from) -> std::optional<int64_t> {
    std::optional<int64_t> best;
    for (const auto& t : facts.tests) {
      if (t.positive || t.sampled_at < sampled_from || t.reported_at > now) continue;
      if (!best || t.reported_at < *best) best = t.reported_at;
    }
    return best;
  };
  int doses_effective = 0;
  for (const auto& v : facts.vaccinations) {
    if (v.given_at + int64_t{policy.vaccination_effective_days} * kMillisPerDay <= now)
      ++doses_effective;
  }
  bool fully_vaccinated = doses_effective >= policy.full_course_doses;

  // `since`: when the event began; `end`: when it ended (the period and tests count from there).
  auto add = [&](RuleKind kind, std::string source, int64_t since, int64_t end, std::string param) {
    const Rule& rule = policy.rule(kind);
    if (!rule.enabled || since > now) return;
    if (fully_vaccinated &&
        std::find(policy.vaccination_exempts.begin(), policy.vaccination_exempts.end(), kind) !=
            policy.vaccination_exempts.end()) {
      return;
    }
    Reason r;
    r.rule = kind;
    r.colour = rule.colour;
    r.source = std::move(source);
    r.since = since;
    int64_t period_end = end + int64_t{rule.days} * kMillisPerDay;
    int64_t test_from = end + int64_t{rule.test_after_days} * kMillisPerDay;
    switch (rule.clear) {
      case Clear::kRelease:
        if (facts.confirmed_case && facts.confirmed_case->released_at &&
            *facts.confirmed_case->released_at <= now) {
          return;
        }
        break;
      case Clear::kNegativeTest:
        if (first_negative(test_from)) return;
        r.negative_test_from = test_from;
        break;
      case Clear::kPeriod:
        if (now >= period_end) return;
        r.until = period_end;
        break;
      case Clear::kPeriodOrNegativeTest:
        if (now >= period_end || first_negative(test_from)) return;
        r.until = period_end;
        break;
      case Clear::kPeriodAndNegativeTest: {
        auto negative = first_negative(test_from);
        if (now >= period_end && negative) return;
        // Without the test, green needs an action, not only time: no end date.
        if (negative) {
          r.until = period_end;
        } else {
          r.negative_test_from = test_from;
        }
        break;
      }
    }
    r.clear = rule.clear;
    r.event_end = end;
    r.period_end = period_end;
    r.param = std::move(param);
    code.reasons.push_back(std::move(r));
  };

  if (facts.confirmed_case) {
    add(RuleKind::kConfirmedCase, "case:" + std::to_string(facts.confirmed_case->case_id),
        facts.confirmed_case->confirmed_at, facts.confirmed_case->confirmed_at, "");
  }
  for (const auto& t : facts.tests) {
    if (!t.positive || t.reported_at > now) continue;
    // A confirmed case takes over from the positive test that led to it.
    if (facts.confirmed_case && facts.confirmed_case->confirmed_at >= t.sampled_at) continue;
    add(RuleKind::kPositiveTest, "test:" + std::to_string(t.id), t.sampled_at, t.sampled_at, "");
  }
  for (const auto& e : facts.exposures) {
    if (e.hop > policy.hops) continue;
    RuleKind kind = e.hop == 1   ? RuleKind::kCloseContact
                    : e.hop == 2 ? RuleKind::kSecondHop
                                 : RuleKind::kThirdHop;
    add(kind, "case:" + std::to_string(e.case_id), e.first_start, e.last_end,
        std::to_string(e.minutes));
  }
  for (const auto& f : facts.fevers) {
    if (f.celsius < policy.fever_celsius) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", f.celsius);
    add(RuleKind::kFever, "reading:" + std::to_string(f.reading_id), f.at, f.at, buf);
  }
  for (const auto& s : facts.symptoms) {
    add(RuleKind::kSymptoms, "symptoms:" + std::to_string(s.id), s.reported_at, s.reported_at, "");
  }
  std::map<std::string, std::pair<int64_t, int64_t>> stays;  // area -> first start, last end
  for (const auto& s : facts.risk_stays) {
    auto [it, fresh] = stays.try_emplace(s.area_id, s.start, s.end);
    if (!fresh) {
      it->second.first = std::min(it->second.first, s.start);
      it->second.second = std::max(it->second.second, s.end);
    }
  }
  for (const auto& [id, span] : stays) {
    const RiskArea* a = policy.FindArea(id);
    if (!a) continue;
    add(a->level == Colour::kRed ? RuleKind::kRiskAreaHigh : RuleKind::kRiskAreaMedium,
        "area:" + id, span.first, span.second, a->name.empty() ? a->id : a->name);
  }

  std::stable_sort(code.reasons.begin(), code.reasons.end(), [](const Reason& a, const Reason& b) {
    return a.colour != b.colour ? a.colour > b.colour : a.since < b.since;
  });
  bool open_ended = false;
  int64_t last = now;
  for (auto& r : code.reasons) {
    code.colour = std::max(code.colour, r.colour);
    if (r.until) {
      last = std::max(last, *r.until);
    } else {
      open_ended = true;
    }
    if (reader) r.detail = ReasonDetail(r, resolved);
  }
  if (!code.reasons.empty() && !open_ended) code.green_at = last;
  return code;
}

}  // namespace

Result<Policy> ActivePolicy(store::Executor& ex) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query("SELECT text FROM health_policy ORDER BY version DESC LIMIT 1"));
  if (r.empty()) return Status::FailedPrecondition("no health-code policy; run mekong migrate");
  std::vector<PolicyError> errors;
  auto p = ParsePolicy(r.Text(0, 0), &errors);
  if (!p.ok()) return Status::Internal("the stored policy does not parse: " + p.status().message());
  return p;
}

Result<std::vector<PolicyVersion>> PolicyVersions(store::Executor& ex) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query("SELECT version, name, text, activated_at, activated_by FROM health_policy "
                       "ORDER BY version DESC"));
  std::vector<PolicyVersion> out;
  for (size_t i = 0; i < r.size(); ++i) {
    out.push_back({r.Int(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3), r.OptInt(i, 4)});
  }
  return out;
}

Result<PolicyVersion> GetPolicyVersion(store::Executor& ex, int64_t version) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query("SELECT version, name, text, activated_at, activated_by FROM health_policy "
                       "WHERE version = ?",
                       {version}));
  if (r.empty()) return Status::NotFound("no policy version " + std::to_string(version), "version");
  return PolicyVersion{r.Int(0, 0), r.Text(0, 1), r.Text(0, 2), r.Int(0, 3), r.OptInt(0, 4)};
}

Result<Activation> ActivatePolicy(store::Executor& ex, std::string_view text,
                                  std::optional<int64_t> by, int64_t now) {
  std::vector<PolicyError> errors;
  ASSIGN_OR_RETURN(Policy next, ParsePolicy(text, &errors));
  ASSIGN_OR_RETURN(Policy current, ActivePolicy(ex));
  if (next.version <= current.version) {
    return Status::FailedPrecondition(
        "version must be above the active policy's (" + std::to_string(current.version) + ")",
        "version");
  }
  for (const auto& a : next.risk_areas) {
    bool known = a.venue ? registry::GetVenue(ex, *a.venue).ok()
                         : registry::GetOrgUnit(ex, *a.org_unit).ok();
    if (!known) {
      return Status::NotFound(
          "risk area " + a.id + " names an unknown " + (a.venue ? "venue" : "org unit"),
          a.venue ? "venue_id" : "org_unit_id");
    }
  }
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO health_policy (version, name, text, activated_at, activated_by) VALUES (?, ?, "
      "?, ?, ?)",
      {next.version, next.name, std::string(text), now, by}));
  RETURN_IF_ERROR(store::Publish(ex, kPolicyTopic, std::to_string(next.version), now));

  // Who can the change touch? Everyone with facts if the rules changed; otherwise the visitors
  // of each area added, lifted or changed, and whoever a risk area colours now.
  std::set<int64_t> touched;
  auto take = [&](const std::vector<PersonId>& ids) {
    for (auto id : ids) touched.insert(id.value);
  };
  if (RulesPart(next) != RulesPart(current)) {
    ASSIGN_OR_RETURN(
        auto all,
        PeopleWhere(ex,
                    "SELECT person_id FROM health_fact UNION SELECT person_id FROM test_result "
                    "UNION SELECT person_id FROM symptom_report UNION SELECT person_id FROM "
                    "vaccination UNION SELECT person_id FROM health_code_status",
                    {}));
    take(all);
  }
  for (const auto* side : {&current, &next}) {
    const Policy& other = side == &current ? next : current;
    for (const auto& a : side->risk_areas) {
      const RiskArea* b = other.FindArea(a.id);
      if (b && SameArea(a, *b)) continue;
      ASSIGN_OR_RETURN(auto visitors, AreaVisitors(ex, a));
      take(visitors);
    }
  }
  std::vector<PersonId> people;
  for (int64_t id : touched) people.push_back(PersonId(id));
  RETURN_IF_ERROR(Recompute(ex, next, people, now));
  return Activation{std::move(next), static_cast<int64_t>(people.size())};
}

Result<Facts> LoadFacts(store::Executor& ex, const Policy& policy, PersonId person) {
  PersonId one[] = {person};
  ASSIGN_OR_RETURN(auto all, LoadFactsBulk(ex, policy, one));
  return std::move(all[person.value]);
}

Result<HealthCode> Compute(store::Executor& ex, PersonId person, int64_t now,
                           const Reader& reader) {
  Reader reading = reader;
  if (reading.language.empty() || reading.zone.empty()) {
    ASSIGN_OR_RETURN(auto p, PersonNamed(ex, person));
    if (reading.language.empty()) reading.language = p.language;
    if (reading.zone.empty()) reading.zone = p.time_zone;
  }
  ASSIGN_OR_RETURN(Policy policy, ActivePolicy(ex));
  ASSIGN_OR_RETURN(Facts facts, LoadFacts(ex, policy, person));
  HealthCode code = Evaluate(policy, facts, now, reading);
  code.person = person;
  return code;
}

Status Recompute(store::Executor& ex, const Policy& policy, std::span<const PersonId> people,
                 int64_t now) {
  std::vector<outbox::Notice> told;
  for (size_t at = 0; at < people.size(); at += kChunk) {
    auto ids = people.subspan(at, std::min(kChunk, people.size() - at));
    ASSIGN_OR_RETURN(auto facts, LoadFactsBulk(ex, policy, ids));
    std::string in = store::InList(ids.size());
    // The colours before, so that each person whose colour changes is told.
    ASSIGN_OR_RETURN(auto before, ex.Query("SELECT person_id, colour FROM health_code_status "
                                           "WHERE person_id IN " +
                                               in,
                                           IdParams(ids)));
    std::unordered_map<int64_t, int64_t> was;
    for (size_t i = 0; i < before.size(); ++i) was[before.Int(i, 0)] = before.Int(i, 1);
    RETURN_IF_ERROR(
        ex.Exec("DELETE FROM health_code_status WHERE person_id IN " + in, IdParams(ids)).status());
    // Only codes that are not green are kept: green is the default.
    std::vector<std::pair<PersonId, HealthCode>> coloured;
    for (auto id : ids) {
      auto it = facts.find(id.value);
      if (it == facts.end()) continue;
      HealthCode code = EvaluateRules(policy, it->second, now, nullptr);
      if (code.colour != Colour::kGreen) {
        coloured.emplace_back(id, std::move(code));
      } else if (was.count(id.value)) {
        told.push_back(CodeNotice(id, Colour::kGreen, now));  // green again
      }
    }
    if (coloured.empty()) continue;
    // Each row keeps the person's org path, so counts under a unit need no other module's
    // table; ids that are no person are skipped.
    std::vector<PersonId> coloured_ids;
    for (const auto& [id, _] : coloured) coloured_ids.push_back(id);
    ASSIGN_OR_RETURN(auto people, registry::GetPeople(ex, coloured_ids));
    std::unordered_map<int64_t, std::string> path_of;
    for (const auto& person : people) path_of[person.id.value] = person.org_path;
    std::string sql;
    store::Params p;
    for (const auto& [id, code] : coloured) {
      auto path = path_of.find(id.value);
      if (path == path_of.end()) continue;
      auto old = was.find(id.value);
      if (old == was.end() || old->second != static_cast<int64_t>(code.colour))
        told.push_back(CodeNotice(id, code.colour, now));
      sql += sql.empty() ? "" : ",";
      sql += "(?, ?, ?, ?, ?, ?, ?)";
      p.insert(p.end(), {id.value, static_cast<int64_t>(code.colour), code.green_at,
                         RulesList(code), policy.version, now, path->second});
    }
    if (sql.empty()) continue;
    RETURN_IF_ERROR(
        ex.Exec(
              "INSERT INTO health_code_status (person_id, colour, green_at, rules, policy_version, "
              "computed_at, org_path) VALUES " +
                  sql,
              p)
            .status());
  }
  return outbox::EnqueueAll(ex, told, now).status();
}

Result<int64_t> RecomputeDue(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(
      auto due,
      PeopleWhere(ex, "SELECT person_id FROM health_code_status WHERE green_at <= ?", {now}));
  if (due.empty()) return 0;
  ASSIGN_OR_RETURN(Policy policy, ActivePolicy(ex));
  RETURN_IF_ERROR(Recompute(ex, policy, due, now));
  return static_cast<int64_t>(due.size());
}

Result<StatusCounts> CountCodes(store::Executor& ex, const std::string& under_path) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "org_path", under_path, &p);
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT colour, COUNT(*) FROM health_code_status WHERE " +
                                        under + " GROUP BY colour",
                                    p));
  StatusCounts c;
  for (size_t i = 0; i < r.size(); ++i) {
    (r.Int(i, 0) == 2 ? c.red : c.yellow) += r.Int(i, 1);
  }
  return c;
}

namespace {

Result<HealthCode> RecomputeOne(store::Executor& ex, PersonId person, int64_t now,
                                const Reader& reader) {
  ASSIGN_OR_RETURN(Policy policy, ActivePolicy(ex));
  PersonId one[] = {person};
  RETURN_IF_ERROR(Recompute(ex, policy, one, now));
  return Compute(ex, person, now, reader);
}

Status CheckPerson(store::Executor& ex, PersonId person) {
  return PersonNamed(ex, person).status();
}

}  // namespace

Status PutFact(store::Executor& ex, PersonId person, const FactRow& f) {
  std::pair<PersonId, FactRow> one[] = {{person, f}};
  return PutFacts(ex, one);
}

Status PutFacts(store::Executor& ex, std::span<const std::pair<PersonId, FactRow>> facts) {
  store::Params values;
  for (const auto& [person, f] : facts) {
    values.insert(values.end(), {person.value, f.kind, f.source, f.hop, f.start, f.end, f.value});
  }
  return store::InsertRows(
      ex, "INSERT INTO health_fact (person_id, kind, source, hop, start_at, end_at, value)", 7,
      values, 200,
      " ON CONFLICT (person_id, kind, source) DO UPDATE SET hop = excluded.hop, start_at = "
      "excluded.start_at, end_at = excluded.end_at, value = excluded.value");
}

Result<HealthCode> RecordTest(store::Executor& ex, const NewTest& in, int64_t now,
                              const Reader& reader) {
  RETURN_IF_ERROR(CheckPerson(ex, in.person));
  if (in.kind != "pcr" && in.kind != "antigen")
    return Status::InvalidArgument("must be pcr or antigen", "kind");
  if (in.sampled_at > now) return Status::InvalidArgument("is in the future", "sampled_at");
  if (in.facility) {
    RETURN_IF_ERROR(registry::GetFacility(ex, *in.facility));
  }
  std::optional<int64_t> facility;
  if (in.facility) facility = in.facility->value;
  RETURN_IF_ERROR(
      ex.Exec("INSERT INTO test_result (person_id, kind, positive, sampled_at, reported_at, "
              "facility_id) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              {in.person.value, in.kind, int64_t{in.positive}, in.sampled_at, now, facility})
          .status());
  return RecomputeOne(ex, in.person, now, reader);
}

Result<HealthCode> RecordVaccination(store::Executor& ex, const NewVaccination& in, int64_t now,
                                     const Reader& reader) {
  RETURN_IF_ERROR(CheckPerson(ex, in.person));
  if (in.vaccine.empty() || in.vaccine.size() > 64) {
    return Status::InvalidArgument("must be 1 to 64 characters", "vaccine");
  }
  if (in.dose < 1 || in.dose > 10)
    return Status::InvalidArgument("must be between 1 and 10", "dose");
  if (in.given_at > now) return Status::InvalidArgument("is in the future", "given_at");
  if (in.country.size() != 2 || !std::isupper(static_cast<unsigned char>(in.country[0])) ||
      !std::isupper(static_cast<unsigned char>(in.country[1]))) {
    return Status::InvalidArgument("must be an ISO 3166 alpha-2 code such as VN", "country");
  }
  ASSIGN_OR_RETURN(
      auto dup,
      ex.Query("SELECT 1 FROM vaccination WHERE person_id = ? AND dose = ? AND given_at = ?",
               {in.person.value, int64_t{in.dose}, in.given_at}));
  if (!dup.empty()) return Status::AlreadyExists("this dose is already recorded", "dose");
  RETURN_IF_ERROR(ex.Exec("INSERT INTO vaccination (person_id, vaccine, dose, given_at, country) "
                          "VALUES (?, ?, ?, ?, ?)",
                          {in.person.value, in.vaccine, int64_t{in.dose}, in.given_at, in.country})
                      .status());
  return RecomputeOne(ex, in.person, now, reader);
}

Result<HealthCode> RecordSymptoms(store::Executor& ex, PersonId person, std::string_view symptoms,
                                  int64_t reported_at, int64_t now, const Reader& reader) {
  RETURN_IF_ERROR(CheckPerson(ex, person));
  if (symptoms.empty() || symptoms.size() > 500) {
    return Status::InvalidArgument("must be 1 to 500 characters", "symptoms");
  }
  if (reported_at > now) return Status::InvalidArgument("is in the future", "reported_at");
  RETURN_IF_ERROR(
      ex.Exec("INSERT INTO symptom_report (person_id, symptoms, reported_at) VALUES (?, ?, ?)",
              {person.value, std::string(symptoms), reported_at})
          .status());
  return RecomputeOne(ex, person, now, reader);
}

Result<std::vector<TestSample>> TestsSampledSince(store::Executor& ex, int64_t since) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT person_id, positive, sampled_at FROM test_result "
                                    "WHERE sampled_at >= ? ORDER BY id",
                                    {since}));
  std::vector<TestSample> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({PersonId(r.Int(i, 0)), r.Int(i, 1) != 0, r.Int(i, 2)});
  return out;
}

Result<std::vector<PersonId>> RemoveFacts(store::Executor& ex, std::string_view source) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT DISTINCT person_id FROM health_fact WHERE source = ?",
                                    {std::string(source)}));
  std::vector<PersonId> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(PersonId(r.Int(i, 0)));
  RETURN_IF_ERROR(
      ex.Exec("DELETE FROM health_fact WHERE source = ?", {std::string(source)}).status());
  return out;
}

Result<int64_t> ReassignPerson(store::Executor& ex, PersonId from, PersonId to, int64_t now) {
  if (from == to) return Status::InvalidArgument("cannot merge a person into themself", "id");
  int64_t moved = 0;
  // A fact both hold from one source (both exposed by one case) keeps the survivor's.
  RETURN_IF_ERROR(ex.Exec("DELETE FROM health_fact WHERE person_id = ? AND EXISTS (SELECT 1 FROM "
                          "health_fact s WHERE s.person_id = ? AND s.kind = health_fact.kind AND "
                          "s.source = health_fact.source)",
                          {from.value, to.value})
                      .status());
  RETURN_IF_ERROR(ex.Exec("DELETE FROM vaccination WHERE person_id = ? AND EXISTS (SELECT 1 FROM "
                          "vaccination s WHERE s.person_id = ? AND s.dose = vaccination.dose AND "
                          "s.given_at = vaccination.given_at)",
                          {from.value, to.value})
                      .status());
  for (const char* table : {"health_fact", "test_result", "vaccination", "symptom_report",
                            "healthcode_issued", "eu_dcc_issued"}) {
    ASSIGN_OR_RETURN(int64_t n, ex.Exec("UPDATE " + std::string(table) +
                                            " SET person_id = ? WHERE person_id = ?",
                                        {to.value, from.value}));
    moved += n;
  }
  ASSIGN_OR_RETURN(Policy policy, ActivePolicy(ex));
  PersonId both[] = {from, to};
  RETURN_IF_ERROR(Recompute(ex, policy, both, now));
  return moved;
}

}  // namespace mekong::healthcode
