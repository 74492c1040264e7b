#!/usr/bin/env bash
# Tests for the nix/ appliance layer. Prints one line per check
# ("PASS name" / "FAIL name: why"), then "nix: N passed, N failed".
# Needs nix-instantiate (and the nix command for `nix hash file`), shellcheck,
# openssl, jq and dotnet; a missing tool is a FAIL. The deps.json freshness
# check runs `dotnet restore`, which reaches NuGet unless the packages are cached.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NIXDIR=$(dirname "$HERE")
OTA="$NIXDIR/ota-update.sh"
PASSED=0
FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dplaneos-nix-tests.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# These checks only evaluate and hash, never build: no build users are needed. A machine with
# nix installed but no nixbld group would otherwise print a warning on every call.
export NIX_CONFIG='build-users-group =
experimental-features = nix-command'
# A nix command's result is its stdout only; its stderr (warnings, errors) lands in NIX_ERR and
# is shown when a check fails, never parsed as a result.
NIX_ERR="$WORK/nix.err"

pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }
oneline() { tr '\n' ' ' | cut -c1-300; }

# --- tools ------------------------------------------------------------------
HAVE_NIX=0 HAVE_SC=0 HAVE_SSL=0 HAVE_JQ=0 HAVE_DOTNET=0
for tool in nix-instantiate nix shellcheck openssl jq dotnet tar sha256sum flock; do
  if command -v "$tool" >/dev/null 2>&1; then
    pass "tool $tool installed"
    case "$tool" in
      nix-instantiate) HAVE_NIX=1 ;;
      shellcheck) HAVE_SC=1 ;;
      openssl) HAVE_SSL=1 ;;
      jq) HAVE_JQ=1 ;;
      dotnet) HAVE_DOTNET=1 ;;
    esac
  else
    fail "tool $tool installed" "not found on PATH"
  fi
done

