import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { SigningConfig } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig, CIContextProvider, type IdentityProvider } from '@sigstore/sign';
import { toSignedEntity } from '@sigstore/verify';
import { ModelsignError, causeChain, usageError } from '../errors.js';
import { checkStatementSize } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse.js';
import { buildStatement } from '../manifest/statement.js';
import type { Manifest } from '../manifest/manifest.js';
import type { SigningConfigJson, SigstoreTrust } from '../sigstore/trust.js';
import { redact } from '../redact.js';
import { trustVerifier } from '../verifying/sigstore-verifier.js';

/** How to sign keylessly: which Sigstore services, and whose identity. */
export interface KeylessSigningOptions {
  /** Fulcio, Rekor and TSA URLs (a signing_config.json); private deployments bring their own. */
  readonly signingConfig: SigningConfigJson;
  /** An OIDC identity token; without it, ambient CI credentials (GitHub Actions) are used. */
  readonly identityToken?: string;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number;
  /**
   * The trusted root the new bundle must verify against (Fulcio's chain and SCT, the Rekor
   * entry, the timestamps) before it is returned: what the services answered is checked,
   * not taken on trust. Without it (no root is known for the services) it is not checked.
   */
  readonly trust?: SigstoreTrust;
}

/**
 * What keyless signing can be refused for before a model is hashed, so that a large model
 * is not read in full only to fail then: a signing config sigstore-js cannot use
 * (TRUST_CONFIG_INVALID), no identity to be had (NO_IDENTITY: no token given, none in
 * SIGSTORE_ID_TOKEN, not in GitHub Actions with id-token: write), and a token given that has
 * expired or names no identity Fulcio could certify (IDENTITY_TOKEN_EXPIRED,
 * BAD_IDENTITY_TOKEN). Contacts no service.
 */
export function checkKeylessSetup(options: Pick<KeylessSigningOptions, 'signingConfig' | 'identityToken'>): void {
  builderFor(parseSigningConfig(options.signingConfig), { getToken: () => Promise.reject(new Error('not used')) });
  const token = options.identityToken || process.env.SIGSTORE_ID_TOKEN;
  if (!token) {
    if (!askedActions()) throw noIdentity();
    return;
  }
  checkIdentityTokenExpiry(token);
  const problem = subjectProblem(token);
  if (problem) throw usageError('BAD_IDENTITY_TOKEN', `the identity token is not a JWT with a subject or a verified email (${problem})`);
}

/** Why sigstore-js would find no identity in a token (as its extractJWTSubject reads one), or undefined. */
function subjectProblem(token: string): string | undefined {
  const claims = tokenClaims(token);
  if (claims === undefined) return 'its payload is not base64url JSON';
  if (claims?.email) return claims.email_verified ? undefined : 'JWT email not verified by issuer';
  return claims?.sub ? undefined : 'JWT subject not found';
}

function parseSigningConfig(json: KeylessSigningOptions['signingConfig']): SigningConfig {
  try {
    return SigningConfig.fromJSON(json);
  } catch (err) {
    throw usageError('TRUST_CONFIG_INVALID', `the signing config is not usable: ${(err as Error).message}`, err);
  }
}

function builderFor(signingConfig: SigningConfig, identityProvider: IdentityProvider, timeoutMs = 30_000): ReturnType<typeof bundleBuilderFromSigningConfig> {
  try {
    return bundleBuilderFromSigningConfig({ signingConfig, identityProvider, bundleType: 'dsseEnvelope', fetchOptions: { timeout: timeoutMs, retry: { retries: 2 } } });
  } catch (err) {
    throw usageError('TRUST_CONFIG_INVALID', `the signing config is not usable: ${(err as Error).message}`, err);
  }
}

const noIdentity = (cause?: unknown): ModelsignError =>
  usageError('NO_IDENTITY', 'no identity token: pass --identity-token, set SIGSTORE_ID_TOKEN, or run in GitHub Actions with `permissions: id-token: write`', cause);

/**
 * Signs a manifest keylessly: an ephemeral key certified by Fulcio for the OIDC identity,
 * the DSSE envelope logged in Rekor and timestamped by the TSA the signing config names.
 * Service failures are remote errors (exit 3); a missing identity is a usage error.
 */
