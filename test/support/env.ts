/** Where the real services of the test run are; CI and developers' machines have both. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function dbUrl(database: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The migrated, seeded template every test database is cloned from (named by global setup). */
export const templateName = (): string => {
  const name = process.env.XT_TEST_TEMPLATE;
  if (!name) throw new Error('global setup did not run (XT_TEST_TEMPLATE unset)');
  return name;
};
