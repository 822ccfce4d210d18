import { parseSerialization } from '../manifest/statement.js';
/**
 * Base64 characters read at each end of the payload. The reference writes the serialization
 * either before the resources or after them, so it sits near one end; a few hundred bytes
 * long, it fits with room for long ignore lists.
 */
const WINDOW = 16 * 1024;
const PAYLOAD_KEY = Buffer.from('"payload"');
const QUOTE = 0x22;
const COLON = 0x3a;
/**
 * The serialization a bundle's statement appears to record, read from the two ends of its
 * payload without parsing the bundle, checking its signature or reading the resources;
 * undefined where it cannot be found that way. An unverified guess: it may only choose what
 * work to start early, never what is trusted, and must be compared with the verified
 * statement's before that work is used.
 */
export function readSerializationAhead(bundle) {
    const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
    const key = bytes.indexOf(PAYLOAD_KEY);
    if (key < 0)
        return undefined;
    let i = skipSpace(bytes, key + PAYLOAD_KEY.length);
    if (bytes[i] !== COLON)
        return undefined;
    i = skipSpace(bytes, i + 1);
    if (bytes[i] !== QUOTE)
        return undefined;
    const start = i + 1;
    // Base64 holds no quote; an escape (`\/`) in it only spoils the guess.
    const end = bytes.indexOf(QUOTE, start);
    if (end < 0)
        return undefined;
    const decode = (from, to) => Buffer.from(bytes.toString('latin1', from, to), 'base64').toString('utf8');
    // Base64 is whole 4-character groups, and WINDOW is too: both windows start on a group.
    const headEnd = start + Math.min(end - start, WINDOW);
    const head = decode(start, headEnd);
    const found = serializationIn(head, head.indexOf(SERIALIZATION_KEY));
    if (found !== undefined || headEnd === end)
        return found;
    const tail = decode(Math.max(end - WINDOW, headEnd), end);
    return serializationIn(tail, tail.lastIndexOf(SERIALIZATION_KEY));
}
const SERIALIZATION_KEY = '"serialization"';
/** The serialization object whose key starts at `at` in a piece of statement text, if it is whole there. */
function serializationIn(text, at) {
    if (at < 0)
        return undefined;
    let i = skipSpaceIn(text, at + SERIALIZATION_KEY.length);
    if (text[i] !== ':')
        return undefined;
    i = skipSpaceIn(text, i + 1);
    const close = objectEnd(text, i);
    if (close === undefined)
        return undefined;
    try {
        return parseSerialization(JSON.parse(text.slice(i, close + 1)));
    }
    catch {
        return undefined;
    }
}
/** The index of the `}` closing the JSON object that opens at `open`, skipping strings; undefined if it is not there. */
function objectEnd(text, open) {
    if (text[open] !== '{')
        return undefined;
    let depth = 0;
    for (let i = open; i < text.length; i += 1) {
        const c = text[i];
        if (c === '"') {
            for (i += 1; i < text.length && text[i] !== '"'; i += 1)
                if (text[i] === '\\')
                    i += 1;
        }
        else if (c === '{' || c === '[')
            depth += 1;
        else if ((c === '}' || c === ']') && --depth === 0)
            return i;
    }
    return undefined;
}
const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
function skipSpace(bytes, i) {
    while (isSpace(bytes[i]))
        i += 1;
    return i;
}
function skipSpaceIn(text, i) {
    while (isSpace(text.charCodeAt(i)))
        i += 1;
    return i;
}
//# sourceMappingURL=serialization-ahead.js.map