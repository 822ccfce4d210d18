import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Argv, CommandModule, Options } from 'yargs';
import { HASH_ALGORITHMS, isOutside, usageError, type DigestCache, type HashAlgorithm, type HashOptions, type PoolOptions } from '../src/core.js';
import type { Progress } from './progress.js';

/** A flag name as yargs' camelCase copy spells it, back in kebab case: `maxWorkers` is `max-workers`. */
export const fromCamelCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The reference's default shard size. */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

/** Flags shared by digest and sign: how the model is serialized. */
export const serializationOptions = {
  method: { choices: ['files', 'shards'] as const, default: 'files', describe: 'Serialization: one digest per file, or per shard of each file' },
  'hash-algorithm': { alias: 'hash_algorithm', choices: HASH_ALGORITHMS, default: 'sha256', describe: 'Per-resource hash (the root digest is always SHA-256)' },
  'shard-size': { alias: 'shard_size', type: 'number', default: DEFAULT_SHARD_SIZE, describe: 'Shard size in bytes for --method shards' },
  'allow-symlinks': { alias: 'allow_symlinks', type: 'boolean', default: false, describe: 'Follow symbolic links instead of failing on them' },
} satisfies Record<string, Options>;

/** Flags shared by digest, sign and verify: which paths are left out, how to hash, how to print. */
export const ignoreOptions = {
  'ignore-paths': { alias: 'ignore_paths', type: 'string', array: true, default: [] as string[], describe: 'A path to leave out, absolute or relative to the current directory (give the flag once per path); only those inside the model count' },
  'ignore-git-paths': { alias: 'ignore_git_paths', type: 'boolean', default: true, describe: 'Leave out .git, .gitattributes, .github and .gitignore (--no-ignore-git-paths to include them)' },
  'max-workers': { alias: 'max_workers', type: 'number', describe: 'Threads that hash local files, the main thread among them (default: one per core, within a container\'s CPU limit)' },
  cache: {
    type: 'boolean',
    default: false,
    describe: 'Reuse digests of files unchanged (same device, inode, size, mtime and ctime) since an earlier run, kept in $XDG_CACHE_HOME/modelsign/digests.json (else ~/.cache/modelsign/digests.json)',
  },
  'cache-file': { alias: 'cache_file', type: 'string', describe: 'The digest cache file to use (implies --cache)' },
  json: { type: 'boolean', default: false, describe: 'Print one JSON document instead of text' },
} satisfies Record<string, Options>;

/** Flags that choose which Sigstore deployment to trust or sign with. */
export const trustOptions = {
  'trust-config': { alias: 'trust_config', type: 'string', describe: 'A Sigstore ClientTrustConfig JSON (trusted root + signing config), for private deployments' },
  'use-staging': { alias: 'use_staging', type: 'boolean', default: false, describe: "Use Sigstore's staging instance" },
} as const;

export interface TrustArgs {
  'trust-config'?: string;
  'use-staging': boolean;
}

export interface VerifyTrustArgs extends TrustArgs {
  'trusted-root'?: string;
  offline: boolean;
  'refresh-trust-root': boolean;
}

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
 * reference CLI) into paths relative to the model root, dropping those outside it. Both
 * sides are compared by their real paths, as the reference's `Path.resolve()` compares
 * them: a model named through a symbolic link (`~/models/x`, a `$PWD` that has one) still
 * contains a relative `--signature model.sig` (the current directory is always real).
 */
export function modelRelativePaths(paths: readonly string[], modelRoot: string, outside?: (path: string) => void): string[] {
  if (paths.length === 0) return [];
  const root = realPath(modelRoot);
  const out: string[] = [];
  for (const p of paths) {
    const rel = relative(root, realPath(p));
    if (rel === '' || isOutside(rel)) outside?.(p);
    else out.push(rel.split(sep).join('/'));
  }
  return out;
}

/**
 * `path` made absolute with every symbolic link among its existing components resolved;
 * a part that does not exist yet (a signature still to be written) is kept as written, as
 * Python's non-strict `Path.resolve()` keeps it.
 */
function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

/** How many attached signatures verify and pull fetch and try at most, by default (notation's default too). */
export const DEFAULT_MAX_SIGNATURES = 100;

/** The flag of verify and pull that bounds the attached signatures they fetch and try. */
export const maxSignaturesOption = {
  'max-signatures': {
    alias: 'max_signatures',
    type: 'number',
    default: DEFAULT_MAX_SIGNATURES,
    describe: 'For a model in a registry or layout: fetch and try at most this many of its attached signatures, in the order the registry lists them',
  },
} satisfies Record<string, Options>;

export function checkMaxSignatures(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw usageError('BAD_FLAG', `--max-signatures must be a positive integer, got ${n}`);
  return n;
}

export function checkWorkers(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1) throw usageError('BAD_FLAG', `--max-workers must be a positive integer, got ${n}`);
  return n;
}

/**
 * Checked here, before the engine's own check, so that the error names the flag: the
 * engine's message ("shard size must be ...") is for library callers too.
 */
