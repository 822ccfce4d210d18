/**
 * An in-memory OCI distribution v1.1 registry on loopback with the referrers API, for
 * client tests (no registry installable here implements referrers). It follows
 * distribution-spec v1.1 `spec.md`:
 *
 * - `GET /v2/` (200 `{}`), `/v2/_catalog`, `GET /v2/<name>/tags/list[?n=&last=]`
 * - manifests: `GET|HEAD|PUT|DELETE /v2/<name>/manifests/<tag|digest>`; the digest is taken
 *   over the exact bytes, `Content-Type` echoes the stored media type, `Docker-Content-Digest`
 *   and `ETag` are set; PUT checks the media type, the digest of a by-digest reference, that
 *   referenced blobs/manifests exist (400 MANIFEST_BLOB_UNKNOWN), the size (413 beyond 4 MiB),
 *   `If-Match`/`If-None-Match` on tags (412), and answers `OCI-Subject` for a `subject`.
 * - blobs: `GET|HEAD|DELETE /v2/<name>/blobs/<digest>` (GET honours a single `Range`),
 *   uploads `POST /v2/<name>/blobs/uploads/` -> 202 `Location` (with a `_state` query the
 *   client must carry over, as distribution does), `PATCH` (optional `Content-Range`,
 *   416 when out of order), `GET` status 204, `PUT ?digest=` closing (body optional),
 *   `DELETE` cancel, `POST ?digest=` single request, `POST ?mount=&from=` (201, or 202 when
 *   the blob is not in `from` or mounting is disabled). Digests are verified (400
 *   DIGEST_INVALID).
 * - `GET /v2/<name>/referrers/<digest>[?artifactType=]`: an OCI image index of descriptors
 *   (mediaType, digest, size, artifactType, annotations) of the manifests whose `subject` is
 *   that digest, in push order, `OCI-Filters-Applied: artifactType` when filtered, pages of
 *   `pageSize` linked by `Link: <...>; rel="next"` (written as `referrersLinks` says).
 * - errors: `{"errors":[{"code","message","detail"}]}` with the spec's codes and statuses.
 *
 * Fault injection: `faults`/`inject()` (e.g. 429 + Retry-After or 503 for the next N
 * requests matching a path, or no answer at all for them), `redirectBlobs` (blob GETs answer 307 to a second server on
 * another port and host name, which records whether `Authorization` arrived, and may answer
 * with its own Bearer challenge), `tls` (the same port also speaks HTTPS: the registry's
 * host and port under another scheme, i.e. another origin),
 * `corruptBlob()` (serve bytes that do not match the digest), `corruptManifest()` (serve other
 * bytes for a tag or digest, claiming the stored manifest's digest, another, or none),
 * `corruptReferrers()` (answer a referrers list with other bytes), `stallBlob()` (send half a
 * blob, then hold the connection: a download in progress), `trickleManifest()` (a byte now and
 * then, for ever), `dripBlob()` (a blob's bytes one at a time) and `oversizeManifest()`.
 * Optional auth: Basic (users map) or Bearer tokens from ./token-server.ts with scoped
 * challenges. Every request is recorded.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type LookupFunction, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenServer } from './token-server.js';
import { EMPTY_CONFIG, OCI_INDEX, OCI_MANIFEST } from '../oci-spec.js';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const IMAGE_MANIFESTS = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
const INDEXES = new Set([OCI_INDEX, DOCKER_LIST]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Fault {
  /** Matches the request path (a string matches as a substring). */
  path: RegExp | string;
  /** Only this method (GET, HEAD, PUT...); any when absent. */
  method?: string;
  /** e.g. 429 or 503. */
  status: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: number | string;
  /** A `Location` header for the answer (with a 3xx status: a redirect, perhaps to nowhere). */
  location?: string;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Never answer (a registry that went silent); `status` is then unused. */
  silent?: boolean;
}

/**
 * Basic users, or Bearer tokens from a token server; `realm` overrides what the challenge names (a broken registry).
 * `alsoBasic` (tokens only) offers a `Basic realm="basic-realm"` challenge beside the Bearer one, as RFC 7235
 * allows: after it in the same WWW-Authenticate field, or before it in a field of its own.
 */
export type ReferrersRegistryAuth =
  | { basic: Record<string, string>; realm?: string }
  | { token: TokenServer; realm?: string; alsoBasic?: 'after-in-same-field' | 'before-in-own-field' };

