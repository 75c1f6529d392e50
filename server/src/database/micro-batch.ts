/**
 * Groups concurrent calls into one run: while a run is in progress the calls that arrive wait,
 * and the next run takes all of them (up to `max`). A statement and its commit cost PostgreSQL
 * and the driver more than the rows they carry, so many requests sharing one is what makes a busy
 * hot path cheap; a lone call still runs at once. `run` answers one result per input, in order.
 *
 * `alone`: when a run fails as a whole, its inputs are retried one at a time, so one bad input
 * (a constraint it breaks) fails only itself. Without it, every caller of the run gets its error.
 */
export class MicroBatch<I, O> {
  private readonly waiting: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly options: { max: number; alone: boolean },
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.runOnce(this.waiting.splice(0, this.options.max));
    } finally {
      this.running = false;
    }
  }

  private async runOnce(batch: typeof this.waiting): Promise<void> {
    try {
      const out = await this.run(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(out[i] as O));
    } catch (e) {
      if (!this.options.alone || batch.length === 1) {
        for (const w of batch) w.reject(e);
        return;
      }
      for (const w of batch) {
        try {
          const [one] = await this.run([w.input]);
          w.resolve(one as O);
        } catch (err) {
          w.reject(err);
        }
      }
    }
  }
}
