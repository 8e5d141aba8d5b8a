#!/usr/bin/env bash
# End-to-end test of the release (docs/decisions.md, "A release with its own Java runtime"): builds the
# tarball and the .deb with `mvn -B -Pdist package`, then uses them the way a jump host would:
#   1. the tarball unpacked into a fresh folder by an unprivileged user whose PATH has no java and no mvn:
#      --version (the bundled runtime), queries, demo --headless, and the full-screen UI in tmux;
#   2. the .deb installed with dpkg -i: the same as that user through /usr/bin/firmquery, then purged;
#   3. target/firmquery.jar alone in an empty folder (java -jar): the built-in queries and defaults;
#   4. Kerberos from the unpacked tarball: check and run against a real KDC and GSS PostgreSQL
#      (kerberos.ReleaseKerberosTest, which starts the unpacked launcher as a separate process).
# Each step checks the files it wrote (the CSV has rows, the report says completed), not only exit codes.
#
#   .ci/release-e2e.sh               # as root (useradd, runuser, dpkg -i); Debian 12 with tmux
#   RELEASE_E2E_SKIP_BUILD=1 .ci/release-e2e.sh   # reuse target/ from an earlier mvn -Pdist package
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$(date +%s)

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...: pass when COMMAND succeeds
  local what="$1"; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  echo "release-e2e: $passed passed, $failed failed in $(( $(date +%s) - started )) s"
  [ "$failed" -eq 0 ]
  exit
}

[ "$(id -u)" -eq 0 ] || { echo "release-e2e: run as root (it creates a user and installs the .deb)"; fail "root"; finish; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/firmquery-release-e2e.XXXXXX")"
chmod 755 "$tmp"
sock="firmquery-release-$$"
user=firmquery-ci
installed_deb=""
cleanup() {
  runuser -u "$user" -- tmux -L "$sock" kill-server >/dev/null 2>&1 || true
  if [ -n "$installed_deb" ]; then
    dpkg --purge firmquery >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "release-e2e: interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------
echo "release-e2e: build"
version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | sed -n 1p)"
tarball="target/firmquery-$version-linux-x64.tar.gz"
deb="target/firmquery_${version//-/\~}_amd64.deb"
if [ -z "${RELEASE_E2E_SKIP_BUILD:-}" ]; then
  t0=$(date +%s)
  if ! mvn -B -q -Pdist -Ddist.deb=yes -DskipTests package >"$tmp/build.log" 2>&1; then
    tail -n 40 "$tmp/build.log"; fail "mvn -B -Pdist package"; finish
  fi
  pass "mvn -B -Pdist -DskipTests package in $(( $(date +%s) - t0 )) s"
fi
check "the tarball $tarball exists" test -s "$tarball"
check "the package $deb exists" test -s "$deb"
[ -s "$tarball" ] && [ -s "$deb" ] || finish
echo "  size: tarball $(du -h "$tarball" | cut -f1), .deb $(du -h "$deb" | cut -f1)"

# The unprivileged user of a jump host, and a PATH with everything of /usr/bin but Java and Maven.
# A real home, as a jump host's users have (Java takes user.home from the password database, not HOME).
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin "$user"
home="$(getent passwd "$user" | cut -d: -f6)"
if [ ! -d "$home" ] || [ "$home" = /nonexistent ]; then
  home="/home/$user"
  mkdir -p "$home" && chown "$user" "$home" && usermod --home "$home" "$user"
fi
# No class data archives from an earlier run of this script: the tarball's first run must make one.
rm -rf "$home/.cache/firmquery/cds"
nojava="$tmp/path"
mkdir -p "$nojava"
for f in /usr/bin/* /bin/*; do
  target="$(readlink -f "$f")"
  case "$target" in /usr/lib/jvm/*|/usr/share/maven/*) continue ;; esac
  case "${f##*/}" in java|javac|jar|jlink|jdeps|jshell|keytool|mvn|mvnDebug|firmquery) continue ;; esac
  ln -sf "$f" "$nojava/${f##*/}"
