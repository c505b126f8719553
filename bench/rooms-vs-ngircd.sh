#!/usr/bin/env bash
# `parley bench rooms` against Parley and against ngircd with the same generator, RUNS times, for
# each MEMBERSxSENDERSxWINDOW row given (default: issue 11's 100-member room with 10 senders, at
# windows 1 and 16). Each Parley row gets a fresh server on a copy of one prepared data directory;
# ngircd runs throughout, and each of its rows follows the Parley row it is compared with. Prints
# a line per row and run (deliveries/s, p99, exactness, server and generator CPU sampled from
# /proc), then the medians of the runs and Parley's ratio to ngircd per run. Loopback only.
#
#   [PARLEY_JAR=JAR] bench/rooms-vs-ngircd.sh [SECONDS] ["MxSxW ..."] [RUNS]
#   e.g. bench/rooms-vs-ngircd.sh 10 "100x10x1 100x10x16" 3
#   (PARLEY_JAR: the server of another build, for a before/after pair)
#
# Needs ngircd (apt-get install ngircd) and the built jars (./parley --version and
# ./parley bench --help build them).
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-rooms-bench
seconds=${1:-10}
rows=${2:-"100x10x1 100x10x16"}
runs=${3:-3}
jar=${PARLEY_JAR:-$jar}
tcp_port=17311
http_port=17391
warmup=2

bench_cleanup() {
  [[ -n ${ngircd_pid:-} ]] && kill "$ngircd_pid" 2>/dev/null || true
}

# Runs `bench rooms` with the given arguments against the server SERVER_PID; appends one JSON
# object to results.jsonl: the generator's result plus name, row, run and both programs' cores.
measure() {
  local name=$1 row=$2 run=$3 server_pid=$4
  shift 4
  local members=${row%%x*} rest=${row#*x}
  local senders=${rest%%x*} window=${rest#*x}
  local server_before generator_ticks
  server_before=$(cpu_ticks "$server_pid")
  generator_ticks=$(sampled_run "$work/result.json" "$work/error.txt" \
      "${java[@]}" -jar "$bench_jar" bench rooms "$@" --members "$members" --senders "$senders" --window "$window" \
      --warmup "$warmup" --duration "$seconds" --json)
  local server_ticks=$(( $(cpu_ticks "$server_pid") - server_before ))
  python3 - "$name" "$row" "$run" "$generator_ticks" "$server_ticks" "$((seconds + warmup))" \
      "$(if [[ -s $work/result.json ]]; then tail -1 "$work/result.json"; else tail -1 "$work/error.txt"; fi)" \
      >> "$work/results.jsonl" <<'PY'
import json, sys
name, row, run, generator, server, wall, result = sys.argv[1:8]
r = json.loads(result) if result.startswith("{") else {"failed": result}
r.update(name=name, row=row, run=int(run), generatorCores=int(generator) / 100 / float(wall), serverCores=int(server) / 100 / float(wall))
print(json.dumps(r))
PY
  python3 - "$(tail -1 "$work/results.jsonl")" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
if "failed" in r:
    print(f"run {r['run']} {r['name']:7} {r['row']:10} FAILED: {r['failed']}")
else:
    l = r["latencyMillis"]
    print(f"run {r['run']} {r['name']:7} {r['row']:10} {r['deliveriesPerSecond']:>10,.0f} deliveries/s {r['messagesPerSecond']:>8,.0f} msg/s"
          f"  p50 {l['p50']:8.2f}  p99 {l['p99']:8.2f} ms  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}"
          f"  cores: server {r['serverCores']:.2f} generator {r['generatorCores']:.2f}", flush=True)
PY
}

max_members=0
for row in $rows; do (( ${row%%x*} > max_members )) && max_members=${row%%x*}; done
make_users "$jar" "$max_members" "$work/prepared" "$work/tokens.tsv"

/usr/sbin/ngircd --nodaemon --passive --config "$root/bench/ngircd.conf" > "$work/ngircd.log" 2>&1 &
ngircd_pid=$!
echo "load average before: $(load_average)"

for run in $(seq 1 "$runs"); do
  for row in $rows; do
    rm -rf "$work/data" && cp -r "$work/prepared" "$work/data"
    # The senders go far past the per-user message rate limit: lift it, as ngircd.conf lifts
    # ngircd's flood penalty, so that the run measures the server, not the throttle; and every
    # member connects from 127.0.0.1, so the per-address connection cap goes too, as
    # ngircd.conf's MaxConnectionsIP = 0.
    # Its admin listener gets a port of its own, so that no other server's 8081 is in the way. On
    # a machine shared with other builds, connections can take longer than the default 10 s to
    # authenticate: that is not what is measured.
    PARLEY_AUTH_TIMEOUT_SECONDS=120 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 \
    PARLEY_ADMIN_PORT=0 \
    "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port "$http_port" --tcp-port "$tcp_port" \
        --data-dir "$work/data" > "$work/server.log" 2>&1 &
    server_pid=$!
    await_server "$http_port"
    measure parley "$row" "$run" "$server_pid" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens.tsv"
    stop_server
    measure ngircd "$row" "$run" "$ngircd_pid" --target irc://127.0.0.1:6667
  done
done
summarize <<'PY'
import sys
from bench_results import faults, groups, label, load, median, per_run, print_failures, print_ratios
results = load(sys.argv[1])
print()
print("| members × senders × window | target | deliveries/s (runs) | **deliveries/s median** | msg/s median | p50 | p99 | lost/dup/reord | server cores | generator cores |")
print("|---|---|---|---|---|---|---|---|---|---|")
for row, name, rs in groups(results, "name", ("parley", "ngircd")):
    rates = [r["deliveriesPerSecond"] for r in rs]
    print(f"| {label(row)} | {name} | {per_run(rates)} | **{median(rates):,.0f}** "
          f"| {median([r['messagesPerSecond'] for r in rs]):,.0f} "
          f"| {median([r['latencyMillis']['p50'] for r in rs]):.1f} ms | {median([r['latencyMillis']['p99'] for r in rs]):.1f} ms "
          f"| {faults(rs)} "
          f"| {min(r['serverCores'] for r in rs):.2f}–{max(r['serverCores'] for r in rs):.2f} "
          f"| {min(r['generatorCores'] for r in rs):.2f}–{max(r['generatorCores'] for r in rs):.2f} |")
print_ratios(results, "name", "parley", "ngircd", "deliveriesPerSecond",
             "| members × senders × window | Parley / ngircd deliveries/s (per run) | median |")
print_failures(results, "name")
PY
