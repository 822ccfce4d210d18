import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { ModelsignError, isResourcePath, normalizeRelative, unverifiedError, type Descriptor } from '../../src/engine.js';
import { zstdDecompress } from './zstd.js';

/** How a layer holds files. */
export type LayerKind = 'raw' | 'tar' | 'tar+gzip' | 'tar+zstd';

export function layerKind(mediaType: string): LayerKind {
  if (/tar\+gzip$|\.tar\.gzip$|tar\.gz$/.test(mediaType) || mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip' || mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip') return 'tar+gzip';
  if (/tar\+zstd$|\.tar\.zst$/.test(mediaType)) return 'tar+zstd';
  if (/[.+]tar$/.test(mediaType) || mediaType === 'application/vnd.oci.image.layer.v1.tar') return 'tar';
  return 'raw';
}

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
export async function walkTar(
  bytes: AsyncIterable<Uint8Array>,
  kind: Exclude<LayerKind, 'raw'>,
  onFile: (entry: TarEntry, stream: AsyncIterable<Uint8Array>) => Promise<void>,
  layer: string,
): Promise<void> {
  const source = pulled(bytes);
  const gzip = kind === 'tar+gzip' ? gunzip(source.chunks(), layer) : undefined;
  const tar = extract();
  const input = Readable.from(
    kind === 'tar' ? source.chunks() : bounded(kind === 'tar+zstd' ? zstdDecompress(source.chunks(), layer) : gzip!.chunks, source, kind, layer),
  );
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, stream, next) => {
      // tar-stream's entry streams are streamx streams: no readableEnded, so track the end
      // ourselves; and destroying the extractor also errors the open entry, which must not
      // become an uncaught exception.
      let ended = false;
      stream.once('end', () => (ended = true));
      stream.on('error', () => undefined);
      const fail = (message: string): void => {
        tar.destroy(unverifiedError('LAYER_PATH_UNSAFE', `tar layer ${layer}: ${message}`));
      };
      const skip = (): void => {
        if (ended) next();
        else {
          stream.once('end', () => next());
          stream.resume();
        }
      };
      const raw = header.name.replace(/^\.\//, '').replace(/\/$/, '');
      const name = normalizeRelative(raw);
      const shown = shownName(header.name);
      // A name no file system can hold would fail a pull as a local write error (exit 2); one
      // a statement cannot hold would be signed, then refused by verify.
      const problem = pathProblem(header.name) ?? (name ? unsignableProblem(name) : undefined);
      if (problem !== undefined) return fail(`entry ${shown} ${problem}`);
      if (raw !== '' && (name === undefined || name === '' || header.name.startsWith('/'))) return fail(`entry ${shown} escapes the model root`);
      if (header.type === 'directory') return skip();
      // `/`, `./` or `a/` as a file names a directory (the root, for the first two): tar tools
      // would make a directory of it, so its bytes cannot be a model file.
      if (raw === '' || header.name.endsWith('/')) return fail(`entry ${shown} is a ${header.type ?? 'file'} with a directory's name${raw === '' ? ' (the model root)' : ''}`);
      if (header.type === 'symlink' || header.type === 'link') return fail(`entry ${shown} is a link to ${shownName(header.linkname ?? '')}; links in model layers are refused`);
      if (header.type !== 'file' && header.type !== 'contiguous-file') return fail(`entry ${shown} is a ${header.type}, not a regular file`);
      // onFile consumes the entry; tar-stream moves on once it has ended.
      onFile({ name: name!, size: header.size ?? 0 }, stream as unknown as Readable).then(skip, (err: unknown) => tar.destroy(err as Error));
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
    input.on('error', (err) => tar.destroy(err));
  });
  input.pipe(tar);
  try {
    await done;
    // Node's gunzip ends quietly at a zero byte after the gzip stream and reads no further:
    // the rest of the blob, and the digest check at its end, must still be read.
    await source.drain();
    // A decompressor may end well on bytes the source then fails to vouch for (zstd has read
    // all its input when the digest check at the end fails): the source's failure stands.
    if (source.failure !== undefined) throw source.failure;
  } catch (err) {
    input.destroy();
    if (source.failure !== undefined) throw source.failure;
    // tar-stream's own errors (a bad header, a truncated archive) are about the layer's bytes.
    const failure = err instanceof ModelsignError ? err : unverifiedError('LAYER_INVALID', `${kind} layer ${layer} cannot be read as a tar: ${(err as Error).message}`, err);
    // A judgement of the layer's content stands only if the content is the layer's.
    if (failure.kind === 'unverified') await source.drain();
    throw source.failure ?? failure;
  } finally {
    gzip?.stop();
  }
  // The blob is the manifest's (checked above). Bytes after its gzip data hold no files:
  // refused, zero padding too (which gzip ignores), as zstd refuses any after its frames.
  const trailing = gzip === undefined ? 0 : source.bytesRead - gzip.consumed();
  if (trailing > 0) throw unverifiedError('LAYER_INVALID', `tar+gzip layer ${layer} has ${trailing} bytes after the end of its gzip data; a layer must end with its compressed stream`);
}

