#!/usr/bin/env node
// `npm run lint`'s check of how src/ hangs together: no import cycle between files, and no
// import from a lower layer up into a higher one (the layers below, top first). Type-only
// imports count too: a type that lives above its user is a dependency on that folder all the
// same, and the next change turns it into a value import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Top folders of src/ (and `.` for its root files), by layer: a folder may import its own layer and those after it. */
const LAYERS = [
  ['cli'],
  ['web', 'class', 'doctor', 'exercise', 'viz'],
  ['steps'],
  ['stacks', 'mirror', 'images', 'registry', 'lab', 'compose'],
  ['swarm'],
  ['plan', 'spec'],
  ['engine', 'wait', '.'],
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = new Set();
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    out.add(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return [...out];
}

const layerOf = (file) => {
  const top = path.relative(SRC, file).split(path.sep);
  const folder = top.length === 1 ? '.' : top[0];
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  return { folder, index };
};

const all = files(SRC);
const graph = new Map(all.map((f) => [f, importsOf(f).filter((t) => t.startsWith(SRC))]));
const rel = (f) => path.relative(SRC, f);
const problems = [];

for (const [file, targets] of graph) {
  const from = layerOf(file);
  if (from.index < 0) problems.push(`src/${rel(file)}: folder ${from.folder}/ is in no layer of scripts/import-graph.mjs`);
  for (const target of targets) {
    const to = layerOf(target);
    if (to.index >= 0 && from.index >= 0 && to.index < from.index) {
      problems.push(`upward import: src/${rel(file)} (${from.folder}/) imports src/${rel(target)} (${to.folder}/, a higher layer)`);
    }
  }
}

// Cycles: Tarjan's strongly connected components; every component of more than one file is one.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1)
      problems.push(
        `import cycle: ${component
          .map((f) => `src/${rel(f)}`)
          .sort()
          .join(' -> ')}`,
      );
  }
}
for (const v of graph.keys()) if (!index.has(v)) visit(v);

for (const p of problems) console.error(p);
if (problems.length > 0) process.exit(1);
console.log(`import graph: ${graph.size} files, no cycle, no upward import`);
