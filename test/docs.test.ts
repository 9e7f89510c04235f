import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** README.md and every Markdown page under docs/, as repository-relative paths. */
function markdownFiles(): string[] {
  const found: string[] = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found;
}

/** The text outside fenced code blocks and inline code spans (links and headings live there). */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces → hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (md: string) => new Set([...prose(md).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slug(m[1]!)));

/** docs/configuration.md and .env.example must name every variable the schema reads. */
describe('configuration docs', () => {
  const keys = Object.keys(configSchema.shape).filter((k) => k !== 'NODE_ENV');

  it('lists every env var in docs/configuration.md', () => {
    const page = read('docs/configuration.md');
    expect(keys.filter((k) => !page.includes(`\`${k}\``))).toEqual([]);
  });

  it('lists every env var in .env.example', () => {
    const example = read('.env.example');
    expect(keys.filter((k) => !new RegExp(`^${k}=`, 'm').test(example))).toEqual([]);
  });
});

/** The JSON examples in the docs are parsed by the same schemas the app uses. */
describe('docs examples', () => {
  it('segment trees in docs/segments.md parse', async () => {
    const { parseSegmentTree } = await import('../src/crm/insights/index.ts');
    const lines = read('docs/segments.md')
      .split('\n')
      .filter((l) => l.startsWith('{"version":1'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(() => parseSegmentTree(JSON.parse(l))).not.toThrow();
  });

  it('the journey definition in docs/journeys.md parses', async () => {
    const { parseJourneyDefinition } = await import('../src/crm/automation/index.ts');
    const block = /```json\n([\s\S]*?)```/.exec(read('docs/journeys.md'));
    expect(block).not.toBeNull();
    const def = parseJourneyDefinition(JSON.parse(block![1]!));
    expect(def.steps.size).toBeGreaterThan(0);
  });
});

describe('README and docs/', () => {
  it('README.md stays short (≤ 16,000 bytes); the rest belongs in docs/', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(16_000);
  });

  it('README.md keeps the two quick-start commands', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });

  it('every relative link in README.md and docs/**/*.md points at an existing file (and heading)', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(10);
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const m of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: …
        checked++;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const abs = path === '' ? join(root, file) : resolve(dirname(join(root, file)), path);
        if (!existsSync(abs)) {
          broken.push(`${file}: ${target}`);
          continue;
        }
        if (anchor && abs.endsWith('.md') && !anchorsOf(readFileSync(abs, 'utf8')).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });
});
