#!/usr/bin/env node
Object.defineProperty(exports, Symbol.toStringTag, { value: "Module" });
const require_bundle = require("./bundle-DvlbyBTU.js");
const require_core = require("./core-C9i2rC76.js");
const require_work = require("./work-o7A-tGPJ.js");
const require_key_verifier = require("./key-verifier-COYUQvJv.js");
const require_redact = require("./redact-CqXXyx4T.js");
let node_os = require("node:os");
let node_fs = require("node:fs");
let node_path = require("node:path");
let node_crypto = require("node:crypto");
let node_module = require("node:module");
let node_fs_promises = require("node:fs/promises");
let node_events = require("node:events");
// dist/cli/prestart.js
/**
* Early hash workers for the CLI: when the command line will hash a local model, the
* workers start before the rest of the CLI loads (main.ts imports start-workers.ts first),
* so their start-up overlaps loading modules, parsing arguments and listing the model
* instead of following them. Unused workers cost no wall time and do not keep the process
* alive. This imports the pool module itself, not the engine barrel, so that little is
* evaluated before they start.
*/
const HASHING_COMMANDS = /* @__PURE__ */ new Set([
	"digest",
	"sign",
	"verify"
]);
/**
* The number of threads that will hash, if the command line hashes a local model:
* undefined for other commands, help, version and registry models. Flags are checked
* properly later, by yargs; an unusable `--max-workers` here just means the default, which
* is only worked out (it reads cgroup files) for a command line that hashes.
*/
function hashThreadsFor(args, defaultCount) {
	if (!HASHING_COMMANDS.has(args[0] ?? "")) return void 0;
	if (args.some((a) => a === "--help" || a === "-h" || a === "--version" || require_core.isOciReference(a))) return void 0;
	const i = args.findIndex((a) => /^--max[-_]workers(=|$)/.test(a));
	if (i < 0) return defaultCount();
	const value = Number(args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1]);
	return Number.isInteger(value) && value > 0 ? Math.min(value, defaultCount()) : defaultCount();
}
/**
* Starts the hash workers a command line will need, if any: one per hashing thread but the
* main thread, which hashes too (see `poolOptionsFrom`). Only a head start: if a worker
* cannot be created now, hashing starts its own later and reports any failure properly.
*/
function prestartFor(args) {
	const threads = hashThreadsFor(args, require_core.defaultWorkers);
	try {
		if (threads !== void 0 && threads > 1) require_core.prestartWorkers(threads - 1);
	} catch {}
}
// dist/cli/start-workers.js
prestartFor(process.argv.slice(2));
// dist/src/paths.js
/** True when `path` is `dir` or inside it, both absolute and resolved (`/` contains every path). */
const isWithin = (path, dir) => path === dir || path.startsWith(dir.endsWith(node_path.sep) ? dir : `${dir}${node_path.sep}`);
/**
* Whether a path relative to a root (`path.relative`) leaves it. Only a whole `..`
* component does: `..scratch` or `..sig` is a file inside the root.
*/
const isOutside = (rel) => rel === ".." || rel.startsWith(`..${node_path.sep}`) || (0, node_path.isAbsolute)(rel);
// dist/adapters/local/model-source.js
/** A model on the local file system: a directory tree or a single file. */
var LocalModelSource = class LocalModelSource {
	location;
	modelName;
	singleFile;
	constructor(root, singleFile) {
		this.location = root;
		this.modelName = (0, node_path.basename)(root);
		this.singleFile = singleFile;
	}
	/** Opens a model path; a missing path or one that is neither a file nor a directory is a usage error. */
	static async open(path) {
		const root = (0, node_path.resolve)(path);
		let info;
		try {
			info = await (0, node_fs_promises.stat)(root);
		} catch (err) {
			throw require_bundle.usageError("MODEL_NOT_FOUND", `model path ${path} does not exist or cannot be read (${err.code})`, err);
		}
		if (!info.isDirectory() && !info.isFile()) throw require_bundle.usageError("MODEL_NOT_FOUND", `model path ${path} is neither a file nor a directory`);
		return new LocalModelSource(root, info.isFile());
	}
	async list(options) {
		const listedAt = BigInt(Date.now()) * 1000000n;
		const walk = new Walk(options);
		try {
			if (this.singleFile) walk.add(".", this.location, true);
			else await walk.directory(this.location, "", [await (0, node_fs_promises.realpath)(this.location)]);
		} catch (err) {
			walk.abandon();
			throw err;
		}
		return {
			files: await walk.inspect(listedAt),
			ignored: walk.ignored,
			warnings: walk.warnings
		};
	}
	async *read(file, start, end) {
		if (end <= start) return;
		yield* (0, node_fs.createReadStream)(file.localPath ?? (0, node_path.join)(this.location, file.name), {
			start,
			end: end - 1,
			highWaterMark: 4194304
		});
	}
};
/**
* A file changed within this long before the listing gets no identity. File times come
* from a coarse clock (a few ms on Linux, 1 s or 2 s on some file systems), so a second
* change in the same tick as the one seen would leave mtime and ctime as they were; a file
* that has been still for longer than a tick cannot do that unnoticed.
*/
const SETTLE_NS = 2000000000n;
/**
* A listed file. Its identity, from a precise (bigint) stat, is (device, inode, size, mtime,
* ctime) in nanoseconds: a write changes mtime, and ctime, which no user can set, changes
* with any write, rename, chmod or `touch -d` that puts mtime back.
*/
function fileEntry(name, path, found, i, listedAt, algorithm) {
	const size = found.sizes[i];
	const file = {
		name,
		size,
		localPath: path
	};
	const hex = found.digests[i];
	if (algorithm !== void 0 && hex !== "") file.listedDigest = {
		algorithm,
		hex
	};
	const stats = found.stats;
	if (stats !== void 0) {
		const ctimeNs = stats[4 * i + 3];
		file.listedTimes = [Number(stats[4 * i + 2]), Number(ctimeNs)];
		if (ctimeNs < listedAt - SETTLE_NS) file.identity = `${stats[4 * i]}:${stats[4 * i + 1]}:${size}:${stats[4 * i + 2]}:${ctimeNs}`;
	}
	return file;
}
/**
* A directory entry's path. Directories here are already normalized (resolved, then built
* by this function), so plain concatenation is right, and path.join's normalizing was
* measured at 28 ms of a 100 ms listing of 20,000 files.
*/
const childPath = (dir, name) => dir.endsWith(node_path.sep) ? `${dir}${name}` : `${dir}${node_path.sep}${name}`;
const LOOP_SLICE = 1024;
const letLoopRun = () => new Promise((r) => setImmediate(r));
/**
* One listing pass, in two overlapping steps. The walk reads directories on this thread
* and sorts their entries by the type the directory reports, with no stat per file:
* ignored paths are pruned before they are looked at (an ignored `.git` costs nothing),
* symbolic links fail unless allowed (allowed links are followed and listed under their
* own path; a link back into a directory being walked is a loop; one that leaves the model
* is reported), and sockets, pipes and devices fail. Each file found is opened by the hash
* threads for its size, identity and, when small, digest (`startInspection`): the workers
* start on the files found so far while the walk goes on, and `inspect` waits for the
* rest. A walk that fails abandons the inspection, so its error is the one reported.
*/
var Walk = class {
	options;
	ignored = [];
	warnings = [];
	names = [];
	paths = [];
	inspection;
	seen = 0;
	constructor(options) {
		this.options = options;
		this.inspection = require_core.startInspection({
			...options.pool,
			...options.digestAlgorithm ? { algorithm: options.digestAlgorithm } : {},
			precise: options.identify === true
		});
	}
	/** Lists a regular file (or, with `follow`, an allowed link to one). */
	add(name, path, follow) {
		this.names.push(name);
		this.paths.push(path);
		this.inspection.add(path, follow);
	}
	/** Stops the inspection of what was found: the walk failed. */
	abandon() {
		this.inspection.abandon();
	}
	async directory(dir, rel, ancestors) {
		let entries;
		try {
			entries = (0, node_fs.readdirSync)(dir, { withFileTypes: true });
		} catch (err) {
			throw unreadableDirectory(rel === "" ? dir : rel, dir, err);
		}
		entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
		const undecodable = entries.some((e) => e.name.includes("�")) ? undecodableNames(dir) : void 0;
		for (const entry of entries) {
			const name = rel === "" ? entry.name : `${rel}/${entry.name}`;
			if (this.options.isIgnored(name)) {
				this.ignored.push(name);
				continue;
			}
			if (undecodable?.has(entry.name)) throw require_bundle.usageError("READ_FAILED", `cannot read ${name}: ${require_work.NOT_UTF8_NAME}`);
			if ((this.seen += 1) % LOOP_SLICE === 0) {
				this.inspection.flush();
				await letLoopRun();
			}
			const path = childPath(dir, entry.name);
			if (entry.isFile()) this.add(name, path, false);
			else await this.entry(name, path, isTyped(entry) ? entry : (0, node_fs.lstatSync)(path), ancestors, entry.name);
		}
	}
	/** Finishes inspecting the files listed (sizes, identities if asked, digests of the small ones). */
	async inspect(listedAt) {
		const found = await this.inspection.finish();
		return this.names.map((name, i) => fileEntry(name, this.paths[i], found, i, listedAt, this.options.digestAlgorithm));
	}
	async entry(name, path, type, ancestors, base) {
		let info = type;
		if (info.isSymbolicLink()) {
			if (!this.options.allowSymlinks) throw require_bundle.usageError("SYMLINK", `${name} is a symbolic link; symbolic links are only hashed with --allow-symlinks`);
			let target;
			try {
				target = await (0, node_fs_promises.realpath)(path);
				info = await (0, node_fs_promises.stat)(path);
			} catch (err) {
				const code = err.code;
				if (code === "ELOOP") throw require_bundle.usageError("SYMLINK_LOOP", `${name} is a symbolic link loop`, err);
				throw require_bundle.usageError("SYMLINK_BROKEN", `${name} is a symbolic link to a missing target (${code})`, err);
			}
			if (info.isDirectory() && ancestors.some((a) => isWithin(a, target))) throw require_bundle.usageError("SYMLINK_LOOP", `${name} is a symbolic link loop: it points back to ${target}, which contains it`);
			const inside = (0, node_path.relative)(ancestors[0], target);
			if (isOutside(inside)) this.warnings.push(`${name} is a symbolic link to ${target}, outside the model`);
			if (info.isDirectory()) await this.directory(path, name, [...ancestors, target]);
			else if (info.isFile()) this.add(name, path, true);
			else throw specialFile(name);
			return;
		}
		if (info.isDirectory()) await this.directory(path, name, [...ancestors, childPath(ancestors[ancestors.length - 1], base)]);
		else if (info.isFile()) this.add(name, path, false);
		else throw specialFile(name);
	}
};
/** The names in a directory whose bytes are not valid UTF-8, as Node decodes them (with U+FFFD). */
function undecodableNames(dir) {
	const out = /* @__PURE__ */ new Set();
	for (const raw of (0, node_fs.readdirSync)(dir, { encoding: "buffer" })) {
		const decoded = raw.toString("utf8");
		if (!Buffer.from(decoded, "utf8").equals(raw)) out.add(decoded);
	}
	return out;
}
/** False for an entry whose directory reported no type (DT_UNKNOWN). */
const isTyped = (e) => e.isFile() || e.isDirectory() || e.isSymbolicLink() || e.isFIFO() || e.isSocket() || e.isCharacterDevice() || e.isBlockDevice();
/** A directory that cannot be read: READ_FAILED, saying why (a name that is not UTF-8 is named as such). */
function unreadableDirectory(name, path, err) {
	const e = err;
	const why = e.code === "ENOENT" && path.includes("�") ? require_work.NOT_UTF8_NAME : e.code ?? e.message;
	return require_bundle.usageError("READ_FAILED", `cannot read directory ${name}: ${why}`, err);
}
const specialFile = (name) => require_bundle.usageError("SPECIAL_FILE", `${name} is not a regular file or directory (a socket, pipe or device cannot be hashed)`);
// dist/adapters/local/signature-store.js
const BUNDLE_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";
/** A detached bundle file next to or inside the model (`model.sig` by default). */
var SidecarSignatureStore = class {
	path;
	constructor(path) {
		this.path = path;
	}
	async list() {
		const path = this.path;
		return [{
			location: path,
			bytes: async () => {
				try {
					return await require_core.readSmallFile(path, require_bundle.MAX_BUNDLE_BYTES);
				} catch (err) {
					if (err instanceof require_core.FileTooLargeError) throw require_bundle.unverifiedError("BUNDLE_MALFORMED", `signature ${path} holds more than ${require_bundle.MAX_BUNDLE_BYTES} bytes, which no bundle does`);
					throw require_bundle.usageError("SIGNATURE_NOT_FOUND", `cannot read signature ${path} (${err.code})`, err);
				}
			}
		}];
	}
	/**
	* Refuses (SIGNATURE_WOULD_OVERWRITE) when the path holds a regular file that is not a
	* Sigstore bundle: `--signature model/weights.bin` must not replace the weights. An empty
	* file holds nothing to lose (a shell's `> out.sig` made it, or `touch`), so it is written
	* over. Call it before long work; `put` checks again.
	*/
	async assertReplaceable() {
		const info = await (0, node_fs_promises.stat)(this.path).catch(() => void 0);
		if (!info?.isFile() || info.size === 0 || await startsAsBundle(this.path) || isBundle(await require_core.readSmallFile(this.path, 67108864).catch(() => void 0))) return;
		throw require_bundle.usageError("SIGNATURE_WOULD_OVERWRITE", `${this.path} exists and is not a signature bundle; it is left as it is (remove it or choose another --signature)`);
	}
	/**
	* Writes the bundle all at once (`replaceFile`): never a half-written bundle. A symbolic
	* link is written through (a dangling one makes its target); a device or FIFO
	* (/dev/stdout) is written into, as the reference's open() does. An existing file that is
	* not a bundle is never replaced.
	*/
	async put(bundle) {
		await this.assertReplaceable();
		try {
			await require_core.replaceFile(this.path, bundle, { intoSpecial: true });
		} catch (err) {
			const e = err;
			const why = e.syscall === void 0 ? `: ${e.message}` : ` (${e.code})`;
			throw require_bundle.usageError("SIGNATURE_WRITE_FAILED", `cannot write signature ${this.path}${why}`, err);
		}
		return this.path;
	}
};
const MEDIA_TYPE_FIRST = /^\s*\{\s*"mediaType"\s*:\s*"([^"\\]*)"/;
const HEAD_BYTES = 256;
/**
* Whether a file opens as a Sigstore bundle does: its first bytes are enough to know it is
* no model file, without reading and parsing a bundle of tens of MB (twice per `sign`).
*/
async function startsAsBundle(path) {
	const file = await (0, node_fs_promises.open)(path, "r").catch(() => void 0);
	if (!file) return false;
	try {
		const head = Buffer.alloc(HEAD_BYTES);
		const { bytesRead } = await file.read(head, 0, HEAD_BYTES, 0);
		return (MEDIA_TYPE_FIRST.exec(head.subarray(0, bytesRead).toString("latin1"))?.[1])?.startsWith(BUNDLE_MEDIA_TYPE_PREFIX) === true;
	} catch {
		return false;
	} finally {
		await file.close();
	}
}
/** Whether a document is JSON with a Sigstore bundle media type, wherever that key stands. */
function isBundle(bytes) {
	let mediaType;
	try {
		mediaType = JSON.parse(bytes?.toString("utf8") ?? "")?.mediaType;
	} catch {}
	return typeof mediaType === "string" && mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX);
}
// dist/adapters/local/staged-download.js
/**
* Downloads a model into a directory without ever showing unverified bytes there: files
* are written under a hidden staging directory as the engine hashes them, or as the source
* lists them when listing means reading them (tar layers), so each byte is downloaded
* once; they are moved into place only by `commit`, after verification, which names the
* files the verifying signature covers. `abort` removes everything staged.
*
* A new destination appears in one rename, whole or not at all: the staging directory is
* its sibling, and the verified files are gathered there first. Into an existing directory
* the files are moved one by one, so `state` tells a signal handler to let a commit finish.
*/
var StagedDownload = class StagedDownload {
	destination;
	destinationExisted;
	staging;
	incoming;
	written = /* @__PURE__ */ new Set();
	complete = /* @__PURE__ */ new Set();
	originalsKept = false;
	phase = "staging";
	madeParents = [];
	constructor(destination, destinationExisted) {
		this.destination = destination;
		this.destinationExisted = destinationExisted;
		const name = `.modelsign-pull-${(0, node_crypto.randomBytes)(6).toString("hex")}`;
		this.staging = destinationExisted ? (0, node_path.join)(destination, name) : (0, node_path.join)((0, node_path.dirname)(destination), `.${(0, node_path.basename)(destination)}${name}`);
		this.incoming = (0, node_path.join)(this.staging, "files");
	}
	static async create(destination) {
		const existed = await (0, node_fs_promises.stat)(destination).then((s) => {
			if (!s.isDirectory()) throw require_bundle.usageError("DESTINATION_INVALID", `${destination} exists and is not a directory`);
			return true;
		}, () => false);
		const download = new StagedDownload(destination, existed);
		download.madeParents = (await require_core.makeDirectories(download.incoming).catch((err) => {
			throw require_bundle.usageError("DESTINATION_INVALID", `cannot create a staging directory for ${destination}: ${err.message}`, err);
		})).filter((dir) => !isWithin(dir, (0, node_path.resolve)(download.staging)));
		return download;
	}
	/**
	* `staging` until `commit` or `abort`. From `committing` on, verified files are landing
	* in the destination: an interruption should let that finish rather than abort.
	*/
	get state() {
		return this.phase;
	}
	/** Wraps a source so every file it streams is also written to the staging directory. */
	tee(source) {
		const stage = async function* (name, bytes) {
			if (this.phase === "aborted") throw require_bundle.usageError("ABORTED", `the download into ${this.destination} was abandoned`);
			if (this.written.has(name)) throw require_bundle.usageError("STAGED_TWICE", `${name} was already downloaded in this pull`);
			const path = (0, node_path.join)(this.incoming, name);
			await require_core.makeDirectories((0, node_path.dirname)(path)).catch((err) => {
				throw require_bundle.usageError("WRITE_FAILED", `cannot write ${path}: ${err.message}`, err);
			});
			const out = (0, node_fs.createWriteStream)(path, { flags: "wx" });
			let failure;
			out.on("error", (err) => failure ??= err);
			this.written.add(name);
			try {
				for await (const chunk of bytes) {
					if (!out.write(chunk)) await (0, node_events.once)(out, "drain").catch(() => void 0);
					if (failure) throw require_bundle.usageError("WRITE_FAILED", `cannot write ${path}: ${failure.message}`, failure);
					yield chunk;
				}
			} finally {
				out.end();
				if (!out.closed) await (0, node_events.once)(out, "close").catch(() => void 0);
			}
			if (failure) throw require_bundle.usageError("WRITE_FAILED", `cannot write ${path}: ${failure.message}`, failure);
			this.complete.add(name);
		}.bind(this);
		const passBytes = (name, bytes) => this.written.has(name) ? bytes : stage(name, bytes);
		return {
			location: source.location,
			modelName: source.modelName,
			singleFile: source.singleFile,
			list: (options) => source.list({
				...options,
				passBytes
			}),
			read: (file, start, end) => source.read(file, start, end),
			stream: async (files, visit) => {
				const remote = [];
				for (const file of files) if (this.complete.has(file.name)) await visit(file, (0, node_fs.createReadStream)((0, node_path.join)(this.incoming, file.name)));
				else remote.push(file);
				const inner = source.stream?.bind(source) ?? (async (fs, v) => {
					for (const f of fs) await v(f, source.read(f, 0, f.size));
				});
				if (remote.length > 0) await inner(remote, (file, bytes) => visit(file, stage(file.name, bytes)));
			}
		};
	}
	/** The hidden directory the download is staged in (named when a forced stop leaves it). */
	get stagingDirectory() {
		return this.staging;
	}
	/**
	* Moves the staged files named in `verified` into the destination and drops the rest
	* (bytes streamed only to check a signature that did not verify). Returns the names moved.
	* A new destination is assembled beside it and renamed into place at once.
	*/
	async commit(verified) {
		this.phase = "committing";
		try {
			const root = this.destinationExisted ? this.destination : (0, node_path.join)(this.staging, "verified");
			const names = [...this.written].filter((name) => verified.has(name));
			if (this.destinationExisted) await this.checkPlaces(names);
			await require_core.makeDirectories(root);
			const moved = await this.moveAll(root, names);
			if (!this.destinationExisted) await (0, node_fs_promises.rename)(root, this.destination).catch((err) => {
				throw require_bundle.usageError("DESTINATION_INVALID", `${this.destination} appeared while the model was being pulled (${err.code}); nothing was written to it`, err);
			});
			await (0, node_fs_promises.rm)(this.staging, {
				recursive: true,
				force: true
			});
			this.phase = "committed";
			return moved;
		} catch (err) {
			this.phase = "staging";
			throw err;
		}
	}
	/**
	* Renames each file into place. The pre-check cannot see everything (a bind mount is a
	* rename boundary with the same device number; a file can be immutable; things change
	* meanwhile), so a file in the way is first moved aside into the staging directory, and
	* when a rename fails every step so far is undone: the destination is left as it was.
	*/
	async moveAll(root, names) {
		const undo = [];
		const aside = (0, node_path.join)(this.staging, "replaced");
		let asideMade = false;
		for (const [i, name] of names.entries()) {
			const target = (0, node_path.join)(root, name);
			try {
				const made = await require_core.makeDirectories((0, node_path.dirname)(target));
				if (made.length > 0) undo.push(() => require_core.removeEmptyDirectories(made));
				const found = this.destinationExisted ? await (0, node_fs_promises.lstat)(target).catch(() => void 0) : void 0;
				if (found) {
					if (found.isDirectory()) throw Object.assign(/* @__PURE__ */ new Error("a directory appeared in its place"), { code: "EISDIR" });
					if (!asideMade) {
						await require_core.makeDirectories(aside);
						asideMade = true;
					}
					const original = (0, node_path.join)(aside, String(i));
					await (0, node_fs_promises.rename)(target, original);
					undo.push(() => (0, node_fs_promises.rename)(original, target));
				}
				await (0, node_fs_promises.rename)((0, node_path.join)(this.incoming, name), target);
				undo.push(() => (0, node_fs_promises.rename)(target, (0, node_path.join)(this.incoming, name)));
			} catch (err) {
				const undone = await this.undo(undo);
				throw require_bundle.usageError("WRITE_FAILED", `cannot move ${name} into ${this.destination}: ${err.message} (${undone})`, err);
			}
		}
		return [...names];
	}
	/** Runs the undo steps newest first; says what the destination was left with. */
	async undo(steps) {
		if (steps.length === 0) return "nothing was moved";
		const failures = [];
		for (const step of [...steps].reverse()) await step().catch((err) => failures.push(err.message));
		if (failures.length === 0) return "the files moved so far were taken back and any they replaced put back: the destination is as it was";
		this.originalsKept = true;
		return `undoing the move failed too (${failures[0]}): files it replaced that are not back in place are kept in ${(0, node_path.join)(this.staging, "replaced")}`;
	}
	/**
	* Before anything moves into an existing destination: every file must land on nothing or
	* on a regular file (or link) it replaces, below real directories, and the directory it
	* goes into must take it in one rename from the staging directory: writable, and on the
	* same file system (a rename cannot cross devices: EXDEV). A directory in a file's place
	* or an unwritable directory would stop the moves halfway, and a symbolic link among the
	* directories would send the file outside the destination. DESTINATION_INVALID, with
	* nothing moved.
	*/
	async checkPlaces(names) {
		const kinds = /* @__PURE__ */ new Map();
		const kind = async (rel) => {
			const known = kinds.get(rel);
			if (known) return known;
			const info = await (0, node_fs_promises.lstat)((0, node_path.join)(this.destination, rel)).catch(() => void 0);
			const found = !info ? "none" : info.isDirectory() ? "directory" : info.isFile() ? "file" : info.isSymbolicLink() ? "link" : "other";
			kinds.set(rel, found);
			return found;
		};
		const refuse = (rel, why) => {
			throw require_bundle.usageError("DESTINATION_INVALID", `cannot pull into ${this.destination}: ${rel === "" ? "it" : rel} ${why}; nothing was moved`);
		};
		const device = (await (0, node_fs_promises.stat)(this.incoming)).dev;
		const receiving = /* @__PURE__ */ new Set();
		const receives = async (rel) => {
			if (receiving.has(rel)) return;
			receiving.add(rel);
			const path = (0, node_path.join)(this.destination, rel);
			await (0, node_fs_promises.access)(path, node_fs.constants.W_OK).catch((err) => refuse(rel, `is not writable (${err.code})`));
			if ((await (0, node_fs_promises.stat)(path)).dev !== device) refuse(rel, "is on another file system than the staging directory, and a file cannot be renamed across file systems");
		};
		for (const name of names) {
			const parts = name.split("/");
			let deepest = "";
			for (let i = 1; i < parts.length; i += 1) {
				const rel = parts.slice(0, i).join("/");
				const found = await kind(rel);
				if (found === "none") break;
				if (found === "link") refuse(rel, "is a symbolic link, and pull does not write through links");
				if (found !== "directory") refuse(rel, `is a file where the model has a directory`);
				deepest = rel;
			}
			const found = await kind(name);
			if (found === "directory") refuse(name, "is a directory where the model has a file");
			if (found === "other") refuse(name, "is a special file (a pipe, socket or device) where the model has a file");
			await receives(deepest);
		}
	}
	/** Removes everything staged, and the parent directories this download made; the destination is left as it was. */
	async abort() {
		this.phase = "aborted";
		await (0, node_fs_promises.rm)(this.originalsKept ? this.incoming : this.staging, {
			recursive: true,
			force: true
		});
		if (!this.originalsKept) await require_core.removeEmptyDirectories(this.madeParents);
	}
	/** `abort`, synchronously: for a process about to exit (a signal), which cannot wait. */
	abortNow() {
		this.phase = "aborted";
		(0, node_fs.rmSync)(this.originalsKept ? this.incoming : this.staging, {
			recursive: true,
			force: true
		});
		if (!this.originalsKept) require_core.removeEmptyDirectoriesSync(this.madeParents);
	}
};
// dist/cli/terminal.js
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escape = (c) => {
	const code = c.charCodeAt(0);
	return code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};
