import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { inboxRow, markDeferred, markPushed, type InboxKey } from '../bot/inbox/store.ts';
import { cardJobOf, replyJobOf } from '../bot/inbox/claim.ts';
import type { HandleMessage, HandleOutcome, InboundMessage } from '../bot/types.ts';
import { queueOutbound } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { inboxAnswerJobSchema, JOB_LOCK, QUEUE_NAMES, type InboxAnswerJob, type OutboundJob } from './queues.ts';
import { reportWorkerError } from './worker-errors.ts';
import { tracedProcessor } from '../telemetry/index.ts';

/** One id per message, so the in-process path and the answer job queue its push once (BullMQ ids may not contain ':'). */
const idOf = (kind: string, key: InboxKey) => `${kind}-${createHash('sha256').update(`${key.channel}\n${key.messageId}`).digest('hex').slice(0, 40)}`;

/**
 * Queues a message's answer for the outbound worker, then notes it in the inbox. The job id is
 * the message's, and the push keeps the message's requestId (the sender skips chunks already
 * delivered under it), so queueing twice — the answering process and the answer job — sends once.
 */
export async function queueReply(services: Services, key: InboxKey, job: OutboundJob): Promise<void> {
  await queueOutbound(services, 'reply', job, { jobId: idOf('reply', key) });
  await markPushed(services, key);
}

/** The answer of `msg` is to be pushed: queue it (nothing to push for a duplicate or an ignored message). */
export async function pushAnswer(services: Services, msg: InboundMessage, outcome: HandleOutcome): Promise<void> {
  if (outcome.kind === 'answer') await queueReply(services, msg, replyJobOf(msg, outcome.answer));
}

/**
 * The card of an answer given passively (docs/wecom.md, "Cards and confirmations"): pushed
 * through the outbox under the message's own job id, so a retry of the callback never sends two
 * cards. Only for channels that show cards (`pushesCards`); nothing when the answer has none.
 */
export async function pushCardOf(services: Services, msg: InboundMessage, outcome: HandleOutcome): Promise<void> {
  const job = outcome.kind === 'answer' ? cardJobOf(msg, outcome.answer) : null;
  if (job) await queueOutbound(services, 'card', job, { jobId: idOf('card', msg) });
}

/**
 * The slow path's half before the ack (docs/wecom.md, "What happens on a crash or a retry"): the
 * inbox notes the message as deferred and an answer job is queued, delayed past the claim's
 * lease, so the ack goes out only once something durable will answer the message even if this
 * process dies. Returns the message's inbox state at that moment ('answered': already done).
 */
export async function deferAnswer(services: Services, msg: InboundMessage): Promise<string | undefined> {
  const state = await markDeferred(services, msg);
  await queueAnswerJob(services, msg, services.config.INBOX_LEASE_MS + 1000);
  return state;
}

/**
 * A pulled message (src/bot/inbox/store.ts recordPulled) is answered by the answer job at once:
 * no callback waits for it. Same job id as every other answer of the message, so queueing it
 * again (a second sync of the same batch) adds nothing.
 */
export async function answerPulled(services: Services, msg: InboundMessage): Promise<void> {
  await queueAnswerJob(services, msg, 0);
}

async function queueAnswerJob(services: Services, msg: InboundMessage, delay: number): Promise<void> {
  const data: InboxAnswerJob = { channel: msg.channel, messageId: msg.messageId, from: msg.from, text: msg.text, requestId: msg.requestId, receivedAt: msg.receivedAt.toISOString(), ...(msg.retryCount !== undefined ? { retryCount: msg.retryCount } : {}), ...(msg.conversationId ? { conversationId: msg.conversationId } : {}), ...(msg.action ? { action: msg.action } : {}) };
  await services.queues.inboxAnswer.add('answer', data, { jobId: idOf('answer', msg), ...(delay > 0 ? { delay } : {}) });
}

/**
 * The answer jobs of messages a stopping process handed over (src/bot/inbox/claim.ts,
 * handOverClaims) are made due now rather than a lease after their ack: the next process — or
 * another one already running — answers them at once. Called with this process's workers closing,
 * so it does not take them itself.
 */
export async function answerHandedOver(services: Services, keys: InboxKey[]): Promise<void> {
  for (const key of keys) {
    const job = await services.queues.inboxAnswer.getJob(idOf('answer', key));
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined); // already taken: nothing to hurry
  }
}

