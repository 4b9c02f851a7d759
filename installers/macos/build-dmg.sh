#!/usr/bin/env bash
# Builds target/steep-repl-<version>.dmg on macOS with jpackage. Run through:
#   ./mvnw -B -Pdmg -pl installers -am package -DskipTests
# The app (steep-repl.app) holds both launchers in Contents/MacOS: steep-repl (daemon + CLI; the LaunchDaemon
# runs it) and steep-repl-tray. A DMG runs no install scripts: the LaunchDaemon is installed by the daemon's own
# service command on first use. The tray, started from the bundle while /Library/LaunchDaemons/io.steep.repl.plist
# is missing, offers to run `Contents/MacOS/steep-repl install` + `start` with administrator privileges (osascript;
# tray-ui io.steep.repl.tray.service.LaunchDaemonOffer). By hand (docs/install.md):
#   sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl install && sudo ... start
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
installers=$(cd "$here/.." && pwd)
target="$installers/target"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"
version=${VERSION:?VERSION (set by the dmg profile)}
# jpackage on macOS refuses an app version whose first number is 0 (CFBundleVersion rules), so a 0.x POM version
# becomes 1.x inside the bundle (0.1.0 -> 1.1.0); the DMG's file name keeps the POM version.
mac_version=${version%%-*}
case $mac_version in 0.*) mac_version="1.${mac_version#0.}" ;; esac

image=$(VERSION=$mac_version bash "$installers/build-app-image.sh" "$target/app" | tail -1)
mkdir -p "$image/Contents/app/share/extension"
cp "$installers/../extension/steep_repl.control" "$installers"/../extension/sql/*.sql "$image/Contents/app/share/extension/"

rm -f "$target"/steep-repl-*.dmg
"$JAVA_HOME/bin/jpackage" --type dmg --app-image "$image" --dest "$target" --name steep-repl \
  --app-version "$mac_version" --vendor steep-repl \
  --description "steep-repl: replication coordinator for PostgreSQL 18"
# the DMG's file name carries the POM version
built=$(ls "$target"/steep-repl-*.dmg | head -1)
[ "$built" = "$target/steep-repl-$version.dmg" ] || mv "$built" "$target/steep-repl-$version.dmg"
echo "built $target/steep-repl-$version.dmg" >&2
