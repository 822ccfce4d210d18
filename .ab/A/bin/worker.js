const require_work = require("./work-o7A-tGPJ.js");
let node_worker_threads = require("node:worker_threads");
// dist/src/hashing/worker.js
const PROGRESS_STEP = 67108864;
if (node_worker_threads.parentPort) {
	const port = node_worker_threads.parentPort;
	const buffer = Buffer.allocUnsafe(require_work.READ_SIZE);
	let pending = 0;
	const flush = () => {
		if (pending > 0) port.postMessage({
			type: "progress",
			bytes: pending
		});
		pending = 0;
	};
	const onBytes = (n) => {
		pending += n;
		if (pending >= PROGRESS_STEP) flush();
	};
	let inspection;
	port.on("message", async (message) => {
		let request;
		if (message.kind === "inspect-more") {
			require_work.extendInspection(inspection, message);
			request = inspection;
		} else {
			request = message;
			inspection = message.kind === "inspect" ? message : void 0;
		}
		for (const outcome of await require_work.takeWork(request, buffer, onBytes, Infinity)) {
			flush();
			port.postMessage(outcome);
		}
	});
}
