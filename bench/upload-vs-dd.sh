#!/usr/bin/env bash
# `parley upload` of a file against the disk's own rate for the same bytes, RUNS times in one run:
# each run first times `dd ... conv=fdatasync` writing the file's bytes into the server's data
# directory (the same disk), then times the CLI's whole upload (creation, the file's hash, every
# chunk, the file message) to a fresh account on one fresh server. Prints MB/s of both and the
# ratio per run, then the medians; and the CPU seconds (user + system) the upload cost the client
# and the server, which on a machine shared with other work says more than the rate. Loopback only.
# The CLI runs as `java -jar`; with PARLEY_LAUNCHER it runs through that launcher instead (a
# bin/run-parley-jar: what ./parley and the installed parley run, with its AOT cache and JIT
# options), its cache built by the set-up commands and finished before the first run.
#
#   [PARLEY_JAR=JAR] [PARLEY_LAUNCHER=RUN_PARLEY_JAR] bench/upload-vs-dd.sh [FILE] [RUNS]
#   (FILE: 1 GiB of random bytes made on first use)
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-upload-bench
file=${1:-/tmp/parley-bench-1g.bin}
runs=${2:-3}
[[ -f "$file" ]] || head -c $((1 << 30)) /dev/urandom > "$file"
size=$(stat -c %s "$file")
jar=${PARLEY_JAR:-$jar}  # PARLEY_JAR: another build, for a before/after pair
if [[ -n ${PARLEY_LAUNCHER:-} ]]; then
  export XDG_CACHE_HOME=$work/cache
  cli=("$PARLEY_LAUNCHER" "$JAVA_HOME" "$jar")
else
  cli=("${java[@]}" -jar "$jar")
fi
http=18190
tcp=17190

PARLEY_ADMIN_PORT=0 "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port $http --tcp-port $tcp \
    --data-dir "$work/data" > "$work/server.log" 2>&1 &
server_pid=$!
await_server "$http"
export PARLEY_SERVER=http://127.0.0.1:$http PARLEY_CONFIG_DIR=$work/config
echo secret123-bob | "${cli[@]}" register bob > /dev/null
echo secret123-alice | "${cli[@]}" register alice > /dev/null
echo secret123-alice | "${cli[@]}" login alice > /dev/null
# The launcher builds its cache in the background after the first command: not during a run.
for _ in $(seq 600); do
  compgen -G "$work/cache/parley/*.lock" > /dev/null || break
  sleep 0.1
done

now() { date +%s.%N; }
disks=() uploads=() ratios=() cpus=()
server_cpu() { echo "scale=2; $(cpu_ticks "$server_pid") / $(getconf CLK_TCK)" | bc -l; }
echo "load average before: $(load_average)"
for run in $(seq 1 "$runs"); do
  start=$(now)
  dd if="$file" of="$work/data/disk-probe" bs=4M conv=fdatasync status=none
  disk=$(echo "$size / ($(now) - $start) / 1000000" | bc -l)
  rm -f "$work/data/disk-probe"
  server_before=$(server_cpu)
  start=$(now)
  /usr/bin/time -o "$work/client.cpu" -f '%U %S' "${cli[@]}" upload bob "$file" > /dev/null 2> "$work/upload.err" \
    || { cat "$work/upload.err"; exit 1; }
  upload=$(echo "$size / ($(now) - $start) / 1000000" | bc -l)
  client=$(awk '{printf "%.2f", $1 + $2}' "$work/client.cpu")
  server=$(echo "$(server_cpu) - $server_before" | bc -l)
  cpus+=("$(echo "$client + $server" | bc -l)")
  disks+=("$disk") uploads+=("$upload") ratios+=("$(echo "$upload / $disk" | bc -l)")
  printf 'run %d: dd %.0f MB/s  parley upload %.0f MB/s  upload/dd %.2f  CPU s client %.1f server %.1f\n' "$run" "$disk" "$upload" \
    "$(echo "$upload / $disk" | bc -l)" "$client" "$server"
done
echo "load average after: $(load_average)"
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
printf 'medians of %d: dd %.0f MB/s  parley upload %.0f MB/s  upload/dd %.2f  CPU s client + server %.1f\n' "$runs" \
  "$(median "${disks[@]}")" "$(median "${uploads[@]}")" "$(median "${ratios[@]}")" "$(median "${cpus[@]}")"
