import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createTagRule, deleteTagRule, getTagRule, listTagRules, runTagRule, TAG_CATEGORIES, tagRuleSchema, updateTagRule, type TagRuleView } from '../../crm/engagement/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, isoOrNull, queryBool } from '../schemas.ts';

const category = z.enum(TAG_CATEGORIES as [(typeof TAG_CATEGORIES)[number], ...(typeof TAG_CATEGORIES)[number][]]);

const RULE_TEXT =
  'the condition, one of: {kind: "spend", min: "5000", days?: 90} (spend ≥ min yuan in the last `days`, all time without), {kind: "order_count", min: 3, days?}, ' +
  '{kind: "interaction_count", type?: "consultation"|"complaint"|"praise"|"activity"|"koc_promotion", min: 3, days?}, {kind: "points", min: 1500} (current balance), ' +
  '{kind: "all", rules: [...]} (every sub-rule holds, up to 10)';

const ruleView = z.object({
  id: z.number().int(),
  tagId: z.number().int(),
  tag: z.string(),
  category,
  rule: z.unknown().describe(RULE_TEXT),
  description: z.string().describe('the rule in words, e.g. 近 180 天消费 ≥ ¥1000'),
  enabled: z.boolean().describe('evaluated by the hourly maintenance run when true'),
  lastEvaluatedAt: isoDateTime.nullable(),
  lastMatched: z.number().int().nullable().describe('members holding the tag after the last run (any source)'),
  createdBy: z.string(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
const toView = (r: TagRuleView): z.infer<typeof ruleView> => ({
  ...r,
  lastEvaluatedAt: isoOrNull(r.lastEvaluatedAt),
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const createBody = z.strictObject({
  tag: z.string().trim().min(1).max(32).describe('the tag the rule sets; created (in `category`) when new'),
  category: category.optional().describe('for a new tag; default behaviour'),
  description: z.string().trim().max(255).optional().describe('for a new tag; default: the rule in words'),
  rule: tagRuleSchema.describe(RULE_TEXT),
  enabled: z.boolean().optional().describe('default true'),
});
const patchBody = z
  .strictObject({ rule: tagRuleSchema.optional().describe(RULE_TEXT), enabled: z.boolean().optional() })
  .refine((p) => p.rule !== undefined || p.enabled !== undefined, { message: 'give rule or enabled' });

/**
 * Tag rules (标签规则) for an administrator (settings.manage): the rule engine of
 * src/crm/engagement evaluated hourly, or at once with …/run. Saving changes no member's tags.
 */
export const tagRuleRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/tag-rules',
      operationId: 'listTagRules',
      tags: ['tag rules'],
      summary: 'Every tag rule, in id order',
      ...requires('settings.manage'),
      responses: { 200: ok(z.object({ items: z.array(ruleView) })), ...errors() },
    }),
    async ({ access }) => ({ items: (await listTagRules(access)).map(toView) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tag-rules',
      operationId: 'createTagRule',
      tags: ['tag rules'],
      summary: 'A rule for a tag (one per tag); it tags members at the next hourly run, or now with …/run',
      ...requires('settings.manage'),
      request: { body: jsonBody(createBody, { tag: '半年消费千元', category: 'value', rule: { kind: 'spend', min: '1000', days: 180 } }) },
      responses: { 201: ok(ruleView, 'Created'), ...bodyErrors(409) },
    }),
    async ({ access, body }) => toView(await createTagRule(access, body)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/tag-rules/{id}',
      operationId: 'getTagRule',
      tags: ['tag rules'],
      summary: 'One tag rule',
      ...requires('settings.manage'),
      request: { params: idParam },
      responses: { 200: ok(ruleView), ...errors(404) },
    }),
    async ({ access, params }) => toView(await getTagRule(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/tag-rules/{id}',
      operationId: 'updateTagRule',
      tags: ['tag rules'],
      summary: "Change a rule's condition or switch it on or off (members' tags change at its next run)",
      ...requires('settings.manage'),
      request: { params: idParam, body: jsonBody(patchBody, { rule: { kind: 'spend', min: '1500', days: 180 } }) },
      responses: { 200: ok(ruleView), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => toView(await updateTagRule(access, params.id, body)),
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/tag-rules/{id}',
      operationId: 'deleteTagRule',
      tags: ['tag rules'],
      summary: 'Delete a rule; the tags it set come off (keepTags=true keeps them); the tag stays',
      ...requires('settings.manage'),
      request: { params: idParam, query: z.object({ keepTags: queryBool.optional().describe('keep the tags the rule set on members (default false)') }) },
      responses: { 200: ok(z.object({ id: z.number().int(), tag: z.string(), removedFromMembers: z.number().int() })), ...errors(404) },
    }),
    async ({ access, params, query }) => deleteTagRule(access, params.id, { keepTags: query.keepTags ?? false }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tag-rules/{id}/run',
      operationId: 'runTagRule',
      tags: ['tag rules'],
      summary: 'Run one rule now over every member: how many gained and lost the tag',
      description: 'Members who qualify get the tag (source rule); those whose rule tag no longer holds lose it; manual and model tags are never touched. A disabled rule takes all its tags off.',
      ...requires('settings.manage'),
      request: { params: idParam },
      responses: {
        200: ok(
          z.object({
            ruleId: z.number().int(),
            tagId: z.number().int(),
            tag: z.string(),
            enabled: z.boolean(),
            added: z.number().int().describe('members who gained the tag'),
            removed: z.number().int().describe('members who lost it'),
            matched: z.number().int().describe('members holding the tag afterwards (any source)'),
          }),
        ),
        ...errors(404),
      },
    }),
    async ({ access, params }) => runTagRule(access, params.id),
  ),
];
