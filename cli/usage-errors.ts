import { existsSync } from 'node:fs';
import { COMMAND_NAMES, METHOD_NAMES } from './command-first.js';
import { fromCamelCase, withoutCamelCaseCopies } from './options.js';

/** The flags yargs knows at the level that failed (its `getOptions()`, not in @types/yargs). */
interface KnownOptions {
  key: Record<string, unknown>;
  array: string[];
  boolean: string[];
}

/** yargs internals read when a parse fails: the flags and command words of the level that failed. */
interface FailingCli {
  getOptions(): KnownOptions;
  getInternalMethods(): { getContext(): { commands: string[]; fullCommands: string[] } };
}

/** The commands, as named when none or an unknown one is given. */
export const COMMANDS = `${COMMAND_NAMES.slice(0, -1).join(', ')} or ${COMMAND_NAMES[COMMAND_NAMES.length - 1]}`;

/** Parent commands whose first word is a method, and the methods. */
const METHODS: Record<string, { what: string; names: readonly string[] }> = {
  sign: { what: 'signing method', names: METHOD_NAMES },
  verify: { what: 'verification method', names: METHOD_NAMES },
};

/**
 * The words with `sigstore` put in after `sign` or `verify` when a model comes where the
 * method belongs, as model_signing takes Sigstore for the default method. Only a word that
 * names a model (an existing path, or an `oci://` or `oci-layout:` reference) counts, so a
 * mistyped method is still named as one.
 */
export function withDefaultMethod(args: readonly string[]): string[] {
  const [command, word] = args;
  if (command === undefined || word === undefined || !(command in METHODS)) return [...args];
  const names = METHODS[command]!.names;
  const isModel = (w: string): boolean => /^oci(-layout)?:/.test(w) || existsSync(w);
  const own = args.slice(1, args.includes('--') ? args.indexOf('--') : args.length);
  // Flags first, as click takes them (`verify --signature s --identity ... model`): sigstore
  // when no word names a method and one names a model (which flag takes which word is
  // yargs' to say; a typo in a method word still reads as an unknown method, below).
  if (word.startsWith('-')) return own.some((w) => names.includes(w)) || !own.some((w) => !w.startsWith('-') && isModel(w)) ? [...args] : [command, 'sigstore', ...args.slice(1)];
  if (names.includes(word) || !isModel(word)) return [...args];
  return [command, 'sigstore', ...args.slice(1)];
}

/**
 * Whether `--json` is on, read from the words as yargs reads a boolean flag (`--json`,
 * `--json=true`, `--json true`, `--json=false`, `--json false`, `--no-json`; the last one
 * counts), for failures before the parsed value is known. Words after `--` are not flags.
 */
export function jsonRequested(args: readonly string[]): boolean {
  let json = false;
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const word = args[i]!;
    if (word === '--no-json') json = false;
    else if (word.startsWith('--json=')) json = word === '--json=true';
    else if (word === '--json') {
      const next = args[i + 1];
      json = next !== 'false';
      if (next === 'true' || next === 'false') i += 1;
    }
  }
  return json;
}

/** A word yargs took as a flag's value, though it was probably meant as an argument. */
interface Swallowed {
  readonly flag: string;
  readonly word: string;
}

/** A word yargs took as an argument right after a list flag's value (`--ignore-paths a b`). */
interface AfterList {
  readonly flag: string;
  readonly value: string;
  readonly word: string;
}

/**
 * The words yargs took as arguments (positionals), and those that unknown flags swallowed,
 * read from `args` as yargs-parser reads them with the flags it knows at this level (and
 * greedy-arrays off): an unknown flag or a list flag takes the next word that does not start
 * with `-`, a boolean only `true` or `false`.
 */
