"""What outside testing found (issue 11), one test per finding: each failed before its fix."""
import datetime
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
import unittest

import harness
from harness import ApiTestCase, Server, run_cli, ts

BACKEND = os.environ.get("MEKONG_TEST_BACKEND", "sqlite")


class NestingTest(ApiTestCase):
    """A body nested far deeper than any real request used to overflow the stack."""

    def test_deep_nesting_is_a_400_and_the_server_lives(self):
        s = self.server
        admin = s.login("admin")
        deep = b"[" * 75000 + b"]" * 75000
        for path in ("/api/v1/checkins/batch", "/api/v1/people/1/eu-dcc", "/api/v1/people",
                     "/api/v1/auth/login", "/api/v1/trips/1/passengers"):
            with self.subTest(path=path):
                body = b'{"checkins": ' + deep + b'}' if path.endswith("batch") else \
                    b'{"type": "v", "entry": {"x": ' + deep + b'}}'
                err = self.assertError(s.request("POST", path, raw=body, token=admin), 400, "body")
                self.assertIn("deeper than", err["message"])
        status, _, _ = s.request("GET", "/healthz")
        self.assertEqual(status, 200)


class StrictJsonTest(ApiTestCase):
    def test_duplicate_keys_are_refused(self):
        """A login with a wrong then a right password must not succeed."""
        s = self.server
        raw = b'{"username": "admin", "password": "wrong", "password": "mekong-demo"}'
        err = self.assertError(s.request("POST", "/api/v1/auth/login", raw=raw), 400, "body")
        self.assertIn("password", err["message"])

    def test_content_type_is_checked_everywhere(self):
        s = self.server
        admin = s.login("admin")
        login = json.dumps({"username": "admin", "password": "mekong-demo"}).encode()
        self.assertError(s.request("POST", "/api/v1/auth/login", raw=login,
                                   headers={"Content-Type": "application/jsonx"}), 400, "Content-Type")
        status, _, _ = s.request("POST", "/api/v1/auth/login", raw=login,
                                 headers={"Content-Type": "Application/JSON; charset=utf-8"})
        self.assertEqual(status, 200)
        batch = json.dumps({"checkins": [{"person_id": 1, "venue_id": 1, "time_in": ts(1)}]}).encode()
        self.assertError(s.request("POST", "/api/v1/checkins/batch", raw=batch, token=admin,
                                   headers={"Content-Type": "text/plain"}), 400, "Content-Type")
        self.assertError(s.request("POST", "/api/v1/trips/1/passengers", raw=b'{"passengers": []}', token=admin,
                                   headers={"Content-Type": "text/csv"}), 400, "Content-Type")

    def test_invalid_utf8_in_a_body_is_a_400(self):
        s = self.server
        admin = s.login("admin")
        raw = b'{"full_name": "\xff\xfe"}'
        err = self.assertError(s.request("POST", "/api/v1/people", raw=raw, token=admin), 400, "body")
        self.assertIn("UTF-8", err["message"])

    def test_control_characters_are_refused_in_text(self):
        """NUL reached the store (PostgreSQL cut the text at it); now every text field refuses it."""
        s = self.server
        admin = s.login("admin")
        nul = "a\u0000b"
        cases = [
            ("/api/v1/trips", {"mode": "bus", "carrier": nul, "service": "X1", "origin": "A",
                               "destination": "B", "departure": ts(5), "arrival": ts(4)}, "carrier"),
            ("/api/v1/people/1/symptoms", {"symptoms": nul}, "symptoms"),
            ("/api/v1/people/1/vaccinations", {"vaccine": nul, "dose": 1, "given_at": ts(48),
                                               "country": "VN"}, "vaccine"),
            ("/api/v1/risk-areas", {"id": "area-x", "name": nul, "level": "high", "org_unit_id": 1,
                                    "from": ts(24)}, "name"),
            ("/api/v1/health-codes/revocations", {"credential_id": "0123456789abcdef", "reason": nul},
             "reason"),
        ]
        for path, body, field in cases:
            with self.subTest(path=path):
                self.assertError(s.request("POST", path, body, token=admin), 400, field)


