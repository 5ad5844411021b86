// The command line: parse, run one command, and turn every error into lines and an exit code.
// Command modules load their heavy dependencies (dockerode, listr2) inside their handlers,
// so `swarmlab --help` starts fast.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import chalk from 'chalk';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { applyEngineEnvironment } from '../engine/current-endpoint.js';
import { ERROR_FILE_ENV } from '../error-file.js';
import { TOP_COMMANDS } from './commands/all.js';
import { runDocker } from './commands/docker.js';
import { errorReport, UsageError, usageProblem } from './error-report.js';

// From the package's own file: the same path from src/cli (tests) and dist/cli (the bundle).
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

function report(err: unknown): number {
  const report = errorReport(err);
  for (const line of report.lines) process.stderr.write(`${line}\n`);
  const errorFile = process.env[ERROR_FILE_ENV];
  if (errorFile) {
    try {
      writeFileSync(errorFile, JSON.stringify(report));
    } catch {
      // The parent then says where the log is instead.
    }
  }
  return report.exitCode;
}

async function main(): Promise<void> {
  // https://no-color.org: chalk looks at the terminal, not at NO_COLOR.
  if (process.env.NO_COLOR) chalk.level = 0;
  applyEngineEnvironment();
  const argv = hideBin(process.argv);
  // `docker` passes its arguments through untouched, which yargs' strict parsing would refuse.
  if (argv[0] === 'docker' && argv[1] !== '--help') {
    process.exitCode = await runDocker(argv.slice(1));
    return;
  }
  const cli = yargs(argv)
    .scriptName('swarmlab')
    .usage('$0 <command> [options]\n\nA real multi-node Docker Swarm on one machine, out of Docker-in-Docker nodes.');
  for (const command of TOP_COMMANDS) cli.command(command);
  await cli
    .completion(
      'completion',
      'Print a completion script for bash or zsh (commands, flags, lab and node names): swarmlab completion >> ~/.bashrc',
      (_current: string, _parsed: unknown, defaults: (done?: (err: Error | null, list?: string[]) => void) => void, done: (list: string[]) => void) => {
        // The shell calls `swarmlab --get-yargs-completions swarmlab WORDS...`.
        void completeWords(argv.slice(argv.indexOf('--get-yargs-completions') + 2), defaults, done);
      },
    )
    .demandCommand(1, 'name a command')
    .strict()
    .fail((message, err, usage) => {
      if (err) throw err;
      // yargs hands over its usage of the command it was in: its line and its own commands.
      const help = usage as unknown as { getUsage?: () => [string, string][]; getCommands?: () => [string, string][] };
      const said = usageProblem(
        message,
        help.getUsage?.()[0]?.[0],
        (help.getCommands?.() ?? []).map((c) => c[0]),
        argv,
      );
      throw new UsageError(said.message, said.command);
    })
    .help()
    .version(version)
    .parseAsync();
}

/** Lab or node names where they are wanted, else yargs' own commands and flags. */
async function completeWords(
  words: string[],
  defaults: (done?: (err: Error | null, list?: string[]) => void) => void,
  done: (list: string[]) => void,
): Promise<void> {
  const { completionNeed, flagValue, labFacts } = await import('./completion.js');
  const need = completionNeed(words);
  if (!need) return defaults();
  try {
    const [{ DockerEngine }, { loadSpec }] = await Promise.all([import('../engine/docker-engine.js'), import('../lab/load-spec.js')]);
    const lab = flagValue(words, '--name') ?? (need === 'nodes' ? (await loadSpec(flagValue(words, '--dir') ?? '.', {})).spec.name : '');
    const names = await labFacts(new DockerEngine(), need, lab);
    // `logs` reads the registry's log too.
    done(need === 'nodes' && words[0] === 'logs' ? [...names, 'registry'] : names);
  } catch {
    done([]); // no engine, no lab: nothing to offer, and nothing said while the user types
  }
}

main().catch((err: unknown) => {
  process.exitCode = report(err);
});
