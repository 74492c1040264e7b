#!/usr/bin/env bash
# dplaneos-ota: signed A/B over-the-air updates with automatic revert.
#
# USAGE
#   ota-update.sh verify [--allow-downgrade|--reinstall] BUNDLE   check a bundle, write nothing
#   ota-update.sh apply  [--allow-downgrade|--reinstall] [--reboot] BUNDLE
#                                   verify, write to the inactive slot, one-time boot into it
#   ota-update.sh health-check      after boot: commit the new slot or revert and reboot
#   ota-update.sh status            print slot and pending-update state
#   ota-update.sh version-cmp A B   print <, = or > (SemVer precedence of A against B)
#
# BUNDLE FORMAT (an uncompressed or gzip/zstd tar; members at the top level, no
# other members allowed, each exactly once)
#   manifest        signed text, one key=value per line (no duplicates, no unknown keys):
#                     format=1
#                     version=1.4.2              (see VERSIONS)
#                     slot=a|b                   (the slot this image was built for)
#                     image_sha256=<64 hex>      sha256 of member "image"
#                     kernel_sha256=<64 hex>     sha256 of member "kernel"
#                     initrd_sha256=<64 hex>     sha256 of member "initrd"
#                     init=/nix/store/<hash>-<name>/init
#                     cmdline=<extra kernel parameters>   (optional)
#   manifest.sig    64-byte raw Ed25519 signature over "manifest"
#                     openssl pkeyutl -sign -rawin -inkey key.pem -in manifest -out manifest.sig
#   manifest.keyid  (optional, unsigned hint) sha256 hex of the signer's DER public key;
#                     lets a wrong key be reported as such instead of as a bad signature
#   image           raw filesystem image of the slot (the slot's /nix), written with dd
#   kernel, initrd  boot files, copied to $OTA_ESP/EFI/dplaneos/<slot>/
#
# Nothing but manifest/manifest.sig/manifest.keyid is extracted before the
# signature is verified; image, kernel and initrd are hashed against the
# signed manifest before a single byte is written. The image is hashed again
# while it streams into the slot (the slot is never read back), and the boot
# entry is written only when that hash matches: a bundle replaced after
# verification leaves the slot unbootable and the boot entries unchanged.
#
# SLOTS AND BOOT
#   The running slot is read from the kernel command line (dplaneos.slot=a|b).
#   apply writes the image to the other slot, installs
#   $OTA_ESP/loader/entries/dplaneos-<slot>.conf and runs
#   `bootctl set-oneshot` on it: the default entry is untouched, so any
#   reboot after the one attempt (crash, hang, watchdog, power loss) lands
#   on the old slot again. health-check makes the new slot the default only
#   when the daemon's /healthz answers and `systemctl is-system-running`
#   says "running" within OTA_HEALTH_TIMEOUT (90 s); otherwise it points the
#   default back at the previous slot and reboots.
#
# VERSIONS
#   MAJOR.MINOR.PATCH (any number of numeric components, missing ones count
#   as 0) with an optional SemVer pre-release: -rc.1, -beta.2, -rc1. No
#   build metadata (+...). Order is SemVer 2.0 precedence: components
#   numerically (1.10.0 > 1.9.9); a pre-release is lower than its release
#   (1.2.0-rc.1 < 1.2.0); pre-release identifiers compared left to right,
#   numeric ones numerically (rc.2 < rc.10), others in ASCII order, numeric
#   below alphanumeric, and fewer identifiers lower when all others are equal
#   (rc.1 < rc.1.1). Numeric pre-release identifiers may not have leading
#   zeros. A bundle is installed only when it is newer than the running
#   version: an older one is a downgrade (needs --allow-downgrade), the same
#   version a reinstall (needs --reinstall or --allow-downgrade).
#
# EXIT CODES
#   0 ok   2 usage   3 malformed bundle   4 signed by an untrusted key
#   5 bad signature   6 hash mismatch   7 downgrade or reinstall refused   8 slot error
#   9 write/boot-loader failure   10 health check failed (reverted)
#   11 busy (update pending or another run)   12 pre-upgrade snapshot failed
#   13 configuration error (public key, running version)
#
# ENVIRONMENT (defaults are the real system; tests point them at a sandbox)
#   OTA_STATE_DIR /persist/ota     OTA_PUBKEY /etc/dplaneos/ota-signing.pub
#   OTA_VERSION_FILE /etc/dplaneos/version   OTA_CMDLINE /proc/cmdline
#   OTA_SLOT_A /dev/disk/by-partlabel/system-a   OTA_SLOT_B .../system-b
#   OTA_ESP /boot   OTA_HEALTH_URL http://127.0.0.1:9000/healthz
#   OTA_HEALTH_TIMEOUT 90   OTA_HEALTH_INTERVAL 5
#   OTA_OPENSSL openssl   OTA_CURL curl   OTA_SYSTEMCTL systemctl
#   OTA_BOOTCTL bootctl   OTA_REBOOT reboot
#   OTA_SNAPSHOT dplaned  (run as "$OTA_SNAPSHOT snapshot pre-upgrade"; empty skips)
#   TMPDIR /tmp (the working directory of a run)
#   The NixOS wrapper (ota-module.nix) pins every one of these (and PATH), so the
#   caller's environment cannot redirect the key, the slots or the tools.
set -euo pipefail
umask 077

