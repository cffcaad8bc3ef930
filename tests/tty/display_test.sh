#!/bin/sh
# Real-terminal test of the [display] and [keys] settings and of terminals that cannot
# show the screen: one case per run.
# usage: RAGBOARD=path/to/ragboard sh display_test.sh CASE
set -u

case_name=${1:?usage: display_test.sh CASE}
NAME=$case_name
. "$(dirname "$0")/lib.sh"

esc=$(printf '\033')
# sgr_has REGEX: does the pane hold an SGR sequence whose parameters match REGEX?
sgr_has() {
    $T capture-pane -e -p -t rb | tr "$esc" '\n' | grep -qE "^\[([0-9]+;)*($1)(;[0-9]+)*m"
}
colour_re='3[0-7]|38;5;[0-9]+|4[0-7]|48;5;[0-9]+'

# settings TEXT: a settings file holding the shipped agencies and TEXT
settings() {
    sed -n '/^\[agencies\]/,/^VCS/p' "$(dirname "$0")/../../config/ragboard.ini" \
        >"$work/settings.ini"
    printf '%b' "$1" >>"$work/settings.ini"
}

# stop_server: end this test's tmux server and wait until it has gone
stop_server() {
    $T kill-server 2>/dev/null
    i=0
    while $T ls >/dev/null 2>&1 && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# run_alone ENV...: start ragboard with ENV in front, for the refusal cases
run_alone() {
    $T new-session -d -s rb -x 80 -y 24 \
        "env $* '$RAGBOARD' --db '$db'; echo EXITED \$?; sleep 30"
}

"$RAGBOARD" init --demo --db "$db" >/dev/null || fail "init --demo failed"

case $case_name in
no-color)
    # NO_COLOR wins over a theme in the settings file and over the T key.
    settings '[display]\ntheme = colour-blind\n'
    export NO_COLOR=1 # the tmux server, started now, passes it on
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    unset NO_COLOR
    wait_for ">Prevent"
    sgr_has "$colour_re" && fail "colours shown although NO_COLOR is set"
    keys T
    wait_for "Theme: default (NO_COLOR is set: colours stay off)"
    keys T
    wait_for "Theme: high-contrast (NO_COLOR is set: colours stay off)"
    sgr_has "$colour_re" && fail "T brought colours back although NO_COLOR is set"
    keys Q
    wait_for "EXITED 0"
    ;;
themes)
    # The colour-blind theme uses orange (208) for Red and blue (33) for Green; T goes
    # on to default (red 31 / 38;5;1 and green) and high contrast (solid blocks).
    settings '[display]\ntheme = colour-blind\n'
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    wait_for ">Prevent"
    sgr_has '38;5;208' || fail "colour-blind theme: no orange"
    sgr_has '38;5;33' || fail "colour-blind theme: no blue"
    sgr_has '31|38;5;1|32|38;5;2' && fail "colour-blind theme still uses red or green"
    keys T
    wait_for "Theme: default"
    sgr_has '31|38;5;1|91|38;5;9' || fail "default theme: no red"
    sgr_has '38;5;208' && fail "default theme: still orange"
    keys T
    wait_for "Theme: high-contrast"
    sgr_has '4[0-7]|48;5;[0-9]+' || fail "high contrast: no solid blocks"
    keys T
    wait_for "Theme: monochrome"
    sgr_has "$colour_re" && fail "monochrome theme shows colours"
    keys Q
    wait_for "EXITED 0"
    ;;
ascii-lines)
    # Boxes drawn with + - | when asked; the terminal's line characters otherwise.
    start 80 24 --db "'$db'"
    wait_for ">Prevent"
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "Progress update on PV-1.1"
    screen_has "+ Progress update" && fail "ASCII corners without ascii_lines"
    keys Escape
    wait_gone "Progress update on PV-1.1"
    keys Q
    wait_for "EXITED 0"
    stop_server
    settings '[display]\nascii_lines = true\n'
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    wait_for ">Prevent"
    keys Enter
    wait_for "1 of 30"
    keys p
    wait_for "+ Progress update on PV-1.1 ----"
    wait_for "| > Update"
    keys Escape
    wait_gone "Progress update on PV-1.1"
    keys D
    wait_for "+ Please confirm ---"
    keys n
    keys Q
    wait_for "EXITED 0"
    ;;
