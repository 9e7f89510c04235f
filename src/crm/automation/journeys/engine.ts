/**
 * The journey step processor: one call per (enrollment, step), run by the BullMQ worker
 * (src/jobs/journey-worker.ts). Exactly-once side effects rest on the execution row:
 *
 *   1. claim   INSERT IGNORE the UNIQUE (member, journey, enrollment, step) row as `pending`;
 *              a row already final (sent/failed/unreachable/skipped/done) means this job is a
 *              retry or a duplicate: nothing is done again, the recorded next step is replayed.
 *   2. effect  the row goes to `sending` (our attempt: channel, attempted_at) right before the
 *              provider call;
 *   3. mark    the final result, the next step and the error are written; a message the
 *              provider accepted also records its acknowledgement (acked_at, provider_id).
 *
 * A send left between 2 and 3 (the process killed, a database error before the answer was
 * written, a provider that did not answer in time) is reconciled before it is retried or counted
 * (./delivery.ts): resent with the same idempotency key where the provider collapses resends
 * (SMS, e-mail), looked up by the platform's message id where one exists (WeCom), and recorded
 * `unknown` with its cause where neither is possible (the mini-program) — never resent blindly.
 */
import { createHash } from 'node:crypto';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { queueOutbound, storeManagers, withTransaction } from '../../kernel/index.ts';
import { appendLedger, issueCoupon, type CouponIssue } from '../../loyalty/index.ts';
import { countedOrder } from '../../sales/index.ts';
import { compileWhere } from '../../insights/index.ts';
import { openEmail, openPhone } from '../../customers/index.ts';
import { tagIdByName, writeMemberTags, type MemberTagChange } from '../../engagement/index.ts';
import { isMarketing, type CompiledJourney, type JourneyAction, type JourneyStep, type MessageChannel } from './definition.ts';
import type { JourneyDeps, OutboundMessage, OutboundSender, SendResult } from './deps.ts';
import { interruptionCause, reconcileSend, type JobHistory } from './delivery.ts';
import { journeyStatus, loadVersion } from './store.ts';
import { nextBirthday, nextTimeOfDay, weekStart } from './time.ts';
import { decide, quietDecision, type QuotaDecision, type QuotaReason } from '../quota/index.ts';
import { runMassSend, type MassIO } from './mass-send.ts';
import { takeWeeklySlots } from './frequency.ts';

export type StepOutcome =
  | { kind: 'next'; stepId: string; at: Date }
  | { kind: 'complete' }
  | { kind: 'defer'; at: Date; reason: string }
  | { kind: 'noop'; reason: string };

/** Thrown for a provider error worth another try; BullMQ retries the job with backoff. */
export class StepRetry extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepRetry';
  }
}

const FINAL = new Set(['sent', 'failed', 'unreachable', 'skipped', 'done', 'unknown']);
const PAUSE_RECHECK_MS = 15 * 60_000;

export interface MemberRow {
  id: number;
  memberNo: string;
  name: string;
  phone: string;
  email: string | null;
  openid: string | null;
  externalUserId: string | null;
  birthday: Date | null;
  optOutAt: Date | null;
  status: string;
  homeStoreId: number | null;
  points: number;
}

export async function loadMember(deps: JourneyDeps, id: number): Promise<MemberRow | undefined> {
  return (await loadMembers(deps, [id])).get(id);
}

/** The members of a batch of steps (./batch.ts), by id, in one statement. */
export async function loadMembers(deps: JourneyDeps, ids: readonly number[]): Promise<Map<number, MemberRow>> {
  const out = new Map<number, MemberRow>();
  if (ids.length === 0) return out;
  const [rows] = await deps.services.sql.query<RowDataPacket[]>(
    'SELECT id, member_no, name, phone_enc, email_enc, openid, external_user_id, birthday, marketing_opt_out_at, status, home_store_id, points FROM members WHERE id IN (?)',
    [ids],
  );
  for (const r of rows) {
    out.set(Number(r.id), {
      id: r.id,
      memberNo: r.member_no,
      name: r.name,
      phone: openPhone(r.phone_enc),
      email: openEmail(r.email_enc),
      openid: r.openid,
      externalUserId: r.external_user_id,
      birthday: r.birthday,
      optOutAt: r.marketing_opt_out_at,
      status: r.status,
      homeStoreId: r.home_store_id,
      points: r.points,
    });
  }
  return out;
}

export interface Enrollment {
  id: number;
  journeyId: number;
  version: number;
  memberId: number;
  state: string;
  enteredAt: Date;
  recallId: number | null;
}

interface ExecRow {
  id: number;
  result: string;
  channel: string | null;
  nextStep: string | null;
  detail: Record<string, unknown> | null;
  /** What the engine recorded when it last left the row unfinished (a provider's timeout). */
  error: string | null;
  /** When our last send attempt started. */
  attemptedAt: Date | null;
  /**
   * The row's send attempts as this run read them: the `sending` mark only moves the row on from
   * exactly this count, so of two runs of one step side by side only one sends (./engine.ts `sending`).
   */
  attempts: number;
}

/** The step's idempotency key, also handed to providers (Idempotency-Key) and used for coupon codes. */
export function stepKey(e: Pick<Enrollment, 'memberId' | 'journeyId' | 'id'>, stepId: string): string {
  return `m${e.memberId}-j${e.journeyId}-e${e.id}-${stepId}`;
}

/** Deterministic A/B bucket 0..99 of a member at a split step. */
export function splitBucket(journeyId: number, stepId: string, memberId: number): number {
  return createHash('sha256').update(`${journeyId}:${stepId}:${memberId}`).digest().readUInt32BE(0) % 100;
}

/** Rows read by an earlier step of the same job (steps due at once run in one job). */
export interface StepMemo {
  enr?: Enrollment;
  member?: MemberRow;
}

