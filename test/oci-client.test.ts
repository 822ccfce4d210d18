/**
 * The OCI registry client as a library (dist/): reference parsing, docker credentials,
 * RegistryRepository against Debian's real docker-registry (distribution 2.8, no referrers
 * API: the tag-schema fallback runs for real; none/htpasswd/token auth) and against the
 * in-memory referrers registry (referrers API, pagination, injected faults, redirects,
 * corrupt blobs and manifests, oversized manifests), attachArtifact, OciSignatureStore, and the OCI model
 * source (raw and tar layers, unsafe paths). Loopback only; every server is stopped.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  attachArtifact,
  dockerCredentials,
  OciLayout,
  fallbackTag,
  MAX_BUNDLE_BYTES,
  ModelsignError,
  parseReference,
  PREDICATE_TYPE,
  RegistryRepository,
  type ContentStore,
  type CredentialResolver,
  type Credentials,
  type Descriptor,
  type ImageIndex,
  type ModelFile,
} from '../dist/src/engine.js';
import { OciSignatureStore, openOciModel, pushModelPack } from '../dist/adapters/oci/index.js';
import { LocalModelSource } from '../dist/adapters/local/index.js';
import { randomSequence, ROOT, tempDir, zstdOf } from './helpers.js';
import { BUNDLE_TYPE, EMPTY_CONFIG, NOTATION_TYPE, OCI_INDEX, OCI_MANIFEST, WEIGHT_RAW } from './oci-spec.js';
import { startRegistry, type RunningRegistry } from './servers/registry.js';
import { resolvingToLoopback, startReferrersRegistry, TLS_REGISTRY_NAME, type ReferrersRegistry, type ReferrersRegistryOptions } from './servers/referrers-registry.js';
import { startTokenServer } from './servers/token-server.js';

const MODELPACK_ARTIFACT = 'application/vnd.cncf.model.manifest.v1+json';
const FILEPATH = 'org.cncf.model.filepath';
const TITLE = 'org.opencontainers.image.title';
const CHUNK_BYTES = 64 * 1024 * 1024; // repository.ts: uploads above this go in PATCH chunks

const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const anonymous: CredentialResolver = async () => undefined;
const basicCreds = (username: string, password: string): CredentialResolver => async () => ({ kind: 'basic', username, password });

function repoAt(host: string, name: string, credentials: CredentialResolver = anonymous, retries?: number): RegistryRepository {
  return new RegistryRepository(parseReference(`${host}/${name}:latest`), { credentials, ...(retries === undefined ? {} : { retries }) });
}

async function collect(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of bytes) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<ModelsignError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  if (outcome.ok) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  expect(outcome.err).toBeInstanceOf(ModelsignError);
  return outcome.err as ModelsignError;
}

/** What a promise rejects with, or undefined when it resolves: for checks that come before the outcome's. */
const settled = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => undefined,
  (err: unknown) => err,
);

function thrown(fn: () => unknown): ModelsignError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ModelsignError);
    return err as ModelsignError;
  }
  throw new Error('expected a throw');
}

async function pushBytes(repo: RegistryRepository, bytes: Buffer, mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const descriptor: Descriptor = { mediaType, digest: sha256(bytes), size: bytes.length };
  await repo.pushBlob(descriptor, (start, end) => Readable.from([bytes.subarray(start, end)]));
  return descriptor;
}

/** Pushes a small model-like image (empty config, one raw layer) and returns it. */
async function pushSubject(repo: RegistryRepository, tag: string | undefined, note: string): Promise<{ descriptor: Descriptor; bytes: Buffer; layer: Descriptor; layerBytes: Buffer }> {
  await repo.pushBlob(EMPTY_CONFIG, () => Readable.from([Buffer.from('{}')]));
  const layerBytes = Buffer.from(`weights of ${note}\n`);
  const layer = await pushBytes(repo, layerBytes, WEIGHT_RAW);
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: MODELPACK_ARTIFACT, config: EMPTY_CONFIG, layers: [{ ...layer, annotations: { [FILEPATH]: 'model.bin' } }], annotations: { note } };
  // Pretty-printed on purpose: a client that re-serializes would change the digest.
  const bytes = Buffer.from(JSON.stringify(manifest, null, 3));
  const pushed = await repo.pushManifest(bytes, OCI_MANIFEST, tag);
  return { descriptor: pushed.descriptor, bytes, layer, layerBytes };
}

async function startRef(options: ReferrersRegistryOptions = {}): Promise<ReferrersRegistry> {
  const reg = await startReferrersRegistry(options);
  onTestFinished(() => reg.stop());
  return reg;
}

type TarSpec = { name: string; content?: string | Buffer; type?: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string };
function tarOf(entries: TarSpec[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
  });
  for (const e of entries) {
    if (e.type && e.type !== 'file') p.entry({ name: e.name, type: e.type, ...(e.linkname ? { linkname: e.linkname } : {}) });
    else p.entry({ name: e.name }, Buffer.from(e.content ?? ''));
  }
  p.finalize();
  return done;
}

const noIgnores = { allowSymlinks: false, isIgnored: () => false };

