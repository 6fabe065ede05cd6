#!/usr/bin/env python3
"""The fixed cost of an authenticated API request, beside the HTTP stack's own floor.

    MEKONG_BIN=build/apps/mekong/mekong python3 bench/request_cost.py [--requests 5000] [--rounds 2]

Makes a demo store (300 people, 30 venues), starts `mekong serve` on a free loopback port, signs
in as a tracer and, over one keep-alive connection, times in turn:

  - GET /healthz: no authentication, no store, no engine (the floor of the HTTP stack);
  - GET /api/v1/people/{id}/contacts with a window in 2021 (no stays): authentication, the
    person's scope, the access-log row, the policy, the engine (microseconds) and JSON;
  - GET /api/v1/people/{id}: authentication, the person's scope and the access-log row.

Each is run --rounds times, alternating, so a busy moment of the machine does not fall on one.
Prints p50, p90 and p99 per kind and the engine's own time (Server-Timing). About 20 s.
"""
import argparse
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "m.db")
        subprocess.run([BIN, "demo", "--people", "300", "--venues", "30", "--db", db], check=True,
                       stdout=subprocess.DEVNULL)
        # Not tests/api/harness.Server: its log-draining thread in this process and its response
        # schema check doubled the times measured here (0.56 against 0.26 ms). The log goes to a
        # file instead: a pipe nobody reads would fill and stop the server.
        log_path = os.path.join(d, "serve.log")
        log_file = open(log_path, "w")
        srv = subprocess.Popen([BIN, "serve", "--db", db, "--port", "0"], stdout=log_file,
                               stderr=subprocess.STDOUT)
        try:
            port = None
            t0 = time.time()
            while port is None and time.time() - t0 < 20:
                m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", open(log_path).read())
                if m:
                    port = int(m.group(1))
                else:
                    time.sleep(0.05)
            if port is None:
                sys.exit("mekong serve did not start")
            c = http.client.HTTPConnection("127.0.0.1", port)
            c.request("POST", "/api/v1/auth/login",
                      json.dumps({"username": "tracer.halong", "password": "mekong-demo"}),
                      {"Content-Type": "application/json"})
            token = json.loads(c.getresponse().read())["token"]
            auth = {"Authorization": "Bearer " + token}
            c.request("GET", "/api/v1/people?limit=1", headers=auth)
            person = json.loads(c.getresponse().read())["items"][0]["id"]
            kinds = {
                "GET /healthz (floor)": ("/healthz", {}),
                "GET /people/{id}/contacts, no stays": (
                    "/api/v1/people/%d/contacts?from=2021-01-01T00:00:00Z&to=2021-01-02T00:00:00Z"
                    % person, auth),
                "GET /people/{id}": ("/api/v1/people/%d" % person, auth),
            }
            times = {k: [] for k in kinds}
            engine = []
            for _ in range(a.rounds):
                for kind, (path, headers) in kinds.items():
                    for _ in range(a.requests // a.rounds):
                        t = time.perf_counter()
                        c.request("GET", path, headers=headers)
                        r = c.getresponse()
                        r.read()
                        times[kind].append(time.perf_counter() - t)
                        if r.status != 200:
                            sys.exit("%s: %d" % (path, r.status))
                        m = re.search(r"engine;dur=([\d.]+)", r.getheader("Server-Timing") or "")
                        if m:
                            engine.append(float(m.group(1)))
            print("| request | p50 | p90 | p99 |")
            print("| --- | --- | --- | --- |")
            for kind, xs in times.items():
                print("| %s | %.3f ms | %.3f ms | %.3f ms |" % (
                    kind, pct(xs, .5) * 1e3, pct(xs, .9) * 1e3, pct(xs, .99) * 1e3))
            if engine:
                print("engine (Server-Timing) p50 %.3f ms" % pct(engine, .5))
        finally:
            srv.terminate()
            srv.wait(10)
            log_file.close()


if __name__ == "__main__":
    main()
