#!/usr/bin/env bash
# A Coordinator cluster on this machine, for a developer or an evaluator: a private PostgreSQL and N nodes
# on loopback, linked by mutual TLS with a throwaway CA. Everything (data, logs, pids, the bootstrap token,
# the CA and node certificates) lives in one folder; `down` removes it.
#
#   deploy/local/cluster.sh up [N]    start PostgreSQL and N nodes (default 3), wait until they are ready
#   deploy/local/cluster.sh status    each node's process, readiness and the members it sees
#   deploy/local/cluster.sh down      stop the nodes (SIGTERM: they leave the cluster) and PostgreSQL
#
# Settings (environment): COORD_CLUSTER_DIR (default $TMPDIR/coordinator-cluster), COORD_HTTP_BASE (5081:
# node i answers on 5080+i), COORD_AKKA_BASE (4053: node i on 4052+i), COORD_PG_PORT (5440),
# COORD_NODE_DLL (a built Coordinator.Node.dll; default: build one into the folder).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
state=${COORD_CLUSTER_DIR:-${TMPDIR:-/tmp}/coordinator-cluster}
http_base=${COORD_HTTP_BASE:-5081}
akka_base=${COORD_AKKA_BASE:-4053}
pg_port=${COORD_PG_PORT:-5440}

say() { printf '%s\n' "$*"; }
die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "PostgreSQL is not installed (apt-get install -y postgresql)"
  printf '%s' "$bin"
}

# As the postgres user when we are root (PostgreSQL refuses to run as root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_get() { # path port [token] → body, fails unless 2xx
  local auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  curl -fsS --max-time 5 "${auth[@]}" "http://127.0.0.1:$2$1"
}

node_count() { ls "$state"/node*.pid 2>/dev/null | wc -l; }

up() {
  local n=${1:-3}
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "N must be 1-99, not '$n'"
  [ -e "$state/pg.port" ] && die "already up in $state (cluster.sh down first)"
  command -v curl >/dev/null || die "curl is needed"
  command -v openssl >/dev/null || die "openssl is needed"
  for i in $(seq 1 "$n"); do
    port_free $((http_base + i - 1)) || die "port $((http_base + i - 1)) is taken (set COORD_HTTP_BASE)"
    port_free $((akka_base + i - 1)) || die "port $((akka_base + i - 1)) is taken (set COORD_AKKA_BASE)"
  done
  port_free "$pg_port" || die "port $pg_port is taken (set COORD_PG_PORT)"
  mkdir -p "$state" && chmod 700 "$state"

  # Mutual TLS between the nodes: a throwaway CA and one certificate per node, gone with the folder.
  "$root/deploy/tls/make-certs.sh" "$state/tls" $(seq -f 'node%g' 1 "$n") >"$state/make-certs.log" 2>&1 \
    || die "could not make the nodes' certificates: $state/make-certs.log"

  local dll=${COORD_NODE_DLL:-}
  if [ -z "$dll" ]; then
    say "building the node into $state/bin …"
    dotnet build "$root/src/Coordinator.Node" -c Release -o "$state/bin" -v quiet -nologo >"$state/build.log" 2>&1 || die "build failed: $state/build.log"
    dll="$state/bin/Coordinator.Node.dll"
  fi
  [ -f "$dll" ] || die "no node at $dll"

  local bin; bin=$(pg_bin)
  mkdir -p "$state/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$state" "$state/pg"
  as_pg "$bin/initdb" -D "$state/pg/data" -A trust -U postgres -E UTF8 --no-sync >"$state/pg/initdb.log" 2>&1 || die "initdb failed: $state/pg/initdb.log"
  as_pg "$bin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $state/pg -c listen_addresses=127.0.0.1" start >/dev/null || die "PostgreSQL did not start: $state/pg/server.log"
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres coordinator
  echo "$pg_port" >"$state/pg.port"

  # One signing key for every node (tokens work on all of them) and a bootstrap token for the first lead.
  head -c 48 /dev/urandom | base64 | tr -d '\n' >"$state/signing-key"
  head -c 48 /dev/urandom | base64 | tr -d '/+=\n' >"$state/bootstrap-token"
  chmod 600 "$state/signing-key" "$state/bootstrap-token"

  local seeds=""
  for i in $(seq 1 "$n"); do seeds+="${seeds:+,}akka.ssl.tcp://coordinator@127.0.0.1:$((akka_base + i - 1))"; done
  for i in $(seq 1 "$n"); do
    Coordinator__Persistence__Provider=postgres \
    Coordinator__Persistence__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=coordinator" \
    Coordinator__Cluster__Hostname=127.0.0.1 \
    Coordinator__Cluster__Port=$((akka_base + i - 1)) \
    Coordinator__Cluster__Seeds="$seeds" \
    Coordinator__Cluster__Tls__Certificate="$state/tls/node$i.crt" \
    Coordinator__Cluster__Tls__PrivateKey="$state/tls/node$i.key" \
    Coordinator__Cluster__Tls__Authority="$state/tls/ca.crt" \
    Coordinator__Auth__SigningKey="$(cat "$state/signing-key")" \
    Coordinator__Auth__BootstrapToken="$(cat "$state/bootstrap-token")" \
    Coordinator__Auth__DataFolder="$state/node$i" \
      nohup dotnet "$dll" --urls "http://127.0.0.1:$((http_base + i - 1))" >"$state/node$i.log" 2>&1 &
    echo $! >"$state/node$i.pid"
    echo $((http_base + i - 1)) >"$state/node$i.port"
    # The first seed forms the cluster; the others join it once it answers.
    if [ "$i" = 1 ]; then wait_ready 1; fi
  done
  for i in $(seq 2 "$n"); do wait_ready "$i"; done
  say "up: $n node(s); PostgreSQL on 127.0.0.1:$pg_port; everything in $state"
  for i in $(seq 1 "$n"); do say "  node$i  http://127.0.0.1:$((http_base + i - 1))  (log: $state/node$i.log)"; done
  say "bootstrap token (lead and admin): $state/bootstrap-token"
  say "  export COORD_SERVER=http://127.0.0.1:$http_base COORD_TOKEN=\$(cat $state/bootstrap-token)"
}

