#!/usr/bin/env bash
# Prepares a bare Debian host (root, no engine, no registry reachable) to run swarmlab's tests:
#   1. installs the engine, compose v1, the image-building tools and Chromium from Debian's packages;
#   2. starts dockerd when no engine answers (detached, its output in a log file);
#   3. builds the offline images the e2e suite uses, when the defaults cannot be pulled.
# Each step is skipped when already done, so running it twice is cheap.
#
#   scripts/test-host.sh up      do all of the above (default)
#   scripts/test-host.sh down    stop the dockerds this script started, if any
#   scripts/test-host.sh env     print the export lines that make swarmlab use the offline images:
#                                eval "$(bash scripts/test-host.sh env)"
#   scripts/test-host.sh second-up / second-down   a second engine (for the class tests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state_dir=${SWARMLAB_TEST_STATE:-/var/tmp/swarmlab-test-host}
dockerd_pid_file="$state_dir/dockerd.pid"
dockerd_log="$state_dir/dockerd.log"
mkdir -p "$state_dir"

say() { printf 'test-host: %s\n' "$*"; }

engine_answers() { timeout 10 docker version >/dev/null 2>&1; }

install_packages() {
  # chromium: the web views are tested in a real headless browser (playwright-core drives it).
  local wanted=(docker.io containerd runc iptables docker-compose debootstrap docker-registry busybox-static chromium)
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian host: skipping packages (needs a Docker engine, compose, and the offline images or Docker Hub)"; return
  fi
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "packages present"; return; fi
  if [ "$(id -u)" != 0 ]; then
    say "missing packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}"; exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$state_dir/apt.log" 2>&1 \
    || { tail -n 20 "$state_dir/apt.log"; exit 1; }
}

start_engine() {
  if engine_answers; then say "engine answers"; return; fi
  command -v dockerd >/dev/null || { say "no dockerd: install docker.io"; exit 1; }
  say "starting dockerd (log: $dockerd_log)"
  # setsid + redirected fds: the daemon must not hold our caller's stdout/stderr open.
  rm -f "$dockerd_pid_file"
  setsid dockerd --pidfile "$dockerd_pid_file" >"$dockerd_log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && { say "engine up"; return; }
    sleep 0.5
  done
  say "dockerd did not answer in 30 s; last log lines:"; tail -n 20 "$dockerd_log"; exit 1
}

# Stops the dockerd whose pid file is $1 (named $2 in what it says), if this script started it.
stop_dockerd() {
  [ -f "$1" ] || { say "$2: not started by this script"; return 0; }
  local pid; pid=$(cat "$1")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    say "stopping $2 ($pid)"
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

stop_engine() { stop_dockerd "$dockerd_pid_file" dockerd; }

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# A dind node: Debian minbase with docker.io. Swarm needs iptables, ip and a CA store.
build_node_image() {
  local ref=swarmlab/node:offline
  image_present "$ref" && { say "$ref present"; return; }
  local root="$state_dir/node-rootfs"
  rm -rf "$root"
  local mirror
  # The Debian mirror apt already uses on this host (one-line or deb822 sources).
  mirror=$(grep -hoE 'https?://[^ ]+/debian/?$' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n1 || true)
  [ -n "$mirror" ] || { say "no Debian mirror found in /etc/apt/sources*: cannot debootstrap the node image"; exit 1; }
  say "building $ref with debootstrap from $mirror"
  debootstrap --variant=minbase \
    --include=docker.io,containerd,runc,iptables,iproute2,ca-certificates,procps,kmod \
    bookworm "$root" "$mirror" >"$state_dir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$state_dir/debootstrap.log"; exit 1; }
  # Debian's docker.io would default to nftables-backed iptables; the host kernel path is legacy here
  # and dind images use legacy too, so pick it to match what the official dind image does.
  chroot "$root" update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null 2>&1 || true
  chroot "$root" update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import \
    --change 'ENTRYPOINT ["dockerd"]' --change 'VOLUME /var/lib/docker' - "$ref" >/dev/null
  rm -rf "$root"
}

