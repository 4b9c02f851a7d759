#!/usr/bin/env bash
# Builds the steep-repl application image (one per OS) with jlink + jpackage: a trimmed runtime and two
# launchers, steep-repl (console: the daemon and CLI) and steep-repl-tray (GUI). The DEB, MSI and DMG are all
# made from this image, so the three packages hold the same programs.
#
# Usage: build-app-image.sh OUT_DIR        (run from anywhere; the daemon and tray distributions must be built:
#                                          ./mvnw -B -pl daemon,tray-ui -am package -DskipTests)
# Env:   VERSION (default: from the root pom), JAVA_HOME (JDK 25 with jlink/jpackage),
#        STORE_JARS=1 (jars stored uncompressed, for the DEB), STEEP_AOT_SKIP=true (no AOT cache)
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
# junixsocket's and JNA's native libraries, unpacked by the daemon's build (lib/native/<platform>/), for this
# package's platform only (another architecture's binaries have no business in it); jpackage copies the directory
# into the app dir, beside the jars, where the daemon looks for them (BundledNativeLibraries).
case $(uname -m) in x86_64|amd64) native_arch=x86-64 ;; aarch64|arm64) native_arch=aarch64 ;; *) native_arch=none ;; esac
case $os in macos) native_os=darwin ;; windows) native_os=win32 ;; *) native_os=linux ;; esac
if [ -d "$daemon_lib/native/$native_os-$native_arch" ]; then
  mkdir -p "$input/native" && cp -rp "$daemon_lib/native/$native_os-$native_arch" "$input/native/"
fi
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
# jdk.crypto.ec: EC keys for TLS (the cluster CA and node keys are EC); jdk.localedata is deliberately absent
# (English messages only). (/health is served by the Netty gRPC brings, not the JDK's jdk.httpserver.)
extra="jdk.crypto.ec,jdk.zipfs"
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
# The security providers the JDK's java.security lists but whose modules this runtime lacks (XMLDSig, SunPCSC,
# JdkSASL, SunPKCS11, ...) come out of the list. Listed, the first lookup that walks past the present providers
# makes the JDK search the class path for them with a ServiceLoader, which instantiates every provider there:
# BouncyCastle's (the tray's jars are on the daemon's class path too), ~400 classes from a signed jar the AOT
# cache cannot hold, plus the jar's signature check. Measured: +440 classes at every daemon start.
security="$runtime/conf/security/java.security"
present=" $(sed -n 's/^MODULES="\(.*\)"/\1/p' "$runtime/release") "
module_of() {
  case $1 in
    XMLDSig) echo java.xml.crypto ;; SunPCSC) echo java.smartcardio ;; JdkLDAP) echo java.naming ;;
    JdkSASL) echo jdk.security.jgss ;; SunPKCS11) echo jdk.crypto.cryptoki ;; SunJGSS) echo java.security.jgss ;;
    SunSASL) echo java.security.sasl ;; SunMSCAPI) echo jdk.crypto.mscapi ;; *) echo java.base ;;
  esac
}
awk -v present="$present" -v map="$(for p in $(sed -n 's/^security\.provider\.[0-9]*=\([^ ]*\).*/\1/p' "$security"); do
    printf '%s=%s ' "$p" "$(module_of "$p")"; done)" '
  BEGIN { n = split(map, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], a, "="); mod[a[1]] = a[2] } }
  /^security\.provider\.[0-9]+=/ {
    name = substr($0, index($0, "=") + 1); sub(/[ \t].*/, "", name)
    if (index(present, " " mod[name] " ") == 0) next
    print "security.provider." (++k) "=" substr($0, index($0, "=") + 1); next
  }
  { print }' "$security" > "$security.new"
mv "$security.new" "$security"
echo "security providers: $(sed -n 's/^security\.provider\.[0-9]*=//p' "$security" | paste -sd' ' -)" >&2
# CDS archive for heaps over 32 GB: never used with the launchers' -Xmx
rm -f "$runtime"/lib/server/classes_nocoops.jsa "$runtime"/bin/server/classes_nocoops.jsa

