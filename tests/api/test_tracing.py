"""The tracing engine through the server: multi-hop contacts, occupancy, the citizen's
self-check, and the engine following check-ins, check-outs and batches as they commit."""
import datetime
import os
import random
import signal
import sqlite3
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import harness
from harness import ApiTestCase, ts


class TracingTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.tracer = s.login("tracer.halong")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)

    def person(self, n):
        status, p, _ = self.server.request("POST", "/api/v1/people", {
            "full_name": "Trace %d" % n, "document_type": "passport", "document_number": "TR%06d" % n,
            "nationality": "LA", "language": "lo", "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201, p)
        return p["id"]

    def venue(self, name):
        status, v, _ = self.server.request("POST", "/api/v1/venues", {
            "name": name, "kind": "cafe", "capacity": 3, "org_unit_id": self.commune,
            "default_stay_minutes": 60}, token=self.admin)
        self.assertEqual(status, 201, v)
        return v["id"]

    def visit(self, person, venue, time_in, time_out=None):
        status, ci, _ = self.server.request("POST", "/api/v1/checkins", {
            "person_id": person, "venue_id": venue, "time_in": time_in}, token=self.admin)
        self.assertEqual(status, 201, ci)
        if time_out:
            status, co, _ = self.server.request("POST", "/api/v1/checkins/%d/checkout" % ci["id"],
                                                {"time_out": time_out}, token=self.admin)
            self.assertEqual(status, 200, co)

    def test_multi_hop_contacts_occupancy_and_self_check(self):
        s = self.server
        cafe, shop = self.venue("Cà phê Lào"), self.venue("Tiệm tạp hóa")
        case, first, second, early, brief = (self.person(n) for n in range(1, 6))
        # case and first share the cafe 09:00-10:00; first then goes to the shop and meets second;
        # early met first at the shop the day before (not a time-respecting path); brief stays 5 min.
        # One "now" for all of them: stays a clock second apart would overlap 59:59, not 60 minutes.
        now = datetime.datetime.now(datetime.timezone.utc)
        at = lambda hours, minutes=0: ts(hours, minutes, now=now)  # noqa: E731
        self.visit(case, cafe, at(10), at(9))
        self.visit(first, cafe, at(10), at(9))
        self.visit(first, shop, at(8), at(7))
        self.visit(second, shop, at(8), at(7))
        self.visit(early, shop, at(30), at(29))
        self.visit(first, shop, at(30), at(29))
        self.visit(brief, cafe, at(9.5), at(9.5, 5))

        status, body, _ = s.request("GET", "/api/v1/people/%d/contacts?from=%s&depth=3" % (case, ts(48)),
                                    token=self.tracer)
        self.assertEqual(status, 200, body)
        # brief checked out after 5 minutes: had the engine kept the 60-minute default stay, brief
        # would overlap the case for 30 minutes and be listed here.
        got = [(i["person_id"], i["hop"], i["via_person_id"]) for i in body["items"]]
        self.assertEqual(got, [(first, 1, case), (second, 2, first)])
        self.assertEqual(body["items"][1]["chain"], [case, first, second])
        self.assertEqual(body["items"][0]["total_minutes"], 60)
        # Depth 1 only lists the close contact; a shorter minimum overlap finds the brief visitor.
        status, body, _ = s.request("GET", "/api/v1/people/%d/contacts?from=%s" % (case, ts(48)), token=self.tracer)
        self.assertEqual([i["person_id"] for i in body["items"]], [first])
        status, body, _ = s.request("GET", "/api/v1/people/%d/contacts?from=%s&min_overlap_minutes=5" % (case, ts(48)),
                                    token=self.tracer)
        self.assertEqual(sorted(i["person_id"] for i in body["items"]), sorted([first, brief]))

        # Occupancy now and over the day.
        status, occ, _ = s.request("GET", "/api/v1/venues/%d/occupancy?at=%s" % (cafe, ts(9.5, 1)), token=self.tracer)
        self.assertEqual((status, occ["present"]), (200, 3), occ)
        day = ts(9.5)[:10]
        status, occ, _ = s.request("GET", "/api/v1/venues/%d/occupancy?day=%s" % (cafe, day), token=self.tracer)
        self.assertEqual(status, 200, occ)
        self.assertGreaterEqual(occ["visits"], 1)
        self.assertEqual(len(occ["by_hour"]), 24)
        self.assertError(s.request("GET", "/api/v1/venues/%d/occupancy?day=yesterday" % cafe, token=self.tracer),
                         400, "day")

        # The citizen's self-check, before and after the case is confirmed; it never names the case.
        status, _, _ = s.request("POST", "/api/v1/users", {
            "username": "trace.first", "password": "trace-pass", "role": "citizen", "org_unit_id": self.commune,
            "person_id": first}, token=self.admin)
        self.assertEqual(status, 201)
        citizen = s.login("trace.first", "trace-pass")
        status, check, _ = s.request("GET", "/api/v1/me/exposure-check", token=citizen)
        self.assertEqual((status, check["exposed"]), (200, False), check)
        status, confirmed, _ = s.request("POST", "/api/v1/cases", {"person_id": case, "onset_at": ts(20)},
                                         token=self.tracer)
        self.assertEqual(status, 201, confirmed)
        self.assertEqual(confirmed["contact_count"], 1)
        status, check, _ = s.request("GET", "/api/v1/me/exposure-check", token=citizen)
        self.assertEqual((status, check["exposed"]), (200, True), check)
        self.assertEqual(check["items"][0]["venue_id"], cafe)
        self.assertEqual(check["items"][0]["minutes"], 60)
        self.assertNotIn(str(case), str(check))

        # Bad queries name the parameter.
        self.assertError(s.request("GET", "/api/v1/people/%d/contacts?depth=4" % case, token=self.tracer), 400, "depth")
        self.assertError(s.request("GET", "/api/v1/people/%d/contacts?from=%s&to=%s" % (case, ts(1), ts(2)),
                                   token=self.tracer), 400, "to")
        self.assertError(s.request("GET", "/api/v1/people/%d/contacts?from=monday" % case, token=self.tracer),
                         400, "from")
        self.assertError(s.request("GET", "/api/v1/people/%d/contacts" % case, token=citizen), 403)

    def test_contacts_come_in_pages(self):
        s = self.server
        hall = self.venue("Nhà văn hóa")
        case = self.person(100)
        crowd = [self.person(101 + i) for i in range(25)]
        rows = [{"person_id": p, "venue_id": hall, "time_in": ts(6), "time_out": ts(5)} for p in [case] + crowd]
        status, body, _ = s.request("POST", "/api/v1/checkins/batch", {"checkins": rows}, token=self.admin)
        self.assertEqual(status, 201, body)
        path = "/api/v1/people/%d/contacts?from=%s" % (case, ts(24))
        status, whole, _ = s.request("GET", path, token=self.tracer)
        self.assertEqual(status, 200, whole)
        self.assertEqual((whole["total"], whole["next_cursor"]), (25, None))  # small: complete by default
        got, cursor, pages = [], None, 0
        while True:
            status, page, hdrs = s.request("GET", path + "&limit=10" + ("&cursor=" + cursor if cursor else ""),
                                           token=self.tracer)
            self.assertEqual(status, 200, page)
            self.assertEqual(page["total"], 25)
            self.assertLessEqual(len(page["items"]), 10)
            self.assertIn("engine;dur=", hdrs.get("Server-Timing", ""))
            got += page["items"]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(got, whole["items"])
        self.assertEqual([i["person_id"] for i in got], sorted(crowd))
        self.assertError(s.request("GET", path + "&cursor=nonsense", token=self.tracer), 400, "cursor")
        self.assertError(s.request("GET", path + "&limit=0", token=self.tracer), 400, "limit")
        # A case's stored contacts page the same way.
        status, confirmed, _ = s.request("POST", "/api/v1/cases", {"person_id": case, "onset_at": ts(20)},
                                         token=self.tracer)
        self.assertEqual(status, 201, confirmed)
        cpath = "/api/v1/cases/%d/contacts" % confirmed["id"]
        status, full, _ = s.request("GET", cpath, token=self.tracer)
        self.assertEqual((status, full["total"], full["next_cursor"]), (200, 25, None), full)
        status, first, _ = s.request("GET", cpath + "?limit=20", token=self.tracer)
        status, rest, _ = s.request("GET", cpath + "?limit=20&cursor=" + first["next_cursor"], token=self.tracer)
        self.assertEqual((len(first["items"]), len(rest["items"]), rest["next_cursor"]), (20, 5, None))
        self.assertEqual(first["items"] + rest["items"], full["items"])

    def test_batches_reach_the_engine(self):
        s = self.server
        hall = self.venue("Hội trường")
        a, b = self.person(11), self.person(12)
        now = datetime.datetime.now(datetime.timezone.utc)  # one clock second for all four
        status, body, _ = s.request("POST", "/api/v1/checkins/batch", {"checkins": [
            {"person_id": a, "venue_id": hall, "time_in": ts(5, now=now), "time_out": ts(4, now=now)},
            {"person_id": b, "venue_id": hall, "time_in": ts(5, 10, now=now), "time_out": ts(4, now=now)}]},
            token=self.admin)
        self.assertEqual(status, 201, body)
        status, body, _ = s.request("GET", "/api/v1/people/%d/contacts?from=%s" % (a, ts(24)), token=self.tracer)
        self.assertEqual([(i["person_id"], i["total_minutes"]) for i in body["items"]], [(b, 50)])


class RestartTest(unittest.TestCase):
    """A clean shutdown leaves an index snapshot next to a SQLite database with the change-feed
    position it reflects; the next start loads it and reads the feed after it, so writes made
    while the server was down (a CLI import) are there too."""

    def started_from(self, server):
        line = next(l for l in server.output if "engine_loaded" in l)
        return "snapshot" if "from=snapshot" in line else "store"

    def test_snapshot_then_store(self):
        if os.environ.get("MEKONG_TEST_BACKEND", "sqlite") != "sqlite":
            self.skipTest("the snapshot lives next to a SQLite file")
        first = harness.Server().start()
        admin = first.login("admin")
        people = first.request("GET", "/api/v1/people?limit=3", token=admin)[1]["items"]
        venue = first.request("GET", "/api/v1/venues?limit=1", token=admin)[1]["items"][0]["id"]
        a, b, c = (p["id"] for p in people)
        for p in (a, b):
            status, ci, _ = first.request("POST", "/api/v1/checkins", {"person_id": p, "venue_id": venue,
                                                                       "time_in": ts(3)}, token=admin)
            self.assertEqual(status, 201, ci)
        self.assertEqual(first.stop(), 0)
        self.assertTrue(os.path.exists(first.db + ".index"))

        def contacts(server):
            token = server.login("admin")
            body = server.request("GET", "/api/v1/people/%d/contacts?from=%s" % (a, ts(4)), token=token)[1]
            return sorted(i["person_id"] for i in body["items"])

        second = harness.Server(db=first.db, demo_people=0).start()
        try:
            self.assertEqual(self.started_from(second), "snapshot", "".join(second.output))
            self.assertIn(b, contacts(second))
        finally:
            self.assertEqual(second.stop(), 0)
        # A check-in imported by the CLI while the server is down: the feed after the snapshot has it.
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("person_id,venue_id,time_in\n%d,%d,%s\n" % (c, venue, ts(3)))
        code, out, err = harness.run_cli("import", "checkins", f.name, db=first.db)
        os.unlink(f.name)
        self.assertEqual(code, 0, err)
        third = harness.Server(db=first.db, demo_people=0).start()
        try:
            self.assertEqual(self.started_from(third), "snapshot")
            self.assertIn(c, contacts(third))
        finally:
            self.assertEqual(third.stop(), 0)


def crowded_database(people=20000, venues=20, stays=20, days=7):
    """A demo store with a dense crowd written straight into SQLite (the bulk path): every person
    at one of a few venues every few hours, so deep traces take a while. Returns (db, a person)."""
    db = harness.new_database_url()
    code, _, err = harness.run_cli("demo", "--people", "20", "--venues", "10", db=db)
    assert code == 0, err
    con = sqlite3.connect(db, isolation_level=None)
    unit = con.execute("SELECT org_unit_id FROM app_user WHERE username = 'tracer.halong'").fetchone()[0]
    now = int(time.time() * 1000)
    p0 = con.execute("SELECT MAX(id) + 1 FROM person").fetchone()[0]
    v0 = con.execute("SELECT MAX(id) + 1 FROM venue").fetchone()[0]
    rng = random.Random(3)
    con.execute("BEGIN")
    con.executemany("INSERT INTO person (id, full_name, document_type, document_number, nationality, language, "
                    "phone, birth_date, org_unit_id, created_at) VALUES (?, 'Crowd', 'passport', ?, 'VN', 'vi', "
                    "'', '', ?, ?)", ((p0 + i, "CR%07d" % i, unit, now) for i in range(people)))
    con.executemany("INSERT INTO venue (id, name, kind, capacity, org_unit_id, default_stay_minutes, address, "
                    "created_at) VALUES (?, 'Hall', 'hall', 5000, ?, 60, '', ?)",
                    ((v0 + i, unit, now) for i in range(venues)))
    start = now - days * 86400000

    def rows():
        for i in range(people):
            t = start + rng.randrange(0, 3 * 3600) * 1000
            for _ in range(stays):
                length = rng.randrange(60, 180) * 60000
                if t + length >= now - 3600000:
                    break
                yield p0 + i, v0 + rng.randrange(venues), t, t + length
                t += length + rng.randrange(60, 8 * 60) * 60000
    con.executemany("INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source) "
                    "VALUES (?, ?, ?, ?, 'checkout', 'import')", rows())
    con.execute("COMMIT")
    con.close()
    return db, p0


class ShutdownTest(unittest.TestCase):
    """SIGINT stops the server within its grace period however busy it is: queries still running
    at the end of the grace are cancelled (503) and their answers written, then it exits."""

    def test_sigint_under_deep_queries(self):
        if os.environ.get("MEKONG_TEST_BACKEND", "sqlite") != "sqlite":
            self.skipTest("the crowd is written straight into a SQLite file")
        db, person = crowded_database()
        grace = 2
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write("[server]\nshutdown_grace_seconds = %d\n[tracing]\nquery_deadline_seconds = 600\n" % grace)
        server = harness.Server(db=db, demo_people=0, args=["--config", f.name]).start()
        token = server.login("tracer.halong")
        answers = []
        stopped = threading.Event()

        def deep(i):
            # Depth 3 through a crowd that meets every few hours, asked again and again until the
            # server is gone: more work queued at SIGINT than the grace period could finish.
            url = "%s/api/v1/people/%d/contacts?from=%s&depth=3&min_overlap_minutes=%d&limit=5" % (
                server.base, person + i, ts(24 * 8), i % 3)
            req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
            while True:
                try:
                    with urllib.request.urlopen(req, timeout=120) as r:
                        answers.append(r.status)
                except urllib.error.HTTPError as e:
                    answers.append(e.code)
                except OSError:
                    return  # refused or closed: the server had stopped
                if stopped.is_set() and answers[-1] != 200:
                    return
        threads = [threading.Thread(target=deep, args=(i,), daemon=True) for i in range(24)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        t0 = time.time()
        stopped.set()
        server.proc.send_signal(signal.SIGINT)
        code = server.proc.wait(timeout=120)
        took = time.time() - t0
        os.unlink(f.name)
        log = "".join(server.output)
        self.assertEqual(code, 0, log[-3000:])
        self.assertLess(took, grace + 3, "SIGINT took %.1f s with a grace of %d s" % (took, grace))
        self.assertNotIn("http_workers_abandoned", log)
        for t in threads:
            t.join(timeout=10)
        self.assertTrue(set(answers) <= {200, 503, None}, answers)


class CrashRestartTest(unittest.TestCase):
    """kill -9: the next start reads the periodic snapshot and the change feed after it."""

    def test_kill_then_restart_from_the_periodic_snapshot(self):
        if os.environ.get("MEKONG_TEST_BACKEND", "sqlite") != "sqlite":
            self.skipTest("the snapshot lives next to a SQLite file")
        first = harness.Server().start()
        # The periodic snapshot's first turn comes right after the start.
        deadline = time.time() + 60
        while not any("snapshot_saved" in l for l in first.output):
            self.assertLess(time.time(), deadline, "".join(first.output))
            time.sleep(0.05)
        admin = first.login("admin")
        people = first.request("GET", "/api/v1/people?limit=2", token=admin)[1]["items"]
        venue = first.request("GET", "/api/v1/venues?limit=1", token=admin)[1]["items"][0]["id"]
        a, b = (p["id"] for p in people)
        at = ts(2)
        for p in (a, b):
            status, ci, _ = first.request("POST", "/api/v1/checkins", {"person_id": p, "venue_id": venue,
                                                                       "time_in": at}, token=admin)
            self.assertEqual(status, 201, ci)
        first.proc.kill()
        first.proc.wait()
        first.proc.stdout.close()
        second = harness.Server(db=first.db, demo_people=0).start()
        try:
            line = next(l for l in second.output if "engine_loaded" in l)
            self.assertIn("from=snapshot", line)
            token = second.login("admin")
            body = second.request("GET", "/api/v1/people/%d/contacts?from=%s" % (a, ts(3)), token=token)[1]
            # The two check-ins after the snapshot came from the feed's tail.
            met = [e for i in body["items"] if i["person_id"] == b for e in i["exposures"]]
            self.assertIn((venue, at), [(e["venue_id"], e["start"]) for e in met], body)
        finally:
            self.assertEqual(second.stop(), 0)


if __name__ == "__main__":
    unittest.main()
