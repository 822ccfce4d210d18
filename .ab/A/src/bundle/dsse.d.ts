/** The DSSE payload type of an in-toto statement. */
export declare const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`. */
export declare function pae(payloadType: string, payload: Uint8Array): Buffer;
/** The PAE in pieces, the payload itself the last, for hashing without copying it (a statement can be tens of MB). */
export declare function paeParts(payloadType: string, payload: Uint8Array): Uint8Array[];
/**
 * The non-standard PAE that model_signing v0.2 signed over:
 * `DSSEV1 <len(type)> <type> <len(payload)> <Python repr of the payload bytes>`.
 * Kept only to verify legacy bundles.
 */
export declare function legacyPae(payloadType: string, payload: Uint8Array): Buffer;
/** `repr(bytes)` exactly as CPython prints it. */
export declare function pythonBytesRepr(data: Uint8Array): string;
