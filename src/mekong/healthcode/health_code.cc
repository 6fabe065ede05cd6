#include "mekong/healthcode/health_code.h"

#include <algorithm>

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
};

}  // namespace

Status Migrate(store::Database& db) { return db.Migrate("healthcode", kMigrations); }

Status AddReason(store::Executor& ex, PersonId person, const Reason& r) {
  RETURN_IF_ERROR(ex.Exec("DELETE FROM health_reason WHERE person_id = ? AND kind = ? AND source = ?",
                          {person.value, r.kind, r.source}));
  return ex
      .Exec("INSERT INTO health_reason (person_id, colour, kind, source, detail, since, until) VALUES (?, ?, ?, ?, ?, "
            "?, ?)",
            {person.value, static_cast<int64_t>(r.colour), r.kind, r.source, r.detail, r.since, r.until})
      .status();
}

Status LiftReasons(store::Executor& ex, std::string_view source, int64_t at) {
  return ex
      .Exec("UPDATE health_reason SET until = ? WHERE source = ? AND (until IS NULL OR until > ?)",
            {at, std::string(source), at})
      .status();
}

Result<HealthCode> Compute(store::Executor& ex, PersonId person, int64_t now) {
  ASSIGN_OR_RETURN(auto p, ex.Query("SELECT 1 FROM person WHERE id = ?", {person.value}));
  if (p.empty()) return Status::NotFound("no person " + std::to_string(person.value), "id");
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, colour, kind, source, detail, since, until FROM health_reason "
                                    "WHERE person_id = ? AND since <= ? AND (until IS NULL OR until > ?) "
                                    "ORDER BY colour DESC, since, id",
                                    {person.value, now, now}));
  HealthCode code;
  code.person = person;
  code.computed_at = now;
  bool open_ended = false;
  int64_t last_end = now;
  for (size_t i = 0; i < r.size(); ++i) {
    Reason reason{r.Int(i, 0), static_cast<Colour>(r.Int(i, 1)), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
                  r.Int(i, 5), r.OptInt(i, 6)};
    code.colour = std::max(code.colour, reason.colour);
    if (reason.until) {
      last_end = std::max(last_end, *reason.until);
    } else {
      open_ended = true;
    }
    code.reasons.push_back(std::move(reason));
  }
  if (!code.reasons.empty() && !open_ended) code.green_at = last_end;
  return code;
}

}  // namespace mekong::healthcode
