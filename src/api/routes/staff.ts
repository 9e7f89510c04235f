import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { createStaff, getStaff, listStaff, STAFF_ROLES, staffInputSchema, staffPatchSchema, updateStaff, type StaffView } from '../../crm/kernel/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, queryBool } from '../schemas.ts';

const staffView = z.object({
  id: z.number().int(),
  wecomUserId: z.string().describe('the WeCom userid: how the bot, web login and API tokens know them'),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  storeIds: z.array(z.number().int()).describe('the stores they act for (store roles see only these)'),
  active: z.boolean().describe('false: deactivated — chat, console sessions and API tokens stop working at once'),
  createdAt: isoDateTime,
});
const toView = (s: StaffView): z.infer<typeof staffView> => ({ ...s, createdAt: iso(s.createdAt) });

/**
 * The staff directory for an administrator (settings.manage): add people, change their role or
 * stores, deactivate them when they leave (rows stay for the audit; src/crm/kernel/staff-admin.ts).
 */
export const staffRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/staff',
      operationId: 'listStaff',
      tags: ['staff'],
      summary: 'Every staff member, active first',
      ...requires('settings.manage'),
      request: { query: z.object({ active: queryBool.optional(), storeId: z.coerce.number().int().positive().optional() }) },
      responses: { 200: ok(z.object({ items: z.array(staffView) })), ...errors() },
    }),
    async ({ access, query }) => ({ items: (await listStaff(access, query)).map(toView) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/staff',
      operationId: 'createStaff',
      tags: ['staff'],
      summary: 'Add a staff member',
      ...requires('settings.manage'),
      request: { body: jsonBody(staffInputSchema, { wecomUserId: 'store_manager_09', name: '周敏', role: 'store_manager', storeIds: [3] }) },
      responses: { 201: ok(staffView, 'Created'), ...bodyErrors(400, 409) },
    }),
    async ({ access, body }) => toView(await createStaff(access, body)),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/staff/{id}',
      operationId: 'getStaff',
      tags: ['staff'],
      summary: 'One staff member',
      ...requires('settings.manage'),
      request: { params: idParam },
      responses: { 200: ok(staffView), ...errors(404) },
    }),
    async ({ access, params }) => toView(await getStaff(access, params.id)),
  ),
  apiRoute(
    createRoute({
      method: 'patch',
      path: '/crm/staff/{id}',
      operationId: 'updateStaff',
      tags: ['staff'],
      summary: 'Change name, role or stores, or deactivate (active: false) / reactivate',
      description: 'Deactivation takes effect at once: their chat turns, console sessions and API tokens are refused; their open tickets are reassigned by the hourly maintenance. An administrator cannot deactivate or demote themselves, nor the last active administrator (409).',
      ...requires('settings.manage'),
      request: { params: idParam, body: jsonBody(staffPatchSchema, { active: false }) },
      responses: { 200: ok(staffView), ...bodyErrors(400, 404, 409) },
    }),
    async ({ access, params, body }) => toView(await updateStaff(access, params.id, body)),
  ),
];
