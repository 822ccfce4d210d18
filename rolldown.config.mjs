import { readFileSync } from 'node:fs';

/**
 * The CLI as shipped: `npm run build` compiles with tsc (dist/src, dist/adapters, dist/cli:
 * the library and what the tests import, as ES modules), then bundles the CLI and its hash
 * worker from that output into dist/bin. An ES module graph is read, compiled and linked
 * file by file before any of it runs; the CLI's modules as chunks start about 15 ms
 * sooner, on every command (benchmark 1, README "Performance"). The chunks are CommonJS
 * (dist/bin/package.json says so): Node's ES module loader costs about 5 ms to set up in
 * each thread, and the main thread and every hash worker would pay it for nothing.
 *
 * Packages stay external (loaded from node_modules as they are), so only our own code is
 * bundled, unminified. dist/bin sits at the same depth as dist/cli, so the CLI's
 * `../../package.json` resolves alike, and the worker is emitted beside the chunks that
 * start it (`new URL('./worker.js', import.meta.url)`, which the bundler rewrites for CommonJS).
 */
const commonJsScope = {
  name: 'commonjs-scope',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: '{ "type": "commonjs" }\n' });
  },
};

/**
 * The `modelsign` command itself, dist/bin/modelsign.js: cli/launcher.js, a shell script that
 * is also the CommonJS module loading the bundled CLI (cli.js), copied as it is (a bundler
 * would drop its shell part, a statement with no effect in JavaScript).
 */
const launcher = {
  name: 'launcher',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'modelsign.js', source: readFileSync('cli/launcher.js', 'utf8') });
  },
};

export default {
  input: { cli: 'dist/cli/main.js', worker: 'dist/src/hashing/worker.js' },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  logLevel: 'warn',
  // Our modules and the packages have no import-time effects but cli/start-workers.js (and
  // the entries, always run): declared so, a module whose exports go unused is left out, so
  // the CLI's static part is not dragged through src/core.js into the signing and verifying
  // code, and each command's implementation (cli/actions, loaded when it runs) brings its own.
  // Otherwise any module with a top-level `new Set(...)` or a Node import counts as an
  // effect and loads at every start (`what a command line loads`, test/launcher.test.ts).
  treeshake: { moduleSideEffects: (id) => /[\\/]cli[\\/]start-workers\.js$/.test(id) },
  plugins: [commonJsScope, launcher],
  output: { dir: 'dist/bin', format: 'cjs', chunkFileNames: '[name]-[hash].js', cleanDir: true },
};