done
as_user() { # as_user COMMAND...: as the unprivileged user, with a bare environment and no Java on PATH
  runuser -u "$user" -- env -i PATH="$nojava" HOME="$home" LANG=C.UTF-8 "$@"
}
check "the test user has no java on PATH" bash -c "! env -i PATH='$nojava' bash -c 'command -v java' >/dev/null"
check "the test user has no mvn on PATH" bash -c "! env -i PATH='$nojava' bash -c 'command -v mvn' >/dev/null"

field() { grep -E "^  $1 " "$2" | sed -n 1p | awk '{print $2}'; }
outputs_ok() { # outputs_ok DIR: the demo's four files exist, the CSV has rows and the report says completed
  local dir="$1" csv report
  csv="$(ls "$dir"/firm_query_*[0-9].csv 2>/dev/null | sed -n 1p)"
  report="$(ls "$dir"/firm_query_*_report.json 2>/dev/null | sed -n 1p)"
  [ -n "$csv" ] && [ -n "$report" ] || { echo "  ... no CSV or report in $dir: $(ls "$dir" 2>&1)"; return 1; }
  ls "$dir"/firm_query_*.xlsx "$dir"/firm_query_*_missing.csv >/dev/null || return 1
  [ "$(tail -n +2 "$csv" | wc -l)" -gt 0 ] || { echo "  ... $csv has no data rows"; return 1; }
  grep -qE '"status" *: *"completed"' "$report" || { echo "  ... $report: $(grep -E '"status"' "$report")"; return 1; }
}
demo_ok() { # demo_ok NAME LAUNCHER...: a headless demo as the test user, then its outputs
  local name="$1"; shift
  local out="$tmp/$name-out"
  mkdir -p "$out" && chown "$user" "$out"
  # From the user's home, as on a jump host (a ./sql/queries of the current directory is a query root too).
  if ! as_user bash -c 'cd "$HOME" && "$@"' firmquery "$@" demo --headless --size 5000 --sample 500 --out "$out" \
      >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    tail -n 20 "$tmp/$name.err"; return 1
  fi
  outputs_ok "$out" && echo "  ... $(field rows "$tmp/$name.out") rows, $(field missing "$tmp/$name.out") missing IDs"
}

# ---------------------------------------------------------------------------------------------------
echo "release-e2e: the tarball, unpacked into a fresh folder by $user"
unpack="$tmp/unpacked"
mkdir -p "$unpack" && chown "$user" "$unpack"
check "$user unpacks the tarball" as_user tar -xzf "$repo/$tarball" -C "$unpack"
install_dir="$unpack/firmquery-$version"
fq="$install_dir/bin/firmquery"
for f in bin/firmquery runtime/bin/java lib/firmquery.jar config/default.yaml sql/queries/firm_details.sql \
    man/man1/firmquery.1 completions/bash/firmquery completions/zsh/_firmquery README.md docs/configuration.md \
    licenses/THIRD-PARTY.md licenses/java-runtime/java.base/LICENSE licenses/texts/Apache-2.0.txt \
    licenses/postgresql-binaries/postgresql.txt; do
  check "the install has $f" test -e "$install_dir/$f"
done
check "no file of the install is writable by group or others" \
  test -z "$(find "$install_dir" -perm /022 ! -type l -print -quit)"
check "every bundled library has a row in THIRD-PARTY.md" \
  test "$(grep -c '^| [a-z].*:.* | [0-9]' "$install_dir/licenses/THIRD-PARTY.md")" -ge 20
check "the bash completion loads and completes commands" bash -c "source '$install_dir/completions/bash/firmquery' \
  && COMP_WORDS=(firmquery de) COMP_CWORD=1 && _firmquery && [ \"\${COMPREPLY[*]}\" = demo ]"
check "the bash completion offers configuration keys for --set" bash -c "source '$install_dir/completions/bash/firmquery' \
  && COMP_WORDS=(firmquery run --set processing.chunk_) COMP_CWORD=3 && _firmquery \
  && [ \"\${COMPREPLY[*]}\" = processing.chunk_size= ]"
if command -v man >/dev/null 2>&1; then
  check "the man page renders" bash -c "MANWIDTH=80 man -l '$install_dir/man/man1/firmquery.1' 2>/dev/null | grep -q 'EXIT STATUS'"
fi
as_user "$fq" --version >"$tmp/version.out" 2>&1
check "--version names the version and the bundled runtime" \
  grep -q "^runtime: $install_dir/runtime$" "$tmp/version.out"