// ---------------------------------------------------------------------------------------
describe('parseReference', () => {
  it('parses registry/repo:tag, @digest and tag+digest', () => {
    const digest = sha256('x');
    expect(parseReference('registry.example.com/models/llama:v1')).toEqual({ registry: 'registry.example.com', repository: 'models/llama', tag: 'v1' });
    expect(parseReference(`registry.example.com/models/llama@${digest}`)).toEqual({ registry: 'registry.example.com', repository: 'models/llama', digest });
    expect(parseReference(`registry.example.com/models/llama:v1@${digest}`)).toEqual({ registry: 'registry.example.com', repository: 'models/llama', tag: 'v1', digest });
    expect(parseReference('registry.example.com/a/b/c')).toEqual({ registry: 'registry.example.com', repository: 'a/b/c', tag: 'latest' });
  });

  it('expands Docker Hub short names as docker does', () => {
    expect(parseReference('ubuntu')).toEqual({ registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' });
    expect(parseReference('ubuntu:22.04')).toEqual({ registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' });
    expect(parseReference('user/repo')).toEqual({ registry: 'docker.io', repository: 'user/repo', tag: 'latest' });
    expect(parseReference('docker.io/ubuntu')).toEqual({ registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' });
    expect(parseReference(`ubuntu@${sha256('u')}`)).toEqual({ registry: 'docker.io', repository: 'library/ubuntu', digest: sha256('u') });
  });

  it('normalizes the legacy index.docker.io host like docker.io (library/ prefix included)', () => {
    // docker (distribution/reference splitDockerDomain) maps index.docker.io to docker.io
    // before adding library/, so both name the same official image.
    expect(parseReference('index.docker.io/ubuntu')).toEqual(parseReference('docker.io/ubuntu'));
  });

  it('takes localhost:PORT, localhost, IP:PORT and host:PORT as registries, and drops oci://', () => {
    expect(parseReference('localhost:5000/x')).toEqual({ registry: 'localhost:5000', repository: 'x', tag: 'latest' });
    expect(parseReference('localhost/x:t')).toEqual({ registry: 'localhost', repository: 'x', tag: 't' });
    expect(parseReference('127.0.0.1:5000/a/b:v2')).toEqual({ registry: '127.0.0.1:5000', repository: 'a/b', tag: 'v2' });
    expect(parseReference('myhost:8443/team/m')).toEqual({ registry: 'myhost:8443', repository: 'team/m', tag: 'latest' });
    expect(parseReference('oci://localhost:5000/models/m:v1')).toEqual({ registry: 'localhost:5000', repository: 'models/m', tag: 'v1' });
    expect(parseReference('oci://ubuntu')).toEqual({ registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' });
  });

  it('speaks plain HTTP only to loopback registries (localhost, 127.x.y.z, [::1]), not to names that merely start like them', () => {
    const baseUrl = (reference: string, plainHttp?: boolean): string =>
      new RegistryRepository(parseReference(reference), { credentials: anonymous, ...(plainHttp === undefined ? {} : { plainHttp }) }).transport.baseUrl;
    expect(baseUrl('oci://localhost:5000/x:v1')).toBe('http://localhost:5000');
    expect(baseUrl('localhost/x')).toBe('http://localhost');
    expect(baseUrl('127.0.0.1:5000/x:v1')).toBe('http://127.0.0.1:5000');
    expect(baseUrl('127.1.2.3/x')).toBe('http://127.1.2.3');
    expect(baseUrl('[::1]:5000/x:v1')).toBe('http://[::1]:5000');
    // Public DNS names that resolve wherever their owner says: credentials sent there in
    // clear text could be read on the way.
    expect(baseUrl('localhost.example.com/x:v1')).toBe('https://localhost.example.com');
    expect(baseUrl('127.0.0.1.nip.io/x:v1')).toBe('https://127.0.0.1.nip.io');
    expect(baseUrl('127.0.0.1.nip.io:5000/x:v1')).toBe('https://127.0.0.1.nip.io:5000');
    expect(baseUrl('registry.example.com/x:v1')).toBe('https://registry.example.com');
    // Only when asked for (--plain-http).
    expect(baseUrl('localhost.example.com/x:v1', true)).toBe('http://localhost.example.com');
  });

  it('refuses a registry host with no repository instead of reading a Docker Hub image', () => {
    // `oci://127.0.0.1:5000` went to Docker Hub for library/127.0.0.1, tag 5000.
    for (const [input, host] of [
      ['oci://127.0.0.1:47391', '127.0.0.1:47391'],
      ['ghcr.io', 'ghcr.io'],
      ['localhost:5000', 'localhost:5000'],
      ['registry.example.com:443@' + sha256('r'), 'registry.example.com:443'],
    ] as const) {
      let error: unknown;
      try {
        parseReference(input);
      } catch (err) {
        error = err;
      }
      expect(error, input).toMatchObject({ code: 'BAD_REFERENCE', kind: 'usage', message: `${input} names a registry but no repository: write ${host}/REPOSITORY[:tag|@digest]` });
    }
  });

  it('refuses invalid repository names, tags and digests with usage errors', () => {
    const bad = [
      'Registry.example.com/Models/X', // upper case repository
      'localhost:5000/', // empty repository
      '',
      'localhost:5000/a//b',
      'localhost:5000/-x',
      'localhost:5000/x:', // empty tag
      'localhost:5000/x:-v1', // tag starting with '-'
      `localhost:5000/x:${'a'.repeat(129)}`, // tag too long
      'localhost:5000/x:v 1',
      'localhost:5000/x@', // empty digest
      'localhost:5000/x@sha256', // no encoded part
      'localhost:5000/x@sha256:abc def',
    ];
    for (const input of bad) {
      const err = thrown(() => parseReference(input));
      expect(err.kind, input).toBe('usage');
      expect(err.code, input).toBe('BAD_REFERENCE');
    }
    expect(parseReference(`localhost:5000/x:${'a'.repeat(128)}`).tag).toHaveLength(128);
  });

  it('takes a registry host only as a DNS name, IPv4 or bracketed IPv6 address, with a port from 1 to 65535', () => {
    for (const registry of ['a-b.example.com', 'a.b:1', 'a.b:65535', '10.0.0.1:5000', '[::1]', '[::1]:5000', '[2001:db8::1]:443', 'localhost:5000']) {
      expect(parseReference(`oci://${registry}/x`).registry, registry).toBe(registry);
    }
    for (const registry of ['a.b:0', 'a.b:65536', 'a.b:', 'a.b:+80', 'localhost:abc.d', 'a.b:c:d', '-a.b', 'a_b.c', 'a..b', '[::1', '[zz]:80', '[::1]x', '[::1]:']) {
      const err = thrown(() => parseReference(`oci://${registry}/x`));
      expect({ kind: err.kind, code: err.code }, registry).toEqual({ kind: 'usage', code: 'BAD_REFERENCE' });
      expect(err.message, registry).toContain(`the registry must be host[:port], and in ${JSON.stringify(registry)}`);
    }
  });

  it('refuses a sha256 digest that is not 64 lowercase hex digits at parse time (usage, not a remote error)', () => {
    // OCI image-spec: the encoded part of a sha256 digest MUST match /[a-f0-9]{64}/; docker
    // rejects such references as "invalid reference format".
    for (const input of ['localhost:5000/x@sha256:abc', `localhost:5000/x@sha256:${'A'.repeat(64)}`, `localhost:5000/x@sha256:${'a'.repeat(63)}`]) {
      const err = thrown(() => parseReference(input));
      expect(err.kind, input).toBe('usage');
    }
  });
});

// ---------------------------------------------------------------------------------------
describe('dockerCredentials', () => {
  /** A temp dir with docker-credential-<name> scripts, put first on PATH for this test. */
  async function fakeHelpers(): Promise<string> {
    const bin = join(await tempDir('modelsign-credhelpers-'), 'bin');
    await mkdir(bin);
    // Answers by the server URL it is given on stdin, echoing it (and its argv) back.
    const script = (label: string) => `#!/bin/sh
read -r server || true
case "$server" in
  *notfound*) echo "credentials not found in native keychain"; exit 1 ;;
  *broken*) echo "helper exploded" >&2; exit 3 ;;
  *garbage*) echo "this is not json" ;;
  *refresh*) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-for-%s"}' "$server" "$server" ;;
  *) printf '{"ServerURL":"%s","Username":"${label}-%s-%s","Secret":"secret-for-%s"}' "$server" "$1" "$server" "$server" ;;
esac
`;
    for (const name of ['fakehelper', 'fakestore']) {
      const path = join(bin, `docker-credential-${name}`);
      await writeFile(path, script(name));
      await chmod(path, 0o755);
    }
    const original = process.env.PATH;
    process.env.PATH = `${bin}:${original ?? '/usr/bin:/bin'}`;
    onTestFinished(() => {
      process.env.PATH = original;
    });
    return bin;
  }

  async function configDir(config: unknown): Promise<string> {
    const dir = await tempDir('modelsign-docker-config-');
    await writeFile(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return dir;
  }

  it('reads auths: base64 auth, username/password, identitytoken, Docker Hub keys and URL-form keys', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const dir = await configDir({
      auths: {
        'plain.example.com': { auth: b64('alice:pa:ss') },
        'https://secure.example.com': { username: 'bob', password: 'hunter2' },
        'http://insecure.example.com:5000': { auth: b64('carol:c') },
        'tokens.example.com': { identitytoken: 'refresh-123', auth: b64('ignored:ignored') },
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
      },
    });
    const resolve = dockerCredentials(undefined, dir);
    // Each says where it came from, for the message if the registry refuses it.
    const source = (key: string) => `the auths entry "${key}" of ${join(dir, 'config.json')}`;
    expect(await resolve('plain.example.com')).toEqual({ kind: 'basic', username: 'alice', password: 'pa:ss', source: source('plain.example.com') });
    expect(await resolve('secure.example.com')).toEqual({ kind: 'basic', username: 'bob', password: 'hunter2', source: source('https://secure.example.com') });
    expect(await resolve('insecure.example.com:5000')).toEqual({ kind: 'basic', username: 'carol', password: 'c', source: source('http://insecure.example.com:5000') });
    expect(await resolve('tokens.example.com')).toEqual({ kind: 'identity-token', token: 'refresh-123', source: source('tokens.example.com') });
    expect(await resolve('docker.io')).toEqual({ kind: 'basic', username: 'hubuser', password: 'hubpass', source: source('https://index.docker.io/v1/') });
    expect(await resolve('unknown.example.com')).toBeUndefined();
  });

  it('is anonymous without a config, and refuses a config that is not JSON or an auth that is not user:password', async () => {
    const empty = await tempDir('modelsign-docker-config-');
    expect(await dockerCredentials(undefined, empty)('any.example.com')).toBeUndefined();
    const notJson = await configDir('{ not json');
    expect(await rejection(dockerCredentials(undefined, notJson)('any.example.com'))).toMatchObject({ kind: 'usage', code: 'BAD_DOCKER_CONFIG' });
    const noColon = await configDir({ auths: { 'x.example.com': { auth: Buffer.from('nocolon').toString('base64') } } });
    expect(await rejection(dockerCredentials(undefined, noColon)('x.example.com'))).toMatchObject({ kind: 'usage', code: 'BAD_DOCKER_CONFIG' });
    // JSON of the wrong shape is named too, never a TypeError.
    for (const [config, message] of [
      ['null', /is not a JSON object/],
      ['[]', /is not a JSON object/],
      [{ auths: { 'x.example.com': { auth: 5 } } }, /auths entry for x.example.com .* not an object of strings/],
      [{ auths: { 'x.example.com': { username: 'u', password: ['p'] } } }, /not an object of strings/],
      [{ auths: { 'x.example.com': 'dXNlcjpwYXNz' } }, /not an object of strings/],
      [{ credsStore: 7 }, /credential helper for x.example.com .* is not a name/],
    ] as const) {
      const dir = await configDir(config);
      expect(await rejection(dockerCredentials(undefined, dir)('x.example.com')), JSON.stringify(config)).toMatchObject({ kind: 'usage', code: 'BAD_DOCKER_CONFIG', message: expect.stringMatching(message) });
    }
  });

  it('asks credHelpers first, then credsStore, with the server URL on stdin and "get" as argument', async () => {
    await fakeHelpers();
    const dir = await configDir({
      credHelpers: { 'helped.example.com': 'fakehelper', 'https://index.docker.io/v1/': 'fakehelper' },
      credsStore: 'fakestore',
      auths: { 'helped.example.com': { auth: Buffer.from('from:auths').toString('base64') } },
    });
    const resolve = dockerCredentials(undefined, dir);
    const source = (helper: string) => `docker-credential-${helper} (named in ${join(dir, 'config.json')})`;
    expect(await resolve('helped.example.com')).toEqual({ kind: 'basic', username: 'fakehelper-get-helped.example.com', password: 'secret-for-helped.example.com', source: source('fakehelper') });
    expect(await resolve('stored.example.com:5000')).toEqual({ kind: 'basic', username: 'fakestore-get-stored.example.com:5000', password: 'secret-for-stored.example.com:5000', source: source('fakestore') });
    // Docker Hub's helper gets the v1 index URL, as docker sends it.
    expect(await resolve('docker.io')).toEqual({ kind: 'basic', username: 'fakehelper-get-https://index.docker.io/v1/', password: 'secret-for-https://index.docker.io/v1/', source: source('fakehelper') });
    // "<token>" marks an identity token.
    expect(await resolve('refresh.example.com')).toEqual({ kind: 'identity-token', token: 'refresh-for-refresh.example.com', source: source('fakestore') });
  });

  it('treats "credentials not found" as no credentials (falling back to auths), and reports other helper failures', async () => {
    await fakeHelpers();
    const dir = await configDir({
      credsStore: 'fakestore',
      auths: { 'notfound-with-auths.example.com': { username: 'fallback', password: 'fb' } },
    });
    const resolve = dockerCredentials(undefined, dir);
    expect(await resolve('notfound.example.com')).toBeUndefined();
    expect(await resolve('notfound-with-auths.example.com')).toEqual({ kind: 'basic', username: 'fallback', password: 'fb', source: `the auths entry "notfound-with-auths.example.com" of ${join(dir, 'config.json')}` });
    const broken = await rejection(resolve('broken.example.com'));
    expect(broken).toMatchObject({ kind: 'remote', code: 'CRED_HELPER_FAILED' });
    expect(broken.message).toContain('helper exploded');
    expect(await rejection(resolve('garbage.example.com'))).toMatchObject({ kind: 'remote', code: 'CRED_HELPER_FAILED' });
  });

  it('names a missing helper binary as a usage error', async () => {
    await fakeHelpers();
    const dir = await configDir({ credsStore: 'modelsign-no-such-helper', credHelpers: { 'h.example.com': 'modelsign-no-such-other' } });
    const resolve = dockerCredentials(undefined, dir);
    const err = await rejection(resolve('x.example.com'));
    expect(err).toMatchObject({ kind: 'usage', code: 'CRED_HELPER_MISSING' });
    expect(err.message).toContain('docker-credential-modelsign-no-such-helper');
    expect(await rejection(resolve('h.example.com'))).toMatchObject({ kind: 'usage', code: 'CRED_HELPER_MISSING' });
  });

  it('lets explicit credentials win for every registry without reading the config', async () => {
    await fakeHelpers();
    const explicit: Credentials = { kind: 'basic', username: 'explicit', password: 'e' };
    const dir = await configDir({ credsStore: 'fakestore', auths: { 'a.example.com': { username: 'config', password: 'c' } } });
    const resolve = dockerCredentials(explicit, dir);
    expect(await resolve('a.example.com')).toEqual(explicit);
    expect(await resolve('docker.io')).toEqual(explicit);
    // Not even a broken config gets in the way.
    expect(await dockerCredentials(explicit, await configDir('{ broken'))('b.example.com')).toEqual(explicit);
  });
});

// ---------------------------------------------------------------------------------------
describe('RegistryRepository against docker-registry 2.8 (no auth)', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pushes a small blob in one monolithic PUT, skips a blob it already has, and reads it back verified', async () => {
    const name = 'client/blobs';
    const repo = repoAt(registry.host, name);
    const bytes = Buffer.from('a small blob for a monolithic upload\n'.repeat(100));
    const digest = sha256(bytes);
    expect(await repo.blobExists(digest)).toBe(false);
    const opens: [number, number][] = [];
    const descriptor: Descriptor = { mediaType: 'application/octet-stream', digest, size: bytes.length };
    await repo.pushBlob(descriptor, (start, end) => {
      opens.push([start, end]);
      return Readable.from([bytes.subarray(start, end)]);
    });
    expect(opens).toEqual([[0, bytes.length]]);
    expect(await repo.blobExists(digest)).toBe(true);
    // Already there: no upload, the bytes are not even opened.
    await repo.pushBlob(descriptor, () => {
      throw new Error('opened a blob the registry already has');
    });
    expect(await collect(repo.fetchBlob(descriptor))).toEqual(bytes);
    // The access log arrives over a pipe: give it a moment to catch up.
    for (let i = 0; i < 40 && !registry.logs().includes(`"GET /v2/${name}/blobs/${digest}`); i += 1) await new Promise((r) => setTimeout(r, 50));
    const logs = registry.logs();
    expect(logs).toContain(`"GET /v2/${name}/blobs/${digest}`);
    expect(logs).toContain(`"PUT /v2/${name}/blobs/uploads/`);
    expect(logs).not.toContain(`"PATCH /v2/${name}/`);
    expect(logs.split(`"POST /v2/${name}/blobs/uploads/`).length - 1).toBe(1);
  });

  it('pushes a manifest under a tag and fetches it back byte-identical by tag and by digest', async () => {
    const repo = repoAt(registry.host, 'client/manifests');
    const { descriptor, bytes } = await pushSubject(repo, 'v1', 'manifest round trip');
    expect(descriptor).toEqual({ mediaType: OCI_MANIFEST, digest: sha256(bytes), size: bytes.length });
    for (const target of ['v1', descriptor.digest]) {
      const fetched = await repo.fetchManifest(target);
      expect(fetched.bytes.equals(bytes)).toBe(true);
      expect(fetched.descriptor).toEqual(descriptor);
      expect(fetched.json).toMatchObject({ artifactType: MODELPACK_ARTIFACT, annotations: { note: 'manifest round trip' } });
    }
    // The same content under a second tag, and the tag is then movable.
    await repo.pushManifest(bytes, OCI_MANIFEST, 'v2');
    expect((await repo.fetchManifest('v2')).descriptor.digest).toBe(descriptor.digest);
    const other = await pushSubject(repo, 'v2', 'moved');
    expect((await repo.fetchManifest('v2')).descriptor.digest).toBe(other.descriptor.digest);
    expect(await repo.fetchManifestIfExists('never-pushed')).toBeUndefined();
  });

  it('answers NOT_FOUND (remote) for a missing manifest, tag or blob', async () => {
    const repo = repoAt(registry.host, 'client/manifests');
    expect(await rejection(repo.fetchManifest('no-such-tag'))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(repo.fetchManifest(sha256('no such manifest')))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(collect(repo.fetchBlob({ digest: sha256('no such blob'), size: 3 })))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(repoAt(registry.host, 'client/never').fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
  });

  it('referrers() falls back to the sha256-<hex> tag, and attachArtifact records there (via tag)', async () => {
    const repo = repoAt(registry.host, 'client/referrers');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'subject');
    expect(await repo.referrers(subject.digest)).toEqual({ descriptors: [], via: 'tag' });

    const bundle = await pushBytes(repo, Buffer.from('{"bundle":1}'), BUNDLE_TYPE);
    const notation = await pushBytes(repo, Buffer.from('notation signature'), NOTATION_TYPE);
    const a = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [bundle], annotations: { n: 'a' } }, subject);
    const b = await attachArtifact(repo, { artifactType: NOTATION_TYPE, layers: [notation], annotations: { n: 'b' } }, subject);
    expect(a.via).toBe('tag');
    expect(b.via).toBe('tag');

    const tag = fallbackTag(subject.digest);
    expect(tag).toBe(`sha256-${subject.digest.slice('sha256:'.length)}`);
    const index = await repo.fetchManifest(tag);
    expect(index.descriptor.mediaType).toBe(OCI_INDEX);
    expect((index.json as unknown as ImageIndex).manifests).toEqual([
      { mediaType: OCI_MANIFEST, digest: a.descriptor.digest, size: a.descriptor.size, artifactType: BUNDLE_TYPE, annotations: { n: 'a' } },
      { mediaType: OCI_MANIFEST, digest: b.descriptor.digest, size: b.descriptor.size, artifactType: NOTATION_TYPE, annotations: { n: 'b' } },
    ]);
    const all = await repo.referrers(subject.digest);
    expect(all.via).toBe('tag');
    expect(all.descriptors.map((d) => d.digest)).toEqual([a.descriptor.digest, b.descriptor.digest]);
    const bundles = await repo.referrers(subject.digest, BUNDLE_TYPE);
    expect(bundles).toEqual({ descriptors: [a.descriptor], via: 'tag' });

    // The referrer manifest is stored, with subject and empty config.
    const referrer = await repo.fetchManifest(a.descriptor.digest);
    expect(referrer.json).toMatchObject({ artifactType: BUNDLE_TYPE, config: EMPTY_CONFIG, layers: [bundle], subject: { digest: subject.digest, size: subject.size } });
    // Attaching the same artifact again does not duplicate the entry.
    const again = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [bundle], annotations: { n: 'a' } }, subject);
    expect(again.descriptor.digest).toBe(a.descriptor.digest);
    expect((await repo.referrers(subject.digest)).descriptors).toHaveLength(2);
  });

  it('20 concurrent attachArtifact calls to one subject leave exactly 20 distinct entries in the index', async () => {
    const repo = repoAt(registry.host, 'client/concurrent');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'busy subject');
    const layer = await pushBytes(repo, Buffer.from('shared signature layer'), BUNDLE_TYPE);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { index: String(i) } }, subject)),
    );
    expect(results.every((r) => r.via === 'tag')).toBe(true);
    const digests = new Set(results.map((r) => r.descriptor.digest));
    expect(digests.size).toBe(20);
    const index = (await repo.fetchManifest(fallbackTag(subject.digest))).json as unknown as ImageIndex;
    expect(index.manifests).toHaveLength(20);
    expect(new Set(index.manifests.map((m) => m.digest))).toEqual(digests);
    expect(new Set(index.manifests.map((m) => m.annotations?.index))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => String(i))));
    // A second repository object (as another command in this process would make) sees them all.
    const seen = await repoAt(registry.host, 'client/concurrent').referrers(subject.digest, BUNDLE_TYPE);
    expect(seen.via).toBe('tag');
    expect(new Set(seen.descriptors.map((d) => d.digest))).toEqual(digests);
  });
});

describe('RegistryRepository against docker-registry 2.8 with htpasswd', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses anonymous and wrong credentials with AUTH_FAILED, and works with the right ones', async () => {
    const name = 'secure/model';
    const anon = await rejection(repoAt(registry.host, name).fetchManifest('v1'));
    expect(anon).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });
    expect(await rejection(repoAt(registry.host, name).blobExists(sha256('x')))).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });
    const wrong = await rejection(repoAt(registry.host, name, basicCreds('alice', 'nope')).fetchManifest('v1'));
    expect(wrong).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });
    // An identity token cannot answer a Basic challenge.
    const identity: CredentialResolver = async () => ({ kind: 'identity-token', token: 't' });
    expect(await rejection(repoAt(registry.host, name, identity).fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });

    const repo = repoAt(registry.host, name, basicCreds('alice', 'wonderland'));
    const { descriptor, bytes, layer, layerBytes } = await pushSubject(repo, 'v1', 'behind htpasswd');
    expect((await repo.fetchManifest('v1')).bytes.equals(bytes)).toBe(true);
    expect(await collect(repo.fetchBlob(layer))).toEqual(layerBytes);
    const attached = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: {} }, descriptor);
    expect(attached.via).toBe('tag');
    expect((await repo.referrers(descriptor.digest)).descriptors.map((d) => d.digest)).toEqual([attached.descriptor.digest]);
    // The same reads anonymously still fail after a successful login elsewhere.
    expect(await rejection(repoAt(registry.host, name).fetchManifest('v1'))).toMatchObject({ code: 'AUTH_FAILED' });
  });
});

