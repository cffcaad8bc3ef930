#!/bin/sh
# Real-terminal tests that try to break ragboard: signals while the screen is up, two
# people on one plan, a locked plan, a full disk, a huge paste, bytes that are not UTF-8,
# a storm of resizes, a read-only plan, and restricted mode traced for started programs.
# usage: RAGBOARD=path/to/ragboard PLAN_EDIT=path/to/plan_edit sh tty.sh CASE
set -u
case_name=$1
NAME=$case_name
. "$(dirname "$0")/../tty/lib.sh"

# launch SESSION COLS ROWS ARGS...: ragboard in its own session; when it ends the pane
# says EXITED <status> and then the terminal's modes, so a test can see they are sane.
launch() {
    s=$1 c=$2 r=$3
    shift 3
    $T new-session -d -s "$s" -x "$c" -y "$r" \
        "env USER=${AS_USER:-chair} RAGBOARD_TODAY=2026-11-28 TERM=$TERM '$RAGBOARD' $*; \
echo EXITED \$?; stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e -icanon -e echo -e -echo \
| tr '\n' ' '; echo MODES; sleep 60"
}

# The ragboard process in a session (the child of the pane's shell).
ragboard_pid() {
    pgrep -P "$($T display -p -t "$1" '#{pane_pid}')" 2>/dev/null | head -1
}

# wait_in SESSION TEXT: like wait_for, in another session
wait_in() {
    i=0
    while [ $i -lt 100 ]; do
        $T capture-pane -p -J -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    echo "--- screen of $1:" >&2
    $T capture-pane -p -t "$1" >&2
    fail "\"$2\" never appeared in $1"
}

integrity() {
    [ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
}

"$RAGBOARD" init --demo --db "$db" >/dev/null || fail "init --demo failed"

case $case_name in
signals)
    # SIGINT, SIGTERM, SIGHUP (a closed SSH window) with a form half filled in: what was
    # saved stays, what was typed is not half saved, and the terminal is back to normal.
    # A crash (SIGSEGV) puts the terminal back too.
    for sig in INT TERM HUP SEGV; do
        launch rb 80 24 --db "'$db'"
        wait_for ">Prevent"
        keys Enter
        wait_for "1 of 30"
        keys p
        wait_for "Progress update on PV-1.1"
        keys "Saved before SIG$sig" C-s
        wait_for "Saved progress update"
        keys p
        wait_for "Progress update on PV-1.1"
        keys "Typed but never saved $sig"
        wait_for "never saved"
        pid=$(ragboard_pid rb)
        [ -n "$pid" ] || fail "no ragboard process"
        kill -s "$sig" "$pid"
        wait_for "EXITED"
        wait_for "MODES"
        if [ "$sig" = SEGV ]; then
            wait_for "ragboard crashed"
        else
            wait_for "stopped by signal"
            wait_for "EXITED 0"
        fi
        screen_has "icanon echo" || fail "SIG$sig left the terminal without line editing and echo"
        screen_has "Progress update on" && fail "SIG$sig left the program's screen showing"
        integrity
        [ "$(sql "SELECT count(*) FROM updates WHERE text = 'Saved before SIG$sig'")" = 1 ] ||
            fail "the update saved before SIG$sig is missing"
        [ "$(sql "SELECT count(*) FROM updates WHERE text LIKE 'Typed but never saved%'")" = 0 ] ||
            fail "text that was never saved is in the plan"
        $T kill-server 2>/dev/null
        i=0 # a new session must not race the old server's exit
        while $T ls >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    done
    ;;
