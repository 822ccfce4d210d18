import {
  MAX_BUNDLE_BYTES,
  attachArtifact,
  PREDICATE_TYPE,
  digestOf,
  ModelsignError,
  reworded,
  sha256Digest,
  unverifiedError,
  type Descriptor,
  type ImageManifest,
  type ContentStore,
  type SignatureStore,
  type StoredSignature,
} from '../../src/engine.js';
import { ANNOTATION_CREATED, SIGSTORE_BUNDLE } from '../../src/oci/media-types.js';

/**
 * Annotation on each referrer this store pushes: the digest of its bundle layer. Registries
 * copy manifest annotations into the referrers listing (the API and the tag schema's index
 * alike), so the listing says which bundle each referrer holds without fetching it.
 */
const ANNOTATION_BUNDLE_DIGEST = 'dev.modelsign.bundle.digest';

/**
 * At most this many referrers are fetched to find out whether a bundle is already attached
 * (as many as verify tries by default): a listing can name thousands, or, from a hostile
 * registry, hundreds of thousands of made-up ones, each a request.
 */
const MAX_DUPLICATE_FETCHES = 100;

/** A referrer that holds an OMS signature, as `discover` lists it. */
export interface AttachedSignature extends StoredSignature {
  readonly descriptor: Descriptor;
  readonly created?: string;
}

/**
 * OMS signatures kept as OCI referrers of the model manifest, the way cosign v3 attaches
 * Sigstore bundles: an image manifest with artifactType `...sigstore.bundle.v0.3+json`, the
 * empty config, one layer holding the bundle, and `subject` pointing at the model.
 */
export class OciSignatureStore implements SignatureStore {
  constructor(
    readonly repository: ContentStore,
    readonly subject: Descriptor,
  ) {}

  /** Where the signatures were found: the registry's referrers API or the tag schema. */
  via: 'api' | 'tag' | 'index' | undefined;
  /** What the last `list` passed over while looking for signatures, and why (see ContentStore.referrers): warnings for the user. */
  skipped: readonly string[] = [];
  /** Referrers the last `put` dropped from the tag schema's index because the registry no longer holds them. */
  pruned: readonly string[] = [];
  /** Whether the last `put` found the bundle already attached, and so pushed nothing. */
  alreadyAttached = false;
  /**
   * How many listed referrers the last `put` did not fetch in looking for the bundle (over
   * MAX_DUPLICATE_FETCHES): when not 0 and nothing was found, it may now be attached twice.
   */
  unchecked = 0;
  /** How many listed referrers the last `put` fetched in looking for the bundle. */
  checked = 0;

  /**
   * The OMS signatures among the subject's referrers, each referrer once: a listing that
   * names one referrer many times (the registry's, or a hostile index's word) would cost
   * two requests and a verification per mention.
   */
  async list(): Promise<AttachedSignature[]> {
    const { descriptors, via, skipped = [] } = await this.repository.referrers(this.subject.digest, SIGSTORE_BUNDLE);
    this.via = via;
    this.skipped = skipped;
    const seen = new Set<string>();
    return descriptors
      .filter((d) => d.annotations?.['dev.sigstore.bundle.predicateType'] === undefined || d.annotations['dev.sigstore.bundle.predicateType'] === PREDICATE_TYPE)
      .filter((d) => !seen.has(d.digest) && seen.add(d.digest))
      .map((descriptor) => {
        const created = descriptor.annotations?.[ANNOTATION_CREATED];
        const location = `${this.repository.name}@${descriptor.digest}`;
        return {
          descriptor,
          location,
          ...(created ? { created } : {}),
          bytes: () => this.bundleOf(descriptor, location),
        };
      });
  }

  /**
   * Attaches a bundle, unless a referrer of the subject already holds these exact bytes: a
   * retried job must not pile up copies (each referrer carries its own creation time, so
   * pushing again would make another). Then nothing is pushed, `alreadyAttached` is set, and
   * the existing referrer's location is returned.
   */
  async put(bundle: Uint8Array): Promise<string> {
    const layer: Descriptor = { mediaType: SIGSTORE_BUNDLE, digest: sha256Digest(bundle), size: bundle.length };
    this.pruned = [];
    const { existing, checked, unchecked } = await this.holding(layer.digest);
    this.alreadyAttached = existing !== undefined;
    this.checked = checked;
    this.unchecked = unchecked;
    if (existing) return `${this.repository.name}@${existing}`;
    const { descriptor, pruned } = await attachArtifact(
      this.repository,
      {
        artifactType: SIGSTORE_BUNDLE,
        layers: [layer],
        blobs: [{ descriptor: layer, bytes: Buffer.from(bundle) }],
        annotations: {
          'dev.sigstore.bundle.content': 'dsse-envelope',
          'dev.sigstore.bundle.predicateType': PREDICATE_TYPE,
          [ANNOTATION_CREATED]: new Date().toISOString(),
          [ANNOTATION_BUNDLE_DIGEST]: layer.digest,
        },
      },
      this.subject,
    );
    this.pruned = pruned.map((digest) => `${this.repository.name}@${digest}`);
    return `${this.repository.name}@${descriptor.digest}`;
  }

