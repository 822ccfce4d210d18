/** Who signed, as established by the signature check. */
export type SignerInfo =
  | {
      readonly method: 'key';
      /** The hint of the key that verified (hex SHA-256 of its PEM). */
      readonly keyHint: string;
      /** The bundle carried the older `rawBytes`/`keyDetails` form instead of a hint. */
      readonly legacyKeyMaterial: boolean;
    }
  | {
      readonly method: 'certificate';
      readonly subject: string;
      readonly issuer: string;
      readonly serialNumber: string;
      readonly notBefore: string;
      readonly notAfter: string;
      /** When the chain was found valid (ISO 8601): the leaf's notBefore unless the caller chose a time. */
      readonly validAt: string;
      readonly fingerprintSha256: string;
      /** Subjects from the leaf up to the trust anchor that closed the path. */
      readonly chain: readonly string[];
    }
  | {
      readonly method: 'sigstore';
      /** The Fulcio certificate's subject alternative name. */
      readonly identity: string;
      /** The OIDC issuer Fulcio recorded. */
      readonly issuer: string;
      /** Which trusted root the chain and log were checked against. */
      readonly trustRoot: string;
      /**
       * The Rekor entry's log index, when authenticated: the entry's own (global) index when
       * its inclusion promise was verified, else the index its inclusion proof proved (in a
       * sharded Rekor v1 log, the index within the shard). Absent with neither.
       */
      readonly logIndex?: string;
      /** The Rekor log's key id (base64); only when the inclusion promise, which signs it, was verified. */
      readonly logId?: string;
      /** When Rekor integrated the entry (ISO 8601); only when the inclusion promise, which signs it, was verified. */
      readonly integratedTime?: string;
      /** Verified RFC 3161 timestamps (ISO 8601). */
      readonly rfc3161Timestamps: readonly string[];
    };

/** Checks a parsed bundle's signature with one method's trust material. */
export interface SignatureVerifier {
  readonly method: SignerInfo['method'];
  /** Throws `ModelsignError` (kind `unverified`) when the signature does not verify. */
  verify(bundle: import('../bundle/bundle.js').ParsedBundle): SignatureCheck;
}

/** A verified envelope: who signed, and whether the legacy v0.2 PAE was needed. */
export interface SignatureCheck {
  readonly signer: SignerInfo;
  readonly legacyPae: boolean;
  /** What the verifier accepted but a reader should know. */
  readonly warnings?: readonly string[];
}
