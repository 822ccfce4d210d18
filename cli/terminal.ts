// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides
// and isolates ("Trojan Source"): what can move the cursor, clear the screen, recolour or
// reorder what a terminal shows.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * A value for a line of text output (a file name, a certificate subject, an annotation):
 * names in a signed statement, a certificate or a registry are chosen by whoever made them,
 * so their control characters are shown escaped (`\x1b`), never sent to the terminal, and a
 * newline cannot forge a report line. JSON output needs none of this.
 */
export const printable = (value: string): string => value.replace(CONTROLS, escape);

/** Text of several lines (an internal failure's stack trace): as `printable`, but its newlines stay. */
export const printableText = (text: string): string => text.replace(CONTROLS_BUT_LINES, escape);

/** `1 resource`, `2 resources`: a count with its noun in the right number. */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Prints each line to stderr as `note: ...` or `warning: ...`, through `printable` (a path's newline cannot start a line). */
export function printNotices(label: 'note' | 'warning', lines: readonly string[]): void {
  for (const line of lines) process.stderr.write(`${label}: ${printable(line)}\n`);
}