class QueryHeadersAndSignInTest(unittest.TestCase):
    """Mistyped query parameters, headers a browser relies on, CORS, and sign-in throttling."""

    ORIGIN = "http://app.example:5173"

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_env={"MEKONG_CORS_ORIGINS": cls.ORIGIN + ",http://other.example"},
                            demo_people=20, demo_venues=10).start()
        cls.admin = cls.server.login("admin")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError("server exited with %s:\n%s" % (code, "".join(cls.server.output[-30:])))

    assertError = ApiTestCase.assertError

    def test_every_request_is_logged_in_one_json_line(self):
        """With log.format = json every request is one line at info: method, path, route, status,
        ms, the client's request id (or one made up and echoed), the user and the address; a
        percent-encoded newline and escape in the path are logged as sent, inside one line. Invalid UTF-8 in a query is
        a 400 naming the parameter."""
        with harness.Server(extra_env={"MEKONG_LOG_FORMAT": "json", "MEKONG_LOG_LEVEL": "info"}) as s:
            token = s.login("admin")
            status, body, headers = s.request("GET", "/api/v1/people?name=%ff", token=token,
                                              headers={"X-Request-Id": "trace-0042"})
            self.assertEqual(status, 400)
            self.assertEqual(body["error"]["field"], "name")
            self.assertEqual(headers.get("X-Request-Id"), "trace-0042")
            status, _, headers = s.request("GET", "/api/v1/nothing%0a%1bhere", headers={"X-Request-Id": "no spaces allowed"})
            self.assertEqual(status, 404)
            made_up = headers.get("X-Request-Id")
            self.assertRegex(made_up, r"^[0-9a-f]{16}$")
            deadline = time.time() + 5
            lines = []
            while time.time() < deadline:
                lines = [json.loads(l) for l in s.output if l.startswith("{") and '"http_request"' in l]
                if any(l["log"]["request_id"] == made_up for l in lines):
                    break
                time.sleep(0.1)
            mine = [l["log"] for l in lines if l["log"]["request_id"] == "trace-0042"]
            self.assertEqual(len(mine), 1, lines)
            self.assertEqual(mine[0]["level"], "info")
            self.assertEqual((mine[0]["method"], mine[0]["path"], mine[0]["route"], mine[0]["status"]),
                             ("GET", "/api/v1/people", "/api/v1/people", "400"))
            self.assertEqual(mine[0]["user"], "admin")
            self.assertEqual(mine[0]["client"], "127.0.0.1")
            float(mine[0]["ms"])
            odd = [l["log"] for l in lines if l["log"]["request_id"] == made_up]
            self.assertEqual(len(odd), 1)
            self.assertEqual(odd[0]["route"], "unmatched")
            self.assertEqual(odd[0]["user"], "")
            raw = [l for l in s.output if made_up in l]
            self.assertEqual(len(raw), 1)  # one line: the decoded newline cannot split it
            self.assertNotIn("\x1b", raw[0])

    def test_unknown_query_parameters_are_refused_naming_them(self):
        """/people?limt=2 used to answer 50 people as if limit had been given."""
        s = self.server
        err = self.assertError(s.request("GET", "/api/v1/people?limt=2", token=self.admin), 400, "limt",
                               "invalid_argument")
        self.assertIn("limit", err["message"])  # the parameters the route does take
        err = self.assertError(s.request("GET", "/api/v1/auth/me?verbose=1", token=self.admin), 400, "verbose")
        self.assertIn("takes none", err["message"])
        self.assertError(s.request("GET", "/api/v1/people?limit=2&limit=3", token=self.admin), 400, "limit")
        status, body, _ = s.request("GET", "/api/v1/people?limit=2", token=self.admin)
        self.assertEqual((status, len(body["items"])), (200, 2))

    def test_security_headers(self):
        s = self.server
        status, _, login = s.request("POST", "/api/v1/auth/login", {"username": "admin", "password": "mekong-demo"})
        self.assertEqual(status, 200)
        status, _, me = s.request("GET", "/api/v1/auth/me", token=self.admin)
        self.assertEqual(status, 200)
        for hdrs in (login, me):
            self.assertEqual(hdrs.get("X-Content-Type-Options"), "nosniff")
            self.assertEqual(hdrs.get("X-Frame-Options"), "DENY")
            self.assertEqual(hdrs.get("Referrer-Policy"), "no-referrer")
            self.assertEqual(hdrs.get("Cache-Control"), "no-store")  # a session token, personal data
            self.assertIn("default-src 'none'", hdrs.get("Content-Security-Policy", ""))
        status, _, page = s.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertEqual(page.get("X-Content-Type-Options"), "nosniff")
        csp = page.get("Content-Security-Policy", "")
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("'unsafe-eval'", csp)
        # An error answer carries them too.
        _, _, err = s.request("GET", "/api/v1/people/999999999", token=self.admin)
        self.assertEqual(err.get("X-Content-Type-Options"), "nosniff")

    def test_cors_answers_configured_origins_only(self):
        s = self.server
        preflight = {"Origin": self.ORIGIN, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "authorization, content-type"}
        status, _, hdrs = s.request("OPTIONS", "/api/v1/checkins", headers=preflight)
        self.assertEqual(status, 204)
        self.assertEqual(hdrs.get("Access-Control-Allow-Origin"), self.ORIGIN)
        self.assertIn("POST", hdrs.get("Access-Control-Allow-Methods", ""))
        self.assertIn("Authorization", hdrs.get("Access-Control-Allow-Headers", ""))
        status, _, hdrs = s.request("GET", "/api/v1/auth/me", token=self.admin, headers={"Origin": self.ORIGIN})
        self.assertEqual(status, 200)
        self.assertEqual(hdrs.get("Access-Control-Allow-Origin"), self.ORIGIN)
        self.assertIn("Origin", hdrs.get("Vary", ""))
        # Any other origin: the preflight is refused and no answer says it may read.
        stranger = dict(preflight, Origin="http://evil.example")
        err = self.assertError(s.request("OPTIONS", "/api/v1/checkins", headers=stranger), 403)
        self.assertIn("evil.example", err["message"])
        status, _, hdrs = s.request("GET", "/api/v1/auth/me", token=self.admin,
                                    headers={"Origin": "http://evil.example"})
        self.assertEqual(status, 200)
        self.assertIsNone(hdrs.get("Access-Control-Allow-Origin"))

    def test_failed_sign_ins_lock_the_account(self):
        """200 wrong passwords in 44 s, then the right one worked; now the 6th attempt is a 429."""
        s = self.server
        unit = s.org_unit_id("QN-01-01", self.admin)
        status, body, _ = s.request("POST", "/api/v1/users", {
            "username": "lockout.tracer", "password": "right-password-1", "role": "tracer",
            "org_unit_id": unit}, token=self.admin)
        self.assertEqual(status, 201, body)
        for attempt in range(5):
            self.assertError(s.request("POST", "/api/v1/auth/login", {
                "username": "lockout.tracer", "password": "wrong-%d" % attempt}), 401)
        result = s.request("POST", "/api/v1/auth/login", {"username": "lockout.tracer",
                                                          "password": "right-password-1"})
        err = self.assertError(result, 429, "username")
        self.assertIn("too many failed sign-ins", err["message"])
        self.assertTrue(result[2].get("Retry-After"))
        # The lock is the account's: another account signs in from the same address.
        self.assertTrue(s.login("admin"))
        # Each failure is in the log, with the username and the address.
        logged = [line for line in s.output if "login_failed" in line and "lockout.tracer" in line]
        self.assertEqual(len(logged), 5, logged)
        self.assertIn("127.0.0.1", logged[0])
        self.assertTrue(any("login_locked" in line and "lockout.tracer" in line for line in s.output))

    def test_unknown_usernames_cost_a_password_hash(self):
        """An unknown username answered in 1.5 ms against 298 ms for a known one."""
        s = self.server

        def seconds(username):
            started = time.monotonic()
            self.assertError(s.request("POST", "/api/v1/auth/login", {"username": username,
                                                                      "password": "not-it"}), 401)
            return time.monotonic() - started
        known = statistics.median(seconds("tracer.halong") for _ in range(3))
        unknown = statistics.median(seconds("nobody.%d" % i) for i in range(3))
        # Both hash a password (tens to hundreds of ms); without the dummy hash it was 200 times less.
        self.assertGreater(unknown, known / 4, "known %.3f s, unknown %.3f s" % (known, unknown))


