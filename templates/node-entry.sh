#!/bin/sh
# swarmlab node entry: runs as PID 1 of every node container, then becomes dockerd.
# Arguments: extra dockerd flags (swarmlab passes --insecure-registry registry:5000).
set -eu

# A node killed hard leaves dockerd's and containerd's pid files behind in its writable layer;
# the next dockerd then refuses to start ("pid file found"), so the node would never come back.
find /run /var/run -name 'docker*.pid' -delete 2>/dev/null || true
find /run /var/run -name 'containerd*.pid' -delete 2>/dev/null || true

# Without --privileged the engine mounts /sys/fs/cgroup read-only, and dockerd inside cannot
# create cgroups for its containers. With CAP_SYS_ADMIN (the capabilities mode) we may mount,
# so each cgroup v1 hierarchy is unmounted and mounted again read-write. cgroup v2 hosts and
# privileged nodes already have writable cgroups and skip this.
remount_cgroups_rw() {
  grep -q ' /sys/fs/cgroup tmpfs ro' /proc/mounts && mount -o remount,rw /sys/fs/cgroup
  grep ' /sys/fs/cgroup/[^ ]* cgroup ro,' /proc/mounts | while read -r _ dir _ opts _; do
    umount "$dir"
    mkdir -p "$dir"
    mount -t cgroup -o "rw,${opts#ro,}" cgroup "$dir"
  done
}
if [ "${SWARMLAB_REMOUNT_CGROUPS:-0}" = 1 ]; then
  remount_cgroups_rw
fi

# The official dind image ships a `dind` helper (securityfs, cgroup v2 nesting); use it when present.
# Only the unix socket is served: no TCP listener, so no TLS certificates and no start-up delay.
if command -v dind >/dev/null 2>&1; then
  exec dind dockerd --host=unix:///var/run/docker.sock "$@"
fi
exec dockerd --host=unix:///var/run/docker.sock "$@"