export async function processStep(
  deps: JourneyDeps,
  job: { enrollmentId: number; stepId: string },
  opts: { finalAttempt: boolean; memo?: StepMemo; /** What the queue knows of the job's earlier attempts: the cause of an interrupted send. */ history?: JobHistory },
): Promise<StepOutcome> {
  const { services } = deps;
  const sql = services.sql;
  const now = services.now();
  const memo = opts.memo ?? {};
  let enr = memo.enr;
  if (!enr || enr.id !== job.enrollmentId) {
    const [erows] = await sql.query<RowDataPacket[]>('SELECT id, journey_id, version, member_id, state, entered_at, recall_id FROM journey_enrollments WHERE id = ?', [job.enrollmentId]);
    const er = erows[0];
    if (!er) return { kind: 'noop', reason: 'no such enrollment' };
    enr = { id: er.id, journeyId: er.journey_id, version: er.version, memberId: er.member_id, state: er.state, enteredAt: er.entered_at, recallId: er.recall_id };
    memo.enr = enr;
    memo.member = undefined;
  }
  if (enr.state !== 'active') return { kind: 'noop', reason: `enrollment ${enr.state}` };
  if ((await journeyStatus(services, enr.journeyId)) === 'paused') return { kind: 'defer', at: new Date(now.getTime() + PAUSE_RECHECK_MS), reason: 'journey paused' };
  const cj = await loadVersion(services, enr.journeyId, enr.version);
  const step = cj.steps.get(job.stepId);
  if (!step) {
    await sql.query("UPDATE journey_enrollments SET state = 'failed', updated_at = ? WHERE id = ?", [now, enr.id]);
    return { kind: 'noop', reason: `unknown step ${job.stepId}` };
  }

  const fast = await fastStep(deps, enr, cj, step, memo, now);
  if (fast) return fast;

  // 1. claim
  const action = step.type === 'action' ? step.action.kind : null;
  const [ins] = await sql.query<ResultSetHeader>(
    'INSERT IGNORE INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, marketing, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [enr.memberId, enr.journeyId, enr.id, step.id, step.type, action, 'pending', isMarketing(step), now],
  );
  let exec: ExecRow;
  if (ins.affectedRows === 1) exec = { id: ins.insertId, result: 'pending', channel: null, nextStep: null, detail: null, error: null, attemptedAt: null, attempts: 0 };
  else {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT id, result, channel, next_step, detail, error, attempted_at, attempts FROM journey_step_executions WHERE member_id = ? AND journey_id = ? AND enrollment_id = ? AND step_id = ?', [
      enr.memberId,
      enr.journeyId,
      enr.id,
      step.id,
    ]);
    const r = rows[0]!;
    exec = { id: r.id, result: r.result, channel: r.channel, nextStep: r.next_step, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail, error: r.error, attemptedAt: r.attempted_at, attempts: Number(r.attempts) };
    if (FINAL.has(exec.result)) return replay(deps, enr, cj, step, exec);
  }

  const ctx: StepCtx = { deps, enr, cj, step, exec, now, finalAttempt: opts.finalAttempt, memo, history: opts.history };
  switch (step.type) {
    case 'exit':
      await mark(ctx, 'done', {});
      return complete(ctx);
    case 'wait': {
      const until = await waitUntil(ctx, step);
      await mark(ctx, 'done', { next: cj.nextOf.get(step.id), detail: { until: until.toISOString() } });
      return advance(ctx, cj.nextOf.get(step.id), until);
    }
    case 'condition': {
      const ok = await evaluateCondition(ctx, step);
      const next = ok ? step.then : step.else;
      await mark(ctx, 'done', { next, detail: { matched: ok } });
      return advance(ctx, next, now);
    }
    case 'split': {
      const bucket = splitBucket(enr.journeyId, step.id, enr.memberId);
      let acc = 0;
      const branch = step.branches.find((b) => bucket < (acc += b.percent)) ?? step.branches[step.branches.length - 1]!;
      await mark(ctx, 'done', { next: branch.next, detail: { bucket, variant: branch.name } });
      await sql.query('UPDATE journey_enrollments SET variant = ? WHERE id = ?', [branch.name, enr.id]);
      return advance(ctx, branch.next, now);
    }
    case 'action':
      try {
        return await runAction(ctx, step.action);
      } catch (e) {
        // Another run of this step is sending it. This job looks again after its backoff rather than
        // ending: should that send be refused and handed over, the hand-off's job id may be this one's.
        if (e instanceof StepTaken) {
          if (!ctx.finalAttempt) throw new StepRetry(e.message);
          return { kind: 'noop', reason: e.message };
        }
        throw e;
      }
  }
}

/**
 * Steps whose only effect is a write to our own database (exit, wait, condition, split, coupon):
 * the execution row is inserted already final in the same transaction as the effect — one
 * commit instead of three, and still exactly once (row and effect stand or fall together).
 * undefined = not such a step, or its row exists already (the generic path replays it).
 */
