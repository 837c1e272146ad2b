#!/bin/sh
# Starts a containerd of its own for quarkube's node agent and its tests, and prints its socket.
#
#   containerd-up.sh DIR
#
# Everything lives under DIR: config, root, state, socket, log, CNI config. Idempotent: when the socket
# already answers, nothing is started. The CRI plugin is set up for machines without systemd and
# without CAP_SYS_RESOURCE (restrict_oom_score_adj), runs runc with cgroupfs, networks pods through
# the CNI bridge plugin (10.88.0.0/16 on bridge quarkube0, host ports through portmap) and uses the
# test pause image as sandbox image; the test images are built and imported (see test-images.sh).
#
# Environment: QUARKUBE_POD_SUBNET (default 10.88.0.0/16), CNI_BIN_DIR (default /usr/lib/cni),
# CONTAINERD_START_TIMEOUT seconds (default 20).
set -eu
umask 022

dir=${1:?usage: containerd-up.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
socket=$dir/containerd.sock
subnet=${QUARKUBE_POD_SUBNET:-10.88.0.0/16}
cni_bin=${CNI_BIN_DIR:-/usr/lib/cni}
timeout=${CONTAINERD_START_TIMEOUT:-20}

answers() { [ -S "$socket" ] && ctr --address "$socket" --connect-timeout 1s --timeout 5s version > /dev/null 2>&1; }

mkdir -p "$dir/root" "$dir/state" "$dir/opt" "$dir/cni/net.d" "$dir/images"

cat > "$dir/config.toml.tmp" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"

[grpc]
  address = "$socket"

[ttrpc]
  address = "$socket.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "quarkube.test/pause:1"
  # The node lacks CAP_SYS_RESOURCE: never lower a process's oom_score_adj.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$cni_bin"
    conf_dir = "$dir/cni/net.d"
    max_conf_num = 1
TOML
mv "$dir/config.toml.tmp" "$dir/config.toml"

# host-local keeps its leases in /var/lib/cni/networks/quarkube, shared (under a file lock) by every
# containerd on this machine that uses this network, so two of them never hand out the same address.
cat > "$dir/cni/net.d/10-quarkube.conflist.tmp" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "quarkube",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "quarkube0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$subnet"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
mv "$dir/cni/net.d/10-quarkube.conflist.tmp" "$dir/cni/net.d/10-quarkube.conflist"

if ! answers; then
    rm -f "$socket" "$socket.ttrpc"
    # setsid: containerd outlives this script and the process group of whoever ran it.
    setsid containerd --config "$dir/config.toml" >> "$dir/containerd.log" 2>&1 < /dev/null &
    echo $! > "$dir/containerd.pid"
    deadline=$(( $(date +%s) + timeout ))
    until answers; do
        if ! kill -0 "$(cat "$dir/containerd.pid")" 2> /dev/null; then
            echo "containerd exited, see $dir/containerd.log:" >&2
            tail -n 20 "$dir/containerd.log" >&2
            exit 1
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "containerd did not answer on $socket within ${timeout}s, see $dir/containerd.log" >&2
            exit 1
        fi
        sleep 0.05
    done
fi

"$here/test-images.sh" "$dir/images" "$socket"
echo "$socket"
