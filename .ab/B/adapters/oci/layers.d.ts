import { type Descriptor } from '../../src/index.js';
/** How a layer holds files. */
export type LayerKind = 'raw' | 'tar' | 'tar+gzip' | 'tar+zstd';
export declare function layerKind(mediaType: string): LayerKind;
/** One file inside a tar layer, as its header says. */
export interface TarEntry {
    readonly name: string;
    readonly size: number;
}
/**
 * Walks a tar layer's entries in order, decompressing as `kind` says (gzip in process,
 * zstd through the zstd command). Regular files are passed to `onFile` (which must
 * consume the stream); directories are skipped; absolute paths, `..`, and links are refused,
 * since a layer must not place or point at anything outside the model root.
 *
 * Bytes that cannot be decompressed or read as a tar are LAYER_INVALID, but only once the
 * rest of the layer has been read to its digest check: if they are not the bytes the
 * manifest names (a forged or corrupted blob), that mismatch is what the walk fails with.
 * Every walk reads the layer to its last byte, so the digest is always checked. Bytes after
 * the end of a gzip stream (zero padding included) are LAYER_INVALID, as they are after a
 * zstd stream. A compressed layer that expands past 1,100 times its size (beyond 64 MiB) is
 * refused as a decompression bomb.
 */
export declare function walkTar(bytes: AsyncIterable<Uint8Array>, kind: Exclude<LayerKind, 'raw'>, onFile: (entry: TarEntry, stream: AsyncIterable<Uint8Array>) => Promise<void>, layer: string): Promise<void>;
/** Why a file name from a layer cannot be a path on disk (a part or the whole too long), or undefined. */
export declare function pathProblem(name: string): string | undefined;
/** A name from a layer for a message, quoted (or as `quote` writes it), and cut short when long (it is the registry's, of any length). */
export declare function shownName(name: string, quote?: (text: string) => string): string;
/** A name for a layer that carries none: from its media type, made unique with its digest. */
export declare function nameFromMediaType(layer: Descriptor, taken: ReadonlySet<string>): string;
