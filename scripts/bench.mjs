// `npm run bench`: time `swarmlab up` (start to every node Ready) against the seeds' own
// workflow in shell (../shared/bench/seed-baseline.sh: their compose file, compose up, swarm
// init, parallel joins, polling every 0.1 s), in the same run, alternating the two; then a
// repeat `up` on a healthy lab, `down` (right after `up`, and once the CPUs are calm again), and
// `class up`/`class down`. Prints medians and ratios. For each size and both sides: the whole
// machine's CPU-seconds to 10 s after Ready, and (first run) the programs each node ran and its
// idle CPU over 60 s; then each node cut's share (docs/speed.md).
//   node scripts/bench.mjs [--runs N] [--workers 3,20] [--students 24] [--big 50] [--cut-runs 3] [--only terminals|class]
// The terminal load of the class server (24 students x 2 terminals) runs last.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpuLoopSeconds, cpuTimes } from './machine-load.mjs';
import { containerIds, cpuSecondsOf, describeExecs, recordExecs } from './node-cost.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'swarmlab.js');
const seedBaseline = path.resolve(root, '..', 'shared', 'bench', 'seed-baseline.sh');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
// `--only terminals`: just the class server's terminal load (scripts/bench-terminals.mjs);
// `--only class`: just `class up` with the default node cuts and without any.
const only = option('only', '');
const runs = Number(option('runs', '5'));
const workerCounts = only === 'class' ? [] : option('workers', '3,20').split(',').map(Number);
const students = Number(option('students', '24'));
const big = only === 'class' ? 0 : Number(option('big', '50'));
// The node cuts by name, as the lab file's schema lists them (a unit test holds it to the code's list).
const NODE_CUT_NAMES = JSON.parse(readFileSync(path.join(root, 'schema', 'swarmlab.schema.json'), 'utf8')).properties.nodeCuts.items.enum;
// Runs of each node cut's share (1+3, every cut alone, all, none); 0 leaves it out.
const cutRuns = only === 'class' ? 0 : Number(option('cut-runs', '3'));
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
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Seconds after every node is Ready that a bring-up's cost is counted to: the nodes finish their network set-up in them. */
const SETTLE_SECONDS = 10;
/** Seconds of a resting lab over which a node's idle CPU is measured. */
const IDLE_SECONDS = 60;

/**
 * What one bring-up cost, up to SETTLE_SECONDS after Ready: the whole machine's CPU-seconds
 * (from /proc/stat: the engine, the nodes' daemons, the tool; wall time alone moved by 0.82-0.93
 * in one day on the same code, and the CPU is what a class of 24 on a small machine runs out of) and, when `detail` is asked (first run of a size), the programs its nodes ran
 * and their idle CPU over IDLE_SECONDS. `bringUp` resolves at Ready; `nodeIds` lists the lab's node
 * containers then.
 */
async function bringUpCost(bringUp, nodeIds, detail) {
  const execs = detail ? await recordExecs() : undefined;
  const before = cpuTimes();
  const wall = await timed(bringUp);
  await sleep(SETTLE_SECONDS * 1000);
  const after = cpuTimes();
  const ids = await nodeIds();
  const cost = { wall, cpu: before && after ? (after.busy - before.busy) / 100 : Number.NaN, nodes: ids.length };
  if (execs?.stop) cost.execs = await execs.stop(ids);
  else if (execs) cost.execsMissing = execs.missing;
  if (detail) {
    const idleBefore = cpuSecondsOf(ids);
    await sleep(IDLE_SECONDS * 1000);
    const idleAfter = cpuSecondsOf(ids);
    if (idleBefore !== undefined && idleAfter !== undefined) cost.idleMsPerSecond = ((idleAfter - idleBefore) * 1000) / IDLE_SECONDS / ids.length;
  }
  return cost;
}

