// The telehealth tables. Prefixed tele_; ids are registry ids where a row belongs to a
// registry record (a hospital is a facility, a practitioner a user, a patient a person).
#include "mekong/telehealth/service.h"

namespace mekong::telehealth {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE tele_hospital (
  facility_id BIGINT PRIMARY KEY REFERENCES facility (id),
  country TEXT NOT NULL,
  zone TEXT NOT NULL,
  languages TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE tele_department (
  id {id},
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  name TEXT NOT NULL,
  UNIQUE (hospital_id, name)
);

CREATE TABLE tele_practitioner (
  id {id},
  user_id BIGINT NOT NULL UNIQUE REFERENCES app_user (id),
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  department_id BIGINT REFERENCES tele_department (id),
  name TEXT NOT NULL,
  specialties TEXT NOT NULL,
  languages TEXT NOT NULL,
  bookable BIGINT NOT NULL,
  slot_minutes BIGINT NOT NULL,
  min_notice_minutes BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX tele_practitioner_hospital ON tele_practitioner (hospital_id);

CREATE TABLE tele_weekly_hours (
  practitioner_id BIGINT NOT NULL REFERENCES tele_practitioner (id),
  weekday BIGINT NOT NULL,
  start_minute BIGINT NOT NULL,
  end_minute BIGINT NOT NULL,
  PRIMARY KEY (practitioner_id, weekday, start_minute)
);

CREATE TABLE tele_closure (
  id {id},
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  practitioner_id BIGINT REFERENCES tele_practitioner (id),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX tele_closure_hospital ON tele_closure (hospital_id, to_date);

CREATE TABLE tele_appointment (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES person (id),
  practitioner_id BIGINT NOT NULL REFERENCES tele_practitioner (id),
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'pending', 'booked', 'arrived',
    'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist')),
  holds_slot BIGINT NOT NULL,
  patient_zone TEXT NOT NULL,
  reason TEXT NOT NULL,
  cancel_reason TEXT NOT NULL,
  rescheduled_from BIGINT REFERENCES tele_appointment (id),
  booked_by BIGINT NOT NULL REFERENCES app_user (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (end_at > start_at)
);
-- One appointment holds a slot: the database, not a process, refuses the second booking.
CREATE UNIQUE INDEX tele_appointment_slot ON tele_appointment (practitioner_id, start_at)
  WHERE holds_slot = 1;
CREATE INDEX tele_appointment_patient ON tele_appointment (patient_id, start_at);
CREATE INDEX tele_appointment_expert ON tele_appointment (practitioner_id, start_at);

CREATE TABLE tele_consultation (
  id {id},
  appointment_id BIGINT UNIQUE REFERENCES tele_appointment (id),
  patient_id BIGINT NOT NULL REFERENCES person (id),
  expert_id BIGINT NOT NULL REFERENCES tele_practitioner (id),
  expert_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  referring_id BIGINT REFERENCES tele_practitioner (id),
  referring_hospital_id BIGINT REFERENCES tele_hospital (facility_id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'finished', 'cancelled')),
  video_url TEXT NOT NULL,
  history TEXT NOT NULL,
  findings TEXT NOT NULL,
  expert_notes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tele_consultation_patient ON tele_consultation (patient_id);

CREATE TABLE tele_vital (
  id {id},
  consultation_id BIGINT NOT NULL REFERENCES tele_consultation (id),
  loinc TEXT NOT NULL,
  value TEXT NOT NULL,
  unit TEXT NOT NULL,
  observed_at BIGINT NOT NULL
);
CREATE INDEX tele_vital_consultation ON tele_vital (consultation_id);

CREATE TABLE tele_attachment (
  id {id},
  consultation_id BIGINT NOT NULL REFERENCES tele_consultation (id),
  reference TEXT NOT NULL
);
CREATE INDEX tele_attachment_consultation ON tele_attachment (consultation_id);

CREATE TABLE tele_diagnosis (
  id {id},
  consultation_id BIGINT NOT NULL REFERENCES tele_consultation (id),
  icd10 TEXT NOT NULL,
  text TEXT NOT NULL,
  by_user BIGINT NOT NULL REFERENCES app_user (id),
  at BIGINT NOT NULL
);
CREATE INDEX tele_diagnosis_consultation ON tele_diagnosis (consultation_id);

CREATE TABLE tele_prescription (
  id {id},
  consultation_id BIGINT NOT NULL REFERENCES tele_consultation (id),
  medication TEXT NOT NULL,
  dose TEXT NOT NULL,
  route TEXT NOT NULL,
  frequency TEXT NOT NULL,
  duration_days BIGINT NOT NULL,
  notes TEXT NOT NULL,
  by_user BIGINT NOT NULL REFERENCES app_user (id),
  at BIGINT NOT NULL
);
CREATE INDEX tele_prescription_consultation ON tele_prescription (consultation_id);

CREATE TABLE tele_message (
  id {id},
  consultation_id BIGINT NOT NULL REFERENCES tele_consultation (id),
  author_id BIGINT NOT NULL REFERENCES app_user (id),
  author_role TEXT NOT NULL,
  body TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX tele_message_consultation ON tele_message (consultation_id, at);

CREATE TABLE tele_consent (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES person (id),
  grantee_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  kinds TEXT NOT NULL,
  consultation_id BIGINT REFERENCES tele_consultation (id),
  from_at BIGINT NOT NULL,
  until_at BIGINT NOT NULL,
  revoked_at BIGINT,
  created_by BIGINT NOT NULL REFERENCES app_user (id),
  created_at BIGINT NOT NULL,
  CHECK (until_at > from_at)
);
CREATE INDEX tele_consent_patient ON tele_consent (patient_id, grantee_hospital_id);

CREATE TABLE tele_referral (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES person (id),
  consultation_id BIGINT REFERENCES tele_consultation (id),
  from_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  to_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  requester_id BIGINT NOT NULL REFERENCES app_user (id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'in-progress', 'completed',
    'rejected', 'cancelled')),
  status_reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tele_referral_patient ON tele_referral (patient_id);
CREATE INDEX tele_referral_to ON tele_referral (to_hospital_id, status);
CREATE INDEX tele_referral_from ON tele_referral (from_hospital_id, status);

CREATE TABLE tele_transport (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES person (id),
  origin_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  destination_hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  medical_need TEXT NOT NULL,
  escort TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'in-review', 'approved', 'refused',
    'scheduled', 'completed', 'cancelled')),
  status_reason TEXT NOT NULL,
  scheduled_at BIGINT,
  applicant_id BIGINT NOT NULL REFERENCES app_user (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tele_transport_patient ON tele_transport (patient_id);

CREATE TABLE tele_transport_document (
  transport_id BIGINT NOT NULL REFERENCES tele_transport (id),
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  attached_at BIGINT NOT NULL,
  PRIMARY KEY (transport_id, kind)
);

CREATE TABLE tele_fee (
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (hospital_id, code)
);

CREATE TABLE tele_exchange_rate (
  id {id},
  from_currency TEXT NOT NULL,
  to_currency TEXT NOT NULL,
  units BIGINT NOT NULL CHECK (units > 0),
  scale BIGINT NOT NULL,
  as_of TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (from_currency, to_currency, as_of)
);

CREATE TABLE tele_invoice (
  id {id},
  patient_id BIGINT NOT NULL REFERENCES person (id),
  hospital_id BIGINT NOT NULL REFERENCES tele_hospital (facility_id),
  appointment_id BIGINT REFERENCES tele_appointment (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'balanced', 'cancelled')),
  source_currency TEXT NOT NULL,
  source_total BIGINT NOT NULL,
  currency TEXT NOT NULL,
  total BIGINT NOT NULL,
  paid BIGINT NOT NULL,
  rate_units BIGINT,
  rate_scale BIGINT,
  rate_as_of TEXT,
  rate_source TEXT,
  created_by BIGINT NOT NULL REFERENCES app_user (id),
  created_at BIGINT NOT NULL,
  issued_at BIGINT,
  CHECK (paid >= 0 AND paid <= total)
);
CREATE INDEX tele_invoice_patient ON tele_invoice (patient_id);

CREATE TABLE tele_charge_line (
  invoice_id BIGINT NOT NULL REFERENCES tele_invoice (id),
  line BIGINT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_minor BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  converted_minor BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, line)
);

CREATE TABLE tele_payment (
  id {id},
  invoice_id BIGINT NOT NULL REFERENCES tele_invoice (id),
  provider TEXT NOT NULL,
  method TEXT NOT NULL,
  refund BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  reference TEXT NOT NULL,
  by_user BIGINT NOT NULL REFERENCES app_user (id),
  at BIGINT NOT NULL
);
CREATE INDEX tele_payment_invoice ON tele_payment (invoice_id);
)sql"},
};

}  // namespace

const store::Module kModule{"telehealth", {"registry", "outbox"}, {{"telehealth", kMigrations}}};

}  // namespace mekong::telehealth
