import { withoutCamelCaseCopies } from './options.js';

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

/** Parent commands whose first word is a method, and the methods. */
const METHODS: Record<string, { what: string; names: readonly string[] }> = {
  sign: { what: 'signing method', names: ['key', 'certificate', 'sigstore'] },
  verify: { what: 'verification method', names: ['key', 'certificate', 'sigstore'] },
};

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
  readonly unknown: boolean;
}

/**
 * The words yargs took as arguments (positionals), and those that flags swallowed, read
 * from `args` as yargs-parser reads them with the flags it knows at this level: an unknown
 * flag takes the next word that does not start with `-`, a list flag every such word, a
 * boolean only `true` or `false`.
 */
function readWords(args: readonly string[], known: KnownOptions): { positionals: string[]; swallowed: Swallowed[] } {
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(known.key, name);
  const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const isFlag = (word: string | undefined): boolean => word !== undefined && /^-/.test(word) && !/^-\d/.test(word);
  const positionals: string[] = [];
  const swallowed: Swallowed[] = [];
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const word = args[i]!;
    if (!isFlag(word)) {
      positionals.push(word);
      continue;
    }
    const [spelled, inline] = word.replace(/^--?/, '').split(/=(.*)/s) as [string, string | undefined];
    const name = has(spelled) ? spelled : kebab(spelled);
    const negated = name.startsWith('no-') && known.boolean.includes(name.slice(3));
    if (negated || known.boolean.includes(name)) {
      if (inline === undefined && (args[i + 1] === 'true' || args[i + 1] === 'false')) i += 1;
      continue;
    }
    if (known.array.includes(name)) {
      // yargs' lists are greedy, even after `--flag=value`.
      for (; i + 1 < args.length && args[i + 1] !== '--' && !isFlag(args[i + 1]); i += 1) swallowed.push({ flag: `--${spelled}`, word: args[i + 1]!, unknown: false });
      continue;
    }
    if (inline === undefined && i + 1 < args.length && args[i + 1] !== '--' && !isFlag(args[i + 1])) {
      i += 1;
      if (!has(name)) swallowed.push({ flag: `--${spelled}`, word: args[i]!, unknown: true });
    }
  }
  return { positionals, swallowed };
}

/**
 * A yargs failure message made to name the problem: a missing or unknown method after
 * `sign` or `verify`, and for a missing argument, the flag that took it as its value.
 */
export function usageFailure(message: string, cli: unknown, args: readonly string[]): string {
  const failing = cli as Partial<FailingCli>;
  const known = failing.getOptions?.();
  const context = failing.getInternalMethods?.().getContext();
  if (!known || !context) return withoutCamelCaseCopies(message);
  const { positionals, swallowed } = readWords(args, known);
  const [command] = context.commands;
  const methods = command === undefined ? undefined : METHODS[command];
  if (methods && context.commands.length === 1) {
    // At this level yargs knows no flag of the methods, so `positionals[1]` is the word it took as the method.
    const method = positionals[1];
    const choices = `${methods.names.slice(0, -1).join(', ')} or ${methods.names[methods.names.length - 1]}`;
    if (method === undefined) return `name a ${methods.what}: ${choices}`;
    if (!methods.names.includes(method)) return `unknown ${methods.what} ${JSON.stringify(method)}: name ${choices}`;
  }
  const short = /^Not enough non-option arguments: got (\d+)/.exec(message);
  if (short) {
    const usage = context.fullCommands[context.fullCommands.length - 1] ?? '';
    const names = [...usage.matchAll(/<([^>]+)>/g)].map((m) => `<${m[1]}>`).slice(Number(short[1]));
    const missing = names.length === 0 ? 'an argument is missing' : `the ${names.join(' and ')} argument${names.length > 1 ? 's are' : ' is'} missing`;
    const taken = swallowed.find((s) => s.unknown) ?? swallowed[swallowed.length - 1];
    if (taken?.unknown) return `${missing}: ${taken.flag} is not a flag of \`${context.commands.join(' ')}\`, and it took ${JSON.stringify(taken.word)} as its value`;
    // `--` does not help here: yargs never takes a word after it as an argument.
    if (taken) return `${missing}: ${taken.flag} took ${JSON.stringify(taken.word)} as one of its values (it takes every word up to the next flag); put ${names[0] ?? 'the argument'} before ${taken.flag}`;
    const dashes = args.indexOf('--');
    if (dashes >= 0 && dashes < args.length - 1) return `${missing}: words after \`--\` are not read as arguments; put ${names[0] ?? 'it'} before \`--\``;
    return missing;
  }
  return withoutCamelCaseCopies(message);
}
