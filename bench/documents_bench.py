#!/usr/bin/env python3
"""Documents through the API: uploads and checked downloads, beside hashing the same bytes alone.

    MEKONG_BIN=build/apps/mekong/mekong python3 bench/documents_bench.py [--files 40] [--mib 1]

Makes a demo store, starts `mekong serve` on a free loopback port, signs in as the province's
command officer, issues a directive and, over one keep-alive connection, uploads --files
different PDFs of --mib MiB each to it, then downloads each (the server hashes the stored bytes
again before it answers). Beside them, in the same run, Python's hashlib hashes the same bytes
once each: the cost of the SHA-256 alone, which an upload and a download both pay. Prints MiB/s
and the time per file. About 10 s at the defaults.
"""
import argparse
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("MEKONG_BIN", "build/apps/mekong/mekong")


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))]


def serve(db, log_path):
    log_file = open(log_path, "w")
    srv = subprocess.Popen([BIN, "serve", "--db", db, "--port", "0"], stdout=log_file, stderr=subprocess.STDOUT)
    t0 = time.time()
    while time.time() - t0 < 20:
        m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", open(log_path).read())
        if m:
            return srv, log_file, int(m.group(1))
        time.sleep(0.05)
    srv.terminate()
    sys.exit("mekong serve did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--mib", type=int, default=1, help="size of each file, at most 3 (the 4 MiB body limit)")
    a = ap.parse_args()
    size = a.mib << 20
    files = [b"%PDF-1.4\n" + os.urandom(size - 9) for _ in range(a.files)]
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "m.db")
        subprocess.run([BIN, "demo", "--people", "100", "--venues", "10", "--db", db], check=True,
                       stdout=subprocess.DEVNULL)
        srv, log_file, port = serve(db, os.path.join(d, "serve.log"))
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

            def call(method, path, body=None, headers=None):
                c.request(method, path, body, headers or {})
                r = c.getresponse()
                return r.status, r.read()

            _, login = call("POST", "/api/v1/auth/login",
                            json.dumps({"username": "officer.province", "password": "mekong-demo"}),
                            {"Content-Type": "application/json"})
            auth = {"Authorization": "Bearer " + json.loads(login)["token"]}
            due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
            status, d_body = call("POST", "/api/v1/directives", json.dumps(
                {"title": "Bench", "due_at": due, "to_all": "children"}), dict(auth, **{"Content-Type": "application/json"}))
            if status != 201:
                sys.exit("directive: %d %s" % (status, d_body))
            directive = json.loads(d_body)["id"]

            up, down, ids = [], [], []
            for i, data in enumerate(files):
                t = time.perf_counter()
                status, body = call("POST", "/api/v1/documents?subject=directive&subject_id=%d&filename=f%d.pdf"
                                    % (directive, i), data, dict(auth, **{"Content-Type": "application/pdf"}))
                up.append(time.perf_counter() - t)
                if status != 201:
                    sys.exit("upload: %d %s" % (status, body[:200]))
                ids.append(json.loads(body)["id"])
            for i, doc in enumerate(ids):
                t = time.perf_counter()
                status, body = call("GET", "/api/v1/documents/%d/content" % doc, headers=auth)
                down.append(time.perf_counter() - t)
                if status != 200 or body != files[i]:
                    sys.exit("download %d: %d" % (doc, status))
            hashing = []
            for data in files:
                t = time.perf_counter()
                hashlib.sha256(data).digest()
                hashing.append(time.perf_counter() - t)

            mib = size / (1 << 20)
            print("%d files of %d MiB, SQLite" % (a.files, a.mib))
            print("| step | p50 per file | p90 per file | MiB/s at p50 |")
            print("| --- | --- | --- | --- |")
            for name, xs in (("upload (POST /documents)", up), ("checked download (GET .../content)", down),
                             ("SHA-256 alone (hashlib, same bytes)", hashing)):
                print("| %s | %.2f ms | %.2f ms | %.0f |" % (name, pct(xs, .5) * 1e3, pct(xs, .9) * 1e3,
                                                            mib / pct(xs, .5)))
        finally:
            srv.terminate()
            srv.wait(10)
            log_file.close()


if __name__ == "__main__":
    main()
