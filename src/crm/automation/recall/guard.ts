/**
 * Recall safety (docs/journeys.md, "Recall safety"): who a new recall leaves out, and the one
 * MySQL lock under which a recall is launched or stopped. A member still in a running recall,
 * recalled within RECALL_COOLDOWN_DAYS China-time days, or opted out of marketing is left out.
 * The preview computes the same split without the lock (what the staff member confirms); the
 * launch computes it again under the lock, so two launches at the same moment — two staff
 * members, two processes — never both include a member: the second one sees the first one's
 * enrolments, committed before the lock is let go.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { AppError, chinaDay, chinaDayStartMs } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

export interface RecallExclusions {
  /** Members left out, each counted once (running before recent before opted out). */
  total: number;
  /** Still in a recall that is running (not finished, not stopped). */
  running: number;
  /** Recalled within the cooldown, by how many China-time days ago (0 = today), most recent first. */
  recent: { daysAgo: number; members: number }[];
  /** Opted out of marketing. */
  optedOut: number;
  /** The cooldown in force, in China-time days. */
  cooldownDays: number;
}

export interface AudienceSplit {
  included: number[];
  excluded: RecallExclusions;
}

const CHUNK = 5000;
/** How long a launch or a stop waits for another one (a 100,000-member enrolment takes ~25 s). */
const LOCK_WAIT_S = 60;

export const noExclusions = (cooldownDays: number): RecallExclusions => ({ total: 0, running: 0, recent: [], optedOut: 0, cooldownDays });

/**
 * Per member of any recall that can still leave them out: `running` (1 while an enrolment of a
 * recall not stopped is active) and `last_at` (the launch of their latest recall that reached
 * them — a cancelled enrolment counts only if something was already sent), over enrolments that
 * are active or launched since the cooldown began. The one definition, for the split below and
 * the preview counted in SQL (recall.ts `previewRecallAudience`); `members` narrows it.
 */
function recallHistorySql(members: 'all' | 'in'): string {
  return `SELECT e.member_id,
              MAX(e.state = 'active' AND r.stopped_at IS NULL) AS running,
              MAX(IF(e.state <> 'cancelled' OR EXISTS (SELECT 1 FROM journey_step_executions x WHERE x.enrollment_id = e.id AND x.result = 'sent'), r.launched_at, NULL)) AS last_at
         FROM journey_enrollments e JOIN recalls r ON r.id = e.recall_id
        WHERE ${members === 'in' ? 'e.member_id IN (?) AND ' : ''}(e.state = 'active' OR r.launched_at >= ?)
        GROUP BY e.member_id`;
}

/** The cooldown's start (China-time midnight, fewer than `cooldownDays` calendar days ago) and today's China day. */
function cooldown(services: Services) {
  const now = services.now();
  const cooldownDays = services.config.RECALL_COOLDOWN_DAYS;
  const today = chinaDay(now);
  return { cooldownDays, today, since: new Date(chinaDayStartMs(today - cooldownDays + 1)) };
}

/**
 * The split as SQL, for a caller counting an audience in the database: `byMember` (a derived
 * table of recallHistorySql, its `params`), `recent` (the condition on its row `rr` for "recalled
 * within the cooldown"), and `tally`, which turns counts per kind (and per recall time for
 * `recent`) into the exclusions splitAudience reports. Precedence as there: running, recent, opted out.
 */
