import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { ModelsignError, usageError } from '../errors.js';
import { describeCredentials, type CredentialResolver, type Credentials } from './credentials.js';
import { apiHost, isLoopback } from './reference.js';

export interface TransportOptions {
  /** Speak plain HTTP to a non-loopback registry (loopback always may). */
  readonly plainHttp?: boolean;
  readonly credentials: CredentialResolver;
  /** Retries for 429, 5xx and dropped connections. */
  readonly retries?: number;
  /**
   * How long a registry may stay silent, in ms: before the headers of an answer to a GET or
   * HEAD (default 30 s; an upload's closing PUT, which the registry may answer only after
   * checking gigabytes, keeps undici's 300 s), and between chunks of any body (default 60 s).
   * `readMs`: how long reading a whole small answer may take (a manifest, a referrers page, a
   * token, an error document; default 120 s, 4 MiB at 35 KB/s): a registry sending a byte
   * now and then never trips the gap between chunks, and would hold the command for ever.
   */
  readonly timeouts?: {
    readonly headersMs?: number;
    readonly bodyMs?: number;
    readonly readMs?: number;
    /**
     * A blob (of any size, so no deadline fits it) fails when fewer than `bytesPerSecond` x
     * `windowMs` / 1000 bytes arrive in a window of `windowMs` (default 1 KiB/s over 60 s,
     * as curl's --speed-limit and --speed-time): a registry sending a byte now and then never
     * leaves the gap `bodyMs` bounds.
     */
    readonly lowSpeed?: LowSpeed;
  };
  /** What sends the requests (a proxy agent, say); by default undici's global dispatcher. */
  readonly dispatcher?: Dispatcher;
}

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path under the registry (`/v2/...`) or an absolute URL (upload locations). */
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Called for every attempt, so a retried upload sends its bytes again. */
  readonly body?: () => Dispatcher.DispatchOptions['body'];
  /** The token scope(s) this request needs, space-separated, e.g. `repository:models/x:pull`. */
  readonly scope: string;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
  /** The URL that answered, after redirects. */
  readonly url: string;
}

interface Challenge {
  readonly scheme: 'basic' | 'bearer';
  readonly params: Record<string, string>;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
// A silent registry costs a whole timeout per attempt: retried once, not `retries` times.
const SILENCE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const HEADERS_TIMEOUT_MS = 30_000;
const UPLOAD_HEADERS_TIMEOUT_MS = 300_000;
const BODY_TIMEOUT_MS = 60_000;
const READ_TIMEOUT_MS = 120_000;
const LOW_SPEED: LowSpeed = { bytesPerSecond: 1024, windowMs: 60_000 };
const MAX_REDIRECTS = 5;
const MAX_RETRY_WAIT_MS = 30_000;
// A token response is a small JSON document; a larger one is not a token.
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/** A floor on how fast a body arrives: so many bytes a second, counted over windows this long. */
export interface LowSpeed {
  readonly bytesPerSecond: number;
  readonly windowMs: number;
}

/**
 * HTTP to one registry: authentication (anonymous, Basic, Bearer token challenges with
 * scopes, tokens cached per scope), retries with backoff honouring Retry-After, and
 * redirects followed by hand so `Authorization` never reaches another origin.
 */
export class RegistryTransport {
  readonly baseUrl: string;
  /** Scheme, host and port: what credentials are for (a downgrade to http is another origin). */
  private readonly origin: string;
  private readonly tokens = new Map<string, { value: string; expires: number }>();
  private basic: string | undefined;
  private challenge: Challenge | undefined;
  // The credentials last sent (as Basic, or for a token); undefined: anonymous. Named when refused.
  private sent: Credentials | undefined;

  constructor(
    readonly registry: string,
    private readonly options: TransportOptions,
  ) {
    const host = apiHost(registry);
    this.baseUrl = `${options.plainHttp || isLoopback(registry) ? 'http' : 'https'}://${host}`;
    this.origin = new URL(this.baseUrl).origin;
  }

