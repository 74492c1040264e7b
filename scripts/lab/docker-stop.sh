#!/usr/bin/env bash
# docker-stop.sh - stop the lab dockerd (removing its lab containers first).
# Usage: docker-stop.sh [--purge]
#   --purge also deletes $DOCKER_ROOT (images, containers, logs).
#   Env: LAB_ROOT, DOCKER_ROOT, DOCKER_SOCK, DOCKER_PIDFILE (see docker-start.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

purge=0
case "${1:-}" in
"") ;;
--purge) purge=1 ;;
*) usage_die "docker-stop.sh [--purge]" ;;
esac
need_root

if pid_alive "$DOCKER_PIDFILE" >/dev/null; then
    ids="$(run_timeout 30 docker -H "unix://$DOCKER_SOCK" ps -aq 2>/dev/null || true)"
    if [[ -n "$ids" ]]; then
        log "removing containers: $(echo "$ids" | tr '\n' ' ')"
        # shellcheck disable=SC2086  # one id per word
        run_timeout 60 docker -H "unix://$DOCKER_SOCK" rm -f $ids >/dev/null || warn "docker rm failed"
    fi
fi
stop_pidfile "$DOCKER_PIDFILE" dockerd 30
# containerd started by dockerd lives in the exec root; it exits with dockerd. Catch strays.
cpid_file="$DOCKER_ROOT/exec/containerd/containerd.pid"
if cpid="$(pid_alive "$cpid_file")"; then
    log "stopping leftover containerd (pid $cpid)"
    stop_pidfile "$cpid_file" containerd 15
fi
# Leftover mounts under the data/exec roots (overlay, netns, shm).
mounts="$(awk -v r="$DOCKER_ROOT/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)"
if [[ -n "$mounts" ]]; then
    while IFS= read -r m; do
        umount -l "$(printf '%b' "$m")" || warn "umount -l $m failed"
    done <<<"$mounts"
    log "unmounted $(wc -l <<<"$mounts") leftover mount(s) under $DOCKER_ROOT"
fi
rm -f "$DOCKER_SOCK"
if ((purge)); then
    rm -rf "$DOCKER_ROOT"
    log "purged $DOCKER_ROOT"
fi
log "dockerd stopped"
