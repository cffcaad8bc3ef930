#!/bin/sh
# Set up a Debian 12 machine for ragboard, build it, then open the demo or run the tests.
#   sh share/dev/setup.sh demo   install what is missing, build, open the demo plan
#   sh share/dev/setup.sh test   install what is missing, build, run the whole test suite
# Runs as root, or as a user with sudo (asked for only when packages are missing).
# MESON_ARGS adds options to 'meson setup'; BUILD_DIR picks the build folder (build).
set -eu

mode=${1:-demo}
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}

packages="gcc meson ninja-build pkg-config python3 python3-icalendar libncurses-dev libsqlite3-dev
libiniparser-dev libcmocka-dev sqlite3 tmux ncurses-term groff-base"
missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "Installing:$missing"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -f "$build/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup "$build" ${MESON_ARGS:-}
elif [ -n "${MESON_ARGS:-}" ]; then
    # shellcheck disable=SC2086
    meson configure "$build" $MESON_ARGS
fi
ninja -C "$build"

case $mode in
demo)
    exec "$build/ragboard" --demo
    ;;
test)
    status=0
    meson test -C "$build" --print-errorlogs || status=$?
    # One closing line with the totals, from meson's own log.
    python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        ok += 1
    elif r != "SKIP":
        bad += 1
print("tests: %d passed, %d failed" % (ok, bad))
PY
    exit $status
    ;;
*)
    echo "usage: sh share/dev/setup.sh demo|test" >&2
    exit 2
    ;;
esac