  /** Sends a request, authenticating and retrying as needed. The caller consumes the body. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let authRetried = false;
    for (let attempt = 0; ; attempt += 1) {
      let res: HttpResponse;
      try {
        res = await this.sendFollowingRedirects(req, await this.authorization(req.scope));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (this.retryable(code, attempt)) {
          await sleep(backoff(attempt));
          continue;
        }
        if (err instanceof ModelsignError) throw err;
        const silent = code === 'UND_ERR_HEADERS_TIMEOUT' ? ` (no answer within ${this.headersTimeout(req.method) / 1000} s)` : '';
        throw new ModelsignError('remote', 'NETWORK', `cannot reach ${this.registry}: ${(err as Error).message}${code ? ` (${code})` : ''}${silent}`, { cause: err });
      }
      if (res.statusCode === 401 && new URL(res.url).origin !== this.origin) {
        // Another origin (a redirect target) asking for credentials would get the registry's
        // from a challenge it wrote itself: refused, it gets neither those nor a token.
        await res.body.dump();
        throw new ModelsignError('remote', 'AUTH_FAILED', `${new URL(res.url).origin}, where ${this.registry} sent the request, asks for credentials (401); those for ${this.registry} go to its own origin (and the token service it names) only`);
      }
      if (res.statusCode === 401 && !authRetried) {
        const challenge = parseChallenge(headerList(res.headers, 'www-authenticate'));
        await res.body.dump();
        if (!challenge) throw new ModelsignError('remote', 'AUTH_FAILED', `${this.registry} refused the request (401) without an authentication challenge`);
        this.challenge = challenge;
        this.tokens.clear();
        authRetried = true;
        continue;
      }
      if (res.statusCode === 401) {
        // Asked again after answering the challenge: what was sent is refused. Said here, naming
        // the credentials and where they came from, rather than as a status of whatever request it was.
        await res.body.dump();
        throw new ModelsignError('remote', 'AUTH_FAILED', this.refusal(req));
      }
      if (RETRY_STATUS.has(res.statusCode) && attempt < this.retries) {
        await waitToRetry(res, attempt);
        continue;
      }
      return res;
    }
  }

  /** Why a request answered 401 twice: the credentials sent (named with their source), or anonymous access, refused. */
  private refusal(req: HttpRequest): string {
    const request = `401 to ${req.method} ${new URL(req.url, this.baseUrl).pathname}`;
    if (this.sent === undefined) return `${this.registry} refused anonymous access to ${req.scope} (${request}): log in with docker login or pass --username/--password-stdin`;
    const creds = describeCredentials(this.sent);
    if (this.challenge?.scheme === 'basic') return `${this.registry} refused ${creds} (${request}): check them, or log in again`;
    return `${this.registry} refused the token its token service gave for ${creds}, for ${req.scope} (${request}): they do not give that access`;
  }

  private get retries(): number {
    return this.options.retries ?? 4;
  }

  /** Whether a request that failed with this error code is tried again (a silence only once: each costs a whole timeout). */
  private retryable(code: string, attempt: number): boolean {
    return RETRY_CODES.has(code) && attempt < (SILENCE_CODES.has(code) ? Math.min(1, this.retries) : this.retries);
  }

  /** The slowest a blob may arrive (TransportOptions.timeouts.lowSpeed). */
  get lowSpeed(): LowSpeed {
    return this.options.timeouts?.lowSpeed ?? LOW_SPEED;
  }

  /** How long reading a small answer whole may take (TransportOptions.timeouts.readMs). */
  get readTimeoutMs(): number {
    return this.options.timeouts?.readMs ?? READ_TIMEOUT_MS;
  }

  private headersTimeout(method: HttpRequest['method']): number {
    return method === 'GET' || method === 'HEAD' ? (this.options.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS) : UPLOAD_HEADERS_TIMEOUT_MS;
  }

  /** undici's options for a request of this method: the timeouts (see TransportOptions.timeouts), and the dispatcher if one is set. */
  private requestOptions(method: HttpRequest['method']): { headersTimeout: number; bodyTimeout: number; dispatcher?: Dispatcher } {
    const timeouts = { headersTimeout: this.headersTimeout(method), bodyTimeout: this.options.timeouts?.bodyMs ?? BODY_TIMEOUT_MS };
    return this.options.dispatcher ? { ...timeouts, dispatcher: this.options.dispatcher } : timeouts;
  }

