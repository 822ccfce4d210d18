/**
 * The number of threads that will hash, if the command line hashes a local model:
 * undefined for other commands, help, version and registry models. Flags are checked
 * properly later, by yargs; an unusable `--max-workers` here just means the default, which
 * is only worked out (it reads cgroup files) for a command line that hashes.
 */
export declare function hashThreadsFor(args: readonly string[], defaultCount: () => number): number | undefined;
/**
 * Starts the hash workers a command line will need, if any: one per hashing thread but the
 * main thread, which hashes too (see `poolOptionsFrom`). Only a head start: if a worker
 * cannot be created now, hashing starts its own later and reports any failure properly.
 */
export declare function prestartFor(args: readonly string[]): void;
