// `npm run bench`: time `swarmlab up` (start to every node Ready) against the seeds' own
// workflow in shell (../shared/bench/seed-baseline.sh: their compose file, compose up, swarm
// init, parallel joins, polling every 0.1 s), in the same run, alternating the two; then a
// repeat `up` on a healthy lab, `down` (right after `up`, and once the CPUs are calm again), and
// `class up`/`class down`. Prints medians and ratios.
//   node scripts/bench.mjs [--runs N] [--workers 3,20] [--students 24] [--big 50] [--only terminals]
// The terminal load of the class server (24 students x 2 terminals) runs last.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpuLoopSeconds, cpuTimes } from './machine-load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'swarmlab.js');
const seedBaseline = path.resolve(root, '..', 'shared', 'bench', 'seed-baseline.sh');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option('runs', '5'));
const workerCounts = option('workers', '3,20').split(',').map(Number);
const students = Number(option('students', '24'));
const big = Number(option('big', '50'));
// `--only terminals`: just the class server's terminal load (scripts/bench-terminals.mjs).
const only = option('only', '');
if (only === 'terminals') {
  const { benchTerminals } = await import('./bench-terminals.mjs');
  await benchTerminals({ students });
  process.exit(0);
}
const nodeImage = process.env.SWARMLAB_NODE_IMAGE;
const registryImage = process.env.SWARMLAB_REGISTRY_IMAGE;
if (!existsSync(seedBaseline)) throw new Error(`${seedBaseline} is missing: the baseline is the seeds' workflow, beside this repository`);

const swarmlab = (...a) => execa('node', [cli, ...a], { env: { NO_COLOR: '1' } });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Seconds stolen since `before` (a cpuTimes()); 0 where /proc/stat is missing. */
function stealSince(before) {
  const now = cpuTimes();
  return before && now ? (now.steal - before.steal) / 100 : 0;
}

