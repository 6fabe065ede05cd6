// The cases module's service: confirming and releasing cases, their contacts as a reader may
// see them, a person's contacts under the policy's definition, and a citizen's own exposure
// check. It builds on the tracing service (the engine) and the health-code service (policy).
//
// What a reader sees of people outside their unit (docs/access.md): a case's contact list
// names only people inside the reader's unit; others appear by id with their unit, marked
// outside, and their records are read (and logged) by their own unit's tracers.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mekong/cases/cases.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/registry/access.h"
#include "mekong/tracing/service.h"

namespace mekong::cases {

// Confirming or releasing a case through the service publishes this topic in the same
// transaction (payload: the case id in decimal; docs/formats/change-feed.md), so dashboards in
// every process follow the cases.
inline constexpr std::string_view kCaseTopic = "cases.case";

// A contact as the reader may see it.
struct VisibleContact {
  ContactRow row;
  OrgUnitId org_unit;
  bool in_scope = false;  // false: full_name is empty and the record is another unit's
};

struct VisibleTripContact {
  TripContactRow row;
  OrgUnitId org_unit;
  bool in_scope = false;
};

// One page of a list ordered by (hop, person id): at most `limit` people after `cursor` (the
// opaque text of a previous page's next_cursor). Without a limit, everything.
struct ContactPage {
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

struct ContactList {
  Case c;
  std::vector<VisibleContact> contacts;  // this page's
  std::vector<VisibleTripContact> co_travellers;
  int64_t total = 0;        // people in the whole list
  std::string next_cursor;  // "" on the last page
};

// GET /people/{id}/contacts: defaults from the active policy.
struct ContactQuery {
  std::optional<int64_t> from, to;
  std::optional<int> depth;
  std::optional<int64_t> min_overlap_ms;
  ContactPage page;
};

struct PersonContacts {
  PersonId person;
  int64_t from = 0, to = 0, min_overlap_ms = 0;
  // The whole answer (shared: later pages of it may be served from the tracing service's
  // memory of recent answers), and this page of it: result->items[begin, end).
  std::shared_ptr<const tracing::TraceResult> result;
  size_t begin = 0, end = 0;
  std::string next_cursor;  // "" on the last page
  double engine_ms = 0;     // the engine's share of the time (0 for a page it remembered)
  std::vector<tracing::Traced> Page() const;
};

// "<hop>.<person id>": where the next page starts, after that person.
std::string ContactCursor(int hop, PersonId person);
Result<std::pair<int, int64_t>> ParseContactCursor(std::string_view text);

class Service {
 public:
  Service(store::Database& db, const Clock& clock, tracing::Service& tracing,
          healthcode::Service& codes);

  Result<Case> Confirm(const registry::Caller& by, NewCase in);
  Result<Case> Release(const registry::Caller& by, CaseId id, std::optional<int64_t> at);
  Result<Case> Get(const registry::Caller& by, CaseId id);
  Result<std::vector<Case>> List(const registry::Caller& by, int limit, int offset);
  Result<ContactList> Contacts(const registry::Caller& by, CaseId id, int depth,
                               const ContactPage& page = {});
  Result<PersonContacts> Trace(const registry::Caller& by, PersonId person, const ContactQuery& q);
  // Was the citizen at a place at the same time as a case, within the case's infectious
  // window? The answer names places and times, never the case.
  Result<std::vector<tracing::SelfCheckMatch>> ExposureCheck(const registry::Caller& by);

 private:
  Result<Case> Visible(const registry::Caller& by, CaseId id);

  store::Database& db_;
  const Clock& clock_;
  tracing::Service& tracing_;
  healthcode::Service& codes_;
};

}  // namespace mekong::cases