describe('RegistryRepository against docker-registry 2.8 with token auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', users: { bob: 'builder' } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('follows the Bearer flow with Basic credentials at the token server, one token per scope, reused', async () => {
    const tokens = registry.tokenServer!;
    const name = 'tok/model';
    const before = tokens.requests.length;
    const repo = repoAt(registry.host, name, basicCreds('bob', 'builder'));
    // Several operations needing pull,push and pull.
    const { descriptor, bytes, layer, layerBytes } = await pushSubject(repo, 'v1', 'token auth');
    await pushBytes(repo, Buffer.from('another blob'));
    expect(await repo.blobExists(layer.digest)).toBe(true);
    expect((await repo.fetchManifest('v1')).bytes.equals(bytes)).toBe(true);
    expect((await repo.fetchManifest(descriptor.digest)).bytes.equals(bytes)).toBe(true);
    expect(await collect(repo.fetchBlob(layer))).toEqual(layerBytes);
    expect(await collect(repo.fetchBlob(layer))).toEqual(layerBytes);
    const attached = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: {} }, descriptor);
    expect(attached.via).toBe('tag');
    expect((await repo.referrers(descriptor.digest)).descriptors.map((d) => d.digest)).toEqual([attached.descriptor.digest]);

    const made = tokens.requests.slice(before);
    expect(made.every((r) => r.method === 'GET' && r.status === 200 && r.user === 'bob' && r.authorization && r.service === registry.service)).toBe(true);
    const scopes = made.map((r) => r.scopes.join(' ')).sort();
    expect(scopes).toEqual([`repository:${name}:pull`, `repository:${name}:pull,push`]);
  });

  it('a token service that answers without a usable token is AUTH_FAILED, never a crash', async () => {
    const tokens = registry.tokenServer!;
    onTestFinished(() => tokens.answerWith(undefined));
    for (const [body, message] of [
      ['<html>maintenance</html>', /not JSON/],
      ['null', /without a token/],
      ['{"token": 5}', /without a token/],
      ['{"token": "", "access_token": {}}', /without a token/],
      [`{"token": "${'x'.repeat(2 * 1024 * 1024)}"}`, /not JSON/],
    ] as const) {
      tokens.answerWith(body);
      const failure = await rejection(repoAt(registry.host, 'tok/model', basicCreds('bob', 'builder')).fetchManifest('v1'));
      expect(failure, body.slice(0, 40)).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED', message: expect.stringMatching(message) });
    }
    // A token service that stops mid-answer is a network failure, not a token that is not JSON.
    tokens.answerWith('{"token": "abc', true);
    const quick = new RegistryRepository(parseReference(`${registry.host}/tok/model:v1`), { credentials: basicCreds('bob', 'builder'), timeouts: { bodyMs: 300 } });
    expect(await rejection(quick.fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'NETWORK', message: expect.stringContaining('the registry stopped sending') });
    // A token whose lifetime is not a number is used, and reused, for the spec's default 60 s.
    tokens.answerWith(JSON.stringify({ token: tokens.issue({ access: [{ type: 'repository', name: 'tok/model', actions: ['pull'] }] }), expires_in: 'soon' }));
    const repo = repoAt(registry.host, 'tok/model', basicCreds('bob', 'builder'));
    const before = tokens.requests.length;
    for (let i = 0; i < 2; i += 1) expect(await rejection(repo.fetchManifest('no-such-tag'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(tokens.requests.length - before).toBe(1);
  });

  it('fails with AUTH_FAILED anonymously and with a wrong password', async () => {
    expect(await rejection(repoAt(registry.host, 'tok/model').fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });
    expect(await rejection(repoAt(registry.host, 'tok/model', basicCreds('bob', 'wrong')).fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED' });
  });
});

// ---------------------------------------------------------------------------------------
describe('RegistryRepository against the referrers registry', () => {
  it('a redirect to something that is not a URL is REGISTRY_ERROR (remote), naming it', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'r/model');
    const { layer } = await pushSubject(repo, 'v1', 'redirect');
    reg.inject({ path: `/blobs/${layer.digest}`, method: 'GET', status: 307, location: 'http://[not-a-host' });
    expect(await rejection(collect(repo.fetchBlob(layer)))).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: expect.stringContaining('redirected to "http://[not-a-host", which is not a URL') });
  });

  it('a redirect loop is followed 5 times, then TOO_MANY_REDIRECTS (remote)', async () => {
    const reg = await startRef();
    const digest = reg.putBlob('r/model', 'looping');
    reg.inject({ path: `/blobs/${digest}`, method: 'GET', status: 307, location: `/v2/r/model/blobs/${digest}`, times: 1000 });
    expect(await rejection(collect(repoAt(reg.host, 'r/model').fetchBlob({ digest, size: 7 })))).toMatchObject({ kind: 'remote', code: 'TOO_MANY_REDIRECTS', message: `${reg.host} redirected more than 5 times` });
    // The first request and 5 redirects, each answered 307: no more.
    expect(reg.requests.filter((r) => r.path.endsWith(digest)).map((r) => r.status)).toEqual(Array(6).fill(307));
  });

  it('a redirect answered to an upload (POST, PATCH, closing PUT) or a manifest PUT is not followed: REGISTRY_ERROR naming the 307, nothing sent where it points', async () => {
    // The body of a write is not sent again to wherever a registry points: the blob host
    // (another origin) records anything that arrives.
    const reg = await startRef({ redirectBlobs: true });
    const repo = repoAt(reg.host, 'r/model');
    const elsewhere = `${reg.blobHost!.url}/blobstore/elsewhere?sig=1`;
    const small = Buffer.from('a small upload');
    const big = Buffer.alloc(CHUNK_BYTES + 1, 7);
    const cases: [string, string, () => Promise<unknown>, string][] = [
      ['POST', '/v2/r/model/blobs/uploads/', () => pushBytes(repo, small), `starting an upload of ${sha256(small)}: the registry answered 307`],
      ['PATCH', '/v2/r/model/blobs/uploads/', () => pushBytes(repo, big), `uploading ${sha256(big)}: the registry answered 307`],
      ['PUT', '/v2/r/model/blobs/uploads/', () => pushBytes(repo, small), `finishing the upload of ${sha256(small)}: the registry answered 307`],
      ['PUT', '/v2/r/model/manifests/v1', () => repo.pushManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] })), OCI_INDEX, 'v1'), `pushing manifest oci://${reg.host}/r/model:v1: the registry answered 307`],
    ];
    for (const [method, path, write, message] of cases) {
      reg.inject({ path, method, status: 307, location: elsewhere });
      expect(await rejection(write()), `${method} ${path}`).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: expect.stringContaining(message) });
    }
    expect(reg.requests.filter((r) => r.status === 307).map((r) => `${r.method} ${r.path.replace(/uploads\/.+$/, 'uploads/ID')}`)).toEqual([
      'POST /v2/r/model/blobs/uploads/',
      'PATCH /v2/r/model/blobs/uploads/ID',
      'PUT /v2/r/model/blobs/uploads/ID',
      'PUT /v2/r/model/manifests/v1',
    ]);
    expect(reg.blobHost!.requests).toEqual([]);
    expect(reg.hasBlob('r/model', sha256(small))).toBe(false);
    expect(reg.tags('r/model')).toEqual([]);
  });

  it('a 201 to an upload POST that asked for no mount is not taken for a stored blob: REGISTRY_ERROR naming the 201', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'r/model');
    const bytes = Buffer.from('not stored by a 201');
    reg.inject({ path: '/v2/r/model/blobs/uploads/', method: 'POST', status: 201 });
    expect(await rejection(pushBytes(repo, bytes))).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: expect.stringContaining(`starting an upload of ${sha256(bytes)}: the registry answered 201`) });
    expect(reg.hasBlob('r/model', sha256(bytes))).toBe(false);
  });

  it('a Bearer challenge whose realm is not a URL is AUTH_FAILED, naming the realm', async () => {
    const tokens = await startTokenServer();
    onTestFinished(() => tokens.stop());
    const reg = await startRef({ auth: { token: tokens, realm: 'not a url' } });
    expect(await rejection(repoAt(reg.host, 'r/model').fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED', message: expect.stringContaining('realm "not a url" is not a URL') });
  });

  it('answers the Bearer challenge among several (RFC 7235), in one WWW-Authenticate field or in separate ones', async () => {
    // `Bearer realm=...,service=...,scope=..., Basic realm="basic-realm"` had its Bearer realm
    // read as "basic-realm" (the parameter pattern ran on into the next challenge), and of
    // separate fields only the first (here Basic) was read: both failed as AUTH_FAILED.
    const tokens = await startTokenServer({ anonymous: true });
    onTestFinished(() => tokens.stop());
    for (const alsoBasic of ['after-in-same-field', 'before-in-own-field'] as const) {
      const reg = await startRef({ auth: { token: tokens, alsoBasic } });
      const digest = reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
      const before = tokens.requests.length;
      expect((await repoAt(reg.host, 'r/model').fetchManifest('v1')).descriptor.digest, alsoBasic).toBe(digest);
      expect(reg.requests.map((r) => [r.status, r.authorizationScheme]), alsoBasic).toEqual([[401, undefined], [200, 'Bearer']]);
      expect(tokens.requests.slice(before).map((r) => [r.service, r.scopes, r.status]), alsoBasic).toEqual([[tokens.service, ['repository:r/model:pull'], 200]]);
    }
  });

  it('retries a busy token service (429/503) after its Retry-After; still busy after the retries, TOKEN_SERVICE_UNAVAILABLE, not refused credentials', async () => {
    // A 503 or 429 from the token service was taken for a refusal at once: AUTH_FAILED,
    // "refused anonymous access ... (503)", with no retry.
    for (const status of [503, 429]) {
      const tokens = await startTokenServer({ anonymous: true, busy: { status, times: 2, retryAfter: 1 } });
      onTestFinished(() => tokens.stop());
      const reg = await startRef({ auth: { token: tokens } });
      const digest = reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
      const started = Date.now();
      expect((await repoAt(reg.host, 'r/model').fetchManifest('v1')).descriptor.digest).toBe(digest);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(tokens.requests.map((r) => r.status)).toEqual([status, status, 200]);
    }
    const tokens = await startTokenServer({ anonymous: true, busy: { status: 429, times: 100, retryAfter: 0 } });
    onTestFinished(() => tokens.stop());
    const reg = await startRef({ auth: { token: tokens } });
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    expect(await rejection(repoAt(reg.host, 'r/model', anonymous, 2).fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'TOKEN_SERVICE_UNAVAILABLE', message: `the token service ${tokens.url} rate-limits us (429, 3 tries); try again later` });
    expect(tokens.requests).toHaveLength(3);
  }, 20_000);

  it('renews a Bearer token that has expired rather than sending it again (no 401 round trip)', async () => {
    const tokens = await startTokenServer({ users: { u: 'p' }, expiresIn: 300 });
    onTestFinished(() => tokens.stop());
    const reg = await startRef({ auth: { token: tokens } });
    const digest = reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const repo = repoAt(reg.host, 'r/model', basicCreds('u', 'p'));
    expect((await repo.fetchManifest('v1')).descriptor.digest).toBe(digest);
    expect((await repo.fetchManifest('v1')).descriptor.digest).toBe(digest);
    // 401 (the challenge), then the token, reused while it is valid.
    expect(reg.requests.map((r) => r.status)).toEqual([401, 200, 200]);
    expect(tokens.requests.map((r) => r.status)).toEqual([200]);
    // An hour later (the clock of the client, the registry and the token service alike), the
    // token has expired: a new one is fetched before the request, which the registry takes.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3600_000 });
    onTestFinished(() => void vi.useRealTimers());
    expect((await repo.fetchManifest('v1')).descriptor.digest).toBe(digest);
    expect(reg.requests.map((r) => r.status)).toEqual([401, 200, 200, 200]);
    expect(tokens.requests.map((r) => [r.user, r.status])).toEqual([['u', 200], ['u', 200]]);
  });

  it('refuses a referrers list that is not an image index with MANIFEST_INVALID (remote), naming the problem', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'r/model');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'bad-referrers');
    const cases: [string, RegExp][] = [
      ['<html>not json</html>', /are not JSON/],
      ['null', /is not a JSON object/],
      [JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX }), /has no manifests array/],
      [JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: BUNDLE_TYPE, size: 3 }] }), /manifests\[0\] whose digest undefined is not a digest/],
      [JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: BUNDLE_TYPE, digest: subject.digest, size: '3' }] }), /manifests\[0\] whose size "3" is not a byte count/],
      [JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: BUNDLE_TYPE, digest: subject.digest, size: 3, annotations: { a: 1 } }] }), /manifests\[0\] with annotations that are not a map of strings/],
    ];
    for (const [body, message] of cases) {
      reg.corruptReferrers('r/model', subject.digest, body);
      expect(await rejection(repo.referrers(subject.digest)), body).toMatchObject({ kind: 'remote', code: 'MANIFEST_INVALID', message: expect.stringMatching(message) });
    }
    // Pages that link back to themselves are refused, not followed 1,000 times or cut short.
    const page = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    reg.corruptReferrers('r/model', subject.digest, page, { link: `</v2/r/model/referrers/${subject.digest}>; rel="next"` });
    expect(await rejection(repo.referrers(subject.digest))).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: expect.stringContaining('the pages loop back to') });
    // A next page that is no URL is the registry's failure, named, not a network error.
    reg.corruptReferrers('r/model', subject.digest, page, { link: '<http://[bad/v2/next>; rel="next"' });
    const badLink = await rejection(repo.referrers(subject.digest));
    expect(badLink).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR' });
    expect((badLink as Error).message).toBe(`the referrers of ${subject.digest} in oci://${reg.host}/r/model: the next page's Link "http://[bad/v2/next" is not a URL`);
  });

  it('refuses a referrers list whose pages add up to over 64 MiB (REGISTRY_ERROR), each page under the manifest limit', async () => {
    const reg = await startRef({ pageSize: 3 });
    const subjectBytes = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const subject = reg.putManifest('r/model', 'v1', subjectBytes);
    // 60 referrers with 1.3 MB of annotations each: 20 pages of about 3.9 MB, 78 MB in all.
    const padding = 'x'.repeat(1_300_000);
    for (let i = 0; i < 60; i += 1) {
      reg.putManifest('r/model', undefined, { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE, config: EMPTY_CONFIG, layers: [], subject: { mediaType: OCI_MANIFEST, digest: subject, size: subjectBytes.length }, annotations: { i: String(i), padding } });
    }
    expect(await rejection(repoAt(reg.host, 'r/model').referrers(subject))).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: `the referrers of ${subject} in oci://${reg.host}/r/model take over ${64 * 1024 * 1024} bytes` });
    // Refused at the page that passes the bound (the 18th), not after reading all 20.
    expect(reg.requests.filter((r) => r.path.includes('/referrers/'))).toHaveLength(18);
  });

  it('lists referrers through the API across pages, filtered by artifact type (via api)', async () => {
    const reg = await startRef({ pageSize: 2 });
    const repo = repoAt(reg.host, 'r/model');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'paged');
    const layer = await pushBytes(repo, Buffer.from('sig'), BUNDLE_TYPE);
    const bundles: Descriptor[] = [];
    const others: Descriptor[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { i: String(i) } }, subject);
      expect(r.via).toBe('api');
      bundles.push(r.descriptor);
    }
    for (let i = 0; i < 2; i += 1) others.push((await attachArtifact(repo, { artifactType: NOTATION_TYPE, layers: [layer], annotations: { j: String(i) } }, subject)).descriptor);

    const before = reg.requests.length;
    const all = await repo.referrers(subject.digest);
    expect(all.via).toBe('api');
    expect(all.descriptors.map((d) => d.digest)).toEqual([...bundles, ...others].map((d) => d.digest));
    expect(all.descriptors[0]).toEqual({ mediaType: OCI_MANIFEST, digest: bundles[0]!.digest, size: bundles[0]!.size, artifactType: BUNDLE_TYPE, annotations: { i: '0' } });
    expect(reg.requests.slice(before).filter((r) => r.path.includes('/referrers/'))).toHaveLength(4); // 7 in pages of 2

    const filtered = await repo.referrers(subject.digest, BUNDLE_TYPE);
    expect(filtered.via).toBe('api');
    expect(filtered.descriptors.map((d) => d.digest)).toEqual(bundles.map((d) => d.digest));
    const referrerCalls = reg.requests.filter((r) => r.path.includes('/referrers/')).slice(-3);
    expect(referrerCalls.every((r) => r.search.includes(`artifactType=${encodeURIComponent(BUNDLE_TYPE)}`))).toBe(true);
    expect(await repo.referrers(sha256('nothing refers to this'))).toEqual({ descriptors: [], via: 'api' });
  });

  it('follows a next-page Link sent after a rel="first" one, in the same Link field or in a field of its own (RFC 8288)', async () => {
    // Only the first field was read: a rel="next" in a second one was missed and the list
    // silently ended after page 1 (discover printed 0 signatures when page 1 was empty).
    for (const firstLink of ['own-field', 'same-field'] as const) {
      const reg = await startRef({ pageSize: 2, referrersLinks: { firstLink } });
      const repo = repoAt(reg.host, 'r/model');
      const { descriptor: subject } = await pushSubject(repo, 'v1', `two links, ${firstLink}`);
      const layer = await pushBytes(repo, Buffer.from('sig'), BUNDLE_TYPE);
      const attached: string[] = [];
      for (let i = 0; i < 5; i += 1) attached.push((await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { i: String(i) } }, subject)).descriptor.digest);
      const listed = await repo.referrers(subject.digest, BUNDLE_TYPE);
      expect(listed.descriptors.map((d) => d.digest), firstLink).toEqual(attached);
      expect(reg.requests.filter((r) => r.path.includes('/referrers/')).map((r) => r.search.replace(/^.*_page=/, '')), firstLink).toEqual([`?artifactType=${encodeURIComponent(BUNDLE_TYPE)}`, '2', '4']);
    }
  });

  it('resolves a relative next-page Link (<?_page=2>) against the page it came from, not the registry root', async () => {
    // `<?_page=2>` was resolved against the registry's root: GET /?_page=2, a 404, instead of
    // the referrers path with the new query (RFC 3986 5.2.2).
    const reg = await startRef({ pageSize: 2, referrersLinks: { relative: true } });
    const repo = repoAt(reg.host, 'r/model');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'relative links');
    const layer = await pushBytes(repo, Buffer.from('sig'), BUNDLE_TYPE);
    const attached: string[] = [];
    for (let i = 0; i < 5; i += 1) attached.push((await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { i: String(i) } }, subject)).descriptor.digest);
    const before = reg.requests.length;
    expect((await repo.referrers(subject.digest)).descriptors.map((d) => d.digest)).toEqual(attached);
    expect(reg.requests.slice(before).map((r) => `${r.path}${r.search}`)).toEqual(['', '?_page=2', '?_page=4'].map((q) => `/v2/r/model/referrers/${subject.digest}${q}`));
    // A relative Link back to the page itself is the same page: refused as a loop, named absolutely.
    const page = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    reg.corruptReferrers('r/model', subject.digest, page, { link: `<./${subject.digest}>; rel="next"` });
    expect(await rejection(repo.referrers(subject.digest))).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR', message: expect.stringContaining(`the pages loop back to http://${reg.host}/v2/r/model/referrers/${subject.digest}`) });
  });

  it('filters by artifact type on the client when the registry ignores the filter', async () => {
    const reg = await startRef({ pageSize: 3, filterArtifactType: false });
    const repo = repoAt(reg.host, 'r/model');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'unfiltered');
    const layer = await pushBytes(repo, Buffer.from('sig'), BUNDLE_TYPE);
    const wanted: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      wanted.push((await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { i: String(i) } }, subject)).descriptor.digest);
      await attachArtifact(repo, { artifactType: NOTATION_TYPE, layers: [layer], annotations: { i: String(i) } }, subject);
    }
    const filtered = await repo.referrers(subject.digest, BUNDLE_TYPE);
    expect(filtered.via).toBe('api');
    expect(filtered.descriptors.map((d) => d.digest)).toEqual(wanted);
  });

  it('the fallback tag of a sha512 subject is truncated as the referrers tag schema says, so attach and list work without the referrers API', async () => {
    // distribution-spec "Referrers Tag Schema": algorithm cut to 32 characters, encoded part to
    // 64, characters a tag may not hold replaced by '-'. `sha512-<128 hex>` (135 characters) was
    // sent as it was: over the 128 a tag may have, refused with 400 MANIFEST_INVALID.
    const hex512 = 'a'.repeat(128);
    expect(fallbackTag(`sha256:${'b'.repeat(64)}`)).toBe(`sha256-${'b'.repeat(64)}`);
    expect(fallbackTag(`sha512:${hex512}`)).toBe(`sha512-${'a'.repeat(64)}`);
    expect(fallbackTag(`${'x'.repeat(40)}+b64u:AB=c${'d'.repeat(70)}`)).toBe(`${'x'.repeat(32)}-AB-c${'d'.repeat(60)}`);

    const reg = await startRef({ referrersApi: false });
    const repo = repoAt(reg.host, 'r/model');
    const layer = await pushBytes(repo, Buffer.from('weights'), WEIGHT_RAW);
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [layer] }));
    await repo.pushBlob(EMPTY_CONFIG, () => Readable.from([Buffer.from('{}')]));
    const digest = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
    await repo.pushManifest(bytes, OCI_MANIFEST, digest);
    const subject: Descriptor = { mediaType: OCI_MANIFEST, digest, size: bytes.length };
    const bundle = await pushBytes(repo, Buffer.from('bundle'), BUNDLE_TYPE);
    const attached = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [bundle], annotations: {} }, subject);
    expect(attached.via).toBe('tag');
    expect(reg.tags('r/model')).toEqual([`sha512-${digest.slice(7, 71)}`]);
    const listed = await repo.referrers(digest, BUNDLE_TYPE);
    expect(listed).toMatchObject({ via: 'tag', descriptors: [{ digest: attached.descriptor.digest }] });
  });

  it('attachArtifact sees OCI-Subject (via api) and creates no fallback tag', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'r/model');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'api attach');
    const layer = await pushBytes(repo, Buffer.from('bundle bytes'), BUNDLE_TYPE);
    const result = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { a: '1' } }, subject);
    expect(result.via).toBe('api');
    expect(reg.tags('r/model')).toEqual(['v1']);
    expect(reg.requests.some((r) => r.path.includes(fallbackTag(subject.digest)))).toBe(false);
    expect(reg.referrers('r/model', subject.digest)).toEqual([{ mediaType: OCI_MANIFEST, digest: result.descriptor.digest, size: result.descriptor.size, artifactType: BUNDLE_TYPE, annotations: { a: '1' } }]);
    expect(reg.hasBlob('r/model', EMPTY_CONFIG.digest)).toBe(true);
  });

  it('retries a 429 after its Retry-After (1 s) and succeeds', async () => {
    const reg = await startRef();
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    reg.inject({ path: '/manifests/v1', method: 'GET', status: 429, retryAfter: 1 });
    const started = Date.now();
    const fetched = await repoAt(reg.host, 'r/model').fetchManifest('v1');
    const elapsed = Date.now() - started;
    expect(fetched.descriptor.digest).toBe(reg.getManifest('r/model', 'v1')!.digest);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(reg.requests.filter((r) => r.path === '/v2/r/model/manifests/v1').map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries 503 twice then succeeds; gives up with REGISTRY_ERROR when retries run out', async () => {
    const reg = await startRef();
    const bytes = Buffer.from('retried blob');
    const digest = reg.putBlob('r/model', bytes);
    reg.inject({ path: `/blobs/${digest}`, method: 'GET', status: 503, times: 2 });
    expect(await collect(repoAt(reg.host, 'r/model').fetchBlob({ digest, size: bytes.length }))).toEqual(bytes);
    expect(reg.requests.filter((r) => r.path.endsWith(digest)).map((r) => r.status)).toEqual([503, 503, 200]);

    reg.inject({ path: '/manifests/gone', method: 'GET', status: 503, times: 10 });
    const err = await rejection(repoAt(reg.host, 'r/model', anonymous, 1).fetchManifest('gone'));
    expect(err).toMatchObject({ kind: 'remote', code: 'REGISTRY_ERROR' });
    expect(reg.requests.filter((r) => r.path.endsWith('/manifests/gone'))).toHaveLength(2);
  });

  it('a silent registry or a stalled download fails as NETWORK (exit 3) after its timeout, instead of waiting 5 minutes per try', async () => {
    const reg = await startRef();
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const quick = (): RegistryRepository => new RegistryRepository(parseReference(`${reg.host}/r/model:v1`), { credentials: anonymous, timeouts: { headersMs: 300, bodyMs: 300 } });
    // No answer once: the one retry a silence gets succeeds.
    reg.inject({ path: '/manifests/v1', method: 'GET', status: 0, silent: true });
    expect((await quick().fetchManifest('v1')).descriptor.digest).toBe(reg.getManifest('r/model', 'v1')!.digest);
    // No answer at all: two tries of 0.3 s each, not the five a dropped connection gets. (Were
    // the timeouts not applied, each try would wait undici's 5 minutes: this test's 30 s fails it.)
    reg.inject({ path: '/manifests/v1', method: 'GET', status: 0, silent: true, times: 10 });
    const silent = await rejection(quick().fetchManifest('v1'));
    expect(silent).toMatchObject({ kind: 'remote', code: 'NETWORK', message: expect.stringContaining('no answer within 0.3 s') });
    expect(reg.requests.filter((r) => r.path === '/v2/r/model/manifests/v1' && r.faulted)).toHaveLength(3);
    // Half a blob, then nothing: undici's BodyTimeoutError was an internal error (exit 2).
    const bytes = randomBytes(200_000);
    const digest = reg.putBlob('r/model', bytes);
    reg.stallBlob(digest);
    const stalled = await rejection(collect(quick().fetchBlob({ digest, size: bytes.length })));
    expect(stalled).toMatchObject({ kind: 'remote', code: 'NETWORK', message: expect.stringMatching(new RegExp(`reading blob ${digest} of .*: the registry stopped sending \\(UND_ERR_BODY_TIMEOUT\\)`)) });
  }, 30_000);

  it('a manifest sent a byte at a time, for ever, fails as NETWORK once its read deadline passes, naming it', async () => {
    // A space every 200 ms never leaves a gap of bodyMs between chunks: without a deadline on
    // the whole read, the command ran as long as the registry kept trickling (a README promise
    // broken: a silent registry fails "instead of hanging").
    const reg = await startRef();
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    reg.trickleManifest('r/model', 'v1', 200);
    const repo = new RegistryRepository(parseReference(`${reg.host}/r/model:v1`), { credentials: anonymous, timeouts: { bodyMs: 1000, readMs: 1500 } });
    const started = Date.now();
    expect(await rejection(repo.fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'NETWORK', message: `reading manifest oci://${reg.host}/r/model:v1: not all of it arrived within 1.5 s, too slowly to wait for` });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 20_000);

  it('a blob sent a byte at a time fails as NETWORK once a window passes with fewer bytes than the floor rate, naming it; at the floor rate it arrives whole', async () => {
    // A byte every 100 ms never leaves a gap of bodyMs, and a blob may be of any size, so no
    // deadline fits it: the read ran as long as the registry kept dripping.
    const reg = await startRef();
    const bytes = randomBytes(200);
    const digest = reg.putBlob('r/model', bytes);
    reg.dripBlob(digest, 100);
    const slow = (bytesPerSecond: number) =>
      new RegistryRepository(parseReference(`${reg.host}/r/model:v1`), { credentials: anonymous, timeouts: { bodyMs: 1000, lowSpeed: { bytesPerSecond, windowMs: 1000 } } });
    const started = Date.now();
    const failure = await rejection(collect(slow(50).fetchBlob({ digest, size: bytes.length })));
    expect(failure).toMatchObject({ kind: 'remote', code: 'NETWORK', message: expect.stringMatching(new RegExp(`^reading blob ${digest} of oci://${reg.host}/r/model:v1: the registry sent \\d+ bytes in 1\\.\\d s, slower than 50 bytes a second$`)) });
    expect(Date.now() - started).toBeLessThan(5000);
    // Above the floor (10 bytes a second against 5), a blob arrives whole.
    const small = randomBytes(12);
    const smallDigest = reg.putBlob('r/model', small);
    reg.dripBlob(smallDigest, 100);
    expect(await collect(slow(5).fetchBlob({ digest: smallDigest, size: small.length }))).toEqual(small);
  }, 20_000);

  it('does not carry Authorization to the host a blob GET redirects to, and verifies the redirected bytes', async () => {
    const reg = await startRef({ redirectBlobs: true, auth: { basic: { u: 'p' } } });
    const bytes = Buffer.from('bytes served by the storage host\n'.repeat(50));
    const digest = reg.putBlob('r/model', bytes);
    const repo = repoAt(reg.host, 'r/model', basicCreds('u', 'p'));
    expect(await collect(repo.fetchBlob({ digest, size: bytes.length }))).toEqual(bytes);
    const redirected = reg.requests.filter((r) => r.method === 'GET' && r.status === 307);
    expect(redirected).toHaveLength(1);
    expect(redirected[0]).toMatchObject({ authorization: true, authorizationScheme: 'Basic' });
    expect(reg.blobHost!.requests).toHaveLength(1);
    expect(reg.blobHost!.requests[0]).toMatchObject({ method: 'GET', authorization: false, status: 200 });

    // Bytes from the other host are checked too.
    reg.corruptBlob(digest);
    expect(await rejection(collect(repo.fetchBlob({ digest, size: bytes.length })))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });
    expect(reg.blobHost!.requests.every((r) => !r.authorization)).toBe(true);
  });

  it('does not carry Authorization to the same IP on another port either', async () => {
    const reg = await startRef({ redirectBlobs: { host: '127.0.0.1', rejectAuthorization: true }, auth: { basic: { u: 'p' } } });
    const digest = reg.putBlob('r/model', 'same ip, other port');
    const repo = repoAt(reg.host, 'r/model', basicCreds('u', 'p'));
    expect((await collect(repo.fetchBlob({ digest, size: 19 }))).toString()).toBe('same ip, other port');
    expect(reg.blobHost!.requests.map((r) => [r.authorization, r.status])).toEqual([[false, 200]]);
  });

  it('takes no challenge from the host a blob GET redirects to: AUTH_FAILED naming it, which never sees the credentials or a token', async () => {
    // The registry's own challenge names a token service on another host, as Docker Hub's
    // names auth.docker.io: that one still gets the credentials.
    const tokens = await startTokenServer({ users: { u: 'p' } });
    onTestFinished(() => tokens.stop());
    const reg = await startRef({ redirectBlobs: { challenge: true }, auth: { token: tokens } });
    const manifest = reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const digest = reg.putBlob('r/model', 'stored behind a fishing host');
    const repo = repoAt(reg.host, 'r/model', basicCreds('u', 'p'));
    expect((await repo.fetchManifest('v1')).descriptor.digest).toBe(manifest);
    expect(tokens.requests.map((r) => [r.user, r.status])).toEqual([['u', 200]]);
    // An anonymous registry, credentials at hand: the storage host's 401 is the first of its send.
    const open = await startRef({ redirectBlobs: { challenge: true } });
    open.putBlob('r/model', 'stored behind a fishing host');
    const openRepo = repoAt(open.host, 'r/model', basicCreds('u', 'p'));
    for (const [registry, client] of [[reg, repo], [open, openRepo]] as const) {
      const outcomes = [await settled(collect(client.fetchBlob({ digest, size: 28 }))), await settled(collect(client.fetchBlob({ digest, size: 28 })))];
      // Its realm (itself) was never asked for a token, and nothing carried Authorization there.
      expect(registry.blobHost!.requests.map((r) => `${r.method} ${r.path} ${r.authorization} ${r.status}`)).toEqual(Array(2).fill(`GET /blobstore/${digest} false 401`));
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED', message: expect.stringContaining(`${registry.blobHost!.url}, where ${registry.host} sent the request, asks for credentials (401)`) });
      }
    }
    expect(tokens.requests).toHaveLength(1);
  });

  it('sends no Authorization to the registry host name under another scheme or port, whether a redirect, a next-page Link or an upload Location points there', async () => {
    // The registry also speaks HTTPS on its port: https://127.0.0.1:PORT has the same URL.host
    // as http://127.0.0.1:PORT but is another origin. Its certificate is trusted here, so a
    // request that goes there arrives and is recorded.
    const reg = await startRef({ tls: true, redirectBlobs: { host: '127.0.0.1' }, auth: { basic: { u: 'p' } } });
    const previous = getGlobalDispatcher();
    const trusting = new Agent({ connect: { ca: reg.tlsCa! } });
    setGlobalDispatcher(trusting);
    onTestFinished(async () => {
      setGlobalDispatcher(previous);
      await trusting.destroy();
    });
    const repo = repoAt(reg.host, 'r/model', basicCreds('u', 'p'));
    const { descriptor: subject, layer } = await pushSubject(repo, 'v1', 'origins');
    expect(new URL(reg.httpsUrl!).host).toBe(reg.host);
    const emptyPage = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    for (const other of [reg.httpsUrl!, reg.blobHost!.url]) {
      const arrived = (): { authorization: boolean }[] => (other === reg.httpsUrl ? reg.requests.filter((r) => r.scheme === 'https') : reg.blobHost!.requests);
      reg.inject({ path: `/blobs/${layer.digest}`, method: 'GET', status: 307, location: `${other}/v2/r/model/blobs/${layer.digest}` });
      reg.corruptReferrers('r/model', subject.digest, emptyPage, { link: `<${other}/v2/r/model/referrers/${subject.digest}?_page=1>; rel="next"` });
      reg.inject({ path: '/v2/r/model/blobs/uploads/', method: 'POST', status: 202, location: `${other}/v2/r/model/blobs/uploads/elsewhere` });
      const outcomes = [await settled(collect(repo.fetchBlob(layer))), await settled(repo.referrers(subject.digest)), await settled(pushBytes(repo, Buffer.from(`upload towards ${other}`)))];
      expect(arrived().map((r) => r.authorization), other).toEqual([false, false, false]);
      // Each is refused; the HTTPS side wants credentials it is not given, and is named.
      for (const outcome of outcomes) expect(outcome).toBeInstanceOf(ModelsignError);
      if (other === reg.httpsUrl) for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'remote', code: 'AUTH_FAILED', message: expect.stringContaining(`${reg.httpsUrl}, where ${reg.host} sent the request`) });
      // The blob host serves only its own signed /blobstore/ paths: each request, sent there
      // without the credentials, is answered 404, and reported as such.
      else {
        expect(reg.blobHost!.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
          `GET /v2/r/model/blobs/${layer.digest} 404`,
          `GET /v2/r/model/referrers/${subject.digest} 404`,
          'PUT /v2/r/model/blobs/uploads/elsewhere 404',
        ]);
        expect(outcomes).toEqual([
          expect.objectContaining({ kind: 'remote', code: 'NOT_FOUND', message: `blob ${layer.digest}: the registry answered 404` }),
          expect.objectContaining({ kind: 'remote', code: 'NOT_FOUND', message: `listing referrers of ${subject.digest}: the registry answered 404` }),
          expect.objectContaining({ kind: 'remote', code: 'NOT_FOUND', message: `finishing the upload of ${sha256(`upload towards ${other}`)}: the registry answered 404` }),
        ]);
      }
    }
  });

  describe('a registry reached over HTTPS is never left for plain HTTP (HTTPS_DOWNGRADE, remote)', () => {
    // The registry is reached as registry.test:PORT, a name that is not loopback, so over
    // HTTPS; the plain-HTTP places it names (its blob storage, an upload location, a
    // next-page link, a token service) are servers of their own that record every request.
    async function overTls(options: ReferrersRegistryOptions): Promise<{ reg: ReferrersRegistry; name: string; repo: RegistryRepository }> {
      const reg = await startRef({ tls: true, ...options });
      const previous = getGlobalDispatcher();
      const trusting = new Agent({ connect: { ca: reg.tlsCa!, ...resolvingToLoopback } });
      setGlobalDispatcher(trusting);
      onTestFinished(async () => {
        setGlobalDispatcher(previous);
        await trusting.destroy();
      });
      const name = `${TLS_REGISTRY_NAME}:${new URL(reg.url).port}`;
      return { reg, name, repo: repoAt(name, 'r/model') };
    }

    it('a blob redirect to plain HTTP is refused before any request goes there; from the plain-HTTP side it is followed', async () => {
      const { reg, name, repo } = await overTls({ redirectBlobs: true });
      const { layer, layerBytes } = await pushSubject(repo, 'v1', 'downgrade');
      expect(new Set(reg.requests.map((r) => r.scheme))).toEqual(new Set(['https']));
      const err = await rejection(collect(repo.fetchBlob(layer)));
      expect(err).toMatchObject({ kind: 'remote', code: 'HTTPS_DOWNGRADE' });
      expect(err.message).toBe(`${name} redirected GET /v2/r/model/blobs/${layer.digest} from HTTPS to plain HTTP (${reg.blobHost!.url}); refused: the registry's storage should be served over HTTPS`);
      expect(reg.blobHost!.requests).toEqual([]);
      // The same redirect from the registry's plain-HTTP side is no downgrade: followed, bytes checked.
      expect(await collect(repoAt(reg.host, 'r/model').fetchBlob(layer))).toEqual(layerBytes);
      expect(reg.blobHost!.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200']);
    });

    it('an upload location or a next-page link on plain HTTP is refused: no byte of the upload, and no request, goes there', async () => {
      const { reg, name, repo } = await overTls({ redirectBlobs: true });
      const { descriptor: subject } = await pushSubject(repo, 'v1', 'locations');
      const plain = reg.blobHost!.url;
      reg.inject({ path: '/v2/r/model/blobs/uploads/', method: 'POST', status: 202, location: `${plain}/v2/r/model/blobs/uploads/elsewhere` });
      const emptyPage = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
      reg.corruptReferrers('r/model', subject.digest, emptyPage, { link: `<${plain}/v2/r/model/referrers/${subject.digest}?_page=1>; rel="next"` });
      const upload = await rejection(pushBytes(repo, Buffer.from('weights that must not cross in clear')));
      const listing = await rejection(repo.referrers(subject.digest));
      expect(upload).toMatchObject({ kind: 'remote', code: 'HTTPS_DOWNGRADE', message: `${name}, reached over HTTPS, named plain HTTP (${plain}) for PUT /v2/r/model/blobs/uploads/elsewhere (an upload location or a next-page link); refused: the registry should keep to HTTPS` });
      expect(listing).toMatchObject({ kind: 'remote', code: 'HTTPS_DOWNGRADE', message: expect.stringContaining(`named plain HTTP (${plain}) for GET /v2/r/model/referrers/${subject.digest}`) });
      expect(reg.blobHost!.requests).toEqual([]);
    });

    it('a token service on plain HTTP is refused before the credentials are even looked up', async () => {
      const tokens = await startTokenServer({ users: { u: 'p' } });
      onTestFinished(() => tokens.stop());
      const { name } = await overTls({ auth: { token: tokens } });
      let lookedUp = 0;
      const repo = repoAt(name, 'r/model', async () => {
        lookedUp += 1;
        return { kind: 'basic', username: 'u', password: 'p' };
      });
      const err = await rejection(pushBytes(repo, Buffer.from('x')));
      expect(err).toMatchObject({ kind: 'remote', code: 'HTTPS_DOWNGRADE', message: `${name}, reached over HTTPS, names its token service on plain HTTP (${new URL(tokens.url).origin}); refused: no credentials or tokens are sent or asked for there` });
      expect(tokens.requests).toEqual([]);
      expect(lookedUp).toBe(0);
    });
  });

  it('refuses a corrupted blob or a blob of the wrong size with DIGEST_MISMATCH', async () => {
    const reg = await startRef();
    const bytes = Buffer.from('original content');
    const digest = reg.putBlob('r/model', bytes);
    const repo = repoAt(reg.host, 'r/model');
    reg.corruptBlob(digest);
    expect(await rejection(collect(repo.fetchBlob({ digest, size: bytes.length })))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });
    // Longer and shorter bodies: served by a redirect target, which sends their real length
    // (the registry itself keeps the stored Content-Length).
    const redirecting = await startRef({ redirectBlobs: true });
    redirecting.putBlob('r/model', bytes);
    const viaRedirect = repoAt(redirecting.host, 'r/model');
    const what = `blob ${digest} of oci://${redirecting.host}/r/model:latest`;
    redirecting.corruptBlob(digest, Buffer.concat([bytes, Buffer.from(' and more')]));
    expect(await rejection(collect(viaRedirect.fetchBlob({ digest, size: bytes.length })))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH', message: `${what} is larger than its descriptor's ${bytes.length} bytes` });
    redirecting.corruptBlob(digest, bytes.subarray(0, 4));
    expect(await rejection(collect(viaRedirect.fetchBlob({ digest, size: bytes.length })))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH', message: `${what} has 4 bytes, its descriptor says ${bytes.length}` });
    expect(redirecting.blobHost!.requests.map((r) => r.status)).toEqual([200, 200]);
    // Far larger (8 MiB for 16 bytes): refused as soon as it passes the size, before the
    // caller is handed a byte of it, not after all of it arrived.
    redirecting.corruptBlob(digest, Buffer.alloc(8 * 1024 * 1024, 1));
    let handed = 0;
    const far = await rejection((async () => {
      for await (const chunk of viaRedirect.fetchBlob({ digest, size: bytes.length })) handed += chunk.length;
    })());
    expect(far).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH', message: `${what} is larger than its descriptor's ${bytes.length} bytes` });
    expect(handed).toBeLessThanOrEqual(bytes.length);
    expect(await rejection(collect(repo.fetchBlob({ digest: 'sha256:short', size: 1 })))).toMatchObject({ kind: 'remote', code: 'BAD_DIGEST' });
  });

  it('refuses manifests over 4 MiB, with and without Content-Length', async () => {
    const reg = await startRef();
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    reg.oversizeManifest('r/model', 'declared');
    reg.oversizeManifest('r/model', 'chunked', { size: 5 * 1024 * 1024, chunked: true });
    reg.oversizeManifest('r/model', 'just-over', { size: 4 * 1024 * 1024 + 1, chunked: true });
    const repo = repoAt(reg.host, 'r/model');
    for (const tag of ['declared', 'chunked', 'just-over']) {
      expect(await rejection(repo.fetchManifest(tag)), tag).toMatchObject({ kind: 'remote', code: 'MANIFEST_TOO_LARGE' });
    }
    // Exactly 4 MiB is still accepted.
    reg.oversizeManifest('r/model', 'at-limit', { size: 4 * 1024 * 1024, chunked: true });
    expect((await repo.fetchManifest('at-limit')).bytes.length).toBe(4 * 1024 * 1024);
  });

  it('refuses a manifest of an unknown media type with MEDIA_TYPE_UNSUPPORTED', async () => {
    const reg = await startRef();
    reg.putManifest('r/model', 'odd', { schemaVersion: 2, mediaType: 'application/vnd.example.thing.v1+json', config: EMPTY_CONFIG, layers: [] });
    reg.putManifest('r/model', 'untyped', { schemaVersion: 2, config: EMPTY_CONFIG, layers: [] }, 'application/json');
    const repo = repoAt(reg.host, 'r/model');
    expect(await rejection(repo.fetchManifest('odd'))).toMatchObject({ kind: 'remote', code: 'MEDIA_TYPE_UNSUPPORTED' });
    expect(await rejection(repo.fetchManifest('untyped'))).toMatchObject({ kind: 'remote', code: 'MEDIA_TYPE_UNSUPPORTED' });
    // Untyped JSON served as an OCI manifest is accepted by its Content-Type.
    reg.putManifest('r/model', 'typed-by-header', { schemaVersion: 2, config: EMPTY_CONFIG, layers: [] }, OCI_MANIFEST);
    expect((await repo.fetchManifest('typed-by-header')).descriptor.mediaType).toBe(OCI_MANIFEST);
  });

  it('answers NOT_FOUND (remote) for a missing tag, digest, repository or blob', async () => {
    const reg = await startRef();
    reg.putManifest('r/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const repo = repoAt(reg.host, 'r/model');
    expect(await rejection(repo.fetchManifest('v2'))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(repo.fetchManifest(sha256('missing')))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(repoAt(reg.host, 'r/other').fetchManifest('v1'))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await rejection(collect(repo.fetchBlob({ digest: sha256('missing'), size: 7 })))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    expect(await repo.blobExists(sha256('missing'))).toBe(false);
  });

  it('uploads a blob over 64 MiB in PATCH chunks with Content-Range, then a closing PUT', async () => {
    const reg = await startRef();
    const size = CHUNK_BYTES + 1;
    const bytes = Buffer.alloc(size);
    bytes.fill('modelsign chunked upload ');
    const digest = sha256(bytes);
    const repo = repoAt(reg.host, 'r/big');
    const opened: [number, number][] = [];
    await repo.pushBlob({ mediaType: 'application/octet-stream', digest, size }, (start, end) => {
      opened.push([start, end]);
      return Readable.from([bytes.subarray(start, end)]);
    });
    expect(reg.hasBlob('r/big', digest)).toBe(true);
    expect(opened).toEqual([
      [0, CHUNK_BYTES],
      [CHUNK_BYTES, size],
    ]);
    const uploads = reg.requests.filter((r) => r.path.includes('/blobs/uploads/'));
    expect(uploads.map((r) => [r.method, r.contentRange, r.bodyBytes, r.status])).toEqual([
      ['POST', undefined, 0, 202],
      ['PATCH', `0-${CHUNK_BYTES - 1}`, CHUNK_BYTES, 202],
      ['PATCH', `${CHUNK_BYTES}-${CHUNK_BYTES}`, 1, 202],
      ['PUT', undefined, 0, 201],
    ]);
  });
});

describe('attachArtifact and another writer of the sha256-<hex> index (a registry without the referrers API)', () => {
  /** The repository as it is, except that `after(n)` runs after its n-th read of `tag`, before the reader sees what was read. */
  function afterReadsOf(repo: RegistryRepository, tag: string, after: (n: number) => Promise<void>): ContentStore {
    let reads = 0;
    return new Proxy(repo, {
      get(target, prop) {
        if (prop === 'fetchManifestIfExists') {
          return async (reference: string) => {
            const found = await target.fetchManifestIfExists(reference);
            if (reference === tag) await after((reads += 1));
            return found;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** A subject, and a referrer of it that another tool pushed and records in the index itself. */
  async function subjectAndTheirs(repo: RegistryRepository): Promise<{ subject: Descriptor; layer: Descriptor; theirs: Descriptor; tag: string }> {
    const { descriptor: subject, layer } = await pushSubject(repo, 'v1', 'contended');
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: NOTATION_TYPE, config: EMPTY_CONFIG, layers: [layer], subject }));
    const theirs = { ...(await repo.pushManifest(bytes, OCI_MANIFEST)).descriptor, artifactType: NOTATION_TYPE };
    return { subject, layer, theirs, tag: fallbackTag(subject.digest) };
  }

  const putIndex = (repo: RegistryRepository, tag: string, manifests: Descriptor[]) => repo.pushManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })), OCI_INDEX, tag);
  const indexed = async (repo: RegistryRepository, tag: string): Promise<string[]> => ((await repo.fetchManifest(tag)).json as unknown as ImageIndex).manifests.map((m) => m.digest);

  it('an entry a racing writer removes after it was first seen is merged back: attach returns only once it has seen it twice', async () => {
    const reg = await startRef({ referrersApi: false });
    const repo = repoAt(reg.host, 'r/model');
    const { subject, layer, theirs, tag } = await subjectAndTheirs(repo);
    // Read 1: no index yet, ours is written. Read 2 sees ours; then the other writer, which
    // read the index before our write, lands its own, holding only its entry.
    const racing = afterReadsOf(repo, tag, async (n) => {
      if (n === 2) await putIndex(repo, tag, [theirs]);
    });
    const ours = await attachArtifact(racing, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { n: 'ours' } }, subject);
    expect(ours.via).toBe('tag');
    expect(await indexed(repo, tag)).toEqual([theirs.digest, ours.descriptor.digest]);
  });

  it('replaces the index only as it was read (If-Match on its ETag): an entry another writer added meanwhile is kept, after a 412', async () => {
    const reg = await startRef({ referrersApi: false });
    const repo = repoAt(reg.host, 'r/model');
    const { subject, layer, theirs, tag } = await subjectAndTheirs(repo);
    const first = await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { n: 'first' } }, subject);
    expect(await indexed(repo, tag)).toEqual([first.descriptor.digest]);
    // Between our read of the index and our write, the other writer adds its entry.
    const racing = afterReadsOf(repo, tag, async (n) => {
      if (n === 1) await putIndex(repo, tag, [first.descriptor, theirs]);
    });
    const ours = await attachArtifact(racing, { artifactType: BUNDLE_TYPE, layers: [layer], annotations: { n: 'ours' } }, subject);
    expect(ours.via).toBe('tag');
    expect(await indexed(repo, tag)).toEqual([first.descriptor.digest, theirs.digest, ours.descriptor.digest]);
    // Ours after the first, theirs, ours refused (the index was no longer the one read), ours again.
    expect(reg.requests.filter((r) => r.method === 'PUT' && r.path === `/v2/r/model/manifests/${tag}`).map((r) => r.status)).toEqual([201, 201, 412, 201]);
  });
});

