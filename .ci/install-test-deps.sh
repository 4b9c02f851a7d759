#!/usr/bin/env bash
# Installs, idempotently, the Debian packages the test suite needs from the OS. Safe to run again and again:
# it only calls apt-get when something is missing. Needs root (CI runs as root); prints what to run otherwise.
set -euo pipefail

# package -> a file or command that proves it is installed
declare -A NEEDS=(
  [util-linux]=/usr/bin/unshare          # embedded PostgreSQL runs initdb/postgres through `unshare -U` as root
  [util-linux-extra]=/usr/bin/setpriv    # IPC tests connect as another uid
  [systemd]=/usr/bin/systemd-analyze     # service tests verify the generated unit
  [xvfb]=/usr/bin/Xvfb                   # tray screenshots and RealDisplayTrayTest (GTK + AWT on a real X server)
  [x11-utils]=/usr/bin/xwininfo          # RealDisplayTrayTest waits for the tray's windows with xwininfo
  [libgtk-3-0]=/usr/lib/x86_64-linux-gnu/libgtk-3.so.0
  [libxtst6]=/usr/lib/x86_64-linux-gnu/libXtst.so.6
  [trayer]=/usr/bin/trayer
  [fakeroot]=/usr/bin/fakeroot           # DEB packaging
  [binutils]=/usr/bin/objcopy            # jlink --strip-debug
  [debootstrap]=/usr/sbin/debootstrap    # the DEB is installed into a throwaway Debian root
  [lintian]=/usr/bin/lintian             # the DEB must lint clean
  [python3]=/usr/bin/python3             # DEB build helpers
  [npm]=/usr/bin/npm                     # action-validator checks the GitHub workflow
)

missing=()
for pkg in "${!NEEDS[@]}"; do
  [ -e "${NEEDS[$pkg]}" ] || missing+=("$pkg")
done
# setpriv moved packages between Debian releases; accept it from wherever it came
if [ -e /usr/bin/setpriv ]; then missing=("${missing[@]/util-linux-extra}"); fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sed '/^$/d' | sort -u)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test dependencies missing: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# util-linux-extra does not exist on every release: install what exists
installable=()
for pkg in "${missing[@]}"; do
  if apt-cache show "$pkg" >/dev/null 2>&1; then installable+=("$pkg"); else echo "note: package $pkg not available here, skipped"; fi
done
log=$(mktemp)
if ! apt-get install -y -qq --no-install-recommends "${installable[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "installed: ${installable[*]}"
