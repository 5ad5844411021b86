// `npm run build`: the CLI as one bundled file, dist/cli/main.js (what bin/swarmlab.js loads).
// Why a bundle: Node resolving and reading some 400 module files took ~0.2 s of every command's
// start (measured: `swarmlab --version` 0.23-0.30 s from tsc's output, 0.11-0.12 s bundled), and
// a class starts one `swarmlab up` per student. Types are checked by `tsc --noEmit`, not here.
// Second, the student's page of `swarmlab class web` for the browser: dist/web/student.js (with
// xterm.js inside) and dist/web/xterm.css, served by the class server itself (no CDN, no web font),
// so a room without internet works.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * dockerode loads its BuildKit session module (gRPC and protobuf, 0.8 MB) when it loads at all;
 * only `buildImage` with BuildKit uses it and swarmlab never does, so it is left out.
 */
const withoutBuildkitSession = {
  name: 'without-buildkit-session',
  setup(b) {
    b.onResolve({ filter: /^\.\/session$/ }, (args) => (args.importer.includes('/dockerode/') ? { path: 'dockerode-session', namespace: 'stub' } : undefined));
    b.onLoad({ filter: /^dockerode-session$/, namespace: 'stub' }, () => ({
      contents: 'module.exports = function () { throw new Error("swarmlab is built without BuildKit sessions"); };',
      loader: 'js',
    }));
  },
};

/**
 * docker-modem requires ssh2 when it loads, for every engine; only an ssh:// engine uses it.
 * Loading ssh2 took ~35 ms of every command's start (node -e "require('ssh2')" 0.085 s against
 * 0.05 s for node alone), on the critical path of every `up` and once per student in a class.
 * So docker-modem gets a Client that loads ssh2 when the first ssh connection is made. Its
 * ssh.js only ever calls `new Client()`, and a constructor that returns an object hands back that
 * object, so the real client is what docker-modem holds.
 */
const ssh2WhenUsed = {
  name: 'ssh2-when-used',
  setup(b) {
    b.onResolve({ filter: /^ssh2$/ }, (args) => (args.importer.includes('/docker-modem/') ? { path: 'ssh2-when-used', namespace: 'stub' } : undefined));
    b.onLoad({ filter: /^ssh2-when-used$/, namespace: 'stub' }, () => ({
      contents: 'module.exports = { Client: function Client() { const { Client } = require("ssh2"); return new Client(); } };',
      loader: 'js',
    }));
  },
};

// What an earlier build (or tsc's per-module output) left would be published with the bundle.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minify: true,
  // Native add-ons (ssh2's optional crypto helpers) cannot be bundled; they load from node_modules.
  external: ['ssh2', 'cpu-features'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as swarmlabCreateRequire } from 'node:module'; const require = swarmlabCreateRequire(import.meta.url);" },
  plugins: [withoutBuildkitSession, ssh2WhenUsed],
  logLevel: 'warning',
});

await build({
  entryPoints: ['src/web/client/student.ts'],
  outfile: 'dist/web/student.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  // What a room's laptops run: browsers of the last few years.
  target: ['chrome109', 'firefox115', 'safari15'],
  minify: true,
  logLevel: 'warning',
});
mkdirSync('dist/web', { recursive: true });
copyFileSync('node_modules/@xterm/xterm/css/xterm.css', 'dist/web/xterm.css');
