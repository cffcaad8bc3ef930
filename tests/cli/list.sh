#!/bin/sh
# Command-line tests of 'ragboard list' on the demo plan: each filter picks exactly the
# actions the database and the JSON export (rated by the RAG rules, not the list's
# index) say it should, sort orders hold, nothing confidential shows unless asked, the
# TSV form keeps its shape, bad values exit 2 naming the good ones, and a read-only plan
# can be listed.
# usage: RAGBOARD=path/to/ragboard sh list.sh CASE
set -u

case_name=$1
. "$(dirname "$0")/lib.sh"
"$R" init --demo --db "$db" >/dev/null || fail "init --demo failed"
"$R" export --format json --db "$db" --include-confidential --output "$work/plan.json" ||
    fail "export failed"

# refs ARGS...: the references 'ragboard list --format tsv ARGS' prints, in its order
refs() {
    run 0 "$R" list --db "$db" --format tsv "$@"
    printf '%s\n' "$out" | tail -n +2 | cut -f1
}

# The export's actions (in its order, the plan's own), one a line: ref, rag, strand code,
# lead, state, overdue (1/0), confidential (1/0), tab-separated. (Rated by the RAG rules
# themselves, not by the index the list reads.)
export_table() {
    python3 - "$work/plan.json" >"$work/expect.tsv" <<'EOF' || fail "cannot read the export"
import json, sys
for a in json.load(open(sys.argv[1]))['actions']:
    print('\t'.join([a['ref'], a['rag'], a['strand'], a['lead'] or '', a['state'],
                     str(int(a['overdue'])), str(int(a['confidential']))]))
EOF
}
export_table

# from_json CONDITION: references of the export's actions for which the awk condition
# (on ref, rag, strand, lead, state, overdue) holds, confidential ones left out
from_json() {
    awk -F'\t' "{ ref = \$1; rag = \$2; strand = \$3; lead = \$4; state = \$5; overdue = \$6 }
                \$7 == 0 && ($1) { print ref }" "$work/expect.tsv"
}

# same WHAT GOT WANT: the two lists of references are the same, in the same order
same() {
    [ -n "$3" ] || fail "$1: nothing expected (the demo has changed?)"
    [ "$2" = "$3" ] || fail "$1: got [$(echo $2)], expected [$(echo $3)]"
}

# same_set WHAT GOT WANT: the same references, in any order
same_set() {
    same "$1" "$(printf '%s\n' "$2" | sort)" "$(printf '%s\n' "$3" | sort)"
}

sorted_refs() { printf '%s\n' "$1" | sort; }

case $case_name in
filters)
    # Everything, in the plan's own order (the export's).
    same "no filter" "$(refs)" "$(from_json 1)"
    # Strands by name or code, in any case.
    for s in Pursue PROTECT prepare Prevent; do
        code=$(printf '%s' "$s" | tr a-z A-Z)
        same "--strand $s" "$(refs --strand "$s")" "$(from_json "strand == \"$code\"")"
        same_set "--strand $s (sql)" "$(refs --strand "$s")" \
            "$(sql "$db" "SELECT ref FROM actions WHERE strand = '$code' AND confidential = 0")"
    done
    # Ratings, as words or letters, and several at once.
    for r in Red Amber Green Complete Cancelled; do
        same "--rag $r" "$(refs --rag "$r")" "$(from_json "rag == \"$r\"")"
    done
    same "--rag r,a" "$(refs --rag r,a)" "$(from_json 'rag == "Red" || rag == "Amber"')"
    same "--rag g --rag C" "$(refs --rag g --rag C)" \
        "$(from_json 'rag == "Green" || rag == "Complete"')"
    same "--rag blue" "$(refs --rag blue)" "$(from_json 'rag == "Complete"')"
    # Agencies that lead or support, by code or name; leads only.
    for ag in WMP NHS SC; do
        want=$(sql "$db" "SELECT ref FROM actions WHERE confidential = 0 AND (lead = '$ag'
                          OR id IN (SELECT action_id FROM action_partners WHERE agency = '$ag'))")
        same_set "--agency $ag" "$(refs --agency "$ag")" "$want"
        name=$(sql "$db" "SELECT lower(name) FROM agencies WHERE code = '$ag'")
        same_set "--agency '$name'" "$(refs --agency "$name")" "$want"
        lead=$(sql "$db" "SELECT ref FROM actions WHERE confidential = 0 AND lead = '$ag'")
        same_set "--lead $ag" "$(refs --lead "$(printf '%s' "$ag" | tr A-Z a-z)")" "$lead"
    done
    # An agency that supports but does not lead is in --agency and not in --lead.
    [ "$(refs --agency WMP | wc -l)" -gt "$(refs --lead WMP | wc -l)" ] ||
        fail "--agency WMP should include actions WMP supports"
    # States, overdue, and filters together.
    same_set "--state in-progress" "$(refs --state in-progress)" \
        "$(sql "$db" "SELECT ref FROM actions WHERE confidential = 0 AND state = 'in_progress'")"
    same_set "--state 'Not started'" "$(refs --state 'Not started')" \
        "$(sql "$db" "SELECT ref FROM actions WHERE confidential = 0 AND state = 'not_started'")"
    same "--overdue" "$(refs --overdue)" "$(from_json 'overdue')"
    same_set "--overdue (sql)" "$(refs --overdue)" \
        "$(sql "$db" "SELECT ref FROM actions WHERE confidential = 0 AND due_date < '2026-11-28'
                      AND state IN ('not_started', 'in_progress')")"
    same "--strand prevent --lead SC --rag a,r" "$(refs --strand prevent --lead SC --rag a,r)" \
        "$(from_json 'strand == "PREVENT" && lead == "SC" && (rag == "Red" || rag == "Amber")')"
    # Search, as / on the screen: every word, as the start of a word.
    same_set "--search tabletop" "$(refs --search tabletop)" \
        "$(sql "$db" "SELECT ref FROM actions WHERE title LIKE '%Tabletop%'")"
    run 0 "$R" list --db "$db" --search "zzzz nothing"
    [ "$out" = "No action matches." ] || fail "an empty search: $out"
    ;;
