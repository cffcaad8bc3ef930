#!/bin/sh
# Command-line tests of the exports (JSON, CSV, Markdown, iCalendar) and of offline
# copies exchanging changes (ragboard changes export / apply).
# usage: RAGBOARD=path/to/ragboard PLAN_EDIT=path/to/plan_edit sh exchange.sh CASE
set -u

case_name=$1
. "$(dirname "$0")/lib.sh"
unset RAGBOARD_CONFIG NO_COLOR RAGBOARD_NOW
umask 022

hasnt() { # hasnt TEXT NEEDLE
    case $1 in *"$2"*) fail "did not expect \"$2\" in: $1" ;; esac
}

sum() { md5sum <"$1"; }
# The database's content (opening a plan for writing moves SQLite's change counter on).
dump() { sqlite3 "$1" .dump | md5sum; }

E=$PLAN_EDIT

# Everything confidential in the demo plan, one string a line.
secrets() {
    sql "$1" "SELECT title FROM actions WHERE confidential = 1
              UNION ALL SELECT text FROM updates WHERE confidential = 1"
}

# no_secrets FILE DB: none of DB's confidential strings is in FILE
no_secrets() {
    secrets "$2" >"$work/secrets"
    [ -s "$work/secrets" ] || fail "the demo plan has nothing confidential to test with"
    if grep -F -f "$work/secrets" "$1" >/dev/null; then
        fail "confidential text in $1: $(grep -F -o -f "$work/secrets" "$1" | head -1)"
    fi
}

# A python that has the icalendar module (Debian's python3-icalendar), or nothing.
ical_python() {
    for p in python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import icalendar' 2>/dev/null; then
            echo "$p"
            return
        fi
    done
}

case $case_name in
export-formats)
    run 0 "$R" init --demo --db "$db"
    open=$(sql "$db" "SELECT count(*) FROM actions WHERE confidential = 0")
    # JSON: as before, plus meetings
    run 0 "$R" export --format json --db "$db" --output "$work/plan.json"
    python3 - "$work/plan.json" "$open" <<'PY' || fail "JSON export is wrong"
import json, sys
doc = json.load(open(sys.argv[1]))
assert len(doc["actions"]) == int(sys.argv[2]), len(doc["actions"])
assert doc["confidential_included"] is False
ms = doc["meetings"]
assert len(ms) == 2, len(ms)
for m in ms:
    for k in ("title", "date", "chair", "closed", "attendance", "minutes"):
        assert k in m, k
    assert m["closed"] is True
    assert len(m["attendance"]) == 8
    assert {a["status"] for a in m["attendance"]} <= {"present", "apologies", "absent"}
    assert all(set(e) >= {"kind", "action", "text", "author"} for e in m["minutes"])
assert any(e["action"] == "PV-2.1" for m in ms for e in m["minutes"])
assert not any(u["confidential"] for a in doc["actions"] for u in a["updates"])
PY
    no_secrets "$work/plan.json" "$db"
    # CSV: byte-order mark, CRLF records, the header the importer maps
    run 0 "$R" export --format csv --db "$db" --output "$work/plan.csv"
    python3 - "$work/plan.csv" "$open" <<'PY' || fail "CSV export is wrong"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), raw[:8]
text = raw.decode("utf-8-sig")
rows = list(csv.reader(io.StringIO(text, newline="")))
assert rows[0] == ["ref", "title", "description", "strand", "objective", "objective_title",
                   "lead", "owner", "partners", "start", "due", "progress", "state", "rag",
                   "rag_reason", "confidential", "updates"], rows[0]
assert len(rows) - 1 == int(sys.argv[2]), len(rows)
# every record ends CRLF: a bare LF appears only inside a quoted cell
quoted = False
for i, c in enumerate(text):
    if c == '"':
        quoted = not quoted
    elif c == "\n" and not quoted:
        assert text[i - 1] == "\r", text[max(0, i - 40):i]
