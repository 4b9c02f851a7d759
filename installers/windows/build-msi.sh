#!/usr/bin/env bash
# Builds target/steep-repl-<version>.msi on Windows (Git Bash, as on GitHub's windows-latest) with jpackage and
# the WiX toolset on PATH. Run through: ./mvnw -B -Pmsi -pl installers -am package -DskipTests
# (the msi profile first unpacks Apache Commons Daemon's amd64/prunsrv.exe into target/procrun).
#
# Layout (C:\Program Files\steep-repl): steep-repl.exe (console: daemon + CLI), steep-repl-tray.exe, prunsrv.exe
# next to them (the service host `steep-repl install` registers), app\ (jars), runtime\ (jlink'd runtime).
# The service is registered by `steep-repl.exe install` (the daemon's ProcrunCommand renders the prunsrv line):
# see docs/install.md.
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

rm -f "$target"/steep-repl-*.msi
"$JAVA_HOME/bin/jpackage" --type msi --app-image "$image" --dest "$target" --name steep-repl \
  --app-version "$msi_version" --vendor steep-repl \
  --description "steep-repl: replication coordinator for PostgreSQL 18" \
  --about-url https://github.com/willibrandon/steep \
  --license-file "$here/LICENSE.rtf" \
  --install-dir steep-repl \
  --win-upgrade-uuid 6f1f3c5e-2a57-4b8e-9a43-5f0c2b7d9e11 \
  --win-menu --win-menu-group steep-repl --win-shortcut-prompt --win-dir-chooser
echo "built $(ls "$target"/steep-repl-*.msi)" >&2