  private async sendFollowingRedirects(req: HttpRequest, authorization: string | undefined): Promise<HttpResponse> {
    let url = new URL(req.url, this.baseUrl);
    // What goes over TLS stays there (an upload location, a next-page link or a redirect from
    // the registry may name plain HTTP): digests would catch altered bytes, but not a private
    // model's bytes, a signed storage URL or a manifest read or written on the way.
    if (leavesHttps(this.origin, url)) {
      throw new ModelsignError('remote', 'HTTPS_DOWNGRADE', `${this.registry}, reached over HTTPS, named ${plainTarget(url)} for ${req.method} ${url.pathname} (an upload location or a next-page link); refused: the registry should keep to HTTPS`);
    }
    for (let hops = 0; ; hops += 1) {
      // Credentials are for the registry alone: never for another origin a redirect, a next-page
      // Link or an upload Location points to (URL.host alone lets https://r -> http://r through).
      const sameOrigin = url.origin === this.origin;
      const headers = { 'user-agent': 'modelsign', ...req.headers, ...(authorization && sameOrigin ? { authorization } : {}) };
      const res = await request(url, {
        method: req.method,
        headers,
        body: req.body?.() ?? null,
        ...this.requestOptions(req.method),
      });
      const location = header(res.headers, 'location');
      const redirect = [301, 302, 303, 307, 308].includes(res.statusCode) && location && (req.method === 'GET' || req.method === 'HEAD');
      if (!redirect) return { statusCode: res.statusCode, headers: res.headers, body: res.body, url: url.toString() };
      await res.body.dump();
      if (hops >= MAX_REDIRECTS) throw new ModelsignError('remote', 'TOO_MANY_REDIRECTS', `${this.registry} redirected more than ${MAX_REDIRECTS} times`);
      let next: URL;
      try {
        next = new URL(location!, url);
      } catch (err) {
        throw new ModelsignError('remote', 'REGISTRY_ERROR', `${this.registry} redirected to ${JSON.stringify(location).slice(0, 200)}, which is not a URL`, { cause: err });
      }
      if (leavesHttps(url.origin, next)) {
        throw new ModelsignError('remote', 'HTTPS_DOWNGRADE', `${this.registry} redirected ${req.method} ${url.pathname} from HTTPS to ${plainTarget(next)}; refused: the registry's storage should be served over HTTPS`);
      }
      url = next;
    }
  }

