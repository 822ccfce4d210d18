import type { Argv, CommandModule } from 'yargs';
import { type DigestCache, type HashAlgorithm, type HashOptions, type PoolOptions } from '../src/core.js';
import type { Progress } from './progress.js';
/** Flags shared by digest and sign: how the model is serialized. */
export declare const serializationOptions: {
    method: {
        choices: readonly ["files", "shards"];
        default: string;
        describe: string;
    };
    'hash-algorithm': {
        alias: string;
        choices: readonly ["sha256", "blake2b", "blake3"];
        default: string;
        describe: string;
    };
    'shard-size': {
        alias: string;
        type: "number";
        default: number;
        describe: string;
    };
    'allow-symlinks': {
        alias: string;
        type: "boolean";
        default: boolean;
        describe: string;
    };
};
/** Flags shared by digest, sign and verify: which paths are left out, how to hash, how to print. */
export declare const ignoreOptions: {
    'ignore-paths': {
        alias: string;
        type: "string";
        array: true;
        default: string[];
        describe: string;
    };
    'ignore-git-paths': {
        alias: string;
        type: "boolean";
        default: boolean;
        describe: string;
    };
    'max-workers': {
        alias: string;
        type: "number";
        describe: string;
    };
    cache: {
        type: "boolean";
        default: boolean;
        describe: string;
    };
    'cache-file': {
        alias: string;
        type: "string";
        describe: string;
    };
    json: {
        type: "boolean";
        default: boolean;
        describe: string;
    };
};
export interface SerializationArgs {
    method: 'files' | 'shards';
    'hash-algorithm': HashAlgorithm;
    'shard-size': number;
    'allow-symlinks': boolean;
}
export interface IgnoreArgs {
    'ignore-paths': string[];
    'ignore-git-paths': boolean;
    'max-workers'?: number;
    cache: boolean;
    'cache-file'?: string;
    json: boolean;
}
/**
 * Turns CLI ignore paths (absolute, or relative to the current directory, as in the
 * reference CLI) into paths relative to the model root, dropping those outside it.
 */
export declare function modelRelativePaths(paths: readonly string[], modelRoot: string): string[];
export declare function checkWorkers(n: number | undefined): number | undefined;
/**
 * Checked here, before the engine's own check, so that the error names the flag: the
 * engine's message ("shard size must be ...") is for library callers too.
 */
export declare function checkShardSize(n: number): number;
/**
 * Hashing pool options for commands whose main thread has nothing else to do while local
 * files hash (digest, sign, verify): it hashes too, and one worker fewer is started.
 */
export declare function poolOptionsFrom(argv: {
    'max-workers'?: number;
}): PoolOptions;
/**
 * A yargs command whose handler reads typed arguments. yargs' inferred types cannot follow
 * our shared option objects and aliases, so the typed view is declared once per command.
 */
export interface TypedCommand<A> {
    command: string;
    describe: string;
    builder: (y: Argv) => Argv<unknown>;
    handler: (argv: A) => void | Promise<void>;
}
export declare const command: <A>(c: TypedCommand<A>) => CommandModule;
/** The engine's hashing options from the serialization and ignore flags, as digest and sign take them. */
export declare function hashOptionsFrom(argv: SerializationArgs & IgnoreArgs, ignorePaths: readonly string[], progress: Progress, cache: DigestCache | undefined): HashOptions;
/** Flags whose values are credentials: errors give their count, never the values. */
export declare const SECRET_FLAGS: Set<string>;
/** A secret read from elsewhere than a flag (a password file, MODELSIGN_PASSWORD): errors blank it as they blank secret flags' values. */
export declare const addSecret: (value: string) => void;
/** The secrets given to addSecret so far. */
export declare const readSecrets: () => readonly string[];
/**
 * Fails (BAD_FLAG) on flag values no command can use, before any runs (a yargs middleware,
 * run before validation):
 * - a flag that takes one value given more than once. yargs collects the values into a
 *   list, which then reached the engine as if it were one value: `--method files --method
 *   shards` signed a statement whose method was a list. Taking the last one silently, as
 *   some tools do, could sign or verify with a value the user did not mean;
 * - an empty value (`--signature ""`, or `digest ""`, which resolved to the current
 *   directory): usually an unset shell variable, never a path anyone means;
 * - a number flag whose value is not a number, or is empty (yargs reads "" as 0, so the
 *   words given, `args`, are looked at for those).
 */
export declare function rejectUnusableValues(argv: Record<string, unknown>, cli?: unknown, args?: readonly string[]): void;
/** `-` for standard input is not a convention these flags follow (but for --password-file); /dev/stdin works. */
export declare const STDIN_DASH: (flag: string) => string;
/** The words with `--password-file -` joined into `--password-file=-`, which yargs reads as the flag's value (see dashFollows). */
export declare function withStdinDashes(args: readonly string[]): string[];
/**
 * yargs names an unknown flag twice, as given and in camelCase (`Unknown arguments:
 * public-key, publicKey`); this keeps the names as given.
 */
export declare function withoutCamelCaseCopies(message: string): string;
/**
 * yargs 17 renders the matched command's help text and caches it right after starting the
 * command's handler, synchronously, so the handler's first await returns only after it:
 * about 7 ms of the main thread, just before a local model is listed and the hash workers
 * get their work. The cache serves help shown on a failure, which this CLI reports without
 * help (see `.fail` in main.ts), so rendering it is skipped. `--help` renders as usual.
 */
export declare function skipHelpCache(cli: unknown): void;
