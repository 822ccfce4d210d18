/**
 * The `modelsign` command as installed (dist/bin/modelsign.js run as a program: the shell
 * launcher, cli/launcher.js). It starts Node without NODE_EXTRA_CA_CERTS for command lines
 * that only read local files, and with it for every other. What Node itself did is seen in
 * its own warning: given a file that does not exist, Node 20 prints "Ignoring extra certs
 * from `...`" as it starts, before any of our code runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI, ROOT, randomSequence, run, runCli, tempDir, writeTree, type CliResult } from './helpers.js';
import { commandFirst } from '../dist/cli/command-first.js';
import { GITHUB_ACTIONS_ISSUER, startSigstoreServers } from './servers/sigstore.js';

const MISSING_CA_FILE = '/nonexistent/modelsign-test-ca.pem';
const NODE_LOADED_IT = /Ignoring extra certs from `\/nonexistent\/modelsign-test-ca\.pem`/;

/** Runs the launcher itself, as a shell runs an installed command (runCli does), with `env` added. */
const launch = (args: readonly string[], env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: MISSING_CA_FILE }): Promise<CliResult> => runCli(args, { env });

/** Runs the same file with Node, which skips the launcher's shell part. */
const runDirect = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => start(process.execPath, [CLI, ...args], { ...process.env, ...env });

