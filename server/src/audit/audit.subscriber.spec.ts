import { describe, expect, it } from '@jest/globals';
import { summarise } from './audit.subscriber.js';

describe('what a changed value looks like in the trail', () => {
  it.each([
    ['a date', new Date('2026-12-01T08:00:00.000Z'), '2026-12-01T08:00:00.000Z'],
    ['an invalid date', new Date('nope'), null],
    ['undefined', undefined, null],
    ['a NUL character jsonb would refuse', 'a\u0000b', 'ab'],
    ['a lone surrogate', 'x\uD800', 'x\uFFFD'],
    ['long text, cut', '长'.repeat(600), `${'长'.repeat(500)}…`],
    ['a bigint', 12n, '12'],
    ['infinity', Infinity, null],
    ['a reference, as its key', { id: 'a1b2', name: '龙洲街道' }, 'a1b2'],
    [
      'an array',
      ['legal_reviewer', new Date('2026-01-01T00:00:00.000Z')],
      ['legal_reviewer', '2026-01-01T00:00:00.000Z'],
    ],
    ['a JSON object', { outcome: 'penalty_decided', at: undefined }, { outcome: 'penalty_decided', at: null }],
  ])('%s', (_, value, stored) => {
    expect(summarise(value)).toEqual(stored);
  });
});
