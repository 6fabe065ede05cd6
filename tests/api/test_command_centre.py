"""The command centre over HTTP: directives down the org-unit tree and their answers, tasks,
situation reports up, and the dashboard kept in memory by the change feed, with the scope
rules (a commune sees its own, a district its communes, the province all; nobody issues a
directive upward) and bad input."""
import datetime
import itertools
import time
import unittest

from harness import ApiTestCase, Server, run_cli, ts

_seq = itertools.count(1)


class CommandCentreTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.province_officer = s.login("officer.province")
        cls.commune_officer = s.login("officer.commune")  # QN-01-01
        cls.tracer = s.login("tracer.halong")  # QN-01
        cls.province = s.org_unit_id("VN-QN", cls.admin)
        cls.d1 = s.org_unit_id("QN-01", cls.admin)
        cls.d2 = s.org_unit_id("QN-02", cls.admin)
        cls.c11 = s.org_unit_id("QN-01-01", cls.admin)
        cls.c12 = s.org_unit_id("QN-01-02", cls.admin)
        cls.c21 = s.org_unit_id("QN-02-01", cls.admin)
        cls.d1_officer, cls.d1_officer_id = cls.officer(cls.d1)
        cls.d2_officer, _ = cls.officer(cls.d2)
        cls.c12_officer, cls.c12_officer_id = cls.officer(cls.c12)

    @classmethod
    def officer(cls, unit):
        return cls.server.staff(cls.admin, "command_officer", unit, "centre.officer")

    def issue(self, token, body):
        return self.server.request("POST", "/api/v1/directives", body, token=token)

    def directive(self, **over):
        body = {"title": "Close the markets", "body": "Until further notice.", "due_at": ts(-24)}
        body.update(over)
        return body

    def test_directives_go_down_and_recipients_answer(self):
        """The province reaches every district, a district its communes; answers roll back up."""
        s = self.server
        status, top, _ = self.issue(self.province_officer, self.directive(to_all="children"))
        self.assertEqual(status, 201, top)
        self.assertEqual(len(top["recipients"]), 13)
        self.assertEqual(top["pending"], 13)

        status, d, _ = self.issue(self.d1_officer, self.directive(title="Test every market trader",
                                                                  to_all="children"))
        self.assertEqual(status, 201, d)
        codes = [r["code"] for r in d["recipients"]]
        self.assertEqual(len(codes), 14)
        self.assertTrue(all(c.startswith("QN-01-") for c in codes), codes)

        # The other district sees neither its sibling's directive nor its communes' lines.
        self.assertError(s.request("GET", "/api/v1/directives/%d" % d["id"], token=self.d2_officer),
                         404, "id")
        status, listing, _ = s.request("GET", "/api/v1/directives", token=self.d2_officer)
        self.assertEqual(status, 200, listing)
        self.assertEqual([x["id"] for x in listing["items"]], [top["id"]])
        self.assertEqual([r["code"] for r in listing["items"][0]["recipients"]], ["QN-02"])
        # A commune sees only its own line.
        status, mine, _ = s.request("GET", "/api/v1/directives/%d" % d["id"], token=self.commune_officer)
        self.assertEqual(status, 200, mine)
        self.assertEqual([r["code"] for r in mine["recipients"]], ["QN-01-01"])

        status, ack, _ = s.request("POST", "/api/v1/directives/%d/acknowledge" % d["id"],
                                   token=self.commune_officer)
        self.assertEqual(status, 200, ack)
        self.assertEqual(ack["recipients"][0]["status"], "acknowledged")
        self.assertError(s.request("POST", "/api/v1/directives/%d/acknowledge" % d["id"],
                                   token=self.commune_officer), 409)
        status, done, _ = s.request("POST", "/api/v1/directives/%d/done" % d["id"],
                                    {"note": "142 traders tested"}, token=self.c12_officer)
        self.assertEqual(status, 200, done)
        self.assertEqual(done["recipients"][0]["done_note"], "142 traders tested")
        # Not a recipient: the issuer itself, the other district.
        self.assertError(s.request("POST", "/api/v1/directives/%d/done" % d["id"], {},
                                   token=self.d1_officer), 403)
        self.assertError(s.request("POST", "/api/v1/directives/%d/acknowledge" % d["id"],
                                   token=self.d2_officer), 404, "id")

        status, seen, _ = s.request("GET", "/api/v1/directives/%d" % d["id"], token=self.d1_officer)
        self.assertEqual(status, 200, seen)
        by_code = {r["code"]: r for r in seen["recipients"]}
        self.assertEqual(by_code["QN-01-01"]["status"], "acknowledged")
        self.assertEqual(by_code["QN-01-02"]["status"], "done")
        self.assertEqual(seen["pending"], 12)
        self.assertEqual(seen["done"], 1)
        self.assertFalse(seen["overdue"])
        # The province sees its districts' directives too.
        status, province_view, _ = s.request("GET", "/api/v1/directives/%d" % d["id"],
                                             token=self.province_officer)
        self.assertEqual(status, 200, province_view)
        self.assertEqual(len(province_view["recipients"]), 14)

        # Each recipient's task followed its answer.
        task = by_code["QN-01-02"]["task_id"]
        status, t, _ = s.request("GET", "/api/v1/tasks/%d" % task, token=self.c12_officer)
        self.assertEqual(status, 200, t)
        self.assertEqual(t["status"], "done")
        self.assertEqual(t["source"], "directive:%d" % d["id"])
        self.assertEqual([h["to_status"] for h in t["history"]], ["open", "done"])
        self.assertError(s.request("GET", "/api/v1/tasks/%d" % task, token=self.commune_officer), 404, "id")

    def test_nobody_issues_a_directive_upward_or_sideways(self):
        s = self.server
        for token, to in [(self.commune_officer, self.province), (self.commune_officer, self.d1),
                          (self.commune_officer, self.c12), (self.d1_officer, self.c21),
                          (self.d1_officer, self.d2), (self.d1_officer, self.d1)]:
            self.assertError(self.issue(token, self.directive(recipients=[to])), 403)
        self.assertError(self.issue(self.commune_officer, self.directive(to_all="below")), 409, "to_all")
        self.assertError(self.issue(self.tracer, self.directive(to_all="children")), 403)
        # Bad input names the field.
        self.assertError(self.issue(self.d1_officer, {"due_at": ts(-24), "to_all": "children"}), 400, "title")
        self.assertError(self.issue(self.d1_officer, self.directive(due_at=ts(1), to_all="children")),
                         400, "due_at")
        self.assertError(self.issue(self.d1_officer, self.directive(to_all="everyone")), 400, "to_all")
        self.assertError(self.issue(self.d1_officer, self.directive()), 400, "recipients")
        self.assertError(self.issue(self.d1_officer, self.directive(recipients=[99999999])), 404, "recipients")
        self.assertError(self.issue(self.d1_officer, self.directive(recipients=[self.c11], to_all="below")),
                         400, "to_all")
        # A directive to one commune is seen by that commune and not by its sibling.
        status, one, _ = self.issue(self.d1_officer, self.directive(recipients=[self.c11]))
        self.assertEqual(status, 201, one)
        self.assertError(s.request("GET", "/api/v1/directives/%d" % one["id"], token=self.c12_officer), 404)

    def test_meetings_convene_units_below_with_a_join_link(self):
        """A district convenes its communes; each reads its own line; only the district cancels."""
        s = self.server
        now = datetime.datetime.now(datetime.timezone.utc)
        body = {"title": "Giao ban phòng chống dịch", "agenda": "1. Ca mới\n2. Chợ đầu mối",
                "starts_at": ts(-2, now=now), "minutes": 45, "to_all": "children"}
        chosen = {k: v for k, v in body.items() if k != "to_all"}
        status, m, _ = s.request("POST", "/api/v1/meetings", body, token=self.d1_officer)
        self.assertEqual(status, 201, m)
        self.assertRegex(m["join_url"], r"^https://meet\.jit\.si/mekong-[0-9a-f]{32}$")
        self.assertEqual(len(m["participants"]), 15)
        self.assertEqual(m["participants"][0], {"org_unit_id": self.d1, "code": "QN-01", "name": m["participants"][0]["name"],
                                                "organiser": True, "reminded": False})
        self.assertEqual(m["ends_at"], ts(-2.75, now=now))

        status, mine, _ = s.request("GET", "/api/v1/meetings/%d" % m["id"], token=self.commune_officer)
        self.assertEqual(status, 200, mine)
        self.assertEqual([p["code"] for p in mine["participants"]], ["QN-01-01"])
        self.assertEqual(mine["join_url"], m["join_url"])
        status, listing, _ = s.request("GET", "/api/v1/meetings", token=self.province_officer)
        self.assertIn(m["id"], [x["id"] for x in listing["items"]])
        self.assertError(s.request("GET", "/api/v1/meetings/%d" % m["id"], token=self.d2_officer), 404, "id")
        self.assertNotIn(m["id"], [x["id"] for x in s.request("GET", "/api/v1/meetings", token=self.d2_officer)[1]["items"]])
        # Over by the time asked about: not listed.
        self.assertNotIn(m["id"], [x["id"] for x in s.request(
            "GET", "/api/v1/meetings?from=" + ts(-3), token=self.province_officer)[1]["items"]])

        # Never upward or sideways; bad input named by field.
        self.assertError(s.request("POST", "/api/v1/meetings", dict(chosen, units=[self.province]),
                                   token=self.d1_officer), 403)
        self.assertError(s.request("POST", "/api/v1/meetings", dict(chosen, units=[self.c21]),
                                   token=self.d1_officer), 403)
        self.assertError(s.request("POST", "/api/v1/meetings", dict(body, minutes=5), token=self.d1_officer), 400, "minutes")
        self.assertError(s.request("POST", "/api/v1/meetings", dict(body, starts_at=ts(1)), token=self.d1_officer),
                         400, "starts_at")
        self.assertError(s.request("POST", "/api/v1/meetings", dict(body, to_all="sideways"), token=self.d1_officer),
                         400, "to_all")
        self.assertError(s.request("POST", "/api/v1/meetings", body, token=self.tracer), 403)

        self.assertError(s.request("POST", "/api/v1/meetings/%d/cancel" % m["id"], {"reason": "no"},
                                   token=self.commune_officer), 403)
        self.assertError(s.request("POST", "/api/v1/meetings/%d/cancel" % m["id"], {"reason": ""},
                                   token=self.d1_officer), 400, "reason")
        status, off, _ = s.request("POST", "/api/v1/meetings/%d/cancel" % m["id"], {"reason": "Bão số 3"},
                                   token=self.d1_officer)
        self.assertEqual((status, off["status"], off["cancel_reason"]), (200, "cancelled", "Bão số 3"))
        self.assertError(s.request("POST", "/api/v1/meetings/%d/cancel" % m["id"], {"reason": "again"},
                                   token=self.d1_officer), 409)

    def test_unacknowledged_alerts_climb_the_tree(self):
        """A fever nobody in the commune acknowledged goes to the district; one acknowledgement closes both."""
        s = self.server
        status, device, _ = s.request("POST", "/api/v1/users", {
            "username": "centre.gate.%d" % next(_seq), "role": "device", "org_unit_id": self.c11}, token=self.admin)
        self.assertEqual(status, 201, device)
        status, reading, _ = s.request("POST", "/api/v1/devices/readings", {
            "kind": "temperature", "person_id": self.new_person(self.c11), "temperature_c": 39.1},
            api_key=device["api_key"])
        self.assertEqual(status, 201, reading)
        fever = reading["alert"]["id"]
        code, out, err = run_cli("alerts", "escalate", "--after-minutes", "0", db=s.db)
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"Passed [1-9]\d* alerts")

        status, district, _ = s.request("GET", "/api/v1/alerts?open=true&limit=500", token=self.d1_officer)
        self.assertEqual(status, 200, district)
        passed = [a for a in district["items"] if a["escalated_from"] == fever]
        self.assertEqual(len(passed), 1, district)
        self.assertEqual((passed[0]["org_unit_id"], passed[0]["kind"]), (self.d1, "fever"))
        ours = next(a for a in district["items"] if a["id"] == fever)
        self.assertEqual(ours["escalated_to"], passed[0]["id"])
        code, _, err = run_cli("alerts", "escalate", "--after-minutes", "-1", db=s.db)
        self.assertEqual(code, 2, err)
        self.assertIn("after-minutes", err)

        status, _, _ = s.request("POST", "/api/v1/alerts/%d/acknowledge" % fever, token=self.commune_officer)
        self.assertEqual(status, 200)
        still = s.request("GET", "/api/v1/alerts?open=true&limit=500", token=self.d1_officer)[1]["items"]
        self.assertNotIn(passed[0]["id"], [a["id"] for a in still], "acknowledged with the commune's")

    def test_tasks_are_assigned_inside_the_subtree(self):
        s = self.server
        status, t, _ = s.request("POST", "/api/v1/tasks", {
            "title": "Inspect the quarantine hotel", "unit_id": self.c12, "assignee_id": self.c12_officer_id,
            "priority": "urgent", "due_at": ts(-2)}, token=self.d1_officer)
        self.assertEqual(status, 201, t)
        self.assertEqual((t["status"], t["priority"], t["org_unit_id"]), ("open", "urgent", self.c12))
        self.assertError(s.request("POST", "/api/v1/tasks", {"title": "x", "unit_id": self.c21},
                                   token=self.d1_officer), 403)
        self.assertError(s.request("POST", "/api/v1/tasks", {"title": "x", "assignee_id": self.c12_officer_id},
                                   token=self.commune_officer), 404, "assignee_id")
        self.assertError(s.request("POST", "/api/v1/tasks", {"title": "x", "priority": "soon"},
                                   token=self.d1_officer), 400, "priority")
        self.assertError(s.request("POST", "/api/v1/tasks", {"detail": "no title"}, token=self.d1_officer),
                         400, "title")

        self.assertError(s.request("PATCH", "/api/v1/tasks/%d" % t["id"], {"status": "done"},
                                   token=self.commune_officer), 404, "id")
        self.assertError(s.request("PATCH", "/api/v1/tasks/%d" % t["id"], {}, token=self.c12_officer),
                         400, "status")
        status, moved, _ = s.request("PATCH", "/api/v1/tasks/%d" % t["id"],
                                     {"status": "in_progress", "note": "on my way"}, token=self.c12_officer)
        self.assertEqual(status, 200, moved)
        self.assertEqual(moved["history"][-1]["from_status"], "open")
        self.assertEqual(moved["history"][-1]["note"], "on my way")

        status, listing, _ = s.request("GET", "/api/v1/tasks?status=in_progress&unit_id=%d" % self.c12,
                                       token=self.d1_officer)
        self.assertEqual(status, 200, listing)
        self.assertIn(t["id"], [x["id"] for x in listing["items"]])
        status, other, _ = s.request("GET", "/api/v1/tasks", token=self.d2_officer)
        self.assertNotIn(t["id"], [x["id"] for x in other["items"]])
        self.assertError(s.request("GET", "/api/v1/tasks?status=later", token=self.d1_officer), 400, "status")

    def new_person(self, unit):
        n = next(_seq)
        status, p, _ = self.server.request("POST", "/api/v1/people", {
            "full_name": "Centre %d" % n, "document_type": "national_id",
            "document_number": "CC%08d" % n, "nationality": "VN", "language": "vi",
            "org_unit_id": unit}, token=self.admin)
        self.assertEqual(status, 201, p)
        return p["id"]

    def board(self, token, query=""):
        return read_board(self, self.server, token, query)

    def test_dashboard_follows_the_data_and_agrees_with_the_store(self):
        s = self.server
        before = self.board(self.admin, "?days=7")
        self.assertEqual(before["units"][0]["org_unit_id"], self.province)
        self.assertEqual(len(before["units"]), 1 + 13 + 177)
        self.assertEqual(len(before["units"][0]["days"]["tests"]), 7)

        # The province's active cases are what the store's case list says.
        status, cases, _ = s.request("GET", "/api/v1/cases?limit=500", token=self.admin)
        self.assertEqual(status, 200, cases)
        active = [c for c in cases["items"] if c["released_at"] is None]
        self.assertEqual(before["units"][0]["active_cases"], len(active))

        def unit(board, uid):
            return next(u for u in board["units"] if u["org_unit_id"] == uid)

        sick = self.new_person(self.c11)
        status, case, _ = s.request("POST", "/api/v1/cases", {"person_id": sick, "onset_at": ts(24)},
                                    token=self.admin)
        self.assertEqual(status, 201, case)
        for result in ("positive", "negative"):
            status, body, _ = s.request("POST", "/api/v1/people/%d/tests" % self.new_person(self.c11), {
                "result": result, "kind": "pcr", "sampled_at": ts(1)}, token=self.admin)
            self.assertEqual(status, 201, body)
        # The dashboard follows the feed: its figures follow the writes within moments.
        after = read_board(self, s, self.admin, "?days=7",
                           lambda b: sum(unit(b, self.c11)["days"]["tests"])
                           == sum(unit(before, self.c11)["days"]["tests"]) + 2)
        for uid in (self.province, self.d1, self.c11):
            b, a = unit(before, uid), unit(after, uid)
            self.assertEqual(a["active_cases"], b["active_cases"] + 1, uid)
            self.assertEqual(a["contacts_following"], b["contacts_following"] + case["contact_count"], uid)
            self.assertEqual(sum(a["days"]["tests"]), sum(b["days"]["tests"]) + 2, uid)
            self.assertEqual(sum(a["days"]["positives"]), sum(b["days"]["positives"]) + 1, uid)
        self.assertEqual(unit(after, self.d2), unit(before, self.d2))

        # Released, the case leaves the active figures.
        status, _, _ = s.request("POST", "/api/v1/cases/%d/release" % case["id"], {}, token=self.admin)
        self.assertEqual(status, 200)
        released = read_board(self, s, self.admin, "?days=7",
                              lambda b: unit(b, self.c11)["active_cases"] == unit(before, self.c11)["active_cases"])
        self.assertEqual(unit(released, self.c11)["contacts_following"],
                         unit(before, self.c11)["contacts_following"])

        # A district reads its subtree only; a commune its own unit.
        district = self.board(self.d1_officer, "?days=1")
        self.assertEqual(len(district["units"]), 1 + 14)
        self.assertEqual(len(self.board(self.commune_officer)["units"]), 1)
        self.assertError(s.request("GET", "/api/v1/dashboard?unit_id=%d" % self.d2, token=self.d1_officer), 403)
        self.assertError(s.request("GET", "/api/v1/dashboard?days=0", token=self.admin), 400, "days")
        self.assertError(s.request("GET", "/api/v1/dashboard?days=61", token=self.admin), 400, "days")
        self.assertError(s.request("GET", "/api/v1/dashboard?date=2026-13-01", token=self.admin), 400, "date")
        self.assertError(s.request("GET", "/api/v1/dashboard?unit_id=99999999", token=self.admin), 404, "unit_id")

    def test_reports_go_up_with_figures_from_the_data(self):
        s = self.server
        status, r, _ = s.request("POST", "/api/v1/reports", {"text": "Quiet day, two markets closed."},
                                 token=self.commune_officer)
        self.assertEqual(status, 201, r)
        board = self.board(self.commune_officer)["units"][0]
        self.assertEqual(r["figures"]["active_cases"], board["active_cases"])
        self.assertEqual(r["figures"]["tests"], board["days"]["tests"][-1])
        self.assertEqual(r["revision"], 1)
        status, again, _ = s.request("POST", "/api/v1/reports", {"text": "Amended."}, token=self.commune_officer)
        self.assertEqual(again["id"], r["id"])
        self.assertEqual(again["revision"], 2)

        status, day, _ = s.request("GET", "/api/v1/reports", token=self.d1_officer)
        self.assertEqual(status, 200, day)
        self.assertEqual(day["expected"], 14)
        self.assertEqual([x["code"] for x in day["items"]], ["QN-01-01"])
        self.assertEqual(day["rollup"], again["figures"])
        self.assertEqual(len(day["missing"]), 13)
        self.assertNotIn("QN-01-01", [m["code"] for m in day["missing"]])
        status, other, _ = s.request("GET", "/api/v1/reports", token=self.d2_officer)
        self.assertEqual(other["items"], [])
        self.assertEqual(other["expected"], len(other["missing"]))
        status, province, _ = s.request("GET", "/api/v1/reports", token=self.province_officer)
        self.assertEqual(province["expected"], 177)
        self.assertError(s.request("GET", "/api/v1/reports?unit_id=%d" % self.d1, token=self.d2_officer), 403)
        self.assertError(s.request("GET", "/api/v1/reports?date=yesterday", token=self.admin), 400, "date")
        self.assertError(s.request("POST", "/api/v1/reports", {"text": "x"}, token=self.tracer), 403)


