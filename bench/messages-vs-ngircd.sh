#!/usr/bin/env bash
# One comparison run of `parley bench messages` against Parley and against ngircd, with the same
# generator, for each pairs x window given (default: the four of issue 6). Each Parley row gets a
# fresh server on a copy of one prepared data directory; ngircd runs throughout. Prints one line
# per row with msg/s, latency, the exactness counts, the CPU (cores) the server and the generator
# used, and the server's CPU time and disk bytes written per message sent (warm-up included, as
# the samples are), all sampled from /proc. PARLEY_BENCH_WARM_SECONDS=S first runs S unmeasured
# seconds of the same load against each server (a warm server; default none). Loopback only.
#
#   bench/messages-vs-ngircd.sh [SECONDS] ["PAIRSxWINDOW ..."]
#   e.g. bench/messages-vs-ngircd.sh 10 "100x1 100x16 1000x1 1000x16"
#
# Needs ngircd (apt-get install ngircd) and the built jars (./parley --version and
# ./parley bench --help build them).
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-bench
seconds=${1:-10}
rows=${2:-"100x1 100x16 1000x1 1000x16"}
tcp_port=17301
http_port=17381
admin_port=17382  # the admin listener's too, so that no other server's 8081 is in the way

bench_cleanup() {
  [[ -n ${ngircd_pid:-} ]] && kill "$ngircd_pid" 2>/dev/null || true
}

# Runs the generator with the given target arguments; prints the JSON result, then the generator's
# and the server's CPU ticks and bytes written to disk.
measure() {
  local server_pid=$1
  shift
  local server_before written_before
  warm_up "$@"
  server_before=$(cpu_ticks "$server_pid")
  written_before=$(written_bytes "$server_pid")
  local generator_ticks
  generator_ticks=$(sampled_run "$work/result.json" /dev/stderr \
      "${java[@]}" -jar "$bench_jar" bench messages "$@" --duration "$seconds" --json)
  echo "$(tail -1 "$work/result.json") $generator_ticks $(( $(cpu_ticks "$server_pid") - server_before )) $(( $(written_bytes "$server_pid") - written_before ))"
}

report() {
  local name=$1 row=$2 line=$3
  python3 - "$name" "$row" "$seconds" $line <<'EOF'
import json, sys
name, row, seconds, result, generator, server, written = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
r = json.loads(result)
l = r["latencyMillis"]
wall = seconds + 2  # warm-up included: the CPU is sampled over the whole run
print(f"{name:7} {row:8} {r['deliveredPerSecond']:>10,.0f} msg/s  p50 {l['p50']:7.2f}  p99 {l['p99']:7.2f}  p99.9 {l['p999']:7.2f} ms"
      f"  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}"
      f"  cores: server {server / 100 / wall:.2f} generator {generator / 100 / wall:.2f}"
      f"  server per message: {server * 10_000 / r['sent']:.1f} µs CPU, {written / r['sent']:.0f} B written")
EOF
}

make_users "$jar" 2000 "$work/prepared" "$work/tokens.tsv"

/usr/sbin/ngircd --nodaemon --passive --config "$root/bench/ngircd.conf" > "$work/ngircd.log" 2>&1 &
ngircd_pid=$!

for row in $rows; do
  pairs=${row%x*}
  window=${row#*x}
  rm -rf "$work/data" && cp -r "$work/prepared" "$work/data"
  # Every bench connection comes from 127.0.0.1. Each sender here sends hundreds of messages a
  # second: lift the per-user message rate limit, as ngircd.conf lifts ngircd's flood penalty, so
  # the run measures the server, not the throttle. On a machine shared with other builds, 2,000
  # connections can take longer than the default 10 s to authenticate: that is not what is measured.
  PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 PARLEY_ADMIN_PORT="$admin_port" \
  PARLEY_AUTH_TIMEOUT_SECONDS=120 \
  "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port "$http_port" --tcp-port "$tcp_port" \
      --data-dir "$work/data" > "$work/server.log" 2>&1 &
  server_pid=$!
  await_server "$http_port"
  report parley "$row" "$(measure "$server_pid" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens.tsv" --pairs "$pairs" --window "$window")"
  stop_server
  report ngircd "$row" "$(measure "$ngircd_pid" --target irc://127.0.0.1:6667 --pairs "$pairs" --window "$window")"
done
