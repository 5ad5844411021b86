// The option every `swarmlab class` command shares: the class directory. Light: loaded with the CLI.
import type { Argv } from 'yargs';

export interface ClassArgs {
  dir: string;
}

export function withClassOptions<T>(yargs: Argv<T>): Argv<T & ClassArgs> {
  return yargs.option('dir', { type: 'string', default: '.', describe: 'Class directory (holds class.yaml and students/sNN/)' }) as Argv<T & ClassArgs>;
}