describe('manifest digest checks (a registry that lies about digests)', () => {
  it('refuses manifest bytes that do not match the digest asked for or the one the registry claims', async () => {
    const reg = await startRef();
    const good = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] }));
    const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [], annotations: { swapped: 'yes' } }));
    const asked = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [], annotations: { asked: 'yes' } }));
    reg.putManifest('r', undefined, good);
    reg.putManifest('r', 'lying', good);
    reg.putManifest('r', undefined, asked);
    reg.putManifest('r', 'honest', other);
    reg.putManifest('r', 'no-digest-header', other);
    // Each serves `other`: by digest and by tag claiming good's digest, by digest claiming other's own (which they match), and with no digest header at all.
    reg.corruptManifest('r', sha256(good), other);
    reg.corruptManifest('r', 'lying', other);
    reg.corruptManifest('r', sha256(asked), other, { digest: sha256(other) });
    reg.corruptManifest('r', 'no-digest-header', other, { digest: null });
    // The header is really absent (else the case below would pass on a header it never lacked).
    const bare = await fetch(`${reg.url}/v2/r/manifests/no-digest-header`, { headers: { accept: OCI_MANIFEST } });
    expect([bare.status, bare.headers.has('docker-content-digest'), Buffer.from(await bare.arrayBuffer())]).toEqual([200, false, other]);
    const repo = repoAt(reg.host, 'r');
    expect(await rejection(repo.fetchManifest(sha256(good)))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });
    // The digest asked for is the one the bytes must have: a header cannot vouch for others.
    expect(await rejection(repo.fetchManifest(sha256(asked)))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH', message: expect.stringContaining(`expected ${sha256(asked)}, got ${sha256(other)}`) });
    expect(await rejection(repo.fetchManifest('lying'))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });
    expect((await repo.fetchManifest('honest')).descriptor.digest).toBe(sha256(other));
    expect((await repo.fetchManifest('no-digest-header')).descriptor.digest).toBe(sha256(other));
    expect(await rejection(repo.fetchManifest('missing'))).toMatchObject({ kind: 'remote', code: 'NOT_FOUND' });
    // A header no digest can be read from is named as the registry's header, for that manifest
    // (it was `unsupported or malformed digest "SHA256:AAAA..."`, saying neither).
    const malformed = `SHA256:${'A'.repeat(64)}`;
    reg.corruptManifest('r', 'honest', other, { digest: malformed });
    expect(await rejection(repo.fetchManifest('honest'))).toMatchObject({ kind: 'remote', code: 'BAD_DIGEST', message: `${reg.host} answered manifest oci://${reg.host}/r:honest with a Docker-Content-Digest header that is unusable: "${malformed}" is not a sha256 or sha512 digest` });
  });
});

