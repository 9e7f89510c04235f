import { createHash } from 'node:crypto';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { recordChanges, withTransaction } from '../kernel/index.ts';
import { memberIdByPhone } from '../customers/index.ts';
import type { Services } from '../../services.ts';
import { SyncCallError, type InboundEvent, type RemoteContact } from './connector.ts';
import type { SyncCtx } from './context.ts';
import { applyToMember } from './apply.ts';
import { logConflicts, type Conflict } from './conflicts.ts';
import { INBOUND_FIELDS, takesIn } from './fields.ts';
import { recordFailure, resolveFailures } from './failures.ts';
import { mapIds, mappingsByRemote, markSeen, unlink } from './id-map.ts';
import { hashOf, readLedgers, writeLedger, type Ledger } from './ledger.ts';
import { memberSnapshots, type MemberSnapshot } from './snapshot.ts';
import { saveState } from './state.ts';

/**
 * Inbound. The callback stores the raw event and acks (receiveEvents); processing is apart
 * (processInbound). Events are deduplicated on event type + object id + timestamp (a unique key:
 * the other side's retries and duplicates are stored once). An event is a hint: the contact's
 * current state is fetched and applied, so events arriving out of order cannot apply an old
 * state — one older than the newest already applied to that contact is marked stale and skipped.
 * Field by field against the ledger: the ledger's own hash back is our write echoed (dropped);
 * a change on both sides is a conflict won by the field's owner and logged with both values.
 * A deleted contact unlinks its member (kept here); a merge over there remaps, or — when the two
 * contacts were two members here — is logged for a person to merge (no automatic member merge).
 */
export const dedupeKey = (e: Pick<InboundEvent, 'type' | 'objectId' | 'at'>) => createHash('sha1').update(`${e.type}\u0000${e.objectId}\u0000${e.at.getTime()}`).digest('hex');

export async function receiveEvents(services: Services, connection: string, events: InboundEvent[]): Promise<{ stored: number; duplicates: number }> {
  if (!events.length) return { stored: 0, duplicates: 0 };
  const now = services.now();
  const [res] = await services.sql.query<ResultSetHeader>('INSERT IGNORE INTO sync_inbound_events (connection, dedupe_key, event_type, object_id, event_at, raw, status, received_at) VALUES ?', [
    events.map((e) => [connection, dedupeKey(e), e.type.slice(0, 64), e.objectId.slice(0, 128), e.at, e.raw, e.kind === 'ignored' ? 'ignored' : 'pending', now]),
  ]);
  return { stored: res.affectedRows, duplicates: events.length - res.affectedRows };
}

interface Pending {
  id: number;
  type: string;
  objectId: string;
  at: Date;
  raw: string;
}

const BATCH = 200;

async function setStatus(services: Services, ids: number[], status: string): Promise<void> {
  if (ids.length) await services.sql.query('UPDATE sync_inbound_events SET status = ?, processed_at = ? WHERE id IN (?)', [status, services.now(), ids]);
}

/**
 * Applies pending events, oldest first, at most `maxBatches` batches of 200 (a run bounds it, so a
 * flood of callbacks cannot hold the outbound push up: the rest waits for the next run); how
 * many were looked at.
 */
export async function processInbound(ctx: SyncCtx, parse: (raw: string) => InboundEvent | null, opts: { maxBatches?: number } = {}): Promise<number> {
  const { services, connector } = ctx;
  let total = 0;
  for (let batch = 0; batch < (opts.maxBatches ?? Infinity); batch++) {
    const [rows] = await services.sql.query<RowDataPacket[]>("SELECT id, event_type, object_id, event_at, raw FROM sync_inbound_events WHERE connection = ? AND status = 'pending' ORDER BY event_at, id LIMIT ?", [connector.name, BATCH]);
    if (!rows.length) break;
    await saveState(services.sql, connector.name, 'inbound', services.now(), { stage: 'applying' });
    const events: Pending[] = rows.map((r) => ({ id: Number(r.id), type: String(r.event_type), objectId: String(r.object_id), at: r.event_at, raw: String(r.raw) }));
    total += events.length;
    const maps = await mappingsByRemote(services.sql, connector.name, 'member', [...new Set(events.map((e) => e.objectId))]);
    const upserts = new Map<string, Pending[]>();
    for (const e of events) {
      const parsed = parse(e.raw);
      const seen = maps.get(e.objectId)?.remoteSeenAt;
      if (!parsed || parsed.kind === 'ignored') await setStatus(services, [e.id], 'ignored');
      else if (seen && e.at < seen) await setStatus(services, [e.id], 'stale');
      else if (parsed.kind === 'contact_delete') await contactDeleted(ctx, e, maps.get(e.objectId)?.localId ?? null);
      else if (parsed.kind === 'contact_merge') await contactsMerged(ctx, e, parsed.mergedIds ?? []);
      else upserts.set(e.objectId, [...(upserts.get(e.objectId) ?? []), e]);
    }
    if (upserts.size) await applyUpserts(ctx, upserts);
    await saveState(services.sql, connector.name, 'inbound', services.now(), { stage: 'idle', success: true });
    if (rows.length < BATCH) break;
  }
  return total;
}

