#!/usr/bin/env node
// First, so that it runs before the rest of the CLI evaluates.
import './start-workers.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ModelsignError, usageError } from '../src/core.js';
import { digestCommand } from './commands/digest.js';
import { signCommand } from './commands/sign.js';
import { verifyCommand } from './commands/verify.js';
import { attachCommand, discoverCommand, pushCommand } from './commands/registry.js';
import { pullCommand } from './commands/pull.js';
import { rejectUnusableValues, skipHelpCache, withoutCamelCaseCopies } from './options.js';
import { printableText } from './terminal.js';

// yargs 17's CommonJS build: one bundled file that loads in about a third of the time of its
// ESM entry, and whose help text wraps between words (the ESM build's cliui cuts them).
const require = createRequire(import.meta.url);
const yargs = require('yargs/yargs') as typeof import('yargs/yargs');
const { hideBin } = require('yargs/helpers') as typeof import('yargs/helpers');

const EXIT = { unverified: 1, usage: 2, remote: 3 } as const;

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs the CLI; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  const json = args.includes('--json');
  try {
    const cli = yargs(args)
      .scriptName('modelsign')
      .usage('$0 <command>\n\nSign and verify ML models with OpenSSF Model Signing (OMS).')
      .command(digestCommand)
      .command(signCommand)
      .command(verifyCommand)
      .command(pushCommand)
      .command(attachCommand)
      .command(discoverCommand)
      .command(pullCommand)
      .middleware((argv: Record<string, unknown>, y?: unknown) => rejectUnusableValues(argv, y, args), true)
      .demandCommand(1, 'name a command: digest, sign, verify, push, pull, attach or discover')
      .strict()
      .version(pkg.version)
      .help()
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message, err) => {
        // Throwing stops yargs before any handler runs.
        throw err ?? usageError('BAD_USAGE', `${withoutCamelCaseCopies(message)} (run with --help for usage)`);
      });
    skipHelpCache(cli);
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof ModelsignError) return reportError(err.kind, err.code, err.message, json);
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return reportError('usage', 'INTERNAL', `unexpected failure: ${detail}`, json);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

/** Prints an error (stderr always; a JSON document on stdout with --json) and returns its exit code. */
function reportError(kind: keyof typeof EXIT, code: string, message: string, json: boolean): number {
  process.stderr.write(`error: ${printableText(message)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: { kind, code, message } }, null, 2)}\n`);
  return EXIT[kind];
}

// A reader that stops early (`modelsign digest --json | head -1`) closes the pipe: what is
// left to print has nowhere to go, and the command's exit code stands.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

// No top-level await: the shipped bundle is CommonJS (rolldown.config.mjs). main() reports
// every failure itself, so the promise never rejects.
void main(hideBin(process.argv)).then((code) => (process.exitCode = code));
