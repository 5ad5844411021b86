// Decoding checks and their expectations (see decode.ts).
import { readCondition, readNodeName } from './decode-steps.js';
import { VALUE_NAMES } from './expect.js';
import type { FieldReader } from './fields.js';
import { placeholdersOf } from './template.js';
import type { Check, Expectation, HttpProbe } from './types.js';

export const CHECK_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const EXPECT_KINDS = ['service', 'node', 'nodes', 'swarm', 'network', 'secret', 'config', 'stack'] as const;
const MAX_WAIT_MS = 600_000;

function readServiceExpectation(r: FieldReader, name: string): Expectation {
  return {
    on: 'service',
    name,
    absent: r.boolean('absent'),
    replicas: r.integer('replicas', { min: 0, max: 1000 }),
    image: r.string('image'),
    mode: r.oneOf('mode', ['replicated', 'global'] as const),
    minNodes: r.integer('minNodes', { min: 1, max: 100 }),
    notOnRole: r.oneOf('notOnRole', ['manager', 'worker'] as const),
    onRole: r.oneOf('onRole', ['manager', 'worker'] as const),
    networks: r.strings('networks'),
    publishedPort: r.integer('publishedPort', { min: 1, max: 65535 }),
    publishMode: r.oneOf('publishMode', ['ingress', 'host'] as const),
    endpointMode: r.oneOf('endpointMode', ['vip', 'dnsrr'] as const),
    secrets: r.strings('secrets'),
    configs: r.strings('configs'),
    env: r.stringMap('env', '{BACKEND_HOST: "echo_api:8080"}'),
    constraints: r.strings('constraints'),
    mounts: r.stringMap('mounts', '{/var/run/docker.sock: /var/run/docker.sock}'),
    updateState: r.oneOf('updateState', ['updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed'] as const),
    healthcheck: r.string('healthcheck'),
    placementPrefs: r.strings('placementPrefs'),
    reservesMemory: r.boolean('reservesMemory'),
  };
}

