import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AnswerCard, CardUpdate, Channel } from '../bot/types.ts';
import type { ChannelAdapter } from '../channels/types.ts';
import { isAppError, outboundDone } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { JOB_LOCK, outboundJobSchema, QUEUE_NAMES, type OutboundJob } from './queues.ts';
import { reportWorkerError } from './worker-errors.ts';
import { runTagMirror, TAG_MIRROR_JOB } from './tag-mirror.ts';
import { SpanKind, tracedProcessor, withSpan } from '../telemetry/index.ts';

/** Channels that can push an image after the text (WeCom); structural so ChannelAdapter stays as is. */
interface ImagePush {
  pushImage(to: string, png: Buffer, requestId?: string): Promise<void>;
}

/** Channels that show cards (WeCom template cards): structural like ImagePush. */
interface CardPush {
  pushCard(to: string, card: AnswerCard, requestId?: string): Promise<void>;
  updateCard(to: string, update: CardUpdate, requestId?: string): Promise<void>;
}

/**
 * Delivers queued texts (and an answer's image, where the channel can push one) through the
 * channel's push (thin: the channel adapters do the work).
 * Retryable failures are rethrown so BullMQ retries with backoff; permanent ones (a bad
 * recipient, an untrusted IP) become UnrecoverableError so they are not retried in vain.
 */
export function startOutboundWorker(services: Services, adapters: Partial<Record<Channel, ChannelAdapter>>, concurrency = 4): Worker<OutboundJob> {
  const worker = new Worker<OutboundJob>(
    QUEUE_NAMES.outbound,
    tracedProcessor(QUEUE_NAMES.outbound, async (job: Job<OutboundJob>) => {
      if (job.name === TAG_MIRROR_JOB) {
        // Not a text: the WeCom tag mirror rides this queue and its outbox (src/jobs/tag-mirror.ts).
        try {
          await runTagMirror(services, job.data);
        } catch (e) {
          if (isAppError(e) && !e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
          throw e;
        }
        if (job.id) await outboundDone(services, job.id);
        return;
      }
      const parsed = outboundJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`malformed outbound job: ${parsed.error.message}`);
      const { channel, to, text, requestId, image, card, cardUpdate } = parsed.data;
      const adapter: (ChannelAdapter & Partial<ImagePush> & Partial<CardPush>) | undefined = adapters[channel];
      if (!adapter?.push) throw new UnrecoverableError(`channel ${channel} cannot push messages (not configured?)`);
      try {
        // Text first, then the image. On a retry both skip what an earlier attempt delivered
        // (marks keyed by requestId), so a failed upload never repeats the text.
        if (text) await withSpan(`send ${channel}`, { 'crm.channel': channel }, () => adapter.push!(to, text, requestId), { kind: SpanKind.CLIENT });
        if (image) {
          if (adapter.pushImage) await adapter.pushImage(to, Buffer.from(image.pngBase64, 'base64'), requestId);
          else services.logger.info({ channel, requestId }, 'channel cannot push images: sent the text only');
        }
        // A card after the text (the text alone is complete: it says how to answer by typing), and an answered card's outcome.
        if (card && adapter.pushCard) await adapter.pushCard(to, card, requestId);
        if (cardUpdate && adapter.updateCard) await adapter.updateCard(to, cardUpdate, requestId);
      } catch (e) {
        if (isAppError(e) && !e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
        throw e;
      }
      // Delivered: the outbox row (src/crm/kernel/outbox.ts) need not be put back after a Redis loss.
      if (job.id) await outboundDone(services, job.id);
      // Delivered: drop the PNG from the job BullMQ keeps (removeOnComplete keeps a day of them).
      if (image) await job.updateData({ channel, to, text, requestId, ...(card ? { card } : {}), ...(cardUpdate ? { cardUpdate } : {}) }).catch(() => undefined);
    }),
    { connection: services.bullRedis, prefix: services.queuePrefix(QUEUE_NAMES.outbound), concurrency, ...JOB_LOCK },
  );
  worker.on('failed', (job, err) => {
    services.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message, requestId: job?.data.requestId }, 'outbound job failed');
    // Failed for good (refused, or out of retries): its outbox row goes too, so a Redis loss does not revive it.
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || (job && job.attemptsMade >= (job.opts.attempts ?? 1));
    if (final && job?.id) void outboundDone(services, job.id).catch((e) => services.logger.warn({ err: String(e), jobId: job.id }, 'outbox row not removed'));
  });
  worker.on('error', (err) => reportWorkerError(services, err, 'outbound worker error'));
  return worker;
}
