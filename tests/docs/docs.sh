#!/bin/sh
# The manual pages and the bash completion against the program's own --help.
# usage: RAGBOARD=path/to/ragboard SOURCE=source-dir sh docs.sh groff|options|completion
set -u

case_name=$1
man1=$SOURCE/share/man/ragboard.1
man5=$SOURCE/share/man/ragboard.ini.5
completion=$SOURCE/share/completion/ragboard.bash
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/config"
unset RAGBOARD_CONFIG

fail() {
    echo "FAIL [$case_name]: $*" >&2
    exit 1
}

"$RAGBOARD" --help >"$work/help" || fail "ragboard --help failed"

case $case_name in
groff)
    # Both pages format without a single warning.
    command -v groff >/dev/null || { echo "groff is not installed; skipping"; exit 77; }
    for page in "$man1" "$man5"; do
        groff -ww -z -man "$page" >"$work/warnings" 2>&1 || fail "groff failed on $page"
        [ -s "$work/warnings" ] && { cat "$work/warnings" >&2; fail "groff warns about $page"; }
    done
    # And man can show them.
    if command -v man >/dev/null; then
        MANWIDTH=80 man -l "$man5" 2>/dev/null | grep -q "ascii_lines" ||
            fail "man does not show ragboard.ini(5)"
    fi
    ;;
options)
    # Every option, subcommand and environment variable in --help is in ragboard(1),
    # and every option and subcommand in the completion; every exit status in both
    # --help and the manual page.
    # --help reads on an 80-column terminal.
    long=$(LC_ALL=C.UTF-8 awk 'length($0) > 80' "$work/help" | head -1)
    [ -z "$long" ] || fail "--help line wider than 80 columns: $long"
    grep -oE -- '--[a-z][a-z-]+' "$work/help" | sort -u >"$work/options"
    [ -s "$work/options" ] || fail "no options found in --help"
    while read -r opt; do
        escaped=$(printf '%s' "$opt" | sed 's/-/\\-/g')
        grep -qF -- "$escaped" "$man1" || fail "ragboard(1) does not document $opt"
        grep -qF -- "$opt" "$completion" || fail "the bash completion does not offer $opt"
    done <"$work/options"
    sed -n 's/^ *\(Usage: \)\{0,1\}ragboard \([a-z][a-z]*\).*/\2/p' "$work/help" | sort -u >"$work/commands"
    [ "$(wc -l <"$work/commands")" -ge 8 ] || fail "too few subcommands found in --help"
    while read -r cmd; do
        grep -qE "^\.B[IR]? \"?$cmd( |\"|$)" "$man1" || fail "ragboard(1) has no entry for the command $cmd"
        grep -qE "commands=\".*\<$cmd\>" "$completion" ||
            fail "the bash completion does not offer the command $cmd"
    done <"$work/commands"
    sed -n '/^Environment:/,/^$/s/^  \([A-Z_][A-Z_]*\) .*/\1/p' "$work/help" >"$work/env"
    [ -s "$work/env" ] || fail "no environment variables found in --help"
    while read -r var; do
        grep -qE "^\.B(R)? $var" "$man1" || fail "ragboard(1) does not document \$$var"
    done <"$work/env"
    for code in 0 1 2 3 4; do
        grep -q "^  $code  " "$work/help" || fail "--help does not explain exit status $code"
        grep -qx ".B $code" "$man1" || fail "ragboard(1) does not explain exit status $code"
    done
    ;;
completion)
    command -v bash >/dev/null || { echo "bash is not installed; skipping"; exit 77; }
    # complete LINE: what Tab offers after LINE (the last word is completed)
    cat >"$work/complete.bash" <<'EOF'
. "$1"
shift
COMP_LINE="$*"
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_ragboard
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
EOF
    complete() { bash "$work/complete.bash" "$completion" "$@"; }
    [ "$(complete "ragboard ex")" = "export " ] || fail "ragboard ex<Tab>: $(complete "ragboard ex")"
    [ "$(complete "ragboard report ")" = "exceptions highlight " ] ||
        fail "ragboard report <Tab>: $(complete "ragboard report ")"
    [ "$(complete "ragboard export --format ")" = "csv ics ics-events json md " ] ||
        fail "ragboard export --format <Tab>: $(complete "ragboard export --format ")"
    [ "$(complete "ragboard minutes --format ")" = "md text " ] ||
        fail "ragboard minutes --format <Tab>: $(complete "ragboard minutes --format ")"
    [ "$(complete "ragboard changes ")" = "apply export " ] ||
        fail "ragboard changes <Tab>: $(complete "ragboard changes ")"
    [ "$(complete "ragboard export --strand Pr")" = "Prepare Prevent Protect " ] ||
        fail "ragboard export --strand Pr<Tab>: $(complete "ragboard export --strand Pr")"
    case $(complete "ragboard export --in") in
    "--include-confidential ") ;;
    *) fail "ragboard export --in<Tab>: $(complete "ragboard export --in")" ;;
    esac
    case $(complete "ragboard import --d") in
    *--dry-run*) ;;
    *) fail "ragboard import --d<Tab>: $(complete "ragboard import --d")" ;;
    esac
    # Every subcommand of --help is offered after "ragboard ".
    offered=$(complete "ragboard ")
    sed -n 's/^ *\(Usage: \)\{0,1\}ragboard \([a-z][a-z]*\).*/\2/p' "$work/help" | sort -u |
        while read -r cmd; do
            case " $offered" in
            *" $cmd "*) ;;
            *) fail "ragboard <Tab> does not offer $cmd (offers: $offered)" ;;
            esac
        done || exit 1
    ;;
*)
    fail "no such case"
    ;;
esac
echo "ok [$case_name]"
