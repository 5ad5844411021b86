// The command line: parse, run one command, and turn every error into lines and an exit code.
// Command modules load their heavy dependencies (dockerode, listr2) inside their handlers,
// so `swarmlab --help` starts fast.
import chalk from 'chalk';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_FAILURE, EXIT_USAGE, LabError, SpecError } from '../errors.js';
import { applyEngineEnvironment } from '../engine/current-endpoint.js';
import { redactTokens } from '../swarm/secrets.js';
import { chaosCommand } from './commands/chaos.js';
import { classCommand } from './commands/class.js';
import { deployCommand } from './commands/deploy.js';
import { dockerCommand, runDocker } from './commands/docker.js';
import { doctorCommand } from './commands/doctor.js';
import { downCommand } from './commands/down.js';
import { exerciseCommand } from './commands/exercise.js';
import { logsCommand } from './commands/logs.js';
import { imagesCommand } from './commands/images.js';
import { lsCommand } from './commands/ls.js';
import { nodeCommand } from './commands/node.js';
import { psCommand } from './commands/ps.js';
import { pushCommand } from './commands/push.js';
import { renderCommand } from './commands/render.js';
import { startCommand, stopCommand } from './commands/stop-start.js';
import { statusCommand } from './commands/status.js';
import { undeployCommand } from './commands/undeploy.js';
import { upCommand } from './commands/up.js';
import { vizCommand } from './commands/viz.js';
import { discardEarlyCompose } from './early-compose.js';

class UsageError extends Error {}

function report(err: unknown): number {
  const say = (line: string) => process.stderr.write(`${redactTokens(line)}\n`);
  if (err instanceof SpecError) {
    for (const line of err.message.split('\n')) say(`error: ${line}`);
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    say(`error: ${err.message}; fix: see swarmlab --help`);
    return EXIT_USAGE;
  }
  if (err instanceof LabError) {
    say(`error: ${err.message}`);
    for (const line of err.details) say(`  ${line}`);
    return err.exitCode;
  }
  say(`error: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.SWARMLAB_DEBUG && err instanceof Error && err.stack) say(err.stack);
  return EXIT_FAILURE;
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
  await yargs(argv)
    .scriptName('swarmlab')
    .usage('$0 <command> [options]\n\nA real multi-node Docker Swarm on one machine, out of Docker-in-Docker nodes.')
    .command(upCommand)
    .command(statusCommand)
    .command(renderCommand)
    .command(downCommand)
    .command(lsCommand)
    .command(doctorCommand)
    .command(logsCommand)
    .command(stopCommand)
    .command(startCommand)
    .command(pushCommand)
    .command(deployCommand)
    .command(undeployCommand)
    .command(dockerCommand)
    .command(psCommand)
    .command(exerciseCommand)
    .command(vizCommand)
    .command(chaosCommand)
    .command(nodeCommand)
    .command(classCommand)
    .command(imagesCommand)
    .demandCommand(1, 'name a command')
    .strict()
    .fail((message, err) => {
      throw err ?? new UsageError(message);
    })
    .help()
    .version()
    .parseAsync();
}

main()
  .catch((err: unknown) => {
    process.exitCode = report(err);
  })
  .finally(discardEarlyCompose);
