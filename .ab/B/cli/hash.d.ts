import { type HashResult, type ModelSource } from '../src/core.js';
import { type IgnoreArgs, type SerializationArgs } from './options.js';
/**
 * Hashes a model as `digest` and `sign` do: with the serialization and ignore flags, a
 * progress display on a terminal, and the digest cache if asked for; the listing's
 * warnings go to stderr.
 */
export declare function hashWithFlags(source: ModelSource, argv: SerializationArgs & IgnoreArgs, ignorePaths: readonly string[]): Promise<HashResult>;
