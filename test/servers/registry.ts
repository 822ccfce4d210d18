/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8) on loopback, with
 * filesystem storage in a fresh temporary directory, optionally behind htpasswd (Basic) or
 * token (Bearer, see ./token-server.ts) authentication. distribution 2.8 has no referrers
 * API (GET .../referrers/<digest> is 404, PUT of a manifest with `subject` gets no
 * `OCI-Subject`), so it is the registry for the tag-schema fallback; ./referrers-registry.ts
 * is the one with the API.
 *
 * The binary is /usr/bin/docker-registry (`apt-get install docker-registry`; htpasswd mode
 * also needs `htpasswd` from apache2-utils, token mode `openssl`).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server.js';

export const REGISTRY_BINARY = process.env.MODELSIGN_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

export type RegistryAuth = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions {
  /** Default 'none'. */
  auth?: RegistryAuth;
  /** Accounts for 'htpasswd' and 'token' (user -> password). Default { user: 'pass' }. */
  users?: Record<string, string>;
  /** Extra token-server options in 'token' mode (anonymous access, policy, key type, kid/x5c...). */
  token?: Omit<TokenServerOptions, 'users'>;
  /** How long to wait for `GET /v2/` to answer. Default 20 s. */
  startTimeoutMs?: number;
}

export interface RunningRegistry {
  /** 127.0.0.1:PORT (the registry listens on 127.0.0.1 only; localhost:PORT reaches it too). */
  readonly host: string;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** localhost:PORT */
  readonly localhostHost: string;
  readonly port: number;
  /** The docker-registry process id. */
  readonly pid: number;
  readonly auth: RegistryAuth;
  readonly users: Record<string, string>;
  /** Storage root (filesystem driver). */
  readonly storage: string;
  /** Temporary directory holding config.yml, storage and htpasswd/cert files. */
  readonly dir: string;
  readonly configPath: string;
  /** Realm, service and issuer as configured (htpasswd: realm only). */
  readonly realm: string | undefined;
  readonly service: string | undefined;
  readonly issuer: string | undefined;
  /** The token server, in 'token' mode. */
  readonly tokenServer?: TokenServer;
  /** Everything the registry wrote to stdout and stderr so far (last 2 MiB). */
  logs(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test run dies without calling stop(): never leave registries behind.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A port that was free a moment ago on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function execText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} failed: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const yamlString = (s: string) => JSON.stringify(s); // JSON strings are valid YAML scalars

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(`${REGISTRY_BINARY} not found: install Debian's docker-registry (apt-get install docker-registry apache2-utils) or set MODELSIGN_DOCKER_REGISTRY`);
  }
  installExitHook();
  const auth = options.auth ?? 'none';
  const users = options.users ?? { user: 'pass' };
  const dir = await mkdtemp(join(tmpdir(), 'modelsign-registry-'));
  const storage = join(dir, 'storage');
  const configPath = join(dir, 'config.yml');
  let tokenServer: TokenServer | undefined;
  let realm: string | undefined;
  let service: string | undefined;
  let issuer: string | undefined;
  try {
    let authYaml = '';
    if (auth === 'htpasswd') {
      const lines: string[] = [];
      for (const [user, pass] of Object.entries(users)) lines.push((await execText('htpasswd', ['-Bbn', user, pass])).trim());
      const htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, `${lines.join('\n')}\n`);
      realm = 'modelsign-test-registry';
      authYaml = `auth:\n  htpasswd:\n    realm: ${yamlString(realm)}\n    path: ${yamlString(htpasswdPath)}\n`;
    } else if (auth === 'token') {
      tokenServer = await startTokenServer({ ...options.token, users });
      const certPath = join(dir, 'token-root.pem');
      await writeFile(certPath, tokenServer.identity.certPem);
      realm = tokenServer.realm;
      service = tokenServer.service;
      issuer = tokenServer.issuer;
      authYaml =
        `auth:\n  token:\n    realm: ${yamlString(realm)}\n    service: ${yamlString(service)}\n` +
        `    issuer: ${yamlString(issuer)}\n    rootcertbundle: ${yamlString(certPath)}\n`;
    }

    const timeout = options.startTimeoutMs ?? 20_000;
    let lastError: Error | undefined;
    // The free port can be taken between our probe and the registry's bind: retry a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const config =
        'version: 0.1\n' +
        'log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n' +
        `storage:\n  filesystem:\n    rootdirectory: ${yamlString(storage)}\n  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\n` +
        `http:\n  addr: ${yamlString(`127.0.0.1:${port}`)}\n  secret: ${yamlString(`modelsign-test-${port}`)}\n` +
        authYaml;
      await writeFile(configPath, config);
      const started = await spawnRegistry(configPath, dir, port, timeout);
      if ('error' in started) {
        lastError = started.error;
        if (/address already in use/i.test(started.error.message)) continue;
        break;
      }
      const { child, logs } = started;
      const host = `127.0.0.1:${port}`;
      let stopped: Promise<void> | undefined;
      return {
        host,
        url: `http://${host}`,
        localhostHost: `localhost:${port}`,
        port,
        pid: child.pid!,
        auth,
        users,
        storage,
        dir,
        configPath,
        realm,
        service,
        issuer,
        ...(tokenServer ? { tokenServer } : {}),
        logs,
        stop: () =>
          (stopped ??= (async () => {
            await killChild(child);
            await tokenServer?.stop();
            await rm(dir, { recursive: true, force: true });
          })()),
      };
    }
    throw lastError ?? new Error('docker-registry did not start');
  } catch (err) {
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function spawnRegistry(
  configPath: string,
  cwd: string,
  port: number,
  timeoutMs: number,
): Promise<{ child: ChildProcess; logs: () => string } | { error: Error }> {
  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd } });
  live.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 2 * 1024 * 1024) output = output.slice(-2 * 1024 * 1024);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let exited: { code: number | null; signal: string | null } | undefined;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
    live.delete(child);
  });
  child.once('error', (err) => {
    exited = { code: null, signal: null };
    live.delete(child);
    append(Buffer.from(`spawn error: ${err.message}\n`));
  });
  const logs = () => output;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return { error: new Error(`docker-registry exited (${exited.code ?? exited.signal}) before answering:\n${output}`) };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return { child, logs };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await killChild(child);
  return { error: new Error(`docker-registry did not answer GET /v2/ within ${timeoutMs} ms:\n${output}`) };
}

/** Ends a child process: SIGTERM, SIGKILL after 3 s, and waits (bounded) for it to exit. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  // Bounded even if SIGKILL somehow does not produce an exit event.
  await Promise.race([exited, sleep(6000)]);
  clearTimeout(timer);
  live.delete(child);
}
