"""`mekong serve` as a program: health, Prometheus metrics, the OpenAPI document checked against
the live routes, keep-alive, transport limits, graceful shutdown, the command line, and a little
concurrency. Every socket has a timeout, every loop a bound, and all traffic stays on 127.0.0.1.

Run: MEKONG_BIN=build/apps/mekong/mekong python3 -m unittest -v test_server
"""
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

HOST = "127.0.0.1"
SMALL = {"demo_people": 20, "demo_venues": 10}  # enough data, quick to load
PASSWORD = "a-long-password"

# One sample line of the Prometheus text format: name{labels} value. Route labels contain
# braces ("/api/v1/people/{id}"), so the label set runs to the last '}' of the line.
SAMPLE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Parses Prometheus text into ({(name, frozenset(labels)): value}, {family: type}).

    Raises ValueError on a line that is neither a comment nor a well-formed sample."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            parts = line.split()
            if len(parts) >= 4 and parts[1] == "TYPE":
                types[parts[2]] = parts[3]
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            raise ValueError("not a Prometheus sample: %r" % line)
        name, label_text, value = m.groups()
        labels = LABEL_RE.findall(label_text or "")
        if label_text and ",".join('%s="%s"' % kv for kv in labels) != label_text:
            raise ValueError("malformed labels: %r" % line)
        samples[(name, frozenset(labels))] = float(value)
    return samples, types


