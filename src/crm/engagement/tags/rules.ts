import type { RowDataPacket } from 'mysql2/promise';
import { audit, badRequest, requirePermission, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { normalizeText } from '../../customers/index.ts';
import { invalidateTagDictionary } from './dictionary.ts';
import { describeRule, ruleSql, tagRuleSchema, type TagRuleDef } from './rule-schema.ts';
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

/**
 * Creates or replaces the rule of a tag (creating the tag in `category` when new) and evaluates
 * it at once over all members (tag.manage).
 */
export async function defineTagRule(
  access: StaffAccess,
  input: { tag: string; category?: 'demographic' | 'behaviour' | 'value' | 'risk'; description?: string; rule: unknown; enabled?: boolean },
): Promise<RuleRun & { rule: TagRuleDef; description: string }> {
  requirePermission(access.actor, 'tag.manage');
  const parsed = tagRuleSchema.safeParse(input.rule);
  if (!parsed.success) throw badRequest('invalid_tag_rule', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const name = normalizeText(input.tag).trim();
  if (!name || name.length > 32) throw badRequest('invalid_tag', '标签名须为 1–32 个字符。');
  const { db } = access.services;
  const tag = await db.tag.upsert({ where: { name }, create: { name, category: input.category ?? 'behaviour', description: input.description ?? describeRule(parsed.data) }, update: {} });
  const rule = await db.tagRule.upsert({
    where: { tagId: tag.id },
    create: { tagId: tag.id, rule: parsed.data as object, enabled: input.enabled ?? true, createdBy: access.actor.wecomUserId },
    update: { rule: parsed.data as object, enabled: input.enabled ?? true },
  });
  invalidateTagDictionary(access.services);
  await audit(access.services, { actor: access.actor, action: 'tag.rule.define', targetType: 'tag', targetId: String(tag.id), channel: access.channel, requestId: access.requestId, detail: { rule: parsed.data } });
  const run = await evaluateTagRule(access.services, rule.id);
  return { ...run, rule: parsed.data, description: describeRule(parsed.data) };
}
