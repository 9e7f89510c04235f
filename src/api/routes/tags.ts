import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { batchTag, createTag, deleteTag, listTags, mergeTags, updateTag } from '../../crm/engagement/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, jsonify } from '../schemas.ts';

const category = z.enum(['demographic', 'behaviour', 'value', 'risk']);

const tagItem = z.object({
  id: z.number().int(),
  name: z.string(),
  category,
  description: z.string().nullable(),
  createdAt: isoDateTime,
});

const listedTag = z.object({
  id: z.number().int(),
  name: z.string(),
  category,
  description: z.string().nullable(),
  members: z.number().int().describe('members carrying the tag (all stores)'),
  rule: z
    .object({ rule: z.unknown().describe('the rule tag condition (see src/crm/engagement/tags/rule-schema.ts)'), enabled: z.boolean(), lastEvaluatedAt: isoDateTime.nullable(), lastMatched: z.number().int().nullable() })
    .nullable()
    .describe('null for a manual tag'),
});

const tagName = z.string().trim().min(1).max(32);

const tagCreate = z.strictObject({ name: tagName, category, description: z.string().trim().max(255).optional() });

const tagPatch = z
  .strictObject({ name: tagName.optional(), category: category.optional(), description: z.string().trim().max(255).nullable().optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one of name, category, description' });

const tagApply = z.strictObject({
  op: z.enum(['apply', 'remove']).describe('put the tag on the members, or take it off'),
  tag: tagName.describe('tag name (must exist in the dictionary)'),
  memberIds: z.array(z.number().int().positive()).min(1).max(10_000).describe('customer ids, at most 10,000 a call'),
});

const toTag = <T extends { id: number; name: string; category: string; description: string | null; createdAt: Date }>(t: T) => ({
  id: t.id,
  name: t.name,
  category: t.category as z.infer<typeof category>,
  description: t.description,
  createdAt: iso(t.createdAt),
});

export const tagRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/tags',
      operationId: 'listTags',
      tags: ['tags'],
      summary: 'The tag dictionary by category, with member counts and rules',
      ...requires('member.read'),
      request: { query: z.object({ category: category.optional() }) },
      responses: { 200: ok(z.object({ items: z.array(listedTag) })), ...errors() },
    }),
    async ({ access, query }) => {
      const tags = await listTags(access);
      return { items: jsonify(tags.filter((t) => !query.category || t.category === query.category)) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tags',
      operationId: 'createTag',
      tags: ['tags'],
      summary: 'Add a tag to the dictionary',
      ...requires('tag.manage'),
      request: { body: jsonBody(tagCreate, { name: '咖啡爱好者', category: 'behaviour', description: '近 90 天买过 3 次以上咖啡' }) },
      responses: { 201: ok(tagItem), ...bodyErrors(409) },
    }),
    async ({ access, body }) => toTag(await createTag(access, body)),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/tags/{id}',
      operationId: 'updateTag',
      tags: ['tags'],
      summary: 'Rename, recategorize or describe a tag',
      ...requires('tag.manage'),
      request: { params: idParam, body: jsonBody(tagPatch, { description: '高价值会员（年消费 ≥ 5000）' }) },
      responses: { 200: ok(tagItem), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => toTag(await updateTag(access, params.id, body)),
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/tags/{id}',
      operationId: 'deleteTag',
      tags: ['tags'],
      summary: 'Delete a tag, its rule, and its assignments to members',
      ...requires('tag.manage'),
      request: { params: idParam },
      responses: { 200: ok(z.object({ id: z.number().int(), name: z.string(), removedFromMembers: z.number().int() })), ...errors(404) },
    }),
    async ({ access, params }) => deleteTag(access, params.id),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tags/merge',
      operationId: 'mergeTags',
      tags: ['tags'],
      summary: 'Merge tag `from` into tag `into` (members move over, `from` is deleted)',
      ...requires('tag.manage'),
      request: { body: jsonBody(z.strictObject({ from: tagName, into: tagName }), { from: '高价值', into: '高价值客户' }) },
      responses: { 200: ok(z.object({ moved: z.number().int(), alreadyHad: z.number().int(), into: z.string() })), ...bodyErrors(404) },
    }),
    async ({ access, body }) => mergeTags(access, body.from, body.into),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/tags/apply',
      operationId: 'applyTag',
      tags: ['tags'],
      summary: 'Put one tag on many customers, or take it off (batch)',
      description: 'Idempotent. Ids outside the caller’s store scope (or unknown) are returned in `skipped` and never touched.',
      ...requires('tag.write'),
      request: { body: jsonBody(tagApply, { op: 'apply', tag: 'VIP', memberIds: [1, 2, 3] }) },
      responses: {
        200: ok(
          z.object({
            changed: z.number().int().describe('members whose tags actually changed'),
            skipped: z.array(z.number().int()).describe('ids not in the caller’s scope, or unknown'),
          }),
        ),
        ...bodyErrors(404),
      },
    }),
    async ({ access, body }) => batchTag(access, body),
  ),
];