def sample(samples, name, **labels):
    """The value of one series, 0 when it is absent (a counter not yet incremented)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def read_response(f):
    """Reads one HTTP/1.1 response with a Content-Length from a socket file: (status, headers, body)."""
    status_line = f.readline()
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", status_line)
    if not m:
        raise AssertionError("bad status line %r" % status_line)
    headers = {}
    for _ in range(100):
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    body = f.read(int(headers["content-length"]))
    return int(m.group(1)), headers, body


class ServerTest(ApiTestCase):
    """Behaviour of one shared server over a small demo region."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(**SMALL).start()

    # --- 1. health and landing page -----------------------------------------------------------

    def test_healthz_is_ok(self):
        """GET /healthz answers 200 {"status": "ok"} as JSON."""
        status, body, hdrs = self.server.request("GET", "/healthz")
        self.assertEqual((status, body), (200, {"status": "ok"}))
        self.assertTrue(hdrs["Content-Type"].startswith("application/json"))

    def test_landing_page_is_html(self):
        """GET / is an HTML page pointing at the OpenAPI document."""
        status, page, hdrs = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/html"), hdrs["Content-Type"])
        self.assertIn(b"<html", page.lower())
        self.assertIn(b"/api/v1/openapi.json", page)

    # --- 2. metrics ---------------------------------------------------------------------------

    def scrape(self):
        status, text, hdrs = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/plain"), hdrs["Content-Type"])
        self.assertIn("version=0.0.4", hdrs["Content-Type"])
        return text.decode()

    def test_metrics_count_requests_errors_and_latency(self):
        """Logins, a 404 and a 401 show up with exact counts; +Inf buckets equal _count."""
        s = self.server
        before, _ = parse_metrics(self.scrape())
        for _ in range(3):
            s.login("admin")
        self.assertEqual(s.request("POST", "/api/v1/auth/login",
                                   {"username": "nobody.here", "password": "wrong-password"})[0], 401)
        self.assertError(s.request("GET", "/api/v1/nope"), 404)
        self.assertError(s.request("GET", "/api/v1/people/4242"), 401)
        text = self.scrape()
        after, types = parse_metrics(text)

        def delta(name, **labels):
            return sample(after, name, **labels) - sample(before, name, **labels)

        login = {"method": "POST", "route": "/api/v1/auth/login"}
        self.assertEqual(delta("mekong_http_requests_total", status="200", **login), 3)
        self.assertEqual(delta("mekong_http_requests_total", status="401", **login), 1)
        self.assertEqual(delta("mekong_http_errors_total", **login), 1)
        self.assertEqual(delta("mekong_http_requests_total", method="GET", route="/api/v1/people/{id}",
                               status="401"), 1)
        self.assertEqual(delta("mekong_http_errors_total", method="GET", route="/api/v1/people/{id}"), 1)
        self.assertEqual(delta("mekong_http_errors_total", method="GET", route="unmatched"), 1)
        self.assertEqual(delta("mekong_http_request_duration_seconds_count", **login), 4)
        self.assertEqual(types.get("mekong_http_requests_total"), "counter")
        self.assertEqual(types.get("mekong_http_errors_total"), "counter")
        self.assertEqual(types.get("mekong_http_request_duration_seconds"), "histogram")

        # Every histogram: cumulative buckets never decrease and +Inf equals _count.
        buckets = {}  # labels without le -> [(le, cumulative count)]
        for (name, labels), value in after.items():
            if name == "mekong_http_request_duration_seconds_bucket":
                le = dict(labels)["le"]
                buckets.setdefault(labels - {("le", le)}, []).append((float(le), value))
        self.assertIn(frozenset(login.items()), buckets)
        for labels, series in buckets.items():
            series.sort()
            self.assertEqual(series[-1][0], float("inf"), labels)
            counts = [v for _, v in series]
            self.assertEqual(counts, sorted(counts), labels)
            self.assertEqual(series[-1][1], after[("mekong_http_request_duration_seconds_count", labels)], labels)
            self.assertGreaterEqual(after[("mekong_http_request_duration_seconds_sum", labels)], 0)

    def test_metrics_label_routes_by_pattern(self):
        """Route labels are documented patterns or "unmatched", never raw ids from the URL."""
        s = self.server
        token = s.login("admin")
        s.request("GET", "/api/v1/people/987654", token=token)
        s.request("GET", "/api/v1/venues/876543/poster.png", token=token)
        s.request("GET", "/api/v1/no/such/765432")
        text = self.scrape()
        samples, _ = parse_metrics(text)
        doc = s.request("GET", "/api/v1/openapi.json")[1]
        routes = {dict(labels)["route"] for (_, labels) in samples if "route" in dict(labels)}
        self.assertIn("/api/v1/people/{id}", routes)
        self.assertIn("/api/v1/venues/{id}/poster.png", routes)
        for route in routes:
            self.assertTrue(route == "unmatched" or route in doc["paths"], route)
        for raw in ("987654", "876543", "765432"):
            self.assertNotIn(raw, text)

    # --- 3. OpenAPI ---------------------------------------------------------------------------

    def openapi(self):
        status, doc, hdrs = self.server.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("application/json"))
        self.assertIsInstance(doc, dict)  # the harness parsed it as JSON
        return doc

    def test_openapi_is_version_3_and_lists_the_first_slice(self):
        """The document is OpenAPI 3.x and has the first slice's routes."""
        doc = self.openapi()
        self.assertTrue(doc["openapi"].startswith("3."), doc["openapi"])
        for path, method in (("/api/v1/venues", "get"), ("/api/v1/venues", "post"),
                             ("/api/v1/venues/{id}/poster.png", "get"), ("/api/v1/checkins", "post"),
                             ("/api/v1/checkins/{id}/checkout", "post"), ("/api/v1/cases", "get"),
                             ("/api/v1/cases", "post"), ("/api/v1/cases/{id}/contacts", "get"),
                             ("/api/v1/people/{id}/health-code", "get")):
            self.assertIn(path, doc["paths"])
            self.assertIn(method, doc["paths"][path], path)

    def test_openapi_documented_operations_exist(self):
        """Each documented operation is routed: public ones answer, the rest say 401 in JSON."""
        doc = self.openapi()
        operations = 0
        for path, methods in doc["paths"].items():
            for method, op in methods.items():
                operations += 1
                with self.subTest(op=method.upper() + " " + path):
                    result = self.server.request(method.upper(), path.replace("{id}", "1"),
                                                 body={} if method == "post" else None)
                    status, body, _ = result
                    self.assertNotEqual(status, 405, body)
                    if isinstance(body, dict) and status == 404:
                        self.assertNotIn("no route", body["error"]["message"])
                    if op.get("security") == []:
                        self.assertLess(status, 500, body)
                    else:
                        self.assertError(result, 401, code="unauthenticated")
        self.assertGreater(operations, 20)

    def test_openapi_post_bodies_are_documented(self):
        """POSTs that read a body document its JSON schema; the others really take none."""
        doc = self.openapi()
        admin = self.server.login("admin")
        bodiless = []
        for path, methods in doc["paths"].items():
            if "post" not in methods:
                continue
            op = methods["post"]
            url = path.replace("{id}", "1")
            with self.subTest(path=path):
                if "requestBody" in op:
                    schema = op["requestBody"]["content"]["application/json"]["schema"]
                    self.assertEqual(schema.get("type"), "object", schema)
                    self.assertTrue(op["requestBody"].get("required"), op["requestBody"])
                    continue
                bodiless.append(path)
                # Undocumented body: the handler must not demand one.
                token = self.server.login("admin") if path == "/api/v1/auth/logout" else admin
                status, body, _ = self.server.request("POST", url, raw=b"", token=token)
                if isinstance(body, dict) and "error" in body:
                    self.assertNotEqual(body["error"]["field"], "body", body)
                self.assertNotIn(status, (405, 415, 500), body)
        # Only a handful of input-less actions (logout, key rotation, acknowledging an alert).
        self.assertLessEqual(len(bodiless), 3, bodiless)

    def test_unknown_path_is_404_json(self):
        """A path in no route is a 404 JSON error."""
        doc = self.openapi()
        self.assertNotIn("/api/v1/nope", doc["paths"])
        err = self.assertError(self.server.request("GET", "/api/v1/nope"), 404, code="not_found")
        self.assertIn("/api/v1/nope", err["message"])

    def test_wrong_method_is_405_with_allow(self):
        """DELETE on a known path is 405 with an Allow header naming GET and POST."""
        result = self.server.request("DELETE", "/api/v1/people")
        self.assertError(result, 405)
        allow = {m.strip() for m in result[2]["Allow"].split(",")}
        self.assertEqual(allow, {"GET", "POST"})

    def test_encoded_slash_stays_inside_its_segment(self):
        """%2F in an id is data, not a separator: /people/1%2Fcheckins is not /people/1/checkins."""
        admin = self.server.login("admin")
        self.assertEqual(self.server.request("GET", "/api/v1/people/1/checkins", token=admin)[0], 200)
        status, body, _ = self.server.request("GET", "/api/v1/people/1%2Fcheckins", token=admin)
        self.assertIn(status, (400, 404), body)

    # --- 4. keep-alive ------------------------------------------------------------------------

    def test_keep_alive_reuses_one_socket(self):
        """Successes and errors alike leave one HTTP/1.1 connection open for the next request."""
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=10)
        try:
            conn.connect()
            sock, local = conn.sock, conn.sock.getsockname()
            token = None
            steps = [("GET", "/healthz", None, 200), ("GET", "/api/v1/nope", None, 404),
                     ("GET", "/api/v1/auth/me", None, 401),
                     ("POST", "/api/v1/auth/login", {"username": "admin", "password": "mekong-demo"}, 200),
                     ("GET", "/api/v1/auth/me", "token", 200), ("GET", "/api/v1/openapi.json", None, 200)]
            for method, path, body, want in steps:
                headers = {"Content-Type": "application/json"}
                if body == "token":
                    headers["Authorization"] = "Bearer " + token
                    body = None
                conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
                resp = conn.getresponse()
                payload = json.loads(resp.read())
                self.assertEqual(resp.status, want, (path, payload))
                self.assertNotEqual((resp.getheader("Connection") or "").lower(), "close", path)
                if path == "/api/v1/auth/login":
                    token = payload["token"]
                self.assertIs(conn.sock, sock, path)
                self.assertEqual(conn.sock.getsockname(), local, path)
        finally:
            conn.close()

    def test_pipelined_requests_are_answered_in_order(self):
        """Two requests sent back to back on one socket get two whole answers, in order."""
        with socket.create_connection((HOST, self.server.port), timeout=10) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"GET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n")
            f = sock.makefile("rb")
            status, _, body = read_response(f)
            self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))
            status, _, body = read_response(f)
            self.assertEqual(status, 404)
            self.assertEqual(json.loads(body)["error"]["code"], "not_found")

    # --- 5. limits on this server's defaults --------------------------------------------------

    def test_headers_over_16_kib_are_431(self):
        """Headers over 16 KiB get 431 as JSON; 15 KiB of headers still pass."""
        s = self.server
        self.assertEqual(s.request("GET", "/healthz", headers={"X-Pad": "p" * 15000})[:2], (200, {"status": "ok"}))
        self.assertError(s.request("GET", "/healthz", headers={"X-Pad": "p" * 17 * 1024}), 431)
        many = {"X-Pad-%02d" % i: "q" * 500 for i in range(40)}  # 20 KB spread over many headers
        self.assertError(s.request("GET", "/healthz", headers=many), 431)
        self.assertEqual(s.request("GET", "/healthz")[0], 200)

    def test_stalled_clients_do_not_block_others(self):
        """Clients stuck mid request line or mid body do not hold up other clients."""
        s = self.server
        stalled_line = socket.create_connection((HOST, s.port), timeout=5)
        stalled_body = socket.create_connection((HOST, s.port), timeout=5)
        try:
            stalled_line.sendall(b"GET /heal")
            stalled_body.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 100\r\n\r\n{\"user")
            started = time.monotonic()
            for _ in range(20):
                self.assertEqual(s.request("GET", "/healthz")[0], 200)
            self.assertLess(time.monotonic() - started, 5)
        finally:
            stalled_line.close()
            stalled_body.close()

    # --- 8. concurrency -----------------------------------------------------------------------

    def test_concurrent_authenticated_requests(self):
        """8 threads x 25 GET /api/v1/auth/me with one valid token all answer 200."""
        token = self.server.login("officer.province")
        results, lock = [], threading.Lock()

        def worker():
            for _ in range(25):
                try:
                    status, body, _ = self.server.request("GET", "/api/v1/auth/me", token=token)
                except Exception as e:  # noqa: BLE001 - recorded and reported below
                    status, body = None, repr(e)
                with lock:
                    results.append((status, body.get("username") if isinstance(body, dict) else body))

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertFalse(any(t.is_alive() for t in threads), "workers still running")
        self.assertEqual(len(results), 200)
        self.assertEqual([r for r in results if r != (200, "officer.province")], [])


