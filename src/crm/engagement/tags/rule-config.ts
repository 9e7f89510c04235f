import { AppError, audit, conflict, notFound, requirePermission, withTransaction, type StaffAccess } from '../../kernel/index.ts';
import { normalizeText } from '../../customers/index.ts';
import { invalidateTagDictionary } from './dictionary.ts';
import { TAG_CATEGORIES, type TagCategory } from './manage.ts';
import { describeRule, tagRuleSchema, type TagRuleDef } from './rule-schema.ts';
import { evaluateTagRule, type RuleRun } from './rules.ts';
import { writeMemberTags } from './write.ts';

/**
 * Tag rules as an administrator configures them (settings.manage): one rule per tag, stored in
 * tag_rules and evaluated by the hourly maintenance run (every enabled rule) or at once with
 * runTagRule. Saving a rule changes no member's tags; a run does, through writeMemberTags.
 * Every change is audited with the rule before and after.
 */
export interface TagRuleView {
  id: number;
  tagId: number;
  tag: string;
  category: TagCategory;
  rule: TagRuleDef;
  /** The rule in words, e.g. "近 180 天消费 ≥ ¥1000". */
  description: string;
  enabled: boolean;
  lastEvaluatedAt: Date | null;
  /** Members holding the tag after the last run (any source). */
  lastMatched: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const include = { tag: { select: { name: true, category: true } } } as const;
type RuleRow = { id: number; tagId: number; rule: unknown; enabled: boolean; lastEvaluatedAt: Date | null; lastMatched: number | null; createdBy: string; createdAt: Date; updatedAt: Date; tag: { name: string; category: string } };

function toView(r: RuleRow): TagRuleView {
  const rule = tagRuleSchema.parse(r.rule);
  return {
    id: r.id,
    tagId: r.tagId,
    tag: r.tag.name,
    category: r.tag.category as TagCategory,
    rule,
    description: describeRule(rule),
    enabled: r.enabled,
    lastEvaluatedAt: r.lastEvaluatedAt,
    lastMatched: r.lastMatched,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The rule validated by its schema; a 400 whose `issues` name the field under `rule`. */
function parseRule(rule: unknown): TagRuleDef {
  const parsed = tagRuleSchema.safeParse(rule);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: ['rule', ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message, code: i.code }));
  throw new AppError('invalid_tag_rule', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), { details: { issues } });
}

async function ruleRow(access: StaffAccess, id: number): Promise<RuleRow> {
  const row = await access.services.db.tagRule.findUnique({ where: { id }, include });
  if (!row) throw notFound('tag_rule_not_found', `没有编号为 ${id} 的标签规则。`);
  return row;
}

const auditRule = (access: StaffAccess, action: string, id: number, detail: Record<string, unknown>) =>
  audit(access.services, { actor: access.actor, action, targetType: 'tag_rule', targetId: String(id), channel: access.channel, requestId: access.requestId, detail });

/** Every rule, in id order. */
export async function listTagRules(access: StaffAccess): Promise<TagRuleView[]> {
  requirePermission(access.actor, 'settings.manage');
  return (await access.services.db.tagRule.findMany({ include, orderBy: { id: 'asc' } })).map(toView);
}

export async function getTagRule(access: StaffAccess, id: number): Promise<TagRuleView> {
  requirePermission(access.actor, 'settings.manage');
  return toView(await ruleRow(access, id));
}

/**
 * A rule for the tag named `tag` (created in `category` when new, its description the rule's
 * words unless given). A tag already ruled is a 409: one rule per tag, change that one.
 */
