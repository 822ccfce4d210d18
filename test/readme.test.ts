/** The README's promises: its install check and quick start run as written, and CI runs its test command. */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');

function quickStartArgs(): string[] {
  const block = /<!-- quickstart -->\s*```sh\n(.+)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no quick start block');
  const [npx, bin, ...args] = block.trim().split(/\s+/);
  expect(`${npx} ${bin}`).toBe('npx modelsign');
  return args;
}

/** Runs `npx modelsign ...` in the checkout, as a user who followed the install steps does. */
function npx(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['--no-install', 'modelsign', ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('README', () => {
  it('the install check, npx modelsign --help, runs as written', async () => {
    const line = /## Install[\s\S]*?```sh\n[\s\S]*?^(npx modelsign .+)$/m.exec(readme)?.[1];
    expect(line).toBe('npx modelsign --help');
    const result = await npx(['--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('modelsign <command>');
  });

  it('quick start verifies the shipped demo model, run through npx as written', async () => {
    const result = await npx(quickStartArgs());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Verification succeeded');
  });

  it('quick start fails on a changed demo model, naming the file', async () => {
    const copy = join(await tempDir(), 'fixtures');
    await cp(join(ROOT, 'fixtures'), copy, { recursive: true });
    const weights = join(copy, 'demo/model/weights.bin');
    const bytes = await readFile(weights);
    bytes[100] = bytes[100]! ^ 1;
    await writeFile(weights, bytes);
    const result = await runCli(quickStartArgs(), { cwd: join(copy, '..') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/changed\s+weights\.bin/);
  });

  it("the package's bin runs as an executable, and so does the unbundled CLI an older npx link may still name", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: { modelsign: string } };
    expect(pkg.bin.modelsign).toBe('dist/bin/modelsign.js');
    for (const file of [pkg.bin.modelsign, 'dist/cli/main.js']) {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(join(ROOT, file), ['--version'], (err, out) => (err ? reject(err) : resolve(out)));
      });
      expect(stdout.trim(), file).toBe(pkg.version);
    }
  });

  it('CI runs the README test command', async () => {
    const command = /## Testing\s+```sh\n(.+)\n```/.exec(readme)?.[1]?.trim();
    expect(command).toBe('./scripts/test.sh');
    expect(await readFile(join(ROOT, '.ci/run'), 'utf8')).toContain('exec ./scripts/test.sh');
  });
});
