import type { FileStatus, SignerInfo, VerificationReport } from '../src/core.js';
import { printable } from './terminal.js';

/** How each stored signature fared, when several were tried (see cli/commands/verify.ts). */
interface Outcomes {
  readonly signatures?: readonly { readonly signature: string; readonly verified: boolean; readonly error?: { readonly message: string } }[];
}

/**
 * Renders a verification report for people: the verdict, the signer, then every file that
 * differs. When several signatures were tried and none verified, each one's reason comes
 * first, and `signature` (where given) names the one whose details follow. Values that come
 * from the bundle, the model or a registry pass through `printable`, so none can drive the
 * terminal or forge a line.
 */
export function reportText(report: VerificationReport & Outcomes, model: string, signature?: string): string {
  const lines: string[] = [];
  lines.push(report.verified ? `Verification succeeded: ${printable(model)}` : `Verification FAILED: ${printable(model)}`);
  const several = report.signatures !== undefined && report.signatures.length > 1 && !report.verified ? report.signatures : undefined;
  if (several) {
    lines.push(`  reason: none of the ${several.length} signatures verifies`);
    for (const s of several) lines.push(`    ${printable(s.signature)}: ${printable(s.error?.message ?? 'verified')}`);
    // The details below are that signature's when it got past the signature check.
    if (signature !== undefined && report.signer) lines.push(`  closest: ${printable(signature)}, whose signature verifies (details below)`);
  } else if (report.error) lines.push(`  reason: ${printable(report.error.message)}`);
  if (report.signer) lines.push(`  signer: ${signerText(report.signer)}`);
  if (report.rootDigest) lines.push(`  root digest: ${report.rootDigest}`);
  if (report.serialization) {
    const s = report.serialization;
    lines.push(`  serialization: ${s.method}, ${s.hashType}${s.method === 'shards' ? `, shard size ${s.shardSize}` : ''}`);
  }
  if (report.legacy) lines.push('  format: legacy v0.2 (compatibility path)');
  const { ok, changed, missing, extra, ignored } = report.summary;
  if (report.checks.some((c) => c.name === 'model')) {
    // Under shards, what is signed, and so ok, changed or missing, is shards; what is extra
    // or ignored is files (and ignored paths).
    if (report.serialization?.method === 'shards') lines.push(`  shards: ${ok} ok, ${changed} changed, ${missing} missing; files: ${extra} extra, ${ignored} ignored`);
    else lines.push(`  files: ${ok} ok, ${changed} changed, ${missing} missing, ${extra} extra, ${ignored} ignored`);
  }
  const byAddress = report.files.filter((f) => f.note?.startsWith('checked by content address')).length;
  // A registry's raw layers are checked by the client against their address without being
  // read; a layout's (tar) layers are read, their entries hashed on the way.
  const checker = model.startsWith('oci-layout:') ? "computed from the layout's bytes as its layers were read" : 'the registry client checked against the bytes';
  if (byAddress > 0) lines.push(`  ${byAddress} file(s) checked by content address (digests ${checker}, equal to the signed ones); --full reads every byte`);
  for (const f of report.files) if (f.status !== 'ok' && f.status !== 'ignored') lines.push(`  ${fileText(f)}`);
  for (const w of report.warnings) lines.push(`  warning: ${printable(w)}`);
  return `${lines.join('\n')}\n`;
}

function signerText(s: SignerInfo): string {
  switch (s.method) {
    case 'key':
      return `key with hint ${printable(s.keyHint)}${s.legacyKeyMaterial ? ' (legacy rawBytes bundle)' : ''}`;
    case 'certificate':
      return `certificate "${printable(s.subject)}" issued by "${printable(s.issuer)}", chain ${s.chain.map((c) => `"${printable(c)}"`).join(' -> ')}`;
    case 'sigstore': {
      // Only authenticated values get here, but escaped all the same: a report line must never carry a control character.
      const index = s.logIndex !== undefined ? `, Rekor log index ${printable(s.logIndex)}` : '';
      const integrated = s.integratedTime !== undefined ? `${index ? '' : ', Rekor entry'} integrated ${printable(s.integratedTime)}` : '';
      const tsa = s.rfc3161Timestamps.length > 0 ? `, timestamped ${s.rfc3161Timestamps.map(printable).join(', ')}` : '';
      return `${printable(s.identity)} via ${printable(s.issuer)} (Sigstore keyless${index}${integrated}${tsa})`;
    }
  }
}

/** One file's line of a report: status, name, digests and why. */
export function fileText(f: FileStatus): string {
  const parts = [`${f.status.padEnd(7)} ${printable(f.name)}`];
  if (f.expected) parts.push(`expected ${f.expected}`);
  if (f.actual) parts.push(`actual ${f.actual}`);
  if (f.note) parts.push(`(${printable(f.note)})`);
  return parts.join('  ');
}
