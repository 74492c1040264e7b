#!/usr/bin/env bash
# update-deps.sh: regenerate nix/deps.json, the NuGet lock that package.nix
# passes to buildDotnetModule as nugetDeps, without Nix and without
# network access from Nix (dotnet restore itself may use the network).
#
# USAGE
#   nix/update-deps.sh [--rid RID] [--restore-dir DIR [--no-restore]] [OUTPUT]
#     OUTPUT         file to write (default nix/deps.json; "-" writes to stdout)
#     --rid RID      runtime identifier to restore for (default linux-x64)
#     --restore-dir  restore in DIR (empty, or made by an earlier run) and keep it
#                    (default: a temporary directory)
#     --no-restore   DIR already holds a restored tree; only read it
#
# WHAT IT DOES
#   1. Copies the same sources package.nix builds from (src/ without bin/ and
#      obj/, the .sln, Directory.Build.props, Directory.Packages.props with the
#      central package versions, global.json, hocon/) into DIR, so the
#      worktree's obj/ is left alone.
#   2. Runs the restore buildDotnetModule's configure phase runs:
#        dotnet restore src/Gateway/DPlaneOS.Gateway.csproj -r RID
#          -p:ContinuousIntegrationBuild=true -p:Deterministic=true
#   3. Takes the project closure from obj/DPlaneOS.Gateway.csproj.nuget.dgspec.json
#      and reads every project's obj/project.assets.json: all libraries of type
#      "package" plus the frameworks' downloadDependencies (runtime packs).
#      Every project counts, since buildDotnetModule restores each of them
#      (a PrivateAssets package of a referenced project is not in the
#      Gateway's own assets file).
#   4. Leaves out what the nixpkgs .NET SDK ships itself as NuGet packages
#      (dotnet-sdk.packages and targetPackages in nixpkgs'
#      pkgs/development/compilers/dotnet/packages.nix, added to every
#      buildDotnetModule): the targeting packs, apphost, ILCompiler, ILLink
#      and crossgen packs, and for the RID the runtime packs
#      Microsoft.NETCore.App.Runtime.RID and Microsoft.AspNetCore.App.Runtime.RID.
#      nixpkgs' own generator (nuget-to-json, run by `fetch-deps`) leaves them
#      out too: their source is the SDK in the Nix store, not a feed.
#   5. Hashes each package file
#        <packages folder>/<id lower>/<version lower>/<id lower>.<version lower>.nupkg
#      after checking that NuGet restored it from nuget.org (.nupkg.metadata)
#      and that it still matches the sha512 NuGet wrote beside it at download
#      (<file>.nupkg.sha512).
#
# FORMAT (what nixpkgs' nuget-to-json writes and buildDotnetModule reads when
# nugetDeps is a path ending in .json; each entry becomes fetchNupkg { pname,
# version, hash }, fetched from https://www.nuget.org/api/v2/package/PNAME/VERSION):
#   [
#     {
#       "pname": "Akka",                  id as in the package's .nuspec
#       "version": "1.5.74",              normalized version, lower case
#       "hash": "sha256-<base64>"         SRI sha256 of the .nupkg file
#     },
#     ...
#   ]
#   sorted by lower-case id, then version (byte order, like nuget-to-json),
#   printed by jq with two-space indentation.
#
# EXIT CODES  0 ok, 2 usage, 3 a tool is missing, 4 restore failed,
#             5 the restore output is inconsistent (missing or altered package)
set -euo pipefail
export LC_ALL=C DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENTRY=src/Gateway/DPlaneOS.Gateway.csproj
NUGET_ORG=https://api.nuget.org/v3/index.json

die() {
  local code=$1
  shift
  printf 'update-deps: %s\n' "$*" >&2
  exit "$code"
}