# 3. The app image. JVM options: the same small-daemon settings as the plain distribution's launcher
#    (daemon/src/main/dist/bin/steep-repl) and the tray's (tray-ui/src/main/dist/bin/steep-repl-tray).
daemon_opts="-Xms16m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
# Linux only, as the plain launcher does (see there): transparent huge pages for the heap and code cache (silent
# where the host has THP off), and the freed native memory given back to the system every 2 s (glibc's heap; the
# JVM cannot trim elsewhere)
[ $os = linux ] && daemon_opts="$daemon_opts -XX:+UseTransparentHugePages -Xlog:pagesize=error -XX:TrimNativeHeapInterval=2000 -Xlog:trimnative=error"
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
# 4. STORE_JARS=1 (the DEB): the jars stored uncompressed, so that xz compresses the class files across jars,
#    which zip cannot. Measured on the 0.1.0 class path: 54 MB (zip-deflated jars + xz) against 27 MB (stored +
#    xz), for 80 MB more on disk. Entries are copied byte for byte in order (signed jars such as Bouncy Castle's
#    keep valid signatures). Done here, not in the DEB's script, because the AOT cache must be trained on the
#    jars that ship.
case $os in
  macos) app_dir="$image/Contents/app"; launcher="$image/Contents/MacOS/steep-repl" ;;
  windows) app_dir="$image/app"; launcher="$image/steep-repl.exe" ;;
  *) app_dir="$image/lib/app"; launcher="$image/bin/steep-repl" ;;
esac
if [ "${STORE_JARS:-0}" = 1 ]; then
  python3 - "$app_dir" <<'PY'
import os, sys, zipfile
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.endswith(".jar"):
        continue
    src = os.path.join(d, name); tmp = src + ".stored"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            info.compress_type = zipfile.ZIP_STORED
            zout.writestr(info, data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, src)
PY
fi

# 5. JDK 25 AOT cache (JEP 483/514) for the steep-repl launcher, as the plain distribution has (daemon/pom.xml,
#    execution aot-cache), made by the image's own `steep-repl aot-cache` (daemon, io.steep.repl.daemon.aot): a
#    training run of the real start-up with the image's own launcher, so that the JVM (the image's runtime), its
#    options and the class path are exactly the installed daemon's; the assembly; a start that must map the result;
#    only then $APPDIR/steep-repl.aot and its -XX:AOTCache line in the launcher's cfg. The MSI runs the same command
#    at install time.
#    What the JVM validates when it maps the cache (measured on Temurin 25.0.3): the JVM build, the options that
#    shape the archive, the class path by its longest common prefix (so moving the whole image to /opt/steep-repl
#    is fine), and each jar's size AND modification time (a `touch` alone makes it refuse the cache; lib/modules'
#    time is not checked). build-deb.sh's cp -a and dpkg keep the times (linux/test-deb.sh checks the installed
#    package); dpkg-deb clamps them to SOURCE_DATE_EPOCH when that is set, so then the jars get that time before
#    the training.
#    Linux and macOS. The DEB is assembled by dpkg-deb and the DMG by hdiutil from this very image
#    (macos/build-dmg.sh), both keeping the file times; `jpackage --type dmg|msi --app-image` would not (it copies
#    the image without them: measured with `--type deb --app-image` here, the jars got the copy's time), and every
#    command would print "[error][aot] shared class paths mismatch". Not Windows: the MSI is jpackage's, and
#    Windows Installer sets the installed files' times from its cabinet's DOS dates (2 s steps, local time), so
#    its cache is made on the installing machine (windows/wix/os-condition.wxf runs `steep-repl.exe aot-cache`).
#    An optimisation only: a failed training warns and leaves a working image without a cache (the command leaves
#    the cfg without the option). STEEP_AOT_SKIP=true skips it (Maven: -Dsteep.aot.skip).
aot="$app_dir/steep-repl.aot"
cfg="$app_dir/steep-repl.cfg"
rm -f "$aot"
[ -f "$cfg" ] || { echo "jpackage wrote no $cfg" >&2; exit 1; }
case ${STEEP_AOT_SKIP:-false} in true|1) aot_skip="STEEP_AOT_SKIP is set" ;; *) aot_skip= ;; esac
[ $os = windows ] && aot_skip="not on Windows: the MSI makes its cache at install time (step 5)"
if [ -n "$aot_skip" ]; then
  echo "AOT cache skipped: $aot_skip" >&2
else
  if [ -n "${SOURCE_DATE_EPOCH:-}" ] && [ $os = linux ]; then
    find "$app_dir" -name '*.jar' -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
  fi
  work="$out/aot-training"
  rm -rf "$work"
  # --force: a cache in place would be an old build's (removed above anyway); the logs stay in $work
  if "$launcher" aot-cache --force --work-dir "$work" >&2; then
    echo "AOT cache: $aot ($(du -h "$aot" | cut -f1))" >&2
  else
    rm -f "$aot"
    echo "WARNING: no AOT cache (see above and $work/*.log); the image starts without one" >&2
  fi
fi

echo "app image: $image ($(du -sh "$image" | cut -f1))" >&2
echo "$image"
