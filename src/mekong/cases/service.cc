#include "mekong/cases/service.h"

#include <algorithm>
#include <chrono>
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
  ASSIGN_OR_RETURN(auto c, GetCase(db_, id));
  if (!registry::Covers(by, c.org_path))
    return Status::NotFound("no case " + std::to_string(id.value) + " in your unit", "id");
  return c;
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

std::string ContactCursor(int hop, PersonId person) {
  return std::to_string(hop) + "." + std::to_string(person.value);
}

Result<std::pair<int, int64_t>> ParseContactCursor(std::string_view text) {
  auto bad = [] {
    return Status::InvalidArgument("is not a cursor this list gave (next_cursor)", "cursor");
  };
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() || dot > 1 ||
      text.size() > 22)
    return bad();
  int hop = text[0] - '0';
  if (hop < 1 || hop > 3) return bad();
  int64_t person = 0;
  for (char ch : text.substr(dot + 1)) {
    if (ch < '0' || ch > '9') return bad();
    person = person * 10 + (ch - '0');
  }
  return std::pair{hop, person};
}

namespace {

Status CheckPage(const ContactPage& page) {
  if (page.limit && *page.limit < 1) return Status::InvalidArgument("must be at least 1", "limit");
  return Status::Ok();
}

}  // namespace

std::vector<tracing::Traced> PersonContacts::Page() const {
  std::vector<tracing::Traced> out;
  for (size_t i = begin; i < end; ++i) out.push_back(result->At(i));
  return out;
}

Result<ContactList> Service::Contacts(const registry::Caller& by, CaseId id, int depth,
                                      const ContactPage& page) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kTrace));
  RETURN_IF_ERROR(CheckPage(page));
  ContactList out;
  ASSIGN_OR_RETURN(out.c, Visible(by, id));
  ASSIGN_OR_RETURN(auto rows, ListContacts(db_, out.c.id));
  std::erase_if(rows, [&](const ContactRow& r) { return r.hop > depth; });
  // Rows come by (hop, person): a page is a slice of them, and only its people are read.
  out.total = static_cast<int64_t>(rows.size());
  size_t begin = 0;
  if (page.cursor) {
    ASSIGN_OR_RETURN(auto after, ParseContactCursor(*page.cursor));
    begin = static_cast<size_t>(
        std::upper_bound(rows.begin(), rows.end(), after,
                         [](const std::pair<int, int64_t>& key, const ContactRow& r) {
                           return key < std::pair{r.hop, r.person.value};
                         }) -
        rows.begin());
  }
  size_t end =
      page.limit ? std::min(rows.size(), begin + static_cast<size_t>(*page.limit)) : rows.size();
  if (end < rows.size()) out.next_cursor = ContactCursor(rows[end - 1].hop, rows[end - 1].person);
  rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(end), rows.end());
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(begin));
  ASSIGN_OR_RETURN(auto travel, ListTripContacts(db_, out.c.id));
  if (begin > 0) travel.clear();  // co-travellers come with the first page
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
  RETURN_IF_ERROR(CheckPage(q.page));
  std::optional<std::pair<int, int64_t>> after;
  if (q.page.cursor) {
    ASSIGN_OR_RETURN(after, ParseContactCursor(*q.page.cursor));
  }
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
  // A later page comes from the answer its first page came from, while it is remembered.
  auto t0 = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(out.result, tracing_.TraceShared(person, out.from, out.to, out.min_overlap_ms,
                                                    q.depth.value_or(1), after.has_value()));
  out.engine_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const auto& items = out.result->items;
  if (after) {
    out.begin =
        static_cast<size_t>(std::upper_bound(items.begin(), items.end(), *after,
                                             [](const std::pair<int, int64_t>& key,
                                                const tracing::TraceResult::Item& t) {
                                               return key < std::pair{t.hop, t.person.value};
                                             }) -
                            items.begin());
  }
  out.end = q.page.limit ? std::min(items.size(), out.begin + static_cast<size_t>(*q.page.limit))
                         : items.size();
  if (out.end < items.size())
    out.next_cursor = ContactCursor(items[out.end - 1].hop, items[out.end - 1].person);
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
