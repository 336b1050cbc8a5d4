#!/usr/bin/env bash
# Stops the dockerd that scripts/engine-up.sh started, by the pid it recorded, and removes the bridge
# it created; an engine it did not start is never touched. Idempotent.
set -euo pipefail

ENGINE_DIR=${BULKHEAD_ENGINE_DIR:-/var/lib/bulkhead-engine}
say() { echo "engine-down: $*"; }

if [ -f "$ENGINE_DIR/started.pid" ]; then
  pid=$(cat "$ENGINE_DIR/started.pid")
  # Only that pid, and only while it is still a dockerd (a recycled pid is someone else's).
  if [[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    say "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "dockerd (pid $pid) did not stop within 30 s"; exit 1; }
  fi
  rm -f "$ENGINE_DIR/started.pid" "$ENGINE_DIR/env"
fi
if [ -f "$ENGINE_DIR/bridge" ]; then
  bridge=$(cat "$ENGINE_DIR/bridge")
  ip link del "$bridge" 2>/dev/null && say "removed bridge $bridge"
  rm -f "$ENGINE_DIR/bridge"
fi
exit 0
