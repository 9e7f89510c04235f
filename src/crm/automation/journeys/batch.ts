/**
 * Many members at one step in one job (docs/journeys.md, "Batches"): an enrolment of many
 * members queues one job per BATCH_MEMBERS of them (./schedule.ts), and the worker runs their
 * steps due at once here, a statement for the whole batch where the per-member engine
 * (./engine.ts) takes one per member. Exactly once rests on the same execution rows:
 *
 *   - only fresh steps are done here: a member whose row for the step exists already (a retry of
 *     the job, a crash, a duplicate job) is handed to the per-member engine, which replays or
 *     reconciles it as it always does;
 *   - rows are inserted in one INSERT IGNORE inside the transaction of the step's effect; if any
 *     of them existed by then (another job raced this one) the transaction is rolled back and the
 *     whole batch is handed over;
 *   - a message row is inserted `pending` in the transaction that takes the weekly-cap slot and
 *     checks, under a shared lock, that the enrolment is still active (the claim); it is marked
 *     `sending` only while the enrolment is still active and only from that claim (docs/journeys.md,
 *     "Recall safety"), and the provider's acknowledgement is written for the group in one
 *     statement after the sends. A crash in between leaves `pending` or `sending` rows, which the
 *     retried job hands to the engine to send or reconcile (./delivery.ts).
 *
 * Only the common shapes run here: exit, coupon, and a message whose first reachable channel is
 * SMS or e-mail (their providers collapse a resend by key, and the quota ledger's only rules for
 * them are quiet hours and the weekly cap). Everything else — other steps and channels, quiet
 * hours, an opted-out or inactive member, a member at the cap, any answer of a provider but
 * "accepted" — is handed over: the member gets its own step job, and the per-member engine
 * decides and records it exactly as before. A hand-off writes nothing the engine would not.
 */
import { randomBytes } from 'node:crypto';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { withTransaction } from '../../kernel/index.ts';
import { issueCoupons } from '../../loyalty/index.ts';
import { quietDecision } from '../quota/index.ts';
import type { CompiledJourney, JourneyAction, JourneyStep, MessageChannel } from './definition.ts';
import { isMarketing } from './definition.ts';
import type { JourneyDeps, OutboundMessage, OutboundSender, SendResult } from './deps.ts';
import { interruptionCause, type JobHistory } from './delivery.ts';
import { chooseChannel, fill, journeyCoupon, journeyCoupons, loadMembers, type Enrollment, type MemberRow, type StepOutcome } from './engine.ts';
import { takeWeeklySlots } from './frequency.ts';
import { journeyStatus, loadVersion } from './store.ts';
import { applyOutcomes } from './schedule.ts';
import { weekStart } from './time.ts';

/** Members per batch job: large enough that a statement's round trip is shared by many, small enough to keep a job short. */
export const BATCH_MEMBERS = 100;
/** Steps run back to back in one job at most (as the worker does for one member). */
const MAX_CHAIN = 20;
const ACK_WRITE_TRIES = 5;

/** What became of one member of a batch (hand-offs are applied by the batch itself); the worker applies it (./schedule.ts, applyOutcomes). */
export interface BatchOutcome {
  enrollmentId: number;
  stepId: string;
  out: StepOutcome;
}

/** The batch's rows were there before this job's INSERT (another job raced it): hand over. */
class Raced extends Error {}

/**
 * The messages of a worker's batches between their `sending` mark and their acknowledgement at
 * once: as many as the worker runs jobs (a member's job has one message there at a time), so
 * JOURNEY_CONCURRENCY keeps meaning "messages in flight", and a crash or a recall's stop finds no
 * more of them than before. A group holds its slots from its `sending` mark to its
 * acknowledgement; groups are half the gate, so one group's statements overlap another's sends.
 * Waiters are served in order.
 */
export interface SendGate {
  readonly size: number;
  hold<T>(n: number, f: () => Promise<T>): Promise<T>;
}

export function createSendGate(size: number): SendGate {
  let free = size;
  const waiters: { n: number; go: () => void }[] = [];
  const pump = () => {
    while (waiters.length && waiters[0]!.n <= free) {
      const w = waiters.shift()!;
      free -= w.n;
      w.go();
    }
  };
  return {
    size,
    async hold(n, f) {
      const k = Math.min(Math.max(1, n), size);
      await new Promise<void>((go) => {
        waiters.push({ n: k, go });
        pump();
      });
      try {
        return await f();
      } finally {
        free += k;
        pump();
      }
    },
  };
}