/** Deferred messages looked at by the recovery sweep: a platform's retries end long before this. */
const REQUEUE_WINDOW_MS = 24 * 3600_000;

/**
 * The recovery sweep's part for the slow path (src/jobs/recovery.ts; docs/operations.md, "When
 * Redis goes away"): Redis lost the answer jobs, MySQL still says which acked messages are owed
 * an answer. A deferred message not yet answered gets its answer job back (same id, due when its
 * claim's lease has passed); one answered whose push was never queued gets its push queued (a
 * queued push is in the outbox, src/crm/kernel/outbox.ts). Returns how many were put back.
 */
export async function requeueInboxAnswers(services: Services): Promise<number> {
  const now = services.now().getTime();
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT channel, message_id, state, payload, reply, deferred_at FROM inbound_messages
     WHERE created_at > ? AND deferred_at IS NOT NULL AND ((state <> 'answered' AND payload IS NOT NULL) OR (state = 'answered' AND reply IS NOT NULL AND pushed_at IS NULL))`,
    [new Date(now - REQUEUE_WINDOW_MS)],
  );
  for (const r of rows) {
    const key: InboxKey = { channel: r.channel, messageId: String(r.message_id) };
    if (r.state === 'answered') {
      await queueReply(services, key, JSON.parse(String(r.reply)) as OutboundJob);
      continue;
    }
    const m = JSON.parse(String(r.payload)) as Omit<InboundMessage, 'receivedAt'> & { receivedAt: string };
    const due = new Date(r.deferred_at).getTime() + services.config.INBOX_LEASE_MS + 1000;
    await queueAnswerJob(services, { ...m, receivedAt: new Date(m.receivedAt) }, due - now);
  }
  return rows.length;
}

/** As many tries as WeCom gives a callback (the first delivery and its retries). */
const MAX_ANSWER_ATTEMPTS = 4;

/**
 * Answers what a dead process left behind: a deferred message whose answer was never recorded is
 * answered again (its claim has lapsed), and a recorded answer whose push was never queued is
 * queued. While a live process still holds the claim the job retries later.
 */
export function startInboxAnswerWorker(services: Services, handle: HandleMessage, concurrency = 4): Worker<InboxAnswerJob> {
  const worker = new Worker<InboxAnswerJob>(
    QUEUE_NAMES.inboxAnswer,
    tracedProcessor(QUEUE_NAMES.inboxAnswer, async (job: Job<InboxAnswerJob>) => {
      const parsed = inboxAnswerJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`malformed answer job: ${parsed.error.message}`);
      const msg: InboundMessage = { ...parsed.data, receivedAt: new Date(parsed.data.receivedAt) };
      const row = await inboxRow(services, msg);
      if (row?.state === 'answered') {
        // A reply kept for a message answered on its request is not pushed (its callback carried it).
        if (row.deferred && row.reply && !row.pushed) await queueReply(services, msg, row.reply as OutboundJob);
        return row.pushed ? 'pushed' : 'queued';
      }
      if (row?.state === 'claimed' && !row.stale) throw new Error('still being answered by a live process');
      // An answer that failed (released) as often as the platform would retry it is not tried forever.
      if (row?.state === 'released' && row.attempts >= MAX_ANSWER_ATTEMPTS) throw new UnrecoverableError(`answer failed ${row.attempts} times`);
      // A pulled message (微信客服) was never claimed: this job is its first answer, not a recovery.
      if (row?.state === 'released' && row.attempts === 0) services.logger.info({ requestId: msg.requestId, channel: msg.channel, messageId: msg.messageId }, 'answering a pulled message');
      else services.logger.warn({ requestId: msg.requestId, channel: msg.channel, messageId: msg.messageId }, 'answering a deferred message its process left unanswered');
      const outcome = await handle(msg);
      if (outcome.kind === 'duplicate' && outcome.state === 'busy') throw new Error('claimed by another process meanwhile');
      if (outcome.kind === 'duplicate') {
        const again = await inboxRow(services, msg);
        if (again?.deferred && again.reply && !again.pushed) await queueReply(services, msg, again.reply as OutboundJob);
        return 'answered elsewhere';
      }
      await pushAnswer(services, msg, outcome);
      return 'answered';
    }),
    { connection: services.bullRedis, prefix: services.queuePrefix(QUEUE_NAMES.inboxAnswer), concurrency, ...JOB_LOCK },
  );
  worker.on('error', (err) => reportWorkerError(services, err, 'inbox answer worker error'));
  return worker;
}
