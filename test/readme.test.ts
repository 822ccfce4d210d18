/** The README's promises: its install check and quick start run as written, and CI runs its test command. */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, runCli, tempDir } from './helpers.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');

/** The code block (in `lang`) after `<!-- name -->` in the README. */
function markedBlock(name: string, lang = 'js'): string {
  const block = new RegExp(`<!-- ${name} -->\\s*\`\`\`${lang}\\n([\\s\\S]+?)\`\`\``).exec(readme)?.[1];
  if (!block) throw new Error(`README has no ${name} block`);
  return block;
}

function quickStartArgs(): string[] {
  const block = markedBlock('quickstart', 'sh');
  // One command, on one line.
  expect(block).toMatch(/^.+\n$/);
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

  it('the Library examples run as written, importing the package by name: the local one signs and verifies the demo model; the OCI one verifies it in a layout after the push and attach the README names', async () => {
    // A project beside the checkout, with the package installed as a link to it.
    const dir = await tempDir();
    await cp(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
    await mkdir(join(dir, 'node_modules'));
    await symlink(ROOT, join(dir, 'node_modules/modelsign'));
    await writeFile(join(dir, 'local.mjs'), markedBlock('library-local'));
    expect(await run(process.execPath, ['local.mjs'], { cwd: dir })).toBe('true { ok: 4, changed: 0, missing: 0, extra: 0, ignored: 0 }\n');

    const steps = /After\s+`npx modelsign (push [^`]+)` and\s+`npx modelsign (attach [^`]+)`:/.exec(readme);
    expect(steps).not.toBeNull();
    for (const step of steps!.slice(1)) {
      const result = await runCli(step.split(' '), { cwd: dir });
      expect(result.code, step + result.stderr).toBe(0);
    }
    await writeFile(join(dir, 'oci.mjs'), markedBlock('library-oci'));
    expect(await run(process.execPath, ['oci.mjs'], { cwd: dir })).toMatch(/^oci-layout:\/\S+\/demo-layout@sha256:[0-9a-f]{64} true\n$/);
  });

  it('CI runs the README test command', async () => {
    const command = /## Testing\s+```sh\n(.+)\n```/.exec(readme)?.[1]?.trim();
    expect(command).toBe('./scripts/test.sh');
    expect(await readFile(join(ROOT, '.ci/run'), 'utf8')).toContain('exec ./scripts/test.sh');
  });
});
