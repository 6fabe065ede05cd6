#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in BUILD_DIR, default build/fuzz) and runs each for
# SECONDS (default 10), seeded from shared/testdata where there are seeds, and from fuzz/seeds. Exits non-zero on
# the first crash, leak, timeout or sanitizer finding, leaving the reproducer in the work dir.
# The random seed is fixed (FUZZ_SEED, default 1) so that `make test` explores the same inputs
# every run; set another to look further.
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-10}
build=${2:-$root/build/fuzz}
mkdir -p "$build" && build=$(cd "$build" && pwd)  # absolute: the runs cd into their work folders
testdata=${MEKONG_TESTDATA:-$root/../shared/testdata}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang CXX=clang++ cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
# Quiet when it builds; the compiler's own words when it does not (ninja prints them to stdout).
cmake --build "$build" -j2 >"$build/build.log" 2>&1 || {
  echo "fuzz: the fuzz targets did not build; from $build/build.log:"; tail -40 "$build/build.log"; exit 1; }

fuzz_seed=${FUZZ_SEED:-1}
seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"/{eu_dcc,shc,health_code,base45,cbor,cose,inflate,http}
python3 - "$testdata" "$seeds" <<'PY'
import glob, json, os, sys, zlib
testdata, seeds = sys.argv[1:]
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45(s):
    out = bytearray()
    for i in range(0, len(s), 3):
        ch = s[i:i + 3]
        v = sum(A.index(c) * 45 ** k for k, c in enumerate(ch))
        out += v.to_bytes(2 if len(ch) == 3 else 1, "big")
    return bytes(out)
for n, f in enumerate(sorted(glob.glob(testdata + "/eu-dcc/*/2DCode/raw/*.json"))[:40]):
    try:
        d = json.load(open(f))
        p = d["PREFIX"]
        open(f"{seeds}/eu_dcc/{n}", "w").write(p)
        open(f"{seeds}/base45/{n}", "w").write(p[4:])
        raw = b45(p[4:])
        open(f"{seeds}/inflate/{n}", "wb").write(raw)
        cose = zlib.decompress(raw)
        open(f"{seeds}/cose/{n}", "wb").write(cose)
        open(f"{seeds}/cbor/{n}", "wb").write(bytes.fromhex(d["CBOR"]))
    except Exception:
        pass
for n, f in enumerate(sorted(glob.glob(testdata + "/smart-health-cards/*-f-qr-code-numeric-value-*.txt"))):
    open(f"{seeds}/shc/{n}", "w").write(open(f).read().strip())
open(f"{seeds}/health_code/0", "w").write("MK1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE$VK G2EY2-QM")
PY

for target in cbor base45 inflate cose eu_dcc shc health_code http; do
  work="$build/work/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus"
  echo "fuzz_$target: ${seconds}s"
  (cd "$work" && "$build/fuzz_$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=0 -seed="$fuzz_seed" corpus "$seeds/$target" $(ls -d "$root/fuzz/seeds/$target" 2>/dev/null) \
     >"$work/log" 2>&1) || {
    echo "fuzz_$target FAILED; log and reproducer in $work"; tail -40 "$work/log"; exit 1; }
  grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$work/log" | tail -1 || true
done
echo "fuzz: all targets ran ${seconds}s without a finding"