function readWords(args: readonly string[], known: KnownOptions): { positionals: string[]; swallowed: Swallowed[]; afterList: AfterList[] } {
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(known.key, name);
  const isFlag = (word: string | undefined): boolean => word !== undefined && /^-/.test(word) && !/^-\d/.test(word);
  const positionals: string[] = [];
  const swallowed: Swallowed[] = [];
  const afterList: AfterList[] = [];
  let list: { flag: string; value: string } | undefined;
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const word = args[i]!;
    if (!isFlag(word)) {
      positionals.push(word);
      if (list) afterList.push({ ...list, word });
      list = undefined;
      continue;
    }
    list = undefined;
    const [spelled, inline] = word.replace(/^--?/, '').split(/=(.*)/s) as [string, string | undefined];
    const name = has(spelled) ? spelled : fromCamelCase(spelled);
    const negated = name.startsWith('no-') && known.boolean.includes(name.slice(3));
    if (negated || known.boolean.includes(name)) {
      if (inline === undefined && (args[i + 1] === 'true' || args[i + 1] === 'false')) i += 1;
      continue;
    }
    const takesNext = inline === undefined && i + 1 < args.length && args[i + 1] !== '--' && !isFlag(args[i + 1]);
    if (takesNext) i += 1;
    const value = takesNext ? args[i]! : inline;
    if (known.array.includes(name)) {
      if (value !== undefined) list = { flag: `--${spelled}`, value };
    } else if (takesNext && !has(name)) {
      swallowed.push({ flag: `--${spelled}`, word: value! });
    }
  }
  return { positionals, swallowed, afterList };
}

/**
 * A yargs failure message made to name the problem: a missing or unknown method after
 * `sign` or `verify`, and for a missing argument, the flag that took it as its value.
 */
