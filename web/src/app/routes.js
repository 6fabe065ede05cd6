// The route table: every screen of the application, who may open it and which catalogue
// areas it needs. To add a screen, add one line here (see web/README.md, "Adding a screen").
//
//   path     history-API path; ':name' segments become props.params.name
//   areas    catalogue areas loaded before the screen renders ('common' always is)
//   roles    roles that may open it (API roles: citizen, venue_operator, checkpoint_officer,
//            tracer, command_officer, clinician, lab_technician, admin); absent = public
//   nav      catalogue key of its navigation label, for screens in the menu
//   load     lazy import: each screen (and what it alone uses) is its own chunk
//   print    true for screens that print (hides the shell when printing)
//   wall     true for wall-screen layouts (no menu, large type)

const CITIZEN = ['citizen'];
const VERIFIERS = ['checkpoint_officer', 'admin', 'command_officer', 'tracer', 'clinician', 'lab_technician'];
const VENUES = ['venue_operator', 'admin', 'command_officer'];
const ALERTS = ['admin', 'command_officer', 'tracer'];
const TRACERS = ['tracer', 'command_officer', 'admin'];
const COMMAND = ['command_officer', 'admin'];
const ADMIN = ['admin'];
const LAB = ['lab_technician', 'admin'];
const VACCINATORS = ['clinician', 'admin'];
// Telehealth staff: a partner hospital's clinicians (experts and local doctors, docs/telehealth.md)
// and the admins of its facility's unit; the server decides which hospital each acts for.
const TELE_STAFF = ['clinician', 'admin'];
// The hotline desk: the unit's staff who answer tickets (the server lets admins and command
// officers, for their unit's subtree).
const HOTLINE = ['command_officer', 'admin'];
// The message outbox's deliveries: the staff of a unit, for the people of its subtree.
const OUTBOX = ['command_officer', 'admin'];
// Test sites and their slots: the server's manage_test_sites (docs/outbreak.md, "Capabilities").
const SITES = ['command_officer', 'admin'];
// The population register import: the server's import_population, the admin's alone.
const IMPORT = ['admin'];

