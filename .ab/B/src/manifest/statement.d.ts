import { type Manifest, type Serialization } from './manifest.js';
export declare const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export declare const PREDICATE_TYPE = "https://model_signing/signature/v1.0";
export declare const LEGACY_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";
/**
 * Serializes a manifest as the in-toto statement the reference writes, byte for byte:
 * two-space indentation, its key order, and `shard_size` as a float (`1000000000.0`),
 * since the reference's predicate is a protobuf Struct.
 */
export declare function buildStatement(manifest: Manifest): Buffer;
/** A statement read back from a verified payload. */
export interface ParsedStatement {
    /** The manifest as signed, resources in payload order. */
    readonly manifest: Manifest;
    /** True for the v0.2-era `Digests/v0.1` predicate. */
    readonly legacy: boolean;
}
/**
 * Parses and checks the exact payload bytes of a verified envelope: statement type,
 * predicate type, one subject, resource names that stay inside the model, digests of the
 * right length, no duplicates, and the root digest.
 */
export declare function parseStatement(payload: Uint8Array): ParsedStatement;
/** Reads `predicate.serialization`; throws STATEMENT_INVALID (unverified) if it is not one. */
export declare function parseSerialization(value: unknown): Serialization;
