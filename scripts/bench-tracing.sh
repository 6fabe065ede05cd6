#!/usr/bin/env bash
# Runs `mekong bench tracing` with a throwaway PostgreSQL 15 on a loopback port (the same
# fixture the tests use), removed afterwards. Arguments go to the benchmark, e.g.
#   scripts/bench-tracing.sh --people 1000000 --venues 100000 --checkins 10000000
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MEKONG_BIN:-$here/build/apps/mekong/mekong}"
dir="$(mktemp -d /tmp/mekong-bench-pg.XXXXXX)"
trap '"$here/scripts/pg-fixture.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
"$here/scripts/pg-fixture.sh" start "$dir" >/dev/null
url="$(cat "$dir/url")"
psql "$url" -q -c "CREATE DATABASE bench"
"$bin" bench tracing --pg-url "${url%/*}/bench" "$@"
