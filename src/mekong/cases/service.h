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

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mekong/cases/cases.h"
#include "mekong/cases/chains.h"
#include "mekong/cases/contacts.h"
#include "mekong/cases/epi.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/service.h"
#include "mekong/registry/access.h"
#include "mekong/registry/auth.h"
#include "mekong/tracing/service.h"

namespace mekong::cases {

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
// A line of a line list: the record with the person it is about (staff see only their unit).
struct CaseLine {
  Case c;
  registry::Person person;
};
struct CasePage {
  std::vector<CaseLine> items;
  int64_t total = 0;
};
struct ContactLine {
  Contact contact;
  registry::Person person;
};
struct ContactLinePage {
  std::vector<ContactLine> items;
  int64_t total = 0;
  std::string day;  // whose check status the lines carry (the reader's unit's date today)
};

// A citizen's own follow-up: the contacts they are, and today's check of each.
struct OwnFollowUp {
  std::vector<Contact> contacts;  // under follow-up; check_status is today's
};

// An epidemic curve: cases per local day of the unit, by onset or by report.
struct Curve {
  registry::OrgUnit unit;
  std::string by;  // "onset" or "report"
  std::vector<std::string> dates;
  std::vector<int64_t> counts;
};
struct Reproduction {
  Curve curve;
  double si_mean_days = 0, si_sd_days = 0;
  int window_days = 7;
  std::vector<RtEstimate> estimates;  // t_start/t_end index curve.dates
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, tracing::Service& tracing,
          healthcode::Service& codes);

  Result<Case> Confirm(const registry::Caller& by, NewCase in);
  Result<Case> Release(const registry::Caller& by, CaseId id, std::optional<int64_t> at);
  Result<Case> Get(const registry::Caller& by, CaseId id);
  // Documents attached to a case (documents/service.h): whoever reads the case reads them; who
  // manages cases attaches them.
  Status DocumentAccess(const registry::Caller& by, CaseId id, bool attach);
  Result<std::vector<Case>> List(const registry::Caller& by, int limit, int offset);
  Result<ContactList> Contacts(const registry::Caller& by, CaseId id, int depth,
                               const ContactPage& page = {});
  Result<PersonContacts> Trace(const registry::Caller& by, PersonId person, const ContactQuery& q);
  // Was the citizen at a place at the same time as a case, within the case's infectious
  // window? The answer names places and times, never the case.
  Result<std::vector<tracing::SelfCheckMatch>> ExposureCheck(const registry::Caller& by);

  // ---- Classification and history ----
  // A case of any classification (confirmed ones trace at once).
  Result<Case> Report(const registry::Caller& by, NewCase in);
  Result<Case> Update(const registry::Caller& by, CaseId id, const CaseUpdate& in);
  Result<std::vector<CaseEvent>> History(const registry::Caller& by, CaseId id);
  // Cases under the caller's unit (or `unit` inside it), filtered and paged, with their people.
  Result<CasePage> CaseLines(const registry::Caller& by, std::optional<OrgUnitId> unit,
                             CaseFilter f);

  // ---- Contacts and follow-up ----
  // Contacts of cases in the caller's unit; the people must be in it too.
  Result<std::vector<Contact>> AddContacts(const registry::Caller& by,
                                           const std::vector<NewContact>& in);
  Result<ContactLinePage> ContactLines(const registry::Caller& by, std::optional<OrgUnitId> unit,
                                       ContactFilter f);
  Result<ContactLine> GetContact(const registry::Caller& by, int64_t id);
  Result<std::vector<Check>> Checks(const registry::Caller& by, int64_t contact_id);
  Result<Check> AnswerCheck(const registry::Caller& by, int64_t contact_id, const CheckAnswer& in);
  // The bulk action on the listed ids, or on every contact the filter selects (`ids` empty).
  // The tracers of the unit (the caller's, or one inside it) and of every unit under it: whom
  // contacts can be assigned to.
  Result<std::vector<registry::User>> Tracers(const registry::Caller& by,
                                              std::optional<OrgUnitId> unit);
  Result<int64_t> BulkContacts(const registry::Caller& by, std::optional<OrgUnitId> unit,
                               ContactFilter filter, const std::vector<int64_t>& ids,
                               const std::string& action, std::optional<UserId> assign_to);
  Result<OwnFollowUp> OwnFollowUpOf(const registry::Caller& by);
  // The citizen's answer for today, for every contact they are under follow-up for.
  Result<std::vector<Check>> AnswerOwnCheck(const registry::Caller& by, const CheckAnswer& in);
  // The server's periodic job: finished follow-ups complete and yesterday's unanswered checks
  // are marked missed, each handed to `on_missed` in the same transaction (the server raises an
  // alert: apps/mekong/serve.cc). Returns how many were missed.
  using OnMissed = std::function<Status(store::Executor&, const MissedCheck&)>;
  Result<int64_t> SweepFollowUp(const OnMissed& on_missed = {});

  // ---- Chains, clusters ----
  Result<Transmission> AddTransmission(const registry::Caller& by, Transmission in);
  Result<Graph> CaseChain(const registry::Caller& by, CaseId id);
  Result<Cluster> CreateCluster(const registry::Caller& by, Cluster in);
  Result<Cluster> AddToCluster(const registry::Caller& by, int64_t id,
                               const std::vector<CaseId>& cases);
  Result<Cluster> GetCluster(const registry::Caller& by, int64_t id);
  Result<std::vector<Cluster>> Clusters(const registry::Caller& by, int limit, int offset);
  Result<Graph> ClusterChain(const registry::Caller& by, int64_t id);

  // ---- Curves and Rt ----
  // Dates are local dates of the unit ("YYYY-MM-DD"), `to` included; at most 366 days.
  Result<Curve> EpiCurve(const registry::Caller& by, std::optional<OrgUnitId> unit,
                         const std::string& from, const std::string& to, bool by_onset);
  Result<Reproduction> Rt(const registry::Caller& by, std::optional<OrgUnitId> unit,
                          const std::string& from, const std::string& to, int window_days);

 private:
  Result<Case> Visible(const registry::Caller& by, CaseId id);
  Result<Contact> ScopedContact(const registry::Caller& by, int64_t id);
  // The caller's unit, or `unit` when it lies inside it (not_found naming org_unit_id otherwise).
  Result<registry::OrgUnit> UnitFor(const registry::Caller& by, std::optional<OrgUnitId> unit);
  Tracer EngineTracer();

  store::Database& db_;
  const Clock& clock_;
  tracing::Service& tracing_;
  healthcode::Service& codes_;
};

}  // namespace mekong::cases