// Linux file systems (ext4, xfs, btrfs, tmpfs) hold names of at most 255 bytes, and a path
// given to the kernel is at most 4,095 bytes.
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4095;

/** Why a file name from a layer cannot be a path on disk (a part or the whole too long), or undefined. */
export function pathProblem(name: string): string | undefined {
  for (const part of name.split('/')) {
    const length = Buffer.byteLength(part);
    if (length > MAX_NAME_BYTES) return `has a component of ${length} bytes, more than a file name can be (${MAX_NAME_BYTES})`;
  }
  const bytes = Buffer.byteLength(name);
  return bytes > MAX_PATH_BYTES ? `is ${bytes} bytes long, more than a path can be (${MAX_PATH_BYTES})` : undefined;
}

/**
 * Why a file name from a layer, normalized, cannot be a resource name (a NUL character in
 * it), or undefined: signed, it would make a signature verify refuses (RESOURCE_NAME_UNSAFE).
 * The rule is the statement parser's own (`isResourcePath`).
 */
export function unsignableProblem(name: string): string | undefined {
  return isResourcePath(name) ? undefined : 'is not a name a signature can hold (a plain path inside the model root, without NUL characters)';
}

/** A name from a layer for a message, quoted (or as `quote` writes it), and cut short when long (it is the registry's, of any length). */
export function shownName(name: string, quote: (text: string) => string = JSON.stringify): string {
  return name.length <= 100 ? quote(name) : `${quote(name.slice(0, 100))}... (${name.length} characters)`;
}

/**
 * Decompresses gzip; data that is not gzip is LAYER_INVALID (a failure of `bytes` itself
 * surfaces as the source's). `consumed` is how many input bytes the gzip data took: Node's
 * gunzip stops there when zero bytes follow, without reading the rest. `stop` lets go of
 * the input.
 */
function gunzip(bytes: AsyncIterable<Uint8Array>, layer: string): { chunks: AsyncIterable<Uint8Array>; consumed(): number; stop(): void } {
  const input = Readable.from(bytes);
  const decompressor = createGunzip();
  const stream = pipeline(input, decompressor, () => undefined);
  async function* chunks(): AsyncIterable<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (err) {
      throw unverifiedError('LAYER_INVALID', `tar+gzip layer ${layer} cannot be decompressed: ${(err as Error).message}`, err);
    }
  }
  return { chunks: chunks(), consumed: () => decompressor.bytesWritten, stop: () => input.destroy() };
}

// A compressed layer may expand this much (gzip's own ceiling is about 1,030) once past the
// floor: beyond it, it is a decompression bomb, which would fill memory, CPU or, in a pull,
// the disk before the signature check could fail.
const MAX_EXPANSION = 1100;
const EXPANSION_FLOOR = 64 * 1024 * 1024;

/** Passes decompressed bytes on while they stay within MAX_EXPANSION times the compressed bytes read so far. */
async function* bounded(decompressed: AsyncIterable<Uint8Array>, source: { readonly bytesRead: number }, kind: string, layer: string): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of decompressed) {
    total += chunk.length;
    if (total > EXPANSION_FLOOR && total > MAX_EXPANSION * source.bytesRead) {
      throw unverifiedError('LAYER_INVALID', `${kind} layer ${layer} expands to over ${MAX_EXPANSION} times its compressed size (${total} bytes from ${source.bytesRead}): refused as a decompression bomb`);
    }
    yield chunk;
  }
}

/**
 * A byte stream pulled by hand, so that after its consumer gives up the rest can still be
 * read (`drain`), to the digest check at its end; `failure` is the stream's own error and
 * `bytesRead` how much has been pulled.
 */
function pulled(bytes: AsyncIterable<Uint8Array>): { chunks(): AsyncIterable<Uint8Array>; drain(): Promise<void>; failure?: unknown; readonly bytesRead: number } {
  const iterator = bytes[Symbol.asyncIterator]();
  let done = false;
  const state = {
    failure: undefined as unknown,
    bytesRead: 0,
    async next(): Promise<Uint8Array | undefined> {
      if (done) return undefined;
      try {
        const step = await iterator.next();
        done = step.done === true;
        if (step.done) return undefined;
        state.bytesRead += step.value.length;
        return step.value;
      } catch (err) {
        done = true;
        state.failure = err;
        throw err;
      }
    },
    async *chunks(): AsyncIterable<Uint8Array> {
      for (let chunk = await state.next(); chunk !== undefined; chunk = await state.next()) yield chunk;
    },
    async drain(): Promise<void> {
      try {
        while ((await state.next()) !== undefined);
      } catch {
        // kept in `failure`
      }
    },
  };
  return state;
}

/** A name for a layer that carries none: from its media type, made unique with its digest. */
export function nameFromMediaType(layer: Descriptor, taken: ReadonlySet<string>): string {
  const base = (layer.mediaType.split('/').pop() ?? 'blob').replace(/^vnd\./, '').split(/[.+]/).filter((p) => !/^v\d+$/.test(p) && p !== 'raw').pop() || 'blob';
  return taken.has(base) ? `${base}-${layer.digest.split(':')[1]!.slice(0, 12)}` : base;
}