two-users)
    # Two people on one plan, each in their own terminal.
    AS_USER=alice launch rb 100 30 --db "'$db'"
    AS_USER=bob launch rb2 100 30 --db "'$db'"
    for s in rb rb2; do
        wait_in "$s" ">Prevent"
        $T send-keys -t "$s" Enter
        wait_in "$s" "1 of 30"
    done
    # Alice renames PV-1.1; bob's list shows it without a key being pressed.
    keys e
    wait_for "Edit PV-1.1"
    keys C-u "Renamed by Alice" C-s
    wait_for "Saved changes to PV-1.1"
    wait_in rb2 "Renamed by Alice"
    wait_in rb2 "changed elsewhere"
    # Edits to different actions both land.
    $T send-keys -t rb2 j p
    wait_in rb2 "Progress update on PV-1.2"
    $T send-keys -t rb2 "Bob's update on 1.2" C-s
    wait_in rb2 "Saved progress update on PV-1.2"
    keys j j p
    wait_for "Progress update on PV-1.3"
    keys "Alice's update on 1.3" C-s
    wait_for "Saved progress update on PV-1.3"
    [ "$(sql "SELECT count(*) FROM updates WHERE text IN ('Bob''s update on 1.2', 'Alice''s update on 1.3')")" = 2 ] ||
        fail "edits to different actions did not both land"
    # Both open the edit form of PV-1.3; bob saves first; alice is told who changed what
    # and overwrites: her field and his both stay.
    keys e
    wait_for "Edit PV-1.3"
    $T send-keys -t rb2 j e
    wait_in rb2 "Edit PV-1.3"
    $T send-keys -t rb2 C-u "Bob's title for 1.3" C-s
    wait_in rb2 "Saved changes to PV-1.3"
    keys Tab Tab Tab Tab C-u "Officer chosen by Alice" C-s
    wait_for "Changed by someone else since you looked"
    wait_for "PV-1.3 was changed by bob"
    keys o
    wait_for "Saved changes to PV-1.3"
    [ "$(sql "SELECT title || '|' || owner FROM actions WHERE ref = 'PV-1.3'")" = \
      "Bob's title for 1.3|Officer chosen by Alice" ] || fail "overwrite lost one of the two edits"
    # ...and once more, choosing reload: bob's change stays, alice's typing goes.
    keys e
    wait_for "Edit PV-1.3"
    $T send-keys -t rb2 e
    wait_in rb2 "Edit PV-1.3"
    $T send-keys -t rb2 Tab Tab Tab Tab C-u "Officer chosen by Bob" C-s
    wait_in rb2 "Saved changes to PV-1.3"
    keys C-u "Alice's second title" C-s
    wait_for "Changed by someone else since you looked"
    keys r
    wait_for "Loaded the latest version of PV-1.3"
    keys Escape
    [ "$(sql "SELECT title || '|' || owner FROM actions WHERE ref = 'PV-1.3'")" = \
      "Bob's title for 1.3|Officer chosen by Bob" ] || fail "reload did not keep bob's change"
    integrity
    ;;
locked)
    # Another program holds the write lock for 8 s: an edit waits (the busy timeout), then
    # says so; the screen answers keys again straight after.
    launch rb 80 24 --db "'$db'"
    wait_for ">Prevent"
    keys Enter
    wait_for "1 of 30"
    python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(8)
c.execute("ROLLBACK")
' "$db" "$work/locked" &
    locker=$!
    i=0
    while [ ! -e "$work/locked" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    keys j x
    wait_for "locked by another program for 5 s; nothing saved"
    keys j
    wait_for "3 of 30"
    wait "$locker"
    [ "$(sql "SELECT state FROM actions WHERE ref = 'PV-1.2'")" != complete ] ||
        fail "the edit was saved although it said not"
    keys k x
    wait_for "Marked PV-1.2 complete"
    integrity
    ;;
full-disk)
    # A plan on a tiny file system that fills up: the edit fails with a message, the screen
    # stays up, nothing is half written; with room again the same edit saves.
    small=$work/small
    mkdir -p "$small"
    if ! mount -t tmpfs -o size=2m tmpfs "$small" 2>/dev/null; then
        echo "cannot mount a small tmpfs here (not root?); skipping"
        exit 77
    fi
    trap '$T kill-server 2>/dev/null; sleep 0.5; umount "$small" 2>/dev/null; cleanup' EXIT
    cp "$db" "$small/plan.db"
    db=$small/plan.db
    launch rb 80 24 --db "'$db'"
    wait_for ">Prevent"
    dd if=/dev/zero of="$small/filler" bs=4k 2>/dev/null
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "Progress update on PV-1.1"
    python3 -c 'print(("Long update on a full disk. " * 200)[:4990], end="")' >"$work/long"
    $T load-buffer -b long "$work/long"
    $T paste-buffer -p -b long -t rb
    wait_for "Long update on a full disk"
    keys C-s
    wait_for "disk is full"
    wait_for "Progress update on PV-1.1"
    [ "$(sql "SELECT count(*) FROM updates WHERE text LIKE 'Long update on a full disk%'")" = 0 ] ||
        fail "the failed edit is in the plan"
    integrity
    rm -f "$small/filler"
    keys C-s
    wait_for "Saved progress update on PV-1.1"
    [ "$(sql "SELECT length(text) FROM updates WHERE text LIKE 'Long update on a full disk%'")" = 4990 ] ||
        fail "the edit did not save once there was room"
    integrity
    keys q q q
    wait_for "EXITED 0"
    ;;
paste)
    # 100 KB pasted into a text field: taken up to the field's limit, never as keys that
    # move, save or quit; pasted on the board it is ignored. The screen keeps up.
    python3 -c '
