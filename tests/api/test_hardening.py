"""What outside testing found (issue 11), one test per finding: each failed before its fix."""
import json
import unittest

from harness import ApiTestCase, ts


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


if __name__ == "__main__":
    unittest.main()
