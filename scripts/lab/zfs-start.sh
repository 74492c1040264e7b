#!/usr/bin/env bash
# zfs-start.sh - make ZFS usable: kernel ZFS if loaded, otherwise (re)start zfs-fuse.
# Usage: zfs-start.sh
#   Env: LAB_ROOT, ZFS_FUSE_PIDFILE, ZFS_FUSE_LOG, ZFS_SOCKET (see common.sh),
#        ZFS_START_TIMEOUT (seconds to wait for `zpool list`, default 30).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -eq 0 ]] || usage_die "zfs-start.sh   (no arguments; env LAB_ROOT etc.)"
need_root
need_cmd zpool zfs
ZFS_START_TIMEOUT="${ZFS_START_TIMEOUT:-30}"

if kernel_zfs; then
    log "kernel ZFS module present and zpool works: nothing to do"
    exit 0
fi
need_cmd zfs-fuse

mount_all() {
    if run_timeout 60 zfs mount -a; then
        log "zfs mount -a done"
    else
        warn "zfs mount -a failed (a pool may be faulted); continuing"
    fi
}

mkdir -p "$LAB_ROOT"

if pid="$(pid_alive "$ZFS_FUSE_PIDFILE")" && run_timeout 10 zpool list >/dev/null 2>&1; then
    log "zfs-fuse already running (pid $pid) and answering"
    mount_all
    exit 0
fi
other=""
for p in $(pgrep -x zfs-fuse || true); do
    proc_alive "$p" && other+="$p " # zombies of a killed zfs-fuse do not count
done
[[ -z "$other" ]] || die "a zfs-fuse not started by us is running (pid(s) $other); stop it first"


# Stale mounts from a killed zfs-fuse stay as "Transport endpoint is not connected".
stale="$(awk '$3 == "fuse.zfs" { print $2 }' /proc/mounts)"
if [[ -n "$stale" ]]; then
    while IFS= read -r m; do
        # /proc/mounts escapes spaces as \040
        m="$(printf '%b' "$m")"
        log "lazy-unmounting stale zfs-fuse mount $m"
        umount -l "$m" || warn "umount -l $m failed"
    done <<<"$stale"
fi
if grep -qs ' /zfs-kstat ' /proc/mounts; then
    log "lazy-unmounting stale /zfs-kstat"
    umount -l /zfs-kstat || warn "umount -l /zfs-kstat failed"
fi
if [[ -e "$ZFS_SOCKET" ]]; then
    log "removing stale socket $ZFS_SOCKET"
    rm -f "$ZFS_SOCKET"
fi
rm -f "$ZFS_FUSE_PIDFILE"

[[ -e /dev/fuse ]] || modprobe fuse 2>/dev/null || true
[[ -e /dev/fuse ]] || die "/dev/fuse missing"

# zfs-fuse takes its lock in /var/lock/zfs and exits 1 without a word when /var/lock is missing
# (a container or chroot whose /run was never populated by systemd-tmpfiles).
mkdir -p "$(readlink -m /var/lock)"

log "starting zfs-fuse (log $ZFS_FUSE_LOG, pidfile $ZFS_FUSE_PIDFILE)"
# Detached from this shell: own session, no terminal, stdin from /dev/null.
nohup setsid zfs-fuse --no-daemon --pidfile "$ZFS_FUSE_PIDFILE" \
    </dev/null >>"$ZFS_FUSE_LOG" 2>&1 &
bgpid=$!

if ! wait_for "$ZFS_START_TIMEOUT" "zpool list to answer" zpool list; then
    tail -n 20 "$ZFS_FUSE_LOG" >&2 || true
    die "zfs-fuse did not answer within ${ZFS_START_TIMEOUT}s"
fi
# zfs-fuse writes its pidfile itself; fall back to the background pid.
if ! pid="$(pid_alive "$ZFS_FUSE_PIDFILE")"; then
    echo "$bgpid" >"$ZFS_FUSE_PIDFILE"
    pid="$bgpid"
fi
log "zfs-fuse running (pid $pid), zpool list answers"
# zfs-fuse re-imports cached pools without mounting them.
mount_all
zpool list -H -o name,health 2>/dev/null | while IFS=$'\t' read -r n h; do
    log "pool $n: $h"
done
