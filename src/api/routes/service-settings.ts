import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  assignmentConfigSchema,
  businessHoursSchema,
  listBusinessHours,
  readAssignmentConfig,
  readSlaPolicy,
  setAssignmentConfig,
  setChainHours,
  setSlaPolicy,
  setStoreHours,
  slaPolicySchema,
  storeBusinessHours,
} from '../../crm/service/index.ts';
import { apiRoute, bodyErrors, errors, jsonBody, ok, requires } from '../route.ts';
import { idParam } from '../schemas.ts';

/** Ticket SLA policies, business hours and auto-assignment (docs/guides/administrator.md). */

const split = [{ start: '10:00', end: '14:00' }, { start: '17:00', end: '22:00' }];
const hoursExample = { days: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ start: '10:00', end: '22:00' }], sun: [{ start: '10:00', end: '22:00' }] }, closedDates: ['2027-02-06'] };

const storeHours = z.object({
  storeId: z.number().int(),
  storeCode: z.string(),
  storeName: z.string(),
  hours: businessHoursSchema.nullable().describe("the store's own hours; null = it follows the chain's default"),
  effective: businessHoursSchema.describe("what its tickets' SLA clocks run on"),
});
const storeParam = idParam.describe('store id');

export const serviceSettingsRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/service/sla-policy',
      operationId: 'getSlaPolicy',
      tags: ['service settings'],
      summary: 'Ticket SLA per priority: business minutes to the first response and to the resolution',
      ...requires('service.configure'),
      responses: { 200: ok(slaPolicySchema), ...errors() },
    }),
    async ({ access }) => readSlaPolicy(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/service/sla-policy',
      operationId: 'putSlaPolicy',
      tags: ['service settings'],
      summary: 'Replace the SLA policy (applies to tickets opened afterwards)',
      description: 'All four priorities; minutes are business minutes (1 … 86,400), counted on the store’s business hours; a resolution due before the first response is a 422.',
      ...requires('service.configure'),
      request: {
        body: jsonBody(slaPolicySchema, {
          urgent: { respondMinutes: 15, resolveMinutes: 240 },
          high: { respondMinutes: 30, resolveMinutes: 480 },
          normal: { respondMinutes: 120, resolveMinutes: 1440 },
          low: { respondMinutes: 480, resolveMinutes: 4320 },
        }),
      },
      responses: { 200: ok(slaPolicySchema), ...bodyErrors() },
    }),
    async ({ access, body }) => setSlaPolicy(access, body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/service/business-hours',
      operationId: 'listBusinessHours',
      tags: ['service settings'],
      summary: "The chain's default business hours and each store's own",
      ...requires('service.configure'),
      responses: { 200: ok(z.object({ chain: businessHoursSchema, stores: z.array(storeHours) })), ...errors() },
    }),
    async ({ access }) => listBusinessHours(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/service/business-hours',
      operationId: 'putChainBusinessHours',
      tags: ['service settings'],
      summary: "Replace the chain's default business hours (China time; split shifts per weekday)",
      description: 'Each weekday lists its shifts (`HH:mm`, `24:00` = midnight); `[]` = closed. A shift ending before it starts, overlapping shifts or a week with no open day is a 422 naming the shift.',
      ...requires('service.configure'),
      request: { body: jsonBody(businessHoursSchema, hoursExample) },
      responses: { 200: ok(businessHoursSchema), ...bodyErrors() },
    }),
    async ({ access, body }) => setChainHours(access, body),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/service/business-hours/stores/{id}',
      operationId: 'getStoreBusinessHours',
      tags: ['service settings'],
      summary: "One store's business hours (its own, or the chain's it follows)",
      ...requires('service.configure'),
      request: { params: storeParam },
      responses: { 200: ok(storeHours), ...errors(404) },
    }),
    async ({ access, params }) => storeBusinessHours(access, params.id),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/service/business-hours/stores/{id}',
      operationId: 'putStoreBusinessHours',
      tags: ['service settings'],
      summary: 'Give a store business hours of its own',
      description: 'Same shape as the chain’s. An unknown store is a 404 `unknown_store`.',
      ...requires('service.configure'),
      request: { params: storeParam, body: jsonBody(businessHoursSchema, hoursExample) },
      responses: { 200: ok(storeHours), ...bodyErrors(404) },
    }),
    async ({ access, params, body }) => setStoreHours(access, params.id, body),
  ),
  apiRoute(
    createRoute({
      method: 'delete',
      path: '/crm/service/business-hours/stores/{id}',
      operationId: 'deleteStoreBusinessHours',
      tags: ['service settings'],
      summary: "Return a store to the chain's default hours",
      ...requires('service.configure'),
      request: { params: storeParam },
      responses: { 200: ok(storeHours), ...errors(404) },
    }),
    async ({ access, params }) => setStoreHours(access, params.id, null),
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/service/assignment',
      operationId: 'getAssignmentConfig',
      tags: ['service settings'],
      summary: 'Ticket auto-assignment settings',
      ...requires('service.configure'),
      responses: { 200: ok(assignmentConfigSchema), ...errors() },
    }),
    async ({ access }) => readAssignmentConfig(access),
  ),
  apiRoute(
    createRoute({
      method: 'put',
      path: '/crm/service/assignment',
      operationId: 'putAssignmentConfig',
      tags: ['service settings'],
      summary: 'Replace the auto-assignment settings (on/off, eligible roles, per-priority overrides, service group)',
      description:
        "A new ticket without an assignee goes to the store's eligible staff member with the fewest open tickets, else a store manager, else the service group (empty: HQ operators and admins). Complaints are always assigned. A service group member who is unknown, deactivated or may not handle tickets is a 400 naming them.",
      ...requires('service.configure'),
      request: { body: jsonBody(assignmentConfigSchema, { enabled: true, roles: ['agent', 'store_manager'], priorities: { urgent: { roles: ['store_manager'] }, low: { enabled: false } }, serviceGroup: [] }) },
      responses: { 200: ok(assignmentConfigSchema), ...bodyErrors() },
    }),
    async ({ access, body }) => setAssignmentConfig(access, body),
  ),
];
