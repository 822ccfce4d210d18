let node_fs = require("node:fs");
let node_crypto = require("node:crypto");
let node_module = require("node:module");
// dist/src/hashing/file-range.js
/**
* Read size. Large enough that the kernel reads ahead in big sequential requests and the
* syscall cost vanishes, small enough that the buffer stays in a core's L2 cache between
* the copy out of the page cache and the hash (measured: 1 MiB beats 4 MiB by ~3% and
* 16 MiB by ~30% with two workers on a 2 MiB-L2 machine).
*/
const READ_SIZE = 1048576;
/**
* A local file held open while ranges of it are hashed, and its state when opened: one
* open and two stats serve every range, so many small shards of one file cost no more
* system calls than their reads. `finish` fails if the file changed meanwhile (size, mtime
* or ctime moved): a digest is then of bytes the file never held all at once, and must not
* be signed.
*/
var OpenFileRanges = class {
	path;
	fd;
	before;
	/**
	* The file's modification and change times (ns) when it was opened, as numbers (exact
	* to about 0.3 us, far finer than the clock file times come from): ranges of one file
	* hashed under different opens must all see the same.
	*/
	times;
	/** Opens `path`; fails if its size is not `listedSize`, or its times not `listedTimes` (NaN: not checked). */
	constructor(path, listedSize = NaN, listedTimes = [NaN, NaN]) {
		this.path = path;
		this.fd = (0, node_fs.openSync)(path, "r");
		try {
			this.before = (0, node_fs.fstatSync)(this.fd, { bigint: true });
			if (!Number.isNaN(listedSize) && Number(this.before.size) !== listedSize) throw changedSinceListed(path, listedSize, Number(this.before.size));
			this.times = [Number(this.before.mtimeNs), Number(this.before.ctimeNs)];
			if (!Number.isNaN(listedTimes[0]) && (this.times[0] !== listedTimes[0] || this.times[1] !== listedTimes[1])) throw timesChangedSinceListed(path);
		} catch (err) {
			(0, node_fs.closeSync)(this.fd);
			throw err;
		}
	}
	/**
	* Hashes bytes `[start, end)` with synchronous reads into a caller-owned buffer, so a
	* thread hashes any amount of data with one fixed allocation; returns the digest. It
	* pauses after every `stepBytes` bytes (at read boundaries), so that a thread with an
	* event loop to keep alive can hash a huge file in slices (`Infinity`: never). Fails if
	* the file is shorter than the range.
	*/
	*hashSteps(start, end, hasher, buffer, onBytes, stepBytes) {
		let position = start;
		let sinceStep = 0;
		while (position < end) {
			const got = (0, node_fs.readSync)(this.fd, buffer, 0, Math.min(buffer.length, end - position), position);
			if (got === 0) throw shorterThanListed(this.path);
			hasher.update(buffer.subarray(0, got));
			position += got;
			onBytes?.(got);
			sinceStep += got;
			if (sinceStep >= stepBytes && position < end) {
				sinceStep = 0;
				yield void 0;
			}
		}
		return hasher.digest();
	}
	/** Closes the file, failing if it changed since it was opened. */
	finish() {
		try {
			if (!unchanged(this.before, (0, node_fs.fstatSync)(this.fd, { bigint: true }))) throw changedWhileHashing(this.path);
		} finally {
			this.close();
		}
	}
	/** Closes the file without checking it (after a failure). */
	close() {
		(0, node_fs.closeSync)(this.fd);
	}
};
const unchanged = (a, b) => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
const changedSinceListed = (path, listed, now) => /* @__PURE__ */ new Error(`${path} changed after it was listed (${now} bytes, listed with ${listed}); hash it again once nothing writes to it`);
const timesChangedSinceListed = (path) => /* @__PURE__ */ new Error(`${path} changed after it was listed (its modification or change time moved); hash it again once nothing writes to it`);
const changedWhileHashing = (path) => /* @__PURE__ */ new Error(`${path} changed while it was being hashed (its size, modification or change time moved); hash it again once nothing writes to it`);
/** Why ranges of one file read under separate opens that saw different times fail (see OpenFileRanges.times). */
const changedBetweenRanges = (path) => `${path} changed while it was being hashed (its parts were read at different modification or change times); hash it again once nothing writes to it`;
/** The failure of a read that met the end of a file before its listed size. */
const shorterThanListed = (path) => /* @__PURE__ */ new Error(`${path} is shorter than when it was listed (changed while hashing)`);
// dist/src/hashing/batches.js
/** The outcome for unit `id` failing on `path`; `message` replaces the error's own. */
function errorOutcome(id, path, err, message) {
	const e = err;
	return {
		type: "error",
		id,
		path,
		message: message ?? (e.code === "ENOENT" && path.includes("�") ? "its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)" : e.message),
		...e.code === void 0 ? {} : { code: e.code }
	};
}
/**
* Why a listed path may not open: Node reads directory entries as UTF-8 text, so a name
* that is not valid UTF-8 comes back with U+FFFD in place of its bytes, and that path does
* not exist. OMS names resources by UTF-8 path, so such a file cannot be signed as it is.
*/
const NOT_UTF8_NAME = "its name is not valid UTF-8 (OMS names files by their UTF-8 paths; rename it)";
/**
* Takes batches from the request's shared counter until none are left and hashes their
* jobs, yielding each batch's outcome; it ends after the first failure. With a finite
* `stepBytes` it also yields `undefined` after every that many bytes of a file, for a
* thread that must let its event loop run. `makers[i]` makes hashers for
* `request.algorithms[i]`, one at a time.
*/
function* takeBatches(request, makers, buffer, onBytes, stepBytes) {
	const { batches, next } = request;
	for (let id = Atomics.add(next, 0, 1); id < batches.length; id = Atomics.add(next, 0, 1)) {
		const { paths, ranges, algorithms } = batches[id];
		const digests = [];
		const times = new Float64Array(2 * paths.length);
		let file;
		let path = "";
		const finishFile = () => {
			const done = file;
			file = void 0;
			done?.finish();
		};
		try {
			for (let k = 0; k < paths.length; k += 1) {
				if (file !== void 0 && file.path !== paths[k]) finishFile();
				path = paths[k];
				file ??= new OpenFileRanges(path, ranges[5 * k + 2], [ranges[5 * k + 3], ranges[5 * k + 4]]);
				times.set(file.times, 2 * k);
				digests.push(yield* file.hashSteps(ranges[5 * k], ranges[5 * k + 1], makers[algorithms[k]](), buffer, onBytes, stepBytes));
			}
			finishFile();
		} catch (err) {
			yield errorOutcome(id, path, err);
			return;
		} finally {
			file?.close();
		}
		yield {
			type: "done",
			id,
			digests,
			times
		};
	}
}
const NO_FOLLOW = node_fs.constants.O_RDONLY | node_fs.constants.O_NOFOLLOW | node_fs.constants.O_NONBLOCK;
const FOLLOW = node_fs.constants.O_RDONLY | node_fs.constants.O_NONBLOCK;
/** Adds paths a worker received to its copy of the inspection. */
function extendInspection(request, more) {
	for (let i = 0; i < more.paths.length; i += 1) {
		request.paths.push(more.paths[i]);
		request.follow.push(more.follow[i]);
	}
	request.complete = more.complete;
}
/**
* The next chunk for this thread, or -1: chunks are taken in order from the shared counter,
* and only those whose paths this thread has in full (the last, partial one once complete).
*/
function claimChunk(request) {
	const have = request.paths.length / 128;
	const limit = request.complete ? Math.ceil(have) : Math.floor(have);
	for (;;) {
		const id = Atomics.load(request.next, 0);
		if (id >= limit) return -1;
		if (Atomics.compareExchange(request.next, 0, id, id + 1) === id) return id;
	}
}
/**
* Takes chunks of the request from its shared counter until none are left that this
* thread has the paths of (paths added later are taken when they come). Each file is
* opened once, checked to be a regular file on the open descriptor (so what is hashed is
* what was checked, whatever happens to the path meanwhile), and, if small, read and hashed
* right away. Yields each chunk's outcome; ends after the first failure.
*/
function* takeInspections(request, hashOnce, buffer, onBytes) {
	const { paths, follow, precise } = request;
	for (let id = claimChunk(request); id !== -1; id = claimChunk(request)) {
		const first = id * 128;
		const count = Math.min(128, paths.length - first);
		const sizes = new Float64Array(count);
		const digests = new Array(count);
		const stats = precise ? new Array(4 * count) : void 0;
		for (let k = 0; k < count; k += 1) {
			const path = paths[first + k];
			try {
				const fd = (0, node_fs.openSync)(path, follow[first + k] === 1 ? FOLLOW : NO_FOLLOW);
				try {
					const info = (0, node_fs.fstatSync)(fd, { bigint: precise });
					if (!info.isFile()) throw Object.assign(/* @__PURE__ */ new Error("it is no longer a regular file (changed while listing)"), { code: "ENOTFILE" });
					const size = Number(info.size);
					sizes[k] = size;
					if (stats && "mtimeNs" in info) {
						stats[4 * k] = info.dev;
						stats[4 * k + 1] = info.ino;
						stats[4 * k + 2] = info.mtimeNs;
						stats[4 * k + 3] = info.ctimeNs;
					}
					digests[k] = hashOnce && size <= 1048576 ? hashOnce(readWhole(fd, path, size, buffer)) : "";
					if (digests[k] !== "") onBytes?.(size);
				} finally {
					(0, node_fs.closeSync)(fd);
				}
			} catch (err) {
				const linked = err.code === "ELOOP";
				yield errorOutcome(id, path, err, linked ? "it became a symbolic link (changed while listing)" : void 0);
				return;
			}
		}
		yield {
			type: "inspected",
			id,
			sizes,
			digests,
			...stats ? { stats } : {}
		};
	}
}
/** Reads a whole open file of known size (at most the buffer's) into the buffer. */
function readWhole(fd, path, size, buffer) {
	let got = 0;
	while (got < size) {
		const n = (0, node_fs.readSync)(fd, buffer, got, size - got, got);
		if (n === 0) throw shorterThanListed(path);
		got += n;
	}
	return buffer.subarray(0, size);
}
// dist/src/hashing/algorithms.js
/** Per-resource hash algorithms of the OMS serialization. The root digest is always SHA-256. */
const HASH_ALGORITHMS = [
	"sha256",
	"blake2b",
	"blake3"
];
function isHashAlgorithm(value) {
	return typeof value === "string" && HASH_ALGORITHMS.includes(value);
}
/**
* Creates a hasher. blake2b is BLAKE2b-512 (Python's `hashlib.blake2b()` default, as the
* reference uses); blake3 is the 256-bit default output. Node's OpenSSL has no BLAKE3: see
* `blake3Hashers`.
*/
async function createHasher(algorithm) {
	if (algorithm !== "blake3") return nodeHasher(algorithm);
	return (await blake3Hashers())();
}
/**
* A synchronous source of hashers for code that uses them strictly one after another (a
* hash worker): no promise per file, which matters when hashing many tiny files. Each
* hasher must be finished (`digest`) before the next is made.
*/
async function sequentialHashers(algorithm) {
	if (algorithm !== "blake3") return () => nodeHasher(algorithm);
	return blake3Hashers();
}
/**
* BLAKE3 hashers, each finished before the next is made: the native build where its
* prebuilt binary loads on this platform, else the WebAssembly one. The native build uses
* the CPU's SIMD units and hashed 4.3 GB/s per core here, against 0.8 GB/s for WebAssembly.
*/
async function blake3Hashers() {
	return await nativeBlake3Hashers() ?? wasmBlake3Hashers();
}
const NATIVE_BLAKE3_PACKAGE = "@napi-rs/blake-hash-linux-x64-gnu";
let nativeBlake3;
/**
* @napi-rs/blake-hash's BLAKE3 (the Rust `blake3` crate, picking SSE4.1, AVX2 or AVX-512
* at run time), or undefined where it does not load: another platform, a musl libc, or an
* install without the optional package. Each hasher is independent.
*/
async function nativeBlake3Hashers() {
	if (nativeBlake3 === void 0) nativeBlake3 = loadNativeBlake3();
	const native = nativeBlake3;
	if (native === null) return void 0;
	return () => hasherOf(new native.Blake3Hasher());
}
function loadNativeBlake3() {
	if (process.platform !== "linux" || process.arch !== "x64") return null;
	try {
		return (0, node_module.createRequire)(require("url").pathToFileURL(__filename).href)(NATIVE_BLAKE3_PACKAGE);
	} catch {
		return null;
	}
}
/** hash-wasm's BLAKE3, the portable fallback: the hashers share one WebAssembly instance. */
async function wasmBlake3Hashers() {
	const h = await (await import("hash-wasm")).createBLAKE3();
	return () => {
		h.init();
		return hasherOf(h);
	};
}
/**
* A one-call hash of data in memory, for many small files: Node's one-shot `crypto.hash`
* skips the Hash object a hasher needs (measured: 20,000 files of 4 KiB hash ~15% faster).
* For BLAKE3, the hashers of `blake3Hashers`, one after another.
*/
async function oneShotHash(algorithm) {
	if (algorithm === "blake3") {
		const make = await blake3Hashers();
		return (data) => {
			const h = make();
			h.update(data);
			return h.digest();
		};
	}
	const name = nodeName(algorithm);
	return (data) => (0, node_crypto.hash)(name, data, "hex");
}
/** Node's (OpenSSL's) name for an algorithm it has: BLAKE2b is BLAKE2b-512. */
const nodeName = (algorithm) => algorithm === "sha256" ? "sha256" : "blake2b512";
const nodeHasher = (algorithm) => hasherOf((0, node_crypto.createHash)(nodeName(algorithm)));
/** A Hasher over any of them. */
const hasherOf = (h) => ({
	update: (d) => void h.update(d),
	digest: () => h.digest("hex")
});
// dist/src/hashing/work.js
/**
* One thread's share of a pool request, taken from the request's shared counter: hashing
* batches or inspecting files. Outcomes come one per unit of work, with `undefined` after
* every `stepBytes` bytes of a large file where a thread with an event loop lets it run
* (`Infinity` for a worker). `buffer` is the thread's one read buffer.
*/
async function takeWork(request, buffer, onBytes, stepBytes) {
	if (request.kind === "hash") return takeBatches(request, await Promise.all(request.algorithms.map(sequentialHashers)), buffer, onBytes, stepBytes);
	return takeInspections(request, request.algorithm && await oneShotHash(request.algorithm), buffer, onBytes);
}
Object.defineProperty(exports, "HASH_ALGORITHMS", {
	enumerable: true,
	get: function() {
		return HASH_ALGORITHMS;
	}
});
Object.defineProperty(exports, "NOT_UTF8_NAME", {
	enumerable: true,
	get: function() {
		return NOT_UTF8_NAME;
	}
});
Object.defineProperty(exports, "READ_SIZE", {
	enumerable: true,
	get: function() {
		return READ_SIZE;
	}
});
Object.defineProperty(exports, "changedBetweenRanges", {
	enumerable: true,
	get: function() {
		return changedBetweenRanges;
	}
});
Object.defineProperty(exports, "createHasher", {
	enumerable: true,
	get: function() {
		return createHasher;
	}
});
Object.defineProperty(exports, "extendInspection", {
	enumerable: true,
	get: function() {
		return extendInspection;
	}
});
Object.defineProperty(exports, "isHashAlgorithm", {
	enumerable: true,
	get: function() {
		return isHashAlgorithm;
	}
});
Object.defineProperty(exports, "takeWork", {
	enumerable: true,
	get: function() {
		return takeWork;
	}
});