// ---------------------------------------------------------------------------------------
describe('openOciModel and the OCI model source', () => {
  const TAR = 'application/vnd.cncf.model.weight.v1.tar';
  const TAR_GZ = 'application/vnd.cncf.model.dataset.v1.tar+gzip';
  const TAR_ZSTD = 'application/vnd.cncf.model.weight.v1.tar+zstd';
  type Layer = { bytes: Buffer; mediaType: string; annotations?: Record<string, string> };

  /** Seeds blobs and a manifest with these layers in the referrers registry; returns the reference. */
  function seedModel(reg: ReferrersRegistry, tag: string, layers: Layer[]): { reference: string; descriptors: Descriptor[] } {
    const descriptors = layers.map(({ bytes, mediaType, annotations }) => {
      const digest = reg.putBlob('models/m', bytes);
      return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
    });
    reg.putBlob('models/m', '{}');
    reg.putManifest('models/m', tag, { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: MODELPACK_ARTIFACT, config: EMPTY_CONFIG, layers: descriptors });
    return { reference: `oci://${reg.host}/models/m:${tag}`, descriptors };
  }

  /** Opens the model and lists it in a fresh node process; reports how list() ended. */
  async function listInChildProcess(reference: string): Promise<{ code: number; stderr: string; outcome: unknown }> {
    const script = join(await tempDir('modelsign-oci-child-'), 'list.mjs');
    await writeFile(
      script,
      `import { openOciModel } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/adapters/oci/index.js')).href)};
const model = await openOciModel(process.argv[2], { credentials: async () => undefined });
try {
  const listing = await model.source.list({ allowSymlinks: false, isIgnored: () => false });
  console.log(JSON.stringify({ rejected: false, files: listing.files.map((f) => f.name) }));
} catch (err) {
  console.log(JSON.stringify({ rejected: true, name: err.name, kind: err.kind, code: err.code }));
}
`,
    );
    return new Promise((resolve) => {
      execFile(process.execPath, [script, reference], { timeout: 10_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        const line = stdout.trim().split('\n').pop() ?? '';
        let outcome: unknown = line;
        try {
          outcome = JSON.parse(line);
        } catch {
          // not JSON: the process died before printing (kept as text for the failure message)
        }
        resolve({ code, stderr: stderr.slice(0, 2000), outcome });
      });
    });
  }

  it('names raw layers by filepath, then title, then media type (unique), content-addressed by the layer digest', async () => {
    const reg = await startRef();
    const weights = Buffer.from('safetensors weights');
    const config = Buffer.from('{"hidden": 8}');
    const ollamaModel = Buffer.from('gguf model blob');
    const ollamaModel2 = Buffer.from('second gguf blob');
    const license = Buffer.from('MIT');
    const { reference, descriptors } = seedModel(reg, 'raw', [
      { bytes: weights, mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: 'weights/model.safetensors', [TITLE]: 'ignored-title' } },
      { bytes: config, mediaType: 'application/octet-stream', annotations: { [TITLE]: './config.json' } },
      { bytes: ollamaModel, mediaType: 'application/vnd.ollama.image.model' },
      { bytes: ollamaModel2, mediaType: 'application/vnd.ollama.image.model' },
      { bytes: license, mediaType: 'application/vnd.ollama.image.license' },
    ]);
    const model = await openOciModel(reference, { credentials: anonymous });
    expect(model.subject.digest).toBe(reg.getManifest('models/m', 'raw')!.digest);
    expect(model.source.location).toBe(`oci://${reg.host}/models/m@${model.subject.digest}`);
    expect(model.source.modelName).toBe('m');
    expect(model.signatures).toBeInstanceOf(OciSignatureStore);

    const listing = await model.source.list(noIgnores);
    const second = `model-${descriptors[3]!.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    expect(listing.files.map((f) => [f.name, f.size, f.contentDigest])).toEqual([
      ['weights/model.safetensors', weights.length, sha256(weights)],
      ['config.json', config.length, sha256(config)],
      ['model', ollamaModel.length, sha256(ollamaModel)],
      [second, ollamaModel2.length, sha256(ollamaModel2)],
      ['license', license.length, sha256(license)],
    ]);
    expect(listing.ignored).toEqual([]);

    const seen: Record<string, string> = {};
    await model.source.stream(listing.files, async (file: ModelFile, bytes: AsyncIterable<Uint8Array>) => {
      seen[file.name] = (await collect(bytes)).toString();
    });
    expect(seen).toEqual({ 'weights/model.safetensors': 'safetensors weights', 'config.json': '{"hidden": 8}', model: 'gguf model blob', [second]: 'second gguf blob', license: 'MIT' });
    expect((await collect(model.source.read(listing.files[0]!, 4, 11))).toString()).toBe('tensors');

    const ignoring = await model.source.list({ allowSymlinks: false, isIgnored: (n: string) => n.startsWith('weights/') });
    expect(ignoring.ignored).toEqual(['weights/model.safetensors']);
    expect(ignoring.files.map((f) => f.name)).toEqual(['config.json', 'model', second, 'license']);
  });

  it('lists the entries of a tar layer and a tar+gzip layer with their sizes', async () => {
    const reg = await startRef();
    const tarLayer = await tarOf([
      { name: 'shards/', type: 'directory' },
      { name: 'shards/a.bin', content: '0123456789' },
      { name: './shards/b.bin', content: 'abc' },
    ]);
    const gzLayer = gzipSync(await tarOf([{ name: 'data/train.txt', content: 'hello' }, { name: 'data/empty', content: '' }]));
    const { reference } = seedModel(reg, 'tars', [
      { bytes: Buffer.from('raw weights'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: 'w.bin' } },
      { bytes: tarLayer, mediaType: TAR },
      { bytes: gzLayer, mediaType: TAR_GZ },
    ]);
    const model = await openOciModel(reference, { credentials: anonymous });
    const listing = await model.source.list(noIgnores);
    expect(listing.files.map((f) => [f.name, f.size])).toEqual([
      ['w.bin', 11],
      ['shards/a.bin', 10],
      ['shards/b.bin', 3],
      ['data/train.txt', 5],
      ['data/empty', 0],
    ]);
    // Listing hashes each tar entry while the layer's digest is checked: those are content
    // addresses (a forged layer fails the listing, below).
    expect(listing.files.slice(1).map((f) => f.contentDigest)).toEqual([sha256('0123456789'), sha256('abc'), sha256('hello'), sha256('')]);
  });

  it('streams the bytes of tar and tar+gzip entries', async () => {
    const reg = await startRef();
    const { reference } = seedModel(reg, 'stream', [
      { bytes: await tarOf([{ name: 'a.txt', content: 'alpha' }, { name: 'b.txt', content: 'beta' }]), mediaType: TAR },
      { bytes: gzipSync(await tarOf([{ name: 'c.txt', content: 'gamma' }])), mediaType: TAR_GZ },
    ]);
    const model = await openOciModel(reference, { credentials: anonymous });
    const listing = await model.source.list(noIgnores);
    const seen: Record<string, string> = {};
    await model.source.stream(listing.files, async (file: ModelFile, bytes: AsyncIterable<Uint8Array>) => {
      seen[file.name] = (await collect(bytes)).toString();
    });
    expect(seen).toEqual({ 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });
  });

  const ok: TarSpec = { name: 'ok.bin', content: 'fine' };
  const unsafe: [string, () => Promise<Layer[]>][] = [
    ['tar ../evil', async () => [{ bytes: await tarOf([{ name: '../evil', content: 'x' }]), mediaType: TAR }]],
    ['tar ../evil after a regular file', async () => [{ bytes: await tarOf([ok, { name: '../evil', content: 'x' }]), mediaType: TAR }]],
    ['tar a/../../evil', async () => [{ bytes: await tarOf([{ name: 'a/../../evil', content: 'x' }]), mediaType: TAR }]],
    ['tar absolute /etc/evil', async () => [{ bytes: await tarOf([{ name: '/etc/evil', content: 'x' }]), mediaType: TAR }]],
    ['tar symlink', async () => [{ bytes: await tarOf([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }]), mediaType: TAR }]],
    ['tar symlink after a regular file', async () => [{ bytes: await tarOf([ok, { name: 'link', type: 'symlink', linkname: '/etc/passwd' }]), mediaType: TAR }]],
    ['tar hard link', async () => [{ bytes: await tarOf([{ name: 'hard', type: 'link', linkname: 'ok.bin' }]), mediaType: TAR }]],
    ['tar+gzip symlink', async () => [{ bytes: gzipSync(await tarOf([{ name: 'inner', type: 'symlink', linkname: '../../x' }])), mediaType: TAR_GZ }]],
    ['tar+gzip ../evil', async () => [{ bytes: gzipSync(await tarOf([{ name: '../gz-evil', content: 'x' }])), mediaType: TAR_GZ }]],
    // The zstd process must end with the refused listing, or this process would not exit.
    ['tar+zstd ../evil after a regular file', async () => [{ bytes: zstdOf(await tarOf([ok, { name: '../zstd-evil', content: 'x' }])), mediaType: TAR_ZSTD }]],
    ['tar+zstd symlink', async () => [{ bytes: zstdOf(await tarOf([{ name: 'inner', type: 'symlink', linkname: '/etc/passwd' }])), mediaType: TAR_ZSTD }]],
    ['raw filepath ../x', async () => [{ bytes: Buffer.from('raw'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: '../x' } }]],
    ['raw title a/../../x', async () => [{ bytes: Buffer.from('raw2'), mediaType: 'application/octet-stream', annotations: { [TITLE]: 'a/../../x' } }]],
    ['raw filepath /etc/passwd', async () => [{ bytes: Buffer.from('raw3'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: '/etc/passwd' } }]],
    ['raw filepath "."', async () => [{ bytes: Buffer.from('raw4'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: '.' } }]],
    [
      'a raw file and a tar entry with the same name',
      async () => [
        { bytes: Buffer.from('raw5'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: 'ok.bin' } },
        { bytes: await tarOf([ok]), mediaType: TAR },
      ],
    ],
    [
      'a raw file that a tar entry needs as its directory',
      async () => [
        { bytes: Buffer.from('raw6'), mediaType: WEIGHT_RAW, annotations: { [FILEPATH]: 'data' } },
        { bytes: await tarOf([{ name: 'data/train.txt', content: 'x' }]), mediaType: TAR },
      ],
    ],
    [
      'a tar entry named like a directory another one lies in',
      async () => [{ bytes: await tarOf([{ name: 'data/train.txt', content: 'x' }, { name: 'data', content: 'y' }]), mediaType: TAR }],
    ],
  ];
  // Each case runs list() in a separate node process, as the CLI would: a refused layer must
  // end in a rejected promise (exit 0 here, the JSON line below), not a crash of the process.
  it.each(unsafe)('list() refuses %s with LAYER_PATH_UNSAFE (unverified), without crashing the process', async (_label, layers) => {
    const reg = await startRef();
    const { reference } = seedModel(reg, 'unsafe', await layers());
    const result = await listInChildProcess(reference);
    // (exit 13 with no output: list() never settled; a stack trace on stderr: the process crashed)
    expect(result).toEqual({ code: 0, stderr: '', outcome: { rejected: true, name: 'ModelsignError', kind: 'unverified', code: 'LAYER_PATH_UNSAFE' } });
  });

  it('reads tar+zstd layers through the zstd command, streaming, with the layer digest checked', async () => {
    const reg = await startRef();
    const big = 'w'.repeat(3 * 1024 * 1024 + 17);
    const entries = [{ name: 'w.bin', content: big }, { name: 'sub/t.txt', content: 'tokens' }];
    const { reference } = seedModel(reg, 'zstd', [{ bytes: zstdOf(await tarOf(entries)), mediaType: TAR_ZSTD }]);
    const model = await openOciModel(reference, { credentials: anonymous });
    const listing = await model.source.list(noIgnores);
    expect(listing.files.map((f) => [f.name, f.size, f.contentDigest])).toEqual(entries.map((e) => [e.name, e.content.length, sha256(e.content)]));
    const streamed = new Map<string, string>();
    await model.source.stream!(listing.files, async (file, bytes) => {
      const h = createHash('sha256');
      for await (const chunk of bytes) h.update(chunk);
      streamed.set(file.name, `sha256:${h.digest('hex')}`);
    });
    expect(Object.fromEntries(streamed)).toEqual(Object.fromEntries(entries.map((e) => [e.name, sha256(e.content)])));

    // A forged layer is a digest mismatch, as for any other layer.
    const forged = seedModel(reg, 'zstd-forged', [{ bytes: zstdOf(await tarOf([{ name: 'w.bin', content: 'aaaa' }])), mediaType: TAR_ZSTD }]);
    reg.corruptBlob(forged.descriptors[0]!.digest, zstdOf(await tarOf([{ name: 'w.bin', content: 'bbbb' }])));
    expect(await rejection((await openOciModel(forged.reference, { credentials: anonymous })).source.list(noIgnores))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });
  });

  it('names undecodable tar+zstd and tar+gzip layers (LAYER_INVALID) and a missing zstd command (ZSTD_UNAVAILABLE)', async () => {
    const reg = await startRef();
    const notZstd = seedModel(reg, 'not-zstd', [{ bytes: Buffer.from('zstd?'), mediaType: TAR_ZSTD }]);
    const zstdFailure = await rejection((await openOciModel(notZstd.reference, { credentials: anonymous })).source.list(noIgnores));
    expect(zstdFailure).toMatchObject({ kind: 'unverified', code: 'LAYER_INVALID', message: expect.stringContaining(notZstd.descriptors[0]!.digest) });
    const notGzip = seedModel(reg, 'not-gzip', [{ bytes: Buffer.from('gzip?'), mediaType: TAR_GZ }]);
    expect(await rejection((await openOciModel(notGzip.reference, { credentials: anonymous })).source.list(noIgnores))).toMatchObject({ kind: 'unverified', code: 'LAYER_INVALID' });

    const good = seedModel(reg, 'zstd-ok', [{ bytes: zstdOf(await tarOf([{ name: 'w.bin', content: 'w' }])), mediaType: TAR_ZSTD }]);
    const model = await openOciModel(good.reference, { credentials: anonymous });
    const path = process.env.PATH;
    process.env.PATH = await tempDir();
    try {
      expect(await rejection(model.source.list(noIgnores))).toMatchObject({ kind: 'usage', code: 'ZSTD_UNAVAILABLE', message: expect.stringContaining('apt-get install zstd') });
    } finally {
      process.env.PATH = path;
    }
    expect((await model.source.list(noIgnores)).files.map((f) => f.name)).toEqual(['w.bin']);
  });

  it('refuses manifests whose fields do not have the image spec types (MANIFEST_INVALID), naming the field', async () => {
    const reg = await startRef();
    const layer = { mediaType: WEIGHT_RAW, digest: reg.putBlob('models/m', 'weights'), size: 7 };
    reg.putBlob('models/m', '{}');
    const manifest = (changes: Record<string, unknown>): Record<string, unknown> => ({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [layer], ...changes });
    const cases: [string, unknown, RegExp][] = [
      ['null', null, /is not a JSON object/],
      ['schema-1', manifest({ schemaVersion: 1 }), /has schemaVersion 1, not 2/],
      ['no-layers', manifest({ layers: undefined }), /has no layers array/],
      ['no-config', manifest({ config: undefined }), /has a config that is not a descriptor object/],
      ['layer-no-digest', manifest({ layers: [{ mediaType: WEIGHT_RAW, size: 7 }] }), /has a layers\[0\] whose digest undefined is not a digest/],
      ['layer-bad-digest', manifest({ layers: [{ ...layer, digest: 'sha256:../../x' }] }), /layers\[0\] whose digest "sha256:..\/..\/x" is not a digest/],
      ['layer-no-type', manifest({ layers: [{ digest: layer.digest, size: 7 }] }), /has a layers\[0\] without a mediaType string/],
      ['layer-size', manifest({ layers: [layer, { ...layer, size: -1 }] }), /has a layers\[1\] whose size -1 is not a byte count/],
      ['layer-size-text', manifest({ layers: [{ ...layer, size: '7' }] }), /whose size "7" is not a byte count/],
      ['layer-annotations', manifest({ layers: [{ ...layer, annotations: { [FILEPATH]: 7 } }] }), /has a layers\[0\] with annotations that are not a map of strings/],
      ['annotations', manifest({ annotations: ['x'] }), /has annotations that are not a map of strings/],
      ['artifact-type', manifest({ artifactType: 5 }), /has an artifactType that is not a string/],
      ['subject', manifest({ subject: { digest: layer.digest } }), /has a subject without a mediaType string/],
    ];
    for (const [tag, json, message] of cases) {
      reg.putManifest('models/m', tag, Buffer.from(JSON.stringify(json)), OCI_MANIFEST);
      const failure = await rejection(openOciModel(`oci://${reg.host}/models/m:${tag}`, { credentials: anonymous }));
      expect(failure, tag).toMatchObject({ kind: 'remote', code: 'MANIFEST_INVALID', message: expect.stringMatching(message) });
    }
    // The same checks hold for every manifest the client reads: randomly changed manifests
    // open and list, or fail with a ModelsignError, never with anything else.
    const random = randomSequence(7);
    const values: unknown[] = [null, 0, -1, 1.5, 2 ** 53 + 1, '', 'x', 'sha256:zz', `sha512:${'0'.repeat(128)}`, [], [null], {}, true, OCI_INDEX];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 150; i += 1) {
      const doc = structuredClone(manifest({ layers: [{ ...layer, annotations: { [FILEPATH]: 'w.bin' } }, layer] })) as Record<string, any>;
      const fields: [Record<string, any>, string][] = [];
      const walk = (o: Record<string, any>): void => {
        for (const k of Object.keys(o)) {
          fields.push([o, k]);
          if (o[k] !== null && typeof o[k] === 'object') walk(o[k]);
        }
      };
      walk(doc);
      const [owner, key] = fields[random(fields.length)]!;
      if (random(3) === 0) delete owner[key];
      else owner[key] = structuredClone(values[random(values.length)]);
      reg.putManifest('models/m', `random-${i}`, Buffer.from(JSON.stringify(doc)), OCI_MANIFEST);
      const outcome = await openOciModel(`oci://${reg.host}/models/m:random-${i}`, { credentials: anonymous })
        .then((model) => model.source.list(noIgnores))
        .then(
          () => 'listed',
          (err: unknown) => (err instanceof ModelsignError ? `${err.kind} ${err.code}` : `random-${i}: ${String(err)}`),
        );
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes.keys()].filter((o) => !['listed', 'remote MANIFEST_INVALID', 'remote MEDIA_TYPE_UNSUPPORTED', 'unverified LAYER_PATH_UNSAFE', 'usage INDEX_NOT_MODEL'].includes(o))).toEqual([]);
    expect(outcomes.get('remote MANIFEST_INVALID')).toBeGreaterThan(30);
  });

  it('lists or refuses (LAYER_INVALID, LAYER_PATH_UNSAFE) tar headers with random bytes changed, never failing otherwise or hanging', async () => {
    const reg = await startRef();
    const tar = await tarOf([{ name: 'a/w.bin', content: 'x'.repeat(700) }, { name: 'b.txt', content: 'hello' }]);
    const random = randomSequence(42);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 60; i += 1) {
      const mutated = Buffer.from(tar);
      for (let k = 1 + random(4); k > 0; k -= 1) mutated[random(1536)] = random(256);
      const gzip = i % 2 === 1;
      const { reference } = seedModel(reg, `mutated-${i}`, [{ bytes: gzip ? gzipSync(mutated) : mutated, mediaType: gzip ? TAR_GZ : TAR }]);
      // A list() that never settles fails the test on its timeout.
      const listed = (await openOciModel(reference, { credentials: anonymous })).source.list(noIgnores);
      const outcome = await listed.then(
        () => 'listed',
        (err: unknown) => (err instanceof ModelsignError && err.kind === 'unverified' ? err.code : `mutation ${i}: ${String(err)}`),
      );
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes.keys()].filter((o) => !['listed', 'LAYER_INVALID', 'LAYER_PATH_UNSAFE'].includes(o))).toEqual([]);
    // The mutations do reach the parser: some layers are refused as not a tar.
    expect(outcomes.get('LAYER_INVALID')).toBeGreaterThan(0);
  });

  it('refuses a decompression bomb (LAYER_INVALID) before expanding it, and lists a compressible layer under the bound', async () => {
    const reg = await startRef();
    // 200 MiB of zeros in a tar: about 6 KiB as zstd (over 30,000 times smaller), about 200 KiB as gzip (about 1,000 times).
    const zeros = await tarOf([{ name: 'zeros.bin', content: Buffer.alloc(200 * 1024 * 1024) }]);
    const bomb = seedModel(reg, 'bomb', [{ bytes: zstdOf(zeros), mediaType: TAR_ZSTD }]);
    const failure = await rejection((await openOciModel(bomb.reference, { credentials: anonymous })).source.list(noIgnores));
    expect(failure).toMatchObject({ kind: 'unverified', code: 'LAYER_INVALID', message: expect.stringContaining('refused as a decompression bomb') });
    // It stopped just past the 64 MiB floor, long before the 200 MiB the layer expands to.
    const expanded = Number(/\((\d+) bytes from \d+\)/.exec(failure.message)?.[1]);
    expect(expanded).toBeGreaterThan(64 * 1024 * 1024);
    expect(expanded).toBeLessThan(65 * 1024 * 1024);
    const gzipped = seedModel(reg, 'gzip-zeros', [{ bytes: gzipSync(zeros), mediaType: TAR_GZ }]);
    const listed = await (await openOciModel(gzipped.reference, { credentials: anonymous })).source.list(noIgnores);
    expect(listed.files).toEqual([expect.objectContaining({ name: 'zeros.bin', size: 200 * 1024 * 1024 })]);
  }, 60_000);

  it('refuses a tar layer whose bytes do not match its digest, and an image index', async () => {
    const reg = await startRef();
    const real = await tarOf([{ name: 'w.bin', content: 'aaaa' }]);
    const forged = await tarOf([{ name: 'w.bin', content: 'bbbb' }]);
    expect(forged.length).toBe(real.length);
    const { reference, descriptors } = seedModel(reg, 'forged', [{ bytes: real, mediaType: TAR }]);
    reg.corruptBlob(descriptors[0]!.digest, forged);
    const model = await openOciModel(reference, { credentials: anonymous });
    expect(await rejection(model.source.list(noIgnores))).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH' });

    // Bytes that are not even a tar (or gzip) still fail as a mismatch, not as a bad layer:
    // what the manifest names may be a good layer; these bytes are not it.
    for (const [tag, bytes, mediaType] of [
      ['garbage-tar', real, TAR],
      ['garbage-gz', gzipSync(real), TAR_GZ],
      ['garbage-zst', zstdOf(real), TAR_ZSTD],
    ] as const) {
      const seeded = seedModel(reg, tag, [{ bytes, mediaType }]);
      reg.corruptBlob(seeded.descriptors[0]!.digest, Buffer.alloc(bytes.length, 0x5a));
      const failure = await rejection((await openOciModel(seeded.reference, { credentials: anonymous })).source.list(noIgnores));
      expect(failure, tag).toMatchObject({ kind: 'remote', code: 'DIGEST_MISMATCH', message: expect.stringContaining(seeded.descriptors[0]!.digest) });
    }
    // The same bytes under their own digest are a layer that is not what its media type says.
    for (const [tag, mediaType, what] of [
      ['not-tar', TAR, 'tar'],
      ['gz-not-tar', TAR_GZ, 'tar+gzip'],
    ] as const) {
      const garbage = Buffer.alloc(real.length, 0x5a);
      const seeded = seedModel(reg, tag, [{ bytes: mediaType === TAR_GZ ? gzipSync(garbage) : garbage, mediaType }]);
      const failure = await rejection((await openOciModel(seeded.reference, { credentials: anonymous })).source.list(noIgnores));
      expect(failure, tag).toMatchObject({ kind: 'unverified', code: 'LAYER_INVALID', message: expect.stringContaining(`${what} layer ${seeded.descriptors[0]!.digest}`) });
    }

    const child = reg.getManifest('models/m', 'forged')!;
    reg.putManifest('models/m', 'index', { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: child.digest, size: child.bytes.length }] });
    expect(await rejection(openOciModel(`${reg.host}/models/m:index`, { credentials: anonymous }))).toMatchObject({ kind: 'usage', code: 'INDEX_NOT_MODEL' });
    // By digest, the manifest opens.
    const byDigest = await openOciModel(`${reg.host}/models/m@${child.digest}`, { credentials: anonymous });
    expect(byDigest.subject.digest).toBe(child.digest);
  });
});

