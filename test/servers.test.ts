/**
 * Self-tests of the loopback test servers (test/servers/*), so client tests can trust them:
 * the real docker-registry (distribution 2.8) without auth, with htpasswd and with token
 * auth from our token server, driven by skopeo and plain fetch; and the in-memory referrers
 * registry's API, error forms and injected faults; and the Sigstore deployment's Fulcio, which
 * must refuse what real Fulcio refuses, driven by plain fetch. Only loopback addresses are used.
 */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { X509Certificate as SigstoreX509 } from '@sigstore/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from './servers/registry.js';
import { startReferrersRegistry, type ReferrersRegistry } from './servers/referrers-registry.js';
import { BUNDLE_TYPE, EMPTY_CONFIG, NOTATION_TYPE, OCI_INDEX, OCI_MANIFEST } from './oci-spec.js';
import { libtrustKeyId, startTokenServer, type TokenServer } from './servers/token-server.js';
import { EMAIL_ISSUER, GITHUB_ACTIONS_ISSUER, signJwt, startSigstoreServers, type SigstoreServers } from './servers/sigstore.js';


const sha256 = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modelsign-servers-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A one-file ustar archive, built by hand. */
function tar(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value.padEnd(length, '\0').slice(0, length), offset, 'latin1');
  field(0, 100, name);
  field(100, 8, '0000644');
  field(108, 8, '0000000');
  field(116, 8, '0000000');
  field(124, 12, data.length.toString(8).padStart(11, '0'));
  field(136, 12, '00000000000');
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

interface Layout {
  dir: string;
  tag: string;
  manifest: Buffer;
  digest: string;
  config: Buffer;
  layer: Buffer;
}

/** An OCI image layout with one image (config + one gzip layer), tagged `tag`. */
async function ociLayout(tag = 'v1', text = 'hello from modelsign\n'): Promise<Layout> {
  const dir = join(await scratch(), 'layout');
  const rawLayer = tar('hello.txt', text);
  const layer = gzipSync(rawLayer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(rawLayer)] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
  for (const blob of [config, layer, manifest]) await writeFile(join(dir, 'blobs/sha256', sha256(blob).slice(7)), blob);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: sha256(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
  return { dir, tag, manifest, digest: sha256(manifest), config, layer };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
let authFile = '';
/** Runs skopeo with no ambient credentials (REGISTRY_AUTH_FILE points at an empty scratch path). */
function skopeo(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('skopeo', ['--insecure-policy', ...args], { timeout: 30_000, env: { ...process.env, REGISTRY_AUTH_FILE: authFile } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
const push = (layout: Layout, dest: string, extra: string[] = []) => skopeo(['copy', '--preserve-digests', '--dest-tls-verify=false', ...extra, `oci:${layout.dir}:${layout.tag}`, `docker://${dest}`]);
const inspectRaw = (ref: string, extra: string[] = []) => skopeo(['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${ref}`]);

/** Uploads a blob with POST + PUT ?digest= (monolithic) and returns its digest. */
async function uploadBlob(url: string, name: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST', headers });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get('location')!, url);
  location.searchParams.set('digest', digest);
  const done = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: bytes });
  expect(done.status).toBe(201);
  return digest;
}

/** An OCI artifact manifest (empty config, one layer) whose subject is `subject`. */
function referrerManifest(subject: { digest: string; size: number }, layer: { digest: string; size: number }, artifactType: string | undefined, annotations: Record<string, string>): Buffer {
  const m: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: EMPTY_CONFIG,
    layers: [{ mediaType: artifactType ?? 'application/octet-stream', ...layer }],
    subject: { mediaType: OCI_MANIFEST, ...subject },
    annotations,
  };
  if (artifactType !== undefined) m.artifactType = artifactType;
  return Buffer.from(JSON.stringify(m));
}

async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string; message: string }[] };
  expect(Array.isArray(body.errors)).toBe(true);
  expect(typeof body.errors?.[0]?.message).toBe('string');
  return body.errors?.[0]?.code;
}

beforeAll(async () => {
  authFile = join(await scratch(), 'auth.json');
});

describe('docker-registry (distribution 2.8)', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    cleanups.push(() => registry.stop());
  });

  it('starts on 127.0.0.1 with filesystem storage, answers as localhost too, and takes a skopeo push', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.url).toBe(`http://${registry.host}`);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    expect((await fetch(`http://${registry.localhostHost}/v2/`)).status).toBe(200);
    expect(await readFile(registry.configPath, 'utf8')).toContain(`addr: "${registry.host}"`);

    const layout = await ociLayout();
    const pushed = await push(layout, `${registry.host}/models/tiny:v1`);
    expect(pushed.code, pushed.stderr).toBe(0);
    const raw = await inspectRaw(`${registry.host}/models/tiny:v1`);
    expect(raw.code).toBe(0);
    expect(raw.stdout).toBe(layout.manifest.toString());
    expect((await inspectRaw(`${registry.localhostHost}/models/tiny:v1`)).stdout).toBe(layout.manifest.toString());

    const res = await fetch(`${registry.url}/v2/models/tiny/manifests/v1`, { headers: { accept: OCI_MANIFEST } });
    expect(res.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(res.headers.get('docker-content-digest')).toBe(layout.digest);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(layout.manifest);
    expect(existsSync(join(registry.storage, 'docker/registry/v2/repositories/models/tiny'))).toBe(true);
    expect(registry.logs()).toContain(`listening on ${registry.host}`);
    expect(registry.logs()).toContain('/v2/models/tiny/manifests/v1');
  });

  it('has no referrers API: a manifest with subject is stored without OCI-Subject, referrers is 404', async () => {
    const name = 'models/tiny';
    const subject = await fetch(`${registry.url}/v2/${name}/manifests/v1`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } });
    const subjectDesc = { digest: subject.headers.get('docker-content-digest')!, size: Number(subject.headers.get('content-length')) };
    await uploadBlob(registry.url, name, Buffer.from('{}'));
    const bundle = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
    const layer = { digest: await uploadBlob(registry.url, name, bundle), size: bundle.length };
    const manifest = referrerManifest(subjectDesc, layer, BUNDLE_TYPE, { 'dev.sigstore.bundle.content': 'dsse-envelope' });
    const put = await fetch(`${registry.url}/v2/${name}/manifests/${sha256(manifest)}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest });
    expect(put.status).toBe(201);
    expect(put.headers.get('oci-subject')).toBeNull();
    expect(put.headers.get('docker-content-digest')).toBe(sha256(manifest));
    const referrers = await fetch(`${registry.url}/v2/${name}/referrers/${subjectDesc.digest}`);
    expect(referrers.status).toBe(404);
    const back = await fetch(`${registry.url}/v2/${name}/manifests/${sha256(manifest)}`, { headers: { accept: OCI_MANIFEST } });
    expect(Buffer.from(await back.arrayBuffer())).toEqual(manifest);
  });

  it('stop() ends the process and removes the temporary directory', async () => {
    const extra = await startRegistry();
    expect(() => process.kill(extra.pid, 0)).not.toThrow();
    await extra.stop();
    expect(() => process.kill(extra.pid, 0)).toThrow();
    expect(existsSync(extra.dir)).toBe(false);
    await expect(fetch(`${extra.url}/v2/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    await extra.stop(); // idempotent
  });
});

