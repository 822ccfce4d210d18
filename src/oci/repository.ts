import { Readable } from 'node:stream';
import { ModelsignError, type ErrorCode } from '../errors.js';
import { digestOf, parseDigest, verifiedStream } from './digest.js';
import {
  MANIFEST_TYPES,
  MAX_MANIFEST_BYTES,
  OCI_INDEX,
  type Descriptor,
  type ImageIndex,
} from './media-types.js';
import type { ContentStore, FetchedManifest, PushedManifest } from './content-store.js';
import { checkManifest } from './manifest-check.js';
import { manifestShapeProblem } from './manifest-shape.js';
import { referenceTarget, type Reference } from './reference.js';
import { header, headerList, networkBody, readBody, RegistryTransport, type HttpResponse, type TransportOptions } from './transport.js';

// Whatever a registry serves wrong is a failed remote source.
const FROM_REGISTRY = { integrity: 'remote', format: 'remote' } as const;

// Uploads above this go in PATCH chunks of this size, so no single request carries a huge body.
const CHUNK_BYTES = 64 * 1024 * 1024;
// A referrers list may span pages; these bound what a registry can make us fetch and hold.
const MAX_REFERRER_PAGES = 1000;
const MAX_REFERRERS_BYTES = 64 * 1024 * 1024;
// The error documents of the distribution spec are small.
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** One repository on one registry, spoken to with the OCI distribution API. */
export class RegistryRepository implements ContentStore {
  readonly transport: RegistryTransport;
  readonly name: string;
  readonly target: string;
  readonly local = false;

  constructor(
    readonly reference: Reference,
    options: TransportOptions,
  ) {
    this.transport = new RegistryTransport(reference.registry, options);
    // With its scheme, as users write it: a location printed from it can be pasted back.
    this.name = `oci://${reference.registry}/${reference.repository}`;
    this.target = referenceTarget(reference);
  }

  private get path(): string {
    return this.reference.repository;
  }

  private scope(push = false): string {
    return `repository:${this.path}:${push ? 'pull,push' : 'pull'}`;
  }

  /**
   * Fetches a manifest by tag or digest. Refuses more than 4 MiB and unknown media types,
   * and checks the bytes against the digest asked for (or the one the registry claims).
   */
  async fetchManifest(target: string): Promise<FetchedManifest> {
    const res = await this.transport.send({
      method: 'GET',
      url: `/v2/${this.path}/manifests/${target}`,
      headers: { accept: MANIFEST_TYPES.join(', ') },
      scope: this.scope(),
    });
    await expectStatus(res, [200], `manifest ${this.describe(target)}`);
    const bytes = await readCapped(res, MAX_MANIFEST_BYTES, this.transport.readTimeoutMs, `manifest ${this.describe(target)}`);
    const contentType = (header(res.headers, 'content-type') ?? '').split(';')[0]!.trim();
    const claimed = target.includes(':') ? target : this.headerDigest(res, target);
    const checked = checkManifest(bytes, { ...(claimed ? { digest: claimed } : {}), mediaType: contentType }, `manifest ${this.describe(target)}`, FROM_REGISTRY);
    const etag = header(res.headers, 'etag');
    return { ...checked, ...(etag ? { etag } : {}) };
  }

