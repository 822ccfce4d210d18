/**
 * The command words, and the moving of flags given before them. No imports: the launcher's
 * worker prestart (prestart.ts) reads the command line with this before the CLI loads.
 */

/** The CLI's commands. */
export const COMMAND_NAMES: readonly string[] = ['digest', 'sign', 'verify', 'push', 'pull', 'attach', 'discover'];

/**
 * The words with any flags given before the command (`modelsign --json verify key ...`)
 * moved after the command's own words (before a `--`). yargs knows each command's flags only
 * once the command is chosen, so before it `--json` took the command word as its value. A
 * leading flag here takes the next word as its value unless that word starts with `-`, or
 * names a command, or the flag has `=value`: a boolean is read the same way yargs reads it,
 * and only a flag whose value is itself a command name (`--signature sign sign ...`) is read
 * wrongly, which yargs then refuses as usage. Returns the words unchanged when they start
 * with no flag or no command follows the leading flags. The launcher (cli/launcher.js)
 * applies the same rule in shell.
 */
export function commandFirst(args: readonly string[]): string[] {
  let i = 0;
  while (i < args.length && isFlag(args[i]!)) {
    const inline = args[i]!.includes('=');
    i += 1;
    if (!inline && i < args.length && !args[i]!.startsWith('-') && !COMMAND_NAMES.includes(args[i]!)) i += 1;
  }
  if (i === 0 || i === args.length || !COMMAND_NAMES.includes(args[i]!)) return [...args];
  const dashes = args.indexOf('--', i);
  const end = dashes < 0 ? args.length : dashes;
  return [...args.slice(i, end), ...args.slice(0, i), ...args.slice(end)];
}

/** A flag word: `-x` or `--name[=value]`, not `-` (standard input) nor `--`. */
const isFlag = (word: string): boolean => word.startsWith('-') && word !== '-' && word !== '--';
