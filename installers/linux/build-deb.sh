#!/usr/bin/env bash
# Builds target/steep-repl_<version>_amd64.deb from the jpackage app image (build-app-image.sh).
#
# The app image and its runtime are jpackage's; the .deb around them is assembled here with dpkg-deb instead of
# `jpackage --type deb`, because jpackage cannot ship a conffile outside its install directory
# (/etc/steep/config.yaml), nor our own maintainer scripts, systemd unit location and lintian overrides.
#
# Usage: installers/linux/build-deb.sh        (normally through: ./mvnw -B -Pdeb -pl installers -am package -DskipTests)
# Needs: JDK 25 (JAVA_HOME), dpkg-deb, fakeroot is not needed (--root-owner-group), binutils (objcopy/strip).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
installers=$(cd "$here/.." && pwd)
root=$(cd "$installers/.." && pwd)
target="$installers/target"
: "${JAVA_HOME:?JAVA_HOME must point at a JDK 25}"

for tool in dpkg-deb objcopy strip objdump; do
  command -v $tool >/dev/null || { echo "$tool is missing: apt-get install dpkg-dev binutils" >&2; exit 1; }
done

version=${VERSION:-$(awk '/<artifactId>steep-repl-parent<\/artifactId>/ {p=1} p && /<version>/ {gsub(/.*<version>|<\/version>.*/, ""); print; exit}' "$root/pom.xml")}
# Maven's 1.2.0-SNAPSHOT sorts after 1.2.0 for dpkg unless written 1.2.0~SNAPSHOT
deb_version=${version/-/\~}
export VERSION=$version

# STORE_JARS=1: the image's jars are stored uncompressed, which xz compresses far better (build-app-image.sh step
# 4); it is done there, before the AOT cache's training run, so that the cache is trained on the jars that ship.
image=$(STORE_JARS=1 bash "$installers/build-app-image.sh" "$target/app" | tail -1)
[ -x "$image/bin/steep-repl" ] || { echo "app image has no bin/steep-repl: $image" >&2; exit 1; }

stage="$target/deb/steep-repl"
rm -rf "$stage" && mkdir -p "$stage/DEBIAN"
opt="$stage/opt/steep-repl"
mkdir -p "$(dirname "$opt")"
cp -a "$image" "$opt"
# jpackage leaves group/other write bits as the umask had them; packaged files are 0644/0755
chmod -R u=rwX,go=rX "$opt"

# Extension files: under the app, copied into PostgreSQL 18's extension directory by postinst when it exists.
mkdir -p "$opt/share/extension"
install -m 0644 "$root/extension/steep_repl.control" "$root"/extension/sql/*.sql "$opt/share/extension/"

# The CLI on PATH (the tray too: it is also a command)
mkdir -p "$stage/usr/bin"
ln -s /opt/steep-repl/bin/steep-repl "$stage/usr/bin/steep-repl"
ln -s /opt/steep-repl/bin/steep-repl-tray "$stage/usr/bin/steep-repl-tray"

# systemd unit and sysusers entry: rendered by the daemon's own code (one source with `steep-repl install`)
service_files="$target/deb/service"
"$JAVA_HOME/bin/java" -cp "$opt/lib/app/*" io.steep.repl.daemon.service.PackagedServiceFiles "$service_files"
install -D -m 0644 "$service_files/steep-repl.service" "$stage/usr/lib/systemd/system/steep-repl.service"
install -D -m 0644 "$service_files/steep-repl.sysusers" "$stage/usr/lib/sysusers.d/steep-repl.conf"
# postinst creates the account with adduser (works with or without systemd) from the same sysusers line:
# u NAME ID "GECOS" HOME SHELL
read -r _ svc_user _ svc_rest < <(grep '^u ' "$service_files/steep-repl.sysusers")
svc_gecos=$(sed -E 's/^"([^"]*)".*/\1/' <<<"$svc_rest")
read -r svc_home svc_shell < <(sed -E 's/^"[^"]*" *//' <<<"$svc_rest")

# Config (conffile), desktop entry, autostart entry, icons, docs
install -D -m 0644 "$here/debian/config.yaml" "$stage/etc/steep/config.yaml"
install -D -m 0644 "$here/debian/steep-repl-tray.desktop" "$stage/usr/share/applications/steep-repl-tray.desktop"
install -D -m 0644 "$here/debian/steep-repl-tray-autostart.desktop" "$stage/etc/xdg/autostart/steep-repl-tray.desktop"
for size in 16 22 24 32 48 64 128 256 512; do
  install -D -m 0644 "$root/icons/png/steep-repl-$size.png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/steep-repl.png"
