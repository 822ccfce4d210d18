/** The commands, as named when none or an unknown one is given. */
export declare const COMMANDS = "digest, sign, verify, push, pull, attach or discover";
/**
 * The words with `sigstore` put in after `sign` or `verify` when a model comes where the
 * method belongs, as model_signing takes Sigstore for the default method. Only a word that
 * names a model (an existing path, or an `oci://` or `oci-layout:` reference) counts, so a
 * mistyped method is still named as one.
 */
export declare function withDefaultMethod(args: readonly string[]): string[];
/**
 * Whether `--json` is on, read from the words as yargs reads a boolean flag (`--json`,
 * `--json=true`, `--json true`, `--json=false`, `--json false`, `--no-json`; the last one
 * counts), for failures before the parsed value is known. Words after `--` are not flags.
 */
export declare function jsonRequested(args: readonly string[]): boolean;
/**
 * A yargs failure message made to name the problem: a missing or unknown method after
 * `sign` or `verify`, and for a missing argument, the flag that took it as its value.
 */
export declare function usageFailure(message: string, cli: unknown, args: readonly string[]): string;