export function usageFailure(yargsMessage: string, cli: unknown, args: readonly string[]): string {
  // One line (errors are printed on one, escaped): yargs puts "Invalid values:" on a line of its own.
  const message = yargsMessage.replace(/\s*\n\s*/g, ' ');
  const failing = cli as Partial<FailingCli>;
  const known = failing.getOptions?.();
  const context = failing.getInternalMethods?.().getContext();
  if (!known || !context) return withoutCamelCaseCopies(message);
  const { positionals, swallowed, afterList } = readWords(args, known);
  const [command] = context.commands;
  if (command === undefined && positionals[0] !== undefined && /^Unknown arguments?: /.test(message)) {
    const meant = closest(positionals[0], COMMAND_NAMES);
    return `unknown command ${JSON.stringify(positionals[0])}${meant ? ` (did you mean ${meant}?)` : ''}: name one of ${COMMANDS}`;
  }
  const methods = command === undefined ? undefined : METHODS[command];
  if (methods && context.commands.length === 1) {
    // At this level yargs knows no flag of the methods, so `positionals[1]` is the word it took as the method.
    const method = positionals[1];
    const choices = `${methods.names.slice(0, -1).join(', ')} or ${methods.names[methods.names.length - 1]}`;
    if (method === undefined) return `name a ${methods.what}: ${choices}`;
    if (!methods.names.includes(method)) {
      const meant = closest(method, methods.names);
      return `unknown ${methods.what} ${JSON.stringify(method)}${meant ? ` (did you mean ${meant}?)` : ''}: name ${choices} (a model there means sigstore, as in model_signing, but no file or directory ${JSON.stringify(method)} exists)`;
    }
  }
  const short = /^Not enough non-option arguments: got (\d+)/.exec(message);
  if (short) {
    const usage = context.fullCommands[context.fullCommands.length - 1] ?? '';
    const names = [...usage.matchAll(/<([^>]+)>/g)].map((m) => `<${m[1]}>`).slice(Number(short[1]));
    const missing = names.length === 0 ? 'an argument is missing' : `the ${names.join(' and ')} argument${names.length > 1 ? 's are' : ' is'} missing`;
    const taken = swallowed[0];
    if (taken) return `${missing}: ${taken.flag} is not a flag of \`${context.commands.join(' ')}\`, and it took ${JSON.stringify(taken.word)} as its value`;
    // `--` does not help here: yargs never takes a word after it as an argument.
    const dashes = args.indexOf('--');
    if (dashes >= 0 && dashes < args.length - 1) return `${missing}: words after \`--\` are not read as arguments; put ${names[0] ?? 'it'} before \`--\``;
    return missing;
  }
  // A required flag missing beside an unknown one: most likely the same flag, misspelled, which yargs does not name.
  const unknown = /^Missing required arguments?: /.test(message) ? unknownFlags(args, known) : [];
  if (unknown.length > 0) {
    return withSuggestions(`${message}; Unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, Object.keys(known.key), args);
  }
  // Too many arguments, one of them right after a list flag's value: most likely meant as a second value.
  const extra = /^Unknown arguments?: /.test(message) ? afterList[0] : undefined;
  if (extra) {
    return `${withoutCamelCaseCopies(message)}: ${extra.flag} takes one value each time it is given (as in model_signing), so ${JSON.stringify(extra.word)} after ${extra.flag} ${JSON.stringify(extra.value)} was read as an argument; for a second value give the flag again (${extra.flag} ${JSON.stringify(extra.value)} ${extra.flag} ${JSON.stringify(extra.word)})`;
  }
  return withSuggestions(withoutCamelCaseCopies(message), Object.keys(known.key), args);
}

/** The long flags among the words (before `--`) that this level does not know, as spelled (`--privat-key=k` gives `privat-key`). */
function unknownFlags(args: readonly string[], known: KnownOptions): string[] {
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(known.key, name);
  const out: string[] = [];
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const spelled = /^--([^=]+)/.exec(args[i]!)?.[1];
    if (spelled === undefined) continue;
    const name = fromCamelCase(spelled);
    if (!has(spelled) && !has(name) && !(name.startsWith('no-') && known.boolean.includes(name.slice(3)))) out.push(spelled);
  }
  return out;
}

/**
 * An "Unknown argument(s): a, b" message with the flag each was probably meant to be, where
 * one is close. yargs names `--no-jsn` as `jsn`: such a name is given back its `no-`.
 */
function withSuggestions(yargsMessage: string, flags: readonly string[], args: readonly string[]): string {
  const reported = /Unknown arguments?: (.*)$/s.exec(yargsMessage);
  if (!reported) return yargsMessage;
  const given = new Set(args.slice(0, args.includes('--') ? args.indexOf('--') : args.length).map((word) => /^--([^=]+)/.exec(word)?.[1]));
  const names = reported[1]!.split(', ').map((name) => (!given.has(name) && given.has(`no-${name}`) ? `no-${name}` : name));
  const message = `${yargsMessage.slice(0, yargsMessage.length - reported[1]!.length)}${names.join(', ')}`;
  const spelled = flags.filter((f) => !/[A-Z_]/.test(f));
  const meant = names.flatMap((name) => {
    // `--no-jsn` means a negated boolean: its suggestion keeps the `no-`.
    const negated = name.startsWith('no-') && !spelled.includes(name);
    const flag = spelled.includes(name) ? undefined : closest(negated ? name.slice(3) : name, spelled);
    return flag === undefined ? [] : [`--${negated ? 'no-' : ''}${flag}${names.length === 1 ? '' : ` for --${name}`}`];
  });
  return meant.length === 0 ? message : `${message} (did you mean ${meant.join(', ')}?)`;
}

/**
 * The one of `candidates` closest to `word`, if it is near: equal but for case, or at most
 * two edits (insertions, deletions, substitutions, swaps of neighbours) away, and nearer
 * than any other.
 */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  let tie = false;
  for (const candidate of candidates) {
    const d = editDistance(w, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
    else if (d === bestDistance) tie = true;
  }
  return tie || bestDistance > Math.min(2, Math.floor(w.length / 3)) ? undefined : best;
}

/** Optimal string alignment distance (Levenshtein, with swaps of neighbours counted as one edit). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
