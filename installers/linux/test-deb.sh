#!/usr/bin/env bash
# Installs the steep-repl DEB into a throwaway Debian 12 root (debootstrap + chroot), checks what it did, purges it
# and checks that nothing is left. Also runs lintian on the package. Needs root, network access to the Debian
# mirror, and debootstrap + lintian (installed here with apt-get when missing).
#
# Usage: installers/linux/test-deb.sh [DEB]     (default: installers/target/steep-repl_*_amd64.deb)
# Env:   STEEP_TEST_ROOT_CACHE  where the minimal root tarball is cached (default /var/cache/steep-repl-test)
#        DEBIAN_MIRROR          default http://deb.debian.org/debian
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target=$(cd "$here/../target" 2>/dev/null && pwd || true)
deb=${1:-$(ls "$target"/steep-repl_*_amd64.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "no DEB given and none in installers/target: build it first (see installers/README.md)" >&2; exit 1; }
deb=$(readlink -f "$deb")
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh needs root (debootstrap, chroot, mount)" >&2; exit 1; }

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${STEEP_TEST_ROOT_CACHE:-/var/cache/steep-repl-test}
tarball="$cache/bookworm-minbase.tar.gz"

need_pkgs=()
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
command -v lintian >/dev/null || need_pkgs+=(lintian)
command -v systemctl >/dev/null || need_pkgs+=(systemd)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "installing ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

failures=0
pass() { echo "  ok   $*"; }
fail() { echo "  FAIL $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi; }

echo "== lintian $(basename "$deb")"
lintian_out=$(lintian --fail-on error,warning "$deb" 2>&1 | grep -v 'running with root privileges') && lintian_rc=0 || lintian_rc=$?
lintian_rc=$(lintian --fail-on error,warning "$deb" >/dev/null 2>&1; echo $?)
[ -n "$lintian_out" ] && echo "$lintian_out" | sed 's/^/  /'
if [ $lintian_rc -eq 0 ]; then pass "lintian: no errors or warnings (overrides: usr/share/lintian/overrides/steep-repl)"; else fail "lintian exit $lintian_rc"; fi

echo "== throwaway Debian 12 root"
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d)
  echo "  debootstrap --variant=minbase bookworm (once; cached as $tarball)"
  debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; rm -rf "$work"; exit 1; }
  tar -C "$work/root" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$work"
