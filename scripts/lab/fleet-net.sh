#!/usr/bin/env bash
# fleet-net.sh - network namespaces for fleet tests: N nodes on one private bridge, each in its
# own namespace, so a partition is a real cut of one node's link (not a firewall rule in the
# daemon's own process).
#
# usage: fleet-net.sh up <N> [--host] | cut <i> | heal <i> | status | down
#   up N     namespaces dpl-fleet-1..N, each with a veth to bridge dpl-fleet-br in namespace
#            dpl-fleet-sw; node i has 10.77.0.<i>/24 and loopback. Idempotent.
#            --host also gives the root namespace a leg on the switch, 10.77.0.254/24 (veth
#            fhost), so a test process there reaches every node (and they reach it) until cut.
#   cut i    takes node i's link down on the switch side: the node keeps running, alone.
#   heal i   brings it back.
#   status   one line per node: name, address, link up/down.
#   down     removes every namespace this script made and the host leg (processes in them are
#            left to the caller).
# Run a program in node i with: nsenter --net=/run/netns/dpl-fleet-<i> <command...>
# (nsenter keeps the mount namespace, so the shared zfs-fuse and docker sockets stay reachable).
# FLEET_NET_PREFIX overrides the name prefix (default dpl-fleet), FLEET_NET_SUBNET the first
# three octets (default 10.77.0).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PREFIX="${FLEET_NET_PREFIX:-dpl-fleet}"
SUBNET="${FLEET_NET_SUBNET:-10.77.0}"
SWITCH="$PREFIX-sw"
BRIDGE="${PREFIX}-br"
USAGE="fleet-net.sh up <N> [--host] | cut <i> | heal <i> | status | down"

node_ns() { printf '%s-%s' "$PREFIX" "$1"; }
# Interface names are at most 15 characters: keep the switch side short.
switch_if() { printf 'fsw%s' "$1"; }
node_if() { printf 'fnode%s' "$1"; }
HOST_IF=fhost
HOST_SWITCH_IF=fswhost

ns_exists() { ip netns list | awk '{print $1}' | grep -qx -- "$1"; }

in_ns() {
    local ns="$1"
    shift
    ip netns exec "$ns" "$@"
}

check_index() {
    [[ "$1" =~ ^[1-9][0-9]?$ ]] || usage_die "$USAGE (node index 1..99, got '$1')"
}

up() {
    local n="$1" i ns
    check_index "$n"
    if ! ns_exists "$SWITCH"; then
        ip netns add "$SWITCH"
        in_ns "$SWITCH" ip link set lo up
        in_ns "$SWITCH" ip link add "$BRIDGE" type bridge
        in_ns "$SWITCH" ip link set "$BRIDGE" up
        log "switch namespace $SWITCH with bridge $BRIDGE"
    fi
    for ((i = 1; i <= n; i++)); do
        ns="$(node_ns "$i")"
        if ns_exists "$ns"; then
            continue
        fi
        ip netns add "$ns"
        in_ns "$ns" ip link set lo up
        ip link add "$(switch_if "$i")" netns "$SWITCH" type veth peer name "$(node_if "$i")" netns "$ns"
        in_ns "$SWITCH" ip link set "$(switch_if "$i")" master "$BRIDGE"
        in_ns "$SWITCH" ip link set "$(switch_if "$i")" up
        in_ns "$ns" ip addr add "$SUBNET.$i/24" dev "$(node_if "$i")"
        in_ns "$ns" ip link set "$(node_if "$i")" up
        log "node $i: namespace $ns, address $SUBNET.$i"
    done
}

host_leg() {
    if ip link show "$HOST_IF" >/dev/null 2>&1; then
        return
    fi
    ip link add "$HOST_IF" type veth peer name "$HOST_SWITCH_IF" netns "$SWITCH"
    in_ns "$SWITCH" ip link set "$HOST_SWITCH_IF" master "$BRIDGE"
    in_ns "$SWITCH" ip link set "$HOST_SWITCH_IF" up
    ip addr add "$SUBNET.254/24" dev "$HOST_IF"
    ip link set "$HOST_IF" up
    log "host leg: $HOST_IF, address $SUBNET.254"
}

set_link() {
    local i="$1" state="$2"
    check_index "$i"
    ns_exists "$(node_ns "$i")" || die "no namespace $(node_ns "$i"): run 'fleet-net.sh up N' first"
    in_ns "$SWITCH" ip link set "$(switch_if "$i")" "$state"
    log "node $i: link $state"
}

status() {
    local ns i state
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$PREFIX-[0-9]+$" | sort -t- -k3 -n); do
        i="${ns##*-}"
        if in_ns "$SWITCH" ip -o link show "$(switch_if "$i")" | grep -q 'state UP\|,UP'; then state=up; else state=down; fi
        printf '%s %s.%s %s\n' "$ns" "$SUBNET" "$i" "$state"
    done
}

down() {
    local ns
    if ip link show "$HOST_IF" >/dev/null 2>&1; then
        ip link delete "$HOST_IF"
        log "removed host leg $HOST_IF"
    fi
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$PREFIX-([0-9]+|sw)$"); do
        ip netns delete "$ns"
        log "removed namespace $ns"
    done
}

need_root
need_cmd ip
case "${1:-}" in
up)
    [[ $# -eq 2 || ($# -eq 3 && "$3" == --host) ]] || usage_die "$USAGE"
    up "$2"
    if [[ $# -eq 3 ]]; then host_leg; fi
    ;;
cut) [[ $# -eq 2 ]] || usage_die "$USAGE"; set_link "$2" down ;;
heal) [[ $# -eq 2 ]] || usage_die "$USAGE"; set_link "$2" up ;;
status) status ;;
down) down ;;
*) usage_die "$USAGE" ;;
esac
