#!/usr/bin/env bash
# Measures, in one run: raw loopback TCP (iperf3), then a 1 GiB tus upload and a 1 GiB download
# through a fresh Parley server, with the server's heap before and after. Loopback only.
# Needs curl and iperf3 (apt-get install iperf3). Usage: bench/files-1gib.sh [FILE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
file=${1:-/tmp/parley-bench-1g.bin}
[[ -f "$file" ]] || head -c $((1 << 30)) /dev/urandom > "$file"
size=$(stat -c %s "$file")
data=$(mktemp -d)
http=18090
tcp=17090
admin=18091
trap 'kill $server_pid 2>/dev/null; kill $iperf_pid 2>/dev/null; rm -rf "$data"' EXIT

# What the disk takes: the same bytes written and synced, as an upload must.
disk_start=$(date +%s.%N)
dd if="$file" of="$data/disk-probe" bs=1M conv=fdatasync status=none
disk=$(echo "$size / ($(date +%s.%N) - $disk_start) / 1000000" | bc -l)
rm -f "$data/disk-probe"

iperf3 -s -1 -p 15201 >/dev/null 2>&1 & iperf_pid=$!
sleep 0.5
raw=$(iperf3 -c 127.0.0.1 -p 15201 -t 5 -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8/1e6))')

PARLEY_ADMIN_PORT=$admin "$root/parley" server --host 127.0.0.1 --http-port $http --tcp-port $tcp --data-dir "$data" >"$data/out" 2>"$data/err" & server_pid=$!
until grep -q listening "$data/out" 2>/dev/null; do sleep 0.2; done
base=http://127.0.0.1:$http
json=(-H 'Content-Type: application/json')
curl -sf -XPOST $base/api/v1/register "${json[@]}" -d '{"username":"alice","password":"secret123"}' >/dev/null
curl -sf -XPOST $base/api/v1/register "${json[@]}" -d '{"username":"bob","password":"secret123"}' >/dev/null
alice=$(curl -sf -XPOST $base/api/v1/login "${json[@]}" -d '{"username":"alice","password":"secret123"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
bob=$(curl -sf -XPOST $base/api/v1/login "${json[@]}" -d '{"username":"bob","password":"secret123"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
heap() { # MiB of heap in use, and of it the old generation (what survives collections), from the admin listener
  curl -sf http://127.0.0.1:$admin/metrics | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {t+=$NF; if (/Old Gen/) o+=$NF}
    END {printf "%.0f(old %.0f)", t/1048576, o/1048576}'
}
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$(pgrep -f "parley.jar server --host 127.0.0.1 --http-port $http")/status; }
heap_before=$(heap); rss_before=$(rss)

meta="filename $(printf 'bench.bin' | base64),to $(printf bob | base64)"
location=$(curl -sf -i -XPOST $base/api/v1/uploads -H "Tus-Resumable: 1.0.0" -H "Authorization: Bearer $alice" \
  -H "Upload-Length: $size" -H "Upload-Metadata: $meta" | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')
up=$(curl -sf -o /dev/null -w '%{speed_upload}' -X PATCH -T "$file" "$base$location" -H "Tus-Resumable: 1.0.0" \
  -H "Authorization: Bearer $alice" -H "Content-Type: application/offset+octet-stream" -H "Upload-Offset: 0")
id=${location##*/}
heap_after_upload=$(heap)
down=$(curl -sf -o /dev/null -w '%{speed_download}' -H "Authorization: Bearer $bob" "$base/api/v1/files/$id")
heap_after=$(heap); rss_after=$(rss)

printf 'size_bytes=%s raw_loopback_MBps=%s disk_write_MBps=%.0f upload_MBps=%.0f download_MBps=%.0f\n' \
  "$size" "$raw" "$disk" "$(echo "$up/1000000" | bc -l)" "$(echo "$down/1000000" | bc -l)"
printf 'upload/raw=%.2f upload/disk=%.2f download/raw=%.2f\n' \
  "$(echo "$up/1000000/$raw" | bc -l)" "$(echo "$up/1000000/$disk" | bc -l)" "$(echo "$down/1000000/$raw" | bc -l)"
printf 'heap_MiB before=%s after_upload=%s after_download=%s; rss_MiB before=%s after=%s\n' "$heap_before" "$heap_after_upload" "$heap_after" "$rss_before" "$rss_after"
