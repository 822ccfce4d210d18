/** The progress line: drawn only on a terminal without --json, and never on a pipe. */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, Progress, type ProgressStream } from '../dist/cli/progress.js';
import { CLI, run, runCli, tempDir, writeTree } from './helpers.js';

const MiB = 1024 * 1024;

/** A fake stderr and a hand-driven clock. */
function harness(isTTY: boolean) {
  const writes: string[] = [];
  const stream: ProgressStream = { isTTY, write: (t: string) => writes.push(t) };
  let now = 1_000_000;
  return { writes, stream, clock: () => now, advance: (ms: number) => (now += ms) };
}

/** Feeds 1 GiB in 64 MiB steps, 100 ms apart, through a progress display. */
function feed(progress: Progress, advance: (ms: number) => void): void {
  progress.onTotal(1024 * MiB);
  for (let i = 0; i < 16; i += 1) {
    advance(100);
    progress.onProgress(64 * MiB);
  }
}

describe('progress display', () => {
  it('draws bytes, rate and time left on a terminal, then erases itself', () => {
    const h = harness(true);
    const progress = Progress.forOutput(false, { stream: h.stream, now: h.clock });
    feed(progress, h.advance);
    expect(h.writes.length).toBeGreaterThan(0);
    expect(h.writes.length).toBeLessThanOrEqual(6); // not before 0.5 s, then at most every 200 ms
    expect(h.writes[0]).toBe('\rhashing 320.0 MiB of 1.0 GiB (31%) at 640.0 MiB/s, 2 s left\u001b[K');
    progress.finish();
    expect(h.writes.at(-1)).toBe('\r\u001b[K');
  });

  it('says downloading for a pull, whose bytes come from a registry', () => {
    const h = harness(true);
    const progress = Progress.forOutput(false, { stream: h.stream, now: h.clock, verb: 'downloading' });
    feed(progress, h.advance);
    expect(h.writes[0]).toBe('\rdownloading 320.0 MiB of 1.0 GiB (31%) at 640.0 MiB/s, 2 s left\u001b[K');
  });

  it('counts bytes hashed while listing, before the total is known, and keeps its clock when the total comes', () => {
    const h = harness(true);
    const progress = Progress.forOutput(false, { stream: h.stream, now: h.clock });
    for (let i = 0; i < 6; i += 1) {
      h.advance(100);
      progress.onProgress(64 * MiB);
    }
    expect(h.writes.at(-1)).toBe('\rhashing 384.0 MiB while listing at 768.0 MiB/s\u001b[K');
    // The total counts what was hashed while listing: 1 GiB in all, 384 MiB of it done.
    progress.onTotal(1024 * MiB);
    h.advance(200);
    progress.onProgress(64 * MiB);
    expect(h.writes.at(-1)).toBe('\rhashing 448.0 MiB of 1.0 GiB (43%) at 640.0 MiB/s, 1 s left\u001b[K');
  });

  it('is silent when stderr is not a terminal', () => {
    const h = harness(false);
    const progress = Progress.forOutput(false, { stream: h.stream, now: h.clock });
    feed(progress, h.advance);
    progress.finish();
    expect(h.writes).toEqual([]);
  });

  it('is silent with --json, even on a terminal', () => {
    const h = harness(true);
    const progress = Progress.forOutput(true, { stream: h.stream, now: h.clock });
    feed(progress, h.advance);
    progress.finish();
    expect(h.writes).toEqual([]);
  });

  it('stays quiet for runs shorter than half a second', () => {
    const h = harness(true);
    const progress = Progress.forOutput(false, { stream: h.stream, now: h.clock });
    progress.onTotal(10 * MiB);
    h.advance(400);
    progress.onProgress(10 * MiB);
    progress.finish();
    expect(h.writes).toEqual([]);
  });

  it('formats time left', () => {
    expect([formatDuration(0.2), formatDuration(59), formatDuration(65), formatDuration(7260)]).toEqual(['1 s', '59 s', '1 min 05 s', '2 h 01 min']);
  });

  it('the CLI writes nothing to a piped stderr while hashing through the worker pool', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'a.bin': randomBytes(24 * MiB), 'b.bin': randomBytes(24 * MiB) });
    for (const extra of [[], ['--json']]) {
      const result = await runCli(['digest', dir, '--method', 'shards', '--shard-size', String(4 * MiB), ...extra]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    }
  });

  it('a run that fails while the progress line is drawn prints its error on a clean line (digest and verify, on a pty)', async () => {
    const dir = await tempDir();
    const model = join(dir, 'model');
    const file = join(model, 'zeros.bin');
    await writeTree(model, { 'zeros.bin': 'x' });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(join(dir, 'key.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await runCli(['sign', 'key', model, '--private-key', join(dir, 'key.pem'), '--signature', join(dir, 'model.sig')])).code).toBe(0);
    const runs = [`digest ${model}`, `verify key ${model} --signature ${join(dir, 'model.sig')} --public-key ${join(dir, 'key.pub')}`];
    for (const args of runs) {
      // A sparse 16 GiB file: hashing lasts long enough to draw, and is cut short once it has.
      await truncate(file, 16 * 1024 * MiB);
      let cut: Promise<void> | undefined;
      const shown = await onPty(`${process.execPath} ${CLI} ${args} --max-workers 1`, (output) => {
        if (output.includes('\rhashing ')) cut ??= truncate(file, 0);
      });
      await cut;
      expect(shown.output, args).toMatch(/\rhashing [^\r]*\u001b\[K/);
      // Before, the error was written on the end of the progress line: `... 1 s left\u001b[Kerror: ...`.
      expect(shown.output, args).toMatch(/\r\u001b\[Kerror: [^\r\n]*zeros\.bin is shorter than when it was listed/);
      expect(shown.output, args).not.toMatch(/[^\r]\u001b\[Kerror/);
      expect(shown.code, args).toBe(2);
    }
  }, 120_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('a run ended by %s while the progress line is drawn erases it, so what the shell prints next starts on a clean line (on a pty)', async (signal, status) => {
    const dir = await tempDir();
    const model = join(dir, 'model');
    await writeTree(model, { 'zeros.bin': '' });
    await truncate(join(model, 'zeros.bin'), 16 * 1024 * MiB); // sparse: hashing lasts long enough to draw
    // The inner shell prints its pid and becomes the CLI (a foreground process: SIGINT is not ignored).
    const script = join(dir, 'run.sh');
    await writeFile(script, `sh -c 'echo PID=$$; exec "$0" "$@"' '${process.execPath}' '${CLI}' digest '${model}' --max-workers 1\necho "AFTER $?"\n`);
    let sent = false;
    const shown = await onPty(`sh ${script}`, (output) => {
      const pid = /PID=(\d+)/.exec(output)?.[1];
      if (!sent && pid && output.includes('\rhashing ')) {
        sent = true;
        process.kill(Number(pid), signal);
      }
    });
    expect(sent).toBe(true);
    expect(shown.output).toMatch(/\rhashing [^\r]*\u001b\[K/);
    // Before: `... 7 s left\u001b[KAFTER 130`, the shell's output on the end of the progress
    // line (for SIGTERM its `Terminated` comes first).
    expect(shown.output).toMatch(new RegExp(`\\u001b\\[K\\r\\u001b\\[K(Terminated\\r?\\n)?AFTER ${status}\\r?\\n`));
  }, 60_000);

  it('the CLI draws bytes, rate and time left on a terminal (a pty from script(1)) and erases the line; not with --json', async () => {
    const dir = await tempDir();
    const file = join(dir, 'zeros.bin');
    await writeFile(file, '');
    // A sparse file of zeros: no disk used. It grows until hashing lasts long enough to draw.
    for (const size of [256 * MiB, 1024 * MiB, 4096 * MiB]) {
      await truncate(file, size);
      const cli = (extra: string) => run('script', ['-qec', `${process.execPath} ${CLI} digest ${dir} --max-workers 1${extra}`, '/dev/null']);
      const started = performance.now();
      const shown = await cli('');
      const seconds = (performance.now() - started) / 1000;
      if (!/\rhashing [^\r]* left/.test(shown) && seconds < 1.5) continue;
      expect(shown).toMatch(/\rhashing [\d.]+ (MiB|GiB) of [\d.]+ (MiB|GiB) \(\d+%\) at [\d.]+ (MiB|GiB)\/s, \d+ s left\u001b\[K/);
      expect(shown).toContain('\r\u001b[K');
      // The digest follows the erased line: sha256 over the one file's digest.
      const zeros = createHash('sha256');
      for (let left = size; left > 0; left -= 16 * MiB) zeros.update(Buffer.alloc(Math.min(left, 16 * MiB)));
      const root = createHash('sha256').update(zeros.digest()).digest('hex');
      expect(shown).toMatch(new RegExp(`\\r\\u001b\\[Ksha256:${root}\\r?\\n`));
      const json = await cli(' --json');
      expect(json).not.toContain('hashing');
      expect(json).toContain(`"rootDigest": "sha256:${root}"`);
      return;
    }
    throw new Error('hashing 4 GiB took under 1.5 s without a progress line');
  }, 60_000);
});

/** Runs a command on a pseudo-terminal (script(1)), calling `watch` with all output so far as it comes. */
function onPty(command: string, watch: (output: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      watch(output);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
