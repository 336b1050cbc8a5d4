#!/usr/bin/env bash
# Makes a Docker engine with the `runsc` (gVisor) runtime and Bulkhead's test image available for
# the engine tests (idempotent; needs root). It never stops an engine and never replaces a
# daemon.json. Which engine the tests get:
#
#  1. An engine answers (DOCKER_HOST, else the default socket) and has a `runsc` runtime: it is used
#     as it is.
#  2. An engine answers without `runsc` (the machine's own engine, set up by someone else): it is left
#     alone, and Bulkhead starts its OWN dockerd beside it, with its own socket, data root, exec root,
#     pidfile, config file and bridge, all under $BULKHEAD_ENGINE_DIR (default
#     /var/lib/bulkhead-engine), and `runsc` in its own config. The tests reach it through
#     DOCKER_HOST: this prints the `export DOCKER_HOST=…` line and writes it to
#     $BULKHEAD_ENGINE_DIR/env (`. /var/lib/bulkhead-engine/env`).
#  3. No engine answers (a fresh machine, CI): the machine's dockerd is started, after the runsc entry
#     is MERGED into /etc/docker/daemon.json by scripts/daemon-json.mjs (every other setting kept, the
#     original kept as daemon.json.bulkhead-backup, a file that does not parse left untouched and the
#     script stops). A dockerd process that runs but does not answer is never touched.
#
# In cases 2 and 3 the pid of the dockerd started here is recorded in $BULKHEAD_ENGINE_DIR/started.pid;
# scripts/engine-down.sh stops that process (by pid) and nothing else.
#
# Also installs what is missing from Debian (docker.io, busybox-static, runsc, iptables) and imports
# the test image (scripts/test-image.sh). The gVisor runtime is a wrapper that adds --network=none:
# container networking is not available inside gVisor's sandbox on the machines this runs on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

ENGINE_DIR=${BULKHEAD_ENGINE_DIR:-/var/lib/bulkhead-engine}
DAEMON_JSON=${BULKHEAD_DAEMON_JSON:-/etc/docker/daemon.json}
RUNSC_WRAPPER=/usr/local/lib/bulkhead/runsc-nonet
# Bridge, its subnet and the pool for user-defined networks of the own engine (case 2), apart from
# the machine's engine (docker0, 172.17.0.0/16 and the default pools).
OWN_BRIDGE=${BULKHEAD_ENGINE_BRIDGE:-bulkhead0}
OWN_BIP=${BULKHEAD_ENGINE_BIP:-10.213.7.1/24}
OWN_POOL=${BULKHEAD_ENGINE_POOL:-10.213.128.0/17}

say() { echo "engine-up: $*"; }

need=()
command -v dockerd >/dev/null || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v runsc >/dev/null || need+=(runsc)
command -v iptables >/dev/null || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

install -d "$(dirname "$RUNSC_WRAPPER")"
cat > "$RUNSC_WRAPPER.tmp" <<'W'
#!/bin/sh
exec /usr/bin/runsc --network=none "$@"
W
chmod 0755 "$RUNSC_WRAPPER.tmp"
mv "$RUNSC_WRAPPER.tmp" "$RUNSC_WRAPPER"

answers() { docker info >/dev/null 2>&1; }
has_runsc() { docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}' 2>/dev/null | grep -qw runsc; }
wait_for_engine() {
  local pid=$1 log=$2
  for _ in $(seq 120); do
    answers && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  say "dockerd (pid $pid) did not start:"
  tail -20 "$log"
  return 1
}
# Records a dockerd this script started, for scripts/engine-down.sh.
record() { install -d "$ENGINE_DIR" && echo "$1" > "$ENGINE_DIR/started.pid"; }

if answers && has_runsc; then
  say "using the running engine (${DOCKER_HOST:-default socket}), which has runsc"
elif answers; then
  # Case 2: somebody else's engine without runsc. Ours runs beside it.
  run="$ENGINE_DIR/run"
  sock="unix://$run/docker.sock"
  export DOCKER_HOST=$sock
  if answers && has_runsc; then
    say "using Bulkhead's own engine at $sock"
  else
    say "the running engine has no runsc runtime; leaving it alone and starting Bulkhead's own dockerd at $sock"
    install -d -m 0700 "$ENGINE_DIR" "$run" "$ENGINE_DIR/data"
    if ! ip link show "$OWN_BRIDGE" >/dev/null 2>&1; then
      ip link add "$OWN_BRIDGE" type bridge
      ip addr add "$OWN_BIP" dev "$OWN_BRIDGE"
      ip link set "$OWN_BRIDGE" up
      echo "$OWN_BRIDGE" > "$ENGINE_DIR/bridge"
    fi
    # Its own config file: the machine's daemon.json (hosts, data-root…) must not apply to it.
    printf '{ "runtimes": { "runsc": { "path": "%s" } },\n  "default-address-pools": [{ "base": "%s", "size": 24 }] }\n' \
      "$RUNSC_WRAPPER" "$OWN_POOL" > "$ENGINE_DIR/daemon.json"
    # --iptables=false: the machine's engine owns the DOCKER chains; the tests need no NAT.
    # Never --bridge none: a dockerd without a bridge deletes docker0, the machine engine's bridge.
    nohup dockerd --config-file "$ENGINE_DIR/daemon.json" -H "$sock" \
      --data-root "$ENGINE_DIR/data" --exec-root "$run/exec" --pidfile "$run/dockerd.pid" \
      --bridge "$OWN_BRIDGE" --iptables=false --ip6tables=false \
      >"$ENGINE_DIR/dockerd.log" 2>&1 &
    pid=$!
    record "$pid"
    wait_for_engine "$pid" "$ENGINE_DIR/dockerd.log"
  fi
  echo "export DOCKER_HOST=$sock" > "$ENGINE_DIR/env"
  say "the tests need: export DOCKER_HOST=$sock   (or: . $ENGINE_DIR/env)"
else
  if [ -n "${DOCKER_HOST:-}" ]; then
    say "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine, or unset DOCKER_HOST"
    exit 1
  fi
  if pgrep -x dockerd >/dev/null; then
    say "a dockerd process runs but does not answer on ${DOCKER_HOST:-the default socket}; not touching it."
    say "fix that engine, or point DOCKER_HOST at one that answers"
    exit 1
  fi
  # Case 3: no engine at all. Start the machine's, with runsc merged into its config.
  command -v node >/dev/null || { say "merging $DAEMON_JSON needs node on PATH (sudo resets PATH: sudo env PATH=\"\$PATH\" …)"; exit 1; }
  install -d "$(dirname "$DAEMON_JSON")"
  node "$here/daemon-json.mjs" "$DAEMON_JSON" runsc "$RUNSC_WRAPPER"
  install -d "$ENGINE_DIR"
  say "starting dockerd"
  nohup dockerd --config-file "$DAEMON_JSON" >"$ENGINE_DIR/dockerd.log" 2>&1 &
  pid=$!
  record "$pid"
  wait_for_engine "$pid" "$ENGINE_DIR/dockerd.log"
  has_runsc || say "warning: the engine has no runsc runtime (the runsc entry in $DAEMON_JSON is not ours?)"
fi

bash "$here/test-image.sh"
docker info --format 'engine-up: engine {{.ServerVersion}}, runtimes: {{range $k, $v := .Runtimes}}{{$k}} {{end}}'
