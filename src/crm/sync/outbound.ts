import type { RowDataPacket } from 'mysql2/promise';
import { SyncCallError } from './connector.ts';
import { inParallel, type SyncCtx } from './context.ts';
import { sendsOut, type SyncObject } from './fields.ts';
import { openFailureIds, recordFailure, resolveFailures } from './failures.ts';
import { mapIds, mappingsByLocal, markRegistered, type Mapping } from './id-map.ts';
import { hashOf, readLedgers, writeLedger, writeLedgers, type Ledger } from './ledger.ts';
import { activitySnapshots, memberSnapshots, type ActivitySnapshot, type MemberSnapshot } from './snapshot.ts';
import { readCursor, saveState } from './state.ts';
import { resolveRemoteWins } from './remote-wins.ts';

/**
 * Outbound: the change feed after the connection's cursor, a page at a time. Per page the
 * members touched (their own changes, and those of their orders, refunds, tags and follow-ups,
 * which move their figures) are read once and pushed — changed fields only, by the ledger — and
 * then the timeline entries. A failure is recorded per object (sync_failures: retried with
 * backoff, dead letter at the end) and never holds the cursor, so one bad object does not stop
 * the rest; the cursor is saved after every page (the checkpoint).
 */
const PAGE = 1000;

interface FeedRow {
  id: number;
  objectType: string;
  objectId: string;
  memberId: number | null;
  changedAt: Date;
}

const errorOf = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e), retryable: e instanceof SyncCallError ? e.retryable : true });
/** Our id as the other system's third-party id: the member number, stable across everything. */
export const thirdIdOf = (s: MemberSnapshot) => s.fields.member_no ?? `member-${s.id}`;

export interface PushResult {
  changes: number;
  members: number;
  activities: number;
  failed: number;
}

export async function pushChanges(ctx: SyncCtx, opts: { maxPages?: number } = {}): Promise<PushResult> {
  const { services, connector } = ctx;
  const out: PushResult = { changes: 0, members: 0, activities: 0, failed: 0 };
  let cursor = Number((await readCursor(services.sql, connector.name, 'outbound')) ?? 0);
  for (let page = 0; page < (opts.maxPages ?? 50); page++) {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, object_type, object_id, member_id, changed_at FROM change_feed WHERE id > ? ORDER BY id LIMIT ?', [cursor, PAGE]);
    if (!rows.length) break;
    await saveState(services.sql, connector.name, 'outbound', services.now(), { stage: 'pushing' });
    const all: FeedRow[] = rows.map((r) => ({ id: Number(r.id), objectType: String(r.object_type), objectId: String(r.object_id), memberId: r.member_id === null ? null : Number(r.member_id), changedAt: r.changed_at }));
    const feed = beforeGap(all, cursor, services.now());
    if (!feed.length) break;
    const r = await deliverFeed(ctx, feed);
    out.changes += feed.length;
    out.members += r.members;
    out.activities += r.activities;
    out.failed += r.failed;
    cursor = feed[feed.length - 1]!.id;
    await saveState(services.sql, connector.name, 'outbound', services.now(), { cursor: String(cursor), stage: 'idle', success: true });
    if (rows.length < PAGE || feed.length < all.length) break;
  }
  return out;
}

/**
 * Feed ids are taken when a row is inserted, not when its transaction commits: a gap in the ids
 * read is a transaction still in flight (or one rolled back). Moving the cursor past it would
 * skip that change for good, so a page stops at the first gap — until the gap fills, or the row
 * after it is GAP_GRACE_MS old (no transaction writing the feed runs that long: the gap was a
 * rollback, which also consumes ids).
 */
const GAP_GRACE_MS = 30_000;

function beforeGap(rows: FeedRow[], cursor: number, now: Date): FeedRow[] {
  let prev = cursor;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (prev > 0 && row.id !== prev + 1 && now.getTime() - new Date(row.changedAt).getTime() < GAP_GRACE_MS) return rows.slice(0, i);
    prev = row.id;
  }
  return rows;
}

const enabled = (ctx: SyncCtx, o: string) => ctx.rules.objects.includes(o as SyncObject);

