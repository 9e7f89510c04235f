import type { Worker } from 'bullmq';
import type { Hono } from 'hono';
import { createBot } from './bot/pipeline.ts';
import type { Channel, HandleMessage } from './bot/types.ts';
import { createConsoleAdapter } from './channels/console/adapter.ts';
import { isProduction } from './config.ts';
import { createWeComChannel } from './channels/wecom/index.ts';
import { createMiniProgramChannel } from './channels/miniprogram/index.ts';
import { createAiBotChannel, startAiBotLongConnection, type AiBotLongConnection } from './channels/aibot/index.ts';
import { createKfChannel, withKfEvents } from './channels/kf/index.ts';
import type { ChannelAdapter } from './channels/types.ts';
import { createApp } from './http/app.ts';
import { queueBoard } from './http/queue-board.ts';
import type { AppEnv } from './http/env.ts';
import { getIntent, intents } from './intents/catalogue.ts';
import { createRouter } from './intents/router/index.ts';
import { startOutboundWorker } from './jobs/outbound-worker.ts';
import { EXPORT_APPROVAL_TASK } from './api/export/approval-cards.ts';
import { exportApprovalClick } from './api/export/approval-card-click.ts';
import { answerHandedOver, startInboxAnswerWorker } from './jobs/inbox-answer.ts';
import { handOverClaims } from './bot/inbox/claim.ts';
import { controlSchedulesByDefault, scheduleJourneyControl, startJourneyControl } from './jobs/journey-control.ts';
import { journeyDeps } from './jobs/journey-deps.ts';
import { startJobRecovery, type JobRecovery } from './jobs/recovery.ts';
import { startWatchdog, type Watchdog } from './jobs/watchdog.ts';
import { startJourneyWorker } from './jobs/journey-worker.ts';
import { startCrmMaintenance } from './jobs/crm-maintenance.ts';
import { startInboxPrune } from './jobs/inbox-prune.ts';
import type { Repeatable } from './jobs/repeatable.ts';
import { startScoring } from './jobs/scoring.ts';
import { startSegmentRefresh } from './jobs/segment-refresh.ts';
import { startTransferPoll } from './jobs/transfer-poll.ts';
import { kickSync, startSync } from './jobs/sync.ts';
import { createWeilingSync, syncAlert } from './integrations/weiling/index.ts';
import { observeWorker } from './metrics/index.ts';
import type { Services } from './services.ts';
import { withSpan } from './telemetry/index.ts';

/** How long a stop waits for answers still being computed before handing them over (src/bot/inbox/claim.ts, handOverClaims). */
const ANSWER_GRACE_MS = 1000;

/** `p`, or 'timeout' after `ms` (the stop's bounded waits, here and in src/main.ts). */
export const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  Promise.race([p, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref())]);

/** Each bot turn in a span: the channel, the intent and the outcome, never the text or the sender. */
function tracedTurns(handle: HandleMessage): HandleMessage {
  return (msg) =>
    withSpan('bot.turn', { 'crm.channel': msg.channel }, async (span) => {
      const out = await handle(msg);
      span?.setAttribute('crm.turn.kind', out.kind);
      if (out.kind === 'answer') span?.setAttributes({ 'crm.intent': out.answer.intent, ...(out.answer.outcome ? { 'crm.turn.outcome': out.answer.outcome } : {}) });
      return out;
    });
}

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
  /** The AI bot's long connection (AIBOT_MODE=websocket), opened with the workers: WeCom keeps one live connection per bot. */
  aibot?: AiBotLongConnection;
  /**
   * `ok` when this process's workers run as they should; otherwise what is wrong (Redis lost its
   * jobs and they are being put back, a worker stopped): /readyz answers 503. undefined when this
   * process runs no workers.
   */
  jobsCheck(): string | undefined;
  /**
   * The process begins to stop (src/main.ts, before the listener closes): callbacks still being
   * answered are acked at once by the slow path (src/http/channel-route.ts), so closing the
   * listener does not wait out their reply budgets.
   */
  beginStop(): void;
  /**
   * Closes workers (each finishes its current job) and gives in-flight answers a short grace, then
   * hands the rest over to the next process (not the services: their owner closes them).
   */
  stop(): Promise<void>;
  /**
   * Closes every worker without waiting for its running job, for a stop whose graceful window
   * has passed: the connections are closed next, and a job still running under them wrote to a
   * closed socket (EPIPE stack traces). Its lock lapses and BullMQ hands the job to another
   * process as stalled; every step is idempotent (docs/architecture.md, journeys), so nothing is
   * lost or done twice.
   */
  forceStop(): Promise<void>;
}

