#!/bin/sh
# Builds the images quarkube's tests run, without a registry, and imports them into containerd.
#
#   test-images.sh OUT_DIR [SOCKET]
#
# quarkube.test/busybox:1  /bin/busybox (from busybox-static) and its applet links, one layer
# quarkube.test/pause:1    /pause, a static program that blocks until SIGTERM/SIGINT (pause.c)
#
# Each image is an OCI image layout tar (OUT_DIR/busybox.tar, OUT_DIR/pause.tar) whose index names the
# image with the annotation io.containerd.image.name. The build is deterministic: fixed timestamps and
# owners, sorted entries, no build ids. Existing tars are kept. With SOCKET, both are imported into the
# k8s.io namespace of the containerd listening there, which is where the CRI plugin sees images.
set -eu
umask 022

out=${1:?usage: test-images.sh OUT_DIR [SOCKET]}
socket=${2:-}
here=$(cd "$(dirname "$0")" && pwd)

case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
esac

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# deterministic_tar ROOT FILE: tar of ROOT's content with fixed metadata.
deterministic_tar() {
    (cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
        tar --null --no-recursion -T - --numeric-owner --owner=0 --group=0 --mtime=@0 \
            --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
            -cf "$2")
}

# oci_image NAME ROOTFS CONFIG_JSON_FRAGMENT TAR: writes an OCI image layout tar of a one-layer image.
oci_image() {
    name=$1 rootfs=$2 config=$3 target=$4
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/layout/blobs/sha256"
    blobs=$work/layout/blobs/sha256

    deterministic_tar "$rootfs" "$work/layer.tar"
    diff_id=$(sha "$work/layer.tar")
    gzip -n -9 -c "$work/layer.tar" > "$work/layer.tar.gz"
    layer=$(sha "$work/layer.tar.gz")
    layer_size=$(size "$work/layer.tar.gz")
    mv "$work/layer.tar.gz" "$blobs/$layer"

    printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$arch" "$config" "$diff_id" > "$work/config.json"
    config_digest=$(sha "$work/config.json")
    config_size=$(size "$work/config.json")
    mv "$work/config.json" "$blobs/$config_digest"

    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
        "$config_digest" "$config_size" "$layer" "$layer_size" > "$work/manifest.json"
    manifest=$(sha "$work/manifest.json")
    manifest_size=$(size "$work/manifest.json")
    mv "$work/manifest.json" "$blobs/$manifest"

    printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
        "$manifest" "$manifest_size" "$arch" "$name" "${name##*:}" > "$work/layout/index.json"

    deterministic_tar "$work/layout" "$target.tmp"
    mv "$target.tmp" "$target"
    rm -rf "$work"
    trap - EXIT
}

build_busybox() {
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev"
    chmod 1777 "$root/tmp"
    chmod 700 "$root/root"
    cp /bin/busybox "$root/bin/busybox"
    chmod 755 "$root/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
    chmod 644 "$root/etc/passwd" "$root/etc/group"
    oci_image quarkube.test/busybox:1 "$root" \
        '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]}' "$out/busybox.tar"
    rm -rf "$root"
}

build_pause() {
    root=$(mktemp -d)
    gcc -static -O2 -s -Wl,--build-id=none -o "$root/pause" "$here/pause.c"
    chmod 755 "$root/pause"
    oci_image quarkube.test/pause:1 "$root" '{"Entrypoint":["/pause"]}' "$out/pause.tar"
    rm -rf "$root"
}

mkdir -p "$out"
[ -s "$out/busybox.tar" ] || build_busybox
[ -s "$out/pause.tar" ] || build_pause

if [ -n "$socket" ]; then
    for image in busybox pause; do
        ctr --address "$socket" -n k8s.io images import "$out/$image.tar" > /dev/null
    done
fi
