// Strict decoding of swarmlab.yaml: parse, reject unknown keys and wrong types, and return the
// fields it sets. Ranges and cross-field rules are validate.ts's job.
import { parseDocument } from 'yaml';
import type { SpecProblem } from '../errors.js';
import { API_VERSION, KIND, type LabSpec, type PortMapping } from './types.js';

export type SpecFields = Partial<LabSpec>;

export interface Decoded {
  fields: SpecFields;
  problems: SpecProblem[];
}

const NUMBER_KEYS = ['managers', 'workers', 'registryPort', 'apiPort'] as const;
const STRING_KEYS = ['name', 'nodeImage', 'registryImage', 'bindAddress', 'launcher', 'runtime'] as const;
const BOOLEAN_KEYS = ['mirror'] as const;
export const KNOWN_KEYS = new Set<string>(['apiVersion', 'kind', 'ports', 'images', 'nodeCuts', ...NUMBER_KEYS, ...STRING_KEYS, ...BOOLEAN_KEYS]);
/** A logical image name: what exercises write as {{images.NAME}}. */
export const IMAGE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;

/** `8000:80` -> {host: 8000, container: 80}; undefined when it is not of that form. */
export function parsePortMapping(text: string): PortMapping | undefined {
  const match = /^(\d{1,5}):(\d{1,5})$/.exec(text.trim());
  return match ? { host: Number(match[1]), container: Number(match[2]) } : undefined;
}

export function decodeSpecFile(text: string, fileLabel: string): Decoded {
  const problems: SpecProblem[] = [];
  const at = (key: string) => `${fileLabel}: ${key}`;
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    return {
      fields: {},
      problems: [
        {
          field: fileLabel,
          problem: `not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`,
          fix: 'correct the YAML syntax (see docs/lab-file.md)',
        },
      ],
    };
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) return { fields: {}, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ field: fileLabel, problem: 'must be a mapping of keys to values', fix: 'write `key: value` lines, e.g. `workers: 3`' });
    return { fields: {}, problems };
  }
  const obj = raw as Record<string, unknown>;
  const fields: SpecFields = {};

  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push({ field: at(key), problem: 'unknown key', fix: `remove it; known keys are ${[...KNOWN_KEYS].join(', ')}` });
    }
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== API_VERSION) {
    problems.push({ field: at('apiVersion'), problem: `unsupported version ${JSON.stringify(obj.apiVersion)}`, fix: `set apiVersion: ${API_VERSION}` });
  }
  if (obj.kind !== undefined && obj.kind !== KIND) {
    problems.push({ field: at('kind'), problem: `must be ${KIND} (got ${JSON.stringify(obj.kind)})`, fix: `set kind: ${KIND}` });
  }
  for (const key of NUMBER_KEYS) {
    const value = obj[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({
        field: at(key),
        problem: `must be a whole number (got ${JSON.stringify(value)})`,
        fix: `write it without quotes, e.g. ${key}: ${key === 'registryPort' ? 5000 : key === 'apiPort' ? 2376 : 3}`,
      });
    } else {
      fields[key] = value;
    }
  }
  for (const key of STRING_KEYS) {
    const value = obj[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      problems.push({ field: at(key), problem: `must be a string (got ${JSON.stringify(value)})`, fix: `quote it, e.g. ${key}: "..."` });
    } else {
      (fields as Record<string, string>)[key] = value;
    }
  }
  for (const key of BOOLEAN_KEYS) {
    const value = obj[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') {
      problems.push({ field: at(key), problem: `must be true or false (got ${JSON.stringify(value)})`, fix: `write ${key}: true, without quotes` });
    } else {
      fields[key] = value;
    }
  }
  if (obj.ports !== undefined) {
    if (!Array.isArray(obj.ports)) {
      problems.push({ field: at('ports'), problem: 'must be a list', fix: 'write ports: ["8000:80", "9000:9000"]' });
    } else {
      const ports: PortMapping[] = [];
      obj.ports.forEach((entry: unknown, index: number) => {
        const mapping = typeof entry === 'string' ? parsePortMapping(entry) : undefined;
        if (mapping) ports.push(mapping);
        else
          problems.push({
            field: at(`ports[${index}]`),
            problem: `must be "HOST:CONTAINER" (got ${JSON.stringify(entry)})`,
            fix: 'write it as a quoted string, e.g. "8000:80"',
          });
      });
      fields.ports = ports;
    }
  }
  if (obj.nodeCuts !== undefined) {
    // Names are checked by validate.ts, beside a flag's.
    if (!Array.isArray(obj.nodeCuts) || !obj.nodeCuts.every((name: unknown) => typeof name === 'string')) {
      problems.push({ field: at('nodeCuts'), problem: 'must be a list of cut names', fix: `write nodeCuts: [gc], or nodeCuts: [] for none` });
    } else {
      fields.nodeCuts = obj.nodeCuts as LabSpec['nodeCuts'];
    }
  }
  if (obj.images !== undefined) {
    const images = decodeImages(obj.images, at('images'));
    problems.push(...images.problems);
    fields.images = images.images;
  }
  return { fields, problems };
}

/** `images: {echo: gihyodocker/echo:latest, ...}`: names and references are checked by validate.ts. */
function decodeImages(raw: unknown, field: string): { images: Record<string, string>; problems: SpecProblem[] } {
  const images: Record<string, string> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { images, problems: [{ field, problem: 'must be a mapping of image names to references', fix: 'write images: {echo: gihyodocker/echo:latest}' }] };
  }
  const problems: SpecProblem[] = [];
  for (const [name, ref] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof ref === 'string') images[name] = ref;
    else
      problems.push({
        field: `${field}.${name}`,
        problem: `must be an image reference string (got ${JSON.stringify(ref)})`,
        fix: `write it as ${name}: repository[:tag]`,
      });
  }
  return { images, problems };
}
