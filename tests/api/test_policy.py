"""The health-code policy over HTTP and the CLI: errors by line, versions, risk areas declared
and lifted, and the events (tests, vaccinations, symptoms) that recompute a code."""
import os
import tempfile
import time
import unittest

import harness
from harness import ApiTestCase, run_cli, ts


class PolicyTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.officer = s.login("officer.province")
        cls.tracer = s.login("tracer.halong")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)

    def put_policy(self, text, token=None):
        return self.server.request("PUT", "/api/v1/policy", raw=text.encode(), token=token or self.admin,
                                   headers={"Content-Type": "application/toml"})

    def active(self):
        status, body, _ = self.server.request("GET", "/api/v1/policy", token=self.tracer)
        self.assertEqual(status, 200, body)
        return body

    def person(self, n, language="th"):
        status, p, _ = self.server.request("POST", "/api/v1/people", {
            "full_name": "Policy %d" % n, "document_type": "passport", "document_number": "PL%06d" % n,
            "nationality": "TH", "language": language, "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201, p)
        return p["id"]

    def venue(self, name):
        status, v, _ = self.server.request("POST", "/api/v1/venues", {
            "name": name, "kind": "market", "capacity": 100, "org_unit_id": self.commune,
            "default_stay_minutes": 60}, token=self.admin)
        self.assertEqual(status, 201, v)
        return v["id"]

    def check_in(self, person, venue, time_in, time_out):
        status, ci, _ = self.server.request("POST", "/api/v1/checkins", {
            "person_id": person, "venue_id": venue, "time_in": time_in}, token=self.admin)
        self.assertEqual(status, 201, ci)
        status, co, _ = self.server.request("POST", "/api/v1/checkins/%d/checkout" % ci["id"],
                                            {"time_out": time_out}, token=self.admin)
        self.assertEqual(status, 200, co)

    def code(self, person):
        status, c, _ = self.server.request("GET", "/api/v1/people/%d/health-code" % person, token=self.tracer)
        self.assertEqual(status, 200, c)
        return c

    def test_policy_file_errors_versions_and_cli(self):
        """A bad policy is refused with every error and its line; a good one becomes the next version."""
        s = self.server
        current = self.active()
        text = current["text"]
        version = current["version"]
        bad = text.replace('threshold_celsius = 37.3', 'threshold_celsius = 51', 1).replace(
            "version = %d" % version, "version = %d" % (version + 1), 1)
        line = bad.splitlines().index([l for l in bad.splitlines() if l.startswith("threshold_celsius = 51")][0]) + 1
        status, body, _ = self.put_policy(bad)
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["field"], "policy")
        self.assertEqual(body["errors"][0]["line"], line)
        self.assertEqual(body["errors"][0]["field"], "rules.fever.threshold_celsius")
        self.assertEqual(self.active()["version"], version)  # nothing changed
        # The same version again is a conflict; only admins may activate; TOML only.
        self.assertError(self.put_policy(text), 409, "version")
        self.assertError(self.put_policy(text, token=self.tracer), 403)
        self.assertError(s.request("PUT", "/api/v1/policy", raw=b"x", token=self.admin,
                                   headers={"Content-Type": "application/json"}), 400, "Content-Type")

        # The CLI explains the same file by line, and exits 1.
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write(bad)
        code, out, err = run_cli("policy", "check", f.name, db=s.db)
        self.assertEqual(code, 1, out + err)
        self.assertIn("%s:%d: rules.fever.threshold_celsius" % (f.name, line), err)
        good = bad.replace("threshold_celsius = 51", "threshold_celsius = 38.0")
        with open(f.name, "w") as g:
            g.write(good)
        code, out, err = run_cli("policy", "check", f.name, db=s.db)
        self.assertEqual(code, 0, err)
        os.unlink(f.name)

        status, body, _ = s.request("POST", "/api/v1/policy/check", raw=good.encode(), token=self.tracer,
                                    headers={"Content-Type": "application/toml"})
        self.assertEqual((status, body["valid"]), (200, True), body)
        status, body, _ = self.put_policy(good)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["version"], version + 1)
        self.assertEqual(self.active()["version"], version + 1)
        status, versions, _ = s.request("GET", "/api/v1/policy/versions", token=self.tracer)
        self.assertEqual([v["version"] for v in versions["items"]][:2], [version + 1, version])
        status, old, _ = s.request("GET", "/api/v1/policy?version=%d" % version, token=self.tracer)
        self.assertEqual(old["text"], text)

    def test_risk_area_colours_its_visitors_until_lifted(self):
        """Declaring a high-risk area turns its recent visitors red at once; a visit after the
        lift does not count; a short visit under the minimum stay never counted."""
        s = self.server
        market = self.venue("Chợ đêm Hạ Long")
        visitor, brief, later = self.person(101), self.person(102, "vi"), self.person(103)
        self.check_in(visitor, market, ts(5), ts(5, 40))
        self.check_in(brief, market, ts(5), ts(5, 5))
        self.assertEqual(self.code(visitor)["colour"], "green")

        self.assertError(s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "level": "severe", "venue_id": market, "from": ts(24)}, token=self.officer),
            400, "level")
        self.assertError(s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "level": "high", "venue_id": 999999, "from": ts(24)}, token=self.officer),
            404, "venue_id")
        self.assertError(s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "level": "high", "from": ts(24)}, token=self.officer), 400, "venue_id")
        self.assertError(s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "level": "high", "venue_id": market, "from": ts(24)}, token=self.tracer), 403)

        status, body, _ = s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "name": "Chợ đêm", "level": "high", "venue_id": market, "from": ts(24),
            "min_stay_minutes": 15}, token=self.officer)
        self.assertEqual(status, 201, body)
        self.assertGreaterEqual(body["recomputed"], 2)
        code = self.code(visitor)
        self.assertEqual(code["colour"], "red", code)
        self.assertEqual(code["reasons"][0]["rule"], "risk_area_high")
        self.assertIn("Chợ đêm", code["reasons"][0]["detail"])
        self.assertEqual(code["language"], "th")
        self.assertEqual(code["policy_version"], body["version"])
        self.assertEqual(self.code(brief)["colour"], "green")  # 5 minutes < 15
        self.assertError(s.request("POST", "/api/v1/risk-areas", {
            "id": "night-market", "level": "high", "venue_id": market, "from": ts(24)}, token=self.officer),
            409, "id")
        status, summary, _ = s.request("GET", "/api/v1/health-codes/summary", token=self.officer)
        self.assertGreaterEqual(summary["red"], 1)

        status, lifted, _ = s.request("POST", "/api/v1/risk-areas/night-market/lift", {"at": ts(1)},
                                      token=self.officer)
        self.assertEqual(status, 201, lifted)
        self.assertEqual(lifted["version"], body["version"] + 1)
        self.check_in(later, market, ts(0.5), ts(0.5, 30))
        self.assertEqual(self.code(later)["colour"], "green")
        self.assertEqual(self.code(visitor)["colour"], "red")  # was there while it was declared
        self.assertError(s.request("POST", "/api/v1/risk-areas/night-market/lift", {}, token=self.officer), 409,
                         "area")
        self.assertError(s.request("POST", "/api/v1/risk-areas/nowhere/lift", {}, token=self.officer), 404, "area")

    def test_events_recompute_the_code(self):
        """Symptoms turn a citizen yellow in their language; a negative test clears it; bad input
        names the field and stores nothing."""
        s = self.server
        person = self.person(201)
        status, _, _ = s.request("POST", "/api/v1/users", {
            "username": "policy.citizen", "password": "policy-pass", "role": "citizen",
            "org_unit_id": self.commune, "person_id": person}, token=self.admin)
        self.assertEqual(status, 201)
        citizen = s.login("policy.citizen", "policy-pass")
        status, code, _ = s.request("POST", "/api/v1/me/symptoms", {"symptoms": "ไอ มีไข้"}, token=citizen)
        self.assertEqual(status, 201, code)
        self.assertEqual(code["colour"], "yellow")
        self.assertEqual(code["reasons"][0]["rule"], "symptoms")
        self.assertTrue(code["reasons"][0]["detail"].startswith("รายงานอาการ"), code["reasons"][0]["detail"])
        self.assertIsNotNone(code["green_at"])

        self.assertError(s.request("POST", "/api/v1/people/%d/tests" % person, {
            "result": "maybe", "kind": "pcr", "sampled_at": ts(0)}, token=self.tracer), 400, "result")
        self.assertError(s.request("POST", "/api/v1/people/%d/tests" % person, {
            "result": "negative", "kind": "pcr", "sampled_at": ts(-2)}, token=self.tracer), 400, "sampled_at")
        self.assertError(s.request("POST", "/api/v1/people/%d/tests" % person, {
            "result": "negative", "kind": "saliva", "sampled_at": ts(0)}, token=self.tracer), 400, "kind")
        self.assertError(s.request("POST", "/api/v1/people/%d/tests" % person, {
            "result": "negative", "kind": "pcr", "sampled_at": ts(0)}, token=citizen), 403)
        self.assertEqual(self.code(person)["colour"], "yellow")

        time.sleep(1.1)  # a test counts only if sampled after the symptoms were reported
        status, code, _ = s.request("POST", "/api/v1/people/%d/tests" % person, {
            "result": "negative", "kind": "pcr", "sampled_at": ts(0)}, token=self.tracer)
        self.assertEqual((status, code["colour"]), (201, "green"), code)

        clinician = s.login("clinician")
        dose = {"vaccine": "EU/1/20/1528", "dose": 1, "given_at": ts(24 * 90), "country": "TH"}
        status, code, _ = s.request("POST", "/api/v1/people/%d/vaccinations" % person, dose, token=clinician)
        self.assertEqual(status, 201, code)
        self.assertError(s.request("POST", "/api/v1/people/%d/vaccinations" % person, dose, token=clinician),
                         409, "dose")
        self.assertError(s.request("POST", "/api/v1/people/%d/vaccinations" % person,
                                   dict(dose, dose=2, country="th"), token=clinician), 400, "country")
        self.assertError(s.request("POST", "/api/v1/people/%d/vaccinations" % person,
                                   dict(dose, dose=2, given_at=ts(-3)), token=clinician), 400, "given_at")
        self.assertError(s.request("POST", "/api/v1/people/999999/vaccinations",
                                   dict(dose, dose=2), token=clinician), 404)


if __name__ == "__main__":
    unittest.main()
