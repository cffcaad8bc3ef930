#!/bin/sh
# Command-line tests: run one ragboard subcommand on a small database and check what
# it prints, its exit code and what lands in the database.
# usage: RAGBOARD=path/to/ragboard DATA=tests/cli/data sh run.sh CASE
set -u

case_name=$1
. "$(dirname "$0")/lib.sh"
case $case_name in
help)
    run 0 "$R" --help
    for word in init check export --db --config --demo --format --output "Exit status" \
                NO_COLOR RAGBOARD_TODAY; do
        has "$out" "$word"
    done
    run 0 "$R" --version
    has "$out" "ragboard 0."
    ;;
usage)
    run 2 "$R" --frobnicate
    has "$err" "unknown option --frobnicate"
    run 2 "$R" frobnicate
    has "$err" "unknown command frobnicate"
    run 2 "$R" export
    has "$err" "--format json, csv, md, ics or ics-events"
    run 2 "$R" export --format xml --db "$db"
    has "$err" "unknown export format 'xml'"
    run 2 "$R" --db
    has "$err" "--db needs a value"
    run 2 "$R" check --format json
    has "$err" "for 'ragboard export'"
    run 2 "$R" export --format json --strand Chase
    has "$err" "unknown strand 'Chase'"
    ;;
init)
    run 0 "$R" init --db "$work/new/plan.db"
    has "$out" "Created $work/new/plan.db"
    [ "$(stat -c %a "$work/new/plan.db")" = 600 ] || fail "database mode is not 0600"
    [ "$(stat -c %a "$work/new")" = 700 ] || fail "database folder mode is not 0700"
    [ "$(sql "$work/new/plan.db" 'PRAGMA application_id')" = 1380009794 ] ||
        fail "application_id not set"
    [ "$(sql "$work/new/plan.db" 'SELECT count(*) FROM actions')" = 0 ] || fail "not empty"
    [ "$(sql "$work/new/plan.db" 'SELECT count(*) FROM agencies')" = 8 ] ||
        fail "agencies from the shipped config were not synced"
    [ "$(sql "$work/new/plan.db" "SELECT name FROM agencies WHERE code = 'WMP'")" = \
      "West Mercia Police" ] || fail "WMP not named"
    # the default path is under XDG_DATA_HOME
    run 0 "$R" init
    [ -f "$XDG_DATA_HOME/ragboard/plan.db" ] || fail "default path not used"
    ;;
init-refuses-existing)
    run 0 "$R" init --demo --db "$db"
    before=$(md5sum "$db")
    run 1 "$R" init --db "$db"
    has "$err" "already exists"
    [ "$(md5sum "$db")" = "$before" ] || fail "existing plan was modified"
    ;;
init-demo)
    run 0 "$R" init --demo --db "$db"
    n=$(sql "$db" 'SELECT count(*) FROM actions')
    [ "$n" -ge 25 ] && [ "$n" -le 40 ] || fail "demo has $n actions, expected 25 to 40"
    for s in PURSUE PROTECT PREPARE PREVENT; do
        [ "$(sql "$db" "SELECT count(*) FROM actions WHERE strand = '$s'")" -ge 1 ] ||
            fail "no demo action under $s"
    done
    [ "$(sql "$db" "SELECT count(DISTINCT state) FROM actions")" = 4 ] ||
        fail "demo does not use every state"
    [ "$(sql "$db" "SELECT count(*) FROM agencies WHERE code NOT IN (SELECT lead FROM actions)")" = 0 ] ||
        fail "some agency leads no demo action"
    [ "$(sql "$db" "SELECT count(*) FROM updates WHERE confidential = 1")" -ge 1 ] ||
        fail "no confidential update"
    [ "$(sql "$db" "SELECT count(*) FROM meetings WHERE closed_at IS NOT NULL")" = 2 ] ||
        fail "demo should have two past meetings"
    [ "$(sql "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
    [ "$(sql "$db" "SELECT count(*) FROM audit WHERE tbl = 'actions' AND op = 'insert'")" = "$n" ] ||
        fail "audit log does not hold every action insert"
    ;;
check-ok)
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" check --db "$db" --config "$SHIPPED_INI"
    has "$out" "ragboard.ini: ok"
    has "$out" "$db: ok"
    ;;
