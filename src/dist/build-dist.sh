#!/usr/bin/env bash
# Builds the self-contained release from the shaded jar: a trimmed Java runtime (jlink), the launcher,
# configuration, shipped queries, docs, man page, shell completions and every bundled component's
# licence, as target/firmquery-<version>-linux-x64.tar.gz and target/firmquery_<version>_amd64.deb.
#
# Run by Maven in the dist profile (mvn -B -Pdist package, pom.xml), which sets:
#   FQ_VERSION    project version            FQ_BASEDIR  the source checkout
#   FQ_TARGET     the build directory         FQ_JDK      the JDK running Maven (jlink, jdeps, jar)
#   FQ_CLASSPATH  the runtime class path (target/classes and the dependency jars), for the licences
#   FQ_DEB        auto (build the .deb when dpkg-deb is installed), yes (required) or no
# Needs bash, coreutils, tar and gzip; the .deb also needs dpkg-deb (Debian/Ubuntu: package dpkg).
set -euo pipefail

: "${FQ_VERSION:?}" "${FQ_BASEDIR:?}" "${FQ_TARGET:?}" "${FQ_JDK:?}" "${FQ_CLASSPATH:?}"
deb_mode="${FQ_DEB:-auto}"
src="$FQ_BASEDIR/src/dist"
name="firmquery-$FQ_VERSION"
work="$FQ_TARGET/dist"
stage="$work/$name"
tarball="$FQ_TARGET/$name-linux-x64.tar.gz"
jar="$FQ_TARGET/firmquery.jar"
umask 022

say() { echo "dist: $*"; }
die() { echo "dist: $*" >&2; exit 1; }

# The runtime's modules (docs/decisions.md, "A release with its own Java runtime"). jdeps finds the
# ones the classes name; the others are loaded as services or by name and no class analysis sees them:
#   java.base, java.sql (+ java.logging, java.xml, java.transaction.xa)   the engine, pgjdbc, logback
#   java.desktop          java.beans, which c3p0 and SnakeYAML configure themselves with (not AWT/Swing)
#   java.naming           JNDI, which pgjdbc, c3p0 and logback link against
#   java.scripting        commons-text's script lookup, created with Commons Configuration's interpolator
#   java.security.jgss    GSS-API and the Kerberos 5 mechanism (sun.security.krb5): Kerberos auth
#   jdk.security.jgss     the JDK's GSS-API extensions and SASL GSSAPI mechanism, used by the Kerberos
#                         login and by native mode (sun.security.jgss.native)
#   java.security.sasl    required by jdk.security.jgss
#   jdk.security.auth     JAAS login modules: Krb5LoginModule (ticket cache, keytab), UnixSystem (uid)
#   jdk.naming.dns        JNDI's DNS provider: Kerberos finds KDCs and realms through DNS SRV/TXT
#                         records (krb5.conf dns_lookup_kdc / dns_lookup_realm); a service, no class names it
#   jdk.crypto.ec         the SunEC provider: elliptic-curve TLS (ECDHE, X25519, ECDSA certificates), a
#                         service, no class names it; without it TLS to most servers fails
#   jdk.zipfs             the zip file system that reads the built-in queries inside the jar (a service)
#   jdk.unsupported       sun.misc.Signal: Ctrl-C and SIGTERM handling in the CLI and the UI
#   java.management       pgjdbc reads the heap size (ManagementFactory) in every connection's set-up
#                         (PGPropertyMaxResultBufferParser.adjustResultSize, 42.7.8): without it every
#                         connection fails with "Something unusual has occurred". c3p0's JMX MBeans stay
#                         off all the same (c3p0.properties).
# Left out though jdeps names it: java.rmi (mchange-commons' RMI utilities, which c3p0 never loads).
# Left out on purpose:
# jdk.crypto.cryptoki (PKCS#11 tokens: firmquery uses none), jdk.localedata (output is locale-neutral),
# jdk.charsets (inputs are UTF-8) and the debugging agents. jdk.httpserver serves --metrics-port;
# jdk.management gives the Prometheus client's JvmMetrics the process CPU time and open files.
modules=(java.base java.desktop java.management java.naming java.scripting java.security.jgss java.security.sasl
  java.sql jdk.crypto.ec jdk.httpserver jdk.management jdk.naming.dns jdk.security.auth jdk.security.jgss
  jdk.unsupported jdk.zipfs)