OTA_STATE_DIR="${OTA_STATE_DIR:-/persist/ota}"
OTA_PUBKEY="${OTA_PUBKEY:-/etc/dplaneos/ota-signing.pub}"
OTA_VERSION_FILE="${OTA_VERSION_FILE:-/etc/dplaneos/version}"
OTA_CMDLINE="${OTA_CMDLINE:-/proc/cmdline}"
OTA_SLOT_A="${OTA_SLOT_A:-/dev/disk/by-partlabel/system-a}"
OTA_SLOT_B="${OTA_SLOT_B:-/dev/disk/by-partlabel/system-b}"
OTA_ESP="${OTA_ESP:-/boot}"
OTA_HEALTH_URL="${OTA_HEALTH_URL:-http://127.0.0.1:9000/healthz}"
OTA_HEALTH_TIMEOUT="${OTA_HEALTH_TIMEOUT:-90}"
OTA_HEALTH_INTERVAL="${OTA_HEALTH_INTERVAL:-5}"
OTA_OPENSSL="${OTA_OPENSSL:-openssl}"
OTA_CURL="${OTA_CURL:-curl}"
OTA_SYSTEMCTL="${OTA_SYSTEMCTL:-systemctl}"
OTA_BOOTCTL="${OTA_BOOTCTL:-bootctl}"
OTA_REBOOT="${OTA_REBOOT:-reboot}"
OTA_SNAPSHOT="${OTA_SNAPSHOT-dplaned}"

readonly E_USAGE=2 E_BUNDLE=3 E_KEY=4 E_SIG=5 E_HASH=6 E_VERSION=7 E_SLOT=8 \
  E_WRITE=9 E_HEALTH=10 E_BUSY=11 E_SNAPSHOT=12 E_CONFIG=13

readonly MEMBERS_REQUIRED="manifest manifest.sig image kernel initrd"
readonly MEMBERS_OPTIONAL="manifest.keyid"
readonly MANIFEST_MAX=65536

PENDING="$OTA_STATE_DIR/pending"
TMP=""

log() {
  local msg="$*"
  printf 'dplaneos-ota: %s\n' "$msg" >&2
  if [ -d "$OTA_STATE_DIR" ] && [ -w "$OTA_STATE_DIR" ]; then
    printf '[%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$msg" >>"$OTA_STATE_DIR/ota.log" || true
  fi
}

die() {
  local code=$1
  shift
  log "ERROR: $*"
  exit "$code"
}

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "$E_USAGE"
}

cleanup() {
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then rm -rf -- "$TMP"; fi
}
trap cleanup EXIT

init_state() {
  mkdir -p -- "$OTA_STATE_DIR" || die "$E_CONFIG" "cannot create state dir $OTA_STATE_DIR"
  chmod 0700 "$OTA_STATE_DIR" 2>/dev/null || true
  exec 9>>"$OTA_STATE_DIR/lock"
  flock -n 9 || die "$E_BUSY" "another dplaneos-ota run holds $OTA_STATE_DIR/lock"
}

