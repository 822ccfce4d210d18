import { createHash, hash } from 'node:crypto';
import { createRequire } from 'node:module';

/** Per-resource hash algorithms of the OMS serialization. The root digest is always SHA-256. */
export const HASH_ALGORITHMS = ['sha256', 'blake2b', 'blake3'] as const;
/** One of HASH_ALGORITHMS. */
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Whether a value (a flag, a statement's `hash_type`) names one of HASH_ALGORITHMS. */
export function isHashAlgorithm(value: unknown): value is HashAlgorithm {
  return typeof value === 'string' && (HASH_ALGORITHMS as readonly string[]).includes(value);
}

/** An incremental hasher; `digest` returns lowercase hex and may be called once. */
export interface Hasher {
  update(data: Uint8Array): void;
  digest(): string;
}

/**
 * Creates a hasher. blake2b is BLAKE2b-512 (Python's `hashlib.blake2b()` default, as the
 * reference uses); blake3 is the 256-bit default output. Node's OpenSSL has no BLAKE3: see
 * `blake3Hashers`.
 */
export async function createHasher(algorithm: HashAlgorithm): Promise<Hasher> {
  if (algorithm !== 'blake3') return nodeHasher(algorithm);
  // A source of its own per call: hashers made by separate calls may run interleaved.
  return (await blake3Hashers())();
}

/**
 * A synchronous source of hashers for code that uses them strictly one after another (a
 * hash worker): no promise per file, which matters when hashing many tiny files. Each
 * hasher must be finished (`digest`) before the next is made.
 */
export async function sequentialHashers(algorithm: HashAlgorithm): Promise<() => Hasher> {
  if (algorithm !== 'blake3') return () => nodeHasher(algorithm);
  return blake3Hashers();
}

/**
 * BLAKE3 hashers, each finished before the next is made: the native build where its
 * prebuilt binary loads on this platform, else the WebAssembly one. The native build uses
 * the CPU's SIMD units and hashed 4.3 GB/s per core here, against 0.8 GB/s for WebAssembly.
 */
export async function blake3Hashers(): Promise<() => Hasher> {
  return (await nativeBlake3Hashers()) ?? wasmBlake3Hashers();
}

/** The part of the native BLAKE3 build's exports used here. */
interface NativeBlake3 {
  readonly Blake3Hasher: new () => HexHasher;
}

// Only the Linux x64 (glibc) build is an (optional) dependency: the one the registry these
// machines use serves. Depending on @napi-rs/blake-hash itself would make npm ci demand lock
// entries for every platform's build, which that registry cannot give.
const NATIVE_BLAKE3_PACKAGE = '@napi-rs/blake-hash-linux-x64-gnu';
let nativeBlake3: NativeBlake3 | null | undefined;

/**
 * @napi-rs/blake-hash's BLAKE3 (the Rust `blake3` crate, picking SSE4.1, AVX2 or AVX-512
 * at run time), or undefined where it does not load: another platform, a musl libc, or an
 * install without the optional package. Each hasher is independent.
 */
export async function nativeBlake3Hashers(): Promise<(() => Hasher) | undefined> {
  // Loaded on first use only: sha256 runs never load the binary.
  if (nativeBlake3 === undefined) nativeBlake3 = loadNativeBlake3();
  const native = nativeBlake3;
  if (native === null) return undefined;
  return () => hasherOf(new native.Blake3Hasher());
}

function loadNativeBlake3(): NativeBlake3 | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return null;
  try {
    return createRequire(import.meta.url)(NATIVE_BLAKE3_PACKAGE) as NativeBlake3;
  } catch {
    return null; // not installed, or a libc the build does not link against
  }
}

/** hash-wasm's BLAKE3, the portable fallback: the hashers share one WebAssembly instance. */
export async function wasmBlake3Hashers(): Promise<() => Hasher> {
  // Loaded on first use: parsing hash-wasm costs tens of milliseconds.
  const h = await (await import('hash-wasm')).createBLAKE3();
  return () => {
    h.init();
    return hasherOf(h);
  };
}

/**
 * A one-call hash of data in memory, for many small files: Node's one-shot `crypto.hash`
 * skips the Hash object a hasher needs (measured: 20,000 files of 4 KiB hash ~15% faster).
 * For BLAKE3, the hashers of `blake3Hashers`, one after another.
 */
export async function oneShotHash(algorithm: HashAlgorithm): Promise<(data: Uint8Array) => string> {
  if (algorithm === 'blake3') {
    const make = await blake3Hashers();
    return (data) => {
      const h = make();
      h.update(data);
      return h.digest();
    };
  }
  const name = nodeName(algorithm);
  return (data) => hash(name, data, 'hex');
}

/** Node's (OpenSSL's) name for an algorithm it has: BLAKE2b is BLAKE2b-512. */
const nodeName = (algorithm: 'sha256' | 'blake2b'): string => (algorithm === 'sha256' ? 'sha256' : 'blake2b512');

const nodeHasher = (algorithm: 'sha256' | 'blake2b'): Hasher => hasherOf(createHash(nodeName(algorithm)));

/** What node:crypto's Hash and both BLAKE3 builds have in common. */
type HexHasher = { update(data: Uint8Array): unknown; digest(format: 'hex'): string };

/** A Hasher over any of them. */
const hasherOf = (h: HexHasher): Hasher => ({
  update: (d) => void h.update(d),
  digest: () => h.digest('hex'),
});

