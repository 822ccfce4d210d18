import { type BatchOutcome, type WorkRequest } from './batches.js';
import { type InspectOutcome, type InspectRequest } from './inspect.js';
/** What a pool posts to its workers (and its calling thread takes a share of). */
export type WorkerRequest = WorkRequest | InspectRequest;
/**
 * One thread's share of a pool request, taken from the request's shared counter: hashing
 * batches or inspecting files. Outcomes come one per unit of work, with `undefined` after
 * every `stepBytes` bytes of a large file where a thread with an event loop lets it run
 * (`Infinity` for a worker). `buffer` is the thread's one read buffer.
 */
export declare function takeWork(request: WorkerRequest, buffer: Buffer, onBytes: ((n: number) => void) | undefined, stepBytes: number): Promise<Iterable<BatchOutcome | InspectOutcome | undefined>>;