sha256_of_stream() { sha256sum | cut -d' ' -f1; }

# The slot we are running from, from the kernel command line.
current_slot() {
  local tok slot=""
  [ -r "$OTA_CMDLINE" ] || die "$E_SLOT" "cannot read kernel command line $OTA_CMDLINE"
  local -a toks=()
  read -r -a toks <"$OTA_CMDLINE" || true
  for tok in "${toks[@]}"; do
    case "$tok" in
      dplaneos.slot=a) slot=a ;;
      dplaneos.slot=b) slot=b ;;
    esac
  done
  [ -n "$slot" ] || die "$E_SLOT" "no dplaneos.slot=a|b on the kernel command line ($OTA_CMDLINE)"
  printf '%s\n' "$slot"
}

other_slot() { if [ "$1" = a ]; then echo b; else echo a; fi; }
slot_dev() { if [ "$1" = a ]; then echo "$OTA_SLOT_A"; else echo "$OTA_SLOT_B"; fi; }
entry_name() { printf 'dplaneos-%s.conf\n' "$1"; }

# --- versions (see VERSIONS above) -----------------------------------------

readonly VERSION_RE='^[0-9]+(\.[0-9]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'

valid_version() {
  local id
  local -a ids=()
  [[ "$1" =~ $VERSION_RE ]] || return 1
  if [[ "$1" == *-* ]]; then
    IFS=. read -r -a ids <<<"${1#*-}"
    for id in "${ids[@]}"; do
      if [[ "$id" =~ ^0[0-9]+$ ]]; then return 1; fi
    done
  fi
  return 0
}

