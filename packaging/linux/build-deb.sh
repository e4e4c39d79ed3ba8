#!/usr/bin/env bash
# Wrap the one-folder bundle (make dist) into a Debian package; `make deb` runs this.
#
#   packaging/linux/build-deb.sh BUNDLE VERSION OUT_DIR
#
# The bundle goes to /opt/odsc-desk/, both programs get a link in /usr/bin/, and the desktop
# entry and icon go where menus find them. No maintainer scripts: dpkg's triggers refresh the
# menu and icon caches. Prints the path of the .deb.
set -euo pipefail

bundle=$1
version=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-ODSC Desk maintainers <odsc-desk@example.invalid>}
# Outside the bundle: the C library (glibc 2.36 is what Debian 12, the build machine, links
# against), zlib for the launcher, the OpenGL/EGL dispatch libraries (PyInstaller leaves them
# to the graphics driver), libxcb and the two xcb helpers Qt's xcb plugin links that are not
# in the bundle (`ldd` on the bundle shows what is missing), and the time-zone database for
# Asia/Vientiane.
depends="libc6 (>= 2.36), zlib1g, libegl1, libgl1, libxcb1, libxcb-icccm4, libxcb-keysyms1, tzdata"

for program in odsc odsc-desk; do
    [ -x "$bundle/$program" ] || { echo "no $bundle/$program: run make dist" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/odsc-desk
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/icons/hicolor/256x256/apps" \
    "$root/usr/share/doc/odsc-desk"
cp -a "$bundle" "$root/opt/odsc-desk"
ln -s /opt/odsc-desk/odsc "$root/usr/bin/odsc"
ln -s /opt/odsc-desk/odsc-desk "$root/usr/bin/odsc-desk"
install -m 644 "$here/odsc-desk.desktop" "$root/usr/share/applications/odsc-desk.desktop"
install -m 644 "$here/odsc-desk.svg" "$root/usr/share/icons/hicolor/scalable/apps/odsc-desk.svg"
install -m 644 "$here/odsc-desk.png" "$root/usr/share/icons/hicolor/256x256/apps/odsc-desk.png"
install -m 644 "$here/copyright" "$root/usr/share/doc/odsc-desk/copyright"
# Readable by all, writable by root only, whatever the builder's umask was.
chmod -R u+rwX,go+rX,go-w "$root"

size=$(du -sk --apparent-size "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" "$here/control.in" > "$root/DEBIAN/control"

mkdir -p "$out"
deb=$out/odsc-desk_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
echo "$deb"
