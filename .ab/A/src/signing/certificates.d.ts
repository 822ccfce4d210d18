import { X509Certificate } from 'node:crypto';
/**
 * A certificate's subject or issuer (Node's `X509Certificate.subject`/`.issuer`) as one
 * line, its RDNs joined by `, ` in the certificate's order: `CN=model signer, O=Test`, as
 * every report, message and JSON field shows it. Node gives one RDN per line and has
 * already escaped commas, quotes and control characters inside values (`\,`, `\0A`), so
 * the joined form reads back unambiguously.
 */
export declare const distinguishedName: (name: string) => string;
/** The subject of a certificate, as `distinguishedName` shows it. */
export declare const subjectOf: (cert: X509Certificate) => string;
/** Reads every PEM certificate in a file; throws a usage error when there is none or one is broken. */
export declare function parsePemCertificates(text: Buffer | string, source: string): X509Certificate[];