# --- parse every .nix file --------------------------------------------------
while IFS= read -r f; do
  rel=${f#"$NIXDIR"/}
  if [ "$HAVE_NIX" != 1 ]; then fail "parse $rel" "nix-instantiate missing"; continue; fi
  if out=$(nix-instantiate --parse "$f" 2>&1 >/dev/null); then pass "parse $rel"; else fail "parse $rel" "$(oneline <<<"$out")"; fi
done < <(find "$NIXDIR" -name '*.nix' -type f | sort)

# --- shellcheck every script ------------------------------------------------
while IFS= read -r f; do
  rel=${f#"$NIXDIR"/}
  if [ "$HAVE_SC" != 1 ]; then fail "shellcheck $rel" "shellcheck missing"; continue; fi
  if out=$(shellcheck -x "$f" 2>&1); then pass "shellcheck $rel"; else fail "shellcheck $rel" "$(oneline <<<"$out")"; fi
done < <(find "$NIXDIR" -name '*.sh' -type f | sort)

# --- evaluation cases (tests/cases.nix) -------------------------------------
case_count() { (cd "$HERE" && nix-instantiate --eval --strict -E 'builtins.length (builtins.attrNames (import ./cases.nix))' 2>"$NIX_ERR"); }
# prints ["<name>",<result>]; case names contain no double quotes
eval_case() {
  (cd "$HERE" && nix-instantiate --eval --strict --json -E \
    "let c = import ./cases.nix; n = builtins.elemAt (builtins.attrNames c) $1; in [ n (c.\${n}) ]" 2>"$NIX_ERR")
}
if [ "$HAVE_NIX" = 1 ]; then
  if count=$(case_count) && [[ "$count" =~ ^[0-9]+$ ]]; then
    for ((i = 0; i < count; i++)); do
      out=$(eval_case "$i")
      if [[ "$out" =~ ^\[\"([^\"]*)\",(.*)\]$ ]]; then
        if [ "${BASH_REMATCH[2]}" = true ]; then pass "eval ${BASH_REMATCH[1]}"; else fail "eval ${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"; fi
      else
        fail "eval case #$i" "$(oneline <<<"$out") $(oneline <"$NIX_ERR")"
      fi
    done
    # A nix that warns on stderr (as one without the nixbld group does on a new machine) must
    # give the same results: only stdout is read.
    mkdir -p "$WORK/warning-nix"
    printf '#!/usr/bin/env bash\necho "warning: the group '"'"'nixbld'"'"' specified in '"'"'build-users-group'"'"' does not exist" >&2\nexec %q "$@"\n' \
      "$(command -v nix-instantiate)" >"$WORK/warning-nix/nix-instantiate"
    chmod +x "$WORK/warning-nix/nix-instantiate"
    plain=$(eval_case 0)
    if warned_count=$(PATH="$WORK/warning-nix:$PATH" case_count) && [ "$warned_count" = "$count" ] &&
      [ "$(PATH="$WORK/warning-nix:$PATH" eval_case 0)" = "$plain" ] && grep -q '^warning: ' "$NIX_ERR"; then
      pass "eval results ignore warnings nix prints on stderr"
    else
      fail "eval results ignore warnings nix prints on stderr" "count '$(oneline <<<"${warned_count:-}")' vs '$count'"
    fi
  else
    fail "eval cases.nix" "$(oneline <<<"$count") $(oneline <"$NIX_ERR")"
  fi
else
  fail "eval cases.nix" "nix-instantiate missing"
fi

# --- NuGet lock (deps.json, update-deps.sh) ---------------------------------
DEPS="$NIXDIR/deps.json"
UPDATE_DEPS="$NIXDIR/update-deps.sh"
# SRI sha256 as Nix computes it (the hash fetchurl checks), independent of update-deps.sh.
nix_sri() { nix --extra-experimental-features nix-command hash file --type sha256 --sri "$@"; }
# Names the nixpkgs .NET SDK ships itself (runtime/targeting/apphost/ILCompiler/ILLink/crossgen packs).
SDK_PACKS_RE='^(microsoft\.(netcore|aspnetcore)\.app\.(ref|runtime\..*|host\..*|crossgen2\..*)|microsoft\.netcore\.dotnetapphost|microsoft\.dotnet\.ilcompiler|microsoft\.net\.illink\.tasks|runtime\..*\.microsoft\.(dotnet\.ilcompiler|netcore\.dotnetapphost))$'

if [ "$HAVE_JQ" = 1 ]; then
  if [ ! -f "$DEPS" ]; then
    fail "deps.json exists" "nix/deps.json missing: run nix/update-deps.sh"
  elif ! jq -e 'type == "array" and length > 0' "$DEPS" >/dev/null 2>&1; then
    fail "deps.json is a non-empty JSON list" "$(jq . "$DEPS" 2>&1 | oneline)"
  else
    pass "deps.json is a non-empty JSON list"
    bad=$(jq -r '.[] | select((keys != ["hash","pname","version"])
        or (.hash | type != "string" or (test("^sha256-[A-Za-z0-9+/]{43}=$") | not))
        or (.pname | type != "string" or (test("^[A-Za-z0-9_][A-Za-z0-9._-]*$") | not))
        or (.version | type != "string" or (test("^[0-9][0-9a-z.+-]*$") | not)))
      | tojson' "$DEPS")
    if [ -z "$bad" ]; then pass "deps.json entries are {pname, version, hash} with a sha256 SRI hash"; else
      fail "deps.json entries are {pname, version, hash} with a sha256 SRI hash" "$(oneline <<<"$bad")"; fi
    if jq -e 'map([(.pname | ascii_downcase), .version]) as $k | $k == ($k | sort) and ($k | unique | length) == length' "$DEPS" >/dev/null; then
      pass "deps.json sorted by id then version, no duplicates"
    else
      fail "deps.json sorted by id then version, no duplicates" "order differs from nuget-to-json's"
    fi
    if out=$(jq -r --arg re "$SDK_PACKS_RE" '.[] | select(.pname | ascii_downcase | test($re)) | .pname' "$DEPS") && [ -z "$out" ]; then
      pass "deps.json leaves SDK-provided packs to the nixpkgs SDK"
    else
      fail "deps.json leaves SDK-provided packs to the nixpkgs SDK" "$(oneline <<<"$out")"
    fi
  fi
else
  fail "deps.json checks" "jq missing"
fi

# update-deps.sh against a synthetic restore: two projects, a packages folder
# of fake .nupkg files. No dotnet, no network.
fake_pkg() { # ID VERSION [SOURCE]
  local lid=${1,,} lver=${2,,} d
  d="$FR/pkgs/$lid/$lver"
  mkdir -p "$d"
  head -c 3000 /dev/urandom >"$d/$lid.$lver.nupkg"
  openssl dgst -sha512 -binary "$d/$lid.$lver.nupkg" | base64 -w0 >"$d/$lid.$lver.nupkg.sha512"
  jq -n --arg s "${3:-https://api.nuget.org/v3/index.json}" '{version: 2, contentHash: "x", source: $s}' >"$d/.nupkg.metadata"
  printf '<?xml version="1.0"?>\n<package><metadata><id>%s</id><version>%s</version></metadata></package>\n' "$1" "$2" >"$d/$lid.nuspec"
}
fake_assets() { # OBJDIR TARGETS_JSON LIBRARIES_JSON DOWNLOADS_JSON
  mkdir -p "$1"
  jq -n --arg pf "$FR/pkgs/" --argjson t "$2" --argjson l "$3" --argjson d "$4" \
    '{version: 3, targets: $t, libraries: $l, packageFolders: {($pf): {}},
      project: {frameworks: {"net10.0": {downloadDependencies: $d}}}}' >"$1/project.assets.json"
}
make_fake_restore() {
  FR=$(mktemp -d "$WORK/fr.XXXXXX")
  local gw="$FR/tree/src/Gateway/obj" lib="$FR/tree/src/Lib/obj" rid='{"net10.0": {}, "net10.0/linux-x64": {}}'
  fake_pkg Alpha.Core 1.0.0-Beta.2
  fake_pkg Alpha.Core 1.10.0
  fake_pkg Zeta.Lib 2.0.0
  fake_pkg Private.Analyzer 0.1.0
  fake_pkg Extra.Pack 3.0.0
  fake_assets "$gw" "$rid" \
    '{"Alpha.Core/1.0.0-Beta.2": {"type": "package"}, "Zeta.Lib/2.0.0": {"type": "package"},
      "Microsoft.NET.ILLink.Tasks/10.0.0": {"type": "package"}, "Lib/1.0.0": {"type": "project"}}' \
    '[{"name": "Microsoft.NETCore.App.Runtime.linux-x64", "version": "[10.0.1, 10.0.1]"},
      {"name": "Extra.Pack", "version": "[3.0.0, 3.0.0]"}]'
  fake_assets "$lib" "$rid" \
    '{"Zeta.Lib/2.0.0": {"type": "package"}, "Private.Analyzer/0.1.0": {"type": "package"}, "Alpha.Core/1.10.0": {"type": "package"}}' \
    '[{"name": "Microsoft.AspNetCore.App.Runtime.linux-x64", "version": "[10.0.1, 10.0.1]"}]'
  jq -n --arg g "$gw/" --arg l "$lib/" \
    '{projects: {"gw.csproj": {restore: {outputPath: $g}}, "lib.csproj": {restore: {outputPath: $l}}}}' \
    >"$gw/DPlaneOS.Gateway.csproj.nuget.dgspec.json"
}
update_deps_fake() {
  bash "$UPDATE_DEPS" --restore-dir "$FR/tree" --no-restore - >"$FR/out" 2>"$FR/err"
  RC=$?
}
expect_deps_error() { # NAME REGEX
  update_deps_fake
  if [ "$RC" = 5 ] && grep -Eq "$2" "$FR/err" && [ ! -s "$FR/out" ]; then pass "$1"; else
    fail "$1" "rc=$RC $(oneline <"$FR/err")"; fi
}

if [ "$HAVE_JQ" = 1 ] && [ "$HAVE_SSL" = 1 ] && [ "$HAVE_NIX" = 1 ]; then
  make_fake_restore
  update_deps_fake
  p="$FR/pkgs"
  want=$(jq -n --arg a "$(nix_sri "$p/alpha.core/1.0.0-beta.2/alpha.core.1.0.0-beta.2.nupkg")" \
    --arg b "$(nix_sri "$p/alpha.core/1.10.0/alpha.core.1.10.0.nupkg")" \
    --arg c "$(nix_sri "$p/extra.pack/3.0.0/extra.pack.3.0.0.nupkg")" \
    --arg d "$(nix_sri "$p/private.analyzer/0.1.0/private.analyzer.0.1.0.nupkg")" \
    --arg e "$(nix_sri "$p/zeta.lib/2.0.0/zeta.lib.2.0.0.nupkg")" \
    '[{pname: "Alpha.Core", version: "1.0.0-beta.2", hash: $a}, {pname: "Alpha.Core", version: "1.10.0", hash: $b},
      {pname: "Extra.Pack", version: "3.0.0", hash: $c}, {pname: "Private.Analyzer", version: "0.1.0", hash: $d},
      {pname: "Zeta.Lib", version: "2.0.0", hash: $e}]')
  if [ "$RC" = 0 ] && [ "$(cat "$FR/out")" = "$want" ]; then
    pass "update-deps: union of all projects, SDK packs left out, Nix sha256 SRI hashes, nuget-to-json order"
  else
    fail "update-deps: union of all projects, SDK packs left out, Nix sha256 SRI hashes, nuget-to-json order" \
      "rc=$RC $(oneline <"$FR/err") got $(jq -c . "$FR/out" 2>&1 | cut -c1-300)"
  fi

  make_fake_restore
  printf 'X' | dd of="$FR/pkgs/zeta.lib/2.0.0/zeta.lib.2.0.0.nupkg" bs=1 seek=100 conv=notrunc status=none
  expect_deps_error "update-deps refuses a package altered after download" 'Zeta.Lib 2.0.0: .* does not match the sha512'

  make_fake_restore
  rm "$FR/pkgs/private.analyzer/0.1.0/private.analyzer.0.1.0.nupkg"
  expect_deps_error "update-deps refuses a package missing from the packages folder" 'Private.Analyzer 0.1.0: .* is missing'

  make_fake_restore
  fake_pkg Zeta.Lib 2.0.0 https://nuget.example.org/v3/index.json
  expect_deps_error "update-deps refuses a package from another feed" "Zeta.Lib 2.0.0 was restored from 'https://nuget.example.org/v3/index.json'"

  make_fake_restore
  jq '.targets = {"net10.0": {}}' "$FR/tree/src/Lib/obj/project.assets.json" >"$FR/a" && mv "$FR/a" "$FR/tree/src/Lib/obj/project.assets.json"
  expect_deps_error "update-deps refuses a restore without the linux-x64 target" 'was not restored for linux-x64'

  make_fake_restore
  bash "$UPDATE_DEPS" --restore-dir "$FR" - >"$FR/out" 2>"$FR/err"
  rc=$?
  if [ "$rc" = 2 ] && grep -q 'is not empty and was not made by update-deps.sh' "$FR/err" && [ -d "$FR/tree/src/Gateway/obj" ]; then
    pass "update-deps will not restore into a foreign non-empty directory"
  else
    fail "update-deps will not restore into a foreign non-empty directory" "rc=$rc $(oneline <"$FR/err")"
  fi
else
  fail "update-deps synthetic restore" "jq, openssl or nix missing"
fi

# deps.json must be what a fresh restore of the current sources gives.
if [ "$HAVE_JQ" = 1 ] && [ "$HAVE_DOTNET" = 1 ] && [ "$HAVE_NIX" = 1 ] && [ -f "$DEPS" ]; then
  RD="$WORK/restore"
  if ! bash "$UPDATE_DEPS" --restore-dir "$RD" "$WORK/deps.json" >"$WORK/update-deps.log" 2>&1; then
    fail "deps.json matches a fresh restore" "update-deps.sh failed: $(tail -n 5 "$WORK/update-deps.log" | oneline)"
  else
    if out=$(diff -u "$DEPS" "$WORK/deps.json"); then pass "deps.json matches a fresh restore"; else
      fail "deps.json matches a fresh restore" "stale, run nix/update-deps.sh: $(head -n 20 <<<"$out" | oneline)"; fi
    # Second opinion on the committed file, computed here from the restore's own files.
    mapfile -t assets < <(jq -r '.projects[].restore.outputPath + "project.assets.json"' \
      "$RD/src/Gateway/obj/DPlaneOS.Gateway.csproj.nuget.dgspec.json")
    restored=$(jq -r --arg re "$SDK_PACKS_RE" '
        ((.libraries | to_entries[] | select(.value.type == "package") | .key),
         (.project.frameworks[].downloadDependencies[]? | .name + "/" + (.version | ltrimstr("[") | split(",")[0])))
        | ascii_downcase | select(split("/")[0] | test($re) | not)' "${assets[@]}" | sort -u)
    listed=$(jq -r '.[] | (.pname | ascii_downcase) + "/" + .version' "$DEPS" | sort -u)
    if [ "${#assets[@]}" -ge 3 ] && [ "$restored" = "$listed" ]; then
      pass "deps.json lists exactly the packages of all ${#assets[@]} project.assets.json files"
    else
      fail "deps.json lists exactly the packages of all project.assets.json files" \
        "$(diff <(echo "$restored") <(echo "$listed") | oneline)"
    fi
    pkgdir=$(jq -r '.packageFolders | keys[0]' "${assets[0]}")
    mapfile -t files < <(jq -r --arg d "${pkgdir%/}" '.[] | (.pname | ascii_downcase) as $i | "\($d)/\($i)/\(.version)/\($i).\(.version).nupkg"' "$DEPS")
    if hashes=$(nix_sri "${files[@]}" 2>"$NIX_ERR") && [ "$hashes" = "$(jq -r '.[].hash' "$DEPS")" ]; then
      pass "deps.json hashes equal Nix's sha256 of each restored .nupkg"
    else
      fail "deps.json hashes equal Nix's sha256 of each restored .nupkg" "$(oneline <<<"$hashes") $(oneline <"$NIX_ERR")"
    fi
  fi
else
  fail "deps.json matches a fresh restore" "needs jq, dotnet, nix and nix/deps.json"
fi

# --- version ordering (ota-update.sh version-cmp) ---------------------------
# Each line: A OP B, checked in both directions (B's answer is the mirror).
while read -r a op b; do
  [ -n "$a" ] || continue
  case "$op" in "<") rev=">" ;; ">") rev="<" ;; *) rev="=" ;; esac
  got=$(bash "$OTA" version-cmp "$a" "$b" 2>&1)
  back=$(bash "$OTA" version-cmp "$b" "$a" 2>&1)
  if [ "$got" = "$op" ] && [ "$back" = "$rev" ]; then pass "version $a $op $b"; else
    fail "version $a $op $b" "got '$got', reversed '$back'"; fi
done <<'VERSIONS'
1.2.0-rc1 < 1.2.0
1.2.0-rc.2 < 1.2.0-rc.10
1.10.0 > 1.9.9
1.2.0 = 1.2.0
1.0.10 > 1.0.9
2.0.0 > 1.99.99
1.2 = 1.2.0
1.2.0.1 > 1.2.0
1.0.0-alpha < 1.0.0-alpha.1
1.0.0-alpha.1 < 1.0.0-alpha.beta
1.0.0-alpha.beta < 1.0.0-beta
1.0.0-beta < 1.0.0-beta.2
1.0.0-beta.2 < 1.0.0-beta.11
1.0.0-beta.11 < 1.0.0-rc.1
1.0.0-rc.1 < 1.0.0
1.0.0-1 < 1.0.0-alpha
1.0.0-rc.1 < 1.0.0-rc.1.1
1.0.0-RC.1 < 1.0.0-rc.1
1.0.0-x-y < 1.0.0-x-z
1.0.100000000000000000000 > 1.0.99999999999999999999
1.2.0-rc.10 > 1.1.99
VERSIONS
for v in 1.2.x 1.0.0-rc.01 1.0.0- 1.0.0-rc..1 1.0.0+build v1.0.0; do
  out=$(bash "$OTA" version-cmp "$v" 1.0.0 2>&1)
  rc=$?
  if [ "$rc" = 2 ] && grep -q "is not a version" <<<"$out"; then pass "version '$v' rejected"; else
    fail "version '$v' rejected" "rc=$rc $(oneline <<<"$out")"; fi
done

# --- OTA sandbox tests ------------------------------------------------------
# Each test gets a fresh sandbox: slot files, an ESP directory, a kernel
# command line file, and stub bootctl/curl/systemctl/reboot/snapshot commands
# that log their calls.

KEYS="$WORK/keys"
setup_keys() {
  mkdir -p "$KEYS"
  openssl genpkey -algorithm ed25519 -out "$KEYS/good.pem" 2>/dev/null &&
    openssl pkey -in "$KEYS/good.pem" -pubout -out "$KEYS/good.pub" 2>/dev/null &&
    openssl genpkey -algorithm ed25519 -out "$KEYS/other.pem" 2>/dev/null &&
    openssl pkey -in "$KEYS/other.pem" -pubout -out "$KEYS/other.pub" 2>/dev/null
}

new_sandbox() {
  SB=$(mktemp -d "$WORK/sb.XXXXXX")
  mkdir -p "$SB/bin" "$SB/esp/loader/entries" "$SB/state"
  head -c 1048576 /dev/zero | tr '\0' 'A' >"$SB/slot-a"
  head -c 1048576 /dev/zero >"$SB/slot-b"
  echo "BOOT_IMAGE=/x init=/nix/store/x/init dplaneos.slot=a quiet" >"$SB/cmdline"
  echo "1.0.0" >"$SB/version"
  printf 'title old\n' >"$SB/esp/loader/entries/dplaneos-a.conf"
  echo 0 >"$SB/curl.rc"
  echo running >"$SB/system-state"
  cat >"$SB/bin/bootctl" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$SB/bootctl.log"
EOF
  cat >"$SB/bin/curl" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$SB/curl.log"
exit "\$(cat "$SB/curl.rc")"
EOF
  cat >"$SB/bin/systemctl" <<EOF
#!/usr/bin/env bash
[ "\$1" = is-system-running ] || exit 1
s=\$(cat "$SB/system-state"); echo "\$s"; [ "\$s" = running ]
EOF
  cat >"$SB/bin/reboot" <<EOF
#!/usr/bin/env bash
echo reboot >>"$SB/reboot.log"
EOF
  cat >"$SB/bin/snapshot" <<EOF
#!/usr/bin/env bash
echo "\$*" >>"$SB/snapshot.log"
EOF
  chmod +x "$SB"/bin/*
}

ota() {
  OTA_STATE_DIR="$SB/state" OTA_PUBKEY="$KEYS/good.pub" OTA_VERSION_FILE="$SB/version" \
    OTA_CMDLINE="$SB/cmdline" OTA_SLOT_A="$SB/slot-a" OTA_SLOT_B="$SB/slot-b" OTA_ESP="$SB/esp" \
    OTA_HEALTH_URL="http://127.0.0.1:9/healthz" OTA_HEALTH_TIMEOUT="${HT:-2}" OTA_HEALTH_INTERVAL=1 \
    OTA_CURL="$SB/bin/curl" OTA_SYSTEMCTL="$SB/bin/systemctl" OTA_BOOTCTL="$SB/bin/bootctl" \
    OTA_REBOOT="$SB/bin/reboot" OTA_SNAPSHOT="$SB/bin/snapshot" TMPDIR="$SB" \
    bash "$OTA" "$@" >"$SB/out" 2>&1
  RC=$?
  OUT=$(cat "$SB/out")
}

# Build a bundle. Options (env): V version, SLOT, SIGNER key name, KEYID key
# name for manifest.keyid ("" = none), TAMPER image|manifest|sig|none, EXTRA member.
make_bundle() {
  local d="$SB/bundle.d" out="$SB/bundle.tar" signer=${SIGNER:-good} keyid=${KEYID-${SIGNER:-good}}
  rm -rf "$d"
  mkdir -p "$d"
  head -c 200000 /dev/urandom >"$d/image"
  echo "kernel-$RANDOM" >"$d/kernel"
  echo "initrd-$RANDOM" >"$d/initrd"
  {
    echo "format=1"
    echo "version=${V:-1.1.0}"
    echo "slot=${SLOT:-b}"
    echo "image_sha256=$(sha256sum <"$d/image" | cut -d' ' -f1)"
    echo "kernel_sha256=$(sha256sum <"$d/kernel" | cut -d' ' -f1)"
    echo "initrd_sha256=$(sha256sum <"$d/initrd" | cut -d' ' -f1)"
    echo "init=/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-dplaneos-1.1.0/init"
    echo "cmdline=quiet loglevel=4"
  } >"$d/manifest"
  openssl pkeyutl -sign -rawin -inkey "$KEYS/$signer.pem" -in "$d/manifest" -out "$d/manifest.sig"
  local members=(manifest manifest.sig image kernel initrd)
  if [ -n "$keyid" ]; then
    openssl pkey -pubin -in "$KEYS/$keyid.pub" -outform DER | sha256sum | cut -d' ' -f1 >"$d/manifest.keyid"
    members+=(manifest.keyid)
  fi
  case "${TAMPER:-none}" in
    image) printf 'X' | dd of="$d/image" bs=1 seek=1000 conv=notrunc status=none ;;
    manifest) sed -i 's/^cmdline=.*/cmdline=quiet init=\/evil/' "$d/manifest" ;;
    sig) printf '\001' | dd of="$d/manifest.sig" bs=1 seek=10 conv=notrunc status=none ;;
  esac
  if [ -n "${EXTRA:-}" ]; then
    echo evil >"$d/extra"
    tar -cf "$out" -C "$d" "${members[@]}" --transform "s|^extra\$|$EXTRA|" extra
  else
    tar -cf "$out" -C "$d" "${members[@]}"
  fi
  BUNDLE=$out
  IMAGE_SHA=$(sha256sum <"$d/image" | cut -d' ' -f1)
}

