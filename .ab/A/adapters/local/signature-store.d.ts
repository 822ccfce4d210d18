import { type SignatureStore, type StoredSignature } from '../../src/core.js';
/** A detached bundle file next to or inside the model (`model.sig` by default). */
export declare class SidecarSignatureStore implements SignatureStore {
    readonly path: string;
    constructor(path: string);
    list(): Promise<StoredSignature[]>;
    /**
     * Refuses (SIGNATURE_WOULD_OVERWRITE) when the path holds a regular file that is not a
     * Sigstore bundle: `--signature model/weights.bin` must not replace the weights. An empty
     * file holds nothing to lose (a shell's `> out.sig` made it, or `touch`), so it is written
     * over. Call it before long work; `put` checks again.
     */
    assertReplaceable(): Promise<void>;
    /**
     * Writes the bundle all at once (`replaceFile`): never a half-written bundle. A symbolic
     * link is written through (a dangling one makes its target); a device or FIFO
     * (/dev/stdout) is written into, as the reference's open() does. An existing file that is
     * not a bundle is never replaced.
     */
    put(bundle: Uint8Array): Promise<string>;
}
