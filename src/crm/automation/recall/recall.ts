/**
 * Recall, the chat-ops headline: "给本店高风险流失会员发召回券" → audience (the churn list of the
 * staff member's stores, or a saved segment) → preview (count, sample, estimated cost, the
 * channel each member can actually be reached on) → after confirmation, launched as a journey
 * (coupon → message over the first reachable channel); the staff member gets the launch notice,
 * progress and a result summary (sent / failed / unreachable) in WeCom, and 7 and 30 days later
 * the conversion (members who ordered again, revenue): recall attribution.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { AppError, audit, badRequest, requirePermission, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { churnAudienceCount, churnAudienceSql, churnList } from '../../insights/index.ts';
import { countedOrder, netAmount } from '../../sales/index.ts';
import { maskName } from './mask.ts';
import type { Services } from '../../../services.ts';
import type { JourneyDefinitionInput, MessageChannel } from '../journeys/definition.ts';
import type { JourneyDeps } from '../journeys/deps.ts';
import { enrollMembers } from '../journeys/schedule.ts';
import { createJourney } from '../journeys/store.ts';
import { MP_TEMPLATES } from '../journeys/templates.ts';
import { notifyStaff } from '../alerts/notify.ts';
import { describeExclusions, exclusionsSql, splitAudience, withRecallLock, type RecallExclusions } from './guard.ts';

export type RecallAudience = { kind: 'churn' } | { kind: 'segment'; segmentId: number; name: string };

export interface RecallPlan {
  audience: RecallAudience;
  couponAmount: number;
  memberIds: number[];
}

export interface RecallPreview {
  /** Members the recall would include (the audience less those left out). */
  count: number;
  /** Members left out, and why (docs/journeys.md, "Recall safety"). */
  excluded: RecallExclusions;
  sample: { memberNo: string; name: string; channel: string }[];
  estimatedCost: string;
  /** Included members per channel; null when not counted (the preview from the scoring run's counts: each member's channel is chosen when the message goes). */
  channels: Record<'miniprogram' | 'wecom' | 'sms' | 'unreachable' | 'unsubscribed', number> | null;
  /** The scoring run the audience's size is as of (the churn list's preview from its counts). */
  asOf?: Date;
}

export const RECALL_CHANNELS: MessageChannel[] = ['miniprogram', 'wecom', 'sms'];
const CHECK_EVERY_MS = 60_000;
/** The attribution reports, in days after the launch; the longest is the conversion window. */
export const RECALL_ATTRIBUTION_DAYS = 30;
const ATTRIBUTION_REPORTS = [7, RECALL_ATTRIBUTION_DAYS];
const PROGRESS_EVERY_MS = 10 * 60_000;

/** The audience's member ids within the actor's store scope. */
export async function recallAudience(access: StaffAccess, audience: RecallAudience): Promise<number[]> {
  requirePermission(access.actor, 'churn.read');
  if (audience.kind === 'churn') {
    const list = await churnList(access, { all: true, limit: 100_000 });
    return list.entries.map((e) => e.memberId);
  }
  const scope = storeScopeSql(storeScope(access.actor));
  const [rows] = await access.services.sql.query<RowDataPacket[]>(
    `SELECT sm.member_id FROM segment_members sm JOIN members m ON m.id = sm.member_id WHERE sm.segment_id = ? AND m.status = 'active'${scope.sql}`,
    [audience.segmentId, ...scope.params],
  );
  return rows.map((r) => Number(r.member_id));
}

/**
 * The audience as a derived table (`member_id`, `ord`: the order recallAudience lists it in), for
 * the preview to count in SQL; null when the churn list is not the ranked model list.
 */
async function audienceSql(access: StaffAccess, audience: RecallAudience, first?: number): Promise<{ sql: string; params: unknown[] } | null> {
  requirePermission(access.actor, 'churn.read');
  if (audience.kind === 'churn') return churnAudienceSql(access, first);
  const scope = storeScopeSql(storeScope(access.actor));
  return {
    sql: `SELECT sm.member_id, sm.member_id AS ord FROM segment_members sm JOIN members m ON m.id = sm.member_id WHERE sm.segment_id = ? AND m.status = 'active'${scope.sql}${first ? ` ORDER BY sm.member_id LIMIT ${Math.trunc(first)}` : ''}`,
    params: [audience.segmentId, ...scope.params],
  };
}

