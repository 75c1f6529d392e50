import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../config/config.js';
import { TooManyAttempts } from '../common/errors.js';
import { LoginThrottle } from './login-throttle.js';

const throttle = () =>
  new LoginThrottle({ loginAddress: { maxFailures: 3, windowSeconds: 60 } } as unknown as AppConfig);

describe('sign-in failures per address', () => {
  it('refuses an address after its failures in the window, and only that address', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      t.assertAllowed('203.0.113.7', 1000);
      t.fail('203.0.113.7', 1000 + i);
    }
    expect(() => t.assertAllowed('203.0.113.7', 2000)).toThrow(TooManyAttempts);
    expect(() => t.assertAllowed('198.51.100.9', 2000)).not.toThrow();
  });

  it('says how long to wait, and lets the address in again when the window has passed', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) t.fail('203.0.113.7', 0);
    try {
      t.assertAllowed('203.0.113.7', 15_000);
      throw new Error('not refused');
    } catch (e) {
      expect((e as TooManyAttempts).headers).toEqual({ 'Retry-After': '45' });
    }
    expect(() => t.assertAllowed('203.0.113.7', 60_000)).not.toThrow();
  });
});
