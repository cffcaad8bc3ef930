#!/bin/sh
# Command-line tests of 'ragboard import': sample spreadsheets in several councils'
# layouts, a bad file that must leave the database byte-for-byte unchanged, dry runs,
# agencies the settings do not know, re-imports that change nothing, a round trip.
# usage: RAGBOARD=path/to/ragboard DATA=tests/cli/data SHIPPED_INI=config/ragboard.ini \
#        sh import.sh CASE
set -u

case_name=$1
. "$(dirname "$0")/lib.sh"
# Messages name the file as given: work beside copies of the samples.
cp "$DATA"/import/*.csv "$work/"
cd "$work" || exit 1

lacks() { # lacks TEXT NEEDLE
    case $1 in *"$2"*) fail "did not expect \"$2\" in: $1" ;; esac
}

sql() { sqlite3 -batch -noheader "$db" "$1"; }

is() { # is SQL EXPECTED
    got=$(sql "$1")
    [ "$got" = "$2" ] || fail "$1
  gave: $got
  want: $2"
}

ini=$SHIPPED_INI

new_plan() {
    rm -f "$db" "$db-wal" "$db-shm"
    run 0 "$R" init --db "$db" --config "$ini"
}

imp() { # imp EXPECTED_RC ARGS...: import into $db with the shipped settings
    want=$1
    shift
    run "$want" "$R" import "$@" --db "$db" --config "$ini"
}

# Importing the same file again must change nothing, not even the file's bytes.
reimport_unchanged() { # reimport_unchanged FILE N
    before=$(md5sum "$db")
    audit=$(sql 'SELECT count(*) FROM audit')
    imp 0 "$1"
    has "$out" "0 new, 0 updated, $2 unchanged."
    [ "$(md5sum "$db")" = "$before" ] || fail "re-importing $1 changed the database"
    [ "$(sql 'SELECT count(*) FROM audit')" = "$audit" ] || fail "re-import was audited"
}

case $case_name in
import-help)
    run 0 "$R" --help
    for word in "ragboard import FILE.csv" --dry-run --add-agencies; do
        has "$out" "$word"
    done
    ;;
import-usage)
    new_plan
    run 2 "$R" import --db "$db"
    has "$err" "import needs the CSV file"
    run 2 "$R" import county.csv template.csv --db "$db"
    has "$err" "unexpected argument template.csv"
    run 2 "$R" export --format csv --dry-run --db "$db"
    has "$err" "--dry-run and --add-agencies are for 'ragboard import'"
    run 2 "$R" check --add-agencies --db "$db"
    has "$err" "for 'ragboard import'"
    run 1 "$R" import missing.csv --db "$db"
    has "$err" "cannot read missing.csv"
    run 4 "$R" import county.csv --db "$work/nowhere.db"
    has "$err" "does not exist"
    printf '[rag]\nstale_days = soon\n' > broken.ini
    run 3 "$R" import county.csv --db "$db" --config broken.ini
    has "$err" "broken.ini:2: error"
    sqlite3 other.db 'CREATE TABLE t(x)'
    run 4 "$R" import county.csv --db other.db
    has "$err" "not a ragboard plan"
    printf 'PK\003\004 a workbook, not text' > plan.xlsx
    imp 1 plan.xlsx
    has "$err" "plan.xlsx: error: this is an Excel workbook"
    imp 1 mixed.csv
    has "$err" "mixed.csv:3:7: error: byte 0x96 is not UTF-8"
    has "$err" "nothing was imported"
    # with no --db the default plan is made, as the board does on first start
    run 0 "$R" import outstanding.csv --config "$ini"
    [ -f "$XDG_DATA_HOME/ragboard/plan.db" ] || fail "default plan not created"
    has "$out" "4 new, 0 updated, 0 unchanged."
    ;;
import-county)
    # "Key action / Lead / Timescale / Outcomes / Notes", numbered by theme, saved by
    # Excel as CSV UTF-8: byte-order mark, CRLF, a title above the headings, padding
    new_plan
    imp 0 county.csv
    has "$out" "UTF-8 with byte-order mark, comma-separated, heading row on line 3"
    has "$out" "line 4: added 1.1"
    has "$out" "line 6: added 1.2"
    has "$out" "Added 4 new objectives."
    has "$out" "5 new, 0 updated, 0 unchanged."
    has "$err" "county.csv:1:1: warning: above the heading row (line 3); skipped"
    is "SELECT o.ref || '|' || o.title || '|' || a.lead || '|' || a.due_date || '|' || a.state
        FROM actions a JOIN objectives o ON o.id = a.objective_id WHERE a.ref = '1.1'" \
       "1|Partnership and leadership|SC|2026-03-31|in_progress"
    is "SELECT title FROM actions WHERE ref = '1.1'" \
       "Review the Prevent partnership group's terms of reference, membership and attendance"
    is "SELECT description FROM actions WHERE ref = '1.1'" \
       "Outcomes: Terms agreed by all partners; attendance above 80%"
    is "SELECT group_concat(agency, ' ') FROM (SELECT p.agency FROM action_partners p
        JOIN actions a ON a.id = p.action_id WHERE a.ref = '1.2' ORDER BY p.sort)" "WMP NHS"
    is "SELECT coalesce(due_date, 'none') FROM actions WHERE ref = '1.2'" "none"
    is "SELECT due_date || ' ' || state || ' ' || progress FROM actions WHERE ref = '2.1'" \
       "2025-12-31 complete 100"
    is "SELECT title || ' ' || due_date FROM actions WHERE ref = '5.3'" \
       "Deliver \"Prevent awareness\" sessions to frontline staff 2026-03-31"
    # overdue by the rules (Red), Amber in the sheet: kept as a manual rating
    is "SELECT rag_override || ': ' || override_reason FROM actions WHERE ref = '5.3'" \
       "A: rated Amber in county.csv"
    is "SELECT lead || ' ' || due_date FROM actions WHERE ref = '7.1'" "SC 2026-03-31"
    is "SELECT text FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = '1.1'" \
       "Draft circulated 03/11/2025.
Comments due back by 28/11."
    is "SELECT count(*) FROM audit WHERE tbl = 'actions' AND op = 'insert'" 5
    is "PRAGMA integrity_check" ok
    reimport_unchanged county.csv 5
    ;;
import-template)
    # "Outcome / Risk or vulnerability / Action to address risk / Owner / Evidence of
    # progress / RAG": no references, outcomes as objectives, people as owners
    new_plan
    imp 0 template.csv
    has "$out" "4 new, 0 updated, 0 unchanged."
    has "$out" "Added 3 new objectives."
    is "SELECT group_concat(ref || '=' || title, '; ') FROM (SELECT * FROM objectives ORDER BY ref)" \
       "PV-1=Partners understand the local threat; PV-2=Vulnerable people are referred early; PV-3=Online harms are reduced"
    is "SELECT ref || '|' || owner || '|' || description FROM actions
        WHERE title = 'Publish one Prevent referral pathway for all partners'" \
       "PV-2.1|Safeguarding Lead|Risk or vulnerability: Referral routes differ between agencies"
    is "SELECT group_concat(ref || '=' || state || '/' || coalesce(rag_override, '-'), ' ')
        FROM (SELECT * FROM actions ORDER BY ref)" \
       "PV-1.1=in_progress/- PV-2.1=in_progress/A PV-2.2=complete/- PV-3.1=in_progress/R"
    is "SELECT text FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-3.1'" \
       "Programme updated; 12 schools signed up, 4 more pending"
    reimport_unchanged template.csv 4
    ;;
import-outstanding)
    # "Action / Officer responsible / Progress update / To be completed by", with cells
    # running over several lines
    new_plan
    imp 0 outstanding.csv
    has "$out" "line 2: added PV-1"
    has "$out" "line 6: added PV-2"
    has "$out" "4 new actions named no strand and went under Prevent."
    is "SELECT title || '|' || owner || '|' || due_date FROM actions WHERE ref = 'PV-1'" \
       "Update the Prevent section of the safeguarding training for taxi drivers|Licensing Manager|2026-03-31"
    is "SELECT text FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-1'" \
       "Content drafted.
Awaiting sign-off by the licensing committee
on 12 January."
    is "SELECT group_concat(ref || '=' || coalesce(due_date, 'none'), ' ')
        FROM (SELECT * FROM actions ORDER BY ref)" \
       "PV-1=2026-03-31 PV-2=2026-03-31 PV-3=none PV-4=none"
    is "SELECT text FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = 'PV-4'" \
       'Data sharing agreement signed by "all" parties'
    reimport_unchanged outstanding.csv 4
    ;;
import-european)
    # semicolons and Windows-1252, as Excel writes CSV in a European locale
    new_plan
    imp 0 european.csv
    has "$out" "Windows-1252, semicolon-separated (converted to UTF-8)"
    has "$out" "3 new, 0 updated, 0 unchanged."
    is "SELECT title FROM actions WHERE ref = 'PT-1.1'" \
       "Test the lockdown procedure at the Théâtre Severn – main auditorium"
    is "SELECT text FROM updates" "Exercise held with the venue staff’s input"
    is "SELECT strand || ' ' || start_date || ' ' || due_date || ' ' || progress FROM actions
        WHERE ref = 'PT-1.1'" "PROTECT 2025-09-01 2026-03-31 50"
    is "SELECT strand || ' ' || start_date || ' ' || due_date || ' ' || state FROM actions
        WHERE ref = 'PR-1.1'" "PREPARE 2025-04-01 2026-06-30 not_started"
    is "SELECT group_concat(agency, ' ') FROM (SELECT p.agency FROM action_partners p
        JOIN actions a ON a.id = p.action_id WHERE a.ref = 'PR-1.1' ORDER BY p.sort)" "WMP NHS"
    is "SELECT strand || ' ' || coalesce(due_date, 'none') FROM actions WHERE ref = 'PU-1.1'" \
       "PURSUE none"
    reimport_unchanged european.csv 3
    ;;
import-bad)
    new_plan
    imp 0 county.csv
    before=$(md5sum "$db")
    imp 1 bad.csv
    for want in \
        'bad.csv:1:41: warning: Guidance (column H) is not a column ragboard reads' \
        'bad.csv:3:17: error: Due (column D): "Sometime soon" is not a date' \
        'bad.csv:6:7: error: Lead (column C): no agency called "Acme Trust"' \
        'bad.csv:6:18: error: Due (column D): "31/02/2026" is not a real date' \
        'bad.csv:6:29: error: RAG (column E): "Purple" is not a status or RAG rating' \
        'bad.csv:6:36: error: Progress (column F): "150%" is not a percentage' \
        'bad.csv:7:1: error: reference 1.1 is also on line 2' \
        'bad.csv:9:5: error: no action text' \
        'bad.csv:10:21: error: Due (column D): "13/31/2026" is not a date: month 31 does not exist' \
        'bad.csv:10:34: error: Strand (column G): "Chase" is not a CONTEST strand' \
        'bad.csv: 9 problems; nothing was imported'; do
        has "$err" "$want"
    done
    [ "$(grep -c ': error: ' "$work/err")" = 9 ] || fail "expected 9 errors: $err"
    [ -z "$out" ] || fail "a refused import printed a summary: $out"
    [ "$(md5sum "$db")" = "$before" ] || fail "a refused import changed the database"
    imp 1 bad.csv --dry-run
    [ "$(md5sum "$db")" = "$before" ] || fail "a refused dry run changed the database"
    # a good row before the bad ones was not written either
    is "SELECT count(*) FROM actions" 5
    ;;
import-dry-run)
    new_plan
    imp 0 county.csv
    before=$(md5sum "$db")
    imp 0 update.csv --dry-run
    has "$out" "line 2: would update 1.1 (due date, progress, status, progress update added)"
    has "$out" "line 3: would update 5.3 (progress, status, progress update added)"
    has "$out" "line 4: would add 9.9 \"Add Prevent to the new councillor induction\""
    has "$out" "1 new, 2 updated, 0 unchanged. Nothing was written (--dry-run)."
    [ "$(md5sum "$db")" = "$before" ] || fail "--dry-run changed the database"
    imp 0 update.csv
    has "$out" "line 2: updated 1.1 (due date, progress, status, progress update added)"
    has "$out" "1 new, 2 updated, 0 unchanged."
    lacks "$out" "Nothing was written"
    is "SELECT due_date || ' ' || state || ' ' || progress FROM actions WHERE ref = '1.1'" \
       "2026-04-30 complete 100"
    is "SELECT progress || ' ' || state FROM actions WHERE ref = '5.3'" "50 in_progress"
    # each change audited, and nothing deleted
    is "SELECT old || '>' || new FROM audit a JOIN actions x ON x.id = a.row_id
        WHERE x.ref = '1.1' AND a.field = 'due_date'" "2026-03-31>2026-04-30"
    is "SELECT user FROM audit WHERE field = 'due_date'" tester
    is "SELECT count(*) FROM updates u JOIN actions a ON a.id = u.action_id WHERE a.ref = '1.1'" 2
    is "SELECT count(*) FROM actions" 6
    is "SELECT count(*) FROM audit WHERE op = 'delete'" 0
    reimport_unchanged update.csv 3
    ;;
import-add-agencies)
    new_plan
    printf 'Action,Lead agency\r\nYouth outreach in the town centre,"Acme Youth Trust, WMP"\r\n' \
        > agencies.csv
    before=$(md5sum "$db")
    imp 1 agencies.csv
    has "$err" 'agencies.csv:2:35: error: Lead agency (column B): no agency called "Acme Youth Trust"'
    has "$err" "--add-agencies"
    [ "$(md5sum "$db")" = "$before" ] || fail "a refused import changed the database"
    imp 0 agencies.csv --add-agencies --dry-run
    has "$out" "Would add agency AYT (Acme Youth Trust)"
    [ "$(md5sum "$db")" = "$before" ] || fail "--dry-run changed the database"
    imp 0 agencies.csv --add-agencies
    has "$out" "Added agency AYT (Acme Youth Trust) to the plan's agency list"
    has "$out" "shows it as retired"
    has "$out" 'add "AYT = Acme Youth Trust"'
    is "SELECT name || ' ' || in_config FROM agencies WHERE code = 'AYT'" "Acme Youth Trust 0"
    is "SELECT a.lead || ' ' || p.agency FROM actions a JOIN action_partners p
        ON p.action_id = a.id" "AYT WMP"
    run 1 "$R" check --db "$db" --config "$ini"
    has "$out" "agency AYT (Acme Youth Trust) is in the database but not under [agencies]"
    # again, without the option: the plan knows the agency now
    imp 0 agencies.csv
    has "$err" "agency AYT (Acme Youth Trust) is not in the settings file"
    has "$out" "0 new, 0 updated, 1 unchanged."
    ;;
import-roundtrip)
    # an exported plan imported into an empty one gives the same actions
    run 0 "$R" init --demo --db demo.db --config "$ini"
    run 0 "$R" export --format csv --db demo.db --output export.csv
    new_plan
    imp 0 export.csv
    # (the export may leave confidential actions out: count what it holds)
    n=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))' export.csv)
    [ "$n" -ge 25 ] || fail "export holds only $n actions"
    has "$out" "$n new, 0 updated, 0 unchanged."
    cols="a.ref, a.title, a.description, a.strand, o.ref, o.title, coalesce(a.lead, ''), a.owner,
          coalesce(a.start_date, ''), coalesce(a.due_date, ''), a.progress, a.state,
          a.confidential, (SELECT group_concat(agency, ' ') FROM (SELECT agency FROM
          action_partners p WHERE p.action_id = a.id ORDER BY p.sort))"
    q="SELECT $cols FROM actions a LEFT JOIN objectives o ON o.id = a.objective_id
       WHERE a.confidential = 0 ORDER BY a.ref"
    sqlite3 demo.db "$q" > want.txt
    sql "$q" > got.txt
    [ -s want.txt ] || fail "no actions to compare"
    diff want.txt got.txt >&2 || fail "imported actions differ from the exported plan"
    reimport_unchanged export.csv "$n"
    ;;
*)
    fail "no such test case"
    ;;
esac
echo "ok [$case_name]"
