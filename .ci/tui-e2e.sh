#!/usr/bin/env bash
# End-to-end test of the full-screen UI (docs/tui.md), the way a user meets it: `bin/firmquery demo` in a
# detached tmux session of 80x24, driven with `tmux send-keys`, read back with `tmux capture-pane`.
#
#   .ci/tui-e2e.sh                          # needs java, tmux, PostgreSQL server binaries (as root) or none
#   TUI_E2E_CAPTURES=docs/captures .ci/tui-e2e.sh   # also keeps the screens it checked (for docs/tui.md)
#
# It checks that a newcomer can pick the sample file with the keyboard, run it, watch the chunks, see the
# results and find the files (identical to a headless run of the same input), cancel a run, quit, and
# finish it from the list of unfinished runs the UI shows when it starts again, open past runs from the
# run history, fill in a template's parameter in the typed form, switch environment in the connection
# profiles after testing a failing and a passing connection (refused during a run), browse a 2,000,000-row
# result from the history to its last row and back, and that the terminal is given back after quitting and after SIGTERM; that q typed on a list
# does not quit and quitting with a loaded input asks first; that a bracketed paste of 100,000 IDs opens the paste
# window with their exact count in seconds; and that the UI draws at
# 80x24 and resizes with TERM=tmux-256color, xterm-256color, screen-256color and vt100.
# Everything it starts runs on a private tmux server and in a temp directory, removed on any exit.
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$(date +%s)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/firmquery-tui-e2e.XXXXXX")"
sock="firmquery-e2e-$$"
tm() { tmux -L "$sock" "$@"; }
pg_pid=""
stop_pg() { # ends .ci/LocalPostgres.java (its input closes), waiting up to 30 s for its server to stop
  [ -n "$pg_pid" ] || return 0
  exec 9>&-
  local end=$((SECONDS + 30))
  while kill -0 "$pg_pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
  pg_pid=""
}
cleanup() {
  tm kill-server >/dev/null 2>&1 || true
  stop_pg
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "tui-e2e: interrupted"; exit 130' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check "description" command...
  local what="$1"; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  echo "tui-e2e: $passed passed, $failed failed in $(( $(date +%s) - started )) s"
  if [ "$failed" -eq 0 ]; then echo "tui-e2e: PASS"; exit 0; fi
  echo "tui-e2e: FAIL"; exit 1
}

command -v tmux >/dev/null 2>&1 || { echo "tui-e2e: tmux is not installed (Debian: apt-get install tmux)"; fail "tmux present"; finish; }
if [ ! -f target/firmquery.jar ]; then
  echo "tui-e2e: building target/firmquery.jar"
  mvn -B -q -DskipTests package || { fail "build target/firmquery.jar"; finish; }
fi
# Every firmquery here runs as a user whose home is this test's own (the JVM takes user.home from the
# password entry, not $HOME): the run history counts the runs of the output folders that user used,
# so runs made on this machine before must not show up in it. A step with its own JAVA_OPTS (the
# connection profiles' home) sets user.home itself.
mkdir -m 700 "$tmp/user"
export JAVA_OPTS="-Duser.home=$tmp/user"

export FIRMQUERY_LOGGING_DIRECTORY="$tmp/logs"

# The private server lives for the whole script: a session that only sleeps keeps it up. Without it,
# killing the last "ui" session makes tmux exit, and the next new-session can reach the exiting server
# ("server exited unexpectedly"; 7 of 200 kill-session/new-session pairs with tmux 3.3a), after which
# every capture-pane says "no server running" although firmquery never started.
if ! tm new-session -d -s keep -x 80 -y 24 "sleep 86400"; then fail "start a private tmux server"; finish; fi
SIZE=20000
SAMPLE=5000
SEED=7

# ---------------------------------------------------------------------------------------------------
# Helpers for one tmux session (one at a time, named "ui").

