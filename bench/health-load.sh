#!/usr/bin/env bash
# Load harness for issue 2's target: GET /api/zfs/health at 16 keep-alive connections for 10 s
# on loopback, against a Release build of dplaned on a real lab pool. Reports req/s, p50, p99
# (wrk --latency) and the daemon's resident memory (VmRSS, VmHWM) after the run.
# Target on the 2-core machine: >= 10,000 req/s with p99 < 10 ms.
#
# usage: bench/health-load.sh [--connections 16] [--duration 10s] [--threads 2]
# Needs root (lab pool); installs wrk if missing. Loopback only; bounded by --duration.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
connections=16 duration=10s threads=2 port=9400
while (($#)); do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: bench/health-load.sh [--connections 16] [--duration 10s] [--threads 2]" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
"$repo/scripts/lab/zfs-start.sh" >/dev/null
"$repo/scripts/lab/pool-create.sh" benchpool --layout mirror --disks 2 --size 128M >/dev/null
dotnet build "$repo/src/Gateway/DPlaneOS.Gateway.csproj" -c Release -nologo -v quiet

data_dir=$(mktemp -d /tmp/dplaned-bench-XXXXXX)
DPlaneOS__Logging__MinimumLevel=Warning dotnet "$repo/src/Gateway/bin/Release/net10.0/dplaned.dll" \
  --urls "http://127.0.0.1:$port" --data-dir "$data_dir" >"$data_dir/daemon.log" 2>&1 &
daemon=$!
cleanup() {
  kill -TERM "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  "$repo/scripts/lab/pool-destroy.sh" benchpool >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
token=$(cat "$data_dir/api-token")
url="http://127.0.0.1:$port/api/zfs/health"
# Wait for the first status read so the body is the real report, then warm up the JIT.
until curl -fsS -H "Authorization: Bearer $token" "$url" | grep -q '"name":"benchpool"'; do sleep 0.5; done
wrk -t "$threads" -c "$connections" -d 3s -H "Authorization: Bearer $token" "$url" >/dev/null

echo "== GET /api/zfs/health, $connections connections, $threads wrk threads, $duration, body $(curl -fsS -H "Authorization: Bearer $token" "$url" | wc -c) bytes"
wrk -t "$threads" -c "$connections" -d "$duration" --latency -H "Authorization: Bearer $token" "$url" | tee "$data_dir/wrk.txt"
echo "== daemon memory after the run"
grep -E '^(VmRSS|VmHWM)' "/proc/$daemon/status"
rps=$(awk '/^Requests\/sec/ {print $2}' "$data_dir/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$data_dir/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$data_dir/wrk.txt")
echo "== summary: req/s=$rps p50=$p50 p99=$p99 rss=$(awk '/^VmRSS/ {print $2 $3}' "/proc/$daemon/status")"
