import { parseDockerInvocation } from '../../src/cli/commands/docker.js';
import { tarArchive } from '../../src/engine/tar.js';
import { SpecError } from '../../src/errors.js';
import { clusterReference, labImageNames, parseReference } from '../../src/registry/reference.js';
import { HOPELESS_ATTEMPTS, hopelessServices, parseServiceReplicas, serviceOfTask } from '../../src/stacks/deploy.js';
import { externalNetworks, ipvsDependents, parseStackFile, rewriteImages } from '../../src/stacks/stack-file.js';
import { groupByNode, parseTaskLines } from '../../src/swarm/tasks.js';

describe('image references', () => {
  it.each([
    ['nginx', { domain: undefined, path: 'nginx', tag: 'latest' }],
    ['swarmlab/echo:offline', { domain: undefined, path: 'swarmlab/echo', tag: 'offline' }],
    ['localhost:5000/app:2', { domain: 'localhost:5000', path: 'app', tag: '2' }],
    ['ghcr.io/org/app', { domain: 'ghcr.io', path: 'org/app', tag: 'latest' }],
  ])('%s', (text, expected) => expect(parseReference(text)).toEqual(expected));

  it('gives an image its host and cluster names', () => {
    expect(labImageNames('swarmlab/echo:offline', '127.0.0.1:5000')).toEqual({
      host: '127.0.0.1:5000/swarmlab/echo:offline',
      cluster: 'registry:5000/swarmlab/echo:offline',
    });
    expect(labImageNames('docker.io/library/nginx:1', '127.0.0.1:5001').cluster).toBe('registry:5000/nginx:1');
  });

  it('rewrites only the lab registry as the host sees it', () => {
    expect(clusterReference('127.0.0.1:5000/app:1', 5000)).toBe('registry:5000/app:1');
    expect(clusterReference('localhost:5000/team/app', 5000)).toBe('registry:5000/team/app');
    expect(clusterReference('127.0.0.1:5001/app:1', 5000)).toBeUndefined();
    expect(clusterReference('registry:5000/app:1', 5000)).toBeUndefined();
    expect(clusterReference('nginx', 5000)).toBeUndefined();
  });
});

describe('stack files', () => {
  const text = `
services:
  api: {image: "127.0.0.1:5000/echo:1", deploy: {endpoint_mode: dnsrr}}
  proxy:
    image: nginx
    ports: ["80:80", {target: 8080, published: 81, mode: host}]
networks:
  ch03: {external: true}
  named: {external: {name: shared-net}}
  own: {driver: overlay}
`;
  const stack = parseStackFile(text, 'web.yml');

  it('rewrites host-side registry images and says which', () => {
    const { stack: rewritten, rewrites } = rewriteImages(stack, 5000);
    expect(rewrites).toEqual([{ service: 'api', from: '127.0.0.1:5000/echo:1', to: 'registry:5000/echo:1' }]);
    expect(rewritten.services.api!.image).toBe('registry:5000/echo:1');
    expect(rewritten.services.proxy!.image).toBe('nginx');
  });

  it('lists the external networks by their real names', () => {
    expect(externalNetworks(stack)).toEqual(['ch03', 'shared-net']);
  });

  it('finds what needs IPVS: VIP endpoints and ingress ports', () => {
    expect(ipvsDependents(stack)).toEqual(['proxy: VIP endpoint (set deploy.endpoint_mode: dnsrr)', 'proxy: ingress port 80:80 (publish with mode: host)']);
  });

  it('refuses a file without services, or that is not YAML', () => {
    expect(() => parseStackFile('version: "3"\n', 'x.yml')).toThrow(SpecError);
    expect(() => parseStackFile('services: [oops\n', 'x.yml')).toThrow(/x\.yml: not valid YAML/);
  });

  it('names the service of a replicated or a global task', () => {
    expect(serviceOfTask('web_api.2')).toBe('web_api');
    expect(serviceOfTask('visualizer_app.jobx5tvqvu13l8s5whevn0rwz')).toBe('visualizer_app');
  });

  it('reads replica counts of docker service ls', () => {
    expect(parseServiceReplicas('web_api\t2/3\treplicated\nweb_proxy\t1/1 (max 1 per node)\treplicated\nviz\t0/0\tglobal\nidle\t0/0\treplicated\n')).toEqual([
      { name: 'web_api', running: 2, desired: 3 },
      { name: 'web_proxy', running: 1, desired: 1 },
      { name: 'viz', running: 0, desired: 1 },
      { name: 'idle', running: 0, desired: 0 },
    ]);
  });
});