/** The channel a member would be reached on (reachability's order), as SQL over members `m` and their coupon subscription `sub`. */
const channelSql = (services: Services) => `CASE WHEN m.marketing_opt_out_at IS NOT NULL THEN 'unsubscribed'
  ${services.config.MP_APP_ID ? "WHEN m.openid IS NOT NULL AND m.openid <> '' AND COALESCE(sub.remaining, 0) > 0 THEN 'miniprogram'" : ''}
  ${services.config.WECOM_SECRET ? "WHEN m.external_user_id IS NOT NULL AND m.external_user_id <> '' THEN 'wecom'" : ''}
  WHEN m.phone_tail IS NOT NULL AND m.phone_tail <> '' THEN 'sms' ELSE 'unreachable' END`;

/** Members shown in a preview, and how many of the audience's first rows are searched for them first. */
const SAMPLE = 5;
const SAMPLE_SCAN = 200;

/**
 * The chat's recall preview (what confirm() shows) counted in the database: who is left out and
 * why, the channel of each included member and the first five included, in two statements over
 * the audience — no member id travels to Node, so it costs one pass of the audience's rows instead
 * of reading the whole list and asking about it 5,000 ids at a time. Equal to previewRecall over
 * recallAudience's ids (test/journeys/recall-preview-sql.test.ts). The churn list's preview reads
 * the scoring run's counts first (previewChurnRecall). Null when there is no such SQL (the rule
 * churn list before the first scoring run): the caller previews the ids.
 */
export async function previewRecallAudience(access: StaffAccess, audience: RecallAudience, couponAmount: number): Promise<(RecallPreview & { audience: number }) | null> {
  if (audience.kind === 'churn') {
    const fromSnapshot = await previewChurnRecall(access, couponAmount);
    if (fromSnapshot) return fromSnapshot;
  }
  const from = await audienceSql(access, audience);
  if (!from) return null;
  const { services } = access;
  const x = exclusionsSql(services);
  const sub = `LEFT JOIN mp_subscriptions sub ON sub.openid = m.openid AND sub.template_id = ?`;
  const kind = excludedKind(x.recent);
  const [groups] = await services.readSql.query<RowDataPacket[]>(
    `SELECT k, ch, IF(k = 'recent', last_at, NULL) AS last_at, COUNT(*) AS n FROM (
       SELECT ${kind} AS k, ${channelSql(services)} AS ch, rr.last_at
       FROM (${from.sql}) a JOIN members m ON m.id = a.member_id
       LEFT JOIN (${x.byMember}) rr ON rr.member_id = a.member_id
       ${sub}
     ) t GROUP BY k, ch, IF(k = 'recent', last_at, NULL)`,
    [...from.params, ...x.params, MP_TEMPLATES.coupon],
  );
  const first = await firstIncluded(access, (await audienceSql(access, audience, SAMPLE_SCAN))!, from);
  const channels: NonNullable<RecallPreview['channels']> = { miniprogram: 0, wecom: 0, sms: 0, unreachable: 0, unsubscribed: 0 };
  const excluded = x.tally(groups.filter((g) => g.k !== 'in').map((g) => ({ kind: String(g.k) as 'running' | 'recent' | 'opted', lastAt: (g.last_at as Date | null) ?? null, members: Number(g.n) })));
  let count = 0;
  for (const g of groups) {
    if (g.k !== 'in') continue;
    count += Number(g.n);
    channels[g.ch as keyof typeof channels] += Number(g.n);
  }
  return shownPreview(access, audience, { audience: count + excluded.total, count, excluded, channels, couponAmount, first });
}

/**
 * The churn list's preview from the scoring run's counts (insights churnAudienceCount): the
 * list's size less the members gone from it since the run, less the members the recall leaves
 * out — counted over the few members in a recall or opted out, each checked against the list
 * through the primary key — instead of a pass over the list's ~100,000 rows at a million members.
 * The same members the launch splits (recallAudience is the same list now), so its count is what
 * the launch enrols unless something changes in between. The channels are not counted (that is
 * a pass over every member: each member's channel is chosen when the message goes); the five
 * shown carry theirs. Null when the run's counts cannot be used.
 */
