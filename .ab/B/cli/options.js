import { relative, resolve, sep } from 'node:path';
import { HASH_ALGORITHMS, isOutside, usageError } from '../src/core.js';
/** Flags shared by digest and sign: how the model is serialized. */
export const serializationOptions = {
    method: { choices: ['files', 'shards'], default: 'files', describe: 'Serialization: one digest per file, or per shard of each file' },
    'hash-algorithm': { alias: 'hash_algorithm', choices: HASH_ALGORITHMS, default: 'sha256', describe: 'Per-resource hash (the root digest is always SHA-256)' },
    'shard-size': { alias: 'shard_size', type: 'number', default: 1_000_000_000, describe: 'Shard size in bytes for --method shards' },
    'allow-symlinks': { alias: 'allow_symlinks', type: 'boolean', default: false, describe: 'Follow symbolic links instead of failing on them' },
};
/** Flags shared by digest, sign and verify: which paths are left out, how to hash, how to print. */
export const ignoreOptions = {
    'ignore-paths': { alias: 'ignore_paths', type: 'string', array: true, default: [], describe: 'A path to leave out, absolute or relative to the current directory (give the flag once per path); only those inside the model count' },
    'ignore-git-paths': { alias: 'ignore_git_paths', type: 'boolean', default: true, describe: 'Leave out .git, .gitattributes, .github and .gitignore (--no-ignore-git-paths to include them)' },
    'max-workers': { alias: 'max_workers', type: 'number', describe: 'Threads that hash local files, the main thread among them (default: one per core, within a container\'s CPU limit)' },
    cache: {
        type: 'boolean',
        default: false,
        describe: 'Reuse digests of files unchanged (same device, inode, size, mtime and ctime) since an earlier run, kept in $XDG_CACHE_HOME/modelsign/digests.json (else ~/.cache/modelsign/digests.json)',
    },
    'cache-file': { alias: 'cache_file', type: 'string', describe: 'The digest cache file to use (implies --cache)' },
    json: { type: 'boolean', default: false, describe: 'Print one JSON document instead of text' },
};
/**
 * Turns CLI ignore paths (absolute, or relative to the current directory, as in the
 * reference CLI) into paths relative to the model root, dropping those outside it.
 */
export function modelRelativePaths(paths, modelRoot) {
    const root = resolve(modelRoot);
    const out = [];
    for (const p of paths) {
        const rel = relative(root, resolve(p));
        if (rel === '' || isOutside(rel))
            continue;
        out.push(rel.split(sep).join('/'));
    }
    return out;
}
export function checkWorkers(n) {
    if (n === undefined)
        return undefined;
    if (!Number.isInteger(n) || n < 1)
        throw usageError('BAD_FLAG', `--max-workers must be a positive integer, got ${n}`);
    return n;
}
/**
 * Checked here, before the engine's own check, so that the error names the flag: the
 * engine's message ("shard size must be ...") is for library callers too.
 */
export function checkShardSize(n) {
    if (!Number.isSafeInteger(n) || n <= 0)
        throw usageError('BAD_SHARD_SIZE', `--shard-size must be a positive integer, got ${n}`);
    return n;
}
/**
 * Hashing pool options for commands whose main thread has nothing else to do while local
 * files hash (digest, sign, verify): it hashes too, and one worker fewer is started.
 */
