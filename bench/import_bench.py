#!/usr/bin/env python3
"""`mekong import checkins` on a large CSV, beside SQLite's own bulk import of the same rows.

    MEKONG_BIN=build/apps/mekong/mekong python3 bench/import_bench.py \
        [--lines 10000000] [--people 1000000] [--venues 100000] [--seed 1] [--work DIR] \
        [--batch-lines 100000,1000000] [--skip-baseline]

Makes a demo database (`mekong demo --people --venues`; kept in --work and reused by later runs,
since a million people take minutes to register), then writes a CSV of --lines check-ins with a
fixed seed: 21 days ending a week ago (the demo's own week of check-ins follows), each day
sorted by time in as a scanner's export is; people visit one to four venues a day, one after
another; two in three check out, the rest close at the venue's default stay or at their next
check-in when that comes first. Then, each on a fresh copy of the demo database:

  1. `mekong import checkins FILE --batch-lines N` under /usr/bin/time -v, for each N given
     (the default, 100,000, and 1,000,000 for a load nobody else writes during): wall and CPU
     time (the machine is shared: CPU time is the steadier figure), rows/s, peak RSS;
  2. the baseline: the sqlite3 CLI's `.import` of the same rows (already as the integers and
     labels the store keeps) into the same `checkin` table with the same indexes, pragmas and
     foreign keys, in the same run.

Large: not part of any test run (about half an hour at 10 M lines on the project's machine);
needs about 10 GB of disk in --work.
"""
import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("MEKONG_BIN", "build/apps/mekong/mekong")
DAY = 86400000
MIN = 60000


