#!/usr/bin/env bash
# Builds target/steep-repl-<version>.dmg on macOS: jpackage's app image, trained AOT cache, hdiutil. Run through:
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

# Whatever signature jpackage gave the bundle (ad hoc, without --mac-sign) predates the AOT cache, the launcher's
# changed cfg and the extension files in Contents/app: sign it again, ad hoc, so that its seal covers them and
# `codesign --verify` (and Gatekeeper) see an intact bundle
codesign --force --deep --sign - "$image"
codesign --verify --deep "$image"

# The DMG by hdiutil, not `jpackage --type dmg --app-image`: jpackage copies the image without its file times, and
# the AOT cache (build-app-image.sh step 5) validates every jar's. ditto and hdiutil keep them, as does the Finder
# when the user drags the app to Applications (the CI job checks the mounted and the copied app use the cache).
stage="$target/dmg-stage"
rm -rf "$stage" && mkdir -p "$stage"
ditto "$image" "$stage/steep-repl.app"
ln -s /Applications "$stage/Applications"
rm -f "$target"/steep-repl-*.dmg
hdiutil create -volname steep-repl -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$target/steep-repl-$version.dmg" >&2
rm -rf "$stage"
echo "built $target/steep-repl-$version.dmg" >&2
