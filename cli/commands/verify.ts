import type { Argv } from 'yargs';
import { ociOptions, type OciArgs } from '../oci.js';
import { command, ignoreOptions, maxSignaturesOption, trustOptions, type IgnoreArgs, type VerifyTrustArgs } from '../options.js';

export type VerifyMethod = 'key' | 'certificate' | 'sigstore';

/** What each method needs to know whom to trust. */
export type TrustMaterialArgs = Partial<VerifyTrustArgs> & {
  'public-key'?: string;
  'certificate-chain'?: string[];
  'valid-at'?: string;
  'log-fingerprints'?: boolean;
  identity?: string;
  'identity-provider'?: string;
};

const methodOptions = {
  key: { 'public-key': { alias: 'public_key', type: 'string', describe: 'Public key: PEM, DER SubjectPublicKeyInfo or a compressed EC point' } },
  certificate: {
    'certificate-chain': { alias: 'certificate_chain', type: 'string', array: true, describe: 'PEM certificates to trust: self-signed ones are trust anchors, others only intermediates on the way to one (repeatable; a file may hold several)' },
    'valid-at': {
      alias: 'valid_at',
      type: 'string',
      describe: 'When the certificate chain must have been valid: "issued" (the default, as the reference: when the signing certificate was issued, so a signature outlives its expiry), "now", or an ISO 8601 time',
    },
    'log-fingerprints': {
      alias: 'log_fingerprints',
      type: 'boolean',
      describe: "Print the SHA-256 fingerprint of every trust anchor and of every certificate in a bundle's chain (stderr)",
    },
  },
  sigstore: {
    identity: { type: 'string', describe: "The signer's identity: the certificate SAN (email or URI), matched exactly" },
    'identity-provider': { alias: 'identity_provider', type: 'string', describe: 'The OIDC issuer, matched exactly' },
    'trusted-root': { alias: 'trusted_root', type: 'string', describe: 'A Sigstore trusted_root.json (default: the public-good root pinned in the package)' },
    ...trustOptions,
    offline: { type: 'boolean', default: false, describe: 'Guarantee no network access (verification never needs it)' },
    'refresh-trust-root': { alias: 'refresh_trust_root', type: 'boolean', default: false, describe: 'Fetch the current public-good trusted root through TUF first (online)' },
  },
} as const;

/** The trust flags each method demands. */
export const REQUIRED: Record<VerifyMethod, (keyof TrustMaterialArgs)[]> = {
  key: ['public-key'],
  certificate: ['certificate-chain'],
  sigstore: ['identity', 'identity-provider'],
};

/** Every method's trust flags, none demanded (for `pull --verify <method>`). */
export const allMethodOptions = { ...methodOptions.key, ...methodOptions.certificate, ...methodOptions.sigstore };

export type VerifyArgs = IgnoreArgs & OciArgs & TrustMaterialArgs & { model: string; signature?: string; 'ignore-unsigned-files': boolean; full: boolean; 'allow-symlinks': boolean; 'max-signatures': number };

const subcommand = (method: VerifyMethod, describe: string) =>
  command<VerifyArgs>({
    command: `${method} <model>`,
    describe,
    builder: (y: Argv) =>
      y
        .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file, oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]' })
        .options({
          signature: { type: 'string', describe: 'The signature bundle to verify (a model in a registry, oci://, or a layout, oci-layout:, finds its attached signatures without it)' },
          'ignore-unsigned-files': { alias: 'ignore_unsigned_files', type: 'boolean', default: false, describe: 'Let files that are present but not signed pass' },
          full: { type: 'boolean', default: false, describe: 'For an oci:// model: stream and hash every byte instead of trusting layer digests' },
          'allow-symlinks': {
            alias: 'allow_symlinks',
            type: 'boolean',
            default: false,
            describe: 'Accepted for compatibility with model_signing; symbolic links are followed exactly when the signature allows them (signed with --allow-symlinks)',
          },
          ...maxSignaturesOption,
          ...methodOptions[method],
          ...ignoreOptions,
          ...ociOptions,
        })
        .demandOption(REQUIRED[method]),
    handler: async (argv: VerifyArgs) => (await import('../actions/verify.js')).verify(method, argv),
  });

export const verifyCommand = command<unknown>({
  command: 'verify <method>',
  describe: 'Verify a model against its signature (methods: key, certificate, sigstore; a model in place of the method means sigstore)',
  builder: (y: Argv) =>
    y
      .command(subcommand('key', 'Verify a key-method signature with a public key'))
      .command(subcommand('certificate', 'Verify a certificate-method signature against trust anchors'))
      .command(subcommand('sigstore', 'Verify a Sigstore keyless signature offline against a trusted root and an identity'))
      .demandCommand(1, 'name a verification method: key, certificate or sigstore'),
  handler: () => undefined,
});
