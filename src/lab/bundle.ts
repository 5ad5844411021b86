// A bug-report bundle: every node's daemon log, the swarm's view, and the compose file, in one
// .tar.gz. Join tokens are redacted from every file on the way in.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Engine } from '../engine/engine.js';
import { type TarEntry, tarArchive } from '../engine/tar.js';
import { redactTokens } from '../swarm/secrets.js';
import { TASK_FORMAT } from '../swarm/tasks.js';
import { firstManager, readInventory } from './inventory.js';
import type { LabPaths } from './paths.js';

const LOG_LINES = 2000;

async function managerOutput(engine: Engine, manager: string | undefined, argv: string[]): Promise<string> {
  if (!manager) return '(the first manager is not running)\n';
  const result = await engine.exec(manager, argv).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
  return `$ ${argv.join(' ')}\n${result.stdout}${result.stderr}${result.exitCode === 0 ? '' : `(exit ${result.exitCode})\n`}`;
}

export async function buildBundle(engine: Engine, lab: string, paths: LabPaths): Promise<{ archive: Buffer; files: string[] }> {
  const inventory = await readInventory(engine, lab);
  const manager = firstManager(inventory);
  const running = manager?.state === 'running' ? manager.name : undefined;
  const entries: { name: string; text: string }[] = [];
  for (const c of inventory.containers) {
    entries.push({ name: `logs/${c.labels['dev.swarmlab.node'] ?? 'registry'}.log`, text: await engine.logTail(c.id, LOG_LINES) });
  }
  entries.push(
    { name: 'swarm/node-ls.txt', text: await managerOutput(engine, running, ['docker', 'node', 'ls']) },
    { name: 'swarm/service-ls.txt', text: await managerOutput(engine, running, ['docker', 'service', 'ls']) },
    {
      name: 'swarm/service-ps.txt',
      text: await managerOutput(engine, running, [
        'sh',
        '-c',
        `ids=$(docker service ls -q); if [ -n "$ids" ]; then docker service ps --no-trunc --format '${TASK_FORMAT}' $ids; else echo '(no services)'; fi`,
      ]),
    },
    { name: 'containers.txt', text: `${inventory.containers.map((c) => `${c.name}\t${c.state}\t${c.image}`).join('\n')}\n` },
    { name: 'compose.yaml', text: await readFile(paths.composeFile, 'utf8').catch(() => '(no rendered compose file in this lab directory)\n') },
  );
  const tarEntries: TarEntry[] = entries.map((e) => ({ name: `swarmlab-${lab}/${e.name}`, content: Buffer.from(redactTokens(e.text)) }));
  return { archive: gzipSync(tarArchive(tarEntries)), files: tarEntries.map((e) => e.name) };
}
