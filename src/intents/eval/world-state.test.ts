import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_AUDIT_ACTIONS } from './world-state.ts';

/** Every .ts file under src (no tests, no generated client). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the evaluation’s read audits', () => {
  it('knows every action the domain audits as a read of stores (auditStoresRead), so a read is never scored as a write', () => {
    const actions = new Set<string>();
    for (const file of sources('src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/auditStoresRead\([^,]+,\s*'([^']+)'/g)) actions.add(m[1]!);
    }
    expect(actions.size).toBeGreaterThan(0);
    expect([...actions].filter((a) => !READ_AUDIT_ACTIONS.includes(a))).toEqual([]);
  });
});
