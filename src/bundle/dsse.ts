/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  return Buffer.concat(paeParts(payloadType, payload));
}

/** The PAE in pieces, the payload itself the last, for hashing without copying it (a statement can be tens of MB). */
export function paeParts(payloadType: string, payload: Uint8Array): Uint8Array[] {
  const type = Buffer.from(payloadType, 'utf8');
  return [Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.length} `, 'ascii'), payload];
}

/**
 * The non-standard PAE that model_signing v0.2 signed over:
 * `DSSEV1 <len(type)> <type> <len(payload)> <Python repr of the payload bytes>`.
 * Kept only to verify legacy bundles.
 */
export function legacyPae(payloadType: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`DSSEV1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `, 'utf8'), pythonBytesRepr(payload)]);
}

const BACKSLASH = 0x5c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/**
 * How CPython's bytes repr writes each byte inside the given quote: its escape, or the
 * byte itself. A table of 256 entries, so the payload's bytes each cost a lookup.
 */
function reprTable(quote: number): Buffer[] {
  const named: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };
  return Array.from({ length: 256 }, (_, b) => {
    if (b === quote || b === BACKSLASH) return Buffer.from([BACKSLASH, b]);
    if (named[b] !== undefined) return Buffer.from(named[b], 'ascii');
    if (b < 0x20 || b >= 0x7f) return Buffer.from(`\\x${b.toString(16).padStart(2, '0')}`, 'ascii');
    return Buffer.from([b]);
  });
}

let tables: Map<number, Buffer[]> | undefined;

/**
 * `repr(bytes)` exactly as CPython prints it, as ASCII bytes, written into one buffer sized
 * by a first pass: built as a string a character at a time, 48 MB took 9 s and 1.8 GB, and
 * it is computed for a payload no signature has vouched for yet.
 */
export function pythonBytesRepr(data: Uint8Array): Buffer {
  const quote = data.includes(SINGLE_QUOTE) && !data.includes(DOUBLE_QUOTE) ? DOUBLE_QUOTE : SINGLE_QUOTE;
  tables ??= new Map();
  let table = tables.get(quote);
  if (!table) tables.set(quote, (table = reprTable(quote)));
  const widths = Uint8Array.from(table, (t) => t.length);
  let length = 3; // b, and the two quotes
  for (let i = 0; i < data.length; i += 1) length += widths[data[i]!]!;
  const out = Buffer.allocUnsafe(length);
  out[0] = 0x62; // b
  out[1] = quote;
  let at = 2;
  for (let i = 0; i < data.length; i += 1) {
    const b = data[i]!;
    if (widths[b] === 1) out[at++] = b;
    else {
      const escape = table[b]!;
      for (let k = 0; k < escape.length; k += 1) out[at++] = escape[k]!;
    }
  }
  out[at] = quote;
  return out;
}
