// The arguments the `swarmlab exercise` subcommands share. Light: loaded with the CLI.
import type { Argv } from 'yargs';
import { type LabArgs, withLabOptions } from './lab-options.js';

export interface ExerciseArgs extends LabArgs {
  id?: string;
}

export function withExerciseId<T>(yargs: Argv<T>, required: boolean): Argv<T & ExerciseArgs> {
  return withLabOptions(yargs).positional('id', {
    type: 'string',
    demandOption: required,
    describe: required ? 'Exercise ID (swarmlab exercise list)' : 'Exercise ID (default: the current one, from exercise start)',
  }) as Argv<T & ExerciseArgs>;
}

/** --course: a built-in course by name (src/exercise/catalog.ts COURSES), or all of them. */
export const COURSE_CHOICES = ['basics', 'ops', 'all'] as const;
export type CourseChoice = (typeof COURSE_CHOICES)[number];
