// The pull-through mirror as data: the container, the node flags, the lab network's label, the
// upstream check and the hits and misses read from the mirror's access log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { formatMirrorStatus } from '../../src/cli/print-mirror.js';
import { renderCompose } from '../../src/plan/compose.js';
import {
  countBlobDownloads,
  LABEL_MIRROR,
  LABEL_USES_MIRROR,
  mirrorAddress,
  mirrorContainerSpec,
  nodeMirrorFlags,
  upstreamProblem,
} from '../../src/plan/mirror-plan.js';
import { planTopology } from '../../src/plan/topology.js';
import { defaultSpec } from '../../src/spec/defaults.js';
import { REPO_ROOT } from '../repo-root.js';

// The mirror's access log as distribution 2.8 wrote it here: two nodes pulled one image (a
// config blob and a layer); the manifest lines and a 404 are not blob downloads.
const CONFIG = `sha256:${'5'.repeat(64)}`;
const LAYER = `sha256:${'7'.repeat(64)}`;
const line = (ip: string, what: string, status: number, bytes: number) =>
  `${ip} - - [24/Nov/2026:02:02:43 +0000] "${what} HTTP/1.1" ${status} ${bytes} "" "docker/20.10.24"`;
const ACCESS_LOG = [
  'time="2026-11-24T02:02:40Z" level=info msg="listening on [::]:5000"',
  line('10.210.2.10', 'GET /v2/', 200, 2),
  line('10.210.2.10', 'HEAD /v2/library/mirrored/manifests/1', 200, 528),
  line('10.210.2.10', `GET /v2/library/mirrored/blobs/${CONFIG}`, 200, 1044),
  line('10.210.2.10', `GET /v2/library/mirrored/blobs/${LAYER}`, 200, 1065136),
  line('10.210.2.100', `GET /v2/library/mirrored/blobs/${CONFIG}`, 200, 1044),
  line('10.210.2.100', `GET /v2/library/mirrored/blobs/${LAYER}`, 200, 1065136),
  line('10.210.2.100', `GET /v2/library/missing/blobs/${LAYER.replace(/7/g, '9')}`, 404, 157),
].join('\n');

describe('mirror plan', () => {
  it('runs the registry in proxy mode, publishing nothing, its storage in its own volume', () => {
    const spec = mirrorContainerSpec({ image: 'registry:2', upstream: 'https://registry-1.docker.io' });
    expect(spec.env.REGISTRY_PROXY_REMOTEURL).toBe('https://registry-1.docker.io');
    expect(spec.ports).toEqual([]);
    expect(spec.binds).toEqual(['swarmlab-mirror-data:/var/lib/registry']);
    expect(spec.labels[LABEL_MIRROR]).toBe('true');
    expect(spec.network).toBe('bridge');
    expect(mirrorContainerSpec({ image: 'registry:2', upstream: 'http://up:5000', network: 'corp' }).network).toBe('corp');
    expect(spec.ipv4Address).toBeUndefined();
    expect(spec.privileged).toBe(false);
  });

  it('sits at .250 of a lab network, clear of the registry, managers and workers', () => {
    expect(mirrorAddress('10.210.7.0/24')).toBe('10.210.7.250');
    const topology = planTopology({ ...defaultSpec({}), managers: 7, workers: 50 });
    expect(topology.nodes.map((n) => n.address)).not.toContain('10.210.1.250');
    expect(topology.registry.address).not.toBe('10.210.1.250');
  });

  it('accepts http(s) registry URLs only', () => {
    expect(upstreamProblem('https://registry-1.docker.io')).toBeUndefined();
    expect(upstreamProblem('http://upstream:5000')).toBeUndefined();
    expect(upstreamProblem('registry-1.docker.io')).toMatch(/not a URL|https:\/\//);
    expect(upstreamProblem('ftp://x')).toMatch(/https:\/\//);
    expect(upstreamProblem('https://example.com/v2/')).toMatch(/only the registry/);
  });

  it('counts the first download of each blob as a miss and the later ones as hits', () => {
    expect(countBlobDownloads(ACCESS_LOG)).toEqual({ served: 4, misses: 2, hits: 2, bytesServed: 2 * (1044 + 1065136) });
    expect(countBlobDownloads('')).toEqual({ served: 0, misses: 0, hits: 0, bytesServed: 0 });
  });

  it('says what it holds, and how to start one when there is none', () => {
    expect(formatMirrorStatus({ up: false, labs: [] })).toMatch(/swarmlab mirror up/);
    const text = formatMirrorStatus({
      up: true,
      state: 'running',
      upstream: 'https://registry-1.docker.io',
      labs: ['a', 'b'],
      counters: countBlobDownloads(ACCESS_LOG),
      sizeBytes: 5_000_000,
    });
    expect(text).toContain('labs      a, b');
    expect(text).toContain('blobs     2 hits, 2 misses: 4 downloads (2.1 MB) served to nodes since the mirror started');
    expect(text).toContain('cache     5.0 MB');
  });
});

describe('a lab with mirror: true', () => {
  const render = (mirror: boolean) =>
    parse(
      renderCompose({
        topology: planTopology({ ...defaultSpec({}), mirror }),
        security: { mode: 'privileged' },
        templateText: readFileSync(path.join(REPO_ROOT, 'templates', 'compose.yaml'), 'utf8'),
        entryScript: readFileSync(path.join(REPO_ROOT, 'templates', 'node-entry.sh'), 'utf8'),
        registryDataDir: '/labs/demo/registry-data',
        stackDir: '/labs/demo/stack',
        apiTlsServerDir: '/labs/demo/.swarmlab/demo/api-tls/server',
      }),
    ) as { services: Record<string, { command?: string[] }>; networks: Record<string, { labels: Record<string, string> }> };

  it('gives every node the mirror as a registry mirror, and labels its network for the mirror to join', () => {
    const model = render(true);
    for (const name of ['manager', 'worker01', 'worker03'])
      expect(model.services[name]!.command).toEqual(['--insecure-registry', 'registry:5000', ...nodeMirrorFlags()]);
    expect(nodeMirrorFlags()).toEqual(['--registry-mirror', 'http://swarmlab-mirror:5000', '--insecure-registry', 'swarmlab-mirror:5000']);
    expect(model.networks.lab!.labels[LABEL_USES_MIRROR]).toBe('true');
  });

  it('leaves a lab without it as before', () => {
    const model = render(false);
    expect(model.services.manager!.command).toEqual(['--insecure-registry', 'registry:5000']);
    expect(model.networks.lab!.labels[LABEL_USES_MIRROR]).toBeUndefined();
  });
});
