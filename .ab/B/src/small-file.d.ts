/** A file read with `readSmallFile` held more than its cap. */
export declare class FileTooLargeError extends Error {
    readonly path: string;
    readonly cap: number;
    readonly code = "EFBIG";
    constructor(path: string, cap: number);
}
/**
 * Reads a file that should be small (a key, a certificate, a bundle, a config) whole, but
 * never more than `cap` bytes: a device such as /dev/zero or a huge file named by mistake
 * ends in FileTooLargeError instead of filling memory. Other failures are the errno errors
 * of open and read. The result may be a view of a larger buffer.
 */
export declare function readSmallFile(path: string, cap: number): Promise<Buffer>;
