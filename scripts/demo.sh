#!/usr/bin/env bash
# Runs dplaned in the foreground on a lab pool with the embedded (SQLite) database.
# On a fresh machine, as root: installs what is missing, starts zfs-fuse (unless kernel ZFS
# is there), creates or reuses the mirrored lab pool `demo`, builds the daemon and runs it on
# 127.0.0.1:<port> with data dir <data-dir>. Ctrl+C stops it (the pool stays for next time;
# remove it with scripts/lab/pool-destroy.sh demo).
#
# usage: scripts/demo.sh [--port 9000] [--data-dir ./var/demo]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=9000
data_dir=$repo/var/demo
while (($#)); do
  case $1 in
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --data-dir) data_dir=${2:?--data-dir needs a value}; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1'" >&2; echo "usage: scripts/demo.sh [--port 9000] [--data-dir ./var/demo]" >&2; exit 2 ;;
  esac
done
[[ $port =~ ^[0-9]+$ ]] || { echo "demo.sh: --port must be a number" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "demo.sh: run as root (ZFS pools and /dev/disk/by-id links)" >&2; exit 1; }
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)

# shellcheck source-path=SCRIPTDIR source=lab/common.sh
source "$repo/scripts/lab/common.sh"
ensure_packages zfs-fuse smartmontools samba-common-bin curl
command -v dotnet >/dev/null || { log "the .NET 10 SDK (dotnet) is required"; exit 1; }

"$repo/scripts/lab/zfs-start.sh"
"$repo/scripts/lab/pool-create.sh" demo --layout mirror --disks 2 --size 256M >/dev/null
log "pool 'demo' ready:"
zpool status demo

log "building dplaned (Release)"
dotnet build "$repo/src/Gateway/DPlaneOS.Gateway.csproj" -c Release -nologo -v quiet
binary=$repo/src/Gateway/bin/Release/net10.0/dplaned.dll

dotnet "$binary" --urls "http://127.0.0.1:$port" --data-dir "$data_dir" &
daemon=$!
trap 'kill -TERM "$daemon" 2>/dev/null; wait "$daemon"' INT TERM

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$daemon" 2>/dev/null || { wait "$daemon"; exit 1; }
  sleep 0.5
done

cat <<INFO

[demo] dplaned is running on http://127.0.0.1:$port (pid $daemon), data dir $data_dir
[demo] The admin API token was written at first start to: $data_dir/api-token (mode 0600)
[demo] Try:
         curl -s -H "Authorization: Bearer \$(cat $data_dir/api-token)" http://127.0.0.1:$port/api/zfs/health
[demo] API reference: http://127.0.0.1:$port/docs/ (with the token), OpenAPI: /openapi/v1.json
[demo] Ctrl+C stops the daemon.

INFO
wait "$daemon"
