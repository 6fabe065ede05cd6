#include "mekong/cases/service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "mekong/core/zone.h"
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
    ASSIGN_OR_RETURN(made, cases::Confirm(tx, in, now, tracer));  // classification confirmed
    return Status::Ok();
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
    return registry::LogAccess(tx, by, c.person, "release case", now);  // Release publishes
  }));
  return out;
}

Result<Case> Service::Get(const registry::Caller& by, CaseId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  return Visible(by, id);
}

Status Service::DocumentAccess(const registry::Caller& by, CaseId id, bool attach) {
  if (attach) RETURN_IF_ERROR(registry::Require(by, Capability::kManageCases));
  return Get(by, id).status();
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

namespace mekong::cases {

namespace {
constexpr int kMaxBulk = 10000;
}

Tracer Service::EngineTracer() {
  return [this](store::Executor&, PersonId p, int64_t ws, int64_t we, int64_t min_overlap,
                int depth) { return tracing_.Trace(p, ws, we, min_overlap, depth); };
}

Result<registry::OrgUnit> Service::UnitFor(const registry::Caller& by,
                                           std::optional<OrgUnitId> unit) {
  if (!unit) {
    if (by.org_path == "/" || !by.org_unit.value) {
      registry::OrgUnit all;
      all.path = "/";
      all.name = "(everywhere)";
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

Result<Case> Service::Report(const registry::Caller& by, NewCase in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageCases));
  const int64_t now = clock_.NowMillis();
  in.confirmed_by = by.user;
  Tracer tracer = EngineTracer();
  Case made;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(registry::ReadPerson(tx, by, in.person, "report case", now, "person_id"));
    ASSIGN_OR_RETURN(made, cases::Report(tx, in, now, tracer));
    return Status::Ok();
  }));
  return made;
}

Result<Case> Service::Update(const registry::Caller& by, CaseId id, const CaseUpdate& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageCases));
  ASSIGN_OR_RETURN(auto c, Visible(by, id));
  const int64_t now = clock_.NowMillis();
  Tracer tracer = EngineTracer();
  Case out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, cases::Update(tx, c.id, in, by.user, now, tracer));
    return registry::LogAccess(tx, by, c.person, "update case", now);
  }));
  return out;
}

Result<std::vector<CaseEvent>> Service::History(const registry::Caller& by, CaseId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  ASSIGN_OR_RETURN(auto c, Visible(by, id));
  ASSIGN_OR_RETURN(auto events, cases::History(db_, c.id));
  std::vector<UserId> users;
  for (const auto& e : events) {
    if (e.by) users.push_back(*e.by);
  }
  ASSIGN_OR_RETURN(auto names, registry::Usernames(db_, users));
  for (auto& e : events) {
    if (auto it = e.by ? names.find(e.by->value) : names.end(); it != names.end())
      e.by_username = it->second;
  }
  return events;
}

Result<CasePage> Service::CaseLines(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                    CaseFilter f) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadLineLists));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  f.under_path = u.path;
  CasePage page;
  std::vector<Case> rows;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(rows, ListCaseLines(ex, f));
    ASSIGN_OR_RETURN(page.total, CountCases(ex, f));
    return Status::Ok();
  }));
  std::vector<PersonId> ids;
  for (const auto& c : rows) ids.push_back(c.person);
  ASSIGN_OR_RETURN(auto person_of, registry::PeopleById(db_, ids));
  const int64_t now = clock_.NowMillis();
  // Outside a transaction the reads are logged in the next deferred batch: a list does not
  // wait for the write lock (SQLite) or a commit of its own.
  for (auto& c : rows) {
    RETURN_IF_ERROR(registry::LogAccess(db_, by, c.person, "case line list", now));
    registry::Person& p = person_of[c.person.value];
    page.items.push_back({std::move(c), std::move(p)});
  }
  return page;
}

Result<Contact> Service::ScopedContact(const registry::Caller& by, int64_t id) {
  auto c = cases::GetContact(db_, id);
  if (!c.ok() || !registry::Covers(by, c->org_path)) {
    return Status::NotFound("no contact " + std::to_string(id) + " in your unit", "id");
  }
  return c;
}