/** Delivers one page of the feed (also used by retries, with rows made from failures). */
export async function deliverFeed(ctx: SyncCtx, feed: FeedRow[]): Promise<{ members: number; activities: number; failed: number }> {
  const memberChanged = new Map<number, Date>();
  const acts = new Map<string, { type: 'order' | 'refund' | 'follow_up'; id: string; changedAt: Date }>();
  for (const f of feed) {
    if (!enabled(ctx, f.objectType === 'koc_referral' ? 'member' : f.objectType)) continue;
    if (f.memberId !== null && !memberChanged.has(f.memberId)) memberChanged.set(f.memberId, f.changedAt);
    if (f.objectType === 'order' || f.objectType === 'refund' || f.objectType === 'follow_up') acts.set(`${f.objectType}:${f.objectId}`, { type: f.objectType, id: f.objectId, changedAt: f.changedAt });
  }
  let failed = 0;
  const actSnaps = await activitySnapshots(ctx.services.sql, {
    order: [...acts.values()].filter((a) => a.type === 'order').map((a) => a.id),
    refund: [...acts.values()].filter((a) => a.type === 'refund').map((a) => a.id),
    follow_up: [...acts.values()].filter((a) => a.type === 'follow_up').map((a) => a.id),
  });
  // A timeline entry needs its member's contact: the member goes first, in this same page.
  for (const [key, list] of actSnaps) for (const a of list) if (!memberChanged.has(a.memberId)) memberChanged.set(a.memberId, acts.get(key)!.changedAt);
  const memberIds = [...memberChanged.keys()];
  const pushed = await pushMembers(ctx, memberIds, memberChanged);
  failed += pushed.failed;
  const actList = [...acts.entries()].map(([key, a]) => ({ key, ...a, snaps: actSnaps.get(key) ?? [] }));
  const actResult = await pushActivities(ctx, actList);
  failed += actResult.failed;
  return { members: memberIds.length, activities: actResult.sent, failed };
}

type LedgerEntry = { objectId: string; field: string; hash: string | null };

/**
 * Pushes members (changed fields only), ctx.concurrency calls at a time; per member: success
 * resolves its failure, an error records one. The ledger entries of the members updated are
 * written in one statement after the page's calls (a crash before it re-sends the same values —
 * an edit is idempotent); a contact created is mapped and recorded at once (not idempotent).
 */
export async function pushMembers(ctx: SyncCtx, ids: number[], changedAt: Map<number, Date>): Promise<{ failed: number }> {
  const { services, connector } = ctx;
  if (!ids.length) return { failed: 0 };
  const snaps = await memberSnapshots(services.sql, ids);
  const keys = ids.map(String);
  const ledgers = await readLedgers(services.sql, connector.name, 'member', keys);
  const maps = await mappingsByLocal(services.sql, connector.name, 'member', keys);
  let failed = 0;
  const ok: string[] = [];
  const agreed: LedgerEntry[] = [];
  await inParallel(ids, ctx.concurrency, async (id) => {
    const snap = snaps.get(id);
    if (!snap) return; // gone for good (never happens: members are not deleted, only marked)
    try {
      const entries = await pushMember(ctx, snap, ledgers.get(String(id)) ?? new Map(), maps.get(String(id)) ?? null);
      agreed.push(...entries.map(([field, hash]) => ({ objectId: String(id), field, hash })));
      ok.push(String(id));
    } catch (e) {
      failed++;
      await recordFailure(services.sql, { connection: connector.name, direction: 'outbound', objectType: 'member', objectId: String(id), ...errorOf(e), changedAt: changedAt.get(id) ?? services.now() }, services.now());
    }
  });
  await writeLedgers(services.sql, connector.name, 'member', agreed, services.now());
  await resolveFailures(services.sql, connector.name, 'outbound', 'member', ok, services.now());
  return { failed };
}

/** One member: create (or adopt) its contact, or send what moved; the ledger entries of what was sent (for the caller to write). */
async function pushMember(ctx: SyncCtx, snap: MemberSnapshot, ledger: Ledger, mapping: Mapping | null): Promise<[string, string | null][]> {
  const { services, connector, rules } = ctx;
  const now = () => services.now();
  const key = String(snap.id);
  if (mapping?.unlinkedAt) return []; // its contact was deleted over there: nothing is pushed until relinked (docs/sync.md)
  const outFields = Object.fromEntries(Object.entries(snap.fields).filter(([f]) => sendsOut(rules.fields[f])));
  const tagsOut = sendsOut(rules.fields.tags) && ctx.rules.objects.includes('tag');
  if (snap.deleted) {
    if (mapping && ledger.get('_discarded') === undefined) {
      await connector.discardContact(mapping.remoteId);
      await writeLedger(services.sql, connector.name, 'member', key, [['_discarded', hashOf('1')]], now());
    }
    return [];
  }
  let remoteId = mapping?.remoteId ?? null;
  if (!remoteId) {
    // Adopt a contact already there (ours from a run cut short, or made by hand) before creating: no duplicates.
    remoteId = await connector.findContact({ thirdId: thirdIdOf(snap), phone: snap.fields.phone ?? null });
    if (remoteId) await connector.updateContact(remoteId, outFields);
    else remoteId = await connector.createContact(outFields, tagsOut ? snap.tags : []);
    await mapIds(services.sql, connector.name, 'member', key, remoteId, now());
    await connector.registerThirdId(remoteId, thirdIdOf(snap));
    await markRegistered(services.sql, connector.name, 'member', key);
    const entries: [string, string | null][] = Object.entries(outFields).map(([f, v]) => [f, hashOf(v)]);
    if (tagsOut) entries.push(...snap.tags.map((t): [string, string] => [`tag:${t}`, hashOf('1')]));
    await writeLedger(services.sql, connector.name, 'member', key, entries, now());
    return [];
  }
  if (mapping && !mapping.registered) {
    await connector.registerThirdId(remoteId, thirdIdOf(snap));
    await markRegistered(services.sql, connector.name, 'member', key);
  }
  let changed = Object.fromEntries(Object.entries(outFields).filter(([f, v]) => ledger.get(f) !== hashOf(v)));
  // A field the other side owns, changed here while it changed there too: theirs wins (logged).
  const contested = Object.keys(changed).filter((f) => rules.fields[f]?.owner === 'remote' && rules.fields[f]?.direction === 'both' && ledger.has(f));
  if (contested.length) {
    const lost = await resolveRemoteWins(ctx, snap, remoteId, contested, ledger);
    changed = Object.fromEntries(Object.entries(changed).filter(([f]) => !lost.includes(f)));
  }
  const entries: [string, string | null][] = [];
  if (Object.keys(changed).length) {
    await connector.updateContact(remoteId, changed);
    entries.push(...Object.entries(changed).map(([f, v]): [string, string] => [f, hashOf(v)]));
  }
  if (tagsOut) {
    const had = [...ledger.keys()].filter((k) => k.startsWith('tag:')).map((k) => k.slice(4));
    const add = snap.tags.filter((t) => !had.includes(t));
    const remove = had.filter((t) => !snap.tags.includes(t));
    if (add.length || remove.length) {
      await connector.updateTags(remoteId, add, remove);
      entries.push(...add.map((t): [string, string] => [`tag:${t}`, hashOf('1')]), ...remove.map((t): [string, null] => [`tag:${t}`, null]));
    }
  }
  return entries;
}

