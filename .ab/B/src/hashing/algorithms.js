import { createHash, hash } from 'node:crypto';
import { createRequire } from 'node:module';
/** Per-resource hash algorithms of the OMS serialization. The root digest is always SHA-256. */
export const HASH_ALGORITHMS = ['sha256', 'blake2b', 'blake3'];
export function isHashAlgorithm(value) {
    return typeof value === 'string' && HASH_ALGORITHMS.includes(value);
}
/**
 * Creates a hasher. blake2b is BLAKE2b-512 (Python's `hashlib.blake2b()` default, as the
 * reference uses); blake3 is the 256-bit default output. Node's OpenSSL has no BLAKE3: see
 * `blake3Hashers`.
 */
export async function createHasher(algorithm) {
    if (algorithm !== 'blake3')
        return nodeHasher(algorithm);
    // A source of its own per call: hashers made by separate calls may run interleaved.
    return (await blake3Hashers())();
}
/**
 * A synchronous source of hashers for code that uses them strictly one after another (a
 * hash worker): no promise per file, which matters when hashing many tiny files. Each
 * hasher must be finished (`digest`) before the next is made.
 */
export async function sequentialHashers(algorithm) {
    if (algorithm !== 'blake3')
        return () => nodeHasher(algorithm);
    return blake3Hashers();
}
/**
 * BLAKE3 hashers, each finished before the next is made: the native build where its
 * prebuilt binary loads on this platform, else the WebAssembly one. The native build uses
 * the CPU's SIMD units and hashed 4.3 GB/s per core here, against 0.8 GB/s for WebAssembly.
 */
export async function blake3Hashers() {
    return (await nativeBlake3Hashers()) ?? wasmBlake3Hashers();
}
// Only the Linux x64 (glibc) build is an (optional) dependency: the one the registry these
// machines use serves. Depending on @napi-rs/blake-hash itself would make npm ci demand lock
// entries for every platform's build, which that registry cannot give.
const NATIVE_BLAKE3_PACKAGE = '@napi-rs/blake-hash-linux-x64-gnu';
let nativeBlake3;
/**
 * @napi-rs/blake-hash's BLAKE3 (the Rust `blake3` crate, picking SSE4.1, AVX2 or AVX-512
 * at run time), or undefined where it does not load: another platform, a musl libc, or an
 * install without the optional package. Each hasher is independent.
 */
export async function nativeBlake3Hashers() {
    // Loaded on first use only: sha256 runs never load the binary.
    if (nativeBlake3 === undefined)
        nativeBlake3 = loadNativeBlake3();
    const native = nativeBlake3;
    if (native === null)
        return undefined;
    return () => hasherOf(new native.Blake3Hasher());
}
function loadNativeBlake3() {
    if (process.platform !== 'linux' || process.arch !== 'x64')
        return null;
    try {
        return createRequire(import.meta.url)(NATIVE_BLAKE3_PACKAGE);
    }
    catch {
        return null; // not installed, or a libc the build does not link against
    }
}
/** hash-wasm's BLAKE3, the portable fallback: the hashers share one WebAssembly instance. */
export async function wasmBlake3Hashers() {
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
export async function oneShotHash(algorithm) {
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
const nodeName = (algorithm) => (algorithm === 'sha256' ? 'sha256' : 'blake2b512');
const nodeHasher = (algorithm) => hasherOf(createHash(nodeName(algorithm)));
/** A Hasher over any of them. */
const hasherOf = (h) => ({
    update: (d) => void h.update(d),
    digest: () => h.digest('hex'),
});
//# sourceMappingURL=algorithms.js.map