/** A CA, and a TLS key and certificate for 127.0.0.1 that it issued, made with openssl in `dir`. */
async function privateTlsPki(dir: string): Promise<{ caPath: string; key: string; cert: string }> {
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-subj', '/CN=modelsign test private CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  await run('openssl', ['req', ...ec, '-keyout', at('tls.key'), '-out', at('tls.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(at('tls.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', at('tls.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('tls.pem'), '-days', '2', '-extfile', at('tls.ext')]);
  return { caPath: at('ca.pem'), key: await readFile(at('tls.key'), 'utf8'), cert: await readFile(at('tls.pem'), 'utf8') };
}

/** Runs `program` in exactly the environment `env`. */
function start(program: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(program, args, { cwd: ROOT, env, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

const DEMO = ['fixtures/demo/model', '--signature', 'fixtures/demo/model.sig', '--public-key', 'fixtures/demo/demo-key.pub.pem'];

describe('the modelsign launcher', () => {
  // Command lines that only read local files: Node starts without the certificates, and the
  // CLI runs to its usual end with them set aside (a probe prints the variable at exit).
  it.each([
    [[], 2],
    [['--version'], 0],
    [['--help'], 0],
    [['digest', 'fixtures/demo/model'], 0],
    [['digest', '--json', 'fixtures/demo/model'], 0],
    [['verify', 'key', ...DEMO], 0],
    [['verify', 'certificate', 'fixtures/demo/model', '--signature', 'x.sig', '--certificate-chain', 'c.pem'], 2],
    [['sign', 'key', 'fixtures/demo/model', '--private-key', 'missing.pem', '--signature', '/nonexistent/out.sig'], 2],
    [['sign', 'certificate', 'fixtures/demo/model', '--private-key', 'missing.pem'], 2],
    // Flags before the command, which the CLI moves after it (cli/command-first.ts).
    [['--json', 'digest', 'fixtures/demo/model'], 0],
    [['--max-workers', '1', '--json=true', 'verify', 'key', ...DEMO], 0],
    [['--help', 'sign', 'key'], 0],
    [['verify', '--json', 'key', ...DEMO], 0],
    [['--json', 'sign', '--max-workers', '1', 'key', 'fixtures/demo/model', '--private-key', 'missing.pem'], 2],
  ] as const)('sets NODE_EXTRA_CA_CERTS aside for %j (exit %i)', async (args, code) => {
    const dir = await tempDir();
    const probe = join(dir, 'aside.cjs');
    await writeFile(probe, "if (require('node:worker_threads').isMainThread) process.on('exit', () => process.stderr.write(`ASIDE=${process.env.MODELSIGN_NODE_EXTRA_CA_CERTS}\\n`));\n");
    const run = await launch(args, { NODE_EXTRA_CA_CERTS: MISSING_CA_FILE, NODE_OPTIONS: `--require ${probe}` });
    expect(run.stderr).not.toMatch(NODE_LOADED_IT);
    expect(run.stderr).toMatch(new RegExp(`(^|\\n)ASIDE=${MISSING_CA_FILE.replaceAll('.', '\\.')}\\n$`));
    expect(run.code, run.stderr).toBe(code);
    if (code === 0) expect(run.stdout).not.toBe('');
    else expect(`${run.stdout}${run.stderr}`).toMatch(/error/);
  });

  // Everything else may use TLS, or is not recognised as local.
  it.each([
    [['sign', 'fixtures/demo/model']],
    [['sign', 'sigstore', 'fixtures/demo/model', '--signature', '/nonexistent/out.sig']],
    [['verify', 'sigstore', 'fixtures/demo/model', '--signature', 'x.sig', '--identity', 'a', '--identity-provider', 'b']],
    [['--json', 'verify', 'sigstore', 'fixtures/demo/model', '--signature', 'x.sig', '--identity', 'a', '--identity-provider', 'b']],
    [['--json', 'sign', 'fixtures/demo/model']],
    [['--signature', 'x.sig', 'pull', 'oci://127.0.0.1:1/model:v1', '/nonexistent/dest']],
    // A flag whose value is a command name is read as the CLI reads it: `verify verify` is no local command.
    [['--signature', 'verify', 'verify', 'key', ...DEMO]],
    [['verify', '--json', 'sigstore', 'fixtures/demo/model', '--signature', 'x.sig', '--identity', 'a', '--identity-provider', 'b']],
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

  // The shell part picks the certificates' fate from the command and method it finds past
  // any flags; the CLI finds them with commandFirst. The two must agree on every command line.
  it('finds the command and method where the CLI does, past flags given before them (500 random command lines)', async () => {
    const launcher = await readFile(CLI, 'utf8');
    const fn = launcher.slice(launcher.indexOf('command_words() {'), launcher.indexOf('command_words "$@"'));
    expect(fn).toMatch(/^command_words\(\) \{[\s\S]+\}\n$/);
    const words = ['digest', 'sign', 'verify', 'pull', 'key', 'certificate', 'sigstore', 'model', '--json', '--json=true', '--max-workers', '2', '-h', '--signature', 'x.sig', '--', '-', '', '-1'];
    const next = randomSequence(20261126);
    const lines = [
      ['--json', 'verify', 'key', 'm'],
      ['verify', '--json', 'key', 'm'],
      ['--signature', 'verify', 'verify', 'key', 'm'],
      ['-j', 'sigstore', 'sign'],
      ['--max-workers', '2', '--', 'digest'],
      ...Array.from({ length: 500 }, () => Array.from({ length: 1 + next(6) }, () => words[next(words.length)]!)),
    ];
    // One shell for all: each line's words as arguments of a subshell, printed as cmd|method.
    const script = `${fn}\n${lines.map((line) => `(command_words ${line.map((w) => `'${w}'`).join(' ')}; printf '%s|%s\\n' "$cmd" "$method")`).join('\n')}\n`;
    const shell = (await run('sh', ['-c', script])).split('\n').slice(0, lines.length);
    lines.forEach((line, k) => {
      const [shellCommand, shellMethod] = shell[k]!.split('|');
      // The CLI's command is its first word once flags are moved (if it names one at all).
      const moved = commandFirst(line);
      const named = (w: string | undefined): string => (['digest', 'sign', 'verify', 'push', 'pull', 'attach', 'discover'].includes(w ?? '') ? w! : '');
      expect(named(shellCommand), JSON.stringify(line)).toBe(named(moved[0]));
      if (named(moved[0]) === 'sign' || named(moved[0]) === 'verify') {
        const method = (w: string | undefined): string => (['key', 'certificate', 'sigstore'].includes(w ?? '') ? w! : '');
        expect(method(shellMethod), JSON.stringify(line)).toBe(method(moved[1]));
      }
    });
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
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NODE_EXTRA_CA_CERTS: MISSING_CA_FILE };
    const linked = await start('modelsign', ['digest', 'fixtures/demo/model'], env);
    expect(linked).toEqual({ code: 0, stdout: (await runDirect(['digest', 'fixtures/demo/model'])).stdout, stderr: '' });
    expect(linked.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('prints no listener-leak warning with 12 hash threads (each prestarted worker pipes its output into the process\'s)', async () => {
    const dir = await tempDir();
    const preload = join(dir, 'cpus.cjs');
    await writeFile(preload, "require('node:os').availableParallelism = () => 12;\n");
    const env = { NODE_OPTIONS: `--require ${preload}` };
    // The precondition: under the preload, modelsign's default is 12 threads (no cgroup CPU limit lowers it).
    const threads = await start(process.execPath, ['--input-type=module', '-e', `import { defaultWorkers } from '${ROOT}/dist/src/index.js'; console.log(defaultWorkers());`], { ...process.env, ...env });
    expect(threads.stdout).toBe('12\n');
    for (const args of [['digest', 'fixtures/demo/model'], ['verify', 'key', ...DEMO, '--json']]) {
      const run = await launch(args, env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
    }
  });

  it('leaves the environment alone where NODE_EXTRA_CA_CERTS is not set', async () => {
    const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
    const run = await start(CLI, ['digest', 'fixtures/demo/model'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  // What keeping the variable is for: a private deployment (or a proxy) whose TLS certificate
  // comes from a CA that only NODE_EXTRA_CA_CERTS names.
  it('signs keylessly over TLS that only NODE_EXTRA_CA_CERTS lets Node trust', async () => {
    const work = await tempDir();
    const pki = await privateTlsPki(work);
    const servers = await startSigstoreServers(work, { key: pki.key, cert: pki.cert });
    onTestFinished(() => servers.close());
    expect(servers.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const model = join(work, 'model');
    await writeTree(model, { 'weights.bin': 'weights' });
    const token = servers.identityToken({ iss: GITHUB_ACTIONS_ISSUER, sub: 'repo:acme/models:ref:refs/heads/main', job_workflow_ref: 'acme/models/.github/workflows/release.yml@refs/heads/main' });
    const sign = (signature: string, env: NodeJS.ProcessEnv) =>
      launch(['sign', 'sigstore', model, '--identity-token', token, '--trust-config', servers.trustConfigPath, '--signature', join(work, signature), '--json'], env);

    // Without the CA, Fulcio's certificate is refused: a remote failure, and no signature.
    const untrusted = await sign('untrusted.sig', { NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.code).toBe(3);
    expect(JSON.parse(untrusted.stdout).error.message).toContain('unable to verify the first certificate');
    expect(servers.requests).toEqual([]);

    const signed = await sign('model.sig', { NODE_EXTRA_CA_CERTS: pki.caPath });
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ signed: true, method: 'sigstore' });
    expect(servers.requests).toEqual(['POST /api/v2/signingCert', 'POST /api/v1/log/entries', 'POST /api/v1/timestamp']);
    expect(existsSync(join(work, 'model.sig'))).toBe(true);
    expect(existsSync(join(work, 'untrusted.sig'))).toBe(false);
  });

  // A launcher that took a networked command line for a local one would leave TLS with fewer
  // authorities than the user set up: the CLI refuses instead, before any connection.
  it.each([
    [['discover', 'oci://127.0.0.1:1/model:v1', '--json']],
    [['verify', 'key', 'oci://127.0.0.1:1/model:v1', '--public-key', 'fixtures/demo/demo-key.pub.pem', '--json']],
    // A signature path that could be written: one that could not is refused first (SIGNATURE_WRITE_FAILED).
    [['sign', 'sigstore', 'fixtures/demo/model', '--signature', '/tmp/modelsign-launcher-never-written.sig', '--identity-token', 'x', '--json']],
    [['verify', 'sigstore', 'fixtures/demo/model', '--signature', 'fixtures/demo/model.sig', '--identity', 'a', '--identity-provider', 'b', '--refresh-trust-root', '--json']],
  ])('refuses to use TLS with the certificates set aside: %j', async (args) => {
    // As the launcher leaves the environment: the variable moved aside. Under the network
    // guard, so that a regression reaching for TUF or a registry fails here, offline.
    const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
    const log = join(await tempDir(), 'network.log');
    await writeFile(log, '');
    const guarded = { NODE_OPTIONS: `--require ${join(ROOT, 'test/support/no-network.cjs')}`, MODELSIGN_NETWORK_LOG: log };
    const run = await start(process.execPath, [CLI, ...args], { ...env, ...guarded, MODELSIGN_NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' });
    expect(await readFile(log, 'utf8')).toBe('');
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe('CA_CERTIFICATES_SET_ASIDE');
    expect(error.message).toContain('without NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt');
    expect(error.message).toContain(`\`node ${CLI}\` with the same arguments`);
  });

  // Set by a user or inherited (it is named in the README), it used to make every registry and
  // Sigstore command fail, blaming the launcher, though Node had the certificates.
  it('is not fooled by a MODELSIGN_NODE_EXTRA_CA_CERTS set before it starts', async () => {
    const args = ['discover', 'oci://127.0.0.1:1/model:v1', '--json'];
    const stale = { MODELSIGN_NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', NODE_EXTRA_CA_CERTS: MISSING_CA_FILE };
    for (const run of [await launch(args, stale), await runDirect(args, stale)]) {
      expect(run.stderr).toMatch(NODE_LOADED_IT);
      // Port 1 refuses the connection: a remote failure, reached past the check.
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout).error.code).not.toBe('CA_CERTIFICATES_SET_ASIDE');
    }
  });

  it('names a command to paste when the path holds a space', async () => {
    const bin = join(await tempDir(), 'a b');
    await mkdir(bin);
    await symlink(CLI, join(bin, 'modelsign'));
    const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
    const run = await start(process.execPath, [join(bin, 'modelsign'), 'discover', 'oci://127.0.0.1:1/model:v1', '--json'], { ...env, MODELSIGN_NODE_EXTRA_CA_CERTS: '/x.pem' });
    expect(JSON.parse(run.stdout).error.message).toContain(`\`node '${join(bin, 'modelsign')}'\` with the same arguments`);
  });
});

/**
 * What a command line loaded, from Node's module cache and module list at exit (a
 * `--require`d probe): the packages, our modules (the bundled chunks name each module they
 * hold in a `// dist/<path>` comment) and Node's built-in modules. The network and Sigstore
 * clients take tens of ms to load, which a command that only reads local files must not pay
 * at every start.
 */
async function loaded(args: readonly string[]): Promise<{ code: number; packages: Set<string>; modules: string[]; builtins: Set<string> }> {
  const dir = await tempDir();
  const probe = join(dir, 'probe.cjs');
  const out = join(dir, 'loaded.json');
  await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`);
  const { code } = await runCli(args, { env: { NODE_OPTIONS: `--require ${probe}` } });
  const { files, builtins } = JSON.parse(await readFile(out, 'utf8')) as { files: string[]; builtins: string[] };
  const names = files.flatMap((path) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []);
  const chunks = files.filter((path) => path.includes('/dist/bin/'));
  const modules = (await Promise.all(chunks.map((path) => readFile(path, 'utf8')))).flatMap((text) => [...text.matchAll(/^\/\/ dist\/(\S+\.js)$/gm)].map((m) => m[1]!));
  return { code, packages: new Set(names), modules, builtins: new Set(builtins.flatMap((b) => /^NativeModule (.+)$/.exec(b)?.[1] ?? [])) };
}

const NETWORK_PACKAGES = ['undici', 'sigstore', '@sigstore/sign', '@sigstore/verify', '@sigstore/tuf', 'tar-stream'];

describe('what a command line loads', () => {
  // Each command line is probed once; the tests below all read its result.
  const probes = new Map<string, ReturnType<typeof loaded>>();
  const loadedOnce = (args: readonly string[]): ReturnType<typeof loaded> => {
    const key = JSON.stringify(args);
    if (!probes.has(key)) probes.set(key, loaded(args));
    return probes.get(key)!;
  };

  it.each([
    [['--version']],
    [['digest', 'fixtures/demo/model']],
    [['verify', 'key', ...DEMO]],
  ])('%j loads no network or Sigstore client', async (args) => {
    const { code, packages } = await loadedOnce(args);
    expect(code).toBe(0);
    expect(packages.has('yargs')).toBe(true); // the probe saw the modules loaded
    expect(NETWORK_PACKAGES.filter((name) => packages.has(name))).toEqual([]);
  });

  // Each command's implementation loads when it runs: hashing a model (or printing the
  // version) does not load the bundle, signing and verifying code, nor the registry credential
  // helpers' child_process.
  it.each([[['--version']], [['digest', 'fixtures/demo/model']]])('%j loads no signing or verifying code', async (args) => {
    const { code, modules, builtins } = await loadedOnce(args);
    expect(code).toBe(0);
    expect(modules.some((m) => m.startsWith('src/hashing/'))).toBe(true);
    expect(modules.filter((m) => /^src\/(bundle|signing|verifying|sigstore)\/|^src\/oci\/credentials/.test(m))).toEqual([]);
    expect(builtins.has('child_process')).toBe(false);
  });

  // The probe sees what is loaded later, so the tests above can fail.
  it('a registry command loads undici; verify loads the verifying code', async () => {
    const registry = await loaded(['digest', 'oci://127.0.0.1:1/model:v1']);
    expect(registry.code).toBe(3);
    expect(registry.packages.has('undici')).toBe(true);
    expect(registry.builtins.has('child_process')).toBe(true);
    const verify = await loadedOnce(['verify', 'key', ...DEMO]);
    expect(verify.modules).toContain('src/verifying/verify.js');
    expect(verify.modules).toContain('src/bundle/bundle.js');
  });
});
