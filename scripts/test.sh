#!/usr/bin/env bash
# Runs every test of the project against real components.
# Installs what is missing (Debian packages), starts zfs-fuse (unless kernel ZFS is there),
# builds once, runs each test project and the nix checks, stops what it started, and ends with
#   tests: N passed, N failed, N skipped
# Exit status is non-zero on any failure. Run as root (ZFS, mounts, /dev/disk/by-id).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
export LAB_ROOT=${LAB_ROOT:-/var/tmp/dplaneos-lab}
export DPLANEOS_REPO=$repo
results=$repo/artifacts/test-results
configuration=${CONFIGURATION:-Release}


# shellcheck source-path=SCRIPTDIR source=lab/common.sh
source "$repo/scripts/lab/common.sh"

install_packages() {
  ensure_packages zfs-fuse smartmontools samba smbclient docker.io busybox-static postgresql nix-bin shellcheck openssl jq procps psmisc iproute2 util-linux nodejs npm
  command -v dotnet >/dev/null || { log "dotnet SDK not found"; exit 1; }
  # Verifiers nobody here wrote, at the versions their lock files pin.
  log "installing the npm test tools (tests/tools)"
  local tool
  for tool in "$repo"/tests/tools/*/package-lock.json; do
    (cd "$(dirname "$tool")" && npm ci --no-audit --no-fund --loglevel=error) || { log "npm ci failed in $(dirname "$tool")"; exit 1; }
  done
}

# Components started here, stopped in reverse order on exit.
started=()
cleanup() {
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    log "stopping ${started[i]}"
    "$repo/scripts/lab/${started[i]}-stop.sh" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

start() {
  local component=$1 output
  log "starting $component"
  if ! output=$("$repo/scripts/lab/$component-start.sh" 2>&1); then
    printf '%s\n' "$output"
    log "$component did not start"
    echo "tests: 0 passed, 1 failed, 0 skipped"
    exit 1
  fi
  # Stop only what this run started: a developer's running lab stays up.
  grep -q "already running" <<<"$output" || started+=("$component")
  last_line=${output##*$'\n'}
}

if [[ $(id -u) -ne 0 ]]; then
  log "must run as root (ZFS pools, mounts and /dev/disk/by-id links)"
  exit 1
fi

install_packages
# Namespaces (and the host leg) left over by a killed fleet partition run.
"$repo/scripts/lab/fleet-net.sh" down >/dev/null 2>&1 || true
start zfs
start docker
export DPLANEOS_TEST_DOCKER_SOCK=$LAB_ROOT/docker/docker.sock
start smbd
export DPLANEOS_TEST_SMB_CONF=$LAB_ROOT/samba/smb.conf
start postgres
export DPLANEOS_TEST_POSTGRES=$last_line

rm -rf "$results"
mkdir -p "$results"
log "building ($configuration)"
if ! dotnet build DPlaneOS.Actors.sln -c "$configuration" -nologo -v quiet; then
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

passed=0 failed=0 skipped=0
count_trx() {
  local trx=$1 counters
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  local total executed pass fail
  total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  pass=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  fail=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + pass))
  failed=$((failed + fail))
  skipped=$((skipped + total - executed))
}

for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "running $name"
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" >"$results/$name.log" 2>&1
  status=$?
  grep -E '^\s*Skipped ' "$results/$name.log" || true
  # Each failure with its message and the top of its stack, so a CI log alone tells why.
  grep -A 30 -E '^\s*Failed ' "$results/$name.log" | grep -vE '^\s*(Passed|Standard Output Messages:)' || true
  if [[ -f "$results/$name.trx" ]]; then
    count_trx "$results/$name.trx"
    grep -E '(Passed!|Failed!) ' "$results/$name.log" || tail -n 5 "$results/$name.log"
  else
    log "$name produced no results (exit $status):"
    tail -n 40 "$results/$name.log"
    failed=$((failed + 1))
  fi
  if ((status != 0)) && ! grep -q 'failed="[1-9]' "$results/$name.trx" 2>/dev/null; then
    log "$name exited $status without a failed test; counting it as a failure"
    tail -n 40 "$results/$name.log"
    failed=$((failed + 1))
  fi
done

if [[ -x nix/tests/run.sh ]]; then
  log "running nix checks"
  nix/tests/run.sh >"$results/nix.log" 2>&1
  cat "$results/nix.log"
  summary=$(grep -E '^nix: [0-9]+ passed, [0-9]+ failed' "$results/nix.log" | tail -n 1)
  if [[ -n $summary ]]; then
    passed=$((passed + $(sed -E 's/^nix: ([0-9]+) passed.*/\1/' <<<"$summary")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$summary")))
  else
    failed=$((failed + 1))
  fi
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0 && passed > 0))
