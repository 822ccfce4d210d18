import { unverifiedError } from '../errors.js';
import { normalizeRelative } from '../hashing/ignore.js';
import { addressedDigest, effectiveIgnorePaths, hashPlanned, listModel, planResources, usesContentAddress } from '../hashing/serialize.js';
import { comparePaths, inStrictPathOrder, parseShardName, resourcePath } from '../manifest/manifest.js';
const ADDRESS_NOTE = 'checked by content address: the source checked this digest against the bytes it serves';
const SIZE_NOTE = 'the file size differs from the signed one';
/**
 * Hashes the model with the signed serialization and compares it with the signed
 * resources, naming every changed, missing and extra file. Only files the signature
 * names are hashed: an extra file fails by its name alone. A statement that names a
 * single-file model's one file twice (as `.` and by its basename) fails
 * (STATEMENT_INVALID, an unverified error).
 */
export async function checkModel(source, signed, options = {}) {
    const s = signed.serialization;
    const listing = await listSigned(source, s, options);
    const expected = source.singleFile ? asSingleFile(signed.resources, source.modelName, s.method) : signed.resources;
    const pathOf = (name) => resourcePath(name, s.method);
    // A signature lists its files in path order, as a local listing arrives: the two are then
    // matched in one merge. Any other order, and shards, are matched through sets of names.
    const merge = s.method === 'files' && inStrictPathOrder(expected, nameOf) && inStrictPathOrder(listing.files, nameOf);
    const { present, unsigned } = merge ? splitByMerge(listing.files, expected) : splitByName(listing.files, new Set(expected.map((r) => pathOf(r.name))));
    const plan = planResources(present, s);
    const digests = options.readNothing
        ? plan.map((p) => addressedDigest(p.file, s, options))
        : await hashPlanned(source, plan, s, failsByAddress(plan, expected, s, options) ? { ...options, streamContentAddressed: false } : options);
    const files = [];
    const unread = [];
    const label = (hex) => `${s.hashType}:${hex}`;
    // A signed resource found in the plan at k: compared, or (readNothing) left unread.
    const compare = (r, k) => {
        const now = digests[k];
        if (now === undefined) {
            unread.push(r.name);
            return;
        }
        const entry = { name: r.name, status: now === r.digest ? 'ok' : 'changed', expected: label(r.digest), actual: label(now) };
        files.push(usesContentAddress(plan[k].file, s, options) ? { ...entry, note: ADDRESS_NOTE } : entry);
    };
    const ignoredByRule = (name) => listing.ignored.some((i) => name === i || name.startsWith(`${i}/`));
    const missing = (r) => {
        const note = ignoredByRule(pathOf(r.name)) ? 'present but excluded by the ignore paths' : undefined;
        return { name: r.name, status: 'missing', expected: label(r.digest), ...(note ? { note } : {}) };
    };
    if (merge) {
        // The plan is the signed files present, in the signature's order: every signed file is
        // the next planned one or missing, and nothing was hashed that is not signed.
        let k = 0;
        for (const r of expected) {
            if (k < plan.length && plan[k].name === r.name)
                compare(r, k++);
            else
                files.push(missing(r));
        }
    }
    else {
        const planned = new Map(plan.map((p, k) => [p.name, k]));
        // Needed only when something did not match: built then.
        let presentPaths;
        for (const r of expected) {
            const k = planned.get(r.name);
            if (k !== undefined)
                compare(r, k);
            else if ((presentPaths ??= new Set(present.map((f) => f.name))).has(pathOf(r.name))) {
                files.push({ name: r.name, status: 'changed', expected: label(r.digest), note: SIZE_NOTE });
            }
            else
                files.push(missing(r));
        }
        // Resources hashed but not signed: shards of a file whose size changed.
        const expectedNames = new Set(expected.map(nameOf));
        plan.forEach((p, k) => {
            const now = digests[k];
            if (!expectedNames.has(p.name))
                files.push({ name: p.name, status: 'changed', ...(now === undefined ? {} : { actual: label(now) }), note: SIZE_NOTE });
        });
    }
    for (const f of unsigned) {
        // An empty file has no shards, so a shard manifest can neither name it nor miss it.
        if (s.method === 'shards' && f.size === 0)
            continue;
        files.push(options.ignoreUnsignedFiles
            ? { name: f.name, status: 'ignored', note: 'not signed (--ignore-unsigned-files)' }
            : { name: f.name, status: 'extra', note: 'present in the model but not signed' });
    }
    for (const name of listing.ignored)
        files.push({ name, status: 'ignored', note: 'matches an ignore path' });
    return { files, warnings: listing.warnings, ...(options.readNothing ? { unread } : {}) };
}
/**
 * True when a caller streams content-addressed files to keep their bytes (pull), but one of
 * them already has an address other than its signed digest: the model fails this signature
 * whatever the bytes are, so none need be downloaded for it (a later signature that fits
 * streams them then). Their statuses come from the addresses, as in verify.
 */
