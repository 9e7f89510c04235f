import type { Worker } from 'bullmq';
import type { Hono } from 'hono';
import { createBot } from './bot/pipeline.ts';
import type { Channel, HandleMessage } from './bot/types.ts';
import { createConsoleAdapter } from './channels/console/adapter.ts';
import { isProduction } from './config.ts';
import { createWeComChannel } from './channels/wecom/index.ts';
import { createMiniProgramChannel } from './channels/miniprogram/index.ts';
import type { ChannelAdapter } from './channels/types.ts';
import { createApp } from './http/app.ts';
import type { AppEnv } from './http/env.ts';
import { getIntent, intents } from './intents/catalogue.ts';
import { createRouter } from './intents/router/index.ts';
import { startOutboundWorker } from './jobs/outbound-worker.ts';
import { startInboxAnswerWorker } from './jobs/inbox-answer.ts';
import { startJourneyControl } from './jobs/journey-control.ts';
import { startJourneyWorker } from './jobs/journey-worker.ts';
import { startCrmMaintenance } from './jobs/crm-maintenance.ts';
import { startInboxPrune } from './jobs/inbox-prune.ts';
import type { Repeatable } from './jobs/repeatable.ts';
import { startScoring } from './jobs/scoring.ts';
import { startSegmentRefresh } from './jobs/segment-refresh.ts';
import type { Services } from './services.ts';

export interface Runtime {
  app: Hono<AppEnv>;
  handle: HandleMessage;
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  /** Answers pushed after their request was acked; awaited before shutdown. */
  inflight: Set<Promise<unknown>>;
  workers: Worker[];
  /** Periodic tasks (segment refresh, CRM maintenance); closed with the workers. */
  periodic: Promise<Repeatable>[];
  startWorkers(): void;
  /** Waits for in-flight answers, then closes workers (not the services: their owner does). */
  stop(): Promise<void>;
}

/** Wires channels → bot → intents over a services object; the server and the tests share it. */
export function createRuntime(services: Services): Runtime {
  const router = createRouter(intents);
  const handle = createBot({ services, router, getIntent });
  // The console names its sender in the body only outside production (docs/guides/administrator.md, "Signing in to the console").
  const adapters: Partial<Record<Channel, ChannelAdapter>> = { console: createConsoleAdapter({ bodyFrom: !isProduction(services.config) }), wecom: createWeComChannel(services), miniprogram: createMiniProgramChannel(services) };
  const inflight = new Set<Promise<unknown>>();
  const app = createApp({ services, handle, adapters, inflight });
  const runtime: Runtime = {
    app,
    handle,
    adapters,
    inflight,
    workers: [],
    periodic: [],
    startWorkers() {
      runtime.workers.push(startOutboundWorker(services, adapters));
      // answers of acked callbacks whose process died before pushing them (src/jobs/inbox-answer.ts)
      runtime.workers.push(startInboxAnswerWorker(services, handle));
      // journey steps, recall follow-ups, trigger sweeps and staff alerts (docs/architecture.md, the job path)
      runtime.workers.push(startJourneyWorker(services), startJourneyControl(services));
      runtime.periodic.push(startSegmentRefresh(services), startCrmMaintenance(services), startScoring(services), startInboxPrune(services));
      for (const p of runtime.periodic) p.catch((err) => services.logger.error({ err }, 'periodic task not scheduled'));
    },
    async stop() {
      await Promise.allSettled([...inflight]);
      await Promise.allSettled(runtime.workers.map((w) => w.close()));
      await Promise.allSettled(runtime.periodic.map(async (p) => (await p).close()));
    },
  };
  return runtime;
}