async function fastStep(deps: JourneyDeps, enr: Enrollment, cj: CompiledJourney, step: JourneyStep, memo: StepMemo, now: Date): Promise<StepOutcome | undefined> {
  const isCoupon = step.type === 'action' && step.action.kind === 'coupon';
  if (step.type === 'action' && !isCoupon) return undefined;
  const ctx: StepCtx = { deps, enr, cj, step, exec: { id: 0, result: 'pending', channel: null, nextStep: null, detail: null, error: null, attemptedAt: null, attempts: 0 }, now, finalAttempt: false, memo };
  let result = 'done';
  let next: string | undefined;
  let detail: Record<string, unknown> | null = null;
  let at = now;
  let channel: string | null = null;
  let variant: string | null = null;
  let member: MemberRow | undefined;
  if (step.type === 'wait') {
    at = await waitUntil(ctx, step);
    next = cj.nextOf.get(step.id);
    detail = { until: at.toISOString() };
  } else if (step.type === 'condition') {
    const ok = await evaluateCondition(ctx, step);
    next = ok ? step.then : step.else;
    detail = { matched: ok };
  } else if (step.type === 'split') {
    const bucket = splitBucket(enr.journeyId, step.id, enr.memberId);
    let acc = 0;
    const branch = step.branches.find((b) => bucket < (acc += b.percent)) ?? step.branches[step.branches.length - 1]!;
    next = branch.next;
    variant = branch.name;
    detail = { bucket, variant };
  } else if (step.type === 'action') {
    member = memo.member ?? (await loadMember(deps, enr.memberId));
    memo.member = member;
    if (!member || member.status !== 'active') return undefined; // the generic path records the skip
    result = 'sent';
    channel = 'coupon';
    next = cj.nextOf.get(step.id);
  }
  const completes = step.type === 'exit' || next === undefined;
  const fresh = await withTransaction(deps.services.sql, async (conn, tx) => {
    // A coupon is a send: an enrolment cancelled since this job read it (a stopped recall) gets
    // none. The shared lock orders this against the stop's UPDATE (docs/journeys.md, "Recall safety").
    if (isCoupon && !(await stillActive(conn, enr.id))) {
      tx.rollbackOnly();
      return 'cancelled' as const;
    }
    const [ins] = await conn.query<ResultSetHeader>(
      'INSERT IGNORE INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, channel, next_step, detail, marketing, created_at, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [enr.memberId, enr.journeyId, enr.id, step.id, step.type, isCoupon ? 'coupon' : null, result, channel, next ?? null, detail ? JSON.stringify(detail) : null, false, now, now],
    );
    if (ins.affectedRows === 0) {
      tx.rollbackOnly();
      return false;
    }
    if (step.type === 'action' && step.action.kind === 'coupon') {
      await issueCoupon(conn, journeyCoupon(enr, step.id, step.action, now));
    }
    if (variant) await conn.query('UPDATE journey_enrollments SET variant = ? WHERE id = ?', [variant, enr.id]);
    if (completes) await conn.query("UPDATE journey_enrollments SET state = 'completed', completed_at = ?, current_step = NULL, next_run_at = NULL, updated_at = ? WHERE id = ? AND state = 'active'", [now, now, enr.id]);
    return true;
  });
  if (fresh === 'cancelled') {
    enr.state = 'cancelled';
    return { kind: 'noop', reason: 'enrollment cancelled' };
  }
  if (!fresh) return undefined;
  if (completes) {
    enr.state = 'completed';
    return { kind: 'complete' };
  }
  return { kind: 'next', stepId: next!, at };
}

interface StepCtx {
  deps: JourneyDeps;
  enr: Enrollment;
  cj: CompiledJourney;
  step: JourneyStep;
  exec: ExecRow;
  now: Date;
  finalAttempt: boolean;
  memo: StepMemo;
  /** A weekly-cap slot to take with the first `sending` mark (marketing messages). */
  capWeek?: string;
  history?: JobHistory;
}

async function replay(deps: JourneyDeps, enr: Enrollment, cj: CompiledJourney, step: JourneyStep, exec: ExecRow): Promise<StepOutcome> {
  const ctx: StepCtx = { deps, enr, cj, step, exec, now: deps.services.now(), finalAttempt: false, memo: {} };
  if (step.type === 'exit') return complete(ctx);
  const until = exec.detail && typeof exec.detail.until === 'string' ? new Date(exec.detail.until) : ctx.now;
  return advance(ctx, exec.nextStep ?? undefined, until);
}

/** `ack`: the provider acknowledged the message (its id when it gave one). */
async function mark(
  ctx: StepCtx,
  result: string,
  o: { next?: string; channel?: string | null; error?: string | null; detail?: Record<string, unknown>; ack?: { providerId?: string }; quota?: QuotaMark },
): Promise<void> {
  const now = ctx.deps.services.now();
  await ctx.deps.services.sql.query(
    `UPDATE journey_step_executions SET result = ?, next_step = ?, channel = COALESCE(?, channel), error = ?, detail = ?, executed_at = ?${o.ack ? ', acked_at = ?, provider_id = ?' : ''}${o.quota ? ', quota_decision = ?, quota_reason = ?' : ''} WHERE id = ?`,
    [
      result,
      o.next ?? null,
      o.channel ?? null,
      o.error ? o.error.slice(0, 500) : null,
      o.detail ? JSON.stringify(o.detail) : null,
      now,
      ...(o.ack ? [now, o.ack.providerId?.slice(0, 128) ?? null] : []),
      ...(o.quota ? [o.quota.decision, o.quota.reason] : []),
      ctx.exec.id,
    ],
  );
}

/** The quota ledger's verdict as the execution row records it (columns quota_decision, quota_reason). */
interface QuotaMark {
  decision: QuotaDecision['decision'];
  reason: QuotaReason;
}

/** Appends a ledger decision to the row's detail (`quota`: the last ten, oldest first), so a deferral stays visible after the send. */
function noteQuota(ctx: StepCtx, q: QuotaMark & { channel?: string; until?: Date }): Record<string, unknown> {
  const prev = Array.isArray(ctx.exec.detail?.quota) ? (ctx.exec.detail!.quota as unknown[]) : [];
  const entry = { at: ctx.deps.services.now().toISOString(), decision: q.decision, reason: q.reason, ...(q.channel ? { channel: q.channel } : {}), ...(q.until ? { until: q.until.toISOString() } : {}) };
  ctx.exec.detail = { ...(ctx.exec.detail ?? {}), quota: [...prev, entry].slice(-10) };
  return ctx.exec.detail;
}

/** A send the ledger held back: the row is `deferred` with the reason, and the step runs again at `until` (a delayed job; enrolment's next_run_at). */
async function deferSend(ctx: StepCtx, d: Extract<QuotaDecision, { decision: 'deferred' }>, channel?: string): Promise<StepOutcome> {
  const detail = noteQuota(ctx, { decision: 'deferred', reason: d.reason, channel, until: d.until });
  await ctx.deps.services.sql.query(
    "UPDATE journey_step_executions SET result = 'deferred', error = ?, detail = ?, quota_decision = 'deferred', quota_reason = ?, executed_at = ? WHERE id = ? AND result IN ('pending', 'deferred', 'sending')",
    [`${d.reason}: until ${d.until.toISOString()}`, JSON.stringify(detail), d.reason, ctx.deps.services.now(), ctx.exec.id],
  );
  return { kind: 'defer', at: d.until, reason: d.reason };
}

