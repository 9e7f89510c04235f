import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.ts';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** The README's configuration table and .env.example must name every variable the schema reads. */
describe('configuration docs', () => {
  const keys = Object.keys(configSchema.shape).filter((k) => k !== 'NODE_ENV');

  it('lists every env var in the README', () => {
    const readme = read('README.md');
    expect(keys.filter((k) => !readme.includes(`\`${k}\``))).toEqual([]);
  });

  it('lists every env var in .env.example', () => {
    const example = read('.env.example');
    expect(keys.filter((k) => !new RegExp(`^${k}=`, 'm').test(example))).toEqual([]);
  });
});
