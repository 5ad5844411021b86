#!/usr/bin/env bash
# `npm run bench`: the engine and images first (as for the tests), then the timings.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-host.sh up >/dev/null
export SWARMLAB_NODE_IMAGE=${SWARMLAB_NODE_IMAGE:-swarmlab/node:offline}
export SWARMLAB_REGISTRY_IMAGE=${SWARMLAB_REGISTRY_IMAGE:-swarmlab/registry:offline}
npm run --silent build
node scripts/bench.mjs "$@"
