// The node entry wrapper (templates/node-entry.sh), run for real under busybox sh (the shell of
// the official docker:dind image) in its dry-run mode, against /proc/mounts tables of a cgroup
// v1 host (this project's CI, captured), a cgroup v2 host and a hybrid one.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../repo-root.js';

const BUSYBOX = '/bin/busybox';
const SCRIPT = path.join(REPO_ROOT, 'templates', 'node-entry.sh');
const MOUNTS = path.join(REPO_ROOT, 'test', 'fixtures', 'mounts');

/** A PATH of busybox applets, plus the image's own programs that the script looks for. */
function imagePath(programs: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-entry-'));
  for (const applet of ['grep', 'sh', 'sed', 'xargs']) symlinkSync(BUSYBOX, path.join(dir, applet));
  for (const program of programs) {
    writeFileSync(path.join(dir, program), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(dir, program), 0o755);
  }
  return dir;
}

function entry(mounts: string, options: { remount: boolean; programs: string[]; apiTlsDir?: string; cuts?: string; gogc?: string }): string[] {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: run \`sudo bash scripts/test-host.sh\` (installs busybox-static), then npm test`);
  const env = {
    PATH: imagePath(options.programs),
    SWARMLAB_DRY_RUN: '1',
    SWARMLAB_PROC_MOUNTS: path.join(MOUNTS, mounts),
    SWARMLAB_REMOUNT_CGROUPS: options.remount ? '1' : '0',
    SWARMLAB_API_TLS_DIR: options.apiTlsDir ?? path.join(tmpdir(), 'swarmlab-no-api-tls'),
    ...(options.cuts === undefined ? {} : { SWARMLAB_CUTS: options.cuts }),
    ...(options.gogc === undefined ? {} : { GOGC: options.gogc }),
  };
  return execFileSync(BUSYBOX, ['sh', SCRIPT, '--insecure-registry', 'registry:5000'], { env, encoding: 'utf8' }).trim().split('\n');
}

const PID_FILES = 'rm -f /run/docker.pid /var/run/docker.pid /run/docker/containerd/containerd.pid /var/run/docker/containerd/containerd.pid';

describe('the node entry wrapper', () => {
  it('on cgroup v1, in the capabilities mode, mounts every hierarchy again read-write', () => {
    const commands = entry('cgroup-v1.txt', { remount: true, programs: ['docker-init'] });
    expect(commands[0]).toBe(PID_FILES);
    // One umount for every read-only v1 hierarchy of the table (a process each costs every node's start).
    const readOnly = readFileSync(path.join(MOUNTS, 'cgroup-v1.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.includes(' cgroup ro,'))
      .map((line) => line.split(' ')[1]);
    expect(readOnly).toHaveLength(9);
    expect(commands.filter((c) => c.startsWith('umount'))).toEqual([`umount ${readOnly.join(' ')}`]);
    expect(commands.filter((c) => c.startsWith('mount -t cgroup'))).toHaveLength(9);
    expect(commands).toContain('mount -t cgroup -o rw,nosuid,nodev,noexec,relatime,memory cgroup /sys/fs/cgroup/memory');
    expect(commands).toContain('mount -t cgroup -o rw,nosuid,nodev,noexec,relatime,name=systemd cgroup /sys/fs/cgroup/systemd');
    expect(commands.at(-1)).toBe('exec docker-init -- dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000');
  });

  it('on cgroup v2 mounts the unified hierarchy read-write and nests itself, so controllers can be handed down', () => {
    const commands = entry('cgroup-v2.txt', { remount: true, programs: [] });
    expect(commands).toEqual([
      PID_FILES,
      'mount -o remount,rw /sys/fs/cgroup',
      'mkdir -p /sys/fs/cgroup/init',
      'sh -c xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs || true',
      "sh -c sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control",
      'exec dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000',
    ]);
  });

  it('on a hybrid host re-mounts the tmpfs and the v1 hierarchies, and leaves the unified one alone', () => {
    const commands = entry('cgroup-hybrid.txt', { remount: true, programs: [] });
    expect(commands.slice(1, 3)).toEqual(['mount -o remount,rw /sys/fs/cgroup', 'umount /sys/fs/cgroup/memory /sys/fs/cgroup/pids']);
    expect(commands.filter((c) => c.startsWith('mount -t cgroup'))).toEqual([
      'mount -t cgroup -o rw,nosuid,nodev,noexec,relatime,memory cgroup /sys/fs/cgroup/memory',
      'mount -t cgroup -o rw,nosuid,nodev,noexec,relatime,pids cgroup /sys/fs/cgroup/pids',
    ]);
    expect(commands.join('\n')).not.toContain('unified');
  });

  it("hands over to the official image's entrypoint, dockerd first so that it adds no TCP listener", () => {
    const commands = entry('cgroup-v2.txt', { remount: false, programs: ['dockerd-entrypoint.sh', 'docker-init'] });
    expect(commands).toEqual([PID_FILES, 'exec dockerd-entrypoint.sh dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000']);
  });

  it('on a manager given its API certificates, serves the Engine API over TLS with client certificates, on either image', () => {
    const tls = mkdtempSync(path.join(tmpdir(), 'swarmlab-api-tls-'));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(tls, file), 'pem\n');
    const flags = `--host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=${tls}/ca.pem --tlscert=${tls}/cert.pem --tlskey=${tls}/key.pem`;
    expect(entry('cgroup-v2.txt', { remount: false, programs: ['dockerd-entrypoint.sh'], apiTlsDir: tls }).at(-1)).toBe(
      `exec dockerd-entrypoint.sh dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000 ${flags}`,
    );
    expect(entry('cgroup-v1.txt', { remount: false, programs: ['docker-init'], apiTlsDir: tls }).at(-1)).toBe(
      `exec docker-init -- dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000 ${flags}`,
    );
    // A worker has no certificates: the unix socket only.
    expect(entry('cgroup-v2.txt', { remount: false, programs: ['dockerd-entrypoint.sh'] }).at(-1)).toBe(
      'exec dockerd-entrypoint.sh dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000',
    );
  });

  it('applies the cuts it is given by name, on either image, and passes over a name it does not know', () => {
    const cut = entry('cgroup-v2.txt', { remount: false, programs: ['dockerd-entrypoint.sh'], cuts: 'gc default-bridge later-cut' });
    expect(cut).toEqual([
      PID_FILES,
      'export GOGC=400',
      'exec dockerd-entrypoint.sh dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000 --bridge=none',
    ]);
    expect(entry('cgroup-v1.txt', { remount: false, programs: ['docker-init'], cuts: 'default-bridge' }).slice(1)).toEqual([
      'exec docker-init -- dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000 --bridge=none',
    ]);
  });

  it('without cuts leaves the node as dockerd makes it, and keeps a GOGC the node was given', () => {
    expect(entry('cgroup-v2.txt', { remount: false, programs: ['dockerd-entrypoint.sh'], cuts: '' })).toEqual([
      PID_FILES,
      'exec dockerd-entrypoint.sh dockerd --host=unix:///var/run/docker.sock --insecure-registry registry:5000',
    ]);
    expect(entry('cgroup-v2.txt', { remount: false, programs: [], cuts: 'gc', gogc: '150' })).not.toContain('export GOGC=400');
  });
});