def time_v(cmd, ok=(0,), **kw):
    """Runs cmd under /usr/bin/time -v; returns (wall s, CPU s, peak RSS bytes, stdout, stderr)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    if p.returncode not in ok:
        raise SystemExit("%s failed (%d):\n%s\n%s" % (cmd[0], p.returncode, p.stdout[-2000:], p.stderr[-2000:]))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) * 1024
    cpu = sum(float(re.search(r"%s time \(seconds\): ([\d.]+)" % k, p.stderr).group(1)) for k in ("User", "System"))
    return wall, cpu, rss, p.stdout, p.stderr


def demo_database(work, people, venues):
    path = os.path.join(work, "demo-%d-%d.db" % (people, venues))
    if not os.path.exists(path):
        print("making the demo database (%d people, %d venues) in %s ..." % (people, venues, path), flush=True)
        tmp = path + ".tmp"
        for f in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(f):
                os.unlink(f)
        subprocess.run([BIN, "demo", "--people", str(people), "--venues", str(venues), "--db", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        db = sqlite3.connect(tmp)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        os.rename(tmp, path)
    return path


def copy_database(src, dst):
    for f in (dst, dst + "-wal", dst + "-shm", dst + ".index"):
        if os.path.exists(f):
            os.unlink(f)
    shutil.copyfile(src, dst)
    return dst


def generate(path, base_path, lines, seed, people, venues, first_id):
    """Writes the import CSV and the baseline's CSV (the same rows as the store keeps them)."""
    rng = random.Random(seed)
    now = int(time.time() * 1000)
    first_day = (now - 28 * DAY) // DAY * DAY + DAY  # whole UTC days inside the retention period
    days = 21
    per_day = lines // days
    stay_of = dict(venues)
    venue_ids = [v for v, _ in venues]
    written = 0
    next_id = first_id
    with open(path, "w", newline="") as out, open(base_path, "w", newline="") as base:
        out.write("person_id,venue_id,time_in,time_out\n")
        for d in range(days):
            want = per_day if d < days - 1 else lines - written
            day0 = first_day + d * DAY
            prefix = time.strftime("%Y-%m-%dT", time.gmtime(day0 / 1000))
            rows = []
            while len(rows) < want:
                person = rng.choice(people)
                t = day0 + rng.randrange(5 * 60, 20 * 60) * MIN
                for _ in range(rng.randrange(1, 5)):
                    if len(rows) >= want:
                        break
                    venue = venue_ids[int(rng.random() ** 2 * len(venue_ids))]  # popular venues more often
                    default = stay_of[venue] * MIN
                    stay = max(10, stay_of[venue] + rng.randrange(-20, 30)) * MIN
                    out_ms = t + stay if rng.randrange(3) else None
                    rows.append((t, person, venue, out_ms, default))
                    t += rng.randrange(5, 120) * MIN if out_ms is None else stay + rng.randrange(5, 120) * MIN
                    if t >= day0 + DAY:
                        break
            rows.sort()
            # The baseline writes what the store will hold: the next check-in closes an open stay.
            last = {}
            for i, (t, person, venue, out_ms, default) in enumerate(rows):
                j = last.get(person)
                if j is not None:
                    pt, pp, pv, po, pd = rows[j]
                    if po is None and pt + pd > t:
                        rows[j] = (pt, pp, pv, -t, pd)  # negative: closed by the next check-in
                last[person] = i
            for t, person, venue, out_ms, default in rows:
                s = (t - day0) // 1000
                tin = "%s%02d:%02d:%02dZ" % (prefix, s // 3600, s // 60 % 60, s % 60)
                if out_ms is not None and out_ms > 0:
                    s = (out_ms - day0) // 1000
                    tout = "%s%02d:%02d:%02dZ" % (time.strftime("%Y-%m-%dT", time.gmtime(out_ms / 1000)),
                                                 s // 3600 % 24, s // 60 % 60, s % 60)
                    out.write("%d,%d,%s,%s\n" % (person, venue, tin, tout))
                    base.write("%d,%d,%d,%d,%d,checkout,import\n" % (next_id, person, venue, t, out_ms))
                else:
                    out.write("%d,%d,%s,\n" % (person, venue, tin))
                    if out_ms is None:
                        base.write("%d,%d,%d,%d,%d,default_stay,import\n" % (next_id, person, venue, t, t + default))
                    else:
                        base.write("%d,%d,%d,%d,%d,next_checkin,import\n" % (next_id, person, venue, t, -out_ms))
                next_id += 1
            written += len(rows)
    return written


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--venues", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=None, help="directory for the databases and files (kept; default: a temp dir)")
    ap.add_argument("--batch-lines", type=lambda v: [int(x) for x in v.split(",")], default=[100000, 1000000],
                    help="mekong runs to make, by --batch-lines (comma-separated)")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="mekong-import-bench-")
    os.makedirs(work, exist_ok=True)
    demo = demo_database(work, args.people, args.venues)
    db = sqlite3.connect(demo)
    people = [r[0] for r in db.execute("SELECT id FROM person ORDER BY id")]
    venues = db.execute("SELECT id, default_stay_minutes FROM venue ORDER BY id").fetchall()
    stored, max_id = db.execute("SELECT COUNT(*), MAX(id) FROM checkin").fetchone()
    db.close()

    csv_path = os.path.join(work, "checkins-%d.csv" % args.lines)
    base_csv = os.path.join(work, "baseline-%d.csv" % args.lines)
    t0 = time.perf_counter()
    n = generate(csv_path, base_csv, args.lines, args.seed, people, venues, max_id + 1)
    print("generated %d lines (%.0f MB) in %.0f s with seed %d; the demo store holds %d check-ins of %d people "
          "at %d venues" % (n, os.path.getsize(csv_path) / 1e6, time.perf_counter() - t0, args.seed, stored,
                            len(people), len(venues)), flush=True)

    runs = []
    for batch in args.batch_lines:
        run_db = copy_database(demo, os.path.join(work, "run.db"))
        print("mekong import checkins --batch-lines %d ..." % batch, flush=True)
        wall, cpu, rss, out, err = time_v([BIN, "import", "checkins", csv_path, "--db", run_db,
                                           "--batch-lines", str(batch)], ok=(0, 1))
        m = re.search(r"Imported (\d+) check-ins", out)
        imported = int(m.group(1)) if m else -1
        rejected = len([l for l in err.splitlines() if l.startswith(csv_path + ":")])
        check = sqlite3.connect(run_db)
        total = check.execute("SELECT COUNT(*) FROM checkin").fetchone()[0]
        check.close()
        runs.append((batch, wall, cpu, rss, imported, rejected, total))

    base = None
    if not args.skip_baseline:
        base_db = copy_database(demo, os.path.join(work, "baseline.db"))
        print("baseline: sqlite3 .import ...", flush=True)
        script = ("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nPRAGMA cache_size=-65536;\n"
                  "PRAGMA foreign_keys=ON;\n.import --csv %s checkin\n" % base_csv)
        base = time_v(["sqlite3", base_db], input=script)
        check = sqlite3.connect(base_db)
        base_total = check.execute("SELECT COUNT(*) FROM checkin").fetchone()[0]
        check.close()

    print("import of %d CSV lines into a SQLite store already holding %d check-ins (load average %s)"
          % (n, stored, " ".join("%.1f" % x for x in os.getloadavg())))
    for batch, wall, cpu, rss, imported, rejected, total in runs:
        print("  mekong import checkins --batch-lines %-8d %8.0f rows/s  (%.1f s wall, %.1f s CPU, peak RSS %.0f MB;"
              " imported %d, rejected %d; store now %d)"
              % (batch, imported / wall, wall, cpu, rss / 2**20, imported, rejected, total))
    if base:
        print("  baseline sqlite3 .import, one transaction: %6.0f rows/s  (%.1f s wall, %.1f s CPU, peak RSS %.0f MB;"
              " the same rows as integers, same table, indexes, pragmas and foreign keys; store now %d)"
              % (n / base[0], base[0], base[1], base[2] / 2**20, base_total))
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
