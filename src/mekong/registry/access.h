// Who may do what. One table gives each role its capabilities; a route or a CLI command names
// the capability it needs, and a service checks the caller's scope on every record it reads
// or writes (a commune officer acts in their commune, a district officer in its communes, a
// citizen on their own record). docs/access.md explains the rules this table encodes.
#pragma once

#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/registry/auth.h"

namespace mekong::registry {

enum class Capability {
  kSignedIn,        // anyone with a session or key: who am I, sign out
  kReadOrgUnits,    // the org-unit tree
  kManageOrgUnits,  // add units under one's own
  kReadPeople,      // people records (a citizen: their own)
  kRegisterPeople,  // add residents and foreigners; confirm travellers' registrations
  kReadVenues,
  kManageVenues,  // register venues, print their posters
  kReadFacilities,
  kManageFacilities,
  kManageUsers,
  kReadAccessLog,
  kCheckIn,         // one check-in or check-out (a citizen: themself)
  kIngestCheckins,  // batches from scanners and gates
  kReadCheckins,    // a person's visits (a citizen: their own)
  kTrace,           // contacts, co-travellers, trips
  kReadOccupancy,
  kSelfCheck,     // a citizen's own exposure check
  kManageTravel,  // trips, passengers, manifests
  kReadCases,
  kManageCases,        // confirm, release
  kReadHealthCodes,    // a person's colour and reasons (a citizen: their own)
  kHoldCredential,     // a signed code to show (a citizen: their own)
  kVerify,             // verify scanned codes and certificates
  kIssueCertificates,  // EU DCCs
  kRecordTests,
  kRecordVaccinations,
  kRecordSymptoms,  // staff recording for someone; citizens report their own
  kReportOwnSymptoms,
  kReadPolicy,
  kManagePolicy,      // activate a policy version
  kDeclareRiskAreas,  // within one's own unit
  kRevokeCredentials,
  kManageTrust,  // foreign issuers, signing keys: the whole installation
  kReadAlerts,
  kAcknowledgeAlerts,
  kReportReadings,  // gate temperatures, camera counts
  // Telehealth (docs/telehealth.md). A citizen acts on their own bookings and records; a
  // clinician on the work of the partner hospital they belong to; an admin on hospitals in
  // their org unit.
  kManagePartnerNetwork,  // hospitals, departments, practitioners, hours, fees, rates
  kReadTelehealth,        // appointments, consultations, referrals, transport, invoices
  kBookConsultation,      // book, cancel, reschedule (a citizen: their own)
  kConsult,               // write the consultation record: description, notes, diagnoses
  kConsultMessage,        // messages in a consultation one takes part in
  kGrantConsent,          // a patient's consent to a hospital (a citizen: their own)
  kRefer,                 // refer to a partner hospital, follow and answer referrals
  kManageTransport,       // apply (a citizen: for themself); review, schedule (staff)
  kBill,                  // quotes, invoices, refunds
  kPay,                   // record a payment (a citizen: on their own invoice)
  // The command centre (docs/command.md): directives go down the tree, reports up; a unit acts
  // on its own records and reads those of the units below it.
  kReadDirectives,    // directives issued in or addressed to one's subtree
  kIssueDirectives,   // to units strictly below one's own, never upward or sideways
  kAnswerDirectives,  // acknowledge, report done, for one's own unit
  kReadReports,       // situation reports of one's subtree, the roll-up, who has not reported
  kSubmitReports,     // one's own unit's daily report
  kReadTasks,
  kManageTasks,     // create, assign, change status, inside one's subtree
  kReadDashboards,  // figures of one's subtree
  kReadMeetings,    // teleconferences one's subtree convenes or takes part in
  kManageMeetings,  // convene units below one's own, cancel one's unit's
  // Outbreak management (docs/outbreak.md). Staff act inside their org unit.
  kReadContacts,       // contacts, their follow-up and daily checks
  kManageContacts,     // add contacts, answer checks for them, bulk actions
  kAnswerOwnFollowUp,  // a citizen answers their own daily check
  kReadLineLists,      // line lists, CSV exports, epidemic curves, Rt
  kManageChains,       // transmission edges, clusters and events
  kManageTestSites,    // test sites and their appointment slots
  kBookTest,           // book or cancel a test appointment (a citizen: their own)
  kTakeSamples,        // label a sample taken from a person
  kEnterResults,       // a lab technician's results, one by one or as a CSV batch
  kReadSamples,        // samples and results
  kImportPopulation,   // the population register import
  kMergePeople,        // duplicate candidates, and merging two records of one person
  // Hotline and feedback tickets (docs/command.md).
  kOpenTickets,    // open a ticket (a citizen: for themself), read and answer one's own
  kAnswerTickets,  // the unit's desk: read, answer and close its subtree's tickets
  // The message outbox (docs/outbox.md).
  kOwnMessages,  // a citizen reads their messages and chooses their language and channels
  kReadOutbox,   // the deliveries of one's subtree's people; retry a failed one
  // Documents attached to records (docs/documents.md): the record's own rules decide which.
  kReadDocuments,    // list and download those of records one may read (a citizen: theirs)
  kAttachDocuments,  // attach to records one may attach to
  // The symptom self-assessment (docs/screening.md).
  kAssessSymptoms,   // answer the questionnaire (a citizen: for themself; staff: in their unit)
  kManageScreening,  // activate a questionnaire version
  // Announcements to everyone in a unit (docs/outbox.md).
  kSendAnnouncements,  // write one to one's own unit or a unit below it
};

std::string_view CapabilityName(Capability c);
const std::vector<Capability>& AllCapabilities();
bool Can(Role role, Capability c);
// The roles that have `c`, in AllRoles() order.
std::vector<Role> RolesWith(Capability c);

// permission_denied naming the role and the capability unless the role has it.
Status Require(const Caller& caller, Capability c);
// permission_denied unless the caller's org unit covers `path` ("outside your org unit").
Status RequireCovers(const Caller& caller, const std::string& path);
// True for a caller whose org unit is a root of the tree (the whole installation).
bool IsTopLevel(const Caller& caller);
// permission_denied unless the caller's org unit is a root: changes that reach every unit
// (trust, signing keys, the policy's rules) are made at the top.
Status RequireTopLevel(const Caller& caller);

// The operator at the command line: an administrator over the whole tree.
Caller SystemCaller();

struct Person;
// A person's record for someone allowed to see it (a citizen: only themself; staff: people in
// their org unit), with the read written to the access log as `action`. Someone outside the
// caller's unit is not_found naming `field`, like an id that does not exist, so that ids
// cannot be probed.
Result<Person> ReadPerson(store::Executor& ex, const Caller& caller, PersonId id,
                          std::string_view action, int64_t now, const char* field = "id");

struct Venue;
// A venue read by its id (a route's path) inside the caller's unit; outside it, not_found in
// the same words as an id that does not exist.
Result<Venue> VisibleVenue(store::Executor& ex, const Caller& caller, VenueId id,
                           const char* field = "id");

}  // namespace mekong::registry
