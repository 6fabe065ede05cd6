"""Travel through the server and the CLI: trips, passengers, carriers' manifests, co-travellers,
their place in case confirmation, and `mekong trace`."""
import json
import os
import tempfile
import unittest

import harness
from harness import ApiTestCase, run_cli, ts


class TravelTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.tracer = s.login("tracer.halong")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)
        cls.n = 0

    def person(self, doc=None, nationality="LA"):
        TravelTest.n += 1
        doc = doc or "TV%06d" % TravelTest.n
        status, p, _ = self.server.request("POST", "/api/v1/people", {
            "full_name": "Traveller %s" % doc, "document_type": "passport", "document_number": doc,
            "nationality": nationality, "language": "lo", "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201, p)
        return p["id"]

    def trip(self, service, hours_ago, mode="flight"):
        status, t, _ = self.server.request("POST", "/api/v1/trips", {
            "mode": mode, "carrier": "qv", "service": service, "origin": "vte", "destination": "han",
            "departure": ts(hours_ago), "arrival": ts(hours_ago - 1.5)}, token=self.tracer)
        self.assertEqual(status, 201, t)
        return t

    def board(self, trip, passengers):
        return self.server.request("POST", "/api/v1/trips/%d/passengers" % trip["id"],
                                   {"passengers": passengers}, token=self.tracer)

    def test_trips_passengers_and_co_travellers(self):
        s = self.server
        t = self.trip("QV311", 30)
        self.assertEqual((t["carrier"], t["origin"], t["passengers"]), ("QV", "VTE", 0))
        case, near, far, seatless = (self.person() for _ in range(4))
        status, body, _ = self.board(t, [{"person_id": case, "seat": "12C"}, {"person_id": near, "seat": "14a"},
                                         {"person_id": far, "seat": "20A"}, {"person_id": seatless}])
        self.assertEqual(status, 200, body)
        self.assertEqual(body["trip"]["passengers"], 4)

        status, co, _ = s.request("GET", "/api/v1/people/%d/co-travellers" % case, token=self.tracer)
        self.assertEqual(status, 200, co)
        got = {(i["person_id"], i["reason"], i["rows_apart"]) for i in co["items"]}
        self.assertEqual(got, {(near, "within_rows", 2), (seatless, "seat_unknown", None)})
        item = next(i for i in co["items"] if i["person_id"] == near)
        self.assertEqual((item["seat"]["text"], item["case_seat"]["text"]), ("14A", "12C"))
        self.assertEqual(item["trip"]["service"], "QV311")
        wide = s.request("GET", "/api/v1/people/%d/co-travellers?rows=8" % case, token=self.tracer)[1]
        self.assertEqual(len(wide["items"]), 3)
        trips = s.request("GET", "/api/v1/people/%d/trips" % case, token=self.tracer)[1]
        self.assertEqual([i["seat"]["text"] for i in trips["items"]], ["12C"])

        # Bad input: each names its field and changes nothing.
        self.assertError(self.board(t, [{"person_id": near, "seat": "C12"}]), 400, "passengers[0].seat")
        self.assertError(self.board(t, [{"person_id": near}, {"person_id": 99999999}]), 404, "passengers[1].person_id")
        self.assertError(self.board(t, [{"person_id": near, "row": 3}]), 400, "passengers[0].row")
        self.assertError(s.request("POST", "/api/v1/trips/999999/passengers", {"passengers": [{"person_id": near}]},
                                   token=self.tracer), 404, "id")
        self.assertError(s.request("POST", "/api/v1/trips", {
            "mode": "flight", "carrier": "QV", "service": "QV311", "origin": "VTE", "destination": "HAN",
            "departure": ts(30)}, token=self.tracer), 409, "service")
        self.assertError(s.request("POST", "/api/v1/trips", {
            "mode": "rocket", "carrier": "QV", "service": "X", "origin": "VTE", "destination": "HAN",
            "departure": ts(30)}, token=self.tracer), 400, "mode")
        self.assertError(s.request("POST", "/api/v1/trips", {
            "mode": "bus", "carrier": "QV", "service": "X", "origin": "VTE", "destination": "HAN",
            "departure": ts(30), "arrival": ts(31)}, token=self.tracer), 400, "arrival")
        self.assertError(s.request("GET", "/api/v1/people/%d/co-travellers?rows=-1" % case, token=self.tracer),
                         400, "rows")
        self.assertEqual(s.request("GET", "/api/v1/trips/%d" % t["id"], token=self.tracer)[1]["passengers"], 4)
        citizen = s.login("citizen")
        self.assertError(s.request("GET", "/api/v1/people/%d/co-travellers" % case, token=citizen), 403)

    def test_manifest_import_and_case_confirmation(self):
        s = self.server
        case = self.person("MF-CASE")
        seatmate = self.person("MF-SEAT", "VN")
        other = self.person("MF-FAR")
        head = "mode,carrier,service,origin,destination,departure,seat,carriage,person_id,document_number,nationality\n"
        trip = "train,LAO RAILWAY,D887,VTE,BOTEN,%s," % ts(40)
        csv = (head + trip + "3A,5,,MF-CASE,\n" + trip + "40B,5,,MF-SEAT,VN\n" + trip + "3A,6,,MF-FAR,\n" +
               trip + "3A,5,,NOBODY,\n" + trip + "3A,5\n")
        status, body, _ = s.request("POST", "/api/v1/travel/manifests?strict=true", raw=csv.encode(),
                                    headers={"Content-Type": "text/csv"}, token=self.tracer)
        self.assertEqual(status, 400, body)
        self.assertEqual([(r["line"], r["field"]) for r in body["rejected"]], [(5, "document_number"), (6, None)])
        status, body, _ = s.request("POST", "/api/v1/travel/manifests", raw=csv.encode(),
                                    headers={"Content-Type": "text/csv"}, token=self.tracer)
        self.assertEqual(status, 201, body)
        self.assertEqual((body["passengers"], body["trips_created"], len(body["rejected"])), (3, 1, 2))
        self.assertError(s.request("POST", "/api/v1/travel/manifests", raw=csv.encode(),
                                   headers={"Content-Type": "application/json"}, token=self.tracer),
                         400, "Content-Type")

        # Confirming the case makes the same-carriage passenger a first-hop contact, not the one
        # in the next carriage.
        status, c, _ = s.request("POST", "/api/v1/cases", {"person_id": case, "onset_at": ts(24)}, token=self.tracer)
        self.assertEqual(status, 201, c)
        contacts = s.request("GET", "/api/v1/cases/%d/contacts" % c["id"], token=self.tracer)[1]
        self.assertEqual([(x["person_id"], x["reason"], x["seat"]) for x in contacts["co_travellers"]],
                         [(seatmate, "same_carriage", "carriage 5, 40B")])
        colour = lambda p: s.request("GET", "/api/v1/people/%d/health-code" % p, token=self.tracer)[1]["colour"]
        self.assertEqual(colour(seatmate), "red")
        self.assertEqual(colour(other), "green")

        # The CLI answers the same, and imports manifests too.
        code, out, err = run_cli("trace", "co-travellers", str(case), "--json", db=s.db)
        self.assertEqual(code, 0, err)
        self.assertEqual([i["person_id"] for i in json.loads(out)["items"]], [seatmate])
        with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as f:
            f.write(json.dumps({"mode": "bus", "carrier": "SBS", "service": "7", "origin": "VTE",
                                "destination": "UDON", "departure": ts(20), "seat": "2",
                                "person_id": other}) + "\n")
            f.write('{"mode": "bus", "seat": 7}\n')
        code, out, err = run_cli("import", "travel", f.name, db=s.db)
        os.unlink(f.name)
        self.assertEqual(code, 1, out + err)
        self.assertIn("Imported 1 passengers (1 new trips); rejected 1 lines", out)
        self.assertIn(":2: carrier is required", err)
        code, out, err = run_cli("trace", "co-travellers", "99999999", db=s.db)
        self.assertNotEqual(code, 0)
        self.assertIn("person", err)

    def test_trace_cli_contacts_and_occupancy(self):
        s = self.server
        status, v, _ = s.request("POST", "/api/v1/venues", {
            "name": "Chợ đêm", "kind": "market", "capacity": 50, "org_unit_id": self.commune,
            "default_stay_minutes": 60}, token=self.admin)
        self.assertEqual(status, 201, v)
        a, b = self.person(), self.person()
        for p in (a, b):
            status, ci, _ = s.request("POST", "/api/v1/checkins", {"person_id": p, "venue_id": v["id"],
                                                                   "time_in": ts(5)}, token=self.admin)
            self.assertEqual(status, 201, ci)
        code, out, err = run_cli("trace", "contacts", str(a), "--json", db=s.db)
        self.assertEqual(code, 0, err)
        items = json.loads(out)["items"]
        self.assertEqual([(i["person_id"], i["hop"]) for i in items], [(b, 1)])
        self.assertIn("check-ins loaded", err)
        code, out, err = run_cli("trace", "occupancy", str(v["id"]), "--at", ts(4.5), db=s.db)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("2 present"), out)
        code, out, err = run_cli("trace", "contacts", str(a), "--from", "yesterday", db=s.db)
        self.assertNotEqual(code, 0)
        self.assertIn("--from", err)


if __name__ == "__main__":
    unittest.main()