async function previewChurnRecall(access: StaffAccess, couponAmount: number): Promise<(RecallPreview & { audience: number }) | null> {
  const list = await churnAudienceCount(access);
  if (!list) return null;
  const { services } = access;
  const x = exclusionsSql(services);
  const [groups] = list.count
    ? await services.readSql.query<RowDataPacket[]>(
        `SELECT k, IF(k = 'recent', last_at, NULL) AS last_at, COUNT(*) AS n FROM (
           SELECT ${excludedKind(x.recent)} AS k, rr.last_at
           FROM (SELECT member_id FROM (${x.byMember}) h UNION SELECT id FROM members WHERE marketing_opt_out_at IS NOT NULL) c
           JOIN member_scores s ON s.member_id = c.member_id JOIN members m ON m.id = c.member_id
           LEFT JOIN (${x.byMember}) rr ON rr.member_id = c.member_id
           WHERE ${list.member.sql}
         ) t WHERE k <> 'in' GROUP BY k, IF(k = 'recent', last_at, NULL)`,
        [...x.params, ...x.params, ...list.member.params],
      )
    : [[] as RowDataPacket[]];
  const excluded = x.tally(groups.map((g) => ({ kind: String(g.k) as 'running' | 'recent' | 'opted', lastAt: (g.last_at as Date | null) ?? null, members: Number(g.n) })));
  // The list in its order, from the run's (level, rank) index: the sample is its first included members.
  const ranked = (first?: number) => ({
    sql: `SELECT s.member_id, s.churn_rank AS ord FROM member_scores s FORCE INDEX (member_scores_level_rank_idx) STRAIGHT_JOIN members m ON m.id = s.member_id WHERE ${list.member.sql} ORDER BY s.churn_rank${first ? ` LIMIT ${first}` : ''}`,
    params: list.member.params,
  });
  const first = list.count ? await firstIncluded(access, ranked(SAMPLE_SCAN), ranked()) : [];
  return shownPreview(access, { kind: 'churn' }, { audience: list.count, count: list.count - excluded.total, excluded, channels: null, couponAmount, first, asOf: list.asOf });
}

/** Which of the exclusions holds for a member (precedence as splitAudience's), 'in' for none: over members `m` and their recall history `rr`. */
const excludedKind = (recent: string) => `CASE WHEN rr.running = 1 THEN 'running' WHEN ${recent} THEN 'recent' WHEN m.marketing_opt_out_at IS NOT NULL THEN 'opted' ELSE 'in' END`;

/**
 * The first five members a recall would include, in the audience's order, with their channel:
 * looked for among its first rows, and in the whole audience only when fewer than five of those
 * are included.
 */
async function firstIncluded(access: StaffAccess, head: { sql: string; params: unknown[] }, whole: { sql: string; params: unknown[] }): Promise<RowDataPacket[]> {
  const { services } = access;
  const x = exclusionsSql(services);
  const among = async (of: { sql: string; params: unknown[] }) =>
    (
      await services.readSql.query<RowDataPacket[]>(
        `SELECT m.id, m.member_no, m.name, ${channelSql(services)} AS ch
         FROM (${of.sql}) a JOIN members m ON m.id = a.member_id
         LEFT JOIN (${x.byMember}) rr ON rr.member_id = a.member_id
         LEFT JOIN mp_subscriptions sub ON sub.openid = m.openid AND sub.template_id = ?
         WHERE ${excludedKind(x.recent)} = 'in' ORDER BY a.ord, a.member_id LIMIT ${SAMPLE}`,
        [...of.params, ...x.params, MP_TEMPLATES.coupon],
      )
    )[0];
  const first = await among(head);
  return first.length < SAMPLE ? among(whole) : first;
}