// ---------------------------------------------------------------------------------------
describe('OciSignatureStore', () => {
  it('puts bundles as cosign-style referrers and lists only OMS bundles (via api)', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'models/signed');
    const { descriptor: subject, layer } = await pushSubject(repo, 'v1', 'signed model');
    const model = await openOciModel(`${reg.host}/models/signed:v1`, { credentials: anonymous });
    expect(model.subject).toEqual(subject);
    const bundle = Buffer.from(JSON.stringify({ mediaType: BUNDLE_TYPE, dsseEnvelope: { payload: 'x' } }));
    const location = await model.signatures.put(bundle);
    expect(location).toMatch(new RegExp(`^oci://${reg.host.replace(/\./g, '\\.')}/models/signed@sha256:[0-9a-f]{64}$`));
    // Noise: a notation signature and a Sigstore bundle of another predicate type.
    await attachArtifact(repo, { artifactType: NOTATION_TYPE, layers: [layer], annotations: {} }, subject);
    const otherBundle = await pushBytes(repo, Buffer.from('{"other":true}'), BUNDLE_TYPE);
    await attachArtifact(repo, { artifactType: BUNDLE_TYPE, layers: [otherBundle], annotations: { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' } }, subject);

    const store = new OciSignatureStore(repo, subject);
    const listed = await store.list();
    expect(store.via).toBe('api');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.location).toBe(location);
    expect(listed[0]!.descriptor.annotations).toMatchObject({ 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': PREDICATE_TYPE });
    expect(Number.isNaN(Date.parse(listed[0]!.created ?? ''))).toBe(false);
    expect(Buffer.from(await listed[0]!.bytes()).equals(bundle)).toBe(true);
    const manifest = reg.getManifest('models/signed', location.split('@')[1]!)!;
    expect(JSON.parse(manifest.bytes.toString())).toMatchObject({ artifactType: BUNDLE_TYPE, config: EMPTY_CONFIG, layers: [{ mediaType: BUNDLE_TYPE, digest: sha256(bundle), size: bundle.length }], subject: { digest: subject.digest } });
  });

  it('a referrer naming a bundle layer over the bundle size limit is BUNDLE_MALFORMED (exit 1), and the blob is never fetched', async () => {
    const reg = await startRef();
    const repo = repoAt(reg.host, 'models/signed');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'huge bundle');
    // A terabyte, as the descriptor says: were it fetched, it would be held in memory whole.
    const huge = { mediaType: BUNDLE_TYPE, digest: reg.putBlob('models/signed', 'stands for a terabyte'), size: 2 ** 40 };
    const referrer = reg.putManifest('models/signed', undefined, { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE, config: EMPTY_CONFIG, layers: [huge], subject });
    const listed = await new OciSignatureStore(repo, subject).list();
    expect(listed.map((s) => s.descriptor.digest)).toEqual([referrer]);
    expect(await rejection(listed[0]!.bytes())).toMatchObject({ kind: 'unverified', code: 'BUNDLE_MALFORMED', message: `signature ${listed[0]!.location}: it holds a ${2 ** 40}-byte bundle, over the ${MAX_BUNDLE_BYTES}-byte limit` });
    expect(listed[0]!.location).toBe(`${repo.name}@${referrer}`);
    expect(reg.requests.filter((r) => r.path.includes(huge.digest))).toEqual([]);
  });

  it('round-trips through the tag schema on a registry without the referrers API (via tag)', async () => {
    const reg = await startRef({ referrersApi: false });
    const repo = repoAt(reg.host, 'models/signed');
    const { descriptor: subject } = await pushSubject(repo, 'v1', 'tag schema');
    const store = new OciSignatureStore(repo, subject);
    const bundles = [Buffer.from('{"bundle":"one"}'), Buffer.from('{"bundle":"two"}')];
    const locations = [await store.put(bundles[0]!), await store.put(bundles[1]!)];
    expect(reg.tags('models/signed')).toEqual([fallbackTag(subject.digest), 'v1']);
    const listed = await store.list();
    expect(store.via).toBe('tag');
    expect(listed.map((s) => s.location)).toEqual(locations);
    expect(await Promise.all(listed.map(async (s) => Buffer.from(await s.bytes()).toString()))).toEqual(bundles.map((b) => b.toString()));
  });
});

describe('OciLayout', () => {
  it('pushBlob refuses bytes that are not the descriptor (other, more or fewer) with DIGEST_MISMATCH, and stores nothing of them', async () => {
    const root = join(await tempDir(), 'layout');
    const layout = await OciLayout.open(`oci-layout:${root}:v1`, { create: true });
    const expected = Buffer.from('the bytes the descriptor names');
    const descriptor: Descriptor = { mediaType: 'application/octet-stream', digest: sha256(expected), size: expected.length };
    const what = `blob ${descriptor.digest}`;
    const cases: [Buffer, string][] = [
      [Buffer.from('the bytes the descriptor NAMES'), `${what} does not match its digest: expected ${descriptor.digest}, got ${sha256('the bytes the descriptor NAMES')}`],
      [Buffer.concat([expected, Buffer.from('!')]), `${what} is larger than its descriptor's ${expected.length} bytes`],
      [expected.subarray(0, 10), `${what} has 10 bytes, its descriptor says ${expected.length}`],
    ];
    for (const [bytes, message] of cases) {
      expect(await rejection(layout.pushBlob(descriptor, () => Readable.from([bytes]))), message).toMatchObject({ code: 'DIGEST_MISMATCH', message });
      expect(await layout.blobExists(descriptor.digest)).toBe(false);
      // Nor a temporary file of them.
      expect(await readdir(join(root, 'blobs/sha256'))).toEqual([]);
    }
    await layout.pushBlob(descriptor, () => Readable.from([expected]));
    expect(await collect(layout.fetchBlob(descriptor))).toEqual(expected);
  });

  it('discardCreated keeps a layout it made once another writer has recorded a manifest in it', async () => {
    const root = join(await tempDir(), 'layout');
    const ours = await OciLayout.open(`oci-layout:${root}:v1`, { create: true });
    // Our first write makes the layout (oci-layout, index.json, blobs/).
    const config = Buffer.from('{}');
    await ours.pushBlob(EMPTY_CONFIG, () => Readable.from([config]));
    // Another writer (another process, as far as the layout can tell) records a manifest there.
    const theirs = await OciLayout.open(`oci-layout:${root}:theirs`);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] }));
    const recorded = await theirs.pushManifest(manifest, OCI_MANIFEST, 'theirs');
    const index = await readFile(join(root, 'index.json'), 'utf8');
    // Our push fails and discards what it made: the layout is no longer only ours, and stays whole.
    await ours.discardCreated();
    expect(await readFile(join(root, 'index.json'), 'utf8')).toBe(index);
    expect((await readdir(root)).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    expect((await theirs.fetchManifest('theirs')).descriptor).toEqual(recorded.descriptor);
    expect(await collect(theirs.fetchBlob(EMPTY_CONFIG))).toEqual(config);
  });
});

