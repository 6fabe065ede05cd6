"""Outbreak management over HTTP, on both stores: a case through its life, contacts and their
follow-up, testing from booking to result, vaccination, the population register and merges,
chains, curves, Rt and line lists; with the access rules (a commune officer sees their commune,
a district officer its communes, a lab technician only samples and results) and clear errors
naming the field."""
import csv as csvlib
import datetime
import io
import json
import math
import os
import subprocess
import tempfile
import threading
import unittest

import harness
from harness import ApiTestCase, ts

SHARED = os.environ.get("MEKONG_TESTDATA",
                        os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "testdata"))


def today(offset_days=0, zone_hours=7):
    t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=zone_hours)))
    return (t + datetime.timedelta(days=offset_days)).strftime("%Y-%m-%d")


def gamma_p(a, x):
    """The regularised lower incomplete gamma function by its power series (fine for x < 60)."""
    if x <= 0:
        return 0.0
    term = total = 1.0 / a
    n = 1
    while abs(term) > 1e-17 * abs(total):
        term *= x / (a + n)
        total += term
        n += 1
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def discretised_si(mean, sd, days):
    """EpiEstim's discr_si: w[k] from one day plus a gamma of mean `mean - 1` and sd `sd`."""
    a, b = ((mean - 1) / sd) ** 2, sd * sd / (mean - 1)
    F = lambda k, shape: gamma_p(shape, k / b) if k > 0 else 0.0
    return [max(0.0, k * F(k, a) + (k - 2) * F(k - 2, a) - 2 * (k - 1) * F(k - 1, a)
                + a * b * (2 * F(k - 1, a + 1) - F(k - 2, a + 1) - F(k, a + 1)))
            for k in range(days + 1)]


class OutbreakTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.lab = s.login("lab")
        cls.clinician = s.login("clinician")
        cls.district_tracer = s.login("tracer.halong")    # district QN-01
        cls.commune_officer = s.login("officer.commune")  # commune QN-01-01
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)
        cls.other_commune = s.org_unit_id("QN-01-02", cls.admin)
        cls.district = s.org_unit_id("QN-01", cls.admin)
        cls.other_district = s.org_unit_id("QN-02", cls.admin)
        cls.n = 0
        # A district officer elsewhere, and two tracers of the commune.
        cls.far_officer = cls.user("officer.far", "command_officer", cls.other_district)
        cls.district_officer = cls.user("officer.halong", "command_officer", cls.district)
        cls.tracer_ids = []
        for name in ("tracer.c1", "tracer.c2"):
            status, body, _ = s.request("POST", "/api/v1/users", {
                "username": name, "password": "tracer-pass-1", "role": "tracer",
                "org_unit_id": cls.commune}, token=cls.admin)
            assert status == 201, body
            cls.tracer_ids.append(body["id"])
        cls.tracer = s.login("tracer.c1", "tracer-pass-1")

    @classmethod
    def user(cls, name, role, unit, person=None):
        body = {"username": name, "password": "pass-" + name, "role": role, "org_unit_id": unit}
        if person:
            body["person_id"] = person
        status, made, _ = cls.server.request("POST", "/api/v1/users", body, token=cls.admin)
        assert status == 201, made
        return cls.server.login(name, "pass-" + name)

    def person(self, unit=None, nationality="VN", birth_date=None, name=None):
        OutbreakTest.n += 1
        body = {"full_name": name or "Outbreak %d" % self.n,
                "document_type": "national_id" if nationality == "VN" else "passport",
                "document_number": "OB%06d" % self.n, "nationality": nationality,
                "language": "vi" if nationality == "VN" else "en", "org_unit_id": unit or self.commune}
        if birth_date:
            body["birth_date"] = birth_date
        status, p, _ = self.server.request("POST", "/api/v1/people", body, token=self.admin)
        self.assertEqual(status, 201, p)
        return p["id"]

    def venue(self):
        status, v, _ = self.server.request("POST", "/api/v1/venues", {
            "name": "Quán %d" % self.n, "kind": "cafe", "capacity": 30, "org_unit_id": self.commune,
            "default_stay_minutes": 60}, token=self.admin)
        self.assertEqual(status, 201, v)
        return v["id"]

    def visit(self, person, venue, hours_ago, hours=1):
        s = self.server
        status, ci, _ = s.request("POST", "/api/v1/checkins", {
            "person_id": person, "venue_id": venue, "time_in": ts(hours_ago)}, token=self.admin)
        self.assertEqual(status, 201, ci)
        status, _, _ = s.request("POST", "/api/v1/checkins/%d/checkout" % ci["id"],
                                 {"time_out": ts(hours_ago - hours)}, token=self.admin)
        self.assertEqual(status, 200)

    def colour(self, person):
        status, code, _ = self.server.request("GET", "/api/v1/people/%d/health-code" % person,
                                              token=self.admin)
        self.assertEqual(status, 200, code)
        return code["colour"]

    def report(self, person, classification="confirmed", token=None, **extra):
        body = {"person_id": person, "onset_at": ts(30), "classification": classification, **extra}
        status, c, _ = self.server.request("POST", "/api/v1/cases", body, token=token or self.admin)
        self.assertEqual(status, 201, c)
        return c

    # ---- 1. cases through their life ----

    def test_case_classification_history_and_discard(self):
        s = self.server
        cafe = self.venue()
        case, contact = self.person(), self.person()
        self.visit(case, cafe, 20)
        self.visit(contact, cafe, 20)
        c = self.report(case, "suspected", isolation_place="home")
        self.assertEqual((c["classification"], c["traced"], c["confirmed_at"]), ("suspected", False, None))
        self.assertEqual(c["isolation_place"], "home")
        self.assertEqual((self.colour(case), self.colour(contact)), ("green", "green"))

        status, up, _ = s.request("POST", "/api/v1/cases/%d/update" % c["id"], {
            "classification": "confirmed", "note": "PCR positive"}, token=self.commune_officer)
        self.assertEqual(status, 200, up)
        self.assertTrue(up["traced"])
        self.assertEqual(up["contact_count"], 1)
        self.assertEqual((self.colour(case), self.colour(contact)), ("red", "red"))

        status, up, _ = s.request("POST", "/api/v1/cases/%d/update" % c["id"], {
            "classification": "discarded", "note": "the PCR was another person's"}, token=self.admin)
        self.assertEqual(status, 200, up)
        self.assertFalse(up["traced"])
        self.assertEqual((self.colour(case), self.colour(contact)), ("green", "green"))

        status, up, _ = s.request("POST", "/api/v1/cases/%d/update" % c["id"], {
            "outcome": "recovered", "isolated_at": ts(10)}, token=self.admin)
        self.assertEqual(status, 200, up)
        self.assertEqual(up["outcome"], "recovered")

        status, h, _ = s.request("GET", "/api/v1/cases/%d/history" % c["id"], token=self.district_tracer)
        self.assertEqual(status, 200, h)
        self.assertEqual([e["action"] for e in h["items"]],
                         ["reported", "updated", "traced", "updated", "untraced", "updated"])
        self.assertEqual(h["items"][1]["changes"]["classification"], ["suspected", "confirmed"])
        self.assertEqual(h["items"][3]["note"], "the PCR was another person's")
        self.assertIsNotNone(h["items"][1]["by"])
        status, me, _ = s.request("GET", "/api/v1/auth/me", token=self.commune_officer)  # who confirmed it
        self.assertEqual((h["items"][1]["by"], h["items"][1]["by_username"]), (me["user_id"], me["username"]))

        # The existing confirmation still works and still defaults to confirmed.
        status, plain, _ = s.request("POST", "/api/v1/cases", {"person_id": self.person(), "onset_at": ts(30)},
                                     token=self.admin)
        self.assertEqual((status, plain["classification"], plain["traced"]), (201, "confirmed", True))

        # Bad input names the field; another district's officer cannot see the case.
        self.assertError(s.request("POST", "/api/v1/cases/%d/update" % c["id"], {"classification": "maybe"},
                                   token=self.admin), 400, "classification")
        self.assertError(s.request("POST", "/api/v1/cases/%d/update" % c["id"], {"outcome_at": ts(1), "outcome": "x"},
                                   token=self.admin), 400, "outcome")
        self.assertError(s.request("POST", "/api/v1/cases/%d/update" % c["id"], {"onset_at": ts(-48)},
                                   token=self.admin), 400, "onset_at")
        self.assertError(s.request("POST", "/api/v1/cases/%d/update" % c["id"], {"outcome": "recovered"},
                                   token=self.far_officer), 404, "id")
        self.assertError(s.request("GET", "/api/v1/cases/%d/history" % c["id"], token=self.far_officer), 404)
        self.assertError(s.request("POST", "/api/v1/cases/%d/update" % c["id"], {"outcome": "died"},
                                   token=self.lab), 403)

    # ---- 2 and 3. contacts and follow-up ----

    def test_contacts_follow_up_and_the_citizens_own_check(self):
        s = self.server
        case = self.person()
        c = self.report(case)
        household = [self.person() for _ in range(3)]
        # The demo citizen's person is a household contact too: they answer their own check.
        status, me, _ = s.request("GET", "/api/v1/auth/me", token=s.login("citizen"))
        citizen_person = me["person_id"]
        contacts = [{"person_id": p, "source": "household", "proximity": "same_room", "risk": "high",
                     "place": "home", "exposure_start": ts(40), "duration_minutes": 600}
                    for p in household + [citizen_person]]
        status, made, _ = s.request("POST", "/api/v1/cases/%d/contacts" % c["id"], {"contacts": contacts},
                                    token=self.tracer)
        self.assertEqual(status, 201, made)
        assigned = [k["assigned_to"] for k in made["items"]]
        # Round-robin over the commune's two tracers.
        self.assertEqual(sorted(set(assigned)), sorted(self.tracer_ids))
        self.assertNotEqual(assigned[0], assigned[1])
        self.assertEqual(assigned[0], assigned[2])
        self.assertEqual(made["items"][0]["status"], "under_follow_up")
        self.assertEqual(self.colour(household[0]), "red")  # a household contact of a case

        # The follow-up board of the commune: commune officer, district tracer; not elsewhere.
        query = "/api/v1/line-lists/contacts?case_id=%d&status=under_follow_up" % c["id"]
        for token in (self.commune_officer, self.district_tracer, self.tracer):
            status, board, _ = s.request("GET", query, token=token)
            self.assertEqual(status, 200, board)
            self.assertEqual(board["total"], 4)
            self.assertIsNone(board["items"][0]["today"])
        status, board, _ = s.request("GET", query, token=self.far_officer)
        self.assertEqual((status, board["total"]), (200, 0))
        self.assertError(s.request("GET", query + "&org_unit_id=%d" % self.commune, token=self.far_officer), 404,
                         "org_unit_id")
        self.assertError(s.request("GET", "/api/v1/contacts/%d" % made["items"][0]["id"],
                                   token=self.far_officer), 404)
        self.assertError(s.request("GET", query, token=self.lab), 403)

        # The citizen answers their own check; a tracer answers for another contact.
        citizen = s.login("citizen")
        status, mine, _ = s.request("GET", "/api/v1/me/follow-up", token=citizen)
        self.assertEqual(status, 200, mine)
        # The demo citizen may also be a contact of the demo's own cases; this case's follow-up:
        ours = [k for k in mine["items"] if k["case_id"] == c["id"]]
        self.assertEqual(len(ours), 1, mine)
        self.assertIsNone(ours[0]["today"])
        status, answered, _ = s.request("POST", "/api/v1/me/follow-up/checks", {"temperature_celsius": 36.8},
                                        token=citizen)
        self.assertEqual(status, 201, answered)
        self.assertTrue(all(x["by_citizen"] for x in answered["items"]))
        self.assertEqual(len(answered["items"]), len(mine["items"]))  # one per open follow-up
        status, mine, _ = s.request("GET", "/api/v1/me/follow-up", token=citizen)
        self.assertEqual([k["today"] for k in mine["items"] if k["case_id"] == c["id"]], ["answered"])
        self.assertError(s.request("POST", "/api/v1/me/follow-up/checks", {"temperature_celsius": 55},
                                   token=citizen), 400, "temperature_celsius")
        self.assertError(s.request("GET", "/api/v1/me/follow-up", token=self.tracer), 403)
        first = made["items"][0]["id"]
        status, check, _ = s.request("POST", "/api/v1/contacts/%d/checks" % first,
                                     {"symptoms": "cough, sore throat"}, token=self.tracer)
        self.assertEqual((status, check["symptoms"], check["by_citizen"]), (201, "cough, sore throat", False))
        status, checks, _ = s.request("GET", "/api/v1/contacts/%d/checks" % first, token=self.commune_officer)
        self.assertEqual(len(checks["items"]), 1)

        # Whom the commune's contacts can go to: its two tracers (the district's list has them and
        # the district tracer too); another district's officer has none of them.
        status, tracers, _ = s.request("GET", "/api/v1/tracers", token=self.commune_officer)
        self.assertEqual(status, 200, tracers)
        self.assertEqual([(u["user_id"], u["username"], u["org_unit_id"]) for u in tracers["items"]],
                         [(self.tracer_ids[0], "tracer.c1", self.commune), (self.tracer_ids[1], "tracer.c2", self.commune)])
        status, wide, _ = s.request("GET", "/api/v1/tracers", token=self.district_officer)
        self.assertIn("tracer.halong", [u["username"] for u in wide["items"]])
        self.assertTrue(set(self.tracer_ids) <= {u["user_id"] for u in wide["items"]})
        status, far, _ = s.request("GET", "/api/v1/tracers", token=self.far_officer)
        self.assertEqual(set(self.tracer_ids) & {u["user_id"] for u in far["items"]}, set())
        self.assertError(s.request("GET", "/api/v1/tracers?org_unit_id=%d" % self.commune, token=self.far_officer),
                         404, "org_unit_id")
        self.assertError(s.request("GET", "/api/v1/tracers", token=self.lab), 403)

        # Bulk: every high-risk contact of the case but the citizen's goes to one tracer, two are lost.
        status, bulk, _ = s.request("POST", "/api/v1/contacts/bulk", {
            "action": "assign", "assign_to": self.tracer_ids[1],
            "filter": {"case_id": c["id"], "risk": "high"}}, token=self.commune_officer)
        self.assertEqual((status, bulk["changed"]), (200, 4), bulk)
        ids = [k["id"] for k in made["items"][:2]]
        status, bulk, _ = s.request("POST", "/api/v1/contacts/bulk", {"action": "lost", "ids": ids},
                                    token=self.tracer)
        self.assertEqual((status, bulk["changed"]), (200, 2))
        status, board, _ = s.request("GET", query, token=self.tracer)
        self.assertEqual(board["total"], 2)
        self.assertError(s.request("POST", "/api/v1/contacts/bulk", {"action": "lost"}, token=self.tracer), 400, "ids")
        self.assertError(s.request("POST", "/api/v1/contacts/bulk", {"action": "vanish", "ids": ids},
                                   token=self.tracer), 400, "action")
        self.assertError(s.request("POST", "/api/v1/contacts/bulk", {"action": "lost", "ids": ids},
                                   token=self.far_officer), 404, "ids[0]")
        self.assertError(s.request("POST", "/api/v1/cases/%d/contacts" % c["id"], {"contacts": [
            dict(contacts[0], risk="extreme")]}, token=self.tracer), 400, "contacts[0].risk")
        self.assertError(s.request("POST", "/api/v1/cases/%d/contacts" % c["id"], {"contacts": [
            dict(contacts[0], person_id=case)]}, token=self.tracer), 400, "contacts[0].person_id")
        # A contact who becomes a case keeps the link; the chain shows the edge.
        second = self.report(household[2], "suspected", token=self.tracer)
        status, k, _ = s.request("GET", "/api/v1/contacts/%d" % made["items"][2]["id"], token=self.tracer)
        self.assertEqual((k["status"], k["converted_case_id"], k["case_id"]), ("converted", second["id"], c["id"]))
        status, chain, _ = s.request("GET", "/api/v1/cases/%d/chain" % second["id"], token=self.tracer)
        self.assertEqual(status, 200, chain)
        self.assertEqual([(e["from_case_id"], e["to_case_id"], e["source"]) for e in chain["edges"]],
                         [(c["id"], second["id"], "household")])
        # CSV of the board: BOM, header, one line per contact.
        status, csv, hdrs = s.request("GET", "/api/v1/line-lists/contacts.csv?case_id=%d" % c["id"],
                                      token=self.commune_officer)
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/csv"))
        self.assertTrue(csv.startswith(b"\xef\xbb\xbf"))
        lines = csv.decode("utf-8-sig").split("\r\n")
        self.assertTrue(lines[0].startswith("contact_id,case_id,person_id,full_name"))
        self.assertEqual(len([l for l in lines[1:] if l]), 4)

    # ---- 4. testing ----

    def test_booking_samples_labels_and_results(self):
        s = self.server
        # A ward of the commune on Vietnam's clock (the demo's units keep UTC).
        status, ward, _ = s.request("POST", "/api/v1/org-units", {
            "parent_id": self.commune, "level": "ward", "name": "Khu 1", "code": "QN-01-01-K1",
            "time_zone": "Asia/Ho_Chi_Minh"}, token=self.admin)
        self.assertEqual(status, 201, ward)
        status, site, _ = s.request("POST", "/api/v1/test-sites", {
            "name": "Điểm xét nghiệm Bãi Cháy", "kinds": ["pcr", "antigen"], "org_unit_id": ward["id"]},
            token=self.commune_officer)
        self.assertEqual(status, 201, site)
        self.assertEqual(site["time_zone"], "Asia/Ho_Chi_Minh")
        day = today(1)
        status, made, _ = s.request("POST", "/api/v1/test-sites/%d/slots" % site["id"], {
            "date": day, "start": "08:00", "end": "09:00", "minutes": 30, "capacity": 1},
            token=self.commune_officer)
        self.assertEqual((status, made["created"], made["kept"], made["past"]), (201, 2, 0, 0), made)
        self.assertEqual([i["local_start"] for i in made["items"]],
                         [day + "T08:00:00+07:00", day + "T08:30:00+07:00"])
        # The same hours again keep the slots there; a day gone by is refused.
        status, again, _ = s.request("POST", "/api/v1/test-sites/%d/slots" % site["id"], {
            "date": day, "start": "08:00", "end": "09:00", "minutes": 30, "capacity": 4},
            token=self.commune_officer)
        self.assertEqual((status, again["created"], again["kept"]), (201, 0, 2), again)
        self.assertEqual(again["items"][0]["capacity"], 1)
        self.assertError(s.request("POST", "/api/v1/test-sites/%d/slots" % site["id"], {
            "date": today(-2), "start": "08:00", "end": "09:00", "minutes": 30, "capacity": 1},
            token=self.commune_officer), 400, "date")
        status, one, _ = s.request("GET", "/api/v1/test-sites/%d" % site["id"], token=self.commune_officer)
        self.assertEqual((status, one["name"], one["time_zone"]), (200, site["name"], "Asia/Ho_Chi_Minh"), one)
        self.assertError(s.request("GET", "/api/v1/test-sites/999999", token=self.commune_officer), 404, "id")
        self.assertError(s.request("POST", "/api/v1/test-sites", {"name": "   ", "kinds": ["pcr"]},
                                   token=self.commune_officer), 400, "name")
        self.assertError(s.request("POST", "/api/v1/test-sites/%d/slots" % site["id"], {
            "date": day, "start": "8 am", "end": "09:00", "minutes": 30, "capacity": 1},
            token=self.commune_officer), 400, "start")

        # Two travellers read the slots in their own zone and race for the one place of 08:00.
        people = [self.person(nationality="TH"), self.person(nationality="TH")]
        tokens = [self.user("traveller.%d" % p, "citizen", self.commune, p) for p in people]
        status, slots, _ = s.request("GET", "/api/v1/test-sites/%d/slots?date=%s&tz=Asia/Bangkok" % (site["id"], day),
                                     token=tokens[0])
        self.assertEqual(status, 200, slots)
        self.assertEqual(slots["time_zone"], "Asia/Bangkok")
        # 08:00 in Hạ Long (UTC+7) is 08:00 in Bangkok too; Yangon reads it at 07:30.
        self.assertEqual(slots["items"][0]["local_start"], day + "T08:00:00+07:00")
        status, yangon, _ = s.request("GET", "/api/v1/test-sites/%d/slots?date=%s&tz=Asia/Yangon" % (site["id"], day),
                                      token=tokens[0])
        self.assertEqual(yangon["items"][0]["local_start"], day + "T07:30:00+06:30")
        self.assertEqual((slots["items"][0]["free"], slots["items"][0]["booked"]), (1, 0))
        self.assertError(s.request("GET", "/api/v1/test-sites/%d/slots?date=%s&tz=Mars/Base" % (site["id"], day),
                                   token=tokens[0]), 400, "tz")
        slot = slots["items"][0]["id"]
        results = [None, None]

        def book(i):
            results[i] = s.request("POST", "/api/v1/test-bookings", {"slot_id": slot, "kind": "pcr"}, token=tokens[i])

        threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r[0] for r in results)
        self.assertEqual(codes, [201, 409], [r[1] for r in results])
        refused = [r for r in results if r[0] == 409][0]
        self.assertEqual(refused[1]["error"]["field"], "slot_id")
        self.assertIn("full", refused[1]["error"]["message"])
        booked = [r for r in results if r[0] == 201][0][1]
        winner = people[[r[0] for r in results].index(201)]
        self.assertEqual(booked["person_id"], winner)
        loser_token = tokens[1 - people.index(winner)]
        self.assertError(s.request("POST", "/api/v1/test-bookings", {"slot_id": slot, "kind": "pcr",
                                                                    "person_id": winner}, token=loser_token), 403)
        self.assertError(s.request("POST", "/api/v1/test-bookings", {"slot_id": slot, "kind": "blood"},
                                   token=loser_token), 400, "kind")

        # The lab takes the sample; its label reads back with an independent QR reader.
        status, sample, _ = s.request("POST", "/api/v1/samples", {
            "person_id": winner, "site_id": site["id"], "kind": "pcr", "booking_id": booked["id"]}, token=self.lab)
        self.assertEqual(status, 201, sample)
        self.assertTrue(sample["label"].startswith("MKS1-%d-" % site["id"]))
        status, png, hdrs = s.request("GET", "/api/v1/samples/%d/label.png" % sample["id"], token=self.lab)
        self.assertEqual((status, hdrs["Content-Type"]), (200, "image/png"))
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
            f.write(png)
        try:
            read = subprocess.run(["zbarimg", "--quiet", "--raw", f.name], capture_output=True, text=True)
            self.assertEqual(read.stdout.strip(), sample["label"])
        finally:
            os.unlink(f.name)
        status, svg, hdrs = s.request("GET", "/api/v1/samples/%d/label.svg" % sample["id"], token=self.lab)
        self.assertEqual((status, hdrs["Content-Type"]), (200, "image/svg+xml"))

        # One by one: a positive opens a suspected case and turns the code red.
        status, r, _ = s.request("POST", "/api/v1/samples/%d/result" % sample["id"], {"result": "positive"},
                                 token=self.lab)
        self.assertEqual(status, 200, r)
        self.assertEqual((r["colour"], r["case"]["classification"]), ("red", "suspected"))
        self.assertEqual(r["sample"]["case_id"], r["case"]["id"])
        self.assertError(s.request("POST", "/api/v1/samples/%d/result" % sample["id"], {"result": "negative"},
                                   token=self.lab), 409, "result")
        self.assertError(s.request("POST", "/api/v1/samples/%d/result" % sample["id"], {"result": "maybe"},
                                   token=self.lab), 400, "result")
        # As a CSV batch, with errors by line.
        others = []
        for p in (self.person(), self.person()):
            status, x, _ = s.request("POST", "/api/v1/samples", {"person_id": p, "site_id": site["id"],
                                                                 "kind": "antigen"}, token=self.lab)
            self.assertEqual(status, 201, x)
            others.append(x)
        batch = "label,result\n%s,negative\nMKS1-1-00000000-00,positive\n%s,perhaps\n%s,negative\n" % (
            others[0]["label"], others[1]["label"], sample["label"])
        status, out, _ = s.request("POST", "/api/v1/samples/results", raw=batch.encode(),
                                   headers={"Content-Type": "text/csv"}, token=self.lab)
        self.assertEqual(status, 200, out)
        self.assertEqual(out["recorded"], 1)
        self.assertEqual([(x["line"], x["field"]) for x in out["rejected"]],
                         [(3, "label"), (4, "result"), (5, "label")])
        # The lab technician sees samples and results, and nothing of cases or contacts.
        status, tests, _ = s.request("GET", "/api/v1/line-lists/tests?site_id=%d" % site["id"], token=self.lab)
        self.assertEqual((status, tests["total"]), (200, 3))
        status, csv, _ = s.request("GET", "/api/v1/line-lists/tests.csv?result=pending", token=self.lab)
        self.assertEqual(status, 200)
        self.assertIn(others[1]["label"], csv.decode("utf-8-sig"))
        for path in ("/api/v1/line-lists/cases", "/api/v1/line-lists/contacts", "/api/v1/contacts/1",
                     "/api/v1/line-lists/vaccinations", "/api/v1/duplicates"):
            self.assertError(s.request("GET", path, token=self.lab), 403)
        # The sampled booking cannot be cancelled; the other slot's booking can, freeing its place.
        winner_token = tokens[people.index(winner)]
        self.assertError(s.request("POST", "/api/v1/test-bookings/%d/cancel" % booked["id"], token=winner_token),
                         409, "id")
        status, later, _ = s.request("POST", "/api/v1/test-bookings", {"slot_id": slots["items"][1]["id"],
                                                                       "kind": "antigen"}, token=loser_token)
        self.assertEqual(status, 201, later)
        status, cancelled, _ = s.request("POST", "/api/v1/test-bookings/%d/cancel" % later["id"], token=loser_token)
        self.assertEqual((status, cancelled["status"]), (200, "cancelled"))
        self.assertError(s.request("POST", "/api/v1/test-bookings/%d/cancel" % later["id"], token=winner_token),
                         404, "id")

    # ---- 5. vaccination ----

    def test_vaccinations_by_staff_and_from_a_foreign_certificate(self):
        s = self.server
        foreigner = self.person(nationality="CN")
        dose = {"person_id": foreigner, "product": "EU/1/20/1528", "lot": "FK8891", "dose": 1,
                "given_at": ts(24 * 30), "site": "Trạm y tế Bãi Cháy", "country": "VN"}
        status, d, _ = s.request("POST", "/api/v1/vaccination-doses", dose, token=self.clinician)
        self.assertEqual(status, 201, d)
        self.assertEqual((d["lot"], d["source"]), ("FK8891", "staff"))
        self.assertError(s.request("POST", "/api/v1/vaccination-doses", dose, token=self.clinician), 409, "dose")
        self.assertError(s.request("POST", "/api/v1/vaccination-doses", dict(dose, country="Vietnam"),
                                   token=self.clinician), 400, "country")
        self.assertError(s.request("POST", "/api/v1/vaccination-doses", dose, token=self.lab), 403)
        # The vaccinator sees what the person already has, newest first; a second dose follows.
        status, second, _ = s.request("POST", "/api/v1/vaccination-doses", dict(dose, dose=2, given_at=ts(24 * 2)),
                                      token=self.clinician)
        self.assertEqual(status, 201, second)
        status, had, _ = s.request("GET", "/api/v1/people/%d/vaccination-doses" % foreigner, token=self.clinician)
        self.assertEqual(status, 200, had)
        self.assertEqual([(x["id"], x["dose"]) for x in had["items"]], [(second["id"], 2), (d["id"], 1)])
        self.assertError(s.request("GET", "/api/v1/people/%d/vaccination-doses" % foreigner, token=self.lab), 403)
        self.assertError(s.request("GET", "/api/v1/people/%d/vaccination-doses" % 987654321, token=self.clinician),
                         404, "id")

        # An Austrian certificate, trusted and checked as of its validation day.
        with open(os.path.join(SHARED, "eu-dcc/AT/2DCode/raw/1.json")) as f:
            eu = json.load(f)
        self.assertIn(s.request("POST", "/api/v1/trust/eu-dcc", {
            "certificate": eu["TESTCTX"]["CERTIFICATE"], "country": "AT"}, token=self.admin)[0], (201, 409))
        visitor = self.person(nationality="AT", birth_date="1998-02-26")
        path = "/api/v1/people/%d/vaccination-certificates" % visitor
        self.assertError(s.request("POST", path, {"qr": eu["PREFIX"]}, token=self.admin), 409, "qr")  # expired now
        status, imported, _ = s.request("POST", path, {"qr": eu["PREFIX"], "verify_at": eu["TESTCTX"]["VALIDATIONCLOCK"]},
                                        token=self.admin)
        self.assertEqual(status, 201, imported)
        self.assertEqual((imported["source"], imported["product"], imported["dose"], imported["country"]),
                         ("certificate", "EU/1/20/1528", 1, "AT"))
        self.assertTrue(imported["certificate_id"].startswith("URN:UVCI:01:AT"))
        other = self.person(nationality="AT", birth_date="1970-01-01")
        self.assertError(s.request("POST", "/api/v1/people/%d/vaccination-certificates" % other, {
            "qr": eu["PREFIX"], "verify_at": eu["TESTCTX"]["VALIDATIONCLOCK"]}, token=self.admin), 409, "qr")
        self.assertError(s.request("POST", path, {"qr": "not a certificate"}, token=self.admin), 400, "qr")
        status, lines, _ = s.request("GET", "/api/v1/line-lists/vaccinations?product=EU/1/20/1528",
                                     token=self.commune_officer)
        self.assertEqual(status, 200, lines)
        self.assertGreaterEqual(lines["total"], 2)

    # ---- 6. population register and merges ----

    def test_population_import_duplicates_and_merge(self):
        s = self.server
        csv = ("id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality\n"
               "079190000001,Nguyễn Văn,Đức,1990-04-01,male,\"12 Trần Hưng Đạo, Bãi Cháy\",QN-01-01,+84912000001,VN\n"
               "079190000002,Trần Thị,Lan,1985-02-11,female,5 Lê Lợi,QN-01-01,+84912000002,VN\n"
               "079190000003,NGUYEN VAN,DUC,1990-04-01,male,\"12 Tran Hung Dao, Bai Chay\",QN-01-01,,VN\n"
               "079190000004,Lê,Hà,1999-13-01,female,x,QN-01-01,,VN\n"
               "079190000005,Phạm,Hải,1970-01-01,male,x,NOWHERE,,VN\n")
        post = lambda token: s.request("POST", "/api/v1/population/import", raw=csv.encode(),
                                       headers={"Content-Type": "text/csv"}, token=token)
        status, first, _ = post(self.admin)
        self.assertEqual(status, 200, first)
        self.assertEqual((first["created"], first["lines"]), (3, 5))
        self.assertEqual([(r["line"], r["field"]) for r in first["rejected"]], [(5, "birth_date"), (6, "commune_code")])
        status, again, _ = post(self.admin)
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 3))
        self.assertError(post(self.commune_officer), 403)

        status, dups, _ = s.request("GET", "/api/v1/duplicates?org_unit_id=%d" % self.commune, token=self.commune_officer)
        self.assertEqual(status, 200, dups)
        pair = [d for d in dups["items"] if d["a"]["document_number"] == "079190000001"]
        self.assertEqual(len(pair), 1, dups)
        self.assertEqual(pair[0]["reason"], "name_address")
        survivor, merged = pair[0]["a"]["id"], pair[0]["b"]["id"]
        status, far, _ = s.request("GET", "/api/v1/duplicates", token=self.far_officer)
        self.assertEqual([d for d in far["items"] if d["a"]["id"] == survivor], [])
        # Every pair as CSV, each person's record in full; another unit's officer gets none of them.
        status, csv, hdrs = s.request("GET", "/api/v1/duplicates.csv?org_unit_id=%d" % self.commune,
                                      token=self.commune_officer)
        self.assertEqual(status, 200, csv)
        self.assertIn("attachment", hdrs["Content-Disposition"])
        rows = list(csvlib.DictReader(io.StringIO(csv.decode("utf-8-sig"))))
        row = [r for r in rows if r["a_id"] == str(survivor)]
        self.assertEqual(len(row), 1, rows)
        self.assertEqual((row[0]["reason"], row[0]["b_id"], row[0]["b_full_name"], row[0]["a_address"]),
                         ("name_address", str(merged), "NGUYEN VAN DUC", "12 Trần Hưng Đạo, Bãi Cháy"))
        status, far_csv, _ = s.request("GET", "/api/v1/duplicates.csv", token=self.far_officer)
        self.assertEqual(status, 200)
        self.assertNotIn("079190000001", far_csv.decode("utf-8-sig"))

        # The duplicate has a case and a vaccination; both move to the survivor.
        c = self.report(merged, "suspected")
        status, d, _ = s.request("POST", "/api/v1/vaccination-doses", {
            "person_id": merged, "product": "Vero Cell", "dose": 1, "given_at": ts(24 * 40), "country": "VN"},
            token=self.clinician)
        self.assertEqual(status, 201, d)
        self.assertError(s.request("POST", "/api/v1/merges", {"survivor_id": survivor, "merged_id": merged},
                                   token=self.far_officer), 404, "survivor_id")
        self.assertError(s.request("POST", "/api/v1/merges", {"survivor_id": survivor, "merged_id": survivor},
                                   token=self.commune_officer), 400, "merged_id")
        status, m, _ = s.request("POST", "/api/v1/merges", {"survivor_id": survivor, "merged_id": merged,
                                                            "reason": "one person, typed twice"},
                                 token=self.commune_officer)
        self.assertEqual(status, 201, m)
        self.assertEqual(m["merge"]["moved"]["cases"] >= 1, True, m)
        status, old, _ = s.request("GET", "/api/v1/people/%d" % merged, token=self.admin)
        self.assertEqual((status, old["merged_into"]), (200, survivor))
        status, moved, _ = s.request("GET", "/api/v1/cases/%d" % c["id"], token=self.admin)
        self.assertEqual(moved["person_id"], survivor)
        status, doses, _ = s.request("GET", "/api/v1/line-lists/vaccinations?product=Vero%20Cell", token=self.admin)
        self.assertIn(survivor, [x["person_id"] for x in doses["items"]])
        status, audit, _ = s.request("GET", "/api/v1/merges?person_id=%d" % merged, token=self.admin)
        self.assertEqual([(a["survivor_id"], a["merged_id"]) for a in audit["items"]], [(survivor, merged)])
        self.assertError(s.request("POST", "/api/v1/merges", {"survivor_id": survivor, "merged_id": merged},
                                   token=self.admin), 409, "merged_id")

    # ---- 7 and 8. chains, curves, Rt, line lists ----

    def test_chains_clusters_curve_rt_and_line_lists(self):
        s = self.server
        a, b, c = (self.report(self.person()) for _ in range(3))
        status, e, _ = s.request("POST", "/api/v1/transmissions", {
            "from_case_id": a["id"], "to_case_id": b["id"], "at": ts(40), "note": "same household"},
            token=self.tracer)
        self.assertEqual((status, e["source"]), (201, "manual"), e)
        self.assertError(s.request("POST", "/api/v1/transmissions", {"from_case_id": a["id"], "to_case_id": a["id"]},
                                   token=self.tracer), 400, "to_case_id")
        self.assertError(s.request("POST", "/api/v1/transmissions", {"from_case_id": a["id"], "to_case_id": b["id"]},
                                   token=self.tracer), 409)
        status, cl, _ = s.request("POST", "/api/v1/clusters", {
            "name": "Đám cưới Bãi Cháy", "kind": "event", "case_ids": [b["id"], c["id"]]}, token=self.tracer)
        self.assertEqual(status, 201, cl)
        status, g, _ = s.request("GET", "/api/v1/clusters/%d/chain" % cl["id"], token=self.commune_officer)
        self.assertEqual(status, 200, g)
        self.assertEqual(sorted(n["case_id"] for n in g["nodes"]), sorted([a["id"], b["id"], c["id"]]))
        self.assertEqual(len(g["edges"]), 1)
        self.assertError(s.request("GET", "/api/v1/clusters/%d" % cl["id"], token=self.far_officer), 404)
        self.assertError(s.request("POST", "/api/v1/clusters", {"name": "x", "kind": "party"}, token=self.tracer),
                         400, "kind")

        status, curve, _ = s.request("GET", "/api/v1/epicurve?org_unit_id=%d&from=%s&to=%s" % (
            self.district, today(-10), today()), token=self.district_officer)
        self.assertEqual(status, 200, curve)
        self.assertEqual(len(curve["days"]), 11)
        self.assertGreaterEqual(sum(d["count"] for d in curve["days"]), 3)
        status, by_report, _ = s.request("GET", "/api/v1/epicurve?from=%s&to=%s&by=report" % (today(-1), today()),
                                         token=self.commune_officer)
        self.assertEqual((status, by_report["by"]), (200, "report"))
        self.assertError(s.request("GET", "/api/v1/epicurve?from=%s&to=%s" % (today(), today(-3)),
                                   token=self.admin), 400, "to")
        self.assertError(s.request("GET", "/api/v1/epicurve?from=2026-02-30&to=%s" % today(),
                                   token=self.admin), 400, "from")
        status, rt, _ = s.request("GET", "/api/v1/rt?from=%s&to=%s&window_days=3" % (today(-20), today()),
                                  token=self.admin)
        self.assertEqual(status, 200, rt)
        self.assertEqual(rt["serial_interval"], {"mean_days": 4.7, "sd_days": 2.9})
        for est in rt["estimates"]:
            self.assertLessEqual(est["lower"], est["median"])
            self.assertLessEqual(est["median"], est["upper"])

        status, lines, _ = s.request("GET", "/api/v1/line-lists/cases?classification=confirmed&limit=5",
                                     token=self.commune_officer)
        self.assertEqual(status, 200, lines)
        self.assertGreaterEqual(lines["total"], 3)
        self.assertEqual(len(lines["items"]), min(5, lines["total"]))
        self.assertTrue(all(l["classification"] == "confirmed" for l in lines["items"]))
        status, district_lines, _ = s.request("GET", "/api/v1/line-lists/cases?org_unit_id=%d" % self.district,
                                              token=self.district_officer)
        self.assertGreaterEqual(district_lines["total"], lines["total"])
        status, none, _ = s.request("GET", "/api/v1/line-lists/cases?org_unit_id=%d" % self.other_district,
                                    token=self.far_officer)
        self.assertEqual(status, 200)
        self.assertNotIn(a["id"], [l["id"] for l in none["items"]])
        self.assertError(s.request("GET", "/api/v1/line-lists/cases?org_unit_id=%d" % self.district,
                                   token=self.commune_officer), 404, "org_unit_id")
        self.assertError(s.request("GET", "/api/v1/line-lists/cases?classification=sure", token=self.admin),
                         400, "classification")
        status, csv, hdrs = s.request("GET", "/api/v1/line-lists/cases.csv?reported_from=%s" % ts(1),
                                      token=self.commune_officer)
        self.assertEqual(status, 200)
        self.assertIn("attachment", hdrs["Content-Disposition"])
        text = csv.decode("utf-8")
        self.assertTrue(text.startswith("\ufeffcase_id,person_id,full_name"))
        self.assertIn("\r\n", text)


    def test_rt_of_a_unit_matches_the_posterior_computed_by_hand(self):
        s = self.server
        status, unit, _ = s.request("POST", "/api/v1/org-units", {
            "parent_id": self.district, "level": "commune", "name": "Rt", "code": "QN-01-RT"}, token=self.admin)
        self.assertEqual(status, 201, unit)
        # Onsets at noon in Hạ Long: 4 cases ten days ago, 6 seven days ago.
        noon = lambda days_ago: today(-days_ago) + "T05:00:00Z"
        for days_ago, n in ((10, 4), (7, 6)):
            for _ in range(n):
                self.report(self.person(unit=unit["id"]), onset_at=noon(days_ago))
        self.report(self.person(unit=unit["id"]), "suspected", onset_at=noon(7))  # does not count
        status, rt, _ = s.request("GET", "/api/v1/rt?org_unit_id=%d&from=%s&to=%s&window_days=1" % (
            unit["id"], today(-10), today(-5)), token=self.district_officer)
        self.assertEqual(status, 200, rt)
        self.assertEqual([d["count"] for d in rt["curve"]["days"]], [4, 0, 0, 6, 0, 0])
        # By hand (Cori et al. 2013): Lambda[t] = sum I[t-k] w[k]; with a window of one day the
        # posterior of R on day t is Gamma(1 + I[t], 1 / (1/5 + Lambda[t])).
        w = discretised_si(4.7, 2.9, 10)
        incidence = [4, 0, 0, 6, 0, 0]
        expected = []
        for t in range(1, 6):
            lam = sum(incidence[t - k] * w[k] for k in range(1, t + 1))
            expected.append((today(-10 + t), 1 + incidence[t], 1 / (0.2 + lam)))
        self.assertEqual([e["window_end"] for e in rt["estimates"]], [e[0] for e in expected])
        for got, (_, shape, scale) in zip(rt["estimates"], expected):
            self.assertAlmostEqual(got["shape"], shape, places=9)
            self.assertAlmostEqual(got["scale"], scale, places=6)
            self.assertAlmostEqual(got["mean"], shape * scale, places=6)
            self.assertAlmostEqual(gamma_p(shape, got["median"] / scale), 0.5, places=5)
            self.assertAlmostEqual(gamma_p(shape, got["lower"] / scale), 0.025, places=5)
            self.assertAlmostEqual(gamma_p(shape, got["upper"] / scale), 0.975, places=5)
        # Day 3 (six cases against the four of day 0 three days before) by the numbers:
        self.assertAlmostEqual(rt["estimates"][2]["mean"], 7 / (0.2 + 4 * w[3]), places=6)
        self.assertError(s.request("GET", "/api/v1/rt?from=%s&to=%s&window_days=0" % (today(-3), today()),
                                   token=self.admin), 400, "window_days")
        self.assertError(s.request("GET", "/api/v1/rt?org_unit_id=%d&from=%s&to=%s" % (
            unit["id"], today(-3), today()), token=self.far_officer), 404, "org_unit_id")

if __name__ == "__main__":
    unittest.main()