export const ROUTES = [
  { path: '/sign-in', areas: ['auth'], load: () => import('../areas/auth/SignIn.jsx') },
  { path: '/register', areas: ['auth', 'register'], load: () => import('../areas/register/Register.jsx') },

  { path: '/me/code', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.code', load: () => import('../areas/citizen/HealthCode.jsx') },
  { path: '/me/check-in', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.checkIn', load: () => import('../areas/citizen/CheckIn.jsx') },
  { path: '/me/visits', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.visits', load: () => import('../areas/citizen/Visits.jsx') },
  { path: '/me/exposure', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.exposure', load: () => import('../areas/citizen/Exposure.jsx') },
  { path: '/me/symptoms', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.symptoms', load: () => import('../areas/citizen/Symptoms.jsx') },
  { path: '/me/assessment', areas: ['screening'], roles: CITIZEN, nav: 'common.nav.assessment', load: () => import('../areas/screening/Assessment.jsx') },
  { path: '/me/certificates', areas: ['citizen'], roles: CITIZEN, nav: 'common.nav.certificates', load: () => import('../areas/citizen/Certificates.jsx') },
  { path: '/me/telehealth', areas: ['telehealth'], roles: CITIZEN, nav: 'common.nav.telehealth', load: () => import('../areas/telehealth/FindExpert.jsx') },
  { path: '/me/telehealth/experts/:id', areas: ['telehealth'], roles: CITIZEN, load: () => import('../areas/telehealth/Slots.jsx') },
  { path: '/me/telehealth/bookings', areas: ['telehealth', 'documents'], roles: CITIZEN, nav: 'common.nav.bookings', load: () => import('../areas/telehealth/Bookings.jsx') },
  { path: '/me/tests', areas: ['testing'], roles: CITIZEN, nav: 'common.nav.tests', load: () => import('../areas/testing/BookTest.jsx') },
  { path: '/me/tests/bookings', areas: ['testing'], roles: CITIZEN, nav: 'common.nav.myTests', load: () => import('../areas/testing/MyTests.jsx') },
  { path: '/me/follow-up', areas: ['testing'], roles: CITIZEN, nav: 'common.nav.dailyCheck', load: () => import('../areas/testing/FollowUp.jsx') },
  { path: '/me/questions', areas: ['hotline'], roles: CITIZEN, nav: 'common.nav.questions', load: () => import('../areas/hotline/MyQuestions.jsx') },
  { path: '/me/questions/:id', areas: ['hotline'], roles: CITIZEN, load: () => import('../areas/hotline/MyQuestion.jsx') },
  { path: '/me/messages', areas: ['messages'], roles: CITIZEN, nav: 'common.nav.messages', load: () => import('../areas/messages/Inbox.jsx') },
  { path: '/telehealth/desk', areas: ['telehealth'], roles: ['clinician'], nav: 'common.nav.desk', load: () => import('../areas/telehealth/ExpertDesk.jsx') },
  { path: '/telehealth/consultations/:id', areas: ['telehealth', 'documents'], roles: TELE_STAFF, load: () => import('../areas/telehealth/Consultation.jsx') },
  { path: '/telehealth/referrals', areas: ['telehealth'], roles: TELE_STAFF, nav: 'common.nav.referrals', load: () => import('../areas/telehealth/Referrals.jsx') },
  { path: '/telehealth/transports', areas: ['telehealth'], roles: TELE_STAFF, nav: 'common.nav.transports', load: () => import('../areas/telehealth/Transport.jsx') },
  { path: '/telehealth/transports/:id', areas: ['telehealth'], roles: TELE_STAFF, load: () => import('../areas/telehealth/Transport.jsx') },
  { path: '/telehealth/billing', areas: ['telehealth'], roles: TELE_STAFF, nav: 'common.nav.billing', load: () => import('../areas/telehealth/Billing.jsx') },

  { path: '/checkpoint', areas: ['checkpoint'], roles: VERIFIERS, nav: 'common.nav.checkpoint', load: () => import('../areas/checkpoint/Checkpoint.jsx') },

  { path: '/venues', areas: ['venue'], roles: VENUES, nav: 'common.nav.venues', load: () => import('../areas/venue/Venues.jsx') },
  { path: '/venues/:id', areas: ['venue'], roles: VENUES, load: () => import('../areas/venue/Occupancy.jsx') },
  { path: '/venues/:id/poster', areas: ['venue'], roles: VENUES, print: true, load: () => import('../areas/venue/Poster.jsx') },

  { path: '/alerts', areas: ['alerts'], roles: ALERTS, nav: 'common.nav.alerts', load: () => import('../areas/alerts/Alerts.jsx') },

  { path: '/cases', areas: ['tracer'], roles: TRACERS, nav: 'common.nav.cases', load: () => import('../areas/tracer/Cases.jsx') },
  { path: '/cases/new', areas: ['tracer'], roles: TRACERS, load: () => import('../areas/tracer/ConfirmCase.jsx') },
  { path: '/cases/:id', areas: ['tracer'], roles: TRACERS, load: () => import('../areas/tracer/Case.jsx') },
  { path: '/people/:id/contacts', areas: ['tracer'], roles: TRACERS, load: () => import('../areas/tracer/PersonContacts.jsx') },

  { path: '/epi', areas: ['epi'], roles: TRACERS, nav: 'common.nav.epi', load: () => import('../areas/epi/EpiCurve.jsx') },
  { path: '/population/duplicates', areas: ['population'], roles: COMMAND, nav: 'common.nav.duplicates', load: () => import('../areas/population/Duplicates.jsx') },
  { path: '/population/import', areas: ['population'], roles: IMPORT, nav: 'common.nav.populationImport', load: () => import('../areas/population/Import.jsx') },
  { path: '/outbreak/cases', areas: ['outbreak'], roles: TRACERS, nav: 'common.nav.caseList', load: () => import('../areas/outbreak/Cases.jsx') },
  { path: '/outbreak/cases/:id', areas: ['outbreak', 'documents'], roles: TRACERS, load: () => import('../areas/outbreak/Case.jsx') },
  { path: '/outbreak/follow-up', areas: ['outbreak'], roles: TRACERS, nav: 'common.nav.followUp', load: () => import('../areas/outbreak/FollowUp.jsx') },
  { path: '/outbreak/sites', areas: ['sites'], roles: SITES, nav: 'common.nav.testSites', load: () => import('../areas/sites/Sites.jsx') },
  { path: '/outbreak/sites/:id', areas: ['sites'], roles: SITES, load: () => import('../areas/sites/Site.jsx') },
  { path: '/lab', areas: ['outbreak'], roles: LAB, nav: 'common.nav.lab', load: () => import('../areas/outbreak/Lab.jsx') },
  { path: '/outbreak/vaccinations', areas: ['outbreak'], roles: VACCINATORS, nav: 'common.nav.vaccinations', load: () => import('../areas/outbreak/Vaccination.jsx') },

  { path: '/command/map', areas: ['command'], roles: COMMAND, nav: 'common.nav.map', load: () => import('../areas/command/UnitMap.jsx') },
  { path: '/command/directives', areas: ['command', 'documents'], roles: COMMAND, nav: 'common.nav.directives', load: () => import('../areas/command/Directives.jsx') },
  { path: '/command/meetings', areas: ['command', 'documents'], roles: TRACERS, nav: 'common.nav.meetings', load: () => import('../areas/command/Meetings.jsx') },
  { path: '/command/tasks', areas: ['command'], roles: COMMAND, nav: 'common.nav.tasks', load: () => import('../areas/command/Tasks.jsx') },
  { path: '/command/tasks/:id', areas: ['command'], roles: COMMAND, load: () => import('../areas/command/Task.jsx') },
  { path: '/command/reports', areas: ['command', 'documents'], roles: COMMAND, nav: 'common.nav.reports', load: () => import('../areas/command/Reports.jsx') },
  { path: '/hotline', areas: ['hotline'], roles: HOTLINE, nav: 'common.nav.hotline', load: () => import('../areas/hotline/Queue.jsx') },
  { path: '/hotline/new', areas: ['hotline'], roles: HOTLINE, load: () => import('../areas/hotline/RecordCall.jsx') },
  { path: '/hotline/tickets/:id', areas: ['hotline'], roles: HOTLINE, load: () => import('../areas/hotline/DeskTicket.jsx') },
  { path: '/outbox', areas: ['messages'], roles: OUTBOX, nav: 'common.nav.outbox', load: () => import('../areas/messages/Outbox.jsx') },
  { path: '/outbox/:id', areas: ['messages'], roles: OUTBOX, load: () => import('../areas/messages/Delivery.jsx') },
  { path: '/command/wall', areas: ['command', 'alerts'], roles: COMMAND, nav: 'common.nav.wall', wall: true, load: () => import('../areas/command/Wall.jsx') },

  { path: '/admin/users', areas: ['admin'], roles: ADMIN, nav: 'common.nav.users', load: () => import('../areas/admin/Users.jsx') },
  { path: '/admin/policy', areas: ['admin'], roles: ADMIN, nav: 'common.nav.policy', load: () => import('../areas/admin/Policy.jsx') },
  { path: '/admin/screening', areas: ['admin'], roles: ADMIN, nav: 'common.nav.screening', load: () => import('../areas/admin/Screening.jsx') },
  { path: '/admin/keys', areas: ['admin'], roles: ADMIN, nav: 'common.nav.keys', load: () => import('../areas/admin/Keys.jsx') },
  { path: '/admin/trust', areas: ['admin'], roles: ADMIN, nav: 'common.nav.trust', load: () => import('../areas/admin/Trust.jsx') },

  { path: '/welcome', areas: [], roles: ['clinician', 'lab_technician', 'device'], load: () => import('../areas/auth/Welcome.jsx') },
];

/** Where each role lands after signing in (the role-aware home). */
export const HOME = {
  citizen: '/me/code',
  checkpoint_officer: '/checkpoint',
  venue_operator: '/venues',
  command_officer: '/alerts',
  tracer: '/cases',
  admin: '/alerts',
  clinician: '/telehealth/desk', // an expert's calendar; a local doctor is told where referrals are
  lab_technician: '/lab',
  device: '/welcome',
};

export const homeFor = (role) => HOME[role] || '/welcome';

export const navFor = (role) => ROUTES.filter((r) => r.nav && r.roles?.includes(role));
