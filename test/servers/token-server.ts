/**
 * A Bearer token server on loopback implementing distribution's token authentication spec
 * (docs/spec/auth/token.md, jwt.md), for tests of registry clients.
 *
 *   GET <realm>?service=<service>&scope=repository:<name>:pull,push[&scope=...][&account=<user>]
 *   Authorization: Basic <user:pass>          (optional; anonymous only when allowed)
 *   -> 200 {"token", "access_token", "expires_in", "issued_at"}
 *
 * The token is a JWT (ES256 for an EC P-256 key, RS256 for RSA) that distribution 2.8
 * (registry/auth/token/token.go) accepts: it looks for the signing key in the JOSE header, in
 * this order: `x5c` (a certificate chain verified against `rootcertbundle`), `jwk`, `kid`
 * (looked up among the public keys of the `rootcertbundle` certificates by their libtrust
 * KeyID). Both `x5c` (default) and `kid` are implemented here. Claims: iss, sub, aud (a
 * single string, as distribution 2.8 decodes it), exp, nbf, iat, jti and
 * access: [{type, name, actions}]. The registry checks iss == its `issuer`, aud == its
 * `service`, exp/nbf with 60 s leeway, and that `access` covers what the request needs.
 *
 * With `oauth`, POST <realm> also takes the OAuth2 flow of docs/spec/auth/oauth.md: a form
 * (application/x-www-form-urlencoded) with grant_type `password` (username, password) or
 * `refresh_token` (refresh_token), plus the required service and client_id and an optional
 * space-separated scope and access_type; it answers {access_token, scope, expires_in,
 * issued_at}, and a refresh_token for `password` with access_type=offline. Unknown
 * credentials get 401, a malformed form 400. Without `oauth`, POST is answered 404, which
 * tells docker-style clients to fall back to GET, as servers without OAuth2 support do.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ResourceAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: ResourceAccess[];
}

/** A signing key and its self-signed certificate (PEM), the registry's `rootcertbundle`. */
export interface SigningIdentity {
  keyPem: string;
  certPem: string;
}

export interface TokenServerOptions {
  /** Signing key + certificate; generated with openssl (EC P-256) when absent. */
  identity?: SigningIdentity;
  /** Key type generated when `identity` is absent. Default 'ec'. */
  keyType?: 'ec' | 'rsa';
  /** How the token names its key: `x5c` (certificate in the header, default) or `kid` (libtrust KeyID). */
  keyReference?: 'x5c' | 'kid';
  /** `iss` claim; must equal the registry's auth.token.issuer. Default 'modelsign-test-issuer'. */
  issuer?: string;
  /** `aud` claim and the expected `service` parameter. Default 'modelsign-test-registry'. */
  service?: string;
  /** Basic credentials accepted (user -> password). Default {}. */
  users?: Record<string, string>;
  /** Issue tokens without credentials. Default false (answer 401). */
  anonymous?: boolean;
  /** Actions an anonymous caller may get (intersected with what it asks). Default ['pull']. */
  anonymousActions?: string[];
  /**
   * Policy: actions granted for one requested resource. Default: an authenticated user gets
   * every requested action, an anonymous caller `anonymousActions`.
   */
  access?: (request: { account: string | undefined; type: string; name: string; actions: string[] }) => string[];
  /** Token lifetime in seconds. Default 300. */
  expiresIn?: number;
  /** Which response field(s) carry the token. Default 'both'. */
  fields?: 'both' | 'token' | 'access_token';
  /** Answer the OAuth2 POST flow. Default false (POST: 404). */
  oauth?: boolean;
  /** Refresh tokens accepted by the OAuth2 flow (token -> account). Default {}. */
  refreshTokens?: Record<string, string>;
  /**
   * A busy service: the first `times` requests to /token (GET or POST) are answered `status`
   * (429 or 503, say) with this `Retry-After` (seconds), before anything else is looked at.
   */
  busy?: { status: number; times: number; retryAfter?: number };
}

export interface TokenRequestRecord {
  method: string;
  /** The request body (a POST's form). */
  body: string;
  path: string;
  /** Query parameters, each with all its values in order. */
  query: Record<string, string[]>;
  service: string | undefined;
  scopes: string[];
  /** Whether any Authorization header arrived. */
  authorization: boolean;
  /** The Basic user name when credentials were sent (valid or not); for OAuth2, the account. */
  user: string | undefined;
  /** The OAuth2 form fields of a POST. */
  form?: Record<string, string>;
  status: number;
  granted: ResourceAccess[] | undefined;
}