# Digit strings of any length, compared as numbers (no 64-bit overflow).
cmp_num() {
  local LC_ALL=C a=$1 b=$2
  a=${a#"${a%%[!0]*}"}
  b=${b#"${b%%[!0]*}"}
  if [ "${#a}" -ne "${#b}" ]; then
    if [ "${#a}" -lt "${#b}" ]; then echo -1; else echo 1; fi
  elif [[ "$a" < "$b" ]]; then echo -1
  elif [[ "$a" > "$b" ]]; then echo 1
  else echo 0
  fi
}

# One pre-release identifier: numeric ones numerically and below alphanumeric ones.
cmp_ident() {
  local LC_ALL=C a=$1 b=$2 an=0 bn=0
  if [[ "$a" =~ ^[0-9]+$ ]]; then an=1; fi
  if [[ "$b" =~ ^[0-9]+$ ]]; then bn=1; fi
  if [ "$an" = 1 ] && [ "$bn" = 1 ]; then cmp_num "$a" "$b"
  elif [ "$an" = 1 ]; then echo -1
  elif [ "$bn" = 1 ]; then echo 1
  elif [[ "$a" < "$b" ]]; then echo -1
  elif [[ "$a" > "$b" ]]; then echo 1
  else echo 0
  fi
}

# Dot-separated fields compared left to right with $1 (cmp_num or
# cmp_ident); when all shared fields are equal, more fields rank higher.
cmp_fields() {
  local cmp=$1 i n c
  local -a x=() y=()
  IFS=. read -r -a x <<<"$2"
  IFS=. read -r -a y <<<"$3"
  n=${#x[@]}
  if [ "${#y[@]}" -lt "$n" ]; then n=${#y[@]}; fi
  for ((i = 0; i < n; i++)); do
    c=$("$cmp" "${x[i]}" "${y[i]}")
    if [ "$c" != 0 ]; then echo "$c"; return; fi
  done
  cmp_num "${#x[@]}" "${#y[@]}"
}

# Prints -1, 0 or 1: SemVer 2.0 precedence of $1 against $2 (both valid).
version_cmp() {
  local a=$1 b=$2 acore=${1%%-*} bcore=${2%%-*} apre="" bpre="" adots bdots c
  if [[ "$a" == *-* ]]; then apre=${a#*-}; fi
  if [[ "$b" == *-* ]]; then bpre=${b#*-}; fi
  # missing core components count as 0: 1.2 = 1.2.0
  adots=${acore//[!.]/}
  bdots=${bcore//[!.]/}
  while [ "${#adots}" -lt "${#bdots}" ]; do acore+=.0 adots+=.; done
  while [ "${#bdots}" -lt "${#adots}" ]; do bcore+=.0 bdots+=.; done
  c=$(cmp_fields cmp_num "$acore" "$bcore")
  if [ "$c" != 0 ]; then echo "$c"
  elif [ -z "$apre" ] && [ -z "$bpre" ]; then echo 0
  elif [ -z "$apre" ]; then echo 1 # a release ranks above its pre-releases
  elif [ -z "$bpre" ]; then echo -1
  else cmp_fields cmp_ident "$apre" "$bpre"
  fi
}

running_version() {
  local v
  [ -r "$OTA_VERSION_FILE" ] || die "$E_CONFIG" "cannot read running version from $OTA_VERSION_FILE"
  v=$(head -n1 -- "$OTA_VERSION_FILE" | tr -d '[:space:]')
  valid_version "$v" || die "$E_CONFIG" "running version '$v' in $OTA_VERSION_FILE is not a version"
  printf '%s\n' "$v"
}

pubkey_id() {
  "$OTA_OPENSSL" pkey -pubin -in "$OTA_PUBKEY" -outform DER 2>/dev/null | sha256_of_stream
}

check_pubkey() {
  [ -r "$OTA_PUBKEY" ] || die "$E_CONFIG" "trusted public key $OTA_PUBKEY is missing or unreadable"
  local text
  text=$("$OTA_OPENSSL" pkey -pubin -in "$OTA_PUBKEY" -noout -text 2>/dev/null) ||
    die "$E_CONFIG" "trusted public key $OTA_PUBKEY is not a PEM public key"
  case "$text" in
    ED25519*) ;;
    *) die "$E_CONFIG" "trusted public key $OTA_PUBKEY is not an Ed25519 key" ;;
  esac
}

# --- bundle inspection ------------------------------------------------------

list_members() {
  local bundle=$1 listing name want count
  listing=$(tar -tf "$bundle" 2>/dev/null) || die "$E_BUNDLE" "bundle $bundle is not a readable tar archive"
  while IFS= read -r name; do
    case " $MEMBERS_REQUIRED $MEMBERS_OPTIONAL " in
      *" $name "*) ;;
      *) die "$E_BUNDLE" "bundle contains unexpected member '$name'" ;;
    esac
  done <<<"$listing"
  for want in $MEMBERS_REQUIRED $MEMBERS_OPTIONAL; do
    count=$(grep -cxF -- "$want" <<<"$listing" || true)
    if [ "$count" -gt 1 ]; then die "$E_BUNDLE" "bundle member '$want' appears $count times"; fi
    if [ "$count" -eq 0 ] && [[ " $MEMBERS_REQUIRED " == *" $want "* ]]; then
      die "$E_BUNDLE" "bundle is missing member '$want'"
    fi
  done
  HAS_KEYID=0
  if grep -qxF manifest.keyid <<<"$listing"; then HAS_KEYID=1; fi
}

# Extract a small member with a hard size cap (never trusts the archive).
extract_small() {
  local bundle=$1 member=$2 out=$3 max=$4 size
  { tar -xOf "$bundle" "$member" 2>/dev/null || true; } | head -c "$((max + 1))" >"$out"
  size=$(stat -c %s -- "$out")
  [ "$size" -gt 0 ] || die "$E_BUNDLE" "bundle member '$member' is empty"
  [ "$size" -le "$max" ] || die "$E_BUNDLE" "bundle member '$member' is larger than $max bytes"
}

verify_signature() {
  local bundle=$1 want have
  extract_small "$bundle" manifest "$TMP/manifest" "$MANIFEST_MAX"
  extract_small "$bundle" manifest.sig "$TMP/manifest.sig" 64
  [ "$(stat -c %s -- "$TMP/manifest.sig")" -eq 64 ] ||
    die "$E_BUNDLE" "manifest.sig is not a 64-byte Ed25519 signature"
  if [ "$HAS_KEYID" = 1 ]; then
    extract_small "$bundle" manifest.keyid "$TMP/manifest.keyid" 128
    have=$(tr -d '[:space:]' <"$TMP/manifest.keyid")
    want=$(pubkey_id)
    if [ "$have" != "$want" ]; then
      die "$E_KEY" "bundle is signed by an untrusted key (key id ${have:0:16}..., trusted ${want:0:16}...)"
    fi
  fi
  if ! "$OTA_OPENSSL" pkeyutl -verify -pubin -inkey "$OTA_PUBKEY" -rawin \
    -in "$TMP/manifest" -sigfile "$TMP/manifest.sig" >/dev/null 2>&1; then
    die "$E_SIG" "bad signature: manifest.sig does not verify against $OTA_PUBKEY"
  fi
  log "manifest signature verified"
}

declare -A M=()
parse_manifest() {
  local file=$1 line key val re
  if LC_ALL=C grep -q '[^[:print:]]' "$file"; then
    die "$E_BUNDLE" "manifest contains non-printable characters"
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    [ -n "$line" ] || continue
    [[ "$line" == *=* ]] || die "$E_BUNDLE" "manifest line is not key=value: '$line'"
    key=${line%%=*}
    val=${line#*=}
    case "$key" in
      format) re='^1$' ;;
      version) re=$VERSION_RE ;;
      slot) re='^[ab]$' ;;
      image_sha256 | kernel_sha256 | initrd_sha256) re='^[0-9a-f]{64}$' ;;
      init) re='^/nix/store/[0-9a-z]{32}-[A-Za-z0-9+._?=-]+/init$' ;;
      cmdline) re='^[A-Za-z0-9._=,:/+ -]*$' ;;
      *) die "$E_BUNDLE" "manifest has unknown key '$key'" ;;
    esac
    [ -z "${M[$key]+set}" ] || die "$E_BUNDLE" "manifest has duplicate key '$key'"
    [[ "$val" =~ $re ]] || die "$E_BUNDLE" "manifest value of '$key' is invalid: '$val'"
    if [ "$key" = version ] && ! valid_version "$val"; then
      die "$E_BUNDLE" "manifest version '$val' has a numeric pre-release identifier with a leading zero"
    fi
    M[$key]=$val
  done <"$file"
  for key in format version slot image_sha256 kernel_sha256 initrd_sha256 init; do
    [ -n "${M[$key]+set}" ] || die "$E_BUNDLE" "manifest lacks required key '$key'"
  done
  if [ -z "${M[cmdline]+set}" ]; then M[cmdline]=""; fi
}