def read_board(test, server, token, query="", until=None, timeout=10):
    """GET /api/v1/dashboard, again until `until(board)` holds (the feed is followed within
    moments, not within the write's request)."""
    deadline = time.time() + timeout
    while True:
        status, b, _ = server.request("GET", "/api/v1/dashboard" + query, token=token)
        test.assertEqual(status, 200, b)
        if until is None or until(b) or time.time() > deadline:
            return b
        time.sleep(0.05)


class DashboardRestartTest(unittest.TestCase):
    def test_a_restarted_server_loads_the_figures_the_feed_kept(self):
        """The figures a server kept from the feed equal those another loads from the store."""
        with Server() as first:
            admin = first.login("admin")
            c11 = first.org_unit_id("QN-01-01", admin)
            before = read_board(self, first, admin, "?days=30")
            status, p, _ = first.request("POST", "/api/v1/people", {
                "full_name": "Restart", "document_type": "national_id", "document_number": "RS000001",
                "nationality": "VN", "language": "vi", "org_unit_id": c11}, token=admin)
            self.assertEqual(status, 201, p)
            status, c, _ = first.request("POST", "/api/v1/cases", {"person_id": p["id"], "onset_at": ts(24)},
                                         token=admin)
            self.assertEqual(status, 201, c)
            kept = read_board(self, first, admin, "?days=30",
                              lambda b: b["units"][0]["active_cases"] == before["units"][0]["active_cases"] + 1)
            self.assertEqual(kept["units"][0]["active_cases"], before["units"][0]["active_cases"] + 1)
            db = first.db
        with Server(db=db, demo_people=0) as second:
            admin = second.login("admin")
            loaded = read_board(self, second, admin, "?days=30")
        self.assertEqual(kept, loaded)


if __name__ == "__main__":
    unittest.main()
