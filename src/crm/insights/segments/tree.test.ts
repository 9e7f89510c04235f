import { describe, expect, it } from 'vitest';
import { compileWhere } from './compile.ts';
import { SCORES } from './fields.ts';
import { parseSegmentTree } from './tree.ts';

// The score node is one registry entry away: registering a score makes trees naming it valid,
// typed by the entry (a string score with fixed values is an enum), compiled from the entry only.
describe('score conditions (registry)', () => {
  SCORES.test_cell = { table: 'test_scores s', memberKey: 's.member_id', column: 's.cell', type: 'string', values: ['champions', 'at_risk'], label: '测试分群' };
  SCORES.test_risk = { table: 'test_scores s', memberKey: 's.member_id', column: 's.risk', type: 'decimal', label: '测试风险' };
  const parse = (root: unknown) => parseSegmentTree({ version: 1, root });

  it('accepts registered scores and compiles them from the registry with parameters', () => {
    const tree = parse({ and: [{ score: 'test_cell', op: 'in', value: ['at_risk'] }, { score: 'test_risk', op: 'gte', value: '0.7' }] });
    const { where, params } = compileWhere(tree, { now: new Date('2026-11-21T00:00:00Z'), stores: null });
    expect(where).toContain('(SELECT s.cell FROM test_scores s WHERE s.member_id = m.id) IN (?)');
    expect(where).toContain('(SELECT s.risk FROM test_scores s WHERE s.member_id = m.id) >= CAST(? AS DECIMAL(14,2))');
    expect(params).toEqual(['at_risk', '0.7']);
  });

  it('rejects a value outside the score’s set, and ordering on a categorical score, naming the node', () => {
    expect(() => parse({ not: { score: 'test_cell', op: 'eq', value: 'at_riks' } })).toThrow(expect.objectContaining({ status: 400, details: expect.objectContaining({ path: 'root.not.value' }) }));
    expect(() => parse({ score: 'test_cell', op: 'gt', value: 'at_risk' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ path: 'root.op' }) }));
    expect(() => parse({ score: 'nope', op: 'eq', value: 1 })).toThrow(expect.objectContaining({ details: expect.objectContaining({ path: 'root.score' }) }));
  });
});
