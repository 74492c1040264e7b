#!/usr/bin/env bash
# common.sh - helpers sourced by the scripts in scripts/lab/. Not meant to be run.
# Usage: source "$(dirname "$0")/common.sh"
#
# Every path can be overridden from the environment:
#   LAB_ROOT           root of all lab state      (default /var/tmp/dplaneos-lab)
#   LAB_BYID_DIR       where by-id symlinks go    (default /dev/disk/by-id)
#   LAB_DISK_PREFIX    by-id link name prefix     (default ata-DPLANE_LAB_)
#   ZFS_FUSE_PIDFILE   pidfile of our zfs-fuse    (default $LAB_ROOT/zfs-fuse.pid)
#   ZFS_FUSE_LOG       zfs-fuse stdout/stderr     (default $LAB_ROOT/zfs-fuse.log)
#   ZFS_SOCKET         zfs-fuse control socket    (default /run/zfs/zfs_socket)

# shellcheck disable=SC2034  # variables are used by the scripts that source this file
LAB_ROOT="${LAB_ROOT:-/var/tmp/dplaneos-lab}"
LAB_BYID_DIR="${LAB_BYID_DIR:-/dev/disk/by-id}"
LAB_DISK_PREFIX="${LAB_DISK_PREFIX:-ata-DPLANE_LAB_}"
ZFS_FUSE_PIDFILE="${ZFS_FUSE_PIDFILE:-$LAB_ROOT/zfs-fuse.pid}"
ZFS_FUSE_LOG="${ZFS_FUSE_LOG:-$LAB_ROOT/zfs-fuse.log}"
ZFS_SOCKET="${ZFS_SOCKET:-/run/zfs/zfs_socket}"

export LANG=C LC_ALL=C

LAB_SCRIPT="$(basename "${0:-lab}" .sh)"
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[%s] %s\n' "$LAB_SCRIPT" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$LAB_SCRIPT" "$*" >&2; }
die() {
    printf '[%s] ERROR: %s\n' "$LAB_SCRIPT" "$*" >&2
    exit 1
}

# usage_die "<usage text>" - print the usage line and exit 2.
usage_die() {
    printf 'usage: %s\n' "$*" >&2
    exit 2
}

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root"; }

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "missing command '$c' (apt-get install -y ...)"
    done
}

# wait_for <seconds> <description> <command...>
# Runs the command (output discarded) every 0.5 s until it succeeds or the time runs out.
wait_for() {
    local secs="$1" what="$2"
    shift 2
    local deadline=$((SECONDS + secs))
    while ! "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            warn "timed out after ${secs}s waiting for: $what"
            return 1
        fi
        sleep 0.5
    done
    return 0
}

# run_timeout <seconds> <command...> - a command that could block on a hung pool.
run_timeout() {
    local secs="$1"
    shift
    timeout --kill-after=5 "$secs" "$@"
}

# pid_alive <pidfile> - true if the pidfile names a live process that was already running when
# the pidfile was written; prints the pid. A pidfile left in $LAB_ROOT (under /var/tmp, which
# survives a reboot) can name a pid that an unrelated, younger process now has: that one is
# neither "already running" nor ours to kill.
pid_alive() {
    local f="$1" pid started written
    [[ -s "$f" ]] || return 1
    pid="$(tr -dc '0-9' <"$f")"
    [[ -n "$pid" ]] || return 1
    proc_alive "$pid" || return 1
    started="$(proc_start_epoch "$pid")" || return 1
    written="$(stat -c %Y "$f")" || return 1
    # start times are in clock ticks since boot, boot time in whole seconds: allow 2 s
    ((started <= written + 2)) || return 1
    printf '%s\n' "$pid"
}

# proc_start_epoch <pid> - when the process started, in seconds since the epoch.
proc_start_epoch() {
    local ticks boot hz
    # field 22 of stat, counted after the command name (which may contain spaces)
    ticks="$(sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $20 }')" || return 1
    [[ -n "$ticks" ]] || return 1
    boot="$(awk '/^btime / { print $2 }' /proc/stat)"
    hz="$(getconf CLK_TCK)"
    printf '%s\n' $((boot + ticks / hz))
}

# proc_alive <pid> - true if the process exists and is not a zombie.
proc_alive() {
    local st
    st="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ -n "$st" && "$st" != Z ]]
}

# stop_pidfile <pidfile> <name> [timeout] - TERM the process, then KILL after the timeout.
stop_pidfile() {
    local f="$1" name="$2" secs="${3:-20}" pid
    if ! pid="$(pid_alive "$f")"; then
        log "$name not running (no live pid in $f)"
        rm -f "$f"
        return 0
    fi
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + secs))
    while proc_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            warn "$name (pid $pid) did not stop in ${secs}s, sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.5
    done
    rm -f "$f"
}

# wait_port <port> <seconds> - wait until something listens on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { wait_for "$2" "127.0.0.1:$1 to listen" port_open "$1"; }

# True when the kernel ZFS module is loaded and usable (then zfs-fuse is not needed).
kernel_zfs() { [[ -d /sys/module/zfs ]] && zpool list >/dev/null 2>&1; }