export interface ReferrersRegistryOptions {
  /** Referrers per page. Default 10000. */
  pageSize?: number;
  /**
   * How a referrers page links to the next (RFC 8288 allows each): by default one `Link` field,
   * `</v2/...?_page=N>; rel="next"`. `firstLink` puts a `rel="first"` link before it, in the
   * same field (`'same-field'`, comma-separated) or in a `Link` field of its own (`'own-field'`).
   * `relative`: the next page as a reference relative to the page (`<?_page=N>`, a query only).
   */
  referrersLinks?: { firstLink?: 'same-field' | 'own-field'; relative?: boolean };
  /** Serve the referrers API and answer OCI-Subject. Default true (false: 404, as old registries). */
  referrersApi?: boolean;
  /** Apply the artifactType filter server-side. Default true (false: ignore it, no OCI-Filters-Applied). */
  filterArtifactType?: boolean;
  /** Honour cross-repository mounts. Default true (false: always 202). */
  mount?: boolean;
  /** Absolute `Location` URLs. Default false (relative, as the spec allows). */
  absoluteLocations?: boolean;
  /** Require the `_state` query of the latest upload Location. Default true. */
  strictUploadState?: boolean;
  /** Largest accepted manifest PUT. Default 4 MiB. */
  maxManifestBytes?: number;
  /** Check that a pushed manifest's blobs / child manifests exist. Default true. */
  checkReferences?: boolean;
  /**
   * Redirect blob GETs to a second loopback server (307). `host` names it in the Location:
   * default 'localhost' (the registry itself is 127.0.0.1), so it is another origin and host.
   * `challenge`: it answers blob GETs 401 with `WWW-Authenticate: Bearer realm=<itself>/token`
   * and hands a token to whoever asks there (a storage host fishing for the registry's
   * credentials); without a challenge it serves the bytes to anyone.
   */
  redirectBlobs?: boolean | { host?: 'localhost' | '127.0.0.1'; rejectAuthorization?: boolean; challenge?: boolean };
  /**
   * Also speak HTTPS on the registry's port (self-signed certificate for 127.0.0.1 and
   * localhost, `tlsCa`): `https://127.0.0.1:PORT` is then the registry's host and port under
   * another scheme. Each request records its scheme. The certificate also names TLS_REGISTRY_NAME.
   */
  tls?: boolean;
  faults?: Fault[];
  auth?: ReferrersRegistryAuth;
}

export interface RequestRecord {
  method: string;
  /** Path without the query. */
  path: string;
  /** The query string including '?', or ''. */
  search: string;
  host: string | undefined;
  /** 'https' only over the `tls` listener. */
  scheme: 'http' | 'https';
  authorization: boolean;
  /** 'Basic', 'Bearer'... */
  authorizationScheme: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  contentRange: string | undefined;
  bodyBytes: number;
  status: number;
  /** Answered by an injected fault. */
  faulted: boolean;
}

export interface BlobHostRecord {
  method: string;
  path: string;
  host: string | undefined;
  authorization: boolean;
  status: number;
}

export interface ReferrersRegistry {
  /** 127.0.0.1:PORT */
  readonly host: string;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** localhost:PORT */
  readonly localhostHost: string;
  readonly port: number;
  /** With `tls`: https://127.0.0.1:PORT (same port as `url`) and the certificate to trust. */
  readonly httpsUrl: string | undefined;
  readonly tlsCa: string | undefined;
  readonly requests: RequestRecord[];
  /** The redirect target for blob GETs, when `redirectBlobs`. */
  readonly blobHost: { readonly url: string; readonly host: string; readonly requests: BlobHostRecord[] } | undefined;
  /** Adds a fault at run time. */
  inject(fault: Fault): void;
  /** Serves `bytes` (default: the stored bytes with the first byte flipped) for this digest. */
  corruptBlob(digest: string, bytes?: Uint8Array): void;
  /**
   * GETs and HEADs of name:reference (a tag or a digest, as the client asks for it) answer 200
   * with `bytes` instead of the stored manifest, under its media type. The
   * `Docker-Content-Digest` sent is `digest`: by default the stored manifest's (a registry
   * vouching for bytes it does not serve), a string to claim that instead, or null for none.
   */
  corruptManifest(name: string, reference: string, bytes: Uint8Array | string, options?: { digest?: string | null }): void;
  /** Answers GETs of the referrers of `digest` in `name` with 200, these bytes (as an OCI index) and these extra headers instead. */
  corruptReferrers(name: string, digest: string, bytes: string, headers?: Record<string, string>): void;
  /**
   * GETs of this blob send the headers and the first half of its bytes, then hold the
   * connection open until the client leaves or the registry stops: a download in progress.
   */
  stallBlob(digest: string): void;
  /**
   * GETs of name:reference answer 200 with the manifest's headers and a Content-Length of
   * 1 MiB, then one space every `everyMs` until the client leaves: a registry that never
   * stops sending long enough for a gap between chunks to end the read.
   */
  trickleManifest(name: string, reference: string, everyMs: number): void;
  /**
   * GETs of this blob send its bytes one at a time, one every `everyMs`: a registry that
   * serves the right bytes too slowly ever to finish, never silent long enough to time out.
   */
  dripBlob(digest: string, everyMs: number): void;
  /**
   * Serves a valid-JSON OCI manifest of `size` bytes (default 4 MiB + 1 KiB) for GET/HEAD of
   * name:reference; `chunked` omits Content-Length so only a streaming limit catches it.
   */
  oversizeManifest(name: string, reference: string, options?: { size?: number; chunked?: boolean }): void;
  /** Seeds a blob without HTTP; returns its sha256 digest. */
  putBlob(name: string, bytes: Uint8Array | string): string;
  /** Seeds a manifest without HTTP (no reference checks); tags it when `tag` is given; returns its digest. */
  putManifest(name: string, tag: string | undefined, manifest: Uint8Array | string | object, mediaType?: string): string;
  getManifest(name: string, reference: string): { bytes: Buffer; mediaType: string; digest: string } | undefined;
  hasBlob(name: string, digest: string): boolean;
  tags(name: string): string[];
  /** Descriptors of the manifests in `name` whose subject is `digest`. */
  referrers(name: string, digest: string): Descriptor[];
  stop(): Promise<void>;
}

interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  subject: string | undefined;
  artifactType: string | undefined;
  annotations: Record<string, string> | undefined;
}

interface Repo {
  blobs: Set<string>;
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
}

interface Upload {
  name: string;
  chunks: Buffer[];
  size: number;
  state: string;
}

const NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const MAX_BODY = 512 * 1024 * 1024;

