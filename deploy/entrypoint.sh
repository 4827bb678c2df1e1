#!/bin/sh
# Runs one service of the image: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler>.
set -eu
case "${1:-}" in
  csi-gateway | rds-connector | node-watcher | reconciler)
    service=$1
    shift
    exec node --enable-source-maps "/app/$service/main.js" "$@"
    ;;
  *)
    echo "usage: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler>" >&2
    exit 64
    ;;
esac
