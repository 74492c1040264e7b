#!/usr/bin/env bash
# capture-zfs-fuse-fixtures.sh - recapture the zfs-fuse parser fixtures in every fault state.
# Usage: capture-zfs-fuse-fixtures.sh [OUT_DIR]
#   OUT_DIR default: tests/Zfs.Tests/Fixtures/zfs-fuse (relative to the repository root).
#   Needs zfs-fuse running (zfs-start.sh). Creates and destroys the pools tank, scratch and
#   hung (by-id links ata-DPLANE_LAB_<pool>_<n>); refuses to run if any of them exists.
#   Every fixture is the exact stdout of one command (LANG=C); unsupported-*.txt hold
#   "exit=<code>" and then the command's stderr.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -le 1 && "${1:-}" != -* ]] || usage_die "capture-zfs-fuse-fixtures.sh [OUT_DIR]"
need_root
repo="$(cd "$LAB_DIR/../.." && pwd)"
out="${1:-$repo/tests/Zfs.Tests/Fixtures/zfs-fuse}"
mkdir -p "$out"
L="$LAB_DIR"

for p in tank scratch hung; do
    pool_exists "$p" && die "pool $p exists; destroy it first (pool-destroy.sh $p)"
done

cleanup() {
    "$L/pool-destroy.sh" hung || true
    "$L/pool-destroy.sh" scratch || true
    "$L/pool-destroy.sh" tank || true
}
trap cleanup EXIT

# cap <file> <command...> - stdout of the command, byte for byte.
cap() {
    local f="$1"
    shift
    "$@" >"$out/$f"
    log "captured $f  <-  $*"
}
# cap_or_err <name> <command...> - stdout to <name>.txt when the command succeeds; otherwise
# "exit=<code>" and its stderr to <name>-error.txt (a hung pool may make it fail).
cap_or_err() {
    local n="$1"
    shift
    rm -f "$out/$n.txt" "$out/$n-error.txt"
    if "$@" >"$out/$n.txt" 2>"$out/$n.err"; then
        rm -f "$out/$n.err"
        log "captured $n.txt  <-  $*"
    else
        local rc=$?
        { printf 'exit=%s\n' "$rc"; cat "$out/$n.err"; } >"$out/$n-error.txt"
        rm -f "$out/$n.txt" "$out/$n.err"
        log "captured $n-error.txt (exit $rc)  <-  $*"
    fi
}
# cap_err <file> <command...> - "exit=<code>" then stderr (for unsupported forms).
cap_err() {
    local f="$1" rc=0 so
    shift
    so="$("$@" 2>"$out/$f.err")" || rc=$?
    [[ -z "$so" ]] || warn "$* wrote to stdout too: $so"
    { printf 'exit=%s\n' "$rc"; cat "$out/$f.err"; } >"$out/$f"
    rm -f "$out/$f.err"
    log "captured $f (exit $rc)  <-  $*"
}
wait_scrub() { wait_for 120 "scrub of $1" bash -c "! zpool status '$1' | grep -q 'in progress'"; }

# --- healthy mirror with nested datasets --------------------------------------------------
"$L/pool-create.sh" tank --layout mirror --disks 2 --size 256M
zfs create tank/data
zfs create tank/data/projects
zfs set quota=50M tank/data/projects
zfs create -o mountpoint=none tank/backup
dd if=/dev/urandom of="$LAB_ROOT/mnt/tank/data/projects/blob.bin" bs=1M count=5 status=none
sync
sleep 6 # let a txg sync so that used/available settle
cap zpool-status-mirror-healthy.txt zpool status tank
cap zfs-get-Hp-nested.txt zfs get -Hp -o name,property,value used,available,quota,mountpoint,mounted -r tank

# --- a second pool (raidz1) ---------------------------------------------------------------
"$L/pool-create.sh" scratch --layout raidz1 --disks 3 --size 128M
cap zpool-status-two-pools.txt zpool status
cap zpool-list-H-o-name-size-allocated-free-capacity-health.txt zpool list -H -o name,size,allocated,free,capacity,health
cap zpool-list-default.txt zpool list
cap zpool-iostat-v.txt zpool iostat -v
cap_err unsupported-zpool-list-p.txt zpool list -p
cap_err unsupported-zpool-status-p.txt zpool status -p
cap_err unsupported-zpool-events-H.txt zpool events -H
cap_err unsupported-zpool-iostat-Hp.txt zpool iostat -Hp
"$L/pool-destroy.sh" scratch

# --- degraded: offline the last disk, then online (resilver) ------------------------------
"$L/fault.sh" inject degraded tank
cap zpool-status-mirror-degraded-offline.txt zpool status tank
cap zpool-list-H-degraded.txt zpool list -H -o name,size,allocated,free,capacity,health
"$L/fault.sh" undo degraded tank
cap zpool-status-mirror-online-resilvered.txt zpool status tank

# --- checksum errors: corrupt the middle of disk 2, scrub ----------------------------------
"$L/fault.sh" inject cksum tank
cap zpool-status-mirror-cksum-after-scrub.txt zpool status tank
"$L/fault.sh" undo cksum tank
cap zpool-status-mirror-cksum-cleared-rescrubbed.txt zpool status tank

# --- readonly -----------------------------------------------------------------------------
"$L/fault.sh" inject readonly tank
cap zpool-status-mirror-readonly.txt zpool status tank
cap zfs-get-H-readonly-on.txt zfs get -H readonly tank
rc=0
err="$(touch "$LAB_ROOT/mnt/tank/data/ro-probe" 2>&1)" || rc=$?
printf 'exit=%s\n%s\n' "$rc" "$err" >"$out/readonly-write-probe-touch.txt"
log "captured readonly-write-probe-touch.txt (exit $rc)"
"$L/fault.sh" undo readonly tank

# --- hung / failing writes: mirror on a 40m tmpfs, filled ----------------------------------
"$L/pool-create.sh" hung --layout mirror --disks 2 --size 128M --tmpfs 40m
"$L/fault.sh" inject hang hung
sleep "${HANG_SETTLE:-5}"
cap zpool-status-mirror-hung-writes.txt zpool status hung
cap zpool-status-v-mirror-hung-writes.txt zpool status -v hung
cap_or_err zpool-list-H-hung zpool list -H -o name,size,allocated,free,capacity,health hung
cap_or_err zfs-get-Hp-hung zfs get -Hp -o name,property,value used,available,mounted -r hung
ps -o stat=,wchan:32=,args= -p "$(cat "$(hang_pidfile hung)")" >"$out/hung-writer-ps.txt" || true
"$L/fault.sh" undo hang hung
cap zpool-status-mirror-hung-recovered-resilvered.txt zpool status hung
"$L/pool-destroy.sh" hung

"$L/pool-destroy.sh" tank
trap - EXIT
log "fixtures in $out"