expect_hash() { # member want have
  [ "$3" = "$2" ] ||
    die "$E_HASH" "$1 sha256 mismatch: manifest says $2, bundle has $3 (tampered or corrupt image)"
}

check_member_hash() {
  local bundle=$1 member=$2 want=$3 have
  have=$(tar -xOf "$bundle" "$member" | sha256_of_stream) ||
    die "$E_BUNDLE" "cannot read member '$member'"
  expect_hash "$member" "$want" "$have"
}

# Streams member $2 of bundle $1 into the command "${@:3}" and hashes the very same bytes on the
# way (tee into a FIFO): one read of the bundle, and what the command got is what was hashed.
# Sets STREAM_SHA256; fails when reading, hashing or the command fails.
stream_member() {
  local bundle=$1 member=$2 fifo="$TMP/stream.fifo" hasher rc=0
  shift 2
  rm -f -- "$fifo" "$fifo.sha256"
  mkfifo -m 0600 -- "$fifo" || return 1
  sha256_of_stream <"$fifo" >"$fifo.sha256" &
  hasher=$!
  tar -xOf "$bundle" "$member" | tee -- "$fifo" | "$@" || rc=1
  wait "$hasher" || rc=1
  STREAM_SHA256=$(cat -- "$fifo.sha256")
  return "$rc"
}

slot_capacity() {
  local dev=$1
  if [ -b "$dev" ]; then
    blockdev --getsize64 "$dev"
  elif [ -f "$dev" ]; then
    stat -c %s -- "$dev"
  else
    return 1
  fi
}

