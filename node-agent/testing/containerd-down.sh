#!/bin/sh
# Stops the containerd that containerd-up.sh started under DIR, and what it leaves behind.
#
#   containerd-down.sh DIR
#
# Pods should be stopped and removed through the CRI first (that releases their addresses and host
# ports through CNI). Whatever is left is torn down here: containerd, the shims of its containers
# (which outlive containerd by design) with their processes, and mounts under DIR. DIR itself stays,
# so images need not be imported again; remove it to start from scratch.
set -eu

dir=${1:?usage: containerd-down.sh DIR}
[ -d "$dir" ] || exit 0
dir=$(cd "$dir" && pwd)
socket=$dir/containerd.sock

# wait_gone PID SECONDS: true once PID has exited.
wait_gone() {
    n=0
    while kill -0 "$1" 2> /dev/null; do
        [ "$n" -ge $(( $2 * 20 )) ] && return 1
        sleep 0.05
        n=$((n + 1))
    done
}

# Containers still running: kill their processes through containerd while it can still answer.
if [ -S "$socket" ] && ctr --address "$socket" --connect-timeout 1s --timeout 5s version > /dev/null 2>&1; then
    for ns in $(ctr --address "$socket" namespaces ls -q 2> /dev/null); do
        for task in $(ctr --address "$socket" -n "$ns" tasks ls -q 2> /dev/null); do
            ctr --address "$socket" -n "$ns" tasks kill -a -s SIGKILL "$task" > /dev/null 2>&1 || true
        done
    done
fi

if [ -s "$dir/containerd.pid" ]; then
    pid=$(cat "$dir/containerd.pid")
    if kill -0 "$pid" 2> /dev/null && grep -q "$dir/config.toml" "/proc/$pid/cmdline" 2> /dev/null; then
        kill -TERM "$pid"
        wait_gone "$pid" 10 || { kill -KILL "$pid"; wait_gone "$pid" 5 || true; }
    fi
    rm -f "$dir/containerd.pid"
fi

# The shims of this containerd: started with "-address <our socket>".
for cmdline in /proc/[0-9]*/cmdline; do
    pid=${cmdline#/proc/}
    pid=${pid%/cmdline}
    if { tr '\0' ' ' < "$cmdline"; } 2> /dev/null | grep -q -- "containerd-shim.* -address $socket "; then
        kill -KILL "$pid" 2> /dev/null || true
    fi
done

# Mounts under DIR (container root filesystems, network namespaces), deepest first.
awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r mnt; do
    umount -l "$mnt" 2> /dev/null || true
done
rm -f "$socket" "$socket.ttrpc"

# Once no pod of the quarkube network is left on this machine (no leases besides host-local's own
# files), remove what CNI set up for all of them: the bridge and portmap's shared host-port chains.
leases=/var/lib/cni/networks/quarkube
if [ -z "$(ls "$leases" 2> /dev/null | grep -v -e '^lock$' -e '^last_reserved_ip')" ]; then
    ip link delete quarkube0 2> /dev/null || true
    if command -v iptables > /dev/null; then
        for chain in PREROUTING OUTPUT POSTROUTING; do
            iptables -w -t nat -S "$chain" 2> /dev/null | grep -- '-j CNI-HOSTPORT-' | cut -d' ' -f2- |
                while read -r rule; do
                    # The rule is printed shell-quoted (comments have spaces): let the shell split it.
                    eval "iptables -w -t nat -D $rule" 2> /dev/null || true
                done
        done
        for chain in $(iptables -w -t nat -S 2> /dev/null | awk '$1 == "-N" && $2 ~ /^CNI-HOSTPORT-/ { print $2 }'); do
            iptables -w -t nat -F "$chain" 2> /dev/null || true
        done
        for chain in $(iptables -w -t nat -S 2> /dev/null | awk '$1 == "-N" && $2 ~ /^CNI-HOSTPORT-/ { print $2 }'); do
            iptables -w -t nat -X "$chain" 2> /dev/null || true
        done
    fi
fi
