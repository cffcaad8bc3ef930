# Shared by the real-terminal tests: a private tmux server, a scratch home, and helpers
# that poll the screen instead of sleeping. Source it after setting NAME (for messages).
# Sets: work (scratch folder), db (a plan path in it), T (the tmux command).

command -v tmux >/dev/null || { echo "tmux is not installed; skipping"; exit 77; }

work=$(mktemp -d)
T="tmux -L ragboard-test-$$"
cleanup() {
    $T kill-server 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
export RAGBOARD_TODAY=2026-11-28 USER=chair TERM=${TERM_UNDER_TEST:-xterm-256color}
unset NO_COLOR RAGBOARD_CONFIG RAGBOARD_NOW
mkdir -p "$HOME"
db=$work/plan.db

fail() {
    echo "FAIL [${NAME:-tty}]: $*" >&2
    echo "--- screen:" >&2
    $T capture-pane -p -t rb >&2 2>/dev/null
    exit 1
}

sql() { sqlite3 -batch -noheader "$db" "$1"; }

# screen_has TEXT: is TEXT on the screen now (wrapped lines joined)?
screen_has() { $T capture-pane -p -J -t rb 2>/dev/null | grep -qF -- "$1"; }

# wait_for TEXT: poll the screen (up to 10 s) until TEXT shows
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        screen_has "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "\"$1\" never appeared"
}

# wait_gone TEXT: poll until TEXT is no longer on screen
wait_gone() {
    i=0
    while [ $i -lt 100 ]; do
        screen_has "$1" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "\"$1\" stayed on screen"
}

# row_of TEXT: the pane row (from 0) of the first line holding TEXT
row_of() { $T capture-pane -p -t rb | grep -nF -- "$1" | head -n 1 | cut -d: -f1 | awk '{print $1 - 1}'; }

# keys KEY...: send keys to session rb. A key sent within ESCDELAY (25 ms) of a lone Esc
# would reach ragboard as Alt-KEY, so the next call after one ending in Escape waits first.
keys() {
    [ "${last_key_escape:-0}" = 1 ] && sleep 0.1
    $T send-keys -t rb "$@"
    for k in "$@"; do last_key_escape=0; [ "$k" = Escape ] && last_key_escape=1; done
}

# start COLS ROWS ARGS...: run ragboard with ARGS in session rb; the pane then says
# "EXITED <status>" when it ends.
start() {
    cols=$1
    rows=$2
    shift 2
    $T new-session -d -s rb -x "$cols" -y "$rows" \
        "env USER=chair RAGBOARD_TODAY=2026-11-28 TERM=$TERM '$RAGBOARD' $*; echo EXITED \$?; sleep 30"
}