export async function createTagRule(
  access: StaffAccess,
  input: { tag: string; category?: TagCategory; description?: string; rule: unknown; enabled?: boolean },
): Promise<TagRuleView> {
  requirePermission(access.actor, 'settings.manage');
  const rule = parseRule(input.rule);
  const name = normalizeText(input.tag).trim();
  if (!name || name.length > 32) throw new AppError('invalid_tag', '标签名须为 1–32 个字符。', { details: { issues: [{ path: ['tag'], message: '1–32 characters', code: 'custom' }] } });
  const category = input.category ?? 'behaviour';
  if (!TAG_CATEGORIES.includes(category)) throw new AppError('invalid_category', `分类须为 ${TAG_CATEGORIES.join(' / ')}。`, { details: { issues: [{ path: ['category'], message: 'unknown category', code: 'custom' }] } });
  const { db } = access.services;
  const now = access.services.now();
  const tag = await db.tag.upsert({ where: { name }, create: { name, category, description: input.description ?? describeRule(rule), createdAt: now }, update: {} });
  const existing = await db.tagRule.findUnique({ where: { tagId: tag.id }, select: { id: true } });
  if (existing) throw conflict('tag_rule_exists', `标签「${tag.name}」已有规则（编号 ${existing.id}），请修改那条规则。`);
  const row = await db.tagRule.create({ data: { tagId: tag.id, rule: rule as object, enabled: input.enabled ?? true, createdBy: access.actor.wecomUserId, createdAt: now, updatedAt: now }, include });
  invalidateTagDictionary(access.services);
  await auditRule(access, 'tag.rule.create', row.id, { tagId: tag.id, tag: tag.name, old: null, new: { rule, enabled: row.enabled } });
  return toView(row);
}

/** Changes a rule's condition or switches it on or off; members' tags change at its next run. */
export async function updateTagRule(access: StaffAccess, id: number, patch: { rule?: unknown; enabled?: boolean }): Promise<TagRuleView> {
  requirePermission(access.actor, 'settings.manage');
  const before = await ruleRow(access, id);
  const rule = patch.rule === undefined ? undefined : parseRule(patch.rule);
  const row = await access.services.db.tagRule.update({
    where: { id },
    data: { ...(rule ? { rule: rule as object } : {}), ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}), updatedAt: access.services.now() },
    include,
  });
  invalidateTagDictionary(access.services);
  await auditRule(access, 'tag.rule.update', id, { tagId: row.tagId, tag: row.tag.name, old: { rule: before.rule, enabled: before.enabled }, new: { rule: row.rule, enabled: row.enabled } });
  return toView(row);
}

/**
 * Deletes a rule. The tags it set (source `rule`) come off every member with it, unless
 * `keepTags`: a rule tag nobody evaluates any more would otherwise stay on for good. Manual and
 * model tags of the same tag are never touched; the tag itself stays in the dictionary.
 */
export async function deleteTagRule(access: StaffAccess, id: number, opts: { keepTags?: boolean } = {}): Promise<{ id: number; tag: string; removedFromMembers: number }> {
  requirePermission(access.actor, 'settings.manage');
  const before = await ruleRow(access, id);
  const removed = await withTransaction(access.services.sql, async (conn) => {
    await conn.query('DELETE FROM tag_rules WHERE id = ?', [id]);
    if (opts.keepTags) return 0;
    return writeMemberTags(conn, { op: 'removeSource', tagId: before.tagId, source: 'rule' }, { partOf: 'tag.rule.delete' });
  });
  invalidateTagDictionary(access.services);
  await auditRule(access, 'tag.rule.delete', id, { tagId: before.tagId, tag: before.tag.name, old: { rule: before.rule, enabled: before.enabled }, new: null, removedFromMembers: removed });
  return { id, tag: before.tag.name, removedFromMembers: removed };
}

/**
 * Runs one rule now over every member: who qualifies gets the tag (source `rule`), whose rule
 * tag no longer holds loses it; a disabled rule takes all its tags off. Audited with the counts.
 */
export async function runTagRule(access: StaffAccess, id: number): Promise<RuleRun & { ruleId: number; enabled: boolean }> {
  requirePermission(access.actor, 'settings.manage');
  const row = await ruleRow(access, id);
  const run = await evaluateTagRule(access.services, id);
  await auditRule(access, 'tag.rule.run', id, { tagId: run.tagId, tag: run.tag, enabled: row.enabled, added: run.added, removed: run.removed, matched: run.matched });
  return { ...run, ruleId: id, enabled: row.enabled };
}
