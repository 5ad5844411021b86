// A student's `up` run in the class's own process, on the student's engine (which the class
// passes in: its client and its address). A child swarmlab per student cost about 0.4 s of CPU
// (0.15 s of it before it did anything: Node, the bundle), 24 times over, on a machine whose two
// cores the labs coming up already kept busy.

import type { RunHere } from '../class/run-for-students.js';
import { withoutColour } from '../colour-codes.js';
import type { EngineTarget } from '../engine/engine.js';
import { errorReport } from './error-report.js';
import { resolveLab } from './lab-options.js';
import { upLab } from './up-lab.js';

/** `swarmlab up --timeout SECONDS` of a student's lab on `engine`, its lines as a child's would be (no colour). */
export function upHere(timeoutSeconds: number): (engine: EngineTarget) => RunHere {
  return (engine) =>
    async ({ dir, lab }, say) => {
      const plain = (text: string) => {
        for (const line of withoutColour(text).split('\n')) say(line);
      };
      try {
        await upLab(await resolveLab({ dir, name: lab }), { timeoutSeconds, keepOnFailure: false, noSwarm: false, engine }, plain);
        return { exitCode: 0 };
      } catch (err) {
        const { lines, exitCode, headline } = errorReport(err);
        for (const line of lines) plain(line);
        return { exitCode, headline };
      }
    };
}
