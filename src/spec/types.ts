// The lab spec: the plain data every command starts from. No behaviour here.
import type { NodeCut } from './node-cuts.js';

export const API_VERSION = 'swarmlab/v1alpha1';
export const KIND = 'Lab';

/** A port published from the first manager: host side -> container side. */
export interface PortMapping {
  host: number;
  container: number;
}

export interface LabSpec {
  /** Lab name: prefixes container names and labels everything the lab owns. */
  name: string;
  /** Manager nodes: 1, 3, 5 or 7 (Raft wants an odd count). */
  managers: number;
  /** Worker nodes: 0..50. */
  workers: number;
  /** Image of every node: a dind image (official `docker:*-dind` or swarmlab's offline one). */
  nodeImage: string;
  /** Image of the lab registry: a distribution registry serving on port 5000. */
  registryImage: string;
  /** Host port the registry is published on (the host pushes to 127.0.0.1:<port>). */
  registryPort: number;
  /**
   * Host port (on 127.0.0.1 only) of the first manager's Engine API over TLS, which the lab's
   * docker context `swarmlab-<name>` points at.
   */
  apiPort: number;
  /** Ports published from the first manager, as in the seeds (8000:80, 9000:9000). */
  ports: PortMapping[];
  /** Host address every published port binds to. */
  bindAddress: string;
  /**
   * The images exercises name by a logical name (`echo`, `proxy`, ...), each mapped to a
   * reference on the host; `swarmlab push` puts it in the lab registry.
   */
  images: Record<string, string>;
  /** How `up` makes the containers: through the Engine API, or through compose. */
  launcher: 'api' | 'compose';
  /** Every node pulls Docker Hub images through the engine's shared pull-through mirror (`swarmlab mirror up`). */
  mirror: boolean;
  /**
   * The engine runtime the nodes run under, when not the engine's default: one that runs
   * Docker-in-Docker unprivileged (Sysbox's `sysbox-runc`). Nodes then get no privileged mode,
   * no added capabilities and no cgroup remount. Unset: privileged, else the capabilities mode.
   */
  runtime?: string;
  /** What the node entry leaves out of every node (node-cuts.ts): DEFAULT_NODE_CUTS unless the lab says otherwise. */
  nodeCuts: NodeCut[];
}
