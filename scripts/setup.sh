#!/usr/bin/env bash
# Installs what the local stack and the tests need on a fresh Debian machine (as root): nats-server, xfsprogs,
# nvme-cli, losetup and mkfs.ext4 from Debian when missing, then the npm dependencies (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
missing=()
have nats-server || missing+=(nats-server)
have mkfs.xfs || missing+=(xfsprogs)
have nvme || missing+=(nvme-cli)
have losetup || missing+=(mount)
have mkfs.ext4 || missing+=(e2fsprogs)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from Debian: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