const ACK_WRITE_TRIES = 5;

/**
 * Writes a provider's acknowledgement, retrying a failing database for a few seconds (a MariaDB
 * restart): the answer is known only to this process, and losing it turns a delivered message
 * into one to reconcile. Still failing, it throws with the database's own error, which BullMQ
 * keeps as the attempt's failedReason: the retry reconciles the send and records that cause.
 */
async function markAcked(ctx: StepCtx, o: Parameters<typeof mark>[2]): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await mark(ctx, 'sent', o);
    } catch (e) {
      const err = e as Error;
      if (i >= ACK_WRITE_TRIES) throw new Error(`the provider acknowledged the send but the database refused to record it: ${err.message}`);
      ctx.deps.services.logger.warn({ err: err.message, execution: ctx.exec.id, try: i }, 'provider acknowledgement not recorded yet: retrying');
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
}

async function complete(ctx: StepCtx): Promise<StepOutcome> {
  const now = ctx.deps.services.now();
  ctx.enr.state = 'completed';
  await ctx.deps.services.sql.query("UPDATE journey_enrollments SET state = 'completed', completed_at = ?, current_step = NULL, next_run_at = NULL, updated_at = ? WHERE id = ? AND state = 'active'", [now, now, ctx.enr.id]);
  return { kind: 'complete' };
}

async function advance(ctx: StepCtx, next: string | undefined, at: Date): Promise<StepOutcome> {
  if (!next) return complete(ctx);
  return { kind: 'next', stepId: next, at };
}

async function waitUntil(ctx: StepCtx, step: Extract<JourneyStep, { type: 'wait' }>): Promise<Date> {
  const { now } = ctx;
  if (step.duration) {
    const ms = ((step.duration.days ?? 0) * 1440 + (step.duration.hours ?? 0) * 60 + (step.duration.minutes ?? 0)) * 60_000;
    return new Date(now.getTime() + ms);
  }
  if (step.atTime) return nextTimeOfDay(now, step.atTime);
  const m = await loadMember(ctx.deps, ctx.enr.memberId);
  // No birthday on file: nothing to wait for; go on at once rather than hold the member forever.
  if (!m?.birthday) return now;
  return nextBirthday(now, m.birthday, step.until!.offsetDays, step.until!.atTime);
}

async function evaluateCondition(ctx: StepCtx, step: Extract<JourneyStep, { type: 'condition' }>): Promise<boolean> {
  const sql = ctx.deps.services.sql;
  if (step.if.orderedSinceEntry) {
    const [rows] = await sql.query<RowDataPacket[]>(`SELECT 1 FROM orders WHERE member_id = ? AND paid_at >= ? AND paid_at <= ? AND ${countedOrder()} LIMIT 1`, [ctx.enr.memberId, ctx.enr.enteredAt, ctx.now]);
    if (rows.length === 0) return false;
  }
  const node = ctx.cj.segments.get(step.id);
  if (node) {
    const { where, params } = compileWhere({ version: 1, root: node }, { now: ctx.now, stores: null });
    const [rows] = await sql.query<RowDataPacket[]>(`SELECT 1 FROM members m WHERE ${where} AND m.id = ? LIMIT 1`, [...params, ctx.enr.memberId]);
    if (rows.length === 0) return false;
  }
  return true;
}

// ---- actions ----

async function runAction(ctx: StepCtx, action: JourneyAction): Promise<StepOutcome> {
  const { deps, enr, step } = ctx;
  const next = ctx.cj.nextOf.get(step.id);
  const member = ctx.memo.member ?? (await loadMember(deps, enr.memberId));
  ctx.memo.member = member;
  if (!member || member.status !== 'active') {
    await mark(ctx, 'skipped', { next, error: 'member not active' });
    return advance(ctx, next, ctx.now);
  }
  switch (action.kind) {
    case 'coupon': {
      await issueCoupon(ctx.deps.services.sql, journeyCoupon(ctx.enr, ctx.step.id, action, ctx.now));
      await mark(ctx, 'sent', { next, channel: 'coupon' });
      return advance(ctx, next, ctx.now);
    }
    case 'tag': {
      const r = await applyTag(ctx, action);
      await mark(ctx, r.ok ? 'sent' : 'failed', { next, channel: 'tag', error: r.error });
      return advance(ctx, next, ctx.now);
    }
    case 'points': {
      const r = await adjustPoints(ctx, action);
      await mark(ctx, r.ok ? 'sent' : 'failed', { next, channel: 'points', error: r.error });
      return advance(ctx, next, ctx.now);
    }
    case 'staff_task': {
      const r = await staffTask(ctx, member, action);
      await mark(ctx, r.ok ? 'sent' : 'failed', { next, channel: 'staff', error: r.error });
      return advance(ctx, next, ctx.now);
    }
    case 'message':
      return sendMessage(ctx, member, action);
    case 'wecom_mass':
      return massStep(ctx, member, action);
  }
}

