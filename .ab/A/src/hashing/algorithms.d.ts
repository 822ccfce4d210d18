/** Per-resource hash algorithms of the OMS serialization. The root digest is always SHA-256. */
export declare const HASH_ALGORITHMS: readonly ["sha256", "blake2b", "blake3"];
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
export declare function isHashAlgorithm(value: unknown): value is HashAlgorithm;
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
export declare function createHasher(algorithm: HashAlgorithm): Promise<Hasher>;
/**
 * A synchronous source of hashers for code that uses them strictly one after another (a
 * hash worker): no promise per file, which matters when hashing many tiny files. Each
 * hasher must be finished (`digest`) before the next is made.
 */
export declare function sequentialHashers(algorithm: HashAlgorithm): Promise<() => Hasher>;
/**
 * BLAKE3 hashers, each finished before the next is made: the native build where its
 * prebuilt binary loads on this platform, else the WebAssembly one. The native build uses
 * the CPU's SIMD units and hashed 4.3 GB/s per core here, against 0.8 GB/s for WebAssembly.
 */
export declare function blake3Hashers(): Promise<() => Hasher>;
/**
 * @napi-rs/blake-hash's BLAKE3 (the Rust `blake3` crate, picking SSE4.1, AVX2 or AVX-512
 * at run time), or undefined where it does not load: another platform, a musl libc, or an
 * install without the optional package. Each hasher is independent.
 */
export declare function nativeBlake3Hashers(): Promise<(() => Hasher) | undefined>;
/** hash-wasm's BLAKE3, the portable fallback: the hashers share one WebAssembly instance. */
export declare function wasmBlake3Hashers(): Promise<() => Hasher>;
/**
 * A one-call hash of data in memory, for many small files: Node's one-shot `crypto.hash`
 * skips the Hash object a hasher needs (measured: 20,000 files of 4 KiB hash ~15% faster).
 * For BLAKE3, the hashers of `blake3Hashers`, one after another.
 */
export declare function oneShotHash(algorithm: HashAlgorithm): Promise<(data: Uint8Array) => string>;
