// A strict reader of one YAML mapping: every key it is asked for is type-checked, every key
// it was not asked for is an error, and each problem names the field as the file spells it
// (`scale-echo.yaml: checks[0].expect.replicas`). Problems are collected, never thrown, so
// a file's author sees every one at once.
import type { SpecProblem } from '../errors.js';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `30s`, `2m`, `500ms` or a number of seconds -> milliseconds; undefined when it is none of those. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && value >= 0) return value * 1000;
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim()) : null;
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}

export class FieldReader {
  private readonly asked = new Set<string>();

  constructor(
    readonly raw: Mapping,
    /** Where this mapping sits, e.g. `checks[0].expect`; '' at the top. */
    readonly path: string,
    private readonly fileLabel: string,
    readonly problems: SpecProblem[],
  ) {}

  /** How `key` is named in a problem. */
  field(key?: string): string {
    const inner = [this.path, key].filter(Boolean).join('.');
    return inner ? `${this.fileLabel}: ${inner}` : this.fileLabel;
  }

  problem(key: string | undefined, problem: string, fix: string): void {
    this.problems.push({ field: this.field(key), problem, fix });
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  private take(key: string): unknown {
    this.asked.add(key);
    return this.raw[key];
  }

  string(key: string, options: { required?: boolean; pattern?: RegExp; fix?: string; example?: string } = {}): string | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) {
      if (options.required) this.problem(key, 'is missing', options.fix ?? `add ${key}: ${options.example ?? '...'}`);
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.problem(key, `must be a string (got ${JSON.stringify(value)})`, `write ${key}: ${options.example ?? '"..."'}`);
      return undefined;
    }
    const text = String(value);
    if (options.pattern && !options.pattern.test(text)) {
      this.problem(key, `${JSON.stringify(text)} is not valid`, options.fix ?? `match ${options.pattern.source}`);
      return undefined;
    }
    return text;
  }

  integer(key: string, range: { min: number; max: number }, options: { required?: boolean } = {}): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) {
      if (options.required) this.problem(key, 'is missing', `add ${key}: ${range.min}`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.problem(
        key,
        `must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(value)})`,
        `write it without quotes, e.g. ${key}: ${range.min}`,
      );
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(key, `must be true or false (got ${JSON.stringify(value)})`, `write ${key}: true`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    const text = typeof value === 'string' ? value.toLowerCase() : undefined;
    if (!text || !(allowed as readonly string[]).includes(text)) {
      this.problem(key, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`, `write ${key}: ${allowed[0]}`);
      return undefined;
    }
    return text as T;
  }

  /** A duration (`30s`, `2m`, or seconds) up to `maxMs`, in milliseconds. */
  duration(key: string, maxMs: number): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined || ms > maxMs) {
      this.problem(key, `${JSON.stringify(value)} is not a duration up to ${maxMs / 60_000}m`, `write ${key}: 30s (or 2m)`);
      return undefined;
    }
    return ms;
  }

  /** A list of strings; a single string counts as a list of one. */
  strings(key: string): string[] | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((v) => typeof v === 'string' || typeof v === 'number')) {
      this.problem(key, `must be a list of strings (got ${JSON.stringify(value)})`, `write ${key}: ["..."]`);
      return undefined;
    }
    return items.map(String);
  }

  /** A mapping of strings to strings. */
  stringMap(key: string, example: string): Record<string, string> | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (!isMapping(value) || !Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number')) {
      this.problem(key, `must be a mapping of names to strings (got ${JSON.stringify(value)})`, `write ${key}: ${example}`);
      return undefined;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }

  mapping(key: string, example: string): FieldReader | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (!isMapping(value)) {
      this.problem(key, `must be a mapping (got ${JSON.stringify(value)})`, `write ${key}: ${example}`);
      return undefined;
    }
    return new FieldReader(value, [this.path, key].filter(Boolean).join('.'), this.fileLabel, this.problems);
  }

  list(key: string, example: string): unknown[] | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problem(key, `must be a list (got ${JSON.stringify(value)})`, `write ${key}: ${example}`);
      return undefined;
    }
    return value;
  }

  /** A reader for item `index` of list `key` when it is a mapping. */
  item(key: string, index: number, value: Mapping): FieldReader {
    return new FieldReader(value, `${[this.path, key].filter(Boolean).join('.')}[${index}]`, this.fileLabel, this.problems);
  }

  /** Marks keys as known without reading them (alternatives of which one is read). */
  allow(keys: string[]): void {
    for (const key of keys) this.asked.add(key);
  }

  /** Reports the keys nobody asked for. Call after reading every known key. */
  rejectUnknownKeys(): void {
    const unknown = Object.keys(this.raw).filter((k) => !this.asked.has(k));
    for (const key of unknown) {
      this.problem(key, 'unknown key', `remove it; known keys here are ${[...this.asked].join(', ')}`);
    }
  }
}
