import { describe, expect, it } from '@jest/globals';
import {
  admitEvent,
  FLOOD_PAUSE_MS,
  freshFloodState,
  socketsOverCap,
  type FloodLimits,
  type FloodState,
  type FloodVerdict,
} from './socket-flood.rules.js';

const limits: FloodLimits = { ratePerSecond: 20, burst: 40, disconnectAfterMs: 10_000 };

/** Feeds events at the given times (ms) to one socket; returns each verdict and the last state. */
function run(times: readonly number[], l = limits): { verdicts: FloodVerdict[]; state: FloodState } {
  let state = freshFloodState(l, times[0] ?? 0);
  const verdicts: FloodVerdict[] = [];
  for (const t of times) {
    const r = admitEvent(state, t, l);
    verdicts.push(r.verdict);
    state = r.state;
  }
  return { verdicts, state };
}
const every = (stepMs: number, count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i * stepMs);
const tally = (v: FloodVerdict[]) => ({
  pass: v.filter((x) => x === 'pass').length,
  drop: v.filter((x) => x === 'drop').length,
  disconnect: v.filter((x) => x === 'disconnect').length,
});

describe('the per-socket event limit', () => {
  it.each([
    // what, passed, dropped, event times
    ['a burst of exactly the bucket', 40, 0, every(0, 40)],
    ['one event over the burst', 40, 1, every(0, 41)],
    ['a steady 20 events/s for a minute', 1200, 0, every(50, 1200)],
    ['a steady 10 events/s after a burst', 140, 0, [...every(0, 40), ...every(100, 100, 100)]],
  ])('%s: %d pass, %d dropped', (_what, pass, drop, times) => {
    expect(tally(run(times).verdicts)).toEqual({ pass, drop, disconnect: 0 });
  });

  it('lets a flooder through at the refill rate only: 1,000 events/s for 3 s passes the burst plus 20/s', () => {
    const { verdicts } = run(every(1, 3000));
    // 40 from the full bucket, then one token every 50 ms (the first arrives at 50 ms).
    expect(tally(verdicts)).toEqual({ pass: 40 + 59, drop: 3000 - 99, disconnect: 0 });
  });

  it('disconnects a socket that keeps flooding for the configured span, not before', () => {
    const { verdicts } = run(every(1, 12_000));
    const first = verdicts.indexOf('disconnect');
    // The flood run starts with the first drop (event 40, at 40 ms) and lasts 10 s from there.
    expect(first).toBe(40 + 10_000);
    expect(verdicts.slice(0, first)).not.toContain('disconnect');
  });

  it('forgives a flood that pauses: bursts with a quiet second between them never get disconnected', () => {
    const times: number[] = [];
    // 100 events in 100 ms, then 1.9 s of silence, for a minute: over the limit in every burst.
    for (let t = 0; t < 60_000; t += 2_000) times.push(...every(1, 100, t));
    const { verdicts } = run(times);
    expect(tally(verdicts).drop).toBeGreaterThan(0);
    expect(verdicts).not.toContain('disconnect');
  });

  it('starts a new flood run after a pause of a second without drops', () => {
    const first = run(every(1, 500)).state;
    expect(first.floodingSince).toBe(40);
    const later = 500 + FLOOD_PAUSE_MS + 5_000;
    const r = admitEvent(admitEvent(first, later, limits).state, later, limits);
    expect(r.state.floodingSince).toBeNull();
  });

  it('never adds tokens beyond the burst after a long silence, nor takes any when the clock steps back', () => {
    const quiet = admitEvent(freshFloodState(limits, 0), 3_600_000, limits).state;
    expect(quiet.tokens).toBe(39);
    const back = admitEvent(quiet, 1_000, limits).state;
    expect(back.tokens).toBe(38);
  });
});

describe('sockets per user on a node', () => {
  it.each([
    [['a', 'b', 'c'], 3, []],
    [['a', 'b', 'c', 'd'], 3, ['a']],
    [['a', 'b', 'c', 'd', 'e'], 3, ['a', 'b']],
    [[], 3, []],
  ])('of %j with at most %d, closes the oldest: %j', (ids, max, closed) => {
    expect(socketsOverCap(ids, max)).toEqual(closed);
  });
});