export async function signManifestKeyless(manifest: Manifest, options: KeylessSigningOptions): Promise<Buffer> {
  const signingConfig = parseSigningConfig(options.signingConfig);
  // Every token handed to sigstore-js, so that no message derived from its errors can echo one.
  const tokens: string[] = [];
  const identityProvider: IdentityProvider = options.identityToken
    ? { getToken: () => Promise.resolve(remember(tokens, checkIdentityTokenExpiry(options.identityToken!))) }
    : ambientIdentity(tokens);
  const builder = builderFor(signingConfig, identityProvider, options.timeoutMs);
  const payload = buildStatement(manifest);
  checkStatementSize(payload, manifest.resources.length);
  try {
    const bundle = await builder.create({ data: payload, type: IN_TOTO_PAYLOAD_TYPE });
    const json = bundleToJSON(bundle);
    if (options.trust) checkAgainst(options.trust, json);
    return Buffer.from(JSON.stringify(json), 'utf8');
  } catch (err) {
    // sigstore-js wraps what our identity provider throws: surface our own error.
    const own = ownError(err);
    if (own) throw own;
    const code = (err as { code?: string }).code;
    // No `cause`: the raw errors quote the token (`invalid identity token: <token>`), and a
    // caller that logs an error prints its causes too. The message carries them, redacted.
    if (code === 'IDENTITY_TOKEN_PARSE_ERROR') {
      throw usageError('BAD_IDENTITY_TOKEN', `keyless signing failed (${code}): the identity token is not a JWT with a subject or a verified email${tokenProblem(err)}`);
    }
    const message = `keyless signing failed${code ? ` (${code})` : ''}: ${redact(causeChain(err), tokens, '<identity token>')}`;
    throw new ModelsignError('remote', 'SIGSTORE_SIGN_FAILED', message);
  }
}

/**
 * Verifies a bundle just made against the trusted root, with no identity policy (the
 * identity is whatever the token proved to Fulcio): a CA, log or TSA that answered with
 * something no verifier would accept fails the run (SIGSTORE_SIGN_FAILED, remote) instead
 * of writing a signature that cannot verify.
 */
function checkAgainst(trust: SigstoreTrust, json: ReturnType<typeof bundleToJSON>): void {
  const verifier = trustVerifier(trust);
  try {
    verifier.verify(toSignedEntity(bundleFromJSON(json)));
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ModelsignError('remote', 'SIGSTORE_SIGN_FAILED', `keyless signing failed: the bundle the Sigstore services returned does not verify against ${trust.source}${code ? ` (${code})` : ''}: ${(err as Error).message}; nothing was written`);
  }
}

function remember(tokens: string[], token: string): string {
  tokens.push(token);
  return token;
}

/**
 * Why sigstore-js could not read a subject from the token, in its own words where those
 * cannot quote the token (a JSON parse error quotes the decoded claims).
 */
function tokenProblem(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const why = cause instanceof Error ? cause.message : '';
  if (why === 'JWT email not verified by issuer' || why === 'JWT subject not found') return ` (${why})`;
  return ' (its payload is not base64url JSON)';
}

function ownError(err: unknown): ModelsignError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof ModelsignError) return e;
  }
  return undefined;
}

/** GitHub Actions' OIDC token, when the workflow grants `id-token: write`; remembered in `tokens`. */
function ambientIdentity(tokens: string[]): IdentityProvider {
  const ci = new CIContextProvider('sigstore');
  return {
    getToken: async () => {
      let token: unknown;
      try {
        token = await ci.getToken();
      } catch (err) {
        if (!askedActions()) throw noIdentity(err);
        token = undefined;
      }
      // The workflow may ask (it has id-token: write), so a failure is the token service's;
      // sigstore-js keeps no cause, nor notices an answer without a token.
      if (typeof token !== 'string' || token === '') {
        throw new ModelsignError('remote', 'IDENTITY_TOKEN_UNAVAILABLE', "GitHub Actions' OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL) gave no identity token: it failed or answered without one");
      }
      return remember(tokens, checkIdentityTokenExpiry(token));
    },
  };
}

/** Whether ambient credentials came from GitHub Actions' token service (SIGSTORE_ID_TOKEN would be taken as it is). */
const askedActions = (): boolean => !process.env.SIGSTORE_ID_TOKEN && Boolean(process.env.ACTIONS_ID_TOKEN_REQUEST_URL) && Boolean(process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);

/**
 * Returns the token, or throws IDENTITY_TOKEN_EXPIRED (a usage error) if its `exp` claim
 * is past: Fulcio would refuse it with a message that does not say why. The claim is read
 * without verifying anything (Fulcio verifies the token); a token without one, or no JWT,
 * passes, for Fulcio to judge.
 */
export function checkIdentityTokenExpiry(token: string, now: Date = new Date()): string {
  const exp = expiryClaim(token);
  if (exp === undefined || exp * 1000 > now.getTime()) return token;
  const ago = Math.round(now.getTime() / 1000 - exp);
  throw usageError(
    'IDENTITY_TOKEN_EXPIRED',
    `the identity token expired at ${new Date(exp * 1000).toISOString()} (${ago} s ago), and Fulcio certifies only a current one: get a fresh token (short-lived tokens can expire while a large model hashes; GitHub Actions' ambient token is fetched after hashing)`,
  );
}

function expiryClaim(token: string): number | undefined {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}

/** The claims a JWT's payload holds, read without verifying anything; undefined if it is not base64url JSON. */
function tokenClaims(token: string): { readonly [claim: string]: unknown } | null | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { readonly [claim: string]: unknown } | null;
  } catch {
    return undefined;
  }
}
