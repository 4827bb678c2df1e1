#!/bin/sh
# Runs one service of the image: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler>.
set -eu
case "${1:-}" in
  csi-gateway | rds-connector | node-watcher | reconciler)
    service=$1
    shift
    # No --enable-source-maps: it keeps every bundle's source map in memory, about doubling idle RSS (measured by
    # `npm run bench`); stack traces point into the unminified bundle instead.
    exec node "/app/$service/main.js" "$@"
    ;;
  *)
    echo "usage: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler>" >&2
    exit 64
    ;;
esac
