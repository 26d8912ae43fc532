# bash completion for virsh-esx: the words typed so far go to `virsh-esx complete`, which
# answers from its command table (and, given -c, the connection's domain names).

_virsh_esx()
{
    local words cword
    _get_comp_words_by_ref -n "\"'><=;|&(:" -w words -i cword

    # The global options before the command: -c URI and -r are passed on; the command starts
    # at the first other word.
    local i=1 start=0 args=()
    while [ $i -lt $cword ]; do
        case "${words[i]}" in
            -r|--readonly) args+=("-r") ;;
            -c|--connect) i=$((i + 1)); args+=("-c" "${words[i]}") ;;
            -*) ;;
            *) start=$i; break ;;
        esac
        i=$((i + 1))
    done
    [ $start -eq 0 ] && start=$cword

    local IFS=$'\n'
    COMPREPLY=($("$1" "${args[@]}" complete -- "${words[@]:start:cword-start+1}" 2>/dev/null))
    __ltrim_colon_completions "${words[cword]}"
    return 0
} &&
complete -o default -F _virsh_esx virsh-esx
