import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { unauthorized } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { sampleQueueDepths } from './queues.ts';
import { registry } from './registry.ts';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * GET /metrics in Prometheus' text format. With METRICS_TOKEN set the scraper must send
 * `Authorization: Bearer <token>` (a 401 otherwise); without it the endpoint is open, for a
 * scraper inside the deployment's network (docs/deployment.md, "Metrics").
 */
export function metricsRoute(services: Services): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    const token = services.config.METRICS_TOKEN;
    if (token && !same(c.req.header('authorization') ?? '', `Bearer ${token}`)) {
      throw unauthorized('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    const q = services.queues;
    await sampleQueueDepths([q.outbound, q.inboxAnswer, q.journey, q.journeyControl]);
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
  return app;
}