/** The preview as shown, audited: what the staff member sees of the audience is its size and these five (the launch audits the enrolment). */
async function shownPreview(
  access: StaffAccess,
  audience: RecallAudience,
  p: { audience: number; count: number; excluded: RecallExclusions; channels: RecallPreview['channels'] | null; couponAmount: number; first: RowDataPacket[]; asOf?: Date },
): Promise<RecallPreview & { audience: number }> {
  const sample = p.first.map((r) => ({ memberNo: String(r.member_no), name: maskName(String(r.name ?? '')), channel: String(r.ch) }));
  await audit(access.services, { actor: access.actor, action: 'recall.preview', targetType: 'member', targetId: `recall:${audience.kind === 'churn' ? 'churn' : `segment:${audience.segmentId}`}`, channel: access.channel, requestId: access.requestId, detail: { audience: p.audience, count: p.count, excluded: p.excluded.total, memberIds: p.first.map((r) => Number(r.id)), ...(p.asOf ? { asOf: p.asOf.toISOString() } : {}) } });
  return { audience: p.audience, count: p.count, excluded: p.excluded, sample, estimatedCost: (p.count * p.couponAmount).toFixed(2), channels: p.channels, ...(p.asOf ? { asOf: p.asOf } : {}) };
}

/** Which channel each member would be reached on, in the recall's channel order. */
export async function reachability(services: Services, memberIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < memberIds.length; i += 5000) {
    const ids = memberIds.slice(i, i + 5000);
    const [rows] = await services.sql.query<RowDataPacket[]>(
      `SELECT m.id, m.openid, m.external_user_id, m.phone_tail, m.marketing_opt_out_at,
              (SELECT s.remaining FROM mp_subscriptions s WHERE s.openid = m.openid AND s.template_id = ?) AS quota
       FROM members m WHERE m.id IN (?)`,
      [MP_TEMPLATES.coupon, ids],
    );
    for (const r of rows) {
      let ch = 'unreachable';
      if (r.marketing_opt_out_at) ch = 'unsubscribed';
      else if (r.openid && Number(r.quota ?? 0) > 0 && services.config.MP_APP_ID) ch = 'miniprogram';
      else if (r.external_user_id && services.config.WECOM_SECRET) ch = 'wecom';
      // An erased member's placeholder phone has no tail: no SMS to it.
      else if (r.phone_tail) ch = 'sms';
      out.set(Number(r.id), ch);
    }
  }
  return out;
}

export async function previewRecall(access: StaffAccess, plan: RecallPlan): Promise<RecallPreview & { channels: NonNullable<RecallPreview['channels']> }> {
  const { services } = access;
  // What the launch will include unless another recall takes some first (it splits again under the lock).
  const { included, excluded } = await splitAudience(services, plan.memberIds);
  plan = { ...plan, memberIds: included };
  const reach = await reachability(services, plan.memberIds);
  const channels: NonNullable<RecallPreview['channels']> = { miniprogram: 0, wecom: 0, sms: 0, unreachable: 0, unsubscribed: 0 };
  for (const ch of reach.values()) channels[ch as keyof typeof channels]++;
  const sampleIds = plan.memberIds.slice(0, 5);
  const [rows] = sampleIds.length ? await services.sql.query<RowDataPacket[]>('SELECT id, member_no, name FROM members WHERE id IN (?)', [sampleIds]) : [[] as RowDataPacket[]];
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const sample = sampleIds.map((id) => ({ memberNo: String(byId.get(id)?.member_no), name: maskName(String(byId.get(id)?.name ?? '')), channel: reach.get(id) ?? 'unreachable' }));
  // Coupons go to everyone in the audience; the cost is the face value if all are used.
  const estimatedCost = (plan.memberIds.length * plan.couponAmount).toFixed(2);
  return { count: plan.memberIds.length, excluded, sample, estimatedCost, channels };
}

export function recallDefinition(amount: number): JourneyDefinitionInput {
  return {
    trigger: { type: 'manual' },
    goal: { orderWithinDays: 30 },
    channels: RECALL_CHANNELS,
    steps: [
      { id: 'coupon', type: 'action', action: { kind: 'coupon', title: '老朋友回归券', amount, validDays: 30 } },
      {
        id: 'message',
        type: 'action',
        action: {
          kind: 'message',
          text: '{name}，好久不见！为您准备了{amount}元「{coupon}」，30 天内到店可用，期待再次见到您。',
          subscribe: { templateId: MP_TEMPLATES.coupon, data: { thing1: '{coupon}', amount2: '{amount}元', thing3: '好久不见' } },
        },
      },
      { id: 'done', type: 'exit' },
    ],
  };
}

export const audienceLabel = (a: RecallAudience) => (a.kind === 'churn' ? '流失预警名单' : `人群包「${a.name}」`);

