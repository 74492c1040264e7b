#!/usr/bin/env bash
# postgres-start.sh - start a private PostgreSQL on 127.0.0.1 for the lab (trust auth, loopback only).
# Usage: postgres-start.sh
#   initdb into $PG_ROOT/data as the postgres user (once), pg_ctl start on 127.0.0.1:$PG_PORT,
#   create database $PG_DATABASE. Prints the connection string on the last line.
#   Env: LAB_ROOT, PG_ROOT (default $LAB_ROOT/postgres), PG_PORT (default 55432),
#        PG_DATABASE (default dplaneos_test), PG_BIN (default: newest /usr/lib/postgresql/*/bin). Idempotent.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ $# -eq 0 ]] || usage_die "postgres-start.sh   (no arguments; env LAB_ROOT, PG_ROOT, PG_PORT, PG_DATABASE)"
need_root
PG_ROOT="${PG_ROOT:-$LAB_ROOT/postgres}"
PG_PORT="${PG_PORT:-55432}"
PG_DATABASE="${PG_DATABASE:-dplaneos_test}"
if [[ -z "${PG_BIN:-}" ]]; then
    PG_BIN="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
fi
[[ -x "$PG_BIN/pg_ctl" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)"
id postgres >/dev/null 2>&1 || die "no 'postgres' user (apt-get install -y postgresql creates it)"

as_postgres() { runuser -u postgres -- "$@"; }

mkdir -p "$PG_ROOT/socket"
chown postgres:postgres "$PG_ROOT" "$PG_ROOT/socket"
if [[ ! -s "$PG_ROOT/data/PG_VERSION" ]]; then
    log "initdb in $PG_ROOT/data"
    as_postgres "$PG_BIN/initdb" -D "$PG_ROOT/data" -A trust -U postgres >/dev/null
fi
if as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" status >/dev/null 2>&1; then
    log "PostgreSQL already running"
else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_ROOT/socket" start >/dev/null
fi
if ! as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc "select 1 from pg_database where datname='$PG_DATABASE'" postgres | grep -q 1; then
    as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DATABASE"
    log "created database $PG_DATABASE"
fi
printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=%s\n' "$PG_PORT" "$PG_DATABASE"