describe('tasks', () => {
  it('groups tasks by node name, in order', () => {
    const tasks = parseTaskLines(
      [
        'echo.10\tworker01\tRunning\tRunning 1 second ago\t\tr:5000/e',
        'echo.2\tmanager\tRunning\tRunning 2 seconds ago\t\tr:5000/e',
        ' \\_ echo.1\tworker01\tShutdown\tFailed 1 minute ago\t"task: non-zero exit (1)"\tr:5000/e',
        'echo.1\tworker01\tRunning\tRunning 3 seconds ago\t\tr:5000/e',
      ].join('\n'),
    );
    const groups = groupByNode(tasks);
    expect([...groups.keys()]).toEqual(['manager', 'worker01']);
    expect(groups.get('worker01')!.map((t) => [t.name, t.desiredState])).toEqual([
      ['echo.1', 'Shutdown'],
      ['echo.1', 'Running'],
      ['echo.10', 'Running'],
    ]);
    expect(groups.get('worker01')![0]!.error).toBe('"task: non-zero exit (1)"');
  });
});

describe('swarmlab docker arguments', () => {
  it('takes its own options first and passes the rest to docker untouched', () => {
    expect(parseDockerInvocation(['--node', 'worker02', 'service', 'create', '--name', 'echo', 'img'])).toEqual({
      dir: '.',
      node: 'worker02',
      args: ['service', 'create', '--name', 'echo', 'img'],
    });
    expect(parseDockerInvocation(['--name=lab', '--dir', '/x', '--', '--version'])).toEqual({ dir: '/x', name: 'lab', args: ['--version'] });
  });

  it('needs a docker command', () => {
    expect(() => parseDockerInvocation(['--node', 'worker01'])).toThrow('ARGS: no docker command given');
  });

  // Each is one line: what happened, then the command that does what was meant.
  const problem = (argv: string[]) => {
    try {
      parseDockerInvocation(argv);
    } catch (err) {
      return (err as Error).message;
    }
    return undefined;
  };

  it('says when --node took a docker command for the node, instead of "no docker command given"', () => {
    expect(problem(['--node', 'ps'])).toBe(
      '--node: took "ps", a docker command, as the node to run in, which left no docker command to run; ' +
        'fix: swarmlab docker --node NODE ps (NODE: manager, worker01, ...: swarmlab status lists them)',
    );
    expect(problem(['--node=ps', '-a'])).toBe(
      '--node: took "ps", a docker command, as the node to run in; fix: swarmlab docker --node NODE ps -a (NODE: manager, worker01, ...: swarmlab status lists them)',
    );
    expect(problem(['--name', 'service'])).toMatch(/^--name: took "service", a docker command, as the lab's name, which left no docker command to run; fix: /);
    // A lab may be named like a docker command; a node may not.
    expect(parseDockerInvocation(['--name', 'stack', 'node', 'ls'])).toEqual({ dir: '.', name: 'stack', args: ['node', 'ls'] });
  });

  it('says when one of its own options came after a docker command that would refuse it as an unknown flag', () => {
    expect(problem(['service', 'ls', '--name', 'echo'])).toBe(
      '--name: came after "docker service ls", so docker got it, and docker service ls has no --name: ' +
        "swarmlab's options go before the docker command; " +
        'fix: swarmlab docker --name echo service ls, or swarmlab docker service ls --filter name=echo to list by name',
    );
    expect(problem(['ps', '--node=worker01', '-a'])).toBe(
      '--node: came after "docker ps", so docker got it, and docker ps has no --node: ' +
        "swarmlab's options go before the docker command; fix: swarmlab docker --node worker01 ps -a",
    );
    expect(problem(['node', 'ps', '--node'])).toMatch(/; fix: swarmlab docker --node VALUE node ps$/);
    expect(problem(['images', '--name', 'x'])).toMatch(/; fix: swarmlab docker --name x images$/);
  });

  it('leaves alone what docker takes: --name of a command that has one, and what follows a container command', () => {
    for (const args of [
      ['service', 'create', '--name', 'echo', 'img'],
      ['run', '--rm', '--name', 'x', 'alpine', 'echo', '--node'],
      ['exec', 'ctr', 'sh', '-c', 'ls --dir'],
      ['service', 'ls', '--filter', 'name=echo'],
    ]) {
      expect(parseDockerInvocation(args).args).toEqual(args);
    }
  });
});

describe('tar archives', () => {
  it('hold files as ustar headers with valid checksums, padded content, and the end blocks', () => {
    const tar = tarArchive([{ name: 'web.yml', content: Buffer.from('services: {}\n') }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(0, 7).toString()).toBe('web.yml');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    const header = Buffer.from(tar.subarray(0, 512));
    const stored = parseInt(header.subarray(148, 154).toString(), 8);
    header.fill(' ', 148, 156);
    expect(header.reduce((sum, b) => sum + b, 0)).toBe(stored);
    expect(parseInt(tar.subarray(124, 135).toString(), 8)).toBe(13);
    expect(tar.subarray(512, 525).toString()).toBe('services: {}\n');
    const two = tarArchive([
      { name: 'a.txt', content: Buffer.alloc(600, 'a') },
      { name: 'b/c.txt', content: Buffer.from('c') },
    ]);
    expect(two.length).toBe(512 + 1024 + 512 + 512 + 1024);
    expect(two.subarray(1536, 1543).toString()).toBe('b/c.txt');
  });
});

describe('a service the nodes refuse again and again', () => {
  const task = (name: string, currentState: string, error = '') => ({ name, node: 'manager', desiredState: 'Shutdown', currentState, error, image: 'v' });
  const mount = 'invalid mount config for type "bind": bind source path does not exist: /var/run/docker/sock';
  const refusals = (n: number, service = 'viz_app.abc') => Array.from({ length: n }, () => task(service, 'Rejected 2 seconds ago', mount));

  it('is given up on after the same refusal, with the error, instead of waiting out the timeout', () => {
    expect(hopelessServices(['viz_app'], refusals(HOPELESS_ATTEMPTS))).toEqual([{ service: 'viz_app', error: mount, attempts: HOPELESS_ATTEMPTS }]);
  });

  it('is waited for while it has few refusals, different ones, a running task, or tasks that started and failed', () => {
    expect(hopelessServices(['viz_app'], refusals(HOPELESS_ATTEMPTS - 1))).toEqual([]);
    expect(hopelessServices(['viz_app'], [...refusals(HOPELESS_ATTEMPTS - 1), task('viz_app.abc', 'Rejected 1 second ago', 'No such image: v')])).toEqual([]);
    expect(hopelessServices(['viz_app'], [...refusals(HOPELESS_ATTEMPTS), task('viz_app.abc', 'Running 1 second ago')])).toEqual([]);
    const exits = Array.from({ length: 6 }, () => task('web_api.1', 'Failed 3 seconds ago', 'task: non-zero exit (1)'));
    expect(hopelessServices(['web_api'], exits)).toEqual([]);
    expect(hopelessServices(['web_api'], refusals(HOPELESS_ATTEMPTS))).toEqual([]);
  });
});