not_needed=(java.rmi)

[ -f "$jar" ] || die "$jar is missing: the dist profile runs after the shade plugin (mvn -Pdist package)"
jlink="$FQ_JDK/bin/jlink"
jdeps="$FQ_JDK/bin/jdeps"
jartool="$FQ_JDK/bin/jar"
for tool in "$jlink" "$jdeps" "$jartool"; do
  [ -x "$tool" ] || die "$tool not found: build with a full JDK 17 (Debian: openjdk-17-jdk-headless)"
done
[ -d "$FQ_JDK/jmods" ] || die "$FQ_JDK/jmods is missing: jlink needs the JDK's modules" \
  "(Debian ships them in openjdk-17-jdk-headless; Ubuntu in openjdk-17-jmods)"

rm -rf "$work" "$tarball"
mkdir -p "$stage"/{bin,lib,man/man1,completions/bash,completions/zsh,licenses,docs}

# ---- the runtime ----
say "jlink: ${#modules[@]} modules into $name/runtime"
# No --compress: the tarball's gzip compresses the modules file better than jlink's zip (26 vs 32 MB)
# and classes load without inflating them, which spares CPU at every start on a shared host.
# --generate-cds-archive: the runtime's own class data archive (lib/server/classes.jsa), which the JDK
# ships and jlink leaves out by default; the per-user archive of firmquery's classes (lib/cds.bash) is
# made on top of it and cannot exist without it. The variant for heaps over 32 GB (classes_nocoops.jsa,
# 10 MB) is left out: such a JVM starts without an archive, as before.
"$jlink" --add-modules "$(IFS=,; echo "${modules[*]}")" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$stage/runtime" >"$work/jlink.log" 2>&1 \
  || { cat "$work/jlink.log" >&2; die "jlink failed"; }
[ -s "$stage/runtime/lib/server/classes.jsa" ] || die "jlink made no class data archive (lib/server/classes.jsa)"
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

# jdeps on the shaded jar must find nothing the runtime lacks, or a class would fail to load in the
# field: a new dependency that needs another module fails the build here, naming it.
present="$("$stage/runtime/bin/java" --list-modules | sed 's/@.*//' | sort -u)"
needed="$("$jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar" | tr ',' '\n' | sort -u)"
missing=()
for m in $needed; do
  if ! grep -qx "$m" <<<"$present" && [[ " ${not_needed[*]} " != *" $m "* ]]; then
    missing+=("$m")
  fi
