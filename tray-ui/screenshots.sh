#!/bin/bash
# Writes screenshots of the tray menu, the dashboard and the wizards to docs/screenshots/.
# Runs the app under Xvfb with the trayer tray host against the daemon at $STEEP_REPL_SOCKET, or, when none is
# given, against the fake daemon of the tests (canned data on a real unix socket).
# Needs (Debian): xvfb trayer xdotool imagemagick libgtk-3-0 libxtst6.   Usage: tray-ui/screenshots.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/docs/screenshots"
DIST="$ROOT/tray-ui/target/steep-repl-tray"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
for tool in Xvfb trayer xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool missing; apt-get install xvfb trayer xdotool imagemagick" >&2; exit 1; }
done
if [ ! -x "$DIST/bin/steep-repl-tray" ] || [ ! -d "$ROOT/tray-ui/target/test-classes" ]; then
  (cd "$ROOT" && ./mvnw -o -q -B -pl icons,shared-proto,tray-ui package -DskipTests)
fi
WORK=$(mktemp -d)
chmod 700 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

export DISPLAY=:99
Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 & PIDS+=($!)
sleep 1
# a dark panel along the top, as many desktops have; the icons must read on it
trayer --edge top --align right --widthtype request --height 28 --tint 0x2b2b2b --transparent true --alpha 0 \
  --SetDockType true >"$WORK/trayer.log" 2>&1 & PIDS+=($!)
sleep 1

SOCK=${STEEP_REPL_SOCKET:-}
if [ -z "$SOCK" ]; then
  SOCK="$WORK/steep-repl.sock"
  "$JAVA_HOME/bin/java" -cp "$ROOT/tray-ui/target/test-classes:$DIST/lib/*" io.steep.repl.tray.testing.FakeDaemon "$SOCK" \
    >"$WORK/fake.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.2; done
fi
export STEEP_REPL_TRAY_JAVA_OPTS="-Dprism.order=sw"
mkdir -p "$OUT"

# 1. the tray icon and its menu (AWT, so a real X screenshot)
"$DIST/bin/steep-repl-tray" --socket "$SOCK" >"$WORK/tray.log" 2>&1 & TRAY=$!; PIDS+=($TRAY)
sleep 8
# the tray icon is AWT's embedded frame inside trayer's panel
ICON_WIN=$(xdotool search --name '^JavaEmbeddedFrame$' | head -1)
eval "$(xdotool getwindowgeometry --shell "$ICON_WIN")"
echo "tray icon at $X,$Y ${WIDTH}x$HEIGHT"
# the pointer has to enter the icon before AWT takes a click; click before the tooltip would cover the menu
xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2))
sleep 1
xdotool click 3
sleep 1.5
import -window root "$WORK/root.png"
# the panel and the menu below it, at the right edge of the screen
convert "$WORK/root.png" -crop 470x230+810+0 +repage "$OUT/tray-menu.png"
xdotool key Escape || true
kill "$TRAY" 2>/dev/null || true
wait "$TRAY" 2>/dev/null || true

# 2. every window, saved by the app itself (scene snapshots: no window manager needed)
"$DIST/bin/steep-repl-tray" --socket "$SOCK" --screenshot-tour "$OUT" >"$WORK/tour.log" 2>&1
# 3. the dashboard while the daemon is not reachable
"$DIST/bin/steep-repl-tray" --socket "$WORK/nothing-here.sock" --screenshot-tour "$OUT" >>"$WORK/tour.log" 2>&1
grep '^screenshot ' "$WORK/tour.log" || { cat "$WORK/tour.log"; exit 1; }
echo "tray menu: $OUT/tray-menu.png"