# Full verification; on success sets FROM, TO, BUNDLE_VERSION, IMAGE_SIZE.
# $2: 1 allows an older or the same version, $3: 1 allows the same version.
verify_bundle() {
  local bundle=$1 allow_downgrade=$2 allow_reinstall=$3 running cap dev
  if [ ! -f "$bundle" ] || [ ! -r "$bundle" ]; then
    die "$E_BUNDLE" "bundle $bundle does not exist or is unreadable"
  fi
  check_pubkey
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/dplaneos-ota.XXXXXX")
  list_members "$bundle"
  verify_signature "$bundle"
  parse_manifest "$TMP/manifest"
  BUNDLE_VERSION=${M[version]}

  running=$(running_version)
  case "$(version_cmp "$BUNDLE_VERSION" "$running")" in
    1) ;;
    0)
      if [ "$allow_reinstall" = 1 ] || [ "$allow_downgrade" = 1 ]; then
        log "WARNING: reinstalling $BUNDLE_VERSION, the running version"
      else
        die "$E_VERSION" "refusing reinstall: bundle version $BUNDLE_VERSION is not newer than running $running, it is the same version (use --reinstall)"
      fi
      ;;
    -1)
      if [ "$allow_downgrade" = 1 ]; then
        log "WARNING: installing $BUNDLE_VERSION over newer running $running (--allow-downgrade)"
      else
        die "$E_VERSION" "refusing downgrade: bundle version $BUNDLE_VERSION is older than running $running (use --allow-downgrade)"
      fi
      ;;
    *) die "$E_CONFIG" "cannot compare versions $BUNDLE_VERSION and $running" ;;
  esac

  FROM=$(current_slot)
  TO=$(other_slot "$FROM")
  [ "${M[slot]}" = "$TO" ] ||
    die "$E_SLOT" "bundle was built for slot ${M[slot]}, but the inactive slot is $TO (running $FROM)"

  stream_member "$bundle" image wc -c >"$TMP/image.size" || die "$E_BUNDLE" "cannot read member 'image'"
  expect_hash image "${M[image_sha256]}" "$STREAM_SHA256"
  IMAGE_SIZE=$(tr -d '[:space:]' <"$TMP/image.size")
  check_member_hash "$bundle" kernel "${M[kernel_sha256]}"
  check_member_hash "$bundle" initrd "${M[initrd_sha256]}"

  dev=$(slot_dev "$TO")
  cap=$(slot_capacity "$dev") || die "$E_SLOT" "slot $TO device $dev not found"
  [ "$IMAGE_SIZE" -le "$cap" ] ||
    die "$E_SLOT" "image ($IMAGE_SIZE bytes) does not fit slot $TO ($cap bytes)"
  log "bundle $BUNDLE_VERSION verified for slot $TO (running $running on slot $FROM)"
}

# --- verbs ------------------------------------------------------------------

cmd_verify() {
  local allow=0 reinstall=0 bundle=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --allow-downgrade) allow=1 ;;
      --reinstall) reinstall=1 ;;
      -*) usage ;;
      *) [ -z "$bundle" ] || usage; bundle=$1 ;;
    esac
    shift
  done
  [ -n "$bundle" ] || usage
  init_state
  verify_bundle "$bundle" "$allow" "$reinstall"
  echo "OK: bundle $BUNDLE_VERSION is valid for slot $TO"
}

write_file_atomic() { # src dst
  cp -- "$1" "$2.new" && sync -- "$2.new" && mv -f -- "$2.new" "$2"
}

