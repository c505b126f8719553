#!/usr/bin/env bash
# `parley bench rooms` against Parley and against ngircd with the same generator, RUNS times, for
# each MEMBERSxSENDERSxWINDOW row given (default: issue 11's 100-member room with 10 senders, at
# windows 1 and 16). Each Parley row gets a fresh server on a copy of one prepared data directory;
# ngircd runs throughout, and each of its rows follows the Parley row it is compared with. Prints
# a line per row and run (deliveries/s, p99, exactness, server and generator CPU sampled from
# /proc), then the medians of the runs and Parley's ratio to ngircd per run. Loopback only.
# TCP_PORT and HTTP_PORT move the server's ports off their defaults (17311, 17391).
#
#   [PARLEY_JAR=JAR] [BEFORE_JAR=JAR] bench/rooms-vs-ngircd.sh [SECONDS] ["MxSxW ..."] [RUNS]
#   e.g. bench/rooms-vs-ngircd.sh 10 "100x10x1 100x10x16" 3
#   (PARLEY_JAR: the server of another build. BEFORE_JAR: a second build measured in the same
#   run, row by row just before PARLEY_JAR's, as "before": a before/after pair beside ngircd.)
#
# Needs ngircd (apt-get install ngircd) and the built jars (./parley --version and
# ./parley bench --help build them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/env.sh"
seconds=${1:-10}
rows=${2:-"100x10x1 100x10x16"}
runs=${3:-3}
jar=${PARLEY_JAR:-"$root/app/target/parley.jar"}
before_jar=${BEFORE_JAR:-}
bench_jar="$root/bench/target/parley-bench.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
work=$(mktemp -d /tmp/parley-rooms-bench.XXXXXX)
tcp_port=${TCP_PORT:-17311}
http_port=${HTTP_PORT:-17391}
warmup=2

