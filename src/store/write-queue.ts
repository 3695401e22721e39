// Group commit: writes that arrive while a batch is being written go together in the next batch,
// one statement and one commit for all of them. Each caller's promise settles only after its batch
// committed, so an acknowledged write is a durable write. If a batch fails, its items are retried one
// by one, so one bad write never fails its neighbours.
export class WriteQueue<T> {
  private pending: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running = false;
  private readonly write: (batch: T[]) => Promise<void>;
  private readonly maxBatch: number;

  constructor(write: (batch: T[]) => Promise<void>, maxBatch = 200) {
    this.write = write;
    this.maxBatch = maxBatch;
  }

  push(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          await this.write(batch.map((b) => b.item));
          for (const b of batch) b.resolve();
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const b of batch) {
            try {
              await this.write([b.item]);
              b.resolve();
            } catch (e) {
              b.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