# The offline node with busybox where docker:dind has it (issue 25): docker:dind is Alpine, whose
# /bin/sh and small tools are busybox, whose `ip` is busybox's, and which has no `tc` at all. Built
# from the Debian node: iproute2 goes, Debian's `busybox` package (not busybox-static: that one
# runs its own applets before PATH, tc among them) becomes /bin/sh and every tool it has an applet
# for, ahead of Debian's on PATH; like Alpine's it has no tc. dockerd, containerd, runc, iptables
# and tini stay Debian's: docker:dind ships its own builds of those too.
build_busybox_node_image() {
  local ref=swarmlab/node:busybox
  image_present "$ref" && { say "$ref present"; return; }
  say "building $ref"
  local ctx="$state_dir/busybox-node"
  rm -rf "$ctx"; mkdir -p "$ctx/deb"
  # Installing the package would remove busybox-static from the host: its files are taken instead.
  # A host whose packages were all there never ran apt-get update: its lists may be empty.
  (cd "$ctx/deb" && { apt-get download busybox || { apt-get update -qq && apt-get download busybox; }; } >"$state_dir/busybox-node.log" 2>&1) \
    || { tail -n 5 "$state_dir/busybox-node.log"; exit 1; }
  dpkg -x "$ctx"/deb/busybox_*.deb "$ctx/x"
  cp "$ctx/x/bin/busybox" "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM swarmlab/node:offline
COPY busybox /bin/busybox
RUN DEBIAN_FRONTEND=noninteractive dpkg --purge --force-depends iproute2 >/dev/null 2>&1 \
 && mkdir -p /usr/local/bin \
 && /bin/busybox --install -s /usr/local/bin \
 && ln -sf /bin/busybox /bin/sh \
 && ! command -v tc \
 && [ "$(readlink -f "$(command -v ip)")" = "$(readlink -f /bin/busybox)" ]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$ref" "$ctx" >>"$state_dir/busybox-node.log" 2>&1 || { tail -n 20 "$state_dir/busybox-node.log"; exit 1; }
  rm -rf "$ctx"
}

# The distribution registry from Debian's docker-registry package, with registry:2's defaults
# (config at /etc/docker/registry/config.yml, data in /var/lib/registry, port 5000).
build_registry_image() {
  local ref=swarmlab/registry:offline
  image_present "$ref" && { say "$ref present"; return; }
  say "building $ref"
  local root="$state_dir/registry-rootfs"
  rm -rf "$root"; mkdir -p "$root/bin" "$root/etc/docker/registry" "$root/var/lib/registry" "$root/tmp"
  cp /usr/bin/docker-registry "$root/bin/registry"
  # Copy the shared libraries it links against, if any (Debian may build it dynamically).
  ldd /usr/bin/docker-registry 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
  cat >"$root/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
YAML
  tar -C "$root" -c . | docker import \
    --change 'ENTRYPOINT ["/bin/registry"]' --change 'CMD ["serve", "/etc/docker/registry/config.yml"]' \
    --change 'EXPOSE 5000' --change 'VOLUME /var/lib/registry' - "$ref" >/dev/null
  rm -rf "$root"
}

# A tiny web app: busybox httpd whose CGI answers with the container's hostname (and a proxy
# CGI). Rebuilt whenever templates/echo changes: the image carries a hash of its sources.
# httpd as PID 1 would ignore docker stop's SIGTERM (10 s until SIGKILL on every scale-down,
# drain or rm): a shell that exits on TERM runs it instead, as templates/echo/Dockerfile does.
build_echo_image() {
  local ref=swarmlab/echo:offline
  local source_hash
  # The entrypoint is part of the hash: a change to it rebuilds the image too.
  local entrypoint='["/bin/sh", "-c", "trap \"exit 0\" TERM INT; httpd -f -p 8080 -h /www & wait $!"]'
  source_hash=$( { cd "$here/../templates/echo" && find . -type f | sort | xargs sha256sum; echo "$entrypoint"; } | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.swarmlab.source"}}' "$ref" 2>/dev/null)" = "$source_hash" ]; then
    say "$ref present"; return
  fi
  say "building $ref"
  local root="$state_dir/echo-rootfs"
  rm -rf "$root"; mkdir -p "$root/bin" "$root/www/cgi-bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  for tool in sh httpd wget hostname cat echo env sleep; do ln -s busybox "$root/bin/$tool"; done
  cp "$here/../templates/echo/www/index.html" "$root/www/index.html"
  cp "$here/../templates/echo/www/cgi-bin/"* "$root/www/cgi-bin/"
  chmod 755 "$root/www/cgi-bin/"*
  tar -C "$root" -c . | docker import \
    --change "ENTRYPOINT $entrypoint" --change 'EXPOSE 8080' \
    --change "LABEL dev.swarmlab.source=$source_hash" - "$ref" >/dev/null
  rm -rf "$root"
}

