// The join run inside a node (joinScript), for real under busybox sh (the official dind image's
// shell), against a stand-in `docker` whose joins end as a busy 2-core host made them end.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import { joinScript } from '../../src/swarm/bootstrap.js';

const BUSYBOX = '/bin/busybox';
const TOKEN = 'SWMTKN-1-abc-def';
const GOES_ON =
  'Error response from daemon: Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.';

// Each join takes the next outcome: ok; late-ok (outlasts the wait, then becomes active);
// late-error (outlasts the wait, then ends in the error state); refused (fails at once).
const FAKE_DOCKER = `#!${BUSYBOX} sh
echo "$*" | sed 's/--token [^ ]*/--token T/' >> "$DIR/calls"
case "$1 $2" in
  "swarm join")
    n=$(( $(cat "$DIR/joins" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$DIR/joins"
    case "$(echo "$OUTCOMES" | cut -d, -f"$n")" in
      ok) echo active > "$DIR/state"; echo 'This node joined a swarm as a worker.'; exit 0 ;;
      late-ok) echo active > "$DIR/state"; echo '${GOES_ON}' >&2; exit 1 ;;
      late-error) echo error > "$DIR/state"; echo '${GOES_ON}' >&2; exit 1 ;;
      *) echo inactive > "$DIR/state"; echo 'Error response from daemon: invalid join token' >&2; exit 1 ;;
    esac ;;
  "info --format")
    case "$3" in
      *LocalNodeState*) cat "$DIR/state" ;;
      *Swarm.Error*) [ "$(cat "$DIR/state")" = error ] && echo 'dial tcp 10.210.1.10:2377: connect: no route to host' ;;
    esac ;;
  "swarm leave") echo inactive > "$DIR/state" ;;
esac
`;

function join(outcomes: string[]): { status: number | null; stderr: string; calls: string[] } {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: run \`sudo bash scripts/test-host.sh\` (installs busybox-static), then npm test`);
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmlab-join-'));
  for (const applet of ['cat', 'cut', 'sed', 'sleep', 'sh']) symlinkSync(BUSYBOX, path.join(dir, applet));
  writeFileSync(path.join(dir, 'docker'), FAKE_DOCKER);
  chmodSync(path.join(dir, 'docker'), 0o755);
  writeFileSync(path.join(dir, 'state'), 'inactive\n');
  const worker = planTopology({ ...defaultSpec({}), workers: 1 }).nodes[1]!;
  const run = spawnSync(BUSYBOX, ['sh', '-c', joinScript(worker)], {
    input: `${TOKEN}\n`,
    env: { PATH: dir, DIR: dir, OUTCOMES: outcomes.join(',') },
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr, calls: readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') };
}

const JOIN = 'swarm join --advertise-addr 10.210.1.100 --listen-addr 10.210.1.100:2377 --token T manager:2377';
const STATE = 'info --format {{.Swarm.LocalNodeState}}';
const WHY = 'info --format {{.Swarm.Error}}';
const LEAVE = 'swarm leave --force';

describe('a node joining the swarm', () => {
  it('joins once when the join succeeds', () => {
    const run = join(['ok']);
    expect(run).toEqual({ status: 0, stderr: '', calls: [JOIN] });
  });

  it('follows a join that went on in the background until the node is active', () => {
    const run = join(['late-ok']);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([JOIN, STATE]);
  });

  it('leaves and joins again when a background join ends in the error state', () => {
    const run = join(['late-error', 'ok']);
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([JOIN, STATE, WHY, LEAVE, JOIN]);
    expect(run.stderr).toContain(
      'swarmlab: join attempt 1 ended (state error, dial tcp 10.210.1.10:2377: connect: no route to host): Error response from daemon: Timeout was reached',
    );
  });

  it('gives up after three attempts with the last error and the node state, and leaves it outside any swarm for the next up', () => {
    const run = join(['refused', 'late-error', 'refused', 'ok']);
    expect(run.status).toBe(1);
    expect(run.calls.filter((c) => c === JOIN)).toHaveLength(3);
    expect(run.calls.at(-1)).toBe(LEAVE);
    expect(run.stderr.trim().split('\n').slice(-2)).toEqual(['Error response from daemon: invalid join token', 'node state: inactive']);
  });
});
