#!/usr/bin/env bash
# Runs the example client against a real router: Crossbar.io 26.10.1, with an
# autobahn-python component (router/component.py) as the other peer, in JSON,
# MessagePack and CBOR.
#
#     examples/client/interop.sh
#
# On first use it installs Crossbar.io and autobahn-python, pinned in
# router/requirements.txt, into a virtualenv in target/interop/venv (a few
# minutes); later runs reuse it. It builds the client, starts the router and
# the component, runs the client, and stops the two by process ID, also when
# something fails. Logs: target/interop/*.log.
#
# Environment:
#   PYTHON             the Python that builds the virtualenv (default: python3; 3.11 or newer)
#   WAMP_INTEROP_PORT  the router's port on 127.0.0.1 (default: a free one)
#   ROUTER_TIMEOUT     seconds the router has to start listening (default: 60)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
work="$target/interop"
venv="$work/venv"
python="${PYTHON:-python3}"
router_timeout="${ROUTER_TIMEOUT:-60}"
realm=realm1

say() { echo "interop: $*"; }
die() {
    echo "interop: error: $*" >&2
    exit 1
}
# Prints the last lines of a log, to stderr.
tail_log() {
    echo "--- last lines of $1" >&2
    tail -n "${2:-30}" "$1" >&2 || true
    echo "---" >&2
}
# True when something listens on 127.0.0.1:$1.
listening() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# What this script started, each the leader of its own process group
# (setsid): stopped by PID, TERM first, KILL after 10 seconds.
router_pid=
component_pid=
stop() {
    local pid=$1 name=$2
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    echo "interop: the $name (pid $pid) did not stop within 10 s: killing its process group" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
    stop "$component_pid" component
    stop "$router_pid" router
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"

# 1. Python, and the virtualenv with Crossbar.io on first use (or when the
# pinned versions change).
command -v "$python" >/dev/null 2>&1 || die "$python not found: Crossbar.io needs Python 3.11 or newer (set PYTHON to use another one)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
    die "$python is $("$python" --version 2>&1 || echo 'not working'): Crossbar.io 26.10.1 needs Python 3.11 or newer (set PYTHON to use another one)"
requirements="$here/router/requirements.txt"
stamp="$venv/interop-requirements.txt"
if ! cmp -s "$requirements" "$stamp"; then
    say "installing Crossbar.io and autobahn-python into $venv (first use: a few minutes)"
    started=$SECONDS
    rm -rf "$venv"
    "$python" -m venv "$venv" >"$work/install.log" 2>&1 || {
        tail_log "$work/install.log"
        die "$python -m venv failed (on Debian and Ubuntu: apt-get install python3-venv)"
    }
    timeout 1200 "$venv/bin/pip" install --disable-pip-version-check --no-input -r "$requirements" >>"$work/install.log" 2>&1 || {
        tail_log "$work/install.log"
        die "pip install failed or took more than 20 minutes (log: $work/install.log)"
    }
    cp "$requirements" "$stamp"
    say "installed in $((SECONDS - started)) s"
fi

# 2. The client, built before anything is started.
say "building the client"
(cd "$repo" && cargo build -q -p wamp-example-client)
client="$target/debug/wamp-example-client"

# 3. The router, on a free port of 127.0.0.1.
if [ -n "${WAMP_INTEROP_PORT:-}" ]; then
    port=$WAMP_INTEROP_PORT
    listening "$port" && die "port $port on 127.0.0.1 is in use: set WAMP_INTEROP_PORT to a free port, or unset it to have one picked"
else
    port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
url="ws://127.0.0.1:$port/ws"
say "starting Crossbar.io on 127.0.0.1:$port"
mkdir -p "$work/node"
WAMP_INTEROP_PORT=$port setsid "$venv/bin/crossbar" start --cbdir "$work/node" --config "$here/router/config.json" \
    >"$work/router.log" 2>&1 </dev/null &
router_pid=$!
deadline=$((SECONDS + router_timeout))
until listening "$port"; do
    if ! kill -0 "$router_pid" 2>/dev/null; then
        tail_log "$work/router.log"
        die "the router exited before listening on 127.0.0.1:$port (log: $work/router.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        tail_log "$work/router.log"
        die "the router did not listen on 127.0.0.1:$port within $router_timeout s (log: $work/router.log)"
    fi
    sleep 0.2
done

# 4. The component: ready once its three sessions have joined and registered.
say "starting the autobahn-python component"
rm -f "$work/component.ready"
setsid "$venv/bin/python" "$here/router/component.py" "$url" "$realm" "$work/component.ready" \
    >"$work/component.log" 2>&1 </dev/null &
component_pid=$!
deadline=$((SECONDS + 30))
until [ -f "$work/component.ready" ]; do
    if ! kill -0 "$component_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
        tail_log "$work/component.log"
        tail_log "$work/router.log" 10
        die "the component did not join within 30 s (log: $work/component.log)"
    fi
    sleep 0.2
done

# 5. The client: one line per step and format.
status=0
timeout 300 "$client" "$url" "$realm" || status=$?
if [ "$status" -ne 0 ]; then
    tail_log "$work/component.log" 20
    tail_log "$work/router.log" 20
    echo "interop: the client failed (exit status $status)" >&2
fi
exit "$status"
