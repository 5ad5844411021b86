// The cuts: what a lab's node does not need and the node entry leaves out, each by name, so a
// user can switch one off (`nodeCuts` in swarmlab.yaml, --node-cuts). docs/speed.md measures
// each; templates/node-entry.sh applies them.

/** Every cut the node entry knows, with what it changes for a user. */
export const NODE_CUTS = {
  gc: "the nodes' dockerd, containerd and runc collect garbage less often (GOGC=400 unless the node's environment sets GOGC): less CPU to come up and to idle, about 10 MiB more memory per node",
  'default-bridge':
    'no docker0 bridge in the nodes (dockerd --bridge=none): a task of a service on no overlay network, and a plain `docker run`, get loopback only, and their published ports (host mode, -p) answer nothing; services on overlay networks are unchanged',
  ingress:
    'where the kernel has no IPVS, the swarm is formed without its ingress network (the routing mesh cannot work there anyway), so no node builds the ingress sandbox: a port published in ingress mode is refused ("service needs ingress network") instead of published on a mesh that answers nothing; publish with mode=host. Where the kernel has IPVS, nothing changes',
} as const;

export type NodeCut = keyof typeof NODE_CUTS;

export const NODE_CUT_NAMES = Object.keys(NODE_CUTS) as NodeCut[];

/**
 * On unless a lab says otherwise: each passed both courses and the whole e2e suite with it.
 * default-bridge did not: on a host without IPVS the course publishes its services' ports in host
 * mode, and a task on no overlay network sits on the default bridge, so its port answered nothing.
 */
export const DEFAULT_NODE_CUTS: readonly NodeCut[] = ['gc', 'ingress'];

/** The cuts the node entry applies (SWARMLAB_CUTS); the others are made when the swarm is formed. */
export const ENTRY_CUTS: readonly NodeCut[] = ['gc', 'default-bridge'];

export function isNodeCut(name: string): name is NodeCut {
  return Object.hasOwn(NODE_CUTS, name);
}

/** The names among `names` that are no cut, said with the fix; undefined when every one is a cut. */
export function unknownCutsProblem(names: readonly string[]): { problem: string; fix: string } | undefined {
  const unknown = names.filter((name) => !isNodeCut(name));
  if (unknown.length === 0) return undefined;
  return {
    problem: `${unknown.map((n) => JSON.stringify(n)).join(', ')} is not a cut swarmlab knows`,
    fix: `name any of ${NODE_CUT_NAMES.join(', ')}, or none`,
  };
}

/** What a --node-cuts flag says it takes. */
export const NODE_CUTS_FLAG_HELP = `by name: ${NODE_CUT_NAMES.join(', ')} (${DEFAULT_NODE_CUTS.join(', ')} by default), or none (docs/speed.md)`;

/** `gc,default-bridge` or `none` (a flag's text) -> the names, unchecked. */
export function parseNodeCuts(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === 'none' || trimmed === '') return [];
  return trimmed.split(',').map((name) => name.trim());
}
