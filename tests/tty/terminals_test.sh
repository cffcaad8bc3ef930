#!/bin/sh
# Real-terminal test under one TERM: the board, a list, a prompt and a form work with
# keys as such a terminal sends them (Home/End/Delete/Backspace variants, Alt as an Esc
# prefix); colour shows only where the terminal has it; the hardware cursor sits on the
# selected row or field; Esc answers at once.
# usage: RAGBOARD=path/to/ragboard sh terminals_test.sh TERM
set -u

term=${1:?usage: terminals_test.sh TERM}
NAME=$term
TERM_UNDER_TEST=$term
. "$(dirname "$0")/lib.sh"

infocmp "$term" >/dev/null 2>&1 ||
    fail "no terminfo entry for $term: install ncurses-term (share/dev/setup.sh does)"

# cursor: "X,Y" of the hardware cursor in the pane
cursor() { $T display -p -t rb '#{cursor_x},#{cursor_y}'; }


# wait_cursor X Y WHAT: poll until the cursor is at X,Y
wait_cursor() {
    i=0
    while [ $i -lt 50 ]; do
        [ "$(cursor)" = "$1,$2" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "the cursor is at $(cursor), not on $3 ($1,$2)"
}

# send SEQ: type the bytes of a printf format (an escape sequence) as the terminal would
send() { $T send-keys -t rb -l "$(printf "$1")"; }

# coloured: does the pane hold text in a colour (not the default)?
esc=$(printf '\033')
coloured() {
    $T capture-pane -e -p -t rb | tr "$esc" '\n' |
        grep -qE '^\[([0-9]+;)*(3[0-7]|38;5;[0-9]+|4[0-7]|48;5;[0-9]+)(;[0-9]+)*m'
}

colours=$(tput -T "$term" colors 2>/dev/null || echo -1)

"$RAGBOARD" init --demo --db "$db" >/dev/null || fail "init --demo failed"
start 80 24 --db "'$db'"

# The board, with the cursor on the selected strand.
wait_for "CONTEST strands"
wait_for ">Prevent"
wait_for "? Help  q Quit"
wait_cursor 0 "$(row_of ">Prevent")" "the selected strand"
if [ "$colours" -ge 8 ]; then
    coloured || fail "$term has $colours colours but nothing is coloured"
else
    coloured && fail "$term has no colours but the screen uses them"
fi

# The list, with the cursor on the selected row.
keys Enter
wait_for "1 of 30"
wait_cursor 0 "$(row_of "> PV-1.1")" "the selected row"
keys Down
wait_for "2 of 30"
keys Up
wait_for "1 of 30"

# End and Home: this terminal's own codes, then the other common ones (PuTTY and the
# Linux console send ESC[4~ and ESC[1~, rxvt ESC[8~ and ESC[7~, xterm ESC[F/ESCOF).
kend=$(tput -T "$term" kend 2>/dev/null || true)
khome=$(tput -T "$term" khome 2>/dev/null || true)
if [ -n "$kend" ]; then
    $T send-keys -t rb -l "$kend"
    wait_for "30 of 30"
    keys g
    wait_for "1 of 30"
fi
for seq in '\033[4~' '\033[8~' '\033[F' '\033OF'; do
    send "$seq"
    wait_for "30 of 30"
    wait_cursor 0 "$(row_of "> PV-8.3")" "the last row"
    keys g
    wait_for "1 of 30"
done
if [ -n "$khome" ]; then
    keys G
    wait_for "30 of 30"
    $T send-keys -t rb -l "$khome"
    wait_for "1 of 30"
fi
for seq in '\033[1~' '\033[7~' '\033[H' '\033OH'; do
    keys G
    wait_for "30 of 30"
    send "$seq"
    wait_for "1 of 30"
done

# Alt sends Esc and the key together: that is Alt-j, not Esc (back) and then j.
keys M-j
wait_for "Alt-j does nothing here"
screen_has "1 of 30" || fail "Alt-j left the list"

# Esc alone goes back at once, without curses' usual one-second wait.
t0=$(date +%s%N)
keys Escape
i=0
while screen_has "of 30" && [ $i -lt 300 ]; do
    sleep 0.01
    i=$((i + 1))
done
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
screen_has "CONTEST strands" || fail "Esc did not go back to the board"
[ "$ms" -lt 800 ] || fail "Esc took $ms ms to go back"

# A prompt: ^H and ^? both rub out; Delete (as terminfo has it, and as ESC[3~) deletes
# under the cursor; the cursor sits after the text.
keys /
wait_for "Search the plan:"
keys h a t e x y
wait_for "Search the plan: hatexy"
keys C-h
wait_for "Search the plan: hatex"
keys BSpace
wait_for "Search the plan: hate"
screen_has "hatex" && fail "Backspace (^?) did not rub out"
kdch1=$(tput -T "$term" kdch1 2>/dev/null || true)
for del in "$kdch1" "$(printf '\033[3~')"; do
    [ -n "$del" ] || continue
    keys Z Left
    wait_for "Search the plan: hateZ"
    $T send-keys -t rb -l "$del"
    wait_gone "hateZ"
done
wait_cursor 21 "$(row_of "Search the plan: hate")" "the end of the typed text"
keys Escape
wait_gone "Search the plan:"

# Esc Esc sent together is two Escs (detail, then list, closed), not Alt-Esc.
keys Enter
wait_for "1 of 30"
keys Enter
wait_gone "1 of 30"
keys Escape Escape
wait_for "CONTEST strands"
screen_has "EXITED" && fail "Esc Esc quit the program"

# A form: the cursor is in the field being filled in, and follows Tab.
keys Enter
wait_for "1 of 30"
keys p
wait_for "Progress update on PV-1.1"
wait_for "> Update"
y=$(row_of "> Update")
case $(cursor) in
*,"$y") ;;
*) fail "the cursor ($(cursor)) is not on the Update field (row $y)" ;;
esac
keys Tab
wait_for "> Progress %"
y=$(row_of "> Progress %")
case $(cursor) in
*,"$y") ;;
*) fail "the cursor ($(cursor)) did not follow Tab to Progress % (row $y)" ;;
esac
keys Escape
wait_gone "Progress update on PV-1.1"

# The theme key: high contrast puts ratings on solid blocks where there is colour.
keys T
wait_for "Theme: high-contrast"
if [ "$colours" -ge 8 ]; then
    $T capture-pane -e -p -t rb | tr "$esc" '\n' | grep -qE '^\[([0-9]+;)*(4[0-7]|48;5;[0-9]+)(;[0-9]+)*m' ||
        fail "high contrast shows no coloured blocks"
else
    wait_for "this terminal shows no colours"
fi

keys Q
wait_for "EXITED 0"
echo "ok [$term]"