assert text.endswith("\r\n")
assert all(r[15] == "no" for r in rows[1:])
PY
    no_secrets "$work/plan.csv" "$db"
    # Markdown: every action that may be shown, by reference; ratings in words
    run 0 "$R" export --format md --db "$db" --output "$work/plan.md"
    for ref in $(sql "$db" "SELECT ref FROM actions WHERE confidential = 0"); do
        grep -q "^#### $ref " "$work/plan.md" || fail "$ref is not in the Markdown export"
    done
    for ref in $(sql "$db" "SELECT ref FROM actions WHERE confidential = 1"); do
        grep -q "$ref" "$work/plan.md" && fail "confidential $ref is in the Markdown export"
    done
    for s in Pursue Protect Prepare Prevent; do
        grep -q "^## $s$" "$work/plan.md" || fail "no heading for $s"
    done
    grep -q '^- RAG: \*\*\(Red\|Amber\|Green\|Complete\|Cancelled\)\*\*' "$work/plan.md" ||
        fail "RAG not given as a word"
    no_secrets "$work/plan.md" "$db"
    # a filter narrows every format
    run 0 "$R" export --format md --db "$db" --strand Protect
    hasnt "$out" "## Prevent"
    has "$out" "## Protect"
    ;;
export-ics)
    py=$(ical_python)
    if [ -z "$py" ]; then
        echo "SKIP: python3-icalendar is not installed" >&2
        exit 77
    fi
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" export --format ics --db "$db" --output "$work/plan.ics"
    sql "$db" "SELECT id || '@ragboard|' || ref || ' ' || title || '|' || replace(due_date, '-', '')
               FROM actions WHERE confidential = 0 AND due_date IS NOT NULL
               AND state IN ('not_started', 'in_progress') ORDER BY id" >"$work/want"
    "$py" - "$work/plan.ics" "$work/want" <<'PY' || fail "iCalendar export is wrong"
import icalendar, sys
raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\r\n")
assert lines[-1] == b"", "no CRLF at the end"
assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
assert all(len(l) <= 75 for l in lines), max(len(l) for l in lines)
cal = icalendar.Calendar.from_ical(raw)
assert str(cal["VERSION"]) == "2.0"
todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
want = [l.split("|") for l in open(sys.argv[2], encoding="utf-8").read().splitlines()]
assert len(todos) == len(want), (len(todos), len(want))
for uid, summary, due in want:
    t = todos[uid]
    assert str(t["SUMMARY"]) == summary, (str(t["SUMMARY"]), summary)
    assert t["DUE"].params.get("VALUE") == "DATE"
    assert t["DUE"].to_ical().decode() == due
    assert str(t["STATUS"]) in ("NEEDS-ACTION", "IN-PROCESS")
    d = str(t["DESCRIPTION"])
    assert d.startswith("Lead: ") and "\nRAG: " in d, d
PY
    no_secrets "$work/plan.ics" "$db"
    # a later export keeps the UIDs, with a higher SEQUENCE for an edited action
    uid=$(sql "$db" "SELECT id FROM actions WHERE ref = 'PV-2.2'")
    seq1=$(sed -n "/^UID:$uid@ragboard/,/^END:VTODO/s/^SEQUENCE:\([0-9]*\).*/\1/p" "$work/plan.ics")
    "$E" "$db" set PV-2.2 due 2027-03-31 || fail "edit failed"
    run 0 "$R" export --format ics --db "$db" --output "$work/again.ics"
    grep -q "^UID:$uid@ragboard" "$work/again.ics" || fail "UID changed"
    seq2=$(sed -n "/^UID:$uid@ragboard/,/^END:VTODO/s/^SEQUENCE:\([0-9]*\).*/\1/p" "$work/again.ics")
    [ "$seq2" -gt "$seq1" ] || fail "SEQUENCE did not go up ($seq1, $seq2)"
    sed -n "/^UID:$uid@ragboard/,/^END:VTODO/p" "$work/again.ics" |
        grep -q "^DUE;VALUE=DATE:20270331" || fail "new due date not exported"
    # as events (for Outlook): the same actions, each an all-day event on its due date
    run 0 "$R" export --format ics-events --db "$db" --output "$work/events.ics"
    sql "$db" "SELECT id || '-due@ragboard|Due: ' || ref || ' ' || title || '|' ||
               replace(due_date, '-', '') || '|' || replace(date(due_date, '+1 day'), '-', '')
               FROM actions WHERE confidential = 0 AND due_date IS NOT NULL
               AND state IN ('not_started', 'in_progress') ORDER BY id" >"$work/want"
    "$py" - "$work/events.ics" "$work/want" <<'PY' || fail "iCalendar events export is wrong"
