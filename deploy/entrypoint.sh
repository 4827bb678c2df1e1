#!/bin/sh
# Runs one service of the image: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler>; or the admin CLI:
# rdscsi <command> (this script installed under that name), or rds-csi rdscsi <command>.
set -eu
if [ "$(basename "$0")" = rdscsi ]; then
  set -- rdscsi "$@"
fi
case "${1:-}" in
  csi-gateway | rds-connector | node-watcher | reconciler | rdscsi)
    target=$1
    shift
    # No --enable-source-maps: it keeps every bundle's source map in memory, about doubling idle RSS (measured by
    # `npm run bench`); stack traces point into the unminified bundle instead.
    exec node "/app/$target/main.js" "$@"
    ;;
  *)
    echo "usage: rds-csi <csi-gateway|rds-connector|node-watcher|reconciler|rdscsi>" >&2
    exit 64
    ;;
esac
