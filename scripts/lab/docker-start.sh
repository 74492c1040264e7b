#!/usr/bin/env bash
# docker-start.sh - start a private dockerd for the lab and import the tiny busybox image.
# Usage: docker-start.sh
#   dockerd --data-root $DOCKER_ROOT/data --exec-root $DOCKER_ROOT/exec
#           -H unix://$DOCKER_SOCK --pidfile $DOCKER_PIDFILE
#   Clients: docker -H unix://$LAB_ROOT/docker/docker.sock ...
#   Env: LAB_ROOT, DOCKER_ROOT (default $LAB_ROOT/docker), DOCKER_SOCK, DOCKER_PIDFILE,
#        DOCKER_LOG, DOCKER_LAB_IMAGE (default dplaneos-lab/busybox:1),
#        DOCKER_START_TIMEOUT (default 60 s). Idempotent.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -eq 0 ]] || usage_die "docker-start.sh   (no arguments; env LAB_ROOT, DOCKER_ROOT etc.)"
need_root
need_cmd dockerd docker
DOCKER_START_TIMEOUT="${DOCKER_START_TIMEOUT:-60}"

mkdir -p "$DOCKER_ROOT/data" "$DOCKER_ROOT/exec"
if pid="$(pid_alive "$DOCKER_PIDFILE")"; then
    log "dockerd already running (pid $pid)"
else
    rm -f "$DOCKER_SOCK" "$DOCKER_PIDFILE"
    # dockerd trusts a containerd pidfile in its exec root: a stale one (after a reboot) makes it
    # wait for a containerd that is not there ("timeout waiting for containerd to start").
    cpid_file="$DOCKER_ROOT/exec/containerd/containerd.pid"
    pid_alive "$cpid_file" >/dev/null || rm -f "$cpid_file"
    log "starting dockerd (socket $DOCKER_SOCK, log $DOCKER_LOG)"
    # Own --exec-root: two daemons sharing the default one fail with
    # "timeout waiting for containerd". No bridge: lab containers use --network none.
    nohup setsid dockerd \
        --data-root "$DOCKER_ROOT/data" \
        --exec-root "$DOCKER_ROOT/exec" \
        -H "unix://$DOCKER_SOCK" \
        --pidfile "$DOCKER_PIDFILE" \
        --bridge none --iptables=false --ip6tables=false \
        </dev/null >>"$DOCKER_LOG" 2>&1 &
    bgpid=$!
    if ! wait_for "$DOCKER_START_TIMEOUT" "docker info" lab_docker info; then
        tail -n 20 "$DOCKER_LOG" >&2 || true
        proc_alive "$bgpid" && kill "$bgpid"
        die "dockerd did not answer within ${DOCKER_START_TIMEOUT}s"
    fi
    pid_alive "$DOCKER_PIDFILE" >/dev/null || echo "$bgpid" >"$DOCKER_PIDFILE"
    log "dockerd running (pid $(cat "$DOCKER_PIDFILE"))"
fi

if lab_docker image inspect "$DOCKER_LAB_IMAGE" >/dev/null 2>&1; then
    log "image $DOCKER_LAB_IMAGE present"
else
    bb="$(command -v busybox || true)"
    [[ -n "$bb" ]] || die "busybox missing (apt-get install -y busybox-static)"
    file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
        warn "$bb may not be static (busybox-static wanted)"
    root="$(mktemp -d "$DOCKER_ROOT/image.XXXXXX")"
    mkdir -p "$root/bin" "$root/data" "$root/tmp"
    cp "$bb" "$root/bin/busybox"
    for l in sh sleep ls cat echo touch; do ln -s busybox "$root/bin/$l"; done
    tar -C "$root" -c . | lab_docker import - "$DOCKER_LAB_IMAGE" >/dev/null
    rm -rf "$root"
    log "imported $DOCKER_LAB_IMAGE from $bb"
fi
log "ready: docker -H unix://$DOCKER_SOCK ..."