# Everything an update could write (slots, ESP, boot loader, markers, hooks).
fingerprint() {
  (
    cd "$SB" || exit 1
    sha256sum slot-a slot-b
    find esp state -type f ! -name ota.log ! -name lock -print0 | sort -z | xargs -0 -r sha256sum
    cat bootctl.log reboot.log snapshot.log 2>/dev/null
  ) | sha256sum
}

# expect_applied NAME SLOT [APPLY OPTIONS]  (bundle already built)
expect_applied() {
  local name=$1 slot=$2
  shift 2
  ota apply "$@" "$BUNDLE"
  if [ "$RC" = 0 ] && grep -qx "set-oneshot dplaneos-$slot.conf" "$SB/bootctl.log" 2>/dev/null; then
    pass "$name"
  else
    fail "$name" "rc=$RC $(oneline <<<"$OUT")"
  fi
}

# expect_refusal NAME EXIT_CODE MESSAGE_REGEX  (bundle already built)
expect_refusal() {
  local name=$1 code=$2 re=$3 before after
  before=$(fingerprint)
  ota apply "$BUNDLE"
  after=$(fingerprint)
  if [ "$RC" != "$code" ]; then
    fail "$name" "exit $RC, want $code: $(oneline <<<"$OUT")"
  elif ! grep -Eq "$re" <<<"$OUT"; then
    fail "$name" "message does not match /$re/: $(oneline <<<"$OUT")"
  elif [ "$before" != "$after" ]; then
    fail "$name" "something was written"
  else
    pass "$name"
  fi
}

