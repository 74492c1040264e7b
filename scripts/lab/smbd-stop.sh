#!/usr/bin/env bash
# smbd-stop.sh - stop the lab smbd started by smbd-start.sh.
# Usage: smbd-stop.sh [--purge]
#   --purge also deletes $SAMBA_ROOT.
#   Env: LAB_ROOT, SAMBA_ROOT, SAMBA_PORT (see smbd-start.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

purge=0
case "${1:-}" in
"") ;;
--purge) purge=1 ;;
*) usage_die "smbd-stop.sh [--purge]" ;;
esac
need_root
stop_pidfile "$SAMBA_ROOT/pid/smbd.pid" smbd 20
if port_open "$SAMBA_PORT"; then
    wait_for 10 "port $SAMBA_PORT to close" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$SAMBA_PORT) 2>/dev/null" ||
        warn "something still listens on 127.0.0.1:$SAMBA_PORT"
fi
if ((purge)); then
    rm -rf "$SAMBA_ROOT"
    log "purged $SAMBA_ROOT"
fi
log "smbd stopped"
