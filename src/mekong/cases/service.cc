#include "mekong/cases/service.h"

#include <algorithm>
#include <map>
#include <set>

#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::cases {

using registry::Capability;

Service::Service(store::Database& db, const Clock& clock, tracing::Service& tracing,
                 healthcode::Service& codes)
    : db_(db), clock_(clock), tracing_(tracing), codes_(codes) {}

Result<Case> Service::Confirm(const registry::Caller& by, NewCase in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageCases));
  const int64_t now = clock_.NowMillis();
  in.confirmed_by = by.user;
  // The engine answers the tracing inside the confirmation's transaction: the stays it holds
  // are committed ones, and its answers equal the SQL's (tracing/engine_test.cc).
  Tracer tracer = [this](store::Executor&, PersonId p, int64_t ws, int64_t we, int64_t min_overlap,
                         int depth) { return tracing_.Trace(p, ws, we, min_overlap, depth); };
  Case made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, in.person, "confirm case", now, "person_id"));
    ASSIGN_OR_RETURN(made, cases::Confirm(tx, in, now, tracer));
    return store::Publish(tx, kCaseTopic, std::to_string(made.id.value), now);
  }));
  return made;
}

Result<Case> Service::Visible(const registry::Caller& by, CaseId id) {
  // An id that does not exist and a case outside the caller's unit read the same.
  auto c = GetCase(db_, id);
  if (c.ok() && registry::Covers(by, c->org_path)) return c;
  if (!c.ok() && c.status().code() != Code::kNotFound) return c.status();
  return Status::NotFound("no case " + std::to_string(id.value) + " in your unit", "id");
}

Result<Case> Service::Release(const registry::Caller& by, CaseId id, std::optional<int64_t> at) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageCases));
  ASSIGN_OR_RETURN(auto c, Visible(by, id));
  const int64_t now = clock_.NowMillis();
  Case out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, cases::Release(tx, c.id, at.value_or(now), now));
    RETURN_IF_ERROR(registry::LogAccess(tx, by, c.person, "release case", now));
    return store::Publish(tx, kCaseTopic, std::to_string(c.id.value), now);
  }));
  return out;
}

Result<Case> Service::Get(const registry::Caller& by, CaseId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  return Visible(by, id);
}

Result<std::vector<Case>> Service::List(const registry::Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  return ListCases(db_, by.org_path, limit, offset);
}

Result<ContactList> Service::Contacts(const registry::Caller& by, CaseId id, int depth) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kTrace));
  ContactList out;
  ASSIGN_OR_RETURN(out.c, Visible(by, id));
  ASSIGN_OR_RETURN(auto rows, ListContacts(db_, out.c.id));
  std::erase_if(rows, [&](const ContactRow& r) { return r.hop > depth; });
  ASSIGN_OR_RETURN(auto travel, ListTripContacts(db_, out.c.id));
  std::vector<PersonId> ids;
  for (const auto& r : rows) ids.push_back(r.person);
  for (const auto& r : travel) ids.push_back(r.person);
  std::sort(ids.begin(), ids.end(), [](PersonId a, PersonId b) { return a.value < b.value; });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ASSIGN_OR_RETURN(auto people, registry::GetPeople(db_, ids));
  std::map<int64_t, const registry::Person*> by_id;
  for (const auto& p : people) by_id[p.id.value] = &p;
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    std::set<int64_t> logged;
    auto see = [&](PersonId person, std::string* name, OrgUnitId* unit, bool* in_scope) -> Status {
      auto it = by_id.find(person.value);
      if (it == by_id.end()) return Status::Ok();
      *unit = it->second->org_unit;
      *in_scope = registry::Covers(by, it->second->org_path);
      if (!*in_scope) return Status::Ok();
      *name = it->second->full_name;
      if (!logged.insert(person.value).second) return Status::Ok();
      return registry::LogAccess(tx, by, person, "list case contacts", now);
    };
    for (auto& r : rows) {
      VisibleContact v{std::move(r)};
      RETURN_IF_ERROR(see(v.row.person, &v.row.full_name, &v.org_unit, &v.in_scope));
      out.contacts.push_back(std::move(v));
    }
    for (auto& r : travel) {
      VisibleTripContact v{std::move(r)};
      RETURN_IF_ERROR(see(v.row.person, &v.row.full_name, &v.org_unit, &v.in_scope));
      out.co_travellers.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<PersonContacts> Service::Trace(const registry::Caller& by, PersonId person,
                                      const ContactQuery& q) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kTrace));
  if (q.depth && (*q.depth < 1 || *q.depth > 3))
    return Status::InvalidArgument("must be between 1 and 3", "depth");
  ASSIGN_OR_RETURN(auto policy, codes_.ActivePolicy());
  const int64_t now = clock_.NowMillis();
  PersonContacts out;
  out.person = person;
  out.from = q.from.value_or(now - policy.infectious_before_ms);
  out.to = q.to.value_or(now);
  if (out.to <= out.from) return Status::InvalidArgument("must be after from", "to");
  out.min_overlap_ms = q.min_overlap_ms.value_or(policy.min_overlap_ms);
  RETURN_IF_ERROR(registry::ReadPerson(db_, by, person, "trace contacts", now));
  ASSIGN_OR_RETURN(out.traced, tracing_.Trace(person, out.from, out.to, out.min_overlap_ms,
                                              q.depth.value_or(1)));
  return out;
}

Result<std::vector<tracing::SelfCheckMatch>> Service::ExposureCheck(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kSelfCheck));
  if (!by.person) return Status::FailedPrecondition("this account has no person record");
  ASSIGN_OR_RETURN(auto policy, codes_.ActivePolicy());
  const int64_t since = clock_.NowMillis() - tracing_.limits().retention_ms;
  ASSIGN_OR_RETURN(auto windows, InfectiousWindows(db_, since));
  std::vector<tracing::Stay> case_stays;
  for (const auto& w : windows) {
    if (w.person == *by.person) continue;
    ASSIGN_OR_RETURN(auto stays, tracing_.PersonStays(w.person, w.start, w.end));
    for (auto& s : stays) {
      s.time_in = std::max(s.time_in, w.start);  // only the infectious part counts
      s.time_out = std::min(s.time_out, w.end);
      if (s.time_out > s.time_in) case_stays.push_back(s);
    }
  }
  return tracing_.SelfCheck(*by.person, case_stays, policy.min_overlap_ms);
}

}  // namespace mekong::cases
