import { parseBundle, parseStatement, reworded, signingCertificate, signingMethod, subjectOf, usageError } from '../../src/core.js';
import { checkAttachment, type AttachCheck } from '../attach-check.js';
import { fileText } from '../report-text.js';
import { LocalModelSource, SidecarSignatureStore } from '../../adapters/local/index.js';
import { openOciModel, openStore, pushModelPack, type AttachedSignature } from '../../adapters/oci/index.js';
import { printJson, recordDone } from '../io.js';
import { ociAccess, requireOciReference } from '../oci.js';
import { checkMaxSignatures, checkWorkers } from '../options.js';
import type { AttachArgs, DiscoverArgs, PushArgs } from '../commands/registry.js';
import { attachNotes, firstSignatures, goneWarning, lostSignatures, unusableReason } from '../stored-signatures.js';
import { counted, printable, printNotices } from '../terminal.js';
import { X509Certificate } from 'node:crypto';

/** `push`: pushes a local model to a registry or layout as a ModelPack artifact. */
export async function push(argv: PushArgs): Promise<void> {
  requireOciReference('push', argv.reference);
  const source = await LocalModelSource.open(argv.model);
  // Opening creates nothing (a new layout is made by the first write), so these refusals leave nothing behind.
  const store = await openStore(argv.reference, await ociAccess(argv), true);
  if (store.target.includes(':')) throw usageError('BAD_REFERENCE', `push needs a tag to push to, not a digest: ${argv.reference}`);
  let descriptor, warnings;
  try {
    ({ descriptor, warnings } = await pushModelPack(source, store, store.target, { maxWorkers: checkWorkers(argv['max-workers']), allowSymlinks: argv['allow-symlinks'] }));
  } catch (err) {
    await store.discardCreated?.();
    throw err;
  }
  printNotices('warning', warnings);
  const pushed = `${store.name}@${descriptor.digest}`;
  recordDone(`the model was pushed as ${pushed}`);
  if (argv.json) printJson({ pushed, digest: descriptor.digest, tag: store.target, warnings });
  else process.stdout.write(`Pushed ${printable(source.location)} to ${printable(`${store.name}:${store.target}`)}\n  digest: ${descriptor.digest}\n`);
}

/** `attach`: attaches a bundle to a registry model once its statement is found to name the model's files. */
export async function attach(argv: AttachArgs): Promise<void> {
  requireOciReference('attach', argv.reference);
  const [stored] = await new SidecarSignatureStore(argv.signature).list();
  const bytes = await stored!.bytes();
  // Refuse to publish something that is not a bundle of an OMS statement, naming the file.
  let manifest;
  try {
    ({ manifest } = parseStatement(parseBundle(bytes).payload));
  } catch (err) {
    throw reworded(err, (message) => `${argv.signature}: ${message}`);
  }
  const model = await openOciModel(argv.reference, await ociAccess(argv));
  const check = await checkAttachment(model.source, manifest);
  if (check.differing.length > 0) {
    refuseAttachment(argv, model.source.location, check);
    return;
  }
  const attached = await model.signatures.put(bytes);
  const { alreadyAttached } = model.signatures;
  if (!alreadyAttached) recordDone(`the signature was attached as ${attached}`);
  const notes = [...checkNotes(check), ...attachNotes(model.signatures)];
  const warnings = [...(check.extra.length > 0 ? [extraWarning(check.extra)] : []), ...model.signatures.skipped];
  if (argv.json) printJson({ attached, alreadyAttached, subject: model.subject.digest, check: checkJson(check), warnings, notes });
  else {
    const line = alreadyAttached
      ? `${printable(argv.signature)} was already attached to ${printable(model.source.location)}: nothing pushed`
      : `Attached ${printable(argv.signature)} to ${printable(model.source.location)}`;
    process.stdout.write(`${line}\n  referrer: ${printable(attached)}\n`);
    printNotices('warning', warnings);
    printNotices('note', notes);
  }
}