export function poolOptionsFrom(argv) {
    return { maxWorkers: checkWorkers(argv['max-workers']), hashOnCallingThread: true };
}
export const command = (c) => c;
/** The engine's hashing options from the serialization and ignore flags, as digest and sign take them. */
export function hashOptionsFrom(argv, ignorePaths, progress, cache) {
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
const secretsRead = [];
/** A secret read from elsewhere than a flag (a password file, MODELSIGN_PASSWORD): errors blank it as they blank secret flags' values. */
export const addSecret = (value) => void secretsRead.push(value);
/** The secrets given to addSecret so far. */
export const readSecrets = () => secretsRead;
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
export function rejectUnusableValues(argv, cli, args = []) {
    // yargs passes itself to a middleware; its getOptions() (not in @types/yargs) names the flags that take lists or numbers.
    const declared = cli?.getOptions?.();
    const lists = new Set(declared?.array ?? []);
    const emptyNumber = emptyValueOf(args, declared?.number ?? []);
    if (emptyNumber !== undefined)
        throw usageError('BAD_FLAG', `--${emptyNumber} is empty`);
    // yargs reads `--json=1` or `--json=yes` as false, silently.
    const odd = oddBooleanOf(args, declared?.boolean ?? []);
    if (odd !== undefined)
        throw usageError('BAD_FLAG', `${odd} takes true or false (or no value)`);
    // yargs keeps the words after `--` apart and reads none of them as an argument.
    const rest = argv['--'];
    if (Array.isArray(rest) && rest.length > 0)
        throw usageError('BAD_USAGE', `${rest.length} word(s) after \`--\` that no argument takes: ${rest.map((v) => JSON.stringify(String(v))).join(', ')}`);
    // yargs also sets camelCase copies; the names given (kebab-case or snake_case) are enough,
    // and the kebab-case one is named when both are there.
    const names = Object.keys(argv)
        .filter((k) => k !== '_' && k !== '$0' && k !== '--' && !/[A-Z]/.test(k))
        .sort((a, b) => Number(a.includes('_')) - Number(b.includes('_')));
    const label = (name) => (POSITIONALS.has(name) ? `the <${name}> argument` : `--${name}`);
    for (const name of names) {
        const value = argv[name];
        if (Array.isArray(value) && !lists.has(name)) {
            const values = SECRET_FLAGS.has(name) ? '' : `: ${value.map((v) => JSON.stringify(String(v))).join(', ')}`;
            throw usageError('BAD_FLAG', `--${name} takes one value but was given ${value.length}${values}`);
        }
        // yargs turns a number flag's non-numeric value into NaN, which later messages could only echo as "NaN".
        if (Number.isNaN(value))
            throw usageError('BAD_FLAG', `--${name} takes a number`);
        if (MAY_BE_EMPTY.has(name))
            continue;
        if (value === '' && dashFollows(args, name))
            throw usageError('BAD_FLAG', STDIN_DASH(`--${name}`));
        if (value === '')
            throw usageError('BAD_FLAG', `${label(name)} is empty`);
        if (Array.isArray(value) && value.includes(''))
            throw usageError('BAD_FLAG', `${label(name)} has an empty value`);
    }
}
/** `-` for standard input is not a convention these flags follow (but for --password-file); /dev/stdin works. */
export const STDIN_DASH = (flag) => `${flag} takes a path, and \`-\` (standard input) is not one: use /dev/stdin`;
const kebab = (word) => word.replaceAll('_', '-');
/** Whether `--name -` is in `args`: yargs takes a lone `-` as an argument of its own, leaving the flag empty. */
const dashFollows = (args, name) => args.some((word, i) => kebab(word) === `--${kebab(name)}` && args[i + 1] === '-');
/** The flags whose value `-` means standard input. */
const STDIN_FLAGS = new Set(['--password-file']);
/** The words with `--password-file -` joined into `--password-file=-`, which yargs reads as the flag's value (see dashFollows). */
export function withStdinDashes(args) {
    const out = [];
    for (let i = 0; i < args.length; i += 1) {
        const word = args[i];
        if (word === '--')
            return [...out, ...args.slice(i)];
        if (STDIN_FLAGS.has(kebab(word)) && args[i + 1] === '-') {
            out.push(`${word}=-`);
            i += 1;
        }
        else
            out.push(word);
    }
    return out;
}
/** The first `--flag=value` in `args` that gives one of the boolean `flags` a value other than true or false, as it was spelled. */
function oddBooleanOf(args, flags) {
    for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
        const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(args[i]);
        if (m && flags.includes(m[1]) && m[2] !== 'true' && m[2] !== 'false')
            return args[i];
    }
    return undefined;
}
/** The first of `flags` given an empty value in `args` (`--flag=` or `--flag ""`), as it was spelled. */
function emptyValueOf(args, flags) {
    for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
        const word = args[i];
        const flag = flags.find((f) => word === `--${f}=` || (word === `--${f}` && args[i + 1] === ''));
        if (flag !== undefined)
            return flag;
    }
    return undefined;
}
/**
 * yargs names an unknown flag twice, as given and in camelCase (`Unknown arguments:
 * public-key, publicKey`); this keeps the names as given.
 */
export function withoutCamelCaseCopies(message) {
    const m = /^(Unknown arguments?): (.*)$/s.exec(message);
    if (!m)
        return message;
    const names = m[2].split(', ');
    const camel = (n) => n.replace(/[-_]+([a-z0-9])/g, (_, c) => c.toUpperCase());
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
export function skipHelpCache(cli) {
    const internal = cli.getInternalMethods?.();
    const usage = internal?.getUsageInstance?.();
    if (usage && typeof usage.cacheHelpMessage === 'function')
        usage.cacheHelpMessage = () => undefined;
}
//# sourceMappingURL=options.js.map