#!/usr/bin/env bash
# "Nothing else gets slower" (issue 16): a history page of 50 messages in a conversation of ONE
# messages, and the server's start, on one log of TOTAL messages, for two builds in one session.
# The log is filled once (bench/FillLog.java, with BEFORE's schema) and each build serves its own
# copy; a build with a newer schema migrates its copy on a first start, timed apart. Then RUNS
# starts per build, alternating, each timed from launch to /healthz answering, and in each run 20
# requests of the newest page, 20 of a page from the middle of the conversation, and 20 searches
# each for a text every message holds and for one that one message holds (the searching user's
# messages are the log's oldest, so the first finds all others' first). Prints one line per run;
# medians over the requests. Loopback only.
#
#   bench/history-and-start-two-builds.sh BEFORE_JAR AFTER_JAR [TOTAL] [ONE] [RUNS]
#   e.g. bench/history-and-start-two-builds.sh /tmp/old/parley.jar app/target/parley.jar 2000000 1000000 3
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/env.sh"
jars=("$1" "$2")
total=${3:-2000000}
one=${4:-1000000}
runs=${5:-3}
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
work=$(mktemp -d /tmp/parley-history.XXXXXX)
port_base=${PARLEY_BENCH_PORT_BASE:-17500}
tcp_port=$((port_base + 1))
http_port=$((port_base + 81))
admin_port=$((port_base + 82))

cleanup() {
  [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"${java[@]}" -jar "${jars[0]}" admin create-users --data-dir "$work/prepared" --count 103 --prefix u > /dev/null
"${java[@]}" -jar "${jars[0]}" admin mint-tokens --data-dir "$work/prepared" --count 2 --prefix u --out "$work/tokens.tsv" > /dev/null
token=$(awk -F'\t' '$1 == "u1" {print $2}' "$work/tokens.tsv")
started=$(date +%s)
"${java[@]}" -cp "${jars[0]}" "$root/bench/FillLog.java" "$work/prepared" "$total" "$one"
echo "filled $total messages ($one between u1 and u2) in $(( $(date +%s) - started )) s"
for i in 0 1; do
  cp -r "$work/prepared" "$work/data$i"
done

# Starts build $1 on its copy; sets start_ms to the milliseconds from launch to /healthz answering.
start_server() {
  if curl -sf "http://127.0.0.1:$http_port/healthz" > /dev/null; then
    echo "something already answers on port $http_port; set PARLEY_BENCH_PORT_BASE" >&2
    exit 1
  fi
  local began
  began=$(date +%s%N)
  PARLEY_ADMIN_PORT="$admin_port" "${java[@]}" -jar "${jars[$1]}" server --host 127.0.0.1 --http-port "$http_port" \
      --tcp-port "$tcp_port" --data-dir "$work/data$1" > "$work/server$1.log" 2>&1 &
  server_pid=$!
  until curl -sf "http://127.0.0.1:$http_port/healthz" > /dev/null; do sleep 0.05; done
  start_ms=$(( ($(date +%s%N) - began) / 1000000 ))
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# The median time in ms of 20 GETs of a history page.
median_page() {
  for _ in $(seq 20); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$http_port/api/v1/messages?with=u2&limit=50$1"
  done | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}'
}

# The median time in ms of 20 searches (GET /api/v1/search, 20 hits at most) for $1 by u1.
median_search() {
  for _ in $(seq 20); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" -G \
        --data-urlencode "q=$1" "http://127.0.0.1:$http_port/api/v1/search"
  done | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}'
}

start_server 1
stop_server
echo "after: first start, migrating the copy: $start_ms ms"
for run in $(seq 1 "$runs"); do
  for i in 0 1; do
    name=$([[ $i == 0 ]] && echo before || echo after)
    start_server "$i"
    newest=$(median_page "")
    middle=$(median_page "&before=$(( one / 2 ))")
    common=$(median_search "今天下午三点")
    rare=$(median_search "message $(( one / 2 )) ")
    stop_server
    echo "run $run $name start $start_ms ms  history newest page $newest ms  middle page $middle ms" \
        " search: in every message $common ms, in one $rare ms"
  done
done