Result<std::vector<Contact>> Service::AddContacts(const registry::Caller& by,
                                                  const std::vector<NewContact>& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageContacts));
  if (in.empty()) return Status::InvalidArgument("give at least one contact", "contacts");
  if (in.size() > 1000) return Status::InvalidArgument("at most 1000 at once", "contacts");
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = Visible(by, in[i].case_id);
    if (!c.ok())
      return Status::NotFound(c.status().message(), "contacts[" + std::to_string(i) + "].case_id");
    if (c->person == in[i].person) {
      return Status::InvalidArgument("is the case itself",
                                     "contacts[" + std::to_string(i) + "].person_id");
    }
  }
  ASSIGN_OR_RETURN(auto policy, codes_.ActivePolicy());
  const int64_t now = clock_.NowMillis();
  std::vector<Contact> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    for (size_t i = 0; i < in.size(); ++i) {
      RETURN_IF_ERROR(
          registry::ReadPerson(tx, by, in[i].person, "add contact", now,
                               ("contacts[" + std::to_string(i) + "].person_id").c_str()));
    }
    ASSIGN_OR_RETURN(out, cases::AddContacts(tx, in, policy, by.user, now));
    return store::Publish(tx, kContactTopic, std::to_string(out.size()), now);
  }));
  return out;
}

Result<ContactLinePage> Service::ContactLines(const registry::Caller& by,
                                              std::optional<OrgUnitId> unit, ContactFilter f) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadContacts));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  f.under_path = u.path;
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(f.day, LocalDate(u.time_zone, now));
  ContactLinePage page;
  page.day = f.day;
  std::vector<Contact> rows;
  RETURN_IF_ERROR(db_.ReadSnapshot([&](store::Executor& ex) -> Status {
    ASSIGN_OR_RETURN(rows, ListContacts(ex, f));
    ASSIGN_OR_RETURN(page.total, CountContacts(ex, f));
    return Status::Ok();
  }));
  std::vector<PersonId> ids;
  for (const auto& c : rows) ids.push_back(c.person);
  ASSIGN_OR_RETURN(auto person_of, registry::PeopleById(db_, ids));
  for (auto& c : rows) {  // logged as the case line list's are
    RETURN_IF_ERROR(registry::LogAccess(db_, by, c.person, "contact list", now));
    registry::Person& p = person_of[c.person.value];
    page.items.push_back({std::move(c), std::move(p)});
  }
  return page;
}

Result<ContactLine> Service::GetContact(const registry::Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadContacts));
  ASSIGN_OR_RETURN(auto c, ScopedContact(by, id));
  const int64_t now = clock_.NowMillis();
  ContactLine out{c, {}};
  ASSIGN_OR_RETURN(out.person, registry::ReadPerson(db_, by, c.person, "read contact", now));
  return out;
}

Result<std::vector<Check>> Service::Checks(const registry::Caller& by, int64_t contact_id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadContacts));
  ASSIGN_OR_RETURN(auto c, ScopedContact(by, contact_id));
  return ListChecks(db_, c.id);
}

Result<Check> Service::AnswerCheck(const registry::Caller& by, int64_t contact_id,
                                   const CheckAnswer& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageContacts));
  ASSIGN_OR_RETURN(auto c, ScopedContact(by, contact_id));
  const int64_t now = clock_.NowMillis();
  Check out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, RecordCheck(tx, c.id, in, by.user, false, now));
    return registry::LogAccess(tx, by, c.person, "follow-up check", now);
  }));
  return out;
}

Result<std::vector<registry::User>> Service::Tracers(const registry::Caller& by,
                                                     std::optional<OrgUnitId> unit) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageContacts));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  return registry::UsersWithRoleUnder(db_, u.path, registry::Role::kTracer);
}

