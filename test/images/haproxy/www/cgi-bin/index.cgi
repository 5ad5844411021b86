#!/bin/sh
# HAProxy's front end on port 80. busybox httpd runs this for "/" and every URL ending in "/"
# (there is no index.html); cgi-bin/hostname and cgi-bin/proxy are links to it, so the echo
# app's own paths go through too. Other paths are not forwarded (busybox has no catch-all).
# The first service that sets SERVICE_PORTS (see /bin/backends) gets the request, on one of its
# tasks picked at random (tasks.<service> resolves to every task's address on a shared overlay
# network); a task that does not answer is skipped.
uri=${REQUEST_URI:-/}

answer() { # status, one-line plain-text body
  printf 'Status: %s\r\nContent-Type: text/plain\r\n\r\n%s\n' "$1" "$2"
  exit 0
}

set -- $(backends | head -n 1)
[ $# -ge 2 ] || answer '503 Service Unavailable' 'haproxy: no backend service sets SERVICE_PORTS'
service=$1 port=$2

# busybox nslookup prints the server first ("Address: 127.0.0.11:53"), then the answers.
addresses=$(nslookup "tasks.$service" 2>/dev/null \
  | awk '/^Name:/ { answers = 1 } answers && /^Address/ && $NF ~ /^[0-9.]+$/ { print $NF }' | shuf)

body=$(mktemp) head=$(mktemp)
trap 'rm -f "$body" "$head"' EXIT
for address in ${addresses:-tasks.$service}; do
  # -S puts the task's status line and headers on stderr, even when wget fails on an error status.
  # `timeout`, not wget -T: Debian's static busybox wget crashes (SIGSEGV) on -T.
  if timeout 5 wget -q -S -O "$body" "http://$address:$port$uri" 2>"$head"; then
    type=$(sed -n 's/^ *[Cc]ontent-[Tt]ype: *//p' "$head" | tail -n 1 | tr -d '\r')
    printf 'Content-Type: %s\r\n\r\n' "${type:-text/plain}"
    cat "$body"
    exit 0
  fi
  status=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9].*\)$/\1/p' "$head" | tail -n 1 | tr -d '\r')
  [ -n "$status" ] && answer "$status" "haproxy: $service ($address:$port) answered $status"
done
answer '503 Service Unavailable' "haproxy: no task of service $service answered on port $port"
