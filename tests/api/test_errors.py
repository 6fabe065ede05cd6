"""Bad input over HTTP: each case gets a clear 4xx with a JSON error naming the field, and
changes nothing already stored."""
import itertools
import unittest

from harness import ApiTestCase, ts

_seq = itertools.count(1)




class ErrorsTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)
        cls.other_commune = s.org_unit_id("QN-01-02", cls.admin)
        cls.far_commune = s.org_unit_id("QN-04-01", cls.admin)

    # --- helpers --------------------------------------------------------------------------

    def new_person(self, unit=None, **overrides):
        n = next(_seq)
        body = {"full_name": "Test Person %d" % n, "document_type": "national_id",
                "document_number": "9%011d" % n, "nationality": "VN", "language": "vi",
                "org_unit_id": unit or self.commune}
        body.update(overrides)
        status, person, _ = self.server.request("POST", "/api/v1/people", body, token=self.admin)
        self.assertEqual(status, 201, person)
        return person

    def new_citizen(self, unit=None):
        person = self.new_person(unit)
        username = "errors.citizen.%d" % next(_seq)
        status, user, _ = self.server.request("POST", "/api/v1/users", {
            "username": username, "password": "citizen-pass", "role": "citizen",
            "org_unit_id": unit or self.commune, "person_id": person["id"]}, token=self.admin)
        self.assertEqual(status, 201, user)
        return person, self.server.login(username, "citizen-pass")

    def new_venue(self, unit=None, token=None):
        status, venue, _ = self.server.request("POST", "/api/v1/venues", {
            "name": "Venue %d" % next(_seq), "kind": "cafe", "capacity": 30,
            "org_unit_id": unit or self.commune, "default_stay_minutes": 60}, token=token or self.admin)
        self.assertEqual(status, 201, venue)
        status, poster, _ = self.server.request("GET", "/api/v1/venues/%d/poster" % venue["id"], token=self.admin)
        self.assertEqual(status, 200, poster)
        return venue, poster["qr_text"]

    def people_in(self, unit):
        status, body, _ = self.server.request("GET", "/api/v1/people?limit=500&org_unit_id=%d" % unit,
                                              token=self.admin)
        self.assertEqual(status, 200, body)
        return body["items"]

    def checkins_of(self, person_id):
        status, body, _ = self.server.request("GET", "/api/v1/people/%d/checkins" % person_id, token=self.admin)
        self.assertEqual(status, 200, body)
        return body["items"]

    # --- request bodies -------------------------------------------------------------------

    def test_malformed_bodies_name_the_problem(self):
        """Malformed JSON, wrong types, unknown and missing fields, ranges, Content-Type."""
        s = self.server
        before = self.people_in(self.commune)
        good = {"full_name": "X", "document_type": "national_id", "document_number": "malformed-1",
                "nationality": "VN", "language": "vi", "org_unit_id": self.commune}
        cases = [
            (dict(raw=b'{"full_name": '), "body"),
            (dict(raw=b'[1, 2]'), "body"),
            (dict(body=dict(good, full_name=42)), "full_name"),
            (dict(body=dict(good, org_unit_id="one")), "org_unit_id"),
            (dict(body=dict(good, nickname="Bé")), "nickname"),
            (dict(body={k: v for k, v in good.items() if k != "document_number"}), "document_number"),
            (dict(body=dict(good, nationality="vn")), "nationality"),
            (dict(body=dict(good, language="fr")), "language"),
            (dict(body=dict(good, document_type="library_card")), "document_type"),
            (dict(body=dict(good, phone="0912")), "phone"),
            (dict(body=dict(good, full_name="x" * 201)), "full_name"),
            (dict(body=good, headers={"Content-Type": "text/plain"}), "Content-Type"),
        ]
        for kwargs, field in cases:
            with self.subTest(field=field):
                self.assertError(s.request("POST", "/api/v1/people", token=self.admin, **kwargs), 400, field)
        v = {"name": "V", "kind": "cafe", "capacity": 10, "org_unit_id": self.commune}
        for body, field in [(dict(v, capacity=0), "capacity"), (dict(v, capacity="10"), "capacity"),
                            (dict(v, default_stay_minutes=5000), "default_stay_minutes"),
                            (dict(v, capacity=2 ** 70), "capacity")]:
            with self.subTest(field=field):
                self.assertError(s.request("POST", "/api/v1/venues", body, token=self.admin), 400, field)
        self.assertEqual(self.people_in(self.commune), before)

    def test_oversize_body_is_413_and_the_server_carries_on(self):
        """A body over the 4 MiB default is refused whole; the next request is served."""
        s = self.server
        huge = b'{"full_name": "' + b"a" * (4 << 20) + b'"}'
        err = self.assertError(s.request("POST", "/api/v1/people", raw=huge, token=self.admin), 413)
        self.assertEqual(err["code"], "payload_too_large")
        status, body, _ = s.request("GET", "/healthz")
        self.assertEqual((status, body), (200, {"status": "ok"}))

    def test_bad_ids_in_paths(self):
        """Ids that are not positive integers are 400; unknown ones 404."""
        s = self.server
        for bad in ("abc", "0", "-1", "1.5", "9" * 30):
            with self.subTest(id=bad):
                self.assertError(s.request("GET", "/api/v1/people/%s" % bad, token=self.admin), 400, "id")
        self.assertError(s.request("GET", "/api/v1/people/99999999", token=self.admin), 404)
        self.assertError(s.request("GET", "/api/v1/cases/99999999/contacts", token=self.admin), 404)
        self.assertError(s.request("GET", "/api/v1/venues/99999999/poster.png", token=self.admin), 404)
        for q in ("limit=0", "limit=abc", "limit=100000", "offset=-1"):
            with self.subTest(query=q):
                field = q.split("=")[0]
                self.assertError(s.request("GET", "/api/v1/people?" + q, token=self.admin), 400, field)

    # --- authentication and scope ---------------------------------------------------------

    def test_missing_bad_and_ended_tokens_are_401(self):
        """No token, a garbage token, a logged-out token; wrong password says no more than unknown user."""
        s = self.server
        self.assertError(s.request("GET", "/api/v1/auth/me"), 401, code="unauthenticated")
        self.assertError(s.request("GET", "/api/v1/auth/me", token="not-a-token"), 401)
        self.assertError(s.request("GET", "/api/v1/auth/me", api_key="mk_bogus"), 401)
        token = s.login("tracer.halong")
        self.assertEqual(s.request("GET", "/api/v1/auth/me", token=token)[0], 200)
        self.assertEqual(s.request("POST", "/api/v1/auth/logout", token=token)[0], 200)
        self.assertError(s.request("GET", "/api/v1/auth/me", token=token), 401)
        wrong = self.assertError(s.request("POST", "/api/v1/auth/login",
                                           {"username": "admin", "password": "nope-nope"}), 401)
        unknown = self.assertError(s.request("POST", "/api/v1/auth/login",
                                             {"username": "nobody.here", "password": "nope-nope"}), 401)
        self.assertEqual(wrong["message"], unknown["message"])

    def test_roles_stay_inside_their_org_unit(self):
        """A commune officer, a district operator and a citizen act only within their scope."""
        s = self.server
        outsider = self.new_person(self.other_commune)
        officer = s.login("officer.commune")  # QN-01-01 only
        # Someone outside the officer's unit reads like someone who does not exist: ids cannot be probed.
        self.assertError(s.request("GET", "/api/v1/people/%d" % outsider["id"], token=officer), 404, "id")
        self.assertError(s.request("GET", "/api/v1/people/%d/health-code" % outsider["id"], token=officer), 404)
        self.assertError(s.request("GET", "/api/v1/people?org_unit_id=%d" % self.other_commune, token=officer), 404,
                         "org_unit_id")
        listed = s.request("GET", "/api/v1/people?limit=500", token=officer)[1]["items"]
        self.assertNotIn(outsider["id"], [p["id"] for p in listed])
        self.assertError(s.request("POST", "/api/v1/people", {
            "full_name": "Y", "document_type": "national_id", "document_number": "scope-1", "nationality": "VN",
            "language": "vi", "org_unit_id": self.other_commune}, token=officer), 403)

        operator = s.login("operator.halong")  # Hạ Long district
        self.assertError(s.request("POST", "/api/v1/venues", {
            "name": "Far away", "kind": "cafe", "capacity": 5, "org_unit_id": self.far_commune},
            token=operator), 403)
        tracer = s.login("tracer.halong")
        self.assertError(s.request("POST", "/api/v1/venues", {
            "name": "Not mine", "kind": "cafe", "capacity": 5, "org_unit_id": self.commune}, token=tracer), 403)
        checkpoint = s.login("checkpoint.mongcai")
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": outsider["id"], "onset_at": ts(24)},
                                   token=checkpoint), 403)
        # Checkpoints verify travellers from anywhere.
        self.assertEqual(s.request("GET", "/api/v1/people/%d/health-code" % outsider["id"], token=checkpoint)[0], 200)

        person, citizen = self.new_citizen()
        self.assertEqual(s.request("GET", "/api/v1/people/%d" % person["id"], token=citizen)[0], 200)
        self.assertError(s.request("GET", "/api/v1/people/%d" % outsider["id"], token=citizen), 403)
        self.assertError(s.request("GET", "/api/v1/people", token=citizen), 403)
        # The admin is province-wide, but a top-level unit is not theirs to add under someone else.
        self.assertError(s.request("POST", "/api/v1/org-units", {"level": "district", "name": "X", "code": "QN-99"},
                                   token=officer), 403)

    # --- check-ins ------------------------------------------------------------------------

    def test_bad_checkins_change_nothing(self):
        """Forged posters, bad times, duplicates, double check-outs, other people's check-ins."""
        s = self.server
        venue, qr = self.new_venue()
        person, citizen = self.new_citizen()
        other, other_citizen = self.new_citizen()

        status, ci, _ = s.request("POST", "/api/v1/checkins", {"qr": qr, "time_in": ts(3)}, token=citizen)
        self.assertEqual(status, 201, ci)
        stored = self.checkins_of(person["id"])

        forged = qr[:-1] + ("A" if qr[-1] != "A" else "B")
        bad = [
            ({"qr": forged, "time_in": ts(2)}, 400, "qr"),
            ({"qr": "HC1:NCFOXN", "time_in": ts(2)}, 400, "qr"),
            ({"time_in": ts(2)}, 400, "qr"),
            ({"qr": qr, "venue_id": venue["id"]}, 400, "qr"),
            ({"venue_id": venue["id"]}, 400, None),
            ({"qr": qr, "time_in": ts(-2)}, 400, "time_in"),
            ({"qr": qr, "time_in": ts(40 * 24)}, 400, "time_in"),
            ({"qr": qr, "time_in": "yesterday"}, 400, "time_in"),
            ({"qr": qr, "time_in": ts(3, 10)}, 409, "venue_id"),  # still checked in here
        ]
        for body, status_code, field in bad:
            with self.subTest(body=body):
                self.assertError(s.request("POST", "/api/v1/checkins", body, token=citizen), status_code, field)
        # A citizen may not check in someone else.
        self.assertError(s.request("POST", "/api/v1/checkins", {"qr": qr, "person_id": other["id"]},
                                   token=citizen), 403)

        path = "/api/v1/checkins/%d/checkout" % ci["id"]
        self.assertError(s.request("POST", path, {"time_out": ts(4)}, token=citizen), 400, "time_out")
        self.assertError(s.request("POST", path, {"time_out": ts(-1)}, token=citizen), 400, "time_out")
        self.assertError(s.request("POST", path, {"time_out": ts(2)}, token=other_citizen), 403)
        self.assertEqual(self.checkins_of(person["id"]), stored)

        self.assertEqual(s.request("POST", path, {"time_out": ts(2)}, token=citizen)[0], 200)
        self.assertError(s.request("POST", path, {"time_out": ts(1)}, token=citizen), 409)
        self.assertError(s.request("POST", "/api/v1/checkins/99999999/checkout", {}, token=citizen), 404)

        # Staff record check-ins only at venues and for people in their org unit.
        far_venue, _ = self.new_venue(self.far_commune)
        officer = s.login("officer.commune")
        self.assertError(s.request("POST", "/api/v1/checkins", {"venue_id": far_venue["id"],
                                                                "person_id": person["id"]}, token=officer), 403)
        self.assertError(s.request("POST", "/api/v1/checkins", {"venue_id": venue["id"]}, token=officer), 400,
                         "person_id")
        self.assertError(s.request("POST", "/api/v1/checkins", {"venue_id": venue["id"], "person_id": 99999999},
                                   token=officer), 404, "person_id")
        self.assertEqual(len(self.checkins_of(person["id"])), 1)

    def test_batch_checkins(self):
        """A device uploads many check-ins: good ones land, bad ones come back by index; strict is all or nothing."""
        s = self.server
        venue, _ = self.new_venue()
        far_venue, _ = self.new_venue(self.far_commune)
        people = [self.new_person() for _ in range(3)]
        status, device, _ = s.request("POST", "/api/v1/users", {"username": "scanner.%d" % next(_seq),
                                                                "role": "device", "org_unit_id": self.commune},
                                      token=self.admin)
        self.assertEqual(status, 201, device)
        key = device["api_key"]
        batch = [
            {"person_id": people[0]["id"], "venue_id": venue["id"], "time_in": ts(6), "time_out": ts(5)},
            {"person_id": people[1]["id"], "venue_id": venue["id"], "time_in": ts(6)},
            {"person_id": people[2]["id"], "venue_id": far_venue["id"], "time_in": ts(6)},   # not its unit
            {"person_id": people[2]["id"], "venue_id": venue["id"], "time_in": ts(-3)},      # future
            {"person_id": people[0]["id"], "venue_id": venue["id"], "time_in": ts(6), "time_out": ts(5)},  # dup
            {"person_id": people[2]["id"], "venue_id": venue["id"], "time_in": ts(6), "colour": "red"},
        ]
        strict = s.request("POST", "/api/v1/checkins/batch", {"checkins": batch, "strict": True}, api_key=key)
        err = self.assertError(strict, 400)
        self.assertEqual(err["field"], "checkins[2].venue_id")
        self.assertEqual([self.checkins_of(p["id"]) for p in people], [[], [], []])

        status, body, _ = s.request("POST", "/api/v1/checkins/batch", {"checkins": batch}, api_key=key)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["imported"], 2)
        self.assertEqual([(r["index"], r["field"]) for r in body["rejected"]],
                         [(2, "venue_id"), (3, "time_in"), (4, None), (5, "colour")])
        self.assertEqual(len(self.checkins_of(people[0]["id"])), 1)
        self.assertEqual(self.checkins_of(people[1]["id"])[0]["closed_by"], "default_stay")
        self.assertEqual(self.checkins_of(people[2]["id"]), [])
        for bad, field in (({"checkins": []}, "checkins"), ({"checkins": "x"}, "checkins"),
                           ({"checkins": [{}] * 10001}, "checkins"), ({"rows": []}, "rows"),
                           ({"checkins": [batch[0]], "strict": "yes"}, "strict")):
            self.assertError(s.request("POST", "/api/v1/checkins/batch", bad, api_key=key), 400, field)
        self.assertError(s.request("POST", "/api/v1/checkins/batch", {"checkins": batch},
                                   token=s.login("tracer.halong")), 403)

    # --- cases, users, people -------------------------------------------------------------

    def test_bad_cases(self):
        """A case needs a person, an onset or sample in the past, and only once."""
        s = self.server
        tracer = s.login("tracer.halong")
        person = self.new_person()
        status, before, _ = s.request("GET", "/api/v1/cases?limit=500", token=tracer)
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": person["id"]}, token=tracer), 400,
                         "onset_at")
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": person["id"], "onset_at": ts(-5)},
                                   token=tracer), 400, "onset_at")
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": person["id"], "onset_at": ts(24),
                                                             "isolated_at": ts(24 * 5)}, token=tracer), 400,
                         "isolated_at")
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": 99999999, "onset_at": ts(24)},
                                   token=tracer), 404, "person_id")
        self.assertEqual(s.request("GET", "/api/v1/cases?limit=500", token=tracer)[1], before)
        self.assertEqual(s.request("POST", "/api/v1/cases", {"person_id": person["id"], "sample_at": ts(24)},
                                   token=tracer)[0], 201)
        self.assertError(s.request("POST", "/api/v1/cases", {"person_id": person["id"], "sample_at": ts(24)},
                                   token=tracer), 409, "person_id")

    def test_unknown_references_name_the_field_sent(self):
        """An id in a body or query that does not exist is a 404 naming that field, not "id"."""
        s = self.server
        person = {"full_name": "Nobody", "document_type": "passport", "document_number": "NOREF1",
                  "nationality": "VN", "language": "vi", "org_unit_id": 99999999}
        self.assertError(s.request("POST", "/api/v1/people", person, token=self.admin), 404, "org_unit_id")
        self.assertError(s.request("POST", "/api/v1/org-units", {"level": "commune", "name": "X", "code": "X-1",
                                                                 "parent_id": 99999999}, token=self.admin),
                         404, "parent_id")
        self.assertError(s.request("GET", "/api/v1/people?org_unit_id=99999999", token=self.admin), 404,
                         "org_unit_id")
        self.assertError(s.request("GET", "/api/v1/access-log?person_id=99999999", token=self.admin), 404,
                         "person_id")
        self.assertError(s.request("POST", "/api/v1/users", {"username": "noref.user", "password": "long-enough",
                                                             "role": "tracer", "org_unit_id": 99999999},
                                   token=self.admin), 404, "org_unit_id")

    def test_bad_users_and_duplicate_people(self):
        """Usernames, roles and passwords are checked; a document registers once."""
        s = self.server
        base = {"username": "dup.user", "password": "long-enough", "role": "tracer", "org_unit_id": self.commune}
        self.assertEqual(s.request("POST", "/api/v1/users", base, token=self.admin)[0], 201)
        self.assertError(s.request("POST", "/api/v1/users", base, token=self.admin), 409, "username")
        self.assertError(s.request("POST", "/api/v1/users", dict(base, username="r.1", role="wizard"),
                                   token=self.admin), 400, "role")
        self.assertError(s.request("POST", "/api/v1/users", dict(base, username="p.1", password="short"),
                                   token=self.admin), 400, "password")
        self.assertError(s.request("POST", "/api/v1/users", dict(base, username="Bad Name"), token=self.admin),
                         400, "username")
        person = self.new_person(document_type="passport", document_number="DUP123", nationality="KR",
                                 language="ko")
        self.assertError(s.request("POST", "/api/v1/people", {
            "full_name": "Someone Else", "document_type": "passport", "document_number": "DUP123",
            "nationality": "KR", "language": "ko", "org_unit_id": self.commune}, token=self.admin), 409,
            "document_number")
        self.assertEqual(s.request("GET", "/api/v1/people/%d" % person["id"], token=self.admin)[1]["full_name"],
                         person["full_name"])
        # A session logs out; an API key does not.
        status, device, _ = s.request("POST", "/api/v1/users", {"username": "gate.test.%d" % next(_seq),
                                                                "role": "device", "org_unit_id": self.commune},
                                      token=self.admin)
        self.assertEqual(status, 201, device)
        self.assertError(s.request("POST", "/api/v1/auth/logout", api_key=device["api_key"]), 400, "Authorization")
        self.assertEqual(s.request("GET", "/api/v1/auth/me", api_key=device["api_key"])[1]["role"], "device")


if __name__ == "__main__":
    unittest.main()