sort)
    all=$(sorted_refs "$(refs)")
    for key in reference due rag agency updated; do
        same "--sort $key holds every action" "$(sorted_refs "$(refs --sort "$key")")" "$all"
    done
    # Due: soonest first, ongoing (empty) last.
    run 0 "$R" list --db "$db" --format tsv --sort due
    printf '%s\n' "$out" | tail -n +2 | awk -F'\t' '
        $3 == "" { ongoing = 1; next }
        ongoing || $3 < last { print "out of order at " $1; exit 1 }
        { last = $3 }' || fail "--sort due is not soonest first, ongoing last"
    # RAG: Red, Amber, Green, Complete, Cancelled.
    run 0 "$R" list --db "$db" --format tsv --sort RAG
    printf '%s\n' "$out" | tail -n +2 | awk -F'\t' '
        BEGIN { o["Red"] = 0; o["Amber"] = 1; o["Green"] = 2; o["Complete"] = 3; o["Cancelled"] = 4 }
        !($2 in o) || o[$2] < last { print "out of order at " $1; exit 1 }
        { last = o[$2] }' || fail "--sort rag is not by severity"
    first=$(refs --sort rag | head -1)
    [ "$(from_json "ref == \"$first\" && rag == \"Red\"")" = "$first" ] ||
        fail "--sort rag does not start with a Red action"
    # Agency: lead codes in order.
    run 0 "$R" list --db "$db" --format tsv --sort agency
    printf '%s\n' "$out" | tail -n +2 | cut -f6 | LC_ALL=C sort -c ||
        fail "--sort agency is not by lead agency"
    ;;
confidential)
    sql "$db" "SELECT title FROM actions WHERE confidential = 1" >"$work/secrets"
    secret=$(head -1 "$work/secrets")
    cref=$(sql "$db" "SELECT ref FROM actions WHERE confidential = 1 LIMIT 1")
    n_conf=$(wc -l <"$work/secrets")
    [ -n "$secret" ] || fail "the demo has no confidential action"
    word=$(printf '%s' "$secret" | awk '{ print $NF }') # a word of its title
    for fmt in text tsv; do
        run 0 "$R" list --db "$db" --format "$fmt"
        lacks "$out" "$cref"
        lacks "$out" "$secret"
        lacks "$out" "[confidential]"
    done
    # Counted: at the end of the text, on standard error for TSV.
    run 0 "$R" list --db "$db"
    has "$out" "$n_conf confidential action"
    has "$out" "not shown (--include-confidential shows"
    run 0 "$R" list --db "$db" --format tsv
    has "$err" "$n_conf confidential action"
    lacks "$out" "not shown"
    # A search never finds it, nor counts it as hidden.
    run 0 "$R" list --db "$db" --search "$secret"
    [ "$out" = "No action matches." ] || fail "a search for its title said: $out"
    # With --include-confidential: listed and marked.
    run 0 "$R" list --db "$db" --include-confidential
    has "$out" "[confidential] $secret"
    lacks "$out" "not shown"
    run 0 "$R" list --db "$db" --include-confidential --format tsv
    row=$(printf '%s\n' "$out" | awk -F'\t' -v r="$cref" '$1 == r')
    [ "$(printf '%s' "$row" | cut -f10)" = yes ] || fail "TSV does not mark it: $row"
    [ "$(printf '%s' "$row" | cut -f11)" = "$secret" ] || fail "TSV title: $row"
    same "--include-confidential --search" \
        "$(refs --include-confidential --search "$secret")" "$cref"
    # With --present: listed, the title masked, never found by its text.
    run 0 "$R" list --db "$db" --present --include-confidential
    lacks "$out" "$secret"
    has "$out" "$cref"
    printf '%s\n' "$out" | grep -q "^$cref .*  \[confidential\]\$" ||
        fail "--present does not mask the title: $out"
    run 0 "$R" list --db "$db" --present --search "$word"
    lacks "$out" "$cref"
    ;;
