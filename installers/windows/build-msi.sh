#!/usr/bin/env bash
# Builds target/steep-repl-<version>.msi on Windows (Git Bash, as on GitHub's windows-latest) with jpackage and
# the WiX toolset on PATH. Run through: ./mvnw -B -Pmsi -pl installers -am package -DskipTests
# (the msi profile first unpacks Apache Commons Daemon's amd64/prunsrv.exe into target/procrun).
#
# Layout (C:\Program Files\steep-repl): steep-repl.exe (console: daemon + CLI), steep-repl-tray.exe, prunsrv.exe
# next to them (the service host `steep-repl install` registers), app\ (jars), runtime\ (jlink'd runtime).
# The MSI registers and starts the Windows service itself: wix/os-condition.wxf (passed with --resource-dir) adds
# deferred custom actions that run `steep-repl.exe install` + `start` after InstallFiles and `stop` + `uninstall`
# before RemoveFiles (the daemon's ProcrunCommand renders the prunsrv line), and installs the commented default
# %ProgramData%\steep\config.yaml when it is missing (made from the DEB's config.yaml by config-windows.sed).
# Needs WiX 4 or newer (wix.exe): the fragment is written in the WiX 4 schema.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
installers=$(cd "$here/.." && pwd)
target="$installers/target"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
version=${VERSION:?VERSION (set by the msi profile)}
# MSI versions are numeric: 0.1.0-SNAPSHOT -> 0.1.0
msi_version=${version%%-*}

image=$(bash "$installers/build-app-image.sh" "$target/app" | tail -1)
prunsrv=$(find "$target/procrun" -path '*amd64/prunsrv.exe' | head -1)
[ -f "$prunsrv" ] || { echo "prunsrv.exe missing: run through the msi profile (it unpacks commons-daemon bin-windows)" >&2; exit 1; }
cp "$prunsrv" "$image/prunsrv.exe"
mkdir -p "$image/share/extension"
cp "$installers/../extension/steep_repl.control" "$installers"/../extension/sql/*.sql "$image/share/extension/"

command -v wix >/dev/null || { echo "wix.exe (WiX 4 or newer) is not on PATH: dotnet tool install --global wix" >&2; exit 1; }

# The resource directory: our WiX fragment with the default config's absolute Windows path filled in
resources="$target/msi-resources"
rm -rf "$resources" && mkdir -p "$resources"
sed -f "$here/config-windows.sed" "$installers/linux/debian/config.yaml" > "$resources/config.yaml"
config_win=$(cygpath -w "$resources/config.yaml")
fragment=$(<"$here/wix/os-condition.wxf")
printf '%s\n' "${fragment//@STEEP_DEFAULT_CONFIG@/"$config_win"}" > "$resources/os-condition.wxf"

rm -f "$target"/steep-repl-*.msi
rm -rf "$target/msi-temp"
"$JAVA_HOME/bin/jpackage" --type msi --resource-dir "$resources" --temp "$target/msi-temp" --app-image "$image" --dest "$target" --name steep-repl \
  --app-version "$msi_version" --vendor steep-repl \
  --description "steep-repl: replication coordinator for PostgreSQL 18" \
  --about-url https://github.com/willibrandon/steep \
  --license-file "$here/LICENSE.rtf" \
  --install-dir steep-repl \
  --win-upgrade-uuid 6f1f3c5e-2a57-4b8e-9a43-5f0c2b7d9e11 \
  --win-menu --win-menu-group steep-repl --win-shortcut-prompt --win-dir-chooser
# Our fragment is only linked because jpackage's main.wxs references its FragmentOsCondition group; a JDK that
# stops doing so would drop the service actions without a word, so refuse that MSI.
grep -rqs --include=main.wxs 'FragmentOsCondition' "$target/msi-temp" ||
  { echo "jpackage's main.wxs no longer references FragmentOsCondition: wix/os-condition.wxf (service actions) was not linked" >&2; exit 1; }
grep -rqs --include=os-condition.wxf 'SteepReplInstallService' "$target/msi-temp" ||
  { echo "jpackage did not use wix/os-condition.wxf from $resources" >&2; exit 1; }
echo "built $(ls "$target"/steep-repl-*.msi)" >&2
