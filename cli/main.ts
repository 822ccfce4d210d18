#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ModelsignError } from '../src/index.js';
import { digestCommand } from './commands/digest.js';
import { signCommand } from './commands/sign.js';
import { verifyCommand } from './commands/verify.js';

const EXIT = { unverified: 1, usage: 2, remote: 3 } as const;

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs the CLI; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  let usageFailure: string | undefined;
  try {
    await yargs(args)
      .scriptName('modelsign')
      .usage('$0 <command>\n\nSign and verify ML models with OpenSSF Model Signing (OMS).')
      .command(digestCommand)
      .command(signCommand)
      .command(verifyCommand)
      .demandCommand(1, 'name a command: digest, sign or verify')
      .strict()
      .version(pkg.version)
      .help()
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message, err) => {
        if (err) throw err;
        usageFailure = message;
        process.stderr.write(`error: ${message}\nRun with --help for usage.\n`);
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof ModelsignError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT[err.kind];
    }
    process.stderr.write(`error: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.usage;
  }
  if (usageFailure !== undefined) return EXIT.usage;
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

process.exitCode = await main(hideBin(process.argv));