export function exclusionsSql(services: Services) {
  const { cooldownDays, today, since } = cooldown(services);
  return {
    byMember: recallHistorySql('all'),
    params: [since] as unknown[],
    // A UTC literal (the pool's time zone), so the condition can appear anywhere in a statement without a parameter of its own.
    recent: cooldownDays > 0 ? `rr.last_at >= '${since.toISOString().slice(0, 23).replace('T', ' ')}'` : 'FALSE',
    tally(groups: { kind: 'running' | 'recent' | 'opted'; lastAt: Date | null; members: number }[]): RecallExclusions {
      const excluded = noExclusions(cooldownDays);
      const recent = new Map<number, number>();
      for (const g of groups) {
        excluded.total += g.members;
        if (g.kind === 'running') excluded.running += g.members;
        else if (g.kind === 'opted') excluded.optedOut += g.members;
        else {
          const daysAgo = today - chinaDay(g.lastAt!);
          recent.set(daysAgo, (recent.get(daysAgo) ?? 0) + g.members);
        }
      }
      excluded.recent = [...recent].sort((a, b) => a[0] - b[0]).map(([daysAgo, members]) => ({ daysAgo, members }));
      return excluded;
    },
  };
}

/** Splits an audience into the members a new recall may include and those it leaves out (with why). */
export async function splitAudience(services: Services, memberIds: readonly number[]): Promise<AudienceSplit> {
  const { cooldownDays, today, since } = cooldown(services);
  const excluded = noExclusions(cooldownDays);
  const recent = new Map<number, number>();
  const included: number[] = [];
  const ids = [...new Set(memberIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const [rows] = await services.sql.query<RowDataPacket[]>(recallHistorySql('in'), [chunk, since]);
    const [opted] = await services.sql.query<RowDataPacket[]>('SELECT id FROM members WHERE id IN (?) AND marketing_opt_out_at IS NOT NULL', [chunk]);
    const optedOut = new Set(opted.map((r) => Number(r.id)));
    const byMember = new Map(rows.map((r) => [Number(r.member_id), r]));
    for (const id of chunk) {
      const r = byMember.get(id);
      const lastAt = r?.last_at ? (r.last_at as Date) : null;
      if (r && Number(r.running) === 1) excluded.running++;
      else if (lastAt && cooldownDays > 0 && lastAt.getTime() >= since.getTime()) {
        const daysAgo = today - chinaDay(lastAt);
        recent.set(daysAgo, (recent.get(daysAgo) ?? 0) + 1);
      } else if (optedOut.has(id)) excluded.optedOut++;
      else {
        included.push(id);
        continue;
      }
      excluded.total++;
    }
  }
  excluded.recent = [...recent].sort((a, b) => a[0] - b[0]).map(([daysAgo, members]) => ({ daysAgo, members }));
  return { included, excluded };
}

/** The exclusions in one Chinese sentence (staff notices, error messages); the chat renders its own per language. */
export function describeExclusions(x: RecallExclusions): string {
  const parts: string[] = [];
  if (x.running) parts.push(`${x.running} 位在进行中的召回里`);
  for (const r of x.recent) parts.push(`${r.members} 位${r.daysAgo === 0 ? '今天' : ` ${r.daysAgo} 天前`}已召回过`);
  if (x.optedOut) parts.push(`${x.optedOut} 位已退订营销消息`);
  return parts.length ? `已排除 ${x.total} 位：${parts.join('，')}（${x.cooldownDays} 天内不重复召回）` : '';
}

/**
 * Runs `fn` holding the recall lock: a MySQL named lock (per database) on a connection of its
 * own, released when `fn` ends or the connection dies with its process — never a Redis key,
 * which a Redis restart would drop while a launch is half done.
 */
export async function withRecallLock<T>(services: Services, fn: () => Promise<T>): Promise<T> {
  const conn = await services.sql.getConnection();
  try {
    const [[lock]] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK(CONCAT('wecom_crm_recall:', DATABASE()), ?) AS ok", [LOCK_WAIT_S]);
    if (Number(lock?.ok) !== 1) throw new AppError('recall_busy', `另一个召回的启动或停止占用召回锁超过 ${LOCK_WAIT_S} 秒，请稍后再试。`);
    try {
      return await fn();
    } finally {
      await conn.query("SELECT RELEASE_LOCK(CONCAT('wecom_crm_recall:', DATABASE()))").catch(() => undefined);
    }
  } finally {
    conn.release();
  }
}
