#!/usr/bin/env bash
# Installs what the local stack and the tests need on a fresh Debian machine (as root): nats-server, xfsprogs,
# nvme-cli, losetup, mkfs.ext4 and prometheus (promtool, for the alert tests) from Debian when missing, then the npm
# dependencies (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
missing=()
have nats-server || missing+=(nats-server)
have mkfs.xfs || missing+=(xfsprogs)
have nvme || missing+=(nvme-cli)
have losetup || missing+=(mount)
have mkfs.ext4 || missing+=(e2fsprogs)
have promtool || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh needs root to install from Debian: ${missing[*]} (run it with sudo, or install them yourself)" >&2
    exit 1
  fi
  echo "installing from Debian: ${missing[*]}"
  # Another apt/dpkg (unattended-upgrades on a fresh machine) may hold the lock: wait for it instead of failing.
  apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian's package starts a Prometheus service; the tests start their own.
  if have systemctl && systemctl is-active --quiet prometheus 2>/dev/null; then systemctl disable --now prometheus; fi
fi

npm ci --no-audit --no-fund
