// One spec out of four layers, later ones winning: defaults, image env vars, swarmlab.yaml, flags.
// Pure: the caller reads the file. Every problem of every layer is reported together.
import { SpecError, type SpecProblem } from '../errors.js';
import { decodeSpecFile, type SpecFields } from './decode.js';
import { defaultSpec, imageEnvName } from './defaults.js';
import type { LabSpec } from './types.js';
import { validateImages, validateSpec } from './validate.js';

/** The flags every lab command shares, as the CLI parsed them. */
export interface SpecFlags {
  name?: string;
  managers?: number;
  workers?: number;
  nodeImage?: string;
  registryImage?: string;
  registryPort?: number;
  apiPort?: number;
  launcher?: string;
  mirror?: boolean;
  runtime?: string;
  nodeCuts?: string[];
}

export const FLAG_NAMES: Record<keyof SpecFlags, string> = {
  name: '--name',
  managers: '--managers',
  workers: '--workers',
  nodeImage: '--node-image',
  registryImage: '--registry-image',
  registryPort: '--registry-port',
  apiPort: '--api-port',
  launcher: '--launcher',
  mirror: '--mirror',
  runtime: '--runtime',
  nodeCuts: '--node-cuts',
};

export interface SpecInput {
  /** Contents of swarmlab.yaml, when the lab has one. */
  fileText?: string;
  /** How the file is named in messages. */
  fileLabel: string;
  flags: SpecFlags;
  env: Record<string, string | undefined>;
}

const ENV_NAMES: Partial<Record<keyof LabSpec, string>> = {
  nodeImage: 'SWARMLAB_NODE_IMAGE',
  registryImage: 'SWARMLAB_REGISTRY_IMAGE',
};

function definedFlags(flags: SpecFlags): SpecFields {
  const out: SpecFields = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined && key in FLAG_NAMES) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export interface ResolvedSpec {
  spec: LabSpec;
  /** Fields the user set (file or flags), as opposed to defaults: swarmlab may move a default port, never a chosen one. */
  chosen: Set<keyof LabSpec>;
  /** How a field is named to the user. */
  nameOf: (field: keyof LabSpec) => string;
}

/** Resolves the spec or throws a SpecError listing every problem. */
export function resolveSpec(input: SpecInput): LabSpec {
  return resolveSpecDetailed(input).spec;
}

export function resolveSpecDetailed(input: SpecInput): ResolvedSpec {
  const problems: SpecProblem[] = [];
  const fromFile = input.fileText === undefined ? { fields: {}, problems: [] } : decodeSpecFile(input.fileText, input.fileLabel);
  problems.push(...fromFile.problems);
  const fromFlags = definedFlags(input.flags);

  const defaults = defaultSpec(input.env);
  // The file names some images; the others keep their defaults.
  const images = { ...defaults.images, ...fromFile.fields.images };
  const spec: LabSpec = { ...defaults, ...fromFile.fields, ...fromFlags, images };
  const nameOf = (field: keyof LabSpec): string => {
    if (field in fromFlags) return FLAG_NAMES[field as keyof SpecFlags];
    if (field in fromFile.fields) return `${input.fileLabel}: ${field}`;
    const envName = ENV_NAMES[field];
    if (envName && input.env[envName]) return envName;
    return field;
  };
  problems.push(...validateSpec(spec, nameOf));
  problems.push(
    ...validateImages(images, (name) => (fromFile.fields.images?.[name] !== undefined ? `${input.fileLabel}: images.${name}` : imageEnvName(name))),
  );
  if (problems.length > 0) throw new SpecError(problems);
  const chosen = new Set([...Object.keys(fromFile.fields), ...Object.keys(fromFlags)] as (keyof LabSpec)[]);
  return { spec, chosen, nameOf };
}
