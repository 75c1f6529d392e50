import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from './config.js';
import { EnvSchema } from './config.schema.js';

/** The README's table and infra/.env.example must list exactly what the server reads. */
describe('configuration documentation', () => {
  const variables = Object.keys(EnvSchema.shape).sort();
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const example = readFileSync(resolve(REPO_ROOT, 'infra', '.env.example'), 'utf8');

  it('README has every variable in its configuration table', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Commands'));
    expect(variables.filter((v) => !table.includes(`\`${v}\``))).toEqual([]);
  });

  it('infra/.env.example has exactly the variables the server reads', () => {
    const keys = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(keys).toEqual(variables);
  });
});