import sys
line = "Pasted line with letters that are keys: q Q D y x e n m; and Enter at the end.\n"
sys.stdout.write((line * 1300)[:100000])' >"$work/paste"
    [ "$(wc -c <"$work/paste")" = 100000 ] || fail "the paste is not 100 KB"
    launch rb 80 24 --db "'$db'"
    wait_for ">Prevent"
    $T load-buffer -b big "$work/paste" || fail "tmux cannot load the paste"
    actions=$(sql "SELECT count(*) FROM actions")
    $T paste-buffer -p -b big -t rb
    wait_for "Pasted text is ignored here"
    wait_for ">Prevent"
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "Progress update on PV-1.1"
    start_s=$(date +%s)
    $T paste-buffer -p -b big -t rb
    wait_for "holds at most 5000 characters"
    [ $(($(date +%s) - start_s)) -le 20 ] || fail "the paste took too long"
    wait_for "Progress update on PV-1.1"
    keys C-s
    wait_for "Saved progress update on PV-1.1"
    [ "$(sql "SELECT length(text) FROM updates WHERE text LIKE 'Pasted line%'")" = 5000 ] ||
        fail "the pasted update is not the first 5000 characters"
    [ "$(sql "SELECT count(*) FROM updates WHERE text LIKE 'Pasted line%' AND text LIKE '%' || char(10) || 'Pasted line%'")" = 1 ] ||
        fail "the pasted line ends were not kept as text"
    [ "$(sql "SELECT count(*) FROM actions")" = "$actions" ] || fail "the paste ran commands"
    integrity
    ;;
bad-utf8)
    # Bytes that are not UTF-8, on the board and in a text field: no crash, and what is
    # saved is valid UTF-8.
    # (curses drops a byte that is not UTF-8 together with the byte that follows it in
    # the same read, so each burst gets a moment to itself.)
    launch rb 80 24 --db "'$db'"
    wait_for ">Prevent"
    $T send-keys -t rb -H ff fe c3 28 a0 a1 e2 28 a1 f0 28 8c bc 80 c0 af
    sleep 0.5
    wait_for ">Prevent"
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "Progress update on PV-1.1"
    keys "Before "
    $T send-keys -t rb -H ff fe c3 28 a0 a1 e2 28 a1 f0 28 8c bc 80 c0 af ed a0 80
    sleep 0.5
    keys " after é ü ✓" C-s
    wait_for "Saved progress update on PV-1.1"
    [ -n "$(ragboard_pid rb)" ] || fail "ragboard ended"
    sqlite3 "$db" "SELECT hex(text) FROM updates WHERE text LIKE 'Before %'" | python3 -c '
import sys
raw = bytes.fromhex(sys.stdin.read().strip())
text = raw.decode("utf-8")  # raises on bad UTF-8
assert text.startswith("Before ") and text.endswith(" after é ü ✓"), text
' || fail "the saved text is not valid UTF-8"
    integrity
    ;;
resize-storm)
    # Resizes down to 1x1 and back, fast, with a form open: the program survives and
    # draws the form again at the end.
    launch rb 80 24 --db "'$db'"
    wait_for ">Prevent"
    keys Enter p
    wait_for "Progress update on"
    keys "typed before the storm"
    for size in 1x1 2x1 1x2 200x60 1x1 30x5 3x3 60x16 1x1 120x40 59x15 1x1 80x24 1x1 \
                10x2 1x1 300x100 1x1 61x17 1x1; do
        $T resize-window -t rb -x "${size%x*}" -y "${size#*x}"
    done
    $T resize-window -t rb -x 80 -y 24
    wait_gone "Terminal too small"
    wait_for "typed before the storm"
    [ -n "$(ragboard_pid rb)" ] || fail "ragboard did not survive the resizes"
    keys C-s
    wait_for "Saved progress update"
    integrity
    ;;
read-only)
    # A plan the user may read but not write: it opens, says so, and refuses edits.
    if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || { echo "no setpriv; skipping"; exit 77; }
        chmod 755 "$work" "$HOME"
        chmod 644 "$db"
        as_other="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
    else
        chmod 444 "$db"
        as_other=""
    fi
    as=$as_other
    # The program copied where the other user can run it (a build folder may be private).
    cp "$RAGBOARD" "$work/ragboard"
    chmod 755 "$work/ragboard"
    RAGBOARD=$work/ragboard
    $as sh -c "test -x '$RAGBOARD' && test -r '$db'" 2>/dev/null ||
        fail "the other user cannot run $RAGBOARD"
    before=$(md5sum <"$db")
    $T new-session -d -s rb -x 80 -y 24 \
        "$as_other env HOME='$HOME' USER=reader TERM=$TERM RAGBOARD_TODAY=2026-11-28 \
'$RAGBOARD' --db '$db'; echo EXITED \$?; sleep 60"
    wait_for "(read-only)"
    wait_for "open read-only"
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "read-only"
    keys x
    wait_for "read-only; changes cannot be saved"
    keys q q
    wait_for "EXITED 0"
    [ "$(md5sum <"$db")" = "$before" ] || fail "the read-only plan was written"
    ;;