/** The seeds' shell as a bring-up: resolves when it prints its time to Ready; `done` when it has removed its lab. */
function seedShell(workers, holdSeconds) {
  const child = execa('bash', [seedBaseline, nodeImage, registryImage, String(workers)], { env: { SEED_BASELINE_HOLD: String(holdSeconds) } });
  const ready = new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).split('\n')[0])));
    child.catch(reject);
  });
  // Its compose project is sb<the shell's pid>; its nodes are every service but the registry.
  const nodeIds = async () => {
    const { stdout } = await execa('docker', [
      'ps',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=sb${child.pid}`,
      '--format',
      '{{.ID}} {{.Label "com.docker.compose.service"}}',
    ]);
    return stdout
      .split('\n')
      .filter((line) => line && !line.endsWith(' registry'))
      .map((line) => line.split(' ')[0]);
  };
  return { ready, nodeIds, done: child };
}

/** "9.1 ms/s" idle per node, or what is missing. */
const idleText = (cost) =>
  cost.idleMsPerSecond === undefined ? 'idle: no cgroup CPU counter readable' : `idle ${cost.idleMsPerSecond.toFixed(1)} ms of CPU per second`;
const execText = (cost) => (cost.execs ? `programs run: ${describeExecs(cost.execs, cost.nodes)}` : `programs run: ${cost.execsMissing}`);

for (const workers of workerCounts) {
  const lab = labDir('bench', workers);
  const ourNodes = () => containerIds('dev.swarmlab.lab=bench', 'dev.swarmlab.node');
  await swarmlab('down', ...lab);
  await swarmlab('up', ...lab); // warm-up: page cache, the privileged probe's cache
  await swarmlab('down', ...lab);
  const ours = [];
  const baseline = [];
  const oursCpu = [];
  const baselineCpu = [];
  const downs = [];
  let details;
  const loop = cpuLoopSeconds();
  const cpuBefore = cpuTimes();
  for (let i = 0; i < runs; i++) {
    const detail = i === 0;
    await waitUntilCalm();
    const up = await bringUpCost(() => swarmlab('up', ...lab), ourNodes, detail);
    ours.push(up.wall);
    oursCpu.push(up.cpu);
    downs.push(await timed(() => swarmlab('down', ...lab)));
    await waitUntilCalm();
    const shell = seedShell(workers, SETTLE_SECONDS + (detail ? IDLE_SECONDS + 5 : 0));
    let shellSeconds = Number.NaN;
    const seed = await bringUpCost(
      async () => {
        shellSeconds = await shell.ready;
      },
      shell.nodeIds,
      detail,
    );
    await shell.done;
    // The shell's own clock, from `compose up` to Ready (ours starts at the command).
    baseline.push(shellSeconds);
    baselineCpu.push(seed.cpu);
    say(
      `1+${workers}: run ${i + 1}/${runs}: swarmlab up ${up.wall.toFixed(2)} s (${up.cpu.toFixed(1)} CPU-s to Ready+${SETTLE_SECONDS} s), seeds' shell ${shellSeconds.toFixed(2)} s (${seed.cpu.toFixed(1)} CPU-s), down ${downs.at(-1).toFixed(2)} s`,
    );
    if (detail) {
      for (const [side, cost] of [
        ['swarmlab', up],
        ["seeds' shell", seed],
      ])
        say(`  ${side}, per node: ${execText(cost)}; ${idleText(cost)}`);
      details = { up, seed };
    }
  }
  const steal = stealSince(cpuBefore);
  rows.push({ what: `up, 1 + ${workers} workers`, ours: median(ours), baseline: median(baseline), steal, loop });
  rows.push({
    what: `  CPU-seconds, whole machine`,
    ours: median(oursCpu),
    baseline: median(baselineCpu),
    unit: 'CPU-s',
    note: `from start to ${SETTLE_SECONDS} s after every node is Ready`,
  });
  const perNode = (cost) => (cost.execs ? Object.values(cost.execs).reduce((a, b) => a + b, 0) / cost.nodes : Number.NaN);
  rows.push({ what: '  programs run per node', ours: perNode(details.up), baseline: perNode(details.seed), unit: '', note: 'first run (perf)' });
  rows.push({
    what: '  idle CPU per node',
    ours: details.up.idleMsPerSecond ?? Number.NaN,
    baseline: details.seed.idleMsPerSecond ?? Number.NaN,
    unit: 'ms/s',
    note: `first run, over ${IDLE_SECONDS} s`,
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

// Each node cut's share: 1+3 labs with no cut, each cut alone and all of them, alternating; the
// nodes' own CPU (their cgroups) and the whole machine's, to SETTLE_SECONDS after Ready.
if (cutRuns > 0) {
  const lab = labDir('benchcuts', 3);
  const nodes = () => containerIds('dev.swarmlab.lab=benchcuts', 'dev.swarmlab.node');
  const variants = ['none', ...NODE_CUT_NAMES, NODE_CUT_NAMES.join(',')];
  const costs = Object.fromEntries(variants.map((v) => [v, { node: [], machine: [] }]));
  await swarmlab('down', ...lab);
  for (let i = 0; i < cutRuns; i++) {
    for (const cuts of variants) {
      await waitUntilCalm();
      const before = cpuTimes();
      await swarmlab('up', ...lab, '--node-cuts', cuts);
      await sleep(SETTLE_SECONDS * 1000);
      const after = cpuTimes();
      const ids = await nodes();
      costs[cuts].node.push((cpuSecondsOf(ids) ?? Number.NaN) / ids.length);
      costs[cuts].machine.push(before && after ? (after.busy - before.busy) / 100 : Number.NaN);
      await swarmlab('down', ...lab);
    }
  }
  const none = median(costs.none.node);
  for (const cuts of variants) {
    const node = median(costs[cuts].node);
    const share = cuts === 'none' ? '' : `, ${(100 * (1 - node / none)).toFixed(0)}% less than none`;
    rows.push({
      what: `  node cuts: ${cuts}`,
      ours: node,
      unit: 'CPU-s',
      note: `a node's own, up 1+3 to Ready+${SETTLE_SECONDS} s${share}; machine ${median(costs[cuts].machine).toFixed(2)} CPU-s`,
    });
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
  // The class with the default node cuts, then without any (class up --node-cuts none), each in a class
  // directory of its own, so the cuts' share of a class's CPU is read in one run.
  for (const cuts of ['', 'none']) {
    const classDir = mkdtempSync(path.join(tmpdir(), 'swarmlab-bench-class-'));
    const at = ['--dir', classDir];
    const which = cuts === '' ? 'default node cuts' : 'no node cuts';
    await waitUntilCalm();
    const loop = cpuLoopSeconds();
    const cpuBefore = cpuTimes();
    const up = await timed(() =>
      swarmlab(
        'class',
        'up',
        '--students',
        String(students),
        '--workers',
        '3',
        '--prefix',
        'benchcls',
        '--base-port',
        '30000',
        ...(cuts ? ['--node-cuts', cuts] : []),
        ...at,
      ),
    );
    const cpuAfter = cpuTimes();
    rows.push({ what: `class up, ${students} labs of 1+3`, ours: up, note: which, steal: stealSince(cpuBefore), loop, busy: busySince(cpuBefore) });
    if (cpuBefore && cpuAfter)
      rows.push({ what: '  CPU-seconds, whole machine', ours: (cpuAfter.busy - cpuBefore.busy) / 100, unit: 'CPU-s', note: `class up, ${which}` });
    rows.push({ what: `class down, ${students} labs`, ours: await timed(() => swarmlab('class', 'down', ...at)), note: which });
  }
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

if (students > 0 && only !== 'class') {
  const { benchTerminals } = await import('./bench-terminals.mjs');
  await benchTerminals({ students });
}
