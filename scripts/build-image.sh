#!/usr/bin/env bash
# Builds IronLB's container image offline, from Debian packages only (no registry is needed):
#   1. a minimal Debian 12 root filesystem with the Java 17 runtime and libpcap (mmdebstrap),
#      without documentation, man pages or locales;
#   2. the image from scratch: that filesystem as one layer, ironlb.jar and a class-data sharing
#      archive of it (a training node run inside the image) as a second (buildah);
#   3. written as an OCI archive named with the project version:
#        target/image/ironlb-VERSION.oci.tar   (image ghcr.io/ironlb/ironlb:VERSION)
#      with the Debian package versions beside it (ironlb-VERSION.packages.txt).
# Builds target/ironlb.jar first when it is missing. Installs mmdebstrap and buildah when they are
# missing (as root). Leaves nothing behind outside target/image: buildah's storage is temporary.
# Usage: scripts/build-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
image="ghcr.io/ironlb/ironlb:${version}"
out=target/image
archive="$out/ironlb-${version}.oci.tar"
start=$(date +%s)

need=()
for tool in mmdebstrap buildah; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "build-image: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -f target/ironlb.jar ]; then
  echo "build-image: building target/ironlb.jar"
  mvn -B -ntp -q -DskipTests package
fi

work=$(mktemp -d /tmp/ironlb-image-XXXXXX)
cleanup() {
  buildah --root "$work/storage" --runroot "$work/run" rm --all >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The host's apt sources (whatever mirror or proxy this machine uses), else Debian's own.
sources=()
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  [ -s "$f" ] && sources+=("$f")
done

echo "build-image: root filesystem (Debian 12, openjdk-17-jre-headless, libpcap0.8)"
mmdebstrap --quiet --variant=essential \
  --include=openjdk-17-jre-headless,libpcap0.8 \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='chroot "$1" dpkg-query -W -f "\${Package}\t\${Version}\n" > "$1/packages.txt"' \
  --customize-hook="copy-out /packages.txt $work" \
  --customize-hook='rm -f "$1/packages.txt" "$1/etc/hostname"; : > "$1/etc/resolv.conf"' \
  --customize-hook='rm -rf "$1/var/cache/apt" "$1/var/lib/apt/lists" "$1/var/log"/*' \
  --skip=output/dev \
  bookworm "$work/rootfs.tar" "${sources[@]}"

b=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
echo "build-image: image $image"
base=$("${b[@]}" from --quiet scratch)
"${b[@]}" add --quiet "$base" "$work/rootfs.tar" /
"${b[@]}" config \
  --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --env LANG=C.UTF-8 \
  --workingdir / "$base"
"${b[@]}" commit --quiet "$base" ironlb-base >/dev/null
ctr=$("${b[@]}" from --quiet ironlb-base)
"${b[@]}" add --quiet "$ctr" target/ironlb.jar /opt/ironlb/ironlb.jar

# A class-data sharing archive of the image's own JDK and jar: a node started from the image maps
# the classes a node loads instead of parsing and verifying them. Written by a training node run
# inside the image (on the host's loopback, kernel-chosen ports, no interface), stopped after
# IRONLB_CDS_TRAINING_SECONDS (25); the JVM writes the archive as it exits. Without it the image
# still works, as before, and says so.
training="${IRONLB_CDS_TRAINING_SECONDS:-25}"
echo "build-image: class-data sharing archive (a training node in the image, ${training} s)"
"${b[@]}" copy --quiet "$ctr" scripts/cds-training.yaml /tmp/training/training.yaml
"${b[@]}" run --isolation chroot --network host "$ctr" -- \
  timeout -s TERM "$training" java -XX:ArchiveClassesAtExit=/opt/ironlb/ironlb.jsa \
  -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UseSerialGC -Xmx256m -jar /opt/ironlb/ironlb.jar \
  standalone --config /tmp/training --node training --cluster 127.0.0.1:0 --seed 127.0.0.1:0 \
  --http 127.0.0.1:0 --interfaces none >"$work/training.log" 2>&1 || true
"${b[@]}" run --isolation chroot "$ctr" -- rm -rf /tmp/training
if ! grep -q "announcing " "$work/training.log"; then
  echo "build-image: the training node announced nothing in ${training} s; the archive may hold" \
    "fewer classes than a node loads" >&2
fi
entrypoint='["java","-jar","/opt/ironlb/ironlb.jar"]'
if "${b[@]}" run --isolation chroot "$ctr" -- test -s /opt/ironlb/ironlb.jsa; then
  entrypoint='["java","-XX:SharedArchiveFile=/opt/ironlb/ironlb.jsa","-Xlog:cds=off","-Xlog:cds+dynamic=off","-jar","/opt/ironlb/ironlb.jar"]'
else
  echo "build-image: no class-data sharing archive (the image starts without one):" >&2
  tail -5 "$work/training.log" >&2
fi
"${b[@]}" config \
  --entrypoint "$entrypoint" --cmd '' \
  --label org.opencontainers.image.title=ironlb \
  --label "org.opencontainers.image.version=${version}" \
  --label org.opencontainers.image.description="Load balancer for bare-metal Kubernetes (MetalLB's job), on Apache Pekko" \
  "$ctr"
"${b[@]}" commit --quiet "$ctr" "$image" >/dev/null

mkdir -p "$out"
rm -f "$archive"
"${b[@]}" push --quiet "$image" "oci-archive:${archive}:${image}"
cp "$work/packages.txt" "$out/ironlb-${version}.packages.txt"
size=$(du -m "$archive" | cut -f1)
echo "build-image: wrote $archive (${size} MB, $(($(date +%s) - start)) s), image $image"
