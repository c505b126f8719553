#!/usr/bin/env bash
# Builds the self-contained distribution from the packaged jar (run by './mvnw -Pdist package'):
#   build-dist.sh JAR VERSION OUT_DIR
# OUT_DIR/runtime: a jlink image of the JDK running the build (25 here) with only the modules
# Parley uses, and a CDS archive; OUT_DIR/parley_VERSION_ARCH.deb: that runtime, the jar, the
# parley command, a systemd unit and /etc/parley/parley.conf, staged and packed with dpkg-deb
# (no fakeroot needed: --root-owner-group).
set -euo pipefail
jar=$1
version=$2
out=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
java_home=$("$root/bin/java-home")

# The modules the jar's classes use (jdeps cannot resolve the shaded jar's module descriptors, so
# the list is kept by hand), plus those loaded by name: JNDI and JMX from Logback,
# com.sun.management from the metrics, the extra charsets and the zip file system.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
modules+=,java.security.jgss,java.sql,java.xml,jdk.charsets,jdk.crypto.cryptoki,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
rm -rf "$out"
mkdir -p "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$out/runtime"

arch=$(dpkg --print-architecture)
deb_version=${version//-/\~}
stage="$out/stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/lib/parley" "$stage/lib/systemd/system" "$stage/etc/parley" \
  "$stage/usr/share/doc/parley"
cp -a "$out/runtime" "$stage/usr/lib/parley/runtime"
install -m 0644 "$jar" "$stage/usr/lib/parley/parley.jar"
install -m 0755 "$root/bin/run-parley-jar" "$stage/usr/lib/parley/run-parley-jar"
install -m 0755 "$here/deb/parley" "$stage/usr/bin/parley"
install -m 0644 "$here/deb/parley.service" "$stage/lib/systemd/system/parley.service"
install -m 0640 "$here/deb/parley.conf" "$stage/etc/parley/parley.conf"
install -m 0644 "$root/README.md" "$stage/usr/share/doc/parley/README.md"
for script in postinst prerm postrm; do
  install -m 0755 "$here/deb/$script" "$stage/DEBIAN/$script"
done
echo /etc/parley/parley.conf > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: parley
Version: $deb_version
Architecture: $arch
Maintainer: Parley developers <parley@localhost>
Section: net
Priority: optional
Depends: passwd
Installed-Size: $(du -sk "$stage" | cut -f1)
Description: self-hosted chat and file-transfer server
 Parley is a chat server with a web client, a terminal client and resumable
 file transfers, in one package with its own Java runtime. It runs as the
 systemd service parley, as the user parley, with its data in /var/lib/parley.
CONTROL
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out/parley_${deb_version}_${arch}.deb" >/dev/null
rm -rf "$stage"
echo "built $out/runtime and $out/parley_${deb_version}_${arch}.deb"
