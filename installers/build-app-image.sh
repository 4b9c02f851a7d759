#!/usr/bin/env bash
# Builds the steep-repl application image (one per OS) with jlink + jpackage: a trimmed runtime and two
# launchers, steep-repl (console: the daemon and CLI) and steep-repl-tray (GUI). The DEB, MSI and DMG are all
# made from this image, so the three packages hold the same programs.
#
# Usage: build-app-image.sh OUT_DIR        (run from anywhere; the daemon and tray distributions must be built:
#                                          ./mvnw -B -pl daemon,tray-ui -am package -DskipTests)
# Env:   VERSION (default: from the root pom), JAVA_HOME (JDK 25 with jlink/jpackage)
# Prints the image directory on the last line of stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:?usage: build-app-image.sh OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25 (jlink, jdeps, jpackage)}"
jbin="$JAVA_HOME/bin"
version=${VERSION:-$(awk '/<artifactId>steep-repl-parent<\/artifactId>/ {p=1} p && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$root/pom.xml")}
[ -n "$version" ] || { echo "cannot read the version from $root/pom.xml; set VERSION" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;;
esac

daemon_lib="$root/daemon/target/steep-repl/lib"
tray_lib="$root/tray-ui/target/steep-repl-tray/lib"
icons="$root/icons"
for d in "$daemon_lib" "$tray_lib"; do
  [ -d "$d" ] || { echo "$d is missing: build the distributions first (./mvnw -B -pl daemon,tray-ui -am package -DskipTests)" >&2; exit 1; }
done

# 1. One input directory: the union of both programs' jars. The zonky PostgreSQL binaries (38 MB) are only for
#    the developer main job (run --embedded-postgres) and stay out of the package.
input="$out/input"
rm -rf "$input" && mkdir -p "$input"
for jar in "$daemon_lib"/*.jar "$tray_lib"/*.jar; do
  name=$(basename "$jar")
  case "$name" in
    embedded-postgres-binaries-*) continue ;;
    # JavaFX's classifier-less jars are empty placeholders; the per-OS jars (javafx-base-25.0.1-linux.jar) hold
    # the classes and natives
    javafx-*-[0-9]*[0-9].jar) continue ;;
  esac
  cp -p "$jar" "$input/$name"
done
# Two versions of one library on the shared class path would be a silent conflict: refuse it.
dupes=$(ls "$input" | sed -E 's/-[0-9][^-]*(-[a-z0-9]+)?\.jar$//' | sort | uniq -d || true)
if [ -n "$dupes" ]; then
  echo "both programs bring different versions of: $dupes — align them in the root pom" >&2
  exit 1
fi

# 2. A runtime with only the modules the jars use (measured with jdeps), plus the few that are reached through
#    reflection or service loading and that jdeps cannot see.
jars=$(cd "$input" && ls *.jar)
cp_list=$(cd "$input" && ls *.jar | sed "s:^:$input/:" | paste -sd "$( [ $os = windows ] && echo ';' || echo ':')" -)
modules=$(cd "$input" && "$jbin/jdeps" -q --print-module-deps --ignore-missing-deps --multi-release 25 \
  --class-path "$cp_list" $jars | tail -1)
# jdk.crypto.ec: EC keys for TLS (the cluster CA and node keys are EC); jdk.httpserver: /health (the daemon may
# reach it through a service lookup); jdk.localedata is deliberately absent (English messages only).
extra="jdk.crypto.ec,jdk.httpserver,jdk.zipfs"
all=$(printf '%s,%s' "$modules" "$extra" | tr ',' '\n' | sed '/^$/d' | sort -u | while read -r m; do
  "$jbin/java" --list-modules | grep -q "^$m@" && echo "$m"; done | paste -sd, -)
echo "runtime modules: $all" >&2
runtime="$out/runtime"
rm -rf "$runtime"
# No --compress: the modules image stays uncompressed (faster class loading) and the package's own compression
# (xz for the DEB, the MSI's cabinet, the DMG's zlib) does far better on raw class files than on zip-compressed
# ones: measured 12.8 MB (raw + xz) against 28.6 MB (zip-9). --strip-native-commands: the launchers embed the
# JVM, nobody needs the runtime's java/keytool/jfr.
"$jbin/jlink" --add-modules "$all" --strip-debug --strip-native-commands --no-header-files --no-man-pages \
  --output "$runtime"
# CDS archive for heaps over 32 GB: never used with the launchers' -Xmx
rm -f "$runtime"/lib/server/classes_nocoops.jsa "$runtime"/bin/server/classes_nocoops.jsa

# 3. The app image. JVM options: the same small-daemon settings as the plain distribution's launcher
#    (daemon/src/main/dist/bin/steep-repl) and the tray's (tray-ui/src/main/dist/bin/steep-repl-tray).
daemon_opts="-Xms16m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k --enable-native-access=ALL-UNNAMED"
case $os in
  linux)   icon="$icons/png/steep-repl-256.png"; daemon_exe='$BINDIR/steep-repl' ;;
  macos)   icon="$icons/dist/steep-repl.icns";   daemon_exe='$BINDIR/steep-repl' ;;
  windows) icon="$icons/dist/steep-repl.ico";    daemon_exe='$BINDIR\steep-repl.exe' ;;
esac
[ -f "$icon" ] || { echo "icon $icon is missing (icons/ module)" >&2; exit 1; }
tray_jar=$(cd "$input" && ls steep-repl-tray-*.jar | head -1)
daemon_jar=$(cd "$input" && ls steep-repl-daemon-*.jar | head -1)

tray_props="$out/steep-repl-tray.properties"
{
  echo "main-jar=$tray_jar"
  echo "main-class=io.steep.repl.tray.TrayApp"
  # the tray starts/installs the daemon that ships next to it
  echo "java-options=-Xmx256m --enable-native-access=ALL-UNNAMED -Dsteep.repl.daemon=$daemon_exe"
  echo "icon=$icon"
  [ $os = windows ] && echo "win-console=false"
  echo "description=steep-repl tray and admin app"
} > "$tray_props"
# jpackage reads the properties file with java.util.Properties: backslashes must be doubled
[ $os = windows ] && sed -i 's:\\:\\\\:g' "$tray_props"

image_parent="$out/image"
rm -rf "$image_parent" && mkdir -p "$image_parent"
args=(--type app-image --dest "$image_parent" --name steep-repl
  --input "$input" --main-jar "$daemon_jar" --main-class io.steep.repl.daemon.Main
  --runtime-image "$runtime" --java-options "$daemon_opts"
  --add-launcher "steep-repl-tray=$tray_props" --icon "$icon"
  --app-version "$version" --vendor "steep-repl" --copyright "Apache-2.0"
  --description "steep-repl: replication coordinator for PostgreSQL 18 (daemon, CLI and tray app)")
[ $os = windows ] && args+=(--win-console)
[ $os = macos ] && args+=(--mac-package-identifier io.steep.repl --mac-package-name steep-repl)
"$jbin/jpackage" "${args[@]}"

case $os in
  macos) image="$image_parent/steep-repl.app" ;;
  *) image="$image_parent/steep-repl" ;;
esac
if [ $os = linux ] && command -v strip >/dev/null; then
  # Temurin ships its native code with symbol tables and jpackage its launchers too; the package does not need
  # them (an hs_err log loses symbol names, nothing else changes)
  find "$image" -type f \( -name '*.so' -o -perm -u+x \) -print0 | xargs -0 file | awk -F: '/ELF/ {print $1}' |
    xargs -r strip --strip-unneeded --remove-section=.comment
fi
echo "app image: $image ($(du -sh "$image" | cut -f1))" >&2
echo "$image"
