"""Documents attached to directives and cases over HTTP: the file as the request's body, stored
under its SHA-256, listed and downloaded by whoever may read the record, attached only by those
the record's own rules allow, refused when its bytes are not its type, and never served once
its stored bytes no longer match their hash."""
import hashlib
import itertools
import os
import sqlite3
import subprocess
import unittest
import urllib.parse

from harness import ApiTestCase, run_cli, ts

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082")


class DocumentsTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.province_officer = s.login("officer.province")
        cls.commune_officer = s.login("officer.commune")  # QN-01-01
        cls.tracer = s.login("tracer.halong")  # QN-01
        cls.d1_officer = cls.officer(s.org_unit_id("QN-01", cls.admin))
        cls.d2_officer = cls.officer(s.org_unit_id("QN-02", cls.admin))
        cls.c11 = s.org_unit_id("QN-01-01", cls.admin)

    @classmethod
    def officer(cls, unit):
        return cls.server.staff(cls.admin, "command_officer", unit, "documents.officer")[0]

    def attach(self, token, subject, subject_id, filename, data, content_type):
        query = urllib.parse.urlencode({"subject": subject, "subject_id": subject_id, "filename": filename})
        return self.server.request("POST", "/api/v1/documents?" + query, raw=data, token=token,
                                   headers={"Content-Type": content_type})

    def listed(self, token, subject, subject_id):
        return self.server.request("GET", "/api/v1/documents?subject=%s&subject_id=%d" % (subject, subject_id),
                                   token=token)

    def directive(self, token, **over):
        body = {"title": "Close the markets", "body": "See the attached plan.", "due_at": ts(-24),
                "to_all": "children"}
        body.update(over)
        status, d, _ = self.server.request("POST", "/api/v1/directives", body, token=token)
        self.assertEqual(status, 201, d)
        return d["id"]

    def test_a_directives_documents_go_down_with_it(self):
        """The province attaches a plan; a district it reached downloads it whole and answers with its own."""
        s = self.server
        d = self.directive(self.province_officer)
        status, doc, _ = self.attach(self.province_officer, "directive", d, "kế hoạch.pdf", PDF, "application/pdf")
        self.assertEqual(status, 201, doc)
        self.assertEqual(doc["sha256"], hashlib.sha256(PDF).hexdigest())
        self.assertEqual((doc["size"], doc["media_type"], doc["filename"]), (len(PDF), "application/pdf", "kế hoạch.pdf"))

        status, listing, _ = self.listed(self.d1_officer, "directive", d)
        self.assertEqual(status, 200, listing)
        self.assertEqual([x["id"] for x in listing["items"]], [doc["id"]])
        status, body, hdrs = s.request("GET", doc["content_url"], token=self.d1_officer)
        self.assertEqual(status, 200)
        self.assertEqual(body, PDF)
        self.assertEqual(hdrs["Content-Type"], "application/pdf")
        self.assertEqual(hdrs["ETag"], '"%s"' % doc["sha256"])
        self.assertIn("filename*=UTF-8''k%E1%BA%BF%20ho%E1%BA%A1ch.pdf", hdrs["Content-Disposition"])
        self.assertTrue(hdrs["Content-Disposition"].startswith("attachment;"))
        self.assertIn("sha-256=:", hdrs["Repr-Digest"])
        status, body, _ = s.request("GET", doc["content_url"], token=self.d1_officer,
                                    headers={"If-None-Match": hdrs["ETag"]})
        self.assertEqual((status, body), (304, b""))

        # The district, a recipient, attaches its evidence; a tracer there reads but may not answer.
        status, evidence, _ = self.attach(self.d1_officer, "directive", d, "chợ.png", PNG, "image/png")
        self.assertEqual(status, 201, evidence)
        self.assertError(self.attach(self.tracer, "directive", d, "x.png", PNG, "image/png"), 403)
        status, listing, _ = self.listed(self.tracer, "directive", d)
        self.assertEqual([x["id"] for x in listing["items"]], [doc["id"], evidence["id"]])

        # A directive of district 1 to its communes is nothing to district 2: 404 like no record.
        own = self.directive(self.d1_officer, title="Test the traders")
        status, local, _ = self.attach(self.d1_officer, "directive", own, "traders.csv",
                                       "tên,chợ\nAn,Hạ Long\n".encode(), "text/csv")
        self.assertEqual(status, 201, local)
        self.assertError(self.listed(self.d2_officer, "directive", own), 404)
        self.assertError(s.request("GET", "/api/v1/documents/%d" % local["id"], token=self.d2_officer), 404, "id")
        self.assertError(s.request("GET", local["content_url"], token=self.d2_officer), 404, "id")
        self.assertError(self.attach(self.d2_officer, "directive", own, "x.pdf", PDF, "application/pdf"), 404)
        self.assertError(s.request("GET", "/api/v1/documents/999999", token=self.d2_officer), 404, "id")
        # A commune it reached reads it; the province above reads it too.
        for token in (self.commune_officer, self.province_officer):
            status, got, _ = s.request("GET", local["content_url"], token=token)
            self.assertEqual((status, got), (200, "tên,chợ\nAn,Hạ Long\n".encode()))

    def test_a_cases_documents(self):
        """A tracer files a case's record; a citizen has no documents at all."""
        s = self.server
        n = next(_seq)
        status, person, _ = s.request("POST", "/api/v1/people", {
            "full_name": "Tài liệu %d" % n, "document_type": "national_id", "document_number": "DC%08d" % n,
            "nationality": "VN", "language": "vi", "org_unit_id": self.c11}, token=self.admin)
        self.assertEqual(status, 201, person)
        status, case, _ = s.request("POST", "/api/v1/cases", {"person_id": person["id"], "onset_at": ts(24)},
                                    token=self.tracer)
        self.assertEqual(status, 201, case)
        status, doc, _ = self.attach(self.tracer, "case", case["id"], "xét nghiệm.pdf", PDF, "application/pdf")
        self.assertEqual(status, 201, doc)
        status, got, _ = s.request("GET", "/api/v1/documents/%d" % doc["id"], token=self.commune_officer)
        self.assertEqual((status, got["subject"], got["subject_id"]), (200, "case", case["id"]))
        self.assertError(self.listed(self.d2_officer, "case", case["id"]), 404)
        citizen = s.login("citizen")
        self.assertError(self.listed(citizen, "case", case["id"]), 403)

    def test_a_meetings_agenda(self):
        """A district's meeting carries its agenda to the communes it convened, not to another district."""
        s = self.server
        status, m, _ = s.request("POST", "/api/v1/meetings", {"title": "Giao ban", "starts_at": ts(-24),
                                                               "to_all": "children"}, token=self.d1_officer)
        self.assertEqual(status, 201, m)
        agenda = "1. Ca mới\n2. Chợ đầu mối\n".encode()
        status, doc, _ = self.attach(self.d1_officer, "meeting", m["id"], "chương trình.txt", agenda, "text/plain")
        self.assertEqual(status, 201, doc)
        status, body, hdrs = s.request("GET", doc["content_url"], token=self.commune_officer)
        self.assertEqual((status, body, hdrs["Content-Type"]), (200, agenda, "text/plain; charset=utf-8"))
        self.assertError(self.listed(self.d2_officer, "meeting", m["id"]), 404)
        self.assertError(self.attach(self.tracer, "meeting", m["id"], "x.txt", b"x", "text/plain"), 403)

    def test_a_situation_reports_annex(self):
        """A commune files an annex with its report; the district reads it, a sibling commune does not."""
        s = self.server
        status, report, _ = s.request("POST", "/api/v1/reports", {"text": "Hai ca mới ở chợ."},
                                      token=self.commune_officer)
        self.assertEqual(status, 201, report)
        annex = "chợ,ca\nHạ Long,2\n".encode()
        status, doc, _ = self.attach(self.commune_officer, "report", report["id"], "phụ lục.csv", annex, "text/csv")
        self.assertEqual(status, 201, doc)
        status, body, _ = s.request("GET", doc["content_url"], token=self.d1_officer)
        self.assertEqual((status, body), (200, annex))
        # The district reads the commune's report but does not write on it; another district sees nothing.
        self.assertError(self.attach(self.d1_officer, "report", report["id"], "x.csv", annex, "text/csv"), 403)
        self.assertError(self.listed(self.d2_officer, "report", report["id"]), 404, "subject_id")
        self.assertError(self.listed(self.d1_officer, "report", 999999), 404, "subject_id")

    def test_bad_uploads_are_refused_by_field(self):
        """Wrong types, lying bytes, empty files and bad names: a 400 naming the field, nothing stored."""
        d = self.directive(self.province_officer)
        cases = [
            (("x.zip", b"PK\x03\x04", "application/zip"), "Content-Type"),
            (("x.png", PDF, "image/png"), "body"),
            (("x.pdf", b"", "application/pdf"), "body"),
            (("x.txt", b"a\x00b", "text/plain"), "body"),
            (("../x.pdf", PDF, "application/pdf"), "filename"),
            (("", PDF, "application/pdf"), "filename"),
        ]
        for (name, data, ctype), field in cases:
            with self.subTest(name=name, ctype=ctype):
                self.assertError(self.attach(self.province_officer, "directive", d, name, data, ctype), 400, field)
        self.assertError(self.attach(self.province_officer, "memo", d, "x.pdf", PDF, "application/pdf"), 400, "subject")
        self.assertError(self.attach(self.province_officer, "directive", 999999, "x.pdf", PDF, "application/pdf"), 404)
        status, body, _ = self.attach(self.province_officer, "directive", d, "big.pdf",
                                      b"%PDF-" + b"x" * (5 << 20), "application/pdf")
        self.assertEqual(status, 413, body)
        self.assertEqual(self.listed(self.province_officer, "directive", d)[1]["items"], [])

    def test_changed_bytes_are_never_served(self):
        """Bytes changed in the store after upload no longer match their hash: refused, the record kept."""
        s = self.server
        d = self.directive(self.province_officer)
        data = b"%PDF-1.4 unique " + os.urandom(8).hex().encode()
        status, doc, _ = self.attach(self.province_officer, "directive", d, "plan.pdf", data, "application/pdf")
        self.assertEqual(status, 201, doc)
        code, out, err = run_cli("documents", "check", db=s.db)
        self.assertEqual(code, 0, out + err)
        self.assertIn("0 no longer match", out)
        forged = b"%PDF-1.4 forged"
        if os.environ.get("MEKONG_TEST_BACKEND", "sqlite") == "postgres":
            subprocess.run(["psql", s.db, "-q", "-c", "UPDATE document_content SET content = '\\x%s'::bytea "
                            "WHERE sha256 = '%s'" % (forged.hex(), doc["sha256"])], check=True)
        else:
            con = sqlite3.connect(s.db)
            con.execute("UPDATE document_content SET content = ? WHERE sha256 = ?", (forged, doc["sha256"]))
            con.commit()
            con.close()
        status, body, _ = s.request("GET", doc["content_url"], token=self.province_officer)
        self.assertEqual(status, 500, body)
        self.assertNotIn(b"forged", body if isinstance(body, bytes) else str(body).encode())
        self.assertEqual(s.request("GET", "/api/v1/documents/%d" % doc["id"], token=self.province_officer)[0], 200)
        # The operator's check names the file and the documents that carry it, and fails.
        code, out, err = run_cli("documents", "check", db=s.db)
        self.assertEqual(code, 1, out + err)
        self.assertIn("corrupt %s: documents %d" % (doc["sha256"], doc["id"]), out)
        self.assertIn("1 no longer match", out)


if __name__ == "__main__":
    unittest.main()
