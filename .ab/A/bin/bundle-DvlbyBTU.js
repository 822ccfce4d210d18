const require_work = require("./work-o7A-tGPJ.js");
let node_crypto = require("node:crypto");
// dist/src/errors.js
/** An error that names the problem and says which kind of failure it is. */
var ModelsignError = class extends Error {
	kind;
	/** A short stable code for machines, e.g. `BUNDLE_MALFORMED`. */
	code;
	constructor(kind, code, message, options) {
		super(message, options);
		this.name = "ModelsignError";
		this.kind = kind;
		this.code = code;
	}
};
const usageError = (code, message, cause) => new ModelsignError("usage", code, message, cause === void 0 ? void 0 : { cause });
const unverifiedError = (code, message, cause) => new ModelsignError("unverified", code, message, cause === void 0 ? void 0 : { cause });
/** The message of any thrown value, for reports. */
function messageOf(err) {
	return err instanceof Error ? err.message : String(err);
}
/**
* An error's message followed by those of its causes, so the reason (a URL refused,
* `ECONNREFUSED`, an HTTP status) is named, not only sigstore-js' summary of it.
*/
function causeChain(err) {
	const parts = [];
	for (let e = err, depth = 0; e !== void 0 && e !== null && depth < 5; e = e.cause, depth += 1) {
		const text = e instanceof Error ? e.message : String(e);
		const code = e.code;
		const part = typeof code === "string" && !text.includes(code) && !/^[A-Z_]+_ERROR$/.test(code) ? `${text} (${code})` : text;
		if (part !== "" && !parts.some((p) => p.includes(part))) parts.push(part);
	}
	return parts.join(": ");
}
// dist/src/hashing/ignore.js
/** Paths the reference ignores by default (`--ignore-git-paths`), relative to the model root. */
const GIT_PATHS = [
	".git",
	".gitattributes",
	".github",
	".gitignore"
];
/**
* Normalizes a POSIX path relative to the model root: no `./`, no empty or trailing
* components. Returns undefined for a path that leaves the root or is absolute.
*/
function normalizeRelative(path) {
	if (path.startsWith("/")) return void 0;
	const parts = [];
	for (const part of path.split("/")) {
		if (part === "" || part === ".") continue;
		if (part === "..") return void 0;
		parts.push(part);
	}
	return parts.join("/");
}
/**
* True when `normalizeRelative(path) === path`, without building the normalized copy: no
* leading `/`, and no empty, `.` or `..` component (`''` itself is its own normal form).
* Verification checks every signed resource name this way (200,000 names: 4-8 ms, against
* 65-110 ms comparing with the normalized copy).
*/
function isNormalRelative(path) {
	if (path === "") return true;
	let start = 0;
	for (;;) {
		const slash = path.indexOf("/", start);
		const end = slash === -1 ? path.length : slash;
		if (end === start) return false;
		if (path.charCodeAt(start) === DOT && (end - start === 1 || end - start === 2 && path.charCodeAt(start + 1) === DOT)) return false;
		if (slash === -1) return true;
		start = slash + 1;
	}
}
const DOT = 46;
/**
* Builds the ignore predicate: a name is ignored when it equals an ignore path or lies
* below one (ignoring a directory ignores its subtree).
*/
function ignoreMatcher(ignorePaths) {
	const exact = /* @__PURE__ */ new Set();
	for (const p of ignorePaths) {
		const n = normalizeRelative(p);
		if (n) exact.add(n);
	}
	if (exact.size === 0) return () => false;
	const lengths = [...new Set([...exact].map((p) => p.length))];
	return (name) => {
		if (exact.has(name)) return true;
		for (const n of lengths) if (n < name.length && name.charCodeAt(n) === SLASH$1 && exact.has(name.slice(0, n))) return true;
		return false;
	};
}
const SLASH$1 = 47;
// dist/src/manifest/manifest.js
/** Computes the OMS root digest: SHA-256 over the concatenated raw digest bytes. */
function rootDigest(resources) {
	const h = (0, node_crypto.createHash)("sha256");
	forJoinedHex(resources.length, (i) => resources[i].digest, (hex) => {
		h.update(hex, "hex");
		return true;
	});
	return h.digest("hex");
}
/**
* Hands hex digests to `take` joined into strings of about 64 KiB, in order: one hash
* update per resource cost ~10 ms for 20,000 files, decoding all into one buffer first
* ~4-6 ms, this less. `digestAt(i)` gives digest i, or undefined to stop; `take` returns
* false to stop. True when every digest was taken.
*/
function forJoinedHex(count, digestAt, take) {
	let pending = "";
	for (let i = 0; i < count; i += 1) {
		const digest = digestAt(i);
		if (digest === void 0) return false;
		pending += digest;
		if (pending.length >= 65536) {
			if (!take(pending)) return false;
			pending = "";
		}
	}
	return take(pending);
}
/** The length forJoinedHex joins digests to; a joined string can pass it by one digest. */
const HEX_JOIN = 65536;
/** The resource algorithm name the reference writes for a serialization. */
function resourceAlgorithm(serialization) {
	return serialization.method === "shards" ? `${serialization.hashType}-sharded-${serialization.shardSize}` : serialization.hashType;
}
/** The file a resource name stands for: the name itself, or a shard's path. */
function resourcePath(name, method) {
	return method === "shards" ? parseShardName(name)?.path ?? name : name;
}
/** Parses `path:start:end` from the last two colons; undefined when malformed. */
function parseShardName(name) {
	const m = /^(.+):(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/.exec(name);
	if (!m) return void 0;
	const start = Number(m[2]);
	const end = Number(m[3]);
	if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) return void 0;
	return {
		path: m[1],
		start,
		end
	};
}
const shardName = (path, start, end) => `${path}:${start}:${end}`;
/**
* Orders paths as the reference does: by path components, each compared by code point
* (so `a/b` sorts before `a-b`). Replacing `/` with NUL and comparing UTF-8 bytes gives
* exactly that order. Compared in place, without building those bytes: below the
* surrogates, UTF-16 code units order as code points and so as UTF-8 bytes; only a first
* difference at or above U+D800 (where an astral character's surrogate would sort before
* U+E000-U+FFFF) takes the byte comparison. Returns a negative, zero or positive number.
*/
function comparePaths(a, b) {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i += 1) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x === y) continue;
		if (x === SLASH) return -1;
		if (y === SLASH) return 1;
		if (x < 55296 && y < 55296) return x - y;
		return Buffer.compare(pathKey(a), pathKey(b));
	}
	return a.length - b.length;
}
const SLASH = 47;
const pathKey = (p) => Buffer.from(p.replaceAll("/", "\0"), "utf8");
/**
* Items sorted by `comparePaths` on their names. A local listing arrives in this order
* already (a depth-first walk of name-sorted directories), so that is checked first: the
* check is linear, the sort is not (and stable, so equal names keep their order). The
* input is left as it is.
*/
function sortByPath(items, nameOf) {
	return inStrictPathOrder(items, nameOf) ? [...items] : [...items].sort((a, b) => comparePaths(nameOf(a), nameOf(b)));
}
/**
* True when the names are in strictly increasing `comparePaths` order, and so unique: two
* such lists can be matched in one merge instead of through sets of names.
*/
function inStrictPathOrder(items, nameOf) {
	for (let i = 1; i < items.length; i += 1) if (comparePaths(nameOf(items[i - 1]), nameOf(items[i])) >= 0) return false;
	return true;
}
// dist/src/manifest/statement.js
const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
const PREDICATE_TYPE = "https://model_signing/signature/v1.0";
const LEGACY_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";
/**
* Serializes a manifest as the in-toto statement the reference writes, byte for byte:
* two-space indentation, its key order, and `shard_size` as a float (`1000000000.0`),
* since the reference's predicate is a protobuf Struct.
*/
function buildStatement(manifest) {
	const s = manifest.serialization;
	const serialization = {
		method: s.method,
		hash_type: s.hashType,
		allow_symlinks: s.allowSymlinks
	};
	if (s.method === "shards") serialization.shard_size = s.shardSize;
	if (s.ignorePaths && s.ignorePaths.length > 0) serialization.ignore_paths = [...s.ignorePaths].sort();
	const statement = {
		_type: STATEMENT_TYPE,
		subject: [{
			name: manifest.modelName,
			digest: { sha256: manifest.rootDigest }
		}],
		predicateType: PREDICATE_TYPE,
		predicate: {
			serialization,
			resources: manifest.resources.map((r) => ({
				algorithm: r.algorithm,
				digest: r.digest,
				name: r.name
			}))
		}
	};
	const text = JSON.stringify(statement, null, 2);
	if (s.method !== "shards") return asciiJson(text);
	return asciiJson(text.replace(/\n {6}"shard_size": (\d+)(,?)\n/, (_m, n, comma) => `\n      "shard_size": ${n}.0${comma}\n`));
}
/**
* JSON text as the reference writes it (Python's json.dumps with its default ensure_ascii):
* every character outside space..~ in a string as `\uXXXX`, lowercase, astral characters as
* their surrogate pairs (which is how a JS string holds them). JSON.stringify already escapes
* the control characters the same way. Most statements are ASCII: the UTF-8 bytes, needed
* anyway, then have one byte per character, and only DEL is left to look for.
*/
function asciiJson(text) {
	const bytes = Buffer.from(text, "utf8");
	if (bytes.length === text.length && !text.includes("")) return bytes;
	return Buffer.from(text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`), "latin1");
}
const fail = (message) => {
	throw unverifiedError("STATEMENT_INVALID", `invalid statement: ${message}`);
};
/**
* Parses and checks the exact payload bytes of a verified envelope: statement type,
* predicate type, one subject, resource names that stay inside the model, digests of the
* right length, no duplicates, and the root digest.
*/
function parseStatement(payload) {
	let doc;
	try {
		doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
	} catch {
		return fail("payload is not UTF-8 JSON");
	}
	if (!isObject$1(doc)) return fail("payload is not a JSON object");
	if (doc._type !== "https://in-toto.io/Statement/v1") return fail(`_type is ${JSON.stringify(doc._type)}, expected ${STATEMENT_TYPE}`);
	if (!Array.isArray(doc.subject)) return fail("subject is not a list");
	if (doc.predicateType === "https://model_signing/Digests/v0.1") return parseLegacy(doc.subject);
	if (doc.predicateType !== "https://model_signing/signature/v1.0") return fail(`predicateType is ${JSON.stringify(doc.predicateType)}, expected ${PREDICATE_TYPE}`);
	if (doc.subject.length !== 1) return fail(`expected exactly one subject, found ${doc.subject.length}`);
	const subject = doc.subject[0];
	if (!isObject$1(subject) || !isObject$1(subject.digest)) return fail("subject has no digest");
	const subjectDigest = subject.digest.sha256;
	if (typeof subjectDigest !== "string" || !/^[0-9a-f]{64}$/.test(subjectDigest)) return fail("subject digest is not a SHA-256 hex digest");
	const modelName = typeof subject.name === "string" ? subject.name : "";
	if (!isObject$1(doc.predicate)) return fail("predicate is not an object");
	const serialization = parseSerialization(doc.predicate.serialization);
	const { resources, root } = parseResources(doc.predicate.resources, serialization);
	if (root !== subjectDigest) throw unverifiedError("ROOT_MISMATCH", `statement root digest ${subjectDigest} does not match its resources, which hash to ${root}`);
	return {
		manifest: {
			modelName,
			serialization,
			resources,
			rootDigest: root
		},
		legacy: false
	};
}
/** Reads `predicate.serialization`; throws STATEMENT_INVALID (unverified) if it is not one. */
function parseSerialization(value) {
	if (!isObject$1(value)) return fail("predicate.serialization is not an object");
	const { method, hash_type: hashType, allow_symlinks: allowSymlinks, shard_size: shardSize, ignore_paths: ignorePaths } = value;
	if (method !== "files" && method !== "shards") return fail(`unknown serialization method ${JSON.stringify(method)}`);
	if (!require_work.isHashAlgorithm(hashType)) return fail(`unknown hash_type ${JSON.stringify(hashType)}`);
	if (allowSymlinks !== void 0 && typeof allowSymlinks !== "boolean") return fail("allow_symlinks is not a boolean");
	let paths;
	if (ignorePaths !== void 0) {
		if (!Array.isArray(ignorePaths) || !ignorePaths.every((p) => typeof p === "string")) return fail("ignore_paths is not a list of strings");
		paths = ignorePaths;
	}
	const base = {
		hashType,
		allowSymlinks: allowSymlinks ?? false,
		...paths ? { ignorePaths: paths } : {}
	};
	if (method === "files") return {
		method,
		...base
	};
	if (typeof shardSize !== "number" || !Number.isSafeInteger(shardSize) || shardSize <= 0) return fail(`shard_size ${JSON.stringify(shardSize)} is not a positive integer`);
	return {
		method,
		shardSize,
		...base
	};
}
const DIGEST_HEX_LENGTH = {
	sha256: 64,
	blake2b: 128,
	blake3: 64
};
function parseResources(value, serialization) {
	if (!Array.isArray(value)) return fail("predicate.resources is not a list");
	const accepted = /* @__PURE__ */ new Set([serialization.hashType, resourceAlgorithm(serialization)]);
	const hexLength = DIGEST_HEX_LENGTH[serialization.hashType];
	const checked = lowercaseHexRoot(value, hexLength);
	let seen;
	let previous;
	const resources = value.map((r, i) => {
		if (!isObject$1(r)) return fail(`resource ${i} is not an object`);
		const { name, algorithm, digest } = r;
		if (typeof name !== "string" || name === "") return fail(`resource ${i} has no name`);
		if (typeof algorithm !== "string" || !accepted.has(algorithm)) return fail(`resource ${JSON.stringify(name)} has algorithm ${JSON.stringify(algorithm)}, expected ${[...accepted].join(" or ")}`);
		if (typeof digest !== "string" || digest.length !== hexLength || checked === void 0 && !/^[0-9a-f]+$/.test(digest)) return fail(`resource ${JSON.stringify(name)} has a malformed ${serialization.hashType} digest`);
		checkResourceName(name, serialization);
		if (seen === void 0 && previous !== void 0 && comparePaths(previous, name) >= 0) seen = new Set(value.slice(0, i).map((q) => q.name));
		if (seen !== void 0) {
			if (seen.has(name)) return fail(`resource ${JSON.stringify(name)} is listed twice`);
			seen.add(name);
		}
		previous = name;
		return {
			name,
			algorithm,
			digest
		};
	});
	return {
		resources,
		root: checked ?? rootDigest(resources)
	};
}
/**
* The root digest of a resource list whose every digest is a string of `hexLength`
* lowercase hex digits; undefined if any is not (or is no string, or its resource no
* object). Each joined string of digests is checked and decoded in one call.
*/
function lowercaseHexRoot(resources, hexLength) {
	const h = (0, node_crypto.createHash)("sha256");
	const bytes = Buffer.allocUnsafe((HEX_JOIN + hexLength) / 2);
	const digestAt = (i) => {
		const r = resources[i];
		const digest = isObject$1(r) ? r.digest : void 0;
		return typeof digest === "string" && digest.length === hexLength ? digest : void 0;
	};
	const take = (hex) => {
		const n = bytes.write(hex, "hex");
		if (n * 2 !== hex.length || bytes.toString("hex", 0, n) !== hex) return false;
		h.update(bytes.subarray(0, n));
		return true;
	};
	return forJoinedHex(resources.length, digestAt, take) ? h.digest("hex") : void 0;
}
/** Rejects names that could point outside the model root: absolute, `..`, empty components. */
function checkResourceName(name, serialization) {
	let path = name;
	if (serialization.method === "shards") {
		const shard = parseShardName(name);
		if (!shard) return fail(`shard resource name ${JSON.stringify(name)} is not path:start:end`);
		path = shard.path;
	}
	checkPath(path);
}
function checkPath(path) {
	if (path === ".") return;
	if (path.includes("\0") || !isNormalRelative(path)) throw unverifiedError("RESOURCE_NAME_UNSAFE", `resource name ${JSON.stringify(path)} escapes or is not a plain path inside the model root`);
}
function parseLegacy(subjects) {
	if (subjects.length === 0) return fail("legacy statement has no subjects");
	const seen = /* @__PURE__ */ new Set();
	const resources = subjects.map((s, i) => {
		if (!isObject$1(s) || typeof s.name !== "string" || !isObject$1(s.digest)) return fail(`subject ${i} is malformed`);
		const digest = s.digest.sha256;
		if (typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest)) return fail(`subject ${JSON.stringify(s.name)} has no SHA-256 digest`);
		checkPath(s.name);
		if (seen.has(s.name)) return fail(`subject ${JSON.stringify(s.name)} is listed twice`);
		seen.add(s.name);
		return {
			name: s.name,
			algorithm: "sha256",
			digest
		};
	});
	return {
		manifest: {
			modelName: "",
			serialization: {
				method: "files",
				hashType: "sha256",
				allowSymlinks: false
			},
			resources,
			rootDigest: rootDigest(resources)
		},
		legacy: true
	};
}
function isObject$1(v) {
	return typeof v === "object" && v !== null && !Array.isArray(v);
}
// dist/src/bundle/dsse.js
/** The DSSE payload type of an in-toto statement. */
const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`. */
function pae(payloadType, payload) {
	return Buffer.concat(paeParts(payloadType, payload));
}
/** The PAE in pieces, the payload itself the last, for hashing without copying it (a statement can be tens of MB). */
function paeParts(payloadType, payload) {
	const type = Buffer.from(payloadType, "utf8");
	return [
		Buffer.from(`DSSEv1 ${type.length} `, "ascii"),
		type,
		Buffer.from(` ${payload.length} `, "ascii"),
		payload
	];
}
/**
* The non-standard PAE that model_signing v0.2 signed over:
* `DSSEV1 <len(type)> <type> <len(payload)> <Python repr of the payload bytes>`.
* Kept only to verify legacy bundles.
*/
function legacyPae(payloadType, payload) {
	return Buffer.from(`DSSEV1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`, "utf8");
}
/** `repr(bytes)` exactly as CPython prints it. */
function pythonBytesRepr(data) {
	const SQ = 39;
	const DQ = 34;
	const quote = data.includes(SQ) && !data.includes(DQ) ? DQ : SQ;
	let out = "b" + String.fromCharCode(quote);
	for (const b of data) if (b === quote || b === 92) out += "\\" + String.fromCharCode(b);
	else if (b === 9) out += "\\t";
	else if (b === 10) out += "\\n";
	else if (b === 13) out += "\\r";
	else if (b < 32 || b >= 127) out += "\\x" + b.toString(16).padStart(2, "0");
	else out += String.fromCharCode(b);
	return out + String.fromCharCode(quote);
}
// dist/src/bundle/bundle.js
/** The media type we write; the reference writes the same. */
const BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
/**
* The largest bundle read (and signed). Most are kilobytes, but the statement lists every
* file or shard, about 180 bytes each once base64-encoded: this leaves room for models of
* about 350,000 files, while a stray /dev/zero or huge file is still refused quickly.
*/
const MAX_BUNDLE_BYTES = 67108864;
/** Room in a bundle beside its payload: the signature, a certificate chain, a log entry. */
const BUNDLE_OVERHEAD = 1048576;
/**
* Refuses to sign a statement whose bundle would be over MAX_BUNDLE_BYTES, which no
* verifier here would read (BUNDLE_TOO_LARGE, a usage error): before signing, so a
* keyless run does not log a signature nobody can check.
*/
function checkStatementSize(payload, resources) {
	if (Math.ceil(payload.length / 3) * 4 + BUNDLE_OVERHEAD > 67108864) throw usageError("BUNDLE_TOO_LARGE", `the statement for ${resources} resources is ${payload.length} bytes, so its bundle would be over the ${MAX_BUNDLE_BYTES}-byte limit of what verifiers here read: sign fewer files, or larger shards`);
}
const ACCEPTED_MEDIA_TYPES = /* @__PURE__ */ new Set([
	BUNDLE_MEDIA_TYPE,
	"application/vnd.dev.sigstore.bundle+json;version=0.1",
	"application/vnd.dev.sigstore.bundle+json;version=0.2",
	"application/vnd.dev.sigstore.bundle+json;version=0.3"
]);
const malformed = (message) => {
	throw unverifiedError("BUNDLE_MALFORMED", `not a usable Sigstore bundle: ${message}`);
};
/** Parses a bundle file and checks its structure; throws `BUNDLE_MALFORMED` (exit 1) otherwise. */
function parseBundle(bytes) {
	if (bytes.length === 0) return malformed("the signature file is empty");
	let doc;
	try {
		doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
	} catch (err) {
		return malformed(`the signature file is not JSON (${err.message})`);
	}
	if (!isObject(doc)) return malformed("the document is not a JSON object");
	const mediaType = doc.mediaType;
	if (typeof mediaType !== "string" || !ACCEPTED_MEDIA_TYPES.has(mediaType)) return malformed(`unknown mediaType ${JSON.stringify(mediaType)}`);
	const envelope = doc.dsseEnvelope;
	if (!isObject(envelope)) return malformed(doc.messageSignature ? "it holds a message signature, not the DSSE envelope OMS uses" : "dsseEnvelope is missing");
	if (typeof envelope.payloadType !== "string") return malformed("dsseEnvelope.payloadType is missing");
	const payload = decodeBase64(envelope.payload, "dsseEnvelope.payload");
	if (payload.length === 0) return malformed("dsseEnvelope.payload is empty");
	if (!Array.isArray(envelope.signatures) || envelope.signatures.length !== 1) {
		const count = Array.isArray(envelope.signatures) ? `${envelope.signatures.length} signatures` : "no list of signatures";
		return malformed(`dsseEnvelope must hold exactly one signature, it holds ${count}`);
	}
	const s = envelope.signatures[0];
	if (!isObject(s)) return malformed("the signature is not an object");
	const sig = decodeBase64(s.sig, "the signature");
	if (sig.length === 0) return malformed("the signature is empty");
	if (s.keyid !== void 0 && s.keyid !== null && typeof s.keyid !== "string") return malformed("the signature keyid is not a string");
	const signature = {
		sig,
		keyid: s.keyid
	};
	const vm = doc.verificationMaterial;
	if (!isObject(vm)) return malformed("verificationMaterial is missing");
	const tlogEntries = vm.tlogEntries ?? [];
	if (!Array.isArray(tlogEntries)) return malformed("verificationMaterial.tlogEntries is not a list");
	return {
		mediaType,
		material: parseMaterial(vm, tlogEntries),
		tlogEntries,
		payloadType: envelope.payloadType,
		payload,
		signature,
		json: doc
	};
}
const CHAIN_MEDIA_TYPES = /* @__PURE__ */ new Set(["application/vnd.dev.sigstore.bundle+json;version=0.1", "application/vnd.dev.sigstore.bundle+json;version=0.2"]);
/** The OMS signing method a bundle was made with, from its verification material. */
function signingMethod(bundle) {
	const m = bundle.material;
	if (m.kind === "publicKey") return "key";
	if (m.kind === "certificate") return "sigstore";
	return CHAIN_MEDIA_TYPES.has(bundle.mediaType) && bundle.tlogEntries.length > 0 ? "sigstore" : "certificate";
}
/** The signer's certificate (DER): the keyless one, or the first of a chain; none for a key. */
function signingCertificate(material) {
	if (material.kind === "certificate") return material.certificate;
	return material.kind === "x509CertificateChain" ? material.certificates[0] : void 0;
}
function parseMaterial(vm, tlogEntries) {
	const kinds = [
		"publicKey",
		"x509CertificateChain",
		"certificate"
	].filter((k) => vm[k] !== void 0);
	if (kinds.length !== 1) return malformed(kinds.length === 0 ? "verificationMaterial has no key or certificate" : `verificationMaterial has ${kinds.join(" and ")}`);
	if (isObject(vm.publicKey)) {
		const { hint, rawBytes, keyDetails } = vm.publicKey;
		if (hint !== void 0 && typeof hint !== "string") return malformed("publicKey.hint is not a string");
		if (hint === void 0 && rawBytes === void 0) return malformed("publicKey has neither hint nor rawBytes");
		return {
			kind: "publicKey",
			...hint !== void 0 ? { hint } : {},
			...rawBytes !== void 0 ? { rawBytes: decodeBase64(rawBytes, "publicKey.rawBytes") } : {},
			...typeof keyDetails === "string" ? { keyDetails } : {}
		};
	}
	if (isObject(vm.x509CertificateChain)) {
		const certs = vm.x509CertificateChain.certificates;
		if (!Array.isArray(certs) || certs.length === 0) return malformed("x509CertificateChain has no certificates");
		return {
			kind: "x509CertificateChain",
			certificates: certs.map((c, i) => decodeBase64(isObject(c) ? c.rawBytes : void 0, `certificate ${i}`))
		};
	}
	if (isObject(vm.certificate)) {
		if (tlogEntries.length === 0) return malformed("a Sigstore keyless bundle must carry transparency log entries (tlogEntries)");
		return {
			kind: "certificate",
			certificate: decodeBase64(vm.certificate.rawBytes, "certificate")
		};
	}
	return malformed(`verificationMaterial.${kinds[0]} is not an object`);
}
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
function isBase64(s) {
	if (s.length % 4 !== 0 || NOT_BASE64.test(s)) return false;
	const pad = s.indexOf("=");
	return pad === -1 || pad === s.length - 1 || pad === s.length - 2 && s.charCodeAt(s.length - 1) === EQUALS;
}
const EQUALS = 61;
function decodeBase64(value, what) {
	if (typeof value !== "string" || !isBase64(value)) return malformed(`${what} is not base64`);
	return Buffer.from(value, "base64");
}
function isObject(v) {
	return typeof v === "object" && v !== null && !Array.isArray(v);
}
/**
* Writes a key or certificate bundle in the reference's shape: compact JSON,
* `tlogEntries: []` and `keyid: ""`. The bytes are those of `JSON.stringify` on the whole
* document, but the payload's base64 (most of a bundle for a model of many files) is
* written straight into the result instead of passing through a JSON string: over a
* 33 MB statement that took ~200 ms, this ~40 ms.
*/
function buildBundle(material, payload, signature) {
	const verificationMaterial = material.kind === "publicKey" ? {
		publicKey: { hint: material.hint },
		tlogEntries: []
	} : {
		x509CertificateChain: { certificates: material.certificates.map((c) => ({ rawBytes: c.toString("base64") })) },
		tlogEntries: []
	};
	const document = JSON.stringify({
		mediaType: BUNDLE_MEDIA_TYPE,
		verificationMaterial,
		dsseEnvelope: {
			payload: "",
			payloadType: IN_TOTO_PAYLOAD_TYPE,
			signatures: [{
				sig: Buffer.from(signature).toString("base64"),
				keyid: ""
			}]
		}
	});
	const at = document.indexOf(PAYLOAD_SLOT) + PAYLOAD_SLOT.length - 1;
	const [before, after] = [document.slice(0, at), document.slice(at)];
	const base64 = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64");
	const head = Buffer.byteLength(before, "utf8");
	const bytes = Buffer.allocUnsafe(head + base64.length + Buffer.byteLength(after, "utf8"));
	bytes.write(before, 0, "utf8");
	bytes.write(base64, head, "latin1");
	bytes.write(after, head + base64.length, "utf8");
	return bytes;
}
const PAYLOAD_SLOT = "\"dsseEnvelope\":{\"payload\":\"\"";
Object.defineProperty(exports, "GIT_PATHS", {
	enumerable: true,
	get: function() {
		return GIT_PATHS;
	}
});
Object.defineProperty(exports, "IN_TOTO_PAYLOAD_TYPE", {
	enumerable: true,
	get: function() {
		return IN_TOTO_PAYLOAD_TYPE;
	}
});
Object.defineProperty(exports, "LEGACY_PREDICATE_TYPE", {
	enumerable: true,
	get: function() {
		return LEGACY_PREDICATE_TYPE;
	}
});
Object.defineProperty(exports, "MAX_BUNDLE_BYTES", {
	enumerable: true,
	get: function() {
		return MAX_BUNDLE_BYTES;
	}
});
Object.defineProperty(exports, "ModelsignError", {
	enumerable: true,
	get: function() {
		return ModelsignError;
	}
});
Object.defineProperty(exports, "PREDICATE_TYPE", {
	enumerable: true,
	get: function() {
		return PREDICATE_TYPE;
	}
});
Object.defineProperty(exports, "buildBundle", {
	enumerable: true,
	get: function() {
		return buildBundle;
	}
});
Object.defineProperty(exports, "buildStatement", {
	enumerable: true,
	get: function() {
		return buildStatement;
	}
});
Object.defineProperty(exports, "causeChain", {
	enumerable: true,
	get: function() {
		return causeChain;
	}
});
Object.defineProperty(exports, "checkStatementSize", {
	enumerable: true,
	get: function() {
		return checkStatementSize;
	}
});
Object.defineProperty(exports, "comparePaths", {
	enumerable: true,
	get: function() {
		return comparePaths;
	}
});
Object.defineProperty(exports, "ignoreMatcher", {
	enumerable: true,
	get: function() {
		return ignoreMatcher;
	}
});
Object.defineProperty(exports, "inStrictPathOrder", {
	enumerable: true,
	get: function() {
		return inStrictPathOrder;
	}
});
Object.defineProperty(exports, "legacyPae", {
	enumerable: true,
	get: function() {
		return legacyPae;
	}
});
Object.defineProperty(exports, "messageOf", {
	enumerable: true,
	get: function() {
		return messageOf;
	}
});
Object.defineProperty(exports, "normalizeRelative", {
	enumerable: true,
	get: function() {
		return normalizeRelative;
	}
});
Object.defineProperty(exports, "pae", {
	enumerable: true,
	get: function() {
		return pae;
	}
});
Object.defineProperty(exports, "paeParts", {
	enumerable: true,
	get: function() {
		return paeParts;
	}
});
Object.defineProperty(exports, "parseBundle", {
	enumerable: true,
	get: function() {
		return parseBundle;
	}
});
Object.defineProperty(exports, "parseSerialization", {
	enumerable: true,
	get: function() {
		return parseSerialization;
	}
});
Object.defineProperty(exports, "parseShardName", {
	enumerable: true,
	get: function() {
		return parseShardName;
	}
});
Object.defineProperty(exports, "parseStatement", {
	enumerable: true,
	get: function() {
		return parseStatement;
	}
});
Object.defineProperty(exports, "resourceAlgorithm", {
	enumerable: true,
	get: function() {
		return resourceAlgorithm;
	}
});
Object.defineProperty(exports, "resourcePath", {
	enumerable: true,
	get: function() {
		return resourcePath;
	}
});
Object.defineProperty(exports, "rootDigest", {
	enumerable: true,
	get: function() {
		return rootDigest;
	}
});
Object.defineProperty(exports, "shardName", {
	enumerable: true,
	get: function() {
		return shardName;
	}
});
Object.defineProperty(exports, "signingCertificate", {
	enumerable: true,
	get: function() {
		return signingCertificate;
	}
});
Object.defineProperty(exports, "signingMethod", {
	enumerable: true,
	get: function() {
		return signingMethod;
	}
});
Object.defineProperty(exports, "sortByPath", {
	enumerable: true,
	get: function() {
		return sortByPath;
	}
});
Object.defineProperty(exports, "unverifiedError", {
	enumerable: true,
	get: function() {
		return unverifiedError;
	}
});
Object.defineProperty(exports, "usageError", {
	enumerable: true,
	get: function() {
		return usageError;
	}
});
