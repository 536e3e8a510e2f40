#!/usr/bin/env bash
# A 3-host Ray cluster on one Linux machine: each host is a network namespace with its own
# address in 198.18.0.0/24 (the range set aside for network test benches), its own host
# name (a UTS namespace) and its own Ray temp dir, joined by veth links to a bridge that
# exists only on this machine. Needs root and iproute2.
#
#   cluster/netns-cluster.sh up              # head (0 CPUs) + hosts w1, w2 joined to it
#   cluster/netns-cluster.sh exec head CMD   # run CMD on a host (e.g. the sweep driver)
#   cluster/netns-cluster.sh kill w1         # SIGKILL every process of host w1
#   cluster/netns-cluster.sh start w1        # start host w1's Ray node again
#   cluster/netns-cluster.sh cut w1          # take w1's link down (the host keeps running)
#   cluster/netns-cluster.sh restore w1      # bring it back up
#   cluster/netns-cluster.sh down            # stop every process, remove links and namespaces
#
# Settings (environment): QRAY_NETNS (name prefix, default qray; at most 6 characters),
# QRAY_NETNS_DIR (state and Ray temp dirs, default /tmp/<prefix>-netns),
# QRAY_NETNS_CPUS (CPUs of each worker host, default 1), RAY (the ray command).
# Addresses: bridge 198.18.0.254, head 198.18.0.1 (GCS port 6379, dashboard 8265),
# w1 198.18.0.2, w2 198.18.0.3. Each worker host offers the custom resource host_<name>.
# Token auth is off: every port listens only on these links.
set -euo pipefail

P=${QRAY_NETNS:-qray}
DIR=${QRAY_NETNS_DIR:-/tmp/$P-netns}
CPUS=${QRAY_NETNS_CPUS:-1}
RAY=${RAY:-ray}
BR=${P}br
HEAD_IP=198.18.0.1
declare -A IP=([head]=198.18.0.1 [w1]=198.18.0.2 [w2]=198.18.0.3)
declare -A IDX=([head]=0 [w1]=1 [w2]=2)
HOSTS=(head w1 w2)

export RAY_AUTH_MODE=disabled RAY_USAGE_STATS_ENABLED=0
# a lost host is declared dead within seconds, not a minute
export RAY_health_check_initial_delay_ms=1000 RAY_health_check_period_ms=1000 \
  RAY_health_check_timeout_ms=1000 RAY_health_check_failure_threshold=3

ns() { echo "$P-$1"; }
veth() { echo "${P}v${IDX[$1]}"; }
check_host() { [[ -n "${IP[$1]:-}" ]] || { echo "unknown host '$1'; hosts: ${HOSTS[*]}" >&2; exit 2; }; }

in_host() {  # run "$@" on host $1: its network namespace and its own host name
  local host=$1; shift
  ip netns exec "$(ns "$host")" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$P-$host" "$@"
}

start_node() {
  local host=$1 tmp="$DIR/ray-$1"
  mkdir -p "$tmp"
  if [[ $host == head ]]; then
    in_host head "$RAY" start --head --node-ip-address="$HEAD_IP" --port=6379 \
      --dashboard-host="$HEAD_IP" --dashboard-port=8265 --num-cpus=0 \
      --resources='{"host_head": 1}' --temp-dir="$tmp" --disable-usage-stats \
      >"$DIR/start-$host.log" 2>&1
  else
    in_host "$host" "$RAY" start --address="$HEAD_IP:6379" --node-ip-address="${IP[$host]}" \
      --num-cpus="$CPUS" --resources="{\"host_$host\": 1}" --temp-dir="$tmp" \
      --disable-usage-stats >"$DIR/start-$host.log" 2>&1
  fi || { cat "$DIR/start-$host.log" >&2; exit 1; }
}

host_pids() {  # the processes in the host's namespace (by its namespace inode)
  local inode pid
  inode=$(stat -L -c %i "/run/netns/$(ns "$1")" 2>/dev/null) || return 0
  for pid in /proc/[0-9]*; do
    [[ $(stat -L -c %i "$pid/ns/net" 2>/dev/null) == "$inode" ]] && echo "${pid#/proc/}"
  done
  return 0
}

kill_host() {  # SIGKILL every process of the host, again until none is left
  local pids
  for _ in $(seq 1 50); do
    pids=$(host_pids "$1")
    [[ -z $pids ]] && return 0
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  echo "processes of host $1 survived SIGKILL: $pids" >&2
  return 1
}

up() {
  if ip netns list | grep -qw "$(ns head)"; then
    echo "namespace $(ns head) exists; run '$0 down' first" >&2; exit 1
  fi
  mkdir -p "$DIR"
  ip link add "$BR" type bridge
  ip addr add 198.18.0.254/24 dev "$BR"
  ip link set "$BR" up
  for host in "${HOSTS[@]}"; do
    ip netns add "$(ns "$host")"
    ip link add "$(veth "$host")" type veth peer name "$(veth "$host")p"
    ip link set "$(veth "$host")p" netns "$(ns "$host")"
    ip link set "$(veth "$host")" master "$BR" up
    ip -n "$(ns "$host")" link set lo up
    ip -n "$(ns "$host")" link set "$(veth "$host")p" name eth0
    ip -n "$(ns "$host")" addr add "${IP[$host]}/24" dev eth0
    ip -n "$(ns "$host")" link set eth0 up
  done
  for host in "${HOSTS[@]}"; do start_node "$host"; done
  echo "cluster up: head $HEAD_IP:6379 (dashboard http://$HEAD_IP:8265), workers w1 ${IP[w1]}, w2 ${IP[w2]}"
}

down() {
  for host in "${HOSTS[@]}"; do
    ip netns list | grep -qw "$(ns "$host")" || continue
    kill_host "$host"
  done
  sleep 0.5
  for host in "${HOSTS[@]}"; do
    ip netns list | grep -qw "$(ns "$host")" || continue
    kill_host "$host"
    ip netns del "$(ns "$host")" || true
    ip link del "$(veth "$host")" 2>/dev/null || true
  done
  ip link del "$BR" 2>/dev/null || true
  rm -rf "$DIR"
}

cmd=${1:-}
shift || true
case $cmd in
  up) up ;;
  down) down ;;
  exec) check_host "$1"; host=$1; shift; in_host "$host" "$@" ;;
  kill) check_host "$1"; kill_host "$1" ;;
  start) check_host "$1"; start_node "$1" ;;
  cut) check_host "$1"; ip link set "$(veth "$1")" down ;;
  restore) check_host "$1"; ip link set "$(veth "$1")" up ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
