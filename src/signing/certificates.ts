import { X509Certificate } from 'node:crypto';
import { usageError } from '../errors.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads every PEM certificate in a file; throws a usage error when there is none or one is broken. */
export function parsePemCertificates(text: Buffer | string, source: string): X509Certificate[] {
  const blocks = text.toString().match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw usageError('CERT_UNREADABLE', `${source} holds no PEM certificate`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw usageError('CERT_UNREADABLE', `${source}: certificate ${i + 1} cannot be parsed`, err);
    }
  });
}