/** Contacts changed over there: fetched in one call, applied one by one; per event its outcome. */
async function applyUpserts(ctx: SyncCtx, byContact: Map<string, Pending[]>): Promise<void> {
  const { services, connector } = ctx;
  const ids = [...byContact.keys()];
  let contacts: RemoteContact[];
  try {
    contacts = await connector.getContacts(ids);
  } catch (e) {
    // The other side is down: the events stay pending and the failure shows on the monitor.
    await saveState(services.sql, connector.name, 'inbound', services.now(), { stage: 'idle', error: e instanceof Error ? e.message : String(e) });
    for (const id of ids) await recordFailure(services.sql, { connection: connector.name, direction: 'inbound', objectType: 'contact', objectId: id, error: String((e as Error).message ?? e), retryable: true, changedAt: byContact.get(id)![0]!.at }, services.now());
    throw e;
  }
  const found = new Map(contacts.map((c) => [c.remoteId, c]));
  for (const [remoteId, events] of byContact) {
    const newest = events.reduce((a, b) => (b.at > a.at ? b : a));
    const contact = found.get(remoteId);
    try {
      const outcome = contact ? await applyContact(ctx, contact) : 'ignored';
      await markSeen(services.sql, connector.name, 'member', remoteId, newest.at);
      await setStatus(services, events.map((e) => e.id), outcome);
      await resolveFailures(services.sql, connector.name, 'inbound', 'contact', [remoteId], services.now());
    } catch (e) {
      await setStatus(services, events.map((e) => e.id), 'failed');
      await recordFailure(services.sql, { connection: connector.name, direction: 'inbound', objectType: 'contact', objectId: remoteId, error: e instanceof Error ? e.message : String(e), retryable: e instanceof SyncCallError ? e.retryable : true, changedAt: newest.at }, services.now());
    }
  }
}

/** The member of a contact: mapped, else the member with its phone (then mapped); null when none. */
async function memberOf(ctx: SyncCtx, contact: RemoteContact): Promise<number | null> {
  const { services, connector } = ctx;
  const map = (await mappingsByRemote(services.sql, connector.name, 'member', [contact.remoteId])).get(contact.remoteId);
  if (map) return map.unlinkedAt ? null : Number(map.localId);
  const phone = contact.fields.phone;
  const id = phone ? await memberIdByPhone(services.sql, phone) : null;
  if (id === null) return null;
  await mapIds(services.sql, connector.name, 'member', String(id), contact.remoteId, services.now());
  return id;
}

/** One contact's state against the ledger and the member; `applied`, `echo` (nothing new) or `ignored`. */
export async function applyContact(ctx: SyncCtx, contact: RemoteContact): Promise<'applied' | 'echo' | 'ignored'> {
  const { services, connector, rules } = ctx;
  const memberId = await memberOf(ctx, contact);
  if (memberId === null) return 'ignored'; // a contact that is no member of ours (no phone match): not imported
  const key = String(memberId);
  const snap = (await memberSnapshots(services.sql, [memberId])).get(memberId);
  if (!snap || snap.deleted) return 'ignored';
  const ledger = (await readLedgers(services.sql, connector.name, 'member', [key])).get(key) ?? new Map();
  const d = diff(ctx, snap, contact, ledger);
  if (!d.ledger.length && !Object.keys(d.patch).length && !d.tags.add.length && !d.tags.remove.length && !d.conflicts.length) return 'echo';
  // The ledger first: the change feed row the owners write next then finds nothing to push back.
  await writeLedger(services.sql, connector.name, 'member', key, d.ledger, services.now());
  await applyToMember(ctx, memberId, d.patch, d.tags);
  await logConflicts(services.sql, connector.name, d.conflicts, services.now());
  // Ours won somewhere: push it back over theirs.
  if (d.conflicts.some((c) => c.winner === 'local')) await withTransaction(services.sql, (conn) => recordChanges(conn, services.now(), [{ object: 'member', id: memberId, memberId }]));
  return Object.keys(d.patch).length || d.tags.add.length || d.tags.remove.length || d.conflicts.length ? 'applied' : 'echo';
}