import icalendar, sys
raw = open(sys.argv[1], "rb").read()
assert all(len(l) <= 75 for l in raw.split(b"\r\n"))
cal = icalendar.Calendar.from_ical(raw)
assert not cal.walk("VTODO")
events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
want = [l.split("|") for l in open(sys.argv[2], encoding="utf-8").read().splitlines()]
assert want and len(events) == len(want), (len(events), len(want))
for uid, summary, start, end in want:
    e = events[uid]
    assert str(e["SUMMARY"]) == summary, (str(e["SUMMARY"]), summary)
    assert e["DTSTART"].params.get("VALUE") == "DATE"
    assert e["DTSTART"].to_ical().decode() == start
    assert e["DTEND"].to_ical().decode() == end
    assert str(e["TRANSP"]) == "TRANSPARENT"
PY
    no_secrets "$work/events.ics" "$db"
    ;;
export-files)
    run 0 "$R" init --demo --db "$db"
    for fmt in json csv md ics; do
        f=$work/plan.$fmt
        run 0 "$R" export --format $fmt --db "$db" --output "$f"
        [ -z "$out" ] || fail "export --output also wrote to stdout"
        [ "$(stat -c %a "$f")" = 600 ] || fail "$fmt export has mode $(stat -c %a "$f")"
        echo "keep me" >"$f"
        run 1 "$R" export --format $fmt --db "$db" --output "$f"
        has "$err" "already exists"
        has "$err" "--force"
        [ "$(cat "$f")" = "keep me" ] || fail "$fmt export overwrote a file without --force"
        chmod 644 "$f"
        run 0 "$R" export --format $fmt --db "$db" --output "$f" --force
        [ "$(cat "$f")" != "keep me" ] || fail "--force did not replace the file"
        [ "$(stat -c %a "$f")" = 600 ] || fail "replaced $fmt export is not 0600"
    done
    [ "$(ls "$work" | grep -c 'plan\.[a-z]*\.')" = 0 ] || fail "temporary files left: $(ls "$work")"
    # a folder is never a target
    mkdir "$work/dir"
    run 1 "$R" export --format json --db "$db" --output "$work/dir" --force
    has "$err" "folder"
    ;;
export-confidential)
    run 0 "$R" init --demo --db "$db"
    secrets "$db" >"$work/secrets"
    for fmt in json csv md ics; do
        run 0 "$R" export --format $fmt --db "$db" --include-confidential --output "$work/all.$fmt"
        run 0 "$R" export --format $fmt --db "$db" --output "$work/open.$fmt"
        no_secrets "$work/open.$fmt" "$db"
    done
    # with --include-confidential the confidential action and updates are all there
    for fmt in json csv md; do
        while IFS= read -r s; do
            python3 - "$work/all.$fmt" "$s" <<'PY' || fail "$fmt export lacks \"$s\""
import sys
text = open(sys.argv[1], encoding="utf-8-sig").read()
needle = sys.argv[2]
assert needle in text or needle.replace(".", "\\.") in text, needle
PY
        done <"$work/secrets"
    done
    grep -q "^CLASS:CONFIDENTIAL" "$work/all.ics" || fail "confidential to-do not marked"
    grep -q "^CLASS:CONFIDENTIAL" "$work/open.ics" && fail "confidential to-do exported"
    grep -q '"confidential": true' "$work/all.json" || fail "nothing marked confidential"
    grep -q "left out" "$work/open.md" || fail "Markdown does not say confidential items are left out"
    ;;
