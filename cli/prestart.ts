/**
 * Early hash workers for the CLI: when the command line will hash a local model, the
 * workers start before the rest of the CLI loads (main.ts imports start-workers.ts first),
 * so their start-up overlaps loading modules, parsing arguments and listing the model
 * instead of following them. Unused workers cost no wall time and do not keep the process
 * alive. This imports the pool module itself, not the engine barrel, so that little is
 * evaluated before they start.
 */
import { isOciReference } from '../src/oci/reference.js';
import { commandFirst } from './command-first.js';
import { defaultWorkers, prestartWorkers } from '../src/hashing/pool.js';

const HASHING_COMMANDS = new Set(['digest', 'sign', 'verify']);

/**
 * The number of threads that will hash, if the command line hashes a local model:
 * undefined for other commands, help, version and registry models. Flags are checked
 * properly later, by yargs; an unusable `--max-workers` here just means the default, which
 * is only worked out (it reads cgroup files) for a command line that hashes.
 */
export function hashThreadsFor(given: readonly string[], defaultCount: () => number): number | undefined {
  const args = commandFirst(given);
  if (!HASHING_COMMANDS.has(args[0] ?? '')) return undefined;
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || isOciReference(a))) return undefined;
  // yargs takes the camelCase spelling too.
  const i = args.findIndex((a) => /^--max(?:[-_]w|W)orkers(=|$)/.test(a));
  if (i < 0) return defaultCount();
  const value = Number(args[i]!.includes('=') ? args[i]!.slice(args[i]!.indexOf('=') + 1) : args[i + 1]);
  return Number.isInteger(value) && value > 0 ? Math.min(value, defaultCount()) : defaultCount();
}

/**
 * Starts the hash workers a command line will need, if any: one per hashing thread but the
 * main thread, which hashes too (see `poolOptionsFrom`). Only a head start: if a worker
 * cannot be created now, hashing starts its own later and reports any failure properly.
 */
export function prestartFor(args: readonly string[]): void {
  const threads = hashThreadsFor(args, defaultWorkers);
  try {
    if (threads !== undefined && threads > 1) prestartWorkers(threads - 1);
  } catch {
    // see above
  }
}