/** The 群发 action (./mass-send.ts) over this step's execution row. */
async function massStep(ctx: StepCtx, member: MemberRow, a: Extract<JourneyAction, { kind: 'wecom_mass' }>): Promise<StepOutcome> {
  const { deps, now } = ctx;
  const next = ctx.cj.nextOf.get(ctx.step.id);
  const capTaken = ctx.exec.detail?.capTaken === true;
  const io: MassIO = {
    detail: { ...(ctx.exec.detail ?? {}) },
    async attempt() {
      if (a.marketing && !capTaken) ctx.capWeek = weekStart(now);
      ctx.exec.detail = io.detail;
      try {
        await sending(ctx, 'wecom');
        io.detail = { ...(ctx.exec.detail ?? {}) };
        return 'ok';
      } catch (e) {
        if (e instanceof CapReached) return 'cap';
        if (e instanceof EnrollmentStopped) return 'stopped';
        throw e;
      }
    },
    async finish(result, o) {
      ctx.exec.detail = io.detail;
      if (result !== 'sent') await releaseCap(ctx, member, ctx.exec.detail.capTaken === true);
      if (o.quota?.decision === 'suppressed') noteQuota(ctx, { ...o.quota, channel: 'wecom' });
      const m = { next, channel: 'wecom', error: o.error ?? null, detail: ctx.exec.detail ?? undefined, ...(o.quota ? { quota: o.quota } : {}) };
      if (result === 'sent') await markAcked(ctx, { ...m, ack: { providerId: o.providerId } });
      else await mark(ctx, result, m);
      return advance(ctx, next, now);
    },
    defer(q) {
      ctx.exec.detail = io.detail;
      return deferSend(ctx, q, 'wecom');
    },
    async stopped() {
      // As for a message: the stop committed first; nothing was created, so the 群发 slot is given back.
      await releaseReservation(ctx);
      ctx.enr.state = 'cancelled';
      return { kind: 'noop', reason: 'enrollment cancelled' };
    },
    async wait(at, providerId) {
      await deps.services.sql.query("UPDATE journey_step_executions SET detail = ?, provider_id = ?, error = NULL, executed_at = ? WHERE id = ? AND result = 'sending'", [JSON.stringify(io.detail), providerId, deps.services.now(), ctx.exec.id]);
      return { kind: 'defer', at, reason: '群发 awaiting the staff member' };
    },
    retry(reason) {
      throw new StepRetry(reason);
    },
  };
  return runMassSend(
    {
      deps,
      memberId: member.id,
      executionId: ctx.exec.id,
      result: ctx.exec.result,
      attemptedAt: ctx.exec.attemptedAt,
      to: member.externalUserId,
      key: stepKey(ctx.enr, ctx.step.id),
      text: (await composeText(ctx, member, a)).text,
      now,
      marketing: a.marketing,
      optedOut: Boolean(member.optOutAt),
      capTaken,
      quietHours: ctx.cj.def.quietHours,
      confirmHours: a.confirmHours,
      finalAttempt: ctx.finalAttempt,
    },
    io,
  );
}

/** The coupon of a coupon step: its code derived from the step's idempotency key, so a replay issues nothing. */
export function journeyCoupon(enr: Enrollment, stepId: string, a: Extract<JourneyAction, { kind: 'coupon' }>, now: Date): CouponIssue {
  return {
    memberId: enr.memberId,
    key: stepKey(enr, stepId),
    title: a.title,
    amount: a.amount,
    validDays: a.validDays,
    issuedAt: now,
    source: enr.recallId ? 'recall' : 'journey',
    sourceRef: enr.recallId ? `recall:${enr.recallId}` : `journey:${enr.journeyId}:e${enr.id}`,
  };
}

async function applyTag(ctx: StepCtx, a: Extract<JourneyAction, { kind: 'tag' }>): Promise<{ ok: boolean; error?: string }> {
  const sql = ctx.deps.services.sql;
  const tagId = await tagIdByName(sql, a.tag);
  if (tagId === null) return { ok: false, error: `unknown tag ${a.tag}` };
  const memberIds = [ctx.enr.memberId];
  const change: MemberTagChange =
    a.op === 'add' ? { op: 'add', tagId, memberIds, source: 'rule', createdBy: `journey:${ctx.enr.journeyId}`, at: ctx.now } : { op: 'remove', tagId, memberIds };
  await writeMemberTags(sql, change, { system: 'journey' });
  return { ok: true };
}

