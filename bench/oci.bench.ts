/**
 * OCI benchmarks and measurements (`npm run bench:oci`), each against a baseline in the same
 * run on the same data, with Debian's docker-registry on loopback:
 *
 * 1. pull + verify of a model (default 2 GiB in 4 files) with `modelsign pull --verify`
 *    against `skopeo copy` of the same artifact to an OCI layout (which only checks layer
 *    digests). Target: throughput ratio >= 1.0, peak RSS < 200 MB.
 * 2. 20 concurrent `attach` processes to one subject, over 10 runs: how many referrers
 *    survive in the fallback index (distribution 2.8 has no referrers API and ignores
 *    If-Match). The goal is all of them.
 *
 * Env: BENCH_OCI_MIB (model size, default 2048), BENCH_OCI_FILES (4), BENCH_RUNS (3),
 * BENCH_ATTACH_PROCS (20), BENCH_ATTACH_RUNS (10), BENCH_DIR (default: the OS temp dir).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../test/servers/registry.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli/main.js');
const KEY = join(ROOT, 'fixtures/demo/demo-key.pem');
const PUB = join(ROOT, 'fixtures/demo/demo-key.pub.pem');
const num = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
const MODEL_MIB = num('BENCH_OCI_MIB', 2048);
const MODEL_FILES = num('BENCH_OCI_FILES', 4);
const RUNS = num('BENCH_RUNS', 3);
const ATTACH_PROCS = num('BENCH_ATTACH_PROCS', 20);
const ATTACH_RUNS = num('BENCH_ATTACH_RUNS', 10);

let registry: RunningRegistry;
let work: string;
beforeAll(async () => {
  registry = await startRegistry();
  work = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'modelsign-bench-oci-'));
});
afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Measured {
  seconds: number;
  peakMB: number;
  code: number;
  stderr: string;
}

/** Runs a command, timing it and sampling its peak RSS (VmHWM) until it exits. */
function measure(cmd: string, args: string[]): Promise<Measured> {
  return new Promise((done) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKB = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB, Number(m[1]));
      } catch {
        /* exited between samples */
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(sample);
      done({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMB: peakKB / 1024, code: code ?? -1, stderr });
    });
  });
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 * 1024 * 1024) {
    if (!out.write(randomBytes(Math.min(left, 8 * 1024 * 1024)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error) => (err ? j(err) : r())));
}

const cli = (args: string[]) => measure(process.execPath, [CLI, ...args]);

it(`pull + verify of a ${MODEL_MIB} MiB model against skopeo copy`, async () => {
  const model = join(work, 'model');
  await mkdir(model, { recursive: true });
  const each = Math.floor((MODEL_MIB * 1024 * 1024) / MODEL_FILES);
  for (let i = 0; i < MODEL_FILES; i += 1) await writeRandomFile(join(model, `weights-${i}.bin`), each);
  const reference = `${registry.host}/bench/model:v1`;
  const push = await cli(['push', model, `oci://${reference}`]);
  expect(push.code, push.stderr).toBe(0);
  const sign = await cli(['sign', 'key', `oci://${reference}`, '--attach', '--private-key', KEY]);
  expect(sign.code, sign.stderr).toBe(0);
  await rm(model, { recursive: true });

  const bytes = each * MODEL_FILES;
  let best = { ours: Infinity, skopeo: Infinity };
  let peak = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const layout = join(work, `layout-${run}`);
    const baseline = await measure('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reference}`, `oci:${layout}:v1`]);
    expect(baseline.code, baseline.stderr).toBe(0);
    await rm(layout, { recursive: true });
    const dest = join(work, `pulled-${run}`);
    const ours = await cli(['pull', `oci://${reference}`, dest, '--verify', 'key', '--public-key', PUB]);
    expect(ours.code, ours.stderr).toBe(0);
    await rm(dest, { recursive: true });
    best = { ours: Math.min(best.ours, ours.seconds), skopeo: Math.min(best.skopeo, baseline.seconds) };
    peak = Math.max(peak, ours.peakMB);
  }
  const rate = (s: number) => `${(bytes / s / 1024 / 1024).toFixed(0)} MiB/s`;
  const ratio = best.skopeo / best.ours;
  console.log(
    [
      `pull+verify ${MODEL_MIB} MiB in ${MODEL_FILES} files, best of ${RUNS}:`,
      `  skopeo copy (digests only):   ${best.skopeo.toFixed(2)} s  ${rate(best.skopeo)}`,
      `  modelsign pull --verify key:  ${best.ours.toFixed(2)} s  ${rate(best.ours)}`,
      `  throughput ratio ${ratio.toFixed(2)} (target >= 1.0)  ${ratio >= 1 ? 'PASS' : 'FAIL'}`,
      `  peak RSS ${peak.toFixed(1)} MB (target < 200 MB)  ${peak < 200 ? 'PASS' : 'FAIL'}`,
    ].join('\n'),
  );
  expect.soft(ratio).toBeGreaterThanOrEqual(1);
  expect.soft(peak).toBeLessThan(200);
});

it(`${ATTACH_PROCS} concurrent attach processes to one subject, ${ATTACH_RUNS} runs`, async () => {
  const bundles: string[] = [];
  for (let i = 0; i < ATTACH_PROCS; i += 1) {
    const path = join(work, `bundle-${i}.sig`);
    const signed = await cli(['sign', 'key', join(ROOT, 'fixtures/demo/model'), '--private-key', KEY, '--signature', path]);
    expect(signed.code, signed.stderr).toBe(0);
    bundles.push(path);
  }
  const survived: number[] = [];
  for (let run = 0; run < ATTACH_RUNS; run += 1) {
    const reference = `oci://${registry.host}/bench/race${run}:v1`;
    expect((await cli(['push', join(ROOT, 'fixtures/demo/model'), reference])).code).toBe(0);
    const results = await Promise.all(bundles.map((b) => cli(['attach', reference, '--signature', b])));
    const failed = results.filter((r) => r.code !== 0);
    const discovered = await new Promise<string>((done) => {
      const child = spawn(process.execPath, [CLI, 'discover', reference, '--json']);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => done(out));
    });
    const count = (JSON.parse(discovered) as { signatures: unknown[] }).signatures.length;
    survived.push(count);
    console.log(`  run ${run + 1}: ${count}/${ATTACH_PROCS} referrers survive${failed.length ? ` (${failed.length} attach processes failed: ${failed[0]!.stderr.trim()})` : ''}`);
  }
  const total = survived.reduce((a, b) => a + b, 0);
  console.log(`attach race: ${total}/${ATTACH_PROCS * ATTACH_RUNS} referrers survived over ${ATTACH_RUNS} runs; all survived in ${survived.filter((s) => s === ATTACH_PROCS).length} of ${ATTACH_RUNS} runs`);
  expect.soft(total).toBe(ATTACH_PROCS * ATTACH_RUNS);
});

if (!existsSync(CLI)) throw new Error('build first: npm run build');
