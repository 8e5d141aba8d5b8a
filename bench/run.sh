#!/usr/bin/env bash
# firmquery benchmark: builds a large demo-schema database, then times `firmquery run`
# (CSV only, then CSV+XLSX, both with -Xmx256m) against `psql \copy` of the same query with
# `= ANY(array)`, checks that the results agree, and prints rows, wall time, ratio to psql and peak
# RSS. Run `bench/run.sh --help` for the options; docs/performance.md for what it measured.
set -euo pipefail
shopt -s nullglob

usage() {
  cat <<'EOF'
Usage: bench/run.sh [options]

Creates a database of FIRMS generated firms (the demo schema: firm, firm_identifier), writes an
input file of IDS distinct firm_root_id values (ABSENT % of them not in the table) in a seeded
shuffled order, then times, RUNS times each:
  1. psql \copy of the firm_details query with `WHERE t1.firm_root_id = ANY('{...}'::bigint[])`
  2. firmquery run --format csv       with JAVA_OPTS=-Xmx256m
  3. firmquery run --format csv,xlsx  with JAVA_OPTS=-Xmx256m
  4. the chunked-psql peer: the IDs (sorted) split into CHUNK-ID `IN` lists, two psql sessions in
     parallel, each chunk one `COPY (...) TO STDOUT WITH (FORMAT csv)` (what a shell user would script)
and prints rows, wall time, ratio to psql, CPU and peak RSS, plus correctness checks (row counts,
missing IDs, sorted CSV content). Exit status: 0 if every run succeeded and every check passed.

Options (each also as an environment variable):
  --firms N        firms to generate (BENCH_FIRMS, default 2000000)
  --ids N          distinct input IDs (BENCH_IDS, default 1000000)
  --absent PCT     percentage of input IDs that do not exist (BENCH_ABSENT_PCT, default 10)
  --seed N         seed of the generated data and of the ID order (BENCH_SEED, default 42)
  --runs N         repeat the three timed runs N times (BENCH_RUNS, default 1)
  --work DIR       work directory for the ID file, outputs and logs (BENCH_WORK; default a new
                   temporary directory, removed at exit unless --keep; a given DIR is never removed)
  --keep           keep the work directory and leave the PostgreSQL server running (BENCH_KEEP=1);
                   the end of the output says how to connect to it and how to stop it
  --no-xlsx        skip the CSV+XLSX run (BENCH_NO_XLSX=1)
  --xmx SIZE       heap limit for firmquery (BENCH_XMX, default 256m)
  --set KEY=VALUE  extra `--set` for the firmquery runs, e.g. --set processing.id_binding=array
                   (repeatable; BENCH_SETS, space-separated)
  --rtt LIST       round-trip delays in ms, comma-separated (BENCH_RTT, e.g. 0,1,2,5): the whole
                   table runs once per delay, every client (psql, the peer, firmquery) connecting
                   through bench/Relay.java, a loopback TCP relay that adds half the delay each way
                   (no bandwidth cap). bench/RelayProbe.java first measures what the relay really
                   adds per round trip (a check fails if it is more than 0.15 ms + 5 % off). The
                   table then shows the relay's CPU and the round trips the clients waited on per
                   chunk (counted at the relay). Default: no relay.
  --chunk N        IDs per chunk of the chunked-psql peer (BENCH_CHUNK, default 250, firmquery's default)
  --also DIR       also time `DIR/bin/firmquery run --format csv` (another checkout, e.g. the code
                   before a change) in the same runs, interleaved (BENCH_ALSO; repeatable as a
                   space-separated list)
  --no-peer        skip the chunked-psql peer (BENCH_NO_PEER=1)
  --quiet-wait S   before each timed run, wait up to S seconds until other programs use less than
                   20 % of a core (BENCH_QUIET_WAIT, default 120; 0: do not wait). Each run also
                   reports the CPU that other programs used meanwhile ("other CPU").
  --external       use an existing PostgreSQL given by PGHOST, PGPORT, PGUSER, PGPASSWORD and
                   PGDATABASE (the maintenance database to connect to first) instead of starting
                   one (BENCH_EXTERNAL=1). The bench creates its own database BENCH_DB there
                   (default firmquery_bench; must not exist) and drops it at exit unless --keep.
                   PGSSLMODE is passed on to firmquery (default: its automatic mode, verify-full
                   off this machine).
  -h, --help       this text
Also: BENCH_JAVA_OPTS adds JVM options to the firmquery runs (after -Xmx and the GC log option).

Without --external the bench starts a throwaway PostgreSQL server (initdb + pg_ctl, Debian's
/usr/lib/postgresql/<version>/bin or PATH) on 127.0.0.1 on a free port in a temporary directory,
with fsync off (data loss on a crash does not matter here), and removes it at exit. As root the
server runs as the `postgres` OS user (runuser); missing packages (postgresql, time) are installed
with apt-get when running as root, otherwise the bench says what to install.

Example (the figures in docs/performance.md):  bench/run.sh --runs 2
Quick smoke test:                              bench/run.sh --firms 20000 --ids 10000
EOF
}

die() { echo "bench: $*" >&2; exit 2; }
say() { printf '%s\n' "$*" >&2; }
step() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Options

firms=${BENCH_FIRMS:-2000000}
nids=${BENCH_IDS:-1000000}
absent_pct=${BENCH_ABSENT_PCT:-10}
seed=${BENCH_SEED:-42}
runs=${BENCH_RUNS:-1}
work=${BENCH_WORK:-}
keep=${BENCH_KEEP:-0}
no_xlsx=${BENCH_NO_XLSX:-0}
xmx=${BENCH_XMX:-256m}
external=${BENCH_EXTERNAL:-0}
bench_db=${BENCH_DB:-firmquery_bench}
quiet_wait=${BENCH_QUIET_WAIT:-120}
rtt_list=${BENCH_RTT:-}
peer_chunk=${BENCH_CHUNK:-250}
no_peer=${BENCH_NO_PEER:-0}
also=()
# shellcheck disable=SC2206  # a space-separated list on purpose
[ -n "${BENCH_ALSO:-}" ] && also=(${BENCH_ALSO})
fq_sets=()
# shellcheck disable=SC2206  # a space-separated list on purpose
[ -n "${BENCH_SETS:-}" ] && fq_sets=(${BENCH_SETS})

while [ $# -gt 0 ]; do
  case "$1" in
    --firms) firms=${2:?--firms needs a number}; shift 2 ;;
    --ids) nids=${2:?--ids needs a number}; shift 2 ;;
    --absent) absent_pct=${2:?--absent needs a percentage}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-xlsx) no_xlsx=1; shift ;;
    --rtt) rtt_list=${2:?--rtt needs a list of milliseconds like 0,1,5}; shift 2 ;;
    --chunk) peer_chunk=${2:?--chunk needs a number}; shift 2 ;;
    --also) also+=("${2:?--also needs a firmquery checkout directory}"); shift 2 ;;
    --no-peer) no_peer=1; shift ;;
    --xmx) xmx=${2:?--xmx needs a size like 256m}; shift 2 ;;
    --set) fq_sets+=("${2:?--set needs KEY=VALUE}"); shift 2 ;;
    --external) external=1; shift ;;
    --quiet-wait) quiet_wait=${2:?--quiet-wait needs a number of seconds}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1'; see bench/run.sh --help" ;;
  esac