  /** Fetches a manifest if it exists; undefined on 404. */
  async fetchManifestIfExists(target: string): Promise<FetchedManifest | undefined> {
    try {
      return await this.fetchManifest(target);
    } catch (err) {
      if (err instanceof ModelsignError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Pushes manifest bytes under a tag or their digest. */
  async pushManifest(bytes: Buffer, mediaType: string, target?: string, ifMatch?: string): Promise<PushedManifest> {
    const digest = digestOf(bytes, 'sha256');
    const res = await this.transport.send({
      method: 'PUT',
      url: `/v2/${this.path}/manifests/${target ?? digest}`,
      headers: { 'content-type': mediaType, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body: () => bytes,
      scope: this.scope(true),
    });
    if (res.statusCode === 412) {
      await res.body.dump();
      throw remote('PRECONDITION_FAILED', `manifest ${this.describe(target ?? digest)} changed since it was read`);
    }
    await expectStatus(res, [201, 200], `pushing manifest ${this.describe(target ?? digest)}`);
    await res.body.dump();
    return { descriptor: { mediaType, digest, size: bytes.length }, subjectIndexed: header(res.headers, 'oci-subject') !== undefined };
  }

  /** Streams a blob, checking its size and digest as the bytes arrive. */
  async *fetchBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>): AsyncGenerator<Uint8Array> {
    parseDigest(descriptor.digest);
    const res = await this.transport.send({ method: 'GET', url: `/v2/${this.path}/blobs/${descriptor.digest}`, scope: this.scope() });
    await expectStatus(res, [200], `blob ${descriptor.digest}`);
    const what = `blob ${descriptor.digest} of ${this.describe(this.target)}`;
    yield* verifiedStream(networkBody(res.body, what, this.transport.lowSpeed), descriptor, what);
  }

  /** Whether the repository holds a blob with this digest (a HEAD request). */
  async blobExists(digest: string): Promise<boolean> {
    const res = await this.transport.send({ method: 'HEAD', url: `/v2/${this.path}/blobs/${digest}`, scope: this.scope(true) });
    await res.body.dump();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw statusError(res, `checking blob ${digest}`);
  }

  /**
   * Uploads a blob unless the registry has it: one PUT for small blobs, PATCH chunks then
   * the closing PUT for large ones. `open` gives the bytes from `offset`, so a retried
   * request can send them again. With `mountFrom` (a repository on the same registry) the
   * registry is first asked to mount the blob from there.
   */
  async pushBlob(descriptor: Descriptor, open: (offset: number, end: number) => Readable, mountFrom?: string): Promise<void> {
    if (await this.blobExists(descriptor.digest)) return;
    // Cross-repository mount: the registry links a blob it already holds (201), or says to
    // upload as usual (202).
    const mount = mountFrom ? `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}` : '';
    const scope = mountFrom ? `${this.scope(true)} repository:${mountFrom}:pull` : this.scope(true);
    const start = await this.transport.send({ method: 'POST', url: `/v2/${this.path}/blobs/uploads/${mount}`, scope });
    if (mountFrom && start.statusCode === 201) {
      await start.body.dump();
      return;
    }
    await expectStatus(start, [202], `starting an upload of ${descriptor.digest}`);
    await start.body.dump();
    let location = uploadLocation(start, `starting an upload of ${descriptor.digest}`);
    if (descriptor.size > CHUNK_BYTES) {
      for (let offset = 0; offset < descriptor.size; offset += CHUNK_BYTES) {
        const end = Math.min(offset + CHUNK_BYTES, descriptor.size);
        const patch = await this.transport.send({
          method: 'PATCH',
          url: location,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - offset), 'content-range': `${offset}-${end - 1}` },
          body: () => open(offset, end),
          scope: this.scope(true),
        });
        await expectStatus(patch, [202], `uploading ${descriptor.digest}`);
        await patch.body.dump();
        location = uploadLocation(patch, `uploading ${descriptor.digest}`);
      }
    }
    const url = new URL(location, this.transport.baseUrl);
    url.searchParams.set('digest', descriptor.digest);
    const monolithic = descriptor.size <= CHUNK_BYTES;
    const put = await this.transport.send({
      method: 'PUT',
      url: url.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': monolithic ? String(descriptor.size) : '0' },
      body: () => (monolithic ? open(0, descriptor.size) : Buffer.alloc(0)),
      scope: this.scope(true),
    });
    await expectStatus(put, [201], `finishing the upload of ${descriptor.digest}`);
    await put.body.dump();
  }

  /**
   * Lists the manifests that refer to `subject`: the referrers API, or on 404 the tag
   * schema's `sha256-<hex>` index. Filters by artifact type on our side too.
   */
  async referrers(subject: string, artifactType?: string): Promise<{ descriptors: Descriptor[]; via: 'api' | 'tag' }> {
    // Absolute from the start: a next page's Link is resolved against the page that named it,
    // and the loop check below compares like with like.
    let url: string | undefined = new URL(`/v2/${this.path}/referrers/${subject}${artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ''}`, this.transport.baseUrl).toString();
    const found: Descriptor[] = [];
    const what = `the referrers of ${subject} in ${this.name}`;
    // Pages are followed to the end or refused, never cut short: a list that stopped early
    // could hide the one signature that verifies.
    const seen = new Set<string>();
    let bytes = 0;
    for (let page = 0; url; page += 1) {
      if (seen.has(url)) throw remote('REGISTRY_ERROR', `${what}: the pages loop back to ${url}`);
      if (page === MAX_REFERRER_PAGES) throw remote('REGISTRY_ERROR', `${what} run over ${MAX_REFERRER_PAGES} pages`);
      seen.add(url);
      const res = await this.transport.send({ method: 'GET', url, headers: { accept: OCI_INDEX }, scope: this.scope() });
      if (res.statusCode === 404 && page === 0) {
        await res.body.dump();
        const index = await this.fetchManifestIfExists(fallbackTag(subject));
        const manifests = (index?.json as ImageIndex | undefined)?.manifests ?? [];
        return { descriptors: filterType(manifests, artifactType), via: 'tag' };
      }
      await expectStatus(res, [200], `listing referrers of ${subject}`);
      const body = await readCapped(res, MAX_MANIFEST_BYTES, this.transport.readTimeoutMs, `referrers of ${subject}`);
      bytes += body.length;
      if (bytes > MAX_REFERRERS_BYTES) throw remote('REGISTRY_ERROR', `${what} take over ${MAX_REFERRERS_BYTES} bytes`);
      found.push(...referrersPage(body, what));
      url = nextLink(headerList(res.headers, 'link'), res.url, what);
    }
    return { descriptors: filterType(found, artifactType), via: 'api' };
  }

  /**
   * The Docker-Content-Digest the registry sent for a manifest fetched by tag, checked here so
   * that one it cannot have meant (`SHA256:AAAA...`) is named as its header, for that manifest.
   */
  private headerDigest(res: HttpResponse, target: string): string | undefined {
    const value = header(res.headers, 'docker-content-digest');
    if (value !== undefined) parseDigest(value, (problem) => remote('BAD_DIGEST', `${this.reference.registry} answered manifest ${this.describe(target)} with a Docker-Content-Digest header that is unusable: ${problem}`));
    return value;
  }

  private describe(target: string): string {
    return `${this.name}${target.includes(':') ? '@' : ':'}${target}`;
  }
}

/** The descriptors of one page of the referrers API: an image index, checked like any manifest. */
function referrersPage(bytes: Buffer, what: string): readonly Descriptor[] {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw remote('MANIFEST_INVALID', `${what} are not JSON`);
  }
  const problem = manifestShapeProblem(json, OCI_INDEX);
  if (problem) throw remote('MANIFEST_INVALID', `${what}: the index ${problem}`);
  return (json as ImageIndex).manifests;
}

