"""The symptom self-assessment over HTTP and the CLI: the questionnaire in every language, a
recommendation with its reasons, symptoms that reach the health code, bad answers refused with
nothing stored, scope, and versions activated by the API and the command line."""
import os
import re
import tempfile
import unittest

from harness import ApiTestCase, run_cli


class ScreeningTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)
        cls.other_district = s.org_unit_id("QN-02", cls.admin)

    def new_citizen(self, n):
        s = self.server
        status, person, _ = s.request("POST", "/api/v1/people", {
            "full_name": "Screened %d" % n, "document_type": "passport", "document_number": "SC%06d" % n,
            "nationality": "LA", "language": "lo", "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201, person)
        status, _, _ = s.request("POST", "/api/v1/users", {
            "username": "screened.%d" % n, "password": "screened-pass", "role": "citizen",
            "org_unit_id": self.commune, "person_id": person["id"]}, token=self.admin)
        self.assertEqual(status, 201)
        return person["id"], s.login("screened.%d" % n, "screened-pass")

    def questionnaire(self, token):
        status, q, _ = self.server.request("GET", "/api/v1/screening", token=token)
        self.assertEqual(status, 200, q)
        return q

    @staticmethod
    def answers(q, **yes):
        out = {}
        for question in q["questions"]:
            if question["kind"] == "yes_no":
                out[question["id"]] = question["id"] in yes
            elif question["kind"] == "number":
                out[question["id"]] = yes.get(question["id"], question["min"])
        return out

    def assess(self, token, body, path="/api/v1/me/assessments"):
        return self.server.request("POST", path, body, token=token)

    def history(self, token):
        status, body, _ = self.server.request("GET", "/api/v1/me/assessments", token=token)
        self.assertEqual(status, 200, body)
        return body["items"]

    def put(self, text, token):
        return self.server.request("PUT", "/api/v1/screening", raw=text.encode(), token=token,
                                   headers={"Content-Type": "application/toml"})

    def test_assessment_reports_symptoms_to_the_code(self):
        """Fever and cough recommend a test and turn a green code yellow in the same answer."""
        person, token = self.new_citizen(1)
        q = self.questionnaire(token)
        self.assertEqual(q["untranslated"], [])
        fever = next(x for x in q["questions"] if x["id"] == "fever")
        self.assertEqual(len(fever["text"]), 15)
        self.assertIn("ໄຂ້", fever["text"]["lo"])

        status, code, _ = self.server.request("GET", "/api/v1/people/%d/health-code" % person, token=token)
        self.assertEqual((status, code["colour"]), (200, "green"), code)
        status, a, _ = self.assess(token, {"version": q["version"],
                                           "answers": self.answers(q, fever=1, cough=1)})
        self.assertEqual(status, 201, a)
        self.assertEqual((a["outcome"], a["points"], a["symptoms"]), ("test", 3, ["fever", "cough"]))
        self.assertEqual([r["question"] for r in a["reasons"]], ["fever", "cough"])
        self.assertEqual(a["code"]["colour"], "yellow")
        self.assertEqual(a["answers"]["fever"], "yes")
        status, code, _ = self.server.request("GET", "/api/v1/people/%d/health-code" % person, token=token)
        self.assertEqual(code["colour"], "yellow", code)

        # Danger signs are an emergency whatever the points; nothing else answered yes.
        status, a, _ = self.assess(token, {"version": q["version"],
                                           "answers": self.answers(q, danger_signs=1)})
        self.assertEqual((status, a["outcome"], a["points"]), (201, "emergency", 0), a)
        items = self.history(token)
        self.assertEqual([i["outcome"] for i in items], ["emergency", "test"])
        self.assertNotIn("code", items[0])

        # A healthy answer stores an assessment and changes no code.
        status, a, _ = self.assess(token, {"version": q["version"], "answers": self.answers(q)})
        self.assertEqual((status, a["outcome"], a["code"]), (201, "home_care", None), a)

    def test_bad_answers_and_scope_store_nothing(self):
        person, token = self.new_citizen(2)
        q = self.questionnaire(token)
        good = self.answers(q)
        for answers, field in [
                (dict(good, fever="yes"), "answers.fever"),
                (dict(good, days_unwell=-1), "answers.days_unwell"),
                (dict(good, days_unwell=2.5), "answers.days_unwell"),
                (dict(good, smell=True), "answers.smell"),
                ({k: v for k, v in good.items() if k != "cough"}, "answers.cough")]:
            self.assertError(self.assess(token, {"version": q["version"], "answers": answers}), 400, field)
        self.assertError(self.assess(token, {"version": q["version"], "answers": [1]}), 400, "answers")
        self.assertError(self.assess(token, {"answers": good}), 400, "version")
        self.assertError(self.assess(token, {"version": q["version"] + 1, "answers": good}), 409, "version")
        self.assertEqual(self.history(token), [])

        # Staff of the person's district assess for them; another district's staff cannot see them.
        tracer, _ = self.server.staff(self.admin, "tracer", self.commune)
        far, _ = self.server.staff(self.admin, "tracer", self.other_district)
        path = "/api/v1/people/%d/assessments" % person
        status, a, _ = self.assess(tracer, {"version": q["version"], "answers": good}, path)
        self.assertEqual(status, 201, a)
        self.assertError(self.assess(far, {"version": q["version"], "answers": good}, path), 404, "id")
        self.assertError(self.server.request("GET", path, token=far), 404, "id")
        status, listed, _ = self.server.request("GET", path, token=tracer)
        self.assertEqual([i["id"] for i in listed["items"]], [a["id"]])
        other, _ = self.new_citizen(3)
        self.assertError(self.assess(token, {"version": q["version"], "answers": good},
                                     "/api/v1/people/%d/assessments" % other), 403)

    def test_versions_by_api_and_cli(self):
        """A broken file is refused with every error and its line; a good one is the next
        version, and answers to the old one are refused."""
        s = self.server
        status, f, _ = s.request("GET", "/api/v1/screening/file", token=self.admin)
        self.assertEqual(status, 200, f)
        text = f["text"]
        version = int(re.search(r"^version = (\d+)", text, re.M).group(1))
        broken = text.replace('kind = "number"', 'kind = "numeric"').replace("test = 3 ", "tset = 3 ")
        broken = re.sub(r"^version = \d+", "version = %d" % (version + 1), broken, count=1, flags=re.M)
        status, body, _ = s.request("POST", "/api/v1/screening/check", raw=broken.encode(),
                                    token=self.admin, headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["field"], "questionnaire")
        got = [(e["field"], e["line"]) for e in body["errors"]]
        lines = broken.split("\n")
        tset = next(i for i, l in enumerate(lines, 1) if l.startswith("tset"))
        numeric = next(i for i, l in enumerate(lines, 1) if "numeric" in l)
        self.assertIn(("outcomes.tset", tset), got)
        self.assertIn(("questions[days_unwell].kind", numeric), got)
        self.assertEqual(self.put(broken, self.admin)[0], 400)

        _, citizen = self.new_citizen(4)
        self.assertError(self.put(text, citizen), 403)
        self.assertError(self.put(text, self.admin), 409, "version")
        bumped = re.sub(r"^version = \d+", "version = %d" % (version + 1), text, count=1, flags=re.M)
        status, body, _ = s.request("POST", "/api/v1/screening/check", raw=bumped.encode(),
                                    token=self.admin, headers={"Content-Type": "text/plain"})
        self.assertEqual((status, body["valid"], body["untranslated"]), (200, True, []), body)
        status, done, _ = self.put(bumped, self.admin)
        self.assertEqual((status, done["version"]), (201, version + 1), done)
        q = self.questionnaire(citizen)
        self.assertEqual(q["version"], version + 1)
        self.assertError(self.assess(citizen, {"version": version, "answers": self.answers(q)}), 409, "version")

        # The command line: check names the line, activate makes the next version, which the
        # running server reads from the store.
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as tmp:
            tmp.write(broken)
        try:
            code, out, err = run_cli("screening", "check", tmp.name, db=s.db)
            self.assertEqual(code, 1)
            self.assertIn("%s:%d: outcomes.tset: is not a questionnaire key" % (tmp.name, tset), err)
            with open(tmp.name, "w") as w:
                w.write(re.sub(r"^version = \d+", "version = %d" % (version + 2), text, count=1, flags=re.M))
            code, out, err = run_cli("screening", "activate", tmp.name, db=s.db)
            self.assertEqual(code, 0, err)
            self.assertIn("Questionnaire version %d" % (version + 2), out)
            code, out, err = run_cli("screening", "activate", tmp.name, db=s.db)
            self.assertEqual(code, 1)
            self.assertIn("version must be above", err)
        finally:
            os.unlink(tmp.name)
        self.assertEqual(self.questionnaire(citizen)["version"], version + 2)
        status, versions, _ = s.request("GET", "/api/v1/screening/versions", token=self.admin)
        self.assertEqual([v["version"] for v in versions["items"]][:3],
                         [version + 2, version + 1, version])
        self.assertIsNone(versions["items"][0]["activated_by"])  # the command line


if __name__ == "__main__":
    unittest.main()