if [ "$HAVE_SSL" = 1 ] && setup_keys; then
  pass "ota ed25519 key pairs generated"

  # good bundle: written to inactive slot b, one-shot boot set
  new_sandbox
  make_bundle
  ota apply "$BUNDLE"
  if [ "$RC" = 0 ] && [ "$(head -c 200000 "$SB/slot-b" | sha256sum | cut -d' ' -f1)" = "$IMAGE_SHA" ] &&
    grep -qx 'set-oneshot dplaneos-b.conf' "$SB/bootctl.log" 2>/dev/null &&
    grep -q 'options init=/nix/store/.*/init dplaneos.slot=b quiet' "$SB/esp/loader/entries/dplaneos-b.conf" &&
    [ -s "$SB/esp/EFI/dplaneos/b/kernel" ] && grep -qx 'to=b' "$SB/state/pending" &&
    grep -qx 'snapshot pre-upgrade' "$SB/snapshot.log" && [ ! -e "$SB/reboot.log" ] &&
    [ "$(head -c 10 "$SB/slot-a")" = AAAAAAAAAA ]; then
    pass "ota good bundle switches slot (image in b, one-shot boot, snapshot taken)"
  else
    fail "ota good bundle switches slot (image in b, one-shot boot, snapshot taken)" "rc=$RC $(oneline <<<"$OUT")"
  fi

  # after reboot into b, a passing health check marks b good
  echo "dplaneos.slot=b" >"$SB/cmdline"
  ota health-check
  if [ "$RC" = 0 ] && grep -qx 'set-default dplaneos-b.conf' "$SB/bootctl.log" &&
    grep -qx 'slot=b' "$SB/state/good-slot" && [ ! -e "$SB/state/pending" ] && [ ! -e "$SB/reboot.log" ]; then
    pass "ota passing health check marks slot good"
  else
    fail "ota passing health check marks slot good" "rc=$RC $(oneline <<<"$OUT")"
  fi

  # second update from b goes to a
  SLOT=a V=1.2.0 make_bundle
  echo "1.1.0" >"$SB/version"
  expect_applied "ota next update from slot b targets slot a" a

  new_sandbox
  make_bundle
  before=$(fingerprint)
  ota verify "$BUNDLE"
  if [ "$RC" = 0 ] && grep -q 'OK: bundle 1.1.0 is valid for slot b' <<<"$OUT" && [ "$before" = "$(fingerprint)" ]; then
    pass "ota verify accepts a good bundle and writes nothing"
  else
    fail "ota verify accepts a good bundle and writes nothing" "rc=$RC $(oneline <<<"$OUT")"
  fi

  new_sandbox
  TAMPER=image make_bundle
  expect_refusal "ota tampered image refused" 6 'image sha256 mismatch'

  new_sandbox
  TAMPER=sig make_bundle
  expect_refusal "ota bad signature refused" 5 'bad signature'

  new_sandbox
  TAMPER=manifest make_bundle
  expect_refusal "ota manifest edited after signing refused" 5 'bad signature'

  new_sandbox
  SIGNER=other make_bundle
  expect_refusal "ota wrong key refused" 4 'signed by an untrusted key'

  new_sandbox
  SIGNER=other KEYID="" make_bundle
  expect_refusal "ota wrong key without key id refused" 5 'bad signature'

  new_sandbox
  SIGNER=other KEYID=good make_bundle
  expect_refusal "ota wrong key claiming trusted key id refused" 5 'bad signature'

  new_sandbox
  V=0.9.0 make_bundle
  expect_refusal "ota downgrade refused" 7 'refusing downgrade: bundle version 0.9.0 is older than running 1.0.0'

  new_sandbox
  V=1.0.0 make_bundle
  expect_refusal "ota same version refused as not newer" 7 'refusing reinstall: bundle version 1.0.0 is not newer than running 1.0.0, it is the same version \(use --reinstall\)'

  new_sandbox
  V=1.0.0 make_bundle
  expect_applied "ota --reinstall permits the same version" b --reinstall

  new_sandbox
  V=1.0.0 make_bundle
  ota verify --allow-downgrade "$BUNDLE"
  if [ "$RC" = 0 ]; then pass "ota --allow-downgrade also permits the same version"; else
    fail "ota --allow-downgrade also permits the same version" "rc=$RC $(oneline <<<"$OUT")"; fi

  new_sandbox
  V=0.9.0 make_bundle
  before=$(fingerprint)
  ota apply --reinstall "$BUNDLE"
  if [ "$RC" = 7 ] && grep -q 'refusing downgrade' <<<"$OUT" && [ "$before" = "$(fingerprint)" ]; then
    pass "ota --reinstall does not permit a downgrade"
  else
    fail "ota --reinstall does not permit a downgrade" "rc=$RC $(oneline <<<"$OUT")"
  fi

  new_sandbox
  V=1.2.0 make_bundle
  echo 1.2.0-rc1 >"$SB/version"
  expect_applied "ota release 1.2.0 installs over running 1.2.0-rc1" b

  new_sandbox
  V=1.2.0-rc1 make_bundle
  echo 1.2.0 >"$SB/version"
  expect_refusal "ota pre-release 1.2.0-rc1 over running 1.2.0 is a downgrade" 7 'refusing downgrade: bundle version 1.2.0-rc1 is older than running 1.2.0'

  new_sandbox
  V=1.2.0-rc.10 make_bundle
  echo 1.2.0-rc.2 >"$SB/version"
  ota verify "$BUNDLE"
  if [ "$RC" = 0 ]; then pass "ota 1.2.0-rc.10 is newer than running 1.2.0-rc.2"; else
    fail "ota 1.2.0-rc.10 is newer than running 1.2.0-rc.2" "rc=$RC $(oneline <<<"$OUT")"; fi

  new_sandbox
  V=1.0.0-rc.01 make_bundle
  expect_refusal "ota manifest version with leading-zero pre-release refused" 3 'leading zero'

  new_sandbox
  V=1.0.10 make_bundle
  echo 1.0.9 >"$SB/version"
  ota verify "$BUNDLE"
  if [ "$RC" = 0 ]; then pass "ota version compare is semantic (1.0.10 > 1.0.9)"; else
    fail "ota version compare is semantic (1.0.10 > 1.0.9)" "rc=$RC $(oneline <<<"$OUT")"; fi

  new_sandbox
  V=0.9.0 make_bundle
  expect_applied "ota --allow-downgrade permits a downgrade" b --allow-downgrade

  new_sandbox
  SLOT=a make_bundle
  expect_refusal "ota bundle for the running slot refused" 8 'built for slot a, but the inactive slot is b'

  new_sandbox
  EXTRA="../escape" make_bundle
  expect_refusal "ota unexpected member refused" 3 "unexpected member '../escape'"

  new_sandbox
  make_bundle
  tar --delete -f "$BUNDLE" kernel
  expect_refusal "ota missing member refused" 3 "missing member 'kernel'"

  new_sandbox
  make_bundle
  mv "$KEYS/good.pub" "$KEYS/good.pub.hidden"
  before=$(fingerprint)
  ota apply "$BUNDLE"
  mv "$KEYS/good.pub.hidden" "$KEYS/good.pub"
  if [ "$RC" = 13 ] && grep -q 'trusted public key .* is missing' <<<"$OUT" && [ "$before" = "$(fingerprint)" ]; then
    pass "ota missing trusted key refused"
  else
    fail "ota missing trusted key refused" "rc=$RC $(oneline <<<"$OUT")"
  fi

  new_sandbox
  make_bundle
  printf 'from=a\nto=b\nversion=1.0.5\n' >"$SB/state/pending"
  expect_refusal "ota apply refused while an update is pending" 11 'already pending'

  new_sandbox
  make_bundle
  printf '#!/usr/bin/env bash\nexit 1\n' >"$SB/bin/snapshot"
  before=$(fingerprint)
  ota apply "$BUNDLE"
  if [ "$RC" = 12 ] && grep -q 'pre-upgrade snapshot failed' <<<"$OUT" &&
    [ "$(head -c 200000 "$SB/slot-b" | tr -d '\0' | wc -c)" = 0 ] && [ ! -e "$SB/state/pending" ]; then
    pass "ota failed snapshot aborts before writing"
  else
    fail "ota failed snapshot aborts before writing" "rc=$RC $(oneline <<<"$OUT")"
  fi

  # The bundle is replaced after it was verified (the snapshot hook runs in between): the image that
  # is written must be the image that is hashed, and nothing but the signed image may reach a boot entry.
  # MODE append: the signed image plus trailing bytes (a read-back of the image's length would pass);
  # MODE flip: one byte changed.
  expect_swapped_image_refused() {
    local name=$1 mode=$2
    new_sandbox
    make_bundle
    rm -rf "$SB/swap.d"
    cp -r "$SB/bundle.d" "$SB/swap.d"
    case "$mode" in
      append) printf 'appended after signing' >>"$SB/swap.d/image" ;;
      flip) printf 'Y' | dd of="$SB/swap.d/image" bs=1 seek=5000 conv=notrunc status=none ;;
    esac
    tar -cf "$SB/swap.tar" -C "$SB/swap.d" manifest manifest.sig manifest.keyid image kernel initrd
    printf '#!/usr/bin/env bash\nmv -f %q %q\n' "$SB/swap.tar" "$BUNDLE" >"$SB/bin/snapshot"
    ota apply "$BUNDLE"
    if [ "$RC" = 6 ] && grep -q 'image written to slot b does not match the manifest' <<<"$OUT" &&
      [ ! -e "$SB/swap.tar" ] && [ ! -e "$SB/bootctl.log" ] && [ ! -e "$SB/state/pending" ] &&
      [ ! -e "$SB/esp/loader/entries/dplaneos-b.conf" ] && [ ! -e "$SB/esp/EFI/dplaneos/b/kernel" ]; then
      pass "$name"
    else
      fail "$name" "rc=$RC $(oneline <<<"$OUT")"
    fi
  }
  expect_swapped_image_refused "ota image with bytes appended after verification never reaches a boot entry" append
  expect_swapped_image_refused "ota image changed after verification never reaches a boot entry" flip

  # failing health check (daemon down) reverts and reboots
  new_sandbox
  make_bundle
  ota apply "$BUNDLE"
  echo "dplaneos.slot=b" >"$SB/cmdline"
  echo 7 >"$SB/curl.rc"
  ota health-check
  if [ "$RC" = 10 ] && grep -q 'health check FAILED' <<<"$OUT" && grep -q 'not healthy' <<<"$OUT" &&
    grep -qx 'set-default dplaneos-a.conf' "$SB/bootctl.log" && ! grep -qx 'set-default dplaneos-b.conf' "$SB/bootctl.log" &&
    grep -qx reboot "$SB/reboot.log" && [ ! -e "$SB/state/pending" ] && [ -e "$SB/state/last-failed" ] &&
    [ "$(wc -l <"$SB/curl.log")" -ge 2 ]; then
    pass "ota failing health check reverts and reboots"
  else
    fail "ota failing health check reverts and reboots" "rc=$RC $(oneline <<<"$OUT")"
  fi
  ota health-check
  if [ "$RC" = 0 ] && [ "$(wc -l <"$SB/reboot.log")" = 1 ]; then
    pass "ota revert does not loop"
  else
    fail "ota revert does not loop" "rc=$RC $(oneline <<<"$OUT")"
  fi

  # daemon healthy but systemd degraded: still a revert
  new_sandbox
  make_bundle
  ota apply "$BUNDLE"
  echo "dplaneos.slot=b" >"$SB/cmdline"
  echo degraded >"$SB/system-state"
  ota health-check
  if [ "$RC" = 10 ] && grep -q "system state 'degraded'" <<<"$OUT" && grep -qx reboot "$SB/reboot.log"; then
    pass "ota degraded system reverts"
  else
    fail "ota degraded system reverts" "rc=$RC $(oneline <<<"$OUT")"
  fi

  # new slot never came up: back on a, no reboot, marker cleared
  new_sandbox
  make_bundle
  ota apply "$BUNDLE"
  ota health-check
  if [ "$RC" = 10 ] && grep -q 'did not come up' <<<"$OUT" && [ ! -e "$SB/reboot.log" ] &&
    [ ! -e "$SB/state/pending" ] && ! grep -q set-default "$SB/bootctl.log"; then
    pass "ota slot that never booted stays inactive"
  else
    fail "ota slot that never booted stays inactive" "rc=$RC $(oneline <<<"$OUT")"
  fi

  new_sandbox
  ota health-check
  if [ "$RC" = 0 ] && grep -q 'nothing to check' <<<"$OUT"; then pass "ota health check without pending update is a no-op"; else
    fail "ota health check without pending update is a no-op" "rc=$RC $(oneline <<<"$OUT")"; fi

  new_sandbox
  ota frobnicate
  if [ "$RC" = 2 ]; then pass "ota unknown verb is a usage error"; else fail "ota unknown verb is a usage error" "rc=$RC"; fi
else
  fail "ota ed25519 key pairs generated" "openssl missing or cannot make Ed25519 keys"
fi

echo "nix: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
