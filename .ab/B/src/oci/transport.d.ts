import { type Dispatcher } from 'undici';
import { type CredentialResolver } from './credentials.js';
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
     */
    readonly timeouts?: {
        readonly headersMs?: number;
        readonly bodyMs?: number;
    };
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
/**
 * HTTP to one registry: authentication (anonymous, Basic, Bearer token challenges with
 * scopes, tokens cached per scope), retries with backoff honouring Retry-After, and
 * redirects followed by hand so `Authorization` never reaches another origin.
 */
export declare class RegistryTransport {
    readonly registry: string;
    private readonly options;
    readonly baseUrl: string;
    /** Scheme, host and port: what credentials are for (a downgrade to http is another origin). */
    private readonly origin;
    private readonly tokens;
    private basic;
    private challenge;
    private sent;
    constructor(registry: string, options: TransportOptions);
    /** Sends a request, authenticating and retrying as needed. The caller consumes the body. */
    send(req: HttpRequest): Promise<HttpResponse>;
    /** Why a request answered 401 twice: the credentials sent (named with their source), or anonymous access, refused. */
    private refusal;
    private get retries();
    private headersTimeout;
    /** undici's timeouts for a request of this method (see TransportOptions.timeouts). */
    private timeoutsFor;
    private sendFollowingRedirects;
    /** The Authorization header for a scope, after the registry has said how it wants it. */
    private authorization;
    private fetchToken;
}
/**
 * A response body read whole, or undefined once it passes `cap` bytes (the rest is not
 * read): a server's answer is never held beyond the size it should have.
 */
export declare function readBody(body: Dispatcher.ResponseData['body'], cap: number): Promise<Buffer | undefined>;
/**
 * A response body whose connection breaks or stalls mid-way fails as NETWORK (exit 3),
 * naming what was being read, not with undici's own error.
 */
export declare function networkBody(body: AsyncIterable<unknown>, what: string): AsyncGenerator<Buffer>;
export declare function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined;
/** Parses `Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`. */
export declare function parseChallenge(value: string | undefined): Challenge | undefined;
export {};