export interface TokenServer {
  /** Base URL, http://127.0.0.1:PORT */
  readonly url: string;
  /** The realm to put in `WWW-Authenticate` / the registry config: `${url}/token`. */
  readonly realm: string;
  readonly issuer: string;
  readonly service: string;
  readonly identity: SigningIdentity;
  readonly publicKey: KeyObject;
  /** libtrust KeyID of the signing key (what `kid` carries in 'kid' mode). */
  readonly keyId: string;
  /** Every request, in order. */
  readonly requests: TokenRequestRecord[];
  /** Mints a token directly (for tests of expired or mis-scoped tokens). */
  issue(claims: { access: ResourceAccess[]; subject?: string; expiresIn?: number; notBefore?: number; audience?: string; issuer?: string }): string;
  /** Verifies a token's signature, issuer, audience and time; returns its claims or undefined. */
  verify(token: string): TokenClaims | undefined;
  /**
   * Answers GET /token with 200 and these bytes instead of a token (a broken token service);
   * undefined restores tokens. With `stall`, the answer promises more bytes than it sends
   * and the connection is then held (a service that stopped mid-answer).
   */
  answerWith(body: string | undefined, stall?: boolean): void;
  stop(): Promise<void>;
}

const execFileText = (cmd: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout)));
  });

