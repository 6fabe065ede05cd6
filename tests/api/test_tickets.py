"""Hotline and feedback tickets over HTTP: a citizen's question from the web form reaches the
desk of their unit in their language, is answered, followed up and closed; a desk writes down a
phone call; the summary times both against the targets; scope and bad input (the authorization
matrix walks every role and side as well)."""
import unittest

from harness import ApiTestCase


class TicketsTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.admin = s.login("admin")
        cls.province = s.login("officer.province")
        cls.commune = s.login("officer.commune")
        cls.citizen = s.login("citizen")
        cls.tracer = s.login("tracer.halong")
        _, cls.me, _ = s.request("GET", "/api/v1/auth/me", token=cls.citizen)
        _, cls.person, _ = s.request("GET", "/api/v1/people/%d" % cls.me["person_id"],
                                     token=cls.citizen)

    def open(self, token, **over):
        body = {"category": "quarantine", "subject": "Cách ly bao lâu?",
                "body": "Tôi là tiếp xúc gần, phải cách ly mấy ngày?"}
        body.update(over)
        return self.server.request("POST", "/api/v1/tickets", body, token=token)

    def test_a_question_from_the_web_form_to_its_close(self):
        s = self.server
        status, t, _ = self.open(self.citizen)
        self.assertEqual(status, 201, t)
        self.assertEqual(t["channel"], "web")
        self.assertEqual(t["language"], self.person["language"])  # the citizen's own
        self.assertEqual(t["org_unit_id"], self.person["org_unit_id"])
        self.assertEqual(t["status"], "open")
        self.assertFalse(t["first_reply_late"])
        self.assertEqual([m["from_staff"] for m in t["messages"]], [False])

        # The province's desk finds it among the open ones in that language, and answers.
        status, queue, _ = s.request("GET", "/api/v1/tickets?status=open&language=%s"
                                     % t["language"], token=self.province)
        self.assertEqual(status, 200, queue)
        self.assertIn(t["id"], [q["id"] for q in queue["items"]])
        self.assertNotIn("messages", queue["items"][0])
        status, a, _ = s.request("POST", "/api/v1/tickets/%d/messages" % t["id"],
                                 {"body": "Bảy ngày kể từ lần tiếp xúc cuối."}, token=self.province)
        self.assertEqual(status, 201, a)
        self.assertEqual(a["status"], "answered")
        self.assertIsNotNone(a["first_reply_at"])

        # The citizen reads the answer and asks again: back to the desk.
        status, mine, _ = s.request("GET", "/api/v1/tickets/%d" % t["id"], token=self.citizen)
        self.assertEqual([m["from_staff"] for m in mine["messages"]], [False, True])
        status, b, _ = s.request("POST", "/api/v1/tickets/%d/messages" % t["id"],
                                 {"body": "Còn con tôi thì sao?"}, token=self.citizen)
        self.assertEqual((status, b["status"]), (201, "open"), b)
        self.assertEqual(b["first_reply_at"], a["first_reply_at"])

        # A desk closes with a note, never without; then nothing more is added.
        self.assertError(s.request("POST", "/api/v1/tickets/%d/close" % t["id"], {},
                                   token=self.province), 400, "note")
        status, c, _ = s.request("POST", "/api/v1/tickets/%d/close" % t["id"],
                                 {"note": "Đã trả lời qua điện thoại."}, token=self.province)
        self.assertEqual((status, c["status"]), (200, "closed"), c)
        self.assertError(s.request("POST", "/api/v1/tickets/%d/messages" % t["id"],
                                   {"body": "Cảm ơn"}, token=self.citizen), 409, "id",
                         "failed_precondition")
        status, own, _ = s.request("GET", "/api/v1/tickets", token=self.citizen)
        self.assertIn(t["id"], [x["id"] for x in own["items"]])
        self.assertTrue(all(x["person_id"] == self.me["person_id"] for x in own["items"]))

    def test_a_phone_call_written_down_by_a_desk(self):
        s = self.server
        status, t, _ = self.open(self.province, channel="phone", language="ja",
                                 category="entry_exit", subject="Crossing at Móng Cái",
                                 body="入国の条件を教えてください。", caller_name="Sato Yuki",
                                 caller_contact="+81 90 1234 5678")
        self.assertEqual(status, 201, t)
        self.assertEqual((t["channel"], t["language"], t["caller_name"]),
                         ("phone", "ja", "Sato Yuki"))
        self.assertIsNone(t["person_id"])
        # Filed at the province (the desk's own unit): a commune's desk does not see it.
        self.assertError(s.request("GET", "/api/v1/tickets/%d" % t["id"], token=self.commune),
                         404, "id")
        status, summary, _ = s.request("GET", "/api/v1/tickets/summary?days=7", token=self.province)
        self.assertEqual(status, 200, summary)
        self.assertGreaterEqual(summary["opened"], 1)
        self.assertEqual(summary["opened"], summary["open"] + summary["answered"] + summary["closed"])

    def test_who_may_do_what(self):
        s = self.server
        _, t, _ = self.open(self.citizen)
        self.assertError(s.request("GET", "/api/v1/tickets", token=self.tracer), 403)
        self.assertError(s.request("GET", "/api/v1/tickets/summary", token=self.citizen), 403)
        self.assertError(s.request("GET", "/api/v1/tickets"), 401)
        # A citizen's ticket goes to their own unit; they cannot address another.
        self.assertError(self.open(self.citizen, unit_id=1), 403)
        self.assertError(self.open(self.citizen, channel="phone"), 400, "channel")

    def test_bad_input_names_the_field(self):
        s = self.server
        self.assertError(self.open(self.citizen, category="weather"), 400, "category")
        self.assertError(self.open(self.citizen, subject=""), 400, "subject")
        self.assertError(self.open(self.citizen, subject="x" * 201), 400, "subject")
        self.assertError(self.open(self.citizen, body="x" * 5001), 400, "body")
        self.assertError(self.open(self.citizen, language="xx"), 400, "language")
        self.assertError(self.open(self.province, unit_id=987654), 404, "unit_id")
        self.assertError(s.request("POST", "/api/v1/tickets", raw=b"{not json",
                                   token=self.citizen), 400)
        self.assertError(s.request("GET", "/api/v1/tickets?status=lost", token=self.province),
                         400, "status")
        self.assertError(s.request("GET", "/api/v1/tickets/summary?days=0", token=self.province),
                         400, "days")
        self.assertError(s.request("GET", "/api/v1/tickets/987654", token=self.province), 404, "id")


if __name__ == "__main__":
    unittest.main()