mouse)
    # No mouse unless asked: copy and paste must keep working over SSH.
    start 80 24 --db "'$db'"
    wait_for ">Prevent"
    [ "$($T display -p -t rb '#{mouse_any_flag}')" = 0 ] || fail "the mouse is taken by default"
    keys Q
    wait_for "EXITED 0"
    stop_server
    settings '[display]\nmouse = true\n'
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    wait_for ">Prevent"
    [ "$($T display -p -t rb '#{mouse_any_flag}')" = 1 ] || fail "mouse = true did not take the mouse"
    keys Q
    wait_for "EXITED 0"
    ;;
keys)
    # Keys from [keys] drive the screen, and the hint bar and help show them.
    settings '[keys]\nsearch = F3\nfilter = /\nmove-down = n Down\nnew = N\nhelp = h F1\nquit = Alt-x\n'
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    wait_for ">Prevent"
    wait_for "N New  F3 Search"
    wait_for "h Help  q Quit"
    keys Enter
    wait_for "1 of 30"
    keys n n
    wait_for "3 of 30"
    keys j
    wait_for "j does nothing here; press h for the keys"
    keys /
    wait_for "Filter (letters toggle)"
    keys Escape
    # Wait for the dialog to close: an h sent within ESCDELAY of the Esc would be Alt-h.
    wait_gone "Filter (letters toggle)"
    keys h
    wait_for "Keys on the action list (q or Esc closes, n/k scroll)"
    wait_for "F3                 Search"
    keys G
    wait_for "Alt-x or F10       Quit from anywhere"
    keys q
    wait_gone "Keys on the action list"
    keys M-x
    wait_for "EXITED 0"
    # A bad [keys] section stops the program before the screen starts, naming the line.
    stop_server
    settings '[keys]\nsearch = f\n'
    start 80 24 --db "'$db'" --config "'$work/settings.ini'"
    wait_for "settings.ini:$(wc -l <"$work/settings.ini"): error: [keys] f would do both search and filter"
    wait_for "EXITED 3"
    ;;
command-line)
    # ':' runs the subcommands' verbs; files land in the exports folder, mode 0600,
    # never replaced without --force; confidential items stay out while presenting.
    exports=$XDG_DATA_HOME/ragboard/exports
    start 160 24 --db "'$db'" # wide enough for the messages with their paths
    wait_for ">Prevent"
    keys :
    wait_for "Tab complete  Enter run"
    keys r e p Tab
    wait_for ":report"
    keys e x Tab Enter
    wait_for "Wrote $exports/exceptions-2026-11-28.md (confidential items left out)"
    grep -q "PV-" "$exports/exceptions-2026-11-28.md" || fail "the exception report lists no actions"
    [ "$(stat -c %a "$exports/exceptions-2026-11-28.md")" = 600 ] || fail "report not mode 0600"
    keys : "report exceptions" Enter
    wait_for "Wrote $exports/exceptions-2026-11-28-2.md"
    keys : "export --format csv --output plan.csv" Enter
    wait_for "Wrote $exports/plan.csv"
    keys : Up
    wait_for ":export --format csv --output plan.csv"
    keys Enter
    wait_for "plan.csv exists; add --force to replace it"
    keys : "export --format json --output plan.csv --force" Enter
    wait_for "Wrote $exports/plan.csv"
    head -c 1 "$exports/plan.csv" | grep -q '{' || fail "--force did not replace plan.csv"
    keys : "export --format md --output ../escape.md" Enter
    wait_for "--output takes a file name for the exports folder"
    [ -e "$XDG_DATA_HOME/ragboard/escape.md" ] && fail "wrote outside the exports folder"
    keys P
    wait_for "Presenter mode on"
    keys : "export --format md --include-confidential" Enter
    wait_for "not while presenting"
    ls "$exports" | grep -q '^plan-' && fail "an export was written while presenting"
    keys P
    wait_for "Turn presenter mode off?"
    keys y
    wait_for "Presenter mode off"
    # backup: a checked copy in the backups folder beside the plan.
    keys : "backup" Enter
    wait_for "Backed up to $work/backups/plan-"
    keys : "backup before-meeting.db" Enter
    wait_for "Backed up to $work/backups/before-meeting.db ("
    [ "$(sqlite3 "$work/backups/before-meeting.db" "SELECT count(*) FROM actions")" = \
      "$(sql "SELECT count(*) FROM actions")" ] || fail "the named backup lacks actions"
    keys : "backup before-meeting.db" Enter
    wait_for "before-meeting.db already exists; choose another name"
    keys : "quit" Enter
    wait_for "EXITED 0"
    ;;
