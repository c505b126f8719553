#!/usr/bin/env bash
# `parley bench messages` (PAIRSxWINDOW rows) and `parley bench rooms` (MEMBERSxSENDERSxWINDOW
# rows) against one Parley node on SQLite and one on PostgreSQL, alternating within each run, RUNS
# times. Every row and run gets a fresh server on fresh storage: a copy of a prepared data
# directory, or a new PostgreSQL database (parley_bench_<n>, dropped after) filled with the same
# users by `parley admin create-users --database`. Prints a line per measurement (rate, p99,
# exactness, CPU of the Parley JVM, of the generator and of all PostgreSQL server processes, and
# PostgreSQL commits per second, all sampled from /proc and pg_stat_database), then medians.
#
#   bench/sqlite-vs-postgres.sh [SECONDS] ["messages:100x16 messages:100x1 rooms:100x10x16"] [RUNS]
#
# Needs the built jars (./parley --version and ./parley bench --help build them) and PostgreSQL on
# 127.0.0.1:5432 with trust for user postgres (bin/ensure-postgres). Loopback only.
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-store-bench
seconds=${1:-10}
rows=${2:-"messages:100x16 messages:100x1 rooms:100x10x16 rooms:100x10x1"}
runs=${3:-3}
read -r tcp_port http_port < <(free_ports 2)
warmup=2
users=200
bench_cleanup() {
  [[ -n ${database:-} ]] && drop_database "$database" 2>/dev/null || true
}

postgres_ticks() {
  local total=0 pid
  for pid in $(pgrep -u postgres postgres); do total=$(( total + $(cpu_ticks "$pid" 2>/dev/null || echo 0) )); done
  echo "$total"
}
commits() { "${psql[@]}" "SELECT coalesce(sum(xact_commit), 0) FROM pg_stat_database WHERE datname = '${1:-}'"; }

# measure STORE ROW RUN SERVER_PID DATABASE ARGS...: one generator run, one JSON line to results.jsonl.
measure() {
  local store=$1 row=$2 run=$3 pid=$4 db=$5
  shift 5
  local kind=${row%%:*} shape=${row#*:} generator_ticks=0 args
  if [[ $kind == messages ]]; then
    args=(--pairs "${shape%x*}" --window "${shape#*x}")
  else
    local members=${shape%%x*} rest=${shape#*x}
    args=(--members "$members" --senders "${rest%%x*}" --window "${rest#*x}")
  fi
  local server_before postgres_before commits_before
  server_before=$(cpu_ticks "$pid"); postgres_before=$(postgres_ticks); commits_before=$(commits "$db")
  generator_ticks=$(sampled_run "$work/result.json" "$work/error.txt" \
      "${java[@]}" -jar "$bench_jar" bench "$kind" "$@" "${args[@]}" --warmup "$warmup" --duration "$seconds" --json)
  local wall=$((seconds + warmup))
  python3 - "$store" "$row" "$run" "$generator_ticks" "$(( $(cpu_ticks "$pid") - server_before ))" \
      "$(( $(postgres_ticks) - postgres_before ))" "$(( $(commits "$db") - commits_before ))" "$wall" \
      "$(if [[ -s $work/result.json ]]; then tail -1 "$work/result.json"; else tail -1 "$work/error.txt"; fi)" \
      >> "$work/results.jsonl" <<'PY'
import json, sys
store, row, run, generator, server, postgres, commits, wall, result = sys.argv[1:10]
r = json.loads(result) if result.startswith("{") else {"failed": result}
wall = float(wall)
r.update(store=store, row=row, run=int(run), generatorCores=int(generator) / 100 / wall, serverCores=int(server) / 100 / wall,
         postgresCores=int(postgres) / 100 / wall, commitsPerSecond=int(commits) / wall)
r["rate"] = r.get("deliveredPerSecond", r.get("deliveriesPerSecond", 0))
print(json.dumps(r))
PY
  python3 - "$(tail -1 "$work/results.jsonl")" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
if "failed" in r:
    print(f"run {r['run']} {r['store']:8} {r['row']:18} FAILED: {r['failed']}", flush=True)
else:
    l = r["latencyMillis"]
    print(f"run {r['run']} {r['store']:8} {r['row']:18} {r['rate']:>10,.0f}/s  p50 {l['p50']:7.2f}  p99 {l['p99']:7.2f} ms"
          f"  lost/dup/reord {r['lost']}/{r['duplicated']}/{r['reordered']}  cores: parley {r['serverCores']:.2f}"
          f" postgres {r['postgresCores']:.2f} generator {r['generatorCores']:.2f}  pg commits/s {r['commitsPerSecond']:,.0f}", flush=True)
PY
}

start_server() {
  PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 \
  PARLEY_ADMIN_PORT=0 PARLEY_AUTH_TIMEOUT_SECONDS=120 \
  "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port "$http_port" --tcp-port "$tcp_port" \
      --data-dir "$work/data" "$@" > "$work/server.log" 2>&1 &
  server_pid=$!
  await_server "$http_port"
}

make_users "$jar" "$users" "$work/prepared" "$work/tokens.tsv"
echo "load average before: $(load_average)"
n=0
for run in $(seq 1 "$runs"); do
  for row in $rows; do
    rm -rf "$work/data" && cp -r "$work/prepared" "$work/data"
    start_server
    measure sqlite "$row" "$run" "$server_pid" "" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" --tokens "$work/tokens.tsv"
    stop_server

    n=$((n + 1))
    database=parley_bench_$$_$n
    create_database "$database"
    rm -rf "$work/data" && mkdir -p "$work/data"
    make_users "$jar" "$users" "$work/data" "$work/pg-tokens.tsv" --database "$url"
    start_server --database "$url"
    measure postgres "$row" "$run" "$server_pid" "$database" --server "http://127.0.0.1:$http_port" --tcp-port "$tcp_port" \
        --tokens "$work/pg-tokens.tsv"
    stop_server
    drop_database "$database"
    database=
  done
done
summarize <<'PY'
import sys
from bench_results import faults, groups, label, load, median as med, per_run, print_failures, print_ratios
results = load(sys.argv[1])
print()
print("| bench | store | msg/s or deliveries/s (runs) | **median** | p99 median | lost/dup/reord | Parley JVM cores | PostgreSQL cores | PG commits/s |")
print("|---|---|---|---|---|---|---|---|---|")
for row, store, rs in groups(results, "store", ("sqlite", "postgres")):
    rates = [r["rate"] for r in rs]
    print(f"| {label(row)} | {store} | {per_run(rates)} | **{med(rates):,.0f}** "
          f"| {med([r['latencyMillis']['p99'] for r in rs]):.1f} ms "
          f"| {faults(rs)} "
          f"| {med([r['serverCores'] for r in rs]):.2f} | {med([r['postgresCores'] for r in rs]):.2f} "
          f"| {med([r['commitsPerSecond'] for r in rs]):,.0f} |")
print_ratios(results, "store", "postgres", "sqlite", "rate", "| bench | PostgreSQL / SQLite (per run) | median |")
print_failures(results, "store")
PY