  /**
   * The digest of an OMS referrer of the subject whose bundle layer has `digest`, if one is
   * found among those fetched (see duplicateCandidates), and how many were not fetched.
   */
  private async holding(digest: string): Promise<{ existing?: string; checked: number; unchecked: number }> {
    const { candidates, unchecked } = duplicateCandidates((await this.list()).map((s) => s.descriptor), digest);
    for (const [i, descriptor] of candidates.entries()) {
      if (await this.holds(descriptor, digest)) return { existing: descriptor.digest, checked: i + 1, unchecked: 0 };
    }
    return { checked: candidates.length, unchecked };
  }

  /** Whether the referrer holds a bundle layer with this digest, by its manifest (the listing is only the registry's word). */
  private async holds(descriptor: Descriptor, digest: string): Promise<boolean> {
    // Listed but gone (a referrer deleted behind the tag schema's index) holds nothing.
    const fetched = await this.repository.fetchManifestIfExists(descriptor.digest);
    const manifest = fetched?.json as unknown as ImageManifest | undefined;
    // The listing is the index's word; the manifest itself must name the subject.
    if (manifest?.subject?.digest !== this.subject.digest) return false;
    return manifest.layers?.some((l) => l.mediaType === SIGSTORE_BUNDLE && l.digest === digest) ?? false;
  }

  /** The bundle a referrer holds; a failure names the signature (`location`), not only the blob. */
  private async bundleOf(descriptor: Descriptor, location: string): Promise<Uint8Array> {
    try {
      const manifest = (await this.repository.fetchManifest(descriptor.digest)).json as unknown as ImageManifest;
      const layer = manifest.layers?.find((l) => l.mediaType === SIGSTORE_BUNDLE);
      if (!layer) throw unverifiedError('BUNDLE_MALFORMED', `it holds no ${SIGSTORE_BUNDLE} layer`);
      if (layer.size > MAX_BUNDLE_BYTES) throw unverifiedError('BUNDLE_MALFORMED', `it holds a ${layer.size}-byte bundle, over the ${MAX_BUNDLE_BYTES}-byte limit`);
      return await this.bundleBlob(layer);
    } catch (err) {
      // The blob's own message names the model's repository and tag, which holds many blobs.
      throw reworded(err, (message) => `signature ${location}: ${message}`);
    }
  }

  /**
   * A bundle layer's bytes. A registry checks a blob's digest when it is pushed, but not the
   * size a manifest declares for it: a referrer declaring a wrong size would fail as bytes
   * that do not match their descriptor, the registry's failure (exit 3), and stop the command.
   * So on a mismatch the blob is read again under the bundle size limit alone: if its bytes
   * match the digest, the declared size is what is wrong (BUNDLE_MALFORMED, that signature's
   * outcome); if not, the registry's failure stands.
   */
  private async bundleBlob(layer: Descriptor): Promise<Uint8Array> {
    try {
      return await collect(this.repository.fetchBlob(layer));
    } catch (err) {
      if (!(err instanceof ModelsignError) || err.code !== 'DIGEST_MISMATCH') throw err;
      const size = await storedSize(this.repository, layer.digest);
      if (size === undefined || size === layer.size) throw err;
      throw unverifiedError('BUNDLE_MALFORMED', `its bundle layer declares ${layer.size} bytes, but blob ${layer.digest} holds ${size}`);
    }
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const all: Uint8Array[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

/**
 * The size of a blob of at most MAX_BUNDLE_BYTES whose bytes match its digest; undefined
 * for any other. Read as if MAX_BUNDLE_BYTES long: the store then passes every byte of a
 * shorter blob before it fails on the size, and they are hashed here.
 */
async function storedSize(store: ContentStore, digest: string): Promise<number | undefined> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of store.fetchBlob({ digest, size: MAX_BUNDLE_BYTES })) chunks.push(chunk);
    return MAX_BUNDLE_BYTES;
  } catch {
    const bytes = Buffer.concat(chunks);
    return digestOf(bytes, digest.slice(0, digest.indexOf(':'))) === digest ? bytes.length : undefined;
  }
}

/**
 * The listed referrers worth fetching to find a bundle layer of `digest`, at most
 * MAX_DUPLICATE_FETCHES of them, and how many others were left unfetched. Those annotated
 * with that digest come first; those annotated with another are passed over (a listing that
 * lies costs a duplicate referrer, which is harmless); those without the annotation (pushed
 * by other tools, or before it was written) follow, newest first, as a retried job's copy is
 * recent: by their creation time, else the later listed first.
 */
function duplicateCandidates(listed: readonly Descriptor[], digest: string): { candidates: Descriptor[]; unchecked: number } {
  const marked = listed.filter((d) => d.annotations?.[ANNOTATION_BUNDLE_DIGEST] === digest);
  const created = (d: Descriptor): string => d.annotations?.[ANNOTATION_CREATED] ?? '';
  const unmarked = listed
    .filter((d) => d.annotations?.[ANNOTATION_BUNDLE_DIGEST] === undefined)
    .reverse()
    // Stable: entries with equal (or no) creation times keep the later-listed-first order.
    .sort((a, b) => (created(a) === created(b) ? 0 : created(a) < created(b) ? 1 : -1));
  const candidates = [...marked, ...unmarked].slice(0, MAX_DUPLICATE_FETCHES);
  return { candidates, unchecked: marked.length + unmarked.length - candidates.length };
}
