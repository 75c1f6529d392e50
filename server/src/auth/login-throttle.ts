import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.provider.js';
import { TooManyAttempts } from '../common/errors.js';

/**
 * Sign-in failures per client address, across accounts (password spraying), on top of the
 * per-account lockout. A fixed window per address; kept in this process's memory, so with
 * several API nodes each node counts its own share (the per-account lockout is in the database).
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly config: AppConfig) {}

  /** 429 while the address has used up its failures in the current window. */
  assertAllowed(address: string, now = Date.now()): void {
    const entry = this.current(address, now);
    if (entry && entry.count >= this.config.loginAddress.maxFailures) {
      const retry = (entry.since + this.config.loginAddress.windowSeconds * 1000 - now) / 1000;
      throw new TooManyAttempts(
        '该地址登录失败次数过多，请稍后再试 (too many failed sign-ins from this address)',
        retry,
      );
    }
  }

  fail(address: string, now = Date.now()): void {
    const entry = this.current(address, now) ?? { count: 0, since: now };
    entry.count += 1;
    this.failures.set(address, entry);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private current(address: string, now: number): { count: number; since: number } | undefined {
    const entry = this.failures.get(address);
    if (entry && now - entry.since >= this.config.loginAddress.windowSeconds * 1000) {
      this.failures.delete(address);
      return undefined;
    }
    return entry;
  }

  private prune(now: number): void {
    for (const address of [...this.failures.keys()]) this.current(address, now);
  }
}