function diff(ctx: SyncCtx, snap: MemberSnapshot, contact: RemoteContact, ledger: Ledger) {
  const { rules } = ctx;
  const patch: Record<string, string | null> = {};
  const entries: [string, string | null][] = [];
  const conflicts: Conflict[] = [];
  for (const f of INBOUND_FIELDS) {
    const rule = rules.fields[f];
    if (!takesIn(rule) || !(f in contact.fields)) continue;
    const rv = contact.fields[f] ?? null;
    const rh = hashOf(rv);
    const led = ledger.get(f);
    if (rh === led) continue; // nothing new over there: our own write coming back, or no change
    const lh = hashOf(snap.fields[f]);
    if (rh === lh) {
      entries.push([f, rh]);
      continue;
    }
    const localChanged = led !== undefined && lh !== led;
    if (localChanged) {
      conflicts.push({ objectType: 'member', objectId: String(snap.id), field: f, localValue: snap.fields[f] ?? null, remoteValue: rv, winner: rule!.owner });
      if (rule!.owner === 'local') continue; // ours stays; the ledger keeps the old agreement so ours is pushed
    }
    patch[f] = rv;
    entries.push([f, rh]);
  }
  const tags = { add: [] as string[], remove: [] as string[] };
  if (takesIn(rules.fields.tags) && rules.objects.includes('tag')) {
    const had = new Set([...ledger.keys()].filter((k) => k.startsWith('tag:')).map((k) => k.slice(4)));
    const now = new Set(contact.tags);
    const local = new Set(snap.tags);
    for (const t of now) {
      if (had.has(t)) continue;
      entries.push([`tag:${t}`, hashOf('1')]);
      if (!local.has(t)) tags.add.push(t);
    }
    for (const t of had) {
      if (now.has(t)) continue;
      entries.push([`tag:${t}`, null]);
      if (local.has(t)) tags.remove.push(t);
    }
  }
  return { patch, ledger: entries, conflicts, tags };
}

/** Deleted over there: the member stays here, unlinked (no longer pushed), and the event is logged. */
async function contactDeleted(ctx: SyncCtx, e: Pending, localId: string | null): Promise<void> {
  const { services, connector } = ctx;
  if (localId) {
    await unlink(services.sql, connector.name, 'member', e.objectId, services.now());
    await logConflicts(services.sql, connector.name, [{ objectType: 'member', objectId: localId, field: '_deleted', localValue: localId, remoteValue: e.objectId, winner: 'admin' }], services.now());
  }
  await setStatus(services, [e.id], localId ? 'applied' : 'ignored');
}

/** Contacts merged over there into `e.objectId`. */
async function contactsMerged(ctx: SyncCtx, e: Pending, mergedIds: string[]): Promise<void> {
  const { services, connector } = ctx;
  const maps = await mappingsByRemote(services.sql, connector.name, 'member', [e.objectId, ...mergedIds]);
  const survivor = maps.get(e.objectId);
  for (const id of mergedIds) {
    const m = maps.get(id);
    if (!m) continue;
    if (!survivor) {
      // The survivor is new to us: the merged contact's member now maps to it.
      await mapIds(services.sql, connector.name, 'member', m.localId, e.objectId, services.now());
    } else if (survivor.localId !== m.localId) {
      // Two members here became one contact there: a person decides (merge duplicates here); until then the loser is unlinked.
      await unlink(services.sql, connector.name, 'member', id, services.now());
      await logConflicts(services.sql, connector.name, [{ objectType: 'member', objectId: m.localId, field: '_merged', localValue: `${m.localId}→${survivor.localId}`, remoteValue: `${id}→${e.objectId}`, winner: 'admin' }], services.now());
    }
  }
  await setStatus(services, [e.id], 'applied');
}
