#!/usr/bin/env bash
# pool-destroy.sh - destroy a lab pool made by pool-create.sh and remove everything it left.
# Usage: pool-destroy.sh <pool>
#   Recovers a hung tmpfs pool first (grow tmpfs, zpool clear), stops the hang writer,
#   `zpool destroy -f`, unmounts the tmpfs, removes files, mountpoint dir and by-id links.
#   Succeeds when the pool is already gone (only removes leftovers).
#   Env: LAB_ROOT, LAB_BYID_DIR, LAB_DISK_PREFIX, LAB_RECOVER_TMPFS_SIZE (default 300m),
#        LAB_FORCE_LEFTOVERS=1 (only remove files/links when ZFS does not answer),
#        LAB_HANG_RESTART=0 (never restart zfs-fuse to free a pool that `zpool clear` cannot).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -eq 1 && "$1" != -* ]] || usage_die "pool-destroy.sh <pool>"
pool="$1"
check_pool_name "$pool"
need_root
need_cmd zpool zfs
dir="$(pool_dir "$pool")"

# Without a running ZFS we cannot tell whether the pool exists; removing its files then would
# leave it in zfs-fuse's zpool.cache, to come back UNAVAIL on the next start.
if ! run_timeout 20 zpool list >/dev/null 2>&1 && [[ "${LAB_FORCE_LEFTOVERS:-0}" != 1 ]]; then
    die "zpool does not answer: start ZFS first (zfs-start.sh), or set LAB_FORCE_LEFTOVERS=1"
fi

recover_tmpfs_pool "$pool"
stop_hang_writer "$pool"

mnt=""
if pool_exists "$pool"; then
    mnt="$(zfs get -H -o value mountpoint "$pool" 2>/dev/null || true)"
    # zfs-fuse sometimes answers "pool is busy" once (seen right after creation): retry.
    for attempt in 1 2 3 4 5; do
        log "zpool destroy -f $pool (attempt $attempt)"
        if run_timeout 120 zpool destroy -f "$pool"; then
            break
        fi
        pool_exists "$pool" || break
        ((attempt < 5)) || die "zpool destroy -f $pool failed"
        run_timeout 30 zfs unmount -f "$pool" 2>/dev/null || true
        sleep 2
    done
else
    log "pool $pool does not exist (removing leftovers only)"
fi
for m in "$mnt" "$LAB_ROOT/mnt/$pool"; do
    [[ -n "$m" && "$m" == /* && -d "$m" ]] || continue
    if is_mountpoint "$m"; then
        umount -l "$m" || warn "umount -l $m failed"
    fi
    rmdir "$m" 2>/dev/null || true
done

if is_mountpoint "$dir"; then
    umount "$dir" || umount -l "$dir"
    log "unmounted tmpfs $dir"
fi
if [[ -d "$dir" ]]; then
    rm -f "$dir"/d*
    rmdir "$dir" 2>/dev/null || warn "$dir not empty, left in place"
fi
n=0
for l in "$LAB_BYID_DIR/${LAB_DISK_PREFIX}${pool}_"*; do
    [[ -L "$l" ]] || continue
    rm -f "$l"
    n=$((n + 1))
done
log "removed $n by-id link(s); pool $pool gone"
