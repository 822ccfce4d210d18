/**
 * The `modelsign` command as installed (dist/bin/modelsign.js run as a program: the shell
 * launcher, cli/launcher.js). It starts Node without NODE_EXTRA_CA_CERTS for command lines
 * that only read local files, and with it for every other. What Node itself did is seen in
 * its own warning: given a file that does not exist, Node 20 prints "Ignoring extra certs
 * from `...`" as it starts, before any of our code runs.
 */
import { execFile } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, tempDir, writeTree } from './helpers.js';

const MISSING_CA_FILE = '/nonexistent/modelsign-test-ca.pem';
const NODE_LOADED_IT = /Ignoring extra certs from `\/nonexistent\/modelsign-test-ca\.pem`/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the launcher itself, as a shell runs an installed command, with `env` added. */
const launch = (args: readonly string[], env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: MISSING_CA_FILE }): Promise<Run> => start(CLI, args, env);

/** Runs the same file with Node, which skips the launcher's shell part. */
const runDirect = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => start(process.execPath, [CLI, ...args], env);

function start(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(program, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

const DEMO = ['fixtures/demo/model', '--signature', 'fixtures/demo/model.sig', '--public-key', 'fixtures/demo/demo-key.pub.pem'];

describe('the modelsign launcher', () => {
  // Command lines that only read local files: Node starts without the certificates.
  it.each([
    [[]],
    [['--version']],
    [['--help']],
    [['digest', 'fixtures/demo/model']],
    [['digest', '--json', 'fixtures/demo/model']],
    [['verify', 'key', ...DEMO]],
    [['verify', 'certificate', 'fixtures/demo/model', '--signature', 'x.sig', '--certificate-chain', 'c.pem']],
    [['sign', 'key', 'fixtures/demo/model', '--private-key', 'missing.pem', '--signature', '/nonexistent/out.sig']],
    [['sign', 'certificate', 'fixtures/demo/model', '--private-key', 'missing.pem']],
  ])('sets NODE_EXTRA_CA_CERTS aside for %j', async (args) => {
    const { stderr } = await launch(args);
    expect(stderr).not.toMatch(NODE_LOADED_IT);
  });

  // Everything else may use TLS, or is not recognised as local (a flag before the method).
  it.each([
    [['sign', 'fixtures/demo/model']],
    [['sign', 'sigstore', 'fixtures/demo/model', '--signature', '/nonexistent/out.sig']],
    [['verify', 'sigstore', 'fixtures/demo/model', '--signature', 'x.sig', '--identity', 'a', '--identity-provider', 'b']],
    [['verify', '--json', 'key', ...DEMO]],
    [['digest', 'oci://127.0.0.1:1/model:v1']],
    // A source this version does not know yet, but a URL all the same.
    [['digest', 'hf://org/model']],
    [['verify', 'key', 'oci-layout:/nonexistent/layout:v1', '--public-key', 'k.pem']],
    [['sign', 'key', 'fixtures/demo/model', '--private-key', 'k.pem', '--signature=oci://127.0.0.1:1/x:y']],
    [['pull', 'oci://127.0.0.1:1/model:v1', '/nonexistent/dest']],
    [['push', 'fixtures/demo/model', 'oci://127.0.0.1:1/model:v1']],
    [['attach', 'oci://127.0.0.1:1/model:v1', 'x.sig']],
    [['discover', 'oci://127.0.0.1:1/model:v1']],
  ])('keeps NODE_EXTRA_CA_CERTS for %j', async (args) => {
    const { stderr } = await launch(args);
    expect(stderr).toMatch(NODE_LOADED_IT);
  });

  it('runs local commands as Node run directly does, arguments untouched', async () => {
    const dir = await tempDir();
    // Spaces, a glob, a dollar sign and an empty argument must reach the CLI as they are.
    const model = join(dir, 'a model * $HOME');
    await writeTree(model, { 'weights.bin': 'weights', 'config.json': '{}' });
    const args = ['digest', model, '--json'];
    const launched = await launch(args);
    const direct = await runDirect(args);
    expect(direct.code).toBe(0);
    expect(launched).toEqual({ code: 0, stdout: direct.stdout, stderr: '' });
    expect(JSON.parse(launched.stdout).resources.map((r: { name: string }) => r.name)).toEqual(['config.json', 'weights.bin']);
    const empty = await launch(['digest', model, '--ignore-paths', '']);
    expect(empty).toEqual({ code: 2, stdout: '', stderr: 'error: --ignore-paths has an empty value\n' });

    const verified = await launch(['verify', 'key', ...DEMO]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^Verification succeeded: /);
  });

  it('runs through a symbolic link found on the PATH, as npm installs it', async () => {
    const bin = await tempDir();
    await symlink(CLI, join(bin, 'modelsign'));
    const env = { PATH: `${bin}:${process.env.PATH}`, NODE_EXTRA_CA_CERTS: MISSING_CA_FILE };
    const linked = await start('modelsign', ['digest', 'fixtures/demo/model'], env);
    expect(linked).toEqual({ code: 0, stdout: (await runDirect(['digest', 'fixtures/demo/model'])).stdout, stderr: '' });
    expect(linked.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('leaves the environment alone where NODE_EXTRA_CA_CERTS is not set', async () => {
    const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
    const run = await new Promise<Run>((resolve) =>
      execFile(CLI, ['digest', 'fixtures/demo/model'], { cwd: ROOT, env }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })),
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  // A launcher that took a networked command line for a local one would leave TLS with fewer
  // authorities than the user set up: the CLI refuses instead, before any connection.
  it.each([
    [['discover', 'oci://127.0.0.1:1/model:v1', '--json']],
    [['verify', 'key', 'oci://127.0.0.1:1/model:v1', '--public-key', 'fixtures/demo/demo-key.pub.pem', '--json']],
    [['sign', 'sigstore', 'fixtures/demo/model', '--signature', '/nonexistent/out.sig', '--identity-token', 'x', '--json']],
    [['verify', 'sigstore', 'fixtures/demo/model', '--signature', 'fixtures/demo/model.sig', '--identity', 'a', '--identity-provider', 'b', '--refresh-trust-root', '--json']],
  ])('refuses to use TLS with the certificates set aside: %j', async (args) => {
    const run = await runDirect(args, { MODELSIGN_NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('CA_CERTIFICATES_SET_ASIDE');
    expect(error.message).toContain('without NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt');
  });
});
