/**
 * A private Sigstore deployment on loopback for tests: Fulcio, Rekor (v1) and a timestamp
 * authority built from @sigstore/mock's CA, log and TSA, served over real HTTP so our
 * client's own HTTP stack talks to them. It also writes the matching trusted root and a
 * ClientTrustConfig, as an operator of a private deployment would publish them.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, initializeTSA, rekorHandler, tsaHandler } from '@sigstore/mock';

export interface SigstoreServers {
  readonly url: string;
  readonly trustedRootPath: string;
  readonly trustConfigPath: string;
  /** Every request path the servers answered, for assertions. */
  readonly requests: string[];
  close(): Promise<void>;
}

const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (bytes: ArrayBufferView | Buffer): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Starts the servers and writes trusted_root.json and trust_config.json into `dir`. */
export async function startSigstoreServers(dir: string): Promise<SigstoreServers> {
  const requests: string[] = [];
  const routes = new Map<string, (body: string) => Promise<{ statusCode: number; response: string | ArrayBufferView; contentType?: string }>>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push(`${req.method} ${path}`);
      const handler = routes.get(path);
      if (!handler || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      handler(Buffer.concat(chunks).toString('utf8')).then(
        ({ statusCode, response, contentType }) => {
          res.writeHead(statusCode, { 'content-type': contentType ?? 'application/json' });
          res.end(typeof response === 'string' ? response : Buffer.from(response.buffer, response.byteOffset, response.byteLength));
        },
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // One clock for the whole deployment, on a whole second: DER writes fractional seconds
  // without trailing zeros (".52Z"), and @sigstore/core only parses exactly three digits,
  // so about one timestamp in ten would fail to parse at all. The mock's CA, log and TSA
  // keep this Date and read it when they sign, so it is set once they exist: their root
  // certificates begin at the second they were made, and a clock read before a second
  // boundary passed during their setup put every signing time before those certificates
  // ("timestamp could not be verified", about one run in twenty).
  const clock = new Date();
  const ctLog = await initializeCTLog(keyPair(), clock);
  const ca = await initializeCA(keyPair(), ctLog, clock);
  const tlog = await initializeTLog(url, keyPair(), clock);
  const tsa = await initializeTSA(keyPair(), clock);
  clock.setTime(Math.floor(Date.now() / 1000) * 1000);
  for (const handler of [fulcioHandler(ca), rekorHandler(tlog), tsaHandler(tsa)]) routes.set(handler.path, handler.fn);
  const logEntry = routes.get('/api/v1/log/entries')!;
  routes.set('/api/v1/log/entries', (body) => logEntry(canonicalRekorEntry(body)));

  const start = new Date(clock.getTime() - 60_000).toISOString();
  const logKey = (publicKey: Buffer) => ({
    baseUrl: url,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
    logId: { keyId: createHash('sha256').update(publicKey).digest('base64') },
  });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [logKey(tlog.publicKey)],
    certificateAuthorities: [
      { subject: { organization: 'modelsign-test', commonName: 'fulcio' }, uri: url, certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] }, validFor: { start } },
    ],
    ctlogs: [{ ...logKey(ctLog.publicKey), logId: { keyId: b64(ctLog.logID) } }],
    timestampAuthorities: [
      {
        subject: { organization: 'modelsign-test', commonName: 'tsa' },
        uri: `${url}/api/v1/timestamp`,
        certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
        validFor: { start },
      },
    ],
  };
  const service = (path: string) => ({ url: `${url}${path}`, majorApiVersion: 1, validFor: { start }, operator: 'modelsign-test' });
  const signingConfig = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service('')],
    oidcUrls: [],
    rekorTlogUrls: [service('')],
    tsaUrls: [service('/api/v1/timestamp')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaConfig: { selector: 'ANY' },
  };
  const trustedRootPath = join(dir, 'trusted_root.json');
  const trustConfigPath = join(dir, 'trust_config.json');
  await writeFile(trustedRootPath, JSON.stringify(trustedRoot, null, 2));
  await writeFile(trustConfigPath, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json', trustedRoot, signingConfig }, null, 2));

  return {
    url,
    trustedRootPath,
    trustConfigPath,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Rekor does not log a proposed `dsse` entry as sent: it stores a canonical body with the
 * payload and envelope hashes and each signature paired with its verifier. The mock logs
 * the proposal verbatim, so do what Rekor does before handing it on.
 */
function canonicalRekorEntry(body: string): string {
  const proposed = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: { proposedContent?: { envelope: string; verifiers: string[] } } };
  const content = proposed.spec?.proposedContent;
  if (proposed.kind !== 'dsse' || !content) return body;
  const envelope = JSON.parse(content.envelope) as { payload: string; signatures: { sig: string }[] };
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  return JSON.stringify({
    apiVersion: proposed.apiVersion ?? '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(content.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((s) => ({ signature: s.sig, verifier: content.verifiers[0] })),
    },
  });
}

/** A token with a dummy signature: the mock Fulcio reads its claims without checking it. */
export function identityToken(subject: string, issuer: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: subject, iss: issuer, aud: 'sigstore', iat: now, exp: now + 600 })}.${Buffer.from('unchecked').toString('base64url')}`;
}