check-broken-config)
    cp "$DATA/broken.ini" "$work/broken.ini"
    run 1 "$R" check --config "$work/broken.ini"
    has "$out" "broken.ini:4: error"
    has "$out" "PURPLE"
    has "$out" "broken.ini:9: error"
    has "$out" "broken.ini:12: error"
    has "$out" "stale_days"
    has "$out" "broken.ini:14: warning"
    has "$out" "colour"
    has "$out" "broken.ini:16: warning"
    has "$out" "printer"
    # 010 is ten, not an error
    case $out in *"broken.ini:13:"*) fail "010 should be accepted as 10: $out" ;; esac
    # the full-screen program refuses to start on a broken config, naming the line
    run 3 "$R" --config "$work/broken.ini" --db "$db"
    has "$err" "broken.ini:12: error"
    ;;
check-foreign-db)
    sqlite3 "$work/other.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (42);'
    before=$(md5sum "$work/other.db")
    run 1 "$R" check --db "$work/other.db"
    has "$out" "not a ragboard plan"
    run 4 "$R" export --format json --db "$work/other.db"
    has "$err" "not a ragboard plan"
    [ "$(md5sum "$work/other.db")" = "$before" ] || fail "foreign database was modified"
    printf 'not a database at all, just some text that is long enough to have a header\n%.0s' \
        1 2 3 > "$work/text.db"
    run 4 "$R" export --format csv --db "$work/text.db"
    has "$err" "not an SQLite file"
    run 4 "$R" export --format csv --db "$work/missing.db"
    has "$err" "does not exist"
    ;;
newer-db)
    run 0 "$R" init --db "$db"
    sql "$db" 'PRAGMA user_version = 7'
    before=$(md5sum "$db")
    run 4 "$R" export --format json --db "$db"
    has "$err" "newer ragboard"
    [ "$(md5sum "$db")" = "$before" ] || fail "newer database was modified"
    ;;
export-json)
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" export --format json --db "$db" --include-confidential
    n=$(sql "$db" 'SELECT count(*) FROM actions')
    printf '%s\n' "$out" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
n = int(sys.argv[1])
assert set(doc) >= {"strands", "agencies", "actions"}, doc.keys()
assert [s["code"] for s in doc["strands"]] == ["PURSUE", "PROTECT", "PREPARE", "PREVENT"]
assert len(doc["agencies"]) == 8, len(doc["agencies"])
acts = doc["actions"]
assert len(acts) == n, (len(acts), n)
need = ["ref", "title", "strand", "objective", "lead", "owner", "partners", "start", "due",
        "progress", "state", "rag", "rag_reason", "confidential", "updates"]
for a in acts:
    for k in need:
        assert k in a, (a["ref"], k)
    assert a["rag"] in ("Red", "Amber", "Green", "Complete", "Cancelled"), a["rag"]
    assert a["rag_reason"], a["ref"]
    assert isinstance(a["partners"], list)
    for u in a["updates"]:
        assert set(u) >= {"date", "author", "text", "progress", "confidential"}, u
rags = {a["rag"] for a in acts}
assert rags >= {"Red", "Amber", "Green", "Complete"}, rags
assert any(a["rag_reason"].startswith("set to ") for a in acts), "no override in demo"
assert any(u["confidential"] for a in acts for u in a["updates"])
' "$n" || fail "JSON export is wrong"
    ;;
export-csv)
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" export --format csv --db "$db" --include-confidential
    n=$(sql "$db" 'SELECT count(*) FROM actions')
    head -1 "$work/out" | tr -d '\r' | sed '1s/^\xef\xbb\xbf//' | grep -qx \
        'ref,title,description,strand,objective,objective_title,lead,owner,partners,start,due,progress,state,rag,rag_reason,confidential,updates' ||
        fail "CSV header is wrong: $(head -1 "$work/out")"
    python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