/** Generates a key and a self-signed certificate with openssl, as an operator would. */
export async function createSigningIdentity(keyType: 'ec' | 'rsa' = 'ec'): Promise<SigningIdentity> {
  const dir = await mkdtemp(join(tmpdir(), 'modelsign-token-key-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const newkey = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
    await execFileText('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=modelsign-test-token-issuer']);
    return { keyPem: await readFile(keyPath, 'utf8'), certPem: await readFile(certPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** libtrust's KeyID: base32 of the first 240 bits of sha256(DER SubjectPublicKeyInfo), in groups of 4 joined by ':'. */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const bytes = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{1,4}/g)!.join(':');
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Parses `type:name:actions` (the name may itself hold ':'). */
export function parseScope(scope: string): ResourceAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const identity = options.identity ?? (await createSigningIdentity(options.keyType ?? 'ec'));
  const issuer = options.issuer ?? 'modelsign-test-issuer';
  const service = options.service ?? 'modelsign-test-registry';
  const users = options.users ?? {};
  const expiresIn = options.expiresIn ?? 300;
  const privateKey = createPrivateKey(identity.keyPem);
  const publicKey = createPublicKey(privateKey);
  const cert = new X509Certificate(identity.certPem);
  if (!cert.publicKey.equals(publicKey)) throw new Error('token server: certificate does not match the signing key');
  const ec = privateKey.asymmetricKeyType === 'ec';
  if (ec && privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('token server: only EC P-256 (ES256) or RSA (RS256) keys');
  if (!ec && privateKey.asymmetricKeyType !== 'rsa') throw new Error(`token server: unsupported key type ${privateKey.asymmetricKeyType}`);
  const alg = ec ? 'ES256' : 'RS256';
  const keyId = libtrustKeyId(publicKey);
  const header =
    (options.keyReference ?? 'x5c') === 'x5c'
      ? { typ: 'JWT', alg, x5c: [cert.raw.toString('base64')] }
      : { typ: 'JWT', alg, kid: keyId };
  const requests: TokenRequestRecord[] = [];

  const issue: TokenServer['issue'] = (c) => {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      iss: c.issuer ?? issuer,
      sub: c.subject ?? '',
      aud: c.audience ?? service,
      exp: now + (c.expiresIn ?? expiresIn),
      nbf: c.notBefore ?? now - 1,
      iat: now,
      jti: randomUUID(),
      access: c.access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), ec ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
    return `${input}.${signature.toString('base64url')}`;
  };

  const verifyToken: TokenServer['verify'] = (token) => {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
      if (head.alg !== alg) return undefined;
      const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), ec ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, Buffer.from(parts[2]!, 'base64url'));
      if (!ok) return undefined;
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
      const now = Math.floor(Date.now() / 1000);
      if (claims.iss !== issuer || claims.aud !== service) return undefined;
      if (now > claims.exp + 60 || now < claims.nbf - 60) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  };

  const grant = (account: string | undefined, wanted: ResourceAccess): string[] => {
    if (options.access) return options.access({ account, ...wanted }).filter((a) => wanted.actions.includes(a) || wanted.actions.includes('*'));
    if (account !== undefined) return wanted.actions;
    const allowed = options.anonymousActions ?? ['pull'];
    return wanted.actions.filter((a) => allowed.includes(a));
  };

  /** What the scopes asked for grant `account`, or why a scope is malformed. */
  const grantScopes = (account: string | undefined, scopes: readonly string[]): ResourceAccess[] | string => {
    const access: ResourceAccess[] = [];
    for (const scope of scopes) {
      const wanted = parseScope(scope);
      if (!wanted) return `malformed scope ${scope}`;
      const actions = grant(account, wanted);
      if (actions.length > 0) access.push({ type: wanted.type, name: wanted.name, actions });
    }
    return access;
  };

  const refreshTokens = new Map(Object.entries(options.refreshTokens ?? {}));
  type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;
  type Fail = (status: number, code: string, message: string, headers?: Record<string, string>) => void;

  /** The OAuth2 flow (docs/spec/auth/oauth.md). */
  const oauth = (req: IncomingMessage, record: TokenRequestRecord, json: Reply, error: Fail) => {
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return error(400, 'INVALID_REQUEST', 'the token request must be a form');
    const form = Object.fromEntries(new URLSearchParams(record.body));
    record.form = form;
    record.service = form.service;
    record.scopes = (form.scope ?? '').split(' ').filter(Boolean);
    for (const field of ['grant_type', 'service', 'client_id']) if (!form[field]) return error(400, 'INVALID_REQUEST', `missing ${field}`);
    if (form.service !== service) return error(400, 'INVALID_REQUEST', `unknown service ${form.service}`);
    let account: string | undefined;
    if (form.grant_type === 'refresh_token') account = refreshTokens.get(form.refresh_token ?? '');
    else if (form.grant_type === 'password') account = Object.hasOwn(users, form.username ?? '') && users[form.username!] === form.password ? form.username : undefined;
    else return error(400, 'UNSUPPORTED_GRANT_TYPE', `grant_type ${form.grant_type} is not supported`);
    if (account === undefined) return error(401, 'UNAUTHORIZED', 'invalid credentials');
    record.user = account;
    const access = grantScopes(account, record.scopes);
    if (typeof access === 'string') return error(400, 'INVALID_REQUEST', access);
    record.granted = access;
    const body: Record<string, unknown> = { access_token: issue({ access, subject: account }), scope: record.scopes.join(' '), expires_in: expiresIn, issued_at: new Date().toISOString() };
    if (form.grant_type === 'password' && form.access_type === 'offline') {
      const refresh = randomUUID();
      refreshTokens.set(refresh, account);
      body.refresh_token = refresh;
    }
    json(200, body);
  };

  let busyLeft = options.busy?.times ?? 0;
  let brokenAnswer: string | undefined;
  let stallAnswer = false;
  const handle = (req: IncomingMessage, res: ServerResponse, record: TokenRequestRecord) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) => json(status, { errors: [{ code, message }] }, headers);
    if (record.path === '/token' && busyLeft > 0) {
      busyLeft -= 1;
      const code = options.busy!.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE';
      return error(options.busy!.status, code, 'the token service is busy', options.busy!.retryAfter === undefined ? {} : { 'retry-after': String(options.busy!.retryAfter) });
    }
    if (record.path === '/token' && req.method === 'POST' && options.oauth) return oauth(req, record, json, error);
    if (record.path !== '/token' || req.method !== 'GET') return error(404, 'NOT_FOUND', `no ${req.method} ${record.path} here (GET /token only)`);
    if (brokenAnswer !== undefined) {
      record.status = 200;
      if (stallAnswer) return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(brokenAnswer) + 1000) }).write(brokenAnswer);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(brokenAnswer);
    }
    if (record.service !== undefined && record.service !== service) return error(400, 'INVALID_REQUEST', `unknown service ${record.service}`);

    let account: string | undefined;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Basic\s+(\S+)$/i.exec(authorization);
      const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : undefined;
      record.user = user;
      if (user === undefined || !Object.hasOwn(users, user) || users[user] !== decoded.slice(colon + 1)) {
        return error(401, 'UNAUTHORIZED', 'invalid credentials', { 'www-authenticate': 'Basic realm="modelsign-test-token-server"' });
      }
      account = user;
    } else if (!options.anonymous) {
      return error(401, 'UNAUTHORIZED', 'authentication required', { 'www-authenticate': 'Basic realm="modelsign-test-token-server"' });
    }
    const access = grantScopes(account, record.scopes);
    if (typeof access === 'string') return error(400, 'INVALID_REQUEST', access);
    record.granted = access;
    const token = issue({ access, subject: account ?? '' });
    const body: Record<string, unknown> = { expires_in: expiresIn, issued_at: new Date().toISOString() };
    if (options.fields !== 'access_token') body.token = token;
    if (options.fields !== 'token') body.access_token = token;
    json(200, body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
      const record: TokenRequestRecord = {
        body: Buffer.concat(chunks).toString('utf8'),
        method: req.method ?? '',
        path: url.pathname,
        query,
        service: url.searchParams.get('service') ?? undefined,
        scopes: url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean)),
        authorization: req.headers.authorization !== undefined,
        user: undefined,
        status: 0,
        granted: undefined,
      };
      requests.push(record);
      try {
        handle(req, res, record);
      } catch (err) {
        record.status = 500;
        res.writeHead(500, { 'content-type': 'text/plain' }).end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    issuer,
    service,
    identity,
    publicKey,
    keyId,
    requests,
    issue,
    verify: verifyToken,
    answerWith: (body, stall = false) => {
      brokenAnswer = body;
      stallAnswer = stall;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
