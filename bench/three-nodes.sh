#!/usr/bin/env bash
# `parley bench messages` (100 pairs, window 16 and 1) and `parley bench rooms` (100 members, 10
# senders, window 16) against one node on SQLite, one node on PostgreSQL, and three nodes on one
# PostgreSQL database behind HAProxy (packaging/haproxy/parley-3-nodes.cfg, the README's file, with
# loopback ports), the same generator in the same run, RUNS times; then medians. The three nodes
# get `--bus nats://127.0.0.1:4222 --node-id` when this build's server has the flag; without a bus
# a node delivers live only to its own connections, so the row is then one PostgreSQL node behind
# the same HAProxy (what the proxy costs), and says so. Then the failover time: ClusterFailoverTest
# (three node processes, kill -9 of one under load) RUNS times, the time from the kill to all of
# the killed node's clients caught up through HAProxy.
#
#   bench/three-nodes.sh [SECONDS] [RUNS]
#
# Needs the built jars (./parley --version and ./parley bench --help build them), PostgreSQL on
# 127.0.0.1:5432 with trust for user postgres (bin/ensure-postgres), /usr/sbin/haproxy
# (bin/ensure-haproxy), and nats-server on 127.0.0.1:4222 for the bus. Loopback only.
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-three-nodes
seconds=${1:-10}
runs=${2:-3}
rows="messages:100x16 messages:100x1 rooms:100x10x16"
users=200
parley=("${java[@]}" -jar "$jar")
bench=("${java[@]}" -jar "$bench_jar" bench)
pids=()
database=

stop_all() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  if [[ -n $database ]]; then drop_database "$database"; fi
  database=
}
bench_cleanup() { stop_all; }

# node NAME HTTP TCP ARGS...: a server in the background on data directory $work/NAME; with a
# bus, on NATS subjects of this run's own (a node without a bus ignores the setting).
node() {
  local name=$1 http=$2 tcp=$3
  shift 3
  mkdir -p "$work/$name"
  PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 \
  PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_TRUSTED_PROXIES=127.0.0.1 \
  PARLEY_ADMIN_PORT=0 PARLEY_AUTH_TIMEOUT_SECONDS=120 PARLEY_BUS_SUBJECT=parley_bench_$$ \
  "${parley[@]}" server --host 127.0.0.1 --http-port "$http" --tcp-port "$tcp" --data-dir "$work/$name" "$@" \
      > "$work/$name.log" 2>&1 &
  pids+=($!)
  await_server "$http" "${pids[-1]}" "$work/$name.log"
}

