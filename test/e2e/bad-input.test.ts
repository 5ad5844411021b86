// Bad input across the spec file and the flags of every command: one line naming the problem
// and the fix, a non-zero exit, and nothing made on the engine.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelledObjects, NODE_IMAGE, newLabDir, REGISTRY_IMAGE, requireEngineAndImages, swarmlab } from './harness.js';

const LAB = 'e2e-bad';

interface Case {
  what: string;
  /** swarmlab.yaml after `name: e2e-bad` (empty: no extra lines). */
  spec?: string;
  /** The command line; DIR stands for the lab directory, FILE for the extra file. */
  argv: string[];
  /** Contents of FILE, for the stack-file cases. */
  file?: string;
  /** Environment for the command, e.g. another engine. */
  env?: Record<string, string>;
  exit: number;
  line: RegExp;
}

const CASES: Case[] = [
  { what: 'malformed YAML', spec: 'workers: [3', argv: ['up'], exit: 2, line: /^error: swarmlab\.yaml: not valid YAML .*; fix: correct the YAML syntax/ },
  {
    what: 'a wrong type',
    spec: 'workers: three',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: workers: must be a whole number \(got "three"\); fix: /,
  },
  { what: 'an unknown key', spec: 'wokers: 3', argv: ['up'], exit: 2, line: /^error: swarmlab\.yaml: wokers: unknown key; fix: remove it; known keys are / },
  {
    what: 'an even manager count',
    spec: 'managers: 2',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: managers: must be 1, 3, 5 or 7 \(got 2\); fix: /,
  },
  { what: 'zero managers', spec: 'managers: 0', argv: ['up'], exit: 2, line: /^error: swarmlab\.yaml: managers: must be 1, 3, 5 or 7 \(got 0\)/ },
  {
    what: 'a huge worker count',
    spec: 'workers: 5000',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: workers: must be a whole number from 0 to 50 \(got 5000\); fix: pick 0\.\.50$/,
  },
  {
    what: 'a negative worker count',
    spec: 'workers: -1',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: workers: must be a whole number from 0 to 50 \(got -1\)/,
  },
  {
    what: 'port 0',
    spec: 'registryPort: 0',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: registryPort: must be a port from 1 to 65535 \(got 0\); fix: /,
  },
  {
    what: 'port 65536',
    spec: 'registryPort: 65536',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: registryPort: must be a port from 1 to 65535 \(got 65536\)/,
  },
  {
    what: 'a port used twice',
    spec: 'registryPort: 18111\nports: ["18111:80"]',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: ports: host port 18111 is used twice \(also by registryPort\); fix: /,
  },
  { what: 'a name with a space', spec: 'name: my lab', argv: ['up'], exit: 2, line: /^error: swarmlab\.yaml: name: "my lab" is not a valid lab name; fix: / },
  { what: 'an uppercase name', spec: 'name: MyLab', argv: ['up'], exit: 2, line: /^error: swarmlab\.yaml: name: "MyLab" is not a valid lab name/ },
  {
    what: 'an image that is not a reference',
    spec: 'nodeImage: "not an image!"',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: nodeImage: "not an image!" is not an image reference; fix: /,
  },
  {
    what: 'a bind address that is not IPv4',
    spec: 'bindAddress: localhost',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: bindAddress: "localhost" is not an IPv4 address; fix: /,
  },
  {
    what: 'an unknown apiVersion',
    spec: 'apiVersion: swarmlab/v2',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: apiVersion: unsupported version "swarmlab\/v2"; fix: set apiVersion: swarmlab\/v1alpha1$/,
  },
  {
    what: 'a port entry of the wrong form',
    spec: 'ports: ["80"]',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: ports\[0\]: must be "HOST:CONTAINER" \(got "80"\); fix: /,
  },
  {
    what: 'the wrong kind',
    spec: 'kind: Cluster',
    argv: ['up'],
    exit: 2,
    line: /^error: swarmlab\.yaml: kind: must be Lab \(got "Cluster"\); fix: set kind: Lab$/,
  },
  {
    what: '--workers out of range',
    argv: ['up', '--workers', '51'],
    exit: 2,
    line: /^error: --workers: must be a whole number from 0 to 50 \(got 51\); fix: /,
  },
  {
    what: '--workers not a number',
    argv: ['up', '--workers', 'many'],
    exit: 2,
    line: /^error: --workers: must be a whole number from 0 to 50 \(got NaN\); fix: /,
  },
  { what: '--managers even', argv: ['up', '--managers', '4'], exit: 2, line: /^error: --managers: must be 1, 3, 5 or 7 \(got 4\); fix: / },
  {
    what: '--registry-port 0',
    argv: ['up', '--registry-port', '0'],
    exit: 2,
    line: /^error: --registry-port: must be a port from 1 to 65535 \(got 0\); fix: /,
  },
  { what: '--name with spaces', argv: ['up', '--name', 'Bad Name'], exit: 2, line: /^error: --name: "Bad Name" is not a valid lab name; fix: / },
  {
    what: '--node-image that is not a reference',
    argv: ['render', '--node-image', 'Not/An Image'],
    exit: 2,
    line: /^error: --node-image: "Not\/An Image" is not an image reference; fix: /,
  },
  { what: 'an unknown flag', argv: ['up', '--wokers', '3'], exit: 2, line: /^error: Unknown arguments?: wokers; fix: see swarmlab up --help$/ },
  {
    what: 'an unknown exercise command',
    argv: ['exercise', 'chek'],
    exit: 2,
    line: /^error: "chek" is not a swarmlab exercise command \(use one of list, show, start, check, .*\); fix: see swarmlab exercise --help$/,
  },
  {
    what: 'a missing argument',
    argv: ['exercise', 'start'],
    exit: 2,
    line: /^error: swarmlab exercise start <id>: <id> is missing; fix: see swarmlab exercise start --help$/,
  },
  { what: 'an unknown command', argv: ['upp'], exit: 2, line: /^error: Unknown arguments?: (dir, )?upp; fix: see swarmlab --help$/ },
  {
    what: 'a --dir that does not exist',
    argv: ['status', '--dir', '/nonexistent/lab'],
    exit: 2,
    line: /^error: --dir: \/nonexistent\/lab is not a directory; fix: /,
  },
  {
    what: 'push of a name that is not an image reference',
    argv: ['push', 'Not An Image'],
    exit: 2,
    line: /^error: IMAGE: "Not An Image" is not an image reference; fix: /,
  },
  {
    what: 'deploy of a missing stack file',
    argv: ['deploy', 'DIR/nothere.yml'],
    exit: 2,
    line: /^error: STACKFILE: cannot read .*nothere\.yml \(ENOENT\); fix: /,
  },
  {
    what: 'deploy of a stack file that is not YAML',
    argv: ['deploy', 'FILE'],
    file: 'services: [x\n',
    exit: 2,
    line: /^error: .*stack\.yml: not valid YAML: .*; fix: correct the YAML syntax of the stack file$/,
  },
  {
    what: 'deploy of a stack file without services',
    argv: ['deploy', 'FILE'],
    file: 'version: "3"\n',
    exit: 2,
    line: /^error: .*stack\.yml: has no services; fix: /,
  },
  {
    what: 'deploy with a bad stack name',
    argv: ['deploy', 'FILE', '--stack', 'bad name!'],
    file: 'services: {a: {image: x}}\n',
    exit: 2,
    line: /^error: --stack: "bad name!" is not a valid stack name; fix: /,
  },
  {
    what: 'docker with no command',
    argv: ['docker', '--node', 'worker01'],
    exit: 2,
    line: /^error: ARGS: no docker command given; fix: e\.g\. swarmlab docker node ls$/,
  },
  { what: 'docker --node without a value', argv: ['docker', '--node'], exit: 2, line: /^error: --node: needs a value; fix: / },
  {
    what: 'docker --node with a docker command where the node was wanted',
    argv: ['docker', '--node', 'ps'],
    exit: 2,
    line: /^error: --node: took "ps", a docker command, as the node to run in, which left no docker command to run; fix: swarmlab docker --node NODE ps /,
  },
  {
    what: "docker with swarmlab's --name after the docker command",
    argv: ['docker', 'service', 'ls', '--name', 'echo'],
    exit: 2,
    line: /^error: --name: came after "docker service ls", .*; fix: swarmlab docker --name echo service ls, or swarmlab docker service ls --filter name=echo /,
  },
  {
    what: 'docker --node that names no node (lab not up)',
    argv: ['docker', '--node', 'worker09', 'ps'],
    exit: 1,
    line: /^error: lab "e2e-bad" is not up; fix: swarmlab up --name e2e-bad/,
  },
  { what: 'ps of a lab that is not up', argv: ['ps'], exit: 1, line: /^error: lab "e2e-bad" is not up; fix: / },
  {
    // Through ssh2, which the bundle loads only for an ssh engine (scripts/build.mjs), and
    // without the deprecation lines Node prints for docker-modem's ssh request paths.
    what: 'an ssh:// engine where nothing answers',
    argv: ['status'],
    env: { DOCKER_HOST: 'ssh://nobody@127.0.0.1:1' },
    exit: 1,
    line: /^error: cannot reach the Docker engine \(nothing answers at 127\.0\.0\.1:1\); fix: /,
  },
];

beforeAll(async () => {
  await requireEngineAndImages([NODE_IMAGE, REGISTRY_IMAGE]);
}, 60_000);

describe('bad input', () => {
  it('covers at least 25 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(25));

  it.each(CASES.map((c) => [c.what, c] as const))(
    '%s',
    async (_what, c) => {
      const dir = newLabDir();
      const spec = c.spec ?? '';
      writeFileSync(path.join(dir, 'swarmlab.yaml'), spec.startsWith('name:') ? `${spec}\n` : `name: ${LAB}\n${spec}\n`);
      const file = path.join(dir, 'stack.yml');
      if (c.file !== undefined) writeFileSync(file, c.file);
      const argv = c.argv.map((a) => (a === 'FILE' ? file : a.replace('DIR', dir)));
      const hasDir = argv.includes('--dir') || argv[0] === 'docker';
      const result = await swarmlab(hasDir ? argv : [...argv, '--dir', dir], { cwd: dir, env: c.env });
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(c.line);
      expect(result.exitCode).toBe(c.exit);
      expect(await labelledObjects(LAB)).toEqual({ containers: [], networks: [], volumes: [] });
    },
    30_000,
  );
});