export function checkShardSize(n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw usageError('BAD_SHARD_SIZE', `--shard-size must be a positive integer, got ${n}`);
  return n;
}

/**
 * Hashing pool options for commands whose main thread has nothing else to do while local
 * files hash (digest, sign, verify): it hashes too, and one worker fewer is started.
 */
export function poolOptionsFrom(argv: { 'max-workers'?: number }): PoolOptions {
  return { maxWorkers: checkWorkers(argv['max-workers']), hashOnCallingThread: true };
}

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

export const command = <A>(c: TypedCommand<A>): CommandModule => c as unknown as CommandModule;

/** The engine's hashing options from the serialization and ignore flags, as digest and sign take them. */
export function hashOptionsFrom(
  argv: SerializationArgs & IgnoreArgs,
  ignorePaths: readonly string[],
  progress: Progress,
  cache: DigestCache | undefined,
): HashOptions {
  return {
    method: argv.method,
    hashAlgorithm: argv['hash-algorithm'],
    shardSize: checkShardSize(argv['shard-size']),
    allowSymlinks: argv['allow-symlinks'],
    ignorePaths,
    ignoreGitPaths: argv['ignore-git-paths'],
    ...poolOptionsFrom(argv),
    cache,
    onTotal: progress.onTotal,
    onProgress: progress.onProgress,
  };
}

/** Arguments given as words rather than flags, named as such in errors. */
const POSITIONALS = new Set(['model', 'dir', 'reference']);
/** The one string flag an empty value can mean something for (an empty passphrase). */
const MAY_BE_EMPTY = new Set(['password']);
/** Flags whose values are credentials: errors give their count, never the values. */
export const SECRET_FLAGS = new Set(['identity-token', 'identity_token', 'password']);

const secretsRead: string[] = [];
/** A secret read from elsewhere than a flag (a password file, MODELSIGN_PASSWORD): errors blank it as they blank secret flags' values. */
export const addSecret = (value: string): void => void secretsRead.push(value);
/** The secrets given to addSecret so far. */
export const readSecrets = (): readonly string[] => secretsRead;

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
export function rejectUnusableValues(argv: Record<string, unknown>, cli?: unknown, args: readonly string[] = []): void {
  // yargs passes itself to a middleware; its getOptions() (not in @types/yargs) names the flags that take lists or numbers.
  const declared = (cli as { getOptions?: () => { key?: Record<string, unknown>; array?: string[]; number?: string[]; boolean?: string[] } } | undefined)?.getOptions?.();
  const lists = new Set(declared?.array ?? []);
  const valueless = valuelessFlagOf(args, Object.keys(declared?.key ?? {}), declared?.boolean ?? []);
  if (valueless !== undefined) throw usageError('BAD_FLAG', valueless);
  const emptyNumber = emptyValueOf(args, declared?.number ?? []);
  if (emptyNumber !== undefined) throw usageError('BAD_FLAG', `--${emptyNumber} is empty`);
  // yargs reads `--json=1` or `--json=yes` as false, silently.
  const odd = oddBooleanOf(args, declared?.boolean ?? []);
  if (odd !== undefined) throw usageError('BAD_FLAG', `${odd} takes true or false (or no value)`);
  // yargs keeps the words after `--` apart and reads none of them as an argument.
  const rest = argv['--'];
  if (Array.isArray(rest) && rest.length > 0) throw usageError('BAD_USAGE', `${rest.length} word(s) after \`--\` that no argument takes: ${rest.map((v) => JSON.stringify(String(v))).join(', ')}`);
  // yargs also sets camelCase copies; the names given (kebab-case or snake_case) are enough,
  // and the kebab-case one is named when both are there.
  const names = Object.keys(argv)
    .filter((k) => k !== '_' && k !== '$0' && k !== '--' && !/[A-Z]/.test(k))
    .sort((a, b) => Number(a.includes('_')) - Number(b.includes('_')));
  const label = (name: string): string => (POSITIONALS.has(name) ? `the <${name}> argument` : `--${name}`);
  for (const name of names) {
    const value = argv[name];
    if (Array.isArray(value) && !lists.has(name)) {
      const values = SECRET_FLAGS.has(name) ? '' : `: ${value.map((v) => JSON.stringify(String(v))).join(', ')}`;
      throw usageError('BAD_FLAG', `--${name} takes one value but was given ${value.length}${values}`);
    }
    // yargs turns a number flag's non-numeric value into NaN, which later messages could only echo as "NaN".
    if (Number.isNaN(value)) throw usageError('BAD_FLAG', `--${name} takes a number`);
    if (MAY_BE_EMPTY.has(name)) continue;
    if (value === '' && dashFollows(args, name)) throw usageError('BAD_FLAG', name === 'signature' && args[0] === 'sign' ? STDOUT_DASH : STDIN_DASH(`--${name}`));
    // A list flag's `-` is left out of the list (and then an unknown argument): named as such instead.
    if (lists.has(name) && dashFollows(args, name)) throw usageError('BAD_FLAG', `--${name} takes a path, and \`-\` is not one (standard input is /dev/stdin; a file named - is ./-)`);
    if (value === '') throw usageError('BAD_FLAG', `${label(name)} is empty`);
    if (Array.isArray(value) && value.includes('')) throw usageError('BAD_FLAG', `${label(name)} has an empty value`);
  }
}

