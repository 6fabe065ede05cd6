"""Cross-border telehealth through the server: the thalassemia story end to end, who may see
what across hospitals, and bad input named by field.

The cast: a Vietnamese patient in a Móng Cái ward (Asia/Ho_Chi_Minh); Móng Cái General Hospital
(VN, VND) where his local doctor works; the First Affiliated Hospital in Nanning (CN,
Asia/Shanghai, CNY) with a haematology expert who speaks Vietnamese; and Bãi Cháy hospital
(VN), the local partner he is referred to. Each test uses its own slots of the expert's week.
"""
import datetime
import threading
from decimal import Decimal, ROUND_HALF_EVEN

from harness import ApiTestCase

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
PASSWORD = "tele-pass-2026"


def shanghai(day, hour, minute=0):
    """RFC 3339 UTC of a wall-clock time in Nanning on `day` (a date)."""
    t = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_date(days=0):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)).date().isoformat()


def future(days):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class TelehealthTest(ApiTestCase):
    maxDiff = None

    @classmethod
    def call(cls, method, path, body=None, token=None, expect=200, raw=False):
        status, payload, headers = cls.server.request(method, path, body, token=token or cls.admin)
        if status != expect:
            raise AssertionError("%s %s: %s, expected %s: %s" % (method, path, status, expect, payload))
        return (payload, headers) if raw else payload

    @classmethod
    def user(cls, username, role, unit, person=None):
        body = {"username": username, "password": PASSWORD, "role": role, "org_unit_id": unit}
        if person:
            body["person_id"] = person
        made = cls.call("POST", "/api/v1/users", body, expect=201)
        return made["id"], cls.server.login(username, PASSWORD)

    @classmethod
    def hospital(cls, name, unit, country, zone, currency, languages):
        f = cls.call("POST", "/api/v1/facilities", {"name": name, "kind": "hospital", "org_unit_id": unit},
                     expect=201)
        h = cls.call("POST", "/api/v1/telehealth/hospitals", {
            "facility_id": f["id"], "country": country, "zone": zone, "currency": currency,
            "languages": languages}, expect=201)
        return h["id"]

    @classmethod
    def practitioner(cls, username, unit, hospital, name, specialties, languages, bookable):
        user_id, token = cls.user(username, "clinician", unit)
        p = cls.call("POST", "/api/v1/telehealth/practitioners", {
            "user_id": user_id, "hospital_id": hospital, "name": name, "specialties": specialties,
            "languages": languages, "bookable": bookable}, expect=201)
        return p["id"], token

    @classmethod
    def patient(cls, name, number):
        p = cls.call("POST", "/api/v1/people", {
            "full_name": name, "document_type": "national_id", "document_number": number,
            "nationality": "VN", "language": "vi", "org_unit_id": cls.ward}, expect=201)
        _, token = cls.user("patient.%s" % number, "citizen", cls.ward, p["id"])
        return p["id"], token

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        province = s.org_unit_id("VN-QN", cls.admin)
        cls.guangxi = cls.call("POST", "/api/v1/org-units", {
            "parent_id": province, "level": "partner", "name": "Quảng Tây (Nam Ninh)", "code": "CN-GX-T",
            "time_zone": "Asia/Shanghai"}, expect=201)["id"]
        mong_cai = s.org_unit_id("QN-04", cls.admin)
        cls.ward = cls.call("POST", "/api/v1/org-units", {
            "parent_id": mong_cai, "level": "commune", "name": "Phường Trần Phú", "code": "QN-04-TP",
            "time_zone": "Asia/Ho_Chi_Minh"}, expect=201)["id"]
        ha_long = s.org_unit_id("QN-01", cls.admin)

        cls.nanning = cls.hospital("First Affiliated Hospital, Nanning", cls.guangxi, "CN", "Asia/Shanghai",
                                   "CNY", ["zh", "en", "vi"])
        cls.mongcai = cls.hospital("Mong Cai General Hospital", mong_cai, "VN", "Asia/Ho_Chi_Minh", "VND",
                                   ["vi", "en"])
        cls.baichay = cls.hospital("Bai Chay Hospital", ha_long, "VN", "Asia/Ho_Chi_Minh", "VND", ["vi"])

        cls.expert, cls.expert_token = cls.practitioner("dr.liwei", cls.guangxi, cls.nanning, "Dr. Li Wei",
                                                        ["hematology"], ["zh", "en", "vi"], True)
        cls.other_expert, _ = cls.practitioner("dr.zhang", cls.guangxi, cls.nanning, "Dr. Zhang Min",
                                               ["hematology"], ["zh"], True)
        cls.local, cls.local_token = cls.practitioner("dr.lan", mong_cai, cls.mongcai, "Dr. Nguyen Thi Lan",
                                                      [], ["vi"], False)
        cls.baichay_doc, cls.baichay_token = cls.practitioner("dr.hung", ha_long, cls.baichay,
                                                              "Dr. Tran Van Hung", [], ["vi"], False)
        weekly = [{"weekday": d, "start_minute": 8 * 60, "end_minute": 12 * 60} for d in range(1, 6)]
        for expert in (cls.expert, cls.other_expert):
            p = cls.call("PUT", "/api/v1/telehealth/practitioners/%d/hours" % expert, {"weekly": weekly})
        assert p["weekly"] == weekly, p

        cls.patient_id, cls.patient_token = cls.patient("Nguyễn Văn An", "031200000001")
        cls.other_id, cls.other_token = cls.patient("Trần Thị Bình", "031200000002")

        # The Monday (in Nanning) at least two days ahead, and the next ones.
        today = datetime.datetime.now(SHANGHAI).date()
        ahead = (7 - today.weekday()) % 7
        cls.monday = today + datetime.timedelta(days=ahead if ahead >= 2 else ahead + 7)

    def test_demo_partner_network(self):
        """The demo region's partner network, as the screens find it: Bãi Cháy and Nanning, a
        Vietnamese-speaking haematologist in China with slots in Hạ Long's time, fees."""
        tok = self.server.login("citizen")
        hospitals = self.call("GET", "/api/v1/telehealth/hospitals", token=tok)["items"]
        by_country = {}
        for h in hospitals:
            by_country.setdefault(h["country"], []).append(h)
        self.assertTrue(any(h["currency"] == "CNY" and h["zone"] == "Asia/Shanghai" for h in by_country["CN"]))
        self.assertTrue(any(h["name"] == "Bệnh viện Bãi Cháy" for h in by_country["VN"]))
        found = self.call("GET", "/api/v1/telehealth/experts?specialty=hematology&language=vi&country=CN",
                          token=tok)["items"]
        demo = [e for e in found if e["practitioner"]["name"].startswith("Dr. Li Wei (")]
        self.assertEqual(len(demo), 1, found)
        expert = demo[0]["practitioner"]
        monday = self.monday.isoformat()
        slots = self.call("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Asia/Ho_Chi_Minh"
                          % (expert["id"], monday), token=tok)["items"]
        self.assertEqual([s["local_time"] for s in slots][:2], ["07:00", "07:30"])
        self.assertEqual(len(slots), 14)  # 08:00-12:00 and 14:00-17:00 in Nanning
        cardio = self.call("GET", "/api/v1/telehealth/experts?specialty=cardiology", token=tok)["items"]
        self.assertEqual([e["practitioner"]["languages"] for e in cardio], [["zh", "en"]])

    def test_bad_input_names_the_field(self):
        s, tok = self.server, self.patient_token
        later = self.monday + datetime.timedelta(days=7)
        tuesday = self.monday + datetime.timedelta(days=1)
        last_week = self.monday - datetime.timedelta(days=7)

        def book(start, token=tok):
            return s.request("POST", "/api/v1/appointments", {
                "practitioner_id": self.other_expert, "start": start,
                "patient_zone": "Asia/Ho_Chi_Minh"}, token=token)

        # A slot in the past; a time the expert does not work (13:00 in Nanning); not a slot's start.
        err = self.assertError(book(shanghai(last_week, 8)), 400, "start")
        self.assertIn("past", err["message"])
        err = self.assertError(book(shanghai(tuesday, 13)), 400, "start")
        self.assertIn("outside the expert's hours", err["message"])
        self.assertIn("Asia/Shanghai", err["message"])
        self.assertError(book(shanghai(tuesday, 8, 10)), 400, "start")
        # A closed day: the hospital closes next week's Monday; no slots, and a booking is refused.
        self.call("POST", "/api/v1/telehealth/hospitals/%d/closures" % self.nanning, {
            "practitioner_id": self.other_expert, "from_date": later.isoformat(), "to_date": later.isoformat(),
            "reason": "hospital holiday"}, expect=201)
        slots = self.call("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Asia/Ho_Chi_Minh"
                          % (self.other_expert, later.isoformat()), token=tok)
        self.assertEqual(slots["items"], [])
        err = self.assertError(book(shanghai(later, 9)), 409, "start")
        self.assertIn("hospital holiday", err["message"])
        # A zone that is not one, an unknown date.
        self.assertError(s.request("POST", "/api/v1/appointments", {
            "practitioner_id": self.other_expert, "start": shanghai(tuesday, 9), "patient_zone": "GMT+7"},
            token=tok), 400, "patient_zone")
        self.assertError(s.request("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Mars/Olympus"
                                   % (self.other_expert, tuesday.isoformat()), token=tok), 400, "tz")
        self.assertError(s.request("GET", "/api/v1/telehealth/practitioners/%d/slots?from=2026-13-01"
                                   % self.other_expert, token=tok), 400, "from")

        # Money: an unknown currency, more decimals than the currency has, another currency.
        self.assertError(s.request("POST", "/api/v1/telehealth/exchange-rates", {
            "from": "XYZ", "to": "VND", "rate": "3512.75", "as_of": utc_date(), "source": "nobody"},
            token=self.admin), 400, "from")
        self.assertError(s.request("POST", "/api/v1/telehealth/exchange-rates", {
            "from": "CNY", "to": "VND", "rate": "3,512.75", "as_of": utc_date(), "source": "nobody"},
            token=self.admin), 400, "rate")
        self.assertError(s.request("PUT", "/api/v1/telehealth/hospitals/%d/fees/consultation" % self.mongcai, {
            "description": "Tư vấn", "amount": {"currency": "VND", "amount": "150000.5"}}, token=self.admin),
            400, "amount.amount")
        self.assertError(s.request("PUT", "/api/v1/telehealth/hospitals/%d/fees/consultation" % self.nanning, {
            "description": "Consultation", "amount": {"currency": "CNY", "amount": "350.505"}}, token=self.admin),
            400, "amount.amount")
        self.assertError(s.request("PUT", "/api/v1/telehealth/hospitals/%d/fees/consultation" % self.nanning, {
            "description": "Consultation", "amount": {"currency": "VND", "amount": "350"}}, token=self.admin),
            400, "amount.currency")
        self.assertError(s.request("PUT", "/api/v1/telehealth/hospitals/%d/fees/consultation" % self.nanning, {
            "description": "Consultation", "amount": {"currency": "CNY", "amount": 350.5}}, token=self.admin),
            400, "amount.amount")  # a JSON number is refused: amounts are decimal text
        self.assertError(s.request("POST", "/api/v1/invoices", {
            "patient_id": self.patient_id, "hospital_id": self.mongcai, "charges": [{"code": "consultation"}],
            "currency": "XYZ"}, token=self.local_token), 400, "currency")
        # Records: a malformed ICD-10 code is refused before anything is looked up; an unknown kind.
        self.assertError(s.request("POST", "/api/v1/consultations/999999/diagnoses", {"icd10": "D5"},
                                   token=self.expert_token), 400, "icd10")
        self.assertError(s.request("POST", "/api/v1/telehealth/consents", {
            "grantee_id": self.nanning, "kinds": ["everything"], "until": future(5)}, token=tok),
            400, "kinds[0]")
        self.assertError(s.request("PUT", "/api/v1/telehealth/practitioners/%d/hours" % self.other_expert, {
            "weekly": [{"weekday": 1, "start_minute": 600, "end_minute": 540}]}, token=self.admin),
            400, "weekly[0].end_minute")

    def test_thalassemia_story(self):
        s = self.server
        tok, other = self.patient_token, self.other_token
        monday = self.monday.isoformat()

        # 1. The patient finds a haematology expert in China who speaks Vietnamese.
        # (The demo's Nanning haematologist is found too: the test's hospital is told apart by id.)
        found = self.call("GET", "/api/v1/telehealth/experts?specialty=hematology&language=vi&country=CN",
                          token=tok)
        for e in found["items"]:
            self.assertIn("hematology", e["practitioner"]["specialties"])
            self.assertIn("vi", e["practitioner"]["languages"])
            self.assertEqual(e["hospital"]["country"], "CN")
        ours = [e for e in found["items"] if e["hospital"]["id"] == self.nanning]
        self.assertEqual([e["practitioner"]["id"] for e in ours], [self.expert])
        self.assertEqual(ours[0]["hospital"]["zone"], "Asia/Shanghai")
        both = self.call("GET", "/api/v1/telehealth/experts?specialty=hematology", token=tok)
        self.assertEqual({e["practitioner"]["id"] for e in both["items"] if e["hospital"]["id"] == self.nanning},
                         {self.expert, self.other_expert})
        self.assertEqual(self.call("GET", "/api/v1/telehealth/experts?specialty=hematology&language=ko",
                                   token=tok)["items"], [])

        # 2. Free slots in his own zone: 08:00-12:00 in Nanning is 07:00-11:00 in Ho Chi Minh City.
        slots = self.call("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Asia/Ho_Chi_Minh"
                          % (self.expert, monday), token=tok)
        self.assertEqual(len(slots["items"]), 8)
        first = slots["items"][0]
        self.assertEqual((first["local_date"], first["local_time"], first["offset_minutes"],
                          first["expert_local_time"]), (monday, "07:00", 420, "08:00"))
        self.assertEqual(first["start"], shanghai(self.monday, 8))

        # 3. Two patients race for the first slot from two threads: one booking, one clear refusal.
        results = {}
        barrier = threading.Barrier(2)

        def race(name, token, body):
            barrier.wait()
            results[name] = s.request("POST", "/api/v1/appointments", body, token=token)

        bodies = {
            "an": {"practitioner_id": self.expert, "start": first["start"], "patient_zone": "Asia/Ho_Chi_Minh",
                   "reason": "beta-thalassaemia follow-up", "referring_id": self.local},
            "binh": {"practitioner_id": self.expert, "start": first["start"], "reason": "second opinion"},
        }
        threads = [threading.Thread(target=race, args=(n, t, bodies[n]))
                   for n, t in (("an", tok), ("binh", other))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(r[0] for r in results.values()), [201, 409], results)
        loser = next(n for n, r in results.items() if r[0] == 409)
        self.assertError(results[loser], 409, "start", "already_exists")
        # The loser takes the next slot.
        bodies[loser]["start"] = slots["items"][1]["start"]
        results[loser] = s.request("POST", "/api/v1/appointments", bodies[loser],
                                   token=tok if loser == "an" else other)
        self.assertEqual(results[loser][0], 201, results[loser])
        booked, binh = results["an"][1], results["binh"][1]
        self.assertEqual(booked["status"], "booked")
        self.assertEqual(booked["local_zone"], "Asia/Ho_Chi_Minh")
        self.assertTrue(booked["local_start"].endswith("+07:00"), booked)
        # Binh's zone came from his ward.
        self.assertEqual(binh["patient_zone"], "Asia/Ho_Chi_Minh")
        left = self.call("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Asia/Ho_Chi_Minh"
                         % (self.expert, monday), token=tok)
        self.assertEqual(len(left["items"]), 6)

        # 4. He moves to 09:00 in Nanning; Binh cancels, which frees his slot.
        appt = self.call("POST", "/api/v1/appointments/%d/reschedule" % booked["id"],
                         {"start": shanghai(self.monday, 9)}, token=tok, expect=201)
        self.assertEqual(appt["rescheduled_from"], booked["id"])
        self.assertEqual(appt["consultation_id"], booked["consultation_id"])
        self.assertEqual(appt["local_start"], "%sT08:00:00+07:00" % monday)
        old = self.call("GET", "/api/v1/appointments/%d" % booked["id"], token=tok)
        self.assertEqual((old["status"], old["cancel_reason"]), ("cancelled", "rescheduled"))
        cancelled = self.call("POST", "/api/v1/appointments/%d/cancel" % binh["id"], {"reason": "feeling better"},
                              token=other)
        self.assertEqual(cancelled["status"], "cancelled")
        left = self.call("GET", "/api/v1/telehealth/practitioners/%d/slots?from=%s&tz=Asia/Ho_Chi_Minh"
                         % (self.expert, monday), token=tok)
        self.assertEqual(len(left["items"]), 7)
        # Each was told to the patient, in the same transaction, with the time as he reads it.
        told = [m for m in self.call("GET", "/api/v1/me/messages?limit=50", token=tok)["items"]
                if m["kind"] in ("appointment_booked", "appointment_rescheduled")]
        self.assertEqual([m["kind"] for m in told], ["appointment_rescheduled", "appointment_booked"])
        self.assertIn("8:00", told[0]["text"])  # 09:00 in Nanning is 08:00 in his zone
        self.assertEqual(told[0]["link"], "/me/telehealth/bookings")
        binh_told = self.call("GET", "/api/v1/me/messages?limit=50", token=other)["items"]
        self.assertIn("feeling better",
                      next(m for m in binh_told if m["kind"] == "appointment_cancelled")["text"])
        mine = self.call("GET", "/api/v1/telehealth/patients/%d/appointments" % self.patient_id, token=tok)
        self.assertEqual([a["id"] for a in mine["items"]], [booked["id"], appt["id"]])
        # The expert's calendar in the expert's zone.
        calendar = self.call("GET", "/api/v1/telehealth/practitioners/%d/calendar?from=%s&to=%s" % (
            self.expert, shanghai(self.monday, 0), shanghai(self.monday + datetime.timedelta(days=1), 0)),
            token=self.expert_token)
        self.assertEqual(calendar["zone"], "Asia/Shanghai")
        mine_there = next(a for a in calendar["items"] if a["id"] == appt["id"])
        self.assertEqual(mine_there["local_start"], "%sT09:00:00+08:00" % monday)
        self.assertError(s.request("GET", "/api/v1/telehealth/practitioners/%d/calendar?from=%s&to=%s" % (
            self.expert, shanghai(self.monday, 0), shanghai(self.monday, 12)), token=tok), 403)

        # 5. The local doctor writes the description with vital signs; a typing error is named.
        consultation = appt["consultation_id"]
        observed = future(-0.05)
        description = {
            "history": "Beta-thalassaemia major, transfusion every 4 weeks since childhood.",
            "findings": "Pallor, splenomegaly 3 cm below the costal margin; Hb 7.2 g/dL.",
            "vitals": [{"loinc": "8867-4", "value": "96", "observed_at": observed},
                       {"loinc": "2708-6", "value": "97", "observed_at": observed},
                       {"loinc": "8310-5", "value": "37.2", "unit": "Cel", "observed_at": observed}],
            "attachments": ["files/lab/hb-electrophoresis.pdf"]}
        bad = dict(description, vitals=[{"loinc": "8867-4", "value": "960", "observed_at": observed}])
        self.assertError(s.request("PUT", "/api/v1/consultations/%d/description" % consultation, bad,
                                   token=self.local_token), 400, "vitals[0].value")
        written = self.call("PUT", "/api/v1/consultations/%d/description" % consultation, description,
                            token=self.local_token)
        self.assertEqual(written["part"], "description")
        # The referring doctor attaches the electrophoresis itself; the patient reads his own file.
        pdf = b"%PDF-1.4\nHb electrophoresis: HbA2 5.8%\n%%EOF\n"
        st, doc, _ = s.request("POST", "/api/v1/documents?subject=consultation&subject_id=%d&filename=hb.pdf"
                               % consultation, raw=pdf, token=self.local_token,
                               headers={"Content-Type": "application/pdf"})
        self.assertEqual(st, 201, doc)
        self.assertEqual([d["id"] for d in self.call(
            "GET", "/api/v1/documents?subject=consultation&subject_id=%d" % consultation, token=tok)["items"]],
            [doc["id"]])
        self.assertEqual(s.request("GET", doc["content_url"], token=tok)[1], pdf)
        self.assertError(s.request("GET", doc["content_url"], token=other), 404, "id")
        self.assertError(s.request("POST", "/api/v1/documents?subject=consultation&subject_id=%d&filename=x.pdf"
                                   % consultation, raw=pdf, token=tok, headers={"Content-Type": "application/pdf"}),
                         403)
        # The expert's hospital may not write the referring doctor's description.
        self.assertError(s.request("PUT", "/api/v1/consultations/%d/description" % consultation, description,
                                   token=self.expert_token), 403)

        # 6. The expert reads it only with the patient's consent.
        read = self.call("GET", "/api/v1/consultations/%d" % consultation, token=self.expert_token)
        self.assertIsNone(read["description"])
        self.assertEqual(read["withheld"], ["description"])
        consent = self.call("POST", "/api/v1/telehealth/consents", {
            "grantee_id": self.nanning, "kinds": ["description"], "consultation_id": consultation,
            "until": future(30)}, token=tok, expect=201)
        self.assertEqual((consent["patient_id"], consent["kinds"]), (self.patient_id, ["description"]))
        read = self.call("GET", "/api/v1/consultations/%d" % consultation, token=self.expert_token)
        self.assertEqual(read["withheld"], [])
        self.assertEqual([v["unit"] for v in read["description"]["vitals"]], ["/min", "%", "Cel"])
        self.assertEqual(read["description"]["vitals"][2]["value"], "37.2")
        reads = self.call("GET", "/api/v1/telehealth/patients/%d/reads" % self.patient_id, token=tok)
        self.assertIn("dr.liwei", [r["reader"] for r in reads["items"]])
        expected = "description (held by hospital %d, consent %d)" % (self.mongcai, consent["id"])
        self.assertTrue(any(r["reader"] == "dr.liwei" and expected in r["action"] for r in reads["items"]),
                        reads["items"])
        # His first read, before the consent, left the description out.
        self.assertTrue(any(r["reader"] == "dr.liwei" and r["action"].startswith("telehealth: read consultation")
                            and "description" not in r["action"] for r in reads["items"]), reads["items"])
        consents = self.call("GET", "/api/v1/telehealth/patients/%d/consents" % self.patient_id, token=tok)
        self.assertEqual([c["id"] for c in consents["items"]], [consent["id"]])

        # 7. Notes, an ICD-10 diagnosis, a prescription; messages among the three.
        self.call("PUT", "/api/v1/consultations/%d/notes" % consultation,
                  {"notes": "Iron overload likely; start chelation, review ferritin in 4 weeks."},
                  token=self.expert_token)
        self.call("POST", "/api/v1/consultations/%d/diagnoses" % consultation,
                  {"icd10": "D56.1", "text": "Beta thalassaemia"}, token=self.expert_token, expect=201)
        self.call("POST", "/api/v1/consultations/%d/prescriptions" % consultation, {
            "medication": "Deferasirox", "dose": "20 mg/kg", "route": "oral", "frequency": "once daily",
            "duration_days": 30}, token=self.expert_token, expect=201)
        for token, text in ((tok, "Tôi có cần truyền máu sớm hơn không?"),
                            (self.expert_token, "Chưa cần; chúng tôi sẽ xem lại sau 4 tuần."),
                            (self.local_token, "Tôi sẽ theo dõi ferritin tại Móng Cái.")):
            self.call("POST", "/api/v1/consultations/%d/messages" % consultation, {"body": text}, token=token,
                      expect=201)
        self.assertError(s.request("POST", "/api/v1/consultations/%d/messages" % consultation, {"body": "hi"},
                                   token=other), 404)
        record = self.call("GET", "/api/v1/consultations/%d" % consultation, token=tok)
        self.assertEqual([d["icd10"] for d in record["diagnoses"]], ["D56.1"])
        self.assertEqual(record["prescriptions"][0]["medication"], "Deferasirox")
        self.assertEqual([m["author_role"] for m in record["messages"]], ["patient", "expert", "referring"])
        # The local doctor reads his own description and the messages, not the expert's notes.
        local_view = self.call("GET", "/api/v1/consultations/%d" % consultation, token=self.local_token)
        self.assertIsNotNone(local_view["description"])
        self.assertEqual(local_view["withheld"], ["notes", "diagnoses", "prescriptions"])

        # 8. A clinician sees their hospital's patients and those referred or consented to it.
        self.assertError(s.request("GET", "/api/v1/telehealth/patients/%d/appointments" % self.patient_id,
                                   token=self.baichay_token), 404, "id")
        self.assertError(s.request("GET", "/api/v1/consultations/%d" % consultation,
                                   token=self.baichay_token), 404)
        local_list = self.call("GET", "/api/v1/telehealth/patients/%d/appointments" % self.patient_id,
                               token=self.local_token)
        self.assertIn(appt["id"], [a["id"] for a in local_list["items"]])
        # The expert refers him to Bãi Cháy: requested -> accepted -> completed.
        referral = self.call("POST", "/api/v1/referrals", {
            "patient_id": self.patient_id, "consultation_id": consultation, "to_hospital_id": self.baichay,
            "reason": "Transfusion and chelation follow-up near home"}, token=self.expert_token, expect=201)
        self.assertEqual(referral["status"], "requested")
        got = self.call("GET", "/api/v1/referrals/%d" % referral["id"], token=self.baichay_token)
        self.assertEqual(got["from_hospital_id"], self.nanning)
        listed = self.call("GET", "/api/v1/referrals?patient_id=%d" % self.patient_id, token=self.baichay_token)
        self.assertEqual([r["id"] for r in listed["items"]], [referral["id"]])
        seen = self.call("GET", "/api/v1/telehealth/patients/%d/appointments" % self.patient_id,
                         token=self.baichay_token)
        self.assertEqual(seen["items"], [])  # a patient it serves now, but not its appointments
        self.assertError(s.request("POST", "/api/v1/referrals/%d/status" % referral["id"], {"status": "accepted"},
                                   token=self.expert_token), 409, "status")
        for status in ("accepted", "completed"):
            referral = self.call("POST", "/api/v1/referrals/%d/status" % referral["id"], {"status": status},
                                 token=self.baichay_token)
            self.assertEqual(referral["status"], status)
        mine = self.call("GET", "/api/v1/referrals/%d" % referral["id"], token=tok)
        self.assertEqual(mine["status"], "completed")
        # Bãi Cháy reads the diagnoses once the patient consents to that, and nothing else.
        self.assertError(s.request("GET", "/api/v1/consultations/%d" % consultation, token=self.baichay_token),
                         404)
        self.call("POST", "/api/v1/telehealth/consents", {
            "grantee_id": self.baichay, "kinds": ["diagnoses"], "until": future(60)}, token=tok, expect=201)
        theirs = self.call("GET", "/api/v1/consultations/%d" % consultation, token=self.baichay_token)
        self.assertEqual([d["icd10"] for d in theirs["diagnoses"]], ["D56.1"])
        self.assertIsNone(theirs["description"])
        self.assertEqual(theirs["withheld"], ["description", "notes", "prescriptions", "messages"])
        # A patient sees only himself.
        self.assertError(s.request("GET", "/api/v1/appointments/%d" % appt["id"], token=other), 404, "id")
        self.assertError(s.request("GET", "/api/v1/consultations/%d" % consultation, token=other), 404)
        self.assertError(s.request("GET", "/api/v1/referrals/%d" % referral["id"], token=other), 404)
        self.assertError(s.request("GET", "/api/v1/telehealth/patients/%d/appointments" % self.patient_id,
                                   token=other), 403)
        self.assertError(s.request("GET", "/api/v1/telehealth/patients/%d/reads" % self.patient_id,
                                   token=other), 403)
        self.assertError(s.request("POST", "/api/v1/appointments", {
            "patient_id": self.patient_id, "practitioner_id": self.expert, "start": left["items"][-1]["start"]},
            token=other), 403)

        # 9. The visit: he arrives, the consultation runs and finishes, the appointment is fulfilled.
        self.assertError(s.request("POST", "/api/v1/appointments/%d/status" % appt["id"], {"status": "noshow"},
                                   token=self.expert_token), 409, "status")
        self.assertError(s.request("POST", "/api/v1/appointments/%d/status" % appt["id"], {"status": "arrived"},
                                   token=tok), 403)
        arrived = self.call("POST", "/api/v1/appointments/%d/status" % appt["id"], {"status": "arrived"},
                            token=self.expert_token)
        self.assertEqual(arrived["status"], "arrived")
        for status in ("in-progress", "finished"):
            c = self.call("POST", "/api/v1/consultations/%d/status" % consultation, {"status": status},
                          token=self.expert_token)
            self.assertEqual(c["status"], status)
        self.assertEqual(self.call("GET", "/api/v1/appointments/%d" % appt["id"], token=tok)["status"],
                         "fulfilled")

        # 10. Cross-border transport to Nanning: China's documents, review, approval, schedule.
        t = self.call("POST", "/api/v1/transports", {
            "origin_id": self.mongcai, "destination_id": self.nanning,
            "medical_need": "Splenectomy assessment at the Nanning haematology centre",
            "escort": "family", "mode": "ground_ambulance"}, token=tok, expect=201)
        self.assertEqual(t["status"], "submitted")
        self.assertEqual(sorted(t["missing_documents"]), sorted(
            ["passport", "medical_summary", "acceptance_letter", "visa", "health_declaration"]))
        for kind in ("passport", "medical_summary", "acceptance_letter"):
            t = self.call("PUT", "/api/v1/transports/%d/documents/%s" % (t["id"], kind),
                          {"reference": "files/transport/%s.pdf" % kind}, token=tok)
        self.assertError(s.request("PUT", "/api/v1/transports/%d/documents/diary" % t["id"],
                                   {"reference": "x"}, token=tok), 400, "kind")
        t = self.call("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "in-review"},
                      token=self.expert_token)
        self.assertError(s.request("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "approved"},
                                   token=self.expert_token), 409, "documents")
        self.assertError(s.request("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "approved"},
                                   token=tok), 409, "status")
        for kind in ("visa", "health_declaration"):
            t = self.call("PUT", "/api/v1/transports/%d/documents/%s" % (t["id"], kind),
                          {"reference": "files/transport/%s.pdf" % kind}, token=tok)
        self.assertEqual(t["missing_documents"], [])
        t = self.call("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "approved"},
                      token=self.expert_token)
        self.assertEqual(t["status"], "approved")
        self.assertError(s.request("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "scheduled"},
                                   token=self.expert_token), 400, "scheduled_at")
        t = self.call("POST", "/api/v1/transports/%d/status" % t["id"],
                      {"status": "scheduled", "scheduled_at": future(10)}, token=self.expert_token)
        self.assertEqual(t["status"], "scheduled")
        t = self.call("POST", "/api/v1/transports/%d/status" % t["id"], {"status": "completed"},
                      token=self.local_token)
        self.assertEqual(self.call("GET", "/api/v1/transports/%d" % t["id"], token=tok)["status"], "completed")
        self.assertError(s.request("GET", "/api/v1/transports/%d" % t["id"], token=other), 404)
        # Another application is refused, with the reason.
        t2 = self.call("POST", "/api/v1/transports", {
            "origin_id": self.mongcai, "destination_id": self.nanning, "medical_need": "Second opinion",
            "escort": "none", "mode": "rail"}, token=tok, expect=201)
        self.assertError(s.request("POST", "/api/v1/transports/%d/status" % t2["id"], {"status": "refused"},
                                   token=self.expert_token), 400, "reason")
        t2 = self.call("POST", "/api/v1/transports/%d/status" % t2["id"],
                       {"status": "refused", "reason": "Treatment available at Bãi Cháy"}, token=self.expert_token)
        self.assertEqual((t2["status"], t2["status_reason"]), ("refused", "Treatment available at Bãi Cháy"))

        # 11. Billing: fees in CNY, dated CNY->VND rates; a quote keeps the rate of its date.
        for code, desc, amount in (("consultation", "Tư vấn huyết học từ xa", "350.00"),
                                   ("lab_review", "Đọc kết quả xét nghiệm", "125.5")):
            fee = self.call("PUT", "/api/v1/telehealth/hospitals/%d/fees/%s" % (self.nanning, code), {
                "description": desc, "amount": {"currency": "CNY", "amount": amount}})
        self.assertEqual(fee["amount"], {"currency": "CNY", "amount": "125.50"})
        older, newer = utc_date(-30), utc_date(-1)
        for as_of, rate in ((older, "3498.10"), (newer, "3512.75")):
            r = self.call("POST", "/api/v1/telehealth/exchange-rates", {
                "from": "CNY", "to": "VND", "rate": rate, "as_of": as_of, "source": "State Bank of Vietnam"},
                expect=201)
            self.assertEqual(r["rate"], rate)
        self.assertError(s.request("POST", "/api/v1/telehealth/exchange-rates", {
            "from": "CNY", "to": "VND", "rate": "1", "as_of": newer, "source": "again"}, token=self.admin),
            409, "as_of")
        self.assertError(s.request("POST", "/api/v1/telehealth/exchange-rates", {
            "from": "CNY", "to": "VND", "rate": "1", "as_of": utc_date(), "source": "x"},
            token=self.expert_token), 403)
        charges = [{"code": "consultation"}, {"code": "lab_review"}]

        def expect_total(rate):
            return int((Decimal("475.50") * Decimal(rate)).quantize(Decimal("1"), rounding=ROUND_HALF_EVEN))

        old_quote = self.call("POST", "/api/v1/invoices", {
            "patient_id": self.patient_id, "hospital_id": self.nanning, "appointment_id": appt["id"],
            "charges": charges, "currency": "VND", "rate_date": utc_date(-10)},
            token=self.expert_token, expect=201)
        self.assertEqual(old_quote["rate"]["as_of"], older)
        self.assertEqual(old_quote["total"], {"currency": "VND", "amount": str(expect_total("3498.10"))})
        # Without a date a quote takes today's rate: the demo region publishes one for CNY->VND.
        today_quote = self.call("POST", "/api/v1/invoices", {
            "patient_id": self.patient_id, "hospital_id": self.nanning, "charges": charges,
            "currency": "VND"}, token=self.expert_token, expect=201)
        self.assertEqual((today_quote["rate"]["as_of"], today_quote["rate"]["source"]), (utc_date(), "demo rate"))
        quote = self.call("POST", "/api/v1/invoices", {
            "patient_id": self.patient_id, "hospital_id": self.nanning, "appointment_id": appt["id"],
            "charges": charges, "currency": "VND", "rate_date": newer}, token=self.expert_token, expect=201)
        total = expect_total("3512.75")
        self.assertEqual((quote["status"], quote["rate"]["rate"], quote["rate"]["as_of"]),
                         ("draft", "3512.75", newer))
        self.assertEqual(quote["source_total"], {"currency": "CNY", "amount": "475.50"})
        self.assertEqual(quote["total"], {"currency": "VND", "amount": str(total)})
        self.assertEqual(sum(int(l["converted"]["amount"]) for l in quote["lines"]), total)
        self.assertEqual([l["amount"]["amount"] for l in quote["lines"]], ["350.00", "125.50"])
        self.assertError(s.request("GET", "/api/v1/invoices/%d/receipt" % quote["id"], token=tok), 409, "status")
        self.assertError(s.request("POST", "/api/v1/invoices/%d/payments" % quote["id"], {
            "method": "cash", "amount": {"currency": "VND", "amount": "1000"}}, token=tok), 409, "status")
        invoice = self.call("POST", "/api/v1/invoices/%d/issue" % quote["id"], {}, token=self.expert_token)
        self.assertEqual((invoice["status"], invoice["rate"]["rate"]), ("issued", "3512.75"))

        # He pays in part by bank transfer, then the counter takes the rest in cash; a refund.
        def pay(amount, token=tok, method="bank_transfer", path="payments", **extra):
            body = dict({"method": method, "amount": {"currency": "VND", "amount": amount}}, **extra)
            return s.request("POST", "/api/v1/invoices/%d/%s" % (invoice["id"], path), body, token=token)

        self.assertError(pay("1000000.5", reference="VCB-1"), 400, "amount.amount")  # VND has no decimals
        self.assertError(s.request("POST", "/api/v1/invoices/%d/payments" % invoice["id"], {
            "method": "cash", "amount": {"currency": "CNY", "amount": "100"}}, token=tok), 400, "amount.currency")
        self.assertError(pay("1000000"), 400, "reference")  # a transfer needs its reference
        status, partial, _ = pay("1000000", reference="VCB-20260309-1")
        self.assertEqual(status, 201, partial)
        self.assertEqual((partial["status"], partial["paid"]["amount"], partial["due"]["amount"]),
                         ("issued", "1000000", str(total - 1000000)))
        self.assertError(pay(str(total), reference="VCB-2"), 409, "amount.amount")  # more than is due
        self.assertError(pay("1000", token=other, reference="x"), 404)
        status, paid, _ = pay(str(total - 1000000), token=self.expert_token, method="cash")
        self.assertEqual((status, paid["status"], paid["due"]["amount"]), (201, "balanced", "0"), paid)
        self.assertError(pay("100000", token=tok, method="cash", path="refunds"), 403)
        status, refunded, _ = pay("100000", token=self.expert_token, method="cash", path="refunds")
        self.assertEqual((status, refunded["paid"]["amount"]), (201, str(total - 100000)), refunded)
        listed = self.call("GET", "/api/v1/telehealth/patients/%d/invoices" % self.patient_id, token=tok)
        self.assertEqual([v["id"] for v in listed["items"]][:1], [invoice["id"]])  # newest first
        self.assertIn(today_quote["id"], [v["id"] for v in listed["items"]])
        self.assertEqual(next(v for v in listed["items"] if v["id"] == invoice["id"])["paid"]["amount"],
                         str(total - 100000))
        self.assertError(s.request("GET", "/api/v1/telehealth/patients/%d/invoices" % self.patient_id,
                                   token=other), 403)
        payments = self.call("GET", "/api/v1/invoices/%d/payments" % invoice["id"], token=tok)
        self.assertEqual([(p["refund"], p["amount"]["amount"]) for p in payments["items"]],
                         [(False, "1000000"), (False, str(total - 1000000)), (True, "100000")])

        # 12. The receipt, in Vietnamese, amounts as Vietnamese write them.
        page, headers = self.call("GET", "/api/v1/invoices/%d/receipt" % invoice["id"], token=tok, raw=True)
        self.assertTrue(headers["Content-Type"].startswith("text/html"), headers)
        self.assertIn("style-src 'sha256-", headers["Content-Security-Policy"])
        self.assertNotIn("script", headers["Content-Security-Policy"])
        html = page.decode("utf-8").replace("\u00a0", " ")
        self.assertIn('<html lang="vi">', html)
        for text in ("Biên lai", "Nguyễn Văn An", "First Affiliated Hospital, Nanning", "Tổng cộng",
                     "Chuyển khoản", "Tiền mặt", "Hoàn tiền", "Còn phải trả", "Tư vấn huyết học từ xa",
                     "{:,} ₫".format(total).replace(",", "."), "475,50 CN¥", "-100.000 ₫",
                     "1 CNY = 3512.75 VND (State Bank of Vietnam, %s)" % newer, "@media print"):
            self.assertIn(text, html)
        # In Thai when asked; another patient gets nothing.
        page, _ = self.call("GET", "/api/v1/invoices/%d/receipt?lang=th" % invoice["id"], token=tok, raw=True)
        self.assertIn("ใบเสร็จรับเงิน", page.decode("utf-8"))
        self.assertError(s.request("GET", "/api/v1/invoices/%d/receipt" % invoice["id"], token=other), 404)
        self.assertError(s.request("GET", "/api/v1/invoices/%d" % invoice["id"], token=other), 404)
        # The hospital prints it too (without reading the person record it may not see).
        page, _ = self.call("GET", "/api/v1/invoices/%d/receipt?lang=vi" % invoice["id"], token=self.expert_token,
                            raw=True)
        self.assertIn("Biên lai", page.decode("utf-8"))
        self.assertNotIn("Nguyễn Văn An", page.decode("utf-8"))

        # The consent ends when he says so: the expert no longer reads the description.
        self.call("POST", "/api/v1/telehealth/consents/%d/revoke" % consent["id"], {}, token=tok)
        self.assertError(s.request("POST", "/api/v1/telehealth/consents/%d/revoke" % consent["id"], {}, token=tok),
                         409, "id")
        self.assertError(s.request("POST", "/api/v1/telehealth/consents/%d/revoke" % consent["id"], {},
                                   token=other), 404)
        read = self.call("GET", "/api/v1/consultations/%d" % consultation, token=self.expert_token)
        self.assertEqual(read["withheld"], ["description"])


if __name__ == "__main__":
    import unittest
    unittest.main()
