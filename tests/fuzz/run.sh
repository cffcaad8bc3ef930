#!/bin/sh
# Build the libFuzzer harnesses with clang and run each for SECONDS (default 60).
# usage: sh tests/fuzz/run.sh [SECONDS] [HARNESS...]
#   harnesses: csv datewords ini changes keyscript (default: all)
# The core and screen libraries are built once with clang by meson (in FUZZ_BUILD, else
# a scratch folder), instrumented for libFuzzer, AddressSanitizer and UBSan; each harness
# links against them. Crashes are written to tests/fuzz/crash-*; new inputs go to a
# scratch folder, so the seed corpora in tests/fuzz/corpus/ stay as committed.
set -eu
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-csv datewords ini changes keyscript}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-$(mktemp -d)}
CC=${CC:-clang}
san="-fsanitize=address,undefined -fno-sanitize-recover=all"

# The libraries, as the real build makes them (same sources, same generated files).
if [ ! -f "$out/lib/build.ninja" ]; then
    CC=$CC meson setup "$out/lib" "$top" --buildtype=debug -Dtests=false -Db_lundef=false \
        -Db_sanitize=address,undefined -Dc_args="-O1 -fsanitize=fuzzer-no-link \
-fno-sanitize-recover=all -DRAGBOARD_CSV_CHUNK=509" >"$out/meson-setup.log" 2>&1 ||
        { cat "$out/meson-setup.log" >&2; exit 1; }
fi
ninja -C "$out/lib" libragcore.a libragtui.a >"$out/ninja.log" 2>&1 ||
    { cat "$out/ninja.log" >&2; exit 1; }

curses=$(pkg-config --cflags --libs ncursesw)
flags="-g -O1 -fsanitize=fuzzer $san -std=c17 -D_GNU_SOURCE -DSQLITE_ENABLE_SESSION \
-DSQLITE_ENABLE_PREUPDATE_HOOK -I$top/include -I$top/src"
libs="$out/lib/libragtui.a $out/lib/libragcore.a -lsqlite3 -liniparser $curses -lm"
for name in $harnesses; do
    # shellcheck disable=SC2086
    $CC $flags -o "$out/fuzz_$name" "$here/fuzz_$name.c" $libs
done

status=0
for name in $harnesses; do
    mkdir -p "$out/corpus-$name"
    echo "== fuzz_$name for ${seconds}s"
    "$out/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$here/crash-$name-" -print_final_stats=1 \
        "$out/corpus-$name" "$here/corpus/$name" || status=1
done
[ -n "${FUZZ_BUILD:-}" ] || rm -rf "$out"
exit $status
