import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { channelSchema } from '../bot/types.ts';

/** A text to deliver outside the request: the slow path of a callback, alerts, later journeys. */
export const outboundJobSchema = z.object({
  channel: channelSchema,
  to: z.string().min(1),
  text: z.string().min(1),
  requestId: z.string().optional(),
});
export type OutboundJob = z.infer<typeof outboundJobSchema>;

export const QUEUE_NAMES = { outbound: 'outbound' } as const;

export interface Queues {
  outbound: Queue<OutboundJob>;
  close(): Promise<void>;
}

/** The queues this process produces to; `prefix` keeps test files' queues apart. */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const outbound = new Queue<OutboundJob>(QUEUE_NAMES.outbound, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return {
    outbound,
    async close() {
      await outbound.close();
    },
  };
}
