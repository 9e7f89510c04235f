import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { channelSchema } from '../bot/types.ts';
import type { JourneyJob } from '../crm/automation/index.ts';
import { isClusterTarget, type RedisTarget } from '../redis.ts';
import { injectTrace } from '../telemetry/index.ts';

export type { JourneyJob };

/** An answer's card (src/bot/types.ts AnswerCard), as the job carries it. */
const cardSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('confirm'), taskId: z.string().min(1), title: z.string(), summary: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('choice'), taskId: z.string().min(1), title: z.string(), options: z.array(z.object({ key: z.string(), label: z.string() })) }),
]);

/**
 * A text to deliver outside the request: the slow path of a callback, alerts, later journeys.
 * With a card (sent after the text) or a card update, the text may be empty: the card of an
 * answer that went out passively (a passive reply cannot carry a template card).
 */
export const outboundJobSchema = z.object({
  channel: channelSchema,
  to: z.string().min(1),
  text: z.string(),
  card: cardSchema.optional(),
  cardUpdate: z.object({ taskId: z.string().min(1), responseCode: z.string().optional(), text: z.string().min(1) }).optional(),
  requestId: z.string().optional(),
  /**
   * An answer's image, sent after the text (WeCom: media/upload + image message). The PNG rides
   * in the job as base64 (~20–80 KB): it is written once with the job and gone with it, with no
   * second key that could expire before the last retry; the worker drops it from the job once
   * delivered, so the completed jobs BullMQ keeps for a day stay small.
   */
  image: z.object({ pngBase64: z.string().min(1), alt: z.string() }).optional(),
}).refine((j) => j.text !== '' || j.card || j.cardUpdate, { message: 'an outbound job needs a text, a card or a card update' });
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/**
 * A staff change of members' tags, to mirror onto their WeCom relationships (externalcontact
 * mark_tag, src/jobs/tag-mirror.ts). Rides the outbound queue and its outbox (queued by
 * engagement's writeMemberTags through the kernel's queueOutbound), under the job name
 * `member-tags-changed`.
 */
export const tagMirrorJobSchema = z.object({ kind: z.literal('member-tags-changed'), memberIds: z.array(z.number().int().positive()).min(1) });
export type TagMirrorJob = z.infer<typeof tagMirrorJobSchema>;

/**
 * A callback acked before its answer (the slow path): the job that makes sure the answer is
 * pushed even if the process answering it dies (src/jobs/inbox-answer.ts). The message itself
 * rides along; the inbox row (src/bot/inbox/) says whether it is still to be answered.
 */
export const inboxAnswerJobSchema = z.object({
  channel: channelSchema,
  messageId: z.string().min(1),
  from: z.string().min(1),
  text: z.string(),
  requestId: z.string(),
  receivedAt: z.string(),
  retryCount: z.number().optional(),
  /** A group chat's id (the AI bot): the answer keeps the group's conversation. */
  conversationId: z.string().optional(),
  /** A card click answered on the slow path keeps what was clicked. */
  action: z.object({ taskId: z.string().min(1), key: z.string(), responseCode: z.string().optional() }).optional(),
});
export type InboxAnswerJob = z.infer<typeof inboxAnswerJobSchema>;

/** Recall progress/attribution and staff alerts (src/jobs/journey-control.ts). */
export interface JourneyControlJob {
  kind: string;
  [k: string]: unknown;
}

/**
 * The job lock of the four queues' workers (docs/operations.md, "When the server is killed"). A
 * killed process cannot hand its running jobs back: BullMQ redelivers one as stalled once its
 * lock has lapsed and a stalled check (one every `stalledInterval`, two to notice) has seen it.
 * With BullMQ's defaults (30 s and 30 s) a recall member in flight at a SIGKILL waited 30–90 s.
 * Locks are renewed every half lock on a timer, so a long job keeps its lock as long as the event
 * loop turns; 10 s, renewed every 5 s, rides out an event-loop stall of about 5 s.
 */
export const JOB_LOCK = { lockDuration: 10_000, stalledInterval: 3_000 } as const;

export const QUEUE_NAMES = { outbound: 'outbound', inboxAnswer: 'inbox-answers', journey: 'journey-steps', journeyControl: 'journey-control' } as const;

export interface Queues {
  outbound: Queue<OutboundJob>;
  inboxAnswer: Queue<InboxAnswerJob>;
  journey: Queue<JourneyJob>;
  journeyControl: Queue<JourneyControlJob>;
  close(): Promise<void>;
}

/**
 * The BullMQ prefix of one queue: REDIS_PREFIX on one server; on a Redis Cluster
 * `{REDIS_PREFIX:queue}`, a hash tag, because BullMQ's scripts touch several keys of a queue at
 * once and those must share a slot — one tag per queue, so the queues spread over the masters
 * (BullMQ docs, "Redis Cluster"). One server keeps the plain prefix, so an upgrade leaves the
 * jobs already queued where the workers look for them.
 */
export function queuePrefix(config: RedisTarget & { REDIS_PREFIX: string }, queue: string): string {
  return isClusterTarget(config) ? `{${config.REDIS_PREFIX}:${queue}}` : config.REDIS_PREFIX;
}

/** The queues this process produces to; `prefixOf` (queuePrefix) keeps test files' queues apart. */
/**
 * Every job added while a traced request or job runs carries its `traceparent`, so the worker's
 * span continues that trace (src/telemetry). Done here, on the four queues, rather than at each
 * of the places (domain included) that add jobs. Nothing is added when tracing is off.
 */
function carryTrace(q: Queue): void {
  const add = q.add.bind(q);
  const addBulk = q.addBulk.bind(q);
  q.add = ((name: string, data: unknown, opts?: unknown) => add(name, injectTrace(data), opts as never)) as typeof q.add;
  q.addBulk = ((jobs: { name: string; data: unknown; opts?: unknown }[]) => addBulk(jobs.map((j) => ({ ...j, data: injectTrace(j.data) })) as never)) as typeof q.addBulk;
}

export function createQueues(connection: ConnectionOptions, prefixOf: (queue: string) => string): Queues {
  const outbound = new Queue<OutboundJob>(QUEUE_NAMES.outbound, {
    connection,
    prefix: prefixOf(QUEUE_NAMES.outbound),
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // Answer jobs wait while a live process still answers (its lease is renewed), so they retry
  // often and evenly; the delay of the first attempt is set per job (one lease and more).
  const inboxAnswer = new Queue<InboxAnswerJob>(QUEUE_NAMES.inboxAnswer, {
    connection,
    prefix: prefixOf(QUEUE_NAMES.inboxAnswer),
    defaultJobOptions: { attempts: 30, backoff: { type: 'fixed', delay: 2000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
  // Journey steps: retries are decided per job (the engine records the final failure itself).
  const journey = new Queue<JourneyJob>(QUEUE_NAMES.journey, {
    connection,
    prefix: prefixOf(QUEUE_NAMES.journey),
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  });
  const journeyControl = new Queue<JourneyControlJob>(QUEUE_NAMES.journeyControl, {
    connection,
    prefix: prefixOf(QUEUE_NAMES.journeyControl),
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } },
  });
  // A queue re-emits its connection's errors; the connection reports an outage once (src/redis.ts).
  for (const q of [outbound, inboxAnswer, journey, journeyControl]) {
    q.on('error', () => undefined);
    carryTrace(q);
  }
  return {
    outbound,
    inboxAnswer,
    journey,
    journeyControl,
    async close() {
      await Promise.all([outbound.close(), inboxAnswer.close(), journey.close(), journeyControl.close()]);
    },
  };
}