Result<int64_t> Service::BulkContacts(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                      ContactFilter filter, const std::vector<int64_t>& ids,
                                      const std::string& action, std::optional<UserId> assign_to) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageContacts));
  ASSIGN_OR_RETURN(auto u, UnitFor(by, unit));
  if (assign_to) {
    auto user = registry::GetUser(db_, *assign_to);
    if (!user.ok() || user->role != registry::Role::kTracer) {
      return Status::NotFound("no tracer " + std::to_string(assign_to->value), "assign_to");
    }
    ASSIGN_OR_RETURN(auto unit_of, registry::GetOrgUnit(db_, user->org_unit));
    if (!registry::Covers(by, unit_of.path)) {
      return Status::NotFound("no tracer " + std::to_string(assign_to->value) + " in your unit",
                              "assign_to");
    }
  }
  std::vector<int64_t> chosen;
  if (ids.empty()) {
    filter.under_path = u.path;
    filter.day.clear();
    filter.limit = kMaxBulk;
    filter.offset = 0;
    ASSIGN_OR_RETURN(auto rows, ListContacts(db_, filter));
    for (const auto& c : rows) chosen.push_back(c.id);
  } else {
    if (ids.size() > static_cast<size_t>(kMaxBulk))
      return Status::InvalidArgument("at most 10000 ids", "ids");
    for (size_t i = 0; i < ids.size(); ++i) {
      auto c = cases::GetContact(db_, ids[i]);
      if (!c.ok() || !registry::IsUnder(c->org_path, u.path)) {
        return Status::NotFound("no contact " + std::to_string(ids[i]) + " in your unit",
                                "ids[" + std::to_string(i) + "]");
      }
      chosen.push_back(ids[i]);
    }
  }
  const int64_t now = clock_.NowMillis();
  int64_t changed = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(changed, SetContactStatus(tx, chosen, action, assign_to, now));
    return store::Publish(tx, kContactTopic, std::to_string(changed), now);
  }));
  return changed;
}

Result<OwnFollowUp> Service::OwnFollowUpOf(const registry::Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kAnswerOwnFollowUp));
  if (!by.person) return Status::FailedPrecondition("this account has no person record");
  ASSIGN_OR_RETURN(auto all, ContactsOfPerson(db_, *by.person));
  OwnFollowUp out;
  const int64_t now = clock_.NowMillis();
  for (auto& c : all) {
    if (c.status != "under_follow_up") continue;
    ASSIGN_OR_RETURN(std::string today, LocalDate(c.time_zone, now));
    ASSIGN_OR_RETURN(auto checks, ListChecks(db_, c.id));
    for (const auto& k : checks) {
      if (k.day == today) c.check_status = k.status;
    }
    out.contacts.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Check>> Service::AnswerOwnCheck(const registry::Caller& by,
                                                   const CheckAnswer& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kAnswerOwnFollowUp));
  if (!by.person) return Status::FailedPrecondition("this account has no person record");
  ASSIGN_OR_RETURN(auto all, ContactsOfPerson(db_, *by.person));
  const int64_t now = clock_.NowMillis();
  std::vector<Check> out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    for (const auto& c : all) {
      if (c.status != "under_follow_up") continue;
      ASSIGN_OR_RETURN(auto k, RecordCheck(tx, c.id, in, by.user, true, now));
      out.push_back(std::move(k));
    }
    if (out.empty()) return Status::FailedPrecondition("you are not under follow-up");
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> Service::SweepFollowUp(const OnMissed& on_missed) {
  const int64_t now = clock_.NowMillis();
  int64_t missed = 0;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto checks, cases::SweepFollowUp(tx, now));
    for (const auto& check : checks) {
      if (on_missed) RETURN_IF_ERROR(on_missed(tx, check));
    }
    missed = static_cast<int64_t>(checks.size());
    return Status::Ok();
  }));
  return missed;
}

Result<Transmission> Service::AddTransmission(const registry::Caller& by, Transmission in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageChains));
  auto from = Visible(by, in.from);
  if (!from.ok()) return Status::NotFound(from.status().message(), "from_case_id");
  auto to = Visible(by, in.to);
  if (!to.ok()) return Status::NotFound(to.status().message(), "to_case_id");
  in.source = "manual";
  in.created_by = by.user;
  const int64_t now = clock_.NowMillis();
  Transmission out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, cases::AddTransmission(tx, in, now));
    return store::Publish(tx, kCaseTopic, std::to_string(in.to.value), now);
  }));
  return out;
}

Result<Graph> Service::CaseChain(const registry::Caller& by, CaseId id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  ASSIGN_OR_RETURN(auto c, Visible(by, id));
  return ChainOfCase(db_, c.id);
}

Result<Cluster> Service::CreateCluster(const registry::Caller& by, Cluster in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageChains));
  if (!in.org_unit.value) in.org_unit = by.org_unit;
  ASSIGN_OR_RETURN(auto u, UnitFor(by, in.org_unit));
  (void)u;
  for (size_t i = 0; i < in.cases.size(); ++i) {
    auto c = Visible(by, in.cases[i]);
    if (!c.ok())
      return Status::NotFound(c.status().message(), "case_ids[" + std::to_string(i) + "]");
  }
  const int64_t now = clock_.NowMillis();
  Cluster out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, cases::CreateCluster(tx, in, now));
    return Status::Ok();
  }));
  return out;
}

