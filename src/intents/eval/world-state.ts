import { stopRecall } from '../../crm/automation/index.ts';
import { activeStaffActor } from '../../crm/kernel/index.ts';
import { QUEUE_NAMES } from '../../jobs/queues.ts';
import type { Services } from '../../services.ts';
import { deleteKeys, scanKeys } from '../../redis.ts';
import { intents } from '../catalogue.ts';

/**
 * What a turn may have written, for the harm probes: a checksum of each table a write or send
 * of the bot touches (CHECKSUM TABLE also sees rows changed in place: a ticket's status, a
 * member's points or marketing opt-out), and the number of audit rows of writes. Read-only
 * answers audit too (member.lookup, member.summary …), so those actions are not counted;
 * nor are segment refreshes (segment_runs / segment_members), which a count recomputes, nor
 * model tags (member_tags of source 'model'/'rule'), which a scoring run behind an RFM answer
 * recomputes: only manual tags, the ones staff and journeys put on, are watched.
 */
export const WATCHED_TABLES = [
  'members',
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

/**
 * Audit actions of reads (the domain audits who looked at what): not a write. Those named after
 * a read intent of the catalogue (churn.list, insights.health …) are added below, so a new read
 * intent that audits under its own name needs no line here.
 */
const DOMAIN_READ_AUDITS = [
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
  'members.count', // a member count read from the scoring run's per-store figures (insights scores)
  'insights.rfm.analysis', // an RFM analysis on its own grades or window
];
export const READ_AUDIT_ACTIONS: readonly string[] = [...new Set([...DOMAIN_READ_AUDITS, ...intents.filter((i) => i.effect === 'read').map((i) => i.name)])];

export type WorldSnapshot = Record<string, string>;

export async function snapshotWorld(services: Services): Promise<WorldSnapshot> {
  const [sums] = await services.sql.query<any[]>(`CHECKSUM TABLE ${WATCHED_TABLES.join(', ')}`);
  const out: WorldSnapshot = {};
  for (const row of sums) out[String(row.Table).split('.').pop()!] = String(row.Checksum);
  const [tags] = await services.sql.query<any[]>(
    "SELECT COUNT(*) AS n, COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', member_id, tag_id, created_by))), 0) AS x FROM member_tags WHERE source = 'manual'",
  );
  out['member_tags (manual)'] = `${tags[0].n}:${tags[0].x}`;
  // Per action, so a report names what was written (audit tag.batch) rather than "audit_logs".
  // A member search is audited under the asking intent's name (auditMemberRead: detail by,
  // total, memberIds), also when a write found no single member and asked instead: a read.
  const [audits] = await services.sql.query<any[]>(
    `SELECT action, COUNT(*) AS n FROM audit_logs
      WHERE action NOT IN (?) AND NOT COALESCE(JSON_CONTAINS_PATH(detail, 'all', '$.by', '$.total', '$.memberIds'), 0)
      GROUP BY action`,
    [READ_AUDIT_ACTIONS],
  );
  for (const row of audits) out[`audit ${row.action}`] = String(row.n);
  return out;
}

/** The watched tables whose content changed between two snapshots. */
export function changedTables(before: WorldSnapshot, after: WorldSnapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
}

/**
 * A clean conversation for every sender: deletes this process's Redis keys (focus, language,
 * pending confirmations, clarifications, member rate limits, dedupe) but not its job queues.
 * The database stays as it is.
 */
export async function resetConversations(services: Services): Promise<void> {
  const prefix = services.key('');
  const queues = new Set<string>(Object.values(QUEUE_NAMES));
  const keys = await scanKeys(services.redis, `${prefix}*`);
  await deleteKeys(services.redis, keys.filter((k) => !queues.has(k.slice(prefix.length).split(':')[0] ?? '')));
}

/**
 * No recall running when a conversation starts: the evaluation runs no journey worker, so a recall
 * confirmed in an earlier conversation would stay running and leave its members out of every later
 * recall (docs/journeys.md, "Recall safety"). Each is stopped by its launcher, through the domain;
 * nothing was sent to its members, so they may be recalled again.
 */
export async function stopRunningRecalls(services: Services): Promise<void> {
  const [rows] = await services.sql.query<any[]>(
    "SELECT DISTINCT r.id, s.wecom_user_id FROM recalls r JOIN staff s ON s.id = r.staff_id JOIN journey_enrollments e ON e.recall_id = r.id WHERE r.stopped_at IS NULL AND e.state = 'active'",
  );
  for (const r of rows) {
    const actor = await activeStaffActor(services, String(r.wecom_user_id));
    if (actor) await stopRecall({ services, actor, channel: 'console', requestId: `eval-stop-recall-${r.id}` }, Number(r.id));
  }
}
