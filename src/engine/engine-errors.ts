// The engine's refusals as swarmlab says them: the daemon's own words without dockerode's
// "(HTTP code 409) unexpected - " prefix, and a fix by what the status means. Done once, where
// every call leaves engine/ (docker-engine.ts), so no command shows a raw HTTP error.
import { LabError } from '../errors.js';

/** A refusal of the engine's API; `statusCode` kept for callers inside engine/ that tell them apart. */
export class EngineError extends LabError {
  constructor(
    problem: string,
    readonly statusCode: number,
    fix?: string,
  ) {
    super(problem, fix ? { fix } : {});
  }
}

function fixFor(status: number): string | undefined {
  if (status === 404) return 'swarmlab status says what the lab has; swarmlab up makes what is missing';
  if (status === 409) return 'the engine is busy with it (starting, restarting or being removed): wait a moment, then swarmlab status';
  if (status >= 500) return 'swarmlab doctor checks the engine; its own log says more';
  return undefined;
}

/** A dockerode error (it carries `statusCode`) as an EngineError; anything else as it is. */
export function engineError(err: unknown): unknown {
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || err instanceof EngineError) return err;
  const said = (err as { json?: { message?: unknown } }).json?.message;
  const text = typeof said === 'string' && said !== '' ? said : String((err as Error).message ?? err).replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '');
  return new EngineError(`the engine refused: ${text.trim()}`, status, fixFor(status));
}

/**
 * `engine` with every method's failure passed through engineError. Calls inside the engine
 * itself (this) still see dockerode's errors, which they tell apart by status.
 */
export function translatingErrors<T extends object>(engine: T): T {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = value.apply(target, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => {
                throw engineError(err);
              })
            : result;
        } catch (err) {
          throw engineError(err);
        }
      };
    },
  });
}