function failsByAddress(plan, expected, s, options) {
    if (!options.streamContentAddressed)
        return false;
    const signed = new Map(expected.map((r) => [r.name, r.digest]));
    return plan.some((p) => usesContentAddress(p.file, s, options) && signed.has(p.name) && p.file.contentDigest !== `sha256:${signed.get(p.name)}`);
}
/**
 * Lists a model under a signed serialization's rules: its symlink rule, and its ignore paths
 * plus the caller's. A listing already in `options.listings` under the same rules is reused,
 * and the one made now is added.
 */
export async function listSigned(source, s, options) {
    // Paths recorded by the signer that cannot be inside the model cannot match anything: drop them.
    const recorded = (s.ignorePaths ?? []).map(normalizeRelative).filter((p) => p !== undefined);
    const ignorePaths = effectiveIgnorePaths([...recorded, ...(options.ignorePaths ?? [])], options.ignoreGitPaths ?? true);
    const identify = options.cache !== undefined;
    const key = JSON.stringify([s.allowSymlinks, ignorePaths, identify]);
    const listing = options.listings?.get(key) ?? (await listModel(source, { ...s, ignorePaths }, { identify, pool: options }));
    options.listings?.set(key, listing);
    return listing;
}
/**
 * For a single-file model the reference names the resource `"."` and the spec names it by
 * the file's basename; both mean the one file, so a statement may use one of them only.
 */
function asSingleFile(resources, baseName, method) {
    const renamed = resources.map((r) => {
        if (method === 'files')
            return r.name === baseName ? { ...r, name: '.' } : r;
        const shard = parseShardName(r.name);
        return shard?.path === baseName ? { ...r, name: `.:${shard.start}:${shard.end}` } : r;
    });
    const names = new Set();
    for (const r of renamed) {
        if (names.has(r.name))
            throw unverifiedError('STATEMENT_INVALID', `the statement names the model's one file twice, as "." and as ${JSON.stringify(baseName)} (resource ${JSON.stringify(r.name)})`);
        names.add(r.name);
    }
    return renamed;
}
const nameOf = (item) => item.name;
function splitByName(files, signedPaths) {
    const split = { present: [], unsigned: [] };
    for (const f of files)
        (signedPaths.has(f.name) ? split.present : split.unsigned).push(f);
    return split;
}
/** `splitByName` for a listing and signed resources both in strict path order: one merge. */
function splitByMerge(files, signed) {
    const split = { present: [], unsigned: [] };
    let j = 0;
    for (const f of files) {
        while (j < signed.length && comparePaths(signed[j].name, f.name) < 0)
            j += 1;
        (j < signed.length && signed[j].name === f.name ? split.present : split.unsigned).push(f);
    }
    return split;
}
//# sourceMappingURL=model-check.js.map