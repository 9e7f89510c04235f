import { describe, expect, it } from 'vitest';
import { ALLOWED } from './allowed.ts';
import { owners, violations } from './rules.ts';
import { importsOf, modelTables, tablesWritten } from './scan.ts';

/**
 * The house rules of docs/architecture.md, checked on every `npm test`:
 * - the domain (src/crm) never imports the edge;
 * - code outside a context reaches it only through its index.ts;
 * - no import cycle between contexts;
 * - a table is written only by its owner (each context's index.ts says "Owns: …").
 * Today's known exceptions are listed in allowed.ts; the list may only shrink: an entry that
 * no longer happens fails too, so fixing one means deleting its line.
 */
describe('architecture', () => {
  const seen = violations();
  it('every table has exactly one owner, and every owned table exists', () => {
    const tables = new Set(modelTables().values());
    const owner = owners();
    expect([...tables].filter((t) => !owner.has(t)).sort()).toEqual([]);
    expect([...owner.keys()].filter((t) => !tables.has(t)).sort()).toEqual([]);
  });
  for (const rule of Object.keys(ALLOWED) as (keyof typeof ALLOWED)[]) {
    it(`${rule}: nothing beyond the allow-list, and the allow-list only holds what still happens`, () => {
      expect(seen[rule].filter((v) => !ALLOWED[rule].includes(v)), 'new violations').toEqual([]);
      expect(ALLOWED[rule].filter((v) => !seen[rule].includes(v)), 'fixed: delete these lines from allowed.ts').toEqual([]);
    });
  }
  it('the scanner sees what it must (self-check on known shapes)', () => {
    const t = modelTables();
    expect(t.get('memberTag')).toBe('member_tags');
    const probe = { path: 'src/crm/x/y.ts', isTest: false, text: "await tx.memberTag.createMany({});\nawait conn.query('UPDATE member_stats SET a = 1');\nimport { a } from '../../bot/types.ts';\nconst m = await import('../sales/rollup.ts');" };
    expect(tablesWritten(probe, t)).toEqual(['member_stats', 'member_tags']);
    expect(importsOf(probe)).toEqual(['src/bot/types.ts', 'src/crm/sales/rollup.ts']);
    // An upsert's ON DUPLICATE KEY UPDATE names a column (here `members`), not a table.
    const upsert = { path: 'src/crm/x/z.ts', isTest: false, text: "await sql.query('INSERT INTO store_cohorts (store_id, members) VALUES ? ON DUPLICATE KEY UPDATE members = VALUES(members)');\nawait sql.query(`UPDATE members SET points = 1`);" };
    expect(tablesWritten(upsert, t)).toEqual(['members', 'store_cohorts']);
    expect(tablesWritten({ ...upsert, text: upsert.text.split('\n')[0]! }, t)).toEqual(['store_cohorts']);
  });
  it('reports each kind of violation in a planted tree', () => {
    const file = (path: string, text: string) => ({ path, text, isTest: path.endsWith('.test.ts') });
    const v = violations([
      file('src/crm/sales/a.ts', "import { x } from '../../bot/types.ts';\nimport { y } from '../customers/find.ts';\nawait tx.memberTag.create({});"),
      file('src/crm/customers/b.ts', "import { z } from '../sales/index.ts';"),
      file('src/crm/demo-free/c.test.ts', "import { w } from '../../bot/types.ts';"),
    ]);
    expect(v.edgeImports).toEqual(['src/crm/sales/a.ts → src/bot/types.ts']);
    expect(v.bypasses).toEqual(['src/crm/sales/a.ts → src/crm/customers/find.ts']);
    expect(v.cycles).toEqual(['crm/customers ↔ crm/sales']);
    expect(v.foreignWrites).toEqual(['src/crm/sales/a.ts writes member_tags (owner crm/engagement)']);
  });
});
