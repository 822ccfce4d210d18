/**
 * Shared test helpers. Tests exercise the built package (`dist/`), the same code users run:
 * `npm test` builds first. The reference vectors live in ../shared, beside this checkout.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist/bin/modelsign.js');
export const VECTORS = resolve(ROOT, '../shared/vectors/model-transparency');
export const SCRIPT_TESTS = join(VECTORS, 'scripts/tests');
export const KEYS = join(SCRIPT_TESTS, 'keys/certificate');
export const SPEC_VECTORS = join(VECTORS, 'external/ossf-model-signing-spec/test-vectors/v1.0');
export const SCHEMAS = join(VECTORS, 'external/ossf-model-signing-spec/schemas/v1.0');

if (!existsSync(VECTORS)) throw new Error(`reference vectors not found at ${VECTORS}: the tests need ../shared beside the checkout`);
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it)`);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a separate process, as a user would: the `modelsign` command, its launcher included. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    // `timeout` (ms) kills a hung CLI, which then reports code -1.
    const child = execFile(CLI, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeout ?? 0 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
    // Standard input is closed at once unless the test gives some (--password-stdin). A CLI
    // that ended without reading it (a usage error) makes that write fail: its exit code tells.
    child.stdin?.on('error', () => undefined).end(options.input ?? '');
  });
}

/** Runs the CLI with its stdout on /dev/full (a full disk: every write fails with ENOSPC). */
export async function runCliToFullDisk(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', full, 'pipe'] });
  closeSync(full);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { code: await new Promise<number | null>((done) => child.on('close', done)), stderr };
}

/** Runs mount(8); true when it succeeded. */
export const mount = (...args: string[]): boolean => spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
export const umount = (path: string): void => void spawnSync('umount', ['-l', path], { stdio: 'ignore' });

let mountable: boolean | undefined;

/**
 * Whether this run may mount (root with CAP_SYS_ADMIN, as in CI here). Tests run as root,
 * so an unwritable directory cannot be made with chmod: a read-only bind mount stands in,
 * a tmpfs for another file system, and a small tmpfs for a full disk. Probed once, by the
 * first test file that asks.
 */
export function canMount(): boolean {
  if (mountable === undefined) {
    const probe = mkdtempSync(join(tmpdir(), 'modelsign-mount-probe-'));
    mountable = mount('-t', 'tmpfs', 'none', probe);
    if (mountable) umount(probe);
    rmdirSync(probe);
  }
  return mountable;
}

/**
 * A small disk for the current test: a tmpfs of `size` (as mount's `size=`, e.g. `64k`) on
 * a fresh temporary directory, unmounted when the test finishes, before the directory is
 * removed (vitest runs the last registered hook first). Needs `canMount()`.
 */
export async function smallDisk(size: string): Promise<string> {
  const disk = join(await tempDir(), 'disk');
  await mkdir(disk);
  if (!mount('-t', 'tmpfs', '-o', `size=${size}`, 'none', disk)) throw new Error(`cannot mount a ${size} tmpfs on ${disk}`);
  onTestFinished(() => umount(disk));
  return disk;
}

/** A fresh temporary directory, removed when the current test finishes. */
export async function tempDir(prefix = 'modelsign-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (relative path -> content) below a root, creating directories. */
export async function writeTree(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

/** Runs a command (openssl, say) and returns its stdout; rejects with its stderr. */
export function run(cmd: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(cmd, args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolvePromise(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * A fixed pseudo-random sequence of integers below `n`, so a failing random case can be
 * replayed. Drawn from the generator's high bits: its low bits repeat with short periods
 * (the lowest alternates), so `state % n` would make `n = 2` alternate and byte values cycle.
 */
export function randomSequence(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * n);
  };
}

/** Bytes compressed by the zstd command: an encoder independent of our decoder. */
export function zstdOf(bytes: Uint8Array): Buffer {
  const r = spawnSync('zstd', ['-c', '-q'], { input: bytes, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.error?.message ?? r.stderr.toString()}`);
  return r.stdout;
}

/** A CLI run stopped mid-write by `startHeld`. */
export interface HeldRun {
  /** What the run printed on stderr so far (the preload's `HOLDING <path>` line first). */
  readonly stderr: () => string;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The file operation `startHeld` holds: a temporary file's rename into place, or a directory's creation. */
export interface Hold {
  /**
   * `rename`: the rename of a temporary file (`*.tmp`) to a path containing `into` (the file
   * written, not yet in place). `mkdir`: the creation of a directory whose path contains
   * `into` (it is not made; the directories made before it are).
   */
  readonly call: 'rename' | 'mkdir';
  readonly into: string;
  /** Hold the nth such call (default 1). */
  readonly nth?: number;
}

/**
 * Starts the CLI with a preload that holds one file operation forever (see `Hold`) and says
 * `HOLDING <path>` on stderr: a deterministic moment at which to interrupt a write.
 * Resolves once the hold is reached or the run has exited. The preload is written as
 * `dir/hold-<call>.cjs`.
 */
export async function startHeld(dir: string, args: readonly string[], { call, into, nth = 1 }: Hold, { cwd = dir }: { cwd?: string } = {}): Promise<HeldRun> {
  const hook = join(dir, `hold-${call}.cjs`);
  const matches = call === 'rename' ? `String(a).endsWith('.tmp') && String(b).includes(${JSON.stringify(into)})` : `String(a).includes(${JSON.stringify(into)})`;
  await writeFile(
    hook,
    `const fsp = require('node:fs/promises');
const { syncBuiltinESMExports } = require('node:module');
const original = fsp.${call};
let seen = 0;
fsp.${call} = (a, b) => {
  if (${matches} && (seen += 1) === ${nth}) {
    process.stderr.write('HOLDING ' + a + '\\n');
    return new Promise(() => setInterval(() => {}, 1000));
  }
  return original(a, b);
};
syncBuiltinESMExports();
`,
  );
  const child = spawn(process.execPath, ['--require', hook, CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const reached = new Promise<void>((resolveHold) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes('HOLDING ')) resolveHold();
    }),
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  await Promise.race([reached, exited]);
  return { stderr: () => stderr, kill: (signal) => child.kill(signal), exited };
}


/**
 * A registry's access log once it holds every request made so far: the log arrives over a
 * pipe, so a count taken right after a command could miss its last lines. A marker request
 * made now is logged after all of them; this waits for it (10 s at most).
 */
export async function settledLogs(registry: { readonly url: string; logs(): string }): Promise<string> {
  const marker = `/v2/settled-${Date.now()}-${Math.random().toString(16).slice(2)}/manifests/x`;
  await fetch(`${registry.url}${marker}`).then((r) => r.arrayBuffer());
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    if (registry.logs().includes(`"GET ${marker}`)) return registry.logs();
  }
  throw new Error('the registry never logged the marker request');
}
