// A lab formed without its ingress network (the node cut `ingress`, on a kernel without IPVS):
// what in a docker command publishes a port on it, and how to say so. Pure.

/** How to publish a port in a lab without the routing mesh, for a fix. */
export const HOST_MODE_FIX =
  'publish in host mode: --publish mode=host,published=80,target=8080, or in a stack file ports: [{target: 8080, published: 80, mode: host}]';

/** Why the lab has no ingress network, in words a user can act on. */
export const NO_INGRESS_WHY =
  "this lab has no ingress network: this host's kernel has no IPVS, so the routing mesh could not route here (the node cut ingress, docs/lab-file.md)";

const PUBLISH_FLAGS = ['--publish', '-p', '--publish-add'];

/** The `--publish` values of a `docker service create|update` that publish in ingress mode (no mode=host). */
export function ingressPublishes(args: readonly string[]): string[] {
  if (args[0] !== 'service' || (args[1] !== 'create' && args[1] !== 'update')) return [];
  const values: string[] = [];
  for (let i = 2; i < args.length; i++) {
    const arg = args[i] ?? '';
    const inline = PUBLISH_FLAGS.find((flag) => flag.startsWith('--') && arg.startsWith(`${flag}=`));
    if (inline) values.push(arg.slice(inline.length + 1));
    else if (PUBLISH_FLAGS.includes(arg) && i + 1 < args.length) values.push(args[++i] ?? '');
  }
  return values.filter((value) => !/(^|,)mode=host(,|$)/.test(value));
}

/** The line `swarmlab docker` prints before docker refuses an ingress port in such a lab. */
export function noIngressNote(publishes: readonly string[]): string {
  return `swarmlab: ${NO_INGRESS_WHY}, and --publish ${publishes.join(', ')} needs it: ${HOST_MODE_FIX}`;
}
