// The compose model (what `render` prints), as what the Engine API must create: a network, the
// node volumes, and a container per service. The compose file stays the description of a lab
// (`render`, .swarmlab/<lab>/compose.yaml); this is how `up` makes it without compose. The
// objects carry compose's own project and service labels, so `docker compose -p <project> ps`
// and `logs` see the lab as theirs. Pure.
import type { ContainerSpec } from '../engine/engine.js';
import type { EnginePlan } from '../engine/launch.js';
import { type ComposeModel, SYSTEM_PATHS_UNCONFINED } from './compose.js';

/** Compose reads `$$` as a literal `$` (it interpolates `$VAR`); the Engine API takes text as is. */
function literal(text: string): string {
  return text.replaceAll('$$', '$');
}

/** `127.0.0.1:5000:5000` -> host IP, host port, container port. */
function portOf(text: string): ContainerSpec['ports'][number] {
  const parts = text.split(':');
  const [hostIp = '', hostPort = '', containerPort = ''] = parts.length === 3 ? parts : ['', ...parts];
  // `127.0.0.1::2376`: no host port, the engine picks one (0).
  return { hostIp, hostPort: Number(hostPort), containerPort: Number(containerPort) };
}

export function composeLabels(project: string, kind: 'service' | 'network' | 'volume', name: string): Record<string, string> {
  const base = { 'com.docker.compose.project': project };
  if (kind === 'network') return { ...base, 'com.docker.compose.network': name };
  if (kind === 'volume') return { ...base, 'com.docker.compose.volume': name };
  return { ...base, 'com.docker.compose.service': name, 'com.docker.compose.oneoff': 'False', 'com.docker.compose.container-number': '1' };
}

export function enginePlan(model: ComposeModel, project: string): EnginePlan {
  const [networkKey, network] = Object.entries(model.networks)[0]!;
  const volumeNames = new Map(Object.entries(model.volumes).map(([key, v]) => [key, v.name]));
  const containers = Object.entries(model.services).map(([service, s]) => ({
    service,
    dependsOn: s.depends_on ?? [],
    name: s.container_name,
    image: s.image,
    hostname: s.hostname,
    labels: { ...s.labels, ...composeLabels(project, 'service', service) },
    env: Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, literal(String(v))])),
    entrypoint: s.entrypoint?.map(literal),
    cmd: s.command?.map(literal),
    privileged: s.privileged ?? false,
    capAdd: s.cap_add ?? [],
    capDrop: s.cap_drop ?? [],
    // What the docker CLI does with systempaths=unconfined, which the Engine API does not take.
    securityOpt: (s.security_opt ?? []).filter((o) => o !== SYSTEM_PATHS_UNCONFINED),
    ...(s.security_opt?.includes(SYSTEM_PATHS_UNCONFINED) ? { unmaskedSystemPaths: true } : {}),
    ...(s.cgroup ? { cgroupns: s.cgroup } : {}),
    ...(s.runtime ? { runtime: s.runtime } : {}),
    ...(s.restart ? { restartPolicy: s.restart } : {}),
    ports: (s.ports ?? []).map(portOf),
    // A named volume of the file becomes its real name; a host path stays as it is.
    binds: (s.volumes ?? []).map((v) => {
      const [source, ...rest] = literal(v).split(':');
      return [volumeNames.get(source!) ?? source, ...rest].join(':');
    }),
    network: network.name,
    ipv4Address: s.networks[networkKey]!.ipv4_address,
    aliases: [service],
  }));
  const started = new Set<string>();
  const ordered: EnginePlan['containers'] = [];
  while (ordered.length < containers.length) {
    const next = containers.filter((c) => !started.has(c.service) && c.dependsOn.every((d) => started.has(d)));
    if (next.length === 0) throw new Error('depends_on forms a cycle in the compose file');
    for (const c of next) {
      started.add(c.service);
      ordered.push(c);
    }
  }
  return {
    network: { name: network.name, labels: { ...network.labels, ...composeLabels(project, 'network', networkKey) }, subnet: network.ipam.config[0]!.subnet },
    volumes: Object.entries(model.volumes).map(([key, v]) => ({ name: v.name, labels: { ...v.labels, ...composeLabels(project, 'volume', key) } })),
    containers: ordered,
  };
}
