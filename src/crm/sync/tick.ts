import type { RowDataPacket } from 'mysql2/promise';
import { pruneChanges, withTransaction } from '../kernel/index.ts';
import type { InboundEvent } from './connector.ts';
import type { SyncCtx } from './context.ts';
import { processInbound } from './inbound.ts';
import { LAG_ALERT_SECONDS, syncStatus } from './monitor.ts';
import { pushChanges, type PushResult } from './outbound.ts';
import { reconcile } from './reconcile.ts';
import { retryDue } from './retry.ts';
import { readStates, reapStaleStages, saveState } from './state.ts';

/**
 * One run of a connection's sync (the periodic job, src/jobs/sync.ts, every few seconds): under a
 * named lock, so two processes never push the same change twice — the reaper (a stage stuck for
 * ten minutes goes back to idle), inbound events, due retries, the change feed, reconciliation
 * when its interval has passed, then the alert when the lag passes five minutes or dead letters
 * are there (the automation context's sync alert: once per incident, alertIfBehind).
 */
const STALE_STAGE_MS = 10 * 60_000;
/** Inbound events a run applies at most (× 200): the outbound push is not held up by a flood of callbacks. */
const INBOUND_BATCHES_PER_RUN = 5;
/** Change feed rows read by the connection are kept this long, then pruned. */
const KEEP_FEED_MS = 24 * 3600_000;

export interface TickResult {
  ran: boolean;
  inbound: number;
  retried: number;
  pushed: PushResult | null;
  reconciled: boolean;
  reaped: number;
}

export async function runSyncTick(ctx: SyncCtx, parse: (raw: string) => InboundEvent | null, opts: { reconcileEveryMs: number; maxPages?: number }): Promise<TickResult> {
  const { services, connector } = ctx;
  const out: TickResult = { ran: false, inbound: 0, retried: 0, pushed: null, reconciled: false, reaped: 0 };
  const lockConn = await services.sql.getConnection();
  const lock = `sync:${services.config.REDIS_PREFIX}:${connector.name}`.slice(0, 64);
  try {
    const [[got]] = await lockConn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS ok', [lock]);
    if (Number(got?.ok) !== 1) return out;
    out.ran = true;
    try {
      const now = services.now();
      out.reaped = await reapStaleStages(services.sql, connector.name, now, STALE_STAGE_MS);
      out.inbound = await processInbound(ctx, parse, { maxBatches: INBOUND_BATCHES_PER_RUN }).catch((e) => (services.logger.warn({ err: String(e) }, 'sync inbound deferred'), 0));
      out.retried = await retryDue(ctx);
      out.pushed = await pushChanges(ctx, { maxPages: opts.maxPages });
      const rec = (await readStates(services.sql, connector.name)).get('reconcile');
      if (opts.reconcileEveryMs > 0 && (!rec?.lastSuccessAt || now.getTime() - rec.lastSuccessAt.getTime() >= opts.reconcileEveryMs)) {
        await reconcile(ctx).then(
          () => (out.reconciled = true),
          (e) => services.logger.warn({ err: String(e) }, 'sync reconciliation failed; resumes at its checkpoint'),
        );
      }
      await prune(ctx);
      await alertIfBehind(ctx);
    } finally {
      await lockConn.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    lockConn.release();
  }
  return out;
}

/** Feed rows the connection read a day ago or more go. */
async function prune(ctx: SyncCtx): Promise<void> {
  const { services, connector } = ctx;
  const cursor = Number((await readStates(services.sql, connector.name)).get('outbound')?.cursor ?? 0);
  const [[row]] = await services.sql.query<RowDataPacket[]>('SELECT MAX(id) AS id FROM change_feed WHERE id <= ? AND changed_at < ?', [cursor, new Date(services.now().getTime() - KEEP_FEED_MS)]);
  if (row?.id) await withTransaction(services.sql, (conn) => pruneChanges(conn, Number(row.id) + 1));
}

/**
 * The alert, once per incident: when a lag passes five minutes or dead letters wait, staff are
 * told once and the `alert` stream's stage becomes `alerted` (kept in sync_state, so another
 * process or a restart does not tell them again); when everything is back under the limits the
 * stage goes back to idle and the next incident is told again.
 */
async function alertIfBehind(ctx: SyncCtx): Promise<void> {
  if (!ctx.alert) return;
  const { services, connector } = ctx;
  const status = await syncStatus(services.sql, connector.name, services.now());
  const behind = status.filter((s) => s.lag > LAG_ALERT_SECONDS);
  const dead = status.reduce((n, s) => n + s.dead, 0);
  const alerted = (await readStates(services.sql, connector.name)).get('alert')?.stage === 'alerted';
  if (!behind.length && dead === 0) {
    if (alerted) await saveState(services.sql, connector.name, 'alert', services.now(), { stage: 'idle' });
    return;
  }
  if (alerted) return;
  const parts = [...behind.map((s) => `${s.object} 延迟 ${Math.round(s.lag / 60)} 分钟`), ...(dead ? [`${dead} 条同步失败待处理`] : [])];
  await ctx.alert(`${parts.join('；')}。请在同步监控查看并重试（GET /api/crm/sync/status）。`);
  await saveState(services.sql, connector.name, 'alert', services.now(), { stage: 'alerted' });
}
