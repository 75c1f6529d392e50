import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { assertReachableByPostgresUser } from './embedded-postgres.js';

const root = mkdtempSync(join(tmpdir(), 'xt-reach-'));
afterAll(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

describe('embedded PostgreSQL data directory', () => {
  it('is accepted where the unprivileged server user can reach it', () => {
    chmodSync(root, 0o755);
    expect(() => assertReachableByPostgresUser(join(root, 'ok', 'pg'))).not.toThrow();
  });

  it('is refused with a clear way out where a parent directory shuts that user out', () => {
    const closed = join(root, 'closed');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    expect(() => assertReachableByPostgresUser(join(closed, 'data', 'pg'))).toThrow(
      new RegExp(
        `cannot enter ${closed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 700\\).*chmod o\\+x.*EMBEDDED_PG_DIR.*DATABASE_URL`,
      ),
    );
  });
});
