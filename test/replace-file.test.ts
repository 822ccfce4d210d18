/**
 * Files written all at once (signatures, the digest cache): through symbolic links, even
 * dangling ones, and with nothing left behind by a failed or interrupted run.
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDigestCache, replaceFile } from '../dist/src/engine.js';
import { CLI, runCli, startHeld, tempDir, writeTree } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A model and a key pair in a fresh directory. */
async function workDir(): Promise<{ dir: string; model: string; key: string; pub: string }> {
  const dir = await tempDir();
  const model = join(dir, 'model');
  await writeTree(model, { 'weights.bin': randomBytes(1000), 'config.json': '{}' });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(dir, 'key.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  return { dir, model, key: join(dir, 'key.pem'), pub: join(dir, 'key.pub') };
}

describe('a file replaced keeps its permissions', () => {
  it('re-signing over a bundle made private (0600), or group-writable (0664), keeps its mode whatever the umask; a new one gets the default', async () => {
    const { dir, model, key } = await workDir();
    const sig = join(dir, 'model.sig');
    const sign = async (): Promise<void> => expect((await runCli(['sign', 'key', model, '--private-key', key, '--signature', sig], { cwd: dir })).code).toBe(0);
    await sign();
    expect((await stat(sig)).mode & 0o777).toBe(0o666 & ~process.umask());
    for (const mode of [0o600, 0o664]) {
      await chmod(sig, mode);
      // Before, each re-sign left the bundle as a new file would be: 0644 under the usual umask.
      await sign();
      expect((await stat(sig)).mode & 0o777, mode.toString(8)).toBe(mode);
    }
    // The digest cache sets its own mode (0600), whatever the file had.
    const cachePath = join(dir, 'c.json');
    await writeFile(cachePath, '{}', { mode: 0o644 });
    await replaceFile(cachePath, '{}', { mode: 0o600 });
    expect((await stat(cachePath)).mode & 0o777).toBe(0o600);
  });
});

describe('a symbolic link is written through, even when it dangles', () => {
  it('sign --signature link.sig -> sigs/model.sig (missing) writes sigs/model.sig and leaves the link', async () => {
    const { dir, model, key, pub } = await workDir();
    await mkdir(join(dir, 'sigs'));
    await symlink('sigs/model.sig', join(dir, 'link.sig'));
    const s = await runCli(['sign', 'key', model, '--private-key', key, '--signature', 'link.sig'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    // Before, the bundle was renamed over the link: link.sig became a regular file.
    expect((await lstat(join(dir, 'link.sig'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'link.sig'))).toBe('sigs/model.sig');
    expect(JSON.parse(await readFile(join(dir, 'sigs/model.sig'), 'utf8'))).toHaveProperty('dsseEnvelope');
    expect(await readdir(join(dir, 'sigs'))).toEqual(['model.sig']);
    expect((await runCli(['verify', 'key', model, '--public-key', pub, '--signature', join(dir, 'link.sig')])).code).toBe(0);
  });

  it('a link with `..`, reached through a linked directory, is followed from its real directory, as the kernel does', async () => {
    const { dir, model, key, pub } = await workDir();
    await mkdir(join(dir, 'real/sub'), { recursive: true });
    await symlink('real/sub', join(dir, 'linkdir'));
    await symlink('../target.json', join(dir, 'real/sub/sig.json'));
    const s = await runCli(['sign', 'key', model, '--private-key', key, '--signature', 'linkdir/sig.json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    // Before, `..` was taken against linkdir/: the bundle went to <dir>/target.json.
    expect(JSON.parse(await readFile(join(dir, 'real/target.json'), 'utf8'))).toHaveProperty('dsseEnvelope');
    expect((await readdir(dir)).sort()).toEqual(['key.pem', 'key.pub', 'linkdir', 'model', 'real']);
    expect((await runCli(['verify', 'key', model, '--public-key', pub, '--signature', join(dir, 'linkdir/sig.json')])).code).toBe(0);
  });

  it('a chain of links, the last dangling, is followed to its end', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a'));
    await symlink('a/second', join(dir, 'first'));
    await symlink('../target', join(dir, 'a/second'));
    await replaceFile(join(dir, 'first'), 'content');
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('content');
    expect([(await lstat(join(dir, 'first'))).isSymbolicLink(), (await lstat(join(dir, 'a/second'))).isSymbolicLink()]).toEqual([true, true]);
  });

  it('a dangling link into a directory that does not exist fails naming the link and its target, and writes nothing', async () => {
    const { dir, model, key } = await workDir();
    await symlink('missing/model.sig', join(dir, 'link.sig'));
    const s = await runCli(['sign', 'key', model, '--private-key', key, '--signature', join(dir, 'link.sig'), '--json']);
    expect(s.code).toBe(2);
    expect(JSON.parse(s.stdout).error).toEqual({
      kind: 'usage',
      code: 'SIGNATURE_WRITE_FAILED',
      message: `cannot write signature ${join(dir, 'link.sig')}: ${join(dir, 'link.sig')} is a symbolic link to ${join(dir, 'missing/model.sig')}, whose directory ${join(dir, 'missing')} does not exist`,
    });
    expect(await readlink(join(dir, 'link.sig'))).toBe('missing/model.sig');
    expect((await readdir(dir)).sort()).toEqual(['key.pem', 'key.pub', 'link.sig', 'model']);
  });

  it('a dangling link at the digest cache path is kept; the cache is written where it points', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'caches'));
    await symlink('caches/digests.json', join(dir, 'cache.json'));
    const cache = await FileDigestCache.open(join(dir, 'cache.json'));
    cache.set('1:2:3:4:5', 0, 3, 'sha256', 'a'.repeat(64));
    await cache.save();
    expect(await readlink(join(dir, 'cache.json'))).toBe('caches/digests.json');
    expect((await FileDigestCache.open(join(dir, 'caches/digests.json'))).size).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['cache.json', 'caches']);
  });
});

describe('a signature on standard output', () => {
  /** Runs the CLI (or a shell script) with the given stdio, collecting what arrives on its piped descriptors. */
  function spawnCli(args: readonly string[], stdio: StdioOptions, cwd: string, shell?: string): Promise<{ code: number | null; out: Record<number, string> }> {
    const child = shell ? spawn(shell, args, { cwd, stdio }) : spawn(process.execPath, [CLI, ...args], { cwd, stdio });
    const out: Record<number, string> = {};
    child.stdio.forEach((stream, fd) => {
      if (fd === 0 || !stream) return;
      out[fd] = '';
      stream.on('data', (chunk: Buffer) => (out[fd] += chunk.toString('utf8')));
    });
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
  }

  /** `sign key ... --signature /dev/stdout > file`: stdout is `file`, made empty first as a shell does. */
  async function signIntoRedirectedStdout(dir: string, model: string, key: string, file: string): ReturnType<typeof spawnCli> {
    const fd = openSync(file, 'w');
    try {
      return await spawnCli(['sign', 'key', model, '--private-key', key, '--signature', '/dev/stdout'], ['ignore', fd, 'pipe'], dir);
    } finally {
      closeSync(fd);
    }
  }

  it('--signature /dev/stdout into a pipe: stdout is the bundle alone, which verifies; the report goes to stderr', async () => {
    const { dir, model, key, pub } = await workDir();
    const r = await spawnCli(['sign', 'key', model, '--private-key', key, '--signature', '/dev/stdout'], ['ignore', 'pipe', 'pipe'], dir);
    // Before: `cannot write signature /dev/stdout (ENOENT)`, exit 2 (the link /proc/self/fd/1
    // reads `pipe:[...]`, which was looked for as a file).
    expect(r.code, r.out[2]).toBe(0);
    expect(JSON.parse(r.out[1]!)).toHaveProperty('dsseEnvelope');
    expect(r.out[2]).toMatch(/^Signed .* \(2 resources, root sha256:[0-9a-f]{64}\)\nSignature written to standard output\n$/);
    await writeFile(join(dir, 'piped.sig'), r.out[1]!);
    const v = await runCli(['verify', 'key', model, '--public-key', pub, '--signature', join(dir, 'piped.sig')]);
    expect(v.code, v.stderr).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['key.pem', 'key.pub', 'model', 'piped.sig']);
  });

  it('--signature /dev/stdout with stdout redirected to a file (`> out.sig`, made empty by the shell) writes the bundle there', async () => {
    const { dir, model, key, pub } = await workDir();
    const r = await signIntoRedirectedStdout(dir, model, key, join(dir, 'out.sig'));
    // Before: refused as `/dev/stdout exists and is not a signature bundle`.
    expect(r.code, r.out[2]).toBe(0);
    expect(r.out[2]).toContain('Signature written to standard output');
    const v = await runCli(['verify', 'key', model, '--public-key', pub, '--signature', join(dir, 'out.sig')]);
    expect(v.code, v.stderr).toBe(0);
  });

  it('--signature /dev/stdout redirected into a file inside the model (`> model/model.sig`) leaves that file out of the hash, as a signature path inside the model', async () => {
    const { dir, model, key, pub } = await workDir();
    const inside = join(model, 'model.sig');
    const r = await signIntoRedirectedStdout(dir, model, key, inside);
    expect(r.code, r.out[2]).toBe(0);
    // Before: the empty file the shell made was signed as a file of the model, so the model
    // failed its own verification (model.sig changed) once the bundle was in it.
    expect(r.out[2]).toMatch(/^Signed .* \(2 resources, /);
    const v = await runCli(['verify', 'key', model, '--public-key', pub, '--signature', inside, '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect((JSON.parse(v.stdout) as { serialization: { ignorePaths: string[] } }).serialization.ignorePaths).toContain('model.sig');
  });

  it('another descriptor that is a pipe (/dev/fd/3, as a shell makes it) is written into; the report stays on stdout', async () => {
    const { dir, model, key, pub } = await workDir();
    const quote = (x: string): string => `'${x.replace(/'/g, `'\\''`)}'`;
    // fd 3 is the pipe into `cat`; stdout goes to stderr, which the test reads.
    const script = `${quote(process.execPath)} ${quote(CLI)} sign key ${quote(model)} --private-key ${quote(key)} --signature /dev/fd/3 3>&1 >&2 | cat > fd3.sig; exit \${PIPESTATUS[0]}`;
    const r = await spawnCli(['-c', script], ['ignore', 'pipe', 'pipe'], dir, 'bash');
    // Before: `cannot write signature /dev/fd/3 (ENOENT)`.
    expect(r.code, r.out[2]).toBe(0);
    expect(r.out[2]).toContain('Signature written to /dev/fd/3');
    expect((await runCli(['verify', 'key', model, '--public-key', pub, '--signature', join(dir, 'fd3.sig')])).code).toBe(0);
  });

  it('--json with the signature on stdout is refused before hashing (the report would share stdout with the bundle)', async () => {
    const { dir, model, key } = await workDir();
    const r = await spawnCli(['sign', 'key', model, '--private-key', key, '--signature', '/dev/stdout', '--json'], ['ignore', 'pipe', 'pipe'], dir);
    expect(r.code).toBe(2);
    // Before: the bundle, then the JSON report, on stdout.
    expect(JSON.parse(r.out[1]!)).toEqual({
      error: { kind: 'usage', code: 'BAD_FLAG', message: '--json prints its report on stdout, which --signature /dev/stdout takes for the bundle: write the signature to a file, or leave out --json' },
    });
  });
});

describe('nothing is left behind by a failed or interrupted write', () => {
  /** Runs the CLI held at the rename of a temporary file to `holdName` (see startHeld), then sends `signal`. */
  async function interruptWhileWriting(dir: string, args: string[], holdName: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const run = await startHeld(dir, args, { call: 'rename', into: holdName });
    run.kill(signal);
    return { ...(await run.exited), stderr: run.stderr() };
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('sign interrupted by %s while its bundle is written leaves no temporary file and no signature, then ends by that signal (a shell reports %i)', async (signal, _status) => {
    const { dir, model, key } = await workDir();
    const r = await interruptWhileWriting(dir, ['sign', 'key', model, '--private-key', key, '--signature', 'model.sig'], 'model.sig', signal);
    expect(r.stderr).toMatch(/^HOLDING .*\.model\.sig\.\d+\.[0-9a-f]+\.tmp\n/);
    // Before, the process died of the signal and `.model.sig.<pid>.<rand>.tmp` stayed.
    expect((await readdir(dir)).sort()).toEqual(['hold-rename.cjs', 'key.pem', 'key.pub', 'model']);
    // Ended by the signal's own action (not process.exit, which waits for stuck file operations).
    expect({ code: r.code, signal: r.signal }).toEqual({ code: null, signal });
  });

  it('SIGTERM ends a run stuck in a file operation (opening a FIFO given as the key) at once, by the signal', async () => {
    const { dir, model } = await workDir();
    const fifo = join(dir, 'key.fifo');
    await new Promise<void>((done, fail) => spawn('mkfifo', [fifo]).on('exit', (c) => (c === 0 ? done() : fail(new Error('mkfifo failed')))));
    const child = spawn(process.execPath, [CLI, 'sign', 'key', model, '--private-key', fifo, '--signature', join(dir, 'model.sig')], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
    // Signalled only once a thread is blocked opening the FIFO (the kernel's wait for a
    // writer), not after a guessed delay that a busy machine could outrun.
    const blocked = async (): Promise<boolean> => {
      const tasks = await readdir(`/proc/${child.pid}/task`).catch(() => []);
      const waits = await Promise.all(tasks.map((t) => readFile(`/proc/${child.pid}/task/${t}/wchan`, 'utf8').catch(() => '')));
      return waits.includes('wait_for_partner');
    };
    const deadline = Date.now() + 20_000;
    while (!(await blocked())) {
      if (Date.now() > deadline) throw new Error('the run never blocked opening the FIFO');
      await sleep(20);
    }
    child.kill('SIGTERM');
    // Before, the handler's process.exit() waited for the open stuck in libuv's thread pool.
    const ended = await Promise.race([exited, sleep(5000).then(() => 'still running' as const)]);
    if (ended === 'still running') child.kill('SIGKILL');
    expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('a run interrupted while saving the digest cache leaves neither its temporary file nor its lock file', async () => {
    const dir = await tempDir();
    await writeTree(join(dir, 'model'), { 'a.bin': randomBytes(100) });
    await sleep(2100); // files get an identity (so are cached) once their ctime is two seconds old
    await mkdir(join(dir, 'caches'));
    const r = await interruptWhileWriting(dir, ['digest', 'model', '--cache-file', 'caches/digests.json'], 'digests.json', 'SIGINT');
    expect(r.stderr).toMatch(/^HOLDING .*\.digests\.json\.\d+\.[0-9a-f]+\.tmp\n/);
    expect(await readdir(join(dir, 'caches'))).toEqual([]);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: null, signal: 'SIGINT' });
  });
});