wait_ready() {
  local i=$1 port; port=$(cat "$state/node$i.port")
  for _ in $(seq 1 240); do
    kill -0 "$(cat "$state/node$i.pid")" 2>/dev/null || die "node$i exited: $(tail -n 20 "$state/node$i.log")"
    http_get /healthz/ready "$port" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "node$i not ready after 120 s: $state/node$i.log"
}

status() {
  [ -e "$state/pg.port" ] || die "not up ($state)"
  local token; token=$(cat "$state/bootstrap-token")
  say "PostgreSQL 127.0.0.1:$(cat "$state/pg.port")"
  for pidfile in "$state"/node*.pid; do
    local name pid port ready
    name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile"); port=$(cat "$state/$name.port")
    if kill -0 "$pid" 2>/dev/null; then
      ready=$(http_get /healthz/ready "$port" >/dev/null 2>&1 && echo ready || echo "not ready")
      say "$name  pid $pid  http://127.0.0.1:$port  $ready"
    else
      say "$name  pid $pid  http://127.0.0.1:$port  exited"
    fi
  done
  for pidfile in "$state"/node*.pid; do
    local name port; name=$(basename "$pidfile" .pid); port=$(cat "$state/$name.port")
    if members=$(http_get /api/admin/cluster "$port" "$token" 2>/dev/null); then
      say "members seen by $name:"
      printf '%s' "$members" | grep -o '"address":"[^"]*","status":"[^"]*"' | sed 's/"address":"\([^"]*\)","status":"\([^"]*\)"/  \1  \2/'
      return 0
    fi
  done
  say "no node answers"
}

down() {
  [ -d "$state" ] || { say "not up ($state)"; return 0; }
  for pidfile in "$state"/node*.pid; do
    [ -e "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true # graceful: leaves the cluster, hands its shards over
  done
  for pidfile in "$state"/node*.pid; do
    [ -e "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -d "$state/pg/data" ]; then as_pg "$(pg_bin)/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$state"
  say "down: nodes and PostgreSQL stopped, $state removed"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  status) status ;;
  down) down ;;
  *) say "usage: $0 up [N] | status | down"; exit 2 ;;
esac