screen() { tm capture-pane -p -t ui; }
save() { # save NAME: keep the current screen for the docs
  if [ -n "${TUI_E2E_CAPTURES:-}" ]; then
    mkdir -p "$TUI_E2E_CAPTURES"
    screen | sed -e "s#$tmp#/tmp/e2e#g" > "$TUI_E2E_CAPTURES/$1.txt"
  fi
}
wait_for() { # wait_for REGEX [SECONDS]: until the screen matches; prints the screen on timeout
  local pattern="$1" limit="${2:-60}"
  local end=$((SECONDS + limit))
  while [ $SECONDS -lt $end ]; do
    if screen | grep -qE -- "$pattern"; then return 0; fi
    # The pane prints STTY: a moment after FIRMQUERY_EXIT= (stty runs in between): not an early end.
    if [[ "$pattern" != *FIRMQUERY_EXIT* && "$pattern" != *STTY* ]] && screen | grep -qE '^FIRMQUERY_EXIT='; then
      echo "  ... firmquery ended while waiting for /$pattern/; the screen:"
      screen | sed 's/^/  | /'
      return 1
    fi
    sleep 0.2
  done
  echo "  ... no /$pattern/ after $limit s; the screen:"
  screen | sed 's/^/  | /'
  return 1
}
keys() { tm send-keys -t ui "$@"; sleep 0.3; }
text() { tm send-keys -t ui -l "$1"; sleep 0.3; }
last_row_matches() { screen | tail -n 1 | grep -qE -- "$1"; }
row_count_is() { [ "$(screen | wc -l)" -eq "$1" ]; }
start_ui() { # start_ui COLUMNS ROWS ENV... -- ARGS...: bin/firmquery ARGS in a fresh session "ui"
  local cols="$1" rows="$2"; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  cat > "$tmp/pane.sh" <<EOF
#!/usr/bin/env bash
cd $(printf %q "$repo")
env JAVA_OPTS=$(printf %q "$JAVA_OPTS") $(printf '%q ' "${envs[@]}") bin/firmquery $( [ $# -gt 0 ] && printf '%q ' "$@")
echo "FIRMQUERY_EXIT=\$?"
echo "STTY: \$(stty -a | tr ' ;' '\n\n' | grep -Ex -- '-?(icanon|echo|isig|ixon)' | tr '\n' ' ')"
sleep 600
EOF
  chmod +x "$tmp/pane.sh"
  tm kill-session -t ui >/dev/null 2>&1 || true
  if ! tm new-session -d -s ui -x "$cols" -y "$rows" "$tmp/pane.sh"; then
    echo "  ... tmux new-session failed (see its message above)"
    return 1
  fi
}
ui_pid() { # the java process of the session's firmquery (a child of the pane's shell)
  pgrep -P "$(tm display-message -p -t ui '#{pane_pid}')" -f firmquery.jar | sed -n 1p
}
restored() { # the stty line the pane printed after firmquery ended shows the usual modes again
  local line t
  wait_for '^STTY:' 10 >/dev/null || return 1
  line="$(screen | grep -E '^STTY:')" || return 1
  for t in icanon echo isig ixon; do
    echo "$line" | grep -qE "(^| )$t( |\$)" || return 1
  done
}
field() { # field LABEL FILE: the number after LABEL in a headless summary ("rows     9,966")
  grep -E "^  $1 " "$2" | sed -n 1p | awk '{print $2}'
}
data_rows() { tail -n +2 "$1"; }

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: reference: a headless demo run of the same input"
if ! bin/firmquery demo --headless --size $SIZE --sample $SAMPLE --seed $SEED --out "$tmp/ref" \
    >"$tmp/ref.out" 2>"$tmp/ref.err"; then
  cat "$tmp/ref.err"; fail "headless reference run"; finish
fi
ref_csv="$(ls "$tmp"/ref/firm_query_*[0-9].csv)"
ref_missing="$(ls "$tmp"/ref/firm_query_*_missing.csv)"
ref_rows="$(field rows "$tmp/ref.out")"
ref_missing_n="$(field missing "$tmp/ref.out")"
pass "headless reference: $ref_rows rows, $ref_missing_n missing IDs"

# The shipped firm_details with half a second of pg_sleep per chunk: the same rows, slow enough to watch
# the progress window and to cancel. 20 chunks on 2 workers take about five seconds.
slow="$tmp/slow_details.sql"
sed -e '1s/.*/-- Firm details, slowly: the same rows as firm_details, half a second per chunk./' \
    -e '1a WITH pause AS MATERIALIZED (SELECT pg_sleep(0.5))' \
    -e 's/^WHERE t1.firm_root_id IN/CROSS JOIN pause\nWHERE t1.firm_root_id IN/' \
    sql/queries/firm_details.sql > "$slow"

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: the demo in tmux at 80x24 (TERM=tmux-256color)"
start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 -- demo --size $SIZE --sample $SAMPLE --seed $SEED \
  --out "$tmp/ui" --query "$slow"
if ! wait_for '│ ready │' 180; then fail "the demo opens the UI with the sample file loaded"; finish; fi
pass "the demo opens the UI with the sample file loaded"
check "the screen is 80x24 with the status bar on the last row" row_count_is 24
check "status bar: demo database, auth mode and pool" last_row_matches '^ demo 127\.0\.0\.1.*│ ready │ password │ pool'

keys F3
check "F3 opens the file browser in the sample's folder" wait_for 'demo_sample_ids\.csv' 10
text "demo_sample"
check "typing filters the list to the sample file" wait_for 'Filter: demo_sample  \(1 match\)' 10
save browser
keys Enter
check "Enter chooses it: the preview shows the counts" wait_for 'IDs    5,000 valid, [0-9,]+ duplicates' 30
check "the preview shows the plan" wait_for 'Plan   20 chunks of ≤ 250 IDs' 5
check "Run is enabled" wait_for '<Run F5/\^R>' 5
save input

keys F5
check "F5 runs: the progress window shows chunks finishing" wait_for 'chunk [0-9]+/20 done: 250 IDs' 30
check "the workers table shows both workers" wait_for '^2 +[0-9]+/20 +250' 10
# "(N run)" follows while the workers are ahead of the writing (docs/tui.md, Progress window).
check "the overall bar and counts" wait_for 'Chunks [0-9]+/20( \([0-9,]+ run\))?   IDs [0-9,]+ of 5,000' 5
save progress
check "the results window opens when the run ends" wait_for 'Run 1: COMPLETED' 60
save results
check "results: rows and missing IDs as in the headless run" \
  wait_for "Rows     $ref_rows   missing IDs $ref_missing_n   failed IDs 0" 5
check "results: all 20 chunks succeeded" wait_for 'Chunks   20: 20 succeeded, 0 failed, 0 not run' 5
ui_csv="$(ls "$tmp"/ui/firm_query_*[0-9].csv 2>/dev/null | sed -n 1p)"
ui_missing="$(ls "$tmp"/ui/firm_query_*_missing.csv 2>/dev/null | sed -n 1p)"
check "results: the CSV is listed with its full path" wait_for "$(basename "$ui_csv") \\(" 5
check "the exported CSV is identical to the headless run's" cmp -s "$ui_csv" "$ref_csv"
check "the missing-ID list is identical to the headless run's" cmp -s "$ui_missing" "$ref_missing"
check "the XLSX and the report were written" \
  test -s "$(ls "$tmp"/ui/firm_query_*.xlsx | sed -n 1p)" -a -s "$(ls "$tmp"/ui/firm_query_*_report.json | sed -n 1p)"
keys 3
check "3 shows the first rows as a table" wait_for 'firm_root_id +firm_name' 10
save rows
keys 4
check "4 browses every row: the count of the whole CSV" wait_for "rows 1-[0-9]+ of $ref_rows   columns" 30
keys End
last_id="$(tail -n 1 "$ui_csv" | cut -d, -f1)"
check "End shows the last row of the CSV" wait_for "rows [0-9,]+-$ref_rows of $ref_rows" 10
check "and its ID" wait_for "│$last_id +│" 5
save browser-end
keys Home
find_id="$(sed -n 5000p "$ui_csv" | cut -d, -f1)"
keys f
text "$find_id"
keys Enter
check "f finds an ID" wait_for "Found ID '$find_id' at row" 20
keys s
check "s shows the column statistics" wait_for 'Column statistics' 30
save browser-stats
keys Enter
keys Escape
check "Esc goes back to the results" wait_for 'Run 1: COMPLETED' 10

keys F1
check "F1 shows the help with every key" wait_for 'F5, Ctrl-R, Alt-R' 10
save help
keys Escape
keys F7
check "F7 shows the configuration with sources" wait_for 'processing.chunk_size|Session values' 10
save config

# Cancel a run and run the rest: the two partial outputs together are the whole result.
keys M-n
check "M-n goes back to the input for a new run" wait_for 'Choose another input, or F5 runs this one again' 10
keys C-r
check "^R runs again" wait_for 'chunk [0-9]+/20 done' 30
keys Escape
check "Esc asks before cancelling" wait_for 'Cancel run 2\?' 10
save cancel
keys y
check "the cancelled run shows its partial results" wait_for 'Run 2: CANCELLED' 60
check "some chunks were not run" wait_for 'Chunks   20: [0-9]+ succeeded, 0 failed, [1-9][0-9]* not run' 5
save cancelled
keys q
check "q quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 30
check "the terminal is restored (icanon, echo, isig, ixon)" restored
check "the application log has the UI's runs, the screen had none of it" \
  grep -q 'UI run 2 starting' "$tmp/logs/firmquery.log"

# ---------------------------------------------------------------------------------------------------
# Start again on the same output folder: the cancelled run is listed at start and resumed from the list.
echo "tui-e2e: restarted, the unfinished run is listed at start and resumed from the list"
start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 -- demo --size $SIZE --sample $SAMPLE --seed $SEED \
  --out "$tmp/ui" --query "$slow"
if wait_for '── Unfinished runs ──' 180; then
  pass "at start the UI lists the unfinished runs of the output folder"
  check "the list shows the cancelled run with its chunks done" \
    wait_for '│▸ [0-9]{8}_[0-9]{6}-[0-9a-f]{4} +slow_details +demo_sample_ids\.csv +[0-9]+/20 +cancelled' 5
  check "and its details: 20 chunks, some not run" wait_for 'Chunks   [0-9]+ of 20 done, 0 failed, [1-9][0-9]* not run' 5
  save unfinished
  keys r
  check "r resumes it: the rest runs and the results open" wait_for 'Run 1: COMPLETED' 60
  check "all 20 chunks are done after the resume" wait_for 'Chunks   20: 20 succeeded, 0 failed, 0 not run' 5
  csvs="$(ls "$tmp"/ui/firm_query_*[0-9].csv | wc -l)"
  check "the resume replaced the cancelled run's partial files (2 CSVs for 2 run ids)" test "$csvs" -eq 2
  run2="$(ls "$tmp"/ui/firm_query_*[0-9].csv | sort | sed -n 2p)"
  check "cancelled + resumed from the list: the CSV is identical to the headless run's" cmp -s "$run2" "$ref_csv"
  check "the finished run's working folder is gone" test ! -e "$tmp/ui/.firmquery"
  keys M-u
  check "M-u lists the unfinished runs again: none left" wait_for 'No unfinished runs in' 10
  keys Enter
  # The run history reads the folders' reports back: the completed run and the resumed one, and the
  # headless reference run's (every run adds its folder to the user's list of folders used).
  keys M-t
  check "M-t lists the past runs from their reports, newest first" wait_for '3 runs in 2 folders, newest first' 20
  check "the headless run's among them" wait_for 'completed +firm_details +5,000 +[0-9,]+ ' 5
  check "each with its status, query, IDs and rows" \
    wait_for '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{5} +completed +slow_details +5,000 +[0-9,]+ ' 5
  save history
  keys Enter
  check "Enter opens a past run's rows in the result browser" wait_for "rows 1-[0-9]+ of $ref_rows   columns" 30
  keys Escape
  check "Esc goes back to the history" wait_for '── Run history ──' 10
  keys r
  check "r shows its report as written" wait_for '_report.json \(Esc closes\)' 10
  keys Escape
  keys Escape
  keys q
  check "q quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 30
  check "the terminal is restored" restored
else
  fail "at start the UI lists the unfinished runs of the output folder"
fi

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: SIGTERM during a run, on a VT100 without a UTF-8 locale"
start_ui 80 24 TERM=vt100 LANG=C LC_ALL=C -- demo --size $SIZE --sample $SAMPLE --seed $SEED \
  --out "$tmp/term" --query "$slow"
if wait_for '\| ready \|' 180; then
  pass "the UI opens on a VT100 (ASCII status bar)"
  save vt100
  if screen | LC_ALL=C grep -q '[^ -~]'; then fail "only ASCII on a VT100"; else pass "only ASCII on a VT100"; fi
  keys C-r
  check "Ctrl-R runs (no F-keys needed)" wait_for 'chunk [0-9]+/20 done' 30
  pid="$(ui_pid)"
  if [ -n "$pid" ]; then kill -TERM "$pid"; fi
  check "SIGTERM ends the UI with exit code 130" wait_for '^FIRMQUERY_EXIT=130$' 60
  check "the terminal is restored after SIGTERM" restored
  check "the finished chunks were written: report with status cancelled" \
    grep -q '"status": *"cancelled"' "$(ls "$tmp"/term/firm_query_*_report.json 2>/dev/null | sed -n 1p)"
else
  fail "the UI opens on a VT100"
fi

# ---------------------------------------------------------------------------------------------------
for term in xterm-256color screen-256color; do
  echo "tui-e2e: firmquery without a command, TERM=$term, resized live"
  # Password auth, so that no Kerberos ticket is needed to open the UI (it never connects here).
  start_ui 80 24 TERM=$term LANG=C.UTF-8 -- --set database.auth=password
  if wait_for '│ idle │' 60; then
    pass "$term: the UI opens at 80x24"
    check "$term: the window tabs are on the first row" sh -c "tmux -L $sock capture-pane -p -t ui | sed -n 1p | grep -q 'F2/M-i Input'"
    tm resize-window -t ui -x 100 -y 30
    sleep 1
    save "resized-$term"
    check "$term: after resizing to 100x30 the status bar is on row 30" \
      sh -c "[ \$(tmux -L $sock capture-pane -p -t ui | wc -l) -eq 30 ] && tmux -L $sock capture-pane -p -t ui | tail -n 1 | grep -q '│ idle │'"
    tm resize-window -t ui -x 80 -y 24
    sleep 1
    check "$term: back at 80x24 the status bar is on row 24" last_row_matches '│ idle │'
    if [ "$term" = screen-256color ]; then
      # The SSH session dropping sends SIGHUP.
      pid="$(ui_pid)"
      [ -n "$pid" ] && kill -HUP "$pid"
      check "$term: SIGHUP ends the UI with exit code 130" wait_for '^FIRMQUERY_EXIT=130$' 20
    else
      keys F10
      check "$term: F10 quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 20
    fi
    check "$term: the terminal is restored" restored
  else
    fail "$term: the UI opens"
  fi
done

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: a template with a required parameter: the typed form, then the run binds its value"
params_sql="$tmp/from_id.sql"
sed -e '1a -- @param min_id integer   Lowest firm_root_id returned' \
    -e 's/^WHERE t1.firm_root_id IN/WHERE t1.firm_root_id >= {min_id} AND t1.firm_root_id IN/' \
    sql/queries/firm_details.sql > "$params_sql"
start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 -- demo --size $SIZE --sample $SAMPLE --seed $SEED \
  --out "$tmp/params" --query "$params_sql"
if wait_for 'Preview: ready to run' 180; then
  check "the form shows the parameter, required and empty" wait_for '^min_id +error: required \(integer, no default\)' 5
  check "Run waits for it" wait_for 'Run: fix the parameters' 5
  save parameters
  keys F5
  check "F5 says which parameter is missing" wait_for 'Cannot run: parameter min_id: required' 5
  text "1x"
  check "a value that is no integer shows the parser's error as typed" wait_for '^min_id +1x +error: ' 5
  keys BSpace BSpace
  text "0"
  check "a valid value clears the error and enables Run" wait_for '<Run F5/\^R>' 5
  keys F5
  check "the run completes with every row (min_id 0 filters none)" wait_for 'Run 1: COMPLETED' 60
  check "and the same rows and missing IDs as the headless run" wait_for "Rows     $ref_rows   missing IDs $ref_missing_n" 5
  check "the report records the value the form bound" \
    grep -q '"min_id": "0"' "$(ls "$tmp"/params/firm_query_*_report.json | sed -n 1p)"
  keys q
  check "q quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 30
else
  fail "the demo opens with a parameterised query"
fi

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: no traps: q typed on the query list, quitting with a loaded input"
printf '101\n102\n103\n' > "$tmp/three_ids.txt"
start_ui 80 24 TERM=xterm-256color LANG=C.UTF-8 -- --set database.auth=password --set output.default_directory="$tmp/traps"
if wait_for '│ idle │' 60; then
  keys Tab Tab Tab Tab
  text "firm_details.sql q?"
  sleep 0.5
  check "q and ? typed on the query list neither quit nor open the help" \
    sh -c "! tmux -L $sock capture-pane -p -t ui | grep -qE '^FIRMQUERY_EXIT=|Help: keys' && tmux -L $sock capture-pane -p -t ui | tail -n 1 | grep -q '│ idle │'"
  keys M-n   # New run: the focus goes to the ID file field
  text "$tmp/three_ids.txt"
  keys Enter
  check "the ID file loads" wait_for 'Preview: ready to run' 30
  keys F10
  check "F10 with a loaded input that never ran asks first" wait_for 'The loaded input was not run yet' 10
  save quit-loaded
  keys n
  check "n stays" sh -c "! tmux -L $sock capture-pane -p -t ui | grep -qE '^FIRMQUERY_EXIT=|not run yet'"
  keys F10
  keys y
  check "y quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 20
  check "the terminal is restored" restored
else
  fail "the UI opens for the no-traps case"
fi

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: a bracketed paste of 100,000 IDs"
seq 10000001 10100000 > "$tmp/paste_ids.txt"
start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 -- --set database.auth=password --set output.default_directory="$tmp/paste"
if wait_for '│ idle │' 60; then
  tm load-buffer "$tmp/paste_ids.txt"
  paste_start=$(date +%s%N)
  tm paste-buffer -p -t ui   # -p: bracketed, as the UI asked for mode 2004
  if wait_for 'Pasted: 100,000 values' 60; then
    paste_ms=$(( ($(date +%s%N) - paste_start) / 1000000 ))
    pass "the paste window opens holding the paste, counted exactly: 100,000 values (${paste_ms} ms)"
    check "the whole paste arrived in under 10 s" test "$paste_ms" -lt 10000
    save paste-100k
    keys Enter
    check "Enter loads them: 100,000 valid IDs, none lost or split" wait_for 'IDs    100,000 valid, 0 duplicates, 0 invalid, 0 blank' 60
    keys F10
    keys y
    check "quit after the paste: exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 20
    check "the terminal is restored (bracketed paste off again)" restored
  else
    fail "the paste window opens holding the paste, counted exactly"
  fi
else
  fail "the UI opens for the paste case"
fi

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: connection profiles: the user's environments, a failing and a passing test, a switch"
# A PostgreSQL server of its own (the demo's is gone with the demo), reached through the user's overlays
# in ~/.config/firmquery/environments (user.home points the JVM at $tmp/home): local on its port,
# closed on port 1, where nothing listens on 127.0.0.1.
mkfifo "$tmp/pg.in"
java -cp target/firmquery.jar .ci/LocalPostgres.java <"$tmp/pg.in" >"$tmp/pg.line" 2>"$tmp/pg.err" &
pg_pid=$!
exec 9>"$tmp/pg.in"   # the server stops when this closes (stop_pg, or the script's end)
end=$((SECONDS + 120))
while [ ! -s "$tmp/pg.line" ] && kill -0 "$pg_pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.5; done
if read -r pg_host pg_port pg_db pg_user pg_password <"$tmp/pg.line" && [ -n "${pg_password:-}" ]; then
  pass "a PostgreSQL server for the profiles: $pg_host:$pg_port"
  envs="$tmp/home/.config/firmquery/environments"
  mkdir -p "$envs" "$tmp/home/.config/firmquery/queries"
  chmod 700 "$tmp/home" "$tmp/home/.config" "$tmp/home/.config/firmquery" "$envs" "$tmp/home/.config/firmquery/queries"
  for e in "local $pg_port" "closed 1"; do
    set -- $e
    printf 'database:\n  host: %s\n  port: %s\n  database: %s\n  user: %s\n  auth: password\n  ssl_mode: disable\n  connection_timeout: 5\n' \
      "$pg_host" "$2" "$pg_db" "$pg_user" > "$envs/$1.yaml"
    chmod 600 "$envs/$1.yaml"
  done
  # Four seconds per chunk on any database (no tables needed): long enough to try a switch during it.
  # Named to sort first, so it is the query list's first entry and chosen.
  printf -- '-- Slow: each chunk waits four seconds, then returns its IDs.\nSELECT g AS firm_root_id\nFROM generate_series(1, 1000) g\nCROSS JOIN (SELECT pg_sleep(4)) pause\nWHERE g IN ({ID_PLACEHOLDER})\n' \
    > "$tmp/home/.config/firmquery/queries/a_slow_ids.sql"
  chmod 600 "$tmp/home/.config/firmquery/queries/a_slow_ids.sql"
  printf '101\n102\n103\n' > "$tmp/profile_ids.txt"
  start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 JAVA_OPTS=-Duser.home="$tmp/home" \
    FIRMQUERY_DATABASE_PASSWORD="$pg_password" -- --set database.auth=password \
    --set output.default_directory="$tmp/profiles"
  if wait_for '│ idle │' 60; then
    keys M-e
    check "M-e lists the environments, the user's own among them" wait_for 'closed +.*closed\.yaml \(yours\)' 20
    check "and (none), in use, first" wait_for '│▸ \* \(none\)' 5
    # The list: (none), closed, dev, local, prod.example; letters are the window's keys, arrows move.
    keys Down
    # From (none): host, port, database, user, ssl_mode and connection_timeout change.
    check "choosing closed shows what it changes" wait_for 'What closed changes: 6 settings' 20
    check "each from where to where, and from which file" wait_for 'database\.host +localhost -> 127\.0\.0\.1' 5
    keys t
    check "t tests closed: the connect step fails" wait_for 'FAIL +connect +127\.0\.0\.1:1/' 30
    check "with the fix" wait_for 'check database\.host' 5
    check "and the summary" wait_for 'checks failed \(connect' 10
    save profiles-test-failing
    keys Down Down
    check "choosing local shows what it changes" wait_for 'What local changes: 6 settings' 20
    keys t
    check "t tests local: the connect step passes on the real PostgreSQL" wait_for "ok +connect +127\.0\.0\.1:$pg_port/$pg_db as $pg_user" 30
    check "every check passes" wait_for 'all checks passed' 30
    save profiles-test-passing
    keys s
    check "s switches to local" wait_for 'Switched to local\.' 30
    keys Escape
    check "the status bar names the environment in use" wait_for "^ local: 127\.0\.0\.1:$pg_port/$pg_db │ idle │" 5
    keys M-n
    text "$tmp/profile_ids.txt"
    keys Enter
    check "the IDs load with the slow query" wait_for 'Query  a_slow_ids' 30
    keys F5
    check "F5 runs on local" wait_for '│ running' 30
    keys M-e
    check "M-e opens the profiles during the run, local in use" wait_for '\* local' 20
    keys Up Up
    check "choosing closed during the run: only the port differs from local" wait_for 'What closed changes: 1 setting' 20
    keys s
    check "s during the run is refused, saying what to do" wait_for 'A run is in progress: switch after it ends, or cancel it' 10
    save profiles-switch-refused
    check "the run goes on, on local" wait_for "^ local: 127\.0\.0\.1:$pg_port/$pg_db │ running" 5
    check "the run completes on local" wait_for '│ run 1 completed' 60
    check "its 3 rows came from local's server" \
      test "$(tail -n +2 "$(ls "$tmp"/profiles/firm_query_*[0-9].csv | sed -n 1p)" | wc -l)" -eq 3
    keys Escape
    keys F10
    keys y
    check "quit: exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 20
    check "the log records the switch" grep -q 'switched to environment local' "$tmp/logs/firmquery.log"
  else
    fail "the UI opens for the profiles case"
  fi

  # ---------------------------------------------------------------------------------------------------
  echo "tui-e2e: the result browser over a 2,000,000-row result, opened from the history"
  # A headless run on the same server writes it: 1,000 IDs, each 2,000 rows (4 chunks of 500,000 rows).
  printf -- '-- Two million rows: 2,000 for each ID.\nSELECT i AS firm_root_id, n, '"'"'row '"'"' || n AS label\nFROM generate_series(1, 1000) i\nCROSS JOIN generate_series(1, 2000) n\nWHERE i IN ({ID_PLACEHOLDER})\nORDER BY i, n\n' \
    > "$tmp/big_rows.sql"
  seq 1 1000 > "$tmp/big_ids.txt"
  if env JAVA_OPTS=-Duser.home="$tmp/home" FIRMQUERY_DATABASE_PASSWORD="$pg_password" bin/firmquery run --env local \
      --set database.auth=password --ids "$tmp/big_ids.txt" --query "$tmp/big_rows.sql" --out "$tmp/big" \
      --format csv >"$tmp/big.out" 2>"$tmp/big.err"; then
    big_csv="$(ls "$tmp"/big/firm_query_*[0-9].csv | sed -n 1p)"
    check "a headless run wrote 2,000,000 rows" test "$(data_rows "$big_csv" | wc -l)" -eq 2000000
    start_ui 80 24 TERM=tmux-256color LANG=C.UTF-8 JAVA_OPTS=-Duser.home="$tmp/home" \
      FIRMQUERY_DATABASE_PASSWORD="$pg_password" -- --env local --set database.auth=password \
      --set output.default_directory="$tmp/big"
    if wait_for '│ idle │' 60; then
      keys M-t
      check "M-t lists the 2,000,000-row run" wait_for 'completed +big_rows +1,000 +2,000,000' 30
      keys Enter
      check "Enter browses it: every row counted" wait_for 'rows 1-[0-9]+ of 2,000,000   columns' 60
      save browser-2m
      keys End
      check "End shows the last row" wait_for 'rows [0-9,]+-2,000,000 of 2,000,000' 20
      check "with the last ID and its last n" wait_for '│1000 +│2000 +row 2000 ' 5
      keys Home
      check "Home goes back to the first row" wait_for 'rows 1-[0-9]+ of 2,000,000' 20
      check "with the first ID" wait_for '│1 +│1 +row 1 ' 5
      keys Escape
      keys Escape
      keys F10
      sleep 1
      screen | grep -qE '^FIRMQUERY_EXIT=' || keys y
      check "quit: exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 20
    else
      fail "the UI opens for the 2,000,000-row browse"
    fi
  else
    cat "$tmp/big.err"; fail "a headless run of 2,000,000 rows"
  fi
else
  cat "$tmp/pg.err"; fail "a PostgreSQL server for the profiles"
fi
stop_pg

# ---------------------------------------------------------------------------------------------------
echo "tui-e2e: no terminal"
bin/firmquery </dev/null >"$tmp/notty.out" 2>&1
code=$?
check "without a terminal firmquery exits with 2" test "$code" -eq 2
check "and says how to run headless" grep -q "needs a terminal.*firmquery run --ids" "$tmp/notty.out"

tm kill-server >/dev/null 2>&1 || true
finish
