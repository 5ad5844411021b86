// The options every lab command shares, and turning them into a spec and the lab's paths.
import type { Argv } from 'yargs';
import { loadSpec } from '../lab/load-spec.js';
import { type LabPaths, labPaths } from '../lab/paths.js';
import { NODE_CUTS_FLAG_HELP, parseNodeCuts } from '../spec/node-cuts.js';
import type { ResolvedSpec, SpecFlags } from '../spec/resolve.js';

export interface LabArgs {
  dir: string;
  name?: string;
}

export interface SpecArgs extends LabArgs {
  managers?: number;
  workers?: number;
  'node-image'?: string;
  'registry-image'?: string;
  'registry-port'?: number;
  'api-port'?: number;
  launcher?: string;
  mirror?: boolean;
  runtime?: string;
  'node-cuts'?: string;
}

/** --dir and --name: which lab a command acts on. */
export function withLabOptions<T>(yargs: Argv<T>): Argv<T & LabArgs> {
  return yargs
    .option('dir', { type: 'string', default: '.', describe: 'Lab directory (holds swarmlab.yaml, stack/, registry-data/)' })
    .option('name', { type: 'string', describe: 'Lab name (default: swarmlab.yaml name, else "swarmlab")' }) as Argv<T & LabArgs>;
}

/** The spec flags, for commands that build a lab (up, render). */
export function withSpecOptions<T>(yargs: Argv<T>): Argv<T & SpecArgs> {
  return withLabOptions(yargs)
    .option('managers', { type: 'number', describe: 'Manager nodes: 1, 3, 5 or 7' })
    .option('workers', { type: 'number', describe: 'Worker nodes: 0..50' })
    .option('node-image', { type: 'string', describe: 'dind image for every node (env SWARMLAB_NODE_IMAGE)' })
    .option('registry-image', { type: 'string', describe: 'Registry image (env SWARMLAB_REGISTRY_IMAGE)' })
    .option('registry-port', { type: 'number', describe: 'Host port of the lab registry' })
    .option('api-port', { type: 'number', describe: "Host port (127.0.0.1) of the first manager's Engine API, for the lab's docker context" })
    .option('node-cuts', {
      type: 'string',
      describe: `What every node leaves out, ${NODE_CUTS_FLAG_HELP}`,
    }) as Argv<T & SpecArgs>;
}

function specFlags(args: SpecArgs): SpecFlags {
  return {
    name: args.name,
    managers: args.managers,
    workers: args.workers,
    nodeImage: args['node-image'],
    registryImage: args['registry-image'],
    registryPort: args['registry-port'],
    apiPort: args['api-port'],
    launcher: args.launcher,
    mirror: args.mirror,
    runtime: args.runtime,
    nodeCuts: args['node-cuts'] === undefined ? undefined : parseNodeCuts(args['node-cuts']),
  };
}

export interface ResolvedLab extends ResolvedSpec {
  paths: LabPaths;
}

export async function resolveLab(args: SpecArgs): Promise<ResolvedLab> {
  const resolved = await loadSpec(args.dir, specFlags(args));
  return { ...resolved, paths: labPaths(args.dir, resolved.spec.name) };
}
