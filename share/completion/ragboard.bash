# bash completion for ragboard: subcommands, their options and the values options take.
# Installed as share/bash-completion/completions/ragboard; to try it without installing:
#   . share/completion/ragboard.bash

_ragboard()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="init check export import changes backup restore keys list minutes report"
    local common="--db --config --help --version"

    # The values an option takes.
    case $prev in
    --db | --output | --config)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --format)
        local cmd_for_format=""
        for w in "${words[@]:1:cword-1}"; do
            case $w in minutes | report | list) cmd_for_format=$w ;; esac
        done
        case $cmd_for_format in
        list) COMPREPLY=($(compgen -W "text tsv" -- "$cur")) ;;
        minutes) COMPREPLY=($(compgen -W "md text" -- "$cur")) ;;
        report) COMPREPLY=($(compgen -W "md text csv" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "json csv md ics ics-events" -- "$cur")) ;;
        esac
        return
        ;;
    --strand)
        COMPREPLY=($(compgen -W "Pursue Protect Prepare Prevent" -- "$cur"))
        return
        ;;
    --since)
        COMPREPLY=($(compgen -W "last" -- "$cur"))
        return
        ;;
    --rag)
        COMPREPLY=($(compgen -W "red amber green complete cancelled" -- "$cur"))
        return
        ;;
    --state)
        COMPREPLY=($(compgen -W "not-started in-progress complete cancelled" -- "$cur"))
        return
        ;;
    --sort)
        COMPREPLY=($(compgen -W "reference due rag agency updated" -- "$cur"))
        return
        ;;
    --search)
        return # words to find
        ;;
    --take)
        COMPREPLY=($(compgen -W "ours theirs" -- "$cur"))
        return
        ;;
    --agency | --lead)
        return # an agency code from the settings file
        ;;
    esac

    # The subcommand, if one has been typed (skipping options and their values).
    local cmd="" sub="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --db | --config | --format | --output | --strand | --agency | --since | --lead | \
            --rag | --state | --search | --sort) ((i++)) ;;
        --take) ((i += 2)) ;;
        -*) ;;
        *)
            if [[ -z $cmd ]]; then
                cmd=${words[i]}
            elif [[ -z $sub ]]; then
                sub=${words[i]}
            fi
            ;;
        esac
    done

    local opts
    case $cmd in
    "")
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$common --demo --present --restricted" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
        ;;
    init) opts="--demo --db --config" ;;
    check) opts="--db --config" ;;
    keys) opts="--config" ;;
    list)
        opts="--strand --agency --lead --rag --state --overdue --search --sort --format"
        opts+=" --include-confidential --present --db --config"
        ;;
    export) opts="--format --output --force --strand --agency --include-confidential --db --config" ;;
    import)
        if [[ $cur != -* && -z $sub ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
            return
        fi
        opts="--dry-run --add-agencies --db --config"
        ;;
    changes)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W "export apply" -- "$cur"))
            return
        fi
        if [[ $sub == apply ]]; then
            opts="--take --db --config"
            [[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; }
        else
            opts="--since --agency --output --force --db --config"
        fi
        ;;
    minutes)
        if [[ $cur != -* && -z $sub ]]; then
            COMPREPLY=($(compgen -W "latest" -- "$cur"))
            return
        fi
        opts="--format --output --force --include-confidential --db --config"
        ;;
    report)
        if [[ -z $sub && $cur != -* ]]; then
            COMPREPLY=($(compgen -W "exceptions highlight" -- "$cur"))
            return
        fi
        opts="--format --output --force --include-confidential --db --config"
        ;;
    backup | restore)
        if [[ $cur != -* ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
            return
        fi
        opts="--db --config"
        ;;
    *) return ;;
    esac
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
}
complete -F _ragboard ragboard