tsv)
    run 0 "$R" list --db "$db" --format tsv
    header=$(printf '%s\n' "$out" | head -1)
    tab=$(printf '\t')
    want="ref${tab}rag${tab}due${tab}overdue${tab}progress${tab}lead${tab}strand${tab}state${tab}last_update${tab}confidential${tab}title"
    [ "$header" = "$want" ] || fail "TSV header: $header"
    printf '%s\n' "$out" | awk -F'\t' 'NF != 11 { print NR ": " NF " cells"; exit 1 }' ||
        fail "a TSV line without 11 cells"
    rows=$(printf '%s\n' "$out" | tail -n +2 | wc -l)
    [ "$rows" = "$(sql "$db" "SELECT count(*) FROM actions WHERE confidential = 0")" ] ||
        fail "TSV has $rows actions"
    # Every action's cells against the database and the export.
    printf '%s\n' "$out" >"$work/list.tsv"
    python3 - "$work/list.tsv" "$work/plan.json" <<'EOF' || fail "TSV cells do not match the export"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=''), delimiter='\t', quoting=csv.QUOTE_NONE))
plan = {a['ref']: a for a in json.load(open(sys.argv[2]))['actions']}
for r in rows:
    a = plan[r['ref']]
    assert r['rag'] == a['rag'], (r, a['rag'])
    assert r['due'] == (a['due'] or ''), (r, a['due'])
    assert r['overdue'] == ('yes' if a['overdue'] else 'no'), r
    assert r['progress'] == str(a['progress']), r
    assert r['lead'] == (a['lead'] or ''), r
    assert r['strand'].upper() == a['strand'], r
    assert r['title'] == a['title'], r
    assert r['state'] == a['state'], (r, a['state'])
    assert r['confidential'] == 'no', r
print(len(rows), 'rows match')
EOF
    ;;
text)
    run 0 "$R" list --db "$db"
    printf '%s\n' "$out" | head -1 | grep -q '^Ref  *RAG  *Due  *Done  *Lead  *Title$' ||
        fail "text header: $(printf '%s\n' "$out" | head -1)"
    n=$(sql "$db" "SELECT count(*) FROM actions WHERE confidential = 0")
    has "$out" "
$n actions."
    # No colour, no control characters.
    if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
        fail "control characters in the list"
    fi
    # Piped, no title is cut; every rating is a word.
    while IFS= read -r t; do
        has "$out" "$t"
    done <<EOF
$(sql "$db" "SELECT title FROM actions WHERE confidential = 0")
EOF
    lacks "$out" "~"
    row=$(printf '%s\n' "$out" | grep '^PV-2.2 ')
    case $row in "PV-2.2  Red  "*"08/11/2026 overdue"*"70%"*" SC "*) ;;
    *) fail "the row of PV-2.2 reads: $row" ;; esac
    # Columns line up: every title starts in the same column as the heading.
    col=$(printf '%s\n' "$out" | head -1 | awk '{ print index($0, "Title") }')
    printf '%s\n' "$out" | sed -n '2,/^$/p' | sed '/^$/d' |
        awk -v c="$col" 'substr($0, c - 2, 2) != "  " || substr($0, c, 1) == " " { print; exit 1 }' ||
        fail "titles do not start in column $col"
    # On a terminal, each line fits its width.
    if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
        COLUMNS=80 script -qec "'$R' list --db '$db'" /dev/null | tr -d '\r' >"$work/tty"
        grep -q '^PV-2.2 ' "$work/tty" || fail "nothing listed on a terminal: $(cat "$work/tty")"
        long=$(awk 'length($0) > 80' "$work/tty" | head -1)
        [ -z "$long" ] || fail "longer than 80 columns on a terminal: $long"
        grep -q '~$' "$work/tty" || fail "no title was cut at 80 columns"
    else
        echo "no script(1): the terminal width is not tested"
    fi
    # One action: singular.
    run 0 "$R" list --db "$db" --search tabletop
    has "$out" "
1 action."
    ;;
