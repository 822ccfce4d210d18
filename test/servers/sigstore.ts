/**
 * A private Sigstore deployment on loopback for tests: Fulcio with the OIDC issuers it
 * trusts, Rekor (v1) and a timestamp authority, served over real HTTP so our client's own
 * HTTP stack talks to them. It also writes the matching trusted root and a ClientTrustConfig,
 * as an operator of a private deployment would publish them.
 *
 * Fulcio is this file's own, as strict as the real one (sigstore/fulcio pkg/server/
 * grpc_server.go) where a client can get something wrong: the identity token must be RS256
 * signed by the key of an issuer it trusts, for audience `sigstore`, and unexpired; the
 * proof of possession must be the requested key's signature over the token's challenge claim
 * (`email` for an email issuer, `sub` otherwise); the leaf carries the SAN that issuer's type
 * gives (an email, or the GitHub workflow URI) and is issued by an intermediate under the
 * root, as public-good Fulcio serves it. Refusals are Fulcio's: 400 with a gRPC-gateway
 * status body (`{"code":3,"message":...,"details":[]}`), the same message for every bad
 * token; why each was refused is kept in `rejections`, as Fulcio logs it. Rekor and the TSA
 * are @sigstore/mock's.
 */
import { createHash, createPublicKey, generateKeyPair, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';

/** Public-good Fulcio's GitHub Actions issuer (type github-workflow: the SAN is the workflow URI). */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
/** Public-good Fulcio's Dex issuer (type email: the SAN is the verified email). */
export const EMAIL_ISSUER = 'https://oauth2.sigstore.dev/auth';
/** The runner's bearer token the deployment's Actions token service wants (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
export const ACTIONS_RUNTIME_TOKEN = 'runner-runtime-token';
/** The workflow the Actions token service vouches for. */
export const ACTIONS_CLAIMS = { sub: 'repo:acme/models:ref:refs/heads/main', job_workflow_ref: 'acme/models/.github/workflows/release.yml@refs/heads/main' };

export interface SigstoreServers {
  readonly url: string;
  readonly trustedRootPath: string;
  readonly trustConfigPath: string;
  /** Every request path the servers answered, for assertions. */
  readonly requests: string[];
  /** Why Fulcio refused each request it refused (the client sees only Fulcio's generic message). */
  readonly rejections: string[];
  /**
   * An identity token from the deployment's issuer `claims.iss` (GITHUB_ACTIONS_ISSUER or
   * EMAIL_ISSUER), signed with that issuer's key; `aud`, `iat` and `exp` (10 minutes) are
   * filled in unless given.
   */
  identityToken(claims: { iss: string } & Record<string, unknown>): string;
  /**
   * GitHub Actions' OIDC token service of this deployment (ACTIONS_ID_TOKEN_REQUEST_URL; the
   * runner's token is ACTIONS_RUNTIME_TOKEN): it answers a GitHub workflow token for the
   * audience asked. Add `&fault=error` (HTTP 500) or `&fault=empty` (`{}`) to misbehave.
   */
  readonly actionsTokenUrl: string;
  close(): Promise<void>;
}

type Handler = (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>;

const keyPair = (namedCurve = 'P-256') => generateKeyPairSync('ec', { namedCurve });
const b64 = (bytes: ArrayBufferView | Buffer): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const spki = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

/** How the deployment misbehaves, for tests of what verification must refuse. */
export interface SigstoreFaults {
  /** Fulcio issues leaves without the SCT extension, as a CA outside certificate transparency would. */
  readonly noSct?: boolean;
  /**
   * Fulcio refuses every request with 400 and a message quoting the identity token it was
   * sent (`token rejected: <token>`), as a careless CA might: what the client prints of it.
   */
  readonly echoToken?: boolean;
}

/**
 * Starts the servers and writes trusted_root.json and trust_config.json into `dir`. With
 * `tls` (a PEM key and certificate for 127.0.0.1) they answer over HTTPS, and the trust
 * config names https URLs.
 */
export async function startSigstoreServers(dir: string, tls?: { key: string; cert: string }, faults: SigstoreFaults = {}): Promise<SigstoreServers> {
  const requests: string[] = [];
  const rejections: string[] = [];
  const routes = new Map<string, Handler>();
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requested = new URL(req.url ?? '/', 'http://x');
      const path = requested.pathname;
      requests.push(`${req.method} ${path}`);
      // GitHub Actions' OIDC token service: GET with the runner's bearer token, answering
      // {"value": <JWT for the audience asked>}; `?fault=error|empty` misbehaves.
      if (path === '/actions-token' && req.method === 'GET') {
        const fault = requested.searchParams.get('fault');
        if (req.headers.authorization !== `Bearer ${ACTIONS_RUNTIME_TOKEN}`) res.writeHead(401).end('{"message":"bad runtime token"}');
        else if (fault === 'error') res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        else if (fault === 'empty') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: identityToken({ iss: GITHUB_ACTIONS_ISSUER, aud: requested.searchParams.get('audience') ?? '', ...ACTIONS_CLAIMS }) }));
        return;
      }
      const handler = routes.get(path);
      if (!handler || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      handler(Buffer.concat(chunks).toString('utf8')).then(
        ({ statusCode, response, contentType }) => {
          res.writeHead(statusCode, { 'content-type': contentType ?? 'application/json' });
          res.end(typeof response === 'string' ? response : Buffer.from(response.buffer, response.byteOffset, response.byteLength));
        },
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // One clock for the whole deployment, on a whole second: DER writes fractional seconds
  // without trailing zeros (".52Z"), and @sigstore/core only parses exactly three digits,
  // so about one timestamp in ten would fail to parse at all. The mock's log and TSA keep
  // this Date and read it when they sign, so it is set once they exist: the TSA's
  // certificates begin at the second they were made, and a clock read before a second
  // boundary passed during their setup put every signing time before those certificates
  // ("timestamp could not be verified", about one run in twenty). Fulcio's leaves begin at
  // it too, so that the timestamps fall inside them.
  const clock = new Date();
  const tlog = await initializeTLog(url, keyPair(), clock);
  const tsa = await initializeTSA(keyPair(), clock);
  clock.setTime(Math.floor(Date.now() / 1000) * 1000);
  const start = new Date(clock.getTime() - 60_000);

  const issuers = await oidcIssuers();
  const fulcio = createFulcio(issuers, clock, start, rejections, faults);
  routes.set('/api/v2/signingCert', fulcio.handler);
  for (const handler of [rekorHandler(tlog), tsaHandler(tsa)]) routes.set(handler.path, handler.fn);
  const logEntry = routes.get('/api/v1/log/entries')!;
  routes.set('/api/v1/log/entries', (body) => logEntry(canonicalRekorEntry(body)));

  const validFor = { start: start.toISOString() };
  const logKey = (publicKey: Buffer) => ({
    baseUrl: url,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
    logId: { keyId: sha256(publicKey).toString('base64') },
  });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logKey(tlog.publicKey)],
    certificateAuthorities: [
      {
        subject: { organization: 'modelsign-test', commonName: 'fulcio' },
        uri: url,
        // As public-good lists its Fulcio chain: the intermediate, then the root.
        certChain: { certificates: fulcio.chain.map((der) => ({ rawBytes: b64(der) })) },
        validFor,
      },
    ],
    ctlogs: [logKey(fulcio.ctLogKey)],
    timestampAuthorities: [
      {
        subject: { organization: 'modelsign-test', commonName: 'tsa' },
        uri: `${url}/api/v1/timestamp`,
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor,
      },
    ],
  };
  const service = (path: string) => ({ url: `${url}${path}`, majorApiVersion: 1, validFor, operator: 'modelsign-test' });
  const signingConfig = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service('')],
    oidcUrls: [],
    rekorTlogUrls: [service('')],
    tsaUrls: [service('/api/v1/timestamp')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  };
  function identityToken(claims: { iss: string } & Record<string, unknown>): string {
    const issuer = issuers.get(claims.iss);
    if (!issuer) throw new Error(`the test deployment has no OIDC issuer ${claims.iss}`);
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ aud: 'sigstore', iat: now, exp: now + 600, ...claims }, issuer.privateKey);
  }
  const trustedRootPath = join(dir, 'trusted_root.json');
  const trustConfigPath = join(dir, 'trust_config.json');
  await writeFile(trustedRootPath, JSON.stringify(trustedRoot, null, 2));
  await writeFile(trustConfigPath, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json', trustedRoot, signingConfig }, null, 2));

  return {
    url,
    trustedRootPath,
    trustConfigPath,
    requests,
    rejections,
    actionsTokenUrl: `${url}/actions-token?api-version=2.0`,
    identityToken,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A compact JWT over `claims`: RS256 with an RSA key, `alg: none` (an empty signature) without one. */
export function signJwt(claims: object, key?: KeyObject): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: key ? 'RS256' : 'none', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${key ? sign('sha256', Buffer.from(input), key).toString('base64url') : ''}`;
}

// ---- OIDC issuers -------------------------------------------------------------------------

interface OidcIssuer {
  readonly type: 'email' | 'github-workflow';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Who a verified token names, as Fulcio's principal for the issuer's type does. */
interface Principal {
  readonly issuer: string;
  /** What the proof of possession signs: Principal.Name() in Fulcio. */
  readonly challenge: string;
  readonly san: { readonly email: string } | { readonly uri: string };
}

/** Each issuer signs RS256 with its own key, as GitHub's and Dex's do. */
async function oidcIssuers(): Promise<Map<string, OidcIssuer>> {
  const rsa = () => promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const [github, email] = await Promise.all([rsa(), rsa()]);
  return new Map<string, OidcIssuer>([
    [GITHUB_ACTIONS_ISSUER, { type: 'github-workflow', ...github }],
    [EMAIL_ISSUER, { type: 'email', ...email }],
  ]);
}

const INVALID_IDENTITY_TOKEN = 'There was an error processing the identity token';
const INVALID_PUBLIC_KEY = 'The public key supplied in the request could not be parsed';
const INSECURE_PUBLIC_KEY = 'The public key supplied in the request is insecure';
const INVALID_SIGNATURE = 'The signature supplied in the request could not be verified';

/** A request Fulcio refuses: `reply` is what the client is told (pkg/server/error.go), the Error's message why. */
class Refusal extends Error {
  constructor(
    readonly reply: string,
    why: string,
  ) {
    super(why);
  }
}
const badToken = (why: string) => new Refusal(INVALID_IDENTITY_TOKEN, why);

function jsonObject(base64url: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** crypto.verify, false where it throws on a malformed signature. */
function verifies(digest: string | null, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(digest, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * Verifies an identity token as Fulcio does (go-oidc's verifier with the issuer's keys,
 * then the principal for the issuer's type) and returns its principal.
 */
function authenticate(token: unknown, issuers: Map<string, OidcIssuer>): Principal {
  if (typeof token !== 'string' || token === '') throw badToken('no identity token');
  const parts = token.split('.');
  if (parts.length !== 3) throw badToken('the token is not a compact JWS');
  const [header, claims] = parts.slice(0, 2).map(jsonObject);
  if (!header || !claims) throw badToken('the token header or payload is not a base64url JSON object');
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const issuer = issuers.get(iss);
  if (!issuer) throw badToken(`unknown issuer ${JSON.stringify(claims.iss)}`);
  if (header.alg !== 'RS256') throw badToken(`signing algorithm ${JSON.stringify(header.alg)} is not supported (RS256 only)`);
  if (!verifies('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), issuer.publicKey, Buffer.from(parts[2]!, 'base64url'))) {
    throw badToken(`the token signature does not verify with the keys of ${iss}`);
  }
  const aud = claims.aud;
  if (!(aud === 'sigstore' || (Array.isArray(aud) && aud.includes('sigstore')))) throw badToken(`audience ${JSON.stringify(aud)} does not include "sigstore"`);
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now) throw badToken(`the token expired (exp ${JSON.stringify(claims.exp)})`);
  // go-oidc allows five minutes of clock skew on nbf.
  if (typeof claims.nbf === 'number' && claims.nbf > now + 300) throw badToken(`the token is not valid yet (nbf ${claims.nbf})`);
  if (issuer.type === 'email') {
    // pkg/identity/email: a verified, plausible address; the challenge is the address.
    const email = claims.email;
    if (typeof email !== 'string' || !/^.+@.+\..+$/.test(email)) throw badToken('no valid email claim');
    if (claims.email_verified !== true) throw badToken('email_verified claim was false');
    return { issuer: iss, challenge: email, san: { email } };
  }
  // GitHub Actions: the SAN is the workflow that ran (job_workflow_ref); the challenge is `sub`.
  const { sub, job_workflow_ref: workflow } = claims;
  if (typeof sub !== 'string' || sub === '') throw badToken('no sub claim');
  if (typeof workflow !== 'string' || workflow === '') throw badToken('no job_workflow_ref claim');
  return { issuer: iss, challenge: sub, san: { uri: `https://github.com/${workflow}` } };
}

/**
 * The requested key, if Fulcio would certify it (ECDSA P-256/384/521, RSA of 2048 bits or
 * more, Ed25519), and if the proof of possession is its signature over `challenge`.
 */
function provenKey(request: PublicKeyRequest | undefined, challenge: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(String(request?.publicKey?.content ?? ''));
  } catch {
    throw new Refusal(INVALID_PUBLIC_KEY, 'the public key does not parse');
  }
  const { namedCurve, modulusLength } = key.asymmetricKeyDetails ?? {};
  const secure =
    (key.asymmetricKeyType === 'ec' && ['prime256v1', 'secp384r1', 'secp521r1'].includes(namedCurve ?? '')) ||
    (key.asymmetricKeyType === 'rsa' && (modulusLength ?? 0) >= 2048) ||
    key.asymmetricKeyType === 'ed25519';
  if (!secure) throw new Refusal(INSECURE_PUBLIC_KEY, `a ${key.asymmetricKeyType} key (${namedCurve ?? `${modulusLength} bits`}) is insecure`);
  const proof = Buffer.from(typeof request?.proofOfPossession === 'string' ? request.proofOfPossession : '', 'base64');
  if (!verifies(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.from(challenge), key, proof)) {
    throw new Refusal(INVALID_SIGNATURE, `the proof of possession is not the key's signature over ${JSON.stringify(challenge)}`);
  }
  return key;
}