usage() {
  sed -n '6,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

RID=linux-x64 DIR="" RESTORE=1 OUTPUT="$ROOT/nix/deps.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) [ $# -ge 2 ] || usage; RID=$2; shift ;;
    --restore-dir) [ $# -ge 2 ] || usage; DIR=$2; shift ;;
    --no-restore) RESTORE=0 ;;
    -h | --help) usage ;;
    -?*) usage ;;
    *) OUTPUT=$1 ;;
  esac
  shift
done
[[ "$RID" =~ ^[a-z0-9]+(-[a-z0-9]+)+$ ]] || die 2 "--rid '$RID' is not a runtime identifier"
if [ "$RESTORE" = 0 ] && [ -z "$DIR" ]; then die 2 "--no-restore needs --restore-dir"; fi

for tool in jq openssl base64 tar; do
  command -v "$tool" >/dev/null 2>&1 || die 3 "$tool is not installed"
done

# Packages the nixpkgs SDK provides (nixpkgs dotnet packages.nix, .NET >= 9).
SDK_PROVIDED=(
  microsoft.aspnetcore.app.ref
  microsoft.netcore.app.ref
  microsoft.netcore.dotnetapphost
  microsoft.dotnet.ilcompiler
  microsoft.net.illink.tasks
  "microsoft.netcore.app.crossgen2.$RID"
  "runtime.$RID.microsoft.dotnet.ilcompiler"
  "microsoft.aspnetcore.app.runtime.$RID"
  "microsoft.netcore.app.host.$RID"
  "microsoft.netcore.app.runtime.$RID"
  "runtime.$RID.microsoft.netcore.dotnetapphost"
)
sdk_provided() {
  local p
  for p in "${SDK_PROVIDED[@]}"; do [ "$1" = "$p" ] && return 0; done
  return 1
}

CLEANUP=() # removed on exit
trap 'rm -rf -- "${CLEANUP[@]}"' EXIT
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/dplaneos-deps.XXXXXX")
  CLEANUP+=("$DIR")
fi
mkdir -p -- "$DIR"
DIR=$(cd "$DIR" && pwd)

if [ "$RESTORE" = 1 ]; then
  # The copy replaces DIR/src: only ever in an empty directory or one this script made.
  if [ -n "$(ls -A -- "$DIR")" ] && [ ! -e "$DIR/.update-deps" ]; then
    die 2 "--restore-dir $DIR is not empty and was not made by update-deps.sh"
  fi
  : >"$DIR/.update-deps"
  command -v dotnet >/dev/null 2>&1 || die 3 "dotnet is not installed"
  # The fileset of package.nix; keep the two lists in step.
  sources=(src DPlaneOS.Actors.sln Directory.Build.props Directory.Packages.props global.json)
  for f in hocon NuGet.config nuget.config; do
    if [ -e "$ROOT/$f" ]; then sources+=("$f"); fi
  done
  rm -rf -- "${DIR:?}/src"
  tar -C "$ROOT" --exclude=bin --exclude=obj -cf - "${sources[@]}" | tar -C "$DIR" -xf - ||
    die 4 "cannot copy the sources to $DIR"
  echo "update-deps: restoring $ENTRY for $RID in $DIR" >&2
  (cd "$DIR" && dotnet restore "$ENTRY" -r "$RID" \
    -p:ContinuousIntegrationBuild=true -p:Deterministic=true) >&2 ||
    die 4 "dotnet restore failed"
fi

dgspec="$DIR/$(dirname "$ENTRY")/obj/$(basename "$ENTRY").nuget.dgspec.json"
[ -r "$dgspec" ] || die 5 "no restore graph $dgspec (was $ENTRY restored in $DIR?)"
mapfile -t objdirs < <(jq -r '.projects[].restore.outputPath' "$dgspec")
[ "${#objdirs[@]}" -gt 0 ] || die 5 "$dgspec lists no projects"