assert len(rows) == int(sys.argv[2]), (len(rows), sys.argv[2])
for r in rows:
    assert r["rag"] and r["rag_reason"], r["ref"]
    assert r["strand"] in ("PURSUE", "PROTECT", "PREPARE", "PREVENT")
' "$work/out" "$n" || fail "CSV export is wrong"
    ;;
export-output)
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" export --format json --db "$db" --output "$work/plan.json"
    [ -z "$out" ] || fail "export --output also wrote to stdout"
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/plan.json" ||
        fail "output file is not JSON"
    run 1 "$R" export --format csv --db "$db" --output "$work/no/such/dir/plan.csv"
    has "$err" "cannot write"
    [ ! -e "$work/no/such/dir/plan.csv" ] || fail "a file appeared after a failed export"
    ;;
export-filters)
    run 0 "$R" init --demo --db "$db"
    run 0 "$R" export --format csv --db "$db" --strand protect --include-confidential
    want=$(sql "$db" "SELECT count(*) FROM actions WHERE strand = 'PROTECT'")
    got=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$work/out")
    [ "$got" = "$want" ] || fail "strand filter gave $got rows, expected $want"
    run 0 "$R" export --format csv --db "$db" --agency WMP --include-confidential
    want=$(sql "$db" "SELECT count(*) FROM actions a WHERE lead = 'WMP' OR EXISTS (SELECT 1 FROM action_partners p WHERE p.action_id = a.id AND p.agency = 'WMP')")
    got=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$work/out")
    [ "$got" = "$want" ] || fail "agency filter gave $got rows, expected $want"
    ;;
demo-flag)
    # --demo without a terminal builds the demo database, then says it needs a terminal
    run 0 "$R" init --db "$db"
    before=$(md5sum "$db")
    run 2 "$R" --demo </dev/null
    has "$err" "needs a terminal"
    demo=$XDG_DATA_HOME/ragboard/demo.db
    [ -f "$demo" ] || fail "demo database not created"
    [ "$(stat -c %a "$demo")" = 600 ] || fail "demo database mode is not 0600"
    [ "$(sql "$demo" 'SELECT count(*) FROM actions')" -ge 25 ] || fail "demo not seeded"
    [ ! -e "$XDG_DATA_HOME/ragboard/plan.db" ] || fail "--demo created the user's plan"
    [ "$(md5sum "$db")" = "$before" ] || fail "--demo touched another database"
    # a second run replaces it with a freshly written copy
    inode=$(stat -c %i "$demo")
    run 2 "$R" --demo </dev/null
    [ "$(stat -c %i "$demo")" != "$inode" ] || fail "demo was not rebuilt"
    [ "$(sql "$demo" 'SELECT count(*) FROM actions')" -ge 25 ] || fail "rebuilt demo is empty"
    # an unrelated file in the demo's place is never replaced
    rm -f "$demo"
    echo "my notes, not a database, long enough to look like a file with a header" > "$demo"
    run 4 "$R" --demo </dev/null
    has "$err" "will not replace"
    grep -q "my notes" "$demo" || fail "a file in the demo's place was overwritten"
    run 2 "$R" --demo --db "$db"
    has "$err" "leave out --db"
    ;;
keys-docs)
    # The README's key table is the one the program binds: regenerate it with
    # 'ragboard keys' when the key table changes.
    run 0 "$R" keys
    sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$SOURCE/README.md" |
        sed '1d;$d' >"$work/readme-keys"
    diff -u "$work/readme-keys" "$work/out" >&2 || fail "README's key table differs from 'ragboard keys'"
    # Every letter key appears in the manual page too.
    for k in j k g G p r d v e n s o f x D u m A M W P q Q; do
        grep -qF "\\fB$k\\fR" "$SOURCE/share/man/ragboard.1" ||
            fail "the manual page does not list the key $k"
    done
    ;;
*)
    fail "no such test case"
    ;;
esac
echo "ok [$case_name]"
