import type { RowDataPacket } from 'mysql2/promise';
import { withTransaction } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { ruleSql, tagRuleSchema } from './rule-schema.ts';
import { writeMemberTags } from './write.ts';

export interface RuleRun {
  tagId: number;
  tag: string;
  added: number;
  removed: number;
  /** Members holding the tag after the run (any source). */
  matched: number;
}

/**
 * Re-evaluates one rule tag, for every member or only `memberIds` (on change): members that
 * now satisfy the rule get the tag with source `rule`; rule-set tags of members that no longer
 * do are removed. Manual and model tags are never touched. One transaction per run.
 */
export async function evaluateTagRule(services: Services, tagRuleId: number, memberIds?: number[]): Promise<RuleRun> {
  const rule = await services.db.tagRule.findUniqueOrThrow({ where: { id: tagRuleId }, include: { tag: { select: { id: true, name: true } } } });
  const def = tagRuleSchema.parse(rule.rule);
  const now = services.now();
  const cond = ruleSql(def, now);
  const only = memberIds?.length ? ' AND m.id IN (?)' : '';
  const onlyParams = memberIds?.length ? [memberIds] : [];
  const conn = await services.sql.getConnection();
  try {
    // The matching members are computed once into a per-connection temporary table; adding
    // and removing then join against it by primary key (no re-evaluation per tagged row).
    await conn.query('CREATE TEMPORARY TABLE IF NOT EXISTS tmp_rule_match (member_id INT NOT NULL PRIMARY KEY)');
    await conn.query('TRUNCATE TABLE tmp_rule_match');
    return await withTransaction(conn, async () => {
      let added = 0;
      if (rule.enabled) {
        await conn.query(`INSERT INTO tmp_rule_match (member_id) SELECT m.id FROM members m WHERE m.status <> 'deleted' AND ${cond.sql}${only}`, [...cond.params, ...onlyParams]);
        const select = { sql: 'SELECT member_id, 1 AS confidence FROM tmp_rule_match', params: [] };
        added = await writeMemberTags(conn, { op: 'addSelected', tagId: rule.tagId, select, source: 'rule', createdBy: 'rule', at: now }, { system: 'rule' });
      }
      const matched = { sql: 'SELECT member_id FROM tmp_rule_match', params: [] };
      const removed = await writeMemberTags(conn, { op: 'retainSelected', tagId: rule.tagId, source: 'rule', select: matched, memberIds }, { system: 'rule' });
      const [[count]] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM member_tags WHERE tag_id = ?', [rule.tagId]);
      await conn.query('UPDATE tag_rules SET last_evaluated_at = ?, last_matched = ? WHERE id = ?', [now, Number(count?.n ?? 0), rule.id]);
      return { tagId: rule.tagId, tag: rule.tag.name, added, removed, matched: Number(count?.n ?? 0) };
    });
  } finally {
    await conn.query('DROP TEMPORARY TABLE IF EXISTS tmp_rule_match').catch(() => undefined);
    conn.release();
  }
}

/** The scheduled run: every enabled rule, over all members. */
export async function evaluateAllTagRules(services: Services): Promise<RuleRun[]> {
  const rules = await services.db.tagRule.findMany({ where: { enabled: true }, select: { id: true }, orderBy: { id: 'asc' } });
  const runs: RuleRun[] = [];
  for (const r of rules) runs.push(await evaluateTagRule(services, r.id));
  return runs;
}

/** On change of a member (interaction logged, order imported, merge): every rule, for that member only. */
export async function reevaluateMemberRuleTags(services: Services, memberId: number): Promise<RuleRun[]> {
  const rules = await services.db.tagRule.findMany({ where: { enabled: true }, select: { id: true }, orderBy: { id: 'asc' } });
  const runs: RuleRun[] = [];
  for (const r of rules) runs.push(await evaluateTagRule(services, r.id, [memberId]));
  return runs;
}
