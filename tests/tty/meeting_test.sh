#!/bin/sh
# Real-terminal meeting: start a meeting on the demo plan with letter keys only, take
# attendance, walk items recording an update, a RAG change and a decision, kill the
# program mid-meeting (SIGKILL), start it again and check it resumes at the same item,
# add a new action and a standing item, end the meeting; then check the database and
# the minutes that 'ragboard minutes latest' prints.
# usage: RAGBOARD=path/to/ragboard sh meeting_test.sh
set -u
NAME=meeting
. "$(dirname "$0")/lib.sh"

"$RAGBOARD" init --demo --db "$db" >/dev/null || fail "init --demo failed"
start 80 24 --db "'$db'"
wait_for "CONTEST strands"
keys m
wait_for "Start a meeting"
keys C-s
wait_for "Attendance:"
keys p a p
wait_for "2 present, 1 apologies"
keys ]
wait_for "Item 1 of"
first=$(sql "SELECT ref FROM actions WHERE id = (SELECT item_action FROM meetings WHERE closed_at IS NULL)")
keys p
wait_for "Progress update on"
keys "Analyst back in post" Tab C-u 80 C-s
wait_for "Saved progress update"
keys ]
wait_for "Item 2 of"
keys r
wait_for "RAG rating of"
keys Right Tab "Delay outside our control" C-s
wait_for "by hand"
keys ]
wait_for "Item 3 of"
keys d "Chair to write to the trust" Enter
wait_for "Decision recorded"
third=$(sql "SELECT ref FROM actions WHERE id = (SELECT item_action FROM meetings WHERE closed_at IS NULL)")

# A kill mid-meeting loses nothing: the walk resumes at item 3.
pid=$($T list-panes -t rb -F '#{pane_pid}')
pkill -KILL -P "$pid" -f ragboard || fail "could not kill ragboard"
wait_for "EXITED 137"
$T kill-session -t rb
start 80 24 --db "'$db'"
wait_for "Resumed the open meeting"
wait_for "Item 3 of"
wait_for "$third"

keys n "Brief ward councillors on Prevent" C-s
wait_for "Saved new action"
keys s t "National threat level unchanged" Enter
wait_for "Noted under"
keys M
wait_for "End the meeting now?"
keys y
wait_for "Meeting closed"
# The minutes written from inside the program, to the exports folder.
keys W m
wait_for "Wrote"
out="$XDG_DATA_HOME/ragboard/exports/minutes-2026-11-28.md"
[ -f "$out" ] || fail "the minutes were not written to $out"
[ "$(stat -c %a "$out")" = 600 ] || fail "the written minutes are not mode 0600"
grep -qF "Chair to write to the trust" "$out" || fail "the written minutes lack the decision"
keys q
wait_for "EXITED 0"

# What landed.
m="(SELECT id FROM meetings ORDER BY opened_at DESC LIMIT 1)"
[ "$(sql "SELECT closed_at IS NOT NULL FROM meetings WHERE id = $m")" = 1 ] || fail "meeting not closed"
for kind in update rag decision new_action note; do
    [ "$(sql "SELECT count(*) FROM minute_entries WHERE meeting_id = $m AND kind = '$kind'")" = 1 ] ||
        fail "expected one '$kind' minute"
done
[ "$(sql "SELECT count(*) FROM attendance WHERE meeting_id = $m AND status = 'present'")" = 2 ] ||
    fail "attendance not saved"
[ "$(sql "SELECT count(*) FROM actions WHERE title = 'Brief ward councillors on Prevent'")" = 1 ] ||
    fail "the new action is not in the plan"
[ "$(sql "SELECT count(*) FROM meeting_snapshots WHERE meeting_id = $m")" = \
  "$(sql "SELECT count(*) FROM actions")" ] || fail "no snapshot of every action at the close"
[ "$(sql "SELECT u.text FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = '$first' ORDER BY u.created_at DESC LIMIT 1")" = \
  "Analyst back in post" ] || fail "the update is not on $first"

# The minutes, as a clerk would circulate them.
"$RAGBOARD" minutes latest --db "$db" --format text >"$work/minutes.txt" || fail "minutes failed"
for text in "Analyst back in post" "Delay outside our control" "Chair to write to the trust" \
            "Brief ward councillors on Prevent" "National threat level unchanged" "$first" "$third" \
            Apologies; do
    grep -qF -- "$text" "$work/minutes.txt" || fail "the minutes lack \"$text\""
done
echo "ok"
