import { Queue } from 'bullmq';
import { z } from 'zod';
import { channelSchema } from '../bot/types.ts';
import { countNewSegment, parseSegmentTree, purgeOldExports, refreshSegment, type RunResult } from '../crm/insights/index.ts';
import { queueOutbound } from '../crm/kernel/index.ts';
import { t } from '../i18n/index.ts';
import { stamp } from '../intents/render/segments.ts';
import type { Services } from '../services.ts';
import { startRepeatable, type Repeatable } from './repeatable.ts';

export const SEGMENT_REFRESH_QUEUE = 'segment-refresh';

export interface SegmentRefreshOptions {
  /** Refresh dynamic segments whose last run is older than this (default 6 h). */
  staleAfterMs?: number;
  /** Export files older than this are deleted (default 24 h); null keeps them. */
  exportMaxAgeMs?: number | null;
  exportDir?: string;
}

export interface SegmentRefreshSummary {
  refreshed: RunResult[];
  failed: { segmentId: number; error: string }[];
  purgedExports: number;
}

/**
 * The scheduled re-evaluation of dynamic segments (thin: the work is crm/segments/run.ts).
 * Each segment is refreshed on its own, so one broken tree (e.g. a field removed from the
 * whitelist) is reported and skipped instead of stopping the rest; static snapshots never
 * change. Callable directly (tests, a cron) or from the BullMQ worker below.
 */
export async function processSegmentRefresh(services: Services, opts: SegmentRefreshOptions = {}): Promise<SegmentRefreshSummary> {
  const staleBefore = new Date(services.now().getTime() - (opts.staleAfterMs ?? 6 * 3600 * 1000));
  const due = await services.db.segment.findMany({
    // A segment never run (saved by a chat turn, its count job lost with Redis) is counted here too, static ones included.
    where: { OR: [{ lastRunAt: null }, { kind: 'dynamic', lastRunAt: { lte: staleBefore } }] },
    orderBy: [{ lastRunAt: 'asc' }, { id: 'asc' }],
  });
  const summary: SegmentRefreshSummary = { refreshed: [], failed: [], purgedExports: 0 };
  for (const seg of due) {
    try {
      if (seg.lastRunAt === null) {
        const first = await countNewSegment(services, seg.id);
        if (first?.run) summary.refreshed.push(first.run);
        continue;
      }
      summary.refreshed.push(await refreshSegment(services, { id: seg.id, tree: parseSegmentTree(seg.tree), storeId: seg.storeId }, 'schedule'));
    } catch (e) {
      services.logger.warn({ segmentId: seg.id, err: (e as Error).message }, 'segment refresh failed');
      summary.failed.push({ segmentId: seg.id, error: (e as Error).message });
    }
  }
  if (opts.exportMaxAgeMs !== null) summary.purgedExports = await purgeOldExports(opts.exportDir, opts.exportMaxAgeMs ?? 24 * 3600 * 1000);
  return summary;
}

/**
 * A segment saved by a chat turn (segment.create) is counted here, off the turn: its first run
 * (insights `countNewSegment`: exactly once, whoever comes first — this job, a retry of it, or the
 * scheduled refresh), then the staff member who asked is told the count on the channel they asked
 * on (`notify`; none for the console, which cannot push — their next question shows it).
 */
export const segmentCountJobSchema = z.object({
  kind: z.literal('segment-count'),
  segmentId: z.number().int().positive(),
  notify: z.object({ channel: channelSchema, to: z.string().min(1), lang: z.enum(['zh', 'en']) }).optional(),
});
export type SegmentCountJob = z.infer<typeof segmentCountJobSchema>;

/** Queues the count of a segment just saved (one job per segment: queueing it again adds nothing). */
export async function queueSegmentCount(services: Services, job: SegmentCountJob): Promise<void> {
  const queue = new Queue(SEGMENT_REFRESH_QUEUE, { connection: services.bullRedis, prefix: services.queuePrefix(SEGMENT_REFRESH_QUEUE) });
  try {
    await queue.add('segment-count', job, { jobId: `segment-count-${job.segmentId}`, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
  } finally {
    await queue.close();
  }
}

/** Runs a segment-count job: the first run (if nobody made it yet) and the notice to who asked. Returns the count. */
export async function processSegmentCount(services: Services, job: SegmentCountJob): Promise<{ count: number | null; counted: boolean }> {
  const first = await countNewSegment(services, job.segmentId);
  if (!first) return { count: null, counted: false };
  const { segment, run } = first;
  if (job.notify && segment.lastCount !== null && segment.lastRunAt !== null) {
    const { channel, to, lang } = job.notify;
    const text = t(lang, 'segments.counted', { name: segment.name, count: segment.lastCount, at: stamp(segment.lastRunAt) });
    // One notice per segment (the outbox row and the job id), whichever run of this job gets here.
    await queueOutbound(services, 'segment-counted', { channel, to, text }, { jobId: `segment-counted-${segment.id}` });
  }
  return { count: segment.lastCount, counted: run !== null };
}

/** Hourly by default; see repeatable.ts for the scheduling. A one-off segment-count job rides the same queue and worker. */
export function startSegmentRefresh(services: Services, opts: SegmentRefreshOptions & { everyMs?: number } = {}): Promise<Repeatable> {
  return startRepeatable(services, {
    queue: SEGMENT_REFRESH_QUEUE,
    everyMs: opts.everyMs ?? 3600 * 1000,
    run: async (data) => {
      const count = segmentCountJobSchema.safeParse(data);
      if (count.success) return processSegmentCount(services, count.data);
      const s = await processSegmentRefresh(services, opts);
      return { refreshed: s.refreshed.length, failed: s.failed.length, purgedExports: s.purgedExports };
    },
  });
}