export interface LaunchResult {
  recallId: number;
  journeyId: number;
  enrolled: number;
  /** Members of the audience left out at launch, and why. */
  excluded: RecallExclusions;
}

/**
 * Launches a confirmed recall: journey, enrolment, the launch notice and the follow-up jobs. The
 * audience is split again under the recall lock (./guard.ts) and the recall's members are enrolled
 * before the lock is let go, so a launch at the same moment leaves them out.
 */
export async function launchRecall(deps: JourneyDeps, access: StaffAccess, plan: RecallPlan): Promise<LaunchResult> {
  const { services } = deps;
  requirePermission(access.actor, 'churn.read');
  if (plan.memberIds.length === 0) throw badRequest('empty_audience', '召回名单是空的。');
  const label = audienceLabel(plan.audience);
  const { recallId, journeyId, r, excluded, now } = await withRecallLock(services, async () => {
    const split = await splitAudience(services, plan.memberIds);
    if (split.included.length === 0) throw new AppError('recall_all_excluded', `没有可召回的会员：${describeExclusions(split.excluded)}。`, { details: split.excluded });
    return { ...(await enrolRecall(deps, access, { ...plan, memberIds: split.included }, label, split.excluded)), excluded: split.excluded };
  });
  await notifyStaff(services, access.actor.wecomUserId, `召回已启动：${label}，共 ${r.enrolled} 位会员，每人 ${plan.couponAmount} 元回归券。${excluded.total ? `${describeExclusions(excluded)}。` : ''}发送完成后会把结果发给你。`, `recall-${recallId}-launch`);
  const at = now.getTime();
  const control = services.queues.journeyControl;
  await control.add('recall-check', { kind: 'recall-check', recallId, dueAt: at + CHECK_EVERY_MS }, { jobId: `recall-${recallId}-check-${at + CHECK_EVERY_MS}`, delay: CHECK_EVERY_MS });
  for (const days of ATTRIBUTION_REPORTS) {
    const due = at + days * 86_400_000;
    await control.add('recall-attribution', { kind: 'recall-attribution', recallId, days, dueAt: due }, { jobId: `recall-${recallId}-attr-${days}`, delay: days * 86_400_000 });
  }
  return { recallId, journeyId, enrolled: r.enrolled, excluded };
}

/** The recall's journey, its row and its members' enrolments (under the recall lock). */
async function enrolRecall(deps: JourneyDeps, access: StaffAccess, plan: RecallPlan, label: string, excluded: RecallExclusions) {
  const { services } = deps;
  const now = services.now();
  const j = await createJourney(services, access.actor.wecomUserId, {
    name: `召回：${label} ${plan.couponAmount}元券 ${now.toISOString().slice(0, 16)}`,
    definition: recallDefinition(plan.couponAmount),
    status: 'active',
    templateKey: null,
    // A recall launched by a manager of one store belongs to that store (other stores never list it).
    storeId: scopeStore(access),
  });
  const [ins] = await services.sql.query<import('mysql2').ResultSetHeader>(
    'INSERT INTO recalls (journey_id, staff_id, staff_user_id, channel, audience, member_count, coupon_amount, launched_at, excluded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [j.id, access.actor.staffId, access.actor.wecomUserId, access.channel, label.slice(0, 64), plan.memberIds.length, plan.couponAmount.toFixed(2), now, JSON.stringify(excluded)],
  );
  const recallId = ins.insertId;
  await audit(services, {
    actor: access.actor,
    action: 'recall.launch',
    targetType: 'member',
    targetId: `recall:${recallId}`,
    channel: access.channel,
    requestId: access.requestId,
    detail: { journeyId: j.id, members: plan.memberIds.length, couponAmount: plan.couponAmount, audience: label, excluded: excluded.total },
  }).catch((e) => services.logger.warn({ err: (e as Error).message }, 'recall audit failed'));
  const r = await enrollMembers(deps, j.id, plan.memberIds, { occurrence: `recall:${recallId}`, recallId });
  return { recallId, journeyId: j.id, r, now };
}

/** Members of one outcome with the same recorded cause. */
export interface RecallReason {
  reason: string;
  members: number;
}