check "--version names the version" grep -qx "firmquery $version" "$tmp/version.out"
check "--version names the commit (or unknown without git)" grep -qE '^commit:  ([0-9a-f]{7,}|unknown)' "$tmp/version.out"
check "--version names the build time" grep -qE '^built:   [0-9]{4}-[0-9]{2}-[0-9]{2}T' "$tmp/version.out"
as_user bash -c "cd '$home' && '$fq' queries" >"$tmp/queries.out" 2>&1
check "queries lists the install's shipped queries" grep -q "$install_dir/sql/queries/firm_details.sql" "$tmp/queries.out"
check "demo --headless from the tarball as $user" demo_ok tarball "$fq"
check "the run is in $user's audit trail" grep -q "$tmp/tarball-out" "$home/.local/state/firmquery/logs/audit.log"
logs="$home/.local/state/firmquery/logs"
check "the application log records the run" grep -qE '^[0-9T:.-]+(Z|[+-][0-9:]+) INFO  \[main\] dev\.firmquery\.run\.RunEngine - run .* completed' "$logs/firmquery.log"
check "the log folder is 0700, the log and the audit trail 0600" \
  bash -c "[ \"\$(stat -c %a '$logs' '$logs/firmquery.log' '$logs/audit.log' | tr '\n' ' ')\" = '700 600 600 ' ]"
check "the audit trail holds JSON lines only" bash -c "! grep -qv '^{.*}\$' '$logs/audit.log'"

# Class data sharing (src/dist/lib/cds.bash): the demo above was the user's first run with this jar,
# so the launcher ran the JVM as its child and kept the archive it wrote at its exit.
cds="$home/.cache/firmquery/cds"
cds_archives() { find "$cds" -maxdepth 1 -type f -name '*.jsa' 2>/dev/null | wc -l; }
cds_mapped() { # cds_mapped COMMAND...: the number of dynamic-archive regions the JVM of COMMAND mapped
  as_user JAVA_OPTS=-Xlog:cds=info bash -c 'cd "$HOME" && "$@"' firmquery "$@" 2>/dev/null | grep -c 'Mapped dynamic region'
}
one_archive_named_by_size() { # the folder is the user's and 0700, with one archive whose name gives its size
  local f size
  [ "$(stat -c '%U %a' "$cds")" = "$user 700" ] && [ "$(cds_archives)" -eq 1 ] || return 1
  f="$(ls "$cds"/*.jsa)" && size="${f##*-}" && [ "$(stat -c %s "$f")" = "${size%.jsa}" ]
}
check "the first demo made one class data archive, named with its size, in a 0700 folder of $user's" \
  one_archive_named_by_size
check "the next command maps it" test "$(cds_mapped "$fq" queries)" -gt 0
cut_archive_ignored() { # an archive cut short under its name: the command runs, maps nothing, the file goes
  as_user bash -c 'f=$(ls "$1"/*.jsa) && cp "$f" "$f.cut" && chmod u+w "$f.cut" && truncate -s 4000000 "$f.cut" \
    && mv -f "$f.cut" "$f"' cut "$cds" || return 1
  as_user JAVA_OPTS=-Xlog:cds=info "$fq" config >"$tmp/cut.out" 2>&1 || { tail -5 "$tmp/cut.out"; return 1; }
  ! grep -q 'Mapped dynamic region' "$tmp/cut.out" && [ "$(cds_archives)" -eq 0 ]
}
check "an archive cut short is never mapped (the JVM would crash on it) and is removed" cut_archive_ignored
as_user bash -c 'cd "$HOME" && "$@"' demo "$fq" demo --headless --size 2000 --sample 500 --out "$tmp/tarball-out/again" \
  >/dev/null 2>&1
