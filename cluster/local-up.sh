#!/usr/bin/env bash
# Start a laptop Ray cluster: one head node bound to 127.0.0.1, dashboard and metrics on
# loopback, token authentication on (Ray 2.60: RAY_AUTH_MODE=token plus a token file).
#
#   cluster/local-up.sh            # then: source <state dir>/env.sh; ray job submit ...
#   cluster/local-down.sh          # stops exactly the processes this script started
#
# Settings (environment): QRAY_CLUSTER_DIR (state, default ~/.qray/local-cluster),
# QRAY_RAY_PORT (6379), QRAY_DASHBOARD_PORT (8265), QRAY_METRICS_PORT (8080),
# QRAY_AGENT_PORT (52365), QRAY_NUM_CPUS (all cores), QRAY_RAY_TEMP_DIR (Ray's session
# files, default /tmp/qray-ray-<uid>), RAY_AUTH_TOKEN_PATH (default <state dir>/auth_token).
set -euo pipefail

STATE_DIR=${QRAY_CLUSTER_DIR:-$HOME/.qray/local-cluster}
PORT=${QRAY_RAY_PORT:-6379}
DASH_PORT=${QRAY_DASHBOARD_PORT:-8265}
METRICS_PORT=${QRAY_METRICS_PORT:-8080}
AGENT_PORT=${QRAY_AGENT_PORT:-52365}
NUM_CPUS=${QRAY_NUM_CPUS:-$(nproc)}
RAY=${RAY:-ray}

mkdir -p "$STATE_DIR"
STATE_DIR=$(cd "$STATE_DIR" && pwd)
if [[ -f "$STATE_DIR/pgid" ]] && ps -eo pgid=,stat= | awk -v g="$(cat "$STATE_DIR/pgid")" '$1 == g && $2 !~ /^Z/ {f=1} END {exit !f}'; then
  echo "a qray local cluster is already running (process group $(cat "$STATE_DIR/pgid")); run cluster/local-down.sh first" >&2
  exit 1
fi

export RAY_AUTH_MODE=token
export RAY_AUTH_TOKEN_PATH=${RAY_AUTH_TOKEN_PATH:-$STATE_DIR/auth_token}
if [[ ! -s "$RAY_AUTH_TOKEN_PATH" ]]; then
  (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32), end="")' > "$RAY_AUTH_TOKEN_PATH")
fi
# Ray replaces 127.0.0.1 with the machine's outward address unless told the cluster is
# single-machine; this keeps every Ray port on loopback.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
export RAY_USAGE_STATS_ENABLED=0

# setsid: the head's daemons share one new process group, which local-down.sh stops.
RAY_TMP=${QRAY_RAY_TEMP_DIR:-/tmp/qray-ray-$(id -u)}  # short: Ray's socket paths must fit 107 bytes
setsid "$RAY" start --head \
  --node-ip-address=127.0.0.1 --port="$PORT" \
  --dashboard-host=127.0.0.1 --dashboard-port="$DASH_PORT" \
  --metrics-export-port="$METRICS_PORT" \
  --dashboard-agent-listen-port="$AGENT_PORT" \
  --num-cpus="$NUM_CPUS" --temp-dir="$RAY_TMP" \
  --disable-usage-stats >"$STATE_DIR/start.log" 2>&1 &
# setsid (not a group leader here) execs `ray start` in place: its pid is the new group id
pgid=$!
wait "$pgid" || { cat "$STATE_DIR/start.log" >&2; exit 1; }
if ! ps -eo pgid=,args= | awk -v g="$pgid" '$1 == g && /gcs_server/ {f=1} END {exit !f}'; then
  echo "ray start returned but no gcs_server runs in process group $pgid; see $STATE_DIR/start.log" >&2
  exit 1
fi
echo "$pgid" >"$STATE_DIR/pgid"

# `ray start` returns before the head's dashboard agent listens; job submissions fail
# ("No available agent") until it does.
ready=0
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$AGENT_PORT") 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
if [[ $ready != 1 ]]; then
  echo "the dashboard agent did not come up on 127.0.0.1:$AGENT_PORT within 60 s; see $RAY_TMP/session_latest/logs" >&2
  exit 1
fi
cat >"$STATE_DIR/env.sh" <<ENV
export RAY_AUTH_MODE=token
export RAY_AUTH_TOKEN_PATH=$RAY_AUTH_TOKEN_PATH
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
export RAY_API_SERVER_ADDRESS=http://127.0.0.1:$DASH_PORT
ENV
echo "Ray head on 127.0.0.1:$PORT (process group $pgid)"
echo "dashboard: http://127.0.0.1:$DASH_PORT   metrics: http://127.0.0.1:$METRICS_PORT/metrics"
echo "before 'ray job submit': source $STATE_DIR/env.sh"
