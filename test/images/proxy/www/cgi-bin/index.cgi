#!/bin/sh
# Stand-in for gihyodocker/nginx-proxy: forwards the request to http://$BACKEND_HOST and answers
# with the backend's body (and content type). busybox httpd runs this for "/" and for every URL
# ending in "/" (there is no index.html); cgi-bin/hostname and cgi-bin/proxy are links to it, so
# the echo app's own paths go through too. Other paths are not proxied (busybox has no catch-all).
# Like nginx, a backend that does not answer gives 502; an error status from it is passed on.
backend=${BACKEND_HOST:-}
uri=${REQUEST_URI:-/}

answer() { # status, one-line plain-text body
  printf 'Status: %s\r\nContent-Type: text/plain\r\n\r\n%s\n' "$1" "$2"
  exit 0
}

[ -n "$backend" ] || answer '502 Bad Gateway' 'proxy: no backend: BACKEND_HOST is not set'

body=$(mktemp) head=$(mktemp)
trap 'rm -f "$body" "$head"' EXIT
# -S puts the backend's status line and headers on stderr, even when wget fails on an error status.
# `timeout`, not wget -T: Debian's static busybox wget crashes (SIGSEGV) on -T.
if timeout 10 wget -q -S -O "$body" "http://$backend$uri" 2>"$head"; then
  type=$(sed -n 's/^ *[Cc]ontent-[Tt]ype: *//p' "$head" | tail -n 1 | tr -d '\r')
  printf 'Content-Type: %s\r\n\r\n' "${type:-text/plain}"
  cat "$body"
  exit 0
fi
status=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9].*\)$/\1/p' "$head" | tail -n 1 | tr -d '\r')
[ -n "$status" ] && answer "$status" "proxy: backend $backend answered $status"
answer '502 Bad Gateway' "proxy: backend $backend did not answer"
