#!/bin/sh
# The stats page on port 1936: the backends found and their tasks' addresses, in plain text.
printf 'Content-Type: text/plain\r\n\r\n'
echo 'haproxy stand-in: backends (service port: task addresses)'
backends | while read -r service port; do
  addresses=$(nslookup "tasks.$service" 2>/dev/null \
    | awk '/^Name:/ { answers = 1 } answers && /^Address/ && $NF ~ /^[0-9.]+$/ { print $NF }' | sort | tr '\n' ' ')
  echo "$service $port: ${addresses:-(none resolved)}"
done
