"""`mekong import checkins` as a person with a spreadsheet uses it, against a running server: a
CSV saved by a spreadsheet (byte-order mark, quoted fields, CRLF) lands, bad lines are listed by
line, a check-in in the file closes the person's open stay as POST /checkins does, and the
running server's engine follows both."""
import os
import tempfile
import unittest

import harness
from harness import ts
from test_feed import wait_until


class ImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.admin = cls.server.login("admin")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError("server exited with %s:\n%s" % (code, "".join(cls.server.output[-30:])))

    def get(self, path):
        status, body, _ = self.server.request("GET", path, token=self.admin)
        self.assertEqual(status, 200, body)
        return body

    def present(self, venue, at):
        return self.get("/api/v1/venues/%d/occupancy?at=%s" % (venue, at))["present"]

    def import_file(self, text, *flags):
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
            f.write(text.encode("utf-8"))
        try:
            return harness.run_cli("import", "checkins", *flags, f.name, db=self.server.db)
        finally:
            os.unlink(f.name)

    def test_a_spreadsheet_csv_reaches_the_running_server(self):
        people = [p["id"] for p in self.get("/api/v1/people?limit=20")["items"]]
        venues = [v for v in self.get("/api/v1/venues?limit=50")["items"] if v["default_stay_minutes"] >= 30]
        here, there = venues[0]["id"], venues[1]["id"]
        a, b, c = people[10], people[11], people[12]
        # a is checked in at `here` through the API 30 minutes ago, and has not checked out.
        status, body, _ = self.server.request("POST", "/api/v1/checkins", {
            "person_id": a, "venue_id": here, "time_in": ts(0.5)}, token=self.admin)
        self.assertEqual(status, 201, body)
        at = ts(0.2)  # after the imported check-ins below
        t_a, t_b_in, t_b_out, t_c = ts(0.4), ts(0.45), ts(0.05), ts(0.35)
        before_here, before_there = self.present(here, at), self.present(there, at)

        # What a spreadsheet saves: BOM, every field quoted, CRLF; a quoted name with a comma
        # and a line break in a column the file does not have is a bad line, reported by line.
        csv = ("\ufeff\"person_id\",\"venue_id\",\"time_in\",\"time_out\"\r\n"
               "\"%d\",\"%d\",\"%s\",\"\"\r\n"          # 2: a moves on: closes the API's stay
               "\"%d\",\"%d\",\"%s\",\"%s\"\r\n"        # 3: b, checked out
               "\"Nguyễn, Văn\r\nA\",\"%d\",\"%s\",\"\"\r\n"  # 4-5: not an id
               "%d,%d,%s,\r\n"                          # 6: c, unquoted
               % (a, there, t_a, b, there, t_b_in, t_b_out, there, t_a, c, there, t_c))
        code, out, err = self.import_file(csv)
        self.assertEqual(code, 1, out + err)
        self.assertIn("Imported 3 check-ins; rejected 1 lines", out)
        self.assertIn(":4: person_id must be a positive integer", err)

        # The running server sees the new stays, and a's stay at `here` ending at the import's
        # check-in (the time-out change on the feed), without a restart.
        self.assertTrue(wait_until(lambda: self.present(there, at) == before_there + 3, 2.0),
                        "the running server did not see the import")
        self.assertTrue(wait_until(lambda: self.present(here, at) == before_here - 1, 2.0),
                        "the running server did not see the open stay closed by the import")
        stays = self.get("/api/v1/people/%d/checkins" % a)["items"]
        first = next(s for s in stays if s["venue_id"] == here)
        self.assertEqual(first["closed_by"], "next_checkin")
        self.assertEqual(first["time_out"], t_a)
        self.assertIn(b, {i["person_id"] for i in self.get(
            "/api/v1/people/%d/contacts?from=%s" % (c, ts(1)))["items"]})

        # Importing the same file again writes nothing twice.
        code, out, err = self.import_file(csv)
        self.assertIn("Imported 0 check-ins; rejected 4 lines", out)
        self.assertIn("is already in the store", err)

    def test_file_level_problems_are_said_in_words(self):
        code, out, err = self.import_file("")
        self.assertEqual(code, 1)
        self.assertIn("the file is empty; a CSV starts with a header line: person_id,venue_id,time_in[,time_out]",
                      err)
        code, out, err = self.import_file("\ufeffperson_id,venue_id,time_in,nickname\r\n")
        self.assertEqual(code, 1)
        self.assertIn('unknown column "nickname"; the known columns are person_id, venue_id, time_in, time_out',
                      err)
        code, out, err = self.import_file("person_id,venue_id,time_in\n\"1,1,%s\n2,1,%s\n" % (ts(1), ts(1)))
        self.assertEqual(code, 1)
        self.assertIn("line 2: the quoted field that starts here has no closing quote", err)


if __name__ == "__main__":
    unittest.main()
