import { isOciReference, usageError } from '../src/core.js';
import type { OciOptions } from '../adapters/oci/index.js';
import { requireCaCertificates } from './ca-certificates.js';

/** Flags for talking to registries. */
export const ociOptions = {
  'plain-http': { alias: 'plain_http', type: 'boolean', default: false, describe: 'Use plain HTTP for a non-loopback registry (loopback registries always may)' },
  username: { type: 'string', describe: 'Registry username (default: docker credentials)' },
  'password-stdin': { alias: 'password_stdin', type: 'boolean', default: false, describe: 'Read the registry password from standard input' },
} as const;

export interface OciArgs {
  'plain-http': boolean;
  username?: string;
  'password-stdin': boolean;
}

export { isOciReference } from '../src/core.js';

/**
 * push, attach, discover and pull take a registry or layout reference only: a bare name
 * would otherwise be read as a Docker Hub repository (docker's short names) and fail remotely.
 */
export function requireOciReference(command: string, reference: string): void {
  if (!isOciReference(reference)) {
    throw usageError('BAD_REFERENCE', `${command} needs oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest], not ${JSON.stringify(reference)}`);
  }
}

/** Registry access from the flags: explicit credentials, else docker's config and helpers. */
export async function ociAccess(argv: OciArgs): Promise<OciOptions> {
  requireCaCertificates('an oci:// or oci-layout: reference');
  if (argv['password-stdin'] && argv.username === undefined) throw usageError('BAD_FLAG', '--password-stdin needs --username');
  if (argv.username !== undefined && !argv['password-stdin']) throw usageError('BAD_FLAG', '--username needs --password-stdin (passwords are never taken on the command line)');
  const explicit =
    argv.username !== undefined
      ? { kind: 'basic' as const, username: argv.username, password: withoutLineEnd(await readStdin()).toString('utf8'), source: '--username and --password-stdin' }
      : undefined;
  // Through the proxy the environment names, as curl and docker take it: https_proxy or
  // HTTPS_PROXY for https registries, http_proxy or HTTP_PROXY for plain ones (and for https
  // ones when no https proxy is set), except hosts no_proxy or NO_PROXY lists; directly when
  // none is set. (Sigstore's requests honour the same variables through their own client.)
  // Loaded here, not at the top: undici takes tens of ms to load and the credential helpers
  // load Node's child_process (1-2 ms), which every local command (digest, sign and verify
  // of files) would otherwise pay at start.
  const [{ EnvHttpProxyAgent }, { dockerCredentials }] = await Promise.all([import('undici'), import('../src/oci/credentials.js')]);
  return { plainHttp: argv['plain-http'], credentials: dockerCredentials(explicit), dispatcher: new EnvHttpProxyAgent() };
}

/** Standard input, read to its end (the registry password of --password-stdin, a key's of --password-file -). */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes without one trailing `\n` or `\r\n`, the end of the line a password is typed or echoed on. */
export function withoutLineEnd(bytes: Buffer): Buffer {
  if (bytes.at(-1) !== 0x0a) return bytes;
  return bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1);
}
