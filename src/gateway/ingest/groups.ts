// Group commit for ingest: messages that arrive while a group is being written wait, and go together in
// the next one (like the store's write queue for creates). Under light load every group is one message
// and nothing changes; under load a database transaction carries many messages, so the statements, round
// trips and commits per message fall with the load.

export interface Groupable {
  /** What two messages of one group must not share (their stay, patient and message keys). */
  locks: readonly string[];
  /** Messages that may share a transaction (the same principal): others wait for a group of their own. */
  groupKey: string;
  /** Goes in a group of its own (a replay settles a dead letter in the same transaction). */
  alone: boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class IngestGroups<T extends Groupable, R> {
  private queue: Waiting<T, R>[] = [];
  private running = false;
  private readonly counts = { groups: 0, messages: 0, largest: 0 };
  private readonly run: (group: T[]) => Promise<PromiseSettledResult<R>[]>;
  private readonly maxSize: number;

  /** `run` answers every message of a group, each with its own result or error. */
  constructor(run: (group: T[]) => Promise<PromiseSettledResult<R>[]>, options: { maxSize: number }) {
    this.run = run;
    this.maxSize = Math.max(1, options.maxSize);
  }

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      void this.pump();
    });
  }

  /** Groups run so far, the messages in them, and the largest. */
  get stats(): { groups: number; messages: number; largest: number } {
    return { ...this.counts };
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const group = this.take();
        this.counts.groups++;
        this.counts.messages += group.length;
        this.counts.largest = Math.max(this.counts.largest, group.length);
        try {
          const results = await this.run(group.map((w) => w.item));
          group.forEach((w, i) => {
            const r = results[i];
            if (r?.status === 'fulfilled') w.resolve(r.value);
            else w.reject(r ? r.reason : new Error('no result for a grouped ingest'));
          });
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * The next group, in arrival order: a message whose keys an earlier waiting message holds stays behind it
   * (a stay's messages are applied in the order they arrived), as does one for another principal.
   */
  private take(): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    const rest: Waiting<T, R>[] = [];
    const held = new Set<string>();
    let closed = false;
    for (const w of this.queue) {
      const first = group[0]?.item;
      const fits =
        !closed &&
        group.length < this.maxSize &&
        !w.item.locks.some((k) => held.has(k)) &&
        (!first || (first.groupKey === w.item.groupKey && !w.item.alone));
      if (fits) {
        group.push(w);
        if (w.item.alone) closed = true;
      } else rest.push(w);
      for (const k of w.item.locks) held.add(k);
    }
    this.queue = rest;
    return group;
  }
}
