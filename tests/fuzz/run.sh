#!/bin/sh
# Build the libFuzzer harnesses with clang and run each for SECONDS (default 60).
# usage: sh tests/fuzz/run.sh [SECONDS]
# Crashes are written to tests/fuzz/crash-*; new inputs go to a scratch folder, so the
# seed corpora in tests/fuzz/corpus/ stay as committed.
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-$(mktemp -d)}
CC=${CC:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c17 \
-D_GNU_SOURCE -I$top/include"

$CC $flags -o "$out/fuzz_csv" "$here/fuzz_csv.c" "$top/src/core/csv.c" \
    "$top/src/core/datewords.c" "$top/src/core/date.c" "$top/src/core/util.c"
$CC $flags -o "$out/fuzz_datewords" "$here/fuzz_datewords.c" "$top/src/core/datewords.c" \
    "$top/src/core/date.c" "$top/src/core/util.c"

status=0
for name in csv datewords; do
    mkdir -p "$out/corpus-$name"
    echo "== fuzz_$name for ${seconds}s"
    "$out/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$here/crash-$name-" -print_final_stats=1 \
        "$out/corpus-$name" "$here/corpus/$name" || status=1
done
[ -n "${FUZZ_BUILD:-}" ] || rm -rf "$out"
exit $status
