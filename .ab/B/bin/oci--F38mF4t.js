const require_core = require("./core-C9i2rC76.js");
require("./sigstore-verifier-Cwoe7_vH.js");
require("./sigstore-signer-DyBoVAIz.js");
const require_bundle = require("./bundle-DvlbyBTU.js");
let node_fs = require("node:fs");
let node_path = require("node:path");
let node_crypto = require("node:crypto");
let node_fs_promises = require("node:fs/promises");
let node_timers_promises = require("node:timers/promises");
let node_child_process = require("node:child_process");
let node_events = require("node:events");
let undici = require("undici");
let node_stream = require("node:stream");
let node_zlib = require("node:zlib");
let tar_stream = require("tar-stream");
let node_stream_promises = require("node:stream/promises");
// dist/src/oci/digest.js
const SUPPORTED = {
	sha256: {
		node: "sha256",
		hexLength: 64
	},
	sha512: {
		node: "sha512",
		hexLength: 128
	}
};
/** Why a digest cannot be used here (an unsupported algorithm, a malformed encoding), or undefined. */
function digestProblem(digest) {
	const { algorithm, hex } = splitDigest(digest);
	const spec = SUPPORTED[algorithm];
	if (!spec) return `${JSON.stringify(digest.slice(0, 200))} is not a sha256 or sha512 digest`;
	if (hex.length !== spec.hexLength || !/^[0-9a-f]+$/.test(hex)) return `${JSON.stringify(digest.slice(0, 200))} is not a ${algorithm} digest (${spec.hexLength} lower-case hex characters)`;
}
/**
* Splits and checks a digest string; anything but a well-formed sha256/sha512 is refused.
* A digest a registry sent is a failed source (the default); callers holding local input
* (a layout, a command line) say how to fail with `refuse`, which gets the problem.
*/
function parseDigest(digest, refuse) {
	const problem = digestProblem(digest);
	if (problem) throw refuse?.(problem) ?? new require_bundle.ModelsignError("remote", "BAD_DIGEST", `unsupported or malformed digest ${JSON.stringify(digest)}`);
	return splitDigest(digest);
}
function splitDigest(digest) {
	const colon = digest.indexOf(":");
	return colon === -1 ? {
		algorithm: "",
		hex: ""
	} : {
		algorithm: digest.slice(0, colon),
		hex: digest.slice(colon + 1)
	};
}
const sha256Digest = (bytes) => `sha256:${(0, node_crypto.createHash)("sha256").update(bytes).digest("hex")}`;
function digestOf(bytes, algorithm) {
	return `${algorithm}:${(0, node_crypto.createHash)(SUPPORTED[algorithm].node).update(bytes).digest("hex")}`;
}
/**
* Passes bytes through while hashing them, and fails at the end (or as soon as the size
* is exceeded) when they are not the expected content.
*/
async function* verifiedStream(source, expected, what, kind = "remote") {
	const { algorithm, hex } = parseDigest(expected.digest);
	const hash = (0, node_crypto.createHash)(SUPPORTED[algorithm].node);
	let size = 0;
	for await (const chunk of source) {
		size += chunk.length;
		if (expected.size !== void 0 && size > expected.size) throw new require_bundle.ModelsignError(kind, "DIGEST_MISMATCH", `${what} is larger than its descriptor's ${expected.size} bytes`);
		hash.update(chunk);
		yield chunk;
	}
	if (expected.size !== void 0 && size !== expected.size) throw new require_bundle.ModelsignError(kind, "DIGEST_MISMATCH", `${what} has ${size} bytes, its descriptor says ${expected.size}`);
	const actual = hash.digest("hex");
	if (actual !== hex) throw new require_bundle.ModelsignError(kind, "DIGEST_MISMATCH", `${what} does not match its digest: expected ${expected.digest}, got ${algorithm}:${actual}`);
}
// dist/src/oci/media-types.js
/** Media types this client reads and writes. */
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST_TYPES = [
	OCI_MANIFEST,
	OCI_INDEX,
	"application/vnd.docker.distribution.manifest.v2+json",
	"application/vnd.docker.distribution.manifest.list.v2+json"
];
/** The empty config `{}`. */
const EMPTY_CONFIG = {
	mediaType: "application/vnd.oci.empty.v1+json",
	digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	size: 2
};
const SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
const MODELPACK_ARTIFACT = "application/vnd.cncf.model.manifest.v1+json";
const MODELPACK_CONFIG = "application/vnd.cncf.model.config.v1+json";
const ANNOTATION_FILEPATH = "org.cncf.model.filepath";
const ANNOTATION_TITLE = "org.opencontainers.image.title";
const ANNOTATION_CREATED = "org.opencontainers.image.created";
/** The largest manifest accepted; the distribution spec lets registries refuse above 4 MiB. */
const MAX_MANIFEST_BYTES = 4194304;
// dist/src/oci/manifest-shape.js
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
/**
* What is wrong with the shape of a parsed manifest (image manifest, or index when the
* media type says so), or undefined when every field this client reads has the type the
* OCI image spec gives it. Fields it does not read are not checked.
*/
function manifestShapeProblem(json, mediaType) {
	if (!isObject(json)) return "is not a JSON object";
	if (json.schemaVersion !== 2) return `has schemaVersion ${JSON.stringify(json.schemaVersion)}, not 2`;
	const common = fieldsProblem(json, "has");
	if (common) return common;
	if (mediaType === "application/vnd.oci.image.index.v1+json" || mediaType === "application/vnd.docker.distribution.manifest.list.v2+json") return descriptorsProblem(json.manifests, "manifests");
	return descriptorProblem(json.config, "config") ?? descriptorsProblem(json.layers, "layers") ?? (json.subject === void 0 ? void 0 : descriptorProblem(json.subject, "subject"));
}
/** What is wrong with a list of descriptors (an index's `manifests`, a manifest's `layers`), if anything. */
function descriptorsProblem(list, where) {
	if (!Array.isArray(list)) return `has no ${where} array`;
	for (let i = 0; i < list.length; i += 1) {
		const problem = descriptorProblem(list[i], `${where}[${i}]`);
		if (problem) return problem;
	}
}
function descriptorProblem(d, where) {
	if (!isObject(d)) return `has a ${where} that is not a descriptor object`;
	if (typeof d.mediaType !== "string") return `has a ${where} without a mediaType string`;
	if (typeof d.digest !== "string" || !require_core.isDigestString(d.digest)) return `has a ${where} whose digest ${JSON.stringify(d.digest)?.slice(0, 100)} is not a digest`;
	if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0) return `has a ${where} whose size ${JSON.stringify(d.size)?.slice(0, 40)} is not a byte count`;
	return fieldsProblem(d, `has a ${where} with`);
}
/** The optional fields manifests and descriptors share: `artifactType`, a string, and `annotations`, a map of strings. */
function fieldsProblem(o, prefix) {
	if (o.artifactType !== void 0 && typeof o.artifactType !== "string") return `${prefix} an artifactType that is not a string`;
	const a = o.annotations;
	if (a !== void 0 && (!isObject(a) || Object.values(a).some((value) => typeof value !== "string"))) return `${prefix} annotations that are not a map of strings`;
}
// dist/src/oci/manifest-check.js
/**
* Checks manifest bytes however they were fetched: first that they are the content asked
* for (when a digest is known), then that they are a JSON manifest of a supported media
* type (taken from the manifest, else from what the store says) whose fields have the
* types the image spec gives them (so code reading it can trust them).
*/
function checkManifest(bytes, expected, what, kinds) {
	const digest = digestOf(bytes, expected.digest ? parseDigest(expected.digest).algorithm : "sha256");
	if (expected.digest && expected.digest !== digest) throw new require_bundle.ModelsignError(kinds.integrity, "DIGEST_MISMATCH", `${what} does not match its digest: expected ${expected.digest}, got ${digest}`);
	let json;
	try {
		json = JSON.parse(bytes.toString("utf8"));
	} catch {
		throw new require_bundle.ModelsignError(kinds.format, "MANIFEST_INVALID", `${what} is not JSON`);
	}
	const declared = json?.mediaType;
	const mediaType = typeof declared === "string" ? declared : expected.mediaType ?? "";
	if (!MANIFEST_TYPES.includes(mediaType)) throw new require_bundle.ModelsignError(kinds.format, "MEDIA_TYPE_UNSUPPORTED", `${what} has unsupported media type ${JSON.stringify(mediaType)}`);
	const problem = manifestShapeProblem(json, mediaType);
	if (problem) throw new require_bundle.ModelsignError(kinds.format, "MANIFEST_INVALID", `${what} ${problem}`);
	return {
		descriptor: {
			mediaType,
			digest,
			size: bytes.length
		},
		bytes,
		json
	};
}
// dist/src/oci/transport.js
const RETRY_STATUS = /* @__PURE__ */ new Set([
	429,
	500,
	502,
	503,
	504
]);
const RETRY_CODES = /* @__PURE__ */ new Set([
	"ECONNRESET",
	"ETIMEDOUT",
	"EPIPE",
	"UND_ERR_SOCKET",
	"UND_ERR_CONNECT_TIMEOUT",
	"UND_ERR_HEADERS_TIMEOUT"
]);
const SILENCE_CODES = /* @__PURE__ */ new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
const HEADERS_TIMEOUT_MS = 3e4;
const UPLOAD_HEADERS_TIMEOUT_MS = 3e5;
const BODY_TIMEOUT_MS = 6e4;
const MAX_REDIRECTS = 5;
const MAX_RETRY_WAIT_MS = 3e4;
const MAX_TOKEN_RESPONSE_BYTES = 1048576;
/**
* HTTP to one registry: authentication (anonymous, Basic, Bearer token challenges with
* scopes, tokens cached per scope), retries with backoff honouring Retry-After, and
* redirects followed by hand so `Authorization` never reaches another origin.
*/
var RegistryTransport = class {
	registry;
	options;
	baseUrl;
	/** Scheme, host and port: what credentials are for (a downgrade to http is another origin). */
	origin;
	tokens = /* @__PURE__ */ new Map();
	basic;
	challenge;
	sent;
	constructor(registry, options) {
		this.registry = registry;
		this.options = options;
		const host = require_core.apiHost(registry);
		this.baseUrl = `${options.plainHttp || require_core.isLoopback(registry) ? "http" : "https"}://${host}`;
		this.origin = new URL(this.baseUrl).origin;
	}
	/** Sends a request, authenticating and retrying as needed. The caller consumes the body. */
	async send(req) {
		let authRetried = false;
		for (let attempt = 0;; attempt += 1) {
			let res;
			try {
				res = await this.sendFollowingRedirects(req, await this.authorization(req.scope));
			} catch (err) {
				const code = err.code ?? "";
				if (RETRY_CODES.has(code) && attempt < (SILENCE_CODES.has(code) ? Math.min(1, this.retries) : this.retries)) {
					await (0, node_timers_promises.setTimeout)(backoff(attempt));
					continue;
				}
				if (err instanceof require_bundle.ModelsignError) throw err;
				const silent = code === "UND_ERR_HEADERS_TIMEOUT" ? ` (no answer within ${this.headersTimeout(req.method) / 1e3} s)` : "";
				throw new require_bundle.ModelsignError("remote", "NETWORK", `cannot reach ${this.registry}: ${err.message}${code ? ` (${code})` : ""}${silent}`, { cause: err });
			}
			if (res.statusCode === 401 && new URL(res.url).origin !== this.origin) {
				await res.body.dump();
				throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `${new URL(res.url).origin}, where ${this.registry} sent the request, asks for credentials (401); those for ${this.registry} go to its own origin (and the token service it names) only`);
			}
			if (res.statusCode === 401 && !authRetried) {
				const challenge = parseChallenge(header(res.headers, "www-authenticate"));
				await res.body.dump();
				if (!challenge) throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `${this.registry} refused the request (401) without an authentication challenge`);
				this.challenge = challenge;
				this.tokens.clear();
				authRetried = true;
				continue;
			}
			if (res.statusCode === 401) {
				await res.body.dump();
				throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", this.refusal(req));
			}
			if (RETRY_STATUS.has(res.statusCode) && attempt < this.retries) {
				const wait = retryAfter(header(res.headers, "retry-after")) ?? backoff(attempt);
				await res.body.dump();
				await (0, node_timers_promises.setTimeout)(Math.min(wait, MAX_RETRY_WAIT_MS));
				continue;
			}
			return res;
		}
	}
	/** Why a request answered 401 twice: the credentials sent (named with their source), or anonymous access, refused. */
	refusal(req) {
		const request = `401 to ${req.method} ${new URL(req.url, this.baseUrl).pathname}`;
		if (this.sent === void 0) return `${this.registry} refused anonymous access to ${req.scope} (${request}): log in with docker login or pass --username/--password-stdin`;
		const creds = require_core.describeCredentials(this.sent);
		if (this.challenge?.scheme === "basic") return `${this.registry} refused ${creds} (${request}): check them, or log in again`;
		return `${this.registry} refused the token its token service gave for ${creds}, for ${req.scope} (${request}): they do not give that access`;
	}
	get retries() {
		return this.options.retries ?? 4;
	}
	headersTimeout(method) {
		return method === "GET" || method === "HEAD" ? this.options.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS : UPLOAD_HEADERS_TIMEOUT_MS;
	}
	/** undici's timeouts for a request of this method (see TransportOptions.timeouts). */
	timeoutsFor(method) {
		return {
			headersTimeout: this.headersTimeout(method),
			bodyTimeout: this.options.timeouts?.bodyMs ?? BODY_TIMEOUT_MS
		};
	}
	async sendFollowingRedirects(req, authorization) {
		let url = new URL(req.url, this.baseUrl);
		if (this.origin.startsWith("https:") && url.protocol !== "https:") throw new require_bundle.ModelsignError("remote", "HTTPS_DOWNGRADE", `${this.registry}, reached over HTTPS, named ${plainTarget(url)} for ${req.method} ${url.pathname} (an upload location or a next-page link); refused: the registry should keep to HTTPS`);
		for (let hops = 0;; hops += 1) {
			const sameOrigin = url.origin === this.origin;
			const headers = {
				"user-agent": "modelsign",
				...req.headers,
				...authorization && sameOrigin ? { authorization } : {}
			};
			const res = await (0, undici.request)(url, {
				method: req.method,
				headers,
				body: req.body?.() ?? null,
				...this.timeoutsFor(req.method)
			});
			const location = header(res.headers, "location");
			if (!([
				301,
				302,
				303,
				307,
				308
			].includes(res.statusCode) && location && (req.method === "GET" || req.method === "HEAD"))) return {
				statusCode: res.statusCode,
				headers: res.headers,
				body: res.body,
				url: url.toString()
			};
			await res.body.dump();
			if (hops >= MAX_REDIRECTS) throw new require_bundle.ModelsignError("remote", "TOO_MANY_REDIRECTS", `${this.registry} redirected more than ${MAX_REDIRECTS} times`);
			let next;
			try {
				next = new URL(location, url);
			} catch (err) {
				throw new require_bundle.ModelsignError("remote", "REGISTRY_ERROR", `${this.registry} redirected to ${JSON.stringify(location).slice(0, 200)}, which is not a URL`, { cause: err });
			}
			if (url.protocol === "https:" && next.protocol !== "https:") throw new require_bundle.ModelsignError("remote", "HTTPS_DOWNGRADE", `${this.registry} redirected ${req.method} ${url.pathname} from HTTPS to ${plainTarget(next)}; refused: the registry's storage should be served over HTTPS`);
			url = next;
		}
	}
	/** The Authorization header for a scope, after the registry has said how it wants it. */
	async authorization(scope) {
		const challenge = this.challenge;
		if (!challenge) return void 0;
		if (challenge.scheme === "basic") {
			if (this.basic === void 0) {
				const creds = await this.options.credentials(this.registry);
				if (creds?.kind !== "basic") throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `${this.registry} asks for a username and password; log in with docker login or pass --username/--password-stdin`);
				this.basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
				this.sent = creds;
			}
			return this.basic;
		}
		const key = `${challenge.params.realm}|${challenge.params.service}|${scope}`;
		const cached = this.tokens.get(key);
		if (cached && cached.expires > Date.now()) return `Bearer ${cached.value}`;
		const token = await this.fetchToken(challenge, scope);
		this.tokens.set(key, token);
		return `Bearer ${token.value}`;
	}
	async fetchToken(challenge, scope) {
		const realm = challenge.params.realm;
		if (!realm) throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `${this.registry} sent a Bearer challenge without a realm`);
		let url;
		try {
			url = new URL(realm);
		} catch (err) {
			throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `${this.registry} sent a Bearer challenge whose realm ${JSON.stringify(realm).slice(0, 200)} is not a URL`, { cause: err });
		}
		if (this.origin.startsWith("https:") && url.protocol !== "https:") throw new require_bundle.ModelsignError("remote", "HTTPS_DOWNGRADE", `${this.registry}, reached over HTTPS, names its token service on ${plainTarget(url)}; refused: no credentials or tokens are sent or asked for there`);
		const creds = await this.options.credentials(this.registry);
		this.sent = creds;
		const service = challenge.params.service;
		let res;
		try {
			if (creds?.kind === "identity-token") {
				const form = new URLSearchParams({
					grant_type: "refresh_token",
					refresh_token: creds.token,
					client_id: "modelsign",
					scope,
					...service ? { service } : {}
				});
				res = await (0, undici.request)(url, {
					method: "POST",
					headers: { "content-type": "application/x-www-form-urlencoded" },
					body: form.toString(),
					...this.timeoutsFor("GET")
				});
			} else {
				if (service) url.searchParams.set("service", service);
				for (const s of scope.split(" ")) url.searchParams.append("scope", s);
				res = await (0, undici.request)(url, {
					method: "GET",
					headers: creds ? { authorization: basicHeader(creds) } : {},
					...this.timeoutsFor("GET")
				});
			}
		} catch (err) {
			throw new require_bundle.ModelsignError("remote", "NETWORK", `cannot reach the token service ${url.origin}: ${err.message}`, { cause: err });
		}
		if (res.statusCode !== 200) {
			await res.body.dump();
			if (creds?.kind === "identity-token" && res.statusCode === 404) throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `the token service ${url.origin} does not offer OAuth2 (404 to POST), which an identity token needs; log in with a username and password instead`);
			throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `the token service ${url.origin} refused ${creds ? require_core.describeCredentials(creds) : "anonymous access"} for ${scope} (${res.statusCode})`);
		}
		const body = (await readBody(res.body, MAX_TOKEN_RESPONSE_BYTES))?.toString("utf8") ?? "";
		let json;
		try {
			json = JSON.parse(body);
		} catch (err) {
			throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `the token service ${url.origin} answered with something that is not JSON`, { cause: err });
		}
		const { token, access_token: accessToken, expires_in: expiresIn } = typeof json === "object" && json !== null ? json : {};
		const value = typeof token === "string" && token !== "" ? token : accessToken;
		if (typeof value !== "string" || value === "") throw new require_bundle.ModelsignError("remote", "AUTH_FAILED", `the token service ${url.origin} answered without a token`);
		const lifetime = typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60;
		return {
			value,
			expires: Date.now() + Math.max(10, lifetime - 10) * 1e3
		};
	}
};
function basicHeader(creds) {
	if (creds.kind !== "basic") throw require_bundle.usageError("BAD_CREDENTIALS", "an identity token cannot be sent as Basic credentials");
	return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
}
/**
* A response body read whole, or undefined once it passes `cap` bytes (the rest is not
* read): a server's answer is never held beyond the size it should have.
*/
async function readBody(body, cap) {
	const chunks = [];
	let size = 0;
	for await (const chunk of networkBody(body, "an answer")) {
		size += chunk.length;
		if (size > cap) {
			body.destroy();
			return;
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}
/**
* A response body whose connection breaks or stalls mid-way fails as NETWORK (exit 3),
* naming what was being read, not with undici's own error.
*/
async function* networkBody(body, what) {
	try {
		for await (const chunk of body) yield chunk;
	} catch (err) {
		if (err instanceof require_bundle.ModelsignError) throw err;
		const e = err;
		const why = e.code === "UND_ERR_BODY_TIMEOUT" ? "the registry stopped sending" : "the connection broke";
		throw new require_bundle.ModelsignError("remote", "NETWORK", `reading ${what}: ${why} (${e.code ?? e.message})`, { cause: err });
	}
}
/** Where a request would go instead of HTTPS, for messages: `plain HTTP (http://host:port)` or the scheme. */
const plainTarget = (url) => url.protocol === "http:" ? `plain HTTP (${url.origin})` : JSON.stringify(url.protocol);
function header(headers, name) {
	const v = headers[name];
	return Array.isArray(v) ? v[0] : v;
}
/** Parses `Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`. */
function parseChallenge(value) {
	if (!value) return void 0;
	const m = /^\s*(\w+)\s*(.*)$/.exec(value);
	if (!m) return void 0;
	const scheme = m[1].toLowerCase();
	if (scheme !== "basic" && scheme !== "bearer") return void 0;
	const params = {};
	for (const p of m[2].matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? "";
	return {
		scheme,
		params
	};
}
function retryAfter(value) {
	if (!value) return void 0;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
	const date = Date.parse(value);
	return Number.isNaN(date) ? void 0 : Math.max(0, date - Date.now());
}
/** Exponential backoff with jitter: ~0.25 s, 0.5 s, 1 s, 2 s... */
const backoff = (attempt) => Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** attempt) * (.5 + Math.random() / 2);
// dist/src/oci/repository.js
const FROM_REGISTRY = {
	integrity: "remote",
	format: "remote"
};
const CHUNK_BYTES = 67108864;
const MAX_REFERRER_PAGES = 1e3;
const MAX_REFERRERS_BYTES = 67108864;
const MAX_ERROR_BODY_BYTES = 65536;
/** One repository on one registry, spoken to with the OCI distribution API. */
var RegistryRepository = class {
	reference;
	transport;
	name;
	target;
	local = false;
	constructor(reference, options) {
		this.reference = reference;
		this.transport = new RegistryTransport(reference.registry, options);
		this.name = `oci://${reference.registry}/${reference.repository}`;
		this.target = require_core.referenceTarget(reference);
	}
	get path() {
		return this.reference.repository;
	}
	scope(push = false) {
		return `repository:${this.path}:${push ? "pull,push" : "pull"}`;
	}
	/**
	* Fetches a manifest by tag or digest. Refuses more than 4 MiB and unknown media types,
	* and checks the bytes against the digest asked for (or the one the registry claims).
	*/
	async fetchManifest(target) {
		const res = await this.transport.send({
			method: "GET",
			url: `/v2/${this.path}/manifests/${target}`,
			headers: { accept: MANIFEST_TYPES.join(", ") },
			scope: this.scope()
		});
		await expectStatus(res, [200], `manifest ${this.describe(target)}`);
		const bytes = await readCapped(res, MAX_MANIFEST_BYTES, `manifest ${this.describe(target)}`);
		const contentType = (header(res.headers, "content-type") ?? "").split(";")[0].trim();
		const claimed = target.includes(":") ? target : header(res.headers, "docker-content-digest");
		const checked = checkManifest(bytes, {
			...claimed ? { digest: claimed } : {},
			mediaType: contentType
		}, `manifest ${this.describe(target)}`, FROM_REGISTRY);
		const etag = header(res.headers, "etag");
		return {
			...checked,
			...etag ? { etag } : {}
		};
	}
	/** Fetches a manifest if it exists; undefined on 404. */
	async fetchManifestIfExists(target) {
		try {
			return await this.fetchManifest(target);
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError && err.code === "NOT_FOUND") return void 0;
			throw err;
		}
	}
	/** Pushes manifest bytes under a tag or their digest. */
	async pushManifest(bytes, mediaType, target, ifMatch) {
		const digest = digestOf(bytes, "sha256");
		const res = await this.transport.send({
			method: "PUT",
			url: `/v2/${this.path}/manifests/${target ?? digest}`,
			headers: {
				"content-type": mediaType,
				...ifMatch ? { "if-match": ifMatch } : {}
			},
			body: () => bytes,
			scope: this.scope(true)
		});
		if (res.statusCode === 412) {
			await res.body.dump();
			throw remote("PRECONDITION_FAILED", `manifest ${this.describe(target ?? digest)} changed since it was read`);
		}
		await expectStatus(res, [201, 200], `pushing manifest ${this.describe(target ?? digest)}`);
		await res.body.dump();
		return {
			descriptor: {
				mediaType,
				digest,
				size: bytes.length
			},
			subjectIndexed: header(res.headers, "oci-subject") !== void 0
		};
	}
	/** Streams a blob, checking its size and digest as the bytes arrive. */
	async *fetchBlob(descriptor) {
		parseDigest(descriptor.digest);
		const res = await this.transport.send({
			method: "GET",
			url: `/v2/${this.path}/blobs/${descriptor.digest}`,
			scope: this.scope()
		});
		await expectStatus(res, [200], `blob ${descriptor.digest}`);
		const what = `blob ${descriptor.digest} of ${this.describe(this.target)}`;
		yield* verifiedStream(networkBody(res.body, what), descriptor, what);
	}
	async blobExists(digest) {
		const res = await this.transport.send({
			method: "HEAD",
			url: `/v2/${this.path}/blobs/${digest}`,
			scope: this.scope(true)
		});
		await res.body.dump();
		if (res.statusCode === 200) return true;
		if (res.statusCode === 404) return false;
		throw statusError(res, `checking blob ${digest}`);
	}
	/**
	* Uploads a blob unless the registry has it: one PUT for small blobs, PATCH chunks then
	* the closing PUT for large ones. `open` gives the bytes from `offset`, so a retried
	* request can send them again. With `mountFrom` (a repository on the same registry) the
	* registry is first asked to mount the blob from there.
	*/
	async pushBlob(descriptor, open, mountFrom) {
		if (await this.blobExists(descriptor.digest)) return;
		const mount = mountFrom ? `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}` : "";
		const scope = mountFrom ? `${this.scope(true)} repository:${mountFrom}:pull` : this.scope(true);
		const start = await this.transport.send({
			method: "POST",
			url: `/v2/${this.path}/blobs/uploads/${mount}`,
			scope
		});
		if (mountFrom && start.statusCode === 201) {
			await start.body.dump();
			return;
		}
		await expectStatus(start, [202], `starting an upload of ${descriptor.digest}`);
		await start.body.dump();
		let location = uploadLocation(start);
		if (descriptor.size > CHUNK_BYTES) for (let offset = 0; offset < descriptor.size; offset += CHUNK_BYTES) {
			const end = Math.min(offset + CHUNK_BYTES, descriptor.size);
			const patch = await this.transport.send({
				method: "PATCH",
				url: location,
				headers: {
					"content-type": "application/octet-stream",
					"content-length": String(end - offset),
					"content-range": `${offset}-${end - 1}`
				},
				body: () => open(offset, end),
				scope: this.scope(true)
			});
			await expectStatus(patch, [202], `uploading ${descriptor.digest}`);
			await patch.body.dump();
			location = uploadLocation(patch);
		}
		const url = new URL(location, this.transport.baseUrl);
		url.searchParams.set("digest", descriptor.digest);
		const monolithic = descriptor.size <= CHUNK_BYTES;
		const put = await this.transport.send({
			method: "PUT",
			url: url.toString(),
			headers: {
				"content-type": "application/octet-stream",
				"content-length": monolithic ? String(descriptor.size) : "0"
			},
			body: () => monolithic ? open(0, descriptor.size) : Buffer.alloc(0),
			scope: this.scope(true)
		});
		await expectStatus(put, [201], `finishing the upload of ${descriptor.digest}`);
		await put.body.dump();
	}
	/**
	* Lists the manifests that refer to `subject`: the referrers API, or on 404 the tag
	* schema's `sha256-<hex>` index. Filters by artifact type on our side too.
	*/
	async referrers(subject, artifactType) {
		let url = `/v2/${this.path}/referrers/${subject}${artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ""}`;
		const found = [];
		const what = `the referrers of ${subject} in ${this.name}`;
		const seen = /* @__PURE__ */ new Set();
		let bytes = 0;
		for (let page = 0; url; page += 1) {
			if (seen.has(url)) throw remote("REGISTRY_ERROR", `${what}: the pages loop back to ${url}`);
			if (page === MAX_REFERRER_PAGES) throw remote("REGISTRY_ERROR", `${what} run over ${MAX_REFERRER_PAGES} pages`);
			seen.add(url);
			const res = await this.transport.send({
				method: "GET",
				url,
				headers: { accept: OCI_INDEX },
				scope: this.scope()
			});
			if (res.statusCode === 404 && page === 0) {
				await res.body.dump();
				return {
					descriptors: filterType((await this.fetchManifestIfExists(fallbackTag(subject)))?.json?.manifests ?? [], artifactType),
					via: "tag"
				};
			}
			await expectStatus(res, [200], `listing referrers of ${subject}`);
			const body = await readCapped(res, MAX_MANIFEST_BYTES, `referrers of ${subject}`);
			bytes += body.length;
			if (bytes > MAX_REFERRERS_BYTES) throw remote("REGISTRY_ERROR", `${what} take over ${MAX_REFERRERS_BYTES} bytes`);
			found.push(...referrersPage(body, what));
			url = nextLink(header(res.headers, "link"));
		}
		return {
			descriptors: filterType(found, artifactType),
			via: "api"
		};
	}
	describe(target) {
		return `${this.name}${target.includes(":") ? "@" : ":"}${target}`;
	}
};
/** The descriptors of one page of the referrers API: an image index, checked like any manifest. */
function referrersPage(bytes, what) {
	let json;
	try {
		json = JSON.parse(bytes.toString("utf8"));
	} catch {
		throw remote("MANIFEST_INVALID", `${what} are not JSON`);
	}
	const problem = manifestShapeProblem(json, OCI_INDEX);
	if (problem) throw remote("MANIFEST_INVALID", `${what}: the index ${problem}`);
	return json.manifests;
}
/** The tag the referrers tag schema uses for a subject digest: `sha256-<hex>`. */
const fallbackTag = (subject) => subject.replace(":", "-");
function filterType(descriptors, artifactType) {
	return artifactType ? descriptors.filter((d) => d.artifactType === artifactType) : [...descriptors];
}
function nextLink(link) {
	return link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1] : void 0;
}
function uploadLocation(res) {
	const location = header(res.headers, "location");
	if (!location) throw remote("UPLOAD_FAILED", "the registry started an upload without a Location");
	return new URL(location, res.url).toString();
}
async function readCapped(res, cap, what) {
	const declared = Number(header(res.headers, "content-length") ?? NaN);
	if (declared > cap) {
		await res.body.dump();
		throw remote("MANIFEST_TOO_LARGE", `${what} is ${declared} bytes, over the ${cap}-byte limit`);
	}
	const bytes = await readBody(res.body, cap);
	if (!bytes) throw remote("MANIFEST_TOO_LARGE", `${what} is over the ${cap}-byte limit`);
	return bytes;
}
async function expectStatus(res, ok, what) {
	if (ok.includes(res.statusCode)) return;
	throw statusError(res, what, await errorDetail(res));
}
function statusError(res, what, detail = "") {
	const code = res.statusCode === 404 ? "NOT_FOUND" : res.statusCode === 401 || res.statusCode === 403 ? "AUTH_FAILED" : detail.includes("MANIFEST_BLOB_UNKNOWN") ? "MANIFEST_BLOB_UNKNOWN" : "REGISTRY_ERROR";
	return remote(code, `${what}: the registry answered ${res.statusCode}${detail ? ` (${detail})` : ""}`);
}
/** The distribution spec's `{errors: [{code, message}]}`, summarized. */
async function errorDetail(res) {
	try {
		const text = (await readBody(res.body, MAX_ERROR_BODY_BYTES))?.toString("utf8") ?? "";
		return (JSON.parse(text).errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ");
	} catch {
		return "";
	}
}
const remote = (code, message) => new require_bundle.ModelsignError("remote", code, message);
// dist/src/oci/layout.js
const REF_NAME = "org.opencontainers.image.ref.name";
const MAX_INDEX_BYTES = 67108864;
const IN_LAYOUT = {
	integrity: "unverified",
	format: "usage"
};
const KNOWN_ALGORITHM = /^sha(?:256|512):/;
const EMPTY_INDEX = {
	schemaVersion: 2,
	mediaType: OCI_INDEX,
	manifests: []
};
const LOCK_FILE = "index.json.lock";
const LOCK_WAIT_MS = 1e4;
/**
* `oci-layout:PATH[:tag|@digest]` split into its parts: PATH ends at its first `:` or `@`,
* and what follows must be a tag or a digest. A path holding `:` or `@` itself could not be
* told from one (`lay:bad/tag` is a bad tag, or a directory `lay:bad`?), so it is refused
* rather than guessed at (tools that take such paths disagree on where they end).
* The tag or digest is checked here, as local input (exit 2), before anything is read or
* created.
*/
function parseLayoutReference(input) {
	const rest = input.slice(11);
	const end = rest.search(/[:@]/);
	const path = end === -1 ? rest : rest.slice(0, end);
	if (!path) throw require_bundle.usageError("BAD_REFERENCE", `${input}: names no layout directory (oci-layout:PATH[:tag|@digest])`);
	if (end === -1) return {
		path,
		target: "latest"
	};
	const target = rest.slice(end + 1);
	const hint = /[/@]/.test(target) ? `; the layout path ends at its first ':' or '@', so a path holding either cannot be named here` : "";
	if (rest[end] === "@") {
		const problem = digestProblem(target);
		if (problem) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${problem}${hint}`);
	} else if (!require_core.isTag(target)) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${JSON.stringify(target.slice(0, 200))} is not a valid tag (1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-')${hint}`);
	return {
		path,
		target
	};
}
/**
* An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), as skopeo
* and oras read and write it. Blobs are written to a temporary name, checked and renamed;
* `index.json` is replaced atomically, its read-modify-write done holding a lock file beside
* it so that writers in several processes do not lose each other's entries. Referrers are
* manifests listed in `index.json` whose `subject` names the digest.
*/
var OciLayout = class OciLayout {
	root;
	target;
	path;
	name;
	local = true;
	writing = Promise.resolve();
	pending = false;
	creating;
	madeDirectories = [];
	madeFiles = [];
	createdIndex;
	untrackCreated;
	constructor(root, target, path) {
		this.root = root;
		this.target = target;
		this.path = path;
		this.name = `oci-layout:${root}`;
	}
	/**
	* Opens a layout; `create` lets a push make one where none exists, when it first writes.
	* An `index.json` already there (a directory without `oci-layout`) is kept if it is an
	* image index and refused (LAYOUT_INVALID) if not: never replaced.
	*/
	static async open(reference, options = {}) {
		const { path, target } = parseLayoutReference(reference);
		const layout = new OciLayout((0, node_path.resolve)(path), target, path);
		if (await require_core.readSmallFile((0, node_path.join)(layout.root, "oci-layout"), 4194304).catch(() => void 0) === void 0) {
			if (!options.create) throw require_bundle.usageError("LAYOUT_NOT_FOUND", `${path} is not an OCI image layout (no oci-layout file)`);
			if (!await layout.existingIndex()) await layout.refuseOtherContent();
			layout.pending = true;
		}
		return layout;
	}
	/**
	* A directory that holds something, but neither `oci-layout` nor `index.json`, is not a
	* layout: a model directory named by mistake would get blobs/, index.json and oci-layout
	* written among its files. Refused (NOT_A_LAYOUT); a new or empty directory is made one.
	*/
	async refuseOtherContent() {
		const entries = await (0, node_fs_promises.readdir)(this.root).catch(() => []);
		if (entries.length === 0) return;
		throw require_bundle.usageError("NOT_A_LAYOUT", `${this.path} is a directory that is neither empty nor an OCI image layout (no oci-layout or index.json, but ${entries.length} other entr${entries.length === 1 ? "y" : "ies"}); push makes a layout only in a new or empty directory or adds to an existing layout: name another directory`);
	}
	/** Whether index.json exists; one that is not an image index is refused, naming the file. */
	async existingIndex() {
		const file = (0, node_path.join)(this.root, "index.json");
		if (!await (0, node_fs_promises.stat)(file).then(() => true, (err) => {
			if (err.code === "ENOENT" || err.code === "ENOTDIR") return false;
			throw require_bundle.usageError("LAYOUT_INVALID", `cannot read ${file}: ${err.message}`, err);
		})) return false;
		const loaded = await this.loadIndex();
		if ("problem" in loaded) throw require_bundle.usageError("LAYOUT_INVALID", `${file} exists but ${loaded.problem}; it is not replaced: move it away, or push to another directory`, loaded.cause);
		return true;
	}
	/** Makes a pending layout, once: directories, index.json unless one is there, the oci-layout marker last. */
	prepare() {
		if (!this.pending) return Promise.resolve();
		this.creating ??= this.create().then(() => {
			this.pending = false;
		}, (err) => {
			this.creating = void 0;
			throw err;
		});
		return this.creating;
	}
	async create() {
		this.untrackCreated ??= require_core.trackPendingCleanup(() => this.discardCreatedNow());
		try {
			this.madeDirectories.push(...await require_core.makeDirectories((0, node_path.join)(this.root, "blobs")));
			await this.withIndexLock(async () => {
				const marker = (0, node_path.join)(this.root, "oci-layout");
				const ours = !await (0, node_fs_promises.stat)(marker).then(() => true, () => false);
				if (!await this.existingIndex()) {
					await this.writeIndex(EMPTY_INDEX);
					this.madeFiles.push((0, node_path.join)(this.root, "index.json"));
				}
				if (ours) {
					this.createdIndex = JSON.stringify(await this.readIndex());
					await require_core.replaceFile(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
					this.madeFiles.push(marker);
				}
			});
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError) throw err;
			throw require_bundle.usageError("LAYOUT_INVALID", `cannot create an OCI image layout at ${this.path}: ${err.message}`, err);
		}
	}
	/**
	* After a push that failed: if this object made the layout, removes what it wrote (blobs,
	* index.json, oci-layout, the directories it made), so a failed push to a new layout leaves
	* none. Nothing is removed once index.json has changed since (another process recorded a
	* manifest), nor from a layout that was there before.
	*/
	async discardCreated() {
		this.untrackCreated?.();
		if (this.createdIndex === void 0) return;
		if (await this.withIndexLock(async () => {
			const now = await this.loadIndex();
			if (!("index" in now) || JSON.stringify(now.index) !== this.createdIndex) return false;
			for (const file of [...this.madeFiles].reverse()) await (0, node_fs_promises.rm)(file, { force: true });
			return true;
		}).catch(() => false)) await require_core.removeEmptyDirectories(this.madeDirectories);
		this.createdIndex = void 0;
	}
	/**
	* discardCreated for a process ending on a signal, which cannot wait for promises: the same
	* removals, synchronously. The lock is taken without waiting: if another process holds it,
	* it is recording something in the layout, which then is not this run's alone and stays.
	* Directories this object made are removed if empty either way.
	*/
	discardCreatedNow() {
		const created = this.createdIndex;
		if (created !== void 0) try {
			require_core.withFileLockNow((0, node_path.join)(this.root, LOCK_FILE), () => {
				if (JSON.stringify(JSON.parse((0, node_fs.readFileSync)((0, node_path.join)(this.root, "index.json"), "utf8"))) === created) for (const file of [...this.madeFiles].reverse()) (0, node_fs.rmSync)(file, { force: true });
			});
		} catch {}
		require_core.removeEmptyDirectoriesSync(this.madeDirectories);
	}
	async fetchManifest(target) {
		const found = await this.fetchManifestIfExists(target);
		if (!found) throw new require_bundle.ModelsignError("usage", "NOT_FOUND", `${this.name} has no manifest ${target}`);
		return found;
	}
	async fetchManifestIfExists(target) {
		let descriptor;
		if (target.includes(":")) {
			parseDigest(target, (problem) => require_bundle.usageError("BAD_REFERENCE", `${this.name}: ${problem}`));
			descriptor = (await this.readIndex()).manifests.find((m) => m.digest === target);
			if (!descriptor && !await this.blobExists(target)) return void 0;
		} else {
			descriptor = (await this.readIndex()).manifests.find((m) => m.annotations?.[REF_NAME] === target);
			if (!descriptor) return void 0;
		}
		const digest = descriptor?.digest ?? target;
		let bytes;
		try {
			bytes = await require_core.readSmallFile(this.blobPath(digest), MAX_MANIFEST_BYTES);
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError) throw err;
			if (err instanceof require_core.FileTooLargeError) throw new require_bundle.ModelsignError("usage", "MANIFEST_TOO_LARGE", `manifest ${digest} in ${this.name} is over ${MAX_MANIFEST_BYTES} bytes`);
			throw this.unreadableBlob("manifest", digest, err);
		}
		return checkManifest(bytes, {
			digest,
			...descriptor ? { mediaType: descriptor.mediaType } : {}
		}, `manifest ${digest} in ${this.name}`, IN_LAYOUT);
	}
	async *fetchBlob(descriptor) {
		const path = this.blobPath(descriptor.digest);
		let handle;
		try {
			handle = await (0, node_fs_promises.open)(path, "r");
		} catch (err) {
			throw this.unreadableBlob("blob", descriptor.digest, err);
		}
		try {
			yield* verifiedStream(handle.createReadStream({ highWaterMark: 1048576 }), descriptor, `blob ${descriptor.digest} in ${this.name}`, "unverified");
		} catch (err) {
			throw err instanceof require_bundle.ModelsignError ? err : this.unreadableBlob("blob", descriptor.digest, err);
		}
	}
	/** A blob the layout names but that is missing or cannot be read: the layout is damaged (LAYOUT_INVALID). */
	unreadableBlob(what, digest, err) {
		const code = err.code;
		const why = code === "ENOENT" ? "is missing" : `cannot be read (${code ?? err.message})`;
		return require_bundle.usageError("LAYOUT_INVALID", `${what} ${digest} of ${this.name} ${why}`, err);
	}
	async blobExists(digest) {
		return (0, node_fs_promises.stat)(this.blobPath(digest)).then(() => true, () => false);
	}
	async pushBlob(descriptor, open) {
		await this.prepare();
		if (await this.blobExists(descriptor.digest)) return;
		const final = this.blobPath(descriptor.digest);
		this.madeDirectories.push(...await require_core.makeDirectories((0, node_path.join)(final, "..")));
		const temp = `${final}.${(0, node_crypto.randomBytes)(6).toString("hex")}.tmp`;
		const out = (0, node_fs.createWriteStream)(temp, { flags: "wx" });
		let failure;
		out.on("error", (err) => failure ??= err);
		require_core.trackPendingFile(temp);
		try {
			for await (const chunk of verifiedStream(open(0, descriptor.size), descriptor, `blob ${descriptor.digest}`)) {
				if (!out.write(chunk)) await (0, node_events.once)(out, "drain").catch(() => void 0);
				if (failure) throw failure;
			}
			out.end();
			if (!out.closed) await (0, node_events.once)(out, "close");
			if (failure) throw failure;
			await (0, node_fs_promises.rename)(temp, final);
			this.madeFiles.push(final);
		} catch (err) {
			out.destroy();
			if (!out.closed) await (0, node_events.once)(out, "close").catch(() => void 0);
			await (0, node_fs_promises.rm)(temp, { force: true });
			throw err;
		} finally {
			require_core.untrackPendingFile(temp);
		}
	}
	async pushManifest(bytes, mediaType, tag) {
		const descriptor = {
			mediaType,
			digest: digestOf(bytes, "sha256"),
			size: bytes.length
		};
		await this.pushBlob(descriptor, () => node_stream.Readable.from([bytes]));
		const json = JSON.parse(bytes.toString("utf8"));
		await this.updateIndex((manifests) => {
			const kept = manifests.filter((m) => tag ? m.annotations?.[REF_NAME] !== tag : m.digest !== descriptor.digest);
			const entry = {
				...descriptor,
				...json.artifactType ? { artifactType: json.artifactType } : {},
				...tag || json.annotations ? { annotations: {
					...json.annotations ?? {},
					...tag ? { [REF_NAME]: tag } : {}
				} } : {}
			};
			return [...kept, entry];
		});
		return {
			descriptor,
			subjectIndexed: true
		};
	}
	async referrers(subject, artifactType) {
		const descriptors = [];
		for (const entry of (await this.readIndex()).manifests) {
			if (!KNOWN_ALGORITHM.test(entry.digest)) continue;
			const manifest = await this.fetchManifestIfExists(entry.digest);
			const json = manifest?.json;
			if (json?.subject?.digest !== subject) continue;
			if (artifactType && json.artifactType !== artifactType) continue;
			descriptors.push({
				...manifest.descriptor,
				...json.artifactType ? { artifactType: json.artifactType } : {},
				...json.annotations ? { annotations: json.annotations } : {}
			});
		}
		return {
			descriptors,
			via: "index"
		};
	}
	/** Where a blob lives; a digest the layout cannot use (from its own manifests) makes it LAYOUT_INVALID. */
	blobPath(digest) {
		const { algorithm, hex } = parseDigest(digest, (problem) => require_bundle.usageError("LAYOUT_INVALID", `${this.name} names a blob it cannot hold: ${problem}`));
		return (0, node_path.join)(this.root, "blobs", algorithm, hex);
	}
	async readIndex() {
		const loaded = await this.loadIndex();
		if ("problem" in loaded) throw require_bundle.usageError("LAYOUT_INVALID", `the index.json of ${this.name} ${loaded.problem}`, loaded.cause);
		return loaded.index;
	}
	/** index.json, or what is wrong with it: unreadable, not an image index, or a digest that cannot be used. */
	async loadIndex() {
		let json;
		try {
			json = JSON.parse((await require_core.readSmallFile((0, node_path.join)(this.root, "index.json"), MAX_INDEX_BYTES)).toString("utf8"));
		} catch (err) {
			const code = err.code;
			return {
				problem: err instanceof SyntaxError ? "is not JSON" : err instanceof require_core.FileTooLargeError ? `is over ${MAX_INDEX_BYTES} bytes` : code === "ENOENT" ? "is missing" : `cannot be read (${code ?? err.message})`,
				cause: err
			};
		}
		const problem = manifestShapeProblem(json, OCI_INDEX);
		if (problem) return { problem };
		const index = json;
		for (const [i, entry] of index.manifests.entries()) {
			const bad = KNOWN_ALGORITHM.test(entry.digest) ? digestProblem(entry.digest) : void 0;
			if (bad) return { problem: `has manifests[${i}] with a digest it cannot use: ${bad}` };
		}
		return { index };
	}
	/** Read-modify-write of index.json: one at a time within this process, under the lock file across processes, replaced atomically. */
	updateIndex(change) {
		const run = this.writing.catch(() => void 0).then(() => this.withIndexLock(async () => {
			const index = await this.readIndex();
			await this.writeIndex({
				...index,
				manifests: change(index.manifests ?? [])
			});
			this.untrackCreated?.();
		}));
		this.writing = run;
		return run;
	}
	/** Runs `work` holding `index.json.lock` (see withFileLock), waiting for another holder at most LOCK_WAIT_MS. */
	withIndexLock(work) {
		const lock = (0, node_path.join)(this.root, LOCK_FILE);
		return require_core.withFileLock(lock, work, {
			waitMs: LOCK_WAIT_MS,
			failure: (f) => {
				if (f.reason !== "busy") {
					const what = f.reason === "create" ? `create the lock file ${lock} to update the index of ${this.name}` : `write the lock file ${lock}`;
					return require_bundle.usageError("LAYOUT_INVALID", `cannot ${what}: ${f.cause.message}`, f.cause);
				}
				return require_bundle.usageError("LAYOUT_INVALID", `the index of ${this.name} is locked by ${lock}${f.holder ? ` (written by process ${JSON.stringify(f.holder)})` : ""}, still after ${LOCK_WAIT_MS / 1e3} s: another process is writing to this layout, or one stopped while it held the lock; if none is, remove ${lock}`);
			}
		});
	}
	async writeIndex(index) {
		await require_core.replaceFile((0, node_path.join)(this.root, "index.json"), JSON.stringify(index));
	}
};
// dist/src/oci/attach.js
const MAX_ATTEMPTS = 30;
const CONFIRMATIONS = 2;
const SETTLE_MS = 100;
const locks = /* @__PURE__ */ new Map();
/**
* Pushes an artifact manifest (empty config, the given layers) whose subject is `subject`,
* and makes it discoverable: nothing more to do when the registry answers `OCI-Subject`,
* else the referrer is merged into the tag-schema index. distribution 2.8 ignores
* `If-Match`, so after writing we wait a jittered moment, read the index again and merge
* again until our entry is there.
*/
async function attachArtifact(repo, artifact, subject) {
	const manifest = {
		schemaVersion: 2,
		mediaType: OCI_MANIFEST,
		artifactType: artifact.artifactType,
		config: EMPTY_CONFIG,
		layers: artifact.layers,
		subject: {
			mediaType: subject.mediaType,
			digest: subject.digest,
			size: subject.size
		},
		annotations: artifact.annotations
	};
	const pushed = await pushWithBlobs(repo, Buffer.from(JSON.stringify(manifest)), artifact.blobs ?? []);
	const descriptor = {
		...pushed.descriptor,
		artifactType: artifact.artifactType,
		annotations: artifact.annotations
	};
	if (pushed.subjectIndexed) return {
		descriptor,
		via: "api",
		pruned: []
	};
	const key = `${repo.name}@${subject.digest}`;
	const run = (locks.get(key) ?? Promise.resolve()).catch(() => void 0).then(() => addToFallbackIndex(repo, subject.digest, descriptor));
	locks.set(key, run);
	try {
		return {
			descriptor,
			via: "tag",
			pruned: await run
		};
	} finally {
		if (locks.get(key) === run) locks.delete(key);
	}
}
/**
* Pushes the blobs, then the manifest. Concurrent uploads of one blob (every referrer shares
* the empty config) can leave distribution briefly unaware of it: push again and retry.
*/
async function pushWithBlobs(repo, manifest, blobs) {
	const all = [{
		descriptor: EMPTY_CONFIG,
		bytes: Buffer.from("{}")
	}, ...blobs];
	for (let attempt = 0;; attempt += 1) {
		for (const blob of all) await repo.pushBlob(blob.descriptor, () => node_stream.Readable.from([blob.bytes]));
		try {
			return await repo.pushManifest(manifest, OCI_MANIFEST);
		} catch (err) {
			if (!(err instanceof require_bundle.ModelsignError && err.code === "MANIFEST_BLOB_UNKNOWN") || attempt >= 3) throw err;
			await (0, node_timers_promises.setTimeout)(SETTLE_MS * (attempt + 1));
		}
	}
}
/** Adds the entry to the `sha256-<hex>` index; returns the stale entries it dropped. */
async function addToFallbackIndex(repo, subject, entry) {
	const tag = fallbackTag(subject);
	let confirmations = 0;
	const pruned = /* @__PURE__ */ new Set();
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
		const current = await repo.fetchManifestIfExists(tag);
		const manifests = (current?.json?.manifests ?? []).filter((m) => !pruned.has(m.digest));
		if (attempt > 0 && manifests.some((m) => m.digest === entry.digest)) {
			if ((confirmations += 1) >= CONFIRMATIONS) return [...pruned];
		} else {
			confirmations = 0;
			const index = {
				schemaVersion: 2,
				mediaType: OCI_INDEX,
				manifests: [...manifests.filter((m) => m.digest !== entry.digest), entry]
			};
			try {
				await repo.pushManifest(Buffer.from(JSON.stringify(index)), OCI_INDEX, tag, current?.etag);
			} catch (err) {
				if (!(err instanceof require_bundle.ModelsignError)) throw err;
				if (err.code === "MANIFEST_BLOB_UNKNOWN") {
					const before = pruned.size;
					for (const m of manifests) if (m.digest !== entry.digest && !await repo.fetchManifestIfExists(m.digest)) pruned.add(m.digest);
					if (pruned.size === before) throw err;
					continue;
				}
				if (err.code !== "PRECONDITION_FAILED") throw err;
			}
		}
		await (0, node_timers_promises.setTimeout)(SETTLE_MS + Math.random() * SETTLE_MS * (attempt + 1));
	}
	throw new require_bundle.ModelsignError("remote", "ATTACH_CONFLICT", `could not record the referrer in ${tag} after ${MAX_ATTEMPTS} attempts: other writers keep replacing it`);
}
// dist/adapters/oci/zstd.js
/**
* The address space the zstd process may use, in KiB. zstd 1.5.4 needs about 220 MiB to
* decode a stream with the largest window it accepts by default (128 MiB; measured with
* `ulimit -v`), so this leaves room for other builds while bounding anything else it might
* be made to decode.
*/
const ZSTD_MEMORY_KIB = 524288;
/**
* Decompresses a zstd stream through the `zstd` command, chunk by chunk. Node 20 has no
* zstd, and the one JavaScript decoder we evaluated (fzstd 0.1.1) rejected valid zstd
* 1.5.4 output in streaming mode and allocates whatever window a frame declares; the
* command streams through pipes and refuses windows over its 128 MiB default. But it also
* decodes gzip, xz, lzma and lz4 frames wherever one follows a zstd frame (`--format` only
* applies to compression), and an lzma header may ask for a 4 GiB dictionary: so only zstd
* frames reach it (`zstdFrames`), and it runs under an address-space limit
* (ZSTD_MEMORY_KIB) in case anything else makes it allocate more. `layer` names the layer
* in errors:
* - no `zstd` on PATH: usage error ZSTD_UNAVAILABLE (a local tool is missing);
* - data that is not zstd frames, or that zstd cannot decode within the limit: unverified
*   LAYER_INVALID, with zstd's own message.
* A failure of `bytes` itself (a digest mismatch) is not reported here: it may surface as
* LAYER_INVALID or not at all (the check at the end fails after zstd has read every byte).
* `walkTar`, the caller, checks its source and reports that failure instead.
* Stopping early (the consumer returns) ends the process.
*/
async function* zstdDecompress(bytes, layer) {
	const child = (0, node_child_process.spawn)("/bin/sh", ["-c", `ulimit -v ${ZSTD_MEMORY_KIB} 2>/dev/null; exec zstd -d -c -q`], { stdio: [
		"pipe",
		"pipe",
		"pipe"
	] });
	const stderr = [];
	child.stderr.on("data", (c) => stderr.push(c));
	const exited = new Promise((resolve) => {
		child.once("error", (error) => resolve({
			code: null,
			error
		}));
		child.once("close", (code) => resolve({ code }));
	});
	const frames = zstdFrames(layer);
	let refused;
	async function* checked() {
		for await (const chunk of bytes) {
			try {
				frames(chunk);
			} catch (err) {
				refused = err;
				throw err;
			}
			yield chunk;
		}
	}
	const fed = (0, node_stream_promises.pipeline)(node_stream.Readable.from(checked()), child.stdin).catch(() => void 0);
	const unavailable = (cause) => require_bundle.usageError("ZSTD_UNAVAILABLE", `layer ${layer} is tar+zstd, which needs the zstd command to decompress (apt-get install zstd); it was not found on PATH`, cause);
	try {
		for await (const chunk of child.stdout) yield chunk;
		await fed;
		const { code, error } = await exited;
		if (error) throw error.code === "ENOENT" ? unavailable(error) : error;
		if (code === 127) throw unavailable();
		if (refused) throw refused;
		if (code !== 0) {
			const message = Buffer.concat(stderr).toString().trim().replace(/^zstd: /, "") || `zstd exited with status ${code}`;
			const limit = /memory|allocat|error 5\b/i.test(message) ? ` (zstd may use at most ${ZSTD_MEMORY_KIB / 1024} MiB here)` : "";
			throw require_bundle.unverifiedError("LAYER_INVALID", `tar+zstd layer ${layer} cannot be decompressed: ${message}${limit}`);
		}
	} finally {
		if (child.exitCode === null && child.signalCode === null) child.kill();
	}
}
const ZSTD_MAGIC = 4247762216;
const SKIPPABLE_MASK = 4294967280;
const SKIPPABLE_MAGIC = 407710288;
/**
* Follows the frames of a zstd stream as its chunks pass (RFC 8878: magic number, frame
* header, blocks by their 3-byte headers, optional checksum; skippable frames by their
* length) without decoding them, and throws LAYER_INVALID at the first frame that is
* neither a zstd frame nor a skippable one, before its bytes are passed on. Where a frame
* ends follows from its headers alone, as it does for the decoder, so the check and zstd
* agree on where the next one begins. A reserved header bit or block type, which zstd
* refuses too, is refused here so the two can never lose step. Legacy zstd formats
* (before v0.8) have other magic numbers and are refused.
*/
function zstdFrames(layer) {
	let position = 0;
	let skip = 0;
	let field = "magic";
	let want = 4;
	const bytes = [];
	let checksum = false;
	const refuse = (what, start, why = "") => {
		throw require_bundle.unverifiedError("LAYER_INVALID", `tar+zstd layer ${layer} ${what} at byte ${start} (${bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ")})${why}`);
	};
	return (chunk) => {
		let i = 0;
		while (i < chunk.length) {
			if (skip > 0) {
				const n = Math.min(skip, chunk.length - i);
				skip -= n;
				i += n;
				continue;
			}
			bytes.push(chunk[i]);
			i += 1;
			if (bytes.length < want) continue;
			const start = position + i - want;
			const le = bytes.reduce((value, b, k) => value + b * 2 ** (8 * k), 0);
			switch (field) {
				case "magic":
					if (le === ZSTD_MAGIC) [field, want] = ["descriptor", 1];
					else if ((le & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) [field, want] = ["skippable", 4];
					else refuse("holds data that is not a zstd frame", start, ": the zstd command would decode gzip, xz, lzma or lz4 there, whose memory its window limit does not bound");
					break;
				case "descriptor": {
					const d = le;
					if (d & 8) refuse("has a zstd frame header with its reserved bit set", start);
					const singleSegment = d >> 5 & 1;
					checksum = (d >> 2 & 1) === 1;
					const fcs = d >> 6;
					const rest = (singleSegment ? 0 : 1) + [
						0,
						1,
						2,
						4
					][d & 3] + (fcs === 0 ? singleSegment : [
						0,
						2,
						4,
						8
					][fcs]);
					[field, want] = rest === 0 ? ["block", 3] : ["header", rest];
					break;
				}
				case "header":
					[field, want] = ["block", 3];
					break;
				case "block": {
					const type = le >> 1 & 3;
					if (type === 3) refuse("has a zstd block of the reserved type", start);
					skip = type === 1 ? 1 : le >>> 3;
					if (le & 1) {
						skip += checksum ? 4 : 0;
						[field, want] = ["magic", 4];
					}
					break;
				}
				case "skippable":
					skip = le;
					[field, want] = ["magic", 4];
			}
			bytes.length = 0;
		}
		position += chunk.length;
	};
}
// dist/adapters/oci/layers.js
function layerKind(mediaType) {
	if (/tar\+gzip$|\.tar\.gzip$|tar\.gz$/.test(mediaType) || mediaType === "application/vnd.oci.image.layer.v1.tar+gzip" || mediaType === "application/vnd.docker.image.rootfs.diff.tar.gzip") return "tar+gzip";
	if (/tar\+zstd$|\.tar\.zst$/.test(mediaType)) return "tar+zstd";
	if (/[.+]tar$/.test(mediaType) || mediaType === "application/vnd.oci.image.layer.v1.tar") return "tar";
	return "raw";
}
/**
* Walks a tar layer's entries in order, decompressing as `kind` says (gzip in process,
* zstd through the zstd command). Regular files are passed to `onFile` (which must
* consume the stream); directories are skipped; absolute paths, `..`, and links are refused,
* since a layer must not place or point at anything outside the model root.
*
* Bytes that cannot be decompressed or read as a tar are LAYER_INVALID, but only once the
* rest of the layer has been read to its digest check: if they are not the bytes the
* manifest names (a forged or corrupted blob), that mismatch is what the walk fails with.
* Every walk reads the layer to its last byte, so the digest is always checked. Bytes after
* the end of a gzip stream (zero padding included) are LAYER_INVALID, as they are after a
* zstd stream. A compressed layer that expands past 1,100 times its size (beyond 64 MiB) is
* refused as a decompression bomb.
*/
async function walkTar(bytes, kind, onFile, layer) {
	const source = pulled(bytes);
	const gzip = kind === "tar+gzip" ? gunzip(source.chunks(), layer) : void 0;
	const tar = (0, tar_stream.extract)();
	const input = node_stream.Readable.from(kind === "tar" ? source.chunks() : bounded(kind === "tar+zstd" ? zstdDecompress(source.chunks(), layer) : gzip.chunks, source, kind, layer));
	const done = new Promise((resolve, reject) => {
		tar.on("entry", (header, stream, next) => {
			let ended = false;
			stream.once("end", () => ended = true);
			stream.on("error", () => void 0);
			const fail = (message) => {
				tar.destroy(require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `tar layer ${layer}: ${message}`));
			};
			const skip = () => {
				if (ended) next();
				else {
					stream.once("end", () => next());
					stream.resume();
				}
			};
			const raw = header.name.replace(/^\.\//, "").replace(/\/$/, "");
			const name = require_bundle.normalizeRelative(raw);
			const shown = shownName(header.name);
			const problem = pathProblem(header.name);
			if (problem !== void 0) return fail(`entry ${shown} ${problem}`);
			if (raw !== "" && (name === void 0 || name === "" || header.name.startsWith("/"))) return fail(`entry ${shown} escapes the model root`);
			if (header.type === "directory") return skip();
			if (raw === "" || header.name.endsWith("/")) return fail(`entry ${shown} is a ${header.type ?? "file"} with a directory's name${raw === "" ? " (the model root)" : ""}`);
			if (header.type === "symlink" || header.type === "link") return fail(`entry ${shown} is a link to ${shownName(header.linkname ?? "")}; links in model layers are refused`);
			if (header.type !== "file" && header.type !== "contiguous-file") return fail(`entry ${shown} is a ${header.type}, not a regular file`);
			onFile({
				name,
				size: header.size ?? 0
			}, stream).then(skip, (err) => tar.destroy(err));
		});
		tar.on("finish", resolve);
		tar.on("error", reject);
		input.on("error", (err) => tar.destroy(err));
	});
	input.pipe(tar);
	try {
		await done;
		await source.drain();
		if (source.failure !== void 0) throw source.failure;
	} catch (err) {
		input.destroy();
		if (source.failure !== void 0) throw source.failure;
		const failure = err instanceof require_bundle.ModelsignError ? err : require_bundle.unverifiedError("LAYER_INVALID", `${kind} layer ${layer} cannot be read as a tar: ${err.message}`, err);
		if (failure.kind === "unverified") await source.drain();
		throw source.failure ?? failure;
	} finally {
		gzip?.stop();
	}
	const trailing = gzip === void 0 ? 0 : source.bytesRead - gzip.consumed();
	if (trailing > 0) throw require_bundle.unverifiedError("LAYER_INVALID", `tar+gzip layer ${layer} has ${trailing} bytes after the end of its gzip data; a layer must end with its compressed stream`);
}
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4095;
/** Why a file name from a layer cannot be a path on disk (a part or the whole too long), or undefined. */
function pathProblem(name) {
	for (const part of name.split("/")) {
		const length = Buffer.byteLength(part);
		if (length > MAX_NAME_BYTES) return `has a component of ${length} bytes, more than a file name can be (${MAX_NAME_BYTES})`;
	}
	const bytes = Buffer.byteLength(name);
	return bytes > MAX_PATH_BYTES ? `is ${bytes} bytes long, more than a path can be (${MAX_PATH_BYTES})` : void 0;
}
/** A name from a layer for a message, quoted (or as `quote` writes it), and cut short when long (it is the registry's, of any length). */
function shownName(name, quote = JSON.stringify) {
	return name.length <= 100 ? quote(name) : `${quote(name.slice(0, 100))}... (${name.length} characters)`;
}
/**
* Decompresses gzip; data that is not gzip is LAYER_INVALID (a failure of `bytes` itself
* surfaces as the source's). `consumed` is how many input bytes the gzip data took: Node's
* gunzip stops there when zero bytes follow, without reading the rest. `stop` lets go of
* the input.
*/
function gunzip(bytes, layer) {
	const input = node_stream.Readable.from(bytes);
	const decompressor = (0, node_zlib.createGunzip)();
	const stream = (0, node_stream.pipeline)(input, decompressor, () => void 0);
	async function* chunks() {
		try {
			for await (const chunk of stream) yield chunk;
		} catch (err) {
			throw require_bundle.unverifiedError("LAYER_INVALID", `tar+gzip layer ${layer} cannot be decompressed: ${err.message}`, err);
		}
	}
	return {
		chunks: chunks(),
		consumed: () => decompressor.bytesWritten,
		stop: () => input.destroy()
	};
}
const MAX_EXPANSION = 1100;
const EXPANSION_FLOOR = 67108864;
/** Passes decompressed bytes on while they stay within MAX_EXPANSION times the compressed bytes read so far. */
async function* bounded(decompressed, source, kind, layer) {
	let total = 0;
	for await (const chunk of decompressed) {
		total += chunk.length;
		if (total > EXPANSION_FLOOR && total > MAX_EXPANSION * source.bytesRead) throw require_bundle.unverifiedError("LAYER_INVALID", `${kind} layer ${layer} expands to over ${MAX_EXPANSION} times its compressed size (${total} bytes from ${source.bytesRead}): refused as a decompression bomb`);
		yield chunk;
	}
}
/**
* A byte stream pulled by hand, so that after its consumer gives up the rest can still be
* read (`drain`), to the digest check at its end; `failure` is the stream's own error and
* `bytesRead` how much has been pulled.
*/
function pulled(bytes) {
	const iterator = bytes[Symbol.asyncIterator]();
	let done = false;
	const state = {
		failure: void 0,
		bytesRead: 0,
		async next() {
			if (done) return void 0;
			try {
				const step = await iterator.next();
				done = step.done === true;
				if (step.done) return void 0;
				state.bytesRead += step.value.length;
				return step.value;
			} catch (err) {
				done = true;
				state.failure = err;
				throw err;
			}
		},
		async *chunks() {
			for (let chunk = await state.next(); chunk !== void 0; chunk = await state.next()) yield chunk;
		},
		async drain() {
			try {
				while (await state.next() !== void 0);
			} catch {}
		}
	};
	return state;
}
/** A name for a layer that carries none: from its media type, made unique with its digest. */
function nameFromMediaType(layer, taken) {
	const base = (layer.mediaType.split("/").pop() ?? "blob").replace(/^vnd\./, "").split(/[.+]/).filter((p) => !/^v\d+$/.test(p) && p !== "raw").pop() || "blob";
	return taken.has(base) ? `${base}-${layer.digest.split(":")[1].slice(0, 12)}` : base;
}
// dist/adapters/oci/model-source.js
const LAYER_CONCURRENCY = 4;
/**
* A model stored as an OCI artifact. Raw one-file layers (ModelPack `.raw`, ORAS, Docker
* Model Runner) are files whose layer digest is a content address; tar layers (ModelPack
* tar, KitOps) are read entry by entry while streaming.
*/
var OciModelSource = class {
	repository;
	manifest;
	location;
	modelName;
	singleFile = false;
	constructor(repository, manifest, location, modelName) {
		this.repository = repository;
		this.manifest = manifest;
		this.location = location;
		this.modelName = modelName;
	}
	/** True when listing the model downloads: a tar layer's file list is only known by reading it. */
	get listingDownloads() {
		return this.manifest.layers.some((layer) => layerKind(layer.mediaType) !== "raw");
	}
	async list(options) {
		const files = [];
		const ignored = [];
		const taken = /* @__PURE__ */ new Set();
		const directories = /* @__PURE__ */ new Set();
		const parents = (name) => [...name.matchAll(/\//g)].map((m) => name.slice(0, m.index));
		const shown = (name) => shownName(name, (text) => text);
		const check = (name) => {
			if (taken.has(name)) throw require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `${this.location} holds ${shown(name)} twice`);
			if (directories.has(name)) throw require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `${this.location} holds ${shown(name)} both as a file and as a directory`);
			const file = parents(name).find((directory) => taken.has(directory));
			if (file !== void 0) throw require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `${this.location} holds ${shown(file)} both as a file and as a directory`);
		};
		const add = (file) => {
			check(file.name);
			for (const directory of parents(file.name)) directories.add(directory);
			taken.add(file.name);
			if (options.isIgnored(file.name)) ignored.push(file.name);
			else files.push(file);
		};
		for (const layer of this.manifest.layers) {
			const kind = layerKind(layer.mediaType);
			if (kind === "raw") {
				const annotated = layer.annotations?.["org.cncf.model.filepath"] ?? layer.annotations?.["org.opencontainers.image.title"];
				const name = annotated === void 0 ? nameFromMediaType(layer, taken) : require_bundle.normalizeRelative(annotated);
				if (!name) throw require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `layer ${layer.digest} is named ${shownName(annotated ?? "")}, which escapes the model root`);
				const problem = pathProblem(name);
				if (problem !== void 0) throw require_bundle.unverifiedError("LAYER_PATH_UNSAFE", `layer ${layer.digest} is named ${shownName(name)}, which ${problem}`);
				add({
					name,
					size: layer.size,
					...this.repository.local ? {} : { contentDigest: layer.digest },
					layer
				});
			} else await walkTar(this.repository.fetchBlob(layer), kind, async (entry, stream) => {
				check(entry.name);
				const hash = (0, node_crypto.createHash)("sha256");
				for await (const chunk of options.passBytes?.(entry.name, stream) ?? stream) hash.update(chunk);
				add({
					name: entry.name,
					size: entry.size,
					layer,
					contentDigest: `sha256:${hash.digest("hex")}`
				});
			}, layer.digest);
		}
		return {
			files,
			ignored,
			warnings: []
		};
	}
	/** Random access for raw layers (the engine prefers `stream`, which reads each layer once). */
	async *read(file, start, end) {
		const layer = file.layer;
		if (layerKind(layer.mediaType) !== "raw") throw new Error(`${file.name} is inside a tar layer and can only be streamed`);
		let position = 0;
		for await (const chunk of this.repository.fetchBlob(layer)) {
			const from = Math.max(0, start - position);
			const to = Math.min(chunk.length, end - position);
			if (to > from) yield chunk.subarray(from, to);
			position += chunk.length;
		}
	}
	/**
	* Reads each needed layer once, several layers at a time: a raw layer is its file; a tar
	* layer yields its requested entries in order.
	*/
	async stream(files, visit) {
		const wanted = new Map(files.map((f) => [f.name, f]));
		const needed = new Set([...wanted.values()].map((f) => f.layer));
		const layers = this.manifest.layers.filter((l) => needed.has(l));
		let next = 0;
		const worker = async () => {
			for (let layer = layers[next++]; layer; layer = layers[next++]) {
				const kind = layerKind(layer.mediaType);
				if (kind === "raw") {
					const current = layer;
					await visit([...wanted.values()].find((f) => f.layer === current), this.repository.fetchBlob(layer));
					continue;
				}
				const current = layer;
				await walkTar(this.repository.fetchBlob(layer), kind, async (entry, bytes) => {
					const file = wanted.get(entry.name);
					if (file && file.layer === current) await visit(file, bytes);
					else for await (const _ of bytes);
				}, layer.digest);
			}
		};
		await Promise.all(Array.from({ length: Math.min(LAYER_CONCURRENCY, layers.length) }, worker));
	}
};
// dist/adapters/oci/signature-store.js
/**
* OMS signatures kept as OCI referrers of the model manifest, the way cosign v3 attaches
* Sigstore bundles: an image manifest with artifactType `...sigstore.bundle.v0.3+json`, the
* empty config, one layer holding the bundle, and `subject` pointing at the model.
*/
var OciSignatureStore = class {
	repository;
	subject;
	constructor(repository, subject) {
		this.repository = repository;
		this.subject = subject;
	}
	/** Where the signatures were found: the registry's referrers API or the tag schema. */
	via;
	/** Referrers the last `put` dropped from the tag schema's index because the registry no longer holds them. */
	pruned = [];
	/** Whether the last `put` found the bundle already attached, and so pushed nothing. */
	alreadyAttached = false;
	async list() {
		const { descriptors, via } = await this.repository.referrers(this.subject.digest, SIGSTORE_BUNDLE);
		this.via = via;
		return descriptors.filter((d) => d.annotations?.["dev.sigstore.bundle.predicateType"] === void 0 || d.annotations["dev.sigstore.bundle.predicateType"] === "https://model_signing/signature/v1.0").map((descriptor) => {
			const created = descriptor.annotations?.[ANNOTATION_CREATED];
			return {
				descriptor,
				location: `${this.repository.name}@${descriptor.digest}`,
				...created ? { created } : {},
				bytes: () => this.bundleOf(descriptor)
			};
		});
	}
	/**
	* Attaches a bundle, unless a referrer of the subject already holds these exact bytes: a
	* retried job must not pile up copies (each referrer carries its own creation time, so
	* pushing again would make another). Then nothing is pushed, `alreadyAttached` is set, and
	* the existing referrer's location is returned.
	*/
	async put(bundle) {
		const layer = {
			mediaType: SIGSTORE_BUNDLE,
			digest: sha256Digest(bundle),
			size: bundle.length
		};
		this.pruned = [];
		const existing = await this.holding(layer.digest);
		this.alreadyAttached = existing !== void 0;
		if (existing) return `${this.repository.name}@${existing}`;
		const { descriptor, pruned } = await attachArtifact(this.repository, {
			artifactType: SIGSTORE_BUNDLE,
			layers: [layer],
			blobs: [{
				descriptor: layer,
				bytes: Buffer.from(bundle)
			}],
			annotations: {
				"dev.sigstore.bundle.content": "dsse-envelope",
				"dev.sigstore.bundle.predicateType": require_bundle.PREDICATE_TYPE,
				[ANNOTATION_CREATED]: (/* @__PURE__ */ new Date()).toISOString()
			}
		}, this.subject);
		this.pruned = pruned.map((digest) => `${this.repository.name}@${digest}`);
		return `${this.repository.name}@${descriptor.digest}`;
	}
	/** The digest of an OMS referrer of the subject whose bundle layer has `digest`, if one is attached. */
	async holding(digest) {
		for (const { descriptor } of await this.list()) {
			const manifest = (await this.repository.fetchManifestIfExists(descriptor.digest))?.json;
			if (manifest?.subject?.digest !== this.subject.digest) continue;
			if (manifest.layers?.some((l) => l.mediaType === "application/vnd.dev.sigstore.bundle.v0.3+json" && l.digest === digest)) return descriptor.digest;
		}
	}
	async bundleOf(descriptor) {
		const layer = (await this.repository.fetchManifest(descriptor.digest)).json.layers?.find((l) => l.mediaType === SIGSTORE_BUNDLE);
		if (!layer) throw require_bundle.unverifiedError("BUNDLE_MALFORMED", `referrer ${descriptor.digest} holds no ${SIGSTORE_BUNDLE} layer`);
		if (layer.size > 67108864) throw require_bundle.unverifiedError("BUNDLE_MALFORMED", `referrer ${descriptor.digest} holds a ${layer.size}-byte bundle, over the ${require_bundle.MAX_BUNDLE_BYTES}-byte limit`);
		const chunks = [];
		for await (const chunk of this.repository.fetchBlob(layer)) chunks.push(chunk);
		return Buffer.concat(chunks);
	}
};
// dist/adapters/oci/pack.js
/** The ModelPack layer media type for a file, by what it is. */
function layerMediaType(name) {
	const base = name.split("/").pop().toLowerCase();
	if (/\.(md|rst|txt)$|^license|^notice/.test(base) && !/vocab|merges|tokenizer/.test(base)) return "application/vnd.cncf.model.doc.v1.raw";
	if (/\.(py|sh|ipynb)$/.test(base)) return "application/vnd.cncf.model.code.v1.raw";
	if (/\.(json|ya?ml|toml|txt|model|tiktoken)$/.test(base)) return "application/vnd.cncf.model.weight.config.v1.raw";
	return "application/vnd.cncf.model.weight.v1.raw";
}
/**
* Pushes a local model as a ModelPack artifact: one raw layer per file (its digest is the
* file's sha256, its path in `org.cncf.model.filepath`), a ModelPack config, and the
* manifest under `tag`. Files are hashed first, then streamed up; blobs the registry
* already has are skipped.
*
* The same files give the same manifest digest on every push: signatures are referrers of
* that digest, so a re-push of an unchanged model must keep them attached. Hence no
* timestamp in the config (ModelPack's `createdAt` is optional).
*/
async function pushModelPack(source, repo, tag, options = {}) {
	const { manifest, listing } = await require_core.hashModel(source, {
		...options,
		method: "files",
		hashAlgorithm: "sha256"
	});
	const byName = new Map(listing.files.map((f) => [f.name, f]));
	const layers = [];
	for (const resource of manifest.resources) {
		const file = byName.get(resource.name);
		const name = source.singleFile ? source.modelName : resource.name;
		const layer = {
			mediaType: layerMediaType(name),
			digest: `sha256:${resource.digest}`,
			size: file.size,
			annotations: {
				[ANNOTATION_FILEPATH]: name,
				[ANNOTATION_TITLE]: name
			}
		};
		await repo.pushBlob(layer, checkedFileReader(file.localPath, layer));
		layers.push(layer);
	}
	const config = Buffer.from(JSON.stringify({
		descriptor: { name: source.modelName },
		config: {},
		modelfs: {
			type: "layers",
			diffIds: layers.map((l) => l.digest)
		}
	}));
	const configDescriptor = {
		mediaType: MODELPACK_CONFIG,
		digest: sha256Digest(config),
		size: config.length
	};
	await repo.pushBlob(configDescriptor, () => node_stream.Readable.from([config]));
	const image = {
		schemaVersion: 2,
		mediaType: OCI_MANIFEST,
		artifactType: MODELPACK_ARTIFACT,
		config: configDescriptor,
		layers
	};
	return {
		descriptor: (await repo.pushManifest(Buffer.from(JSON.stringify(image)), OCI_MANIFEST, tag)).descriptor,
		warnings: listing.warnings
	};
}
/**
* The bytes of a local file for upload, checked as they are read against the sha256 and
* size it was hashed with: a file changed since fails as READ_FAILED naming it (local input,
* exit 2), not as a store's complaint about a digest. The last chunk is held back until the
* whole file has checked out, so no store or registry completes a blob from wrong bytes.
* Ranges come in order (a registry's chunked upload) and may be asked for again (a retry):
* the hash state at the end of each range is kept for the range that follows.
*/
function checkedFileReader(path, expected) {
	const states = /* @__PURE__ */ new Map([[0, (0, node_crypto.createHash)("sha256")]]);
	const changed = (why) => require_bundle.usageError("READ_FAILED", `${path} changed after it was hashed (${why}): push it again`);
	async function* range(start, end) {
		const before = states.get(start);
		if (!before) throw new Error(`internal: upload range ${start}-${end} of ${path} does not follow one read before`);
		const hash = before.copy();
		const last = end >= expected.size;
		const stream = last ? (0, node_fs.createReadStream)(path, { start }) : (0, node_fs.createReadStream)(path, {
			start,
			end: end - 1
		});
		let position = start;
		let held;
		try {
			for await (const chunk of stream) {
				position += chunk.length;
				if (position > expected.size) throw changed(`it is now larger than the ${expected.size} bytes it had`);
				hash.update(chunk);
				if (held) yield held;
				held = chunk;
			}
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError) throw err;
			throw require_bundle.usageError("READ_FAILED", `cannot read ${path}: ${err.message}`, err);
		} finally {
			stream.destroy();
		}
		if (position < end) throw changed(`it now has ${position} bytes, not the ${expected.size} it had`);
		if (last) {
			const actual = `sha256:${hash.digest("hex")}`;
			if (actual !== expected.digest) throw changed(`its content is now ${actual}, not ${expected.digest}`);
		} else states.set(end, hash);
		if (held) yield held;
	}
	return (start, end) => node_stream.Readable.from(range(start, end), { objectMode: false });
}
// dist/adapters/oci/index.js
/** The OCI adapter: models stored as OCI artifacts in registries, and signatures kept as referrers. */
/**
* The store a reference names: a registry repository, or an OCI image layout on disk
* (created when `create` is set and none exists, for a push destination).
*/
async function openStore(reference, options, create = false) {
	if (reference.startsWith("oci-layout:")) return OciLayout.open(reference, { create });
	return new RegistryRepository(require_core.parseReference(reference), options);
}
/**
* Opens `oci://registry/repo[:tag|@digest]` or `oci-layout:PATH[:tag|@digest]`; an index
* must be narrowed to one manifest.
*/
async function openOciModel(reference, options) {
	const repository = await openStore(reference, options);
	const fetched = await repository.fetchManifest(repository.target);
	const named = `${repository.name}${repository.target.includes(":") ? "@" : ":"}${repository.target}`;
	if (fetched.descriptor.mediaType === "application/vnd.oci.image.index.v1+json" || fetched.descriptor.mediaType === "application/vnd.docker.distribution.manifest.list.v2+json") throw new require_bundle.ModelsignError("usage", "INDEX_NOT_MODEL", `${named} is an image index; name one of its manifests by digest`);
	const manifest = fetched.json;
	const location = `${repository.name}@${fetched.descriptor.digest}`;
	const modelName = repository.name.split("/").pop();
	return {
		repository,
		subject: fetched.descriptor,
		source: new OciModelSource(repository, manifest, location, modelName),
		signatures: new OciSignatureStore(repository, fetched.descriptor)
	};
}
exports.OciModelSource = OciModelSource;
exports.OciSignatureStore = OciSignatureStore;
exports.isOciReference = require_core.isOciReference;
exports.openOciModel = openOciModel;
exports.openStore = openStore;
exports.pushModelPack = pushModelPack;
