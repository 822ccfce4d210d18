import { X509Certificate } from 'node:crypto';
import { usageError } from '../errors.js';
/**
 * A certificate's subject or issuer (Node's `X509Certificate.subject`/`.issuer`) as one
 * line, its RDNs joined by `, ` in the certificate's order: `CN=model signer, O=Test`, as
 * every report, message and JSON field shows it. Node gives one RDN per line and has
 * already escaped commas, quotes and control characters inside values (`\,`, `\0A`), so
 * the joined form reads back unambiguously.
 */
export const distinguishedName = (name) => name.split('\n').join(', ');
/** The subject of a certificate, as `distinguishedName` shows it. */
export const subjectOf = (cert) => distinguishedName(cert.subject);
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** Reads every PEM certificate in a file; throws a usage error when there is none or one is broken. */
export function parsePemCertificates(text, source) {
    const blocks = text.toString().match(PEM_CERT) ?? [];
    if (blocks.length === 0)
        throw usageError('CERT_UNREADABLE', `${source} holds no PEM certificate`);
    return blocks.map((block, i) => {
        try {
            return new X509Certificate(block);
        }
        catch (err) {
            throw usageError('CERT_UNREADABLE', `${source}: certificate ${i + 1} cannot be parsed`, err);
        }
    });
}
//# sourceMappingURL=certificates.js.map