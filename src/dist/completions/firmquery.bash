# bash completion for firmquery(1). Installed by the .deb in /usr/share/bash-completion/completions/;
# from a tarball: source <install>/completions/bash/firmquery in ~/.bashrc.
# Query and environment names are read from the folders firmquery searches, without starting Java.

_firmquery_home() {
  local launcher src dir
  launcher="$(command -v firmquery 2>/dev/null)" || return 1
  src="$launcher"
  while [ -L "$src" ]; do
    dir="$(cd -P "$(dirname "$src")" && pwd)"
    src="$(readlink "$src")"
    [[ "$src" != /* ]] && src="$dir/$src"
  done
  (cd -P "$(dirname "$src")/.." && pwd)
}

_firmquery_queries() {
  local home dir f
  home="$(_firmquery_home)"
  for dir in ./sql/queries ${home:+"$home/sql/queries"}; do
    [ -d "$dir" ] || continue
    while IFS= read -r f; do
      f="${f##*/}"
      echo "${f%.sql}"
    done < <(find "$dir" -name '*.sql' -type f 2>/dev/null)
  done | sort -u
}

_firmquery_envs() {
  local home f
  home="$(_firmquery_home)"
  for f in ./config/environments/*.yaml ${home:+"$home"/config/environments/*.yaml}; do
    [ -f "$f" ] || continue
    f="${f##*/}"
    echo "${f%.yaml}"
  done | sort -u
}

_firmquery() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null 2>&1; then
    _init_completion -n = || return
  else
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local commands="run batch demo queries config check help --help --version"
  local common="--config --env --set --verbose --help"
  local keys="@KEYS@"

  case "$prev" in
    --ids) COMPREPLY=($(compgen -f -- "$cur")); [ "$cur" = "" ] && COMPREPLY+=("-"); compopt -o filenames 2>/dev/null; return ;;
    --config) COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|properties)' -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --query) COMPREPLY=($(compgen -W "$(_firmquery_queries)" -- "$cur") $(compgen -f -X '!*.sql' -- "$cur"))
             compopt -o filenames 2>/dev/null; return ;;
    --out|--resume|--retry-failed) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --format) COMPREPLY=($(compgen -W "csv xlsx jsonl csv,xlsx csv,jsonl" -- "$cur")); return ;;
    --env) COMPREPLY=($(compgen -W "$(_firmquery_envs)" -- "$cur")); return ;;
    --set) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -W "$keys" -S = -- "$cur")); return ;;
    --size|--sample|--seed|--id-column|--id-column-out|--sheet) return ;;
  esac

  local command="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      run|batch|demo|queries|config|check|help) command="${words[i]}"; break ;;
    esac
  done
  local options
  case "$command" in
    run) options="--ids --sheet --query --out --format --id-column --id-column-out --resume --retry-failed --keep-work $common" ;;
    batch) if [ "$prev" = batch ] && [[ "$cur" != -* ]]; then
             COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur")); compopt -o filenames 2>/dev/null; return
           fi
           options="--resume --keep-work --metrics-file --metrics-port $common" ;;
    demo) options="--headless --size --sample --seed --out --format --query $common" ;;
    config) options="--describe $common" ;;
    queries|check) options="$common" ;;
    help) options="" ;;
    *) options="$commands $common" ;;
  esac
  COMPREPLY=($(compgen -W "$options" -- "$cur"))
}
complete -F _firmquery firmquery
