// Imported first by busybox-node.test.ts: the harness reads SWARMLAB_NODE_IMAGE when it loads, so
// this file's suites run every node on swarmlab/node:busybox (scripts/test-host.sh builds it).
process.env.SWARMLAB_NODE_IMAGE = 'swarmlab/node:busybox';