hostile)
    # Text with control characters, escape sequences, tabs and bad UTF-8 in a title.
    printf 'Ref,Action,Lead\r\nPV-9.1,"Bell\007 \033[31mred\033[0m tab\there \377 end",SC\r\n' >"$work/bad.csv"
    run 0 "$R" import "$work/bad.csv" --db "$db"
    for fmt in text tsv; do
        run 0 "$R" list --db "$db" --format "$fmt" --search bell
        has "$out" "PV-9.1"
        if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177\377]')"; then
            fail "$fmt: control characters or bad bytes passed through"
        fi
        has "$out" "end"
    done
    printf '%s\n' "$out" | awk -F'\t' 'NF != 11 { exit 1 }' || fail "a tab in a title split a cell"
    ;;
usage)
    run 2 "$R" list --db "$db" --rag purple
    has "$err" "unknown rating 'purple'"
    has "$err" "red, amber, green, complete or cancelled"
    run 2 "$R" list --db "$db" --rag red,bad
    has "$err" "unknown rating 'bad'"
    run 2 "$R" list --db "$db" --rag red --rag ,
    has "$err" "--rag needs a rating"
    # --present masks only the screen and this list: elsewhere it is refused, not ignored
    for cmd in "export --format csv" "report exceptions" "minutes"; do
        run 2 "$R" $cmd --db "$db" --present
        has "$err" "--present is for the full-screen program and 'ragboard list'"
    done
    run 2 "$R" list --db "$db" --strand Protection
    has "$err" "unknown strand 'Protection' (use Pursue, Protect, Prepare or Prevent)"
    run 2 "$R" list --db "$db" --agency XYZ
    has "$err" "unknown agency 'XYZ'"
    has "$err" "SC, WMP"
    run 2 "$R" list --db "$db" --lead "Nobody"
    has "$err" "unknown agency 'Nobody' for --lead"
    run 2 "$R" list --db "$db" --sort colour
    has "$err" "use reference, due, rag, agency or updated"
    run 2 "$R" list --db "$db" --state open
    has "$err" "use not-started, in-progress, complete or cancelled"
    run 2 "$R" list --db "$db" --format csv
    has "$err" "use text or tsv"
    run 2 "$R" list --db "$db" --output "$work/x.txt"
    [ ! -e "$work/x.txt" ] || fail "list wrote a file"
    run 2 "$R" list --db "$db" red
    has "$err" "unexpected argument red"
    run 2 "$R" list --db "$db" --rag
    has "$err" "--rag needs a value"
    run 2 "$R" export --format json --db "$db" --rag red
    has "$err" "are for 'ragboard list'"
    run 2 "$R" report exceptions --db "$db" --sort due
    has "$err" "are for 'ragboard list'"
    # A plan that is not there.
    run 4 "$R" list --db "$work/none.db"
    ;;
read-only)
    # Listing only reads: a plan the user may not write (in a folder they may not write)
    # lists, on another day too (the ratings are then worked out again without writing),
    # and is left as it was.
    mkdir "$work/ro"
    cp "$db" "$work/ro/plan.db"
    ro=$work/ro/plan.db
    chmod 755 "$work"
    if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || { echo "no setpriv; skipping"; exit 77; }
        as="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
        chmod 644 "$ro"
    else
        as=""
        chmod 444 "$ro"
        chmod 555 "$work/ro"
        trap 'chmod 755 "$work/ro"; rm -rf "$work"' EXIT
    fi
    # The program copied where the other user can run it (a build folder may be private).
    cp "$R" "$work/ragboard"
    chmod 755 "$work/ragboard"
    R=$work/ragboard
    $as sh -c "test -x '$R' && test -r '$ro'" 2>/dev/null || fail "the other user cannot run $R"
    before=$(md5sum <"$ro")
    run 0 $as "$R" list --db "$ro"
    has "$out" "PV-2.2"
    same "read-only, today" "$(printf '%s\n' "$out" | sed -n 's/^\([A-Z][A-Z]*-[0-9.]*\) .*/\1/p')" \
        "$(from_json 1)"
    red_before=$(from_json 'rag == "Red"')
    export RAGBOARD_TODAY=2027-03-01
    "$R" export --format json --db "$db" --include-confidential --output "$work/plan.json" \
        --force || fail "export failed"
    export_table
    run 0 $as "$R" list --db "$ro" --format tsv --rag red
    got=$(printf '%s\n' "$out" | tail -n +2 | cut -f1)
    same "read-only --rag red on 2027-03-01" "$got" "$(from_json 'rag == "Red"')"
    [ "$got" != "$red_before" ] || fail "the later day rates nothing differently; pick another"
    [ "$(md5sum <"$ro")" = "$before" ] || fail "listing wrote to the read-only plan"
    [ "$(ls "$work/ro")" = plan.db ] || fail "listing left files beside the read-only plan"
    ;;
restricted)
    run 0 "$R" list --db "$db" --restricted --rag red
    same "--restricted --rag red" "$(refs --restricted --rag red)" "$(from_json 'rag == "Red"')"
    ;;
*)
    fail "unknown case"
    ;;
esac
exit 0
