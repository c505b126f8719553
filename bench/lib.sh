# What the side-by-side bench scripts share; sourced right after `set -euo pipefail`:
#
#   source "$(dirname "$0")/lib.sh" WORK_NAME
#
# gives the repository root and its Java (bin/env.sh), `java` (an array), `jar` (this build's
# parley.jar), `bench_jar`, and `work`: a fresh /tmp/WORK_NAME.XXXXXX directory. On exit the server
# in `server_pid`, if any, is stopped, the script's own `bench_cleanup` runs (ngircd, a database),
# and `work` is removed. Loopback only.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bin/env.sh"
jar="$root/app/target/parley.jar"
bench_jar="$root/bench/target/parley-bench.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
work=$(mktemp -d "/tmp/${1:-parley-bench}.XXXXXX")

# Replaced by a script that starts more than its server.
bench_cleanup() { :; }

cleanup() {
  [[ -n ${server_pid:-} ]] && kill "$server_pid" 2>/dev/null || true
  bench_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

# CPU ticks (1/100 s) a process has used, user and system.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Bytes a process has caused to be written to disk.
written_bytes() { awk '/^write_bytes/ {print $2}' "/proc/$1/io"; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# make_users JAR COUNT DATA_DIR TOKENS [ADMIN_ARGS...]: users u0..u(COUNT-1) in the data directory
# (or the database ADMIN_ARGS name) and their login tokens in the file TOKENS, as the benches read them.
make_users() {
  local with=$1 count=$2 dir=$3 tokens=$4
  shift 4
  "${java[@]}" -jar "$with" admin create-users --data-dir "$dir" "$@" --count "$count" --prefix u > /dev/null
  "${java[@]}" -jar "$with" admin mint-tokens --data-dir "$dir" "$@" --count "$count" --prefix u --out "$tokens" > /dev/null
}

# await_server HTTP_PORT [PID LOG]: until the server in server_pid (or PID) answers /healthz; if it
# exits first, its log ($work/server.log, or LOG) is shown and the script ends.
await_server() {
  local pid=${2:-$server_pid} log=${3:-$work/server.log}
  until curl -sf "http://127.0.0.1:$1/healthz" > /dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
}

# free_ports N: N free loopback ports, picked now rather than fixed: other benches may run at the same time.
free_ports() {
  python3 -c 'import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])' "$1"
}

# The local PostgreSQL (trust for user postgres, bin/ensure-postgres), for the scripts that use one.
psql=(psql -w -h 127.0.0.1 -U postgres -d postgres -Atqc)

# create_database NAME: an empty UTF-8 database on it; its URL in $url.
create_database() {
  "${psql[@]}" "CREATE DATABASE $1 ENCODING 'UTF8' TEMPLATE template0" > /dev/null
  url="postgresql://postgres@127.0.0.1:5432/$1"
}

drop_database() {
  "${psql[@]}" "DROP DATABASE IF EXISTS $1 WITH (FORCE)" > /dev/null
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# summarize <<'PY' ... PY: the load average after the runs, then the Python summary on stdin, run
# on $work/results.jsonl (its sys.argv[1]) with bench_results.py importable.
summarize() {
  echo "load average after: $(load_average)"
  PYTHONPATH="$root/bench" python3 - "$work/results.jsonl"
}

# warm_up ARGS...: an unmeasured `bench messages` of PARLEY_BENCH_WARM_SECONDS (default 0: none)
# with these arguments, so that what is measured next is a server that has been up a while: the
# JIT's compile of its hot code, a one-time cost that is a fifth of a cold server's CPU in a 10 s
# run, is then not counted per message.
# A failed warm-up ends the script with the generator's result on stderr: a server that delivers
# nothing fails here, and would otherwise leave no line and no reason.
warm_up() {
  local seconds=${PARLEY_BENCH_WARM_SECONDS:-0}
  [[ $seconds == 0 ]] && return 0
  "${java[@]}" -jar "$bench_jar" bench messages "$@" --duration "$seconds" --json > "$work/warm-up.json" || {
    echo "warm-up failed (exit $?): $(tail -1 "$work/warm-up.json")" >&2
    exit 1
  }
}

# sampled_run OUT ERR COMMAND...: runs the command with its output in OUT and errors in ERR, and
# prints its CPU ticks, read until just before it exits, while /proc still has it.
sampled_run() {
  local out=$1 err=$2
  shift 2
  "$@" > "$out" 2> "$err" &
  local pid=$! ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    ticks=$(cpu_ticks "$pid" 2>/dev/null || echo "$ticks")
    sleep 0.2
  done
  wait "$pid" || true
  echo "$ticks"
}
