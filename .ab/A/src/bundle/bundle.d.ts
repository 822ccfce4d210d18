/** The media type we write; the reference writes the same. */
export declare const BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
/**
 * The largest bundle read (and signed). Most are kilobytes, but the statement lists every
 * file or shard, about 180 bytes each once base64-encoded: this leaves room for models of
 * about 350,000 files, while a stray /dev/zero or huge file is still refused quickly.
 */
export declare const MAX_BUNDLE_BYTES: number;
/**
 * Refuses to sign a statement whose bundle would be over MAX_BUNDLE_BYTES, which no
 * verifier here would read (BUNDLE_TOO_LARGE, a usage error): before signing, so a
 * keyless run does not log a signature nobody can check.
 */
export declare function checkStatementSize(payload: Uint8Array, resources: number): void;
/** What the bundle offers to check the signature with; one kind per signing method. */
export type VerificationMaterial = {
    readonly kind: 'publicKey';
    readonly hint?: string;
    readonly rawBytes?: Buffer;
    readonly keyDetails?: string;
} | {
    readonly kind: 'x509CertificateChain';
    readonly certificates: Buffer[];
} | {
    readonly kind: 'certificate';
    readonly certificate: Buffer;
};
export interface EnvelopeSignature {
    readonly sig: Buffer;
    readonly keyid?: string | null;
}
/** A structurally valid Sigstore bundle holding a DSSE envelope. Nothing is verified yet. */
export interface ParsedBundle {
    readonly mediaType: string;
    readonly material: VerificationMaterial;
    readonly tlogEntries: readonly unknown[];
    readonly payloadType: string;
    /** The exact payload bytes the signature covers. */
    readonly payload: Buffer;
    /** The envelope's one signature (a Sigstore bundle's DSSE envelope holds exactly one). */
    readonly signature: EnvelopeSignature;
    /** The parsed JSON document, for verifiers that need the rest (Sigstore). */
    readonly json: Record<string, unknown>;
}
/** Parses a bundle file and checks its structure; throws `BUNDLE_MALFORMED` (exit 1) otherwise. */
export declare function parseBundle(bytes: Uint8Array): ParsedBundle;
/** The OMS signing method a bundle was made with, from its verification material. */
export declare function signingMethod(bundle: ParsedBundle): 'key' | 'certificate' | 'sigstore';
/** The signer's certificate (DER): the keyless one, or the first of a chain; none for a key. */
export declare function signingCertificate(material: VerificationMaterial): Buffer | undefined;
/** Material for a bundle we write. */
export type BuildMaterial = {
    readonly kind: 'publicKey';
    readonly hint: string;
} | {
    readonly kind: 'x509CertificateChain';
    readonly certificates: readonly Buffer[];
};
/**
 * Writes a key or certificate bundle in the reference's shape: compact JSON,
 * `tlogEntries: []` and `keyid: ""`. The bytes are those of `JSON.stringify` on the whole
 * document, but the payload's base64 (most of a bundle for a model of many files) is
 * written straight into the result instead of passing through a JSON string: over a
 * 33 MB statement that took ~200 ms, this ~40 ms.
 */
export declare function buildBundle(material: BuildMaterial, payload: Uint8Array, signature: Uint8Array): Buffer;