cmd_apply() {
  local allow=0 reinstall=0 reboot=0 bundle="" dev entry edir
  while [ $# -gt 0 ]; do
    case "$1" in
      --allow-downgrade) allow=1 ;;
      --reinstall) reinstall=1 ;;
      --reboot) reboot=1 ;;
      -*) usage ;;
      *) [ -z "$bundle" ] || usage; bundle=$1 ;;
    esac
    shift
  done
  [ -n "$bundle" ] || usage
  init_state
  [ ! -e "$PENDING" ] || die "$E_BUSY" "an update is already pending its health check ($PENDING); run health-check first"
  verify_bundle "$bundle" "$allow" "$reinstall"

  if [ -n "$OTA_SNAPSHOT" ]; then
    log "taking pre-upgrade snapshot"
    "$OTA_SNAPSHOT" snapshot pre-upgrade || die "$E_SNAPSHOT" "pre-upgrade snapshot failed; nothing written"
  fi

  dev=$(slot_dev "$TO")
  log "writing image ($IMAGE_SIZE bytes) to slot $TO ($dev)"
  # Hashed while it is written, never read back: the bytes that reached the slot are the bytes
  # checked here, whatever happened to the bundle since it was verified.
  stream_member "$bundle" image dd of="$dev" bs=4M conv=fsync,notrunc status=none ||
    die "$E_WRITE" "writing the image to $dev failed; slot $TO left unbootable, boot entries unchanged"
  [ "$STREAM_SHA256" = "${M[image_sha256]}" ] ||
    die "$E_HASH" "the image written to slot $TO does not match the manifest (sha256 $STREAM_SHA256, manifest ${M[image_sha256]}): the bundle changed after it was verified; slot $TO left unbootable, boot entries unchanged"

  edir="$OTA_ESP/EFI/dplaneos/$TO"
  entry="$OTA_ESP/loader/entries/$(entry_name "$TO")"
  mkdir -p -- "$edir" "$OTA_ESP/loader/entries" || die "$E_WRITE" "cannot create directories on $OTA_ESP"
  tar -xOf "$bundle" kernel >"$TMP/kernel" || die "$E_BUNDLE" "cannot extract kernel"
  tar -xOf "$bundle" initrd >"$TMP/initrd" || die "$E_BUNDLE" "cannot extract initrd"
  if [ "$(sha256_of_stream <"$TMP/kernel")" != "${M[kernel_sha256]}" ] ||
    [ "$(sha256_of_stream <"$TMP/initrd")" != "${M[initrd_sha256]}" ]; then
    die "$E_HASH" "kernel/initrd changed while reading the bundle"
  fi
  write_file_atomic "$TMP/kernel" "$edir/kernel" || die "$E_WRITE" "cannot write kernel to $edir"
  write_file_atomic "$TMP/initrd" "$edir/initrd" || die "$E_WRITE" "cannot write initrd to $edir"
  {
    printf 'title DPlaneOS %s (slot %s)\n' "$BUNDLE_VERSION" "$TO"
    printf 'version %s\n' "$BUNDLE_VERSION"
    printf 'linux /EFI/dplaneos/%s/kernel\n' "$TO"
    printf 'initrd /EFI/dplaneos/%s/initrd\n' "$TO"
    printf 'options init=%s dplaneos.slot=%s %s\n' "${M[init]}" "$TO" "${M[cmdline]}"
  } >"$TMP/entry"
  write_file_atomic "$TMP/entry" "$entry" || die "$E_WRITE" "cannot write boot entry $entry"

  printf 'from=%s\nto=%s\nversion=%s\napplied_at=%s\n' "$FROM" "$TO" "$BUNDLE_VERSION" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$PENDING.new" || die "$E_WRITE" "cannot write $PENDING"
  mv -f -- "$PENDING.new" "$PENDING" || die "$E_WRITE" "cannot write $PENDING"
  if ! "$OTA_BOOTCTL" set-oneshot "$(entry_name "$TO")"; then
    rm -f -- "$PENDING"
    die "$E_WRITE" "bootctl set-oneshot $(entry_name "$TO") failed; the running slot stays default"
  fi
  log "slot $TO holds $BUNDLE_VERSION; next boot (once) goes to slot $TO, health-check commits or reverts"
  echo "OK: update $BUNDLE_VERSION written to slot $TO; one-time boot set"
  if [ "$reboot" = 1 ]; then
    log "rebooting"
    "$OTA_REBOOT"
  else
    echo "reboot to activate it"
  fi
}

read_pending() {
  local line
  P_FROM="" P_TO="" P_VERSION=""
  while IFS= read -r line; do
    case "$line" in
      from=a | from=b) P_FROM=${line#from=} ;;
      to=a | to=b) P_TO=${line#to=} ;;
      version=*) P_VERSION=${line#version=} ;;
    esac
  done <"$PENDING"
  if [ -z "$P_FROM" ] || [ -z "$P_TO" ]; then
    mv -f -- "$PENDING" "$OTA_STATE_DIR/pending.corrupt"
    die "$E_HEALTH" "pending marker is corrupt; moved to pending.corrupt, staying on the default slot"
  fi
}

