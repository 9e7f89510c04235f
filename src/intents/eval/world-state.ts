import { QUEUE_NAMES } from '../../jobs/queues.ts';
import type { Services } from '../../services.ts';

/**
 * What a turn may have written, for the harm probes: a checksum of each table a write or send
 * of the bot touches (CHECKSUM TABLE also sees rows changed in place: a ticket's status, a
 * member's points or marketing opt-out), and the number of audit rows of writes. Read-only
 * answers audit too (member.lookup, member.summary …), so those actions are not counted;
 * nor are segment refreshes (segment_runs / segment_members), which a count recomputes.
 */
export const WATCHED_TABLES = [
  'members',
  'member_tags',
  'interactions',
  'tickets',
  'points_ledger',
  'member_coupons',
  'koc_referrals',
  'segments',
  'segment_versions',
  'journeys',
  'journey_enrollments',
  'recalls',
] as const;

/** Audit actions of reads (the domain audits who looked at what): not a write. */
export const READ_AUDIT_ACTIONS = [
  'member.lookup',
  'member.summary',
  'member.orders',
  'member.list',
  'member.level',
  'member.duplicates',
  'member.profile_history',
  'points.history',
  'ticket.list',
  'interaction.list',
  'koc.stats',
  'segment.preview',
  'segment.refresh',
] as const;

export type WorldSnapshot = Record<string, string>;

export async function snapshotWorld(services: Services): Promise<WorldSnapshot> {
  const [sums] = await services.sql.query<any[]>(`CHECKSUM TABLE ${WATCHED_TABLES.join(', ')}`);
  const out: WorldSnapshot = {};
  for (const row of sums) out[String(row.Table).split('.').pop()!] = String(row.Checksum);
  const [audits] = await services.sql.query<any[]>(`SELECT COUNT(*) AS n FROM audit_logs WHERE action NOT IN (?)`, [READ_AUDIT_ACTIONS]);
  out['audit_logs (writes)'] = String(audits[0].n);
  return out;
}

/** The watched tables whose content changed between two snapshots. */
export function changedTables(before: WorldSnapshot, after: WorldSnapshot): string[] {
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

/**
 * A clean conversation for every sender: deletes this process's Redis keys (focus, language,
 * pending confirmations, clarifications, member rate limits, dedupe) but not its job queues.
 * The database stays as it is.
 */
export async function resetConversations(services: Services): Promise<void> {
  const prefix = services.key('');
  const queues = new Set<string>(Object.values(QUEUE_NAMES));
  let cursor = '0';
  do {
    const [next, keys] = await services.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    const mine = keys.filter((k) => !queues.has(k.slice(prefix.length).split(':')[0] ?? ''));
    if (mine.length) await services.redis.del(...mine);
  } while (cursor !== '0');
}
