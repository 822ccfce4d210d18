import { parentPort } from 'node:worker_threads';
import { READ_SIZE } from './file-range.js';
import { extendInspection } from './inspect.js';
import { takeWork } from './work.js';
// Progress is reported in coarse steps so messages stay rare on fast disks.
const PROGRESS_STEP = 64 * 1024 * 1024;
if (parentPort) {
    const port = parentPort;
    // The worker's one read buffer: memory stays flat whatever is hashed.
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let pending = 0;
    const flush = () => {
        if (pending > 0)
            port.postMessage({ type: 'progress', bytes: pending });
        pending = 0;
    };
    const onBytes = (n) => {
        pending += n;
        if (pending >= PROGRESS_STEP)
            flush();
    };
    // The inspection under way, which later messages may extend with more paths.
    let inspection;
    port.on('message', async (message) => {
        let request;
        if (message.kind === 'inspect-more') {
            extendInspection(inspection, message);
            request = inspection;
        }
        else {
            request = message;
            inspection = message.kind === 'inspect' ? message : undefined;
        }
        // With no step size, every item is an outcome.
        for (const outcome of await takeWork(request, buffer, onBytes, Infinity)) {
            flush();
            port.postMessage(outcome);
        }
    });
}
//# sourceMappingURL=worker.js.map