/** The activity ledger's `sent` field: the entry went (SENT), or an add was started and not confirmed (IN_FLIGHT). */
const SENT = hashOf('1');
const IN_FLIGHT = hashOf('0');

/**
 * Timeline entries, each once: the ledger remembers what went (object `activity`, field `sent`).
 * The entries about to be added are marked in flight in one statement first, and marked sent in
 * one statement after the page's calls; an entry found in flight (a run that died mid-page) or
 * whose earlier attempt failed (an open failure) is looked up on the contact before it is added
 * again — a timeout may have lost the answer of an add that went through.
 */
export async function pushActivities(ctx: SyncCtx, list: { key: string; type: string; id: string; changedAt: Date; snaps: ActivitySnapshot[] }[]): Promise<{ sent: number; failed: number }> {
  const { services, connector } = ctx;
  if (!list.length) return { sent: 0, failed: 0 };
  const before = await readLedgers(services.sql, connector.name, 'activity', list.flatMap((a) => a.snaps.map((s) => s.activity.key)));
  const stateOf = (key: string) => before.get(key)?.get('sent');
  const maps = await mappingsByLocal(services.sql, connector.name, 'member', [...new Set(list.flatMap((a) => a.snaps.map((s) => String(s.memberId))))]);
  const retried = new Map<string, Set<string>>();
  for (const type of new Set(list.map((a) => a.type))) retried.set(type, await openFailureIds(services.sql, connector.name, 'outbound', type, list.filter((a) => a.type === type).map((a) => a.id)));
  const starting = list.flatMap((a) => a.snaps.filter((s) => stateOf(s.activity.key) === undefined && maps.get(String(s.memberId)) && !maps.get(String(s.memberId))!.unlinkedAt));
  await writeLedgers(services.sql, connector.name, 'activity', starting.map((s) => ({ objectId: s.activity.key, field: 'sent', hash: IN_FLIGHT })), services.now());
  let sent = 0;
  let failed = 0;
  const ok = new Map<string, string[]>();
  const went: string[] = [];
  await inParallel(list, ctx.concurrency, async (a) => {
    const todo = a.snaps.filter((s) => stateOf(s.activity.key) !== SENT);
    if (!todo.length) return;
    try {
      for (const s of todo) {
        const mapping = maps.get(String(s.memberId));
        if (mapping?.unlinkedAt) continue;
        if (!mapping) throw new SyncCallError(`member ${s.memberId} has no contact yet`, true);
        const unsure = retried.get(a.type)?.has(a.id) || stateOf(s.activity.key) === IN_FLIGHT;
        const there = unsure ? await connector.hasActivity(mapping.remoteId, s.activity) : false;
        if (!there) await connector.addActivity(mapping.remoteId, s.activity);
        went.push(s.activity.key);
        if (!there) sent++;
      }
      ok.set(a.type, [...(ok.get(a.type) ?? []), a.id]);
    } catch (e) {
      failed++;
      await recordFailure(services.sql, { connection: connector.name, direction: 'outbound', objectType: a.type, objectId: a.id, ...errorOf(e), changedAt: a.changedAt }, services.now());
    }
  });
  await writeLedgers(services.sql, connector.name, 'activity', went.map((key) => ({ objectId: key, field: 'sent', hash: SENT })), services.now());
  for (const [type, ids] of ok) await resolveFailures(services.sql, connector.name, 'outbound', type, ids, services.now());
  return { sent, failed };
}