export interface RecallCounts {
  total: number;
  /** Acknowledged by the provider (docs/journeys.md, "Delivery states"). */
  sent: number;
  failed: number;
  /** Interrupted sends the provider could not be asked about: they may or may not have arrived. */
  unknown: number;
  unreachable: number;
  skipped: number;
  /** Not sent because the recall was stopped first. */
  cancelled: number;
  pending: number;
  byChannel: Record<string, number>;
  /** The recorded causes of the failed and unknown sends, most frequent first (at most 3 each). */
  reasons: { failed: RecallReason[]; unknown: RecallReason[] };
}

const REASONS_SHOWN = 3;

/**
 * Where each member of the recall stands on its message step (every member accounted for);
 * with `stores`, only the members whose home store is one of them (a store's share of an HQ recall).
 */
export async function recallCounts(services: Services, recallId: number, stores: readonly number[] | null = null): Promise<RecallCounts> {
  const inStores = storeFilter(stores);
  const [rows] = await services.sql.query<RowDataPacket[]>(
    // A member of a stopped recall whose message was never sent is `cancelled`, not pending.
    `SELECT IF(e.state = 'cancelled' AND (x.result IS NULL OR x.result IN ('pending', 'deferred')), 'cancelled', COALESCE(x.result, 'pending')) AS result, x.channel, IF(x.result IN ('failed', 'unknown'), LEFT(x.error, 200), NULL) AS reason, COUNT(*) AS n
     FROM journey_enrollments e
     LEFT JOIN journey_step_executions x ON x.enrollment_id = e.id AND x.member_id = e.member_id AND x.journey_id = e.journey_id AND x.step_id = 'message'
     ${inStores.join}
     WHERE e.recall_id = ?${inStores.where} GROUP BY result, x.channel, reason, e.state`,
    [recallId, ...inStores.params],
  );
  const c: RecallCounts = { total: 0, sent: 0, failed: 0, unknown: 0, unreachable: 0, skipped: 0, cancelled: 0, pending: 0, byChannel: {}, reasons: { failed: [], unknown: [] } };
  for (const r of rows) {
    const n = Number(r.n);
    c.total += n;
    const res = String(r.result);
    if (res === 'sent') {
      c.sent += n;
      c.byChannel[r.channel] = (c.byChannel[r.channel] ?? 0) + n;
    } else if (res === 'failed' || res === 'unknown') {
      c[res] += n;
      const list = c.reasons[res];
      const reason = r.reason == null ? '' : String(r.reason);
      const same = list.find((x) => x.reason === reason);
      if (same) same.members += n;
      else list.push({ reason, members: n });
    } else if (res === 'unreachable' || res === 'skipped' || res === 'cancelled') c[res] += n;
    else c.pending += n;
  }
  for (const list of [c.reasons.failed, c.reasons.unknown]) list.sort((a, b) => b.members - a.members).splice(REASONS_SHOWN);
  return c;
}

const CHANNEL_LABEL: Record<string, string> = { miniprogram: '小程序', wecom: '企业微信', sms: '短信', email: '邮件' };

/**
 * The staff summary: 已发送 counts only what the provider acknowledged, 状态未知 what nobody can
 * tell (an interrupted send the provider cannot be asked about), each with its recorded causes.
 */
export function renderCounts(c: RecallCounts): string {
  const by = Object.entries(c.byChannel).map(([k, v]) => `${CHANNEL_LABEL[k] ?? k} ${v}`).join('、');
  const why = (list: RecallReason[]) => list.map((r) => `${r.reason || '未记录'}（${r.members} 位）`).join('；');
  return (
    `已发送 ${c.sent}${by ? `（${by}）` : ''}，失败 ${c.failed}${c.unknown ? `，状态未知 ${c.unknown}（可能已送达，未重发）` : ''}，无法触达 ${c.unreachable}` +
    `${c.skipped ? `，跳过 ${c.skipped}（退订/频次上限）` : ''}${c.cancelled ? `，已取消 ${c.cancelled}（召回已停止）` : ''}${c.pending ? `，处理中 ${c.pending}` : ''}，共 ${c.total} 位。` +
    `${c.failed ? `失败原因：${why(c.reasons.failed)}。` : ''}${c.unknown ? `状态未知原因：${why(c.reasons.unknown)}。` : ''}`
  );
}

