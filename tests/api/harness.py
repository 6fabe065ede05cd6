"""Starts a real `mekong serve` on a free loopback port and speaks HTTP to it.

The backend comes from MEKONG_TEST_BACKEND (sqlite or postgres, as for the C++ suites); for
PostgreSQL a fresh database is created on the server named in MEKONG_TEST_PG_URL_FILE. The
binary is MEKONG_BIN. Standard library only.
"""
import atexit
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

BIN = os.environ.get("MEKONG_BIN", "build/apps/mekong/mekong")


def ts(hours_ago=0.0, minutes=0, now=None):
    """An RFC 3339 UTC time `hours_ago` hours before now (or `now`, so that times a test
    compares are not a clock second apart), plus `minutes`, to the second."""
    t = ((now or datetime.datetime.now(datetime.timezone.utc)) - datetime.timedelta(hours=hours_ago)
         + datetime.timedelta(minutes=minutes))
    return t.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


_temp_dirs = []
# Databases outlive one server (restart tests reopen them), so they go when the test process ends.
atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in _temp_dirs])


def new_database_url():
    backend = os.environ.get("MEKONG_TEST_BACKEND", "sqlite")
    if backend == "sqlite":
        _temp_dirs.append(tempfile.mkdtemp(prefix="mekong-api-"))
        return os.path.join(_temp_dirs[-1], "mekong.db")
    if backend != "postgres":
        raise RuntimeError("MEKONG_TEST_BACKEND must be sqlite or postgres")
    url_file = os.environ.get("MEKONG_TEST_PG_URL_FILE")
    if not url_file or not os.path.exists(url_file):
        raise RuntimeError("no PostgreSQL URL file (did pg_start run?)")
    admin = open(url_file).read().strip()
    name = "mekong_api_" + secrets.token_hex(4)
    subprocess.run(["psql", admin, "-q", "-c", "CREATE DATABASE " + name], check=True,
                   stdout=subprocess.DEVNULL)
    return admin.rsplit("/", 1)[0] + "/" + name


def run_cli(*args, db, stdin=None):
    """Runs a mekong command; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BIN, *args, "--db", db], input=stdin, capture_output=True, text=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


class Server:
    """One server process over one database. Use as a context manager."""

    def __init__(self, db=None, extra_env=None, demo_people=200, demo_venues=30, args=()):
        self.db = db or new_database_url()
        self.extra_env = extra_env or {}
        self.args = list(args)  # more `mekong serve` flags, e.g. ["--config", path]
        self.demo_people = demo_people
        self.demo_venues = demo_venues
        self.proc = None
        self.port = None
        self.output = []

    def start(self):
        if self.demo_people:
            code, out, err = run_cli("demo", "--people", str(self.demo_people), "--venues",
                                     str(self.demo_venues), db=self.db)
            if code != 0:
                raise RuntimeError("mekong demo failed: " + err)
        # Every answer is checked against its route's declared schema: a mismatch is a 500.
        env = dict(os.environ, MEKONG_CHECK_RESPONSES="1", **self.extra_env)
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--port", "0", "--threads", "2"]
                                     + self.args,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            self.proc.kill()
            raise RuntimeError("server did not start:\n" + "".join(self.output))
        # Keep draining the log so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self):
        try:
            for line in self.proc.stdout:
                self.output.append(line)
        except ValueError:
            pass  # closed by stop()

    def stop(self, timeout=30):
        """SIGTERM, then wait; returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
            finally:
                self.proc.stdout.close()
            return code
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    def request(self, method, path, body=None, token=None, api_key=None, raw=None,
                headers=None):
        """Returns (status, parsed JSON or raw bytes, response headers)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if api_key:
            req.add_header("X-Api-Key", api_key)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, payload, hdrs = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            status, payload, hdrs = e.code, e.read(), e.headers
        ctype = hdrs.get("Content-Type", "")
        if ctype.startswith("application/json") and payload:  # a 204 has no body
            return status, json.loads(payload), hdrs
        return status, payload, hdrs

    def login(self, username, password="mekong-demo"):
        status, body, _ = self.request("POST", "/api/v1/auth/login",
                                       {"username": username, "password": password})
        if status != 200:
            raise AssertionError("login %s failed: %s %s" % (username, status, body))
        return body["token"]

    def staff(self, admin, role, unit, prefix="staff"):
        """A new user of `role` in `unit`, made by `admin`: (session token, user id)."""
        name = "%s.%s" % (prefix, secrets.token_hex(4))
        status, user, _ = self.request("POST", "/api/v1/users", {
            "username": name, "password": "staff-pass-1", "role": role, "org_unit_id": unit}, token=admin)
        assert status == 201, user
        return self.login(name, "staff-pass-1"), user["id"]

    def org_unit_id(self, code, token):
        """Finds an org unit by code, walking down from the province."""
        queue = [None]
        while queue:
            parent = queue.pop(0)
            path = "/api/v1/org-units" + ("?parent_id=%d" % parent if parent else "")
            status, body, _ = self.request("GET", path, token=token)
            assert status == 200, body
            for unit in body["items"]:
                if unit["code"] == code:
                    return unit["id"]
                queue.append(unit["id"])
        raise KeyError(code)


class ApiTestCase(unittest.TestCase):
    """One server per test class, shared by its tests."""

    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError("server exited with %s:\n%s" % (code, "".join(cls.server.output[-30:])))

    def assertError(self, result, status, field=None, code=None):
        """Checks an error response: status, the JSON error shape and the field it names."""
        got_status, body, _ = result
        self.assertEqual(got_status, status, body)
        self.assertIsInstance(body, dict, body)
        self.assertIn("error", body)
        err = body["error"]
        self.assertEqual(set(err), {"code", "message", "field"}, err)
        self.assertTrue(err["message"])
        if field is not None:
            self.assertEqual(err["field"], field, err)
        if code is not None:
            self.assertEqual(err["code"], code, err)
        return err