export async function processBatch(deps: JourneyDeps, job: { enrollmentIds: readonly number[]; stepId: string }, opts: { gate: SendGate; history?: JobHistory }): Promise<BatchOutcome[]> {
  const { services } = deps;
  const now = services.now();
  const results: BatchOutcome[] = [];
  const pending: BatchOutcome[] = [];
  /** The member goes on alone: its own job for `stepId`, run by the per-member engine. */
  const handOff = (e: Enrollment, stepId: string, at = services.now()) => pending.push({ enrollmentId: e.id, stepId, out: { kind: 'next', stepId, at } });
  /** Hand-offs are queued before the batch's own sends, so those members do not wait for them. */
  const flush = () => applyOutcomes(deps, pending.splice(0));

  const [erows] = await services.sql.query<RowDataPacket[]>('SELECT id, journey_id, version, member_id, state, entered_at, recall_id FROM journey_enrollments WHERE id IN (?)', [job.enrollmentIds]);
  const groups = new Map<string, Enrollment[]>();
  for (const r of erows) {
    if (r.state !== 'active') continue; // as the engine: a stopped or finished enrolment does nothing
    const e: Enrollment = { id: Number(r.id), journeyId: r.journey_id, version: r.version, memberId: Number(r.member_id), state: r.state, enteredAt: r.entered_at, recallId: r.recall_id };
    const k = `${e.journeyId}:${e.version}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const members = new Map<number, MemberRow>();
  for (const enrs of groups.values()) {
    const { journeyId, version } = enrs[0]!;
    // A paused journey holds its members: the engine defers each of them.
    if ((await journeyStatus(services, journeyId)) === 'paused') {
      for (const e of enrs) handOff(e, job.stepId);
      continue;
    }
    const cj = await loadVersion(services, journeyId, version);
    let cur = enrs;
    let stepId = job.stepId;
    for (let hop = 0; cur.length > 0 && hop < MAX_CHAIN; hop++) {
      const step = cj.steps.get(stepId);
      const run = step ? runnerOf(step) : undefined;
      if (!step || !run) {
        for (const e of cur) handOff(e, stepId);
        break;
      }
      const need = cur.filter((e) => !members.has(e.memberId)).map((e) => e.memberId);
      if (step.type === 'action' && need.length) for (const [id, m] of await loadMembers(deps, need)) members.set(id, m);
      const r = await run({ deps, cj, step, now, members, gate: opts.gate, history: opts.history, handOff, flush }, cur);
      const next = cj.nextOf.get(step.id);
      if (step.type === 'exit' || next === undefined) {
        for (const e of r.done) results.push({ enrollmentId: e.id, stepId, out: { kind: 'complete' } });
        break;
      }
      cur = r.done;
      stepId = next;
    }
  }
  await flush();
  return results;
}

interface BatchCtx {
  deps: JourneyDeps;
  cj: CompiledJourney;
  step: JourneyStep;
  now: Date;
  members: Map<number, MemberRow>;
  gate: SendGate;
  history?: JobHistory;
  handOff: (e: Enrollment, stepId: string, at?: Date) => void;
  flush: () => Promise<void>;
}

/** `done`: the members whose step was done here (their next step is due now); the others were handed over or had stopped. */
type Runner = (ctx: BatchCtx, enrs: Enrollment[]) => Promise<{ done: Enrollment[] }>;

function runnerOf(step: JourneyStep): Runner | undefined {
  if (step.type === 'exit') return ownStep;
  if (step.type === 'action' && step.action.kind === 'coupon') return ownStep;
  if (step.type === 'action' && step.action.kind === 'message') return messageStep;
  return undefined;
}

/**
 * The members without a row for this step yet; the others are handed over (the engine replays a
 * final row, reconciles a `sending` one). A retried job says why its sends were cut off: that cause
 * is written on the rows it left `sending`, as the engine would have recorded it (./delivery.ts).
 */
async function freshOnly(ctx: BatchCtx, enrs: Enrollment[]): Promise<Enrollment[]> {
  if (enrs.length === 0) return enrs;
  const sql = ctx.deps.services.sql;
  const [rows] = await sql.query<RowDataPacket[]>(
    'SELECT id, enrollment_id, result, error FROM journey_step_executions WHERE member_id IN (?) AND journey_id = ? AND step_id = ? AND enrollment_id IN (?)',
    [enrs.map((e) => e.memberId), enrs[0]!.journeyId, ctx.step.id, enrs.map((e) => e.id)],
  );
  if (rows.length === 0) return enrs;
  const cut = rows.filter((r) => r.result === 'sending' && r.error === null).map((r) => Number(r.id));
  if (cut.length && (ctx.history?.stalled || ctx.history?.failedReason)) {
    await sql.query("UPDATE journey_step_executions SET error = ? WHERE id IN (?) AND result = 'sending' AND error IS NULL", [interruptionCause(null, ctx.history).slice(0, 500), cut]);
  }
  const seen = new Set(rows.map((r) => Number(r.enrollment_id)));
  for (const e of enrs) if (seen.has(e.id)) ctx.handOff(e, ctx.step.id);
  return enrs.filter((e) => !seen.has(e.id));
}

/** The enrolments of `ids` still active, under a shared lock until the caller's commit (a recall's stop waits for it). */
async function activeLocked(conn: PoolConnection, ids: readonly number[]): Promise<Set<number>> {
  const [rows] = await conn.query<RowDataPacket[]>("SELECT id FROM journey_enrollments WHERE id IN (?) AND state = 'active' LOCK IN SHARE MODE", [ids]);
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * The batch's transactions lock many enrolments, executions and weekly-cap rows at once, so two
 * batches (or a batch and a recall's stop) can deadlock; InnoDB rolls the victim back whole and
 * each one's work has no effect outside its transaction, so it is run again (a failed job attempt
 * would re-run the whole batch instead).
 */
const BATCH_TX = { retryDeadlocks: 3 } as const;

async function completeAll(conn: Pick<PoolConnection, 'query'>, ids: readonly number[], now: Date): Promise<void> {
  if (ids.length) await conn.query("UPDATE journey_enrollments SET state = 'completed', completed_at = ?, current_step = NULL, next_run_at = NULL, updated_at = ? WHERE id IN (?) AND state = 'active'", [now, now, ids]);
}

/**
 * Exit and coupon: the row is inserted final with its effect in one transaction (as the engine's
 * fast path does for one member). A coupon is a send: enrolments stopped since the job read them get none.
 */
const ownStep: Runner = async (ctx, enrs) => {
  const { deps, step, now } = ctx;
  const coupon = step.type === 'action' && step.action.kind === 'coupon' ? step.action : undefined;
  let todo = enrs;
  if (coupon) {
    // An inactive member's skip is the engine's to record.
    todo = enrs.filter((e) => ctx.members.get(e.memberId)?.status === 'active');
    for (const e of enrs) if (ctx.members.get(e.memberId)?.status !== 'active') ctx.handOff(e, step.id);
  }
  todo = await freshOnly(ctx, todo);
  if (todo.length === 0) return { done: [] };
  const next = ctx.cj.nextOf.get(step.id);
  const completes = step.type === 'exit' || next === undefined;
  try {
    const done = await withTransaction(deps.services.sql, async (conn) => {
      let go = todo;
      if (coupon) {
        const active = await activeLocked(conn, todo.map((e) => e.id));
        go = todo.filter((e) => active.has(e.id));
        if (go.length === 0) return go;
      }
      const [ins] = await conn.query<ResultSetHeader>(
        'INSERT IGNORE INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, channel, next_step, detail, marketing, created_at, executed_at) VALUES ?',
        [go.map((e) => [e.memberId, e.journeyId, e.id, step.id, step.type, coupon ? 'coupon' : null, coupon ? 'sent' : 'done', coupon ? 'coupon' : null, next ?? null, null, false, now, now])],
      );
      if (ins.affectedRows !== go.length) throw new Raced();
      if (coupon) await issueCoupons(conn, go.map((e) => journeyCoupon(e, step.id, coupon, now)));
      if (completes) await completeAll(conn, go.map((e) => e.id), now);
      return go;
    }, BATCH_TX);
    return { done };
  } catch (e) {
    if (!(e instanceof Raced)) throw e;
    for (const x of todo) ctx.handOff(x, step.id);
    return { done: [] };
  }
};

interface Planned {
  e: Enrollment;
  channel: MessageChannel;
  sender: OutboundSender;
  message: OutboundMessage;
  /** The channels passed over before this one (no address, no sender), as the engine records them. */
  tried: string[];
  /** The claimed row. */
  execId?: number;
  /** The week of the weekly-cap slot the claim took (marketing messages). */
  week?: string;
}

/** A message: planned per member, then claimed with the cap, sent and acknowledged a group at a time. */
const messageStep: Runner = async (ctx, enrs) => {
  const { deps, cj, step, now } = ctx;
  const a = (step as Extract<JourneyStep, { type: 'action' }>).action as Extract<JourneyAction, { kind: 'message' }>;
  const coupons = await journeyCoupons(deps, enrs);
  const plans: Planned[] = [];
  for (const e of enrs) {
    const m = ctx.members.get(e.memberId);
    const plan = m && m.status === 'active' && !(a.marketing && m.optOutAt) && !quietDecision(deps, m.id, now, cj.def.quietHours) ? planSend(ctx, e, m, a, coupons.get(e.id) ?? null) : undefined;
    if (plan) plans.push(plan);
    else ctx.handOff(e, step.id);
  }
  const fresh = new Set((await freshOnly(ctx, plans.map((p) => p.e))).map((e) => e.id));
  const todo = plans.filter((p) => fresh.has(p.e.id));
  await ctx.flush();
  // The batch is claimed at once (`pending`, with its weekly-cap slots: one transaction for all),
  // then a group at a time takes its send slots and is marked `sending`, sent and acknowledged
  // while it holds them. Only messages about to go out are `sending`, so a crash finds no more of
  // them than the gate holds, and a recall's stop still cancels the rest of the batch: a claimed
  // row is marked only while its enrolment is active (docs/journeys.md, "Recall safety").
  const claimed = await claim(ctx, a, todo);
  const done: Enrollment[] = [];
  const per = Math.max(1, Math.ceil(ctx.gate.size / 2));
  for (let i = 0; i < claimed.length; i += per) {
    const group = claimed.slice(i, i + per);
    done.push(...(await ctx.gate.hold(group.length, () => sendGroup(ctx, a, group))));
  }
  // The last step: the enrolment is complete (as the engine's `advance` without a next step).
  if (done.length && cj.nextOf.get(step.id) === undefined) await completeAll(deps.services.sql, done.map((e) => e.id), now);
  return { done };
};

/**
 * The batch's claim, in one transaction: the enrolments still active (under a shared lock: a
 * recall's stop waits for it), their weekly-cap slots (a member at the cap is the engine's to
 * record: handed over), and their rows inserted `pending` with the slot noted on them (as a
 * refused send leaves a row: the engine, given it after a crash, sends it without a second slot).
 * The claimed members, each with its row's id.
 */
async function claim(ctx: BatchCtx, a: Extract<JourneyAction, { kind: 'message' }>, group: Planned[]): Promise<Planned[]> {
  if (group.length === 0) return group;
  const { deps, step } = ctx;
  // The claim's own moment (the steps before it may have taken a while): its time and its week.
  const now = deps.services.now();
  const week = weekStart(now);
  const detail = a.marketing ? JSON.stringify({ capTaken: true, week }) : null;
  try {
    const { go, capped } = await withTransaction(deps.services.sql, async (conn) => {
      // Stopped since the job read them: nothing goes out (the shared lock orders this against the stop).
      const active = await activeLocked(conn, group.map((p) => p.e.id));
      let go = group.filter((p) => active.has(p.e.id));
      let capped: Planned[] = [];
      if (a.marketing && go.length) {
        // The weekly cap as the engine takes it (./frequency.ts).
        const got = await takeWeeklySlots(conn, go.map((p) => p.e.memberId), week, deps.services.config.JOURNEY_WEEKLY_CAP);
        capped = go.filter((p) => !got.has(p.e.memberId));
        go = go.filter((p) => got.has(p.e.memberId));
      }
      if (go.length === 0) return { go, capped };
      const [ins] = await conn.query<RowDataPacket[]>(
        'INSERT IGNORE INTO journey_step_executions (member_id, journey_id, enrollment_id, step_id, step_type, action, result, channel, attempts, detail, marketing, created_at) VALUES ? RETURNING id, enrollment_id',
        [go.map((p) => [p.e.memberId, p.e.journeyId, p.e.id, step.id, step.type, 'message', 'pending', p.channel, 0, detail, isMarketing(step), now])],
      );
      if (ins.length !== go.length) throw new Raced();
      const byEnrollment = new Map(ins.map((r) => [Number(r.enrollment_id), Number(r.id)]));
      for (const p of go) {
        p.execId = byEnrollment.get(p.e.id);
        if (a.marketing) p.week = week;
      }
      return { go, capped };
    }, BATCH_TX);
    for (const p of capped) ctx.handOff(p.e, step.id);
    return go;
  } catch (e) {
    if (!(e instanceof Raced)) throw e;
    for (const p of group) ctx.handOff(p.e, step.id);
    return [];
  }
}

/**
 * One claimed group, holding its send slots: marked `sending` in one statement that checks the
 * enrolments are still active (as the engine's mark does), sent concurrently, acknowledged in one
 * statement. A member stopped since its claim gets nothing, and its weekly-cap slot back.
 */
async function sendGroup(ctx: BatchCtx, a: Extract<JourneyAction, { kind: 'message' }>, group: Planned[]): Promise<Enrollment[]> {
  const todo = await markGroup(ctx, group);
  if (todo.length < group.length) {
    const marked = new Set(todo);
    await releaseClaims(ctx, a, group.filter((p) => !marked.has(p)));
  }
  if (todo.length === 0) return [];

  const answers = await Promise.all(todo.map((p) => p.sender.send(p.message)));
  const sent: { p: Planned; providerId?: string }[] = [];
  for (let i = 0; i < todo.length; i++) {
    const p = todo[i]!;
    const r = answers[i]!;
    if (r.status === 'sent') sent.push({ p, providerId: r.providerId });
    else await settleOther(ctx, p, r);
  }
  await ackAll(ctx, sent);
  return sent.map((s) => s.p.e);
}

/**
 * The group's rows marked `sending`, each moved on only from the claim this batch made (`pending`,
 * no attempt yet) and only while its enrolment is active — one statement, no transaction. The mark
 * writes a token of its own on the rows it moves (`detail.batchMark`), so when it matches fewer
 * than the group (a stop, or another run of the step took a row since the claim) one read says
 * which rows are this batch's: the batch sends exactly the rows it marked itself. The token goes
 * with the acknowledgement (or the hand-off); a row cut off in between keeps it.
 */
async function markGroup(ctx: BatchCtx, group: Planned[]): Promise<Planned[]> {
  const { services } = ctx.deps;
  const ids = group.map((p) => p.execId);
  const token = randomBytes(8).toString('hex');
  const [m] = await services.sql.query<ResultSetHeader>(
    "UPDATE journey_step_executions x SET x.result = 'sending', x.attempts = 1, x.attempted_at = ?, x.detail = JSON_SET(COALESCE(x.detail, '{}'), '$.batchMark', ?) WHERE x.id IN (?) AND x.result = 'pending' AND x.attempts = 0 AND EXISTS (SELECT 1 FROM journey_enrollments e WHERE e.id = x.enrollment_id AND e.state = 'active')",
    [services.now(), token, ids],
  );
  if (m.affectedRows === group.length) return group;
  if (m.affectedRows === 0) return [];
  const [rows] = await services.sql.query<RowDataPacket[]>("SELECT id FROM journey_step_executions WHERE id IN (?) AND JSON_VALUE(detail, '$.batchMark') = ?", [ids, token]);
  const mine = new Set(rows.map((r) => Number(r.id)));
  return group.filter((p) => mine.has(p.execId!));
}

/**
 * Claims whose enrolment was stopped before their send: nothing went out, so their weekly-cap
 * slots are given back and the rows stay `pending` without one (a stopped recall counts them
 * cancelled), as the engine leaves a send its stop cut off.
 */
async function releaseClaims(ctx: BatchCtx, a: Extract<JourneyAction, { kind: 'message' }>, stopped: Planned[]): Promise<void> {
  const held = stopped.filter((p) => p.week);
  if (!a.marketing || held.length === 0) return;
  await withTransaction(ctx.deps.services.sql, async (conn) => {
    // Only claims nobody went on with: a row another run of the step took keeps its slot for that run.
    const [rows] = await conn.query<RowDataPacket[]>("SELECT id, member_id FROM journey_step_executions WHERE id IN (?) AND result = 'pending' AND attempts = 0 FOR UPDATE", [held.map((p) => p.execId)]);
    if (rows.length === 0) return;
    await conn.query('UPDATE journey_step_executions SET detail = NULL WHERE id IN (?)', [rows.map((r) => r.id)]);
    await conn.query('UPDATE journey_frequency SET sent = GREATEST(sent - 1, 0) WHERE week_start = ? AND member_id IN (?)', [held[0]!.week, rows.map((r) => r.member_id)]);
  }, BATCH_TX);
}

/** The member's message on the first channel that can carry it (the engine's choice, ./engine.ts `chooseChannel`), when that is SMS or e-mail; else undefined (the engine's). */
function planSend(ctx: BatchCtx, e: Enrollment, m: MemberRow, a: Extract<JourneyAction, { kind: 'message' }>, coupon: { title: string; amount: string } | null): Planned | undefined {
  const view = { enr: e, step: ctx.step };
  const tried: string[] = [];
  const first = chooseChannel(ctx.deps, view, a.channels ?? ctx.cj.def.channels, m, a, fill(a.text, m, view, coupon), coupon, tried).next();
  if (first.done) return undefined;
  const { channel, sender, message } = first.value;
  return (channel === 'sms' || channel === 'email') && sender.idempotent ? { e, channel, sender, message, tried } : undefined;
}

/**
 * A provider answer other than "accepted", recorded as the engine's first attempt would leave it
 * and handed to the engine: no answer → the row stays `sending` with the cause and is reconciled
 * after the backoff (resent under its key); a refusal → nothing was delivered, so the row is
 * `pending` again and the engine sends and records it (a retryable one after the backoff).
 */
async function settleOther(ctx: BatchCtx, p: Planned, r: Exclude<SendResult, { status: 'sent' }>): Promise<void> {
  const sql = ctx.deps.services.sql;
  const at = ctx.deps.services.now();
  const later = new Date(at.getTime() + ctx.deps.backoffMs);
  if (r.status === 'in_doubt') {
    await sql.query("UPDATE journey_step_executions SET error = ?, detail = JSON_REMOVE(detail, '$.batchMark') WHERE id = ?", [`in_doubt: ${r.code}: ${r.message}`.slice(0, 500), p.execId]);
    ctx.handOff(p.e, ctx.step.id, later);
    return;
  }
  const error = r.status === 'unreachable' ? `${p.channel}: ${r.reason}` : `${r.code}: ${r.message}`;
  await sql.query("UPDATE journey_step_executions SET result = 'pending', error = ?, detail = JSON_REMOVE(detail, '$.batchMark') WHERE id = ? AND result = 'sending'", [error.slice(0, 500), p.execId]);
  ctx.handOff(p.e, ctx.step.id, r.status === 'failed' && r.retryable ? later : at);
}

/**
 * The acknowledgements of the batch in one statement, retried for a few seconds like the
 * engine's (a MariaDB restart): only this process knows them. Still failing, it throws and the
 * retried job hands the rows to the engine, which reconciles them with the provider.
 */
async function ackAll(ctx: BatchCtx, sent: { p: Planned; providerId?: string }[]): Promise<void> {
  if (sent.length === 0) return;
  const { services } = ctx.deps;
  const next = ctx.cj.nextOf.get(ctx.step.id) ?? null;
  const ids = sent.map((s) => s.p.execId);
  const cases = (f: (s: { p: Planned; providerId?: string }) => unknown) => ({ sql: `CASE id ${sent.map(() => 'WHEN ? THEN ?').join(' ')} END`, params: sent.flatMap((s) => [s.p.execId, f(s)]) });
  const channel = cases((s) => s.p.channel);
  const detail = cases((s) => JSON.stringify({ tried: s.p.tried, ...(s.p.week ? { capTaken: true, week: s.p.week } : {}) }));
  const provider = cases((s) => s.providerId?.slice(0, 128) ?? null);
  for (let i = 1; ; i++) {
    const at = services.now();
    try {
      await services.sql.query(
        `UPDATE journey_step_executions SET result = 'sent', next_step = ?, channel = ${channel.sql}, error = NULL, detail = ${detail.sql}, executed_at = ?, acked_at = ?, provider_id = ${provider.sql}, quota_decision = 'sent', quota_reason = 'ok' WHERE id IN (?)`,
        [next, ...channel.params, ...detail.params, at, at, ...provider.params, ids],
      );
      return;
    } catch (e) {
      const err = e as Error;
      if (i >= ACK_WRITE_TRIES) throw new Error(`the provider acknowledged the send but the database refused to record it: ${err.message}`);
      services.logger.warn({ err: err.message, executions: ids.length, try: i }, 'provider acknowledgements not recorded yet: retrying');
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
}
