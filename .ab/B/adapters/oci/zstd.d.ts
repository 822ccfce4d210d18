/**
 * The address space the zstd process may use, in KiB. zstd 1.5.4 needs about 220 MiB to
 * decode a stream with the largest window it accepts by default (128 MiB; measured with
 * `ulimit -v`), so this leaves room for other builds while bounding anything else it might
 * be made to decode.
 */
export declare const ZSTD_MEMORY_KIB: number;
/**
 * Decompresses a zstd stream through the `zstd` command, chunk by chunk. Node 20 has no
 * zstd, and the one JavaScript decoder we evaluated (fzstd 0.1.1) rejected valid zstd
 * 1.5.4 output in streaming mode and allocates whatever window a frame declares; the
 * command streams through pipes and refuses windows over its 128 MiB default. But it also
 * decodes gzip, xz, lzma and lz4 frames wherever one follows a zstd frame (`--format` only
 * applies to compression), and an lzma header may ask for a 4 GiB dictionary: so only zstd
 * frames reach it (`zstdFrames`), and it runs under an address-space limit
 * (ZSTD_MEMORY_KIB) in case anything else makes it allocate more. `layer` names the layer
 * in errors:
 * - no `zstd` on PATH: usage error ZSTD_UNAVAILABLE (a local tool is missing);
 * - data that is not zstd frames, or that zstd cannot decode within the limit: unverified
 *   LAYER_INVALID, with zstd's own message.
 * A failure of `bytes` itself (a digest mismatch) is not reported here: it may surface as
 * LAYER_INVALID or not at all (the check at the end fails after zstd has read every byte).
 * `walkTar`, the caller, checks its source and reports that failure instead.
 * Stopping early (the consumer returns) ends the process.
 */
export declare function zstdDecompress(bytes: AsyncIterable<Uint8Array>, layer: string): AsyncIterable<Uint8Array>;
/**
 * Follows the frames of a zstd stream as its chunks pass (RFC 8878: magic number, frame
 * header, blocks by their 3-byte headers, optional checksum; skippable frames by their
 * length) without decoding them, and throws LAYER_INVALID at the first frame that is
 * neither a zstd frame nor a skippable one, before its bytes are passed on. Where a frame
 * ends follows from its headers alone, as it does for the decoder, so the check and zstd
 * agree on where the next one begins. A reserved header bit or block type, which zstd
 * refuses too, is refused here so the two can never lose step. Legacy zstd formats
 * (before v0.8) have other magic numbers and are refused.
 */
export declare function zstdFrames(layer: string): (chunk: Uint8Array) => void;
