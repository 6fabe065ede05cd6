// Helpers the route tables share: path ids, scope checks, role sets, JSON views of records.
#pragma once

#include <vector>

#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/verify.h"
#include "mekong/http/app.h"
#include "mekong/http/json.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/checkins.h"

namespace mekong::http {

using registry::Role;

// Officers who work with personal data inside their org unit.
inline const std::vector<Role> kStaff = {Role::kAdmin, Role::kCommandOfficer, Role::kTracer, Role::kClinician,
                                         Role::kLabTechnician};

// The path parameter `name` as a positive id, or invalid_argument naming it.
Result<int64_t> PathId(const Context& ctx, const char* name = "id");
// limit (1..max, default 50) and offset (>= 0) from the query string.
Status Paging(const Context& ctx, int* limit, int* offset, int max = 500);
// An optional integer query parameter.
Result<std::optional<int64_t>> QueryInt(const Context& ctx, const char* name);
// An optional RFC 3339 query parameter, as Unix milliseconds.
Result<std::optional<int64_t>> QueryTime(const Context& ctx, const char* name);
// Check-in and travel limits from the configuration (stay length, clock skew, retention).
tracing::Limits LimitsOf(const Context& ctx);

// permission_denied unless the caller's org unit covers `path`.
Status RequireCovers(const Context& ctx, const std::string& path);
// Loads a person the caller may see (a citizen only themself, staff inside their org unit)
// and records the read in the access log.
Result<registry::Person> ReadPerson(Context& ctx, PersonId id, std::string_view action);

// Verifies scanned text against the trust bundle, cached for a few seconds per process.
Result<healthcode::Verdict> VerifyScanned(Context& ctx, const std::vector<std::string>& texts);

Json ToJson(const registry::OrgUnit& u);
Json ToJson(const registry::Person& p);
Json ToJson(const registry::Venue& v);
Json ToJson(const registry::Facility& f);
// An id the client referenced in a body or query that does not exist: NotFound names the field
// the client sent (the registry's lookups name "id").
template <typename T>
Result<T> Referenced(Result<T> r, const char* field) {
  if (!r.ok() && r.status().code() == Code::kNotFound) return Status::NotFound(r.status().message(), field);
  return r;
}

// A health code with its reasons in the person's language (routes_policy.cc).
Json HealthCodeJson(const healthcode::HealthCode& code);

}  // namespace mekong::http