# haproxy HTTP TCP NODE_HTTP:NODE_TCP...: the README's configuration on these loopback ports,
# with as many of its servers as nodes are given (node-a first).
haproxy() {
  local proxy_http=$1
  local proxy_tcp=$2
  shift 2
  local script="s/^    bind :80$/    bind 127.0.0.1:$proxy_http/; s/^    bind :7070$/    bind 127.0.0.1:$proxy_tcp/"
  local letter backend
  for letter in a b c; do
    if [[ $# -eq 0 ]]; then
      script+="; /server node-$letter /d"
      continue
    fi
    backend=$1
    shift
    script+="; /server node-$letter /{s/node-$letter:8080/127.0.0.1:${backend%:*}/; s/node-$letter:7070/127.0.0.1:${backend#*:}/;"
    script+=" s/port 8080/port ${backend%:*}/}"
  done
  sed "$script" "$root/packaging/haproxy/parley-3-nodes.cfg" > "$work/haproxy.cfg"
  /usr/sbin/haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 &
  pids+=($!)
  await_server "$proxy_http" "${pids[-1]}" "$work/haproxy.log"
}

# new_database N: a fresh database, dropped by stop_all; its URL in $url.
new_database() {
  database=parley_three_nodes_$$_$1
  create_database "$database"
}

# measure SETUP ROW RUN HTTP TCP: one generator run, one JSON line into results.jsonl.
measure() {
  local setup=$1 row=$2 run=$3 http=$4 tcp=$5 kind=${2%%:*} shape=${2#*:} args
  if [[ $kind == messages ]]; then
    args=(--pairs "${shape%x*}" --window "${shape#*x}")
  else
    local rest=${shape#*x}
    args=(--members "${shape%%x*}" --senders "${rest%%x*}" --window "${rest#*x}")
  fi
  "${bench[@]}" "$kind" --server "http://127.0.0.1:$http" --tcp-port "$tcp" --tokens "$work/tokens.tsv" "${args[@]}" \
      --warmup 2 --duration "$seconds" --json > "$work/result.json" 2> "$work/error.txt" || true
  python3 - "$setup" "$row" "$run" "$(tail -1 "$work/result.json" 2>/dev/null || true)" "$(tail -1 "$work/error.txt")" \
      >> "$work/results.jsonl" <<'PY'
import json, sys
setup, row, run, result, error = sys.argv[1:6]
r = json.loads(result) if result.startswith("{") else {"failed": error or "no result"}
r.update(setup=setup, row=row, run=int(run), rate=r.get("deliveredPerSecond", r.get("deliveriesPerSecond", 0)))
print(json.dumps(r))
if "failed" in r:
    print(f"run {run} {setup:22} {row:18} FAILED: {r['failed']}", file=sys.stderr)
else:
    print(f"run {run} {setup:22} {row:18} {r['rate']:>10,.0f}/s  p99 {r['latencyMillis']['p99']:7.2f} ms"
          f"  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}", file=sys.stderr)
PY
}

bus=()
three="3 nodes, PostgreSQL"
if "${parley[@]}" server --help 2>/dev/null | grep -q -- '--bus'; then
  three+=" + NATS"
else
  three="1 node PG via HAProxy"
  echo "this build's server has no --bus: the three-node row is one PostgreSQL node behind HAProxy" >&2
fi

echo "load average before: $(load_average)"
make_users "$jar" "$users" "$work/prepared" "$work/tokens.tsv"
cp "$work/tokens.tsv" "$work/sqlite-tokens.tsv"
n=0
for run in $(seq 1 "$runs"); do
  for row in $rows; do
    read -r http tcp < <(free_ports 2)
    rm -rf "$work/sqlite" && cp -r "$work/prepared" "$work/sqlite"
    cp "$work/sqlite-tokens.tsv" "$work/tokens.tsv"
    node sqlite "$http" "$tcp"
    measure "1 node, SQLite" "$row" "$run" "$http" "$tcp"
    stop_all

    n=$((n + 1))
    new_database "$n"
    make_users "$jar" "$users" "$work/admin" "$work/tokens.tsv" --database "$url"
    node postgres "$http" "$tcp" --database "$url"
    measure "1 node, PostgreSQL" "$row" "$run" "$http" "$tcp"
    stop_all

    n=$((n + 1))
    new_database "$n"
    make_users "$jar" "$users" "$work/admin" "$work/tokens.tsv" --database "$url"
    read -r proxy_http proxy_tcp < <(free_ports 2)
    backends=()
    for name in a b c; do
      read -r node_http node_tcp < <(free_ports 2)
      if [[ $three == *NATS ]]; then
        bus=(--bus nats://127.0.0.1:4222 --node-id "node-$name")
      elif [[ $name != a ]]; then
        break
      fi
      node "node-$name" "$node_http" "$node_tcp" --database "$url" "${bus[@]}"
      backends+=("$node_http:$node_tcp")
    done
    haproxy "$proxy_http" "$proxy_tcp" "${backends[@]}"
    measure "$three" "$row" "$run" "$proxy_http" "$proxy_tcp"
    stop_all
  done
done
echo "load average after the benches: $(load_average)"

failover_output="$root/app/target/surefire-reports/dev.parley.app.ClusterFailoverTest-output.txt"
for run in $(seq 1 "$runs"); do
  (cd "$root" && ./mvnw -B -ntp -q -o -pl app -am test -Dtest='ClusterFailoverTest#theKilledNodes*' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dcheckstyle.skip > "$work/failover.log" 2>&1) \
      || { echo "failover run $run failed: $work/failover.log" >&2; tail -40 "$work/failover.log" >&2; continue; }
  grep -h '^failover: kill' "$failover_output" | sed "s/^/run $run /" | tee -a "$work/failover.txt"
done
echo "load average after: $(load_average)"

python3 - "$work/results.jsonl" "$work/failover.txt" <<'PY'
import json, os, re, statistics, sys
results = [json.loads(line) for line in open(sys.argv[1])]
ok = [r for r in results if "failed" not in r]
med = lambda xs: statistics.median(xs) if xs else float("nan")
setups = list(dict.fromkeys(r["setup"] for r in results))
print()
print("| bench | setup | msg/s or deliveries/s (runs) | **median** | p99 median | lost/dup/reord | / 1 node SQLite (median of runs) |")
print("|---|---|---|---|---|---|---|")
for row in dict.fromkeys(r["row"] for r in results):
    for setup in setups:
        rs = [r for r in ok if r["row"] == row and r["setup"] == setup]
        if not rs:
            continue
        ratios = []
        for r in rs:
            base = [b for b in ok if b["row"] == row and b["run"] == r["run"] and b["setup"] == setups[0]]
            if base and base[0]["rate"]:
                ratios.append(r["rate"] / base[0]["rate"])
        rates = [r["rate"] for r in rs]
        print(f"| {row.replace(':', ' ').replace('x', ' × ')} | {setup} | {' / '.join(f'{x:,.0f}' for x in rates)} | **{med(rates):,.0f}** "
              f"| {med([r['latencyMillis']['p99'] for r in rs]):.1f} ms "
              f"| {sum(r['lost'] for r in rs)}/{sum(r['duplicated'] for r in rs)}/{sum(r['reordered'] for r in rs)} "
              f"| {med(ratios):.3f} |")
for r in results:
    if "failed" in r:
        print(f"FAILED run {r['run']} {r['setup']} {r['row']}: {r['failed']}")
if os.path.exists(sys.argv[2]):
    times = [int(m.group(1)) for m in map(re.compile(r"(\d+) ms after the kill").search, open(sys.argv[2])) if m]
    print()
    print(f"failover (kill -9 → all the killed node's clients caught up): {' / '.join(f'{t:,} ms' for t in times)}; "
          f"median **{med(times):,.0f} ms**")
PY