  /** The Authorization header for a scope, after the registry has said how it wants it. */
  private async authorization(scope: string): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      if (this.basic === undefined) {
        const creds = await this.options.credentials(this.registry);
        if (creds?.kind !== 'basic') throw new ModelsignError('remote', 'AUTH_FAILED', `${this.registry} asks for a username and password; log in with docker login or pass --username/--password-stdin`);
        this.basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
        this.sent = creds;
      }
      return this.basic;
    }
    const key = `${challenge.params.realm}|${challenge.params.service}|${scope}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expires > Date.now()) return `Bearer ${cached.value}`;
    const token = await this.fetchToken(challenge, scope);
    this.tokens.set(key, token);
    return `Bearer ${token.value}`;
  }

  /**
   * One request to the token service, retried as registry requests are: a busy service (429,
   * 5xx, after its Retry-After) or a dropped connection is asked again, up to `retries` times.
   * The last answer is returned whatever it is; a connection that never works is NETWORK.
   */
  private async tokenRequest(url: URL, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<Dispatcher.ResponseData> {
    for (let attempt = 0; ; attempt += 1) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { ...init, ...this.requestOptions('GET') });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (this.retryable(code, attempt)) {
          await sleep(backoff(attempt));
          continue;
        }
        throw new ModelsignError('remote', 'NETWORK', `cannot reach the token service ${url.origin}: ${(err as Error).message}${code ? ` (${code})` : ''}`, { cause: err });
      }
      if (!RETRY_STATUS.has(res.statusCode) || attempt >= this.retries) return res;
      await waitToRetry(res, attempt);
    }
  }

  private async fetchToken(challenge: Challenge, scope: string): Promise<{ value: string; expires: number }> {
    const realm = challenge.params.realm;
    if (!realm) throw new ModelsignError('remote', 'AUTH_FAILED', `${this.registry} sent a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch (err) {
      throw new ModelsignError('remote', 'AUTH_FAILED', `${this.registry} sent a Bearer challenge whose realm ${JSON.stringify(realm).slice(0, 200)} is not a URL`, { cause: err });
    }
    // Credentials, and the token they buy, would cross in clear.
    if (leavesHttps(this.origin, url)) {
      throw new ModelsignError('remote', 'HTTPS_DOWNGRADE', `${this.registry}, reached over HTTPS, names its token service on ${plainTarget(url)}; refused: no credentials or tokens are sent or asked for there`);
    }
    const creds = await this.options.credentials(this.registry);
    this.sent = creds;
    const service = challenge.params.service;
    // A token request, by POST or GET, is a read: it gets the read timeouts.
    let res: Dispatcher.ResponseData;
    if (creds?.kind === 'identity-token') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, client_id: 'modelsign', scope, ...(service ? { service } : {}) });
      res = await this.tokenRequest(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    } else {
      if (service) url.searchParams.set('service', service);
      // Several scopes (a mount needs pull on the source repository) go as repeated parameters.
      for (const s of scope.split(' ')) url.searchParams.append('scope', s);
      res = await this.tokenRequest(url, { method: 'GET', headers: creds ? { authorization: basicHeader(creds) } : {} });
    }
    if (RETRY_STATUS.has(res.statusCode)) {
      // Still busy after every retry: the service's state, not a verdict on the credentials.
      await res.body.dump();
      const state = res.statusCode === 429 ? 'rate-limits us' : 'is unavailable';
      throw new ModelsignError('remote', 'TOKEN_SERVICE_UNAVAILABLE', `the token service ${url.origin} ${state} (${res.statusCode}, ${this.retries + 1} tries); try again later`);
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      if (creds?.kind === 'identity-token' && res.statusCode === 404) {
        // docs/spec/auth/oauth.md: 404 means no OAuth2 here, and only OAuth2 takes a refresh token.
        throw new ModelsignError('remote', 'AUTH_FAILED', `the token service ${url.origin} does not offer OAuth2 (404 to POST), which an identity token needs; log in with a username and password instead`);
      }
      throw new ModelsignError('remote', 'AUTH_FAILED', `the token service ${url.origin} refused ${creds ? describeCredentials(creds) : 'anonymous access'} for ${scope} (${res.statusCode})`);
    }
    // Read outside the parse: a connection that breaks is NETWORK, not a token that is not JSON.
    const body = (await readBody(res.body, MAX_TOKEN_RESPONSE_BYTES, `the answer of the token service ${url.origin}`, this.readTimeoutMs))?.toString('utf8') ?? '';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (err) {
      throw new ModelsignError('remote', 'AUTH_FAILED', `the token service ${url.origin} answered with something that is not JSON`, { cause: err });
    }
    const { token, access_token: accessToken, expires_in: expiresIn } = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const value = typeof token === 'string' && token !== '' ? token : accessToken;
    if (typeof value !== 'string' || value === '') throw new ModelsignError('remote', 'AUTH_FAILED', `the token service ${url.origin} answered without a token`);
    // Renew a little early; the spec's default lifetime is 60 s.
    const lifetime = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60;
    return { value, expires: Date.now() + Math.max(10, lifetime - 10) * 1000 };
  }
}

/** Waits as a retryable answer asks: its Retry-After (at most 30 s), else the backoff. Its body is discarded. */
async function waitToRetry(res: { headers: Record<string, string | string[] | undefined>; body: Dispatcher.ResponseData['body'] }, attempt: number): Promise<void> {
  const wait = retryAfter(header(res.headers, 'retry-after')) ?? backoff(attempt);
  await res.body.dump();
  await sleep(Math.min(wait, MAX_RETRY_WAIT_MS));
}

