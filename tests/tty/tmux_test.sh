#!/bin/sh
# Real-terminal test: drive ragboard in tmux as a chair would, with letter keys only,
# then check exactly what landed in the database.
# usage: RAGBOARD=path/to/ragboard sh tmux_test.sh COLSxROWS
set -u

size=${1:-80x24}
cols=${size%x*}
rows=${size#*x}
NAME=$size
. "$(dirname "$0")/lib.sh"

"$RAGBOARD" init --demo --db "$db" >/dev/null || fail "init --demo failed"
audit_before=$(sql "SELECT count(*) FROM audit")
updates_before=$(sql "SELECT count(*) FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-2.3'")

start "$cols" "$rows" --db "'$db'"

# The board: all four strands and every agency pane.
wait_for "CONTEST strands"
for word in Pursue Protect Prepare Prevent SC WMP NHS EDU PROB HMP SFRS VCS; do
    wait_for "$word"
done
wait_for ">Prevent"
if [ "$cols" -ge 120 ]; then
    wait_for "Agencies (actions they lead)"
fi

# Open Prevent, walk down to PV-2.3, open it.
keys Enter
wait_for "Prevent: Stop people"
wait_for "1 of 30"
keys j j j j j
wait_for "6 of 30"
keys Enter
wait_for "PV-2.3  Share hate crime"

# A progress update at 75%.
keys p
wait_for "Progress update on PV-2.3"
keys "Third quarterly summary sent to all partners" Tab C-u 75 C-s
wait_for "Saved"
wait_for "Third quarterly summary"

# A manual Red rating with a reason, then undo it.
keys r
wait_for "RAG rating of PV-2.3"
keys Tab "Police analyst post vacant until January" C-s
wait_for "set to"
keys u
wait_for "Undid"

# Too small, then back.
$T resize-window -t rb -x 50 -y 12
wait_for "Terminal too small"
$T resize-window -t rb -x "$cols" -y "$rows"
wait_gone "Terminal too small"
wait_for "PV-2.3  Share hate crime"

# Back to the list and the board, then quit with q.
keys q
wait_for "Prevent: Stop people"
keys q
wait_for "CONTEST strands"
keys q
wait_for "EXITED 0"

# What landed: one new update, progress 75, no override (undone), all audited.
[ "$(sql "SELECT count(*) FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-2.3'")" = $((updates_before + 1)) ] ||
    fail "expected exactly one new progress update on PV-2.3"
[ "$(sql "SELECT u.text || '|' || u.progress || '|' || u.author FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-2.3' ORDER BY u.created_at DESC LIMIT 1")" = \
  "Third quarterly summary sent to all partners|75|chair" ] || fail "the update's text, progress or author is wrong"
[ "$(sql "SELECT progress FROM actions WHERE ref = 'PV-2.3'")" = 75 ] || fail "progress not 75"
[ "$(sql "SELECT rag_override IS NULL FROM actions WHERE ref = 'PV-2.3'")" = 1 ] ||
    fail "the override was not undone"
[ "$(sql "SELECT count(*) FROM audit WHERE row_ref = 'PV-2.3' AND field = 'rag_override' AND user = 'chair'")" = 2 ] ||
    fail "the audit log should hold the override and its undo"
[ "$(sql "SELECT count(*) FROM audit WHERE row_ref = 'PV-2.3' AND field = 'progress' AND new = '75'")" = 1 ] ||
    fail "the progress change is not in the audit log"
[ "$(sql "SELECT count(*) FROM audit")" -gt "$audit_before" ] || fail "nothing was audited"
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
echo "ok [$size]"
