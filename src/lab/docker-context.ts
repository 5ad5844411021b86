// The lab's docker context `swarmlab-<lab>`, written into the docker CLI's own context store
// (DOCKER_CONFIG, else ~/.docker): contexts/meta/<sha256 of the name>/meta.json and the TLS
// files under contexts/tls/<same>/docker/. The context's metadata carries the lab's label, so a
// context swarmlab did not make is never changed or removed, only named in a refusal.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configDir, contextStore, type EngineEndpoint, LABEL_ENGINE, runsOnThisMachine } from '../engine/endpoint.js';
import { LabError } from '../errors.js';
import { LABEL_LAB } from '../plan/labels.js';
import type { TlsFiles } from './api-tls.js';
import { makeDirectories, writeFileAtomic } from './private-files.js';

/** Labs on this machine's own engine get a context: the API is published on this machine's 127.0.0.1. */
export function contextsApply(endpoint: EngineEndpoint): boolean {
  return runsOnThisMachine(endpoint);
}

export function contextName(lab: string): string {
  return `swarmlab-${lab}`;
}

/** Where the docker CLI keeps its config and contexts: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: Record<string, string | undefined> = process.env): string {
  return configDir(env, os.homedir());
}

const metaFile = (dir: string, name: string) => contextStore(dir, name).metaFile;

interface ContextMeta {
  Name: string;
  Metadata?: Record<string, unknown>;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/** The context file as the docker CLI reads it (its metadata's extra keys are kept by the CLI). */
export function contextMeta(lab: string, host: string, labEngine: string): ContextMeta {
  return {
    Name: contextName(lab),
    Metadata: { Description: `swarmlab lab ${lab}: its manager's Engine API over TLS`, [LABEL_LAB]: lab, [LABEL_ENGINE]: labEngine },
    Endpoints: { docker: { Host: host, SkipTLSVerify: false } },
  };
}

/** The context of that name as stored: none, swarmlab's for `lab`, or someone else's. */
export type StoredContext = { kind: 'none' } | { kind: 'ours'; host?: string } | { kind: 'foreign' };

export async function readContext(lab: string, configDir = dockerConfigDir()): Promise<StoredContext> {
  const text = await readFile(metaFile(configDir, contextName(lab)), 'utf8').catch(() => undefined);
  if (text === undefined) return { kind: 'none' };
  try {
    const meta = JSON.parse(text) as ContextMeta;
    return meta.Metadata?.[LABEL_LAB] === lab ? { kind: 'ours', host: meta.Endpoints?.docker?.Host } : { kind: 'foreign' };
  } catch {
    return { kind: 'foreign' };
  }
}

/** The refusal when a context of the lab's name is not swarmlab's. */
export function foreignContextError(lab: string): LabError {
  return new LabError(`a docker context named ${contextName(lab)} exists that swarmlab did not make, so it will not touch it`, {
    fix: `remove or rename it (docker context rm ${contextName(lab)}), or choose another lab name with --name`,
  });
}

/**
 * Whether the docker config directory takes a new context: its contexts/ folder is made (as the
 * docker CLI would) and a file written there and removed. A one-line error naming it otherwise.
 */
export async function checkConfigWritable(configDir = dockerConfigDir()): Promise<LabError | undefined> {
  const probe = path.join(configDir, 'contexts', `.swarmlab-probe-${process.pid}`);
  try {
    await makeDirectories(path.dirname(probe));
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return new LabError(`the docker config directory ${configDir} cannot be written (${code}), so the lab's docker context cannot be made there`, {
      fix: `make it writable by this user, or point DOCKER_CONFIG at a directory that is`,
    });
  }
}

/**
 * Writes (or rewrites) the lab's context: `host` (tcp://127.0.0.1:PORT), the lab's client
 * certificate, and `labEngine`, the engine the lab lives on (swarmlab's own commands go on using
 * it when this context is the current one).
 */
export async function writeContext(lab: string, host: string, labEngine: string, tls: TlsFiles, configDir = dockerConfigDir()): Promise<void> {
  const stored = await readContext(lab, configDir);
  if (stored.kind === 'foreign') throw foreignContextError(lab);
  const name = contextName(lab);
  const files = contextStore(configDir, name).tlsDir;
  await makeDirectories(files);
  await Promise.all([
    copyFile(tls.ca, path.join(files, 'ca.pem')),
    copyFile(tls.cert, path.join(files, 'cert.pem')),
    readFile(tls.key, 'utf8').then((key) => writeFileAtomic(path.join(files, 'key.pem'), key, 0o600)),
  ]);
  await makeDirectories(path.dirname(metaFile(configDir, name)));
  await writeFileAtomic(metaFile(configDir, name), JSON.stringify(contextMeta(lab, host, labEngine)), 0o644);
}

async function readConfig(configDir: string): Promise<Record<string, unknown>> {
  const text = await readFile(path.join(configDir, 'config.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new LabError(`${path.join(configDir, 'config.json')} is not valid JSON, so the current context cannot be changed`, {
      fix: 'repair the file (the docker CLI cannot read it either)',
    });
  }
}

/** The context the docker CLI uses when none is named (config.json's currentContext), or undefined for `default`. */
export async function currentContext(configDir = dockerConfigDir()): Promise<string | undefined> {
  const current = (await readConfig(configDir)).currentContext;
  return typeof current === 'string' && current !== '' && current !== 'default' ? current : undefined;
}

/** Makes `name` the current context (undefined: back to `default`), every other setting of config.json kept. */
export async function useContext(name: string | undefined, configDir = dockerConfigDir()): Promise<void> {
  const config = await readConfig(configDir);
  if (name === undefined) delete config.currentContext;
  else config.currentContext = name;
  await makeDirectories(configDir);
  await writeFileAtomic(path.join(configDir, 'config.json'), `${JSON.stringify(config, null, '\t')}\n`, 0o600);
}

/** `down`: the lab's context removed (the current one goes back to `default` if it was this); another's is left. */
export async function removeContext(lab: string, configDir = dockerConfigDir()): Promise<'removed' | 'none' | 'foreign'> {
  const stored = await readContext(lab, configDir);
  if (stored.kind !== 'ours') return stored.kind;
  const name = contextName(lab);
  if ((await currentContext(configDir)) === name) await useContext(undefined, configDir);
  const store = contextStore(configDir, name);
  await rm(store.metaDir, { recursive: true, force: true });
  await rm(path.dirname(store.tlsDir), { recursive: true, force: true });
  return 'removed';
}