no-locale)
    # An SSH login that passes no LANG leaves the C locale: the plan's text is still shown
    # as UTF-8 (not as "Caf??"). tmux itself runs in UTF-8, only ragboard without a locale.
    printf 'Ref,Title\nPV-2.2,Caf\303\251 with the \303\251glise and mosque leaders\n' >"$work/t.csv"
    "$RAGBOARD" import "$work/t.csv" --db "$db" >/dev/null || fail "import failed"
    export LC_ALL=C.UTF-8
    $T new-session -d -s rb -x 100 -y 30 \
        "env -u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE '$RAGBOARD' --db '$db'; echo EXITED \$?; sleep 30"
    wait_for ">Prevent"
    keys Enter
    wait_for "PV-2.2"
    wait_for "Café with the église and mosque leaders"
    keys Q
    wait_for "EXITED 0"
    ;;
long-list)
    # A list longer than the part read when it opens (512 rows): it counts every row at
    # once, reads the rest while idle or when a key needs it, and keeps its place.
    awk 'BEGIN { print "Ref,Title,Objective,Due"
                 for (i = 1; i <= 3000; i++)
                     printf "PV-7.%d,Long list action %d,PV-7,2027-%02d-%02d\n", i, i, i % 12 + 1, i % 28 + 1 }' \
        >"$work/long.csv"
    "$RAGBOARD" import "$work/long.csv" --db "$db" >/dev/null || fail "import failed"
    n=$("$RAGBOARD" list --strand Prevent --include-confidential --format tsv --db "$db" |
        tail -n +2 | wc -l)
    [ "$n" -gt 3000 ] || fail "the Prevent list has $n actions, not the demo's and 3000 more"
    start 100 30 --db "'$db'"
    wait_for ">Prevent"
    # Space typed with Enter, before the list's first frame, moves a page (30 rows: 24).
    keys Enter Space
    wait_for "25 of $n" # and the list was counted when it opened
    keys G
    wait_for "$n of $n"
    wait_for "Long list action 3000"
    keys g
    wait_for "1 of $n"
    keys Space Space
    wait_gone "1 of $n"
    keys G k k
    wait_for "$((n - 2)) of $n"
    sel=$($T capture-pane -p -t rb | grep "^>" | cut -c14-60)
    # Sorting keeps the selected action selected, wherever it lands.
    keys o d
    wait_for "sorted by due date"
    $T capture-pane -p -t rb | grep "^>" | grep -qF -- "$sel" ||
        fail "sorting lost the selected action ($sel)"
    keys Q
    wait_for "EXITED 0"
    ;;
refused)
    # Terminals that cannot show the screen get a message and status 2, never a crash
    # or a scrolling mess.
    run_alone TERM=dumb
    wait_for "this terminal (TERM=dumb) cannot show the full-screen program"
    wait_for "EXITED 2"
    stop_server
    run_alone TERM=no-such-terminal
    wait_for "cannot start the screen for TERM=no-such-terminal"
    wait_for "EXITED 2"
    stop_server
    run_alone -u TERM
    wait_for "this terminal (TERM=) cannot show the full-screen program"
    wait_for "EXITED 2"
    stop_server
    run_alone TERM=glasstty
    wait_for "TERM=glasstty) cannot move its cursor"
    wait_for "EXITED 2"
    # Not a terminal at all.
    "$RAGBOARD" --db "$db" </dev/null >"$work/out" 2>&1
    [ $? = 2 ] || fail "without a terminal the status is not 2"
    grep -q "needs a terminal" "$work/out" || fail "no message without a terminal"
    # The subcommands need no terminal.
    TERM=dumb "$RAGBOARD" keys >/dev/null || fail "ragboard keys fails under TERM=dumb"
    ;;
*)
    fail "no such case"
    ;;
esac
echo "ok [$case_name]"