export function digestOf(bytes: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'SIZE_INVALID', 'request body too large for the test registry'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * A name the TLS certificate holds that is not loopback, so a client speaks HTTPS to
 * `${TLS_REGISTRY_NAME}:PORT` unasked; its lookups must answer 127.0.0.1 (`resolvingToLoopback`).
 */
export const TLS_REGISTRY_NAME = 'registry.test';

/** Connect options for an undici Agent: every host name resolves to 127.0.0.1, TLS_REGISTRY_NAME included. */
export const resolvingToLoopback: { lookup: LookupFunction } = {
  lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)),
};

/** A key and self-signed certificate for 127.0.0.1, localhost and TLS_REGISTRY_NAME, made with openssl. */
async function createTlsIdentity(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'modelsign-registry-tls-'));
  try {
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${TLS_REGISTRY_NAME}`];
    await new Promise<void>((resolve, reject) => execFile('openssl', args, { timeout: 30_000 }, (err, _out, stderr) => (err ? reject(new Error(`openssl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve())));
    return { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Listens on one loopback port for both schemes and relays each connection, bytes as they
 * are, to the HTTP or the HTTPS listener by its first byte (0x16 opens a TLS handshake).
 * Handing the socket itself to the TLS server loses the byte already read, hence the relay.
 */
async function listenBothSchemes(http: Server, https: Server): Promise<{ port: number; stop: () => Promise<void> }> {
  const [httpPort, httpsPort] = [await listen(http), await listen(https)];
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first) => {
      const upstream = connect(first[0] === 0x16 ? httpsPort : httpPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
  });
  const port = await listen(front);
  return {
    port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await Promise.all([closed, close(http), close(https)]);
    },
  };
}

/** Parses `Range: bytes=a-b` (single range) against a length; undefined = whole body. */
function parseRange(header: string | undefined, length: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, length - suffix);
    end = length - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? length - 1 : Math.min(Number(m[2]), length - 1);
  }
  if (start > end || start >= length) return 'invalid';
  return { start, end };
}

