#!/usr/bin/env bash
# The test command (`npm test`): prepares the engine and offline images, checks format and lint
# (Biome, and the import graph: scripts/import-graph.mjs), type-checks, builds, then runs the unit and end-to-end suites in one jest run. Results: .ci/jest-results.json.
# Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-host.sh up

# The e2e suite uses the offline images unless told otherwise (e.g. docker:28-dind and registry:2
# on a machine that can pull them).
export SWARMLAB_NODE_IMAGE=${SWARMLAB_NODE_IMAGE:-swarmlab/node:offline}
export SWARMLAB_REGISTRY_IMAGE=${SWARMLAB_REGISTRY_IMAGE:-swarmlab/registry:offline}
# The course's logical images (see swarmlab.yaml images:) as offline stand-ins.
export SWARMLAB_IMAGE_ECHO=${SWARMLAB_IMAGE_ECHO:-swarmlab/echo:offline}
export SWARMLAB_IMAGE_PROXY=${SWARMLAB_IMAGE_PROXY:-swarmlab/proxy:offline}
export SWARMLAB_IMAGE_VISUALIZER=${SWARMLAB_IMAGE_VISUALIZER:-swarmlab/visualizer:offline}
export SWARMLAB_IMAGE_HAPROXY=${SWARMLAB_IMAGE_HAPROXY:-swarmlab/haproxy:offline}

npm run --silent lint
npx tsc -p tsconfig.json --noEmit
npm run --silent build

mkdir -p .ci
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --json --outputFile=.ci/jest-results.json "$@"