async function adjustPoints(ctx: StepCtx, a: Extract<JourneyAction, { kind: 'points' }>): Promise<{ ok: boolean; error?: string }> {
  const { services } = ctx.deps;
  try {
    await services.db.$transaction((tx) =>
      appendLedger(tx, services, 'system', { memberId: ctx.enr.memberId, delta: a.delta, kind: 'adjust', reason: a.reason, ref: `journey:${ctx.enr.journeyId}`, idempotencyKey: `jx:${ctx.exec.id}` }),
    );
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

async function staffTask(ctx: StepCtx, member: MemberRow, a: Extract<JourneyAction, { kind: 'staff_task' }>): Promise<{ ok: boolean; error?: string }> {
  const { services } = ctx.deps;
  let to: string[] = [];
  if (a.to === 'store_manager') {
    to = member.homeStoreId === null ? [] : (await storeManagers(services, member.homeStoreId)).map((m) => m.wecomUserId);
  } else to = [a.to];
  if (to.length === 0) return { ok: false, error: 'no store manager to assign the task to' };
  const text = `【会员任务】${fill(a.text, member, ctx)}\n会员：${member.name}（${member.memberNo}）`;
  for (const userId of to) {
    await queueOutbound(services, 'journey-task', { channel: 'wecom', to: userId, text }, { jobId: `task-${stepKey(ctx.enr, ctx.step.id)}-${userId}` });
  }
  return { ok: true };
}

export function fill(text: string, m: MemberRow, ctx: Pick<StepCtx, 'enr'>, coupon?: { title: string; amount: string } | null): string {
  return text
    .replaceAll('{name}', m.name)
    .replaceAll('{points}', String(m.points))
    .replaceAll('{coupon}', coupon?.title ?? '')
    .replaceAll('{amount}', coupon ? String(Number(coupon.amount)) : '')
    .replaceAll('{journey}', String(ctx.enr.journeyId));
}

interface Delivery {
  /** `in_doubt`: sent, no answer (a timeout): it may have been delivered. */
  status: 'sent' | 'unreachable' | 'failed' | 'in_doubt';
  channel: MessageChannel | null;
  providerId?: string;
  error?: string;
  retryable?: boolean;
  /** The quota ledger held the send back (deferred or suppressed): nothing was sent. */
  quota?: Extract<QuotaDecision, { decision: 'deferred' | 'suppressed' }>;
  /** The ledger sent the message past a channel (its reason), to the one in `channel`. */
  fallback?: QuotaReason;
  tried: string[];
}

/** The sender of a message channel, when the deployment has one. */
export function senderOf(deps: JourneyDeps, channel: string): OutboundSender | undefined {
  const { senders } = deps;
  if (channel === 'sms') return senders.sms;
  if (channel === 'email') return senders.email;
  if (channel === 'wecom') return senders.wecom;
  if (channel === 'miniprogram') return senders.miniprogram;
  return undefined;
}

async function sendMessage(ctx: StepCtx, member: MemberRow, a: Extract<JourneyAction, { kind: 'message' }>): Promise<StepOutcome> {
  const { deps, enr, step, now } = ctx;
  const { services } = deps;
  const next = ctx.cj.nextOf.get(step.id);
  const capTaken = ctx.exec.detail?.capTaken === true;

  if (ctx.exec.result === 'sending') {
    // Our attempt is recorded, the provider's answer is not: ask the provider before anything else.
    const settled = await settleInterrupted(ctx, member, a);
    if (settled) return settled;
  }
  // Unsubscribe is honoured everywhere: checked at the moment of sending, not only at enrolment.
  if (a.marketing && member.optOutAt) {
    await releaseCap(ctx, member, capTaken);
    await mark(ctx, 'skipped', { next, error: 'unsubscribed' });
    return advance(ctx, next, now);
  }
  // The quota ledger (../quota/ledger.ts): quiet hours hold every channel, so they are asked first.
  const quiet = quietDecision(deps, member.id, now, ctx.cj.def.quietHours);
  if (quiet?.decision === 'deferred') return deferSend(ctx, quiet);
  // The weekly cap is taken together with the first `sending` mark (one commit), i.e. only when a
  // channel is actually tried; it is given back unless the message is sent.
  if (a.marketing && !capTaken) ctx.capWeek = weekStart(now);

  const { text, coupon } = await composeText(ctx, member, a);
  let d: Delivery;
  try {
    d = await deliver(ctx, member, a, text, coupon);
  } catch (e) {
    if (e instanceof EnrollmentStopped) {
      // Stopped (a recall's stop) between this job's start and the send: nothing goes out.
      await releaseCap(ctx, member, capTaken);
      await releaseReservation(ctx);
      enr.state = 'cancelled';
      return { kind: 'noop', reason: 'enrollment cancelled' };
    }
    if (!(e instanceof CapReached)) throw e;
    const q = { decision: 'suppressed', reason: 'frequency_cap' } as const;
    await mark(ctx, 'skipped', { next, error: `frequency_cap: ${services.config.JOURNEY_WEEKLY_CAP} marketing messages this week`, detail: noteQuota(ctx, q), quota: q });
    return advance(ctx, next, now);
  }

  if (d.quota?.decision === 'deferred') return deferSend(ctx, d.quota, d.channel ?? undefined);
  if (d.quota?.decision === 'suppressed') {
    // Held back by a rule the member has reached on every channel that matters: not sent, not retried.
    await releaseCap(ctx, member, capTaken);
    const q = { decision: 'suppressed', reason: d.quota.reason } as const;
    await mark(ctx, 'skipped', { next, channel: d.channel, error: `${d.quota.reason}: ${d.quota.detail}`, detail: { tried: d.tried, ...noteQuota(ctx, { ...q, channel: d.channel ?? undefined }) }, quota: q });
    return advance(ctx, next, now);
  }
  if (d.status === 'in_doubt') {
    // Sent, no answer: it may have been delivered. The row stays `sending` (attempted, not
    // acknowledged) with the cause, and the next attempt reconciles it instead of resending blindly.
    const cause = `in_doubt: ${d.error ?? 'no answer from the provider'}`;
    if (!ctx.finalAttempt) {
      await services.sql.query('UPDATE journey_step_executions SET error = ? WHERE id = ?', [cause.slice(0, 500), ctx.exec.id]);
      throw new StepRetry(cause);
    }
    await mark(ctx, 'unknown', { next, channel: d.channel, error: `${cause}; not reconciled (last attempt)`, detail: { tried: d.tried, ...(ctx.exec.detail ?? {}) } });
    return advance(ctx, next, now);
  }
  if (d.status === 'failed' && d.retryable && !ctx.finalAttempt) {
    await services.sql.query("UPDATE journey_step_executions SET result = 'pending', error = ? WHERE id = ?", [d.error?.slice(0, 500) ?? null, ctx.exec.id]);
    throw new StepRetry(d.error ?? 'provider error');
  }
  if (d.status !== 'sent') await releaseCap(ctx, member, true);
  // A fallback that reached a channel is recorded as such (the row's channel says which one).
  const quota: QuotaMark = d.fallback ? { decision: 'fallback', reason: d.fallback } : { decision: 'sent', reason: 'ok' };
  if (d.fallback) noteQuota(ctx, { ...quota, channel: d.channel ?? undefined });
  const o = { next, channel: d.channel, error: d.status === 'sent' ? null : (d.error ?? null), detail: { tried: d.tried, ...(ctx.exec.detail ?? {}) }, quota };
  if (d.status === 'sent') await markAcked(ctx, { ...o, ack: { providerId: d.providerId } });
  else await mark(ctx, d.status, o);
  return advance(ctx, next, now);
}

/** The message's text with the member's coupon of this journey (or recall) filled in. */
async function composeText(ctx: StepCtx, member: MemberRow, a: { text: string }): Promise<{ text: string; coupon: { title: string; amount: string } | null }> {
  const coupon = (await journeyCoupons(ctx.deps, [ctx.enr])).get(ctx.enr.id) ?? null;
  return { text: fill(a.text, member, ctx, coupon), coupon };
}

/** Each enrolment's newest coupon of its journey (or recall), for the message's {coupon} and {amount}; one statement for a batch. */
export async function journeyCoupons(deps: JourneyDeps, enrs: readonly Enrollment[]): Promise<Map<number, { title: string; amount: string }>> {
  const out = new Map<number, { title: string; amount: string }>();
  if (enrs.length === 0) return out;
  const refs = (e: Enrollment) => [`journey:${e.journeyId}:e${e.id}`, `recall:${e.recallId ?? 0}`];
  const [rows] = await deps.services.sql.query<RowDataPacket[]>('SELECT member_id, source_ref, title, amount FROM member_coupons WHERE member_id IN (?) AND source_ref IN (?) ORDER BY id DESC', [
    [...new Set(enrs.map((e) => e.memberId))],
    [...new Set(enrs.flatMap(refs))],
  ]);
  const byMember = new Map<number, RowDataPacket[]>();
  for (const r of rows) byMember.set(Number(r.member_id), [...(byMember.get(Number(r.member_id)) ?? []), r]);
  for (const e of enrs) {
    const mine = refs(e);
    const r = byMember.get(e.memberId)?.find((x) => mine.includes(String(x.source_ref)));
    if (r) out.set(e.id, { title: String(r.title), amount: String(r.amount) });
  }
  return out;
}

/**
 * A send recorded as attempted but never acknowledged (./delivery.ts): the provider's verdict
 * decides. Delivered → acknowledged now, not sent again; absent → undefined, and the caller
 * sends it (once); unknown → retried later when asking again can help, else recorded `unknown`
 * with the cause (counted as such, never as sent or failed).
 */
async function settleInterrupted(ctx: StepCtx, member: MemberRow, a: Extract<JourneyAction, { kind: 'message' }>): Promise<StepOutcome | undefined> {
  const { deps, now } = ctx;
  const next = ctx.cj.nextOf.get(ctx.step.id);
  const channel = ctx.exec.channel as MessageChannel | null;
  const cause = interruptionCause(ctx.exec.error, ctx.history);
  const sender = channel ? senderOf(deps, channel) : undefined;
  const { text, coupon } = await composeText(ctx, member, a);
  const message = channel && sender ? messageFor(ctx, channel, member, a, text, coupon) : 'not configured';
  const verdict =
    sender && typeof message !== 'string' ? await reconcileSend(sender, message, ctx.exec.attemptedAt ?? now, deps.services.now()) : ({ status: 'unknown', reason: `${channel ?? 'the channel'}: ${message}, so it cannot be asked`, retryable: false } as const);
  ctx.exec.detail = { ...(ctx.exec.detail ?? {}), interrupted: cause.slice(0, 300), reconciled: verdict.status };
  deps.services.logger.info({ execution: ctx.exec.id, channel, cause, verdict: verdict.status }, 'interrupted send reconciled');
  if (verdict.status === 'delivered') {
    await markAcked(ctx, { next, channel, detail: ctx.exec.detail, ack: { providerId: verdict.providerId } });
    return advance(ctx, next, now);
  }
  if (verdict.status === 'absent') {
    ctx.exec.error = null;
    return undefined;
  }
  if (verdict.retryable && !ctx.finalAttempt) {
    // Keep the first cause; the row stays `sending` until the provider can be asked.
    await deps.services.sql.query('UPDATE journey_step_executions SET error = ?, detail = ? WHERE id = ?', [cause.slice(0, 500), JSON.stringify(ctx.exec.detail), ctx.exec.id]);
    throw new StepRetry(`${cause}; ${verdict.reason}`);
  }
  await mark(ctx, 'unknown', { next, channel, error: `${cause}; ${verdict.reason}`, detail: ctx.exec.detail });
  return advance(ctx, next, now);
}

async function releaseCap(ctx: StepCtx, member: MemberRow, taken: boolean): Promise<void> {
  const wk = ctx.exec.detail?.week;
  if (!taken || typeof wk !== 'string') return;
  await ctx.deps.services.sql.query('UPDATE journey_frequency SET sent = GREATEST(sent - 1, 0) WHERE member_id = ? AND week_start = ?', [member.id, wk]);
  ctx.exec.detail = { ...(ctx.exec.detail ?? {}), capTaken: false };
}

/**
 * A send stopped before anything went out: the 群发 slot the quota ledger reserved with the row
 * (`sending` on `wecom`, ../quota/ledger.ts) is given back, the row pending again as the stop found it.
 */
async function releaseReservation(ctx: StepCtx): Promise<void> {
  await ctx.deps.services.sql.query("UPDATE journey_step_executions SET result = 'pending' WHERE id = ? AND result = 'sending' AND acked_at IS NULL", [ctx.exec.id]);
}

class CapReached extends Error {}

/** The enrolment is no longer active (a stopped recall cancelled it): the send must not start. */
class EnrollmentStopped extends Error {}

/** Whether the enrolment is still active, read under a shared lock inside the caller's transaction. */
async function stillActive(conn: import('mysql2/promise').PoolConnection, enrollmentId: number): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT state FROM journey_enrollments WHERE id = ? LOCK IN SHARE MODE', [enrollmentId]);
  return rows[0]?.state === 'active';
}

/** The `sending` mark's condition: the enrolment still active, checked in the same statement (a stop committed before it wins). */
const WHILE_ACTIVE = "AND EXISTS (SELECT 1 FROM journey_enrollments e WHERE e.id = ? AND e.state = 'active')";

/**
 * Another run of this very step marked the row `sending` since this run read it: two jobs for one
 * (enrolment, step) side by side — a batch's hand-off beside the job it had queued before a crash,
 * a stalled job beside its replacement. The other run sends; this one stands down.
 */
class StepTaken extends Error {}

/**
 * The mark before a provider call. It moves the row on only from the attempt count this run read
 * (a compare-and-set), so a message is sent by one run however many run the step at once; the
 * weekly-cap slot, when one is taken, commits or rolls back with it.
 */
async function sending(ctx: StepCtx, channel: MessageChannel): Promise<void> {
  const wk = ctx.capWeek;
  const mark = (q: Pick<PoolConnection, 'query'>) =>
    q.query<ResultSetHeader>(`UPDATE journey_step_executions SET result = 'sending', channel = ?, attempts = attempts + 1, attempted_at = ?, error = NULL, detail = ? WHERE id = ? AND attempts = ? ${WHILE_ACTIVE}`, [
      channel,
      ctx.deps.services.now(),
      ctx.exec.detail ? JSON.stringify(ctx.exec.detail) : null,
      ctx.exec.id,
      ctx.exec.attempts,
      ctx.enr.id,
    ]);
  if (wk) {
    const detail = ctx.exec.detail;
    await withTransaction(ctx.deps.services.sql, async (conn) => {
      const got = await takeWeeklySlots(conn, [ctx.enr.memberId], wk, ctx.deps.services.config.JOURNEY_WEEKLY_CAP);
      if (got.size === 0) throw new CapReached('frequency cap');
      ctx.exec.detail = { ...(ctx.exec.detail ?? {}), capTaken: true, week: wk };
      const [m] = await mark(conn);
      if (m.affectedRows === 0) {
        ctx.exec.detail = detail;
        throw await whyNotMarked(ctx); // rolls the cap back too
      }
    });
    ctx.capWeek = undefined;
  } else {
    const [m] = await mark(ctx.deps.services.sql);
    if (m.affectedRows === 0) throw await whyNotMarked(ctx);
  }
  ctx.exec.attempts++;
}

/** The `sending` mark matched nothing: the enrolment was stopped, or another run of the step took the row. */
async function whyNotMarked(ctx: StepCtx): Promise<Error> {
  const [rows] = await ctx.deps.services.sql.query<RowDataPacket[]>('SELECT state FROM journey_enrollments WHERE id = ?', [ctx.enr.id]);
  return rows[0]?.state === 'active' ? new StepTaken('another run of this step is sending it') : new EnrollmentStopped('enrollment cancelled');
}

/** The message for one channel's sender, or why the member cannot be reached on it. */
export function messageFor(ctx: Pick<StepCtx, 'enr' | 'step'>, ch: MessageChannel, m: MemberRow, a: Extract<JourneyAction, { kind: 'message' }>, text: string, coupon: { title: string; amount: string } | null): OutboundMessage | string {
  const key = stepKey(ctx.enr, ctx.step.id);
  if (ch === 'miniprogram') {
    if (!m.openid) return 'no openid';
    if (!a.subscribe) return 'not configured';
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.subscribe.data)) data[k] = fill(v, m, ctx, coupon);
    return { key, to: m.openid, text, subscribe: { templateId: a.subscribe.templateId, data, page: a.subscribe.page } };
  }
  if (ch === 'wecom') return m.externalUserId ? { key, to: m.externalUserId, text } : 'not a WeCom contact';
  if (ch === 'sms') return m.phone ? { key, to: m.phone, text } : 'no phone';
  return m.email ? { key, to: m.email, text, subject: a.subject } : 'no address on file';
}

