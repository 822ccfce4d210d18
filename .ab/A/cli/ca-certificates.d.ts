/**
 * Refuses to go on to `what` (something that uses TLS) in a process the launcher started
 * without the CA certificates the environment names: TLS would trust fewer authorities than
 * the user set up, and fail behind a proxy that relies on them. Only a mistake in the
 * launcher's choice gets here; the message says how to run without it meanwhile. Every
 * way the CLI reaches the network calls this first (registries, Sigstore, TUF).
 */
export declare function requireCaCertificates(what: string): void;