/** The share of the CPUs' time spent busy since `before` (a cpuTimes()), as "97% busy". */
function busySince(before) {
  const now = cpuTimes();
  if (!before || !now) return '';
  const busy = now.busy - before.busy;
  return `; ${Math.round((100 * busy) / (busy + now.idle - before.idle))}% busy`;
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * The CPU-seconds the whole machine spent (every process: the engine, the nodes' daemons, the
 * tool) while `fn` ran, from /proc/stat, beside its wall time. Wall time alone moved by 0.82-0.93
 * in one day on the same code; the work a bring-up costs is steadier, and is what a class of 24
 * on a small machine runs out of.
 */
async function timedWithCpu(fn) {
  const before = cpuTimes();
  const wall = await timed(fn);
  const after = cpuTimes();
  return { wall, cpu: before && after ? (after.busy - before.busy) / 100 : Number.NaN };
}
const say = (line) => process.stderr.write(`${line}\n`);

/**
 * Waits until the CPUs were busy less than 40% over a whole second (at most 60 s); returns the
 * seconds waited. After `up` returns, every node goes on building its ingress sandbox and overlay
 * for about five seconds with both cores busy, and a `down` started then waits behind that work:
 * 4.1-4.8 s for a 1+20 lab against 2.7-3.0 s fifteen seconds later (2026-12-03). A user's `down`
 * comes after some work in the lab, so the bench times both.
 */
async function waitUntilCalm() {
  const start = process.hrtime.bigint();
  for (let waited = 0; waited < 60; waited++) {
    const before = cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuTimes();
    if (!before || !now) break;
    const busy = now.busy - before.busy;
    if (busy < 0.4 * (busy + now.idle - before.idle)) break;
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function labDir(name, workers) {
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-bench-'));
  writeFileSync(path.join(dir, 'swarmlab.yaml'), `name: ${name}\nworkers: ${workers}\nregistryPort: 5590\nports: []\n`);
  return ['--dir', dir];
}

const rows = [];
for (const workers of workerCounts) {
  const lab = labDir('bench', workers);
  await swarmlab('down', ...lab);
  await swarmlab('up', ...lab); // warm-up: page cache, the privileged probe's cache
  await swarmlab('down', ...lab);
  const ours = [];
  const baseline = [];
  const oursCpu = [];
  const baselineCpu = [];
  const downs = [];
  const loop = cpuLoopSeconds();
  const cpuBefore = cpuTimes();
  for (let i = 0; i < runs; i++) {
    const up = await timedWithCpu(() => swarmlab('up', ...lab));
    ours.push(up.wall);
    oursCpu.push(up.cpu);
    downs.push(await timed(() => swarmlab('down', ...lab)));
    // SEED_BASELINE_HOLD=0: the shell prints, after its own time to every node Ready, the machine's busy
    // CPU ticks at that moment, so its CPU-seconds stop where ours do (at Ready, before any teardown).
    const ticksBefore = cpuTimes();
    const seed = await execa('bash', [seedBaseline, nodeImage, registryImage, String(workers)], { env: { SEED_BASELINE_HOLD: '0' } });
    const [seconds, ticksAtReady] = seed.stdout.trim().split('\n').slice(-2).map(Number);
    baseline.push(seconds);
    baselineCpu.push(ticksBefore ? (ticksAtReady - ticksBefore.busy) / 100 : Number.NaN);
    say(
      `1+${workers}: run ${i + 1}/${runs}: swarmlab up ${ours.at(-1).toFixed(2)} s (${up.cpu.toFixed(1)} CPU-s), seeds' shell ${baseline.at(-1).toFixed(2)} s (${baselineCpu.at(-1).toFixed(1)} CPU-s), down ${downs.at(-1).toFixed(2)} s`,
    );
  }
  const steal = stealSince(cpuBefore);
  rows.push({ what: `up, 1 + ${workers} workers`, ours: median(ours), baseline: median(baseline), steal, loop });
  rows.push({
    what: `  CPU-seconds, whole machine`,
    ours: median(oursCpu),
    baseline: median(baselineCpu),
    unit: 'CPU-s',
    note: 'from start to every node Ready',
  });
  rows.push({ what: `down, 1 + ${workers} workers`, ours: median(downs), note: 'right after up', steal, loop });
  const restingDowns = [];
  let calmAfter = 0;
  for (let i = 0; i < runs; i++) {
    await swarmlab('up', ...lab);
    calmAfter = Math.max(calmAfter, await waitUntilCalm());
    restingDowns.push(await timed(() => swarmlab('down', ...lab)));
  }
  rows.push({ what: `down, 1 + ${workers} workers`, ours: median(restingDowns), note: `once the CPUs are calm (up to ${calmAfter.toFixed(0)} s after up)` });
  if (workers === workerCounts[0]) {
    await swarmlab('up', ...lab);
    const repeats = [];
    for (let i = 0; i < runs; i++) repeats.push(await timed(() => swarmlab('up', ...lab)));
    rows.push({ what: `repeat up, healthy 1 + ${workers}`, ours: median(repeats) });
    await swarmlab('down', ...lab);
    const trace = (await execa('node', [cli, 'up', ...lab], { env: { NO_COLOR: '1', SWARMLAB_TRACE: '1' } })).stderr;
    say(`\nwhere the time of one up of 1+${workers} goes (SWARMLAB_TRACE):\n${trace}\n`);
    await swarmlab('down', ...lab);
  }
}

if (big > 0) {
  const lab = labDir('benchbig', big);
  await swarmlab('down', ...lab);
  const loop = cpuLoopSeconds();
  const cpuBefore = cpuTimes();
  const up = await timed(() => swarmlab('up', ...lab, '--timeout', '300'));
  const steal = stealSince(cpuBefore);
  const busy = busySince(cpuBefore);
  const stats = await execa('docker', ['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}']);
  const worker = stats.stdout.split('\n').find((l) => l.startsWith('benchbig-worker01 '));
  rows.push({ what: `up, 1 + ${big} workers`, ours: up, note: `a worker: ${worker?.split(' ')[1] ?? '?'}`, steal, loop, busy });
  rows.push({ what: `down, 1 + ${big} workers`, ours: await timed(() => swarmlab('down', ...lab)) });
}

if (students > 0) {
  const classDir = mkdtempSync(path.join(tmpdir(), 'swarmlab-bench-class-'));
  const at = ['--dir', classDir];
  const loop = cpuLoopSeconds();
  const cpuBefore = cpuTimes();
  const up = await timed(() =>
    swarmlab('class', 'up', '--students', String(students), '--workers', '3', '--prefix', 'benchcls', '--base-port', '30000', ...at),
  );
  rows.push({ what: `class up, ${students} labs of 1+3`, ours: up, steal: stealSince(cpuBefore), loop, busy: busySince(cpuBefore) });
  rows.push({ what: `class down, ${students} labs`, ours: await timed(() => swarmlab('class', 'down', ...at)) });
}

console.log("\nwhat                             swarmlab   seeds' shell  ratio  (CPU stolen while it ran; a fixed CPU loop before it; how busy the CPUs were)");
for (const r of rows) {
  const unit = r.unit ?? 's';
  const base = r.baseline === undefined ? ''.padEnd(13) : `${r.baseline.toFixed(2)} ${unit}`.padEnd(13);
  const ratio = r.baseline === undefined ? (r.note ?? '') : (r.ours / r.baseline).toFixed(2);
  const steal = r.steal === undefined ? '' : `  (${r.steal.toFixed(1)} s; loop ${r.loop.toFixed(2)} s${r.busy ?? ''})`;
  const said = r.baseline !== undefined && r.note ? `  (${r.note})` : '';
  console.log(`${r.what.padEnd(32)} ${`${r.ours.toFixed(2)} ${unit}`.padEnd(10)} ${base} ${ratio}${steal}${said}`);
}

if (students > 0) {
  const { benchTerminals } = await import('./bench-terminals.mjs');
  await benchTerminals({ students });
}
