#!/usr/bin/env bash
# The web client's upload rate in Chromium beside `dd conv=fdatasync` of the same number of bytes
# on the same disk, RUNS times, on one fresh server. Loopback only.
#
#   [PARLEY_JAR=JAR] bench/web-upload-chromium.sh [SIZE_MIB] [RUNS]     (default 256 MiB, 3 runs)
#
# Needs /usr/bin/chromium and playwright-core: npm install playwright-core in DIR, then
# PLAYWRIGHT_CORE=DIR/node_modules/playwright-core (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1: the
# system Chromium is used, nothing is downloaded).
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-web-upload
size_mib=${1:-256}
runs=${2:-3}
jar=${PARLEY_JAR:-$jar}
http=18290

PARLEY_ADMIN_PORT=0 "${java[@]}" -jar "$jar" server --host 127.0.0.1 \
    --http-port $http --tcp-port 17290 --data-dir "$work/data" > "$work/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$http
await_server "$http"
json=(-H 'Content-Type: application/json')
for user in alice bob; do
  curl -sf -XPOST "$base/api/v1/register" "${json[@]}" -d "{\"username\":\"$user\",\"password\":\"secret123-$user\"}" > /dev/null
done
token=$(curl -sf -XPOST "$base/api/v1/login" "${json[@]}" -d '{"username":"alice","password":"secret123-alice"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

for run in $(seq 1 "$runs"); do
  head -c $((size_mib << 20)) /dev/urandom > /dev/shm/parley-web-probe
  start=$(date +%s.%N)
  dd if=/dev/shm/parley-web-probe of="$work/data/disk-probe" bs=4M conv=fdatasync status=none
  disk=$(echo "($size_mib * 1048576) / ($(date +%s.%N) - $start) / 1000000" | bc -l)
  rm -f "$work/data/disk-probe" /dev/shm/parley-web-probe
  result=$(node "$root/bench/web-upload-chromium.cjs" "$base" "$token" "$size_mib")
  python3 - "$run" "$disk" "$result" <<'PY'
import json, sys
run, disk, r = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
print(f"run {run}: dd {disk:.0f} MB/s  web client in Chromium {r['MBps']:.0f} MB/s ({r['state']}, {r['bytes']} bytes in {r['seconds']:.1f} s)  web/dd {r['MBps'] / disk:.2f}")
PY
done