class BodyLimitTest(unittest.TestCase):
    """A server started with MEKONG_MAX_BODY_BYTES=2048."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_env={"MEKONG_MAX_BODY_BYTES": "2048"}, **SMALL).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError("server exited with %s" % code)

    assertError = ApiTestCase.assertError

    def test_body_over_limit_is_413(self):
        """A 4 KiB body is refused with a 413 JSON error naming the limit."""
        raw = json.dumps({"username": "admin", "password": "p" * 4096}).encode()
        err = self.assertError(self.server.request("POST", "/api/v1/auth/login", raw=raw), 413,
                               code="payload_too_large")
        self.assertIn("2048", err["message"])

    def test_chunked_body_over_limit_is_413(self):
        """The limit also holds for a chunked body, which declares no length up front."""
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=10)
        try:
            conn.request("POST", "/api/v1/auth/login", body=iter([b" " * 1024] * 4),
                         headers={"Content-Type": "application/json"}, encode_chunked=True)
            resp = conn.getresponse()
            body = json.loads(resp.read())
            self.assertEqual(resp.status, 413, body)
            self.assertEqual(body["error"]["code"], "payload_too_large")
        finally:
            conn.close()

    def test_body_under_limit_reaches_the_handler(self):
        """A 1 KiB body passes the parser and reaches login: a wrong password 401, the right one 200."""
        pad = " " * 1000  # JSON allows trailing whitespace: the body is 1 KiB, the document small
        raw = (json.dumps({"username": "admin", "password": "wrong-password"}) + pad).encode()
        self.assertGreater(len(raw), 1024)
        self.assertError(self.server.request("POST", "/api/v1/auth/login", raw=raw), 401, code="unauthenticated")
        raw = (json.dumps({"username": "admin", "password": "mekong-demo"}) + pad).encode()
        status, body, _ = self.server.request("POST", "/api/v1/auth/login", raw=raw)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["token"])


class ShutdownTest(unittest.TestCase):
    """SIGTERM: stop accepting, finish what is in flight, close idle connections, exit 0."""

    def assertRefused(self, port):
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection((HOST, port), timeout=2).close()

    def test_sigterm_with_idle_connections_exits_promptly(self):
        """An idle keep-alive connection and a half-sent request do not hold the 10 s grace."""
        s = Server(**SMALL).start()
        conn = http.client.HTTPConnection(HOST, s.port, timeout=10)
        stalled = socket.create_connection((HOST, s.port), timeout=10)
        try:
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
            stalled.sendall(b"GET /hea")
            time.sleep(0.2)  # let the server see both connections
            started = time.monotonic()
            code = s.stop(timeout=20)
            elapsed = time.monotonic() - started
            self.assertEqual(code, 0, "".join(s.output[-20:]))
            self.assertLess(elapsed, 4)
            # The idle connection was closed by the server, not left hanging.
            conn.sock.settimeout(5)
            self.assertEqual(conn.sock.recv(1), b"")
            self.assertRefused(s.port)
        finally:
            conn.close()
            stalled.close()
            if s.proc.poll() is None:
                s.proc.kill()

    def test_sigterm_under_load_answers_whole_or_not_at_all(self):
        """Requests racing SIGTERM get complete, valid answers or none; the exit code is 0."""
        s = Server(**SMALL).start()
        token = s.login("admin")
        lock = threading.Lock()
        complete, broken, unanswered = [], [], []
        stop = threading.Event()
        checks = [("/api/v1/openapi.json", {}, "paths"),
                  ("/api/v1/auth/me", {"Authorization": "Bearer " + token}, "username")]

        def worker(n):
            conn = None
            for i in range(2000):  # bounded; normally ends on `stop`
                if stop.is_set():
                    break
                path, headers, key = checks[(n + i) % 2]
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, s.port, timeout=10)
                try:
                    conn.request("GET", path, headers=headers)
                    resp = conn.getresponse()
                except TimeoutError as e:  # neither an answer nor a close: a hang
                    with lock:
                        broken.append((path, repr(e)))
                    conn.close()
                    conn = None
                    continue
                except (ConnectionError, http.client.RemoteDisconnected):
                    with lock:  # refused or closed before any answer: allowed once stopping
                        unanswered.append(time.monotonic())
                    conn.close()
                    conn = None
                    time.sleep(0.005)
                    continue
                except (http.client.HTTPException, OSError) as e:
                    with lock:
                        broken.append((path, repr(e)))
                    conn.close()
                    conn = None
                    continue
                try:
                    body = resp.read()
                    length = int(resp.getheader("Content-Length"))
                    ok = (resp.status == 200 and len(body) == length
                          and resp.getheader("Content-Type", "").startswith("application/json")
                          and key in json.loads(body))
                    with lock:
                        if ok:
                            complete.append(path)
                        else:
                            broken.append((path, resp.status, body[:200]))
                except (http.client.HTTPException, OSError, ValueError, TypeError) as e:
                    with lock:  # headers arrived but the answer was cut short or garbled
                        broken.append((path, repr(e)))
                if resp.will_close:
                    conn.close()
                    conn = None
            if conn is not None:
                conn.close()

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
        try:
            for t in threads:
                t.start()
            deadline = time.monotonic() + 10
            while len(complete) < 40 and time.monotonic() < deadline:
                time.sleep(0.02)
            self.assertGreater(len(complete), 0, broken)
            sigterm_at = time.monotonic()
            code = s.stop(timeout=20)
        finally:
            stop.set()
            for t in threads:
                t.join(30)
            if s.proc.poll() is None:
                s.proc.kill()
        self.assertFalse(any(t.is_alive() for t in threads), "workers still running")
        self.assertEqual(code, 0, "".join(s.output[-20:]))
        self.assertEqual(broken, [])
        # Nothing was dropped before shutdown began.
        self.assertEqual([t for t in unanswered if t < sigterm_at], [])
        self.assertRefused(s.port)


class CliTest(unittest.TestCase):
    """The mekong command line."""

    def run_bin(self, *args, stdin=None):
        p = subprocess.run([harness.BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout, p.stderr

    def test_help_lists_the_commands(self):
        """mekong --help exits 0 and lists serve, migrate, demo and user."""
        code, out, err = self.run_bin("--help")
        self.assertEqual(code, 0, err)
        for command in ("serve", "migrate", "demo", "user"):
            self.assertRegex(out, r"(?m)^\s+%s\b" % command)

    def test_serve_help_lists_db_and_port(self):
        """mekong serve --help exits 0 and documents --db and --port."""
        code, out, err = self.run_bin("serve", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("--db", out)
        self.assertIn("--port", out)

    def test_unknown_command_fails_with_a_message(self):
        """mekong bogus exits non-zero and says something."""
        code, out, err = self.run_bin("bogus")
        self.assertNotEqual(code, 0)
        self.assertTrue((out + err).strip())

    def test_migrate_is_idempotent(self):
        """mekong migrate over a fresh database exits 0, and again a second time."""
        db = harness.new_database_url()
        for attempt in range(2):
            code, out, err = self.run_bin("migrate", "--db", db)
            self.assertEqual(code, 0, "attempt %d: %s" % (attempt + 1, err))

    def test_user_add_then_login_over_http(self):
        """user add reads the password from stdin; the new user logs in; a bad --org-unit is named."""
        db = harness.new_database_url()
        code, _, err = harness.run_cli("demo", "--people", "20", "--venues", "10", db=db)
        self.assertEqual(code, 0, err)
        code, out, err = self.run_bin("user", "add", "--db", db, "--username", "x.y", "--role", "tracer",
                                      "--org-unit", "QN-01", stdin=PASSWORD + "\n")
        self.assertEqual(code, 0, err)
        code, out, err = self.run_bin("user", "add", "--db", db, "--username", "x.z", "--role", "tracer",
                                      "--org-unit", "QN-99", stdin=PASSWORD + "\n")
        self.assertNotEqual(code, 0, out)
        self.assertIn("--org-unit", err)
        with Server(db=db, demo_people=0) as s:
            token = s.login("x.y", PASSWORD)
            status, me, _ = s.request("GET", "/api/v1/auth/me", token=token)
            self.assertEqual(status, 200, me)
            self.assertEqual((me["username"], me["role"]), ("x.y", "tracer"))
            # The refused account was not half-created.
            self.assertEqual(s.request("POST", "/api/v1/auth/login",
                                       {"username": "x.z", "password": PASSWORD})[0], 401)

    def test_unknown_config_key_is_named(self):
        """serve --config with [server] prot = 1 exits non-zero naming server.prot."""
        with tempfile.TemporaryDirectory(prefix="mekong-cfg-") as tmp:
            path = os.path.join(tmp, "mekong.toml")
            with open(path, "w") as f:
                f.write("[server]\nprot = 1\n")
            code, out, err = self.run_bin("serve", "--config", path, "--db", harness.new_database_url(),
                                          "--port", "0")
        self.assertNotEqual(code, 0, out)
        self.assertIn("server.prot", err)
        self.assertNotIn("serving on", out)


if __name__ == "__main__":
    unittest.main()