merge)
    a=$work/a.db b=$work/b.db
    run 0 "$R" init --demo --db "$a"
    cp "$a" "$b"
    USER=alice "$E" "$a" set PV-1.1 title "Agree the Prevent strategy (from A)" || fail "edit A"
    USER=alice "$E" "$a" update PV-5.3 "Recovery plan agreed with GP practices" 45 || fail "edit A"
    USER=bob "$E" "$b" set PV-2.2 due 2027-04-30 || fail "edit B"
    USER=bob "$E" "$b" add PV-8.9 PREVENT "New action from B" || fail "edit B"
    run 0 "$R" changes export --db "$a" --output "$work/a.changes"
    has "$out" "Wrote"
    [ "$(stat -c %a "$work/a.changes")" = 600 ] || fail "changeset is not 0600"
    run 0 "$R" changes export --db "$b" --output "$work/b.changes"
    copy_a=$(sql "$a" "SELECT copy_id FROM copy_identity")
    copy_b=$(sql "$b" "SELECT copy_id FROM copy_identity")
    [ "$copy_a" != "$copy_b" ] || fail "a file copy kept the same copy id"
    [ "$(sql "$a" "SELECT plan_id FROM copy_identity")" = \
      "$(sql "$b" "SELECT plan_id FROM copy_identity")" ] || fail "plan ids differ"
    run 0 "$R" changes apply "$work/b.changes" --db "$a"
    has "$out" "Merged 2 of 2 new changes from copy $copy_b"
    run 0 "$R" changes apply "$work/a.changes" --db "$b"
    for d in "$a" "$b"; do
        [ "$(sql "$d" "SELECT title FROM actions WHERE ref = 'PV-1.1'")" = \
          "Agree the Prevent strategy (from A)" ] || fail "A's title missing in $d"
        [ "$(sql "$d" "SELECT due_date FROM actions WHERE ref = 'PV-2.2'")" = 2027-04-30 ] ||
            fail "B's due date missing in $d"
        [ "$(sql "$d" "SELECT progress FROM actions WHERE ref = 'PV-5.3'")" = 45 ] ||
            fail "A's progress missing in $d"
        [ "$(sql "$d" "SELECT count(*) FROM updates WHERE text = 'Recovery plan agreed with GP practices' AND author = 'alice'")" = 1 ] ||
            fail "A's update missing in $d"
        [ "$(sql "$d" "SELECT title FROM actions WHERE ref = 'PV-8.9'")" = "New action from B" ] ||
            fail "B's new action missing in $d"
        [ "$(sql "$d" 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed in $d"
        run 0 "$R" check --db "$d"
    done
    # the same plan in both copies
    q="SELECT ref, title, due_date, progress, state FROM actions ORDER BY id"
    [ "$(sql "$a" "$q")" = "$(sql "$b" "$q")" ] || fail "the copies differ after the merge"
    # the audit log says what was merged, from which file and copy
    [ "$(sql "$a" "SELECT file || ' ' || source_copy FROM merges")" = \
      "$work/b.changes $copy_b" ] || fail "merge not recorded"
    [ "$(sql "$a" "SELECT count(*) FROM audit WHERE tbl = 'merges' AND new LIKE '%b.changes from copy $copy_b'")" = 1 ] ||
        fail "no audit row for the merge"
    [ "$(sql "$a" "SELECT count(*) FROM audit a JOIN merges m ON m.id = a.merge_id
                  WHERE a.row_ref = 'PV-2.2' AND a.field = 'due_date' AND a.new = '2027-04-30'")" = 1 ] ||
        fail "merged field not tied to its merge in the audit log"
    [ "$(sql "$a" "SELECT count(*) FROM audit WHERE row_ref = 'PV-1.1' AND merge_id IS NOT NULL")" = 0 ] ||
        fail "a local edit is marked as merged"
    # applying the same file twice changes nothing the second time
    before=$(sum "$a")
    run 0 "$R" changes apply "$work/b.changes" --db "$a"
    has "$out" "Nothing to merge"
    [ "$(sum "$a")" = "$before" ] || fail "a second apply changed the database"
    # and the echo of our own changes, coming back, is nothing new either
    run 0 "$R" changes export --db "$b" --output "$work/b2.changes"
    run 0 "$R" changes apply "$work/b2.changes" --db "$a"
    has "$out" "Nothing to merge"
    ;;
merge-conflicts)
    a=$work/a.db b=$work/b.db
    run 0 "$R" init --demo --db "$a"
    cp "$a" "$b"
    USER=alice "$E" "$a" set PV-3.1 title "Title chosen in A" || fail "edit A"
    USER=alice "$E" "$a" set PV-3.1 owner "Owner from A" || fail "edit A"
    USER=alice "$E" "$a" set PV-2.2 due 2027-01-31 || fail "edit A"
    USER=bob "$E" "$b" set PV-3.1 title "Title chosen in B" || fail "edit B"
    USER=bob "$E" "$b" set PV-2.2 due 2027-02-28 || fail "edit B"
    USER=bob "$E" "$b" set PV-5.1 owner "Owner from B" || fail "edit B"
    run 0 "$R" changes export --db "$a" --output "$work/a.changes"
    run 0 "$R" changes export --db "$b" --output "$work/b.changes"
    run 1 "$R" changes apply "$work/a.changes" --db "$b"
    has "$out" "2 conflicts not merged"
    has "$out" "conflict: PV-3.1:title"
    has "$out" "ours:   Title chosen in B"
    has "$out" "theirs: Title chosen in A (alice,"
    has "$out" "conflict: PV-2.2:due"
    has "$out" "ours:   2027-02-28"
    has "$out" "theirs: 2027-01-31"
    # nothing lost: ours kept, their other changes applied
    [ "$(sql "$b" "SELECT title FROM actions WHERE ref = 'PV-3.1'")" = "Title chosen in B" ] ||
        fail "our title was overwritten"
    [ "$(sql "$b" "SELECT due_date FROM actions WHERE ref = 'PV-2.2'")" = 2027-02-28 ] ||
        fail "our due date was overwritten"
    [ "$(sql "$b" "SELECT owner FROM actions WHERE ref = 'PV-3.1'")" = "Owner from A" ] ||
        fail "their non-conflicting change was not applied"
    # the other way round
    run 1 "$R" changes apply "$work/b.changes" --db "$a"
    has "$out" "conflict: PV-3.1:title"
    has "$out" "ours:   Title chosen in A"
    has "$out" "theirs: Title chosen in B (bob,"
    [ "$(sql "$a" "SELECT owner FROM actions WHERE ref = 'PV-5.1'")" = "Owner from B" ] ||
        fail "B's non-conflicting change was not applied in A"
    # applying again without a choice lists the same conflicts and writes nothing
    before=$(dump "$a")
    run 1 "$R" changes apply "$work/b.changes" --db "$a"
    has "$out" "conflict: PV-3.1:title"
    [ "$(dump "$a")" = "$before" ] || fail "an apply with only open conflicts changed the plan"
    # settle them: A takes B's title and keeps its own due date; B keeps its title and
    # takes A's due date; then both copies agree
    run 0 "$R" changes apply "$work/b.changes" --db "$a" --take theirs PV-3.1:title \
        --take ours PV-2.2:due
    has "$out" "settled: PV-3.1:title, took theirs"
    run 0 "$R" changes apply "$work/a.changes" --db "$b" --take ours PV-3.1:title \
        --take theirs PV-2.2:due_date
    for d in "$a" "$b"; do
        [ "$(sql "$d" "SELECT title || '|' || due_date || '|' || owner FROM actions WHERE ref = 'PV-3.1'")" = \
          "Title chosen in B|$(sql "$d" "SELECT due_date FROM actions WHERE ref = 'PV-3.1'")|Owner from A" ] ||
            fail "PV-3.1 not settled in $d"
        [ "$(sql "$d" "SELECT due_date FROM actions WHERE ref = 'PV-2.2'")" = 2027-01-31 ] ||
            fail "PV-2.2 not settled in $d"
    done
    run 0 "$R" changes apply "$work/a.changes" --db "$b"
    has "$out" "Nothing to merge"
    # a choice that matches nothing is reported
    USER=alice "$E" "$a" set PV-3.2 owner "Someone" || fail "edit A"
    run 0 "$R" changes export --db "$a" --output "$work/a2.changes"
    run 0 "$R" changes apply "$work/a2.changes" --db "$b" --take theirs PV-9.9:title
    has "$out" "PV-9.9:title matched no conflict"
    ;;
