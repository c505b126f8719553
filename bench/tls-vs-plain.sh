#!/usr/bin/env bash
# One run of Parley with and without TLS, side by side: two servers on copies of one prepared data
# directory, one plain, one with --tls self-signed (the bench pins its fingerprint). For each
# round, `parley bench messages` (PAIRS x WINDOW) against each, then `parley bench files` (a
# SIZE file uploaded with tus and downloaded) against each, alternating so that the machine's
# noise hits both alike. Prints every run's figures, then the medians and the TLS/plain ratios.
# Loopback only.
#
#   bench/tls-vs-plain.sh [ROUNDS] [SECONDS] [PAIRSxWINDOW] [SIZE]     (default: 3 10 100x16 1GiB)
#
# Needs the built jars (./parley --version and ./parley bench --help build them).
set -euo pipefail
source "$(dirname "$0")/lib.sh" parley-bench-tls
rounds=${1:-3}
seconds=${2:-10}
row=${3:-100x16}
size=${4:-1GiB}
pairs=${row%x*}
window=${row#*x}
declare -A http_port=([plain]=17481 [tls]=17491) tcp_port=([plain]=17401 [tls]=17411) admin_port=([plain]=17482 [tls]=17492)
declare -A pid

bench_cleanup() {
  for mode in plain tls; do [[ -n ${pid[$mode]:-} ]] && kill "${pid[$mode]}" 2>/dev/null || true; done
}

make_users "$jar" $((2 * pairs)) "$work/prepared" "$work/tokens.tsv"

for mode in plain tls; do
  cp -r "$work/prepared" "$work/$mode"
  flags=()
  [[ $mode == tls ]] && flags=(--tls self-signed)
  # The senders go far past the per-user message rate limit: lift it, as the other benches do.
  PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_MESSAGES_PER_SECOND=1000000 PARLEY_MESSAGE_BURST=1000000 PARLEY_FRAMES_PER_SECOND=1000000 PARLEY_FRAME_BURST=1000000 \
  PARLEY_ADMIN_PORT="${admin_port[$mode]}" PARLEY_MAX_STORAGE_BYTES_PER_USER=$((64 << 30)) \
  "${java[@]}" -jar "$jar" server --host 127.0.0.1 --http-port "${http_port[$mode]}" --tcp-port "${tcp_port[$mode]}" \
      --data-dir "$work/$mode" "${flags[@]}" > "$work/$mode.out" 2> "$work/$mode.log" &
  pid[$mode]=$!
done
until grep -q '^tls SHA256' "$work/tls.out" 2>/dev/null && grep -q listening "$work/plain.out" 2>/dev/null; do sleep 0.2; done
fingerprint=$(grep -o 'SHA256:[0-9a-f]*' "$work/tls.out" | head -1)
provider=$(sed -n 's/^tls SHA256:[0-9a-f]* by \(.*\) (.*); clients.*/\1/p' "$work/tls.out")
target() { # the bench's --server flags for a mode
  if [[ $1 == tls ]]; then echo "--server https://127.0.0.1:${http_port[tls]} --fingerprint $fingerprint"; else echo "--server http://127.0.0.1:${http_port[plain]}"; fi
}

echo "TLS provider: $provider; $rounds rounds; messages ${pairs}x${window} for ${seconds}s; files of $size"
for round in $(seq "$rounds"); do
  for mode in plain tls; do
    # shellcheck disable=SC2046 # target's words are separate flags
    "${java[@]}" -jar "$bench_jar" bench messages $(target "$mode") --tcp-port "${tcp_port[$mode]}" --tokens "$work/tokens.tsv" \
        --pairs "$pairs" --window "$window" --duration "$seconds" --json | tail -1 > "$work/messages-$mode-$round.json"
  done
  for mode in plain tls; do
    # shellcheck disable=SC2046
    "${java[@]}" -jar "$bench_jar" bench files $(target "$mode") --admin "http://127.0.0.1:${admin_port[$mode]}" \
        --tokens "$work/tokens.tsv" --size "$size" --temp-dir "$work" --json | tail -1 > "$work/files-$mode-$round.json"
  done
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def load(kind, mode):
    return [json.load(open(f"{work}/{kind}-{mode}-{r}.json")) for r in range(1, rounds + 1)]
rows = {}
for mode in ("plain", "tls"):
    m, f = load("messages", mode), load("files", mode)
    for r in range(rounds):
        print(f"{mode:5} round {r + 1}: {m[r]['deliveredPerSecond']:9.0f} msg/s  p50 {m[r]['latencyMillis']['p50']:6.2f} ms"
              f"  p99 {m[r]['latencyMillis']['p99']:6.2f} ms  lost/dup/reord {m[r]['lost']}/{m[r]['duplicated']}/{m[r]['reordered']}"
              f" | upload {f[r]['upload']['megabytesPerSecond']:6.0f} MB/s  download {f[r]['download']['megabytesPerSecond']:6.0f} MB/s"
              f"  plain GET {f[r]['streamedDownload']['megabytesPerSecond']:6.0f} MB/s  sha-256 ok {f[r]['hashMatches']}")
    rows[mode] = {
        "msg/s": statistics.median(x["deliveredPerSecond"] for x in m),
        "p99 ms": statistics.median(x["latencyMillis"]["p99"] for x in m),
        "upload MB/s": statistics.median(x["upload"]["megabytesPerSecond"] for x in f),
        "download MB/s": statistics.median(x["download"]["megabytesPerSecond"] for x in f),
        "plain GET MB/s": statistics.median(x["streamedDownload"]["megabytesPerSecond"] for x in f),
    }
print(f"{'median':16} {'plain':>10} {'tls':>10} {'tls/plain':>10}")
for key in rows["plain"]:
    p, t = rows["plain"][key], rows["tls"][key]
    print(f"{key:16} {p:10.1f} {t:10.1f} {t / p:10.2f}")
PY
