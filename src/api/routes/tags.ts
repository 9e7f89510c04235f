import { z } from 'zod';
import { applyTag, createTag, deleteTag, listTags, updateTag } from '../tags/manage.ts';
import { defineRoute } from '../route.ts';
import { idParam, iso, isoDateTime } from '../schemas.ts';

const category = z.enum(['demographic', 'behaviour', 'value', 'risk']);

const tagItem = z.object({
  id: z.number().int(),
  name: z.string(),
  category,
  description: z.string().nullable(),
  createdAt: isoDateTime,
});

const tagName = z.string().trim().min(1).max(32);

const tagCreate = z.strictObject({
  name: tagName,
  category,
  description: z.string().trim().max(255).nullable().optional(),
});

const tagPatch = z
  .strictObject({ name: tagName.optional(), category: category.optional(), description: z.string().trim().max(255).nullable().optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one of name, category, description' });

const tagApply = z.strictObject({
  op: z.enum(['add', 'remove']).describe('add or remove the tag'),
  tag: tagName.describe('tag name (must exist in the dictionary)'),
  memberIds: z.array(z.number().int().positive()).min(1).max(500).describe('customer ids, at most 500 a call'),
});

const toJson = <T extends { createdAt: Date }>(t: T) => ({ ...t, createdAt: iso(t.createdAt) });

export const tagRoutes = [
  defineRoute({
    method: 'get',
    path: '/crm/tags',
    operationId: 'listTags',
    tag: 'tags',
    summary: 'The tag dictionary, with how many members carry each tag',
    permission: 'member.read',
    query: z.object({ category: category.optional() }),
    response: z.object({ items: z.array(tagItem.extend({ memberCount: z.number().int() })) }),
    handler: async ({ access, query }) => ({ items: (await listTags(access, query.category)).map(toJson) }),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tags',
    operationId: 'createTag',
    tag: 'tags',
    summary: 'Create a tag (headquarters roles)',
    permission: 'tag.write',
    body: tagCreate,
    example: { name: '咖啡爱好者', category: 'behaviour', description: '近 90 天买过 3 次以上咖啡' },
    response: tagItem,
    status: 201,
    errors: [409],
    handler: async ({ access, body }) => toJson(await createTag(access, body)),
  }),
  defineRoute({
    method: 'patch',
    path: '/crm/tags/{id}',
    operationId: 'updateTag',
    tag: 'tags',
    summary: 'Rename, recategorize or describe a tag (headquarters roles)',
    permission: 'tag.write',
    params: idParam,
    body: tagPatch,
    example: { description: '高价值会员（年消费 ≥ 5000）' },
    response: tagItem,
    errors: [404, 409],
    handler: async ({ access, params, body }) => toJson(await updateTag(access, params.id, body)),
  }),
  defineRoute({
    method: 'delete',
    path: '/crm/tags/{id}',
    operationId: 'deleteTag',
    tag: 'tags',
    summary: 'Delete a tag and remove it from every member (headquarters roles)',
    permission: 'tag.write',
    params: idParam,
    response: z.object({ id: z.number().int(), name: z.string(), removedFromMembers: z.number().int() }),
    errors: [404],
    handler: async ({ access, params }) => deleteTag(access, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/crm/tags/apply',
    operationId: 'applyTag',
    tag: 'tags',
    summary: 'Add or remove one tag on many customers',
    description: 'Idempotent per member. Members outside the caller’s store scope are reported `not_found`, like unknown ids.',
    permission: 'tag.write',
    body: tagApply,
    example: { op: 'add', tag: 'VIP', memberIds: [1, 2, 3] },
    response: z.object({
      tag: z.object({ id: z.number().int(), name: z.string() }),
      changed: z.number().int().describe('members whose tags actually changed'),
      results: z.array(z.object({ memberId: z.number().int(), status: z.enum(['added', 'already_tagged', 'removed', 'not_tagged', 'not_found']) })),
    }),
    errors: [404],
    handler: async ({ access, body }) => {
      const r = await applyTag(access, body.op, body.tag, body.memberIds);
      return { ...r, changed: r.results.filter((x) => x.status === 'added' || x.status === 'removed').length };
    },
  }),
];