merge-refused)
    a=$work/a.db
    run 0 "$R" init --demo --db "$a"
    cp "$a" "$work/b.db"
    USER=bob "$E" "$work/b.db" set PV-1.1 title "Edited in B" || fail "edit B"
    run 0 "$R" changes export --db "$work/b.db" --output "$work/b.changes"
    before=$(sum "$a")
    size=$(stat -c %s "$work/b.changes")
    for cut in 10 60 $((size / 2)) $((size - 1)); do
        head -c "$cut" "$work/b.changes" >"$work/cut.changes"
        run 1 "$R" changes apply "$work/cut.changes" --db "$a"
        has "$err" "nothing was changed"
        [ "$(sum "$a")" = "$before" ] || fail "a file cut to $cut bytes changed the database"
    done
    has "$err" "truncated"
    # one flipped byte in the body
    python3 - "$work/b.changes" "$work/bad.changes" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-20] ^= 0x01
open(sys.argv[2], "wb").write(data)
PY
    run 1 "$R" changes apply "$work/bad.changes" --db "$a"
    has "$err" "damaged"
    # files that are not changesets at all
    run 0 "$R" export --format csv --db "$a" --output "$work/plan.csv"
    for f in "$work/plan.csv" "$a" /dev/null "$work/missing"; do
        run 1 "$R" changes apply "$f" --db "$work/b.db"
    done
    run 1 "$R" changes apply "$work/plan.csv" --db "$a"
    has "$err" "not a ragboard changeset"
    run 1 "$R" changes apply "$work/b.db" --db "$a"
    has "$err" "database, not a changeset"
    [ "$(sum "$a")" = "$before" ] || fail "a foreign file changed the database"
    # a changeset from another plan
    run 0 "$R" init --demo --db "$work/other.db"
    USER=carol "$E" "$work/other.db" set PV-1.1 title "Other plan" || fail "edit other"
    run 0 "$R" changes export --db "$work/other.db" --output "$work/other.changes"
    run 1 "$R" changes apply "$work/other.changes" --db "$a"
    has "$err" "another plan"
    [ "$(sum "$a")" = "$before" ] || fail "another plan's changeset changed the database"
    # the good file still applies
    run 0 "$R" changes apply "$work/b.changes" --db "$a"
    [ "$(sql "$a" "SELECT title FROM actions WHERE ref = 'PV-1.1'")" = "Edited in B" ] ||
        fail "the good file did not apply"
    ;;
