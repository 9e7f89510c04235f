import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { backfillMembers, listFailures, retryAllFailures, retryFailure, syncStatus, type FailureRow } from '../../crm/sync/index.ts';
import { apiRoute, errors, ok, requires } from '../route.ts';
import { idParam, iso, isoDateTime, isoOrNull } from '../schemas.ts';

/** The connection the monitor shows (the 卫瓴 connector's name, src/integrations/weiling). */
const CONNECTION = 'weiling';

const objectStatus = z.object({
  connection: z.string(),
  object: z.string().describe('member, tag, order, refund, follow_up (outbound); contact (inbound)'),
  direction: z.enum(['outbound', 'inbound']),
  status: z.enum(['ok', 'lagging', 'failing']).describe('failing: dead letters wait; lagging: lag over 300 s'),
  stage: z.string().describe('idle, pushing, applying, reconciling'),
  cursor: z.string().nullable().describe('outbound: the last change feed id read; inbound: the reconciliation checkpoint'),
  lastSuccessAt: isoDateTime.nullable(),
  lastError: z.string().nullable(),
  lag: z.number().int().describe('seconds: now minus the oldest change not yet applied on the other side (0: none waits)'),
  pending: z.number().int().describe('changes (or inbound events) not yet processed'),
  retrying: z.number().int(),
  dead: z.number().int().describe('dead letters: retried no more until someone retries them'),
});
const failure = z.object({
  id: z.number().int(),
  connection: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  objectType: z.string(),
  objectId: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  status: z.enum(['retrying', 'dead', 'resolved']),
  nextAttemptAt: isoDateTime,
  changedAt: isoDateTime,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
const failureJson = (f: FailureRow) => ({ ...f, nextAttemptAt: iso(f.nextAttemptAt), changedAt: iso(f.changedAt), createdAt: iso(f.createdAt), updatedAt: iso(f.updatedAt) });

export const syncRoutes = [
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/sync/status',
      operationId: 'syncStatus',
      tags: ['sync'],
      summary: 'The 卫瓴 sync per object: status, stage, cursor, last success, lag in seconds, pending, retrying and dead counts',
      ...requires('sync.manage'),
      responses: { 200: ok(z.object({ configured: z.boolean(), items: z.array(objectStatus) })), ...errors() },
    }),
    async ({ access }) => {
      const { services } = access;
      const items = await syncStatus(services.sql, CONNECTION, services.now());
      return { configured: Boolean(services.config.WEILING_API_BASE && services.config.WEILING_APP_ID && services.config.WEILING_APP_SECRET), items: items.map((s) => ({ ...s, lastSuccessAt: isoOrNull(s.lastSuccessAt) })) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'get',
      path: '/crm/sync/failures',
      operationId: 'listSyncFailures',
      tags: ['sync'],
      summary: 'Open sync failures (retrying and dead letters) with their error, newest first',
      ...requires('sync.manage'),
      request: { query: z.object({ status: z.enum(['retrying', 'dead', 'open']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }) },
      responses: { 200: ok(z.object({ total: z.number().int(), items: z.array(failure) })), ...errors() },
    }),
    async ({ access, query }) => {
      const r = await listFailures(access.services.sql, query);
      return { total: r.total, items: r.items.map(failureJson) };
    },
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/sync/failures/{id}/retry',
      operationId: 'retrySyncFailure',
      tags: ['sync'],
      summary: 'Retry one failure now, with a fresh round of attempts (the sync job takes it on its next run)',
      ...requires('sync.manage'),
      request: { params: idParam },
      responses: { 200: ok(failure), ...errors(404) },
    }),
    async ({ access, params }) => failureJson(await retryFailure(access.services.sql, params.id, access.services.now())),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/sync/failures/retry-all',
      operationId: 'retryAllSyncFailures',
      tags: ['sync'],
      summary: 'Retry every open failure now (dead letters included)',
      ...requires('sync.manage'),
      responses: { 200: ok(z.object({ requeued: z.number().int() })), ...errors() },
    }),
    async ({ access }) => ({ requeued: await retryAllFailures(access.services.sql, access.services.now()) }),
  ),
  apiRoute(
    createRoute({
      method: 'post',
      path: '/crm/sync/backfill',
      operationId: 'backfillSync',
      tags: ['sync'],
      summary: 'The first sync: every member into the change feed (the worker pushes them; unchanged ones send nothing again)',
      ...requires('sync.manage'),
      responses: { 200: ok(z.object({ members: z.number().int() })), ...errors() },
    }),
    async ({ access }) => ({ members: await backfillMembers(access.services) }),
  ),
];
