import { bundleToJSON } from '@sigstore/bundle';
import { SigningConfig } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig, CIContextProvider, type IdentityProvider } from '@sigstore/sign';
import { ModelsignError, usageError } from '../errors.js';
import { checkStatementSize } from '../bundle/bundle.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse.js';
import { buildStatement } from '../manifest/statement.js';
import type { Manifest } from '../manifest/manifest.js';
import type { SigningConfigJson } from '../sigstore/trust.js';

/** How to sign keylessly: which Sigstore services, and whose identity. */
export interface KeylessSigningOptions {
  /** Fulcio, Rekor and TSA URLs (a signing_config.json); private deployments bring their own. */
  readonly signingConfig: SigningConfigJson;
  /** An OIDC identity token; without it, ambient CI credentials (GitHub Actions) are used. */
  readonly identityToken?: string;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number;
}

/**
 * Signs a manifest keylessly: an ephemeral key certified by Fulcio for the OIDC identity,
 * the DSSE envelope logged in Rekor and timestamped by the TSA the signing config names.
 * Service failures are remote errors (exit 3); a missing identity is a usage error.
 */
export async function signManifestKeyless(manifest: Manifest, options: KeylessSigningOptions): Promise<Buffer> {
  let signingConfig;
  try {
    signingConfig = SigningConfig.fromJSON(options.signingConfig);
  } catch (err) {
    throw usageError('TRUST_CONFIG_INVALID', `the signing config is not usable: ${(err as Error).message}`, err);
  }
  const identityProvider: IdentityProvider = options.identityToken
    ? { getToken: () => Promise.resolve(options.identityToken!) }
    : ambientIdentity();
  let builder;
  try {
    builder = bundleBuilderFromSigningConfig({
      signingConfig,
      identityProvider,
      bundleType: 'dsseEnvelope',
      fetchOptions: { timeout: options.timeoutMs ?? 30_000, retry: { retries: 2 } },
    });
  } catch (err) {
    throw usageError('TRUST_CONFIG_INVALID', `the signing config is not usable: ${(err as Error).message}`, err);
  }
  const payload = buildStatement(manifest);
  checkStatementSize(payload, manifest.resources.length);
  try {
    const bundle = await builder.create({ data: payload, type: IN_TOTO_PAYLOAD_TYPE });
    return Buffer.from(JSON.stringify(bundleToJSON(bundle)), 'utf8');
  } catch (err) {
    // sigstore-js wraps what our identity provider throws: surface our own error.
    const own = ownError(err);
    if (own) throw own;
    const code = (err as { code?: string }).code;
    // sigstore-js quotes the whole identity token in some messages: never print a credential.
    const detail = (err as Error).message.replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<identity token>');
    const message = `keyless signing failed${code ? ` (${code})` : ''}: ${detail}`;
    if (code === 'IDENTITY_TOKEN_PARSE_ERROR') throw usageError('BAD_IDENTITY_TOKEN', message, err);
    throw new ModelsignError('remote', 'SIGSTORE_SIGN_FAILED', message, { cause: err });
  }
}

function ownError(err: unknown): ModelsignError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof ModelsignError) return e;
  }
  return undefined;
}

/** GitHub Actions' OIDC token, when the workflow grants `id-token: write`. */
function ambientIdentity(): IdentityProvider {
  const ci = new CIContextProvider('sigstore');
  return {
    getToken: async () => {
      try {
        return await ci.getToken();
      } catch (err) {
        throw usageError(
          'NO_IDENTITY',
          'no identity token: pass --identity-token, or run in GitHub Actions with `permissions: id-token: write`',
          err,
        );
      }
    },
  };
}
