import type { BatchOutcome } from './batches.js';
import { type InspectOutcome } from './inspect.js';
export type WorkerMessage = {
    readonly type: 'progress';
    readonly bytes: number;
} | BatchOutcome | InspectOutcome;