Result<Cluster> Service::AddToCluster(const registry::Caller& by, int64_t id,
                                      const std::vector<CaseId>& cases) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kManageChains));
  ASSIGN_OR_RETURN(auto cl, GetCluster(by, id));
  for (size_t i = 0; i < cases.size(); ++i) {
    auto c = Visible(by, cases[i]);
    if (!c.ok())
      return Status::NotFound(c.status().message(), "case_ids[" + std::to_string(i) + "]");
  }
  RETURN_IF_ERROR(db_.Transact(
      [&](store::Executor& tx) -> Status { return cases::AddToCluster(tx, cl.id, cases); }));
  return cases::GetCluster(db_, cl.id);
}

Result<Cluster> Service::GetCluster(const registry::Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  auto c = cases::GetCluster(db_, id);
  if (!c.ok() || !registry::Covers(by, c->org_path)) {
    return Status::NotFound("no cluster " + std::to_string(id) + " in your unit", "id");
  }
  return c;
}

Result<std::vector<Cluster>> Service::Clusters(const registry::Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadCases));
  return ListClusters(db_, by.org_path, limit, offset);
}

Result<Graph> Service::ClusterChain(const registry::Caller& by, int64_t id) {
  ASSIGN_OR_RETURN(auto c, GetCluster(by, id));
  return ChainOfCluster(db_, c.id);
}

Result<Curve> Service::EpiCurve(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                const std::string& from, const std::string& to, bool by_onset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadLineLists));
  Curve curve;
  ASSIGN_OR_RETURN(curve.unit, UnitFor(by, unit));
  curve.by = by_onset ? "onset" : "report";
  const std::string& zone = curve.unit.time_zone;
  auto first = LocalDayStart(zone, from);
  if (!first.ok()) return Status::InvalidArgument("must be YYYY-MM-DD", "from");
  auto last = LocalDayStart(zone, to);
  if (!last.ok()) return Status::InvalidArgument("must be YYYY-MM-DD", "to");
  if (*last < *first) return Status::InvalidArgument("is before from", "to");
  std::vector<int64_t> starts;
  for (int64_t at = *first;;) {
    ASSIGN_OR_RETURN(std::string d, LocalDate(zone, at));
    curve.dates.push_back(d);
    starts.push_back(at);
    if (curve.dates.size() > 366) return Status::InvalidArgument("at most 366 days", "to");
    ASSIGN_OR_RETURN(std::string next, LocalDate(zone, at + 25 * kMillisPerHour));
    ASSIGN_OR_RETURN(at, LocalDayStart(zone, next));
    if (at > *last) {
      starts.push_back(at);  // the end of the last day
      break;
    }
  }
  ASSIGN_OR_RETURN(auto times,
                   CaseTimes(db_, curve.unit.path, starts.front(), starts.back(), by_onset, false));
  curve.counts.assign(curve.dates.size(), 0);
  for (int64_t t : times) {
    auto it = std::upper_bound(starts.begin(), starts.end(), t);
    size_t day = static_cast<size_t>(it - starts.begin()) - 1;
    if (day < curve.counts.size()) ++curve.counts[day];
  }
  return curve;
}

Result<Reproduction> Service::Rt(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                 const std::string& from, const std::string& to, int window_days) {
  Reproduction out;
  ASSIGN_OR_RETURN(out.curve, EpiCurve(by, unit, from, to, true));
  if (window_days < 1 || window_days > 28)
    return Status::InvalidArgument("must be between 1 and 28", "window_days");
  ASSIGN_OR_RETURN(auto policy, codes_.ActivePolicy());
  out.si_mean_days = policy.serial_interval_mean_days;
  out.si_sd_days = policy.serial_interval_sd_days;
  out.window_days = window_days;
  auto si = DiscretiseSerialInterval(out.si_mean_days, out.si_sd_days,
                                     static_cast<int>(out.curve.counts.size()));
  RtOptions options;
  options.window_days = window_days;
  out.estimates = EstimateRt(out.curve.counts, si, options);
  return out;
}

}  // namespace mekong::cases