/** A bundle whose statement names other content than the model's: nothing is pushed, every differing file is named (exit 1). */
function refuseAttachment(argv: AttachArgs, location: string, check: AttachCheck): void {
  const changed = check.differing.filter((f) => f.status === 'changed').length;
  const message = `${argv.signature} does not sign ${location}: ${changed} changed, ${check.differing.length - changed} missing; nothing attached`;
  process.stderr.write(`error: ${printable(message)}\n${check.differing.map((f) => `  ${fileText(f)}\n`).join('')}`);
  if (argv.json) printJson({ error: { kind: 'unverified', code: 'MODEL_MISMATCH', message }, files: check.differing });
  process.exitCode = 1;
}

const extraWarning = (extra: readonly string[]): string =>
  `the signature does not name ${counted(extra.length, 'file')} of the model, so verify passes only with --ignore-unsigned-files: ${extra.map((name) => JSON.stringify(name)).join(', ')}`;

function checkNotes(check: AttachCheck): string[] {
  if (check.skipped !== undefined) return [`the signature was not compared with the model: ${check.skipped}; verify compares them`];
  const unread = check.unread > 0 ? `, ${counted(check.unread, 'file')} by ${check.method === 'shards' ? 'name and size' : 'name'} only (verify compares their content)` : '';
  return [`the signature was compared with the model without reading it: ${counted(check.compared, 'file')} by content address${unread}`];
}

const checkJson = (check: AttachCheck) => ({ compared: check.compared, unread: check.unread, extra: check.extra, ...(check.skipped ? { skipped: check.skipped } : {}) });

/** `discover`: lists the OMS signatures attached to a registry model, unverified. */
export async function discover(argv: DiscoverArgs): Promise<void> {
  requireOciReference('discover', argv.reference);
  const max = checkMaxSignatures(argv['max-signatures']);
  const model = await openOciModel(argv.reference, await ociAccess(argv));
  const { signatures: found, leftOut } = firstSignatures(await model.signatures.list(), max, 'listed');
  const signatures: { digest: string; created: string | null; signer: string }[] = [];
  const listed = (s: AttachedSignature, signer: string) => signatures.push({ digest: s.descriptor.digest, created: s.created ?? null, signer });
  const gone = await lostSignatures(
    found,
    async (s, bundle) => {
      listed(s, describeSigner(bundle));
      return false;
    },
    // Listed as what it is, as a bundle that is not JSON is: one bad referrer does not hide the others.
    (s, err) => listed(s, `unreadable bundle (${unusableReason(s.location, err)})`),
  );
  const warnings = [...model.signatures.skipped, ...gone.map(goneWarning), ...(leftOut ? [leftOut] : [])];
  if (argv.json) {
    printJson({ subject: model.subject.digest, via: model.signatures.via, signatures, warnings });
    return;
  }
  printNotices('warning', warnings);
  process.stdout.write(`${printable(model.source.location)}: ${signatures.length} OMS signature(s)${signatures.length ? ` (found through the ${({ api: 'referrers API', tag: 'referrers tag', index: 'layout index' } as const)[model.signatures.via ?? 'api']})` : ''}\n`);
  for (const s of signatures) process.stdout.write(`  ${printable(s.digest)}  ${printable(s.created ?? '-')}  ${printable(s.signer)}\n`);
}

/** Who a bundle claims signed it, read without verifying (discover only lists). */
function describeSigner(bytes: Uint8Array): string {
  try {
    const bundle = parseBundle(bytes);
    const m = bundle.material;
    if (m.kind === 'publicKey') return m.hint ? `key ${m.hint}` : 'key (legacy rawBytes)';
    const cert = new X509Certificate(signingCertificate(m)!);
    const san = cert.subjectAltName?.replace(/^(email|URI):/, '');
    return signingMethod(bundle) === 'sigstore' ? `sigstore ${san ?? subjectOf(cert)}` : `certificate ${subjectOf(cert)}`;
  } catch (err) {
    return `unreadable bundle (${(err as Error).message})`;
  }
}

