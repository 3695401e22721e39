// A progress line for long CLI work: redrawn in place on a terminal, a plain line every `every` items
// (and at the end) when stderr is a file or a pipe, so logs stay readable.
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class Progress {
  private readonly stream: ProgressStream;
  private readonly total: number;
  private readonly every: number;
  private readonly started = Date.now();
  private done = 0;
  private lastDraw = 0;
  private counts: Record<string, number> = {};

  constructor(stream: ProgressStream, total: number, every = 1000) {
    this.stream = stream;
    this.total = total;
    this.every = every;
  }

  /** One item finished, with its outcome ('accepted', 'dead', ...). */
  tick(outcome: string): void {
    this.done++;
    this.counts[outcome] = (this.counts[outcome] ?? 0) + 1;
    if (this.stream.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw >= 100 || this.done === this.total) {
        this.lastDraw = now;
        this.stream.write(`\r${this.line()}`);
      }
    } else if (this.done % this.every === 0 && this.done !== this.total) {
      this.stream.write(`${this.line()}\n`);
    }
  }

  /** The closing line; returns the counts. */
  finish(): Record<string, number> {
    this.stream.write(`${this.stream.isTTY ? '\r' : ''}${this.line()}\n`);
    return { ...this.counts };
  }

  get rate(): number {
    return this.done / Math.max((Date.now() - this.started) / 1000, 0.001);
  }

  private line(): string {
    const width = 30;
    const share = this.total ? this.done / this.total : 1;
    const filled = Math.round(share * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const counts = Object.entries(this.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return `${bar} ${this.done}/${this.total} ${Math.round(this.rate)}/s${counts ? ` (${counts})` : ''}`;
  }
}
