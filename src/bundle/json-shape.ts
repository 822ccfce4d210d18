const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }
const SEPARATORS = new Set([0x2c, 0x3a]); // , :

/** How much structure a JSON text may have before it is parsed. */
export interface JsonShapeLimits {
  /** The deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  /** The most `{`, `[`, `,` and `:` outside strings: a bound on how many values it holds. */
  readonly maxTokens: number;
}

/**
 * Why a JSON text has more structure than `limits` allow, found by one linear scan of its
 * bytes before JSON.parse, which builds the whole document before anything can look at it
 * (64 MB of `[` took 2.7 GB, of `{},` 2.2 GB). Undefined when within the limits. The scan
 * skips strings (to the next quote not escaped by an odd run of backslashes; in UTF-8 no
 * byte of a multi-byte character is a quote or a backslash), so on valid JSON its counts
 * are exact; on invalid JSON they may be anything, which does not matter, as JSON.parse
 * refuses it anyway.
 */
export function jsonShapeProblem(bytes: Uint8Array, limits: JsonShapeLimits): string | undefined {
  const { maxDepth, maxTokens } = limits;
  let depth = 0;
  let tokens = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      let end = bytes.indexOf(QUOTE, i + 1);
      while (end !== -1 && escapedAt(bytes, end, i)) end = bytes.indexOf(QUOTE, end + 1);
      if (end === -1) return undefined; // an unterminated string: JSON.parse says so
      i = end;
    } else if (OPEN.has(c)) {
      if (++depth > maxDepth) return `it nests arrays and objects deeper than ${maxDepth} levels`;
      if (++tokens > maxTokens) return `it holds more than ${maxTokens} values`;
    } else if (CLOSE.has(c)) depth -= 1;
    else if (SEPARATORS.has(c) && ++tokens > maxTokens) return `it holds more than ${maxTokens} values`;
  }
  return undefined;
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it, after the string's opening quote at `open`. */
function escapedAt(bytes: Uint8Array, at: number, open: number): boolean {
  let run = 0;
  for (let j = at - 1; j > open && bytes[j] === BACKSLASH; j -= 1) run += 1;
  return run % 2 === 1;
}