describe('docker-registry with htpasswd', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
    cleanups.push(() => registry.stop());
  });

  it('rejects anonymous and wrong passwords with a Basic challenge and accepts user:pass', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Basic realm="${registry.realm}"`);
    expect(await errorCode(anonymous)).toBe('UNAUTHORIZED');
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic('alice', 'nope') } })).status).toBe(401);
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: basic('alice', 'wonderland') } })).status).toBe(200);
    expect(await readFile(join(registry.dir, 'htpasswd'), 'utf8')).toMatch(/^alice:\$2y\$/);
  });

  it('skopeo pushes only with credentials', async () => {
    const layout = await ociLayout('v2', 'basic auth\n');
    const denied = await push(layout, `${registry.host}/models/basic:v2`);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/unauthorized|authentication required/i);
    const ok = await push(layout, `${registry.host}/models/basic:v2`, ['--dest-creds', 'alice:wonderland']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await inspectRaw(`${registry.host}/models/basic:v2`, ['--creds', 'alice:wonderland'])).stdout).toBe(layout.manifest.toString());
  });
});

describe('docker-registry with token auth (x5c, EC P-256)', () => {
  let registry: RunningRegistry;
  let tokens: TokenServer;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', users: { bob: 'builder' } });
    cleanups.push(() => registry.stop());
    tokens = registry.tokenServer!;
  });
  const token = async (scope: string, authorization?: string) => {
    const url = new URL(tokens.realm);
    url.searchParams.set('service', registry.service!);
    url.searchParams.set('scope', scope);
    return fetch(url, authorization ? { headers: { authorization } } : {});
  };

  it('challenges anonymous requests with Bearer realm and service; a token from Basic credentials gets in', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    const challenge = anonymous.headers.get('www-authenticate')!;
    expect(challenge).toBe(`Bearer realm="${tokens.realm}",service="${tokens.service}"`);
    const realm = /realm="([^"]+)"/.exec(challenge)![1]!;
    const service = /service="([^"]+)"/.exec(challenge)![1]!;

    const res = await fetch(`${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent('repository:models/tok:pull,push')}`, { headers: { authorization: basic('bob', 'builder') } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBe(300);
    expect(Number.isNaN(Date.parse(body.issued_at))).toBe(false);
    const [header, claims] = body.token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'ES256' });
    expect((header!.x5c as string[]).length).toBe(1);
    expect(claims).toMatchObject({ iss: registry.issuer, sub: 'bob', aud: registry.service, access: [{ type: 'repository', name: 'models/tok', actions: ['pull', 'push'] }] });

    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${body.token}` } })).status).toBe(200);
    const last = tokens.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/token', service: registry.service, scopes: ['repository:models/tok:pull,push'], authorization: true, user: 'bob', status: 200 });
  });

  it('refuses bad credentials and anonymous callers at the token server', async () => {
    const bad = await token('repository:models/tok:pull', basic('bob', 'wrong'));
    expect(bad.status).toBe(401);
    expect(await errorCode(bad)).toBe('UNAUTHORIZED');
    expect((await token('repository:models/tok:pull')).status).toBe(401);
    expect(tokens.requests.at(-1)).toMatchObject({ authorization: false, status: 401 });
  });

  it('skopeo pushes through the token dance; a token for another repository is refused', async () => {
    const layout = await ociLayout('v3', 'token auth\n');
    const before = tokens.requests.length;
    const ok = await push(layout, `${registry.host}/models/tok:v3`, ['--dest-creds', 'bob:builder']);
    expect(ok.code, ok.stderr).toBe(0);
    const used = tokens.requests.slice(before);
    expect(used.some((r) => r.authorization && r.status === 200 && r.scopes.some((s) => s.startsWith('repository:models/tok:') && s.includes('push')))).toBe(true);

    const forTok = (await (await token('repository:models/tok:pull', basic('bob', 'builder'))).json()) as { token: string };
    const tags = await fetch(`${registry.url}/v2/models/tok/tags/list`, { headers: { authorization: `Bearer ${forTok.token}` } });
    expect(tags.status).toBe(200);
    expect(await tags.json()).toEqual({ name: 'models/tok', tags: ['v3'] });

    const other = await fetch(`${registry.url}/v2/models/other/tags/list`, { headers: { authorization: `Bearer ${forTok.token}` } });
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toBe(`Bearer realm="${tokens.realm}",service="${tokens.service}",scope="repository:models/other:pull",error="insufficient_scope"`);
    // pull-only token cannot push
    const upload = await fetch(`${registry.url}/v2/models/tok/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${forTok.token}` } });
    expect(upload.status).toBe(401);
    // a token with the wrong audience, or expired, is refused
    const wrongAud = tokens.issue({ access: [{ type: 'repository', name: 'models/tok', actions: ['pull'] }], audience: 'someone-else' });
    expect((await fetch(`${registry.url}/v2/models/tok/tags/list`, { headers: { authorization: `Bearer ${wrongAud}` } })).status).toBe(401);
    // a token signed by a key the registry does not trust is refused
    const stranger = await startTokenServer({ issuer: tokens.issuer, service: tokens.service });
    cleanups.push(() => stranger.stop());
    const forged = stranger.issue({ access: [{ type: 'repository', name: 'models/tok', actions: ['pull'] }] });
    expect((await fetch(`${registry.url}/v2/models/tok/tags/list`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect(registry.logs()).toMatch(/unable to verify certificate chain|invalid token/);
    const expired = tokens.issue({ access: [{ type: 'repository', name: 'models/tok', actions: ['pull'] }], expiresIn: -120, notBefore: Math.floor(Date.now() / 1000) - 600 });
    expect((await fetch(`${registry.url}/v2/models/tok/tags/list`, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
  });
});

describe('docker-registry with token auth (kid, RSA, anonymous pull)', () => {
  it('accepts tokens naming their key by libtrust KeyID and grants anonymous callers pull only', async () => {
    const registry = await startRegistry({ auth: 'token', users: { carol: 'c' }, token: { keyType: 'rsa', keyReference: 'kid', anonymous: true } });
    cleanups.push(() => registry.stop());
    const tokens = registry.tokenServer!;
    expect(tokens.keyId).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(libtrustKeyId(tokens.publicKey)).toBe(tokens.keyId);

    const res = await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:pub/model:pull,push`);
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', kid: tokens.keyId });
    expect(tokens.requests.at(-1)!.granted).toEqual([{ type: 'repository', name: 'pub/model', actions: ['pull'] }]);

    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const pull = await fetch(`${registry.url}/v2/pub/model/tags/list`, { headers: { authorization: `Bearer ${token}` } });
    expect(pull.status).toBe(404); // authorized; the repository just does not exist
    expect(await errorCode(pull)).toBe('NAME_UNKNOWN');
    const pushAttempt = await fetch(`${registry.url}/v2/pub/model/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(pushAttempt.status).toBe(401);

    const userToken = (await (await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:pub/model:pull,push`, { headers: { authorization: basic('carol', 'c') } })).json()) as { token: string };
    const pushOk = await fetch(`${registry.url}/v2/pub/model/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${userToken.token}` } });
    expect(pushOk.status).toBe(202);
  });
});

describe('docker-registry with token auth: the OAuth2 POST flow (docs/spec/auth/oauth.md)', () => {
  it('password grant (offline) gives a refresh token, refresh grant an access token the registry accepts; bad requests are refused', async () => {
    const registry = await startRegistry({ auth: 'token', users: { erin: 'e' }, token: { oauth: true } });
    cleanups.push(() => registry.stop());
    const tokens = registry.tokenServer!;
    const post = (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
      fetch(tokens.realm, { method: 'POST', headers: { 'content-type': contentType }, body: new URLSearchParams(fields).toString() });
    const base = { service: tokens.service, client_id: 'test-client', scope: 'repository:o/m:pull,push repository:o/other:pull' };

    const login = await post({ ...base, grant_type: 'password', username: 'erin', password: 'e', access_type: 'offline' });
    expect(login.status).toBe(200);
    const { refresh_token: refresh, access_token: first, scope } = (await login.json()) as { refresh_token: string; access_token: string; scope: string };
    expect(refresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(scope).toBe(base.scope);
    expect(tokens.verify(first)?.access).toEqual([
      { type: 'repository', name: 'o/m', actions: ['pull', 'push'] },
      { type: 'repository', name: 'o/other', actions: ['pull'] },
    ]);

    const renewed = await post({ ...base, grant_type: 'refresh_token', refresh_token: refresh });
    expect(renewed.status).toBe(200);
    const body = (await renewed.json()) as Record<string, unknown>;
    expect(body.refresh_token).toBeUndefined();
    const upload = await fetch(`${registry.url}/v2/o/m/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${body.access_token as string}` } });
    expect(upload.status).toBe(202);

    expect((await post({ ...base, grant_type: 'refresh_token', refresh_token: 'not-issued' })).status).toBe(401);
    expect((await post({ ...base, grant_type: 'password', username: 'erin', password: 'wrong' })).status).toBe(401);
    expect((await post({ service: tokens.service, grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(400); // no client_id
    expect((await post({ ...base, grant_type: 'authorization_code' })).status).toBe(400);
    expect((await post({ ...base, grant_type: 'refresh_token', refresh_token: refresh }, 'application/json')).status).toBe(400);
    // Without `oauth`, POST is 404: the signal for clients to fall back to GET.
    const plain = await startTokenServer({ users: { erin: 'e' } });
    cleanups.push(() => plain.stop());
    expect((await fetch(plain.realm, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' })).status).toBe(404);
  });
});

describe('referrers registry (in memory)', () => {
  let reg: ReferrersRegistry;
  const name = 'models/ref';
  let subject: { digest: string; size: number };
  const pushed: { digest: string; artifactType: string }[] = [];
  beforeAll(async () => {
    reg = await startReferrersRegistry({ pageSize: 2 });
    cleanups.push(() => reg.stop());
  });

  it('uploads blobs monolithically, in chunks, in one POST, and verifies digests', async () => {
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    const a = Buffer.from('monolithic blob');
    expect(await uploadBlob(reg.url, name, a)).toBe(sha256(a));

    const chunked = Buffer.from('first chunk|second chunk');
    const start = await fetch(`${reg.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    let location = start.headers.get('location')!;
    expect(location).toMatch(/^\/v2\/models\/ref\/blobs\/uploads\/[^?]+\?_state=/);
    const p1 = await fetch(new URL(location, reg.url), { method: 'PATCH', headers: { 'content-type': 'application/octet-stream', 'content-range': '0-11' }, body: chunked.subarray(0, 12) });
    expect(p1.status).toBe(202);
    expect(p1.headers.get('range')).toBe('0-11');
    const stale = location;
    location = p1.headers.get('location')!;
    const outOfOrder = await fetch(new URL(location, reg.url), { method: 'PATCH', headers: { 'content-range': '5-9' }, body: chunked.subarray(5, 10) });
    expect(outOfOrder.status).toBe(416);
    location = outOfOrder.headers.get('location')!;
    const staleUse = await fetch(new URL(stale, reg.url), { method: 'PATCH', body: Buffer.from('x') });
    expect(staleUse.status).toBe(400);
    expect(await errorCode(staleUse)).toBe('BLOB_UPLOAD_INVALID');
    const p2 = await fetch(new URL(location, reg.url), { method: 'PATCH', headers: { 'content-range': `12-${chunked.length - 1}` }, body: chunked.subarray(12) });
    expect(p2.headers.get('range')).toBe(`0-${chunked.length - 1}`);
    const close = new URL(p2.headers.get('location')!, reg.url);
    close.searchParams.set('digest', sha256(chunked));
    const closed = await fetch(close, { method: 'PUT' });
    expect(closed.status).toBe(201);
    expect(closed.headers.get('docker-content-digest')).toBe(sha256(chunked));
    expect(closed.headers.get('location')).toBe(`/v2/${name}/blobs/${sha256(chunked)}`);

    const single = Buffer.from('single post');
    const posted = await fetch(`${reg.url}/v2/${name}/blobs/uploads/?digest=${sha256(single)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: single });
    expect(posted.status).toBe(201);

    const head = await fetch(`${reg.url}/v2/${name}/blobs/${sha256(chunked)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(chunked.length));
    expect(head.headers.get('docker-content-digest')).toBe(sha256(chunked));
    expect(Buffer.from(await (await fetch(`${reg.url}/v2/${name}/blobs/${sha256(chunked)}`)).arrayBuffer())).toEqual(chunked);
    const ranged = await fetch(`${reg.url}/v2/${name}/blobs/${sha256(chunked)}`, { headers: { range: 'bytes=6-10' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe('chunk');

    const wrong = await fetch(`${reg.url}/v2/${name}/blobs/uploads/?digest=${sha256('other')}`, { method: 'POST', body: single });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe('DIGEST_INVALID');
    const missing = await fetch(`${reg.url}/v2/${name}/blobs/${sha256('absent')}`);
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('BLOB_UNKNOWN');
    const noRepo = await fetch(`${reg.url}/v2/nobody/blobs/${sha256('absent')}`, { method: 'GET' });
    expect(await errorCode(noRepo)).toBe('NAME_UNKNOWN');
    const badName = await fetch(`${reg.url}/v2/Upper/blobs/${sha256('x')}`);
    expect(badName.status).toBe(400);
    expect(await errorCode(badName)).toBe('NAME_INVALID');
  });

  it('stores manifests by exact bytes and refuses ones with unknown blobs or a wrong digest', async () => {
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const layer = Buffer.from('weights');
    const configDigest = await uploadBlob(reg.url, name, config);
    const layerDigest = await uploadBlob(reg.url, name, layer);
    // deliberately odd whitespace: the digest must be over these exact bytes
    const manifest = Buffer.from(
      `{ "schemaVersion": 2, "mediaType": "${OCI_MANIFEST}",\n  "config": {"mediaType":"application/vnd.oci.image.config.v1+json","digest":"${configDigest}","size":${config.length}},\n  "layers": [{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"${layerDigest}","size":${layer.length}}] }`,
    );
    const put = await fetch(`${reg.url}/v2/${name}/manifests/latest`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest });
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(sha256(manifest));
    expect(put.headers.get('oci-subject')).toBeNull();
    subject = { digest: sha256(manifest), size: manifest.length };

    for (const ref of ['latest', subject.digest]) {
      const got = await fetch(`${reg.url}/v2/${name}/manifests/${ref}`, { headers: { accept: OCI_MANIFEST } });
      expect(got.headers.get('content-type')).toBe(OCI_MANIFEST);
      expect(got.headers.get('docker-content-digest')).toBe(subject.digest);
      expect(Buffer.from(await got.arrayBuffer())).toEqual(manifest);
    }
    const head = await fetch(`${reg.url}/v2/${name}/manifests/latest`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(manifest.length));

    const unknownBlob = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] }));
    const refused = await fetch(`${reg.url}/v2/${name}/manifests/empty`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: unknownBlob });
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe('MANIFEST_BLOB_UNKNOWN');
    const wrongDigest = await fetch(`${reg.url}/v2/${name}/manifests/${sha256('not it')}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest });
    expect(wrongDigest.status).toBe(400);
    expect(await errorCode(wrongDigest)).toBe('DIGEST_INVALID');
    const mismatchedType = await fetch(`${reg.url}/v2/${name}/manifests/x`, { method: 'PUT', headers: { 'content-type': OCI_INDEX }, body: manifest });
    expect(await errorCode(mismatchedType)).toBe('MANIFEST_INVALID');
    const unknown = await fetch(`${reg.url}/v2/${name}/manifests/nope`);
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('MANIFEST_UNKNOWN');
    const big = await fetch(`${reg.url}/v2/${name}/manifests/big`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20) });
    expect(big.status).toBe(413);

    // conditional tag update, as the tag-schema fallback uses
    const conflict = await fetch(`${reg.url}/v2/${name}/manifests/latest`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST, 'if-match': `"${sha256('stale')}"` }, body: manifest });
    expect(conflict.status).toBe(412);
    const same = await fetch(`${reg.url}/v2/${name}/manifests/latest`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST, 'if-match': `"${subject.digest}"` }, body: manifest });
    expect(same.status).toBe(201);
  });

  it('lists referrers with artifactType, annotations, server-side filtering and Link pagination', async () => {
    await uploadBlob(reg.url, name, Buffer.from('{}'));
    const specs: [string | undefined, string][] = [
      [BUNDLE_TYPE, 'sig-1'],
      [NOTATION_TYPE, 'notary'],
      [BUNDLE_TYPE, 'sig-2'],
      [undefined, 'config-typed'],
    ];
    for (const [artifactType, label] of specs) {
      const content = Buffer.from(`{"label":"${label}"}`);
      const layer = { digest: await uploadBlob(reg.url, name, content), size: content.length };
      const manifest = referrerManifest(subject, layer, artifactType, { 'test.label': label });
      const put = await fetch(`${reg.url}/v2/${name}/manifests/${sha256(manifest)}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest });
      expect(put.status).toBe(201);
      expect(put.headers.get('oci-subject')).toBe(subject.digest);
      // no artifactType: the referrers API reports the config media type
      pushed.push({ digest: sha256(manifest), artifactType: artifactType ?? EMPTY_CONFIG.mediaType });
    }

    const collect = async (first: string) => {
      const pages: { digest: string; artifactType?: string; annotations?: Record<string, string>; mediaType: string; size: number }[][] = [];
      let next: string | undefined = first;
      let filtered: (string | null)[] = [];
      for (let i = 0; next && i < 10; i++) {
        const res: Response = await fetch(new URL(next, reg.url));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(OCI_INDEX);
        filtered.push(res.headers.get('oci-filters-applied'));
        const index = (await res.json()) as { schemaVersion: number; mediaType: string; manifests: never[] };
        expect(index).toMatchObject({ schemaVersion: 2, mediaType: OCI_INDEX });
        pages.push(index.manifests);
        next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      }
      return { pages, filtered };
    };

    const all = await collect(`/v2/${name}/referrers/${subject.digest}`);
    expect(all.pages.map((p) => p.length)).toEqual([2, 2]);
    expect(all.filtered).toEqual([null, null]);
    const flat = all.pages.flat();
    expect(flat.map((d) => ({ digest: d.digest, artifactType: d.artifactType }))).toEqual(pushed);
    expect(flat[0]).toMatchObject({ mediaType: OCI_MANIFEST, annotations: { 'test.label': 'sig-1' } });
    expect(flat[0]!.size).toBe(Number((await fetch(`${reg.url}/v2/${name}/manifests/${flat[0]!.digest}`, { method: 'HEAD' })).headers.get('content-length')));

    const sigs = await collect(`/v2/${name}/referrers/${subject.digest}?artifactType=${encodeURIComponent(BUNDLE_TYPE)}`);
    expect(sigs.pages.flat().map((d) => d.digest)).toEqual([pushed[0]!.digest, pushed[2]!.digest]);
    expect(sigs.filtered).toEqual(['artifactType']);

    const none = await collect(`/v2/${name}/referrers/${sha256('no such subject')}`);
    expect(none.pages).toEqual([[]]);
    expect(reg.referrers(name, subject.digest)).toHaveLength(4);
    const badDigest = await fetch(`${reg.url}/v2/${name}/referrers/sha256:xyz`);
    expect(badDigest.status).toBe(400);

    // deleting a referrer removes it from the list
    expect((await fetch(`${reg.url}/v2/${name}/manifests/${pushed[1]!.digest}`, { method: 'DELETE' })).status).toBe(202);
    expect(reg.referrers(name, subject.digest).map((d) => d.digest)).toEqual([pushed[0]!.digest, pushed[2]!.digest, pushed[3]!.digest]);
  });

  it('lists tags with pagination and mounts blobs across repositories', async () => {
    for (const tag of ['b', 'a', 'c']) reg.putManifest(name, tag, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [], annotations: { tag } });
    const page1 = await fetch(`${reg.url}/v2/${name}/tags/list?n=2`);
    expect(await page1.json()).toEqual({ name, tags: ['a', 'b'] });
    const link = /<([^>]+)>/.exec(page1.headers.get('link')!)![1]!;
    expect(await (await fetch(new URL(link, reg.url))).json()).toEqual({ name, tags: ['c', 'latest'] });
    expect(await errorCode(await fetch(`${reg.url}/v2/missing/tags/list`))).toBe('NAME_UNKNOWN');

    const digest = reg.putBlob('models/source', 'shared layer');
    const mounted = await fetch(`${reg.url}/v2/models/target/blobs/uploads/?mount=${digest}&from=models/source`, { method: 'POST' });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/models/target/blobs/${digest}`);
    expect(reg.hasBlob('models/target', digest)).toBe(true);
    const notThere = await fetch(`${reg.url}/v2/models/target/blobs/uploads/?mount=${sha256('elsewhere')}&from=models/source`, { method: 'POST' });
    expect(notThere.status).toBe(202);
    expect(notThere.headers.get('location')).toMatch(/\/blobs\/uploads\//);
  });

  it('takes a skopeo push and serves a skopeo pull (a real client of the upload protocol)', async () => {
    const layout = await ociLayout('v9', 'via skopeo\n');
    const ok = await push(layout, `${reg.host}/models/skopeo:v9`);
    expect(ok.code, ok.stderr).toBe(0);
    expect(reg.getManifest('models/skopeo', 'v9')!.bytes).toEqual(layout.manifest);
    expect((await inspectRaw(`${reg.host}/models/skopeo:v9`)).stdout).toBe(layout.manifest.toString());
    const out = join(await scratch(), 'pulled');
    const pulled = await skopeo(['copy', '--src-tls-verify=false', `docker://${reg.host}/models/skopeo:v9`, `oci:${out}:v9`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(await readFile(join(out, 'blobs/sha256', sha256(layout.layer).slice(7)))).toEqual(layout.layer);
  });
});

