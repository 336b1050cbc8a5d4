#!/usr/bin/env bash
# Installs Debian's openssh-server for the ssh:// audit test (packages/cli/test/cli-audit-ssh.test.ts),
# which starts its own sshd on a loopback port with its own keys and stops it by pid. The package's
# own service is not started by this script.
set -euo pipefail
if command -v sshd >/dev/null || [ -x /usr/sbin/sshd ]; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
