// What a node costs, for `npm run bench`: the CPU its container's cgroup spent, and the programs
// executed inside it (from `perf`, when the machine has it). Both are read per container, so a
// lab's figure is its nodes' own, whatever the engine and the tool did beside them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

/** Where a container's CPU counter lives, by cgroup layout (v1 cgroupfs, v2 systemd or cgroupfs). */
function cpuCounterPaths(id) {
  return [
    { file: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, unit: 1e-9 },
    { file: `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`, unit: 1e-9 },
    { file: `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, unit: 1e-6 },
    { file: `/sys/fs/cgroup/docker/${id}/cpu.stat`, unit: 1e-6 },
  ];
}

/** CPU-seconds a running container has spent so far; undefined where no counter is readable. */
function containerCpuSeconds(id) {
  for (const { file, unit } of cpuCounterPaths(id)) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const value = file.endsWith('cpu.stat') ? Number(/^usage_usec (\d+)/m.exec(text)?.[1]) : Number(text.trim());
    if (Number.isFinite(value)) return value * unit;
  }
  return undefined;
}

/** The full ids of the running containers that carry every label given (`key=value`). */
export async function containerIds(...labels) {
  const filters = labels.flatMap((label) => ['--filter', `label=${label}`]);
  const { stdout } = await execa('docker', ['ps', '-q', '--no-trunc', ...filters]);
  return stdout.split('\n').filter(Boolean);
}

/** The CPU-seconds these containers have spent so far, summed; undefined if one cannot be read. */
export function cpuSecondsOf(ids) {
  let sum = 0;
  for (const id of ids) {
    const seconds = containerCpuSeconds(id);
    if (seconds === undefined) return undefined;
    sum += seconds;
  }
  return sum;
}

/**
 * Records every program executed on the machine, with the cgroup it ran in, until stop() is
 * called; then counts them for the containers given. undefined (with the reason) where `perf` is
 * missing or refused: the count is a detail of the bench, not a reason to fail it.
 */
export async function recordExecs() {
  const probe = await execa('perf', ['record', '-q', '--all-cgroups', '-e', 'sched:sched_process_exec', '-a', '-o', '/dev/null', '--', 'true'], {
    reject: false,
  }).catch((error) => ({ exitCode: 1, stderr: String(error) }));
  if (probe.exitCode !== 0)
    return { missing: `perf could not record exec events (${probe.stderr.split('\n')[0] || 'not found'}): apt-get install linux-perf, as root` };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'swarmlab-bench-perf-')), 'execs.data');
  // Detached from our stdio: the bench's output stays its own.
  const child = spawn('perf', ['record', '-q', '--all-cgroups', '-e', 'sched:sched_process_exec', '-a', '-o', file], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300)); // perf opens its events before the work starts
  return {
    async stop(ids) {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await ended;
      const { stdout } = await execa('perf', ['report', '-i', file, '--sort', 'cgroup,comm', '--stdio', '-n'], { reject: false });
      return execsByProgram(stdout, ids);
    },
  };
}

/**
 * From `perf report --sort cgroup,comm -n` ("  12.50%  8  /docker/<id>  iptables"): how many
 * times each program ran in the given containers. Pure, for the bench's unit of work.
 */
export function execsByProgram(report, ids) {
  const cgroups = new Set(ids.map((id) => `/docker/${id}`));
  const wanted = (cgroup) => cgroups.has(cgroup) || ids.some((id) => cgroup.includes(id));
  const counts = {};
  for (const line of report.split('\n')) {
    const match = /^\s*[\d.]+%\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!match || !wanted(match[2])) continue;
    counts[match[3]] = (counts[match[3]] ?? 0) + Number(match[1]);
  }
  return counts;
}

/** "iptables 127, exe 7, mount 9" per node, the most run first. */
export function describeExecs(counts, nodes) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const top = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([program, n]) => `${program} ${(n / nodes).toFixed(0)}`);
  return `${(total / nodes).toFixed(0)} per node (${top.join(', ')})`;
}
