/** Where the progress line goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
    readonly isTTY?: boolean;
    write(text: string): unknown;
}
/**
 * Erases any progress line on screen: for a process about to end on a signal (Ctrl-C), so
 * that what the shell prints next starts on a clean line. The write is synchronous (a
 * terminal on Linux), so it is done before the signal ends the process.
 */
export declare function eraseProgressLines(): void;
/**
 * A one-line progress display on stderr for long hashing: bytes done and to do, rate and
 * time left. It draws only when stderr is a terminal and the output is not JSON, not before
 * half a second has passed (short runs stay quiet), and at most five times a second; the
 * line is erased when hashing ends, or when a signal ends the process (cli/interruptions.ts).
 */
export declare class Progress {
    private readonly enabled;
    private readonly stream;
    private readonly now;
    /** What the line says is going on: `hashing`, or `downloading` for a pull, whose bytes come from a registry. */
    private readonly verb;
    private total;
    private done;
    private started;
    private lastDraw;
    private drawn;
    constructor(enabled: boolean, stream?: ProgressStream, now?: () => number, 
    /** What the line says is going on: `hashing`, or `downloading` for a pull, whose bytes come from a registry. */
    verb?: string);
    static forOutput(json: boolean, { stream, now, verb }?: {
        stream?: ProgressStream;
        now?: () => number;
        verb?: string;
    }): Progress;
    /**
     * Hashing reads `bytes` bytes in all, counting any already read while listing (small
     * files are hashed as they are listed): the clock for rate and ETA starts at the first
     * of this call and the first bytes.
     */
    readonly onTotal: (bytes: number) => void;
    readonly onProgress: (bytes: number) => void;
    finish(): void;
}
export declare function formatBytes(n: number): string;
/** `42 s`, `3 min 05 s`, `2 h 07 min`. */
export declare function formatDuration(seconds: number): string;