// ---- Fulcio and its CT log ----------------------------------------------------------------

interface PublicKeyRequest {
  readonly publicKey?: { readonly content?: unknown };
  readonly proofOfPossession?: unknown;
}

/** A Fulcio CA (root -> intermediate -> leaves) with its own CT log for the embedded SCTs. */
function createFulcio(issuers: Map<string, OidcIssuer>, clock: Date, start: Date, rejections: string[], faults: SigstoreFaults) {
  const rootKey = keyPair('P-384');
  const intermediateKey = keyPair('P-384');
  const ctKey = keyPair();
  const rootName = name('modelsign-test', 'fulcio-root');
  const intermediateName = name('modelsign-test', 'fulcio-intermediate');
  const end = new Date(start.getTime() + 365 * 86_400_000);
  const root = certificate({
    issuer: rootName,
    subject: rootName,
    notBefore: start,
    notAfter: end,
    publicKey: rootKey.publicKey,
    signer: rootKey,
    extensions: [basicConstraints(1), caKeyUsage(), subjectKeyId(rootKey.publicKey)],
  });
  const intermediate = certificate({
    issuer: rootName,
    subject: intermediateName,
    notBefore: start,
    notAfter: end,
    publicKey: intermediateKey.publicKey,
    signer: rootKey,
    extensions: [basicConstraints(0), caKeyUsage(), codeSigning(), subjectKeyId(intermediateKey.publicKey), authorityKeyId(rootKey.publicKey)],
  });
  const handler: Handler = async (body) => {
    try {
      let request: { credentials?: { oidcIdentityToken?: unknown }; publicKeyRequest?: PublicKeyRequest };
      try {
        request = JSON.parse(body) as typeof request;
      } catch (err) {
        throw new Refusal((err as Error).message, 'the request is not JSON');
      }
      if (faults.echoToken) throw new Refusal(`token rejected: ${String(request.credentials?.oidcIdentityToken)}`, 'the echoToken fault refuses every request');
      const principal = authenticate(request.credentials?.oidcIdentityToken, issuers);
      // Only the public-key form: our client never sends a CSR, so one is refused as no key.
      const key = provenKey(request.publicKeyRequest, principal.challenge);
      const certificates = [issueLeaf(principal, key), intermediate, root].map(pem);
      return { statusCode: 200, response: JSON.stringify({ signedCertificateEmbeddedSct: { chain: { certificates } } }) };
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      rejections.push(err.message);
      // gRPC InvalidArgument (3), which the gateway answers with 400.
      return { statusCode: 400, response: JSON.stringify({ code: 3, message: err.reply, details: [] }) };
    }
  };

  /** The leaf Fulcio issues: no subject, the SAN (critical), the issuer in both OIDs, an embedded SCT (unless `noSct`). */
  function issueLeaf(principal: Principal, key: KeyObject): Buffer {
    const leaf = {
      issuer: intermediateName,
      subject: seq(),
      notBefore: clock,
      notAfter: new Date(clock.getTime() + 10 * 60_000),
      publicKey: key,
      signer: intermediateKey,
      serial: serialNumber(),
      extensions: [
        extension('2.5.29.15', bits(Buffer.from([0x80]), 7), true), // keyUsage: digitalSignature
        codeSigning(),
        extension('2.5.29.17', seq('email' in principal.san ? der(0x81, Buffer.from(principal.san.email)) : der(0x86, Buffer.from(principal.san.uri))), true),
        subjectKeyId(key),
        authorityKeyId(intermediateKey.publicKey),
        extension('1.3.6.1.4.1.57264.1.1', Buffer.from(principal.issuer)), // the deprecated, raw form
        extension('1.3.6.1.4.1.57264.1.8', utf8(principal.issuer)),
      ],
    };
    if (faults.noSct) return certificate(leaf);
    // RFC 6962: the log signs the precertificate's TBS (the leaf without the SCT list) and the
    // hash of the issuing key; the verifier rebuilds both from the final certificate.
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(BigInt(clock.getTime()));
    const precert = tbsCertificate(leaf);
    const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, u16(1), sha256(spki(intermediateKey.publicKey)), u24(precert.length), precert, u16(0)]);
    const signature = sign('sha256', signed, ctKey.privateKey);
    const sct = Buffer.concat([Buffer.from([0]), sha256(spki(ctKey.publicKey)), timestamp, u16(0), Buffer.from([4, 3]), u16(signature.length), signature]);
    const list = Buffer.concat([u16(sct.length + 2), u16(sct.length), sct]);
    return certificate({ ...leaf, extensions: [...leaf.extensions, extension('1.3.6.1.4.1.11129.2.4.2', octets(list))] });
  }

  return { handler, chain: [intermediate, root], ctLogKey: spki(ctKey.publicKey) };
}

