import { describe, expect, it } from '@jest/globals';
import { MicroBatch } from './micro-batch.js';

/** A run that records the batches it was given and answers each input doubled; odd inputs fail a batch. */
function recording(opts: { alone: boolean; max?: number }) {
  const runs: number[][] = [];
  const batch = new MicroBatch<number, number>(
    async (inputs) => {
      runs.push(inputs);
      await new Promise((r) => setTimeout(r, 5));
      if (inputs.some((i) => i % 2 === 1)) throw new Error(`odd in ${inputs.join(',')}`);
      return inputs.map((i) => i * 2);
    },
    { max: opts.max ?? 100, alone: opts.alone },
  );
  return { runs, batch };
}

describe('MicroBatch', () => {
  it('runs a lone call at once, and the calls that arrive meanwhile together in the next run', async () => {
    const { runs, batch } = recording({ alone: true });
    const first = batch.add(2);
    const rest = [4, 6, 8].map((i) => batch.add(i));
    expect(await first).toBe(4);
    expect(await Promise.all(rest)).toEqual([8, 12, 16]);
    expect(runs).toEqual([[2], [4, 6, 8]]);
  });

  it('never puts more than max inputs in one run', async () => {
    const { runs, batch } = recording({ alone: true, max: 2 });
    const all = await Promise.all([2, 4, 6, 8, 10].map((i) => batch.add(i)));
    expect(all).toEqual([4, 8, 12, 16, 20]);
    expect(runs.map((r) => r.length)).toEqual([1, 2, 2]);
  });

  it('retries a failed run one input at a time when asked, so only the bad input fails', async () => {
    const { runs, batch } = recording({ alone: true });
    void batch.add(0);
    const results = await Promise.allSettled([2, 3, 4].map((i) => batch.add(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 4 });
    expect(runs).toEqual([[0], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails every caller of a failed run when not asked to retry', async () => {
    const { runs, batch } = recording({ alone: false });
    void batch.add(0);
    const results = await Promise.allSettled([2, 3].map((i) => batch.add(i)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toEqual([[0], [2, 3]]);
  });
});
