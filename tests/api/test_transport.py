"""The server as a program: health, metrics, the OpenAPI document against the real routes,
keep-alive, limits, graceful shutdown, and the command line."""
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import ApiTestCase, Server


class TransportTest(ApiTestCase):
    def test_health_and_landing(self):
        """/healthz checks the store; / is the web application (or says where its build should be)."""
        self.assertEqual(self.server.request("GET", "/healthz")[:2], (200, {"status": "ok"}))
        status, page, hdrs = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/html"))
        self.assertIn(b"Mekong", page)

    def test_metrics_count_by_route_pattern(self):
        """Requests, errors and latency appear per route pattern, never per raw id."""
        s = self.server
        for _ in range(3):
            s.login("admin")
        s.request("GET", "/api/v1/people/12345")          # 401, route with an id
        s.request("GET", "/api/v1/no-such-thing")         # 404, unmatched
        status, text, _ = s.request("GET", "/metrics")
        self.assertEqual(status, 200)
        text = text.decode()

        def value(pattern):
            m = re.search(re.escape(pattern) + r" (\d+)", text)
            return int(m.group(1)) if m else None

        self.assertGreaterEqual(value('mekong_http_requests_total{method="POST",route="/api/v1/auth/login",'
                                      'status="200"}'), 3)
        self.assertGreaterEqual(value('mekong_http_errors_total{method="GET",route="/api/v1/people/{id}"}'), 1)
        self.assertGreaterEqual(value('mekong_http_errors_total{method="GET",route="unmatched"}'), 1)
        self.assertNotIn("12345", text)
        labels = 'method="POST",route="/api/v1/auth/login"'
        self.assertEqual(value('mekong_http_request_duration_seconds_bucket{%s,le="+Inf"}' % labels),
                         value('mekong_http_request_duration_seconds_count{%s}' % labels))

    def test_openapi_matches_the_routes(self):
        """Every documented operation exists; undocumented paths are 404, wrong methods 405."""
        s = self.server
        status, doc, _ = s.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(doc["openapi"].startswith("3."))
        for path in ("/api/v1/venues", "/api/v1/venues/{id}/poster.png", "/api/v1/checkins",
                     "/api/v1/checkins/{id}/checkout", "/api/v1/cases", "/api/v1/cases/{id}/contacts",
                     "/api/v1/people/{id}/health-code", "/healthz", "/metrics"):
            self.assertIn(path, doc["paths"])
        operations = 0
        for path, methods in doc["paths"].items():
            for method, op in methods.items():
                operations += 1
                public = op.get("security") == []
                # Actions without input take no body; every other POST documents its schema.
                if method == "post" and path not in ("/api/v1/auth/logout", "/api/v1/health-codes/keys/rotate",
                                                     "/api/v1/alerts/{id}/acknowledge",
                                                     "/api/v1/directives/{id}/acknowledge",
                                                     "/api/v1/test-bookings/{id}/cancel",
                                                     "/api/v1/me/messages/{id}/read",
                                                     "/api/v1/outbox/{id}/retry"):
                    self.assertIn("requestBody", op, path)
                status, body, _ = s.request(method.upper(), path.replace("{id}", "1"),
                                            body={} if method == "post" else None)
                with self.subTest(op=method + " " + path):
                    if public:
                        self.assertNotIn(status, (404, 405), body)
                    else:
                        self.assertEqual(status, 401, body)
                        self.assertIn("x-roles", op)
        self.assertGreater(operations, 25)
        self.assertError(s.request("GET", "/api/v1/nope"), 404, code="not_found")
        status, body, hdrs = s.request("DELETE", "/api/v1/people")
        self.assertEqual(status, 405, body)
        self.assertIn("GET", hdrs["Allow"])
        self.assertIn("POST", hdrs["Allow"])

    def test_encoded_slash_stays_inside_its_segment(self):
        """%2F in a path segment is data, not a separator: it cannot reach another route."""
        s = self.server
        admin = s.login("admin")
        self.assertEqual(s.request("GET", "/api/v1/people/1/checkins", token=admin)[0], 200)
        self.assertError(s.request("GET", "/api/v1/people/1%2Fcheckins", token=admin), 400, "id")
        self.assertEqual(s.request("GET", "/api/v1/org-units/%31", token=admin)[0], 200)  # "1", encoded
        self.assertError(s.request("GET", "/api/v1/people/%zz", token=admin), 400)

    def test_process_build_and_pool_metrics(self):
        """/metrics shows the process, the build and the store's connection pool."""
        for _ in range(3):
            self.server.request("GET", "/healthz")
        text = self.server.request("GET", "/metrics")[1].decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                values[name] = float(value)
        backend = os.environ.get("MEKONG_TEST_BACKEND", "sqlite")
        info = [k for k in values if k.startswith("mekong_build_info{")]
        self.assertEqual(len(info), 1, text)
        self.assertRegex(info[0], r'version="\d+\.\d+\.\d+",backend="%s"' % backend)
        self.assertGreater(values["process_resident_memory_bytes"], 1 << 20)
        self.assertGreater(values["process_cpu_seconds_total"], 0)
        self.assertGreater(values["process_open_fds"], 3)
        self.assertLessEqual(values["process_open_fds"], values["process_max_fds"])
        self.assertLess(abs(values["process_start_time_seconds"] - time.time()), 3600)
        self.assertGreaterEqual(values["mekong_db_pool_size"], 1)
        self.assertGreaterEqual(values["mekong_db_pool_open"], values["mekong_db_pool_idle"])
        self.assertLessEqual(values["mekong_db_pool_open"], values["mekong_db_pool_size"])
        self.assertGreaterEqual(values["mekong_db_pool_acquired_total"], 3)  # a /healthz each
        self.assertGreaterEqual(values["mekong_db_pool_wait_seconds_total"], 0)

    def test_metric_labels_stay_bounded(self):
        """Unknown HTTP methods are counted under one label, not one series each."""
        for method in ("FOOA", "FOOB"):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            conn.request(method, "/healthz")
            conn.getresponse().read()
            conn.close()
        text = self.server.request("GET", "/metrics")[1].decode()
        self.assertNotIn("FOOA", text)
        self.assertIn('method="OTHER"', text)

    def test_keep_alive(self):
        """Several requests reuse one connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.connect()
        sock = conn.sock
        for _ in range(5):
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
            self.assertIs(conn.sock, sock)
        conn.close()

    def test_header_limit_and_slow_clients(self):
        """Huge headers are 431; a client that stalls mid-request does not hold up others."""
        s = self.server
        status, body, _ = s.request("GET", "/healthz", headers={"X-Junk": "j" * 20000})
        self.assertEqual(status, 431, body)
        stalled = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        stalled.sendall(b"GET /heal")
        try:
            started = time.time()
            for _ in range(10):
                self.assertEqual(s.request("GET", "/healthz")[0], 200)
            self.assertLess(time.time() - started, 5)
        finally:
            stalled.close()

    def test_concurrent_requests(self):
        """8 threads x 25 authenticated requests all succeed."""
        token = self.server.login("officer.province")
        failures = []

        def worker():
            for _ in range(25):
                status, body, _ = self.server.request("GET", "/api/v1/auth/me", token=token)
                if status != 200 or body.get("username") != "officer.province":
                    failures.append((status, body))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(failures, [])


class LimitsAndShutdownTest(unittest.TestCase):
    def test_configured_body_limit(self):
        """MEKONG_MAX_BODY_BYTES lowers the limit; bodies under it reach the handler."""
        with Server(extra_env={"MEKONG_MAX_BODY_BYTES": "2048"}, demo_people=20, demo_venues=10) as s:
            status, body, _ = s.request("POST", "/api/v1/auth/login", raw=b'{"username":"' + b"u" * 4096 + b'"}')
            self.assertEqual(status, 413, body)
            status, body, _ = s.request("POST", "/api/v1/auth/login",
                                        raw=b'{"username":"admin","password":"' + b"p" * 200 + b'"}')
            self.assertEqual(status, 401, body)

    def test_sigterm_with_idle_connection_exits_promptly(self):
        """An idle keep-alive connection does not hold shutdown for the grace period."""
        s = Server(demo_people=20, demo_venues=10).start()
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        started = time.time()
        self.assertEqual(s.stop(timeout=20), 0)
        self.assertLess(time.time() - started, 5)
        conn.close()
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", s.port), timeout=2)

    def test_sigterm_under_load_answers_whole_or_not_at_all(self):
        """Requests in flight at SIGTERM finish with complete answers; the exit code is 0."""
        s = Server(demo_people=20, demo_venues=10).start()
        token = s.login("admin")
        answered, broken, stop = [], [], threading.Event()

        def worker():
            while not stop.is_set() and len(answered) < 2000:
                try:
                    status, body, _ = s.request("GET", "/api/v1/org-units", token=token)
                except OSError:
                    continue  # refused or reset before a response: allowed during shutdown
                if status == 200 and isinstance(body, dict) and "items" in body:
                    answered.append(status)
                else:
                    broken.append((status, body))

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        code = s.stop(timeout=20)
        stop.set()
        for t in threads:
            t.join(30)
        self.assertEqual(code, 0)
        self.assertGreater(len(answered), 0)
        self.assertEqual(broken, [])


class CliTest(unittest.TestCase):
    def run_bin(self, *args, stdin=None):
        p = subprocess.run([harness.BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout + p.stderr

    def test_help_and_usage_errors(self):
        """--help lists the commands; an unknown command is a usage error."""
        code, out = self.run_bin("--help")
        self.assertEqual(code, 0)
        for word in ("serve", "migrate", "demo", "user"):
            self.assertIn(word, out)
        code, out = self.run_bin("serve", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--db", out)
        self.assertIn("--port", out)
        code, out = self.run_bin("bogus")
        self.assertNotEqual(code, 0)
        self.assertTrue(out.strip())

    def test_migrate_is_idempotent_and_user_add_works(self):
        """migrate twice; user add with the password on stdin; that user logs in over HTTP."""
        db = harness.new_database_url()
        for _ in range(2):
            code, out = self.run_bin("migrate", "--db", db)
            self.assertEqual(code, 0, out)
        code, out = harness.run_cli("demo", "--people", "20", "--venues", "10", db=db)[0:2]
        self.assertEqual(code, 0, out)
        code, out = self.run_bin("user", "add", "--db", db, "--username", "x.y", "--role", "tracer",
                                 "--org-unit", "QN-01", stdin="a-long-password\n")
        self.assertEqual(code, 0, out)
        code, out = self.run_bin("user", "add", "--db", db, "--username", "x.z", "--role", "tracer",
                                 "--org-unit", "QN-99", stdin="a-long-password\n")
        self.assertNotEqual(code, 0)
        self.assertIn("--org-unit", out)
        code, out = self.run_bin("user", "add", "--db", db, "--username", "x.w", "--role", "wizard",
                                 "--org-unit", "QN-01", stdin="a-long-password\n")
        self.assertNotEqual(code, 0)
        self.assertIn("role", out)
        with Server(db=db, demo_people=0) as s:
            token = s.login("x.y", "a-long-password")
            status, me, _ = s.request("GET", "/api/v1/auth/me", token=token)
            self.assertEqual((status, me["role"]), (200, "tracer"))

    def test_retention_deletes_old_checkins(self):
        """`mekong retention run` and the server's own sweep delete check-ins past retention."""
        db = harness.new_database_url()
        code, _, err = harness.run_cli("demo", "--people", "20", "--venues", "10", db=db)
        self.assertEqual(code, 0, err)

        def add_old_checkin():
            with Server(db=db, demo_people=0) as s:
                admin = s.login("admin")
                unit = s.org_unit_id("QN-01-01", admin)
                n = len(s.request("GET", "/api/v1/people?limit=500", token=admin)[1]["items"])
                person = s.request("POST", "/api/v1/people", {
                    "full_name": "Old Visitor %d" % n, "document_type": "passport", "document_number": "OV%d" % n,
                    "nationality": "LA", "language": "lo", "org_unit_id": unit}, token=admin)[1]
                venue = s.request("POST", "/api/v1/venues", {"name": "Old venue %d" % n, "kind": "cafe",
                                                             "capacity": 9, "org_unit_id": unit}, token=admin)[1]
                status, ci, _ = s.request("POST", "/api/v1/checkins", {
                    "venue_id": venue["id"], "person_id": person["id"], "time_in": harness.ts(50)}, token=admin)
                self.assertEqual(status, 201, ci)
                return person["id"]

        def checkins(person_id):
            with Server(db=db, demo_people=0) as s:
                admin = s.login("admin")
                return s.request("GET", "/api/v1/people/%d/checkins" % person_id, token=admin)[1]["items"]

        first = add_old_checkin()
        env = dict(os.environ, MEKONG_RETENTION_DAYS="3")
        p = subprocess.run([harness.BIN, "retention", "run", "--db", db], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(checkins(first)), 1)  # 2 days old: inside 3 days of retention
        env["MEKONG_RETENTION_DAYS"] = "1"
        p = subprocess.run([harness.BIN, "retention", "run", "--db", db], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Deleted", p.stdout)
        self.assertEqual(checkins(first), [])

        second = add_old_checkin()
        with Server(db=db, demo_people=0, extra_env={"MEKONG_RETENTION_DAYS": "1",
                                                      "MEKONG_RETENTION_SWEEP_SECONDS": "1"}) as s:
            admin = s.login("admin")
            for _ in range(50):  # the sweep runs at start-up and every second; bounded wait
                if not s.request("GET", "/api/v1/people/%d/checkins" % second, token=admin)[1]["items"]:
                    break
                time.sleep(0.1)
            self.assertEqual(s.request("GET", "/api/v1/people/%d/checkins" % second, token=admin)[1]["items"], [])

    def test_import_checkins_reports_bad_lines(self):
        """`mekong import checkins`: valid lines land, bad ones are listed by line; --strict imports none."""
        db = harness.new_database_url()
        self.assertEqual(harness.run_cli("demo", "--people", "20", "--venues", "10", db=db)[0], 0)
        good = "%d,%d,%s," % (1, 1, harness.ts(5))
        csv = "person_id,venue_id,time_in,time_out\n%s\n99999,1,%s,\n1,1,%s,%s\n" % (
            good, harness.ts(4), harness.ts(3), harness.ts(4))
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(csv)
        code, out = self.run_bin("import", "checkins", "--db", db, "--strict", f.name)
        self.assertEqual(code, 1, out)
        self.assertIn("nothing imported", out)
        self.assertIn(":3: person_id", out)
        self.assertIn(":4: time_out", out)
        code, out = self.run_bin("import", "checkins", "--db", db, f.name)
        self.assertEqual(code, 1, out)
        self.assertIn("Imported 1 check-ins; rejected 2 lines", out)
        with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as g:
            g.write(json.dumps({"person_id": 2, "venue_id": 1, "time_in": harness.ts(6)}) + "\n")
        code, out = self.run_bin("import", "checkins", "--db", db, g.name)
        self.assertEqual(code, 0, out)
        self.assertIn("Imported 1 check-ins", out)
        with Server(db=db, demo_people=0) as s:
            admin = s.login("admin")
            items = s.request("GET", "/api/v1/people/1/checkins", token=admin)[1]["items"]
            self.assertIn("import", [c["source"] for c in items])
        os.unlink(f.name)
        os.unlink(g.name)

    def test_bad_config_is_refused_with_the_key(self):
        """An unknown key in the config file stops the server before it starts."""
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write("[server]\nprot = 1\n")
        code, out = self.run_bin("serve", "--config", f.name, "--db", harness.new_database_url())
        os.unlink(f.name)
        self.assertNotEqual(code, 0)
        self.assertIn("server.prot", out)
        code, out = self.run_bin("demo", "--db", "/proc/forbidden/x.db")
        self.assertNotEqual(code, 0)
        self.assertIn("mekong:", out)


if __name__ == "__main__":
    unittest.main()