/** A channel that can carry the member's message, with its sender and the message in that sender's terms. */
export interface ChosenChannel {
  channel: MessageChannel;
  sender: OutboundSender;
  message: OutboundMessage;
}

/**
 * The channels of `channels` that can carry the member's message, in the journey's order of
 * preference; a channel passed over (no address for it, no sender configured) is noted in `tried`
 * as the execution row records it ("sms: no phone", "wecom: not configured"). The one choice of
 * channel for the per-member engine (`deliver`, which goes on to the next when a send does not
 * reach the member) and the batch engine (./batch.ts, which takes the first).
 */
export function* chooseChannel(
  deps: JourneyDeps,
  view: Pick<StepCtx, 'enr' | 'step'>,
  channels: readonly MessageChannel[],
  m: MemberRow,
  a: Extract<JourneyAction, { kind: 'message' }>,
  text: string,
  coupon: { title: string; amount: string } | null,
  tried: string[],
): Generator<ChosenChannel, void, undefined> {
  for (const channel of channels) {
    const message = messageFor(view, channel, m, a, text, coupon);
    if (typeof message === 'string') {
      tried.push(`${channel}: ${message}`);
      continue;
    }
    const sender = senderOf(deps, channel);
    if (!sender) {
      tried.push(`${channel}: not configured`);
      continue;
    }
    yield { channel, sender, message };
  }
}

