// `npm run bench`: time `swarmlab up` (start to every node Ready) against the shell baseline
// (scripts/bench-baseline.sh) doing the same steps with the same compose file and images, in
// the same run, alternating the two. Prints medians and the ratio swarmlab / baseline.
//   node scripts/bench.mjs [--runs N] [--workers 3,10]
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'swarmlab.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '7'));
const workerCounts = option('workers', '3,10').split(',').map(Number);
const LAB = 'bench';

const swarmlab = (...a) => execa('node', [cli, ...a], { env: { NO_COLOR: '1' } });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const results = [];
for (const workers of workerCounts) {
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-bench-'));
  writeFileSync(path.join(dir, 'swarmlab.yaml'), `name: ${LAB}\nworkers: ${workers}\nregistryPort: 5530\nports: []\n`);
  const labArgs = ['--dir', dir];
  await swarmlab('down', ...labArgs);
  // Warm-up: pulls nothing new, fills the page cache, and writes the compose file the
  // baseline reuses (with the node mode this engine needs).
  await swarmlab('up', ...labArgs);
  await swarmlab('down', ...labArgs);
  const composeFile = path.join(dir, '.swarmlab', LAB, 'compose.yaml');
  const mode = /\((\w+) nodes\)/.exec(readFileSync(composeFile, 'utf8'))?.[1];
  const ours = [];
  const baseline = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await timed(() => swarmlab('up', ...labArgs)));
    await swarmlab('down', ...labArgs);
    baseline.push(await timed(() => execa('bash', [path.join(root, 'scripts', 'bench-baseline.sh'), composeFile, `swarmlab-${LAB}`, LAB, String(workers)])));
    await swarmlab('down', ...labArgs);
    process.stderr.write(`workers=${workers} run ${i + 1}/${runs}: swarmlab ${ours.at(-1).toFixed(2)} s, baseline ${baseline.at(-1).toFixed(2)} s\n`);
  }
  results.push({ workers, mode, runs, swarmlab: median(ours), baseline: median(baseline) });
}

console.log('\nnodes           mode          runs  swarmlab up  shell baseline  ratio');
for (const r of results) {
  const nodes = `1 + ${r.workers} workers`.padEnd(15);
  console.log(`${nodes} ${String(r.mode).padEnd(13)} ${String(r.runs).padEnd(5)} ${`${r.swarmlab.toFixed(2)} s`.padEnd(12)} ${`${r.baseline.toFixed(2)} s`.padEnd(15)} ${(r.swarmlab / r.baseline).toFixed(2)}`);
}
