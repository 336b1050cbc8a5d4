#!/usr/bin/env bash
# Imports Bulkhead's test image into the engine `docker` talks to (DOCKER_HOST or the default
# socket) from the host's static busybox: no registry is needed. Idempotent; does not need root
# when the caller may use the engine. Exit 0 when the image is there afterwards.
#
#   BULKHEAD_TEST_IMAGE   the image name (default bulkhead-test/busybox:1)
#
# The image: busybox-static with every applet linked, users root, nobody and app (10001).
set -euo pipefail

IMAGE=${BULKHEAD_TEST_IMAGE:-bulkhead-test/busybox:1}
docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0

busybox=${BULKHEAD_BUSYBOX:-/bin/busybox}
# A dynamically linked busybox (Debian's `busybox`) cannot run in an empty root filesystem.
if [ ! -x "$busybox" ] || ! "$busybox" --help >/dev/null 2>&1 || ldd "$busybox" >/dev/null 2>&1; then
  echo "test-image: no static busybox at $busybox (install Debian's busybox-static, or run scripts/engine-up.sh)" >&2
  exit 1
fi
echo "test-image: importing $IMAGE from $busybox" >&2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,home,root,var/run}
cp "$busybox" "$root/bin/busybox"
# Applets at their usual paths (needs root for chroot); without root, all of them in /bin.
chroot "$root" /bin/busybox --install -s 2>/dev/null ||
  (cd "$root/bin" && for a in $(./busybox --list); do [ -e "$a" ] || ln -s busybox "$a"; done)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:10001:10001:app:/home:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\napp:x:10001:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
