import { parseSegmentTree, purgeOldExports, refreshSegment, type RunResult } from '../crm/insights/index.ts';
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
    where: { kind: 'dynamic', OR: [{ lastRunAt: null }, { lastRunAt: { lte: staleBefore } }] },
    orderBy: [{ lastRunAt: 'asc' }, { id: 'asc' }],
  });
  const summary: SegmentRefreshSummary = { refreshed: [], failed: [], purgedExports: 0 };
  for (const seg of due) {
    try {
      summary.refreshed.push(await refreshSegment(services, { id: seg.id, tree: parseSegmentTree(seg.tree), storeId: seg.storeId }, 'schedule'));
    } catch (e) {
      services.logger.warn({ segmentId: seg.id, err: (e as Error).message }, 'segment refresh failed');
      summary.failed.push({ segmentId: seg.id, error: (e as Error).message });
    }
  }
  if (opts.exportMaxAgeMs !== null) summary.purgedExports = await purgeOldExports(opts.exportDir, opts.exportMaxAgeMs ?? 24 * 3600 * 1000);
  return summary;
}

/** Hourly by default; see repeatable.ts for the scheduling. */
export function startSegmentRefresh(services: Services, opts: SegmentRefreshOptions & { everyMs?: number } = {}): Promise<Repeatable> {
  return startRepeatable(services, {
    queue: SEGMENT_REFRESH_QUEUE,
    everyMs: opts.everyMs ?? 3600 * 1000,
    run: async () => {
      const s = await processSegmentRefresh(services, opts);
      return { refreshed: s.refreshed.length, failed: s.failed.length, purgedExports: s.purgedExports };
    },
  });
}