/**
 * A flag that takes a value, given none: the last word, or followed by `--` or by another
 * flag. yargs gives such a flag its default (or an empty value) silently, so `--shard-size`
 * left without its value by an unset shell variable signed with the default size. Says
 * why, for a value that starts with `-` (read as a flag: `--signature -m.sig`).
 */
function valuelessFlagOf(args: readonly string[], declared: readonly string[], booleans: readonly string[]): string | undefined {
  const known = (spelled: string): string | undefined => {
    const name = declared.includes(spelled) ? spelled : fromCamelCase(spelled);
    return declared.includes(name) ? name : undefined;
  };
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const name = known(/^--([^=]+)$/.exec(args[i]!)?.[1] ?? '');
    if (name === undefined || booleans.includes(name) || MAY_BE_EMPTY.has(name)) continue;
    const flag = args[i]!;
    const next = args[i + 1];
    if (next === undefined || next === '--') return `${flag} needs a value`;
    // A lone `-` is an argument to yargs (see dashFollows); `-1` a (negative) number.
    if (next === '-' || !next.startsWith('-') || /^-\d/.test(next)) continue;
    const nextName = /^--(?:no-)?([^=]+)/.exec(next)?.[1];
    // A secret's value is not quoted back, whatever it looks like.
    if ((nextName !== undefined && known(nextName) !== undefined) || SECRET_FLAGS.has(fromCamelCase(name))) return `${flag} needs a value`;
    return `${flag} needs a value, and the next word, ${JSON.stringify(next)}, is read as a flag (for a value that starts with -, write ${flag}=${next})`;
  }
  return undefined;
}

/** `-` for standard input is not a convention these flags follow (but for --password-file); /dev/stdin works. */
export const STDIN_DASH = (flag: string): string => `${flag} takes a path, and \`-\` (standard input) is not one: use /dev/stdin`;
/** The same for sign's --signature, an output. */
const STDOUT_DASH = '--signature takes a path, and `-` (standard output) is not one: use /dev/stdout';

const kebab = (word: string): string => word.replaceAll('_', '-');

/** Whether `--name -` is in `args`: yargs takes a lone `-` as an argument of its own, leaving the flag empty. */
const dashFollows = (args: readonly string[], name: string): boolean => args.some((word, i) => kebab(word) === `--${kebab(name)}` && args[i + 1] === '-');

/** The flags whose value `-` means standard input. */
const STDIN_FLAGS = new Set(['--password-file']);

/** The words with `--password-file -` joined into `--password-file=-`, which yargs reads as the flag's value (see dashFollows). */
export function withStdinDashes(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i]!;
    if (word === '--') return [...out, ...args.slice(i)];
    if (STDIN_FLAGS.has(kebab(word)) && args[i + 1] === '-') {
      out.push(`${word}=-`);
      i += 1;
    } else out.push(word);
  }
  return out;
}

/** The first `--flag=value` in `args` that gives one of the boolean `flags` a value other than true or false, as it was spelled. */
function oddBooleanOf(args: readonly string[], flags: readonly string[]): string | undefined {
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(args[i]!);
    if (m && flags.includes(m[1]!) && m[2] !== 'true' && m[2] !== 'false') return args[i]!;
  }
  return undefined;
}

/** The first of `flags` given an empty value in `args` (`--flag=` or `--flag ""`), as it was spelled. */
function emptyValueOf(args: readonly string[], flags: readonly string[]): string | undefined {
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const word = args[i]!;
    const flag = flags.find((f) => word === `--${f}=` || (word === `--${f}` && args[i + 1] === ''));
    if (flag !== undefined) return flag;
  }
  return undefined;
}

/**
 * yargs names an unknown flag twice, as given and in camelCase (`Unknown arguments:
 * public-key, publicKey`); this keeps the names as given.
 */
export function withoutCamelCaseCopies(message: string): string {
  const m = /^(Unknown arguments?): (.*)$/s.exec(message);
  if (!m) return message;
  const names = m[2]!.split(', ');
  const camel = (n: string): string => n.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((n) => !names.some((other) => other !== n && camel(other) === n));
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

/**
 * yargs 17 renders the matched command's help text and caches it right after starting the
 * command's handler, synchronously, so the handler's first await returns only after it:
 * about 7 ms of the main thread, just before a local model is listed and the hash workers
 * get their work. The cache serves help shown on a failure, which this CLI reports without
 * help (see `.fail` in main.ts), so rendering it is skipped. `--help` renders as usual.
 */
export function skipHelpCache(cli: unknown): void {
  const internal = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
