/**
 * A real HTTP proxy for tests: Debian's `tinyproxy` (`apt-get install tinyproxy`) on a
 * loopback port, with its config and log in a fresh temporary directory. It forwards plain
 * HTTP requests (absolute URIs) and CONNECT tunnels, and logs each request line, which
 * `requests()` reads back: what a client sent through it, and nothing it sent elsewhere.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killChild } from './registry.js';

export const PROXY_BINARY = '/usr/bin/tinyproxy';

export interface RunningProxy {
  /** http://127.0.0.1:PORT, for HTTP_PROXY / HTTPS_PROXY. */
  readonly url: string;
  /** The request lines it received, in order: `GET http://127.0.0.1:5000/v2/ HTTP/1.1`, `CONNECT host:443 HTTP/1.1`. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts tinyproxy on a free loopback port; it accepts clients from 127.0.0.1 only. */
export async function startProxy(): Promise<RunningProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'modelsign-proxy-'));
  const log = join(dir, 'tinyproxy.log');
  // The port can be taken between the probe and tinyproxy's bind: try a few.
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const config = join(dir, 'tinyproxy.conf');
    // No ConnectPort line: CONNECT to any port. No Via header, so what reaches the server is
    // what the client sent.
    await writeFile(config, [`Port ${port}`, 'Listen 127.0.0.1', 'Allow 127.0.0.1', 'Timeout 60', 'MaxClients 50', `LogFile "${log}"`, 'LogLevel Connect', 'DisableViaHeader Yes', ''].join('\n'));
    const child = spawn(PROXY_BINARY, ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (await listening(port, exited)) {
      return {
        url: `http://127.0.0.1:${port}`,
        requests: async () => {
          const text = await readFile(log, 'utf8').catch(() => '');
          return [...text.matchAll(/Request \(file descriptor \d+\): (.+)$/gm)].map((m) => m[1]!.trim());
        },
        stop: async () => {
          await killChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await killChild(child);
    if (attempt >= 4) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`tinyproxy did not start on 127.0.0.1:${port}: ${stderr.trim() || '(no output)'}`);
    }
  }
}

/** True once something accepts connections on the port; false if the process exits first or 10 s pass. */
async function listening(port: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 10_000;
  while (!gone && Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
