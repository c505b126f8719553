#!/usr/bin/env bash
# `parley bench messages` against two builds of the server, alternating, so that a change's cost
# is measured in one session on one (noisy, shared) machine: BEFORE, AFTER, BEFORE, AFTER, ...
# Each build serves a fresh copy of a data directory that it prepared itself. Prints one line per
# run with msg/s, latency, the server's disk bytes written and CPU time (user + system) per message
# sent (warm-up included) and the exactness counts. PARLEY_BENCH_WARM_SECONDS=S first runs S
# unmeasured seconds of the same load against each server (default none). Loopback only.
# PARLEY_BENCH_PORT_BASE moves the three ports (default 17400), so that two people can run it on
# one machine.
#
#   bench/messages-two-builds.sh BEFORE_JAR AFTER_JAR [RUNS] [SECONDS] [PAIRS] [WINDOW]
#   e.g. bench/messages-two-builds.sh /tmp/old/app/target/parley.jar app/target/parley.jar 3 10 100 16
#
# The generator is this checkout's bench jar (./parley bench --help builds it).
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-bench
jars=("$1" "$2")
runs=${3:-3}
seconds=${4:-10}
pairs=${5:-100}
window=${6:-16}
port_base=${PARLEY_BENCH_PORT_BASE:-17400}
tcp_port=$((port_base + 1))
http_port=$((port_base + 81))
admin_port=$((port_base + 82))

for i in 0 1; do
  make_users "${jars[$i]}" 2000 "$work/prepared$i" "$work/tokens$i.tsv"
done

for run in $(seq 1 "$runs"); do
  for i in 0 1; do
    name=$([[ $i == 0 ]] && echo before || echo after)
    rm -rf "$work/data" && cp -r "$work/prepared$i" "$work/data"
    PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 \
    PARLEY_ADMIN_PORT="$admin_port" "${java[@]}" -jar "${jars[$i]}" server --host 127.0.0.1 --http-port "$http_port" \
        --tcp-port "$tcp_port" --data-dir "$work/data" > "$work/server.log" 2>&1 &
    server_pid=$!
    await_server "$http_port"
    warm_up --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens$i.tsv" --pairs "$pairs" --window "$window"
    written_before=$(written_bytes "$server_pid")
    cpu_before=$(cpu_ticks "$server_pid")
    "${java[@]}" -jar "$bench_jar" bench messages --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" \
        --tokens "$work/tokens$i.tsv" --pairs "$pairs" --window "$window" --duration "$seconds" --json > "$work/result.json"
    written=$(( $(written_bytes "$server_pid") - written_before ))
    cpu=$(( $(cpu_ticks "$server_pid") - cpu_before ))
    stop_server
    python3 - "$run" "$name" "$pairs" "$window" "$written" "$cpu" "$(getconf CLK_TCK)" "$(tail -1 "$work/result.json")" <<'PY'
import json, sys
run, name, pairs, window, written, cpu, ticks, result = sys.argv[1:9]
r = json.loads(result)
l = r["latencyMillis"]
print(f"run {run} {name:6} {pairs}x{window} {r['deliveredPerSecond']:>10,.0f} msg/s  p50 {l['p50']:7.2f}  p99 {l['p99']:7.2f} ms"
      f"  disk {int(written) / max(1, r['sent']):,.0f} B/msg  cpu {int(cpu) / int(ticks) * 1e6 / max(1, r['sent']):,.1f} us/msg"
      f"  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}")
PY
  done
done