// ---- DER, as much of X.509 as Fulcio's certificates need -----------------------------------

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length: number[] = [];
  for (let n = body.length; n > 0; n = Math.floor(n / 256)) length.unshift(n % 256);
  const header = body.length < 0x80 ? [tag, body.length] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), body]);
}
const seq = (...contents: Buffer[]) => der(0x30, ...contents);
const octets = (bytes: Buffer) => der(0x04, bytes);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const bits = (bytes: Buffer, unused = 0) => der(0x03, Buffer.from([unused]), bytes);
const integer = (bytes: Buffer) => der(0x02, bytes);
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) base128.unshift(0x80 | (n & 0x7f));
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime, whole seconds (every date here is before 2050). */
const time = (date: Date) => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
const name = (organization: string, commonName: string) =>
  seq(der(0x31, seq(oid('2.5.4.10'), utf8(organization))), der(0x31, seq(oid('2.5.4.3'), utf8(commonName))));
const extension = (id: string, value: Buffer, critical = false) => seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), octets(value));
const basicConstraints = (pathLength: number) => extension('2.5.29.19', seq(der(0x01, Buffer.from([0xff])), integer(Buffer.from([pathLength]))), true);
const caKeyUsage = () => extension('2.5.29.15', bits(Buffer.from([0x06]), 1), true); // keyCertSign, cRLSign
const codeSigning = () => extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.3')));
// Key identifiers: a SHA-1 of the whole SubjectPublicKeyInfo; the verifier only matches them up.
const keyId = (key: KeyObject) => createHash('sha1').update(spki(key)).digest();
const subjectKeyId = (key: KeyObject) => extension('2.5.29.14', octets(keyId(key)));
const authorityKeyId = (key: KeyObject) => extension('2.5.29.35', seq(der(0x80, keyId(key))));
/** A positive 127-bit serial whose first byte is not zero, so that its DER INTEGER is minimal. */
const serialNumber = () => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
};
const ECDSA_SHA384 = seq(oid('1.2.840.10045.4.3.3'));

