"""The message outbox over HTTP, with a real SMTP server and a stub SMS gateway on loopback:
a desk's answer to a citizen's question reaches them in the app, by email (read back from the
SMTP server: subject and text in their language, the delivery's Message-ID) and by SMS (the
gateway refuses the first try: retried, each attempt recorded, one idempotency key); a
restarted server sends nothing again; settings and their bad input; a refused address fails
and is retried by hand; who sees which deliveries."""
import base64
import email
import email.header
import json
import threading
import time
import unittest
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore  # noqa: E402 (the standard library's SMTP server runs on it)
    import smtpd  # noqa: E402

from harness import ApiTestCase, Server

REFUSED = "nobody@refused.example"


class MailServer(smtpd.SMTPServer):
    """A real SMTP server (Python's smtpd) that keeps what it is sent and refuses REFUSED."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), None, decode_data=False)
        self.port = self.socket.getsockname()[1]
        self.messages = []
        self.lock = threading.Lock()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopping:
            asyncore.loop(timeout=0.05, count=1)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        if REFUSED in rcpttos:
            return "550 no such user here"
        with self.lock:
            self.messages.append((mailfrom, rcpttos, email.message_from_bytes(data)))
        return None

    def stop(self):
        self.stopping = True
        self.thread.join(5)
        self.close()


class SmsGateway(ThreadingHTTPServer):
    """An SMS gateway stub: answers 503 to the first `fail_first` posts of each message (by its
    id), 200 after; keeps each. (The demo's people are told their codes too: the first post
    need not be the test's.)"""

    def __init__(self, fail_first=1):
        self.posts = []
        self.fail_first = fail_first
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.posts.append((self.path, dict(self.headers), body))
                tries = sum(1 for p in gateway.posts if p[2].get("id") == body.get("id"))
                code = 503 if tries <= gateway.fail_first else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


def wait_for(what, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.1)
    return what()


class OutboxTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.mail = MailServer()
        cls.sms = SmsGateway(fail_first=1)
        cls.env = {"MEKONG_SMTP": "127.0.0.1:%d" % cls.mail.port,
                   "MEKONG_MAIL_FROM": "hotline@mekong.test",
                   "MEKONG_SMS_GATEWAY": "http://127.0.0.1:%d/send" % cls.sms.port,
                   "MEKONG_OUTBOX_RETRY_SECONDS": "1", "MEKONG_OUTBOX_MAX_ATTEMPTS": "3"}
        cls.server = Server(extra_env=cls.env).start()
        s = cls.server
        cls.province = s.login("officer.province")
        cls.commune = s.login("officer.commune")
        cls.citizen = s.login("citizen")
        cls.tracer = s.login("tracer.halong")
        _, cls.me, _ = s.request("GET", "/api/v1/auth/me", token=cls.citizen)
        _, cls.person, _ = s.request("GET", "/api/v1/people/%d" % cls.me["person_id"],
                                     token=cls.citizen)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.mail.stop()
        cls.sms.shutdown()

    def ask_and_answer(self, subject):
        s = self.server
        status, t, _ = s.request("POST", "/api/v1/tickets",
                                 {"category": "vaccination", "subject": subject,
                                  "body": "Tôi có cần tiêm mũi nhắc lại không?"},
                                 token=self.citizen)
        self.assertEqual(status, 201, t)
        status, a, _ = s.request("POST", "/api/v1/tickets/%d/messages" % t["id"],
                                 {"body": "Có, sau sáu tháng."}, token=self.province)
        self.assertEqual(status, 201, a)
        return t

    def deliveries(self, token, **query):
        q = "&".join("%s=%s" % kv for kv in query.items())
        status, body, _ = self.server.request("GET", "/api/v1/outbox?" + q, token=token)
        self.assertEqual(status, 200, body)
        return body["items"]

    def test_1_settings_and_their_bad_input(self):
        s = self.server
        status, mine, _ = s.request("GET", "/api/v1/me/message-settings", token=self.citizen)
        self.assertEqual(status, 200, mine)
        # Before choosing: the record's language, SMS to the record's phone, no email.
        self.assertEqual(mine["language"], self.person["language"])
        self.assertEqual(mine["phone"], self.person["phone"])
        self.assertTrue(mine["sms"])
        self.assertEqual(mine["email"], "")
        self.assertError(s.request("PUT", "/api/v1/me/message-settings",
                                   {"language": "vi", "email": "not-an-email"},
                                   token=self.citizen), 400, "email")
        self.assertError(s.request("PUT", "/api/v1/me/message-settings",
                                   {"language": "xx"}, token=self.citizen), 400, "language")
        self.assertError(s.request("PUT", "/api/v1/me/message-settings",
                                   {"language": "vi", "email": "a@b.c\r\nRCPT TO:<x@y.z>"},
                                   token=self.citizen), 400, "email")
        status, saved, _ = s.request("PUT", "/api/v1/me/message-settings",
                                     {"language": "vi", "sms": True,
                                      "email": "citizen@example.org"}, token=self.citizen)
        self.assertEqual(status, 200, saved)
        self.assertEqual((saved["language"], saved["sms"], saved["email"]),
                         ("vi", True, "citizen@example.org"))
        status, again, _ = s.request("GET", "/api/v1/me/message-settings", token=self.citizen)
        self.assertEqual(again, saved)
        # Staff have no messages of their own here.
        self.assertEqual(s.request("GET", "/api/v1/me/messages", token=self.province)[0], 403)

    def test_2_an_answer_reaches_the_app_email_and_sms_once(self):
        s = self.server
        t = self.ask_and_answer("Mũi nhắc lại")
        status, inbox, _ = s.request("GET", "/api/v1/me/messages", token=self.citizen)
        self.assertEqual(status, 200, inbox)
        m = inbox["items"][0]
        self.assertEqual((m["kind"], m["language"], m["link"]),
                         ("ticket_answered", "vi", "/me/questions/%d" % t["id"]))
        self.assertEqual(m["subject"], "Câu hỏi của bạn đã được trả lời")
        self.assertIn("“Mũi nhắc lại”", m["text"])
        self.assertIsNone(m["read_at"])
        self.assertGreaterEqual(inbox["unread"], 1)

        # Email, read back from the SMTP server.
        got = wait_for(lambda: [x for x in self.mail.messages if "citizen@example.org" in x[1]])
        self.assertEqual(len(got), 1, got)
        mailfrom, rcpts, msg = got[0]
        self.assertEqual(mailfrom, "hotline@mekong.test")
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        self.assertEqual(subject, m["subject"])
        self.assertEqual(msg["Content-Language"], "vi")
        self.assertEqual(msg.get_payload(decode=True).decode("utf-8"), m["text"])
        email_row = wait_for(lambda: [d for d in self.deliveries(self.province, channel="email")
                                      if d["message_id"] == m["id"] and d["status"] == "sent"])
        self.assertEqual(len(email_row), 1)
        self.assertEqual(msg["Message-ID"], "<delivery-%d@mekong.test>" % email_row[0]["id"])

        # SMS: the gateway refused the first try; the retry a second later went through.
        sms = wait_for(lambda: [d for d in self.deliveries(self.province, channel="sms")
                                if d["message_id"] == m["id"] and d["status"] == "sent"])
        self.assertEqual(len(sms), 1, self.deliveries(self.province, channel="sms"))
        status, detail, _ = s.request("GET", "/api/v1/outbox/%d" % sms[0]["id"],
                                      token=self.province)
        self.assertEqual(status, 200, detail)
        self.assertEqual([a["ok"] for a in detail["attempts_log"]], [False, True])
        self.assertIn("503", detail["attempts_log"][0]["error"])
        self.assertEqual(detail["attempts"], 2)
        posts = [p for p in self.sms.posts if p[2]["id"] == "delivery-%d" % sms[0]["id"]]
        self.assertEqual(len(posts), 2)
        self.assertEqual({p[1]["Idempotency-Key"] for p in posts}, {"delivery-%d" % sms[0]["id"]})
        self.assertEqual(posts[1][2]["to"], self.person["phone"])
        self.assertTrue(posts[1][2]["text"].startswith(m["subject"] + ": "))

        # Read: kept once.
        status, read, _ = s.request("POST", "/api/v1/me/messages/%d/read" % m["id"],
                                    token=self.citizen)
        self.assertEqual(status, 200, read)
        self.assertIsNotNone(read["read_at"])
        self.assertError(s.request("POST", "/api/v1/me/messages/999999/read",
                                   token=self.citizen), 404, "id")

        # A sent delivery is not retried by hand.
        self.assertError(s.request("POST", "/api/v1/outbox/%d/retry" % sms[0]["id"],
                                   token=self.province), 409, None, "failed_precondition")

    def test_3_a_refused_address_fails_and_is_retried_by_hand(self):
        s = self.server
        status, _, _ = s.request("PUT", "/api/v1/me/message-settings",
                                 {"language": "th", "sms": False, "email": REFUSED},
                                 token=self.citizen)
        self.assertEqual(status, 200)
        self.ask_and_answer("Hộ chiếu")
        status, inbox, _ = s.request("GET", "/api/v1/me/messages", token=self.citizen)
        self.assertEqual(inbox["items"][0]["language"], "th")
        self.assertEqual(inbox["items"][0]["subject"], "คำถามของคุณได้รับคำตอบแล้ว")
        failed = wait_for(lambda: [d for d in self.deliveries(self.province, status="failed")
                                   if d["address"] == REFUSED])
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["attempts"], 1)  # a refusal is not retried by itself
        self.assertIn("550", failed[0]["last_error"])
        status, again, _ = s.request("POST", "/api/v1/outbox/%d/retry" % failed[0]["id"],
                                     token=self.province)
        self.assertEqual(status, 200, again)
        self.assertIn(again["status"], ("queued", "sending", "failed"))
        self.assertEqual(s.request("GET", "/api/v1/outbox/summary", token=self.province)[0], 200)

    def test_4_who_sees_which_deliveries(self):
        s = self.server
        province = self.deliveries(self.province, limit=500)
        commune = self.deliveries(self.commune, limit=500)
        self.assertTrue(province)
        self.assertLessEqual({d["id"] for d in commune}, {d["id"] for d in province})
        for token in (self.tracer, self.citizen):
            self.assertError(s.request("GET", "/api/v1/outbox", token=token), 403)
        self.assertError(s.request("GET", "/api/v1/outbox?status=lost", token=self.province),
                         400, "status")
        self.assertError(s.request("GET", "/api/v1/outbox/999999", token=self.province), 404, "id")

    def test_4b_an_announcement_reaches_the_unit_in_its_languages_with_media(self):
        """Everyone in the commune has it once, in Vietnamese where it was written in Vietnamese;
        the SMS carries the media's addresses after the words."""
        s = self.server
        unit = self.me["org_unit_id"]
        _, mine, _ = s.request("GET", "/api/v1/me/message-settings", token=self.citizen)
        status, _, _ = s.request("PUT", "/api/v1/me/message-settings",
                                 {"language": "vi", "sms": True, "email": mine["email"]},
                                 token=self.citizen)
        self.assertEqual(status, 200)
        body = {"org_unit_id": unit, "link": "/me/tests",
                "texts": {"en": {"subject": "Free testing", "text": "Free tests on Saturday."},
                          "vi": {"subject": "Xét nghiệm miễn phí", "text": "Xét nghiệm miễn phí thứ Bảy."}},
                "media": [{"kind": "image", "url": "https://127.0.0.1:9/poster.png"},
                          {"kind": "video", "url": "https://127.0.0.1:9/how-to.mp4"}]}
        for bad, field in [({"media": [{"kind": "image", "url": "http://127.0.0.1/x.png"}]}, "media[0].url"),
                           ({"media": [{"kind": "audio", "url": "https://127.0.0.1/x"}]}, "media[0].kind"),
                           ({"texts": {"vi": body["texts"]["vi"]}}, "texts"),
                           ({"texts": {"en": {"subject": "", "text": "x"}}}, "texts.en.subject"),
                           ({"link": "https://elsewhere.example"}, "link")]:
            self.assertError(s.request("POST", "/api/v1/announcements", dict(body, **bad),
                                       token=self.province), 400, field)
        self.assertError(s.request("POST", "/api/v1/announcements", body, token=self.citizen), 403)
        status, made, _ = s.request("POST", "/api/v1/announcements", body, token=self.province)
        self.assertEqual(status, 201, made)

        def done():
            _, a, _ = s.request("GET", "/api/v1/announcements/%d" % made["id"], token=self.province)
            return a if a.get("done_at") else None
        a = wait_for(done)
        self.assertIsNotNone(a, "the announcement was not written to everyone")
        status, people, _ = s.request("GET", "/api/v1/people?org_unit_id=%d&limit=500" % unit,
                                      token=self.province)
        self.assertEqual(a["recipients"], len(people["items"]))
        status, listed, _ = s.request("GET", "/api/v1/announcements", token=self.commune)
        self.assertIn(made["id"], [x["id"] for x in listed["items"]])

        status, inbox, _ = s.request("GET", "/api/v1/me/messages", token=self.citizen)
        m = next(x for x in inbox["items"] if x["kind"] == "announcement")
        self.assertEqual((m["language"], m["subject"], m["link"]), ("vi", "Xét nghiệm miễn phí", "/me/tests"))
        self.assertEqual(m["media"], body["media"])
        sms = wait_for(lambda: [d for d in self.deliveries(self.province, channel="sms", limit=500)
                                if d["message_id"] == m["id"] and d["status"] == "sent"], timeout=60)
        self.assertEqual(len(sms), 1)
        post = [p for p in self.sms.posts if p[2]["id"] == "delivery-%d" % sms[0]["id"]][-1]
        self.assertEqual(post[2]["text"], "Xét nghiệm miễn phí: Xét nghiệm miễn phí thứ Bảy.\n"
                                          "https://127.0.0.1:9/poster.png\nhttps://127.0.0.1:9/how-to.mp4")

    def test_5_a_restarted_server_sends_nothing_twice(self):
        # Once nothing is due (the demo's notices included), a restart sends nothing again.
        def drained():
            status, summary, _ = self.server.request("GET", "/api/v1/outbox/summary",
                                                     token=self.province)
            return status == 200 and summary["queued"] == 0 and summary["sending"] == 0
        self.assertTrue(wait_for(drained, timeout=60))
        before = len(self.mail.messages)
        sms_before = len(self.sms.posts)
        self.assertGreater(before, 0)
        self.assertEqual(self.server.stop(), 0)
        again = Server(db=self.server.db, extra_env=self.env, demo_people=0).start()
        try:
            time.sleep(3)  # the sender's first turns
            self.assertEqual(len(self.mail.messages), before)
            self.assertEqual(len(self.sms.posts), sms_before)
        finally:
            type(self).server = again  # tearDownClass stops it


if __name__ == "__main__":
    unittest.main()
