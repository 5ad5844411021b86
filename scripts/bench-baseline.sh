#!/usr/bin/env bash
# The baseline `npm run bench` compares swarmlab against: the seeds' workflow as a careful
# shell script, on the same compose file and images. compose up; wait for the manager's
# daemon; swarm init; read the token; join every worker in parallel as soon as its daemon
# answers; poll until every node is Ready. Polls every 0.1 s, so the baseline is not slowed
# by generous sleeps.
#   bench-baseline.sh COMPOSE_FILE PROJECT LAB WORKERS
set -euo pipefail
file=$1 project=$2 lab=$3 workers=$4

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
"${compose[@]}" -p "$project" -f "$file" up -d >/dev/null 2>&1

wait_daemon() { until docker exec "$1" docker info >/dev/null 2>&1; do sleep 0.1; done; }

wait_daemon "$lab-manager"
docker exec "$lab-manager" docker swarm init >/dev/null
token=$(docker exec "$lab-manager" docker swarm join-token -q worker)
for i in $(seq -f %02g 1 "$workers"); do
  ( wait_daemon "$lab-worker$i"
    docker exec "$lab-worker$i" docker swarm join --token "$token" manager:2377 >/dev/null ) &
done
wait
want=$((workers + 1))
until [ "$(docker exec "$lab-manager" docker node ls --format '{{.Status}}' | grep -c '^Ready$')" -eq "$want" ]; do sleep 0.1; done
