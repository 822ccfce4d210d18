import { constants as osConstants } from 'node:os';
import { StagedDownload, SidecarSignatureStore } from '../../adapters/local/index.js';
import { openOciModel } from '../../adapters/oci/index.js';
import { resourcePath, type VerificationReport } from '../../src/core.js';
import { printJson, recordDone } from '../io.js';
import { ociAccess, requireOciReference } from '../oci.js';
import { checkMaxSignatures, checkWorkers } from '../options.js';
import type { PullArgs } from '../commands/pull.js';
import { INTERRUPTIONS } from '../interruptions.js';
import { Progress } from '../progress.js';
import { reportText } from '../report-text.js';
import { printable } from '../terminal.js';
import { verifierFor, verifyWithStore } from './verify.js';

/** The files a verified report vouches for (a shard stands for its file). */
function verifiedPaths(report: VerificationReport): Set<string> {
  return new Set(report.files.filter((f) => f.status === 'ok').map((f) => resourcePath(f.name, report.serialization?.method ?? 'files')));
}

/**
 * `pull`: downloads a model and verifies it while the bytes stream: each byte is read once, hashed
 * and written under a staging name; files are moved into `<dir>` only after the whole model
 * verified, and on any failure nothing is left there.
 */
export async function pull(argv: PullArgs): Promise<void> {
  requireOciReference('pull', argv.reference);
  const maxSignatures = checkMaxSignatures(argv['max-signatures']);
  const verifier = await verifierFor(argv.verify, argv);
  const model = await openOciModel(argv.reference, await ociAccess(argv));
  const download = await StagedDownload.create(argv.dir);
  const progress = Progress.forOutput(argv.json, { verb: 'downloading' });
  const interruptions = abortOnSignals(download, progress);
  try {
    const store = argv.signature !== undefined ? new SidecarSignatureStore(argv.signature) : model.signatures;
    const { report, signature, signaturesFound } = await verifyWithStore(download.tee(model.source), store, verifier, {
      maxSignatures,
      ignorePaths: argv['ignore-paths'],
      ignoreGitPaths: argv['ignore-git-paths'],
      ignoreUnsignedFiles: argv['ignore-unsigned-files'],
      // Every byte is downloaded; where a layer digest is the signed digest, the client's
      // check as it streams is the hash, so no byte is hashed twice.
      streamContentAddressed: true,
      maxWorkers: checkWorkers(argv['max-workers']),
      onTotal: progress.onTotal,
      onProgress: progress.onProgress,
    });
    progress.finish();
    if (!report.verified) {
      await download.abort();
      if (argv.json) printJson({ pulled: false, model: model.source.location, signature, signaturesFound, ...report });
      else process.stderr.write(`${reportText(report, model.source.location)}Nothing was written to ${printable(argv.dir)}.\n`);
      process.exitCode = 1;
      return;
    }
    const files = await download.commit(verifiedPaths(report));
    recordDone(`the verified model was written to ${argv.dir}`);
    if (argv.json) printJson({ pulled: true, model: model.source.location, dir: argv.dir, written: files, signature, signaturesFound, ...report });
    else process.stdout.write(`${reportText(report, model.source.location)}Pulled ${files.length} file(s) into ${printable(argv.dir)}\n`);
    const late = interruptions.deferred();
    if (late) {
      process.stderr.write(`interrupted by ${late} while the verified files were being moved into ${printable(argv.dir)}: the move was finished first, so the model there is complete\n`);
      process.exitCode = signalStatus(late);
    }
  } catch (err) {
    progress.finish();
    await download.abort();
    throw err;
  } finally {
    interruptions.stop();
  }
}

/** The shell's status for a process ended by a signal: 128 + its number. */
const signalStatus = (signal: NodeJS.Signals): number => 128 + (osConstants.signals[signal] ?? 0);

/**
 * While a pull runs, an interruption (Ctrl-C, SIGTERM, a closed terminal) removes what it
 * staged before the process ends, with the shell's usual status, so no half-downloaded
 * model is left behind. Once the model has verified and its files are being moved into
 * place, stopping half way would leave part of them in an existing directory: the move is
 * let finish (it is renames only) and the interruption is reported after it (`deferred`);
 * a second signal, of any of these kinds, then ends the process at once.
 */
function abortOnSignals(download: StagedDownload, progress: Progress): { stop: () => void; deferred: () => NodeJS.Signals | undefined } {
  let deferred: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (deferred !== undefined) {
      // Handlers stay for every kind (not `once` per kind): SIGINT then SIGTERM must stop it too.
      const left = download.state === 'committed' ? '' : `, before the move into ${printable(download.destination)} finished; files not moved are left in ${printable(download.stagingDirectory)}`;
      process.stderr.write(`interrupted again by ${signal}: stopped at once${left}\n`);
      process.exit(signalStatus(signal));
    }
    if (download.state === 'committing' || download.state === 'committed') {
      deferred = signal;
      return;
    }
    progress.finish();
    const left = download.abortNow();
    const removed = left === undefined ? 'the partial download was removed' : `the partial download could not all be removed (${left.why}): delete ${printable(left.left)}`;
    process.stderr.write(`interrupted by ${signal}: ${removed}; nothing was written to ${printable(download.destination)}\n`);
    process.exit(signalStatus(signal));
  };
  for (const signal of INTERRUPTIONS) process.on(signal, onSignal);
  return {
    stop: () => {
      for (const signal of INTERRUPTIONS) process.off(signal, onSignal);
    },
    deferred: () => deferred,
  };
}
