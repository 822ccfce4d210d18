import { usageError } from '../src/core.js';

/**
 * Where the `modelsign` launcher (cli/launcher.js) keeps NODE_EXTRA_CA_CERTS when it starts
 * Node without it, for a command line it takes for one that only reads local files.
 */
const SET_ASIDE = 'MODELSIGN_NODE_EXTRA_CA_CERTS';

/**
 * Refuses to go on to `what` (something that uses TLS) in a process the launcher started
 * without the CA certificates the environment names: TLS would trust fewer authorities than
 * the user set up, and fail behind a proxy that relies on them. Only a mistake in the
 * launcher's choice gets here; the message says how to run without it meanwhile. Every
 * way the CLI reaches the network calls this first (registries, Sigstore, TUF).
 */
export function requireCaCertificates(what: string): void {
  const path = process.env[SET_ASIDE];
  // Node loaded NODE_EXTRA_CA_CERTS if it is set now, whatever else the environment says.
  if (path === undefined || process.env.NODE_EXTRA_CA_CERTS !== undefined) return;
  throw usageError(
    'CA_CERTIFICATES_SET_ASIDE',
    `${what} may need TLS, but the modelsign launcher started Node without NODE_EXTRA_CA_CERTS=${path}, taking this command line for one that only reads local files. This is a modelsign bug: please report it; meanwhile \`node ${shellWord(process.argv[1] ?? 'dist/bin/modelsign.js')}\` with the same arguments keeps the environment as it is (unless ${SET_ASIDE} was set before modelsign started: unset it)`,
  );
}

/** A word as a POSIX shell reads it back: quoted unless it is plainly safe, so the command in a message can be pasted. */
const shellWord = (word: string): string => (/^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
