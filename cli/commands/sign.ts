import type { Argv } from 'yargs';
import { ociOptions, type OciArgs } from '../oci.js';
import { command, ignoreOptions, serializationOptions, trustOptions, type IgnoreArgs, type SerializationArgs, type TrustArgs } from '../options.js';

export type CommonSignArgs = SerializationArgs & IgnoreArgs & OciArgs & { model: string; signature?: string; attach: boolean };
export type KeySignArgs = CommonSignArgs & { 'private-key': string; password?: string; 'password-file'?: string };
export type CertificateSignArgs = KeySignArgs & { 'signing-certificate': string; 'certificate-chain': string[] };
export type SigstoreSignArgs = CommonSignArgs & TrustArgs & { 'identity-token'?: string; 'use-ambient-credentials': boolean };

const common = (y: Argv) =>
  y
    .positional('model', { type: 'string', demandOption: true, describe: 'Model directory or file, oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]' })
    .options({
      signature: { type: 'string', describe: 'Where to write the signature bundle (default for a local model: model.sig)' },
      attach: { type: 'boolean', default: false, describe: 'For an oci:// model: push the signature to the registry as a referrer' },
      ...serializationOptions,
      ...ignoreOptions,
      ...ociOptions,
    });

const privateKeyOptions = {
  'private-key': { alias: 'private_key', type: 'string', demandOption: true, describe: 'PEM private key (ECDSA P-256, P-384 or P-521)' },
  password: { type: 'string', describe: 'Password of an encrypted private key (other users can see it in the process list: prefer --password-file or MODELSIGN_PASSWORD)' },
  'password-file': {
    alias: 'password_file',
    type: 'string',
    describe: 'File holding the password of an encrypted private key, one trailing newline dropped (- for standard input); without it or --password, MODELSIGN_PASSWORD is used if set',
  },
} as const;

const signKey = command<KeySignArgs>({
  command: 'key <model>',
  describe: 'Sign with an EC private key (bundle carries the public key hint)',
  builder: (y: Argv) => common(y).options(privateKeyOptions),
  handler: async (argv: KeySignArgs) => (await import('../actions/sign.js')).signWithKey(argv),
});

const signCertificate = command<CertificateSignArgs>({
  command: 'certificate <model>',
  describe: 'Sign with a private key and its X.509 certificate chain',
  builder: (y: Argv) =>
    common(y).options({
      ...privateKeyOptions,
      'signing-certificate': { alias: 'signing_certificate', type: 'string', demandOption: true, describe: 'PEM certificate of the signing key' },
      'certificate-chain': { alias: 'certificate_chain', type: 'string', array: true, default: [] as string[], describe: 'PEM intermediate certificates to include (repeatable)' },
    }),
  handler: async (argv: CertificateSignArgs) => (await import('../actions/sign.js')).signWithCertificate(argv),
});

const signSigstore = command<SigstoreSignArgs>({
  command: 'sigstore <model>',
  describe: 'Sign keylessly with Sigstore (Fulcio certificate, Rekor log entry, timestamp)',
  builder: (y: Argv) =>
    common(y).options({
      'identity-token': { alias: 'identity_token', type: 'string', describe: 'OIDC identity token (default: ambient credentials: SIGSTORE_ID_TOKEN or GitHub Actions)' },
      'use-ambient-credentials': {
        alias: 'use_ambient_credentials',
        type: 'boolean',
        default: true,
        describe: 'Without --identity-token, take the token from the environment (as model_signing\'s flag; always on, as there is no interactive sign-in)',
      },
      ...trustOptions,
    }),
  handler: async (argv: SigstoreSignArgs) => (await import('../actions/sign.js')).signWithSigstore(argv),
});

export const signCommand = command<unknown>({
  command: 'sign <method>',
  describe: 'Sign a model (methods: key, certificate, sigstore; a model in place of the method means sigstore)',
  builder: (y: Argv) => y.command(signKey).command(signCertificate).command(signSigstore).demandCommand(1, 'name a signing method: key, certificate or sigstore'),
  handler: () => undefined,
});
