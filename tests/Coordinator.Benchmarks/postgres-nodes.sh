#!/usr/bin/env bash
# One node against three nodes on the same kind of PostgreSQL, the same load back to back (issue 7):
#   tests/Coordinator.Benchmarks/postgres-nodes.sh [rate=1000] [seconds=20] [sectors=400] [concurrency=256]
# Each variant gets a fresh private PostgreSQL and fresh nodes from deploy/local/cluster.sh (Release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export Coordinator__Auth__RequestsPerMinute=0   # the load comes from one token: no per-caller limit here
state=${COORD_CLUSTER_DIR:-${TMPDIR:-/tmp}/coordinator-cluster}
dotnet build "$root/tests/Coordinator.Benchmarks" -c Release -v quiet -nologo >/dev/null
export COORD_NODE_DLL="$root/src/Coordinator.Node/bin/Release/net10.0/Coordinator.Node.dll"
bench="$root/tests/Coordinator.Benchmarks/bin/Release/net10.0/Coordinator.Benchmarks.dll"
trap '"$root/deploy/local/cluster.sh" down >/dev/null 2>&1 || true' EXIT
for n in 1 3; do
  "$root/deploy/local/cluster.sh" up "$n"
  urls=$(for i in $(seq 1 "$n"); do printf 'http://127.0.0.1:%s,' "$(cat "$state/node$i.port")"; done)
  COORD_TOKEN=$(cat "$state/bootstrap-token") dotnet "$bench" remote "${urls%,}" "$@"
  "$root/deploy/local/cluster.sh" down
done
