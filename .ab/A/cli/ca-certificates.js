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
export function requireCaCertificates(what) {
    const path = process.env[SET_ASIDE];
    if (path === undefined)
        return;
    throw usageError('CA_CERTIFICATES_SET_ASIDE', `${what} may need TLS, but the modelsign launcher started Node without NODE_EXTRA_CA_CERTS=${path}, taking this command line for one that only reads local files. This is a modelsign bug: please report it; meanwhile \`node ${process.argv[1] ?? 'dist/bin/modelsign.js'}\` with the same arguments keeps the environment as it is`);
}
//# sourceMappingURL=ca-certificates.js.map