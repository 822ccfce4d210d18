import { createRequire } from 'node:module';
import { usageError } from '../errors.js';
const TRUSTED_ROOT_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v0\.\d+)?\+json/;
const TRUST_CONFIG_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.clienttrustconfig(\.v0\.\d+)?\+json/;
const PUBLIC_GOOD_TUF = 'https://tuf-repo-cdn.sigstore.dev';
/**
 * The public-good trusted root pinned in this package: the `trusted_root.json` target that
 * @sigstore/tuf ships in its seeds. Using it never touches the network; refreshing it through
 * TUF is an explicit, separate step.
 */
export function publicGoodTrust() {
    const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json');
    const encoded = seeds[PUBLIC_GOOD_TUF]?.targets?.['trusted_root.json'];
    if (!encoded)
        throw new Error('the @sigstore/tuf seeds hold no public-good trusted root');
    return {
        trustedRoot: parseTrustedRoot(Buffer.from(encoded, 'base64'), 'the pinned public-good trusted root'),
        signingConfig: PUBLIC_GOOD_SIGNING_CONFIG,
        source: 'pinned public-good trusted root (@sigstore/tuf seeds)',
    };
}
/** Parses a trusted_root.json; a malformed one is a usage error naming the file. */
export function parseTrustedRoot(bytes, source) {
    const doc = parseJson(bytes, source);
    if (typeof doc.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPE.test(doc.mediaType)) {
        throw usageError('TRUST_ROOT_INVALID', `${source} is not a Sigstore trusted root (mediaType ${JSON.stringify(doc.mediaType)})`);
    }
    if (!Array.isArray(doc.tlogs) || !Array.isArray(doc.certificateAuthorities)) {
        throw usageError('TRUST_ROOT_INVALID', `${source} has no tlogs or certificateAuthorities`);
    }
    return doc;
}
/**
 * Parses a ClientTrustConfig (a trusted root plus a signing config), as sigstore-python and
 * model_signing write it; both `signingConfig` and `signing_config` spellings occur.
 */
export function parseTrustConfig(bytes, source) {
    const doc = parseJson(bytes, source);
    if (typeof doc.mediaType !== 'string' || !TRUST_CONFIG_MEDIA_TYPE.test(doc.mediaType)) {
        throw usageError('TRUST_CONFIG_INVALID', `${source} is not a Sigstore client trust config (mediaType ${JSON.stringify(doc.mediaType)})`);
    }
    const root = doc.trustedRoot;
    const signing = doc.signingConfig ?? doc.signing_config;
    if (!isObject(root))
        throw usageError('TRUST_CONFIG_INVALID', `${source} has no trustedRoot`);
    return {
        trustedRoot: parseTrustedRoot(Buffer.from(JSON.stringify(root)), `${source} (trustedRoot)`),
        ...(isObject(signing) ? { signingConfig: signing } : {}),
        source,
    };
}
function parseJson(bytes, source) {
    let doc;
    try {
        doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
    }
    catch (err) {
        throw usageError('TRUST_ROOT_INVALID', `${source} is not JSON`, err);
    }
    if (!isObject(doc))
        throw usageError('TRUST_ROOT_INVALID', `${source} is not a JSON object`);
    return doc;
}
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const service = (url, start) => ({ url, majorApiVersion: 1, validFor: { start }, operator: 'sigstore.dev' });
/** Where the public-good instance signs: Fulcio, Rekor v1 and the timestamp authority. */
export const PUBLIC_GOOD_SIGNING_CONFIG = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service('https://fulcio.sigstore.dev', '2022-04-13T20:06:15.000Z')],
    oidcUrls: [service('https://oauth2.sigstore.dev/auth', '2022-04-13T20:06:15.000Z')],
    rekorTlogUrls: [service('https://rekor.sigstore.dev', '2021-01-12T11:53:27.000Z')],
    tsaUrls: [service('https://timestamp.sigstore.dev/api/v1/timestamp', '2025-07-04T00:00:00Z')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
};
/** Where Sigstore's staging instance signs. Its trusted root is not pinned here. */
export const STAGING_SIGNING_CONFIG = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service('https://fulcio.sigstage.dev', '2022-04-14T21:38:40.000Z')],
    oidcUrls: [service('https://oauth2.sigstage.dev/auth', '2022-04-14T21:38:40.000Z')],
    rekorTlogUrls: [service('https://rekor.sigstage.dev', '2021-01-12T11:53:27.000Z')],
    tsaUrls: [service('https://timestamp.sigstage.dev/api/v1/timestamp', '2025-04-09T00:00:00Z')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
};
//# sourceMappingURL=trust.js.map