done
[ ${#missing[@]} -eq 0 ] || die "jdeps finds modules the runtime lacks: ${missing[*]}; add them to" \
  "modules= in src/dist/build-dist.sh (or to not_needed= with the reason) and to docs/decisions.md"

# ---- the application ----
cp "$jar" "$stage/lib/firmquery.jar"
install -m 755 "$src/bin/firmquery" "$stage/bin/firmquery"
install -m 644 "$src/lib/cds.bash" "$stage/lib/cds.bash"
cp -R "$FQ_BASEDIR/config" "$stage/config"
mkdir -p "$stage/sql"
cp -R "$FQ_BASEDIR/sql/queries" "$stage/sql/queries"
cp "$FQ_BASEDIR/sql/README.md" "$stage/sql/README.md"
cp "$FQ_BASEDIR/README.md" "$stage/README.md"
cp "$FQ_BASEDIR"/docs/*.md "$stage/docs/"
[ -d "$FQ_BASEDIR/docs/captures" ] && cp -R "$FQ_BASEDIR/docs/captures" "$stage/docs/captures"
cp "$src/man/firmquery.1" "$stage/man/man1/firmquery.1"

# The run must work with this runtime before anything is packed: --version names it.
FIRMQUERY_CDS=off FIRMQUERY_LOGGING_DIRECTORY="$work/logs" "$stage/bin/firmquery" --version >"$stage/VERSION" || die "the launcher failed with the new runtime"
grep -q "runtime: $stage/runtime" "$stage/VERSION" || die "the launcher did not use the bundled runtime"
sed -i "s|$stage|<install>|" "$stage/VERSION"

# Completions: the configuration keys come from the application itself, so they never go stale.
keys="$(FIRMQUERY_CDS=off FIRMQUERY_LOGGING_DIRECTORY="$work/logs" HOME="$work" "$stage/bin/firmquery" config \
  | awk '{print $1}' | sort -u | tr '\n' ' ')"
[ -n "$keys" ] || die "firmquery config listed no keys for the completions"
sed "s|@KEYS@|$keys|" "$src/completions/firmquery.bash" >"$stage/completions/bash/firmquery"
sed "s|@KEYS@|$keys|" "$src/completions/_firmquery" >"$stage/completions/zsh/_firmquery"

# ---- licences ----
lic="$stage/licenses"
cp -R "$src/licenses/texts" "$src/licenses/notices" "$src/licenses/postgresql-binaries" "$lic/"
ln -s ../runtime/legal "$lic/java-runtime"
table="$lic/THIRD-PARTY.md"
{
  echo "# Third-party components in firmquery $FQ_VERSION"
  echo
  echo "Everything below is redistributed unmodified. Licence files are relative to this folder;"
  echo "\`maven/<artifact>-<version>/\` holds the LICENSE and NOTICE files the component's own jar carries."
  echo
  echo "## Java runtime"
  echo
  echo "\`runtime/\` is a subset of OpenJDK $("$stage/runtime/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.runtime.version = //p') made with jlink (modules: ${modules[*]})."
  echo "Licence: GPL-2.0 with the Classpath Exception; each module's licence and third-party notices are in"
  echo "\`java-runtime/<module>/\` (the runtime's \`legal/\` folder), the licence itself in"
  echo "\`java-runtime/java.base/LICENSE\` and \`ASSEMBLY_EXCEPTION\`."
  echo
  echo "## Libraries in lib/firmquery.jar"
  echo
  echo "| component | version | licence | licence files | source |"
  echo "| --- | --- | --- | --- | --- |"
} >"$table"
repo_jar_re='/([^/]+)/([^/]+)/[^/]+\.jar$'
unlisted=()
IFS=: read -r -a entries <<<"$FQ_CLASSPATH"
for entry in "${entries[@]}"; do
  [[ "$entry" == *.jar ]] || continue # target/classes: firmquery itself
  [[ "$entry" =~ $repo_jar_re ]] || die "cannot tell the artifact of $entry"
  artifact="${BASH_REMATCH[1]}" version="${BASH_REMATCH[2]}"
  group_path="${entry%/"$artifact"/"$version"/*}"
  # The group is the path between the local repository and the artifact; find the line by artifact
  # and check the group's last segment, which is all the path below the repository tells reliably.
  line="$(awk -F'\t' -v a="$artifact" '!/^#/ { split($1, ga, ":"); if (ga[2] == a) print }' \
    "$src/licenses/third-party.tsv")"
  if [ -z "$line" ] || [[ "$group_path" != *"/$(cut -f1 <<<"$line" | cut -d: -f1 | tr . /)" ]]; then
    unlisted+=("$artifact $version ($entry)")
    continue
  fi
  IFS=$'\t' read -r coordinates licence files url <<<"$line"
  own="maven/$artifact-$version"
  mkdir -p "$lic/$own"
  mapfile -t notices < <("$jartool" tf "$entry" \
    | grep -E '^META-INF/((LICEN[CS]E|NOTICE|COPYING)[^/]*|licenses/.+[^/])$' || true)
  [ ${#notices[@]} -eq 0 ] || (cd "$lic/$own" && "$jartool" xf "$entry" "${notices[@]}")
  if [ -z "$(find "$lic/$own" -type f -print -quit)" ]; then
    rmdir "$lic/$own"
    own=""
  fi
  listed=""
  for f in $files; do
    if [ "$f" = "maven/" ]; then
      [ -n "$own" ] || die "$coordinates: third-party.tsv points at its jar's licence files, but the jar has none"
      continue
    fi
    [ -e "$lic/$f" ] || die "$coordinates: licence file $f (third-party.tsv) is not in src/dist/licenses"
    listed+="${listed:+ }\`$f\`"
  done
  [ -n "$own" ] && listed+="${listed:+ }\`$own/\`"
  [ -n "$listed" ] || die "$coordinates: no licence file at all; add one to src/dist/licenses and third-party.tsv"
  echo "| $coordinates | $version | $licence | $listed | $url |" >>"$table"
done
[ ${#unlisted[@]} -eq 0 ] || die "no licence recorded for: ${unlisted[*]}; add a line to" \
  "src/dist/licenses/third-party.tsv (and its licence text to src/dist/licenses/)"
{
  echo
  echo "## PostgreSQL server binaries (in the jar, for firmquery demo)"
  echo
  echo "\`postgresql-binaries/\`: PostgreSQL 15 (postgresql.txt) and the libraries built with it: OpenSSL"
  echo "1.1 (openssl.txt), ICU (icu.txt), libxml2, libxslt, zlib, liblzma and OSSP uuid. The texts of"
  echo "the libraries other than OpenSSL are those of Debian's packages of the same libraries."
} >>"$table"

# ---- the tarball ----
# Nothing in an install is writable but by its owner: a shared jump host's other users must not be able
# to change the code every user runs.
chmod -R u+rwX,go+rX,go-w "$stage"
say "tar: $tarball"
tar -C "$work" --owner=0 --group=0 --numeric-owner --sort=name -czf "$tarball" "$name"

# ---- the Debian package ----
if [ "$deb_mode" = no ]; then
  say "done: $tarball ($(du -h "$tarball" | cut -f1)); no .deb (FQ_DEB=no)"
  exit 0
fi
if ! command -v dpkg-deb >/dev/null 2>&1; then
  [ "$deb_mode" = yes ] && die "dpkg-deb is not installed (Debian: apt-get install dpkg); it builds the .deb"
  say "done: $tarball ($(du -h "$tarball" | cut -f1)); no .deb: dpkg-deb is not installed"
  exit 0
fi
deb_version="${FQ_VERSION//-/\~}" # 1.0.0-SNAPSHOT sorts before 1.0.0 as 1.0.0~SNAPSHOT
deb="$FQ_TARGET/firmquery_${deb_version}_amd64.deb"
root="$work/deb"
rm -rf "$root" "$deb"
mkdir -p "$root/opt" "$root/usr/bin" "$root/etc/firmquery" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/doc/firmquery" "$root/DEBIAN"
cp -a "$stage" "$root/opt/firmquery"
ln -s ../../opt/firmquery/bin/firmquery "$root/usr/bin/firmquery"
install -m 644 "$src/deb/config.yaml" "$root/etc/firmquery/config.yaml"
gzip -9n <"$src/man/firmquery.1" >"$root/usr/share/man/man1/firmquery.1.gz"
cp "$stage/completions/bash/firmquery" "$root/usr/share/bash-completion/completions/firmquery"
cp "$stage/completions/zsh/_firmquery" "$root/usr/share/zsh/vendor-completions/_firmquery"
{
  echo "firmquery $FQ_VERSION, installed in /opt/firmquery."
  echo
  echo "The licences of every bundled component (the Java runtime, the libraries in the jar and the"
  echo "PostgreSQL binaries for the demo) are in /opt/firmquery/licenses/; THIRD-PARTY.md lists them."
} >"$root/usr/share/doc/firmquery/copyright"
echo "/etc/firmquery/config.yaml" >"$root/DEBIAN/conffiles"
size_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@VERSION@|$deb_version|" -e "s|@SIZE@|$size_kb|" "$src/deb/control" >"$root/DEBIAN/control"
chmod -R u+rwX,go+rX,go-w "$root"
say "dpkg-deb: $deb"
# gzip rather than dpkg's default xz: about as small here (the jar is compressed already) and much
# less CPU on a 2-core build machine.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
say "done: $tarball ($(du -h "$tarball" | cut -f1)), $deb ($(du -h "$deb" | cut -f1))"
