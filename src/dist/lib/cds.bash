# Class data sharing for the firmquery launchers: sourced by bin/firmquery (a checkout) and by the
# release's bin/firmquery, never run on its own. Nothing here may stop firmquery from starting: every
# check that fails leaves the JVM without an archive, as before.
#
# Why: the JVM maps an archive of the classes a run loads instead of loading, verifying and linking
# them again at every start. Measured on 2 cores (docs/performance.md, "Class data sharing"): a 1M-ID
# run -0.25 s of wall time and -0.4 s of CPU, `firmquery check` 0.44 s against 0.66 s, `firmquery
# config` 0.22 s against 0.34 s.
#
# How, and why so: Java 17 ties a dynamic archive (-XX:ArchiveClassesAtExit) to the jar's absolute
# path and to the JVM build, so a release cannot ship one; each user makes their own, at the end of
# their first run, UI session or demo with this jar and JVM (Java 19's -XX:+AutoCreateSharedArchive
# does the same). A truncated archive crashes the JVM at start (SIGSEGV, also with
# -XX:+VerifySharedSpaces), so an archive is written under a temporary name, started once by a JVM of
# its own (the probe) and only then renamed to KEY-SIZE.jsa, and one whose size is not its name's is
# never used. It lives in ${XDG_CACHE_HOME:-~/.cache}/firmquery/cds, a folder that must be the user's,
# with no symbolic link and nothing writable by group or others (the JVM trusts an archive's classes
# as it trusts the jar). Deleting the folder is always safe. FIRMQUERY_CDS=off turns all of it off;
# JAVA_OPTS that choose CDS options themselves (-Xshare, SharedArchiveFile, ArchiveClassesAtExit)
# turn it off too.
#
# cds_plan JAVA JAR [ARG...]   sets cds_opts (JVM options: the archive to map, or to write at exit)
#                              and cds_pending (the temporary archive the JVM writes; empty: exec as usual)
# cds_run_then_keep JVM_COMMAND...  runs the JVM as a child (signals forwarded), then keeps its archive
#                              if it exited 0 and the probe starts with it; exits with the JVM's status

cds_opts=()
cds_pending=""
cds_final=""