done

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_uint "$firms" && [ "$firms" -ge 1 ] && [ "$firms" -le 100000000 ] || die "--firms must be 1..100000000, got '$firms'"
is_uint "$nids" && [ "$nids" -ge 1 ] || die "--ids must be a positive whole number, got '$nids'"
is_uint "$absent_pct" && [ "$absent_pct" -le 100 ] || die "--absent must be a percentage 0..100, got '$absent_pct'"
is_uint "$seed" && [ "${#seed}" -le 15 ] || die "--seed must be a whole number of at most 15 digits, got '$seed'"
is_uint "$runs" && [ "$runs" -ge 1 ] || die "--runs must be 1 or more, got '$runs'"
is_uint "$quiet_wait" || die "--quiet-wait must be a whole number of seconds, got '$quiet_wait'"
[[ "$xmx" =~ ^[0-9]+[kKmMgG]?$ ]] || die "--xmx must be a JVM size like 256m, got '$xmx'"
[[ "$bench_db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "BENCH_DB must be a plain lower-case identifier, got '$bench_db'"
for s in "${fq_sets[@]}"; do [[ "$s" == *=* ]] || die "--set takes KEY=VALUE, got '$s'"; done
is_uint "$peer_chunk" && [ "$peer_chunk" -ge 1 ] || die "--chunk must be 1 or more, got '$peer_chunk'"
rtts=()
if [ -n "$rtt_list" ]; then
  IFS=, read -r -a rtts <<<"$rtt_list"
  for r in "${rtts[@]}"; do [[ "$r" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--rtt takes milliseconds like 0,1,2.5,5, got '$r'"; done
else
  rtts=(-)   # no relay
fi
for a in "${also[@]}"; do [ -x "$a/bin/firmquery" ] || die "--also $a: no bin/firmquery there"; done
n_absent=$(( nids * absent_pct / 100 ))
n_present=$(( nids - n_absent ))
[ "$n_present" -le "$firms" ] || die "$n_present existing IDs were asked for but there are only $firms firms; raise --firms or lower --ids"
[ "$n_absent" -le "$firms" ] || die "$n_absent absent IDs need at least as many firms (one per gap between IDs); raise --firms"

here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="$(cd -P "$here/.." && pwd)"
template="$home/sql/queries/firm_details.sql"
[ -f "$template" ] || die "cannot find $template; run the bench from a complete firmquery checkout"

am_root=0
[ "$(id -u)" -eq 0 ] && am_root=1

# ---------------------------------------------------------------------------------------------
# Tools

apt_updated=0
need_package() { # need_package PACKAGE WHY
  if [ "$am_root" -eq 1 ] && command -v apt-get >/dev/null 2>&1; then
    say "bench: installing $1 ($2)"
    if [ "$apt_updated" -eq 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed; install $1 by hand"
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null \
      || die "apt-get install $1 failed; install it by hand ($2)"
  else
    die "$2 is missing: install it (Debian: sudo apt-get install $1) and run again"
  fi
}

command -v java >/dev/null 2>&1 || die "java is missing: install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless maven)"
command -v psql >/dev/null 2>&1 || need_package postgresql-client "psql, the PostgreSQL client"
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
else
  need_package time "GNU time (/usr/bin/time -v), to measure peak RSS"
  gnu_time=/usr/bin/time
fi
[ -x "$gnu_time" ] || die "GNU time did not install; install the 'time' package"
if ! command -v unzip >/dev/null 2>&1 && [ "$am_root" -eq 1 ]; then
  need_package unzip "unzip, to count the rows of the XLSX file"
fi

pg_bin=""
find_server() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pg_bin="$d"; return 0; fi
  done
  return 1
}
if [ "$external" -eq 0 ] && ! find_server; then
  need_package postgresql "the PostgreSQL server (initdb, pg_ctl)"
  find_server || die "no initdb/pg_ctl found after installing postgresql"
fi

# ---------------------------------------------------------------------------------------------
# Work directory, server, clean-up

made_work=0
if [ -z "$work" ]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/firmquery-bench.XXXXXX")"
  made_work=1
else
  mkdir -p "$work" || die "cannot create the work directory $work"
fi
work="$(cd -P "$work" && pwd)"

cluster=""        # temp dir holding the throwaway cluster (data/ and server.log)
server_started=0
db_created=0
as_pg=()          # prefix that runs a server command as the right OS user
finished=0

cleanup() {
  local rc=$?
  set +e
  [ -n "${relay_pid:-}" ] && kill "$relay_pid" 2>/dev/null
  if [ "$finished" -eq 0 ] && [ "$rc" -ne 0 ]; then say "bench: stopped early (exit $rc)"; fi
  if [ "$keep" -eq 1 ]; then
    if [ "$server_started" -eq 1 ]; then
      (umask 077 && printf '127.0.0.1:%s:*:%s:%s\n' "$PGPORT" "$PGUSER" "$PGPASSWORD" >"$work/pgpass")
      say "bench: kept the server running: PGHOST=127.0.0.1 PGPORT=$PGPORT PGUSER=$PGUSER PGDATABASE=$bench_db PGPASSFILE=$work/pgpass psql"
      say "bench: stop it with: ${as_pg[*]} $pg_bin/pg_ctl -D $cluster/data -m fast stop && rm -rf $cluster"
    elif [ "$db_created" -eq 1 ]; then
      say "bench: kept the database $bench_db on $PGHOST:$PGPORT; drop it with: dropdb $bench_db"
    fi
    say "bench: kept the work directory $work"
    return
  fi
  if [ "$server_started" -eq 1 ]; then
    (cd "$cluster" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1)
  fi
  if [ "$db_created" -eq 1 ] && [ "$external" -eq 1 ]; then
    psql -X -q -d "$admin_db" -c "DROP DATABASE IF EXISTS $bench_db" >/dev/null 2>&1 \
      || say "bench: could not drop the database $bench_db; drop it by hand"
  fi
  [ -n "$cluster" ] && rm -rf "$cluster"
  [ "$made_work" -eq 1 ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  step "starting a throwaway PostgreSQL server ($pg_bin)"
  cluster="$(mktemp -d "${TMPDIR:-/tmp}/firmquery-bench-pg.XXXXXX")"
  chmod 755 "$cluster"
  if [ "$am_root" -eq 1 ]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' OS user to run the server as; install postgresql or run as a normal user"
    command -v runuser >/dev/null 2>&1 || die "running as root needs runuser (util-linux) to start the server as 'postgres'"
    chown postgres: "$cluster"
    as_pg=(runuser -u postgres --)
  fi
  # Never trust: every local OS user can reach 127.0.0.1 (docs/reliability.md, "Shared host"). A
  # random password, in a 0600 file only while initdb reads it, then only in this shell's environment.
  bench_password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')"
  (umask 077 && printf '%s\n' "$bench_password" >"$cluster/superuser.pw")
  [ "$am_root" -eq 1 ] && chown postgres: "$cluster/superuser.pw"
  # initdb and pg_ctl are run from inside the cluster directory so that they never need to enter
  # our current directory (which the postgres user may not be allowed to).
  (cd "$cluster" && "${as_pg[@]}" "$pg_bin/initdb" -D "$cluster/data" -U bench --auth=scram-sha-256 \
    --pwfile="$cluster/superuser.pw" -E UTF8 --no-locale \
    >"$work/initdb.log" 2>&1) || { rm -f "$cluster/superuser.pw"; tail -20 "$work/initdb.log" >&2; die "initdb failed (log above)"; }
  rm -f "$cluster/superuser.pw"
  local tries=0 port
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_free "$port" || continue
    # A benchmark server: no durability, room for the bulk load, the rest stock PostgreSQL.
    "${as_pg[@]}" tee "$cluster/data/bench.conf" >/dev/null <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = '4GB'
shared_buffers = '512MB'
timezone = 'UTC'
EOF
    grep -q "^include 'bench.conf'" "$cluster/data/postgresql.conf" \
      || echo "include 'bench.conf'" | "${as_pg[@]}" tee -a "$cluster/data/postgresql.conf" >/dev/null
    if (cd "$cluster" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 start >/dev/null 2>&1); then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      tail -20 "$cluster/server.log" >&2
      die "the PostgreSQL server did not start (log above)"
    fi
  done
  server_started=1
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=bench PGDATABASE=postgres PGPASSWORD="$bench_password"
  unset PGSERVICE PGSSLMODE
  say "bench: PostgreSQL $("$pg_bin/postgres" --version | sed 's/^postgres (PostgreSQL) //') on 127.0.0.1:$port, data in $cluster/data"
}

if [ "$external" -eq 1 ]; then
  [ -n "${PGHOST:-}" ] || die "--external needs PGHOST (and PGPORT, PGUSER, PGPASSWORD, PGDATABASE) to point at the server"
  export PGHOST PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}
  admin_db=${PGDATABASE:-postgres}
else
  start_server
  admin_db=postgres
fi

export PGTZ=UTC PGDATESTYLE=ISO PGCLIENTENCODING=UTF8
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$admin_db" "$@"; }
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$bench_db" "$@"; }

if psql_admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$bench_db'" | grep -q 1; then
  die "the database $bench_db exists already on $PGHOST:$PGPORT; drop it or choose another name with BENCH_DB"
fi
psql_admin -c "CREATE DATABASE $bench_db" || die "cannot create the database $bench_db on $PGHOST:$PGPORT (CREATEDB privilege?)"
db_created=1
server_version=$(q -Atc "SHOW server_version")
server_port=$PGPORT

# ---------------------------------------------------------------------------------------------
# Data

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

step "loading $firms firms (seed $seed)"
t0=$(now_ms)
q -v firms="$firms" -v seed="$seed" -f "$here/load.sql" >"$work/load.log" 2>&1 \
  || { tail -20 "$work/load.log" >&2; die "loading the data failed (log above)"; }
load_ms=$(( $(now_ms) - t0 ))
read -r n_firms n_ident n_noident < <(q -AtF ' ' -c "SELECT (SELECT count(*) FROM firm), (SELECT count(*) FROM firm_identifier),
  (SELECT count(*) FROM firm f WHERE NOT EXISTS (SELECT 1 FROM firm_identifier t WHERE t.firm_root_id = f.firm_root_id))")
db_size=$(q -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")
say "bench: $n_firms firms, $n_ident identifiers, $n_noident firms without identifiers; database $db_size; $(secs "$load_ms") s"

step "writing $nids input IDs ($n_absent absent)"
q -v firms="$firms" -v present="$n_present" -v absent="$n_absent" -v seed="$seed" -f "$here/input.sql" >"$work/input.log" 2>&1 \
  || { tail -20 "$work/input.log" >&2; die "creating the input IDs failed (log above)"; }
ids_file="$work/ids.csv"
q -c "COPY (SELECT firm_root_id FROM bench_input ORDER BY pos) TO STDOUT WITH (FORMAT csv, HEADER)" >"$ids_file"
# The IDs as one PostgreSQL array literal, in input order, for the psql baseline.
q -Atc "SELECT '{' || string_agg(firm_root_id::text, ',' ORDER BY pos) || '}' FROM bench_input" | tr -d '\n' >"$work/ids.array"
# Expected: the input IDs that return no row (absent, or present without identifiers).
q -c "COPY (SELECT b.firm_root_id FROM bench_input b WHERE NOT EXISTS (SELECT 1 FROM firm t1 JOIN firm_identifier t2
        ON t2.firm_root_id = t1.firm_root_id WHERE t1.firm_root_id = b.firm_root_id) ORDER BY 1) TO STDOUT" >"$work/expected_missing.txt"
expected_missing=$(wc -l <"$work/expected_missing.txt")
read -r exp_absent exp_noident < <(q -AtF ' ' -c "SELECT count(*) FILTER (WHERE NOT present),
  count(*) FILTER (WHERE present AND NOT EXISTS (SELECT 1 FROM firm_identifier t WHERE t.firm_root_id = b.firm_root_id))
  FROM bench_input b")
say "bench: $ids_file: $(( $(wc -l <"$ids_file") - 1 )) IDs; expected missing $expected_missing = $exp_absent absent + $exp_noident without identifiers"

# The psql baseline: firm_details with IN ({ID_PLACEHOLDER}) turned into = ANY('{...}'::bigint[]),
# as one \copy line (\copy takes the rest of its line and does no variable interpolation).
sql_one_line=$(sed -e 's/--.*$//' "$template" | tr -s ' \t\r\n' ' ')
case "$sql_one_line" in
  *"IN ({ID_PLACEHOLDER})"*) ;;
  *) die "$template has no 'IN ({ID_PLACEHOLDER})'; the bench expects the shipped firm_details shape" ;;
esac
sql_pre=${sql_one_line%%IN (\{ID_PLACEHOLDER\})*}
sql_post=${sql_one_line#*IN (\{ID_PLACEHOLDER\})}
sql_post=${sql_post%;*}
psql_csv="$work/psql.csv"
{
  printf '\\copy (%s= ANY ('"'" "$sql_pre"
  cat "$work/ids.array"
  printf "'::bigint[])%s) TO '%s' WITH (FORMAT csv, HEADER)\n" "$sql_post" "${psql_csv//\'/\'\'}"
} >"$work/copy.sql"

# ---------------------------------------------------------------------------------------------
# firmquery environment and build

export FIRMQUERY_DATABASE_HOST="$PGHOST" FIRMQUERY_DATABASE_PORT="$PGPORT" FIRMQUERY_DATABASE_DATABASE="$bench_db" \
  FIRMQUERY_DATABASE_USER="$PGUSER" FIRMQUERY_DATABASE_AUTH=password
if [ "$external" -eq 1 ]; then
  # Empty: firmquery's automatic mode (verify-full off this machine, where a password needs it).
  export FIRMQUERY_DATABASE_SSL_MODE="${PGSSLMODE:-}"
  [ -n "${PGPASSWORD:-}" ] && export FIRMQUERY_DATABASE_PASSWORD="$PGPASSWORD"
else
  export FIRMQUERY_DATABASE_SSL_MODE=disable FIRMQUERY_DATABASE_PASSWORD="$PGPASSWORD"
fi
# An empty user file, so that ~/.config/firmquery/config.yaml cannot change what is measured.
printf '# firmquery bench: no user settings (config/default.yaml and --set only)\n{}\n' >"$work/bench-config.yaml"
fq_common=(--config "$work/bench-config.yaml" --set "logging.directory=$work/logs")
for s in "${fq_sets[@]}"; do fq_common+=(--set "$s"); done

step "building firmquery"
"$home/bin/firmquery" --version >"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; die "building firmquery failed (log above)"; }
fq_version=$(tail -1 "$work/build.log")
java_version=$(java -version 2>&1 | sed -n 1p)
say "bench: $fq_version; $java_version"

# ---------------------------------------------------------------------------------------------
# Timed runs

clk_tck=$(getconf CLK_TCK)
postmaster_pid() { [ "$server_started" -eq 1 ] && head -1 "$cluster/data/postmaster.pid" 2>/dev/null || true; }
# CPU seconds (x100) of the server's exited children: the backends of finished connections.
server_cpu_cs() {
  local pid; pid=$(postmaster_pid)
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { echo ""; return; }
  awk -v t="$clk_tck" '{ sub(/^.*\) /, ""); print int(($14 + $15) * 100 / t) }' "/proc/$pid/stat"
}

results="$work/results.tsv"
printf 'run\tlabel\trows\twall_ms\tpeak_rss_kb\tcpu_s\tserver_cpu_s\texit\theap_peak_mb\tother_cpu_s\trtt_ms\trelay_cpu_s\tround_trips\n' >"$results"
failures=0
check() { # check OK|FAIL MESSAGE
  if [ "$1" = OK ]; then say "  ok    $2"; else say "  FAIL  $2"; failures=$((failures + 1)); fi
}

# Busy CPU time of the whole machine (all cores), in 1/100 s: to see how much CPU other programs took
# during a timed run (this machine may be shared), as busy - client - server.
machine_busy_cs() { awk -v t="$clk_tck" '/^cpu / { print int(($2 + $3 + $4 + $7 + $8 + $9) * 100 / t); exit }' /proc/stat; }

# wait_quiet: on a shared machine, waits (up to quiet_wait seconds) until other programs use less than
# a fifth of one core over 2 s, so that they do not skew the next timed run.
wait_quiet() {
  [ "$quiet_wait" -gt 0 ] || return 0
  local waited=0 b0 b1
  while :; do
    b0=$(machine_busy_cs); sleep 2; b1=$(machine_busy_cs)
    [ $(( b1 - b0 )) -lt 40 ] && break
    if [ "$waited" -ge "$quiet_wait" ]; then
      say "bench: the machine is still busy after ${quiet_wait} s ($(( (b1 - b0) / 2 ))% CPU); timing anyway"
      break
    fi
    [ "$waited" -eq 0 ] && say "bench: other programs use $(( (b1 - b0) / 2 ))% CPU; waiting up to ${quiet_wait} s for a quiet moment"
    waited=$((waited + 2))
  done
}

# ---------------------------------------------------------------------------------------------
# The relay (--rtt): bench/Relay.java between every client and the server

relay_pid=""
relay_port=""
relay_stats="$work/relay-stats.txt"
relay_cpu_cs() {
  [ -n "$relay_pid" ] && [ -r "/proc/$relay_pid/stat" ] || { echo 0; return; }
  awk -v t="$clk_tck" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 100 / t) }' "/proc/$relay_pid/stat"
}
relay_stats_lines() { if [ -f "$relay_stats" ]; then wc -l <"$relay_stats"; else echo 0; fi; }
start_relay() { # start_relay RTT_MS: the clients' PGPORT becomes the relay's
  local p=$(( 20000 + RANDOM % 20000 ))
  while ! port_free "$p"; do p=$(( 20000 + RANDOM % 20000 )); done
  java -Xmx64m -XX:+UseSerialGC -cp "$work/relay" Relay "$p" 127.0.0.1 "$server_port" "$1" "$relay_stats" \
    >"$work/relay-$1.log" 2>&1 &
  relay_pid=$!
  local i
  for i in $(seq 1 100); do grep -q listening "$work/relay-$1.log" 2>/dev/null && break; sleep 0.1; done
  grep -q listening "$work/relay-$1.log" || die "the relay did not start ($work/relay-$1.log)"
  relay_port=$p
  export PGPORT=$p FIRMQUERY_DATABASE_PORT=$p
  say "bench: relay on 127.0.0.1:$p -> $server_port with $1 ms round trip (pid $relay_pid)"
}
stop_relay() {
  [ -n "$relay_pid" ] || return 0
  kill "$relay_pid" 2>/dev/null || true
  wait "$relay_pid" 2>/dev/null || true
  relay_pid=""
  export PGPORT=$server_port FIRMQUERY_DATABASE_PORT=$server_port
}

timed() { # timed NAME LABEL -- COMMAND...; sets t_wall_ms t_rss_kb t_cpu t_exit t_server t_other
  local name=$1 label=$2; shift 3
  local before after start busy_before busy_after relay_before stats_before
  wait_quiet
  relay_before=$(relay_cpu_cs)
  stats_before=$(relay_stats_lines)
  before=$(server_cpu_cs)
  busy_before=$(machine_busy_cs)
  start=$(now_ms)
  set +e
  "$gnu_time" -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"
  t_exit=$?
  set -e
  t_wall_ms=$(( $(now_ms) - start ))
  sleep 0.5   # let the server reap the run's backends before reading its children's CPU time
  after=$(server_cpu_cs)
  busy_after=$(machine_busy_cs)
  t_relay=""; t_rts=""
  if [ -n "$relay_pid" ]; then
    t_relay=$(awk -v d=$(( $(relay_cpu_cs) - relay_before )) 'BEGIN { printf "%.1f", d / 100 }')
    # Round trips the client waited on: its turns (it sends again after the server spoke) on the
    # connections that closed meanwhile. Not Sync + Query: pgjdbc pipelines a simple-Query BEGIN
    # ahead of a statement without waiting for it.
    t_rts=$(tail -n +$(( stats_before + 1 )) "$relay_stats" | awk '{ s += $8 } END { print s + 0 }')
  fi
  t_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
  t_cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$work/$name.time")
  if [ -n "$before" ] && [ -n "$after" ]; then t_server=$(awk -v d=$(( after - before )) 'BEGIN { printf "%.1f", d / 100 }'); else t_server=""; fi
  # What neither the client nor the server used (the 0.5 s pause included): other programs, kernel threads.
  t_other=$(awk -v b=$(( busy_after - busy_before )) -v c="$t_cpu" -v s="${t_server:-0}" -v r="${t_relay:-0}" 'BEGIN { o = b / 100 - c - s - r; printf "%.1f", (o < 0 ? 0 : o) }')
  # (With --external the server's own CPU lands here too when it runs on this machine: no warning then.)
  if [ "$external" -eq 0 ] && awk -v o="$t_other" -v w="$t_wall_ms" 'BEGIN { exit !(o > 0.1 * w / 1000) }'; then
    say "bench: warning: other programs used $t_other s of CPU during this $(secs "$t_wall_ms") s run; its time is not reliable"
  fi
}

# heap_mb GC_LOG: "PEAK/LIVE" from a -Xlog:gc file, in MB: the largest heap occupancy before a GC
# (G1 lets the young generation fill whatever -Xmx allows) and the largest occupancy right after a
# GC (what the run really keeps).
heap_mb() {
  [ -f "$1" ] || { echo ""; return; }
  sed -n 's/.* \([0-9][0-9]*\)M->\([0-9][0-9]*\)M([0-9][0-9]*M).*/\1 \2/p' "$1" \
    | awk '$1 > p { p = $1 } $2 > l { l = $2 } END { if (NR) print p "/" l }'
}

# compare_columns FIRMQUERY_CSV PSQL_CSV: loads both into text tables and prints, per column, how many
# rows (matched on the firm_details key firm_root_id, id_scheme, id_value) differ, with one example.
compare_columns() {
  local header cols c sql
  header=$(head -1 "$2" | tr -d '\r')
  IFS=, read -r -a cols <<<"$header"
  sql="$work/compare.sql"
  {
    echo "\\set ON_ERROR_STOP on"
    printf 'CREATE TEMP TABLE cmp_fq (%s);\n' "$(printf '%s text, ' "${cols[@]}" | sed 's/, $//')"
    echo "CREATE TEMP TABLE cmp_psql (LIKE cmp_fq);"
    printf "\\copy cmp_fq FROM '%s' WITH (FORMAT csv, HEADER)\n" "${1//\'/\'\'}"
    printf "\\copy cmp_psql FROM '%s' WITH (FORMAT csv, HEADER)\n" "${2//\'/\'\'}"
    echo "CREATE TEMP TABLE cmp AS SELECT f AS f, p AS p FROM cmp_fq f FULL JOIN cmp_psql p"
    echo "  ON (f.firm_root_id, f.id_scheme, f.id_value) = (p.firm_root_id, p.id_scheme, p.id_value);"
    echo "SELECT 'rows only in firmquery: ' || count(*) FILTER (WHERE (p).firm_root_id IS NULL)"
    echo "    || ', only in psql: ' || count(*) FILTER (WHERE (f).firm_root_id IS NULL) FROM cmp;"
    local other="(p).firm_root_id IS NULL OR (f).firm_root_id IS NULL"
    for c in "${cols[@]}"; do
      local differ="(f).firm_root_id IS NOT NULL AND (p).firm_root_id IS NOT NULL AND (f).$c IS DISTINCT FROM (p).$c"
      echo "SELECT format('%-14s %s rows differ%s', '$c', (SELECT count(*) FROM cmp WHERE $differ),"
      echo "    coalesce((SELECT ', e.g. firmquery ' || quote_nullable((f).$c) || ', psql ' || quote_nullable((p).$c)"
      echo "              FROM cmp WHERE $differ LIMIT 1), ''));"
      other="$other OR ((f).$c IS DISTINCT FROM (p).$c AND NOT coalesce(((f).$c = 'true' AND (p).$c = 't') OR ((f).$c = 'false' AND (p).$c = 'f'), false))"
    done
    # Differences other than the documented boolean spelling (true/false instead of t/f).
    echo "SELECT 'remaining ' || count(*) FROM cmp WHERE $other;"
  } >"$sql"
  q -At -f "$sql" 2>&1 || true
}

# bool_columns REPORT_JSON: 0-based indexes of the result's bool columns, comma-separated.
bool_columns() {
  sed -n '/"columns"/,/\]/p' "$1" | grep -o '"type": *"[^"]*"' | awk '/"bool"/ { printf "%s%d", (n++ ? "," : ""), NR - 1 }'
}

# normalise_csv BOOL_COLS: CSV lines on stdin without their CR, and with true/false as t/f in the
# given 0-based columns. Fields are split with an RFC 4180 regex; perl is part of every Debian system.
normalise_csv() {
  if [ -z "$1" ]; then
    sed 's/\r$//'
  else
    BOOL_COLS="$1" perl -ne '
      BEGIN { %b = map { $_ => 1 } grep { length } split /,/, $ENV{BOOL_COLS} }
      s/\r?\n\z//;
      my @f;
      while (/\G("(?:[^"]|"")*"|[^,]*)(,|\z)/g) { push @f, $1; last if $2 eq "" }
      for my $i (keys %b) { next unless defined $f[$i]; $f[$i] = $f[$i] eq "true" ? "t" : $f[$i] eq "false" ? "f" : $f[$i] }
      print join(",", @f), "\n";'
  fi
}

first_file() { [ $# -gt 0 ] && printf '%s' "$1"; return 0; }

sorted_body() { tail -n +2 "$1" | LC_ALL=C sort -S 25% -T "$work" --parallel=2 >"$2"; }

# The chunked-psql peer: the IDs sorted (as firmquery's default processing.id_order: sorted does) and
# cut into chunks of peer_chunk, dealt alternately to two psql sessions that run in parallel, each
# chunk one COPY ... TO STDOUT (one round trip in psql's autocommit).
if [ "$no_peer" -eq 0 ]; then
  tail -n +2 "$ids_file" | tr -d '\r"' | sort -n | awk -v n="$peer_chunk" -v pre="$sql_pre" -v post="$sql_post" -v dir="$work" '
    { ids = ids (c ? "," : "") $1; c++ }
    c == n { emit() }
    END { if (c) emit() }
    function emit() { f = dir "/peer-" (k++ % 2 + 1) ".sql"; printf "COPY (%sIN (%s)%s) TO STDOUT WITH (FORMAT csv);\n", pre, ids, post > f; ids = ""; c = 0 }'
  : >>"$work/peer-2.sql"
fi
peer_cmd() {
  psql -X -q -v ON_ERROR_STOP=1 -d "$bench_db" -f "$work/peer-1.sql" >"$work/peer-1.csv" &
  local p1=$!
  psql -X -q -v ON_ERROR_STOP=1 -d "$bench_db" -f "$work/peer-2.sql" >"$work/peer-2.csv" || { wait "$p1"; return 1; }
  wait "$p1"
}

relay_probe=""
if [ "${rtts[0]}" != - ]; then
  mkdir -p "$work/relay"
  javac -d "$work/relay" "$here/Relay.java" "$here/RelayProbe.java" \
    || die "cannot compile bench/Relay.java and bench/RelayProbe.java (a JDK's javac is needed)"
  # What the relay really adds per round trip, before anything is timed through it: Java's selector
  # waits whole milliseconds, which once made "1 ms" cost 2.3 (bench/RelayProbe.java).
  step "checking the relay's added round trip (bench/RelayProbe.java, 500 turns per RTT)"
  java -Xmx64m -Drelay.classpath="$work/relay" -cp "$work/relay" RelayProbe "$(IFS=,; echo "${rtts[*]}")" 500 \
    >"$work/relay-probe.txt" 2>&1 || { cat "$work/relay-probe.txt" >&2; die "bench/RelayProbe.java failed"; }
  cat "$work/relay-probe.txt" >&2
  for rtt in "${rtts[@]}"; do
    added=$(awk -v r="$rtt" '$2 == r && $5 == "1" && $6 == "B:" { print $NF == "ms" ? $(NF-1) : "" }' "$work/relay-probe.txt")
    [ -n "$added" ] || { check FAIL "the relay probe printed no 1-byte line for RTT $rtt"; continue; }
    relay_probe="$relay_probe${relay_probe:+, }$rtt ms: +$added"
    if awk -v r="$rtt" -v a="$added" 'BEGIN { d = a - r; if (d < 0) d = -d; exit !(d <= 0.15 + 0.05 * r) }'; then
      check OK "the relay adds $added ms per round trip at RTT $rtt ms (median of 500 1-byte turns)"
    else
      check FAIL "the relay adds $added ms per round trip at RTT $rtt ms, not $rtt (more than 0.15 ms + 5 % off)"
    fi
  done
fi

# Untimed, once per firmquery: a small run, so that a launcher with class data sharing
# (src/dist/lib/cds.bash) makes its archive here, not at the end of the first timed run (about 1 s).
step "warming up each firmquery once (1,000 IDs, untimed)"
head -n 1001 "$ids_file" >"$work/warm-ids.csv"
for fq_home in "$home" "${also[@]}"; do
  rm -rf "$work/out-warm"
  JAVA_OPTS="-Xmx$xmx" "$fq_home/bin/firmquery" run --ids "$work/warm-ids.csv" --query firm_details \
    --out "$work/out-warm" --format csv "${fq_common[@]}" >"$work/warm.out" 2>"$work/warm.err" \
    || { tail -5 "$work/warm.err" >&2; die "the warm-up run of $fq_home/bin/firmquery failed ($work/warm.err)"; }
done
rm -rf "$work/out-warm"

psql_rows=""
first=1
for rtt in "${rtts[@]}"; do
[ "$rtt" = - ] || start_relay "$rtt"
rtt_col=$([ "$rtt" = - ] && echo "" || echo "$rtt")
for run in $(seq 1 "$runs"); do
  step "run $run/$runs${rtt_col:+, RTT $rtt ms}: psql \\copy ... = ANY(array of $nids IDs)"
  rm -f "$psql_csv"
  timed "psql-$run" "psql \\copy (= ANY array)" -- psql -X -v ON_ERROR_STOP=1 -d "$bench_db" -f "$work/copy.sql"
  [ "$t_exit" -eq 0 ] || { tail -5 "$work/psql-$run.err" >&2; die "psql \\copy failed (exit $t_exit)"; }
  rows=$(sed -n 's/^COPY \([0-9]*\)$/\1/p' "$work/psql-$run.out")
  [ "$rows" = "$(( $(wc -l <"$psql_csv") - 1 ))" ] || die "psql reported COPY $rows but $psql_csv has $(wc -l <"$psql_csv") lines"
  psql_rows=$rows
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "psql \\copy (= ANY array)" "$rows" "$t_wall_ms" "$t_rss_kb" "$t_cpu" "$t_server" "$t_exit" "" "$t_other" "$rtt_col" "$t_relay" "$t_rts" >>"$results"
  say "bench: $rows rows in $(secs "$t_wall_ms") s, peak RSS $((t_rss_kb / 1024)) MB"
  if [ "$first" -eq 1 ]; then
    first=0
    sorted_body "$psql_csv" "$work/psql.sorted"
    sql_rows=$(q -Atc "SELECT count(*) FROM (SELECT DISTINCT t1.firm_root_id, t2.id_scheme, t2.id_value FROM firm t1
      JOIN firm_identifier t2 ON t2.firm_root_id = t1.firm_root_id JOIN bench_input b ON b.firm_root_id = t1.firm_root_id) s")
  fi

  if [ "$no_peer" -eq 0 ]; then
    label="chunked psql peer (2 x COPY)"
    step "run $run/$runs${rtt_col:+, RTT $rtt ms}: $label, $peer_chunk IDs per chunk"
    timed "peer-$rtt-$run" "$label" -- bash -c "$(declare -f peer_cmd); work='$work' bench_db='$bench_db'; peer_cmd"
    [ "$t_exit" -eq 0 ] || { tail -5 "$work/peer-$rtt-$run.err" >&2; die "the chunked-psql peer failed (exit $t_exit)"; }
    rows=$(cat "$work/peer-1.csv" "$work/peer-2.csv" | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$label" "$rows" "$t_wall_ms" "$t_rss_kb" "$t_cpu" "$t_server" "$t_exit" "" "$t_other" "$rtt_col" "$t_relay" "$t_rts" >>"$results"
    say "bench: $rows rows in $(secs "$t_wall_ms") s"
    if cat "$work/peer-1.csv" "$work/peer-2.csv" | LC_ALL=C sort -S 25% -T "$work" --parallel=2 | cmp -s - "$work/psql.sorted"; then
      check OK "the peer's sorted rows are byte-identical to psql's"
    else
      check FAIL "the peer's rows differ from psql's ($work/peer-1.csv, $work/peer-2.csv)"
    fi
  fi

  variants=("$home|csv|")
  [ "$no_xlsx" -eq 1 ] || variants+=("$home|csv,xlsx|")
  for a in "${also[@]}"; do variants+=("$(cd -P "$a" && pwd)|csv|$(basename "$a")"); done
  for variant in "${variants[@]}"; do
    IFS='|' read -r fq_home fmt tag <<<"$variant"
    name="fq-${fmt/,/-}${tag:+-$tag}-$rtt-$run"
    out="$work/out-$name"
    label="firmquery${tag:+($tag)} $fmt -Xmx$xmx"
    step "run $run/$runs${rtt_col:+, RTT $rtt ms}: $label"
    rm -rf "$out"
    export JAVA_OPTS="-Xmx$xmx -Xlog:gc:file=$work/$name.gc.log ${BENCH_JAVA_OPTS:-}"
    timed "$name" "$label" -- "$fq_home/bin/firmquery" run --ids "$ids_file" --query firm_details --out "$out" \
      --format "$fmt" "${fq_common[@]}"
    unset JAVA_OPTS
    heap=$(heap_mb "$work/$name.gc.log")
    csv=$(first_file "$out"/*[0-9].csv)
    report=$(first_file "$out"/*_report.json)
    rows=""
    [ -n "$csv" ] && rows=$(( $(wc -l <"$csv") - 1 ))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$label" "$rows" "$t_wall_ms" "$t_rss_kb" "$t_cpu" "$t_server" "$t_exit" "$heap" "$t_other" "$rtt_col" "$t_relay" "$t_rts" >>"$results"
    say "bench: exit $t_exit, $rows rows in $(secs "$t_wall_ms") s, peak RSS $((t_rss_kb / 1024)) MB, heap peak/live ${heap:-?} MB"
    sed -n 's/^firmquery: /  firmquery: /p' "$work/$name.out" >&2 || true

    # Checks
    [ "$t_exit" -eq 0 ] && check OK "exit code 0" || { check FAIL "exit code $t_exit (stderr: $work/$name.err)"; tail -5 "$work/$name.err" >&2; continue; }
    status=$(sed -n 's/.*"status" *: *"\([a-z]*\)".*/\1/p' "$report" | sed -n 1p)
    [ "$status" = completed ] && check OK "report status completed" || check FAIL "report status '$status' ($report)"
    [ "$rows" = "$psql_rows" ] && check OK "rows $rows = psql's $psql_rows" || check FAIL "rows $rows, psql wrote $psql_rows"
    [ "$rows" = "$sql_rows" ] && check OK "rows = $sql_rows distinct (firm, scheme, value) for the input in SQL" || check FAIL "rows $rows, SQL count $sql_rows"
    missing_file=$(first_file "$out"/*_missing.csv)
    if [ -n "$missing_file" ]; then
      tail -n +2 "$missing_file" | tr -d '\r"' | sort -n >"$work/$name.missing.sorted"
      got_missing=$(wc -l <"$work/$name.missing.sorted")
      if [ "$got_missing" -eq "$expected_missing" ] && cmp -s "$work/$name.missing.sorted" "$work/expected_missing.txt"; then
        check OK "missing IDs: $got_missing = $exp_absent absent + $exp_noident without identifiers, same IDs"
      else
        check FAIL "missing IDs: $got_missing in $missing_file, expected $expected_missing ($work/expected_missing.txt)"
      fi
    else
      check FAIL "no _missing.csv in $out"
    fi
    if [ "$fmt" = csv ]; then
      # Two documented differences from psql's CSV are normalised before comparing bytes: CRLF
      # record ends (Commons CSV's RFC 4180 format; psql writes LF) and booleans written true/false
      # (CsvResultWriter; psql writes t/f). Anything else that differs is reported.
      bool_cols=$(bool_columns "$report")
      normalised=()
      head -c 4096 "$csv" | grep -q $'\r' && normalised+=("CRLF line ends (psql: LF)")
      [ -n "$bool_cols" ] && normalised+=("booleans written true/false (psql: t/f)")
      tail -n +2 "$csv" | normalise_csv "$bool_cols" | LC_ALL=C sort -S 25% -T "$work" --parallel=2 >"$work/$name.sorted"
      if cmp -s "$work/$name.sorted" "$work/psql.sorted"; then
        check OK "sorted CSV rows are byte-identical to psql's${normalised:+, apart from: $(IFS=';'; echo "${normalised[*]}" | sed 's/;/; /g')}"
      else
        n_diff=$(LC_ALL=C comm -3 "$work/$name.sorted" "$work/psql.sorted" | wc -l)
        say "  note  sorted CSV rows differ from psql's even after normalising ($n_diff lines only in one); by column:"
        compare_columns "$csv" "$psql_csv" >"$work/$name.column-diff.txt"
        grep -v '^remaining ' "$work/$name.column-diff.txt" | sed 's/^/          /' >&2
        remaining=$(sed -n 's/^remaining \([0-9]*\)$/\1/p' "$work/$name.column-diff.txt")
        if [ "$remaining" = 0 ]; then
          check OK "same rows and values as psql, but written differently (quoting?): compare $work/$name.sorted with $work/psql.sorted"
        else
          check FAIL "CSV content differs from psql's: ${remaining:-?} differences (rows only in one file, or values); see $work/$name.column-diff.txt"
        fi
      fi
      rm -f "$work/$name.sorted"
      [ -f "$work/first-fq.csv" ] || [ -n "$tag" ] || cp "$csv" "$work/first-fq.csv"
    else
      if cmp -s "$csv" "$work/first-fq.csv"; then
        check OK "its CSV is byte-identical to the CSV-only run's"
      else
        check FAIL "its CSV differs from the CSV-only run's ($csv vs $work/first-fq.csv)"
      fi
      xlsx=$(first_file "$out"/*.xlsx)
      if [ -z "$xlsx" ]; then
        check FAIL "no .xlsx in $out"
      elif command -v unzip >/dev/null 2>&1; then
        # Data rows in the result sheets (every sheet but the last, Summary), less one header each.
        sheets=$(unzip -Z1 "$xlsx" | grep -E '^xl/worksheets/sheet[0-9]+\.xml$' | sort -V)
        n_sheets=$(printf '%s\n' "$sheets" | wc -l)
        xrows=0
        for s in $(printf '%s\n' "$sheets" | head -n $((n_sheets - 1))); do
          # One sheet is a single line of hundreds of MB: count records split at "<row ", streaming.
          xrows=$(( xrows + $(unzip -p "$xlsx" "$s" | LC_ALL=C awk -v RS='<row ' 'END { print NR - 2 }') ))
        done
        [ "$xrows" = "$psql_rows" ] && check OK "xlsx: $xrows data rows in $((n_sheets - 1)) result sheet(s) ($(du -m "$xlsx" | cut -f1) MB)" \
          || check FAIL "xlsx: $xrows data rows in $((n_sheets - 1)) result sheet(s), psql wrote $psql_rows"
      else
        say "  (unzip not installed: the xlsx row count is not checked)"
      fi
    fi
    [ "$run" -lt "$runs" ] && rm -rf "$out"
  done
done
stop_relay
done

# ---------------------------------------------------------------------------------------------
# Report

step "results"
{
  echo "firmquery bench $(date -u +%Y-%m-%dT%H:%MZ): $n_firms firms, $n_ident identifiers; $nids input IDs ($n_absent absent), seed $seed"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM; $java_version; PostgreSQL $server_version$([ "$external" -eq 1 ] && echo " (external, $PGHOST)" || echo " (throwaway, fsync off)")"
  echo "load $(secs "$load_ms") s; extra firmquery settings: ${fq_sets[*]:-none}"
  [ -z "$relay_probe" ] || echo "relay's measured round trip (median, 1 B turns; bench/RelayProbe.java): $relay_probe ms"
  echo
  awk -F'\t' -v runs="$runs" -v chunks=$(( (nids + peer_chunk - 1) / peer_chunk )) '
    NR == 1 { next }
    { key = $11 "/" $1
      if ($2 ~ /^psql/) base[key] = $4
      if ($2 ~ /^chunked psql/) peer[key] = $4
      lines[NR] = $0 }
    END {
      printf "%-3s %-4s %-31s %8s %6s %6s %6s %6s %7s %6s %7s %9s %8s %5s %4s\n", "run", "RTT", "what", "rows", "wall s", "x psql", "x peer",
             "CPU s", "srv CPU", "relay", "RT/chk", "peak RSS", "heap MB", "other", "exit"
      for (i = 2; i <= NR; i++) {
        split(lines[i], f, "\t")
        key = f[11] "/" f[1]
        ratio = base[key] > 0 ? sprintf("%.2f", f[4] / base[key]) : "-"
        pr = peer[key] > 0 ? sprintf("%.2f", f[4] / peer[key]) : "-"
        rt = (f[13] == "" || f[2] ~ /^psql/) ? "-" : sprintf("%.2f", f[13] / chunks)
        printf "%-3s %-4s %-31s %8s %6.1f %6s %6s %6s %7s %6s %7s %6d MB %8s %5s %4s\n", f[1], (f[11] == "" ? "-" : f[11]), f[2], f[3],
               f[4] / 1000, ratio, pr, f[6], (f[7] == "" ? "-" : f[7]), (f[12] == "" ? "-" : f[12]), rt, f[5] / 1024,
               (f[9] == "" ? "-" : f[9]), f[10], f[8]
        bk = f[11] SUBSEP f[2]
        if (!(bk in best) || f[4] < best[bk]) best[bk] = f[4]
        if (f[2] ~ /^psql/) psqlname = f[2]
        if (f[2] ~ /^chunked psql/) peername = f[2]
        order[++n] = bk
      }
      if (runs > 1) {
        print ""
        for (i = 1; i <= n; i++) if (!(order[i] in shown)) {
          shown[order[i]] = 1
          split(order[i], k, SUBSEP)
          bp = best[k[1] SUBSEP psqlname]; bq = best[k[1] SUBSEP peername]
          printf "best of %d, RTT %-4s %-31s %7.1f s  x psql %s  x peer %s\n", runs, (k[1] == "" ? "-" : k[1]), k[2], best[order[i]] / 1000,
                 (bp > 0 ? sprintf("%.2f", best[order[i]] / bp) : "-"), (bq > 0 ? sprintf("%.2f", best[order[i]] / bq) : "-")
        }
      }
    }' "$results"
  echo
  echo "wall: elapsed time of the whole command (JVM start, ID file, query, files); CPU: user+sys of the"
  echo "client process; srv CPU: CPU of the server backends that served it (throwaway server only);"
  echo "heap MB: largest heap occupancy before a GC / largest right after a GC (-Xlog:gc); peak RSS: GNU"
  echo "time's maximum resident set size (the whole process: heap, metaspace, code, threads, buffers);"
  echo "other CPU: CPU used meanwhile by other programs on this machine (noise: rerun if it is large);"
  echo "RTT: the relay's added round trip in ms (-: no relay); relay: the relay's CPU s; RT/chk: round trips"
  echo "the client waited on (its turns at the relay, connection set-up included) per chunk of $peer_chunk IDs."
} | tee "$work/results.txt"

if [ "$failures" -eq 0 ]; then
  say ""
  say "bench: all checks passed"
else
  say ""
  say "bench: $failures check(s) FAILED; see above and $work"
fi
finished=1
[ "$failures" -eq 0 ]
