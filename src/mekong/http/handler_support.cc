#include "mekong/http/handler_support.h"

#include <cstdlib>

#include "mekong/core/time.h"

namespace mekong::http {

namespace {
Result<int64_t> ParseId(const std::string& s, const char* name) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("must be a positive integer id", name);
  }
  int64_t v = std::strtoll(s.c_str(), nullptr, 10);
  if (v <= 0) return Status::InvalidArgument("must be a positive integer id", name);
  return v;
}
}  // namespace

Result<int64_t> PathId(const Context& ctx, const char* name) {
  auto it = ctx.req.params.find(name);
  return ParseId(it == ctx.req.params.end() ? "" : it->second, name);
}

Result<std::optional<int64_t>> QueryInt(const Context& ctx, const char* name) {
  auto v = ctx.req.QueryValue(name);
  if (!v) return std::optional<int64_t>();
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("must be a non-negative integer", name);
  }
  return std::optional<int64_t>(std::strtoll(v->c_str(), nullptr, 10));
}

Status Paging(const Context& ctx, int* limit, int* offset, int max) {
  ASSIGN_OR_RETURN(auto l, QueryInt(ctx, "limit"));
  ASSIGN_OR_RETURN(auto o, QueryInt(ctx, "offset"));
  if (l && (*l < 1 || *l > max)) return Status::InvalidArgument("must be between 1 and " + std::to_string(max), "limit");
  if (o && *o > 1'000'000'000) return Status::InvalidArgument("is too large", "offset");
  *limit = l ? static_cast<int>(*l) : 50;
  *offset = o ? static_cast<int>(*o) : 0;
  return Status::Ok();
}

Status RequireCovers(const Context& ctx, const std::string& path) {
  if (!registry::Covers(*ctx.caller, path)) {
    return Status::PermissionDenied("outside your org unit");
  }
  return Status::Ok();
}

Result<registry::Person> ReadPerson(Context& ctx, PersonId id, std::string_view action) {
  const registry::Caller& c = *ctx.caller;
  if (c.role == Role::kCitizen) {
    if (!c.person || *c.person != id) return Status::PermissionDenied("citizens may see only their own record");
  }
  ASSIGN_OR_RETURN(auto person, registry::GetPerson(ctx.svc.db, id));
  if (c.role != Role::kCitizen) RETURN_IF_ERROR(RequireCovers(ctx, person.org_path));
  RETURN_IF_ERROR(registry::LogAccess(ctx.svc.db, c, id, action, ctx.now));
  return person;
}

Json ToJson(const registry::OrgUnit& u) {
  return {{"id", u.id.value},
          {"parent_id", u.parent ? Json(u.parent->value) : Json(nullptr)},
          {"level", u.level},
          {"name", u.name},
          {"code", u.code}};
}

Json ToJson(const registry::Person& p) {
  return {{"id", p.id.value},
          {"full_name", p.full_name},
          {"document_type", p.document_type},
          {"document_number", p.document_number},
          {"nationality", p.nationality},
          {"language", p.language},
          {"phone", p.phone.empty() ? Json(nullptr) : Json(p.phone)},
          {"birth_date", p.birth_date.empty() ? Json(nullptr) : Json(p.birth_date)},
          {"org_unit_id", p.org_unit.value},
          {"created_at", Time(p.created_at)}};
}

Json ToJson(const registry::Venue& v) {
  return {{"id", v.id.value},
          {"name", v.name},
          {"kind", v.kind},
          {"capacity", v.capacity},
          {"org_unit_id", v.org_unit.value},
          {"default_stay_minutes", v.default_stay_minutes},
          {"address", v.address},
          {"created_at", Time(v.created_at)}};
}

Json ToJson(const registry::Facility& f) {
  return {{"id", f.id.value},
          {"name", f.name},
          {"kind", f.kind},
          {"org_unit_id", f.org_unit.value},
          {"created_at", Time(f.created_at)}};
}

Result<std::optional<int64_t>> QueryTime(const Context& ctx, const char* name) {
  auto v = ctx.req.QueryValue(name);
  if (!v) return std::optional<int64_t>();
  auto t = ParseRfc3339(*v);
  if (!t.ok()) return Status::InvalidArgument("must be an RFC 3339 time with a zone", name);
  return std::optional<int64_t>(*t);
}

tracing::Limits LimitsOf(const Context& ctx) {
  return tracing::Limits::From(ctx.svc.config);
}

}  // namespace mekong::http
