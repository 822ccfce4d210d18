/** The README's promises: its quick start runs as written, and CI runs its test command. */
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

describe('README', () => {
  it('quick start verifies the shipped demo model', async () => {
    const result = await runCli(quickStartArgs());
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

  it('CI runs the README test command', async () => {
    const command = /## Testing\s+```sh\n(.+)\n```/.exec(readme)?.[1]?.trim();
    expect(command).toBe('./scripts/test.sh');
    expect(await readFile(join(ROOT, '.ci/run'), 'utf8')).toContain('exec ./scripts/test.sh');
  });
});