fi
root=$(mktemp -d /tmp/steep-repl-deb-test.XXXXXX)
cleanup() {
  for m in dev/pts dev proc sys; do mountpoint -q "$root/$m" && umount -l "$root/$m"; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
tar -C "$root" -xzf "$tarball"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# What exists before, so the purge check can compare (apt pulls adduser etc., which stay: they are not ours)
snapshot() { (cd "$root" && find $(ls -d etc opt usr var/lib 2>/dev/null) -xdev \( -path var/lib/apt -o -path var/lib/dpkg -o -path var/cache \) -prune -o -print | LC_ALL=C sort); }
in_root apt-get update -qq >/dev/null
in_root apt-get install -y -qq --no-install-recommends adduser >/dev/null
before=$(snapshot)

echo "== install"
install_log=$(in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" 2>&1) || { echo "$install_log"; fail "apt-get install"; exit 1; }
echo "$install_log" | grep '^steep-repl:' | sed 's/^/  | /'
pass "apt-get install ./$(basename "$deb") (dependencies from $mirror)"

check "launcher /opt/steep-repl/bin/steep-repl" test -x "$root/opt/steep-repl/bin/steep-repl"
check "launcher /opt/steep-repl/bin/steep-repl-tray" test -x "$root/opt/steep-repl/bin/steep-repl-tray"
check "runtime /opt/steep-repl/lib/runtime" test -f "$root/opt/steep-repl/lib/runtime/lib/server/libjvm.so"
check "/usr/bin/steep-repl -> /opt/steep-repl/bin/steep-repl" test "$(readlink "$root/usr/bin/steep-repl")" = /opt/steep-repl/bin/steep-repl
check "desktop entry" test -f "$root/usr/share/applications/steep-repl-tray.desktop"
check "autostart entry" test -f "$root/etc/xdg/autostart/steep-repl-tray.desktop"
check "icon (hicolor 256)" test -f "$root/usr/share/icons/hicolor/256x256/apps/steep-repl.png"
check "extension files under /opt/steep-repl/share/extension" test -f "$root/opt/steep-repl/share/extension/steep_repl.control"
check "junixsocket and JNA native libraries beside the jars (lib/app/native/linux-*)" bash -c "ls '$root'/opt/steep-repl/lib/app/native/linux-*/libjunixsocket-native.so '$root'/opt/steep-repl/lib/app/native/linux-*/libjnidispatch.so"
check "no embedded PostgreSQL binaries in the package" bash -c "! ls '$root'/opt/steep-repl/lib/app | grep -q embedded-postgres-binaries"
check "user steep-repl" in_root getent passwd steep-repl
check "group steep-repl" in_root getent group steep-repl
check "user has no login shell" bash -c "in_root() { chroot '$root' \"\$@\"; }; in_root getent passwd steep-repl | grep -q ':/usr/sbin/nologin$'"
check "state dir /var/lib/steep-repl owned by steep-repl" bash -c "[ \"\$(chroot '$root' stat -c %U '/var/lib/steep-repl')\" = steep-repl ]"
unit="$root/usr/lib/systemd/system/steep-repl.service"
check "unit /usr/lib/systemd/system/steep-repl.service" test -f "$unit"
check "unit runs the packaged launcher with /etc/steep/config.yaml" grep -qx 'ExecStart=/opt/steep-repl/bin/steep-repl run --config /etc/steep/config.yaml' "$unit"
check "unit enabled (multi-user.target.wants symlink)" test -L "$root/etc/systemd/system/multi-user.target.wants/steep-repl.service"
check "systemctl --root is-enabled: enabled" bash -c "[ \"\$(systemctl --root='$root' is-enabled steep-repl.service)\" = enabled ]"
check "config /etc/steep/config.yaml" test -f "$root/etc/steep/config.yaml"
check "config is a dpkg conffile" bash -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' steep-repl | grep -q ' /etc/steep/config.yaml '"
check "postinst explained the missing systemd" bash -c "grep -q 'systemd is not running' <<<\"\$1\"" _ "$install_log"
check "postinst explained extension_control_path (no PostgreSQL 18 here)" bash -c "grep -q extension_control_path <<<\"\$1\"" _ "$install_log"

v=$(in_root steep-repl --version 2>&1) && pass "steep-repl --version: $v" || fail "steep-repl --version: $v"
# The AOT cache was trained in the build tree (installers/target/app/...); installed, it lives under /opt with the
# files dpkg unpacked. Whether the JVM maps and uses it there only its own log says (../check-aot-log.sh): -Xlog
# through JAVA_TOOL_OPTIONS (the jpackage launcher's JVM reads it) on a real command.
check "AOT cache /opt/steep-repl/lib/app/steep-repl.aot" test -s "$root/opt/steep-repl/lib/app/steep-repl.aot"
check "launcher passes -XX:AOTCache=\$APPDIR/steep-repl.aot" grep -qxF 'java-options=-XX:AOTCache=$APPDIR/steep-repl.aot' "$root/opt/steep-repl/lib/app/steep-repl.cfg"
check "launcher turns the AOT training replay off" grep -qxF 'java-options=-XX:-AOTReplayTraining' "$root/opt/steep-repl/lib/app/steep-repl.cfg"
aot_log=$(mktemp)
in_root JAVA_TOOL_OPTIONS='-Xlog:aot=info,cds=info,class+path=info,class+load=info' /opt/steep-repl/bin/steep-repl --version >"$aot_log" 2>&1 || true
if aot_verdict=$(bash "$here/../check-aot-log.sh" "$aot_log"); then
  pass "installed daemon $aot_verdict"
else
  fail "installed daemon $aot_verdict"
fi
rm -f "$aot_log"
v=$(in_root /opt/steep-repl/bin/steep-repl-tray --version 2>&1) && pass "steep-repl-tray --version (no display): $v" || fail "steep-repl-tray --version: $v"
v=$(in_root steep-repl install --dry-run 2>&1 | grep -m1 ExecStart || true)
[ "$v" = "ExecStart=/opt/steep-repl/bin/steep-repl run --config /etc/steep/config.yaml" ] \
  && pass "steep-repl install --dry-run renders the packaged unit's ExecStart" || fail "install --dry-run ExecStart: $v"
v=$(in_root timeout 60 steep-repl run --embedded-postgres 2>&1) && rc=0 || rc=$?
if [ $rc -ne 0 ] && grep -q "not part of the installed package" <<<"$v"; then
  pass "run --embedded-postgres refused: $(grep -m1 'not part of the installed package' <<<"$v" | cut -c1-110)…"
else fail "run --embedded-postgres (exit $rc): $(tail -3 <<<"$v")"; fi

echo "== conffile kept on reinstall"
echo "# edited by test-deb.sh" >> "$root/etc/steep/config.yaml"
in_root apt-get install -y -qq --reinstall -o Dpkg::Options::=--force-confold "/tmp/$(basename "$deb")" >/dev/null 2>&1 \
  && check "edited config survives a reinstall" grep -q 'edited by test-deb.sh' "$root/etc/steep/config.yaml" \
  || fail "apt-get install --reinstall"

echo "== extension copy into PostgreSQL 18's directory"
mkdir -p "$root/usr/share/postgresql/18/extension"
# as on a reconfigure/upgrade after postgresql-18 arrived
in_root /var/lib/dpkg/info/steep-repl.postinst configure "$(in_root dpkg-query -W -f='${Version}' steep-repl)" >/dev/null 2>&1 || true
check "steep_repl.control copied to /usr/share/postgresql/18/extension" test -f "$root/usr/share/postgresql/18/extension/steep_repl.control"

echo "== purge"
in_root apt-get purge -y -qq steep-repl >/dev/null 2>&1 && pass "apt-get purge steep-repl" || fail "apt-get purge steep-repl"
check "extension copies removed" bash -c "[ -z \"\$(ls -A '$root/usr/share/postgresql/18/extension')\" ]"
rmdir -p "$root/usr/share/postgresql/18/extension" 2>/dev/null || true
check "user removed" bash -c "! chroot '$root' getent passwd steep-repl"
check "group removed" bash -c "! chroot '$root' getent group steep-repl"
check "/etc/steep removed" test ! -e "$root/etc/steep"
check "/opt/steep-repl removed" test ! -e "$root/opt/steep-repl"
check "/var/lib/steep-repl removed" test ! -e "$root/var/lib/steep-repl"
check "unit and enablement symlink removed" bash -c "[ ! -e '$unit' ] && [ ! -L '$root/etc/systemd/system/multi-user.target.wants/steep-repl.service' ]"
after=$(snapshot)
left=$(comm -13 <(echo "$before") <(echo "$after") | grep -v -e '^var/lib/systemd/deb-systemd-helper' -e '^var/log' || true)
# the shadow backups adduser/deluser write (passwd-, group-) are the system's, not ours
left=$(grep -v -e '^etc/\(passwd\|group\|shadow\|gshadow\|subuid\|subgid\)-\?$' <<<"$left" || true)
if [ -z "$left" ]; then pass "nothing left behind (files compared before install / after purge)"; else fail "left behind:"; echo "$left" | sed 's/^/       /'; fi
dsh=$(ls "$root"/var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null | grep steep-repl || true)
[ -z "$dsh" ] && pass "no deb-systemd-helper state left" || fail "deb-systemd-helper state left: $dsh"

echo
if [ $failures -eq 0 ]; then echo "test-deb: all checks passed"; else echo "test-deb: $failures check(s) failed"; exit 1; fi