function readExpectation(r: FieldReader): Expectation | undefined {
  const kinds = EXPECT_KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) {
    r.problem(
      undefined,
      kinds.length === 0 ? 'names nothing to expect' : `names ${kinds.join(' and ')}: one per check`,
      `start it with one of ${EXPECT_KINDS.join(', ')}, e.g. {service: echo, replicas: 6}`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  if (kind === 'nodes') {
    const nodes = r.mapping('nodes', '{ready: 4, workers: 3}');
    if (!nodes) return undefined;
    const count = { min: 0, max: 100 };
    const e: Expectation = {
      on: 'nodes',
      ready: nodes.integer('ready', count),
      managers: nodes.integer('managers', count),
      workers: nodes.integer('workers', count),
      down: nodes.integer('down', count),
      duplicates: nodes.integer('duplicates', count),
    };
    nodes.rejectUnknownKeys();
    return e;
  }
  if (kind === 'swarm') {
    const swarm = r.mapping('swarm', '{autolock: true}');
    if (!swarm) return undefined;
    const e: Expectation = { on: 'swarm', autolock: swarm.boolean('autolock') };
    swarm.rejectUnknownKeys();
    return e;
  }
  const name = r.string(kind, { required: true, example: 'echo' });
  if (name === undefined) return undefined;
  switch (kind) {
    case 'service':
      return readServiceExpectation(r, name);
    case 'node':
      return {
        on: 'node',
        name,
        role: r.oneOf('role', ['manager', 'worker'] as const),
        status: r.oneOf('status', ['ready', 'down', 'unknown', 'disconnected'] as const),
        availability: r.oneOf('availability', ['active', 'pause', 'drain'] as const),
        managerStatus: r.oneOf('managerStatus', ['leader', 'reachable', 'unreachable'] as const),
        labels: r.stringMap('labels', '{zone: a}'),
      };
    case 'network':
      return {
        on: 'network',
        name,
        absent: r.boolean('absent'),
        driver: r.string('driver'),
        attachable: r.boolean('attachable'),
        scope: r.oneOf('scope', ['swarm', 'local'] as const),
      };
    case 'secret':
    case 'config':
      return { on: kind, name, absent: r.boolean('absent') };
    case 'stack': {
      const services = typeof r.raw.services === 'number' ? r.integer('services', { min: 0, max: 100 }) : r.strings('services');
      return { on: 'stack', name, absent: r.boolean('absent'), services };
    }
  }
}

function readHttp(r: FieldReader): HttpProbe {
  if (r.has('port') === r.has('managerPort')) {
    r.problem(
      undefined,
      'needs exactly one of port and managerPort',
      'write managerPort: 80 (a port of the first manager, as the lab publishes it) or port: 8000 (a host port)',
    );
  }
  return {
    port: r.integer('port', { min: 1, max: 65535 }),
    managerPort: r.integer('managerPort', { min: 1, max: 65535 }),
    path: r.string('path', { pattern: /^\//, fix: 'start the path with /', example: '/' }) ?? '/',
    status: r.integer('status', { min: 100, max: 599 }) ?? 200,
    contains: r.string('contains'),
  };
}

/** The {{names}} a check's `fail:` may use. */
function failValues(check: Check): string[] {
  if (check.kind === 'expect') return VALUE_NAMES[check.expect.on];
  if (check.kind === 'run') return ['node', 'output', 'exitCode'];
  return ['url', 'status', 'body'];
}

function readKind(r: FieldReader, common: Omit<Check, 'kind' | 'expect' | 'run' | 'http'>): Check | undefined {
  const kinds = (['expect', 'run', 'http'] as const).filter((k) => r.has(k));
  r.allow(['expect', 'run', 'http']);
  if (kinds.length !== 1) {
    r.problem(
      undefined,
      kinds.length === 0 ? 'has no expect, run or http' : `has ${kinds.join(' and ')}: one per check`,
      'give each check one of expect: {...}, run: {node, sh} or http: {managerPort, path}',
    );
    return undefined;
  }
  if (kinds[0] === 'expect') {
    const e = r.mapping('expect', '{service: echo, replicas: 6}');
    const expect = e && readExpectation(e);
    if (expect) e!.rejectUnknownKeys();
    return expect && { ...common, kind: 'expect', expect };
  }
  if (kinds[0] === 'run') {
    const run = r.mapping('run', '{node: manager, sh: "..."}');
    const node = run && readNodeName(run);
    const sh = run?.string('sh', { required: true, example: '"test -f /stack/done || echo FAIL: ..."' });
    run?.rejectUnknownKeys();
    return node && sh !== undefined ? { ...common, kind: 'run', run: { node, sh } } : undefined;
  }
  const http = r.mapping('http', '{managerPort: 80, path: /, contains: hello}');
  const probe = http && readHttp(http);
  http?.rejectUnknownKeys();
  return probe && { ...common, kind: 'http', http: probe };
}

export function readCheck(r: FieldReader): Check | undefined {
  const id = r.string('id', { required: true, pattern: CHECK_ID_PATTERN, fix: 'use lowercase letters, digits and dashes, e.g. replicas', example: 'replicas' });
  const common = {
    id: id ?? '',
    description: r.string('description'),
    fail: r.string('fail'),
    hints: r.strings('hint') ?? [],
    waitMs: r.duration('wait', MAX_WAIT_MS),
    when: readCondition(r),
    needs: r.strings('needs'),
  };
  const check = readKind(r, common);
  if (check?.fail) {
    const allowed = failValues(check);
    for (const name of placeholdersOf(check.fail).filter((n) => !allowed.includes(n))) {
      r.problem('fail', `uses {{${name}}}, which this check does not see`, `use one of ${allowed.map((a) => `{{${a}}}`).join(', ')}`);
    }
  }
  r.rejectUnknownKeys();
  return check;
}