check "the next run makes a new one" test "$(cds_archives)" -eq 1
chmod 0770 "$cds"
check "a cache folder that group or others can write is not used" test "$(cds_mapped "$fq" queries)" -eq 0
chmod 0700 "$cds"
check "FIRMQUERY_CDS=off maps nothing" test "$(cds_mapped env FIRMQUERY_CDS=off "$fq" queries)" -eq 0
rm -f "$cds"/*.jsa
as_user bash -c 'cd "$HOME" && "$1" run --ids /nonexistent.csv --query firm_details' fq "$fq" >/dev/null 2>&1
check "a first run that fails keeps no archive" test -z "$(ls -A "$cds")"
# TERM to the launcher of a first run (not exec'ed then) reaches the JVM: a database that accepts the
# connection and never answers holds the run until the signal. The signal goes only once the run has
# connected (the mute server writes mute-accepted), which is after the run installed its handlers: a
# fixed sleep raced a slow first start, whose JVM a TERM before the handlers ends with 143.
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True); c, _ = s.accept(); open(sys.argv[1], "w").write("accepted"); time.sleep(120)' \
  "$tmp/mute-accepted" >"$tmp/mute-port" &
mute=$!
for _ in $(seq 1 50); do [ -s "$tmp/mute-port" ] && break; sleep 0.1; done
printf 'firm_root_id\n1\n2\n' >"$tmp/two-ids.csv" && chmod 644 "$tmp/two-ids.csv"
as_user FIRMQUERY_DATABASE_HOST=127.0.0.1 FIRMQUERY_DATABASE_PORT="$(cat "$tmp/mute-port")" FIRMQUERY_DATABASE_AUTH=password \
  FIRMQUERY_DATABASE_USER=x \
  FIRMQUERY_DATABASE_PASSWORD=x FIRMQUERY_DATABASE_SSL_MODE=disable bash -c 'cd "$HOME" && exec "$1" run --ids "$2" \
  --query firm_details --out "$3"' fq "$fq" "$tmp/two-ids.csv" "$tmp/tarball-out/muted" >"$tmp/term.out" 2>&1 &
first=$!
for _ in $(seq 1 600); do [ -s "$tmp/mute-accepted" ] && break; sleep 0.1; done
[ -s "$tmp/mute-accepted" ] || echo "  ... the first run did not connect to the mute server within 60 s"
launcher="$(pgrep -u "$user" -f 'bin/firmquery run --ids' | sed -n 1p)"
[ -n "$launcher" ] && [ "$(cat "/proc/$launcher/comm" 2>/dev/null)" = bash ] || echo "  ... no launcher process of the first run"
kill -TERM "${launcher:-$first}"
wait "$first"
term_status=$?
kill "$mute" 2>/dev/null
check "TERM to the launcher of a first run cancels the run in the JVM (exit 130)" test "$term_status" -eq 130
check "... and leaves no JVM and no archive behind" bash -c "! pgrep -u '$user' -f runtime/bin/java >/dev/null && [ -z \"\$(ls -A '$cds')\" ]"
grep -q 'SIGTERM received' "$tmp/term.out" || sed 's/^/  | /' "$tmp/term.out"

# The full-screen UI from the tarball, in tmux as the same user: the demo opens, F5 runs, q quits. No
# archive is there, so this is a first run too: the JVM is the launcher's child, on the terminal.
if command -v tmux >/dev/null 2>&1; then
  ui_out="$tmp/ui-out"
  mkdir -p "$ui_out" && chown "$user" "$ui_out"
  cat >"$tmp/pane.sh" <<EOF
#!/usr/bin/env bash
cd $(printf %q "$home")
$(printf %q "$fq") demo --size 5000 --sample 500 --out $(printf %q "$ui_out")
echo "FIRMQUERY_EXIT=\$?"
sleep 600
EOF
  chmod 755 "$tmp/pane.sh"
  # SHELL: tmux starts the pane with the user's shell, and a service user's is nologin.
  tm() { as_user TERM=xterm-256color SHELL=/bin/bash tmux -L "$sock" "$@"; }
  screen() { tm capture-pane -p -t ui; }
  wait_for() { # wait_for REGEX SECONDS
    local end=$((SECONDS + $2))
    while [ $SECONDS -lt $end ]; do
      screen | grep -qE -- "$1" && return 0
      sleep 0.3
    done
    echo "  ... no /$1/ after $2 s; the screen:"; screen | sed 's/^/  | /'; return 1
  }
  tm new-session -d -s ui -x 100 -y 30 "$tmp/pane.sh"
  check "the UI opens with the demo's sample loaded" wait_for '│ ready │' 180
  check "the UI offers to run it" wait_for 'Run F5' 60
  tm send-keys -t ui F5
  check "F5 runs it to the results window" wait_for 'Run 1: COMPLETED' 120
  tm send-keys -t ui q
  check "q quits with exit code 0" wait_for '^FIRMQUERY_EXIT=0$' 30
  check "the UI's run wrote its files" outputs_ok "$ui_out"
  check "the UI session, a first run, made the class data archive at its end" test "$(cds_archives)" -eq 1
  tm kill-server >/dev/null 2>&1 || true
else
  fail "tmux is installed (Debian: apt-get install tmux), for the UI from the tarball"
fi

# ---------------------------------------------------------------------------------------------------
echo "release-e2e: the .deb, installed with dpkg -i"
if dpkg -s firmquery >/dev/null 2>&1; then
  fail "firmquery is not installed already (dpkg -s firmquery): not touching an existing installation"
elif DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
  installed_deb=1
  pass "dpkg -i $deb"
  check "/usr/bin/firmquery leads to /opt/firmquery" test "$(readlink -f /usr/bin/firmquery)" = /opt/firmquery/bin/firmquery
  check "/etc/firmquery/config.yaml is a conffile" grep -qx /etc/firmquery/config.yaml /var/lib/dpkg/info/firmquery.conffiles
  check "the man page is installed" test -s /usr/share/man/man1/firmquery.1.gz
  check "the bash completion is installed" test -s /usr/share/bash-completion/completions/firmquery
  check "the zsh completion is installed" test -s /usr/share/zsh/vendor-completions/_firmquery
  as_user /usr/bin/firmquery --version >"$tmp/deb-version.out" 2>&1
  check "the package's firmquery runs on its own runtime" grep -q '^runtime: /opt/firmquery/runtime$' "$tmp/deb-version.out"
  check "demo --headless from the package as $user" demo_ok deb /usr/bin/firmquery
  if dpkg --purge firmquery >"$tmp/purge.log" 2>&1; then
    installed_deb=""
    check "dpkg --purge removes /opt/firmquery and /usr/bin/firmquery" \
      test ! -e /opt/firmquery -a ! -e /usr/bin/firmquery -a ! -e /etc/firmquery/config.yaml
  else
    cat "$tmp/purge.log"; fail "dpkg --purge firmquery"
  fi
else
  cat "$tmp/dpkg.log"; fail "dpkg -i $deb"
fi

# ---------------------------------------------------------------------------------------------------
echo "release-e2e: target/firmquery.jar alone in an empty folder (java -jar)"
alone="$tmp/alone"
mkdir -p "$alone" && cp target/firmquery.jar "$alone/" && chown -R "$user" "$alone"
jar_user() { runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$home" bash -c "cd '$alone' && java -jar firmquery.jar $*"; }
jar_user queries >"$tmp/alone-queries.out" 2>&1
check "queries names the jar's built-in queries" \
  grep -q "built in: jar:file://$alone/firmquery.jar!/sql/queries/firm_details.sql" "$tmp/alone-queries.out"
if jar_user demo --headless --size 5000 --sample 500 --out out >"$tmp/alone.out" 2>"$tmp/alone.err"; then
  check "demo --headless from the jar alone: outputs" outputs_ok "$alone/out"
  check "the demo ran the built-in firm_details" grep -q 'query: firm_details jar:file:' "$tmp/alone.err"
else
  tail -n 20 "$tmp/alone.err"; fail "demo --headless from the jar alone"
fi
check "nothing but the jar and the output folder in the empty folder" \
  test "$(ls "$alone" | tr '\n' ' ')" = "firmquery.jar out "

# ---------------------------------------------------------------------------------------------------
echo "release-e2e: Kerberos (check and run) from the unpacked tarball"
if mvn -B -q test -Dtest=ReleaseKerberosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfirmquery.dist="$install_dir" >"$tmp/kerberos.log" 2>&1 \
    && grep -q 'tests="4" errors="0" skipped="0" failures="0"' target/surefire-reports/TEST-dev.firmquery.kerberos.ReleaseKerberosTest.xml; then
  pass "ReleaseKerberosTest: --version, check, run with a ticket cache, run with a keytab"
else
  tail -n 60 "$tmp/kerberos.log"; fail "ReleaseKerberosTest against $install_dir"
fi

finish
