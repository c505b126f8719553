#!/usr/bin/env bash
# `parley bench messages` against two builds of the server, alternating, so that a change's cost
# is measured in one session on one (noisy, shared) machine: BEFORE, AFTER, BEFORE, AFTER, ...
# Each build serves a fresh copy of a data directory that it prepared itself. Prints one line per
# run with msg/s, latency, the server's disk bytes written per message sent (warm-up included) and
# the exactness counts. Loopback only. TCP_PORT, HTTP_PORT and ADMIN_PORT move the server's
# ports off their defaults (17401, 17481, 17482) when another bench holds them.
#
#   [BEFORE_JAVA_OPTS=...] [AFTER_JAVA_OPTS=...] bench/messages-two-builds.sh BEFORE_JAR AFTER_JAR [RUNS] [SECONDS] [PAIRS] [WINDOW]
#   e.g. bench/messages-two-builds.sh /tmp/old/app/target/parley.jar app/target/parley.jar 3 10 100 16
#   BEFORE_JAVA_OPTS / AFTER_JAVA_OPTS: the server JVM's options for each side, so that one jar under
#   two JVM settings (a garbage collector, a heap size) is compared the same way, e.g.
#   BEFORE_JAVA_OPTS=-XX:+UseG1GC AFTER_JAVA_OPTS=-XX:+UseZGC bench/messages-two-builds.sh J J 3 10 100 1
#
# The generator is this checkout's bench jar (./parley bench --help builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/env.sh"
jars=("$1" "$2")
# shellcheck disable=SC2206 # lists of JVM options
server_options=("${BEFORE_JAVA_OPTS:-}" "${AFTER_JAVA_OPTS:-}")
runs=${3:-3}
seconds=${4:-10}
pairs=${5:-100}
window=${6:-16}
bench_jar="$root/bench/target/parley-bench.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
work=$(mktemp -d /tmp/parley-bench.XXXXXX)
tcp_port=${TCP_PORT:-17401}
http_port=${HTTP_PORT:-17481}
admin_port=${ADMIN_PORT:-17482}

cleanup() {
  [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for i in 0 1; do
  "${java[@]}" -jar "${jars[$i]}" admin create-users --data-dir "$work/prepared$i" --count 2000 --prefix u > /dev/null
  "${java[@]}" -jar "${jars[$i]}" admin mint-tokens --data-dir "$work/prepared$i" --count 2000 --prefix u \
      --out "$work/tokens$i.tsv" > /dev/null
done

for run in $(seq 1 "$runs"); do
  for i in 0 1; do
    name=$([[ $i == 0 ]] && echo before || echo after)
    if curl -s -o /dev/null "http://127.0.0.1:$http_port/healthz"; then
      echo "another server answers on port $http_port: set HTTP_PORT and TCP_PORT" >&2; exit 1
    fi
    rm -rf "$work/data" && cp -r "$work/prepared$i" "$work/data"
    # shellcheck disable=SC2206 # a list of JVM options
    options=(${server_options[$i]})
    PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 \
    PARLEY_ADMIN_PORT="$admin_port" "${java[@]}" "${options[@]}" -jar "${jars[$i]}" server --host 127.0.0.1 --http-port "$http_port" \
        --tcp-port "$tcp_port" --data-dir "$work/data" > "$work/server.log" 2>&1 &
    server_pid=$!
    # A server that exits (its port taken by another program on this shared machine) must not
    # leave the bench measuring whatever else answers on that port, nor may one already there.
    until curl -sf "http://127.0.0.1:$http_port/healthz" > /dev/null; do
      kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:" >&2; tail -5 "$work/server.log" >&2; exit 1; }
      sleep 0.2
    done
    written_before=$(awk '/^write_bytes/ {print $2}' "/proc/$server_pid/io")
    "${java[@]}" -jar "$bench_jar" bench messages --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" \
        --tokens "$work/tokens$i.tsv" --pairs "$pairs" --window "$window" --duration "$seconds" --json > "$work/result.json"
    written=$(( $(awk '/^write_bytes/ {print $2}' "/proc/$server_pid/io") - written_before ))
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=
    python3 - "$run" "$name" "$pairs" "$window" "$written" "$(tail -1 "$work/result.json")" <<'PY'
import json, sys
run, name, pairs, window, written, result = sys.argv[1:7]
r = json.loads(result)
l = r["latencyMillis"]
print(f"run {run} {name:6} {pairs}x{window} {r['deliveredPerSecond']:>10,.0f} msg/s  p50 {l['p50']:7.2f}  p99 {l['p99']:7.2f} ms"
      f"  disk {int(written) / max(1, r['sent']):,.0f} B/msg  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}")
PY
  done
done