async function deliver(ctx: StepCtx, m: MemberRow, a: Extract<JourneyAction, { kind: 'message' }>, text: string, coupon: { title: string; amount: string } | null): Promise<Delivery> {
  const { deps } = ctx;
  const channels = a.channels ?? ctx.cj.def.channels;
  const tried: string[] = [];
  let failure: Delivery | undefined;
  let fallback: QuotaReason | undefined;
  const outcome = (ch: MessageChannel, r: SendResult): Delivery | undefined => {
    if (r.status === 'sent') return { status: 'sent', channel: ch, providerId: r.providerId, fallback, tried };
    if (r.status === 'unreachable') {
      tried.push(`${ch}: ${r.reason}`);
      return undefined;
    }
    tried.push(`${ch}: ${r.message}`);
    // No answer: the next channel is not tried (the member may have this one already).
    if (r.status === 'in_doubt') return { status: 'in_doubt', channel: ch, error: `${r.code}: ${r.message}`, tried };
    if (r.retryable) return { status: 'failed', channel: ch, error: `${r.code}: ${r.message}`, retryable: true, tried };
    failure ??= { status: 'failed', channel: ch, error: `${r.code}: ${r.message}`, retryable: false, tried };
    return undefined;
  };
  for (const { channel: ch, sender, message: msg } of chooseChannel(deps, ctx, channels, m, a, text, coupon, tried)) {
    // The quota ledger is asked before every send (../quota/ledger.ts).
    const q = await decide(deps, {
      memberId: m.id,
      channel: ch,
      now: ctx.now,
      quietHours: ctx.cj.def.quietHours,
      // A weekly slot this send already holds (a retry) is not asked for again.
      marketing: a.marketing && ctx.exec.detail?.capTaken !== true,
      allowed: channels,
      message: msg,
      executionId: ctx.exec.id,
    });
    if (q.decision === 'deferred' || q.decision === 'suppressed') return { status: 'failed', channel: ch, quota: q, tried };
    if (q.decision === 'fallback') {
      tried.push(`${ch}: ${q.reason}${q.to ? ` → ${q.to}` : ''}`);
      fallback ??= q.reason;
      continue;
    }
    await sending(ctx, ch);
    const d = outcome(ch, await sender.send(msg));
    if (d) return d;
  }
  return failure ? { ...failure, fallback } : { status: 'unreachable', channel: null, error: tried.join('; '), fallback, tried };
}