# One line per package: id <TAB> version, as the assets files spell them.
collected=$(mktemp "${TMPDIR:-/tmp}/dplaneos-deps-list.XXXXXX")
CLEANUP+=("$collected")
PKGDIR=""
for obj in "${objdirs[@]}"; do
  assets="${obj%/}/project.assets.json"
  [ -r "$assets" ] || die 5 "missing $assets"
  jq -e --arg rid "$RID" '.targets | keys | any(endswith("/" + $rid))' "$assets" >/dev/null ||
    die 5 "$assets was not restored for $RID (no target */$RID)"
  if [ -z "$PKGDIR" ]; then
    PKGDIR=$(jq -r '.packageFolders | keys[0]' "$assets")
  fi
  jq -r '.libraries | to_entries[] | select(.value.type == "package") | .key | sub("/"; "\t")' "$assets" >>"$collected"
  jq -r '.project.frameworks[]?.downloadDependencies[]? |
    (.version | capture("^\\[(?<lo>[^,]+), *(?<hi>[^\\]]+)\\]$")) as $v |
    if $v.lo == $v.hi then "\(.name)\t\($v.lo)" else error("\(.name) \(.version) is not an exact version") end' \
    "$assets" >>"$collected" || die 5 "cannot read downloadDependencies of $assets"
done
if [ -z "$PKGDIR" ] || [ ! -d "$PKGDIR" ]; then die 5 "packages folder '$PKGDIR' does not exist"; fi

sri_sha256() { printf 'sha256-%s' "$(openssl dgst -sha256 -binary "$1" | base64 -w0)"; }
sha512_b64() { openssl dgst -sha512 -binary "$1" | base64 -w0; }

entries=""
skipped=()
while IFS=$'\t' read -r lid lver id version; do
  if sdk_provided "$lid"; then
    skipped+=("$id/$version")
    continue
  fi
  pdir="${PKGDIR%/}/$lid/$lver"
  nupkg="$pdir/$lid.$lver.nupkg"
  meta="$pdir/.nupkg.metadata"
  [ -f "$nupkg" ] || die 5 "$id $version: $nupkg is missing"
  [ -f "$meta" ] || die 5 "$id $version: $meta is missing"
  source=$(jq -r '.source // ""' "$meta")
  [ "$source" = "$NUGET_ORG" ] ||
    die 5 "$id $version was restored from '${source:-unknown}', not $NUGET_ORG; buildDotnetModule fetches from nuget.org, so a url entry would be needed"
  if [ ! -f "$nupkg.sha512" ] || [ "$(tr -d '[:space:]' <"$nupkg.sha512")" != "$(sha512_b64 "$nupkg")" ]; then
    die 5 "$id $version: $nupkg does not match the sha512 NuGet recorded in $nupkg.sha512"
  fi
  nuspec="$pdir/$lid.nuspec"
  pname=$id
  if [ -f "$nuspec" ]; then
    pname=$(grep -o -m1 '<id>[^<]*</id>' "$nuspec" | sed 's/<[^>]*>//g') || true
    [ "${pname,,}" = "$lid" ] || die 5 "$id $version: $nuspec names package '$pname'"
  fi
  entries+="$pname"$'\t'"$lver"$'\t'"$(sri_sha256 "$nupkg")"$'\n'
done < <(awk -F'\t' '{ print tolower($1) "\t" tolower($2) "\t" $1 "\t" $2 }' "$collected" | sort -t$'\t' -k1,1 -k2,2 -u)

[ -n "$entries" ] || die 5 "no packages found"
if [ "${#skipped[@]}" -gt 0 ]; then
  echo "update-deps: provided by the nixpkgs .NET SDK, not listed: ${skipped[*]}" >&2
fi

json=$(printf '%s' "$entries" | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | { pname: .[0], version: .[1], hash: .[2] })')
if [ "$OUTPUT" = - ]; then
  printf '%s\n' "$json"
else
  printf '%s\n' "$json" >"$OUTPUT.new"
  mv -f -- "$OUTPUT.new" "$OUTPUT"
  echo "update-deps: wrote $(jq length "$OUTPUT") packages to $OUTPUT" >&2
fi