/** The periodic check: progress every 10 minutes, the summary once when every member is accounted for. */
export async function checkRecall(services: Services, recallId: number): Promise<'done' | 'pending'> {
  const [rs] = await services.sql.query<RowDataPacket[]>('SELECT staff_user_id, audience, summary_sent_at, stopped_at FROM recalls WHERE id = ?', [recallId]);
  const rec = rs[0];
  // A stopped recall's summary is the stop's own (./stop.ts).
  if (!rec || rec.summary_sent_at || rec.stopped_at) return 'done';
  const c = await recallCounts(services, recallId);
  const now = services.now();
  if (c.pending === 0) {
    const [u] = await services.sql.query<import('mysql2').ResultSetHeader>('UPDATE recalls SET summary_sent_at = ?, summary = ? WHERE id = ? AND summary_sent_at IS NULL', [now, JSON.stringify(c), recallId]);
    if (u.affectedRows === 1) await notifyStaff(services, rec.staff_user_id, `召回完成：${rec.audience}。${renderCounts(c)}7 天和 30 天后会发回流统计。`, `recall-${recallId}-summary`);
    return 'done';
  }
  const mark = services.key('recall', recallId, 'progress');
  if ((await services.redis.set(mark, '1', 'PX', PROGRESS_EVERY_MS, 'NX')) === 'OK' && c.sent + c.failed + c.unknown + c.unreachable + c.skipped > 0) {
    await notifyStaff(services, rec.staff_user_id, `召回进行中：${rec.audience}。${renderCounts(c)}`, `recall-${recallId}-progress-${Math.floor(now.getTime() / PROGRESS_EVERY_MS)}`);
  }
  const due = now.getTime() + CHECK_EVERY_MS;
  // The id carries the wall clock too: with a frozen or slow injected clock `due` repeats, and a
  // repeated id would be swallowed by BullMQ while this very job is still active.
  await services.queues.journeyControl.add('recall-check', { kind: 'recall-check', recallId, dueAt: due }, { jobId: `recall-${recallId}-check-${due}-${Date.now()}`, delay: CHECK_EVERY_MS });
  return 'pending';
}

export interface Attribution {
  days: number;
  members: number;
  converted: number;
  rate: string;
  revenue: string;
}

/**
 * Members of the recall who ordered within `days` of the launch, and their revenue in that window
 * (refunds netted out, fully refunded orders left out). The figures are kept on the recall either
 * way; the launcher is told only for a recall that ran its course: a stopped recall's members were
 * mostly never contacted, so a "conversion" report would credit the recall with orders it did not
 * cause — its stop was its last message (docs/journeys.md, "Recall safety").
 */
export async function recallAttribution(services: Services, recallId: number, days: number, notify = true): Promise<Attribution> {
  const [rs] = await services.sql.query<RowDataPacket[]>('SELECT staff_user_id, audience, launched_at, member_count, attribution, stopped_at FROM recalls WHERE id = ?', [recallId]);
  const rec = rs[0];
  if (!rec) throw badRequest('recall_not_found', `召回 ${recallId} 不存在。`);
  const from = rec.launched_at as Date;
  const to = new Date(Math.min(from.getTime() + days * 86_400_000, services.now().getTime()));
  const conv = await recallConversions(services, recallId, from, to);
  await services.sql.query(
    `UPDATE journey_enrollments e SET converted_at = (SELECT MIN(o.paid_at) FROM orders o WHERE o.member_id = e.member_id AND o.paid_at > ? AND o.paid_at <= ? AND ${countedOrder('o')})
     WHERE e.recall_id = ? AND e.converted_at IS NULL`,
    [from, to, recallId],
  );
  const members = Number(rec.member_count);
  const { converted } = conv;
  const a: Attribution = { days, members, converted, rate: members ? `${((converted / members) * 100).toFixed(1)}%` : '0.0%', revenue: conv.revenue };
  const prev = typeof rec.attribution === 'string' ? JSON.parse(rec.attribution) : (rec.attribution ?? {});
  await services.sql.query('UPDATE recalls SET attribution = ? WHERE id = ?', [JSON.stringify({ ...prev, [`d${days}`]: a }), recallId]);
  if (notify && !rec.stopped_at) {
    await notifyStaff(services, rec.staff_user_id, `召回 ${days} 天回流：${rec.audience}，${members} 位中 ${converted} 位已再次消费（${a.rate}），带来营收 ${Number(a.revenue).toFixed(2)} 元。`, `recall-${recallId}-attr-${days}`);
  }
  return a;
}

