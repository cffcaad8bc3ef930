# Shared by the command-line test scripts: a scratch home and data folder, and helpers
# that run a command and check its exit code and output. Source it after setting
# case_name.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
export RAGBOARD_TODAY=2026-11-28 USER=tester
unset RAGBOARD_CONFIG NO_COLOR RAGBOARD_NOW
mkdir -p "$HOME"

fail() {
    echo "FAIL [$case_name]: $*" >&2
    exit 1
}

# run EXPECTED_RC CMD...: run, keep stdout/stderr in $out/$err, check the exit code
run() {
    want=$1
    shift
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
    if [ "$got" != "$want" ]; then
        echo "--- stdout" >&2; cat "$work/out" >&2
        echo "--- stderr" >&2; cat "$work/err" >&2
        fail "$* exited $got, expected $want"
    fi
}

has() { # has TEXT NEEDLE
    case $1 in *"$2"*) ;; *) fail "expected \"$2\" in: $1" ;; esac
}

lacks() { # lacks TEXT NEEDLE
    case $1 in *"$2"*) fail "did not expect \"$2\" in the output" ;; esac
}

sql() { sqlite3 -batch -noheader "$1" "$2"; }

R=$RAGBOARD
db=$work/plan.db
