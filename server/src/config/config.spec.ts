import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

const base = { EMBEDDED_PG_DIR: '/tmp/xt-config-spec/pg', JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('gives working defaults for a newcomer', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      queuePrefix: 'xietong',
      processRole: 'all',
      accessTokenTtl: 900,
      loginMaxFailures: 5,
      loginLockSeconds: 900,
      seedDemo: true,
      seedActivity: true,
    });
  });

  it('generates demo activity only in development unless asked, and never in production', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).seedActivity).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test', SEED_ACTIVITY: 'true' }).seedActivity).toBe(true);
    expect(loadConfig({ ...base, SEED_DEMO: 'false' }).seedActivity).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base, DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, PORT: '99999', REDIS_URL: 'http://x', PROCESS_ROLE: 'boss', LOGIN_MAX_FAILURES: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'LOGIN_MAX_FAILURES',
      'PORT',
      'PROCESS_ROLE',
      'REDIS_URL',
    ]);
  });

  it('never seeds demo data in production, even when asked', () => {
    const c = loadConfig({ ...base, NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' });
    expect(c.seedDemo).toBe(false);
  });

  it('splits the origin allowlist', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.gov.cn, https://b.gov.cn' }).corsOrigins).toEqual([
      'https://a.gov.cn',
      'https://b.gov.cn',
    ]);
  });

  it.each([
    ['179', false],
    ['180', true],
    ['3650', true],
  ])('keeps audit entries and messages at least 180 days: RETENTION_DAYS=%s accepted %s', (days, ok) => {
    const load = () => loadConfig({ ...base, RETENTION_DAYS: days });
    if (ok) expect(load().audit.retentionDays).toBe(Number(days));
    else expect(load).toThrow(/RETENTION_DAYS: at least 180/);
  });

  it('chooses the audit hash by name only', () => {
    expect(loadConfig({ ...base, AUDIT_HASH: 'sm3' }).audit.hash).toBe('sm3');
    expect(() => loadConfig({ ...base, AUDIT_HASH: 'md5' })).toThrow(/AUDIT_HASH/);
  });
});
