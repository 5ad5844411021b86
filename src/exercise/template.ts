// {{name}} placeholders in exercise texts: image names, the lab's facts, what a check saw.
// Pure: the caller gathers the values.

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w.-]*)\s*\}\}/g;

export type TemplateValues = Record<string, string | number | boolean | undefined>;

/** The names a text refers to, in order of appearance. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Fills every placeholder it has a value for; others stay as written, so a mistake shows. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** Every string inside `value` (objects, arrays) filled in; the rest as is. */
export function fillStrings<T>(value: T, values: TemplateValues): T {
  if (typeof value === 'string') return fillTemplate(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => fillStrings(v, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fillTemplate(k, values), fillStrings(v, values)])) as T;
  }
  return value;
}

/**
 * Splits a command line into words the way a shell would for plain words and quotes
 * ('single', "double", backslash), without running a shell. undefined when a quote is open.
 */
export function splitCommandLine(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}
