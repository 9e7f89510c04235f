import type { Pool, RowDataPacket } from 'mysql2/promise';
import { notFound } from '../kernel/index.ts';
import { failureById, listFailures, requeueFailures, type FailureRow } from './failures.ts';
import { readStates } from './state.ts';

/**
 * The sync monitor (CRM17): per connection and object, the status, the stage its stream is in,
 * the cursor, the last success, the lag — now minus the oldest change not yet applied on the
 * other side (in the change feed after the cursor, or held by an open failure) — and the counts
 * of pending, retrying and dead; the dead letters with their error; retry one or all.
 */
export const LAG_ALERT_SECONDS = 300;

export interface ObjectStatus {
  connection: string;
  object: string;
  direction: 'outbound' | 'inbound';
  status: 'ok' | 'lagging' | 'failing';
  stage: string;
  cursor: string | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  /** Seconds; 0 when nothing waits. */
  lag: number;
  pending: number;
  retrying: number;
  dead: number;
}

const OUTBOUND_OBJECTS = ['member', 'tag', 'order', 'refund', 'follow_up'];

export async function syncStatus(sql: Pool, connection: string, now: Date): Promise<ObjectStatus[]> {
  const states = await readStates(sql, connection);
  const out = states.get('outbound');
  const cursor = Number(out?.cursor ?? 0);
  const [feed] = await sql.query<RowDataPacket[]>('SELECT object_type, COUNT(*) AS n, MIN(changed_at) AS oldest FROM change_feed WHERE id > ? GROUP BY object_type', [cursor]);
  const [fails] = await sql.query<RowDataPacket[]>("SELECT direction, object_type, status, COUNT(*) AS n, MIN(changed_at) AS oldest FROM sync_failures WHERE connection = ? AND status <> 'resolved' GROUP BY direction, object_type, status", [connection]);
  const [[inbound]] = await sql.query<RowDataPacket[]>("SELECT COUNT(*) AS n, MIN(event_at) AS oldest FROM sync_inbound_events WHERE connection = ? AND status = 'pending'", [connection]);
  const failOf = (direction: string, type: string) => {
    const rows = fails.filter((f) => f.direction === direction && f.object_type === type);
    const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    const oldest = rows.map((r) => new Date(r.oldest).getTime());
    return { retrying: n('retrying'), dead: n('dead'), oldest: oldest.length ? Math.min(...oldest) : null };
  };
  const entry = (object: string, direction: 'outbound' | 'inbound', pending: number, oldestPending: number | null, f: ReturnType<typeof failOf>, stream = direction === 'outbound' ? out : states.get('inbound')): ObjectStatus => {
    const oldest = [oldestPending, f.oldest].filter((x): x is number => x !== null);
    const lag = oldest.length ? Math.max(0, Math.round((now.getTime() - Math.min(...oldest)) / 1000)) : 0;
    return {
      connection,
      object,
      direction,
      status: f.dead > 0 ? 'failing' : lag > LAG_ALERT_SECONDS ? 'lagging' : 'ok',
      stage: stream?.stage ?? 'idle',
      cursor: stream?.cursor ?? null,
      lastSuccessAt: stream?.lastSuccessAt ?? null,
      lastError: stream?.lastError ?? null,
      lag,
      pending,
      retrying: f.retrying,
      dead: f.dead,
    };
  };
  const list = OUTBOUND_OBJECTS.map((o) => {
    const row = feed.find((r) => r.object_type === o);
    return entry(o, 'outbound', Number(row?.n ?? 0), row ? new Date(row.oldest).getTime() : null, failOf('outbound', o));
  });
  const rec = states.get('reconcile');
  const contact = entry('contact', 'inbound', Number(inbound?.n ?? 0), inbound?.oldest ? new Date(inbound.oldest).getTime() : null, failOf('inbound', 'contact'));
  // The inbound entry shows reconciliation's cursor (the checkpoint of the periodic catch-up).
  list.push({ ...contact, cursor: rec?.cursor ?? null, lastSuccessAt: contact.lastSuccessAt ?? rec?.lastSuccessAt ?? null });
  return list;
}

export { listFailures, type FailureRow };

/** One failure due now with a fresh round of attempts (the worker's next run takes it). */
export async function retryFailure(sql: Pool, id: number, now: Date): Promise<FailureRow> {
  const f = await failureById(sql, id);
  if (!f || f.status === 'resolved') throw notFound('sync_failure_not_found', `没有待处理的同步失败记录 ${id}。`);
  await requeueFailures(sql, now, id);
  return (await failureById(sql, id))!;
}

/** Every open failure due now; how many. */
export const retryAllFailures = (sql: Pool, now: Date) => requeueFailures(sql, now);