export async function startReferrersRegistry(options: ReferrersRegistryOptions = {}): Promise<ReferrersRegistry> {
  const pageSize = Math.max(1, options.pageSize ?? 10_000);
  const referrersApi = options.referrersApi ?? true;
  const filterArtifactType = options.filterArtifactType ?? true;
  const allowMount = options.mount ?? true;
  const strictState = options.strictUploadState ?? true;
  const maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
  const checkReferences = options.checkReferences ?? true;
  const faults: { fault: Fault; left: number }[] = (options.faults ?? []).map((fault) => ({ fault, left: fault.times ?? 1 }));
  const blobs = new Map<string, Buffer>();
  const corrupted = new Map<string, Buffer>();
  const corruptedReferrers = new Map<string, { bytes: string; headers: Record<string, string> }>();
  const corruptedManifests = new Map<string, { bytes: Buffer; mediaType: string; digest: string | null }>();
  const stalled = new Set<string>();
  const dripped = new Map<string, number>();
  const trickled = new Map<string, number>();
  const oversized = new Map<string, { size: number; chunked: boolean }>();
  const repos = new Map<string, Repo>();
  const uploads = new Map<string, Upload>();
  const requests: RequestRecord[] = [];
  const blobHostRequests: BlobHostRecord[] = [];

  const repo = (name: string): Repo | undefined => repos.get(name);
  const ensureRepo = (name: string): Repo => {
    let r = repos.get(name);
    if (!r) {
      r = { blobs: new Set(), manifests: new Map(), tags: new Map() };
      repos.set(name, r);
    }
    return r;
  };
  const servedBlob = (digest: string): Buffer | undefined => corrupted.get(digest) ?? blobs.get(digest);

  const storeManifest = (name: string, bytes: Buffer, mediaType: string, json: unknown, digest: string): StoredManifest => {
    // Seeded manifests may be hostile (not even an object); they are stored as they are.
    const parsed = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const subject = parsed.subject as { digest?: unknown } | undefined;
    const config = parsed.config as { mediaType?: unknown } | undefined;
    let artifactType = typeof parsed.artifactType === 'string' ? parsed.artifactType : undefined;
    if (artifactType === undefined && IMAGE_MANIFESTS.has(mediaType) && typeof config?.mediaType === 'string') artifactType = config.mediaType;
    const stored: StoredManifest = {
      bytes,
      mediaType,
      digest,
      subject: typeof subject?.digest === 'string' ? subject.digest : undefined,
      artifactType,
      annotations: parsed.annotations && typeof parsed.annotations === 'object' ? (parsed.annotations as Record<string, string>) : undefined,
    };
    ensureRepo(name).manifests.set(digest, stored);
    return stored;
  };

  const referrersOf = (name: string, digest: string): Descriptor[] => {
    const r = repo(name);
    if (!r) return [];
    const out: Descriptor[] = [];
    for (const m of r.manifests.values()) {
      if (m.subject !== digest) continue;
      const d: Descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
      if (m.artifactType !== undefined) d.artifactType = m.artifactType;
      if (m.annotations !== undefined) d.annotations = m.annotations;
      out.push(d);
    }
    return out;
  };

  const resolveManifest = (name: string, reference: string): StoredManifest | undefined => {
    const r = repo(name);
    if (!r) return undefined;
    const digest = DIGEST.test(reference) ? reference : r.tags.get(reference);
    return digest ? r.manifests.get(digest) : undefined;
  };

  const oversizedBytes = (size: number): Buffer => {
    const base = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [], annotations: { padding: '' } };
    const overhead = Buffer.byteLength(JSON.stringify(base));
    base.annotations.padding = 'x'.repeat(Math.max(0, size - overhead));
    return Buffer.from(JSON.stringify(base));
  };

  // ---- auth ---------------------------------------------------------------------------
  const auth = options.auth;
  const authorize = (req: IncomingMessage, name: string | undefined, actions: string[]): void => {
    if (!auth) return;
    const header = req.headers.authorization ?? '';
    if ('basic' in auth) {
      const realm = auth.realm ?? 'modelsign-test-referrers-registry';
      const m = /^Basic\s+(\S+)$/i.exec(header);
      const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, Math.max(0, colon));
      if (colon < 0 || !Object.hasOwn(auth.basic, user) || auth.basic[user] !== decoded.slice(colon + 1)) {
        throw new HttpError(401, 'UNAUTHORIZED', 'authentication required', null, { 'www-authenticate': `Basic realm="${realm}"` });
      }
      return;
    }
    const ts = auth.token;
    const scope = name === undefined ? '' : `,scope="repository:${name}:${actions.join(',')}"`;
    const challenge = `Bearer realm="${auth.realm ?? ts.realm}",service="${ts.service}"${scope}`;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const basic = 'Basic realm="basic-realm"';
    const offered = auth.alsoBasic === 'after-in-same-field' ? `${challenge}, ${basic}` : auth.alsoBasic === 'before-in-own-field' ? [basic, challenge] : challenge;
    if (!m) throw new HttpError(401, 'UNAUTHORIZED', 'authentication required', null, { 'www-authenticate': offered });
    const claims = ts.verify(m[1]!);
    if (!claims) throw new HttpError(401, 'UNAUTHORIZED', 'invalid token', null, { 'www-authenticate': `${challenge},error="invalid_token"` });
    if (name === undefined) return;
    if (!hasAccess(claims.access, name, actions)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'authentication required', actions.map((a) => ({ Type: 'repository', Name: name, Action: a })), {
        'www-authenticate': `${challenge},error="insufficient_scope"`,
      });
    }
  };
  const hasAccess = (access: { type: string; name: string; actions: string[] }[], name: string, actions: string[]): boolean =>
    actions.every((a) => access.some((x) => x.type === 'repository' && x.name === name && (x.actions.includes(a) || x.actions.includes('*'))));
  const bearerAllows = (req: IncomingMessage, name: string, action: string): boolean => {
    if (!auth || 'basic' in auth) return true;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const claims = m ? auth.token.verify(m[1]!) : undefined;
    return !!claims && hasAccess(claims.access, name, [action]);
  };

  // ---- blob redirect host ----------------------------------------------------------------
  const redirect = options.redirectBlobs ? (options.redirectBlobs === true ? {} : options.redirectBlobs) : undefined;
  let blobServer: Server | undefined;
  let blobHost: ReferrersRegistry['blobHost'];
  if (redirect) {
    blobServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const record: BlobHostRecord = { method: req.method ?? '', path: url.pathname, host: req.headers.host, authorization: req.headers.authorization !== undefined, status: 0 };
      blobHostRequests.push(record);
      req.resume();
      const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
        record.status = status;
        res.writeHead(status, headers).end(body);
      };
      const m = /^\/blobstore\/(.+)$/.exec(url.pathname);
      const bytes = m ? servedBlob(m[1]!) : undefined;
      if (redirect.rejectAuthorization && record.authorization) return send(400, { 'content-type': 'text/plain' }, 'Only one auth mechanism allowed');
      if (redirect.challenge && url.pathname === '/token') return send(200, { 'content-type': 'application/json' }, JSON.stringify({ token: 'storage-token', expires_in: 300 }));
      if (redirect.challenge && req.headers.authorization !== 'Bearer storage-token') {
        return send(401, { 'content-type': 'text/plain', 'www-authenticate': `Bearer realm="${blobHost!.url}/token",service="storage"` }, 'authentication required');
      }
      if (!bytes || !url.searchParams.get('sig') || (req.method !== 'GET' && req.method !== 'HEAD')) return send(404, { 'content-type': 'text/plain' }, 'no such object');
      const range = parseRange(req.headers.range, bytes.length);
      if (range === 'invalid') return send(416, { 'content-range': `bytes */${bytes.length}` });
      if (range) {
        return send(206, { 'content-type': 'application/octet-stream', 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` }, bytes.subarray(range.start, range.end + 1));
      }
      send(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }, bytes);
    });
    const blobPort = await listen(blobServer);
    const host = `${redirect.host ?? 'localhost'}:${blobPort}`;
    blobHost = { url: `http://${host}`, host, requests: blobHostRequests };
  }

  // ---- the registry --------------------------------------------------------------------
  let base = '';
  const location = (path: string) => (options.absoluteLocations ? `${base}${path}` : path);
  const uploadLocation = (id: string, upload: Upload) => location(`/v2/${upload.name}/blobs/uploads/${id}?_state=${upload.state}`);
  const newUpload = (name: string): [string, Upload] => {
    const id = randomUUID();
    const upload: Upload = { name, chunks: [], size: 0, state: randomBytes(12).toString('hex') };
    uploads.set(id, upload);
    return [id, upload];
  };
  const uploadHeaders = (id: string, upload: Upload) => {
    upload.state = randomBytes(12).toString('hex');
    return { location: uploadLocation(id, upload), range: `0-${Math.max(0, upload.size - 1)}`, 'docker-upload-uuid': id, 'content-length': '0' };
  };
  const checkDigestParam = (digest: string | null): string => {
    if (!digest) throw new HttpError(400, 'DIGEST_INVALID', 'digest parameter missing');
    if (!DIGEST.test(digest)) throw new HttpError(400, 'DIGEST_INVALID', `invalid digest ${digest}`, { digest });
    return digest;
  };
  const commitBlob = (name: string, digest: string, bytes: Buffer) => {
    const algorithm = digest.startsWith('sha512:') ? 'sha512' : 'sha256';
    const actual = digestOf(bytes, algorithm);
    if (actual !== digest) throw new HttpError(400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', { expected: digest, actual });
    blobs.set(digest, bytes);
    ensureRepo(name).blobs.add(digest);
  };
  const blobCreated = (name: string, digest: string) => ({ location: location(`/v2/${name}/blobs/${digest}`), 'docker-content-digest': digest, 'content-length': '0' });

  /** `stallAfter`: send only this many bytes of the body and leave the response open; `trickleEveryMs`: send a space that often instead of a body; `dripEveryMs`: send the body a byte that often. */
  type Reply = { status: number; headers?: Record<string, string | string[]>; body?: Buffer | string; stallAfter?: number; trickleEveryMs?: number; dripEveryMs?: number };
  const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}): Reply => {
    const body = Buffer.from(JSON.stringify(value));
    return { status, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }, body };
  };

  const handle = async (req: IncomingMessage, url: URL, body: Buffer): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/v2/' || path === '/v2') {
      authorize(req, undefined, []);
      return json(200, {});
    }
    if (path === '/v2/_catalog') {
      authorize(req, undefined, []);
      return paged([...repos.keys()].sort(), url, '/v2/_catalog', (names) => ({ repositories: names }));
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs\/uploads|blobs|tags|referrers)(?:\/(.*))?$/.exec(path);
    if (!m) throw new HttpError(404, 'NOT_FOUND', `no route for ${method} ${path}`);
    const name = m[1]!;
    const kind = m[2]!;
    const rest = m[3];
    if (!NAME.test(name)) throw new HttpError(400, 'NAME_INVALID', `invalid repository name ${name}`, { name });
    const write = method === 'PUT' || method === 'POST' || method === 'PATCH';
    authorize(req, name, method === 'DELETE' ? ['delete'] : write ? ['pull', 'push'] : ['pull']);

    if (kind === 'manifests' && rest !== undefined && rest !== '' && !rest.includes('/')) return manifests(req, method, name, rest, body);
    if (kind === 'blobs/uploads' && (rest === undefined || rest === '') && method === 'POST') return startUpload(req, name, url, body);
    if (kind === 'blobs/uploads' && rest && !rest.includes('/')) return upload(method, name, rest, url, body, req);
    if (kind === 'blobs' && rest && !rest.includes('/')) return blob(req, method, name, rest);
    if (kind === 'tags' && rest === 'list' && method === 'GET') {
      const r = repo(name);
      if (!r) throw new HttpError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
      return paged([...r.tags.keys()].sort(), url, `/v2/${name}/tags/list`, (tags) => ({ name, tags }));
    }
    if (kind === 'referrers' && rest && !rest.includes('/') && method === 'GET') {
      if (!referrersApi) throw new HttpError(404, 'NOT_FOUND', 'referrers API not supported');
      if (!DIGEST.test(rest)) throw new HttpError(400, 'DIGEST_INVALID', `invalid digest ${rest}`, { digest: rest });
      if (!repo(name)) throw new HttpError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
      const replaced = corruptedReferrers.get(`${name}@${rest}`);
      if (replaced !== undefined) {
        return { status: 200, headers: { 'content-type': OCI_INDEX, 'content-length': String(Buffer.byteLength(replaced.bytes)), ...replaced.headers }, body: replaced.bytes };
      }
      let list = referrersOf(name, rest);
      const headers: Record<string, string | string[]> = {};
      const filter = url.searchParams.get('artifactType');
      if (filter !== null && filterArtifactType) {
        list = list.filter((d) => d.artifactType === filter);
        headers['oci-filters-applied'] = 'artifactType';
      }
      const offset = Number(url.searchParams.get('_page') ?? '0');
      if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'UNSUPPORTED', 'bad page cursor');
      const page = list.slice(offset, offset + pageSize);
      if (offset + pageSize < list.length) {
        const next = new URLSearchParams();
        if (filter !== null) next.set('artifactType', filter);
        next.set('_page', String(offset + pageSize));
        headers.link = pageLinks(`/v2/${name}/referrers/${rest}`, filter, next);
      }
      return json(200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: page }, { 'content-type': OCI_INDEX, ...headers });
    }
    throw new HttpError(405, 'UNSUPPORTED', `unsupported: ${method} ${path}`);
  };

  /** The Link header of a referrers page with a next page, as `referrersLinks` says. */
  const pageLinks = (path: string, filter: string | null, next: URLSearchParams): string | string[] => {
    const nextLink = `<${options.referrersLinks?.relative ? '' : path}?${next}>; rel="next"`;
    const firstLink = `<${path}${filter === null ? '' : `?${new URLSearchParams({ artifactType: filter })}`}>; rel="first"`;
    const placement = options.referrersLinks?.firstLink;
    return placement === 'own-field' ? [firstLink, nextLink] : placement === 'same-field' ? `${firstLink}, ${nextLink}` : nextLink;
  };

  const paged = (all: string[], url: URL, path: string, wrap: (items: string[]) => unknown): Reply => {
    const nParam = url.searchParams.get('n');
    const last = url.searchParams.get('last');
    let items = last !== null ? all.filter((t) => t > last) : all;
    const headers: Record<string, string> = {};
    if (nParam !== null) {
      const n = Number(nParam);
      if (!Number.isInteger(n) || n < 0) throw new HttpError(400, 'PAGINATION_NUMBER_INVALID', `invalid n ${nParam}`);
      if (items.length > n && n > 0) headers.link = `<${path}?n=${n}&last=${encodeURIComponent(items[n - 1]!)}>; rel="next"`;
      items = items.slice(0, n);
    }
    return json(200, wrap(items), headers);
  };

  const manifests = (req: IncomingMessage, method: string, name: string, reference: string, body: Buffer): Reply => {
    const byDigest = DIGEST.test(reference);
    if (!byDigest && !TAG.test(reference)) throw new HttpError(400, 'MANIFEST_INVALID', `invalid reference ${reference}`, { reference });
    if (method === 'GET' || method === 'HEAD') {
      const big = oversized.get(`${name}@${reference}`);
      if (big) {
        const bytes = oversizedBytes(big.size);
        const headers: Record<string, string> = { 'content-type': OCI_MANIFEST, 'docker-content-digest': digestOf(bytes) };
        if (!big.chunked) headers['content-length'] = String(bytes.length);
        return { status: 200, headers, body: bytes };
      }
      const trickle = method === 'GET' ? trickled.get(`${name}@${reference}`) : undefined;
      if (trickle !== undefined) return { status: 200, headers: { 'content-type': OCI_MANIFEST, 'content-length': String(1024 * 1024) }, trickleEveryMs: trickle };
      const swapped = corruptedManifests.get(`${name}@${reference}`);
      if (swapped) {
        const headers: Record<string, string> = { 'content-type': swapped.mediaType, 'content-length': String(swapped.bytes.length) };
        if (swapped.digest !== null) headers['docker-content-digest'] = swapped.digest;
        return { status: 200, headers, body: swapped.bytes };
      }
      if (!repo(name)) throw new HttpError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
      const m = resolveManifest(name, reference);
      if (!m) throw new HttpError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { reference });
      return { status: 200, headers: { 'content-type': m.mediaType, 'content-length': String(m.bytes.length), 'docker-content-digest': m.digest, etag: `"${m.digest}"` }, body: m.bytes };
    }
    if (method === 'DELETE') {
      const r = repo(name);
      if (!r) throw new HttpError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
      if (byDigest) {
        if (!r.manifests.delete(reference)) throw new HttpError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { reference });
        for (const [tag, d] of r.tags) if (d === reference) r.tags.delete(tag);
      } else if (!r.tags.delete(reference)) throw new HttpError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { reference });
      return { status: 202, headers: { 'content-length': '0' } };
    }
    if (method !== 'PUT') throw new HttpError(405, 'UNSUPPORTED', `unsupported: ${method} manifest`);
    if (body.length > maxManifestBytes) throw new HttpError(413, 'MANIFEST_INVALID', `manifest of ${body.length} bytes exceeds ${maxManifestBytes}`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    } catch (err) {
      throw new HttpError(400, 'MANIFEST_INVALID', `manifest is not a JSON object: ${(err as Error).message}`);
    }
    const contentType = req.headers['content-type']?.split(';')[0]?.trim();
    const declared = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
    const mediaType = contentType ?? declared;
    if (!mediaType) throw new HttpError(400, 'MANIFEST_INVALID', 'no Content-Type and no mediaType');
    if (declared !== undefined && declared !== mediaType) throw new HttpError(400, 'MANIFEST_INVALID', `mediaType ${declared} does not match Content-Type ${mediaType}`);
    if (parsed.schemaVersion !== 2) throw new HttpError(400, 'MANIFEST_INVALID', 'schemaVersion must be 2');
    const digest = byDigest ? reference : digestOf(body);
    if (byDigest) {
      const actual = digestOf(body, reference.startsWith('sha512:') ? 'sha512' : 'sha256');
      if (actual !== reference) throw new HttpError(400, 'DIGEST_INVALID', 'manifest digest did not match the reference', { expected: reference, actual });
    }
    const r = ensureRepo(name);
    if (checkReferences) {
      const descriptors = (x: unknown): string[] => (Array.isArray(x) ? x.map((d) => (d as { digest?: unknown }).digest).filter((d): d is string => typeof d === 'string') : []);
      if (IMAGE_MANIFESTS.has(mediaType)) {
        const config = (parsed.config as { digest?: unknown } | undefined)?.digest;
        if (typeof config !== 'string') throw new HttpError(400, 'MANIFEST_INVALID', 'image manifest without config');
        for (const d of [config, ...descriptors(parsed.layers)]) if (!r.blobs.has(d)) throw new HttpError(400, 'MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${d}`, { digest: d });
      } else if (INDEXES.has(mediaType)) {
        for (const d of descriptors(parsed.manifests)) if (!r.manifests.has(d)) throw new HttpError(400, 'MANIFEST_BLOB_UNKNOWN', `manifest unknown to registry: ${d}`, { digest: d });
      }
    }
    if (!byDigest) {
      const current = r.tags.get(reference);
      const ifMatch = req.headers['if-match'];
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifMatch !== undefined && ifMatch !== '*' && (current === undefined || !ifMatch.split(',').map((s) => s.trim()).includes(`"${current}"`))) {
        throw new HttpError(412, 'PRECONDITION_FAILED', `tag ${reference} is not at ${ifMatch}`);
      }
      if (ifMatch === '*' && current === undefined) throw new HttpError(412, 'PRECONDITION_FAILED', `tag ${reference} does not exist`);
      if (ifNoneMatch === '*' && current !== undefined) throw new HttpError(412, 'PRECONDITION_FAILED', `tag ${reference} exists`);
    }
    const stored = storeManifest(name, body, mediaType, parsed, digest);
    if (!byDigest) r.tags.set(reference, digest);
    const headers: Record<string, string> = { location: location(`/v2/${name}/manifests/${digest}`), 'docker-content-digest': digest, 'content-length': '0' };
    if (stored.subject !== undefined && referrersApi) headers['oci-subject'] = stored.subject;
    return { status: 201, headers };
  };

  const startUpload = (req: IncomingMessage, name: string, url: URL, body: Buffer): Reply => {
    const mount = url.searchParams.get('mount');
    const from = url.searchParams.get('from');
    if (mount !== null) {
      checkDigestParam(mount);
      if (allowMount && from !== null && NAME.test(from) && repo(from)?.blobs.has(mount) && bearerAllows(req, from, 'pull')) {
        ensureRepo(name).blobs.add(mount);
        return { status: 201, headers: blobCreated(name, mount) };
      }
    } else if (url.searchParams.has('digest')) {
      const digest = checkDigestParam(url.searchParams.get('digest'));
      commitBlob(name, digest, body);
      return { status: 201, headers: blobCreated(name, digest) };
    }
    const [id, upload] = newUpload(name);
    return { status: 202, headers: uploadHeaders(id, upload) };
  };

  const upload = (method: string, name: string, id: string, url: URL, body: Buffer, req: IncomingMessage): Reply => {
    const u = uploads.get(id);
    if (!u || u.name !== name) throw new HttpError(404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
    if (strictState && url.searchParams.get('_state') !== u.state) {
      throw new HttpError(400, 'BLOB_UPLOAD_INVALID', 'blob upload invalid: missing or stale _state (use the latest Location as given)', { id });
    }
    if (method === 'GET') return { status: 204, headers: uploadHeaders(id, u) };
    if (method === 'DELETE') {
      uploads.delete(id);
      return { status: 204, headers: { 'content-length': '0' } };
    }
    if (method === 'PATCH') {
      const range = req.headers['content-range'];
      if (range !== undefined) {
        const rm = /^(?:bytes[ =])?(\d+)-(\d+)$/.exec(range.trim());
        if (!rm || Number(rm[1]) !== u.size || Number(rm[2]) - Number(rm[1]) + 1 !== body.length) {
          return { status: 416, headers: { ...uploadHeaders(id, u), 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ code: 'BLOB_UPLOAD_INVALID', message: `Content-Range ${range} does not follow offset ${u.size} with ${body.length} bytes`, detail: null }] }) };
        }
      }
      u.chunks.push(body);
      u.size += body.length;
      return { status: 202, headers: uploadHeaders(id, u) };
    }
    if (method === 'PUT') {
      const digest = checkDigestParam(url.searchParams.get('digest'));
      if (body.length > 0) {
        u.chunks.push(body);
        u.size += body.length;
      }
      uploads.delete(id);
      commitBlob(name, digest, Buffer.concat(u.chunks));
      return { status: 201, headers: blobCreated(name, digest) };
    }
    throw new HttpError(405, 'UNSUPPORTED', `unsupported: ${method} upload`);
  };

  const blob = (req: IncomingMessage, method: string, name: string, digest: string): Reply => {
    if (!DIGEST.test(digest)) throw new HttpError(400, 'DIGEST_INVALID', `invalid digest ${digest}`, { digest });
    const r = repo(name);
    if (!r) throw new HttpError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
    if (!r.blobs.has(digest)) throw new HttpError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', { digest });
    if (method === 'DELETE') {
      r.blobs.delete(digest);
      return { status: 202, headers: { 'content-length': '0' } };
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'UNSUPPORTED', `unsupported: ${method} blob`);
    const stored = blobs.get(digest)!;
    if (method === 'GET' && blobHost) {
      return { status: 307, headers: { location: `${blobHost.url}/blobstore/${digest}?sig=${randomBytes(8).toString('hex')}`, 'docker-content-digest': digest, 'content-length': '0' } };
    }
    const bytes = method === 'GET' ? servedBlob(digest)! : stored;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'docker-content-digest': digest, 'accept-ranges': 'bytes', etag: `"${digest}"` };
    const range = method === 'GET' ? parseRange(req.headers.range, bytes.length) : undefined;
    if (range === 'invalid') return { status: 416, headers: { 'content-range': `bytes */${bytes.length}`, 'content-length': '0' } };
    if (range) {
      return { status: 206, headers: { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` }, body: bytes.subarray(range.start, range.end + 1) };
    }
    const stall = method === 'GET' && stalled.has(digest) ? { stallAfter: bytes.length >> 1 } : {};
    const drip = method === 'GET' ? dripped.get(digest) : undefined;
    return { status: 200, headers: { ...headers, 'content-length': String(stored.length) }, body: bytes, ...stall, ...(drip === undefined ? {} : { dripEveryMs: drip }) };
  };

  const onRequest: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const record: RequestRecord = {
      method: req.method ?? '',
      path: url.pathname,
      search: url.search,
      host: req.headers.host,
      scheme: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      authorization: req.headers.authorization !== undefined,
      authorizationScheme: req.headers.authorization?.split(' ')[0],
      contentType: req.headers['content-type'],
      accept: req.headers.accept,
      contentRange: req.headers['content-range'],
      bodyBytes: 0,
      status: 0,
      faulted: false,
    };
    requests.push(record);
    const send = (reply: Reply) => {
      record.status = reply.status;
      if (res.headersSent || res.destroyed) return;
      res.writeHead(reply.status, { 'docker-distribution-api-version': 'registry/2.0', ...reply.headers });
      if (reply.dripEveryMs !== undefined && Buffer.isBuffer(reply.body)) {
        const body = reply.body;
        let sent = 0;
        const timer = setInterval(() => (sent < body.length ? res.write(body.subarray(sent, ++sent)) : res.end()), reply.dripEveryMs);
        res.on('close', () => clearInterval(timer));
      } else if (reply.trickleEveryMs !== undefined) {
        const timer = setInterval(() => res.write(' '), reply.trickleEveryMs);
        res.on('close', () => clearInterval(timer));
        res.write(' ');
      } else if (reply.stallAfter !== undefined && Buffer.isBuffer(reply.body)) res.write(reply.body.subarray(0, reply.stallAfter));
      else res.end(reply.body);
    };
    readBody(req)
      .then(async (body) => {
        record.bodyBytes = body.length;
        const fault = faults.find((f) => f.left > 0 && (!f.fault.method || f.fault.method.toUpperCase() === record.method) && (typeof f.fault.path === 'string' ? record.path.includes(f.fault.path) : f.fault.path.test(record.path)));
        if (fault) {
          fault.left -= 1;
          record.faulted = true;
          // Held open without a word until the client gives up (or the server stops).
          if (fault.fault.silent) return new Promise<Reply>(() => undefined);
          const code = fault.fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE';
          const headers: Record<string, string> = {
            ...(fault.fault.retryAfter !== undefined ? { 'retry-after': String(fault.fault.retryAfter) } : {}),
            ...(fault.fault.location !== undefined ? { location: fault.fault.location } : {}),
          };
          return json(fault.fault.status, { errors: [{ code, message: `injected fault ${fault.fault.status}`, detail: null }] }, headers);
        }
        return handle(req, url, body);
      })
      .then(send, (err: unknown) => {
        if (err instanceof HttpError) send(json(err.status, { errors: [{ code: err.code, message: err.message, detail: err.detail ?? null }] }, err.headers));
        else send(json(500, { errors: [{ code: 'UNKNOWN', message: (err as Error).message, detail: null }] }));
      });
  };
  const server = createServer(onRequest);
  const tlsIdentity = options.tls ? await createTlsIdentity() : undefined;
  const both = tlsIdentity ? await listenBothSchemes(server, createHttpsServer(tlsIdentity, onRequest)) : undefined;
  const port = both ? both.port : await listen(server);
  base = `http://127.0.0.1:${port}`;

  return {
    host: `127.0.0.1:${port}`,
    url: base,
    localhostHost: `localhost:${port}`,
    port,
    httpsUrl: tlsIdentity ? `https://127.0.0.1:${port}` : undefined,
    tlsCa: tlsIdentity?.cert,
    requests,
    blobHost,
    inject: (fault) => faults.push({ fault, left: fault.times ?? 1 }),
    corruptBlob: (digest, bytes) => {
      if (bytes) {
        corrupted.set(digest, Buffer.from(bytes));
        return;
      }
      const original = blobs.get(digest);
      if (!original || original.length === 0) throw new Error(`corruptBlob: no stored non-empty blob ${digest}; pass bytes`);
      const copy = Buffer.from(original);
      copy[0] = copy[0]! ^ 0xff;
      corrupted.set(digest, copy);
    },
    corruptManifest: (name, reference, bytes, o = {}) => {
      const stored = resolveManifest(name, reference);
      if (!stored) throw new Error(`corruptManifest: no stored manifest ${name}:${reference}`);
      corruptedManifests.set(`${name}@${reference}`, { bytes: Buffer.from(bytes), mediaType: stored.mediaType, digest: o.digest === undefined ? stored.digest : o.digest });
    },
    corruptReferrers: (name, digest, bytes, headers = {}) => void corruptedReferrers.set(`${name}@${digest}`, { bytes, headers }),
    stallBlob: (digest) => void stalled.add(digest),
    dripBlob: (digest, everyMs) => void dripped.set(digest, everyMs),
    trickleManifest: (name, reference, everyMs) => void trickled.set(`${name}@${reference}`, everyMs),
    oversizeManifest: (name, reference, o = {}) => {
      oversized.set(`${name}@${reference}`, { size: o.size ?? 4 * 1024 * 1024 + 1024, chunked: o.chunked ?? false });
    },
    putBlob: (name, bytes) => {
      const buf = Buffer.from(bytes);
      const digest = digestOf(buf);
      blobs.set(digest, buf);
      ensureRepo(name).blobs.add(digest);
      return digest;
    },
    putManifest: (name, tag, manifest, mediaType) => {
      const bytes = typeof manifest === 'string' || manifest instanceof Uint8Array ? Buffer.from(manifest) : Buffer.from(JSON.stringify(manifest));
      const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      const type = mediaType ?? (typeof parsed.mediaType === 'string' ? parsed.mediaType : OCI_MANIFEST);
      const digest = digestOf(bytes);
      storeManifest(name, bytes, type, parsed, digest);
      if (tag !== undefined) ensureRepo(name).tags.set(tag, digest);
      return digest;
    },
    getManifest: (name, reference) => {
      const m = resolveManifest(name, reference);
      return m ? { bytes: m.bytes, mediaType: m.mediaType, digest: m.digest } : undefined;
    },
    hasBlob: (name, digest) => repo(name)?.blobs.has(digest) ?? false,
    tags: (name) => [...(repo(name)?.tags.keys() ?? [])].sort(),
    referrers: referrersOf,
    stop: async () => {
      await (both ? both.stop() : close(server));
      if (blobServer) await close(blobServer);
    },
  };
}
