import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';

/** A text to push to WeCom users through message/send (the slow path of a callback). */
export const wecomSendJobSchema = z.object({
  touser: z.string().min(1),
  text: z.string().min(1),
  requestId: z.string().optional(),
});
export type WeComSendJob = z.infer<typeof wecomSendJobSchema>;

export const QUEUE_NAMES = { wecomSend: 'wecom-send' } as const;

export interface Queues {
  wecomSend: Queue<WeComSendJob>;
  close(): Promise<void>;
}

/** The queues this process produces to; `prefix` keeps test files' queues apart. */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const wecomSend = new Queue<WeComSendJob>(QUEUE_NAMES.wecomSend, {
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
    wecomSend,
    async close() {
      await wecomSend.close();
    },
  };
}
