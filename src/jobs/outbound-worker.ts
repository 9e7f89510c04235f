import { UnrecoverableError, Worker } from 'bullmq';
import type { Channel } from '../bot/types.ts';
import type { ChannelAdapter } from '../channels/types.ts';
import { isAppError } from '../errors.ts';
import type { Services } from '../services.ts';
import { outboundJobSchema, QUEUE_NAMES, type OutboundJob } from './queues.ts';

/**
 * Delivers queued texts through the channel's push (thin: the channel adapters do the work).
 * Retryable failures are rethrown so BullMQ retries with backoff; permanent ones (a bad
 * recipient, an untrusted IP) become UnrecoverableError so they are not retried in vain.
 */
export function startOutboundWorker(services: Services, adapters: Partial<Record<Channel, ChannelAdapter>>, concurrency = 4): Worker<OutboundJob> {
  const worker = new Worker<OutboundJob>(
    QUEUE_NAMES.outbound,
    async (job) => {
      const parsed = outboundJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`malformed outbound job: ${parsed.error.message}`);
      const { channel, to, text, requestId } = parsed.data;
      const adapter = adapters[channel];
      if (!adapter?.push) throw new UnrecoverableError(`channel ${channel} cannot push messages (not configured?)`);
      try {
        await adapter.push(to, text, requestId);
      } catch (e) {
        if (isAppError(e) && !e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
        throw e;
      }
    },
    { connection: services.bullRedis, prefix: services.config.REDIS_PREFIX, concurrency },
  );
  worker.on('failed', (job, err) => services.logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message, requestId: job?.data.requestId }, 'outbound job failed'));
  worker.on('error', (err) => services.logger.error({ err }, 'outbound worker error'));
  return worker;
}
