"""The change feed keeps every process current: a CLI import reaches a running server, and
several servers over one database see each other's writes within a second (PostgreSQL is the
province deployment; SQLite runs the same test with the servers polling one file)."""
import os
import signal
import tempfile
import time
import unittest

import harness
from harness import ts


def wait_until(predicate, seconds=1.0):
    deadline = time.time() + seconds
    while True:
        value = predicate()
        if value or time.time() > deadline:
            return value
        time.sleep(0.02)


class FeedTest(unittest.TestCase):
    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc and s.proc.poll() is None:
                s.stop()

    def start(self, **kwargs):
        s = harness.Server(**kwargs).start()
        self.servers.append(s)
        return s

    def fixtures(self, server):
        admin = server.login("admin")
        people = server.request("GET", "/api/v1/people?limit=5", token=admin)[1]["items"]
        venue = server.request("GET", "/api/v1/venues?limit=1", token=admin)[1]["items"][0]
        return admin, [p["id"] for p in people], venue["id"]

    def contacts(self, server, token, person):
        status, body, _ = server.request("GET", "/api/v1/people/%d/contacts?from=%s" % (person, ts(6)),
                                         token=token)
        self.assertEqual(status, 200, body)
        return {i["person_id"] for i in body["items"]}

    def present(self, server, token, venue, at):
        status, body, _ = server.request("GET", "/api/v1/venues/%d/occupancy?at=%s" % (venue, at), token=token)
        self.assertEqual(status, 200, body)
        return body["present"]

    def test_a_cli_import_reaches_a_running_server(self):
        server = self.start()
        admin, people, venue = self.fixtures(server)
        at = ts(0.4)  # 24 minutes ago, while the imported stays below are open
        before = self.present(server, admin, venue, at)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            for p in people[:3]:
                f.write("" if f.tell() else "person_id,venue_id,time_in\n")
                f.write("%d,%d,%s\n" % (p, venue, ts(0.5)))
        code, out, err = harness.run_cli("import", "checkins", f.name, db=server.db)
        os.unlink(f.name)
        self.assertEqual(code, 0, err)
        self.assertTrue(wait_until(lambda: self.present(server, admin, venue, at) >= before + 3),
                        "the running server did not see the CLI's import within a second")
        self.assertTrue(set(people[1:3]) <= self.contacts(server, admin, people[0]))

    def test_three_servers_over_one_database(self):
        first = self.start()
        others = [self.start(db=first.db, demo_people=0) for _ in range(2)]
        servers = [first] + others
        tokens = [s.login("admin") for s in servers]
        _, people, venue = self.fixtures(first)
        a, b = people[0], people[1]
        # A check-in on each of two servers; the third answers contacts with both within a second.
        for server, token, person in ((servers[0], tokens[0], a), (servers[1], tokens[1], b)):
            status, body, _ = server.request("POST", "/api/v1/checkins", {
                "person_id": person, "venue_id": venue, "time_in": ts(2)}, token=token)
            self.assertEqual(status, 201, body)
        self.assertTrue(wait_until(lambda: b in self.contacts(servers[2], tokens[2], a)),
                        "server 3 did not see the check-ins made on servers 1 and 2 within a second")
        # Killing one server loses nothing it acknowledged, and the others keep answering.
        status, body, _ = servers[1].request("POST", "/api/v1/checkins", {
            "person_id": people[2], "venue_id": venue, "time_in": ts(1.5)}, token=tokens[1])
        self.assertEqual(status, 201, body)
        servers[1].proc.send_signal(signal.SIGKILL)
        servers[1].proc.wait(timeout=10)
        self.assertTrue(wait_until(lambda: people[2] in self.contacts(servers[0], tokens[0], a)))
        self.assertTrue(wait_until(lambda: people[2] in self.contacts(servers[2], tokens[2], a)))
        status, _, _ = servers[2].request("GET", "/healthz")
        self.assertEqual(status, 200)

    def test_a_logout_on_one_server_ends_the_session_on_another(self):
        # Each server remembers callers by token (the session's query leaves the request's
        # path); the feed's registry.tokens makes it forget them.
        first = self.start()
        second = self.start(db=first.db, demo_people=0)
        token = first.login("admin")
        for server in (first, second, first, second):  # the repeats are answered from memory
            status, body, _ = server.request("GET", "/api/v1/auth/me", token=token)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["username"], "admin")
        status, body, _ = first.request("POST", "/api/v1/auth/logout", token=token)
        self.assertIn(status, (200, 204), body)
        status, _, _ = first.request("GET", "/api/v1/auth/me", token=token)
        self.assertEqual(status, 401, "the server that logged out still accepts the token")
        self.assertTrue(wait_until(lambda: second.request("GET", "/api/v1/auth/me", token=token)[0] == 401),
                        "the other server still accepts a logged-out token after a second")


if __name__ == "__main__":
    unittest.main()
