#!/usr/bin/env bash
# Installs the Debian package on this machine and runs it as its systemd unit would, then removes
# it: packaging/test-deb.sh [DEB] (default: the one './mvnw -Pdist package' built). Needs root.
#
# Not part of ./run-tests: it installs into / (a user, /usr/bin/parley, /var/lib/parley), needs
# root and a dist build (jlink) first, and takes minutes here. It cleans up after itself: what it
# created (the package, the user, the data directory) is removed again, even when a step fails.
#
# Without a running systemd (containers, CI), the unit's User=, Environment= and ExecStart= are
# read from the installed unit and run with runuser; systemd-analyze verify checks the unit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deb=${1:-$(ls "$root"/app/target/dist/parley_*.deb 2>/dev/null | head -n1)}
[[ -f "$deb" ]] || { echo "test-deb: no .deb; build it with ./mvnw -Pdist package" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "test-deb: run as root (it installs the package)" >&2; exit 2; }
if dpkg -s parley >/dev/null 2>&1; then
  echo "test-deb: parley is already installed here; not touching it" >&2
  exit 2
fi

had_user=$(getent passwd parley >/dev/null && echo yes || echo no)
had_data=$([[ -e /var/lib/parley ]] && echo yes || echo no)
work=$(mktemp -d)
server_pid=
java_pid=
cleanup() {
  # runuser waits for the server as its child: both go, so that the user can be removed.
  [[ -n "$server_pid" && -z "$java_pid" ]] && java_pid=$(pgrep -P "$server_pid" || true)
  for pid in $java_pid $server_pid; do
    kill -9 "$pid" 2>/dev/null || true
  done
  [[ -n "$server_pid" ]] && wait "$server_pid" 2>/dev/null || true
  dpkg -P parley >/dev/null 2>&1 || true
  [[ $had_data == no ]] && rm -rf /var/lib/parley
  [[ $had_user == no ]] && getent passwd parley >/dev/null && userdel parley
  getent group parley >/dev/null && [[ $had_user == no ]] && groupdel parley 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
pass() { echo "test-deb: ok: $*"; }

dpkg -i "$deb" >/dev/null
[[ $(command -v parley) == /usr/bin/parley ]] || fail "parley is not /usr/bin/parley on the PATH"
pass "dpkg -i installed /usr/bin/parley"
getent passwd parley >/dev/null || fail "no parley user"
[[ $(stat -c '%U %a' /var/lib/parley) == "parley 700" ]] || fail "/var/lib/parley is not the parley user's, mode 700"
[[ $(stat -c '%U:%G %a' /etc/parley/parley.conf) == "root:parley 640" ]] || fail "/etc/parley/parley.conf is not root:parley 640"
pass "user parley, /var/lib/parley and /etc/parley/parley.conf"
unit=/lib/systemd/system/parley.service
[[ -f $unit ]] || fail "no $unit"
if command -v systemd-analyze >/dev/null; then
  # Without a running systemd, verify still parses the unit and checks ExecStart's binary.
  systemd-analyze verify "$unit" 2>"$work/verify.txt" || true
  if grep -v -E 'Failed to|dbus|bus|Transport endpoint' "$work/verify.txt" | grep -q .; then
    cat "$work/verify.txt" >&2
    fail "systemd-analyze verify reports problems in the unit"
  fi
  pass "systemd-analyze verify $unit"
fi

user=$(sed -n 's/^User=//p' "$unit")
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
mapfile -t environment < <(sed -n 's/^Environment=//p' "$unit")
# Free ports on loopback, so this does not collide with anything listening on 8080 here.
environment+=(PARLEY_HOST=127.0.0.1 PARLEY_HTTP_PORT=0 PARLEY_TCP_PORT=0 PARLEY_ADMIN_PORT=0)
cd /var/lib/parley
# shellcheck disable=SC2086 # ExecStart is a command line
runuser -u "$user" -- env -i PATH=/usr/bin:/bin "${environment[@]}" $exec_start >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 120); do
  grep -q '^parley listening' "$work/out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err" >&2; fail "the server exited before listening"; }
  sleep 1
done
ready=$(grep '^parley listening' "$work/out") || { cat "$work/err" >&2; fail "no listening line in 120 s"; }
http=$(sed -E 's/.* http=([^ ]+) .*/\1/' <<<"$ready")
pass "ExecStart started: $ready"
java_pid=$(pgrep -P "$server_pid" -f parley.jar || echo "$server_pid")
[[ $(ps -o user= -p "$java_pid" | tr -d ' ') == parley ]] || fail "the server does not run as the parley user"
[[ $(stat -c %U /var/lib/parley/parley.db) == parley ]] || fail "the database is not in /var/lib/parley, owned by parley"
pass "runs as parley, database in /var/lib/parley"
[[ $(curl -fsS "http://$http/healthz") ]] || fail "/healthz did not answer"
curl -fsS -o "$work/index.html" "http://$http/" || fail "the web client did not load"
grep -qi '<html' "$work/index.html" || fail "the web client's page is not HTML"
pass "serves /healthz and the web client"

kill -TERM "$java_pid"
for _ in $(seq 30); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$server_pid" 2>/dev/null && fail "still running 30 s after SIGTERM"
wait "$server_pid" && status=0 || status=$?
server_pid=
java_pid=
[[ $status -eq 0 ]] || fail "exit status $status after SIGTERM"
pass "stopped on SIGTERM with exit status 0"

dpkg -r parley >/dev/null
[[ ! -e /usr/bin/parley && ! -e $unit && ! -e /usr/lib/parley ]] || fail "dpkg -r left files behind"
pass "dpkg -r removed it"
echo "test-deb: all passed"
