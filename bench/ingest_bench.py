#!/usr/bin/env python3
"""Durable check-in ingest through HTTP, beside SQLite's own bulk-insert rate in the same run.

    python3 bench/ingest_bench.py [--batches 20] [--singles 2000] [--clients 2]

Starts `mekong serve` (MEKONG_BIN, default build/apps/mekong/mekong) on a fresh SQLite database
with the demo region on a loopback port, then measures: batches of 10,000 check-ins
(POST /api/v1/checkins/batch, answered after commit) from `--clients` keep-alive connections,
and single check-ins (POST /api/v1/checkins) from one connection. The baseline inserts the same
rows with Python's sqlite3 (a C loop) into a table with the same columns and indexes, in one
transaction, with the server's pragmas. Stops by itself; talks only to 127.0.0.1.
"""
import argparse
import datetime
import http.client
import itertools
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "api"))
import harness  # noqa: E402  (the test harness starts and stops the server)


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--singles", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=2)
    args = ap.parse_args()

    server = harness.Server(demo_people=3000, demo_venues=300).start()
    try:
        token = server.login("admin")
        people, venues = [], []
        for kind, out in (("people", people), ("venues", venues)):
            offset = 0
            while True:
                body = server.request("GET", "/api/v1/%s?limit=500&offset=%d" % (kind, offset), token=token)[1]
                out.extend(i["id"] for i in body["items"])
                if len(body["items"]) < 500:
                    break
                offset += 500
        rng = random.Random(1)
        now = int(time.time() * 1000)
        # Each person's 30-minute stays 2 hours apart (a person is in one place at a time, and the
        # API refuses a second open stay at one venue), venues at random, over 20 days.
        counter = itertools.count()

        def rows(n):
            for _ in range(n):
                k = next(counter)
                person, slot = people[k % len(people)], k // len(people)
                t = now - 21 * 86400000 + (slot * 7200 + rng.randrange(3600)) * 1000
                yield person, rng.choice(venues), t, t + 30 * 60000
        batches = []
        all_rows = []
        for _ in range(args.batches):
            chunk = list(rows(10000))
            all_rows.extend(chunk)
            batches.append(json.dumps({"checkins": [
                {"person_id": p, "venue_id": v, "time_in": iso(i), "time_out": iso(o)} for p, v, i, o in chunk]}))
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}

        def send(my_batches, failures):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            for b in my_batches:
                conn.request("POST", "/api/v1/checkins/batch", body=b, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                if resp.status != 201 or json.loads(payload)["rejected"]:
                    failures.append(payload[:300])
            conn.close()

        failures = []
        threads = [threading.Thread(target=send, args=(batches[c::args.clients], failures))
                   for c in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        batch_s = time.perf_counter() - t0
        if failures:
            raise SystemExit("batch failed: %r" % failures[0])

        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        latencies = []
        single = list(rows(args.singles))
        t0 = time.perf_counter()
        for p, v, i, _ in single:
            t1 = time.perf_counter()
            conn.request("POST", "/api/v1/checkins",
                         body=json.dumps({"person_id": p, "venue_id": v, "time_in": iso(i)}), headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            latencies.append(time.perf_counter() - t1)
            if resp.status not in (201, 409):  # 409: still checked in there (random data)
                raise SystemExit("single check-in failed: %s %r" % (resp.status, payload[:300]))
        single_s = time.perf_counter() - t0
        latencies.sort()
    finally:
        server.stop()

    # Baseline: SQLite's own bulk insert of the same rows, same pragmas, same indexes; then with
    # fewer indexes, to show what each of the store's indexes costs.
    indexes = ["venue_id, time_in", "person_id, time_in", "time_out"]
    base = {}
    for kept in (3, 1, 0):
        path = os.path.join(tempfile.mkdtemp(prefix="mekong-ingest-"), "baseline.db")
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                         "CREATE TABLE checkin (id INTEGER PRIMARY KEY, person_id BIGINT NOT NULL,"
                         " venue_id BIGINT NOT NULL, time_in BIGINT NOT NULL, time_out BIGINT NOT NULL,"
                         " closed_by TEXT NOT NULL, source TEXT NOT NULL);"
                         + "".join("CREATE INDEX i%d ON checkin (%s);" % (k, c)
                                   for k, c in enumerate(indexes[-kept:] if kept else [])))
        t0 = time.perf_counter()
        for at in range(0, len(all_rows), 10000):  # one transaction per 10,000, like the batches
            db.execute("BEGIN")
            db.executemany("INSERT INTO checkin (person_id, venue_id, time_in, time_out, closed_by, source) "
                           "VALUES (?, ?, ?, ?, 'checkout', 'import')", all_rows[at:at + 10000])
            db.execute("COMMIT")
        base[kept] = time.perf_counter() - t0
        db.close()
        shutil.rmtree(os.path.dirname(path))
    base_s = base[3]

    n = len(all_rows)
    print("durable check-in ingest, SQLite store, %d check-ins in batches of 10,000 from %d clients"
          % (n, args.clients))
    print("  HTTP batches:             %8.0f check-ins/s  (%.2f s)" % (n / batch_s, batch_s))
    print("  baseline sqlite3 bulk:    %8.0f rows/s       (%.2f s, same rows, 10,000 per transaction)"
          % (n / base_s, base_s))
    print("    with only (time_out):   %8.0f rows/s" % (n / base[1]))
    print("    with no index:          %8.0f rows/s" % (n / base[0]))
    print("  HTTP single check-ins:    %8.0f /s, p50 %.2f ms, p99 %.2f ms (%d, one connection)"
          % (len(single) / single_s, latencies[len(latencies) // 2] * 1000,
             latencies[int(len(latencies) * 0.99)] * 1000, len(single)))


if __name__ == "__main__":
    main()
