import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { weComClientOf } from '../../channels/wecom/index.ts';
import { attributionCounts, createContactWay, createCorpTags, deleteCorpTag, listContacts, listCorpTags, renameCorpTag, syncCorpTags, type ContactsPort, type MemberWeComView } from '../../crm/contacts/index.ts';
import { AppError, requirePermission } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { iso, isoDateTime, isoOrNull, queryBool } from '../schemas.ts';

/** WeCom customer contacts (客户联系, docs/wecom.md "Customer contacts"): QR codes, attribution, unbound customers, corp tags. */

/**
 * The WeCom side, resolved when the domain first calls it: the request's own mistakes (an unknown
 * tag → 404, a tag we do not own → 409, a bad body) are answered before "WeCom is not configured" (503).
 */
function contactsPort(services: Services): ContactsPort {
  const resolve = (): ContactsPort => {
    const { WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID } = services.config;
    if (!WECOM_CORP_ID || !WECOM_SECRET || !WECOM_AGENT_ID) throw new AppError('contacts_not_configured', 'WeCom customer contacts need WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID');
    return weComClientOf(services).contacts;
  };
  return new Proxy({} as ContactsPort, {
    // Not a thenable (`await port` must not call WeCom): every other name is a port method.
    get: (_t, name) => (name === 'then' ? undefined : (...args: unknown[]) => (resolve() as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[name]!(...args)),
  });
}

export const wecomRelationships = z.object({
  externalUserId: z.string(),
  relationships: z.array(
    z.object({
      staffUserId: z.string(),
      staffName: z.string().nullable(),
      remark: z.string(),
      addedAt: isoDateTime,
      deletedAt: isoDateTime.nullable(),
      deletedBy: z.string().nullable().describe('staff (del_external_contact), customer (del_follow_user) or transfer'),
      state: z.string().nullable().describe('the contact way (QR code) state the customer came through'),
      storeId: z.number().int().nullable().describe('the store the state attributes the customer to'),
      storeName: z.string().nullable(),
      attributedStaff: z.string().nullable().describe('the staff member the state (or the adding staff member) attributes the customer to'),
    }),
  ),
});

/** The 360 view's WeCom part, as the API shows it (read in the card's statement: memberWeComColumns). */
export function wecomOf(v: MemberWeComView | null): z.input<typeof wecomRelationships> | null {
  return v && { externalUserId: v.externalUserId, relationships: v.relationships.map((r) => ({ ...r, addedAt: iso(r.addedAt), deletedAt: isoOrNull(r.deletedAt) })) };
}

const tagIdParam = z.object({ id: z.string().min(1).max(64).describe('the WeCom corp tag id (et…)') });

export const wecomContactRoutes = [
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/wecom/contact-ways',
      operationId: 'createContactWay',
      tags: ['wecom'],
      summary: 'A store/staff 「联系我」 QR code (externalcontact/add_contact_way) whose state attributes new customers',
      ...requires('contacts.manage'),
      request: { body: jsonBody(z.strictObject({ store: z.union([z.number().int().positive(), z.string().min(1).max(32)]).describe('store id or code'), staffUserId: z.string().min(1).max(64) }), { store: 1, staffUserId: 'agent_01' }) },
      responses: { 201: ok(z.object({ configId: z.string(), state: z.string(), qrCode: z.string(), storeId: z.number().int(), staffUserId: z.string() }), 'Created'), ...bodyErrors(404) },
    }),
    async ({ access, body }) => createContactWay(access, contactsPort(access.services), body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/wecom/attribution',
      operationId: 'contactAttribution',
      tags: ['wecom'],
      summary: 'New WeCom customers per store and staff member, attributed by contact-way state (the caller’s stores)',
      ...requires('member.read'),
      request: { query: z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }) },
      responses: {
        200: ok(z.object({ items: z.array(z.object({ storeId: z.number().int(), storeName: z.string(), staffUserId: z.string(), staffName: z.string(), customers: z.number().int(), active: z.number().int() })) })),
        ...errors(),
      },
    }),
    async ({ access, query }) => ({ items: await attributionCounts(access, { ...(query.from ? { from: new Date(query.from) } : {}), ...(query.to ? { to: new Date(query.to) } : {}) }) }),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/wecom/contacts',
      operationId: 'listWeComContacts',
      tags: ['wecom'],
      summary: 'WeCom customers and their staff relationships; `bound=false` lists those no member could be matched to',
      ...requires('contacts.manage'),
      request: { query: z.object({ bound: queryBool.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) },
      responses: {
        200: ok(
          z.object({
            items: z.array(
              z.object({
                externalUserId: z.string(),
                name: z.string(),
                memberId: z.number().int().nullable(),
                boundBy: z.string().nullable().describe('external_userid, unionid or mobile'),
                staff: z.array(z.object({ userId: z.string(), remark: z.string(), addedAt: isoDateTime, deletedAt: isoDateTime.nullable(), deletedBy: z.string().nullable(), state: z.string().nullable() })),
              }),
            ),
          }),
        ),
        ...errors(),
      },
    }),
    async ({ access, query }) => {
      const items = await listContacts(access, { ...(query.bound !== undefined ? { bound: query.bound } : {}), ...(query.limit ? { limit: query.limit } : {}) });
      return { items: items.map((c) => ({ ...c, staff: c.staff.map((f) => ({ ...f, addedAt: iso(f.addedAt), deletedAt: isoOrNull(f.deletedAt) })) })) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/wecom/corp-tags',
      operationId: 'listCorpTags',
      tags: ['wecom'],
      summary: 'The WeCom corp tags as mirrored, each with its linked CRM tag; `owned`: created by this app (the only ones it may edit or delete)',
      ...requires('member.read'),
      responses: { 200: ok(z.object({ items: z.array(z.object({ id: z.string(), group: z.string(), name: z.string(), tagId: z.number().int().nullable(), owned: z.boolean() })) })), ...errors() },
    }),
    async ({ access }) => ({ items: await listCorpTags(access) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/wecom/corp-tags',
      operationId: 'createCorpTags',
      tags: ['wecom'],
      summary: 'Create corp tags in WeCom (add_corp_tag), linked to CRM tags of the same names; refused past 10,000 corp tags',
      ...requires('contacts.manage'),
      request: { body: jsonBody(z.strictObject({ group: z.string().trim().min(1).max(30), names: z.array(z.string().trim().min(1).max(30)).min(1).max(100) }), { group: '会员权益', names: ['储值客户'] }) },
      responses: { 201: ok(z.object({ groupId: z.string(), tags: z.array(z.object({ id: z.string(), name: z.string() })) }), 'Created'), ...bodyErrors(409) },
    }),
    async ({ access, body }) => createCorpTags(access, contactsPort(access.services), body),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/wecom/corp-tags/{id}',
      operationId: 'renameCorpTag',
      tags: ['wecom'],
      summary: 'Rename a corp tag this app created (edit_corp_tag); its CRM tag is renamed with it',
      ...requires('contacts.manage'),
      request: { params: tagIdParam, body: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(30) }), { name: '储值老客' }) },
      responses: { 200: ok(z.object({ id: z.string(), name: z.string() })), ...bodyErrors(404, 409) },
    }),
    async ({ access, params, body }) => {
      await renameCorpTag(access, contactsPort(access.services), params.id, body.name);
      return { id: params.id, name: body.name };
    },
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/wecom/corp-tags/{id}',
      operationId: 'deleteCorpTag',
      tags: ['wecom'],
      summary: 'Delete a corp tag this app created (del_corp_tag); the CRM tag and who holds it stay',
      ...requires('contacts.manage'),
      request: { params: tagIdParam },
      responses: { 200: ok(z.object({ id: z.string(), deleted: z.boolean() })), ...errors(404, 409) },
    }),
    async ({ access, params }) => {
      await deleteCorpTag(access, contactsPort(access.services), params.id);
      return { id: params.id, deleted: true };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/wecom/corp-tags/sync',
      operationId: 'syncCorpTags',
      tags: ['wecom'],
      summary: 'Read the whole corp tag list from WeCom (get_corp_tag_list) into the dictionary',
      ...requires('contacts.manage'),
      responses: { 200: ok(z.object({ tags: z.number().int(), deleted: z.number().int() })), ...errors() },
    }),
    async ({ access }) => {
      requirePermission(access.actor, 'contacts.manage');
      return syncCorpTags(access.services, contactsPort(access.services));
    },
  ),
];
