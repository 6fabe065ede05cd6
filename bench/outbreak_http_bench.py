#!/usr/bin/env python3
"""Outbreak management at a province's scale through the public HTTP API, beside PostgreSQL 15.

    MEKONG_BIN=build/apps/mekong/mekong nice python3 bench/outbreak_http_bench.py \
        [--people 1000000] [--cases 100000] [--queries 200] [--work-dir DIR] [--pg-url URL] \
        [--seed 1] [--smoke]

What it does, all on 127.0.0.1 (issue 13's "Speed" and its import and duplicate figures):

1. `mekong demo` makes the Quang Ninh tree (1 + 13 + 177 units) and its accounts in a SQLite
   store. A population register extract of --people lines is written as CSV (the columns of
   POST /api/v1/population/import, Vietnamese names with their diacritics, spread over the 177
   communes), with planted duplicates: 1 % are a second record of an earlier person (a new
   id number; the name written with or without diacritics, the same birth date and phone) and
   0.2 % the same id number as an earlier person under another document type.
2. Imports it through the API as the province administrator (one request, the heavy lane), then
   again (nothing changes), then asks GET /api/v1/duplicates; beside it, PostgreSQL's own
   `COPY` of the same file into a table of its columns (bare, then with the person table's
   unique key and document index), and PostgreSQL's answer to the same duplicate SQL.
3. Seeds --cases cases (an epidemic curve over 120 days: confirmed, probable, suspected,
   discarded; outcomes), 5 traced contacts and 3 follow-up contacts a case (today's check for
   half of those under follow-up), 2 tests a case plus negatives for a tenth of the people,
   and 1.5 vaccination doses a person, straight into the store's tables with no server running.
   The same rows go into a second Mekong store on PostgreSQL (`mekong demo` there, then COPY).
4. Over one keep-alive connection each: the case line list of a district (Hạ Long, the
   district tracer) under four filters, and the follow-up list of a commune (its command
   officer) under four filters, --queries times each, from Mekong on SQLite and Mekong on
   PostgreSQL; and the same questions written directly as SQL (one SELECT joined to person
   for the page, one COUNT for the total) against PostgreSQL. Every HTTP page is compared
   with PostgreSQL's rows and total; a difference stops the run (exit 1).

Large: not part of any test run (about 15 minutes at the default size on the project's 2
cores); needs about 3 GB of disk in --work-dir. --smoke runs it small to check the script.
"""
import argparse
import csv
import datetime
import io
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
from tracing_http_bench import BIN, Client, Postgres, Server, log, pct  # noqa: E402

DAY = 86400000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Thu Hà", "Quốc Huy", "Ngọc Lan", "Đức Minh",
         "Thanh Tâm", "Hữu Phúc", "Thị Mai", "Văn Hùng", "Gia Bảo", "Khánh Linh", "Thị Hương",
         "Văn Đức", "Thị Thảo", "Hoàng Nam", "Phương Anh", "Tuấn Kiệt", "Thị Yến", "Công Thành",
         "Bảo Ngọc", "Văn Toàn", "Thị Nhung", "Quang Vinh", "Hải Yến", "Trung Kiên", "Thị Lệ",
         "Anh Tuấn", "Mỹ Duyên"]
