// The class record, class.yaml in the class directory: written by `class up`, read by every
// other class command, so that `class status` knows the students without being told again.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { LabError } from '../errors.js';
import { CLASS_FILE, type ClassSpec } from './plan.js';

export const CLASS_KIND = 'Class';

export async function readClass(classDir: string): Promise<ClassSpec | undefined> {
  const file = path.join(path.resolve(classDir), CLASS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const raw = parseDocument(text).toJS() as Record<string, unknown> | null;
  const numbers = ['students', 'managers', 'workers', 'basePort'] as const;
  if (!raw || raw.kind !== CLASS_KIND || typeof raw.prefix !== 'string' || numbers.some((k) => typeof raw[k] !== 'number')) {
    throw new LabError(`${file} is not a class record`, { fix: `remove it, then swarmlab class up --students N` });
  }
  const engines = Array.isArray(raw.engines) && raw.engines.every((e) => typeof e === 'string') ? (raw.engines as string[]) : ['default'];
  const placement = raw.placement && typeof raw.placement === 'object' ? (raw.placement as Record<string, string>) : {};
  const mirror = raw.mirror === true ? { mirror: true } : {};
  const named = (key: 'nodeImage' | 'registryImage') => (typeof raw[key] === 'string' ? { [key]: raw[key] as string } : {});
  const images =
    raw.images && typeof raw.images === 'object' && Object.values(raw.images).every((v) => typeof v === 'string')
      ? { images: raw.images as Record<string, string> }
      : {};
  const runtime = typeof raw.runtime === 'string' ? { runtime: raw.runtime } : {};
  const nodeCuts = Array.isArray(raw.nodeCuts) && raw.nodeCuts.every((c) => typeof c === 'string') ? { nodeCuts: raw.nodeCuts as string[] } : {};
  return {
    prefix: raw.prefix,
    students: raw.students as number,
    managers: raw.managers as number,
    workers: raw.workers as number,
    basePort: raw.basePort as number,
    engines,
    placement,
    ...mirror,
    ...named('nodeImage'),
    ...named('registryImage'),
    ...images,
    ...runtime,
    ...nodeCuts,
  };
}

export async function requireClass(classDir: string): Promise<ClassSpec> {
  const spec = await readClass(classDir);
  if (!spec)
    throw new LabError(`${path.resolve(classDir)} holds no class (no ${CLASS_FILE})`, {
      fix: `swarmlab class up --students N there, or --dir the class directory`,
    });
  return spec;
}

export async function writeClass(classDir: string, spec: ClassSpec): Promise<void> {
  const text = `# Written by swarmlab class up; class status, down, cards and exec read it.\n${stringify({ apiVersion: 'swarmlab/v1alpha1', kind: CLASS_KIND, ...spec })}`;
  await writeFile(path.join(path.resolve(classDir), CLASS_FILE), text);
}
