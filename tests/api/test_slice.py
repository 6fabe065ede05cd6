"""The first slice, end to end over HTTP: venue, QR poster, check-in and out, case,
close contacts, red health code."""
import datetime
import os
import subprocess
import tempfile
import unittest
import zoneinfo

from harness import ApiTestCase

UTC = datetime.timezone.utc


def at(hours_ago, minutes=0):
    t = datetime.datetime.now(UTC) - datetime.timedelta(hours=hours_ago) + datetime.timedelta(minutes=minutes)
    t = t.replace(microsecond=0)
    return t, t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class SliceTest(ApiTestCase):
    def person(self, token, unit, name, doc, nationality="VN", language="vi"):
        status, body, hdrs = self.server.request("POST", "/api/v1/people", {
            "full_name": name, "document_type": "passport" if nationality != "VN" else "national_id",
            "document_number": doc, "nationality": nationality, "language": language,
            "org_unit_id": unit}, token=token)
        self.assertEqual(status, 201, body)
        return body["id"]

    def citizen(self, admin, unit, person, username):
        status, body, _ = self.server.request("POST", "/api/v1/users", {
            "username": username, "password": "citizen-pass", "role": "citizen",
            "org_unit_id": unit, "person_id": person}, token=admin)
        self.assertEqual(status, 201, body)
        return self.server.login(username, "citizen-pass")

    def test_venue_to_red_health_code(self):
        s = self.server
        admin = s.login("admin")
        commune = s.org_unit_id("QN-01-01", admin)

        # A venue and its signed poster.
        status, venue, _ = s.request("POST", "/api/v1/venues", {
            "name": "Nhà hàng Sóng Biển", "kind": "restaurant", "capacity": 80,
            "org_unit_id": commune, "default_stay_minutes": 60}, token=admin)
        self.assertEqual(status, 201, venue)
        status, poster, _ = s.request("GET", "/api/v1/venues/%d/poster" % venue["id"], token=admin)
        self.assertEqual(status, 200, poster)
        qr_text = poster["qr_text"]
        self.assertTrue(qr_text.startswith("MKV1:%d:" % venue["id"]))

        # The PNG reads back with an independent QR reader to the same text.
        status, png, hdrs = s.request("GET", "/api/v1/venues/%d/poster.png" % venue["id"], token=admin)
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["Content-Type"], "image/png")
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
            f.write(png)
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", f.name], capture_output=True, text=True)
        os.unlink(f.name)
        self.assertEqual(decoded.returncode, 0, decoded.stderr)
        self.assertEqual(decoded.stdout.strip(), qr_text)
        status, svg, hdrs = s.request("GET", "/api/v1/venues/%d/poster.svg" % venue["id"], token=admin)
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", svg)

        # Four people: the case, a close contact (30 min together), a brief visitor (10 min),
        # and someone who was never there.
        case = self.person(admin, commune, "Trần Thị Mai", "022199000001")
        contact = self.person(admin, commune, "Kim Min-jun", "M12345678", "KR", "ko")
        brief = self.person(admin, commune, "Lê Văn Hùng", "022199000003")
        absent = self.person(admin, commune, "Phạm Thu Hà", "022199000004")
        case_token = self.citizen(admin, commune, case, "slice.case")
        contact_token = self.citizen(admin, commune, contact, "slice.contact")
        brief_token = self.citizen(admin, commune, brief, "slice.brief")

        t0, t0s = at(30)
        _, in_contact = at(30, 30)
        _, out_contact = at(30, 90)
        _, in_brief = at(30, 50)

        # The case checks in by scanning the poster and checks out an hour later.
        status, ci, _ = s.request("POST", "/api/v1/checkins", {"qr": qr_text, "time_in": t0s}, token=case_token)
        self.assertEqual(status, 201, ci)
        _, case_out = at(30, 60)
        status, co, _ = s.request("POST", "/api/v1/checkins/%d/checkout" % ci["id"], {"time_out": case_out},
                                  token=case_token)
        self.assertEqual(status, 200, co)
        self.assertEqual(co["closed_by"], "checkout")

        status, ci2, _ = s.request("POST", "/api/v1/checkins", {"qr": qr_text, "time_in": in_contact},
                                   token=contact_token)
        self.assertEqual(status, 201, ci2)
        status, _, _ = s.request("POST", "/api/v1/checkins/%d/checkout" % ci2["id"], {"time_out": out_contact},
                                 token=contact_token)
        self.assertEqual(status, 200)

        # The brief visitor never checks out: the stay closes at the venue's default 60 minutes,
        # which still overlaps the case by only 10 minutes.
        status, ci3, _ = s.request("POST", "/api/v1/checkins", {"qr": qr_text, "time_in": in_brief},
                                   token=brief_token)
        self.assertEqual(status, 201, ci3)
        self.assertEqual(ci3["closed_by"], "default_stay")
        self.assertEqual(parse(ci3["time_out"]) - parse(ci3["time_in"]), datetime.timedelta(minutes=60))

        # Before confirmation everyone is green.
        tracer = s.login("tracer.halong")
        status, code, _ = s.request("GET", "/api/v1/people/%d/health-code" % contact, token=tracer)
        self.assertEqual((status, code["colour"]), (200, "green"), code)

        # A tracer confirms the case; onset yesterday puts the check-ins inside the window.
        _, onset = at(20)
        status, confirmed, _ = s.request("POST", "/api/v1/cases", {"person_id": case, "onset_at": onset},
                                         token=tracer)
        self.assertEqual(status, 201, confirmed)
        self.assertEqual(confirmed["contact_count"], 1)

        status, contacts, _ = s.request("GET", "/api/v1/cases/%d/contacts" % confirmed["id"], token=tracer)
        self.assertEqual(status, 200, contacts)
        self.assertEqual([c["person_id"] for c in contacts["items"]], [contact])
        item = contacts["items"][0]
        self.assertEqual(item["total_minutes"], 30)
        self.assertEqual(item["exposures"][0]["venue_id"], venue["id"])
        self.assertEqual(item["exposures"][0]["start"], in_contact)
        self.assertEqual(item["exposures"][0]["end"], case_out)

        # The contact is red, with the reason. The default policy wants 14 days after the last
        # exposure and a negative test sampled from day 12, so there is no green date yet.
        status, code, _ = s.request("GET", "/api/v1/people/%d/health-code" % contact, token=tracer)
        self.assertEqual(status, 200, code)
        self.assertEqual(code["colour"], "red")
        self.assertEqual(len(code["reasons"]), 1)
        reason = code["reasons"][0]
        self.assertEqual(reason["rule"], "close_contact")
        self.assertEqual(reason["source"], "case:%d" % confirmed["id"])
        # The sentence is in the contact's Korean, with the last exposure's date as Koreans write
        # it, on the local day of the person's zone (the demo province's), and says which.
        last = parse(case_out).astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
        self.assertIn("%d년 %d월 %d일" % (last.year, last.month, last.day), reason["detail"])
        self.assertTrue(reason["detail"].endswith("(Asia/Ho_Chi_Minh)"), reason["detail"])
        self.assertEqual(code["language"], "ko")
        self.assertIsNone(code["green_at"])
        self.assertIsNone(reason["until"])
        self.assertEqual(parse(reason["negative_test_from"]), parse(case_out) + datetime.timedelta(days=12))

        # The citizen sees their own code, and not anyone else's.
        status, own, _ = s.request("GET", "/api/v1/people/%d/health-code" % contact, token=contact_token)
        self.assertEqual((status, own["colour"]), (200, "red"))
        self.assertError(s.request("GET", "/api/v1/people/%d/health-code" % case, token=contact_token), 403)

        # The brief visitor overlapped the contact for 40 minutes after the contact's own
        # exposure began: a second-hop contact, yellow.
        for pid, colour in ((case, "red"), (brief, "yellow"), (absent, "green")):
            status, code, _ = s.request("GET", "/api/v1/people/%d/health-code" % pid, token=tracer)
            self.assertEqual(code["colour"], colour, (pid, code))

        # Every read of the contact's data by staff is in the access log.
        status, log, _ = s.request("GET", "/api/v1/access-log?person_id=%d" % contact, token=admin)
        self.assertEqual(status, 200, log)
        actions = {(e["username"], e["action"]) for e in log["items"]}
        self.assertIn(("tracer.halong", "read health code"), actions)
        self.assertIn(("tracer.halong", "list case contacts"), actions)


if __name__ == "__main__":
    unittest.main()
