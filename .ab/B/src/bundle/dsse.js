/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`. */
export function pae(payloadType, payload) {
    return Buffer.concat(paeParts(payloadType, payload));
}
/** The PAE in pieces, the payload itself the last, for hashing without copying it (a statement can be tens of MB). */
export function paeParts(payloadType, payload) {
    const type = Buffer.from(payloadType, 'utf8');
    return [Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${payload.length} `, 'ascii'), payload];
}
/**
 * The non-standard PAE that model_signing v0.2 signed over:
 * `DSSEV1 <len(type)> <type> <len(payload)> <Python repr of the payload bytes>`.
 * Kept only to verify legacy bundles.
 */
export function legacyPae(payloadType, payload) {
    return Buffer.from(`DSSEV1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`, 'utf8');
}
/** `repr(bytes)` exactly as CPython prints it. */
export function pythonBytesRepr(data) {
    const SQ = 0x27;
    const DQ = 0x22;
    const quote = data.includes(SQ) && !data.includes(DQ) ? DQ : SQ;
    let out = 'b' + String.fromCharCode(quote);
    for (const b of data) {
        if (b === quote || b === 0x5c)
            out += '\\' + String.fromCharCode(b);
        else if (b === 0x09)
            out += '\\t';
        else if (b === 0x0a)
            out += '\\n';
        else if (b === 0x0d)
            out += '\\r';
        else if (b < 0x20 || b >= 0x7f)
            out += '\\x' + b.toString(16).padStart(2, '0');
        else
            out += String.fromCharCode(b);
    }
    return out + String.fromCharCode(quote);
}
//# sourceMappingURL=dsse.js.map