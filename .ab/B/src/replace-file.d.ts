/** How `replaceFile` treats a path that exists but is not a regular file. */
export interface ReplaceOptions {
    /** Mode of a new file. */
    readonly mode?: number;
    /**
     * Write into a device or FIFO (`--signature /dev/stdout`) instead of refusing it. A rename
     * over one would put a file in its place (in /dev, as root).
     */
    readonly intoSpecial?: boolean;
}
/**
 * Replaces a file's content all at once: written to a temporary name beside it and renamed
 * over it, so a reader sees the old bytes or the new, never part of them, and a failure or
 * an interruption (the temporary file is pending until renamed: see pending-files.ts)
 * leaves nothing behind. A symbolic link is written through, the link stays: its file is
 * replaced, or made if the link dangles and the directory it points into exists. A path
 * that exists and is not a regular file is refused with code ENOTREGULAR, unless
 * `intoSpecial` lets a device or FIFO be written into.
 */
export declare function replaceFile(path: string, data: Uint8Array | string, options?: ReplaceOptions): Promise<void>;
