#!/usr/bin/env bash
# pool-create.sh - create a lab zpool on sparse files, reachable via /dev/disk/by-id links.
# Usage: pool-create.sh <pool> [--layout mirror|stripe|raidz1] [--disks N] [--size 256M]
#                       [--tmpfs SIZE] [--mountpoint DIR]
#   Files:  $LAB_ROOT/<pool>/d<n> (on a tmpfs of SIZE mounted there with --tmpfs; the pool
#           then gets -o failmode=continue, for the `hang` fault of fault.sh)
#   Links:  $LAB_BYID_DIR/${LAB_DISK_PREFIX}<pool>_<n> -> file (default
#           /dev/disk/by-id/ata-DPLANE_LAB_<pool>_<n>)
#   Mount:  --mountpoint, default $LAB_ROOT/mnt/<pool>
#   Prints the by-id paths, one per line, on stdout (log lines go to stdout too, prefixed).
#   Idempotent: if the pool already exists it only prints its by-id paths.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

USAGE="pool-create.sh <pool> [--layout mirror|stripe|raidz1] [--disks N] [--size 256M] [--tmpfs SIZE] [--mountpoint DIR]"
[[ $# -ge 1 && "$1" != -* ]] || usage_die "$USAGE"
pool="$1"
shift
layout=mirror
disks=""
size=256M
tmpfs_size=""
mnt=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --layout) layout="${2:?}"; shift 2 ;;
    --disks) disks="${2:?}"; shift 2 ;;
    --size) size="${2:?}"; shift 2 ;;
    --tmpfs) tmpfs_size="${2:?}"; shift 2 ;;
    --mountpoint) mnt="${2:?}"; shift 2 ;;
    -h | --help) printf 'usage: %s\n' "$USAGE"; exit 0 ;;
    *) usage_die "$USAGE" ;;
    esac
done
check_pool_name "$pool"
need_root
need_cmd zpool zfs truncate
case "$layout" in
mirror | stripe) : "${disks:=2}" ;;
raidz1) : "${disks:=3}" ;;
*) die "unknown layout '$layout' (mirror|stripe|raidz1)" ;;
esac
[[ "$disks" =~ ^[0-9]+$ ]] || die "--disks must be a number"
case "$layout" in
mirror) ((disks >= 2)) || die "mirror needs --disks >= 2" ;;
raidz1) ((disks >= 3)) || die "raidz1 needs --disks >= 3" ;;
stripe) ((disks >= 1)) || die "stripe needs --disks >= 1" ;;
esac
mnt="${mnt:-$LAB_ROOT/mnt/$pool}"
dir="$(pool_dir "$pool")"

links=()
for ((i = 1; i <= disks; i++)); do
    links+=("$(pool_link "$pool" "$i")")
done

if pool_exists "$pool"; then
    log "pool $pool already exists; not touching it"
    # zfs-fuse shows /dev/disk/by-id/x as "disk/by-id/x" (the /dev/ prefix dropped).
    zpool status "$pool" | awk -v n="${LAB_DISK_PREFIX}${pool}_" '
        index($1, n) { print (substr($1, 1, 1) == "/" ? $1 : "/dev/" $1) }'
    exit 0
fi

zpool list >/dev/null 2>&1 || die "zpool does not answer; run zfs-start.sh first"

mkdir -p "$dir" "$LAB_BYID_DIR"
if [[ -n "$tmpfs_size" ]]; then
    if is_mountpoint "$dir"; then
        log "tmpfs already mounted on $dir; remounting with size=$tmpfs_size"
        mount -o "remount,size=$tmpfs_size" "$dir"
    else
        mount -t tmpfs -o "size=$tmpfs_size,mode=0700" tmpfs "$dir"
        log "mounted tmpfs size=$tmpfs_size on $dir"
    fi
fi

for ((i = 1; i <= disks; i++)); do
    f="$dir/d$i"
    rm -f "$f"
    truncate -s "$size" "$f"
    ln -sfn "$f" "${links[i - 1]}"
done
log "created $disks sparse files of $size in $dir and links ${links[0]} .. ${links[disks - 1]}"

opts=(-f -m "$mnt")
[[ -n "$tmpfs_size" ]] && opts+=(-o failmode=continue)
vdevs=()
[[ "$layout" != stripe ]] && vdevs+=("$layout")
vdevs+=("${links[@]}")
mkdir -p "$(dirname "$mnt")"
log "zpool create ${opts[*]} $pool ${vdevs[*]}"
zpool create "${opts[@]}" "$pool" "${vdevs[@]}"
# zfs-fuse mounts it at creation; make sure (no-op if mounted).
zfs mount "$pool" 2>/dev/null || true
log "pool $pool created ($layout, $disks x $size${tmpfs_size:+, on tmpfs $tmpfs_size, failmode=continue}), mounted on $mnt"
printf '%s\n' "${links[@]}"
