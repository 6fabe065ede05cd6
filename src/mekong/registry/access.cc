#include "mekong/registry/access.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>

#include "mekong/registry/registry.h"

namespace mekong::registry {

namespace {

using C = Capability;
using R = Role;

struct Entry {
  Capability capability;
  std::string_view name;
  std::initializer_list<Role> roles;
};

// Staff who work with personal data inside their org unit.
#define MK_STAFF R::kAdmin, R::kCommandOfficer, R::kTracer, R::kClinician, R::kLabTechnician

const std::array<Entry, 77> kTable = {{
    {C::kSignedIn,
     "signed_in",
     {R::kAdmin, R::kCommandOfficer, R::kTracer, R::kLabTechnician, R::kClinician,
      R::kVenueOperator, R::kCheckpointOfficer, R::kCitizen, R::kDevice}},
    {C::kReadOrgUnits,
     "read_org_units",
     {MK_STAFF, R::kVenueOperator, R::kCheckpointOfficer, R::kCitizen}},
    {C::kManageOrgUnits, "manage_org_units", {R::kAdmin}},
    {C::kReadPeople, "read_people", {MK_STAFF, R::kCitizen}},
    {C::kRegisterPeople,
     "register_people",
     {R::kAdmin, R::kCommandOfficer, R::kTracer, R::kClinician}},
    {C::kReadVenues, "read_venues", {MK_STAFF, R::kVenueOperator}},
    {C::kManageVenues, "manage_venues", {R::kAdmin, R::kCommandOfficer, R::kVenueOperator}},
    {C::kReadFacilities, "read_facilities", {MK_STAFF}},
    {C::kManageFacilities, "manage_facilities", {R::kAdmin}},
    {C::kManageUsers, "manage_users", {R::kAdmin}},
    {C::kReadAccessLog, "read_access_log", {R::kAdmin, R::kCommandOfficer}},
    {C::kCheckIn,
     "check_in",
     {R::kCitizen, R::kDevice, R::kAdmin, R::kCommandOfficer, R::kTracer, R::kVenueOperator}},
    {C::kIngestCheckins,
     "ingest_checkins",
     {R::kDevice, R::kVenueOperator, R::kAdmin, R::kCommandOfficer}},
    {C::kReadCheckins, "read_checkins", {MK_STAFF, R::kCitizen}},
    {C::kTrace, "trace", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReadOccupancy,
     "read_occupancy",
     {R::kAdmin, R::kCommandOfficer, R::kTracer, R::kVenueOperator}},
    {C::kSelfCheck, "self_check", {R::kCitizen}},
    {C::kManageTravel, "manage_travel", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReadCases, "read_cases", {MK_STAFF}},
    {C::kManageCases, "manage_cases", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReadHealthCodes, "read_health_codes", {MK_STAFF, R::kCitizen, R::kCheckpointOfficer}},
    {C::kHoldCredential, "hold_credential", {MK_STAFF, R::kCitizen}},
    {C::kVerify, "verify", {MK_STAFF, R::kCheckpointOfficer, R::kDevice}},
    {C::kIssueCertificates, "issue_certificates", {R::kAdmin, R::kClinician, R::kLabTechnician}},
    {C::kRecordTests, "record_tests", {R::kAdmin, R::kLabTechnician, R::kClinician, R::kTracer}},
    {C::kRecordVaccinations, "record_vaccinations", {R::kAdmin, R::kClinician}},
    {C::kRecordSymptoms, "record_symptoms", {MK_STAFF}},
    {C::kReportOwnSymptoms, "report_own_symptoms", {R::kCitizen}},
    {C::kReadPolicy, "read_policy", {MK_STAFF}},
    {C::kManagePolicy, "manage_policy", {R::kAdmin}},
    {C::kDeclareRiskAreas, "declare_risk_areas", {R::kAdmin, R::kCommandOfficer}},
    {C::kRevokeCredentials, "revoke_credentials", {R::kAdmin, R::kCommandOfficer}},
    {C::kManageTrust, "manage_trust", {R::kAdmin}},
    {C::kReadAlerts, "read_alerts", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kAcknowledgeAlerts, "acknowledge_alerts", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReportReadings, "report_readings", {R::kDevice, R::kCheckpointOfficer}},
    {C::kManagePartnerNetwork, "manage_partner_network", {R::kAdmin}},
    {C::kReadTelehealth, "read_telehealth", {R::kAdmin, R::kClinician, R::kCitizen}},
    {C::kBookConsultation, "book_consultation", {R::kAdmin, R::kClinician, R::kCitizen}},
    {C::kConsult, "consult", {R::kAdmin, R::kClinician}},
    {C::kConsultMessage, "consult_message", {R::kAdmin, R::kClinician, R::kCitizen}},
    {C::kGrantConsent, "grant_consent", {R::kAdmin, R::kCitizen}},
    {C::kRefer, "refer", {R::kAdmin, R::kClinician}},
    {C::kManageTransport, "manage_transport", {R::kAdmin, R::kClinician, R::kCitizen}},
    {C::kBill, "bill", {R::kAdmin, R::kClinician}},
    {C::kPay, "pay", {R::kAdmin, R::kClinician, R::kCitizen}},
    {C::kReadDirectives, "read_directives", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kIssueDirectives, "issue_directives", {R::kAdmin, R::kCommandOfficer}},
    {C::kAnswerDirectives, "answer_directives", {R::kAdmin, R::kCommandOfficer}},
    {C::kReadReports, "read_reports", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kSubmitReports, "submit_reports", {R::kAdmin, R::kCommandOfficer}},
    {C::kReadTasks, "read_tasks", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kManageTasks, "manage_tasks", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReadDashboards, "read_dashboards", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kReadMeetings, "read_meetings", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kManageMeetings, "manage_meetings", {R::kAdmin, R::kCommandOfficer}},
    {C::kReadContacts, "read_contacts", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kManageContacts, "manage_contacts", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kAnswerOwnFollowUp, "answer_own_follow_up", {R::kCitizen}},
    {C::kReadLineLists, "read_line_lists", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kManageChains, "manage_chains", {R::kAdmin, R::kCommandOfficer, R::kTracer}},
    {C::kManageTestSites, "manage_test_sites", {R::kAdmin, R::kCommandOfficer}},
    {C::kBookTest, "book_test", {R::kAdmin, R::kCommandOfficer, R::kTracer, R::kCitizen}},
    {C::kTakeSamples, "take_samples", {R::kAdmin, R::kLabTechnician, R::kClinician}},
    {C::kEnterResults, "enter_results", {R::kAdmin, R::kLabTechnician}},
    {C::kReadSamples,
     "read_samples",
     {R::kAdmin, R::kLabTechnician, R::kClinician, R::kCommandOfficer, R::kTracer}},
    {C::kImportPopulation, "import_population", {R::kAdmin}},
    {C::kMergePeople, "merge_people", {R::kAdmin, R::kCommandOfficer}},
    {C::kOpenTickets, "open_tickets", {R::kAdmin, R::kCommandOfficer, R::kCitizen}},
    {C::kAnswerTickets, "answer_tickets", {R::kAdmin, R::kCommandOfficer}},
    {C::kOwnMessages, "own_messages", {R::kCitizen}},
    {C::kReadOutbox, "read_outbox", {R::kAdmin, R::kCommandOfficer}},
    {C::kReadDocuments, "read_documents", {MK_STAFF, R::kCitizen}},
    {C::kAttachDocuments, "attach_documents", {MK_STAFF}},
    {C::kAssessSymptoms, "assess_symptoms", {MK_STAFF, R::kCitizen}},
    {C::kManageScreening, "manage_screening", {R::kAdmin}},
    {C::kSendAnnouncements, "send_announcements", {R::kAdmin, R::kCommandOfficer}},
}};

#undef MK_STAFF

const Entry& Find(Capability c) {
  // The table is in enum order; the static_assert-free check is the test that walks it.
  return kTable[static_cast<size_t>(c)];
}

}  // namespace

std::string_view CapabilityName(Capability c) { return Find(c).name; }

const std::vector<Capability>& AllCapabilities() {
  static const std::vector<Capability> kAll = [] {
    std::vector<Capability> v;
    for (const auto& e : kTable) v.push_back(e.capability);
    return v;
  }();
  return kAll;
}

bool Can(Role role, Capability c) {
  const auto& roles = Find(c).roles;
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<Role> RolesWith(Capability c) {
  std::vector<Role> out;
  for (Role r : AllRoles()) {
    if (Can(r, c)) out.push_back(r);
  }
  return out;
}

Status Require(const Caller& caller, Capability c) {
  if (Can(caller.role, c)) return Status::Ok();
  return Status::PermissionDenied("role " + std::string(RoleName(caller.role)) + " may not " +
                                  std::string(CapabilityName(c)));
}

Status RequireCovers(const Caller& caller, const std::string& path) {
  if (Covers(caller, path)) return Status::Ok();
  return Status::PermissionDenied("outside your org unit");
}

bool IsTopLevel(const Caller& caller) {
  // "/7/" has one id; a unit below has more.
  return caller.org_path.size() > 2 && caller.org_path.find('/', 1) == caller.org_path.size() - 1;
}

Status RequireTopLevel(const Caller& caller) {
  if (IsTopLevel(caller) || caller.org_path == "/") return Status::Ok();
  return Status::PermissionDenied(
      "only staff of a top-level unit may change what every unit relies on");
}

Result<Person> ReadPerson(store::Executor& ex, const Caller& caller, PersonId id,
                          std::string_view action, int64_t now, const char* field) {
  if (caller.role == Role::kCitizen && (!caller.person || *caller.person != id)) {
    return Status::PermissionDenied("citizens may see only their own record");
  }
  // The same words for an id that does not exist and for someone outside the caller's unit.
  const auto not_found = [&] {
    return Status::NotFound("no person " + std::to_string(id.value) + " in your org unit", field);
  };
  auto person = GetPerson(ex, id);
  if (!person.ok()) {
    if (person.status().code() == Code::kNotFound) return not_found();
    return person.status();
  }
  if (caller.role != Role::kCitizen && !Covers(caller, person->org_path)) return not_found();
  RETURN_IF_ERROR(LogAccess(ex, caller, id, action, now));
  return person;
}

Result<Venue> VisibleVenue(store::Executor& ex, const Caller& caller, VenueId id,
                           const char* field) {
  auto venue = GetVenue(ex, id);
  if (venue.ok() && Covers(caller, venue->org_path)) return venue;
  if (!venue.ok() && venue.status().code() != Code::kNotFound) return venue.status();
  return Status::NotFound("no venue " + std::to_string(id.value) + " in your org unit", field);
}

Caller SystemCaller() {
  Caller c;
  c.username = "(command line)";
  c.role = Role::kAdmin;
  c.org_path = "/";  // every path starts with it
  return c;
}

}  // namespace mekong::registry