done
doc="$stage/usr/share/doc/steep-repl"
install -D -m 0644 "$here/debian/copyright" "$doc/copyright"
install -m 0644 "$root/docs/install.md" "$doc/install.md"
[ -f "$root/docs/config.md" ] && install -m 0644 "$root/docs/config.md" "$doc/config.md"
[ -f "$root/docs/service.md" ] && install -m 0644 "$root/docs/service.md" "$doc/service.md"
sed "s/@VERSION@/$deb_version/; s/@DATE@/$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}")/" \
  "$here/debian/changelog" | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
install -D -m 0644 "$here/debian/lintian-overrides" "$stage/usr/share/lintian/overrides/steep-repl"

# Maintainer scripts: the account values come from the rendered sysusers file
for script in postinst prerm postrm; do
  sed -e "s|@SERVICE_USER@|$svc_user|g" -e "s|@SERVICE_HOME@|$svc_home|g" -e "s|@SERVICE_SHELL@|$svc_shell|g" \
      -e "s|@SERVICE_GECOS@|$svc_gecos|g" "$here/debian/$script" > "$stage/DEBIAN/$script"
  chmod 0755 "$stage/DEBIAN/$script"
  grep -q '@[A-Z_]*@' "$stage/DEBIAN/$script" && { echo "unfilled placeholder in $script" >&2; exit 1; }
done
printf '/etc/steep/config.yaml\n/etc/xdg/autostart/steep-repl-tray.desktop\n' > "$stage/DEBIAN/conffiles"

# Dependencies: the shared libraries the image's ELF files need and do not bring, mapped to Debian packages on
# this (bookworm) build host. Libraries only the GUI and sound parts of the JDK load are Recommends, so a
# headless server gets the daemon without X11/GTK; JavaFX's own natives live inside its jars and need GTK 3.
gui_libs='libawt_xawt.so|libjawt.so|libsplashscreen.so|libjsound.so|libfontmanager.so|liblcms.so|libjavajpeg.so'
needed() { find "$opt" -type f \( -name '*.so' -o -perm -u+x \) -print0 | xargs -0 file | grep ELF | cut -d: -f1 | "$@"; }
bundled=$(find "$opt" -name '*.so*' -printf '%f\n' | sort -u)
libs_of() { xargs -r objdump -p 2>/dev/null | awk '/NEEDED/ {print $2}' | sort -u | grep -vxF -f <(echo "$bundled") || true; }
pkgs_of() {
  while read -r lib; do
    [ -n "$lib" ] || continue
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
    [ -n "$path" ] || { echo "no package on this host provides $lib (needed by the image)" >&2; continue; }
    # merged /usr: dpkg may know the file under either name
    for p in "$path" "$(readlink -f "$path")" "/usr$path" "${path#/usr}"; do
      pkg=$(dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1)
      [ -n "$pkg" ] && { echo "$pkg"; break; }
    done
  done | sort -u
}
core_pkgs=$(needed grep -Ev "$gui_libs" | libs_of | pkgs_of)
gui_pkgs=$(needed grep -E "$gui_libs" | libs_of | pkgs_of | grep -vxF -f <(echo "$core_pkgs") || true)
depends=$(printf '%s\n' adduser $core_pkgs | sort -u | paste -sd, - | sed 's/,/, /g')
recommends=$(printf '%s\n' libgtk-3-0 libxtst6 $gui_pkgs | sort -u | paste -sd, - | sed 's/,/, /g')
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)

sed -e "s/@VERSION@/$deb_version/" -e "s/@DEPENDS@/$depends/" -e "s/@RECOMMENDS@/$recommends/" \
    -e "s/@INSTALLED_SIZE@/$installed_size/" "$here/debian/control" > "$stage/DEBIAN/control"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's:^\./::' | LC_ALL=C sort | xargs md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums" "$stage/DEBIAN/conffiles"

deb="$target/steep-repl_${deb_version}_amd64.deb"
rm -f "$target"/steep-repl_*.deb
dpkg-deb --root-owner-group -Zxz -z9 --build "$stage" "$deb" >&2
echo "built $deb ($(du -h "$deb" | cut -f1)); depends: $depends; recommends: $recommends" >&2
echo "$deb"
