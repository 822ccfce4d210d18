/** Progress lines now on screen: what `eraseProgressLines` erases. */
const onScreen = new Set();
/**
 * Erases any progress line on screen: for a process about to end on a signal (Ctrl-C), so
 * that what the shell prints next starts on a clean line. The write is synchronous (a
 * terminal on Linux), so it is done before the signal ends the process.
 */
export function eraseProgressLines() {
    for (const progress of onScreen)
        progress.finish();
}
/**
 * A one-line progress display on stderr for long hashing: bytes done and to do, rate and
 * time left. It draws only when stderr is a terminal and the output is not JSON, not before
 * half a second has passed (short runs stay quiet), and at most five times a second; the
 * line is erased when hashing ends, or when a signal ends the process (cli/interruptions.ts).
 */
export class Progress {
    enabled;
    stream;
    now;
    verb;
    total = 0;
    done = 0;
    started;
    lastDraw = 0;
    drawn = false;
    constructor(enabled, stream = process.stderr, now = Date.now, 
    /** What the line says is going on: `hashing`, or `downloading` for a pull, whose bytes come from a registry. */
    verb = 'hashing') {
        this.enabled = enabled;
        this.stream = stream;
        this.now = now;
        this.verb = verb;
    }
    static forOutput(json, { stream = process.stderr, now = Date.now, verb = 'hashing' } = {}) {
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
        if (!this.enabled)
            return;
        const now = this.now();
        this.started ??= now;
        const elapsed = (now - this.started) / 1000;
        if (elapsed < 0.5 || now - this.lastDraw < 200)
            return;
        this.lastDraw = now;
        const rate = this.done / elapsed;
        const pct = this.total > 0 ? ` (${Math.floor((100 * this.done) / this.total)}%)` : '';
        const eta = rate > 0 && this.total > this.done ? `, ${formatDuration((this.total - this.done) / rate)} left` : '';
        // No total yet: still listing (and hashing the small files met on the way).
        const of = this.total > 0 ? ` of ${formatBytes(this.total)}` : ' while listing';
        this.stream.write(`\r${this.verb} ${formatBytes(this.done)}${of}${pct} at ${formatBytes(rate)}/s${eta}\u001b[K`);
        this.drawn = true;
        onScreen.add(this);
    };
    finish() {
        if (this.drawn)
            this.stream.write('\r\u001b[K');
        this.drawn = false;
        onScreen.delete(this);
    }
}
export function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
        n /= 1024;
        i += 1;
    }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
/** `42 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatDuration(seconds) {
    const s = Math.ceil(seconds);
    if (s < 60)
        return `${s} s`;
    if (s < 3600)
        return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
//# sourceMappingURL=progress.js.map