#!/bin/sh
# Real-terminal merge: two copies of the demo plan change the same fields; the second
# copy merges the first copy's changes file from inside the program, sees each conflict,
# takes theirs for both, and applies. Nothing is settled without being shown.
# usage: RAGBOARD=path/to/ragboard PLAN_EDIT=path/to/plan_edit sh merge_test.sh
set -u
NAME=merge
. "$(dirname "$0")/lib.sh"

a=$work/a.db
"$RAGBOARD" init --demo --db "$a" >/dev/null || fail "init --demo failed"
cp "$a" "$db"
USER=alice "$PLAN_EDIT" "$a" set PV-3.1 title "Title chosen in A" || fail "edit A"
USER=alice "$PLAN_EDIT" "$a" set PV-2.2 due 2027-01-31 || fail "edit A"
USER=alice "$PLAN_EDIT" "$a" set PV-5.1 owner "Owner from A" || fail "edit A"
USER=bob "$PLAN_EDIT" "$db" set PV-3.1 title "Title chosen in B" || fail "edit B"
USER=bob "$PLAN_EDIT" "$db" set PV-2.2 due 2027-02-28 || fail "edit B"
"$RAGBOARD" changes export --db "$a" --output "$work/a.changes" >/dev/null ||
    fail "changes export failed"

start 100 30 --db "'$db'"
wait_for "CONTEST strands"
keys C
wait_for "Changes file from another copy:"
keys "$work/a.changes" Enter
wait_for "2 conflicts, 2 open"
wait_for "Title chosen in B"
wait_for "Title chosen in A"
# Their non-conflicting change is in already; ours are still ours.
[ "$(sql "SELECT owner FROM actions WHERE ref = 'PV-5.1'")" = "Owner from A" ] ||
    fail "the change that did not conflict was not merged"
[ "$(sql "SELECT title FROM actions WHERE ref = 'PV-3.1'")" = "Title chosen in B" ] ||
    fail "a conflicting field changed before it was settled"
keys t t a
wait_for "0 open"
[ "$(sql "SELECT title FROM actions WHERE ref = 'PV-3.1'")" = "Title chosen in A" ] ||
    fail "taking theirs did not take their title"
[ "$(sql "SELECT due_date FROM actions WHERE ref = 'PV-2.2'")" = 2027-01-31 ] ||
    fail "taking theirs did not take their due date"
[ "$(sql "SELECT count(*) FROM merges")" -ge 1 ] || fail "the merge is not recorded"
keys q
wait_for "CONTEST strands"
keys q
wait_for "EXITED 0"
echo "ok"