# The folder of the archives: created 0700 when missing; empty output when it is not safe to use.
cds_dir() {
  local base="${XDG_CACHE_HOME:-}"
  [[ "$base" == /* ]] || base="${HOME:-}/.cache"
  [[ "$base" == /* ]] || return 0
  local dir="$base/firmquery/cds" d me
  me="$(id -u)"
  [ -d "$dir" ] || { mkdir -p -- "$base" && mkdir -p -m 0700 -- "$base/firmquery" && mkdir -m 0700 -- "$dir"; } \
    >/dev/null 2>&1 || return 0
  for d in "$base" "$base/firmquery" "$dir"; do
    [ -d "$d" ] && [ ! -L "$d" ] || return 0
    [ -z "$(find "$d" -maxdepth 0 \( ! -user "$me" -o -perm /022 \) -print 2>/dev/null)" ] || return 0
  done
  printf '%s' "$dir"
}

cds_plan() {
  local java="$1" jar="$2"
  shift 2
  cds_opts=()
  cds_pending=""
  cds_final=""
  case "${FIRMQUERY_CDS:-on}" in off | 0 | no | false) return 0 ;; esac
  [[ "${JAVA_OPTS:-}" =~ Xshare|SharedArchiveFile|ArchiveClassesAtExit|DumpLoadedClassList ]] && return 0
  local dir
  dir="$(cds_dir)"
  [ -n "$dir" ] || return 0
  local java_real libjvm key me
  java_real="$(readlink -f -- "$(command -v -- "$java")" 2>/dev/null)" || return 0
  libjvm="$(dirname -- "$java_real")/../lib/server/libjvm.so"
  # The JVM itself refuses an archive of another jar or JVM build; the key only keeps one archive per
  # jar and JVM, so that a new version makes its own instead of finding the old one refused.
  key="$( { printf '%s\n' "$jar" "$java_real"; stat -L -c '%s %Y %i' -- "$jar" "$java_real" "$libjvm"; } 2>/dev/null \
    | sha256sum | cut -c1-16)" || return 0
  me="$(id -u)"
  local f size
  for f in "$dir/$key"-*.jsa; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    size="${f##*-}"
    size="${size%.jsa}"
    [ -z "$(find "$f" -maxdepth 0 \( ! -user "$me" -o -perm /022 \) -print 2>/dev/null)" ] || continue
    if [ "$(stat -c %s -- "$f" 2>/dev/null)" != "$size" ]; then
      rm -f -- "$f" # cut short (a full disk, a copy): never mapped; the next run makes a new one
      continue
    fi
    cds_opts=("-XX:SharedArchiveFile=$f" -Xlog:cds=off -Xlog:cds+dynamic=off)
    return 0
  done
  # No archive yet: the commands that load most of the classes make one (a run, a batch, the demo, the
  # full-screen UI); --help, --version, config, queries and the like would make a poor one.
  case "${1:-}" in
    run | batch | demo | "") ;;
    --help | -h | --version | help) return 0 ;;
    -*) ;;
    *) return 0 ;;
  esac
  find "$dir" -maxdepth 1 -name '*.tmp' -user "$me" -mmin +1440 -delete 2>/dev/null || true
  cds_pending="$dir/$key.$$.tmp"
  cds_final="$dir/$key"
  cds_opts=("-XX:ArchiveClassesAtExit=$cds_pending" -Xlog:cds=off -Xlog:cds+dynamic=off)
}

# The JVM of the first run with this jar: a child of the launcher, not exec'ed, so that the archive it
# writes at its exit can be checked and renamed. Its standard input is the launcher's (a background
# job's would be /dev/null); it is in the launcher's process group, so Ctrl-C, Ctrl-\ and the terminal
# reach it directly (the launcher only waits); TERM and HUP sent to the launcher are passed on.
cds_run_then_keep() {
  local pid status=0
  if { true <&0; } 2>/dev/null; then
    "$@" <&0 &
  else
    "$@" </dev/null & # standard input closed (<&-): the JVM's is empty instead of the launcher failing
  fi
  pid=$!
  trap 'kill -s TERM "$pid" 2>/dev/null || true' TERM
  trap 'kill -s HUP "$pid" 2>/dev/null || true' HUP
  trap ':' INT QUIT
  while :; do
    wait "$pid" && status=0 || status=$?
    kill -0 "$pid" 2>/dev/null || break
  done
  trap - TERM HUP INT QUIT
  cds_keep "$status" "$@" || true
  exit "$status"
}

# cds_keep STATUS JVM_COMMAND...: renames the pending archive into use, or removes it.
cds_keep() {
  local status="$1" java="$2" pending="$cds_pending"
  shift 2
  [ -n "$pending" ] || return 0
  if [ "$status" -ne 0 ] || [ ! -f "$pending" ] || [ -L "$pending" ] || [ ! -s "$pending" ]; then
    rm -f -- "$pending"
    return 0
  fi
  # The probe: the command's heap and collector options (they decide how an archive maps), the new
  # archive required (-Xshare:on), the command's jar as class path, and no other option of JAVA_OPTS, so
  # that it writes no log, recording or dump of its own; nothing is left behind if it crashes.
  local args=() a next="" cp=""
  for a in "$@"; do
    if [ -n "$next" ]; then cp="$a"; break; fi
    case "$a" in
      -jar) next=1 ;;
      -Xmx* | -Xms* | -XX:+Use*GC | -XX:[+-]UseCompressed*) args+=("$a") ;;
    esac
  done
  [ -n "$cp" ] || { rm -f -- "$pending"; return 0; }
  args+=(-cp "$cp")
  if ! "$java" "${args[@]}" -Xshare:on "-XX:SharedArchiveFile=$pending" -XX:ErrorFile=/dev/null \
      -XX:-CreateCoredumpOnCrash -Xlog:disable -version >/dev/null 2>&1; then
    rm -f -- "$pending"
    return 0
  fi
  local size
  size="$(stat -c %s -- "$pending")" || { rm -f -- "$pending"; return 0; }
  mv -f -- "$pending" "$cds_final-$size.jsa" 2>/dev/null || rm -f -- "$pending"
}
