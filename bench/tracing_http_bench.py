#!/usr/bin/env python3
"""Contact tracing through the public HTTP API, beside PostgreSQL 15 in the same run.

    MEKONG_BIN=build/apps/mekong/mekong nice python3 bench/tracing_http_bench.py [--people 1000000]
        [--venues 100000] [--days 21] [--work-dir DIR] [--pg-url URL] [--smoke]

What it does, all on 127.0.0.1:

1. Seeds a population (random.Random(--seed)): households with work, errands and evenings out,
   plus the outbreak's super-spreading places: a 40,000-person stadium evening, a wholesale
   market with 10,000 buyers every morning, hospitals with multi-day stays and shift staff,
   factories with night shifts across midnight, and heavy travellers with a dozen short stops a
   day. About 10 million check-ins at the default size.
2. Writes it straight into a SQLite store made by `mekong demo` (the bulk path: the store's own
   tables and indexes, before any server starts), and the same check-ins into a throwaway
   PostgreSQL 15 (initdb and pg_ctl as in scripts/pg-fixture.sh, or --pg-url) with covering
   B-tree indexes on (venue_id, time_in) and (person_id, time_in), analysed.
3. Starts `mekong serve` on that store and asks, over one keep-alive connection with a tracer's
   token, for the close contacts (depth 1) of ordinary people and of each kind of super-spreader,
   then depth 2; PostgreSQL answers the same questions (prepared statements, one query each,
   depth 2 as one statement) over its own connection. Every HTTP answer is compared with
   PostgreSQL's, person by person and exposure by exposure; a difference stops the run (exit 1).
   Large answers are read page by page (limit/cursor); the figures give the first page (with
   the total) and the whole answer. The engine's own time comes from the Server-Timing header.
4. Measures the server: RSS per check-in (against the same server on the demo store alone),
   restart after kill -9 from the periodic snapshot plus the change feed's tail, and how long
   SIGINT takes to stop it in the middle of a depth-3 query at the stadium.

Prints a report and writes it, with every latency, to DIR/report.json.
"""
import argparse
import bisect
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("MEKONG_BIN", os.path.join(HERE, "..", "build", "apps", "mekong", "mekong"))
MIN = 60000
HOUR = 60 * MIN
DAY = 24 * HOUR
MAX_STAY = 24 * HOUR  # tracing.max_stay_hours, the server's default


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ms(text):
    return int(datetime.datetime.fromisoformat(text).timestamp() * 1000 + 0.5)


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- population


