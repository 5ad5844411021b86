#!/bin/sh
# swarmlab node entry: runs as the entrypoint of every node container, makes the fixes a node
# needs, then hands over to the image's own entrypoint (the official docker:dind one when the
# image has it) or to dockerd. Arguments: extra dockerd flags (--insecure-registry registry:5000).
#
# Each fix can be switched off, and the script can be tried without a container:
#   SWARMLAB_REMOUNT_CGROUPS=1  writable cgroups without --privileged (the capabilities mode)
#   SWARMLAB_CUTS="gc"          what the node leaves out, by name (nodeCuts in swarmlab.yaml;
#                               src/spec/node-cuts.ts lists them, docs/speed.md measures them)
#   SWARMLAB_DRY_RUN=1          print the commands instead of running them (unit tests)
#   SWARMLAB_PROC_MOUNTS        the mounts table to read (default /proc/mounts)
set -eu

mounts=${SWARMLAB_PROC_MOUNTS:-/proc/mounts}
cgroot=/sys/fs/cgroup
dry=${SWARMLAB_DRY_RUN:-0}

run() {
  if [ "$dry" = 1 ]; then echo "$*"; else "$@"; fi
}

setenv() {
  if [ "$dry" = 1 ]; then echo "export $1=$2"; else export "$1=$2"; fi
}

handover() {
  if [ "$dry" = 1 ]; then echo "exec $*"; exit 0; fi
  exec "$@"
}

# A node killed hard leaves dockerd's and containerd's pid files behind in its writable layer;
# the next dockerd then refuses to start ("pid file found"), so the node would never come back.
# Named one by one: `find -delete` fails silently under some busyboxes.
run rm -f /run/docker.pid /var/run/docker.pid /run/docker/containerd/containerd.pid /var/run/docker/containerd/containerd.pid

# Without --privileged the engine mounts the cgroups read-only, and dockerd inside cannot make
# cgroups for its containers. With CAP_SYS_ADMIN (the capabilities mode) we may mount.
#
# cgroup v1 (and hybrid): each v1 hierarchy is unmounted and mounted again read-write. One
# umount for all of them, and mkdir only where a directory is missing: every process started
# here is on each node's way up (measured, 24 labs coming up at once: these mounts were 3% of
# all the CPU spent, with three processes per hierarchy).
remount_cgroup_v1() {
  if grep -q " $cgroot tmpfs ro" "$mounts"; then run mount -o remount,rw "$cgroot"; fi
  hierarchies=$(grep " $cgroot/[^ ]* cgroup ro," "$mounts" || true)
  [ -n "$hierarchies" ] || return 0
  dirs=
  while read -r _ dir _ _ _; do dirs="$dirs $dir"; done <<EOF
$hierarchies
EOF
  # Unquoted on purpose: one argument per directory (/proc/mounts escapes a space as \040).
  # shellcheck disable=SC2086
  run umount $dirs
  while read -r _ dir _ opts _; do
    [ -d "$dir" ] || run mkdir -p "$dir"
    run mount -t cgroup -o "rw,${opts#ro,}" cgroup "$dir"
  done <<EOF
$hierarchies
EOF
}

# cgroup v2: the unified hierarchy is mounted again read-write, and this process leaves the
# root cgroup for a child one, so that the root may hand its controllers down (a cgroup with
# processes in it cannot); as kind's node entrypoint and the official dind script do.
nest_cgroup_v2() {
  if grep -q " $cgroot cgroup2 ro" "$mounts"; then run mount -o remount,rw "$cgroot"; fi
  run mkdir -p "$cgroot/init"
  run sh -c "xargs -rn1 < $cgroot/cgroup.procs > $cgroot/init/cgroup.procs || true"
  run sh -c "sed -e 's/ / +/g' -e 's/^/+/' < $cgroot/cgroup.controllers > $cgroot/cgroup.subtree_control"
}

if [ "${SWARMLAB_REMOUNT_CGROUPS:-0}" = 1 ]; then
  if grep -q " $cgroot cgroup2 " "$mounts"; then
    nest_cgroup_v2
  else
    remount_cgroup_v1
  fi
fi

# The cuts, names separated by spaces. A name this entry does not know is passed over.
cuts=" ${SWARMLAB_CUTS:-} "
has_cut() { case "$cuts" in *" $1 "*) return 0 ;; esac; return 1; }

# gc: every Go program of the node (dockerd, containerd, runc, and dockerd's re-executions of
# itself for network namespaces, each of which builds tables at start) collects garbage at 400%
# heap growth instead of 100%: marking the heap is a large share of those short processes' CPU
# (docs/speed.md). A GOGC the node's environment sets is kept.
if has_cut gc && [ -z "${GOGC:-}" ]; then setenv GOGC 400; fi

# default-bridge: no docker0 in the node, nor its iptables rules at start. Off unless asked: a task
# of a service on no overlay network sits on the default bridge, and its host-mode port needs it.
if has_cut default-bridge; then set -- "$@" --bridge=none; fi

# The unix socket, and on a manager that up gave certificates to (bound read-only here), the
# Engine API over TLS with client certificates required: the lab's docker context reaches it
# through a port published on the host's 127.0.0.1. The certificates are made by swarmlab, not
# by the official image's DOCKER_TLS_CERTDIR (left empty), so both node images serve the same.
host=--host=unix:///var/run/docker.sock
tls=${SWARMLAB_API_TLS_DIR:-/swarmlab/api-tls}
if [ -s "$tls/ca.pem" ] && [ -s "$tls/cert.pem" ] && [ -s "$tls/key.pem" ]; then
  set -- "$@" --host=tcp://0.0.0.0:2376 --tlsverify "--tlscacert=$tls/ca.pem" "--tlscert=$tls/cert.pem" "--tlskey=$tls/key.pem"
fi
if command -v dockerd-entrypoint.sh >/dev/null 2>&1; then
  # The official image's entrypoint, given `dockerd` first so that it adds no TCP host of its
  # own: it runs tini (docker-init) as PID 1, picks iptables legacy or nft to match the host,
  # and runs dockerd through its `dind` helper (securityfs, cgroup v2 nesting).
  handover dockerd-entrypoint.sh dockerd "$host" "$@"
fi
if command -v docker-init >/dev/null 2>&1; then
  # tini as PID 1: it reaps the zombies that container shims leave when they exit.
  handover docker-init -- dockerd "$host" "$@"
fi
handover dockerd "$host" "$@"