cmd_health_check() {
  local cur start http_ok state reason
  [ $# -eq 0 ] || usage
  init_state
  if [ ! -e "$PENDING" ]; then
    log "no update pending; nothing to check"
    return 0
  fi
  read_pending
  cur=$(current_slot)
  if [ "$cur" != "$P_TO" ]; then
    mv -f -- "$PENDING" "$OTA_STATE_DIR/last-failed"
    die "$E_HEALTH" "update $P_VERSION on slot $P_TO did not come up (running slot $cur); it stays inactive"
  fi

  log "checking health of $P_VERSION on slot $P_TO (up to ${OTA_HEALTH_TIMEOUT}s)"
  start=$SECONDS
  while :; do
    http_ok=0
    if "$OTA_CURL" -fsS --max-time 5 -o /dev/null "$OTA_HEALTH_URL" 2>/dev/null; then http_ok=1; fi
    state=$("$OTA_SYSTEMCTL" is-system-running 2>/dev/null || true)
    if [ "$http_ok" = 1 ] && [ "$state" = running ]; then
      "$OTA_BOOTCTL" set-default "$(entry_name "$P_TO")" ||
        die "$E_WRITE" "healthy, but bootctl set-default $(entry_name "$P_TO") failed; will retry on next run"
      printf 'slot=%s\nversion=%s\n' "$P_TO" "$P_VERSION" >"$OTA_STATE_DIR/good-slot"
      rm -f -- "$PENDING"
      log "slot $P_TO ($P_VERSION) is healthy and now the default"
      echo "OK: slot $P_TO marked good"
      return 0
    fi
    if [ $((SECONDS - start)) -ge "$OTA_HEALTH_TIMEOUT" ]; then break; fi
    sleep "$OTA_HEALTH_INTERVAL"
  done

  reason=""
  if [ "$http_ok" != 1 ]; then reason="$OTA_HEALTH_URL not healthy; "; fi
  if [ "$state" != running ]; then reason="${reason}system state '${state:-unknown}'"; fi
  # Clear the marker first: a revert must never loop.
  mv -f -- "$PENDING" "$OTA_STATE_DIR/last-failed"
  log "health check FAILED after ${OTA_HEALTH_TIMEOUT}s: $reason; reverting to slot $P_FROM"
  if [ -e "$OTA_ESP/loader/entries/$(entry_name "$P_FROM")" ]; then
    "$OTA_BOOTCTL" set-default "$(entry_name "$P_FROM")" ||
      log "WARNING: bootctl set-default $(entry_name "$P_FROM") failed; default entry was never changed"
  else
    log "previous slot has no dplaneos entry; the unchanged default entry boots it"
  fi
  "$OTA_REBOOT" || log "WARNING: reboot command failed"
  exit "$E_HEALTH"
}

cmd_status() {
  local cur
  cur=$(current_slot)
  echo "running slot: $cur"
  if [ -r "$OTA_VERSION_FILE" ]; then echo "running version: $(running_version)"; fi
  if [ -e "$PENDING" ]; then echo "pending:"; sed 's/^/  /' "$PENDING"; else echo "pending: none"; fi
  if [ -e "$OTA_STATE_DIR/good-slot" ]; then echo "last good:"; sed 's/^/  /' "$OTA_STATE_DIR/good-slot"; fi
}

cmd_version_cmp() {
  [ $# -eq 2 ] || usage
  valid_version "$1" || die "$E_USAGE" "'$1' is not a version"
  valid_version "$2" || die "$E_USAGE" "'$2' is not a version"
  case "$(version_cmp "$1" "$2")" in
    -1) echo "<" ;;
    0) echo "=" ;;
    1) echo ">" ;;
  esac
}

main() {
  [ $# -ge 1 ] || usage
  local verb=$1
  shift
  case "$verb" in
    verify) cmd_verify "$@" ;;
    apply) cmd_apply "$@" ;;
    health-check | --health-check) cmd_health_check "$@" ;;
    status) cmd_status "$@" ;;
    version-cmp) cmd_version_cmp "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
