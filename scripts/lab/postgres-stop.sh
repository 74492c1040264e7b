#!/usr/bin/env bash
# postgres-stop.sh - stop the lab PostgreSQL started by postgres-start.sh.
# Usage: postgres-stop.sh [--purge]   (--purge also deletes $PG_ROOT)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -le 1 && "${1:---purge}" == --purge ]] || usage_die "postgres-stop.sh [--purge]"
need_root
PG_ROOT="${PG_ROOT:-$LAB_ROOT/postgres}"
if [[ -z "${PG_BIN:-}" ]]; then
    PG_BIN="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
fi
if [[ -s "$PG_ROOT/data/PG_VERSION" && -x "$PG_BIN/pg_ctl" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    log "PostgreSQL stopped"
fi
if [[ "${1:-}" == --purge ]]; then
    rm -rf "$PG_ROOT"
    log "removed $PG_ROOT"
fi