/**
 * Members of the recall who ordered (at any store) in (from, to], and their revenue there; with
 * `stores`, only members whose home store is one of them.
 */
export async function recallConversions(services: Services, recallId: number, from: Date, to: Date, stores: readonly number[] | null = null): Promise<{ converted: number; revenue: string }> {
  const inStores = storeFilter(stores);
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT COUNT(DISTINCT o.member_id) AS converted, COALESCE(SUM(${netAmount('o')}), 0) AS revenue
     FROM orders o JOIN journey_enrollments e ON e.member_id = o.member_id AND e.recall_id = ?
     ${inStores.join}
     WHERE o.paid_at > ? AND o.paid_at <= ? AND ${countedOrder('o')}${inStores.where}`,
    [recallId, from, to, ...inStores.params],
  );
  return { converted: Number(rows[0]?.converted ?? 0), revenue: String(rows[0]?.revenue ?? '0.00') };
}

/** The SQL that narrows enrollments `e` to members of some home stores (nothing when null). */
function storeFilter(stores: readonly number[] | null): { join: string; where: string; params: unknown[] } {
  if (stores === null) return { join: '', where: '', params: [] };
  if (!stores.length) return { join: '', where: ' AND FALSE', params: [] };
  return { join: 'JOIN members sm ON sm.id = e.member_id', where: ' AND sm.home_store_id IN (?)', params: [[...stores]] };
}

/** The one store of a store-scoped launcher; null (HQ's, listed to every store) otherwise. */
function scopeStore(access: StaffAccess): number | null {
  const scope = storeScope(access.actor);
  return scope !== null && scope.length === 1 ? scope[0]! : null;
}

/**
 * The follow-ups of recalls still running, put back from the database after Redis lost its jobs
 * (src/crm/automation/journeys/requeue.ts says why): the progress check of a recall without its
 * summary — at its next beat on the launch's cadence, so two processes put back the same job id —
 * and each attribution report not yet written, with its remaining delay. Idempotent by job id.
 */
export async function requeueRecallFollowUps(services: Services): Promise<{ checks: number; attributions: number }> {
  const now = services.now().getTime();
  const since = new Date(now - (RECALL_ATTRIBUTION_DAYS + 1) * 86_400_000);
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, launched_at, summary_sent_at, stopped_at, attribution FROM recalls WHERE summary_sent_at IS NULL OR launched_at > ?', [since]);
  if (rows.length === 0) return { checks: 0, attributions: 0 };
  const control = services.queues.journeyControl;
  const live = await control.getJobs(['delayed', 'waiting', 'active', 'prioritized']);
  const checking = new Set(live.filter((j) => j?.data?.kind === 'recall-check').map((j) => Number(j.data.recallId)));
  const jobs: Parameters<typeof control.addBulk>[0] = [];
  let checks = 0;
  for (const r of rows) {
    const recallId = Number(r.id);
    const launched = (r.launched_at as Date).getTime();
    if (!r.summary_sent_at && !r.stopped_at && !checking.has(recallId)) {
      const due = launched + (Math.floor(Math.max(0, now - launched) / CHECK_EVERY_MS) + 1) * CHECK_EVERY_MS;
      jobs.push({ name: 'recall-check', data: { kind: 'recall-check', recallId, dueAt: due }, opts: { jobId: `recall-${recallId}-check-${due}`, delay: due - now } });
      checks++;
    }
    const written = typeof r.attribution === 'string' ? JSON.parse(r.attribution) : (r.attribution ?? {});
    for (const days of ATTRIBUTION_REPORTS) {
      if (written[`d${days}`]) continue;
      const due = launched + days * 86_400_000;
      // The launch's own id: a job still in Redis keeps it, so nothing is added twice.
      jobs.push({ name: 'recall-attribution', data: { kind: 'recall-attribution', recallId, days, dueAt: due }, opts: { jobId: `recall-${recallId}-attr-${days}`, delay: Math.max(0, due - now) } });
    }
  }
  if (jobs.length) await control.addBulk(jobs);
  return { checks, attributions: jobs.length - checks };
}
