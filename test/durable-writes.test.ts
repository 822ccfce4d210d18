/**
 * What a crash can leave: the CLI's writes traced with strace, the kernel's own record of
 * the system calls. A file's bytes must be flushed (fsync) before the rename that gives it
 * its final name, so a power cut never shows a pulled file, a layout's blob or index, or a
 * signature under its name over bytes that were lost; the directory a rename went into is
 * flushed after it.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, tempDir } from './helpers.js';

const DEMO = join(ROOT, 'fixtures/demo');

/** One traced call: its name, its path arguments (an fd's as it was opened), and its result. */
interface Call {
  readonly name: string;
  readonly paths: readonly string[];
  readonly result: string;
}

/** Runs the CLI under strace and returns its openat, fsync and rename calls in order, fds turned into paths. */
async function traced(args: readonly string[], dir: string): Promise<Call[]> {
  const log = join(dir, `trace-${args[0]}`);
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=openat,fsync,fdatasync,rename', '-o', log, 'node', CLI, ...args], { cwd: dir, encoding: 'utf8' });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  // With -f, a call another thread interrupts is split: `fsync(21 <unfinished ...>`, later `<... fsync resumed>) = 0`.
  const pending = new Map<string, string>();
  const lines: string[] = [];
  for (const line of (await readFile(log, 'utf8')).split('\n')) {
    const [, pid, rest] = /^(\d+)\s+(.*)$/.exec(line) ?? [];
    if (pid === undefined || rest === undefined) continue;
    const started = /^(.*) <unfinished \.\.\.>$/.exec(rest);
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    if (started) pending.set(pid, started[1]!);
    else if (resumed) lines.push(`${pending.get(pid) ?? ''}${resumed[1]}`);
    else lines.push(rest);
  }
  const open = new Map<string, string>();
  const calls: Call[] = [];
  for (const line of lines) {
    const [, name, argText, result] = /^(\w+)\((.*)\)\s+= (.*)$/.exec(line) ?? [];
    if (name === undefined || argText === undefined || result === undefined) continue;
    const quoted = [...argText.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    if (name === 'openat') {
      if (/^\d+$/.test(result)) open.set(result, quoted[0]!);
      calls.push({ name, paths: quoted, result });
    } else if (name === 'fsync' || name === 'fdatasync') {
      calls.push({ name: 'fsync', paths: [open.get(/^(\d+)/.exec(argText)![1]!) ?? '?'], result });
    } else calls.push({ name, paths: quoted, result });
  }
  return calls;
}

/** Index of the first call matching, or -1. */
const indexOf = (calls: readonly Call[], name: string, test: (paths: readonly string[]) => boolean, from = 0): number =>
  calls.findIndex((c, i) => i >= from && c.name === name && c.result === '0' && test(c.paths));

describe('durable writes (strace)', () => {
  it('push to a layout, pull and sign flush each file before the rename that names it, and the directories renamed into', async () => {
    const dir = await tempDir();
    const layout = `oci-layout:${join(dir, 'layout')}:v1`;
    const push = await traced(['push', join(DEMO, 'model'), layout], dir);
    // Four layers, the config and the manifest; index.json (made, then tagged) and oci-layout by replaceFile.
    const written = push.filter((c) => c.name === 'rename' && c.result === '0' && c.paths[1]!.startsWith(join(dir, 'layout')));
    const names = written.map((c) => c.paths[1]!.replace(`${join(dir, 'layout')}/`, ''));
    expect(names.filter((n) => n.startsWith('blobs/sha256/'))).toHaveLength(6);
    expect(new Set(names.filter((n) => !n.startsWith('blobs/')))).toEqual(new Set(['index.json', 'oci-layout']));
    for (const rename of written) {
      const flushed = indexOf(push, 'fsync', (p) => p[0] === rename.paths[0]);
      expect(flushed, `${rename.paths[1]} flushed`).toBeGreaterThanOrEqual(0);
      expect(flushed, `${rename.paths[1]} flushed before its rename`).toBeLessThan(push.indexOf(rename));
      expect(indexOf(push, 'fsync', (p) => p[0] === dirname(rename.paths[1]!), push.indexOf(rename)), `${rename.paths[1]}'s directory flushed after`).toBeGreaterThan(push.indexOf(rename));
    }
    expect((await runCli(['attach', layout, '--signature', join(DEMO, 'model.sig')], { cwd: dir })).code).toBe(0);
    const out = join(dir, 'out');
    const pull = await traced(['pull', layout, out, '--verify', 'key', '--public-key', join(DEMO, 'demo-key.pub.pem')], dir);
    const moves = pull.filter((c) => c.name === 'rename' && c.result === '0' && c.paths[0]!.includes('/files/'));
    expect(moves.map((c) => c.paths[1]!.replace(/.*\/verified\//, '')).sort()).toEqual(['README.md', 'config.json', 'tokenizer/vocab.txt', 'weights.bin']);
    for (const move of moves) {
      const at = pull.indexOf(move);
      const flushed = indexOf(pull, 'fsync', (p) => p[0] === move.paths[0]);
      expect(flushed, `${move.paths[0]} flushed`).toBeGreaterThanOrEqual(0);
      expect(flushed, `${move.paths[0]} flushed before its rename`).toBeLessThan(at);
    }
    // The new destination appears in one rename, after the directories in it were flushed; then its parent is.
    const last = indexOf(pull, 'rename', (p) => p[1] === out);
    expect(last).toBeGreaterThan(pull.indexOf(moves[moves.length - 1]!));
    for (const sub of ['verified', 'verified/tokenizer']) {
      const flushed = indexOf(pull, 'fsync', (p) => p[0]!.includes('.modelsign-pull-') && p[0]!.endsWith(`/${sub}`));
      expect(flushed, `${sub} flushed`).toBeGreaterThan(pull.indexOf(moves[moves.length - 1]!));
      expect(flushed).toBeLessThan(last);
    }
    expect(indexOf(pull, 'fsync', (p) => p[0] === dir, last), 'destination parent flushed after the rename').toBeGreaterThan(last);
    expect((await readFile(join(out, 'weights.bin'))).equals(await readFile(join(DEMO, 'model/weights.bin')))).toBe(true);

    const signature = join(dir, 'model.sig');
    const sign = await traced(['sign', 'key', join(DEMO, 'model'), '--private-key', join(DEMO, 'demo-key.pem'), '--signature', signature], dir);
    const into = indexOf(sign, 'rename', (p) => p[1] === signature);
    expect(into, 'signature renamed into place').toBeGreaterThanOrEqual(0);
    const temp = sign[into]!.paths[0]!;
    const flushed = indexOf(sign, 'fsync', (p) => p[0] === temp);
    expect(flushed, `${temp} flushed`).toBeGreaterThanOrEqual(0);
    expect(flushed).toBeLessThan(into);
    expect(indexOf(sign, 'fsync', (p) => p[0] === dir, into), 'signature directory flushed after the rename').toBeGreaterThan(into);
  });
});