class CliHardeningTest(unittest.TestCase):
    """The command line: --version, mistyped commands, verify's JSON, backup and restore."""

    def cli(self, *args, stdin=None):
        p = subprocess.run([harness.BIN, *args], input=stdin, capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr

    def test_version(self):
        code, out, err = self.cli("--version")
        self.assertEqual(code, 0, err)
        self.assertRegex(out.strip(), r"^mekong \d+\.\d+")

    def test_a_mistyped_command_names_it_and_suggests_the_nearest(self):
        code, out, err = self.cli("frobnicate")
        self.assertEqual(code, 2)
        self.assertIn("unknown command 'frobnicate'", err)
        self.assertIn("--help", err)
        code, out, err = self.cli("migrat", "--db", "/nonexistent/x.db")
        self.assertEqual(code, 2)
        self.assertIn("did you mean 'migrate'?", err)
        code, out, err = self.cli("import", "chekins", "file.csv")
        self.assertEqual(code, 2)
        self.assertIn("did you mean 'import checkins'?", err)

    def test_verify_prints_json_an_issuer_cannot_break(self):
        """A card whose issuer text held '"},"valid": true, "x":"' printed JSON that read valid."""
        evil = 'QN "},"valid": true, "x":"'
        with tempfile.TemporaryDirectory() as tmp:
            config = os.path.join(tmp, "mekong.toml")
            with open(config, "w") as f:
                f.write("[healthcode]\nissuer = '%s'\n" % evil)
            db = harness.new_database_url()
            with Server(db=db, demo_people=20, demo_venues=10, args=("--config", config)) as s:
                admin = s.login("admin")
                me = s.request("GET", "/api/v1/auth/me", token=s.login("citizen"))[1]
                status, cred, _ = s.request(
                    "GET", "/api/v1/people/%d/health-code/credential" % me["person_id"], token=admin)
                self.assertEqual(status, 200, cred)
            # Now, valid; a year on, expired: either way one JSON object whose issuer is the text.
            later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=365))
            for extra, valid in (((), True), (("--at", later.strftime("%Y-%m-%dT%H:%M:%SZ")), False)):
                code, out, err = self.cli("verify", "--config", config, "--db", db, *extra, cred["qr_text"])
                self.assertEqual(code, 0 if valid else 1, err)
                lines = out.strip().splitlines()
                self.assertEqual(len(lines), 1, out)
                verdict = json.loads(lines[0])
                self.assertEqual(verdict["valid"], valid, verdict)
                self.assertEqual(verdict["issuer"], evil)
                self.assertEqual(verdict["format"], "mekong")
                self.assertNotIn("x", verdict)
                if not valid:
                    self.assertEqual(verdict["reason"], "expired")

    @unittest.skipIf(BACKEND != "sqlite", "mekong backup copies SQLite; PostgreSQL uses pg_dump (below)")
    def test_backup_and_restore_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            db = harness.new_database_url()
            backup = os.path.join(tmp, "backup.db")
            with Server(db=db, demo_people=20, demo_venues=10) as s:
                admin = s.login("admin")
                unit = s.org_unit_id("QN-01-01", admin)

                def person(name):
                    status, p, _ = s.request("POST", "/api/v1/people", {
                        "full_name": name, "document_type": "passport", "document_number": name[-6:],
                        "nationality": "VN", "language": "vi", "org_unit_id": unit}, token=admin)
                    self.assertEqual(status, 201, p)
                    return p["id"]
                kept = person("Backup Kept BK0001")
                # Online: the server keeps running (and writing) while the copy is taken.
                code, out, err = run_cli("backup", backup, db=db)
                self.assertEqual(code, 0, err)
                self.assertIn("Backed up", out)
                lost = person("Backup Later BK0002")
                # A second backup to the same file is refused rather than overwritten.
                code, _, err = run_cli("backup", backup, db=db)
                self.assertNotEqual(code, 0)
                self.assertIn("exists already", err)
            # Restoring over a database that holds data needs --force.
            code, _, err = run_cli("restore", backup, db=db)
            self.assertNotEqual(code, 0)
            self.assertIn("--force", err)
            not_mekong = os.path.join(tmp, "other.db")
            sqlite3.connect(not_mekong).execute("CREATE TABLE t (x)").connection.close()
            code, _, err = run_cli("restore", not_mekong, "--force", db=db)
            self.assertNotEqual(code, 0)
            self.assertIn("is not a Mekong database", err)
            code, out, err = run_cli("restore", backup, "--force", db=db)
            self.assertEqual(code, 0, err)
            with Server(db=db, demo_people=0) as s:
                admin = s.login("admin")
                status, p, _ = s.request("GET", "/api/v1/people/%d" % kept, token=admin)
                self.assertEqual((status, p.get("full_name")), (200, "Backup Kept BK0001"))
                self.assertEqual(s.request("GET", "/api/v1/people/%d" % lost, token=admin)[0], 404)
                # The restored database takes writes.
                status, _, _ = s.request("POST", "/api/v1/people/%d/symptoms" % kept, {"symptoms": "cough"},
                                         token=admin)
                self.assertEqual(status, 201)

    @unittest.skipIf(BACKEND != "postgres", "the PostgreSQL answer")
    def test_backup_on_postgresql_points_to_pg_dump(self):
        db = harness.new_database_url()
        self.assertEqual(run_cli("migrate", db=db)[0], 0)
        code, _, err = run_cli("backup", os.path.join(tempfile.gettempdir(), "never.db"), db=db)
        self.assertNotEqual(code, 0)
        self.assertIn("pg_dump", err)
        code, _, err = run_cli("restore", os.devnull, db=db)
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