/** Wires channels → bot → intents over a services object; the server and the tests share it. */
export function createRuntime(services: Services): Runtime {
  const router = createRouter(intents);
  // A click on an export's approval card decides it as the API does (src/api/export/approval-card-click.ts).
  const handle = tracedTurns(createBot({ services, router, getIntent, cardTasks: { [EXPORT_APPROVAL_TASK]: exportApprovalClick } }));
  // The console names its sender in the body only outside production (docs/guides/administrator.md, "Signing in to the console").
  const wecom = createWeComChannel(services);
  // 微信客服's kf_msg_or_event arrives on the app's callback URL: the app's adapter hands it to the kf channel.
  const kf = wecom && createKfChannel(services, wecom);
  const adapters: Partial<Record<Channel, ChannelAdapter>> = {
    console: createConsoleAdapter({ bodyFrom: !isProduction(services.config) }),
    wecom: wecom && kf ? withKfEvents(wecom, kf.adapter) : wecom,
    miniprogram: createMiniProgramChannel(services),
    ...(kf ? { wecom_kf: kf.adapter } : {}),
    wecom_aibot: createAiBotChannel(services),
  };
  const inflight = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  let watchdog: Watchdog | undefined;
  let recovery: JobRecovery | undefined;
  const board = queueBoard(services);
  // 卫瓴 two-way sync (docs/sync.md): its alert is the automation context's, through the journey deps' senders.
  const weiling = createWeilingSync(services, { alert: (text) => syncAlert(journeyDeps(services))(text) });
  const app = createApp({ services, handle, adapters, inflight, stopping: stopping.signal, queueBoard: board.app, jobsCheck: () => runtime.jobsCheck(), weiling: { sync: weiling, kick: kickSync(services, weiling, inflight) } });
  const runtime: Runtime = {
    app,
    handle,
    adapters,
    inflight,
    workers: [],
    periodic: [],
    startWorkers() {
      const q = services.queues;
      const deps = journeyDeps(services);
      const running = new Set<number>();
      // Each worker under the watchdog, which replaces one that stopped taking jobs (src/jobs/watchdog.ts).
      watchdog = startWatchdog(
        services,
        [
          { queue: q.outbound, start: () => observeWorker(startOutboundWorker(services, adapters)) },
          // answers of acked callbacks whose process died before pushing them (src/jobs/inbox-answer.ts)
          { queue: q.inboxAnswer, start: () => observeWorker(startInboxAnswerWorker(services, handle)) },
          // journey steps, recall follow-ups, trigger sweeps and staff alerts (docs/architecture.md, the job path)
          { queue: q.journey, start: () => observeWorker(startJourneyWorker(services, { deps, running })) },
          { queue: q.journeyControl, start: () => observeWorker(startJourneyControl(services, { deps })) },
        ],
        { stallMs: services.config.QUEUE_STALL_MS },
      );
      runtime.workers = watchdog.workers;
      if (services.config.AIBOT_MODE === 'websocket') runtime.aibot = startAiBotLongConnection(services, { handle });
      runtime.periodic.push(startSegmentRefresh(services), startCrmMaintenance(services), startScoring(services), startInboxPrune(services));
      // WeCom customer transfers tracked to completion (needs the API: src/jobs/transfer-poll.ts)
      if (services.config.WECOM_CORP_ID && services.config.WECOM_SECRET && services.config.WECOM_AGENT_ID) runtime.periodic.push(startTransferPoll(services));
      if (weiling) runtime.periodic.push(startSync(services, weiling));
      // every job's run time and wait, per queue (/metrics)
      for (const p of runtime.periodic) p.then((r) => observeWorker(r.worker), (err) => services.logger.error({ err }, 'periodic task not scheduled'));
      // Redis may lose its jobs (emptied, restarted): put back from MySQL what must happen (src/jobs/recovery.ts).
      const reschedule = async () => {
        if (controlSchedulesByDefault(services)) await scheduleJourneyControl(services);
        for (const p of runtime.periodic) await (await p).register();
      };
      recovery = startJobRecovery(services, { deps, reschedule, running });
    },
    jobsCheck() {
      if (!watchdog || !recovery) return undefined;
      return recovery.problem() ?? watchdog.problem() ?? 'ok';
    },
    beginStop() {
      stopping.abort();
    },
    async stop() {
      stopping.abort();
      await runtime.aibot?.close();
      recovery?.close();
      // Workers take no new job from here on and finish the one they run (a step, a push).
      const workersClosed = watchdog ? watchdog.close() : Promise.allSettled(runtime.workers.map((w) => w.close()));
      // Answers still being computed (acked callbacks, whose push is owed) get a short grace; the
      // rest are handed over — their claims given back and their answer jobs due now — so the
      // stop is not held for a slow LLM and the next process answers them at once, once each.
      if ((await within(Promise.allSettled([...inflight]), ANSWER_GRACE_MS)) === 'timeout') {
        const keys = await handOverClaims(services);
        await answerHandedOver(services, keys).catch((err) => services.logger.warn({ err: String(err) }, 'answer jobs of handed-over messages not hurried'));
        services.logger.info({ messages: keys.length }, 'answers still running at the stop: handed over to the next process');
      }
      await workersClosed;
      await Promise.allSettled(runtime.periodic.map(async (p) => (await p).close()));
      await board.close();
    },
    async forceStop() {
      runtime.aibot?.client.disconnect();
      recovery?.close();
      const periodic = await Promise.allSettled(runtime.periodic);
      const workers = [...runtime.workers, ...periodic.flatMap((p) => (p.status === 'fulfilled' ? [p.value.worker] : []))];
      await Promise.allSettled(workers.map((w) => w.close(true)));
    },
  };
  return runtime;
}
