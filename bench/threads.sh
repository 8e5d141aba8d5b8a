#!/usr/bin/env bash
# CPU time per thread group of one command (a firmquery run): samples /proc/PID/task/*/stat every
# 50 ms until the process ends, so the last sample misses at most 50 ms of each thread.
# bin/firmquery execs java, so PID is the JVM. Used for docs/performance.md's per-thread figures:
#   bench/run.sh --firms 500000 --ids 250000 --keep --work /tmp/pb --no-xlsx --no-peer
#   bench/threads.sh -- bin/firmquery run --ids /tmp/pb/ids.csv --query firm_details --out /tmp/pb/o \
#     --format csv --config /tmp/pb/bench-config.yaml   (with the FIRMQUERY_DATABASE_* the bench printed)
# Prints one line: workers, main (the writer), the JIT compilers, GC, the journal, the rest; wall.
# Exits with the command's status.
set -euo pipefail
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: bench/threads.sh -- COMMAND [ARG...]" >&2; exit 2; }
declare -A ticks
start=$(date +%s%N)
"$@" >/dev/null &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  for t in /proc/"$pid"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    name=${s#*(}; name=${name%)*}
    read -r -a f <<<"${s##*) }"
    ticks["${t##*/} $name"]=$(( f[11] + f[12] )) # utime, stime (fields 14, 15 of proc(5))
  done
  sleep 0.05
done
status=0
wait "$pid" || status=$?
wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
for k in "${!ticks[@]}"; do
  case "${k#* }" in
    firmquery-work*) g=workers ;; java) g=main ;; C2*) g=C2 ;; C1*) g=C1 ;;
    GC*) g=GC ;; firmquery-jour*) g=journal ;; *) g=rest ;;
  esac
  echo "$g ${ticks[$k]}"
done | awk -v hz="$(getconf CLK_TCK)" -v wall="$wall_ms" '
  { a[$1] += $2; total += $2 }
  END { n = split("workers main C2 C1 GC journal rest", o, " ")
        for (i = 1; i <= n; i++) printf "%s %.2f  ", o[i], a[o[i]] / hz
        printf "| CPU %.2f s, wall %.2f s\n", total / hz, wall / 1000 }'
[ "$status" -eq 0 ] || { echo "bench/threads.sh: the command exited $status; its figures are of a failed run" >&2; exit "$status"; }
