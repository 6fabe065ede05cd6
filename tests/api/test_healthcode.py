"""Signed health codes and verification over HTTP and offline: our MK1 codes, EU DCCs and
SMART Health Cards, trust import, revocation, key rotation, the offline bundle."""
import json
import os
import subprocess
import tempfile
import unittest

import harness
from harness import ApiTestCase, ts

SHARED = os.environ.get("MEKONG_TESTDATA") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                                         "shared", "testdata")
SHC_ISSUER = "https://spec.smarthealth.cards/examples/issuer"


def shared(path):
    with open(os.path.join(SHARED, path)) as f:
        return f.read()




class HealthCodeTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.checkpoint = s.login("checkpoint.mongcai")
        cls.commune = s.org_unit_id("QN-01-01", cls.admin)

    def new_citizen(self, n):
        s = self.server
        status, person, _ = s.request("POST", "/api/v1/people", {
            "full_name": "Holder %d" % n, "document_type": "passport", "document_number": "HC%06d" % n,
            "nationality": "TH", "language": "th", "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201, person)
        status, _, _ = s.request("POST", "/api/v1/users", {
            "username": "holder.%d" % n, "password": "holder-pass", "role": "citizen",
            "org_unit_id": self.commune, "person_id": person["id"]}, token=self.admin)
        self.assertEqual(status, 201)
        return person, s.login("holder.%d" % n, "holder-pass")

    def verify(self, text, token=None):
        status, body, _ = self.server.request("POST", "/api/v1/verify", {"qr": text}, token=token or self.checkpoint)
        self.assertEqual(status, 200, body)
        return body

    def test_citizen_code_verifies_with_its_colour(self):
        """A citizen's signed code reads back from its PNG and verifies with the right colour."""
        s = self.server
        person, token = self.new_citizen(1)
        status, cred, _ = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)
        self.assertEqual(status, 200, cred)
        self.assertTrue(cred["qr_text"].startswith("MK1:"))
        self.assertEqual(cred["colour"], "green")
        status, png, hdrs = s.request("GET", "/api/v1/people/%d/health-code/credential.png" % person["id"],
                                      token=token)
        self.assertEqual((status, hdrs["Content-Type"]), (200, "image/png"))
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
            f.write(png)
        read = subprocess.run(["zbarimg", "--quiet", "--raw", f.name], capture_output=True, text=True)
        os.unlink(f.name)
        self.assertEqual(read.returncode, 0, read.stderr)
        self.assertTrue(read.stdout.strip().startswith("MK1:"))
        verdict = self.verify(read.stdout.strip())
        self.assertTrue(verdict["valid"], verdict)
        self.assertEqual(verdict["format"], "mekong")
        self.assertEqual(verdict["details"]["colour"], "green")
        self.assertNotIn("Holder", json.dumps(verdict))  # no name in the credential

        # Confirmed as a case: the next code is red; a device at a gate can verify it too.
        tracer = s.login("tracer.halong")
        self.assertEqual(s.request("POST", "/api/v1/cases", {"person_id": person["id"], "onset_at": ts(24)},
                                   token=tracer)[0], 201)
        red = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        self.assertEqual(red["colour"], "red")
        status, device, _ = s.request("POST", "/api/v1/users", {"username": "gate.hc.1", "role": "device",
                                                                "org_unit_id": self.commune}, token=self.admin)
        self.assertEqual(status, 201)
        status, v, _ = s.request("POST", "/api/v1/verify", {"qr": red["qr_text"]}, api_key=device["api_key"])
        self.assertEqual((status, v["valid"], v["details"]["colour"]), (200, True, "red"))

        # Others cannot fetch this person's credential.
        _, other = self.new_citizen(2)
        self.assertError(s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"],
                                   token=other), 403)

    def test_revocation_and_rotation(self):
        """A revoked code fails; codes signed before a rotation still verify."""
        s = self.server
        person, token = self.new_citizen(3)
        first = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        second = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        self.assertEqual(s.request("POST", "/api/v1/health-codes/revocations",
                                   {"credential_id": first["credential_id"], "reason": "phone lost"},
                                   token=self.admin)[0], 201)
        self.assertEqual(self.verify(first["qr_text"])["reason"], "revoked")
        self.assertTrue(self.verify(second["qr_text"])["valid"])
        revoked = s.request("GET", "/.well-known/mekong/revocations.json")[1]
        self.assertIn(first["credential_id"], revoked["revoked_credential_ids"])
        self.assertError(s.request("POST", "/api/v1/health-codes/revocations",
                                   {"credential_id": "nothex", "reason": "x"}, token=self.admin), 400,
                         "credential_id")

        status, rotated, _ = s.request("POST", "/api/v1/health-codes/keys/rotate", token=self.admin)
        self.assertEqual(status, 201, rotated)
        keys = s.request("GET", "/.well-known/mekong/keys.json")[1]["keys"]
        self.assertEqual(sorted(k["status"] for k in keys)[-2:], ["active", "retired"])
        self.assertTrue(self.verify(second["qr_text"])["valid"])  # signed by the retired key
        third = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        self.assertEqual(third["kid"], rotated["active_kid"])
        self.assertTrue(self.verify(third["qr_text"])["valid"])
        self.assertError(s.request("POST", "/api/v1/health-codes/keys/rotate", token=self.checkpoint), 403)

    def test_foreign_credentials_after_trust_import(self):
        """EU DCC and SMART Health Cards verify once their issuers are trusted."""
        s = self.server
        eu = json.loads(shared("eu-dcc/AT/2DCode/raw/1.json"))
        before = self.verify(eu["PREFIX"])
        self.assertEqual((before["format"], before["valid"]), ("eu_dcc", False))
        self.assertIn("no trusted key", before["reason"])
        self.assertEqual(s.request("POST", "/api/v1/trust/eu-dcc", {
            "certificate": eu["TESTCTX"]["CERTIFICATE"], "country": "AT"}, token=self.admin)[0], 201)
        after = self.verify(eu["PREFIX"])
        # The 2021 test certificate's signature is good; it has long expired.
        self.assertEqual((after["valid"], after["reason"], after["issuer"]), (False, "expired", "AT"))
        self.assertEqual(after["details"]["certificate"]["nam"]["gn"], "Gabriele")

        self.assertEqual(s.request("POST", "/api/v1/trust/shc", {
            "issuer": SHC_ISSUER, "jwks": shared("smart-health-cards/issuer/.well-known/jwks.json")},
            token=self.admin)[0], 201)
        single = shared("smart-health-cards/example-00-f-qr-code-numeric-value-0.txt").strip()
        v = self.verify(single)
        self.assertTrue(v["valid"], v)
        self.assertEqual(v["issuer"], SHC_ISSUER)
        self.assertEqual(v["details"]["fhirBundle"]["resourceType"], "Bundle")
        parts = [shared("smart-health-cards/example-02-f-qr-code-numeric-value-%d.txt" % i).strip() for i in (2, 0, 1)]
        self.assertTrue(self.verify("\n".join(parts))["valid"])
        changed = single[:-3] + ("11" if single[-3:-1] != "11" else "12") + single[-1]
        self.assertFalse(self.verify(changed)["valid"])

        self.assertError(s.request("POST", "/api/v1/trust/eu-dcc", {"certificate": "nope", "country": "AT"},
                                   token=self.admin), 400, "certificate")
        self.assertError(s.request("POST", "/api/v1/trust/shc", {"issuer": "http://x", "jwks": "{}"},
                                   token=self.admin), 400, "issuer")
        self.assertError(s.request("POST", "/api/v1/trust/eu-dcc", {"certificate": "x", "country": "AT"},
                                   token=self.checkpoint), 403)

    def test_bad_verify_input(self):
        """Junk gets a verdict with a reason; a missing or empty qr is a 400."""
        for junk, fmt in (("hello", "unknown"), ("MK1:%%%", "mekong"), ("HC1:", "eu_dcc"), ("shc:/12", "shc"),
                          ("MK1:" + "A" * 5000, "mekong")):
            v = self.verify(junk)
            self.assertEqual((v["format"], v["valid"]), (fmt, False), junk[:20])
            self.assertTrue(v["reason"])
        self.assertError(self.server.request("POST", "/api/v1/verify", {}, token=self.checkpoint), 400, "qr")
        self.assertError(self.server.request("POST", "/api/v1/verify", {"qr": "\n"}, token=self.checkpoint), 400,
                         "qr")
        self.assertError(self.server.request("POST", "/api/v1/verify", {"qr": "x" * 9000},
                                             token=self.checkpoint), 400, "qr")
        citizen = self.server.login("citizen")
        self.assertError(self.server.request("POST", "/api/v1/verify", {"qr": "hello"}, token=citizen), 403)

    def test_issued_eu_dccs_verify_with_an_independent_sdk(self):
        """Vaccination, test and recovery certificates verify in @pathcheck/dcc-sdk, offline."""
        s = self.server
        status, person, _ = s.request("POST", "/api/v1/people", {
            "full_name": "Nguyễn Thị Đào", "document_type": "national_id", "document_number": "022299000777",
            "nationality": "VN", "language": "vi", "birth_date": "1991-04-30", "org_unit_id": self.commune},
            token=self.admin)
        self.assertEqual(status, 201, person)
        clinician = s.login("clinician")
        entries = {
            "v": {"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2,
                  "sd": 2, "dt": "2026-10-01"},
            "t": {"tg": "840539006", "tt": "LP6464-4", "sc": "2026-11-20T08:00:00Z", "tr": "260415000",
                  "tc": "CDC Quang Ninh laboratory"},
            "r": {"tg": "840539006", "fr": "2026-09-01", "df": "2026-09-12", "du": "2027-03-01"},
        }
        codes = []
        for kind, entry in entries.items():
            status, dcc, _ = s.request("POST", "/api/v1/people/%d/eu-dcc" % person["id"],
                                       {"type": kind, "entry": entry}, token=clinician)
            self.assertEqual(status, 201, dcc)
            self.assertTrue(dcc["qr_text"].startswith("HC1:"))
            self.assertEqual(dcc["certificate"]["nam"]["fnt"], "NGUYEN")
            self.assertEqual(dcc["certificate"]["nam"]["gnt"], "THI<DAO")
            self.assertTrue(dcc["certificate_id"].startswith("URN:UVCI:01:VN:"))
            codes.append(dcc["qr_text"])
            self.assertTrue(self.verify(dcc["qr_text"])["valid"])  # our own signer is trusted
        status, pem, hdrs = s.request("GET", "/.well-known/mekong/dcc-signer.pem")
        self.assertEqual(status, 200)
        tampered = codes[0][:-4] + ("0000" if codes[0][-4:] != "0000" else "1111")
        here = os.path.dirname(os.path.abspath(__file__))
        interop = os.path.join(here, "..", "interop")
        run = subprocess.run(["node", "--require", "./no_network.cjs", "--import", "./register.mjs",
                              "verify_dcc.mjs"], cwd=interop,
                             input=json.dumps({"certificate_pem": pem.decode(), "kid_hex": hdrs["X-Key-Id"],
                                               "codes": codes + [tampered]}),
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        results = json.loads(run.stdout.strip().splitlines()[-1])
        self.assertEqual([r["status"] for r in results[:3]], ["verified"] * 3, results)
        self.assertNotEqual(results[3]["status"], "verified")
        hcert = results[0]["contents"]["-260"]["1"]
        self.assertEqual(hcert["nam"]["fn"], "Nguyễn")
        self.assertEqual(hcert["dob"], "1991-04-30")
        self.assertEqual(hcert["v"][0]["co"], "VN")
        self.assertError(s.request("POST", "/api/v1/people/%d/eu-dcc" % person["id"],
                                   {"type": "x", "entry": {}}, token=clinician), 400, "type")
        self.assertError(s.request("POST", "/api/v1/people/%d/eu-dcc" % person["id"],
                                   {"type": "v", "entry": {"tg": "840539006"}}, token=clinician), 400, "entry")
        self.assertError(s.request("POST", "/api/v1/people/%d/eu-dcc" % person["id"],
                                   {"type": "v", "entry": dict(entries["v"], ci="mine")}, token=clinician), 400,
                         "entry")
        self.assertError(s.request("POST", "/api/v1/people/%d/eu-dcc" % person["id"],
                                   {"type": "v", "entry": entries["v"]}, token=self.checkpoint), 403)

    def test_gate_readings_raise_alerts(self):
        """A gate reads a fever from a scanned code: yellow with a reason, an alert for the commune."""
        s = self.server
        person, token = self.new_citizen(5)
        code = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        status, venue, _ = s.request("POST", "/api/v1/venues", {
            "name": "Cửa khẩu Móng Cái", "kind": "checkpoint", "capacity": 50,
            "org_unit_id": s.org_unit_id("QN-04-01", self.admin)}, token=self.admin)
        self.assertEqual(status, 201, venue)
        status, gate, _ = s.request("POST", "/api/v1/users", {"username": "gate.mc.%d" % person["id"],
                                                              "role": "device",
                                                              "org_unit_id": s.org_unit_id("QN-04", self.admin)},
                                    token=self.admin)
        self.assertEqual(status, 201, gate)
        key = gate["api_key"]

        status, ok, _ = s.request("POST", "/api/v1/devices/readings", {
            "kind": "temperature", "qr": code["qr_text"], "venue_id": venue["id"], "temperature_c": 36.7},
            api_key=key)
        self.assertEqual((status, ok["fever"], ok["colour"]), (201, False, "green"), ok)
        status, hot, _ = s.request("POST", "/api/v1/devices/readings", {
            "kind": "temperature", "qr": code["qr_text"], "venue_id": venue["id"], "temperature_c": 38.4},
            api_key=key)
        self.assertEqual(status, 201, hot)
        self.assertTrue(hot["fever"])
        self.assertEqual((hot["person_id"], hot["colour"]), (person["id"], "yellow"))
        self.assertEqual(hot["alert"]["kind"], "fever")
        self.assertEqual(hot["alert"]["org_unit_id"], self.commune)  # the person's home commune
        reasons = s.request("GET", "/api/v1/people/%d/health-code" % person["id"], token=token)[1]["reasons"]
        self.assertEqual(reasons[0]["rule"], "fever")
        self.assertIn("38.4", reasons[0]["detail"])

        officer = s.login("officer.commune")  # QN-01-01, the person's commune
        alerts = s.request("GET", "/api/v1/alerts?open=true", token=officer)[1]["items"]
        mine = [a for a in alerts if a["id"] == hot["alert"]["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(s.request("POST", "/api/v1/alerts/%d/acknowledge" % mine[0]["id"], token=officer)[0], 200)
        self.assertError(s.request("POST", "/api/v1/alerts/%d/acknowledge" % mine[0]["id"], token=officer), 409)
        self.assertNotIn(mine[0]["id"], [a["id"] for a in
                                         s.request("GET", "/api/v1/alerts?open=true", token=officer)[1]["items"]])

        status, crowd, _ = s.request("POST", "/api/v1/devices/readings", {
            "kind": "crowd", "venue_id": venue["id"], "count": 80}, api_key=key)
        self.assertEqual((status, crowd["crowded"], crowd["alert"]["severity"]), (201, True, "critical"), crowd)

        forged = code["qr_text"][:-3] + ("AAA" if code["qr_text"][-3:] != "AAA" else "BBB")
        self.assertError(s.request("POST", "/api/v1/devices/readings", {
            "kind": "temperature", "qr": forged, "temperature_c": 38.0}, api_key=key), 400, "qr")
        self.assertError(s.request("POST", "/api/v1/devices/readings", {
            "kind": "noise", "venue_id": venue["id"]}, api_key=key), 400, "kind")
        self.assertError(s.request("POST", "/api/v1/devices/readings", {
            "kind": "temperature", "person_id": person["id"], "temperature_c": "hot"}, api_key=key), 400,
            "temperature_c")
        home_venue = s.request("POST", "/api/v1/venues", {"name": "Chợ", "kind": "market", "capacity": 10,
                                                          "org_unit_id": self.commune}, token=self.admin)[1]
        self.assertError(s.request("POST", "/api/v1/devices/readings", {
            "kind": "crowd", "venue_id": home_venue["id"], "count": 99}, api_key=key), 403)

    def test_offline_verification_with_the_bundle(self):
        """A checkpoint verifies with the CLI and a downloaded bundle, no server needed."""
        s = self.server
        person, token = self.new_citizen(4)
        cred = s.request("GET", "/api/v1/people/%d/health-code/credential" % person["id"], token=token)[1]
        status, bundle, _ = s.request("GET", "/api/v1/trust/bundle")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(len(bundle["mekong_keys"]), 1)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(bundle, f)
        ok = subprocess.run([harness.BIN, "verify", "--bundle", f.name, cred["qr_text"]], capture_output=True,
                            text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertTrue(json.loads(ok.stdout)["valid"])
        # One character in the middle of the Base45 text, changed for certain (a fixed "00" at the
        # end left the text as it was whenever it already ended so).
        text = cred["qr_text"]
        mid = len(text) // 2
        tampered = text[:mid] + ("A" if text[mid] != "A" else "B") + text[mid + 1:]
        self.assertNotEqual(tampered, text)
        bad = subprocess.run([harness.BIN, "verify", "--bundle", f.name, tampered], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertFalse(json.loads(bad.stdout)["valid"])
        os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