interface CertificateFields {
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly signer: { readonly privateKey: KeyObject };
  readonly extensions: Buffer[];
  readonly serial?: Buffer;
}

function tbsCertificate(c: CertificateFields): Buffer {
  return seq(
    der(0xa0, integer(Buffer.from([2]))),
    integer(c.serial ?? serialNumber()),
    ECDSA_SHA384,
    c.issuer,
    seq(time(c.notBefore), time(c.notAfter)),
    c.subject,
    spki(c.publicKey),
    der(0xa3, seq(...c.extensions)),
  );
}

function certificate(c: CertificateFields): Buffer {
  const tbs = tbsCertificate(c);
  return seq(tbs, ECDSA_SHA384, bits(sign('sha384', tbs, c.signer.privateKey)));
}

const pem = (certificateDer: Buffer) => `-----BEGIN CERTIFICATE-----\n${certificateDer.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

/**
 * Rekor does not log a proposed `dsse` entry as sent: it stores a canonical body with the
 * payload and envelope hashes and each signature paired with its verifier. The mock logs
 * the proposal verbatim, so do what Rekor does before handing it on.
 */
function canonicalRekorEntry(body: string): string {
  const proposed = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
  const content = proposed.spec?.proposedContent;
  if (proposed.kind !== 'dsse' || !content) return body;
  const envelope = JSON.parse(content.envelope) as { payload: string; signatures: { sig: string }[] };
  const hex = (data: string | Buffer) => sha256(data).toString('hex');
  return JSON.stringify({
    apiVersion: proposed.apiVersion ?? '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: hex(content.envelope) },
      payloadHash: { algorithm: 'sha256', value: hex(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s) => ({ signature: s.sig, verifier: content.verifiers[0] })),
    },
  });
}
