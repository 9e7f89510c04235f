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

/** The JSON examples in the README are parsed by the same schemas the app uses. */
describe('README examples', () => {
  const readme = read('README.md');
  const section = (heading: string) => readme.slice(readme.indexOf(heading), readme.indexOf('\n## ', readme.indexOf(heading) + 1));

  it('segment trees parse', async () => {
    const { parseSegmentTree } = await import('../src/crm/insights/segments/tree.ts');
    const lines = section('## Segments').split('\n').filter((l) => l.startsWith('{"version":1'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(() => parseSegmentTree(JSON.parse(l))).not.toThrow();
  });

  it('the journey definition parses', async () => {
    const { parseJourneyDefinition } = await import('../src/crm/automation/journeys/definition.ts');
    const block = /```json\n([\s\S]*?)```/.exec(section('## Journeys'))![1]!;
    expect(() => parseJourneyDefinition(JSON.parse(block))).not.toThrow();
  });
});
