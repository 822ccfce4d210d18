#!/usr/bin/env node
// First, so that it runs before the rest of the CLI evaluates.
import './start-workers.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ModelsignError, usageError } from '../src/core.js';
import { digestCommand } from './commands/digest.js';
import { cleanUpOnInterruption } from './interruptions.js';
import { commandFirst } from './command-first.js';
import { signCommand } from './commands/sign.js';
import { verifyCommand } from './commands/verify.js';
import { attachCommand, discoverCommand, pushCommand } from './commands/registry.js';
import { pullCommand } from './commands/pull.js';
import { fromCamelCase, readSecrets, rejectUnusableValues, SECRET_FLAGS, skipHelpCache, withStdinDashes } from './options.js';
import { doneSoFar } from './io.js';
import { onOutputFailure, outputFailed } from './output-errors.js';
import { printable, printableText } from './terminal.js';
import { COMMANDS, jsonRequested, usageFailure, withDefaultMethod } from './usage-errors.js';
import { redact } from '../src/redact.js';

// yargs 17's CommonJS build: one bundled file that loads in about a third of the time of its
// ESM entry, and whose help text wraps between words (the ESM build's cliui cuts them).
const require = createRequire(import.meta.url);
const yargs = require('yargs/yargs') as typeof import('yargs/yargs');
const { hideBin } = require('yargs/helpers') as typeof import('yargs/helpers');

const EXIT = { unverified: 1, usage: 2, remote: 3 } as const;

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs the CLI; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  // Read from the words until yargs has parsed the flag (failures while parsing come first).
  let json = jsonRequested(args);
  try {
    const words = withStdinDashes(withDefaultMethod(commandFirst(args)));
    const cli = yargs(words)
      .scriptName('modelsign')
      // As model_signing's click options: a list flag takes one value each time it is given.
      .parserConfiguration({ 'greedy-arrays': false })
      .usage('$0 <command>\n\nSign and verify ML models with OpenSSF Model Signing (OMS).')
      .command(digestCommand)
      .command(signCommand)
      .command(verifyCommand)
      .command(pushCommand)
      .command(attachCommand)
      .command(discoverCommand)
      .command(pullCommand)
      .middleware((argv: Record<string, unknown>, y?: unknown) => {
        if (typeof argv.json === 'boolean') json = argv.json;
        rejectUnusableValues(argv, y, words);
      }, true)
      .demandCommand(1, `name a command: ${COMMANDS}`)
      .strict()
      .version(pkg.version)
      .help()
      .alias('h', 'help')
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message, err) => {
        // Throwing stops yargs before any handler runs.
        throw err ?? usageError('BAD_USAGE', `${usageFailure(message, cli, words)} (run with --help for usage)`);
      });
    skipHelpCache(cli);
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof ModelsignError) return reportError(err.kind, err.code, err.message, json, args);
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return reportError('usage', 'INTERNAL', `unexpected failure: ${detail}`, json, args);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

/** Prints an error (stderr always; a JSON document on stdout with --json) and returns its exit code. */
function reportError(kind: keyof typeof EXIT, code: string, message: string, json: boolean, args: readonly string[] = []): number {
  const shown = withoutSecrets(message, args);
  // One line, whatever a path or a library put in it; only our own stack trace keeps its lines.
  process.stderr.write(`error: ${code === 'INTERNAL' ? printableText(shown) : printable(shown)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { kind, code, message: shown } }, null, 2)}\n`);
  return EXIT[kind];
}

/**
 * An error message with the values of secret flags, the secrets read elsewhere (a password
 * file, MODELSIGN_PASSWORD), and anything JWT-like, blanked: a last guard for the promise
 * that tokens and passwords are never printed, whatever message quoted one (a token given
 * where an argument was expected, a library error). Values under 6 characters are left, as
 * blanking them would garble the message and guard nothing.
 */
function withoutSecrets(message: string, args: readonly string[]): string {
  const values = [...readSecrets()];
  for (let i = 0; i < args.length && args[i] !== '--'; i += 1) {
    const [flag, inline] = args[i]!.split(/=(.*)/s) as [string, string | undefined];
    // Any spelling yargs takes: --identity-token, --identity_token, --identityToken.
    const name = fromCamelCase(flag.slice(2));
    const value = flag.startsWith('--') && SECRET_FLAGS.has(name) ? (inline ?? args[i + 1]) : undefined;
    if (value !== undefined) values.push(value);
  }
  return redact(message, values.filter((value) => value.length >= 6), '<secret>');
}

// Any failure to write (a full disk, `> /dev/full`) but a closed pipe means the output is
// lost: exit 2, whatever the run found, saying so on stderr.
onOutputFailure((stream, err) => {
  process.exitCode = EXIT.usage;
  if (stream !== process.stdout) return;
  // The run's work is done (a signature written, a model pulled): only its report is lost.
  const done = doneSoFar();
  process.stderr.write(`error: cannot write output: ${err.code ?? err.message}${done.length > 0 ? ` (only the report was lost: ${printable(done.join('; '))})` : ''}\n`);
});
cleanUpOnInterruption();

// No top-level await: the shipped bundle is CommonJS (rolldown.config.mjs). main() reports
// every failure itself, so the promise never rejects.
void main(hideBin(process.argv)).then((code) => (process.exitCode = outputFailed() ? EXIT.usage : code));