def plain(s):
    """The name as it is typed without Vietnamese diacritics."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_days(start, end):
    """The local days (Asia/Ho_Chi_Minh) from start's through end's, as YYYY-MM-DD."""
    zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    day = datetime.datetime.fromtimestamp(start / 1000, zone).date()
    last = datetime.datetime.fromtimestamp(end / 1000, zone).date()
    out = []
    while day <= last:
        out.append(day.isoformat())
        day += datetime.timedelta(days=1)
    return out


def lit(s):
    return "'" + s.replace("'", "''") + "'"


# ---------------------------------------------------------------- the register extract


def write_population(path, n, communes, rng):
    """The CSV and the planted duplicate pairs (by line number, 1 = first data line)."""
    planted_name, planted_doc = [], []
    rows, doc_used = [], set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality,"
                "document_type\n")
        for i in range(1, n + 1):
            roll = rng.random()
            if i > 100 and roll < 0.01:
                j = rng.randrange(1, len(rows) + 1)
                num, fam, giv, birth, sex, addr, code, phone, nat, _ = rows[j - 1]
                if rng.random() < 0.5:
                    fam, giv = plain(fam), plain(giv)
                row = ("0%011d" % (900000000000 + i), fam, giv, birth, sex, addr, code, phone, nat, "national_id")
                planted_name.append((j, i))
            elif i > 100 and roll < 0.012 and (j := rng.randrange(1, len(rows) + 1)) not in doc_used \
                    and rows[j - 1][-1] == "national_id":
                doc_used.add(j)
                num, fam, giv, birth, sex, addr, code, phone, nat, _ = rows[j - 1]
                row = (num, fam, giv, birth, sex, addr, code, "", nat, "passport")
                planted_doc.append((j, i))
            else:
                code = communes[rng.randrange(len(communes))][0]
                sex = "female" if rng.random() < 0.5 else "male"
                birth = "%04d-%02d-%02d" % (rng.randint(1935, 2024), rng.randint(1, 12), rng.randint(1, 28))
                nat = "VN" if roll < 0.97 else ("CN" if roll < 0.99 else "LA")
                phone = "+849%08d" % rng.randrange(10 ** 8) if rng.random() < 0.8 else ""
                addr = "Số %d, tổ %d, %s" % (rng.randint(1, 300), rng.randint(1, 40), code)
                row = ("0%011d" % (22000000000 + i), rng.choice(FAMILY), rng.choice(GIVEN), birth, sex, addr, code,
                       phone, nat, "national_id")
            rows.append(row)
            f.write('%s,%s,%s,%s,%s,"%s",%s,%s,%s,%s\n' % row)
    return planted_name, planted_doc


# ---------------------------------------------------------------- cases, contacts, tests, doses


def seed_outbreak(db, args, rng, now):
    """Rows straight into the store's tables; answers the tables written, for the copy."""
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;")
    admin = con.execute("SELECT id FROM app_user WHERE username = 'admin'").fetchone()[0]
    units = {i: p for i, p in con.execute("SELECT id, path FROM org_unit")}
    people = con.execute("SELECT id, org_unit_id FROM person WHERE document_type = 'national_id' "
                         "AND merged_into IS NULL ORDER BY id").fetchall()
    by_unit = {}
    for pid, unit in people:
        by_unit.setdefault(unit, []).append(pid)
    venues = [v for (v,) in con.execute("SELECT id FROM venue ORDER BY id")]
    site = con.execute("SELECT id FROM test_site ORDER BY id").fetchone()
    if site is None:
        district = con.execute("SELECT id, path, time_zone FROM org_unit WHERE level = 'district' ORDER BY id").fetchone()
        site = con.execute("INSERT INTO test_site (name, address, org_unit_id, org_path, time_zone, kinds, created_at) "
                           "VALUES ('Trung tâm Kiểm soát bệnh tật', '', ?, ?, ?, 'pcr,rapid_antigen', ?) RETURNING id",
                           (district[0], district[1], district[2], now)).fetchone()
    site = site[0]
    nxt = {t: con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM %s" % t).fetchone()[0]
           for t in ("case_record", "contact", "follow_up_check", "sample", "vaccination_dose")}
    has_case = {pid for (pid,) in con.execute("SELECT person_id FROM case_record")}
    chosen = [p for p in rng.sample(people, min(len(people) - 1, args.cases + len(has_case)))
              if p[0] not in has_case][:args.cases]
    today, yesterday = local_days(now, now)[-1], local_days(now - DAY, now - DAY)[-1]
    cases, traced, contacts, checks, samples = [], [], [], [], []
    cid, kid = nxt["case_record"], nxt["contact"]
    for pid, unit in chosen:
        # An epidemic growing over 120 days: most reports are recent.
        age = int(120 * DAY * (1 - rng.random() ** 0.35))
        reported = now - age - rng.randrange(DAY)
        onset = reported - rng.randrange(5 * DAY) if rng.random() < 0.8 else None
        roll = rng.random()
        cls = "confirmed" if roll < 0.7 else "probable" if roll < 0.85 else "suspected" if roll < 0.95 else "discarded"
        outcome, outcome_at, released = "", None, None
        if age > 21 * DAY and cls in ("confirmed", "probable"):
            outcome = "recovered" if rng.random() < 0.97 else "died"
            outcome_at = reported + 14 * DAY
            released = outcome_at if outcome == "recovered" else None
        tr = reported if cls == "confirmed" else None
        start = (onset or reported) - 2 * DAY
        cases.append((cid, pid, unit, units[unit], onset, reported - DAY, None, start, reported, reported, admin,
                      released, cls, "home" if cls != "discarded" else "", outcome, outcome_at, reported, admin, tr))
        for _ in range(5):
            traced.append((cid, rng.choice(people)[0], rng.choice(venues), reported - 3 * DAY, reported - 3 * DAY + 3600000))
        household = by_unit[unit]
        seen = {pid}
        for k in range(3):
            q, qunit = (rng.choice(household), unit) if k < 2 else rng.choice(people)
            if q in seen:
                continue
            seen.add(q)
            exposure = reported - rng.randrange(3 * DAY)
            until = exposure + 14 * DAY
            status = "under_follow_up" if until > now else rng.choice(["completed"] * 8 + ["lost", "converted"])
            risk = ["high", "medium", "low"][rng.randrange(3)]
            contacts.append((kid, cid, q, qunit, units[qunit], "Asia/Ho_Chi_Minh", ["household", "workplace", "other"][k],
                             "face_to_face", risk, "", None, exposure, 60, exposure + 3600000, status, until,
                             None, None, reported, admin))
            if status == "under_follow_up":
                # Answered every day so far (but yesterday's for 3 %), today's by half of them.
                days = [d for d in local_days(exposure + DAY, now) if d != today or rng.random() < 0.5]
                if rng.random() < 0.03:
                    days = [d for d in days if d != yesterday]
                for d in days:
                    checks.append((nxt["follow_up_check"] + len(checks), kid, d, "answered", "", 36.6,
                                   now - 3600000, admin, 0))
            kid += 1
        for t in range(2):
            samples.append((nxt["sample"] + len(samples), None, pid, site, None, "pcr", reported - DAY - t * DAY,
                            admin, units[unit], "positive" if t == 0 and cls == "confirmed" else "negative",
                            reported - t * DAY, admin, cid, reported))
        cid += 1
    for pid, unit in rng.sample(people, len(people) // 10):
        taken = now - rng.randrange(120 * DAY)
        samples.append((nxt["sample"] + len(samples), None, pid, site, None, "rapid_antigen", taken, admin,
                        units[unit], "negative", taken + 3600000, admin, None, taken))
    doses = []
    for pid, unit in people:
        n = rng.choice((0, 1, 2, 2, 3, 1))
        for d in range(1, n + 1):
            given = now - (400 - 120 * d) * DAY - rng.randrange(30 * DAY)
            doses.append((nxt["vaccination_dose"] + len(doses), pid, "Comirnaty", "FK%04d" % rng.randrange(9999), d,
                          given, "Trạm y tế", "VN", "register", "", admin, units[unit], given))
    con.execute("BEGIN")
    con.executemany("INSERT INTO case_record (id, person_id, org_unit_id, org_path, onset_at, sample_at, isolated_at, "
                    "window_start, window_end, confirmed_at, confirmed_by, released_at, classification, "
                    "isolation_place, outcome, outcome_at, reported_at, reported_by, traced_at) VALUES "
                    "(%s)" % ",".join("?" * 19), cases)
    con.executemany("INSERT INTO case_contact (case_id, person_id, venue_id, overlap_start, overlap_end) "
                    "VALUES (?, ?, ?, ?, ?)", traced)
    con.executemany("INSERT INTO contact (id, case_id, person_id, org_unit_id, org_path, time_zone, source, "
                    "proximity, risk, place, venue_id, exposure_start, duration_minutes, last_exposure, status, "
                    "follow_up_until, assigned_to, converted_case_id, created_at, created_by) VALUES (%s)"
                    % ",".join("?" * 20), contacts)
    con.executemany("INSERT INTO follow_up_check (id, contact_id, day, status, symptoms, temperature, answered_at, "
                    "answered_by, by_citizen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", checks)
    con.executemany("INSERT INTO sample (id, label, person_id, site_id, booking_id, kind, taken_at, taken_by, "
                    "org_path, result, result_at, result_by, case_id, created_at) VALUES (%s)"
                    % ",".join("?" * 14), samples)
    con.executemany("INSERT INTO vaccination_dose (id, person_id, product, lot, dose, given_at, site, country, "
                    "source, certificate_id, recorded_by, org_path, created_at) VALUES (%s)"
                    % ",".join("?" * 13), doses)
    con.execute("COMMIT")
    con.close()
    return {"cases": len(cases), "traced_contacts": len(traced), "contacts": len(contacts),
            "checks": len(checks), "tests": len(samples), "doses": len(doses), "day": today}


TABLES = ["person", "test_site", "case_record", "case_contact", "contact", "follow_up_check", "sample", "vaccination_dose"]


def copy_to_postgres(db, pg_url):
    """The store's rows of TABLES into a Mekong store on PostgreSQL made by the same demo."""
    src = sqlite3.connect(db)
    con = pgwire.Connection.from_url(pg_url)
    mine = src.execute("SELECT id, code FROM org_unit ORDER BY id").fetchall()
    theirs = [(int(i), c) for i, c in con.query("SELECT id, code FROM org_unit ORDER BY id")]
    if mine != theirs:
        raise RuntimeError("the two demos made different org units")
    con.query("SET session_replication_role = replica")  # the rows were checked where they were made

    def esc(v):
        if v is None:
            return "\\N"
        if isinstance(v, float):
            return repr(v)
        return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    for t in TABLES:
        cols = [r[1] for r in src.execute("PRAGMA table_info(%s)" % t)]
        con.query("DELETE FROM " + t)

        def chunks():
            cur = src.execute("SELECT %s FROM %s ORDER BY rowid" % (", ".join(cols), t))
            while True:
                rows = cur.fetchmany(50000)
                if not rows:
                    return
                yield "".join("\t".join(esc(v) for v in r) + "\n" for r in rows).encode()
        con.copy_in("COPY %s (%s) FROM STDIN" % (t, ", ".join(cols)), chunks())
        if "id" in cols:
            con.query("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))" % (t, t))
    con.query("SET session_replication_role = origin")
    con.query("VACUUM ANALYZE")  # what autovacuum does to a table that has settled
    con.close()
    src.close()


# ---------------------------------------------------------------- the questions

CASE_FILTERS = [
    ("newest first", {}),
    ("confirmed, last 14 days", {"classification": "confirmed", "reported_from": -14}),
    ("probable, onset in a month", {"classification": "probable", "onset_from": -60, "onset_to": -30}),
    ("recovered, page 5", {"outcome": "recovered", "offset": 200}),
]
CONTACT_FILTERS = [
    ("under follow-up", {"status": "under_follow_up"}),
    ("under follow-up, high risk", {"status": "under_follow_up", "risk": "high"}),
    ("all", {}),
    ("under follow-up, page 3", {"status": "under_follow_up", "offset": 100}),
]
DAY_KEYS = {"reported_from", "onset_from", "onset_to"}


def at(now, days):
    return (now + days * DAY) // 1000 * 1000  # whole seconds, as the query string carries them


def http_query(params, now):
    q = {"limit": 50}
    for k, v in params.items():
        q[k] = iso(at(now, v)) if k in DAY_KEYS else v
    return urllib.parse.urlencode(q)


def case_sql(path, params, now):
    w = "c.org_path LIKE " + lit(path + "%")
    for k, op, col in (("classification", "=", "c.classification"), ("outcome", "=", "c.outcome"),
                       ("reported_from", ">=", "c.reported_at"), ("onset_from", ">=", "c.onset_at"),
                       ("onset_to", "<", "c.onset_at")):
        if k in params:
            v = params[k]
            w += " AND %s %s %s" % (col, op, at(now, v) if k in DAY_KEYS else lit(v))
    # The page first, then its people and contact counts: the count for 50 cases, not for all.
    page = ("SELECT c.id, c.person_id, p.full_name, p.sex, p.birth_date, p.phone, p.nationality, c.classification, "
            "c.reported_at, (SELECT COUNT(DISTINCT k.person_id) FROM case_contact k WHERE k.case_id = c.id AND "
            "k.hop = 1) FROM (SELECT * FROM case_record c WHERE %s ORDER BY c.reported_at DESC, c.id DESC "
            "LIMIT 50 OFFSET %d) c JOIN person p ON p.id = c.person_id ORDER BY c.reported_at DESC, c.id DESC"
            % (w, params.get("offset", 0)))
    return page, "SELECT COUNT(*) FROM case_record c WHERE " + w


def contact_sql(path, params, day):
    w = "k.org_path LIKE " + lit(path + "%")
    for k in ("status", "risk"):
        if k in params:
            w += " AND k.%s = %s" % (k, lit(params[k]))
    page = ("SELECT k.id, k.case_id, k.person_id, p.full_name, p.phone, k.status, k.risk, k.follow_up_until, "
            "COALESCE(f.status, '') FROM (SELECT * FROM contact k WHERE %s ORDER BY k.id DESC LIMIT 50 OFFSET %d) k "
            "JOIN person p ON p.id = k.person_id LEFT JOIN follow_up_check f ON f.contact_id = k.id AND f.day = %s "
            "ORDER BY k.id DESC" % (w, params.get("offset", 0), lit(day)))
    return page, "SELECT COUNT(*) FROM contact k WHERE " + w


def measure(label, n, ask):
    """n timed calls of ask() after a few untimed ones; answers the latencies in ms."""
    for _ in range(3):
        ask()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        ask()
        times.append((time.perf_counter() - t0) * 1000)
    log("  %-40s p50 %.2f ms, p99 %.2f ms" % (label, pct(times, 0.5), pct(times, 0.99)))
    return times


def ask_http(client, path):
    status, _, body = client.get(path)
    if status != 200:
        raise RuntimeError("%s answered %d: %s" % (path, status, body[:300]))
    return body


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=1000000)
    ap.add_argument("--cases", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=200, help="timed requests per filter and store")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work-dir", help="kept; else a temporary folder, removed after")
    ap.add_argument("--pg-url", help="an existing PostgreSQL server (admin URL); else one is started")
    ap.add_argument("--pg-shared-buffers", default="2GB")
    ap.add_argument("--smoke", action="store_true", help="20,000 people, 2,000 cases, 20 queries")
    args = ap.parse_args()
    if args.smoke:
        args.people, args.cases, args.queries = 20000, 2000, 20
    rng = random.Random(args.seed)
    work = args.work_dir or tempfile.mkdtemp(prefix="mekong-outbreak-bench.")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "outbreak.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    report = {"people": args.people, "cases": args.cases, "queries": args.queries, "seed": args.seed}
    pg = Postgres(args)
    servers = []
    try:
        log("mekong demo (the Quang Ninh tree and its accounts), in SQLite and in PostgreSQL")
        demo = [BIN, "demo", "--people", "50", "--venues", "20"]
        subprocess.run(demo + ["--db", db], check=True, stdout=subprocess.DEVNULL)
        admin_pg = pg.connect()
        admin_pg.query("CREATE DATABASE mekong_store")
        admin_pg.close()
        store_url = pg.url.rsplit("/", 1)[0] + "/mekong_store"
        subprocess.run(demo + ["--db", store_url], check=True, stdout=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        communes = con.execute("SELECT code, path FROM org_unit WHERE level = 'commune' ORDER BY id").fetchall()
        district = con.execute("SELECT o.path FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id "
                               "WHERE u.username = 'tracer.halong'").fetchone()[0]
        commune = con.execute("SELECT o.path FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id "
                              "WHERE u.username = 'officer.commune'").fetchone()[0]
        con.close()

        csv_path = os.path.join(work, "population.csv")
        log("population register extract: %d lines" % args.people)
        planted_name, planted_doc = write_population(csv_path, args.people, communes, rng)
        body = open(csv_path, "rb").read()
        report["csv_bytes"] = len(body)

        # ---- import and duplicates, through the API
        server = Server(db, {"MEKONG_MAX_BODY_BYTES": str(1 << 30)}).start()
        servers.append(server)
        admin = Client(server.port, server.login("admin"))

        def post_csv(client):
            head = ("POST /api/v1/population/import HTTP/1.1\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n"
                    % len(body)).encode()
            client.sock.sendall(head + client.head)
            client.sock.sendall(body)
            status, _, answer = client.reply()
            if status != 200:
                raise RuntimeError("import answered %d: %s" % (status, answer[:300]))
            return json.loads(answer)

        log("POST /api/v1/population/import (%.0f MB)" % (len(body) / 1e6))
        t0 = time.time()
        first = post_csv(admin)
        report["import_s"] = time.time() - t0
        log("  %.1f s: %s" % (report["import_s"], {k: v for k, v in first.items() if k != "rejected"}))
        if first["created"] != args.people or first["rejected"]:
            raise RuntimeError("the import did not create every line: %r" % {**first, "rejected": first["rejected"][:5]})
        t0 = time.time()
        again = post_csv(admin)
        report["reimport_s"] = time.time() - t0
        log("  again: %.1f s: %s" % (report["reimport_s"], {k: v for k, v in again.items() if k != "rejected"}))
        if again["unchanged"] != args.people:
            raise RuntimeError("the second import changed people: %r" % again)

        t0 = time.time()
        dup = json.loads(ask_http(admin, "/api/v1/duplicates?limit=1000"))["items"]
        report["duplicates_s"] = time.time() - t0
        con = sqlite3.connect(db)
        line_of = {}
        for pid, num, dtype in con.execute("SELECT id, document_number, document_type FROM person"):
            line_of[pid] = (num, dtype)
        con.close()
        planted = set()
        lines = {}
        with open(csv_path, encoding="utf-8") as f:
            next(f)
            for i, row in enumerate(f, 1):
                lines[i] = tuple(row.split(",", 1)[0:1]) + (row.rstrip("\n").rsplit(",", 1)[1],)
        key_of = {v: k for k, v in line_of.items()}
        for a, b in planted_name + planted_doc:
            planted.add(tuple(sorted((key_of[lines[a]], key_of[lines[b]]))))
        found = [tuple(sorted((d["a"]["id"], d["b"]["id"]))) for d in dup]
        hits = sum(1 for p in found if p in planted)
        report["duplicates_answered"] = len(found)
        report["duplicates_planted_in_answer"] = hits
        report["duplicates_planted"] = len(planted)
        log("  GET /api/v1/duplicates?limit=1000: %.1f s, %d pairs, %d of them planted (of %d planted)"
            % (report["duplicates_s"], len(found), hits, len(planted)))
        expect = min(1000, len(planted))
        if hits < expect * 0.95:
            raise RuntimeError("the duplicates answer misses planted pairs: %d of %d" % (hits, expect))
        # Every pair: the CSV export runs both searches over the whole province.
        t0 = time.time()
        text = ask_http(admin, "/api/v1/duplicates.csv").decode("utf-8-sig")
        report["duplicates_all_s"] = time.time() - t0
        rows = list(csv.DictReader(io.StringIO(text)))
        every = {tuple(sorted((int(r["a_id"]), int(r["b_id"])))) for r in rows}
        report["duplicates_all_pairs"] = len(rows)
        report["duplicates_all_planted"] = len(planted & every)
        log("  GET /api/v1/duplicates.csv: %.1f s, %d pairs (%d by document), %d of the %d planted"
            % (report["duplicates_all_s"], len(rows), sum(1 for r in rows if r["reason"] == "document"),
               len(planted & every), len(planted)))
        if len(planted & every) < len(planted):
            raise RuntimeError("the CSV of every pair misses %d planted pairs" % (len(planted) - len(planted & every)))
        server.stop()

        # ---- the baseline: PostgreSQL's own COPY of the same file
        con = pg.connect()
        cols = ("id_number text, family_name text, given_name text, birth_date text, sex text, address text, "
                "commune_code text, phone text, nationality text, document_type text")
        for label, extra in (("bare", ""),
                             ("with the unique key and document index",
                              "; CREATE UNIQUE INDEX ON extract (nationality, document_type, id_number); "
                              "CREATE INDEX ON extract (id_number)")):
            con.query("DROP TABLE IF EXISTS extract; CREATE TABLE extract (%s)%s" % (cols, extra))
            t0 = time.time()
            con.copy_in("COPY extract FROM STDIN WITH (FORMAT csv, HEADER true)",
                        (body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20)))
            report["pg_copy_%s_s" % ("bare" if not extra else "indexed")] = time.time() - t0
            log("  PostgreSQL COPY of the same file (%s): %.1f s" % (label, time.time() - t0))
        con.close()

        # ---- cases, contacts, tests, doses
        now = int(time.time() * 1000)
        log("cases, contacts, tests and vaccinations, straight into the store")
        t0 = time.time()
        report["seeded"] = seed_outbreak(db, args, rng, now)
        log("  %s in %.0f s" % (report["seeded"], time.time() - t0))
        log("the same rows into the Mekong store on PostgreSQL")
        t0 = time.time()
        copy_to_postgres(db, store_url)
        log("  %.0f s" % (time.time() - t0))

        dup_sql = pgwire.Connection.from_url(store_url)
        t0 = time.time()
        # registry::FindDuplicates' two statements, as it sends them.
        dup_sql.query("SELECT a.id, b.id FROM person a JOIN org_unit o ON o.id = a.org_unit_id JOIN person b ON "
                      "b.document_number = a.document_number AND b.nationality = a.nationality AND b.id > a.id "
                      "WHERE o.path LIKE '/%' AND a.merged_into IS NULL AND b.merged_into IS NULL "
                      "ORDER BY a.id, b.id LIMIT 100000")
        dup_sql.query("SELECT a.id, b.id, a.phone, b.phone, a.address, b.address FROM person a JOIN org_unit o ON "
                      "o.id = a.org_unit_id JOIN person b ON b.name_key = a.name_key AND b.birth_date = a.birth_date "
                      "AND b.id > a.id WHERE o.path LIKE '/%' AND a.name_key <> '' AND a.birth_date <> '' AND "
                      "a.merged_into IS NULL AND b.merged_into IS NULL AND ((a.phone <> '' AND a.phone = b.phone) "
                      "OR (a.address <> '' AND b.address <> '')) ORDER BY a.id, b.id")
        report["pg_duplicates_s"] = time.time() - t0
        log("  PostgreSQL, the same duplicate SQL: %.1f s" % report["pg_duplicates_s"])

        # ---- the line lists
        sq = Server(db).start()
        servers.append(sq)
        sp = Server(store_url).start()
        servers.append(sp)
        for s in (sq, sp):  # the first follow-up sweep (yesterday's missed checks) runs at start
            try:
                s.wait_for("follow_up_sweep", timeout=120)
            except RuntimeError:
                pass
        direct = dup_sql
        day = report["seeded"]["day"]
        report["lists"] = []
        for who, base, filters, kind in (("tracer.halong", "/api/v1/line-lists/cases", CASE_FILTERS, "case"),
                                         ("officer.commune", "/api/v1/line-lists/contacts", CONTACT_FILTERS,
                                          "contact")):
            path = district if kind == "case" else commune
            clients = {"sqlite": Client(sq.port, sq.login(who)), "postgres": Client(sp.port, sp.login(who))}
            log("%s lists as %s (%s)" % (kind, who, path))
            for label, params in filters:
                url = base + "?" + http_query(params, now)
                page_sql, count_sql = (case_sql(path, params, now) if kind == "case"
                                       else contact_sql(path, params, day))
                rows = direct.query(page_sql)
                total = int(direct.query(count_sql)[0][0])
                want = [int(r[0]) for r in rows]
                for name, c in clients.items():
                    got = json.loads(ask_http(c, url))
                    ids = [i["id"] for i in got["items"]]
                    if ids != want or got["total"] != total:
                        raise RuntimeError("%s %s differs from PostgreSQL: %s/%d against %s/%d"
                                           % (name, url, ids[:5], got["total"], want[:5], total))
                    if kind == "case" and [i["contact_count"] for i in got["items"]] != [int(r[9]) for r in rows]:
                        raise RuntimeError("%s %s: contact counts differ" % (name, url))
                    if kind == "contact" and [i["today"] or "" for i in got["items"]] != [r[8] for r in rows]:
                        raise RuntimeError("%s %s: today's checks differ" % (name, url))
                entry = {"list": kind, "filter": label, "total": total, "rows": len(want)}
                entry["sqlite"] = measure("Mekong (SQLite): " + label, args.queries,
                                          lambda: ask_http(clients["sqlite"], url))
                entry["postgres"] = measure("Mekong (PostgreSQL): " + label, args.queries,
                                            lambda: ask_http(clients["postgres"], url))
                entry["direct"] = measure("PostgreSQL, direct SQL: " + label, args.queries,
                                          lambda: (direct.query(page_sql), direct.query(count_sql)))
                report["lists"].append(entry)
        for s in servers:
            s.stop()
        servers = []
        with open(os.path.join(work, "report.json"), "w") as f:
            json.dump(report, f)
        print_report(report)
    finally:
        for s in servers:
            s.stop()
        pg.stop()
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def print_report(r):
    s = r["seeded"]
    print("\n%d people, %d cases, %d traced and %d follow-up contacts, %d tests, %d doses"
          % (r["people"], s["cases"], s["traced_contacts"], s["contacts"], s["tests"], s["doses"]))
    print("import %.1f s (again %.1f s); duplicates: the first 1,000 %.1f s, all %d pairs %.1f s; PostgreSQL COPY "
          "%.1f s bare, %.1f s indexed; the duplicate SQL on PostgreSQL %.1f s"
          % (r["import_s"], r["reimport_s"], r["duplicates_s"], r["duplicates_all_pairs"], r["duplicates_all_s"],
             r["pg_copy_bare_s"], r["pg_copy_indexed_s"], r["pg_duplicates_s"]))
    print("\n| list | filter | total | Mekong, SQLite p50 / p99 | Mekong, PostgreSQL p50 / p99 | "
          "PostgreSQL direct p50 / p99 |")
    print("|---|---|---:|---:|---:|---:|")
    for e in r["lists"]:
        print("| %s | %s | %d | %s | %s | %s |" % (
            e["list"], e["filter"], e["total"],
            *("%.1f / %.1f ms" % (pct(e[k], 0.5), pct(e[k], 0.99)) for k in ("sqlite", "postgres", "direct"))))


if __name__ == "__main__":
    main()