/**
 * The tag the referrers tag schema uses for a subject digest (distribution-spec, "Referrers Tag
 * Schema"): the algorithm truncated to 32 characters, `-`, the encoded part truncated to 64,
 * with any character a tag may not hold replaced by `-`. `sha256-<hex>` for sha256; a sha512
 * digest untruncated would give 135 characters, over the 128 a tag may have (registries answer
 * 400), and another client would look under the truncated tag anyway.
 */
export function fallbackTag(subject: string): string {
  const colon = subject.indexOf(':');
  const tag = `${subject.slice(0, colon).slice(0, 32)}-${subject.slice(colon + 1).slice(0, 64)}`;
  return tag.replace(/[^a-zA-Z0-9._-]/g, '-');
}

function filterType(descriptors: readonly Descriptor[], artifactType?: string): Descriptor[] {
  return artifactType ? descriptors.filter((d) => d.artifactType === artifactType) : [...descriptors];
}

/**
 * The absolute URL of the next page, if the Link header names one. A relative reference is
 * resolved against the URL of the page that carried it (RFC 8288 3.2; `<?last=p1>` keeps the
 * page's path), as oras-go does, not against the registry's root.
 */
function nextLink(link: string | undefined, page: string, what: string): string | undefined {
  const next = link === undefined ? undefined : linkTarget(link, 'next');
  if (next === undefined) return undefined;
  // The registry's word, like an upload's Location: one that is no URL is its failure, not
  // a network one.
  try {
    return new URL(next, page).toString();
  } catch {
    throw remote('REGISTRY_ERROR', `${what}: the next page's Link ${JSON.stringify(next).slice(0, 200)} is not a URL`);
  }
}

