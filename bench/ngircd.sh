#!/usr/bin/env bash
# Runs ngircd in the foreground with bench/ngircd.conf, as the current user, on 127.0.0.1:6667:
# the peer of `parley bench messages --target irc://127.0.0.1:6667`. Ctrl-C stops it; from another
# shell, `bench/ngircd.sh stop` sends it SIGTERM by its pid file.
# Needs the Debian package: apt-get install ngircd (26.1 was used for docs/BENCHMARKS.md).
set -euo pipefail
conf="$(cd "$(dirname "$0")" && pwd)/ngircd.conf"
pidfile=/tmp/parley-ngircd.pid   # as PidFile in ngircd.conf
ngircd=${NGIRCD:-/usr/sbin/ngircd}
case "${1:-start}" in
  start) exec "$ngircd" --nodaemon --passive --config "$conf" ;;
  stop) kill "$(cat "$pidfile")" ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