# Pool-related paths.
pool_dir() { printf '%s/%s\n' "$LAB_ROOT" "$1"; }
pool_link() { printf '%s/%s%s_%s\n' "$LAB_BYID_DIR" "$LAB_DISK_PREFIX" "$1" "$2"; }
pool_exists() { run_timeout 20 zpool list -H -o name "$1" >/dev/null 2>&1; }
is_mountpoint() { mountpoint -q "$1" 2>/dev/null; }

# Pool names: keep them to a safe character set (they end up in paths and link names).
check_pool_name() {
    [[ "$1" =~ ^[A-Za-z][A-Za-z0-9_.-]*$ ]] || die "bad pool name '$1'"
}

# Background writer of the `hang` fault (fault.sh): its pidfile lives outside the pool's tmpfs.
hang_pidfile() { printf '%s/%s.hang.pid\n' "$LAB_ROOT" "$1"; }
hang_logfile() { printf '%s/%s.hang.log\n' "$LAB_ROOT" "$1"; }

# recover_tmpfs_pool <pool> - if the pool's files sit on a tmpfs, grow the tmpfs so that every
# file fits fully (at least LAB_RECOVER_TMPFS_SIZE, default 300m) and `zpool clear` the pool.
# Blocked writers then finish. Safe to call on a healthy pool.
recover_tmpfs_pool() {
    local pool="$1" dir want_mb total=0 f sz
    dir="$(pool_dir "$pool")"
    is_mountpoint "$dir" || return 0
    want_mb="${LAB_RECOVER_TMPFS_SIZE:-300m}"
    want_mb="${want_mb%[mM]}"
    for f in "$dir"/d*; do
        [[ -f "$f" ]] || continue
        sz="$(stat -c %s "$f")"
        total=$((total + sz))
    done
    total=$((total / 1048576 + 64))
    ((total > want_mb)) && want_mb=$total
    log "remounting tmpfs $dir with size=${want_mb}m"
    mount -o "remount,size=${want_mb}m" "$dir"
    pool_exists "$pool" || return 0
    local attempt
    for attempt in 1 2 3; do
        log "zpool clear $pool (attempt $attempt)"
        run_timeout 60 zpool clear "$pool" && return 0
        sleep 2
    done
    # Seen on zfs-fuse: the pool got suspended ("pool I/O is currently suspended", ZFS-8000-JQ)
    # and every `zpool clear` fails with "I/O error". Only restarting zfs-fuse ends the blocked
    # writers; it re-imports the pool from its last good txg.
    if [[ "${LAB_HANG_RESTART:-1}" == 1 ]] && pid_alive "$ZFS_FUSE_PIDFILE" >/dev/null; then
        warn "zpool clear $pool keeps failing: restarting zfs-fuse to release the hung pool"
        "$LAB_DIR/zfs-stop.sh" && "$LAB_DIR/zfs-start.sh"
    else
        warn "zpool clear $pool failed and zfs-fuse is not ours to restart; pool stays hung"
        return 1
    fi
}

# stop_hang_writer <pool> - end the background writer of the `hang` fault, if any.
# It is in uninterruptible sleep while the pool hangs: call recover_tmpfs_pool first.
stop_hang_writer() {
    local pool="$1" f pid
    f="$(hang_pidfile "$pool")"
    if pid="$(pid_alive "$f")"; then
        log "stopping hang writer (pid $pid)"
        kill -KILL "$pid" 2>/dev/null || true
        # Also its dd child (the pidfile names the wrapping subshell).
        pkill -KILL -P "$pid" 2>/dev/null || true
        wait_for 60 "hang writer $pid to exit" bash -c "[ ! -d /proc/$pid ] || grep -q '^State:.*Z' /proc/$pid/status" ||
            warn "hang writer $pid still alive (pool still hung?)"
    fi
    rm -f "$f" "$(hang_logfile "$pool")"
}

# Docker lab daemon paths.
DOCKER_ROOT="${DOCKER_ROOT:-$LAB_ROOT/docker}"
DOCKER_SOCK="${DOCKER_SOCK:-$DOCKER_ROOT/docker.sock}"
DOCKER_PIDFILE="${DOCKER_PIDFILE:-$DOCKER_ROOT/dockerd.pid}"
DOCKER_LOG="${DOCKER_LOG:-$DOCKER_ROOT/dockerd.log}"
DOCKER_LAB_IMAGE="${DOCKER_LAB_IMAGE:-dplaneos-lab/busybox:1}"
lab_docker() { docker -H "unix://$DOCKER_SOCK" "$@"; }

# Samba lab daemon paths.
SAMBA_ROOT="${SAMBA_ROOT:-$LAB_ROOT/samba}"
SAMBA_CONF="${SAMBA_CONF:-$SAMBA_ROOT/smb.conf}"
SAMBA_PORT="${SAMBA_PORT:-4450}"

# ensure_packages <package...> - apt-get install the Debian packages that are not installed yet.
ensure_packages() {
    local package missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    log "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
