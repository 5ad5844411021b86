#!/bin/sh
# The visualizer's page ("/": there is no index.html): the swarm's nodes, then the tasks of every
# service, as the docker CLI prints them through the mounted socket. It reloads itself every
# 5 s, as the real visualizer follows the swarm live. Only a manager's engine can answer.
escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

if nodes=$(docker node ls 2>&1); then
  status='200 OK'
  services=$(docker service ls -q 2>&1) || status='503 Service Unavailable'
  if [ -z "$services" ]; then
    tasks='(no services)'
  else
    # One call for all the services: each task's name starts with its service's name.
    # shellcheck disable=SC2086
    tasks=$(docker service ps $services 2>&1) || status='503 Service Unavailable'
  fi
else
  status='503 Service Unavailable'
  tasks='(no tasks: the engine did not list the nodes)'
fi

printf 'Status: %s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' "$status"
cat <<HTML
<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Visualizer</title></head>
<body>
<h1>Visualizer</h1>
<h2>Nodes</h2>
<pre id="nodes">
$(printf '%s\n' "$nodes" | escape)
</pre>
<h2>Tasks</h2>
<pre id="tasks">
$(printf '%s\n' "$tasks" | escape)
</pre>
</body></html>
HTML
