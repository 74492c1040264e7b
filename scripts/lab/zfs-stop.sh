#!/usr/bin/env bash
# zfs-stop.sh - stop the zfs-fuse that zfs-start.sh started and lazy-unmount leftovers.
# Usage: zfs-stop.sh
#   Env: LAB_ROOT, ZFS_FUSE_PIDFILE, ZFS_SOCKET (see common.sh).
#   Pools are left imported in zfs-fuse's cache; destroy lab pools first (pool-destroy.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -eq 0 ]] || usage_die "zfs-stop.sh   (no arguments; env LAB_ROOT etc.)"
need_root

if kernel_zfs && ! pid_alive "$ZFS_FUSE_PIDFILE" >/dev/null; then
    log "kernel ZFS in use, no zfs-fuse of ours: nothing to do"
    exit 0
fi

if pid_alive "$ZFS_FUSE_PIDFILE" >/dev/null; then
    # Unmount cleanly while the daemon still answers. On a hung pool the unmount can block in
    # uninterruptible sleep (no timeout ends it): run it in the background and go on after
    # ZFS_STOP_UNMOUNT_WAIT seconds; killing zfs-fuse then releases it.
    zfs unmount -a </dev/null >/dev/null 2>&1 &
    upid=$!
    if wait_for "${ZFS_STOP_UNMOUNT_WAIT:-20}" "zfs unmount -a" bash -c "! kill -0 $upid"; then
        wait "$upid" || warn "zfs unmount -a failed (busy pool?)"
    else
        warn "zfs unmount -a blocks (hung pool?); killing zfs-fuse anyway"
    fi
fi
stop_pidfile "$ZFS_FUSE_PIDFILE" zfs-fuse 15

stale="$(awk '$3 == "fuse.zfs" { print $2 }' /proc/mounts)"
if [[ -n "$stale" ]]; then
    while IFS= read -r m; do
        m="$(printf '%b' "$m")"
        log "lazy-unmounting leftover $m"
        umount -l "$m" || warn "umount -l $m failed"
    done <<<"$stale"
fi
if grep -qs ' /zfs-kstat ' /proc/mounts; then
    log "lazy-unmounting /zfs-kstat"
    umount -l /zfs-kstat || warn "umount -l /zfs-kstat failed"
fi
alive=0
for p in $(pgrep -x zfs-fuse || true); do proc_alive "$p" && alive=1; done
if [[ -e "$ZFS_SOCKET" ]] && ((alive == 0)); then
    rm -f "$ZFS_SOCKET"
    log "removed $ZFS_SOCKET"
fi
log "zfs-fuse stopped"
