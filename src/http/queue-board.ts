import { serveStatic } from '@hono/node-server/serve-static';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { activeStaffActor, forbidden, lazyModule } from '../crm/kernel/index.ts';
import { CRM_MAINTENANCE_QUEUE } from '../jobs/crm-maintenance.ts';
import { SCORING_QUEUE } from '../jobs/scoring.ts';
import { SEGMENT_REFRESH_QUEUE } from '../jobs/segment-refresh.ts';
import type { Services } from '../services.ts';
import type { AppEnv } from './env.ts';
import { requireIdentity } from './identity.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

const boardApi = lazyModule<typeof import('@bull-board/api')>('@bull-board/api');
const boardBullMq = lazyModule<typeof import('@bull-board/api/bullMQAdapter')>('@bull-board/api/bullMQAdapter');
const boardHono = lazyModule<typeof import('@bull-board/hono')>('@bull-board/hono');

/**
 * The BullMQ dashboard (bull-board) at /admin/queues: every queue of the process, its jobs,
 * retries and failures. It can retry, promote and delete jobs, so it is for admins only: the
 * identity comes from the console session or an API token like every other admin surface
 * (docs/deployment.md, "Queue dashboard"), never from the request.
 */
export function queueBoard(services: Services): { app: Hono<AppEnv>; close(): Promise<void> } {
  // Built on the first admin's request, not at start: bull-board and its adapters are ~20 MB a
  // process would hold for a page few open (src/crm/kernel/lazy-module.ts).
  let board: { fetch: Hono['fetch']; periodic: Queue[] } | undefined;
  const build = () => {
    const q = services.queues;
    const { createBullBoard } = boardApi();
    const { BullMQAdapter } = boardBullMq();
    const { HonoAdapter } = boardHono();
    // The repeatable tasks' queues are opened here too (read and act only; their workers live in the worker role).
    const periodic = [SEGMENT_REFRESH_QUEUE, CRM_MAINTENANCE_QUEUE, SCORING_QUEUE].map((name) => new Queue(name, { connection: services.bullRedis, prefix: services.queuePrefix(name) }));
    const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: [q.outbound, q.inboxAnswer, q.journey, q.journeyControl, ...periodic].map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
    // The plugin's routes are relative to the board's path: mounted there in an app of its own.
    const inner = new Hono().route(QUEUE_BOARD_PATH, adapter.registerPlugin());
    return { fetch: inner.fetch, periodic };
  };

  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    const who = await requireIdentity(services, c);
    const actor = await activeStaffActor(services, who.from);
    if (actor?.role !== 'admin') throw forbidden('permission_denied', 'the queue dashboard is for administrators');
    await next();
  });
  app.all('*', (c) => (board ??= build()).fetch(c.req.raw, c.env));
  return { app, close: async () => void (await Promise.allSettled((board?.periodic ?? []).map((p) => p.close()))) };
}
