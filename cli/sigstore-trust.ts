import { join } from 'node:path';
import {
  ModelsignError,
  causeChain,
  isLoopback,
  makeDirectories,
  parseTrustConfig,
  parseTrustedRoot,
  publicGoodTrust,
  PUBLIC_GOOD_SIGNING_CONFIG,
  STAGING_SIGNING_CONFIG,
  usageError,
  type SigningConfigJson,
  type SigstoreTrust,
} from '../src/core.js';
import { cacheDirectory } from './cache.js';
import { requireCaCertificates } from './ca-certificates.js';
import { readInput } from './io.js';
import type { TrustArgs, VerifyTrustArgs } from './options.js';

/**
 * The trusted root to verify against. By default the public-good root pinned in the
 * package: no network. Only `--refresh-trust-root` goes online (TUF), and `--offline` forbids it.
 */
export async function verificationTrust(argv: VerifyTrustArgs): Promise<SigstoreTrust> {
  const chosen = [argv['trusted-root'] && '--trusted-root', argv['trust-config'] && '--trust-config', argv['refresh-trust-root'] && '--refresh-trust-root'].filter(Boolean);
  if (chosen.length > 1) throw usageError('BAD_FLAG', `${chosen.join(' and ')} cannot be combined: choose one source of trust`);
  if (argv.offline && argv['refresh-trust-root']) throw usageError('BAD_FLAG', '--refresh-trust-root needs the network, which --offline forbids');
  if (argv['trusted-root']) return { trustedRoot: parseTrustedRoot(await readInput(argv['trusted-root'], 'trusted root'), argv['trusted-root']), source: argv['trusted-root'] };
  if (argv['trust-config']) return parseTrustConfig(await readInput(argv['trust-config'], 'trust config'), argv['trust-config']);
  if (argv['use-staging']) {
    throw usageError('NO_STAGING_ROOT', "no staging trusted root is pinned in this package: pass staging's trusted_root.json with --trusted-root, or a --trust-config");
  }
  if (argv['refresh-trust-root']) return refreshedPublicGoodTrust();
  return publicGoodTrust();
}

/**
 * The signing config for `sign sigstore` (from --trust-config, staging, or the public-good
 * instance), and the trusted root its new bundle is checked against: the trust config's
 * own, or the pinned public-good root. None is pinned for staging, whose bundles are then
 * not checked.
 */
export async function signingConfigFor(argv: TrustArgs): Promise<{ signingConfig: SigningConfigJson; trust?: SigstoreTrust }> {
  requireCaCertificates('keyless signing (Fulcio, Rekor, a timestamp authority)');
  if (argv['trust-config']) {
    const trust = parseTrustConfig(await readInput(argv['trust-config'], 'trust config'), argv['trust-config']);
    if (!trust.signingConfig) throw usageError('TRUST_CONFIG_INVALID', `${argv['trust-config']} has no signing config`);
    requireHttps(trust.signingConfig, argv['trust-config']);
    return { signingConfig: trust.signingConfig, trust };
  }
  return argv['use-staging'] ? { signingConfig: STAGING_SIGNING_CONFIG } : { signingConfig: PUBLIC_GOOD_SIGNING_CONFIG, trust: publicGoodTrust() };
}

/**
 * Refuses a signing config naming a service over plain HTTP off loopback: the identity
 * token goes to Fulcio, and the signature to Rekor and the TSA, so they would travel
 * unencrypted (registries are held to the same rule, without a flag here to lift it).
 */
function requireHttps(config: SigningConfigJson, path: string): void {
  for (const [field, services] of Object.entries(config)) {
    if (!field.endsWith('Urls') || !Array.isArray(services)) continue;
    for (const service of services as { url?: unknown }[]) {
      let url: URL;
      try {
        url = new URL(String(service?.url));
      } catch {
        throw usageError('TRUST_CONFIG_INVALID', `${path} names ${JSON.stringify(String(service?.url))} in ${field}, which is not a URL`);
      }
      if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.host))) continue;
      throw usageError('TRUST_CONFIG_INVALID', `${path} names ${url.origin} in ${field}: identity tokens and signatures would travel unencrypted; Sigstore services must use https (plain http only on loopback)`);
    }
  }
}

/** Fetches the current public-good trusted root through TUF (the one networked trust step). */
async function refreshedPublicGoodTrust(): Promise<SigstoreTrust> {
  requireCaCertificates('refreshing the trusted root through TUF');
  const cachePath = join(cacheDirectory(), 'tuf');
  // Made first, so that a cache directory that cannot be used is named as the local problem it is.
  await makeDirectories(cachePath).catch((err: Error) => {
    throw usageError('TUF_CACHE_UNUSABLE', `cannot use ${cachePath} to keep TUF metadata: ${err.message}`, err);
  });
  const [{ TrustedRoot }, { getTrustedRoot }] = await Promise.all([import('@sigstore/protobuf-specs'), import('@sigstore/tuf')]);
  try {
    const root = await getTrustedRoot({ cachePath });
    return { trustedRoot: TrustedRoot.toJSON(root) as Record<string, unknown>, signingConfig: PUBLIC_GOOD_SIGNING_CONFIG, source: 'public-good trusted root refreshed through TUF' };
  } catch (err) {
    throw new ModelsignError('remote', 'TUF_REFRESH_FAILED', `cannot refresh the trusted root through TUF: ${causeChain(err)}`, { cause: err });
  }
}
