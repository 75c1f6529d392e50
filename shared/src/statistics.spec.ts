import { describe, expect, it } from '@jest/globals';
import { growthText, sameDayYearBefore, share, workloadBand } from './statistics.js';

describe('growthText', () => {
  it.each([
    [2014, 1019, 97.6, '较上年增长97.6%'],
    [700, 800, -12.5, '较上年下降12.5%'],
    [5, 5, 0, '与上年持平'],
    [3, 0, null, '上年同期无数据'],
    [0, 0, null, '与上年持平'],
    [24051, 16714, 43.9, '较上年增长43.9%'],
  ])('%i against %i is %s', (current, previous, rate, text) => {
    expect(growthText(current, previous)).toEqual({ rate, text });
  });
});

describe('workloadBand', () => {
  it.each([
    [0, 'under_10'],
    [9, 'under_10'],
    [10, '10_to_49'],
    [49, '10_to_49'],
    [50, '50_to_99'],
    [100, '100_plus'],
    [1000, '100_plus'],
  ])('%i matters fall in %s', (n, band) => expect(workloadBand(n)).toBe(band));
});

describe('sameDayYearBefore', () => {
  it.each([
    ['2026-01-01', '2025-01-01'],
    ['2026-12-31', '2025-12-31'],
    ['2024-02-29', '2023-02-28'],
    ['2025-03-01', '2024-03-01'],
  ])('%s → %s', (d, before) => expect(sameDayYearBefore(d)).toBe(before));
});

describe('share', () => {
  it.each([
    [1, 3, 33.3],
    [0, 0, 0],
    [2, 2, 100],
  ])('%i of %i is %f %', (a, b, pct) => expect(share(a, b)).toBe(pct));
});
