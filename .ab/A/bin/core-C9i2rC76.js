const require_bundle = require("./bundle-DvlbyBTU.js");
const require_work = require("./work-o7A-tGPJ.js");
const require_key_verifier = require("./key-verifier-COYUQvJv.js");
let node_os = require("node:os");
let node_worker_threads = require("node:worker_threads");
let node_fs = require("node:fs");
let node_path = require("node:path");
let node_crypto = require("node:crypto");
let node_module = require("node:module");
let node_fs_promises = require("node:fs/promises");
let node_timers_promises = require("node:timers/promises");
let node_child_process = require("node:child_process");
// dist/src/oci/reference.js
const DOCKER_HUB = "docker.io";
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const MAX_DIGEST_LENGTH = 1024;
const MAX_REPOSITORY_LENGTH = 4096;
/** True for a tag in the distribution spec's grammar: 1 to 128 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`. */
const isTag = (s) => TAG.test(s);
/** True for a string in the OCI digest grammar (image-spec descriptor.md): algorithm ":" encoded. */
const isDigestString = (s) => s.length <= MAX_DIGEST_LENGTH && DIGEST.test(s);
/**
* Parses a reference. Docker Hub short names work as in docker: `ubuntu` is
* `docker.io/library/ubuntu:latest`. An `oci://` prefix is accepted and dropped.
*/
function parseReference(input) {
	let rest = input.startsWith("oci://") ? input.slice(6) : input;
	let digest;
	const at = rest.indexOf("@");
	if (at !== -1) {
		digest = rest.slice(at + 1);
		rest = rest.slice(0, at);
		if (!isDigestString(digest)) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${digest} is not a digest`);
		const [algorithm, encoded = ""] = digest.split(":");
		const hexLength = algorithm === "sha256" ? 64 : algorithm === "sha512" ? 128 : void 0;
		if (hexLength !== void 0 && !new RegExp(`^[0-9a-f]{${hexLength}}$`).test(encoded)) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${digest} is not a ${algorithm} digest (${hexLength} lower-case hex characters)`);
	}
	let tag;
	const colon = rest.lastIndexOf(":");
	if (colon > rest.lastIndexOf("/")) {
		tag = rest.slice(colon + 1);
		rest = rest.slice(0, colon);
		if (!TAG.test(tag)) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${JSON.stringify(tag)} is not a valid tag`);
	}
	const slash = rest.indexOf("/");
	if (slash === -1 && (rest.includes(".") || rest === "localhost" || rest.startsWith("["))) throw require_bundle.usageError("BAD_REFERENCE", `${input} names a registry but no repository: write ${rest}${tag ? `:${tag}` : ""}/REPOSITORY[:tag|@digest]`);
	const first = slash === -1 ? "" : rest.slice(0, slash);
	const isHost = first.includes(".") || first.includes(":") || first === "localhost";
	const registry = isHost ? first === "index.docker.io" ? DOCKER_HUB : first : DOCKER_HUB;
	let repository = isHost ? rest.slice(slash + 1) : rest;
	if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
	if (repository.length > MAX_REPOSITORY_LENGTH || !REPOSITORY.test(repository)) throw require_bundle.usageError("BAD_REFERENCE", `${input}: ${JSON.stringify(repository)} is not a valid repository name`);
	if (!tag && !digest) tag = "latest";
	return {
		registry,
		repository,
		...tag ? { tag } : {},
		...digest ? { digest } : {}
	};
}
/** The tag or digest to ask the registry for (the digest wins when both are given). */
const referenceTarget = (ref) => ref.digest ?? ref.tag ?? "latest";
/** The host the distribution API lives on. */
const apiHost = (registry) => registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
/** Loopback registries speak plain HTTP without asking; everything else needs --plain-http. */
function isLoopback(registry) {
	const host = registry.startsWith("[") ? registry.slice(1, registry.indexOf("]")) : registry.split(":")[0];
	return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/** True for the references the OCI adapter opens: `oci://...` and `oci-layout:PATH[:tag|@digest]`. */
const isOciReference = (arg) => arg.startsWith("oci://") || arg.startsWith("oci-layout:");
// dist/src/hashing/cpu-limit.js
/**
* The CPU time a Linux control group lets this process use, in CPUs (`1.5` for a
* `docker run --cpus=1.5` or a Kubernetes limit of `1500m`), or undefined where no group
* limits it or none can be read (other systems, no /proc). Node 20's `availableParallelism()`
* counts the CPUs the process may run on, not this quota, so a container limited to one CPU
* on a 32-core host would otherwise start 32 hash threads.
*
* Both cgroup versions are read, as a hybrid host mounts both: v2's `cpu.max` ("max
* 100000" or "150000 100000") and v1's `cpu.cfs_quota_us` (-1: none) over
* `cpu.cfs_period_us`, in the process's own group and every group above it up to the
* mount, since a parent's limit binds its children too. The smallest wins. `root` prefixes
* every path read (tests give a directory laid out like /).
*/
function cgroupCpuLimit(root = "/") {
	const groups = readText(root, "/proc/self/cgroup");
	const mounts = readText(root, "/proc/self/mountinfo");
	if (groups === void 0 || mounts === void 0) return void 0;
	let limit;
	for (const mount of cgroupMounts(mounts)) {
		const group = groupPath(groups, mount);
		if (group === void 0 || group.split("/").includes("..") || !(group === mount.root || group.startsWith(mount.root === "/" ? "/" : `${mount.root}/`))) continue;
		const relative = mount.root === "/" ? group : group.slice(mount.root.length);
		for (let dir = joinUnder(mount.point, relative);; dir = (0, node_path.dirname)(dir)) {
			const cpus = limitIn(root, mount.v2, dir);
			if (cpus !== void 0) limit = Math.min(limit ?? Infinity, cpus);
			if (dir.length <= mount.point.length) break;
		}
	}
	return limit;
}
/** The cgroup2 mounts and the v1 mounts of the cpu controller, from /proc/self/mountinfo. */
function cgroupMounts(mountinfo) {
	const found = [];
	for (const line of mountinfo.split("\n")) {
		const fields = line.split(" ");
		const dash = fields.indexOf("-");
		if (dash < 6) continue;
		const type = fields[dash + 1];
		const v1Cpu = type === "cgroup" && (fields[dash + 3] ?? "").split(",").includes("cpu");
		if (type === "cgroup2" || v1Cpu) found.push({
			v2: type === "cgroup2",
			root: unescapeMountField(fields[3]),
			point: unescapeMountField(fields[4])
		});
	}
	return found;
}
/** The process's group in the mount's hierarchy, from /proc/self/cgroup ("<id>:<controllers>:<path>"). */
function groupPath(cgroup, mount) {
	for (const line of cgroup.split("\n")) {
		const first = line.indexOf(":");
		const second = line.indexOf(":", first + 1);
		if (first < 0 || second < 0) continue;
		const controllers = line.slice(first + 1, second);
		const v2 = line.slice(0, first) === "0" && controllers === "";
		if (mount.v2 ? v2 : !v2 && controllers.split(",").includes("cpu")) return line.slice(second + 1);
	}
}
/** The limit one group sets: v2's cpu.max ("max <period>": none), or v1's quota (-1: none) over its period. */
function limitIn(root, v2, dir) {
	if (v2) {
		const [quota, period] = (readText(root, `${dir}/cpu.max`) ?? "").trim().split(" ");
		return ratio(quota, period);
	}
	return ratio(readText(root, `${dir}/cpu.cfs_quota_us`)?.trim(), readText(root, `${dir}/cpu.cfs_period_us`)?.trim());
}
/** quota / period, when both are positive whole numbers. */
function ratio(quota, period) {
	if (!quota || !period || !/^\d+$/.test(quota) || !/^\d+$/.test(period)) return void 0;
	const q = Number(quota);
	const p = Number(period);
	return q > 0 && p > 0 ? q / p : void 0;
}
/** mountinfo writes a space, tab, newline or backslash in a path as an octal escape ("\040"). */
const unescapeMountField = (field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
const joinUnder = (point, relative) => relative === "/" || relative === "" ? point : `${point === "/" ? "" : point}${relative}`;
function readText(root, path) {
	try {
		return (0, node_fs.readFileSync)(root === "/" ? path : `${root}${path}`, "utf8");
	} catch {
		return;
	}
}
/**
* How many threads to hash with by default: one per CPU the process may run on, but no
* more than its cgroup CPU limit rounded up. Up, because hashing is bound by CPU time:
* under a limit of 1.5 CPUs two threads hashed 1 GiB in 1.03 s and one in 1.48 s.
*/
function defaultThreads(cpus, limit) {
	return limit === void 0 ? cpus : Math.max(1, Math.min(cpus, Math.ceil(limit)));
}
// dist/src/hashing/pool.js
const BATCH_BYTES = 16777216;
const BATCH_JOBS = 512;
const INLINE_BYTES = 8388608;
const INLINE_FILES = 32;
const CALLING_THREAD_SLICE = 67108864;
const workerUrl = new URL("./worker.js", require("url").pathToFileURL(__filename).href);
/** A local file that could not be read or hashed as listed: "cannot <verb> <path>: <why>". */
const readFailed = (verb, path, why) => require_bundle.usageError("READ_FAILED", `cannot ${verb} ${path}: ${why}`);
let workersByDefault;
/**
* The default number of hash threads: one per CPU the process may run on, within its
* cgroup CPU limit (a container's), rounded up (see `defaultThreads`). Read once.
*/
const defaultWorkers = () => workersByDefault ??= defaultThreads((0, node_os.availableParallelism)(), cgroupCpuLimit());
/** The threads a run hashes on at most: `maxWorkers` (at least one), else the default. */
const hashThreads = (options) => Math.max(1, options.maxWorkers ?? defaultWorkers());
/**
* The workers a run starts at most beside the calling thread: none when that thread
* hashes alone, and so nothing else can run while it hashes.
*/
const workersBeside = (options) => hashThreads(options) - (options.hashOnCallingThread === true ? 1 : 0);
const idle = [];
/** Keeps a worker for the next call, without holding the process open. */
function park(worker) {
	const entry = { worker };
	worker.once("error", (err) => entry.failure = err);
	worker.unref();
	idle.push(entry);
}
/**
* Starts hash workers now, so their start-up (tens of ms each) overlaps whatever the
* caller does before hashing (loading modules, parsing arguments, listing the model).
* The next `hashRanges` or `inspectLocalFiles` call takes them; workers that are never
* used do not keep the process alive.
*/
function prestartWorkers(count = defaultWorkers()) {
	while (idle.length < count) park(new node_worker_threads.Worker(workerUrl));
}
/** `count` workers: waiting ones first (the rest of those ended), then new ones. */
function takeWorkers(count) {
	const taken = idle.splice(0);
	for (const extra of taken.splice(count)) extra.worker.terminate();
	const failed = taken.find((t) => t.failure !== void 0);
	if (failed) {
		for (const t of taken) t.worker.terminate();
		throw failed.failure;
	}
	const workers = taken.map((t) => {
		t.worker.removeAllListeners("error");
		t.worker.ref();
		return t.worker;
	});
	while (workers.length < count) workers.push(new node_worker_threads.Worker(workerUrl));
	return workers;
}
/** Ends workers without waiting for them: a worker takes ~10 ms to tear down, which need not delay the caller. */
function endWorkers(workers) {
	for (const worker of workers) {
		worker.unref();
		worker.terminate();
	}
}
/**
* Posts a request to workers and settles their outcomes with `settle` as they come (failures
* never get there). Error wording: "cannot <verb> <path>: ...".
*/
function launch(workers, request, verb, settle, onProgress) {
	let failure;
	let units = Infinity;
	let settled = 0;
	let resolve;
	let reject;
	const done = new Promise((res, rej) => {
		resolve = res;
		reject = rej;
	});
	done.catch(() => void 0);
	const fail = (err) => {
		failure ??= err;
		reject(failure);
	};
	const take = (outcome) => {
		if (outcome.type === "error") return fail(readFailed(verb, outcome.path, outcome.message));
		settle(outcome);
		settled += 1;
		if (settled === units) resolve();
	};
	const onMessage = (msg) => msg.type === "progress" ? onProgress?.(msg.bytes) : take(msg);
	const onExit = (code) => fail(/* @__PURE__ */ new Error(`hash worker exited with code ${code}`));
	for (const worker of workers) {
		worker.on("message", onMessage).on("error", fail).on("exit", onExit);
		worker.postMessage(request);
	}
	return {
		done,
		expect: (n) => {
			units = n;
			if (settled === n) resolve();
		},
		take,
		fail,
		failed: () => failure !== void 0,
		detach: () => {
			for (const worker of workers) worker.off("message", onMessage).off("error", fail).off("exit", onExit);
		}
	};
}
/**
* The calling thread's part of a launched run whose units are all known: other work
* (`meanwhile`, when there are workers), then its own share if it takes part. Resolves
* when the run is done; the first failure rejects.
*/
async function finishRun(run, workers, request, here, options) {
	if (workers.length > 0 && options.meanwhile) try {
		options.meanwhile();
	} catch (err) {
		run.fail(err);
	}
	if (here && !run.failed()) driveHere(request, options.onProgress, run.take, run.failed).catch(run.fail);
	await run.done;
}
/**
* The calling thread's share of a run, taken as a worker takes its own but in slices: its
* outcomes, with the event loop let in after each (so worker messages and progress keep
* flowing), until none are left or the run failed.
*/
async function driveHere(request, onProgress, take, failed) {
	const share = await require_work.takeWork(request, Buffer.allocUnsafe(require_work.READ_SIZE), onProgress, CALLING_THREAD_SLICE);
	for (const outcome of share) {
		if (outcome) take(outcome);
		if (failed()) return;
		await new Promise((r) => setImmediate(r));
	}
}
/**
* Hashes byte ranges of local files across a pool of threads and returns the hex digests
* in job order. Jobs are grouped into batches (small files together, large ranges alone,
* largest first to shorten the tail); every thread takes the next batch from a shared
* counter as soon as it is free. Each thread reads through one fixed buffer, so at most
* `threads x READ_SIZE` bytes are in flight and memory stays flat whatever the model's
* size; every byte is read once. Below 8 MiB in all (or one range below 16 MiB), the
* calling thread hashes alone. Consecutive jobs on one path (the shards of a file) fail
* together (READ_FAILED) if the file changed between the reads of any two of them.
*/
async function hashRanges(jobs, options = {}) {
	if (jobs.length === 0) {
		takeWorkers(0);
		return [];
	}
	const total = jobs.reduce((sum, j) => sum + span(j), 0);
	const batches = makeBatches(jobs);
	const inline = total <= INLINE_BYTES || jobs.length === 1 && total <= BATCH_BYTES;
	const threads = inline ? 1 : Math.min(hashThreads(options), batches.length);
	const here = inline || options.hashOnCallingThread === true;
	const workers = takeWorkers(here ? threads - 1 : threads);
	const request = workRequest(jobs, batches);
	const digests = new Array(jobs.length);
	const times = new Float64Array(2 * jobs.length);
	const run = launch(workers, request, "hash", (outcome) => batches[outcome.id].forEach((jobIndex, k) => {
		digests[jobIndex] = outcome.digests[k];
		times[2 * jobIndex] = outcome.times[2 * k];
		times[2 * jobIndex + 1] = outcome.times[2 * k + 1];
	}), options.onProgress);
	run.expect(batches.length);
	try {
		await finishRun(run, workers, request, here, options);
	} finally {
		run.detach();
		endWorkers(workers);
	}
	for (let i = 1; i < jobs.length; i += 1) {
		const path = jobs[i].path;
		if (path === jobs[i - 1].path && (times[2 * i] !== times[2 * i - 2] || times[2 * i + 1] !== times[2 * i - 1])) throw readFailed("hash", path, require_work.changedBetweenRanges(path));
	}
	return digests;
}
/**
* Starts inspecting local files while a listing is still finding them: each file is opened
* and checked to be a regular file on the open descriptor, for its size (and precise stat
* fields, if asked), and small files are hashed in the same pass (see `inspectLocalFiles`).
* Once every hash thread has a chunk of files, flushed files go to the workers at once,
* so they work while the calling thread lists; a failure among them is reported by
* `finish`. Until then (and for 32 files or fewer in all, inspected on the calling
* thread alone) nothing starts before `finish`.
*/
function startInspection(options = {}) {
	const request = {
		kind: "inspect",
		paths: [],
		follow: [],
		...options.algorithm ? { algorithm: options.algorithm } : {},
		precise: options.precise === true,
		next: new Int32Array(new SharedArrayBuffer(4)),
		complete: false
	};
	const { paths, follow } = request;
	const callingThreadHashes = options.hashOnCallingThread === true;
	const chunks = [];
	let workers = [];
	let run;
	let sent = 0;
	const launchOn = (taken) => {
		workers = taken;
		sent = paths.length;
		return run = launch(workers, request, "read", (outcome) => chunks[outcome.id] = outcome, options.onProgress);
	};
	const start = (threads, here) => launchOn(takeWorkers(here ? threads - 1 : threads));
	const sendRest = () => {
		const more = {
			kind: "inspect-more",
			paths: paths.slice(sent),
			follow: follow.slice(sent),
			complete: request.complete
		};
		for (const worker of workers) worker.postMessage(more);
		sent = paths.length;
	};
	return {
		add: (path, linked) => {
			paths.push(path);
			follow.push(linked ? 1 : 0);
		},
		flush: () => {
			if (run) {
				if (sent < paths.length) sendRest();
				return;
			}
			if (paths.length < 128) return;
			const threads = hashThreads(options);
			if (paths.length >= 128 * threads && workersBeside(options) > 0) start(threads, callingThreadHashes);
		},
		finish: async () => {
			if (!run && paths.length === 0) return gather([], 0, request.precise);
			const units = Math.ceil(paths.length / 128);
			const inline = !run && paths.length <= INLINE_FILES;
			const here = callingThreadHashes || inline;
			request.complete = true;
			if (run) sendRest();
			const running = run ?? (inline ? launchOn([]) : start(Math.min(hashThreads(options), units), here));
			running.expect(units);
			try {
				await finishRun(running, workers, request, here, options);
			} catch (err) {
				endWorkers(workers);
				throw err;
			} finally {
				running.detach();
			}
			workers.forEach(park);
			return gather(chunks, paths.length, request.precise);
		},
		abandon: () => {
			run?.detach();
			endWorkers(workers);
		}
	};
}
/** Joins inspected chunks, in order, into one set of columns. */
function gather(chunks, count, precise) {
	const found = {
		sizes: new Float64Array(count),
		digests: new Array(count),
		...precise ? { stats: new Array(4 * count) } : {}
	};
	chunks.forEach(({ sizes, digests, stats }, id) => {
		const first = id * 128;
		found.sizes.set(sizes, first);
		for (let k = 0; k < digests.length; k += 1) found.digests[first + k] = digests[k];
		if (stats && found.stats) for (let k = 0; k < stats.length; k += 1) found.stats[4 * first + k] = stats[k];
	});
	return found;
}
/** Groups job indexes into batches, largest jobs first. */
function makeBatches(jobs) {
	const order = jobs.map((_, i) => i).sort((a, b) => span(jobs[b]) - span(jobs[a]));
	const batches = [];
	let current = [];
	let bytes = 0;
	for (const i of order) {
		const n = span(jobs[i]);
		if (n >= BATCH_BYTES) {
			batches.push([i]);
			continue;
		}
		if (current.length > 0 && (bytes + n > BATCH_BYTES || current.length >= BATCH_JOBS)) {
			batches.push(current);
			current = [];
			bytes = 0;
		}
		current.push(i);
		bytes += n;
	}
	if (current.length > 0) batches.push(current);
	return batches;
}
/** The batches in the compact form workers take (see JobBatch). */
function workRequest(jobs, batches) {
	const algorithms = [...new Set(jobs.map((j) => j.algorithm))];
	return {
		algorithms,
		kind: "hash",
		batches: batches.map((batch) => {
			const paths = new Array(batch.length);
			const ranges = new Float64Array(5 * batch.length);
			const which = new Uint8Array(batch.length);
			batch.forEach((i, k) => {
				const job = jobs[i];
				paths[k] = job.path;
				ranges[5 * k] = job.start;
				ranges[5 * k + 1] = job.end;
				ranges[5 * k + 2] = job.size ?? NaN;
				ranges[5 * k + 3] = job.listedTimes?.[0] ?? NaN;
				ranges[5 * k + 4] = job.listedTimes?.[1] ?? NaN;
				which[k] = algorithms.indexOf(job.algorithm);
			});
			return {
				paths,
				ranges,
				algorithms: which
			};
		}),
		next: new Int32Array(new SharedArrayBuffer(4))
	};
}
const span = (job) => job.end - job.start;
// dist/src/directories.js
/**
* `mkdir -p`: creates a directory and any missing parents. Node's own `recursive` mkdir
* retries forever where a parent exists but refuses new entries with ENOENT (as /proc
* does), which would hang the command; here each missing directory is made once, and the
* first refusal is thrown (with its errno code). Returns the directories it made, outermost
* first, so a caller that fails later can remove exactly those.
*/
async function makeDirectories(path, mode) {
	const missing = [];
	for (let dir = (0, node_path.resolve)(path);; dir = (0, node_path.dirname)(dir)) try {
		if ((await (0, node_fs_promises.stat)(dir)).isDirectory()) break;
		throw Object.assign(/* @__PURE__ */ new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), {
			code: "ENOTDIR",
			path: dir
		});
	} catch (err) {
		if (err.code !== "ENOENT" || (0, node_path.dirname)(dir) === dir) throw err;
		missing.push(dir);
	}
	const made = [];
	for (const dir of missing.reverse()) try {
		await (0, node_fs_promises.mkdir)(dir, mode === void 0 ? {} : { mode });
		made.push(dir);
	} catch (err) {
		if (err.code !== "EEXIST") {
			await removeEmptyDirectories(made);
			throw err;
		}
	}
	return made;
}
/**
* Removes directories a run made (as `makeDirectories` lists them), innermost first, each
* only if empty: whatever someone else put there meanwhile stays, with the directories above it.
*/
async function removeEmptyDirectories(made) {
	for (const dir of [...made].reverse()) try {
		await (0, node_fs_promises.rmdir)(dir);
	} catch {
		return;
	}
}
/** `removeEmptyDirectories`, synchronously: for a process about to end on a signal, which cannot wait. */
function removeEmptyDirectoriesSync(made) {
	for (const dir of [...made].reverse()) try {
		(0, node_fs.rmdirSync)(dir);
	} catch {
		return;
	}
}
// dist/src/small-file.js
/** A file read with `readSmallFile` held more than its cap. */
var FileTooLargeError = class extends Error {
	path;
	cap;
	code = "EFBIG";
	constructor(path, cap) {
		super(`${path} holds more than ${cap} bytes`);
		this.path = path;
		this.cap = cap;
	}
};
/**
* Reads a file that should be small (a key, a certificate, a bundle, a config) whole, but
* never more than `cap` bytes: a device such as /dev/zero or a huge file named by mistake
* ends in FileTooLargeError instead of filling memory. Other failures are the errno errors
* of open and read. The result may be a view of a larger buffer.
*/
async function readSmallFile(path, cap) {
	const file = await (0, node_fs_promises.open)(path, "r");
	try {
		const { size } = await file.stat();
		let buffer = Buffer.allocUnsafe(Math.min(cap + 1, size > 0 ? size + 1 : 65536));
		let total = 0;
		for (;;) {
			if (total === buffer.length) {
				if (total > cap) throw new FileTooLargeError(path, cap);
				const larger = Buffer.allocUnsafe(Math.min(cap + 1, 2 * total));
				buffer.copy(larger, 0, 0, total);
				buffer = larger;
			}
			const { bytesRead } = await file.read(buffer, total, buffer.length - total, null);
			if (bytesRead === 0) return buffer.subarray(0, total);
			total += bytesRead;
		}
	} finally {
		await file.close();
	}
}
// dist/src/pending-files.js
/**
* Files this process has made and not yet finished with (temporary files before their
* rename, lock files while held): what would be left behind if it stopped now. A process
* about to end on a signal removes them with `removePendingFiles`.
*/
const pending = /* @__PURE__ */ new Set();
/**
* Synchronous removals of more than one file (a layout a push is making: its blobs, index
* and directories), each deciding for itself what is still its own to remove.
*/
const cleanups = /* @__PURE__ */ new Set();
function trackPendingFile(path) {
	pending.add(path);
}
function untrackPendingFile(path) {
	pending.delete(path);
}
/**
* Registers a synchronous removal to run if the process ends on a signal, after the pending
* files are gone (so a lock or temporary file of its own no longer stands in its way).
* Returns the function that unregisters it.
*/
function trackPendingCleanup(cleanup) {
	cleanups.add(cleanup);
	return () => {
		cleanups.delete(cleanup);
	};
}
/**
* Removes every pending file, then runs the pending cleanups, synchronously: called where the process is about to exit
* (a signal, `process.exit`) and cannot wait for promises. Errors are ignored: a file
* already gone is as good, and nothing else can be done at that point.
*/
function removePendingFiles() {
	for (const path of pending) try {
		(0, node_fs.rmSync)(path, { force: true });
	} catch {}
	pending.clear();
	for (const cleanup of cleanups) try {
		cleanup();
	} catch {}
	cleanups.clear();
}
// dist/src/replace-file.js
/** As the kernel's limit on links followed in one path (Linux: 40). */
const MAX_LINKS = 40;
/**
* Replaces a file's content all at once: written to a temporary name beside it and renamed
* over it, so a reader sees the old bytes or the new, never part of them, and a failure or
* an interruption (the temporary file is pending until renamed: see pending-files.ts)
* leaves nothing behind. A symbolic link is written through, the link stays: its file is
* replaced, or made if the link dangles and the directory it points into exists. A path
* that exists and is not a regular file is refused with code ENOTREGULAR, unless
* `intoSpecial` lets a device or FIFO be written into.
*/
async function replaceFile(path, data, options = {}) {
	const reached = await (0, node_fs_promises.stat)(path).catch(() => void 0);
	if (reached && !reached.isFile()) return intoSpecial(path, reached, data, options);
	const { target, info } = await linkTarget(path);
	if (info && !info.isFile()) return intoSpecial(target, info, data, options, path);
	if (!info && target !== path && !(await (0, node_fs_promises.stat)((0, node_path.dirname)(target)).catch(() => void 0))?.isDirectory()) throw Object.assign(/* @__PURE__ */ new Error(`${path} is a symbolic link to ${target}, whose directory ${(0, node_path.dirname)(target)} does not exist`), {
		code: "ENOENT",
		path
	});
	const temp = (0, node_path.join)((0, node_path.dirname)(target), `.${(0, node_path.basename)(target)}.${process.pid}.${(0, node_crypto.randomBytes)(6).toString("hex")}.tmp`);
	trackPendingFile(temp);
	try {
		await (0, node_fs_promises.writeFile)(temp, data, {
			flag: "wx",
			...options.mode === void 0 ? {} : { mode: options.mode }
		});
		await (0, node_fs_promises.rename)(temp, target);
	} catch (err) {
		await (0, node_fs_promises.rm)(temp, { force: true });
		throw err;
	} finally {
		untrackPendingFile(temp);
	}
}
/** Writes into a device or FIFO when `intoSpecial` allows it; refuses anything else that is no regular file. */
async function intoSpecial(target, info, data, options, path = target) {
	if (options.intoSpecial && !info.isDirectory()) return (0, node_fs_promises.writeFile)(target, data);
	throw Object.assign(/* @__PURE__ */ new Error(`${path} is not a regular file`), {
		code: "ENOTREGULAR",
		path
	});
}
/**
* The file a path names once symbolic links are followed (each resolved against the
* directory of the link), and its stat; no stat when nothing is there (a dangling link's
* target, or a path that cannot be looked at, whose write then fails with the reason).
* `stat` alone cannot tell a dangling link from a missing file, and a rename over the
* link would replace it with a file.
*/
async function linkTarget(path) {
	let target = path;
	for (let hops = 0; hops <= MAX_LINKS; hops += 1) {
		const info = await (0, node_fs_promises.lstat)(target).catch(() => void 0);
		if (!info?.isSymbolicLink()) return {
			target,
			info
		};
		target = (0, node_path.resolve)(await (0, node_fs_promises.realpath)((0, node_path.dirname)(target)), await (0, node_fs_promises.readlink)(target));
	}
	throw Object.assign(/* @__PURE__ */ new Error(`${path}: too many levels of symbolic links`), {
		code: "ELOOP",
		path
	});
}
// dist/src/file-lock.js
/** What a lock file holds: its holder, `pid@host`, for whoever finds one left behind. */
const holder = () => `${process.pid}@${(0, node_os.hostname)()}\n`;
/**
* Runs `work` holding a lock file that cooperating processes honour: created exclusively
* ('wx'), holding `pid@host` so that a user who finds one left behind (its holder was
* killed) knows whose it was, and removed when `work` ends, however it ends. While another
* process holds it, retries with a short jittered backoff for at most `waitMs`. A lock left
* behind is reported, never broken: two processes that both thought it stale could each
* remove the other's. While held, the lock is a pending file (removed if the process is
* interrupted).
*/
async function withFileLock(lockPath, work, options) {
	const deadline = Date.now() + options.waitMs;
	for (let pause = 2;; pause = Math.min(pause * 2, 100)) {
		let handle;
		try {
			handle = await (0, node_fs_promises.open)(lockPath, "wx");
		} catch (err) {
			if (err.code !== "EEXIST") throw options.failure({
				reason: "create",
				cause: err
			});
			if (Date.now() >= deadline) {
				const holder = (await readSmallFile(lockPath, 1024).catch(() => Buffer.alloc(0))).toString("utf8").trim();
				throw options.failure({
					reason: "busy",
					holder: holder.slice(0, 200)
				});
			}
			await (0, node_timers_promises.setTimeout)(pause * (.5 + Math.random()));
			continue;
		}
		trackPendingFile(lockPath);
		try {
			await handle.writeFile(holder());
			await handle.close();
		} catch (err) {
			await handle.close().catch(() => void 0);
			await release(lockPath);
			throw options.failure({
				reason: "write",
				cause: err
			});
		}
		break;
	}
	try {
		return await work();
	} finally {
		await release(lockPath);
	}
}
async function release(lockPath) {
	untrackPendingFile(lockPath);
	await (0, node_fs_promises.rm)(lockPath, { force: true });
}
/**
* `withFileLock` for a process about to end on a signal, which cannot wait: takes the lock
* only if it is free, runs `work`, and removes it. False when another holds it (or it
* cannot be made), and `work` did not run.
*/
function withFileLockNow(lockPath, work) {
	let fd;
	try {
		fd = (0, node_fs.openSync)(lockPath, "wx");
	} catch {
		return false;
	}
	try {
		(0, node_fs.writeSync)(fd, holder());
		work();
		return true;
	} finally {
		(0, node_fs.closeSync)(fd);
		(0, node_fs.rmSync)(lockPath, { force: true });
	}
}
// dist/src/hashing/digest-cache.js
const FORMAT = "modelsign-digest-cache";
const VERSION = 1;
/** Entries kept: enough for every shard of several large models; the file stays near 20 MB at most. */
const DEFAULT_MAX_ENTRIES = 1e5;
/** A larger file is not this cache's (or is damaged): it is ignored rather than parsed. */
const MAX_FILE_BYTES = 67108864;
const LOCK_WAIT_MS = 3e3;
const HEX_LENGTH = {
	sha256: 64,
	blake2b: 128,
	blake3: 64
};
const MAX_IDENTITY_LENGTH = 1024;
const keyOf = (identity, start, end, algorithm) => JSON.stringify([
	identity,
	start,
	end,
	algorithm
]);
/**
* A digest cache kept in one JSON file, for re-verifying and re-signing unchanged models
* without reading them again.
*
* Loading fails only for an existing file that is not a cache of ours at all (it does not
* open with this format's marker; `CACHE_WOULD_OVERWRITE`), which is never replaced: a
* mistyped `model/weights.bin` must not become a cache. A missing, empty or unreadable
* file, or a damaged or other-version cache of ours, gives an empty cache and is
* rewritten, and malformed entries are skipped. `save` merges with what the file holds by
* then (another run may have added entries), under a lock file beside it, keeps the
* `maxEntries` most recently used, and replaces the file atomically (a temporary file in
* the same directory, then rename), readable by its owner only. Whoever can write the file decides what verification
* believes about unchanged files, which is why the CLI only uses it when asked.
*/
var FileDigestCache = class FileDigestCache {
	path;
	maxEntries;
	/** Least recently used first. */
	entries = /* @__PURE__ */ new Map();
	changed = false;
	/** Lookups answered from the cache and lookups that missed, since opening. */
	hits = 0;
	misses = 0;
	constructor(path, maxEntries) {
		this.path = path;
		this.maxEntries = maxEntries;
	}
	static async open(path, options = {}) {
		const cache = new FileDigestCache(path, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
		for (const e of await readEntries(path, cache.maxEntries)) cache.entries.set(keyOf(e[0], e[1], e[2], e[3]), e);
		return cache;
	}
	/** Entries held now. */
	get size() {
		return this.entries.size;
	}
	get(identity, start, end, algorithm) {
		const key = keyOf(identity, start, end, algorithm);
		const entry = this.entries.get(key);
		if (entry === void 0) {
			this.misses += 1;
			return;
		}
		this.hits += 1;
		this.touch(key, entry);
		return entry[4];
	}
	set(identity, start, end, algorithm, digest) {
		const entry = [
			identity,
			start,
			end,
			algorithm,
			digest
		];
		if (!isEntry(entry)) return;
		this.touch(keyOf(identity, start, end, algorithm), entry);
		if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value);
	}
	/**
	* Writes the cache file if anything was looked up or added since opening: reads what it
	* holds now, merges and replaces it, holding `<path>.lock` so that concurrent runs do not
	* lose each other's entries. Fails (CACHE_LOCKED) if another holds the lock for longer than
	* LOCK_WAIT_MS: a cache is not worth waiting long for.
	*/
	async save() {
		if (!this.changed) return;
		if ((await (0, node_fs_promises.stat)(this.path).catch(() => void 0))?.isFile() === false) throw Object.assign(/* @__PURE__ */ new Error(`${this.path} is not a regular file`), { code: "ENOTREGULAR" });
		await makeDirectories((0, node_path.dirname)(this.path), 448);
		const lock = `${this.path}.lock`;
		await withFileLock(lock, () => this.merge(), {
			waitMs: LOCK_WAIT_MS,
			failure: (f) => lockFailure(this.path, lock, f)
		});
		this.changed = false;
	}
	async merge() {
		const merged = /* @__PURE__ */ new Map();
		for (const e of await readEntries(this.path, this.maxEntries)) merged.set(keyOf(e[0], e[1], e[2], e[3]), e);
		for (const [key, e] of this.entries) {
			merged.delete(key);
			merged.set(key, e);
		}
		const entries = [...merged.values()].slice(-this.maxEntries);
		await replaceFile(this.path, JSON.stringify({
			format: FORMAT,
			version: VERSION,
			entries
		}), { mode: 384 });
	}
	touch(key, entry) {
		this.entries.delete(key);
		this.entries.set(key, entry);
		this.changed = true;
	}
};
/** How a cache file we wrote opens (`JSON.stringify` puts `format` first); damage later on does not hide it. */
const OUR_OPENING = new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${FORMAT}"`);
const OPENING_BYTES = 64;
/**
* The entries of a cache file, oldest first; nothing for a file that is missing, empty,
* unreadable, or a damaged or other-version cache of ours. Throws for a file that is not
* a cache of ours at all.
*/
async function readEntries(path, maxEntries) {
	let size;
	try {
		const info = await (0, node_fs_promises.stat)(path);
		if (!info.isFile()) return [];
		size = info.size;
	} catch {
		return [];
	}
	const opening = await readOpening(path);
	if (opening === void 0 || size === 0) return [];
	const ours = OUR_OPENING.test(opening);
	if (!ours && size > MAX_FILE_BYTES) throw notACache(path);
	let parsed;
	try {
		parsed = JSON.parse((await readSmallFile(path, MAX_FILE_BYTES)).toString("utf8"));
	} catch {
		if (ours) return [];
		throw notACache(path);
	}
	const doc = typeof parsed === "object" && parsed !== null ? parsed : {};
	if (!ours && doc.format !== FORMAT) throw notACache(path);
	if (doc.version !== VERSION || !Array.isArray(doc.entries)) return [];
	return doc.entries.filter(isEntry).slice(-maxEntries);
}
function lockFailure(path, lock, f) {
	if (f.reason !== "busy") return require_bundle.usageError("WRITE_FAILED", `cannot ${f.reason} the lock file ${lock}: ${f.cause.message}`, f.cause);
	return require_bundle.usageError("CACHE_LOCKED", `${path} is locked by ${lock}${f.holder ? ` (written by process ${JSON.stringify(f.holder)})` : ""}, still after ${LOCK_WAIT_MS / 1e3} s: another run is saving to it, or one stopped while it held the lock; if none is, remove ${lock}`);
}
const notACache = (path) => require_bundle.usageError("CACHE_WOULD_OVERWRITE", `${path} exists and is not a modelsign digest cache; it is left as it is (remove it or choose another cache file)`);
/** A file's first bytes as text; undefined if it cannot be read. */
async function readOpening(path) {
	const file = await (0, node_fs_promises.open)(path, "r").catch(() => void 0);
	if (!file) return void 0;
	try {
		const head = Buffer.alloc(OPENING_BYTES);
		const { bytesRead } = await file.read(head, 0, OPENING_BYTES, 0);
		return head.subarray(0, bytesRead).toString("latin1");
	} catch {
		return;
	} finally {
		await file.close();
	}
}
function isEntry(value) {
	if (!Array.isArray(value) || value.length !== 5) return false;
	const [identity, start, end, algorithm, digest] = value;
	return typeof identity === "string" && identity.length > 0 && identity.length <= MAX_IDENTITY_LENGTH && Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end && require_work.isHashAlgorithm(algorithm) && typeof digest === "string" && digest.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(digest);
}
/** Builds the serialization a hash run records, validating the options. */
function serializationFor(options, singleFile) {
	const method = options.method ?? "files";
	const hashType = options.hashAlgorithm ?? "sha256";
	const shardSize = options.shardSize ?? 1e9;
	if (!Number.isSafeInteger(shardSize) || shardSize <= 0) throw require_bundle.usageError("BAD_SHARD_SIZE", `shard size must be a positive integer, got ${shardSize}`);
	const ignorePaths = singleFile ? [] : effectiveIgnorePaths(options.ignorePaths ?? [], options.ignoreGitPaths ?? true);
	return {
		method,
		hashType,
		allowSymlinks: options.allowSymlinks ?? false,
		...method === "shards" ? { shardSize } : {},
		...ignorePaths.length > 0 ? { ignorePaths } : {}
	};
}
/** Normalized, de-duplicated, sorted ignore paths, plus the git paths when asked. */
function effectiveIgnorePaths(paths, ignoreGitPaths) {
	const out = /* @__PURE__ */ new Set();
	for (const p of paths) {
		const n = require_bundle.normalizeRelative(p);
		if (n === void 0) throw require_bundle.usageError("BAD_IGNORE_PATH", `ignore path ${JSON.stringify(p)} is not inside the model root`);
		if (n !== "") out.add(n);
	}
	if (ignoreGitPaths) require_bundle.GIT_PATHS.forEach((p) => out.add(p));
	return [...out].sort();
}
/**
* Lists a model's files under a serialization's symlink and ignore rules. For `files`
* without a digest cache, the source may hash files as it lists them (`listedDigest`).
*/
function listModel(source, serialization, options = {}) {
	const isIgnored = source.singleFile ? () => false : require_bundle.ignoreMatcher(serialization.ignorePaths ?? []);
	const identify = options.identify === true;
	return source.list({
		allowSymlinks: serialization.allowSymlinks,
		isIgnored,
		identify,
		...serialization.method === "files" && !identify ? { digestAlgorithm: serialization.hashType } : {},
		...options.pool ? { pool: options.pool } : {}
	});
}
/**
* Cuts files into resources in the reference's order: files by path components; shards
* `[start, end)` of `shardSize` bytes by (path, start), and empty files give no shards.
*/
function planResources(files, serialization) {
	const sorted = require_bundle.sortByPath(files, (f) => f.name);
	if (serialization.method === "files") return sorted.map((file) => ({
		name: file.name,
		file,
		start: 0,
		end: file.size
	}));
	const size = serialization.shardSize ?? 1e9;
	const out = [];
	for (const file of sorted) for (let start = 0; start < file.size; start += size) {
		const end = Math.min(start + size, file.size);
		out.push({
			name: require_bundle.shardName(file.name, start, end),
			file,
			start,
			end
		});
	}
	return out;
}
const memoKey = (p, algorithm) => `${p.file.name}\u0000${p.start}\u0000${p.end}\u0000${algorithm}`;
/** True when a file's content address is its `files`/sha256 digest, so it need not be read. */
function usesContentAddress(file, serialization, options = {}) {
	return !options.readContentAddressed && serialization.method === "files" && serialization.hashType === "sha256" && file.contentDigest?.startsWith("sha256:") === true;
}
/** The hex digest a file's content address stands for, when `usesContentAddress`; otherwise undefined. */
function addressedDigest(file, serialization, options = {}) {
	return usesContentAddress(file, serialization, options) ? file.contentDigest.slice(7) : void 0;
}
/** A resource's digest from the listing: the whole file, hashed with this algorithm as it was listed. */
function listedDigest(p, algorithm) {
	const d = p.file.listedDigest;
	return d !== void 0 && d.algorithm === algorithm && p.start === 0 && p.end === p.file.size ? d.hex : void 0;
}
/**
* Hashes planned resources: digests the listing or the cache knows are taken from them,
* content addresses stand in where they can, local files go to the worker pool, and other
* sources are streamed once (in one pass where the source offers it, splitting the bytes at shard
* boundaries). Returns hex digests in plan order.
*/
async function hashPlanned(source, plan, serialization, options = {}) {
	const algorithm = serialization.hashType;
	const { cache, memo } = options;
	const digests = new Array(plan.length);
	const remember = (i, hex) => {
		const p = plan[i];
		digests[i] = hex;
		memo?.set(memoKey(p, algorithm), hex);
		if (p.file.identity !== void 0) cache?.set(p.file.identity, p.start, p.end, algorithm, hex);
	};
	const local = [];
	const remote = /* @__PURE__ */ new Map();
	const passThrough = /* @__PURE__ */ new Map();
	let toRead = 0;
	let readWhileListing = 0;
	plan.forEach((p, i) => {
		const listed = listedDigest(p, algorithm);
		if (listed !== void 0) {
			remember(i, listed);
			readWhileListing += p.end - p.start;
			return;
		}
		const known = memo?.get(memoKey(p, algorithm)) ?? (p.file.identity === void 0 ? void 0 : cache?.get(p.file.identity, p.start, p.end, algorithm));
		if (known !== void 0) {
			digests[i] = known;
			return;
		}
		const addressed = addressedDigest(p.file, serialization, options);
		if (addressed !== void 0) {
			digests[i] = addressed;
			if (!options.streamContentAddressed) return;
			passThrough.set(p.file, [i]);
		} else if (p.file.localPath !== void 0) local.push(i);
		else {
			const indexes = remote.get(p.file);
			if (indexes) indexes.push(i);
			else remote.set(p.file, [i]);
		}
		toRead += p.end - p.start;
	});
	options.onTotal?.(readWhileListing + toRead);
	const hashFile = async (file, bytes) => {
		const passing = passThrough.get(file);
		if (passing) {
			for await (const chunk of bytes) options.onProgress?.(chunk.length);
			for (const i of passing) remember(i, digests[i]);
			return;
		}
		const indexes = remote.get(file) ?? [];
		let k = 0;
		let position = 0;
		let hasher = await require_work.createHasher(algorithm);
		const finish = async () => {
			while (k < indexes.length && plan[indexes[k]].end === position) {
				remember(indexes[k], hasher.digest());
				k += 1;
				hasher = await require_work.createHasher(algorithm);
			}
		};
		await finish();
		for await (const chunk of bytes) {
			options.onProgress?.(chunk.length);
			let offset = 0;
			while (offset < chunk.length && k < indexes.length) {
				const take = Math.min(chunk.length - offset, plan[indexes[k]].end - position);
				hasher.update(chunk.subarray(offset, offset + take));
				offset += take;
				position += take;
				await finish();
			}
		}
		if (k < indexes.length) throw require_bundle.usageError("READ_FAILED", `${file.name} ended after ${position} bytes, before its listed size ${file.size}`);
	};
	if (remote.size > 0 || passThrough.size > 0) {
		const files = [...remote.keys(), ...passThrough.keys()];
		if (source.stream) await source.stream(files, hashFile);
		else for (const file of files) await hashFile(file, source.read(file, 0, file.size));
	}
	const localDigests = await hashRanges(local.map((i) => {
		const p = plan[i];
		return {
			path: p.file.localPath,
			start: p.start,
			end: p.end,
			algorithm,
			size: p.file.size,
			listedTimes: p.file.listedTimes
		};
	}), options);
	local.forEach((planIndex, k) => remember(planIndex, localDigests[k]));
	return digests;
}
/** Turns planned resources and their digests into manifest resources. */
function toResources(plan, digests, serialization) {
	const algorithm = require_bundle.resourceAlgorithm(serialization);
	return plan.map((p, i) => ({
		name: p.name,
		algorithm,
		digest: digests[i]
	}));
}
/**
* Hashes a model with the OMS serialization and returns its manifest, ready to sign.
* Ignore paths are relative to the model root.
*/
async function hashModel(source, options = {}) {
	const serialization = serializationFor(options, source.singleFile);
	const listing = await listModel(source, serialization, {
		identify: options.cache !== void 0,
		pool: options
	});
	const plan = planResources(listing.files, serialization);
	const resources = toResources(plan, await hashPlanned(source, plan, serialization, options), serialization);
	return {
		listing,
		manifest: {
			modelName: source.modelName,
			serialization,
			resources,
			rootDigest: require_bundle.rootDigest(resources)
		}
	};
}
// dist/src/signing/certificates.js
/**
* A certificate's subject or issuer (Node's `X509Certificate.subject`/`.issuer`) as one
* line, its RDNs joined by `, ` in the certificate's order: `CN=model signer, O=Test`, as
* every report, message and JSON field shows it. Node gives one RDN per line and has
* already escaped commas, quotes and control characters inside values (`\,`, `\0A`), so
* the joined form reads back unambiguously.
*/
const distinguishedName = (name) => name.split("\n").join(", ");
/** The subject of a certificate, as `distinguishedName` shows it. */
const subjectOf = (cert) => distinguishedName(cert.subject);
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** Reads every PEM certificate in a file; throws a usage error when there is none or one is broken. */
function parsePemCertificates(text, source) {
	const blocks = text.toString().match(PEM_CERT) ?? [];
	if (blocks.length === 0) throw require_bundle.usageError("CERT_UNREADABLE", `${source} holds no PEM certificate`);
	return blocks.map((block, i) => {
		try {
			return new node_crypto.X509Certificate(block);
		} catch (err) {
			throw require_bundle.usageError("CERT_UNREADABLE", `${source}: certificate ${i + 1} cannot be parsed`, err);
		}
	});
}
// dist/src/signing/signers.js
/** A signer for the key method: ECDSA with the curve's digest, bundle carries the key hint. */
function keySigner(privateKey) {
	const digest = require_key_verifier.ecDigest(privateKey);
	return {
		method: "key",
		material: {
			kind: "publicKey",
			hint: require_key_verifier.publicKeyHint(privateKey)
		},
		sign: (data) => (0, node_crypto.sign)(digest, data, {
			key: privateKey,
			dsaEncoding: "der"
		})
	};
}
/**
* A signer for the certificate method: the bundle carries [leaf, ...chain] as DER.
* The private key must belong to the leaf certificate.
*/
function certificateSigner(privateKey, leaf, chain) {
	const digest = require_key_verifier.ecDigest(privateKey);
	if (!leaf.checkPrivateKey(privateKey)) throw require_bundle.usageError("KEY_CERT_MISMATCH", `the private key does not belong to the signing certificate (${subjectOf(leaf)})`);
	require_key_verifier.ecDigest(leaf.publicKey, "the signing certificate key");
	return {
		method: "certificate",
		material: {
			kind: "x509CertificateChain",
			certificates: [leaf.raw, ...chain.map((c) => c.raw)]
		},
		sign: (data) => (0, node_crypto.sign)(digest, data, {
			key: privateKey,
			dsaEncoding: "der"
		})
	};
}
/** Signs a manifest: in-toto statement, DSSE over its exact bytes, Sigstore bundle JSON. */
function signManifest(manifest, signer) {
	const payload = require_bundle.buildStatement(manifest);
	require_bundle.checkStatementSize(payload, manifest.resources.length);
	const signature = signer.sign(require_bundle.pae(require_bundle.IN_TOTO_PAYLOAD_TYPE, payload));
	return require_bundle.buildBundle(signer.material, payload, signature);
}
// dist/src/verifying/certificate-verifier.js
const require$1 = (0, node_module.createRequire)(require("url").pathToFileURL(__filename).href);
let asn1;
/**
* A certificate's extensions as @sigstore/core reads them. Its DER parser is stricter than
* Node's, so a certificate from a bundle that Node took can still fail here: that is a
* certificate we cannot trust, not a failure of the tool.
*/
function parseExtensions(cert) {
	asn1 ??= require$1("@sigstore/core").X509Certificate;
	try {
		return asn1.parse(cert.raw);
	} catch (err) {
		throw untrusted(`certificate "${subjectOf(cert)}" cannot be parsed: ${require_bundle.messageOf(err)}`);
	}
}
const OID_CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
const MAX_PATH = 10;
const KNOWN_EXTENSIONS = /* @__PURE__ */ new Set([
	"2.5.29.14",
	"2.5.29.15",
	"2.5.29.17",
	"2.5.29.19",
	"2.5.29.32",
	"2.5.29.35",
	"2.5.29.37"
]);
/**
* Verifies certificate-method bundles: builds a path from the bundle's leaf through its
* intermediates to one of the caller's trust anchors, checking each signature, validity
* period, CA constraints and unknown critical extensions, then the leaf's key usage, then
* the envelope signature with the leaf's key.
*/
function certificateVerifier(trustAnchors, options = {}) {
	return {
		method: "certificate",
		verify(bundle) {
			const m = bundle.material;
			if (m.kind !== "x509CertificateChain" || require_bundle.signingMethod(bundle) !== "certificate") throw require_key_verifier.wrongMethod("certificate", bundle);
			const certs = m.certificates.map((der, i) => {
				try {
					return new node_crypto.X509Certificate(der);
				} catch (err) {
					throw require_bundle.unverifiedError("BUNDLE_MALFORMED", `not a usable Sigstore bundle: certificate ${i} in the chain cannot be parsed`, err);
				}
			});
			const when = options.at ?? "issued";
			const at = when === "issued" ? new Date(certs[0].validFrom) : when === "now" ? /* @__PURE__ */ new Date() : when;
			const path = buildPath(certs[0], certs.slice(1), trustAnchors, at);
			const leaf = path[0];
			checkLeafUsage(leaf);
			checkLeafKey(leaf);
			const { legacyPae } = require_key_verifier.verifyEnvelope(bundle, leaf.publicKey);
			return {
				legacyPae,
				...when === "issued" ? { warnings: invalidNow(path, at) } : {},
				signer: {
					method: "certificate",
					subject: subjectOf(leaf),
					issuer: distinguishedName(leaf.issuer),
					serialNumber: leaf.serialNumber,
					notBefore: new Date(leaf.validFrom).toISOString(),
					notAfter: new Date(leaf.validTo).toISOString(),
					validAt: at.toISOString(),
					fingerprintSha256: leaf.fingerprint256,
					chain: path.map(subjectOf)
				}
			};
		}
	};
}
/**
* What the verifier requires of a signing certificate by itself, whatever the trust anchors
* and the time: no critical extension it does not understand, and meant for signing
* (keyUsage digitalSignature or extendedKeyUsage codeSigning). Throws as verification does
* (CERT_UNTRUSTED, the same message), so `sign certificate` can refuse, before hashing, a
* leaf whose signatures `verify certificate` would always reject.
*/
function checkSigningCertificate(leaf) {
	checkCriticalExtensions(leaf);
	checkLeafUsage(leaf);
}
/** Throws, as verification does, unless the signing certificate is valid at `at` (now by default). */
function checkSigningCertificateValidity(leaf, at = /* @__PURE__ */ new Date()) {
	checkValidity(leaf, at, "signing certificate");
}
function buildPath(leaf, intermediates, anchors, at) {
	checkValidity(leaf, at, "signing certificate");
	checkCriticalExtensions(leaf);
	const path = [leaf];
	let current = leaf;
	while (!anchors.some((a) => sameCert(a, current))) {
		if (path.length > MAX_PATH) throw untrusted(`no path to a trust anchor within ${MAX_PATH} certificates`);
		const issuer = [...anchors, ...intermediates].find((c) => !path.some((p) => sameCert(p, c)) && current.checkIssued(c) && current.verify(c.publicKey));
		if (!issuer) throw untrusted(`no trusted issuer for "${subjectOf(current)}" (issued by "${distinguishedName(current.issuer)}"): it is not signed by any given trust anchor or bundled intermediate`);
		checkValidity(issuer, at, "issuer certificate");
		checkCriticalExtensions(issuer);
		checkCa(issuer, path.length - 1);
		path.push(issuer);
		current = issuer;
	}
	return path;
}
const sameCert = (a, b) => a.raw.equals(b.raw);
/**
* Says of each certificate in a path accepted as of its leaf's issue that it is not valid
* now: the signature verifies, but whoever relies on it should know.
*/
function invalidNow(path, issued) {
	const warnings = [];
	const now = /* @__PURE__ */ new Date();
	path.forEach((cert, i) => {
		try {
			checkValidity(cert, now, i === 0 ? "signing certificate" : "issuer certificate");
		} catch (err) {
			warnings.push(`${require_bundle.messageOf(err)}: accepted, as the chain is checked as of ${issued.toISOString()}, when the signing certificate was issued (as the reference does; a certificate bundle carries no trusted signing time), and checking at the current time would reject it`);
		}
	});
	return warnings;
}
function checkValidity(cert, at, what) {
	const from = new Date(cert.validFrom);
	const to = new Date(cert.validTo);
	if (at < from) throw untrusted(`${what} "${subjectOf(cert)}" is not valid before ${from.toISOString()}`);
	if (at > to) throw untrusted(`${what} "${subjectOf(cert)}" expired on ${to.toISOString()}`);
}
/** An issuer must be a CA allowed to sign certificates, within its path length limit. */
function checkCa(cert, casBelow) {
	const parsed = parseExtensions(cert);
	const bc = parsed.extBasicConstraints;
	if (!bc?.isCA) throw untrusted(`issuer "${subjectOf(cert)}" is not a CA certificate (basicConstraints cA is not set)`);
	const ku = parsed.extKeyUsage;
	if (ku && !ku.keyCertSign) throw untrusted(`issuer "${subjectOf(cert)}" may not sign certificates (keyUsage lacks keyCertSign)`);
	const limit = bc.pathLenConstraint;
	if (limit !== void 0 && BigInt(casBelow) > limit) throw untrusted(`issuer "${subjectOf(cert)}" allows ${limit} intermediate CA(s) below it, found ${casBelow}`);
}
/** The leaf must be meant for signing: keyUsage digitalSignature or extendedKeyUsage codeSigning. */
function checkLeafUsage(leaf) {
	const ku = parseExtensions(leaf).extKeyUsage;
	const eku = leaf.keyUsage ?? [];
	if (ku?.digitalSignature || eku.includes(OID_CODE_SIGNING)) return;
	throw untrusted(`signing certificate "${subjectOf(leaf)}" is not for signing: it has neither keyUsage digitalSignature nor extendedKeyUsage codeSigning`);
}
/** The leaf's key must be one OMS signs with; any other comes from the bundle, so it fails verification. */
function checkLeafKey(leaf) {
	try {
		require_key_verifier.ecDigest(leaf.publicKey, `the key of signing certificate "${subjectOf(leaf)}"`);
	} catch (err) {
		throw require_bundle.unverifiedError("CERT_KEY_UNSUPPORTED", require_bundle.messageOf(err));
	}
}
function checkCriticalExtensions(cert) {
	for (const ext of parseExtensions(cert).extensions) {
		const oid = ext.subs[0]?.toOID();
		if (ext.subs.length === 3 && ext.subs[1].toBoolean() && oid && !KNOWN_EXTENSIONS.has(oid)) throw untrusted(`certificate "${subjectOf(cert)}" has an unsupported critical extension ${oid}`);
	}
}
const untrusted = (message) => require_bundle.unverifiedError("CERT_UNTRUSTED", message);
// dist/src/verifying/model-check.js
const ADDRESS_NOTE = "checked by content address: the source checked this digest against the bytes it serves";
const SIZE_NOTE = "the file size differs from the signed one";
/**
* Hashes the model with the signed serialization and compares it with the signed
* resources, naming every changed, missing and extra file. Only files the signature
* names are hashed: an extra file fails by its name alone. A statement that names a
* single-file model's one file twice (as `.` and by its basename) fails
* (STATEMENT_INVALID, an unverified error).
*/
async function checkModel(source, signed, options = {}) {
	const s = signed.serialization;
	const listing = await listSigned(source, s, options);
	const expected = source.singleFile ? asSingleFile(signed.resources, source.modelName, s.method) : signed.resources;
	const pathOf = (name) => require_bundle.resourcePath(name, s.method);
	const merge = s.method === "files" && require_bundle.inStrictPathOrder(expected, nameOf) && require_bundle.inStrictPathOrder(listing.files, nameOf);
	const { present, unsigned } = merge ? splitByMerge(listing.files, expected) : splitByName(listing.files, new Set(expected.map((r) => pathOf(r.name))));
	const plan = planResources(present, s);
	const digests = options.readNothing ? plan.map((p) => addressedDigest(p.file, s, options)) : await hashPlanned(source, plan, s, failsByAddress(plan, expected, s, options) ? {
		...options,
		streamContentAddressed: false
	} : options);
	const files = [];
	const unread = [];
	const label = (hex) => `${s.hashType}:${hex}`;
	const compare = (r, k) => {
		const now = digests[k];
		if (now === void 0) {
			unread.push(r.name);
			return;
		}
		const entry = {
			name: r.name,
			status: now === r.digest ? "ok" : "changed",
			expected: label(r.digest),
			actual: label(now)
		};
		files.push(usesContentAddress(plan[k].file, s, options) ? {
			...entry,
			note: ADDRESS_NOTE
		} : entry);
	};
	const ignoredByRule = (name) => listing.ignored.some((i) => name === i || name.startsWith(`${i}/`));
	const missing = (r) => {
		const note = ignoredByRule(pathOf(r.name)) ? "present but excluded by the ignore paths" : void 0;
		return {
			name: r.name,
			status: "missing",
			expected: label(r.digest),
			...note ? { note } : {}
		};
	};
	if (merge) {
		let k = 0;
		for (const r of expected) if (k < plan.length && plan[k].name === r.name) compare(r, k++);
		else files.push(missing(r));
	} else {
		const planned = new Map(plan.map((p, k) => [p.name, k]));
		let presentPaths;
		for (const r of expected) {
			const k = planned.get(r.name);
			if (k !== void 0) compare(r, k);
			else if ((presentPaths ??= new Set(present.map((f) => f.name))).has(pathOf(r.name))) files.push({
				name: r.name,
				status: "changed",
				expected: label(r.digest),
				note: SIZE_NOTE
			});
			else files.push(missing(r));
		}
		const expectedNames = new Set(expected.map(nameOf));
		plan.forEach((p, k) => {
			const now = digests[k];
			if (!expectedNames.has(p.name)) files.push({
				name: p.name,
				status: "changed",
				...now === void 0 ? {} : { actual: label(now) },
				note: SIZE_NOTE
			});
		});
	}
	for (const f of unsigned) {
		if (s.method === "shards" && f.size === 0) continue;
		files.push(options.ignoreUnsignedFiles ? {
			name: f.name,
			status: "ignored",
			note: "not signed (--ignore-unsigned-files)"
		} : {
			name: f.name,
			status: "extra",
			note: "present in the model but not signed"
		});
	}
	for (const name of listing.ignored) files.push({
		name,
		status: "ignored",
		note: "matches an ignore path"
	});
	return {
		files,
		warnings: listing.warnings,
		...options.readNothing ? { unread } : {}
	};
}
/**
* True when a caller streams content-addressed files to keep their bytes (pull), but one of
* them already has an address other than its signed digest: the model fails this signature
* whatever the bytes are, so none need be downloaded for it (a later signature that fits
* streams them then). Their statuses come from the addresses, as in verify.
*/
function failsByAddress(plan, expected, s, options) {
	if (!options.streamContentAddressed) return false;
	const signed = new Map(expected.map((r) => [r.name, r.digest]));
	return plan.some((p) => usesContentAddress(p.file, s, options) && signed.has(p.name) && p.file.contentDigest !== `sha256:${signed.get(p.name)}`);
}
/**
* Lists a model under a signed serialization's rules: its symlink rule, and its ignore paths
* plus the caller's. A listing already in `options.listings` under the same rules is reused,
* and the one made now is added.
*/
async function listSigned(source, s, options) {
	const ignorePaths = effectiveIgnorePaths([...(s.ignorePaths ?? []).map(require_bundle.normalizeRelative).filter((p) => p !== void 0), ...options.ignorePaths ?? []], options.ignoreGitPaths ?? true);
	const identify = options.cache !== void 0;
	const key = JSON.stringify([
		s.allowSymlinks,
		ignorePaths,
		identify
	]);
	const listing = options.listings?.get(key) ?? await listModel(source, {
		...s,
		ignorePaths
	}, {
		identify,
		pool: options
	});
	options.listings?.set(key, listing);
	return listing;
}
/**
* For a single-file model the reference names the resource `"."` and the spec names it by
* the file's basename; both mean the one file, so a statement may use one of them only.
*/
function asSingleFile(resources, baseName, method) {
	const renamed = resources.map((r) => {
		if (method === "files") return r.name === baseName ? {
			...r,
			name: "."
		} : r;
		const shard = require_bundle.parseShardName(r.name);
		return shard?.path === baseName ? {
			...r,
			name: `.:${shard.start}:${shard.end}`
		} : r;
	});
	const names = /* @__PURE__ */ new Set();
	for (const r of renamed) {
		if (names.has(r.name)) throw require_bundle.unverifiedError("STATEMENT_INVALID", `the statement names the model's one file twice, as "." and as ${JSON.stringify(baseName)} (resource ${JSON.stringify(r.name)})`);
		names.add(r.name);
	}
	return renamed;
}
const nameOf = (item) => item.name;
function splitByName(files, signedPaths) {
	const split = {
		present: [],
		unsigned: []
	};
	for (const f of files) (signedPaths.has(f.name) ? split.present : split.unsigned).push(f);
	return split;
}
/** `splitByName` for a listing and signed resources both in strict path order: one merge. */
function splitByMerge(files, signed) {
	const split = {
		present: [],
		unsigned: []
	};
	let j = 0;
	for (const f of files) {
		while (j < signed.length && require_bundle.comparePaths(signed[j].name, f.name) < 0) j += 1;
		(j < signed.length && signed[j].name === f.name ? split.present : split.unsigned).push(f);
	}
	return split;
}
// dist/src/verifying/serialization-ahead.js
/**
* Base64 characters read at each end of the payload. The reference writes the serialization
* either before the resources or after them, so it sits near one end; a few hundred bytes
* long, it fits with room for long ignore lists.
*/
const WINDOW = 16384;
const PAYLOAD_KEY = Buffer.from("\"payload\"");
const QUOTE = 34;
const COLON = 58;
/**
* The serialization a bundle's statement appears to record, read from the two ends of its
* payload without parsing the bundle, checking its signature or reading the resources;
* undefined where it cannot be found that way. An unverified guess: it may only choose what
* work to start early, never what is trusted, and must be compared with the verified
* statement's before that work is used.
*/
function readSerializationAhead(bundle) {
	const bytes = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
	const key = bytes.indexOf(PAYLOAD_KEY);
	if (key < 0) return void 0;
	let i = skipSpace(bytes, key + PAYLOAD_KEY.length);
	if (bytes[i] !== COLON) return void 0;
	i = skipSpace(bytes, i + 1);
	if (bytes[i] !== QUOTE) return void 0;
	const start = i + 1;
	const end = bytes.indexOf(QUOTE, start);
	if (end < 0) return void 0;
	const decode = (from, to) => Buffer.from(bytes.toString("latin1", from, to), "base64").toString("utf8");
	const headEnd = start + Math.min(end - start, WINDOW);
	const head = decode(start, headEnd);
	const found = serializationIn(head, head.indexOf(SERIALIZATION_KEY));
	if (found !== void 0 || headEnd === end) return found;
	const tail = decode(Math.max(end - WINDOW, headEnd), end);
	return serializationIn(tail, tail.lastIndexOf(SERIALIZATION_KEY));
}
const SERIALIZATION_KEY = "\"serialization\"";
/** The serialization object whose key starts at `at` in a piece of statement text, if it is whole there. */
function serializationIn(text, at) {
	if (at < 0) return void 0;
	let i = skipSpaceIn(text, at + 15);
	if (text[i] !== ":") return void 0;
	i = skipSpaceIn(text, i + 1);
	const close = objectEnd(text, i);
	if (close === void 0) return void 0;
	try {
		return require_bundle.parseSerialization(JSON.parse(text.slice(i, close + 1)));
	} catch {
		return;
	}
}
/** The index of the `}` closing the JSON object that opens at `open`, skipping strings; undefined if it is not there. */
function objectEnd(text, open) {
	if (text[open] !== "{") return void 0;
	let depth = 0;
	for (let i = open; i < text.length; i += 1) {
		const c = text[i];
		if (c === "\"") {
			for (i += 1; i < text.length && text[i] !== "\""; i += 1) if (text[i] === "\\") i += 1;
		} else if (c === "{" || c === "[") depth += 1;
		else if ((c === "}" || c === "]") && --depth === 0) return i;
	}
}
const isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;
function skipSpace(bytes, i) {
	while (isSpace(bytes[i])) i += 1;
	return i;
}
function skipSpaceIn(text, i) {
	while (isSpace(text.charCodeAt(i))) i += 1;
	return i;
}
// dist/src/verifying/report.js
/** Counts statuses for the report summary. */
function summarize(files) {
	const summary = {
		ok: 0,
		changed: 0,
		missing: 0,
		extra: 0,
		ignored: 0
	};
	for (const f of files) summary[f.status] += 1;
	return summary;
}
// dist/src/verifying/verify.js
/**
* Verifies a model against a signature bundle, step by step: parse the bundle, check the
* signature with the chosen method, parse the statement, hash the model as it was signed
* and compare. Every "not verified" outcome is returned as a report, never thrown; local
* input problems (an unreadable model, a symlink the signature does not allow) throw a
* usage `ModelsignError`.
*/
async function verifyModel(options) {
	const checks = [];
	const warnings = [];
	const method = options.verifier.method;
	const listings = options.listings ?? /* @__PURE__ */ new Map();
	const examine = once(() => examineBundle(options, checks, warnings));
	if (options.listAhead && workersBeside(options) > 0) {
		const guess = readSerializationAhead(options.bundle);
		if (guess && !guess.allowSymlinks) await listSigned(options.source, guess, {
			...options,
			listings,
			meanwhile: examine
		}).catch(() => void 0);
	}
	const examined = examine();
	if ("report" in examined) return examined.report;
	const { signature, statement } = examined;
	const { manifest, legacy } = statement;
	let files;
	try {
		const checked = await checkModel(options.source, manifest, {
			...options,
			listings
		});
		files = checked.files;
		warnings.push(...checked.warnings);
	} catch (err) {
		if (!(err instanceof require_bundle.ModelsignError) || err.kind !== "unverified") throw err;
		checks.push({
			name: "model",
			ok: false,
			message: err.message
		});
		return {
			verified: false,
			method,
			legacy,
			signer: signature.signer,
			checks,
			files: [],
			summary: summarize([]),
			warnings,
			error: {
				code: err.code,
				message: err.message
			}
		};
	}
	const summary = summarize(files);
	const bad = summary.changed + summary.missing + summary.extra;
	const message = bad === 0 ? void 0 : `${summary.changed} changed, ${summary.missing} missing, ${summary.extra} extra`;
	checks.push({
		name: "model",
		ok: bad === 0,
		...message ? { message } : {}
	});
	return {
		verified: bad === 0,
		method,
		legacy,
		signer: signature.signer,
		rootDigest: `sha256:${manifest.rootDigest}`,
		serialization: manifest.serialization,
		checks,
		files,
		summary,
		warnings,
		...message ? { error: {
			code: "MODEL_MISMATCH",
			message: `the model does not match its signature: ${message}`
		} } : {}
	};
}
/** The first three steps: bundle, signature, statement, each recorded in `checks`. */
function examineBundle(options, checks, warnings) {
	const method = options.verifier.method;
	const failed = (name, err, partial = {}) => {
		if (!(err instanceof require_bundle.ModelsignError) || err.kind !== "unverified") throw err;
		checks.push({
			name,
			ok: false,
			message: err.message
		});
		return { report: {
			verified: false,
			method,
			legacy: false,
			checks,
			files: [],
			summary: summarize([]),
			warnings,
			...partial,
			error: {
				code: err.code,
				message: err.message
			}
		} };
	};
	let bundle;
	try {
		bundle = require_bundle.parseBundle(options.bundle);
	} catch (err) {
		return failed("bundle", err);
	}
	checks.push({
		name: "bundle",
		ok: true
	});
	let signature;
	try {
		signature = options.verifier.verify(bundle);
	} catch (err) {
		return failed("signature", err);
	}
	checks.push({
		name: "signature",
		ok: true,
		...signature.legacyPae ? { message: "verified over the v0.2 pre-authentication encoding" } : {}
	});
	warnings.push(...signature.warnings ?? []);
	let statement;
	try {
		statement = require_bundle.parseStatement(bundle.payload);
	} catch (err) {
		return failed("statement", err, { signer: signature.signer });
	}
	checks.push({
		name: "statement",
		ok: true
	});
	if (statement.legacy) warnings.push("legacy v0.2 signature (predicate https://model_signing/Digests/v0.1), accepted through the compatibility path");
	return {
		signature,
		statement
	};
}
/** `work` run at most once: later calls return its result, or throw what it threw, again. */
function once(work) {
	let outcome;
	return () => {
		if (outcome === void 0) try {
			outcome = { value: work() };
		} catch (error) {
			outcome = { error };
		}
		if ("error" in outcome) throw outcome.error;
		return outcome.value;
	};
}
// dist/src/sigstore/trust.js
const TRUSTED_ROOT_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v0\.\d+)?\+json/;
const TRUST_CONFIG_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.clienttrustconfig(\.v0\.\d+)?\+json/;
const PUBLIC_GOOD_TUF = "https://tuf-repo-cdn.sigstore.dev";
/**
* The public-good trusted root pinned in this package: the `trusted_root.json` target that
* @sigstore/tuf ships in its seeds. Using it never touches the network; refreshing it through
* TUF is an explicit, separate step.
*/
function publicGoodTrust() {
	const encoded = (0, node_module.createRequire)(require("url").pathToFileURL(__filename).href)("@sigstore/tuf/seeds.json")[PUBLIC_GOOD_TUF]?.targets?.["trusted_root.json"];
	if (!encoded) throw new Error("the @sigstore/tuf seeds hold no public-good trusted root");
	return {
		trustedRoot: parseTrustedRoot(Buffer.from(encoded, "base64"), "the pinned public-good trusted root"),
		signingConfig: PUBLIC_GOOD_SIGNING_CONFIG,
		source: "pinned public-good trusted root (@sigstore/tuf seeds)"
	};
}
/** Parses a trusted_root.json; a malformed one is a usage error naming the file. */
function parseTrustedRoot(bytes, source) {
	const doc = parseJson(bytes, source);
	if (typeof doc.mediaType !== "string" || !TRUSTED_ROOT_MEDIA_TYPE.test(doc.mediaType)) throw require_bundle.usageError("TRUST_ROOT_INVALID", `${source} is not a Sigstore trusted root (mediaType ${JSON.stringify(doc.mediaType)})`);
	if (!Array.isArray(doc.tlogs) || !Array.isArray(doc.certificateAuthorities)) throw require_bundle.usageError("TRUST_ROOT_INVALID", `${source} has no tlogs or certificateAuthorities`);
	return doc;
}
/**
* Parses a ClientTrustConfig (a trusted root plus a signing config), as sigstore-python and
* model_signing write it; both `signingConfig` and `signing_config` spellings occur.
*/
function parseTrustConfig(bytes, source) {
	const doc = parseJson(bytes, source);
	if (typeof doc.mediaType !== "string" || !TRUST_CONFIG_MEDIA_TYPE.test(doc.mediaType)) throw require_bundle.usageError("TRUST_CONFIG_INVALID", `${source} is not a Sigstore client trust config (mediaType ${JSON.stringify(doc.mediaType)})`);
	const root = doc.trustedRoot;
	const signing = doc.signingConfig ?? doc.signing_config;
	if (!isObject(root)) throw require_bundle.usageError("TRUST_CONFIG_INVALID", `${source} has no trustedRoot`);
	return {
		trustedRoot: parseTrustedRoot(Buffer.from(JSON.stringify(root)), `${source} (trustedRoot)`),
		...isObject(signing) ? { signingConfig: signing } : {},
		source
	};
}
function parseJson(bytes, source) {
	let doc;
	try {
		doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
	} catch (err) {
		throw require_bundle.usageError("TRUST_ROOT_INVALID", `${source} is not JSON`, err);
	}
	if (!isObject(doc)) throw require_bundle.usageError("TRUST_ROOT_INVALID", `${source} is not a JSON object`);
	return doc;
}
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const service = (url, start) => ({
	url,
	majorApiVersion: 1,
	validFor: { start },
	operator: "sigstore.dev"
});
/** Where the public-good instance signs: Fulcio, Rekor v1 and the timestamp authority. */
const PUBLIC_GOOD_SIGNING_CONFIG = {
	mediaType: "application/vnd.dev.sigstore.signingconfig.v0.2+json",
	caUrls: [service("https://fulcio.sigstore.dev", "2022-04-13T20:06:15.000Z")],
	oidcUrls: [service("https://oauth2.sigstore.dev/auth", "2022-04-13T20:06:15.000Z")],
	rekorTlogUrls: [service("https://rekor.sigstore.dev", "2021-01-12T11:53:27.000Z")],
	tsaUrls: [service("https://timestamp.sigstore.dev/api/v1/timestamp", "2025-07-04T00:00:00Z")],
	rekorTlogConfig: { selector: "ANY" },
	tsaConfig: { selector: "ANY" }
};
/** Where Sigstore's staging instance signs. Its trusted root is not pinned here. */
const STAGING_SIGNING_CONFIG = {
	mediaType: "application/vnd.dev.sigstore.signingconfig.v0.2+json",
	caUrls: [service("https://fulcio.sigstage.dev", "2022-04-14T21:38:40.000Z")],
	oidcUrls: [service("https://oauth2.sigstage.dev/auth", "2022-04-14T21:38:40.000Z")],
	rekorTlogUrls: [service("https://rekor.sigstage.dev", "2021-01-12T11:53:27.000Z")],
	tsaUrls: [service("https://timestamp.sigstage.dev/api/v1/timestamp", "2025-04-09T00:00:00Z")],
	rekorTlogConfig: { selector: "ANY" },
	tsaConfig: { selector: "ANY" }
};
// dist/src/oci/credentials.js
const MAX_CONFIG_BYTES = 4194304;
/** Credentials as a message names them: whose, and from where; never the secret. */
function describeCredentials(creds) {
	const what = creds.kind === "basic" ? `the credentials of user ${JSON.stringify(creds.username)}` : "the identity token";
	return creds.source ? `${what} from ${creds.source}` : what;
}
const HUB_KEYS = [
	"https://index.docker.io/v1/",
	"index.docker.io",
	"docker.io",
	"registry-1.docker.io"
];
/**
* Credentials the way docker, oras and skopeo find them: `$DOCKER_CONFIG/config.json` or
* `~/.docker/config.json` (`credHelpers`, then `credsStore`, then `auths`). Explicit
* credentials, when given, win for every registry.
*/
function dockerCredentials(explicit, configDir = process.env.DOCKER_CONFIG ?? (0, node_path.join)((0, node_os.homedir)(), ".docker")) {
	let config;
	return async (registry) => {
		if (explicit) return explicit;
		const path = (0, node_path.join)(configDir, "config.json");
		config ??= readDockerConfig(path);
		const cfg = await config;
		const keys = registry === "docker.io" ? HUB_KEYS : [
			registry,
			`https://${registry}`,
			`http://${registry}`
		];
		const helper = keys.map((k) => cfg.credHelpers?.[k]).find(Boolean) ?? cfg.credsStore;
		if (helper !== void 0 && typeof helper !== "string") throw require_bundle.usageError("BAD_DOCKER_CONFIG", `the credential helper for ${registry} in the docker config is not a name`);
		if (helper) {
			const fromHelper = await credentialHelper(helper, registry === "docker.io" ? HUB_KEYS[0] : registry);
			if (fromHelper) return {
				...fromHelper,
				source: `docker-credential-${helper} (named in ${path})`
			};
		}
		for (const key of keys) {
			const entry = cfg.auths?.[key];
			if (!entry) continue;
			const fields = [
				entry.identitytoken,
				entry.username,
				entry.password,
				entry.auth
			];
			if (typeof entry !== "object" || fields.some((f) => f !== void 0 && typeof f !== "string")) throw require_bundle.usageError("BAD_DOCKER_CONFIG", `the auths entry for ${key} in the docker config is not an object of strings`);
			const source = `the auths entry ${JSON.stringify(key)} of ${path}`;
			if (entry.identitytoken) return {
				kind: "identity-token",
				token: entry.identitytoken,
				source
			};
			if (entry.username !== void 0 && entry.password !== void 0) return {
				kind: "basic",
				username: entry.username,
				password: entry.password,
				source
			};
			if (entry.auth) {
				const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
				const colon = decoded.indexOf(":");
				if (colon === -1) throw require_bundle.usageError("BAD_DOCKER_CONFIG", `the auth entry for ${key} in the docker config is not base64 "user:password"`);
				return {
					kind: "basic",
					username: decoded.slice(0, colon),
					password: decoded.slice(colon + 1),
					source
				};
			}
		}
	};
}
async function readDockerConfig(path) {
	let text;
	try {
		text = (await readSmallFile(path, MAX_CONFIG_BYTES)).toString("utf8");
	} catch (err) {
		if (err instanceof FileTooLargeError) throw require_bundle.usageError("BAD_DOCKER_CONFIG", `${path} holds more than ${MAX_CONFIG_BYTES} bytes`);
		return {};
	}
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch (err) {
		throw require_bundle.usageError("BAD_DOCKER_CONFIG", `${path} is not JSON`, err);
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw require_bundle.usageError("BAD_DOCKER_CONFIG", `${path} is not a JSON object`);
	return parsed;
}
/** Runs `docker-credential-<helper> get`, as docker does; "not found" means no credentials. */
function credentialHelper(helper, serverUrl) {
	return new Promise((resolve, reject) => {
		(0, node_child_process.execFile)(`docker-credential-${helper}`, ["get"], { timeout: 3e4 }, (err, stdout, stderr) => {
			if (err) {
				if (/credentials not found/i.test(`${stdout}${stderr}`)) return resolve(void 0);
				return reject(err.code === "ENOENT" ? require_bundle.usageError("CRED_HELPER_MISSING", `the docker config names credential helper "${helper}", but docker-credential-${helper} is not installed`) : new require_bundle.ModelsignError("remote", "CRED_HELPER_FAILED", `docker-credential-${helper} failed: ${(stderr || err.message).trim()}`));
			}
			try {
				const out = JSON.parse(stdout);
				if (!out.Secret) return resolve(void 0);
				resolve(out.Username === "<token>" ? {
					kind: "identity-token",
					token: out.Secret
				} : {
					kind: "basic",
					username: out.Username ?? "",
					password: out.Secret
				});
			} catch (parseError) {
				reject(new require_bundle.ModelsignError("remote", "CRED_HELPER_FAILED", `docker-credential-${helper} printed something that is not JSON`, { cause: parseError }));
			}
		}).stdin?.end(serverUrl);
	});
}
Object.defineProperty(exports, "FileDigestCache", {
	enumerable: true,
	get: function() {
		return FileDigestCache;
	}
});
Object.defineProperty(exports, "FileTooLargeError", {
	enumerable: true,
	get: function() {
		return FileTooLargeError;
	}
});
Object.defineProperty(exports, "PUBLIC_GOOD_SIGNING_CONFIG", {
	enumerable: true,
	get: function() {
		return PUBLIC_GOOD_SIGNING_CONFIG;
	}
});
Object.defineProperty(exports, "STAGING_SIGNING_CONFIG", {
	enumerable: true,
	get: function() {
		return STAGING_SIGNING_CONFIG;
	}
});
Object.defineProperty(exports, "apiHost", {
	enumerable: true,
	get: function() {
		return apiHost;
	}
});
Object.defineProperty(exports, "certificateSigner", {
	enumerable: true,
	get: function() {
		return certificateSigner;
	}
});
Object.defineProperty(exports, "certificateVerifier", {
	enumerable: true,
	get: function() {
		return certificateVerifier;
	}
});
Object.defineProperty(exports, "checkModel", {
	enumerable: true,
	get: function() {
		return checkModel;
	}
});
Object.defineProperty(exports, "checkSigningCertificate", {
	enumerable: true,
	get: function() {
		return checkSigningCertificate;
	}
});
Object.defineProperty(exports, "checkSigningCertificateValidity", {
	enumerable: true,
	get: function() {
		return checkSigningCertificateValidity;
	}
});
Object.defineProperty(exports, "defaultWorkers", {
	enumerable: true,
	get: function() {
		return defaultWorkers;
	}
});
Object.defineProperty(exports, "describeCredentials", {
	enumerable: true,
	get: function() {
		return describeCredentials;
	}
});
Object.defineProperty(exports, "dockerCredentials", {
	enumerable: true,
	get: function() {
		return dockerCredentials;
	}
});
Object.defineProperty(exports, "hashModel", {
	enumerable: true,
	get: function() {
		return hashModel;
	}
});
Object.defineProperty(exports, "isDigestString", {
	enumerable: true,
	get: function() {
		return isDigestString;
	}
});
Object.defineProperty(exports, "isLoopback", {
	enumerable: true,
	get: function() {
		return isLoopback;
	}
});
Object.defineProperty(exports, "isOciReference", {
	enumerable: true,
	get: function() {
		return isOciReference;
	}
});
Object.defineProperty(exports, "isTag", {
	enumerable: true,
	get: function() {
		return isTag;
	}
});
Object.defineProperty(exports, "keySigner", {
	enumerable: true,
	get: function() {
		return keySigner;
	}
});
Object.defineProperty(exports, "makeDirectories", {
	enumerable: true,
	get: function() {
		return makeDirectories;
	}
});
Object.defineProperty(exports, "parsePemCertificates", {
	enumerable: true,
	get: function() {
		return parsePemCertificates;
	}
});
Object.defineProperty(exports, "parseReference", {
	enumerable: true,
	get: function() {
		return parseReference;
	}
});
Object.defineProperty(exports, "parseTrustConfig", {
	enumerable: true,
	get: function() {
		return parseTrustConfig;
	}
});
Object.defineProperty(exports, "parseTrustedRoot", {
	enumerable: true,
	get: function() {
		return parseTrustedRoot;
	}
});
Object.defineProperty(exports, "prestartWorkers", {
	enumerable: true,
	get: function() {
		return prestartWorkers;
	}
});
Object.defineProperty(exports, "publicGoodTrust", {
	enumerable: true,
	get: function() {
		return publicGoodTrust;
	}
});
Object.defineProperty(exports, "readSmallFile", {
	enumerable: true,
	get: function() {
		return readSmallFile;
	}
});
Object.defineProperty(exports, "referenceTarget", {
	enumerable: true,
	get: function() {
		return referenceTarget;
	}
});
Object.defineProperty(exports, "removeEmptyDirectories", {
	enumerable: true,
	get: function() {
		return removeEmptyDirectories;
	}
});
Object.defineProperty(exports, "removeEmptyDirectoriesSync", {
	enumerable: true,
	get: function() {
		return removeEmptyDirectoriesSync;
	}
});
Object.defineProperty(exports, "removePendingFiles", {
	enumerable: true,
	get: function() {
		return removePendingFiles;
	}
});
Object.defineProperty(exports, "replaceFile", {
	enumerable: true,
	get: function() {
		return replaceFile;
	}
});
Object.defineProperty(exports, "signManifest", {
	enumerable: true,
	get: function() {
		return signManifest;
	}
});
Object.defineProperty(exports, "startInspection", {
	enumerable: true,
	get: function() {
		return startInspection;
	}
});
Object.defineProperty(exports, "subjectOf", {
	enumerable: true,
	get: function() {
		return subjectOf;
	}
});
Object.defineProperty(exports, "trackPendingCleanup", {
	enumerable: true,
	get: function() {
		return trackPendingCleanup;
	}
});
Object.defineProperty(exports, "trackPendingFile", {
	enumerable: true,
	get: function() {
		return trackPendingFile;
	}
});
Object.defineProperty(exports, "untrackPendingFile", {
	enumerable: true,
	get: function() {
		return untrackPendingFile;
	}
});
Object.defineProperty(exports, "verifyModel", {
	enumerable: true,
	get: function() {
		return verifyModel;
	}
});
Object.defineProperty(exports, "withFileLock", {
	enumerable: true,
	get: function() {
		return withFileLock;
	}
});
Object.defineProperty(exports, "withFileLockNow", {
	enumerable: true,
	get: function() {
		return withFileLockNow;
	}
});
