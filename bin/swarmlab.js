#!/usr/bin/env node
// `up` starts compose before the rest of the CLI loads (see src/cli/early-compose.ts).
await (await import('../dist/cli/early-compose.js')).startEarlyCompose(process.argv.slice(2));
await import('../dist/cli/main.js');
