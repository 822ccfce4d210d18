/**
 * The command words, and the moving of flags given before them. No imports: the worker
 * prestart (prestart.ts) reads the command line with this before the rest of the CLI loads.
 */

/** The CLI's commands. */
export const COMMAND_NAMES: readonly string[] = ['digest', 'sign', 'verify', 'push', 'pull', 'attach', 'discover'];

/** The methods of `sign` and `verify`, the commands whose first argument is one. */
export const METHOD_NAMES: readonly string[] = ['key', 'certificate', 'sigstore'];

/**
 * The words with any flags given before the command (`modelsign --json verify key ...`),
 * or between `sign` or `verify` and its method (`verify --json key ...`), moved after the
 * command's own words (before a `--`). yargs knows a command's flags only once the command
 * (and method) is chosen, so before it `--json` took the next word as its value. The
 * launcher (cli/launcher.js) reads command lines the same way, in shell.
 */
export function commandFirst(args: readonly string[]): string[] {
  const command = splitAt(args, COMMAND_NAMES);
  if (command === undefined) return [...args];
  let rest = command.after;
  // The method is looked for only among the command's own words, as the launcher does.
  if (command.name === 'sign' || command.name === 'verify') {
    const method = splitAt(rest, METHOD_NAMES);
    if (method !== undefined) rest = [method.name, ...method.after, ...method.before, ...method.tail];
  }
  return [command.name, ...rest, ...command.before, ...command.tail];
}

/**
 * The words cut at the first of `names` that follows the flags they start with: those
 * flags (`before`), the name, the words after it up to a `--` (`after`), and the rest
 * (`tail`). A leading flag takes the next word as its value unless it has `=value`, or that
 * word starts with `-` or is one of `names`: a boolean is read as yargs reads it, and only
 * a flag whose value is itself one of `names` (`--signature sign sign ...`) is read
 * wrongly, which yargs then refuses as usage. Undefined when no such name follows.
 */
function splitAt(args: readonly string[], names: readonly string[]): { before: string[]; name: string; after: string[]; tail: string[] } | undefined {
  let i = 0;
  while (i < args.length && isFlag(args[i]!)) {
    const inline = args[i]!.includes('=');
    i += 1;
    if (!inline && i < args.length && !args[i]!.startsWith('-') && !names.includes(args[i]!)) i += 1;
  }
  if (i === args.length || !names.includes(args[i]!)) return undefined;
  const dashes = args.indexOf('--', i);
  const end = dashes < 0 ? args.length : dashes;
  return { before: args.slice(0, i), name: args[i]!, after: args.slice(i + 1, end), tail: args.slice(end) };
}

/** A flag word: `-x` or `--name[=value]`, not `-` (standard input) nor `--`. */
const isFlag = (word: string): boolean => word.startsWith('-') && word !== '-' && word !== '--';
