#!/usr/bin/env bash
# Installs and starts a local Docker engine for Bulkhead's engine tests (idempotent, needs root):
# docker.io, busybox-static and runsc from Debian; dockerd in the background with a `runsc`
# runtime registered through a wrapper that adds --network=none; and the `bulkhead-test/busybox`
# image imported from a busybox-static root filesystem (no registry is reachable here).
set -euo pipefail

IMAGE=${BULKHEAD_TEST_IMAGE:-bulkhead-test/busybox:1}
need=()
command -v dockerd >/dev/null || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v runsc >/dev/null || need+=(runsc)
command -v iptables >/dev/null || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
  echo "engine-up: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# gVisor wrapper: container networking is not available inside the sandbox here.
install -d /usr/local/lib/bulkhead
cat > /usr/local/lib/bulkhead/runsc-nonet <<'W'
#!/bin/sh
exec /usr/bin/runsc --network=none "$@"
W
chmod 0755 /usr/local/lib/bulkhead/runsc-nonet
install -d /etc/docker
daemon_json='{ "runtimes": { "runsc": { "path": "/usr/local/lib/bulkhead/runsc-nonet" } } }'
if [ ! -f /etc/docker/daemon.json ] || ! grep -q runsc-nonet /etc/docker/daemon.json; then
  echo "$daemon_json" > /etc/docker/daemon.json
  restart=1
fi

if docker info >/dev/null 2>&1 && [ -z "${restart:-}" ]; then
  echo "engine-up: dockerd already running"
else
  if pgrep -x dockerd >/dev/null; then
    echo "engine-up: restarting dockerd to load the runsc runtime"
    pkill -x dockerd || true
    for _ in $(seq 30); do pgrep -x dockerd >/dev/null || break; sleep 0.5; done
  fi
  echo "engine-up: starting dockerd"
  nohup dockerd >/var/log/bulkhead-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "engine-up: dockerd did not start:"; tail -20 /var/log/bulkhead-dockerd.log; exit 1; }
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "engine-up: importing $IMAGE from busybox-static"
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,home,root,var/run}
  cp /bin/busybox "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s 2>/dev/null || (cd "$root/bin" && for a in $(./busybox --list); do [ -e "$a" ] || ln -s busybox "$a"; done)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:10001:10001:app:/home:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:10001:\n' > "$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$root"
fi
docker info --format 'engine-up: engine {{.ServerVersion}}, runtimes: {{range $k, $v := .Runtimes}}{{$k}} {{end}}'