describe('referrers registry faults and options', () => {
  it('answers 429 with Retry-After and 503 for the next N matching requests, then recovers', async () => {
    const reg = await startReferrersRegistry({ faults: [{ path: /\/manifests\//, status: 429, retryAfter: 2, times: 2 }] });
    cleanups.push(() => reg.stop());
    reg.putManifest('r', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${reg.url}/v2/r/manifests/v1`);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await errorCode(res)).toBe('TOOMANYREQUESTS');
    }
    expect((await fetch(`${reg.url}/v2/r/manifests/v1`)).status).toBe(200);
    reg.inject({ path: '/tags/list', method: 'GET', status: 503 });
    expect((await fetch(`${reg.url}/v2/r/manifests/v1`)).status).toBe(200);
    expect((await fetch(`${reg.url}/v2/r/tags/list`)).status).toBe(503);
    expect((await fetch(`${reg.url}/v2/r/tags/list`)).status).toBe(200);
    expect(reg.requests.filter((r) => r.faulted).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /v2/r/manifests/v1 429',
      'GET /v2/r/manifests/v1 429',
      'GET /v2/r/tags/list 503',
    ]);
  });

  it('redirects blob GETs to another host and records whether Authorization arrived there', async () => {
    const reg = await startReferrersRegistry({ redirectBlobs: true, auth: { basic: { u: 'p' } } });
    cleanups.push(() => reg.stop());
    const digest = reg.putBlob('r', 'redirected bytes');
    expect(reg.blobHost!.host).toMatch(/^localhost:\d+$/);
    expect(reg.blobHost!.host).not.toBe(reg.localhostHost);

    const anonymous = await fetch(`${reg.url}/v2/r/blobs/${digest}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="modelsign-test-referrers-registry"');
    const res = await fetch(`${reg.url}/v2/r/blobs/${digest}`, { redirect: 'manual', headers: { authorization: basic('u', 'p') } });
    expect(res.status).toBe(307);
    const target = res.headers.get('location')!;
    expect(new URL(target).host).toBe(reg.blobHost!.host);
    expect(await (await fetch(target)).text()).toBe('redirected bytes');
    await fetch(target, { headers: { authorization: basic('u', 'p') } });
    expect(reg.blobHost!.requests.map((r) => r.authorization)).toEqual([false, true]);
    expect((await fetch(`${reg.url}/v2/r/blobs/${digest}`, { method: 'HEAD', headers: { authorization: basic('u', 'p') } })).status).toBe(200);
    expect(reg.requests.find((r) => r.status === 307)).toMatchObject({ authorization: true, authorizationScheme: 'Basic' });

    // a real client (Go's net/http in skopeo) does not carry Authorization to the other host
    const layout = await ociLayout('v1', 'redirect me\n');
    const pushedWithCreds = await push(layout, `${reg.host}/r/img:v1`, ['--dest-creds', 'u:p']);
    expect(pushedWithCreds.code, pushedWithCreds.stderr).toBe(0);
    const before = reg.blobHost!.requests.length;
    const out = join(await scratch(), 'pulled');
    const pulled = await skopeo(['copy', '--src-tls-verify=false', '--src-creds', 'u:p', `docker://${reg.host}/r/img:v1`, `oci:${out}:v1`]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const seen = reg.blobHost!.requests.slice(before);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((r) => !r.authorization && r.status === 200)).toBe(true);
  });

  it('with redirectBlobs.challenge, the redirect target answers blob GETs 401 with a Bearer challenge naming itself, and hands out a token there', async () => {
    const reg = await startReferrersRegistry({ redirectBlobs: { challenge: true } });
    cleanups.push(() => reg.stop());
    const digest = reg.putBlob('r', 'guarded');
    const target = (await fetch(`${reg.url}/v2/r/blobs/${digest}`, { redirect: 'manual' })).headers.get('location')!;
    const refused = await fetch(target);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(`Bearer realm="${reg.blobHost!.url}/token",service="storage"`);
    const token = (await (await fetch(`${reg.blobHost!.url}/token?service=storage`, { headers: { authorization: basic('u', 'p') } })).json()) as { token: string };
    expect(token.token).toBe('storage-token');
    expect(await (await fetch(target, { headers: { authorization: `Bearer ${token.token}` } })).text()).toBe('guarded');
    expect(reg.blobHost!.requests.map((r) => [r.path, r.authorization, r.status])).toEqual([
      [`/blobstore/${digest}`, false, 401],
      ['/token', true, 200],
      [`/blobstore/${digest}`, true, 200],
    ]);
  });

  it('with tls, speaks HTTPS and HTTP on the same port (same host, two origins), recording each scheme', async () => {
    const reg = await startReferrersRegistry({ tls: true });
    cleanups.push(() => reg.stop());
    expect(reg.httpsUrl).toBe(`https://${reg.host}`);
    const trusting = new Agent({ connect: { ca: reg.tlsCa! } });
    cleanups.push(() => trusting.destroy());
    const overTls = await request(`${reg.httpsUrl}/v2/`, { dispatcher: trusting });
    expect([overTls.statusCode, await overTls.body.json()]).toEqual([200, {}]);
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    // A client that does not trust the certificate gets no further than the handshake.
    await expect(fetch(`${reg.httpsUrl}/v2/`)).rejects.toThrow();
    expect(reg.requests.map((r) => `${r.scheme} ${r.path} ${r.host}`)).toEqual([`https /v2/ ${reg.host}`, `http /v2/ ${reg.host}`]);
  });

  it('stalls a blob on request: the headers and half the bytes, then an open connection', async () => {
    const reg = await startReferrersRegistry();
    cleanups.push(() => reg.stop());
    const bytes = Buffer.alloc(10_000, 7);
    const digest = reg.putBlob('r/stall', bytes);
    reg.stallBlob(digest);
    const controller = new AbortController();
    const res = await fetch(`${reg.url}/v2/r/stall/blobs/${digest}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('10000');
    const reader = res.body!.getReader();
    let got = 0;
    while (got < 5000) got += (await reader.read()).value!.length;
    expect(got).toBe(5000);
    // Nothing more comes: the next read is still pending after a while.
    const next = reader.read().then(() => 'more', () => 'aborted');
    expect(await Promise.race([next, new Promise((r) => setTimeout(() => r('pending'), 300))])).toBe('pending');
    controller.abort();
    expect(await next).toBe('aborted');
  });

  it('serves corrupted blobs and oversized manifests on request; skopeo notices the corruption', async () => {
    const reg = await startReferrersRegistry();
    cleanups.push(() => reg.stop());
    const layout = await ociLayout('v1', 'corrupt me\n');
    const pushedPlain = await push(layout, `${reg.host}/r/img:v1`);
    expect(pushedPlain.code, pushedPlain.stderr).toBe(0);
    const layerDigest = sha256(layout.layer);
    reg.corruptBlob(layerDigest);
    const head = await fetch(`${reg.url}/v2/r/img/blobs/${layerDigest}`, { method: 'HEAD' });
    expect(head.headers.get('docker-content-digest')).toBe(layerDigest);
    const body = Buffer.from(await (await fetch(`${reg.url}/v2/r/img/blobs/${layerDigest}`)).arrayBuffer());
    expect(body.length).toBe(layout.layer.length);
    expect(sha256(body)).not.toBe(layerDigest);
    const out = join(await scratch(), 'pulled');
    const pulled = await skopeo(['copy', '--src-tls-verify=false', `docker://${reg.host}/r/img:v1`, `oci:${out}:v1`]);
    expect(pulled.code).not.toBe(0);
    expect(pulled.stderr).toMatch(/digest/i);

    reg.oversizeManifest('r/img', 'huge');
    const huge = await fetch(`${reg.url}/v2/r/img/manifests/huge`);
    expect(Number(huge.headers.get('content-length'))).toBeGreaterThan(4 * 1024 * 1024);
    const bytes = Buffer.from(await huge.arrayBuffer());
    expect(bytes.length).toBe(4 * 1024 * 1024 + 1024);
    expect(huge.headers.get('docker-content-digest')).toBe(sha256(bytes));
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ schemaVersion: 2, mediaType: OCI_MANIFEST });
    reg.oversizeManifest('r/img', 'sneaky', { size: 5 * 1024 * 1024, chunked: true });
    const sneaky = await fetch(`${reg.url}/v2/r/img/manifests/sneaky`);
    expect(sneaky.headers.get('content-length')).toBeNull();
    expect((await sneaky.arrayBuffer()).byteLength).toBe(5 * 1024 * 1024);
  });

  it('with Bearer auth from the token server: scoped challenges and per-repository tokens', async () => {
    const tokens = await startTokenServer({ users: { dave: 'd' } });
    cleanups.push(() => tokens.stop());
    const reg = await startReferrersRegistry({ auth: { token: tokens } });
    cleanups.push(() => reg.stop());
    reg.putManifest('team/model', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    const anonymous = await fetch(`${reg.url}/v2/team/model/manifests/v1`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${tokens.realm}",service="${tokens.service}",scope="repository:team/model:pull"`);
    const got = await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:team/model:pull`, { headers: { authorization: basic('dave', 'd') } });
    const { access_token } = (await got.json()) as { access_token: string };
    const ok = await fetch(`${reg.url}/v2/team/model/manifests/v1`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(ok.status).toBe(200);
    const write = await fetch(`${reg.url}/v2/team/model/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${access_token}` } });
    expect(write.status).toBe(401);
    expect(write.headers.get('www-authenticate')).toContain('scope="repository:team/model:pull,push",error="insufficient_scope"');
    const garbage = await fetch(`${reg.url}/v2/team/model/manifests/v1`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('without the referrers API: 404 and no OCI-Subject (the tag-schema fallback case)', async () => {
    const reg = await startReferrersRegistry({ referrersApi: false, filterArtifactType: false });
    cleanups.push(() => reg.stop());
    const subject = reg.putManifest('r', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: EMPTY_CONFIG, layers: [] });
    reg.putBlob('r', '{}');
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE, config: EMPTY_CONFIG, layers: [], subject: { mediaType: OCI_MANIFEST, digest: subject, size: 10 } }));
    const put = await fetch(`${reg.url}/v2/r/manifests/${sha256(manifest)}`, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest });
    expect(put.status).toBe(201);
    expect(put.headers.get('oci-subject')).toBeNull();
    expect((await fetch(`${reg.url}/v2/r/referrers/${subject}`)).status).toBe(404);
  });
});

describe('sigstore deployment: Fulcio and the OIDC issuers it trusts', () => {
  let servers: SigstoreServers;
  beforeAll(async () => {
    servers = await startSigstoreServers(await scratch());
    cleanups.push(() => servers.close());
  });

  const SUB = 'repo:acme/models:ref:refs/heads/main';
  const WORKFLOW = 'acme/models/.github/workflows/release.yml@refs/heads/main';
  const github = (claims: Record<string, unknown> = {}) => ({ iss: GITHUB_ACTIONS_ISSUER, sub: SUB, job_workflow_ref: WORKFLOW, ...claims });
  const now = () => Math.floor(Date.now() / 1000);

  /** The request sigstore-js sends: a P-256 key (PEM) and its DER ECDSA signature over `challenge`. */
  function certRequest(token: string, challenge: string, key = generateKeyPairSync('ec', { namedCurve: 'P-256' }), signer = key.privateKey) {
    return {
      credentials: { oidcIdentityToken: token },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: key.publicKey.export({ type: 'spki', format: 'pem' }) },
        proofOfPossession: sign('sha256', Buffer.from(challenge), signer).toString('base64'),
      },
    };
  }
  async function signingCert(body: unknown) {
    const res = await fetch(`${servers.url}/api/v2/signingCert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { signedCertificateEmbeddedSct?: { chain: { certificates: string[] } } } };
  }
  /** Fulcio's refusal: 400 with a gRPC-gateway status (code 3, InvalidArgument), and why the server refused it. */
  async function expectRefused(body: unknown, message: string, why: RegExp, label = why.source) {
    const before = servers.rejections.length;
    const res = await signingCert(body);
    expect(res.status, label).toBe(400);
    expect(res.type).toBe('application/json');
    expect(res.body, label).toEqual({ code: 3, message, details: [] });
    expect(servers.rejections.slice(before), label).toEqual([expect.stringMatching(why)]);
  }
  const BAD_TOKEN = 'There was an error processing the identity token';
  const BAD_PROOF = 'The signature supplied in the request could not be verified';

  it('certifies a GitHub Actions token: leaf -> intermediate -> root, the workflow URI SAN, the issuer in 1.1 and 1.8, the requested key', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const res = await signingCert(certRequest(servers.identityToken(github()), SUB, key));
    expect(res.status).toBe(200);
    const pems = res.body.signedCertificateEmbeddedSct?.chain.certificates ?? [];
    expect(pems).toHaveLength(3);
    const [leaf, intermediate, root] = pems.map((p) => new X509Certificate(p)) as [X509Certificate, X509Certificate, X509Certificate];
    expect(leaf.verify(intermediate.publicKey) && leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(false);
    expect(intermediate.verify(root.publicKey) && intermediate.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey) && root.checkIssued(root)).toBe(true);
    expect([leaf.ca, intermediate.ca, root.ca]).toEqual([false, true, true]);
    expect(leaf.subjectAltName).toBe(`URI:https://github.com/${WORKFLOW}`);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.3']); // codeSigning
    expect(leaf.publicKey.export({ type: 'spki', format: 'der' })).toEqual(key.publicKey.export({ type: 'spki', format: 'der' }));
    expect(Date.parse(leaf.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(leaf.validTo)).toBeGreaterThan(Date.now());
    const parsed = SigstoreX509.parse(leaf.raw);
    expect(parsed.extension('1.3.6.1.4.1.57264.1.8')?.valueObj.subs[0]?.value.toString('utf8')).toBe(GITHUB_ACTIONS_ISSUER);
    expect(parsed.extension('1.3.6.1.4.1.57264.1.1')?.value.toString('utf8')).toBe(GITHUB_ACTIONS_ISSUER);
    expect(parsed.extension('1.3.6.1.4.1.11129.2.4.2')).toBeDefined(); // the embedded SCT list
    // The published trusted root describes that chain: the intermediate, then the root.
    const trustedRoot = JSON.parse(await readFile(servers.trustedRootPath, 'utf8')) as { certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[] };
    expect(trustedRoot.certificateAuthorities[0]!.certChain.certificates.map((c) => c.rawBytes)).toEqual([intermediate.raw.toString('base64'), root.raw.toString('base64')]);
  });

  it('certifies a verified email from an email issuer, the proof being over the email, not `sub`', async () => {
    const claims = { iss: EMAIL_ISSUER, sub: 'CgVhbGljZRIEbWFpbA', email: 'alice@example.com', email_verified: true };
    const token = servers.identityToken(claims);
    const res = await signingCert(certRequest(token, 'alice@example.com'));
    expect(res.status).toBe(200);
    const leaf = new X509Certificate(res.body.signedCertificateEmbeddedSct!.chain.certificates[0]!);
    expect(leaf.subjectAltName).toBe('email:alice@example.com');
    expect(SigstoreX509.parse(leaf.raw).extension('1.3.6.1.4.1.57264.1.8')?.valueObj.subs[0]?.value.toString('utf8')).toBe(EMAIL_ISSUER);
    await expectRefused(certRequest(token, claims.sub), BAD_PROOF, /signature over "alice@example\.com"/);
    await expectRefused(certRequest(servers.identityToken({ ...claims, email_verified: false }), 'alice@example.com'), BAD_TOKEN, /email_verified/);
  });

  it('refuses every bad identity token with 400 and the same message: alg none, another key, expired, wrong audience, unknown issuer', async () => {
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const claims = { ...github(), aud: 'sigstore', iat: now(), exp: now() + 600 };
    // Control: these claims, signed by the issuer, are certified.
    expect((await signingCert(certRequest(servers.identityToken(claims), SUB))).status).toBe(200);
    const bad: [string, string, RegExp][] = [
      ['alg none', signJwt(claims), /algorithm "none"/],
      ['signed by another key', signJwt(claims, foreign), /does not verify with the keys of https:\/\/token\.actions/],
      ['expired', servers.identityToken({ ...claims, iat: now() - 1200, exp: now() - 600 }), /expired/],
      ['wrong audience', servers.identityToken({ ...claims, aud: 'not-sigstore' }), /audience "not-sigstore"/],
      ['no expiry', servers.identityToken({ ...claims, exp: undefined }), /expired/],
      ['unknown issuer', signJwt({ ...claims, iss: 'https://issuer.example' }, foreign), /unknown issuer "https:\/\/issuer\.example"/],
      ['no job_workflow_ref', servers.identityToken({ ...claims, job_workflow_ref: undefined }), /job_workflow_ref/],
      ['not a JWT', 'not-a-jwt', /compact JWS/],
    ];
    for (const [what, token, why] of bad) await expectRefused(certRequest(token, SUB), BAD_TOKEN, why, what);
    await expectRefused({ publicKeyRequest: certRequest('', SUB).publicKeyRequest }, BAD_TOKEN, /no identity token/);
  });

  it('refuses a proof of possession that is not the requested key signing the challenge claim, and keys Fulcio would not certify', async () => {
    const token = servers.identityToken(github());
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expectRefused(certRequest(token, SUB, key, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), BAD_PROOF, /signature over "repo:acme/);
    await expectRefused(certRequest(token, WORKFLOW, key), BAD_PROOF, /signature over "repo:acme/); // signed, but not `sub`
    const noProof = certRequest(token, SUB, key);
    await expectRefused({ ...noProof, publicKeyRequest: { publicKey: noProof.publicKeyRequest.publicKey } }, BAD_PROOF, /signature over/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakRequest = certRequest(token, SUB);
    weakRequest.publicKeyRequest.publicKey.content = weak.publicKey.export({ type: 'spki', format: 'pem' });
    weakRequest.publicKeyRequest.proofOfPossession = sign('sha256', Buffer.from(SUB), weak.privateKey).toString('base64');
    await expectRefused(weakRequest, 'The public key supplied in the request is insecure', /rsa key \(1024 bits\) is insecure/);
    const garbled = certRequest(token, SUB);
    garbled.publicKeyRequest.publicKey.content = 'not a key';
    await expectRefused(garbled, 'The public key supplied in the request could not be parsed', /does not parse/);
  });
});
