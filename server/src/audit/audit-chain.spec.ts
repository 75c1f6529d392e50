import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { canonicalJson, ChainWalker, digest, entryHash, GENESIS_HASH, type ChainedFields } from './audit-chain.js';

describe('SM3 (GB/T 32905-2016, appendix A test vectors)', () => {
  it.each([
    ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
  ])('SM3(%j)', (input, expected) => {
    expect(digest('sm3', input)).toBe(expected);
  });

  it('hashes UTF-8 bytes, as OpenSSL does', () => {
    const text = '综合行政执法局';
    expect(digest('sm3', text)).toHaveLength(64);
    expect(digest('sha256', text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('SHA-256 (FIPS 180-4 examples)', () => {
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('SHA-256(%j)', (input, expected) => {
    expect(digest('sha256', input)).toBe(expected);
  });
});

describe('canonical JSON', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: 1, x: [3, { d: 1, c: 2 }] } }, '{"z":{"x":[3,{"c":2,"d":1}],"y":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined, 1], '[null,1]'],
    ['张三', '"张三"'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ state: 'signed', at: 1 })).toBe(canonicalJson(JSON.parse('{"at":1,"state":"signed"}')));
  });
});

const entry = (seq: number, prevHash: string, alg: 'sha256' | 'sm3' = 'sha256'): ChainedFields & { hash: string } => {
  const fields: ChainedFields = {
    seq,
    at: `2026-12-01T00:00:0${seq}.000Z`,
    actorId: null,
    actorName: 'zfj.officer',
    agencyId: null,
    action: 'referral.update',
    objectType: 'Referral',
    objectId: `r${seq}`,
    before: { state: 'delivered' },
    after: { state: 'signed' },
    requestId: `req-${seq}`,
    clientAddress: '127.0.0.1',
    hashAlg: alg,
    prevHash,
  };
  return { ...fields, hash: entryHash(fields) };
};

type Entry = ChainedFields & { hash: string };
const chain = (n: number, alg: 'sha256' | 'sm3' = 'sha256'): Entry[] => {
  const out: Entry[] = [];
  for (let i = 1; i <= n; i++) out.push(entry(i, out.at(-1)?.hash ?? GENESIS_HASH, i % 2 ? alg : 'sha256'));
  return out;
};

const firstBreak = (entries: (ChainedFields & { hash: string })[]) => {
  const walker = new ChainWalker();
  for (const e of entries) {
    const broken = walker.check(e);
    if (broken) return broken;
  }
  return null;
};

describe('the chain walk', () => {
  it.each(['sha256', 'sm3'] as const)('accepts an intact chain (%s, algorithms mixed)', (alg) => {
    expect(firstBreak(chain(5, alg))).toBeNull();
  });

  it.each([
    [
      'an altered field',
      (c: Entry[]): void => {
        c[2]!.after = { state: 'closed' };
      },
      3,
      'hash_mismatch',
    ],
    [
      'an altered actor',
      (c: Entry[]): void => {
        c[1]!.actorName = 'someone';
      },
      2,
      'hash_mismatch',
    ],
    [
      'a rehashed entry (its successor no longer links)',
      (c: Entry[]): void => {
        c[2]!.after = { state: 'closed' };
        c[2]!.hash = entryHash(c[2]!);
      },
      4,
      'prev_hash_mismatch',
    ],
    [
      'a deleted entry',
      (c: Entry[]): void => {
        c.splice(1, 1);
      },
      3,
      'sequence_gap',
    ],
  ] as const)('names the first broken link after %s', (_, tamper, seq, problem) => {
    const c = chain(5);
    tamper(c);
    expect(firstBreak(c)).toMatchObject({ seq, problem });
  });
});
