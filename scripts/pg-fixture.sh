#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 for the tests, on a free loopback port.
#   pg-fixture.sh start DIR   initdb a new cluster, start it, write its admin URL to DIR/url
#   pg-fixture.sh stop DIR    stop that cluster and remove it
# initdb and postgres refuse to run as root, so as root they run as the postgres user, in a
# folder under /tmp that it owns (the checkout itself may not be readable by it).
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?directory}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  [ -f "$dir/cluster" ] || return 0
  local cluster
  cluster=$(cat "$dir/cluster")
  if [ -f "$cluster/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$cluster" "$dir/cluster" "$dir/url"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$dir"
    cluster=$(mktemp -d /tmp/mekong-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$cluster"
    echo "$cluster" >"$dir/cluster"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --no-locale >"$cluster/initdb.log"
    # fsync off: a test cluster that dies is simply made again.
    as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
    echo "PostgreSQL test server on 127.0.0.1:$port ($cluster)"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