class Population:
    """The people, venues and check-ins, and who plays which part."""

    def __init__(self, args, person0, venue0, end_ms):
        self.a = args
        self.person0, self.venue0 = person0, venue0
        self.end = end_ms
        self.start = end_ms - args.days * DAY
        P, V = args.people, args.venues
        rng = self.rng = random.Random(args.seed)
        # Venue ids: the special places first, then the rest by Zipf-Mandelbrot popularity.
        self.stadium = venue0
        self.market = venue0 + 1
        self.hospitals = [venue0 + 2 + i for i in range(5)]
        self.factories = [venue0 + 7 + i for i in range(max(1, V // 2000))]
        first_plain = venue0 + 7 + len(self.factories)
        plain = list(range(first_plain, venue0 + V))
        rng.shuffle(plain)
        q = max(1.0, len(plain) / 30000.0)
        total, cum = 0.0, []
        for i in range(len(plain)):
            total += 1.0 / (i + q)
            cum.append(total)
        self.plain, self.cum = plain, cum
        people = list(range(person0, person0 + P))
        pick = rng.sample(people, min(P, args.stadium + args.market_pool + args.travellers +
                                      args.night_workers + 8 * 300 + args.patients))
        at = 0

        def take(n):
            nonlocal at
            out = pick[at:at + n]
            at += n
            return out
        # Roles may overlap in life; here they are disjoint so each kind of case is clean.
        self.stadium_people = take(args.stadium)
        self.market_pool = take(args.market_pool)
        self.travellers = take(args.travellers)
        self.night_workers = take(args.night_workers)
        self.staff = take(5 * 300 if P > 20000 else 5 * 20)
        self.patients = take(args.patients)
        self.role = {}
        for name, group in (("stadium", self.stadium_people), ("market", self.market_pool),
                            ("traveller", self.travellers), ("night", self.night_workers),
                            ("staff", self.staff), ("patient", self.patients)):
            for p in group:
                self.role[p] = name
        self.stadium_day = self.start + max(1, args.days - 8) * DAY  # inside the window
        self.count = 0
        self.workplace_cum = None

    def popular(self, k):
        return [self.plain[i] for i in
                (bisect.bisect_left(self.cum, u) for u in
                 (self.rng.random() * self.cum[-1] for _ in range(k)))]

    def venues(self):
        a = self.a
        rows = [(self.stadium, "Stadium", "stadium", 45000, 240),
                (self.market, "Wholesale market", "market", 12000, 90)]
        rows += [(h, "Hospital %d" % i, "hospital", 800, 480) for i, h in enumerate(self.hospitals)]
        rows += [(f, "Factory %d" % i, "factory", 400, 480) for i, f in enumerate(self.factories)]
        rows += [(v, "Venue %d" % v, "shop", 100, 60) for v in sorted(self.plain)]
        return rows

    def stays(self):
        """Yields (person, venue, time_in, time_out), person by person; a person's stays never
        overlap (each begins at least a minute after the previous ended)."""
        a, rng = self.a, self.rng
        P = a.people
        # Ordinary life: tuned so that, with the special places, the total is about
        # --checkins-per-person-day per person-day.
        work_p = 0.45
        errand_rate = 0.12 * a.density
        outing_p = 0.05 * a.density
        attend_p = min(1.0, 0.75 * a.density)
        days = a.days
        weekday = [((d + 3) % 7) < 5 for d in range(days)]
        workplace = {}
        # Workplaces: one venue in fifty people, about 20 workers each.
        emp = [self.plain[int(rng.random() * len(self.plain))] for _ in range(max(1, P // 50))]
        p = self.person0
        end_person = self.person0 + P
        while p < end_person:
            size = min(1 + int(rng.random() * 4), end_person - p)
            household = list(range(p, p + size))
            plans = {m: [] for m in household}
            if size > 1:
                for d in range(days):
                    if rng.random() < outing_p:
                        v = self.popular(1)[0]
                        t = self.start + d * DAY + 18 * HOUR + int(rng.random() * 3 * HOUR)
                        length = 30 * MIN + int(rng.random() * 90 * MIN)
                        for m in household:
                            s = t + int(rng.random() * 5 * MIN)
                            plans[m].append((s, s + length, v))
            for m in household:
                plan = plans[m]
                role = self.role.get(m)
                if role == "patient":
                    h = self.hospitals[m % len(self.hospitals)]
                    t = self.start + int(rng.random() * (days - 3) * DAY)
                    left = int((2 + rng.random() * 8) * DAY)
                    while left >= MIN and t < self.end - HOUR:
                        length = min(left, MAX_STAY)
                        plan.append((t, t + length, h))
                        t += length
                        left -= length
                    # A patient does nothing else meanwhile; the rest of life goes around it.
                elif role == "staff":
                    h = self.hospitals[m % len(self.hospitals)]
                    shift = m % 3
                    for d in range(days):
                        if rng.random() < 5 / 7:
                            t = self.start + d * DAY + (7 + 8 * shift) * HOUR + int(rng.random() * 10 * MIN)
                            plan.append((t, t + 8 * HOUR, h))
                elif role == "night":
                    f = self.factories[m % len(self.factories)]
                    for d in range(days - 1):
                        if weekday[d]:
                            t = self.start + d * DAY + 22 * HOUR + int(rng.random() * 15 * MIN)
                            plan.append((t, t + 8 * HOUR, f))
                elif role == "market":
                    for d in range(days):
                        if rng.random() < 0.4:
                            t = self.start + d * DAY + 3 * HOUR + 30 * MIN + int(rng.random() * 3 * HOUR)
                            plan.append((t, t + 30 * MIN + int(rng.random() * 90 * MIN), self.market))
                elif role == "traveller":
                    for d in range(days):
                        stops = 8 + int(rng.random() * 8)
                        for v in self.popular(stops):
                            t = self.start + d * DAY + 7 * HOUR + int(rng.random() * 13 * HOUR)
                            plan.append((t, t + 5 * MIN + int(rng.random() * 15 * MIN), v))
                elif role == "stadium":
                    t = self.stadium_day + 17 * HOUR + 30 * MIN + int(rng.random() * 2 * HOUR)
                    out = self.stadium_day + 21 * HOUR + 30 * MIN + int(rng.random() * 75 * MIN)
                    plan.append((t, out, self.stadium))
                if role != "patient":
                    if rng.random() < work_p and role not in ("staff", "night"):
                        w = workplace.setdefault(m, emp[int(rng.random() * len(emp))])
                        for d in range(days):
                            if weekday[d] and rng.random() < attend_p:
                                t = self.start + d * DAY + 8 * HOUR + int(rng.random() * HOUR)
                                plan.append((t, t + 4 * HOUR + int(rng.random() * 5 * HOUR), w))
                    n = 0
                    # Poisson by inversion is slow in Python; a binomial over the days is close.
                    for d in range(days):
                        r = rng.random()
                        k = 0
                        while r < errand_rate and k < 4:
                            k += 1
                            r = rng.random()
                        n += k
                        for _ in range(k):
                            u = rng.random()
                            length = (10 * MIN + int(rng.random() * 50 * MIN) if u < 0.85 else
                                      HOUR + int(rng.random() * 2 * HOUR) if u < 0.98 else
                                      3 * HOUR + int(rng.random() * 9 * HOUR))
                            t = self.start + d * DAY + 6 * HOUR + int(rng.random() * 17 * HOUR)
                            plan.append((t, t + length, None))
                    if n:
                        venues = iter(self.popular(n))
                        plan = [(s, e, v if v is not None else next(venues)) for s, e, v in plan]
                # Fixed stays first (the stadium, a shift, a ward), then the rest around them.
                plan.sort()
                free = -1
                for s, e, v in plan:
                    length = e - s
                    s = max(s, free) // 1000 * 1000 + (1000 if max(s, free) % 1000 else 0)
                    e = min(s + length, self.end) // 1000 * 1000
                    if s >= self.end - MIN or e < s:
                        continue
                    self.count += 1
                    yield (m, v, s, e)
                    free = e + MIN
            p += size


# ---------------------------------------------------------------- the stores


def build_sqlite(args, db):
    """The demo region (accounts, units), then the population, straight into its tables."""
    log("mekong demo (accounts and org units)")
    subprocess.run([BIN, "demo", "--people", "50", "--venues", "10", "--db", db], check=True,
                   stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;")
    unit = con.execute("SELECT o.id FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id "
                       "WHERE u.username = 'tracer.halong'").fetchone()[0]
    now = int(time.time() * 1000)
    person0 = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM person").fetchone()[0]
    venue0 = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM venue").fetchone()[0]
    end = (now - 30 * MIN) // MIN * MIN
    pop = Population(args, person0, venue0, end)
    log("people and venues")
    con.execute("BEGIN")
    con.executemany("INSERT INTO person (id, full_name, document_type, document_number, nationality, "
                    "language, phone, birth_date, org_unit_id, created_at) VALUES "
                    "(?, ?, 'passport', ?, 'VN', 'vi', '', '', ?, ?)",
                    ((person0 + i, "Person %d" % i, "B%08d" % i, unit, now) for i in range(args.people)))
    con.executemany("INSERT INTO venue (id, name, kind, capacity, org_unit_id, default_stay_minutes, "
                    "address, created_at) VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                    ((v, name, kind, cap, unit, stay, now) for v, name, kind, cap, stay in pop.venues()))
    con.execute("COMMIT")
    log("check-ins (the store's indexes dropped for the load, then made again)")
    indexes = con.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checkin' "
                          "AND sql IS NOT NULL").fetchall()
    for (sql,) in indexes:
        con.execute("DROP INDEX " + re.search(r"INDEX\s+(\w+)", sql).group(1))
    t0 = time.time()
    con.execute("BEGIN")
    batch = []
    for row in pop.stays():
        batch.append(row)
        if len(batch) == 200000:
            con.executemany("INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source) "
                            "VALUES (?, ?, ?, ?, 'checkout', 'import')", batch)
            batch = []
            if pop.count % 2000000 < 200000:
                log("  %d check-ins (%.0f s)" % (pop.count, time.time() - t0))
    con.executemany("INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source) "
                    "VALUES (?, ?, ?, ?, 'checkout', 'import')", batch)
    con.execute("COMMIT")
    for (sql,) in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    n = con.execute("SELECT COUNT(*) FROM checkin").fetchone()[0]
    log("  %d check-ins in %.0f s" % (n, time.time() - t0))
    con.close()
    return pop, n


class Postgres:
    """A throwaway PostgreSQL 15, as scripts/pg-fixture.sh makes one, tuned for the data size."""

    def __init__(self, args):
        self.dir = None
        self.bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
        if args.pg_url:
            admin = pgwire.Connection.from_url(args.pg_url)
            self.db = "mekong_bench_%d" % os.getpid()
            admin.query("CREATE DATABASE " + self.db)
            admin.close()
            self.url = args.pg_url.rsplit("/", 1)[0] + "/" + self.db
            return
        self.dir = tempfile.mkdtemp(prefix="mekong-bench-pg.")
        root = os.getuid() == 0
        if root:
            shutil.chown(self.dir, "postgres")
        port = free_port()
        self._as_owner([self.bin + "/initdb", "-D", self.dir + "/data", "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-locale"])
        opts = ("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c shared_buffers=%s -c work_mem=64MB -c maintenance_work_mem=512MB "
                "-c effective_cache_size=4GB -c max_wal_size=4GB -c jit=off"
                % (port, self.dir, args.pg_shared_buffers))
        self._as_owner([self.bin + "/pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/server.log",
                        "-w", "-t", "60", "-o", opts, "start"])
        self.url = "postgresql://postgres@127.0.0.1:%d/postgres" % port

    def _as_owner(self, cmd):
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def connect(self):
        return pgwire.Connection.from_url(self.url)

    def stop(self):
        if self.dir:
            self._as_owner([self.bin + "/pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop"])
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            admin = pgwire.Connection.from_url(self.url.rsplit("/", 1)[0] + "/postgres")
            admin.query("DROP DATABASE IF EXISTS " + self.db)
            admin.close()


def load_postgres(pg, db):
    """The same check-ins (every row of the SQLite store, the demo's too), with the best
    B-tree indexes for these queries: both covering, so stays are read from the index alone."""
    con = pg.connect()
    con.query("DROP TABLE IF EXISTS checkin; CREATE TABLE checkin (id BIGINT NOT NULL, person_id BIGINT NOT NULL, "
              "venue_id BIGINT NOT NULL, time_in BIGINT NOT NULL, time_out BIGINT NOT NULL)")
    src = sqlite3.connect(db)
    t0 = time.time()

    def chunks():
        cur = src.execute("SELECT id, person_id, venue_id, time_in, time_out FROM checkin ORDER BY id")
        while True:
            rows = cur.fetchmany(100000)
            if not rows:
                return
            yield "".join("%d\t%d\t%d\t%d\t%d\n" % r for r in rows).encode()
    con.copy_in("COPY checkin FROM STDIN", chunks())
    load_s = time.time() - t0
    t0 = time.time()
    con.query("CREATE INDEX checkin_venue ON checkin (venue_id, time_in) INCLUDE (person_id, time_out)")
    con.query("CREATE INDEX checkin_person ON checkin (person_id, time_in) INCLUDE (venue_id, time_out)")
    con.query("VACUUM ANALYZE checkin")
    index_s = time.time() - t0
    size = int(con.query("SELECT pg_total_relation_size('checkin')")[0][0])
    con.close()
    src.close()
    return load_s, index_s, size


# The SQL: the same rules as tracing::CloseContacts and tracing::Trace (checkins.cc), bounded
# by the longest stay so the (venue_id, time_in) scan reads only stays that can overlap.
OVERLAP = ("o.venue_id = c.venue_id AND o.time_in < c.time_out AND o.time_in >= c.time_in - %d "
           "AND o.time_out > c.time_in AND o.person_id <> c.person_id" % MAX_STAY)
PREPARE = [
    "PREPARE contacts(bigint, bigint, bigint, bigint) AS "
    "SELECT o.person_id, o.venue_id, GREATEST(c.time_in, o.time_in, $2) AS s, LEAST(c.time_out, o.time_out, $3) AS e "
    "FROM checkin c JOIN checkin o ON " + OVERLAP + " "
    "WHERE c.person_id = $1 AND c.time_out > $2 AND c.time_in < $3 "
    "AND LEAST(c.time_out, o.time_out, $3) - GREATEST(c.time_in, o.time_in, $2) >= $4",
    "PREPARE depth2(bigint, bigint, bigint, bigint) AS "
    "WITH h1e AS ("
    " SELECT o.person_id AS q, o.venue_id AS v, GREATEST(c.time_in, o.time_in, $2) AS s,"
    " LEAST(c.time_out, o.time_out, $3) AS e"
    " FROM checkin c JOIN checkin o ON " + OVERLAP +
    " WHERE c.person_id = $1 AND c.time_out > $2 AND c.time_in < $3"
    " AND LEAST(c.time_out, o.time_out, $3) - GREATEST(c.time_in, o.time_in, $2) >= $4),"
    " h1 AS (SELECT q, MIN(s) AS first FROM h1e GROUP BY q),"
    " h2e AS ("
    " SELECT p.q AS parent, o.person_id AS q, o.venue_id AS v, GREATEST(c.time_in, o.time_in, p.first) AS s,"
    " LEAST(c.time_out, o.time_out, $3) AS e"
    " FROM h1 p JOIN checkin c ON c.person_id = p.q AND c.time_out > p.first AND c.time_in < $3"
    " JOIN checkin o ON " + OVERLAP +
    " WHERE LEAST(c.time_out, o.time_out, $3) - GREATEST(c.time_in, o.time_in, p.first) >= $4"
    " AND o.person_id <> $1 AND NOT EXISTS (SELECT 1 FROM h1 x WHERE x.q = o.person_id)),"
    " best AS (SELECT DISTINCT ON (q) q, parent FROM h2e ORDER BY q, s, parent)"
    " SELECT 1, $1::bigint, q, v, s, e FROM h1e"
    " UNION ALL SELECT 2, h.parent, h.q, h.v, h.s, h.e FROM h2e h JOIN best b ON b.q = h.q AND b.parent = h.parent",
]


def pg_answer(rows, depth, case):
    """PostgreSQL's rows as {person: (hop, via, sorted exposures)}."""
    out = {}
    if depth == 1:
        for q, v, s, e in rows:
            out.setdefault(int(q), (1, case, []))[2].append((int(v), int(s), int(e)))
    else:
        for hop, via, q, v, s, e in rows:
            out.setdefault(int(q), (int(hop), int(via), []))[2].append((int(v), int(s), int(e)))
    for k in out.values():
        k[2].sort(key=lambda x: (x[1], x[2], x[0]))
    return out


# ---------------------------------------------------------------- the server


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, db, env=None):
        self.db, self.env = db, env or {}
        self.proc, self.port, self.output = None, None, []
        self.started_s = None

    def start(self, timeout=600):
        env = dict(os.environ, **self.env)
        t0 = time.time()
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)
        while time.time() - t0 < timeout:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output.append(line)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            raise RuntimeError("server did not start:\n" + "".join(self.output[-30:]))
        self.started_s = time.time() - t0
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self):
        try:
            for line in self.proc.stdout:
                self.output.append(line)
        except ValueError:
            pass

    def wait_for(self, pattern, timeout=600):
        t0 = time.time()
        while time.time() - t0 < timeout:
            for line in self.output:
                if pattern in line:
                    return line
            time.sleep(0.05)
        raise RuntimeError("no %r in the server's log" % pattern)

    def field(self, line, key):
        m = re.search(r"\b%s=(\S+)" % key, line)
        return m.group(1).strip('"') if m else None

    def rss(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def login(self, username, password="mekong-demo"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        c.request("POST", "/api/v1/auth/login", body=json.dumps({"username": username, "password": password}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        if r.status != 200:
            raise RuntimeError("login failed: %r" % body)
        return body["token"]

    def stop(self, sig=signal.SIGTERM, timeout=120):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=timeout)
        return self.proc.returncode


class Client:
    """HTTP/1.1 over one keep-alive socket, with as little as possible between the request and
    the clock (http.client costs tens of microseconds a request in Python)."""

    def __init__(self, port, token):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.head = ("Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n" % token).encode()
        self.buf = b""

    def get(self, path):
        self.sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self.head)
        return self.reply()

    def reply(self):
        """The answer to the request sent last: status, headers (lower-case names), body."""
        buf = self.buf
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            buf += self.sock.recv(1 << 20)
        head = buf[:end].decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {}
        for h in head[1:]:
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length", 0))
        total = end + 4 + length
        while len(buf) < total:
            buf += self.sock.recv(max(1 << 20, total - len(buf)))
        body, self.buf = buf[end + 4:total], buf[total:]
        return status, headers, body


def engine_ms(headers):
    m = re.search(r"engine;dur=([\d.]+)", headers.get("server-timing", ""))
    return float(m.group(1)) if m else None


def http_answer(items):
    out = {}
    for i in items:
        ex = [(e["venue_id"], parse_ms(e["start"]), parse_ms(e["end"])) for e in i["exposures"]]
        out[i["person_id"]] = (i["hop"], i["via_person_id"], ex)
    return out


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]


# ---------------------------------------------------------------- the run


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=1000000)
    ap.add_argument("--venues", type=int, default=100000)
    ap.add_argument("--days", type=int, default=21)
    ap.add_argument("--density", type=float, default=1.0, help="scales ordinary visits")
    ap.add_argument("--stadium", type=int, default=40000)
    ap.add_argument("--market-pool", type=int, default=25000)
    ap.add_argument("--travellers", type=int, default=5000)
    ap.add_argument("--night-workers", type=int, default=10000)
    ap.add_argument("--patients", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--cases", type=int, default=100, help="ordinary people, depth 1 and 2")
    ap.add_argument("--special-cases", type=int, default=50, help="of each super-spreader kind, depth 1")
    ap.add_argument("--depth2-special", type=int, default=10, help="of each super-spreader kind, depth 2")
    ap.add_argument("--limit", type=int, default=1000, help="people per page")
    ap.add_argument("--pg-depth2-timeout", type=int, default=60, help="seconds")
    ap.add_argument("--pg-url", help="an existing PostgreSQL server (admin URL); else one is started")
    ap.add_argument("--pg-shared-buffers", default="2GB")
    ap.add_argument("--work-dir")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--smoke", action="store_true", help="a small run for the tests")
    ap.add_argument("--skip-server-checks", action="store_true", help="no RSS, restart or SIGINT figures")
    args = ap.parse_args()
    if args.smoke:
        args.people, args.venues, args.days = 6000, 600, 7
        args.stadium, args.market_pool, args.travellers = 600, 300, 50
        args.night_workers, args.patients = 100, 30
        args.cases, args.special_cases, args.depth2_special, args.limit = 20, 5, 2, 100
    work = args.work_dir or tempfile.mkdtemp(prefix="mekong-http-bench.")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "mekong.db")
    for suffix in ("", "-wal", "-shm", ".index"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    report = {"args": vars(args), "kinds": {}}
    pg = None
    failures = []
    try:
        t0 = time.time()
        pop, n = build_sqlite(args, db)
        report["checkins"] = n
        report["sqlite_load_s"] = time.time() - t0
        log("PostgreSQL 15")
        pg = Postgres(args)
        load_s, index_s, pg_bytes = load_postgres(pg, db)
        report.update(pg_load_s=load_s, pg_index_s=index_s, pg_bytes_per_checkin=pg_bytes / n)
        log("  loaded in %.0f s, indexed in %.0f s" % (load_s, index_s))

        # Baseline RSS: the same server over the demo store alone.
        if not args.skip_server_checks:
            demo_db = os.path.join(work, "demo-only.db")
            subprocess.run([BIN, "demo", "--people", "50", "--venues", "10", "--db", demo_db], check=True,
                           stdout=subprocess.DEVNULL)
            s0 = Server(demo_db).start()
            s0.wait_for("snapshot_saved")
            time.sleep(1)
            report["rss_empty"] = s0.rss()
            s0.stop()

        log("mekong serve (index built from the store)")
        server = Server(db).start()
        loaded = server.wait_for("engine_loaded")
        report["engine_load_s"] = float(server.field(loaded, "seconds"))
        report["engine_bytes"] = int(server.field(loaded, "bytes"))
        report["start_from_store_s"] = server.started_s
        token = server.login("tracer.halong")
        client = Client(server.port, token)
        con = pg.connect()
        for p in PREPARE:
            con.query(p)
        ws, we = pop.start, pop.end
        rng = random.Random(args.seed + 1)
        ordinary = [p for p in rng.sample(range(pop.person0, pop.person0 + args.people), args.cases * 3)
                    if p not in pop.role][:args.cases]
        kinds = [("ordinary", ordinary)]
        for name, group in (("stadium", pop.stadium_people), ("market", pop.market_pool),
                            ("traveller", pop.travellers), ("hospital", pop.patients + pop.staff),
                            ("night shift", pop.night_workers)):
            kinds.append((name, rng.sample(group, min(len(group), args.special_cases))))

        def ask(case, depth):
            """The whole answer over HTTP, page by page: (first page s, all pages s, engine ms of
            the first page, total, answer)."""
            base = ("/api/v1/people/%d/contacts?from=%s&to=%s&min_overlap_minutes=15&depth=%d&limit=%d"
                    % (case, iso(ws), iso(we), depth, args.limit))
            items, cursor, first_s, eng, total, t_all = [], None, None, None, None, 0.0
            while True:
                path = base + ("&cursor=" + cursor if cursor else "")
                t = time.perf_counter()
                status, headers, body = client.get(path)
                dt = time.perf_counter() - t
                t_all += dt
                if status != 200:
                    raise RuntimeError("GET %s: %d %s" % (path, status, body[:300]))
                page = json.loads(body)
                if first_s is None:
                    first_s, eng, total = dt, engine_ms(headers), page.get("total", len(page["items"]))
                items.extend(page["items"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            return first_s, t_all, eng, total, http_answer(items)

        def pg_ask(case, depth, timeout_s=0):
            con.query("SET statement_timeout = %d" % (timeout_s * 1000))
            sql = ("EXECUTE contacts(%d, %d, %d, %d)" if depth == 1 else "EXECUTE depth2(%d, %d, %d, %d)") % (
                case, ws, we, 15 * MIN)
            t = time.perf_counter()
            try:
                rows = con.query(sql)
            except pgwire.Error as e:
                if "57014" in str(e):  # query_canceled: the timeout
                    return None, None
                raise
            return time.perf_counter() - t, pg_answer(rows, depth, case)

        # Warm both (the OS cache, PostgreSQL's buffers), untimed.
        log("warming up")
        for name, cases in kinds:
            for c in cases[:5]:
                ask(c, 1)
                pg_ask(c, 1)
        # A person with no stays: the fixed cost of a request.
        idle = next(p for p in range(pop.person0 + args.people - 1, pop.person0, -1)
                    if not con.query("SELECT 1 FROM checkin WHERE person_id = %d LIMIT 1" % p))
        fixed, fixed_engine = [], []
        for _ in range(2000 if not args.smoke else 200):
            t = time.perf_counter()
            status, headers, body = client.get("/api/v1/people/%d/contacts?from=%s&to=%s" % (idle, iso(ws), iso(we)))
            fixed.append(time.perf_counter() - t)
            fixed_engine.append(engine_ms(headers) or 0)
        report["fixed"] = {"p50_ms": pct(fixed, 0.5) * 1e3, "p99_ms": pct(fixed, 0.99) * 1e3,
                           "engine_p50_ms": pct(fixed_engine, 0.5)}
        log("fixed cost of a request: p50 %.3f ms" % (pct(fixed, 0.5) * 1e3))

        def run_kind(label, cases, depth, pg_timeout):
            k = {"cases": len(cases), "depth": depth, "first": [], "all": [], "engine": [], "pg": [],
                 "pg_cancelled": 0, "totals": [], "checked": 0}
            for c in cases:
                first, whole, eng, total, mine = ask(c, depth)
                k["first"].append(first)
                k["all"].append(whole)
                k["engine"].append(eng if eng is not None else float("nan"))
                k["totals"].append(total)
                if len(mine) != total:
                    failures.append("%s case %d: total %d, %d people in the pages" % (label, c, total, len(mine)))
                pg_s, theirs = pg_ask(c, depth, pg_timeout)
                if pg_s is None:
                    k["pg_cancelled"] += 1
                    continue
                k["pg"].append(pg_s)
                k["checked"] += 1
                if mine != theirs:
                    diff = sorted(set(mine) ^ set(theirs))[:5] or [
                        p for p in mine if mine[p] != theirs.get(p)][:5]
                    failures.append("%s depth %d case %d: HTTP and PostgreSQL differ (%d vs %d people; e.g. %s)"
                                    % (label, depth, c, len(mine), len(theirs), diff))
                    log("MISMATCH", failures[-1])
            report["kinds"]["%s, depth %d" % (label, depth)] = k
            log("%-14s depth %d: %3d cases, HTTP p50 %.3f ms (all pages %.3f), PostgreSQL p50 %.3f ms, "
                "%d cancelled" % (label, depth, len(cases), pct(k["first"], 0.5) * 1e3,
                                  pct(k["all"], 0.5) * 1e3, pct(k["pg"], 0.5) * 1e3, k["pg_cancelled"]))

        for name, cases in kinds:
            run_kind(name, cases, 1, 0)
        depth2 = list(ordinary)
        for name, cases in kinds[2:]:
            depth2 += cases[:args.depth2_special]
        run_kind("mixed", depth2, 2, args.pg_depth2_timeout)
        run_kind("stadium", kinds[1][1][:1], 2, args.pg_depth2_timeout)
        con.close()
        client.sock.close()

        if not args.skip_server_checks:
            server_checks(args, report, server, db, pop)
        else:
            server.stop()
    finally:
        if pg:
            pg.stop()
        with open(os.path.join(work, "report.json"), "w") as f:
            json.dump(report, f, indent=1, default=str)
        if not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    print_report(report)
    if failures:
        print("\n%d answers differ from PostgreSQL's:" % len(failures))
        for f in failures[:20]:
            print("  " + f)
        sys.exit(1)
    print("\nEvery HTTP answer equals PostgreSQL's where PostgreSQL answered.")


def server_checks(args, report, server, db, pop):
    """RSS per check-in, restart after kill -9, SIGINT during a depth-3 query."""
    server.wait_for("snapshot_saved")  # the periodic snapshot's first turn, right after start
    time.sleep(2)
    report["rss"] = server.rss()
    log("RSS %.0f MB" % (report["rss"] / 1e6))
    # A tail for the change feed: check-ins after the snapshot, through the API.
    admin = server.login("admin")
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    rng = random.Random(7)
    now = int(time.time() * 1000)
    rows = [{"person_id": rng.randrange(pop.person0, pop.person0 + args.people),
             "venue_id": rng.randrange(pop.venue0 + 10, pop.venue0 + args.venues),
             "time_in": iso(now - rng.randrange(2 * HOUR, 20 * HOUR) // 1000 * 1000)} for _ in range(5000)]
    for at in range(0, len(rows), 1000):
        c.request("POST", "/api/v1/checkins/batch", body=json.dumps({"checkins": rows[at:at + 1000]}),
                  headers={"Content-Type": "application/json", "Authorization": "Bearer " + admin})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            raise RuntimeError("batch refused: %d" % r.status)
    c.close()
    report["feed_tail"] = len(rows)
    server.proc.kill()  # kill -9
    server.proc.wait()
    log("restart after kill -9")
    again = Server(db).start()
    loaded = again.wait_for("engine_loaded")
    report["restart_after_kill"] = {"serving_s": again.started_s, "engine_s": float(again.field(loaded, "seconds")),
                                    "from": again.field(loaded, "from")}
    log("  serving after %.2f s (%s)" % (again.started_s, again.field(loaded, "from")))
    # SIGINT in the middle of a depth-3 query at the stadium.
    token = again.login("tracer.halong")
    case = pop.stadium_people[0]

    def deep():
        try:
            cl = Client(again.port, token)
            cl.get("/api/v1/people/%d/contacts?from=%s&to=%s&depth=3&limit=10" % (case, iso(pop.start), iso(pop.end)))
        except OSError:
            pass
    t = threading.Thread(target=deep, daemon=True)
    t.start()
    time.sleep(2)
    t0 = time.time()
    again.proc.send_signal(signal.SIGINT)
    again.proc.wait(timeout=600)
    report["sigint_exit_s"] = time.time() - t0
    log("  SIGINT to exit: %.2f s" % report["sigint_exit_s"])


def print_report(r):
    n = r.get("checkins", 0)
    print("\nContact tracing over HTTP and PostgreSQL 15, %d check-ins (%s people, %s venues, %s days)"
          % (n, r["args"]["people"], r["args"]["venues"], r["args"]["days"]))
    if "fixed" in r:
        print("fixed cost of a request (a person without stays): p50 %.3f ms, p99 %.3f ms (engine %.3f ms)"
              % (r["fixed"]["p50_ms"], r["fixed"]["p99_ms"], r["fixed"]["engine_p50_ms"]))
    print("\n| query | cases | contacts p50 / max | HTTP first page p50 / p99 | HTTP whole answer p50 / p99 "
          "| engine p50 / p99 | PostgreSQL p50 / p99 | ratio p50 / p99 (whole) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, k in r["kinds"].items():
        ms = lambda v, p: pct(v, p) * 1e3  # noqa: E731
        eng = [e for e in k["engine"] if e == e]
        pg = "%.2f / %.2f ms" % (ms(k["pg"], 0.5), ms(k["pg"], 0.99)) if k["pg"] else "-"
        if k["pg_cancelled"]:
            pg += " (%d cancelled at %d s)" % (k["pg_cancelled"], r["args"]["pg_depth2_timeout"])
        ratio = ("%.1f× / %.1f×" % (pct(k["pg"], 0.5) / pct(k["all"], 0.5), pct(k["pg"], 0.99) / pct(k["all"], 0.99))
                 if k["pg"] else "-")
        print("| %s | %d | %d / %d | %.3f / %.3f ms | %.3f / %.3f ms | %.3f / %.3f ms | %s | %s |" % (
            name, k["cases"], pct(k["totals"], 0.5), max(k["totals"]), ms(k["first"], 0.5), ms(k["first"], 0.99),
            ms(k["all"], 0.5), ms(k["all"], 0.99), pct(eng, 0.5) if eng else float("nan"),
            pct(eng, 0.99) if eng else float("nan"), pg, ratio))
    if "rss" in r:
        print("\nserver RSS %.0f MB, %.0f MB on the demo store alone: %.1f bytes per check-in (engine %.1f)"
              % (r["rss"] / 1e6, r["rss_empty"] / 1e6, (r["rss"] - r["rss_empty"]) / n, r["engine_bytes"] / n))
        print("start from the store: %.1f s to serving (engine %.1f s)" % (r["start_from_store_s"], r["engine_load_s"]))
        k = r["restart_after_kill"]
        print("restart after kill -9 (%d check-ins in the feed's tail): serving after %.2f s, engine from %s in %.2f s"
              % (r["feed_tail"], k["serving_s"], k["from"], k["engine_s"]))
        print("SIGINT during a depth-3 query at the stadium: exit after %.2f s" % r["sigint_exit_s"])
    print("SQLite load %.0f s; PostgreSQL load %.0f s, indexes %.0f s, %.0f bytes per check-in on disk"
          % (r.get("sqlite_load_s", 0), r.get("pg_load_s", 0), r.get("pg_index_s", 0), r.get("pg_bytes_per_checkin", 0)))


if __name__ == "__main__":
    main()