# The offline stand-ins for the Docker Hub images the course's stacks use (stack/*.yml): busybox
# httpd and shell CGIs from test/images/<name>/, which is laid over the image's root as it is.
# Each image carries a hash of its sources (and of the docker client it copies) and is rebuilt
# when they change. The applets the CGIs call:
standin_tools="sh httpd wget timeout nslookup hostname sed awk grep head tail tr cat sort shuf mktemp rm env sleep ls ps"

# Every file and link under a folder, and any extra file named after it, hashed for a
# dev.swarmlab.source label.
sources_hash() {
  local dir=$1; shift
  { (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum && find . -type l -printf '%p -> %l\n' | sort)
    [ $# -eq 0 ] || sha256sum "$@"; } | sha256sum | cut -c1-16
}

# The docker client for the stand-ins that read the swarm through the socket: docker.io's, the
# same version as the nodes' engine (install_packages puts it there), else whichever is on PATH.
docker_client() { if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker; fi; }

# Copies a binary into a rootfs with the shared libraries ldd names (none for a static one:
# ldd then fails, which must not stop the script).
copy_with_libs() {
  local bin=$1 root=$2 dest=$3
  mkdir -p "$root$(dirname "$dest")"; cp -L "$bin" "$root$dest"
  { ldd "$bin" 2>/dev/null || true; } | { grep -oE '/[^ ]+' || true; } | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
}

# build_standin_image NAME WITH_DOCKER_CLIENT(0|1) [docker import --change ...]: swarmlab/NAME:offline.
build_standin_image() {
  local name=$1 with_client=$2; shift 2
  local ref="swarmlab/$name:offline" src="$here/../test/images/$name" client=()
  [ "$with_client" = 0 ] || client=("$(docker_client)")
  [ "$with_client" = 0 ] || [ -n "${client[0]}" ] || { say "$ref needs a docker client binary: install docker.io"; exit 1; }
  local source_hash
  # The image's settings (the --change lines), the applets and this function count as sources
  # too, so editing them here rebuilds the image as well.
  source_hash=$({ sources_hash "$src" "${client[@]}"; printf '%s\n' "$*" "$standin_tools"; declare -f build_standin_image; } \
    | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.swarmlab.source"}}' "$ref" 2>/dev/null)" = "$source_hash" ]; then
    say "$ref present"; return
  fi
  say "building $ref"
  local root="$state_dir/$name-rootfs"
  rm -rf "$root"; mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for tool in $standin_tools; do ln -s busybox "$root/bin/$tool"; done
  cp -R "$src/." "$root/"
  # A checkout may lose the exec bits (core.fileMode false); the scripts must run.
  find "$root/bin" "$root"/*/cgi-bin -type f ! -name busybox -exec chmod 755 {} + 2>/dev/null || true
  [ ${#client[@]} -eq 0 ] || copy_with_libs "${client[0]}" "$root" /bin/docker
  tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' "$@" \
    --change "LABEL dev.swarmlab.source=$source_hash" - "$ref" >/dev/null
  rm -rf "$root"
}

# gihyodocker/nginx-proxy: every request to port 80 goes to http://$BACKEND_HOST (502 when it
# does not answer).
build_proxy_image() {
  build_standin_image proxy 0 --change 'ENTRYPOINT ["/bin/start"]' --change 'EXPOSE 80'
}

# dockersamples/visualizer: port 8080 shows the swarm's nodes and tasks, read with the docker
# client through the mounted socket (the client negotiates the API version with the engine).
build_visualizer_image() {
  build_standin_image visualizer 1 --change 'ENTRYPOINT ["/bin/start"]' --change 'EXPOSE 8080' \
    --change 'ENV DOCKER_HOST=unix:///var/run/docker.sock'
}

# dockercloud/haproxy in swarm mode: port 80 forwards to the tasks of the service that sets
# SERVICE_PORTS, found through the mounted socket; port 1936 lists what it found.
build_haproxy_image() {
  build_standin_image haproxy 1 --change 'ENTRYPOINT ["/bin/start"]' --change 'EXPOSE 80 1936' \
    --change 'ENV DOCKER_HOST=unix:///var/run/docker.sock'
}

# A second engine on this machine, for the tests of a class spread over engines: its own socket,
# data root, exec root, pid file and default bridge. Not `--bridge none`: measured, that
# dockerd deleted the first engine's docker0, and every later `docker run` there failed
# ("could not find bridge docker0"). iptables stays on: with --iptables=false the first
# engine's FORWARD policy drops this one's bridge traffic (joins timed out). It gets the node
# and registry images from the first engine.
second_socket=/var/run/swarmlab-second.sock
second_pid_file="$state_dir/second-dockerd.pid"
second_bridge=swlab-second0
start_second_engine() {
  if timeout 10 docker -H "unix://$second_socket" version >/dev/null 2>&1; then say "second engine answers"; else
    say "starting a second dockerd on $second_socket (log: $state_dir/second-dockerd.log)"
    rm -f "$second_pid_file"
    if ! ip link show "$second_bridge" >/dev/null 2>&1; then
      ip link add name "$second_bridge" type bridge
      ip addr add 10.209.255.1/24 dev "$second_bridge"
      ip link set "$second_bridge" up
    fi
    setsid dockerd --host "unix://$second_socket" --data-root /var/lib/swarmlab-second --exec-root /var/run/swarmlab-second \
      --pidfile "$second_pid_file" --bridge "$second_bridge" >"$state_dir/second-dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
      timeout 10 docker -H "unix://$second_socket" version >/dev/null 2>&1 && break
      sleep 0.5
    done
    timeout 10 docker -H "unix://$second_socket" version >/dev/null 2>&1 || { say "the second dockerd did not answer; last log lines:"; tail -n 20 "$state_dir/second-dockerd.log"; exit 1; }
  fi
  for ref in swarmlab/node:offline swarmlab/registry:offline; do
    if [ "$(docker -H "unix://$second_socket" image inspect -f '{{.Id}}' "$ref" 2>/dev/null)" != "$(docker image inspect -f '{{.Id}}' "$ref")" ]; then
      say "copying $ref to the second engine"
      docker save "$ref" | docker -H "unix://$second_socket" load >/dev/null
    fi
  done
}

stop_second_engine() {
  stop_dockerd "$second_pid_file" 'the second dockerd'
  ip link delete "$second_bridge" 2>/dev/null || true
}

case "${1:-up}" in
  up)
    install_packages
    start_engine
    build_node_image
    build_busybox_node_image
    build_registry_image
    build_echo_image
    build_proxy_image
    build_visualizer_image
    build_haproxy_image
    say "ready: to use these images, eval \"\$(bash scripts/test-host.sh env)\" (sets SWARMLAB_NODE_IMAGE, SWARMLAB_REGISTRY_IMAGE, SWARMLAB_IMAGE_<NAME>)"
    ;;
  # Only prints: no root, no engine needed. Every command (up, exercises, deploys) then uses the local images.
  env)
    echo "export SWARMLAB_NODE_IMAGE=swarmlab/node:offline SWARMLAB_REGISTRY_IMAGE=swarmlab/registry:offline"
    echo "export SWARMLAB_IMAGE_ECHO=swarmlab/echo:offline SWARMLAB_IMAGE_PROXY=swarmlab/proxy:offline"
    echo "export SWARMLAB_IMAGE_VISUALIZER=swarmlab/visualizer:offline SWARMLAB_IMAGE_HAPROXY=swarmlab/haproxy:offline"
    ;;
  second-up) start_second_engine ;;
  second-down) stop_second_engine ;;
  down) stop_second_engine; stop_engine ;;
  # As a reboot or a Docker Desktop update does it: labs with a restart policy come back by themselves.
  restart)
    [ -f "$dockerd_pid_file" ] || { say "restart: dockerd was not started by this script (bash scripts/test-host.sh up starts it)"; exit 1; }
    stop_engine; start_engine ;;
  *) echo "usage: $0 [up|down|env|restart|second-up|second-down]" >&2; exit 2 ;;
esac