describe('pushModelPack takes a local model only', () => {
  it('a layout model as the source is MODEL_NOT_LOCAL (it crashed on a missing path, an untyped TypeError)', async () => {
    const dir = await tempDir();
    const model = join(dir, 'model');
    await mkdir(model);
    const weights = randomBytes(1000);
    await writeFile(join(model, 'weights.bin'), weights);
    const first = await OciLayout.open(`oci-layout:${join(dir, 'a')}:v1`, { create: true });
    await pushModelPack(await LocalModelSource.open(model), first, 'v1');
    const opened = await openOciModel(`oci-layout:${join(dir, 'a')}:v1`, { credentials: anonymous });
    // Refused before hashing: with the layer's blob gone, reading it would fail otherwise.
    await rm(join(dir, 'a', 'blobs', 'sha256', createHash('sha256').update(weights).digest('hex')));
    const second = await OciLayout.open(`oci-layout:${join(dir, 'b')}:v1`, { create: true });
    const err = await rejection(pushModelPack(opened.source, second, 'v1'));
    expect(err).toMatchObject({ kind: 'usage', code: 'MODEL_NOT_LOCAL', message: expect.stringContaining('weights.bin has no local path') });
  });
});

describe('pushModelPack: a model file that changes between hashing and upload', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  /** The store as it is, except that `change` runs once, just before the first blob is pushed: after the model was hashed. */
  function changingBeforeUpload(store: ContentStore, change: () => Promise<void>): ContentStore {
    let changed = false;
    return new Proxy(store, {
      get(target, prop) {
        if (prop === 'pushBlob') {
          return async (...args: Parameters<ContentStore['pushBlob']>) => {
            if (!changed) {
              changed = true;
              await change();
            }
            return target.pushBlob(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  const changes: Record<string, (bytes: Buffer) => Buffer> = {
    'same size, other bytes': (b) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([b[b.length - 1]! ^ 1])]),
    grown: (b) => Buffer.concat([b, Buffer.from('more')]),
    shrunk: (b) => b.subarray(0, b.length - 10),
  };

  it('fails as READ_FAILED (local input) naming the file, and neither a layout nor the registry completes a blob of it', async () => {
    for (const [what, change] of Object.entries(changes)) {
      const dir = await tempDir();
      const model = join(dir, 'model');
      const weights = randomBytes(300_000);
      await mkdir(model);
      await writeFile(join(model, 'config.json'), '{}');
      await writeFile(join(model, 'weights.bin'), weights);
      const path = join(model, 'weights.bin');
      const rewrite = () => writeFile(path, change(weights));
      const layout = await OciLayout.open(`oci-layout:${join(dir, 'layout')}:v1`, { create: true });
      const repo = repoAt(registry.host, `client/changing-${Object.keys(changes).indexOf(what)}`);
      for (const store of [layout, repo] as ContentStore[]) {
        await writeFile(path, weights);
        // Before, the layout answered DIGEST_MISMATCH and the registry 400 DIGEST_INVALID: exit 3, naming only a digest.
        const err = await rejection(pushModelPack(await LocalModelSource.open(model), changingBeforeUpload(store, rewrite), 'v1'));
        expect(err, `${what}, ${store.name}`).toMatchObject({ kind: 'usage', code: 'READ_FAILED', message: expect.stringContaining(`${path} changed after it was hashed`) });
        expect(await store.blobExists(sha256(weights)), `${what}, ${store.name}`).toBe(false);
        expect(await store.blobExists(sha256(change(weights))), `${what}, ${store.name}`).toBe(false);
      }
      // No temporary file of it either.
      expect((await readdir(join(dir, 'layout/blobs/sha256'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      // The layout this push made (config.json's blob is in it) goes, as push does on failure.
      await layout.discardCreated();
      expect(await readdir(dir)).toEqual(['model']);
    }
    // A layout that was there before keeps what it had: only a layout the push made is removed.
    const dir = await tempDir();
    const model = join(dir, 'model');
    await mkdir(model);
    await writeFile(join(model, 'weights.bin'), randomBytes(1000));
    const root = join(dir, 'layout');
    await pushModelPack(await LocalModelSource.open(model), await OciLayout.open(`oci-layout:${root}:v1`, { create: true }), 'v1');
    const index = await readFile(join(root, 'index.json'), 'utf8');
    const again = await OciLayout.open(`oci-layout:${root}:v2`, { create: true });
    await writeFile(join(model, 'other.bin'), 'other');
    await rejection(pushModelPack(await LocalModelSource.open(model), changingBeforeUpload(again, () => writeFile(join(model, 'other.bin'), 'changed')), 'v2'));
    await again.discardCreated();
    expect(await readFile(join(root, 'index.json'), 'utf8')).toBe(index);
    expect((await readdir(root)).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
  });

  it('checks across the chunks of a large upload, also when a chunk is sent again after a 503', async () => {
    const reg = await startRef({ faults: [{ path: '/blobs/uploads/', method: 'PATCH', status: 503 }] });
    const model = join(await tempDir(), 'model');
    await mkdir(model);
    const path = join(model, 'weights.bin');
    const weights = randomBytes(CHUNK_BYTES + 4096);
    await writeFile(path, weights);
    // Unchanged: the first PATCH is answered 503, sent again from the same place, and the blob lands.
    await pushModelPack(await LocalModelSource.open(model), repoAt(reg.host, 'r/big'), 'v1');
    expect(reg.hasBlob('r/big', sha256(weights))).toBe(true);
    expect(reg.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([503, 202, 202]);
    // Changed in its last chunk after hashing: refused before the closing PUT.
    const changed = Buffer.from(weights);
    changed[changed.length - 1]! ^= 1;
    const before = reg.requests.length;
    const err = await rejection(pushModelPack(await LocalModelSource.open(model), changingBeforeUpload(repoAt(reg.host, 'r/other'), () => writeFile(path, changed)), 'v1'));
    expect(err).toMatchObject({ kind: 'usage', code: 'READ_FAILED', message: expect.stringContaining(`${path} changed after it was hashed`) });
    expect(reg.hasBlob('r/other', sha256(weights))).toBe(false);
    expect(reg.hasBlob('r/other', sha256(changed))).toBe(false);
    expect(reg.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'))).toEqual([]);
  });
});
