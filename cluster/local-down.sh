#!/usr/bin/env bash
# Stop the cluster started by cluster/local-up.sh: only its own process group, never
# other Ray processes of the machine (no 'ray stop').
set -euo pipefail

STATE_DIR=${QRAY_CLUSTER_DIR:-$HOME/.qray/local-cluster}
if [[ ! -f "$STATE_DIR/pgid" ]]; then
  echo "no qray local cluster recorded in $STATE_DIR" >&2
  exit 0
fi
pgid=$(cat "$STATE_DIR/pgid")
# members of the group that are still running (zombies left to a non-reaping init excluded)
alive() { ps -eo pgid=,stat= | awk -v g="$pgid" '$1 == g && $2 !~ /^Z/ {found=1} END {exit !found}'; }
kill -TERM -- "-$pgid" 2>/dev/null || true
for _ in $(seq 1 25); do
  alive || break
  sleep 0.2
done
if alive; then
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 50); do alive || break; sleep 0.1; done
fi
if alive; then
  echo "process group $pgid did not stop" >&2
  exit 1
fi
rm -f "$STATE_DIR/pgid"
echo "stopped process group $pgid"
