// Running a command in a node and failing with what the node said: the one way swarmlab does
// it. The node is named in the error, and a join token in its output never reaches the user.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import { redactTokens } from './secrets.js';

export interface InNode {
  /** What the command is for, in words: "swarm init", "docker service ls". */
  what: string;
  /** The node's name, for the message (the container's name is used when not given). */
  node?: string;
  /** Written to the command's stdin (secrets travel there, never in argv). */
  stdin?: string;
}

/** A command that failed in a node: what the node said is a field, for a caller that tells refusals apart (readRefusal). */
export class NodeCommandError extends LabError {
  constructor(
    node: string,
    what: string,
    /** Its stderr (else stdout, else the exit code), join tokens redacted. */
    readonly said: string,
  ) {
    super(`${what} failed on ${node}: ${said}`, { node });
  }
}

/** `argv` run in `container`; its stdout, or a NodeCommandError "WHAT failed on NODE: what it said". */
export async function execInNode(engine: Engine, container: string, argv: string[], options: InNode): Promise<string> {
  const result = await engine.exec(container, argv, options.stdin === undefined ? {} : { stdin: options.stdin });
  if (result.exitCode === 0) return result.stdout;
  const said = redactTokens(result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode}`);
  throw new NodeCommandError(options.node ?? container, options.what, said);
}