merge-filters)
    a=$work/a.db b=$work/b.db
    run 0 "$R" init --demo --db "$a"
    cp "$a" "$b"
    # one action the police lead, one that does not concern them at all
    police=$(sql "$b" "SELECT ref FROM actions WHERE lead = 'WMP' ORDER BY ref LIMIT 1")
    other=$(sql "$b" "SELECT ref FROM actions a WHERE lead <> 'WMP' AND NOT EXISTS
                      (SELECT 1 FROM action_partners p WHERE p.action_id = a.id
                       AND p.agency = 'WMP') ORDER BY ref LIMIT 1")
    [ -n "$police" ] && [ -n "$other" ] || fail "demo has no suitable actions"
    USER=bob "$E" "$b" set "$police" owner "Police owner" || fail "edit B"
    USER=bob "$E" "$b" set "$other" owner "Council owner" || fail "edit B"
    run 0 "$R" changes export --db "$b" --agency WMP --output "$work/wmp.changes"
    has "$out" "about WMP's actions"
    run 0 "$R" changes apply "$work/wmp.changes" --db "$a"
    [ "$(sql "$a" "SELECT owner FROM actions WHERE ref = '$police'")" = "Police owner" ] ||
        fail "the agency's change was not exported"
    [ "$(sql "$a" "SELECT owner FROM actions WHERE ref = '$other'")" != "Council owner" ] ||
        fail "another agency's change was exported"
    # --since a date after every change exports nothing; --since last counts from the
    # last closed meeting (the demo's was weeks ago)
    run 0 "$R" changes export --db "$b" --since 2030-01-01 --output "$work/none.changes"
    has "$out" "Wrote 0 changes"
    run 0 "$R" changes apply "$work/none.changes" --db "$a"
    has "$out" "Nothing to merge"
    run 0 "$R" changes export --db "$b" --since last --output "$work/last.changes"
    has "$out" "since the meeting of"
    run 0 "$R" changes apply "$work/last.changes" --db "$a"
    [ "$(sql "$a" "SELECT owner FROM actions WHERE ref = '$other'")" = "Council owner" ] ||
        fail "--since last missed a change"
    # a changeset file is never written over
    run 1 "$R" changes export --db "$b" --output "$work/last.changes"
    has "$err" "already exists"
    run 0 "$R" changes export --db "$b" --output "$work/last.changes" --force
    ;;
usage)
    run 0 "$R" init --demo --db "$db"
    run 2 "$R" changes --db "$db"
    has "$err" "'export' or 'apply'"
    run 2 "$R" changes export --db "$db"
    has "$err" "--output FILE"
    run 2 "$R" changes apply --db "$db"
    has "$err" "FILE"
    run 2 "$R" changes export --db "$db" --since yesterday --output "$work/x"
    has "$err" "--since takes"
    run 2 "$R" changes export --db "$db" --agency NOPE --output "$work/x"
    has "$err" "unknown agency"
    run 2 "$R" changes apply "$work/x" --db "$db" --take maybe PV-1.1:title
    has "$err" "ours or theirs"
    run 2 "$R" changes apply "$work/x" --db "$db" --take ours PV-1.1
    has "$err" "REF:FIELD"
    run 2 "$R" changes apply "$work/x" --db "$db" --take ours
    has "$err" "--take needs"
    run 2 "$R" export --format json --db "$db" --since last
    has "$err" "--since and --take"
    run 2 "$R" check --db "$db" --force
    has "$err" "--force is for"
    run 2 "$R" export --format pdf --db "$db"
    has "$err" "json, csv, md, ics or ics-events"
    [ ! -e "$work/x" ] || fail "a usage error wrote a file"
    ;;
*)
    fail "no such test case"
    ;;
esac
echo "ok [$case_name]"
