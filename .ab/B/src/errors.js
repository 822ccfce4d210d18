/** An error that names the problem and says which kind of failure it is. */
export class ModelsignError extends Error {
    kind;
    /** A short stable code for machines, e.g. `BUNDLE_MALFORMED`. */
    code;
    constructor(kind, code, message, options) {
        super(message, options);
        this.name = 'ModelsignError';
        this.kind = kind;
        this.code = code;
    }
}
export const usageError = (code, message, cause) => new ModelsignError('usage', code, message, cause === undefined ? undefined : { cause });
export const unverifiedError = (code, message, cause) => new ModelsignError('unverified', code, message, cause === undefined ? undefined : { cause });
/** The message of any thrown value, for reports. */
export function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}
/**
 * An error's message followed by those of its causes, so the reason (a URL refused,
 * `ECONNREFUSED`, an HTTP status) is named, not only sigstore-js' summary of it.
 */
export function causeChain(err) {
    const parts = [];
    for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = e.cause, depth += 1) {
        const text = e instanceof Error ? e.message : String(e);
        const code = e.code;
        const part = typeof code === 'string' && !text.includes(code) && !/^[A-Z_]+_ERROR$/.test(code) ? `${text} (${code})` : text;
        // make-fetch-happen repeats its cause's message in its own: keep the longer once.
        if (part !== '' && !parts.some((p) => p.includes(part)))
            parts.push(part);
    }
    return parts.join(': ');
}
//# sourceMappingURL=errors.js.map