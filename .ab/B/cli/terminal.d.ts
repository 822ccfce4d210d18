/**
 * A value for a line of text output (a file name, a certificate subject, an annotation):
 * names in a signed statement, a certificate or a registry are chosen by whoever made them,
 * so their control characters are shown escaped (`\x1b`), never sent to the terminal, and a
 * newline cannot forge a report line. JSON output needs none of this.
 */
export declare const printable: (value: string) => string;
/** A message of one or more lines (errors, warnings): as `printable`, but its own newlines stay. */
export declare const printableText: (text: string) => string;
/** `1 resource`, `2 resources`: a count with its noun in the right number. */
export declare const counted: (n: number, noun: string) => string;
/** Prints each line to stderr as `note: ...` or `warning: ...`, through `printableText`. */
export declare function printNotices(label: 'note' | 'warning', lines: readonly string[]): void;