/**
* A value for a line of text output (a file name, a certificate subject, an annotation):
* names in a signed statement, a certificate or a registry are chosen by whoever made them,
* so their control characters are shown escaped (`\x1b`), never sent to the terminal, and a
* newline cannot forge a report line. JSON output needs none of this.
*/
const printable = (value) => value.replace(CONTROLS, escape);
/** A message of one or more lines (errors, warnings): as `printable`, but its own newlines stay. */
const printableText = (text) => text.replace(CONTROLS_BUT_LINES, escape);
/** `1 resource`, `2 resources`: a count with its noun in the right number. */
const counted = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;
/** Prints each line to stderr as `note: ...` or `warning: ...`, through `printableText`. */
function printNotices(label, lines) {
	for (const line of lines) process.stderr.write(`${label}: ${printableText(line)}\n`);
}
// dist/cli/cache.js
/**
* modelsign's cache directory: $XDG_CACHE_HOME/modelsign, else ~/.cache/modelsign. An empty
* or relative XDG_CACHE_HOME counts as unset (the XDG spec says so), so nothing is written
* under the current directory, which may be the model.
*/
function cacheDirectory(env = process.env) {
	const xdg = env.XDG_CACHE_HOME;
	return (0, node_path.join)(xdg && (0, node_path.isAbsolute)(xdg) ? xdg : (0, node_path.join)((0, node_os.homedir)(), ".cache"), "modelsign");
}
/** The default digest cache: `digests.json` in the cache directory. */
const defaultCachePath = (env = process.env) => (0, node_path.join)(cacheDirectory(env), "digests.json");
/**
* The digest cache the command was asked to use (`--cache`, `--cache-file`), if any. One
* inside the model directory is refused (CACHE_INSIDE_MODEL): written there, it would be a
* file of the model, unsigned at `sign` and extra at the next `verify`.
*/
async function openCache(argv, source) {
	const path = argv["cache-file"] ?? (argv.cache ? defaultCachePath() : void 0);
	if (path === void 0) return void 0;
	const file = (0, node_path.resolve)(path);
	const cache = await require_core.FileDigestCache.open(file);
	if (source instanceof LocalModelSource && !source.singleFile && await isInside(file, source.location)) throw require_bundle.usageError("CACHE_INSIDE_MODEL", `the digest cache ${file} is inside the model ${source.location}: it would become a file of the model (unsigned, then extra at verify); keep it outside the model directory`);
	return cache;
}
/** Whether a file lies in a directory, by the paths as given or once links are resolved (of the file, or of its directory while it does not exist). */
async function isInside(file, dir) {
	const real = await (0, node_fs_promises.realpath)(file).catch(() => (0, node_fs_promises.realpath)((0, node_path.dirname)(file)).then((d) => (0, node_path.join)(d, (0, node_path.basename)(file)), () => file));
	const realDir = await (0, node_fs_promises.realpath)(dir).catch(() => dir);
	return below(file, dir) || below(real, realDir);
}
const below = (path, dir) => path !== dir && isWithin(path, dir);
/**
* Saves the cache once hashing is done and says how much it answered. A cache that cannot
* be written costs a warning, never the command's result.
*/
async function closeCache(cache, json) {
	if (!cache) return;
	if (!json && cache.hits > 0) printNotices("note", [`${cache.hits} digest(s) taken from the digest cache ${cache.path}, not re-read`]);
	try {
		await cache.save();
	} catch (err) {
		printNotices("warning", [`cannot save the digest cache ${cache.path}: ${require_bundle.messageOf(err)}`]);
	}
}
// dist/cli/options.js
/** Flags shared by digest and sign: how the model is serialized. */
const serializationOptions = {
	method: {
		choices: ["files", "shards"],
		default: "files",
		describe: "Serialization: one digest per file, or per shard of each file"
	},
	"hash-algorithm": {
		alias: "hash_algorithm",
		choices: require_work.HASH_ALGORITHMS,
		default: "sha256",
		describe: "Per-resource hash (the root digest is always SHA-256)"
	},
	"shard-size": {
		alias: "shard_size",
		type: "number",
		default: 1e9,
		describe: "Shard size in bytes for --method shards"
	},
	"allow-symlinks": {
		alias: "allow_symlinks",
		type: "boolean",
		default: false,
		describe: "Follow symbolic links instead of failing on them"
	}
};
/** Flags shared by digest, sign and verify: which paths are left out, how to hash, how to print. */
const ignoreOptions = {
	"ignore-paths": {
		alias: "ignore_paths",
		type: "string",
		array: true,
		default: [],
		describe: "A path to leave out, absolute or relative to the current directory (give the flag once per path); only those inside the model count"
	},
	"ignore-git-paths": {
		alias: "ignore_git_paths",
		type: "boolean",
		default: true,
		describe: "Leave out .git, .gitattributes, .github and .gitignore (--no-ignore-git-paths to include them)"
	},
	"max-workers": {
		alias: "max_workers",
		type: "number",
		describe: "Threads that hash local files, the main thread among them (default: one per core, within a container's CPU limit)"
	},
	cache: {
		type: "boolean",
		default: false,
		describe: "Reuse digests of files unchanged (same device, inode, size, mtime and ctime) since an earlier run, kept in $XDG_CACHE_HOME/modelsign/digests.json (else ~/.cache/modelsign/digests.json)"
	},
	"cache-file": {
		alias: "cache_file",
		type: "string",
		describe: "The digest cache file to use (implies --cache)"
	},
	json: {
		type: "boolean",
		default: false,
		describe: "Print one JSON document instead of text"
	}
};
/**
* Turns CLI ignore paths (absolute, or relative to the current directory, as in the
* reference CLI) into paths relative to the model root, dropping those outside it.
*/
function modelRelativePaths(paths, modelRoot) {
	const root = (0, node_path.resolve)(modelRoot);
	const out = [];
	for (const p of paths) {
		const rel = (0, node_path.relative)(root, (0, node_path.resolve)(p));
		if (rel === "" || isOutside(rel)) continue;
		out.push(rel.split(node_path.sep).join("/"));
	}
	return out;
}
function checkWorkers(n) {
	if (n === void 0) return void 0;
	if (!Number.isInteger(n) || n < 1) throw require_bundle.usageError("BAD_FLAG", `--max-workers must be a positive integer, got ${n}`);
	return n;
}
/**
* Checked here, before the engine's own check, so that the error names the flag: the
* engine's message ("shard size must be ...") is for library callers too.
*/
function checkShardSize(n) {
	if (!Number.isSafeInteger(n) || n <= 0) throw require_bundle.usageError("BAD_SHARD_SIZE", `--shard-size must be a positive integer, got ${n}`);
	return n;
}
/**
* Hashing pool options for commands whose main thread has nothing else to do while local
* files hash (digest, sign, verify): it hashes too, and one worker fewer is started.
*/
function poolOptionsFrom(argv) {
	return {
		maxWorkers: checkWorkers(argv["max-workers"]),
		hashOnCallingThread: true
	};
}
const command = (c) => c;
/** The engine's hashing options from the serialization and ignore flags, as digest and sign take them. */
function hashOptionsFrom(argv, ignorePaths, progress, cache) {
	return {
		method: argv.method,
		hashAlgorithm: argv["hash-algorithm"],
		shardSize: checkShardSize(argv["shard-size"]),
		allowSymlinks: argv["allow-symlinks"],
		ignorePaths,
		ignoreGitPaths: argv["ignore-git-paths"],
		...poolOptionsFrom(argv),
		cache,
		onTotal: progress.onTotal,
		onProgress: progress.onProgress
	};
}
/** Arguments given as words rather than flags, named as such in errors. */
const POSITIONALS = /* @__PURE__ */ new Set([
	"model",
	"dir",
	"reference"
]);
/** The one string flag an empty value can mean something for (an empty passphrase). */
const MAY_BE_EMPTY = /* @__PURE__ */ new Set(["password"]);
/** Flags whose values are credentials: errors give their count, never the values. */
const SECRET_FLAGS = /* @__PURE__ */ new Set([
	"identity-token",
	"identity_token",
	"password"
]);
const secretsRead = [];
/** A secret read from elsewhere than a flag (a password file, MODELSIGN_PASSWORD): errors blank it as they blank secret flags' values. */
const addSecret = (value) => void secretsRead.push(value);
/** The secrets given to addSecret so far. */
const readSecrets = () => secretsRead;
/**
* Fails (BAD_FLAG) on flag values no command can use, before any runs (a yargs middleware,
* run before validation):
* - a flag that takes one value given more than once. yargs collects the values into a
*   list, which then reached the engine as if it were one value: `--method files --method
*   shards` signed a statement whose method was a list. Taking the last one silently, as
*   some tools do, could sign or verify with a value the user did not mean;
* - an empty value (`--signature ""`, or `digest ""`, which resolved to the current
*   directory): usually an unset shell variable, never a path anyone means;
* - a number flag whose value is not a number, or is empty (yargs reads "" as 0, so the
*   words given, `args`, are looked at for those).
*/
function rejectUnusableValues(argv, cli, args = []) {
	const declared = cli?.getOptions?.();
	const lists = new Set(declared?.array ?? []);
	const emptyNumber = emptyValueOf(args, declared?.number ?? []);
	if (emptyNumber !== void 0) throw require_bundle.usageError("BAD_FLAG", `--${emptyNumber} is empty`);
	const odd = oddBooleanOf(args, declared?.boolean ?? []);
	if (odd !== void 0) throw require_bundle.usageError("BAD_FLAG", `${odd} takes true or false (or no value)`);
	const rest = argv["--"];
	if (Array.isArray(rest) && rest.length > 0) throw require_bundle.usageError("BAD_USAGE", `${rest.length} word(s) after \`--\` that no argument takes: ${rest.map((v) => JSON.stringify(String(v))).join(", ")}`);
	const names = Object.keys(argv).filter((k) => k !== "_" && k !== "$0" && k !== "--" && !/[A-Z]/.test(k)).sort((a, b) => Number(a.includes("_")) - Number(b.includes("_")));
	const label = (name) => POSITIONALS.has(name) ? `the <${name}> argument` : `--${name}`;
	for (const name of names) {
		const value = argv[name];
		if (Array.isArray(value) && !lists.has(name)) {
			const values = SECRET_FLAGS.has(name) ? "" : `: ${value.map((v) => JSON.stringify(String(v))).join(", ")}`;
			throw require_bundle.usageError("BAD_FLAG", `--${name} takes one value but was given ${value.length}${values}`);
		}
		if (Number.isNaN(value)) throw require_bundle.usageError("BAD_FLAG", `--${name} takes a number`);
		if (MAY_BE_EMPTY.has(name)) continue;
		if (value === "" && dashFollows(args, name)) throw require_bundle.usageError("BAD_FLAG", STDIN_DASH(`--${name}`));
		if (value === "") throw require_bundle.usageError("BAD_FLAG", `${label(name)} is empty`);
		if (Array.isArray(value) && value.includes("")) throw require_bundle.usageError("BAD_FLAG", `${label(name)} has an empty value`);
	}
}
/** `-` for standard input is not a convention these flags follow (but for --password-file); /dev/stdin works. */
const STDIN_DASH = (flag) => `${flag} takes a path, and \`-\` (standard input) is not one: use /dev/stdin`;
const kebab = (word) => word.replaceAll("_", "-");
/** Whether `--name -` is in `args`: yargs takes a lone `-` as an argument of its own, leaving the flag empty. */
const dashFollows = (args, name) => args.some((word, i) => kebab(word) === `--${kebab(name)}` && args[i + 1] === "-");
/** The flags whose value `-` means standard input. */
const STDIN_FLAGS = /* @__PURE__ */ new Set(["--password-file"]);
/** The words with `--password-file -` joined into `--password-file=-`, which yargs reads as the flag's value (see dashFollows). */
function withStdinDashes(args) {
	const out = [];
	for (let i = 0; i < args.length; i += 1) {
		const word = args[i];
		if (word === "--") return [...out, ...args.slice(i)];
		if (STDIN_FLAGS.has(kebab(word)) && args[i + 1] === "-") {
			out.push(`${word}=-`);
			i += 1;
		} else out.push(word);
	}
	return out;
}
/** The first `--flag=value` in `args` that gives one of the boolean `flags` a value other than true or false, as it was spelled. */
function oddBooleanOf(args, flags) {
	for (let i = 0; i < args.length && args[i] !== "--"; i += 1) {
		const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(args[i]);
		if (m && flags.includes(m[1]) && m[2] !== "true" && m[2] !== "false") return args[i];
	}
}
/** The first of `flags` given an empty value in `args` (`--flag=` or `--flag ""`), as it was spelled. */
function emptyValueOf(args, flags) {
	for (let i = 0; i < args.length && args[i] !== "--"; i += 1) {
		const word = args[i];
		const flag = flags.find((f) => word === `--${f}=` || word === `--${f}` && args[i + 1] === "");
		if (flag !== void 0) return flag;
	}
}
/**
* yargs names an unknown flag twice, as given and in camelCase (`Unknown arguments:
* public-key, publicKey`); this keeps the names as given.
*/
function withoutCamelCaseCopies(message) {
	const m = /^(Unknown arguments?): (.*)$/s.exec(message);
	if (!m) return message;
	const names = m[2].split(", ");
	const camel = (n) => n.replace(/[-_]+([a-z0-9])/g, (_, c) => c.toUpperCase());
	const kept = names.filter((n) => !names.some((other) => other !== n && camel(other) === n));
	return `${kept.length === 1 ? "Unknown argument" : "Unknown arguments"}: ${kept.join(", ")}`;
}
/**
* yargs 17 renders the matched command's help text and caches it right after starting the
* command's handler, synchronously, so the handler's first await returns only after it:
* about 7 ms of the main thread, just before a local model is listed and the hash workers
* get their work. The cache serves help shown on a failure, which this CLI reports without
* help (see `.fail` in main.ts), so rendering it is skipped. `--help` renders as usual.
*/
function skipHelpCache(cli) {
	const usage = (cli.getInternalMethods?.())?.getUsageInstance?.();
	if (usage && typeof usage.cacheHelpMessage === "function") usage.cacheHelpMessage = () => void 0;
}
// dist/cli/progress.js
/** Progress lines now on screen: what `eraseProgressLines` erases. */
const onScreen = /* @__PURE__ */ new Set();
/**
* Erases any progress line on screen: for a process about to end on a signal (Ctrl-C), so
* that what the shell prints next starts on a clean line. The write is synchronous (a
* terminal on Linux), so it is done before the signal ends the process.
*/
function eraseProgressLines() {
	for (const progress of onScreen) progress.finish();
}
/**
* A one-line progress display on stderr for long hashing: bytes done and to do, rate and
* time left. It draws only when stderr is a terminal and the output is not JSON, not before
* half a second has passed (short runs stay quiet), and at most five times a second; the
* line is erased when hashing ends, or when a signal ends the process (cli/interruptions.ts).
*/
var Progress = class Progress {
	enabled;
	stream;
	now;
	verb;
	total = 0;
	done = 0;
	started;
	lastDraw = 0;
	drawn = false;
	constructor(enabled, stream = process.stderr, now = Date.now, verb = "hashing") {
		this.enabled = enabled;
		this.stream = stream;
		this.now = now;
		this.verb = verb;
	}
	static forOutput(json, { stream = process.stderr, now = Date.now, verb = "hashing" } = {}) {
		return new Progress(!json && stream.isTTY === true, stream, now, verb);
	}
	/**
	* Hashing reads `bytes` bytes in all, counting any already read while listing (small
	* files are hashed as they are listed): the clock for rate and ETA starts at the first
	* of this call and the first bytes.
	*/
	onTotal = (bytes) => {
		this.total = bytes;
		this.started ??= this.now();
	};
	onProgress = (bytes) => {
		this.done += bytes;
		if (!this.enabled) return;
		const now = this.now();
		this.started ??= now;
		const elapsed = (now - this.started) / 1e3;
		if (elapsed < .5 || now - this.lastDraw < 200) return;
		this.lastDraw = now;
		const rate = this.done / elapsed;
		const pct = this.total > 0 ? ` (${Math.floor(100 * this.done / this.total)}%)` : "";
		const eta = rate > 0 && this.total > this.done ? `, ${formatDuration((this.total - this.done) / rate)} left` : "";
		const of = this.total > 0 ? ` of ${formatBytes(this.total)}` : " while listing";
		this.stream.write(`\r${this.verb} ${formatBytes(this.done)}${of}${pct} at ${formatBytes(rate)}/s${eta}\u001b[K`);
		this.drawn = true;
		onScreen.add(this);
	};
	finish() {
		if (this.drawn) this.stream.write("\r\x1B[K");
		this.drawn = false;
		onScreen.delete(this);
	}
};
function formatBytes(n) {
	const units = [
		"B",
		"KiB",
		"MiB",
		"GiB",
		"TiB"
	];
	let i = 0;
	while (n >= 1024 && i < units.length - 1) {
		n /= 1024;
		i += 1;
	}
	return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
/** `42 s`, `3 min 05 s`, `2 h 07 min`. */
function formatDuration(seconds) {
	const s = Math.ceil(seconds);
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
	return `${Math.floor(s / 3600)} h ${String(Math.floor(s % 3600 / 60)).padStart(2, "0")} min`;
}
// dist/cli/hash.js
/**
* Hashes a model as `digest` and `sign` do: with the serialization and ignore flags, a
* progress display on a terminal, and the digest cache if asked for; the listing's
* warnings go to stderr.
*/
async function hashWithFlags(source, argv, ignorePaths) {
	const progress = Progress.forOutput(argv.json);
	const cache = await openCache(argv, source);
	let hashed;
	try {
		hashed = await require_core.hashModel(source, hashOptionsFrom(argv, ignorePaths, progress, cache));
	} finally {
		progress.finish();
	}
	await closeCache(cache, argv.json);
	const empty = hashed.manifest.resources.length === 0 ? [`${source.location} has nothing to hash (no files${argv.method === "shards" ? " with content" : ""} after the ignore rules): the root digest is that of nothing`] : [];
	const result = {
		...hashed,
		listing: {
			...hashed.listing,
			warnings: [...hashed.listing.warnings, ...empty]
		}
	};
	printNotices("warning", result.listing.warnings);
	return result;
}
// dist/cli/ca-certificates.js
/**
* Where the `modelsign` launcher (cli/launcher.js) keeps NODE_EXTRA_CA_CERTS when it starts
* Node without it, for a command line it takes for one that only reads local files.
*/
const SET_ASIDE = "MODELSIGN_NODE_EXTRA_CA_CERTS";
/**
* Refuses to go on to `what` (something that uses TLS) in a process the launcher started
* without the CA certificates the environment names: TLS would trust fewer authorities than
* the user set up, and fail behind a proxy that relies on them. Only a mistake in the
* launcher's choice gets here; the message says how to run without it meanwhile. Every
* way the CLI reaches the network calls this first (registries, Sigstore, TUF).
*/
function requireCaCertificates(what) {
	const path = process.env[SET_ASIDE];
	if (path === void 0) return;
	throw require_bundle.usageError("CA_CERTIFICATES_SET_ASIDE", `${what} may need TLS, but the modelsign launcher started Node without NODE_EXTRA_CA_CERTS=${path}, taking this command line for one that only reads local files. This is a modelsign bug: please report it; meanwhile \`node ${process.argv[1] ?? "dist/bin/modelsign.js"}\` with the same arguments keeps the environment as it is`);
}
// dist/cli/oci.js
/** Flags for talking to registries. */
const ociOptions = {
	"plain-http": {
		alias: "plain_http",
		type: "boolean",
		default: false,
		describe: "Use plain HTTP for a non-loopback registry (loopback registries always may)"
	},
	username: {
		type: "string",
		describe: "Registry username (default: docker credentials)"
	},
	"password-stdin": {
		alias: "password_stdin",
		type: "boolean",
		default: false,
		describe: "Read the registry password from standard input"
	}
};
/**
* push, attach, discover and pull take a registry or layout reference only: a bare name
* would otherwise be read as a Docker Hub repository (docker's short names) and fail remotely.
*/
function requireOciReference(command, reference) {
	if (!require_core.isOciReference(reference)) throw require_bundle.usageError("BAD_REFERENCE", `${command} needs oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest], not ${JSON.stringify(reference)}`);
}
/** Registry access from the flags: explicit credentials, else docker's config and helpers. */
async function ociAccess(argv) {
	requireCaCertificates("an oci:// or oci-layout: reference");
	if (argv["password-stdin"] && argv.username === void 0) throw require_bundle.usageError("BAD_FLAG", "--password-stdin needs --username");
	if (argv.username !== void 0 && !argv["password-stdin"]) throw require_bundle.usageError("BAD_FLAG", "--username needs --password-stdin (passwords are never taken on the command line)");
	const explicit = argv.username !== void 0 ? {
		kind: "basic",
		username: argv.username,
		password: withoutLineEnd(await readStdin()).toString("utf8"),
		source: "--username and --password-stdin"
	} : void 0;
	return {
		plainHttp: argv["plain-http"],
		credentials: require_core.dockerCredentials(explicit)
	};
}
/** Standard input, read to its end (the registry password of --password-stdin, a key's of --password-file -). */
async function readStdin() {
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	return Buffer.concat(chunks);
}
/** The bytes without one trailing `\n` or `\r\n`, the end of the line a password is typed or echoed on. */
function withoutLineEnd(bytes) {
	if (bytes.at(-1) !== 10) return bytes;
	return bytes.subarray(0, bytes.at(-2) === 13 ? -2 : -1);
}
// dist/cli/io.js
const MAX_INPUT_BYTES = 16777216;
/** Reads a local input file (key, certificate, trust root, token); failure is a usage error naming it. */
async function readInput(path, what) {
	if (path === "-") throw require_bundle.usageError("BAD_FLAG", STDIN_DASH(`the ${what}`));
	try {
		return await require_core.readSmallFile(path, MAX_INPUT_BYTES);
	} catch (err) {
		const why = err instanceof require_core.FileTooLargeError ? `over ${MAX_INPUT_BYTES} bytes` : err.code ?? "error";
		throw require_bundle.usageError("INPUT_NOT_FOUND", `cannot read ${what} ${path} (${why})`, err);
	}
}
/** Opens a local model and works out which CLI ignore paths (and the signature file) fall inside it. */
async function openLocalModel(modelPath, ignorePaths, signaturePath) {
	const source = await LocalModelSource.open(modelPath);
	return {
		source,
		ignorePaths: source.singleFile ? [] : modelRelativePaths([...ignorePaths, ...signaturePath ? [(0, node_path.resolve)(signaturePath)] : []], source.location)
	};
}
/**
* Opens a model argument. Local ignore paths are resolved from the current directory, as
* the reference CLI does; for a registry model they are relative to the model root.
*/
async function openModel(arg, ignorePaths, signaturePath, argv) {
	if (!require_core.isOciReference(arg)) return openLocalModel(arg, ignorePaths, signaturePath);
	const { openOciModel } = await Promise.resolve().then(() => require("./oci--F38mF4t.js"));
	const oci = await openOciModel(arg, await ociAccess(argv));
	return {
		source: oci.source,
		ignorePaths: [...ignorePaths],
		oci
	};
}
/**
* Whether a path leads to this process's standard output, whatever that is: `/dev/stdout`
* or `/dev/fd/1` (links the kernel follows to a pipe, a terminal, or the file stdout was
* redirected to), or that file or terminal by its own name. Compared by device and inode.
*/
async function isStandardOutput(path) {
	let out;
	try {
		out = (0, node_fs.fstatSync)(1);
	} catch {
		return false;
	}
	const at = await (0, node_fs_promises.stat)(path).catch(() => void 0);
	return at !== void 0 && at.dev === out.dev && at.ino === out.ino;
}
/**
* The file standard output was redirected to (`> model/x.sig`), by its real path; undefined
* for a pipe, a terminal or anything else that is not a regular file.
*/
async function standardOutputFile() {
	try {
		if (!(0, node_fs.fstatSync)(1).isFile()) return void 0;
	} catch {
		return;
	}
	return (0, node_fs_promises.realpath)("/dev/stdout").catch(() => void 0);
}
/** Writes bytes to stdout; resolves once they are handed to the system, rejects if they cannot be. */
const writeStdout = (bytes) => new Promise((done, fail) => process.stdout.write(bytes, (err) => err ? fail(err) : done()));
/** What this run has already done that stays done (a signature written, a model pulled), said when its report cannot be printed. */
const done = [];
const recordDone = (what) => void done.push(what);
const doneSoFar = () => done;
/** Prints one JSON document on stdout. */
const printJson = (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
// dist/cli/commands/digest.js
const digestCommand = command({
	command: "digest <model>",
	describe: "Hash a model and print its OMS root digest (--json: the whole manifest)",
	builder: (y) => y.positional("model", {
		type: "string",
		demandOption: true,
		describe: "Model directory or file, or oci://registry/repository[:tag|@digest] or oci-layout:DIR[:tag|@digest]"
	}).options({
		...serializationOptions,
		...ignoreOptions,
		...ociOptions
	}),
	handler: async (argv) => {
		const { source, ignorePaths } = await openModel(argv.model, argv["ignore-paths"], void 0, argv);
		const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths);
		if (argv.json) printJson({
			model: source.location,
			...manifest,
			rootDigest: `sha256:${manifest.rootDigest}`,
			ignored: listing.ignored,
			warnings: listing.warnings
		});
		else process.stdout.write(`sha256:${manifest.rootDigest}\n`);
	}
});
// dist/cli/interruptions.js
const INTERRUPTIONS$1 = [
	"SIGINT",
	"SIGTERM",
	"SIGHUP"
];
/**
* Makes an interrupted run (Ctrl-C, SIGTERM, a closed terminal) leave nothing behind: the
* progress line on the terminal is erased, the files it was writing (a signature's or the
* digest cache's temporary file, a lock file; see src/pending-files.ts) are removed, and
* the signal then ends the process as it would have (a shell reports 128 + its number, as
* for `pull`).
*
* The removal runs on 'exit', so it also follows a command that handles signals itself
* and calls process.exit (pull). While such a command has listeners of its own, this one
* stands aside: the command decides whether and when to exit (pull lets a verified model's
* move finish first).
*/
function cleanUpOnInterruption() {
	process.on("exit", require_core.removePendingFiles);
	for (const signal of INTERRUPTIONS$1) {
		const onSignal = () => {
			if (process.listenerCount(signal) > 1) return;
			eraseProgressLines();
			require_core.removePendingFiles();
			process.off(signal, onSignal);
			process.kill(process.pid, signal);
		};
		process.on(signal, onSignal);
	}
}
// dist/cli/sigstore-trust.js
/** Flags that choose which Sigstore deployment to trust or sign with. */
const trustOptions = {
	"trust-config": {
		alias: "trust_config",
		type: "string",
		describe: "A Sigstore ClientTrustConfig JSON (trusted root + signing config), for private deployments"
	},
	"use-staging": {
		alias: "use_staging",
		type: "boolean",
		default: false,
		describe: "Use Sigstore's staging instance"
	}
};
/**
* The trusted root to verify against. By default the public-good root pinned in the
* package: no network. Only `--refresh-trust-root` goes online (TUF), and `--offline` forbids it.
*/
async function verificationTrust(argv) {
	const chosen = [
		argv["trusted-root"] && "--trusted-root",
		argv["trust-config"] && "--trust-config",
		argv["refresh-trust-root"] && "--refresh-trust-root"
	].filter(Boolean);
	if (chosen.length > 1) throw require_bundle.usageError("BAD_FLAG", `${chosen.join(" and ")} cannot be combined: choose one source of trust`);
	if (argv.offline && argv["refresh-trust-root"]) throw require_bundle.usageError("BAD_FLAG", "--refresh-trust-root needs the network, which --offline forbids");
	if (argv["trusted-root"]) return {
		trustedRoot: require_core.parseTrustedRoot(await readInput(argv["trusted-root"], "trusted root"), argv["trusted-root"]),
		source: argv["trusted-root"]
	};
	if (argv["trust-config"]) return require_core.parseTrustConfig(await readInput(argv["trust-config"], "trust config"), argv["trust-config"]);
	if (argv["use-staging"]) throw require_bundle.usageError("NO_STAGING_ROOT", "no staging trusted root is pinned in this package: pass staging's trusted_root.json with --trusted-root, or a --trust-config");
	if (argv["refresh-trust-root"]) return refreshedPublicGoodTrust();
	return require_core.publicGoodTrust();
}
/** The signing config for `sign sigstore`: from --trust-config, staging, or the public-good instance. */
async function signingConfigFor(argv) {
	requireCaCertificates("keyless signing (Fulcio, Rekor, a timestamp authority)");
	if (argv["trust-config"]) {
		const trust = require_core.parseTrustConfig(await readInput(argv["trust-config"], "trust config"), argv["trust-config"]);
		if (!trust.signingConfig) throw require_bundle.usageError("TRUST_CONFIG_INVALID", `${argv["trust-config"]} has no signing config`);
		return trust.signingConfig;
	}
	return argv["use-staging"] ? require_core.STAGING_SIGNING_CONFIG : require_core.PUBLIC_GOOD_SIGNING_CONFIG;
}
/** Fetches the current public-good trusted root through TUF (the one networked trust step). */
async function refreshedPublicGoodTrust() {
	requireCaCertificates("refreshing the trusted root through TUF");
	const cachePath = (0, node_path.join)(cacheDirectory(), "tuf");
	await require_core.makeDirectories(cachePath).catch((err) => {
		throw require_bundle.usageError("TUF_CACHE_UNUSABLE", `cannot use ${cachePath} to keep TUF metadata: ${err.message}`, err);
	});
	const [{ TrustedRoot }, { getTrustedRoot }] = await Promise.all([import("@sigstore/protobuf-specs"), import("@sigstore/tuf")]);
	try {
		const root = await getTrustedRoot({ cachePath });
		return {
			trustedRoot: TrustedRoot.toJSON(root),
			signingConfig: require_core.PUBLIC_GOOD_SIGNING_CONFIG,
			source: "public-good trusted root refreshed through TUF"
		};
	} catch (err) {
		throw new require_bundle.ModelsignError("remote", "TUF_REFRESH_FAILED", `cannot refresh the trusted root through TUF: ${require_bundle.causeChain(err)}`, { cause: err });
	}
}
// dist/cli/stored-signatures.js
/**
* Reads stored signatures in turn and hands each bundle to `use` until it returns true;
* returns the locations of those listed but gone. With the referrers tag schema, deleting a
* signature leaves it listed in the fallback index unless the deleting tool updates it, so
* a listed referrer can answer 404 (NOT_FOUND). It signs nothing: it is skipped, not fatal.
*/
async function lostSignatures(signatures, use) {
	const gone = [];
	for (const stored of signatures) {
		let bundle;
		try {
			bundle = await stored.bytes();
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError && err.code === "NOT_FOUND") {
				gone.push(stored.location);
				continue;
			}
			throw err;
		}
		if (await use(stored, bundle)) break;
	}
	return gone;
}
const goneWarning = (location) => `signature ${location} is listed as a referrer but is no longer stored: skipped`;
/** What attaching a signature tidied up: referrers the fallback tag listed but the registry no longer held. */
const prunedNotes = (pruned) => pruned.map((location) => `dropped ${location} from the referrers tag: it was listed but is no longer stored`);
// dist/cli/commands/sign.js
const common = (y) => y.positional("model", {
	type: "string",
	demandOption: true,
	describe: "Model directory or file, oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]"
}).options({
	signature: {
		type: "string",
		describe: "Where to write the signature bundle (default for a local model: model.sig)"
	},
	attach: {
		type: "boolean",
		default: false,
		describe: "For an oci:// model: push the signature to the registry as a referrer"
	},
	...serializationOptions,
	...ignoreOptions,
	...ociOptions
});
const privateKeyOptions = {
	"private-key": {
		alias: "private_key",
		type: "string",
		demandOption: true,
		describe: "PEM private key (ECDSA P-256, P-384 or P-521)"
	},
	password: {
		type: "string",
		describe: "Password of an encrypted private key (other users can see it in the process list: prefer --password-file or MODELSIGN_PASSWORD)"
	},
	"password-file": {
		alias: "password_file",
		type: "string",
		describe: "File holding the password of an encrypted private key, one trailing newline dropped (- for standard input); without it or --password, MODELSIGN_PASSWORD is used if set"
	}
};
/** The environment variable a private key's password is taken from when no flag gives one, as cosign's COSIGN_PASSWORD. */
const PASSWORD_VARIABLE = "MODELSIGN_PASSWORD";
const local = (signer) => ({
	name: signer.method,
	sign: (m) => Promise.resolve(require_core.signManifest(m, signer))
});
/** Hashes, signs and writes the bundle atomically; nothing is written if any step fails. */
async function run$1(argv, prepare) {
	checkShardSize(argv["shard-size"]);
	const oci = require_core.isOciReference(argv.model);
	if (argv.attach && !oci) throw require_bundle.usageError("BAD_FLAG", "--attach stores the signature in a registry: it needs an oci:// model");
	if (oci && !argv.attach && argv.signature === void 0) throw require_bundle.usageError("BAD_FLAG", "say where the signature goes: --attach (a referrer in the registry) and/or --signature FILE");
	const signaturePath = argv.signature ?? (oci ? void 0 : "model.sig");
	const toStdout = signaturePath !== void 0 && await isStandardOutput(signaturePath);
	if (toStdout && argv.json) throw require_bundle.usageError("BAD_FLAG", `--json prints its report on stdout, which --signature ${signaturePath} takes for the bundle: write the signature to a file, or leave out --json`);
	const sidecar = signaturePath === void 0 || toStdout ? void 0 : new SidecarSignatureStore(signaturePath);
	await sidecar?.assertReplaceable();
	const method = await prepare();
	const leftOut = toStdout ? await standardOutputFile() : signaturePath;
	const { source, ignorePaths, oci: ociModel } = await openModel(argv.model, argv["ignore-paths"], leftOut, argv);
	const { manifest, listing } = await hashWithFlags(source, argv, ignorePaths);
	const bundle = await method.sign(manifest);
	const attached = ociModel && argv.attach ? await ociModel.signatures.put(bundle) : void 0;
	let written;
	try {
		written = toStdout ? await bundleToStdout(bundle, signaturePath) : await sidecar?.put(bundle);
	} catch (err) {
		if (attached === void 0 || !(err instanceof require_bundle.ModelsignError)) throw err;
		throw new require_bundle.ModelsignError(err.kind, err.code, `${err.message} (the signature was attached to the registry as ${attached})`, { cause: err });
	}
	if (attached) recordDone(`the signature was attached as ${attached}`);
	if (written && !toStdout) recordDone(`the signature was written to ${written}`);
	const notes = ociModel ? prunedNotes(ociModel.signatures.pruned) : [];
	if (argv.json) printJson({
		signed: true,
		method: method.name,
		model: source.location,
		...written ? { signature: written } : {},
		...attached ? { attached } : {},
		rootDigest: `sha256:${manifest.rootDigest}`,
		serialization: manifest.serialization,
		resources: manifest.resources.length,
		warnings: listing.warnings,
		notes
	});
	else {
		const out = toStdout ? process.stderr : process.stdout;
		out.write(`Signed ${printable(source.location)} (${counted(manifest.resources.length, "resource")}, root sha256:${manifest.rootDigest})\n`);
		if (written) out.write(`Signature written to ${toStdout ? "standard output" : printable(written)}\n`);
		if (attached) out.write(`Signature attached as ${printable(attached)}\n`);
		printNotices("note", notes);
	}
}
/**
* Writes the bundle to stdout, byte for byte what a signature file holds; on a terminal a
* newline follows, so that what comes next starts on a line of its own.
*/
async function bundleToStdout(bundle, path) {
	try {
		await writeStdout(process.stdout.isTTY ? Buffer.concat([bundle, Buffer.from("\n")]) : bundle);
	} catch (err) {
		throw require_bundle.usageError("SIGNATURE_WRITE_FAILED", `cannot write signature ${path} (${err.code ?? require_bundle.messageOf(err)})`, err);
	}
	return path;
}
/**
* The private key's password and where it came from: --password, --password-file or
* MODELSIGN_PASSWORD, in that order; undefined if none gives one. One read from a file or
* the environment is blanked in errors, as --password's value is.
*/
async function keyPassword(argv) {
	const file = argv["password-file"];
	if (file !== void 0 && argv.password !== void 0) throw require_bundle.usageError("BAD_FLAG", "give the password with --password or --password-file, not both");
	if (argv.password !== void 0) return {
		password: argv.password,
		source: "--password"
	};
	if (file !== void 0) {
		const stdin = file === "-" || file === "/dev/stdin";
		if (stdin && argv["password-stdin"]) throw require_bundle.usageError("BAD_FLAG", `--password-file ${file} and --password-stdin would both read standard input: put one of the passwords in a file`);
		if (stdin && argv["private-key"] === "/dev/stdin") throw require_bundle.usageError("BAD_FLAG", `--password-file ${file} and --private-key /dev/stdin would both read standard input: put one of them in a file`);
		const password = withoutLineEnd(file === "-" ? await readStdin() : await readInput(file, "password file"));
		addSecret(password.toString("utf8"));
		return {
			password,
			source: `--password-file ${file}`
		};
	}
	const variable = process.env[PASSWORD_VARIABLE];
	if (variable === void 0) return void 0;
	addSecret(variable);
	return {
		password: variable,
		source: PASSWORD_VARIABLE
	};
}
/** Loads the signing key; a wrong password is reported with where it came from. */
async function loadKey(argv) {
	const given = await keyPassword(argv);
	const path = argv["private-key"];
	const pem = await readInput(path, "private key");
	try {
		return require_key_verifier.loadPrivateKey(pem, given?.password, path);
	} catch (err) {
		if (!(err instanceof require_bundle.ModelsignError) || err.code !== "KEY_PASSWORD" || given === void 0) throw err;
		throw require_bundle.usageError("KEY_PASSWORD", `${err.message} (from ${given.source})`, err);
	}
}
const signKey = command({
	command: "key <model>",
	describe: "Sign with an EC private key (bundle carries the public key hint)",
	builder: (y) => common(y).options(privateKeyOptions),
	handler: (argv) => run$1(argv, async () => local(require_core.keySigner(await loadKey(argv))))
});
const signCertificate = command({
	command: "certificate <model>",
	describe: "Sign with a private key and its X.509 certificate chain",
	builder: (y) => common(y).options({
		...privateKeyOptions,
		"signing-certificate": {
			alias: "signing_certificate",
			type: "string",
			demandOption: true,
			describe: "PEM certificate of the signing key"
		},
		"certificate-chain": {
			alias: "certificate_chain",
			type: "string",
			array: true,
			default: [],
			describe: "PEM intermediate certificates to include (repeatable)"
		}
	}),
	handler: (argv) => run$1(argv, async () => {
		const key = await loadKey(argv);
		const leafPath = argv["signing-certificate"];
		const [leaf] = require_core.parsePemCertificates(await readInput(leafPath, "signing certificate"), leafPath);
		if (!leaf) throw require_bundle.usageError("CERT_UNREADABLE", `${leafPath} holds no certificate`);
		const refuse = (check, why) => {
			try {
				check();
			} catch (err) {
				if (!(err instanceof require_bundle.ModelsignError)) throw err;
				throw require_bundle.usageError("CERT_UNUSABLE", `${err.message}${why}`, err);
			}
		};
		refuse(() => require_core.checkSigningCertificate(leaf), `, so signatures made with ${leafPath} would not verify`);
		refuse(() => require_core.checkSigningCertificateValidity(leaf), `: sign with a certificate that is valid now (\`verify certificate --valid-at now\` would reject this signature)`);
		const chain = [];
		for (const path of argv["certificate-chain"]) chain.push(...require_core.parsePemCertificates(await readInput(path, "certificate chain"), path));
		return local(require_core.certificateSigner(key, leaf, chain));
	})
});
const signSigstore = command({
	command: "sigstore <model>",
	describe: "Sign keylessly with Sigstore (Fulcio certificate, Rekor log entry, timestamp)",
	builder: (y) => common(y).options({
		"identity-token": {
			alias: "identity_token",
			type: "string",
			describe: "OIDC identity token (default: ambient credentials: SIGSTORE_ID_TOKEN or GitHub Actions)"
		},
		"use-ambient-credentials": {
			alias: "use_ambient_credentials",
			type: "boolean",
			default: true,
			describe: "Without --identity-token, take the token from the environment (as model_signing's flag; always on, as there is no interactive sign-in)"
		},
		...trustOptions
	}),
	handler: (argv) => run$1(argv, async () => {
		const identityToken = argv["identity-token"];
		if (!identityToken && !argv["use-ambient-credentials"]) throw require_bundle.usageError("NO_IDENTITY", "no identity token: --no-use-ambient-credentials leaves only --identity-token, and modelsign has no interactive sign-in");
		const signingConfig = await signingConfigFor(argv);
		const { checkIdentityTokenExpiry, signManifestKeyless } = await Promise.resolve().then(() => require("./sigstore-signer-DyBoVAIz.js")).then((n) => n.sigstore_signer_exports);
		const known = identityToken || process.env.SIGSTORE_ID_TOKEN;
		if (known) checkIdentityTokenExpiry(known);
		return {
			name: "sigstore",
			sign: (m) => signManifestKeyless(m, {
				signingConfig,
				...identityToken ? { identityToken } : {}
			})
		};
	})
});
const signCommand = command({
	command: "sign <method>",
	describe: "Sign a model (methods: key, certificate, sigstore; a model in place of the method means sigstore)",
	builder: (y) => y.command(signKey).command(signCertificate).command(signSigstore).demandCommand(1, "name a signing method: key, certificate or sigstore"),
	handler: () => void 0
});
// dist/cli/report-text.js
/**
* Renders a verification report for people: the verdict, the signer, then every file that
* differs. When several signatures were tried and none verified, each one's reason comes
* first, and `signature` (where given) names the one whose details follow. Values that come
* from the bundle, the model or a registry pass through `printable`, so none can drive the
* terminal or forge a line.
*/
function reportText(report, model, signature) {
	const lines = [];
	lines.push(report.verified ? `Verification succeeded: ${printable(model)}` : `Verification FAILED: ${printable(model)}`);
	const several = report.signatures !== void 0 && report.signatures.length > 1 && !report.verified ? report.signatures : void 0;
	if (several) {
		lines.push(`  reason: none of the ${several.length} signatures verifies`);
		for (const s of several) lines.push(`    ${printable(s.signature)}: ${printable(s.error?.message ?? "verified")}`);
		if (signature !== void 0 && report.signer) lines.push(`  closest: ${printable(signature)}, whose signature verifies (details below)`);
	} else if (report.error) lines.push(`  reason: ${printableText(report.error.message)}`);
	if (report.signer) lines.push(`  signer: ${signerText(report.signer)}`);
	if (report.rootDigest) lines.push(`  root digest: ${report.rootDigest}`);
	if (report.serialization) {
		const s = report.serialization;
		lines.push(`  serialization: ${s.method}, ${s.hashType}${s.method === "shards" ? `, shard size ${s.shardSize}` : ""}`);
	}
	if (report.legacy) lines.push("  format: legacy v0.2 (compatibility path)");
	const { ok, changed, missing, extra, ignored } = report.summary;
	if (report.checks.some((c) => c.name === "model")) {
		if (report.serialization?.method === "shards") lines.push(`  shards: ${ok} ok, ${changed} changed, ${missing} missing; files: ${extra} extra, ${ignored} ignored`);
		else lines.push(`  files: ${ok} ok, ${changed} changed, ${missing} missing, ${extra} extra, ${ignored} ignored`);
	}
	const byAddress = report.files.filter((f) => f.note?.startsWith("checked by content address")).length;
	const checker = model.startsWith("oci-layout:") ? "computed from the layout's bytes as its layers were read" : "the registry client checked against the bytes";
	if (byAddress > 0) lines.push(`  ${byAddress} file(s) checked by content address (digests ${checker}, equal to the signed ones); --full reads every byte`);
	for (const f of report.files) if (f.status !== "ok" && f.status !== "ignored") lines.push(`  ${fileText(f)}`);
	for (const w of report.warnings) lines.push(`  warning: ${printableText(w)}`);
	return `${lines.join("\n")}\n`;
}
function signerText(s) {
	switch (s.method) {
		case "key": return `key with hint ${printable(s.keyHint)}${s.legacyKeyMaterial ? " (legacy rawBytes bundle)" : ""}`;
		case "certificate": return `certificate "${printable(s.subject)}" issued by "${printable(s.issuer)}", chain ${s.chain.map((c) => `"${printable(c)}"`).join(" -> ")}`;
		case "sigstore": {
			const log = s.logIndex !== void 0 ? `, Rekor log index ${s.logIndex} integrated ${s.integratedTime}` : "";
			const tsa = s.rfc3161Timestamps.length > 0 ? `, timestamped ${s.rfc3161Timestamps.join(", ")}` : "";
			return `${printable(s.identity)} via ${printable(s.issuer)} (Sigstore keyless${log}${tsa})`;
		}
	}
}
/** One file's line of a report: status, name, digests and why. */
function fileText(f) {
	const parts = [`${f.status.padEnd(7)} ${printable(f.name)}`];
	if (f.expected) parts.push(`expected ${f.expected}`);
	if (f.actual) parts.push(`actual ${f.actual}`);
	if (f.note) parts.push(`(${printable(f.note)})`);
	return parts.join("  ");
}
// dist/cli/commands/verify.js
const methodOptions = {
	key: { "public-key": {
		alias: "public_key",
		type: "string",
		describe: "Public key: PEM, DER SubjectPublicKeyInfo or a compressed EC point"
	} },
	certificate: {
		"certificate-chain": {
			alias: "certificate_chain",
			type: "string",
			array: true,
			describe: "PEM trust anchor certificates (repeatable; a file may hold several)"
		},
		"valid-at": {
			alias: "valid_at",
			type: "string",
			describe: "When the certificate chain must have been valid: \"issued\" (the default, as the reference: when the signing certificate was issued, so a signature outlives its expiry), \"now\", or an ISO 8601 time"
		},
		"log-fingerprints": {
			alias: "log_fingerprints",
			type: "boolean",
			describe: "Print the SHA-256 fingerprint of every trust anchor and of every certificate in a bundle's chain (stderr)"
		}
	},
	sigstore: {
		identity: {
			type: "string",
			describe: "The signer's identity: the certificate SAN (email or URI), matched exactly"
		},
		"identity-provider": {
			alias: "identity_provider",
			type: "string",
			describe: "The OIDC issuer, matched exactly"
		},
		"trusted-root": {
			alias: "trusted_root",
			type: "string",
			describe: "A Sigstore trusted_root.json (default: the public-good root pinned in the package)"
		},
		...trustOptions,
		offline: {
			type: "boolean",
			default: false,
			describe: "Guarantee no network access (verification never needs it)"
		},
		"refresh-trust-root": {
			alias: "refresh_trust_root",
			type: "boolean",
			default: false,
			describe: "Fetch the current public-good trusted root through TUF first (online)"
		}
	}
};
const REQUIRED = {
	key: ["public-key"],
	certificate: ["certificate-chain"],
	sigstore: ["identity", "identity-provider"]
};
/** Every method's trust flags, none demanded (for `pull --verify <method>`). */
const allMethodOptions = {
	...methodOptions.key,
	...methodOptions.certificate,
	...methodOptions.sigstore
};
/** Builds the verifier for a method from its flags; a missing flag is a usage error. */
async function verifierFor(method, argv) {
	const missing = REQUIRED[method].filter((k) => argv[k] === void 0 || Array.isArray(argv[k]) && argv[k].length === 0);
	if (missing.length > 0) throw require_bundle.usageError("BAD_FLAG", `Missing required argument${missing.length > 1 ? "s" : ""} for ${method} verification: ${missing.map((m) => `--${m}`).join(", ")}`);
	switch (method) {
		case "key": return require_key_verifier.keyVerifier(require_key_verifier.loadPublicKey(await readInput(argv["public-key"], "public key"), argv["public-key"]));
		case "certificate": {
			const anchors = [];
			for (const path of argv["certificate-chain"]) {
				const certs = require_core.parsePemCertificates(await readInput(path, "certificate chain"), path);
				if (argv["log-fingerprints"]) printNotices("note", certs.map((c) => fingerprintLine(c, `trust anchor from ${path}`)));
				anchors.push(...certs);
			}
			const verifier = require_core.certificateVerifier(anchors, argv["valid-at"] === void 0 ? {} : { at: validityTime(argv["valid-at"]) });
			return argv["log-fingerprints"] ? loggingChainFingerprints(verifier) : verifier;
		}
		case "sigstore": {
			const { sigstoreVerifier } = await Promise.resolve().then(() => require("./sigstore-verifier-Cwoe7_vH.js")).then((n) => n.sigstore_verifier_exports);
			return sigstoreVerifier(await verificationTrust({
				"use-staging": false,
				offline: false,
				"refresh-trust-root": false,
				...argv
			}), {
				identity: argv.identity,
				issuer: argv["identity-provider"]
			});
		}
	}
}
const fingerprintLine = (cert, what) => `sha256 fingerprint ${cert.fingerprint256} of "${require_core.subjectOf(cert)}" (${what})`;
/** `--log-fingerprints`, as the reference's: each certificate a bundle carries, as it is checked. */
function loggingChainFingerprints(verifier) {
	return {
		method: verifier.method,
		verify(bundle) {
			if (bundle.material.kind === "x509CertificateChain") printNotices("note", bundle.material.certificates.map((der, i) => {
				const what = `certificate ${i} of the bundle's chain`;
				try {
					return fingerprintLine(new node_crypto.X509Certificate(der), what);
				} catch {
					return `${what} cannot be parsed`;
				}
			}));
			return verifier.verify(bundle);
		}
	};
}
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
/** Reads `--valid-at`: `issued`, `now`, or an ISO 8601 date (UTC) or time with its zone. */
function validityTime(value) {
	if (value === "issued" || value === "now") return value;
	const [, year, month, day] = ISO_TIME.exec(value) ?? [];
	const time = new Date(value);
	const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
	if (day === void 0 || Number.isNaN(time.getTime()) || Number(day) < 1 || Number(day) > daysInMonth) throw require_bundle.usageError("BAD_FLAG", `--valid-at must be "issued", "now" or an ISO 8601 date or time with its zone (2025-06-01, 2025-06-01T12:00:00Z), not "${value}"`);
	return time;
}
/**
* Verifies against the stored signatures; the model verifies if one of them does. The
* checks share one listing and one digest memo, so a model is listed and read once however
* many signatures it has. When none verifies, the report is that of the signature that came
* closest (the most checks passed, so a signature by the right signer over other content,
* whose report names the files that differ, is preferred to one by another key), and with
* several tried, `signatures` gives each one's reason.
*/
async function verifyWithStore(source, store, verifier, options) {
	const signatures = await store.list();
	if (signatures.length === 0) throw new require_bundle.ModelsignError("unverified", "NO_SIGNATURE", `no OMS signature is attached to ${source.location}`);
	const tried = [];
	const memo = signatures.length > 1 ? /* @__PURE__ */ new Map() : void 0;
	const listings = /* @__PURE__ */ new Map();
	const gone = await lostSignatures(signatures, async (stored, bundle) => {
		const report = await require_core.verifyModel({
			...options,
			...memo ? { memo } : {},
			listings,
			source,
			bundle,
			verifier
		});
		tried.push({
			report,
			signature: stored.location
		});
		return report.verified;
	});
	if (tried.length === 0) throw new require_bundle.ModelsignError("unverified", "NO_SIGNATURE", `no OMS signature is attached to ${source.location}: the ${gone.length} listed are gone`);
	const passed = (r) => r.checks.filter((c) => c.ok).length;
	const result = tried[tried.length - 1].report.verified ? tried[tried.length - 1] : tried.reduce((best, t) => passed(t.report) > passed(best.report) ? t : best);
	const outcomes = tried.map(({ report, signature }) => ({
		signature,
		verified: report.verified,
		...report.error ? { error: report.error } : {}
	}));
	const warnings = [...result.report.warnings, ...gone.map(goneWarning)];
	return {
		signature: result.signature,
		report: {
			...result.report,
			warnings,
			...tried.length > 1 ? { signatures: outcomes } : {}
		},
		signaturesFound: signatures.length - gone.length
	};
}
/** How the local adapter ends its message for a link met while links are not followed (it names the flag of digest and sign). */
const SIGN_TIME_HINT = "; symbolic links are only hashed with --allow-symlinks";
/**
* Links are followed when the verified signature records allow_symlinks, never on the
* verifier's word: --allow-symlinks on verify (accepted as model_signing accepts it)
* cannot make a link pass where the signer had none. The error says so.
*/
function linkNotSigned(err) {
	const what = err.message.endsWith(SIGN_TIME_HINT) ? err.message.slice(0, -54) : err.message;
	return require_bundle.usageError("SYMLINK", `${what}, and the signature does not allow symbolic links (it was made without --allow-symlinks; --allow-symlinks on verify cannot change that)`, err);
}
/** Verifies and prints the report; exit code 1 when not verified. */
async function run(method, argv) {
	if (!require_core.isOciReference(argv.model) && argv.signature === void 0) throw require_bundle.usageError("BAD_FLAG", "Missing required argument: signature (only an oci:// model can find its own)");
	const verifier = await verifierFor(method, argv);
	const model = await openModel(argv.model, argv["ignore-paths"], argv.signature, argv);
	const store = argv.signature !== void 0 ? new SidecarSignatureStore(argv.signature) : model.oci.signatures;
	const progress = Progress.forOutput(argv.json);
	const cache = await openCache(argv, model.source);
	let verified;
	try {
		verified = await verifyWithStore(model.source, store, verifier, {
			ignorePaths: model.ignorePaths,
			ignoreGitPaths: argv["ignore-git-paths"],
			ignoreUnsignedFiles: argv["ignore-unsigned-files"],
			readContentAddressed: argv.full,
			listAhead: model.oci === void 0,
			...poolOptionsFrom(argv),
			cache,
			onTotal: progress.onTotal,
			onProgress: progress.onProgress
		});
	} catch (err) {
		throw err instanceof require_bundle.ModelsignError && err.code === "SYMLINK" ? linkNotSigned(err) : err;
	} finally {
		progress.finish();
	}
	const { report, signature, signaturesFound } = verified;
	await closeCache(cache, argv.json);
	if (argv.json) printJson({
		model: model.source.location,
		signature,
		signaturesFound,
		...report
	});
	else (report.verified ? process.stdout : process.stderr).write(reportText(report, model.source.location, signature));
	if (!report.verified) process.exitCode = 1;
}
const subcommand = (method, describe) => command({
	command: `${method} <model>`,
	describe,
	builder: (y) => y.positional("model", {
		type: "string",
		demandOption: true,
		describe: "Model directory or file, oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]"
	}).options({
		signature: {
			type: "string",
			describe: "The signature bundle to verify (an oci:// model finds its attached signatures without it)"
		},
		"ignore-unsigned-files": {
			alias: "ignore_unsigned_files",
			type: "boolean",
			default: false,
			describe: "Let files that are present but not signed pass"
		},
		full: {
			type: "boolean",
			default: false,
			describe: "For an oci:// model: stream and hash every byte instead of trusting layer digests"
		},
		"allow-symlinks": {
			alias: "allow_symlinks",
			type: "boolean",
			default: false,
			describe: "Accepted for compatibility with model_signing; symbolic links are followed exactly when the signature allows them (signed with --allow-symlinks)"
		},
		...methodOptions[method],
		...ignoreOptions,
		...ociOptions
	}).demandOption(REQUIRED[method]),
	handler: (argv) => run(method, argv)
});
const verifyCommand = command({
	command: "verify <method>",
	describe: "Verify a model against its signature (methods: key, certificate, sigstore; a model in place of the method means sigstore)",
	builder: (y) => y.command(subcommand("key", "Verify a key-method signature with a public key")).command(subcommand("certificate", "Verify a certificate-method signature against trust anchors")).command(subcommand("sigstore", "Verify a Sigstore keyless signature offline against a trusted root and an identity")).demandCommand(1, "name a verification method: key, certificate or sigstore"),
	handler: () => void 0
});
// dist/cli/attach-check.js
/**
* Compares the manifest a bundle's statement carries (unverified: attach needs no trust) with a model
* in a registry or layout, reading none of its bytes: file names, shard sizes, and digests
* where layer digests are content addresses. It catches a bundle of another model before it
* is published; it is not a verification, which `verify` does. A model with tar layers is
* not compared, as only downloading them lists their files.
*/
async function checkAttachment(source, manifest) {
	const method = manifest.serialization.method;
	if (source.listingDownloads) return {
		compared: 0,
		unread: 0,
		method,
		extra: [],
		differing: [],
		skipped: "its tar layers would have to be downloaded to list its files"
	};
	const check = await require_core.checkModel(source, manifest, { readNothing: true });
	return {
		compared: check.files.filter((f) => f.status === "ok").length,
		unread: new Set(check.unread?.map((name) => require_bundle.resourcePath(name, method))).size,
		method,
		extra: check.files.filter((f) => f.status === "extra").map((f) => f.name),
		differing: check.files.filter((f) => f.status === "changed" || f.status === "missing")
	};
}
// dist/cli/commands/registry.js
/** The OCI adapter, loaded when a command needs it rather than at every start. */
const oci = () => Promise.resolve().then(() => require("./oci--F38mF4t.js"));
const pushCommand = command({
	command: "push <model> <reference>",
	describe: "Push a local model to a registry as a ModelPack artifact (one raw layer per file)",
	builder: (y) => y.positional("model", {
		type: "string",
		demandOption: true,
		describe: "Model directory or file"
	}).positional("reference", {
		type: "string",
		demandOption: true,
		describe: "oci://registry/repository:tag or oci-layout:PATH:tag"
	}).options({
		...ociOptions,
		json: ignoreOptions.json,
		"max-workers": ignoreOptions["max-workers"],
		"allow-symlinks": {
			...serializationOptions["allow-symlinks"],
			describe: "Follow symbolic links (each pushed as its target's bytes under the link's path) instead of failing on them"
		}
	}),
	handler: async (argv) => {
		requireOciReference("push", argv.reference);
		const source = await LocalModelSource.open(argv.model);
		const { openStore, pushModelPack } = await oci();
		const store = await openStore(argv.reference, await ociAccess(argv), true);
		if (store.target.includes(":")) throw require_bundle.usageError("BAD_REFERENCE", `push needs a tag to push to, not a digest: ${argv.reference}`);
		let descriptor, warnings;
		try {
			({descriptor, warnings} = await pushModelPack(source, store, store.target, {
				maxWorkers: checkWorkers(argv["max-workers"]),
				allowSymlinks: argv["allow-symlinks"]
			}));
		} catch (err) {
			await store.discardCreated?.();
			throw err;
		}
		printNotices("warning", warnings);
		const pushed = `${store.name}@${descriptor.digest}`;
		recordDone(`the model was pushed as ${pushed}`);
		if (argv.json) printJson({
			pushed,
			digest: descriptor.digest,
			tag: store.target,
			warnings
		});
		else process.stdout.write(`Pushed ${printable(source.location)} to ${printable(`${store.name}:${store.target}`)}\n  digest: ${descriptor.digest}\n`);
	}
});
const attachCommand = command({
	command: "attach <reference>",
	describe: "Attach an existing signature bundle to a model in a registry, as a referrer, once its statement is found to name the model's files",
	builder: (y) => y.positional("reference", {
		type: "string",
		demandOption: true,
		describe: "oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]"
	}).options({
		signature: {
			type: "string",
			demandOption: true,
			describe: "The bundle to attach"
		},
		...ociOptions,
		json: ignoreOptions.json
	}),
	handler: async (argv) => {
		requireOciReference("attach", argv.reference);
		const [stored] = await new SidecarSignatureStore(argv.signature).list();
		const bytes = await stored.bytes();
		let manifest;
		try {
			({manifest} = require_bundle.parseStatement(require_bundle.parseBundle(bytes).payload));
		} catch (err) {
			if (err instanceof require_bundle.ModelsignError) throw new require_bundle.ModelsignError(err.kind, err.code, `${argv.signature}: ${err.message}`, { cause: err });
			throw err;
		}
		const model = await (await oci()).openOciModel(argv.reference, await ociAccess(argv));
		const check = await checkAttachment(model.source, manifest);
		if (check.differing.length > 0) {
			refuseAttachment(argv, model.source.location, check);
			return;
		}
		const attached = await model.signatures.put(bytes);
		const { alreadyAttached } = model.signatures;
		if (!alreadyAttached) recordDone(`the signature was attached as ${attached}`);
		const notes = [...checkNotes(check), ...prunedNotes(model.signatures.pruned)];
		const warnings = check.extra.length > 0 ? [extraWarning(check.extra)] : [];
		if (argv.json) printJson({
			attached,
			alreadyAttached,
			subject: model.subject.digest,
			check: checkJson(check),
			warnings,
			notes
		});
		else {
			const line = alreadyAttached ? `${printable(argv.signature)} was already attached to ${printable(model.source.location)}: nothing pushed` : `Attached ${printable(argv.signature)} to ${printable(model.source.location)}`;
			process.stdout.write(`${line}\n  referrer: ${printable(attached)}\n`);
			printNotices("warning", warnings);
			printNotices("note", notes);
		}
	}
});
/** A bundle whose statement names other content than the model's: nothing is pushed, every differing file is named (exit 1). */
function refuseAttachment(argv, location, check) {
	const changed = check.differing.filter((f) => f.status === "changed").length;
	const message = `${argv.signature} does not sign ${location}: ${changed} changed, ${check.differing.length - changed} missing; nothing attached`;
	process.stderr.write(`error: ${printableText(message)}\n${check.differing.map((f) => `  ${fileText(f)}\n`).join("")}`);
	if (argv.json) printJson({
		error: {
			kind: "unverified",
			code: "MODEL_MISMATCH",
			message
		},
		files: check.differing
	});
	process.exitCode = 1;
}
const extraWarning = (extra) => `the signature does not name ${counted(extra.length, "file")} of the model, so verify passes only with --ignore-unsigned-files: ${extra.map((name) => JSON.stringify(name)).join(", ")}`;
function checkNotes(check) {
	if (check.skipped !== void 0) return [`the signature was not compared with the model: ${check.skipped}; verify compares them`];
	const unread = check.unread > 0 ? `, ${counted(check.unread, "file")} by ${check.method === "shards" ? "name and size" : "name"} only (verify compares their content)` : "";
	return [`the signature was compared with the model without reading it: ${counted(check.compared, "file")} by content address${unread}`];
}
const checkJson = (check) => ({
	compared: check.compared,
	unread: check.unread,
	extra: check.extra,
	...check.skipped ? { skipped: check.skipped } : {}
});
const discoverCommand = command({
	command: "discover <reference>",
	describe: "List the OMS signatures attached to a model in a registry (not verified)",
	builder: (y) => y.positional("reference", {
		type: "string",
		demandOption: true,
		describe: "oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]"
	}).options({
		...ociOptions,
		json: ignoreOptions.json
	}),
	handler: async (argv) => {
		requireOciReference("discover", argv.reference);
		const model = await (await oci()).openOciModel(argv.reference, await ociAccess(argv));
		const found = await model.signatures.list();
		const signatures = [];
		const warnings = (await lostSignatures(found, async (s, bundle) => {
			signatures.push({
				digest: s.descriptor.digest,
				created: s.created ?? null,
				signer: describeSigner(bundle)
			});
			return false;
		})).map(goneWarning);
		if (argv.json) {
			printJson({
				subject: model.subject.digest,
				via: model.signatures.via,
				signatures,
				warnings
			});
			return;
		}
		printNotices("warning", warnings);
		process.stdout.write(`${printable(model.source.location)}: ${signatures.length} OMS signature(s)${signatures.length ? ` (found through the ${{
			api: "referrers API",
			tag: "referrers tag",
			index: "layout index"
		}[model.signatures.via ?? "api"]})` : ""}\n`);
		for (const s of signatures) process.stdout.write(`  ${printable(s.digest)}  ${printable(s.created ?? "-")}  ${printable(s.signer)}\n`);
	}
});
/** Who a bundle claims signed it, read without verifying (discover only lists). */
function describeSigner(bytes) {
	try {
		const bundle = require_bundle.parseBundle(bytes);
		const m = bundle.material;
		if (m.kind === "publicKey") return m.hint ? `key ${m.hint}` : "key (legacy rawBytes)";
		const cert = new node_crypto.X509Certificate(require_bundle.signingCertificate(m));
		const san = cert.subjectAltName?.replace(/^(email|URI):/, "");
		return require_bundle.signingMethod(bundle) === "sigstore" ? `sigstore ${san ?? require_core.subjectOf(cert)}` : `certificate ${require_core.subjectOf(cert)}`;
	} catch (err) {
		return `unreadable bundle (${err.message})`;
	}
}
// dist/cli/commands/pull.js
/** The files a verified report vouches for (a shard stands for its file). */
function verifiedPaths(report) {
	return new Set(report.files.filter((f) => f.status === "ok").map((f) => require_bundle.resourcePath(f.name, report.serialization?.method ?? "files")));
}
/**
* Downloads a model and verifies it while the bytes stream: each byte is read once, hashed
* and written under a staging name; files are moved into `<dir>` only after the whole model
* verified, and on any failure nothing is left there.
*/
const pullCommand = command({
	command: "pull <reference> <dir>",
	describe: "Download a model from a registry, verifying it as it streams; nothing lands unless it verifies",
	builder: (y) => y.positional("reference", {
		type: "string",
		demandOption: true,
		describe: "oci://registry/repository[:tag|@digest] or oci-layout:PATH[:tag|@digest]"
	}).positional("dir", {
		type: "string",
		demandOption: true,
		describe: "Destination directory"
	}).options({
		verify: {
			choices: [
				"key",
				"certificate",
				"sigstore"
			],
			demandOption: true,
			describe: "How the signature must verify"
		},
		signature: {
			type: "string",
			describe: "A local bundle to verify with (default: the signatures attached in the registry)"
		},
		"ignore-unsigned-files": {
			alias: "ignore_unsigned_files",
			type: "boolean",
			default: false,
			describe: "Skip (do not download) files that are not signed"
		},
		...allMethodOptions,
		...ignoreOptions,
		...ociOptions
	}),
	handler: async (argv) => {
		requireOciReference("pull", argv.reference);
		const verifier = await verifierFor(argv.verify, argv);
		const { openOciModel } = await Promise.resolve().then(() => require("./oci--F38mF4t.js"));
		const model = await openOciModel(argv.reference, await ociAccess(argv));
		const download = await StagedDownload.create(argv.dir);
		const progress = Progress.forOutput(argv.json, { verb: "downloading" });
		const interruptions = abortOnSignals(download, progress);
		try {
			const store = argv.signature !== void 0 ? new SidecarSignatureStore(argv.signature) : model.signatures;
			const { report, signature, signaturesFound } = await verifyWithStore(download.tee(model.source), store, verifier, {
				ignorePaths: argv["ignore-paths"],
				ignoreGitPaths: argv["ignore-git-paths"],
				ignoreUnsignedFiles: argv["ignore-unsigned-files"],
				streamContentAddressed: true,
				maxWorkers: checkWorkers(argv["max-workers"]),
				onTotal: progress.onTotal,
				onProgress: progress.onProgress
			});
			progress.finish();
			if (!report.verified) {
				await download.abort();
				if (argv.json) printJson({
					pulled: false,
					model: model.source.location,
					signature,
					signaturesFound,
					...report
				});
				else process.stderr.write(`${reportText(report, model.source.location)}Nothing was written to ${printable(argv.dir)}.\n`);
				process.exitCode = 1;
				return;
			}
			const files = await download.commit(verifiedPaths(report));
			recordDone(`the verified model was written to ${argv.dir}`);
			if (argv.json) printJson({
				pulled: true,
				model: model.source.location,
				dir: argv.dir,
				written: files,
				signature,
				signaturesFound,
				...report
			});
			else process.stdout.write(`${reportText(report, model.source.location)}Pulled ${files.length} file(s) into ${printable(argv.dir)}\n`);
			const late = interruptions.deferred();
			if (late) {
				process.stderr.write(`interrupted by ${late} while the verified files were being moved into ${printable(argv.dir)}: the move was finished first, so the model there is complete\n`);
				process.exitCode = signalStatus(late);
			}
		} catch (err) {
			progress.finish();
			await download.abort();
			throw err;
		} finally {
			interruptions.stop();
		}
	}
});
const INTERRUPTIONS = [
	"SIGINT",
	"SIGTERM",
	"SIGHUP"
];
/** The shell's status for a process ended by a signal: 128 + its number. */
const signalStatus = (signal) => 128 + (node_os.constants.signals[signal] ?? 0);
/**
* While a pull runs, an interruption (Ctrl-C, SIGTERM, a closed terminal) removes what it
* staged before the process ends, with the shell's usual status, so no half-downloaded
* model is left behind. Once the model has verified and its files are being moved into
* place, stopping half way would leave part of them in an existing directory: the move is
* let finish (it is renames only) and the interruption is reported after it (`deferred`);
* a second signal, of any of these kinds, then ends the process at once.
*/
function abortOnSignals(download, progress) {
	let deferred;
	const onSignal = (signal) => {
		if (deferred !== void 0) {
			const left = download.state === "committed" ? "" : `, before the move into ${printable(download.destination)} finished; files not moved are left in ${printable(download.stagingDirectory)}`;
			process.stderr.write(`interrupted again by ${signal}: stopped at once${left}\n`);
			process.exit(signalStatus(signal));
		}
		if (download.state === "committing" || download.state === "committed") {
			deferred = signal;
			return;
		}
		progress.finish();
		download.abortNow();
		process.stderr.write(`interrupted by ${signal}: the partial download was removed; nothing was written to ${printable(download.destination)}\n`);
		process.exit(signalStatus(signal));
	};
	for (const signal of INTERRUPTIONS) process.on(signal, onSignal);
	return {
		stop: () => {
			for (const signal of INTERRUPTIONS) process.off(signal, onSignal);
		},
		deferred: () => deferred
	};
}
// dist/cli/usage-errors.js
/** The commands, as named when none or an unknown one is given. */
const COMMANDS = "digest, sign, verify, push, pull, attach or discover";
/** Parent commands whose first word is a method, and the methods. */
const METHODS = {
	sign: {
		what: "signing method",
		names: [
			"key",
			"certificate",
			"sigstore"
		]
	},
	verify: {
		what: "verification method",
		names: [
			"key",
			"certificate",
			"sigstore"
		]
	}
};
/**
* The words with `sigstore` put in after `sign` or `verify` when a model comes where the
* method belongs, as model_signing takes Sigstore for the default method. Only a word that
* names a model (an existing path, or an `oci://` or `oci-layout:` reference) counts, so a
* mistyped method is still named as one.
*/
function withDefaultMethod(args) {
	const [command, word] = args;
	if (command === void 0 || word === void 0 || !(command in METHODS) || word.startsWith("-")) return [...args];
	if (METHODS[command].names.includes(word)) return [...args];
	if (!/^oci(-layout)?:/.test(word) && !(0, node_fs.existsSync)(word)) return [...args];
	return [
		command,
		"sigstore",
		...args.slice(1)
	];
}
/**
* Whether `--json` is on, read from the words as yargs reads a boolean flag (`--json`,
* `--json=true`, `--json true`, `--json=false`, `--json false`, `--no-json`; the last one
* counts), for failures before the parsed value is known. Words after `--` are not flags.
*/
function jsonRequested(args) {
	let json = false;
	for (let i = 0; i < args.length && args[i] !== "--"; i += 1) {
		const word = args[i];
		if (word === "--no-json") json = false;
		else if (word.startsWith("--json=")) json = word === "--json=true";
		else if (word === "--json") {
			const next = args[i + 1];
			json = next !== "false";
			if (next === "true" || next === "false") i += 1;
		}
	}
	return json;
}
/**
* The words yargs took as arguments (positionals), and those that unknown flags swallowed,
* read from `args` as yargs-parser reads them with the flags it knows at this level (and
* greedy-arrays off): an unknown flag or a list flag takes the next word that does not start
* with `-`, a boolean only `true` or `false`.
*/
function readWords(args, known) {
	const has = (name) => Object.prototype.hasOwnProperty.call(known.key, name);
	const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
	const isFlag = (word) => word !== void 0 && /^-/.test(word) && !/^-\d/.test(word);
	const positionals = [];
	const swallowed = [];
	const afterList = [];
	let list;
	for (let i = 0; i < args.length && args[i] !== "--"; i += 1) {
		const word = args[i];
		if (!isFlag(word)) {
			positionals.push(word);
			if (list) afterList.push({
				...list,
				word
			});
			list = void 0;
			continue;
		}
		list = void 0;
		const [spelled, inline] = word.replace(/^--?/, "").split(/=(.*)/s);
		const name = has(spelled) ? spelled : kebab(spelled);
		if (name.startsWith("no-") && known.boolean.includes(name.slice(3)) || known.boolean.includes(name)) {
			if (inline === void 0 && (args[i + 1] === "true" || args[i + 1] === "false")) i += 1;
			continue;
		}
		const takesNext = inline === void 0 && i + 1 < args.length && args[i + 1] !== "--" && !isFlag(args[i + 1]);
		if (takesNext) i += 1;
		const value = takesNext ? args[i] : inline;
		if (known.array.includes(name)) {
			if (value !== void 0) list = {
				flag: `--${spelled}`,
				value
			};
		} else if (takesNext && !has(name)) swallowed.push({
			flag: `--${spelled}`,
			word: value
		});
	}
	return {
		positionals,
		swallowed,
		afterList
	};
}
/**
* A yargs failure message made to name the problem: a missing or unknown method after
* `sign` or `verify`, and for a missing argument, the flag that took it as its value.
*/
function usageFailure(message, cli, args) {
	const failing = cli;
	const known = failing.getOptions?.();
	const context = failing.getInternalMethods?.().getContext();
	if (!known || !context) return withoutCamelCaseCopies(message);
	const { positionals, swallowed, afterList } = readWords(args, known);
	const [command] = context.commands;
	if (command === void 0 && positionals[0] !== void 0 && /^Unknown arguments?: /.test(message)) return `unknown command ${JSON.stringify(positionals[0])}: name one of ${COMMANDS}`;
	const methods = command === void 0 ? void 0 : METHODS[command];
	if (methods && context.commands.length === 1) {
		const method = positionals[1];
		const choices = `${methods.names.slice(0, -1).join(", ")} or ${methods.names[methods.names.length - 1]}`;
		if (method === void 0) return `name a ${methods.what}: ${choices}`;
		if (!methods.names.includes(method)) return `unknown ${methods.what} ${JSON.stringify(method)}: name ${choices} (a model there means sigstore, as in model_signing, but no file or directory ${JSON.stringify(method)} exists)`;
	}
	const short = /^Not enough non-option arguments: got (\d+)/.exec(message);
	if (short) {
		const names = [...(context.fullCommands[context.fullCommands.length - 1] ?? "").matchAll(/<([^>]+)>/g)].map((m) => `<${m[1]}>`).slice(Number(short[1]));
		const missing = names.length === 0 ? "an argument is missing" : `the ${names.join(" and ")} argument${names.length > 1 ? "s are" : " is"} missing`;
		const taken = swallowed[0];
		if (taken) return `${missing}: ${taken.flag} is not a flag of \`${context.commands.join(" ")}\`, and it took ${JSON.stringify(taken.word)} as its value`;
		const dashes = args.indexOf("--");
		if (dashes >= 0 && dashes < args.length - 1) return `${missing}: words after \`--\` are not read as arguments; put ${names[0] ?? "it"} before \`--\``;
		return missing;
	}
	const extra = /^Unknown arguments?: /.test(message) ? afterList[0] : void 0;
	if (extra) return `${withoutCamelCaseCopies(message)}: ${extra.flag} takes one value each time it is given (as in model_signing), so ${JSON.stringify(extra.word)} after ${extra.flag} ${JSON.stringify(extra.value)} was read as an argument; for a second value give the flag again (${extra.flag} ${JSON.stringify(extra.value)} ${extra.flag} ${JSON.stringify(extra.word)})`;
	return withoutCamelCaseCopies(message);
}
// dist/cli/main.js
const require$1 = (0, node_module.createRequire)(require("url").pathToFileURL(__filename).href);
const yargs = require$1("yargs/yargs");
const { hideBin } = require$1("yargs/helpers");
const EXIT = {
	unverified: 1,
	usage: 2,
	remote: 3
};
const pkg = JSON.parse((0, node_fs.readFileSync)(new URL("../../package.json", require("url").pathToFileURL(__filename).href), "utf8"));
/** Runs the CLI; resolves to the process exit code. */
async function main(args) {
	let json = jsonRequested(args);
	try {
		const words = withStdinDashes(withDefaultMethod(args));
		const cli = yargs(words).scriptName("modelsign").parserConfiguration({ "greedy-arrays": false }).usage("$0 <command>\n\nSign and verify ML models with OpenSSF Model Signing (OMS).").command(digestCommand).command(signCommand).command(verifyCommand).command(pushCommand).command(attachCommand).command(discoverCommand).command(pullCommand).middleware((argv, y) => {
			if (typeof argv.json === "boolean") json = argv.json;
			rejectUnusableValues(argv, y, words);
		}, true).demandCommand(1, `name a command: ${COMMANDS}`).strict().version(pkg.version).help().alias("h", "help").wrap(Math.min(110, process.stdout.columns ?? 100)).fail((message, err) => {
			throw err ?? require_bundle.usageError("BAD_USAGE", `${usageFailure(message, cli, words)} (run with --help for usage)`);
		});
		skipHelpCache(cli);
		await cli.parseAsync();
	} catch (err) {
		if (err instanceof require_bundle.ModelsignError) return reportError(err.kind, err.code, err.message, json, args);
		return reportError("usage", "INTERNAL", `unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, json, args);
	}
	return typeof process.exitCode === "number" ? process.exitCode : 0;
}
/** Prints an error (stderr always; a JSON document on stdout with --json) and returns its exit code. */
function reportError(kind, code, message, json, args = []) {
	const shown = withoutSecrets(message, args);
	process.stderr.write(`error: ${printableText(shown)}\n`);
	if (json) process.stdout.write(`${JSON.stringify({ error: {
		kind,
		code,
		message: shown
	} }, null, 2)}\n`);
	return EXIT[kind];
}
/**
* An error message with the values of secret flags, the secrets read elsewhere (a password
* file, MODELSIGN_PASSWORD), and anything JWT-like, blanked: a last guard for the promise
* that tokens and passwords are never printed, whatever message quoted one (a token given
* where an argument was expected, a library error). Values under 6 characters are left, as
* blanking them would garble the message and guard nothing.
*/
function withoutSecrets(message, args) {
	const values = [...readSecrets()];
	for (let i = 0; i < args.length && args[i] !== "--"; i += 1) {
		const [flag, inline] = args[i].split(/=(.*)/s);
		const value = flag.startsWith("--") && SECRET_FLAGS.has(flag.slice(2)) ? inline ?? args[i + 1] : void 0;
		if (value !== void 0) values.push(value);
	}
	return require_redact.redact(message, values.filter((value) => value.length >= 6), "<secret>");
}
/** Set once stdout could not be written: the run then ends with exit 2, whatever it found. */
let outputFailed = false;
for (const stream of [process.stdout, process.stderr]) stream.on("error", (err) => {
	if (err.code === "EPIPE" || outputFailed) return;
	outputFailed = true;
	process.exitCode = EXIT.usage;
	if (stream !== process.stdout) return;
	const done = doneSoFar();
	process.stderr.write(`error: cannot write output: ${err.code ?? err.message}${done.length > 0 ? ` (only the report was lost: ${printableText(done.join("; "))})` : ""}\n`);
});
cleanUpOnInterruption();
main(hideBin(process.argv)).then((code) => process.exitCode = outputFailed ? EXIT.usage : code);
exports.main = main;
