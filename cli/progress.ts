/**
 * A one-line progress display on stderr (bytes, rate, ETA) for long hashing. It draws only
 * when stderr is a terminal and the output is not JSON, and at most five times a second.
 */
export class Progress {
  private total = 0;
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly enabled: boolean) {}

  static forOutput(json: boolean): Progress {
    return new Progress(!json && process.stderr.isTTY === true);
  }

  readonly onTotal = (bytes: number): void => {
    this.total = bytes;
  };

  readonly onProgress = (bytes: number): void => {
    this.done += bytes;
    const now = Date.now();
    if (!this.enabled || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 && this.total > this.done ? `, ${Math.ceil((this.total - this.done) / rate)} s left` : '';
    const pct = this.total > 0 ? ` (${Math.floor((100 * this.done) / this.total)}%)` : '';
    process.stderr.write(`\rhashing ${formatBytes(this.done)} of ${formatBytes(this.total)}${pct} at ${formatBytes(rate)}/s${eta}\u001b[K`);
    this.drawn = true;
  };

  finish(): void {
    if (this.drawn) process.stderr.write('\r\u001b[K');
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
