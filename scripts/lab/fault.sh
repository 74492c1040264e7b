#!/usr/bin/env bash
# fault.sh - inject or undo a fault on a lab pool made by pool-create.sh.
# Usage: fault.sh <inject|undo> <degraded|cksum|hang|readonly> <pool> [vdev]
#   degraded  inject: zpool offline <vdev>          undo: zpool online <vdev>
#   cksum     inject: write some data, dd random bytes into the middle of the vdev's file,
#                     zpool scrub (waits for it)    undo: zpool clear + scrub (waits)
#   hang      inject: fill the pool in the background (dd) until writes block; the pool must
#                     be made with pool-create.sh --tmpfs
#             undo:   remount the tmpfs bigger + zpool clear, stop the writer, wait for ONLINE
#   readonly  inject: zfs set readonly=on           undo: zfs set readonly=off
#   [vdev] is a by-id path, a path as shown by zpool status, or a disk number (1..N);
#   default: the pool's last disk.
#   Env: LAB_ROOT, LAB_BYID_DIR, LAB_DISK_PREFIX, FAULT_TIMEOUT (default 120 s),
#        CKSUM_SEEK_MB / CKSUM_COUNT_MB (default 8 / 60), CKSUM_DATA_MB (default 64).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

USAGE="fault.sh <inject|undo> <degraded|cksum|hang|readonly> <pool> [vdev]"
[[ $# -ge 3 && $# -le 4 ]] || usage_die "$USAGE"
action="$1" fault="$2" pool="$3" vdev_arg="${4:-}"
case "$action" in inject | undo) ;; *) usage_die "$USAGE" ;; esac
check_pool_name "$pool"
need_root
need_cmd zpool zfs dd
FAULT_TIMEOUT="${FAULT_TIMEOUT:-120}"
CKSUM_SEEK_MB="${CKSUM_SEEK_MB:-8}"
CKSUM_COUNT_MB="${CKSUM_COUNT_MB:-60}"
CKSUM_DATA_MB="${CKSUM_DATA_MB:-64}"
dir="$(pool_dir "$pool")"

pool_exists "$pool" || die "pool $pool does not exist"

# Resolve the vdev to a by-id link path (zpool accepts it; status shows it without /dev/).
vdev_link() {
    local a="$vdev_arg" n
    if [[ -z "$a" ]]; then
        n=0
        while [[ -L "$(pool_link "$pool" $((n + 1)))" ]]; do n=$((n + 1)); done
        ((n > 0)) || die "no by-id links for pool $pool under $LAB_BYID_DIR"
        pool_link "$pool" "$n"
    elif [[ "$a" =~ ^[0-9]+$ ]]; then
        pool_link "$pool" "$a"
    elif [[ "$a" == /* ]]; then
        printf '%s\n' "$a"
    else
        printf '/dev/%s\n' "$a"
    fi
}

# `zfs get` fails ("pool I/O is currently suspended") on a hung pool: fall back to the default.
mountpoint_of() {
    zfs get -H -o value mountpoint "$pool" 2>/dev/null || printf '%s/mnt/%s\n' "$LAB_ROOT" "$pool"
}
status() { run_timeout 30 zpool status "$pool"; }

wait_scrub() {
    wait_for "$FAULT_TIMEOUT" "scrub/resilver of $pool to finish" \
        bash -c "! zpool status '$pool' | grep -q 'in progress'"
}

case "$fault" in
degraded)
    v="$(vdev_link)"
    if [[ "$action" == inject ]]; then
        zpool offline "$pool" "$v"
        log "zpool offline $pool $v"
    else
        zpool online "$pool" "$v"
        log "zpool online $pool $v"
        wait_scrub || true
    fi
    ;;
cksum)
    if [[ "$action" == inject ]]; then
        v="$(vdev_link)"
        f="$(readlink -f "$v")"
        [[ -f "$f" ]] || die "$v does not resolve to a file ($f)"
        m="$(mountpoint_of)"
        if [[ ! -e "$m/cksum-data.bin" ]]; then
            dd if=/dev/urandom of="$m/cksum-data.bin" bs=1M count="$CKSUM_DATA_MB" status=none
            sync
            log "wrote ${CKSUM_DATA_MB}M of data to $m/cksum-data.bin"
        fi
        dd if=/dev/urandom of="$f" bs=1M seek="$CKSUM_SEEK_MB" count="$CKSUM_COUNT_MB" \
            conv=notrunc status=none
        sync
        log "overwrote ${CKSUM_COUNT_MB}M at offset ${CKSUM_SEEK_MB}M of $f ($v) with random bytes"
    else
        zpool clear "$pool"
        log "zpool clear $pool"
    fi
    zpool scrub "$pool"
    log "zpool scrub $pool started; waiting"
    wait_scrub || die "scrub did not finish in ${FAULT_TIMEOUT}s"
    log "scrub finished"
    ;;
hang)
    is_mountpoint "$dir" || die "pool $pool is not on a tmpfs ($dir); create it with pool-create.sh --tmpfs"
    pf="$(hang_pidfile "$pool")"
    if [[ "$action" == inject ]]; then
        m="$(mountpoint_of)"
        if pid="$(pid_alive "$pf")"; then
            log "hang writer already running (pid $pid)"
        else
            # Detached so that this script returns while the writer blocks in D state.
            nohup setsid dd if=/dev/urandom of="$m/hang-fill.bin" bs=1M \
                </dev/null >"$(hang_logfile "$pool")" 2>&1 &
            echo $! >"$pf"
            log "started hang writer (pid $!) filling $m/hang-fill.bin"
        fi
        start=$SECONDS
        if wait_for "$FAULT_TIMEOUT" "WRITE errors on $pool" \
            bash -c "zpool status '$pool' | awk '\$4 ~ /^[1-9]/ { f = 1 } END { exit !f }'"; then
            log "pool $pool has write errors after $((SECONDS - start))s; writes now block"
        else
            warn "no write errors seen on $pool yet"
        fi
    else
        recover_tmpfs_pool "$pool"
        stop_hang_writer "$pool"
        m="$(mountpoint_of)"
        rm -f "$m/hang-fill.bin" || true
        wait_scrub || true
        if wait_for "$FAULT_TIMEOUT" "$pool to be ONLINE" \
            bash -c "[ \"\$(zpool list -H -o health '$pool')\" = ONLINE ]"; then
            log "pool $pool is ONLINE again"
        else
            warn "pool $pool is $(zpool list -H -o health "$pool") after recovery"
        fi
    fi
    ;;
readonly)
    val=on
    [[ "$action" == undo ]] && val=off
    zfs set "readonly=$val" "$pool"
    log "zfs set readonly=$val $pool"
    ;;
*) usage_die "$USAGE" ;;
esac