restricted)
    # Restricted mode, traced: every way out a terminal program usually offers is tried,
    # and no program is ever started; Ctrl-Z does not suspend; the report goes to the
    # exports folder. (LeakSanitizer cannot run under strace, so a sanitizer build runs
    # without it here.)
    command -v strace >/dev/null || { echo "strace is not installed; skipping"; exit 77; }
    strace -f -o /dev/null true 2>/dev/null || { echo "strace cannot trace here; skipping"; exit 77; }
    trace=$work/trace
    $T new-session -d -s rb -x 100 -y 30 \
        "strace -f -e trace=execve,execveat,fork,vfork -o '$trace' env USER=chair \
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 RAGBOARD_TODAY=2026-11-28 TERM=$TERM \
'$RAGBOARD' --restricted --db '$db'; echo EXITED \$?; sleep 60"
    wait_for ">Prevent"
    wait_for "Restricted mode"
    keys C-z
    sleep 0.3
    keys k
    wait_for ">Prepare"
    keys 'C-\' '!' '|' C-x C-e F2 F3 F4 F5 F6 F7 F8 F9 F11 F12 '$' '&' v E o
    keys :
    sleep 0.3
    keys '!sh' Enter
    wait_for "unknown command !sh"
    keys k
    wait_for ">Protect"
    keys Enter e
    wait_for "Edit PT-"
    keys C-x C-e C-z '!' Escape
    wait_for "Discard what you typed?"
    keys y
    wait_gone "Edit PT-"
    keys W
    wait_for "Write a report"
    keys e
    wait_for "Wrote"
    keys q Q
    wait_for "EXITED 0"
    started=$(grep -c 'execve(' "$trace")
    [ "$started" = 2 ] || { cat "$trace" >&2; fail "programs were started ($started execve calls)"; }
    grep 'execve(' "$trace" | grep -v -e '"/usr/bin/env"' -e "\"$RAGBOARD\"" >&2 &&
        fail "an unexpected program was started"
    grep -q -e ' fork(' -e ' vfork(' "$trace" && fail "the program forked"
    grep -q -e SIGTSTP -e SIGQUIT "$trace" && fail "Ctrl-Z or Ctrl-\\ still sends a signal"
    ls "$XDG_DATA_HOME/ragboard/exports"/exceptions-*.md >/dev/null 2>&1 ||
        fail "the report was not written in the exports folder"
    [ "$(find "$work" -newer "$db" -type f ! -path "$XDG_DATA_HOME/ragboard/exports/*" \
        ! -name 'plan.db*' ! -name trace | wc -l)" = 0 ] ||
        fail "files were written outside the exports folder: $(find "$work" -newer "$db" -type f)"
    ;;
meeting-backup)
    # Each meeting start makes a backup of the plan as the meeting found it, rotated to
    # [store] backups_kept.
    printf '[store]\nbackups_kept = 2\n' >"$work/two.ini"
    launch rb 100 30 --db "'$db'" --config "'$work/two.ini'"
    for meeting in 1 2 3; do # (not i: wait_for counts with i)
        wait_for "CONTEST strands"
        keys m
        wait_for "Start a meeting"
        keys C-s
        wait_for "Meeting started"
        [ "$(ls "$work/backups" | grep -c '^plan-20')" = $((meeting < 2 ? meeting : 2)) ] ||
            fail "meeting $meeting: $(ls "$work/backups")"
        keys M
        wait_for "End the meeting now?"
        keys y
        wait_for "Meeting closed"
    done
    for f in "$work"/backups/plan-20*; do
        [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
        [ "$(sqlite3 "$f" 'PRAGMA integrity_check')" = ok ] || fail "$f is damaged"
        # taken before the meeting opened: no open meeting in it
        [ "$(sqlite3 "$f" 'SELECT count(*) FROM meetings WHERE closed_at IS NULL')" = 0 ] ||
            fail "$f was taken after the meeting started"
    done
    [ "$(sqlite3 "$(ls -t "$work"/backups/plan-20* | head -1)" 'SELECT count(*) FROM meetings')" = \
      $(($(sql 'SELECT count(*) FROM meetings') - 1)) ] || fail "the newest backup is not the latest"
    ;;
*)
    fail "no such case"
    ;;
esac
echo "ok [$case_name]"