// One link-value of RFC 8288: `<target>` then `; name[=token or "quoted string"]` parameters.
const LINK_VALUE = /<([^>]*)>((?:\s*;\s*[^\s;,=]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,]*))?)*)/g;
const LINK_PARAM = /;\s*([^\s;,=]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,]*)))?/g;

/**
 * The target of the first link-value whose `rel` holds `relation` (a space-separated list,
 * compared without case), among all of a Link header's values: `rel="first"` or `rel="prev"`
 * links may come before it, in the same field or in fields of their own.
 */
function linkTarget(link: string, relation: string): string | undefined {
  for (const [, target, params] of link.matchAll(LINK_VALUE)) {
    for (const [, name, quoted, token] of params!.matchAll(LINK_PARAM)) {
      if (name!.toLowerCase() !== 'rel') continue;
      const rels = (quoted ?? token ?? '').trim().toLowerCase().split(/\s+/);
      if (rels.includes(relation)) return target;
      // Only the first rel of a link-value counts (RFC 8288 3.3).
      break;
    }
  }
  return undefined;
}

function uploadLocation(res: HttpResponse, what: string): string {
  const location = header(res.headers, 'location');
  if (!location) throw remote('UPLOAD_FAILED', 'the registry started an upload without a Location');
  // The registry's word, like a redirect's Location: one that is no URL is its failure.
  try {
    return new URL(location, res.url).toString();
  } catch {
    throw remote('REGISTRY_ERROR', `${what}: the registry answered with Location ${JSON.stringify(location).slice(0, 200)}, which is not a URL`);
  }
}

async function readCapped(res: HttpResponse, cap: number, deadlineMs: number, what: string): Promise<Buffer> {
  const declared = Number(header(res.headers, 'content-length') ?? NaN);
  if (declared > cap) {
    await res.body.dump();
    throw remote('MANIFEST_TOO_LARGE', `${what} is ${declared} bytes, over the ${cap}-byte limit`);
  }
  const bytes = await readBody(res.body, cap, what, deadlineMs);
  if (!bytes) throw remote('MANIFEST_TOO_LARGE', `${what} is over the ${cap}-byte limit`);
  return bytes;
}

async function expectStatus(res: HttpResponse, ok: number[], what: string): Promise<void> {
  if (ok.includes(res.statusCode)) return;
  const detail = await errorDetail(res);
  throw statusError(res, what, detail);
}

function statusError(res: HttpResponse, what: string, detail = ''): ModelsignError {
  // A manifest naming a blob the registry does not (yet) link is worth telling apart: it
  // can be repaired by pushing the blob again.
  const code = res.statusCode === 404 ? 'NOT_FOUND'
    : res.statusCode === 401 || res.statusCode === 403 ? 'AUTH_FAILED'
    : detail.includes('MANIFEST_BLOB_UNKNOWN') ? 'MANIFEST_BLOB_UNKNOWN'
    : 'REGISTRY_ERROR';
  return remote(code, `${what}: the registry answered ${res.statusCode}${detail ? ` (${detail})` : ''}`);
}

/** The distribution spec's `{errors: [{code, message}]}`, summarized. */
async function errorDetail(res: HttpResponse): Promise<string> {
  try {
    // Only a well-formed error document is summarized; anything longer is not one.
    const text = (await readBody(res.body, MAX_ERROR_BODY_BYTES))?.toString('utf8') ?? '';
    const json = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    return (json.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    return '';
  }
}

const remote = (code: ErrorCode, message: string): ModelsignError => new ModelsignError('remote', code, message);