cleanup() {
  [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null || true
  [[ -n ${ngircd_pid:-} ]] && kill "$ngircd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Runs `bench rooms` with the given arguments against the server SERVER_PID; appends one JSON
# object to results.jsonl: the generator's result plus name, row, run and both programs' cores.
measure() {
  local name=$1 row=$2 run=$3 server_pid=$4
  shift 4
  local members=${row%%x*} rest=${row#*x}
  local senders=${rest%%x*} window=${rest#*x}
  local server_before generator_ticks=0
  server_before=$(cpu_ticks "$server_pid")
  "${java[@]}" -jar "$bench_jar" bench rooms "$@" --members "$members" --senders "$senders" --window "$window" \
      --warmup "$warmup" --duration "$seconds" --json > "$work/result.json" 2> "$work/error.txt" &
  local generator=$!
  # The generator's ticks are read just before it exits, while /proc still has it.
  while kill -0 "$generator" 2>/dev/null; do
    generator_ticks=$(cpu_ticks "$generator" 2>/dev/null || echo "$generator_ticks")
    sleep 0.2
  done
  wait "$generator" || true
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
"${java[@]}" -jar "$jar" admin create-users --data-dir "$work/prepared" --count "$max_members" --prefix u > /dev/null
"${java[@]}" -jar "$jar" admin mint-tokens --data-dir "$work/prepared" --count "$max_members" --prefix u --out "$work/tokens.tsv" > /dev/null

/usr/sbin/ngircd --nodaemon --passive --config "$root/bench/ngircd.conf" > "$work/ngircd.log" 2>&1 &
ngircd_pid=$!
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Starts the server JAR on a fresh copy of the prepared data directory; sets server_pid.
serve() {
  local jar=$1
  if curl -s -o /dev/null "http://127.0.0.1:$http_port/healthz"; then
    echo "another server answers on port $http_port: set HTTP_PORT and TCP_PORT" >&2; exit 1
  fi
  rm -rf "$work/data" && cp -r "$work/prepared" "$work/data"
  # The senders go far past the per-user message rate limit: lift it, as ngircd.conf lifts
  # ngircd's flood penalty, so that the run measures the server, not the throttle; and every
  # member connects from 127.0.0.1, so the per-address connection cap goes too, as
  # ngircd.conf's MaxConnectionsIP = 0.
  # Its admin listener gets a port of its own, so that no other server's 8081 is in the way. On
  # a machine shared with other builds, connections can take longer than the default 10 s to
  # authenticate: that is not what is measured.
  PARLEY_AUTH_TIMEOUT_SECONDS=120 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 \
  PARLEY_ADMIN_PORT=0 \
  "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port "$http_port" --tcp-port "$tcp_port" \
      --data-dir "$work/data" > "$work/server.log" 2>&1 &
  server_pid=$!
  # A server that exits (its port taken by another program on this shared machine) must not
  # leave the bench measuring whatever else answers on that port, nor may one already there.
  until curl -sf "http://127.0.0.1:$http_port/healthz" > /dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:" >&2; tail -5 "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
}

for run in $(seq 1 "$runs"); do
  for row in $rows; do
    if [[ -n $before_jar ]]; then
      serve "$before_jar"
      measure before "$row" "$run" "$server_pid" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens.tsv"
      stop_server
    fi
    serve "$jar"
    measure parley "$row" "$run" "$server_pid" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens.tsv"
    stop_server
    measure ngircd "$row" "$run" "$ngircd_pid" --target irc://127.0.0.1:6667
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work/results.jsonl" <<'PY'
import json, statistics, sys
results = [json.loads(line) for line in open(sys.argv[1])]
ok = [r for r in results if "failed" not in r]
def median(xs):
    return statistics.median(xs) if xs else float("nan")
print()
print("| members × senders × window | target | deliveries/s (runs) | **deliveries/s median** | msg/s median | p50 | p99 | lost/dup/reord | server cores | generator cores |")
print("|---|---|---|---|---|---|---|---|---|---|")
rows = list(dict.fromkeys(r["row"] for r in results))
for row in rows:
    for name in ("before", "parley", "ngircd"):
        rs = [r for r in ok if r["row"] == row and r["name"] == name]
        if not rs:
            continue
        rates = [r["deliveriesPerSecond"] for r in rs]
        print(f"| {row.replace('x', ' × ')} | {name} | {' / '.join(f'{x:,.0f}' for x in rates)} | **{median(rates):,.0f}** "
              f"| {median([r['messagesPerSecond'] for r in rs]):,.0f} "
              f"| {median([r['latencyMillis']['p50'] for r in rs]):.1f} ms | {median([r['latencyMillis']['p99'] for r in rs]):.1f} ms "
              f"| {sum(r['lost'] for r in rs)}/{sum(r['duplicated'] for r in rs)}/{sum(r['reordered'] for r in rs)} "
              f"| {min(r['serverCores'] for r in rs):.2f}–{max(r['serverCores'] for r in rs):.2f} "
              f"| {min(r['generatorCores'] for r in rs):.2f}–{max(r['generatorCores'] for r in rs):.2f} |")
print()
print("| members × senders × window | build | Parley / ngircd deliveries/s (per run) | median |")
print("|---|---|---|---|")
for row in rows:
    for name in ("before", "parley"):
        ratios = []
        for run in sorted({r["run"] for r in ok}):
            pair = {r["name"]: r for r in ok if r["row"] == row and r["run"] == run}
            if name in pair and "ngircd" in pair:
                ratios.append(pair[name]["deliveriesPerSecond"] / pair["ngircd"]["deliveriesPerSecond"])
        if ratios:
            print(f"| {row.replace('x', ' × ')} | {name} | {' / '.join(f'{x:.3f}' for x in ratios)} | **{median(ratios):.3f}** |")
for r in results:
    if "failed" in r:
        print(f"FAILED run {r['run']} {r['name']} {r['row']}: {r['failed']}")
PY
