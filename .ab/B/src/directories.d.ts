/**
 * `mkdir -p`: creates a directory and any missing parents. Node's own `recursive` mkdir
 * retries forever where a parent exists but refuses new entries with ENOENT (as /proc
 * does), which would hang the command; here each missing directory is made once, and the
 * first refusal is thrown (with its errno code). Returns the directories it made, outermost
 * first, so a caller that fails later can remove exactly those.
 */
export declare function makeDirectories(path: string, mode?: number): Promise<string[]>;
/**
 * Removes directories a run made (as `makeDirectories` lists them), innermost first, each
 * only if empty: whatever someone else put there meanwhile stays, with the directories above it.
 */
export declare function removeEmptyDirectories(made: readonly string[]): Promise<void>;
/** `removeEmptyDirectories`, synchronously: for a process about to end on a signal, which cannot wait. */
export declare function removeEmptyDirectoriesSync(made: readonly string[]): void;