function basicHeader(creds: Credentials): string {
  if (creds.kind !== 'basic') throw usageError('BAD_CREDENTIALS', 'an identity token cannot be sent as Basic credentials');
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

// The code a body destroyed for taking too long fails with, told apart in networkBody.
const READ_DEADLINE = 'MODELSIGN_READ_DEADLINE';

/**
 * A response body read whole, or undefined once it passes `cap` bytes (the rest is not
 * read): a server's answer is never held beyond the size it should have, nor read for longer
 * than `deadlineMs` (NETWORK naming `what`): bounded in size, it is bounded in time too.
 */
export async function readBody(body: Dispatcher.ResponseData['body'], cap: number, what = 'an answer', deadlineMs = READ_TIMEOUT_MS): Promise<Buffer | undefined> {
  const late = Object.assign(new Error(`not all of it arrived within ${deadlineMs / 1000} s, too slowly to wait for`), { code: READ_DEADLINE });
  const timer = setTimeout(() => body.destroy(late), deadlineMs);
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of networkBody(body, what)) {
      size += chunk.length;
      if (size > cap) {
        body.destroy();
        return undefined;
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A response body whose connection breaks or stalls mid-way fails as NETWORK (exit 3),
 * naming what was being read, not with undici's own error.
 */
export async function* networkBody(body: AsyncIterable<unknown>, what: string, lowSpeed?: LowSpeed): AsyncGenerator<Buffer> {
  // Checked as chunks come (a silence is bodyMs's to end): a window that has passed with
  // too few bytes in it fails the read, and a fresh one starts.
  let windowStart = Date.now();
  let inWindow = 0;
  try {
    for await (const chunk of body) {
      if (lowSpeed) {
        inWindow += (chunk as Buffer).length;
        const now = Date.now();
        const elapsed = now - windowStart;
        if (elapsed >= lowSpeed.windowMs) {
          if (inWindow < (lowSpeed.bytesPerSecond * elapsed) / 1000) {
            throw new ModelsignError('remote', 'NETWORK', `reading ${what}: the registry sent ${inWindow} bytes in ${(elapsed / 1000).toFixed(1)} s, slower than ${lowSpeed.bytesPerSecond} bytes a second`);
          }
          windowStart = now;
          inWindow = 0;
        }
      }
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof ModelsignError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === READ_DEADLINE) throw new ModelsignError('remote', 'NETWORK', `reading ${what}: ${e.message}`, { cause: err });
    const why = e.code === 'UND_ERR_BODY_TIMEOUT' ? 'the registry stopped sending' : 'the connection broke';
    throw new ModelsignError('remote', 'NETWORK', `reading ${what}: ${why} (${e.code ?? e.message})`, { cause: err });
  }
}

/** True when a request from `origin` (an HTTPS one) would go to `to` by anything but HTTPS. */
const leavesHttps = (origin: string, to: URL): boolean => origin.startsWith('https:') && to.protocol !== 'https:';

/** Where a request would go instead of HTTPS, for messages: `plain HTTP (http://host:port)` or the scheme. */
const plainTarget = (url: URL): string => (url.protocol === 'http:' ? `plain HTTP (${url.origin})` : JSON.stringify(url.protocol));

/** A header that holds one value (Location, Content-Type...): the first, when a server repeats it. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A list-valued header (Link, WWW-Authenticate) whole: RFC 9110 5.3 makes several fields of
 * one name the same as a single field of their values joined by commas, so a `rel="next"` or a
 * Bearer challenge in a second field counts as much as one in the first.
 */
export function headerList(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

// RFC 7235 / 9110 11.2: a challenge is `scheme` then comma-separated `name=value` parameters,
// a value being a token or a quoted string (which may hold commas); challenges are themselves
// comma-separated, so a parameter is told from the next challenge by its `=`.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const AUTH_SCHEME = new RegExp(`^[\\s,]*(${TOKEN})(?=\\s|,|$)`);
const AUTH_PARAM = new RegExp(`^[\\s,]*(${TOKEN})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,]*))`);

/** Every challenge of a WWW-Authenticate value (all its fields joined), each with its own parameters. */
function parseChallenges(value: string): { scheme: string; params: Record<string, string> }[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = value;
  for (let scheme = AUTH_SCHEME.exec(rest); scheme; scheme = AUTH_SCHEME.exec(rest)) {
    rest = rest.slice(scheme[0].length);
    const params: Record<string, string> = {};
    for (let p = AUTH_PARAM.exec(rest); p; p = AUTH_PARAM.exec(rest)) {
      rest = rest.slice(p[0].length);
      params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), params });
    // A token68 (`Negotiate abc==`) or anything else unparsed ends this challenge.
    rest = rest.replace(/^[^,]*/, '');
  }
  return challenges;
}

/**
 * The challenge to answer among those a 401 offers: Bearer when there is one (a token scoped
 * to the request, as docker and oras prefer), else Basic; undefined when neither is offered.
 */
export function parseChallenge(value: string | undefined): Challenge | undefined {
  const offered = parseChallenges(value ?? '');
  const chosen = offered.find((c) => c.scheme === 'bearer') ?? offered.find((c) => c.scheme === 'basic');
  return chosen as Challenge | undefined;
}

function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with jitter: ~0.25 s, 0.5 s, 1 s, 2 s... */
const backoff = (attempt: number): number => Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
